/* scenario_craft.c — active tests from scenarios (docs/crafting.md):
 * send{} builds a frame from a table in the decoders' vocabulary and sends
 * it from a node's interface; listen{} opens a tap on a link; expect{} and
 * expect_none{} wait, with a timeout, for a decoded frame whose fields match.
 * craft{} returns the bytes without sending.
 *
 * Taps. send{} keeps an implicit tap open on the link it sends on (opened
 * before the first frame goes out, so a fast answer is not missed), and
 * expect{on=} reads the implicit tap of its link (opening it on first use):
 * it considers the frames seen since the last send{} of the scenario. A
 * listen{} tap considers every frame since it was opened. A frame that
 * matched an expectation is consumed; the others stay (up to CR_BACKLOG
 * per tap) for later expectations. Waiting lets the other coroutines of the
 * scenario run: the wait is cut at the clock's next event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "craft/craft.h"
#include "craft/craft_lua.h"
#include "evlog.h"
#include "scenario_int.h"

#define CR_STATE_KEY "roam.craft"
#define CR_TAP_MT "roam.tap"
#define CR_BACKLOG 256		/* frames kept per tap */
#define CR_EXPECT_WITHIN 1.0	/* seconds, expect{} without within= */
#define DLT_ETHERNET 1

struct cr_frame {
	uint64_t seq;
	double t;		/* run time seen */
	int node;		/* sender, index into the topology (-1 unknown) */
	uint32_t len;
	uint8_t *data;
	bool used;		/* consumed by a match */
};

struct cr_tap {
	int handle;		/* from ops->tap_open */
	int link;		/* index into the topology's links */
	bool open, implicit;
	double opened;		/* run time it was opened */
	struct cr_frame fr[CR_BACKLOG];
	int head, n;		/* ring of the frames read and kept */
	uint64_t next_seq;
	struct cr_tap *next;	/* the state's list of open taps */
};

struct cr_state {
	struct cr_tap *taps;	/* open taps: implicit (malloc'd) and listen{} */
	double last_send;	/* run time of the last send{} (-1: none) */
	struct dec_record *rec;
	uint8_t buf[CRAFT_MAX];
};

enum cr_mode { CR_EXPECT, CR_EXPECT_NONE };

/* One expect{} in progress (kept on the Lua stack across yields). */
struct cr_wait {
	struct cr_tap *tap;
	enum cr_mode mode;
	double deadline, since, within;
	int from;		/* node index, -1 any */
	uint64_t next_seq;	/* first frame of the backlog not yet examined */
	int seen, best;		/* frames examined, most keys one of them matched */
	char why[320];		/* about the closest frame */
};

static void cr_tap_free_frames(struct cr_tap *tp)
{
	for (int i = 0; i < tp->n; i++)
		free(tp->fr[(tp->head + i) % CR_BACKLOG].data);
	tp->n = 0;
}

static int cr_state_gc(lua_State *L)
{
	struct cr_state *st = lua_touserdata(L, 1);
	struct cr_tap *tp = st->taps, *nx;

	for (; tp; tp = nx) {
		nx = tp->next;
		if (tp->implicit) {
			cr_tap_free_frames(tp);
			free(tp);
		}
	}
	st->taps = NULL;
	free(st->rec);
	st->rec = NULL;
	return 0;
}

static struct cr_state *cr_state(lua_State *L)
{
	struct cr_state *st;

	if (lua_getfield(L, LUA_REGISTRYINDEX, CR_STATE_KEY) == LUA_TUSERDATA) {
		st = lua_touserdata(L, -1);
		lua_pop(L, 1);
		return st;
	}
	lua_pop(L, 1);
	st = lua_newuserdatauv(L, sizeof *st, 0);
	memset(st, 0, offsetof(struct cr_state, buf));
	st->last_send = -1;
	st->rec = malloc(sizeof *st->rec);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, cr_state_gc);
	lua_setfield(L, -2, "__gc");
	lua_setmetatable(L, -2);
	lua_setfield(L, LUA_REGISTRYINDEX, CR_STATE_KEY);
	if (!st->rec)
		luaL_error(L, "scenario: out of memory for a decoded record");
	return st;
}

