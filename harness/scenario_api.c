/* scenario_api.c — the scenario's declaration and clock functions:
 * scenario{}, at, every, wait, now, log, check, fail, finish. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lauxlib.h>
#include <lualib.h>
#include "evlog.h"
#include "scenario_int.h"

static char *scn_strdup(lua_State *L, const char *str)
{
	char *d = strdup(str);
	if (!d)
		luaL_error(L, "scenario: out of memory");
	return d;
}

/* A path from the scenario: relative to its folder, then to the current
 * directory; the folder's reading when neither exists. */
static char *scn_resolve(lua_State *L, const char *p)
{
	struct scn *s = scn_self(L);
	char buf[4096];

	if (p[0] == '/')
		return scn_strdup(L, p);
	snprintf(buf, sizeof(buf), "%s/%s", s->dir, p);
	if (access(buf, F_OK) != 0 && access(p, F_OK) == 0)
		return scn_strdup(L, p);
	return scn_strdup(L, buf);
}

static char **scn_strv_push(lua_State *L, char **v, int *n, char *str)
{
	char **nv = realloc(v, (size_t)(*n + 1) * sizeof(*nv));
	if (!nv) {
		free(str);
		luaL_error(L, "scenario: out of memory");
		return v;
	}
	nv[(*n)++] = str;
	return nv;
}

static void scn_decl_set(lua_State *L, struct scn_info *in, int idx)
{
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *v;
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "scenario{set=}: expected string keys vs a %s",
				   luaL_typename(L, -2));
		v = luaL_tolstring(L, -1, NULL);
		lua_pushfstring(L, "%s=%s", lua_tostring(L, -3), v);
		in->sets = scn_strv_push(L, in->sets, &in->n_sets,
					 scn_strdup(L, lua_tostring(L, -1)));
		lua_pop(L, 3);
	}
}

static void scn_decl_rules(lua_State *L, struct scn_info *in, int idx)
{
	lua_Integer i, n;

	luaL_checktype(L, idx, LUA_TTABLE);
	n = luaL_len(L, idx);
	for (i = 1; i <= n; i++) {
		if (lua_geti(L, idx, i) != LUA_TSTRING)
			luaL_error(L, "scenario{rules=}: expected file names vs a %s at [%d]",
				   luaL_typename(L, -1), (int)i);
		in->rules = scn_strv_push(L, in->rules, &in->n_rules,
					  scn_resolve(L, lua_tostring(L, -1)));
		lua_pop(L, 1);
	}
}

static const char *const scn_decl_keys[] = {
	"name", "topology", "set", "duration", "rules", NULL
};

/* scenario{name=, topology=, set=, duration=, rules=} */
static int scn_l_scenario(lua_State *L)
{
	struct scn *s = scn_self(L);
	struct scn_info *in = &s->info;

	luaL_checktype(L, 1, LUA_TTABLE);
	if (s->declared || s->running)
		return luaL_error(L, "scenario{}: expected once, at the top level vs %s",
				  s->running ? "a call while running" : "a second declaration");
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		int k = 0;
		lua_pop(L, 1);
		while (lua_type(L, -1) == LUA_TSTRING && scn_decl_keys[k] &&
		       strcmp(scn_decl_keys[k], lua_tostring(L, -1)))
			k++;
		if (lua_type(L, -1) != LUA_TSTRING || !scn_decl_keys[k])
			return luaL_error(L, "scenario{}: expected keys name, topology, "
					  "set, duration, rules vs \"%s\"",
					  luaL_tolstring(L, -1, NULL));
	}
	s->declared = true;
	if (lua_getfield(L, 1, "topology") != LUA_TSTRING)
		return luaL_error(L, "scenario{topology=}: expected a file name vs %s",
				  luaL_typename(L, -1));
	in->topology = scn_resolve(L, lua_tostring(L, -1));
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "name") == LUA_TSTRING) {
		in->name = scn_strdup(L, lua_tostring(L, -1));
	} else if (lua_isnil(L, -1)) {
		const char *b = strrchr(s->path, '/');
		char *n = scn_strdup(L, b ? b + 1 : s->path), *dot = strrchr(n, '.');
		if (dot && !strcmp(dot, ".lua"))
			*dot = '\0';
		in->name = n;
	} else {
		return luaL_error(L, "scenario{name=}: expected a string vs %s",
				  luaL_typename(L, -1));
	}
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "duration") != LUA_TNIL)
		in->duration = scn_check_time(L, -1, "scenario{duration=}");
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "set") != LUA_TNIL)
		scn_decl_set(L, in, lua_gettop(L));
	lua_pop(L, 1);
	if (lua_getfield(L, 1, "rules") != LUA_TNIL)
		scn_decl_rules(L, in, lua_gettop(L));
	lua_pop(L, 1);
	return 0;
}

