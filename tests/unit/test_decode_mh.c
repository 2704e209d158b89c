/* test_decode_mh.c — the Mobility Header decoder (RFC 6275 §6.1, §6.2;
 * RFC 3963, 4283, 4285, 5380, 5568): every message type and option, the
 * checksum, truncated / malformed / unknown variants. */
#include "test_decode.h"

/* A known-good frame: binding update from the care-of address to the home
 * agent with a Home Address option, RFC 4285 replay protection and MN-HA
 * authentication options. The MH checksum 0x928c was computed by hand over
 * the pseudo-header (home address, home agent, length 48, next header 135). */
static const uint8_t bu_frame[] = {
	ETH_HDR6,
	0x60, 0x00, 0x00, 0x00,	/* version 6, class 0, flow 0 */
	0x00, 0x48,		/* payload length 72 */
	60,			/* next header: destination options */
	64,			/* hop limit */
	A6_COA,			/* source: care-of address */
	A6_HA,			/* destination: home agent */
	/* destination options header (24 bytes) */
	135,			/* next header: mobility header */
	2,			/* header length 2: (2+1)*8 = 24 bytes */
	1, 2, 0, 0,		/* PadN, 2 bytes */
	201, 16,		/* Home Address option, length 16 */
	A6_HOA,			/* home address */
	/* mobility header: binding update (48 bytes) */
	59,			/* payload proto: no next header */
	5,			/* header length 5: 48 bytes */
	5,			/* MH type 5: binding update */
	0,			/* reserved */
	0x92, 0x8c,		/* checksum */
	0x00, 0x07,		/* sequence 7 */
	0xc0, 0x00,		/* flags A H */
	0x00, 0x19,		/* lifetime 25 (100 s) */
	10, 8,			/* replay protection option, length 8 */
	1, 2, 3, 4, 5, 6, 7, 8,	/* timestamp */
	9, 17,			/* mobility message authentication, length 17 */
	1,			/* subtype 1: MN-HA */
	0x00, 0x00, 0x01, 0x00,	/* SPI 256 */
	0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, /* authenticator */
	1, 5, 0, 0, 0, 0, 0,	/* PadN, 5 bytes */
};

static void test_mh_known_good_bu(void)
{
	CHECK_EQ(t_frame(bu_frame, sizeof bu_frame, "bu_hao_auth"), DEC_OK);
	CHECK_STR(t_txt("ip6.src"), "2001:db8:2::10");
	CHECK_STR(t_txt("ip6.hao"), "2001:db8:1::10");
	CHECK_EQ(t_u("ip6.upper"), 135);
	CHECK_EQ(t_u("mh.type"), 5);
	CHECK_EQ(t_u("mh.len"), 5);
	CHECK_EQ(t_u("mh.cksum"), 0x928c);
	CHECK_EQ(t_u("mh.cksum_ok"), 1);
	CHECK_EQ(t_u("mh.bu.seq"), 7);
	CHECK_EQ(t_u("mh.bu.flags.A"), 1);
	CHECK_EQ(t_u("mh.bu.flags.H"), 1);
	CHECK_EQ(t_u("mh.bu.flags.L"), 0);
	CHECK_EQ(t_u("mh.bu.flags.K"), 0);
	CHECK_EQ(t_u("mh.bu.flags.M"), 0);
	CHECK_EQ(t_u("mh.bu.lifetime"), 25);
	CHECK_EQ(t_u("mh.opt.replay.ts"), 0x0102030405060708ull);
	CHECK_EQ(t_u("mh.opt.auth.subtype"), 1);
	CHECK_EQ(t_u("mh.opt.auth.spi"), 256);
	CHECK_STR(t_txt("mh.opt.auth.authenticator"), "a0a1a2a3a4a5a6a7a8a9aaab");
	CHECK_EQ(t_count("mh.opt.type"), 2);	/* pads are not listed */
	/* offsets a rule needs to recompute the authenticator */
	const struct dec_field *mh = t_f("mh"), *au = t_f("mh.opt.auth.authenticator");
	CHECK(mh && au);
	if (mh && au) {
		CHECK_EQ(mh->off, 14 + 40 + 24);
		CHECK_EQ(mh->len, 48);
		CHECK_EQ(au->off, 14 + 40 + 24 + 12 + 10 + 7);
		CHECK_EQ(au->len, 12);
		CHECK_EQ(au->grp, 2);	/* the second option */
	}
	/* a wrong checksum is reported, not fatal */
	uint8_t bad[sizeof bu_frame];
	memcpy(bad, bu_frame, sizeof bad);
	bad[14 + 40 + 24 + 5] ^= 1;
	CHECK_EQ(t_frame(bad, sizeof bad, NULL), DEC_OK);
	CHECK_EQ(t_u("mh.cksum_ok"), 0);
	/* without the HAO the pseudo-header source is the care-of address */
	memcpy(bad, bu_frame, sizeof bad);
	bad[14 + 40 + 6] = 0x1e;	/* option type 0x1e: unknown, skippable */
	CHECK_EQ(t_frame(bad, sizeof bad, NULL), DEC_UNKNOWN);
	CHECK_EQ(t_u("mh.cksum_ok"), 0);
	CHECK_STR(t_vfield(), "ip6.opt.type");
}

