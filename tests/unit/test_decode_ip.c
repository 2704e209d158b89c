/* test_decode_ip.c — link layer, ARP, IPv4 with options, IPv6 extension
 * headers, tunnels (4, 41 in both IP versions, double encapsulation), UDP,
 * TCP, roam's traffic payload. */
#include "test_decode.h"

#define A4_HA 192, 0, 2, 1		/* home agent */
#define A4_HOME 192, 0, 2, 10		/* mobile node's home address */
#define A4_COA 198, 51, 100, 7		/* care-of address */
#define A4_CN 203, 0, 113, 5		/* correspondent */
#define ROAM_MAGIC 0x52, 0x6f, 0x41, 0x6d	/* "RoAm" */

static void fix_ip4(uint8_t *b, size_t off, size_t hl)
{
	t_cksum(b, off, hl, off + 10, NULL, NULL, 0, 0);
}

static void test_arp(void)
{
	static const uint8_t f[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, MAC_MN, 0x08, 0x06, /* broadcast, ARP */
		0x00, 0x01,		/* hardware type Ethernet */
		0x08, 0x00,		/* protocol IPv4 */
		6, 4,			/* address lengths */
		0x00, 0x01,		/* op 1: request */
		MAC_MN, A4_HOME,	/* sender */
		0, 0, 0, 0, 0, 0, A4_HOME, /* target: gratuitous */
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* padding to 60 */
	};
	CHECK_EQ(t_frame(f, sizeof f, "arp_gratuitous"), DEC_OK);
	CHECK_EQ(t_u("eth.type"), 0x0806);
	CHECK_EQ(t_u("arp.op"), 1);
	CHECK_STR(t_txt("arp.sha"), "02:00:00:00:00:01");
	CHECK_STR(t_txt("arp.spa"), "192.0.2.10");
	CHECK_STR(t_txt("arp.tpa"), "192.0.2.10");
	CHECK_EQ(dec_frame(f, 30, 60, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "arp");
	CHECK_EQ(dec_frame(f, 30, 30, 1, &t_rec), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "frame.len");
}

static void test_vlan_ip4_udp_traffic(void)
{
	uint8_t f[] = {
		MAC_RT, MAC_MN,
		0x81, 0x00,		/* 802.1Q */
		0xa0, 0x64,		/* PCP 5, DEI 0, VLAN 100 */
		0x08, 0x00,		/* IPv4 */
		0x46,			/* version 4, header length 6 words */
		0x00,			/* TOS */
		0x00, 52,		/* total length */
		0x12, 0x34,		/* id */
		0x40, 0x00,		/* DF, offset 0 */
		63, 17,			/* TTL, protocol UDP */
		0, 0,			/* header checksum (set below) */
		A4_CN, A4_HOME,		/* source, destination */
		148, 4, 0, 0,		/* router alert option, value 0 */
		0x9c, 0x40,		/* source port 40000 */
		0x23, 0x29,		/* destination port 9001 */
		0x00, 28,		/* UDP length */
		0, 0,			/* checksum (set below) */
		ROAM_MAGIC,
		0, 0, 0, 3,		/* flow 3 */
		0, 0, 0, 42,		/* sequence 42 */
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0x00, 0x00, 0x01, /* sent (ns) */
	};
	fix_ip4(f, 18, 24);
	t_cksum(f, 42, 28, 48, f + 30, f + 34, 4, 17);
	CHECK_EQ(t_frame(f, sizeof f, "vlan_ip4_traffic"), DEC_OK);
	CHECK_EQ(t_u("vlan.id"), 100);
	CHECK_EQ(t_u("vlan.pcp"), 5);
	CHECK_EQ(t_u("eth.type"), 0x0800);
	CHECK_EQ(t_u("ip.hl"), 24);
	CHECK_EQ(t_u("ip.cksum_ok"), 1);
	CHECK_EQ(t_u("ip.flags.DF"), 1);
	CHECK_EQ(t_u("ip.ttl"), 63);
	CHECK_EQ(t_u("ip.opt.type"), 148);
	CHECK_EQ(t_u("ip.opt.ra"), 0);
	CHECK_STR(t_txt("ip.src"), "203.0.113.5");
	CHECK_EQ(t_u("udp.dport"), 9001);
	CHECK_EQ(t_u("udp.cksum_ok"), 1);
	CHECK_EQ(t_u("traffic.flow"), 3);
	CHECK_EQ(t_u("traffic.seq"), 42);
	CHECK_EQ(t_u("traffic.sent"), 0x0000018bcf000001ull);

	/* header checksum wrong: reported, not fatal */
	f[30] ^= 1;
	CHECK_EQ(t_frame(f, sizeof f, NULL), DEC_OK);
	CHECK_EQ(t_u("ip.cksum_ok"), 0);
	CHECK_EQ(t_u("udp.cksum_ok"), 0);
	f[30] ^= 1;
	/* capture cut inside UDP, inside the IP header */
	CHECK_EQ(dec_frame(f, 44, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "udp");
	CHECK_EQ(dec_frame(f, 55, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "traffic");
	CHECK_EQ(dec_frame(f, 52, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "udp");	/* the magic is not all there */
	CHECK_EQ(dec_frame(f, 30, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "ip");
	/* no magic: plain UDP */
	f[50] = 0;
	CHECK_EQ(t_frame(f, sizeof f, NULL), DEC_OK);
	CHECK(!t_f("traffic.seq"));
	f[50] = 0x52;

	uint8_t g[sizeof f];
	/* IHL 4 */
	memcpy(g, f, sizeof g);
	g[18] = 0x44;
	CHECK_EQ(t_frame(g, sizeof g, "ip4_ihl4"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.hl");
	/* total length below the header length */
	memcpy(g, f, sizeof g);
	g[21] = 20;
	CHECK_EQ(t_frame(g, sizeof g, "ip4_len20"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.len");
	/* total length beyond the frame that was captured whole */
	memcpy(g, f, sizeof g);
	g[21] = 60;
	CHECK_EQ(t_frame(g, sizeof g, "ip4_len60"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.len");
	/* option length 9 in a 4-byte option area */
	memcpy(g, f, sizeof g);
	g[39] = 9;
	CHECK_EQ(t_frame(g, sizeof g, "ip4_optlen"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.opt.type");
	/* UDP length disagrees with the IP payload */
	memcpy(g, f, sizeof g);
	g[47] = 24;
	CHECK_EQ(t_frame(g, sizeof g, "udp_len24"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "udp.len");
	g[47] = 4;
	CHECK_EQ(t_frame(g, sizeof g, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "udp.len");
	/* a fragment is not decoded further */
	memcpy(g, f, sizeof g);
	g[24] = 0x20;		/* MF */
	fix_ip4(g, 18, 24);
	CHECK_EQ(t_frame(g, sizeof g, "ip4_frag"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "ip.frag");
	CHECK_EQ(t_u("ip.flags.MF"), 1);
}

static void test_tcp(void)
{
	uint8_t f[] = {
		ETH_HDR4,
		0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, A4_HOME, A4_CN, /* IPv4, TCP */
		0xc3, 0x50,		/* source port 50000 */
		0x00, 0x50,		/* destination port 80 */
		0, 0, 0, 100,		/* seq 100 */
		0, 0, 0, 0,		/* ack 0 */
		0x50, 0x02,		/* data offset 5, SYN */
		0xff, 0xff,		/* window */
		0, 0, 0, 0,		/* checksum, urgent */
	};
	fix_ip4(f, 14, 20);
	CHECK_EQ(t_frame(f, sizeof f, "tcp_syn"), DEC_OK);
	CHECK_EQ(t_u("tcp.dport"), 80);
	CHECK_EQ(t_u("tcp.seq"), 100);
	CHECK_EQ(t_u("tcp.flags"), 2);
	CHECK_EQ(t_u("tcp.off"), 20);
	f[46] = 0x40;		/* data offset 4 */
	CHECK_EQ(t_frame(f, sizeof f, "tcp_off4"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "tcp.off");
	f[46] = 0x60;		/* options beyond the segment */
	CHECK_EQ(t_frame(f, sizeof f, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.len");
}

static void test_ip6_hbh_mld(void)
{
	uint8_t f[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 36, 0, 1,	/* payload 36, next header hop-by-hop, hop limit 1 */
		A6_LL_RT,
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16, /* ff02::16 */
		58, 0,			/* hop-by-hop: next ICMPv6, length 0 (8 bytes) */
		5, 2, 0, 0,		/* router alert: MLD */
		1, 0,			/* PadN, 0 bytes */
		143, 0, 0, 0,		/* MLDv2 report, code, checksum */
		0, 0, 0, 1,		/* reserved, 1 record */
		4, 0, 0, 0,		/* change to exclude, aux 0, 0 sources */
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0x10, /* ff02::1:ff00:10 */
	};
	t_cksum(f, 62, 28, 64, f + 22, f + 38, 16, 58);
	CHECK_EQ(t_frame(f, sizeof f, "ip6_hbh_mld2"), DEC_OK);
	CHECK_EQ(t_u("ip6.ext"), 0);
	CHECK_EQ(t_u("ip6.opt.ra"), 0);
	CHECK_EQ(t_u("icmp6.type"), 143);
	CHECK_EQ(t_u("icmp6.cksum_ok"), 1);
	CHECK_EQ(t_u("mld.nrec"), 1);
	CHECK_STR(t_txt("mld.rec.maddr"), "ff02::1:ff00:10");
	/* cut inside the hop-by-hop header */
	CHECK_EQ(dec_frame(f, 14 + 40 + 5, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "ip6.hbh");
	/* an option running past its header */
	f[57] = 9;
	CHECK_EQ(t_frame(f, sizeof f, "ip6_hbh_optlen"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip6.opt.len");
	f[57] = 2;
	/* payload length beyond a frame captured whole */
	f[19] = 44;
	CHECK_EQ(t_frame(f, sizeof f, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip6.plen");
	f[19] = 36;
	/* the MLD record count says 2 */
	f[69] = 2;
	CHECK_EQ(t_frame(f, sizeof f, NULL), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "mld.nrec");
}

static void test_ip6_rh2_udp(void)
{
	uint8_t f[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 52, 43, 64,	/* payload 52, next header routing */
		A6_CN, A6_COA,		/* correspondent -> care-of address */
		17, 2, 2, 1,		/* next UDP, length 2, type 2, segments left 1 */
		0, 0, 0, 0,		/* reserved */
		A6_HOA,			/* home address */
		0x23, 0x28, 0x23, 0x28,	/* ports 9000 -> 9000 */
		0, 28, 0, 0,		/* length 28, checksum */
		ROAM_MAGIC, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, /* flow 1 seq 9 */
	};
	/* the pseudo-header's destination is the home address (final destination) */
	t_cksum(f, 78, 28, 84, f + 22, f + 62, 16, 17);
	CHECK_EQ(t_frame(f, sizeof f, "ip6_rh2_udp"), DEC_OK);
	CHECK_EQ(t_u("ip6.rh.type"), 2);
	CHECK_EQ(t_u("ip6.rh.segleft"), 1);
	CHECK_STR(t_txt("ip6.rh2.addr"), "2001:db8:1::10");
	CHECK_EQ(t_u("udp.cksum_ok"), 1);
	CHECK_EQ(t_u("traffic.seq"), 9);
	/* cut by the capture inside the routing header: the whole fields stay */
	CHECK_EQ(dec_frame(f, 14 + 40 + 4 + 10, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "ip6.rh");
	CHECK_EQ(t_u("ip6.rh.type"), 2);
	CHECK_EQ(t_u("ip6.rh.segleft"), 1);
	CHECK_STR(t_txt("ip6.rh2.addr"), "(absent)");
	CHECK_EQ(dec_frame(f, 14 + 40 + 3, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_EQ(t_u("ip6.rh.type"), 2);
	CHECK_EQ(t_u("ip6.rh.segleft"), ~0ull);
	/* cut in the UDP header after it: the home address is there */
	CHECK_EQ(dec_frame(f, 14 + 40 + 24 + 4, sizeof f, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_txt("ip6.rh2.addr"), "2001:db8:1::10");
	/* header length 4 for a type 2 routing header */
	uint8_t g[sizeof f + 16];
	memcpy(g, f, 14 + 40);
	memcpy(g + 14 + 40 + 40, f + 14 + 40 + 24, 28);
	memcpy(g + 14 + 40, f + 14 + 40, 24);
	memset(g + 14 + 40 + 24, 0, 16);
	g[19] = 68;
	g[55] = 4;
	CHECK_EQ(t_frame(g, sizeof g, "ip6_rh2_len4"), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip6.rh.len");
}

static void test_ip6_rh0_frag(void)
{
	static const uint8_t rh0[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 40, 43, 64, A6_CN, A6_HA, /* payload 40, routing */
		59, 4, 0, 2,		/* no next header, length 4, type 0, 2 left */
		0, 0, 0, 0,		/* reserved */
		A6_COA, A6_HOA,		/* two addresses */
	};
	CHECK_EQ(t_frame(rh0, sizeof rh0, "ip6_rh0"), DEC_OK);
	CHECK_EQ(t_count("ip6.rh0.addr"), 2);
	const struct dec_field *a = t_f("ip6.rh0.addr");
	CHECK(a && dec_next(&t_rec, a));
	if (a && dec_next(&t_rec, a)) {
		char b[64];
		CHECK_STR(dec_value_text(dec_next(&t_rec, a), b, sizeof b), "2001:db8:1::10");
	}
	CHECK_EQ(t_u("ip6.upper"), 59);

	static const uint8_t frag[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 16, 44, 64, A6_CN, A6_HOA, /* payload 16, fragment */
		17, 0,			/* next UDP, reserved */
		0x05, 0xa9,		/* offset 1448 bytes, M */
		0, 0, 0, 7,		/* identification 7 */
		1, 2, 3, 4, 5, 6, 7, 8,	/* fragment data */
	};
	CHECK_EQ(t_frame(frag, sizeof frag, "ip6_frag"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "ip6.frag");
	CHECK_EQ(t_u("ip6.frag.off"), 1448);
	CHECK_EQ(t_u("ip6.frag.m"), 1);
	CHECK_EQ(t_u("ip6.frag.id"), 7);
	/* cut inside the fragment header */
	CHECK_EQ(dec_frame(frag, 14 + 40 + 4, sizeof frag, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "ip6.frag");
}

static void test_tunnels(void)
{
	/* IPv6 in IPv6: home agent -> care-of address, inner CN -> home address */
	uint8_t v66[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 68, 41, 64, A6_HA, A6_COA,	/* outer: payload 68, next IPv6 */
		0x60, 0, 0, 0, 0, 28, 17, 63, A6_CN, A6_HOA,	/* inner: payload 28, UDP */
		0x23, 0x28, 0x23, 0x28, 0, 28, 0, 0,		/* UDP 9000 -> 9000 */
		ROAM_MAGIC, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, /* flow 2 seq 5 */
	};
	t_cksum(v66, 94, 28, 100, v66 + 62, v66 + 78, 16, 17);
	CHECK_EQ(t_frame(v66, sizeof v66, "ip6_in_ip6"), DEC_OK);
	CHECK_STR(t_txt("ip6.src"), "2001:db8:1::1");
	CHECK_STR(t_txt("inner.ip6.src"), "2001:db8:3::1");
	CHECK_STR(t_txt("inner.ip6.dst"), "2001:db8:1::10");
	CHECK_EQ(t_u("inner.ip6.hlim"), 63);
	CHECK_EQ(t_u("inner.udp.cksum_ok"), 1);
	CHECK_EQ(t_u("inner.traffic.seq"), 5);
	CHECK(!t_f("traffic.seq"));
	/* cut inside the inner header: truncated names the inner layer */
	CHECK_EQ(dec_frame(v66, 14 + 40 + 20, sizeof v66, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "inner.ip6");

	/* double encapsulation, innermost has no next header */
	static const uint8_t v666[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 80, 41, 64, A6_HA, A6_COA,
		0x60, 0, 0, 0, 0, 40, 41, 64, A6_CN, A6_HA,
		0x60, 0, 0, 0, 0, 0, 59, 64, A6_HOA, A6_CN,
	};
	CHECK_EQ(t_frame(v666, sizeof v666, "ip6_in_ip6_in_ip6"), DEC_OK);
	CHECK_STR(t_txt("inner.inner.ip6.src"), "2001:db8:1::10");
	CHECK_STR(t_txt("inner.ip6.src"), "2001:db8:3::1");

	/* IPv4 in IPv4 (RFC 2003): HA -> CoA, inner CN -> home, ICMP echo */
	uint8_t v44[] = {
		ETH_HDR4,
		0x45, 0, 0, 48, 0, 2, 0, 0, 64, 4, 0, 0, A4_HA, A4_COA,	/* outer, protocol 4 */
		0x45, 0, 0, 28, 0, 3, 0, 0, 63, 1, 0, 0, A4_CN, A4_HOME,	/* inner, ICMP */
		8, 0, 0, 0, 0, 0x77, 0, 1,	/* echo request id 0x77 seq 1 */
	};
	fix_ip4(v44, 14, 20);
	fix_ip4(v44, 34, 20);
	t_cksum(v44, 54, 8, 56, NULL, NULL, 0, 0);
	CHECK_EQ(t_frame(v44, sizeof v44, "ip4_in_ip4"), DEC_OK);
	CHECK_EQ(t_u("ip.proto"), 4);
	CHECK_STR(t_txt("inner.ip.src"), "203.0.113.5");
	CHECK_EQ(t_u("inner.ip.cksum_ok"), 1);
	CHECK_EQ(t_u("inner.icmp.echo.id"), 0x77);
	CHECK_EQ(t_u("inner.icmp.cksum_ok"), 1);

	/* IPv6 in IPv4 and IPv4 in IPv6 */
	uint8_t v46[] = {
		ETH_HDR4,
		0x45, 0, 0, 60, 0, 4, 0, 0, 64, 41, 0, 0, A4_HA, A4_COA,	/* protocol 41 */
		0x60, 0, 0, 0, 0, 0, 59, 64, A6_CN, A6_HOA,
	};
	fix_ip4(v46, 14, 20);
	CHECK_EQ(t_frame(v46, sizeof v46, "ip6_in_ip4"), DEC_OK);
	CHECK_STR(t_txt("inner.ip6.dst"), "2001:db8:1::10");
	uint8_t v64[] = {
		ETH_HDR6,
		0x60, 0, 0, 0, 0, 20, 4, 64, A6_HA, A6_COA,	/* next header 4 */
		0x45, 0, 0, 20, 0, 5, 0, 0, 64, 59, 0, 0, A4_CN, A4_HOME,
	};
	fix_ip4(v64, 54, 20);
	CHECK_EQ(t_frame(v64, sizeof v64, "ip4_in_ip6"), DEC_OK);
	CHECK_STR(t_txt("inner.ip.dst"), "192.0.2.10");
	CHECK_EQ(t_u("inner.ip.cksum_ok"), 1);
}

static void test_link_types(void)
{
	static const uint8_t raw6[] = { 0x60, 0, 0, 0, 0, 0, 59, 64, A6_CN, A6_HOA };
	CHECK_EQ(dec_frame(raw6, sizeof raw6, sizeof raw6, 12, &t_rec), DEC_OK);
	CHECK_STR(t_txt("ip6.src"), "2001:db8:3::1");
	CHECK_EQ(dec_frame(raw6, sizeof raw6, sizeof raw6, 229, &t_rec), DEC_OK);
	CHECK_EQ(dec_frame(raw6, sizeof raw6, sizeof raw6, 228, &t_rec), DEC_MALFORMED);
	CHECK_STR(t_vfield(), "ip.hl");
	CHECK_EQ(dec_frame(raw6, sizeof raw6, sizeof raw6, 147, &t_rec), DEC_UNKNOWN);
	static const uint8_t lldp[] = { MAC_RT, MAC_MN, 0x88, 0xcc, 0, 0 };
	CHECK_EQ(t_frame(lldp, sizeof lldp, "lldp"), DEC_UNKNOWN);
	CHECK_STR(t_vfield(), "eth.type");
	CHECK_EQ(t_frame(lldp, 10, NULL), DEC_MALFORMED);
	CHECK_EQ(dec_frame(lldp, 10, 60, 1, &t_rec), DEC_TRUNCATED);
	CHECK_STR(t_vfield(), "eth");
}

T_MAIN_BEGIN("decode_ip")
	RUN(test_arp);
	RUN(test_vlan_ip4_udp_traffic);
	RUN(test_tcp);
	RUN(test_ip6_hbh_mld);
	RUN(test_ip6_rh2_udp);
	RUN(test_ip6_rh0_frag);
	RUN(test_tunnels);
	RUN(test_link_types);
T_MAIN_END
