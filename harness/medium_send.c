/* medium_send.c — the medium's sender thread: delayed frames leave at
 * their due time. The receive thread posts each delayed frame through a
 * lock-free ring and wakes this thread (an eventfd write) only when the
 * frame is due before the earliest one it already waits for. The thread
 * keeps a heap of frames by due time, arms a timerfd a little before the
 * earliest (how early follows how late this machine's timer wake-ups are)
 * and spins the rest of the way; with nothing pending it sleeps. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "medium_int.h"

#define INC(l, f) atomic_fetch_add_explicit(&(l)->f, 1, memory_order_relaxed)

bool medium_send_post(struct medium *m, int64_t t, int port, struct mframe *f)
{
	struct msched *s = mring_reserve(&m->sring, sizeof(*s));
	if (!s)
		return false;
	*s = (struct msched){ .t = t, .port = port, .f = f };
	mring_commit(&m->sring);
	atomic_thread_fence(memory_order_seq_cst);	/* pairs with send_idle() */
	if (t < atomic_load_explicit(&m->s_next, memory_order_relaxed)) {
		uint64_t one = 1;
		if (write(m->s_evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			fprintf(stderr, "medium: write(sender eventfd): %s\n", strerror(errno));
	}
	return true;
}

static void send_gone(struct medium *m, int port);

/* The ring's frames into the heap. */
static void send_drain(struct medium *m)
{
	struct msched *s;
	size_t len;
	while ((s = mring_front(&m->sring, &len))) {
		if (!mheap_push(&m->sheap, s->t, MEV_FRAME, s->port, s->f)) {
			INC(&m->links[s->f->link], drop_queue);
			free(s->f);
			send_gone(m, s->port);
		}
		mring_release(&m->sring);
	}
}

static void send_gone(struct medium *m, int port)
{
	atomic_fetch_sub_explicit(&m->ports[port].s_pending, 1, memory_order_release);
}

/* Sends the batch; only then are its frames no longer pending for their
 * ports (the receive thread may send the next ones itself). */
static void send_flush(struct medium *m)
{
	struct mtxb *b = m->txs;
	int n = b->n;
	medium_tx_flush(m, b);
	for (int k = 0; k < n; k++)	/* the entries outlive the flush */
		send_gone(m, b->tx[k].port);
}

/* Every frame due by now into the batch, then sent. */
static void send_due(struct medium *m, int64_t now)
{
	const struct mheap_ev *top;
	struct mheap_ev ev;
	struct mtxb *b = m->txs;
	while ((top = mheap_top(&m->sheap)) && top->t <= now) {
		mheap_pop(&m->sheap, &ev);
		struct mframe *f = ev.p;
		if (!atomic_load_explicit(&m->ports[ev.arg].up, memory_order_relaxed)) {
			INC(&m->links[f->link], drop_range);
			free(f);
			send_gone(m, ev.arg);
			continue;
		}
		if (b->n == MEDIUM_TX_MAX)
			send_flush(m);
		if (!medium_tx_keep(b, f)) {
			send_gone(m, ev.arg);
			continue;
		}
		m->late[m->n_late++ % MEDIUM_LATE_N] = now - ev.t;
		medium_tx_add(m, b, ev.arg, f->link, &f->vh, f->data, f->len);
	}
	if (b->n)
		send_flush(m);
}

static void send_arm(struct medium *m, int64_t t)
{
	if (m->s_armed == t)
		return;
	struct itimerspec its = { .it_value = { .tv_sec = t / 1000000000LL,
						.tv_nsec = t % 1000000000LL } };
	if (timerfd_settime(m->s_tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		m->s_armed = t;
}

/* The timer fired: how late it woke us tunes how early the next one is
 * armed (twice the smoothed lateness, within [MIN, MAX]), so the thread
 * spins only as long as this machine's wake-ups need. */
static void send_fired(struct medium *m, int64_t now)
{
	if (!m->s_armed)
		return;
	int64_t late = now - m->s_armed;
	if (late < 0)
		late = 0;
	if (late > 10 * MEDIUM_SPIN_MAX_NS)
		late = 10 * MEDIUM_SPIN_MAX_NS;	/* one stall does not set the pace */
	m->wake_late += (late - m->wake_late) / 8;
	int64_t s = 2 * m->wake_late;
	m->spin_ns = s < MEDIUM_SPIN_MIN_NS ? MEDIUM_SPIN_MIN_NS :
		     s > MEDIUM_SPIN_MAX_NS ? MEDIUM_SPIN_MAX_NS : s;
	m->s_armed = 0;
}

static inline void send_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* Spins until t, or until the ring has a frame (it may be due sooner). */
static void send_spin(struct medium *m, int64_t t)
{
	while (medium_mono_ns() < t && mring_empty(&m->sring) &&
	       !atomic_load_explicit(&m->stop, memory_order_relaxed))
		send_relax();
}

/* Publishes what the thread waits for, then looks at the ring once more:
 * a frame posted meanwhile is either seen here or wakes the thread. */
static bool send_idle(struct medium *m, int64_t next)
{
	atomic_store_explicit(&m->s_next, next, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	return mring_empty(&m->sring);
}

static void send_wait(struct medium *m)
{
	struct pollfd p[2] = { { .fd = m->s_evfd, .events = POLLIN }, { .fd = m->s_tfd, .events = POLLIN } };
	if (poll(p, 2, -1) < 0 && errno != EINTR) {
		fprintf(stderr, "medium: poll (sender): %s\n", strerror(errno));
		return;
	}
	uint64_t v;
	if ((p[0].revents & POLLIN) && read(m->s_evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		fprintf(stderr, "medium: read(sender eventfd): %s\n", strerror(errno));
	if ((p[1].revents & POLLIN) && read(m->s_tfd, &v, sizeof(v)) >= 0)
		send_fired(m, medium_mono_ns());
}

void *medium_send_thread(void *arg)
{
	struct medium *m = arg;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	pthread_setname_np(pthread_self(), "roam-mdm-send");
	medium_sched();
	while (!atomic_load_explicit(&m->stop, memory_order_relaxed)) {
		send_drain(m);
		int64_t now = medium_mono_ns();
		send_due(m, now);
		const struct mheap_ev *top = mheap_top(&m->sheap);
		if (!top) {
			if (send_idle(m, INT64_MAX))
				send_wait(m);
			continue;
		}
		int64_t t = top->t;
		if (t - now <= m->spin_ns) {
			atomic_store_explicit(&m->s_next, t, memory_order_relaxed);
			send_spin(m, t);
			continue;
		}
		send_arm(m, t - m->spin_ns);
		if (send_idle(m, t))
			send_wait(m);
	}
	send_drain(m);		/* stopping: what is queued stays for medium_free */
	medium_tx_done(m, m->txs, m->txs->n);
	return NULL;
}

int medium_lateness(const struct medium *m, int64_t *out, int max)
{
	int n = m->n_late < MEDIUM_LATE_N ? (int)m->n_late : MEDIUM_LATE_N;
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++)
		out[i] = m->late[(m->n_late - 1 - (uint64_t)i) % MEDIUM_LATE_N];
	return n;
}
