/* mh_opts.c — mobility options (RFC 6275 §6.2: Pad1 0, PadN 1, binding
 * refresh advice 2, alternate care-of address 3, nonce indices 4, binding
 * authorization data 5; mobile network prefix 6, RFC 3963 §4.3; link-layer
 * address 7, RFC 5568 §6.4; MN-ID 8, RFC 4283 §3; mobility message
 * authentication 9 and replay protection 10, RFC 4285 §5-6), each placed at
 * its alignment (RFC 6275 §6.2.1) with Pad1/PadN, and the authenticators:
 * binding authorization data with Kbm (RFC 6275 §5.2.6) and the MN-HA
 * authentication option (RFC 4285 §5.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "cr_mh.h"

#define CR_SPEC(a) a, sizeof a / sizeof *a

static const struct cr_sym cr_mhopt_types[] = {
	{ "pad1", 0 }, { "padn", 1 }, { "bra", 2 }, { "acoa", 3 }, { "ni", 4 },
	{ "bad", 5 }, { "mnp", 6 }, { "lla", 7 }, { "mnid", 8 }, { "auth", 9 },
	{ "replay", 10 }, { NULL, 0 }
};

#define CR_OPT_COMMON \
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_mhopt_types }, \
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL }, \
	{ "data", CR_SKIP, 0, 0, 0, 0, NULL, NULL }
static const struct cr_field cro_generic[] = { CR_OPT_COMMON };
static const struct cr_field cro_bra[] = { CR_OPT_COMMON, { "interval", CR_U16, 2, 0, 0, 0, NULL, NULL } };
static const struct cr_field cro_acoa[] = { CR_OPT_COMMON, { "addr", CR_A6, 2, 0, 0, 0, NULL, NULL } };
static const struct cr_field cro_ni[] = {
	CR_OPT_COMMON,
	{ "home", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "coa", CR_U16, 4, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_bad[] = {
	CR_OPT_COMMON,
	{ "authenticator", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "kbm", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "home_token", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "coa_token", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "coa", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "cn", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_mnp[] = {
	CR_OPT_COMMON,
	{ "plen", CR_U8, 3, 0, 0, 0, NULL, NULL },
	{ "prefix", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_lla[] = {
	CR_OPT_COMMON,
	{ "code", CR_U8, 2, 0, 0, 0, NULL, NULL },
	{ "addr", CR_MAC, 3, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_mnid[] = {
	CR_OPT_COMMON,
	{ "subtype", CR_U8, 2, 0, 0, 0, NULL, NULL },
	{ "id", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_auth[] = {
	CR_OPT_COMMON,
	{ "subtype", CR_U8, 2, 0, 0, 0, NULL, NULL },
	{ "spi", CR_U32, 3, 0, 0, 0, NULL, NULL },
	{ "authenticator", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "key", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "coa", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "hoa", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cro_replay[] = { CR_OPT_COMMON, { "ts", CR_U64, 2, 0, 0, 0, NULL, NULL } };

/* Per type: the fixed data length and the alignment xn+y (RFC 6275 §6.2,
 * RFC 3963 §4.3, RFC 4285 §5-6; none for the others). */
static const struct cr_mhopt {
	uint8_t dlen;		/* data bytes by default */
	uint8_t mod, want;
	const struct cr_field *spec;
	size_t n;
} cr_mhopts[] = {
	[1] = { 0, 1, 0, CR_SPEC(cro_generic) },
	[2] = { 2, 2, 0, CR_SPEC(cro_bra) },
	[3] = { 16, 8, 6, CR_SPEC(cro_acoa) },
	[4] = { 4, 2, 0, CR_SPEC(cro_ni) },
	[5] = { 12, 8, 2, CR_SPEC(cro_bad) },
	[6] = { 18, 8, 4, CR_SPEC(cro_mnp) },
	[7] = { 7, 1, 0, CR_SPEC(cro_lla) },
	[8] = { 1, 1, 0, CR_SPEC(cro_mnid) },
	[9] = { 17, 4, 1, CR_SPEC(cro_auth) },
	[10] = { 8, 8, 2, CR_SPEC(cro_replay) },
};

