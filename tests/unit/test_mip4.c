/* test_mip4.c — roam-mip4 protocol logic: message formats, authenticator,
 * replay protection, HA binding table, FA relay decisions, MN state machine.
 * The daemon's files are compiled in here (the Makefile links unit tests
 * with the libraries only). */
#include <arpa/inet.h>
#include "t.h"
#include "../../nodes/mip4/cfg.c"
#include "../../nodes/mip4/msg.c"
#include "../../nodes/mip4/replay.c"
#include "../../nodes/mip4/ha.c"
#include "../../nodes/mip4/fa.c"
#include "../../nodes/mip4/mn.c"
#include "../../nodes/mip4/codes.h"

static struct in_addr A(const char *s) { struct in_addr a; inet_pton(AF_INET, s, &a); return a; }

/* A Registration Request, annotated. */
static const uint8_t req_bytes[] = {
	0x01,			/* type 1: Registration Request */
	0x02,			/* flags: T (reverse tunnel) */
	0x00, 0x3c,		/* lifetime 60 s */
	10, 0, 1, 10,		/* home address 10.0.1.10 */
	10, 0, 1, 1,		/* home agent 10.0.1.1 */
	10, 0, 2, 1,		/* care-of address 10.0.2.1 */
	0xe9, 0xa0, 0xc3, 0xd4, 0x00, 0x00, 0x00, 0x01,	/* Identification */
	0x20, 0x14,		/* extension 32 (MN-HA), length 20 */
	0x00, 0x00, 0x01, 0x00,	/* SPI 256 */
	/* authenticator: HMAC-MD5 under "roam-mip4-key" of the 30 bytes above,
	 * computed with
	 *   printf '\x01\x02\x00\x3c\x0a\x00\x01\x0a\x0a\x00\x01\x01\x0a\x00\x02\x01'\
	 *   '\xe9\xa0\xc3\xd4\x00\x00\x00\x01\x20\x14\x00\x00\x01\x00' |
	 *   openssl dgst -md5 -hmac roam-mip4-key */
	0x30, 0xb3, 0x29, 0xc8, 0xcd, 0x32, 0xe5, 0x3d,
	0xcb, 0x08, 0x84, 0x30, 0xb5, 0xe1, 0x05, 0xdb,
};

/* The matching Reply (code 0, lifetime 60), authenticator likewise:
 *   printf '\x03\x00\x00\x3c\x0a\x00\x01\x0a\x0a\x00\x01\x01\xe9\xa0\xc3\xd4'\
 *   '\x00\x00\x00\x01\x20\x14\x00\x00\x01\x00' | openssl dgst -md5 -hmac roam-mip4-key */
static const uint8_t rep_bytes[] = {
	0x03, 0x00, 0x00, 0x3c,	/* type 3, code 0, lifetime 60 */
	10, 0, 1, 10, 10, 0, 1, 1,	/* home address, home agent */
	0xe9, 0xa0, 0xc3, 0xd4, 0x00, 0x00, 0x00, 0x01,
	0x20, 0x14, 0x00, 0x00, 0x01, 0x00,
	0x72, 0xeb, 0xf3, 0x7b, 0xff, 0xe0, 0x49, 0x56,
	0xa6, 0xce, 0x79, 0xec, 0x53, 0xb9, 0x9f, 0x9d,
};

static const uint8_t KEY[] = "roam-mip4-key";
#define KLEN (sizeof(KEY) - 1)

static void test_req_format(void)
{
	struct mip4_req q = { .flags = MIP4_F_T, .lifetime = 60, .hoa = A("10.0.1.10"),
			      .ha = A("10.0.1.1"), .coa = A("10.0.2.1"),
			      .id = 0xe9a0c3d400000001ULL };
	struct mip4_req p;
	uint8_t buf[128];
	size_t n = mip4_req_build(buf, sizeof(buf), &q, 256, KEY, KLEN);

	CHECK_EQ(n, sizeof(req_bytes));
	CHECK(n == sizeof(req_bytes) && !memcmp(buf, req_bytes, n));
	CHECK_EQ(mip4_req_parse(req_bytes, sizeof(req_bytes), &p), MIP4_OK);
	CHECK_EQ(p.flags, MIP4_F_T);
	CHECK_EQ(p.lifetime, 60);
	CHECK(p.hoa.s_addr == q.hoa.s_addr && p.ha.s_addr == q.ha.s_addr &&
	      p.coa.s_addr == q.coa.s_addr);
	CHECK(p.id == q.id);
	CHECK(p.mn_ha.present);
	CHECK_EQ(p.mn_ha.spi, 256);
	CHECK_EQ(p.mn_ha.auth_len, 16);
	CHECK_EQ(p.mn_ha.covered, 30);
	CHECK(mip4_auth_check(req_bytes, &p.mn_ha, KEY, KLEN));
	CHECK(!mip4_auth_check(req_bytes, &p.mn_ha, (const uint8_t *)"other", 5));
	CHECK_EQ(mip4_req_build(buf, 40, &q, 256, KEY, KLEN), 0);	/* does not fit */
}

static void test_req_bad(void)
{
	uint8_t b[128];
	struct mip4_req p;

	/* every truncation of a valid request is TRUNCATED, never read past */
	for (size_t n = 0; n < sizeof(req_bytes); n++)
		if (n != 24)	/* 24: the fixed part alone is a valid request */
			CHECK_EQ(mip4_req_parse(req_bytes, n, &p), MIP4_TRUNCATED);
	CHECK_EQ(mip4_req_parse(req_bytes, 24, &p), MIP4_OK);
	CHECK(!p.mn_ha.present);
	/* type 3 where a request is expected */
	memcpy(b, req_bytes, sizeof(req_bytes));
	b[0] = 3;
	CHECK_EQ(mip4_req_parse(b, sizeof(req_bytes), &p), MIP4_MALFORMED);
	/* an extension 0..127 we do not know: must be understood */
	memcpy(b, req_bytes, 24);
	b[24] = 5; b[25] = 2; b[26] = 0; b[27] = 0;
	CHECK_EQ(mip4_req_parse(b, 28, &p), MIP4_UNKNOWN);
	/* an extension 128..255 is skipped */
	b[24] = 130;
	CHECK_EQ(mip4_req_parse(b, 28, &p), MIP4_OK);
	CHECK_EQ(p.skipped, 1);
	/* an authentication extension too short for its SPI */
	b[24] = 32; b[25] = 3;
	CHECK_EQ(mip4_req_parse(b, 29, &p), MIP4_MALFORMED);
	/* MN-HA twice */
	memcpy(b, req_bytes, sizeof(req_bytes));
	memcpy(b + sizeof(req_bytes), req_bytes + 24, 22);
	CHECK_EQ(mip4_req_parse(b, sizeof(req_bytes) + 22, &p), MIP4_MALFORMED);
	/* a skippable extension after MN-HA is flagged */
	memcpy(b, req_bytes, sizeof(req_bytes));
	b[sizeof(req_bytes)] = 200; b[sizeof(req_bytes) + 1] = 0;
	CHECK_EQ(mip4_req_parse(b, sizeof(req_bytes) + 2, &p), MIP4_OK);
	CHECK(p.ext_after_mnha);
}