/* One vector per message type (checksum zero: dec_message does not verify it). */
static const uint8_t mh_brr[] = {
	59, 2, 0, 0, 0, 0,	/* pproto, hlen 2 (24 bytes), type 0 BRR, reserved, checksum */
	0, 0,			/* reserved */
	7, 7, 2,		/* link-layer address option, length 7, option-code 2 */
	MAC_MN,			/* link-layer address */
	1, 5, 0, 0, 0, 0, 0,	/* PadN, 5 bytes */
};
static const uint8_t mh_hoti[] = {
	59, 1, 1, 0, 0, 0,	/* hlen 1 (16 bytes), type 1 HoTI */
	0, 0,			/* reserved */
	1, 2, 3, 4, 5, 6, 7, 8,	/* home init cookie */
};
static const uint8_t mh_coti[] = {
	59, 1, 2, 0, 0, 0,	/* hlen 1, type 2 CoTI */
	0, 0,			/* reserved */
	9, 10, 11, 12, 13, 14, 15, 16, /* care-of init cookie */
};
static const uint8_t mh_hot[] = {
	59, 2, 3, 0, 0, 0,	/* hlen 2 (24 bytes), type 3 HoT */
	0x01, 0x02,		/* home nonce index 258 */
	1, 2, 3, 4, 5, 6, 7, 8,	/* home init cookie */
	0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, /* home keygen token */
};
static const uint8_t mh_cot[] = {
	59, 2, 4, 0, 0, 0,	/* hlen 2, type 4 CoT */
	0x00, 0x03,		/* care-of nonce index 3 */
	9, 10, 11, 12, 13, 14, 15, 16, /* care-of init cookie */
	0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, /* care-of keygen token */
};
static const uint8_t mh_bu_cn[] = {
	59, 3, 5, 0, 0, 0,	/* hlen 3 (32 bytes), type 5 BU */
	0x12, 0x34,		/* sequence 0x1234 */
	0x80, 0x00,		/* flags A */
	0x00, 0x40,		/* lifetime 64 (256 s) */
	4, 4, 0x01, 0x02, 0x00, 0x03, /* nonce indices: home 258, care-of 3 */
	5, 12,			/* binding authorization data, length 12 */
	0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb,
};
static const uint8_t mh_bu_map[] = {
	59, 3, 5, 0, 0, 0,	/* hlen 3, BU */
	0x00, 0x09,		/* sequence 9 */
	0xc8, 0x00,		/* flags A H M (RFC 5380 local binding update) */
	0x00, 0x0f,		/* lifetime 15 */
	1, 0,			/* PadN, 0 bytes */
	3, 16, A6_COA,		/* alternate care-of address */
};
static const uint8_t mh_bu_nemo[] = {
	59, 5, 5, 0, 0, 0,	/* hlen 5 (48 bytes), BU */
	0x00, 0x01,		/* sequence 1 */
	0xc4, 0x00,		/* flags A H R */
	0x01, 0x00,		/* lifetime 256 */
	6, 18, 0, 64,		/* mobile network prefix, length 18, reserved, prefix length 64 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 2001:db8:9:: */
	8, 8, 1,		/* MN-ID, length 8, subtype 1 (NAI) */
	'm', 'n', '@', 'r', 'o', 'a', 'm',
	1, 4, 0, 0, 0, 0,	/* PadN, 4 bytes */
};
static const uint8_t mh_ba[] = {
	59, 1, 6, 0, 0, 0,	/* hlen 1 (16 bytes), type 6 BA */
	0,			/* status 0: accepted */
	0x40,			/* flags R */
	0x00, 0x07,		/* sequence 7 */
	0x00, 0x19,		/* lifetime 25 */
	2, 2, 0x00, 0x0a,	/* binding refresh advice: 10 (40 s) */
};
static const uint8_t mh_be[] = {
	59, 2, 7, 0, 0, 0,	/* hlen 2 (24 bytes), type 7 BE */
	1,			/* status 1: unknown binding for HAO */
	0,			/* reserved */
	A6_HOA,			/* home address */
};

