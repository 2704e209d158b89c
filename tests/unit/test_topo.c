/* test_topo.c — the topology loader: units, the shipped topologies (counts,
 * addresses, routes), parameters, every bad-input fixture in tests/topo/,
 * the canonical print round trip, and moving a station. No root needed. */
#include <arpa/inet.h>
#include <dirent.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "topo.h"

static char pathbuf[4096];

static const char *top_path(const char *rel)
{
	const char *top = getenv("ROAM_TOP");
	snprintf(pathbuf, sizeof pathbuf, "%s/%s", top && *top ? top : ".", rel);
	return pathbuf;
}

static struct topo *load(const char *rel, char *const *sets, int n)
{
	char err[1024];
	struct topo *t = topo_load(top_path(rel), sets, n, err, sizeof err);
	if (!t)
		printf("  load %s: %s\n", rel, err);
	return t;
}

static int iface_of(const struct topo *t, const char *node, const char *ifname)
{
	int n = topo_node_find(t, node);
	if (n < 0)
		return -1;
	for (int i = 0; i < t->nodes[n].n_ifaces; i++)
		if (!strcmp(t->ifaces[t->nodes[n].ifaces[i]].name, ifname))
			return t->nodes[n].ifaces[i];
	return -1;
}

static const char *addr(const struct topo *t, const char *node, const char *ifname, int v6)
{
	static char buf[4][64];
	static int k;
	char *b = buf[k++ % 4];
	int i = iface_of(t, node, ifname);
	if (i < 0)
		return "no such interface";
	topo_prefix_str(v6 ? &t->ifaces[i].v6 : &t->ifaces[i].v4, true, b, 64);
	return b;
}

/* "dst via dev" of node's route to dst ("default" or a prefix) in a family,
 * or "none". */
static const char *route(const struct topo *t, const char *node, const char *dst, int family)
{
	static char buf[4][160];
	static int k;
	char *b = buf[k++ % 4];
	int n = topo_node_find(t, node);
	snprintf(b, 160, "none");
	for (int i = 0; n >= 0 && i < t->nodes[n].n_routes; i++) {
		const struct topo_route *r = &t->nodes[n].routes[i];
		char d[64], v[64];
		if (r->dst.family != family)
			continue;
		if (r->dst.plen == 0)
			snprintf(d, sizeof d, "default");
		else
			topo_prefix_str(&r->dst, true, d, sizeof d);
		if (strcmp(d, dst))
			continue;
		topo_prefix_str(&r->via, false, v, sizeof v);
		snprintf(b, 160, "%s via %s dev %s%s", d, v, r->iface >= 0 ? t->ifaces[r->iface].name : "-",
			 r->automatic ? " auto" : "");
	}
	return b;
}

/* ---- units ---- */

static void test_parse_time(void)
{
	char e[200];
	double v = -1;
	CHECK(topo_parse_time("10ms", &v, e, sizeof e) && v == 10 * 1e-3);
	CHECK(topo_parse_time("250us", &v, e, sizeof e) && v == 250 * 1e-6);
	CHECK(topo_parse_time("1.5s", &v, e, sizeof e) && v == 1.5);
	CHECK(topo_parse_time("2", &v, e, sizeof e) && v == 2);
	CHECK(topo_parse_time("0", &v, e, sizeof e) && v == 0);
	CHECK(!topo_parse_time("10Mbit", &v, e, sizeof e));
	CHECK(strstr(e, "10Mbit") != NULL);
	CHECK(!topo_parse_time("5 parsecs", &v, e, sizeof e));
	CHECK(!topo_parse_time("", &v, e, sizeof e));
	CHECK(!topo_parse_time("ms", &v, e, sizeof e));
	CHECK(!topo_parse_time("0x10", &v, e, sizeof e));
	CHECK(!topo_parse_time("inf", &v, e, sizeof e));
}

static void test_parse_rate(void)
{
	char e[200];
	double v = -1;
	CHECK(topo_parse_rate("10Mbit", &v, e, sizeof e) && v == 10e6);
	CHECK(topo_parse_rate("64kbit", &v, e, sizeof e) && v == 64e3);
	CHECK(topo_parse_rate("1Gbit", &v, e, sizeof e) && v == 1e9);
	CHECK(topo_parse_rate("1000", &v, e, sizeof e) && v == 1000);
	CHECK(!topo_parse_rate("0", &v, e, sizeof e));
	CHECK(!topo_parse_rate("-5Mbit", &v, e, sizeof e));
	CHECK(!topo_parse_rate("10ms", &v, e, sizeof e));
	CHECK(!topo_parse_rate("10 furlongs", &v, e, sizeof e));
	CHECK(strstr(e, "furlongs") != NULL);
}

