/* test_decode_icmp.c — ICMP router discovery with the Mobile IPv4 agent
 * advertisement extensions (RFC 5944 §2.1), ICMPv6 neighbour discovery with
 * the MIPv6 / HMIPv6 options (RFC 4861, 6275 §7, 5380), DHAAD and mobile
 * prefix messages (RFC 6275 §6.5-6.8). */
#include "test_decode.h"

/* Agent advertisement: router advertisement + extensions 16, 19, 0. */
static const uint8_t agent_adv[] = {
	9, 16,			/* type 9 router advertisement, code 16 (mobility agent only) */
	0, 0,			/* checksum */
	1, 2,			/* 1 address, entry size 2 words */
	0x07, 0x08,		/* lifetime 1800 */
	192, 0, 2, 1,		/* router address */
	0, 0, 0, 0,		/* preference 0 */
	16, 10,			/* mobility agent advertisement, length 10 */
	0x00, 0x05,		/* sequence 5 */
	0x01, 0x2c,		/* registration lifetime 300 */
	0x91, 0x00,		/* flags R F T */
	198, 51, 100, 7,	/* care-of address */
	19, 1, 24,		/* prefix-lengths: /24 */
	0,			/* one-byte padding */
};

static void test_agent_advertisement(void)
{
	uint8_t b[sizeof agent_adv];

	memcpy(b, agent_adv, sizeof b);
	t_cksum(b, 0, sizeof b, 2, NULL, NULL, 0, 0);
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, "agent_adv"), DEC_OK);
	CHECK_EQ(t_u("icmp.type"), 9);
	CHECK_EQ(t_u("icmp.code"), 16);
	CHECK_EQ(t_u("icmp.cksum_ok"), 1);
	CHECK_EQ(t_u("icmp.ra.num"), 1);
	CHECK_EQ(t_u("icmp.ra.lifetime"), 1800);
	CHECK_STR(t_txt("icmp.ra.addr"), "192.0.2.1");
	CHECK_EQ(t_u("mip4.adv.seq"), 5);
	CHECK_EQ(t_u("mip4.adv.lifetime"), 300);
	CHECK_EQ(t_u("mip4.adv.flags.R"), 1);
	CHECK_EQ(t_u("mip4.adv.flags.B"), 0);
	CHECK_EQ(t_u("mip4.adv.flags.F"), 1);
	CHECK_EQ(t_u("mip4.adv.flags.T"), 1);
	CHECK_EQ(t_u("mip4.adv.flags.U"), 0);
	CHECK_STR(t_txt("mip4.adv.coa"), "198.51.100.7");
	CHECK_EQ(t_u("mip4.adv.plen"), 24);
	CHECK_EQ(t_count("icmp.ext.type"), 2);

	/* mobility agent extension of length 7 (not 6 + 4n) */
	memcpy(b, agent_adv, sizeof b);
	b[17] = 7;
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, "agent_adv_len7"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "icmp.ext.type");
	/* extension length beyond the message */
	memcpy(b, agent_adv, sizeof b);
	b[17] = 40;
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, "agent_adv_len40"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "icmp.ext.type");
	/* five router addresses announced, 3.5 there */
	memcpy(b, agent_adv, sizeof b);
	b[4] = 5;
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, "agent_adv_num5"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "frame.len");
	/* entry size 1 */
	memcpy(b, agent_adv, sizeof b);
	b[5] = 1;
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "icmp.ra.esize");
	/* an unknown extension */
	memcpy(b, agent_adv, sizeof b);
	b[28] = 99;
	CHECK_EQ(t_msg(DEC_P_ICMP, b, sizeof b, NULL), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "icmp.ext.type");
	/* router solicitation */
	static const uint8_t rs[] = { 10, 0, 0xf5, 0xff, 0, 0, 0, 0 };
	CHECK_EQ(t_msg(DEC_P_ICMP, rs, sizeof rs, "rtr_sol"), DEC_OK);
	CHECK_EQ(t_u("icmp.cksum_ok"), 1);
	CHECK_EQ(t_msg(DEC_P_ICMP, rs, 6, NULL), DEC_MALFORMED);
}

