/* bul.c — binding update list timing (RFC 6275 §11.7, §11.8). */
#include "bul.h"
#include "pkt6.h"

const char *const bul_state_names[BUL__N] = {
	[BUL_IDLE] = "idle", [BUL_RR] = "rr", [BUL_PENDING] = "pending",
	[BUL_BOUND] = "bound",
};

uint32_t bul_first_timeout(bool home, bool first_registration)
{
	return home && first_registration ? INITIAL_BINDACK_TIMEOUT_FIRSTREG_MS
					  : INITIAL_BINDACK_TIMEOUT_MS;
}

uint32_t bul_backoff(uint32_t cur_ms)
{
	if (cur_ms >= MAX_BINDACK_TIMEOUT_MS)
		return 0;
	cur_ms *= 2;
	return cur_ms > MAX_BINDACK_TIMEOUT_MS ? MAX_BINDACK_TIMEOUT_MS : cur_ms;
}

uint64_t bul_refresh_ms(uint32_t lifetime_s)
{
	uint64_t ms = (uint64_t)lifetime_s * 800;
	if ((uint64_t)lifetime_s * 1000 - ms < 1000)
		ms = lifetime_s > 1 ? (uint64_t)(lifetime_s - 1) * 1000 : 500;
	return ms;
}

uint16_t bul_seq_next(struct bul *b)
{
	b->seq_first = ++b->seq;
	return b->seq;
}

uint16_t bul_seq_retransmit(struct bul *b)
{
	return ++b->seq;
}

bool bul_seq_matches(const struct bul *b, uint16_t seq)
{
	return (uint16_t)(seq - b->seq_first) <= (uint16_t)(b->seq - b->seq_first);
}

void bul_print(const struct bul *b, uint64_t now_ms, FILE *out)
{
	fprintf(out, "%s %s hoa %s coa %s seq %u state %s lifetime %u left %.1f "
		"sent %llu acked %llu refused %llu rtt_ms %llu\n",
		b->home ? "ha" : "cn", ip6_ntoa(&b->peer), ip6_ntoa(&b->hoa),
		ip6_ntoa(&b->coa), b->seq, bul_state_names[b->state],
		(unsigned)b->granted * 4,
		b->expires_ms > now_ms ? (double)(b->expires_ms - now_ms) / 1000 : 0.0,
		(unsigned long long)b->n_sent, (unsigned long long)b->n_acked,
		(unsigned long long)b->n_refused, (unsigned long long)b->last_rtt_ms);
}
