/* lrules.c — rule files in Lua: the sandbox they run in, rule{} and the
 * selectors it compiles, packets as userdata with lazy field access
 * (p["mh.bu.seq"], p.t, p.frame, p.link, p:bytes("mh")), the ctx table
 * (events, topology, roles) and the calls of every check. */
#include <arpa/inet.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "check_int.h"
#include "lcrypto.h"
#include "lsafe.h"

#define CK_PKT_MT "roam.packet"
#define CK_DEC_CACHE 4
#define CK_CHECK_SECS ck_budget()	/* watchdog: seconds per load or check() */
#define CK_MEM_MAX ((size_t)512 << 20)	/* bytes the rules' Lua state may hold */
#define CK_SEL_LIMIT 2000000u	/* frames kept per rule */
#define CK_HOOK_EVERY 1000	/* Lua instructions between two calls of the hook */

struct ck_lrule {
	int ref;		/* the rule table */
	char *id, *file;
	int line;
	struct ck_sel sel;
	uint32_t *pk; size_t n, cap;
	uint64_t selected;
	bool never;
};

struct ck_lua {
	lua_State *L;
	struct ck_run *run;
	struct ck_store *st;
	struct ck_lrule *r; int n;
	int helpers_ref, cache_ref, ctx_ref;
	int names_ref;		/* field name -> id | depth << 16 */
	struct dec_record *rec[CK_DEC_CACHE];
	uint32_t which[CK_DEC_CACHE];
	int next_slot;
	double deadline;
	uint32_t last_pkt;	/* the packet a check last read (names a rule error's frame) */
	struct lsafe_mem mem;	/* the Lua state's allocator */
	uint64_t ticks;		/* CK_HOOK_EVERY Lua instructions each (the growth test) */
};

static double ck_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 120 s, or ROAM_CHECK_SECS (tests of the watchdog) */
static double ck_budget(void)
{
	const char *e = getenv("ROAM_CHECK_SECS");
	double v = e ? atof(e) : 0;
	return v > 0 ? v : 120.0;
}

static struct ck_lua *ck_self(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/* ---- where the Lua files are ---- */
static bool ck_has_lib(const char *dir)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/roam/rules.lua", dir);
	return access(p, R_OK) == 0;
}

const char *ck_lua_dir(void)
{
	static char dir[4096];
	const char *e = getenv("ROAM_LUA");
	char exe[4096];
	ssize_t n;

	if (e && ck_has_lib(e))
		return e;
	if ((e = getenv("ROAM_TOP"))) {
		snprintf(dir, sizeof dir, "%s/lua", e);
		if (ck_has_lib(dir))
			return dir;
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0) {
		exe[n] = 0;
		for (int up = 0; up < 5; up++) {
			char *s = strrchr(exe, '/');
			if (!s)
				break;
			*s = 0;
			snprintf(dir, sizeof dir, "%s/lua", exe);
			if (ck_has_lib(dir))
				return dir;
		}
	}
	return "lua";
}

/* ---- packets ---- */
struct ck_lpkt { uint32_t idx; };

static struct dec_record *ck_decoded(struct ck_lua *cl, uint32_t idx)
{
	cl->last_pkt = idx;
	for (int i = 0; i < CK_DEC_CACHE; i++)
		if (cl->which[i] == idx)
			return cl->rec[i];
	int s = cl->next_slot;
	cl->next_slot = (s + 1) % CK_DEC_CACHE;
	const struct ck_pkt *p = &cl->st->p[idx];
	dec_frame(p->data, p->caplen, p->wirelen, p->linktype, cl->rec[s]);
	cl->rec[s]->frame = p->frame;
	cl->rec[s]->ts_ns = p->ts_ns;
	cl->which[s] = idx;
	return cl->rec[s];
}

static void ck_push_field(lua_State *L, const struct dec_field *f)
{
	char buf[256];

	switch (dec_field_type(f->id)) {
	case DEC_T_U:
		lua_pushinteger(L, (lua_Integer)f->v.u);
		break;
	case DEC_T_T:
		lua_pushlstring(L, (const char *)f->v.p, f->len);
		break;
	case DEC_T_L:
		lua_pushboolean(L, 1);
		break;
	default:
		lua_pushstring(L, dec_value_text(f, buf, sizeof buf));
		break;
	}
}

static struct ck_lpkt *ck_checkpkt(lua_State *L, int i)
{
	return luaL_checkudata(L, i, CK_PKT_MT);
}

static const struct dec_field *ck_pkt_field(lua_State *L, struct ck_lua *cl, uint32_t idx,
					    const char *name, struct dec_record **rp)
{
	unsigned depth;
	int id = dec_field_lookup(name, &depth);

	if (id < 0)
		luaL_error(L, "unknown field \"%s\" (see docs/decoders.md)", name);
	*rp = ck_decoded(cl, idx);
	return dec_get(*rp, (unsigned)id, depth);
}

