/* mh.c — the IPv6 Mobility Header (RFC 6275 §6.1): BRR 0, HoTI 1, CoTI 2,
 * HoT 3, CoT 4, BU 5 (M flag RFC 5380, R flag RFC 3963, P flag RFC 5213),
 * BA 6, BE 7; then the options of mh_opts.c, padding to 8 bytes, the header
 * length, the authenticators, and the checksum over the pseudo-header with
 * the home address of a HAO and the final destination of a routing header
 * (§6.1.1). The message's fields sit in the mh table itself:
 * mh = { type = "bu", seq = 14 } is decoded as mh.bu.seq. */
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"
#include "cr_mh.h"

#define CR_SPEC(a) a, sizeof a / sizeof *a

static const struct cr_sym cr_mh_types[] = {
	{ "brr", 0 }, { "hoti", 1 }, { "coti", 2 }, { "hot", 3 }, { "cot", 4 },
	{ "bu", 5 }, { "ba", 6 }, { "be", 7 }, { NULL, 0 }
};

#define CR_MH_COMMON \
	{ "pproto", CR_U8, 0, 0, 0, 0, NULL, NULL }, \
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL }, \
	{ "type", CR_U8, 2, 0, 0, 0, NULL, cr_mh_types }, \
	{ "res", CR_U8, 3, 0, 0, 0, NULL, NULL }, \
	{ "cksum", CR_U16, 4, 0, 0, 0, NULL, NULL }, \
	{ "opts", CR_SKIP, 0, 0, 0, 0, NULL, NULL }, \
	{ "align", CR_SKIP, 0, 0, 0, 0, NULL, NULL }, \
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL }

static const struct cr_field cr_mh_brr[] = { CR_MH_COMMON };
static const struct cr_field cr_mh_init[] = {
	CR_MH_COMMON,
	{ "cookie", CR_HEX, 8, 8, 0, 0, NULL, NULL },
};
static const struct cr_field cr_mh_test[] = {
	CR_MH_COMMON,
	{ "nonce_idx", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "cookie", CR_HEX, 8, 8, 0, 0, NULL, NULL },
	{ "token", CR_HEX, 16, 8, 0, 0, NULL, NULL },
};
static const struct cr_flag cr_bu_flags[] = {
	{ "A", 0x8000 }, { "H", 0x4000 }, { "L", 0x2000 }, { "K", 0x1000 },
	{ "M", 0x0800 }, { "R", 0x0400 }, { "P", 0x0200 }, { NULL, 0 }
};
static const struct cr_field cr_mh_bu[] = {
	CR_MH_COMMON,
	{ "seq", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 8, 2, 0, 0, cr_bu_flags, NULL },
	{ "lifetime", CR_U16, 10, 0, 0, 0, NULL, NULL },
};
static const struct cr_flag cr_ba_flags[] = { { "K", 0x80 }, { "R", 0x40 }, { "P", 0x20 }, { NULL, 0 } };
static const struct cr_field cr_mh_ba[] = {
	CR_MH_COMMON,
	{ "status", CR_U8, 6, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 7, 1, 0, 0, cr_ba_flags, NULL },
	{ "seq", CR_U16, 8, 0, 0, 0, NULL, NULL },
	{ "lifetime", CR_U16, 10, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_mh_be[] = {
	CR_MH_COMMON,
	{ "status", CR_U8, 6, 0, 0, 0, NULL, NULL },
	{ "home", CR_A6, 8, 0, 0, 0, NULL, NULL },
};

static const struct cr_mh_msg {
	uint8_t hlen;		/* fixed part, from the start of the header */
	const struct cr_field *spec;
	size_t n;
} cr_mh_msgs[] = {
	[0] = { 8, CR_SPEC(cr_mh_brr) }, [1] = { 16, CR_SPEC(cr_mh_init) },
	[2] = { 16, CR_SPEC(cr_mh_init) }, [3] = { 24, CR_SPEC(cr_mh_test) },
	[4] = { 24, CR_SPEC(cr_mh_test) }, [5] = { 12, CR_SPEC(cr_mh_bu) },
	[6] = { 12, CR_SPEC(cr_mh_ba) }, [7] = { 24, CR_SPEC(cr_mh_be) },
};

void cr_mh(struct cr *c, int t, struct cr_ip *ip)
{
	int lt = cr_sub(c, t, "mh");
	size_t m = cr_enter(c, "mh"), o, n;
	const struct cr_mh_msg *d = NULL;
	struct cr_mh_auth auth[CR_MH_AUTH_MAX];
	int n_auth = 0;
	bool align = true;
	const char *pl;

	lua_getfield(c->L, lt, "type");
	if (lua_isnil(c->L, -1))
		cr_err(c, "type", "expected a type (a number or one of brr, hoti, coti, "
		       "hot, cot, bu, ba, be) vs none");
	uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_mh_types);
	lua_pop(c->L, 1);
	if (lua_getfield(c->L, lt, "align") != LUA_TNIL)
		align = lua_toboolean(c->L, -1);
	lua_pop(c->L, 1);
	if (type < sizeof cr_mh_msgs / sizeof *cr_mh_msgs)
		d = &cr_mh_msgs[type];
	o = cr_grow(c, d ? d->hlen : 6);
	c->buf[o] = 59;
	c->buf[o + 2] = type;
	n_auth = cr_mh_opts(c, lt, o, align, type, ip, auth);
	if ((pl = cr_str(c, lt, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	if (align)
		cr_pad_tlv(c, o, 8, 0);
	c->buf[o + 1] = (uint8_t)((c->len - o) / 8 - 1);
	if (d)
		cr_fields(c, lt, d->spec, d->n, o, NULL);
	else
		cr_fields(c, lt, CR_SPEC(cr_mh_brr), o, NULL);
	cr_mh_auth_fill(c, o, auth, n_auth);
	if (!cr_given(c, lt, "cksum")) {
		cr_put16(c->buf + o + 4, 0);
		cr_put16(c->buf + o + 4, cr_cksum(c->buf + o, c->len - o,
						  cr_pseudo(ip, 135, (uint32_t)(c->len - o))));
	}
	cr_leave(c, m);
	lua_pop(c->L, 1);
}
