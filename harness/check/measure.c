/* measure.c — figures measured from the captures during the one pass:
 * per flow of roam traffic (loss, duplicates, reordering, one-way delay,
 * jitter per second) and per handoff (a "move" event): latency from l2_down
 * to the first packet of each flow on the new path, split into L2 gap,
 * movement detection, address configuration, registration round trip and
 * route optimisation where the captures show them; packets lost; signalling
 * bytes. Times are realtime seconds (the captures' clock); -1 is absent. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check_int.h"

#define CK_SEQ_MAX (1u << 26)

static int ck_flow_find(struct ck_meas *m, uint32_t id, bool add)
{
	static int last;

	if (last < m->n_flows && m->flows[last].id == id)
		return last;
	for (int i = 0; i < m->n_flows; i++)
		if (m->flows[i].id == id)
			return last = i;
	if (!add)
		return -1;
	m->flows = realloc(m->flows, (size_t)(m->n_flows + 1) * sizeof *m->flows);
	struct ck_flow *f = &m->flows[m->n_flows];
	memset(f, 0, sizeof *f);
	f->id = id;
	f->recv_node = -1;
	f->first_link = -1;
	f->d_min = INFINITY;
	f->t_first = f->t_last = -1;
	return last = m->n_flows++;
}

void ck_meas_init(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e)
{
	memset(m, 0, sizeof *m);
	m->ts_first = -1;
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		if (!strcmp(ev->type, "run_start") && m->t0 == 0)
			m->t0 = ev->ts - ev->t;
		if (!strcmp(ev->type, "flow_start")) {
			int k = ck_flow_find(m, (uint32_t)ck_ev_num(ev, "id", 0), true);
			const char *to = ck_ev_str(ev, "to");
			if (to)
				m->flows[k].recv_node = ck_map_node_find(map, to);
		}
	}
	if (m->t0 == 0 && e->n)
		m->t0 = e->ev[0].ts - e->ev[0].t;
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		if (strcmp(ev->type, "move"))
			continue;
		const char *st0 = ck_ev_str(ev, "station"), *to0 = ck_ev_str(ev, "to");
		if (!to0)
			to0 = ck_ev_str(ev, "cell");
		bool dup = false;	/* the scenario and the orchestrator may both log a move */
		for (int k = 0; k < m->n_ho && !dup; k++)
			dup = st0 && to0 && !strcmp(m->ho[k].station, st0) && !strcmp(m->ho[k].to, to0) &&
			      fabs(m->ho[k].t_move - ev->ts) < 0.5;
		if (dup)
			continue;
		m->ho = realloc(m->ho, (size_t)(m->n_ho + 1) * sizeof *m->ho);
		struct ck_handoff *h = &m->ho[m->n_ho++];
		memset(h, 0, sizeof *h);
		const char *st = ck_ev_str(ev, "station"), *to = ck_ev_str(ev, "to");
		if (!to)
			to = ck_ev_str(ev, "cell");
		snprintf(h->station, sizeof h->station, "%s", st ? st : "?");
		snprintf(h->from, sizeof h->from, "%s", ck_ev_str(ev, "from") ? ck_ev_str(ev, "from") : "");
		snprintf(h->to, sizeof h->to, "%s", to ? to : "?");
		h->node = ck_map_node_find(map, h->station);
		h->link = ck_map_link_find(map, h->to);
		h->t_move = h->t_down = ev->ts;
		h->t_up = h->t_detect = h->t_reg = h->t_reg_reply = -1;
		h->t_ro = h->t_ro_done = h->t_first = h->t_end = -1;
		/* its l2_down and l2_up: the first after the move, before the next move */
		for (int k = i + 1; k < e->n; k++) {
			const struct ck_event *x = &e->ev[k];
			const char *xs = ck_ev_str(x, "station");
			if (!strcmp(x->type, "move") && xs && !strcmp(xs, h->station) &&
			    fabs(x->ts - h->t_move) >= 0.5)
				break;
			if (!xs || strcmp(xs, h->station))
				continue;
			if (!strcmp(x->type, "l2_down") && !h->have_down) {
				h->t_down = x->ts;
				h->have_down = true;
			} else if (!strcmp(x->type, "l2_up") && h->t_up < 0) {
				h->t_up = x->ts;
			}
		}
	}
}

static const struct dec_field *ck_ix(const struct dec_record *r, const struct ck_index *ix,
				     unsigned id, unsigned depth)
{
	uint16_t at = ix->first[depth][id];
	return at == 0xffff ? NULL : &r->f[at];
}

static uint64_t ck_u(const struct dec_record *r, const struct ck_index *ix, unsigned id, uint64_t dflt)
{
	const struct dec_field *f = ck_ix(r, ix, id, 0);
	return f ? f->v.u : dflt;
}

