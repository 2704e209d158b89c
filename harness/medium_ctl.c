/* medium_ctl.c — the medium's controls: the command queue the
 * orchestrator posts to (impairment, move, position), the port state they
 * change (admin up/down through libnl, radio quality) and the counters. */
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "evlog.h"
#include "medium_int.h"

/* Admin state of the fabric end: the node end sees carrier follow it. */
int medium_port_admin(struct medium *m, struct mport *p, bool up)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int r = -ENOMEM;
	if (orig && chg) {
		rtnl_link_set_ifindex(orig, p->ifindex);
		if (up)
			rtnl_link_set_flags(chg, IFF_UP);
		else
			rtnl_link_unset_flags(chg, IFF_UP);
		r = rtnl_link_change(m->nl, orig, chg, 0);
		if (r < 0)
			fprintf(stderr, "medium: rtnl_link_change(%s %s): %s\n", p->name,
				up ? "up" : "down", nl_geterror(r));
	}
	rtnl_link_put(orig);
	rtnl_link_put(chg);
	return r;
}

void medium_port_radio(struct medium *m, struct mport *p)
{
	p->rq = (struct radio_q){ .in_range = true };
	if (!p->radio || p->link < 0 || m->links[p->link].kind != TOPO_CELL)
		return;
	const struct mnode *n = &m->nodes[p->node];
	if (!n->has_pos)
		return;
	const struct topo_radio *r = &m->links[p->link].radio;
	radio_eval(r, hypot(n->x - r->x, n->y - r->y), &p->rq);
}

void medium_port_sync(struct medium *m, struct mport *p, const char *why, double gap)
{
	bool want = p->attached && p->rq.in_range;
	if (want == p->up)
		return;
	medium_port_admin(m, p, want);
	p->up = want;
	const char *cell = p->link >= 0 ? m->links[p->link].name : "";
	char sb[2 * TOPO_NAME_MAX], cb[2 * TOPO_NAME_MAX], ib[2 * TOPO_NAME_MAX];
	json_esc(p->node_name, sb, sizeof(sb));
	json_esc(cell, cb, sizeof(cb));
	json_esc(p->name, ib, sizeof(ib));
	if (want && gap >= 0)
		evlog("l2_up", "\"station\":\"%s\",\"iface\":\"%s\",\"cell\":\"%s\",\"reason\":\"%s\",\"gap\":%.6f",
		      sb, ib, cb, why, gap);
	else
		evlog(want ? "l2_up" : "l2_down",
		      "\"station\":\"%s\",\"iface\":\"%s\",\"cell\":\"%s\",\"reason\":\"%s\"",
		      sb, ib, cb, why);
}

static int medium_cmd_post(struct medium *m, const struct mcmd *c)
{
	struct mcmd *n = malloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	*n = *c;
	n->next = NULL;
	pthread_mutex_lock(&m->cmd_mu);
	if (m->cmd_tail)
		m->cmd_tail->next = n;
	else
		m->cmd_head = n;
	m->cmd_tail = n;
	pthread_mutex_unlock(&m->cmd_mu);
	uint64_t one = 1;
	if (write(m->evfd, &one, sizeof(one)) < 0)
		return -errno;
	return 0;
}

int medium_link_set(struct medium *m, int link, int dir, const struct topo_impair *imp)
{
	if (link < 0 || link >= m->n_links || dir < -1 || dir > 1 || !imp)
		return -EINVAL;
	struct mcmd c = { .kind = MCMD_SET, .link = link, .dir = dir, .imp = *imp };
	return medium_cmd_post(m, &c);
}

int medium_move(struct medium *m, int iface, int new_link, double gap)
{
	if (iface < 0 || iface >= m->n_ifaces || m->port_of_iface[iface] < 0 ||
	    new_link < 0 || new_link >= m->n_links)
		return -EINVAL;
	struct mcmd c = { .kind = MCMD_MOVE, .iface = iface, .link = new_link, .gap = gap };
	return medium_cmd_post(m, &c);
}

int medium_position(struct medium *m, int node, double x, double y)
{
	if (node < 0 || node >= m->n_nodes)
		return -EINVAL;
	struct mcmd c = { .kind = MCMD_POS, .node = node, .x = x, .y = y };
	return medium_cmd_post(m, &c);
}

static void medium_cmd_set(struct medium *m, const struct mcmd *c)
{
	for (int d = 0; d < 2; d++)
		if (c->dir < 0 || c->dir == d)
			imp_dir_set(&m->links[c->link].dir[d], &c->imp);
}

/* Carrier down now; the attach event brings it up in the new cell. */
static void medium_cmd_move(struct medium *m, const struct mcmd *c)
{
	int pi = m->port_of_iface[c->iface];
	struct mport *p = &m->ports[pi];
	struct mlink *nl = &m->links[c->link];
	double gap = c->gap >= 0 ? c->gap : nl->radio.handoff_gap;
	if (gap < 0)
		gap = 0;
	if (p->attached) {
		p->attached = false;
		medium_port_sync(m, p, "move", -1);
		medium_link_detach(&m->links[p->link], pi);
	}
	p->link = c->link;	/* where it will attach; detached until then */
	int64_t at = medium_mono_ns() + (int64_t)(gap * 1e9 + 0.5);
	struct mattach *a = malloc(sizeof(*a));
	if (a)
		*a = (struct mattach){ .gap = gap, .gen = ++p->move_gen };
	if (!a || !mheap_push(&m->heap, at, MEV_ATTACH, pi, a))
		free(a);
}

static void medium_cmd_pos(struct medium *m, const struct mcmd *c)
{
	struct mnode *n = &m->nodes[c->node];
	n->x = c->x;
	n->y = c->y;
	n->has_pos = true;
	for (int i = 0; i < n->n_ports; i++) {
		struct mport *p = &m->ports[n->ports[i]];
		medium_port_radio(m, p);
		medium_port_sync(m, p, "range", -1);
	}
}

void medium_cmds_run(struct medium *m)
{
	pthread_mutex_lock(&m->cmd_mu);
	struct mcmd *c = m->cmd_head;
	m->cmd_head = m->cmd_tail = NULL;
	pthread_mutex_unlock(&m->cmd_mu);
	static void (*const run[])(struct medium *, const struct mcmd *) = {
		[MCMD_SET] = medium_cmd_set,
		[MCMD_MOVE] = medium_cmd_move,
		[MCMD_POS] = medium_cmd_pos,
	};
	while (c) {
		struct mcmd *n = c->next;
		run[c->kind](m, c);
		free(c);
		c = n;
	}
}

void medium_link_stats(struct medium *m, int link, struct medium_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (link < 0 || link >= m->n_links)
		return;
	struct mlink *l = &m->links[link];
	st->rx = atomic_load_explicit(&l->rx, memory_order_relaxed);
	st->tx = atomic_load_explicit(&l->tx, memory_order_relaxed);
	st->drop_loss = atomic_load_explicit(&l->drop_loss, memory_order_relaxed);
	st->drop_range = atomic_load_explicit(&l->drop_range, memory_order_relaxed);
	st->drop_queue = atomic_load_explicit(&l->drop_queue, memory_order_relaxed);
	st->dup = atomic_load_explicit(&l->dup, memory_order_relaxed);
	st->reordered = atomic_load_explicit(&l->reordered, memory_order_relaxed);
}
