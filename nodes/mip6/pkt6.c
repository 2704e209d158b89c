/* pkt6.c — IPv6 header chains with HAO and RH2, encapsulation, ND. */
#include <arpa/inet.h>
#include <string.h>
#include "cksum.h"
#include "pkt6.h"
#include "rd.h"
#include "wr.h"

const char *ip6_ntoa(const struct in6_addr *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET6, a, buf[i], sizeof(buf[i]));
}

/* Options of a destination options header (after its 2 octets). */
static enum ip6_verdict ip6_dstopts(struct rd *o, size_t base, const uint8_t *pkt,
				    struct ip6 *p)
{
	while (rd_left(o)) {
		uint8_t t, l;
		struct rd v;
		rd_u8(o, &t);
		if (t == 0)	/* Pad1 */
			continue;
		if (!rd_u8(o, &l) || !rd_sub(o, l, &v))
			return IP6_MALFORMED;
		if (t == IP6_OPT_HAO) {
			if (l != 16)
				return IP6_MALFORMED;
			rd_bytes(&v, &p->hao, 16);
			p->has_hao = true;
		}
	}
	return IP6_OK;
}

enum ip6_verdict ip6_parse(const uint8_t *pkt, size_t len, struct ip6 *p)
{
	struct rd r = rd_init(pkt, len);
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh;

	memset(p, 0, sizeof(*p));
	rd_be32(&r, &vtf);
	rd_be16(&r, &plen);
	rd_u8(&r, &nh);
	rd_u8(&r, &p->hlim);
	rd_bytes(&r, &p->src, 16);
	rd_bytes(&r, &p->dst, 16);
	if (!rd_ok(&r))
		return IP6_TRUNCATED;
	if (vtf >> 28 != 6)
		return IP6_MALFORMED;
	if ((size_t)plen + IP6_HLEN > len)
		return IP6_TRUNCATED;
	p->len = (size_t)plen + IP6_HLEN;
	r = rd_init(pkt + IP6_HLEN, plen);
	while (nh == 0 || nh == 43 || nh == 60) {
		size_t off = (size_t)(r.p - pkt);
		uint8_t next, hl;
		struct rd h;
		rd_u8(&r, &next);
		rd_u8(&r, &hl);
		if (!rd_ok(&r) || !rd_sub(&r, (size_t)hl * 8 + 6, &h))
			return IP6_TRUNCATED;
		if (nh == 43) {
			uint8_t type, left;
			rd_u8(&h, &type);
			rd_u8(&h, &left);
			if (type == IP6_RH_TYPE2) {
				/* §6.4: length 2, one address */
				if (hl != 2)
					return IP6_MALFORMED;
				rd_skip(&h, 4);
				rd_bytes(&h, &p->rh2, 16);
				p->has_rh2 = true;
				p->rh2_left = left;
				p->rh_off = off;
				p->rh_len = 24;
			} else {
				p->other_rh = true;
			}
		} else if (nh == 60) {
			bool had = p->has_hao;
			if (ip6_dstopts(&h, off + 2, pkt, p) != IP6_OK)
				return IP6_MALFORMED;
			if (!had && p->has_hao) {
				p->dst_off = off;
				p->dst_len = (size_t)hl * 8 + 8;
			}
		}
		nh = next;
	}
	p->nh = nh;
	p->off = (size_t)(r.p - pkt);
	return IP6_OK;
}

static void ip6_hdr(struct wr *w, const struct in6_addr *src, const struct in6_addr *dst,
		    uint8_t hlim, uint8_t nh, size_t plen)
{
	wr_be32(w, 0x60000000u);
	wr_be16(w, (uint16_t)plen);
	wr_u8(w, nh);
	wr_u8(w, hlim);
	wr_bytes(w, src, 16);
	wr_bytes(w, dst, 16);
}

