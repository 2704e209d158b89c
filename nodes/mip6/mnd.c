/* mnd.c — the mobile node (RFC 6275 §11). Movement detection from router
 * advertisements (a new prefix; the Advertisement Interval option, §7.3)
 * and from the L2 trigger (wlan0's carrier); the care-of address formed
 * from the advertised prefix and the interface identifier, configured with
 * DAD, optimistic DAD or none; the home registration with the RFC 4285
 * options, retransmitted with exponential back-off (§11.8) and refreshed
 * before it expires; returning home (§11.5.4). The home address lives on
 * the TUN device while away (a default route through it brings the
 * kernel's packets to the daemon, which reverse-tunnels them to the home
 * agent, §11.3.1, or sends them with a Home Address option to a
 * correspondent with a binding). Return routability (§11.6) and route
 * optimisation: mnd_rr.c; answering as a correspondent: mnd_cn.c. Carrier
 * loss: mn_link.c. */
#include <string.h>
#include <unistd.h>
#include <linux/if_addr.h>
#include <linux/if_packet.h>
#include "daemon.h"
#include "hmac.h"
#include "log.h"
#include "mnd.h"
#include "mn_link.h"
#include "netif.h"
#include "sec.h"

static const uint8_t mac_allrouters[6] = { 0x33, 0x33, 0, 0, 0, 2 };
static const uint8_t mac_allnodes[6] = { 0x33, 0x33, 0, 0, 0, 1 };

static struct bul *mn_ha(void) { return &D.mn.bul[0]; }

/* --- the home registration --------------------------------------------- */

void mn_bu_send(struct bul *b)
{
	struct mn *mn = &D.mn;
	struct mh_msg m = { .type = MH_BU, .seq = b->seq,
			    .flags = MH_BU_A | MH_BU_H, .lifetime = b->dereg ? 0 : b->lifetime,
			    .has_replay = true, .replay = mip6_ntp_now(), .has_auth = true,
			    .auth_subtype = MH_AUTH_MN_HA, .spi = D.cfg.spi,
			    .auth_len = SEC_AUTH_LEN };
	const struct in6_addr *src = b->dereg ? &b->hoa : &b->coa;
	uint8_t buf[128];
	size_t n = mh_build(buf, sizeof(buf), &m);

	if (!n || sec_mnha_auth(D.cfg.key, (size_t)D.cfg.klen, src, &b->hoa, buf, m.auth_off,
				buf + m.auth_off) < 0)
		return;
	b->replay_sent = m.replay;
	/* §11.7.1: from the care-of address with the Home Address option; from
	 * the home address itself when deregistering at home */
	if (io_mh_send(buf, n, src, &b->peer, NULL, b->dereg ? NULL : &b->hoa,
		       mn->router_mac) == 0) {
		b->n_sent++;
		b->sent_ms = ev_now_ms();
		if (!mn->t_bu)
			mn->t_bu = b->sent_ms;
	}
}

static void mn_bu_timer(struct ev_timer *t, void *arg)
{
	struct bul *b = arg;

	if (!b->home) {
		mn_rr_timer(b);
		return;
	}
	if (b->state == BUL_BOUND) {		/* refresh before expiry */
		mip6_ctr[C_REFRESH]++;
		mn_register(false);
		return;
	}
	if (b->state != BUL_PENDING)
		return;
	if (!(b->timeout_ms = bul_backoff(b->timeout_ms))) {
		mip6_ctr[C_GIVE_UP]++;
		log_warnx("home registration: no acknowledgement after %d tries", b->tries);
		b->state = BUL_IDLE;
		return;
	}
	mip6_ctr[C_RETRANSMIT]++;
	b->tries++;
	bul_seq_retransmit(b);		/* §11.8: a greater sequence number */
	mn_bu_send(b);
	ev_timer_arm_ms(&b->timer, b->timeout_ms);
}

void mn_register(bool dereg)
{
	struct bul *b = mn_ha();
	struct mn *mn = &D.mn;

	if (!dereg && !mn->coa_ready)
		return;
	bul_seq_next(b);
	b->dereg = dereg;
	b->coa = dereg ? b->hoa : mn->coa;
	b->state = BUL_PENDING;
	b->tries = 1;
	b->timeout_ms = bul_first_timeout(true, !mn->first_reg_done);
	mn_bu_send(b);
	ev_timer_arm_ms(&b->timer, b->timeout_ms);
}

