/* medium_ring.h — a lock-free single-producer single-consumer ring of
 * variable-length records, by which the medium's receive thread hands
 * delayed frames to its sender thread and captured frames to its capture
 * thread without a lock or a system call. Records are 8-byte aligned; a
 * record that does not fit before the end of the buffer is preceded by a
 * padding record and starts again at the beginning. */
#ifndef ROAM_MEDIUM_RING_H
#define ROAM_MEDIUM_RING_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mring {
	uint8_t *buf;
	size_t cap;			/* bytes, a power of two */
	_Atomic size_t head;		/* consumer: bytes consumed, ever */
	_Atomic size_t tail;		/* producer: bytes published, ever */
	size_t resv;			/* producer: the reserved record's end */
};

bool mring_init(struct mring *r, size_t cap);	/* cap rounded up to a power of two */
void mring_free(struct mring *r);
/* Producer: room for a record of len bytes, or NULL when the ring is full
 * (nothing changes). The record is seen by the consumer after commit. */
void *mring_reserve(struct mring *r, size_t len);
void mring_commit(struct mring *r);
/* Consumer: the oldest record (its length in *len), or NULL when empty;
 * release it once used. */
void *mring_front(struct mring *r, size_t *len);
void mring_release(struct mring *r);
bool mring_empty(struct mring *r);
#endif
