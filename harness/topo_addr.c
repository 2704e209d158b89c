/* topo_addr.c — interfaces and addresses: ethN per node in the order links
 * are declared, wlan0 for a station's radio, deterministic MACs; subnets
 * checked for overlap and allocated from the pools; host numbers (p2p 1, 2;
 * segment 1..n; cell AP 1, station 2 + its index among all stations, so it
 * keeps its number when it moves); addresses, overrides, duplicates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

struct span {
	topo_u128 lo, hi;
	int link;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo ? 1 : x->link - y->link;
}

static void iface_mac(const char *node, const char *ifname, uint8_t mac[6])
{
	uint64_t h = 1469598103934665603ull;
	for (const char *s = node; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;	/* separator */
	for (const char *s = ifname; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	mac[0] = 0x02;
	for (int i = 1; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * (i - 1)));
}

static bool build_ifaces(struct topo_ld *ld)
{
	struct topo *t = ld->t;
	int total = 0;
	int *count = calloc((size_t)t->n_nodes + 1, sizeof *count);
	int *eth = calloc((size_t)t->n_nodes + 1, sizeof *eth);
	if (!count || !eth) {
		free(count);
		free(eth);
		return topo_ld_err(ld, 0, "calloc: out of memory");
	}
	for (int li = 0; li < t->n_links; li++) {
		total += ld->rl[li].n_members;
		for (int m = 0; m < ld->rl[li].n_members; m++)
			count[ld->rl[li].members[m]]++;
	}
	t->ifaces = calloc((size_t)total + 1, sizeof *t->ifaces);
	bool ok = t->ifaces != NULL;
	for (int ni = 0; ok && ni < t->n_nodes; ni++) {
		t->nodes[ni].ifaces = calloc((size_t)count[ni] + 1, sizeof(int));
		ok = t->nodes[ni].ifaces != NULL;
	}
	for (int li = 0; ok && li < t->n_links; li++) {
		struct topo_link *l = &t->links[li];
		const struct topo_raw_link *rl = &ld->rl[li];
		l->ifaces = calloc((size_t)rl->n_members + 1, sizeof *l->ifaces);
		if (!(ok = l->ifaces != NULL))
			break;
		for (int m = 0; m < rl->n_members; m++) {
			int ni = rl->members[m], ii = t->n_ifaces++;
			struct topo_node *n = &t->nodes[ni];
			struct topo_iface *f = &t->ifaces[ii];
			f->node = ni;
			f->link = li;
			f->radio = l->kind == TOPO_CELL && m > 0;
			if (f->radio)
				snprintf(f->name, sizeof f->name, "wlan0");
			else
				snprintf(f->name, sizeof f->name, "eth%d", eth[ni]++);
			iface_mac(n->name, f->name, f->mac);
			l->ifaces[l->n_ifaces++] = ii;
			n->ifaces[n->n_ifaces++] = ii;
		}
	}
	free(count);
	free(eth);
	return ok || topo_ld_err(ld, 0, "calloc: out of memory");
}

/* Host numbers by the link's kind: a station's is 2 + its index among all
 * stations in the order the nodes are declared, so it does not depend on
 * which cell lists it. Returns the number of stations. */
static int assign_hosts(struct topo *t)
{
	int k = 0;
	for (int ni = 0; ni < t->n_nodes; ni++) {
		const struct topo_node *n = &t->nodes[ni];
		for (int i = 0; i < n->n_ifaces; i++)
			if (t->ifaces[n->ifaces[i]].radio)
				t->ifaces[n->ifaces[i]].host = 2 + k++;
	}
	for (int li = 0; li < t->n_links; li++) {
		struct topo_link *l = &t->links[li];
		for (int m = 0; m < l->n_ifaces; m++)
			if (!t->ifaces[l->ifaces[m]].radio)
				t->ifaces[l->ifaces[m]].host = m + 1;
	}
	return k;
}

/* Highest host number the link's default numbering uses. */
static long max_host(const struct topo_link *l, int n_stations)
{
	return l->kind == TOPO_CELL ? 1 + n_stations : l->n_ifaces;
}

/* Host bits a subnet needs (v4: network and broadcast are not hosts). */
static int needed_hb(const struct topo_link *l, int family, int n_stations)
{
	if (family == AF_INET6)
		return 64;
	if (l->kind == TOPO_P2P)
		return 2;
	int hb = l->kind == TOPO_CELL ? 8 : 2;
	while (((topo_u128)1 << hb) < (topo_u128)max_host(l, n_stations) + 2)
		hb++;
	return hb;
}

