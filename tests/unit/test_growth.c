/* test_growth.c — every shipped rule set does work linear in the capture:
 * the Lua instructions its checks run on a capture of N mobility signalling
 * frames and on one of 4N (harness/check/pgmob.c) must grow by at most 5
 * times (4 for linear work, 16 for quadratic). Counted, not timed: the
 * engine's instruction hook (res->kinstr), so a loaded machine cannot make
 * it flaky. issue 10, item 3. */
#include <stdint.h>
#include <unistd.h>
#include "t.h"
#include "check/check.h"
#include "check/check_int.h"
#include "check/pktgen.h"

#define G_N 1200		/* frames of the smaller capture */
#define G_MN 60			/* mobile nodes per family */
#define G_LIMIT 5.0

static char g_dir[] = "/tmp/roam-test-growth.XXXXXX";
static char g_small[4200], g_big[4200];

struct g_work { uint64_t kinstr; int errors, rules; struct { char id[64]; uint64_t k; } r[128]; };

static int g_run(const char *pcap, const char *set, struct g_work *w)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[2048], *rv[] = { (char *)set };
	int rc = ck_run_all(run, pcap, rv, 1, NULL, 0, err, sizeof err);

	memset(w, 0, sizeof *w);
	if (rc)
		printf("  %s on %s: %s\n", set, pcap, err);
	for (int i = 0; !rc && i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		w->kinstr += r->kinstr;
		if (r->verdict == CK_ERROR) {
			w->errors++;
			printf("  %s: error: %.300s\n", r->id, r->note ? r->note : "");
		}
		if (w->rules < 128) {
			snprintf(w->r[w->rules].id, sizeof w->r[0].id, "%s", r->id);
			w->r[w->rules++].k = r->kinstr;
		}
	}
	ck_run_free(run);
	free(run);
	return rc;
}

static void g_set(const char *set)
{
	struct g_work *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);

	CHECK_EQ(g_run(g_small, set, a), 0);
	CHECK_EQ(g_run(g_big, set, b), 0);
	CHECK_EQ(a->errors + b->errors, 0);
	CHECK(a->kinstr > 0);	/* the rules did work on the capture */
	double ratio = a->kinstr ? (double)b->kinstr / (double)a->kinstr : 0;
	printf("  %s: %llu thousand Lua instructions on %d frames, %llu on %d: ratio %.2f (limit %.0f)\n",
	       set, (unsigned long long)a->kinstr, G_N, (unsigned long long)b->kinstr, 4 * G_N, ratio, G_LIMIT);
	if (ratio > G_LIMIT)	/* name the rules that grow */
		for (int i = 0; i < a->rules && i < b->rules; i++)
			if (b->r[i].k > 100 && b->r[i].k > G_LIMIT * (double)(a->r[i].k ? a->r[i].k : 1))
				printf("    %s: %llu -> %llu\n", b->r[i].id, (unsigned long long)a->r[i].k,
				       (unsigned long long)b->r[i].k);
	CHECK(ratio <= G_LIMIT);
	free(a);
	free(b);
}

static void growth_nd(void) { g_set("nd.lua"); }
static void growth_ip(void) { g_set("ip.lua"); }
static void growth_mip6(void) { g_set("mip6.lua"); }
static void growth_mip4(void) { g_set("mip4.lua"); }

T_MAIN_BEGIN("growth")
	char err[512];
	if (!mkdtemp(g_dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(g_small, sizeof g_small, "%s/n.pcap", g_dir);
	snprintf(g_big, sizeof g_big, "%s/4n.pcap", g_dir);
	if (pg_mobility(g_small, G_N, G_MN, err, sizeof err) || pg_mobility(g_big, 4 * G_N, G_MN, err, sizeof err)) {
		printf("FAIL growth.capture: %s\n", err);
		return 1;
	}
	RUN(growth_nd);
	RUN(growth_ip);
	RUN(growth_mip6);
	RUN(growth_mip4);
	unlink(g_small);
	unlink(g_big);
	rmdir(g_dir);
T_MAIN_END
