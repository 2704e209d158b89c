/* fa.c — foreign agent relay (RFC 5944 §3.7.2, §3.7.3; RFC 3024 §3). */
#include <stdlib.h>
#include <string.h>
#include "codes.h"
#include "fa.h"
#include "log.h"
#include "msg.h"

void fa_init(struct fa *fa, const struct mip4_cfg *cfg)
{
	memset(fa, 0, sizeof(*fa));
	fa->cfg = cfg;
}

static void fa_visitor_free(struct fa_visitor *v)
{
	ev_timer_free(&v->pend_timer);
	ev_timer_free(&v->life_timer);
	free(v);
}

void fa_free(struct fa *fa)
{
	for (int i = 0; i < fa->n; i++)
		fa_visitor_free(fa->v[i]);
	free(fa->v);
	fa->v = NULL;
	fa->n = fa->cap = 0;
}

struct fa_visitor *fa_lookup(struct fa *fa, struct in_addr hoa)
{
	for (int i = 0; i < fa->n; i++)
		if (fa->v[i]->hoa.s_addr == hoa.s_addr)
			return fa->v[i];
	return NULL;
}

static void fa_remove(struct fa *fa, struct fa_visitor *v)
{
	if (v->active && fa->on_visitor)
		fa->on_visitor(fa, v, false);
	for (int i = 0; i < fa->n; i++)
		if (fa->v[i] == v) {
			fa->v[i] = fa->v[--fa->n];
			break;
		}
	fa_visitor_free(v);
}

/* Removes the entry when it is neither pending nor active. */
static void fa_maybe_remove(struct fa_visitor *v)
{
	if (!v->pending && !v->active)
		fa_remove(v->fa, v);
}

static void fa_pending_expire(struct ev_timer *t, void *arg)
{
	struct fa_visitor *v = arg;
	mip4_ctr[C_PENDING_TIMEOUT]++;
	if (mip4_log_quota())
		log_info("pending request of %s timed out", mip4_ntoa(v->hoa));
	v->pending = false;
	fa_maybe_remove(v);
}

static void fa_visitor_expire(struct ev_timer *t, void *arg)
{
	struct fa_visitor *v = arg;
	mip4_ctr[C_BINDING_EXPIRED]++;
	log_info("visitor %s expired", mip4_ntoa(v->hoa));
	if (v->fa->on_visitor)
		v->fa->on_visitor(v->fa, v, false);
	v->active = false;
	fa_maybe_remove(v);
}

static struct fa_visitor *fa_get(struct fa *fa, struct in_addr hoa)
{
	struct fa_visitor *v = fa_lookup(fa, hoa);

	if (v)
		return v;
	if (fa->n == 1024)
		return NULL;
	if (fa->n == fa->cap) {
		int cap = fa->cap ? fa->cap * 2 : 8;
		struct fa_visitor **nv = realloc(fa->v, (size_t)cap * sizeof(*nv));
		if (!nv)
			return NULL;
		fa->v = nv;
		fa->cap = cap;
	}
	if (!(v = calloc(1, sizeof(*v))))
		return NULL;
	v->hoa = hoa;
	v->fa = fa;
	if (ev_timer_init(&v->pend_timer, fa_pending_expire, v) < 0) {
		free(v);
		return NULL;
	}
	if (ev_timer_init(&v->life_timer, fa_visitor_expire, v) < 0) {
		ev_timer_free(&v->pend_timer);
		free(v);
		return NULL;
	}
	fa->v[fa->n++] = v;
	return v;
}

/* The pending Request's sender becomes the visitor's (a new entry, or the
 * home agent accepted it). */
static void fa_take_req(struct fa_visitor *v)
{
	memcpy(v->mac, v->req.mac, 6);
	v->src = v->req.src;
	v->sport = v->req.sport;
	v->ha = v->req.ha;
	v->flags = v->req.flags;
}