static bool fits(const struct topo_prefix *p, long host)
{
	int hb = topo_family_bits(p->family) - p->plen;
	if (hb >= 64)
		return true;
	topo_u128 n = (topo_u128)1 << hb;
	return p->family == AF_INET ? (topo_u128)host + 2 <= n : (topo_u128)host + 1 <= n;
}

static bool subnets_family(struct topo_ld *ld, int family, int n_stations)
{
	struct topo *t = ld->t;
	const char *key = family == AF_INET ? "subnet4" : "subnet6";
	const struct topo_prefix *pool = family == AF_INET ? &ld->pool4 : &ld->pool6;
	struct span *sp = calloc((size_t)t->n_links + 1, sizeof *sp);
	if (!sp)
		return topo_ld_err(ld, 0, "calloc: out of memory");
	int ns = 0;
	bool ok = true;
	char a[64], b[64];
	for (int li = 0; li < t->n_links; li++) {
		struct topo_link *l = &t->links[li];
		struct topo_prefix *p = family == AF_INET ? &l->subnet4 : &l->subnet6;
		if (!p->family)
			continue;
		long mh = max_host(l, n_stations);
		if (!fits(p, mh)) {
			topo_prefix_str(p, true, a, sizeof a);
			free(sp);
			if (l->kind == TOPO_CELL)
				return topo_ld_err(ld, l->src_line, "cell '%s': %s %s cannot hold all "
						   "stations (host numbers up to %ld: %d stations in "
						   "all cells)", l->name, key, a, mh, n_stations);
			return topo_ld_err(ld, l->src_line, "%s '%s': %s %s cannot hold %ld hosts",
					   topo_link_kind_names[l->kind], l->name, key, a, mh);
		}
		sp[ns].lo = topo_addr_u128(p);
		sp[ns].hi = sp[ns].lo + (topo_prefix_size(p) - 1);
		sp[ns++].link = li;
	}
	qsort(sp, (size_t)ns, sizeof *sp, span_cmp);
	for (int i = 1, top = 0; i < ns && ok; i++) {
		if (sp[i].lo <= sp[top].hi) {
			int x = sp[top].link, y = sp[i].link;
			if (x > y) {
				int tmp = x;
				x = y;
				y = tmp;
			}
			const struct topo_link *lx = &t->links[x], *ly = &t->links[y];
			topo_prefix_str(family == AF_INET ? &lx->subnet4 : &lx->subnet6, true, a, sizeof a);
			topo_prefix_str(family == AF_INET ? &ly->subnet4 : &ly->subnet6, true, b, sizeof b);
			ok = topo_ld_err(ld, ly->src_line, "%s %s of %s '%s' overlaps %s of %s '%s' "
					 "(line %d)", key, b, topo_link_kind_names[ly->kind], ly->name,
					 a, topo_link_kind_names[lx->kind], lx->name, lx->src_line);
		}
		if (sp[i].hi > sp[top].hi)
			top = i;
	}
	/* allocate the rest in declaration order, skipping the explicit ones */
	topo_u128 cursor = topo_addr_u128(pool);
	topo_u128 pool_hi = cursor + (topo_prefix_size(pool) - 1);
	int j = 0;
	for (int li = 0; ok && li < t->n_links; li++) {
		struct topo_link *l = &t->links[li];
		struct topo_prefix *p = family == AF_INET ? &l->subnet4 : &l->subnet6;
		if (p->family)
			continue;
		int hb = needed_hb(l, family, n_stations);
		topo_u128 size = (topo_u128)1 << hb, cur;
		for (;;) {
			cur = (cursor + size - 1) & ~(size - 1);
			while (j < ns && sp[j].hi < cur)
				j++;
			if (j < ns && sp[j].lo <= cur + size - 1) {
				cursor = sp[j].hi + 1;
				continue;
			}
			break;
		}
		if (topo_family_bits(family) - pool->plen < hb || cur < cursor ||
		    cur + size - 1 > pool_hi) {
			topo_prefix_str(pool, true, a, sizeof a);
			ok = topo_ld_err(ld, l->src_line, "%s '%s': pool%d %s has no free /%d left",
					 topo_link_kind_names[l->kind], l->name,
					 family == AF_INET ? 4 : 6, a, topo_family_bits(family) - hb);
			break;
		}
		topo_addr_set(p, family, cur, topo_family_bits(family) - hb);
		cursor = cur + size;
	}
	free(sp);
	return ok;
}

