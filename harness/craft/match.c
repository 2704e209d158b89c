/* match.c — decoded frames seen from Lua: a match table of dotted field
 * names (docs/decoders.md) against a record, and a record as a plain table
 * (used by expect{} in scenarios, docs/crafting.md). */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "craft_lua.h"

void craft_match_check(lua_State *L, int idx, const char *what)
{
	idx = lua_absindex(L, idx);
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		unsigned depth;
		int ty = lua_type(L, -1);
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TSTRING)
			luaL_error(L, "%s{match=}: expected field names as keys vs a %s", what,
				   luaL_typename(L, -1));
		const char *k = lua_tostring(L, -1);
		if (strcmp(k, "verdict") && dec_field_lookup(k, &depth) < 0)
			luaL_error(L, "%s{match=}: \"%s\" is not a decoded field (names in "
				   "docs/decoders.md, e.g. mh.ba.status, inner.ip6.src)", what, k);
		if (ty != LUA_TNUMBER && ty != LUA_TSTRING && ty != LUA_TBOOLEAN &&
		    ty != LUA_TFUNCTION)
			luaL_error(L, "%s{match=}: \"%s\": expected a number, a string, a boolean "
				   "or a function vs a %s", what, k, lua_typename(L, ty));
	}
}

/* Pushes the value of f as the record table shows it. */
static void craft_push_value(lua_State *L, const struct dec_field *f)
{
	char buf[1024];

	switch (dec_field_type(f->id)) {
	case DEC_T_U: lua_pushinteger(L, (lua_Integer)f->v.u); break;
	case DEC_T_T: lua_pushlstring(L, (const char *)f->v.p, f->len); break;
	case DEC_T_S: lua_pushstring(L, f->v.s); break;
	case DEC_T_L: lua_pushboolean(L, 1); break;
	default: lua_pushstring(L, dec_value_text(f, buf, sizeof buf)); break;
	}
}

/* The expected string in the form dec_value_text prints. */
static void craft_canon(enum dec_type ty, const char *s, char *out, size_t n)
{
	uint8_t a[16];

	snprintf(out, n, "%s", s);
	if (ty == DEC_T_A6 && inet_pton(AF_INET6, s, a) == 1)
		inet_ntop(AF_INET6, a, out, (socklen_t)n);
	else if (ty == DEC_T_A4 && inet_pton(AF_INET, s, a) == 1)
		inet_ntop(AF_INET, a, out, (socklen_t)n);
	else if (ty == DEC_T_MAC || ty == DEC_T_B)
		for (char *p = out; *p; p++)
			*p = (char)tolower((unsigned char)*p);
}

/* Does one occurrence equal the Lua value at vi? */
static bool craft_value_ok(lua_State *L, int vi, const struct dec_field *f)
{
	enum dec_type ty = dec_field_type(f->id);
	char have[1024], want[1024];

	switch (lua_type(L, vi)) {
	case LUA_TNUMBER:
		if (ty == DEC_T_U)
			return lua_isinteger(L, vi) && (uint64_t)lua_tointeger(L, vi) == f->v.u;
		return false;
	case LUA_TSTRING:
		if (ty == DEC_T_T)
			return lua_rawlen(L, vi) == f->len &&
			       !memcmp(lua_tostring(L, vi), f->v.p, f->len);
		craft_canon(ty, lua_tostring(L, vi), want, sizeof want);
		return !strcmp(dec_value_text(f, have, sizeof have), want);
	case LUA_TFUNCTION: {
		bool ok;
		lua_pushvalue(L, vi);
		craft_push_value(L, f);
		lua_call(L, 1, 1);
		ok = lua_toboolean(L, -1);
		lua_pop(L, 1);
		return ok;
	}
	default:
		return true;	/* booleans: presence, checked by the caller */
	}
}

bool craft_match(lua_State *L, int idx, const struct dec_record *rec, int *n_ok,
		 char *why, size_t whylen)
{
	bool all = true;

	idx = lua_absindex(L, idx);
	*n_ok = 0;
	if (why && whylen)
		why[0] = '\0';
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *k = lua_tostring(L, -2);
		int vi = lua_gettop(L);
		bool ok = false;
		char have[256] = "absent";
		if (!strcmp(k, "verdict")) {
			snprintf(have, sizeof have, "%s", dec_verdict_name(rec->verdict));
			ok = lua_type(L, vi) == LUA_TSTRING && !strcmp(have, lua_tostring(L, vi));
		} else {
			unsigned depth;
			int id = dec_field_lookup(k, &depth);
			const struct dec_field *f = id < 0 ? NULL : dec_get(rec, (unsigned)id, depth);
			if (lua_type(L, vi) == LUA_TBOOLEAN)
				ok = lua_toboolean(L, vi) == (f != NULL);
			for (; f && !ok && lua_type(L, vi) != LUA_TBOOLEAN; f = dec_next(rec, f))
				ok = craft_value_ok(L, vi, f);
			f = id < 0 ? NULL : dec_get(rec, (unsigned)id, depth);
			if (f)
				dec_value_text(f, have, sizeof have);
		}
		if (ok) {
			(*n_ok)++;
		} else if (all) {
			all = false;
			if (why && whylen) {
				const char *w = lua_type(L, vi) == LUA_TFUNCTION ? "a predicate"
					      : luaL_tolstring(L, vi, NULL);
				snprintf(why, whylen, "%s = %s, expected %s", k, have, w);
				if (lua_type(L, vi) != LUA_TFUNCTION)
					lua_pop(L, 1);
			}
		}
		lua_settop(L, vi - 1);
	}
	return all;
}

void craft_push_record(lua_State *L, const struct dec_record *rec)
{
	char name[128];
	int t, all;

	lua_createtable(L, 0, rec->n + 8);
	t = lua_gettop(L);
	lua_newtable(L);
	all = lua_gettop(L);
	for (unsigned i = 0; i < rec->n; i++) {
		const struct dec_field *f = &rec->f[i];
		dec_full_name(f, name, sizeof name);
		if (lua_getfield(L, t, name) == LUA_TNIL) {
			craft_push_value(L, f);
			lua_setfield(L, t, name);
		}
		lua_pop(L, 1);
		if (lua_getfield(L, all, name) != LUA_TTABLE) {
			lua_pop(L, 1);
			lua_newtable(L);
			lua_pushvalue(L, -1);
			lua_setfield(L, all, name);
		}
		craft_push_value(L, f);
		lua_seti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
		lua_pop(L, 1);
	}
	lua_setfield(L, t, "all");
	lua_pushstring(L, dec_verdict_name(rec->verdict));
	lua_setfield(L, t, "verdict");
	lua_pushstring(L, rec->reason);
	lua_setfield(L, t, "reason");
	lua_pushinteger(L, rec->wirelen);
	lua_setfield(L, t, "len");
	lua_pushlstring(L, (const char *)rec->data, rec->caplen);
	lua_setfield(L, t, "bytes");
}
