/* daemon.h — roam-mip4's run-time side: links, sockets and the glue between
 * the protocol logic (ha.c, fa.c, mn.c) and the kernel. */
#ifndef ROAM_MIP4_DAEMON_H
#define ROAM_MIP4_DAEMON_H
#include "ev.h"
#include "fa.h"
#include "ha.h"
#include "mip4.h"
#include "mn.h"
#include "pkt.h"

/* One interface the daemon sends and receives raw frames on. */
struct mip4_link {
	char name[16];
	int ifindex;
	uint8_t mac[6];
	struct in_addr addr; int plen;	/* its IPv4 address, if any */
	int ipfd;			/* AF_PACKET, ETH_P_IP, SOCK_DGRAM */
	int arpfd;			/* AF_PACKET, ETH_P_ARP, or -1 */
};

struct mip4d {
	struct mip4_cfg cfg;
	struct conf conf;
	struct mip4_link link;		/* HA: home link; FA: cell; MN: radio */
	int udp;			/* UDP 434 socket */
	int raw;			/* IPPROTO_RAW sender */
	int ipip;			/* IPPROTO_IPIP receiver (agents) */
	int tun; char tun_name[16];	/* HA */
	struct ev_timer adv_timer;	/* agents */
	uint16_t adv_seq;
	struct ha ha;
	struct fa fa;
	struct mn mn;
	int linkmon;			/* MN */
	bool nft;			/* FA: the nftables table exists */
};

extern struct mip4d D;

int link_open(struct mip4_link *l, const char *name, bool arp);
/* Sends an IPv4 datagram in a frame to mac on the link. */
int link_send_ip(struct mip4_link *l, const uint8_t mac[6], const uint8_t *ip, size_t len);
int link_send_arp(struct mip4_link *l, const uint8_t mac[6], const struct arp *a);
/* A gratuitous ARP (§4.6): sender and target address addr, sender mac. */
void link_garp(struct mip4_link *l, struct in_addr addr, const uint8_t mac[6]);

int udp434_open(void);
/* Data-path sockets: a receive buffer for bursts (IO_RCVBUF bytes). */
#define IO_RCVBUF (4 << 20)
void io_rcvbuf(int fd, int bytes);
/* Receives one datagram: source, destination and arrival interface. */
ssize_t udp434_recv(int fd, uint8_t *buf, size_t len, struct in_addr *src,
		    uint16_t *sport, struct in_addr *dst, int *ifindex);
int udp434_send(int fd, struct in_addr src, struct in_addr dst, uint16_t dport,
		const uint8_t *buf, size_t len);

/* Agent advertisements (§2.3) on D.link every adv_interval, and at once
 * after a solicitation. */
int agent_adv_start(void);
void agent_adv_send(void);

int ha_daemon_start(void);
int fa_daemon_start(void);
int mn_daemon_start(void);
void ha_daemon_stop(void);
void fa_daemon_stop(void);
void mn_daemon_stop(void);
#endif
