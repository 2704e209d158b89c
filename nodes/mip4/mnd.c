/* mnd.c — the mobile node at run time: advertisements read off the radio
 * link, the carrier watched through netlink (the L2 trigger), Requests sent
 * on the link to the foreign agent's MAC (or on UDP to the home agent from
 * home), and the addressing of the radio interface: the home address /32
 * with a default route through the foreign agent when away, the home
 * prefix and a gratuitous ARP when home (§4.6).
 *
 * Co-located mode (`colocated yes`, §3.1): on a foreign link the node adds
 * a care-of address of the link's prefix to the radio, registers with the
 * D flag straight to the home agent from that address, takes the home
 * agent's IP-in-IP packets off an IPPROTO_IPIP raw socket and hands the
 * inner datagrams to the kernel through a TUN device; with reverse_tunnel
 * it also encapsulates its own traffic to the home agent (RFC 3024 §5.2):
 * the default route then points into the TUN device. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include "daemon.h"
#include "log.h"
#include "netif.h"
#include "raw.h"

#define MN_TUN_TTL 64

/* The co-located care-of address now on the radio (zero: none). */
static struct in_addr mn_co_addr;
static int mn_co_plen;

static const uint8_t mac_allrouters[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 };

static void mnd_send_req(struct mn *mn, const uint8_t *msg, size_t len, bool via_agent)
{
	uint8_t ip[512];
	size_t n;

	if (!via_agent || D.cfg.colocated) {
		/* co-located: straight to the home agent from the care-of address */
		udp434_send(D.udp, via_agent ? mn->agent.ccoa : D.cfg.home_addr,
			    D.cfg.home_agent, MIP4_PORT, msg, len);
		return;
	}
	n = udp4_build(ip, sizeof(ip), D.cfg.home_addr, mn->agent.addr, MIP4_PORT,
		       MIP4_PORT, 64, msg, len);
	if (n)
		link_send_ip(&D.link, mn->agent.mac, ip, n);
}

static void mnd_send_sol(struct mn *mn)
{
	uint8_t icmp[16], ip[64];
	struct in_addr dst = { htonl(0xe0000002u) };	/* 224.0.0.2 */
	size_t n = mip4_sol_build(icmp, sizeof(icmp));

	if (n && (n = ip4_build(ip, sizeof(ip), D.cfg.home_addr, dst, IPPROTO_ICMP, 1, 0,
				false, icmp, n)))
		link_send_ip(&D.link, mac_allrouters, ip, n);
}

/* Removes the co-located care-of address and the routes that used it. */
static void mnd_co_clear(void)
{
	if (!mn_co_addr.s_addr)
		return;
	netif_addr4_del(D.link.ifindex, mn_co_addr, mn_co_plen);
	if (D.cfg.reverse_tunnel)
		netif_route4_del(D.cfg.home_agent, 32, D.link.ifindex);
	mn_co_addr.s_addr = 0;
}

/* Co-located on a foreign link: our care-of address and a default route
 * through the link's router (or into the reverse tunnel). */
static void mnd_co_attach(struct mn *mn)
{
	struct in_addr any = { 0 };
	int ifi = D.link.ifindex;

	if (mn_co_addr.s_addr != mn->agent.ccoa.s_addr)
		mnd_co_clear();
	mn_co_addr = mn->agent.ccoa;
	mn_co_plen = mn->agent.cplen;
	netif_addr4_add(ifi, mn_co_addr, mn_co_plen);
	netif_route4_add(any, 0, ifi, mn->agent.addr, true);
	if (D.cfg.reverse_tunnel) {
		netif_route4_add(D.cfg.home_agent, 32, ifi, mn->agent.addr, true);
		netif_route4_add(any, 0, netif_index(D.tun_name), any, false);
	}
}