/* RH2 (§6.4): 24 octets. */
static void ip6_wr_rh2(struct wr *w, uint8_t nh, const struct in6_addr *home)
{
	wr_u8(w, nh);
	wr_u8(w, 2);
	wr_u8(w, IP6_RH_TYPE2);
	wr_u8(w, 1);		/* segments left */
	wr_be32(w, 0);
	wr_bytes(w, home, 16);
}

/* Destination Options with the HAO at 8n+6 (§6.3): PadN(2) first. */
static void ip6_wr_hao(struct wr *w, uint8_t nh, const struct in6_addr *home)
{
	wr_u8(w, nh);
	wr_u8(w, 2);
	wr_u8(w, 1);		/* PadN */
	wr_u8(w, 2);
	wr_be16(w, 0);
	wr_u8(w, IP6_OPT_HAO);
	wr_u8(w, 16);
	wr_bytes(w, home, 16);
}

size_t ip6_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		 const struct in6_addr *dst, uint8_t hlim, const struct in6_addr *rh2,
		 const struct in6_addr *hao, uint8_t nh, const uint8_t *payload,
		 size_t plen)
{
	struct wr w = wr_init(out, cap);
	size_t ext = (rh2 ? 24 : 0) + (hao ? 24 : 0);
	uint8_t first = rh2 ? 43 : hao ? 60 : nh;

	if (plen + ext > 0xffff)
		return 0;
	ip6_hdr(&w, src, dst, hlim, first, plen + ext);
	if (rh2)
		ip6_wr_rh2(&w, hao ? 60 : nh, rh2);
	if (hao)
		ip6_wr_hao(&w, nh, hao);
	wr_bytes(&w, payload, plen);
	return wr_ok(&w) ? w.len : 0;
}

size_t ip6_encap(uint8_t *out, size_t cap, const struct in6_addr *src,
		 const struct in6_addr *dst, uint8_t hlim, const uint8_t *inner,
		 size_t ilen)
{
	return ip6_build(out, cap, src, dst, hlim, NULL, NULL, 41, inner, ilen);
}

static bool ip6_plain(const uint8_t *in, size_t len, struct ip6 *p)
{
	return ip6_parse(in, len, p) == IP6_OK && p->off == IP6_HLEN;
}

size_t ip6_add_hao(uint8_t *out, size_t cap, const uint8_t *in, size_t len,
		   const struct in6_addr *coa)
{
	struct ip6 p;
	if (!ip6_plain(in, len, &p))
		return 0;
	return ip6_build(out, cap, coa, &p.dst, p.hlim, NULL, &p.src, p.nh,
			 in + IP6_HLEN, p.len - IP6_HLEN);
}

size_t ip6_add_rh2(uint8_t *out, size_t cap, const uint8_t *in, size_t len,
		   const struct in6_addr *coa)
{
	struct ip6 p;
	if (!ip6_plain(in, len, &p))
		return 0;
	return ip6_build(out, cap, &p.src, coa, p.hlim, &p.dst, NULL, p.nh,
			 in + IP6_HLEN, p.len - IP6_HLEN);
}

/* Copies the packet without the extension header at [off, off+hlen),
 * fixing the previous next-header field and the payload length. */
static size_t ip6_cut(uint8_t *out, size_t cap, const uint8_t *in, size_t len,
		      size_t off, size_t hlen)
{
	size_t prev = IP6_HLEN, nhpos = 6;

	if (len > cap || off + hlen > len || off < IP6_HLEN)
		return 0;
	/* find the header whose next-header field names the one cut */
	while (prev < off) {
		nhpos = prev;
		prev += (size_t)in[prev + 1] * 8 + 8;
	}
	if (prev != off)
		return 0;
	memcpy(out, in, off);
	memcpy(out + off, in + off + hlen, len - off - hlen);
	out[nhpos] = in[off];
	out[4] = (uint8_t)((len - hlen - IP6_HLEN) >> 8);
	out[5] = (uint8_t)(len - hlen - IP6_HLEN);
	return len - hlen;
}

