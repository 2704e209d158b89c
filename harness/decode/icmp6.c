/* icmp6.c — ICMPv6 (RFC 4443), MLD (RFC 2710, 3810), neighbour discovery
 * messages (RFC 4861 §4) and the Mobile IPv6 ICMPv6 messages (RFC 6275 §6.5-6.8:
 * DHAAD request 144 / reply 145, mobile prefix solicitation 146 /
 * advertisement 147). ND options are in nd_opts.c. */
#include "dec_int.h"

/* The body of a message must hold n more bytes. A body cut by the capture
 * goes on (the reads below keep only whole fields; dec_icmp6 then says
 * truncated); a body the message itself makes too short is malformed. */
static int dec_icmp6_need(struct dctx *c, struct rd *r, size_t n, uint8_t type)
{
	if (rd_left(r) >= n || c->cut)
		return 0;
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
	if (!rd_be16(r, &nrec))
		return 0;	/* cut by the capture: dec_end says truncated */
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
	uint16_t sum, b;
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
		dec_rd_u(c, r, type == 2 ? DEC_F_ICMP6_MTU : DEC_F_ICMP6_PPTR, 4, NULL);
		return 0;
	case 128: case 129:	/* echo */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		dec_rd_u(c, r, DEC_F_ICMP6_ECHO_ID, 2, NULL);
		dec_rd_u(c, r, DEC_F_ICMP6_ECHO_SEQ, 2, NULL);
		return 0;
	case 130: case 131: case 132:	/* MLDv1 query, report, done */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		dec_rd_u(c, r, DEC_F_MLD_MAXDELAY, 2, NULL);
		rd_skip(r, 2);
		dec_rd_p(c, r, DEC_F_MLD_MADDR, 16);
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
		dec_rd_u(c, r, DEC_F_ND_RA_HLIM, 1, NULL);
		if (rd_u8(r, &u8)) {
			dec_put_u(c, DEC_F_ND_RA_FLAGS_M, !!(u8 & 0x80), p + 1, 1);
			dec_put_u(c, DEC_F_ND_RA_FLAGS_O, !!(u8 & 0x40), p + 1, 1);
			dec_put_u(c, DEC_F_ND_RA_FLAGS_H, !!(u8 & 0x20), p + 1, 1);
			dec_put_u(c, DEC_F_ND_RA_PRF, (u8 >> 3) & 3, p + 1, 1);
		}
		dec_rd_u(c, r, DEC_F_ND_RA_LIFETIME, 2, NULL);
		dec_rd_u(c, r, DEC_F_ND_RA_REACHABLE, 4, NULL);
		dec_rd_u(c, r, DEC_F_ND_RA_RETRANS, 4, NULL);
		return rd_ok(r) ? dec_nd_opts(c, r) : 0;
	case 135:		/* neighbour solicitation */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		rd_skip(r, 4);
		dec_rd_p(c, r, DEC_F_ND_NS_TARGET, 16);
		return rd_ok(r) ? dec_nd_opts(c, r) : 0;
	case 136:		/* neighbour advertisement */
		if (dec_icmp6_need(c, r, 20, type))
			return -1;
		if (rd_be32(r, &w)) {
			dec_put_u(c, DEC_F_ND_NA_FLAGS_R, !!(w & 0x80000000u), p, 1);
			dec_put_u(c, DEC_F_ND_NA_FLAGS_S, !!(w & 0x40000000u), p, 1);
			dec_put_u(c, DEC_F_ND_NA_FLAGS_O, !!(w & 0x20000000u), p, 1);
		}
		dec_rd_p(c, r, DEC_F_ND_NA_TARGET, 16);
		return rd_ok(r) ? dec_nd_opts(c, r) : 0;
	case 137:		/* redirect */
		if (dec_icmp6_need(c, r, 36, type))
			return -1;
		rd_skip(r, 4);
		dec_rd_p(c, r, DEC_F_ND_REDIR_TARGET, 16);
		dec_rd_p(c, r, DEC_F_ND_REDIR_DST, 16);
		return rd_ok(r) ? dec_nd_opts(c, r) : 0;
	case 144: case 146:	/* DHAAD request, mobile prefix solicitation */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		dec_rd_u(c, r, type == 144 ? DEC_F_DHAAD_ID : DEC_F_MPS_ID, 2, NULL);
		rd_skip(r, 2);
		return rd_ok(r) ? dec_icmp6_done(c, r, type) : 0;
	case 145:		/* DHAAD reply */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		dec_rd_u(c, r, DEC_F_DHAAD_ID, 2, NULL);
		if (!rd_skip(r, 2) || (rd_left(r) % 16 && c->cut)) {
			while (rd_ok(r) && rd_left(r) >= 16)	/* the whole addresses */
				dec_rd_p(c, r, DEC_F_DHAAD_HA, 16);
			return dec_trunc(c, DEC_F_ICMP6);
		}
		if (rd_left(r) % 16)
			return dec_bad(c, DEC_F_DHAAD_HA, "dhaad.ha: %zu bytes of addresses is not a multiple of 16",
				       rd_left(r));
		while (rd_ok(r) && rd_left(r) >= 16)
			dec_put_p(c, DEC_F_DHAAD_HA, rd_ptr(r, 16), 16);
		return 0;
	case 147:		/* mobile prefix advertisement */
		if (dec_icmp6_need(c, r, 4, type))
			return -1;
		dec_rd_u(c, r, DEC_F_MPA_ID, 2, NULL);
		if (!rd_be16(r, &b))
			return 0;
		dec_put_u(c, DEC_F_MPA_FLAGS_M, !!(b & 0x8000), p + 2, 2);
		dec_put_u(c, DEC_F_MPA_FLAGS_O, !!(b & 0x4000), p + 2, 2);
		return dec_nd_opts(c, r);
	default:
		dec_unknown(c, DEC_F_ICMP6_TYPE, "icmp6.type %u not decoded", type);
		return 0;
	}
}
