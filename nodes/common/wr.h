/* wr.h — the bounds-checked writer, rd.h's twin for building messages:
 * a failed write sets err and writes nothing more. */
#ifndef ROAM_WR_H
#define ROAM_WR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wr {
	uint8_t *buf;
	size_t len;	/* bytes written */
	size_t cap;
	bool err;
};

static inline struct wr wr_init(void *buf, size_t cap)
{
	struct wr w = { (uint8_t *)buf, 0, cap, false };
	return w;
}
static inline bool wr_ok(const struct wr *w) { return !w->err; }
static inline uint8_t *wr_reserve(struct wr *w, size_t n)
{
	uint8_t *p;
	if (w->err || w->cap - w->len < n) { w->err = true; return NULL; }
	p = w->buf + w->len; w->len += n; return p;
}
static inline void wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *p = wr_reserve(w, 1);
	if (p) p[0] = v;
}
static inline void wr_be16(struct wr *w, uint16_t v)
{
	uint8_t *p = wr_reserve(w, 2);
	if (p) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
}
static inline void wr_be32(struct wr *w, uint32_t v)
{
	uint8_t *p = wr_reserve(w, 4);
	if (p) { p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16);
		 p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v; }
}
static inline void wr_be64(struct wr *w, uint64_t v)
{
	wr_be32(w, (uint32_t)(v >> 32));
	wr_be32(w, (uint32_t)v);
}
static inline void wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_reserve(w, n);
	if (p && n) memcpy(p, src, n);
}
/* Stores a big-endian 16-bit value at offset off (already written). */
static inline void wr_put_be16(struct wr *w, size_t off, uint16_t v)
{
	if (w->err || off + 2 > w->len) { w->err = true; return; }
	w->buf[off] = (uint8_t)(v >> 8); w->buf[off + 1] = (uint8_t)v;
}
#endif