static void test_parse_prob(void)
{
	char e[200];
	double v = -1;
	CHECK(topo_parse_prob("1%", &v, e, sizeof e) && v == 0.01);
	CHECK(topo_parse_prob("0.01", &v, e, sizeof e) && v == 0.01);
	CHECK(topo_parse_prob("100%", &v, e, sizeof e) && v == 1);
	CHECK(topo_parse_prob("0", &v, e, sizeof e) && v == 0);
	CHECK(!topo_parse_prob("150%", &v, e, sizeof e));
	CHECK(!topo_parse_prob("1.5", &v, e, sizeof e));
	CHECK(!topo_parse_prob("-0.1", &v, e, sizeof e));
	CHECK(!topo_parse_prob("1ms", &v, e, sizeof e));
}

static void test_parse_prefix(void)
{
	struct topo_prefix p;
	char b[64];
	CHECK(topo_parse_prefix("10.0.0.0/24", &p) && p.family == AF_INET && p.plen == 24);
	topo_prefix_str(&p, true, b, sizeof b);
	CHECK_STR(b, "10.0.0.0/24");
	CHECK(topo_parse_prefix("fd00:0:0:1::/64", &p) && p.family == AF_INET6 && p.plen == 64);
	topo_prefix_str(&p, true, b, sizeof b);
	CHECK_STR(b, "fd00:0:0:1::/64");
	CHECK(topo_parse_prefix("10.0.0.9", &p) && p.plen == 32);
	topo_prefix_str(&p, false, b, sizeof b);
	CHECK_STR(b, "10.0.0.9");
	CHECK(topo_parse_prefix("::1", &p) && p.plen == 128);
	CHECK(!topo_parse_prefix("10.0.0.0/33", &p));
	CHECK(!topo_parse_prefix("fd00::/129", &p));
	CHECK(!topo_parse_prefix("10.0.0/24", &p));
	CHECK(!topo_parse_prefix("10.0.0.0/", &p));
	CHECK(!topo_parse_prefix("10.0.0.0/2x", &p));
	CHECK(!topo_parse_prefix("lan", &p));
}

static void test_impair_from_lua(void)
{
	lua_State *L = luaL_newstate();
	char e[300];
	struct topo_impair imp = { .delay = 0.5, .rate = 1e6 };
	CHECK(luaL_dostring(L, "return { loss = '1%', jitter = '250us', ge = { p = 0.01 } }") == LUA_OK);
	CHECK(topo_impair_from_lua(L, -1, &imp, e, sizeof e));
	CHECK(imp.delay == 0.5 && imp.rate == 1e6);	/* absent fields keep their value */
	CHECK(imp.loss == 0.01 && imp.jitter == 250 * 1e-6);
	CHECK(imp.ge && imp.ge_p == 0.01 && imp.ge_r == 1 && imp.ge_loss_bad == 1);
	lua_settop(L, 0);
	CHECK(luaL_dostring(L, "return { dealy = '1ms' }") == LUA_OK);
	CHECK(!topo_impair_from_lua(L, -1, &imp, e, sizeof e));
	CHECK(strstr(e, "unknown field 'dealy'") != NULL);
	lua_settop(L, 0);
	CHECK(luaL_dostring(L, "return { delay = '61s' }") == LUA_OK);
	CHECK(!topo_impair_from_lua(L, -1, &imp, e, sizeof e));
	lua_settop(L, 0);
	CHECK(luaL_dostring(L, "return { loss = 2 }") == LUA_OK);
	CHECK(!topo_impair_from_lua(L, -1, &imp, e, sizeof e));
	CHECK(imp.delay == 0.5);	/* a failed read changes nothing */
	lua_close(L);
}

/* ---- shipped topologies ---- */