/* The innermost traffic payload of the record: depth, or -1. */
static int ck_traffic_depth(const struct ck_index *ix)
{
	for (int d = DEC_MAX_DEPTH - 1; d >= 0; d--)
		if (ix->first[d][DEC_F_TRAFFIC_FLOW] != 0xffff)
			return d;
	return -1;
}

static bool ck_is_signalling(const struct dec_record *r, const struct ck_index *ix)
{
	uint64_t t6 = ck_u(r, ix, DEC_F_ICMP6_TYPE, 0), t4 = ck_u(r, ix, DEC_F_ICMP_TYPE, 0);

	return ck_ix(r, ix, DEC_F_MH, 0) || ck_ix(r, ix, DEC_F_MIP4, 0) ||
	       t6 == 133 || t6 == 134 || t4 == 9 || t4 == 10;
}

static bool ck_delivered(const struct ck_map *map, const struct ck_flow *fl, int link,
			 const struct dec_record *r, const struct ck_index *ix, int depth)
{
	if (fl->recv_node < 0)
		return link == fl->first_link;
	const struct dec_field *f = ck_ix(r, ix, DEC_F_ETH_DST, 0);
	if (f && f->len == 6)
		return ck_map_node(map, 'm', f->v.p) == fl->recv_node;
	if ((f = ck_ix(r, ix, DEC_F_IP6_DST, (unsigned)depth)))
		return ck_map_node(map, 6, f->v.p) == fl->recv_node;
	if ((f = ck_ix(r, ix, DEC_F_IP_DST, (unsigned)depth)))
		return ck_map_node(map, 4, f->v.p) == fl->recv_node;
	return false;
}

