/* medium_fwd.c — the medium thread: read every port, impair, schedule,
 * send. One epoll over the one AF_PACKET socket, the command eventfd and one
 * timerfd; one heap of timed events; frames that need no wait are sent at
 * once, in sendmmsg batches that mix ports. The stop flag is checked
 * between batches, so medium_stop returns in milliseconds whatever the
 * backlog. */
#include <errno.h>
#include <linux/if_packet.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "evlog.h"
#include "medium_int.h"
#include "medium_sock.h"
#include "rd.h"

#define EV_CMD ((uint64_t)-1)
#define EV_TIMER ((uint64_t)-2)
#define INC(l, f) atomic_fetch_add_explicit(&(l)->f, 1, memory_order_relaxed)

/* ---- learning switch: (link, MAC) -> port ---- */
static uint64_t fdb_keyof(int link, const uint8_t *mac)
{
	uint64_t k = (uint64_t)(link + 1) << 48;
	for (int i = 0; i < 6; i++)
		k |= (uint64_t)mac[i] << (40 - 8 * i);
	return k;
}

static size_t fdb_slot(uint64_t k, size_t cap)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 20) & (cap - 1);
}

static bool fdb_grow(struct medium *m)
{
	size_t cap = m->fdb_cap ? m->fdb_cap * 2 : 1024;
	uint64_t *key = calloc(cap, sizeof(*key));
	int *port = calloc(cap, sizeof(*port));
	if (!key || !port) {
		free(key);
		free(port);
		return false;
	}
	for (size_t i = 0; i < m->fdb_cap; i++) {
		if (!m->fdb_key[i])
			continue;
		size_t j = fdb_slot(m->fdb_key[i], cap);
		while (key[j])
			j = (j + 1) & (cap - 1);
		key[j] = m->fdb_key[i];
		port[j] = m->fdb_port[i];
	}
	free(m->fdb_key);
	free(m->fdb_port);
	m->fdb_key = key;
	m->fdb_port = port;
	m->fdb_cap = cap;
	return true;
}

static void fdb_learn(struct medium *m, int link, const uint8_t *mac, int port)
{
	if (2 * (m->fdb_n + 1) > m->fdb_cap && !fdb_grow(m))
		return;
	uint64_t k = fdb_keyof(link, mac);
	size_t j = fdb_slot(k, m->fdb_cap);
	while (m->fdb_key[j] && m->fdb_key[j] != k)
		j = (j + 1) & (m->fdb_cap - 1);
	if (!m->fdb_key[j]) {
		m->fdb_key[j] = k;
		m->fdb_n++;
	}
	m->fdb_port[j] = port;
}

static int fdb_find(const struct medium *m, int link, const uint8_t *mac)
{
	if (!m->fdb_cap)
		return -1;
	uint64_t k = fdb_keyof(link, mac);
	size_t j = fdb_slot(k, m->fdb_cap);
	while (m->fdb_key[j]) {
		if (m->fdb_key[j] == k)
			return m->fdb_port[j];
		j = (j + 1) & (m->fdb_cap - 1);
	}
	return -1;
}

/* ---- sending ---- */
/* Forgets the pending sends; `dropped` of them were never sent. */
static void medium_tx_done(struct medium *m, int dropped)
{
	if (dropped)
		atomic_fetch_add_explicit(&m->n_stop_drop, (uint64_t)dropped, memory_order_relaxed);
	m->n_tx = 0;
	for (int f = 0; f < m->n_tx_free; f++)
		free(m->tx_free[f]);
	m->n_tx_free = 0;
}

/* Every pending send on the one socket, MEDIUM_TX_CHUNK frames a call
 * whatever their ports (sll_ifindex per message); a failed frame (port
 * gone down, kernel out of buffers) is counted and skipped. */
