/* mip6_bench.c — roam-mip6's Binding Update handling on one core: the home
 * agent's path (parse, RFC 4285 MN-HA authenticator check, binding cache)
 * and the correspondent's (parse, keygen tokens, Kbm, Binding Authorization
 * Data check, binding cache), with valid authenticated BUs and fresh
 * sequence numbers; then binding cache lookups with 100,000 bindings. The
 * daemon's files are compiled in, as in tests/unit/test_mip6.c, with a
 * binding cache of 131072 slots. Each figure is printed next to its target. */
#define BC_MAX 131072
#include <arpa/inet.h>
#include <stdlib.h>
#include <time.h>
#include "hmac.h"
#include "../nodes/mip6/mh.c"
#include "../nodes/mip6/sec.c"
#include "../nodes/mip6/pkt6.c"
#include "../nodes/mip6/bcache.c"

#define NBU	4096		/* distinct prepared BUs, cycled */
#define NBIND	100000

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct in6_addr bench_addr(uint32_t net, uint32_t host)
{
	struct in6_addr a = { 0 };
	a.s6_addr[0] = 0xfd;
	a.s6_addr[5] = (uint8_t)net;
	a.s6_addr32[3] = htonl(host);
	return a;
}

struct bu_pkt { uint8_t b[128]; size_t n; struct in6_addr hoa, coa; };

static const uint8_t key[] = "00112233445566778899aabbccddeeff";
static struct bcache *bc;

/* The home agent: N BUs from NHOME mobile nodes, each seq fresh. */
static void bench_ha(void)
{
	static struct bu_pkt p[NBU];
	uint32_t nhome = 1000;
	uint64_t accepted = 0, n = 0;
	double t0, dt;

	bc_init(bc, true);
	bc->home_prefix = bench_addr(1, 0);
	bc->home_plen = 64;
	for (int i = 0; i < NBU; i++) {
		struct mh_msg m = { .type = MH_BU, .seq = (uint16_t)(i / nhome + 1),
				    .flags = MH_BU_A | MH_BU_H, .lifetime = 100, .has_replay = true,
				    .replay = 1, .has_auth = true, .auth_subtype = MH_AUTH_MN_HA,
				    .spi = 1000, .auth_len = SEC_AUTH_LEN };
		p[i].hoa = bench_addr(1, 0x100 + (uint32_t)i % nhome);
		p[i].coa = bench_addr(2, 0x100 + (uint32_t)i % nhome);
		p[i].n = mh_build(p[i].b, sizeof(p[i].b), &m);
		sec_mnha_auth(key, sizeof(key) - 1, &p[i].coa, &p[i].hoa, p[i].b, m.auth_off,
			      p[i].b + m.auth_off);
	}
	t0 = bench_now();
	for (int round = 0; (dt = bench_now() - t0) < 1.0; round++) {
		for (int i = 0; i < NBU; i++, n++) {
			struct mh_msg m;
			struct bu_req q = { .m = &m, .now_ms = 1000 };
			struct bu_res r;
			uint8_t a[SEC_AUTH_LEN];
			/* each prepared BU's seq is fresh within a round; the
			 * cache starts empty each round, so it stays fresh */
			if (mh_parse(p[i].b, p[i].n, &m) != MH_OK)
				continue;
			q.hoa = p[i].hoa;
			q.coa = p[i].coa;
			q.auth_present = m.has_auth;
			q.auth_ok = sec_mnha_auth(key, sizeof(key) - 1, &p[i].coa, &p[i].hoa, p[i].b,
						  m.auth_off, a) == 0 && hmac_equal(a, m.auth, SEC_AUTH_LEN);
			q.replay_present = q.replay_ok = true;
			bc_process(bc, &q, &r);
			accepted += r.status == BA_ACCEPTED;
		}
		bc_init(bc, true);
		bc->home_prefix = bench_addr(1, 0);
		bc->home_plen = 64;
	}
	printf("home agent: %.0f authenticated BU/s (%llu of %llu accepted)   (target 50000)\n",
	       n / dt, (unsigned long long)accepted, (unsigned long long)n);
}