static void mnd_attach(struct mn *mn, enum mn_where where)
{
	const struct mip4_cfg *c = &D.cfg;
	struct in_addr any = { 0 };
	int ifi = D.link.ifindex;

	switch (where) {
	case MN_AT_HOME:
		mnd_co_clear();
		netif_addr4_del(ifi, c->home_addr, 32);
		netif_addr4_add(ifi, c->home_addr, c->home_plen);
		netif_route4_add(any, 0, ifi, c->home_gw, false);
		link_garp(&D.link, c->home_addr, D.link.mac);
		break;
	case MN_AT_FOREIGN:
		if (c->home_plen != 32)
			netif_addr4_del(ifi, c->home_addr, c->home_plen);
		netif_addr4_add(ifi, c->home_addr, 32);
		if (c->colocated)
			mnd_co_attach(mn);
		else
			netif_route4_add(any, 0, ifi, mn->agent.addr, true);
		break;
	case MN_AT_NONE:
		/* carrier lost or agent gone: no route through the old agent
		 * or router and no co-located address that is no longer ours;
		 * the kernel drops and counts what is sent meanwhile (no route,
		 * IpOutNoRoutes in nstat), the reverse tunnel counts tun_drop */
		mnd_co_clear();
		netif_route4_del(any, 0, ifi);
		break;
	}
}

static void mnd_link_read(int fd, void *arg)
{
	uint8_t buf[2048], mac[6];
	struct mip4_adv a;
	struct ip4 ip;
	enum mip4_verdict v;
	int type;
	ssize_t n;

	while ((n = pkt_recv(fd, buf, sizeof(buf), mac, &type)) > 0) {
		if (type == PACKET_OUTGOING || ip4_parse(buf, (size_t)n, &ip) != MIP4_OK ||
		    ip.proto != IPPROTO_ICMP || ip.plen < 1 || ip.payload[0] != 9)
			continue;
		if ((v = mip4_adv_parse(ip.payload, ip.plen, &a)) != MIP4_OK) {
			mip4_ctr[v == MIP4_UNKNOWN ? C_PARSE_UNKNOWN : v == MIP4_TRUNCATED ?
				 C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
			continue;
		}
		mn_adv(&D.mn, &a, ip.src, mac);
	}
}

static void mnd_udp_read(int fd, void *arg)
{
	uint8_t buf[2048];
	struct in_addr src, dst;
	uint16_t sport;
	int ifindex;
	ssize_t n;

	while ((n = udp434_recv(fd, buf, sizeof(buf), &src, &sport, &dst, &ifindex)) >= 0)
		mn_reply(&D.mn, buf, (size_t)n);
}

/* Co-located: the home agent's tunnel to our care-of address (RFC 2003),
 * inner datagrams for the home address handed to the kernel. */
static void mnd_ipip_read(int fd, void *arg)
{
	uint8_t buf[2100];
	struct ip4 out, in;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (ip4_parse(buf, (size_t)n, &out) != MIP4_OK ||
		    ip4_parse(out.payload, out.plen, &in) != MIP4_OK ||
		    !mn_co_addr.s_addr || out.dst.s_addr != mn_co_addr.s_addr ||
		    out.src.s_addr != D.cfg.home_agent.s_addr ||
		    in.dst.s_addr != D.cfg.home_addr.s_addr) {
			mip4_ctr[C_TUN_DROP]++;
			continue;
		}
		if (write(D.tun, out.payload, in.tot) < 0)
			log_warn("write %s", D.tun_name);
		else
			mip4_ctr[C_TUN_DECAP]++;
	}
}

/* Co-located with reverse_tunnel: what the kernel routed into the TUN
 * device goes to the home agent in IP-in-IP from the care-of address. */
