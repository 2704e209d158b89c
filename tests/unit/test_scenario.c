/* test_scenario.c — the scenario clock against a fake run: a struct scn_ops
 * that records every call and advances a fake clock in wait_until. The
 * scenarios are in tests/scenario/. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <sys/socket.h>
#include "t.h"
#include "scenario.h"

#define FAKE_MAX 64

struct fake {
	double t;		/* the fake run clock */
	double stop_at;		/* wait_until(t >= stop_at) returns -1; <0: never */
	bool went_back;		/* wait_until was asked for an earlier time */
	int n_waits;
	char calls[FAKE_MAX][256];
	int n;
	struct topo topo;
};

static void fake_rec(struct fake *f, const char *fmt, ...)
{
	va_list ap;
	if (f->n >= FAKE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(f->calls[f->n++], sizeof(f->calls[0]), fmt, ap);
	va_end(ap);
}

static int fake_wait_until(void *ctx, double t)
{
	struct fake *f = ctx;
	if (t < f->t)
		f->went_back = true;
	f->n_waits++;
	if (f->stop_at >= 0 && t >= f->stop_at)
		return -1;
	f->t = t;
	return 0;
}

static int fake_link_find(struct fake *f, const char *name);

static int fake_move(void *ctx, const char *st, const char *cell, double gap,
		     char *err, size_t errlen)
{
	struct fake *f = ctx;
	int c = fake_link_find(f, cell);

	fake_rec(f, "%g move %s %s %g", f->t, st, cell, gap);
	if (c < 0 || strcmp(st, "sta")) {
		snprintf(err, errlen, "fake: cannot move %s to %s", st, cell);
		return -1;
	}
	f->topo.ifaces[0].link = c;	/* sta's radio */
	return 0;
}

static int fake_position(void *ctx, const char *node, double x, double y,
			 char *err, size_t errlen)
{
	fake_rec(ctx, "%g position %s %g %g", ((struct fake *)ctx)->t, node, x, y);
	return 0;
}

static int fake_link_find(struct fake *f, const char *name)
{
	for (int i = 0; i < f->topo.n_links; i++)
		if (!strcmp(f->topo.links[i].name, name))
			return i;
	return -1;
}

static int fake_link_set(void *ctx, const char *link, int dir,
			 const struct topo_impair *imp, char *err, size_t errlen)
{
	struct fake *f = ctx;
	int i = fake_link_find(f, link);
	if (i < 0) {
		snprintf(err, errlen, "no link %s", link);
		return -1;
	}
	f->topo.links[i].imp[dir] = *imp;
	fake_rec(f, "%g link_set %s %d delay=%g loss=%g", f->t, link, dir, imp->delay, imp->loss);
	return 0;
}

static int fake_link_get(void *ctx, const char *link, int dir, struct topo_impair *imp,
			 char *err, size_t errlen)
{
	struct fake *f = ctx;
	int i = fake_link_find(f, link);
	if (i < 0) {
		snprintf(err, errlen, "no link %s", link);
		return -1;
	}
	*imp = f->topo.links[i].imp[dir];
	return 0;
}

static void fake_argv(char *buf, size_t len, char *const argv[])
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "", argv[i]);
}

static int fake_exec(void *ctx, const char *node, char *const argv[], double timeout,
		     int *status, char **out, char *err, size_t errlen)
{
	char a[200];
	fake_argv(a, sizeof(a), argv);
	fake_rec(ctx, "%g exec %s %s timeout=%g", ((struct fake *)ctx)->t, node, a, timeout);
	*status = 0;
	*out = strdup(strcmp(argv[0], "ping") ? "pong" :
		      "64 bytes from 10.0.9.2: icmp_seq=1 ttl=63 time=41.2 ms\n");
	return 0;
}

static int fake_spawn(void *ctx, const char *node, char *const argv[], int *handle,
		      char *err, size_t errlen)
{
	struct fake *f = ctx;
	char a[220];
	fake_argv(a, sizeof(a), argv);
	fake_rec(f, "%g spawn %s %s", f->t, node, a);
	*handle = f->n;
	return 0;
}

/* A small hand-made topology: sta on cell1 (radio), srv behind r-srv. */
static int fake_ifaces[2][1] = { { 0 }, { 1 } };
static int fake_link_ifaces[3][1] = { { 0 }, { 0 }, { 1 } };

static void fake_addr(struct topo_prefix *p, int family, const char *a, int plen)
{
	p->family = family;
	inet_pton(family, a, p->addr);
	p->plen = plen;
}