static void test_rep_format(void)
{
	struct mip4_rep r = { .code = 0, .lifetime = 60, .hoa = A("10.0.1.10"),
			      .ha = A("10.0.1.1"), .id = 0xe9a0c3d400000001ULL }, p;
	uint8_t buf[128];
	size_t n = mip4_rep_build(buf, sizeof(buf), &r, 256, KEY, KLEN);

	CHECK_EQ(n, sizeof(rep_bytes));
	CHECK(n == sizeof(rep_bytes) && !memcmp(buf, rep_bytes, n));
	CHECK_EQ(mip4_rep_parse(rep_bytes, sizeof(rep_bytes), &p), MIP4_OK);
	CHECK(mip4_auth_check(rep_bytes, &p.mn_ha, KEY, KLEN));
	CHECK_EQ(mip4_rep_parse(rep_bytes, 19, &p), MIP4_TRUNCATED);
	CHECK_EQ(mip4_rep_parse(req_bytes, sizeof(req_bytes), &p), MIP4_MALFORMED);
	memcpy(buf, rep_bytes, sizeof(rep_bytes));
	buf[30] ^= 0x80;	/* one authenticator bit */
	CHECK_EQ(mip4_rep_parse(buf, sizeof(rep_bytes), &p), MIP4_OK);
	CHECK(!mip4_auth_check(buf, &p.mn_ha, KEY, KLEN));
	CHECK_STR(mip4_code_name(133), "HA: registration identification mismatch");
	CHECK_STR(mip4_code_name(74), "FA: requested reverse tunnel unavailable");
	CHECK(mip4_code_name(200) == NULL);
}

/* An agent advertisement as a foreign agent sends it. */
static uint8_t adv_bytes[] = {
	9, 0, 0x00, 0x00,	/* ICMP type 9, code 0, checksum (filled below) */
	1, 2, 0x00, 0x03,	/* 1 address, entry size 2 words, lifetime 3 s */
	10, 0, 2, 1, 0, 0, 0, 0,	/* router 10.0.2.1, preference 0 */
	16, 10,			/* extension 16, length 6 + 4 */
	0x01, 0x02,		/* sequence 258 */
	0x01, 0x2c,		/* registration lifetime 300 */
	0x91, 0x00,		/* flags R F T */
	10, 0, 9, 1,		/* care-of address 10.0.9.1 */
	19, 1, 24,		/* Prefix-Lengths: /24 */
	0,			/* one pad byte */
};

static void test_adv_format(void)
{
	struct mip4_adv a, b;
	uint8_t buf[128];
	size_t n;

	cksum_put(adv_bytes + 2, cksum(adv_bytes, sizeof(adv_bytes)));
	CHECK_EQ(mip4_adv_parse(adv_bytes, sizeof(adv_bytes), &a), MIP4_OK);
	CHECK_EQ(a.lifetime, 3);
	CHECK_EQ(a.n_addrs, 1);
	CHECK(a.addrs[0].s_addr == A("10.0.2.1").s_addr);
	CHECK(a.has_agent);
	CHECK_EQ(a.seq, 258);
	CHECK_EQ(a.reg_lifetime, 300);
	CHECK_EQ(a.flags, MIP4_AF_R | MIP4_AF_F | MIP4_AF_T);
	CHECK_EQ(a.n_coas, 1);
	CHECK(a.coas[0].s_addr == A("10.0.9.1").s_addr);
	CHECK(a.has_plen && a.n_plens == 1 && a.plens[0] == 24);
	/* the builder writes the same bytes but the pad */
	n = mip4_adv_build(buf, sizeof(buf), &a);
	CHECK_EQ(n, sizeof(adv_bytes) - 1);
	CHECK_EQ(mip4_adv_parse(buf, n, &b), MIP4_OK);
	CHECK(!memcmp(buf + 4, adv_bytes + 4, n - 4));
	for (n = 0; n < 8; n++)
		CHECK_EQ(mip4_adv_parse(adv_bytes, n, &b), MIP4_TRUNCATED);
	CHECK_EQ(mip4_adv_parse(adv_bytes, 20, &b), MIP4_TRUNCATED); /* inside ext 16 */
	memcpy(buf, adv_bytes, sizeof(adv_bytes));
	buf[7] ^= 1;		/* lifetime changed, checksum not */
	CHECK_EQ(mip4_adv_parse(buf, sizeof(adv_bytes), &b), MIP4_MALFORMED);
	memcpy(buf, adv_bytes, sizeof(adv_bytes));
	buf[17] = 9;		/* extension 16 length not 6 + 4n */
	CHECK_EQ(mip4_adv_parse(buf, sizeof(adv_bytes), &b), MIP4_MALFORMED);
	memcpy(buf, adv_bytes, sizeof(adv_bytes));
	buf[28] = 7;		/* extension 7: unknown, must be understood */
	CHECK_EQ(mip4_adv_parse(buf, sizeof(adv_bytes), &b), MIP4_UNKNOWN);
	memcpy(buf, adv_bytes, sizeof(adv_bytes));
	buf[30] = 33;		/* prefix length 33 */
	buf[2] = buf[3] = 0;
	cksum_put(buf + 2, cksum(buf, sizeof(adv_bytes)));
	CHECK_EQ(mip4_adv_parse(buf, sizeof(adv_bytes), &b), MIP4_MALFORMED);
	/* solicitation */
	n = mip4_sol_build(buf, sizeof(buf));
	CHECK_EQ(n, 8);
	CHECK_EQ(mip4_sol_parse(buf, n), MIP4_OK);
	CHECK_EQ(mip4_sol_parse(buf, 7), MIP4_TRUNCATED);
	buf[4] = 1;
	CHECK_EQ(mip4_sol_parse(buf, n), MIP4_MALFORMED);
}