/* Checks on a well-formed Request, in order (§3.7.2, RFC 3024 §3.3). */
struct fa_check {
	uint8_t code;
	bool (*fails)(const struct mip4_cfg *cfg, const struct mip4_req *q);
};
static bool fa_bad_lifetime(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return q->lifetime > c->reg_lifetime;
}
static bool fa_bad_coa(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return !(q->flags & MIP4_F_D) && q->coa.s_addr != c->fa_coa.s_addr;
}
static bool fa_bad_encap(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return (q->flags & (MIP4_F_M | MIP4_F_G)) != 0;
}
static bool fa_bad_rt(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return (q->flags & MIP4_F_T) && !c->reverse_tunnel;
}
static bool fa_bad_fields(const struct mip4_cfg *c, const struct mip4_req *q)
{
	return !q->hoa.s_addr || !q->ha.s_addr || (q->flags & (MIP4_F_r | MIP4_F_x));
}
static const struct fa_check fa_checks[] = {
	{ MIP4_FA_BAD_REQUEST, fa_bad_fields },
	{ MIP4_FA_LIFETIME, fa_bad_lifetime },
	{ MIP4_FA_BAD_COA, fa_bad_coa },
	{ MIP4_FA_ENCAP, fa_bad_encap },
	{ MIP4_FA_RT_UNAVAIL, fa_bad_rt },
};

static size_t fa_deny(struct fa *fa, const struct mip4_req *q, uint8_t code,
		      uint8_t *out, size_t cap)
{
	/* §3.7.2: the Lifetime of a denial carries the longest the FA grants
	 * when the code is 69; the Identification is copied. */
	struct mip4_rep p = { .code = code, .hoa = q->hoa, .ha = q->ha, .id = q->id,
		.lifetime = code == MIP4_FA_LIFETIME ? (uint16_t)fa->cfg->reg_lifetime : 0 };
	mip4_code_ctr[code]++;
	mip4_ctr[C_REQ_DENIED]++;
	mip4_ctr[C_REP_TX]++;
	if (mip4_log_quota())
		log_info("request from %s denied: %u %s", mip4_ntoa(q->hoa), code,
			 mip4_code_name(code));
	return mip4_rep_build(out, cap, &p, 0, NULL, 0);
}

