/* test_medium_snoop.c — the LAN snooping parser and ownership table
 * (medium_snoop.h), fed frames written out byte by byte. No root. */
#include <stdint.h>
#include "t.h"
#include "medium_snoop.h"

/* Ethernet header: type, then dst; src 02:00:00:00:00:01 */
#define ETH(t0, t1, ...) __VA_ARGS__, 2, 0, 0, 0, 0, 1, t0, t1
#define BCAST 0xff, 0xff, 0xff, 0xff, 0xff, 0xff

/* ARP request: who has 10.0.0.7? tell 10.0.0.1 */
static const uint8_t arp_req[] = {
	ETH(0x08, 0x06, BCAST),
	0, 1, 0x08, 0x00, 6, 4, 0, 1,		/* Ethernet/IPv4, op 1 request */
	2, 0, 0, 0, 0, 1, 10, 0, 0, 1,		/* sender MAC, 10.0.0.1 */
	0, 0, 0, 0, 0, 0, 10, 0, 0, 7,		/* target MAC unknown, 10.0.0.7 */
};
/* gratuitous ARP: 10.0.0.1 announces itself */
static const uint8_t arp_grat[] = {
	ETH(0x08, 0x06, BCAST),
	0, 1, 0x08, 0x00, 6, 4, 0, 1,
	2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
	0, 0, 0, 0, 0, 0, 10, 0, 0, 1,
};
/* IPv6 header: payload length, next header, hop limit 255, src fe80::src15, dst */
#define IP6(plen, nh, src15, ...) 0x60, 0, 0, 0, 0, plen, nh, 255, \
	0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, src15, __VA_ARGS__
