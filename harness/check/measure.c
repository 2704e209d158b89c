/* measure.c — per-flow figures of roam traffic measured from the captures in
 * the one pass, as the receiver would count them (docs/checks.md):
 *  - a frame is delivered when it is captured on the link its receiver is
 *    attached to when the frame reaches it (capture time + the link's delay
 *    towards the receiver; attachment from the l2_down / l2_up events),
 *    addressed to the receiver's MAC and, for a station, to an address valid
 *    on that link (an IPv6 destination in the link's prefix, an IPv4 one in
 *    its subnet or the home address): a frame to a stale care-of address is
 *    not a delivery;
 *  - loss, duplicates and reordering as roam-traffic's flow-N.json counts
 *    them (lost = highest delivered + 1 - delivered), one-way delay at
 *    delivery, jitter per second.
 * The lookups a frame needs (MAC -> node, attachment, handoff) are binary
 * searches over tables built once in ck_meas_init. Handoff phases and the
 * per-handoff split are in measure_ho.c. Times are realtime seconds. */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check_int.h"
#include "measure_int.h"

#define CK_SEQ_MAX (1u << 26)

/* Flows by id: open addressing over m->fslot (flow index + 1, 0 empty). */
static size_t ck_fslot(const struct ck_meas *m, uint32_t id)
{
	size_t mask = m->n_fslot - 1, i = (id * 2654435761u) & mask;
	while (m->fslot[i] && m->flows[m->fslot[i] - 1].id != id)
		i = (i + 1) & mask;
	return i;
}

static void ck_fslot_grow(struct ck_meas *m)
{
	size_t n = m->n_fslot ? 2 * m->n_fslot : 64;
	free(m->fslot);
	m->fslot = calloc(n, sizeof *m->fslot);
	m->n_fslot = n;
	for (int k = 0; k < m->n_flows; k++)
		m->fslot[ck_fslot(m, m->flows[k].id)] = k + 1;
}

int ck_flow_find(struct ck_meas *m, uint32_t id, bool add)
{
	if (m->n_fslot) {
		size_t i = ck_fslot(m, id);
		if (m->fslot[i])
			return m->fslot[i] - 1;
	}
	if (!add)
		return -1;
	ck_room(&m->flows, m->n_flows, sizeof *m->flows);
	struct ck_flow *f = &m->flows[m->n_flows];
	memset(f, 0, sizeof *f);
	f->id = id;
	f->recv_node = f->send_node = -1;
	f->first_link = -1;
	f->station = -1;
	f->d_min = INFINITY;
	f->t_first = f->t_last = -1;
	m->n_flows++;
	if ((size_t)m->n_flows * 2 > m->n_fslot)
		ck_fslot_grow(m);
	else
		m->fslot[ck_fslot(m, id)] = m->n_flows;
	return m->n_flows - 1;
}

static int ck_mac_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 6);
}

int ck_meas_mac(const struct ck_meas *m, const uint8_t *mac)
{
	const struct ck_macn *x = m->n_macs ? bsearch(mac, m->macs, (size_t)m->n_macs, sizeof *m->macs,
						      ck_mac_cmp) : NULL;
	return x ? x->node : -1;
}

/* Station of node n, or -1. */
int ck_meas_station(const struct ck_meas *m, int n)
{
	return n >= 0 && n < m->n_nodes ? m->node_st[n] : -1;
}

static int ck_station_add(struct ck_meas *m, int node)
{
	if (node < 0 || node >= m->n_nodes)
		return -1;
	if (m->node_st[node] >= 0)
		return m->node_st[node];
	ck_room(&m->st, m->n_st, sizeof *m->st);
	memset(&m->st[m->n_st], 0, sizeof *m->st);
	m->st[m->n_st].node = node;
	m->st[m->n_st].t_down = -INFINITY;
	return m->node_st[node] = m->n_st++;
}

static void ck_att_add(struct ck_station *s, double t, int link)
{
	ck_room(&s->att, s->n_att, sizeof *s->att);
	s->att[s->n_att++] = (struct ck_att){ t, link };
}

