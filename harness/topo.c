/* topo.c — the resolved topology's small services: names, look-ups, freeing,
 * address arithmetic and the loader's shared helpers. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

const char *const topo_link_kind_names[] = {
	[TOPO_P2P] = "link", [TOPO_SEGMENT] = "segment", [TOPO_CELL] = "cell",
};

void *topo_grow(void *arr, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	int ncap = *cap ? *cap * 2 : 4;
	void *p = realloc(arr, (size_t)ncap * elem);
	if (!p) {
		fprintf(stderr, "roam: topology: realloc: out of memory\n");
		abort();
	}
	*cap = ncap;
	return p;
}

char *topo_strdup(const char *s)
{
	char *p = strdup(s);
	if (!p) {
		fprintf(stderr, "roam: topology: strdup: out of memory\n");
		abort();
	}
	return p;
}

bool topo_ld_err(struct topo_ld *ld, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(ld->err, ld->errlen, "%s:%d: %s", ld->file, line, msg);
	else
		snprintf(ld->err, ld->errlen, "%s: %s", ld->file, msg);
	return false;
}

static void kv_free(struct topo_kv *kv, int n)
{
	for (int i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].val);
	}
	free(kv);
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n_nodes; i++) {
		struct topo_node *n = &t->nodes[i];
		free(n->ifaces);
		free(n->routes);
		for (int j = 0; j < n->n_run; j++)
			free(n->run[j]);
		free(n->run);
		kv_free(n->conf, n->n_conf);
	}
	for (int i = 0; i < t->n_links; i++) {
		struct topo_link *l = &t->links[i];
		free(l->ifaces);
		free(l->profile[0]);
		free(l->profile[1]);
	}
	kv_free(t->params, t->n_params);
	free(t->nodes);
	free(t->links);
	free(t->ifaces);
	free(t->file);
	free(t);
}

int topo_node_find(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->n_nodes; i++)
		if (!strcmp(t->nodes[i].name, name))
			return i;
	return -1;
}

int topo_link_find(const struct topo *t, const char *name)
{
	for (int i = 0; i < t->n_links; i++)
		if (!strcmp(t->links[i].name, name))
			return i;
	return -1;
}

/* ---- node name map ---- */

static size_t nmap_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return (size_t)h;
}

void topo_nmap_init(struct topo_nmap *m, const struct topo *t, int n)
{
	m->cap = 16;
	while (m->cap < (size_t)n * 2 + 2)
		m->cap *= 2;
	m->slot = malloc(m->cap * sizeof *m->slot);
	if (!m->slot) {
		fprintf(stderr, "roam: topology: malloc: out of memory\n");
		abort();
	}
	for (size_t i = 0; i < m->cap; i++)
		m->slot[i] = -1;
	m->t = t;
}

int topo_nmap_get(const struct topo_nmap *m, const char *name)
{
	for (size_t i = nmap_hash(name) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		int v = m->slot[i];
		if (v < 0)
			return -1;
		if (!strcmp(m->t->nodes[v].name, name))
			return v;
	}
}

/* The caller sized the map for every node it will put. */
void topo_nmap_put(struct topo_nmap *m, const char *name, int idx)
{
	size_t i = nmap_hash(name) & (m->cap - 1);
	while (m->slot[i] >= 0)
		i = (i + 1) & (m->cap - 1);
	m->slot[i] = idx;
}

void topo_nmap_free(struct topo_nmap *m)
{
	free(m->slot);
	m->slot = NULL;
}

/* ---- address arithmetic ---- */

int topo_family_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

topo_u128 topo_addr_u128(const struct topo_prefix *p)
{
	topo_u128 v = 0;
	int n = p->family == AF_INET ? 4 : 16;
	for (int i = 0; i < n; i++)
		v = (v << 8) | p->addr[i];
	return v;
}

void topo_addr_set(struct topo_prefix *p, int family, topo_u128 v, int plen)
{
	int n = family == AF_INET ? 4 : 16;
	memset(p, 0, sizeof *p);
	p->family = family;
	p->plen = plen;
	for (int i = n - 1; i >= 0; i--) {
		p->addr[i] = (uint8_t)v;
		v >>= 8;
	}
}

topo_u128 topo_prefix_size(const struct topo_prefix *p)
{
	int hb = topo_family_bits(p->family) - p->plen;
	return hb >= 127 ? (topo_u128)1 << 127 : (topo_u128)1 << hb;
}

bool topo_prefix_contains(const struct topo_prefix *net, const struct topo_prefix *a)
{
	if (net->family != a->family)
		return false;
	int hb = topo_family_bits(net->family) - net->plen;
	topo_u128 mask = hb >= 128 ? 0 : ~(((topo_u128)1 << hb) - 1);
	return ((topo_addr_u128(net) ^ topo_addr_u128(a)) & mask) == 0;
}
