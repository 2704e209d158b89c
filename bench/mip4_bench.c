/* mip4_bench.c — the Mobile IPv4 home agent's registration rate, each figure
 * printed next to its target (50,000 authenticated registrations/s on one
 * core).
 *  mip4_bench             the HA's request processing in this process: the
 *                         daemon's ha.c, msg.c, replay.c compiled in (as in
 *                         tests/unit/test_mip4.c), ha_request() called in a
 *                         loop with valid, authenticated requests with fresh
 *                         timestamps for 250 home addresses (binding
 *                         renewals after the first round, lifetime timers
 *                         re-armed, the log to a file, as in the daemon), then
 *                         with requests failing authentication (a flood).
 *  mip4_bench blast HA SECONDS [KEY SPI]
 *                         over the wire: from inside a node (roam exec), sends
 *                         the same requests on UDP to the home agent HA of a
 *                         live run, keeping 256 in flight, and counts the
 *                         accepted replies. The key and SPI default to
 *                         topologies/mip4.lua's. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../nodes/mip4/cfg.c"
#include "../nodes/mip4/msg.c"
#include "../nodes/mip4/replay.c"
#include "../nodes/mip4/ha.c"
#include "../nodes/mip4/codes.h"

#define TARGET 50000.0
#define N_HOA 250		/* home addresses 10.1.0.2 .. 10.1.0.251 */
#define N_REQ 200000
#define REQ_MAX 64
#define WINDOW 256		/* requests in flight over the wire */

