/* mn.h — the mobile node: agent discovery and movement detection
 * (RFC 5944 §2.4), registration with back-off (§3.6), return home and
 * deregistration (§3.6.1.2). */
#ifndef ROAM_MIP4_MN_H
#define ROAM_MIP4_MN_H
#include <stdio.h>
#include "ev.h"
#include "mip4.h"
#include "msg.h"
#include "replay.h"

enum mn_state { MN_NO_AGENT, MN_HOME, MN_REGISTERING, MN_REGISTERED, MN_DEREGISTERING,
		MN__N };
extern const char *const mn_state_names[MN__N];

enum mn_where { MN_AT_NONE, MN_AT_HOME, MN_AT_FOREIGN };

struct mn_agent {
	bool valid;
	bool home;			/* our home agent, on the home link */
	struct in_addr addr;		/* IP source of its advertisement */
	uint8_t mac[6];
	struct in_addr coa;		/* first care-of address advertised */
	uint16_t seq, reg_lifetime, flags;
	int plen;			/* from Prefix-Lengths, -1 if absent */
	/* co-located mode (§3.1): our own care-of address on this link, the
	 * agent's prefix with cfg->colocated_host as host number */
	struct in_addr ccoa; int cplen;
};

struct mn {
	const struct mip4_cfg *cfg;
	enum mn_state state;
	struct mn_agent agent;
	struct replay_mn replay;
	double retry;			/* the next retransmission interval */
	uint16_t max_lifetime;		/* a code 69 Reply lowered it */
	uint16_t granted;		/* last accepted lifetime */
	uint8_t last_code; bool has_code;
	int sols;			/* solicitations sent since attaching */
	struct ev_timer retx, renew, adv_timer, sol_timer;
	/* I/O, set by the daemon (NULL in tests that only watch counters) */
	void (*send_req)(struct mn *mn, const uint8_t *msg, size_t len, bool via_agent);
	void (*send_sol)(struct mn *mn);
	void (*attach)(struct mn *mn, enum mn_where where);
	void *ctx;
};

int mn_init(struct mn *mn, const struct mip4_cfg *cfg);
void mn_free(struct mn *mn);
void mn_carrier(struct mn *mn, bool up);
/* An Agent Advertisement from src (link-layer mac). */
void mn_adv(struct mn *mn, const struct mip4_adv *a, struct in_addr src,
	    const uint8_t mac[6]);
/* A Registration Reply. */
void mn_reply(struct mn *mn, const uint8_t *msg, size_t len);
void mn_print(struct mn *mn, FILE *out);	/* "status" */
/* The interval after n retransmissions: first * 2^n, capped (§3.6.3). */
double mn_backoff(double first, double cap, int n);
/* The co-located care-of address for a link whose router is addr with
 * prefix length plen (-1: unknown, /24 assumed): host number host in that
 * prefix. Sets *out_plen; a zero address when host does not fit. */
struct in_addr mn_colocated_coa(struct in_addr addr, int plen, int host, int *out_plen);
/* The care-of address the node registers at its current agent. */
struct in_addr mn_coa(const struct mn *mn);
#endif
