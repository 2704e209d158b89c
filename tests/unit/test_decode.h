/* test_decode.h — helpers shared by the decoder unit tests (test_decode_*.c).
 *
 * Every vector a test decodes can also be written out as a fuzz seed: with
 * ROAM_FUZZ_SEEDS=DIR, t_frame/t_msg write DIR/<target>/<name> (fuzz/run.sh
 * uses this to build fuzz/corpus/). */
#ifndef ROAM_TEST_DECODE_H
#define ROAM_TEST_DECODE_H
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "decode/decode.h"
#include "t.h"

static struct dec_record t_rec;

/* Addresses used throughout the vectors. */
#define MAC_MN 0x02, 0x00, 0x00, 0x00, 0x00, 0x01
#define MAC_RT 0x02, 0x00, 0x00, 0x00, 0x00, 0x02
#define A6_HOA 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10	/* 2001:db8:1::10 */
#define A6_HA  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01	/* 2001:db8:1::1 */
#define A6_COA 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10	/* 2001:db8:2::10 */
#define A6_CN  0x20, 0x01, 0x0d, 0xb8, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01	/* 2001:db8:3::1 */
#define A6_LL_RT 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02	/* fe80::2 */
#define A6_ALLN  0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01	/* ff02::1 */
#define ETH_HDR6 MAC_RT, MAC_MN, 0x86, 0xdd	/* dst, src, type IPv6 */
#define ETH_HDR4 MAC_RT, MAC_MN, 0x08, 0x00	/* dst, src, type IPv4 */

static __attribute__((unused)) void t_seed(const char *target, const char *name, const uint8_t *b, size_t n)
{
	const char *dir = getenv("ROAM_FUZZ_SEEDS");
	char path[512];
	FILE *f;

	if (!dir || !name)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, target);
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return;
	snprintf(path, sizeof path, "%s/%s/%s", dir, target, name);
	if ((f = fopen(path, "wb"))) {
		fwrite(b, 1, n, f);
		fclose(f);
	}
}

/* Decode an Ethernet frame (seed name may be NULL). */
static __attribute__((unused)) enum dec_verdict t_frame(const uint8_t *b, size_t n, const char *seed)
{
	t_seed("frame", seed, b, n);
	if (n > 14 && b[12] == 0x86 && b[13] == 0xdd)
		t_seed("ip6", seed, b + 14, n - 14);
	return dec_frame(b, n, n, 1, &t_rec);
}

static const char *const t_targets[] = {
	[DEC_P_ETH] = "frame", [DEC_P_IP4] = "ip4", [DEC_P_IP6] = "ip6",
	[DEC_P_ICMP] = "icmp", [DEC_P_ICMP6] = "icmp6", [DEC_P_UDP] = "udp",
	[DEC_P_MIP4] = "mip4", [DEC_P_MH] = "mh",
};

static __attribute__((unused)) enum dec_verdict t_msg(enum dec_proto p, const uint8_t *b, size_t n, const char *seed)
{
	t_seed(t_targets[p], seed, b, n);
	return dec_message(p, b, n, &t_rec);
}

/* The first value of a field by full name; ~0 when absent. */
static __attribute__((unused)) const struct dec_field *t_f(const char *name)
{
	unsigned depth;
	int id = dec_field_lookup(name, &depth);

	if (id < 0) {
		printf("  no such field name %s\n", name);
		return NULL;
	}
	return dec_get(&t_rec, (unsigned)id, depth);
}

static __attribute__((unused)) uint64_t t_u(const char *name)
{
	const struct dec_field *f = t_f(name);
	return f ? f->v.u : ~0ull;
}

static char t_txtbuf[4][1024];
static int t_txtk;
static __attribute__((unused)) const char *t_txt(const char *name)
{
	const struct dec_field *f = t_f(name);
	char *b = t_txtbuf[t_txtk++ & 3];

	if (!f)
		return "(absent)";
	return dec_value_text(f, b, sizeof t_txtbuf[0]);
}

static __attribute__((unused)) unsigned t_count(const char *name)
{
	unsigned depth;
	int id = dec_field_lookup(name, &depth);
	return id < 0 ? 0 : dec_count(&t_rec, (unsigned)id, depth);
}

/* The field the verdict names, with its inner. prefixes. */
static __attribute__((unused)) const char *t_vfield(void)
{
	static char b[128];
	struct dec_field f = { .id = t_rec.vfield, .depth = t_rec.vdepth };
	return dec_full_name(&f, b, sizeof b);
}

/* Internet checksum written into b[at..at+1], over a pseudo-header (when src
 * is not NULL) and b[from..from+len). An independent implementation. */
static __attribute__((unused)) void t_cksum(uint8_t *b, size_t from, size_t len, size_t at,
		    const uint8_t *src, const uint8_t *dst, size_t alen, uint8_t proto)
{
	uint32_t s = 0;

	b[at] = b[at + 1] = 0;
	if (src) {
		for (size_t i = 0; i < alen; i += 2)
			s += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
		s += (uint32_t)len + proto;
	}
	for (size_t i = 0; i < len; i++)
		s += i & 1 ? b[from + i] : (uint32_t)b[from + i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	b[at] = (uint8_t)(s >> 8);
	b[at + 1] = (uint8_t)s;
}
#endif