static const struct mh_case {
	const char *name;
	const uint8_t *b;
	size_t n;
	unsigned min_hlen;
} mh_cases[] = {
	{ "brr", mh_brr, sizeof mh_brr, 0 },
	{ "hoti", mh_hoti, sizeof mh_hoti, 1 },
	{ "coti", mh_coti, sizeof mh_coti, 1 },
	{ "hot", mh_hot, sizeof mh_hot, 2 },
	{ "cot", mh_cot, sizeof mh_cot, 2 },
	{ "bu_cn", mh_bu_cn, sizeof mh_bu_cn, 1 },
	{ "bu_map", mh_bu_map, sizeof mh_bu_map, 1 },
	{ "bu_nemo", mh_bu_nemo, sizeof mh_bu_nemo, 1 },
	{ "ba", mh_ba, sizeof mh_ba, 1 },
	{ "be", mh_be, sizeof mh_be, 2 },
};

static void test_mh_messages(void)
{
	CHECK_EQ(t_msg(DEC_P_MH, mh_brr, sizeof mh_brr, "brr"), DEC_OK);
	CHECK_EQ(t_u("mh.type"), 0);
	CHECK_EQ(t_u("mh.opt.lla.code"), 2);
	CHECK_STR(t_txt("mh.opt.lla.addr"), "02:00:00:00:00:01");
	CHECK(!t_f("mh.cksum_ok"));	/* no pseudo-header here */

	CHECK_EQ(t_msg(DEC_P_MH, mh_hoti, sizeof mh_hoti, "hoti"), DEC_OK);
	CHECK_STR(t_txt("mh.hoti.cookie"), "0102030405060708");
	CHECK_EQ(t_msg(DEC_P_MH, mh_coti, sizeof mh_coti, "coti"), DEC_OK);
	CHECK_STR(t_txt("mh.coti.cookie"), "090a0b0c0d0e0f10");

	CHECK_EQ(t_msg(DEC_P_MH, mh_hot, sizeof mh_hot, "hot"), DEC_OK);
	CHECK_EQ(t_u("mh.hot.nonce_idx"), 258);
	CHECK_STR(t_txt("mh.hot.cookie"), "0102030405060708");
	CHECK_STR(t_txt("mh.hot.token"), "d0d1d2d3d4d5d6d7");
	CHECK_EQ(t_msg(DEC_P_MH, mh_cot, sizeof mh_cot, "cot"), DEC_OK);
	CHECK_EQ(t_u("mh.cot.nonce_idx"), 3);
	CHECK_STR(t_txt("mh.cot.token"), "e0e1e2e3e4e5e6e7");

	CHECK_EQ(t_msg(DEC_P_MH, mh_bu_cn, sizeof mh_bu_cn, "bu_cn"), DEC_OK);
	CHECK_EQ(t_u("mh.bu.seq"), 0x1234);
	CHECK_EQ(t_u("mh.bu.flags.A"), 1);
	CHECK_EQ(t_u("mh.bu.flags.H"), 0);
	CHECK_EQ(t_u("mh.bu.lifetime"), 64);
	CHECK_EQ(t_u("mh.opt.ni.home"), 258);
	CHECK_EQ(t_u("mh.opt.ni.coa"), 3);
	CHECK_STR(t_txt("mh.opt.bad.authenticator"), "b0b1b2b3b4b5b6b7b8b9babb");

	CHECK_EQ(t_msg(DEC_P_MH, mh_bu_map, sizeof mh_bu_map, "bu_map"), DEC_OK);
	CHECK_EQ(t_u("mh.bu.flags.M"), 1);
	CHECK_EQ(t_u("mh.bu.flags.K"), 0);
	CHECK_EQ(t_u("mh.bu.flags.R"), 0);
	CHECK_STR(t_txt("mh.opt.acoa"), "2001:db8:2::10");

	CHECK_EQ(t_msg(DEC_P_MH, mh_bu_nemo, sizeof mh_bu_nemo, "bu_nemo"), DEC_OK);
	CHECK_EQ(t_u("mh.bu.flags.R"), 1);
	CHECK_EQ(t_u("mh.bu.flags.M"), 0);
	CHECK_EQ(t_u("mh.opt.mnp.len"), 64);
	CHECK_STR(t_txt("mh.opt.mnp.prefix"), "2001:db8:9::");
	CHECK_EQ(t_u("mh.opt.mnid.subtype"), 1);
	CHECK_STR(t_txt("mh.opt.mnid.id"), "mn@roam");

	CHECK_EQ(t_msg(DEC_P_MH, mh_ba, sizeof mh_ba, "ba"), DEC_OK);
	CHECK_EQ(t_u("mh.ba.status"), 0);
	CHECK_EQ(t_u("mh.ba.flags.K"), 0);
	CHECK_EQ(t_u("mh.ba.flags.R"), 1);
	CHECK_EQ(t_u("mh.ba.seq"), 7);
	CHECK_EQ(t_u("mh.ba.lifetime"), 25);
	CHECK_EQ(t_u("mh.opt.bra.interval"), 10);

	CHECK_EQ(t_msg(DEC_P_MH, mh_be, sizeof mh_be, "be"), DEC_OK);
	CHECK_EQ(t_u("mh.be.status"), 1);
	CHECK_STR(t_txt("mh.be.home"), "2001:db8:1::10");
}

