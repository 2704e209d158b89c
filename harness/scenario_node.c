/* scenario_node.c — the scenario functions that act on the live run:
 * node(name) with :exec{} and :spawn{}, link(name) with :set{} and :get(),
 * move(), position() and flow{}. Names are checked against ops->topo when
 * called; every call goes to the event log. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <lauxlib.h>
#include "evlog.h"
#include "scenario_int.h"

#define SCN_ARGV_MAX 256
#define SCN_EXEC_TIMEOUT 30.0	/* seconds, node:exec{} without timeout= */
#define SCN_FLOW_WAIT 0.2	/* the sender starts after the receiver bound */

static const struct topo *scn_topo(lua_State *L, const char *what)
{
	struct scn *s = scn_self(L);

	scn_need_run(L, what);
	if (!s->ops->topo)
		luaL_error(L, "%s: expected a loaded topology vs none", what);
	return s->ops->topo;
}

static int scn_node_index(lua_State *L, const struct topo *t, const char *name,
			  const char *what)
{
	for (int i = 0; i < t->n_nodes; i++)
		if (!strcmp(t->nodes[i].name, name))
			return i;
	return luaL_error(L, "%s: expected a node of topology %s vs \"%s\"", what,
			  t->name, name);
}

static int scn_link_index(lua_State *L, const struct topo *t, const char *name,
			  const char *what)
{
	for (int i = 0; i < t->n_links; i++)
		if (!strcmp(t->links[i].name, name))
			return i;
	return luaL_error(L, "%s: expected a link of topology %s vs \"%s\"", what,
			  t->name, name);
}

/* Calls an operation, turning a missing one or its failure into a Lua error
 * at the scenario's line. */
#define SCN_OP(L, s, op, what, ...) do { \
	char _e[512] = ""; \
	if (!(s)->ops->op) \
		luaL_error(L, "%s: not supported by this run", what); \
	if ((s)->ops->op((s)->ctx, __VA_ARGS__, _e, sizeof(_e)) < 0) \
		luaL_error(L, "%s: %s", what, _e); \
} while (0)

static const char *scn_addr(const struct topo_prefix *p, char *buf, size_t len)
{
	if (!p->family || !inet_ntop(p->family, p->addr, buf, (socklen_t)len))
		return NULL;
	return buf;
}

/* The first address of the family among the node's interfaces. */
static const char *scn_node_addr(const struct topo *t, int n, int family,
				 char *buf, size_t len)
{
	const struct topo_node *nd = &t->nodes[n];
	for (int i = 0; i < nd->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[nd->ifaces[i]];
		const struct topo_prefix *p = family == AF_INET ? &f->v4 : &f->v6;
		if (p->family == family)
			return scn_addr(p, buf, len);
	}
	return NULL;
}

static void scn_setstr(lua_State *L, const char *k, const char *v)
{
	if (!v)
		return;
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

/* Pushes the array part of the table at idx as strings on the stack and
 * fills argv (NULL-terminated). Returns the count. */
static int scn_argv(lua_State *L, int idx, char **argv, const char *what)
{
	lua_Integer n = luaL_len(L, idx);

	if (n < 1 || n >= SCN_ARGV_MAX)
		return luaL_error(L, "%s: expected 1 to %d arguments vs %d", what,
				  SCN_ARGV_MAX - 1, (int)n);
	luaL_checkstack(L, (int)n, what);
	for (int i = 1; i <= n; i++) {
		int ty = lua_geti(L, idx, i);
		if (ty != LUA_TSTRING && ty != LUA_TNUMBER)
			return luaL_error(L, "%s: expected strings vs a %s at [%d]",
					  what, lua_typename(L, ty), i);
		argv[i - 1] = (char *)lua_tostring(L, -1);
	}
	argv[n] = NULL;
	return (int)n;
}

static const char *scn_argv_json(char *const *argv, char *buf, size_t len)
{
	char one[512], esc[1024];
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; argv[i] && off < len; i++) {
		snprintf(one, sizeof(one), "%s%s", i ? " " : "", argv[i]);
		json_esc(one, esc, sizeof(esc));
		off += (size_t)snprintf(buf + off, len - off, "%s", esc);
	}
	return buf;
}

