/* cksum.h — the Internet checksum (RFC 1071) and the IPv4 / IPv6
 * pseudo-headers for UDP, TCP and ICMPv6. */
#ifndef ROAM_CKSUM_H
#define ROAM_CKSUM_H
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Adds len bytes to a running 32-bit sum (an odd length is zero-padded). */
uint32_t cksum_add(uint32_t sum, const void *buf, size_t len);
/* Folds and complements: the value to put in the header (network order
 * when stored with memcpy of the big-endian bytes, see cksum_put). */
uint16_t cksum_fold(uint32_t sum);
uint16_t cksum(const void *buf, size_t len);
uint32_t cksum_pseudo4(struct in_addr src, struct in_addr dst, uint8_t proto,
		       uint16_t len);
uint32_t cksum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
		       uint8_t nh, uint32_t len);
/* Stores a checksum value big-endian at p. */
void cksum_put(uint8_t *p, uint16_t v);
#endif
