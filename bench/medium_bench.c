/* medium_bench.c — the userspace medium's timing accuracy and throughput,
 * each figure printed next to its target. Runs as root in its own network
 * namespace (unshare: the kernel frees everything at exit).
 *  (1) accuracy: 10 ms one way each direction; 1000 request/response
 *      exchanges; RTT error against 20 ms + the RTT of the same path with
 *      no delay, measured first in the same run. Kernel receive timestamps.
 *  (2) throughput: 64- and 1500-byte frames blasted through a p2p link with
 *      no impairment; frames per second and Gbit/s that reached the far end.
 * The machine's load is printed with the figures; --hog runs a CPU hog on
 * the last core meanwhile. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <math.h>
#include <net/ethernet.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "medium.h"
#include "medium_int.h"
#include "medium_veth.h"

#define ETH_BENCH 0x88b6
#define EXCHANGES 1000

static int fd_a, fd_b, tfd_b;
static atomic_bool stop_flag;
static double *cur_sent, *cur_oneway;	/* one-way A->B, seen by the responder */
static double *cur_turn;		/* the responder's own turnaround (rx stamp to send) */
static int cur_n;

static double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int bench_sock(int ifindex, int proto)
{
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	int one = 1, buf = 8 << 20;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(proto),
				   .sll_ifindex = ifindex };
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "medium_bench: AF_PACKET socket on ifindex %d: %s\n", ifindex, strerror(errno));
		exit(3);
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf));
	return fd;
}

static void frame_fill(uint8_t *f, size_t len, int to_b)
{
	memset(f, 0, len);
	memcpy(f, to_b ? "\x02\0\0\0\0\x02" : "\x02\0\0\0\0\x01", 6);
	memcpy(f + 6, to_b ? "\x02\0\0\0\0\x01" : "\x02\0\0\0\0\x02", 6);
	f[12] = ETH_BENCH >> 8;
	f[13] = ETH_BENCH & 0xff;
}

