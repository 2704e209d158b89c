/* test_medium.c — the medium on real veth pairs, in a throwaway network
 * namespace (a forked child unshares it, so the kernel cleans up). Needs
 * root; skips otherwise. Topology built by hand:
 *   p2p   a.eth0 -- b.eth0
 *   lan   s1, s2, s3 (segment, learning switch)
 *   c1    ap1 (AP) with stations st1, st2;  c2  ap2 (AP), no station */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netlink/netlink.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "evlog.h"
#include "capture.h"
#include "medium.h"
#include "medium_int.h"
#include "medium_sock.h"
#include "medium_veth.h"

#define NIF 9
#define ETH_TEST 0x88b5		/* local experimental ethertype */

enum { IF_A, IF_B, IF_S1, IF_S2, IF_S3, IF_AP1, IF_ST1, IF_ST2, IF_AP2 };
enum { L_P2P, L_LAN, L_C1, L_C2 };

struct tb {
	struct topo t;
	struct topo_node nodes[NIF];
	struct topo_link links[4];
	struct topo_iface ifaces[NIF];
	int l_ifaces[4][3];
	int fab[NIF], node_ifx[NIF], fd[NIF];
	double rx_ts;		/* kernel receive time (realtime) of rx()'s frame */
	struct nl_sock *nl;
	char dir[64];
};

static const char *const node_names[NIF] = { "a", "b", "s1", "s2", "s3", "ap1", "st1", "st2", "ap2" };

static const struct topo_radio tb_radio = {
	.tx_power = 20, .ref_loss = 40, .exponent = 3, .noise = -90,
	.snr_min = 5, .snr_good = 25, .rate_max = 0, .handoff_gap = 0.2,
};

static void tb_mac(int i, uint8_t mac[6])
{
	uint8_t m[6] = { 0x02, 0, 0, 0, 0, (uint8_t)(i + 1) };
	memcpy(mac, m, 6);
}

static void tb_topo(struct tb *tb)
{
	struct topo *t = &tb->t;
	snprintf(t->name, sizeof(t->name), "medium-test");
	t->nodes = tb->nodes; t->n_nodes = NIF;
	t->links = tb->links; t->n_links = 4;
	t->ifaces = tb->ifaces; t->n_ifaces = NIF;
	static const struct { const char *name; enum topo_link_kind kind; int n; int ifs[3]; } ls[4] = {
		{ "p2p", TOPO_P2P, 2, { IF_A, IF_B } },
		{ "lan", TOPO_SEGMENT, 3, { IF_S1, IF_S2, IF_S3 } },
		{ "c1", TOPO_CELL, 3, { IF_AP1, IF_ST1, IF_ST2 } },
		{ "c2", TOPO_CELL, 1, { IF_AP2 } },
	};
	for (int i = 0; i < NIF; i++) {
		snprintf(tb->nodes[i].name, TOPO_NAME_MAX, "%s", node_names[i]);
		tb->ifaces[i].node = i;
		snprintf(tb->ifaces[i].name, TOPO_IFNAME_MAX, "%s", i >= IF_AP1 ? "wlan0" : "eth0");
		tb_mac(i, tb->ifaces[i].mac);
		tb->ifaces[i].radio = i == IF_ST1 || i == IF_ST2;
	}
	tb->nodes[IF_ST1].has_pos = tb->nodes[IF_ST2].has_pos = true;
	tb->nodes[IF_ST1].x = 10;
	tb->nodes[IF_ST2].x = 20;
	for (int l = 0; l < 4; l++) {
		snprintf(tb->links[l].name, TOPO_NAME_MAX, "%s", ls[l].name);
		tb->links[l].kind = ls[l].kind;
		tb->links[l].n_ifaces = ls[l].n;
		tb->links[l].ifaces = tb->l_ifaces[l];
		tb->links[l].radio = tb_radio;
		for (int k = 0; k < ls[l].n; k++) {
			tb->l_ifaces[l][k] = ls[l].ifs[k];
			tb->ifaces[ls[l].ifs[k]].link = l;
		}
	}
}

static int tb_sock(int ifindex)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_TEST),
				   .sll_ifindex = ifindex };
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		printf("  test socket on ifindex %d: %s\n", ifindex, strerror(errno));
		return -1;
	}
	return fd;
}

static void tb_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			printf("  write %s: %s\n", path, strerror(errno));
		close(fd);
	}
}

