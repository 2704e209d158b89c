/* cnd.c — the correspondent node (RFC 6275 §9): HoT and CoT answering HoTI
 * and CoTI with keygen tokens from Kcn and the current nonce (§5.2.2,
 * §9.4), BUs checked with Kbm (§9.5.1) into the binding cache, BAs with
 * Binding Authorization Data; route optimisation: the kernel's packets to
 * a bound home address come through the TUN device (a /128 route per
 * binding) and leave with a type 2 routing header (§9.3.2); packets with
 * a Home Address option are accepted only with a binding (else Binding
 * Error status 1, §9.3.1); a Binding Refresh Request when a binding in use
 * nears its expiry (§9.5.5). */
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include "daemon.h"
#include "hmac.h"
#include "log.h"
#include "netif.h"
#include "sec.h"

static uint64_t cn_next_nonce(void)
{
	uint64_t n;
	mip6_random(&n, sizeof(n));
	return n;
}

static void cn_test(const struct ip6 *p, const struct mh_msg *m, bool home)
{
	struct mh_msg t = { .type = home ? MH_HOT : MH_COT, .cookie = m->cookie };
	uint64_t nonce;
	uint8_t buf[64];
	size_t n;

	/* HoTI arrives from the home address, CoTI from the care-of address */
	rr_cn_current(&D.rr, ev_now_ms(), cn_next_nonce(), &t.nonce_index, &nonce);
	t.token = sec_keygen(D.rr.kcn, &p->src, nonce, !home);
	if ((n = mh_build(buf, sizeof(buf), &t)))
		io_mh_send(buf, n, &p->dst, &p->src, NULL, NULL, NULL);
}

static void cn_serve(const struct in6_addr *hoa, bool on)
{
	if (on)
		netif_route6_add(hoa, 128, D.tun_ifindex, NULL);
	else
		netif_route6_del(hoa, 128, D.tun_ifindex);
}

static void cn_bu(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m)
{
	const uint8_t *mh = pkt + p->off;
	struct bu_req q = { .m = m, .now_ms = ev_now_ms() };
	uint64_t hn = 0, cn = 0, ht, ct;
	uint8_t kbm[SEC_KBM_LEN], a[SEC_AUTH_LEN];
	bool dereg;
	struct bu_res r;

	/* §9.5.1: the home address from the Home Address option, or the
	 * source when the mobile node deregisters from home (§11.5.4) */
	q.hoa = p->has_hao ? p->hao : p->src;
	q.coa = m->has_altcoa ? m->altcoa : p->src;
	dereg = m->lifetime == 0 || !memcmp(&q.coa, &q.hoa, 16);
	q.nonces_valid_home = m->has_nonce && rr_cn_nonce(&D.rr, m->home_nonce, q.now_ms, &hn);
	q.nonces_valid_coa = dereg || (m->has_nonce &&
				       rr_cn_nonce(&D.rr, m->coa_nonce, q.now_ms, &cn));
	if (q.nonces_valid_home && q.nonces_valid_coa && m->has_bad) {
		ht = sec_keygen(D.rr.kcn, &q.hoa, hn, false);
		ct = sec_keygen(D.rr.kcn, &q.coa, cn, true);
		sec_kbm(ht, dereg ? NULL : &ct, kbm);
		q.bad_ok = sec_bad_auth(kbm, &q.coa, &p->dst, mh, m->len, m->bad_off, a) == 0 &&
			   hmac_equal(a, m->bad, SEC_AUTH_LEN);
		if (!q.bad_ok)
			mip6_ctr[C_AUTH_FAIL]++;
	}
	bc_process(&D.bc, &q, &r);
	log_debug("BU %s coa %s seq %u: %s (status %u)", ip6_ntoa(&q.hoa), ip6_ntoa(&q.coa),
		  m->seq, r.why, r.status);
	mip6_ctr[r.status >= 128 ? C_BU_REFUSED : !r.send_ba && !r.e && !r.dereg ?
		 C_BU_DISCARDED : C_BU_ACCEPTED]++;
	if (r.created)
		cn_serve(&q.hoa, true);
	if (r.dereg)
		cn_serve(&q.hoa, false);
	if (r.send_ba) {
		struct mh_msg b = { .type = MH_BA, .status = r.status, .seq = r.seq,
				    .lifetime = r.lifetime, .has_bad = q.bad_ok };
		uint8_t buf[96];
		size_t n = mh_build(buf, sizeof(buf), &b);
		if (n && b.has_bad)
			sec_bad_auth(kbm, &q.coa, &p->dst, buf, n, b.bad_off, buf + b.bad_off);
		/* §9.5.4: to the care-of address, with RH2 when it is not home */
		if (n && io_mh_send(buf, n, &p->dst, &q.coa, dereg ? NULL : &q.hoa, NULL,
				    NULL) == 0)
			mip6_ba_status[r.status]++;
	}
}

