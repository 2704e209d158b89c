/* lsafe.c — Lua states that cannot run away (see lsafe.h). */
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <lauxlib.h>
#include <lualib.h>
#include "lsafe.h"

void *lsafe_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct lsafe_mem *m = ud;
	size_t old = ptr ? osize : 0;
	void *p;

	if (nsize == 0) {
		free(ptr);
		m->used -= old;
		return NULL;
	}
	if (nsize > old && m->used - old + nsize > m->max)
		return NULL;
	p = realloc(ptr, nsize);
	if (p)
		m->used = m->used - old + nsize;
	return p;
}

static int lsafe_setmetatable(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	if (lua_type(L, 2) == LUA_TTABLE && lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "setmetatable: a __gc finalizer is not allowed here "
				  "(finalizers run outside the watchdog)");
	lua_settop(L, 2);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 2, 1);
	return 1;
}

static int lsafe_getmetatable(lua_State *L)
{
	luaL_checkany(L, 1);
	if (lua_type(L, 1) != LUA_TTABLE) {
		lua_pushnil(L);
		return 1;
	}
	lua_settop(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, 1, 1);
	return 1;
}

#define LSAFE_DOOM "roam.lsafe.doom"

void lsafe_doom(lua_State *L, const char *msg)
{
	lua_pushstring(L, msg);
	lua_pushvalue(L, -1);
	lua_setfield(L, LUA_REGISTRYINDEX, LSAFE_DOOM);
	lua_error(L);
}

void lsafe_undoom(lua_State *L)
{
	lua_pushnil(L);
	lua_setfield(L, LUA_REGISTRYINDEX, LSAFE_DOOM);
}

/* After a protected call returns: a doomed state goes on failing. */
static int lsafe_pcall_k(lua_State *L, int status, lua_KContext ctx)
{
	(void)status;
	(void)ctx;
	if (lua_getfield(L, LUA_REGISTRYINDEX, LSAFE_DOOM) != LUA_TNIL)
		return lua_error(L);
	lua_pop(L, 1);
	return lua_gettop(L);
}

/* pcall and xpcall, which catch every error but the watchdog's: upvalue 1
 * is the base function. */
static int lsafe_pcall(lua_State *L)
{
	int n = lua_gettop(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_callk(L, n, LUA_MULTRET, 0, lsafe_pcall_k);
	return lsafe_pcall_k(L, LUA_OK, 0);
}

void lsafe_guard_env(lua_State *L, int idx)
{
	static const struct { const char *name; lua_CFunction fn; } guard[] = {
		{ "setmetatable", lsafe_setmetatable }, { "getmetatable", lsafe_getmetatable },
		{ "pcall", lsafe_pcall }, { "xpcall", lsafe_pcall },
	};
	idx = lua_absindex(L, idx);
	luaL_requiref(L, "_G", luaopen_base, 0);
	for (size_t i = 0; i < sizeof guard / sizeof guard[0]; i++) {
		lua_getfield(L, -1, guard[i].name);
		lua_pushcclosure(L, guard[i].fn, 1);
		lua_setfield(L, idx, guard[i].name);
	}
	lua_pop(L, 1);
}

int lsafe_signal(void)
{
	static const int sigs[] = { SIGTERM, SIGINT };
	static struct timespec last;
	struct timespec now;
	sigset_t pend;

	/* a hook may call this often: the system call at most every 10 ms */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec == last.tv_sec && now.tv_nsec - last.tv_nsec < 10000000)
		return 0;
	last = now;
	if (sigpending(&pend) < 0)
		return 0;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigismember(&pend, sigs[i]))
			return sigs[i];
	return 0;
}

const char *lsafe_describe(lua_State *L, int idx)
{
	lua_Debug ar;

	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_tostring(L, idx);
	if (luaL_callmeta(L, idx, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
		return lua_tostring(L, -1);
	for (int level = 1; lua_getstack(L, level, &ar); level++)
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
			return lua_pushfstring(L, "%s:%d: error object is a %s value (not a message)",
					       ar.short_src, ar.currentline, luaL_typename(L, idx));
	return lua_pushfstring(L, "error object is a %s value", luaL_typename(L, idx));
}

int lsafe_msgh(lua_State *L)
{
	if (lua_type(L, 1) != LUA_TSTRING)
		lsafe_describe(L, 1);
	return 1;
}
