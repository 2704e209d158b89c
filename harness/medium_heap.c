/* medium_heap.c — binary min-heap of timed events. */
#include <stdlib.h>
#include "medium_heap.h"

static bool mheap_less(const struct mheap_ev *a, const struct mheap_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

bool mheap_push(struct mheap *h, int64_t t, int kind, int arg, void *p)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 256;
		struct mheap_ev *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return false;
		h->v = v;
		h->cap = cap;
	}
	struct mheap_ev ev = { .t = t, .seq = h->seq++, .kind = kind, .arg = arg, .p = p };
	size_t i = h->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!mheap_less(&ev, &h->v[parent]))
			break;
		h->v[i] = h->v[parent];
		i = parent;
	}
	h->v[i] = ev;
	return true;
}

const struct mheap_ev *mheap_top(const struct mheap *h)
{
	return h->n ? &h->v[0] : NULL;
}

bool mheap_pop(struct mheap *h, struct mheap_ev *out)
{
	if (!h->n)
		return false;
	*out = h->v[0];
	struct mheap_ev last = h->v[--h->n];
	size_t i = 0, n = h->n;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && mheap_less(&h->v[c + 1], &h->v[c]))
			c++;
		if (!mheap_less(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (n)
		h->v[i] = last;
	return true;
}

void mheap_free(struct mheap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}
