/* pkt.h — the IPv4, UDP and ARP headers roam-mip4 builds and reads itself
 * (signalling sent on the link layer, IP-in-IP per RFC 2003). */
#ifndef ROAM_MIP4_PKT_H
#define ROAM_MIP4_PKT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "msg.h"

struct ip4 {
	uint8_t tos, ttl, proto;
	uint16_t frag;			/* flags and offset as on the wire */
	struct in_addr src, dst;
	const uint8_t *payload; size_t plen;
	size_t hlen, tot;		/* header and total length */
};
#define IP4_DF 0x4000

/* Checks version, header length, total length and header checksum. */
enum mip4_verdict ip4_parse(const uint8_t *buf, size_t len, struct ip4 *ip);
/* UDP header of a datagram (checksum not verified). */
enum mip4_verdict udp_parse(const struct ip4 *ip, uint16_t *sport, uint16_t *dport,
			    const uint8_t **data, size_t *dlen);
/* An IPv4 datagram carrying payload (20-byte header). */
size_t ip4_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		 uint8_t proto, uint8_t ttl, uint8_t tos, bool df,
		 const void *payload, size_t plen);
/* IPv4 + UDP with the checksum. */
size_t udp4_build(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		  uint16_t sport, uint16_t dport, uint8_t ttl, const void *data, size_t dlen);
/* IP-in-IP (RFC 2003 §3.1): outer TOS copied from the inner header, DF
 * copied, protocol 4, TTL ttl. */
size_t ip4_encap(uint8_t *buf, size_t cap, struct in_addr src, struct in_addr dst,
		 uint8_t ttl, const uint8_t *inner, size_t ilen);

struct arp {
	uint16_t op;			/* 1 request, 2 reply */
	uint8_t sha[6], tha[6];
	struct in_addr spa, tpa;
};
enum mip4_verdict arp_parse(const uint8_t *buf, size_t len, struct arp *a);
size_t arp_build(uint8_t *buf, size_t cap, const struct arp *a);
#endif