/* The link station s is attached to at t (-1 none, -2 not a station). */
int ck_meas_attached(const struct ck_meas *m, int s, double t)
{
	if (s < 0)
		return -2;
	const struct ck_station *x = &m->st[s];
	int lo = 0, hi = x->n_att;	/* first entry with att.t > t */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (x->att[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? x->att[lo - 1].link : -2;
}

/* The delay of link towards node at t: the topology's, or the last
 * link:set of that direction before t. */
double ck_meas_delay(const struct ck_meas *m, int link, int node, double t)
{
	if (link < 0 || link >= m->n_lq || !m->lq[link].known)
		return 0;
	const struct ck_linkq *q = &m->lq[link];
	int dir = node == q->end[0] ? 1 : 0;
	int lo = 0, hi = q->n_set;	/* first change after t */
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (q->set[mid].t <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo - 1; i >= 0 && i >= lo - 4; i--)	/* both directions log together */
		if (q->set[i].dir == dir)
			return q->set[i].delay;
	return q->delay[dir];
}

static void ck_meas_link_sets(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e)
{
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		const char *name = ck_ev_str(ev, "link");
		int l = name && !strcmp(ev->type, "link_set") ? ck_map_link_find(map, name) : -1;
		if (l < 0 || !m->lq[l].known)
			continue;
		struct ck_linkq *q = &m->lq[l];
		ck_room(&q->set, q->n_set, sizeof *q->set);
		q->set[q->n_set++] = (struct ck_dset){ ev->ts, ck_ev_num(ev, "delay", 0),
						       (int)ck_ev_num(ev, "dir", 0) };
	}
}

static void ck_meas_tables(struct ck_meas *m, const struct ck_map *map)
{
	m->n_nodes = map->n_nodes;
	m->node_st = malloc(((size_t)map->n_nodes + 1) * sizeof *m->node_st);
	for (int i = 0; i < map->n_nodes; i++)
		m->node_st[i] = -1;
	m->macs = calloc((size_t)map->n_addrs + 1, sizeof *m->macs);
	for (int i = 0; i < map->n_addrs; i++)
		if (map->addrs[i].fam == 'm') {
			memcpy(m->macs[m->n_macs].mac, map->addrs[i].a, 6);
			m->macs[m->n_macs++].node = map->addrs[i].node;
		}
	qsort(m->macs, (size_t)m->n_macs, sizeof *m->macs, ck_mac_cmp);
	m->n_lq = map->n_links;
	m->lq = calloc((size_t)map->n_links + 1, sizeof *m->lq);
	for (int i = 0; i < map->n_links; i++)
		for (int k = 0; k < map->n_tlinks; k++) {
			const struct ck_tlink *t = &map->tlinks[k];
			if (strcmp(t->name, map->links[i]))
				continue;
			struct ck_linkq *q = &m->lq[i];
			q->known = true;
			q->cell = t->cell;
			memcpy(q->end, t->end, sizeof q->end);
			memcpy(q->delay, t->delay, sizeof q->delay);
			memcpy(q->s4, t->s4, 4);
			memcpy(q->s6, t->s6, 16);
			q->p4 = t->p4;
			q->p6 = t->p6;
		}
}

/* The attachment timeline of every station that has l2 events: from -inf on
 * the cell of its first l2_down (or the "from" of its first move). The
 * medium detaches a moved station before it takes its carrier down and logs
 * l2_down (a netlink call that takes up to hundreds of ms on a loaded
 * machine): a move's detachment counts from the move event before it. */
static void ck_meas_stations(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e)
{
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		bool down = !strcmp(ev->type, "l2_down"), up = !strcmp(ev->type, "l2_up");
		bool move = !strcmp(ev->type, "move");
		const char *name = ck_ev_str(ev, "station");
		if ((!down && !up && !move) || !name)
			continue;
		int s = ck_station_add(m, ck_map_node_find(map, name));
		if (s < 0)
			continue;
		struct ck_station *x = &m->st[s];
		const char *cell = move ? ck_ev_str(ev, "from") : ck_ev_str(ev, "cell");
		if (x->n_att == 0)
			ck_att_add(x, -INFINITY, up ? -1 : cell ? ck_map_link_find(map, cell) : -1);
		/* the scenario and the orchestrator both log a move, the second
		 * possibly after its l2_down */
		if (move && !x->moving && !(ev->ts - x->t_down < 0.5)) {
			x->moving = true;
			x->t_move = ev->ts;
		}
		if (down) {
			const char *why = ck_ev_str(ev, "reason");
			bool moved = x->moving && why && !strcmp(why, "move") && ev->ts - x->t_move < 2;
			ck_att_add(x, moved ? x->t_move : ev->ts, -1);
			x->moving = false;
			x->t_down = ev->ts;
		}
		else if (up)
			ck_att_add(x, ev->ts, cell ? ck_map_link_find(map, cell) : -1);
	}
}

