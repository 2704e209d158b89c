/* test_mip6.c — roam-mip6 protocol logic: Mobility Header formats (RFC
 * 6275 §6.1, §6.2), checksum, alignment, truncated and malformed variants;
 * the sequence window; RFC 4285 MN-HA authenticator; return routability
 * keys (§5.2.5); the binding cache; the BUL back-off; HAO/RH2 rewrites.
 * The daemon's files are compiled in here (the Makefile links unit tests
 * with the libraries only). Digests were computed independently with
 * openssl on the concatenations written next to them. */
#include <arpa/inet.h>
#include "t.h"
#include "../../nodes/mip6/mh.c"
#include "../../nodes/mip6/sec.c"
#include "../../nodes/mip6/pkt6.c"
#include "../../nodes/mip6/bcache.c"
#include "../../nodes/mip6/rr.c"
#include "../../nodes/mip6/bul.c"
#include "../../nodes/mip6/mn_link.c"
#include "../vectors/mip6_mnha.h"

static struct in6_addr A6(const char *s) { struct in6_addr a; inet_pton(AF_INET6, s, &a); return a; }

static const uint8_t key[] = "roam-mip6-key";

/* A home registration BU from care-of 2001:db8:2::2 to the HA 2001:db8:1::1,
 * with RFC 4285 replay protection and MN-HA authentication. */
static const uint8_t bu_home[] = {
	59,			/* payload proto: IPPROTO_NONE */
	5,			/* header length: (5 + 1) * 8 = 48 octets */
	5,			/* MH type 5: Binding Update */
	0,			/* reserved */
	0xf2, 0x6f,		/* checksum (pseudo-header 2001:db8:2::2 -> 2001:db8:1::1) */
	0x03, 0xe8,		/* sequence 1000 */
	0xc0, 0x00,		/* flags A H, reserved */
	0x00, 0x0f,		/* lifetime 15 x 4 s = 60 s */
	1, 4, 0, 0, 0, 0,	/* PadN: the next option at 8n+2 */
	10, 8,			/* option 10: Mobility Message Replay Protection */
	1, 2, 3, 4, 5, 6, 7, 8,	/*   timestamp 0x0102030405060708 */
	0,			/* Pad1: the next option at 4n+1 */
	9, 17,			/* option 9: Mobility Message Authentication, 17 */
	1,			/*   subtype 1: MN-HA */
	0, 0, 1, 0,		/*   SPI 256 */
	/* First(96, HMAC_SHA1("roam-mip6-key", coa | ha | the 36 octets above,
	 * checksum zero)):  (printf coa; printf ha; printf mh) |
	 *   openssl dgst -sha1 -hmac roam-mip6-key  -> 571b3493b73e3c3bda3426dc... */
	0x57, 0x1b, 0x34, 0x93, 0xb7, 0x3e, 0x3c, 0x3b, 0xda, 0x34, 0x26, 0xdc,
};

static void test_bu_parse(void)
{
	struct mh_msg m;
	struct in6_addr coa = A6("2001:db8:2::2"), ha = A6("2001:db8:1::1");
	uint8_t auth[12];

	CHECK_EQ(mh_parse(bu_home, sizeof(bu_home), &m), MH_OK);
	CHECK_EQ(m.type, MH_BU);
	CHECK_EQ(m.len, 48);
	CHECK_EQ(m.seq, 1000);
	CHECK_EQ(m.flags, MH_BU_A | MH_BU_H);
	CHECK_EQ(m.lifetime, 15);
	CHECK(m.has_replay);
	CHECK(m.replay == 0x0102030405060708ULL);
	CHECK(m.has_auth);
	CHECK_EQ(m.auth_subtype, MH_AUTH_MN_HA);
	CHECK_EQ(m.spi, 256);
	CHECK_EQ(m.auth_len, 12);
	CHECK_EQ(m.auth_off, 36);
	CHECK(!m.misaligned);
	CHECK(mh_cksum_ok(bu_home, sizeof(bu_home), &coa, &ha));
	CHECK(!mh_cksum_ok(bu_home, sizeof(bu_home), &coa, &coa));
	CHECK_EQ(sec_mnha_auth(key, sizeof(key) - 1, &coa, &ha, bu_home, m.auth_off, auth), 0);
	CHECK(!memcmp(auth, m.auth, 12));
	/* a different key or address gives another authenticator */
	sec_mnha_auth(key, sizeof(key) - 2, &coa, &ha, bu_home, m.auth_off, auth);
	CHECK(memcmp(auth, m.auth, 12) != 0);
	sec_mnha_auth(key, sizeof(key) - 1, &ha, &coa, bu_home, m.auth_off, auth);
	CHECK(memcmp(auth, m.auth, 12) != 0);
}