static int ck_pkt_bytes(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	const struct ck_pkt *p = &cl->st->p[u->idx];

	if (lua_isnoneornil(L, 2)) {
		lua_pushlstring(L, (const char *)p->data, p->caplen);
		return 1;
	}
	struct dec_record *r;
	const struct dec_field *f = ck_pkt_field(L, cl, u->idx, luaL_checkstring(L, 2), &r);
	if (!f || (f->len == 0 && dec_field_type(f->id) != DEC_T_L) ||
	    (uint64_t)f->off + f->len > p->caplen)
		return 0;
	lua_pushlstring(L, (const char *)p->data + f->off, f->len);
	return 1;
}

/* p:offset(name) -> 1-based position of the field's bytes in p:bytes(). */
static int ck_pkt_offset(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	struct dec_record *r;
	const struct dec_field *f = ck_pkt_field(L, cl, u->idx, luaL_checkstring(L, 2), &r);

	if (!f || (f->len == 0 && dec_field_type(f->id) != DEC_T_L))
		return 0;
	lua_pushinteger(L, (lua_Integer)f->off + 1);
	return 1;
}

static int ck_pkt_all(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	struct dec_record *r;
	const struct dec_field *f = ck_pkt_field(L, cl, u->idx, luaL_checkstring(L, 2), &r);
	int k = 0;

	lua_newtable(L);
	for (; f; f = dec_next(r, f)) {
		ck_push_field(L, f);
		lua_rawseti(L, -2, ++k);
	}
	return 1;
}

static int ck_pkt_count(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	unsigned depth;
	int id = dec_field_lookup(luaL_checkstring(L, 2), &depth);

	if (id < 0)
		return luaL_error(L, "unknown field \"%s\"", lua_tostring(L, 2));
	lua_pushinteger(L, dec_count(ck_decoded(cl, u->idx), (unsigned)id, depth));
	return 1;
}

/* p:opts("mh.opt.type") -> list of tables, one per option group, holding
 * every field of that option ({["mh.opt.type"]=9, ["mh.opt.auth.spi"]=..}). */
static int ck_pkt_group(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	struct dec_record *r = ck_decoded(cl, u->idx);
	lua_Integer g = luaL_checkinteger(L, 2);
	char name[128];

	lua_newtable(L);
	for (unsigned i = 0; i < r->n; i++) {
		if (r->f[i].grp != g)
			continue;
		ck_push_field(L, &r->f[i]);
		lua_setfield(L, -2, dec_full_name(&r->f[i], name, sizeof name));
	}
	return 1;
}

/* p["dotted.name"]: the name's id comes from a Lua table, so the string
 * is looked up once per run, not once per access. */
static int ck_pkt_dotted(lua_State *L, struct ck_lua *cl, uint32_t idx, const char *k)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, cl->names_ref);
	lua_pushvalue(L, 2);
	lua_Integer code;
	if (lua_rawget(L, -2) == LUA_TNUMBER) {
		code = lua_tointeger(L, -1);
	} else {
		unsigned depth;
		int id = dec_field_lookup(k, &depth);
		if (id < 0)
			return luaL_error(L, "unknown field \"%s\" (see docs/decoders.md)", k);
		code = id | (lua_Integer)depth << 16;
		lua_pushvalue(L, 2);
		lua_pushinteger(L, code);
		lua_rawset(L, -4);
	}
	lua_pop(L, 2);
	const struct dec_field *f = dec_get(ck_decoded(cl, idx), (unsigned)(code & 0xffff), (unsigned)(code >> 16));
	if (!f)
		return 0;
	ck_push_field(L, f);
	return 1;
}

static int ck_pkt_index(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	const struct ck_pkt *p = &cl->st->p[u->idx];
	const char *k = luaL_checkstring(L, 2);

	cl->last_pkt = u->idx;
	if (strchr(k, '.'))
		return ck_pkt_dotted(L, cl, u->idx, k);
	if (!strcmp(k, "t")) {
		lua_pushnumber(L, ck_rel(cl->run, p->ts_ns / 1e9));
	} else if (!strcmp(k, "ts")) {
		lua_pushnumber(L, p->ts_ns / 1e9);
	} else if (!strcmp(k, "frame")) {
		lua_pushinteger(L, (lua_Integer)p->frame);
	} else if (!strcmp(k, "link")) {
		lua_pushstring(L, ck_link_name(cl->run, p->link));
	} else if (!strcmp(k, "verdict")) {
		lua_pushstring(L, dec_verdict_name(p->verdict));
	} else if (!strcmp(k, "len")) {
		lua_pushinteger(L, p->wirelen);
	} else if (!strcmp(k, "reason")) {
		lua_pushstring(L, ck_decoded(cl, u->idx)->reason);
	} else if (!strcmp(k, "src_node") || !strcmp(k, "dst_node")) {
		int n = ck_rec_node(&cl->run->map, ck_decoded(cl, u->idx), k[0] == 'd');
		if (n < 0)
			return 0;
		lua_pushstring(L, cl->run->map.nodes[n].name);
	} else if (!strcmp(k, "id")) {
		lua_pushinteger(L, u->idx);
	} else {
		lua_getmetatable(L, 1);
		lua_getfield(L, -1, "methods");
		if (lua_getfield(L, -1, k) != LUA_TNIL)
			return 1;
		lua_pop(L, 3);
		struct dec_record *r;
		const struct dec_field *f = ck_pkt_field(L, cl, u->idx, k, &r);
		if (!f)
			return 0;
		ck_push_field(L, f);
	}
	return 1;
}

