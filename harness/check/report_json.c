/* report_json.c — every figure of the check as one JSON document. */
#include <arpa/inet.h>
#include <math.h>
#include "check_int.h"

static void ck_jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.9g", v);
	else
		fputs("null", f);
}

/* b - a in seconds, or null when a part is absent. */
static void ck_jspan(FILE *f, const char *key, double a, double b, bool comma)
{
	fprintf(f, "\"%s\":", key);
	if (a < 0 || b < 0)
		fputs("null", f);
	else
		ck_jnum(f, b - a);
	if (comma)
		fputc(',', f);
}

static void ck_jrel(FILE *f, const struct ck_run *run, const char *key, double ts)
{
	fprintf(f, "\"%s\":", key);
	if (ts < 0)
		fputs("null", f);
	else
		ck_jnum(f, ck_rel(run, ts));
	fputc(',', f);
}

static void ck_json_results(const struct ck_run *run, FILE *f)
{
	fputs("\"rules\":[", f);
	for (int i = 0; i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		fputs(i ? ",\n {" : "\n {", f);
		fputs("\"id\":", f); ck_json_str(f, r->id);
		fputs(",\"verdict\":", f); ck_json_str(f, ck_verdict_names[r->verdict]);
		fputs(",\"rfc\":", f); ck_json_str(f, r->rfc);
		fputs(",\"text\":", f); ck_json_str(f, r->text);
		fputs(",\"rule\":", f); ck_json_str(f, r->where);
		fputs(",\"expected\":", f); ck_json_str(f, r->expected);
		fputs(",\"seen\":", f); ck_json_str(f, r->seen);
		fputs(",\"note\":", f); ck_json_str(f, r->note);
		fprintf(f, ",\"selected\":%llu,\"secs\":", (unsigned long long)r->selected);
		ck_jnum(f, r->secs);
		fputs(",\"packets\":[", f);
		for (int k = 0; k < r->n_refs; k++) {
			fputs(k ? ",{\"link\":" : "{\"link\":", f);
			ck_json_str(f, ck_link_name(run, r->refs[k].link));
			fprintf(f, ",\"frame\":%llu,\"t\":", (unsigned long long)r->refs[k].frame);
			ck_jnum(f, r->refs[k].t);
			fputc('}', f);
		}
		fputs("]}", f);
	}
	fputs("],\n", f);
}

static void ck_json_flows(const struct ck_run *run, FILE *f)
{
	const struct ck_meas *m = &run->meas;

	fputs("\"flows\":[", f);
	for (int i = 0; i < m->n_flows; i++) {
		const struct ck_flow *fl = &m->flows[i];
		uint64_t sent = fl->any ? (uint64_t)fl->max_seq + 1 : 0;
		fprintf(f, "%s{\"id\":%u,\"receiver\":", i ? ",\n " : "\n ", fl->id);
		ck_json_str(f, fl->recv_node >= 0 ? run->map.nodes[fl->recv_node].name : NULL);
		fprintf(f, ",\"frames\":%llu,\"sent\":%llu,\"delivered\":%llu,\"lost\":%llu,"
			"\"duplicates\":%llu,\"reordered\":%llu,",
			(unsigned long long)fl->frames, (unsigned long long)sent,
			(unsigned long long)fl->delivered, (unsigned long long)ck_flow_lost(fl),
			(unsigned long long)fl->dups, (unsigned long long)fl->reordered);
		bool d = fl->delivered > 0;
		fputs("\"delay_min\":", f); ck_jnum(f, d ? fl->d_min : NAN);
		fputs(",\"delay_avg\":", f); ck_jnum(f, d ? fl->d_sum / (double)fl->delivered : NAN);
		fputs(",\"delay_max\":", f); ck_jnum(f, d ? fl->d_max : NAN);
		fputs(",\"jitter\":", f); ck_jnum(f, d ? fl->jitter : NAN);
		fputs(",\"t_first\":", f); ck_jnum(f, d ? fl->t_first : NAN);
		fputs(",\"t_last\":", f); ck_jnum(f, d ? fl->t_last : NAN);
		fputs(",\"per_second\":[", f);
		bool first = true;
		for (size_t b = 0; b < fl->n_bins; b++) {
			if (!fl->bins[b].n)
				continue;
			fprintf(f, "%s{\"t\":%zu,\"packets\":%u,\"delay_avg\":", first ? "" : ",", b, fl->bins[b].n);
			ck_jnum(f, fl->bins[b].dsum / fl->bins[b].n);
			fputs(",\"jitter\":", f);
			ck_jnum(f, fl->bins[b].jitter);
			fputc('}', f);
			first = false;
		}
		fputs("]}", f);
	}
	fputs("],\n", f);
}

