/* mnd_rr.c — the mobile node's return routability and route optimisation
 * (RFC 6275 §5.2, §11.6, §11.7.2): HoTI reverse-tunnelled through the home
 * agent, CoTI direct, the keygen tokens from HoT and CoT, Kbm, the BU with
 * Nonce Indices and Binding Authorization Data, the BA checked with Kbm;
 * Binding Refresh Requests (§11.7.4) and Binding Errors (§11.3.6); only
 * with global correspondents, and not with one that answers the MH with an
 * ICMPv6 Parameter Problem (§11.3.5). */
#include <string.h>
#include "hmac.h"
#include "log.h"
#include "mnd.h"
#include "sec.h"

static struct bul *rr_find(const struct in6_addr *cn)
{
	for (int i = 1; i < BUL_MAX; i++)
		if (D.mn.bul[i].used && !memcmp(&D.mn.bul[i].peer, cn, 16))
			return &D.mn.bul[i];
	return NULL;
}

static void rr_send_hoti(struct bul *b)
{
	struct mh_msg m = { .type = MH_HOTI, .cookie = b->rr.home_cookie };
	uint8_t mh[64], in[160], out[256];
	size_t n = mh_build(mh, sizeof(mh), &m), k;

	if (!n)
		return;
	mh_cksum_set(mh, n, &b->hoa, &b->peer);
	/* §5.2.1: through the home agent, from the home address */
	if ((k = ip6_build(in, sizeof(in), &b->hoa, &b->peer, 64, NULL, NULL, MH_PROTO, mh, n)) &&
	    (k = ip6_encap(out, sizeof(out), &D.mn.coa, &D.cfg.home_agent, 64, in, k)) &&
	    io_send_link(D.mn.router_mac, out, k) == 0)
		mip6_tx[MH_HOTI]++;
}

static void rr_send_coti(struct bul *b)
{
	struct mh_msg m = { .type = MH_COTI, .cookie = b->rr.coa_cookie };
	uint8_t mh[64];
	size_t n = mh_build(mh, sizeof(mh), &m);
	if (n)
		io_mh_send(mh, n, &D.mn.coa, &b->peer, NULL, NULL, D.mn.router_mac);
}

static void rr_begin(struct bul *b)
{
	if (D.mn.where != MN_AWAY || !D.mn.coa_ready || b->no_mh)
		return;
	b->dereg = false;
	mip6_ctr[C_RR_START]++;
	b->state = BUL_RR;
	mip6_random(&b->rr.home_cookie, 8);
	mip6_random(&b->rr.coa_cookie, 8);
	b->rr.have_home = b->rr.have_coa = false;
	b->tries = 1;
	b->timeout_ms = INITIAL_BINDACK_TIMEOUT_MS;
	rr_send_hoti(b);
	rr_send_coti(b);
	ev_timer_arm_ms(&b->timer, b->timeout_ms);
}

void mn_rr_start(const struct in6_addr *cn)
{
	struct bul *b = rr_find(cn);

	if (b || D.mn.where != MN_AWAY)
		return;
	if (!ip6_is_global(cn)) {	/* a link-local peer is never a correspondent */
		mip6_ctr[C_SCOPE_DROP]++;
		log_debug("no route optimisation with %s: not a global address", ip6_ntoa(cn));
		return;
	}
	for (int i = 1; i < BUL_MAX && !b; i++)
		if (!D.mn.bul[i].used)
			b = &D.mn.bul[i];
	if (!b)
		return;
	b->used = true;
	b->home = false;
	b->peer = *cn;
	b->hoa = D.cfg.home_addr;
	b->lifetime = (uint16_t)((D.cfg.lifetime < MAX_RR_BINDING_LIFETIME ? D.cfg.lifetime :
				  MAX_RR_BINDING_LIFETIME) / 4);
	mip6_random(&b->seq, sizeof(b->seq));
	log_info("return routability with %s", ip6_ntoa(cn));
	rr_begin(b);
}

