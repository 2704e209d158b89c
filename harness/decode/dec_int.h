/* dec_int.h — shared by the decoders inside harness/decode (not public). */
#ifndef ROAM_DEC_INT_H
#define ROAM_DEC_INT_H
#include "decode.h"
#include "rd.h"

/* The decoding context of one frame. */
struct dctx {
	struct dec_record *r;
	const uint8_t *base;	/* frame start: offsets are relative to it */
	uint8_t depth;		/* encapsulation level of the packet being decoded */
	bool cut;		/* the current region is shorter than its length field said */
	bool stop;		/* a truncated/malformed verdict was given */
	uint16_t bound;		/* the length field that bounds the current region */
	uint16_t grp;		/* current option ordinal (0 outside options) */
	/* pseudo-header of the innermost IP packet (for upper-layer checksums) */
	uint8_t alen;		/* 4 or 16; 0 when there is no IP header */
	const uint8_t *psrc, *pdst;
};

/* Record a field. The value's bytes are [at, at+n) inside the frame. */
void dec_put_u(struct dctx *c, unsigned id, uint64_t v, const uint8_t *at, size_t n);
void dec_put_p(struct dctx *c, unsigned id, const uint8_t *p, size_t n);
void dec_put_s(struct dctx *c, unsigned id, const char *s);
/* Read a big-endian integer of n bytes (1, 2, 4 or 8) or n raw bytes and
 * record it as field id, only when all n bytes are there: a field cut by
 * the capture is not recorded (the verdict says truncated), a whole one is
 * kept. False when the bytes were not there. */
bool dec_rd_u(struct dctx *c, struct rd *r, unsigned id, size_t n, uint64_t *out);
bool dec_rd_p(struct dctx *c, struct rd *r, unsigned id, size_t n);

/* Verdicts. Each returns -1 so decoders can `return dec_bad(...)`. */
int dec_trunc(struct dctx *c, unsigned layer);
int dec_bad(struct dctx *c, unsigned field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Unknown does not stop decoding; it only downgrades an ok verdict. */
void dec_unknown(struct dctx *c, unsigned field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Ran out of bytes (needing `what`) inside the current region: truncated
 * (layer) if the capture cut the region, else malformed, naming the length
 * field that bounds the region (c->bound). */
int dec_short(struct dctx *c, unsigned layer, const char *what);

/* Carve the region of `declared` bytes that the length field `bound`
 * announces into *out. When fewer bytes are there: if the enclosing region
 * was cut by the capture, the region is what is there and c->cut is set;
 * otherwise the length field is wrong: malformed, returns false. */
bool dec_region(struct dctx *c, struct rd *r, size_t declared, unsigned bound, struct rd *out);

/* Internet checksum helpers over a bounds-checked cursor. */
uint32_t dec_sum(struct rd r, uint32_t sum);
uint16_t dec_sum_fold(uint32_t sum);
/* Pseudo-header sum of the current IP packet for protocol proto, length len. */
uint32_t dec_pseudo_sum(const struct dctx *c, uint8_t proto, uint32_t len);

/* The decoders. Each returns 0 to go on, -1 when decoding stopped. */
int dec_eth(struct dctx *c, struct rd *r);
int dec_sll(struct dctx *c, struct rd *r);
int dec_arp(struct dctx *c, struct rd *r);
int dec_ip_any(struct dctx *c, struct rd *r);	/* by version nibble */
int dec_ip4(struct dctx *c, struct rd *r);
int dec_ip6(struct dctx *c, struct rd *r);
int dec_ip6_chain(struct dctx *c, struct rd *r, uint8_t nxt);
int dec_upper(struct dctx *c, struct rd *r, uint8_t proto);	/* after an IP header */
int dec_icmp(struct dctx *c, struct rd *r);
int dec_icmp6(struct dctx *c, struct rd *r);
int dec_nd_opts(struct dctx *c, struct rd *r);
int dec_udp(struct dctx *c, struct rd *r);
int dec_tcp(struct dctx *c, struct rd *r);
int dec_mip4(struct dctx *c, struct rd *r);
int dec_mh(struct dctx *c, struct rd *r);
int dec_mh_opts(struct dctx *c, struct rd *r);
int dec_traffic(struct dctx *c, struct rd *r);

static inline uint32_t dec_off(const struct dctx *c, const uint8_t *p)
{
	return (uint32_t)(p - c->base);
}
#endif
