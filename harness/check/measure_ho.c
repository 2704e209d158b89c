/* measure_ho.c — handoff figures (docs/checks.md, "Handoff figures"): for each
 * "move" event of a station, from the frames on its new link,
 *  - the phases: L2 gap (l2_down -> l2_up), movement detection (-> the first
 *    Router Advertisement or Agent Advertisement delivered to it), address
 *    configuration (-> its first home registration sent), home registration
 *    (BU to the home agent -> the BA with its sequence number delivered, RFC
 *    6275 11.7.1; RRQ -> the RRP echoing its Identification, RFC 5944 3.3),
 *    lifetime 0 making it a deregistration; per correspondent, return
 *    routability and registration (first HoTI or CoTI sent, inside the
 *    reverse tunnel too, -> HoT, CoT -> BU -> BA, RFC 6275 5.2.5, 11.7.2),
 *    whenever it starts;
 *  - per flow: the last packet delivered on the old path and the first on
 *    the new (interruption, restoration), and the packets lost in the
 *    handoff's window: the windows partition the flow by send time, each
 *    starting after the last packet delivered on the old path, so the
 *    per-handoff losses add up to the flow's;
 *  - signalling bytes: the station's own mobility, ND and ARP frames and its
 *    agents' unicast replies on the new link, up to restoration.
 * Sends are stamped with their capture on the station's link; deliveries to
 * it with the capture plus the link's delay towards it. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "check_int.h"
#include "measure_int.h"

const char *const ck_phase_names[CK_PH_COUNT] = {
	[CK_PH_L2_GAP] = "l2_gap",
	[CK_PH_DETECTION] = "movement_detection",
	[CK_PH_ADDRESS] = "address_configuration",
	[CK_PH_HOME_REG] = "home_registration",
};

static struct ck_handoff *ck_ho_add(struct ck_meas *m)
{
	ck_room(&m->ho, m->n_ho, sizeof *m->ho);
	struct ck_handoff *h = &m->ho[m->n_ho++];
	memset(h, 0, sizeof *h);
	h->t_up = h->t_detect = h->t_reg = h->t_reg_reply = -1;
	h->t_restored = h->t_end = -1;
	return h;
}

static bool ck_ho_dup(const struct ck_meas *m, const char *st, const char *to, double ts)
{
	for (int k = 0; k < m->n_ho; k++)
		if (st && to && !strcmp(m->ho[k].station, st) && !strcmp(m->ho[k].to, to) &&
		    fabs(m->ho[k].t_move - ts) < 0.5)
			return true;
	return false;
}

/* Its l2_down and l2_up: the first after the move, before the next move. */
static void ck_ho_l2(struct ck_handoff *h, const struct ck_events *e, int from)
{
	for (int k = from; k < e->n; k++) {
		const struct ck_event *x = &e->ev[k];
		const char *xs = ck_ev_str(x, "station");
		if (!xs || strcmp(xs, h->station))
			continue;
		if (!strcmp(x->type, "move") && fabs(x->ts - h->t_move) >= 0.5)
			break;
		if (!strcmp(x->type, "l2_down") && !h->have_down) {
			h->t_down = x->ts;
			h->have_down = true;
		} else if (!strcmp(x->type, "l2_up") && h->t_up < 0) {
			h->t_up = x->ts;
		}
	}
}

void ck_ho_init(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e)
{
	for (int i = 0; i < e->n; i++) {
		const struct ck_event *ev = &e->ev[i];
		if (strcmp(ev->type, "move"))
			continue;
		const char *st = ck_ev_str(ev, "station"), *to = ck_ev_str(ev, "to");
		if (!to)
			to = ck_ev_str(ev, "cell");
		/* the scenario and the orchestrator may both log a move */
		if (ck_ho_dup(m, st, to, ev->ts))
			continue;
		struct ck_handoff *h = ck_ho_add(m);
		const char *from = ck_ev_str(ev, "from");
		snprintf(h->station, sizeof h->station, "%s", st ? st : "?");
		snprintf(h->from, sizeof h->from, "%s", from ? from : "");
		snprintf(h->to, sizeof h->to, "%s", to ? to : "?");
		h->node = ck_map_node_find(map, h->station);
		h->link = ck_map_link_find(map, h->to);
		h->st = ck_meas_station(m, h->node);
		h->t_move = h->t_down = ev->ts;
		ck_ho_l2(h, e, i + 1);
		if (h->st >= 0) {
			struct ck_station *s = &m->st[h->st];
			ck_room(&s->ho, s->n_ho, sizeof *s->ho);
			s->ho[s->n_ho++] = m->n_ho - 1;
		}
	}
}