static bool mn_ba_auth_ok(const uint8_t *mh, const struct mh_msg *m, const struct bul *b)
{
	uint8_t a[SEC_AUTH_LEN];
	return m->has_auth && m->auth_len == SEC_AUTH_LEN && m->spi == D.cfg.spi &&
	       sec_mnha_auth(D.cfg.key, (size_t)D.cfg.klen, &b->coa, &b->hoa, mh,
			     m->auth_off, a) == 0 && hmac_equal(a, m->auth, SEC_AUTH_LEN);
}

static void mn_home_ba(const uint8_t *mh, const struct mh_msg *m)
{
	struct bul *b = mn_ha();
	struct mn *mn = &D.mn;
	uint64_t now = ev_now_ms();

	mip6_ba_status[m->status]++;
	if (b->state != BUL_PENDING || !mn_ba_auth_ok(mh, m, b)) {
		mip6_ctr[C_BA_UNMATCHED]++;
		log_debug("BA seq %u status %u: unmatched or not authentic", m->seq, m->status);
		return;
	}
	if (m->status == BA_SEQ_OUT_OF_WINDOW) {	/* §11.7.1: resync */
		b->seq = m->seq;
		b->n_refused++;
		mn_register(b->dereg);
		return;
	}
	if (!bul_seq_matches(b, m->seq)) {	/* §11.7.3 */
		mip6_ctr[C_BA_UNMATCHED]++;
		return;
	}
	if (m->status >= 128) {
		b->n_refused++;
		b->state = BUL_IDLE;
		ev_timer_disarm(&b->timer);
		log_warnx("home registration refused: status %u", m->status);
		return;
	}
	b->n_acked++;
	b->acked_ms = now;
	b->last_rtt_ms = now - b->sent_ms;
	mn->t_ba = now;
	if (b->dereg) {
		b->state = BUL_IDLE;
		b->granted = 0;
		ev_timer_disarm(&b->timer);
		log_info("deregistered at home (seq %u)", b->seq);
		/* §11.5.4: the home link learns the MN's own link-layer address */
		{
			uint8_t na[128];
			size_t n = ip6_na_build(na, sizeof(na), &b->hoa, &b->hoa, D.mac, false);
			if (n && io_send_link(mac_allnodes, na, n) == 0)
				mip6_ctr[C_NA_TX]++;
		}
		return;
	}
	mn->first_reg_done = true;
	b->state = BUL_BOUND;
	b->granted = m->lifetime;
	b->expires_ms = now + (uint64_t)m->lifetime * 4000;
	log_info("registered %s at %s, lifetime %u s, %llu ms after the BU",
		 ip6_ntoa(&b->coa), ip6_ntoa(&b->peer), m->lifetime * 4,
		 (unsigned long long)b->last_rtt_ms);
	if (m->lifetime)
		ev_timer_arm_ms(&b->timer, bul_refresh_ms((uint32_t)m->lifetime * 4));
}

/* --- movement ------------------------------------------------------------ */

static bool mn_coa_tentative(const struct in6_addr *a, bool *found)
{
	FILE *f = fopen("/proc/net/if_inet6", "r");
	char hex[33], want[33], name[32];
	unsigned idx, plen, scope, flags;
	bool tent = false;

	*found = false;
	if (!f)
		return false;
	for (int i = 0; i < 16; i++)
		snprintf(want + 2 * i, 3, "%02x", a->s6_addr[i]);
	while (fscanf(f, "%32s %x %x %x %x %31s", hex, &idx, &plen, &scope, &flags, name) == 6)
		if (!strcmp(hex, want)) {
			*found = true;
			tent = (flags & IFA_F_TENTATIVE) && !(flags & IFA_F_OPTIMISTIC);
		}
	fclose(f);
	return tent;
}

static void mn_coa_ready(void)
{
	struct mn *mn = &D.mn;
	mn->coa_ready = true;
	mn->t_coa = ev_now_ms();
	log_info("care-of address %s ready after %llu ms", ip6_ntoa(&mn->coa),
		 (unsigned long long)(mn->t_coa - mn->t_ra));
	mn_register(false);
	mn_rr_moved();
}