static const char *ck_conf_get(const struct ck_node *n, const char *key)
{
	for (int i = 0; i < n->n_conf; i++)
		if (!strcmp(n->conf[i].key, key))
			return n->conf[i].str;
	return NULL;
}

/* Which end of each flow moves, and the receiver's IPv4 home address. */
static void ck_meas_flow_ends(struct ck_meas *m, const struct ck_map *map)
{
	for (int i = 0; i < m->n_flows; i++) {
		struct ck_flow *fl = &m->flows[i];
		int r = ck_meas_station(m, fl->recv_node), s = ck_meas_station(m, fl->send_node);
		fl->down = r >= 0;
		fl->station = r >= 0 ? r : s;
		const char *h = fl->recv_node >= 0 ? ck_conf_get(&map->nodes[fl->recv_node], "home_addr") : NULL;
		fl->have_home4 = h && inet_pton(AF_INET, h, fl->home4) == 1;
	}
}

void ck_meas_init(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e)
{
	memset(m, 0, sizeof *m);
	m->ts_first = -1;
	ck_meas_tables(m, map);
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		if (!strcmp(ev->type, "run_start") && m->t0 == 0)
			m->t0 = ev->ts - ev->t;
		if (!strcmp(ev->type, "flow_start")) {
			int k = ck_flow_find(m, (uint32_t)ck_ev_num(ev, "id", 0), true);
			const char *to = ck_ev_str(ev, "to"), *from = ck_ev_str(ev, "from");
			if (to)
				m->flows[k].recv_node = ck_map_node_find(map, to);
			if (from)
				m->flows[k].send_node = ck_map_node_find(map, from);
		}
	}
	if (m->t0 == 0 && e->n)
		m->t0 = e->ev[0].ts - e->ev[0].t;
	ck_meas_stations(m, map, e);
	ck_meas_link_sets(m, map, e);
	ck_meas_flow_ends(m, map);
	ck_ho_init(m, map, e);
}

const struct dec_field *ck_ix(const struct dec_record *r, const struct ck_index *ix,
			      unsigned id, unsigned depth)
{
	uint16_t at = ix->first[depth][id];
	return at == 0xffff ? NULL : &r->f[at];
}

/* The innermost traffic payload of the record: depth, or -1. */
static int ck_traffic_depth(const struct ck_index *ix)
{
	for (int d = DEC_MAX_DEPTH - 1; d >= 0; d--)
		if (ix->first[d][DEC_F_TRAFFIC_FLOW] != 0xffff)
			return d;
	return -1;
}

static bool ck_in_prefix(const uint8_t *a, const uint8_t *p, int plen)
{
	int bytes = plen / 8, bits = plen % 8;
	if (memcmp(a, p, (size_t)bytes))
		return false;
	return !bits || ((a[bytes] ^ p[bytes]) & (0xff << (8 - bits))) == 0;
}

/* A station takes a frame on its link only for an address valid there: the
 * outer destination in the link's prefix (its care-of or home address at
 * home), or for IPv4 its home address (delivered by a foreign agent). */
static bool ck_addr_valid(const struct ck_meas *m, const struct ck_flow *fl, int link,
			  const struct dec_record *r, const struct ck_index *ix)
{
	const struct ck_linkq *q = link >= 0 && link < m->n_lq ? &m->lq[link] : NULL;
	const struct dec_field *a;
	if (!q || !q->known)
		return true;
	if ((a = ck_ix(r, ix, DEC_F_IP6_DST, 0)))
		return q->p6 < 0 || ck_in_prefix(a->v.p, q->s6, q->p6);
	if ((a = ck_ix(r, ix, DEC_F_IP_DST, 0)))
		return q->p4 < 0 || ck_in_prefix(a->v.p, q->s4, q->p4) ||
		       (fl->have_home4 && !memcmp(a->v.p, fl->home4, 4));
	return false;
}

