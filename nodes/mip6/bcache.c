/* bcache.c — binding cache: Binding Update processing at a home agent
 * (RFC 6275 §10.3.1, §10.3.2; RFC 4285 §5, §6) and at a correspondent
 * node (§9.5.1). */
#include <string.h>
#include "bcache.h"
#include "pkt6.h"
#include "sec.h"

void bc_init(struct bcache *bc, bool ha)
{
	memset(bc, 0, sizeof(*bc));
	bc->ha = ha;
	bc->prefix_lifetime = 86400;
	bc->max_lifetime = ha ? 65532 : MAX_RR_BINDING_LIFETIME;
	for (int i = 0; i < BC_BUCKETS; i++)
		bc->head[i] = -1;
	for (int i = 0; i < BC_MAX; i++)
		bc->e[i].next = i + 1 < BC_MAX ? i + 1 : -1;
	bc->free_head = 0;
}

/* The bucket of a home address: the two halves mixed (64-bit multiply). */
static uint32_t bc_hash(const struct in6_addr *a)
{
	uint64_t h, l;
	memcpy(&h, a->s6_addr, 8);
	memcpy(&l, a->s6_addr + 8, 8);
	h = (h ^ (l * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	return (uint32_t)(h >> 32) & (BC_BUCKETS - 1);
}

struct bce *bc_lookup(struct bcache *bc, const struct in6_addr *hoa)
{
	for (int32_t i = bc->head[bc_hash(hoa)]; i >= 0; i = bc->e[i].next)
		if (!memcmp(&bc->e[i].hoa, hoa, 16))
			return &bc->e[i];
	return NULL;
}

void bc_delete(struct bcache *bc, struct bce *e)
{
	int32_t k = (int32_t)(e - bc->e), *pp = &bc->head[bc_hash(&e->hoa)];

	if (!e->used)
		return;
	while (*pp >= 0 && *pp != k)
		pp = &bc->e[*pp].next;
	if (*pp == k)
		*pp = e->next;
	memset(e, 0, sizeof(*e));
	e->next = bc->free_head;
	bc->free_head = k;
}

static struct bce *bc_new(struct bcache *bc, const struct in6_addr *hoa)
{
	int32_t k = bc->free_head;
	struct bce *e;
	uint32_t b;

	if (k < 0)
		return NULL;
	e = &bc->e[k];
	bc->free_head = e->next;
	memset(e, 0, sizeof(*e));
	e->used = true;
	e->hoa = *hoa;
	b = bc_hash(hoa);
	e->next = bc->head[b];
	bc->head[b] = k;
	return e;
}

static void bc_refuse(struct bu_res *r, uint8_t status, const char *why)
{
	r->send_ba = true;
	r->status = status;
	r->lifetime = 0;
	r->why = why;
}

static void bc_discard(struct bu_res *r, const char *why)
{
	r->send_ba = false;
	r->why = why;
}

static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/* The checks that come before the cache: authorisation of the sender.
 * Returns false when r is final. */
static bool bc_authorise(const struct bcache *bc, const struct bu_req *q, struct bu_res *r)
{
	const struct mh_msg *m = q->m;
	bool home = m->flags & MH_BU_H;

	if (bc->ha) {
		if (!home) {
			bc_discard(r, "not_home_registration");
			return false;
		}
		if (!q->auth_present || !q->auth_ok) {	/* RFC 4285 §5 */
			bc_refuse(r, BA_AUTH_FAIL, "auth_fail");
			return false;
		}
		if (!q->replay_present) {		/* RFC 4285 §6 */
			bc_refuse(r, BA_MESG_ID_REQD, "replay_missing");
			return false;
		}
		if (!q->replay_ok) {
			bc_refuse(r, BA_ID_MISMATCH, "replay_mismatch");
			return false;
		}
		if (!ip6_same_prefix(&q->hoa, &bc->home_prefix, bc->home_plen)) {
			bc_refuse(r, BA_NOT_HOME_SUBNET, "not_home_subnet");
			return false;
		}
		return true;
	}
	if (home) {
		bc_refuse(r, BA_NOT_SUPPORTED, "home_reg_not_supported");
		return false;
	}
	if (!m->has_nonce || !m->has_bad) {	/* §9.5.1 */
		bc_discard(r, "no_rr_options");
		return false;
	}
	if (!q->nonces_valid_home || !q->nonces_valid_coa) {
		bc_refuse(r, !q->nonces_valid_home && !q->nonces_valid_coa ? BA_EXPIRED_NONCES :
			  !q->nonces_valid_home ? BA_EXPIRED_HOME_NONCE : BA_EXPIRED_COA_NONCE,
			  "nonce_expired");
		return false;
	}
	if (!q->bad_ok) {
		bc_discard(r, "bad_auth_fail");
		return false;
	}
	return true;
}

void bc_process(struct bcache *bc, const struct bu_req *q, struct bu_res *r)
{
	const struct mh_msg *m = q->m;
	struct bce *e;
	uint32_t life;
	bool dereg;

	memset(r, 0, sizeof(*r));
	r->seq = m->seq;
	if (!bc_authorise(bc, q, r))
		return;
	e = bc_lookup(bc, &q->hoa);
	if (e && !sec_seq_newer(m->seq, e->seq)) {	/* §9.5.1: the last accepted */
		bc_refuse(r, BA_SEQ_OUT_OF_WINDOW, "seq_out_of_window");
		r->seq = e->seq;
		return;
	}
	life = (uint32_t)m->lifetime * 4;
	dereg = life == 0 || !memcmp(&q->coa, &q->hoa, 16);
	if (!dereg && !ip6_is_global(&q->coa)) {
		/* §6.2.5, §9.5.1: a care-of address must be a routable unicast
		 * address, never link-local, multicast, loopback, unspecified */
		bc_discard(r, "coa_not_global");
		return;
	}
	r->send_ba = (m->flags & MH_BU_A) != 0;
	if (dereg) {
		if (!e && bc->ha) {	/* §10.3.2 */
			bc_refuse(r, BA_NOT_HA_FOR_MN, "no_binding");
			return;
		}
		if (e)
			bc_delete(bc, e);
		r->status = BA_ACCEPTED;
		r->dereg = true;
		r->why = "deregistered";
		return;
	}
	life = min_u32(life, bc->max_lifetime);
	if (bc->ha)	/* §10.3.1: no longer than the home prefix is valid */
		life = min_u32(life, bc->prefix_lifetime);
	if (!e) {
		if (!(e = bc_new(bc, &q->hoa))) {
			bc_refuse(r, BA_NO_RESOURCES, "cache_full");
			return;
		}
		e->created_ms = q->now_ms;
		r->created = true;
	}
	r->coa_changed = memcmp(&e->coa, &q->coa, 16) != 0;
	e->coa = q->coa;
	e->seq = m->seq;
	e->home = bc->ha;
	e->lifetime = life / 4 * 4;
	e->expires_ms = q->now_ms + (uint64_t)e->lifetime * 1000;
	e->brr_sent = false;
	e->n_updates++;
	r->e = e;
	r->status = BA_ACCEPTED;
	r->lifetime = (uint16_t)(e->lifetime / 4);
	r->why = "accepted";
}

int bc_expire(struct bcache *bc, uint64_t now_ms, void (*cb)(struct bce *, void *), void *arg)
{
	int n = 0;
	for (int i = 0; i < BC_MAX; i++)
		if (bc->e[i].used && bc->e[i].expires_ms <= now_ms) {
			if (cb)
				cb(&bc->e[i], arg);
			bc_delete(bc, &bc->e[i]);
			n++;
		}
	return n;
}

void bc_print(const struct bcache *bc, uint64_t now_ms, FILE *out)
{
	for (int i = 0; i < BC_MAX; i++) {
		const struct bce *e = &bc->e[i];
		if (!e->used)
			continue;
		fprintf(out, "%s coa %s seq %u lifetime %u left %.1f %s updates %llu\n",
			ip6_ntoa(&e->hoa), ip6_ntoa(&e->coa), e->seq, e->lifetime,
			e->expires_ms > now_ms ? (double)(e->expires_ms - now_ms) / 1000 : 0.0,
			e->home ? "home" : "ro", (unsigned long long)e->n_updates);
	}
}