/* Wrap an MH in Ethernet + IPv6 (CN -> HoA) with a correct checksum. */
static size_t mh_wrap(const uint8_t *mh, size_t n, uint8_t *out)
{
	static const uint8_t hdr[] = {
		ETH_HDR6,
		0x60, 0, 0, 0,	/* version 6 */
		0, 0,		/* payload length: set below */
		135, 64,	/* next header MH, hop limit 64 */
		A6_CN,		/* source */
		A6_HOA,		/* destination */
	};
	memcpy(out, hdr, sizeof hdr);
	memcpy(out + sizeof hdr, mh, n);
	out[18] = (uint8_t)(n >> 8);
	out[19] = (uint8_t)n;
	t_cksum(out, sizeof hdr, n, sizeof hdr + 4, out + 22, out + 38, 16, 135);
	return sizeof hdr + n;
}

static void test_mh_checksum_every_type(void)
{
	uint8_t f[256];

	for (size_t i = 0; i < sizeof mh_cases / sizeof *mh_cases; i++) {
		char seed[64];
		snprintf(seed, sizeof seed, "ip6_%s", mh_cases[i].name);
		size_t n = mh_wrap(mh_cases[i].b, mh_cases[i].n, f);
		CHECK_EQ(t_frame(f, n, seed), DEC_OK);
		CHECK_EQ(t_u("mh.cksum_ok"), 1);
		f[n - 1] ^= 0x10;
		CHECK_EQ(t_frame(f, n, NULL), DEC_OK);
		CHECK_EQ(t_u("mh.cksum_ok"), 0);
	}
}

