/* pcap.c — reading a capture file record by record with libpcap, up to its
 * last whole record: a capture whose writer was killed may end inside a
 * record, or hold no header at all; what is whole is read and the rest is
 * reported as a warning (dec_pcap_warning), not an error. */
#include <byteswap.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "decode.h"
#include "rd.h"

struct dec_pcap {
	pcap_t *p;
	char *path;
	uint64_t frame;
	int linktype;
	bool nano;		/* the file stores nanoseconds */
	struct dec_pcap_extent x;
	char err[PCAP_ERRBUF_SIZE + 64];
	char warn[PCAP_ERRBUF_SIZE + 128];
};

#define DEC_PCAP_HDR 24		/* the classic file header */
#define DEC_PCAP_REC 16		/* a record header */

/* A classic pcap magic: 1 as written (big-endian read), -1 byte-swapped. */
static int dec_pcap_magic(uint32_t m)
{
	if (m == 0xa1b2c3d4u || m == 0xa1b23c4du)
		return 1;
	if (m == 0xd4c3b2a1u || m == 0x4d3cb2a1u)
		return -1;
	return 0;
}

int dec_pcap_extent(const char *path, struct dec_pcap_extent *x, char *err, size_t errlen)
{
	uint8_t hdr[DEC_PCAP_HDR];
	FILE *f = fopen(path, "rb");
	struct stat sb;
	uint32_t magic;
	int order;
	struct rd r;

	memset(x, 0, sizeof *x);
	if (!f || fstat(fileno(f), &sb) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	x->size = (uint64_t)sb.st_size;
	r = rd_init(hdr, fread(hdr, 1, sizeof hdr, f));
	if (!rd_be32(&r, &magic) || !(order = dec_pcap_magic(magic))) {
		/* pcapng, or not a capture: libpcap judges */
		x->classic = x->size < 4;
		x->whole = x->records = x->classic ? 0 : UINT64_MAX;
		fclose(f);
		return 0;
	}
	x->classic = true;
	if (x->size < DEC_PCAP_HDR) {
		fclose(f);
		return 0;
	}
	x->whole = DEC_PCAP_HDR;
	while (x->whole + DEC_PCAP_REC <= x->size) {
		uint8_t rh[DEC_PCAP_REC];
		uint32_t incl;
		struct rd rr;
		if (fseeko(f, (off_t)x->whole, SEEK_SET) < 0)
			break;
		rr = rd_init(rh, fread(rh, 1, sizeof rh, f));
		if (!rd_skip(&rr, 8) || !rd_be32(&rr, &incl))
			break;
		if (order < 0)
			incl = bswap_32(incl);
		if (x->whole + DEC_PCAP_REC + incl > x->size)
			break;
		x->whole += DEC_PCAP_REC + incl;
		x->records++;
	}
	fclose(f);
	return 0;
}

void dec_pcap_extent_warning(const char *path, const struct dec_pcap_extent *x, char *buf, size_t len)
{
	buf[0] = 0;
	if (x->classic && x->size < DEC_PCAP_HDR)
		snprintf(buf, len, "%s: %llu bytes, shorter than a pcap header: read as an empty capture",
			 path, (unsigned long long)x->size);
	else if (x->records != UINT64_MAX && x->size > x->whole)
		snprintf(buf, len, "%s: cut inside record %llu: the %llu bytes after its last whole "
			 "record are ignored", path, (unsigned long long)x->records + 1,
			 (unsigned long long)(x->size - x->whole));
}

/* The classic pcap magic tells the file's timestamp resolution. */
static bool dec_pcap_is_nano(const char *path)
{
	unsigned char m[4];
	FILE *f = fopen(path, "rb");
	bool nano = false;

	if (!f)
		return false;
	if (fread(m, 1, 4, f) == 4)
		nano = (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) ||
		       (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1);
	fclose(f);
	return nano;
}

struct dec_pcap *dec_pcap_open(const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct dec_pcap_extent x;
	struct dec_pcap *pc;
	pcap_t *p = NULL;

	if (dec_pcap_extent(path, &x, err, errlen) < 0)
		return NULL;
	if (x.size >= DEC_PCAP_HDR || !x.classic) {
		p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
		if (!p) {
			snprintf(err, errlen, "%s", ebuf);
			return NULL;
		}
	}
	pc = calloc(1, sizeof *pc);
	if (!pc || !(pc->path = strdup(path))) {
		snprintf(err, errlen, "calloc: %s", strerror(errno));
		free(pc);
		if (p)
			pcap_close(p);
		return NULL;
	}
	pc->p = p;
	pc->x = x;
	dec_pcap_extent_warning(path, &x, pc->warn, sizeof pc->warn);
	pc->linktype = p ? pcap_datalink(p) : DLT_EN10MB;
	pc->nano = dec_pcap_is_nano(path);
	return pc;
}

int dec_pcap_next(struct dec_pcap *pc, struct dec_record *rec)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (!pc->p || pc->frame >= pc->x.records)
		return 0;	/* the end, or the last whole record */
	rc = pcap_next_ex(pc->p, &h, &data);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		snprintf(pc->err, sizeof pc->err, "%s: %s", pc->path, pcap_geterr(pc->p));
		return -1;
	}
	dec_frame(data, h->caplen, h->len, pc->linktype, rec);
	rec->file = pc->path;
	rec->frame = ++pc->frame;
	rec->ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	rec->ts_nano = pc->nano;
	return 1;
}

const char *dec_pcap_error(struct dec_pcap *pc)
{
	return pc->err;
}

const char *dec_pcap_warning(struct dec_pcap *pc)
{
	return pc->warn[0] ? pc->warn : NULL;
}

void dec_pcap_close(struct dec_pcap *pc)
{
	if (!pc)
		return;
	if (pc->p)
		pcap_close(pc->p);
	free(pc->path);
	free(pc);
}
