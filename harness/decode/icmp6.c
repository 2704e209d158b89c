/* icmp6.c — ICMPv6 (RFC 4443), MLD (RFC 2710, 3810), neighbour discovery
 * messages (RFC 4861 §4) and the Mobile IPv6 ICMPv6 messages (RFC 6275 §6.5-6.8:
 * DHAAD request 144 / reply 145, mobile prefix solicitation 146 /
 * advertisement 147). ND options are in nd_opts.c. */
#include "dec_int.h"

/* The body of a message must hold n more bytes. */
static int dec_icmp6_need(struct dctx *c, struct rd *r, size_t n, uint8_t type)
{
	if (rd_left(r) >= n)
		return 0;
	if (c->cut)
		return dec_trunc(c, DEC_F_ICMP6);
	return dec_bad(c, DEC_F_ICMP6_TYPE, "icmp6.type: type %u needs %zu more bytes, the message has %zu",
		       type, n, rd_left(r));
}

static int dec_icmp6_done(struct dctx *c, struct rd *r, uint8_t type)
{
	if (rd_left(r) == 0)
		return 0;
	return dec_bad(c, DEC_F_ICMP6, "icmp6: %zu bytes left over after a type %u message",
		       rd_left(r), type);
}

static int dec_mld2_report(struct dctx *c, struct rd *r, const uint8_t *start)
{
	uint16_t nrec;

	rd_skip(r, 2);
	rd_be16(r, &nrec);
	dec_put_u(c, DEC_F_MLD_NREC, nrec, start + 6, 2);
	for (unsigned i = 0; i < nrec; i++) {
		const uint8_t *at = r->p, *maddr;
		uint8_t rtype, aux;
		uint16_t nsrc;

		rd_u8(r, &rtype);
		rd_u8(r, &aux);
		rd_be16(r, &nsrc);
		maddr = rd_ptr(r, 16);
		rd_skip(r, (size_t)nsrc * 16 + (size_t)aux * 4);
		if (!rd_ok(r))
			return c->cut ? dec_trunc(c, DEC_F_ICMP6)
				      : dec_bad(c, DEC_F_MLD_NREC, "mld.nrec: record %u of %u does not fit", i + 1, nrec);
		dec_put_u(c, DEC_F_MLD_REC_TYPE, rtype, at, 1);
		dec_put_p(c, DEC_F_MLD_REC_MADDR, maddr, 16);
	}
	return dec_icmp6_done(c, r, 143);
}

