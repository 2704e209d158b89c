/* rr.c — return routability state (RFC 6275 §5.2.7, §9.4, §11.6). */
#include <string.h>
#include "rr.h"

void rr_cn_init(struct rr_cn *c, const uint8_t kcn[SEC_KCN_LEN], uint64_t first_nonce,
		uint64_t now_ms)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->kcn, kcn, SEC_KCN_LEN);
	c->n[0].nonce = first_nonce;
	c->n[0].born_ms = now_ms;
	c->n[0].index = 0;
	c->n[0].used = true;
	c->next_index = 1;
}

void rr_cn_current(struct rr_cn *c, uint64_t now_ms, uint64_t next_nonce,
		   uint16_t *index, uint64_t *nonce)
{
	if (now_ms - c->n[c->cur].born_ms >= RR_NONCE_REGEN_MS) {
		c->cur = (c->cur + 1) % RR_NONCES;
		c->n[c->cur].nonce = next_nonce;
		c->n[c->cur].born_ms = now_ms;
		c->n[c->cur].index = c->next_index++;
		c->n[c->cur].used = true;
	}
	*index = c->n[c->cur].index;
	*nonce = c->n[c->cur].nonce;
}

bool rr_cn_nonce(const struct rr_cn *c, uint16_t index, uint64_t now_ms, uint64_t *nonce)
{
	for (int i = 0; i < RR_NONCES; i++)
		if (c->n[i].used && c->n[i].index == index &&
		    now_ms - c->n[i].born_ms < MAX_NONCE_LIFETIME_MS) {
			*nonce = c->n[i].nonce;
			return true;
		}
	return false;
}

bool rr_mn_ready(const struct rr_mn *r, const struct in6_addr *coa, uint64_t now_ms)
{
	return r->have_home && r->have_coa && !memcmp(&r->coa, coa, 16) &&
	       now_ms - r->home_ms < MAX_TOKEN_LIFETIME_MS &&
	       now_ms - r->coa_ms < MAX_TOKEN_LIFETIME_MS;
}
