/* test_traffic.c — roam-traffic: the receiver's accounting (flowstat.c, fed
 * payloads built here byte by byte) and a loopback run of the built binary. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "t.h"
#include "../../nodes/traffic/flowstat.c"

#define MS 1000000LL	/* nanoseconds */

/* magic "RoAm" | flow id | seq | send time ns (big-endian) | padding */
static size_t payload(uint8_t *b, uint32_t magic, uint32_t flow, uint32_t seq,
		      int64_t tx, size_t size)
{
	uint32_t w[5] = { magic, flow, seq, (uint32_t)((uint64_t)tx >> 32), (uint32_t)tx };
	memset(b, 0, size);
	for (int i = 0; i < 5; i++) {
		b[4 * i] = (uint8_t)(w[i] >> 24);
		b[4 * i + 1] = (uint8_t)(w[i] >> 16);
		b[4 * i + 2] = (uint8_t)(w[i] >> 8);
		b[4 * i + 3] = (uint8_t)w[i];
	}
	return size;
}

/* Datagram seq of flow 1 sent at seq*10ms, received delay_ms later. */
static enum fs_verdict feed(struct fs_table *t, uint32_t seq, int64_t rx)
{
	uint8_t b[64];
	return fs_packet(t, b, payload(b, ROAM_PAYLOAD_MAGIC, 1, seq, (int64_t)seq * 10 * MS, 64), rx);
}

static void test_in_order(void)
{
	struct fs_table t = { 0 };
	const struct fs_flow *f;

	for (uint32_t s = 0; s < 100; s++)
		CHECK_EQ(feed(&t, s, (int64_t)s * 10 * MS + 5 * MS), FS_OK);
	f = fs_find(&t, 1);
	CHECK(f != NULL);
	if (f) {
		CHECK_EQ(f->received, 100);
		CHECK_EQ(fs_lost(f), 0);
		CHECK_EQ(f->duplicates, 0);
		CHECK_EQ(f->reordered, 0);
		CHECK(fabs(f->d_min - 0.005) < 1e-9 && fabs(f->d_max - 0.005) < 1e-9);
		CHECK(f->jitter < 1e-9);	/* constant delay: no jitter */
		CHECK_EQ(f->longest.gap_ns, 10 * MS);
	}
	fs_free(&t);
}

/* 0..9, then a handoff: 10..29 lost, then 30..39; 35 twice; 38 before 37. */
static void test_loss_dup_reorder_gap(void)
{
	static const uint32_t order[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					  30, 31, 32, 33, 34, 35, 35, 36, 38, 37, 39 };
	struct fs_table t = { 0 };
	struct fs_flow *f;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		uint32_t s = order[i];
		int64_t rx = (int64_t)s * 10 * MS + 2 * MS + (int64_t)i * 1000;
		CHECK_EQ(feed(&t, s, rx), FS_OK);
	}
	f = (struct fs_flow *)fs_find(&t, 1);
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(f->received, 20);
	CHECK_EQ(fs_lost(f), 20);
	CHECK_EQ(f->duplicates, 1);
	CHECK_EQ(f->reordered, 1);
	CHECK_EQ(f->max_seq, 39);
	CHECK_EQ(f->longest.seq_before, 9);
	CHECK_EQ(f->longest.seq_after, 30);
	CHECK_EQ(f->longest.gap_ns, 210 * MS + 1000);
	CHECK(f->jitter > 0);
	CHECK(fabs(fs_delay_pct(f, 0.5) - 0.002) < 1e-4);
	fs_free(&t);
}

static void test_jitter(void)
{
	struct fs_table t = { 0 };
	const struct fs_flow *f;

	/* delays alternate 1 ms and 3 ms: |D| = 2 ms on every arrival after
	 * the first, so J converges towards 2 ms: J_n = 2ms * (1 - (15/16)^n) */
	for (uint32_t s = 0; s < 200; s++)
		feed(&t, s, (int64_t)s * 10 * MS + (s % 2 ? 3 : 1) * MS);
	f = fs_find(&t, 1);
	CHECK(f && fabs(f->jitter - 0.002) < 1e-6);
	fs_free(&t);
}

