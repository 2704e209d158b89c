/* capture.h — one pcap file per link, written where frames cross the link
 * layer: Ethernet, nanosecond timestamps, readable by tcpdump and tshark. */
#ifndef ROAM_CAPTURE_H
#define ROAM_CAPTURE_H
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct capture;
/* Creates <dir>/<link>.pcap (a '/' in the link name becomes '_'). */
struct capture *capture_open(const char *dir, const char *link, char *err, size_t errlen);
/* ts: CLOCK_REALTIME instant the frame was read from its sender. */
void capture_write(struct capture *c, const struct timespec *ts, const void *frame, size_t len);
void capture_flush(struct capture *c);
uint64_t capture_count(const struct capture *c);	/* frames written */
void capture_close(struct capture *c);			/* flushes, closes, frees */
#endif
