/* engine.c — the check of one run: load the folder and the rules, one
 * streaming pass over every capture merged by time (decode, index, select,
 * measure), then the rules' checks and the built-in decode rule. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "check.h"
#include "check_int.h"

const char *const ck_verdict_names[CK_NVERDICT] = {
	[CK_PASS] = "pass", [CK_FAIL] = "fail", [CK_NA] = "na", [CK_ERROR] = "error",
};

static double ck_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* decode.malformed: every malformed or truncated frame fails the run;
 * unknown ones are counted in the note. */
struct ck_decrule {
	struct ck_result res;
	uint64_t bad, unknown;
	char first_reason[200];
};

static void ck_decrule_frame(struct ck_decrule *d, const struct ck_run *run,
			     const struct ck_frame *f, const struct dec_record *r)
{
	if (r->verdict == DEC_UNKNOWN) {
		d->unknown++;
		return;
	}
	if (r->verdict != DEC_MALFORMED && r->verdict != DEC_TRUNCATED)
		return;
	if (d->bad++ == 0)
		snprintf(d->first_reason, sizeof d->first_reason, "%s: %s",
			 dec_verdict_name(r->verdict), r->reason);
	if (d->res.n_refs < CK_MAX_REFS)
		d->res.refs[d->res.n_refs++] = (struct ck_ref){ f->link, f->frame,
							       ck_rel(run, f->ts_ns / 1e9) };
}

static void ck_decrule_finish(struct ck_decrule *d, struct ck_run *run)
{
	struct ck_result *res = &d->res;
	char note[400];

	res->id = strdup("decode.malformed");
	res->rfc = strdup("the RFC of each decoded layer");
	res->text = strdup("every frame decodes: none malformed or truncated");
	res->where = strdup("(built in)");
	res->selected = run->meas.frames;
	if (d->bad) {
		res->verdict = CK_FAIL;
		res->expected = strdup("0 malformed or truncated frames");
		snprintf(note, sizeof note, "%llu", (unsigned long long)d->bad);
		res->seen = strdup(note);
		snprintf(note, sizeof note, "first: %s; %llu unknown", d->first_reason,
			 (unsigned long long)d->unknown);
	} else {
		res->verdict = run->meas.frames ? CK_PASS : CK_NA;
		snprintf(note, sizeof note, "%llu frames, %llu with a type not decoded further",
			 (unsigned long long)run->meas.frames, (unsigned long long)d->unknown);
	}
	res->note = strdup(note);
	run->res = realloc(run->res, (size_t)(run->n_res + 1) * sizeof *run->res);
	run->res[run->n_res++] = *res;
}

static int ck_pass(struct ck_run *run, struct ck_lua *cl, struct ck_store *st,
		   struct ck_decrule *dr, char *err, size_t errlen)
{
	struct ck_merge *mg = ck_merge_open(run->map.paths, run->map.n_links, err, errlen);
	struct dec_record *rec = malloc(sizeof *rec);
	struct ck_index *ix = malloc(sizeof *ix);
	struct ck_frame f;
	int nr = ck_lua_n_rules(cl), rc;
	bool nodes = false;

	if (!mg) {
		free(rec);
		free(ix);
		return 2;
	}
	for (int i = 0; i < nr; i++)
		nodes |= ck_sel_needs_nodes(ck_lua_sel(cl, i));
	ck_index_init(ix);
	while ((rc = ck_merge_next(mg, &f, err, errlen)) == 1) {
		enum dec_verdict v = dec_frame(f.data, f.caplen, f.wirelen, f.linktype, rec);
		rec->frame = f.frame;
		rec->ts_ns = f.ts_ns;
		ck_index_build(ix, rec);
		int src = nodes ? ck_rec_node(&run->map, rec, false) : -1;
		int dst = nodes ? ck_rec_node(&run->map, rec, true) : -1;
		uint32_t stored = UINT32_MAX;
		for (int i = 0; i < nr; i++) {
			if (!ck_sel_match(ck_lua_sel(cl, i), rec, ix, f.link, src, dst))
				continue;
			if (stored == UINT32_MAX)
				stored = ck_store_add(st, &f, v);
			ck_lua_select(cl, i, stored);
		}
		ck_meas_frame(&run->meas, &run->map, &f, rec, ix);
		ck_decrule_frame(dr, run, &f, rec);
		ck_index_clear(ix, rec);
	}
	ck_merge_close(mg);
	free(rec);
	free(ix);
	return rc < 0 ? 2 : 0;
}

