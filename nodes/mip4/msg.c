/* msg.c — Mobile IPv4 message parsers and builders (RFC 5944 §2.1, §2.2,
 * §3.3, §3.4, §3.5). */
#include <string.h>
#include "cksum.h"
#include "hmac.h"
#include "msg.h"
#include "rd.h"
#include "wr.h"

const char *const mip4_verdict_names[] = {
	[MIP4_OK] = "ok", [MIP4_TRUNCATED] = "truncated",
	[MIP4_MALFORMED] = "malformed", [MIP4_UNKNOWN] = "unknown",
};

static const struct { uint8_t code; const char *name; } mip4_codes[] = {
	{ 0, "accepted" },
	{ 1, "accepted, simultaneous bindings unsupported" },
	{ 64, "FA: reason unspecified" },
	{ 65, "FA: administratively prohibited" },
	{ 66, "FA: insufficient resources" },
	{ 67, "FA: mobile node failed authentication" },
	{ 68, "FA: home agent failed authentication" },
	{ 69, "FA: requested lifetime too long" },
	{ 70, "FA: poorly formed request" },
	{ 71, "FA: poorly formed reply" },
	{ 72, "FA: requested encapsulation unavailable" },
	{ 73, "FA: reserved and unavailable" },
	{ 74, "FA: requested reverse tunnel unavailable" },
	{ 75, "FA: reverse tunnel is mandatory and T bit not set" },
	{ 76, "FA: mobile node too distant" },
	{ 77, "FA: invalid care-of address" },
	{ 78, "FA: registration timeout" },
	{ 79, "FA: delivery style not supported" },
	{ 80, "FA: home network unreachable" },
	{ 81, "FA: home agent host unreachable" },
	{ 82, "FA: home agent port unreachable" },
	{ 88, "FA: home agent unreachable" },
	{ 128, "HA: reason unspecified" },
	{ 129, "HA: administratively prohibited" },
	{ 130, "HA: insufficient resources" },
	{ 131, "HA: mobile node failed authentication" },
	{ 132, "HA: foreign agent failed authentication" },
	{ 133, "HA: registration identification mismatch" },
	{ 134, "HA: poorly formed request" },
	{ 135, "HA: too many simultaneous mobility bindings" },
	{ 136, "HA: unknown home agent address" },
	{ 137, "HA: requested reverse tunnel unavailable" },
	{ 138, "HA: reverse tunnel is mandatory and T bit not set" },
	{ 139, "HA: requested encapsulation unavailable" },
};

const char *mip4_code_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof(mip4_codes) / sizeof(mip4_codes[0]); i++)
		if (mip4_codes[i].code == code)
			return mip4_codes[i].name;
	return NULL;
}

static bool mip4_rd_addr(struct rd *r, struct in_addr *a)
{
	return rd_bytes(r, &a->s_addr, 4);
}

/* Reads the extensions of a registration message: r is positioned after
 * the fixed part, start is the message start (for the covered length). */
static enum mip4_verdict mip4_exts_parse(struct rd *r, const uint8_t *start,
					 struct mip4_auth *mn_ha,
					 struct mip4_auth *mn_fa,
					 struct mip4_auth *fa_ha,
					 bool *after_mnha, int *skipped)
{
	while (rd_left(r) > 0) {
		uint8_t type, len;
		size_t off = (size_t)(r->p - start);
		struct mip4_auth *a = NULL;
		struct rd e;

		rd_u8(r, &type);
		rd_u8(r, &len);
		if (!rd_ok(r) || !rd_sub(r, len, &e))
			return MIP4_TRUNCATED;
		switch (type) {
		case MIP4_EXT_MN_HA: a = mn_ha; break;
		case MIP4_EXT_MN_FA: a = mn_fa; break;
		case MIP4_EXT_FA_HA: a = fa_ha; break;
		default:
			if (type < 128)
				return MIP4_UNKNOWN;
			if (mn_ha->present && after_mnha)
				*after_mnha = true;
			(*skipped)++;
			continue;
		}
		if (a->present || len < 4 || len - 4 > MIP4_AUTH_MAX)
			return MIP4_MALFORMED;	/* twice, or no room for SPI */
		a->present = true;
		rd_be32(&e, &a->spi);
		a->auth_len = (uint8_t)(len - 4);
		rd_bytes(&e, a->auth, a->auth_len);
		a->covered = off + 6;
		if (!rd_done(&e))
			return MIP4_TRUNCATED;
	}
	return MIP4_OK;
}

enum mip4_verdict mip4_req_parse(const uint8_t *buf, size_t len, struct mip4_req *q)
{
	struct rd r = rd_init(buf, len);
	uint8_t type;