static void mn_dad_timer(struct ev_timer *t, void *arg)
{
	struct mn *mn = &D.mn;
	bool found;

	if (mn->where != MN_AWAY || mn->coa_ready || !mn->link_up)
		return;
	if (!mn_coa_tentative(&mn->coa, &found) && found) {
		mn_coa_ready();
		return;
	}
	if (!found && ev_now_ms() - mn->dad_started_ms > 500) {
		log_warnx("care-of address %s: DAD failed (the address is gone)",
			  ip6_ntoa(&mn->coa));
		return;
	}
	ev_timer_arm_ms(t, 10);
}

static void mn_go_home(const struct ip6 *p, const struct ip6_ra *ra)
{
	struct mn *mn = &D.mn;
	struct in6_addr any = IN6ADDR_ANY_INIT;

	if (mn->where == MN_AWAY) {
		netif_addr6_del(D.ifindex, &mn->coa, 64);
		netif_route6_del(&any, 0, D.tun_ifindex);
		netif_addr6_del(D.tun_ifindex, &D.cfg.home_addr, 128);
	}
	mn->where = MN_HOME;
	mn->coa_ready = false;
	mn->coa = D.cfg.home_addr;
	netif_addr6_add(D.ifindex, &D.cfg.home_addr, D.cfg.home_plen, IFA_F_NODAD);
	netif_route6_add(&any, 0, D.ifindex, &p->src);
	log_info("at home (router %s)", ip6_ntoa(&p->src));
	if (mn_ha()->state == BUL_BOUND || mn_ha()->state == BUL_PENDING || mn->first_reg_done)
		mn_register(true);
	mn_rr_home();
}

static void mn_go_away(const struct ip6 *p, const struct ip6_ra *ra)
{
	struct mn *mn = &D.mn;
	struct in6_addr any = IN6ADDR_ANY_INIT, coa;
	unsigned flags = D.cfg.dad == DAD_OFF ? IFA_F_NODAD :
			 D.cfg.dad == DAD_OPTIMISTIC ? IFA_F_OPTIMISTIC : 0;

	ip6_slaac(&coa, &ra->prefix, D.mac);
	if (mn->where == MN_HOME || mn->where == MN_UNKNOWN) {
		netif_route6_del(&any, 0, D.ifindex);
		netif_addr6_del(D.ifindex, &D.cfg.home_addr, D.cfg.home_plen);
		netif_addr6_add(D.tun_ifindex, &D.cfg.home_addr, 128, IFA_F_NODAD);
		netif_route6_add(&any, 0, D.tun_ifindex, NULL);
	} else if (memcmp(&mn->coa, &coa, 16)) {
		netif_addr6_del(D.ifindex, &mn->coa, 64);
	}
	mn->where = MN_AWAY;
	mn->coa = coa;
	mn->coa_ready = false;
	netif_addr6_add(D.ifindex, &coa, ra->plen, flags);
	log_info("away: prefix %s/%u, care-of address %s (dad %s)", ip6_ntoa(&ra->prefix),
		 ra->plen, ip6_ntoa(&coa), D.cfg.dad == DAD_ON ? "on" :
		 D.cfg.dad == DAD_OPTIMISTIC ? "optimistic" : "off");
	if (D.cfg.dad == DAD_ON) {
		mn->dad_started_ms = ev_now_ms();
		ev_timer_arm_ms(&mn->dad_timer, 10);
	} else {
		mn_coa_ready();
	}
}

static void mn_ra(const uint8_t *pkt, const struct ip6 *p)
{
	struct mn *mn = &D.mn;
	struct ip6_ra ra;
	bool home;

	if (ip6_ra_parse(pkt + p->off, p->len - p->off, &ra) != IP6_OK || !ra.has_prefix ||
	    ra.plen != 64)
		return;
	mip6_ctr[C_RA_RX]++;
	mn->last_ra_ms = ev_now_ms();
	mn->ra_since_up = true;
	if (ra.has_interval)
		mn->ra_interval_ms = ra.interval_ms;
	if (ra.has_slla)
		memcpy(mn->router_mac, ra.slla, 6);
	home = ip6_same_prefix(&ra.prefix, &D.cfg.home_prefix, D.cfg.home_plen);
	if (!memcmp(&mn->prefix, &ra.prefix, 16) && mn->where != MN_UNKNOWN)
		return;			/* the same link */
	/* movement detected (§11.5.1): a new prefix */
	mip6_ctr[C_MOVES]++;
	mn->t_ra = mn->last_ra_ms;
	mn->t_coa = mn->t_bu = mn->t_ba = mn->t_ro = 0;
	mn->prefix = ra.prefix;
	mn->router = p->src;
	if (home)
		mn_go_home(p, &ra);
	else
		mn_go_away(p, &ra);
}

