/* flowstat.c — per-flow accounting of received roam-traffic datagrams (the
 * payload of payload.h, read with rd.h). Jitter is the interarrival jitter
 * estimator of RFC 3550 section 6.4.1, in seconds. No main(): the receiver
 * and the unit test both use it. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "rd.h"
#include "payload.h"
#include "flowstat.h"

const char *const fs_verdict_names[FS_NVERDICT] = {
	[FS_OK] = "ok",
	[FS_TRUNCATED] = "truncated",
	[FS_BADMAGIC] = "bad_magic",
	[FS_RANGE] = "seq_out_of_range",
	[FS_FULL] = "too_many_flows",
};

const struct fs_flow *fs_find(const struct fs_table *t, uint32_t id)
{
	for (int i = 0; i < t->n_flows; i++)
		if (t->flows[i].id == id)
			return &t->flows[i];
	return NULL;
}

static struct fs_flow *fs_flow_get(struct fs_table *t, uint32_t id)
{
	struct fs_flow *f = (struct fs_flow *)fs_find(t, id);

	if (f)
		return f;
	if (t->n_flows >= FS_FLOWS_MAX)
		return NULL;
	if (t->n_flows % 8 == 0) {
		f = realloc(t->flows, (size_t)(t->n_flows + 8) * sizeof(*f));
		if (!f)
			return NULL;
		t->flows = f;
	}
	f = &t->flows[t->n_flows++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	return f;
}

/* Marks seq seen; returns true if it was already. false on no memory too
 * (then the datagram counts as new). */
static bool fs_seen(struct fs_flow *f, uint32_t seq)
{
	size_t byte = seq / 8;
	uint8_t bit = (uint8_t)(1u << (seq % 8));

	if (byte >= f->seen_len) {
		size_t n = f->seen_len ? f->seen_len : 256;
		uint8_t *p;
		while (n <= byte)
			n *= 2;
		if (!(p = realloc(f->seen, n)))
			return false;
		memset(p + f->seen_len, 0, n - f->seen_len);
		f->seen = p;
		f->seen_len = n;
	}
	if (f->seen[byte] & bit)
		return true;
	f->seen[byte] |= bit;
	return false;
}

static void fs_delay_add(struct fs_flow *f, double d)
{
	if (f->received == 1 || d < f->d_min)
		f->d_min = d;
	if (f->received == 1 || d > f->d_max)
		f->d_max = d;
	f->d_sum += d;
	if (f->n_delays == f->cap_delays && f->cap_delays < FS_DELAYS_MAX) {
		size_t cap = f->cap_delays ? 2 * f->cap_delays : 1024;
		double *p = realloc(f->delays, cap * sizeof(*p));
		if (p) {
			f->delays = p;
			f->cap_delays = cap;
		}
	}
	if (f->n_delays < f->cap_delays)
		f->delays[f->n_delays++] = d;
}

/* Interarrival jitter and the longest gap, over arrivals in arrival order. */
static void fs_arrival(struct fs_flow *f, uint32_t seq, int64_t tx_ns, int64_t rx_ns)
{
	if (f->received + f->duplicates > 1) {
		double dd = ((double)(rx_ns - f->last_rx) - (double)(tx_ns - f->last_tx)) / 1e9;
		int64_t gap = rx_ns - f->last_rx;
		f->jitter += (fabs(dd) - f->jitter) / 16;
		if (gap > f->longest.gap_ns) {
			f->longest = (struct fs_gap){ .gap_ns = gap, .seq_before = f->last_seq,
						      .seq_after = seq, .rx_before = f->last_rx,
						      .rx_after = rx_ns };
		}
	} else {
		f->first_rx = rx_ns;
	}
	f->last_rx = rx_ns;
	f->last_tx = tx_ns;
	f->last_seq = seq;
}

enum fs_verdict fs_packet(struct fs_table *t, const void *buf, size_t len, int64_t rx_ns)
{
	struct rd r = rd_init(buf, len);
	uint32_t magic, id, seq;
	uint64_t tx;
	struct fs_flow *f;
	enum fs_verdict v = FS_OK;

