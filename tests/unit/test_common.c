/* test_common.c — nodes/common: conf, hmac, cksum, ev timers, ctl. */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "t.h"
#include "conf.h"
#include "counters.h"
#include "ctl.h"
#include "cksum.h"
#include "ev.h"
#include "hmac.h"
#include "netif.h"
#include <errno.h>
#include <sched.h>
#include <linux/rtnetlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

static void test_conf_parse(void)
{
	static const char text[] =
		"# a comment\n"
		"node ha\n"
		"role mip4.ha\n"
		"iface eth0 mac 02:aa:bb:cc:dd:01 addr4 10.0.1.1/24 addr6 fd00:1::1/64 link home kind segment\n"
		"iface eth1 addr4 10.0.0.2/30 link wan kind p2p\n"
		"\n"
		"adv_interval 1.5\n"
		"reverse_tunnel yes\n"
		"home_agent 10.0.1.1\n"
		"key some text key  \n"
		"adv_interval 2\n";
	struct conf c;
	char err[256] = "";
	const struct conf_iface *i;
	double d; bool b; long l; struct in_addr a; bool set;

	CHECK_EQ(conf_parse(text, "t.conf", &c, err, sizeof(err)), 0);
	CHECK_STR(c.node, "ha");
	CHECK_STR(c.role, "mip4.ha");
	CHECK_EQ(c.n_ifaces, 2);
	i = conf_iface_find(&c, "eth0");
	CHECK(i != NULL);
	if (i) {
		CHECK(i->has_mac && i->mac[0] == 0x02 && i->mac[5] == 0x01);
		CHECK(i->has_addr4 && i->plen4 == 24 && i->addr4.s_addr == inet_addr("10.0.1.1"));
		CHECK(i->has_addr6 && i->plen6 == 64);
		CHECK_STR(i->link, "home");
		CHECK_STR(i->kind, "segment");
	}
	CHECK(conf_iface_find(&c, "eth9") == NULL);
	CHECK_EQ(conf_double(&c, "adv_interval", 0, &d, err, sizeof(err)), 0);
	CHECK(d == 2.0);			/* the last one wins */
	CHECK_EQ(conf_bool(&c, "reverse_tunnel", false, &b, err, sizeof(err)), 0);
	CHECK(b);
	CHECK_EQ(conf_int(&c, "missing", 7, &l, err, sizeof(err)), 0);
	CHECK_EQ(l, 7);
	CHECK_EQ(conf_int(&c, "home_agent", 7, &l, err, sizeof(err)), -1);
	CHECK(strstr(err, "expected an integer") != NULL);
	CHECK_EQ(conf_addr4(&c, "home_agent", &a, &set, err, sizeof(err)), 0);
	CHECK(set && a.s_addr == inet_addr("10.0.1.1"));
	CHECK_STR(conf_get(&c, "key"), "some text key");
	CHECK_EQ(conf_bool(&c, "key", false, &b, err, sizeof(err)), -1);
}

static void test_conf_errors(void)
{
	struct conf c;
	char err[256] = "";
	CHECK_EQ(conf_parse("node x\niface eth0 addr4 10.0.0.300/24\n", "a.conf", &c,
			    err, sizeof(err)), -1);
	CHECK(strstr(err, "a.conf:2") != NULL);
	CHECK_EQ(conf_parse("iface eth0 mac\n", "b.conf", &c, err, sizeof(err)), -1);
	CHECK(strstr(err, "b.conf:1") != NULL);
	CHECK_EQ(conf_parse("iface eth0 mac 02:00:00:00:00\n", "c.conf", &c, err,
			    sizeof(err)), -1);
}

/* Expected values computed independently:
 *   printf 'abc' | openssl dgst -md5 -hmac key
 *   printf 'abc' | openssl dgst -sha1 -hmac key */
static void test_hmac(void)
{
	static const uint8_t md5[16] = { 0xd2, 0xfe, 0x98, 0x06, 0x3f, 0x87, 0x6b, 0x03,
		0x19, 0x3a, 0xfb, 0x49, 0xb4, 0x97, 0x95, 0x91 };
	static const uint8_t sha1[20] = { 0x4f, 0xd0, 0xb2, 0x15, 0x27, 0x6e, 0xf1, 0x2f,
		0x2b, 0x3e, 0x4c, 0x8e, 0xca, 0xc2, 0x81, 0x14, 0x98, 0xb6, 0x56, 0xfc };
	uint8_t out[20], key[8];

	CHECK_EQ(hmac_md5("key", 3, "abc", 3, out), 0);
	CHECK(hmac_equal(out, md5, 16));
	CHECK_EQ(hmac_sha1("key", 3, "abc", 3, out), 0);
	CHECK(hmac_equal(out, sha1, 20));
	out[0] ^= 1;
	CHECK(!hmac_equal(out, sha1, 20));
	CHECK_EQ(hmac_key_parse("0x0aFf", key, sizeof(key)), 2);
	CHECK(key[0] == 0x0a && key[1] == 0xff);
	CHECK_EQ(hmac_key_parse("secret", key, sizeof(key)), 6);
	CHECK(!memcmp(key, "secret", 6));
	CHECK_EQ(hmac_key_parse("0xabc", key, sizeof(key)), -1);
	CHECK_EQ(hmac_key_parse("0xzz", key, sizeof(key)), -1);
	CHECK_EQ(hmac_key_parse("longer than eight", key, sizeof(key)), -1);
}