static void test_bu_build(void)
{
	struct mh_msg m = { .type = MH_BU, .seq = 1000, .flags = MH_BU_A | MH_BU_H,
			    .lifetime = 15, .has_replay = true,
			    .replay = 0x0102030405060708ULL, .has_auth = true,
			    .auth_subtype = MH_AUTH_MN_HA, .spi = 256, .auth_len = 12 };
	struct in6_addr coa = A6("2001:db8:2::2"), ha = A6("2001:db8:1::1");
	uint8_t buf[128];
	size_t n = mh_build(buf, sizeof(buf), &m);

	CHECK_EQ(n, sizeof(bu_home));
	CHECK_EQ(m.auth_off, 36);
	sec_mnha_auth(key, sizeof(key) - 1, &coa, &ha, buf, m.auth_off, buf + m.auth_off);
	mh_cksum_set(buf, n, &coa, &ha);
	CHECK(!memcmp(buf, bu_home, sizeof(bu_home)));
	CHECK_EQ(mh_build(buf, 40, &m), 0);	/* does not fit */
}

static void test_mh_bad_lengths(void)
{
	uint8_t b[64];
	struct mh_msg m;

	CHECK_EQ(mh_parse(bu_home, 5, &m), MH_TRUNCATED);	/* header cut */
	CHECK_EQ(mh_parse(bu_home, 47, &m), MH_TRUNCATED);	/* header length > bytes */
	/* header length 0 (8 octets) is too small for a BU (12): malformed */
	memcpy(b, bu_home, sizeof(bu_home));
	b[1] = 0;
	CHECK_EQ(mh_parse(b, sizeof(bu_home), &m), MH_MALFORMED);
	/* an option overrunning the header: the auth option claims 18 */
	memcpy(b, bu_home, sizeof(bu_home));
	b[30] = 18;
	CHECK_EQ(mh_parse(b, sizeof(bu_home), &m), MH_MALFORMED);
	/* replay protection option of length 7: malformed */
	memcpy(b, bu_home, sizeof(bu_home));
	b[19] = 7;
	b[27] = 0;	/* keep the chain consistent: the lost octet becomes Pad1 */
	CHECK_EQ(mh_parse(b, sizeof(bu_home), &m), MH_MALFORMED);
	/* an unknown MH type: answered with BE status 2 */
	memcpy(b, bu_home, sizeof(bu_home));
	b[2] = 42;
	CHECK_EQ(mh_parse(b, sizeof(bu_home), &m), MH_UNKNOWN);
	/* an unknown option is skipped: replace the replay option by type 200 */
	memcpy(b, bu_home, sizeof(bu_home));
	b[18] = 200;
	CHECK_EQ(mh_parse(b, sizeof(bu_home), &m), MH_OK);
	CHECK_EQ(m.n_unknown_opts, 1);
	CHECK(!m.has_replay);
	/* a misaligned option is noted: the BU with replay right after the
	 * fixed part (offset 12, not 8n+2) */
	{
		static const uint8_t mis[] = {
			59, 2, 5, 0, 0, 0, 0, 1, 0x80, 0, 0, 1,
			10, 8, 0, 0, 0, 0, 0, 0, 0, 1,	/* replay at 12 */
			1, 0,				/* PadN 2 */
		};
		CHECK_EQ(mh_parse(mis, sizeof(mis), &m), MH_OK);
		CHECK(m.misaligned);
	}
}

/* Every message type built, parsed back, and tshark-sized. */
static void test_mh_roundtrip(void)
{
	struct in6_addr a = A6("2001:db8:1::100");
	for (uint8_t t = 0; t < MH__N; t++) {
		struct mh_msg m = { .type = t, .seq = 77, .status = 135, .lifetime = 3,
				    .nonce_index = 9, .cookie = 0x1122334455667788ULL,
				    .token = 0x99aabbccddeeff00ULL, .be_hoa = a };
		struct mh_msg p;
		uint8_t buf[128];
		size_t n;

		if (t == MH_BA)
			m.has_bra = true, m.bra = 5;
		if (t == MH_BU)
			m.has_altcoa = true, m.altcoa = a, m.has_nonce = true,
			m.home_nonce = 3, m.coa_nonce = 4, m.has_bad = true;
		n = mh_build(buf, sizeof(buf), &m);
		CHECK(n >= mh_min_len(t));
		CHECK_EQ(n % 8, 0);
		CHECK_EQ(mh_parse(buf, n, &p), MH_OK);
		CHECK_EQ(p.type, t);
		CHECK(!p.misaligned);
		if (t == MH_HOTI || t == MH_COTI || t == MH_HOT || t == MH_COT)
			CHECK(p.cookie == m.cookie);
		if (t == MH_HOT || t == MH_COT) {
			CHECK(p.token == m.token);
			CHECK_EQ(p.nonce_index, 9);
		}
		if (t == MH_BU) {
			CHECK(p.has_altcoa && p.has_nonce && p.has_bad);
			CHECK_EQ(p.home_nonce, 3);
			CHECK_EQ(p.coa_nonce, 4);
			CHECK_EQ(p.bad_off, m.bad_off);
			CHECK_EQ(p.bad_off % 8, 4);	/* option at 8n+2, data 2 further */
		}
		if (t == MH_BA) {
			CHECK_EQ(p.status, 135);
			CHECK_EQ(p.seq, 77);
			CHECK(p.has_bra && p.bra == 5);
		}
		if (t == MH_BE)
			CHECK(!memcmp(&p.be_hoa, &a, 16));
	}
}

