/* report.c — the report formats by name, and the text report for people. */
#include <arpa/inet.h>
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

static const char *ck_node_name(const struct ck_run *run, int n)
{
	return n >= 0 && n < run->map.n_nodes ? run->map.nodes[n].name : "?";
}

static void ck_addr_text(const uint8_t *a, char *buf, size_t n)
{
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)n))
		snprintf(buf, n, "?");
}

/* Every figure, with the names of docs/checks.md. Times in ms. */
void ck_meas_figures(const struct ck_run *run, ck_figure_fn fn, void *ctx)
{
	const struct ck_meas *m = &run->meas;
	char scope[160], a[64];

	for (int i = 0; i < m->n_flows; i++) {
		const struct ck_flow *fl = &m->flows[i];
		snprintf(scope, sizeof scope, "flow.%u", fl->id);
		fn(ctx, scope, "delivered", (double)fl->delivered);
		fn(ctx, scope, CK_NAME_LOST, (double)ck_flow_lost(fl));
		fn(ctx, scope, "duplicates", (double)fl->dups);
		fn(ctx, scope, "reordered", (double)fl->reordered);
		if (fl->delivered)
			fn(ctx, scope, "delay_avg", fl->d_sum / (double)fl->delivered * 1e3);
	}
	for (int i = 0; i < m->n_ho; i++) {
		const struct ck_handoff *h = &m->ho[i];
		double x, y;
		snprintf(scope, sizeof scope, "handoff.%d", i + 1);
		for (int p = 0; p < CK_PH_COUNT; p++) {
			const char *name = ck_ho_phase(h, p, &x, &y);
			if (x >= 0 && y >= 0)
				fn(ctx, scope, name, (y - x) * 1e3);
		}
		fn(ctx, scope, CK_NAME_SIG_BYTES, (double)h->sig_bytes);
		for (int k = 0; k < h->n_cn; k++) {
			const struct ck_cnreg *c = &h->cn[k];
			ck_addr_text(c->cn, a, sizeof a);
			snprintf(scope, sizeof scope, "handoff.%d.cn.%s", i + 1, a);
			if (c->t_start >= 0 && c->t_ba >= 0)
				fn(ctx, scope, c->dereg ? CK_NAME_CN_DEREG : CK_NAME_CN_REG, (c->t_ba - c->t_start) * 1e3);
		}
		for (int k = 0; k < h->n_hf; k++) {
			const struct ck_hflow *f = &h->hf[k];
			snprintf(scope, sizeof scope, "handoff.%d.flow.%u", i + 1, m->flows[f->flow].id);
			if (f->t_old >= 0 && f->t_new >= 0)
				fn(ctx, scope, CK_NAME_INTERRUPTION, (f->t_new - f->t_old) * 1e3);
			if (f->t_new >= 0)
				fn(ctx, scope, CK_NAME_RESTORATION, (f->t_new - h->t_down) * 1e3);
			fn(ctx, scope, CK_NAME_LOST, (double)f->lost);
		}
	}
}

static void ck_ms(FILE *f, const char *sep, const char *what, double a, double b)
{
	if (a < 0 || b < 0)
		fprintf(f, "%s%s absent", sep, what);
	else
		fprintf(f, "%s%s %.1f ms", sep, what, (b - a) * 1e3);
}

static void ck_text_cn(const struct ck_handoff *h, FILE *f)
{
	char a[64];
	for (int k = 0; k < h->n_cn; k++) {
		const struct ck_cnreg *c = &h->cn[k];
		double rr = c->t_hot > c->t_cot ? c->t_hot : c->t_cot;
		ck_addr_text(c->cn, a, sizeof a);
		fprintf(f, "  correspondent %s:", a);
		ck_ms(f, " ", c->dereg ? CK_NAME_CN_DEREG : CK_NAME_CN_REG, c->t_start, c->t_ba);
		ck_ms(f, " (", "return routability", c->t_start, c->t_hot < 0 || c->t_cot < 0 ? c->t_hot < 0 ? c->t_cot : c->t_hot : rr);
		ck_ms(f, ", ", "binding", c->t_bu, c->t_ba);
		ck_ms(f, "; ", "from l2_up", h->t_up, c->t_start);
		fputs(")\n", f);
	}
}

static void ck_text_handoffs(const struct ck_run *run, FILE *f)
{
	const struct ck_meas *m = &run->meas;

	for (int i = 0; i < m->n_ho; i++) {
		const struct ck_handoff *h = &m->ho[i];
		double a, b;
		fprintf(f, "handoff %d: %s %s -> %s at %.3f s:", i + 1, h->station,
			*h->from ? h->from : "-", h->to, ck_rel(run, h->t_move));
		for (int p = 0; p < CK_PH_COUNT; p++) {
			const char *name = ck_ho_phase(h, p, &a, &b);
			ck_ms(f, p ? ", " : " ", name, a, b);
		}
		fprintf(f, "; %s %llu in %llu frames\n", CK_NAME_SIG_BYTES,
			(unsigned long long)h->sig_bytes, (unsigned long long)h->sig_frames);
		ck_text_cn(h, f);
		for (int k = 0; k < h->n_hf; k++) {
			const struct ck_hflow *x = &h->hf[k];
			const struct ck_flow *fl = &m->flows[x->flow];
			fprintf(f, "  flow %u %s (%s -> %s):", fl->id, fl->down ? "down" : "up",
				ck_node_name(run, fl->send_node), ck_node_name(run, fl->recv_node));
			ck_ms(f, " ", CK_NAME_INTERRUPTION, x->t_old, x->t_new);
			if (x->t_old >= 0 && x->t_new >= 0)
				fprintf(f, " (seq %u -> %u)", x->seq_old, x->seq_new);
			ck_ms(f, ", ", CK_NAME_RESTORATION, h->t_down, x->t_new);
			fprintf(f, ", %s %llu\n", CK_NAME_LOST, (unsigned long long)x->lost);
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
			(unsigned long long)ck_flow_lost(fl), (unsigned long long)fl->dups,
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