static void mn_send_rs(void)
{
	uint8_t rs[128];
	struct in6_addr any = IN6ADDR_ANY_INIT;
	size_t n = ip6_rs_build(rs, sizeof(rs), &any, D.mac);
	if (n && io_send_link(mac_allrouters, rs, n) == 0)
		mip6_ctr[C_RS_TX]++;
}

/* solicit on: up to MAX_RTR_SOLICITATIONS after carrier up until an RA
 * comes (RFC 4861 §6.3.7; the first without the random delay: the node
 * has just changed links, RFC 6275 §11.5.1) */
static void mn_rs_timer(struct ev_timer *t, void *arg)
{
	struct mn *mn = &D.mn;

	if (!mn_rs_due(mn, ev_now_ms()))
		return;
	mn_send_rs();
	if (mn->rs_sent < MN_MAX_RTR_SOLICITATIONS)
		ev_timer_arm_ms(t, MN_RTR_SOLICITATION_INTERVAL_MS);
}

/* The L2 trigger: carrier lost, then back on another cell. */
static void mn_link(int ifindex, const char *name, bool carrier, void *arg)
{
	struct mn *mn = &D.mn;
	struct in6_addr any = IN6ADDR_ANY_INIT;

	if (ifindex != D.ifindex || carrier == mn->link_up)
		return;
	if (!carrier) {
		mip6_ctr[C_L2_DOWN]++;
		/* the router and the care-of address are gone with the link:
		 * nothing more to the old router (dropped and counted) */
		mn_link_down(mn, ev_now_ms());
		ev_timer_disarm(&mn->rs_timer);
		if (mn->where == MN_HOME)
			netif_route6_del(&any, 0, D.ifindex);
		log_info("carrier lost: no router, care-of address %s unusable",
			 ip6_ntoa(&mn->coa));
		return;
	}
	mip6_ctr[C_L2_UP]++;
	mn_link_up(mn, ev_now_ms());
	/* ask for an RA only when told to: radvd answers an RS up to 0.5 s
	 * later (RFC 4861 §6.2.6, MAX_RA_DELAY_TIME) and postpones its next
	 * unsolicited RA until then, which can be slower than waiting for a
	 * 30-70 ms advertisement (docs/mip6.md has the figures) */
	if (D.cfg.solicit)
		mn_rs_timer(&mn->rs_timer, NULL);
}

static void mn_linkmon_read(int fd, void *arg)
{
	linkmon_read(fd, mn_link, NULL);
}

/* --- data path ------------------------------------------------------------ */

/* A packet for the home address, after the tunnel or RH2 are undone. */
static void mn_deliver(const uint8_t *pkt, size_t len, const struct in6_addr *tunnel_src)
{
	struct ip6 p;
	struct mh_msg m;

	if (ip6_parse(pkt, len, &p) != IP6_OK || memcmp(&p.dst, &D.cfg.home_addr, 16)) {
		mip6_ctr[C_TUN_DROP]++;
		return;
	}
	if (p.nh == MH_PROTO) {
		if (io_mh_accept(pkt, &p, &m))
			mn_mh(pkt, &p, &m, tunnel_src != NULL);
		return;
	}
	if (p.has_hao) {		/* from a mobile node bound here (§9.3.1) */
		uint8_t in[MIP6_MAXPKT];
		size_t k;
		if (!mn_cn_hao_in(pkt, &p, in, sizeof(in), &k))
			return;
		io_tun_write(in, k);	/* at home too: the address is local */
		if (D.cfg.ro)		/* it talks to us: route-optimise back */
			mn_rr_start(&p.hao);
		return;
	}
	if (p.nh == 58 && p.off < p.len && pkt[p.off] == 4)	/* Parameter Problem */
		mn_rr_icmp(pkt + p.off, p.len - p.off);
	if (D.mn.where == MN_AWAY)
		io_tun_write(pkt, p.len);
	if (tunnel_src && D.cfg.ro && memcmp(&p.src, &D.cfg.home_agent, 16))
		mn_rr_start(&p.src);	/* §11.6: a correspondent talks through the HA */
}