/* RFC 4285 §5.1 against tests/vectors/mip6_mnha.h, computed with Python's
 * hmac module: a home registration from away, the home address in the
 * Home Address option. The home agent takes the Mobility Data addresses
 * from the packet (care-of = source, home address = HAO); the home agent's
 * own address in their place gives another authenticator. */
static void test_mnha_vector(void)
{
	struct in6_addr coa = A6(VEC_MNHA_COA), hoa = A6(VEC_MNHA_HOA), ha = A6(VEC_MNHA_HA);
	struct in6_addr c, h;
	const uint8_t *k = (const uint8_t *)VEC_MNHA_KEY;
	size_t klen = sizeof(VEC_MNHA_KEY) - 1, n;
	uint8_t pkt[256], auth[12];
	struct mh_msg m;
	struct ip6 p;

	CHECK_EQ(mh_parse(vec_mnha_bu, sizeof(vec_mnha_bu), &m), MH_OK);
	CHECK_EQ(m.auth_off, VEC_MNHA_AUTH_OFF);
	CHECK(mh_cksum_ok(vec_mnha_bu, sizeof(vec_mnha_bu), &hoa, &ha));
	n = ip6_build(pkt, sizeof(pkt), &coa, &ha, 64, NULL, &hoa, MH_PROTO, vec_mnha_bu,
		      sizeof(vec_mnha_bu));
	CHECK(n > 0);
	CHECK_EQ(ip6_parse(pkt, n, &p), IP6_OK);
	sec_mnha_bu_addrs(&p, &c, &h);
	CHECK(!memcmp(&c, &coa, 16));
	CHECK(!memcmp(&h, &hoa, 16));
	CHECK_EQ(sec_mnha_auth(k, klen, &c, &h, pkt + p.off, m.auth_off, auth), 0);
	CHECK(!memcmp(auth, vec_mnha_auth, 12));
	CHECK(!memcmp(m.auth, vec_mnha_auth, 12));
	sec_mnha_auth(k, klen, &coa, &ha, vec_mnha_bu, m.auth_off, auth);
	CHECK(!memcmp(auth, vec_mnha_auth_ha, 12));
	CHECK(memcmp(auth, vec_mnha_auth, 12) != 0);
	/* at home: no HAO, the home address is the source and the care-of */
	n = ip6_build(pkt, sizeof(pkt), &hoa, &ha, 64, NULL, NULL, MH_PROTO, vec_mnha_bu,
		      sizeof(vec_mnha_bu));
	CHECK_EQ(ip6_parse(pkt, n, &p), IP6_OK);
	sec_mnha_bu_addrs(&p, &c, &h);
	CHECK(!memcmp(&c, &hoa, 16) && !memcmp(&h, &hoa, 16));
}

/* TAHI-style window cases (RFC 6275 §9.5.1). */
static void test_seq_window(void)
{
	/* RFC 6275 §9.5.1: with last 15, 0-15 and 32783-65535 are "less than
	 * or equal"; 16-32782 are greater */
	CHECK(sec_seq_newer(16, 15));
	CHECK(sec_seq_newer(32782, 15));
	CHECK(!sec_seq_newer(32783, 15));
	CHECK(!sec_seq_newer(14, 15));
	CHECK(!sec_seq_newer(0, 15));
	CHECK(!sec_seq_newer(15, 15));
	CHECK(!sec_seq_newer(32784, 15));
	CHECK(!sec_seq_newer(65535, 15));
	CHECK(!sec_seq_newer(15, 32783));
	CHECK(sec_seq_newer(15, 32784));
	CHECK(!sec_seq_newer(32768, 0));	/* exactly half: not newer either way */
	CHECK(!sec_seq_newer(0, 32768));
	CHECK(sec_seq_newer(0, 65535));
	CHECK(!sec_seq_newer(65535, 0));
}