/* B answers every request at once. */
static void *responder(void *arg)
{
	uint8_t f[256];
	int one = 1;
	setsockopt(fd_b, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	while (!atomic_load(&stop_flag)) {
		struct pollfd p = { .fd = fd_b, .events = POLLIN };
		if (poll(&p, 1, 100) <= 0)
			continue;
		char cbuf[256];
		struct iovec iov = { f, sizeof(f) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		ssize_t n = recvmsg(fd_b, &mh, MSG_DONTWAIT);
		if (n < 18)
			continue;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		uint32_t s;
		memcpy(&s, f + 14, 4);
		s = ntohl(s);
		if (c && c->cmsg_type == SO_TIMESTAMPNS && s < (uint32_t)cur_n) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			cur_oneway[s] = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9 - cur_sent[s];
			cur_turn[s] = now_real() - ((double)ts.tv_sec + (double)ts.tv_nsec * 1e-9);
		}
		frame_fill(f, 14, 0);
		if (send(fd_b, f, (size_t)n, 0) < 0)
			perror("medium_bench: send (responder)");
	}
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* n exchanges paced every `pace` s; RTTs in s (kernel rx timestamp minus
 * the time just before send). Returns how many answers came back. */
static int rtt_run(double *rtt, double *oneway, double *turn, int n, double pace)
{
	uint8_t f[64];
	double *sent = calloc((size_t)n, sizeof(double));
	for (int i = 0; i < n; i++)
		rtt[i] = oneway[i] = turn[i] = -1;
	cur_sent = sent;
	cur_oneway = oneway;
	cur_turn = turn;
	cur_n = n;
	int got = 0, next = 0;
	double t_next = now_mono(), t_end = 0;
	while (got < n) {
		double t = now_mono();
		if (next < n && t >= t_next) {
			frame_fill(f, sizeof(f), 1);
			uint32_t s = htonl((uint32_t)next);
			memcpy(f + 14, &s, 4);
			sent[next] = now_real();
			if (send(fd_a, f, sizeof(f), 0) < 0)
				perror("medium_bench: send");
			next++;
			t_next += pace;
			if (next == n)
				t_end = t + 1.0;
		}
		if (next == n && t > t_end)
			break;
		int wait_ms = next < n ? (int)((t_next - now_mono()) * 1000) : 100;
		struct pollfd p = { .fd = fd_a, .events = POLLIN };
		if (poll(&p, 1, wait_ms < 0 ? 0 : wait_ms) <= 0)
			continue;
		char cbuf[256];
		struct iovec iov = { f, sizeof(f) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		ssize_t r = recvmsg(fd_a, &mh, MSG_DONTWAIT);
		if (r < 18)
			continue;
		double trx = now_real();
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				trx = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
			}
		uint32_t s;
		memcpy(&s, f + 14, 4);
		s = ntohl(s);
		if (s < (uint32_t)n && rtt[s] < 0) {
			rtt[s] = trx - sent[s];
			got++;
		}
	}
	cur_n = 0;
	usleep(1000);
	free(sent);
	return got;
}

static double pct(const double *sorted, int n, double p)
{
	int i = (int)(p * (n - 1) + 0.5);
	return sorted[i];
}

/* The error of the RTTs less the responder's own turnaround (its thread's
 * wake-up, not the medium's): what the medium adds to the two legs. */
static void accuracy_net(const double *base, const double *tb, const double *rtt, const double *tr)
{
	static double v[EXCHANGES], err[EXCHANGES];
	int k = 0;
	for (int i = 0; i < EXCHANGES; i++)
		if (base[i] >= 0 && tb[i] >= 0)
			v[k++] = base[i] - tb[i];
	if (!k)
		return;
	qsort(v, (size_t)k, sizeof(double), cmp_d);
	double b = pct(v, k, 0.5);
	k = 0;
	for (int i = 0; i < EXCHANGES; i++)
		if (rtt[i] >= 0 && tr[i] >= 0)
			err[k++] = fabs(rtt[i] - tr[i] - (0.020 + b));
	if (!k)
		return;
	qsort(err, (size_t)k, sizeof(double), cmp_d);
	printf("  less the responder's turnaround: RTT error median %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
	       pct(err, k, 0.5) * 1e6, pct(err, k, 0.99) * 1e6, pct(err, k, 0.999) * 1e6, err[k - 1] * 1e6);
}

static void accuracy(struct medium *m)
{
	static double base[EXCHANGES], rtt[EXCHANGES], err[EXCHANGES];
	static double ow_base[EXCHANGES], ow[EXCHANGES], turn_base[EXCHANGES], turn[EXCHANGES];
	int one = 1;
	setsockopt(fd_a, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	pthread_t th;
	atomic_store(&stop_flag, false);
	pthread_create(&th, NULL, responder, NULL);
	usleep(50000);
	int nb = rtt_run(base, ow_base, turn_base, EXCHANGES, 0.005);
	static double bs[EXCHANGES];
	memcpy(bs, base, sizeof(bs));
	qsort(bs, (size_t)EXCHANGES, sizeof(double), cmp_d);
	double b = pct(bs + (EXCHANGES - nb), nb, 0.5);
	struct topo_impair d10 = { .delay = 0.010 };
	medium_link_set(m, 0, -1, &d10);
	usleep(50000);
	int n = rtt_run(rtt, ow, turn, EXCHANGES, 0.005);
	atomic_store(&stop_flag, true);
	pthread_join(th, NULL);
	int k = 0;
	for (int i = 0; i < EXCHANGES; i++)
		if (rtt[i] >= 0)
			err[k++] = fabs(rtt[i] - (0.020 + b));
	qsort(err, (size_t)k, sizeof(double), cmp_d);
	printf("accuracy: 10 ms each way, %d/%d exchanges answered, baseline RTT (no delay) %.1f us (%d answered)\n",
	       n, EXCHANGES, b * 1e6, nb);
	if (!k)
		return;
	printf("  RTT error median  %8.1f us\n", pct(err, k, 0.5) * 1e6);
	printf("  RTT error p99     %8.1f us   (target < 100 us)  %s\n", pct(err, k, 0.99) * 1e6,
	       pct(err, k, 0.99) < 100e-6 ? "ok" : "MISSED");
	printf("  RTT error p99.9   %8.1f us\n", pct(err, k, 0.999) * 1e6);
	printf("  RTT error max     %8.1f us\n", err[k - 1] * 1e6);
	accuracy_net(base, turn_base, rtt, turn);
	/* The same for the A->B leg alone (B's kernel receive time). */
	int kb = 0;
	for (int i = 0; i < EXCHANGES; i++)
		if (ow_base[i] >= 0)
			ow_base[kb++] = ow_base[i];
	qsort(ow_base, (size_t)kb, sizeof(double), cmp_d);
	double ob = kb ? pct(ow_base, kb, 0.5) : 0;
	k = 0;
	for (int i = 0; i < EXCHANGES; i++)
		if (ow[i] >= 0)
			err[k++] = ow[i] - (0.010 + ob);
	qsort(err, (size_t)k, sizeof(double), cmp_d);
	if (getenv("MEDIUM_BENCH_DEBUG") && k)
		printf("  signed one-way error: p1 %.1f p10 %.1f p50 %.1f p90 %.1f p99 %.1f us\n",
		       pct(err, k, 0.01) * 1e6, pct(err, k, 0.1) * 1e6, pct(err, k, 0.5) * 1e6,
		       pct(err, k, 0.9) * 1e6, pct(err, k, 0.99) * 1e6);
	for (int i = 0; i < k; i++)
		err[i] = fabs(err[i]);
	qsort(err, (size_t)k, sizeof(double), cmp_d);
	if (k)
		printf("  one-way A->B error (baseline %.1f us): median %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
		       ob * 1e6, pct(err, k, 0.5) * 1e6, pct(err, k, 0.99) * 1e6,
		       pct(err, k, 0.999) * 1e6, err[k - 1] * 1e6);
	medium_stop(m);
	static int64_t late[MEDIUM_LATE_N];
	static double lated[MEDIUM_LATE_N];
	int nl = medium_lateness(m, late, MEDIUM_LATE_N);
	for (int i = 0; i < nl; i++)
		lated[i] = (double)late[i];
	qsort(lated, (size_t)nl, sizeof(double), cmp_d);
	if (nl)
		printf("  medium's own lateness (send - due, %d frames): median %.1f us, p99 %.1f us, max %.1f us\n",
		       nl, pct(lated, nl, 0.5) / 1e3, pct(lated, nl, 0.99) / 1e3, lated[nl - 1] / 1e3);
}

static atomic_ulong rx_frames;

static void *sink(void *arg)
{
	enum { B = 64 };
	static uint8_t buf[B][2048];
	struct mmsghdr msg[B];
	struct iovec iov[B];
	for (int i = 0; i < B; i++) {
		iov[i] = (struct iovec){ buf[i], sizeof(buf[i]) };
		msg[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	while (!atomic_load(&stop_flag)) {
		struct pollfd p = { .fd = tfd_b, .events = POLLIN };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int n = recvmmsg(tfd_b, msg, B, MSG_DONTWAIT, NULL);
		if (n > 0)
			atomic_fetch_add(&rx_frames, (unsigned long)n);
	}
	return NULL;
}

static void throughput_frames(struct medium *m, size_t len, double secs, double target_pps,
			      double target_gbit, const uint8_t *dst, const uint8_t *src, int link);
static void throughput(struct medium *m, size_t len, double secs, double target_pps, double target_gbit)
{
	throughput_frames(m, len, secs, target_pps, target_gbit, NULL, NULL, 0);
}

static void throughput_frames(struct medium *m, size_t len, double secs, double target_pps,
			      double target_gbit, const uint8_t *dst, const uint8_t *src, int link)
{
	enum { B = 64 };
	static uint8_t f[B][1514];
	struct mmsghdr msg[B];
	struct iovec iov[B];
	for (int i = 0; i < B; i++) {
		frame_fill(f[i], len, 1);
		if (dst) {
			memcpy(f[i], dst, 6);
			memcpy(f[i] + 6, src, 6);
		}
		iov[i] = (struct iovec){ f[i], len };
		msg[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	atomic_store(&stop_flag, false);
	atomic_store(&rx_frames, 0);
	pthread_t th;
	pthread_create(&th, NULL, sink, NULL);
	usleep(20000);
	struct medium_stats s0, s1;
	medium_link_stats(m, link, &s0);
	unsigned long sent = 0;
	double t0 = now_mono(), t1;
	while ((t1 = now_mono()) - t0 < secs) {
		int r = sendmmsg(fd_a, msg, B, 0);
		if (r > 0)
			sent += (unsigned long)r;
		else
			sched_yield();
	}
	usleep(100000);	/* what is in flight arrives */
	atomic_store(&stop_flag, true);
	pthread_join(th, NULL);
	medium_link_stats(m, link, &s1);
	double el = t1 - t0;
	double pps = (double)atomic_load(&rx_frames) / el;
	double gbit = pps * (double)len * 8 / 1e9;
	printf("throughput %4zu-byte frames: offered %.0f pps, medium read %.0f pps, delivered %.0f pps = %.3f Gbit/s",
	       len, (double)sent / el, (double)(s1.rx - s0.rx) / el, pps, gbit);
	bool ok = target_pps > 0 ? pps >= target_pps : gbit >= target_gbit;
	const char *why = ok ? "ok" : pps >= 0.99 * (double)sent / el ?
		"MISSED (the sender was the limit: the medium forwarded all it was offered)" : "MISSED";
	if (target_pps > 0)
		printf("   (target %.0f pps)  %s\n", target_pps, why);
	else
		printf("   (target %.1f Gbit/s)  %s\n", target_gbit, why);
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU the medium uses with no traffic (this thread sleeps meanwhile). */
static void idle_cpu(struct medium *m)
{
	(void)m;
	usleep(100000);
	double c0 = cpu_now(), t0 = now_mono();
	usleep(1000000);
	double c = cpu_now() - c0, el = now_mono() - t0;
	printf("scale: idle medium: %.1f ms of CPU per second   (target ~0)  %s\n", c / el * 1e3,
	       c / el < 0.01 ? "ok" : "MISSED");
}

/* A backlog of broadcasts (each to `fanout` ports), then medium_stop: how
 * long it takes, and what was dropped rather than sent. */
static void stop_backlog(struct medium *m, int fd, const uint8_t *src, int fanout)
{
	enum { B = 64, N = 5000 };
	static uint8_t f[64];
	struct mmsghdr msg[B];
	struct iovec iov = { f, sizeof(f) };
	frame_fill(f, sizeof(f), 1);
	memset(f, 0xff, 6);
	memcpy(f + 6, src, 6);
	for (int i = 0; i < B; i++)
		msg[i].msg_hdr = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
	int sent = 0;
	while (sent < N) {
		int r = sendmmsg(fd, msg, (unsigned)(N - sent < B ? N - sent : B), 0);
		if (r <= 0)
			break;
		sent += r;
	}
	usleep(20000);
	double t0 = now_mono();
	medium_stop(m);
	double el = now_mono() - t0;
	double th = (double)m->stop_thread_ns * 1e-9;
	printf("scale: medium_stop with a backlog of %d broadcasts to %d ports each: thread ended in %.1f ms"
	       "   (target a few ms)  %s;\n       %llu pending sends dropped; then the socket's close %.1f ms"
	       " (one synchronize_net), %.1f ms in all\n", sent, fanout, th * 1e3, th < 0.01 ? "ok" : "MISSED",
	       (unsigned long long)atomic_load(&m->n_stop_drop), (double)m->stop_close_ns * 1e-6, el * 1e3);
}

/* (3) scale: 1000 stations in 20 cells (1020 ports) on the one socket:
 * start-up time, idle CPU, station->AP unicast, stop with a backlog. */
static struct medium *bench_medium_quiet(struct topo *t, const int *fab);
#define SC_CELLS 20
#define SC_STA 50
static void scale(struct nl_sock *nl)
{
	enum { NP = SC_CELLS * (SC_STA + 1) };
	static struct topo_node nodes[NP];
	static struct topo_iface ifs[NP];
	static struct topo_link links[SC_CELLS];
	static int lif[SC_CELLS][SC_STA + 1], fab[NP], node[NP];
	char err[256];
	double t0 = now_mono();
	for (int i = 0; i < NP; i++) {
		int c = i / (SC_STA + 1), k = i % (SC_STA + 1);
		char f[16], n[16];
		snprintf(f, sizeof(f), "sf%d", i);
		snprintf(n, sizeof(n), "sn%d", i);
		if (medium_veth_make(nl, f, n, &fab[i], &node[i], err, sizeof(err)) < 0) {
			printf("scale: %s\n", err);
			return;
		}
		snprintf(nodes[i].name, TOPO_NAME_MAX, k ? "st%d" : "ap%d", i);
		ifs[i] = (struct topo_iface){ .name = "wlan0", .node = i, .link = c, .radio = k != 0 };
		ifs[i].mac[0] = 2;
		ifs[i].mac[4] = (uint8_t)(i >> 8);
		ifs[i].mac[5] = (uint8_t)i;
		lif[c][k] = i;
	}
	for (int c = 0; c < SC_CELLS; c++) {
		links[c] = (struct topo_link){ .kind = TOPO_CELL, .ifaces = lif[c], .n_ifaces = SC_STA + 1,
					       .radio = { .tx_power = 20, .ref_loss = 40, .exponent = 3,
							  .noise = -90, .snr_min = 5, .snr_good = 25 } };
		snprintf(links[c].name, TOPO_NAME_MAX, "cell%d", c);
	}
	struct topo t = { .name = "scale", .nodes = nodes, .n_nodes = NP, .links = links,
			  .n_links = SC_CELLS, .ifaces = ifs, .n_ifaces = NP };
	double t1 = now_mono();
	struct medium *m = bench_medium_quiet(&t, fab);
	double t2 = now_mono();
	printf("scale: %d cells, %d ports: veth set-up %.2f s, medium_new + medium_start %.1f ms   (target < 100 ms)  %s\n",
	       SC_CELLS, NP, t1 - t0, (t2 - t1) * 1e3, t2 - t1 < 0.1 ? "ok" : "MISSED");
	idle_cpu(m);
	/* Station 1 of cell 7 blasts 64-byte unicast frames to its AP. */
	int st = 7 * (SC_STA + 1) + 1, ap = 7 * (SC_STA + 1);
	fd_a = bench_sock(node[st], ETH_BENCH);
	tfd_b = bench_sock(node[ap], ETH_BENCH);
	usleep(100000);
	uint8_t hello[64];	/* the AP speaks first: its MAC is learnt */
	frame_fill(hello, sizeof(hello), 0);
	memset(hello, 0xff, 6);
	memcpy(hello + 6, ifs[ap].mac, 6);
	if (send(tfd_b, hello, sizeof(hello), 0) < 0)
		perror("medium_bench: send (AP hello)");
	usleep(10000);
	throughput_frames(m, 64, 1.0, 200000, 0, ifs[ap].mac, ifs[st].mac, 7);
	stop_backlog(m, fd_a, ifs[st].mac, SC_STA);
	medium_free(m);
	close(fd_a);
	close(tfd_b);
}

static struct medium *bench_medium_quiet(struct topo *t, const int *fab)
{
	char err[256];
	struct medium *m = medium_new(t, fab, 1, NULL, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "medium_bench: %s\n", err);
		exit(3);
	}
	if (medium_start(m) < 0) {
		fprintf(stderr, "medium_bench: medium_start failed\n");
		exit(3);
	}
	return m;
}

static struct medium *bench_medium(struct topo *t, const int *fab)
{
	struct medium *m = bench_medium_quiet(t, fab);
	usleep(100000);
	return m;
}

/* The floor under the medium's lateness: a bare timerfd loop (1000
 * wake-ups 1 ms apart) in a thread scheduled as the sender thread is. */
static void *timer_floor_run(void *arg)
{
	static double late[1000];
	int n = 1000, fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	medium_sched();
	for (int i = 0; i < n && fd >= 0; i++) {
		double t = now_mono() + 0.001;
		struct itimerspec its = { .it_value = { .tv_sec = (time_t)t,
							.tv_nsec = (long)((t - (double)(time_t)t) * 1e9) } };
		uint64_t v;
		timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
		if (read(fd, &v, sizeof(v)) < 0)
			break;
		late[i] = now_mono() - t;
	}
	if (fd >= 0)
		close(fd);
	qsort(late, (size_t)n, sizeof(double), cmp_d);
	printf("timer floor: a bare timerfd wake-up (the sender's scheduling%s) is late by median %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us\n",
	       getenv("ROAM_MEDIUM_FIFO") ? ", SCHED_FIFO" : "", pct(late, n, 0.5) * 1e6, pct(late, n, 0.99) * 1e6,
	       pct(late, n, 0.999) * 1e6, late[n - 1] * 1e6);
	(void)arg;
	return NULL;
}

static void timer_floor(void)
{
	pthread_t th;
	if (pthread_create(&th, NULL, timer_floor_run, NULL) == 0)
		pthread_join(th, NULL);
}

/* The machine's load next to the figures: they mean little without it. */
static void load_print(const char *when)
{
	double la[3] = { -1, -1, -1 };
	if (getloadavg(la, 3) < 0)
		la[0] = la[1] = la[2] = -1;
	printf("machine load %s: %.2f %.2f %.2f (1, 5, 15 min) on %ld cores\n", when, la[0], la[1], la[2],
	       sysconf(_SC_NPROCESSORS_ONLN));
}

/* --hog: a process that spins on the last core for the whole benchmark,
 * ended by its pid (and by PR_SET_PDEATHSIG if the benchmark dies). */
static pid_t hog_start(void)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("medium_bench: fork (hog)");
		return -1;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET((int)sysconf(_SC_NPROCESSORS_ONLN) - 1, &set);
		sched_setaffinity(0, sizeof(set), &set);
		for (volatile unsigned long x = 0;; x++)
			;
	}
	printf("a CPU hog runs on core %ld (pid %d)\n", sysconf(_SC_NPROCESSORS_ONLN) - 1, (int)pid);
	return pid;
}

int main(int argc, char **argv)
{
	bool hog = argc > 1 && !strcmp(argv[1], "--hog");
	if (argc > 1 && !hog) {
		fprintf(stderr, "usage: medium_bench [--hog]\n");
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "medium_bench: needs root (network namespaces, veth)\n");
		return 3;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "medium_bench: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return 3;
	}
	int fd = open("/proc/sys/net/ipv6/conf/default/disable_ipv6", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			perror("medium_bench: disable_ipv6");
		close(fd);
	}
	struct nl_sock *nl = nl_socket_alloc();
	if (!nl || nl_connect(nl, NETLINK_ROUTE) < 0) {
		fprintf(stderr, "medium_bench: nl_connect failed\n");
		return 3;
	}
	char err[256];
	int fab[2], node[2];
	if (medium_veth_make(nl, "fa", "na", &fab[0], &node[0], err, sizeof(err)) < 0 ||
	    medium_veth_make(nl, "fb", "nb", &fab[1], &node[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "medium_bench: %s\n", err);
		return 3;
	}
	struct topo_node nodes[2] = { { .name = "a" }, { .name = "b" } };
	int lif[2] = { 0, 1 };
	struct topo_iface ifs[2] = { { .name = "eth0", .node = 0, .link = 0 },
				     { .name = "eth0", .node = 1, .link = 0 } };
	struct topo_link link = { .name = "ab", .kind = TOPO_P2P, .ifaces = lif, .n_ifaces = 2 };
	struct topo t = { .name = "bench", .nodes = nodes, .n_nodes = 2, .links = &link, .n_links = 1,
			  .ifaces = ifs, .n_ifaces = 2 };
	fd_a = bench_sock(node[0], ETH_BENCH);
	fd_b = bench_sock(node[1], ETH_BENCH);
	pid_t hog_pid = hog ? hog_start() : -1;
	load_print("at start");
	timer_floor();
	struct medium *m = bench_medium(&t, fab);
	accuracy(m);
	medium_free(m);
	close(fd_b);
	tfd_b = bench_sock(node[1], ETH_BENCH);
	m = bench_medium(&t, fab);
	throughput(m, 64, 2.0, 200000, 0);
	throughput(m, 1500, 2.0, 0, 1.0);
	medium_free(m);
	close(fd_a);
	close(tfd_b);
	scale(nl);
	nl_socket_free(nl);
	load_print("at end");
	if (hog_pid > 0) {
		kill(hog_pid, SIGKILL);
		waitpid(hog_pid, NULL, 0);
	}
	return 0;
}
