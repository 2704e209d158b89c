/* medium.c — the userspace link layer: set-up, start, stop, teardown.
 * Controls are in medium_ctl.c, the thread in medium_fwd.c, the one socket
 * in medium_sock.c, the model in medium_impair.c and medium_radio.c. */
#include <errno.h>
#include <netlink/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "evlog.h"
#include "medium_int.h"
#include "medium_snoop.h"
#include "medium_sock.h"

int64_t medium_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

bool medium_link_attach(struct mlink *l, int port)
{
	if (l->n_ports == l->cap_ports) {
		int cap = l->cap_ports ? l->cap_ports * 2 : 4;
		int *v = realloc(l->ports, (size_t)cap * sizeof(*v));
		if (!v)
			return false;
		l->ports = v;
		l->cap_ports = cap;
	}
	l->ports[l->n_ports++] = port;
	return true;
}

void medium_link_detach(struct mlink *l, int port)
{
	for (int i = 0; i < l->n_ports; i++)
		if (l->ports[i] == port) {	/* keep the order: [0] stays the AP */
			memmove(&l->ports[i], &l->ports[i + 1],
				(size_t)(l->n_ports - i - 1) * sizeof(int));
			l->n_ports--;
			return;
		}
}

static void medium_fail(struct medium *m, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "medium: %s: %s", what, strerror(errno));
	medium_free(m);
}

static bool medium_copy_links(struct medium *m, const struct topo *t)
{
	m->links = calloc((size_t)(t->n_links ? t->n_links : 1), sizeof(*m->links));
	if (!m->links)
		return false;
	m->n_links = t->n_links;
	for (int i = 0; i < t->n_links; i++) {
		const struct topo_link *tl = &t->links[i];
		struct mlink *l = &m->links[i];
		snprintf(l->name, sizeof(l->name), "%s", tl->name);
		l->kind = tl->kind;
		l->radio = tl->radio;
		for (int d = 0; d < 2; d++)
			if (!imp_dir_init(&l->dir[d], &tl->imp[d], tl->profile[d], tl->n_profile[d],
					  m->seed, tl->name, d))
				return false;
		for (int k = 0; k < tl->n_ifaces; k++) {
			int ifc = tl->ifaces[k];
			if (ifc < 0 || ifc >= m->n_ifaces || m->port_of_iface[ifc] < 0)
				continue;
			if (m->ports[m->port_of_iface[ifc]].link != i ||
			    m->ports[m->port_of_iface[ifc]].attached)
				continue;
			if (!medium_link_attach(l, m->port_of_iface[ifc]))
				return false;
			m->ports[m->port_of_iface[ifc]].attached = true;
		}
	}
	/* An interface that names a link missing it in that link's list: attach
	 * it at the end, so that what it sends and what it is sent agree. */
	for (int i = 0; i < m->n_ports; i++) {
		struct mport *p = &m->ports[i];
		if (p->link >= 0 && !p->attached) {
			if (!medium_link_attach(&m->links[p->link], i))
				return false;
			p->attached = true;
		}
	}
	return true;
}