/* §5.2.5 with Kcn 01..14 (hex), home 2001:db8:1::100, nonce
 * 1122334455667788; care-of 2001:db8:2::2, nonce 8877665544332211:
 *   (addr; nonce; printf '\0') | openssl dgst -sha1 -mac HMAC -macopt hexkey:0102..14
 *   -> home token 25a6abd15fa9ee04, care-of token a42dae6e9b9b632e
 *   Kbm = openssl dgst -sha1 of the two tokens = e374ea8f...2bd1db
 *   deregistration Kbm = SHA1(home token) = 93fecf47...782a5a */
static void test_rr_keys(void)
{
	uint8_t kcn[20], kbm[20];
	struct in6_addr hoa = A6("2001:db8:1::100"), coa = A6("2001:db8:2::2");
	static const uint8_t kbm_exp[20] = {
		0xe3, 0x74, 0xea, 0x8f, 0x93, 0xbb, 0x72, 0xd1, 0x99, 0x7a,
		0xd2, 0x29, 0x8f, 0x3f, 0x6a, 0x69, 0x09, 0x2b, 0xd1, 0xdb };
	static const uint8_t kbm0_exp[20] = {
		0x93, 0xfe, 0xcf, 0x47, 0xeb, 0xd0, 0xf3, 0x7e, 0x99, 0x53,
		0xfd, 0x3b, 0xbc, 0xc7, 0x45, 0x5c, 0x11, 0x78, 0x2a, 0x5a };
	uint64_t ht, ct;

	for (int i = 0; i < 20; i++)
		kcn[i] = (uint8_t)(i + 1);
	ht = sec_keygen(kcn, &hoa, 0x1122334455667788ULL, false);
	ct = sec_keygen(kcn, &coa, 0x8877665544332211ULL, true);
	CHECK(ht == 0x25a6abd15fa9ee04ULL);
	CHECK(ct == 0xa42dae6e9b9b632eULL);
	sec_kbm(ht, &ct, kbm);
	CHECK(!memcmp(kbm, kbm_exp, 20));
	sec_kbm(ht, NULL, kbm);
	CHECK(!memcmp(kbm, kbm0_exp, 20));
}

/* A BU to the correspondent 2001:db8:9::1 with Nonce Indices (3, 5) and
 * Binding Authorization Data; the authenticator is
 *   First(96, HMAC_SHA1(Kbm, coa | cn | the 20 octets before it))
 *   = 3167c913e25d34720bf9b829 (openssl dgst -sha1 -mac HMAC -macopt hexkey:<Kbm>) */
static const uint8_t bu_cn[] = {
	59, 3, 5, 0,		/* 32 octets, BU */
	0x04, 0xe4,		/* checksum */
	0x00, 0x07,		/* sequence 7 */
	0x80, 0x00,		/* A */
	0x00, 0x64,		/* lifetime 100 x 4 = 400 s */
	4, 4, 0, 3, 0, 5,	/* Nonce Indices: home 3, care-of 5 (2n) */
	5, 12,			/* Binding Authorization Data (8n+2) */
	0x31, 0x67, 0xc9, 0x13, 0xe2, 0x5d, 0x34, 0x72, 0x0b, 0xf9, 0xb8, 0x29,
};

static void test_bad_auth(void)
{
	static const uint8_t kbm[20] = {
		0xe3, 0x74, 0xea, 0x8f, 0x93, 0xbb, 0x72, 0xd1, 0x99, 0x7a,
		0xd2, 0x29, 0x8f, 0x3f, 0x6a, 0x69, 0x09, 0x2b, 0xd1, 0xdb };
	struct in6_addr coa = A6("2001:db8:2::2"), cn = A6("2001:db8:9::1");
	struct mh_msg m, b = { .type = MH_BU, .seq = 7, .flags = MH_BU_A, .lifetime = 100,
			       .has_nonce = true, .home_nonce = 3, .coa_nonce = 5,
			       .has_bad = true };
	uint8_t out[12], buf[64];
	size_t n;

	CHECK_EQ(mh_parse(bu_cn, sizeof(bu_cn), &m), MH_OK);
	CHECK(mh_cksum_ok(bu_cn, sizeof(bu_cn), &coa, &cn));
	CHECK_EQ(m.bad_off, 20);
	CHECK_EQ(sec_bad_auth(kbm, &coa, &cn, bu_cn, sizeof(bu_cn), m.bad_off, out), 0);
	CHECK(!memcmp(out, m.bad, 12));
	n = mh_build(buf, sizeof(buf), &b);
	CHECK_EQ(n, sizeof(bu_cn));
	sec_bad_auth(kbm, &coa, &cn, buf, n, b.bad_off, buf + b.bad_off);
	mh_cksum_set(buf, n, &coa, &cn);
	CHECK(!memcmp(buf, bu_cn, n));
}