static void medium_tx_flush(struct medium *m)
{
	for (int k = 0; k < m->n_tx; k++) {
		struct mtx *t = &m->tx[k];
		uint16_t proto = 0;	/* the frame's EtherType, network order */
		memcpy(&proto, t->data + 12, 2);
		m->tx_addr[k] = (struct sockaddr_ll){ .sll_family = AF_PACKET, .sll_protocol = proto,
						      .sll_ifindex = m->ports[t->port].ifindex };
		m->tx_iov[k][0] = (struct iovec){ (void *)t->vh, sizeof(*t->vh) };
		m->tx_iov[k][1] = (struct iovec){ (void *)t->data, t->len };
		m->tx_msg[k].msg_hdr = (struct msghdr){ .msg_name = &m->tx_addr[k],
							.msg_namelen = sizeof(m->tx_addr[k]),
							.msg_iov = m->tx_iov[k], .msg_iovlen = 2 };
	}
	int k = 0;
	while (k < m->n_tx) {
		if (atomic_load_explicit(&m->stop, memory_order_relaxed)) {
			medium_tx_done(m, m->n_tx - k);		/* stopping: drop the rest */
			return;
		}
		int c = m->n_tx - k < MEDIUM_TX_CHUNK ? m->n_tx - k : MEDIUM_TX_CHUNK;
		/* Counted before the call: a receiver that got a frame finds
		 * it in tx. A frame the kernel refuses moves to drop_queue. */
		for (int s = k; s < k + c; s++)
			INC(&m->links[m->tx[s].link], tx);
		int r = m->fd >= 0 ? sendmmsg(m->fd, &m->tx_msg[k], (unsigned)c, 0) : -1;
		if (r < 0 && errno == EINTR)
			r = 0;
		else if (r <= 0) {
			struct mlink *l = &m->links[m->tx[k].link];
			atomic_fetch_sub_explicit(&l->tx, 1, memory_order_relaxed);
			INC(l, drop_queue);	/* kernel refused */
			r = 1;
		}
		for (int s = k + r; s < k + c; s++)	/* not sent yet: uncount */
			atomic_fetch_sub_explicit(&m->links[m->tx[s].link].tx, 1, memory_order_relaxed);
		k += r;
	}
	medium_tx_done(m, 0);
}

static void medium_tx_add(struct medium *m, int port, int link, const struct virtio_net_hdr *vh,
			  const uint8_t *d, uint32_t len)
{
	if (m->n_tx == MEDIUM_TX_MAX)
		medium_tx_flush(m);
	m->tx[m->n_tx++] = (struct mtx){ .port = port, .link = link, .vh = vh, .data = d, .len = len };
}

/* ---- forwarding ---- */
static int medium_dir(const struct mlink *l, int pi)
{
	switch (l->kind) {
	case TOPO_P2P: return l->n_ports && l->ports[0] == pi ? 0 : 1;
	case TOPO_CELL: return l->n_ports && l->ports[0] == pi ? 0 : 1;
	default: return 0;
	}
}

static bool medium_is_station(const struct mlink *l, const struct mport *p, int pi)
{
	return l->kind == TOPO_CELL && p->radio && (!l->n_ports || l->ports[0] != pi);
}

static void medium_deliver(struct medium *m, int li, int qi, const struct virtio_net_hdr *vh,
			   const uint8_t *d, uint32_t len, int64_t dep, int copies, int64_t now)
{
	struct mlink *l = &m->links[li];
	struct mport *q = &m->ports[qi];
	if (!q->up) {
		INC(l, drop_range);
		return;
	}
	if (medium_is_station(l, q, qi)) {	/* the downlink radio leg */
		if (rng_unit(&q->rrng) < q->rq.loss) {
			INC(l, drop_loss);
			return;
		}
		int64_t ld = imp_ser_push(&q->rser[0], now, len, q->rq.rate);
		if (ld < 0) {
			INC(l, drop_queue);
			return;
		}
		dep += ld - now;
	}
	for (int c = 0; c < copies; c++) {
		if (dep <= now) {
			medium_tx_add(m, qi, li, vh, d, len);
			continue;
		}
		struct mframe *f = malloc(sizeof(*f) + len);
		if (!f) {
			INC(l, drop_queue);
			continue;
		}
		f->link = li;
		f->len = len;
		f->vh = *vh;
		memcpy(f->data, d, len);
		if (!mheap_push(&m->heap, dep, MEV_FRAME, qi, f)) {
			free(f);
			INC(l, drop_queue);
		}
	}
}

