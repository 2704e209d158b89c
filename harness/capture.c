/* capture.c — pcap writer per link (nanosecond pcap, Ethernet).
 *
 * Written by hand rather than with libpcap's dumper so that every failure is
 * seen and a file only ever holds whole records:
 *  - records are gathered in a buffer and reach the file only whole, in one
 *    write(2) per flush; the owner flushes at least every 100 ms (the
 *    medium's capture thread), so after a SIGKILL a file ends on the last
 *    whole record flushed;
 *  - a failed or short write (ENOSPC, EIO, ...) cuts the file back to the
 *    last whole record (ftruncate), and the error sticks: capture_error()
 *    names it, later writes are refused;
 *  - timestamps never go backwards within a file: a frame stamped before the
 *    previous one (two ports' frames reach the one socket in an order that
 *    can differ from their kernel stamps by a few microseconds) is written
 *    with the previous frame's stamp.
 * The one limit left: the kernel may end a write(2) that spans pages at a
 * page boundary when SIGKILL arrives during that very call. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "capture.h"

#define CAPTURE_SNAPLEN 262144
#define CAPTURE_BUF (64 << 10)	/* records gathered before a write */
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_LINKTYPE_ETHERNET 1u

struct capture {
	int fd;
	char path[4096];
	uint8_t *buf;
	size_t n, cap;
	uint64_t count;		/* records accepted */
	int64_t last_ns;	/* stamp of the last record */
	off_t good;		/* bytes in the file, all whole records */
	int err;		/* first failure (errno), then sticky */
	char what[16];		/* the call that failed */
};

static void cap_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void cap_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void cap_fail(struct capture *c, int e, const char *what)
{
	if (c->err)
		return;
	c->err = e ? e : EIO;
	snprintf(c->what, sizeof(c->what), "%s", what);
}

/* Writes b[0..n) whole or cuts the file back to c->good. */
static int cap_put(struct capture *c, const uint8_t *b, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = write(c->fd, b + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			cap_fail(c, r < 0 ? errno : ENOSPC, "write");
			if (done && ftruncate(c->fd, c->good) == 0)
				lseek(c->fd, c->good, SEEK_SET);
			return -c->err;
		}
		done += (size_t)r;
	}
	c->good += (off_t)n;
	return 0;
}

struct capture *capture_open(const char *dir, const char *link, char *err, size_t errlen)
{
	char name[256];
	snprintf(name, sizeof(name), "%s", link);
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	struct capture *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "capture %s/%s.pcap: calloc: %s", dir, name, strerror(errno));
		return NULL;
	}
	snprintf(c->path, sizeof(c->path), "%s/%s.pcap", dir, name);
	c->fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (c->fd < 0) {
		snprintf(err, errlen, "capture %s: open: %s", c->path, strerror(errno));
		free(c);
		return NULL;
	}
	uint8_t h[24];
	cap_le32(h, PCAP_MAGIC_NS);
	cap_le16(h + 4, 2);		/* version 2.4 */
	cap_le16(h + 6, 4);
	cap_le32(h + 8, 0);		/* thiszone */
	cap_le32(h + 12, 0);		/* sigfigs */
	cap_le32(h + 16, CAPTURE_SNAPLEN);
	cap_le32(h + 20, PCAP_LINKTYPE_ETHERNET);
	if (cap_put(c, h, sizeof(h)) < 0) {
		snprintf(err, errlen, "capture %s: %s: %s", c->path, c->what, strerror(c->err));
		capture_close(c);
		return NULL;
	}
	return c;
}

int capture_write_ns(struct capture *c, int64_t ns, const void *frame, size_t len)
{
	if (c->err)
		return -c->err;
	if (ns < c->last_ns)
		ns = c->last_ns;
	c->last_ns = ns;
	size_t caplen = len < CAPTURE_SNAPLEN ? len : CAPTURE_SNAPLEN, need = 16 + caplen;
	if (c->n + need > c->cap && c->n && capture_flush(c) < 0)
		return -c->err;
	if (need > c->cap) {
		size_t cap = need > CAPTURE_BUF ? need : CAPTURE_BUF;
		uint8_t *b = realloc(c->buf, cap);
		if (!b) {
			cap_fail(c, errno, "realloc");
			return -c->err;
		}
		c->buf = b;
		c->cap = cap;
	}
	uint8_t *p = c->buf + c->n;
	cap_le32(p, (uint32_t)(ns / 1000000000LL));
	cap_le32(p + 4, (uint32_t)(ns % 1000000000LL));
	cap_le32(p + 8, (uint32_t)caplen);
	cap_le32(p + 12, (uint32_t)len);
	memcpy(p + 16, frame, caplen);
	c->n += need;
	c->count++;
	return 0;
}

int capture_write(struct capture *c, const struct timespec *ts, const void *frame, size_t len)
{
	return capture_write_ns(c, (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec, frame, len);
}

int capture_flush(struct capture *c)
{
	if (!c)
		return 0;
	if (c->err)
		return -c->err;
	if (!c->n)
		return 0;
	int r = cap_put(c, c->buf, c->n);
	c->n = 0;
	return r;
}

bool capture_pending(const struct capture *c)
{
	return c && c->n && !c->err;
}

int capture_error(const struct capture *c, char *msg, size_t len)
{
	if (!c || !c->err)
		return 0;
	snprintf(msg, len, "capture %s: %s: %s", c->path, c->what, strerror(c->err));
	return c->err;
}

uint64_t capture_count(const struct capture *c)
{
	return c ? c->count : 0;
}

int capture_close(struct capture *c)
{
	if (!c)
		return 0;
	int r = capture_flush(c);
	if (close(c->fd) < 0 && !r) {
		cap_fail(c, errno, "close");
		r = -c->err;
	}
	free(c->buf);
	free(c);
	return r;
}