	memset(q, 0, sizeof(*q));
	rd_u8(&r, &type);
	rd_u8(&r, &q->flags);
	rd_be16(&r, &q->lifetime);
	mip4_rd_addr(&r, &q->hoa);
	mip4_rd_addr(&r, &q->ha);
	mip4_rd_addr(&r, &q->coa);
	rd_be64(&r, &q->id);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (type != MIP4_TYPE_REQUEST)
		return MIP4_MALFORMED;
	return mip4_exts_parse(&r, buf, &q->mn_ha, &q->mn_fa, &q->fa_ha,
			       &q->ext_after_mnha, &q->skipped);
}

enum mip4_verdict mip4_rep_parse(const uint8_t *buf, size_t len, struct mip4_rep *p)
{
	struct rd r = rd_init(buf, len);
	uint8_t type;

	memset(p, 0, sizeof(*p));
	rd_u8(&r, &type);
	rd_u8(&r, &p->code);
	rd_be16(&r, &p->lifetime);
	mip4_rd_addr(&r, &p->hoa);
	mip4_rd_addr(&r, &p->ha);
	rd_be64(&r, &p->id);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (type != MIP4_TYPE_REPLY)
		return MIP4_MALFORMED;
	return mip4_exts_parse(&r, buf, &p->mn_ha, &p->mn_fa, &p->fa_ha, NULL,
			       &p->skipped);
}

int mip4_auth_compute(const uint8_t *msg, size_t covered, const uint8_t *key,
		      size_t klen, uint8_t out[MIP4_AUTH_LEN])
{
	return hmac_md5(key, klen, msg, covered, out);
}

bool mip4_auth_check(const uint8_t *msg, const struct mip4_auth *a,
		     const uint8_t *key, size_t klen)
{
	uint8_t want[MIP4_AUTH_LEN];
	if (!a->present || a->auth_len != MIP4_AUTH_LEN)
		return false;
	if (mip4_auth_compute(msg, a->covered, key, klen, want) < 0)
		return false;
	return hmac_equal(want, a->auth, MIP4_AUTH_LEN);
}

/* Appends an MN-HA authentication extension over everything written so far. */
static void mip4_wr_auth(struct wr *w, uint32_t spi, const uint8_t *key, size_t klen)
{
	uint8_t *a;
	wr_u8(w, MIP4_EXT_MN_HA);
	wr_u8(w, 4 + MIP4_AUTH_LEN);
	wr_be32(w, spi);
	if (!(a = wr_reserve(w, MIP4_AUTH_LEN)))
		return;
	if (mip4_auth_compute(w->buf, w->len - MIP4_AUTH_LEN, key, klen, a) < 0)
		w->err = true;
}

size_t mip4_req_build(uint8_t *buf, size_t cap, const struct mip4_req *q,
		      uint32_t spi, const uint8_t *key, size_t klen)
{
	struct wr w = wr_init(buf, cap);
	wr_u8(&w, MIP4_TYPE_REQUEST);
	wr_u8(&w, q->flags);
	wr_be16(&w, q->lifetime);
	wr_bytes(&w, &q->hoa.s_addr, 4);
	wr_bytes(&w, &q->ha.s_addr, 4);
	wr_bytes(&w, &q->coa.s_addr, 4);
	wr_be64(&w, q->id);
	if (key)
		mip4_wr_auth(&w, spi, key, klen);
	return wr_ok(&w) ? w.len : 0;
}

size_t mip4_rep_build(uint8_t *buf, size_t cap, const struct mip4_rep *p,
		      uint32_t spi, const uint8_t *key, size_t klen)
{
	struct wr w = wr_init(buf, cap);
	wr_u8(&w, MIP4_TYPE_REPLY);
	wr_u8(&w, p->code);
	wr_be16(&w, p->lifetime);
	wr_bytes(&w, &p->hoa.s_addr, 4);
	wr_bytes(&w, &p->ha.s_addr, 4);
	wr_be64(&w, p->id);
	if (key)
		mip4_wr_auth(&w, spi, key, klen);
	return wr_ok(&w) ? w.len : 0;
}

/* ICMP router advertisement (RFC 1256 §3) + extensions 16 and 19. */
enum mip4_verdict mip4_adv_parse(const uint8_t *buf, size_t len, struct mip4_adv *a)
{
	struct rd r = rd_init(buf, len);
	uint8_t type, num, esize;
	uint16_t sum;