static void test_two_cells(void)
{
	struct topo *t = load("topologies/two-cells.lua", NULL, 0);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_STR(t->name, "two-cells");
	CHECK_EQ(t->n_nodes, 3);
	CHECK_EQ(t->n_links, 3);
	CHECK_EQ(t->n_ifaces, 5);	/* r: eth0 eth1 eth2, srv: eth0, sta: wlan0 */
	CHECK(t->auto_routing);
	CHECK_STR(addr(t, "r", "eth0", 0), "10.0.0.1/24");
	CHECK_STR(addr(t, "srv", "eth0", 0), "10.0.0.2/24");
	CHECK_STR(addr(t, "srv", "eth0", 1), "fd00:0:0:1::2/64");
	CHECK_STR(addr(t, "r", "eth1", 0), "10.0.1.1/24");	/* first free /24 after 10.0.0.0/24 */
	CHECK_STR(addr(t, "r", "eth1", 1), "fd00::1/64");
	CHECK_STR(addr(t, "sta", "wlan0", 0), "10.0.1.2/24");
	CHECK_STR(addr(t, "sta", "wlan0", 1), "fd00::2/64");
	CHECK_STR(addr(t, "r", "eth2", 0), "10.0.2.1/24");
	CHECK_STR(addr(t, "r", "eth2", 1), "fd00:0:0:2::1/64");
	int c1 = topo_link_find(t, "cell1"), c2 = topo_link_find(t, "cell2");
	CHECK(c1 == 1 && c2 == 2);
	CHECK_EQ(t->links[c1].kind, TOPO_CELL);
	CHECK_EQ(t->links[c1].n_ifaces, 2);
	CHECK_EQ(t->links[c2].n_ifaces, 1);
	CHECK(t->links[c1].radio.handoff_gap == 50 * 1e-3);
	CHECK(t->links[c2].radio.x == 100 && t->links[c2].radio.rate_max == 54e6);
	CHECK(t->links[topo_link_find(t, "r-srv")].imp[0].delay == 2 * 1e-3);
	CHECK(t->links[topo_link_find(t, "r-srv")].imp[1].delay == 2 * 1e-3);
	int w = iface_of(t, "sta", "wlan0");
	CHECK(w >= 0 && t->ifaces[w].radio && t->ifaces[w].host == 2);
	CHECK_EQ(t->ifaces[w].mac[0], 0x02);
	CHECK(memcmp(t->ifaces[w].mac, t->ifaces[iface_of(t, "r", "eth0")].mac, 6) != 0);
	int sta = topo_node_find(t, "sta"), r = topo_node_find(t, "r");
	CHECK(t->nodes[sta].has_pos && t->nodes[sta].x == 10);
	CHECK(!t->nodes[sta].forward && t->nodes[sta].addressing);
	CHECK(t->nodes[r].forward);
	CHECK_STR(route(t, "sta", "default", AF_INET), "default via 10.0.1.1 dev wlan0 auto");
	CHECK_STR(route(t, "sta", "default", AF_INET6), "default via fd00::1 dev wlan0 auto");
	CHECK_STR(route(t, "srv", "default", AF_INET), "default via 10.0.0.1 dev eth0 auto");
	CHECK_STR(route(t, "srv", "default", AF_INET6), "default via fd00:0:0:1::1 dev eth0 auto");
	CHECK_EQ(t->nodes[r].n_routes, 0);	/* every subnet is on r */
	int srv = topo_node_find(t, "srv");
	CHECK_EQ(t->nodes[srv].n_run, 1);
	CHECK_STR(t->nodes[srv].run[0], "{bin}/roam-traffic recv --port 9000");
	CHECK_EQ(t->n_params, 1);
	CHECK_STR(t->params[0].key, "gap");
	CHECK_STR(t->params[0].val, "50ms");
	topo_free(t);
}

static void test_star(void)
{
	struct topo *t = load("topologies/star.lua", NULL, 0);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ(t->n_nodes, 10);
	CHECK_EQ(t->n_links, 1);
	CHECK_EQ(t->links[0].kind, TOPO_SEGMENT);
	CHECK_EQ(t->links[0].n_ifaces, 10);
	char b[64];
	topo_prefix_str(&t->links[0].subnet4, true, b, sizeof b);
	CHECK_STR(b, "10.0.0.0/28");	/* 10 hosts + network + broadcast */
	CHECK_STR(addr(t, "h1", "eth0", 0), "10.0.0.1/28");
	CHECK_STR(addr(t, "h10", "eth0", 0), "10.0.0.10/28");
	CHECK_STR(addr(t, "h10", "eth0", 1), "fd00::a/64");
	CHECK_STR(route(t, "h1", "default", AF_INET), "none");	/* no router on the LAN */
	topo_free(t);
	char *sets[] = { "n=300" };
	t = load("topologies/star.lua", sets, 1);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ(t->n_nodes, 300);
	topo_prefix_str(&t->links[0].subnet4, true, b, sizeof b);
	CHECK_STR(b, "10.0.0.0/23");
	CHECK_STR(t->params[0].val, "300");
	topo_free(t);
}