#define NTP(s) ((uint64_t)(s) << 32)

static void test_replay_timestamp(void)
{
	struct replay_ha h = { 0 };
	struct replay_mn m = { 0 };
	uint64_t now = NTP(3900000000u), id, rid;

	id = replay_mn_next(MIP4_REPLAY_TIMESTAMP, &m, now, 0);
	CHECK(id == now);
	CHECK(replay_ha_check(MIP4_REPLAY_TIMESTAMP, &h, id, now + NTP(5), 7));
	CHECK(!replay_ha_check(MIP4_REPLAY_TIMESTAMP, &h, id, now + NTP(8), 7));
	rid = replay_ha_reply_id(MIP4_REPLAY_TIMESTAMP, &h, id, true, now, 0);
	CHECK(rid == id);
	CHECK(!replay_ha_check(MIP4_REPLAY_TIMESTAMP, &h, id, now, 7));	/* replayed */
	CHECK(replay_mn_next(MIP4_REPLAY_TIMESTAMP, &m, now, 0) > id);	/* increasing */
	/* a mobile node 100 s slow: 133, resynchronise from the reply */
	m.offset = 0; m.last_id = 0;
	id = replay_mn_next(MIP4_REPLAY_TIMESTAMP, &m, now - NTP(100), 0);
	CHECK(!replay_ha_check(MIP4_REPLAY_TIMESTAMP, &h, id, now, 7));
	rid = replay_ha_reply_id(MIP4_REPLAY_TIMESTAMP, &h, id, false, now + 0x1234, 0);
	CHECK((rid >> 32) == (now >> 32));		/* HA's time */
	CHECK((uint32_t)rid == (uint32_t)id);		/* low bits copied */
	CHECK(replay_mn_match(&m, rid));
	replay_mn_learn(MIP4_REPLAY_TIMESTAMP, &m, rid, MIP4_HA_ID_MISMATCH, now - NTP(100));
	CHECK_EQ(m.offset, 100);
	id = replay_mn_next(MIP4_REPLAY_TIMESTAMP, &m, now - NTP(100) + 5, 0);
	CHECK(replay_ha_check(MIP4_REPLAY_TIMESTAMP, &h, id, now, 7));
}

static void test_replay_nonce(void)
{
	struct replay_ha h = { 0 };
	struct replay_mn m = { 0 };
	uint64_t id, rid;

	/* first request: the MN knows no HA nonce yet -> mismatch */
	id = replay_mn_next(MIP4_REPLAY_NONCE, &m, 0, 0xaaaa);
	CHECK(!replay_ha_check(MIP4_REPLAY_NONCE, &h, id, 0, 7));
	rid = replay_ha_reply_id(MIP4_REPLAY_NONCE, &h, id, false, 0, 0x5555);
	CHECK(rid == (0x5555ULL << 32 | 0xaaaa));
	CHECK(replay_mn_match(&m, rid));
	replay_mn_learn(MIP4_REPLAY_NONCE, &m, rid, MIP4_HA_ID_MISMATCH, 0);
	id = replay_mn_next(MIP4_REPLAY_NONCE, &m, 0, 0xbbbb);
	CHECK(id == (0x5555ULL << 32 | 0xbbbb));
	CHECK(replay_ha_check(MIP4_REPLAY_NONCE, &h, id, 0, 7));
	rid = replay_ha_reply_id(MIP4_REPLAY_NONCE, &h, id, true, 0, 0x6666);
	/* the old HA nonce is now stale */
	CHECK(!replay_ha_check(MIP4_REPLAY_NONCE, &h, id, 0, 7));
	CHECK(!replay_mn_match(&m, 0x6666ULL << 32 | 0xcccc));
}

static void cfg_default(struct mip4_cfg *c, const char *role)
{
	char text[512], err[256];
	struct conf cf;
	snprintf(text, sizeof(text),
		 "node x\nrole mip4.%s\n"
		 "iface eth0 addr4 10.0.1.1/24 link home kind segment\n"
		 "iface eth1 addr4 10.0.9.1/30 link wan kind p2p\n"
		 "iface wlan0 addr4 10.0.2.1/24 link cell1 kind cell\n"
		 "home_agent 10.0.1.1\nhome_addr 10.0.1.10\nkey roam-mip4-key\n"
		 "spi 256\nreverse_tunnel yes\n", role);
	if (conf_parse(text, "t", &cf, err, sizeof(err)) < 0 ||
	    mip4_cfg_load(&cf, c, err, sizeof(err)) < 0) {
		printf("  cfg: %s\n", err);
		t_failed_checks++;
	}
}

static size_t mkreq(uint8_t *buf, uint8_t flags, uint16_t life, const char *coa,
		    uint64_t id, const char *key)
{
	struct mip4_req q = { .flags = flags, .lifetime = life, .hoa = A("10.0.1.10"),
			      .ha = A("10.0.1.1"), .coa = A(coa), .id = id };
	return mip4_req_build(buf, 128, &q, 256, (const uint8_t *)key, strlen(key));
}

static uint8_t rep_code(const uint8_t *b, size_t n, struct mip4_rep *p)
{
	if (mip4_rep_parse(b, n, p) != MIP4_OK)
		return 255;
	return p->code;
}

static int binding_events;
static void on_binding(struct ha *ha, struct ha_binding *b, bool up)
{
	binding_events += up ? 1 : 100;
}

