/* report.c — the report formats by name, and the text report for people. */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include "check.h"
#include "check_int.h"

static const struct { const char *name; ck_report_fn fn; } ck_formats[] = {
	{ "text", ck_report_text }, { "json", ck_report_json },
	{ "junit", ck_report_junit }, { "tap", ck_report_tap },
};

ck_report_fn ck_report_find(const char *format)
{
	for (size_t i = 0; i < sizeof ck_formats / sizeof *ck_formats; i++)
		if (!strcmp(ck_formats[i].name, format))
			return ck_formats[i].fn;
	return NULL;
}

int check_report_ok(const char *spec, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	char fmt[32], dir[4096];
	const char *slash;
	struct stat sb;

	snprintf(fmt, sizeof fmt, "%.*s", (int)(n < sizeof fmt ? n : sizeof fmt - 1), spec);
	if (!ck_report_find(fmt)) {
		snprintf(err, errlen, "--report %s: expected FORMAT text|junit|tap|json vs seen \"%s\"", spec, fmt);
		return 2;
	}
	if (!colon || !colon[1] || !strcmp(colon + 1, "-"))
		return 0;
	slash = strrchr(colon + 1, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - colon - 1) : 1, slash ? colon + 1 : ".");
	if (!dir[0])
		snprintf(dir, sizeof dir, "/");
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "--report %s: expected an existing folder %s for the report vs %s",
			 spec, dir, stat(dir, &sb) < 0 ? strerror(errno) : "not a folder");
		return 2;
	}
	return 0;
}

int ck_report_write(const struct ck_run *run, const char *spec, char *err, size_t errlen)
{
	char fmt[32];
	const char *colon = strchr(spec, ':');
	const char *file = colon ? colon + 1 : "-";
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	ck_report_fn fn;

	snprintf(fmt, sizeof fmt, "%.*s", (int)(n < sizeof fmt ? n : sizeof fmt - 1), spec);
	if (!(fn = ck_report_find(fmt))) {
		snprintf(err, errlen, "--report: expected FORMAT text|junit|tap|json vs seen \"%s\"", fmt);
		return 2;
	}
	if (!strcmp(file, "-") || !*file) {
		fn(run, stdout);
		fflush(stdout);
		return 0;
	}
	FILE *f = fopen(file, "w");
	if (!f) {
		snprintf(err, errlen, "fopen %s: %s", file, strerror(errno));
		return 3;
	}
	fn(run, f);
	if (fclose(f) != 0) {
		snprintf(err, errlen, "fclose %s: %s", file, strerror(errno));
		return 3;
	}
	return 0;
}

static const char *const ck_upper[CK_NVERDICT] = { "PASS", "FAIL", "N/A ", "ERR " };

static void ck_ms(FILE *f, const char *what, double a, double b)
{
	if (a < 0 || b < 0)
		fprintf(f, " %s absent", what);
	else
		fprintf(f, " %s %.1f ms", what, (b - a) * 1e3);
}

static void ck_text_handoffs(const struct ck_run *run, FILE *f)
{
	const struct ck_meas *m = &run->meas;

	for (int i = 0; i < m->n_ho; i++) {
		const struct ck_handoff *h = &m->ho[i];
		fprintf(f, "handoff %d: %s %s -> %s at %.3f s:", i + 1, h->station,
			*h->from ? h->from : "-", h->to, ck_rel(run, h->t_move));
		ck_ms(f, "total", h->t_down, h->t_first);
		fputc(',', f);
		ck_ms(f, "l2 gap", h->have_down ? h->t_down : -1, h->t_up);
		fputc(',', f);
		ck_ms(f, "detection", h->t_up, h->t_detect);
		fputc(',', f);
		ck_ms(f, "address", h->t_detect, h->t_reg);
		fputc(',', f);
		ck_ms(f, "registration", h->t_reg, h->t_reg_reply);
		fputc(',', f);
		ck_ms(f, "route optimisation", h->t_ro, h->t_ro_done);
		fprintf(f, "; signalling %llu bytes in %llu frames\n",
			(unsigned long long)h->sig_bytes, (unsigned long long)h->sig_frames);
		for (int k = 0; k < h->n_hf; k++) {
			const struct ck_hflow *x = &h->hf[k];
			fprintf(f, "  flow %u:", m->flows[x->flow].id);
			if (x->have_first)
				fprintf(f, " first on the new path %.1f ms after l2_down (seq %u), lost %llu\n",
					(x->t_first - h->t_down) * 1e3, x->seq_first, (unsigned long long)x->lost);
			else
				fprintf(f, " none on the new path\n");
		}
	}
}

void ck_report_text(const struct ck_run *run, FILE *f)
{
	int count[CK_NVERDICT] = { 0 };
	const struct ck_meas *m = &run->meas;

	fprintf(f, "roam check %s: %llu frames on %d links in %.3f s\n", run->dir,
		(unsigned long long)m->frames, run->map.n_links, run->secs);
	for (int i = 0; i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		count[r->verdict]++;
		fprintf(f, "%s %-28s %-22s %s", ck_upper[r->verdict], r->id, r->rfc ? r->rfc : "",
			r->text ? r->text : "");
		if (r->note && r->verdict != CK_FAIL && r->verdict != CK_ERROR)
			fprintf(f, " (%s)", r->note);
		fputc('\n', f);
		if (r->verdict != CK_FAIL && r->verdict != CK_ERROR)
			continue;
		if (r->expected)
			fprintf(f, "     expected: %s\n", r->expected);
		if (r->seen)
			fprintf(f, "     seen:     %s\n", r->seen);
		if (r->note)
			fprintf(f, "     note:     %s\n", r->note);
		for (int k = 0; k < r->n_refs; k++)
			fprintf(f, "     packet:   %s frame %llu at %.6f s\n", ck_link_name(run, r->refs[k].link),
				(unsigned long long)r->refs[k].frame, r->refs[k].t);
		fprintf(f, "     rule:     %s\n", r->where);
	}
	for (int i = 0; i < m->n_flows; i++) {
		const struct ck_flow *fl = &m->flows[i];
		uint64_t sent = fl->any ? (uint64_t)fl->max_seq + 1 : 0;
		fprintf(f, "flow %u: delivered %llu of %llu, lost %llu, duplicates %llu, reordered %llu",
			fl->id, (unsigned long long)fl->delivered, (unsigned long long)sent,
			(unsigned long long)(sent - fl->delivered), (unsigned long long)fl->dups,
			(unsigned long long)fl->reordered);
		if (fl->delivered)
			fprintf(f, ", delay min %.3f avg %.3f max %.3f ms, jitter %.3f ms",
				fl->d_min * 1e3, fl->d_sum / (double)fl->delivered * 1e3, fl->d_max * 1e3,
				fl->jitter * 1e3);
		fputc('\n', f);
	}
	ck_text_handoffs(run, f);
	fprintf(f, "%d rules: %d pass, %d fail, %d not applicable, %d error\n", run->n_res,
		count[CK_PASS], count[CK_FAIL], count[CK_NA], count[CK_ERROR]);
}
