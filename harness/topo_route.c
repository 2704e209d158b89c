/* topo_route.c — routes: the ones written in nodes (resolved to a gateway
 * address and an interface), and routing = "auto": per family, every node
 * gets a route to every subnet it is not on, via the next hop of a shortest
 * path whose transit nodes forward; a non-forwarding node on one link gets
 * a default route via the first forwarding node there; a station gets a
 * default route via its cell's access point. */
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

static const int families[] = { AF_INET, AF_INET6 };

static const struct topo_prefix *subnet_of(const struct topo *t, int link, int family)
{
	if (link < 0)
		return NULL;
	const struct topo_link *l = &t->links[link];
	const struct topo_prefix *p = family == AF_INET ? &l->subnet4 : &l->subnet6;
	return p->family ? p : NULL;
}

static const struct topo_prefix *addr_of(const struct topo_iface *f, int family)
{
	const struct topo_prefix *p = family == AF_INET ? &f->v4 : &f->v6;
	return p->family ? p : NULL;
}

static void route_push(struct topo_node *n, int *cap, const struct topo_route *r)
{
	n->routes = topo_grow(n->routes, n->n_routes, cap, sizeof *n->routes);
	n->routes[n->n_routes++] = *r;
}

static bool prefix_eq(const struct topo_prefix *a, const struct topo_prefix *b)
{
	int n = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && a->plen == b->plen && !memcmp(a->addr, b->addr, (size_t)n);
}

/* ---- explicit routes ---- */

static int iface_by_name(const struct topo *t, const struct topo_node *n, const char *name)
{
	for (int i = 0; i < n->n_ifaces; i++)
		if (!strcmp(t->ifaces[n->ifaces[i]].name, name))
			return n->ifaces[i];
	return -1;
}

/* dst for family: "default" or the prefix (already checked) */
static void route_dst(struct topo_prefix *dst, const struct topo_prefix *to, int family)
{
	if (to)
		*dst = *to;
	else
		topo_addr_set(dst, family, 0, 0);
}

static bool explicit_one(struct topo_ld *ld, int ni, const struct topo_raw_route *rr, int *cap)
{
	struct topo *t = ld->t;
	struct topo_node *n = &t->nodes[ni];
	int line = rr->line;
	struct topo_prefix to, via;
	bool is_default = !strcmp(rr->to, "default");
	if (!is_default) {
		if (!strchr(rr->to, '/') || !topo_parse_prefix(rr->to, &to))
			return topo_ld_err(ld, line, "node '%s': route to \"%s\": expected \"default\" "
					   "or a prefix like \"10.1.0.0/16\"", n->name, rr->to);
		struct topo_prefix net;
		int hb = topo_family_bits(to.family) - to.plen;
		topo_u128 v = hb >= 128 ? 0 : topo_addr_u128(&to) & ~(((topo_u128)1 << hb) - 1);
		topo_addr_set(&net, to.family, v, to.plen);
		if (!prefix_eq(&net, &to))
			return topo_ld_err(ld, line, "node '%s': route to \"%s\" has host bits set",
					   n->name, rr->to);
	}
	int dev = -1;
	if (*rr->dev && (dev = iface_by_name(t, n, rr->dev)) < 0)
		return topo_ld_err(ld, line, "node '%s': route to \"%s\": dev \"%s\" is not one of "
				   "its interfaces", n->name, rr->to, rr->dev);
	int via_node = -1;
	bool via_addr = *rr->via && !strchr(rr->via, '/') && topo_parse_prefix(rr->via, &via);
	if (*rr->via && !via_addr && (via_node = topo_node_find(t, rr->via)) < 0)
		return topo_ld_err(ld, line, "node '%s': route via \"%s\": expected an address or a "
				   "node name", n->name, rr->via);
	int added = 0;
	for (int fi = 0; fi < 2; fi++) {
		int fam = families[fi];
		if (!is_default && to.family != fam)
			continue;
		if (via_addr && via.family != fam)
			continue;
		struct topo_route r = { .automatic = false, .iface = -1 };
		route_dst(&r.dst, is_default ? NULL : &to, fam);
		for (int i = 0; i < n->n_ifaces && r.iface < 0; i++) {
			int ii = n->ifaces[i];
			const struct topo_iface *f = &t->ifaces[ii];
			const struct topo_prefix *sub = subnet_of(t, f->link, fam);
			if ((dev >= 0 && ii != dev) || !sub)
				continue;
			if (via_addr) {
				if (topo_prefix_contains(sub, &via))
					r.iface = ii, r.via = via;
			} else if (via_node >= 0) {
				const struct topo_link *l = &t->links[f->link];
				for (int m = 0; m < l->n_ifaces; m++) {
					const struct topo_iface *g = &t->ifaces[l->ifaces[m]];
					if (g->node == via_node && addr_of(g, fam)) {
						r.iface = ii;
						r.via = *addr_of(g, fam);
						r.via.plen = topo_family_bits(fam);
						break;
					}
				}
			} else {
				r.iface = ii;	/* on-link: no gateway */
			}
		}
		if (r.iface < 0) {
			if (is_default && !via_addr)
				continue;	/* "default" via a node: the families they share */
			return topo_ld_err(ld, line, "node '%s': route to \"%s\" via \"%s\": no "
					   "interface%s%s is on an IPv%d subnet with it", n->name,
					   rr->to, *rr->via ? rr->via : "(none)", dev >= 0 ? " " : "",
					   dev >= 0 ? rr->dev : "", fam == AF_INET ? 4 : 6);
		}
		route_push(n, cap, &r);
		added++;
	}
	if (!added)
		return topo_ld_err(ld, line, "node '%s': route to \"%s\" via \"%s\": no interface of "
				   "it shares a subnet with that gateway", n->name, rr->to,
				   *rr->via ? rr->via : "(none)");
	return true;
}