static const char *scn_self_node(lua_State *L, const char *what)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "name") != LUA_TSTRING)
		luaL_error(L, "%s: expected a node from node(name) vs a table without name", what);
	return lua_tostring(L, -1);
}

/* node(name):exec{argv..., timeout=} -> {status=, output=} */
static int scn_l_exec(lua_State *L)
{
	lua_settop(L, 2);
	struct scn *s = scn_self(L);
	const char *name = scn_self_node(L, "exec");
	char *argv[SCN_ARGV_MAX], *out = NULL, cmd[1024], en[64];
	double timeout = SCN_EXEC_TIMEOUT;
	int status = -1;

	luaL_checktype(L, 2, LUA_TTABLE);
	scn_node_index(L, scn_topo(L, "exec"), name, "exec");
	if (lua_getfield(L, 2, "timeout") != LUA_TNIL)
		timeout = scn_check_time(L, -1, "exec{timeout=}");
	scn_argv(L, 2, argv, "exec");
	scn_argv_json(argv, cmd, sizeof(cmd));
	evlog("exec", "\"node\":\"%s\",\"cmd\":\"%s\"", json_esc(name, en, sizeof(en)), cmd);
	SCN_OP(L, s, exec, "exec", name, argv, timeout, &status, &out);
	evlog("exec_done", "\"node\":\"%s\",\"cmd\":\"%s\",\"status\":%d", en, cmd, status);
	lua_createtable(L, 0, 2);
	lua_pushinteger(L, status);
	lua_setfield(L, -2, "status");
	lua_pushstring(L, out ? out : "");
	lua_setfield(L, -2, "output");
	free(out);
	return 1;
}

/* node(name):spawn{argv...} -> handle */
static int scn_l_spawn(lua_State *L)
{
	lua_settop(L, 2);
	struct scn *s = scn_self(L);
	const char *name = scn_self_node(L, "spawn");
	char *argv[SCN_ARGV_MAX], cmd[1024], en[64];
	int handle = -1;

	luaL_checktype(L, 2, LUA_TTABLE);
	scn_node_index(L, scn_topo(L, "spawn"), name, "spawn");
	scn_argv(L, 2, argv, "spawn");
	SCN_OP(L, s, spawn, "spawn", name, argv, &handle);
	evlog("spawn", "\"node\":\"%s\",\"cmd\":\"%s\",\"handle\":%d",
	      json_esc(name, en, sizeof(en)), scn_argv_json(argv, cmd, sizeof(cmd)), handle);
	lua_pushinteger(L, handle);
	return 1;
}

/* node(name) -> {name=, role=, addr4=, addr6=, ifaces={...}, x=, y=} */
static int scn_l_node(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const struct topo *t = scn_topo(L, "node");
	int n = scn_node_index(L, t, name, "node");
	const struct topo_node *nd = &t->nodes[n];
	char a[INET6_ADDRSTRLEN];

	lua_createtable(L, 0, 8);
	scn_setstr(L, "name", nd->name);
	scn_setstr(L, "role", nd->role);
	scn_setstr(L, "addr4", scn_node_addr(t, n, AF_INET, a, sizeof(a)));
	scn_setstr(L, "addr6", scn_node_addr(t, n, AF_INET6, a, sizeof(a)));
	if (nd->has_pos) {
		lua_pushnumber(L, nd->x);
		lua_setfield(L, -2, "x");
		lua_pushnumber(L, nd->y);
		lua_setfield(L, -2, "y");
	}
	lua_createtable(L, nd->n_ifaces, 0);
	for (int i = 0; i < nd->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[nd->ifaces[i]];
		lua_createtable(L, 0, 4);
		scn_setstr(L, "name", f->name);
		scn_setstr(L, "addr4", scn_addr(&f->v4, a, sizeof(a)));
		scn_setstr(L, "addr6", scn_addr(&f->v6, a, sizeof(a)));
		if (f->link >= 0 && f->link < t->n_links)
			scn_setstr(L, "link", t->links[f->link].name);
		lua_seti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "ifaces");
	luaL_setmetatable(L, "roam.node");
	return 1;
}

