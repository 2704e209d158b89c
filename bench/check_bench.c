/* check_bench.c — speed of the conformance engine: writes a pcap of N
 * frames (default 1,000,000) of mixed signalling and data, then times
 * `roam check` with every rule set against `tshark -T fields -e ipv6.src`
 * and `tcpdump -nr` on the same file; prints packets/s and peak RSS of each
 * next to the target (1,000,000 packets/s). Nothing is asserted.
 *	check_bench [N] [FILE.pcap]  */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
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

struct res { double secs, cpu; long rss_kb; int status; };

/* Runs argv (or fn when argv is NULL) in a child; wall time and peak RSS. */
static struct res bench_child(char *const *argv, int (*fn)(void *), void *arg)
{
	struct res r = { 0 };
	struct rusage ru;
	int st;
	double t0 = now();
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		if (argv) {
			execvp(argv[0], argv);
			_exit(127);
		}
		_exit(fn(arg));
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
		r.status = -1;
		return r;
	}
	r.secs = now() - t0;
	r.rss_kb = ru.ru_maxrss;
	r.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return r;
}

static int bench_check(void *arg)
{
	char rules[2][4200];
	snprintf(rules[0], sizeof rules[0], "%s/rules/nd.lua", ck_lua_dir());
	snprintf(rules[1], sizeof rules[1], "%s/rules/ip.lua", ck_lua_dir());
	char *rv[] = { rules[0], rules[1] };
	return check_run_dir(arg, rv, 2, NULL, 0);
}

static void bench_line(const char *what, uint64_t n, struct res r)
{
	if (r.status == 127 || r.status < 0) {
		printf("%-40s not run (missing)\n", what);
		return;
	}
	printf("%-32s %8.3f s wall %8.3f s cpu %10.0f packets/s (cpu) %8ld KB peak RSS  exit %d\n",
	       what, r.secs, r.cpu, r.cpu > 0 ? (double)n / r.cpu : 0, r.rss_kb, r.status);
}


int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
	char file[4096], err[256];
	uint8_t fr[PG_MAX];
	uint64_t t0 = 1700000000000000000ull;

	snprintf(file, sizeof file, "%s", argc > 2 ? argv[2] : "/tmp/roam-check-bench.pcap");
	double g = now();
	struct pg_writer *w = pg_open(file, err, sizeof err);
	if (!w) {
		fprintf(stderr, "check_bench: %s\n", err);
		return 3;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t ts = t0 + i * 10000;	/* 100,000 frames per second of capture */
		size_t k = bench_frame(fr, i, ts);
		pg_write(w, ts, fr, k);
	}
	pg_close(w);
	printf("wrote %llu frames (7 in 100 signalling) to %s in %.2f s\n", (unsigned long long)n, file, now() - g);
	printf("target: roam check with every rule set at 1,000,000 packets/s\n");
	bench_line("roam check nd.lua ip.lua", n, bench_child(NULL, bench_check, file));
	char *ts[] = { "tshark", "-r", file, "-T", "fields", "-e", "ipv6.src", NULL };
	bench_line("tshark -T fields -e ipv6.src", n, bench_child(ts, NULL, NULL));
	char *td[] = { "tcpdump", "-nr", file, NULL };
	bench_line("tcpdump -nr", n, bench_child(td, NULL, NULL));
	if (!getenv("ROAM_KEEP"))
		unlink(file);
	return 0;
}
