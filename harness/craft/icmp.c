/* icmp.c — ICMP messages (RFC 792), router discovery (RFC 1256) and the
 * Mobile IPv4 agent advertisement extensions (RFC 5944 §2.1.1-2.1.3:
 * mobility agent advertisement 16, prefix-lengths 19, one-byte padding 0). */
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"

static const struct cr_sym cr_icmp_types[] = {
	{ "echo_reply", 0 }, { "unreach", 3 }, { "redirect", 5 }, { "echo", 8 },
	{ "ra", 9 }, { "rs", 10 }, { "timex", 11 }, { "paramprob", 12 }, { NULL, 0 }
};

#define CR_ICMP_COMMON \
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_icmp_types }, \
	{ "code", CR_U8, 1, 0, 0, 0, NULL, NULL }, \
	{ "cksum", CR_U16, 2, 0, 0, 0, NULL, NULL }, \
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL }

static const struct cr_field cr_icmp_echo[] = {
	CR_ICMP_COMMON,
	{ "id", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U16, 6, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_icmp_unreach[] = {
	CR_ICMP_COMMON,
	{ "mtu", CR_U16, 6, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_icmp_redirect[] = {
	CR_ICMP_COMMON,
	{ "gw", CR_A4, 4, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_icmp_pp[] = {
	CR_ICMP_COMMON,
	{ "pptr", CR_U8, 4, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_icmp_plain[] = { CR_ICMP_COMMON };
static const struct cr_field cr_icmp_ra[] = {
	CR_ICMP_COMMON,
	{ "num", CR_U8, 4, 0, 0, 0, NULL, NULL },
	{ "esize", CR_U8, 5, 0, 0, 0, NULL, NULL },
	{ "lifetime", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "addrs", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "ext", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

#define CR_SPEC(a) a, sizeof a / sizeof *a
static const struct cr_icmp_msg {
	uint8_t type;
	const struct cr_field *spec;
	size_t n;
} cr_icmp_msgs[] = {
	{ 0, CR_SPEC(cr_icmp_echo) }, { 8, CR_SPEC(cr_icmp_echo) },
	{ 3, CR_SPEC(cr_icmp_unreach) }, { 5, CR_SPEC(cr_icmp_redirect) },
	{ 9, CR_SPEC(cr_icmp_ra) }, { 10, CR_SPEC(cr_icmp_plain) },
	{ 11, CR_SPEC(cr_icmp_plain) }, { 12, CR_SPEC(cr_icmp_pp) },
};

/* ---- agent advertisement extensions ---- */

static const struct cr_sym cr_ext_types[] = {
	{ "pad", 0 }, { "adv", 16 }, { "plen", 19 }, { NULL, 0 }
};
static const struct cr_flag cr_adv_flags[] = {
	{ "R", 0x8000 }, { "B", 0x4000 }, { "H", 0x2000 }, { "F", 0x1000 },
	{ "M", 0x0800 }, { "G", 0x0400 }, { "r", 0x0200 }, { "T", 0x0100 },
	{ "U", 0x0080 }, { "X", 0x0040 }, { NULL, 0 }
};
static const struct cr_field cr_adv_spec[] = {
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_ext_types },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "lifetime", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 6, 2, 0, 0, cr_adv_flags, NULL },
	{ "coa", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_ext_spec[] = {
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_ext_types },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "plen", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "data", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

/* Appends each element of the list at key (strings or numbers). */
static size_t cr_list(struct cr *c, int t, const char *key, int family)
{
	int l = cr_sub(c, t, key);
	size_t n = 0;

	for (lua_Integer i = 1; l && i <= (lua_Integer)luaL_len(c->L, l); i++, n++) {
		uint8_t a[4];
		lua_geti(c->L, l, i);
		if (family == 4) {
			cr_addr(c, -1, key, 4, a);
			cr_append(c, a, 4);
		} else {
			a[0] = (uint8_t)cr_value(c, -1, key, 255, NULL);
			cr_append(c, a, 1);
		}
		lua_pop(c->L, 1);
	}
	if (l)
		lua_pop(c->L, 1);
	return n;
}

static void cr_agent_ext(struct cr *c, int lt)
{
	int et = cr_sub(c, lt, "ext");

	for (lua_Integer i = 1; et && i <= (lua_Integer)luaL_len(c->L, et); i++) {
		size_t m = cr_enter(c, "ext[%d]", (int)i), o = c->len;
		if (lua_geti(c->L, et, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type = ... } vs %s", luaL_typename(c->L, -1));
		int x = lua_gettop(c->L);
		lua_getfield(c->L, x, "type");
		uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_ext_types);
		lua_pop(c->L, 1);
		if (type == 0) {
			cr_grow(c, 1);
			cr_keys(c, x, cr_ext_spec, 1, NULL);
		} else if (type == 16) {
			cr_grow(c, 8);
			cr_list(c, x, "coa", 4);
			c->buf[o] = 16;
			c->buf[o + 1] = (uint8_t)(c->len - o - 2);
			cr_fields(c, x, CR_SPEC(cr_adv_spec), o, NULL);
		} else {
			cr_grow(c, 2);
			if (type == 19)
				cr_list(c, x, "plen", 1);
			if (lua_getfield(c->L, x, "data") != LUA_TNIL) {
				uint8_t d[255];
				size_t n = cr_hex(c, -1, "data", d, sizeof d);
				cr_append(c, d, n);
			}
			lua_pop(c->L, 1);
			c->buf[o] = type;
			c->buf[o + 1] = (uint8_t)(c->len - o - 2);
			cr_fields(c, x, CR_SPEC(cr_ext_spec), o, NULL);
		}
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	if (et)
		lua_pop(c->L, 1);
}

static void cr_rtradv(struct cr *c, int lt, size_t o)
{
	int l = cr_sub(c, lt, "addrs");
	size_t n = 0;

	c->buf[o + 5] = 2;
	cr_put16(c->buf + o + 6, 1800);
	for (lua_Integer i = 1; l && i <= (lua_Integer)luaL_len(c->L, l); i++, n++) {
		uint8_t e[8] = { 0 };
		size_t m = cr_enter(c, "addrs[%d]", (int)i);
		if (lua_geti(c->L, l, i) == LUA_TSTRING) {
			cr_addr(c, -1, NULL, 4, e);
		} else if (lua_type(c->L, -1) == LUA_TTABLE) {
			static const char *const keys[] = { "addr", "pref", NULL };
			cr_keys(c, -1, NULL, 0, keys);
			lua_getfield(c->L, -1, "addr");
			cr_addr(c, -1, "addr", 4, e);
			lua_pop(c->L, 1);
			if (cr_given(c, lua_gettop(c->L), "pref"))
				cr_put32(e + 4, (uint32_t)cr_uint(c, lua_gettop(c->L), "pref", 0xffffffffu));
		} else {
			cr_err(c, NULL, "expected an address or { addr =, pref = } vs %s",
			       luaL_typename(c->L, -1));
		}
		lua_pop(c->L, 1);
		cr_append(c, e, 8);
		cr_leave(c, m);
	}
	if (l)
		lua_pop(c->L, 1);
	c->buf[o + 4] = (uint8_t)n;
	cr_agent_ext(c, lt);
}

void cr_icmp(struct cr *c, int t)
{
	int lt = cr_sub(c, t, "icmp");
	size_t m = cr_enter(c, "icmp"), o = cr_grow(c, 8), n;
	const struct cr_icmp_msg *d = NULL;
	const char *pl;

	lua_getfield(c->L, lt, "type");
	if (lua_isnil(c->L, -1))
		cr_err(c, "type", "expected a type (number or one of echo, echo_reply, "
		       "unreach, redirect, ra, rs, timex, paramprob) vs none");
	uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_icmp_types);
	lua_pop(c->L, 1);
	for (size_t i = 0; i < sizeof cr_icmp_msgs / sizeof *cr_icmp_msgs; i++)
		if (cr_icmp_msgs[i].type == type)
			d = &cr_icmp_msgs[i];
	c->buf[o] = type;
	if (type == 9)
		cr_rtradv(c, lt, o);
	if ((pl = cr_str(c, lt, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	if (d)
		cr_fields(c, lt, d->spec, d->n, o, NULL);
	else
		cr_fields(c, lt, CR_SPEC(cr_icmp_plain), o, NULL);
	if (!cr_given(c, lt, "cksum"))
		cr_put16(c->buf + o + 2, cr_cksum(c->buf + o, c->len - o, 0));
	cr_leave(c, m);
	lua_pop(c->L, 1);
}
