/* ip6ext.c — IPv6 extension headers, in the order of RFC 8200 §4.1 as
 * Mobile IPv6 uses them: hop-by-hop options (router alert, RFC 2711),
 * routing header (type 2, RFC 6275 §6.4; type 0), fragment, destination
 * options (Home Address option, RFC 6275 §6.3, alignment 8n+6). Options
 * are padded with Pad1/PadN to their alignment and the header to 8 bytes;
 * the pseudo-header follows the HAO and the routing header as the decoder
 * does. */
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"

static const struct cr_field cr_opthdr_spec[] = {
	{ "nxt", CR_U8, 0, 0, 0, 0, NULL, NULL },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "ra", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "hao", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "opts", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "align", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

/* opts = { { type = 5, data = "0000", len = 2 }, ... }: generic TLVs. */
static void cr_tlvs(struct cr *c, int h)
{
	int ot = cr_sub(c, h, "opts");

	if (!ot)
		return;
	for (lua_Integer i = 1; i <= (lua_Integer)luaL_len(c->L, ot); i++) {
		uint8_t data[255];
		size_t m = cr_enter(c, "opts[%d]", (int)i), n = 0;
		if (lua_geti(c->L, ot, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type =, data = } vs %s",
			       luaL_typename(c->L, -1));
		int o = lua_gettop(c->L);
		static const char *const keys[] = { "type", "data", "len", NULL };
		cr_keys(c, o, NULL, 0, keys);
		uint8_t type = (uint8_t)cr_uint(c, o, "type", 255);
		if (lua_getfield(c->L, o, "data") != LUA_TNIL)
			n = cr_hex(c, -1, "data", data, sizeof data);
		lua_pop(c->L, 1);
		uint8_t len = cr_given(c, o, "len") ? (uint8_t)cr_uint(c, o, "len", 255) : (uint8_t)n;
		uint8_t hd[2] = { type, len };
		cr_append(c, hd, type == 0 ? 1 : 2);
		cr_append(c, data, n);
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	lua_pop(c->L, 1);
}

/* A hop-by-hop or destination options header; returns its offset. */
static size_t cr_opthdr(struct cr *c, int h, struct cr_ip *ip, bool dest)
{
	size_t o = cr_grow(c, 2);
	bool align = true;

	if (lua_getfield(c->L, h, "align") != LUA_TNIL)
		align = lua_toboolean(c->L, -1);
	lua_pop(c->L, 1);
	if (cr_given(c, h, "ra")) {
		uint8_t opt[4] = { 5, 2, 0, 0 };
		cr_put16(opt + 2, (uint32_t)cr_uint(c, h, "ra", 0xffff));
		if (align)
			cr_pad_tlv(c, o, 2, 0);
		cr_append(c, opt, 4);
	}
	if (cr_given(c, h, "hao")) {
		uint8_t opt[18] = { 201, 16 };
		if (!dest)
			cr_err(c, "hao", "expected in dopt (destination options) vs hbh");
		lua_getfield(c->L, h, "hao");
		cr_addr(c, -1, "hao", 6, opt + 2);
		lua_pop(c->L, 1);
		if (align)
			cr_pad_tlv(c, o, 8, 6);
		cr_append(c, opt, 18);
		memcpy(ip->psrc, opt + 2, 16);
	}
	cr_tlvs(c, h);
	size_t pl_n;
	const char *pl = cr_str(c, h, "payload", &pl_n);
	if (pl)
		cr_append(c, pl, pl_n);
	if (align)
		cr_pad_tlv(c, o, 8, 0);
	c->buf[o + 1] = (uint8_t)((c->len - o) / 8 - 1);
	cr_fields(c, h, cr_opthdr_spec, sizeof cr_opthdr_spec / sizeof *cr_opthdr_spec, o, NULL);
	return o;
}

static const struct cr_field cr_rh_spec[] = {
	{ "nxt", CR_U8, 0, 0, 0, 0, NULL, NULL },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "type", CR_U8, 2, 0, 0, 0, NULL, NULL },
	{ "segleft", CR_U8, 3, 0, 0, 0, NULL, NULL },
	{ "addr", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "addrs", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

static size_t cr_rh(struct cr *c, int h, struct cr_ip *ip)
{
	size_t o = cr_grow(c, 8), n = 0;
	int as = cr_sub(c, h, "addrs");
	uint8_t type = as ? 0 : 2;

	if (cr_given(c, h, "type"))
		type = (uint8_t)cr_uint(c, h, "type", 255);
	if (cr_given(c, h, "addr")) {
		uint8_t a[16];
		lua_getfield(c->L, h, "addr");
		cr_addr(c, -1, "addr", 6, a);
		lua_pop(c->L, 1);
		cr_append(c, a, 16);
		n++;
	}
	for (lua_Integer i = 1; as && i <= (lua_Integer)luaL_len(c->L, as); i++) {
		uint8_t a[16];
		lua_geti(c->L, as, i);
		cr_addr(c, -1, "addrs", 6, a);
		lua_pop(c->L, 1);
		cr_append(c, a, 16);
		n++;
	}
	if (as)
		lua_pop(c->L, 1);
	if (type == 2 && n == 0)
		cr_err(c, "addr", "expected the home address of a type 2 routing header vs none");
	c->buf[o + 1] = (uint8_t)(2 * n);
	c->buf[o + 2] = type;
	c->buf[o + 3] = (uint8_t)n;
	cr_fields(c, h, cr_rh_spec, sizeof cr_rh_spec / sizeof *cr_rh_spec, o, NULL);
	if (c->buf[o + 3] > 0 && n > 0 && (type == 0 || type == 2))
		memcpy(ip->pdst, c->buf + c->len - 16, 16);	/* the final destination */
	return o;
}

static const struct cr_field cr_frag_spec[] = {
	{ "nxt", CR_U8, 0, 0, 0, 0, NULL, NULL },
	{ "off", CR_BITS, 2, 2, 0xfff8, 8, NULL, NULL },
	{ "m", CR_BITS, 2, 2, 0x0001, 0, NULL, NULL },
	{ "id", CR_U32, 4, 0, 0, 0, NULL, NULL },
};

static size_t cr_frag(struct cr *c, int h)
{
	size_t o = cr_grow(c, 8);
	cr_fields(c, h, cr_frag_spec, sizeof cr_frag_spec / sizeof *cr_frag_spec, o, NULL);
	return o;
}

/* AH (RFC 4302): the integrity check value is given (zero by default). */
static const struct cr_field cr_ah_spec[] = {
	{ "nxt", CR_U8, 0, 0, 0, 0, NULL, NULL },
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "spi", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U32, 8, 0, 0, 0, NULL, NULL },
	{ "icv", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

static size_t cr_ah(struct cr *c, int h)
{
	size_t o = cr_grow(c, 12);
	uint8_t icv[255];
	size_t n = 12;

	memset(icv, 0, sizeof icv);
	if (lua_getfield(c->L, h, "icv") != LUA_TNIL)
		n = cr_hex(c, -1, "icv", icv, sizeof icv);
	lua_pop(c->L, 1);
	cr_append(c, icv, n);
	c->buf[o + 1] = (uint8_t)((c->len - o) / 4 - 2);
	cr_fields(c, h, cr_ah_spec, sizeof cr_ah_spec / sizeof *cr_ah_spec, o, NULL);
	return o;
}

static const struct cr_field cr_esp_spec[] = {
	{ "spi", CR_U32, 0, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

int cr_esp(struct cr *c, int t)
{
	int h = cr_sub(c, t, "esp");
	size_t m = cr_enter(c, "esp"), o = cr_grow(c, 8), n;
	const char *pl;

	cr_fields(c, h, cr_esp_spec, sizeof cr_esp_spec / sizeof *cr_esp_spec, o, NULL);
	if ((pl = cr_str(c, h, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	cr_leave(c, m);
	lua_pop(c->L, 1);
	return 50;
}

/* The headers in order: key in the packet table, next header value. */
static const struct { const char *key; uint8_t nh; } cr_exts[] = {
	{ "hbh", 0 }, { "rh", 43 }, { "frag", 44 }, { "ah", 51 }, { "dopt", 60 }, { "dstopt", 60 },
};

void cr_ip6_ext(struct cr *c, int t, struct cr_ip *ip, size_t *nxt_at, bool *given)
{
	if (cr_given(c, t, "dopt") && cr_given(c, t, "dstopt"))
		cr_err(c, NULL, "expected one of dopt and dstopt (the same header) vs both");
	for (size_t i = 0; i < sizeof cr_exts / sizeof *cr_exts; i++) {
		int h = cr_sub(c, t, cr_exts[i].key);
		size_t o, m;
		if (!h)
			continue;
		m = cr_enter(c, "%s", cr_exts[i].key);
		if (cr_exts[i].nh == 43)
			o = cr_rh(c, h, ip);
		else if (cr_exts[i].nh == 44)
			o = cr_frag(c, h);
		else if (cr_exts[i].nh == 51)
			o = cr_ah(c, h);
		else
			o = cr_opthdr(c, h, ip, cr_exts[i].nh == 60);
		if (!*given)
			c->buf[*nxt_at] = cr_exts[i].nh;
		*nxt_at = o;
		*given = cr_given(c, h, "nxt");
		cr_leave(c, m);
		lua_pop(c->L, 1);
	}
}