static void cr_opt_addr(struct cr *c, int x, const char *key, uint8_t out[16])
{
	if (lua_getfield(c->L, x, key) != LUA_TNIL)
		cr_addr(c, -1, key, 6, out);
	lua_pop(c->L, 1);
}

static size_t cr_opt_hex(struct cr *c, int x, const char *key, uint8_t *out, size_t max)
{
	size_t n = 0;
	if (lua_getfield(c->L, x, key) != LUA_TNIL)
		n = cr_hex(c, -1, key, out, max);
	lua_pop(c->L, 1);
	return n;
}

/* The authenticator of a bad or auth option: given, computed, or zero. */
static int cr_opt_auth(struct cr *c, int x, size_t at, uint8_t type, uint8_t mhtype,
		       const struct cr_ip *ip, struct cr_mh_auth *a)
{
	uint8_t given[255];
	size_t n = cr_opt_hex(c, x, "authenticator", given, sizeof given);

	if (cr_given(c, x, "authenticator")) {
		cr_append(c, given, n);
		return 0;
	}
	cr_grow(c, 12);
	memset(a, 0, sizeof *a);
	a->bad = type == 5;
	a->at = at;
	a->alen = 12;
	/* The care-of address is the source of what the mobile node sends and
	 * the destination of what it receives (a binding acknowledgement).
	 * Binding authorization data pairs it with the correspondent (the
	 * other end); RFC 4285 §5.1 with the home address: the Home Address
	 * option of a BU, the type 2 routing header's address of a BA (the
	 * pseudo-header addresses), the care-of address itself at home. */
	memcpy(a->coa, mhtype == 6 ? ip->dst : ip->src, 16);
	if (a->bad)
		memcpy(a->peer, mhtype == 6 ? ip->src : ip->dst, 16);
	else
		memcpy(a->peer, mhtype == 6 ? ip->pdst : ip->psrc, 16);
	cr_opt_addr(c, x, "coa", a->coa);
	cr_opt_addr(c, x, a->bad ? "cn" : "hoa", a->peer);
	if (a->bad) {
		uint8_t ht[8], ct[8];
		if (cr_given(c, x, "kbm")) {
			a->klen = cr_opt_hex(c, x, "kbm", a->key, sizeof a->key);
			return 1;
		}
		if (!cr_given(c, x, "home_token"))
			return 0;	/* no key: the authenticator stays zero */
		if (cr_opt_hex(c, x, "home_token", ht, 8) != 8)
			cr_err(c, "home_token", "expected 8 bytes of hex vs fewer");
		bool has_ct = cr_given(c, x, "coa_token");
		if (has_ct && cr_opt_hex(c, x, "coa_token", ct, 8) != 8)
			cr_err(c, "coa_token", "expected 8 bytes of hex vs fewer");
		craft_kbm(ht, has_ct ? ct : NULL, a->key);
		a->klen = 20;
		return 1;
	}
	if (!cr_given(c, x, "key"))
		return 0;
	a->klen = cr_opt_hex(c, x, "key", a->key, sizeof a->key);
	return 1;
}

