/* test_medium_log.c — the event log, the run clock and the pcap writer
 * (no root needed). */
#include <errno.h>
#include <math.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "capture.h"
#include "evlog.h"

static void json_escape(void)
{
	char b[64];
	CHECK_STR(json_esc("plain", b, sizeof(b)), "plain");
	CHECK_STR(json_esc("a\"b\\c", b, sizeof(b)), "a\\\"b\\\\c");
	CHECK_STR(json_esc("l1\nl2\t\x01", b, sizeof(b)), "l1\\nl2\\t\\u0001");
	CHECK_STR(json_esc("abcdef", b, 4), "abc");		/* truncated, terminated */
	CHECK_STR(json_esc("ab\"", b, 4), "ab");		/* never half an escape */
	CHECK_STR(json_esc(NULL, b, sizeof(b)), "");
}

static void run_clock(void)
{
	run_clock_start();
	double t1 = run_now();
	usleep(10000);
	double t2 = run_now();
	CHECK(t1 >= 0 && t2 - t1 >= 0.009 && t2 - t1 < 0.5);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct timespec r = run_realtime(run_now());
	double d = (double)(r.tv_sec - now.tv_sec) + (double)(r.tv_nsec - now.tv_nsec) * 1e-9;
	CHECK(fabs(d) < 0.005);
	struct timespec a = run_realtime(1.25), b = run_realtime(0);
	CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
	double ab = (double)(a.tv_sec - b.tv_sec) + (double)(a.tv_nsec - b.tv_nsec) * 1e-9;
	CHECK(fabs(ab - 1.25) < 1e-8);
}

static void event_lines(void)
{
	char path[] = "/tmp/roam-evlog-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	CHECK(evlog_open(path));
	evlog("l2_down", "\"station\":\"%s\",\"n\":%d", "mn1", 3);
	evlog("start", NULL);
	evlog_close();
	evlog("ignored", "\"x\":1");	/* closed: nothing written */
	FILE *f = fopen(path, "r");
	CHECK(f);
	char line[512];
	int n = 0;
	double t, ts;
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		CHECK(sscanf(line, "{\"t\":%lf,\"ts\":%lf,", &t, &ts) == 2);
		CHECK(t >= 0 && ts > 1e9);
		CHECK(line[strlen(line) - 2] == '}');
		if (n == 1)
			CHECK(strstr(line, ",\"type\":\"l2_down\",\"station\":\"mn1\",\"n\":3}") != NULL);
		if (n == 2)
			CHECK(strstr(line, ",\"type\":\"start\"}") != NULL);
	}
	if (f)
		fclose(f);
	CHECK_EQ(n, 2);
	unlink(path);
}