static void fake_init(struct fake *f)
{
	static struct topo_node nodes[2];
	static struct topo_link links[3];
	static struct topo_iface ifaces[2];

	memset(f, 0, sizeof(*f));
	memset(nodes, 0, sizeof(nodes));
	memset(links, 0, sizeof(links));
	memset(ifaces, 0, sizeof(ifaces));
	f->stop_at = -1;
	snprintf(f->topo.name, sizeof(f->topo.name), "fake");
	snprintf(nodes[0].name, TOPO_NAME_MAX, "sta");
	snprintf(nodes[0].role, TOPO_NAME_MAX, "host");
	nodes[0].ifaces = fake_ifaces[0];
	nodes[0].n_ifaces = 1;
	snprintf(nodes[1].name, TOPO_NAME_MAX, "srv");
	snprintf(nodes[1].role, TOPO_NAME_MAX, "host");
	nodes[1].ifaces = fake_ifaces[1];
	nodes[1].n_ifaces = 1;
	snprintf(ifaces[0].name, TOPO_IFNAME_MAX, "wlan0");
	ifaces[0].node = 0;
	ifaces[0].link = 0;
	ifaces[0].radio = true;
	fake_addr(&ifaces[0].v4, AF_INET, "10.0.1.2", 24);
	fake_addr(&ifaces[0].v6, AF_INET6, "fd00:1::2", 64);
	snprintf(ifaces[1].name, TOPO_IFNAME_MAX, "eth0");
	ifaces[1].node = 1;
	ifaces[1].link = 2;
	fake_addr(&ifaces[1].v4, AF_INET, "10.0.9.2", 24);
	fake_addr(&ifaces[1].v6, AF_INET6, "fd00:9::2", 64);
	snprintf(links[0].name, TOPO_NAME_MAX, "cell1");
	links[0].kind = TOPO_CELL;
	links[0].radio.handoff_gap = 0.05;
	links[0].ifaces = fake_link_ifaces[0];
	links[0].n_ifaces = 1;
	snprintf(links[1].name, TOPO_NAME_MAX, "cell2");
	links[1].kind = TOPO_CELL;
	links[1].radio.handoff_gap = 0.05;
	snprintf(links[2].name, TOPO_NAME_MAX, "r-srv");
	links[2].kind = TOPO_P2P;
	links[2].ifaces = fake_link_ifaces[2];
	links[2].n_ifaces = 1;
	f->topo.nodes = nodes;
	f->topo.n_nodes = 2;
	f->topo.links = links;
	f->topo.n_links = 3;
	f->topo.ifaces = ifaces;
	f->topo.n_ifaces = 2;
}

static struct scn_ops fake_ops(struct fake *f)
{
	struct scn_ops o = {
		.move = fake_move, .position = fake_position, .link_set = fake_link_set,
		.exec = fake_exec, .spawn = fake_spawn, .link_get = fake_link_get,
		.wait_until = fake_wait_until, .topo = &f->topo,
		.outdir = "/out", .bindir = "/opt/roam/bin",
	};
	return o;
}

static const char *fixture(const char *name)
{
	static char buf[1024];
	const char *top = getenv("ROAM_TOP");
	snprintf(buf, sizeof(buf), "%s/tests/scenario/%s", top ? top : ".", name);
	return buf;
}

static struct fake F;
static char err[4096];

/* Loads and runs a fixture against F; returns scn_run's status, or -1 if
 * the load failed (message in err). */
static int run_fixture(const char *name)
{
	struct scn_ops o;
	struct scn *s;
	int rc;

	fake_init(&F);
	err[0] = '\0';
	s = scn_load(fixture(name), NULL, 0, err, sizeof(err));
	if (!s)
		return -1;
	o = fake_ops(&F);
	rc = scn_run(s, &o, &F, err, sizeof(err));
	scn_free(s);
	return rc;
}

static void dump_calls(void)
{
	for (int i = 0; i < F.n; i++)
		printf("    call %d: %s\n", i, F.calls[i]);
	if (err[0])
		printf("    err: %s\n", err);
}

static void test_order(void)
{
	static const char *want[] = {
		"1 position sta 2 1", "1 position sta 4 1", "1 position sta 5 1",
		"1.5 position sta 3 1.5", "2 position sta 1 2", "2 position sta 4 2",
		"3 position sta 4 3",
	};
	int n = (int)(sizeof(want) / sizeof(want[0]));

	CHECK_EQ(run_fixture("order.lua"), 0);
	CHECK_EQ(F.n, n);
	for (int i = 0; i < n && i < F.n; i++)
		CHECK_STR(F.calls[i], want[i]);
	CHECK(!F.went_back);
	if (t_failed_checks)
		dump_calls();
}

