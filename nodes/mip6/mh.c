/* mh.c — Mobility Header messages and options (RFC 6275 §6.1, §6.2;
 * RFC 4285 §5, §6). */
#include <string.h>
#include "cksum.h"
#include "mh.h"
#include "rd.h"
#include "wr.h"

const char *const mh_type_names[MH__N] = {
	[MH_BRR] = "brr", [MH_HOTI] = "hoti", [MH_COTI] = "coti", [MH_HOT] = "hot",
	[MH_COT] = "cot", [MH_BU] = "bu", [MH_BA] = "ba", [MH_BE] = "be",
};
const char *const mh_verdict_names[] = {
	[MH_OK] = "ok", [MH_TRUNCATED] = "truncated", [MH_MALFORMED] = "malformed",
	[MH_UNKNOWN] = "unknown",
};

/* The fixed fields of each type after the 6-octet header. */
typedef bool (*mh_rd_fn)(struct rd *r, struct mh_msg *m);
typedef void (*mh_wr_fn)(struct wr *w, const struct mh_msg *m);

static bool rd_brr(struct rd *r, struct mh_msg *m)
{
	return rd_skip(r, 2);
}
static bool rd_ti(struct rd *r, struct mh_msg *m)
{
	rd_skip(r, 2);
	return rd_be64(r, &m->cookie);
}
static bool rd_test(struct rd *r, struct mh_msg *m)
{
	rd_be16(r, &m->nonce_index);
	rd_be64(r, &m->cookie);
	return rd_be64(r, &m->token);
}
static bool rd_bu(struct rd *r, struct mh_msg *m)
{
	uint8_t rsv;
	rd_be16(r, &m->seq);
	rd_u8(r, &m->flags);
	rd_u8(r, &rsv);
	return rd_be16(r, &m->lifetime);
}
static bool rd_ba(struct rd *r, struct mh_msg *m)
{
	rd_u8(r, &m->status);
	rd_u8(r, &m->flags);
	rd_be16(r, &m->seq);
	return rd_be16(r, &m->lifetime);
}
static bool rd_be(struct rd *r, struct mh_msg *m)
{
	uint8_t rsv;
	rd_u8(r, &m->status);
	rd_u8(r, &rsv);
	return rd_bytes(r, &m->be_hoa, 16);
}

static void wr_brr(struct wr *w, const struct mh_msg *m) { wr_be16(w, 0); }
static void wr_ti(struct wr *w, const struct mh_msg *m)
{
	wr_be16(w, 0);
	wr_be64(w, m->cookie);
}
static void wr_test(struct wr *w, const struct mh_msg *m)
{
	wr_be16(w, m->nonce_index);
	wr_be64(w, m->cookie);
	wr_be64(w, m->token);
}
static void wr_bu(struct wr *w, const struct mh_msg *m)
{
	wr_be16(w, m->seq);
	wr_u8(w, m->flags & 0xf0);
	wr_u8(w, 0);
	wr_be16(w, m->lifetime);
}
static void wr_ba(struct wr *w, const struct mh_msg *m)
{
	wr_u8(w, m->status);
	wr_u8(w, m->flags & MH_BA_K);
	wr_be16(w, m->seq);
	wr_be16(w, m->lifetime);
}
static void wr_be(struct wr *w, const struct mh_msg *m)
{
	wr_u8(w, m->status);
	wr_u8(w, 0);
	wr_bytes(w, &m->be_hoa, 16);
}

static const struct mh_desc {
	size_t min_len;		/* header + fixed fields, octets */
	mh_rd_fn rd;
	mh_wr_fn wr;
} mh_descs[MH__N] = {
	[MH_BRR]  = { 8,  rd_brr,  wr_brr },
	[MH_HOTI] = { 16, rd_ti,   wr_ti },
	[MH_COTI] = { 16, rd_ti,   wr_ti },
	[MH_HOT]  = { 24, rd_test, wr_test },
	[MH_COT]  = { 24, rd_test, wr_test },
	[MH_BU]   = { 12, rd_bu,   wr_bu },
	[MH_BA]   = { 12, rd_ba,   wr_ba },
	[MH_BE]   = { 24, rd_be,   wr_be },
};

