/* topo_lua.c — runs a topology file: a Lua 5.4 chunk in a sandbox holding
 * only base functions, string, table, math, the constructors node{},
 * link{}, segment{}, cell{}, topology{} and param(). Each constructor
 * remembers the line it was called from, so that every later error can name
 * it. Then hands the result to topo_read and the resolvers. */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>
#include "lsafe.h"
#include "topo_priv.h"

#define TOPO_MAX_INSNS 50000000L	/* watchdog: instructions a topology may run */
#define TOPO_HOOK_EVERY 100000
#define TOPO_MAX_MEM (256u << 20)	/* bytes a topology's Lua state may hold */

static const char *const sandbox_base[] = {
	"assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget",
	"rawlen", "rawset", "select", "tonumber", "tostring", "type", "xpcall",
	"setmetatable", "getmetatable", "_VERSION", NULL,
};
static const char *const sandbox_libs[] = { "string", "table", "math", NULL };

/* What param() needs: the --set pairs and where to record what it resolved. */
struct param_ctx {
	struct topo *t;
	int params_cap;
	char **keys, **vals;
	bool *used;
	int n;
	long insns;
};

/* A constructor returns { kind = <name>, line = <caller's line>, args = <table> }
 * with the constructor metatable, which topo_read checks. */
static int ctor(lua_State *L)
{
	const char *kind = lua_tostring(L, lua_upvalueindex(1));
	if (!lua_istable(L, 1))
		return luaL_error(L, "%s expects a table: %s { ... }, got %s", kind, kind,
				  luaL_typename(L, 1));
	lua_Debug ar;
	int line = 0;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "l", &ar))
		line = ar.currentline;
	lua_createtable(L, 0, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_setfield(L, -2, "kind");
	lua_pushinteger(L, line);
	lua_setfield(L, -2, "line");
	lua_pushvalue(L, 1);
	lua_setfield(L, -2, "args");
	luaL_setmetatable(L, TOPO_CTOR_MT);
	return 1;
}

static void param_record(struct param_ctx *pc, const char *name, const char *val)
{
	struct topo *t = pc->t;
	for (int i = 0; i < t->n_params; i++)
		if (!strcmp(t->params[i].key, name))
			return;
	t->params = topo_grow(t->params, t->n_params, &pc->params_cap, sizeof *t->params);
	t->params[t->n_params].key = topo_strdup(name);
	t->params[t->n_params].val = topo_strdup(val);
	t->n_params++;
}

static int param(lua_State *L)
{
	struct param_ctx *pc = lua_touserdata(L, lua_upvalueindex(1));
	const char *name = luaL_checkstring(L, 1);
	int ty = lua_type(L, 2);
	if (ty != LUA_TNUMBER && ty != LUA_TSTRING && ty != LUA_TBOOLEAN)
		return luaL_error(L, "param(\"%s\", default): expected a number, string or "
				  "boolean default, got %s", name, luaL_typename(L, 2));
	lua_settop(L, 2);
	for (int i = 0; i < pc->n; i++) {
		if (strcmp(pc->keys[i], name))
			continue;
		pc->used[i] = true;
		const char *v = pc->vals[i];
		if (ty == LUA_TNUMBER) {
			if (!lua_stringtonumber(L, v))
				return luaL_error(L, "param \"%s\": expected a number (its default is "
						  "one), got --set %s=%s", name, name, v);
		} else if (ty == LUA_TBOOLEAN) {
			if (strcmp(v, "true") && strcmp(v, "false"))
				return luaL_error(L, "param \"%s\": expected true or false, got "
						  "--set %s=%s", name, name, v);
			lua_pushboolean(L, !strcmp(v, "true"));
		} else {
			lua_pushstring(L, v);
		}
		lua_replace(L, 2);
		break;
	}
	param_record(pc, name, luaL_tolstring(L, 2, NULL));
	lua_pop(L, 1);
	return 1;
}

static void watchdog(lua_State *L, lua_Debug *ar)
{
	struct param_ctx *pc = *(struct param_ctx **)lua_getextraspace(L);
	int sig = lsafe_signal();
	pc->insns += TOPO_HOOK_EVERY;
	lua_getinfo(L, "Sl", ar);
	if (sig) {
		lua_pushfstring(L, "%s:%d: topology stopped by %s", ar->short_src,
				ar->currentline, strsignal(sig));
		lsafe_doom(L, lua_tostring(L, -1));
	}
	if (pc->insns <= TOPO_MAX_INSNS)
		return;
	lua_pushfstring(L, "%s:%d: topology ran too long (more than %d instructions): a "
			"loop that never ends?", ar->short_src, ar->currentline,
			(int)TOPO_MAX_INSNS);
	lsafe_doom(L, lua_tostring(L, -1));
}

