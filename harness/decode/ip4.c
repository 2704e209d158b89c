/* ip4.c — IPv4 header and options (RFC 791, router alert RFC 2113), and the
 * dispatch on the upper-layer protocol shared with IPv6, including IP-in-IP
 * (RFC 2003) and IPv6/IPv4 tunnelling (proto 4 and 41). */
#include "dec_int.h"

enum { IPOPT_EOL = 0, IPOPT_NOP = 1, IPOPT_RA = 148 };

static int dec_ip4_opts(struct dctx *c, struct rd *o)
{
	while (rd_ok(o) && rd_left(o) > 0) {
		const uint8_t *at = o->p;
		uint8_t type, len;

		rd_u8(o, &type);
		if (type == IPOPT_EOL)
			return 0;	/* the rest is padding */
		if (type == IPOPT_NOP)
			continue;
		dec_put_u(c, DEC_F_IP_OPT_TYPE, type, at, 1);
		if (!rd_u8(o, &len) || len < 2 || len - 2u > rd_left(o))
			return dec_bad(c, DEC_F_IP_OPT_TYPE,
				       "ip.opt.type: option %u length %u does not fit the %zu option bytes left",
				       type, len, rd_left(o) + 1);
		struct rd v;
		rd_sub(o, len - 2u, &v);
		if (type == IPOPT_RA) {
			uint16_t ra;
			if (len != 4 || !rd_be16(&v, &ra))
				return dec_bad(c, DEC_F_IP_OPT_TYPE,
					       "ip.opt.type: router alert length %u, expected 4", len);
			dec_put_u(c, DEC_F_IP_OPT_RA, ra, at + 2, 2);
		}
	}
	return 0;
}

int dec_ip4(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p, *src, *dst;
	struct rd h = *r, ip;
	uint8_t vihl, tos, ttl, proto;
	uint16_t tlen, id, fo, sum;
	size_t hl;

	rd_u8(&h, &vihl);
	rd_u8(&h, &tos);
	rd_be16(&h, &tlen);
	rd_be16(&h, &id);
	rd_be16(&h, &fo);
	rd_u8(&h, &ttl);
	rd_u8(&h, &proto);
	rd_be16(&h, &sum);
	src = rd_ptr(&h, 4);
	dst = rd_ptr(&h, 4);
	if (!rd_ok(&h))
		return dec_short(c, DEC_F_IP, "the 20-byte IPv4 header");
	hl = (size_t)(vihl & 15) * 4;
	dec_put_u(c, DEC_F_IP_HL, hl, start, 1);
	if (vihl >> 4 != 4)
		return dec_bad(c, DEC_F_IP_HL, "ip.hl: version %u in an IPv4 header", vihl >> 4);
	if (hl < 20)
		return dec_bad(c, DEC_F_IP_HL, "ip.hl: header length %zu is below 20", hl);
	dec_put_u(c, DEC_F_IP_TOS, tos, start + 1, 1);
	dec_put_u(c, DEC_F_IP_LEN, tlen, start + 2, 2);
	if (tlen < hl)
		return dec_bad(c, DEC_F_IP_LEN, "ip.len: total length %u is below the header length %zu",
			       tlen, hl);
	dec_put_u(c, DEC_F_IP_ID, id, start + 4, 2);
	dec_put_u(c, DEC_F_IP_FLAGS_DF, (fo >> 14) & 1, start + 6, 2);
	dec_put_u(c, DEC_F_IP_FLAGS_MF, (fo >> 13) & 1, start + 6, 2);
	dec_put_u(c, DEC_F_IP_FRAG, (fo & 0x1fffu) * 8u, start + 6, 2);
	dec_put_u(c, DEC_F_IP_TTL, ttl, start + 8, 1);
	dec_put_u(c, DEC_F_IP_PROTO, proto, start + 9, 1);
	dec_put_u(c, DEC_F_IP_CKSUM, sum, start + 10, 2);
	dec_put_p(c, DEC_F_IP_SRC, src, 4);
	dec_put_p(c, DEC_F_IP_DST, dst, 4);

	if (!dec_region(c, r, tlen, DEC_F_IP_LEN, &ip))
		return -1;
	dec_put_p(c, DEC_F_IP, ip.p, rd_left(&ip));
	struct rd hdr;
	if (!rd_sub(&ip, hl, &hdr))
		return dec_short(c, DEC_F_IP, "the header with its options");
	dec_put_u(c, DEC_F_IP_CKSUM_OK, dec_sum_fold(dec_sum(hdr, 0)) == 0xffff, NULL, 0);
	rd_skip(&hdr, 20);
	if (dec_ip4_opts(c, &hdr) < 0)
		return -1;
	if (fo & 0x3fff) {
		dec_unknown(c, DEC_F_IP_FRAG, "ip.frag: fragment (offset %u, MF %u) not reassembled",
			    (fo & 0x1fffu) * 8u, (fo >> 13) & 1);
		return 0;
	}
	c->alen = 4;
	c->psrc = src;
	c->pdst = dst;
	return dec_upper(c, &ip, proto);
}

enum { P_ICMP = 1, P_IPIP = 4, P_TCP = 6, P_UDP = 17, P_IPV6 = 41, P_ICMP6 = 58,
       P_NONE = 59, P_MH = 135 };

static int dec_encap(struct dctx *c, struct rd *r, int (*inner)(struct dctx *, struct rd *))
{
	uint8_t depth = c->depth;
	int rc;

	if (depth + 1 >= DEC_MAX_DEPTH) {
		dec_unknown(c, c->alen == 4 ? DEC_F_IP_PROTO : DEC_F_IP6_UPPER,
			    "encapsulation deeper than %d levels not decoded", DEC_MAX_DEPTH);
		return 0;
	}
	c->depth = (uint8_t)(depth + 1);
	c->grp = 0;
	rc = inner(c, r);
	c->depth = depth;
	return rc;
}

int dec_upper(struct dctx *c, struct rd *r, uint8_t proto)
{
	switch (proto) {
	case P_ICMP: return dec_icmp(c, r);
	case P_ICMP6: return dec_icmp6(c, r);
	case P_UDP: return dec_udp(c, r);
	case P_TCP: return dec_tcp(c, r);
	case P_MH: return dec_mh(c, r);
	case P_IPIP: return dec_encap(c, r, dec_ip4);
	case P_IPV6: return dec_encap(c, r, dec_ip6);
	case P_NONE: return 0;
	default:
		dec_unknown(c, c->alen == 4 ? DEC_F_IP_PROTO : DEC_F_IP6_UPPER,
			    "protocol %u not decoded", proto);
		return 0;
	}
}
