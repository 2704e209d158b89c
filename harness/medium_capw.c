/* medium_capw.c — the medium's capture thread: takes every frame the
 * receive thread read from a lock-free ring and writes it to its link's
 * pcap (capture.c: whole records, every write checked), flushing each
 * capture at least every MEDIUM_FLUSH_NS. The first failed write or flush
 * (disk full, I/O error) is kept as the medium's failure, named with the
 * file and the error, and signalled on fail_evfd for the orchestrator to
 * end the run; frames for captures that failed are dropped meanwhile so
 * the receive thread never waits on a dead disk. Sleeps when idle. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "medium_int.h"

#define CAPW_WAIT_NS 50000	/* the receive thread's pause when the ring is full */

void medium_capw_post(struct medium *m, int link, int64_t realtime_ns, const uint8_t *d, uint32_t len)
{
	struct mcaprec *r;
	while (!(r = mring_reserve(&m->cring, sizeof(*r) + len))) {
		/* Full: every frame read is captured, so the reader waits for
		 * the writer (which drops frames itself once its disk failed). */
		atomic_fetch_add_explicit(&m->n_cap_wait, 1, memory_order_relaxed);
		medium_capw_kick(m);
		struct timespec ts = { 0, CAPW_WAIT_NS };
		nanosleep(&ts, NULL);
	}
	*r = (struct mcaprec){ .ns = realtime_ns, .link = link, .len = len };
	memcpy(r + 1, d, len);
	mring_commit(&m->cring);
}

void medium_capw_kick(struct medium *m)
{
	atomic_thread_fence(memory_order_seq_cst);	/* pairs with capw_sleep() */
	if (atomic_load_explicit(&m->c_sleeping, memory_order_relaxed) &&
	    atomic_exchange(&m->c_sleeping, false)) {
		uint64_t one = 1;
		if (write(m->c_evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			fprintf(stderr, "medium: write(capture eventfd): %s\n", strerror(errno));
	}
}

static void capw_failed(struct medium *m, struct capture *c)
{
	if (atomic_load(&m->failed))
		return;
	capture_error(c, m->fail_msg, sizeof(m->fail_msg));
	atomic_store(&m->failed, true);
	uint64_t one = 1;
	if (write(m->fail_evfd, &one, sizeof(one)) < 0)
		fprintf(stderr, "medium: %s (and write(eventfd): %s)\n", m->fail_msg, strerror(errno));
}

/* Every record in the ring into its capture's buffer. */
static bool capw_drain(struct medium *m)
{
	struct mcaprec *r;
	size_t len;
	bool any = false;
	while ((r = mring_front(&m->cring, &len))) {
		struct capture *c = m->links[r->link].cap;
		if (c && capture_write_ns(c, r->ns, r + 1, r->len) < 0)
			capw_failed(m, c);
		mring_release(&m->cring);
		any = true;
	}
	return any;
}

static void capw_flush(struct medium *m)
{
	for (int i = 0; i < m->n_links; i++) {
		struct capture *c = m->links[i].cap;
		if (capture_pending(c) && capture_flush(c) < 0)
			capw_failed(m, c);
	}
}

/* Sleeps until kicked, or until the next flush is due when records wait. */
static void capw_sleep(struct medium *m, int timeout_ms)
{
	atomic_store(&m->c_sleeping, true);
	atomic_thread_fence(memory_order_seq_cst);
	if (!mring_empty(&m->cring) || atomic_load(&m->c_stop)) {
		atomic_store(&m->c_sleeping, false);
		return;
	}
	struct pollfd p = { .fd = m->c_evfd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);
	atomic_store(&m->c_sleeping, false);
	uint64_t v;
	if (n > 0 && read(m->c_evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		fprintf(stderr, "medium: read(capture eventfd): %s\n", strerror(errno));
}

void *medium_capw_thread(void *arg)
{
	struct medium *m = arg;
	pthread_setname_np(pthread_self(), "roam-mdm-cap");
	int64_t last_flush = medium_mono_ns();
	bool dirty = false;
	for (;;) {
		bool stopping = atomic_load(&m->c_stop);	/* set once the reader ended */
		dirty |= capw_drain(m);
		int64_t now = medium_mono_ns();
		if (dirty && (stopping || now - last_flush >= MEDIUM_FLUSH_NS)) {
			capw_flush(m);
			last_flush = now;
			dirty = false;
		}
		if (stopping)
			break;
		int64_t left = last_flush + MEDIUM_FLUSH_NS - now;
		capw_sleep(m, dirty ? (int)(left / 1000000 + 1) : -1);
	}
	return NULL;
}

int medium_fail_fd(const struct medium *m)
{
	return m->fail_evfd;
}

bool medium_failed(struct medium *m, char *msg, size_t len)
{
	if (!atomic_load(&m->failed))
		return false;
	snprintf(msg, len, "%s", m->fail_msg);
	return true;
}
