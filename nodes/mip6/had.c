/* had.c — the home agent (RFC 6275 §10): home registrations authenticated
 * with the RFC 4285 MN-HA option (the kernel has no Mobile IPv6 XFRM
 * support), the binding cache, proxy neighbour discovery for bound home
 * addresses (§10.4.1, the kernel's proxy_ndp plus an unsolicited NA),
 * interception through a /128 route per home address into the TUN device,
 * IPv6-in-IPv6 to the care-of address (§10.4.2, RFC 2473), and reverse
 * tunnel decapsulation (§10.4.5); nothing to or from a link-local address
 * crosses the tunnel (RFC 4291 §2.5.6). */
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include <linux/if_addr.h>
#include "daemon.h"
#include "hmac.h"
#include "log.h"
#include "netif.h"
#include "sec.h"

static const uint8_t mac_allnodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };

/* Start or stop serving a home address. */
static void ha_serve(const struct in6_addr *hoa, bool on)
{
	uint8_t na[128];
	size_t n;

	if (on) {
		netif_route6_add(hoa, 128, D.tun_ifindex, NULL);
		netif_proxy6(D.ifindex, hoa, true);
		/* §10.4.1: the home link learns the HA's link-layer address */
		if ((n = ip6_na_build(na, sizeof(na), &D.cfg.home_agent, hoa, D.mac, true)) &&
		    io_send_link(mac_allnodes, na, n) == 0)
			mip6_ctr[C_NA_TX]++;
	} else {
		netif_route6_del(hoa, 128, D.tun_ifindex);
		netif_proxy6(D.ifindex, hoa, false);
	}
}

/* RFC 4285 §6: the timestamp within replay_window of the HA's clock. */
static bool ha_replay_ok(uint64_t ts)
{
	double d = ((double)(int64_t)(ts - mip6_ntp_now())) / 4294967296.0;
	return fabs(d) <= D.cfg.replay_window;
}

/* RFC 4285 §5.1: over care-of address | home address | MH data. */
static bool ha_auth_ok(const uint8_t *mh, const struct mh_msg *m, const struct ip6 *p)
{
	struct in6_addr coa, hoa;
	uint8_t a[SEC_AUTH_LEN];

	sec_mnha_bu_addrs(p, &coa, &hoa);
	return m->has_auth && m->auth_subtype == MH_AUTH_MN_HA && m->spi == D.cfg.spi &&
	       m->auth_len == SEC_AUTH_LEN &&
	       sec_mnha_auth(D.cfg.key, (size_t)D.cfg.klen, &coa, &hoa, mh, m->auth_off, a) == 0 &&
	       hmac_equal(a, m->auth, SEC_AUTH_LEN);
}

static void ha_send_ba(const struct in6_addr *ha, const struct in6_addr *coa,
		       const struct in6_addr *hoa, const struct bu_res *r, uint64_t ts)
{
	struct mh_msg b = { .type = MH_BA, .status = r->status, .seq = r->seq,
			    .lifetime = r->lifetime, .has_replay = true, .replay = ts,
			    .has_auth = true, .auth_subtype = MH_AUTH_MN_HA, .spi = D.cfg.spi,
			    .auth_len = SEC_AUTH_LEN };
	uint8_t buf[128];
	size_t n = mh_build(buf, sizeof(buf), &b);
	bool away = memcmp(coa, hoa, 16) != 0;

	if (!n || sec_mnha_auth(D.cfg.key, (size_t)D.cfg.klen, coa, hoa, buf, b.auth_off,
				buf + b.auth_off) < 0)
		return;
	/* §6.1.8: to the care-of address with a type 2 routing header */
	if (io_mh_send(buf, n, ha, coa, away ? hoa : NULL, NULL, NULL) == 0)
		mip6_ba_status[r->status]++;
}

static void ha_bu(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m)
{
	const uint8_t *mh = pkt + p->off;
	struct bu_req q = { .m = m, .now_ms = ev_now_ms() };
	struct bu_res r;
	uint64_t ts;

	q.hoa = p->has_hao ? p->hao : p->src;
	q.coa = m->has_altcoa ? m->altcoa : p->src;
	q.auth_present = m->has_auth;
	q.auth_ok = ha_auth_ok(mh, m, p);
	q.replay_present = m->has_replay;
	q.replay_ok = m->has_replay && ha_replay_ok(m->replay);
	if (!q.auth_ok)
		mip6_ctr[C_AUTH_FAIL]++;
	else if (q.replay_present && !q.replay_ok)
		mip6_ctr[C_REPLAY_FAIL]++;
	bc_process(&D.bc, &q, &r);
	log_debug("BU %s coa %s seq %u lifetime %u: %s (status %u)", ip6_ntoa(&q.hoa),
		  ip6_ntoa(&q.coa), m->seq, m->lifetime * 4, r.why, r.status);
	if (r.status >= 128)
		mip6_ctr[C_BU_REFUSED]++;
	else if (!r.send_ba && !r.e && !r.dereg)
		mip6_ctr[C_BU_DISCARDED]++;
	else
		mip6_ctr[C_BU_ACCEPTED]++;
	if (r.created || (r.e && r.coa_changed))
		ha_serve(&q.hoa, true);
	if (r.dereg)
		ha_serve(&q.hoa, false);
	if (!r.send_ba && r.status < 128)
		return;
	/* a mismatched timestamp is answered with the HA's clock (RFC 4285 §6) */
	ts = r.status == BA_ID_MISMATCH ? mip6_ntp_now() : m->replay;
	ha_send_ba(&p->dst, &p->src, &q.hoa, &r, ts);
}