/* ---- links ---- */

static const struct { const char *name; int dir; } scn_dirs[] = {
	{ "forward", 0 }, { "back", 1 }, { "down", 0 }, { "up", 1 },
};

static int scn_dir(lua_State *L, int idx, const char *what)
{
	const char *d = lua_tostring(L, idx);

	for (size_t i = 0; d && i < sizeof(scn_dirs) / sizeof(scn_dirs[0]); i++)
		if (!strcmp(d, scn_dirs[i].name))
			return scn_dirs[i].dir;
	return luaL_error(L, "%s: expected dir forward, back, down or up vs %s", what,
			  d ? d : luaL_typename(L, idx));
}

static void scn_impair_get(lua_State *L, struct scn *s, const struct topo *t,
			   int li, int d, struct topo_impair *imp)
{
	if (s->ops->link_get) {
		SCN_OP(L, s, link_get, "link:get", t->links[li].name, d, imp);
		return;
	}
	*imp = t->links[li].imp[d];
}

static const char *scn_self_link(lua_State *L, const char *what)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_getfield(L, 1, "name") != LUA_TSTRING)
		luaL_error(L, "%s: expected a link from link(name) vs a table without name", what);
	return lua_tostring(L, -1);
}

/* link(name):set{delay=, loss=, ..., dir=} */
static int scn_l_link_set(lua_State *L)
{
	lua_settop(L, 2);
	struct scn *s = scn_self(L);
	const char *name = scn_self_link(L, "link:set");
	const struct topo *t = scn_topo(L, "link:set");
	int li = scn_link_index(L, t, name, "link:set"), d0 = 0, d1 = 1, copy;
	char err[256], en[64];

	luaL_checktype(L, 2, LUA_TTABLE);
	if (lua_getfield(L, 2, "dir") != LUA_TNIL)
		d0 = d1 = scn_dir(L, -1, "link:set");
	lua_pop(L, 1);
	lua_newtable(L);	/* the table without dir, for topo_impair_from_lua */
	copy = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		if (lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "dir")) {
			lua_pop(L, 1);
			continue;
		}
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, copy);
	}
	for (int d = d0; d <= d1; d++) {
		struct topo_impair imp;
		scn_impair_get(L, s, t, li, d, &imp);
		if (!topo_impair_from_lua(L, copy, &imp, err, sizeof(err)))
			return luaL_error(L, "link(\"%s\"):set: %s", name, err);
		SCN_OP(L, s, link_set, "link:set", name, d, &imp);
		evlog("link_set", "\"link\":\"%s\",\"dir\":%d,\"delay\":%g,\"jitter\":%g,"
		      "\"loss\":%g,\"rate\":%g,\"dup\":%g,\"reorder\":%g,\"ge\":%s",
		      json_esc(name, en, sizeof(en)), d, imp.delay, imp.jitter, imp.loss,
		      imp.rate, imp.dup, imp.reorder, imp.ge ? "true" : "false");
	}
	return 0;
}

static void scn_setnum(lua_State *L, const char *k, double v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, k);
}