/* Builds the sandbox environment table on top of the stack. */
static void sandbox_new(lua_State *L, struct param_ctx *pc)
{
	static const char *const ctors[] = { "node", "link", "segment", "cell", "topology", NULL };
	lua_newtable(L);
	for (int i = 0; sandbox_base[i]; i++) {
		lua_getglobal(L, sandbox_base[i]);
		lua_setfield(L, -2, sandbox_base[i]);
	}
	for (int i = 0; sandbox_libs[i]; i++) {
		lua_getglobal(L, sandbox_libs[i]);
		lua_setfield(L, -2, sandbox_libs[i]);
	}
	for (int i = 0; ctors[i]; i++) {
		lua_pushstring(L, ctors[i]);
		lua_pushcclosure(L, ctor, 1);
		lua_setfield(L, -2, ctors[i]);
	}
	lua_pushlightuserdata(L, pc);
	lua_pushcclosure(L, param, 1);
	lua_setfield(L, -2, "param");
	lsafe_guard_env(L, -1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "_G");
}

static bool sets_parse(struct topo_ld *ld, struct param_ctx *pc, char *const *sets, int n)
{
	pc->keys = calloc((size_t)n + 1, sizeof *pc->keys);
	pc->vals = calloc((size_t)n + 1, sizeof *pc->vals);
	pc->used = calloc((size_t)n + 1, sizeof *pc->used);
	if (!pc->keys || !pc->vals || !pc->used)
		return topo_ld_err(ld, 0, "calloc: out of memory");
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(sets[i], '=');
		if (!eq || eq == sets[i])
			return topo_ld_err(ld, 0, "--set expects key=value, got \"%s\"", sets[i]);
		pc->keys[pc->n] = strndup(sets[i], (size_t)(eq - sets[i]));
		pc->vals[pc->n] = topo_strdup(eq + 1);
		pc->n++;
	}
	return true;
}

static bool sets_check_used(struct topo_ld *ld, struct param_ctx *pc)
{
	for (int i = 0; i < pc->n; i++) {
		if (pc->used[i])
			continue;
		char known[256] = "";
		size_t k = 0;
		for (int j = 0; j < ld->t->n_params && k < sizeof known - 40; j++)
			k += (size_t)snprintf(known + k, sizeof known - k, "%s%s", j ? ", " : "",
					      ld->t->params[j].key);
		return topo_ld_err(ld, 0, "unknown parameter \"%s\" in --set (known: %s)",
				   pc->keys[i], k ? known : "none; this topology has no param()");
	}
	return true;
}

static void sets_free(struct param_ctx *pc)
{
	for (int i = 0; i < pc->n; i++) {
		free(pc->keys[i]);
		free(pc->vals[i]);
	}
	free(pc->keys);
	free(pc->vals);
	free(pc->used);
}

static void ld_free(struct topo_ld *ld, int n_links, int n_nodes)
{
	for (int i = 0; ld->rl && i < n_links; i++) {
		free(ld->rl[i].members);
		free(ld->rl[i].addrs);
	}
	for (int i = 0; ld->rr && i < n_nodes; i++) {
		for (int j = 0; j < ld->n_rr[i]; j++) {
			free(ld->rr[i][j].to);
			free(ld->rr[i][j].via);
			free(ld->rr[i][j].dev);
		}
		free(ld->rr[i]);
	}
	topo_nmap_free(&ld->nodes);
	free(ld->stamp);
	free(ld->member_at);
	free(ld->station_of);
	free(ld->rl);
	free(ld->rr);
	free(ld->n_rr);
}

/* Copies a Lua error into ld->err, with "file: " in front when it carries
 * no "where:line:" of its own (out of memory, errors from C). */
static bool lua_fail(struct topo_ld *ld, lua_State *L)
{
	const char *msg = luaL_tolstring(L, -1, NULL);
	const char *c = strchr(msg, ':');
	size_t digits = c ? strspn(c + 1, "0123456789") : 0;
	if (c && digits && c[1 + digits] == ':')
		snprintf(ld->err, ld->errlen, "%s", msg);
	else
		snprintf(ld->err, ld->errlen, "%s: %s", ld->file, msg);
	return false;
}