static void rr_send_bu(struct bul *b)
{
	struct mh_msg m = { .type = MH_BU, .seq = b->seq, .flags = MH_BU_A,
			    .lifetime = b->dereg ? 0 : b->lifetime, .has_nonce = true,
			    .home_nonce = b->rr.home_index,
			    .coa_nonce = b->dereg ? 0 : b->rr.coa_index, .has_bad = true };
	uint8_t mh[96];
	size_t n = mh_build(mh, sizeof(mh), &m);

	if (!n || sec_bad_auth(b->kbm, &b->coa, &b->peer, mh, n, m.bad_off, mh + m.bad_off) < 0)
		return;
	/* from the care-of address with the HAO; from home without (§11.7.2) */
	if (io_mh_send(mh, n, &b->coa, &b->peer, NULL, b->dereg ? NULL : &b->hoa,
		       D.mn.router_mac) == 0) {
		b->n_sent++;
		b->sent_ms = ev_now_ms();
	}
}

static void rr_bu(struct bul *b)
{
	sec_kbm(b->rr.home_token, b->dereg ? NULL : &b->rr.coa_token, b->kbm);
	b->coa = b->dereg ? b->hoa : D.mn.coa;
	bul_seq_next(b);
	b->state = BUL_PENDING;
	b->tries = 1;
	b->timeout_ms = INITIAL_BINDACK_TIMEOUT_MS;
	mip6_ctr[C_RR_DONE]++;
	rr_send_bu(b);
	ev_timer_arm_ms(&b->timer, b->timeout_ms);
}

void mn_rr_timer(struct bul *b)
{
	if (b->state == BUL_BOUND) {		/* refresh: a new round (§11.7.2) */
		mip6_ctr[C_REFRESH]++;
		rr_begin(b);
		return;
	}
	if (b->state != BUL_RR && b->state != BUL_PENDING)
		return;
	if (!(b->timeout_ms = bul_backoff(b->timeout_ms))) {
		mip6_ctr[C_GIVE_UP]++;
		b->state = BUL_IDLE;
		return;
	}
	mip6_ctr[C_RETRANSMIT]++;
	b->tries++;
	if (b->state == BUL_RR) {
		if (!b->rr.have_home)
			rr_send_hoti(b);
		if (!b->rr.have_coa)
			rr_send_coti(b);
	} else {
		bul_seq_retransmit(b);	/* §11.8: a greater sequence number */
		rr_send_bu(b);
	}
	ev_timer_arm_ms(&b->timer, b->timeout_ms);
}

static void rr_ba(struct bul *b, const uint8_t *mh, const struct mh_msg *m)
{
	uint8_t a[SEC_AUTH_LEN];
	uint64_t now = ev_now_ms();

	mip6_ba_status[m->status]++;
	if (b->state != BUL_PENDING) {
		mip6_ctr[C_BA_UNMATCHED]++;
		return;
	}
	if (m->status >= BA_EXPIRED_HOME_NONCE && m->status <= BA_EXPIRED_NONCES) {
		rr_begin(b);		/* §11.7.2: new tokens */
		return;
	}
	if (m->status == BA_SEQ_OUT_OF_WINDOW) {
		b->seq = m->seq;
		rr_bu(b);
		return;
	}
	if (!bul_seq_matches(b, m->seq) || !m->has_bad ||
	    sec_bad_auth(b->kbm, &b->coa, &b->peer, mh, m->len, m->bad_off, a) < 0 ||
	    !hmac_equal(a, m->bad, SEC_AUTH_LEN)) {
		mip6_ctr[C_BA_UNMATCHED]++;
		return;
	}
	if (m->status >= 128) {
		b->n_refused++;
		b->state = BUL_IDLE;
		return;
	}
	b->n_acked++;
	if (b->dereg) {
		log_info("deregistered at %s", ip6_ntoa(&b->peer));
		b->state = BUL_IDLE;
		b->granted = 0;
		ev_timer_disarm(&b->timer);
		return;
	}
	b->state = BUL_BOUND;
	b->bound_coa = b->coa;
	b->granted = m->lifetime;
	b->acked_ms = now;
	b->last_rtt_ms = now - b->sent_ms;
	b->expires_ms = now + (uint64_t)m->lifetime * 4000;
	if (!D.mn.t_ro)
		D.mn.t_ro = now;
	log_info("route optimisation with %s: bound for %u s", ip6_ntoa(&b->peer),
		 m->lifetime * 4);
	ev_timer_arm_ms(&b->timer, bul_refresh_ms((uint32_t)m->lifetime * 4));
}

