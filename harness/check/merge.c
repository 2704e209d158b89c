/* merge.c — one stream of frames from every pcap of a run, in timestamp
 * order: a k-way merge over a binary heap holding one pending frame per
 * file, so memory does not grow with the capture. Ties go to the lower link
 * index, then the lower frame number, so the order is deterministic.
 * A file is read up to its last whole record (dec_pcap_extent): what a
 * killed writer left half written is a warning on stderr. */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include "check_int.h"

struct ck_src {
	pcap_t *p;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t ts, frame;
	uint64_t records;	/* whole records in the file */
};

struct ck_merge {
	struct ck_src *s;
	int n;
	int *heap, nh;
	int last;		/* source whose frame was handed out last (-1) */
};

static bool ck_before(const struct ck_merge *mg, int a, int b)
{
	const struct ck_src *x = &mg->s[a], *y = &mg->s[b];

	if (x->ts != y->ts)
		return x->ts < y->ts;
	return a < b;
}

static void ck_heap_down(struct ck_merge *mg, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < mg->nh && ck_before(mg, mg->heap[l], mg->heap[m]))
			m = l;
		if (r < mg->nh && ck_before(mg, mg->heap[r], mg->heap[m]))
			m = r;
		if (m == i)
			return;
		int t = mg->heap[i];
		mg->heap[i] = mg->heap[m];
		mg->heap[m] = t;
		i = m;
	}
}

static void ck_heap_up(struct ck_merge *mg, int i)
{
	while (i > 0) {
		int p = (i - 1) / 2;
		if (!ck_before(mg, mg->heap[i], mg->heap[p]))
			return;
		int t = mg->heap[i];
		mg->heap[i] = mg->heap[p];
		mg->heap[p] = t;
		i = p;
	}
}

/* Reads the next frame of source i: 1, 0 at the end, -1 on error. */
static int ck_src_read(struct ck_merge *mg, int i, char *err, size_t errlen)
{
	struct ck_src *s = &mg->s[i];
	int rc;

	if (!s->p || s->frame >= s->records)
		return 0;
	rc = pcap_next_ex(s->p, &s->h, &s->data);

	if (rc == 1) {
		s->frame++;
		s->ts = (uint64_t)s->h->ts.tv_sec * 1000000000ull + (uint64_t)s->h->ts.tv_usec;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	snprintf(err, errlen, "pcap_next_ex (link %d, after frame %llu): %s", i,
		 (unsigned long long)s->frame, pcap_geterr(s->p));
	return -1;
}

struct ck_merge *ck_merge_open(char (*paths)[4096], int n, char *err, size_t errlen)
{
	struct ck_merge *mg = calloc(1, sizeof *mg);
	char ebuf[PCAP_ERRBUF_SIZE];

	mg->s = calloc((size_t)n ? (size_t)n : 1, sizeof *mg->s);
	mg->heap = calloc((size_t)n ? (size_t)n : 1, sizeof *mg->heap);
	mg->n = n;
	mg->last = -1;
	for (int i = 0; i < n; i++) {
		struct dec_pcap_extent x;
		char warn[4400];
		if (dec_pcap_extent(paths[i], &x, err, errlen) < 0) {
			ck_merge_close(mg);
			return NULL;
		}
		dec_pcap_extent_warning(paths[i], &x, warn, sizeof warn);
		if (warn[0])
			fprintf(stderr, "roam check: warning: %s\n", warn);
		mg->s[i].records = x.records;
		if (x.classic && x.records == 0)
			continue;	/* nothing whole to read */
		mg->s[i].p = pcap_open_offline_with_tstamp_precision(paths[i],
				PCAP_TSTAMP_PRECISION_NANO, ebuf);
		if (!mg->s[i].p) {
			snprintf(err, errlen, "pcap_open_offline %s: %s", paths[i], ebuf);
			ck_merge_close(mg);
			return NULL;
		}
	}
	for (int i = 0; i < n; i++) {
		int rc = ck_src_read(mg, i, err, errlen);
		if (rc < 0) {
			ck_merge_close(mg);
			return NULL;
		}
		if (rc == 1) {
			mg->heap[mg->nh++] = i;
			ck_heap_up(mg, mg->nh - 1);
		}
	}
	return mg;
}

int ck_merge_next(struct ck_merge *mg, struct ck_frame *f, char *err, size_t errlen)
{
	if (mg->last >= 0) {	/* refill the source handed out last */
		int rc = ck_src_read(mg, mg->last, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			ck_heap_down(mg, 0);
		} else {
			mg->heap[0] = mg->heap[--mg->nh];
			ck_heap_down(mg, 0);
		}
		mg->last = -1;
	}
	if (mg->nh == 0)
		return 0;
	int i = mg->heap[0];
	struct ck_src *s = &mg->s[i];
	f->link = i;
	f->frame = s->frame;
	f->ts_ns = s->ts;
	f->linktype = pcap_datalink(s->p);
	f->data = s->data;
	f->caplen = s->h->caplen;
	f->wirelen = s->h->len;
	mg->last = i;
	return 1;
}

void ck_merge_close(struct ck_merge *mg)
{
	if (!mg)
		return;
	for (int i = 0; i < mg->n; i++)
		if (mg->s[i].p)
			pcap_close(mg->s[i].p);
	free(mg->s);
	free(mg->heap);
	free(mg);
}
