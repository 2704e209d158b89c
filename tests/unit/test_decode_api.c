/* test_decode_api.c — the decoder API: field table and lookups, value text,
 * pcap iteration (µs and ns files), `roam decode` output and exit codes. */
#include <fcntl.h>
#include <pcap/pcap.h>
#include <unistd.h>
#include "test_decode.h"

static void test_field_table(void)
{
	unsigned depth = 9;

	for (unsigned id = 0; id < DEC_F_COUNT; id++) {
		const char *name = dec_field_name(id);
		CHECK(name != NULL);
		if (name && dec_field_lookup(name, &depth) != (int)id) {
			printf("  %s does not look up to itself\n", name);
			CHECK(0);
		}
	}
	CHECK(dec_field_name(DEC_F_COUNT) == NULL);
	CHECK_EQ(dec_field_lookup("mh.bu.seq", &depth), DEC_F_MH_BU_SEQ);
	CHECK_EQ(depth, 0);
	CHECK_EQ(dec_field_lookup("inner.inner.ip6.src", &depth), DEC_F_IP6_SRC);
	CHECK_EQ(depth, 2);
	CHECK_EQ(dec_field_lookup("mh.bu.nope", &depth), -1);
	CHECK_EQ(dec_field_lookup("", NULL), -1);
	CHECK_EQ(dec_field_type(DEC_F_IP6_SRC), DEC_T_A6);
	CHECK_EQ(dec_field_type(DEC_F_MH), DEC_T_L);
	CHECK_STR(dec_verdict_name(DEC_OK), "ok");
	CHECK_STR(dec_verdict_name(DEC_TRUNCATED), "truncated");
	CHECK_STR(dec_verdict_name(DEC_MALFORMED), "malformed");
	CHECK_STR(dec_verdict_name(DEC_UNKNOWN), "unknown");
}

static const uint8_t ba_frame[] = {
	ETH_HDR6,
	0x60, 0, 0, 0, 0, 16, 135, 64, A6_HA, A6_COA,	/* payload 16, MH */
	59, 1, 6, 0, 0, 0,	/* BA, hlen 1, checksum zero (wrong) */
	0, 0, 0, 3, 0, 0x19,	/* status 0, flags 0, seq 3, lifetime 25 */
	1, 2, 0, 0,		/* PadN 2 */
};

static void test_value_text(void)
{
	char b[64];

	CHECK_EQ(t_frame(ba_frame, sizeof ba_frame, NULL), DEC_OK);
	const struct dec_field *f = t_f("mh");
	CHECK(f && strcmp(dec_value_text(f, b, sizeof b), "@54+16") == 0);
	f = t_f("eth.src");
	CHECK(f && strcmp(dec_value_text(f, b, sizeof b), "02:00:00:00:00:01") == 0);
	f = t_f("ip6.dst");
	CHECK(f && strcmp(dec_value_text(f, b, sizeof b), "2001:db8:2::10") == 0);
	CHECK(f && strcmp(dec_full_name(f, b, sizeof b), "ip6.dst") == 0);
	/* a small buffer is never overrun */
	f = t_f("ip6.dst");
	CHECK(f && strlen(dec_value_text(f, b, 4)) < 4);
	CHECK_EQ(t_u("mh.cksum_ok"), 0);
	CHECK_EQ(t_u("mh.ba.seq"), 3);
}

static const char *write_pcap(const char *path, int nano)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(1, 65535,
		nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	struct pcap_pkthdr h = { .caplen = sizeof ba_frame, .len = sizeof ba_frame };

	if (!d) {
		pcap_close(p);
		return NULL;
	}
	h.ts.tv_sec = 1700000000;
	h.ts.tv_usec = nano ? 123456789 : 123456;
	pcap_dump((u_char *)d, &h, ba_frame);
	h.ts.tv_sec++;
	h.caplen = 60;		/* the capture kept 60 bytes of 70 */
	pcap_dump((u_char *)d, &h, ba_frame);
	pcap_dump_close(d);
	pcap_close(p);
	return path;
}