/* The station's handoff in effect at t (the last whose l2_down is at or
 * before t): index into s->ho, or -1. */
static int ck_ho_at(const struct ck_meas *m, int st, double t)
{
	const struct ck_station *s = &m->st[st];
	int lo = 0, hi = s->n_ho;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (m->ho[s->ho[mid]].t_down <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

static struct ck_hflow *ck_hflow(struct ck_handoff *h, int flow)
{
	for (int i = 0; i < h->n_hf; i++)
		if (h->hf[i].flow == flow)
			return &h->hf[i];
	ck_room(&h->hf, h->n_hf, sizeof *h->hf);
	struct ck_hflow *x = &h->hf[h->n_hf++];
	memset(x, 0, sizeof *x);
	x->flow = flow;
	x->t_old = x->s_old = x->t_new = x->s_new = -1;
	return x;
}

/* The path a packet took: for a flow to the station, where the station was
 * when it was delivered; from the station, where it was when it sent it. */
void ck_ho_delivery(struct ck_meas *m, int k, uint32_t seq, double t, double sent)
{
	const struct ck_flow *fl = &m->flows[k];
	if (fl->station < 0 || !m->st[fl->station].n_ho)
		return;
	const struct ck_station *s = &m->st[fl->station];
	int i = ck_ho_at(m, fl->station, fl->down ? t : sent);
	if (i + 1 < s->n_ho) {		/* before the next handoff: its old path */
		struct ck_hflow *x = ck_hflow(&m->ho[s->ho[i + 1]], k);
		if (t > x->t_old) {
			x->t_old = t;
			x->s_old = sent;
			x->seq_old = seq;
		}
	}
	if (i < 0)
		return;
	struct ck_handoff *h = &m->ho[s->ho[i]];
	if (fl->down && t < h->t_up)
		return;
	struct ck_hflow *x = ck_hflow(h, k);
	if (x->t_new < 0 || t < x->t_new) {
		x->t_new = t;
		x->s_new = sent;
		x->seq_new = seq;
	}
}

static struct ck_cnreg *ck_cn(struct ck_handoff *h, const uint8_t *cn)
{
	for (int i = 0; i < h->n_cn; i++)
		if (!memcmp(h->cn[i].cn, cn, 16))
			return &h->cn[i];
	if (h->n_cn == CK_CN_MAX)
		return NULL;
	struct ck_cnreg *c = &h->cn[h->n_cn++];
	memset(c, 0, sizeof *c);
	memcpy(c->cn, cn, 16);
	c->t_start = c->t_hot = c->t_cot = c->t_bu = c->t_ba = -1;
	return c;
}

/* The deepest Mobility Header of the record: depth, or -1. */
static int ck_mh_depth(const struct ck_index *ix)
{
	for (int d = DEC_MAX_DEPTH - 1; d >= 0; d--)
		if (ix->first[d][DEC_F_MH_TYPE] != 0xffff)
			return d;
	return -1;
}

static uint64_t ck_u(const struct dec_record *r, const struct ck_index *ix, unsigned id, int d, uint64_t dflt)
{
	const struct dec_field *f = d >= 0 ? ck_ix(r, ix, id, (unsigned)d) : NULL;
	return f ? f->v.u : dflt;
}

static const uint8_t *ck_a6(const struct dec_record *r, const struct ck_index *ix, unsigned id, int d)
{
	const struct dec_field *f = ck_ix(r, ix, id, (unsigned)d);
	return f && f->len == 16 ? f->v.p : NULL;
}

static bool ck_seq_is(const uint32_t s[2], uint32_t v)
{
	return s[0] == v || s[1] == v;
}

/* A message the station sent on its new link at t. */
static void ck_ho_sent(struct ck_handoff *h, const struct dec_record *r, const struct ck_index *ix, double t)
{
	int md = ck_mh_depth(ix);
	uint64_t mh = ck_u(r, ix, DEC_F_MH_TYPE, md, 99), m4 = ck_u(r, ix, DEC_F_MIP4_TYPE, 0, 0);
	const uint8_t *dst = md >= 0 ? ck_a6(r, ix, DEC_F_IP6_DST, md) : NULL;
	struct ck_cnreg *c;

	if ((mh == 1 || mh == 2) && dst && (c = ck_cn(h, dst)) && c->t_start < 0)
		c->t_start = t;
	if (mh == 5 && dst && ck_ix(r, ix, DEC_F_MH_OPT_NI_HOME, (unsigned)md)) {
		if ((c = ck_cn(h, dst)) && c->t_ba < 0) {	/* to a correspondent */
			uint16_t seq = (uint16_t)ck_u(r, ix, DEC_F_MH_BU_SEQ, md, 0);
			if (c->t_bu < 0) {
				c->t_bu = t;
				if (c->t_start < 0)	/* a home keygen token still valid */
					c->t_start = t;
				c->bu_seq[0] = seq;
				c->dereg = ck_u(r, ix, DEC_F_MH_BU_LIFETIME, md, 1) == 0;
			}
			c->bu_seq[1] = seq;
		}
	} else if ((mh == 5 && dst) || m4 == 1) {	/* to the home agent */
		uint32_t seq = mh == 5 ? (uint32_t)ck_u(r, ix, DEC_F_MH_BU_SEQ, md, 0)
				       /* only the low 32 bits are echoed (RFC 5944 5.7) */
				       : (uint32_t)ck_u(r, ix, DEC_F_MIP4_RRQ_ID, 0, 0);
		if (h->t_reg_reply >= 0)
			return;
		if (h->t_reg < 0) {
			h->t_reg = t;
			h->reg_kind = mh == 5 ? 1 : 2;
			h->reg_seq[0] = seq;
			h->dereg = mh == 5 ? ck_u(r, ix, DEC_F_MH_BU_LIFETIME, md, 1) == 0
					   : ck_u(r, ix, DEC_F_MIP4_RRQ_LIFETIME, 0, 1) == 0;
			if (dst)
				memcpy(h->ha, dst, 16);
		}
		h->reg_seq[1] = seq;
	}
}

/* A message delivered to the station on its new link at t. */
static void ck_ho_received(struct ck_handoff *h, const struct dec_record *r, const struct ck_index *ix, double t)
{
	int md = ck_mh_depth(ix);
	uint64_t mh = ck_u(r, ix, DEC_F_MH_TYPE, md, 99), m4 = ck_u(r, ix, DEC_F_MIP4_TYPE, 0, 0);
	uint64_t t6 = ck_u(r, ix, DEC_F_ICMP6_TYPE, 0, 0), t4 = ck_u(r, ix, DEC_F_ICMP_TYPE, 0, 0);
	const uint8_t *src = md >= 0 ? ck_a6(r, ix, DEC_F_IP6_SRC, md) : NULL;
	struct ck_cnreg *c;

	if (h->t_detect < 0 && (t6 == 134 || t4 == 9))
		h->t_detect = t;
	if ((mh == 3 || mh == 4) && src && (c = ck_cn(h, src))) {
		double *at = mh == 3 ? &c->t_hot : &c->t_cot;
		if (*at < 0)
			*at = t;
	}
	if (mh == 6 && src) {
		uint16_t seq = (uint16_t)ck_u(r, ix, DEC_F_MH_BA_SEQ, md, 0);
		if (h->reg_kind == 1 && h->t_reg_reply < 0 && !memcmp(src, h->ha, 16) &&
		    ck_seq_is(h->reg_seq, seq))
			h->t_reg_reply = t;
		else
			for (int i = 0; i < h->n_cn; i++)
				if (!memcmp(h->cn[i].cn, src, 16) && h->cn[i].t_bu >= 0 && h->cn[i].t_ba < 0 &&
				    (h->cn[i].bu_seq[0] == seq || h->cn[i].bu_seq[1] == seq))
					h->cn[i].t_ba = t;
	}
	if (m4 == 3 && h->reg_kind == 2 && h->t_reg_reply < 0 &&
	    ck_seq_is(h->reg_seq, (uint32_t)ck_u(r, ix, DEC_F_MIP4_RRP_ID, 0, 0)))
		h->t_reg_reply = t;
}

static bool ck_is_sig(const struct dec_record *r, const struct ck_index *ix, bool from_station)
{
	uint64_t t6 = ck_u(r, ix, DEC_F_ICMP6_TYPE, 0, 0), t4 = ck_u(r, ix, DEC_F_ICMP_TYPE, 0, 0);
	if (ck_mh_depth(ix) >= 0 || ck_ix(r, ix, DEC_F_MIP4, 0) || ck_ix(r, ix, DEC_F_ARP, 0))
		return true;
	if (t6 == 135 || t6 == 136)
		return true;
	return from_station ? t6 == 133 || t4 == 10 : t6 == 134 || t4 == 9;
}

static void ck_sig_add(struct ck_handoff *h, double t, uint32_t bytes)
{
	ck_room(&h->sig, h->n_sig, sizeof *h->sig);
	h->sig[h->n_sig++] = (struct ck_sig){ t, bytes };
}

/* The handoff of station st in effect at t, if the frame on link is on its
 * new link after l2_up. */
static struct ck_handoff *ck_ho_on(struct ck_meas *m, int st, double t, int link)
{
	if (st < 0)
		return NULL;
	int i = ck_ho_at(m, st, t);
	if (i < 0)
		return NULL;
	struct ck_handoff *h = &m->ho[m->st[st].ho[i]];
	return h->link == link && h->t_up >= 0 && t >= h->t_up ? h : NULL;
}

void ck_ho_frame(struct ck_meas *m, const struct ck_frame *f, const struct dec_record *r,
		 const struct ck_index *ix, int src, int dst, bool mcast)
{
	double ts = f->ts_ns / 1e9;
	struct ck_handoff *h;

	if (!m->n_ho)
		return;
	if ((h = ck_ho_on(m, ck_meas_station(m, src), ts, f->link))) {
		ck_ho_sent(h, r, ix, ts);
		if (ck_is_sig(r, ix, true))
			ck_sig_add(h, ts, f->wirelen);
	}
	int sd = ck_meas_station(m, dst);
	if (sd >= 0) {
		double t = ts + ck_meas_delay(m, f->link, dst, ts);
		if ((h = ck_ho_on(m, sd, t, f->link)) && ck_meas_attached(m, sd, t) == f->link) {
			ck_ho_received(h, r, ix, t);
			if (ck_is_sig(r, ix, false))
				ck_sig_add(h, t, f->wirelen);
		}
	} else if (mcast && (ck_u(r, ix, DEC_F_ICMP6_TYPE, 0, 0) == 134 || ck_u(r, ix, DEC_F_ICMP_TYPE, 0, 0) == 9)) {
		/* an advertisement to all: every station attached then (few) */
		for (int s = 0; s < m->n_st; s++) {
			double t = ts + ck_meas_delay(m, f->link, m->st[s].node, ts);
			if ((h = ck_ho_on(m, s, t, f->link)) && h->t_detect < 0 &&
			    ck_meas_attached(m, s, t) == f->link)
				h->t_detect = t;
		}
	}
}

/* Window starts of the station's handoffs for flow k: after the send time
 * of the last packet delivered on the old path (else at l2_down), never
 * before the previous window's start. */
static void ck_ho_windows(struct ck_meas *m, int k, double *b)
{
	const struct ck_station *s = &m->st[m->flows[k].station];
	for (int i = 0; i < s->n_ho; i++) {
		struct ck_handoff *h = &m->ho[s->ho[i]];
		struct ck_hflow *x = ck_hflow(h, k);
		b[i] = i == 0 ? -INFINITY : x->s_old >= 0 ? x->s_old : h->t_down;
		if (i > 0 && b[i] < b[i - 1])
			b[i] = b[i - 1];
	}
}

/* Every sequence number up to the highest delivered that never was, to the
 * window its send time falls in (a number never captured takes the send
 * time of the last one before it that was). */
static void ck_ho_losses(struct ck_meas *m, int k)
{
	struct ck_flow *fl = &m->flows[k];
	if (fl->station < 0 || !m->st[fl->station].n_ho)
		return;
	const struct ck_station *s = &m->st[fl->station];
	double *b = malloc((size_t)s->n_ho * sizeof *b), sent = -INFINITY;
	ck_ho_windows(m, k, b);
	int w = 0;
	for (uint32_t q = 0; fl->any && q <= fl->max_seq; q++) {
		if (q < fl->sent_len && fl->sent[q] > 0)
			sent = fl->sent[q];
		if (q < fl->cnt_len && fl->cnt[q])
			continue;
		while (w + 1 < s->n_ho && b[w + 1] <= sent)
			w++;
		while (w > 0 && b[w] > sent)
			w--;
		ck_hflow(&m->ho[s->ho[w]], k)->lost++;
	}
	free(b);
}

void ck_meas_finish(struct ck_meas *m)
{
	for (int k = 0; k < m->n_flows; k++)
		ck_ho_losses(m, k);
	for (int i = 0; i < m->n_ho; i++) {
		struct ck_handoff *h = &m->ho[i];
		/* a registration sent before any advertisement: the station acted
		 * on something else (the link-up, a known home link), so detection
		 * ended no later than that registration */
		if (h->t_reg >= 0 && h->t_reg >= h->t_up && (h->t_detect < 0 || h->t_reg < h->t_detect))
			h->t_detect = h->t_reg;
		for (int k = 0; k < h->n_hf; k++)
			if (h->hf[k].t_new > h->t_restored)
				h->t_restored = h->hf[k].t_new;
		double end = h->t_reg_reply;	/* no flow: the last registration's reply */
		for (int k = 0; k < h->n_cn; k++)
			if (h->cn[k].t_ba > end)
				end = h->cn[k].t_ba;
		if (h->t_restored >= 0)
			end = h->t_restored;
		for (int k = 0; k < h->n_sig; k++)
			if (end < 0 || h->sig[k].t <= end) {
				h->sig_bytes += h->sig[k].bytes;
				h->sig_frames++;
			}
		h->t_end = end >= 0 ? end : h->t_up;
	}
}

static const struct { size_t a, b; } ck_phase_span[CK_PH_COUNT] = {
	[CK_PH_L2_GAP] = { offsetof(struct ck_handoff, t_down), offsetof(struct ck_handoff, t_up) },
	[CK_PH_DETECTION] = { offsetof(struct ck_handoff, t_up), offsetof(struct ck_handoff, t_detect) },
	[CK_PH_ADDRESS] = { offsetof(struct ck_handoff, t_detect), offsetof(struct ck_handoff, t_reg) },
	[CK_PH_HOME_REG] = { offsetof(struct ck_handoff, t_reg), offsetof(struct ck_handoff, t_reg_reply) },
};

const char *ck_ho_phase(const struct ck_handoff *h, int i, double *a, double *b)
{
	*a = *(const double *)((const char *)h + ck_phase_span[i].a);
	*b = *(const double *)((const char *)h + ck_phase_span[i].b);
	if (i == CK_PH_L2_GAP && !h->have_down)
		*a = -1;
	return i == CK_PH_HOME_REG && h->dereg ? CK_NAME_HOME_DEREG : ck_phase_names[i];
}