/* Completes a checksum the sender left to the NIC (veth offload), so the
 * capture is right and the receiver gets a plain frame. GSO frames keep
 * their header and go through whole. */
static void medium_csum(struct virtio_net_hdr *vh, uint8_t *d, uint32_t len)
{
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || vh->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		return;
	uint32_t start = vh->csum_start, off = vh->csum_offset;
	if (start >= len || start + off + 2 > len)
		return;
	uint32_t sum = 0, i;
	for (i = start; i + 1 < len; i += 2)
		sum += (uint32_t)d[i] << 8 | d[i + 1];
	if (i < len)
		sum += (uint32_t)d[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	uint16_t c = (uint16_t)~sum;
	if (c == 0 && off == 6)		/* UDP: zero means no checksum */
		c = 0xffff;
	d[start + off] = (uint8_t)(c >> 8);
	d[start + off + 1] = (uint8_t)c;
	memset(vh, 0, sizeof(*vh));
}

/* The monotonic ns the kernel received frame i at (its SO_TIMESTAMPNS
 * CLOCK_REALTIME stamp less rt_off = realtime - monotonic now), or now when
 * it has none or one outside (now - 2 s, now]. */
static int64_t medium_rx_stamp(struct medium *m, int i, int64_t now, int64_t rt_off)
{
	struct msghdr *h = &m->rx_msg[i].msg_hdr;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS ||
		    c->cmsg_len < CMSG_LEN(sizeof(struct timespec)))
			continue;
		struct timespec ts;
		memcpy(&ts, CMSG_DATA(c), sizeof(ts));
		int64_t t = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec - rt_off;
		return t <= now && t > now - 2000000000LL ? t : now;
	}
	return now;
}

/* now: when the batch was read (the impairment's clock); stamp: when the
 * kernel received this frame (the capture's). */
static void medium_frame(struct medium *m, int pi, struct virtio_net_hdr *vh, uint8_t *d,
			 uint32_t len, int64_t now, int64_t stamp)
{
	struct mport *p = &m->ports[pi];
	if (p->link < 0 || !p->attached) {	/* between cells: on no link */
		atomic_fetch_add_explicit(&m->n_detached, 1, memory_order_relaxed);
		if (p->link >= 0)
			INC(&m->links[p->link], drop_range);
		return;
	}
	int li = p->link;
	struct mlink *l = &m->links[li];
	medium_csum(vh, d, len);
	if (l->cap) {
		int64_t rt = stamp + m->real_off;
		struct timespec ts = { .tv_sec = rt / 1000000000LL, .tv_nsec = rt % 1000000000LL };
		capture_write(l->cap, &ts, d, len);
	}
	INC(l, rx);
	if (atomic_load_explicit(&m->stop, memory_order_relaxed))
		return;		/* stopping: captured, not forwarded */
	if (!p->up) {
		INC(l, drop_range);
		return;
	}
	struct rd r = rd_init(d, len);	/* the Ethernet header */
	const uint8_t *dst = rd_ptr(&r, 6), *src = rd_ptr(&r, 6);
	if (!rd_skip(&r, 2) || !dst || !src)
		return;
	struct imp_dir *id = &l->dir[medium_dir(l, pi)];
	imp_dir_tick(id, (double)now * 1e-9 + m->run_off);
	struct imp_out o;
	imp_decide(id, now, len, &o);
	if (o.verdict != IMP_PASS) {
		if (o.verdict == IMP_LOSS)
			INC(l, drop_loss);
		else
			INC(l, drop_queue);
		return;
	}
	if (o.reordered)
		INC(l, reordered);
	if (o.copies > 1)
		INC(l, dup);
	int64_t dep = o.depart;
	if (medium_is_station(l, p, pi)) {	/* the uplink radio leg */
		if (rng_unit(&p->rrng) < p->rq.loss) {
			INC(l, drop_loss);
			return;
		}
		int64_t ld = imp_ser_push(&p->rser[1], now, len, p->rq.rate);
		if (ld < 0) {
			INC(l, drop_queue);
			return;
		}
		dep += ld - now;
	}
	if (l->kind == TOPO_P2P) {
		for (int k = 0; k < l->n_ports; k++)
			if (l->ports[k] != pi)
				medium_deliver(m, li, l->ports[k], vh, d, len, dep, o.copies, now);
		return;
	}
	if (!(src[0] & 1))
		fdb_learn(m, li, src, pi);
	if (!(dst[0] & 1)) {		/* unicast: the port it was learnt on */
		int q = fdb_find(m, li, dst);
		if (q >= 0 && m->ports[q].link == li && m->ports[q].attached) {
			if (q != pi)
				medium_deliver(m, li, q, vh, d, len, dep, o.copies, now);
			return;
		}
	}
	for (int k = 0; k < l->n_ports; k++)
		if (l->ports[k] != pi)
			medium_deliver(m, li, l->ports[k], vh, d, len, dep, o.copies, now);
}