static void test_mh_truncated_every_type(void)
{
	uint8_t f[256];

	for (size_t i = 0; i < sizeof mh_cases / sizeof *mh_cases; i++) {
		size_t n = mh_wrap(mh_cases[i].b, mh_cases[i].n, f);
		/* the capture keeps 3 bytes of the MH, then all but its last byte */
		CHECK_EQ(dec_frame(f, n - mh_cases[i].n + 3, n, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "mh");
		CHECK_EQ(dec_frame(f, n - 1, n, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "mh");
		CHECK_EQ(t_u("mh.type"), mh_cases[i].b[2]);	/* what was there is kept */
	}
}

/* A binding update cut by the snap length keeps every whole field: the
 * capture of bu_frame stops at successive points of the MH. */
static void test_mh_truncated_keeps_fields(void)
{
	const size_t mh = 14 + 40 + 24;	/* the MH starts here in bu_frame */
	static const struct {
		size_t keep;		/* bytes of the MH captured */
		uint64_t seq, flag_a, life, ts;	/* ~0: absent */
	} cuts[] = {
		{ 7, ~0ull, ~0ull, ~0ull, ~0ull },	/* half of the sequence */
		{ 8, 7, ~0ull, ~0ull, ~0ull },		/* sequence, not the flags */
		{ 10, 7, 1, ~0ull, ~0ull },		/* flags, not the lifetime */
		{ 12, 7, 1, 25, ~0ull },		/* fixed part whole, no option */
		{ 16, 7, 1, 25, ~0ull },		/* inside the replay option */
		{ 22, 7, 1, 25, 0x0102030405060708ull },	/* replay option whole */
		{ 30, 7, 1, 25, 0x0102030405060708ull },	/* inside the auth option */
	};

	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		CHECK_EQ(dec_frame(bu_frame, mh + cuts[i].keep, sizeof bu_frame, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "mh");
		CHECK_EQ(t_u("mh.type"), 5);
		CHECK_EQ(t_u("mh.bu.seq"), cuts[i].seq);
		CHECK_EQ(t_u("mh.bu.flags.A"), cuts[i].flag_a);
		CHECK_EQ(t_u("mh.bu.flags.H"), cuts[i].flag_a);
		CHECK_EQ(t_u("mh.bu.lifetime"), cuts[i].life);
		CHECK_EQ(t_u("mh.opt.replay.ts"), cuts[i].ts);
		CHECK_EQ(t_u("mh.cksum_ok"), ~0ull);	/* cannot be computed */
		CHECK_EQ(t_count("mh.opt.auth.spi"), 0);
		CHECK_STR(t_txt("ip6.hao"), "2001:db8:1::10");
	}
	/* cut inside the Home Address option, then right after it */
	CHECK_EQ(dec_frame(bu_frame, 14 + 40 + 12, sizeof bu_frame, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "ip6.dopt");
	CHECK_EQ(t_u("ip6.dopt.len"), 2);
	CHECK_STR(t_txt("ip6.hao"), "(absent)");
	CHECK_EQ(dec_frame(bu_frame, 14 + 40 + 24, sizeof bu_frame, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_txt("ip6.hao"), "2001:db8:1::10");
	/* a binding acknowledgement cut after its sequence number */
	static const uint8_t ba[] = {
		59, 1, 6, 0, 0, 0,	/* MH: no next header, 16 bytes, BA, checksum 0 */
		128, 0x80,		/* status 128, K flag */
		0x12, 0x34,		/* sequence 0x1234 */
		0x00, 0x10,		/* lifetime 16 */
		1, 2, 0, 0,		/* PadN 2 */
	};
	uint8_t f[256];
	size_t n = mh_wrap(ba, sizeof ba, f);
	CHECK_EQ(dec_frame(f, n - sizeof ba + 11, n, 1, &t_rec), DEC_TRUNCATED);
	CHECK_EQ(t_u("mh.ba.status"), 128);
	CHECK_EQ(t_u("mh.ba.flags.K"), 1);
	CHECK_EQ(t_u("mh.ba.seq"), 0x1234);
	CHECK_EQ(t_u("mh.ba.lifetime"), ~0ull);
	/* the same length without the capture's cut is malformed, not truncated */
	CHECK_EQ(t_msg(DEC_P_MH, ba, 11, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.len");
}

static void test_mh_malformed_every_type(void)
{
	uint8_t b[256];

	for (size_t i = 0; i < sizeof mh_cases / sizeof *mh_cases; i++) {
		const struct mh_case *mc = &mh_cases[i];
		char seed[64];
		/* 8 bytes more than the header length says */
		memcpy(b, mc->b, mc->n);
		memset(b + mc->n, 0, 8);
		snprintf(seed, sizeof seed, "%s_long", mc->name);
		CHECK_EQ(t_msg(DEC_P_MH, b, mc->n + 8, seed), DEC_MALFORMED);
		CHECK_STR(t_vfield(), "mh.len");
		CHECK(strstr(t_rec.reason, "does not match") != NULL);
		/* a header length below the type's minimum */
		if (mc->min_hlen > 0) {
			b[1] = (uint8_t)(mc->min_hlen - 1);
			snprintf(seed, sizeof seed, "%s_short", mc->name);
			CHECK_EQ(t_msg(DEC_P_MH, b, mc->min_hlen * 8u, seed), DEC_MALFORMED);
			CHECK_STR(t_vfield(), "mh.len");
			CHECK(strstr(t_rec.reason, "too short") != NULL);
		}
	}
	/* the brief's example */
	memcpy(b, mh_bu_cn, sizeof mh_bu_cn);
	memset(b + sizeof mh_bu_cn, 0, 8);
	CHECK_EQ(t_msg(DEC_P_MH, b, 40, NULL), DEC_MALFORMED);
	CHECK_STR(t_rec.reason, "mh.len: header length 3 does not match 40 bytes");
}

static void test_mh_option_errors(void)
{
	uint8_t b[64];

	/* nonce indices option length 3 (expected 4), re-padded */
	memcpy(b, mh_bu_cn, sizeof mh_bu_cn);
	b[13] = 3;
	CHECK_EQ(t_msg(DEC_P_MH, b, sizeof mh_bu_cn, "bu_ni_len3"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.opt.len");
	CHECK(strstr(t_rec.reason, "nonce indices") != NULL);
	/* binding authorization data claims 13 bytes, 12 are left */
	memcpy(b, mh_bu_cn, sizeof mh_bu_cn);
	b[19] = 13;
	CHECK_EQ(t_msg(DEC_P_MH, b, sizeof mh_bu_cn, "bu_bad_over"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.opt.len");
	/* alternate care-of address option of length 8 */
	static const uint8_t acoa8[] = {
		59, 2, 5, 0, 0, 0, 0, 1, 0x80, 0, 0, 1, /* BU seq 1, A, lifetime 1 */
		3, 8, 1, 2, 3, 4, 5, 6, 7, 8,	/* ACoA, length 8 */
		0, 0,				/* Pad1 Pad1 */
	};
	CHECK_EQ(t_msg(DEC_P_MH, acoa8, sizeof acoa8, "bu_acoa8"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.opt.len");
	/* authentication option shorter than subtype + SPI */
	static const uint8_t auth4[] = {
		59, 2, 5, 0, 0, 0, 0, 1, 0x80, 0, 0, 1, /* BU */
		9, 4, 1, 0, 0, 1,		/* auth, length 4 */
		1, 4, 0, 0, 0, 0,		/* PadN 4 */
	};
	CHECK_EQ(t_msg(DEC_P_MH, auth4, sizeof auth4, "bu_auth4"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.opt.len");
	/* option type with no length byte left */
	static const uint8_t lone[] = {
		59, 1, 6, 0, 0, 0, 0, 0, 0, 1, 0, 1, /* BA */
		0, 0, 0, 3,			/* Pad1 x3, then type 3 without length */
	};
	CHECK_EQ(t_msg(DEC_P_MH, lone, sizeof lone, "ba_lone"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mh.opt.len");
}

static void test_mh_unknown(void)
{
	/* MH type 12 (not in RFC 6275): unknown, header fields kept */
	static const uint8_t t12[] = { 59, 0, 12, 0, 0, 0, 0, 0 };
	CHECK_EQ(t_msg(DEC_P_MH, t12, sizeof t12, "type12"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "mh.type");
	CHECK_EQ(t_u("mh.type"), 12);
	/* unknown option 200 between known ones: decoding goes on */
	static const uint8_t opt200[] = {
		59, 2, 6, 0, 0, 0, 0, 0, 0, 2, 0, 4, /* BA status 0, seq 2, lifetime 4 */
		200, 2, 0xaa, 0xbb,		/* option 200, length 2 */
		2, 2, 0, 5,			/* binding refresh advice 5 */
		1, 2, 0, 0,			/* PadN 2 */
	};
	CHECK_EQ(t_msg(DEC_P_MH, opt200, sizeof opt200, "ba_opt200"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "mh.opt.type");
	CHECK_EQ(t_u("mh.opt.unknown"), 200);
	CHECK_EQ(t_u("mh.opt.bra.interval"), 5);
	CHECK_EQ(t_count("mh.opt.type"), 2);
	/* the six-byte header itself cut short */
	CHECK_EQ(t_msg(DEC_P_MH, t12, 4, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "frame.len");
}

T_MAIN_BEGIN("decode_mh")
	RUN(test_mh_known_good_bu);
	RUN(test_mh_messages);
	RUN(test_mh_checksum_every_type);
	RUN(test_mh_truncated_every_type);
	RUN(test_mh_truncated_keeps_fields);
	RUN(test_mh_malformed_every_type);
	RUN(test_mh_option_errors);
	RUN(test_mh_unknown);
T_MAIN_END