void mn_rr_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m, bool tunnelled)
{
	struct bul *b = rr_find(&p->src);
	const uint8_t *mh = pkt + p->off;
	uint64_t now = ev_now_ms();

	if (!b) {
		log_debug("%s from %s: no binding update list entry", mh_type_names[m->type],
			  ip6_ntoa(&p->src));
		return;
	}
	switch (m->type) {
	case MH_HOT:
		if (!tunnelled || b->state != BUL_RR || m->cookie != b->rr.home_cookie)
			return;
		b->rr.have_home = true;
		b->rr.home_token = m->token;
		b->rr.home_index = m->nonce_index;
		b->rr.home_ms = now;
		break;
	case MH_COT:
		if (tunnelled || b->state != BUL_RR || m->cookie != b->rr.coa_cookie)
			return;
		b->rr.have_coa = true;
		b->rr.coa_token = m->token;
		b->rr.coa_index = m->nonce_index;
		b->rr.coa_ms = now;
		b->rr.coa = D.mn.coa;
		break;
	case MH_BA:
		rr_ba(b, mh, m);
		return;
	case MH_BRR:			/* §11.7.4 */
		if (b->state == BUL_BOUND)
			rr_begin(b);
		return;
	case MH_BE:			/* §11.3.6 */
		if (m->status == BE_NO_BINDING) {
			log_info("binding error from %s: no binding, back to the tunnel",
				 ip6_ntoa(&p->src));
			b->state = BUL_IDLE;
			ev_timer_disarm(&b->timer);
		}
		return;
	default:
		return;
	}
	if (b->state == BUL_RR && rr_mn_ready(&b->rr, &D.mn.coa, now))
		rr_bu(b);
}

bool mn_rr_bound(const struct in6_addr *cn)
{
	struct bul *b = rr_find(cn);
	/* the accepted binding serves until it expires, also while return
	 * routability runs again to refresh it; after a move the care-of
	 * address differs and the reverse tunnel serves until the new BA */
	return b && b->state != BUL_IDLE && !b->dereg && b->granted &&
	       !memcmp(&b->bound_coa, &D.mn.coa, 16) && b->expires_ms > ev_now_ms();
}

void mn_rr_home(void)
{
	uint64_t now = ev_now_ms();
	for (int i = 1; i < BUL_MAX; i++) {
		struct bul *b = &D.mn.bul[i];
		if (!b->used || b->state == BUL_IDLE)
			continue;
		/* §11.5.4: the home keygen token alone authorises it */
		if (!b->rr.have_home || now - b->rr.home_ms >= MAX_TOKEN_LIFETIME_MS) {
			b->state = BUL_IDLE;
			ev_timer_disarm(&b->timer);
			continue;
		}
		b->dereg = true;
		rr_bu(b);
	}
}

void mn_rr_moved(void)
{
	for (int i = 1; i < BUL_MAX; i++)
		if (D.mn.bul[i].used && D.mn.bul[i].state != BUL_IDLE)
			rr_begin(&D.mn.bul[i]);
}

/* §11.3.5: an ICMPv6 Parameter Problem code 1 for a Mobility Header the
 * mobile node sent to a correspondent: it does not know the MH; no more
 * return routability or BUs to it (the reverse tunnel serves). */
void mn_rr_icmp(const uint8_t *icmp, size_t len)
{
	struct ip6_pp pp;
	struct bul *b;

	if (ip6_pp_parse(icmp, len, &pp) != IP6_OK || !pp.mh_unknown ||
	    (memcmp(&pp.src, &D.cfg.home_addr, 16) && memcmp(&pp.src, &D.mn.coa, 16)) ||
	    !(b = rr_find(&pp.dst)) || b->no_mh)
		return;
	mip6_ctr[C_RO_NO_MH]++;
	log_info("%s does not know the Mobility Header (ICMPv6 parameter problem): "
		 "no route optimisation with it", ip6_ntoa(&pp.dst));
	b->no_mh = true;
	b->state = BUL_IDLE;
	ev_timer_disarm(&b->timer);
}
