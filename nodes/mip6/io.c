/* io.c — roam-mip6's sockets: one AF_PACKET socket reading IPv6 on every
 * interface (what the kernel would reject: the Home Address option, the
 * type 2 routing header, IPv6-in-IPv6, the Mobility Header), an
 * IPPROTO_RAW socket sending whole header chains, the TUN device holding
 * the addresses and routes the daemon serves, and the nftables table that
 * makes the kernel drop what the daemon took (DESIGN.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sys/socket.h>
#include "daemon.h"
#include "log.h"
#include "mn_link.h"
#include "netif.h"
#include "raw.h"

int io_open(bool raw_bound)
{
	if ((D.pkt = pkt_open(0, ETH_P_IPV6, 1)) < 0)
		return -1;
	if ((D.raw = raw6_open_send()) < 0)
		return -1;
	/* bound to the uplink, the kernel's routes through the TUN device (a
	 * correspondent's bindings) do not catch what the daemon sends */
	if (raw_bound && setsockopt(D.raw, SOL_SOCKET, SO_BINDTODEVICE, D.cfg.iface,
				    (socklen_t)strlen(D.cfg.iface)) < 0) {
		log_warn("setsockopt SO_BINDTODEVICE %s", D.cfg.iface);
		return -1;
	}
	return 0;
}

ssize_t io_recv(uint8_t *buf, size_t len, int *ifindex, int *pkttype)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	ssize_t n = recvfrom(D.pkt, buf, len, 0, (struct sockaddr *)&sll, &sl);
	if (n >= 0) {
		*ifindex = sll.sll_ifindex;
		*pkttype = sll.sll_pkttype;
	}
	return n;
}

int io_send_raw(const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 sin = { .sin6_family = AF_INET6 };
	if (len < IP6_HLEN)
		return -1;
	memcpy(&sin.sin6_addr, pkt + 24, 16);
	if (sendto(D.raw, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		log_warn("sendto %s (raw)", ip6_ntoa(&sin.sin6_addr));
		return -1;
	}
	return 0;
}

int io_send_link(const uint8_t mac[6], const uint8_t *pkt, size_t len)
{
	/* the mobile node's frames to its router: none while it has no link
	 * or no router on this attachment (carrier lost, no RA yet) */
	if (D.cfg.role == ROLE_MN && mac == D.mn.router_mac && !mn_link_usable(&D.mn)) {
		mip6_ctr[C_NO_LINK_DROP]++;
		return -1;
	}
	if (pkt_send(D.pkt, D.ifindex, mac, ETH_P_IPV6, pkt, len) < 0) {
		log_warn("sendto %s (AF_PACKET)", D.cfg.iface);
		return -1;
	}
	return 0;
}

int io_tun_open(void)
{
	char name[16] = MIP6_TUN;
	char path[64];

	if ((D.tun = tun_open(name)) < 0)
		return -1;
	snprintf(path, sizeof(path), "net/ipv6/conf/%s/disable_ipv6", name);
	netif_sysctl(path, "0");
	if (netif_set_up(name) < 0)
		return -1;
	D.tun_ifindex = netif_index(name);
	return 0;
}

int io_tun_write(const uint8_t *pkt, size_t len)
{
	if (write(D.tun, pkt, len) < 0) {
		log_warn("write %s", MIP6_TUN);
		return -1;
	}
	return 0;
}

int io_nft(const char *rules)
{
	FILE *f = popen("nft -f -", "w");
	int rc;
	if (!f) {
		log_warn("popen nft");
		return -1;
	}
	fprintf(f, "table ip6 roam_mip6 {\n%s\n}\n", rules);
	rc = pclose(f);
	if (rc != 0) {
		log_warnx("nft: the table was refused (exit %d)", rc);
		return -1;
	}
	D.nft = true;
	return 0;
}

void io_nft_del(void)
{
	if (D.nft && system("nft delete table ip6 roam_mip6 2>/dev/null") != 0)
		log_warnx("nft delete table ip6 roam_mip6 failed");
	D.nft = false;
}

bool io_is_mine(const struct in6_addr *a)
{
	for (int i = 0; i < D.n_addrs; i++)
		if (!memcmp(&D.addrs[i], a, 16))
			return true;
	return false;
}

bool io_mh_accept(const uint8_t *pkt, const struct ip6 *p, struct mh_msg *m)
{
	const struct in6_addr *src = p->has_hao ? &p->hao : &p->src;
	const struct in6_addr *dst = p->has_rh2 ? &p->rh2 : &p->dst;
	enum mh_verdict v = mh_parse(pkt + p->off, p->len - p->off, m);

	if (v == MH_TRUNCATED || v == MH_MALFORMED) {
		mip6_ctr[v == MH_TRUNCATED ? C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
		log_debug("MH from %s: %s", ip6_ntoa(&p->src), mh_verdict_names[v]);
		return false;
	}
	if (!mh_cksum_ok(pkt + p->off, m->len, src, dst)) {
		mip6_ctr[C_BAD_CKSUM]++;
		log_debug("MH from %s: bad checksum", ip6_ntoa(&p->src));
		return false;
	}
	if (v == MH_UNKNOWN) {		/* §9.2: Binding Error status 2 */
		mip6_ctr[C_PARSE_UNKNOWN]++;
		io_send_be(BE_UNKNOWN_TYPE, dst, &p->src, p->has_hao ? &p->hao : NULL, NULL);
		return false;
	}
	/* §6.1: a Home Address option goes with a BU only; §9.4.1, §9.4.2: a
	 * HoTI or CoTI carrying one is silently ignored (so is any other) */
	if (p->has_hao && m->type != MH_BU) {
		mip6_ctr[C_MH_WITH_HAO]++;
		log_debug("MH type %u from %s with a Home Address option: dropped", m->type,
			  ip6_ntoa(&p->src));
		return false;
	}
	mip6_rx[m->type]++;
	return true;
}

int io_mh_send(uint8_t *mh, size_t mhlen, const struct in6_addr *src,
	       const struct in6_addr *dst, const struct in6_addr *rh2,
	       const struct in6_addr *hao, const uint8_t *mac)
{
	uint8_t pkt[MIP6_MAXPKT];
	size_t n;

	mh_cksum_set(mh, mhlen, hao ? hao : src, rh2 ? rh2 : dst);
	if (!(n = ip6_build(pkt, sizeof(pkt), src, dst, 64, rh2, hao, MH_PROTO, mh, mhlen)))
		return -1;
	if (mh[2] < MH__N)
		mip6_tx[mh[2]]++;
	if (!mac && D.cfg.role == ROLE_MN)	/* the mobile node sends on its link */
		mac = D.mn.router_mac;
	return mac ? io_send_link(mac, pkt, n) : io_send_raw(pkt, n);
}

void io_send_be(uint8_t status, const struct in6_addr *src, const struct in6_addr *dst,
		const struct in6_addr *hoa, const uint8_t *mac)
{
	struct mh_msg m = { .type = MH_BE, .status = status };
	uint8_t buf[64];
	size_t n;

	if (hoa)
		m.be_hoa = *hoa;
	if ((n = mh_build(buf, sizeof(buf), &m)) &&
	    io_mh_send(buf, n, src, dst, NULL, NULL, mac) == 0)
		mip6_be_status[status]++;
}
