/* capture.c — pcap writer per link (libpcap, nanosecond precision). */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture.h"

#define CAPTURE_SNAPLEN 262144

struct capture {
	pcap_t *dead;
	pcap_dumper_t *dump;
	uint64_t count;
};

struct capture *capture_open(const char *dir, const char *link, char *err, size_t errlen)
{
	char name[256], path[4096];
	snprintf(name, sizeof(name), "%s", link);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	struct capture *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "capture %s: calloc: %s", path, strerror(errno));
		return NULL;
	}
	c->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, CAPTURE_SNAPLEN,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!c->dead) {
		snprintf(err, errlen, "capture %s: pcap_open_dead failed", path);
		free(c);
		return NULL;
	}
	c->dump = pcap_dump_open(c->dead, path);
	if (!c->dump) {
		snprintf(err, errlen, "capture %s: pcap_dump_open: %s", path, pcap_geterr(c->dead));
		pcap_close(c->dead);
		free(c);
		return NULL;
	}
	return c;
}

void capture_write(struct capture *c, const struct timespec *ts, const void *frame, size_t len)
{
	struct pcap_pkthdr h;
	h.ts.tv_sec = ts->tv_sec;
	h.ts.tv_usec = ts->tv_nsec;	/* nanoseconds: the file is nano precision */
	h.len = (bpf_u_int32)len;
	h.caplen = (bpf_u_int32)(len < CAPTURE_SNAPLEN ? len : CAPTURE_SNAPLEN);
	pcap_dump((u_char *)c->dump, &h, frame);
	c->count++;
}

void capture_flush(struct capture *c)
{
	if (c && c->dump)
		pcap_dump_flush(c->dump);
}

uint64_t capture_count(const struct capture *c)
{
	return c ? c->count : 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	if (c->dump)
		pcap_dump_close(c->dump);
	if (c->dead)
		pcap_close(c->dead);
	free(c);
}
