/* topo_impair.c — reads an impairment table (delay, jitter, loss, loss_corr,
 * ge, rate, dup, reorder) from Lua, with units and ranges checked. Shared by
 * the topology loader and the scenario clock (topo_impair_from_lua). */
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "topo_priv.h"

#define TOPO_MAX_DELAY 60.0	/* seconds: longer is surely a unit mistake */

const char *const topo_impair_fields[] = {
	"delay", "jitter", "loss", "loss_corr", "ge", "rate", "dup", "reorder", NULL,
};

enum kind { K_TIME, K_PROB, K_RATE };

static const struct field {
	const char *name;
	enum kind kind;
	size_t off;
} fields[] = {
	{ "delay", K_TIME, offsetof(struct topo_impair, delay) },
	{ "jitter", K_TIME, offsetof(struct topo_impair, jitter) },
	{ "loss", K_PROB, offsetof(struct topo_impair, loss) },
	{ "loss_corr", K_PROB, offsetof(struct topo_impair, loss_corr) },
	{ "rate", K_RATE, offsetof(struct topo_impair, rate) },
	{ "dup", K_PROB, offsetof(struct topo_impair, dup) },
	{ "reorder", K_PROB, offsetof(struct topo_impair, reorder) },
};

static const struct field ge_fields[] = {
	{ "p", K_PROB, offsetof(struct topo_impair, ge_p) },
	{ "r", K_PROB, offsetof(struct topo_impair, ge_r) },
	{ "loss_good", K_PROB, offsetof(struct topo_impair, ge_loss_good) },
	{ "loss_bad", K_PROB, offsetof(struct topo_impair, ge_loss_bad) },
};

bool topo_is_impair_field(const char *k, bool with_rate)
{
	if (!with_rate && !strcmp(k, "rate"))
		return false;
	for (int i = 0; topo_impair_fields[i]; i++)
		if (!strcmp(k, topo_impair_fields[i]))
			return true;
	return false;
}

/* Reads the value on top of the stack as kind into *out. */
static bool read_value(lua_State *L, const char *name, enum kind kind, double *out,
		       char *err, size_t errlen)
{
	char e[200];
	int ty = lua_type(L, -1);
	if (ty == LUA_TNUMBER) {
		double v = lua_tonumber(L, -1);
		char buf[40];
		snprintf(buf, sizeof buf, "%.17g", v);
		bool ok = kind == K_TIME ? (isfinite(v) ? (*out = v, true) : false)
			: kind == K_PROB ? topo_parse_prob(buf, out, e, sizeof e)
			: topo_parse_rate(buf, out, e, sizeof e);
		if (!ok) {
			if (kind == K_TIME)
				snprintf(e, sizeof e, "expected a finite number of seconds");
			snprintf(err, errlen, "%s: %s", name, e);
			return false;
		}
	} else if (ty == LUA_TSTRING) {
		const char *s = lua_tostring(L, -1);
		bool ok = kind == K_TIME ? topo_parse_time(s, out, e, sizeof e)
			: kind == K_PROB ? topo_parse_prob(s, out, e, sizeof e)
			: topo_parse_rate(s, out, e, sizeof e);
		if (!ok) {
			snprintf(err, errlen, "%s: %s", name, e);
			return false;
		}
	} else {
		static const char *const what[] = {
			[K_TIME] = "a time like \"10ms\" or a number of seconds",
			[K_PROB] = "a probability like \"1%\" or 0.01",
			[K_RATE] = "a rate like \"10Mbit\" or a number of bit/s",
		};
		snprintf(err, errlen, "%s: expected %s, got %s", name, what[kind],
			 luaL_typename(L, -1));
		return false;
	}
	if (kind == K_TIME && !(*out >= 0 && *out <= TOPO_MAX_DELAY)) {
		snprintf(err, errlen, "%s: expected a time between 0 and %gs, got %gs", name,
			 TOPO_MAX_DELAY, *out);
		return false;
	}
	return true;
}

static bool read_ge(lua_State *L, struct topo_impair *imp, char *err, size_t errlen)
{
	if (lua_isboolean(L, -1) && !lua_toboolean(L, -1)) {
		imp->ge = false;
		return true;
	}
	if (!lua_istable(L, -1)) {
		snprintf(err, errlen, "ge: expected {p=, r=, loss_good=, loss_bad=} or false, got %s",
			 luaL_typename(L, -1));
		return false;
	}
	int t = lua_absindex(L, -1);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		bool known = false;
		if (lua_type(L, -2) == LUA_TSTRING)
			for (size_t i = 0; i < sizeof ge_fields / sizeof ge_fields[0]; i++)
				known |= !strcmp(lua_tostring(L, -2), ge_fields[i].name);
		if (!known) {
			snprintf(err, errlen, "unknown field '%s' in ge (known: p, r, loss_good, loss_bad)",
				 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
				 : luaL_typename(L, -2));
			lua_pop(L, 2);
			return false;
		}
		lua_pop(L, 1);
	}
	if (!imp->ge) {		/* netem's defaults: r = 1, a good state that never drops */
		imp->ge_p = 0;
		imp->ge_r = 1;
		imp->ge_loss_good = 0;
		imp->ge_loss_bad = 1;
	}
	imp->ge = true;
	for (size_t i = 0; i < sizeof ge_fields / sizeof ge_fields[0]; i++) {
		lua_getfield(L, t, ge_fields[i].name);
		if (!lua_isnil(L, -1)) {
			char name[32];
			snprintf(name, sizeof name, "ge.%s", ge_fields[i].name);
			if (!read_value(L, name, ge_fields[i].kind,
					(double *)((char *)imp + ge_fields[i].off), err, errlen)) {
				lua_pop(L, 1);
				return false;
			}
		}
		lua_pop(L, 1);
	}
	return true;
}

bool topo_impair_read(lua_State *L, int idx, struct topo_impair *imp,
		      bool with_rate, char *err, size_t errlen)
{
	idx = lua_absindex(L, idx);
	struct topo_impair n = *imp;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (!with_rate && fields[i].kind == K_RATE)
			continue;
		lua_getfield(L, idx, fields[i].name);
		bool ok = lua_isnil(L, -1) || read_value(L, fields[i].name, fields[i].kind,
				(double *)((char *)&n + fields[i].off), err, errlen);
		lua_pop(L, 1);
		if (!ok)
			return false;
	}
	lua_getfield(L, idx, "ge");
	bool ok = lua_isnil(L, -1) || read_ge(L, &n, err, errlen);
	lua_pop(L, 1);
	if (ok)
		*imp = n;
	return ok;
}