size_t ip6_strip_hao(uint8_t *out, size_t cap, const uint8_t *in, const struct ip6 *p)
{
	size_t n;
	if (!p->has_hao || !(n = ip6_cut(out, cap, in, p->len, p->dst_off, p->dst_len)))
		return 0;
	memcpy(out + 8, &p->hao, 16);
	return n;
}

size_t ip6_strip_rh2(uint8_t *out, size_t cap, const uint8_t *in, const struct ip6 *p)
{
	size_t n;
	if (!p->has_rh2 || !(n = ip6_cut(out, cap, in, p->len, p->rh_off, p->rh_len)))
		return 0;
	memcpy(out + 24, &p->rh2, 16);
	return n;
}

enum ip6_verdict ip6_ra_parse(const uint8_t *icmp, size_t len, struct ip6_ra *ra)
{
	struct rd r = rd_init(icmp, len);
	uint8_t type, code, hl;
	uint16_t ck;
	uint32_t reach, retrans;

	memset(ra, 0, sizeof(*ra));
	rd_u8(&r, &type);
	rd_u8(&r, &code);
	rd_be16(&r, &ck);
	rd_u8(&r, &hl);
	rd_u8(&r, &ra->flags);
	rd_be16(&r, &ra->router_lifetime);
	rd_be32(&r, &reach);
	rd_be32(&r, &retrans);
	if (!rd_ok(&r))
		return IP6_TRUNCATED;
	if (type != 134 || code != 0)
		return IP6_MALFORMED;
	while (rd_left(&r)) {
		uint8_t t, l;
		struct rd o;
		rd_u8(&r, &t);
		rd_u8(&r, &l);
		if (!rd_ok(&r))
			return IP6_TRUNCATED;
		if (l == 0)
			return IP6_MALFORMED;	/* RFC 4861 §4.6 */
		if (!rd_sub(&r, (size_t)l * 8 - 2, &o))
			return IP6_TRUNCATED;
		if (t == 1 && l == 1) {
			ra->has_slla = rd_bytes(&o, ra->slla, 6);
		} else if (t == 3 && l == 4 && !ra->has_prefix) {
			uint32_t rsv;
			rd_u8(&o, &ra->plen);
			rd_u8(&o, &ra->pflags);
			rd_be32(&o, &ra->valid);
			rd_be32(&o, &ra->preferred);
			rd_be32(&o, &rsv);
			ra->has_prefix = rd_bytes(&o, &ra->prefix, 16);
		} else if (t == 7 && l == 1) {
			rd_skip(&o, 2);
			ra->has_interval = rd_be32(&o, &ra->interval_ms);
		} else if (t == 8 && l == 1) {
			rd_skip(&o, 2);
			rd_be16(&o, &ra->ha_pref);
			ra->has_hainfo = rd_be16(&o, &ra->ha_lifetime);
		}
	}
	return IP6_OK;
}

void ip6_icmp_cksum(uint8_t *pkt, const struct ip6 *p)
{
	size_t n = p->len - p->off;
	uint32_t s;
	pkt[p->off + 2] = pkt[p->off + 3] = 0;
	s = cksum_pseudo6(&p->src, &p->dst, 58, (uint32_t)n);
	cksum_put(pkt + p->off + 2, cksum_fold(cksum_add(s, pkt + p->off, n)));
}

static size_t ip6_icmp_pkt(uint8_t *out, size_t cap, const struct in6_addr *src,
			   const struct in6_addr *dst, const uint8_t *icmp, size_t n)
{
	struct ip6 p;
	size_t len = ip6_build(out, cap, src, dst, 255, NULL, NULL, 58, icmp, n);
	if (!len || ip6_parse(out, len, &p) != IP6_OK)
		return 0;
	ip6_icmp_cksum(out, &p);
	return len;
}