	rd_be32(&r, &magic);
	rd_be32(&r, &id);
	rd_be32(&r, &seq);
	rd_be64(&r, &tx);	/* the rest is padding */
	if (!rd_ok(&r))
		v = FS_TRUNCATED;
	else if (magic != ROAM_PAYLOAD_MAGIC)
		v = FS_BADMAGIC;
	else if (seq >= FS_SEQ_MAX || tx > INT64_MAX)
		v = FS_RANGE;
	else if (!(f = fs_flow_get(t, id)))
		v = FS_FULL;
	if (v != FS_OK) {
		t->bad[v]++;
		return v;
	}
	if (fs_seen(f, seq)) {
		f->duplicates++;
		fs_arrival(f, seq, (int64_t)tx, rx_ns);
		return FS_OK;
	}
	f->received++;
	if (f->received > 1 && seq < f->max_seq)
		f->reordered++;
	if (f->received == 1 || seq > f->max_seq)
		f->max_seq = seq;
	fs_delay_add(f, (double)(rx_ns - (int64_t)tx) / 1e9);
	fs_arrival(f, seq, (int64_t)tx, rx_ns);
	return FS_OK;
}

/* Sequence numbers from 0 to the highest seen that never arrived. */
uint64_t fs_lost(const struct fs_flow *f)
{
	return f->received ? (uint64_t)f->max_seq + 1 - f->received : 0;
}

static int fs_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double fs_delay_pct(struct fs_flow *f, double p)
{
	size_t k;

	if (!f->n_delays)
		return 0;
	qsort(f->delays, f->n_delays, sizeof(double), fs_dcmp);
	k = (size_t)ceil(p * (double)f->n_delays);
	return f->delays[k ? k - 1 : 0];
}

static void fs_flow_json(struct fs_flow *f, FILE *out)
{
	double mean = f->received ? f->d_sum / (double)f->received : 0;

	fprintf(out, "{\"id\":%" PRIu32 ",\"received\":%" PRIu64 ",\"lost\":%" PRIu64
		",\"duplicates\":%" PRIu64 ",\"reordered\":%" PRIu64
		",\"max_seq\":%" PRIu32 ",\n   \"delay\":{\"min\":%.9f,\"mean\":%.9f,"
		"\"p50\":%.9f,\"p99\":%.9f,\"max\":%.9f},\"jitter\":%.9f,",
		f->id, f->received, fs_lost(f), f->duplicates, f->reordered, f->max_seq,
		f->d_min, mean, fs_delay_pct(f, 0.5), fs_delay_pct(f, 0.99), f->d_max,
		f->jitter);
	fprintf(out, "\n   \"first_rx\":%.9f,\"last_rx\":%.9f,", (double)f->first_rx / 1e9,
		(double)f->last_rx / 1e9);
	fprintf(out, "\n   \"interruption\":{\"gap\":%.9f,\"seq_before\":%" PRIu32
		",\"seq_after\":%" PRIu32 ",\"rx_before\":%.9f,\"rx_after\":%.9f}}",
		(double)f->longest.gap_ns / 1e9, f->longest.seq_before, f->longest.seq_after,
		(double)f->longest.rx_before / 1e9, (double)f->longest.rx_after / 1e9);
}

void fs_json(struct fs_table *t, FILE *out)
{
	uint64_t bad = 0;

	fprintf(out, "{\"flows\":[");
	for (int i = 0; i < t->n_flows; i++) {
		fprintf(out, "%s\n  ", i ? "," : "");
		fs_flow_json(&t->flows[i], out);
	}
	fprintf(out, "],\n \"dropped\":{");
	for (int v = FS_OK + 1; v < FS_NVERDICT; v++) {
		fprintf(out, "%s\"%s\":%" PRIu64, v > FS_OK + 1 ? "," : "",
			fs_verdict_names[v], t->bad[v]);
		if (v != FS_FULL)
			bad += t->bad[v];
	}
	fprintf(out, "},\"malformed\":%" PRIu64 "}\n", bad);
}

void fs_free(struct fs_table *t)
{
	for (int i = 0; i < t->n_flows; i++) {
		free(t->flows[i].seen);
		free(t->flows[i].delays);
	}
	free(t->flows);
	memset(t, 0, sizeof(*t));
}