static struct bu_req ha_req(struct mh_msg *m, const char *coa)
{
	struct bu_req q = { .hoa = A6("2001:db8:1::100"), .coa = A6(coa), .m = m,
			    .auth_present = true, .auth_ok = true, .replay_present = true,
			    .replay_ok = true, .now_ms = 1000 };
	return q;
}

static void test_bcache_ha(void)
{
	struct bcache bc;
	struct mh_msg m = { .type = MH_BU, .seq = 15, .flags = MH_BU_A | MH_BU_H, .lifetime = 100 };
	struct bu_req q = ha_req(&m, "2001:db8:2::2");
	struct bu_res r;
	static const struct { uint16_t seq; bool ok; } win[] = {
		{ 14, false }, { 15, false }, { 32783, false }, { 32784, false }, { 16, true },
	};

	bc_init(&bc, true);
	bc.home_prefix = A6("2001:db8:1::");
	bc.home_plen = 64;
	bc.prefix_lifetime = 300;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ACCEPTED);
	CHECK(r.created && r.send_ba);
	CHECK_EQ(r.lifetime, 75);		/* 400 s capped by the prefix: 300 s */
	/* sequence window against 15 */
	for (size_t i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		struct bce *e = bc_lookup(&bc, &q.hoa);
		e->seq = 15;
		m.seq = win[i].seq;
		bc_process(&bc, &q, &r);
		CHECK_EQ(r.status, win[i].ok ? BA_ACCEPTED : BA_SEQ_OUT_OF_WINDOW);
		if (!win[i].ok)
			CHECK_EQ(r.seq, 15);	/* §6.1.8: the last accepted */
	}
	bc_lookup(&bc, &q.hoa)->seq = 15;
	m.seq = 32782;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ACCEPTED);
	m.seq = 15;			/* 32782 -> 15: 15 is 32769 ahead, stale */
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_SEQ_OUT_OF_WINDOW);
	m.seq = 14;			/* 32782 -> 14: 32768 ahead, stale (§9.5.1) */
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_SEQ_OUT_OF_WINDOW);
	m.seq = 13;			/* 32782 -> 13: 32767 ahead, newer */
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ACCEPTED);
	/* a link-local or multicast care-of address: silently discarded, the
	 * binding unchanged */
	uint16_t seq_before = bc_lookup(&bc, &q.hoa)->seq;
	struct in6_addr coa_before = bc_lookup(&bc, &q.hoa)->coa;
	m.seq = (uint16_t)(seq_before + 1);
	q.coa = A6("fe80::2");
	bc_process(&bc, &q, &r);
	CHECK(!r.send_ba && !r.e);
	q.coa = A6("ff02::1");
	bc_process(&bc, &q, &r);
	CHECK(!r.send_ba && !r.e);
	CHECK_EQ(bc_lookup(&bc, &q.hoa)->seq, seq_before);
	CHECK(!memcmp(&bc_lookup(&bc, &q.hoa)->coa, &coa_before, 16));
	q.coa = coa_before;
	/* RFC 4285 failures */
	m.seq = 16;
	q.auth_ok = false;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_AUTH_FAIL);
	q.auth_ok = true;
	q.replay_present = false;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_MESG_ID_REQD);
	q.replay_present = true;
	q.replay_ok = false;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ID_MISMATCH);
	q.replay_ok = true;
	/* not on the home subnet */
	q.hoa = A6("2001:db8:5::1");
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_NOT_HOME_SUBNET);
	q.hoa = A6("2001:db8:1::100");
	/* deregistration returning home (coa = hoa), then again: no binding */
	q.coa = q.hoa;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ACCEPTED);
	CHECK(r.dereg);
	CHECK(!bc_lookup(&bc, &q.hoa));
	m.seq = 17;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_NOT_HA_FOR_MN);
	/* a BU without H at a home agent is not a home registration */
	m.flags = MH_BU_A;
	bc_process(&bc, &q, &r);
	CHECK(!r.send_ba);
}

static void test_bcache_cn(void)
{
	struct bcache bc;
	struct mh_msg m = { .type = MH_BU, .seq = 1, .flags = MH_BU_A, .lifetime = 1000,
			    .has_nonce = true, .has_bad = true };
	struct bu_req q = { .hoa = A6("2001:db8:1::100"), .coa = A6("2001:db8:2::2"),
			    .m = &m, .nonces_valid_home = true, .nonces_valid_coa = true,
			    .bad_ok = true, .now_ms = 5000 };
	struct bu_res r;
	int n;

	bc_init(&bc, false);
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_ACCEPTED);
	CHECK_EQ(r.lifetime, MAX_RR_BINDING_LIFETIME / 4);
	q.nonces_valid_coa = false;
	m.seq = 2;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_EXPIRED_COA_NONCE);
	q.nonces_valid_home = false;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_EXPIRED_NONCES);
	q.nonces_valid_coa = true;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_EXPIRED_HOME_NONCE);
	q.nonces_valid_home = true;
	q.bad_ok = false;
	bc_process(&bc, &q, &r);
	CHECK(!r.send_ba);		/* §9.5.1: silently discarded */
	q.bad_ok = true;
	m.flags |= MH_BU_H;
	bc_process(&bc, &q, &r);
	CHECK_EQ(r.status, BA_NOT_SUPPORTED);
	m.flags = MH_BU_A;
	n = bc_expire(&bc, 5000 + 419000, NULL, NULL);
	CHECK_EQ(n, 0);
	n = bc_expire(&bc, 5000 + 420000, NULL, NULL);
	CHECK_EQ(n, 1);
}