int dec_icmp6(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p, *p;
	uint8_t type, code, u8;
	uint16_t sum, a, b;
	uint32_t w;
	size_t have = rd_left(r);

	rd_u8(r, &type);
	rd_u8(r, &code);
	rd_be16(r, &sum);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_ICMP6, "the ICMPv6 header");
	dec_put_p(c, DEC_F_ICMP6, start, have);
	dec_put_u(c, DEC_F_ICMP6_TYPE, type, start, 1);
	dec_put_u(c, DEC_F_ICMP6_CODE, code, start + 1, 1);
	dec_put_u(c, DEC_F_ICMP6_CKSUM, sum, start + 2, 2);
	if (c->alen == 16 && !c->cut) {
		uint32_t s = dec_pseudo_sum(c, 58, (uint32_t)have);
		s = dec_sum(rd_init(start, have), s);
		dec_put_u(c, DEC_F_ICMP6_CKSUM_OK, dec_sum_fold(s) == 0xffff, NULL, 0);
	}
	p = r->p;
	switch (type) {
	case 1: case 3:		/* unreachable, time exceeded: quoted packet not decoded */
		return dec_icmp6_need(c, r, 4, type);
	case 2:			/* packet too big */
	case 4:			/* parameter problem */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_be32(r, &w);
		dec_put_u(c, type == 2 ? DEC_F_ICMP6_MTU : DEC_F_ICMP6_PPTR, w, p, 4);
		return 0;
	case 128: case 129:	/* echo */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_be16(r, &a);
		rd_be16(r, &b);
		dec_put_u(c, DEC_F_ICMP6_ECHO_ID, a, p, 2);
		dec_put_u(c, DEC_F_ICMP6_ECHO_SEQ, b, p + 2, 2);
		return 0;
	case 130: case 131: case 132:	/* MLDv1 query, report, done */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		rd_be16(r, &a);
		rd_skip(r, 2);
		dec_put_u(c, DEC_F_MLD_MAXDELAY, a, p, 2);
		dec_put_p(c, DEC_F_MLD_MADDR, rd_ptr(r, 16), 16);
		return 0;	/* an MLDv2 query carries sources after this */
	case 143:		/* MLDv2 report */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		return dec_mld2_report(c, r, start);
	case 133:		/* router solicitation */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_skip(r, 4);
		return dec_nd_opts(c, r);
	case 134:		/* router advertisement */
		if (dec_icmp6_need(c, r, 12, type))
			return -1;
		rd_u8(r, &u8);
		dec_put_u(c, DEC_F_ND_RA_HLIM, u8, p, 1);
		rd_u8(r, &u8);
		dec_put_u(c, DEC_F_ND_RA_FLAGS_M, !!(u8 & 0x80), p + 1, 1);
		dec_put_u(c, DEC_F_ND_RA_FLAGS_O, !!(u8 & 0x40), p + 1, 1);
		dec_put_u(c, DEC_F_ND_RA_FLAGS_H, !!(u8 & 0x20), p + 1, 1);
		dec_put_u(c, DEC_F_ND_RA_PRF, (u8 >> 3) & 3, p + 1, 1);
		rd_be16(r, &a);
		dec_put_u(c, DEC_F_ND_RA_LIFETIME, a, p + 2, 2);
		rd_be32(r, &w);
		dec_put_u(c, DEC_F_ND_RA_REACHABLE, w, p + 4, 4);
		rd_be32(r, &w);
		dec_put_u(c, DEC_F_ND_RA_RETRANS, w, p + 8, 4);
		return dec_nd_opts(c, r);
	case 135:		/* neighbour solicitation */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		rd_skip(r, 4);
		dec_put_p(c, DEC_F_ND_NS_TARGET, rd_ptr(r, 16), 16);
		return dec_nd_opts(c, r);
	case 136:		/* neighbour advertisement */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		rd_be32(r, &w);
		dec_put_u(c, DEC_F_ND_NA_FLAGS_R, !!(w & 0x80000000u), p, 1);
		dec_put_u(c, DEC_F_ND_NA_FLAGS_S, !!(w & 0x40000000u), p, 1);
		dec_put_u(c, DEC_F_ND_NA_FLAGS_O, !!(w & 0x20000000u), p, 1);
		dec_put_p(c, DEC_F_ND_NA_TARGET, rd_ptr(r, 16), 16);
		return dec_nd_opts(c, r);
	case 137:		/* redirect */
		if (dec_icmp6_need(c, r, 36, type))
			return -1;
		rd_skip(r, 4);
		dec_put_p(c, DEC_F_ND_REDIR_TARGET, rd_ptr(r, 16), 16);
		dec_put_p(c, DEC_F_ND_REDIR_DST, rd_ptr(r, 16), 16);
		return dec_nd_opts(c, r);
	case 144: case 146:	/* DHAAD request, mobile prefix solicitation */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_be16(r, &a);
		rd_skip(r, 2);
		dec_put_u(c, type == 144 ? DEC_F_DHAAD_ID : DEC_F_MPS_ID, a, p, 2);
		return dec_icmp6_done(c, r, type);
	case 145:		/* DHAAD reply */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_be16(r, &a);
		rd_skip(r, 2);
		dec_put_u(c, DEC_F_DHAAD_ID, a, p, 2);
		if (rd_left(r) % 16 && c->cut)
			return dec_trunc(c, DEC_F_ICMP6);
		if (rd_left(r) % 16)
			return dec_bad(c, DEC_F_DHAAD_HA, "dhaad.ha: %zu bytes of addresses is not a multiple of 16",
				       rd_left(r));
		while (rd_ok(r) && rd_left(r) >= 16)
			dec_put_p(c, DEC_F_DHAAD_HA, rd_ptr(r, 16), 16);
		return 0;
	case 147:		/* mobile prefix advertisement */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		rd_be16(r, &a);
		rd_be16(r, &b);
		dec_put_u(c, DEC_F_MPA_ID, a, p, 2);
		dec_put_u(c, DEC_F_MPA_FLAGS_M, !!(b & 0x8000), p + 2, 2);
		dec_put_u(c, DEC_F_MPA_FLAGS_O, !!(b & 0x4000), p + 2, 2);
		return dec_nd_opts(c, r);
	default:
		dec_unknown(c, DEC_F_ICMP6_TYPE, "icmp6.type %u not decoded", type);
		return 0;
	}
}