static bool tb_init(struct tb *tb)
{
	memset(tb, 0, sizeof(*tb));
	/* No IPv6 autoconfiguration chatter on the test links. */
	tb_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	tb_sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	tb->nl = nl_socket_alloc();
	if (!tb->nl || nl_connect(tb->nl, NETLINK_ROUTE) < 0) {
		printf("  nl_connect failed\n");
		return false;
	}
	char err[256];
	for (int i = 0; i < NIF; i++) {
		char f[16], n[16];
		snprintf(f, sizeof(f), "f%d", i);
		snprintf(n, sizeof(n), "n%d", i);
		if (medium_veth_make(tb->nl, f, n, &tb->fab[i], &tb->node_ifx[i], err, sizeof(err)) < 0) {
			printf("  %s\n", err);
			return false;
		}
		if ((tb->fd[i] = tb_sock(tb->node_ifx[i])) < 0)
			return false;
	}
	tb_topo(tb);
	snprintf(tb->dir, sizeof(tb->dir), "/tmp/roam-medium-XXXXXX");
	if (!mkdtemp(tb->dir)) {
		printf("  mkdtemp: %s\n", strerror(errno));
		return false;
	}
	return true;
}

static void tb_rmdir(const char *dir)
{
	static const char *const files[] = { "p2p.pcap", "lan.pcap", "c1.pcap", "c2.pcap", "events.jsonl" };
	char p[128];
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		unlink(p);
	}
	rmdir(dir);
}

static struct medium *tb_medium(struct tb *tb, uint64_t seed, const char *outdir)
{
	char err[256];
	struct medium *m = medium_new(&tb->t, tb->fab, seed, outdir, err, sizeof(err));
	if (!m) {
		printf("  medium_new: %s\n", err);
		return NULL;
	}
	int r = medium_start(m);
	if (r < 0) {
		printf("  medium_start: %s\n", strerror(-r));
		medium_free(m);
		return NULL;
	}
	return m;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The clock of kernel receive timestamps: delays measured with it leave
 * out how late this test's own thread wakes on a busy machine. */
static double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A test frame from interface `from` to MAC of interface `to` (-1:
 * broadcast, -2: a MAC nobody has), carrying seq. */
static void tx(struct tb *tb, int from, int to, uint32_t seq)
{
	uint8_t f[64] = { 0 };
	if (to == -1)
		memset(f, 0xff, 6);
	else if (to == -2)
		memcpy(f, "\x02\x00\x00\x00\x00\x99", 6);
	else
		tb_mac(to, f);
	tb_mac(from, f + 6);
	f[12] = ETH_TEST >> 8;
	f[13] = ETH_TEST & 0xff;
	uint32_t s = htonl(seq);
	memcpy(f + 14, &s, 4);
	if (send(tb->fd[from], f, sizeof(f), 0) != (ssize_t)sizeof(f))
		printf("  send on n%d: %s\n", from, strerror(errno));
}

/* Next test frame on interface i within ms: its seq, or -1. */
static long rx(struct tb *tb, int i, int ms)
{
	double end = now_s() + ms / 1000.0;
	for (;;) {
		int left = (int)((end - now_s()) * 1000);
		struct pollfd p = { .fd = tb->fd[i], .events = POLLIN };
		if (left < 0 || poll(&p, 1, left) <= 0)
			return -1;
		uint8_t f[2048];
		char cbuf[128];
		struct iovec iov = { f, sizeof(f) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		ssize_t n = recvmsg(tb->fd[i], &mh, MSG_DONTWAIT);
		if (n < 18 || f[12] != (ETH_TEST >> 8) || f[13] != (ETH_TEST & 0xff))
			continue;
		tb->rx_ts = now_real();
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				tb->rx_ts = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
			}
		uint32_t s;
		memcpy(&s, f + 14, 4);
		return ntohl(s);
	}
}

static int count_rx(struct tb *tb, int i, int ms)
{
	int n = 0;
	while (rx(tb, i, ms) >= 0)
		n++;
	return n;
}

static void tb_fini(struct tb *tb)
{
	for (int i = 0; i < NIF; i++)
		if (tb->fd[i] > 0)
			close(tb->fd[i]);
	tb_rmdir(tb->dir);
	nl_socket_free(tb->nl);
}

/* Runs fn in a child inside a fresh network namespace. */
static void in_netns(void (*fn)(struct tb *))
{
	if (geteuid() != 0)
		SKIP("needs root (network namespaces, veth)");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(60);
		t_failed_checks = 0;
		if (unshare(CLONE_NEWNET) < 0) {
			printf("  unshare(CLONE_NEWNET): %s\n", strerror(errno));
			fflush(stdout);
			_exit(77);
		}
		struct tb tb;
		if (!tb_init(&tb)) {
			fflush(stdout);
			_exit(78);
		}
		fn(&tb);
		tb_fini(&tb);
		fflush(stdout);
		exit(t_failed_checks > 50 ? 50 : t_failed_checks);	/* exit: leak checks run */
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) < 0) {
		CHECK(!"fork/waitpid");
		return;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		SKIP("unshare(CLONE_NEWNET) not permitted");
	if (!WIFEXITED(st)) {
		printf("  child killed by signal %d\n", WTERMSIG(st));
		t_failed_checks++;
		return;
	}
	CHECK(WEXITSTATUS(st) != 78);	/* set-up failed */
	t_failed_checks += WEXITSTATUS(st) == 78 ? 0 : WEXITSTATUS(st);
}