/* at(t, fn): fn runs in a new coroutine at run time t. */
static int scn_l_at(lua_State *L)
{
	struct scn *s = scn_self(L);
	double t = scn_check_time(L, 1, "at");

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	scn_schedule(s, t, SCN_EV_START, luaL_ref(L, LUA_REGISTRYINDEX), 0, 0);
	return 0;
}

/* every(dt, fn [, count]): fn runs at now()+dt, now()+2dt, ... */
static int scn_l_every(lua_State *L)
{
	struct scn *s = scn_self(L);
	double dt = scn_check_time(L, 1, "every");
	lua_Integer count = -1;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	if (dt < 1e-3)
		return luaL_error(L, "every: expected a period of at least 1ms vs %f", dt);
	if (!lua_isnoneornil(L, 3) && (count = luaL_checkinteger(L, 3)) < 1)
		return luaL_error(L, "every: expected a count >= 1 vs %d", (int)count);
	lua_pushvalue(L, 2);
	scn_schedule(s, s->now + dt, SCN_EV_EVERY, luaL_ref(L, LUA_REGISTRYINDEX),
		     dt, (long)count);
	return 0;
}

/* Yields the running at/every coroutine back to the clock. */
static int scn_yield_as(lua_State *L, enum scn_yield why, const char *what)
{
	struct scn *s = scn_self(L);

	if (!s->running || !lua_isyieldable(L))
		return luaL_error(L, "%s: expected to be called inside an at/every "
				  "function, outside C callbacks (table.sort, gsub)", what);
	s->yield = why;
	return lua_yield(L, 0);
}

static int scn_l_wait(lua_State *L)
{
	struct scn *s = scn_self(L);
	double dt = scn_check_time(L, 1, "wait");

	s->wake = s->now + dt;
	return scn_yield_as(L, SCN_Y_WAIT, "wait");
}

/* param(name, default): the scenario's own parameter, from --set name=...
 * (a number when the default is a number, a boolean when it is one), else
 * the default. Read at the top level only; such a --set is not passed on to
 * the topology. */
static int scn_l_param(lua_State *L)
{
	struct scn *s = scn_self(L);
	const char *name = luaL_checkstring(L, 1);
	size_t nl = strlen(name);
	const char *val = NULL;
	char **v;

	luaL_checkany(L, 2);
	if (s->running)
		return luaL_error(L, "param: read parameters at the scenario's top level");
	for (int i = 0; i < s->n_cli_sets; i++)
		if (!strncmp(s->cli_sets[i], name, nl) && s->cli_sets[i][nl] == '=')
			val = s->cli_sets[i] + nl + 1;
	v = realloc(s->params, (size_t)(s->n_params + 1) * sizeof(char *));
	if (!v || !(v[s->n_params] = strdup(name)))
		return luaL_error(L, "param: out of memory");
	s->params = v;
	s->n_params++;
	if (!val) {
		lua_pushvalue(L, 2);
		return 1;
	}
	if (lua_type(L, 2) == LUA_TNUMBER) {
		if (!lua_stringtonumber(L, val))
			return luaL_error(L, "param %s: expected a number vs \"%s\"", name, val);
	} else if (lua_type(L, 2) == LUA_TBOOLEAN) {
		if (strcmp(val, "true") && strcmp(val, "false") && strcmp(val, "1") && strcmp(val, "0"))
			return luaL_error(L, "param %s: expected true or false vs \"%s\"", name, val);
		lua_pushboolean(L, !strcmp(val, "true") || !strcmp(val, "1"));
	} else
		lua_pushstring(L, val);
	return 1;
}