int cr_mh_opts(struct cr *c, int lt, size_t mh, bool align, uint8_t mhtype,
	       const struct cr_ip *ip, struct cr_mh_auth *auth)
{
	int ot = cr_sub(c, lt, "opts"), n_auth = 0;

	for (lua_Integer i = 1; ot && i <= (lua_Integer)luaL_len(c->L, ot); i++) {
		const struct cr_mhopt *d = NULL;
		size_t m = cr_enter(c, "opts[%d]", (int)i), o;
		if (lua_geti(c->L, ot, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type = ... } vs %s", luaL_typename(c->L, -1));
		int x = lua_gettop(c->L);
		lua_getfield(c->L, x, "type");
		uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_mhopt_types);
		lua_pop(c->L, 1);
		if (type == 0) {	/* Pad1 */
			cr_keys(c, x, cro_generic, 1, NULL);
			cr_grow(c, 1);
			lua_pop(c->L, 1);
			cr_leave(c, m);
			continue;
		}
		if (type < sizeof cr_mhopts / sizeof *cr_mhopts && cr_mhopts[type].spec)
			d = &cr_mhopts[type];
		if (d && cr_given(c, x, "data"))
			d = NULL;	/* raw data: no fields, no alignment */
		cr_keys(c, x, d ? d->spec : cro_generic, d ? d->n : 3, NULL);
		if (align && d)
			cr_pad_tlv(c, mh, d->mod, d->want);
		o = cr_grow(c, 2);
		c->buf[o] = type;
		if (!d) {
			uint8_t data[255];
			cr_append(c, data, cr_opt_hex(c, x, "data", data, sizeof data));
		} else if (type == 5 || type == 9) {
			if (type == 9) {
				uint8_t st[5] = { 1 };
				cr_append(c, st, 5);
			}
			if (n_auth == CR_MH_AUTH_MAX)
				cr_err(c, NULL, "expected at most %d authenticators vs more", CR_MH_AUTH_MAX);
			if (cr_opt_auth(c, x, c->len, type, mhtype, ip, &auth[n_auth])) {
				auth[n_auth].cover = auth[n_auth].at - mh;	/* to the SPI */
				n_auth++;
			}
		} else if (type == 1) {	/* PadN: len zero bytes */
			cr_grow(c, cr_given(c, x, "len") ? (size_t)cr_uint(c, x, "len", 255) : 0);
		} else if (type == 8) {
			size_t idn;
			const char *id = cr_str(c, x, "id", &idn);
			cr_grow(c, 1);
			c->buf[o + 2] = 1;	/* NAI (RFC 4283) */
			if (id)
				cr_append(c, id, idn);
		} else if (type == 6) {
			cr_grow(c, d->dlen);
			if (lua_getfield(c->L, x, "prefix") != LUA_TNIL) {
				const char *s = lua_tostring(c->L, -1), *slash;
				char a[64];
				if (lua_type(c->L, -1) != LUA_TSTRING)
					cr_err(c, "prefix", "expected \"2001:db8::/48\" vs %s",
					       luaL_typename(c->L, -1));
				slash = strchr(s, '/');
				snprintf(a, sizeof a, "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
				lua_pushstring(c->L, a);
				cr_addr(c, -1, "prefix", 6, c->buf + o + 4);
				lua_pop(c->L, 1);
				c->buf[o + 3] = slash ? (uint8_t)atoi(slash + 1) : 64;
			}
			lua_pop(c->L, 1);
		} else {
			cr_grow(c, d->dlen);
			if (type == 7) {
				c->buf[o + 2] = 3;	/* the mobile node's address (RFC 5568) */
				if (c->env->has_smac)
					memcpy(c->buf + o + 3, c->env->smac, 6);
			}
		}
		c->buf[o + 1] = (uint8_t)(c->len - o - 2);
		cr_fields(c, x, d ? d->spec : cro_generic, d ? d->n : 3, o, NULL);
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	if (ot)
		lua_pop(c->L, 1);
	return n_auth;
}

void cr_mh_auth_fill(struct cr *c, size_t mh, const struct cr_mh_auth *auth, int n)
{
	size_t len = c->len - mh;

	for (int i = 0; i < n; i++) {
		const struct cr_mh_auth *a = &auth[i];
		uint8_t data[CRAFT_MAX], out[12];
		size_t dn;

		memcpy(data, c->buf + mh, len);
		data[4] = data[5] = 0;		/* checksum as zero */
		if (a->bad) {	/* the header without the authenticator */
			size_t at = a->at - mh;
			memmove(data + at, data + at + a->alen, len - at - a->alen);
			dn = len - a->alen;
		} else {	/* up to and including the SPI */
			dn = a->cover;
		}
		if (craft_auth_mh(a->key, a->klen, a->coa, a->peer, data, dn, out) < 0)
			cr_err(c, NULL, "HMAC-SHA1 failed in libcrypto");
		memcpy(c->buf + a->at, out, 12);
	}
}