static void test_bul_timing(void)
{
	uint32_t t = bul_first_timeout(true, true);
	int steps = 0;
	CHECK_EQ(t, 1500);
	CHECK_EQ(bul_first_timeout(true, false), 1000);
	CHECK_EQ(bul_first_timeout(false, true), 1000);
	while ((t = bul_backoff(t)) != 0)
		steps++;
	CHECK_EQ(steps, 5);		/* 3, 6, 12, 24, 32 */
	CHECK_EQ(bul_backoff(24000), 32000);
	CHECK_EQ(bul_backoff(32000), 0);
	CHECK_EQ(bul_refresh_ms(60), 48000);
	CHECK_EQ(bul_refresh_ms(4), 3000);
}

/* §11.8: every retransmission of a BU carries a sequence number greater
 * (modulo 2^16) than the previous transmission's; §11.7.3: an
 * acknowledgement of any of the outstanding transmissions matches, an
 * earlier BU's does not. */
static void test_bul_retransmit_seq(void)
{
	struct bul b = { .seq = 65533 };
	uint16_t prev, s1;

	s1 = bul_seq_next(&b);
	CHECK_EQ(s1, 65534);
	prev = s1;
	for (int i = 0; i < 3; i++) {		/* 65535, 0, 1 */
		uint16_t s = bul_seq_retransmit(&b);
		CHECK(sec_seq_newer(s, prev));
		CHECK_EQ(b.seq, s);
		prev = s;
	}
	CHECK_EQ(b.seq, 1);
	CHECK(bul_seq_matches(&b, 65534));
	CHECK(bul_seq_matches(&b, 0));
	CHECK(bul_seq_matches(&b, 1));
	CHECK(!bul_seq_matches(&b, 65533));	/* the BU before */
	CHECK(!bul_seq_matches(&b, 2));
	/* a new BU starts a new outstanding range */
	CHECK_EQ(bul_seq_next(&b), 2);
	CHECK(!bul_seq_matches(&b, 1));
	CHECK(bul_seq_matches(&b, 2));
}

/* RFC 4291 §2.5.6: link-local (and other non-global) addresses are never
 * correspondents and never cross the home agent. */
static void test_scope(void)
{
	static const struct { const char *a; bool global; } v[] = {
		{ "2001:db8:1::100", true }, { "fd00:1:0:1::102", true },	/* ULA: global scope */
		{ "fe80::d00c:1eb7:ee4e:f2bb", false }, { "febf::1", false },	/* fe80::/10 */
		{ "fec0::1", false }, { "ff02::1", false }, { "ff0e::1", false },
		{ "::", false }, { "::1", false }, { "::ffff:10.0.0.1", false },
		{ "fe00::1", true }, { "2002::1", true },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct in6_addr a = A6(v[i].a);
		if (ip6_is_global(&a) != v[i].global) {
			printf("  %s: expected %s\n", v[i].a, v[i].global ? "global" : "not global");
			t_failed_checks++;
		}
	}
}

/* A Parameter Problem code 1 (RFC 4443 §3.4) as seen in mip6-cn-mobile:
 * a node without Mobile IPv6 answering a HoTI; pointer 6, the invoking
 * packet's Next Header (135). */
static const uint8_t pp_hoti[] = {
	4, 1, 0x12, 0x34,		/* type 4, code 1, checksum */
	0, 0, 0, 6,			/* pointer: octet 6 of the invoking packet */
	0x60, 0, 0, 0, 0, 16, 135, 64,	/* invoking: payload 16, next header 135 */
	0xfd, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x01, 0x02,	/* fd00:1:0:1::102 */
	0x20, 0x01, 0x0d, 0xb8, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,	/* 2001:db8:9::1 */
	59, 1, 1, 0, 0, 0, 0, 0,	/* MH: HoTI ... */
	1, 2, 3, 4, 5, 6, 7, 8,		/*   home init cookie */
};

