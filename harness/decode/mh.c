/* mh.c — the IPv6 Mobility Header (next header 135, RFC 6275 §6.1): header
 * checks, checksum over the pseudo-header (§6.1.1), the messages BRR 0,
 * HoTI 1, CoTI 2, HoT 3, CoT 4, BU 5, BA 6, BE 7 (with the M flag of RFC 5380
 * §5.2, the R flag of RFC 3963, the P flag of RFC 5213). Options: mh_opts.c. */
#include "dec_int.h"

/* Each message decoder reads its fixed part from the message data. A
 * message cut by the capture keeps every field that is whole: the reads
 * record a field only when all its bytes are there. */
typedef void (*mh_msg_fn)(struct dctx *c, struct rd *d);

static void mh_brr(struct dctx *c, struct rd *d) { (void)c; rd_skip(d, 2); }

static void mh_init(struct dctx *c, struct rd *d, unsigned cookie)
{
	rd_skip(d, 2);
	dec_rd_p(c, d, cookie, 8);
}
static void mh_hoti(struct dctx *c, struct rd *d) { mh_init(c, d, DEC_F_MH_HOTI_COOKIE); }
static void mh_coti(struct dctx *c, struct rd *d) { mh_init(c, d, DEC_F_MH_COTI_COOKIE); }

static void mh_test(struct dctx *c, struct rd *d, unsigned idx, unsigned cookie, unsigned token)
{
	dec_rd_u(c, d, idx, 2, NULL);
	dec_rd_p(c, d, cookie, 8);
	dec_rd_p(c, d, token, 8);
}
static void mh_hot(struct dctx *c, struct rd *d)
{
	mh_test(c, d, DEC_F_MH_HOT_NONCE_IDX, DEC_F_MH_HOT_COOKIE, DEC_F_MH_HOT_TOKEN);
}
static void mh_cot(struct dctx *c, struct rd *d)
{
	mh_test(c, d, DEC_F_MH_COT_NONCE_IDX, DEC_F_MH_COT_COOKIE, DEC_F_MH_COT_TOKEN);
}

static const struct { uint16_t bit; uint16_t id; } mh_bu_flags[] = {
	{ 0x8000, DEC_F_MH_BU_FLAGS_A }, { 0x4000, DEC_F_MH_BU_FLAGS_H },
	{ 0x2000, DEC_F_MH_BU_FLAGS_L }, { 0x1000, DEC_F_MH_BU_FLAGS_K },
	{ 0x0800, DEC_F_MH_BU_FLAGS_M }, { 0x0400, DEC_F_MH_BU_FLAGS_R },
	{ 0x0200, DEC_F_MH_BU_FLAGS_P },
};

static void mh_bu(struct dctx *c, struct rd *d)
{
	const uint8_t *p;
	uint16_t fl;

	dec_rd_u(c, d, DEC_F_MH_BU_SEQ, 2, NULL);
	p = d->p;
	if (!rd_be16(d, &fl))
		return;
	for (size_t i = 0; i < sizeof mh_bu_flags / sizeof *mh_bu_flags; i++)
		dec_put_u(c, mh_bu_flags[i].id, !!(fl & mh_bu_flags[i].bit), p, 2);
	dec_rd_u(c, d, DEC_F_MH_BU_LIFETIME, 2, NULL);
}

static void mh_ba(struct dctx *c, struct rd *d)
{
	const uint8_t *p;
	uint8_t fl;

	dec_rd_u(c, d, DEC_F_MH_BA_STATUS, 1, NULL);
	p = d->p;
	if (!rd_u8(d, &fl))
		return;
	dec_put_u(c, DEC_F_MH_BA_FLAGS_K, !!(fl & 0x80), p, 1);
	dec_put_u(c, DEC_F_MH_BA_FLAGS_R, !!(fl & 0x40), p, 1);
	dec_put_u(c, DEC_F_MH_BA_FLAGS_P, !!(fl & 0x20), p, 1);
	dec_rd_u(c, d, DEC_F_MH_BA_SEQ, 2, NULL);
	dec_rd_u(c, d, DEC_F_MH_BA_LIFETIME, 2, NULL);
}

static void mh_be(struct dctx *c, struct rd *d)
{
	dec_rd_u(c, d, DEC_F_MH_BE_STATUS, 1, NULL);
	rd_skip(d, 1);
	dec_rd_p(c, d, DEC_F_MH_BE_HOME, 16);
}

static const struct mh_msg_desc {
	const char *name;
	uint8_t min_hlen;	/* smallest header length field (RFC 6275 §9.2) */
	mh_msg_fn fn;
} mh_msgs[] = {
	[0] = { "binding refresh request", 0, mh_brr },
	[1] = { "home test init", 1, mh_hoti },
	[2] = { "care-of test init", 1, mh_coti },
	[3] = { "home test", 2, mh_hot },
	[4] = { "care-of test", 2, mh_cot },
	[5] = { "binding update", 1, mh_bu },
	[6] = { "binding acknowledgement", 1, mh_ba },
	[7] = { "binding error", 2, mh_be },
};

int dec_mh(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	size_t have = rd_left(r), total;
	uint8_t pproto, hlen, type, resv;
	uint16_t sum;
	bool cut;
	struct rd d;

	rd_u8(r, &pproto);
	rd_u8(r, &hlen);
	rd_u8(r, &type);
	rd_u8(r, &resv);
	rd_be16(r, &sum);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_MH, "the 6-byte mobility header");
	dec_put_u(c, DEC_F_MH_PPROTO, pproto, start, 1);
	dec_put_u(c, DEC_F_MH_LEN, hlen, start + 1, 1);
	dec_put_u(c, DEC_F_MH_TYPE, type, start + 2, 1);
	dec_put_u(c, DEC_F_MH_CKSUM, sum, start + 4, 2);
	total = ((size_t)hlen + 1) * 8;
	cut = total > have && c->cut;	/* the snap length cut the message */
	if (total != have && !cut)
		return dec_bad(c, DEC_F_MH_LEN, "mh.len: header length %u does not match %zu bytes",
			       hlen, have);
	dec_put_p(c, DEC_F_MH, start, cut ? have : total);
	if (c->alen == 16 && !cut) {
		uint32_t s = dec_pseudo_sum(c, 135, (uint32_t)total);
		s = dec_sum(rd_init(start, total), s);
		dec_put_u(c, DEC_F_MH_CKSUM_OK, dec_sum_fold(s) == 0xffff, NULL, 0);
	}
	if (type >= sizeof mh_msgs / sizeof *mh_msgs) {
		dec_unknown(c, DEC_F_MH_TYPE, "mh.type %u not decoded", type);
		return cut ? dec_trunc(c, DEC_F_MH) : 0;
	}
	const struct mh_msg_desc *md = &mh_msgs[type];
	if (hlen < md->min_hlen)
		return dec_bad(c, DEC_F_MH_LEN, "mh.len: header length %u is too short for a %s (at least %u)",
			       hlen, md->name, md->min_hlen);
	d = *r;			/* the message data: the rest of the header */
	md->fn(c, &d);
	if (!rd_ok(&d)) {	/* only when cut, after the min_hlen check */
		if (cut)
			return dec_trunc(c, DEC_F_MH);
		return dec_bad(c, DEC_F_MH_LEN, "mh.len: %s data does not fit", md->name);
	}
	if (dec_mh_opts(c, &d) < 0)
		return -1;
	return cut ? dec_trunc(c, DEC_F_MH) : 0;
}
