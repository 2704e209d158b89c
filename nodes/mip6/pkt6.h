/* pkt6.h — IPv6 packets as roam-mip6 handles them: the header chain with
 * the Home Address option (RFC 6275 §6.3, option 201 in a Destination
 * Options header) and the type 2 routing header (§6.4), IPv6-in-IPv6
 * encapsulation (RFC 2473), and the neighbour discovery messages the mobile
 * node reads (router advertisements with the Advertisement Interval
 * option, RFC 6275 §7.3) and the home agent sends (neighbour
 * advertisements for proxied home addresses, §10.4.1). */
#ifndef ROAM_MIP6_PKT6_H
#define ROAM_MIP6_PKT6_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define IP6_HLEN	40
#define IP6_OPT_HAO	201	/* Home Address option type (§6.3) */
#define IP6_RH_TYPE2	2

enum ip6_verdict { IP6_OK, IP6_TRUNCATED, IP6_MALFORMED };

/* A parsed header chain. Offsets are from the start of the packet. */
struct ip6 {
	struct in6_addr src, dst;
	uint8_t hlim;
	uint8_t nh;			/* the upper layer (or 41, 135, 59) */
	size_t off;			/* where that upper layer starts */
	size_t len;			/* the packet's length from its header */
	bool has_hao; struct in6_addr hao;
	size_t dst_off, dst_len;	/* the Destination Options header with HAO */
	bool has_rh2; struct in6_addr rh2; uint8_t rh2_left;
	size_t rh_off, rh_len;		/* the type 2 routing header */
	bool other_rh;			/* a routing header of another type */
};

/* Parses a packet (hop-by-hop, routing, destination options headers are
 * walked; anything else ends the chain). */
enum ip6_verdict ip6_parse(const uint8_t *pkt, size_t len, struct ip6 *p);

/* Builds IPv6 | [RH2 hoa_rh2] | [DstOpt HAO hao] | payload (nh). Returns the
 * length or 0 if it does not fit. */
size_t ip6_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		 const struct in6_addr *dst, uint8_t hlim, const struct in6_addr *rh2,
		 const struct in6_addr *hao, uint8_t nh, const uint8_t *payload,
		 size_t plen);
/* IPv6-in-IPv6 (next header 41). */
size_t ip6_encap(uint8_t *out, size_t cap, const struct in6_addr *src,
		 const struct in6_addr *dst, uint8_t hlim, const uint8_t *inner,
		 size_t ilen);
/* Route optimisation rewrites (§9.3.1, §11.3.1): the packet as the kernel
 * sent it (no extension headers) becomes src coa + HAO home (mobile node)
 * or dst coa + RH2 home (correspondent). 0 if it does not fit or has
 * extension headers. */
size_t ip6_add_hao(uint8_t *out, size_t cap, const uint8_t *in, size_t len,
		   const struct in6_addr *coa);
size_t ip6_add_rh2(uint8_t *out, size_t cap, const uint8_t *in, size_t len,
		   const struct in6_addr *coa);
/* The receiving side: the HAO swapped into the source and its header
 * removed (§9.3.1), or the RH2 address made the destination and the header
 * removed (§11.3.3). */
size_t ip6_strip_hao(uint8_t *out, size_t cap, const uint8_t *in, const struct ip6 *p);
size_t ip6_strip_rh2(uint8_t *out, size_t cap, const uint8_t *in, const struct ip6 *p);

/* Router advertisement (RFC 4861 §4.2) as the mobile node needs it. */
struct ip6_ra {
	uint16_t router_lifetime;
	uint8_t flags;			/* M O H ... */
	bool has_slla; uint8_t slla[6];
	bool has_prefix; struct in6_addr prefix; uint8_t plen;
	uint8_t pflags;			/* L A R */
	uint32_t valid, preferred;
	bool has_interval; uint32_t interval_ms;	/* §7.3 */
	bool has_hainfo; uint16_t ha_pref, ha_lifetime;	/* §7.4 */
};
#define RA_F_HA	0x20		/* H: the router is a home agent (§7.1) */
#define PI_F_R	0x20		/* R: the prefix carries the router's address (§7.2) */

/* Parses an ICMPv6 router advertisement body (from the ICMPv6 type on). */
enum ip6_verdict ip6_ra_parse(const uint8_t *icmp, size_t len, struct ip6_ra *ra);
/* An unsolicited neighbour advertisement (override, for a proxied address,
 * from src to all nodes, target tgt with link-layer address mac). */
size_t ip6_na_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		    const struct in6_addr *tgt, const uint8_t mac[6], bool router);
/* A router solicitation from src (may be ::) with our mac. */
size_t ip6_rs_build(uint8_t *out, size_t cap, const struct in6_addr *src,
		    const uint8_t mac[6]);
/* The ICMPv6 checksum over a whole packet's upper layer at p->off. */
void ip6_icmp_cksum(uint8_t *pkt, const struct ip6 *p);

/* Unicast of global scope (RFC 4291 §2.4; unique local addresses are
 * global in scope, RFC 4193 §3.3): not unspecified, loopback, link-local
 * fe80::/10 (§2.5.6: never forwarded), site-local fec0::/10, multicast or
 * IPv4-mapped. The only correspondents, and the only addresses a home
 * agent forwards to or from. */
bool ip6_is_global(const struct in6_addr *a);

/* An ICMPv6 Parameter Problem (RFC 4443 §3.4), from the ICMPv6 type on:
 * the code, the pointer, the invoking packet's addresses, and whether the
 * pointer designates a Next Header field of value 135 (code 1: the sender
 * does not know the Mobility Header, RFC 6275 §11.3.5). */
struct ip6_pp {
	uint8_t code;
	uint32_t pointer;
	struct in6_addr src, dst;	/* of the invoking packet */
	bool mh_unknown;		/* code 1 pointing at next header 135 */
};
enum ip6_verdict ip6_pp_parse(const uint8_t *icmp, size_t len, struct ip6_pp *pp);

/* prefix/plen | EUI-64 interface identifier of mac (RFC 4291 App. A). */
void ip6_slaac(struct in6_addr *out, const struct in6_addr *prefix, const uint8_t mac[6]);
bool ip6_same_prefix(const struct in6_addr *a, const struct in6_addr *b, int plen);
const char *ip6_ntoa(const struct in6_addr *a);	/* rotating buffers */
#endif