static int ck_pkt_tostring(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	struct ck_lpkt *u = ck_checkpkt(L, 1);
	const struct ck_pkt *p = &cl->st->p[u->idx];

	lua_pushfstring(L, "%s#%d@%f", ck_link_name(cl->run, p->link), (int)p->frame,
			ck_rel(cl->run, p->ts_ns / 1e9));
	return 1;
}

static int ck_pkt_eq(lua_State *L)
{
	struct ck_lpkt *a = ck_checkpkt(L, 1), *b = ck_checkpkt(L, 2);
	lua_pushboolean(L, a->idx == b->idx);
	return 1;
}

/* The userdata of stored packet idx (one per packet, shared by all rules). */
static void ck_push_pkt(struct ck_lua *cl, uint32_t idx)
{
	lua_State *L = cl->L;

	lua_rawgeti(L, LUA_REGISTRYINDEX, cl->cache_ref);
	if (lua_rawgeti(L, -1, (lua_Integer)idx + 1) == LUA_TNIL) {
		lua_pop(L, 1);
		struct ck_lpkt *u = lua_newuserdatauv(L, sizeof *u, 0);
		u->idx = idx;
		luaL_setmetatable(L, CK_PKT_MT);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, (lua_Integer)idx + 1);
	}
	lua_remove(L, -2);
}

static void ck_pkt_register(struct ck_lua *cl)
{
	lua_State *L = cl->L;
	static const char *const names[] = { "bytes", "all", "count", "group", "offset" };
	static const lua_CFunction fns[] = { ck_pkt_bytes, ck_pkt_all, ck_pkt_count, ck_pkt_group,
						     ck_pkt_offset };

	luaL_newmetatable(L, CK_PKT_MT);
	lua_pushlightuserdata(L, cl);
	lua_pushcclosure(L, ck_pkt_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushlightuserdata(L, cl);
	lua_pushcclosure(L, ck_pkt_tostring, 1);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, ck_pkt_eq);
	lua_setfield(L, -2, "__eq");
	lua_newtable(L);
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		lua_pushlightuserdata(L, cl);
		lua_pushcclosure(L, fns[i], 1);
		lua_setfield(L, -2, names[i]);
	}
	lua_setfield(L, -2, "methods");
	lua_pop(L, 1);
}

/* ---- selectors from Lua tables ---- */
static int ck_sel_link(lua_State *L, struct ck_lua *cl, int idx, struct ck_conj *cj)
{
	int n = lua_type(L, idx) == LUA_TTABLE ? (int)lua_rawlen(L, idx) : 1;

	cj->links = calloc((size_t)n, sizeof *cj->links);
	for (int i = 1; i <= n; i++) {
		const char *s;
		if (lua_type(L, idx) == LUA_TTABLE) {
			lua_rawgeti(L, idx, i);
			s = luaL_checkstring(L, -1);
			lua_pop(L, 1);
		} else {
			s = luaL_checkstring(L, idx);
		}
		int li = ck_map_link_find(&cl->run->map, s);
		cj->links[cj->nlinks++] = li >= 0 ? li : -2;	/* absent link: matches nothing */
		if (!strcmp(s, "*"))
			cj->nlinks = 0;
	}
	return 0;
}

static int ck_sel_node(lua_State *L, struct ck_lua *cl, int idx, const char *key)
{
	const char *s = luaL_checkstring(L, idx);
	int n = ck_map_node_find(&cl->run->map, s);

	if (n < 0)
		return luaL_error(L, "select.%s: expected a node name or role of the topology "
				  "(or --role %s=ADDR) vs seen \"%s\"", key, s, s);
	return n;
}

static int ck_sel_verdicts(lua_State *L, int idx)
{
	int mask = 0, n = lua_type(L, idx) == LUA_TTABLE ? (int)lua_rawlen(L, idx) : 1;

	for (int i = 1; i <= n; i++) {
		if (lua_type(L, idx) == LUA_TTABLE)
			lua_rawgeti(L, idx, i);
		else
			lua_pushvalue(L, idx);
		const char *s = luaL_checkstring(L, -1);
		int v;
		for (v = 0; v < 4 && strcmp(dec_verdict_name((enum dec_verdict)v), s); v++)
			;
		if (v == 4)
			return luaL_error(L, "select.verdict: expected ok, truncated, malformed or unknown vs seen \"%s\"", s);
		mask |= 1 << v;
		lua_pop(L, 1);
	}
	return mask;
}