/* The address of host h in subnet p. */
static void host_addr(struct topo_prefix *out, const struct topo_prefix *p, long h)
{
	topo_addr_set(out, p->family, topo_addr_u128(p) + (topo_u128)h, p->plen);
}

static bool addr_in_subnet(struct topo_ld *ld, const struct topo_link *l,
			   const struct topo_node *n, const struct topo_prefix *a,
			   const struct topo_prefix *net)
{
	char as[64], ns[64];
	topo_prefix_str(a, false, as, sizeof as);
	topo_prefix_str(net, true, ns, sizeof ns);
	const char *kind = topo_link_kind_names[l->kind];
	if (!net->family)
		return topo_ld_err(ld, l->src_line, "%s '%s': address %s for '%s' but the link has "
				   "no IPv%d subnet", kind, l->name, as, n->name,
				   a->family == AF_INET ? 4 : 6);
	if (!topo_prefix_contains(net, a))
		return topo_ld_err(ld, l->src_line, "%s '%s': address %s for '%s' is outside its "
				   "subnet %s", kind, l->name, as, n->name, ns);
	topo_u128 off = topo_addr_u128(a) - topo_addr_u128(net);
	if (a->family == AF_INET && (off == 0 || off == topo_prefix_size(net) - 1))
		return topo_ld_err(ld, l->src_line, "%s '%s': address %s for '%s' is the network or "
				   "broadcast address of %s", kind, l->name, as, n->name, ns);
	if (a->family == AF_INET6 && off == 0)
		return topo_ld_err(ld, l->src_line, "%s '%s': address %s for '%s' is the "
				   "subnet-router anycast address of %s", kind, l->name, as, n->name, ns);
	return true;
}

/* Computes iface ii's addresses from its host number and its link's subnets. */
static void iface_address(struct topo *t, int ii)
{
	struct topo_iface *f = &t->ifaces[ii];
	memset(&f->v4, 0, sizeof f->v4);
	memset(&f->v6, 0, sizeof f->v6);
	if (f->link < 0 || (f->radio && !t->nodes[f->node].addressing))
		return;
	const struct topo_link *l = &t->links[f->link];
	if (l->subnet4.family)
		host_addr(&f->v4, &l->subnet4, f->host);
	if (l->subnet6.family)
		host_addr(&f->v6, &l->subnet6, f->host);
}

static bool apply_overrides(struct topo_ld *ld)
{
	struct topo *t = ld->t;
	for (int li = 0; li < t->n_links; li++) {
		const struct topo_link *l = &t->links[li];
		const struct topo_raw_link *rl = &ld->rl[li];
		for (int i = 0; i < rl->n_addrs; i++) {
			const struct topo_raw_addr *ra = &rl->addrs[i];
			const struct topo_node *n = &t->nodes[ra->node];
			int m = ra->member;
			struct topo_iface *f = &t->ifaces[l->ifaces[m]];
			if (f->radio && !n->addressing)
				return topo_ld_err(ld, l->src_line, "cell '%s': addrs for '%s' but its "
						   "addressing is off (a daemon addresses it)",
						   l->name, n->name);
			if (ra->a4.family && !addr_in_subnet(ld, l, n, &ra->a4, &l->subnet4))
				return false;
			if (ra->a6.family && !addr_in_subnet(ld, l, n, &ra->a6, &l->subnet6))
				return false;
			const struct topo_prefix *by = ra->a4.family ? &ra->a4 : &ra->a6;
			const struct topo_prefix *net = ra->a4.family ? &l->subnet4 : &l->subnet6;
			f->host = (int)(uint32_t)(topo_addr_u128(by) - topo_addr_u128(net));
			iface_address(t, l->ifaces[m]);
			if (ra->a4.family)
				f->v4 = ra->a4, f->v4.plen = l->subnet4.plen;
			if (ra->a6.family)
				f->v6 = ra->a6, f->v6.plen = l->subnet6.plen;
			if ((f->v4.family && !addr_in_subnet(ld, l, n, &f->v4, &l->subnet4)) ||
			    (f->v6.family && !addr_in_subnet(ld, l, n, &f->v6, &l->subnet6)))
				return false;
		}
	}
	return true;
}

struct aent {
	topo_u128 a;
	int family, iface;
};