/* Data from a mobile node with the Home Address option (§9.3.1). */
static void cn_hao_in(const uint8_t *pkt, const struct ip6 *p)
{
	uint8_t out[MIP6_MAXPKT];
	struct bce *e = bc_lookup(&D.bc, &p->hao);
	size_t n;

	if (!e || memcmp(&e->coa, &p->src, 16)) {
		mip6_ctr[C_HAO_NO_BINDING]++;
		io_send_be(BE_NO_BINDING, &p->dst, &p->src, &p->hao, NULL);
		return;
	}
	if ((n = ip6_strip_hao(out, sizeof(out), pkt, p)) && io_tun_write(out, n) == 0)
		mip6_ctr[C_RO_IN]++;
}

static void cn_pkt_read(int fd, void *arg)
{
	uint8_t buf[MIP6_MAXPKT];
	int ifindex, type;
	ssize_t n;

	while ((n = io_recv(buf, sizeof(buf), &ifindex, &type)) >= 0) {
		struct ip6 p;
		struct mh_msg m;
		if (type == PACKET_OUTGOING || ifindex == D.tun_ifindex ||
		    ip6_parse(buf, (size_t)n, &p) != IP6_OK || !io_is_mine(&p.dst))
			continue;
		if (p.nh == MH_PROTO) {
			if (!io_mh_accept(buf, &p, &m))
				continue;
			if (m.type == MH_HOTI || m.type == MH_COTI)
				cn_test(&p, &m, m.type == MH_HOTI);
			else if (m.type == MH_BU)
				cn_bu(buf, &p, &m);
		} else if (p.has_hao) {
			cn_hao_in(buf, &p);
		}
	}
}

/* The kernel's packets to a bound home address: RH2 to the care-of address. */
static void cn_tun_read(int fd, void *arg)
{
	uint8_t in[MIP6_MAXPKT], out[MIP6_MAXPKT + 48];
	struct ip6 p;
	struct bce *e;
	ssize_t n;
	size_t m;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		if (ip6_parse(in, (size_t)n, &p) != IP6_OK || !(e = bc_lookup(&D.bc, &p.dst)) ||
		    !(m = ip6_add_rh2(out, sizeof(out), in, p.len, &e->coa))) {
			mip6_ctr[C_RO_DROP]++;
			continue;
		}
		e->used_ms = ev_now_ms();
		if (io_send_raw(out, m) == 0)
			mip6_ctr[C_RO_OUT]++;
	}
}

static void cn_expired(struct bce *e, void *arg)
{
	mip6_ctr[C_BINDING_EXPIRED]++;
	cn_serve(&e->hoa, false);
}

/* §9.5.5: a BRR for a binding in use that nears its expiry. */
static void cn_tick(struct ev_timer *t, void *arg)
{
	uint64_t now = ev_now_ms();

	bc_expire(&D.bc, now, cn_expired, NULL);
	for (int i = 0; i < BC_MAX; i++) {
		struct bce *e = &D.bc.e[i];
		struct mh_msg m = { .type = MH_BRR };
		uint8_t buf[16];
		size_t n;
		if (!e->used || e->brr_sent || !e->used_ms || now - e->used_ms > 10000 ||
		    e->expires_ms - now > (uint64_t)(D.cfg.brr_before * 1000))
			continue;
		e->brr_sent = true;
		if ((n = mh_build(buf, sizeof(buf), &m)))
			io_mh_send(buf, n, &D.addrs[0], &e->coa, &e->hoa, NULL, NULL);
	}
	ev_timer_arm(t, 0.5);
}

int cn_start(void)
{
	uint8_t kcn[SEC_KCN_LEN];
	char rules[256];

	bc_init(&D.bc, false);
	if (D.cfg.lifetime < D.bc.max_lifetime)
		D.bc.max_lifetime = D.cfg.lifetime;
	mip6_random(kcn, sizeof(kcn));		/* §5.2.3 */
	rr_cn_init(&D.rr, kcn, cn_next_nonce(), ev_now_ms());
	if (io_open(true) < 0 || io_tun_open() < 0)
		return -1;
	snprintf(rules, sizeof(rules),
		 "chain pre { type filter hook prerouting priority -300; policy accept;\n"
		 "  iifname != \"%s\" fib daddr type local ip6 nexthdr { 60, 135 } drop\n}",
		 MIP6_TUN);
	if (io_nft(rules) < 0)
		return -1;
	if (ev_fd_add(D.pkt, cn_pkt_read, NULL) < 0 || ev_fd_add(D.tun, cn_tun_read, NULL) < 0 ||
	    ev_timer_init(&D.tick, cn_tick, NULL) < 0)
		return -1;
	ev_timer_arm(&D.tick, 0.5);
	log_info("correspondent %s", ip6_ntoa(&D.addrs[0]));
	return 0;
}

void cn_stop(void)
{
	io_nft_del();
}

void cn_print(FILE *out)
{
	bc_print(&D.bc, ev_now_ms(), out);
}
