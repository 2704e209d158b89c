/* bcache.h — the binding cache of a home agent (RFC 6275 §10.3.1, with
 * RFC 4285 authentication) or of a correspondent node (§9.5): what a
 * Binding Update asks, the checks in the RFC's order, the status and
 * lifetime of the Binding Acknowledgement. Pure logic: no sockets, time is
 * passed in. */
#ifndef ROAM_MIP6_BCACHE_H
#define ROAM_MIP6_BCACHE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>
#include "mh.h"

/* Slots; a power of two. A program may define a bigger one before
 * including this header (bench/mip6_bench.c holds 100,000 bindings). */
#ifndef BC_MAX
#define BC_MAX		64
#endif
#define BC_BUCKETS	(2 * BC_MAX)	/* hash index by home address */
#define MAX_RR_BINDING_LIFETIME	420	/* §12, seconds */

struct bce {
	bool used;
	struct in6_addr hoa, coa;
	uint16_t seq;			/* last accepted */
	bool home;			/* a home registration (H) */
	uint32_t lifetime;		/* granted, seconds */
	uint64_t expires_ms;
	uint64_t created_ms;
	uint64_t used_ms;		/* last packet sent with it (CN) */
	bool brr_sent;			/* a BRR for this lifetime (CN) */
	uint64_t n_updates;
	int32_t next;			/* hash chain, or free list; -1 ends */
};

struct bcache {
	struct bce e[BC_MAX];
	int32_t head[BC_BUCKETS];	/* first slot of each hash chain, -1 */
	int32_t free_head;		/* first free slot, -1 when full */
	bool ha;			/* home agent (else correspondent) */
	struct in6_addr home_prefix; int home_plen;	/* HA */
	uint32_t prefix_lifetime;	/* HA: valid lifetime of the home prefix, s */
	uint32_t max_lifetime;		/* most granted, s */
};

/* What the receiver of a BU established before the cache looks at it. */
struct bu_req {
	struct in6_addr hoa;		/* from the HAO (or the source at home) */
	struct in6_addr coa;		/* source address (or the Alternate CoA) */
	const struct mh_msg *m;
	/* HA: RFC 4285 */
	bool auth_present, auth_ok;
	bool replay_present, replay_ok;
	/* CN: return routability */
	bool nonces_valid_home, nonces_valid_coa;	/* indices not expired */
	bool bad_ok;
	uint64_t now_ms;
};

struct bu_res {
	bool send_ba;			/* else silently discarded */
	uint8_t status;
	uint16_t seq;			/* for the BA */
	uint16_t lifetime;		/* BA, units of 4 s */
	bool dereg;			/* the entry was deleted */
	bool created;			/* a new entry (HA: start proxy/tunnel) */
	bool coa_changed;
	struct bce *e;			/* the entry (NULL when deleted/refused) */
	const char *why;		/* a reason for counters and logs */
};

void bc_init(struct bcache *bc, bool ha);
struct bce *bc_lookup(struct bcache *bc, const struct in6_addr *hoa);
void bc_delete(struct bcache *bc, struct bce *e);
void bc_process(struct bcache *bc, const struct bu_req *q, struct bu_res *r);
/* Drops entries past their lifetime; calls cb for each. Returns the count. */
int bc_expire(struct bcache *bc, uint64_t now_ms, void (*cb)(struct bce *, void *), void *arg);
void bc_print(const struct bcache *bc, uint64_t now_ms, FILE *out);
#endif
