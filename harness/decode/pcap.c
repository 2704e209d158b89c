/* pcap.c — reading a capture file record by record with libpcap, up to its
 * last whole record: a capture whose writer was killed may end inside a
 * record, or hold no header at all; what is whole is read and the rest is
 * reported as a warning (dec_pcap_warning), not an error. */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "decode.h"

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


static int dec_pcap_pread(void *ctx, uint64_t off, uint8_t *buf, size_t n)
{
	ssize_t got = pread(*(int *)ctx, buf, n, (off_t)off);
	return got < 0 ? -1 : (int)got;
}

int dec_pcap_extent(const char *path, struct dec_pcap_extent *x, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;

	memset(x, 0, sizeof *x);
	if (fd < 0 || fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dec_pcap_scan(dec_pcap_pread, &fd, (uint64_t)sb.st_size, x);
	close(fd);
	return 0;
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
	if (x.size >= DEC_PCAP_HDR_LEN || !x.classic) {
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
