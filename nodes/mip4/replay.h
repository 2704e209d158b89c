/* replay.h — registration Identification and replay protection
 * (RFC 5944 §5.7). In both styles the low-order 32 bits of a Reply's
 * Identification are copied from the Request; the high-order 32 bits are
 * the home agent's: with timestamps its clock (copied from the Request when
 * accepted, §5.7.1), with nonces its next nonce (§5.7.2). */
#ifndef ROAM_MIP4_REPLAY_H
#define ROAM_MIP4_REPLAY_H
#include <stdbool.h>
#include <stdint.h>
#include "mip4.h"

/* What the home agent remembers per mobile node. */
struct replay_ha {
	uint64_t last_id;	/* highest timestamp accepted */
	uint32_t nonce;		/* the nonce the HA last sent (nonce style) */
};

/* HA: is the request's Identification acceptable? now: NTP time;
 * window: seconds of tolerated clock difference. */
bool replay_ha_check(enum mip4_replay style, const struct replay_ha *st,
		     uint64_t req_id, uint64_t now, double window);
/* HA: the Reply Identification; updates st (accepted: remember the id;
 * nonce style: st->nonce becomes next_nonce, a fresh random value). */
uint64_t replay_ha_reply_id(enum mip4_replay style, struct replay_ha *st,
			    uint64_t req_id, bool accepted, uint64_t now,
			    uint32_t next_nonce);

/* What the mobile node remembers. */
struct replay_mn {
	int64_t offset;		/* seconds to add to the local clock (timestamps) */
	uint32_t ha_nonce;	/* the HA's latest nonce (nonces) */
	uint64_t last_id;	/* Identification of the request in flight */
};
/* MN: a new Identification (mn_nonce: fresh random low-order bits for the
 * nonce style; with timestamps the fraction of the clock is used). The
 * timestamps produced are strictly increasing. */
uint64_t replay_mn_next(enum mip4_replay style, struct replay_mn *st, uint64_t now,
			uint32_t mn_nonce);
/* MN: does a Reply belong to the request in flight (low-order 32 bits)? */
bool replay_mn_match(const struct replay_mn *st, uint64_t rep_id);
/* MN: learns from an authenticated Reply (code 133 resynchronises the
 * clock offset; any reply carries the HA's nonce). */
void replay_mn_learn(enum mip4_replay style, struct replay_mn *st, uint64_t rep_id,
		     uint8_t code, uint64_t now);
#endif