bool topo_route_explicit(struct topo_ld *ld)
{
	for (int ni = 0; ni < ld->t->n_nodes; ni++) {
		int cap = 0;
		for (int i = 0; i < ld->n_rr[ni]; i++)
			if (!explicit_one(ld, ni, &ld->rr[ni][i], &cap))
				return false;
	}
	return true;
}

/* ---- automatic routes ---- */

struct bfs {
	int *seen_node, *seen_link, stamp;
	int *hop_out, *hop_via;	/* per node: source's interface, first hop's interface */
	int *queue;
};

/* Where the automatic routes of one node go: after its n_written written ones. */
struct emit {
	struct topo_node *n;
	int cap, n_written;
};

static void auto_push(struct emit *e, const struct topo_prefix *dst,
		      const struct topo_prefix *gw, int iface)
{
	for (int i = 0; i < e->n_written; i++)	/* a written route wins */
		if (prefix_eq(&e->n->routes[i].dst, dst))
			return;
	struct topo_route r = { .dst = *dst, .via = *gw, .iface = iface, .automatic = true };
	r.via.plen = topo_family_bits(gw->family);
	route_push(e->n, &e->cap, &r);
}

/* Reaches members of link li (family fam) from a node whose first hop is
 * (out, via); queues the ones that forward. */
static void bfs_reach(struct topo *t, struct bfs *b, int li, int fam, int out, int via,
		      int *tail)
{
	const struct topo_link *l = &t->links[li];
	for (int m = 0; m < l->n_ifaces; m++) {
		const struct topo_iface *g = &t->ifaces[l->ifaces[m]];
		if (b->seen_node[g->node] == b->stamp || !addr_of(g, fam))
			continue;
		b->seen_node[g->node] = b->stamp;
		b->hop_out[g->node] = out >= 0 ? out : via;
		b->hop_via[g->node] = out >= 0 ? via : l->ifaces[m];
		if (t->nodes[g->node].forward)
			b->queue[(*tail)++] = g->node;
	}
}

