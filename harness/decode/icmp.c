/* icmp.c — ICMP (RFC 792), router discovery (RFC 1256) and the Mobile IPv4
 * agent advertisement extensions (RFC 5944 §2.1: 16 mobility agent
 * advertisement, 19 prefix-lengths, 0 one-byte padding). */
#include "dec_int.h"

enum { ICMP_ECHOREPLY = 0, ICMP_UNREACH = 3, ICMP_REDIRECT = 5, ICMP_ECHO = 8,
       ICMP_RTRADV = 9, ICMP_RTRSOL = 10, ICMP_TIMXCEED = 11, ICMP_PARAMPROB = 12 };
enum { EXT_PAD = 0, EXT_MA = 16, EXT_PLEN = 19 };

/* Flag bits of the mobility agent advertisement (16-bit field). */
static const struct { uint16_t bit; uint16_t id; } dec_ma_flags[] = {
	{ 0x8000, DEC_F_MIP4_ADV_FLAGS_R }, { 0x4000, DEC_F_MIP4_ADV_FLAGS_B },
	{ 0x2000, DEC_F_MIP4_ADV_FLAGS_H }, { 0x1000, DEC_F_MIP4_ADV_FLAGS_F },
	{ 0x0800, DEC_F_MIP4_ADV_FLAGS_M }, { 0x0400, DEC_F_MIP4_ADV_FLAGS_G },
	{ 0x0200, DEC_F_MIP4_ADV_FLAGS_r }, { 0x0100, DEC_F_MIP4_ADV_FLAGS_T },
	{ 0x0080, DEC_F_MIP4_ADV_FLAGS_U }, { 0x0040, DEC_F_MIP4_ADV_FLAGS_X },
};

static int dec_agent_ext(struct dctx *c, struct rd *r)
{
	uint16_t n = 0;

	while (rd_ok(r) && rd_left(r) > 0) {
		const uint8_t *at = r->p;
		uint8_t type, len;
		struct rd v;

		rd_u8(r, &type);
		if (type == EXT_PAD)
			continue;
		c->grp = ++n;
		dec_put_u(c, DEC_F_ICMP_EXT_TYPE, type, at, 1);
		if (!rd_u8(r, &len))
			return dec_short(c, DEC_F_ICMP, "an extension length");
		if (len > rd_left(r)) {
			if (c->cut)
				return dec_trunc(c, DEC_F_ICMP);
			return dec_bad(c, DEC_F_ICMP_EXT_TYPE,
				       "icmp.ext.type: extension %u length %u exceeds the %zu bytes left",
				       type, len, rd_left(r));
		}
		rd_sub(r, len, &v);
		if (type == EXT_MA) {
			uint16_t seq, life, flags;
			if (len < 6 || (len - 6) % 4)
				return dec_bad(c, DEC_F_ICMP_EXT_TYPE,
					       "icmp.ext.type: mobility agent advertisement length %u is not 6 + 4n", len);
			rd_be16(&v, &seq);
			rd_be16(&v, &life);
			rd_be16(&v, &flags);
			dec_put_u(c, DEC_F_MIP4_ADV_SEQ, seq, at + 2, 2);
			dec_put_u(c, DEC_F_MIP4_ADV_LIFETIME, life, at + 4, 2);
			for (size_t i = 0; i < sizeof dec_ma_flags / sizeof *dec_ma_flags; i++)
				dec_put_u(c, dec_ma_flags[i].id, !!(flags & dec_ma_flags[i].bit), at + 6, 2);
			while (rd_ok(&v) && rd_left(&v) >= 4)
				dec_put_p(c, DEC_F_MIP4_ADV_COA, rd_ptr(&v, 4), 4);
		} else if (type == EXT_PLEN) {
			uint8_t pl;
			while (rd_ok(&v) && rd_left(&v) > 0) {
				const uint8_t *p = v.p;
				rd_u8(&v, &pl);
				dec_put_u(c, DEC_F_MIP4_ADV_PLEN, pl, p, 1);
			}
		} else {
			dec_unknown(c, DEC_F_ICMP_EXT_TYPE, "icmp.ext.type %u not decoded", type);
		}
	}
	c->grp = 0;
	return 0;
}

static int dec_icmp_rtradv(struct dctx *c, struct rd *r, const uint8_t *start)
{
	uint8_t num, esize;
	uint16_t life;

	rd_u8(r, &num);
	rd_u8(r, &esize);
	rd_be16(r, &life);
	dec_put_u(c, DEC_F_ICMP_RA_NUM, num, start + 4, 1);
	dec_put_u(c, DEC_F_ICMP_RA_ESIZE, esize, start + 5, 1);
	dec_put_u(c, DEC_F_ICMP_RA_LIFETIME, life, start + 6, 2);
	if (esize < 2)
		return dec_bad(c, DEC_F_ICMP_RA_ESIZE, "icmp.ra.esize: address entry size %u, expected at least 2", esize);
	for (unsigned i = 0; i < num; i++) {
		const uint8_t *a = rd_ptr(r, 4), *p = r->p;
		uint32_t pref;
		rd_be32(r, &pref);
		rd_skip(r, (esize - 2u) * 4u);
		if (!rd_ok(r))
			return dec_short(c, DEC_F_ICMP, "the router addresses icmp.ra.num announces");
		dec_put_p(c, DEC_F_ICMP_RA_ADDR, a, 4);
		dec_put_u(c, DEC_F_ICMP_RA_PREF, pref, p, 4);
	}
	return dec_agent_ext(c, r);
}

int dec_icmp(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	uint8_t type, code;
	uint16_t sum, a, b;
	size_t have = rd_left(r);
	struct rd body = *r;

	rd_u8(r, &type);
	rd_u8(r, &code);
	rd_be16(r, &sum);
	rd_be16(r, &a);
	rd_be16(r, &b);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_ICMP, "the 8-byte ICMP header");
	dec_put_p(c, DEC_F_ICMP, start, have);
	dec_put_u(c, DEC_F_ICMP_TYPE, type, start, 1);
	dec_put_u(c, DEC_F_ICMP_CODE, code, start + 1, 1);
	dec_put_u(c, DEC_F_ICMP_CKSUM, sum, start + 2, 2);
	if (!c->cut)
		dec_put_u(c, DEC_F_ICMP_CKSUM_OK,
			  dec_sum_fold(dec_sum(rd_init(start, have), 0)) == 0xffff, NULL, 0);
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		dec_put_u(c, DEC_F_ICMP_ECHO_ID, a, start + 4, 2);
		dec_put_u(c, DEC_F_ICMP_ECHO_SEQ, b, start + 6, 2);
		return 0;
	case ICMP_UNREACH:
		if (code == 4)
			dec_put_u(c, DEC_F_ICMP_MTU, b, start + 6, 2);
		return 0;	/* the quoted packet is not decoded */
	case ICMP_REDIRECT:
		dec_put_p(c, DEC_F_ICMP_GW, start + 4, 4);
		return 0;
	case ICMP_TIMXCEED:
		return 0;
	case ICMP_PARAMPROB:
		dec_put_u(c, DEC_F_ICMP_PPTR, a >> 8, start + 4, 1);
		return 0;
	case ICMP_RTRSOL:
		return 0;
	case ICMP_RTRADV:
		rd_skip(&body, 4);
		return dec_icmp_rtradv(c, &body, start);
	default:
		dec_unknown(c, DEC_F_ICMP_TYPE, "icmp.type %u not decoded", type);
		return 0;
	}
}