size_t ip6_na_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		    const struct in6_addr *tgt, const uint8_t mac[6], bool router)
{
	uint8_t icmp[32];
	struct wr w = wr_init(icmp, sizeof(icmp));
	struct in6_addr all;

	inet_pton(AF_INET6, "ff02::1", &all);
	wr_u8(&w, 136);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_be32(&w, (router ? 0x80000000u : 0) | 0x20000000u);	/* R, O (override) */
	wr_bytes(&w, tgt, 16);
	wr_u8(&w, 2);		/* target link-layer address */
	wr_u8(&w, 1);
	wr_bytes(&w, mac, 6);
	return wr_ok(&w) ? ip6_icmp_pkt(out, cap, src, &all, icmp, w.len) : 0;
}

size_t ip6_rs_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		    const uint8_t mac[6])
{
	uint8_t icmp[16];
	struct wr w = wr_init(icmp, sizeof(icmp));
	struct in6_addr all;

	inet_pton(AF_INET6, "ff02::2", &all);
	wr_u8(&w, 133);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_be32(&w, 0);
	if (!IN6_IS_ADDR_UNSPECIFIED(src)) {	/* RFC 4861 §4.1: no SLLA from :: */
		wr_u8(&w, 1);
		wr_u8(&w, 1);
		wr_bytes(&w, mac, 6);
	}
	return wr_ok(&w) ? ip6_icmp_pkt(out, cap, src, &all, icmp, w.len) : 0;
}

void ip6_slaac(struct in6_addr *out, const struct in6_addr *prefix, const uint8_t mac[6])
{
	memcpy(out->s6_addr, prefix->s6_addr, 8);
	out->s6_addr[8] = mac[0] ^ 0x02;
	out->s6_addr[9] = mac[1];
	out->s6_addr[10] = mac[2];
	out->s6_addr[11] = 0xff;
	out->s6_addr[12] = 0xfe;
	out->s6_addr[13] = mac[3];
	out->s6_addr[14] = mac[4];
	out->s6_addr[15] = mac[5];
}

bool ip6_same_prefix(const struct in6_addr *a, const struct in6_addr *b, int plen)
{
	int i;
	for (i = 0; i + 8 <= plen; i += 8)
		if (a->s6_addr[i / 8] != b->s6_addr[i / 8])
			return false;
	if (i < plen) {
		uint8_t m = (uint8_t)(0xff << (8 - (plen - i)));
		return (a->s6_addr[i / 8] & m) == (b->s6_addr[i / 8] & m);
	}
	return true;
}

bool ip6_is_global(const struct in6_addr *a)
{
	const uint8_t *b = a->s6_addr;

	if (IN6_IS_ADDR_UNSPECIFIED(a) || IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_V4MAPPED(a))
		return false;
	if (b[0] == 0xff)				/* multicast */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)	/* link-local */
		return false;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)	/* site-local */
		return false;
	return true;
}

enum ip6_verdict ip6_pp_parse(const uint8_t *icmp, size_t len, struct ip6_pp *pp)
{
	struct rd r = rd_init(icmp, len), inv;
	uint8_t type, at;
	uint16_t ck;

	memset(pp, 0, sizeof(*pp));
	rd_u8(&r, &type);
	rd_u8(&r, &pp->code);
	rd_be16(&r, &ck);
	rd_be32(&r, &pp->pointer);
	if (!rd_ok(&r))
		return IP6_TRUNCATED;
	if (type != 4)
		return IP6_MALFORMED;
	/* the invoking packet, as much as fitted (RFC 4443 §2.4 (c)) */
	inv = r;
	if (!rd_skip(&r, 8) || !rd_bytes(&r, &pp->src, 16) || !rd_bytes(&r, &pp->dst, 16))
		return IP6_TRUNCATED;
	pp->mh_unknown = pp->code == 1 && pp->pointer < rd_left(&inv) &&
			 rd_peek_u8(&inv, pp->pointer, &at) && at == 135;
	return IP6_OK;
}
