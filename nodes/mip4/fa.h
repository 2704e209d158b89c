/* fa.h — the foreign agent: relays Registration Requests to home agents and
 * Replies back (RFC 5944 §3.7), keeps the pending list and the visitor list,
 * denies with its own codes (64..88, RFC 3024 74/75). */
#ifndef ROAM_MIP4_FA_H
#define ROAM_MIP4_FA_H
#include <stdio.h>
#include "ev.h"
#include "mip4.h"

struct fa;

struct fa_visitor {
	struct in_addr hoa, ha;
	struct in_addr src;		/* IP source of the MN's Request */
	uint16_t sport;			/* UDP source port of the MN's Request */
	uint8_t mac[6];			/* link-layer source of the Request */
	uint8_t flags;			/* of the Request (T: reverse tunnel) */
	/* The pending Request's sender and what it asked: copied into mac,
	 * src, sport, ha and flags above only when the home agent accepts it,
	 * so an unauthenticated Request cannot redirect a registered visitor. */
	struct fa_req {
		uint8_t mac[6];
		struct in_addr src, ha;
		uint16_t sport;
		uint8_t flags;
	} req;
	uint64_t id;			/* Identification of the pending Request */
	uint16_t req_lifetime;		/* requested */
	uint16_t lifetime;		/* granted */
	bool pending;			/* a Request awaits the HA's Reply */
	bool active;			/* registered: deliver and tunnel */
	struct ev_timer pend_timer;	/* pending_timeout */
	struct ev_timer life_timer;	/* visitor lifetime */
	struct fa *fa;
};

struct fa {
	const struct mip4_cfg *cfg;
	struct fa_visitor **v; int n, cap;
	void (*on_visitor)(struct fa *fa, struct fa_visitor *v, bool up);
	void *ctx;
};

enum fa_action { FA_DROP, FA_RELAY, FA_DENY };

void fa_init(struct fa *fa, const struct mip4_cfg *cfg);
void fa_free(struct fa *fa);
struct fa_visitor *fa_lookup(struct fa *fa, struct in_addr hoa);
/* A Request from a mobile node (mac, src:sport). FA_RELAY: out holds the
 * Request to send to the home agent (*to); FA_DENY: out holds the Reply to
 * send back to the mobile node. */
enum fa_action fa_from_mn(struct fa *fa, const uint8_t *msg, size_t len,
			  const uint8_t mac[6], struct in_addr src, uint16_t sport,
			  uint8_t *out, size_t cap, size_t *outlen, struct in_addr *to);
/* A Reply from a home agent. FA_RELAY: out holds the Reply for the sender
 * of the pending Request (*vout's req: mac, src, sport). */
enum fa_action fa_from_ha(struct fa *fa, const uint8_t *msg, size_t len,
			  struct in_addr src, uint8_t *out, size_t cap, size_t *outlen,
			  struct fa_visitor **vout);
/* After the relayed Reply was sent: drops an entry neither pending nor
 * registered (a denial or a deregistration). */
void fa_settle(struct fa_visitor *v);
void fa_print(struct fa *fa, FILE *out);	/* "visitors" */
#endif