static void ck_cond_value(lua_State *L, int idx, struct ck_cond *c, const char *key)
{
	struct ck_val v;

	if (lua_type(L, idx) == LUA_TNUMBER) {
		memset(&v, 0, sizeof v);
		v.u = (uint64_t)lua_tointeger(L, idx);
		if (dec_field_type(c->id) != DEC_T_U)
			luaL_error(L, "select[\"%s\"]: expected a string value for this field vs seen a number", key);
	} else {
		const char *s = lua_tostring(L, idx);
		if (!s || !ck_val_parse(c->id, s, &v))
			luaL_error(L, "select[\"%s\"]: expected a value of the field's type vs seen \"%s\"",
				   key, s ? s : luaL_typename(L, idx));
	}
	c->v = realloc(c->v, (size_t)(c->nv + 1) * sizeof *c->v);
	c->v[c->nv++] = v;
}

static void ck_conj_parse(lua_State *L, struct ck_lua *cl, int t, struct ck_conj *cj)
{
	cj->from = cj->to = -1;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		int v = lua_gettop(L);
		if (lua_type(L, -2) != LUA_TSTRING) {
			luaL_error(L, "select: expected field = value pairs vs seen a %s key",
				   luaL_typename(L, -2));
		}
		const char *key = lua_tostring(L, -2);
		if (!strcmp(key, "link")) {
			ck_sel_link(L, cl, v, cj);
		} else if (!strcmp(key, "from")) {
			cj->from = ck_sel_node(L, cl, v, key);
		} else if (!strcmp(key, "to")) {
			cj->to = ck_sel_node(L, cl, v, key);
		} else if (!strcmp(key, "verdict")) {
			cj->verdicts = ck_sel_verdicts(L, v);
		} else {
			unsigned depth;
			int id = dec_field_lookup(key, &depth);
			if (id < 0 || depth >= DEC_MAX_DEPTH)
				luaL_error(L, "select: unknown field \"%s\" (see docs/decoders.md)", key);
			cj->c = realloc(cj->c, (size_t)(cj->nc + 1) * sizeof *cj->c);
			struct ck_cond *c = &cj->c[cj->nc++];
			memset(c, 0, sizeof *c);
			c->id = (uint16_t)id;
			c->depth = (uint8_t)depth;
			if (lua_type(L, v) == LUA_TBOOLEAN) {
				c->op = lua_toboolean(L, v) ? CK_PRESENT : CK_ABSENT;
			} else if (lua_type(L, v) == LUA_TTABLE) {
				c->op = CK_EQ;
				lua_getfield(L, v, "ne");
				if (!lua_isnil(L, -1)) {
					c->op = CK_NE;
					ck_cond_value(L, lua_gettop(L), c, key);
				}
				lua_pop(L, 1);
				for (int i = 1; i <= (int)lua_rawlen(L, v); i++) {
					lua_rawgeti(L, v, i);
					ck_cond_value(L, lua_gettop(L), c, key);
					lua_pop(L, 1);
				}
				if (c->nv == 0)
					luaL_error(L, "select[\"%s\"]: expected a list of values or {ne=value}", key);
			} else {
				c->op = CK_EQ;
				ck_cond_value(L, v, c, key);
			}
		}
		lua_pop(L, 1);
	}
}

static void ck_sel_parse(lua_State *L, struct ck_lua *cl, int t, struct ck_sel *s)
{
	bool list = lua_rawlen(L, t) > 0;
	int n = list ? (int)lua_rawlen(L, t) : 1;

	s->alt = calloc((size_t)n, sizeof *s->alt);
	for (int i = 1; i <= n; i++) {
		if (list) {
			lua_rawgeti(L, t, i);
			luaL_checktype(L, -1, LUA_TTABLE);
		} else {
			lua_pushvalue(L, t);
		}
		s->nalt++;
		s->alt[i - 1].from = s->alt[i - 1].to = -1;
		ck_conj_parse(L, cl, lua_gettop(L), &s->alt[i - 1]);
		lua_pop(L, 1);
	}
}

/* The keys rule{} knows: a typo (selct=) would make a rule that passes
 * vacuously, so any other key is an error naming these. */
static const char *const ck_rule_keys[] = { "id", "rfc", "text", "select", "check", "never" };

static int ck_rule_keys_check(lua_State *L, int t)
{
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		bool known = false;
		for (size_t i = 0; k && i < sizeof ck_rule_keys / sizeof *ck_rule_keys; i++)
			known |= !strcmp(k, ck_rule_keys[i]);
		if (!known) {
			lua_getfield(L, t, "id");
			const char *id = lua_tostring(L, -1);
			lua_pushvalue(L, -3);
			return luaL_error(L, "rule %s: unknown key '%s' (known: id, rfc, text, select, check, never)",
					  id ? id : "(no id)", luaL_tolstring(L, -1, NULL));
		}
		lua_pop(L, 1);
	}
	return 0;
}