static double bench_clock(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
static double bench_now(void) { return bench_clock(CLOCK_MONOTONIC); }
/* CPU time of this process: "on one core" even when the machine is shared */
static double bench_cpu(void) { return bench_clock(CLOCK_PROCESS_CPUTIME_ID); }

static struct in_addr bench_addr(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a;
}

/* Request i: home address net.(first + i % count), care-of 10.0.2.2,
 * Identification id (a timestamp). */
static size_t bench_req(uint8_t *buf, size_t i, uint32_t first, uint32_t count, uint64_t id,
			const uint8_t *key, size_t klen, uint32_t spi, uint32_t net)
{
	struct mip4_req q = { .lifetime = 120, .ha = { htonl(net | 1) },
			      .coa = bench_addr("10.0.2.2"), .id = id };
	q.hoa.s_addr = htonl(net | (first + (uint32_t)(i % count)));
	return mip4_req_build(buf, REQ_MAX, &q, spi, key, klen);
}

static int bench_cfg(struct mip4_cfg *c, const char *key, uint32_t spi)
{
	char text[512], err[256];
	struct conf cf;
	snprintf(text, sizeof(text),
		 "node ha\nrole mip4.ha\n"
		 "iface eth0 addr4 10.0.1.2/30 link core-ha kind p2p\n"
		 "iface eth1 addr4 10.1.0.1/24 link home kind cell\n"
		 "home_iface eth1\nkey %s\nspi %u\nreg_lifetime 120\n", key, spi);
	if (conf_parse(text, "bench", &cf, err, sizeof(err)) < 0 ||
	    mip4_cfg_load(&cf, c, err, sizeof(err)) < 0) {
		fprintf(stderr, "mip4_bench: conf: %s\n", err);
		return -1;
	}
	return 0;
}

/* n requests through ha_request; returns the rate per CPU-second (and per
 * wall-clock second in *wall), counts accepted replies */
static double bench_run(struct ha *ha, uint8_t (*reqs)[REQ_MAX], const size_t *lens, size_t n,
			size_t *accepted, double *wall)
{
	uint8_t out[128];
	struct mip4_rep p;
	struct in_addr src = bench_addr("10.0.2.2");
	double t0 = bench_now(), c0 = bench_cpu(), t;

	*accepted = 0;
	for (size_t i = 0; i < n; i++) {
		size_t m = ha_request(ha, reqs[i], lens[i], src, 434, mip4_ntp_now(), out, sizeof(out));
		if (m && mip4_rep_parse(out, m, &p) == MIP4_OK && mip4_code_accepted(p.code))
			(*accepted)++;
	}
	t = bench_now() - t0;
	*wall = n / t;
	return n / (bench_cpu() - c0);
}

static int bench_local(void)
{
	static uint8_t reqs[N_REQ][REQ_MAX];
	static size_t lens[N_REQ];
	struct mip4_cfg cfg;
	struct ha ha;
	size_t acc;
	uint64_t id = mip4_ntp_now();
	double rate, wall;
	char logpath[] = "/tmp/roam-mip4-bench.XXXXXX";
	int logfd = mkstemp(logpath), saved = dup(2);

	if (bench_cfg(&cfg, "0x00112233445566778899aabbccddeeff", 1000) < 0 || ev_init() < 0)
		return 1;
	for (size_t i = 0; i < N_REQ; i++)
		lens[i] = bench_req(reqs[i], i, 2, N_HOA, id + i, cfg.key, (size_t)cfg.klen, cfg.spi, 0x0a010000);
	/* the daemon's log lines go to a file, as the harness does */
	if (logfd >= 0) {
		dup2(logfd, 2);
		unlink(logpath);
	}
	log_init("ha", 0);
	ha_init(&ha, &cfg);
	rate = bench_run(&ha, reqs, lens, N_REQ, &acc, &wall);
	dup2(saved, 2);
	printf("ha registrations (in process, HMAC-MD5, %d home addresses): %9.0f /s of CPU  (target %.0f /s)  %s; %.0f /s of wall-clock time\n",
	       N_HOA, rate, TARGET, rate >= TARGET ? "met" : "NOT met", wall);
	if (acc != N_REQ) {
		printf("  FAILED: %zu of %d requests accepted\n", acc, N_REQ);
		return 1;
	}
	/* the same requests again: every Identification is now a replay (133),
	 * then with a wrong key (131): what a flood costs */
	if (logfd >= 0)
		dup2(logfd, 2);
	rate = bench_run(&ha, reqs, lens, N_REQ, &acc, &wall);
	for (size_t i = 0; i < N_REQ; i++)
		lens[i] = bench_req(reqs[i], i, 2, N_HOA, id + N_REQ + i, (const uint8_t *)"wrong", 5, cfg.spi, 0x0a010000);
	double rate131 = bench_run(&ha, reqs, lens, N_REQ, &acc, &wall);
	dup2(saved, 2);
	printf("ha replays denied (133):                                    %9.0f /s of CPU\n", rate);
	printf("ha forgeries denied (131):                                  %9.0f /s of CPU\n", rate131);
	ha_free(&ha);
	if (logfd >= 0)
		close(logfd);
	return acc == 0 ? 0 : 1;
}

/* Over the wire: a UDP socket in the sender's namespace. */
static int bench_blast(const char *ha_s, double secs, const char *key, uint32_t spi)
{
	struct mip4_cfg cfg;
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(434) };
	uint8_t buf[REQ_MAX], in[256];
	uint64_t id = mip4_ntp_now();
	size_t sent = 0, accepted = 0, denied = 0, inflight = 0;
	double t0, end;
	int fd;

	if (inet_pton(AF_INET, ha_s, &to.sin_addr) != 1) {
		fprintf(stderr, "mip4_bench blast: expected an IPv4 address vs \"%s\"\n", ha_s);
		return 2;
	}
	if (bench_cfg(&cfg, key, spi) < 0)
		return 2;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "mip4_bench blast: socket/connect: %s\n", strerror(errno));
		return 1;
	}
	int rb = 4 << 20;	/* replies come in bursts */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof(rb)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb));
	t0 = bench_now();
	end = t0 + secs;
	while (bench_now() < end) {
		while (inflight < WINDOW) {
			/* .110-.249: not the mobile nodes' (.101...) nor the
			 * attacker's own (.3) addresses */
			uint32_t net = ntohl(to.sin_addr.s_addr) & 0xffffff00u;
			size_t n = bench_req(buf, sent, 110, 140, id + sent, cfg.key, (size_t)cfg.klen,
					     cfg.spi, net);
			if (send(fd, buf, n, 0) < 0)
				break;
			sent++;
			inflight++;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 20) == 0) {
			inflight = 0;	/* lost: refill the window */
			continue;
		}
		ssize_t m;
		while ((m = recv(fd, in, sizeof(in), 0)) > 0) {
			struct mip4_rep r;
			if (inflight)
				inflight--;
			if (mip4_rep_parse(in, (size_t)m, &r) == MIP4_OK && mip4_code_accepted(r.code))
				accepted++;
			else
				denied++;
		}
	}
	double t = bench_now() - t0;
	printf("ha registrations over the wire (UDP, the run's medium): %9.0f /s  (target %.0f /s)  "
	       "%s; sent %zu, accepted %zu, denied %zu in %.1f s\n", accepted / t, TARGET,
	       accepted / t >= TARGET ? "met" : "NOT met", sent, accepted, denied, t);
	close(fd);
	return accepted ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "blast"))
		return bench_blast(argv[2], atof(argv[3]),
				   argc > 4 ? argv[4] : "0x00112233445566778899aabbccddeeff",
				   argc > 5 ? (uint32_t)strtoul(argv[5], NULL, 0) : 1000);
	if (argc != 1) {
		fprintf(stderr, "usage: mip4_bench | mip4_bench blast HA SECONDS [KEY SPI]\n");
		return 2;
	}
	return bench_local();
}