/* Delivery time of the frame to the flow's receiver, or -1: not delivered. */
static double ck_delivery(const struct ck_meas *m, const struct ck_map *map, const struct ck_flow *fl,
			  const struct ck_frame *f, const struct dec_record *r, const struct ck_index *ix,
			  int dst_node, int depth)
{
	double ts = f->ts_ns / 1e9;
	if (fl->recv_node < 0)
		return f->link == fl->first_link ? ts : -1;
	if (m->n_macs && ck_ix(r, ix, DEC_F_ETH_DST, 0)) {
		if (dst_node != fl->recv_node)
			return -1;
	} else {			/* no link layer known: the innermost destination */
		const struct dec_field *a = ck_ix(r, ix, DEC_F_IP6_DST, (unsigned)depth);
		const struct dec_field *b = ck_ix(r, ix, DEC_F_IP_DST, (unsigned)depth);
		int n = a ? ck_map_node(map, 6, a->v.p) : b ? ck_map_node(map, 4, b->v.p) : -1;
		if (n != fl->recv_node)
			return -1;
	}
	double t = ts + ck_meas_delay(m, f->link, fl->recv_node, ts);
	int s = ck_meas_station(m, fl->recv_node);
	if (s >= 0) {
		int at = ck_meas_attached(m, s, t);
		if (at != -2 && at != f->link)
			return -1;		/* it had left that link, or was on none */
		if (!ck_addr_valid(m, fl, f->link, r, ix))
			return -1;		/* a stale care-of address */
	}
	return t;
}

/* Room for element n of an array of n elements of elem bytes each: the
 * capacity doubles when n reaches a power of two, so n appends cost O(n).
 * Out of memory ends the check (exit 3: the environment). */
void ck_room(void *pp, int n, size_t elem)
{
	void **p = pp;
	if (n > 0 && (n & (n - 1)))
		return;
	size_t cap = n ? 2 * (size_t)n : 1;
	void *q = realloc(*p, cap * elem);
	if (!q) {
		fprintf(stderr, "roam check: out of memory (%zu bytes for the measurements)\n", cap * elem);
		exit(3);
	}
	*p = q;
}

static void ck_grow(void **p, size_t *len, size_t need, size_t elem)
{
	size_t n = *len ? *len : 1024;
	while (n <= need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q) {
		fprintf(stderr, "roam check: out of memory (%zu bytes for the flow counts)\n", n * elem);
		exit(3);
	}
	*p = q;
	memset((uint8_t *)*p + *len * elem, 0, (n - *len) * elem);
	*len = n;
}

static bool ck_flow_deliver(struct ck_meas *m, struct ck_flow *fl, uint32_t seq, double ts, double sent)
{
	if (seq >= fl->cnt_len)
		ck_grow((void **)&fl->cnt, &fl->cnt_len, seq, 1);
	if (fl->cnt[seq]) {
		fl->dups++;
		if (fl->cnt[seq] < 255)
			fl->cnt[seq]++;
		return false;
	}
	fl->cnt[seq] = 1;
	fl->delivered++;
	if (fl->any && seq < fl->max_seq)
		fl->reordered++;
	if (!fl->any || seq > fl->max_seq)
		fl->max_seq = seq;
	double d = ts - sent;
	if (d < fl->d_min) fl->d_min = d;
	if (!fl->any || d > fl->d_max) fl->d_max = d;
	fl->d_sum += d;
	if (fl->any)
		fl->jitter += (fabs(d - fl->last_delay) - fl->jitter) / 16.0;
	fl->last_delay = d;
	fl->any = true;
	double rel = ts - m->t0;
	if (fl->t_first < 0)
		fl->t_first = rel;
	fl->t_last = rel;
	size_t b = rel < 0 ? 0 : (size_t)rel;
	if (b < 86400) {
		if (b >= fl->n_bins) {
			fl->bins = realloc(fl->bins, (b + 1) * sizeof *fl->bins);
			memset(fl->bins + fl->n_bins, 0, (b + 1 - fl->n_bins) * sizeof *fl->bins);
			fl->n_bins = b + 1;
		}
		fl->bins[b].n++;
		fl->bins[b].dsum += d;
		fl->bins[b].jitter = fl->jitter;
	}
	return true;
}