static const struct topo *cr_topo(lua_State *L, const char *what)
{
	struct scn *s = scn_self(L);

	scn_need_run(L, what);
	if (!s->ops->topo)
		luaL_error(L, "%s: expected a loaded topology vs none", what);
	return s->ops->topo;
}

static int cr_find_node(lua_State *L, const struct topo *t, const char *name, const char *what)
{
	int i = topo_node_find(t, name);
	if (i < 0)
		luaL_error(L, "%s: expected a node of topology %s vs \"%s\"", what, t->name, name);
	return i;
}

static int cr_find_link(lua_State *L, const struct topo *t, const char *name, const char *what)
{
	int i = topo_link_find(t, name);
	if (i < 0)
		luaL_error(L, "%s: expected a link of topology %s vs \"%s\"", what, t->name, name);
	return i;
}

/* A string field of the table at idx, or NULL when absent. */
static const char *cr_optstr(lua_State *L, int idx, const char *key, const char *what)
{
	const char *v = NULL;
	int ty = lua_getfield(L, idx, key);

	if (ty == LUA_TSTRING)
		v = lua_tostring(L, -1);
	else if (ty != LUA_TNIL)
		luaL_error(L, "%s{%s=}: expected a name vs %s", what, key, luaL_typename(L, -1));
	lua_pop(L, 1);	/* the table keeps the string alive */
	return v;
}

/* ---- taps ---- */

static void cr_tap_start(lua_State *L, struct cr_tap *tp, int link, bool implicit,
			 const char *what)
{
	struct scn *s = scn_self(L);
	struct cr_state *st = cr_state(L);
	char err[512] = "";

	if (!s->ops->tap_open || !s->ops->tap_next)
		luaL_error(L, "%s: taps are not supported by this run", what);
	tp->handle = s->ops->tap_open(s->ctx, s->ops->topo->links[link].name, err, sizeof err);
	if (tp->handle < 0)
		luaL_error(L, "%s: %s", what, err);
	tp->link = link;
	tp->open = true;
	tp->implicit = implicit;
	tp->opened = s->now;
	tp->next = st->taps;
	st->taps = tp;
}

static void cr_tap_stop(struct scn *s, struct cr_tap *tp)
{
	if (tp->open && s->ops && s->ops->tap_close)
		s->ops->tap_close(s->ctx, tp->handle);
	tp->open = false;
}

static struct cr_tap *cr_implicit(lua_State *L, int link, const char *what)
{
	struct cr_state *st = cr_state(L);
	struct cr_tap *tp;

	for (tp = st->taps; tp; tp = tp->next)
		if (tp->implicit && tp->link == link)
			return tp;
	tp = calloc(1, sizeof *tp);
	if (!tp)
		luaL_error(L, "%s: out of memory for a tap", what);
	cr_tap_start(L, tp, link, true, what);
	return tp;
}

static void cr_tap_push(struct cr_tap *tp, const uint8_t *b, size_t n, double t, int node)
{
	struct cr_frame *f;
	uint8_t *d = malloc(n ? n : 1);

	if (!d)
		return;
	if (tp->n == CR_BACKLOG) {
		free(tp->fr[tp->head].data);
		tp->head = (tp->head + 1) % CR_BACKLOG;
		tp->n--;
	}
	f = &tp->fr[(tp->head + tp->n++) % CR_BACKLOG];
	memcpy(d, b, n);
	*f = (struct cr_frame){ .seq = tp->next_seq++, .t = t, .node = node,
				.len = (uint32_t)n, .data = d };
}

/* listen{ on = "link" } */
static int cr_l_listen(lua_State *L)
{
	const struct topo *t = cr_topo(L, "listen");
	const char *on;
	struct cr_tap *tp;

	luaL_checktype(L, 1, LUA_TTABLE);
	on = cr_optstr(L, 1, "on", "listen");
	if (!on)
		return luaL_error(L, "listen{on=}: expected a link name vs none");
	int link = cr_find_link(L, t, on, "listen");
	tp = lua_newuserdatauv(L, sizeof *tp, 0);
	memset(tp, 0, sizeof *tp);
	luaL_setmetatable(L, CR_TAP_MT);
	cr_tap_start(L, tp, link, false, "listen");
	return 1;
}