static void test_ha(void)
{
	struct mip4_cfg cfg;
	struct ha ha;
	struct ha_binding *b;
	struct mip4_rep p;
	uint8_t q[128], r[128];
	uint64_t now = mip4_ntp_now();
	size_t n, m;

	cfg_default(&cfg, "ha");
	CHECK(cfg.home_agent.s_addr == A("10.0.1.1").s_addr);
	CHECK_EQ(cfg.home_plen, 24);
	ev_init();
	ha_init(&ha, &cfg);
	ha.on_binding = on_binding;
	binding_events = 0;
	/* accepted, lifetime capped at reg_lifetime 300 */
	n = mkreq(q, MIP4_F_T, 1000, "10.0.9.1", now, "roam-mip4-key");
	m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_ACCEPTED);
	CHECK_EQ(p.lifetime, 300);
	CHECK(p.id == now);
	CHECK(mip4_auth_check(r, &p.mn_ha, KEY, KLEN));
	b = ha_lookup(&ha, A("10.0.1.10"));
	CHECK(b && b->active && b->coa.s_addr == A("10.0.9.1").s_addr);
	CHECK(b && ev_timer_left_ms(&b->timer) > 299000);
	CHECK_EQ(binding_events, 1);
	/* the same request again: replay, 133 with the HA's time */
	m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_HA_ID_MISMATCH);
	CHECK((uint32_t)p.id == (uint32_t)now);
	/* wrong key: 131 */
	n = mkreq(q, 0, 60, "10.0.9.1", now + 1, "wrong");
	m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_HA_MN_AUTH);
	/* no MN-HA at all: 131 */
	{
		struct mip4_req x = { .lifetime = 60, .hoa = A("10.0.1.10"),
				      .ha = A("10.0.1.1"), .coa = A("10.0.9.1"), .id = now + 2 };
		n = mip4_req_build(q, 128, &x, 0, NULL, 0);
		m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
		CHECK_EQ(rep_code(r, m, &p), MIP4_HA_MN_AUTH);
		/* another home agent address: 136; outside the home network: 129 */
		x.ha = A("10.0.1.2");
		n = mip4_req_build(q, 128, &x, 256, KEY, KLEN);
		m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
		CHECK_EQ(rep_code(r, m, &p), MIP4_HA_UNKNOWN_HA);
		CHECK(p.ha.s_addr == A("10.0.1.1").s_addr);
		x.ha = A("10.0.1.1"); x.hoa = A("10.7.7.7");
		n = mip4_req_build(q, 128, &x, 256, KEY, KLEN);
		m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
		CHECK_EQ(rep_code(r, m, &p), MIP4_HA_PROHIBITED);
	}
	/* poorly formed (unknown must-understand extension): 134 */
	n = mkreq(q, 0, 60, "10.0.9.1", now + 3, "roam-mip4-key");
	q[n] = 7; q[n + 1] = 0;
	m = ha_request(&ha, q, n + 2, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_HA_BAD_REQUEST);
	/* too short to answer */
	CHECK_EQ(ha_request(&ha, q, 10, A("10.0.9.1"), 434, now, r, sizeof(r)), 0);
	/* minimal encapsulation asked: 139 */
	n = mkreq(q, MIP4_F_M, 60, "10.0.9.1", now + 4, "roam-mip4-key");
	m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_HA_ENCAP);
	/* move to another care-of address: old binding down, new up */
	n = mkreq(q, 0, 60, "10.0.8.1", now + 5, "roam-mip4-key");
	m = ha_request(&ha, q, n, A("10.0.8.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_ACCEPTED);
	CHECK_EQ(binding_events, 102);
	CHECK(b && b->coa.s_addr == A("10.0.8.1").s_addr && !(b->flags & MIP4_F_T));
	/* deregistration from home: lifetime 0, care-of = home address */
	n = mkreq(q, 0, 0, "10.0.1.10", now + 6, "roam-mip4-key");
	m = ha_request(&ha, q, n, A("10.0.1.10"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_ACCEPTED);
	CHECK_EQ(p.lifetime, 0);
	CHECK(b && !b->active);
	CHECK_EQ(binding_events, 202);
	/* reverse tunnelling refused by configuration: 137 */
	cfg.reverse_tunnel = false;
	n = mkreq(q, MIP4_F_T, 60, "10.0.9.1", now + 7, "roam-mip4-key");
	m = ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_HA_RT_UNAVAIL);
	ha_free(&ha);
	ev_done();
}

static void test_ha_expiry(void)
{
	struct mip4_cfg cfg;
	struct ha ha;
	uint8_t q[128], r[128];
	uint64_t now = mip4_ntp_now(), t0;
	size_t n;

	cfg_default(&cfg, "ha");
	ev_init();
	ha_init(&ha, &cfg);
	n = mkreq(q, 0, 1, "10.0.9.1", now, "roam-mip4-key");
	ha_request(&ha, q, n, A("10.0.9.1"), 434, now, r, sizeof(r));
	CHECK(ha_lookup(&ha, A("10.0.1.10"))->active);
	t0 = ev_now_ms();
	while (ev_now_ms() - t0 < 1300 && ha_lookup(&ha, A("10.0.1.10"))->active)
		ev_run_once(100);
	CHECK(!ha_lookup(&ha, A("10.0.1.10"))->active);
	CHECK(ev_now_ms() - t0 >= 900);
	ha_free(&ha);
	ev_done();
}

static int visitor_events;
static void on_visitor(struct fa *fa, struct fa_visitor *v, bool up)
{
	visitor_events += up ? 1 : 100;
}

static void test_fa(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x10 };
	struct mip4_cfg cfg;
	struct fa fa;
	struct fa_visitor *v = NULL;
	struct mip4_rep p;
	struct in_addr to;
	uint8_t q[128], out[256], r[128];
	size_t n, m;
	uint64_t now = mip4_ntp_now();

	cfg_default(&cfg, "fa");
	CHECK_STR(cfg.cell_iface, "wlan0");
	CHECK(cfg.fa_coa.s_addr == A("10.0.1.1").s_addr);	/* first non-cell */
	cfg.fa_coa = A("10.0.9.1");
	ev_init();
	fa_init(&fa, &cfg);
	fa.on_visitor = on_visitor;
	visitor_events = 0;
	/* denials, each with its code */
	static const struct { uint8_t flags; uint16_t life; const char *coa; uint8_t code; } cases[] = {
		{ 0, 301, "10.0.9.1", MIP4_FA_LIFETIME },
		{ 0, 60, "10.0.9.2", MIP4_FA_BAD_COA },
		{ MIP4_F_G, 60, "10.0.9.1", MIP4_FA_ENCAP },
		{ MIP4_F_x, 60, "10.0.9.1", MIP4_FA_BAD_REQUEST },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = mkreq(q, cases[i].flags, cases[i].life, cases[i].coa, now, "roam-mip4-key");
		CHECK_EQ(fa_from_mn(&fa, q, n, mac, A("10.0.1.10"), 434, out, sizeof(out),
				    &m, &to), FA_DENY);
		CHECK_EQ(rep_code(out, m, &p), cases[i].code);
		CHECK(p.id == now);
		if (cases[i].code == MIP4_FA_LIFETIME)
			CHECK_EQ(p.lifetime, 300);
	}
	CHECK(fa_lookup(&fa, A("10.0.1.10")) == NULL);
	/* malformed: 70 */
	n = mkreq(q, 0, 60, "10.0.9.1", now, "roam-mip4-key");
	q[n] = 9; q[n + 1] = 0;
	CHECK_EQ(fa_from_mn(&fa, q, n + 2, mac, A("10.0.1.10"), 434, out, sizeof(out),
			    &m, &to), FA_DENY);
	CHECK_EQ(rep_code(out, m, &p), MIP4_FA_BAD_REQUEST);
	/* a good one is relayed unchanged to the home agent */
	n = mkreq(q, MIP4_F_T, 60, "10.0.9.1", now, "roam-mip4-key");
	CHECK_EQ(fa_from_mn(&fa, q, n, mac, A("10.0.1.10"), 4321, out, sizeof(out),
			    &m, &to), FA_RELAY);
	CHECK_EQ(m, n);
	CHECK(!memcmp(out, q, n));
	CHECK(to.s_addr == A("10.0.1.1").s_addr);
	v = fa_lookup(&fa, A("10.0.1.10"));
	CHECK(v && v->pending && !v->active && !memcmp(v->mac, mac, 6) && v->sport == 4321);
	/* a reply for another identification is not ours */
	{
		struct mip4_rep x = { .code = 0, .lifetime = 60, .hoa = A("10.0.1.10"),
				      .ha = A("10.0.1.1"), .id = now + 1 };
		n = mip4_rep_build(r, sizeof(r), &x, 256, KEY, KLEN);
		CHECK_EQ(fa_from_ha(&fa, r, n, A("10.0.1.1"), out, sizeof(out), &m, &v), FA_DROP);
		x.id = now;
		x.lifetime = 50;
		n = mip4_rep_build(r, sizeof(r), &x, 256, KEY, KLEN);
		v = NULL;
		CHECK_EQ(fa_from_ha(&fa, r, n, A("10.0.1.1"), out, sizeof(out), &m, &v), FA_RELAY);
		CHECK(v && v->active && !v->pending && v->lifetime == 50);
		CHECK(m == n && !memcmp(out, r, n));
		CHECK_EQ(visitor_events, 1);
		fa_settle(v);
		CHECK(fa_lookup(&fa, A("10.0.1.10")) != NULL);
		/* deregistration through the FA */
		n = mkreq(q, 0, 0, "10.0.9.1", now + 9, "roam-mip4-key");
		CHECK_EQ(fa_from_mn(&fa, q, n, mac, A("10.0.1.10"), 4321, out, sizeof(out),
				    &m, &to), FA_RELAY);
		x.id = now + 9; x.lifetime = 0;
		n = mip4_rep_build(r, sizeof(r), &x, 256, KEY, KLEN);
		CHECK_EQ(fa_from_ha(&fa, r, n, A("10.0.1.1"), out, sizeof(out), &m, &v), FA_RELAY);
		CHECK_EQ(visitor_events, 101);
		fa_settle(v);
		CHECK(fa_lookup(&fa, A("10.0.1.10")) == NULL);
	}
	/* T with reverse tunnelling off: 74 */
	cfg.reverse_tunnel = false;
	n = mkreq(q, MIP4_F_T, 60, "10.0.9.1", now, "roam-mip4-key");
	CHECK_EQ(fa_from_mn(&fa, q, n, mac, A("10.0.1.10"), 434, out, sizeof(out), &m, &to),
		 FA_DENY);
	CHECK_EQ(rep_code(out, m, &p), MIP4_FA_RT_UNAVAIL);
	fa_free(&fa);
	ev_done();
}