#define DST_SOL7 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 7
#define TGT_FD7 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7
/* NS from fe80::1 for fd00::7, to ff02::1:ff00:7 (33:33:ff:00:00:07) */
static const uint8_t ns_sol[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0xff, 0, 0, 7),
	IP6(24, 58, 1, DST_SOL7),
	135, 0, 0, 0, 0, 0, 0, 0, TGT_FD7,	/* type, code, checksum, reserved, target */
};
/* DAD probe: the same NS from the unspecified address */
static const uint8_t ns_dad[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0xff, 0, 0, 7),
	0x60, 0, 0, 0, 0, 24, 58, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, DST_SOL7,
	135, 0, 0, 0, 0, 0, 0, 0, TGT_FD7,
};
/* unsolicited NA for fd00::7 to ff02::1 */
static const uint8_t na_all[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0, 0, 0, 1),
	IP6(24, 58, 1, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
	136, 0, 0, 0, 0x20, 0, 0, 0, TGT_FD7,
};
/* MLDv2 report to ff02::16 behind a hop-by-hop Router Alert option */
static const uint8_t mld2[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0, 0, 0, 0x16),
	IP6(36, 0, 1, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16),
	58, 0, 5, 2, 0, 0, 1, 0,		/* next 58, len 0, Router Alert (MLD), PadN */
	143, 0, 0, 0, 0, 0, 0, 1,		/* report, 1 record */
	4, 0, 0, 0, DST_SOL7,			/* CHANGE_TO_EXCLUDE ff02::1:ff00:7 */
};
/* Router Solicitation and Router Advertisement */
static const uint8_t rs[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0, 0, 0, 2),
	IP6(8, 58, 1, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2),
	133, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t ra[] = {
	ETH(0x86, 0xdd, 0x33, 0x33, 0, 0, 0, 1),
	IP6(16, 58, 1, 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
	134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void parse_arp(void)
{
	struct snoop_info si;
	snoop_parse(arp_req, sizeof(arp_req), &si);
	CHECK_STR(snoop_kind_names[si.kind], "owners");
	CHECK_EQ(si.target.fam, 4);
	CHECK(!memcmp(si.target.a, "\x0a\x00\x00\x07", 4));
	CHECK_EQ(si.claim.fam, 4);
	CHECK(!memcmp(si.claim.a, "\x0a\x00\x00\x01", 4));
	snoop_parse(arp_grat, sizeof(arp_grat), &si);
	CHECK_STR(snoop_kind_names[si.kind], "flood");	/* everyone must update its cache */
	CHECK_EQ(si.claim.fam, 4);
	/* cut anywhere: flooded, nothing learnt */
	for (size_t n = 0; n < sizeof(arp_req); n++) {
		snoop_parse(arp_req, n, &si);
		CHECK(si.kind == SNOOP_FLOOD && !si.claim.fam && !si.target.fam);
	}
}

static void parse_nd(void)
{
	static const uint8_t fd7[16] = { TGT_FD7 };
	static const uint8_t fe1[16] = { 0xfe, 0x80, [15] = 1 };
	struct snoop_info si;
	snoop_parse(ns_sol, sizeof(ns_sol), &si);
	CHECK_STR(snoop_kind_names[si.kind], "owners");
	CHECK(si.target.fam == 6 && !memcmp(si.target.a, fd7, 16));
	CHECK(si.claim.fam == 6 && !memcmp(si.claim.a, fe1, 16));	/* its source */
	snoop_parse(ns_dad, sizeof(ns_dad), &si);
	CHECK_STR(snoop_kind_names[si.kind], "owners");
	CHECK(si.claim.fam == 6 && !memcmp(si.claim.a, fd7, 16));	/* the probed address */
	snoop_parse(na_all, sizeof(na_all), &si);
	CHECK_STR(snoop_kind_names[si.kind], "flood");
	CHECK(si.claim.fam == 6 && !memcmp(si.claim.a, fd7, 16));
	for (size_t n = 0; n < sizeof(ns_sol); n++) {
		snoop_parse(ns_sol, n, &si);
		CHECK(si.kind == SNOOP_FLOOD && !si.claim.fam);
	}
}

static void parse_mld_router(void)
{
	struct snoop_info si;
	snoop_parse(mld2, sizeof(mld2), &si);
	CHECK_STR(snoop_kind_names[si.kind], "routers");
	CHECK(!si.router);
	snoop_parse(mld2, 14 + 40 + 8 + 2, &si);	/* ICMPv6 header cut */
	CHECK_STR(snoop_kind_names[si.kind], "flood");
	snoop_parse(rs, sizeof(rs), &si);
	CHECK_STR(snoop_kind_names[si.kind], "routers");
	snoop_parse(ra, sizeof(ra), &si);
	CHECK_STR(snoop_kind_names[si.kind], "flood");
	CHECK(si.router);
	uint8_t ip4[sizeof(rs)];			/* not IPv6 after all: version 4 */
	memcpy(ip4, rs, sizeof(rs));
	ip4[14] = 0x45;
	snoop_parse(ip4, sizeof(ip4), &si);
	CHECK_STR(snoop_kind_names[si.kind], "flood");
}

static void collect(void *ctx, int port)
{
	int *v = ctx;
	v[1 + v[0]++] = port;
}

static void table(void)
{
	struct msnoop *s = msnoop_new();
	CHECK(s != NULL);
	if (!s)
		return;
	struct snoop_addr a = { .fam = 4, .a = { 10, 0, 0, 7 } }, b = a, ll;
	b.fam = 6;			/* the same bytes, another family: another address */
	for (int p = 0; p < 3000; p++) {	/* grows past its first size */
		struct snoop_addr x = { .fam = 6, .a = { 0xfd, [14] = (uint8_t)(p >> 8), [15] = (uint8_t)p } };
		CHECK(msnoop_claim(s, &x, p));
	}
	CHECK(msnoop_claim(s, &a, 7));
	CHECK(msnoop_claim(s, &a, 7));	/* once only */
	CHECK(msnoop_claim(s, &a, 3001));	/* a second owner (a proxy) */
	int v[8] = { 0 };
	CHECK_EQ(msnoop_owners(s, &a, collect, v), 2);
	CHECK((v[1] == 7 && v[2] == 3001) || (v[1] == 3001 && v[2] == 7));
	v[0] = 0;
	CHECK_EQ(msnoop_owners(s, &b, collect, v), 0);
	struct snoop_addr x = { .fam = 6, .a = { 0xfd, [14] = 2999 >> 8, [15] = (uint8_t)2999 } };
	v[0] = 0;
	CHECK_EQ(msnoop_owners(s, &x, collect, v), 1);
	CHECK_EQ(v[1], 2999);
	static const uint8_t mac[6] = { 0x02, 0x55, 0x5e, 0xdd, 0x17, 0xb8 };
	static const uint8_t want[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x00, 0x55, 0x5e, 0xff, 0xfe, 0xdd, 0x17, 0xb8 };
	snoop_link_local(mac, &ll);		/* fe80::55:5eff:fedd:17b8 */
	CHECK(ll.fam == 6 && !memcmp(ll.a, want, 16));
	msnoop_free(s);
}

T_MAIN_BEGIN("medium_snoop")
	RUN(parse_arp);
	RUN(parse_nd);
	RUN(parse_mld_router);
	RUN(table);
T_MAIN_END
