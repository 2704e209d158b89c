/* mip4.c — Mobile IPv4 registration request (type 1) and reply (type 3),
 * RFC 5944 §3.3-3.4, with their extensions: MN-HA 32, MN-FA 33, FA-HA 34
 * authentication (§3.5, HMAC-MD5 over the message and the extensions before
 * it up to and including the SPI, computed when a key is given), MN-NAI 131
 * (RFC 2794), and any other as raw data. The message's fields sit in the
 * mip4 table itself: mip4 = { type = "rrq", coa = ... } is mip4.rrq.coa. */
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"

#define CR_SPEC(a) a, sizeof a / sizeof *a

static const struct cr_sym cr_mip4_types[] = { { "rrq", 1 }, { "rrp", 3 }, { NULL, 0 } };
static const struct cr_flag cr_rrq_flags[] = {
	{ "S", 0x80 }, { "B", 0x40 }, { "D", 0x20 }, { "M", 0x10 },
	{ "G", 0x08 }, { "r", 0x04 }, { "T", 0x02 }, { "x", 0x01 }, { NULL, 0 }
};

#define CR_MIP4_COMMON \
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_mip4_types }, \
	{ "lifetime", CR_U16, 2, 0, 0, 0, NULL, NULL }, \
	{ "home", CR_A4, 4, 0, 0, 0, NULL, NULL }, \
	{ "ha", CR_A4, 8, 0, 0, 0, NULL, NULL }, \
	{ "ext", CR_SKIP, 0, 0, 0, 0, NULL, NULL }, \
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL }

static const struct cr_field cr_rrq[] = {
	CR_MIP4_COMMON,
	{ "flags", CR_FLAGS, 1, 1, 0, 0, cr_rrq_flags, NULL },
	{ "coa", CR_A4, 12, 0, 0, 0, NULL, NULL },
	{ "id", CR_U64, 16, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_rrp[] = {
	CR_MIP4_COMMON,
	{ "code", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "id", CR_U64, 12, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_mip4_other[] = { CR_MIP4_COMMON };

static const struct cr_sym cr_ext_types[] = {
	{ "mnha", 32 }, { "mnfa", 33 }, { "faha", 34 }, { "nai", 131 }, { NULL, 0 }
};
static const struct cr_field cr_ext_auth[] = {
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_ext_types },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "spi", CR_U32, 2, 0, 0, 0, NULL, NULL },
	{ "key", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "auth", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_ext_other[] = {
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_ext_types },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "nai", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "data", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

static void cr_mip4_ext(struct cr *c, int lt, size_t msg)
{
	int et = cr_sub(c, lt, "ext");

	for (lua_Integer i = 1; et && i <= (lua_Integer)luaL_len(c->L, et); i++) {
		size_t m = cr_enter(c, "ext[%d]", (int)i), o = cr_grow(c, 2);
		uint8_t key[64], data[255];
		size_t klen = 0;
		if (lua_geti(c->L, et, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type = ... } vs %s", luaL_typename(c->L, -1));
		int x = lua_gettop(c->L);
		lua_getfield(c->L, x, "type");
		uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_ext_types);
		lua_pop(c->L, 1);
		c->buf[o] = type;
		bool auth = type >= 32 && type <= 34;
		if (auth) {
			cr_keys(c, x, CR_SPEC(cr_ext_auth), NULL);
			cr_grow(c, 4);
			if (lua_getfield(c->L, x, "auth") != LUA_TNIL)
				cr_append(c, data, cr_hex(c, -1, "auth", data, sizeof data));
			else
				cr_grow(c, 16);
			lua_pop(c->L, 1);
			if (lua_getfield(c->L, x, "key") != LUA_TNIL)
				klen = cr_hex(c, -1, "key", key, sizeof key);
			lua_pop(c->L, 1);
		} else {
			size_t n;
			const char *nai = cr_str(c, x, "nai", &n);
			if (nai)
				cr_append(c, nai, n);
			if (lua_getfield(c->L, x, "data") != LUA_TNIL)
				cr_append(c, data, cr_hex(c, -1, "data", data, sizeof data));
			lua_pop(c->L, 1);
		}
		c->buf[o + 1] = (uint8_t)(c->len - o - 2);
		cr_fields(c, x, auth ? cr_ext_auth : cr_ext_other,
			  auth ? sizeof cr_ext_auth / sizeof *cr_ext_auth
			       : sizeof cr_ext_other / sizeof *cr_ext_other, o, NULL);
		if (auth && cr_given(c, x, "key") && !cr_given(c, x, "auth")) {
			uint8_t mac[16];
			if (craft_auth_mip4(key, klen, c->buf + msg, o + 6 - msg, mac) < 0)
				cr_err(c, NULL, "HMAC-MD5 failed in libcrypto");
			memcpy(c->buf + o + 6, mac, 16);
		}
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	if (et)
		lua_pop(c->L, 1);
}

void cr_mip4(struct cr *c, int t)
{
	int lt = cr_sub(c, t, "mip4");
	size_t m = cr_enter(c, "mip4"), o, n;
	const char *pl;

	lua_getfield(c->L, lt, "type");
	if (lua_isnil(c->L, -1))
		cr_err(c, "type", "expected rrq, rrp or a number vs none");
	uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_mip4_types);
	lua_pop(c->L, 1);
	o = cr_grow(c, type == 1 ? 24 : type == 3 ? 20 : 1);
	c->buf[o] = type;
	if (type == 1 || type == 3)
		cr_put16(c->buf + o + 2, 1800);
	if (type == 1)
		cr_fields(c, lt, CR_SPEC(cr_rrq), o, NULL);
	else if (type == 3)
		cr_fields(c, lt, CR_SPEC(cr_rrp), o, NULL);
	else
		cr_keys(c, lt, CR_SPEC(cr_mip4_other), NULL);
	cr_mip4_ext(c, lt, o);
	if ((pl = cr_str(c, lt, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	cr_leave(c, m);
	lua_pop(c->L, 1);
}
