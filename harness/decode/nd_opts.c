/* nd_opts.c — neighbour discovery options (RFC 4861 §4.6), with the Mobile
 * IPv6 ones (RFC 6275 §7.2-7.4: R flag, advertisement interval 7, home agent
 * information 8) and the HMIPv6 MAP option (RFC 5380 §4, type 23). */
#include "dec_int.h"

/* Each decoder gets the option body (after type and length). */
typedef void (*nd_opt_fn)(struct dctx *c, struct rd *v);

static void nd_lla(struct dctx *c, struct rd *v, unsigned id)
{
	/* The whole body (6 bytes plus padding is 6 bytes on Ethernet). */
	size_t n = rd_left(v);
	dec_put_p(c, id, rd_ptr(v, n), n);
}
static void nd_sll(struct dctx *c, struct rd *v) { nd_lla(c, v, DEC_F_ND_OPT_SLL); }
static void nd_tll(struct dctx *c, struct rd *v) { nd_lla(c, v, DEC_F_ND_OPT_TLL); }

static void nd_prefix(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint8_t plen, fl;
	uint32_t valid, pref;

	rd_u8(v, &plen);
	rd_u8(v, &fl);
	rd_be32(v, &valid);
	rd_be32(v, &pref);
	rd_skip(v, 4);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_LEN, plen, p, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_FLAGS_L, !!(fl & 0x80), p + 1, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_FLAGS_A, !!(fl & 0x40), p + 1, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_FLAGS_R, !!(fl & 0x20), p + 1, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_VALID, valid, p + 2, 4);
	dec_put_u(c, DEC_F_ND_RA_OPT_PREFIX_PREFERRED, pref, p + 6, 4);
	dec_put_p(c, DEC_F_ND_RA_OPT_PREFIX, rd_ptr(v, 16), 16);
}

static void nd_mtu(struct dctx *c, struct rd *v)
{
	uint32_t mtu;

	rd_skip(v, 2);
	const uint8_t *p = v->p;
	rd_be32(v, &mtu);
	dec_put_u(c, DEC_F_ND_RA_OPT_MTU, mtu, p, 4);
}

static void nd_advint(struct dctx *c, struct rd *v)
{
	uint32_t ms;

	rd_skip(v, 2);
	const uint8_t *p = v->p;
	rd_be32(v, &ms);
	dec_put_u(c, DEC_F_ND_RA_OPT_ADVINT, ms, p, 4);
}

static void nd_hainfo(struct dctx *c, struct rd *v)
{
	uint16_t pref, life;

	rd_skip(v, 2);
	const uint8_t *p = v->p;
	rd_be16(v, &pref);
	rd_be16(v, &life);
	dec_put_u(c, DEC_F_ND_RA_OPT_HAINFO_PREF, pref, p, 2);
	dec_put_u(c, DEC_F_ND_RA_OPT_HAINFO_LIFETIME, life, p + 2, 2);
}

static void nd_map(struct dctx *c, struct rd *v)
{
	const uint8_t *p = v->p;
	uint8_t dp, fl;
	uint32_t valid;

	rd_u8(v, &dp);
	rd_u8(v, &fl);
	rd_be32(v, &valid);
	dec_put_u(c, DEC_F_ND_RA_OPT_MAP_DIST, dp >> 4, p, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_MAP_PREF, dp & 15, p, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_MAP_FLAGS_R, !!(fl & 0x80), p + 1, 1);
	dec_put_u(c, DEC_F_ND_RA_OPT_MAP_VALID, valid, p + 2, 4);
	dec_put_p(c, DEC_F_ND_RA_OPT_MAP_ADDR, rd_ptr(v, 16), 16);
}

static void nd_skip(struct dctx *c, struct rd *v) { (void)c; (void)v; }

static const struct nd_opt_desc {
	uint8_t type;
	uint8_t len;		/* required length in 8-octet units, 0: any */
	const char *name;
	nd_opt_fn fn;
} nd_opt_table[] = {
	{ 1, 0, "source link-layer address", nd_sll },
	{ 2, 0, "target link-layer address", nd_tll },
	{ 3, 4, "prefix information", nd_prefix },
	{ 4, 0, "redirected header", nd_skip },
	{ 5, 1, "MTU", nd_mtu },
	{ 7, 1, "advertisement interval", nd_advint },
	{ 8, 1, "home agent information", nd_hainfo },
	{ 23, 3, "MAP", nd_map },
};

int dec_nd_opts(struct dctx *c, struct rd *r)
{
	uint16_t n = 0;

	while (rd_ok(r) && rd_left(r) > 0) {
		const uint8_t *at = r->p;
		const struct nd_opt_desc *d = NULL;
		uint8_t type, len;
		struct rd v;

		rd_u8(r, &type);
		c->grp = ++n;
		dec_put_u(c, DEC_F_ND_OPT_TYPE, type, at, 1);
		if (!rd_u8(r, &len))
			return dec_short(c, DEC_F_ICMP6, "an option length");
		dec_put_u(c, DEC_F_ND_OPT_LEN, len, at + 1, 1);
		if (len == 0)
			return dec_bad(c, DEC_F_ND_OPT_LEN, "nd.opt.len: option %u has length 0", type);
		if (len * 8u - 2 > rd_left(r)) {
			if (c->cut)
				return dec_trunc(c, DEC_F_ICMP6);
			return dec_bad(c, DEC_F_ND_OPT_LEN,
				       "nd.opt.len: option %u length %u (%u bytes) exceeds the %zu bytes left",
				       type, len, len * 8u, rd_left(r) + 2);
		}
		rd_sub(r, len * 8u - 2, &v);
		for (size_t i = 0; i < sizeof nd_opt_table / sizeof *nd_opt_table; i++)
			if (nd_opt_table[i].type == type)
				d = &nd_opt_table[i];
		if (!d) {
			dec_put_u(c, DEC_F_ND_OPT_UNKNOWN, type, at, 1);
			dec_unknown(c, DEC_F_ND_OPT_TYPE, "nd.opt.type %u not decoded", type);
			continue;
		}
		if (d->len && d->len != len)
			return dec_bad(c, DEC_F_ND_OPT_LEN, "nd.opt.len: %s option length %u, expected %u",
				       d->name, len, d->len);
		d->fn(c, &v);
	}
	c->grp = 0;
	return 0;
}