/* Regression: a forged Request (wrong MN-HA key, another link-layer source,
 * another home agent, other flags) for a registered visitor is relayed, but
 * the visitor keeps its mac, ha and flags until a home agent accepts. */
static void test_fa_forged_keeps_visitor(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x10 };
	static const uint8_t evil[6] = { 2, 0, 0, 0, 0, 0xee };
	struct mip4_cfg cfg;
	struct fa fa;
	struct fa_visitor *v = NULL;
	struct mip4_req fq;
	struct mip4_rep x = { .code = 0, .lifetime = 60, .hoa = A("10.0.1.10"),
			      .ha = A("10.0.1.1") };
	struct in_addr to;
	uint8_t q[128], out[256], r[128];
	size_t n, m;
	uint64_t now = mip4_ntp_now();

	cfg_default(&cfg, "fa");
	cfg.fa_coa = A("10.0.9.1");
	ev_init();
	fa_init(&fa, &cfg);
	n = mkreq(q, MIP4_F_T, 60, "10.0.9.1", now, "roam-mip4-key");
	CHECK_EQ(fa_from_mn(&fa, q, n, mac, A("10.0.1.10"), 434, out, sizeof(out), &m, &to),
		 FA_RELAY);
	x.id = now;
	n = mip4_rep_build(r, sizeof(r), &x, 256, KEY, KLEN);
	CHECK_EQ(fa_from_ha(&fa, r, n, A("10.0.1.1"), out, sizeof(out), &m, &v), FA_RELAY);
	CHECK(v && v->active);
	if (!v)
		goto out;
	fa_settle(v);
	/* the forgery: another home agent, no T, a key the HA does not share */
	memset(&fq, 0, sizeof(fq));
	fq.lifetime = 60; fq.hoa = A("10.0.1.10"); fq.ha = A("10.0.1.99");
	fq.coa = A("10.0.9.1"); fq.id = now + 5;
	n = mip4_req_build(q, sizeof(q), &fq, 256, (const uint8_t *)"forged", 6);
	CHECK(n > 0);
	(void)fa_from_mn(&fa, q, n, evil, A("10.0.1.10"), 5555, out, sizeof(out), &m, &to);
	v = fa_lookup(&fa, A("10.0.1.10"));
	CHECK(v && v->active);
	if (!v)
		goto out;
	CHECK(!memcmp(v->mac, mac, 6));
	CHECK(v->ha.s_addr == A("10.0.1.1").s_addr);
	CHECK_EQ(v->flags, MIP4_F_T);
	CHECK_EQ(v->sport, 434);
	/* the home agent's denial (131) leaves the binding as it was */
	x.code = MIP4_HA_MN_AUTH; x.lifetime = 0; x.id = now + 5; x.ha = A("10.0.1.99");
	n = mip4_rep_build(r, sizeof(r), &x, 256, KEY, KLEN);
	(void)fa_from_ha(&fa, r, n, A("10.0.1.99"), out, sizeof(out), &m, &v);
	v = fa_lookup(&fa, A("10.0.1.10"));
	CHECK(v && v->active && !memcmp(v->mac, mac, 6) && v->flags == MIP4_F_T &&
	      v->ha.s_addr == A("10.0.1.1").s_addr);