/* The correspondent: RR-authorised BUs (tokens from Kcn and a nonce). */
static void bench_cn(void)
{
	static struct bu_pkt p[NBU];
	uint8_t kcn[SEC_KCN_LEN] = { 1, 2, 3 };
	uint64_t nonce = 0x1122334455667788ULL, accepted = 0, n = 0;
	struct in6_addr cn = bench_addr(9, 1);
	uint32_t nmn = 1000;
	double t0, dt;

	for (int i = 0; i < NBU; i++) {
		struct mh_msg m = { .type = MH_BU, .seq = (uint16_t)(i / nmn + 1), .flags = MH_BU_A,
				    .lifetime = 100, .has_nonce = true, .home_nonce = 0,
				    .coa_nonce = 0, .has_bad = true };
		uint8_t kbm[SEC_KBM_LEN];
		uint64_t ht, ct;
		p[i].hoa = bench_addr(1, 0x100 + (uint32_t)i % nmn);
		p[i].coa = bench_addr(2, 0x100 + (uint32_t)i % nmn);
		p[i].n = mh_build(p[i].b, sizeof(p[i].b), &m);
		ht = sec_keygen(kcn, &p[i].hoa, nonce, false);
		ct = sec_keygen(kcn, &p[i].coa, nonce, true);
		sec_kbm(ht, &ct, kbm);
		sec_bad_auth(kbm, &p[i].coa, &cn, p[i].b, p[i].n, m.bad_off, p[i].b + m.bad_off);
	}
	bc_init(bc, false);
	t0 = bench_now();
	while ((dt = bench_now() - t0) < 1.0) {
		for (int i = 0; i < NBU; i++, n++) {
			struct mh_msg m;
			struct bu_req q = { .m = &m, .now_ms = 1000 };
			struct bu_res r;
			uint8_t kbm[SEC_KBM_LEN], a[SEC_AUTH_LEN];
			uint64_t ht, ct;
			if (mh_parse(p[i].b, p[i].n, &m) != MH_OK)
				continue;
			q.hoa = p[i].hoa;
			q.coa = p[i].coa;
			q.nonces_valid_home = q.nonces_valid_coa = true;
			ht = sec_keygen(kcn, &q.hoa, nonce, false);
			ct = sec_keygen(kcn, &q.coa, nonce, true);
			sec_kbm(ht, &ct, kbm);
			q.bad_ok = sec_bad_auth(kbm, &q.coa, &cn, p[i].b, m.len, m.bad_off, a) == 0 &&
				   hmac_equal(a, m.bad, SEC_AUTH_LEN);
			bc_process(bc, &q, &r);
			accepted += r.status == BA_ACCEPTED && r.send_ba;
		}
		bc_init(bc, false);
	}
	printf("correspondent: %.0f RR-authorised BU/s (%llu of %llu accepted)   (target 50000)\n",
	       n / dt, (unsigned long long)accepted, (unsigned long long)n);
}

static void bench_lookup(void)
{
	static struct in6_addr keys[NBIND];
	uint64_t found = 0, n = 0;
	double t0, dt;

	bc_init(bc, true);
	bc->home_prefix = bench_addr(1, 0);
	bc->home_plen = 64;
	for (uint32_t i = 0; i < NBIND; i++) {
		struct mh_msg m = { .type = MH_BU, .seq = 1, .flags = MH_BU_H, .lifetime = 100 };
		struct bu_req q = { .m = &m, .auth_present = true, .auth_ok = true,
				    .replay_present = true, .replay_ok = true, .now_ms = 1 };
		struct bu_res r;
		keys[i] = q.hoa = bench_addr(1, 0x10000 + i * 7919u);
		q.coa = bench_addr(2, i);
		bc_process(bc, &q, &r);
		if (!r.e) {
			printf("binding cache: insert %u failed (%s)\n", i, r.why);
			return;
		}
	}
	srand(1);
	t0 = bench_now();
	while ((dt = bench_now() - t0) < 1.0)
		for (int i = 0; i < 1000000; i++, n++)
			found += bc_lookup(bc, &keys[(i * 7 + n / 1000000) % NBIND]) != NULL;
	printf("binding cache: %.1f million lookups/s with %d bindings (%llu found)   (target 10 million)\n",
	       n / dt / 1e6, NBIND, (unsigned long long)found);
}

int main(void)
{
	if (!(bc = malloc(sizeof(*bc))))
		return 1;
	bench_ha();
	bench_cn();
	bench_lookup();
	printf("tunnel forwarding: not measured here (see docs/PERFORMANCE.md)\n");
	free(bc);
	return 0;
}