static void route_bfs(struct topo *t, struct bfs *b, int s, int fam, struct emit *e)
{
	struct topo_node *n = &t->nodes[s];
	int head = 0, tail = 0;
	b->stamp++;
	b->seen_node[s] = b->stamp;
	for (int i = 0; i < n->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[n->ifaces[i]];
		if (f->link >= 0 && addr_of(f, fam))
			b->seen_link[f->link] = b->stamp;
	}
	for (int i = 0; i < n->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[n->ifaces[i]];
		if (f->link >= 0 && addr_of(f, fam))	/* direct neighbours: out = our iface */
			bfs_reach(t, b, f->link, fam, -1, n->ifaces[i], &tail);
	}
	while (head < tail) {
		int x = b->queue[head++];
		const struct topo_node *xn = &t->nodes[x];
		for (int i = 0; i < xn->n_ifaces; i++) {
			const struct topo_iface *f = &t->ifaces[xn->ifaces[i]];
			const struct topo_prefix *sub = subnet_of(t, f->link, fam);
			if (!sub || !addr_of(f, fam) || b->seen_link[f->link] == b->stamp)
				continue;
			b->seen_link[f->link] = b->stamp;
			auto_push(e, sub, addr_of(&t->ifaces[b->hop_via[x]], fam), b->hop_out[x]);
			bfs_reach(t, b, f->link, fam, b->hop_out[x], b->hop_via[x], &tail);
		}
	}
}

/* The station rule and the single-link rule: a default route; returns
 * whether the node is handled. */
static bool route_default(struct topo *t, int s, struct emit *e)
{
	struct topo_node *n = &t->nodes[s];
	int radio = -1, live = 0, one = -1;
	for (int i = 0; i < n->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[n->ifaces[i]];
		if (f->radio && f->link >= 0 && n->addressing)
			radio = n->ifaces[i];
		if (f->link >= 0)
			live++, one = n->ifaces[i];
	}
	if (radio < 0 && (n->forward || live != 1))
		return false;
	int out = radio >= 0 ? radio : one;
	const struct topo_link *l = &t->links[t->ifaces[out].link];
	for (int fi = 0; fi < 2; fi++) {
		int fam = families[fi];
		if (!addr_of(&t->ifaces[out], fam))
			continue;
		struct topo_prefix dst;
		topo_addr_set(&dst, fam, 0, 0);
		for (int m = 0; m < l->n_ifaces; m++) {
			const struct topo_iface *g = &t->ifaces[l->ifaces[m]];
			if (g->node == s || !addr_of(g, fam))
				continue;
			if (radio >= 0 ? m == 0 : t->nodes[g->node].forward) {
				auto_push(e, &dst, addr_of(g, fam), out);
				break;
			}
		}
	}
	return true;
}

/* Drops node s's automatic routes and computes them again. */
static void route_node(struct topo *t, struct bfs *b, int s)
{
	struct topo_node *n = &t->nodes[s];
	int k = 0;
	for (int j = 0; j < n->n_routes; j++)	/* keep the written ones, in order */
		if (!n->routes[j].automatic)
			n->routes[k++] = n->routes[j];
	n->n_routes = k;
	if (!t->auto_routing)
		return;
	/* cap: realloc doubling from here */
	struct emit e = { .n = n, .cap = n->n_routes, .n_written = n->n_routes };
	if (route_default(t, s, &e))
		return;
	for (int fi = 0; fi < 2; fi++)
		route_bfs(t, b, s, families[fi], &e);
}

/* Recomputes the automatic routes of one node (node >= 0) or of all. */
static void route_some(struct topo *t, int node)
{
	struct bfs b = { 0 };
	size_t nn = (size_t)t->n_nodes + 1, nl = (size_t)t->n_links + 1;
	b.seen_node = calloc(nn, sizeof(int));
	b.seen_link = calloc(nl, sizeof(int));
	b.hop_out = calloc(nn, sizeof(int));
	b.hop_via = calloc(nn, sizeof(int));
	b.queue = calloc(nn, sizeof(int));
	if (b.seen_node && b.seen_link && b.hop_out && b.hop_via && b.queue)
		for (int s = node >= 0 ? node : 0; s < (node >= 0 ? node + 1 : t->n_nodes); s++)
			route_node(t, &b, s);
	free(b.seen_node);
	free(b.seen_link);
	free(b.hop_out);
	free(b.hop_via);
	free(b.queue);
}

void topo_route_auto(struct topo *t)
{
	route_some(t, -1);
}

/* A node that does not forward is nobody's transit or gateway: when it
 * moves, only its own routes change. */
void topo_route_after_move(struct topo *t, int node)
{
	route_some(t, t->nodes[node].forward ? -1 : node);
}
