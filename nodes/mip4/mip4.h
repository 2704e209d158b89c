/* mip4.h — roam-mip4: the Mobile IPv4 home agent, foreign agent and mobile
 * node (RFC 5944, IP-in-IP RFC 2003, reverse tunnelling RFC 3024). Shared
 * configuration, counters and helpers. */
#ifndef ROAM_MIP4_H
#define ROAM_MIP4_H
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "conf.h"

enum mip4_replay { MIP4_REPLAY_TIMESTAMP, MIP4_REPLAY_NONCE };

/* Everything the conf file can say (docs/mip4.md lists the keys). */
struct mip4_cfg {
	char role[16];			/* ha, fa, mn */
	struct in_addr home_agent;	/* HA address (MN; HA: its own) */
	struct in_addr home_addr;	/* MN */
	int home_plen;
	struct in_addr home_gw;		/* MN: default router at home */
	char home_iface[16];		/* HA: the home link; MN: its radio */
	char cell_iface[16];		/* FA: the interface on its cell */
	struct in_addr fa_coa;		/* FA: advertised care-of address */
	uint32_t spi;
	uint8_t key[64]; int klen;
	enum mip4_replay replay;
	double replay_window;		/* HA: timestamp tolerance, seconds */
	double adv_interval;		/* agents: seconds between advertisements */
	int adv_lifetime;		/* ICMP advertisement lifetime, seconds */
	bool adv_broadcast;		/* 255.255.255.255 instead of 224.0.0.1 */
	bool adv_prefix_lengths;	/* add extension 19 */
	int reg_lifetime;		/* HA/FA: most granted; MN: requested */
	bool reverse_tunnel;		/* FA/HA: offered; MN: requested */
	double reg_retry;		/* MN: first retransmission, seconds */
	double reg_retry_max;		/* MN: back-off cap, seconds */
	double pending_timeout;		/* FA: pending request kept, seconds */
	int sol_max;			/* MN: solicitations per attachment */
	bool solicit;			/* MN: an Agent Solicitation on carrier up
					 * (RFC 5944 §2.4), else wait for an
					 * advertisement */
	bool colocated;			/* MN: co-located care-of address (D flag) */
	int colocated_host;		/* MN: host number in a foreign subnet */
	bool verbose;
};

/* Reads the role-specific keys from c into cfg (defaults for what is
 * unset). Returns -1 with "expected .. vs seen .." in err. */
int mip4_cfg_load(const struct conf *c, struct mip4_cfg *cfg, char *err, size_t errlen);

/* Counters of every message sent, received, accepted and rejected. */
enum mip4_ctr {
	C_ADV_TX, C_ADV_RX, C_SOL_TX, C_SOL_RX,
	C_REQ_TX, C_REQ_RX, C_REQ_RELAYED, C_REP_TX, C_REP_RX, C_REP_RELAYED,
	C_REQ_ACCEPTED, C_REQ_DENIED, C_REQ_BAD, C_REQ_AUTH_FAIL, C_REQ_REPLAY,
	C_REP_ACCEPTED, C_REP_DENIED, C_REP_BAD, C_REP_AUTH_FAIL, C_REP_UNMATCHED,
	C_RETRANSMIT, C_PENDING_TIMEOUT, C_BINDING_EXPIRED, C_MOVES, C_AGENT_REBOOT,
	C_TUN_ENCAP, C_TUN_DECAP, C_TUN_DROP, C_RT_ENCAP, C_ARP_PROXY, C_ARP_GRAT,
	C_PARSE_TRUNCATED, C_PARSE_MALFORMED, C_PARSE_UNKNOWN,
	C__N
};
extern const char *const mip4_ctr_names[C__N];
extern uint64_t mip4_ctr[C__N];
/* Counts a reply code: "deny_<code>" counters are kept in a separate array. */
extern uint64_t mip4_code_ctr[256];

/* NTP-format time (§5.7): seconds since 1900 in the high 32 bits. */
uint64_t mip4_ntp_now(void);

const char *mip4_ntoa(struct in_addr a);	/* rotating static buffers */
uint32_t mip4_random32(void);		/* never zero */
/* May a line an outsider can trigger be logged now? (a per-second quota) */
bool mip4_log_quota(void);
#endif
