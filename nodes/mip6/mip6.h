/* mip6.h — roam-mip6: the Mobile IPv6 home agent, mobile node and
 * correspondent node (RFC 6275, MN-HA authentication RFC 4285). Shared
 * configuration, counters and the daemon's run-time state. */
#ifndef ROAM_MIP6_H
#define ROAM_MIP6_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include "bcache.h"
#include "bul.h"
#include "conf.h"
#include "ev.h"
#include "mh.h"
#include "rr.h"

enum mip6_role { ROLE_HA, ROLE_MN, ROLE_CN };
enum mip6_dad { DAD_OFF, DAD_ON, DAD_OPTIMISTIC };

/* Everything the conf file can say (docs/mip6.md lists the keys). */
struct mip6_cfg {
	enum mip6_role role;
	char iface[16];			/* HA: home link; MN: radio; CN: uplink */
	struct in6_addr home_agent;	/* MN; HA: its address on the home link */
	struct in6_addr home_addr;	/* MN */
	struct in6_addr home_prefix; int home_plen;
	uint32_t spi;
	uint8_t key[64]; int klen;
	double replay_window;		/* HA: timestamp tolerance, s */
	uint32_t lifetime;		/* MN: requested; HA/CN: most granted, s */
	uint32_t prefix_lifetime;	/* HA: home prefix valid lifetime, s */
	enum mip6_dad dad;		/* MN: care-of address configuration */
	bool ro;			/* MN: route optimisation with correspondents */
	bool solicit;			/* MN: a Router Solicitation on carrier up */
	double brr_before;		/* CN: BRR this many s before expiry */
	bool verbose;
};

int mip6_cfg_load(const struct conf *c, struct mip6_cfg *g, char *err, size_t errlen);

/* Counters by event and reason; messages by type and direction; BA and BE
 * status codes. */
enum mip6_ctr {
	C_PARSE_TRUNCATED, C_PARSE_MALFORMED, C_PARSE_UNKNOWN, C_BAD_CKSUM,
	C_BU_ACCEPTED, C_BU_REFUSED, C_BU_DISCARDED, C_AUTH_FAIL, C_REPLAY_FAIL,
	C_BA_UNMATCHED, C_RETRANSMIT, C_GIVE_UP, C_REFRESH, C_BINDING_EXPIRED,
	C_TUN_ENCAP, C_TUN_DECAP, C_TUN_DROP, C_RO_OUT, C_RO_IN, C_RO_DROP,
	C_HAO_NO_BINDING, C_MOVES, C_L2_DOWN, C_L2_UP, C_RA_RX, C_RS_TX,
	C_NA_TX, C_RR_START, C_RR_DONE, C_MH_WITH_HAO,
	C_SCOPE_DROP,		/* HA: not forwarded, a non-global address (RFC
				 * 4291 §2.5.6); MN: no RO with a non-global peer */
	C_RO_NO_MH,		/* MN: a Parameter Problem for the MH stopped RO
				 * with that correspondent (RFC 6275 §11.3.5) */
	C_NO_LINK_DROP,		/* MN: not sent, no link or router (carrier lost) */
	C__N
};
extern const char *const mip6_ctr_names[C__N];
extern uint64_t mip6_ctr[C__N];
extern uint64_t mip6_rx[MH__N], mip6_tx[MH__N];
extern uint64_t mip6_ba_status[256], mip6_be_status[256];

uint64_t mip6_ntp_now(void);
void mip6_random(void *buf, size_t n);
#endif