/* rule{ id=, rfc=, text=, select=, check=function(pkts, ctx), never=bool } */
static int ck_l_rule(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	lua_Debug ar;

	luaL_checktype(L, 1, LUA_TTABLE);
	ck_rule_keys_check(L, 1);
	lua_getfield(L, 1, "id");
	const char *id = lua_tostring(L, -1);
	if (!id)
		return luaL_error(L, "rule: expected id = \"family.name\" vs seen none");
	for (int i = 0; i < cl->n; i++)
		if (!strcmp(cl->r[i].id, id))
			return luaL_error(L, "rule %s: id already used at %s:%d", id, cl->r[i].file, cl->r[i].line);
	lua_getfield(L, 1, "check");
	lua_getfield(L, 1, "never");
	bool never = lua_toboolean(L, -1);
	if (!lua_isfunction(L, -2) && !never)
		return luaL_error(L, "rule %s: expected check = function(pkts, ctx) or never = true", id);
	lua_pop(L, 2);
	struct ck_lrule r = { .never = never };
	r.id = strdup(id);
	lua_pop(L, 1);
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
		r.file = strdup(ar.short_src);
		r.line = ar.currentline;
	} else {
		r.file = strdup("?");
	}
	/* record it first so that an error while parsing the selector frees it */
	cl->r = realloc(cl->r, (size_t)(cl->n + 1) * sizeof *cl->r);
	cl->r[cl->n] = r;
	cl->r[cl->n].ref = LUA_NOREF;
	struct ck_lrule *rr = &cl->r[cl->n++];
	if (lua_getfield(L, 1, "select") == LUA_TTABLE)
		ck_sel_parse(L, cl, lua_gettop(L), &rr->sel);
	else if (!lua_isnil(L, -1))
		return luaL_error(L, "rule %s: expected select = {field = value, ...} vs seen a %s",
				  id, luaL_typename(L, -1));
	lua_pop(L, 1);
	lua_pushvalue(L, 1);
	rr->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* ---- the sandbox ---- */
static void ck_env_new(struct ck_lua *cl)
{
	lua_State *L = cl->L;
	static const char *const base[] = {
		"assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal",
		"rawget", "rawlen", "rawset", "select", "setmetatable", "getmetatable",
		"tonumber", "tostring", "type", "xpcall", "string", "table", "math", "utf8",
	};

	lua_newtable(L);
	for (size_t i = 0; i < sizeof base / sizeof *base; i++) {
		lua_getglobal(L, base[i]);
		lua_setfield(L, -2, base[i]);
	}
	lsafe_guard_env(L, -1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "_G");
}

static void ck_env_helpers(struct ck_lua *cl)
{
	lua_State *L = cl->L;

	if (cl->helpers_ref == LUA_NOREF)
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, cl->helpers_ref);
	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pushvalue(L, -2);
		lua_insert(L, -2);
		lua_settable(L, -5);
	}
	lua_pop(L, 1);
	ck_lua_crypto(L);	/* sha1, hmac_sha1, md5, hmac_md5 */
	lua_pushlightuserdata(L, cl);
	lua_pushcclosure(L, ck_l_rule, 1);
	lua_setfield(L, -2, "rule");
}

static int ck_msgh(lua_State *L)
{
	const char *m = lua_tostring(L, 1);
	luaL_traceback(L, L, m ? m : "(error object is not a string)", 1);
	return 1;
}

static void ck_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	lua_getfield(L, LUA_REGISTRYINDEX, "roam.check");
	struct ck_lua *cl = lua_touserdata(L, -1);
	lua_pop(L, 1);
	if (cl)
		cl->ticks++;
	int sig = lsafe_signal();
	if (sig) {
		lua_pushfstring(L, "stopped by %s", strsignal(sig));
		lsafe_doom(L, lua_tostring(L, -1));
	}
	if (cl && cl->ticks % 1000 == 0 && cl->deadline > 0 && ck_now() > cl->deadline) {
		lua_pushfstring(L, "watchdog: the check ran longer than %f s", CK_CHECK_SECS);
		lsafe_doom(L, lua_tostring(L, -1));
	}
}

/* Loads file in its own environment env (on the stack top) and runs it. */
static int ck_run_file(struct ck_lua *cl, const char *path, int nres, char *err, size_t errlen)
{
	lua_State *L = cl->L;
	int env = lua_gettop(L);

	lua_pushcfunction(L, ck_msgh);
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_settop(L, env - 1);
		return 2;
	}
	lua_pushvalue(L, env);
	lua_setupvalue(L, -2, 1);
	cl->deadline = ck_now() + CK_CHECK_SECS;
	if (lua_pcall(L, 0, nres, env + 1) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		lua_settop(L, env - 1);
		cl->deadline = 0;
		lsafe_undoom(L);
		return 2;
	}
	cl->deadline = 0;
	return 0;
}