static void test_duration(void)
{
	CHECK_EQ(run_fixture("duration.lua"), 0);
	CHECK_EQ(F.n, 2);
	CHECK_STR(F.calls[0], "1 position sta 1 1");
	CHECK_STR(F.calls[1], "2 position sta 1 2");
	CHECK(F.t == 2.5);	/* the run lasts its duration */
	if (t_failed_checks)
		dump_calls();
}

static void test_finish(void)
{
	CHECK_EQ(run_fixture("finish.lua"), 0);
	CHECK_EQ(F.n, 1);
	CHECK_STR(F.calls[0], "1 position sta 1 1");
	CHECK(F.t == 1);	/* finish() does not wait for the duration */
}

static void test_check_fails(void)
{
	CHECK_EQ(run_fixture("check.lua"), 1);
	CHECK_EQ(F.n, 2);	/* the scenario went on */
	CHECK(strstr(err, "1 check failed") != NULL);
	if (t_failed_checks)
		dump_calls();
}

static void test_fail(void)
{
	CHECK_EQ(run_fixture("fail.lua"), 1);
	CHECK_EQ(F.n, 0);
	CHECK(strstr(err, "fail.lua:4:") != NULL);
	CHECK(strstr(err, "bad thing") != NULL);
	if (t_failed_checks)
		dump_calls();
}

static void test_lua_error(void)
{
	CHECK_EQ(run_fixture("error.lua"), 2);
	CHECK(strstr(err, "error.lua:4:") != NULL);
	CHECK(strstr(err, "traceback") != NULL);
	if (t_failed_checks)
		dump_calls();
}

static void test_syntax_error(void)
{
	CHECK_EQ(run_fixture("syntax.lua"), -1);
	CHECK(strstr(err, "syntax.lua:2:") != NULL);
	if (t_failed_checks)
		dump_calls();
}

static void test_no_declaration(void)
{
	CHECK_EQ(run_fixture("nodecl.lua"), -1);
	CHECK(strstr(err, "scenario{") != NULL);
}

static void test_unknown_names(void)
{
	CHECK_EQ(run_fixture("badnode.lua"), 2);
	CHECK(strstr(err, "badnode.lua:3:") != NULL);
	CHECK(strstr(err, "\"nobody\"") != NULL);
	CHECK_EQ(F.n, 0);
	if (t_failed_checks)
		dump_calls();
	CHECK_EQ(run_fixture("badlink.lua"), 2);
	CHECK(strstr(err, "badlink.lua:4:") != NULL);
	CHECK(strstr(err, "no-such-link") != NULL);
	CHECK_EQ(F.n, 2);	/* the good link was set, both directions */
	if (t_failed_checks)
		dump_calls();
}

static void test_sandbox(void)
{
	CHECK_EQ(run_fixture("sandbox.lua"), 0);
	if (t_failed_checks)
		dump_calls();
	CHECK_EQ(run_fixture("loadnet.lua"), -1);
	CHECK(strstr(err, "loadnet.lua:3:") != NULL);
	CHECK_EQ(F.n, 0);
	if (t_failed_checks)
		dump_calls();
}

static void test_watchdog(void)
{
	CHECK_EQ(run_fixture("watchdog.lua"), 2);
	CHECK(strstr(err, "watchdog") != NULL);
	CHECK(strstr(err, "watchdog.lua:3:") != NULL);
	if (t_failed_checks)
		dump_calls();
	CHECK_EQ(run_fixture("watchdog_load.lua"), -1);
	CHECK(strstr(err, "watchdog") != NULL);
	if (t_failed_checks)
		dump_calls();
}

static void test_stopped(void)
{
	struct scn_ops o;
	struct scn *s;

	fake_init(&F);
	F.stop_at = 1.2;
	s = scn_load(fixture("order.lua"), NULL, 0, err, sizeof(err));
	CHECK(s != NULL);
	if (!s)
		return;
	o = fake_ops(&F);
	CHECK_EQ(scn_run(s, &o, &F, err, sizeof(err)), 4);
	CHECK_EQ(F.n, 3);	/* the three events at t=1 */
	scn_free(s);
}

static void test_sets(void)
{
	char *sets[] = { "gap=10ms", "extra=1" };
	const struct scn_info *in;
	struct scn *s;

	s = scn_load(fixture("sets.lua"), sets, 2, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		printf("    err: %s\n", err);
		return;
	}
	in = scn_info(s);
	CHECK_STR(in->name, "sets");
	CHECK(in->duration == 12);
	CHECK(strstr(in->topology, "tests/scenario/../../topologies/two-cells.lua") != NULL);
	CHECK_EQ(in->n_rules, 1);
	if (in->n_rules == 1)
		CHECK(strstr(in->rules[0], "tests/scenario/rules/a.lua") != NULL);
	CHECK_EQ(in->n_sets, 3);
	if (in->n_sets == 3) {
		CHECK_STR(in->sets[0], "gap=10ms");
		CHECK_STR(in->sets[1], "n=3");
		CHECK_STR(in->sets[2], "extra=1");
	}
	scn_free(s);
	sets[0] = "novalue";
	s = scn_load(fixture("sets.lua"), sets, 1, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "novalue") != NULL);
	scn_free(s);
}

