/* medium_fwd.c — the medium's receive thread: read every port, impair,
 * forward. One epoll over the one AF_PACKET socket, the command eventfd and
 * the timerfd of attach events (moves); frames that need no wait are sent
 * at once, in sendmmsg batches that mix ports; delayed frames go to the
 * sender thread (medium_send.c) and every frame read to the capture thread
 * (medium_capw.c). The stop flag is checked between batches, so
 * medium_stop returns in milliseconds whatever the backlog. */
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
#include "medium_snoop.h"
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
			   const uint8_t *d, uint32_t len, int64_t dep, int copies, int64_t t0)
{
	struct mlink *l = &m->links[li];
	struct mport *q = &m->ports[qi];
	m->load_deliv++;
	if (!q->up) {
		INC(l, drop_range);
		return;
	}
	if (medium_is_station(l, q, qi)) {	/* the downlink radio leg */
		if (rng_unit(&q->rrng) < q->rq.loss) {
			INC(l, drop_loss);
			return;
		}
		int64_t ld = imp_ser_push(&q->rser[0], t0, len, q->rq.rate);
		if (ld < 0) {
			INC(l, drop_queue);
			return;
		}
		dep += ld - t0;
	}
	for (int c = 0; c < copies; c++) {
		/* Frames the link delays (delay, rate) all go through the sender,
		 * even one already due: sent by two threads, a port's frames
		 * could be reordered by the kernel's per-CPU backlogs. */
		if (dep <= t0 && !atomic_load_explicit(&q->s_pending, memory_order_acquire)) {
			medium_tx_add(m, m->txr, qi, li, vh, d, len);
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
		atomic_fetch_add_explicit(&q->s_pending, 1, memory_order_relaxed);
		if (!medium_send_post(m, dep, qi, f)) {
			atomic_fetch_sub_explicit(&q->s_pending, 1, memory_order_relaxed);
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

/* stamp: when the kernel received this frame from its sender — the
 * capture's time and the impairment's clock, so a frame's delay counts from
 * when it was sent however late this thread read it. */
static void medium_frame(struct medium *m, int pi, struct virtio_net_hdr *vh, uint8_t *d,
			 uint32_t len, int64_t stamp)
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
	if (l->cap)
		medium_capw_post(m, li, stamp + m->real_off, d, len);
	INC(l, rx);
	m->load_rx++;
	struct snoop_info si;
	bool lan = l->kind == TOPO_SEGMENT;
	if (lan)		/* before any loss: what was sent teaches */
		medium_lan_learn(m, pi, d, len, &si);
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
	imp_dir_tick(id, (double)stamp * 1e-9 + m->run_off);
	struct imp_out o;
	imp_decide(id, stamp, len, &o);
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
		int64_t ld = imp_ser_push(&p->rser[1], stamp, len, p->rq.rate);
		if (ld < 0) {
			INC(l, drop_queue);
			return;
		}
		dep += ld - stamp;
	}
	if (l->kind == TOPO_P2P) {
		for (int k = 0; k < l->n_ports; k++)
			if (l->ports[k] != pi)
				medium_deliver(m, li, l->ports[k], vh, d, len, dep, o.copies, stamp);
		return;
	}
	if (!(src[0] & 1))
		fdb_learn(m, li, src, pi);
	if (!(dst[0] & 1)) {		/* unicast: the port it was learnt on */
		int q = fdb_find(m, li, dst);
		if (q >= 0 && m->ports[q].link == li && m->ports[q].attached) {
			if (q != pi)
				medium_deliver(m, li, q, vh, d, len, dep, o.copies, stamp);
			return;
		}
	}
	int n = lan ? medium_lan_ports(m, li, pi, &si, m->lan_out) : -1;
	for (int k = 0; k < n; k++)		/* snooped: where it is asked for */
		medium_deliver(m, li, m->lan_out[k], vh, d, len, dep, o.copies, stamp);
	for (int k = 0; n < 0 && k < l->n_ports; k++)
		if (l->ports[k] != pi)
			medium_deliver(m, li, l->ports[k], vh, d, len, dep, o.copies, stamp);
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
		medium_attach(m, ev.arg, ev.p);
		free(ev.p);
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
		medium_frame(m, pi, &m->rx_vh[i], m->rx_buf + (size_t)i * MEDIUM_FRAME_MAX, got,
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
		medium_tx_flush(m, m->txr);
		medium_capw_kick(m);
		medium_load_tick(m, medium_mono_ns());
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

/* epoll_wait's timeout: -1, with the timer armed for the next attach
 * event if there is one. */
static int medium_timeout(struct medium *m)
{
	const struct mheap_ev *top = mheap_top(&m->heap);
	if (top)
		medium_timer_arm(m, top->t);
	return -1;
}

/* The thread's scheduling. By default a normal thread (SCHED_OTHER, nice
 * 0) that asks for a short time slice (sched_attr.sched_runtime, honoured
 * by the fair scheduler since Linux 6.12): a short request gives an early
 * virtual deadline, so its timer wake-ups preempt a busy compiler at once,
 * yet it gets no more than its fair share of the CPU. ROAM_MEDIUM_FIFO=1
 * asks for SCHED_FIFO 10 instead (best accuracy, but a spinning real-time
 * thread on a 2-core machine slows every node). Applied to the sender
 * thread, whose wake-ups keep time, and to the receive thread, since a
 * frame read after its due time leaves late. The capture thread keeps
 * the process's scheduling. */
struct medium_sched_attr {	/* linux/sched/types.h, which clashes with sched.h */
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

void medium_sched(void)
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
	pthread_setname_np(pthread_self(), "roam-medium");
	medium_sched();		/* a frame read late is sent late */
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
		medium_due(m, medium_mono_ns());
		int n = epoll_wait(m->epfd, evs, 8, medium_timeout(m));
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
				m->timer_armed = 0;
			} else {
				medium_rx(m);
			}
		}
	}
	medium_tx_done(m, m->txr, m->txr->n);	/* stopping: what is pending is dropped, not sent */
	return NULL;
}
