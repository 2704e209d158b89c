/* test_decode_mip4.c — Mobile IPv4 registration request and reply on UDP
 * 434 (RFC 5944 §3.3, §3.4) with authentication extensions (§3.5) and the
 * MN-NAI extension (RFC 2794). */
#include "test_decode.h"

#define A4_HOME 192, 0, 2, 10
#define A4_HA 192, 0, 2, 1
#define A4_COA 198, 51, 100, 7
#define AUTH16(x) x, x + 1, x + 2, x + 3, x + 4, x + 5, x + 6, x + 7, \
	x + 8, x + 9, x + 10, x + 11, x + 12, x + 13, x + 14, x + 15

static const uint8_t rrq[] = {
	1,			/* type 1: registration request */
	0x42,			/* flags B T */
	0x07, 0x08,		/* lifetime 1800 s */
	A4_HOME,		/* home address */
	A4_HA,			/* home agent */
	A4_COA,			/* care-of address */
	0xe0, 0, 0, 0, 0, 0, 0, 1, /* identification */
	131, 7, 'm', 'n', '@', 'r', 'o', 'a', 'm', /* MN-NAI */
	32, 20,			/* MN-HA authentication, length 20 */
	0, 0, 1, 0,		/* SPI 256 */
	AUTH16(0xc0),		/* authenticator */
};
static const uint8_t rrp[] = {
	3,			/* type 3: registration reply */
	0,			/* code 0: accepted */
	0x07, 0x08,		/* lifetime 1800 */
	A4_HOME, A4_HA,
	0xe0, 0, 0, 0, 0, 0, 0, 1, /* identification */
	32, 20, 0, 0, 1, 0, AUTH16(0xd0), /* MN-HA */
};
static const uint8_t rrq_fa[] = {
	1, 0x00, 0x00, 0x3c, A4_HOME, A4_HA, A4_COA, 0, 0, 0, 0, 0, 0, 0, 2,
	32, 20, 0, 0, 1, 0, AUTH16(0x10), /* MN-HA, SPI 256 */
	33, 20, 0, 0, 2, 0, AUTH16(0x20), /* MN-FA, SPI 512 */
	34, 20, 0, 0, 3, 0, AUTH16(0x30), /* FA-HA, SPI 768 */
};

