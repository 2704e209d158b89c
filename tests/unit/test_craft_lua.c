/* test_craft_lua.c — send{}, craft{}, listen{}, expect{}, expect_none{} in
 * scenarios against a fake run: send_frame records the frames and a fake
 * home agent answers binding updates (status 135 for a sequence number not
 * above its last one, RFC 6275 §9.5.1); tap_next serves the frames queued
 * on a link with their times. The scenarios are tests/scenario/craft-*.lua. */
#include <arpa/inet.h>
#include <lauxlib.h>
#include <lualib.h>
#include <sys/socket.h>
#include "craft/craft.h"
#include "decode/decode.h"
#include "scenario.h"
#include "t.h"

#define FK_TAPS 8
#define FK_FRAMES 64

struct fk_frame { double t; int node; size_t len; uint8_t b[1600]; };
struct fk_tap {
	bool open;
	int link;
	struct fk_frame q[FK_FRAMES];
	int n, next;
};

struct fake {
	double t;
	bool went_back;
	struct topo topo;
	struct fk_tap taps[FK_TAPS];
	int n_taps, n_closed, n_sent;
	uint16_t ha_seq;	/* the fake home agent's last accepted sequence number */
	lua_State *cl;		/* crafts the home agent's answers */
	struct dec_record rec;
};

static struct fake F;
static char err[4096];

static int fk_wait_until(void *ctx, double t)
{
	struct fake *f = ctx;
	if (t < f->t)
		f->went_back = true;
	else
		f->t = t;
	return 0;
}

/* Queues a frame on every open tap of the link. */
static void fk_queue(struct fake *f, int link, double t, int node, const uint8_t *b, size_t n)
{
	for (int i = 0; i < f->n_taps; i++) {
		struct fk_tap *tp = &f->taps[i];
		if (!tp->open || tp->link != link || tp->n == FK_FRAMES || n > sizeof tp->q[0].b)
			continue;
		tp->q[tp->n] = (struct fk_frame){ .t = t, .node = node, .len = n };
		memcpy(tp->q[tp->n++].b, b, n);
	}
}

static size_t fk_craft(struct fake *f, const char *tbl, uint8_t *out)
{
	static struct craft_env env = { .what = "fake" };
	char src[1024];
	size_t n = 0;

	snprintf(src, sizeof src, "return %s", tbl);
	if (luaL_dostring(f->cl, src) == LUA_OK)
		n = craft_frame(f->cl, -1, &env, out, 1600);
	lua_settop(f->cl, 0);
	return n;
}

static int fk_send(void *ctx, const char *node, const char *ifname, const uint8_t *frame,
		   size_t len, char *e, size_t elen)
{
	struct fake *f = ctx;
	int n = topo_node_find(&f->topo, node);
	const struct topo_iface *fi = NULL;

	for (int i = 0; n >= 0 && i < f->topo.nodes[n].n_ifaces; i++)
		if (!strcmp(f->topo.ifaces[f->topo.nodes[n].ifaces[i]].name, ifname))
			fi = &f->topo.ifaces[f->topo.nodes[n].ifaces[i]];
	if (!fi) {
		snprintf(e, elen, "fake: no interface %s on %s", ifname, node);
		return -1;
	}
	f->n_sent++;
	fk_queue(f, fi->link, f->t, n, frame, len);
	dec_frame(frame, len, len, 1, &f->rec);
	const struct dec_field *ty = dec_get(&f->rec, DEC_F_MH_TYPE, 0);
	const struct dec_field *sq = dec_get(&f->rec, DEC_F_MH_BU_SEQ, 0);
	if (ty && ty->v.u == 5 && sq) {		/* the home agent answers */
		char tbl[512];
		uint8_t ba[1600];
		int status = sq->v.u <= f->ha_seq ? 135 : 0;
		if (!status)
			f->ha_seq = (uint16_t)sq->v.u;
		snprintf(tbl, sizeof tbl, "{ eth = { src = '02:00:00:00:00:02', dst = '02:00:00:00:00:01' },"
			 " ip6 = { src = '2001:db8:1::1', dst = '2001:db8:2::10' },"
			 " rh = { addr = '2001:db8:1::10' },"
			 " mh = { type = 'ba', status = %d, seq = %d, lifetime = 0 } }", status, f->ha_seq);
		size_t n2 = fk_craft(f, tbl, ba);
		fk_queue(f, fi->link, f->t + 0.02, 1, ba, n2);
	}
	return 0;
}

static int fk_tap_open(void *ctx, const char *link, char *e, size_t elen)
{
	struct fake *f = ctx;
	int l = topo_link_find(&f->topo, link);

	if (l < 0 || f->n_taps == FK_TAPS) {
		snprintf(e, elen, "fake: cannot tap %s", link);
		return -1;
	}
	f->taps[f->n_taps] = (struct fk_tap){ .open = true, .link = l };
	return f->n_taps++;
}