out:
	fa_free(&fa);
	ev_done();
}

/* The mobile node against a home agent, through function calls. */
static struct {
	uint8_t req[128]; size_t len; bool via_agent; int n;
	int sols; enum mn_where where;
} io;
static void io_req(struct mn *mn, const uint8_t *msg, size_t len, bool via)
{
	memcpy(io.req, msg, len); io.len = len; io.via_agent = via; io.n++;
}
static void io_sol(struct mn *mn) { io.sols++; }
static void io_attach(struct mn *mn, enum mn_where w) { io.where = w; }

static void mk_adv(struct mip4_adv *a, bool home, uint16_t seq, const char *coa)
{
	memset(a, 0, sizeof(*a));
	a->lifetime = 3; a->has_agent = true; a->seq = seq; a->reg_lifetime = 300;
	a->flags = MIP4_AF_R | MIP4_AF_T | (home ? MIP4_AF_H : MIP4_AF_F);
	a->n_coas = home ? 0 : 1;
	a->coas[0] = A(coa);
}

/* A mobile node with the test I/O, carrier up (one solicitation), then
 * fa1's advertisement: registering through it. */
static void mn_start_at_fa(struct mn *mn, struct mip4_cfg *mcfg)
{
	static const uint8_t fmac[6] = { 2, 0, 0, 0, 0, 0xfa };
	struct mip4_adv a;

	memset(&io, 0, sizeof(io));
	CHECK_EQ(mn_init(mn, mcfg), 0);
	mn->send_req = io_req; mn->send_sol = io_sol; mn->attach = io_attach;
	mn_carrier(mn, true);
	CHECK_EQ(io.sols, 1);
	mk_adv(&a, false, 0, "10.0.9.1");
	mn_adv(mn, &a, A("10.0.2.1"), fmac);
	CHECK_EQ(mn->state, MN_REGISTERING);
	CHECK_EQ(io.where, MN_AT_FOREIGN);
}

static void test_mn(void)
{
	static const uint8_t fmac[6] = { 2, 0, 0, 0, 0, 0xfa };
	struct mip4_cfg mcfg, hcfg;
	struct mn mn;
	struct ha ha;
	struct mip4_adv a;
	struct mip4_req q;
	uint8_t r[128];
	size_t m;

	cfg_default(&mcfg, "mn");
	cfg_default(&hcfg, "ha");
	mcfg.reverse_tunnel = true;
	CHECK_EQ(mcfg.reg_lifetime, 60);
	CHECK(mcfg.home_gw.s_addr == A("10.0.1.1").s_addr);
	ev_init();
	ha_init(&ha, &hcfg);
	/* an FA advertisement: move, register with T */
	mn_start_at_fa(&mn, &mcfg);
	CHECK_EQ(io.n, 1);
	CHECK(io.via_agent);
	CHECK_EQ(mip4_req_parse(io.req, io.len, &q), MIP4_OK);
	CHECK(q.coa.s_addr == A("10.0.9.1").s_addr && (q.flags & MIP4_F_T) && q.lifetime == 60);
	CHECK(ev_timer_left_ms(&mn.retx) > 900 && ev_timer_left_ms(&mn.retx) <= 1000);
	/* no answer: retransmission after ~1 s, then 2 s */
	mn_retx(&mn.retx, &mn);
	CHECK_EQ(io.n, 2);
	CHECK(ev_timer_left_ms(&mn.retx) > 1900 && ev_timer_left_ms(&mn.retx) <= 2000);
	/* an unrelated reply (old identification) is ignored */
	m = ha_request(&ha, io.req, io.len, A("10.0.9.1"), 434, mip4_ntp_now(), r, sizeof(r));
	mn.replay.last_id ^= 0xffff;
	mn_reply(&mn, r, m);
	CHECK_EQ(mn.state, MN_REGISTERING);
	mn.replay.last_id ^= 0xffff;
	mn_reply(&mn, r, m);
	CHECK_EQ(mn.state, MN_REGISTERED);
	CHECK_EQ(mn.granted, 60);
	CHECK(!ev_timer_armed(&mn.retx));
	CHECK(ev_timer_left_ms(&mn.renew) > 47000 && ev_timer_left_ms(&mn.renew) <= 48000);
	/* the same agent again, sequence back to 0: rebooted, register again */
	mk_adv(&a, false, 5, "10.0.9.1");
	mn_adv(&mn, &a, A("10.0.2.1"), fmac);
	CHECK_EQ(mn.state, MN_REGISTERED);
	mk_adv(&a, false, 0, "10.0.9.1");
	mn_adv(&mn, &a, A("10.0.2.1"), fmac);
	CHECK_EQ(mn.state, MN_REGISTERING);
	CHECK_EQ(mip4_ctr[C_AGENT_REBOOT], 1);
	/* the MN's clock is 100 s behind the HA: 133, then resynchronised */
	m = ha_request(&ha, io.req, io.len, A("10.0.9.1"), 434, mip4_ntp_now() + NTP(100),
		       r, sizeof(r));
	{
		int before = io.n;
		mn_reply(&mn, r, m);
		CHECK_EQ(mn.last_code, MIP4_HA_ID_MISMATCH);
		CHECK_EQ(io.n, before + 1);	/* sent again at once */
		CHECK(mn.replay.offset >= 99 && mn.replay.offset <= 101);
	}
	m = ha_request(&ha, io.req, io.len, A("10.0.9.1"), 434, mip4_ntp_now() + NTP(100),
		       r, sizeof(r));
	mn_reply(&mn, r, m);
	CHECK_EQ(mn.state, MN_REGISTERED);
	/* carrier down: agent lost; a home agent advertisement: deregister */
	mn_carrier(&mn, false);
	CHECK_EQ(mn.state, MN_NO_AGENT);
	CHECK_EQ(io.where, MN_AT_NONE);
	mn_carrier(&mn, true);
	mk_adv(&a, true, 300, "0.0.0.0");
	mn_adv(&mn, &a, A("10.0.1.1"), fmac);
	CHECK_EQ(io.where, MN_AT_HOME);
	CHECK_EQ(mn.state, MN_DEREGISTERING);
	CHECK(!io.via_agent);
	CHECK_EQ(mip4_req_parse(io.req, io.len, &q), MIP4_OK);
	CHECK(q.lifetime == 0 && q.coa.s_addr == A("10.0.1.10").s_addr);
	m = ha_request(&ha, io.req, io.len, A("10.0.1.10"), 434, mip4_ntp_now() + NTP(100),
		       r, sizeof(r));
	mn_reply(&mn, r, m);
	CHECK_EQ(mn.state, MN_HOME);
	CHECK(!ha_lookup(&ha, A("10.0.1.10"))->active);
	/* a reply forged with another key is refused */
	mn.state = MN_REGISTERING;
	{
		struct mip4_rep x = { .code = 0, .lifetime = 60, .hoa = A("10.0.1.10"),
				      .ha = A("10.0.1.1"), .id = mn.replay.last_id };
		m = mip4_rep_build(r, sizeof(r), &x, 256, (const uint8_t *)"bad", 3);
		mn_reply(&mn, r, m);
		CHECK_EQ(mn.state, MN_REGISTERING);
		CHECK(mip4_ctr[C_REP_AUTH_FAIL] >= 1);
	}
	mn_free(&mn);
	ha_free(&ha);
	ev_done();
}