static void cr_unlink(lua_State *L, struct cr_tap *tp)
{
	struct cr_state *st = cr_state(L);

	for (struct cr_tap **pp = &st->taps; *pp; pp = &(*pp)->next)
		if (*pp == tp) {
			*pp = tp->next;
			break;
		}
}

static int cr_l_tap_close(lua_State *L)
{
	struct cr_tap *tp = luaL_checkudata(L, 1, CR_TAP_MT);
	struct scn *s = scn_self(L);

	if (tp->open) {
		cr_tap_stop(s, tp);
		cr_unlink(L, tp);
	}
	cr_tap_free_frames(tp);
	return 0;
}

static int cr_l_tap_gc(lua_State *L)
{
	struct cr_tap *tp = lua_touserdata(L, 1);
	struct scn *s = scn_self(L);

	if (tp->open) {
		if (s->running)
			cr_tap_stop(s, tp);
		tp->open = false;
		cr_unlink(L, tp);
	}
	cr_tap_free_frames(tp);
	return 0;
}

void scn_craft_end(struct scn *s)
{
	lua_State *L = s->L;
	struct cr_state *st;

	if (lua_getfield(L, LUA_REGISTRYINDEX, CR_STATE_KEY) != LUA_TUSERDATA) {
		lua_pop(L, 1);
		return;
	}
	st = lua_touserdata(L, -1);
	lua_pop(L, 1);
	for (struct cr_tap *tp = st->taps, *nx; tp; tp = nx) {
		nx = tp->next;
		cr_tap_stop(s, tp);
		cr_tap_free_frames(tp);
		if (tp->implicit)
			free(tp);
	}
	st->taps = NULL;
}

/* ---- send{}, craft{} ---- */

static int cr_iface_of(const struct topo *t, int node, const char *ifname)
{
	const struct topo_node *nd = &t->nodes[node];

	for (int i = 0; i < nd->n_ifaces; i++)
		if (!ifname || !strcmp(t->ifaces[nd->ifaces[i]].name, ifname))
			return nd->ifaces[i];
	return -1;
}

static void cr_env_iface(struct craft_env *env, const struct topo_iface *f, bool dst)
{
	if (!dst) {
		memcpy(env->smac, f->mac, 6);
		env->has_smac = true;
	} else {
		memcpy(env->dmac, f->mac, 6);
		env->has_dmac = true;
	}
	if (f->v4.family) {
		memcpy(dst ? env->dst4 : env->src4, f->v4.addr, 4);
		*(dst ? &env->has_dst4 : &env->has_src4) = true;
	}
	if (f->v6.family) {
		memcpy(dst ? env->dst6 : env->src6, f->v6.addr, 16);
		*(dst ? &env->has_dst6 : &env->has_src6) = true;
	}
}

/* The defaults of from=, iface=, to=; returns the sending interface. */
static int cr_env(lua_State *L, const char *what, struct craft_env *env, const char **from,
		  const char **ifname)
{
	const struct topo *t = cr_topo(L, what);
	const char *to = cr_optstr(L, 1, "to", what);
	int n, fi;

	*from = cr_optstr(L, 1, "from", what);
	*ifname = cr_optstr(L, 1, "iface", what);
	if (!*from)
		luaL_error(L, "%s{from=}: expected the sending node vs none", what);
	n = cr_find_node(L, t, *from, what);
	fi = cr_iface_of(t, n, *ifname);
	if (fi < 0)
		luaL_error(L, "%s{iface=}: expected an interface of %s vs \"%s\"", what, *from,
			   *ifname ? *ifname : "(none: the node has no interface)");
	cr_env_iface(env, &t->ifaces[fi], false);
	if (to) {
		int tn = cr_find_node(L, t, to, what), ti = -1;
		const struct topo_node *nd = &t->nodes[tn];
		for (int i = 0; i < nd->n_ifaces && ti < 0; i++)
			if (t->ifaces[nd->ifaces[i]].link == t->ifaces[fi].link)
				ti = nd->ifaces[i];
		if (ti < 0)
			luaL_error(L, "%s{to=}: expected a node on the link of %s's %s vs %s, "
				   "not on it", what, *from, t->ifaces[fi].name, to);
		cr_env_iface(env, &t->ifaces[ti], true);
	}
	return fi;
}