	memset(a, 0, sizeof(*a));
	rd_u8(&r, &type);
	rd_u8(&r, &a->code);
	rd_be16(&r, &sum);
	rd_u8(&r, &num);
	rd_u8(&r, &esize);
	rd_be16(&r, &a->lifetime);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (type != 9 || esize < 2)
		return MIP4_MALFORMED;
	for (int i = 0; i < num; i++) {
		struct in_addr ad;
		uint32_t pref;
		mip4_rd_addr(&r, &ad);
		rd_be32(&r, &pref);
		rd_skip(&r, (size_t)(esize - 2) * 4);
		if (!rd_ok(&r))
			return MIP4_TRUNCATED;
		if (a->n_addrs < MIP4_MAX_ADDRS) {
			a->addrs[a->n_addrs] = ad;
			a->prefs[a->n_addrs++] = (int32_t)pref;
		}
	}
	while (rd_left(&r) > 0) {
		uint8_t et, el;
		struct rd e;
		rd_u8(&r, &et);
		if (et == MIP4_EXT_PAD)
			continue;
		rd_u8(&r, &el);
		if (!rd_ok(&r) || !rd_sub(&r, el, &e))
			return MIP4_TRUNCATED;
		if (et == MIP4_EXT_AGENT_ADV) {
			if (a->has_agent || el < 6 || (el - 6) % 4)
				return MIP4_MALFORMED;
			a->has_agent = true;
			rd_be16(&e, &a->seq);
			rd_be16(&e, &a->reg_lifetime);
			rd_be16(&e, &a->flags);
			while (rd_left(&e) >= 4) {
				struct in_addr c;
				mip4_rd_addr(&e, &c);
				if (a->n_coas < MIP4_MAX_ADDRS)
					a->coas[a->n_coas++] = c;
			}
		} else if (et == MIP4_EXT_PREFIX_LEN) {
			if (a->has_plen)
				return MIP4_MALFORMED;
			a->has_plen = true;
			while (rd_left(&e) > 0) {
				uint8_t pl;
				rd_u8(&e, &pl);
				if (pl > 32)
					return MIP4_MALFORMED;
				if (a->n_plens < MIP4_MAX_ADDRS)
					a->plens[a->n_plens++] = pl;
			}
		} else if (et < 128) {
			return MIP4_UNKNOWN;
		}
	}
	if (cksum(buf, len) != 0)
		return MIP4_MALFORMED;
	/* §2.1.2: the Prefix-Lengths extension follows the agent extension */
	if (a->has_plen && !a->has_agent)
		return MIP4_MALFORMED;
	return MIP4_OK;
}

enum mip4_verdict mip4_sol_parse(const uint8_t *buf, size_t len)
{
	struct rd r = rd_init(buf, len);
	uint8_t type, code;
	uint16_t sum;
	uint32_t resv;

	rd_u8(&r, &type);
	rd_u8(&r, &code);
	rd_be16(&r, &sum);
	rd_be32(&r, &resv);
	if (!rd_ok(&r))
		return MIP4_TRUNCATED;
	if (type != 10 || code != 0 || cksum(buf, len) != 0)
		return MIP4_MALFORMED;
	return MIP4_OK;
}

size_t mip4_adv_build(uint8_t *buf, size_t cap, const struct mip4_adv *a)
{
	struct wr w = wr_init(buf, cap);
	wr_u8(&w, 9);
	wr_u8(&w, a->code);
	wr_be16(&w, 0);
	wr_u8(&w, (uint8_t)a->n_addrs);
	wr_u8(&w, 2);
	wr_be16(&w, a->lifetime);
	for (int i = 0; i < a->n_addrs; i++) {
		wr_bytes(&w, &a->addrs[i].s_addr, 4);
		wr_be32(&w, (uint32_t)a->prefs[i]);
	}
	if (a->has_agent) {
		wr_u8(&w, MIP4_EXT_AGENT_ADV);
		wr_u8(&w, (uint8_t)(6 + 4 * a->n_coas));
		wr_be16(&w, a->seq);
		wr_be16(&w, a->reg_lifetime);
		wr_be16(&w, a->flags);
		for (int i = 0; i < a->n_coas; i++)
			wr_bytes(&w, &a->coas[i].s_addr, 4);
	}
	if (a->has_plen) {
		wr_u8(&w, MIP4_EXT_PREFIX_LEN);
		wr_u8(&w, (uint8_t)a->n_plens);
		wr_bytes(&w, a->plens, (size_t)a->n_plens);
	}
	if (!wr_ok(&w))
		return 0;
	cksum_put(buf + 2, cksum(buf, w.len));
	return w.len;
}

size_t mip4_sol_build(uint8_t *buf, size_t cap)
{
	struct wr w = wr_init(buf, cap);
	wr_u8(&w, 10);
	wr_u8(&w, 0);
	wr_be16(&w, 0);
	wr_be32(&w, 0);
	if (!wr_ok(&w))
		return 0;
	cksum_put(buf + 2, cksum(buf, w.len));
	return w.len;
}
