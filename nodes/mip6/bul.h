/* bul.h — the mobile node's binding update list (RFC 6275 §11.1): one
 * entry per peer (the home agent, correspondents), the sequence number,
 * the retransmission back-off (§11.8: InitialBindackTimeoutFirstReg 1.5 s
 * for a first home registration, INITIAL_BINDACK_TIMEOUT 1 s otherwise,
 * doubled up to MAX_BINDACK_TIMEOUT 32 s) and the refresh time. */
#ifndef ROAM_MIP6_BUL_H
#define ROAM_MIP6_BUL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include "ev.h"
#include "rr.h"

#define INITIAL_BINDACK_TIMEOUT_MS		1000
#define INITIAL_BINDACK_TIMEOUT_FIRSTREG_MS	1500
#define MAX_BINDACK_TIMEOUT_MS			32000
#define BUL_MAX	16

enum bul_state { BUL_IDLE, BUL_RR, BUL_PENDING, BUL_BOUND, BUL__N };
extern const char *const bul_state_names[BUL__N];

struct bul {
	bool used;
	bool home;			/* the home registration */
	struct in6_addr peer;		/* HA or CN */
	struct in6_addr hoa, coa;
	uint16_t seq;			/* last sent */
	uint16_t seq_first;		/* the first of the outstanding BU's
					 * transmissions (each has its own, §11.8) */
	uint16_t lifetime;		/* requested, units of 4 s */
	uint16_t granted;		/* last accepted, units of 4 s */
	enum bul_state state;
	bool dereg;			/* the pending BU deregisters */
	bool no_mh;			/* correspondents: answered ICMPv6 Parameter
					 * Problem code 1 for the MH: no more RO
					 * with it (RFC 6275 §11.3.5) */
	uint32_t timeout_ms;		/* current retransmission timeout */
	int tries;
	uint64_t sent_ms, acked_ms, expires_ms;
	uint64_t last_rtt_ms;
	uint64_t replay_sent;		/* home: the RFC 4285 timestamp of the BU */
	struct rr_mn rr;		/* correspondents */
	uint8_t kbm[20];		/* correspondents: §5.2.5 */
	struct in6_addr bound_coa;	/* correspondents: the care-of address of the
					 * accepted binding, valid until expires_ms
					 * even while a refresh runs (§11.7.2) */
	struct ev_timer timer;		/* retransmission, refresh, RR retry */
	uint64_t n_sent, n_acked, n_refused;
};

/* The first timeout of a BU (§11.8). */
uint32_t bul_first_timeout(bool home, bool first_registration);
/* The next one: doubled, at most MAX_BINDACK_TIMEOUT; 0 when the cap was
 * already reached (give up and report). */
uint32_t bul_backoff(uint32_t cur_ms);
/* When to refresh a binding granted for lifetime_s seconds (§11.7.1:
 * before it expires) — at 80 %, at least 1 s before the end. */
uint64_t bul_refresh_ms(uint32_t lifetime_s);
/* The sequence number of a new BU to the peer: one more than the last. */
uint16_t bul_seq_next(struct bul *b);
/* §11.8: a retransmitted BU MUST use a sequence number greater than the
 * previous transmission's. */
uint16_t bul_seq_retransmit(struct bul *b);
/* §11.7.3: an acknowledgement's sequence number matches one of the
 * outstanding BU's transmissions (seq_first .. seq, modulo 2^16). */
bool bul_seq_matches(const struct bul *b, uint16_t seq);
void bul_print(const struct bul *b, uint64_t now_ms, FILE *out);
#endif