/* send{ from=, iface=, to=, eth=, ip6=, ... } -> frame length */
static int cr_l_send(lua_State *L)
{
	struct scn *s = scn_self(L);
	struct cr_state *st = cr_state(L);
	struct craft_env env = { .what = "send" };
	const char *from, *ifname;
	char err[512] = "", e1[64], e2[64];
	size_t len;
	int fi;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	fi = cr_env(L, "send", &env, &from, &ifname);
	len = craft_frame(L, 1, &env, st->buf, sizeof st->buf);
	const struct topo *t = s->ops->topo;
	int link = t->ifaces[fi].link;
	if (link >= 0 && s->ops->tap_open && s->ops->tap_next)
		cr_implicit(L, link, "send");
	if (!s->ops->send_frame)
		return luaL_error(L, "send: not supported by this run");
	st->last_send = s->now;
	if (s->ops->send_frame(s->ctx, from, t->ifaces[fi].name, st->buf, len, err, sizeof err) < 0)
		return luaL_error(L, "send: %s", err);
	evlog("send", "\"node\":\"%s\",\"iface\":\"%s\",\"len\":%zu",
	      json_esc(from, e1, sizeof e1), json_esc(t->ifaces[fi].name, e2, sizeof e2), len);
	lua_pushinteger(L, (lua_Integer)len);
	return 1;
}

/* craft{ ... } -> the frame's bytes (from= gives the node's defaults) */
static int cr_l_craft(lua_State *L)
{
	struct cr_state *st = cr_state(L);
	struct craft_env env = { .what = "craft" };
	const char *from, *ifname;

	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (cr_optstr(L, 1, "from", "craft"))
		cr_env(L, "craft", &env, &from, &ifname);
	size_t len = craft_frame(L, 1, &env, st->buf, sizeof st->buf);
	lua_pushlstring(L, (const char *)st->buf, len);
	return 1;
}

/* ---- expect{}, expect_none{} ---- */

/* Stack while waiting: 1 the arguments, 2 the struct cr_wait, 3 the tap's
 * userdata (keeps a listen{} tap alive) or nil. */
static int cr_wait_step(lua_State *L, int status, lua_KContext kctx);

static int cr_wait_result(lua_State *L, struct cr_wait *w, const struct cr_frame *f)
{
	struct scn *s = scn_self(L);
	const struct topo *t = s->ops->topo;
	char reason[640], e1[64];

	if (f && f->t > s->now)
		s->now = f->t;
	if (!f && w->deadline > s->now)
		s->now = w->deadline;
	if (f) {
		struct cr_state *st = cr_state(L);
		craft_push_record(L, st->rec);
		lua_pushnumber(L, f->t);
		lua_setfield(L, -2, "t");
		lua_pushstring(L, t->links[w->tap->link].name);
		lua_setfield(L, -2, "link");
		if (f->node >= 0 && f->node < t->n_nodes) {
			lua_pushstring(L, t->nodes[f->node].name);
			lua_setfield(L, -2, "node");
		}
	}
	if (w->mode == CR_EXPECT && f) {
		evlog("expect", "\"ok\":true,\"link\":\"%s\",\"t_frame\":%.6f",
		      json_esc(t->links[w->tap->link].name, e1, sizeof e1), f->t);
		return 1;
	}
	if (w->mode == CR_EXPECT_NONE && !f) {
		evlog("expect_none", "\"ok\":true,\"link\":\"%s\"",
		      json_esc(t->links[w->tap->link].name, e1, sizeof e1));
		lua_pushboolean(L, 1);
		return 1;
	}
	if (f)
		snprintf(reason, sizeof reason, "a frame on %s at %.3fs matched, expected none",
			 t->links[w->tap->link].name, f->t);
	else
		snprintf(reason, sizeof reason, "no frame on %s matched within %.3fs "
			 "(%d frame%s seen%s%s)", t->links[w->tap->link].name,
			 w->within,
			 w->seen, w->seen == 1 ? "" : "s", w->why[0] ? "; closest " : "", w->why);
	char er[1024];
	evlog(w->mode == CR_EXPECT ? "expect" : "expect_none", "\"ok\":false,\"why\":\"%s\"",
	      json_esc(reason, er, sizeof er));
	if (w->mode == CR_EXPECT) {
		lua_pushnil(L);
		lua_pushstring(L, reason);
		return 2;
	}
	lua_pushboolean(L, 0);
	lua_pushstring(L, reason);
	lua_rotate(L, -3, 2);	/* false, reason, record */
	return 3;
}

