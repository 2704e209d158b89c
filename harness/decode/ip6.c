/* ip6.c — IPv6 header and extension headers (RFC 8200): hop-by-hop and
 * destination options (router alert RFC 2711, Home Address option RFC 6275
 * §6.3), routing header types 0 and 2 (RFC 6275 §6.4), fragment, AH, ESP. */
#include "dec_int.h"

enum { NH_HBH = 0, NH_RH = 43, NH_FRAG = 44, NH_ESP = 50, NH_AH = 51,
       NH_NONE = 59, NH_DOPT = 60 };
enum { OPT_PAD1 = 0, OPT_PADN = 1, OPT_RA = 5, OPT_HAO = 201 };

int dec_ip6(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p, *src, *dst;
	uint32_t vtf;
	uint16_t plen;
	uint8_t nxt, hlim;
	struct rd pl;

	rd_be32(r, &vtf);
	rd_be16(r, &plen);
	rd_u8(r, &nxt);
	rd_u8(r, &hlim);
	src = rd_ptr(r, 16);
	dst = rd_ptr(r, 16);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_IP6, "the 40-byte IPv6 header");
	if (vtf >> 28 != 6)
		return dec_bad(c, DEC_F_IP6, "ip6: version %u in an IPv6 header", vtf >> 28);
	dec_put_u(c, DEC_F_IP6_TC, (vtf >> 20) & 0xff, start, 2);
	dec_put_u(c, DEC_F_IP6_FLOW, vtf & 0xfffff, start + 1, 3);
	dec_put_u(c, DEC_F_IP6_PLEN, plen, start + 4, 2);
	dec_put_u(c, DEC_F_IP6_NXT, nxt, start + 6, 1);
	dec_put_u(c, DEC_F_IP6_HLIM, hlim, start + 7, 1);
	dec_put_p(c, DEC_F_IP6_SRC, src, 16);
	dec_put_p(c, DEC_F_IP6_DST, dst, 16);
	if (!dec_region(c, r, plen, DEC_F_IP6_PLEN, &pl))
		return -1;
	dec_put_p(c, DEC_F_IP6, start, (size_t)(pl.end - start));
	c->alen = 16;
	c->psrc = src;
	c->pdst = dst;
	return dec_ip6_chain(c, &pl, nxt);
}

/* The TLV options of a hop-by-hop or destination options header. */
static int dec_ip6_opts(struct dctx *c, struct rd *o, bool part)
{
	while (rd_ok(o) && rd_left(o) > 0) {
		const uint8_t *at = o->p;
		uint8_t type, len;
		struct rd v;

		rd_u8(o, &type);
		if (type == OPT_PAD1)
			continue;
		if (part && (!rd_peek_u8(o, 0, &len) || len > rd_left(o) - 1))
			return 0;	/* the capture ended inside the option */
		if (!rd_u8(o, &len) || len > rd_left(o))
			return dec_bad(c, DEC_F_IP6_OPT_LEN,
				       "ip6.opt.len: option %u length %u does not fit the %zu bytes left",
				       type, len, rd_left(o));
		rd_sub(o, len, &v);
		if (type == OPT_PADN)
			continue;
		dec_put_u(c, DEC_F_IP6_OPT_TYPE, type, at, 1);
		switch (type) {
		case OPT_HAO:
			if (len != 16)
				return dec_bad(c, DEC_F_IP6_OPT_LEN,
					       "ip6.opt.len: home address option length %u, expected 16", len);
			dec_put_p(c, DEC_F_IP6_HAO, v.p, 16);
			c->psrc = v.p;	/* upper-layer checksums use the home address */
			break;
		case OPT_RA: {
			uint16_t ra;
			if (len != 2 || !rd_be16(&v, &ra))
				return dec_bad(c, DEC_F_IP6_OPT_LEN,
					       "ip6.opt.len: router alert length %u, expected 2", len);
			dec_put_u(c, DEC_F_IP6_OPT_RA, ra, at + 2, 2);
			break;
		}
		default:
			dec_unknown(c, DEC_F_IP6_OPT_TYPE, "ip6.opt.type %u not decoded", type);
			break;
		}
	}
	return 0;
}

static int dec_ip6_rh(struct dctx *c, struct rd *h, uint8_t hl)
{
	const uint8_t *at = h->p;
	uint64_t type, segleft;

	dec_put_u(c, DEC_F_IP6_RH_LEN, hl, at - 1, 1);
	if (!dec_rd_u(c, h, DEC_F_IP6_RH_TYPE, 1, &type) ||
	    !dec_rd_u(c, h, DEC_F_IP6_RH_SEGLEFT, 1, &segleft))
		return 0;	/* cut by the capture: the caller says truncated */
	rd_skip(h, 4);		/* reserved */
	if (type == 2) {
		if (hl != 2)
			return dec_bad(c, DEC_F_IP6_RH_LEN,
				       "ip6.rh.len: type 2 routing header length %u, expected 2", hl);
		const uint8_t *a = rd_ptr(h, 16);
		dec_put_p(c, DEC_F_IP6_RH2_ADDR, a, 16);
		if (segleft > 0 && a)
			c->pdst = a;	/* the final destination */
		return 0;
	}
	if (type == 0) {
		if (hl & 1)
			return dec_bad(c, DEC_F_IP6_RH_LEN,
				       "ip6.rh.len: type 0 routing header length %u is odd", hl);
		if (segleft > hl / 2)
			return dec_bad(c, DEC_F_IP6_RH_SEGLEFT,
				       "ip6.rh.segleft: %u segments left but %u addresses", (unsigned)segleft, hl / 2);
		const uint8_t *a = NULL;
		while (rd_ok(h) && rd_left(h) >= 16) {
			a = rd_ptr(h, 16);
			dec_put_p(c, DEC_F_IP6_RH0_ADDR, a, 16);
		}
		if (segleft > 0 && a)
			c->pdst = a;
		return 0;
	}
	if (segleft > 0)
		dec_unknown(c, DEC_F_IP6_RH_TYPE, "ip6.rh.type %u not decoded", (unsigned)type);
	return 0;
}