/* ---- the cases ---- */

/* The delay tests check the scheduler's arithmetic, on a machine that may
 * be saturated: the medium thread asks for SCHED_FIFO (this child only).
 * many_ports runs it as roam does by default. */
static void p2p_delay_body(struct tb *tb)
{
	setenv("ROAM_MEDIUM_FIFO", "1", 1);
	struct medium *m = tb_medium(tb, 1, NULL);
	CHECK(m);
	if (!m)
		return;
	struct topo_impair d10 = { .delay = 0.010 };
	CHECK_EQ(medium_link_set(m, L_P2P, 0, &d10), 0);
	usleep(20000);
	int ok = 0;
	for (int i = 0; i < 5; i++) {
		double t0 = now_real();
		tx(tb, IF_A, IF_B, 100 + i);
		long s = rx(tb, IF_B, 500);
		double dt = tb->rx_ts - t0;
		CHECK_EQ(s, 100 + i);
		if (dt < 0.008 || dt > 0.012)
			printf("  a->b one-way %.3f ms, expected 10 +- 2\n", dt * 1e3);
		ok += dt >= 0.008 && dt <= 0.012;
	}
	CHECK(ok >= 4);		/* tolerate one scheduling hiccup */
	double t0 = now_real();	/* the other direction has no delay */
	tx(tb, IF_B, IF_A, 7);
	CHECK_EQ(rx(tb, IF_A, 500), 7);
	CHECK(tb->rx_ts - t0 < 0.005);
	struct medium_stats st;
	medium_link_stats(m, L_P2P, &st);
	CHECK_EQ(st.rx, 6);
	CHECK_EQ(st.tx, 6);
	CHECK_EQ(st.drop_loss, 0);
	medium_free(m);
}
static void p2p_delay(void) { in_netns(p2p_delay_body); }

static void p2p_dup_rate_body(struct tb *tb)
{
	setenv("ROAM_MEDIUM_FIFO", "1", 1);
	struct medium *m = tb_medium(tb, 1, NULL);
	CHECK(m);
	if (!m)
		return;
	struct topo_impair dup = { .dup = 1 };
	CHECK_EQ(medium_link_set(m, L_P2P, 1, &dup), 0);
	usleep(20000);
	tx(tb, IF_B, IF_A, 9);		/* b -> a is direction 1 */
	CHECK_EQ(rx(tb, IF_A, 300), 9);
	CHECK_EQ(rx(tb, IF_A, 300), 9);
	CHECK_EQ(rx(tb, IF_A, 100), -1);
	/* 1 Mbit/s: a 64-byte frame is 512 us on the wire; 20 of them 10.24 ms. */
	struct topo_impair rate = { .rate = 1e6 };
	CHECK_EQ(medium_link_set(m, L_P2P, 0, &rate), 0);
	usleep(20000);
	double t0 = now_real();
	for (int i = 0; i < 20; i++)
		tx(tb, IF_A, IF_B, (uint32_t)i);
	int got = 0;
	double last = 0;
	for (long s; (s = rx(tb, IF_B, 300)) >= 0; got++) {
		CHECK_EQ(s, got);	/* in order */
		last = tb->rx_ts - t0;
	}
	CHECK_EQ(got, 20);
	if (last < 0.0095 || last > 0.03)
		printf("  20 frames at 1 Mbit/s took %.2f ms, expected about 10.24\n", last * 1e3);
	CHECK(last >= 0.0095 && last < 0.03);
	struct medium_stats st;
	medium_link_stats(m, L_P2P, &st);
	CHECK_EQ(st.dup, 1);
	CHECK_EQ(st.tx, 22);
	medium_free(m);
}
static void p2p_dup_rate(void) { in_netns(p2p_dup_rate_body); }

/* 200 frames at 30% loss: which ones arrive. */
static int loss_run(struct tb *tb, uint64_t seed, uint8_t seen[200], const char *outdir)
{
	struct medium *m = tb_medium(tb, seed, outdir);
	if (!m)
		return -1;
	struct topo_impair imp = { .loss = 0.3 };
	medium_link_set(m, L_P2P, 0, &imp);
	usleep(20000);
	memset(seen, 0, 200);
	for (int i = 0; i < 200; i++) {
		tx(tb, IF_A, IF_B, (uint32_t)i);
		usleep(200);
	}
	int n = 0;
	long s;
	while ((s = rx(tb, IF_B, 200)) >= 0)
		if (s < 200 && !seen[s]) {
			seen[s] = 1;
			n++;
		}
	struct medium_stats st;
	medium_link_stats(m, L_P2P, &st);
	CHECK_EQ(st.rx, 200);
	CHECK_EQ(st.tx + st.drop_loss, 200);
	CHECK_EQ(st.tx, n);
	medium_free(m);
	return n;
}