static int fk_tap_next(void *ctx, int tap, double until, uint8_t *buf, size_t cap,
		       double *t, int *node)
{
	struct fake *f = ctx;
	struct fk_tap *tp = &f->taps[tap];

	if (tp->next < tp->n && tp->q[tp->next].t <= until) {
		struct fk_frame *q = &tp->q[tp->next++];
		if (q->t > f->t)
			f->t = q->t;
		*t = q->t;
		*node = q->node;
		memcpy(buf, q->b, q->len < cap ? q->len : cap);
		return (int)q->len;
	}
	if (until > f->t)
		f->t = until;
	return 0;
}

static void fk_tap_close(void *ctx, int tap)
{
	struct fake *f = ctx;
	if (f->taps[tap].open)
		f->n_closed++;
	f->taps[tap].open = false;
}

/* mn and ha on the segment "lan"; "far" is a link mn is not on. */
static int fk_node_if[2][1] = { { 0 }, { 1 } };
static int fk_link_if[2][2] = { { 0, 1 }, { 0 } };

static void fk_iface(struct topo_iface *f, const char *name, int node, int link, uint8_t last,
		     const char *a4, const char *a6)
{
	snprintf(f->name, sizeof f->name, "%s", name);
	f->node = node;
	f->link = link;
	uint8_t mac[6] = { 2, 0, 0, 0, 0, last };
	memcpy(f->mac, mac, 6);
	f->v4.family = AF_INET;
	inet_pton(AF_INET, a4, f->v4.addr);
	f->v6.family = AF_INET6;
	inet_pton(AF_INET6, a6, f->v6.addr);
}

static void fk_init(struct fake *f)
{
	static struct topo_node nodes[2];
	static struct topo_link links[2];
	static struct topo_iface ifaces[2];
	lua_State *cl = f->cl;

	memset(f, 0, sizeof *f);
	memset(nodes, 0, sizeof nodes);
	memset(links, 0, sizeof links);
	memset(ifaces, 0, sizeof ifaces);
	f->cl = cl;
	f->ha_seq = 100;
	snprintf(f->topo.name, sizeof f->topo.name, "fake");
	snprintf(nodes[0].name, TOPO_NAME_MAX, "mn");
	snprintf(nodes[1].name, TOPO_NAME_MAX, "ha");
	for (int i = 0; i < 2; i++) {
		nodes[i].ifaces = fk_node_if[i];
		nodes[i].n_ifaces = 1;
	}
	fk_iface(&ifaces[0], "eth0", 0, 0, 1, "10.0.2.10", "2001:db8:2::10");
	fk_iface(&ifaces[1], "eth0", 1, 0, 2, "10.0.2.1", "2001:db8:1::1");
	snprintf(links[0].name, TOPO_NAME_MAX, "lan");
	links[0].kind = TOPO_SEGMENT;
	links[0].ifaces = fk_link_if[0];
	links[0].n_ifaces = 2;
	snprintf(links[1].name, TOPO_NAME_MAX, "far");
	links[1].kind = TOPO_P2P;
	f->topo.nodes = nodes;
	f->topo.n_nodes = 2;
	f->topo.links = links;
	f->topo.n_links = 2;
	f->topo.ifaces = ifaces;
	f->topo.n_ifaces = 2;
}

static const char *fixture(const char *name)
{
	static char buf[1024];
	const char *top = getenv("ROAM_TOP");
	snprintf(buf, sizeof buf, "%s/tests/scenario/%s", top ? top : ".", name);
	return buf;
}

static int run_fixture(const char *name)
{
	struct scn_ops o = {
		.wait_until = fk_wait_until, .send_frame = fk_send, .tap_open = fk_tap_open,
		.tap_next = fk_tap_next, .tap_close = fk_tap_close, .topo = &F.topo,
	};
	struct scn *s;
	int rc;

	fk_init(&F);
	err[0] = '\0';
	s = scn_load(fixture(name), NULL, 0, err, sizeof err);
	if (!s)
		return -1;
	rc = scn_run(s, &o, &F, err, sizeof err);
	scn_free(s);
	return rc;
}

static void test_bu_ba(void)
{
	int rc = run_fixture("craft-bu.lua");
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(rc, 0);
	CHECK_EQ(F.n_sent, 4);
	CHECK(F.n_taps >= 2);
	CHECK_EQ(F.n_closed, F.n_taps);	/* every tap closed when the run ended */
	CHECK(!F.went_back);
}

static void test_expect_fails_softly(void)
{
	/* A failed expectation is not an error: the scenario's check fails. */
	CHECK_EQ(run_fixture("craft-miss.lua"), 1);
	CHECK(strstr(err, "1 check failed") != NULL);
}

static void test_errors(void)
{
	CHECK_EQ(run_fixture("craft-errors.lua"), 2);
	CHECK(strstr(err, "craft-errors.lua:4:") != NULL);
	CHECK(strstr(err, "send: mh.sequence: unknown field; expected one of") != NULL);
	CHECK_EQ(F.n_sent, 0);
}

static void test_arg_errors(void)
{
	int rc = run_fixture("craft-args.lua");
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(rc, 0);
	CHECK_EQ(F.n_sent, 0);
}

T_MAIN_BEGIN("craft_lua")
	F.cl = luaL_newstate();
	RUN(test_bu_ba);
	RUN(test_expect_fails_softly);
	RUN(test_errors);
	RUN(test_arg_errors);
	lua_close(F.cl);
T_MAIN_END