static void ck_json_cn(const struct ck_handoff *h, FILE *f)
{
	char a[64];
	fputs(",\"correspondents\":[", f);
	for (int k = 0; k < h->n_cn; k++) {
		const struct ck_cnreg *c = &h->cn[k];
		if (!inet_ntop(AF_INET6, c->cn, a, sizeof a))
			snprintf(a, sizeof a, "?");
		fputs(k ? ",{\"cn\":" : "{\"cn\":", f);
		ck_json_str(f, a);
		fputc(',', f);
		ck_jspan(f, c->dereg ? CK_NAME_CN_DEREG : CK_NAME_CN_REG, c->t_start, c->t_ba, true);
		ck_jspan(f, "from_l2_up", h->t_up, c->t_start, true);
		ck_jspan(f, "hot", c->t_start, c->t_hot, true);
		ck_jspan(f, "cot", c->t_start, c->t_cot, true);
		ck_jspan(f, "binding", c->t_bu, c->t_ba, false);
		fputc('}', f);
	}
	fputc(']', f);
}

static void ck_json_handoffs(const struct ck_run *run, FILE *f)
{
	const struct ck_meas *m = &run->meas;

	fputs("\"handoffs\":[", f);
	for (int i = 0; i < m->n_ho; i++) {
		const struct ck_handoff *h = &m->ho[i];
		double a, b;
		fputs(i ? ",\n {" : "\n {", f);
		fputs("\"station\":", f); ck_json_str(f, h->station);
		fputs(",\"from\":", f); ck_json_str(f, h->from);
		fputs(",\"to\":", f); ck_json_str(f, h->to);
		fputc(',', f);
		ck_jrel(f, run, "t_move", h->t_move);
		ck_jrel(f, run, "t_l2_down", h->have_down ? h->t_down : -1);
		ck_jrel(f, run, "t_l2_up", h->t_up);
		ck_jrel(f, run, "t_restored", h->t_restored);
		fputs("\"phases\":{", f);
		for (int p = 0; p < CK_PH_COUNT; p++) {
			const char *name = ck_ho_phase(h, p, &a, &b);
			ck_jspan(f, name, a, b, p + 1 < CK_PH_COUNT);
		}
		fputc('}', f);
		ck_json_cn(h, f);
		fprintf(f, ",\"%s\":%llu,\"signalling_frames\":%llu,\"flows\":[", CK_NAME_SIG_BYTES,
			(unsigned long long)h->sig_bytes, (unsigned long long)h->sig_frames);
		for (int k = 0; k < h->n_hf; k++) {
			const struct ck_hflow *x = &h->hf[k];
			fprintf(f, "%s{\"id\":%u,\"direction\":\"%s\",", k ? "," : "", m->flows[x->flow].id,
				m->flows[x->flow].down ? "down" : "up");
			ck_jspan(f, CK_NAME_INTERRUPTION, x->t_old, x->t_new, true);
			ck_jspan(f, CK_NAME_RESTORATION, h->t_down, x->t_new, true);
			if (x->t_old >= 0)
				fprintf(f, "\"seq_old\":%u,", x->seq_old);
			if (x->t_new >= 0)
				fprintf(f, "\"seq_new\":%u,", x->seq_new);
			fprintf(f, "\"%s\":%llu}", CK_NAME_LOST, (unsigned long long)x->lost);
		}
		fputs("]}", f);
	}
	fputs("],\n", f);
}

void ck_report_json(const struct ck_run *run, FILE *f)
{
	const struct ck_meas *m = &run->meas;
	int cnt[CK_NVERDICT] = { 0 };

	for (int i = 0; i < run->n_res; i++)
		cnt[run->res[i].verdict]++;
	fputs("{\"dir\":", f);
	ck_json_str(f, run->dir);
	fprintf(f, ",\"frames\":%llu,\"bytes\":%llu,\"secs\":", (unsigned long long)m->frames,
		(unsigned long long)m->bytes);
	ck_jnum(f, run->secs);
	fprintf(f, ",\"decode\":{\"ok\":%llu,\"truncated\":%llu,\"malformed\":%llu,\"unknown\":%llu},\n",
		(unsigned long long)m->by_verdict[DEC_OK], (unsigned long long)m->by_verdict[DEC_TRUNCATED],
		(unsigned long long)m->by_verdict[DEC_MALFORMED], (unsigned long long)m->by_verdict[DEC_UNKNOWN]);
	fputs("\"links\":[", f);
	for (int i = 0; i < run->map.n_links; i++) {
		fputs(i ? "," : "", f);
		ck_json_str(f, run->map.links[i]);
	}
	fprintf(f, "],\"summary\":{\"pass\":%d,\"fail\":%d,\"na\":%d,\"error\":%d},\n",
		cnt[CK_PASS], cnt[CK_FAIL], cnt[CK_NA], cnt[CK_ERROR]);
	ck_json_results(run, f);
	ck_json_flows(run, f);
	ck_json_handoffs(run, f);
	fprintf(f, "\"exit\":%d}\n", ck_exit_code(run));
}
