/* flowstat.h — the receiver's per-flow accounting of roam-traffic: loss,
 * duplicates, reordering, one-way delay, jitter (RFC 3550, 6.4.1) and the
 * longest interruption. Fed one datagram at a time; no I/O but the JSON. */
#ifndef ROAM_FLOWSTAT_H
#define ROAM_FLOWSTAT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define FS_FLOWS_MAX 256		/* flows one receiver tracks */
#define FS_SEQ_MAX (1u << 26)		/* highest sequence number accepted */
#define FS_DELAYS_MAX (1u << 22)	/* delay samples kept for percentiles */

enum fs_verdict { FS_OK, FS_TRUNCATED, FS_BADMAGIC, FS_RANGE, FS_FULL, FS_NVERDICT };
extern const char *const fs_verdict_names[FS_NVERDICT];

/* The longest time without a datagram between two that arrived. */
struct fs_gap {
	int64_t gap_ns;			/* receive time after minus before */
	uint32_t seq_before, seq_after;	/* the datagrams on each side */
	int64_t rx_before, rx_after;	/* their receive times, CLOCK_REALTIME ns */
};

struct fs_flow {
	uint32_t id;
	uint64_t received;		/* distinct sequence numbers */
	uint64_t duplicates;		/* a sequence number seen again */
	uint64_t reordered;		/* arrived after a higher sequence number */
	uint32_t max_seq;		/* highest seen (valid when received > 0) */
	uint8_t *seen;			/* bitmap of sequence numbers seen */
	size_t seen_len;		/* bytes in seen */
	double *delays;			/* one-way delays, seconds */
	size_t n_delays, cap_delays;
	double d_min, d_max, d_sum;	/* over every distinct datagram */
	double jitter;			/* seconds, RFC 3550 estimator */
	int64_t last_rx, last_tx;	/* the previous arrival, realtime ns */
	uint32_t last_seq;
	int64_t first_rx;
	struct fs_gap longest;
};

struct fs_table {
	struct fs_flow *flows;
	int n_flows;
	uint64_t bad[FS_NVERDICT];	/* datagrams dropped, by verdict */
};

/* Accounts one datagram received at rx_ns (CLOCK_REALTIME ns). */
enum fs_verdict fs_packet(struct fs_table *t, const void *buf, size_t len, int64_t rx_ns);
uint64_t fs_lost(const struct fs_flow *f);
const struct fs_flow *fs_find(const struct fs_table *t, uint32_t id);
/* p in 0..1, nearest rank; 0 with no samples. Sorts f->delays. */
double fs_delay_pct(struct fs_flow *f, double p);
void fs_json(struct fs_table *t, FILE *out);
void fs_free(struct fs_table *t);
#endif
