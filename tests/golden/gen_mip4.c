/* gen_mip4.c — the Mobile IPv4 golden captures of lua/rules/mip4.lua
 * (RFC 5944, RFC 2003, RFC 3024), included from gen.c. One capture of a
 * whole conformant exchange on one link (agent advertisements and
 * solicitations, registration through a foreign agent with a retransmitted
 * renewal, a foreign agent's and a home agent's denial, tunnels both ways,
 * proxy and gratuitous ARP, deregistration at home), and the same exchange
 * with one fault each (m4_cases[]); plus a co-located care-of address
 * registration. Keys and addresses are those of topologies/mip4.lua. */
#include <arpa/inet.h>
#include "hmac.h"

enum m4_fault {
	M4_GOOD, M4_ADV_CODE, M4_ADV_TTL, M4_ADV_DST, M4_ADV_EXT_FIRST, M4_ADV_PLEN_ORDER,
	M4_ADV_PLEN_COUNT, M4_ADV_EXTLEN, M4_ADV_ESIZE, M4_ADV_HF, M4_ADV_FCOA, M4_ADV_RESERVED,
	M4_ADV_SEQ, M4_ADV_PERIOD, M4_ADV_SILENT, M4_ADV_CKSUM, M4_SOL_TTL, M4_SOL_DST, M4_SOL_RATE,
	M4_ADV_R, M4_RRQ_PORT, M4_RRQ_SRC, M4_RRQ_MCAST_TTL, M4_RRQ_RESERVED, M4_RRQ_HOME,
	M4_RRQ_COA_HOME, M4_DEREG_HOME, M4_RRQ_D, M4_RRQ_COA_FA, M4_RRQ_T, M4_RRQ_ID_NEW,
	M4_RRQ_ID_CLOCK, M4_BACKOFF, M4_RRP_CODE_RANGE, M4_RRP_PORT, M4_RRP_ID, M4_RRP_FIELDS,
	M4_RRP_CODE_S, M4_RRP_LIFETIME, M4_FA_DENY_CODE, M4_HA_DENY_CODE, M4_HA_ANSWER,
	M4_HA_REPLAY_DUP, M4_MNHA_RRQ, M4_MNHA_RRP, M4_MNHA_ONCE, M4_MNHA_LAST, M4_MNHA_SPI,
	M4_MNHA_LEN, M4_MNHA_AUTH, M4_FA_RELAY_REQ, M4_FA_RELAY_REP, M4_FA_RELAY_ORIGIN,
	M4_FA_RELAY_UNCHANGED, M4_FA_LIFETIME, M4_TUN_DST, M4_TUN_SRC, M4_TUN_TTL,
	M4_TUN_INNER_TTL, M4_TUN_TOS, M4_TUN_DF, M4_RT_OUTER, M4_RT_LEAK, M4_HA_GARP, M4_MN_GARP,
	M4_HA_PROXYARP, M4_RRQ_SRC_COA,
};

static const struct { const char *name; enum m4_fault f; } m4_cases[] = {
	{ "mip4-good", M4_GOOD }, { "mip4-adv-code", M4_ADV_CODE }, { "mip4-adv-ttl", M4_ADV_TTL },
	{ "mip4-adv-dst", M4_ADV_DST }, { "mip4-adv-ext-first", M4_ADV_EXT_FIRST },
	{ "mip4-adv-plen-order", M4_ADV_PLEN_ORDER }, { "mip4-adv-plen-count", M4_ADV_PLEN_COUNT },
	{ "mip4-adv-extlen", M4_ADV_EXTLEN }, { "mip4-adv-esize", M4_ADV_ESIZE },
	{ "mip4-adv-hf", M4_ADV_HF }, { "mip4-adv-fcoa", M4_ADV_FCOA },
	{ "mip4-adv-reserved", M4_ADV_RESERVED }, { "mip4-adv-seq", M4_ADV_SEQ },
	{ "mip4-adv-period", M4_ADV_PERIOD }, { "mip4-adv-silent", M4_ADV_SILENT },
	{ "mip4-adv-cksum", M4_ADV_CKSUM }, { "mip4-sol-ttl", M4_SOL_TTL },
	{ "mip4-sol-dst", M4_SOL_DST }, { "mip4-sol-rate", M4_SOL_RATE }, { "mip4-adv-r", M4_ADV_R },
	{ "mip4-rrq-port", M4_RRQ_PORT }, { "mip4-rrq-src", M4_RRQ_SRC },
	{ "mip4-rrq-mcast-ttl", M4_RRQ_MCAST_TTL }, { "mip4-rrq-reserved", M4_RRQ_RESERVED },
	{ "mip4-rrq-home", M4_RRQ_HOME }, { "mip4-rrq-coa-home", M4_RRQ_COA_HOME },
	{ "mip4-dereg-home", M4_DEREG_HOME }, { "mip4-rrq-d", M4_RRQ_D },
	{ "mip4-rrq-coa-fa", M4_RRQ_COA_FA }, { "mip4-rrq-t", M4_RRQ_T },
	{ "mip4-rrq-id-new", M4_RRQ_ID_NEW }, { "mip4-rrq-id-clock", M4_RRQ_ID_CLOCK },
	{ "mip4-backoff", M4_BACKOFF }, { "mip4-rrp-code-range", M4_RRP_CODE_RANGE },
	{ "mip4-rrp-port", M4_RRP_PORT }, { "mip4-rrp-id", M4_RRP_ID },
	{ "mip4-rrp-fields", M4_RRP_FIELDS }, { "mip4-rrp-code-s", M4_RRP_CODE_S },
	{ "mip4-rrp-lifetime", M4_RRP_LIFETIME }, { "mip4-fa-deny-code", M4_FA_DENY_CODE },
	{ "mip4-ha-deny-code", M4_HA_DENY_CODE }, { "mip4-ha-answer", M4_HA_ANSWER },
	{ "mip4-ha-replay-dup", M4_HA_REPLAY_DUP }, { "mip4-mnha-rrq", M4_MNHA_RRQ },
	{ "mip4-mnha-rrp", M4_MNHA_RRP }, { "mip4-mnha-once", M4_MNHA_ONCE },
	{ "mip4-mnha-last", M4_MNHA_LAST }, { "mip4-mnha-spi", M4_MNHA_SPI },
	{ "mip4-mnha-len", M4_MNHA_LEN }, { "mip4-mnha-auth", M4_MNHA_AUTH },
	{ "mip4-fa-relay-req", M4_FA_RELAY_REQ }, { "mip4-fa-relay-rep", M4_FA_RELAY_REP },
	{ "mip4-fa-relay-origin", M4_FA_RELAY_ORIGIN },
	{ "mip4-fa-relay-unchanged", M4_FA_RELAY_UNCHANGED }, { "mip4-fa-lifetime", M4_FA_LIFETIME },
	{ "mip4-tun-dst", M4_TUN_DST }, { "mip4-tun-src", M4_TUN_SRC }, { "mip4-tun-ttl", M4_TUN_TTL },
	{ "mip4-tun-inner-ttl", M4_TUN_INNER_TTL }, { "mip4-tun-tos", M4_TUN_TOS },
	{ "mip4-tun-df", M4_TUN_DF }, { "mip4-rt-outer", M4_RT_OUTER }, { "mip4-rt-leak", M4_RT_LEAK },
	{ "mip4-ha-garp", M4_HA_GARP }, { "mip4-mn-garp", M4_MN_GARP },
	{ "mip4-ha-proxyarp", M4_HA_PROXYARP }, { "mip4-rrq-src-coa", M4_RRQ_SRC_COA },
};

