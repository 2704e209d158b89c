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
#include "log.h"
#include "netif.h"

static int cn_send(uint8_t *mh, size_t n, const struct in6_addr *src,
		   const struct in6_addr *dst, const struct in6_addr *rh2)
{
	return io_mh_send(mh, n, src, dst, rh2, NULL, NULL);
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
	struct bu_res r;

	cn_answer_bu(pkt, p, m, cn_send, &r);
	if (r.created)
		cn_serve(&r.e->hoa, true);
	if (r.dereg)
		cn_serve(p->has_hao ? &p->hao : &p->src, false);
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
				cn_answer_test(&p, &m, cn_send);
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
	char rules[256];

	bc_init(&D.bc, false);
	if (D.cfg.lifetime < D.bc.max_lifetime)
		D.bc.max_lifetime = D.cfg.lifetime;
	cn_answer_init();
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
