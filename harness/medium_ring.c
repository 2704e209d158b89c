/* medium_ring.c — the SPSC record ring (see medium_ring.h). */
#include <stdlib.h>
#include <string.h>
#include "medium_ring.h"

#define RING_HDR 8u
#define RING_PAD 1u

struct ring_hdr {
	uint32_t len;		/* payload bytes */
	uint32_t flags;		/* RING_PAD: skip to the buffer's start */
};

static size_t ring_align(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

bool mring_init(struct mring *r, size_t cap)
{
	size_t c = 64;
	while (c < cap)
		c *= 2;
	memset(r, 0, sizeof(*r));
	r->buf = aligned_alloc(64, c);
	if (!r->buf)
		return false;
	r->cap = c;
	return true;
}

void mring_free(struct mring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

void *mring_reserve(struct mring *r, size_t len)
{
	size_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	size_t h = atomic_load_explicit(&r->head, memory_order_acquire);
	size_t rec = RING_HDR + ring_align(len), off = t & (r->cap - 1), room = r->cap - off;
	size_t need = room < rec ? room + rec : rec;
	if (rec > r->cap || t + need - h > r->cap)
		return NULL;
	if (room < rec) {		/* pad to the end, start again at 0 */
		struct ring_hdr pad = { (uint32_t)(room - RING_HDR), RING_PAD };
		memcpy(r->buf + off, &pad, sizeof(pad));
		off = 0;
	}
	struct ring_hdr hd = { (uint32_t)len, 0 };
	memcpy(r->buf + off, &hd, sizeof(hd));
	r->resv = t + need;
	return r->buf + off + RING_HDR;
}

void mring_commit(struct mring *r)
{
	atomic_store_explicit(&r->tail, r->resv, memory_order_release);
}

void *mring_front(struct mring *r, size_t *len)
{
	size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	for (;;) {
		size_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (h == t)
			return NULL;
		struct ring_hdr hd;
		memcpy(&hd, r->buf + (h & (r->cap - 1)), sizeof(hd));
		if (hd.flags & RING_PAD) {
			h += RING_HDR + hd.len;
			atomic_store_explicit(&r->head, h, memory_order_release);
			continue;
		}
		*len = hd.len;
		return r->buf + (h & (r->cap - 1)) + RING_HDR;
	}
}

void mring_release(struct mring *r)
{
	size_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	struct ring_hdr hd;
	memcpy(&hd, r->buf + (h & (r->cap - 1)), sizeof(hd));
	atomic_store_explicit(&r->head, h + RING_HDR + ring_align(hd.len), memory_order_release);
}

bool mring_empty(struct mring *r)
{
	return atomic_load_explicit(&r->head, memory_order_acquire) ==
	       atomic_load_explicit(&r->tail, memory_order_acquire);
}
