/* check_bench.c — speed of the conformance engine, on three captures it
 * writes, with every shipped rule set (every .lua file in lua/rules), each next to
 * `tshark -T fields -e ipv6.src` and `tcpdump -nr` on the same file:
 *  (a) N frames (default 1,000,000) of mixed data and signalling (7 in 100);
 *  (b) N frames that are all mobility signalling (pg_mobility: 2,000 mobile
 *      nodes of each family registering from a new care-of address each
 *      turn, replies, return routability, tunnelled and route-optimised
 *      data);
 *  (c) 10 N frames of (a), for the peak RSS of a long capture.
 * Prints frames/s (of CPU time) and peak RSS of each next to its target;
 * nothing is asserted. A run longer than ROAM_BENCH_TIMEOUT seconds (600)
 * is stopped and reported as such; each child is limited to 4 GB.
 *	check_bench [N] [a|b|c]...  */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <unistd.h>
#include "check/check.h"
#include "check/check_int.h"
#include "check/pktgen.h"

static const uint8_t MAC_R[6] = { 2, 0, 0, 0, 0, 1 }, MAC_H[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t MAC_MC1[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const uint8_t MAC_Z[6] = { 0 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One frame of the mix: 7 in 100 are signalling (RA, NS, NA, BU, BA, ARP
 * request and reply), 5 in 100 IPv4 data, the rest IPv6 data. */
static uint32_t seq1, seq2;

static size_t bench_frame(uint8_t *fr, uint64_t i, uint64_t ts)
{
	uint8_t m[256], u[300];
	size_t n;

	switch (i % 100) {
	case 0: {	/* RA */
		memset(m, 0, 24);
		m[0] = 134; m[4] = 64; m[6] = 7; m[7] = 8;
		m[16] = 7; m[17] = 1; m[22] = 0x03; m[23] = 0xe8;	/* advint 1000 ms */
		return pg_frame6(fr, MAC_R, MAC_MC1, "fe80::1", "ff02::1", 255, 58, m, 24, 2);
	}
	case 10:	/* NS */
		memset(m, 0, 32);
		m[0] = 135;
		pg_addr6("fe80::1", m + 8);
		m[24] = 1; m[25] = 1; memcpy(m + 26, MAC_H, 6);
		return pg_frame6(fr, MAC_H, MAC_R, "fe80::2", "fe80::1", 255, 58, m, 32, 2);
	case 11:	/* NA */
		memset(m, 0, 32);
		m[0] = 136; m[4] = 0x60;
		pg_addr6("fe80::1", m + 8);
		m[24] = 2; m[25] = 1; memcpy(m + 26, MAC_R, 6);
		return pg_frame6(fr, MAC_R, MAC_H, "fe80::1", "fe80::2", 255, 58, m, 32, 2);
	case 20: case 21: {	/* BU, BA */
		bool bu = i % 100 == 20;
		memset(m, 0, 16);
		m[0] = 59; m[1] = 1; m[2] = bu ? 5 : 6;
		m[7] = (uint8_t)(i / 100); m[10] = 0; m[11] = 100;
		m[12] = 1; m[13] = 2;
		return pg_frame6(fr, bu ? MAC_H : MAC_R, bu ? MAC_R : MAC_H, bu ? "2001:db8:2::2" : "2001:db8::1",
				 bu ? "2001:db8::1" : "2001:db8:2::2", 64, 135, m, 16, 4);
	}
	case 30:
		return pg_arp(fr, 1, MAC_H, "10.0.0.2", MAC_Z, "10.0.0.1");
	case 31:
		return pg_arp(fr, 2, MAC_R, "10.0.0.1", MAC_H, "10.0.0.2");
	case 40: case 41: case 42: case 43: case 44:	/* IPv4 data */
		n = pg_traffic(m, 2, seq2++, ts - 2000000, 100);
		n = pg_udp(u, 40000, 9000, m, n);
		return pg_frame4(fr, MAC_H, MAC_R, "10.0.0.2", "10.0.0.1", 64, 17, 0, 0, u, n, PG_SUM_PSEUDO, 6);
	default:	/* IPv6 data */
		n = pg_traffic(m, 1, seq1++, ts - 1000000, 160);
		n = pg_udp(u, 40001, 9001, m, n);
		return pg_frame6(fr, MAC_R, MAC_H, "2001:db8::1", "2001:db8:2::2", 64, 17, u, n, 6);
	}
}

struct res { double secs, cpu; long rss_kb; int status; bool timeout; };

static double bench_timeout(void)
{
	const char *e = getenv("ROAM_BENCH_TIMEOUT");
	return e ? atof(e) : 600;
}

/* Runs argv (or fn when argv is NULL) in a child with at most 4 GB of
 * address space; wall time, CPU time and peak RSS. Stopped (SIGKILL to
 * that child) after bench_timeout() seconds. */
static struct res bench_child(char *const *argv, int (*fn)(void *), void *arg)
{
	struct res r = { 0 };
	struct rusage ru;
	int st;
	double t0 = now();
	pid_t pid = fork();

	if (pid == 0) {
		struct rlimit as = { 4ul << 30, 4ul << 30 };
		int fd = open("/dev/null", O_WRONLY);
		setrlimit(RLIMIT_AS, &as);
		dup2(fd, 1);
		dup2(fd, 2);
		if (argv) {
			execvp(argv[0], argv);
			_exit(127);
		}
		_exit(fn(arg));
	}
	if (pid < 0) {
		r.status = -1;
		return r;
	}
	for (;;) {
		pid_t w = wait4(pid, &st, WNOHANG, &ru);
		if (w == pid)
			break;
		if (w < 0) {
			r.status = -1;
			return r;
		}
		if (now() - t0 > bench_timeout() && !r.timeout) {
			kill(pid, SIGKILL);
			r.timeout = true;
		}
		usleep(20000);
	}
	r.secs = now() - t0;
	r.rss_kb = ru.ru_maxrss;
	r.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return r;
}

/* every shipped rule set */
static glob_t bench_rules;

static int bench_check(void *arg)
{
	return check_run_dir(arg, bench_rules.gl_pathv, (int)bench_rules.gl_pathc, NULL, 0);
}

static void bench_line(const char *what, uint64_t n, struct res r, double target)
{
	if (r.status == 127 || r.status < 0) {
		printf("  %-34s not run (missing)\n", what);
		return;
	}
	if (r.timeout) {
		printf("  %-34s stopped after %.0f s: under %.0f frames/s (wall)  %8ld KB peak RSS\n",
		       what, r.secs, (double)n / r.secs, r.rss_kb);
		return;
	}
	printf("  %-34s %8.2f s wall %8.2f s cpu %10.0f frames/s (cpu) %8ld KB peak RSS  exit %d",
	       what, r.secs, r.cpu, r.cpu > 0 ? (double)n / r.cpu : 0, r.rss_kb, r.status);
	if (target > 0)
		printf("  [target %.0f frames/s, < 102400 KB: %s]", target,
		       r.cpu > 0 && n / r.cpu >= target && r.rss_kb < 102400 ? "met" : "NOT met");
	printf("\n");
}

static int bench_mixed(const char *file, uint64_t n)
{
	char err[256];
	uint8_t fr[PG_MAX];
	uint64_t t0 = 1700000000000000000ull;
	struct pg_writer *w = pg_open(file, err, sizeof err);

	if (!w) {
		fprintf(stderr, "check_bench: %s\n", err);
		return -1;
	}
	seq1 = seq2 = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t ts = t0 + i * 10000;	/* 100,000 frames per second of capture */
		pg_write(w, ts, fr, bench_frame(fr, i, ts));
	}
	pg_close(w);
	return 0;
}

/* One capture: roam check with every rule set, tshark, tcpdump. */
static void bench_one(const char *title, const char *file, uint64_t n, double target)
{
	char what[64];

	if (title[0])
		printf("%s\n", title);
	snprintf(what, sizeof what, "roam check (%zu rule sets)", bench_rules.gl_pathc);
	bench_line(what, n, bench_child(NULL, bench_check, (void *)file), target);
	char *ts[] = { "tshark", "-r", (char *)file, "-T", "fields", "-e", "ipv6.src", NULL };
	bench_line("tshark -T fields -e ipv6.src", n, bench_child(ts, NULL, NULL), 0);
	char *td[] = { "tcpdump", "-nr", (char *)file, NULL };
	bench_line("tcpdump -nr", n, bench_child(td, NULL, NULL), 0);
	if (!getenv("ROAM_KEEP"))
		unlink(file);
}

static bool bench_want(int argc, char **argv, char c)
{
	bool any = false;
	for (int i = 2; i < argc; i++) {
		any = true;
		if (argv[i][0] == c)
			return true;
	}
	return !any;
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	char pat[4200], err[512];
	double g;

	setvbuf(stdout, NULL, _IOLBF, 0);	/* each figure as it is measured */
	snprintf(pat, sizeof pat, "%s/rules/*.lua", ck_lua_dir());
	if (glob(pat, 0, NULL, &bench_rules) != 0) {
		fprintf(stderr, "check_bench: no rule set matches %s\n", pat);
		return 3;
	}
	printf("rule sets:");
	for (size_t i = 0; i < bench_rules.gl_pathc; i++)
		printf(" %s", strrchr(bench_rules.gl_pathv[i], '/') + 1);
	printf("; runs stopped after %.0f s (ROAM_BENCH_TIMEOUT)\n", bench_timeout());
	if (bench_want(argc, argv, 'a')) {
		g = now();
		if (bench_mixed("/tmp/roam-check-bench-a.pcap", n))
			return 3;
		printf("(a) %llu frames, 7 in 100 signalling (written in %.1f s)\n", (unsigned long long)n, now() - g);
		bench_one("", "/tmp/roam-check-bench-a.pcap", n, 1000000);
	}
	if (bench_want(argc, argv, 'b')) {
		g = now();
		if (pg_mobility("/tmp/roam-check-bench-b.pcap", n, 2000, err, sizeof err)) {
			fprintf(stderr, "check_bench: %s\n", err);
			return 3;
		}
		printf("(b) %llu frames, all mobility signalling, 2,000 mobile nodes per family (written in %.1f s)\n",
		       (unsigned long long)n, now() - g);
		bench_one("", "/tmp/roam-check-bench-b.pcap", n, 200000);
	}
	if (bench_want(argc, argv, 'c')) {
		g = now();
		if (bench_mixed("/tmp/roam-check-bench-c.pcap", 10 * n))
			return 3;
		printf("(c) %llu frames of (a), streamed (written in %.1f s)\n", (unsigned long long)(10 * n), now() - g);
		bench_one("", "/tmp/roam-check-bench-c.pcap", 10 * n, 1000000);
	}
	globfree(&bench_rules);
	return 0;
}