/* link(name):get([dir]) -> the impairment, in seconds, fractions, bit/s */
static int scn_l_link_get(lua_State *L)
{
	lua_settop(L, 2);
	struct scn *s = scn_self(L);
	const char *name = scn_self_link(L, "link:get");
	const struct topo *t = scn_topo(L, "link:get");
	int li = scn_link_index(L, t, name, "link:get"), d = 0;
	struct topo_impair imp;

	if (lua_type(L, 2) == LUA_TSTRING)
		d = scn_dir(L, 2, "link:get");
	else if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "dir") != LUA_TNIL)
		d = scn_dir(L, -1, "link:get");
	scn_impair_get(L, s, t, li, d, &imp);
	lua_createtable(L, 0, 10);
	scn_setnum(L, "delay", imp.delay);
	scn_setnum(L, "jitter", imp.jitter);
	scn_setnum(L, "loss", imp.loss);
	scn_setnum(L, "loss_corr", imp.loss_corr);
	scn_setnum(L, "rate", imp.rate);
	scn_setnum(L, "dup", imp.dup);
	scn_setnum(L, "reorder", imp.reorder);
	if (imp.ge) {
		lua_createtable(L, 0, 4);
		scn_setnum(L, "p", imp.ge_p);
		scn_setnum(L, "r", imp.ge_r);
		scn_setnum(L, "loss_good", imp.ge_loss_good);
		scn_setnum(L, "loss_bad", imp.ge_loss_bad);
		lua_setfield(L, -2, "ge");
	}
	return 1;
}

static int scn_l_link(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	const struct topo *t = scn_topo(L, "link");
	int li = scn_link_index(L, t, name, "link");

	lua_createtable(L, 0, 2);
	scn_setstr(L, "name", t->links[li].name);
	scn_setstr(L, "kind", topo_link_kind_names[t->links[li].kind]);
	luaL_setmetatable(L, "roam.link");
	return 1;
}

/* ---- movement ---- */

/* move(station, cell [, gap]) */
static int scn_l_move(lua_State *L)
{
	struct scn *s = scn_self(L);
	const char *st = luaL_checkstring(L, 1), *cell = luaL_checkstring(L, 2);
	const struct topo *t = scn_topo(L, "move");
	int n = scn_node_index(L, t, st, "move"), li = scn_link_index(L, t, cell, "move");
	const struct topo_node *nd = &t->nodes[n];
	const char *from = "";
	char e1[64], e2[64], e3[64];
	double gap;
	int i;

	for (i = 0; i < nd->n_ifaces && !t->ifaces[nd->ifaces[i]].radio; i++)
		;
	if (i == nd->n_ifaces)
		return luaL_error(L, "move: expected a station with a radio interface vs "
				  "node \"%s\" without one", st);
	if (t->links[li].kind != TOPO_CELL)
		return luaL_error(L, "move: expected a cell vs %s link \"%s\"",
				  topo_link_kind_names[t->links[li].kind], cell);
	if (t->ifaces[nd->ifaces[i]].link >= 0)
		from = t->links[t->ifaces[nd->ifaces[i]].link].name;
	gap = lua_isnoneornil(L, 3) ? t->links[li].radio.handoff_gap
				    : scn_check_time(L, 3, "move");
	printf("[%8.3f] move %s: %s -> %s (gap %.3fs)\n", s->now, st,
	       *from ? from : "-", cell, gap);
	fflush(stdout);
	evlog("move", "\"station\":\"%s\",\"from\":\"%s\",\"cell\":\"%s\",\"gap\":%g",
	      json_esc(st, e1, sizeof(e1)), json_esc(from, e2, sizeof(e2)),
	      json_esc(cell, e3, sizeof(e3)), gap);
	SCN_OP(L, s, move, "move", st, cell, gap);
	return 0;
}

/* position(node, x, y) */
static int scn_l_position(lua_State *L)
{
	struct scn *s = scn_self(L);
	const char *name = luaL_checkstring(L, 1);
	double x = luaL_checknumber(L, 2), y = luaL_checknumber(L, 3);
	char en[64];

	scn_node_index(L, scn_topo(L, "position"), name, "position");
	evlog("position", "\"node\":\"%s\",\"x\":%g,\"y\":%g",
	      json_esc(name, en, sizeof(en)), x, y);
	SCN_OP(L, s, position, "position", name, x, y);
	return 0;
}

/* ---- traffic ---- */

struct scn_flow {
	const char *from, *to, *addr;
	lua_Integer id, port, size, family;
	double rate, duration;	/* duration 0: until the run ends */
};

