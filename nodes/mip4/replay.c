/* replay.c — Identification handling (RFC 5944 §5.7). */
#include "codes.h"
#include "replay.h"

bool replay_ha_check(enum mip4_replay style, const struct replay_ha *st,
		     uint64_t req_id, uint64_t now, double window)
{
	int64_t diff;

	if (style == MIP4_REPLAY_NONCE)
		return (uint32_t)(req_id >> 32) == st->nonce && st->nonce != 0;
	diff = (int64_t)(req_id >> 32) - (int64_t)(now >> 32);
	if (diff < 0)
		diff = -diff;
	return (double)diff <= window && req_id > st->last_id;
}

uint64_t replay_ha_reply_id(enum mip4_replay style, struct replay_ha *st,
			    uint64_t req_id, bool accepted, uint64_t now,
			    uint32_t next_nonce)
{
	uint64_t low = req_id & 0xffffffffu;

	if (style == MIP4_REPLAY_NONCE) {
		st->nonce = next_nonce ? next_nonce : 1;
		return (uint64_t)st->nonce << 32 | low;
	}
	if (accepted) {
		st->last_id = req_id;
		return req_id;
	}
	return (now & 0xffffffff00000000ULL) | low;
}

uint64_t replay_mn_next(enum mip4_replay style, struct replay_mn *st, uint64_t now,
			uint32_t mn_nonce)
{
	uint64_t id;

	if (style == MIP4_REPLAY_NONCE) {
		id = (uint64_t)st->ha_nonce << 32 | mn_nonce;
	} else {
		id = now + ((uint64_t)st->offset << 32);
		if (id <= st->last_id)
			id = st->last_id + 1;
	}
	st->last_id = id;
	return id;
}

bool replay_mn_match(const struct replay_mn *st, uint64_t rep_id)
{
	return (uint32_t)rep_id == (uint32_t)st->last_id;
}

void replay_mn_learn(enum mip4_replay style, struct replay_mn *st, uint64_t rep_id,
		     uint8_t code, uint64_t now)
{
	if (style == MIP4_REPLAY_NONCE) {
		st->ha_nonce = (uint32_t)(rep_id >> 32);
		return;
	}
	if (code == MIP4_HA_ID_MISMATCH)
		st->offset = (int64_t)(rep_id >> 32) - (int64_t)(now >> 32);
}
