/* ha.c — home agent: Registration Request checks in the order of RFC 5944
 * §3.8.2, replies (§3.8.3), the binding table with lifetimes. */
#include <stdlib.h>
#include <string.h>
#include "codes.h"
#include "ha.h"
#include "log.h"
#include "msg.h"

void ha_init(struct ha *ha, const struct mip4_cfg *cfg)
{
	memset(ha, 0, sizeof(*ha));
	ha->cfg = cfg;
}

void ha_free(struct ha *ha)
{
	for (int i = 0; i < ha->n; i++) {
		ev_timer_free(&ha->b[i]->timer);
		free(ha->b[i]);
	}
	free(ha->b);
	ha->b = NULL;
	ha->n = ha->cap = 0;
}

struct ha_binding *ha_lookup(struct ha *ha, struct in_addr hoa)
{
	for (int i = 0; i < ha->n; i++)
		if (ha->b[i]->hoa.s_addr == hoa.s_addr)
			return ha->b[i];
	return NULL;
}

static void ha_binding_end(struct ha_binding *b)
{
	if (!b->active)
		return;
	b->active = false;
	ev_timer_disarm(&b->timer);
	log_info("binding %s -> %s ended", mip4_ntoa(b->hoa), mip4_ntoa(b->coa));
	if (b->ha->on_binding)
		b->ha->on_binding(b->ha, b, false);
}

static void ha_binding_expire(struct ev_timer *t, void *arg)
{
	struct ha_binding *b = arg;
	mip4_ctr[C_BINDING_EXPIRED]++;
	log_info("binding %s expired", mip4_ntoa(b->hoa));
	ha_binding_end(b);
}

static struct ha_binding *ha_get(struct ha *ha, struct in_addr hoa)
{
	struct ha_binding *b = ha_lookup(ha, hoa);

	if (b)
		return b;
	if (ha->n == 1024)
		return NULL;
	if (ha->n == ha->cap) {
		int cap = ha->cap ? ha->cap * 2 : 8;
		struct ha_binding **nb = realloc(ha->b, (size_t)cap * sizeof(*nb));
		if (!nb)
			return NULL;
		ha->b = nb;
		ha->cap = cap;
	}
	if (!(b = calloc(1, sizeof(*b))))
		return NULL;
	b->hoa = hoa;
	b->ha = ha;
	if (ev_timer_init(&b->timer, ha_binding_expire, b) < 0) {
		free(b);
		return NULL;
	}
	ha->b[ha->n++] = b;
	return b;
}

static bool ha_in_home(const struct mip4_cfg *cfg, struct in_addr a)
{
	uint32_t m = cfg->home_plen ? htonl(~0u << (32 - cfg->home_plen)) : 0;
	return (a.s_addr & m) == (cfg->home_agent.s_addr & m);
}

/* The checks after parsing and authentication, in order: the first failing
 * one gives the code. */
struct ha_check {
	uint8_t code;
	bool (*fails)(const struct mip4_cfg *cfg, const struct mip4_req *q);
};
static bool ha_bad_ha(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return q->ha.s_addr != c->home_agent.s_addr;
}
static bool ha_bad_hoa(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return !q->hoa.s_addr || !ha_in_home(c, q->hoa) ||
	       q->hoa.s_addr == c->home_agent.s_addr;
}
static bool ha_bad_encap(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return (q->flags & (MIP4_F_M | MIP4_F_G)) != 0;
}
static bool ha_bad_rt(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return (q->flags & MIP4_F_T) && !c->reverse_tunnel;
}
static const struct ha_check ha_checks[] = {
	{ MIP4_HA_UNKNOWN_HA, ha_bad_ha },
	{ MIP4_HA_PROHIBITED, ha_bad_hoa },
	{ MIP4_HA_ENCAP, ha_bad_encap },
	{ MIP4_HA_RT_UNAVAIL, ha_bad_rt },
};

/* A fresh nonce for the Reply's Identification: only the nonce style needs
 * one (a getrandom call per reply otherwise, replays and floods included). */
static uint32_t ha_next_nonce(const struct mip4_cfg *cfg)
{
	return cfg->replay == MIP4_REPLAY_NONCE ? mip4_random32() : 0;
}

static size_t ha_reply(struct ha *ha, const struct mip4_req *q, uint8_t code,
		       uint16_t lifetime, uint64_t id, uint8_t *out, size_t cap)
{
	struct mip4_rep p = { .code = code, .lifetime = lifetime, .hoa = q->hoa,
			      .ha = ha->cfg->home_agent, .id = id };
	mip4_code_ctr[code]++;
	mip4_ctr[mip4_code_accepted(code) ? C_REQ_ACCEPTED : C_REQ_DENIED]++;
	mip4_ctr[C_REP_TX]++;
	if (!mip4_code_accepted(code) && mip4_log_quota())
		log_info("request from %s denied: %u %s", mip4_ntoa(q->hoa), code,
			 mip4_code_name(code));
	return mip4_rep_build(out, cap, &p, ha->cfg->spi, ha->cfg->key,
			      (size_t)ha->cfg->klen);
}

