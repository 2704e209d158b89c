/* mh_opts.c — mobility options (RFC 6275 §6.2): Pad1 0, PadN 1, binding
 * refresh advice 2, alternate care-of address 3, nonce indices 4, binding
 * authorization data 5; mobile network prefix 6 (RFC 3963 §4.3), link-layer
 * address 7 (RFC 5568 §6.4), MN-ID 8 (RFC 4283 §3), mobility message
 * authentication 9 and replay protection 10 (RFC 4285 §5, §6). */
#include "dec_int.h"

typedef void (*mh_opt_fn)(struct dctx *c, struct rd *v);

static void mh_opt_none(struct dctx *c, struct rd *v) { (void)c; (void)v; }

static void mh_opt_bra(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint16_t iv;

	rd_be16(v, &iv);
	dec_put_u(c, DEC_F_MH_OPT_BRA_INTERVAL, iv, p, 2);
}

static void mh_opt_acoa(struct dctx *c, struct rd *v)
{
	dec_put_p(c, DEC_F_MH_OPT_ACOA, rd_ptr(v, 16), 16);
}

static void mh_opt_ni(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint16_t h, co;

	rd_be16(v, &h);
	rd_be16(v, &co);
	dec_put_u(c, DEC_F_MH_OPT_NI_HOME, h, p, 2);
	dec_put_u(c, DEC_F_MH_OPT_NI_COA, co, p + 2, 2);
}

static void mh_opt_bad(struct dctx *c, struct rd *v)
{
	size_t n = rd_left(v);
	dec_put_p(c, DEC_F_MH_OPT_BAD_AUTHENTICATOR, rd_ptr(v, n), n);
}

static void mh_opt_mnp(struct dctx *c, struct rd *v)
{
	uint8_t plen;

	rd_skip(v, 1);
	const uint8_t *p = v->p;
	rd_u8(v, &plen);
	dec_put_u(c, DEC_F_MH_OPT_MNP_LEN, plen, p, 1);
	dec_put_p(c, DEC_F_MH_OPT_MNP_PREFIX, rd_ptr(v, 16), 16);
}

static void mh_opt_lla(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint8_t code;

	rd_u8(v, &code);
	dec_put_u(c, DEC_F_MH_OPT_LLA_CODE, code, p, 1);
	size_t n = rd_left(v);
	dec_put_p(c, DEC_F_MH_OPT_LLA_ADDR, rd_ptr(v, n), n);
}

static void mh_opt_mnid(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint8_t st;

	rd_u8(v, &st);
	dec_put_u(c, DEC_F_MH_OPT_MNID_SUBTYPE, st, p, 1);
	size_t n = rd_left(v);
	dec_put_p(c, DEC_F_MH_OPT_MNID_ID, rd_ptr(v, n), n);
}

static void mh_opt_auth(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint8_t st;
	uint32_t spi;

	rd_u8(v, &st);
	rd_be32(v, &spi);
	dec_put_u(c, DEC_F_MH_OPT_AUTH_SUBTYPE, st, p, 1);
	dec_put_u(c, DEC_F_MH_OPT_AUTH_SPI, spi, p + 1, 4);
	size_t n = rd_left(v);
	dec_put_p(c, DEC_F_MH_OPT_AUTH_AUTHENTICATOR, rd_ptr(v, n), n);
}

static void mh_opt_replay(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint64_t ts;

	rd_be64(v, &ts);
	dec_put_u(c, DEC_F_MH_OPT_REPLAY_TS, ts, p, 8);
}

static const struct mh_opt_desc {
	const char *name;
	uint8_t min, max;	/* allowed option length (data bytes) */
	mh_opt_fn fn;
} mh_opt_table[] = {
	[1] = { "PadN", 0, 255, mh_opt_none },
	[2] = { "binding refresh advice", 2, 2, mh_opt_bra },
	[3] = { "alternate care-of address", 16, 16, mh_opt_acoa },
	[4] = { "nonce indices", 4, 4, mh_opt_ni },
	[5] = { "binding authorization data", 1, 255, mh_opt_bad },
	[6] = { "mobile network prefix", 18, 18, mh_opt_mnp },
	[7] = { "link-layer address", 1, 255, mh_opt_lla },
	[8] = { "MN-ID", 1, 255, mh_opt_mnid },
	[9] = { "mobility message authentication", 5, 255, mh_opt_auth },
	[10] = { "mobility message replay protection", 8, 8, mh_opt_replay },
};

enum { MHOPT_PAD1 = 0, MHOPT_PADN = 1 };

int dec_mh_opts(struct dctx *c, struct rd *r)
{
	uint16_t n = 0;

	while (rd_ok(r) && rd_left(r) > 0) {
		const uint8_t *at = r->p;
		const struct mh_opt_desc *d = NULL;
		uint8_t type, len;
		struct rd v;

		rd_u8(r, &type);
		if (type == MHOPT_PAD1)
			continue;
		if (c->cut && (!rd_peek_u8(r, 0, &len) || len > rd_left(r) - 1))
			return dec_trunc(c, DEC_F_MH);	/* the capture ended inside the option */
		if (!rd_u8(r, &len) || len > rd_left(r))
			return dec_bad(c, DEC_F_MH_OPT_LEN,
				       "mh.opt.len: option %u length %u exceeds the %zu bytes left in the header",
				       type, len, rd_left(r));
		rd_sub(r, len, &v);
		if (type == MHOPT_PADN)
			continue;
		c->grp = ++n;
		dec_put_u(c, DEC_F_MH_OPT_TYPE, type, at, 1);
		dec_put_u(c, DEC_F_MH_OPT_LEN, len, at + 1, 1);
		if (type < sizeof mh_opt_table / sizeof *mh_opt_table && mh_opt_table[type].name)
			d = &mh_opt_table[type];
		if (!d) {
			dec_put_u(c, DEC_F_MH_OPT_UNKNOWN, type, at, 1);
			dec_unknown(c, DEC_F_MH_OPT_TYPE, "mh.opt.type %u not decoded", type);
			continue;
		}
		if (len < d->min || len > d->max) {
			if (d->min == d->max)
				return dec_bad(c, DEC_F_MH_OPT_LEN, "mh.opt.len: %s option length %u, expected %u",
					       d->name, len, d->min);
			return dec_bad(c, DEC_F_MH_OPT_LEN, "mh.opt.len: %s option length %u, expected at least %u",
				       d->name, len, d->min);
		}
		d->fn(c, &v);
	}
	c->grp = 0;
	return 0;
}