void mn_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m, bool tunnelled)
{
	const uint8_t *mh = pkt + p->off;
	const struct in6_addr *peer = &p->src;

	if (m->type == MH_BA && !memcmp(peer, &D.cfg.home_agent, 16))
		mn_home_ba(mh, m);
	else if (!mn_cn_mh(pkt, p, m))	/* as a correspondent: HoTI, CoTI, BU */
		mn_rr_mh(pkt, p, m, tunnelled);
}

static void mn_pkt_read(int fd, void *arg)
{
	uint8_t buf[MIP6_MAXPKT], in[MIP6_MAXPKT];
	struct mn *mn = &D.mn;
	int ifindex, type;
	ssize_t n;

	while ((n = io_recv(buf, sizeof(buf), &ifindex, &type)) >= 0) {
		struct ip6 p;
		struct mh_msg m;
		size_t k;

		if (type == PACKET_OUTGOING || ifindex != D.ifindex ||
		    ip6_parse(buf, (size_t)n, &p) != IP6_OK)
			continue;
		if (p.nh == 58 && p.off < p.len && buf[p.off] == 134) {
			mn_ra(buf, &p);
			continue;
		}
		if (memcmp(&p.dst, &mn->coa, 16) && memcmp(&p.dst, &D.cfg.home_addr, 16))
			continue;
		if (p.has_rh2) {		/* §11.3.3: only our own home address */
			if (memcmp(&p.rh2, &D.cfg.home_addr, 16) || p.rh2_left != 1 ||
			    !(k = ip6_strip_rh2(in, sizeof(in), buf, &p))) {
				mip6_ctr[C_RO_DROP]++;
				continue;
			}
			mip6_ctr[C_RO_IN]++;
			mn_deliver(in, k, NULL);
		} else if (p.nh == 41) {
			mip6_ctr[C_TUN_DECAP]++;
			mn_deliver(buf + p.off, p.len - p.off, &p.src);
		} else if (p.nh == MH_PROTO && io_mh_accept(buf, &p, &m)) {
			mn_mh(buf, &p, &m, false);
		} else if (p.has_hao) {		/* at home, from a bound mobile node */
			mn_deliver(buf, p.len, NULL);
		} else if (p.nh == 58 && p.off < p.len && buf[p.off] == 4) {
			mn_rr_icmp(buf + p.off, p.len - p.off);	/* to a CoTI */
		}
	}
}

/* The kernel's packets from the home address while away. */
static void mn_tun_read(int fd, void *arg)
{
	uint8_t in[MIP6_MAXPKT], out[MIP6_MAXPKT + 48];
	struct mn *mn = &D.mn;
	struct ip6 p;
	ssize_t n;
	size_t m;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		if (ip6_parse(in, (size_t)n, &p) != IP6_OK || memcmp(&p.src, &D.cfg.home_addr, 16)) {
			mip6_ctr[C_TUN_DROP]++;
			continue;
		}
		if (mn_cn_route(in, &p, mn->where == MN_AWAY && mn_rr_bound(&p.dst)))
			continue;		/* a home address bound here (§9.3.2) */
		if (mn->where != MN_AWAY) {
			mip6_ctr[C_TUN_DROP]++;
			continue;
		}
		if (!mn->coa_ready) {		/* between links (carrier lost) */
			mip6_ctr[C_NO_LINK_DROP]++;
			continue;
		}
		if (mn_rr_bound(&p.dst) && (m = ip6_add_hao(out, sizeof(out), in, p.len, &mn->coa))) {
			if (io_send_link(mn->router_mac, out, m) == 0)
				mip6_ctr[C_RO_OUT]++;
			continue;
		}
		/* §11.3.1: reverse tunnelled to the home agent */
		if ((m = ip6_encap(out, sizeof(out), &mn->coa, &D.cfg.home_agent, 64, in, p.len)) &&
		    io_send_link(mn->router_mac, out, m) == 0)
			mip6_ctr[C_TUN_ENCAP]++;
	}
}

