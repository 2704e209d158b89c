/* fad.c — the foreign agent at run time: advertisements and solicitations
 * on its cell, Requests from mobile nodes read off the link (to learn their
 * link-layer address, §3.7.2.2), relay to home agents on UDP 434, delivery
 * of tunnelled packets to visitors by link-layer address (§4.2.2, never
 * ARPing for a home address), and reverse tunnelling (RFC 3024 §5):
 * the visitors' packets are taken off the cell and an nftables set keeps
 * the kernel from forwarding them too. */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/if_packet.h>
#include "cksum.h"
#include "daemon.h"
#include "log.h"
#include "netif.h"
#include "raw.h"

#define FA_TUN_TTL 64

static int fa_nft(const char *script)
{
	FILE *p = popen("nft -f - 2>&1", "w");
	if (!p) {
		log_warn("popen nft");
		return -1;
	}
	fputs(script, p);
	int rc = pclose(p);
	if (rc != 0)
		log_warnx("nft: exit status %d for: %s", rc, script);
	return rc == 0 ? 0 : -1;
}

static void fa_dp_visitor(struct fa *fa, struct fa_visitor *v, bool up)
{
	char s[256];

	if (!(v->flags & MIP4_F_T) || !D.nft)
		return;
	snprintf(s, sizeof(s), "%s element ip roam_mip4 mip4rt { %s }\n",
		 up ? "add" : "delete", mip4_ntoa(v->hoa));
	fa_nft(s);
}

static bool fa_own(struct in_addr a)
{
	return a.s_addr == D.link.addr.s_addr || a.s_addr == D.cfg.fa_coa.s_addr;
}

static void fa_to_mn(struct fa_visitor *v, struct in_addr src, const uint8_t *msg, size_t len)
{
	uint8_t ip[2048];
	/* to whoever sent the pending Request (a denial of a forged one goes
	 * to the forger, not to the registered visitor) */
	size_t n = udp4_build(ip, sizeof(ip), src, v->req.src, MIP4_PORT, v->req.sport, 64,
			      msg, len);
	if (n && link_send_ip(&D.link, v->req.mac, ip, n) == 0)
		mip4_ctr[C_REP_TX]++;
}

static void fa_request(const struct ip4 *ip, const uint8_t mac[6])
{
	const uint8_t *data;
	uint8_t out[2048];
	size_t dlen, m;
	uint16_t sport, dport;
	struct in_addr to;

	if (udp_parse(ip, &sport, &dport, &data, &dlen) != MIP4_OK || dport != MIP4_PORT)
		return;
	switch (fa_from_mn(&D.fa, data, dlen, mac, ip->src, sport, out, sizeof(out), &m, &to)) {
	case FA_RELAY:
		udp434_send(D.udp, D.cfg.fa_coa, to, MIP4_PORT, out, m);
		break;
	case FA_DENY: {
		uint8_t pkt[2048];
		size_t n = udp4_build(pkt, sizeof(pkt), ip->dst, ip->src, MIP4_PORT, sport,
				      64, out, m);
		if (n)
			link_send_ip(&D.link, mac, pkt, n);
		break;
	}
	case FA_DROP:
		break;
	}
}

/* A visitor's packet for elsewhere: into the reverse tunnel. */
static void fa_reverse(const uint8_t *pkt, const struct ip4 *ip, const uint8_t mac[6])
{
	struct fa_visitor *v = fa_lookup(&D.fa, ip->src);
	uint8_t out[2100], in[2048];
	size_t m;

	if (!v || !v->active || !(v->flags & MIP4_F_T) || memcmp(v->mac, mac, 6))
		return;
	/* forwarding while encapsulating: the inner TTL goes down by one
	 * (RFC 2003 §3.1), and a datagram whose TTL runs out is not sent */
	if (ip->ttl <= 1 || ip->tot > sizeof(in) || ip->hlen < 20)
		return;
	memcpy(in, pkt, ip->tot);
	in[8]--;
	in[10] = in[11] = 0;
	cksum_put(in + 10, cksum(in, ip->hlen));
	if (!(m = ip4_encap(out, sizeof(out), D.cfg.fa_coa, v->ha, FA_TUN_TTL, in, ip->tot)))
		return;
	if (raw4_send(D.raw, out, m) < 0)
		log_warn("reverse tunnel to %s", mip4_ntoa(v->ha));
	else
		mip4_ctr[C_RT_ENCAP]++;
}