/* Is the frame from the node asked for? An unknown sender is judged by its
 * source MAC. */
static bool cr_from_ok(const struct topo *t, const struct cr_wait *w, const struct cr_frame *f)
{
	if (w->from < 0 || f->node == w->from)
		return true;
	if (f->node >= 0 || f->len < 12)
		return false;
	const struct topo_node *nd = &t->nodes[w->from];
	for (int i = 0; i < nd->n_ifaces; i++)
		if (!memcmp(t->ifaces[nd->ifaces[i]].mac, f->data + 6, 6))
			return true;
	return false;
}

/* Decodes and matches one frame; true when it matched. */
static bool cr_examine(lua_State *L, struct cr_wait *w, struct cr_frame *f)
{
	struct scn *s = scn_self(L);
	struct cr_state *st = cr_state(L);
	char why[256];
	int n_ok;
	bool ok;

	if (f->used || f->t < w->since)
		return false;
	w->seen++;
	if (!cr_from_ok(s->ops->topo, w, f))
		return false;
	dec_frame(f->data, f->len, f->len, DLT_ETHERNET, st->rec);
	st->rec->frame = f->seq + 1;
	lua_getfield(L, 1, "match");
	ok = craft_match(L, -1, st->rec, &n_ok, why, sizeof why);
	lua_pop(L, 1);
	if (ok) {
		f->used = true;
		return true;
	}
	if (n_ok >= w->best) {
		w->best = n_ok;
		snprintf(w->why, sizeof w->why, "at %.3fs: %s", f->t, why);
	}
	return false;
}

static int cr_wait_step(lua_State *L, int status, lua_KContext kctx)
{
	struct cr_wait *w = lua_touserdata(L, 2);
	struct scn *s = scn_self(L);
	struct cr_state *st = cr_state(L);
	struct cr_tap *tp = w->tap;

	(void)status;
	(void)kctx;
	for (;;) {
		for (int i = 0; i < tp->n; i++) {
			struct cr_frame *f = &tp->fr[(tp->head + i) % CR_BACKLOG];
			if (f->seq < w->next_seq)
				continue;
			w->next_seq = f->seq + 1;
			if (cr_examine(L, w, f))
				return cr_wait_result(L, w, f);
		}
		if (!tp->open)
			return cr_wait_result(L, w, NULL);
		double until = w->deadline, t = 0;
		int node = -1;
		if (s->n_ev > 0 && s->heap[0].t < until)
			until = s->heap[0].t;
		int n = s->ops->tap_next(s->ctx, tp->handle, until, st->buf, sizeof st->buf, &t, &node);
		if (n < 0)
			return luaL_error(L, "expect: the run is stopping");
		if (n > 0) {
			cr_tap_push(tp, st->buf, (size_t)n < sizeof st->buf ? (size_t)n : sizeof st->buf,
				    t, node);
			continue;
		}
		if (until >= w->deadline)
			return cr_wait_result(L, w, NULL);
		/* Another event of the clock is due first: let it run. */
		if (until > s->now)
			s->now = until;
		s->wake = until;
		s->yield = SCN_Y_WAIT;
		return lua_yieldk(L, 0, 0, cr_wait_step);
	}
}