int dec_ip6_chain(struct dctx *c, struct rd *r, uint8_t nxt)
{
	for (;;) {
		const uint8_t *start = r->p;
		uint8_t nh, hl;
		size_t total;
		struct rd h;
		unsigned layer;

		switch (nxt) {
		case NH_HBH: layer = DEC_F_IP6_HBH; break;
		case NH_DOPT: layer = DEC_F_IP6_DOPT; break;
		case NH_RH: layer = DEC_F_IP6_RH; break;
		case NH_FRAG: layer = DEC_F_IP6_FRAG; break;
		case NH_AH: layer = DEC_F_AH; break;
		case NH_ESP: {
			uint32_t spi, seq;
			dec_put_u(c, DEC_F_IP6_EXT, nxt, NULL, 0);
			rd_be32(r, &spi);
			rd_be32(r, &seq);
			if (!rd_ok(r))
				return dec_short(c, DEC_F_ESP, "the ESP header");
			dec_put_p(c, DEC_F_ESP, start, (size_t)(r->end - start));
			dec_put_u(c, DEC_F_ESP_SPI, spi, start, 4);
			dec_put_u(c, DEC_F_ESP_SEQ, seq, start + 4, 4);
			return 0;	/* the rest is encrypted */
		}
		default:
			dec_put_u(c, DEC_F_IP6_UPPER, nxt, NULL, 0);
			return dec_upper(c, r, nxt);
		}
		dec_put_u(c, DEC_F_IP6_EXT, nxt, NULL, 0);
		rd_peek_u8(r, 1, &hl);
		total = nxt == NH_FRAG ? 8 : nxt == NH_AH ? ((size_t)hl + 2) * 4 : ((size_t)hl + 1) * 8;
		/* an extension header cut by the capture keeps its whole fields */
		bool part = rd_left(r) < total;
		if (part && !c->cut)
			return dec_short(c, layer, "an extension header");
		if (part)
			total = rd_left(r);
		rd_sub(r, total, &h);
		dec_put_p(c, layer, start, total);
		rd_u8(&h, &nh);
		rd_u8(&h, &hl);
		if (!rd_ok(&h))		/* only when part */
			return dec_trunc(c, layer);
		switch (nxt) {
		case NH_HBH:
		case NH_DOPT:
			dec_put_u(c, nxt == NH_HBH ? DEC_F_IP6_HBH_LEN : DEC_F_IP6_DOPT_LEN, hl, start + 1, 1);
			if (dec_ip6_opts(c, &h, part) < 0)
				return -1;
			break;
		case NH_RH:
			if (dec_ip6_rh(c, &h, hl) < 0)
				return -1;
			break;
		case NH_AH: {
			uint32_t spi, seq;
			rd_skip(&h, 2);
			rd_be32(&h, &spi);
			rd_be32(&h, &seq);
			if (!rd_ok(&h) && part)
				return dec_trunc(c, layer);
			if (!rd_ok(&h))
				return dec_bad(c, DEC_F_AH_LEN, "ah.len: length %u is below the 12-byte header", hl);
			dec_put_u(c, DEC_F_AH_LEN, hl, start + 1, 1);
			dec_put_u(c, DEC_F_AH_SPI, spi, start + 4, 4);
			dec_put_u(c, DEC_F_AH_SEQ, seq, start + 8, 4);
			break;
		}
		case NH_FRAG: {
			uint16_t fo;
			uint32_t id;
			if (!rd_be16(&h, &fo))
				return dec_trunc(c, layer);
			dec_put_u(c, DEC_F_IP6_FRAG_OFF, fo & 0xfff8u, start + 2, 2);
			dec_put_u(c, DEC_F_IP6_FRAG_M, fo & 1, start + 2, 2);
			if (!rd_be32(&h, &id))
				return dec_trunc(c, layer);
			dec_put_u(c, DEC_F_IP6_FRAG_ID, id, start + 4, 4);
			if ((fo & 0xfff8u) || (fo & 1)) {
				dec_unknown(c, DEC_F_IP6_FRAG, "ip6.frag: fragment (offset %u, M %u) not reassembled",
					    fo & 0xfff8u, fo & 1);
				return 0;
			}
			break;	/* an atomic fragment: go on */
		}
		}
		if (part)
			return dec_trunc(c, layer);
		nxt = nh;
	}
}