static void mnd_tun_read(int fd, void *arg)
{
	uint8_t in[2048], out[2100];
	struct ip4 ip;
	ssize_t n;
	size_t m;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		if (!mn_co_addr.s_addr || ip4_parse(in, (size_t)n, &ip) != MIP4_OK ||
		    ip.src.s_addr != D.cfg.home_addr.s_addr ||
		    !(m = ip4_encap(out, sizeof(out), mn_co_addr, D.cfg.home_agent,
				    MN_TUN_TTL, in, (size_t)n))) {
			mip4_ctr[C_TUN_DROP]++;
			continue;
		}
		if (raw4_send(D.raw, out, m) < 0)
			log_warn("reverse tunnel to %s", mip4_ntoa(D.cfg.home_agent));
		else
			mip4_ctr[C_RT_ENCAP]++;
	}
}

static int mnd_co_open(void)
{
	char p[96];

	snprintf(D.tun_name, sizeof(D.tun_name), "mip4mn");
	if ((D.raw = raw4_open_send()) < 0 || (D.ipip = raw4_open_proto(IPPROTO_IPIP)) < 0 ||
	    (D.tun = tun_open(D.tun_name)) < 0 || netif_set_up(D.tun_name) < 0)
		return -1;
	io_rcvbuf(D.ipip, IO_RCVBUF);
	/* the inner datagrams come in on the TUN device from anywhere */
	netif_sysctl("net/ipv4/conf/all/rp_filter", "0");
	snprintf(p, sizeof(p), "net/ipv4/conf/%s/rp_filter", D.tun_name);
	netif_sysctl(p, "0");
	if (ev_fd_add(D.ipip, mnd_ipip_read, NULL) < 0 || ev_fd_add(D.tun, mnd_tun_read, NULL) < 0)
		return -1;
	return 0;
}

static void mnd_carrier(int ifindex, const char *name, bool up, void *arg)
{
	static int last = -1;
	if (ifindex != D.link.ifindex || last == (int)up)
		return;
	last = up;
	log_info("%s carrier %s", name, up ? "up" : "down");
	mn_carrier(&D.mn, up);
	/* An advertisement can arrive before the carrier-up notification: the
	 * node then went home, and sent its gratuitous ARP, on a link that was
	 * not yet up. Say it again now (§4.6: repeat it a few times). */
	if (up && D.mn.agent.valid && D.mn.agent.home &&
	    (D.mn.state == MN_HOME || D.mn.state == MN_DEREGISTERING))
		link_garp(&D.link, D.cfg.home_addr, D.link.mac);
}

static void mnd_linkmon_read(int fd, void *arg)
{
	linkmon_read(fd, mnd_carrier, NULL);
}

int mn_daemon_start(void)
{
	if (mn_init(&D.mn, &D.cfg) < 0)
		return -1;
	D.mn.send_req = mnd_send_req;
	D.mn.send_sol = mnd_send_sol;
	D.mn.attach = mnd_attach;
	netif_set_up(D.cfg.home_iface);
	if (link_open(&D.link, D.cfg.home_iface, false) < 0 ||
	    (D.udp = udp434_open()) < 0 || (D.linkmon = linkmon_open()) < 0)
		return -1;
	if (D.cfg.colocated && mnd_co_open() < 0)
		return -1;
	/* the home address is ours wherever we are: replies reach the socket */
	netif_addr4_add(D.link.ifindex, D.cfg.home_addr, 32);
	if (ev_fd_add(D.udp, mnd_udp_read, NULL) < 0 ||
	    ev_fd_add(D.link.ipfd, mnd_link_read, NULL) < 0 ||
	    ev_fd_add(D.linkmon, mnd_linkmon_read, NULL) < 0)
		return -1;
	log_info("mobile node %s, home agent %s, on %s%s", mip4_ntoa(D.cfg.home_addr),
		 mip4_ntoa(D.cfg.home_agent), D.link.name,
		 D.cfg.colocated ? ", co-located care-of addresses" : "");
	if (netif_carrier(D.link.name))
		mnd_carrier(D.link.ifindex, D.link.name, true, NULL);
	return 0;
}

void mn_daemon_stop(void)
{
	mnd_co_clear();
	mn_free(&D.mn);
}