static void test_line(void)
{
	struct topo *t = load("topologies/line.lua", NULL, 0);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ(t->n_nodes, 5);
	CHECK_EQ(t->n_links, 4);
	/* a-r1 10.0.0.0/30, r1-r2 .4/30, r2-r3 .8/30, r3-b .12/30 */
	CHECK_STR(addr(t, "a", "eth0", 0), "10.0.0.1/30");
	CHECK_STR(addr(t, "r1", "eth0", 0), "10.0.0.2/30");
	CHECK_STR(addr(t, "r1", "eth1", 0), "10.0.0.5/30");
	CHECK_STR(addr(t, "b", "eth0", 0), "10.0.0.14/30");
	CHECK_STR(addr(t, "r3", "eth1", 1), "fd00:0:0:3::1/64");
	CHECK_STR(route(t, "a", "default", AF_INET), "default via 10.0.0.2 dev eth0 auto");
	CHECK_STR(route(t, "b", "default", AF_INET6), "default via fd00:0:0:3::1 dev eth0 auto");
	CHECK_STR(route(t, "r1", "10.0.0.12/30", AF_INET), "10.0.0.12/30 via 10.0.0.6 dev eth1 auto");
	CHECK_STR(route(t, "r1", "10.0.0.8/30", AF_INET), "10.0.0.8/30 via 10.0.0.6 dev eth1 auto");
	CHECK_STR(route(t, "r3", "10.0.0.0/30", AF_INET), "10.0.0.0/30 via 10.0.0.9 dev eth0 auto");
	CHECK_STR(route(t, "r2", "fd00::/64", AF_INET6), "fd00::/64 via fd00:0:0:1::1 dev eth0 auto");
	CHECK_EQ(t->nodes[topo_node_find(t, "r2")].n_routes, 4);	/* 2 subnets x 2 families */
	topo_free(t);
	char *sets[] = { "n=1" };
	t = load("topologies/line.lua", sets, 1);
	CHECK(t != NULL);
	if (t)
		CHECK_EQ(t->n_links, 2);
	topo_free(t);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void test_cells(void)
{
	double t0 = now_ms();
	struct topo *t = load("topologies/cells.lua", NULL, 0);
	double ms = now_ms() - t0;
	printf("  cells.lua (1000 stations, 20 cells) loaded in %.1f ms\n", ms);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(ms < 100 * (getenv("ASAN_OPTIONS") ? 5 : 1));	/* sanitizers are slower */
	CHECK_EQ(t->n_nodes, 1 + 20 + 1000);
	CHECK_EQ(t->n_links, 40);
	CHECK_EQ(t->n_ifaces, 20 * 2 + 20 + 1000);
	int c1 = topo_link_find(t, "c1");
	CHECK_EQ(t->links[c1].n_ifaces, 1 + 50);
	CHECK_EQ(t->links[c1].subnet4.plen, 22);	/* host numbers up to 1001 */
	CHECK_EQ(t->links[c1].subnet6.plen, 64);
	/* s21 is the 21st station overall (index 20): host 22, in cell c1 */
	CHECK_STR(addr(t, "s21", "wlan0", 0), "10.0.4.22/22");
	CHECK_STR(addr(t, "s1000", "wlan0", 0), "10.0.83.233/22");	/* c20 10.0.80.0/22, host 1001 */
	CHECK_STR(route(t, "s1000", "default", AF_INET), "default via 10.0.80.1 dev wlan0 auto");
	CHECK_STR(route(t, "core", "10.0.80.0/22", AF_INET), "10.0.80.0/22 via 10.0.0.78 dev eth19 auto");
	CHECK_STR(route(t, "ar1", "10.0.80.0/22", AF_INET), "10.0.80.0/22 via 10.0.0.1 dev eth0 auto");
	/* MACs: 02: and distinct over all 1060 interfaces */
	int dup = 0;
	for (int i = 0; i < t->n_ifaces; i++) {
		CHECK_EQ(t->ifaces[i].mac[0], 0x02);
		for (int j = i + 1; j < t->n_ifaces; j++)
			dup += !memcmp(t->ifaces[i].mac, t->ifaces[j].mac, 6);
	}
	CHECK_EQ(dup, 0);
	topo_free(t);
}

/* ---- parameters ---- */

static void test_params(void)
{
	char err[512];
	char *sets[] = { "gap=200ms" };
	struct topo *t = load("topologies/two-cells.lua", sets, 1);
	CHECK(t != NULL);
	if (t) {
		CHECK(t->links[1].radio.handoff_gap == 200 * 1e-3);
		CHECK_STR(t->params[0].val, "200ms");
		topo_free(t);
	}
	char *bad[] = { "gap=200ms", "gpa=1" };
	t = topo_load(top_path("topologies/two-cells.lua"), bad, 2, err, sizeof err);
	CHECK(t == NULL);
	CHECK(strstr(err, "unknown parameter \"gpa\"") != NULL);
	CHECK(strstr(err, "known: gap") != NULL);
	char *nonum[] = { "n=ten" };
	t = topo_load(top_path("topologies/star.lua"), nonum, 1, err, sizeof err);
	CHECK(t == NULL);
	CHECK(strstr(err, "star.lua:2:") != NULL && strstr(err, "expected a number") != NULL);
	char *noeq[] = { "n" };
	t = topo_load(top_path("topologies/star.lua"), noeq, 1, err, sizeof err);
	CHECK(t == NULL);
	CHECK(strstr(err, "key=value") != NULL);
	char *two[] = { "stations=10", "cells=2" };
	t = load("topologies/cells.lua", two, 2);
	CHECK(t != NULL);
	if (t) {
		CHECK_EQ(t->n_nodes, 13);
		CHECK_EQ(t->n_params, 2);
		CHECK_STR(t->params[1].key, "cells");
		CHECK_STR(t->params[1].val, "2");
	}
	topo_free(t);
}

/* ---- bad topologies ---- */

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_bad_fixtures(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", top_path("tests/topo"));
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	char *names[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256)
		if (!strncmp(e->d_name, "bad-", 4) && strstr(e->d_name, ".lua"))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, name_cmp);
	CHECK(n >= 20);
	for (int i = 0; i < n; i++) {
		char path[8192], line[512] = "", err[1024] = "";
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "r");
		CHECK(f != NULL);
		if (!f || !fgets(line, sizeof line, f) || strncmp(line, "-- expect: ", 11)) {
			printf("  %s: first line must be \"-- expect: <substring>\"\n", names[i]);
			t_failed_checks++;
			if (f)
				fclose(f);
			free(names[i]);
			continue;
		}
		fclose(f);
		char *want = line + 11;
		want[strcspn(want, "\n")] = 0;
		struct topo *t = topo_load(path, NULL, 0, err, sizeof err);
		if (t) {
			printf("  %s: loaded, but expected an error containing \"%s\"\n", names[i], want);
			t_failed_checks++;
			topo_free(t);
		} else if (!strstr(err, want)) {
			printf("  %s: expected an error containing \"%s\" vs actual \"%s\"\n", names[i],
			       want, err);
			t_failed_checks++;
		}
		free(names[i]);
	}
}

