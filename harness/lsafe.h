/* lsafe.h — what keeps every Lua state of roam (topology, scenario, rules)
 * from running away: a memory ceiling through the allocator, no finalizers
 * (Lua runs __gc with hooks off, so no watchdog could stop an endless one,
 * not even in lua_close), the signals that must end the run within a
 * second, and a message handler that gives errors without a string
 * (error({}), error()) the file:line they were raised at. */
#ifndef ROAM_LSAFE_H
#define ROAM_LSAFE_H
#include <stddef.h>
#include <lua.h>

/* The allocator's state: ud of lsafe_alloc. */
struct lsafe_mem {
	size_t used;	/* bytes the state holds */
	size_t max;	/* ceiling: an allocation above it fails ("not enough memory") */
};

/* A lua_Alloc with a ceiling; ud is a struct lsafe_mem. */
void *lsafe_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Puts setmetatable, getmetatable, pcall and xpcall into the table at idx:
 * the base ones, except that a metatable with __gc is refused, that the
 * metatables of values made in C (userdata, strings) are not handed out,
 * and that a protected call does not catch lsafe_doom's error. */
void lsafe_guard_env(lua_State *L, int idx);
/* Raises msg as an error that no pcall in the state catches: for the
 * watchdog and signals, which must end the Lua code for good. */
void lsafe_doom(lua_State *L, const char *msg);
/* Lets the state be used again once the doomed call is over (from C). */
void lsafe_undoom(lua_State *L);
/* SIGINT or SIGTERM pending (blocked for the run's signalfd): its number,
 * else 0. A hook calls this to stop the Lua code when the process has to
 * end; it looks at most every 10 ms. */
int lsafe_signal(void);
/* A message handler for lua_pcall: a string message passes through; any
 * other error object becomes "file:line: error object is a T value". */
int lsafe_msgh(lua_State *L);
/* The error object at idx as a message: itself if a string, else pushes
 * one naming where it was raised (the first Lua frame of L's stack). */
const char *lsafe_describe(lua_State *L, int idx);
#endif