static void fa_link_read(int fd, void *arg)
{
	uint8_t buf[2048], mac[6];
	struct ip4 ip;
	int type;
	ssize_t n;

	while ((n = pkt_recv(fd, buf, sizeof(buf), mac, &type)) > 0) {
		if (type == PACKET_OUTGOING || ip4_parse(buf, (size_t)n, &ip) != MIP4_OK)
			continue;
		if (ip.proto == IPPROTO_ICMP && ip.plen >= 1 && ip.payload[0] == 10) {
			mip4_ctr[C_SOL_RX]++;
			if (mip4_sol_parse(ip.payload, ip.plen) == MIP4_OK)
				agent_adv_send();
		} else if (ip.proto == IPPROTO_UDP && (fa_own(ip.dst) ||
			   ip.dst.s_addr == 0xffffffffu)) {
			fa_request(&ip, mac);
		} else if (type == PACKET_HOST && !fa_own(ip.dst)) {
			fa_reverse(buf, &ip, mac);
		}
	}
}

static void fa_udp_read(int fd, void *arg)
{
	uint8_t buf[2048], out[2048];
	struct in_addr src, dst;
	struct fa_visitor *v;
	uint16_t sport;
	int ifindex;
	size_t m;
	ssize_t n;

	while ((n = udp434_recv(fd, buf, sizeof(buf), &src, &sport, &dst, &ifindex)) >= 0) {
		if (ifindex == D.link.ifindex)
			continue;	/* a mobile node's: read off the link */
		if (fa_from_ha(&D.fa, buf, (size_t)n, src, out, sizeof(out), &m, &v) != FA_RELAY)
			continue;
		fa_to_mn(v, D.link.addr, out, m);
		fa_settle(v);
	}
}

/* Tunnelled packets for visitors (RFC 2003 decapsulation). */
static void fa_ipip_read(int fd, void *arg)
{
	uint8_t buf[2100];
	struct fa_visitor *v;
	struct ip4 out, in;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (ip4_parse(buf, (size_t)n, &out) != MIP4_OK || !fa_own(out.dst) ||
		    ip4_parse(out.payload, out.plen, &in) != MIP4_OK ||
		    !(v = fa_lookup(&D.fa, in.dst)) || !v->active ||
		    v->ha.s_addr != out.src.s_addr) {
			mip4_ctr[C_TUN_DROP]++;
			continue;
		}
		if (link_send_ip(&D.link, v->mac, out.payload, in.tot) == 0)
			mip4_ctr[C_TUN_DECAP]++;
	}
}

int fa_daemon_start(void)
{
	char s[512];

	fa_init(&D.fa, &D.cfg);
	D.fa.on_visitor = fa_dp_visitor;
	if (link_open(&D.link, D.cfg.cell_iface, false) < 0 ||
	    (D.udp = udp434_open()) < 0 || (D.raw = raw4_open_send()) < 0 ||
	    (D.ipip = raw4_open_proto(IPPROTO_IPIP)) < 0)
		return -1;
	io_rcvbuf(D.ipip, IO_RCVBUF);
	if (!D.link.addr.s_addr) {
		log_warnx("cell interface %s: expected an IPv4 address", D.link.name);
		return -1;
	}
	netif_sysctl("net/ipv4/ip_forward", "1");
	if (D.cfg.reverse_tunnel) {
		snprintf(s, sizeof(s),
			 "table ip roam_mip4 {\n"
			 " set mip4rt { type ipv4_addr; }\n"
			 " chain mip4fwd { type filter hook forward priority 0; policy accept;\n"
			 "  iifname \"%s\" ip saddr @mip4rt drop\n }\n}\n", D.link.name);
		D.nft = fa_nft(s) == 0;
		if (!D.nft)
			log_warnx("reverse tunnelling without nftables: the kernel forwards "
				  "visitors' packets as well");
	}
	if (ev_fd_add(D.udp, fa_udp_read, NULL) < 0 ||
	    ev_fd_add(D.ipip, fa_ipip_read, NULL) < 0 ||
	    ev_fd_add(D.link.ipfd, fa_link_read, NULL) < 0)
		return -1;
	log_info("foreign agent on %s (%s), care-of address %s%s", D.link.name,
		 mip4_ntoa(D.link.addr), mip4_ntoa(D.cfg.fa_coa),
		 D.cfg.reverse_tunnel ? ", reverse tunnelling" : "");
	return agent_adv_start();
}

void fa_daemon_stop(void)
{
	fa_free(&D.fa);
	if (D.nft)
		fa_nft("delete table ip roam_mip4\n");
}
