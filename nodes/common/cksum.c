/* cksum.c — Internet checksum. Values are handled as host integers of the
 * big-endian 16-bit words. */
#include "cksum.h"

uint32_t cksum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t cksum(const void *buf, size_t len)
{
	return cksum_fold(cksum_add(0, buf, len));
}

uint32_t cksum_pseudo4(struct in_addr src, struct in_addr dst, uint8_t proto,
		       uint16_t len)
{
	uint8_t tail[4] = { 0, proto, (uint8_t)(len >> 8), (uint8_t)len };
	uint32_t s = cksum_add(0, &src, 4);
	s = cksum_add(s, &dst, 4);
	return cksum_add(s, tail, 4);
}

uint32_t cksum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
		       uint8_t nh, uint32_t len)
{
	uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16),
			    (uint8_t)(len >> 8), (uint8_t)len, 0, 0, 0, nh };
	uint32_t s = cksum_add(0, src, 16);
	s = cksum_add(s, dst, 16);
	return cksum_add(s, tail, 8);
}

void cksum_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