static void test_pcap_iteration(void)
{
	char err[256], path[] = "/tmp/roam-test-decode-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		SKIP("mkstemp failed");
	close(fd);
	for (int nano = 0; nano <= 1; nano++) {
		CHECK(write_pcap(path, nano) != NULL);
		struct dec_pcap *pc = dec_pcap_open(path, err, sizeof err);
		CHECK(pc != NULL);
		if (!pc)
			break;
		CHECK_EQ(dec_pcap_next(pc, &t_rec), 1);
		CHECK_EQ(t_rec.frame, 1);
		CHECK_EQ(t_rec.ts_nano, nano);
		CHECK_EQ(t_rec.ts_ns, nano ? 1700000000123456789ull : 1700000000123456000ull);
		CHECK_STR(t_rec.file, path);
		CHECK_EQ(t_rec.verdict, DEC_OK);
		CHECK_EQ(t_u("mh.ba.lifetime"), 25);
		CHECK_EQ(dec_pcap_next(pc, &t_rec), 1);
		CHECK_EQ(t_rec.frame, 2);
		CHECK_EQ(t_rec.verdict, DEC_TRUNCATED);
		CHECK_STR(t_vfield(), "mh");
		CHECK_EQ(t_u("frame.len"), 70);
		CHECK_EQ(t_u("frame.caplen"), 60);
		CHECK_EQ(dec_pcap_next(pc, &t_rec), 0);
		dec_pcap_close(pc);
	}
	CHECK(dec_pcap_open("/nonexistent/x.pcap", err, sizeof err) == NULL);
	CHECK(strlen(err) > 0);
	unlink(path);
}

/* Run decode_cli with stdout and stderr into files; return its status. */
static int run_cli(char **argv, int argc, char *out, size_t outlen)
{
	char path[] = "/tmp/roam-test-cli-XXXXXX";
	int fd = mkstemp(path), saved = dup(1), saved2 = dup(2), rc;

	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	rc = decode_cli(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved, 1);
	dup2(saved2, 2);
	close(saved);
	close(saved2);
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, out, outlen - 1);
	out[n > 0 ? n : 0] = 0;
	close(fd);
	unlink(path);
	return rc;
}

static void test_cli(void)
{
	char out[4096], path[] = "/tmp/roam-test-decode-XXXXXX";
	int fd = mkstemp(path);

	if (fd < 0)
		SKIP("mkstemp failed");
	close(fd);
	write_pcap(path, 1);
	char *a1[] = { "decode", path, "--fields", "mh.ba.seq,mh.len,ip6.src", NULL };
	CHECK_EQ(run_cli(a1, 4, out, sizeof out), 0);
	CHECK(strstr(out, "1 1700000000.123456789 ok mh.ba.seq=3 mh.len=1 ip6.src=2001:db8:1::1\n") != NULL);
	CHECK(strstr(out, "2 1700000001.123456789 truncated at=mh why=") != NULL);
	char *a2[] = { "decode", path, NULL };
	CHECK_EQ(run_cli(a2, 2, out, sizeof out), 0);
	CHECK(strstr(out, " eth.src=02:00:00:00:00:01") != NULL);
	CHECK(strstr(out, " mh=") == NULL);	/* layers only on request */
	char *a3[] = { "decode", path, "--fields=mh.nope", NULL };
	CHECK_EQ(run_cli(a3, 3, out, sizeof out), 2);
	CHECK(strstr(out, "mh.nope") != NULL);
	char *a4[] = { "decode", "/nonexistent/x.pcap", NULL };
	CHECK_EQ(run_cli(a4, 2, out, sizeof out), 2);
	CHECK(strstr(out, "No such file") != NULL);
	char *a5[] = { "decode", NULL };
	CHECK_EQ(run_cli(a5, 1, out, sizeof out), 2);
	unlink(path);
}

T_MAIN_BEGIN("decode_api")
	RUN(test_field_table);
	RUN(test_value_text);
	RUN(test_pcap_iteration);
	RUN(test_cli);
T_MAIN_END