/* ---- canonical print ---- */

static char *print_to_string(const struct topo *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	topo_print(t, f);
	fclose(f);
	return buf;
}

static bool same_topo(const struct topo *a, const struct topo *b)
{
	if (a->n_nodes != b->n_nodes || a->n_links != b->n_links || a->n_ifaces != b->n_ifaces)
		return false;
	for (int i = 0; i < a->n_ifaces; i++) {
		const struct topo_iface *x = &a->ifaces[i], *y = &b->ifaces[i];
		if (strcmp(x->name, y->name) || x->node != y->node || x->link != y->link ||
		    memcmp(x->mac, y->mac, 6) || memcmp(&x->v4, &y->v4, sizeof x->v4) ||
		    memcmp(&x->v6, &y->v6, sizeof x->v6) || x->host != y->host)
			return false;
	}
	for (int i = 0; i < a->n_links; i++) {
		const struct topo_link *x = &a->links[i], *y = &b->links[i];
		if (strcmp(x->name, y->name) || x->kind != y->kind ||
		    x->imp[0].delay != y->imp[0].delay || x->imp[1].loss != y->imp[1].loss ||
		    x->imp[0].rate != y->imp[0].rate || x->n_profile[0] != y->n_profile[0] ||
		    x->n_profile[1] != y->n_profile[1] || x->radio.handoff_gap != y->radio.handoff_gap)
			return false;
	}
	for (int i = 0; i < a->n_nodes; i++)
		if (a->nodes[i].n_routes != b->nodes[i].n_routes ||
		    a->nodes[i].forward != b->nodes[i].forward)
			return false;
	return true;
}