struct medium *medium_new(struct topo *t, const int *fabric_ifindex,
			  uint64_t seed, const char *outdir,
			  char *err, size_t errlen)
{
	struct medium *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "medium: calloc: %s", strerror(errno));
		return NULL;
	}
	m->epfd = m->evfd = m->tfd = m->fd = -1;
	m->s_tfd = m->s_evfd = m->c_evfd = m->fail_evfd = -1;
	m->seed = seed;
	pthread_mutex_init(&m->cmd_mu, NULL);
	m->n_ifaces = t->n_ifaces;
	m->port_of_iface = malloc((size_t)(t->n_ifaces ? t->n_ifaces : 1) * sizeof(int));
	m->ports = calloc((size_t)(t->n_ifaces ? t->n_ifaces : 1), sizeof(*m->ports));
	m->nodes = calloc((size_t)(t->n_nodes ? t->n_nodes : 1), sizeof(*m->nodes));
	m->rx_buf = malloc((size_t)MEDIUM_RX_BATCH * MEDIUM_FRAME_MAX);
	m->txr = calloc(1, sizeof(*m->txr));
	m->txs = calloc(1, sizeof(*m->txs));
	if (!m->port_of_iface || !m->ports || !m->nodes || !m->rx_buf || !m->txr || !m->txs ||
	    !mring_init(&m->sring, MEDIUM_SRING) || !mring_init(&m->cring, MEDIUM_CRING)) {
		medium_fail(m, err, errlen, "malloc");
		return NULL;
	}
	m->n_nodes = t->n_nodes;
	for (int i = 0; i < t->n_nodes; i++) {
		snprintf(m->nodes[i].name, sizeof(m->nodes[i].name), "%s", t->nodes[i].name);
		m->nodes[i].x = t->nodes[i].x;
		m->nodes[i].y = t->nodes[i].y;
		m->nodes[i].has_pos = t->nodes[i].has_pos;
	}
	for (int i = 0; i < t->n_ifaces; i++) {
		m->port_of_iface[i] = -1;
		if (!fabric_ifindex || fabric_ifindex[i] <= 0)
			continue;
		const struct topo_iface *ti = &t->ifaces[i];
		struct mport *p = &m->ports[m->n_ports];
		p->iface = i;
		p->node = ti->node;
		p->ifindex = fabric_ifindex[i];
		p->link = ti->link >= 0 && ti->link < t->n_links ? ti->link : -1;
		p->radio = ti->radio;
		p->attached = false;	/* set when its link lists it */
		atomic_init(&p->up, true);
		const char *nn = ti->node >= 0 && ti->node < t->n_nodes ? t->nodes[ti->node].name : "?";
		snprintf(p->node_name, sizeof(p->node_name), "%s", nn);
		snprintf(p->name, sizeof(p->name), "%s.%s", nn, ti->name);
		rng_stream(&p->rrng, seed, p->name, 2);
		p->rq = (struct radio_q){ .in_range = true };
		m->port_of_iface[i] = m->n_ports++;
		if (p->radio && ti->node >= 0 && ti->node < t->n_nodes) {
			struct mnode *n = &m->nodes[ti->node];
			int *v = realloc(n->ports, (size_t)(n->n_ports + 1) * sizeof(int));
			if (!v) {
				medium_fail(m, err, errlen, "realloc");
				return NULL;
			}
			n->ports = v;
			n->ports[n->n_ports++] = m->port_of_iface[i];
		}
	}
	m->lan_out = malloc((size_t)(m->n_ports ? m->n_ports : 1) * sizeof(int));
	if (!m->lan_out || !medium_lan_seed(m, t)) {
		medium_fail(m, err, errlen, "malloc (LAN snooping)");
		return NULL;
	}
	if (!medium_copy_links(m, t)) {
		medium_fail(m, err, errlen, "copying the links");
		return NULL;
	}
	for (int i = 0; i < m->n_ports; i++)
		medium_port_radio(m, &m->ports[i]);
	if (outdir)
		for (int i = 0; i < m->n_links; i++) {
			m->links[i].cap = capture_open(outdir, m->links[i].name, err, errlen);
			if (!m->links[i].cap) {
				medium_free(m);
				return NULL;
			}
		}
	if (!medium_ifx_map(m)) {
		medium_fail(m, err, errlen, "calloc (ifindex table)");
		return NULL;
	}
	if (medium_sock_open(m, err, errlen) < 0) {
		medium_free(m);
		return NULL;
	}
	m->nl = nl_socket_alloc();
	if (!m->nl || nl_connect(m->nl, NETLINK_ROUTE) < 0) {
		snprintf(err, errlen, "medium: nl_connect(NETLINK_ROUTE) failed");
		medium_free(m);
		return NULL;
	}
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	m->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	m->s_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	m->s_evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m->c_evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m->fail_evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->epfd < 0 || m->evfd < 0 || m->tfd < 0 || m->s_tfd < 0 || m->s_evfd < 0 ||
	    m->c_evfd < 0 || m->fail_evfd < 0) {
		medium_fail(m, err, errlen, "epoll_create1/eventfd/timerfd_create");
		return NULL;
	}
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = (uint64_t)-1 };
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->evfd, &ev) < 0) {
		medium_fail(m, err, errlen, "epoll_ctl(eventfd)");
		return NULL;
	}
	ev.data.u64 = (uint64_t)-2;
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->tfd, &ev) < 0) {
		medium_fail(m, err, errlen, "epoll_ctl(timerfd)");
		return NULL;
	}
	ev.data.u64 = 0;
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->fd, &ev) < 0) {
		medium_fail(m, err, errlen, "epoll_ctl(AF_PACKET socket)");
		return NULL;
	}
	return m;
}

static void medium_kick(int fd)
{
	uint64_t one = 1;
	if (write(fd, &one, sizeof(one)) < 0)
		fprintf(stderr, "medium: write(eventfd): %s\n", strerror(errno));
}

/* Ends the threads in order: the reader first (it feeds the others), then
 * the sender, then the capture writer, which writes what it was given. */
static void medium_threads_end(struct medium *m, bool sender)
{
	atomic_store(&m->stop, true);
	if (sender) {
		medium_kick(m->s_evfd);
		pthread_join(m->sth, NULL);
	}
	atomic_store(&m->c_stop, true);
	medium_kick(m->c_evfd);
	pthread_join(m->cth, NULL);
}