/* Runs the file; leaves the returned value on the stack. */
static bool run_chunk(struct topo_ld *ld, lua_State *L, struct param_ctx *pc)
{
	luaL_openlibs(L);
	luaL_newmetatable(L, TOPO_CTOR_MT);
	lua_pop(L, 1);
	*(struct param_ctx **)lua_getextraspace(L) = pc;
	if (luaL_loadfilex(L, ld->file, "t") != LUA_OK)
		return lua_fail(ld, L);	/* syntax error, or "cannot open" */
	sandbox_new(L, pc);
	if (!lua_setupvalue(L, -2, 1))
		lua_pop(L, 1);
	lua_sethook(L, watchdog, LUA_MASKCOUNT, TOPO_HOOK_EVERY);
	lua_pushcfunction(L, lsafe_msgh);
	lua_insert(L, -2);
	if (lua_pcall(L, 0, 1, -2) != LUA_OK)
		return lua_fail(ld, L);
	lua_remove(L, -2);	/* the message handler */
	bool ok = false;
	if (lua_getmetatable(L, -1)) {
		luaL_getmetatable(L, TOPO_CTOR_MT);
		ok = lua_rawequal(L, -1, -2);
		lua_pop(L, 2);
	}
	if (ok) {
		lua_getfield(L, -1, "kind");
		ok = !strcmp(lua_tostring(L, -1), "topology");
		lua_pop(L, 1);
	}
	if (!ok)
		return topo_ld_err(ld, 0, "expected the file to return topology { ... }, got %s",
				   luaL_typename(L, -1));
	return true;
}

/* topo_read under lua_pcall: reading can run metamethods, which may raise
 * errors (and the watchdog still counts). */
static int read_protected(lua_State *L)
{
	struct topo_ld *ld = lua_touserdata(L, 1);
	lua_pushboolean(L, topo_read(ld, L, 2));
	return 1;
}

static bool read_result(struct topo_ld *ld, lua_State *L)
{
	lua_pushcfunction(L, read_protected);
	lua_pushlightuserdata(L, ld);
	lua_pushvalue(L, -3);
	if (lua_pcall(L, 2, 1, 0) != LUA_OK)
		return lua_fail(ld, L);
	return lua_toboolean(L, -1);
}

struct topo *topo_load(const char *path, char *const *sets, int n_sets,
		       char *err, size_t errlen)
{
	struct topo *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "%s: calloc: out of memory", path);
		return NULL;
	}
	t->file = topo_strdup(path);
	struct topo_ld ld = { .t = t, .file = t->file, .err = err, .errlen = errlen };
	struct param_ctx pc = { .t = t };
	struct lsafe_mem mem = { 0, TOPO_MAX_MEM };
	lua_State *L = lua_newstate(lsafe_alloc, &mem);
	bool ok = L != NULL;
	if (!L)
		topo_ld_err(&ld, 0, "lua_newstate: out of memory");
	ok = ok && sets_parse(&ld, &pc, sets, n_sets);
	ok = ok && run_chunk(&ld, L, &pc);
	ok = ok && sets_check_used(&ld, &pc);
	ok = ok && read_result(&ld, L);
	if (L)
		lua_close(L);
	ok = ok && topo_addr_build(&ld);
	ok = ok && topo_route_explicit(&ld);
	if (ok)
		topo_route_auto(t);
	ld_free(&ld, t->n_links, t->n_nodes);
	sets_free(&pc);
	if (!ok) {
		topo_free(t);
		return NULL;
	}
	return t;
}

bool topo_impair_from_lua(lua_State *L, int idx, struct topo_impair *imp,
			  char *err, size_t errlen)
{
	idx = lua_absindex(L, idx);
	if (!lua_istable(L, idx)) {
		snprintf(err, errlen, "expected an impairment table {delay=, loss=, ...}, got %s",
			 luaL_typename(L, idx));
		return false;
	}
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		if (!k || !topo_is_impair_field(k, true)) {
			char known[200] = "";
			size_t n = 0;
			for (int i = 0; topo_impair_fields[i]; i++)
				n += (size_t)snprintf(known + n, sizeof known - n, "%s%s",
						      i ? ", " : "", topo_impair_fields[i]);
			snprintf(err, errlen, "unknown field '%s' in impairment (known: %s)",
				 k ? k : luaL_typename(L, -2), known);
			lua_pop(L, 2);
			return false;
		}
		lua_pop(L, 1);
	}
	return topo_impair_read(L, idx, imp, true, err, errlen);
}
