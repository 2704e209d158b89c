/* medium_heap.h — the medium's one scheduler: a binary min-heap of events
 * ordered by time, ties broken by insertion order (so a replay is exact). */
#ifndef ROAM_MEDIUM_HEAP_H
#define ROAM_MEDIUM_HEAP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mheap_ev {
	int64_t t;		/* ns, CLOCK_MONOTONIC */
	uint64_t seq;		/* insertion order */
	int kind;		/* what the owner wants done */
	int arg;		/* e.g. the destination port */
	void *p;		/* e.g. the frame */
};
struct mheap {
	struct mheap_ev *v;
	size_t n, cap;
	uint64_t seq;
};
bool mheap_push(struct mheap *h, int64_t t, int kind, int arg, void *p);
/* The earliest event, or NULL when empty. */
const struct mheap_ev *mheap_top(const struct mheap *h);
bool mheap_pop(struct mheap *h, struct mheap_ev *out);
void mheap_free(struct mheap *h);
#endif
