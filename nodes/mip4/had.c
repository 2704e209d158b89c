/* had.c — the home agent at run time: registrations on UDP 434, the home
 * link (advertisements, proxy and gratuitous ARP, RFC 5944 §4.6), and the
 * IP-in-IP tunnel to care-of addresses (RFC 2003) through a TUN device that
 * holds a /32 route per bound home address; reverse-tunnelled packets
 * (RFC 3024) come back on an IPPROTO_IPIP raw socket. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_packet.h>
#include "daemon.h"
#include "log.h"
#include "netif.h"
#include "raw.h"

#define HA_TUN_TTL 64
/* RFC 2003 §5.1: the tunnel's MTU is the path's less the outer header, so
 * that the kernel fragments (or answers "fragmentation needed" for DF)
 * before the daemon encapsulates: an IPPROTO_RAW socket never fragments. */
#define HA_TUN_MTU (1500 - 20)

/* and a queue that holds bursts while the daemon is not scheduled (500 by
 * default: packets for away mobile nodes were dropped under load) */
#define HA_TUN_QLEN 4096

static int ha_tun_setup(const char *name, int mtu, int qlen)
{
	struct ifreq ifr = { .ifr_mtu = mtu };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	rc = fd < 0 ? -1 : ioctl(fd, SIOCSIFMTU, &ifr);
	if (rc < 0)
		log_warn("%s: setting MTU %d", name, mtu);
	ifr.ifr_qlen = qlen;
	if (fd >= 0 && ioctl(fd, SIOCSIFTXQLEN, &ifr) < 0)
		log_warn("%s: setting queue length %d", name, qlen);
	if (fd >= 0)
		close(fd);
	return rc;
}

static void ha_dp_binding(struct ha *ha, struct ha_binding *b, bool up)
{
	struct in_addr none = { 0 };
	int tif = netif_index(D.tun_name);

	if (up) {
		netif_route4_add(b->hoa, 32, tif, none, false);
		/* §4.6: the home link learns the HA's MAC for the home address */
		link_garp(&D.link, b->hoa, D.link.mac);
	} else {
		netif_route4_del(b->hoa, 32, tif);
	}
}

static void ha_udp_read(int fd, void *arg)
{
	uint8_t buf[2048], out[256];
	struct in_addr src, dst;
	uint16_t sport;
	int ifindex;
	ssize_t n;

	while ((n = udp434_recv(fd, buf, sizeof(buf), &src, &sport, &dst, &ifindex)) >= 0) {
		size_t m = ha_request(&D.ha, buf, (size_t)n, src, sport, mip4_ntp_now(),
				      out, sizeof(out));
		if (m)
			udp434_send(fd, D.cfg.home_agent, src, sport, out, m);
	}
}

/* Packets the kernel routed to a bound home address: into the tunnel. */
static void ha_tun_read(int fd, void *arg)
{
	uint8_t in[2048], out[2100];
	struct ha_binding *b;
	struct ip4 ip;
	ssize_t n;
	size_t m;

	while ((n = read(fd, in, sizeof(in))) > 0) {
		if (ip4_parse(in, (size_t)n, &ip) != MIP4_OK ||
		    !(b = ha_lookup(&D.ha, ip.dst)) || !b->active ||
		    !(m = ip4_encap(out, sizeof(out), D.cfg.home_agent, b->coa, HA_TUN_TTL,
				    in, (size_t)n))) {
			mip4_ctr[C_TUN_DROP]++;
			continue;
		}
		if (raw4_send(D.raw, out, m) < 0)
			log_warn("tunnel to %s", mip4_ntoa(b->coa));
		else
			mip4_ctr[C_TUN_ENCAP]++;
	}
}

/* Reverse tunnel (RFC 3024 §4.2): the inner source must be a home address
 * bound with T to the outer source. */
static void ha_ipip_read(int fd, void *arg)
{
	uint8_t buf[2100];
	struct ha_binding *b;
	struct ip4 out, in;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (ip4_parse(buf, (size_t)n, &out) != MIP4_OK ||
		    ip4_parse(out.payload, out.plen, &in) != MIP4_OK ||
		    !(b = ha_lookup(&D.ha, in.src)) || !b->active ||
		    !(b->flags & MIP4_F_T) || b->coa.s_addr != out.src.s_addr) {
			mip4_ctr[C_TUN_DROP]++;
			continue;
		}
		if (write(D.tun, out.payload, in.tot) < 0)
			log_warn("write %s", D.tun_name);
		else
			mip4_ctr[C_TUN_DECAP]++;
	}
}