/* ---- timed events ---- */
static void medium_attach(struct medium *m, int pi, const struct mattach *a)
{
	struct mport *p = &m->ports[pi];
	if (a->gen != p->move_gen || p->attached || p->link < 0)
		return;
	if (!medium_link_attach(&m->links[p->link], pi))
		return;
	p->attached = true;
	medium_port_radio(m, p);
	medium_port_sync(m, p, "move", a->gap);
}

static void medium_due(struct medium *m, int64_t now)
{
	const struct mheap_ev *top;
	struct mheap_ev ev;
	while ((top = mheap_top(&m->heap)) && top->t <= now) {
		mheap_pop(&m->heap, &ev);
		if (ev.kind == MEV_ATTACH) {
			medium_attach(m, ev.arg, ev.p);
			free(ev.p);
			continue;
		}
		struct mframe *f = ev.p;
		if (!m->ports[ev.arg].up) {
			INC(&m->links[f->link], drop_range);
			free(f);
			continue;
		}
		if (m->n_tx == MEDIUM_TX_MAX)
			medium_tx_flush(m);
		if (m->n_tx_free == m->cap_tx_free) {
			int cap = m->cap_tx_free ? 2 * m->cap_tx_free : MEDIUM_TX_MAX;
			struct mframe **v = realloc(m->tx_free, (size_t)cap * sizeof(*v));
			if (!v) {
				free(f);
				continue;
			}
			m->tx_free = v;
			m->cap_tx_free = cap;
		}
		m->tx_free[m->n_tx_free++] = f;
		m->late[m->n_late++ % MEDIUM_LATE_N] = now - ev.t;
		medium_tx_add(m, ev.arg, f->link, &f->vh, f->data, f->len);
	}
}

/* ---- reading ---- */
/* One batch from the socket: each frame to the port it was received on.
 * Returns how many frames were read (0: nothing queued). */
