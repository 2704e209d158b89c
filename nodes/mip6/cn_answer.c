/* cn_answer.c — what a correspondent answers (RFC 6275 §9.4, §9.5): HoT
 * and CoT for HoTI and CoTI, keygen tokens from Kcn and the current nonce;
 * a BU checked with Kbm into the binding cache, and its BA with Binding
 * Authorization Data. Shared by the correspondent daemon (cnd.c) and by a
 * mobile node answering as a correspondent (mnd_cn.c, §8.2); the caller's
 * send function puts a finished message on the wire its own way. */
#include <string.h>
#include "daemon.h"
#include "hmac.h"
#include "log.h"
#include "sec.h"

static uint64_t cn_next_nonce(void)
{
	uint64_t n;
	mip6_random(&n, sizeof(n));
	return n;
}

void cn_answer_init(void)
{
	uint8_t kcn[SEC_KCN_LEN];

	mip6_random(kcn, sizeof(kcn));		/* §5.2.3 */
	rr_cn_init(&D.rr, kcn, cn_next_nonce(), ev_now_ms());
}

void cn_answer_test(const struct ip6 *p, const struct mh_msg *m, cn_send_fn out)
{
	bool home = m->type == MH_HOTI;
	struct mh_msg t = { .type = home ? MH_HOT : MH_COT, .cookie = m->cookie };
	uint64_t nonce;
	uint8_t buf[64];
	size_t n;

	/* HoTI arrives from the home address, CoTI from the care-of address */
	rr_cn_current(&D.rr, ev_now_ms(), cn_next_nonce(), &t.nonce_index, &nonce);
	t.token = sec_keygen(D.rr.kcn, &p->src, nonce, !home);
	if ((n = mh_build(buf, sizeof(buf), &t)))
		out(buf, n, &p->dst, &p->src, NULL);
}

void cn_answer_bu(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m,
		  cn_send_fn out, struct bu_res *r)
{
	const uint8_t *mh = pkt + p->off;
	struct bu_req q = { .m = m, .now_ms = ev_now_ms() };
	uint64_t hn = 0, cn = 0, ht, ct;
	uint8_t kbm[SEC_KBM_LEN], a[SEC_AUTH_LEN];
	bool dereg;

	/* §9.5.1: the home address from the Home Address option, or the
	 * source when the mobile node deregisters from home (§11.5.4) */
	q.hoa = p->has_hao ? p->hao : p->src;
	q.coa = m->has_altcoa ? m->altcoa : p->src;
	dereg = m->lifetime == 0 || !memcmp(&q.coa, &q.hoa, 16);
	q.nonces_valid_home = m->has_nonce && rr_cn_nonce(&D.rr, m->home_nonce, q.now_ms, &hn);
	q.nonces_valid_coa = dereg || (m->has_nonce &&
				       rr_cn_nonce(&D.rr, m->coa_nonce, q.now_ms, &cn));
	if (q.nonces_valid_home && q.nonces_valid_coa && m->has_bad) {
		ht = sec_keygen(D.rr.kcn, &q.hoa, hn, false);
		ct = sec_keygen(D.rr.kcn, &q.coa, cn, true);
		sec_kbm(ht, dereg ? NULL : &ct, kbm);
		q.bad_ok = sec_bad_auth(kbm, &q.coa, &p->dst, mh, m->len, m->bad_off, a) == 0 &&
			   hmac_equal(a, m->bad, SEC_AUTH_LEN);
		if (!q.bad_ok)
			mip6_ctr[C_AUTH_FAIL]++;
	}
	bc_process(&D.bc, &q, r);
	log_debug("BU %s coa %s seq %u: %s (status %u)", ip6_ntoa(&q.hoa), ip6_ntoa(&q.coa),
		  m->seq, r->why, r->status);
	mip6_ctr[r->status >= 128 ? C_BU_REFUSED : !r->send_ba && !r->e && !r->dereg ?
		 C_BU_DISCARDED : C_BU_ACCEPTED]++;
	if (r->send_ba) {
		struct mh_msg b = { .type = MH_BA, .status = r->status, .seq = r->seq,
				    .lifetime = r->lifetime, .has_bad = q.bad_ok };
		uint8_t buf[96];
		size_t n = mh_build(buf, sizeof(buf), &b);
		if (n && b.has_bad)
			sec_bad_auth(kbm, &q.coa, &p->dst, buf, n, b.bad_off, buf + b.bad_off);
		/* §9.5.4: to the care-of address, with RH2 when it is not home */
		if (n && out(buf, n, &p->dst, &q.coa, dereg ? NULL : &q.hoa) == 0)
			mip6_ba_status[r->status]++;
	}
}