static void test_malformed(void)
{
	struct fs_table t = { 0 };
	uint8_t b[64];

	CHECK_EQ(fs_packet(&t, b, payload(b, ROAM_PAYLOAD_MAGIC, 1, 0, 0, 64), 0), FS_OK);
	/* one byte short of the header */
	CHECK_EQ(fs_packet(&t, b, 19, 0), FS_TRUNCATED);
	CHECK_EQ(fs_packet(&t, b, 0, 0), FS_TRUNCATED);
	/* "RoAn" is not the magic */
	CHECK_EQ(fs_packet(&t, b, payload(b, 0x526f416eU, 1, 1, 0, 20), 0), FS_BADMAGIC);
	/* a sequence number too far out would need a huge bitmap */
	CHECK_EQ(fs_packet(&t, b, payload(b, ROAM_PAYLOAD_MAGIC, 1, 0xffffffffU, 0, 20), 0),
		 FS_RANGE);
	/* exactly the header, no padding, is fine */
	CHECK_EQ(fs_packet(&t, b, payload(b, ROAM_PAYLOAD_MAGIC, 1, 1, 0, 20), 0), FS_OK);
	CHECK_EQ(t.bad[FS_TRUNCATED], 2);
	CHECK_EQ(t.bad[FS_BADMAGIC], 1);
	CHECK_EQ(t.bad[FS_RANGE], 1);
	CHECK_EQ(t.n_flows, 1);
	CHECK_EQ(fs_find(&t, 1)->received, 2);
	for (uint32_t id = 2; id <= FS_FLOWS_MAX + 1; id++)
		fs_packet(&t, b, payload(b, ROAM_PAYLOAD_MAGIC, id, 0, 0, 20), 0);
	CHECK_EQ(t.n_flows, FS_FLOWS_MAX);
	CHECK_EQ(t.bad[FS_FULL], 1);
	fs_free(&t);
}

static void test_json(void)
{
	struct fs_table t = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	feed(&t, 0, 1 * MS);
	feed(&t, 2, 21 * MS);
	fs_json(&t, f);
	fclose(f);
	CHECK(strstr(buf, "\"id\":1,\"received\":2,\"lost\":1,") != NULL);
	CHECK(strstr(buf, "\"seq_before\":0,\"seq_after\":2") != NULL);
	CHECK(strstr(buf, "\"malformed\":0") != NULL);
	free(buf);
	fs_free(&t);
}

/* ---- loopback run of bin/roam-traffic ---- */

static const char *traffic_bin(void)
{
	static char path[4096];
	const char *top = getenv("ROAM_TOP");
	char self[2048];
	ssize_t n;

	/* build/asan/tests/test_traffic -> build/asan/bin/roam-traffic */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/../bin/roam-traffic", self);
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	snprintf(path, sizeof(path), "%s/bin/roam-traffic", top ? top : ".");
	return access(path, X_OK) == 0 ? path : NULL;
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static void loopback(const char *addr)
{
	const char *bin = traffic_bin();
	char port[16], stats[256], *json;
	pid_t rp, sp;
	struct timespec ts = { 0, 300 * 1000000 };

	if (!bin)
		SKIP("bin/roam-traffic is not built");
	srand((unsigned)(getpid() ^ time(NULL)));
	snprintf(port, sizeof(port), "%d", 20000 + rand() % 40000);
	snprintf(stats, sizeof(stats), "/tmp/roam-test-traffic.%d.json", (int)getpid());
	unlink(stats);
	{
		char *rv[] = { (char *)bin, "recv", "--port", port, "--stats", stats, NULL };
		rp = spawn(rv);
	}
	nanosleep(&ts, NULL);	/* let it bind */
	{
		char *sv[] = { (char *)bin, "send", "--to", (char *)addr, "--port", port,
			       "--flow", "3", "--rate", "1000", "--count", "100", NULL };
		sp = spawn(sv);
	}
	CHECK_EQ(wait_status(sp), 0);
	nanosleep(&ts, NULL);
	kill(rp, SIGTERM);
	CHECK_EQ(wait_status(rp), 0);
	json = slurp(stats);
	CHECK(json != NULL);
	if (json) {
		CHECK(strstr(json, "\"id\":3,\"received\":100,\"lost\":0,\"duplicates\":0,"
			     "\"reordered\":0,\"max_seq\":99") != NULL);
		if (t_failed_checks)
			printf("  stats: %s\n", json);
	}
	free(json);
	unlink(stats);
}

static void test_loopback_v4(void) { loopback("127.0.0.1"); }
static void test_loopback_v6(void) { loopback("::1"); }

T_MAIN_BEGIN("traffic")
	RUN(test_in_order);
	RUN(test_loss_dup_reorder_gap);
	RUN(test_jitter);
	RUN(test_malformed);
	RUN(test_json);
	RUN(test_loopback_v4);
	RUN(test_loopback_v6);
T_MAIN_END