/* Issue 8: carrier loss forgets the agent (nothing more goes to it: no
 * retransmission, the daemon removes the routes through it); `solicit`
 * (default yes, as before) decides whether carrier up sends an Agent
 * Solicitation (RFC 5944 §2.4) or waits for an advertisement. */
static void test_mn_carrier_solicit(void)
{
	struct mip4_cfg mcfg;
	struct mn mn;
	int sent;

	cfg_default(&mcfg, "mn");
	CHECK(mcfg.solicit);
	ev_init();
	mn_start_at_fa(&mn, &mcfg);
	sent = io.n;
	mn_carrier(&mn, false);
	CHECK_EQ(io.where, MN_AT_NONE);
	CHECK_EQ(mn.state, MN_NO_AGENT);
	CHECK(!mn.agent.valid);
	CHECK(!ev_timer_armed(&mn.retx));	/* no retransmission to the old agent */
	CHECK_EQ(io.n, sent);
	/* solicit no: carrier up waits for an advertisement */
	mcfg.solicit = false;
	io.sols = 0;
	mn_carrier(&mn, true);
	CHECK_EQ(io.sols, 0);
	mn_carrier(&mn, false);
	mcfg.solicit = true;
	mn_carrier(&mn, true);
	CHECK_EQ(io.sols, 1);
	mn_free(&mn);
	ev_done();
}

/* Co-located care-of addresses (§3.1): the address derived from the
 * agent's prefix, a Request with D (and T without the agent offering it)
 * from that address, accepted by the home agent with the binding to it. */