int mn_start(void)
{
	struct mn *mn = &D.mn;
	struct bul *b = mn_ha();
	char path[128];
	char rules[256];

	memset(mn, 0, sizeof(*mn));
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/accept_ra", D.cfg.iface);
	netif_sysctl(path, "0");
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/autoconf", D.cfg.iface);
	netif_sysctl(path, "0");
	if (D.cfg.dad == DAD_OPTIMISTIC) {
		snprintf(path, sizeof(path), "net/ipv6/conf/%s/optimistic_dad", D.cfg.iface);
		netif_sysctl(path, "1");
	}
	if (io_open(false) < 0 || io_tun_open() < 0)
		return -1;
	/* advertisements that came before accept_ra=0 (the router may start
	 * first) left a kernel address and on-link prefix route on the radio:
	 * away from home it would send to home addresses on the link itself */
	netif_flush6_ra(D.ifindex);
	snprintf(rules, sizeof(rules),
		 "chain pre { type filter hook prerouting priority -300; policy accept;\n"
		 "  iifname \"%s\" ip6 nexthdr { 41, 43, 60, 135 } drop\n}", D.cfg.iface);
	if (io_nft(rules) < 0)
		return -1;
	b->used = true;
	b->home = true;
	b->peer = D.cfg.home_agent;
	b->hoa = D.cfg.home_addr;
	b->lifetime = (uint16_t)(D.cfg.lifetime / 4);
	mip6_random(&b->seq, sizeof(b->seq));
	if (ev_timer_init(&b->timer, mn_bu_timer, b) < 0 ||
	    ev_timer_init(&mn->dad_timer, mn_dad_timer, NULL) < 0 ||
	    ev_timer_init(&mn->rs_timer, mn_rs_timer, NULL) < 0)
		return -1;
	mn->link_up = true;		/* as started; the monitor says otherwise */
	for (int i = 1; i < BUL_MAX; i++)
		if (ev_timer_init(&mn->bul[i].timer, mn_bu_timer, &mn->bul[i]) < 0)
			return -1;
	if ((D.linkmon = linkmon_open()) < 0 || ev_fd_add(D.linkmon, mn_linkmon_read, NULL) < 0 ||
	    ev_fd_add(D.pkt, mn_pkt_read, NULL) < 0 || ev_fd_add(D.tun, mn_tun_read, NULL) < 0)
		return -1;
	if (mn_cn_start() < 0)		/* the binding cache, answering only with ro */
		return -1;
	log_info("mobile node %s, home agent %s, radio %s", ip6_ntoa(&D.cfg.home_addr),
		 ip6_ntoa(&D.cfg.home_agent), D.cfg.iface);
	mn_send_rs();
	return 0;
}

void mn_stop(void)
{
	io_nft_del();
}

static const char *const mn_where_names[] = {
	[MN_UNKNOWN] = "unknown", [MN_HOME] = "home", [MN_AWAY] = "away",
};

static long long mn_d(uint64_t a, uint64_t b)
{
	return a && b && b >= a ? (long long)(b - a) : -1;
}

void mn_print(FILE *out)
{
	struct mn *mn = &D.mn;
	struct bul *b = mn_ha();

	fprintf(out, "state %s\n", mn->where == MN_AWAY && b->state == BUL_BOUND ? "registered" :
		mn->where == MN_HOME && b->state != BUL_PENDING ? "home" :
		mn_where_names[mn->where]);
	fprintf(out, "where %s\nhome_addr %s\ncare_of %s%s\nrouter %s\nra_interval_ms %u\n",
		mn_where_names[mn->where], ip6_ntoa(&D.cfg.home_addr), ip6_ntoa(&mn->coa),
		mn->coa_ready ? "" : " (not ready)", ip6_ntoa(&mn->router), mn->ra_interval_ms);
	/* the last handoff, in parts (ms; -1: not seen) */
	fprintf(out, "handoff l2_gap %lld detect %lld addr %lld bu_wait %lld reg_rtt %lld "
		"total %lld ro %lld\n", mn_d(mn->t_l2_down, mn->t_l2_up),
		mn_d(mn->t_l2_up, mn->t_ra), mn_d(mn->t_ra, mn->t_coa),
		mn_d(mn->t_coa, mn->t_bu), mn_d(mn->t_bu, mn->t_ba),
		mn_d(mn->t_l2_down ? mn->t_l2_down : mn->t_ra, mn->t_ba),
		mn_d(mn->t_ba, mn->t_ro));
}

void bul_list_print(FILE *out)
{
	for (int i = 0; i < BUL_MAX; i++)
		if (D.mn.bul[i].used)
			bul_print(&D.mn.bul[i], ev_now_ms(), out);
}