static void loss_replay_body(struct tb *tb)
{
	uint8_t s1[200], s2[200], s3[200];
	int n1 = loss_run(tb, 42, s1, tb->dir);
	int n2 = loss_run(tb, 42, s2, NULL);
	int n3 = loss_run(tb, 43, s3, NULL);
	CHECK(n1 > 100 && n1 < 180);	/* 140 expected, sigma 6.5 */
	CHECK(n3 > 100 && n3 < 180);
	CHECK_EQ(n1, n2);
	CHECK(!memcmp(s1, s2, sizeof(s1)));
	CHECK(memcmp(s1, s3, sizeof(s1)) != 0);
	/* The capture of the first run: every frame read, dropped or not. */
	char path[128], perr[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/p2p.pcap", tb->dir);
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	CHECK(p);
	if (!p) {
		printf("  pcap_open_offline(%s): %s\n", path, perr);
		return;
	}
	CHECK_EQ(pcap_datalink(p), DLT_EN10MB);
	struct pcap_pkthdr *h;
	const u_char *d;
	int frames = 0, ordered = 1;
	double prev = 0, now = (double)time(NULL);
	while (pcap_next_ex(p, &h, &d) == 1) {
		double t = (double)h->ts.tv_sec + (double)h->ts.tv_usec * 1e-9;
		ordered &= t >= prev;
		prev = t;
		if (h->caplen == 64 && d[12] == (ETH_TEST >> 8))
			frames++;
	}
	pcap_close(p);
	CHECK_EQ(frames, 200);
	CHECK(ordered);
	if (access("/usr/bin/tcpdump", X_OK) == 0 || access("/usr/sbin/tcpdump", X_OK) == 0) {
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "tcpdump -nn -r %s >/dev/null 2>&1", path);
		CHECK_EQ(system(cmd), 0);
	}
	CHECK(prev > now - 60 && prev < now + 60);	/* realtime clock */
}
static void loss_replay_and_capture(void) { in_netns(loss_replay_body); }

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* A node end hands over UDP with the checksum left to the NIC (as the
 * kernel does on veth): the medium completes it before delivery. */