static void ck_flow_deliver(struct ck_meas *m, struct ck_flow *fl, uint32_t seq, double ts, double sent)
{
	if (seq >= CK_SEQ_MAX)
		return;
	if (seq >= fl->cnt_len) {
		size_t n = fl->cnt_len ? fl->cnt_len : 1024;
		while (n <= seq)
			n *= 2;
		fl->cnt = realloc(fl->cnt, n);
		memset(fl->cnt + fl->cnt_len, 0, n - fl->cnt_len);
		fl->cnt_len = n;
	}
	if (fl->cnt[seq]) {
		fl->dups++;
		if (fl->cnt[seq] < 255)
			fl->cnt[seq]++;
		return;
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
}

static struct ck_hflow *ck_hflow(struct ck_handoff *h, int flow)
{
	for (int i = 0; i < h->n_hf; i++)
		if (h->hf[i].flow == flow)
			return &h->hf[i];
	h->hf = realloc(h->hf, (size_t)(h->n_hf + 1) * sizeof *h->hf);
	struct ck_hflow *x = &h->hf[h->n_hf++];
	memset(x, 0, sizeof *x);
	x->flow = flow;
	return x;
}

static void ck_ho_frame(struct ck_meas *m, const struct ck_map *map, struct ck_handoff *h,
			double limit, const struct ck_frame *f, const struct dec_record *r,
			const struct ck_index *ix, int flow)
{
	double ts = f->ts_ns / 1e9;

	if (ts < h->t_down || ts >= limit)
		return;
	if (!h->started) {
		h->started = true;
		for (int i = 0; i < m->n_flows; i++)
			if (m->flows[i].any) {
				struct ck_hflow *x = ck_hflow(h, i);
				x->seq_before = m->flows[i].max_seq;
				x->have_before = true;
			}
	}
	if (h->t_first < 0 && ck_is_signalling(r, ix)) {
		h->sig_bytes += f->wirelen;
		h->sig_frames++;
	}
	if (f->link != h->link)
		return;
	const struct dec_field *e;
	int src = (e = ck_ix(r, ix, DEC_F_ETH_SRC, 0)) && e->len == 6 ? ck_map_node(map, 'm', e->v.p) : -1;
	int dst = (e = ck_ix(r, ix, DEC_F_ETH_DST, 0)) && e->len == 6 ? ck_map_node(map, 'm', e->v.p) : -1;
	bool station = h->node < 0 || src == h->node || dst == h->node;
	if (flow >= 0 && station) {
		int d = ck_traffic_depth(ix);
		struct ck_hflow *x = ck_hflow(h, flow);
		if (!x->have_first) {
			x->have_first = true;
			x->t_first = ts;
			x->seq_first = (uint32_t)ck_ix(r, ix, DEC_F_TRAFFIC_SEQ, (unsigned)d)->v.u;
		}
		if (h->t_first < 0)
			h->t_first = ts;
	}
	if (ts < (h->t_up >= 0 ? h->t_up : h->t_down))
		return;
	uint64_t t6 = ck_u(r, ix, DEC_F_ICMP6_TYPE, 0), t4 = ck_u(r, ix, DEC_F_ICMP_TYPE, 0);
	uint64_t mh = ck_u(r, ix, DEC_F_MH_TYPE, 99), m4 = ck_u(r, ix, DEC_F_MIP4_TYPE, 0);
	if (h->t_detect < 0 && (t6 == 134 || (t4 == 9 && ck_ix(r, ix, DEC_F_MIP4_ADV_SEQ, 0))))
		h->t_detect = ts;
	if (h->t_reg < 0 && (h->node < 0 || src == h->node)) {
		if (mh == 5) {
			h->t_reg = ts;
			h->reg_kind = 1;
			h->reg_seq = ck_u(r, ix, DEC_F_MH_BU_SEQ, 0);
		} else if (m4 == 1) {
			h->t_reg = ts;
			h->reg_kind = 2;
			/* Only the low 32 bits of the Identification are
			 * echoed in both replay protection modes (with nonces
			 * the high half is the home agent's; RFC 5944 5.7). */
			h->reg_seq = ck_u(r, ix, DEC_F_MIP4_RRQ_ID, 0);
		}
	} else if (h->t_reg >= 0 && h->t_reg_reply < 0) {
		if ((h->reg_kind == 1 && mh == 6 && ck_u(r, ix, DEC_F_MH_BA_SEQ, 0) == h->reg_seq) ||
		    (h->reg_kind == 2 && m4 == 3 &&
		     (uint32_t)ck_u(r, ix, DEC_F_MIP4_RRP_ID, 0) == (uint32_t)h->reg_seq))
			h->t_reg_reply = ts;
	} else if (h->t_reg_reply >= 0) {
		if (h->t_ro < 0 && (mh == 1 || mh == 2))
			h->t_ro = ts;
		else if (h->t_ro >= 0 && h->t_ro_done < 0 && mh == 6)
			h->t_ro_done = ts;
	}
}

void ck_meas_frame(struct ck_meas *m, const struct ck_map *map, const struct ck_frame *f,
		   const struct dec_record *r, const struct ck_index *ix)
{
	double ts = f->ts_ns / 1e9;
	int flow = -1;

	m->frames++;
	m->bytes += f->wirelen;
	m->by_verdict[r->verdict & 3]++;
	if (m->ts_first < 0) {
		m->ts_first = ts;
		if (m->t0 == 0)
			m->t0 = ts;
	}
	m->ts_last = ts;
	int d = ck_traffic_depth(ix);
	if (d >= 0) {
		uint32_t id = (uint32_t)ck_ix(r, ix, DEC_F_TRAFFIC_FLOW, (unsigned)d)->v.u;
		flow = ck_flow_find(m, id, true);
		struct ck_flow *fl = &m->flows[flow];
		fl->frames++;
		if (fl->first_link < 0)
			fl->first_link = f->link;
		if (fl->recv_node < 0 && fl->frames == 1) {
			const struct dec_field *a = ck_ix(r, ix, DEC_F_IP6_DST, (unsigned)d);
			const struct dec_field *b = ck_ix(r, ix, DEC_F_IP_DST, (unsigned)d);
			fl->recv_node = a ? ck_map_node(map, 6, a->v.p) : b ? ck_map_node(map, 4, b->v.p) : -1;
		}
		const struct dec_field *seq = ck_ix(r, ix, DEC_F_TRAFFIC_SEQ, (unsigned)d);
		const struct dec_field *sent = ck_ix(r, ix, DEC_F_TRAFFIC_SENT, (unsigned)d);
		if (seq && sent && ck_delivered(map, fl, f->link, r, ix, d))
			ck_flow_deliver(m, fl, (uint32_t)seq->v.u, ts, sent->v.u / 1e9);
	}
	for (int i = 0; i < m->n_ho; i++) {
		double limit = i + 1 < m->n_ho ? m->ho[i + 1].t_down : INFINITY;
		ck_ho_frame(m, map, &m->ho[i], limit, f, r, ix, flow);
	}
}

void ck_meas_finish(struct ck_meas *m)
{
	for (int i = 0; i < m->n_ho; i++) {
		struct ck_handoff *h = &m->ho[i];
		double limit = i + 1 < m->n_ho ? m->ho[i + 1].t_down : m->ts_last;
		h->t_end = h->t_first >= 0 ? h->t_first : limit;
		for (int k = 0; k < h->n_hf; k++) {
			struct ck_hflow *x = &h->hf[k];
			const struct ck_flow *fl = &m->flows[x->flow];
			if (!x->have_first)
				continue;
			uint32_t from = x->have_before ? x->seq_before + 1 : 0;
			for (uint32_t s = from; s < x->seq_first && s < fl->cnt_len; s++)
				x->lost += fl->cnt[s] == 0;
		}
	}
}

void ck_meas_free(struct ck_meas *m)
{
	for (int i = 0; i < m->n_flows; i++) {
		free(m->flows[i].cnt);
		free(m->flows[i].bins);
	}
	free(m->flows);
	for (int i = 0; i < m->n_ho; i++)
		free(m->ho[i].hf);
	free(m->ho);
	memset(m, 0, sizeof *m);
}