/* A reverse-tunnelled packet (§10.4.5): the inner source must be a home
 * address bound to the outer source. Forwarded through the TUN device. */
static void ha_decap(const uint8_t *pkt, const struct ip6 *p)
{
	const uint8_t *in = pkt + p->off;
	struct ip6 ip;
	struct bce *e;

	if (ip6_parse(in, p->len - p->off, &ip) != IP6_OK ||
	    !(e = bc_lookup(&D.bc, &ip.src)) || memcmp(&e->coa, &p->src, 16)) {
		mip6_ctr[C_TUN_DROP]++;
		return;
	}
	if (!ip6_is_global(&ip.dst)) {	/* RFC 4291 §2.5.6: not beyond the link */
		mip6_ctr[C_SCOPE_DROP]++;
		return;
	}
	if (io_tun_write(in, ip.len) == 0)
		mip6_ctr[C_TUN_DECAP]++;
}

static void ha_pkt_read(int fd, void *arg)
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
		if (p.nh == 41) {
			ha_decap(buf, &p);
		} else if (p.nh == MH_PROTO && io_mh_accept(buf, &p, &m)) {
			if (m.type == MH_BU)
				ha_bu(buf, &p, &m);
		} else if (p.has_hao && p.nh != MH_PROTO) {
			/* §9.3.1 at a node with no binding for it */
			mip6_ctr[C_HAO_NO_BINDING]++;
			io_send_be(BE_NO_BINDING, &p.dst, &p.src, &p.hao, NULL);
		}
	}
}

/* Packets the kernel routed to a bound home address: into the tunnel. */
static void ha_tun_read(int fd, void *arg)
{
	uint8_t in[MIP6_MAXPKT], out[MIP6_MAXPKT + 48];
	struct ip6 p;
	struct bce *e;
	ssize_t n;
	size_t m;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		if (ip6_parse(in, (size_t)n, &p) != IP6_OK || !(e = bc_lookup(&D.bc, &p.dst)) ||
		    !(m = ip6_encap(out, sizeof(out), &D.cfg.home_agent, &e->coa, 64, in, p.len))) {
			mip6_ctr[C_TUN_DROP]++;
			continue;
		}
		if (!ip6_is_global(&p.src)) {	/* RFC 4291 §2.5.6: the HA's own
						 * link-local traffic stays home */
			mip6_ctr[C_SCOPE_DROP]++;
			continue;
		}
		if (io_send_raw(out, m) == 0)
			mip6_ctr[C_TUN_ENCAP]++;
	}
}

static void ha_expired(struct bce *e, void *arg)
{
	log_info("binding %s expired", ip6_ntoa(&e->hoa));
	mip6_ctr[C_BINDING_EXPIRED]++;
	ha_serve(&e->hoa, false);
}

static void ha_tick(struct ev_timer *t, void *arg)
{
	bc_expire(&D.bc, ev_now_ms(), ha_expired, NULL);
	ev_timer_arm(t, 1);
}

int ha_start(void)
{
	char rules[512], path[128];

	bc_init(&D.bc, true);
	D.bc.home_prefix = D.cfg.home_prefix;
	D.bc.home_plen = D.cfg.home_plen;
	D.bc.prefix_lifetime = D.cfg.prefix_lifetime;
	D.bc.max_lifetime = D.cfg.lifetime;
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/proxy_ndp", D.cfg.iface);
	netif_sysctl(path, "1");
	snprintf(path, sizeof(path), "net/ipv6/neigh/%s/proxy_delay", D.cfg.iface);
	netif_sysctl(path, "0");
	if (io_open(false) < 0 || io_tun_open() < 0)
		return -1;
	/* the kernel would answer these with ICMPv6 errors: the daemon has them */
	snprintf(rules, sizeof(rules),
		 "chain pre { type filter hook prerouting priority -300; policy accept;\n"
		 "  iifname != \"%s\" fib daddr type local ip6 nexthdr { 41, 60, 135 } drop\n}",
		 MIP6_TUN);
	if (io_nft(rules) < 0)
		return -1;
	if (ev_fd_add(D.pkt, ha_pkt_read, NULL) < 0 || ev_fd_add(D.tun, ha_tun_read, NULL) < 0 ||
	    ev_timer_init(&D.tick, ha_tick, NULL) < 0)
		return -1;
	ev_timer_arm(&D.tick, 1);
	log_info("home agent %s on %s, home prefix %s/%d", ip6_ntoa(&D.cfg.home_agent),
		 D.cfg.iface, ip6_ntoa(&D.cfg.home_prefix), D.cfg.home_plen);
	return 0;
}

void ha_stop(void)
{
	for (int i = 0; i < BC_MAX; i++)
		if (D.bc.e[i].used)
			ha_serve(&D.bc.e[i].hoa, false);
	io_nft_del();
}

void ha_print(FILE *out)
{
	bc_print(&D.bc, ev_now_ms(), out);
}
