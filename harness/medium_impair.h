/* medium_impair.h — the medium's link model, free of sockets and threads so
 * that unit tests drive it with made-up clocks: per-direction impairment
 * (loss with correlation or Gilbert-Elliott, duplication, delay and jitter,
 * reordering, rate with a bounded queue, time-varying profiles) and the
 * radio model of a cell (log-distance path loss to loss, rate and range). */
#ifndef ROAM_MEDIUM_IMPAIR_H
#define ROAM_MEDIUM_IMPAIR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rng.h"
#include "topo.h"

#define IMP_QUEUE_FRAMES 1000		/* rate queue bound, frames */
#define IMP_QUEUE_NS 1000000000LL	/* rate queue bound, ns of backlog */

/* A serializer: frames leave at max(now, last) + bits/rate, FIFO. */
struct imp_ser {
	int64_t last;		/* departure of the last frame queued, ns */
	int64_t *ring;		/* departures of the frames still queued */
	int head, n;
};
/* Departure time of a frame of len bytes at rate bit/s (0: unlimited, now),
 * or -1 when the queue is full (the frame is dropped, nothing changes). */
int64_t imp_ser_push(struct imp_ser *s, int64_t now, size_t len, double rate);
void imp_ser_free(struct imp_ser *s);

/* One direction of a link. */
struct imp_dir {
	struct topo_impair imp;		/* in force now */
	struct topo_step *steps;	/* own copy of the profile */
	int n_steps, next_step;
	struct rng rng;
	bool last_lost;			/* correlated loss: previous verdict */
	bool ge_bad;			/* Gilbert-Elliott: in the bad state */
	struct imp_ser ser;
};

enum imp_verdict { IMP_PASS, IMP_LOSS, IMP_QUEUE };
struct imp_out {
	enum imp_verdict verdict;
	int copies;		/* 1, or 2 when duplicated */
	bool reordered;		/* skipped the delay */
	int64_t depart;		/* ns, same clock as now */
};

/* Copies imp and the profile steps. Returns false on allocation failure. */
bool imp_dir_init(struct imp_dir *d, const struct topo_impair *imp,
		  const struct topo_step *steps, int n_steps,
		  uint64_t seed, const char *name, int dir);
void imp_dir_free(struct imp_dir *d);
/* Applies the profile steps whose time (run seconds) has come. */
void imp_dir_tick(struct imp_dir *d, double run_t);
/* Replaces the impairment in force (later profile steps still apply). */
void imp_dir_set(struct imp_dir *d, const struct topo_impair *imp);
/* Decides the fate of one frame of len bytes read at now (ns). Draws the
 * same number of random values for every frame. */
void imp_decide(struct imp_dir *d, int64_t now, size_t len, struct imp_out *o);
/* The loss draw alone (correlated or Gilbert-Elliott): true = lost. */
bool imp_lost(struct imp_dir *d);

/* The radio model of one station in a cell at distance dist metres. */
struct radio_q {
	bool in_range;
	double snr;		/* dB */
	double loss;		/* 0..1, from the radio alone */
	double rate;		/* bit/s, 0 = unlimited */
};
void radio_eval(const struct topo_radio *r, double dist, struct radio_q *q);
#endif