static void test_mip4_messages(void)
{
	CHECK_EQ(t_msg(DEC_P_MIP4, rrq, sizeof rrq, "rrq"), DEC_OK);
	CHECK_EQ(t_u("mip4.type"), 1);
	CHECK_EQ(t_u("mip4.rrq.flags.S"), 0);
	CHECK_EQ(t_u("mip4.rrq.flags.B"), 1);
	CHECK_EQ(t_u("mip4.rrq.flags.D"), 0);
	CHECK_EQ(t_u("mip4.rrq.flags.T"), 1);
	CHECK_EQ(t_u("mip4.rrq.lifetime"), 1800);
	CHECK_STR(t_txt("mip4.rrq.home"), "192.0.2.10");
	CHECK_STR(t_txt("mip4.rrq.ha"), "192.0.2.1");
	CHECK_STR(t_txt("mip4.rrq.coa"), "198.51.100.7");
	CHECK_EQ(t_u("mip4.rrq.id"), 0xe000000000000001ull);
	CHECK_STR(t_txt("mip4.ext.nai"), "mn@roam");
	CHECK_EQ(t_u("mip4.ext.mnha.spi"), 256);
	CHECK_STR(t_txt("mip4.ext.mnha.auth"), "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
	const struct dec_field *a = t_f("mip4.ext.mnha.auth");
	CHECK(a && a->off == 24 + 9 + 6 && a->len == 16);

	CHECK_EQ(t_msg(DEC_P_MIP4, rrp, sizeof rrp, "rrp"), DEC_OK);
	CHECK_EQ(t_u("mip4.rrp.code"), 0);
	CHECK_EQ(t_u("mip4.rrp.lifetime"), 1800);
	CHECK_STR(t_txt("mip4.rrp.home"), "192.0.2.10");
	CHECK_EQ(t_u("mip4.rrp.id"), 0xe000000000000001ull);
	CHECK_STR(t_txt("mip4.ext.mnha.auth"), "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf");

	CHECK_EQ(t_msg(DEC_P_MIP4, rrq_fa, sizeof rrq_fa, "rrq_fa"), DEC_OK);
	CHECK_EQ(t_u("mip4.ext.mnha.spi"), 256);
	CHECK_EQ(t_u("mip4.ext.mnfa.spi"), 512);
	CHECK_EQ(t_u("mip4.ext.faha.spi"), 768);
	CHECK_STR(t_txt("mip4.ext.faha.auth"), "303132333435363738393a3b3c3d3e3f");
	CHECK_EQ(t_count("mip4.ext.type"), 3);
}

static void test_mip4_malformed_unknown(void)
{
	uint8_t b[128];

	/* every message type shorter than its fixed part */
	CHECK_EQ(t_msg(DEC_P_MIP4, rrq, 20, "rrq_short"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mip4.type");
	CHECK_EQ(t_msg(DEC_P_MIP4, rrp, 16, "rrp_short"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mip4.type");
	/* extension length beyond the message */
	memcpy(b, rrq, sizeof rrq);
	b[34] = 21;
	CHECK_EQ(t_msg(DEC_P_MIP4, b, sizeof rrq, "rrq_extlen"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mip4.ext.len");
	/* authentication extension with no room for the SPI */
	memcpy(b, rrp, 20);
	memcpy(b + 20, (const uint8_t[]){ 32, 3, 0, 0, 1 }, 5);
	CHECK_EQ(t_msg(DEC_P_MIP4, b, 25, "rrp_auth3"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mip4.ext.len");
	/* extension type with no length */
	memcpy(b, rrp, 21);
	CHECK_EQ(t_msg(DEC_P_MIP4, b, 21, "rrp_lone"), DEC_MALFORMED);
	/* an extension not decoded: generic, unknown */
	memcpy(b, rrp, 20);
	memcpy(b + 20, (const uint8_t[]){ 36, 2, 0xab, 0xcd }, 4);
	memcpy(b + 24, rrp + 20, sizeof rrp - 20);
	CHECK_EQ(t_msg(DEC_P_MIP4, b, sizeof rrp + 4, "rrp_ext36"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "mip4.ext.type");
	CHECK_STR(t_txt("mip4.ext.data"), "abcd");
	CHECK_EQ(t_u("mip4.ext.mnha.spi"), 256);
	/* message types other than 1 and 3 */
	static const uint8_t t2[] = { 2, 0, 0, 0 };
	CHECK_EQ(t_msg(DEC_P_MIP4, t2, sizeof t2, "type2"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "mip4.type");
}

/* In Ethernet + IPv4 + UDP 434 with checksums, then cut by the capture. */
static void test_mip4_in_udp(void)
{
	uint8_t f[14 + 20 + 8 + sizeof rrq] = {
		ETH_HDR4,
		0x45, 0, 0, 20 + 8 + sizeof rrq, 0, 9, 0, 0, 64, 17, 0, 0, /* IPv4, UDP */
		A4_COA, A4_HA,
		0x01, 0xb2, 0x01, 0xb2, 0, 8 + sizeof rrq, 0, 0, /* UDP 434 -> 434 */
	};
	size_t n = sizeof f;

	memcpy(f + 42, rrq, sizeof rrq);
	t_cksum(f, 14, 20, 24, NULL, NULL, 0, 0);
	t_cksum(f, 34, 8 + sizeof rrq, 40, f + 26, f + 30, 4, 17);
	CHECK_EQ(t_frame(f, n, "ip4_rrq"), DEC_OK);
	CHECK_EQ(t_u("udp.cksum_ok"), 1);
	CHECK_EQ(t_u("mip4.rrq.lifetime"), 1800);
	for (size_t cut = 43; cut < n; cut += 4) {
		CHECK_EQ(dec_frame(f, cut, n, 1, &t_rec), DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "mip4");
	}
	CHECK_EQ(t_u("mip4.type"), 1);	/* what was there is kept */
	/* cut inside the care-of address: the fields before it are whole */
	CHECK_EQ(dec_frame(f, 42 + 14, n, 1, &t_rec), DEC_TRUNCATED);
	CHECK_EQ(t_u("mip4.rrq.flags.B"), 1);
	CHECK_EQ(t_u("mip4.rrq.lifetime"), 1800);
	CHECK_STR(t_txt("mip4.rrq.home"), "192.0.2.10");
	CHECK_STR(t_txt("mip4.rrq.ha"), "192.0.2.1");
	CHECK_STR(t_txt("mip4.rrq.coa"), "(absent)");
	CHECK_EQ(t_u("mip4.rrq.id"), ~0ull);
	/* cut inside the identification: the care-of address is kept */
	CHECK_EQ(dec_frame(f, 42 + 20, n, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_txt("mip4.rrq.coa"), "198.51.100.7");
	CHECK_EQ(t_u("mip4.rrq.id"), ~0ull);
	CHECK_STR(t_vfield(), "mip4");
	/* the same cut without the capture's snap length is malformed */
	CHECK_EQ(t_msg(DEC_P_MIP4, rrq, 20, NULL), DEC_MALFORMED);
}

T_MAIN_BEGIN("decode_mip4")
	RUN(test_mip4_messages);
	RUN(test_mip4_malformed_unknown);
	RUN(test_mip4_in_udp);
T_MAIN_END