static int medium_rx_batch(struct medium *m)
{
	for (int i = 0; i < MEDIUM_RX_BATCH; i++) {
		m->rx_iov[i][0] = (struct iovec){ &m->rx_vh[i], sizeof(m->rx_vh[i]) };
		m->rx_iov[i][1] = (struct iovec){ m->rx_buf + (size_t)i * MEDIUM_FRAME_MAX,
						  MEDIUM_FRAME_MAX };
		m->rx_msg[i].msg_hdr = (struct msghdr){ .msg_name = &m->rx_addr[i],
							.msg_namelen = sizeof(m->rx_addr[i]),
							.msg_iov = m->rx_iov[i], .msg_iovlen = 2,
							.msg_control = m->rx_ctl[i],
							.msg_controllen = sizeof(m->rx_ctl[i]) };
	}
	int n = recvmmsg(m->fd, m->rx_msg, MEDIUM_RX_BATCH, MSG_DONTWAIT, NULL);
	if (n <= 0)
		return 0;	/* EAGAIN (an unbound socket gets no ENETDOWN) */
	struct timespec rt;
	clock_gettime(CLOCK_REALTIME, &rt);
	int64_t now = medium_mono_ns();
	int64_t rt_off = (int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec - now;
	for (int i = 0; i < n; i++) {
		const struct sockaddr_ll *a = &m->rx_addr[i];
		uint32_t got = m->rx_msg[i].msg_len;
		int pi = medium_ifx_port(m, a->sll_ifindex);
		if (pi < 0 || a->sll_pkttype == PACKET_OUTGOING) {	/* the filter's job too */
			atomic_fetch_add_explicit(&m->n_foreign, 1, memory_order_relaxed);
			continue;
		}
		if (got <= sizeof(struct virtio_net_hdr))
			continue;
		int li = m->ports[pi].link;
		if (m->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) {	/* larger than any GSO frame */
			if (li >= 0)
				INC(&m->links[li], drop_queue);
			continue;
		}
		got -= sizeof(struct virtio_net_hdr);
		if (got > MEDIUM_FRAME_MAX)
			got = MEDIUM_FRAME_MAX;
		medium_frame(m, pi, &m->rx_vh[i], m->rx_buf + (size_t)i * MEDIUM_FRAME_MAX, got, now,
			     medium_rx_stamp(m, i, now, rt_off));
	}
	return n;
}

/* Reads batches until the socket is empty, MEDIUM_RX_ROUNDS at most (then
 * timers and commands get their turn), or the medium stops. */
static void medium_rx(struct medium *m)
{
	for (int round = 0; round < MEDIUM_RX_ROUNDS; round++) {
		int n = medium_rx_batch(m);
		medium_due(m, medium_mono_ns());
		medium_tx_flush(m);
		if (n < MEDIUM_RX_BATCH || atomic_load_explicit(&m->stop, memory_order_relaxed))
			return;
	}
}

static void medium_timer_arm(struct medium *m, int64_t t)
{
	if (m->timer_armed == t)
		return;
	struct itimerspec its = { .it_value = { .tv_sec = t / 1000000000LL,
						.tv_nsec = t % 1000000000LL } };
	if (timerfd_settime(m->tfd, TFD_TIMER_ABSTIME, &its, NULL) == 0)
		m->timer_armed = t;
}

/* The timer fired: how late it woke us tunes how early the next one is
 * armed (twice the smoothed lateness, within [MIN, MAX]), so the thread
 * spins only as long as this machine's wake-ups need. */
static void medium_timer_fired(struct medium *m, int64_t now)
{
	if (m->timer_armed && m->timer_spin) {
		int64_t late = now - m->timer_armed;
		if (late < 0)
			late = 0;
		if (late > 10 * MEDIUM_SPIN_MAX_NS)
			late = 10 * MEDIUM_SPIN_MAX_NS;	/* one stall does not set the pace */
		m->wake_late += (late - m->wake_late) / 8;
		int64_t s = 2 * m->wake_late;
		m->spin_ns = s < MEDIUM_SPIN_MIN_NS ? MEDIUM_SPIN_MIN_NS :
			     s > MEDIUM_SPIN_MAX_NS ? MEDIUM_SPIN_MAX_NS : s;
	}
	m->timer_armed = 0;
}

/* epoll_wait's timeout: -1 with nothing scheduled; 0 (spin) when a frame is
 * due within the spin window; else the timer is armed for the event, a
 * frame's spin window early. */
static int medium_timeout(struct medium *m, int64_t now)
{
	const struct mheap_ev *top = mheap_top(&m->heap);
	if (!top)
		return -1;
	bool frame = top->kind == MEV_FRAME;
	int64_t early = frame ? m->spin_ns : 0;
	if (top->t - now <= early)
		return 0;
	m->timer_spin = frame;
	medium_timer_arm(m, top->t - early);
	return -1;
}

/* The thread's scheduling. By default a normal thread (SCHED_OTHER, nice
 * 0) that asks for a short time slice (sched_attr.sched_runtime, honoured
 * by the fair scheduler since Linux 6.12): a short request gives an early
 * virtual deadline, so its timer wake-ups preempt a busy compiler at once,
 * yet it gets no more than its fair share of the CPU. ROAM_MEDIUM_FIFO=1
 * asks for SCHED_FIFO 10 instead (best accuracy, but a spinning real-time
 * thread on a 2-core machine slows every node). */
struct medium_sched_attr {	/* linux/sched/types.h, which clashes with sched.h */
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static void medium_sched(void)
{
	const char *fifo = getenv("ROAM_MEDIUM_FIFO");
	if (fifo && *fifo && strcmp(fifo, "0")) {
		struct sched_param sp = { .sched_priority = 10 };
		int r = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
		if (r)
			fprintf(stderr, "medium: pthread_setschedparam(SCHED_FIFO 10): %s\n", strerror(r));
		return;
	}
	const char *sl = getenv("ROAM_MEDIUM_SLICE_US");
	long us = sl && *sl ? strtol(sl, NULL, 10) : MEDIUM_SLICE_US;
	if (us <= 0)		/* 0: the kernel's default slice */
		return;
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, (id_t)gettid());	/* keep the nice it has */
	if (errno)
		nice = 0;
	struct medium_sched_attr a = { .size = sizeof(a), .sched_policy = SCHED_OTHER,
				       .sched_nice = nice, .sched_runtime = (uint64_t)us * 1000 };
	if (syscall(SYS_sched_setattr, 0, &a, 0) < 0 && getenv("ROAM_DEBUG"))
		fprintf(stderr, "medium: sched_setattr(slice %ld us): %s\n", us, strerror(errno));
}

static void medium_thread_setup(struct medium *m)
{
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	pthread_setname_np(pthread_self(), "roam-medium");
	medium_sched();
	m->spin_ns = MEDIUM_SPIN_MAX_NS / 2;
	m->wake_late = m->spin_ns / 2;
	int64_t t0 = medium_mono_ns();
	m->run_off = run_now() - (double)t0 * 1e-9;
	struct timespec rt = run_realtime((double)t0 * 1e-9 + m->run_off);
	m->real_off = (int64_t)rt.tv_sec * 1000000000LL + rt.tv_nsec - t0;
}

void *medium_thread(void *arg)
{
	struct medium *m = arg;
	struct epoll_event evs[8];
	medium_thread_setup(m);
	while (!atomic_load(&m->stop)) {
		int64_t now = medium_mono_ns();
		medium_due(m, now);
		medium_tx_flush(m);
		int n = epoll_wait(m->epfd, evs, 8, medium_timeout(m, now));
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, "medium: epoll_wait: %s\n", strerror(errno));
			break;
		}
		for (int i = 0; i < n && !atomic_load(&m->stop); i++) {
			uint64_t u = evs[i].data.u64, v;
			if (u == EV_CMD) {
				if (read(m->evfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					fprintf(stderr, "medium: read(eventfd): %s\n", strerror(errno));
				medium_cmds_run(m);
			} else if (u == EV_TIMER) {
				if (read(m->tfd, &v, sizeof(v)) < 0 && errno != EAGAIN)
					fprintf(stderr, "medium: read(timerfd): %s\n", strerror(errno));
				medium_timer_fired(m, medium_mono_ns());
			} else {
				medium_rx(m);
			}
		}
	}
	medium_tx_done(m, m->n_tx);	/* stopping: what is pending is dropped, not sent */
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