/* expect{} / expect_none{} / tap:expect{} / tap:expect_none{} */
static int cr_wait_begin(lua_State *L, enum cr_mode mode, bool method)
{
	const char *what = mode == CR_EXPECT ? "expect" : "expect_none";
	const struct topo *t = cr_topo(L, what);
	struct scn *s = scn_self(L);
	struct cr_state *st = cr_state(L);
	struct cr_tap *tp;
	struct cr_wait *w;
	double within = CR_EXPECT_WITHIN;

	if (method) {
		tp = luaL_checkudata(L, 1, CR_TAP_MT);
		luaL_checktype(L, 2, LUA_TTABLE);
		lua_settop(L, 2);
		lua_rotate(L, 1, 1);	/* args, tap */
	} else {
		luaL_checktype(L, 1, LUA_TTABLE);
		lua_settop(L, 1);
		const char *on = cr_optstr(L, 1, "on", what);
		if (!on)
			return luaL_error(L, "%s{on=}: expected a link name vs none", what);
		tp = cr_implicit(L, cr_find_link(L, t, on, what), what);
		lua_pushnil(L);
	}
	if (!tp->open)
		return luaL_error(L, "%s: expected an open tap vs a closed one", what);
	if (!s->running || !lua_isyieldable(L))
		return luaL_error(L, "%s: expected to be called inside an at/every function", what);
	if (lua_getfield(L, 1, "match") == LUA_TNIL)
		return luaL_error(L, "%s{match=}: expected a table of field = value vs none", what);
	craft_match_check(L, -1, what);
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "within") != LUA_TNIL)
		within = scn_check_time(L, -1, what);
	lua_pop(L, 1);
	w = lua_newuserdatauv(L, sizeof *w, 0);
	memset(w, 0, sizeof *w);
	w->tap = tp;
	w->mode = mode;
	{
		/* from the real clock when commands made it run ahead of the
		 * schedule: an answer is given `within` from when we start looking */
		double base = s->now;
		if (s->ops->now && s->ops->now(s->ctx) > base)
			base = s->ops->now(s->ctx);
		w->deadline = base + within;
	}
	w->within = within;
	w->since = tp->opened;
	if (tp->implicit && st->last_send > w->since)
		w->since = st->last_send;
	w->from = -1;
	const char *from = cr_optstr(L, 1, "from", what);
	if (from)
		w->from = cr_find_node(L, t, from, what);
	lua_insert(L, 2);	/* args, wait, tap-or-nil */
	return cr_wait_step(L, LUA_OK, 0);
}

static int cr_l_expect(lua_State *L) { return cr_wait_begin(L, CR_EXPECT, false); }
static int cr_l_expect_none(lua_State *L) { return cr_wait_begin(L, CR_EXPECT_NONE, false); }
static int cr_l_tap_expect(lua_State *L) { return cr_wait_begin(L, CR_EXPECT, true); }
static int cr_l_tap_expect_none(lua_State *L) { return cr_wait_begin(L, CR_EXPECT_NONE, true); }

static const luaL_Reg cr_api[] = {
	{ "send", cr_l_send },
	{ "craft", cr_l_craft },
	{ "listen", cr_l_listen },
	{ "expect", cr_l_expect },
	{ "expect_none", cr_l_expect_none },
	{ NULL, NULL }
};
static const luaL_Reg cr_tap_methods[] = {
	{ "expect", cr_l_tap_expect },
	{ "expect_none", cr_l_tap_expect_none },
	{ "close", cr_l_tap_close },
	{ NULL, NULL }
};

void scn_craft_open(lua_State *L)
{
	luaL_newmetatable(L, CR_TAP_MT);
	lua_newtable(L);
	luaL_setfuncs(L, cr_tap_methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, cr_l_tap_gc);
	lua_setfield(L, -2, "__gc");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
	luaL_setfuncs(L, cr_api, 0);
}
