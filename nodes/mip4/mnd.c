/* mnd.c — the mobile node at run time: advertisements read off the radio
 * link, the carrier watched through netlink (the L2 trigger), Requests sent
 * on the link to the foreign agent's MAC (or on UDP to the home agent from
 * home), and the addressing of the radio interface: the home address /32
 * with a default route through the foreign agent when away, the home
 * prefix and a gratuitous ARP when home (§4.6). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include "daemon.h"
#include "log.h"
#include "netif.h"
#include "raw.h"

static const uint8_t mac_allrouters[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x02 };

static void mnd_send_req(struct mn *mn, const uint8_t *msg, size_t len, bool via_agent)
{
	uint8_t ip[512];
	size_t n;

	if (!via_agent) {
		udp434_send(D.udp, D.cfg.home_addr, D.cfg.home_agent, MIP4_PORT, msg, len);
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

static void mnd_attach(struct mn *mn, enum mn_where where)
{
	const struct mip4_cfg *c = &D.cfg;
	struct in_addr any = { 0 };
	int ifi = D.link.ifindex;

	switch (where) {
	case MN_AT_HOME:
		netif_addr4_del(ifi, c->home_addr, 32);
		netif_addr4_add(ifi, c->home_addr, c->home_plen);
		netif_route4_add(any, 0, ifi, c->home_gw, false);
		link_garp(&D.link, c->home_addr, D.link.mac);
		break;
	case MN_AT_FOREIGN:
		if (c->home_plen != 32)
			netif_addr4_del(ifi, c->home_addr, c->home_plen);
		netif_addr4_add(ifi, c->home_addr, 32);
		netif_route4_add(any, 0, ifi, mn->agent.addr, true);
		break;
	case MN_AT_NONE:
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
	/* the home address is ours wherever we are: replies reach the socket */
	netif_addr4_add(D.link.ifindex, D.cfg.home_addr, 32);
	if (ev_fd_add(D.udp, mnd_udp_read, NULL) < 0 ||
	    ev_fd_add(D.link.ipfd, mnd_link_read, NULL) < 0 ||
	    ev_fd_add(D.linkmon, mnd_linkmon_read, NULL) < 0)
		return -1;
	log_info("mobile node %s, home agent %s, on %s", mip4_ntoa(D.cfg.home_addr),
		 mip4_ntoa(D.cfg.home_agent), D.link.name);
	if (netif_carrier(D.link.name))
		mnd_carrier(D.link.ifindex, D.link.name, true, NULL);
	return 0;
}

void mn_daemon_stop(void)
{
	mn_free(&D.mn);
}
