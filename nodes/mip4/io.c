/* io.c — links, the UDP 434 socket, agent advertisements. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include "daemon.h"
#include "log.h"
#include "netif.h"
#include "pkt.h"
#include "raw.h"

static const uint8_t mac_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mac_allhosts[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };

int link_open(struct mip4_link *l, const char *name, bool arp)
{
	const struct conf_iface *ci = conf_iface_find(&D.conf, name);

	memset(l, 0, sizeof(*l));
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->ipfd = l->arpfd = -1;
	if (!(l->ifindex = netif_index(name))) {
		log_warnx("interface %s: expected it to exist", name);
		return -1;
	}
	if (netif_mac(name, l->mac) < 0) {
		log_warn("interface %s: SIOCGIFHWADDR", name);
		return -1;
	}
	if (ci && ci->has_addr4) {
		l->addr = ci->addr4;
		l->plen = ci->plen4;
	}
	if ((l->ipfd = pkt_open(l->ifindex, ETH_P_IP, 1)) < 0)
		return -1;
	if (arp && (l->arpfd = pkt_open(l->ifindex, ETH_P_ARP, 1)) < 0)
		return -1;
	return 0;
}

int link_send_ip(struct mip4_link *l, const uint8_t mac[6], const uint8_t *ip, size_t len)
{
	if (pkt_send(l->ipfd, l->ifindex, mac, ETH_P_IP, ip, len) < 0) {
		log_warn("sendto %s", l->name);
		return -1;
	}
	return 0;
}

int link_send_arp(struct mip4_link *l, const uint8_t mac[6], const struct arp *a)
{
	uint8_t buf[64];
	size_t n = arp_build(buf, sizeof(buf), a);
	if (!n || pkt_send(l->arpfd, l->ifindex, mac, ETH_P_ARP, buf, n) < 0) {
		log_warn("ARP on %s", l->name);
		return -1;
	}
	return 0;
}

void link_garp(struct mip4_link *l, struct in_addr addr, const uint8_t mac[6])
{
	struct arp a = { .op = 1, .spa = addr, .tpa = addr };
	memcpy(a.sha, mac, 6);
	if (l->arpfd < 0 && (l->arpfd = pkt_open(l->ifindex, ETH_P_ARP, 1)) < 0)
		return;
	if (link_send_arp(l, mac_bcast, &a) == 0)
		mip4_ctr[C_ARP_GRAT]++;
}

/* A receive buffer of bytes for a socket that takes data-path bursts while
 * the daemon is not scheduled (the kernel's default holds ~200 KB). */
void io_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0)
		log_warn("setsockopt SO_RCVBUF %d", bytes);
}

int udp434_open(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(MIP4_PORT) };
	int one = 1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		log_warn("socket UDP");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		log_warn("bind UDP port %d", MIP4_PORT);
		close(fd);
		return -1;
	}
	return fd;
}

ssize_t udp434_recv(int fd, uint8_t *buf, size_t len, struct in_addr *src,
		    uint16_t *sport, struct in_addr *dst, int *ifindex)
{
	struct sockaddr_in sin;
	union { char b[CMSG_SPACE(sizeof(struct in_pktinfo))]; struct cmsghdr c; } cb;
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_name = &sin, .msg_namelen = sizeof(sin), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cb.b,
			    .msg_controllen = sizeof(cb.b) };
	ssize_t n = recvmsg(fd, &m, 0);

	if (n < 0)
		return n;
	*src = sin.sin_addr;
	*sport = ntohs(sin.sin_port);
	dst->s_addr = 0;
	*ifindex = 0;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*dst = pi.ipi_addr;
			*ifindex = pi.ipi_ifindex;
		}
	return n;
}

int udp434_send(int fd, struct in_addr src, struct in_addr dst, uint16_t dport,
		const uint8_t *buf, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = dst,
				   .sin_port = htons(dport) };
	union { char b[CMSG_SPACE(sizeof(struct in_pktinfo))]; struct cmsghdr c; } cb;
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = { .msg_name = &sin, .msg_namelen = sizeof(sin), .msg_iov = &iov,
			    .msg_iovlen = 1 };
	struct in_pktinfo pi = { .ipi_spec_dst = src };

	if (src.s_addr) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	}
	if (sendmsg(fd, &m, 0) < 0) {
		/* a request naming an unreachable home agent is an outsider's */
		if (mip4_log_quota())
			log_warn("sendmsg to %s:%u", mip4_ntoa(dst), dport);
		return -1;
	}
	return 0;
}

void agent_adv_send(void)
{
	const struct mip4_cfg *cfg = &D.cfg;
	bool is_ha = !strcmp(cfg->role, "ha");
	struct mip4_adv a = { .lifetime = (uint16_t)cfg->adv_lifetime, .n_addrs = 1,
			      .has_agent = true, .seq = D.adv_seq,
			      .reg_lifetime = (uint16_t)cfg->reg_lifetime };
	struct in_addr dst;
	uint8_t icmp[128], ip[160];
	size_t n;

	a.addrs[0] = D.link.addr;
	a.flags = is_ha ? MIP4_AF_H : (MIP4_AF_F | MIP4_AF_R);
	if (cfg->reverse_tunnel)
		a.flags |= MIP4_AF_T;
	if (!is_ha) {
		a.n_coas = 1;
		a.coas[0] = cfg->fa_coa;
	}
	if (cfg->adv_prefix_lengths) {
		a.has_plen = true;
		a.n_plens = 1;
		a.plens[0] = (uint8_t)D.link.plen;
	}
	/* §2.3.2: 0..0xffff, then wraps to 256 (below 256 means a reboot) */
	D.adv_seq = D.adv_seq == 0xffff ? 256 : D.adv_seq + 1;
	inet_pton(AF_INET, cfg->adv_broadcast ? "255.255.255.255" : "224.0.0.1", &dst);
	if (!(n = mip4_adv_build(icmp, sizeof(icmp), &a)) ||
	    !(n = ip4_build(ip, sizeof(ip), D.link.addr, dst, IPPROTO_ICMP, 1, 0, false,
			    icmp, n)))
		fatalx("advertisement does not fit");
	if (link_send_ip(&D.link, cfg->adv_broadcast ? mac_bcast : mac_allhosts, ip, n) == 0)
		mip4_ctr[C_ADV_TX]++;
}

static void agent_adv_timer(struct ev_timer *t, void *arg)
{
	agent_adv_send();
	ev_timer_arm(t, D.cfg.adv_interval);
}

int agent_adv_start(void)
{
	if (ev_timer_init(&D.adv_timer, agent_adv_timer, NULL) < 0)
		return -1;
	ev_timer_arm_ms(&D.adv_timer, 1);
	return 0;
}