static void test_agent_adv_truncated(void)
{
	uint8_t f[14 + 20 + sizeof agent_adv] = {
		ETH_HDR4,
		0x45, 0, 0, 20 + sizeof agent_adv, 0, 1, 0, 0, 1, 1, 0, 0, /* IPv4, TTL 1, ICMP */
		192, 0, 2, 1, 255, 255, 255, 255,
	};
	memcpy(f + 34, agent_adv, sizeof agent_adv);
	t_cksum(f, 14, 20, 24, NULL, NULL, 0, 0);
	t_cksum(f, 34, sizeof agent_adv, 36, NULL, NULL, 0, 0);
	CHECK_EQ(t_frame(f, sizeof f, "ip4_agent_adv"), DEC_OK);
	for (size_t cut = 35; cut < sizeof f; cut += 3) {
		CHECK_EQ(dec_frame(f, cut, sizeof f, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "icmp");
	}
}

/* Neighbour discovery and MIPv6 ICMPv6 messages (checksums zero here). */
static const uint8_t nd_rs[] = {
	133, 0, 0, 0,		/* router solicitation */
	0, 0, 0, 0,		/* reserved */
	1, 1, MAC_MN,		/* source link-layer address */
};
static const uint8_t nd_ra[] = {
	134, 0, 0, 0,		/* router advertisement */
	64,			/* cur hop limit */
	0xa8,			/* flags M H, preference 1 */
	0x07, 0x08,		/* router lifetime 1800 */
	0, 0, 0, 0,		/* reachable time */
	0, 0, 0, 0,		/* retrans timer */
	1, 1, MAC_RT,		/* source link-layer address */
	5, 1, 0, 0, 0, 0, 0x05, 0xdc, /* MTU 1500 */
	3, 4, 64, 0xe0,		/* prefix information, length 4, /64, L A R */
	0x00, 0x27, 0x8d, 0x00,	/* valid 2592000 */
	0x00, 0x09, 0x3a, 0x80,	/* preferred 604800 */
	0, 0, 0, 0,		/* reserved */
	A6_HA,			/* prefix field carries the router address (R flag) */
	7, 1, 0, 0, 0, 0, 0, 70, /* advertisement interval 70 ms */
	8, 1, 0, 0, 0, 10, 0x07, 0x08, /* home agent information: pref 10, lifetime 1800 */
	23, 3, 0x12, 0x80,	/* MAP: distance 1, preference 2, R */
	0x00, 0x00, 0x0e, 0x10,	/* valid lifetime 3600 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* MAP 2001:db8:5::1 */
};
static const uint8_t nd_ns[] = {
	135, 0, 0, 0, 0, 0, 0, 0,	/* neighbour solicitation, reserved */
	A6_HOA,				/* target */
	1, 1, MAC_MN,			/* source link-layer address */
};
static const uint8_t nd_na[] = {
	136, 0, 0, 0,
	0x60, 0, 0, 0,			/* flags S O */
	A6_HOA,				/* target */
	2, 1, MAC_MN,			/* target link-layer address */
};
static const uint8_t nd_redirect[] = {
	137, 0, 0, 0, 0, 0, 0, 0,	/* redirect, reserved */
	A6_LL_RT,			/* target */
	A6_CN,				/* destination */
	2, 1, MAC_RT,			/* target link-layer address */
};
static const uint8_t dhaad_req[] = {
	144, 0, 0, 0,
	0x12, 0x34, 0, 0,		/* identifier 0x1234, reserved */
};
static const uint8_t dhaad_rep[] = {
	145, 0, 0, 0,
	0x12, 0x34, 0, 0,		/* identifier, reserved */
	A6_HA,				/* home agent addresses, by preference */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
};
static const uint8_t mps[] = {
	146, 0, 0, 0, 0x00, 0x42, 0, 0,	/* mobile prefix solicitation, id 0x42 */
};
static const uint8_t mpa[] = {
	147, 0, 0, 0,
	0x00, 0x42,			/* identifier */
	0x80, 0x00,			/* flags M */
	3, 4, 64, 0xc0, 0, 0, 0x0e, 0x10, 0, 0, 0x07, 0x08, 0, 0, 0, 0, /* prefix, L A */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static const struct icmp6_case {
	const char *name;
	const uint8_t *b;
	size_t n;
	size_t fixed;		/* bytes before the options */
} icmp6_cases[] = {
	{ "rs", nd_rs, sizeof nd_rs, 8 },
	{ "ra", nd_ra, sizeof nd_ra, 16 },
	{ "ns", nd_ns, sizeof nd_ns, 24 },
	{ "na", nd_na, sizeof nd_na, 24 },
	{ "redirect", nd_redirect, sizeof nd_redirect, 40 },
	{ "dhaad_req", dhaad_req, sizeof dhaad_req, 8 },
	{ "dhaad_rep", dhaad_rep, sizeof dhaad_rep, 8 },
	{ "mps", mps, sizeof mps, 8 },
	{ "mpa", mpa, sizeof mpa, 8 },
};

static void test_nd_messages(void)
{
	CHECK_EQ(t_msg(DEC_P_ICMP6, nd_rs, sizeof nd_rs, "rs"), DEC_OK);
	CHECK_STR(t_txt("nd.opt.sll"), "02:00:00:00:00:01");

	CHECK_EQ(t_msg(DEC_P_ICMP6, nd_ra, sizeof nd_ra, "ra"), DEC_OK);
	CHECK_EQ(t_u("nd.ra.hlim"), 64);
	CHECK_EQ(t_u("nd.ra.flags.M"), 1);
	CHECK_EQ(t_u("nd.ra.flags.O"), 0);
	CHECK_EQ(t_u("nd.ra.flags.H"), 1);
	CHECK_EQ(t_u("nd.ra.prf"), 1);
	CHECK_EQ(t_u("nd.ra.lifetime"), 1800);
	CHECK_EQ(t_u("nd.ra.opt.mtu"), 1500);
	CHECK_STR(t_txt("nd.ra.opt.prefix"), "2001:db8:1::1");
	CHECK_EQ(t_u("nd.ra.opt.prefix.len"), 64);
	CHECK_EQ(t_u("nd.ra.opt.prefix.flags.L"), 1);
	CHECK_EQ(t_u("nd.ra.opt.prefix.flags.A"), 1);
	CHECK_EQ(t_u("nd.ra.opt.prefix.flags.R"), 1);
	CHECK_EQ(t_u("nd.ra.opt.prefix.valid"), 2592000);
	CHECK_EQ(t_u("nd.ra.opt.prefix.preferred"), 604800);
	CHECK_EQ(t_u("nd.ra.opt.advint"), 70);
	CHECK_EQ(t_u("nd.ra.opt.hainfo.pref"), 10);
	CHECK_EQ(t_u("nd.ra.opt.hainfo.lifetime"), 1800);
	CHECK_EQ(t_u("nd.ra.opt.map.dist"), 1);
	CHECK_EQ(t_u("nd.ra.opt.map.pref"), 2);
	CHECK_EQ(t_u("nd.ra.opt.map.flags.R"), 1);
	CHECK_EQ(t_u("nd.ra.opt.map.valid"), 3600);
	CHECK_STR(t_txt("nd.ra.opt.map.addr"), "2001:db8:5::1");
	CHECK_EQ(t_count("nd.opt.type"), 6);
	const struct dec_field *adv = t_f("nd.ra.opt.advint");
	CHECK(adv && adv->grp == 4);	/* the fourth option */

	CHECK_EQ(t_msg(DEC_P_ICMP6, nd_ns, sizeof nd_ns, "ns"), DEC_OK);
	CHECK_STR(t_txt("nd.ns.target"), "2001:db8:1::10");
	CHECK_EQ(t_msg(DEC_P_ICMP6, nd_na, sizeof nd_na, "na"), DEC_OK);
	CHECK_EQ(t_u("nd.na.flags.R"), 0);
	CHECK_EQ(t_u("nd.na.flags.S"), 1);
	CHECK_EQ(t_u("nd.na.flags.O"), 1);
	CHECK_STR(t_txt("nd.opt.tll"), "02:00:00:00:00:01");
	CHECK_EQ(t_msg(DEC_P_ICMP6, nd_redirect, sizeof nd_redirect, "redirect"), DEC_OK);
	CHECK_STR(t_txt("nd.redir.target"), "fe80::2");
	CHECK_STR(t_txt("nd.redir.dst"), "2001:db8:3::1");

	CHECK_EQ(t_msg(DEC_P_ICMP6, dhaad_req, sizeof dhaad_req, "dhaad_req"), DEC_OK);
	CHECK_EQ(t_u("dhaad.id"), 0x1234);
	CHECK_EQ(t_msg(DEC_P_ICMP6, dhaad_rep, sizeof dhaad_rep, "dhaad_rep"), DEC_OK);
	CHECK_EQ(t_count("dhaad.ha"), 2);
	CHECK_STR(t_txt("dhaad.ha"), "2001:db8:1::1");
	CHECK_EQ(t_msg(DEC_P_ICMP6, mps, sizeof mps, "mps"), DEC_OK);
	CHECK_EQ(t_u("mps.id"), 0x42);
	CHECK_EQ(t_msg(DEC_P_ICMP6, mpa, sizeof mpa, "mpa"), DEC_OK);
	CHECK_EQ(t_u("mpa.id"), 0x42);
	CHECK_EQ(t_u("mpa.flags.M"), 1);
	CHECK_EQ(t_u("mpa.flags.O"), 0);
	CHECK_STR(t_txt("nd.ra.opt.prefix"), "2001:db8:1::");
}

/* Each message in Ethernet + IPv6 with its checksum; then cut. */
static size_t icmp6_wrap(const uint8_t *m, size_t n, uint8_t *out)
{
	static const uint8_t hdr[] = {
		ETH_HDR6, 0x60, 0, 0, 0, 0, 0, 58, 255, A6_LL_RT, A6_ALLN,
	};
	memcpy(out, hdr, sizeof hdr);
	memcpy(out + sizeof hdr, m, n);
	out[19] = (uint8_t)n;
	t_cksum(out, sizeof hdr, n, sizeof hdr + 2, out + 22, out + 38, 16, 58);
	return sizeof hdr + n;
}

static void test_icmp6_checksum_truncated(void)
{
	uint8_t f[256];

	for (size_t i = 0; i < sizeof icmp6_cases / sizeof *icmp6_cases; i++) {
		char seed[64];
		snprintf(seed, sizeof seed, "ip6_%s", icmp6_cases[i].name);
		size_t n = icmp6_wrap(icmp6_cases[i].b, icmp6_cases[i].n, f);
		CHECK_EQ(t_frame(f, n, seed), DEC_OK);
		CHECK_EQ(t_u("icmp6.cksum_ok"), 1);
		CHECK_EQ(dec_frame(f, n - 1, n, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "icmp6");
		CHECK_EQ(dec_frame(f, 14 + 40 + 6, n, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "icmp6");
		f[n - 1] ^= 0x40;
		CHECK_EQ(t_frame(f, n, NULL), DEC_OK);
		CHECK_EQ(t_u("icmp6.cksum_ok"), 0);
	}
}

/* Cut by the capture inside the body: every whole field is kept. */
static void test_icmp6_truncated_keeps_fields(void)
{
	uint8_t f[256];
	const size_t h = 14 + 40;	/* the ICMPv6 message starts here */
	size_t n = icmp6_wrap(nd_ra, sizeof nd_ra, f);

	CHECK_EQ(dec_frame(f, h + 9, n, 1, &t_rec), DEC_TRUNCATED);	/* inside the reachable time */
	CHECK_STR(t_vfield(), "icmp6");
	CHECK_EQ(t_u("nd.ra.hlim"), 64);
	CHECK_EQ(t_u("nd.ra.flags.H"), 1);
	CHECK_EQ(t_u("nd.ra.lifetime"), 1800);
	CHECK_EQ(t_u("nd.ra.reachable"), ~0ull);
	CHECK_EQ(t_count("nd.opt.type"), 0);
	n = icmp6_wrap(nd_na, sizeof nd_na, f);
	CHECK_EQ(dec_frame(f, h + 12, n, 1, &t_rec), DEC_TRUNCATED);	/* inside the target */
	CHECK_EQ(t_u("nd.na.flags.S"), 1);
	CHECK_STR(t_txt("nd.na.target"), "(absent)");
	n = icmp6_wrap(dhaad_rep, sizeof dhaad_rep, f);
	CHECK_EQ(dec_frame(f, h + 8 + 16 + 5, n, 1, &t_rec), DEC_TRUNCATED);	/* inside the second address */
	CHECK_EQ(t_u("dhaad.id"), 0x1234);
	CHECK_EQ(t_count("dhaad.ha"), 1);
	CHECK_STR(t_txt("dhaad.ha"), "2001:db8:1::1");
	CHECK_EQ(dec_frame(f, h + 5, n, 1, &t_rec), DEC_TRUNCATED);	/* inside the identifier */
	CHECK_EQ(t_u("dhaad.id"), ~0ull);
	CHECK_EQ(t_u("icmp6.type"), 145);
}

static void test_icmp6_malformed(void)
{
	uint8_t b[256];

	/* every message cut short of its fixed part, in a complete packet */
	for (size_t i = 0; i < sizeof icmp6_cases / sizeof *icmp6_cases; i++) {
		char seed[64];
		snprintf(seed, sizeof seed, "%s_short", icmp6_cases[i].name);
		CHECK_EQ(t_msg(DEC_P_ICMP6, icmp6_cases[i].b, icmp6_cases[i].fixed - 2, seed),
			 DEC_MALFORMED);
		CHECK_STR(t_vfield(), "icmp6.type");
	}
	/* option length 0 */
	memcpy(b, nd_ra, sizeof nd_ra);
	b[17] = 0;
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, sizeof nd_ra, "ra_optlen0"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "nd.opt.len");
	/* prefix option of length 3 */
	memcpy(b, nd_ra, sizeof nd_ra);
	b[33] = 3;
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, sizeof nd_ra, "ra_prefix3"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "nd.opt.len");
	/* MAP option of length 4, running past the end */
	memcpy(b, nd_ra, sizeof nd_ra);
	b[sizeof nd_ra - 23] = 4;
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, sizeof nd_ra, "ra_map4"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "nd.opt.len");
	/* advertisement interval option of length 2 */
	memcpy(b, nd_ra, sizeof nd_ra);
	memcpy(b + sizeof nd_ra, (const uint8_t[]){ 7, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, 16);
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, sizeof nd_ra + 16, "ra_advint2"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "nd.opt.len");
	/* DHAAD reply with 15 bytes of address */
	CHECK_EQ(t_msg(DEC_P_ICMP6, dhaad_rep, sizeof dhaad_rep - 17, "dhaad_rep_15"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "dhaad.ha");
	/* DHAAD request with 8 bytes left over */
	memcpy(b, dhaad_req, sizeof dhaad_req);
	memset(b + 8, 0, 8);
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, 16, "dhaad_req_long"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "icmp6");
}

static void test_icmp6_unknown(void)
{
	static const uint8_t t200[] = { 200, 0, 0, 0, 1, 2, 3, 4 };
	CHECK_EQ(t_msg(DEC_P_ICMP6, t200, sizeof t200, "type200"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "icmp6.type");
	/* RA with an RDNSS option (25): unknown, the others still decoded */
	uint8_t b[sizeof nd_ra + 24];
	memcpy(b, nd_ra, 16);
	memcpy(b + 16, (const uint8_t[]){ 25, 3, 0, 0, 0, 0, 0x0e, 0x10, A6_CN }, 24);
	memcpy(b + 40, nd_ra + 16, sizeof nd_ra - 16);
	CHECK_EQ(t_msg(DEC_P_ICMP6, b, sizeof b, "ra_rdnss"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "nd.opt.type");
	CHECK_EQ(t_u("nd.opt.unknown"), 25);
	CHECK_EQ(t_u("nd.ra.opt.advint"), 70);
	/* echo and errors */
	static const uint8_t echo[] = { 128, 0, 0, 0, 0, 9, 0, 1, 'p', 'i', 'n', 'g' };
	CHECK_EQ(t_msg(DEC_P_ICMP6, echo, sizeof echo, "echo"), DEC_OK);
	CHECK_EQ(t_u("icmp6.echo.id"), 9);
	static const uint8_t ptb[] = { 2, 0, 0, 0, 0, 0, 0x05, 0x00, 0x60, 0, 0, 0 };
	CHECK_EQ(t_msg(DEC_P_ICMP6, ptb, sizeof ptb, "ptb"), DEC_OK);
	CHECK_EQ(t_u("icmp6.mtu"), 1280);
}

T_MAIN_BEGIN("decode_icmp")
	RUN(test_agent_advertisement);
	RUN(test_agent_adv_truncated);
	RUN(test_nd_messages);
	RUN(test_icmp6_checksum_truncated);
	RUN(test_icmp6_truncated_keeps_fields);
	RUN(test_icmp6_malformed);
	RUN(test_icmp6_unknown);
T_MAIN_END