int ck_run_all(struct ck_run *run, const char *dir, char *const *rules, int n_rules,
	       char *const *roles, int n_roles, char *err, size_t errlen)
{
	struct ck_store st = { 0 };
	struct ck_decrule dr;
	struct ck_lua *cl = NULL;
	int rc;

	memset(run, 0, sizeof *run);
	memset(&dr, 0, sizeof dr);
	snprintf(run->dir, sizeof run->dir, "%s", dir);
	if ((rc = ck_map_load(&run->map, &run->ev, dir, roles, n_roles, err, errlen)))
		return rc;
	ck_meas_init(&run->meas, &run->map, &run->ev);
	if (!(cl = ck_lua_new(run, &st, err, errlen)))
		return 3;	/* the helper library is part of the installation */
	for (int i = 0; i < n_rules; i++)
		if ((rc = ck_lua_load(cl, rules[i], err, errlen)))
			goto out;
	double t0 = ck_mono();
	if ((rc = ck_pass(run, cl, &st, &dr, err, errlen)))
		goto out;
	ck_meas_finish(&run->meas);
	ck_lua_check_all(cl);
	ck_decrule_finish(&dr, run);
	run->secs = ck_mono() - t0;
out:
	ck_lua_free(cl);
	ck_store_free(&st);
	return rc;
}

void ck_run_free(struct ck_run *run)
{
	for (int i = 0; i < run->n_res; i++) {
		struct ck_result *r = &run->res[i];
		free(r->id); free(r->rfc); free(r->text); free(r->where);
		free(r->note); free(r->expected); free(r->seen);
	}
	free(run->res);
	ck_meas_free(&run->meas);
	ck_map_free(&run->map, &run->ev);
	memset(run, 0, sizeof *run);
}

int ck_exit_code(const struct ck_run *run)
{
	int rc = 0;

	/* A rule that raised an error did not judge the capture: the check
	 * failed (1), it was not bad input (2); the report names the error. */
	for (int i = 0; i < run->n_res; i++)
		if (run->res[i].verdict == CK_FAIL || run->res[i].verdict == CK_ERROR)
			rc = 1;
	return rc;
}

double ck_rel(const struct ck_run *run, double ts)
{
	return ts - run->meas.t0;
}

const char *ck_link_name(const struct ck_run *run, int link)
{
	return link >= 0 && link < run->map.n_links ? run->map.links[link] : "?";
}

static const char ck_usage[] =
	"usage: roam check DIR|FILE.pcap RULES.lua... [--report FORMAT:FILE]... [--role ROLE=ADDR]...\n"
	"  FORMAT text|junit|tap|json (FILE - is stdout); text to stdout by default\n";

static int ck_main(const char *dir, char *const *rules, int n_rules, char *const *reports,
		   int n_reports, char *const *roles, int n_roles)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[2048];
	int rc;

	for (int i = 0; i < n_reports; i++)	/* bad formats before the work */
		if (check_report_ok(reports[i], err, sizeof err)) {
			fprintf(stderr, "roam check: %s\n", err);
			free(run);
			return 2;
		}
	rc = ck_run_all(run, dir, rules, n_rules, roles, n_roles, err, sizeof err);
	if (rc) {
		fprintf(stderr, "roam check: %s\n", err);
		ck_run_free(run);
		free(run);
		return rc;
	}
	if (n_reports == 0)
		ck_report_text(run, stdout);
	for (int i = 0; i < n_reports; i++)
		if (ck_report_write(run, reports[i], err, sizeof err)) {
			fprintf(stderr, "roam check: %s\n", err);
			rc = 3;
		}
	if (!rc)
		rc = ck_exit_code(run);
	ck_run_free(run);
	free(run);
	return rc;
}

int check_run_dir(const char *dir, char *const *rules, int n_rules,
		  char *const *reports, int n_reports)
{
	return ck_main(dir, rules, n_rules, reports, n_reports, NULL, 0);
}

int check_cli(int argc, char **argv)
{
	char **rules = calloc((size_t)argc + 1, sizeof *rules);
	char **reports = calloc((size_t)argc + 1, sizeof *reports);
	char **roles = calloc((size_t)argc + 1, sizeof *roles);
	int nr = 0, np = 0, nl = 0, rc = 2;
	const char *dir = NULL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "--report") || !strcmp(a, "--role")) && i + 1 < argc) {
			if (a[3] == 'e')
				reports[np++] = argv[++i];
			else
				roles[nl++] = argv[++i];
		} else if (!strncmp(a, "--report=", 9)) {
			reports[np++] = (char *)a + 9;
		} else if (!strncmp(a, "--role=", 7)) {
			roles[nl++] = (char *)a + 7;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(ck_usage, stdout);
			rc = 0;
			goto out;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "roam check: unknown option %s\n%s", a, ck_usage);
			goto out;
		} else if (!dir) {
			dir = a;
		} else {
			rules[nr++] = argv[i];
		}
	}
	if (!dir) {
		fputs(ck_usage, stderr);
		goto out;
	}
	rc = ck_main(dir, rules, nr, reports, np, roles, nl);
out:
	free(rules);
	free(reports);
	free(roles);
	return rc;
}