static void checksum_offload_body(struct tb *tb)
{
	struct medium *m = tb_medium(tb, 1, NULL);
	CHECK(m);
	if (!m)
		return;
	int one = 1;
	int tx_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	int rx_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_ifindex = tb->node_ifx[IF_A] };
	struct sockaddr_ll b = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
				 .sll_ifindex = tb->node_ifx[IF_B] };
	CHECK(setsockopt(tx_fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) == 0);
	CHECK(bind(tx_fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(bind(rx_fd, (struct sockaddr *)&b, sizeof(b)) == 0);
	usleep(20000);
	/* 10 bytes virtio_net_hdr: flags NEEDS_CSUM, csum_start 34, offset 6. */
	uint8_t vh[10] = { 1, 0, 0, 0, 0, 0, 34, 0, 6, 0 };
	uint8_t f[58] = {
		0x02, 0, 0, 0, 0, 0x02,  0x02, 0, 0, 0, 0, 0x01,  0x08, 0x00,	/* Ethernet */
		0x45, 0, 0, 44,  0, 1, 0, 0,  64, 17, 0, 0,			/* IPv4, UDP */
		10, 9, 0, 1,  10, 9, 0, 2,
		0x30, 0x39, 0x00, 0x35,  0, 24, 0, 0,				/* UDP 12345 -> 53 */
		'r', 'o', 'a', 'm', '-', 'c', 's', 'u', 'm', '-', 't', 'e', 's', 't', '!', '?',
	};
	uint16_t ipc = (uint16_t)~csum_fold(csum_add(0, f + 14, 20));
	f[24] = (uint8_t)(ipc >> 8);
	f[25] = (uint8_t)ipc;
	uint8_t pseudo[12] = { 10, 9, 0, 1, 10, 9, 0, 2, 0, 17, 0, 24 };
	uint16_t part = csum_fold(csum_add(0, pseudo, 12));	/* what the stack leaves */
	f[40] = (uint8_t)(part >> 8);
	f[41] = (uint8_t)part;
	struct iovec iov[2] = { { vh, sizeof(vh) }, { f, sizeof(f) } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	CHECK(sendmsg(tx_fd, &mh, 0) == (ssize_t)(sizeof(vh) + sizeof(f)));
	struct pollfd p = { .fd = rx_fd, .events = POLLIN };
	uint8_t g[128];
	ssize_t n = poll(&p, 1, 500) == 1 ? recv(rx_fd, g, sizeof(g), 0) : -1;
	CHECK_EQ(n, (ssize_t)sizeof(f));
	if (n == (ssize_t)sizeof(f)) {
		CHECK(g[40] != f[40] || g[41] != f[41]);	/* completed */
		uint32_t sum = csum_add(csum_add(0, pseudo, 12), g + 34, 24);
		CHECK_EQ(csum_fold(sum), 0xffff);		/* and right */
		CHECK(!memcmp(g + 42, f + 42, 16));
	}
	close(tx_fd);
	close(rx_fd);
	medium_free(m);
}
static void checksum_offload(void) { in_netns(checksum_offload_body); }

static void segment_learning_body(struct tb *tb)
{
	struct medium *m = tb_medium(tb, 1, NULL);
	CHECK(m);
	if (!m)
		return;
	usleep(20000);
	tx(tb, IF_S1, -1, 1);	/* broadcast: everyone, and s1 is learnt */
	CHECK_EQ(rx(tb, IF_S2, 300), 1);
	CHECK_EQ(rx(tb, IF_S3, 300), 1);
	CHECK_EQ(rx(tb, IF_S1, 50), -1);
	tx(tb, IF_S2, IF_S1, 2);	/* known unicast: s1 alone */
	CHECK_EQ(rx(tb, IF_S1, 300), 2);
	CHECK_EQ(rx(tb, IF_S3, 100), -1);
	tx(tb, IF_S1, IF_S2, 3);	/* s2 learnt from the last frame */
	CHECK_EQ(rx(tb, IF_S2, 300), 3);
	CHECK_EQ(rx(tb, IF_S3, 100), -1);
	tx(tb, IF_S3, -2, 4);		/* unknown unicast: flooded */
	CHECK_EQ(rx(tb, IF_S1, 300), 4);
	CHECK_EQ(rx(tb, IF_S2, 300), 4);
	CHECK_EQ(rx(tb, IF_A, 50), -1);	/* other links see nothing */
	CHECK_EQ(rx(tb, IF_AP1, 50), -1);
	/* The node ends share this namespace: what the medium delivered to
	 * them never came back to its socket (the filter dropped it). */
	CHECK_EQ(atomic_load(&m->n_foreign), 0);
	struct medium_stats st;
	medium_link_stats(m, L_LAN, &st);
	CHECK_EQ(st.rx, 4);
	CHECK_EQ(st.tx, 6);	/* 2 + 1 + 1 + 2 */
	/* Stopped (the socket closed) and started again: it forwards. */
	medium_stop(m);
	CHECK_EQ(m->fd, -1);
	CHECK_EQ(medium_start(m), 0);
	usleep(20000);
	tx(tb, IF_S2, -1, 5);
	CHECK_EQ(rx(tb, IF_S1, 300), 5);
	CHECK_EQ(rx(tb, IF_S3, 300), 5);
	medium_free(m);
}
static void segment_learning(void) { in_netns(segment_learning_body); }

/* Waits until the carrier of the node end of i is `want`: seconds, or -1. */
static double wait_carrier(struct tb *tb, int i, int want, double max)
{
	double t0 = now_s();
	while (now_s() - t0 < max) {
		if (medium_veth_carrier(tb->nl, tb->node_ifx[i]) == want)
			return now_s() - t0;
		usleep(2000);
	}
	return -1;
}

static bool file_has(const char *path, const char *needle)
{
	char buf[8192];
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

static void cell_move_body(struct tb *tb)
{
	char ev[128];
	snprintf(ev, sizeof(ev), "%s/events.jsonl", tb->dir);
	CHECK(evlog_open(ev));
	run_clock_start();
	struct medium *m = tb_medium(tb, 1, tb->dir);
	CHECK(m);
	if (!m)
		return;
	CHECK(wait_carrier(tb, IF_ST1, 1, 1) >= 0);
	usleep(20000);
	tx(tb, IF_AP1, -1, 1);		/* AP broadcast reaches both stations */
	CHECK_EQ(rx(tb, IF_ST1, 300), 1);
	CHECK_EQ(rx(tb, IF_ST2, 300), 1);
	tx(tb, IF_ST1, IF_AP1, 2);
	CHECK_EQ(rx(tb, IF_AP1, 300), 2);
	CHECK_EQ(rx(tb, IF_AP2, 50), -1);
	/* Move st1 to c2 with a 200 ms gap. */
	double t0 = now_s();
	CHECK_EQ(medium_move(m, IF_ST1, L_C2, 0.2), 0);
	CHECK(now_s() - t0 < 0.01);	/* does not block */
	double down = wait_carrier(tb, IF_ST1, 0, 0.5);
	CHECK(down >= 0 && down < 0.1);
	double up = wait_carrier(tb, IF_ST1, 1, 2);
	CHECK(up >= 0);
	double gap = now_s() - t0;
	if (gap < 0.18 || gap > 0.5)
		printf("  carrier back after %.3f s, expected about 0.2\n", gap);
	CHECK(gap >= 0.18 && gap < 0.5);
	usleep(20000);
	tx(tb, IF_ST1, -1, 3);		/* now heard by ap2, not ap1 */
	CHECK_EQ(rx(tb, IF_AP2, 300), 3);
	CHECK_EQ(rx(tb, IF_AP1, 100), -1);
	CHECK_EQ(rx(tb, IF_ST2, 50), -1);
	/* st2 walks out of range (snr 5 dB at 146.8 m) and back. */
	CHECK_EQ(medium_position(m, IF_ST2, 500, 0), 0);
	CHECK(wait_carrier(tb, IF_ST2, 0, 0.5) >= 0);
	tx(tb, IF_AP1, -1, 4);
	CHECK_EQ(rx(tb, IF_ST2, 100), -1);
	CHECK_EQ(medium_position(m, IF_ST2, 30, 0), 0);
	CHECK(wait_carrier(tb, IF_ST2, 1, 0.5) >= 0);
	usleep(20000);
	tx(tb, IF_AP1, -1, 5);
	CHECK_EQ(rx(tb, IF_ST2, 300), 5);
	/* In range with 80% loss from the radio (snr 10 dB at 100 m). */
	CHECK_EQ(medium_position(m, IF_ST2, 100, 0), 0);
	usleep(20000);
	for (int i = 0; i < 100; i++)
		tx(tb, IF_AP1, -1, 100 + i);
	int got = count_rx(tb, IF_ST2, 200);
	CHECK(got > 3 && got < 40);	/* loss 0.84: 16 expected */
	medium_stop(m);
	struct medium_stats st;
	medium_link_stats(m, L_C1, &st);
	CHECK(st.drop_loss >= 60);
	CHECK(st.drop_range >= 1);
	medium_free(m);
	evlog_close();
	CHECK(file_has(ev, "\"type\":\"l2_down\",\"station\":\"st1\""));
	CHECK(file_has(ev, "\"type\":\"l2_up\",\"station\":\"st1\",\"iface\":\"st1.wlan0\",\"cell\":\"c2\""));
	CHECK(file_has(ev, "\"gap\":0.200000"));
	CHECK(file_has(ev, "\"reason\":\"range\""));
}
static void cell_move_and_range(void) { in_netns(cell_move_body); }

/* ---- the socket filter, run by a small classic BPF interpreter ---- */

/* Runs prog the way the kernel would for a frame received on ifindex with
 * pkttype: the return value (0 = dropped). Only what the builder emits. */
static uint32_t bpf_run(const struct sock_filter *prog, int n, uint32_t ifindex, uint32_t pkttype)
{
	uint32_t A = 0;
	for (int pc = 0; pc >= 0 && pc < n; pc++) {
		const struct sock_filter *f = &prog[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			A = f->k == (uint32_t)(SKF_AD_OFF + SKF_AD_IFINDEX) ? ifindex :
			    f->k == (uint32_t)(SKF_AD_OFF + SKF_AD_PKTTYPE) ? pkttype : 0xdeadbeef;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += A == f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += A >= f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += A > f->k ? f->jt : f->jf; break;
		case BPF_JMP | BPF_JA: pc += (int)f->k; break;
		case BPF_RET | BPF_K: return f->k;
		default:
			printf("  unexpected BPF code 0x%x at %d\n", f->code, pc);
			return 0xbad;
		}
	}
	printf("  fell off the program\n");
	return 0xbad;
}

/* Every ifindex from 0 to past the largest: accepted exactly when listed
 * (or, for a range filter, when within the range); outgoing never. */
static int filter_check(const int *v, int n, int max)
{
	static struct sock_filter prog[MEDIUM_FILTER_MAX];
	bool exact;
	int len = medium_filter_build(v, n, prog, max, &exact);
	if (len < 0)
		return -1;
	int bad = 0, top = n ? v[n - 1] + 5 : 5;
	for (int x = 0, k = 0; x <= top; x++) {
		while (k < n && v[k] < x)
			k++;
		bool listed = k < n && v[k] == x;
		bool want = exact ? listed : n && x >= v[0] && x <= v[n - 1];
		uint32_t r = bpf_run(prog, len, (uint32_t)x, PACKET_HOST);
		bad += (r != 0) != want || (r != 0 && r != 0xffffffffu);
		bad += bpf_run(prog, len, (uint32_t)x, PACKET_OUTGOING) != 0;
		if (!exact && listed)
			bad += r == 0;
	}
	for (int i = 0; i < len; i++)	/* every jump lands inside */
		if ((prog[i].code & 0x07) == BPF_JMP) {
			long far = prog[i].code == (BPF_JMP | BPF_JA) ? (long)prog[i].k :
				   prog[i].jt > prog[i].jf ? prog[i].jt : prog[i].jf;
			bad += i + 1 + far >= len;
		}
	return exact ? bad : -2 - bad;
}

static void filter_program(void)
{
	static int v[4000];
	CHECK_EQ(filter_check(v, 0, MEDIUM_FILTER_MAX), 0);	/* no port: nothing */
	v[0] = 7;
	CHECK_EQ(filter_check(v, 1, MEDIUM_FILTER_MAX), 0);
	for (int n = 2; n < 40; n++) {	/* leaves and inner nodes of every shape */
		for (int i = 0; i < n; i++)
			v[i] = 3 + 2 * i + (i % 3);	/* gaps: the veth peers */
		int r = filter_check(v, n, MEDIUM_FILTER_MAX);
		CHECK_EQ(r, 0);
		if (r)
			printf("  n=%d\n", n);
	}
	for (int i = 0; i < 2000; i++)	/* the 1000-station case, doubled */
		v[i] = 2 + 2 * i;
	CHECK_EQ(filter_check(v, 2000, MEDIUM_FILTER_MAX), 0);
	for (int i = 0; i < 4000; i++)	/* too many for 4096: a range */
		v[i] = 2 + 2 * i;
	CHECK_EQ(filter_check(v, 4000, MEDIUM_FILTER_MAX), -2);
	CHECK_EQ(filter_check(v, 4000, 4), -1);	/* not even a range fits */
}

/* ---- many ports: set-up, the filter, a flood, a prompt stop ---- */
#define MANY 300

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void many_ports_body(struct tb *tb)
{
	static struct topo_node nodes[MANY];
	static struct topo_iface ifs[MANY];
	static int lif[MANY], fab[MANY], node[MANY];
	char err[256];
	for (int i = 0; i < MANY; i++) {
		char f[16], n[16];
		snprintf(f, sizeof(f), "mf%d", i);
		snprintf(n, sizeof(n), "mn%d", i);
		if (medium_veth_make(tb->nl, f, n, &fab[i], &node[i], err, sizeof(err)) < 0) {
			printf("  %s\n", err);
			CHECK(!"veth");
			return;
		}
		snprintf(nodes[i].name, TOPO_NAME_MAX, "h%d", i);
		ifs[i] = (struct topo_iface){ .name = "eth0", .node = i, .link = 0 };
		ifs[i].mac[0] = 2;
		ifs[i].mac[4] = (uint8_t)(i >> 8);
		ifs[i].mac[5] = (uint8_t)i;
		lif[i] = i;
	}
	struct topo_link link = { .name = "lan", .kind = TOPO_SEGMENT, .ifaces = lif, .n_ifaces = MANY };
	struct topo t = { .name = "many", .nodes = nodes, .n_nodes = MANY, .links = &link, .n_links = 1,
			  .ifaces = ifs, .n_ifaces = MANY };
	double t0 = now_s();
	struct medium *m = medium_new(&t, fab, 1, tb->dir, err, sizeof(err));
	if (!m) {
		printf("  medium_new: %s\n", err);
		CHECK(!"medium_new");
		return;
	}
	CHECK_EQ(medium_start(m), 0);
	double setup = now_s() - t0;
	if (setup > 0.1)
		printf("  medium_new + medium_start for %d ports: %.3f s, expected well under 0.1\n", MANY, setup);
	CHECK(setup < 0.5);	/* 0.1 is the target; the machine may be busy */
	CHECK(m->filter_exact);
	/* Idle: no core kept busy. */
	double c0 = cpu_s();
	usleep(300000);
	double idle = cpu_s() - c0;
	if (idle > 0.01)
		printf("  idle medium used %.1f ms of CPU in 300 ms\n", idle * 1e3);
	CHECK(idle < 0.03);
	/* One broadcast reaches the far end, and nothing comes back as foreign. */
	int s_first = tb_sock(node[0]), s_last = tb_sock(node[MANY - 1]);
	CHECK(s_first >= 0 && s_last >= 0);
	int saved[2] = { tb->fd[0], tb->fd[1] };
	tb->fd[0] = s_first;
	tb->fd[1] = s_last;	/* tx() and rx() use tb->fd[] */
	uint8_t f[64] = { 0 };
	memset(f, 0xff, 6);
	memcpy(f + 6, ifs[0].mac, 6);
	f[12] = ETH_TEST >> 8;
	f[13] = ETH_TEST & 0xff;
	CHECK(send(s_first, f, sizeof(f), 0) == (ssize_t)sizeof(f));
	CHECK_EQ(rx(tb, 1, 500), 0);
	usleep(50000);
	struct medium_stats st;
	medium_link_stats(m, 0, &st);
	CHECK_EQ(st.rx, 1);
	CHECK_EQ(st.tx, MANY - 1);
	CHECK_EQ(atomic_load(&m->n_foreign), 0);
	/* A flood: 2000 broadcasts, each for 299 ports. Stop at once. */
	struct mmsghdr mm[64];
	struct iovec iov = { f, sizeof(f) };
	for (int i = 0; i < 64; i++)
		mm[i].msg_hdr = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
	int sent = 0;
	while (sent < 2000) {
		int r = sendmmsg(s_first, mm, (unsigned)(2000 - sent < 64 ? 2000 - sent : 64), 0);
		if (r <= 0)
			break;
		sent += r;
	}
	CHECK_EQ(sent, 2000);
	usleep(20000);		/* the medium is busy flooding */
	t0 = now_s();
	medium_stop(m);
	double stop = now_s() - t0;
	double th = (double)m->stop_thread_ns * 1e-9;	/* the rest is the socket's close */
	if (th > 0.02)
		printf("  medium_stop with a backlog: the thread took %.1f ms to end, expected a few\n", th * 1e3);
	CHECK(th < 0.05);
	CHECK(stop < 0.5);
	medium_link_stats(m, 0, &st);
	uint64_t cap = capture_count(m->links[0].cap);
	printf("  %d ports: set-up %.1f ms, idle CPU %.1f ms/300 ms, stop %.1f ms (thread %.1f ms); "
	       "flood: %llu of 2001 frames read, %llu sends, %llu pending sends dropped\n",
	       MANY, setup * 1e3, idle * 1e3, stop * 1e3, th * 1e3, (unsigned long long)st.rx,
	       (unsigned long long)st.tx, (unsigned long long)atomic_load(&m->n_stop_drop));
	CHECK(st.rx < 2001);	/* it did stop before the end */
	CHECK_EQ(cap, st.rx);	/* every frame read is in the capture */
	CHECK(st.tx <= st.rx * (MANY - 1));
	CHECK(st.tx + atomic_load(&m->n_stop_drop) <= st.rx * (MANY - 1));
	medium_free(m);
	/* The capture file holds them all, flushed. */
	char path[128], perr[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/lan.pcap", tb->dir);
	pcap_t *p = pcap_open_offline(path, perr);
	CHECK(p);
	uint64_t in_file = 0;
	struct pcap_pkthdr *h;
	const u_char *d;
	while (p && pcap_next_ex(p, &h, &d) == 1)
		in_file++;
	if (p)
		pcap_close(p);
	CHECK_EQ(in_file, cap);
	unlink(path);
	close(s_first);
	close(s_last);
	tb->fd[0] = saved[0];
	tb->fd[1] = saved[1];
}
static void many_ports(void) { in_netns(many_ports_body); }

/* A capture the medium cannot write (here the file size limit, as a full
 * disk would) makes medium_fail_fd readable and medium_failed name the
 * file and the error; the file keeps whole records only. */
static void capture_fails_body(struct tb *tb)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl = { 4096, 4096 };	/* this child only */
	setrlimit(RLIMIT_FSIZE, &rl);
	struct medium *m = tb_medium(tb, 1, tb->dir);
	CHECK(m);
	if (!m)
		return;
	char msg[512] = "";
	CHECK(!medium_failed(m, msg, sizeof(msg)));
	for (int i = 0; i < 200; i++)	/* 200 x (16 + 64) bytes: past 4096 */
		tx(tb, IF_A, IF_B, (uint32_t)i);
	struct pollfd p = { .fd = medium_fail_fd(m), .events = POLLIN };
	CHECK_EQ(poll(&p, 1, 2000), 1);	/* within a flush period or two */
	CHECK(medium_failed(m, msg, sizeof(msg)));
	if (!strstr(msg, "p2p.pcap: write: File too large"))
		printf("  medium_failed: \"%s\", expected the pcap's name and EFBIG\n", msg);
	CHECK(strstr(msg, "p2p.pcap: write: File too large") != NULL);
	medium_free(m);
	char path[128];
	snprintf(path, sizeof(path), "%s/p2p.pcap", tb->dir);
	struct stat sb;
	CHECK_EQ(stat(path, &sb), 0);
	CHECK_EQ((sb.st_size - 24) % 80, 0);	/* whole 64-byte frames only */
	CHECK(sb.st_size <= 4096);
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, perr);
	CHECK(pc != NULL);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0, r = 0;
	while (pc && (r = pcap_next_ex(pc, &h, &d)) == 1)
		n++;
	CHECK_EQ(r, -2);			/* the end of the file, not an error */
	CHECK_EQ(n, (sb.st_size - 24) / 80);
	if (pc)
		pcap_close(pc);
}
static void capture_fails(void) { in_netns(capture_fails_body); }

T_MAIN_BEGIN("medium")
	RUN(p2p_delay);
	RUN(p2p_dup_rate);
	RUN(loss_replay_and_capture);
	RUN(segment_learning);
	RUN(checksum_offload);
	RUN(cell_move_and_range);
	RUN(filter_program);
	RUN(many_ports);
	RUN(capture_fails);
T_MAIN_END