size_t mh_min_len(uint8_t type)
{
	return type < MH__N ? mh_descs[type].min_len : MH_HDR_MIN;
}

/* Options: {type, fixed data length (-1 variable, minimum min), alignment
 * xn+y} (§6.2.3-§6.2.7; RFC 4285: placed by roam at 4n+1 and 8n+2). */
static const struct mh_opt_desc {
	int len; int min; int align_n; int align_y;
} mh_opts[] = {
	[MHO_PADN]   = { -1, 0, 1, 0 },
	[MHO_BRA]    = { 2, 2, 2, 0 },
	[MHO_ALTCOA] = { 16, 16, 8, 6 },
	[MHO_NONCE]  = { 4, 4, 2, 0 },
	[MHO_BAD]    = { MH_BAD_LEN, MH_BAD_LEN, 8, 2 },
	[6] = { 0, 0, 0, 0 }, [7] = { 0, 0, 0, 0 }, [8] = { 0, 0, 0, 0 },
	[MHO_AUTH]   = { -1, 5, 4, 1 },
	[MHO_REPLAY] = { 8, 8, 8, 2 },
};
#define MH_N_OPTS (sizeof(mh_opts) / sizeof(mh_opts[0]))

static enum mh_verdict mh_parse_opt(uint8_t t, struct rd *o, size_t off, struct mh_msg *m)
{
	const struct mh_opt_desc *d;
	size_t n = rd_left(o);

	if (t >= MH_N_OPTS || !mh_opts[t].align_n) {
		m->n_unknown_opts++;
		return MH_OK;
	}
	d = &mh_opts[t];
	if ((d->len >= 0 && n != (size_t)d->len) || n < (size_t)d->min)
		return MH_MALFORMED;
	if ((off % (size_t)d->align_n) != (size_t)d->align_y)
		m->misaligned = true;
	switch (t) {
	case MHO_BRA: m->has_bra = rd_be16(o, &m->bra); break;
	case MHO_ALTCOA: m->has_altcoa = rd_bytes(o, &m->altcoa, 16); break;
	case MHO_NONCE:
		rd_be16(o, &m->home_nonce);
		m->has_nonce = rd_be16(o, &m->coa_nonce);
		break;
	case MHO_BAD:
		m->bad_off = off + 2;
		m->has_bad = rd_bytes(o, m->bad, MH_BAD_LEN);
		break;
	case MHO_REPLAY: m->has_replay = rd_be64(o, &m->replay); break;
	case MHO_AUTH:
		rd_u8(o, &m->auth_subtype);
		rd_be32(o, &m->spi);
		m->auth_off = off + 7;
		if (rd_left(o) > sizeof(m->auth))
			return MH_MALFORMED;
		m->auth_len = (uint8_t)rd_left(o);
		m->has_auth = rd_bytes(o, m->auth, m->auth_len);
		break;
	default: break;		/* PadN: contents ignored */
	}
	return MH_OK;
}

enum mh_verdict mh_parse(const uint8_t *buf, size_t len, struct mh_msg *m)
{
	struct rd r = rd_init(buf, len), mh, f;
	uint8_t hlen, rsv;
	size_t total;

	memset(m, 0, sizeof(*m));
	rd_u8(&r, &m->proto);
	rd_u8(&r, &hlen);
	rd_u8(&r, &m->type);
	rd_u8(&r, &rsv);
	rd_be16(&r, &m->cksum);
	if (!rd_ok(&r))
		return MH_TRUNCATED;
	total = ((size_t)hlen + 1) * 8;
	if (total > len)
		return MH_TRUNCATED;
	m->len = total;
	if (m->type >= MH__N)
		return MH_UNKNOWN;
	if (total < mh_descs[m->type].min_len)
		return MH_MALFORMED;	/* §9.2: ICMP Parameter Problem, code 0 */
	mh = rd_init(buf + MH_HDR_MIN, total - MH_HDR_MIN);
	if (!rd_sub(&mh, mh_descs[m->type].min_len - MH_HDR_MIN, &f) ||
	    !mh_descs[m->type].rd(&f, m) || !rd_done(&f))
		return MH_MALFORMED;
	while (rd_left(&mh)) {
		size_t off = (size_t)(mh.p - buf);
		uint8_t t, l;
		struct rd o;
		enum mh_verdict v;

		rd_u8(&mh, &t);
		if (t == MHO_PAD1)
			continue;
		if (!rd_u8(&mh, &l) || !rd_sub(&mh, l, &o))
			return MH_MALFORMED;	/* an option overruns the header */
		if ((v = mh_parse_opt(t, &o, off, m)) != MH_OK)
			return v;
	}
	return MH_OK;
}

