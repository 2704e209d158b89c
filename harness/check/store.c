/* store.c — the frames some rule selected, copied once into an arena (one
 * copy however many rules selected it) and decoded again, lazily, when a rule
 * reads a field. Frames no rule selected are never kept. */
#include <stdlib.h>
#include <string.h>
#include "check_int.h"

#define CK_CHUNK (1u << 20)

struct ck_chunk {
	struct ck_chunk *next;
	size_t used, size;
	uint8_t data[];
};

static const uint8_t *ck_arena_copy(struct ck_store *s, const uint8_t *p, size_t n)
{
	struct ck_chunk *c = s->chunks;

	if (!c || c->size - c->used < n) {
		size_t size = n > CK_CHUNK ? n : CK_CHUNK;
		c = malloc(sizeof *c + size);
		if (!c)
			abort();
		c->next = s->chunks;
		c->used = 0;
		c->size = size;
		s->chunks = c;
	}
	uint8_t *d = c->data + c->used;
	if (n)
		memcpy(d, p, n);
	c->used += n;
	s->bytes += n;
	return d;
}

uint32_t ck_store_add(struct ck_store *s, const struct ck_frame *f, enum dec_verdict v)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->p = realloc(s->p, s->cap * sizeof *s->p);
		if (!s->p)
			abort();
	}
	struct ck_pkt *p = &s->p[s->n];
	p->data = ck_arena_copy(s, f->data, f->caplen);
	p->caplen = f->caplen;
	p->wirelen = f->wirelen;
	p->frame = f->frame;
	p->ts_ns = f->ts_ns;
	p->link = (int16_t)f->link;
	p->linktype = (int16_t)f->linktype;
	p->verdict = (uint8_t)v;
	return (uint32_t)s->n++;
}

void ck_store_free(struct ck_store *s)
{
	while (s->chunks) {
		struct ck_chunk *c = s->chunks;
		s->chunks = c->next;
		free(c);
	}
	free(s->p);
	memset(s, 0, sizeof *s);
}