static void roundtrip(const char *rel, char *const *sets, int n)
{
	char err[1024];
	struct topo *a = load(rel, sets, n);
	CHECK(a != NULL);
	if (!a)
		return;
	char *p1 = print_to_string(a);
	char tmp[] = "/tmp/roam-topo-XXXXXX";
	int fd = mkstemp(tmp);
	CHECK(fd >= 0);
	if (fd < 0) {
		free(p1);
		topo_free(a);
		return;
	}
	CHECK(write(fd, p1, strlen(p1)) == (ssize_t)strlen(p1));
	close(fd);
	struct topo *b = topo_load(tmp, NULL, 0, err, sizeof err);
	if (!b)
		printf("  %s printed does not load: %s\n", rel, err);
	CHECK(b != NULL);
	if (b) {
		char *p2 = print_to_string(b);
		CHECK(strcmp(p1, p2) == 0);
		if (strcmp(p1, p2)) {
			size_t k = 0;
			while (p1[k] == p2[k])
				k++;
			printf("  %s: prints differ at byte %zu: \"%.60s\" vs \"%.60s\"\n", rel, k,
			       p1 + k, p2 + k);
		}
		CHECK(same_topo(a, b));
		free(p2);
		topo_free(b);
	}
	unlink(tmp);
	free(p1);
	topo_free(a);
}

static void test_print_roundtrip(void)
{
	roundtrip("topologies/two-cells.lua", NULL, 0);
	roundtrip("topologies/star.lua", NULL, 0);
	roundtrip("topologies/line.lua", NULL, 0);
	roundtrip("topologies/cells.lua", NULL, 0);
	roundtrip("tests/topo/good-features.lua", NULL, 0);
}

static void test_print_content(void)
{
	struct topo *t = load("topologies/two-cells.lua", NULL, 0);
	if (!t) {
		CHECK(t != NULL);
		return;
	}
	char *p = print_to_string(t);
	CHECK(strstr(p, "param(\"gap\", \"50ms\")\n") != NULL);
	CHECK(strstr(p, "subnet4 = \"10.0.1.0/24\", subnet6 = \"fd00::/64\"") != NULL);
	CHECK(strstr(p, "sta = { \"10.0.1.2\", \"fd00::2\" }") != NULL);
	CHECK(strstr(p, "{ to = \"default\", via = \"10.0.1.1\", dev = \"wlan0\", auto = true }") != NULL);
	CHECK(strstr(p, "delay = \"2ms\"") != NULL);
	CHECK(strstr(p, "handoff_gap = \"50ms\"") != NULL);
	free(p);
	topo_free(t);
}

/* A fixture using most features: impairments in several units, profiles,
 * explicit routes, addrs, conf, a .mn station without addressing. */
static void test_features(void)
{
	struct topo *t = load("tests/topo/good-features.lua", NULL, 0);
	CHECK(t != NULL);
	if (!t)
		return;
	int l = topo_link_find(t, "wan");
	CHECK(l >= 0);
	if (l < 0) {
		topo_free(t);
		return;
	}
	const struct topo_link *w = &t->links[l];
	CHECK(w->imp[0].delay == 10 * 1e-3 && w->imp[1].delay == 30 * 1e-3);
	CHECK(w->imp[0].rate == 10e6 && w->imp[0].loss == 0.01);
	CHECK(w->imp[1].ge && w->imp[1].ge_p == 0.05 && w->imp[1].ge_r == 0.5);
	CHECK_EQ(w->n_profile[0], 2);
	CHECK_EQ(w->n_profile[1], 1);
	CHECK(w->profile[0][0].t == 0 && w->profile[0][1].t == 5);
	CHECK(w->profile[0][1].imp.loss == 0.2 && w->profile[0][1].imp.delay == 10 * 1e-3);
	CHECK(w->profile[1][0].imp.loss == 0.5);
	CHECK_STR(addr(t, "gw", "eth0", 0), "192.168.7.9/24");
	CHECK_STR(addr(t, "isp", "eth0", 0), "192.168.7.1/24");
	CHECK_STR(route(t, "gw", "default", AF_INET), "default via 192.168.7.1 dev eth0");
	CHECK_STR(route(t, "isp", "10.0.0.0/8", AF_INET), "10.0.0.0/8 via 192.168.7.9 dev eth0");
	CHECK_STR(route(t, "isp", "default", AF_INET6), "none");	/* routing none */
	int mn = iface_of(t, "mn", "wlan0");
	CHECK(mn >= 0 && t->ifaces[mn].v4.family == 0 && t->ifaces[mn].v6.family == 0);
	int n = topo_node_find(t, "mn");
	CHECK(n >= 0 && !t->nodes[n].addressing && !t->nodes[n].forward);
	n = topo_node_find(t, "ha");
	CHECK(n >= 0 && t->nodes[n].forward && t->nodes[n].n_conf == 2);
	if (n >= 0 && t->nodes[n].n_conf == 2) {
		CHECK_STR(t->nodes[n].conf[0].key, "home");
		CHECK_STR(t->nodes[n].conf[1].key, "lifetime");
		CHECK_STR(t->nodes[n].conf[1].val, "60");
	}
	topo_free(t);
}

