/* mnd_cn.c — the mobile node as a correspondent (RFC 6275 §8.2, §9): another
 * mobile node may run return routability with this one's home address and
 * bind its care-of address here. HoT, CoT and BA leave from the home
 * address, through the reverse tunnel while away (§11.3.1); data with a
 * Home Address option is accepted only with a binding (§9.3.1, else Binding
 * Error status 1); data to a bound home address leaves with a type 2
 * routing header (§9.3.2) — straight to the peer's care-of address with a
 * Home Address option when this node has its own binding at the peer, else
 * through the reverse tunnel. Only with `ro` on. */
#include <string.h>
#include "log.h"
#include "mnd.h"
#include "netif.h"

/* An MH message from this node's home address (src). */
static int mn_cn_send(uint8_t *mh, size_t n, const struct in6_addr *src,
		      const struct in6_addr *dst, const struct in6_addr *rh2)
{
	struct mn *mn = &D.mn;
	uint8_t in[256], out[320];
	size_t k;

	if (mn->where != MN_AWAY)
		return io_mh_send(mh, n, src, dst, rh2, NULL, NULL);
	if (!mn->coa_ready)
		return -1;
	mh_cksum_set(mh, n, src, rh2 ? rh2 : dst);
	if (!(k = ip6_build(in, sizeof(in), src, dst, 64, rh2, NULL, MH_PROTO, mh, n)) ||
	    !(k = ip6_encap(out, sizeof(out), &mn->coa, &D.cfg.home_agent, 64, in, k)))
		return -1;
	if (mh[2] < MH__N)
		mip6_tx[mh[2]]++;
	return io_send_link(mn->router_mac, out, k);
}

bool mn_cn_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m)
{
	struct bu_res r;

	if (!D.cfg.ro || memcmp(&p->dst, &D.cfg.home_addr, 16))
		return false;
	switch (m->type) {
	case MH_HOTI: case MH_COTI:
		cn_answer_test(p, m, mn_cn_send);
		return true;
	case MH_BU:
		cn_answer_bu(pkt, p, m, mn_cn_send, &r);
		if (r.created) {	/* the kernel's packets for it come to the daemon */
			log_info("correspondent for %s", ip6_ntoa(&r.e->hoa));
			netif_route6_add(&r.e->hoa, 128, D.tun_ifindex, NULL);
		}
		if (r.dereg)
			netif_route6_del(p->has_hao ? &p->hao : &p->src, 128, D.tun_ifindex);
		return true;
	default:
		return false;
	}
}

bool mn_cn_hao_in(const uint8_t *pkt, const struct ip6 *p, uint8_t *out, size_t cap,
		  size_t *n)
{
	struct bce *e = bc_lookup(&D.bc, &p->hao);
	struct mh_msg be = { .type = MH_BE, .status = BE_NO_BINDING, .be_hoa = p->hao };
	uint8_t buf[64];
	size_t k;

	if (!e || memcmp(&e->coa, &p->src, 16)) {
		mip6_ctr[C_HAO_NO_BINDING]++;
		if ((k = mh_build(buf, sizeof(buf), &be)) &&
		    mn_cn_send(buf, k, &D.cfg.home_addr, &p->src, NULL) == 0)
			mip6_be_status[BE_NO_BINDING]++;
		return false;
	}
	if (!(*n = ip6_strip_hao(out, cap, pkt, p)))
		return false;
	e->used_ms = ev_now_ms();
	mip6_ctr[C_RO_IN]++;
	return true;
}

bool mn_cn_route(const uint8_t *in, const struct ip6 *p, bool own_binding)
{
	uint8_t out[MIP6_MAXPKT + 48], tun[MIP6_MAXPKT + 96];
	struct mn *mn = &D.mn;
	struct bce *e = D.cfg.ro ? bc_lookup(&D.bc, &p->dst) : NULL;
	size_t m;

	if (!e || p->off != IP6_HLEN)
		return false;
	e->used_ms = ev_now_ms();
	if (mn->where != MN_AWAY) {	/* at home: from the home address, RH2 */
		m = ip6_build(out, sizeof(out), &p->src, &e->coa, p->hlim, &p->dst, NULL,
			      p->nh, in + p->off, p->len - p->off);
		if (m && io_send_link(mn->router_mac, out, m) == 0)
			mip6_ctr[C_RO_OUT]++;
		return m != 0;
	}
	if (!mn->coa_ready) {
		mip6_ctr[C_NO_LINK_DROP]++;
		return true;
	}
	if (own_binding) {	/* both bound: care-of to care-of, HAO and RH2 */
		m = ip6_build(out, sizeof(out), &mn->coa, &e->coa, p->hlim, &p->dst,
			      &D.cfg.home_addr, p->nh, in + p->off, p->len - p->off);
		if (m && io_send_link(mn->router_mac, out, m) == 0)
			mip6_ctr[C_RO_OUT]++;
		return m != 0;
	}
	/* from the home address: RH2, through the reverse tunnel */
	m = ip6_build(out, sizeof(out), &p->src, &e->coa, p->hlim, &p->dst, NULL, p->nh,
		      in + p->off, p->len - p->off);
	if (m && (m = ip6_encap(tun, sizeof(tun), &mn->coa, &D.cfg.home_agent, 64, out, m)) &&
	    io_send_link(mn->router_mac, tun, m) == 0)
		mip6_ctr[C_RO_OUT]++;
	return m != 0;
}

static void mn_cn_expired(struct bce *e, void *arg)
{
	mip6_ctr[C_BINDING_EXPIRED]++;
	netif_route6_del(&e->hoa, 128, D.tun_ifindex);
}

static void mn_cn_tick(struct ev_timer *t, void *arg)
{
	bc_expire(&D.bc, ev_now_ms(), mn_cn_expired, NULL);
	ev_timer_arm(t, 1);
}

int mn_cn_start(void)
{
	bc_init(&D.bc, false);
	if (D.cfg.lifetime < D.bc.max_lifetime)
		D.bc.max_lifetime = D.cfg.lifetime;
	cn_answer_init();
	if (ev_timer_init(&D.tick, mn_cn_tick, NULL) < 0)
		return -1;
	ev_timer_arm(&D.tick, 1);
	return 0;
}
