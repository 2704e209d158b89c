/* pcap_extent.c — how much of a classic pcap file is whole: its header,
 * then records of a 16-byte header (seconds, fraction, captured length,
 * wire length) and the captured bytes, in the byte order the magic number
 * tells (libpcap's savefile format). A writer killed mid-record leaves a
 * tail that is not a record; this finds where the last whole one ends
 * without reading the data. No libpcap here: the fuzz target links it. */
#include <byteswap.h>
#include <stdio.h>
#include <string.h>
#include "decode.h"
#include "rd.h"

#define DEC_PCAP_REC 16		/* ts_sec, ts_frac, incl_len, orig_len */

/* A classic pcap magic (µs or ns): 1 as read big-endian, -1 byte-swapped. */
static int dec_pcap_magic(uint32_t m)
{
	static const uint32_t magics[] = { 0xa1b2c3d4u, 0xa1b23c4du };
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		if (m == magics[i])
			return 1;
		if (m == bswap_32(magics[i]))
			return -1;
	}
	return 0;
}

void dec_pcap_scan(dec_pcap_read_fn rd, void *ctx, uint64_t size, struct dec_pcap_extent *x)
{
	uint8_t hdr[DEC_PCAP_HDR_LEN];
	uint32_t magic;
	int order, got;
	struct rd r;

	memset(x, 0, sizeof *x);
	x->size = size;
	got = rd(ctx, 0, hdr, sizeof hdr);
	r = rd_init(hdr, got > 0 ? (size_t)got : 0);
	if (!rd_be32(&r, &magic) || !(order = dec_pcap_magic(magic))) {
		/* pcapng, or not a capture (libpcap judges); or under 4 bytes */
		x->classic = size < 4;
		x->whole = x->records = x->classic ? 0 : UINT64_MAX;
		return;
	}
	x->classic = true;
	if (size < DEC_PCAP_HDR_LEN)
		return;
	x->whole = DEC_PCAP_HDR_LEN;
	while (x->whole + DEC_PCAP_REC <= size) {
		uint8_t rh[DEC_PCAP_REC];
		uint32_t incl;
		struct rd rr;
		got = rd(ctx, x->whole, rh, sizeof rh);
		rr = rd_init(rh, got > 0 ? (size_t)got : 0);
		if (!rd_skip(&rr, 8) || !rd_be32(&rr, &incl))
			break;
		if (order < 0)
			incl = bswap_32(incl);
		if ((uint64_t)incl > size - x->whole - DEC_PCAP_REC)
			break;	/* cut inside this record's data */
		x->whole += DEC_PCAP_REC + (uint64_t)incl;
		x->records++;
	}
}

void dec_pcap_extent_warning(const char *path, const struct dec_pcap_extent *x, char *buf, size_t len)
{
	buf[0] = 0;
	if (x->classic && x->size < DEC_PCAP_HDR_LEN)
		snprintf(buf, len, "%s: %llu bytes, shorter than a pcap header: read as an empty capture",
			 path, (unsigned long long)x->size);
	else if (x->records != UINT64_MAX && x->size > x->whole)
		snprintf(buf, len, "%s: cut inside record %llu: the %llu bytes after its last whole "
			 "record are ignored", path, (unsigned long long)x->records + 1,
			 (unsigned long long)(x->size - x->whole));
}
