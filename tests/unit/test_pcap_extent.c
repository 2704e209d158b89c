/* test_pcap_extent.c — how much of a capture is whole (dec_pcap_scan): a
 * capture whose writer was killed ends inside a record or has no header,
 * and roam check/decode read it up to its last whole record. */
#include <stdint.h>
#include "t.h"
#include "decode/decode.h"

/* A little-endian (as x86 writes it) µs pcap: header, then two records of
 * 3 and 2 bytes. */
static const uint8_t cap_le[] = {
	0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0,	/* magic (LE), version 2.4 */
	0, 0, 0, 0, 0, 0, 0, 0,			/* zone, sigfigs */
	0xff, 0xff, 0, 0, 1, 0, 0, 0,		/* snaplen 65535, Ethernet */
	1, 0, 0, 0, 0, 0, 0, 0,			/* record 1: t = 1 s */
	3, 0, 0, 0, 3, 0, 0, 0,			/* 3 bytes captured, 3 on the wire */
	0xaa, 0xbb, 0xcc,
	2, 0, 0, 0, 0, 0, 0, 0,			/* record 2: t = 2 s */
	2, 0, 0, 0, 2, 0, 0, 0,			/* 2 bytes */
	0xdd, 0xee,
};
/* The same in big-endian, nanosecond magic, one record of 1 byte. */
static const uint8_t cap_be[] = {
	0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0xff, 0xff, 0, 0, 0, 1,
	0, 0, 0, 1, 0, 0, 0, 0,			/* record 1 */
	0, 0, 0, 1, 0, 0, 0, 1,			/* 1 byte */
	0x42,
};
/* A record that claims 4 GB: cut, not a read past the end. */
static const uint8_t cap_huge[] = {
	0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};
static const uint8_t pcapng[] = { 0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0 };

struct mem { const uint8_t *p; size_t len; };

static int mem_read(void *ctx, uint64_t off, uint8_t *buf, size_t n)
{
	const struct mem *m = ctx;
	if (off >= m->len)
		return 0;
	if (n > m->len - off)
		n = m->len - (size_t)off;
	memcpy(buf, m->p + off, n);
	return (int)n;
}

static void scan(const uint8_t *p, size_t len, struct dec_pcap_extent *x)
{
	struct mem m = { p, len };
	dec_pcap_scan(mem_read, &m, len, x);
}

static void whole_files(void)
{
	struct dec_pcap_extent x;
	scan(cap_le, sizeof cap_le, &x);
	CHECK(x.classic);
	CHECK_EQ(x.records, 2);
	CHECK_EQ(x.whole, sizeof cap_le);
	scan(cap_be, sizeof cap_be, &x);
	CHECK_EQ(x.records, 1);
	CHECK_EQ(x.whole, sizeof cap_be);
	scan(cap_le, DEC_PCAP_HDR_LEN, &x);	/* a header and no record */
	CHECK_EQ(x.records, 0);
	CHECK_EQ(x.whole, DEC_PCAP_HDR_LEN);
}

/* Every cut of the file: the records before the cut are whole. */
static void every_cut(void)
{
	const size_t rec2 = DEC_PCAP_HDR_LEN + 16 + 3;	/* where record 2 starts */
	for (size_t len = 0; len < sizeof cap_le; len++) {
		struct dec_pcap_extent x;
		uint64_t want = len < rec2 ? 0 : 1;
		scan(cap_le, len, &x);
		CHECK(x.classic);
		if (x.records != want || x.whole > len) {
			printf("  cut at %zu: %llu records, %llu whole bytes\n", len,
			       (unsigned long long)x.records, (unsigned long long)x.whole);
			CHECK(0);
		}
	}
}

static void warnings(void)
{
	struct dec_pcap_extent x;
	char w[256];
	scan(cap_le, 0, &x);
	dec_pcap_extent_warning("a.pcap", &x, w, sizeof w);
	CHECK_STR(w, "a.pcap: 0 bytes, shorter than a pcap header: read as an empty capture");
	scan(cap_le, sizeof cap_le - 1, &x);
	dec_pcap_extent_warning("a.pcap", &x, w, sizeof w);
	CHECK_STR(w, "a.pcap: cut inside record 2: the 17 bytes after its last whole record are ignored");
	scan(cap_le, sizeof cap_le, &x);
	dec_pcap_extent_warning("a.pcap", &x, w, sizeof w);
	CHECK_STR(w, "");
}

static void huge_and_other_formats(void)
{
	struct dec_pcap_extent x;
	char w[256];
	scan(cap_huge, sizeof cap_huge, &x);
	CHECK_EQ(x.records, 0);
	CHECK_EQ(x.whole, DEC_PCAP_HDR_LEN);
	scan(pcapng, sizeof pcapng, &x);	/* libpcap reads pcapng whole */
	CHECK(!x.classic);
	CHECK(x.records == UINT64_MAX);
	dec_pcap_extent_warning("b.pcapng", &x, w, sizeof w);
	CHECK_STR(w, "");
}

T_MAIN_BEGIN("pcap_extent")
	RUN(whole_files);
	RUN(every_cut);
	RUN(warnings);
	RUN(huge_and_other_formats);
T_MAIN_END