static void ck_flow_frame(struct ck_meas *m, const struct ck_map *map, const struct ck_frame *f,
			  const struct dec_record *r, const struct ck_index *ix, int depth, int dst_node)
{
	uint32_t id = (uint32_t)ck_ix(r, ix, DEC_F_TRAFFIC_FLOW, (unsigned)depth)->v.u;
	int k = ck_flow_find(m, id, true);
	struct ck_flow *fl = &m->flows[k];
	const struct dec_field *sq = ck_ix(r, ix, DEC_F_TRAFFIC_SEQ, (unsigned)depth);
	const struct dec_field *st = ck_ix(r, ix, DEC_F_TRAFFIC_SENT, (unsigned)depth);

	fl->frames++;
	if (fl->first_link < 0)
		fl->first_link = f->link;
	if (fl->recv_node < 0 && fl->frames == 1) {
		const struct dec_field *a = ck_ix(r, ix, DEC_F_IP6_DST, (unsigned)depth);
		const struct dec_field *b = ck_ix(r, ix, DEC_F_IP_DST, (unsigned)depth);
		fl->recv_node = a ? ck_map_node(map, 6, a->v.p) : b ? ck_map_node(map, 4, b->v.p) : -1;
	}
	if (!sq || !st || sq->v.u >= CK_SEQ_MAX)
		return;
	uint32_t seq = (uint32_t)sq->v.u;
	double sent = st->v.u / 1e9;
	if (seq >= fl->sent_len)
		ck_grow((void **)&fl->sent, &fl->sent_len, seq, sizeof *fl->sent);
	if (fl->sent[seq] == 0)
		fl->sent[seq] = sent;
	if (!fl->seen || seq > fl->max_seen)
		fl->max_seen = seq;
	fl->seen = true;
	double t = ck_delivery(m, map, fl, f, r, ix, dst_node, depth);
	if (t >= 0 && ck_flow_deliver(m, fl, seq, t, sent))
		ck_ho_delivery(m, k, seq, t, sent);
}

void ck_meas_frame(struct ck_meas *m, const struct ck_map *map, const struct ck_frame *f,
		   const struct dec_record *r, const struct ck_index *ix)
{
	double ts = f->ts_ns / 1e9;
	const struct dec_field *e;

	m->frames++;
	m->bytes += f->wirelen;
	m->by_verdict[r->verdict & 3]++;
	if (m->ts_first < 0) {
		m->ts_first = ts;
		if (m->t0 == 0)
			m->t0 = ts;
	}
	m->ts_last = ts;
	int src = (e = ck_ix(r, ix, DEC_F_ETH_SRC, 0)) && e->len == 6 ? ck_meas_mac(m, e->v.p) : -1;
	int dst = (e = ck_ix(r, ix, DEC_F_ETH_DST, 0)) && e->len == 6 ? ck_meas_mac(m, e->v.p) : -1;
	bool mcast = e && e->len == 6 && (e->v.p[0] & 1);
	int d = ck_traffic_depth(ix);
	if (d >= 0)
		ck_flow_frame(m, map, f, r, ix, d, dst);
	ck_ho_frame(m, f, r, ix, src, dst, mcast);
}

uint64_t ck_flow_lost(const struct ck_flow *fl)
{
	return fl->any ? (uint64_t)fl->max_seq + 1 - fl->delivered : 0;
}

void ck_meas_free(struct ck_meas *m)
{
	for (int i = 0; i < m->n_flows; i++) {
		free(m->flows[i].cnt);
		free(m->flows[i].sent);
		free(m->flows[i].bins);
	}
	free(m->flows);
	free(m->fslot);
	for (int i = 0; i < m->n_ho; i++) {
		free(m->ho[i].hf);
		free(m->ho[i].sig);
	}
	free(m->ho);
	for (int i = 0; i < m->n_st; i++) {
		free(m->st[i].att);
		free(m->st[i].ho);
	}
	free(m->st);
	free(m->node_st);
	for (int i = 0; i < m->n_lq; i++)
		free(m->lq[i].set);
	free(m->lq);
	free(m->macs);
	memset(m, 0, sizeof *m);
}