size_t ha_request(struct ha *ha, const uint8_t *msg, size_t len,
		  struct in_addr src, uint16_t sport, uint64_t now,
		  uint8_t *out, size_t cap)
{
	const struct mip4_cfg *cfg = ha->cfg;
	struct mip4_req q;
	enum mip4_verdict v;
	struct ha_binding *b;
	uint16_t life;
	uint8_t code = MIP4_ACCEPTED;
	bool dereg;

	mip4_ctr[C_REQ_RX]++;
	v = mip4_req_parse(msg, len, &q);
	if (v == MIP4_TRUNCATED && len < MIP4_FIXED_REQ) {
		mip4_ctr[C_PARSE_TRUNCATED]++;
		return 0;	/* cannot even name the mobile node */
	}
	if (v != MIP4_OK) {
		mip4_ctr[v == MIP4_UNKNOWN ? C_PARSE_UNKNOWN : v == MIP4_TRUNCATED ?
			 C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
		mip4_ctr[C_REQ_BAD]++;
		return ha_reply(ha, &q, MIP4_HA_BAD_REQUEST, 0, q.id, out, cap);
	}
	/* §3.8.2.1: the MN-HA extension, with the SPI of our association */
	if (!q.mn_ha.present || q.mn_ha.spi != cfg->spi ||
	    !mip4_auth_check(msg, &q.mn_ha, cfg->key, (size_t)cfg->klen) ||
	    q.ext_after_mnha) {
		mip4_ctr[C_REQ_AUTH_FAIL]++;
		return ha_reply(ha, &q, MIP4_HA_MN_AUTH, 0, q.id, out, cap);
	}
	for (size_t i = 0; i < sizeof(ha_checks) / sizeof(ha_checks[0]); i++)
		if (ha_checks[i].fails(cfg, &q)) {
			code = ha_checks[i].code;
			break;
		}
	if (code == MIP4_HA_UNKNOWN_HA || code == MIP4_HA_PROHIBITED)
		return ha_reply(ha, &q, code, 0, q.id, out, cap);
	if (!(b = ha_get(ha, q.hoa)))
		return ha_reply(ha, &q, MIP4_HA_RESOURCES, 0, q.id, out, cap);
	/* §5.7: Identification */
	if (!replay_ha_check(cfg->replay, &b->replay, q.id, now, cfg->replay_window)) {
		mip4_ctr[C_REQ_REPLAY]++;
		return ha_reply(ha, &q, MIP4_HA_ID_MISMATCH, 0,
				replay_ha_reply_id(cfg->replay, &b->replay, q.id, false,
						   now, ha_next_nonce(cfg)),
				out, cap);
	}
	if (code != MIP4_ACCEPTED)
		return ha_reply(ha, &q, code, 0,
				replay_ha_reply_id(cfg->replay, &b->replay, q.id, false,
						   now, ha_next_nonce(cfg)),
				out, cap);
	life = q.lifetime < cfg->reg_lifetime ? q.lifetime : (uint16_t)cfg->reg_lifetime;
	dereg = life == 0 || q.coa.s_addr == q.hoa.s_addr;
	if (q.flags & MIP4_F_S)
		code = MIP4_ACCEPTED_NO_SIMUL;
	if (dereg) {
		life = 0;
		ha_binding_end(b);
		log_info("deregistered %s", mip4_ntoa(q.hoa));
	} else {
		bool moved = b->active && b->coa.s_addr != q.coa.s_addr;
		if (moved)
			ha_binding_end(b);
		bool fresh = !b->active;
		b->coa = q.coa;
		b->src = src;
		b->sport = sport;
		b->flags = q.flags;
		b->lifetime = life;
		b->active = true;
		ev_timer_arm(&b->timer, life);
		/* a new or moved binding is news; a renewal only in debug */
		(fresh ? log_info : log_debug)("binding %s -> %s lifetime %u%s", mip4_ntoa(q.hoa),
			 mip4_ntoa(q.coa), life, q.flags & MIP4_F_T ? " reverse tunnel" : "");
		if (fresh && ha->on_binding)
			ha->on_binding(ha, b, true);
	}
	return ha_reply(ha, &q, code, life,
			replay_ha_reply_id(cfg->replay, &b->replay, q.id, true, now,
					   ha_next_nonce(cfg)),
			out, cap);
}

void ha_print(struct ha *ha, FILE *out)
{
	for (int i = 0; i < ha->n; i++) {
		struct ha_binding *b = ha->b[i];
		if (!b->active)
			continue;
		fprintf(out, "%s coa %s via %s lifetime %u remaining %.1f%s\n",
			mip4_ntoa(b->hoa), mip4_ntoa(b->coa), mip4_ntoa(b->src),
			b->lifetime, ev_timer_left_ms(&b->timer) / 1000.0,
			b->flags & MIP4_F_T ? " reverse-tunnel" : "");
	}
}
