/* recv.c — roam-traffic recv: one dual-stack UDP socket ([::] with
 * IPV6_V6ONLY off), kernel receive timestamps (SO_TIMESTAMPNS, the realtime
 * clock the sender stamps with), accounting in flowstat.c. On SIGTERM,
 * SIGINT or at --duration it writes the stats as JSON to --stats (FILE.tmp
 * then rename) and to stdout. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "payload.h"
#include "flowstat.h"
#include "traffic.h"

#define RECV_BATCH 256		/* datagrams read per wakeup at most */

struct recv_opts {
	int port;
	const char *stats;	/* NULL: stdout only */
	double duration;	/* seconds, 0: until a signal */
};

static void recv_parse(int argc, char **argv, struct recv_opts *o)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "stats", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct recv_opts){ .port = ROAM_TRAFFIC_PORT };
	while ((c = getopt_long(argc, argv, "p:s:d:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->port = (int)traffic_num("--port", optarg, 65535); break;
		case 's': o->stats = optarg; break;
		case 'd': o->duration = traffic_num("--duration", optarg, 1e7); break;
		default: exit(2);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "roam-traffic recv: expected options only vs \"%s\"\n",
			argv[optind]);
		exit(2);
	}
}

/* [::]:port for both families, or 0.0.0.0:port where IPv6 is off. */
static int recv_socket(int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, off = 0, rcvbuf = 1 << 20;
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd >= 0) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a6, sizeof(a6)) < 0) {
			fprintf(stderr, "roam-traffic recv: bind [::]:%d: %s\n", port,
				strerror(errno));
			close(fd);
			return -1;
		}
	} else {
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			fprintf(stderr, "roam-traffic recv: socket: %s\n", strerror(errno));
			return -1;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a4, sizeof(a4)) < 0) {
			fprintf(stderr, "roam-traffic recv: bind 0.0.0.0:%d: %s\n", port,
				strerror(errno));
			close(fd);
			return -1;
		}
	}
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return fd;
}

/* Reads what is queued; every datagram goes to the accounting. */
static void recv_drain(int fd, struct fs_table *t)
{
	uint8_t buf[65536];
	char cbuf[CMSG_SPACE(sizeof(struct timespec))];

	for (int i = 0; i < RECV_BATCH; i++) {
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		int64_t rx = 0;
		ssize_t n = recvmsg(fd, &mh, 0);

		if (n < 0)
			return;	/* EAGAIN, or an error the next poll shows again */
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec ts;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				rx = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
			}
		}
		if (!rx)
			rx = traffic_now_ns(CLOCK_REALTIME);
		fs_packet(t, buf, (size_t)n, rx);
	}
}

static int recv_write_stats(struct fs_table *t, const char *path)
{
	char tmp[4096];
	FILE *f;

	fs_json(t, stdout);
	fflush(stdout);
	if (!path)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w"))) {
		fprintf(stderr, "roam-traffic recv: fopen %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	fs_json(t, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "roam-traffic recv: writing %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int traffic_recv(int argc, char **argv)
{
	struct recv_opts o;
	struct fs_table t = { 0 };
	sigset_t block, orig;
	int64_t deadline;
	int fd, rc;

	recv_parse(argc, argv, &o);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig);	/* delivered only inside ppoll */
	traffic_signals();
	if ((fd = recv_socket(o.port)) < 0)
		return 3;
	deadline = o.duration > 0 ? traffic_now_ns(CLOCK_MONOTONIC) + (int64_t)(o.duration * 1e9)
				  : INT64_MAX;
	while (!traffic_stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct timespec ts, *tsp = NULL;
		int64_t left = deadline - traffic_now_ns(CLOCK_MONOTONIC);

		if (deadline != INT64_MAX) {
			if (left <= 0)
				break;
			ts.tv_sec = left / 1000000000;
			ts.tv_nsec = left % 1000000000;
			tsp = &ts;
		}
		rc = ppoll(&pfd, 1, tsp, &orig);
		if (rc < 0 && errno != EINTR) {
			fprintf(stderr, "roam-traffic recv: ppoll: %s\n", strerror(errno));
			break;
		}
		if (rc > 0)
			recv_drain(fd, &t);
	}
	close(fd);
	rc = recv_write_stats(&t, o.stats);
	fs_free(&t);
	return rc < 0 ? 1 : 0;
}