static int scn_l_now(lua_State *L)
{
	lua_pushnumber(L, scn_self(L)->now);
	return 1;
}

/* string.format(...) of the arguments, left on the stack top. */
static const char *scn_format(lua_State *L)
{
	int n = lua_gettop(L);

	lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_getfield(L, -1, "format");
	lua_replace(L, -3);
	lua_pop(L, 1);
	lua_insert(L, 1);
	lua_call(L, n, 1);
	return lua_tostring(L, -1);
}

static int scn_l_log(lua_State *L)
{
	struct scn *s = scn_self(L);
	const char *msg;
	char buf[2048];

	luaL_checkstring(L, 1);
	msg = scn_format(L);
	printf("[%8.3f] %s\n", s->now, msg);
	fflush(stdout);
	evlog("log", "\"t_scenario\":%.6f,\"msg\":\"%s\"", s->now,
	      json_esc(msg, buf, sizeof(buf)));
	return 0;
}

/* check(cond, msg): a failed check is counted; the scenario goes on. */
static int scn_l_check(lua_State *L)
{
	struct scn *s = scn_self(L);
	bool ok = lua_toboolean(L, 1);
	const char *msg = luaL_optstring(L, 2, "check");
	const char *where;
	char ew[512], em[1024];

	luaL_where(L, 1);
	where = lua_tostring(L, -1);
	json_esc(where, ew, sizeof(ew));
	json_esc(msg, em, sizeof(em));
	if (ok) {
		evlog("check", "\"ok\":true,\"where\":\"%s\",\"msg\":\"%s\"", ew, em);
	} else {
		s->n_failed++;
		printf("[%8.3f] %scheck failed: %s\n", s->now, where, msg);
		fflush(stdout);
		evlog("check_failed", "\"where\":\"%s\",\"msg\":\"%s\"", ew, em);
	}
	lua_pushboolean(L, ok);
	return 1;
}

/* fail(msg): records the failure and ends the scenario. */
static int scn_l_fail(lua_State *L)
{
	struct scn *s = scn_self(L);
	const char *msg = luaL_optstring(L, 1, "fail() called");
	char ew[1024];

	if (!s->running || !lua_isyieldable(L))
		return scn_yield_as(L, SCN_Y_FAIL, "fail");
	luaL_where(L, 1);
	snprintf(s->fail_msg, sizeof(s->fail_msg), "%sfail: %s", lua_tostring(L, -1), msg);
	s->failed = true;
	printf("[%8.3f] %s\n", s->now, s->fail_msg);
	fflush(stdout);
	evlog("fail", "\"msg\":\"%s\"", json_esc(s->fail_msg, ew, sizeof(ew)));
	return scn_yield_as(L, SCN_Y_FAIL, "fail");
}

static int scn_l_finish(lua_State *L)
{
	struct scn *s = scn_self(L);

	if (s->running && lua_isyieldable(L))
		evlog("finish", "\"t_scenario\":%.6f", s->now);
	return scn_yield_as(L, SCN_Y_FINISH, "finish");
}

static const luaL_Reg scn_api[] = {
	{ "scenario", scn_l_scenario },
	{ "at", scn_l_at },
	{ "every", scn_l_every },
	{ "wait", scn_l_wait },
	{ "now", scn_l_now },
	{ "param", scn_l_param },
	{ "log", scn_l_log },
	{ "check", scn_l_check },
	{ "fail", scn_l_fail },
	{ "finish", scn_l_finish },
	{ NULL, NULL }
};

void scn_api_open(lua_State *L)
{
	luaL_setfuncs(L, scn_api, 0);
}
