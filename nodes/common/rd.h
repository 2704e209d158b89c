/* rd.h — the one bounds-checked reader for untrusted bytes.
 *
 * A cursor over [p, end). Every read either succeeds and advances, or fails
 * (returns false, sets the cursor's error flag, leaves *out untouched beyond
 * zeroing it) and never reads past end. Once failed, the cursor stays failed,
 * so a sequence of reads can be checked once at the end:
 *
 *	struct rd r = rd_init(buf, len);
 *	uint8_t type; uint16_t len;
 *	rd_u8(&r, &type); rd_be16(&r, &len);
 *	if (!rd_ok(&r)) return TRUNCATED;
 *
 * rd_sub() carves a sub-cursor of n bytes (an option, an extension) and
 * advances the parent past it; rd_done() is "nothing left over".
 */
#ifndef ROAM_RD_H
#define ROAM_RD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
	const uint8_t *p;	/* next byte to read */
	const uint8_t *end;	/* one past the last readable byte */
	bool err;		/* a read ran past end */
};

static inline struct rd rd_init(const void *buf, size_t len)
{
	struct rd r = { (const uint8_t *)buf, (const uint8_t *)buf + len, false };
	return r;
}
static inline size_t rd_left(const struct rd *r) { return (size_t)(r->end - r->p); }
static inline bool rd_ok(const struct rd *r) { return !r->err; }
static inline bool rd_done(const struct rd *r) { return !r->err && r->p == r->end; }

static inline bool rd_need(struct rd *r, size_t n)
{
	if (r->err || rd_left(r) < n) { r->err = true; return false; }
	return true;
}
static inline bool rd_u8(struct rd *r, uint8_t *v)
{
	if (!rd_need(r, 1)) { *v = 0; return false; }
	*v = r->p[0]; r->p += 1; return true;
}
static inline bool rd_be16(struct rd *r, uint16_t *v)
{
	if (!rd_need(r, 2)) { *v = 0; return false; }
	*v = (uint16_t)(r->p[0] << 8 | r->p[1]); r->p += 2; return true;
}
static inline bool rd_be32(struct rd *r, uint32_t *v)
{
	if (!rd_need(r, 4)) { *v = 0; return false; }
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	     (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4; return true;
}
static inline bool rd_be64(struct rd *r, uint64_t *v)
{
	uint32_t hi, lo;
	if (!rd_need(r, 8)) { *v = 0; return false; }
	rd_be32(r, &hi); rd_be32(r, &lo);
	*v = (uint64_t)hi << 32 | lo; return true;
}
static inline bool rd_bytes(struct rd *r, void *dst, size_t n)
{
	if (!rd_need(r, n)) { if (n) memset(dst, 0, n); return false; }
	memcpy(dst, r->p, n); r->p += n; return true;
}
/* A pointer to the next n bytes without copying them (NULL on failure). */
static inline const uint8_t *rd_ptr(struct rd *r, size_t n)
{
	const uint8_t *q;
	if (!rd_need(r, n)) return NULL;
	q = r->p; r->p += n; return q;
}
static inline bool rd_skip(struct rd *r, size_t n) { return rd_ptr(r, n) != NULL || n == 0; }
/* Carve n bytes into *sub and advance past them. */
static inline bool rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	const uint8_t *q = rd_ptr(r, n);
	if (!q && n) { *sub = rd_init(r->p, 0); sub->err = true; return false; }
	*sub = rd_init(q ? q : r->p, n);
	return true;
}
/* Look at the byte at offset off without consuming it. */
static inline bool rd_peek_u8(const struct rd *r, size_t off, uint8_t *v)
{
	if (r->err || rd_left(r) <= off) { *v = 0; return false; }
	*v = r->p[off]; return true;
}
#endif
