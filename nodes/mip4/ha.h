/* ha.h — the home agent's registration processing and binding table
 * (RFC 5944 §3.8, RFC 3024 §4.2). */
#ifndef ROAM_MIP4_HA_H
#define ROAM_MIP4_HA_H
#include <stdio.h>
#include "ev.h"
#include "mip4.h"
#include "replay.h"

struct ha;

/* One mobile node the HA has heard from; a binding when active. */
struct ha_binding {
	struct in_addr hoa, coa;
	struct in_addr src;		/* where the Request came from (FA or MN) */
	uint16_t sport;
	uint8_t flags;			/* of the accepted Request (T: reverse tunnel) */
	uint16_t lifetime;		/* granted, seconds */
	bool active;
	struct replay_ha replay;	/* kept after the binding ends */
	struct ev_timer timer;		/* binding lifetime */
	struct ha *ha;
};

struct ha {
	const struct mip4_cfg *cfg;
	struct ha_binding **b; int n, cap;
	/* data path: the binding of hoa started, moved (old coa) or ended */
	void (*on_binding)(struct ha *ha, struct ha_binding *b, bool up);
	void *ctx;
};

void ha_init(struct ha *ha, const struct mip4_cfg *cfg);
void ha_free(struct ha *ha);
struct ha_binding *ha_lookup(struct ha *ha, struct in_addr hoa);
/* Processes a Registration Request received from src:sport at dst. Writes
 * the Reply into out and returns its length (0: drop silently). now: NTP time. */
size_t ha_request(struct ha *ha, const uint8_t *msg, size_t len,
		  struct in_addr src, uint16_t sport, uint64_t now,
		  uint8_t *out, size_t cap);
void ha_print(struct ha *ha, FILE *out);	/* "bindings" on the control socket */
#endif