static int aent_cmp(const void *x, const void *y)
{
	const struct aent *a = x, *b = y;
	if (a->family != b->family)
		return a->family - b->family;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->iface - b->iface;
}

static bool check_duplicates(struct topo_ld *ld)
{
	struct topo *t = ld->t;
	struct aent *e = calloc((size_t)t->n_ifaces * 2 + 1, sizeof *e);
	if (!e)
		return topo_ld_err(ld, 0, "calloc: out of memory");
	int n = 0;
	for (int i = 0; i < t->n_ifaces; i++) {
		const struct topo_iface *f = &t->ifaces[i];
		if (f->v4.family)
			e[n++] = (struct aent){ topo_addr_u128(&f->v4), AF_INET, i };
		if (f->v6.family)
			e[n++] = (struct aent){ topo_addr_u128(&f->v6), AF_INET6, i };
	}
	qsort(e, (size_t)n, sizeof *e, aent_cmp);
	bool ok = true;
	for (int i = 1; i < n && ok; i++) {
		if (e[i].family != e[i - 1].family || e[i].a != e[i - 1].a)
			continue;
		const struct topo_iface *x = &t->ifaces[e[i - 1].iface], *y = &t->ifaces[e[i].iface];
		const struct topo_link *lx = &t->links[x->link], *ly = &t->links[y->link];
		char as[64];
		topo_prefix_str(e[i].family == AF_INET ? &y->v4 : &y->v6, false, as, sizeof as);
		ok = topo_ld_err(ld, ly->src_line, "duplicate address %s: '%s' %s on '%s' and '%s' %s "
				 "on '%s' (line %d)", as, t->nodes[y->node].name, y->name, ly->name,
				 t->nodes[x->node].name, x->name, lx->name, lx->src_line);
	}
	free(e);
	return ok;
}

bool topo_addr_build(struct topo_ld *ld)
{
	struct topo *t = ld->t;
	if (!build_ifaces(ld))
		return false;
	int k = assign_hosts(t);
	if (!subnets_family(ld, AF_INET, k) || (ld->ipv6 && !subnets_family(ld, AF_INET6, k)))
		return false;
	for (int i = 0; i < t->n_ifaces; i++)
		iface_address(t, i);
	return apply_overrides(ld) && check_duplicates(ld);
}

int topo_station_move(struct topo *t, int iface, int new_link, char *err, size_t errlen)
{
	if (iface < 0 || iface >= t->n_ifaces || !t->ifaces[iface].radio) {
		snprintf(err, errlen, "station move: interface %d is not a station's radio", iface);
		return -1;
	}
	struct topo_iface *f = &t->ifaces[iface];
	if (new_link >= t->n_links || (new_link >= 0 && t->links[new_link].kind != TOPO_CELL)) {
		snprintf(err, errlen, "station move: '%s' %s: link %d is not a cell",
			 t->nodes[f->node].name, f->name, new_link);
		return -1;
	}
	if (new_link >= 0) {
		const struct topo_link *nl = &t->links[new_link];
		if ((nl->subnet4.family && !fits(&nl->subnet4, f->host)) ||
		    (nl->subnet6.family && !fits(&nl->subnet6, f->host))) {
			snprintf(err, errlen, "station move: cell '%s' cannot hold host number %d "
				 "of '%s'", nl->name, f->host, t->nodes[f->node].name);
			return -1;
		}
	}
	if (f->link == new_link)
		return 0;
	if (f->link >= 0) {
		struct topo_link *ol = &t->links[f->link];
		int m = 0;
		while (m < ol->n_ifaces && ol->ifaces[m] != iface)
			m++;
		if (m < ol->n_ifaces) {
			memmove(&ol->ifaces[m], &ol->ifaces[m + 1],
				(size_t)(ol->n_ifaces - m - 1) * sizeof *ol->ifaces);
			ol->n_ifaces--;
		}
	}
	if (new_link >= 0) {
		struct topo_link *nl = &t->links[new_link];
		int *p = realloc(nl->ifaces, (size_t)(nl->n_ifaces + 1) * sizeof *p);
		if (!p) {
			snprintf(err, errlen, "station move: realloc: out of memory");
			return -1;
		}
		nl->ifaces = p;
		nl->ifaces[nl->n_ifaces++] = iface;
	}
	f->link = new_link;
	iface_address(t, iface);
	topo_route_after_move(t, f->node);
	return 0;
}