/* Proxy ARP (§4.6) for the home addresses of mobile nodes away. */
static void ha_arp_read(int fd, void *arg)
{
	uint8_t buf[128], smac[6];
	struct ha_binding *b;
	struct arp a, r;
	int type;
	ssize_t n;

	while ((n = pkt_recv(fd, buf, sizeof(buf), smac, &type)) > 0) {
		if (type == PACKET_OUTGOING || arp_parse(buf, (size_t)n, &a) != MIP4_OK ||
		    a.op != 1 || !(b = ha_lookup(&D.ha, a.tpa)) || !b->active ||
		    a.spa.s_addr == a.tpa.s_addr)
			continue;
		r = (struct arp){ .op = 2, .spa = a.tpa, .tpa = a.spa };
		memcpy(r.sha, D.link.mac, 6);
		memcpy(r.tha, a.sha, 6);
		if (link_send_arp(&D.link, a.sha, &r) == 0)
			mip4_ctr[C_ARP_PROXY]++;
	}
}

/* Agent solicitations on the home link. */
static void agent_link_read(int fd, void *arg)
{
	uint8_t buf[2048];
	struct ip4 ip;
	int type;
	ssize_t n;

	while ((n = pkt_recv(fd, buf, sizeof(buf), NULL, &type)) > 0) {
		if (type == PACKET_OUTGOING || ip4_parse(buf, (size_t)n, &ip) != MIP4_OK ||
		    ip.proto != IPPROTO_ICMP || ip.plen < 1 || ip.payload[0] != 10)
			continue;
		mip4_ctr[C_SOL_RX]++;
		if (mip4_sol_parse(ip.payload, ip.plen) == MIP4_OK)
			agent_adv_send();
	}
}

int ha_daemon_start(void)
{
	ha_init(&D.ha, &D.cfg);
	D.ha.on_binding = ha_dp_binding;
	snprintf(D.tun_name, sizeof(D.tun_name), "mip4ha");
	if (link_open(&D.link, D.cfg.home_iface, true) < 0 ||
	    (D.udp = udp434_open()) < 0 || (D.raw = raw4_open_send()) < 0 ||
	    (D.ipip = raw4_open_proto(IPPROTO_IPIP)) < 0 ||
	    (D.tun = tun_open(D.tun_name)) < 0 || ha_tun_setup(D.tun_name, HA_TUN_MTU, HA_TUN_QLEN) < 0 ||
	    netif_set_up(D.tun_name) < 0)
		return -1;
	io_rcvbuf(D.ipip, IO_RCVBUF);
	io_rcvbuf(D.udp, IO_RCVBUF);	/* bursts of registrations */
	netif_sysctl("net/ipv4/ip_forward", "1");
	/* a TUN device's packets have the home address as source: no rp_filter */
	netif_sysctl("net/ipv4/conf/all/rp_filter", "0");
	{
		char p[96];
		snprintf(p, sizeof(p), "net/ipv4/conf/%s/rp_filter", D.tun_name);
		netif_sysctl(p, "0");
	}
	if (ev_fd_add(D.udp, ha_udp_read, NULL) < 0 || ev_fd_add(D.tun, ha_tun_read, NULL) < 0 ||
	    ev_fd_add(D.ipip, ha_ipip_read, NULL) < 0 ||
	    ev_fd_add(D.link.arpfd, ha_arp_read, NULL) < 0 ||
	    ev_fd_add(D.link.ipfd, agent_link_read, NULL) < 0)
		return -1;
	log_info("home agent %s on %s, home network /%d", mip4_ntoa(D.cfg.home_agent),
		 D.link.name, D.cfg.home_plen);
	return agent_adv_start();
}

void ha_daemon_stop(void)
{
	for (int i = 0; i < D.ha.n; i++)
		if (D.ha.b[i]->active)
			ha_dp_binding(&D.ha, D.ha.b[i], false);
	ha_free(&D.ha);
}
