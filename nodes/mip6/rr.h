/* rr.h — return routability state (RFC 6275 §5.2, §9.4, §11.6): the
 * correspondent's Kcn and nonce table, and the mobile node's per-peer
 * cookies and keygen tokens. */
#ifndef ROAM_MIP6_RR_H
#define ROAM_MIP6_RR_H
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include "sec.h"

#define MAX_NONCE_LIFETIME_MS	240000	/* §12 */
#define MAX_TOKEN_LIFETIME_MS	210000	/* §12 */
#define RR_NONCE_REGEN_MS	30000	/* a new nonce every 30 s (§5.2.7) */
#define RR_NONCES		16

struct rr_cn {
	uint8_t kcn[SEC_KCN_LEN];
	struct { uint64_t nonce; uint64_t born_ms; uint16_t index; bool used; } n[RR_NONCES];
	uint16_t next_index;
	int cur;			/* slot of the current nonce */
};

/* Kcn and the first nonce, from random bytes (tests pass fixed ones). */
void rr_cn_init(struct rr_cn *c, const uint8_t kcn[SEC_KCN_LEN], uint64_t first_nonce,
		uint64_t now_ms);
/* The current nonce, replaced by next_nonce when older than
 * RR_NONCE_REGEN_MS. */
void rr_cn_current(struct rr_cn *c, uint64_t now_ms, uint64_t next_nonce,
		   uint16_t *index, uint64_t *nonce);
/* The nonce of an index if it is younger than MAX_NONCE_LIFETIME. */
bool rr_cn_nonce(const struct rr_cn *c, uint16_t index, uint64_t now_ms, uint64_t *nonce);

/* Mobile node side, per correspondent. */
struct rr_mn {
	uint64_t home_cookie, coa_cookie;
	bool have_home, have_coa;
	uint64_t home_token, coa_token;
	uint16_t home_index, coa_index;
	uint64_t home_ms, coa_ms;	/* when each token arrived */
	struct in6_addr coa;		/* the care-of address the coa token is for */
};
/* Both tokens present and younger than MAX_TOKEN_LIFETIME. */
bool rr_mn_ready(const struct rr_mn *r, const struct in6_addr *coa, uint64_t now_ms);
#endif
