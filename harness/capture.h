/* capture.h — one pcap file per link, written where frames cross the link
 * layer: Ethernet, nanosecond timestamps, readable by tcpdump and tshark.
 * Whole records only, every write checked (see capture.c). Not thread-safe:
 * one owner per capture (the medium's capture thread). */
#ifndef ROAM_CAPTURE_H
#define ROAM_CAPTURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct capture;
/* Creates <dir>/<link>.pcap (a '/' in the link name becomes '_') and
 * writes its header. NULL with a message naming the file and the error. */
struct capture *capture_open(const char *dir, const char *link, char *err, size_t errlen);
/* Adds one record (buffered). ts: CLOCK_REALTIME instant; an instant before
 * the previous record's is written as the previous one's. 0, or -errno of
 * the (sticky) failure. */
int capture_write(struct capture *c, const struct timespec *ts, const void *frame, size_t len);
int capture_write_ns(struct capture *c, int64_t realtime_ns, const void *frame, size_t len);
/* Writes the buffered records, whole, in one write. 0 or -errno. */
int capture_flush(struct capture *c);
bool capture_pending(const struct capture *c);	/* records wait in the buffer */
/* The failure, if any: its errno, with "capture PATH: CALL: ERROR" in msg;
 * 0 when none. */
int capture_error(const struct capture *c, char *msg, size_t len);
uint64_t capture_count(const struct capture *c);	/* records accepted */
int capture_close(struct capture *c);		/* flushes, closes, frees; 0 or -errno */
#endif