/* ---- smaller topologies written on the fly ---- */

static struct topo *load_text(const char *text, char *err, size_t errlen)
{
	char tmp[] = "/tmp/roam-topo-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return NULL;
	bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	struct topo *t = ok ? topo_load(tmp, NULL, 0, err, errlen) : NULL;
	unlink(tmp);
	return t;
}

/* t prints, loads back and prints the same bytes. */
static void check_reprint(const struct topo *t)
{
	char err[512];
	char *p1 = print_to_string(t);
	struct topo *b = load_text(p1, err, sizeof err);
	CHECK(b != NULL);
	if (b) {
		char *p2 = print_to_string(b);
		CHECK(strcmp(p1, p2) == 0);
		free(p2);
		topo_free(b);
	} else {
		printf("  reprint does not load: %s\n", err);
	}
	free(p1);
}

static void test_no_ipv6_pools(void)
{
	char err[512];
	struct topo *t = load_text(
		"return topology { ipv6 = false, pool4 = \"172.16.0.0/12\",\n"
		"  nodes = { node { \"r\", role = \"router\" }, node { \"h\" },\n"
		"            node { \"g\", role = \"cip.gw\" } },\n"
		"  links = { segment { \"lan\", nodes = { \"h\", \"g\", \"r\" } }, link { \"r\", \"g\" } } }\n",
		err, sizeof err);
	CHECK(t != NULL);
	if (!t) {
		printf("  %s\n", err);
		return;
	}
	CHECK_STR(addr(t, "h", "eth0", 0), "172.16.0.1/29");	/* 3 hosts: a /29 */
	CHECK_STR(addr(t, "r", "eth0", 0), "172.16.0.3/29");
	CHECK_STR(addr(t, "r", "eth1", 0), "172.16.0.9/30");
	CHECK_EQ(t->ifaces[iface_of(t, "h", "eth0")].v6.family, 0);
	CHECK_EQ(t->links[0].subnet6.family, 0);
	/* the first forwarding node on h's only link is g (cip.gw forwards) */
	CHECK_STR(route(t, "h", "default", AF_INET), "default via 172.16.0.2 dev eth0 auto");
	CHECK_STR(route(t, "h", "default", AF_INET6), "none");
	CHECK_EQ(t->nodes[topo_node_find(t, "r")].n_routes, 0);
	char *p = print_to_string(t);
	CHECK(strstr(p, "ipv6 = false") != NULL && strstr(p, "subnet6") == NULL);
	free(p);
	check_reprint(t);
	topo_free(t);
}

static void test_multihomed_routes(void)
{
	char err[512];
	struct topo *t = load_text(
		"return topology {\n"
		"  nodes = { node { \"a\" }, node { \"r1\", role = \"router\" },\n"
		"    node { \"m\" }, node { \"r2\", role = \"router\" },\n"
		"    node { \"far\", routes = { { to = \"default\", via = \"r2\" } } } },\n"
		"  links = { link { \"a\", \"r1\" }, link { \"r1\", \"m\" }, link { \"m\", \"r2\" },\n"
		"    link { \"r2\", \"far\" } } }\n", err, sizeof err);
	CHECK(t != NULL);
	if (!t) {
		printf("  %s\n", err);
		return;
	}
	/* m does not forward, so it is no transit: r1 cannot reach r2-far */
	CHECK_STR(route(t, "r1", "10.0.0.12/30", AF_INET), "none");
	CHECK_STR(route(t, "m", "10.0.0.0/30", AF_INET), "10.0.0.0/30 via 10.0.0.5 dev eth0 auto");
	CHECK_STR(route(t, "m", "10.0.0.12/30", AF_INET), "10.0.0.12/30 via 10.0.0.10 dev eth1 auto");
	CHECK_STR(route(t, "m", "default", AF_INET), "none");
	CHECK_STR(route(t, "a", "default", AF_INET), "default via 10.0.0.2 dev eth0 auto");
	/* far's written default route (via a node: both families) replaces the automatic one */
	CHECK_STR(route(t, "far", "default", AF_INET), "default via 10.0.0.13 dev eth0");
	CHECK_STR(route(t, "far", "default", AF_INET6), "default via fd00:0:0:3::1 dev eth0");
	CHECK_EQ(t->nodes[topo_node_find(t, "far")].n_routes, 2);
	check_reprint(t);
	topo_free(t);
}