/* The IPv4 header 4500 0073 0000 4000 4011 xxxx c0a8 0001 c0a8 00c7 has the
 * checksum b861: the nine other words sum to 0x2479c, folded 0x479e, and
 * ~0x479e = 0xb861. */
static void test_cksum(void)
{
	uint8_t h[20] = { 0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0,
			  0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7 };
	CHECK_EQ(cksum(h, 20), 0xb861);
	cksum_put(h + 10, cksum(h, 20));
	CHECK_EQ(cksum(h, 20), 0);		/* a correct header sums to zero */
	CHECK_EQ(cksum("\x01", 1), 0xfeff);	/* odd length padded with zero */
}

static int fired[3];
static void on_timer(struct ev_timer *t, void *arg) { fired[(intptr_t)arg]++; }

static void test_ev_timers(void)
{
	struct ev_timer a, b, c;
	uint64_t t0 = ev_now_ms();

	CHECK_EQ(ev_init(), 0);
	memset(fired, 0, sizeof(fired));
	CHECK_EQ(ev_timer_init(&a, on_timer, (void *)0), 0);
	CHECK_EQ(ev_timer_init(&b, on_timer, (void *)1), 0);
	CHECK_EQ(ev_timer_init(&c, on_timer, (void *)2), 0);
	ev_timer_arm_ms(&a, 30);
	ev_timer_arm_ms(&b, 10);
	ev_timer_arm_ms(&c, 20);
	ev_timer_disarm(&c);
	CHECK(!ev_timer_armed(&c));
	CHECK(ev_timer_left_ms(&a) > 10 && ev_timer_left_ms(&a) <= 30);
	while (ev_now_ms() - t0 < 80)
		ev_run_once(10);
	CHECK_EQ(fired[0], 1);
	CHECK_EQ(fired[1], 1);
	CHECK_EQ(fired[2], 0);
	CHECK(!ev_timer_armed(&a));
	ev_timer_free(&a); ev_timer_free(&b); ev_timer_free(&c);
	ev_done();
}

static int h_echo(FILE *out, const char *args, void *arg)
{
	uint64_t v[2] = { 3, 4 };
	static const char *const names[2] = { "rx", "tx" };
	fprintf(out, "args=%s tag=%s\n", args, (const char *)arg);
	counters_print(out, names, v, 2);
	return 0;
}
static int h_fail(FILE *out, const char *args, void *arg) { return -1; }

static void test_ctl_dispatch(void)
{
	char *buf = NULL; size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_EQ(ctl_register("echo", h_echo, "T"), 0);
	CHECK_EQ(ctl_register("fail", h_fail, NULL), 0);
	CHECK_EQ(ctl_dispatch("echo a b", f), 0);
	CHECK_EQ(ctl_dispatch("fail", f), -1);
	CHECK_EQ(ctl_dispatch("nosuch", f), -1);
	fclose(f);
	CHECK_STR(buf, "args=a b tag=T\nrx 3\ntx 4\nok\nerror: fail failed\n"
		  "error: unknown request \"nosuch\" (try help)\n");
	free(buf);
}

static void test_ctl_socket(void)
{
	char path[64], ans[256] = "";
	int p[2], st;
	pid_t pid;
	ssize_t n;

	snprintf(path, sizeof(path), "/tmp/roam-test-ctl.%d", (int)getpid());
	CHECK_EQ(ev_init(), 0);
	CHECK_EQ(ctl_register("echo", h_echo, "S"), 0);
	if (ctl_open(path) < 0) {
		ev_done();
		SKIP("cannot bind a UNIX socket in /tmp");
	}
	CHECK(pipe(p) == 0);
	if ((pid = fork()) == 0) {
		char b[256];
		int rc = ctl_query(path, "echo x", b, sizeof(b));
		if (write(p[1], b, strlen(b)) < 0)
			_exit(2);
		_exit(rc == 0 ? 0 : 1);
	}
	close(p[1]);
	for (int i = 0; i < 50 && waitpid(pid, &st, WNOHANG) == 0; i++)
		ev_run_once(20);
	n = read(p[0], ans, sizeof(ans) - 1);
	ans[n > 0 ? n : 0] = 0;
	close(p[0]);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_STR(ans, "args=x tag=S\nrx 3\ntx 4\nok\n");
	ctl_close();
	CHECK(access(path, F_OK) != 0);
	ev_done();
}