static lua_Integer scn_optint(lua_State *L, const char *k, lua_Integer def,
			      lua_Integer lo, lua_Integer hi)
{
	lua_Integer v = def;
	int isnum;

	if (lua_getfield(L, 1, k) != LUA_TNIL) {
		v = lua_tointegerx(L, -1, &isnum);
		if (!isnum || v < lo || v > hi)
			luaL_error(L, "flow{%s=}: expected an integer %d..%d vs %s", k,
				   (int)lo, (int)hi, luaL_tolstring(L, -1, NULL));
	}
	lua_pop(L, 1);
	return v;
}

static const char *scn_reqstr(lua_State *L, const char *k)
{
	if (lua_getfield(L, 1, k) != LUA_TSTRING)
		luaL_error(L, "flow{%s=}: expected a node name vs %s", k, luaL_typename(L, -1));
	return lua_tostring(L, -1);	/* stays on the stack */
}

static void scn_flow_args(lua_State *L, struct scn *s, struct scn_flow *f)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	f->from = scn_reqstr(L, "from");
	f->to = scn_reqstr(L, "to");
	f->id = scn_optint(L, "id", s->next_flow, 1, 0x7fffffff);
	f->size = scn_optint(L, "size", 100, 20, 65507);
	f->family = scn_optint(L, "family", 0, 0, 6);
	f->port = scn_optint(L, "port", 9000 + f->id, 1, 65535);
	if (f->family != 0 && f->family != 4 && f->family != 6)
		luaL_error(L, "flow{family=}: expected 4 or 6 vs %d", (int)f->family);
	f->rate = 100;
	if (lua_getfield(L, 1, "rate") != LUA_TNIL) {
		f->rate = lua_tonumber(L, -1);
		if (!lua_isnumber(L, -1) || !(f->rate > 0) || f->rate > 1e6)
			luaL_error(L, "flow{rate=}: expected packets per second in (0, 1e6] vs %s",
				   luaL_tolstring(L, -1, NULL));
	}
	lua_pop(L, 1);
	f->duration = 0;
	if (lua_getfield(L, 1, "duration") != LUA_TNIL)
		f->duration = scn_check_time(L, -1, "flow{duration=}");
	lua_pop(L, 1);
	f->addr = NULL;
	if (lua_getfield(L, 1, "addr") == LUA_TSTRING)
		f->addr = lua_tostring(L, -1);	/* stays on the stack */
	else
		lua_pop(L, 1);
}