static void test_mn_colocated(void)
{
	static const uint8_t fmac[6] = { 2, 0, 0, 0, 0, 0xfa };
	struct mip4_cfg mcfg, hcfg;
	struct mn mn;
	struct ha ha;
	struct ha_binding *b;
	struct mip4_adv a;
	struct mip4_req q;
	struct mip4_rep p;
	uint8_t r[128];
	size_t m;
	int plen;
	struct in_addr c;

	c = mn_colocated_coa(A("10.2.0.1"), 24, 201, &plen);
	CHECK(c.s_addr == A("10.2.0.201").s_addr && plen == 24);
	c = mn_colocated_coa(A("10.2.7.9"), 16, 300, &plen);
	CHECK(c.s_addr == A("10.2.1.44").s_addr && plen == 16);
	c = mn_colocated_coa(A("10.2.0.1"), -1, 5, &plen);
	CHECK(c.s_addr == A("10.2.0.5").s_addr && plen == 24);
	CHECK_EQ(mn_colocated_coa(A("10.2.0.1"), 24, 255, &plen).s_addr, 0);	/* broadcast */
	CHECK_EQ(mn_colocated_coa(A("10.2.0.1"), 30, 3, &plen).s_addr, 0);
	CHECK_EQ(mn_colocated_coa(A("10.2.0.1"), 31, 1, &plen).s_addr, 0);

	cfg_default(&mcfg, "mn");
	cfg_default(&hcfg, "ha");
	CHECK(!mcfg.colocated);
	CHECK_EQ(mcfg.colocated_host, 200);
	mcfg.colocated = true;
	mcfg.colocated_host = 201;
	ev_init();
	memset(&io, 0, sizeof(io));
	CHECK_EQ(mn_init(&mn, &mcfg), 0);
	mn.send_req = io_req; mn.send_sol = io_sol; mn.attach = io_attach;
	mn_carrier(&mn, true);
	/* a foreign link's advertisement; the agent does not offer T */
	mk_adv(&a, false, 1, "10.0.9.1");
	a.flags &= (uint16_t)~MIP4_AF_T;
	a.has_plen = true; a.n_plens = 1; a.plens[0] = 24;
	mn_adv(&mn, &a, A("10.0.2.1"), fmac);
	CHECK_EQ(io.where, MN_AT_FOREIGN);
	CHECK(mn.agent.ccoa.s_addr == A("10.0.2.201").s_addr && mn.agent.cplen == 24);
	CHECK(mn_coa(&mn).s_addr == A("10.0.2.201").s_addr);
	CHECK_EQ(io.n, 1);
	CHECK_EQ(mip4_req_parse(io.req, io.len, &q), MIP4_OK);
	CHECK(q.coa.s_addr == A("10.0.2.201").s_addr);
	CHECK((q.flags & MIP4_F_D) != 0);
	CHECK((q.flags & MIP4_F_T) != 0);	/* RFC 3024 §5.2: no agent needed */
	CHECK(q.hoa.s_addr == A("10.0.1.10").s_addr && q.lifetime == 60);
	/* the home agent accepts it, bound to the co-located address */
	ha_init(&ha, &hcfg);
	m = ha_request(&ha, io.req, io.len, A("10.0.2.201"), 434, mip4_ntp_now(), r, sizeof(r));
	CHECK_EQ(rep_code(r, m, &p), MIP4_ACCEPTED);
	b = ha_lookup(&ha, A("10.0.1.10"));
	CHECK(b && b->active && b->coa.s_addr == A("10.0.2.201").s_addr &&
	      b->src.s_addr == A("10.0.2.201").s_addr && (b->flags & MIP4_F_D) &&
	      (b->flags & MIP4_F_T));
	mn_reply(&mn, r, m);
	CHECK_EQ(mn.state, MN_REGISTERED);
	/* a move to another prefix, without reverse tunnelling: D alone */
	mcfg.reverse_tunnel = false;
	mn_adv(&mn, &a, A("10.0.3.1"), fmac);
	CHECK_EQ(io.n, 2);
	CHECK_EQ(mip4_req_parse(io.req, io.len, &q), MIP4_OK);
	CHECK_EQ(q.flags & (MIP4_F_D | MIP4_F_T), MIP4_F_D);
	CHECK(q.coa.s_addr == A("10.0.3.201").s_addr);
	/* home again: a deregistration, coa = home address, no D */
	mk_adv(&a, true, 1, "0.0.0.0");
	a.has_plen = true; a.n_plens = 1; a.plens[0] = 24;
	io.where = MN_AT_NONE;
	mn_adv(&mn, &a, A("10.0.1.1"), fmac);
	CHECK_EQ(io.where, MN_AT_HOME);
	CHECK_EQ(mn.state, MN_DEREGISTERING);
	CHECK_EQ(mip4_req_parse(io.req, io.len, &q), MIP4_OK);
	CHECK(q.lifetime == 0 && q.coa.s_addr == A("10.0.1.10").s_addr && !(q.flags & MIP4_F_D));
	ha_free(&ha);
	mn_free(&mn);
	ev_done();
}

static void test_backoff(void)
{
	CHECK(mn_backoff(1, 16, 0) == 1);
	CHECK(mn_backoff(1, 16, 1) == 2);
	CHECK(mn_backoff(1, 16, 3) == 8);
	CHECK(mn_backoff(1, 16, 10) == 16);
	CHECK(mn_backoff(0.5, 3, 3) == 3);
}

/* Nonce style end to end: MN -> FA -> HA -> FA -> MN. */
static void test_nonce_relay(void)
{
	static const uint8_t mmac[6] = { 2, 0, 0, 0, 0, 0x10 }, fmac[6] = { 2, 0, 0, 0, 0, 0xfa };
	struct mip4_cfg mcfg, hcfg, fcfg;
	struct mn mn; struct ha ha; struct fa fa;
	struct mip4_adv a;
	struct fa_visitor *v;
	struct in_addr to;
	uint8_t out[256], r[128];
	size_t m, k;

	cfg_default(&mcfg, "mn"); cfg_default(&hcfg, "ha"); cfg_default(&fcfg, "fa");
	mcfg.replay = hcfg.replay = MIP4_REPLAY_NONCE;
	fcfg.fa_coa = A("10.0.9.1");
	ev_init();
	memset(&io, 0, sizeof(io));
	mn_init(&mn, &mcfg); ha_init(&ha, &hcfg); fa_init(&fa, &fcfg);
	mn.send_req = io_req;
	mk_adv(&a, false, 1, "10.0.9.1");
	mn_adv(&mn, &a, A("10.0.2.1"), fmac);
	for (int round = 0; round < 2; round++) {
		CHECK_EQ(fa_from_mn(&fa, io.req, io.len, mmac, A("10.0.1.10"), 434, out,
				    sizeof(out), &m, &to), FA_RELAY);
		k = ha_request(&ha, out, m, A("10.0.9.1"), 434, 0, r, sizeof(r));
		CHECK_EQ(fa_from_ha(&fa, r, k, to, out, sizeof(out), &m, &v), FA_RELAY);
		mn_reply(&mn, out, m);
		CHECK_EQ(mn.last_code, round == 0 ? MIP4_HA_ID_MISMATCH : MIP4_ACCEPTED);
	}
	CHECK_EQ(mn.state, MN_REGISTERED);
	CHECK(ha_lookup(&ha, A("10.0.1.10"))->active);
	CHECK(fa_lookup(&fa, A("10.0.1.10"))->active);
	mn_free(&mn); ha_free(&ha); fa_free(&fa);
	ev_done();
}

T_MAIN_BEGIN("mip4")
	log_init("test", 0);
	RUN(test_req_format);
	RUN(test_req_bad);
	RUN(test_rep_format);
	RUN(test_adv_format);
	RUN(test_replay_timestamp);
	RUN(test_replay_nonce);
	RUN(test_ha);
	RUN(test_ha_expiry);
	RUN(test_fa);
	RUN(test_mn);
	RUN(test_mn_carrier_solicit);
	RUN(test_mn_colocated);
	RUN(test_fa_forged_keeps_visitor);
	RUN(test_backoff);
	RUN(test_nonce_relay);
T_MAIN_END