static void pcap_nano(void)
{
	char dir[] = "/tmp/roam-cap-XXXXXX", err[256], path[128];
	CHECK(mkdtemp(dir) != NULL);
	struct capture *c = capture_open(dir, "wan/1", err, sizeof(err));
	CHECK(c != NULL);
	if (!c)
		return;
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	struct timespec ts[3] = { { 1700000000, 1 }, { 1700000000, 999999999 }, { 1700000001, 123456789 } };
	for (int i = 0; i < 3; i++) {
		frame[14] = (uint8_t)i;
		capture_write(c, &ts[i], frame, sizeof(frame) - (size_t)i);
	}
	CHECK_EQ(capture_count(c), 3);
	capture_close(c);
	snprintf(path, sizeof(path), "%s/wan_1.pcap", dir);
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	CHECK(p != NULL);
	if (p) {
		CHECK_EQ(pcap_datalink(p), DLT_EN10MB);
		CHECK_EQ(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
		struct pcap_pkthdr *h;
		const u_char *d;
		int i = 0;
		while (pcap_next_ex(p, &h, &d) == 1 && i < 3) {
			CHECK_EQ(h->ts.tv_sec, ts[i].tv_sec);
			CHECK_EQ(h->ts.tv_usec, ts[i].tv_nsec);
			CHECK_EQ(h->caplen, 60 - i);
			CHECK_EQ(d[14], i);
			i++;
		}
		CHECK_EQ(i, 3);
		pcap_close(p);
	}
	unlink(path);
	rmdir(dir);
	CHECK(capture_open("/nonexistent/dir", "x", err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent/dir/x.pcap") != NULL);
}

/* Frames handed over out of order (two ports' frames reach the socket in
 * an order that can differ from their kernel stamps) are written in order:
 * a stamp before the previous one becomes the previous one. */
static void pcap_order(void)
{
	char dir[] = "/tmp/roam-cap-XXXXXX", err[256], path[128];
	CHECK(mkdtemp(dir) != NULL);
	struct capture *c = capture_open(dir, "lan", err, sizeof(err));
	CHECK(c != NULL);
	if (!c)
		return;
	uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	int64_t in[4] = { 1700000000000005000LL, 1700000000000000000LL, 1700000000000007000LL,
			  1700000000000006999LL };
	int64_t want[4] = { 1700000000000005000LL, 1700000000000005000LL, 1700000000000007000LL,
			    1700000000000007000LL };
	for (int i = 0; i < 4; i++)
		CHECK_EQ(capture_write_ns(c, in[i], frame, sizeof(frame)), 0);
	CHECK_EQ(capture_close(c), 0);
	snprintf(path, sizeof(path), "%s/lan.pcap", dir);
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, perr);
	CHECK(p != NULL);
	int i = 0;
	struct pcap_pkthdr *h;
	const u_char *d;
	while (p && pcap_next_ex(p, &h, &d) == 1 && i < 4) {
		int64_t ns = (int64_t)h->ts.tv_sec * 1000000000LL + h->ts.tv_usec;
		if (ns != want[i])
			printf("  record %d stamped %lld ns, expected %lld\n", i, (long long)ns, (long long)want[i]);
		CHECK_EQ(ns, want[i]);
		i++;
	}
	CHECK_EQ(i, 4);
	if (p)
		pcap_close(p);
	unlink(path);
	rmdir(dir);
}

/* A write that fails half-way (here: the file size limit, as a full disk
 * would) leaves the file on its last whole record, and the error sticks
 * with the file's name. In a child: the limit is the process's. */
static void pcap_write_fails(void)
{
	char dir[] = "/tmp/roam-cap-XXXXXX", path[128];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/wan.pcap", dir);
	pid_t pid = fork();
	if (pid == 0) {
		char err[512];
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = { 1000, 1000 };	/* 24 + 6 x 116 fits, 24 + 9 x 116 not */
		setrlimit(RLIMIT_FSIZE, &rl);
		struct capture *c = capture_open(dir, "wan", err, sizeof(err));
		if (!c)
			_exit(10);
		uint8_t frame[100] = { 0 };
		int r = 0;
		for (int i = 0; i < 12 && r == 0; i++) {	/* flushed by threes */
			r = capture_write_ns(c, 1700000000000000000LL + i, frame, sizeof(frame));
			if (!r && i % 3 == 2)
				r = capture_flush(c);
		}
		if (r != -EFBIG)
			_exit(11);
		if (capture_error(c, err, sizeof(err)) != EFBIG || !strstr(err, "wan.pcap: write: File too large"))
			_exit(12);
		if (capture_write_ns(c, 1700000000000000099LL, frame, sizeof(frame)) != -EFBIG)
			_exit(13);	/* sticky */
		capture_close(c);
		_exit(0);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("  child exit %d (10 open, 11 no EFBIG, 12 message, 13 not sticky)\n", WEXITSTATUS(st));
	struct stat sb;
	CHECK_EQ(stat(path, &sb), 0);
	CHECK_EQ(sb.st_size, 24 + 6 * 116);	/* two whole flushes of three; the third cut back */
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, perr);
	CHECK(p != NULL);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0, r;
	while (p && (r = pcap_next_ex(p, &h, &d)) == 1)
		n++;
	CHECK_EQ(n, 6);
	if (p)
		pcap_close(p);
	unlink(path);
	rmdir(dir);
}

T_MAIN_BEGIN("medium_log")
	RUN(json_escape);
	RUN(run_clock);
	RUN(event_lines);
	RUN(pcap_nano);
	RUN(pcap_order);
	RUN(pcap_write_fails);
T_MAIN_END