/* Pads so that the next option starts at xn+y from the message start. */
static void mh_pad(struct wr *w, size_t n, size_t y)
{
	size_t need = (y + n - w->len % n) % n;
	if (need == 1) {
		wr_u8(w, MHO_PAD1);
	} else if (need > 1) {
		wr_u8(w, MHO_PADN);
		wr_u8(w, (uint8_t)(need - 2));
		for (size_t i = 2; i < need; i++)
			wr_u8(w, 0);
	}
}

static void mh_opt_hdr(struct wr *w, uint8_t t, uint8_t len)
{
	mh_pad(w, (size_t)mh_opts[t].align_n, (size_t)mh_opts[t].align_y);
	wr_u8(w, t);
	wr_u8(w, len);
}

size_t mh_build(uint8_t *buf, size_t cap, struct mh_msg *m)
{
	struct wr w = wr_init(buf, cap);

	if (m->type >= MH__N)
		return 0;
	wr_u8(&w, 59);		/* IPPROTO_NONE (§6.1.1) */
	wr_u8(&w, 0);		/* header length, below */
	wr_u8(&w, m->type);
	wr_u8(&w, 0);
	wr_be16(&w, 0);		/* checksum, mh_cksum_set */
	mh_descs[m->type].wr(&w, m);
	if (m->has_bra) {
		mh_opt_hdr(&w, MHO_BRA, 2);
		wr_be16(&w, m->bra);
	}
	if (m->has_altcoa) {
		mh_opt_hdr(&w, MHO_ALTCOA, 16);
		wr_bytes(&w, &m->altcoa, 16);
	}
	if (m->has_nonce) {
		mh_opt_hdr(&w, MHO_NONCE, 4);
		wr_be16(&w, m->home_nonce);
		wr_be16(&w, m->coa_nonce);
	}
	if (m->has_replay) {
		mh_opt_hdr(&w, MHO_REPLAY, 8);
		wr_be64(&w, m->replay);
	}
	/* the authenticators come last: they cover what precedes them */
	if (m->has_bad) {
		mh_opt_hdr(&w, MHO_BAD, MH_BAD_LEN);
		m->bad_off = w.len;
		wr_bytes(&w, m->bad, MH_BAD_LEN);
	}
	if (m->has_auth) {
		if (m->auth_len > sizeof(m->auth))
			return 0;
		mh_opt_hdr(&w, MHO_AUTH, (uint8_t)(5 + m->auth_len));
		wr_u8(&w, m->auth_subtype);
		wr_be32(&w, m->spi);
		m->auth_off = w.len;
		wr_bytes(&w, m->auth, m->auth_len);
	}
	mh_pad(&w, 8, 0);
	if (!wr_ok(&w) || w.len / 8 - 1 > 255)
		return 0;
	buf[1] = (uint8_t)(w.len / 8 - 1);
	m->len = w.len;
	return w.len;
}

void mh_cksum_set(uint8_t *buf, size_t len, const struct in6_addr *src,
		  const struct in6_addr *dst)
{
	uint32_t s;
	buf[4] = buf[5] = 0;
	s = cksum_pseudo6(src, dst, MH_PROTO, (uint32_t)len);
	cksum_put(buf + 4, cksum_fold(cksum_add(s, buf, len)));
}

bool mh_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		 const struct in6_addr *dst)
{
	uint32_t s = cksum_pseudo6(src, dst, MH_PROTO, (uint32_t)len);
	return cksum_fold(cksum_add(s, buf, len)) == 0;
}
