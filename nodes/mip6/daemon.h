/* daemon.h — roam-mip6's run-time side: sockets, the TUN device, the
 * nftables table, and the role daemons (had.c, mnd.c, cnd.c) over the
 * protocol logic (mh.c, bcache.c, bul.c, rr.c, sec.c). */
#ifndef ROAM_MIP6_DAEMON_H
#define ROAM_MIP6_DAEMON_H
#include "mip6.h"
#include "pkt6.h"

#define MIP6_TUN "mip6tun"
#define MIP6_MAXPKT 2048

/* The mobile node's view (mnd.c). */
enum mn_where { MN_UNKNOWN, MN_HOME, MN_AWAY };
struct mn {
	enum mn_where where;
	struct in6_addr coa;		/* current care-of address */
	bool coa_ready;			/* usable (DAD done or optimistic) */
	struct in6_addr prefix;		/* the current link's prefix */
	struct in6_addr router;		/* the current router (link-local) */
	uint8_t router_mac[6];		/* zero: none (no link or no RA yet) */
	bool link_up;			/* carrier */
	bool ra_since_up;		/* an RA arrived since carrier up */
	int rs_sent; uint64_t rs_last_ms;	/* solicitations this attachment */
	struct ev_timer rs_timer;	/* the next solicitation (solicit on) */
	uint32_t ra_interval_ms;	/* Advertisement Interval option */
	uint64_t last_ra_ms;
	struct bul bul[BUL_MAX];	/* [0]: the home agent */
	struct ev_timer dad_timer;
	bool first_reg_done;		/* a home registration was accepted */
	uint64_t dad_started_ms;
	/* the last handoff, ms on CLOCK_MONOTONIC (0: not seen) */
	uint64_t t_l2_down, t_l2_up, t_ra, t_coa, t_bu, t_ba, t_ro;
};

struct mip6d {
	struct conf conf;
	struct mip6_cfg cfg;
	int ifindex;			/* cfg.iface */
	uint8_t mac[6];
	int pkt;			/* AF_PACKET, ETH_P_IPV6, every interface */
	int raw;			/* IPPROTO_RAW sender */
	int tun; int tun_ifindex;
	int linkmon;
	bool nft;
	struct in6_addr addrs[8]; int n_addrs;	/* this node's addresses (HA, CN) */
	struct bcache bc;		/* HA, CN */
	struct rr_cn rr;		/* CN */
	struct ev_timer tick;		/* HA, CN: expiry, BRR */
	struct mn mn;
};
extern struct mip6d D;

/* io.c */
int io_open(bool raw_bound);
ssize_t io_recv(uint8_t *buf, size_t len, int *ifindex, int *pkttype);
int io_send_raw(const uint8_t *pkt, size_t len);
int io_send_link(const uint8_t mac[6], const uint8_t *pkt, size_t len);
int io_tun_open(void);
int io_tun_write(const uint8_t *pkt, size_t len);
int io_nft(const char *rules);		/* "table ip6 roam_mip6 {...}" body */
void io_nft_del(void);
bool io_is_mine(const struct in6_addr *a);
/* §9.2: the MH in a packet: checksum and verdict; counts; answers unknown
 * types with BE status 2. Returns true with m filled when it is to be
 * processed. hoa/fin are the pseudo-header addresses (HAO, RH2). */
bool io_mh_accept(const uint8_t *pkt, const struct ip6 *p, struct mh_msg *m);
/* Finishes (checksum) and wraps an MH message in IPv6 (with RH2 or HAO)
 * and sends it: by the kernel's routing (raw) or to mac on D.ifindex. */
int io_mh_send(uint8_t *mh, size_t mhlen, const struct in6_addr *src,
	       const struct in6_addr *dst, const struct in6_addr *rh2,
	       const struct in6_addr *hao, const uint8_t *mac);
/* A Binding Error (§6.1.9) to dst about hoa. */
void io_send_be(uint8_t status, const struct in6_addr *src, const struct in6_addr *dst,
		const struct in6_addr *hoa, const uint8_t *mac);

/* cn_answer.c: a correspondent's answers; out sends a finished MH message
 * from src to dst (rh2: the type 2 routing header's address), 0 if sent. */
typedef int (*cn_send_fn)(uint8_t *mh, size_t n, const struct in6_addr *src,
			  const struct in6_addr *dst, const struct in6_addr *rh2);
void cn_answer_init(void);	/* Kcn and the first nonce */
void cn_answer_test(const struct ip6 *p, const struct mh_msg *m, cn_send_fn out);
void cn_answer_bu(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m,
		  cn_send_fn out, struct bu_res *r);

int ha_start(void); void ha_stop(void); void ha_print(FILE *out);
int mn_start(void); void mn_stop(void); void mn_print(FILE *out);
int cn_start(void); void cn_stop(void); void cn_print(FILE *out);
void bul_list_print(FILE *out);
#endif