/* flow{from=, to=, id=, rate=, size=, duration=, port=, family=, addr=} */
static int scn_l_flow(lua_State *L)
{
	struct scn *s = scn_self(L);
	const struct topo *t = scn_topo(L, "flow");
	struct scn_flow f;
	char addr[INET6_ADDRSTRLEN], prog[1024], stats[1024], sport[16], sid[16],
	     srate[32], ssize[16], sdur[32], rdur[32], swait[32], e1[64], e2[64], e3[64];
	const char *outdir = s->ops->outdir ? s->ops->outdir : ".";
	int to, hr = -1, hs = -1;

	scn_flow_args(L, s, &f);
	scn_node_index(L, t, f.from, "flow{from=}");
	to = scn_node_index(L, t, f.to, "flow{to=}");
	if (!f.addr) {
		int fam = f.family == 6 ? AF_INET6 : AF_INET;
		f.addr = scn_node_addr(t, to, fam, addr, sizeof(addr));
		if (!f.addr && f.family == 0)
			f.addr = scn_node_addr(t, to, AF_INET6, addr, sizeof(addr));
		if (!f.addr)
			return luaL_error(L, "flow: expected node \"%s\" to have an IPv%d "
					  "address vs none", f.to, f.family == 6 ? 6 : 4);
	}
	if (f.id >= s->next_flow)
		s->next_flow = (int)f.id + 1;
	snprintf(prog, sizeof(prog), "%s%sroam-traffic", s->ops->bindir ? s->ops->bindir : "",
		 s->ops->bindir ? "/" : "");
	snprintf(stats, sizeof(stats), "%s/flow-%d.json", outdir, (int)f.id);
	snprintf(sport, sizeof(sport), "%d", (int)f.port);
	snprintf(sid, sizeof(sid), "%d", (int)f.id);
	snprintf(srate, sizeof(srate), "%.9g", f.rate);
	snprintf(ssize, sizeof(ssize), "%d", (int)f.size);
	snprintf(sdur, sizeof(sdur), "%.9g", f.duration);
	snprintf(rdur, sizeof(rdur), "%.9g", f.duration + SCN_FLOW_WAIT + 2);
	snprintf(swait, sizeof(swait), "%.9g", SCN_FLOW_WAIT);
	{
		char *rv[] = { prog, "recv", "--port", sport, "--stats", stats,
			       f.duration > 0 ? "--duration" : NULL, rdur, NULL };
		SCN_OP(L, s, spawn, "flow", f.to, rv, &hr);
	}
	{
		char *sv[] = { prog, "send", "--to", (char *)f.addr, "--port", sport,
			       "--flow", sid, "--rate", srate, "--size", ssize,
			       "--wait", swait, f.duration > 0 ? "--duration" : NULL,
			       sdur, NULL };
		SCN_OP(L, s, spawn, "flow", f.from, sv, &hs);
	}
	evlog("flow_start", "\"id\":%d,\"from\":\"%s\",\"to\":\"%s\",\"addr\":\"%s\","
	      "\"port\":%d,\"rate\":%g,\"size\":%d,\"duration\":%g,\"stats\":\"%s\"",
	      (int)f.id, json_esc(f.from, e1, sizeof(e1)), json_esc(f.to, e2, sizeof(e2)),
	      f.addr, (int)f.port, f.rate, (int)f.size, f.duration,
	      json_esc(stats, e3, sizeof(e3)));
	printf("[%8.3f] flow %d: %s -> %s [%s]:%d, %g pkt/s of %d bytes\n", s->now,
	       (int)f.id, f.from, f.to, f.addr, (int)f.port, f.rate, (int)f.size);
	fflush(stdout);
	lua_createtable(L, 0, 10);
	lua_pushinteger(L, f.id);
	lua_setfield(L, -2, "id");
	scn_setstr(L, "from", f.from);
	scn_setstr(L, "to", f.to);
	scn_setstr(L, "addr", f.addr);
	scn_setstr(L, "stats", stats);
	lua_pushinteger(L, f.port);
	lua_setfield(L, -2, "port");
	scn_setnum(L, "rate", f.rate);
	lua_pushinteger(L, f.size);
	lua_setfield(L, -2, "size");
	scn_setnum(L, "duration", f.duration);
	scn_setnum(L, "start", s->now + SCN_FLOW_WAIT);
	lua_pushinteger(L, hr);
	lua_setfield(L, -2, "recv_handle");
	lua_pushinteger(L, hs);
	lua_setfield(L, -2, "send_handle");
	return 1;
}

static const luaL_Reg scn_node_api[] = {
	{ "node", scn_l_node },
	{ "link", scn_l_link },
	{ "move", scn_l_move },
	{ "position", scn_l_position },
	{ "flow", scn_l_flow },
	{ NULL, NULL }
};
static const luaL_Reg scn_node_methods[] = {
	{ "exec", scn_l_exec }, { "spawn", scn_l_spawn }, { NULL, NULL }
};
static const luaL_Reg scn_link_methods[] = {
	{ "set", scn_l_link_set }, { "get", scn_l_link_get }, { NULL, NULL }
};

static void scn_meta(lua_State *L, const char *name, const luaL_Reg *methods)
{
	luaL_newmetatable(L, name);
	lua_newtable(L);
	luaL_setfuncs(L, methods, 0);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_pop(L, 1);
}

void scn_node_open(lua_State *L)
{
	scn_meta(L, "roam.node", scn_node_methods);
	scn_meta(L, "roam.link", scn_link_methods);
	luaL_setfuncs(L, scn_node_api, 0);
	scn_craft_open(L);
}
