/* medium.h — the userspace link layer. Runs in its own thread inside the
 * fabric namespace: reads every fabric-side port with AF_PACKET, applies the
 * link's impairments with randomness drawn from one seed, delivers to the
 * other ports of the link at the right time, and writes every frame it read
 * into <out>/<link>.pcap with the time the kernel received it from the
 * sender. Three threads: receive, sender (timed frames), capture writer. */
#ifndef ROAM_MEDIUM_H
#define ROAM_MEDIUM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "topo.h"

struct medium;

/* fabric_ifindex[i] is the fabric-side ifindex of topo interface i (in the
 * calling thread's network namespace, the fabric). outdir may be NULL (no
 * captures). Returns NULL with a message in err. */
struct medium *medium_new(struct topo *t, const int *fabric_ifindex,
			  uint64_t seed, const char *outdir,
			  char *err, size_t errlen);
int medium_start(struct medium *m);	/* starts the thread; 0 or -errno */
void medium_stop(struct medium *m);	/* stops the thread, flushes captures */
void medium_free(struct medium *m);
/* A capture write or flush failed (disk full, I/O error): fail_fd becomes
 * readable, and medium_failed gives "capture PATH: write: ERROR". The run
 * must end: the captures are no longer complete. */
int medium_fail_fd(const struct medium *m);
bool medium_failed(struct medium *m, char *msg, size_t len);

/* Thread-safe controls, called from the orchestrator's thread. */
/* dir: 0 or 1 as in topo_link.imp, -1 both. */
int medium_link_set(struct medium *m, int link, int dir, const struct topo_impair *imp);
/* Reattaches a station's radio interface to another cell: carrier down,
 * gap seconds (negative: the cell's handoff_gap), then up in the new cell.
 * Returns at once; the medium logs "l2_down" and "l2_up" events. */
int medium_move(struct medium *m, int iface, int new_link, double gap);
/* A node's new position: loss, rate and carrier of its radio follow. */
int medium_position(struct medium *m, int node, double x, double y);

struct medium_stats {
	uint64_t rx;		/* frames read from ports */
	uint64_t tx;		/* frames delivered to ports */
	uint64_t drop_loss;	/* dropped by random or burst loss */
	uint64_t drop_range;	/* dropped: out of range or carrier down */
	uint64_t drop_queue;	/* dropped: rate queue full */
	uint64_t dup;		/* duplicates made */
	uint64_t reordered;	/* frames that skipped the delay */
};
void medium_link_stats(struct medium *m, int link, struct medium_stats *st);
#endif
