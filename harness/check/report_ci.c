/* report_ci.c — JUnit XML and TAP version 13 for CI systems. */
#include <string.h>
#include "check_int.h"

static int ck_count(const struct ck_run *run, enum ck_verdict v)
{
	int n = 0;
	for (int i = 0; i < run->n_res; i++)
		n += run->res[i].verdict == v;
	return n;
}

static void ck_junit_detail(const struct ck_run *run, const struct ck_result *r, FILE *f)
{
	if (r->rfc) { fputs("rfc: ", f); ck_xml_str(f, r->rfc); fputs("&#10;", f); }
	if (r->expected) { fputs("expected: ", f); ck_xml_str(f, r->expected); fputs("&#10;", f); }
	if (r->seen) { fputs("seen: ", f); ck_xml_str(f, r->seen); fputs("&#10;", f); }
	if (r->note) { fputs("note: ", f); ck_xml_str(f, r->note); fputs("&#10;", f); }
	for (int k = 0; k < r->n_refs; k++) {
		fputs("packet: ", f);
		ck_xml_str(f, ck_link_name(run, r->refs[k].link));
		fprintf(f, " frame %llu at %.6f s&#10;", (unsigned long long)r->refs[k].frame, r->refs[k].t);
	}
	fputs("rule: ", f);
	ck_xml_str(f, r->where);
}

static void ck_junit_prop(void *ctx, const char *scope, const char *name, double v)
{
	FILE *f = ctx;
	fputs("    <property name=\"", f);
	ck_xml_str(f, scope);
	fputc('.', f);
	ck_xml_str(f, name);
	fprintf(f, "\" value=\"%.3f\"/>\n", v);
}

void ck_report_junit(const struct ck_run *run, FILE *f)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n<testsuite name=\"roam check ");
	ck_xml_str(f, run->dir);
	fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\" time=\"%.3f\">\n",
		run->n_res, ck_count(run, CK_FAIL), ck_count(run, CK_ERROR), ck_count(run, CK_NA), run->secs);
	if (run->meas.n_flows || run->meas.n_ho) {	/* the measured figures, times in ms */
		fputs("  <properties>\n", f);
		ck_meas_figures(run, ck_junit_prop, f);
		fputs("  </properties>\n", f);
	}
	for (int i = 0; i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		const char *dot = strchr(r->id, '.');
		fputs("  <testcase classname=\"", f);
		char cls[CK_NAME_MAX];
		snprintf(cls, sizeof cls, "%.*s", dot ? (int)(dot - r->id) : (int)strlen(r->id), r->id);
		ck_xml_str(f, cls);
		fputs("\" name=\"", f);
		ck_xml_str(f, r->id);
		fprintf(f, "\" time=\"%.6f\">", r->secs);
		switch (r->verdict) {
		case CK_PASS:
			break;
		case CK_NA:
			fputs("<skipped message=\"", f);
			ck_xml_str(f, r->note ? r->note : "not applicable");
			fputs("\"/>", f);
			break;
		case CK_FAIL:
		case CK_ERROR:
			fputs(r->verdict == CK_FAIL ? "<failure" : "<error", f);
			fputs(" message=\"", f);
			ck_xml_str(f, r->text ? r->text : r->id);
			fputs("\" type=\"", f);
			fputs(r->verdict == CK_FAIL ? "nonconformant" : "rule error", f);
			fputs("\">", f);
			ck_junit_detail(run, r, f);
			fputs(r->verdict == CK_FAIL ? "</failure>" : "</error>", f);
			break;
		default:
			break;
		}
		fputs("</testcase>\n", f);
	}
	fputs("</testsuite>\n</testsuites>\n", f);
}

/* TAP: YAML block strings in single quotes ('' doubles a quote), one line. */
static void ck_tap_str(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; s && *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

static void ck_tap_desc(FILE *f, const char *s)
{
	for (; s && *s; s++)	/* '#' starts a directive, newline ends the line */
		fputc(*s == '#' ? '_' : (*s == '\n' ? ' ' : *s), f);
}

void ck_report_tap(const struct ck_run *run, FILE *f)
{
	fprintf(f, "TAP version 13\n1..%d\n", run->n_res);
	for (int i = 0; i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		bool ok = r->verdict == CK_PASS || r->verdict == CK_NA;
		fprintf(f, "%s %d - ", ok ? "ok" : "not ok", i + 1);
		ck_tap_desc(f, r->id);
		fputs(" ", f);
		ck_tap_desc(f, r->text);
		if (r->verdict == CK_NA) {
			fputs(" # SKIP ", f);
			ck_tap_desc(f, r->note ? r->note : "not applicable");
		}
		fputc('\n', f);
		if (ok)
			continue;
		fputs("  ---\n", f);
		fputs("  verdict: ", f); ck_tap_str(f, ck_verdict_names[r->verdict]); fputc('\n', f);
		fputs("  rfc: ", f); ck_tap_str(f, r->rfc); fputc('\n', f);
		if (r->expected) { fputs("  expected: ", f); ck_tap_str(f, r->expected); fputc('\n', f); }
		if (r->seen) { fputs("  seen: ", f); ck_tap_str(f, r->seen); fputc('\n', f); }
		if (r->note) { fputs("  note: ", f); ck_tap_str(f, r->note); fputc('\n', f); }
		if (r->n_refs) {
			fputs("  packets:\n", f);
			for (int k = 0; k < r->n_refs; k++) {
				fputs("    - ", f);
				char b[256];
				snprintf(b, sizeof b, "%s frame %llu at %.6f s", ck_link_name(run, r->refs[k].link),
					 (unsigned long long)r->refs[k].frame, r->refs[k].t);
				ck_tap_str(f, b);
				fputc('\n', f);
			}
		}
		fputs("  rule: ", f); ck_tap_str(f, r->where); fputc('\n', f);
		fputs("  ...\n", f);
	}
}