static void test_param_problem(void)
{
	struct in6_addr mn = A6("fd00:1:0:1::102"), cn = A6("2001:db8:9::1");
	uint8_t b[sizeof(pp_hoti)];
	struct ip6_pp pp;

	CHECK_EQ(ip6_pp_parse(pp_hoti, sizeof(pp_hoti), &pp), IP6_OK);
	CHECK_EQ(pp.code, 1);
	CHECK_EQ(pp.pointer, 6);
	CHECK(pp.mh_unknown);
	CHECK(!memcmp(&pp.src, &mn, 16));
	CHECK(!memcmp(&pp.dst, &cn, 16));
	/* code 0 (erroneous header field), or a pointer at another byte */
	memcpy(b, pp_hoti, sizeof(b));
	b[1] = 0;
	CHECK_EQ(ip6_pp_parse(b, sizeof(b), &pp), IP6_OK);
	CHECK(!pp.mh_unknown);
	memcpy(b, pp_hoti, sizeof(b));
	b[7] = 7;
	CHECK_EQ(ip6_pp_parse(b, sizeof(b), &pp), IP6_OK);
	CHECK(!pp.mh_unknown);
	/* a pointer beyond what came back */
	memcpy(b, pp_hoti, sizeof(b));
	b[6] = 1;
	CHECK_EQ(ip6_pp_parse(b, sizeof(b), &pp), IP6_OK);
	CHECK(!pp.mh_unknown);
	/* cut inside the invoking header: truncated; another type: malformed */
	CHECK_EQ(ip6_pp_parse(pp_hoti, 8 + 39, &pp), IP6_TRUNCATED);
	CHECK_EQ(ip6_pp_parse(pp_hoti, 7, &pp), IP6_TRUNCATED);
	memcpy(b, pp_hoti, sizeof(b));
	b[0] = 1;
	CHECK_EQ(ip6_pp_parse(b, sizeof(b), &pp), IP6_MALFORMED);
}

/* Issue 8: after carrier loss the mobile node has no router and no usable
 * care-of address until an RA on the new link; solicitations on carrier
 * up follow RFC 4861 §6.3.7 (3 at most, 4 s apart, none after an RA). */
static void test_mn_link(void)
{
	struct mn mn;

	memset(&mn, 0, sizeof(mn));
	mn.link_up = true;
	mn.coa_ready = true;
	memcpy(mn.router_mac, "\x02\x00\x00\x00\x00\x01", 6);
	mn.prefix = A6("fd00:1:0:2::");
	CHECK(mn_link_usable(&mn));
	mn_link_down(&mn, 1000);
	CHECK(!mn_link_usable(&mn));
	CHECK(!mn.coa_ready);
	CHECK_EQ(mn.router_mac[0] | mn.router_mac[5], 0);
	CHECK_EQ(mn.t_l2_down, 1000);
	CHECK(!mn_rs_due(&mn, 1010));		/* no solicitation without a link */
	mn_link_up(&mn, 1050);
	CHECK(!mn_link_usable(&mn));		/* up, but no router yet */
	CHECK(IN6_IS_ADDR_UNSPECIFIED(&mn.prefix));	/* the next RA decides */
	CHECK(mn_rs_due(&mn, 1050));
	CHECK(!mn_rs_due(&mn, 1050 + 3999));	/* RTR_SOLICITATION_INTERVAL */
	CHECK(mn_rs_due(&mn, 1050 + 4000));
	CHECK(mn_rs_due(&mn, 1050 + 8000));
	CHECK(!mn_rs_due(&mn, 1050 + 12000));	/* MAX_RTR_SOLICITATIONS */
	mn_link_down(&mn, 20000);
	mn_link_up(&mn, 20050);			/* a new attachment: again */
	CHECK(mn_rs_due(&mn, 20050));
	mn.ra_since_up = true;			/* an RA came: no more */
	CHECK(!mn_rs_due(&mn, 24050));
}

static void test_rr_nonces(void)
{
	struct rr_cn c;
	uint8_t kcn[20] = { 1 };
	uint16_t idx;
	uint64_t nonce, got;

	rr_cn_init(&c, kcn, 0xaaaa, 0);
	rr_cn_current(&c, 1000, 0xbbbb, &idx, &nonce);
	CHECK_EQ(idx, 0);
	CHECK(nonce == 0xaaaa);
	rr_cn_current(&c, 31000, 0xbbbb, &idx, &nonce);
	CHECK_EQ(idx, 1);
	CHECK(nonce == 0xbbbb);
	CHECK(rr_cn_nonce(&c, 0, 239999, &got) && got == 0xaaaa);
	CHECK(!rr_cn_nonce(&c, 0, 240000, &got));	/* MAX_NONCE_LIFETIME */
	CHECK(!rr_cn_nonce(&c, 7, 1000, &got));
}