/* ---- moving a station ---- */

static void test_station_move(void)
{
	char err[256];
	struct topo *t = load("topologies/two-cells.lua", NULL, 0);
	CHECK(t != NULL);
	if (!t)
		return;
	int w = iface_of(t, "sta", "wlan0"), c1 = topo_link_find(t, "cell1"),
	    c2 = topo_link_find(t, "cell2");
	CHECK_EQ(topo_station_move(t, w, c2, err, sizeof err), 0);
	CHECK_EQ(t->ifaces[w].link, c2);
	CHECK_EQ(t->links[c1].n_ifaces, 1);
	CHECK_EQ(t->links[c2].n_ifaces, 2);
	CHECK_EQ(t->links[c2].ifaces[1], w);
	CHECK_STR(addr(t, "sta", "wlan0", 0), "10.0.2.2/24");
	CHECK_STR(addr(t, "sta", "wlan0", 1), "fd00:0:0:2::2/64");
	CHECK_STR(route(t, "sta", "default", AF_INET), "default via 10.0.2.1 dev wlan0 auto");
	CHECK_EQ(t->nodes[topo_node_find(t, "sta")].n_routes, 2);
	CHECK(topo_station_move(t, iface_of(t, "r", "eth0"), c1, err, sizeof err) < 0);
	CHECK(topo_station_move(t, w, topo_link_find(t, "r-srv"), err, sizeof err) < 0);
	CHECK_EQ(topo_station_move(t, w, -1, err, sizeof err), 0);	/* out of every cell */
	CHECK_EQ(t->ifaces[w].v4.family, 0);
	CHECK_EQ(t->nodes[topo_node_find(t, "sta")].n_routes, 0);
	CHECK_EQ(topo_station_move(t, w, c1, err, sizeof err), 0);
	CHECK_STR(addr(t, "sta", "wlan0", 0), "10.0.1.2/24");
	topo_free(t);

	/* in cells.lua a station keeps its host number in every cell */
	char *sets[] = { "stations=40", "cells=4" };
	t = load("topologies/cells.lua", sets, 2);
	CHECK(t != NULL);
	if (!t)
		return;
	w = iface_of(t, "s7", "wlan0");	/* index 6: host 8, cell c3 */
	CHECK_EQ(t->ifaces[w].link, topo_link_find(t, "c3"));
	CHECK_EQ(topo_station_move(t, w, topo_link_find(t, "c1"), err, sizeof err), 0);
	CHECK_STR(addr(t, "s7", "wlan0", 0), "10.0.1.8/24");
	CHECK_STR(route(t, "s7", "default", AF_INET), "default via 10.0.1.1 dev wlan0 auto");
	char *p = print_to_string(t);
	CHECK(strstr(p, "stations = { \"s1\", \"s5\", \"s9\", \"s13\", \"s17\", \"s21\", \"s25\", "
		     "\"s29\", \"s33\", \"s37\", \"s7\" }") != NULL);
	free(p);
	check_reprint(t);	/* a moved station prints in its new cell, same address */
	topo_free(t);
}

T_MAIN_BEGIN("topo")
	RUN(test_parse_time);
	RUN(test_parse_rate);
	RUN(test_parse_prob);
	RUN(test_parse_prefix);
	RUN(test_impair_from_lua);
	RUN(test_two_cells);
	RUN(test_star);
	RUN(test_line);
	RUN(test_cells);
	RUN(test_params);
	RUN(test_bad_fixtures);
	RUN(test_features);
	RUN(test_print_content);
	RUN(test_print_roundtrip);
	RUN(test_station_move);
	RUN(test_no_ipv6_pools);
	RUN(test_multihomed_routes);
T_MAIN_END