/* ---- ctx: events, topology, roles ---- */
static void ck_push_addr(lua_State *L, const struct ck_addr *a)
{
	char buf[64];
	if (a->fam == 'm')
		snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x",
			 a->a[0], a->a[1], a->a[2], a->a[3], a->a[4], a->a[5]);
	else
		inet_ntop(a->fam == 4 ? AF_INET : AF_INET6, a->a, buf, sizeof buf);
	lua_pushstring(L, buf);
}

static void ck_ctx_build(struct ck_lua *cl)
{
	lua_State *L = cl->L;
	const struct ck_map *m = &cl->run->map;
	const struct ck_events *e = &cl->run->ev;

	lua_newtable(L);
	lua_newtable(L);	/* events */
	for (int i = 0; i < e->n; i++) {
		lua_newtable(L);
		for (int k = 0; k < e->ev[i].n_kv; k++) {
			const struct ck_kv *kv = &e->ev[i].kv[k];
			if (kv->is_num)
				lua_pushnumber(L, kv->num);
			else
				lua_pushstring(L, kv->str);
			lua_setfield(L, -2, kv->key);
		}
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "events");
	lua_newtable(L);	/* topo */
	lua_newtable(L);
	for (int i = 0; i < m->n_nodes; i++) {
		lua_newtable(L);
		lua_pushstring(L, m->nodes[i].name);
		lua_setfield(L, -2, "name");
		lua_pushstring(L, m->nodes[i].role);
		lua_setfield(L, -2, "role");
		lua_newtable(L);
		lua_newtable(L);
		int na = 0, nm = 0;
		for (int k = 0; k < m->n_addrs; k++) {
			if (m->addrs[k].node != i)
				continue;
			ck_push_addr(L, &m->addrs[k]);
			if (m->addrs[k].fam == 'm')
				lua_rawseti(L, -2, ++nm);
			else
				lua_rawseti(L, -3, ++na);
		}
		lua_setfield(L, -3, "macs");
		lua_setfield(L, -2, "addrs");
		lua_createtable(L, 0, m->nodes[i].n_conf);	/* conf: key -> string */
		for (int k = 0; k < m->nodes[i].n_conf; k++) {
			lua_pushstring(L, m->nodes[i].conf[k].str);
			lua_setfield(L, -2, m->nodes[i].conf[k].key);
		}
		lua_setfield(L, -2, "conf");
		lua_pushvalue(L, -1);
		lua_setfield(L, -3, m->nodes[i].name);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "nodes");
	lua_newtable(L);
	for (int i = 0; i < m->n_links; i++) {
		lua_pushstring(L, m->links[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, -2, "links");
	lua_pushboolean(L, m->have_topo);
	lua_setfield(L, -2, "loaded");
	lua_setfield(L, -2, "topo");
	lua_pushnumber(L, cl->run->meas.t0);
	lua_setfield(L, -2, "t0");
	cl->ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

/* node_of(addr) -> name, role; for ctx. */
static int ck_l_node_of(lua_State *L)
{
	struct ck_lua *cl = ck_self(L);
	const char *s = luaL_checkstring(L, 1);
	struct ck_val v;
	int n = -1;

	if (ck_val_parse(DEC_F_IP6_SRC, s, &v))
		n = ck_map_node(&cl->run->map, 6, v.b);
	else if (ck_val_parse(DEC_F_IP_SRC, s, &v))
		n = ck_map_node(&cl->run->map, 4, v.b);
	else if (ck_val_parse(DEC_F_ETH_SRC, s, &v) && v.blen == 6)
		n = ck_map_node(&cl->run->map, 'm', v.b);
	if (n < 0)
		return 0;
	lua_pushstring(L, cl->run->map.nodes[n].name);
	lua_pushstring(L, cl->run->map.nodes[n].role);
	return 2;
}

/* ---- life cycle ---- */
struct ck_lua *ck_lua_new(struct ck_run *run, struct ck_store *st, char *err, size_t errlen)
{
	struct ck_lua *cl = calloc(1, sizeof *cl);
	char path[4200];

	cl->run = run;
	cl->st = st;
	cl->helpers_ref = cl->cache_ref = cl->ctx_ref = cl->names_ref = LUA_NOREF;
	for (int i = 0; i < CK_DEC_CACHE; i++) {
		cl->rec[i] = malloc(sizeof *cl->rec[i]);
		cl->which[i] = UINT32_MAX;
	}
	cl->mem.max = CK_MEM_MAX;
	cl->L = lua_newstate(lsafe_alloc, &cl->mem);
	if (!cl->L) {
		snprintf(err, errlen, "luaL_newstate: out of memory");
		ck_lua_free(cl);
		return NULL;
	}
	luaL_openlibs(cl->L);
	lua_pushlightuserdata(cl->L, cl);
	lua_setfield(cl->L, LUA_REGISTRYINDEX, "roam.check");
	lua_sethook(cl->L, ck_hook, LUA_MASKCOUNT, CK_HOOK_EVERY);
	ck_pkt_register(cl);
	lua_newtable(cl->L);
	cl->cache_ref = luaL_ref(cl->L, LUA_REGISTRYINDEX);
	lua_newtable(cl->L);
	cl->names_ref = luaL_ref(cl->L, LUA_REGISTRYINDEX);
	snprintf(path, sizeof path, "%s/roam/rules.lua", ck_lua_dir());
	ck_env_new(cl);
	lua_pushlightuserdata(cl->L, cl);
	lua_pushcclosure(cl->L, ck_l_node_of, 1);
	lua_setfield(cl->L, -2, "node_of");
	if (ck_run_file(cl, path, 1, err, errlen)) {
		ck_lua_free(cl);
		return NULL;
	}
	if (!lua_istable(cl->L, -1)) {
		snprintf(err, errlen, "%s: expected it to return the table of helpers", path);
		ck_lua_free(cl);
		return NULL;
	}
	lua_pushlightuserdata(cl->L, cl);
	lua_pushcclosure(cl->L, ck_l_node_of, 1);
	lua_setfield(cl->L, -2, "node_of");
	cl->helpers_ref = luaL_ref(cl->L, LUA_REGISTRYINDEX);
	lua_pop(cl->L, 1);
	return cl;
}

static bool ck_readable(const char *p)
{
	return access(p, R_OK) == 0;
}

int ck_lua_load(struct ck_lua *cl, const char *path, char *err, size_t errlen)
{
	char p[4200];

	snprintf(p, sizeof p, "%s", path);
	if (!ck_readable(p))
		snprintf(p, sizeof p, "%s/rules/%s", ck_lua_dir(), path);
	if (!ck_readable(p))
		snprintf(p, sizeof p, "%s/rules/%s.lua", ck_lua_dir(), path);
	if (!ck_readable(p)) {
		snprintf(err, errlen, "%s: expected a readable rule file (or a name in %s/rules) vs not found",
			 path, ck_lua_dir());
		return 2;
	}
	ck_env_new(cl);
	ck_env_helpers(cl);
	int rc = ck_run_file(cl, p, 0, err, errlen);
	lua_pop(cl->L, 1);
	return rc;
}

int ck_lua_n_rules(struct ck_lua *cl)
{
	return cl->n;
}

const struct ck_sel *ck_lua_sel(struct ck_lua *cl, int i)
{
	return &cl->r[i].sel;
}

void ck_lua_select(struct ck_lua *cl, int i, uint32_t pkt)
{
	struct ck_lrule *r = &cl->r[i];

	r->selected++;
	if (r->n >= CK_SEL_LIMIT)
		return;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->pk = realloc(r->pk, r->cap * sizeof *r->pk);
	}
	r->pk[r->n++] = pkt;
}

/* ---- verdicts ---- */
static char *ck_field_str(lua_State *L, int t, const char *key)
{
	char *s = NULL;

	if (lua_getfield(L, t, key) != LUA_TNIL) {
		s = strdup(luaL_tolstring(L, -1, NULL));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return s;
}

static void ck_ref_add(struct ck_lua *cl, struct ck_result *res, int idx)
{
	lua_State *L = cl->L;
	struct ck_lpkt *u = luaL_testudata(L, idx, CK_PKT_MT);

	if (!u || res->n_refs >= CK_MAX_REFS)
		return;
	const struct ck_pkt *p = &cl->st->p[u->idx];
	for (int i = 0; i < res->n_refs; i++)
		if (res->refs[i].link == p->link && res->refs[i].frame == p->frame)
			return;
	res->refs[res->n_refs++] = (struct ck_ref){ p->link, p->frame, ck_rel(cl->run, p->ts_ns / 1e9) };
}

static void ck_verdict_read(struct ck_lua *cl, int t, struct ck_result *res)
{
	lua_State *L = cl->L;
	char *v = ck_field_str(L, t, "verdict");

	res->verdict = CK_ERROR;
	for (int i = 0; v && i < CK_NVERDICT; i++)
		if (!strcmp(v, ck_verdict_names[i]))
			res->verdict = (enum ck_verdict)i;
	if (res->verdict == CK_ERROR && !(v && !strcmp(v, "error")))
		res->note = strdup("check returned a table without verdict = pass|fail|na");
	free(v);
	if (!res->note)
		res->note = ck_field_str(L, t, "note");
	res->expected = ck_field_str(L, t, "expected");
	res->seen = ck_field_str(L, t, "seen");
	lua_getfield(L, t, "packet");
	ck_ref_add(cl, res, lua_gettop(L));
	lua_pop(L, 1);
	if (lua_getfield(L, t, "packets") == LUA_TTABLE) {
		int n = (int)lua_rawlen(L, -1);
		for (int i = 1; i <= n; i++) {
			lua_rawgeti(L, -1, i);
			ck_ref_add(cl, res, lua_gettop(L));
			lua_pop(L, 1);
		}
	}
	lua_pop(L, 1);
}

/* The check raised an error: the rule's verdict is `error`, with the
 * message and the frame it was reading; the other rules go on. */
static void ck_check_error(struct ck_lua *cl, struct ck_result *res, const char *msg)
{
	char note[2048];
	const char *tb = msg ? strstr(msg, "\nstack traceback:") : NULL;
	int mlen = tb ? (int)(tb - msg) : (int)(msg ? strlen(msg) : 5);

	if (!msg)
		msg = "error";
	res->verdict = CK_ERROR;
	if (cl->last_pkt < cl->st->n) {
		const struct ck_pkt *p = &cl->st->p[cl->last_pkt];
		res->refs[res->n_refs++] = (struct ck_ref){ p->link, p->frame, ck_rel(cl->run, p->ts_ns / 1e9) };
		snprintf(note, sizeof note, "rule error while reading %s frame %llu: %.*s",
			 ck_link_name(cl->run, p->link), (unsigned long long)p->frame, mlen, msg);
	} else {
		snprintf(note, sizeof note, "rule error: %.*s", mlen, msg);
	}
	res->note = strdup(note);
}

static void ck_check_one(struct ck_lua *cl, struct ck_lrule *r, struct ck_result *res)
{
	lua_State *L = cl->L;
	int top = lua_gettop(L);

	lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref);
	int rt = lua_gettop(L);
	res->id = strdup(r->id);
	res->rfc = ck_field_str(L, rt, "rfc");
	res->text = ck_field_str(L, rt, "text");
	char where[4200];
	snprintf(where, sizeof where, "%s:%d", r->file, r->line);
	res->where = strdup(where);
	res->selected = r->selected;
	lua_pushcfunction(L, ck_msgh);
	lua_getfield(L, rt, "check");
	if (lua_isnil(L, -1)) {	/* never = true without check */
		lua_pop(L, 1);
		lua_rawgeti(L, LUA_REGISTRYINDEX, cl->helpers_ref);
		lua_getfield(L, -1, "never_check");
		lua_remove(L, -2);
	}
	lua_createtable(L, (int)(r->n > INT32_MAX ? 0 : r->n), 0);
	for (size_t i = 0; i < r->n; i++) {
		ck_push_pkt(cl, r->pk[i]);
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, cl->ctx_ref);
	lua_pushvalue(L, rt);
	lua_setfield(L, -2, "rule");
	double t0 = ck_now();
	cl->last_pkt = UINT32_MAX;
	uint64_t k0 = cl->ticks;
	cl->deadline = t0 + CK_CHECK_SECS;
	int rc = lua_pcall(L, 2, 1, rt + 1);
	cl->deadline = 0;
	lsafe_undoom(L);
	res->secs = ck_now() - t0;
	res->kinstr = (cl->ticks - k0) * (CK_HOOK_EVERY / 1000);
	if (rc != LUA_OK) {
		ck_check_error(cl, res, lua_tostring(L, -1));
	} else if (!lua_istable(L, -1)) {
		res->verdict = CK_ERROR;
		res->note = strdup("check returned no verdict: expected pass(), fail{...} or na(why)");
	} else {
		ck_verdict_read(cl, lua_gettop(L), res);
	}
	if (r->n < r->selected && res->verdict == CK_PASS) {
		free(res->note);
		res->note = strdup("only the first frames selected were checked");
	}
	lua_settop(L, top);
}

void ck_lua_check_all(struct ck_lua *cl)
{
	struct ck_run *run = cl->run;

	if (cl->ctx_ref == LUA_NOREF)
		ck_ctx_build(cl);
	run->res = realloc(run->res, (size_t)(run->n_res + cl->n) * sizeof *run->res);
	for (int i = 0; i < cl->n; i++) {
		struct ck_result *res = &run->res[run->n_res++];
		memset(res, 0, sizeof *res);
		ck_check_one(cl, &cl->r[i], res);
	}
}

void ck_lua_free(struct ck_lua *cl)
{
	if (!cl)
		return;
	if (cl->L)
		lua_close(cl->L);
	for (int i = 0; i < cl->n; i++) {
		free(cl->r[i].id);
		free(cl->r[i].file);
		free(cl->r[i].pk);
		ck_sel_free(&cl->r[i].sel);
	}
	free(cl->r);
	for (int i = 0; i < CK_DEC_CACHE; i++)
		free(cl->rec[i]);
	free(cl);
}