/* In a child's own network namespace: lo holds what router advertisements
 * would leave (a dynamic global address, a "proto ra" route) next to a
 * permanent address; netif_flush6_ra removes the first two only. */
static int nl_count(struct nl_sock *sk, const char *addr, int proto)
{
	struct nl_cache *c = NULL;
	int n = 0;
	char b[64];
	if (addr) {
		if (rtnl_addr_alloc_cache(sk, &c) < 0)
			return -1;
		for (struct nl_object *o = nl_cache_get_first(c); o; o = nl_cache_get_next(o))
			if (nl_addr2str(rtnl_addr_get_local((struct rtnl_addr *)o), b, sizeof(b)) &&
			    !strcmp(b, addr))
				n++;
	} else {
		if (rtnl_route_alloc_cache(sk, AF_INET6, 0, &c) < 0)
			return -1;
		for (struct nl_object *o = nl_cache_get_first(c); o; o = nl_cache_get_next(o))
			if (rtnl_route_get_protocol((struct rtnl_route *)o) == proto)
				n++;
	}
	nl_cache_free(c);
	return n;
}

static int flush_child(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *la = NULL, *d = NULL;
	struct in6_addr perm;
	int lo, bad = 0;

	if (unshare(CLONE_NEWNET) < 0)
		return 77;
	if (!sk || !a || !r || !nh || nl_connect(sk, NETLINK_ROUTE) < 0 ||
	    netif_set_up("lo") < 0 || !(lo = netif_index("lo")))
		return 78;
	/* what SLAAC leaves: a global address with lifetimes */
	if (nl_addr_parse("fd00:9::5/64", AF_INET6, &la) < 0)
		return 78;
	rtnl_addr_set_ifindex(a, lo);
	rtnl_addr_set_family(a, AF_INET6);
	rtnl_addr_set_local(a, la);
	rtnl_addr_set_flags(a, IFA_F_NODAD);
	rtnl_addr_set_valid_lifetime(a, 100);
	rtnl_addr_set_preferred_lifetime(a, 100);
	if (rtnl_addr_add(sk, a, 0) < 0)
		return 78;
	/* a route from a router advertisement */
	if (nl_addr_parse("fd00:7::/64", AF_INET6, &d) < 0)
		return 78;
	rtnl_route_set_family(r, AF_INET6);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_dst(r, d);
	rtnl_route_set_protocol(r, RTPROT_RA);
	rtnl_route_nh_set_ifindex(nh, lo);
	rtnl_route_add_nexthop(r, nh);
	if (rtnl_route_add(sk, r, NLM_F_CREATE) < 0)
		return 78;
	/* the daemon's own (permanent) address stays */
	inet_pton(AF_INET6, "fd00:8::5", &perm);
	if (netif_addr6_add(lo, &perm, 64, IFA_F_NODAD) < 0)
		return 78;
	if (nl_count(sk, "fd00:9::5/64", 0) != 1 || nl_count(sk, NULL, RTPROT_RA) != 1)
		return 78;
	if (netif_flush6_ra(lo) < 0)
		bad |= 1;
	if (nl_count(sk, "fd00:9::5/64", 0) != 0)
		bad |= 2;
	if (nl_count(sk, NULL, RTPROT_RA) != 0)
		bad |= 4;
	if (nl_count(sk, "fd00:8::5/64", 0) != 1)
		bad |= 8;
	return bad;
}

static void test_netif_flush6_ra(void)
{
	pid_t pid;
	int st = 0;

	if (geteuid() != 0)
		SKIP("needs root (a network namespace)");
	fflush(stdout);
	if ((pid = fork()) == 0)
		_exit(flush_child());
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
		SKIP("unshare(CLONE_NEWNET) not permitted");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) != 78);	/* set-up */
	CHECK_EQ(WIFEXITED(st) ? WEXITSTATUS(st) : -1, WEXITSTATUS(st) == 78 ? 78 : 0);
}

T_MAIN_BEGIN("common")
	RUN(test_conf_parse);
	RUN(test_conf_errors);
	RUN(test_hmac);
	RUN(test_cksum);
	RUN(test_ev_timers);
	RUN(test_ctl_dispatch);
	RUN(test_ctl_socket);
	RUN(test_netif_flush6_ra);
T_MAIN_END
