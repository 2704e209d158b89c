/* pkt.c — IPv4 / UDP / ARP headers through rd.h and wr.h. */
#include <string.h>
#include "cksum.h"
#include "pkt.h"
#include "rd.h"
#include "wr.h"

enum mip4_verdict ip4_parse(const uint8_t *buf, size_t len, struct ip4 *ip)
{
	struct rd r = rd_init(buf, len);
	uint8_t vihl;
	uint16_t tot, id, sum;

	memset(ip, 0, sizeof(*ip));
	rd_u8(&r, &vihl);
	rd_u8(&r, &ip->tos);
	rd_be16(&r, &tot);
	rd_be16(&r, &id);
	rd_be16(&r, &ip->frag);
	rd_u8(&r, &ip->ttl);
	rd_u8(&r, &ip->proto);
	rd_be16(&r, &sum);
	rd_bytes(&r, &ip->src.s_addr, 4);
	rd_bytes(&r, &ip->dst.s_addr, 4);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (vihl >> 4 != 4 || (vihl & 15) < 5)
		return MIP4_MALFORMED;
	ip->hlen = (size_t)(vihl & 15) * 4;
	ip->tot = tot;
	if (tot < ip->hlen)
		return MIP4_MALFORMED;
	if (tot > len || !rd_skip(&r, ip->hlen - 20))
		return MIP4_TRUNCATED;
	if (cksum(buf, ip->hlen) != 0)
		return MIP4_MALFORMED;
	ip->payload = buf + ip->hlen;
	ip->plen = tot - ip->hlen;
	return MIP4_OK;
}

enum mip4_verdict udp_parse(const struct ip4 *ip, uint16_t *sport, uint16_t *dport,
			    const uint8_t **data, size_t *dlen)
{
	struct rd r = rd_init(ip->payload, ip->plen);
	uint16_t ulen, sum;

	rd_be16(&r, sport);
	rd_be16(&r, dport);
	rd_be16(&r, &ulen);
	rd_be16(&r, &sum);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (ulen < 8)
		return MIP4_MALFORMED;
	if (ulen > ip->plen)
		return MIP4_TRUNCATED;
	*data = ip->payload + 8;
	*dlen = ulen - 8u;
	return MIP4_OK;
}

static void ip4_wr_hdr(struct wr *w, struct in_addr src, struct in_addr dst,
		       uint8_t proto, uint8_t ttl, uint8_t tos, bool df, size_t plen)
{
	size_t start = w->len;
	wr_u8(w, 0x45);
	wr_u8(w, tos);
	wr_be16(w, (uint16_t)(20 + plen));
	wr_be16(w, 0);			/* the kernel fills a zero IP ID */
	wr_be16(w, df ? IP4_DF : 0);
	wr_u8(w, ttl);
	wr_u8(w, proto);
	wr_be16(w, 0);
	wr_bytes(w, &src.s_addr, 4);
	wr_bytes(w, &dst.s_addr, 4);
	if (wr_ok(w))
		wr_put_be16(w, start + 10, cksum(w->buf + start, 20));
}

size_t ip4_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		 uint8_t proto, uint8_t ttl, uint8_t tos, bool df,
		 const void *payload, size_t plen)
{
	struct wr w = wr_init(buf, cap);
	if (plen > 65515)
		return 0;
	ip4_wr_hdr(&w, src, dst, proto, ttl, tos, df, plen);
	wr_bytes(&w, payload, plen);
	return wr_ok(&w) ? w.len : 0;
}

size_t udp4_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		  uint16_t sport, uint16_t dport, uint8_t ttl, const void *data, size_t dlen)
{
	struct wr w = wr_init(buf, cap);
	uint16_t sum;

	if (dlen > 65507)
		return 0;
	ip4_wr_hdr(&w, src, dst, IPPROTO_UDP, ttl, 0, false, 8 + dlen);
	wr_be16(&w, sport);
	wr_be16(&w, dport);
	wr_be16(&w, (uint16_t)(8 + dlen));
	wr_be16(&w, 0);
	wr_bytes(&w, data, dlen);
	if (!wr_ok(&w))
		return 0;
	sum = cksum_fold(cksum_add(cksum_pseudo4(src, dst, IPPROTO_UDP,
						 (uint16_t)(8 + dlen)),
				   buf + 20, 8 + dlen));
	cksum_put(buf + 26, sum ? sum : 0xffff);
	return w.len;
}

size_t ip4_encap(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		 uint8_t ttl, const uint8_t *inner, size_t ilen)
{
	struct ip4 in;
	if (ip4_parse(inner, ilen, &in) != MIP4_OK)
		return 0;
	return ip4_build(buf, cap, src, dst, IPPROTO_IPIP, ttl, in.tos,
			 (in.frag & IP4_DF) != 0, inner, in.tot);
}

enum mip4_verdict arp_parse(const uint8_t *buf, size_t len, struct arp *a)
{
	struct rd r = rd_init(buf, len);
	uint16_t htype, ptype;
	uint8_t hlen, plen;

	memset(a, 0, sizeof(*a));
	rd_be16(&r, &htype);
	rd_be16(&r, &ptype);
	rd_u8(&r, &hlen);
	rd_u8(&r, &plen);
	rd_be16(&r, &a->op);
	rd_bytes(&r, a->sha, 6);
	rd_bytes(&r, &a->spa.s_addr, 4);
	rd_bytes(&r, a->tha, 6);
	rd_bytes(&r, &a->tpa.s_addr, 4);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4)
		return MIP4_UNKNOWN;
	return MIP4_OK;
}

size_t arp_build(uint8_t *buf, size_t cap, const struct arp *a)
{
	struct wr w = wr_init(buf, cap);
	wr_be16(&w, 1);
	wr_be16(&w, 0x0800);
	wr_u8(&w, 6);
	wr_u8(&w, 4);
	wr_be16(&w, a->op);
	wr_bytes(&w, a->sha, 6);
	wr_bytes(&w, &a->spa.s_addr, 4);
	wr_bytes(&w, a->tha, 6);
	wr_bytes(&w, &a->tpa.s_addr, 4);
	return wr_ok(&w) ? w.len : 0;
}