int medium_start(struct medium *m)
{
	if (m->running)
		return -EALREADY;
	if (m->fd < 0) {		/* started again after medium_stop */
		char err[256];
		if (medium_sock_open(m, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return -EIO;
		}
		struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0 };
		if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, m->fd, &ev) < 0)
			return -errno;
	}
	/* The fabric ends are created up (the orchestrator, medium_veth_make):
	 * only the ports that must be down (detached, out of range) are set,
	 * one netlink request each. */
	for (int i = 0; i < m->n_ports; i++) {
		struct mport *p = &m->ports[i];
		bool want = p->attached && p->rq.in_range;
		if (!want && p->up && medium_port_admin(m, p, false) == 0)
			p->up = false;
	}
	atomic_store(&m->stop, false);
	atomic_store(&m->c_stop, false);
	atomic_store(&m->s_next, INT64_MAX);
	m->spin_ns = MEDIUM_SPIN_MAX_NS / 2;
	m->wake_late = m->spin_ns / 2;
	int r = pthread_create(&m->cth, NULL, medium_capw_thread, m);
	if (r)
		return -r;
	bool sender = false;
	r = pthread_create(&m->sth, NULL, medium_send_thread, m);
	if (!r) {
		sender = true;
		r = pthread_create(&m->th, NULL, medium_thread, m);
	}
	if (r) {
		medium_threads_end(m, sender);
		return -r;
	}
	m->running = true;
	return 0;
}

void medium_stop(struct medium *m)
{
	if (!m || !m->running)
		return;
	atomic_store(&m->stop, true);
	medium_kick(m->evfd);
	int64_t t0 = medium_mono_ns();
	pthread_join(m->th, NULL);
	int64_t t1 = medium_mono_ns();
	medium_threads_end(m, true);	/* the captures are flushed */
	m->running = false;
	/* What the kernel still queues for the medium goes with the socket;
	 * every frame already read is in its capture. */
	medium_sock_close(m);
	int64_t t2 = medium_mono_ns();
	m->stop_thread_ns = t1 - t0;
	m->stop_close_ns = t2 - t1;
	if (getenv("ROAM_TIMING"))
		fprintf(stderr, "medium: stop: thread %.1f ms, socket close %.1f ms, captures %.1f ms\n",
			(double)(t1 - t0) * 1e-6, (double)(t2 - t1) * 1e-6,
			(double)(medium_mono_ns() - t2) * 1e-6);
}

void medium_free(struct medium *m)
{
	if (!m)
		return;
	medium_stop(m);
	int64_t t0 = medium_mono_ns(), tcap = 0;
	struct mheap_ev ev;
	while (mheap_pop(&m->heap, &ev))
		free(ev.p);
	mheap_free(&m->heap);
	while (mheap_pop(&m->sheap, &ev))
		free(ev.p);
	mheap_free(&m->sheap);
	struct msched *sf;
	size_t len;
	while (m->sring.buf && (sf = mring_front(&m->sring, &len))) {
		free(sf->f);
		mring_release(&m->sring);
	}
	mring_free(&m->sring);
	mring_free(&m->cring);
	for (struct mcmd *c = m->cmd_head, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	medium_sock_close(m);
	for (int i = 0; i < m->n_ports; i++) {
		imp_ser_free(&m->ports[i].rser[0]);
		imp_ser_free(&m->ports[i].rser[1]);
	}
	for (int i = 0; m->links && i < m->n_links; i++) {
		imp_dir_free(&m->links[i].dir[0]);
		imp_dir_free(&m->links[i].dir[1]);
		int64_t tc = medium_mono_ns();
		capture_close(m->links[i].cap);	/* flushed by the capture thread */
		tcap += medium_mono_ns() - tc;
		free(m->links[i].ports);
	}
	for (int i = 0; m->nodes && i < m->n_nodes; i++)
		free(m->nodes[i].ports);
	if (m->nl)
		nl_socket_free(m->nl);
	if (m->epfd >= 0)
		close(m->epfd);
	if (m->evfd >= 0)
		close(m->evfd);
	int fds[] = { m->tfd, m->s_tfd, m->s_evfd, m->c_evfd, m->fail_evfd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	pthread_mutex_destroy(&m->cmd_mu);
	if (getenv("ROAM_TIMING"))
		fprintf(stderr, "medium: free %.1f ms, of which closing the captures %.1f ms\n",
			(double)(medium_mono_ns() - t0) * 1e-6, (double)tcap * 1e-6);
	free(m->ifx_key);
	free(m->ifx_port);
	free(m->fdb_key);
	free(m->fdb_port);
	msnoop_free(m->snoop);
	free(m->lan_out);
	for (int i = 0; i < 2; i++) {
		struct mtxb *b = i ? m->txs : m->txr;
		if (b) {
			medium_tx_done(m, b, 0);
			free(b->free);
			free(b);
		}
	}
	free(m->rx_buf);
	free(m->links);
	free(m->nodes);
	free(m->ports);
	free(m->port_of_iface);
	free(m);
}