static void test_hao_rh2(void)
{
	struct in6_addr hoa = A6("2001:db8:1::100"), coa = A6("2001:db8:2::2"),
			cn = A6("2001:db8:9::1");
	uint8_t pl[8] = { 128, 0, 0x12, 0x34, 0, 1, 0, 1 }, pkt[128], ro[160], back[160];
	struct ip6 p;
	size_t n, m, k;

	/* the MN's kernel packet: HoA -> CN */
	n = ip6_build(pkt, sizeof(pkt), &hoa, &cn, 64, NULL, NULL, 58, pl, sizeof(pl));
	CHECK_EQ(n, 48);
	m = ip6_add_hao(ro, sizeof(ro), pkt, n, &coa);
	CHECK_EQ(m, 72);
	CHECK_EQ(ip6_parse(ro, m, &p), IP6_OK);
	CHECK(p.has_hao && !memcmp(&p.hao, &hoa, 16) && !memcmp(&p.src, &coa, 16));
	CHECK_EQ(p.nh, 58);
	CHECK_EQ(p.off, 64);
	CHECK_EQ(ro[6], 60);
	CHECK_EQ((p.dst_off + 6) % 8, 6);	/* HAO at 8n+6 */
	k = ip6_strip_hao(back, sizeof(back), ro, &p);
	CHECK_EQ(k, n);
	CHECK(!memcmp(back, pkt, n));
	/* the CN's kernel packet CN -> HoA gets RH2 */
	n = ip6_build(pkt, sizeof(pkt), &cn, &hoa, 64, NULL, NULL, 58, pl, sizeof(pl));
	m = ip6_add_rh2(ro, sizeof(ro), pkt, n, &coa);
	CHECK_EQ(ip6_parse(ro, m, &p), IP6_OK);
	CHECK(p.has_rh2 && p.rh2_left == 1 && !memcmp(&p.dst, &coa, 16));
	k = ip6_strip_rh2(back, sizeof(back), ro, &p);
	CHECK(k == n && !memcmp(back, pkt, n));
	/* truncated chain */
	CHECK_EQ(ip6_parse(ro, 50, &p), IP6_TRUNCATED);
	/* tunnel */
	m = ip6_encap(ro, sizeof(ro), &coa, &cn, 64, pkt, n);
	CHECK_EQ(ip6_parse(ro, m, &p), IP6_OK);
	CHECK_EQ(p.nh, 41);
	CHECK_EQ(p.off, 40);
}

static void test_ra(void)
{
	static const uint8_t ra[] = {
		134, 0, 0, 0,		/* RA, checksum not checked here */
		64, 0x20, 0x07, 0x08,	/* hop limit, H flag, router lifetime 1800 */
		0, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 2, 0, 0, 0, 0, 1,	/* SLLA 02:00:00:00:00:01 */
		7, 1, 0, 0, 0, 0, 0, 70,	/* advertisement interval 70 ms */
		3, 4, 64, 0xc0, 0, 0, 0x0e, 0x10, 0, 0, 0x07, 0x08, 0, 0, 0, 0,
		0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	};
	struct ip6_ra r;
	struct in6_addr p = A6("2001:db8:2::"), a;
	uint8_t mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

	CHECK_EQ(ip6_ra_parse(ra, sizeof(ra), &r), IP6_OK);
	CHECK(r.has_slla && r.slla[5] == 1);
	CHECK(r.has_interval && r.interval_ms == 70);
	CHECK(r.has_prefix && r.plen == 64 && !memcmp(&r.prefix, &p, 16));
	CHECK_EQ(r.valid, 3600);
	CHECK(r.flags & RA_F_HA);
	ip6_slaac(&a, &r.prefix, mac);
	CHECK_STR(ip6_ntoa(&a), "2001:db8:2:0:aa:bbff:fecc:ddee");
	CHECK(ip6_same_prefix(&a, &p, 64));
	CHECK(ip6_same_prefix(&a, &p, 72));
	CHECK(!ip6_same_prefix(&a, &p, 73));
	CHECK_EQ(ip6_ra_parse(ra, sizeof(ra) - 3, &r), IP6_TRUNCATED);
}

T_MAIN_BEGIN("mip6")
	RUN(test_bu_parse);
	RUN(test_bu_build);
	RUN(test_mh_bad_lengths);
	RUN(test_mh_roundtrip);
	RUN(test_seq_window);
	RUN(test_mnha_vector);
	RUN(test_rr_keys);
	RUN(test_bad_auth);
	RUN(test_bcache_ha);
	RUN(test_bcache_cn);
	RUN(test_bul_timing);
	RUN(test_bul_retransmit_seq);
	RUN(test_scope);
	RUN(test_param_problem);
	RUN(test_mn_link);
	RUN(test_rr_nonces);
	RUN(test_hao_rh2);
	RUN(test_ra);
T_MAIN_END