/* param(): values from --set with the default's type; those --set keys are
 * the scenario's own and not passed to the topology. */
static void test_param(void)
{
	char *sets[] = { "secs=7", "mode=ro", "fast=true", "gap=10ms" };
	const struct scn_info *in;
	struct scn *s = scn_load(fixture("param.lua"), sets, 4, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		printf("    err: %s\n", err);
		return;
	}
	in = scn_info(s);
	CHECK(in->duration == 7);
	CHECK_EQ(in->n_sets, 1);
	if (in->n_sets == 1)
		CHECK_STR(in->sets[0], "gap=10ms");
	scn_free(s);
	sets[0] = "secs=soon";
	s = scn_load(fixture("param.lua"), sets, 1, err, sizeof(err));
	CHECK(s == NULL);
	CHECK(strstr(err, "param.lua:2") != NULL && strstr(err, "expected a number") != NULL);
	scn_free(s);
}

static void test_net(void)
{
	static const char *want[] = {
		"0.5 spawn srv /opt/roam/bin/roam-traffic recv --port 9001 --stats "
			"/out/flow-1.json --duration 12.2",
		"0.5 spawn sta /opt/roam/bin/roam-traffic send --to 10.0.9.2 --port 9001 "
			"--flow 1 --rate 200 --size 200 --wait 0.2 --duration 10",
		"0.5 spawn sta /opt/roam/bin/roam-traffic recv --port 9002 --stats "
			"/out/flow-2.json",
		"0.5 spawn srv /opt/roam/bin/roam-traffic send --to fd00:1::2 --port 9002 "
			"--flow 2 --rate 100 --size 100 --wait 0.2",
		"3 move sta cell2 0.05",
		"4 exec sta ping -c 1 -W 1 10.0.9.2 timeout=2",
		"4 link_set r-srv 1 delay=0.02 loss=0.01",
		"5.5 position sta 200 0",
		"5.5 move sta cell1 0.01",
		"5.5 spawn srv sleep 100",
	};
	int n = (int)(sizeof(want) / sizeof(want[0]));

	CHECK_EQ(run_fixture("net.lua"), 0);
	CHECK_EQ(F.n, n);
	for (int i = 0; i < n && i < F.n; i++)
		CHECK_STR(F.calls[i], want[i]);
	if (t_failed_checks)
		dump_calls();
}

/* The demo scenario runs against the fake run with every check passing. */
static void test_demo(void)
{
	struct scn_ops o;
	struct scn *s;
	const char *top = getenv("ROAM_TOP");
	char path[1024];
	int moves = 0, flows = 0;

	snprintf(path, sizeof(path), "%s/lua/scenarios/two-cells-move.lua", top ? top : ".");
	fake_init(&F);
	s = scn_load(path, NULL, 0, err, sizeof(err));
	CHECK(s != NULL);
	if (!s) {
		printf("    err: %s\n", err);
		return;
	}
	CHECK(scn_info(s)->duration == 12);
	CHECK(strstr(scn_info(s)->topology, "topologies/two-cells.lua") != NULL);
	o = fake_ops(&F);
	CHECK_EQ(scn_run(s, &o, &F, err, sizeof(err)), 0);
	for (int i = 0; i < F.n; i++) {
		moves += strstr(F.calls[i], " move sta ") != NULL;
		flows += strstr(F.calls[i], "roam-traffic send") != NULL;
	}
	CHECK_EQ(moves, 2);
	CHECK_EQ(flows, 1);
	CHECK(F.t == 12);
	if (t_failed_checks)
		dump_calls();
	scn_free(s);
}

T_MAIN_BEGIN("scenario")
	RUN(test_order);
	RUN(test_duration);
	RUN(test_finish);
	RUN(test_check_fails);
	RUN(test_fail);
	RUN(test_lua_error);
	RUN(test_syntax_error);
	RUN(test_no_declaration);
	RUN(test_unknown_names);
	RUN(test_sandbox);
	RUN(test_watchdog);
	RUN(test_stopped);
	RUN(test_sets);
	RUN(test_param);
	RUN(test_net);
	RUN(test_demo);
T_MAIN_END
