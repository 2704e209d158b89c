/* send.c — roam-traffic send: UDP datagrams with the payload of payload.h,
 * paced on an absolute CLOCK_MONOTONIC schedule (datagram i leaves at
 * start + i/rate) so the rate does not drift. A failed send (no route while
 * the station moves) is counted and the schedule goes on. */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "payload.h"
#include "traffic.h"

struct send_opts {
	const char *to;
	char port[8];
	uint32_t flow;
	double rate;		/* datagrams per second */
	size_t size;		/* bytes of UDP payload */
	double duration;	/* seconds, 0: until count or a signal */
	uint64_t count;		/* 0: until duration or a signal */
	double wait;		/* seconds before the first datagram */
};

static void send_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void send_payload(uint8_t *buf, uint32_t flow, uint32_t seq, int64_t ns)
{
	send_put32(buf, ROAM_PAYLOAD_MAGIC);
	send_put32(buf + 4, flow);
	send_put32(buf + 8, seq);
	send_put32(buf + 12, (uint32_t)((uint64_t)ns >> 32));
	send_put32(buf + 16, (uint32_t)ns);
}

static void send_parse(int argc, char **argv, struct send_opts *o)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "flow", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct send_opts){ .rate = 100, .size = 100, .flow = 1 };
	snprintf(o->port, sizeof(o->port), "%d", ROAM_TRAFFIC_PORT);
	while ((c = getopt_long(argc, argv, "t:p:f:r:s:d:c:w:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->to = optarg; break;
		case 'p': snprintf(o->port, sizeof(o->port), "%d",
				   (int)traffic_num("--port", optarg, 65535)); break;
		case 'f': o->flow = (uint32_t)traffic_num("--flow", optarg, 4294967295.0); break;
		case 'r': o->rate = traffic_num("--rate", optarg, 1e6); break;
		case 's': o->size = (size_t)traffic_num("--size", optarg, 65507); break;
		case 'd': o->duration = traffic_num("--duration", optarg, 1e7); break;
		case 'c': o->count = (uint64_t)traffic_num("--count", optarg, 4294967295.0); break;
		case 'w': o->wait = traffic_num("--wait", optarg, 3600); break;
		default: exit(2);
		}
	}
	if (!o->to || optind != argc || o->rate <= 0 || o->size < ROAM_PAYLOAD_LEN) {
		fprintf(stderr, "roam-traffic send: expected --to ADDR, a rate > 0 and a "
			"size >= %d, no extra arguments vs %s%s\n", ROAM_PAYLOAD_LEN,
			o->to ? "" : "no --to", optind != argc ? " extra arguments" : "");
		exit(2);
	}
}

static void send_sleep_until(int64_t t_ns)
{
	struct timespec ts = { .tv_sec = t_ns / 1000000000, .tv_nsec = t_ns % 1000000000 };
	while (!traffic_stop &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int traffic_send(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM,
				  .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }, *ai;
	struct send_opts o;
	uint64_t seq, errors = 0;
	int64_t start, end;
	int fd, rc, last_errno = 0;
	uint8_t *buf;

	send_parse(argc, argv, &o);
	if ((rc = getaddrinfo(o.to, o.port, &hints, &ai)) != 0) {
		fprintf(stderr, "roam-traffic send: --to: expected a numeric IPv4 or IPv6 "
			"address vs \"%s\" (%s)\n", o.to, gai_strerror(rc));
		return 2;
	}
	if ((fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		fprintf(stderr, "roam-traffic send: socket: %s\n", strerror(errno));
		freeaddrinfo(ai);
		return 3;
	}
	if (!(buf = calloc(1, o.size))) {
		fprintf(stderr, "roam-traffic send: calloc: %s\n", strerror(errno));
		return 1;
	}
	traffic_signals();
	start = traffic_now_ns(CLOCK_MONOTONIC) + (int64_t)(o.wait * 1e9);
	end = o.duration > 0 ? start + (int64_t)(o.duration * 1e9) : INT64_MAX;
	send_sleep_until(start);
	for (seq = 0; !traffic_stop && (!o.count || seq < o.count) && seq < UINT32_MAX; seq++) {
		int64_t t = start + (int64_t)((double)seq * 1e9 / o.rate);
		if (t >= end)
			break;
		send_sleep_until(t);
		if (traffic_stop)
			break;
		send_payload(buf, o.flow, (uint32_t)seq, traffic_now_ns(CLOCK_REALTIME));
		if (sendto(fd, buf, o.size, 0, ai->ai_addr, ai->ai_addrlen) < 0) {
			errors++;
			last_errno = errno;
		}
	}
	printf("{\"flow\":%u,\"sent\":%llu,\"errors\":%llu,\"last_error\":\"%s\"}\n",
	       o.flow, (unsigned long long)(seq - errors), (unsigned long long)errors,
	       last_errno ? strerror(last_errno) : "");
	fflush(stdout);
	free(buf);
	freeaddrinfo(ai);
	close(fd);
	return 0;
}