static const uint8_t M4_HA[6] = { 2, 0, 0, 0, 4, 0x10 };	/* home agent, home link */
static const uint8_t M4_HAU[6] = { 2, 0, 0, 0, 4, 0x11 };	/* home agent, uplink */
static const uint8_t M4_CORE[6] = { 2, 0, 0, 0, 4, 0x40 };	/* core router */
static const uint8_t M4_FA[6] = { 2, 0, 0, 0, 4, 0x20 };	/* foreign agent, cell */
static const uint8_t M4_FAU[6] = { 2, 0, 0, 0, 4, 0x21 };	/* foreign agent, uplink */
static const uint8_t M4_MN[6] = { 2, 0, 0, 0, 4, 0x30 };	/* mobile node 10.1.0.101 */
static const uint8_t M4_MN2[6] = { 2, 0, 0, 0, 4, 0x31 };	/* mobile node 10.1.0.102 */
static const uint8_t M4_HOST[6] = { 2, 0, 0, 0, 4, 0x50 };	/* a host at home */
static const uint8_t M4_ALLSYS[6] = { 1, 0, 0x5e, 0, 0, 1 };
static const uint8_t M4_ALLRTR[6] = { 1, 0, 0x5e, 0, 0, 2 };
static const uint8_t M4_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t M4_KEY[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				    0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
#define M4_SPI 1000u
#define M4_NTP_UNIX 2208988800ull

struct m4_frame { uint64_t t; int n; size_t len; uint8_t b[512]; };
struct m4_cap { struct m4_frame fr[160]; int n; enum m4_fault f; };

static void m4_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void m4_put32(uint8_t *p, uint32_t v) { m4_put16(p, (uint16_t)(v >> 16)); m4_put16(p + 2, (uint16_t)v); }

static uint16_t m4_ipsum(const uint8_t *h)
{
	uint32_t s = 0;
	for (int i = 0; i < 20; i += 2)
		if (i != 10)
			s += (uint32_t)(h[i] << 8 | h[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Sets the TOS and Identification of the IPv4 header at fr + 14. */
static void m4_ip_patch(uint8_t *fr, uint8_t tos, uint16_t id)
{
	fr[15] = tos;
	m4_put16(fr + 18, id);
	m4_put16(fr + 24, m4_ipsum(fr + 14));
}

static void m4_add(struct m4_cap *c, double t_ms, const uint8_t *b, size_t len)
{
	struct m4_frame *f = &c->fr[c->n];
	if (c->n >= (int)(sizeof c->fr / sizeof *c->fr) || len > sizeof f->b) {
		fprintf(stderr, "gen: mip4 capture too big\n");
		exit(3);
	}
	f->t = T0 + (uint64_t)(t_ms * 1e6);
	f->n = c->n++;
	f->len = len;
	memcpy(f->b, b, len);
}

static int m4_cmp(const void *a, const void *b)
{
	const struct m4_frame *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->n - y->n;
}

/* The 64-bit Identification: NTP seconds of the send time, low bits tag. */
static uint64_t m4_id(double t_ms, uint32_t tag)
{
	return (uint64_t)(1700000000ull + M4_NTP_UNIX + (uint64_t)(t_ms / 1000)) << 32 | tag;
}

/* ---- agent advertisements and solicitations ---- */
struct m4_agent { const char *src; const uint8_t *mac; uint16_t flags; const char *coa; int seq; };

static void m4_adv(struct m4_cap *c, double t, struct m4_agent *a)
{
	uint8_t m[64], fr[PG_MAX];
	enum m4_fault f = c->f;
	size_t n = 0;
	int esize = f == M4_ADV_ESIZE ? 3 : 2;
	int fa = a->coa != NULL, seq = a->seq++;

	memset(m, 0, sizeof m);
	m[0] = 9;
	m[1] = fa && f == M4_ADV_CODE && seq == 2 ? 3 : 0;
	m[4] = 1;
	m[5] = (uint8_t)esize;
	m4_put16(m + 6, 3);				/* ICMP lifetime 3 s */
	n = 8;
	struct in_addr ia;
	inet_pton(AF_INET, a->src, &ia);
	memcpy(m + n, &ia, 4);
	n += 4 * (size_t)esize;				/* preference 0 (+ padding) */
	if (f == M4_ADV_EXT_FIRST && fa) {		/* an unknown extension first */
		m[n] = 99; m[n + 1] = 2; n += 4;
	}
	uint8_t *plen = m + n;
	if (f == M4_ADV_PLEN_ORDER && fa) {		/* 19 before 16 */
		plen[0] = 19; plen[1] = 1; plen[2] = 24; n += 3;
	}
	uint8_t *e = m + n;
	int ncoa = fa && f != M4_ADV_FCOA ? 1 : 0;
	e[0] = 16;
	e[1] = (uint8_t)(6 + 4 * ncoa + (f == M4_ADV_EXTLEN && fa ? 2 : 0));
	int wseq = seq;
	if (f == M4_ADV_SEQ && fa && seq >= 4)
		wseq = seq + 1;				/* 3 then 5 */
	m4_put16(e + 2, (uint16_t)wseq);
	m4_put16(e + 4, 120);				/* registration lifetime */
	uint16_t fl = a->flags;
	if (f == M4_ADV_HF && !fa)
		fl &= (uint16_t)~0x2000;
	if (f == M4_ADV_RESERVED && fa)
		fl |= 0x0200;
	if (f == M4_RRQ_T && fa)
		fl &= (uint16_t)~0x0100;
	m4_put16(e + 6, fl);
	n += 8;
	if (ncoa) {
		inet_pton(AF_INET, a->coa, &ia);
		memcpy(m + n, &ia, 4);
		n += 4;
	}
	if (f == M4_ADV_EXTLEN && fa)
		n += 2;
	if (f != M4_ADV_PLEN_ORDER || !fa) {
		m[n] = 19;
		m[n + 1] = f == M4_ADV_PLEN_COUNT && fa ? 2 : 1;
		m[n + 2] = 24;
		m[n + 3] = 16;
		n += 2 + m[n + 1];
	}
	int ttl = f == M4_ADV_TTL && !fa ? 64 : 1;
	const char *dst = f == M4_ADV_DST && fa ? "10.2.0.255" : "224.0.0.1";
	size_t k = pg_frame4(fr, a->mac, M4_ALLSYS, a->src, dst, (uint8_t)ttl, 1, 0, 0, m, n, PG_SUM_PLAIN, 2);
	if (f == M4_ADV_CKSUM && fa && seq == 3)
		fr[14 + 20 + 3] ^= 0x21;
	m4_add(c, t, fr, k);
}

static void m4_sol(struct m4_cap *c, double t, const uint8_t *mac, const char *src)
{
	uint8_t m[8] = { 10 }, fr[PG_MAX];
	int ttl = c->f == M4_SOL_TTL ? 255 : 1;
	const char *dst = c->f == M4_SOL_DST ? "10.2.0.1" : "224.0.0.2";
	size_t k = pg_frame4(fr, mac, M4_ALLRTR, src, dst, (uint8_t)ttl, 1, 0, 0, m, 8, PG_SUM_PLAIN, 2);
	m4_add(c, t, fr, k);
}

/* ---- registration ---- */
struct m4_msg { uint8_t b[128]; size_t len; };

struct m4_rrq {
	uint8_t flags; uint16_t life; const char *home, *ha, *coa; uint64_t id;
	int no_auth, two_auth, nai_after, spi, short_auth, bad_auth;
};

static void m4_auth(struct m4_msg *m, uint32_t spi, int short_auth, int bad_auth)
{
	uint8_t *e = m->b + m->len, mac[HMAC_MD5_LEN];
	e[0] = 32;
	e[1] = (uint8_t)(4 + (short_auth ? 12 : 16));
	m4_put32(e + 2, spi);
	hmac_md5(M4_KEY, sizeof M4_KEY, m->b, m->len + 6, mac);
	if (bad_auth)
		mac[5] ^= 1;
	memcpy(e + 6, mac, short_auth ? 12 : 16);
	m->len += 6 + (short_auth ? 12u : 16u);
}

static void m4_addr(uint8_t *p, const char *a)
{
	struct in_addr ia;
	if (inet_pton(AF_INET, a, &ia) != 1) {
		fprintf(stderr, "gen: bad address %s\n", a);
		exit(3);
	}
	memcpy(p, &ia, 4);
}

static void m4_rrq_build(struct m4_msg *m, const struct m4_rrq *q)
{
	memset(m, 0, sizeof *m);
	m->b[0] = 1;
	m->b[1] = q->flags;
	m4_put16(m->b + 2, q->life);
	m4_addr(m->b + 4, q->home);
	m4_addr(m->b + 8, q->ha);
	m4_addr(m->b + 12, q->coa);
	m4_put32(m->b + 16, (uint32_t)(q->id >> 32));
	m4_put32(m->b + 20, (uint32_t)q->id);
	m->len = 24;
	if (q->no_auth)
		return;
	m4_auth(m, q->spi ? (uint32_t)q->spi : M4_SPI, q->short_auth, q->bad_auth);
	if (q->two_auth)
		m4_auth(m, M4_SPI, 0, 0);
	if (q->nai_after) {
		uint8_t *e = m->b + m->len;
		e[0] = 131; e[1] = 7;
		memcpy(e + 2, "mn@home", 7);
		m->len += 9;
	}
}

static void m4_rrp_build(struct m4_msg *m, uint8_t code, uint16_t life, const char *home,
			 const char *ha, uint64_t id, int auth)
{
	memset(m, 0, sizeof *m);
	m->b[0] = 3;
	m->b[1] = code;
	m4_put16(m->b + 2, life);
	m4_addr(m->b + 4, home);
	m4_addr(m->b + 8, ha);
	m4_put32(m->b + 12, (uint32_t)(id >> 32));
	m4_put32(m->b + 16, (uint32_t)id);
	m->len = 20;
	if (auth)
		m4_auth(m, M4_SPI, 0, 0);
}

static void m4_udp(struct m4_cap *c, double t, const uint8_t *smac, const uint8_t *dmac,
		   const char *src, const char *dst, uint8_t ttl, uint16_t sport, uint16_t dport,
		   const struct m4_msg *m)
{
	uint8_t u[256], fr[PG_MAX];
	size_t n = pg_udp(u, sport, dport, m->b, m->len);
	size_t k = pg_frame4(fr, smac, dmac, src, dst, ttl, 17, 0, 0, u, n, PG_SUM_PSEUDO, 6);
	m4_add(c, t, fr, k);
}

/* ---- data: a plain ICMP echo and its IP-in-IP form ---- */
static size_t m4_inner(uint8_t *ip, const char *src, const char *dst, uint8_t ttl, uint8_t tos, uint16_t id)
{
	uint8_t *ic = ip + 20;
	memset(ip, 0, 36);
	ip[0] = 0x45; ip[1] = tos;
	m4_put16(ip + 2, 36);
	m4_put16(ip + 4, id);
	m4_put16(ip + 6, 0x4000);	/* DF */
	ip[8] = ttl; ip[9] = 1;
	m4_addr(ip + 12, src);
	m4_addr(ip + 16, dst);
	m4_put16(ip + 10, m4_ipsum(ip));
	ic[0] = 8; ic[5] = 1; ic[7] = 1;
	memcpy(ic + 8, "roam-m4!", 8);
	uint32_t s = 0;
	for (int i = 0; i < 16; i += 2)
		s += (uint32_t)(ic[i] << 8 | ic[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	m4_put16(ic + 2, (uint16_t)~s);
	return 36;
}

static void m4_plain(struct m4_cap *c, double t, const uint8_t *smac, const uint8_t *dmac,
		     const char *src, const char *dst, uint8_t ttl, uint8_t tos, uint16_t id)
{
	uint8_t ip[64], fr[PG_MAX];
	m4_inner(ip, src, dst, ttl, tos, id);
	memcpy(fr, dmac, 6);
	memcpy(fr + 6, smac, 6);
	fr[12] = 0x08; fr[13] = 0;
	memcpy(fr + 14, ip, 36);
	m4_add(c, t, fr, 50);
}

static void m4_tunnel(struct m4_cap *c, double t, const uint8_t *smac, const uint8_t *dmac,
		      const char *osrc, const char *odst, uint8_t ottl, uint8_t otos, int odf,
		      uint16_t oid, const char *isrc, const char *idst, uint8_t ittl, uint8_t itos,
		      uint16_t iid)
{
	uint8_t ip[64], fr[PG_MAX];
	size_t n = m4_inner(ip, isrc, idst, ittl, itos, iid);
	size_t k = pg_frame4(fr, smac, dmac, osrc, odst, ottl, 4, odf ? 0x4000 : 0, 0, ip, n, PG_SUM_NONE, -1);
	m4_ip_patch(fr, otos, oid);
	m4_add(c, t, fr, k);
}

/* ---- the exchange ---- */
static void m4_agents(struct m4_cap *c)
{
	enum m4_fault f = c->f;
	struct m4_agent ha = { "10.1.0.1", M4_HA, 0x2000 | 0x0100, NULL, 0 };
	struct m4_agent fa = { "10.2.0.1", M4_FA, 0x8000 | 0x1000 | 0x0100, "10.0.2.2", 0 };
	double fat[40];
	int nf = 0;

	for (int i = 0; i <= 13; i++) {
		double t = 1000.0 * i;
		if (f == M4_ADV_PERIOD && t > 3000 && t < 9000)
			continue;
		if (f == M4_ADV_SILENT && t > 7500 && t < 11500)
			continue;
		m4_adv(c, t, &ha);
	}
	for (int i = 0; i <= 13; i++)
		fat[nf++] = 500.0 + 1000.0 * i;
	fat[nf++] = 2010;			/* answers to solicitations */
	if (f != M4_ADV_SILENT) {
		fat[nf++] = 8010;
		fat[nf++] = 9010;
	}
	for (int i = 1; i < nf; i++)		/* in time order, for the sequence numbers */
		for (int j = i; j > 0 && fat[j] < fat[j - 1]; j--) {
			double x = fat[j]; fat[j] = fat[j - 1]; fat[j - 1] = x;
		}
	for (int i = 0; i < nf; i++) {
		if (f == M4_ADV_SILENT && fat[i] > 7500 && fat[i] < 11500)
			continue;
		m4_adv(c, fat[i], &fa);
	}
	m4_sol(c, 2000, M4_MN, "10.1.0.101");
	m4_sol(c, 8000, M4_MN2, "10.1.0.102");
	m4_sol(c, f == M4_SOL_RATE ? 8300 : 9000, M4_MN2, "10.1.0.102");
}

/* One registration through the foreign agent: the mobile node's request at
 * t, the relay at t+2, the home agent's reply at t+rtt, relayed 2 ms later.
 * code < 0: no reply. */
struct m4_reg {
	double t, rtt; struct m4_rrq q; int code; uint16_t rlife; int relay, relay_rep;
};

static void m4_register(struct m4_cap *c, const struct m4_reg *g)
{
	enum m4_fault f = c->f;
	struct m4_msg m, r;
	int first = g->q.id == m4_id(2100, 0x101);
	const char *mnsrc = f == M4_RRQ_SRC && first ? "10.2.0.99" :
			    f == M4_RRQ_SRC_COA && first ? g->q.coa : g->q.home;
	const char *fadst = f == M4_ADV_R && first ? "10.1.0.1" : "10.2.0.1";
	const char *coa = g->q.coa;

	m4_rrq_build(&m, &g->q);
	m4_udp(c, g->t, M4_MN, M4_FA, mnsrc, fadst, 64, 49152, 434, &m);
	if (!g->relay)
		return;
	struct m4_msg relayed = m;
	if (f == M4_FA_RELAY_UNCHANGED)
		m4_put16(relayed.b + 2, 50);
	m4_udp(c, g->t + 2, M4_FAU, M4_CORE, coa, g->q.ha, 64, 434,
	       f == M4_RRQ_PORT ? 435 : 434, &relayed);
	if (g->code < 0)
		return;
	uint64_t rid = f == M4_RRP_ID ? g->q.id + 7 : g->q.id;
	const char *rha = f == M4_RRP_FIELDS ? "10.1.0.9" : g->q.ha;
	m4_rrp_build(&r, (uint8_t)g->code, g->rlife, g->q.home, rha, rid, f != M4_MNHA_RRP);
	m4_udp(c, g->t + g->rtt, M4_HAU, M4_CORE, g->q.ha, coa, 64, 434, 434, &r);
	if (g->relay_rep)
		m4_udp(c, g->t + g->rtt + 2, M4_FA, M4_MN, "10.2.0.1", g->q.home, 64, 434,
		       f == M4_RRP_PORT ? 434 : 49152, &r);
}

static void m4_exchange(struct m4_cap *c)
{
	enum m4_fault f = c->f;
	const char *home = "10.1.0.101", *ha = "10.1.0.1";
	const char *coa = f == M4_RRQ_COA_FA ? "10.0.2.99" : "10.0.2.2";
	uint8_t fl = 0x02;			/* T */
	struct m4_reg g;
	uint8_t fr[PG_MAX];
	size_t k;

	if (f == M4_RRQ_RESERVED) fl |= 0x04;
	if (f == M4_RRQ_D) fl |= 0x20;
	m4_agents(c);

	/* 1. registration through the foreign agent, with T */
	memset(&g, 0, sizeof g);
	g.t = 2100; g.rtt = 10; g.code = 0; g.rlife = f == M4_RRP_LIFETIME ? 300 : 60;
	g.relay = f != M4_FA_RELAY_REQ; g.relay_rep = f != M4_FA_RELAY_REP;
	g.q = (struct m4_rrq){ .flags = fl, .life = 60, .home = home, .ha = ha, .coa = coa,
			       .id = m4_id(f == M4_RRQ_ID_CLOCK ? 2100 - 30000 : 2100, 0x101),
			       .no_auth = f == M4_MNHA_RRQ, .two_auth = f == M4_MNHA_ONCE,
			       .nai_after = f == M4_MNHA_LAST, .spi = f == M4_MNHA_SPI ? 100 : 0,
			       .short_auth = f == M4_MNHA_LEN, .bad_auth = f == M4_MNHA_AUTH };
	if (f == M4_FA_RELAY_REQ)
		g.code = -1;
	m4_register(c, &g);
	if (f != M4_HA_GARP) {
		k = pg_arp(fr, 1, M4_HA, home, MAC_ZERO, home);
		m4_add(c, 2111, fr, k);
	}
	if (f == M4_FA_RELAY_ORIGIN) {		/* a request the mobile node never sent */
		struct m4_msg m;
		struct m4_rrq q = g.q;
		q.id = m4_id(2300, 0x999);
		q.two_auth = q.nai_after = q.no_auth = q.short_auth = q.bad_auth = 0;
		q.spi = 0;
		m4_rrq_build(&m, &q);
		m4_udp(c, 2300, M4_FAU, M4_CORE, coa, ha, 64, 434, 434, &m);
	}
	if (f == M4_HA_REPLAY_DUP) {		/* the first request replayed, accepted again */
		struct m4_reg d = g;
		d.t = 2600;
		m4_register(c, &d);
	}
	/* proxy ARP for the away node */
	k = pg_arp(fr, 1, M4_HOST, "10.1.0.50", MAC_ZERO, home);
	m4_add(c, 2500, fr, k);
	k = pg_arp(fr, 2, f == M4_HA_PROXYARP ? M4_MN : M4_HA, home, M4_HOST, "10.1.0.50");
	m4_add(c, 2501, fr, k);

	/* 2. tunnels: cn -> ha (plain), ha -> coa (IP-in-IP), the reply reverse-tunnelled */
	m4_plain(c, 3000, M4_CORE, M4_HAU, "10.9.0.1", home, 63, 0x10, 0x4242);
	m4_tunnel(c, 3001, M4_HAU, M4_CORE, f == M4_TUN_SRC ? "10.1.0.9" : ha,
		  f == M4_TUN_DST ? "10.0.3.2" : coa, f == M4_TUN_TTL ? 1 : 64,
		  f == M4_TUN_TOS ? 0 : 0x10, f != M4_TUN_DF, 0x5001,
		  "10.9.0.1", home, f == M4_TUN_INNER_TTL ? 63 : 62, 0x10, 0x4242);
	m4_plain(c, 3005, M4_MN, M4_FA, home, "10.9.0.1", 64, 0, 0x6001);
	if (f == M4_RT_LEAK)
		m4_plain(c, 3006, M4_FAU, M4_CORE, home, "10.9.0.1", 63, 0, 0x6001);
	else
		m4_tunnel(c, 3006, M4_FAU, M4_CORE, coa, f == M4_RT_OUTER ? "10.9.0.1" : ha, 64, 0, 1,
			  0x5002, home, "10.9.0.1", 63, 0, 0x6001);

	/* 3. a renewal retransmitted at 1, 2 s (S asked: code 1), answered the third time */
	double rt[3] = { 4000, 5000, 7000 };
	if (f == M4_BACKOFF) { rt[1] = 5000; rt[2] = 6000; }
	for (int i = 0; i < 3; i++) {
		struct m4_reg r = g;
		r.t = rt[i];
		r.q.flags = (uint8_t)(fl | (f == M4_RRP_CODE_S ? 0 : 0x80));
		r.q.id = f == M4_RRQ_ID_NEW && i == 1 ? m4_id(rt[0], 0x102) : m4_id(rt[i], 0x102 + (uint32_t)i);
		r.q.bad_auth = r.q.two_auth = r.q.nai_after = r.q.short_auth = 0;
		r.q.spi = 0;
		r.q.no_auth = 0;
		r.relay = 1;
		r.relay_rep = 1;
		r.code = i == 2 && f != M4_HA_ANSWER ? 1 : -1;
		r.rlife = 60;
		if (f == M4_RRQ_ID_CLOCK)
			r.q.id = m4_id(rt[i] - 30000, 0x102 + (uint32_t)i);
		m4_register(c, &r);
	}

	/* 4. a second node: a request to 224.0.0.11 asking too long a lifetime
	 * (foreign agent: 69), then one the home agent denies (129) */
	{
		struct m4_msg m, r;
		const char *h2 = f == M4_RRQ_HOME ? "0.0.0.0" : "10.1.0.102";
		struct m4_rrq q = { .flags = 0, .life = 600, .home = h2, .ha = ha, .coa = "10.0.2.2",
				    .id = m4_id(9100, 0x201), .no_auth = f == M4_MNHA_RRQ };
		m4_rrq_build(&m, &q);
		m4_udp(c, 9100, M4_MN2, M4_FA, "10.1.0.102", "224.0.0.11", f == M4_RRQ_MCAST_TTL ? 64 : 1,
		       49153, 434, &m);
		if (f == M4_FA_LIFETIME) {
			m4_udp(c, 9102, M4_FAU, M4_CORE, "10.0.2.2", ha, 64, 434, 434, &m);
			m4_rrp_build(&r, 0, 120, h2, ha, q.id, 1);
			m4_udp(c, 9110, M4_HAU, M4_CORE, ha, "10.0.2.2", 64, 434, 434, &r);
			m4_udp(c, 9112, M4_FA, M4_MN2, "10.2.0.1", h2, 64, 434, 49153, &r);
		} else {
			int code = f == M4_FA_DENY_CODE ? 100 : f == M4_RRP_CODE_RANGE ? 90 : 69;
			m4_rrp_build(&r, (uint8_t)code, 120, h2, ha, q.id, 0);
			m4_udp(c, 9105, M4_FA, M4_MN2, "10.2.0.1", h2, 64, 434, 49153, &r);
		}
		q.life = 120;
		q.id = m4_id(9500, 0x202);
		q.no_auth = 0;
		m4_rrq_build(&m, &q);
		m4_udp(c, 9500, M4_MN2, M4_FA, "10.1.0.102", "10.2.0.1", 64, 49153, 434, &m);
		m4_udp(c, 9502, M4_FAU, M4_CORE, "10.0.2.2", ha, 64, 434, 434, &m);
		m4_rrp_build(&r, f == M4_HA_DENY_CODE ? 70 : 129, 0, h2, ha, q.id, 1);
		m4_udp(c, 9510, M4_HAU, M4_CORE, ha, "10.0.2.2", 64, 434, 434, &r);
		m4_udp(c, 9512, M4_FA, M4_MN2, "10.2.0.1", h2, 64, 434, 49153, &r);
	}

	/* 5. back home: gratuitous ARP, deregistration */
	{
		struct m4_msg m, r;
		struct m4_rrq q = { .flags = 0, .life = f == M4_RRQ_COA_HOME ? 60 : 0, .home = home, .ha = ha,
				    .coa = f == M4_DEREG_HOME ? "10.0.2.2" : home, .id = m4_id(12001, 0x105) };
		if (f != M4_MN_GARP) {
			k = pg_arp(fr, 1, M4_MN, home, MAC_ZERO, home);
			m4_add(c, 12000, fr, k);
		}
		m4_rrq_build(&m, &q);
		m4_udp(c, 12001, M4_MN, M4_HA, home, ha, 64, 49152, 434, &m);
		m4_rrp_build(&r, 0, 0, home, ha, q.id, 1);
		m4_udp(c, 12005, M4_HA, M4_MN, ha, home, 64, 434, 49152, &r);
	}
}

/* A co-located care-of address (D) registered directly with the home agent. */
static void m4_colocated(struct m4_cap *c)
{
	struct m4_agent ha = { "10.1.0.1", M4_HA, 0x2000, NULL, 0 };
	struct m4_msg m, r;
	uint8_t fr[PG_MAX];
	struct m4_rrq q = { .flags = 0x20, .life = 60, .home = "10.1.0.101", .ha = "10.1.0.1",
			    .coa = "10.5.0.7", .id = m4_id(1500, 0x301) };

	m4_adv(c, 0, &ha);
	m4_adv(c, 1000, &ha);
	m4_rrq_build(&m, &q);
	m4_udp(c, 1500, M4_MN, M4_CORE, "10.5.0.7", "10.1.0.1", 64, 49152, 434, &m);
	m4_rrp_build(&r, 0, 60, q.home, q.ha, q.id, 1);
	m4_udp(c, 1510, M4_HAU, M4_CORE, "10.1.0.1", "10.5.0.7", 64, 434, 49152, &r);
	size_t k = pg_arp(fr, 1, M4_HA, q.home, MAC_ZERO, q.home);
	m4_add(c, 1511, fr, k);
}

/* ---- what other stacks do that roam's nodes do not: each capture is
 * conformant (or has one fault a named rule must find), and the rules that
 * used to misjudge it must not fail ---- */
enum m4_other {
	M4X_HF_AGENT, M4X_HA_NOAUTH, M4X_ARP_FOREIGN, M4X_REPLY_TWOHOP, M4X_HA_TWOADDR, M4X_HA_136,
	M4X_BAD_CKSUM,
};

static const struct { const char *name; enum m4_other x; } m4_others[] = {
	{ "mip4-other-hf-agent", M4X_HF_AGENT }, { "mip4-other-ha-noauth", M4X_HA_NOAUTH },
	{ "mip4-other-arp-foreign", M4X_ARP_FOREIGN }, { "mip4-other-reply-twohop", M4X_REPLY_TWOHOP },
	{ "mip4-other-ha-twoaddr", M4X_HA_TWOADDR }, { "mip4-other-ha-136", M4X_HA_136 },
	{ "mip4-other-bad-cksum", M4X_BAD_CKSUM },
};

/* A UDP frame with the given IP Identification (a router's copy keeps it). */
static void m4_udp_id(struct m4_cap *c, double t, const uint8_t *smac, const uint8_t *dmac,
		      const char *src, const char *dst, uint8_t ttl, uint16_t ipid,
		      const struct m4_msg *m)
{
	uint8_t u[256], fr[PG_MAX];
	size_t n = pg_udp(u, 434, 434, m->b, m->len);
	size_t k = pg_frame4(fr, smac, dmac, src, dst, ttl, 17, 0, 0, u, n, PG_SUM_PSEUDO, 6);
	m4_ip_patch(fr, 0, ipid);
	m4_add(c, t, fr, k);
}

/* A registration through the foreign agent fa (care-of address coa) on a
 * link where it advertises with flags every second from 0 to 4 s: the
 * request at 1100 ms, its relay, the home agent's reply (code, with MN-HA
 * unless noauth) and the relay of that reply. */
struct m4_visit {
	const char *fa, *coa, *home, *ha;	/* ha: the request's Home Agent field and the relay's destination */
	const char *ha_src;			/* the home agent that answers (its own address) */
	uint16_t flags; int code, noauth, twohop;
};

static void m4_visit(struct m4_cap *c, const struct m4_visit *v)
{
	struct m4_agent a = { v->fa, M4_FA, v->flags, v->coa, 0 };
	struct m4_rrq q = { .flags = 0, .life = 60, .home = v->home, .ha = v->ha, .coa = v->coa,
			    .id = m4_id(1100, 0x401) };
	struct m4_msg m, r;

	for (int i = 0; i <= 4; i++)
		m4_adv(c, 1000.0 * i + 10, &a);
	m4_rrq_build(&m, &q);
	m4_udp(c, 1100, M4_MN, M4_FA, v->home, v->fa, 64, 49152, 434, &m);
	m4_udp(c, 1102, M4_FAU, M4_CORE, v->coa, v->ha, 64, 434, 434, &m);
	m4_rrp_build(&r, (uint8_t)v->code, v->code <= 1 ? 60 : 0, v->home, v->ha_src, q.id, !v->noauth);
	m4_udp_id(c, 1110, M4_HAU, M4_CORE, v->ha_src, v->coa, 64, 0x7001, &r);
	if (v->twohop)	/* the same datagram, one hop on */
		m4_udp_id(c, 1111, M4_CORE, M4_FAU, v->ha_src, v->coa, 63, 0x7001, &r);
	m4_udp(c, 1112, M4_FA, M4_MN, v->fa, v->home, 64, 434, 49152, &r);
}

static void m4_other(struct m4_cap *c, enum m4_other x)
{
	struct m4_visit v = { "10.2.0.1", "10.0.2.2", "10.1.0.101", "10.1.0.1", "10.1.0.1",
			      0x8000 | 0x1000, 0, 0, 0 };
	uint8_t fr[PG_MAX];
	size_t k;

	switch (x) {
	case M4X_HF_AGENT:	/* an agent that is a home agent (H) serves visitors as a foreign agent (F) */
		v.fa = v.coa = "10.3.0.1";
		v.flags = 0x8000 | 0x2000 | 0x1000;
		m4_visit(c, &v);
		break;
	case M4X_HA_NOAUTH:	/* the home agent's reply without MN-HA, relayed (mnha.rrp's fault) */
		v.noauth = 1;
		m4_visit(c, &v);
		break;
	case M4X_ARP_FOREIGN:	/* on the foreign link: the FA's ARP for the visitor, answered by it */
		m4_visit(c, &v);
		k = pg_arp(fr, 1, M4_FA, "10.2.0.1", MAC_ZERO, v.home);
		m4_add(c, 2000, fr, k);
		k = pg_arp(fr, 2, M4_MN, v.home, M4_FA, "10.2.0.1");
		m4_add(c, 2001, fr, k);
		break;
	case M4X_REPLY_TWOHOP:	/* the reply captured before and after a router */
		v.twohop = 1;
		m4_visit(c, &v);
		break;
	case M4X_HA_TWOADDR: {	/* at home, deregistering with the home agent's link address */
		struct m4_agent ha = { "10.1.0.1", M4_HA, 0x2000, NULL, 0 };
		struct m4_rrq q = { .flags = 0, .life = 0, .home = v.home, .ha = "10.0.1.1", .coa = v.home,
				    .id = m4_id(1500, 0x402) };
		struct m4_msg m, r;
		for (int i = 0; i <= 3; i++)
			m4_adv(c, 1000.0 * i, &ha);
		k = pg_arp(fr, 1, M4_MN, v.home, MAC_ZERO, v.home);
		m4_add(c, 1400, fr, k);
		m4_rrq_build(&m, &q);
		m4_udp(c, 1500, M4_MN, M4_HA, v.home, "10.1.0.1", 64, 49152, 434, &m);
		m4_rrp_build(&r, 0, 0, v.home, q.ha, q.id, 1);
		m4_udp(c, 1505, M4_HA, M4_MN, "10.1.0.1", v.home, 64, 434, 49152, &r);
		break;
	}
	case M4X_BAD_CKSUM: {	/* a request with a bad UDP checksum, discarded; sent again 1 s later */
		struct m4_rrq q = { .flags = 0, .life = 60, .home = v.home, .ha = v.ha, .coa = v.coa,
				    .id = m4_id(100, 0x400) };
		struct m4_msg m;
		m4_rrq_build(&m, &q);
		m4_udp(c, 100, M4_MN, M4_FA, v.home, v.fa, 64, 49152, 434, &m);
		c->fr[c->n - 1].b[14 + 20 + 6] ^= 0x5a;	/* the UDP checksum */
		m4_visit(c, &v);
		break;
	}
	case M4X_HA_136:	/* dynamic home agent discovery: the request names the home
				 * subnet's broadcast address, the home agent denies with 136
				 * and its own address (§3.6.1.2, §3.8.3) */
		v.ha = "10.1.0.255";
		v.code = 136;
		m4_visit(c, &v);
		break;
	}
}

static void m4_write(const char *path, struct m4_cap *c)
{
	char err[256];
	struct pg_writer *w = pg_open(path, err, sizeof err);

	if (!w) {
		fprintf(stderr, "gen: %s\n", err);
		exit(3);
	}
	qsort(c->fr, (size_t)c->n, sizeof *c->fr, m4_cmp);
	for (int i = 0; i < c->n; i++)
		pg_write(w, c->fr[i].t, c->fr[i].b, c->fr[i].len);
	pg_close(w);
}

static void m4_golden(const char *dir)
{
	static struct m4_cap c;
	char path[4096];

	for (size_t i = 0; i < sizeof m4_cases / sizeof *m4_cases; i++) {
		memset(&c, 0, sizeof c);
		c.f = m4_cases[i].f;
		m4_exchange(&c);
		snprintf(path, sizeof path, "%s/%s.pcap", dir, m4_cases[i].name);
		m4_write(path, &c);
	}
	memset(&c, 0, sizeof c);
	m4_colocated(&c);
	snprintf(path, sizeof path, "%s/mip4-colocated.pcap", dir);
	m4_write(path, &c);
	for (size_t i = 0; i < sizeof m4_others / sizeof *m4_others; i++) {
		memset(&c, 0, sizeof c);
		m4_other(&c, m4_others[i].x);
		snprintf(path, sizeof path, "%s/%s.pcap", dir, m4_others[i].name);
		m4_write(path, &c);
	}
}