enum fa_action fa_from_mn(struct fa *fa, const uint8_t *msg, size_t len,
			  const uint8_t mac[6], struct in_addr src, uint16_t sport,
			  uint8_t *out, size_t cap, size_t *outlen, struct in_addr *to)
{
	struct mip4_req q;
	struct fa_visitor *v;
	enum mip4_verdict vd;

	mip4_ctr[C_REQ_RX]++;
	*outlen = 0;
	vd = mip4_req_parse(msg, len, &q);
	if (vd == MIP4_TRUNCATED && len < MIP4_FIXED_REQ) {
		mip4_ctr[C_PARSE_TRUNCATED]++;
		return FA_DROP;
	}
	if (vd != MIP4_OK) {
		mip4_ctr[vd == MIP4_UNKNOWN ? C_PARSE_UNKNOWN : vd == MIP4_TRUNCATED ?
			 C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
		mip4_ctr[C_REQ_BAD]++;
		*outlen = fa_deny(fa, &q, MIP4_FA_BAD_REQUEST, out, cap);
		return *outlen ? FA_DENY : FA_DROP;
	}
	for (size_t i = 0; i < sizeof(fa_checks) / sizeof(fa_checks[0]); i++)
		if (fa_checks[i].fails(fa->cfg, &q)) {
			*outlen = fa_deny(fa, &q, fa_checks[i].code, out, cap);
			return *outlen ? FA_DENY : FA_DROP;
		}
	if (len > cap || !(v = fa_get(fa, q.hoa))) {
		*outlen = fa_deny(fa, &q, MIP4_FA_RESOURCES, out, cap);
		return *outlen ? FA_DENY : FA_DROP;
	}
	memcpy(v->req.mac, mac, 6);
	v->req.src = src;
	v->req.sport = sport;
	v->req.ha = q.ha;
	v->req.flags = q.flags;
	if (!v->active)
		fa_take_req(v);
	v->id = q.id;
	v->req_lifetime = q.lifetime;
	v->pending = true;
	ev_timer_arm(&v->pend_timer, fa->cfg->pending_timeout);
	/* relayed unchanged: the MN-HA authenticator covers it */
	memcpy(out, msg, len);
	*outlen = len;
	*to = q.ha;
	mip4_ctr[C_REQ_RELAYED]++;
	return FA_RELAY;
}

enum fa_action fa_from_ha(struct fa *fa, const uint8_t *msg, size_t len,
			  struct in_addr src, uint8_t *out, size_t cap, size_t *outlen,
			  struct fa_visitor **vout)
{
	struct mip4_rep p;
	struct fa_visitor *v;
	enum mip4_verdict vd;

	mip4_ctr[C_REP_RX]++;
	*outlen = 0;
	vd = mip4_rep_parse(msg, len, &p);
	if (vd != MIP4_OK) {
		mip4_ctr[vd == MIP4_UNKNOWN ? C_PARSE_UNKNOWN : vd == MIP4_TRUNCATED ?
			 C_PARSE_TRUNCATED : C_PARSE_MALFORMED]++;
		mip4_ctr[C_REP_BAD]++;
		return FA_DROP;
	}
	/* §3.7.3.1: a pending request with this home address and the low-order
	 * 32 bits of the Identification */
	v = fa_lookup(fa, p.hoa);
	if (!v || !v->pending || (uint32_t)v->id != (uint32_t)p.id) {
		mip4_ctr[C_REP_UNMATCHED]++;
		return FA_DROP;
	}
	if (len > cap)
		return FA_DROP;
	v->pending = false;
	ev_timer_disarm(&v->pend_timer);
	if (mip4_code_accepted(p.code) && p.lifetime > 0) {
		bool was = v->active;
		fa_take_req(v);
		v->lifetime = p.lifetime < v->req_lifetime ? p.lifetime : v->req_lifetime;
		v->active = true;
		ev_timer_arm(&v->life_timer, v->lifetime);
		mip4_ctr[C_REP_ACCEPTED]++;
		log_info("visitor %s (HA %s) lifetime %u%s", mip4_ntoa(v->hoa),
			 mip4_ntoa(v->ha), v->lifetime,
			 v->flags & MIP4_F_T ? " reverse tunnel" : "");
		if (!was && fa->on_visitor)
			fa->on_visitor(fa, v, true);
	} else {
		mip4_ctr[mip4_code_accepted(p.code) ? C_REP_ACCEPTED : C_REP_DENIED]++;
		if (v->active && mip4_code_accepted(p.code)) {
			/* deregistration accepted */
			if (fa->on_visitor)
				fa->on_visitor(fa, v, false);
			v->active = false;
			ev_timer_disarm(&v->life_timer);
		}
	}
	memcpy(out, msg, len);
	*outlen = len;
	*vout = v;
	mip4_ctr[C_REP_RELAYED]++;
	return FA_RELAY;
}

void fa_settle(struct fa_visitor *v) { fa_maybe_remove(v); }

void fa_print(struct fa *fa, FILE *out)
{
	for (int i = 0; i < fa->n; i++) {
		struct fa_visitor *v = fa->v[i];
		fprintf(out, "%s ha %s mac %02x:%02x:%02x:%02x:%02x:%02x %s lifetime %u "
			"remaining %.1f%s\n", mip4_ntoa(v->hoa), mip4_ntoa(v->ha),
			v->mac[0], v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5],
			v->active ? "registered" : "pending", v->lifetime,
			ev_timer_left_ms(&v->life_timer) / 1000.0,
			v->flags & MIP4_F_T ? " reverse-tunnel" : "");
	}
}
