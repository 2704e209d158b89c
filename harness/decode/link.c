/* link.c — Ethernet II, 802.1Q/802.1ad tags, Linux cooked capture, ARP
 * (RFC 826), and the dispatch on the ethertype. */
#include "dec_int.h"

enum { ET_IP4 = 0x0800, ET_ARP = 0x0806, ET_VLAN = 0x8100, ET_QINQ = 0x88a8,
       ET_IP6 = 0x86dd };
#define DEC_MAX_TAGS 4

static int dec_ethertype(struct dctx *c, struct rd *r, uint16_t type)
{
	switch (type) {
	case ET_IP4: return dec_ip4(c, r);
	case ET_IP6: return dec_ip6(c, r);
	case ET_ARP: return dec_arp(c, r);
	default:
		dec_unknown(c, DEC_F_ETH_TYPE, "eth.type 0x%04x not decoded", type);
		return 0;
	}
}

int dec_eth(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p, *dst, *src, *tp;
	uint16_t type, tci;

	dst = rd_ptr(r, 6);
	src = rd_ptr(r, 6);
	tp = r->p;
	if (!rd_be16(r, &type))
		return dec_short(c, DEC_F_ETH, "the 14-byte Ethernet header");
	dec_put_p(c, DEC_F_ETH, start, (size_t)(r->end - start));
	dec_put_p(c, DEC_F_ETH_DST, dst, 6);
	dec_put_p(c, DEC_F_ETH_SRC, src, 6);
	for (int i = 0; (type == ET_VLAN || type == ET_QINQ) && i < DEC_MAX_TAGS; i++) {
		const uint8_t *vp = r->p;
		if (!rd_be16(r, &tci) || !rd_be16(r, &type))
			return dec_short(c, DEC_F_VLAN, "the 802.1Q tag");
		dec_put_p(c, DEC_F_VLAN, vp, 4);
		dec_put_u(c, DEC_F_VLAN_PCP, tci >> 13, vp, 2);
		dec_put_u(c, DEC_F_VLAN_DEI, (tci >> 12) & 1, vp, 2);
		dec_put_u(c, DEC_F_VLAN_ID, tci & 0x0fff, vp, 2);
		tp = vp + 2;
	}
	dec_put_u(c, DEC_F_ETH_TYPE, type, tp, 2);
	return dec_ethertype(c, r, type);
}

/* Linux cooked capture v1: packet type, ARPHRD, address length, 8 address
 * bytes, protocol. */
int dec_sll(struct dctx *c, struct rd *r)
{
	uint16_t ptype, hatype, alen, proto;
	const uint8_t *addr, *tp;

	rd_be16(r, &ptype);
	rd_be16(r, &hatype);
	rd_be16(r, &alen);
	addr = rd_ptr(r, 8);
	tp = r->p;
	if (!rd_be16(r, &proto))
		return dec_short(c, DEC_F_ETH, "the 16-byte cooked header");
	if (alen == 6)
		dec_put_p(c, DEC_F_ETH_SRC, addr, 6);
	dec_put_u(c, DEC_F_ETH_TYPE, proto, tp, 2);
	return dec_ethertype(c, r, proto);
}

int dec_arp(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p, *p;
	uint16_t htype, ptype, op;
	uint8_t hlen, plen;

	rd_be16(r, &htype);
	rd_be16(r, &ptype);
	rd_u8(r, &hlen);
	rd_u8(r, &plen);
	p = r->p;
	if (!rd_be16(r, &op))
		return dec_short(c, DEC_F_ARP, "the ARP header");
	dec_put_u(c, DEC_F_ARP_HTYPE, htype, start, 2);
	dec_put_u(c, DEC_F_ARP_PTYPE, ptype, start + 2, 2);
	dec_put_u(c, DEC_F_ARP_OP, op, p, 2);
	if (hlen != 6 || plen != 4) {
		dec_unknown(c, DEC_F_ARP_HTYPE, "arp: address lengths %u/%u not decoded", hlen, plen);
		return 0;
	}
	const uint8_t *sha = rd_ptr(r, 6), *spa = rd_ptr(r, 4);
	const uint8_t *tha = rd_ptr(r, 6), *tpa = rd_ptr(r, 4);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_ARP, "the ARP addresses");
	dec_put_p(c, DEC_F_ARP, start, (size_t)(r->p - start));
	dec_put_p(c, DEC_F_ARP_SHA, sha, 6);
	dec_put_p(c, DEC_F_ARP_SPA, spa, 4);
	dec_put_p(c, DEC_F_ARP_THA, tha, 6);
	dec_put_p(c, DEC_F_ARP_TPA, tpa, 4);
	c->cut = false;	/* what follows is Ethernet padding */
	return 0;
}

int dec_ip_any(struct dctx *c, struct rd *r)
{
	uint8_t v;

	if (!rd_peek_u8(r, 0, &v))
		return dec_short(c, DEC_F_IP, "the IP version");
	if (v >> 4 == 4)
		return dec_ip4(c, r);
	if (v >> 4 == 6)
		return dec_ip6(c, r);
	dec_unknown(c, DEC_F_IP, "IP version %u not decoded", v >> 4);
	return 0;
}
