/* craft_lua.h — decoded frames for Lua: match tables and records, shared by
 * the scenario's expect{} (harness/scenario_craft.c). */
#ifndef ROAM_CRAFT_LUA_H
#define ROAM_CRAFT_LUA_H
#include <stdbool.h>
#include <stddef.h>
#include <lua.h>
#include "decode/decode.h"

/* Checks the match table at idx: keys are decoded field names (or
 * "verdict"), values numbers, strings, booleans (presence) or predicates.
 * Raises a Lua error prefixed with what otherwise. */
void craft_match_check(lua_State *L, int idx, const char *what);
/* True when rec satisfies every key; *n_ok counts the keys it satisfies and
 * why (if not NULL) describes the first that fails: "mh.ba.status = 0,
 * expected 135". A repeated field matches when any occurrence does. */
bool craft_match(lua_State *L, int idx, const struct dec_record *rec, int *n_ok,
		 char *why, size_t whylen);
/* Pushes rec as a table: r["mh.ba.status"] (first occurrence, numbers for
 * integers, text for addresses and bytes, true for layers), r.all[name]
 * (every occurrence), r.verdict, r.reason, r.len, r.bytes. */
void craft_push_record(lua_State *L, const struct dec_record *rec);
#endif
