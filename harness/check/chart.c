/* chart.c — `roam chart`: a message sequence chart of a run as SVG written
 * directly: one lifeline per node (MAC and IP addresses mapped to names with
 * topology.lua or --role), one arrow per signalling message, data packets
 * summarised per flow and second, handoffs shaded from the event log, and
 * the messages that failed a rule marked with the rule's id. --format html
 * puts the chart and the text report in one page. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "check_int.h"

#define CH_MAX_MSGS 4000
#define CH_MAX_LINES 24
#define CH_ROW 22
#define CH_COL 150
#define CH_TOP 70
#define CH_LEFT 110

struct ch_msg {
	double t;		/* run seconds */
	int link;
	uint64_t frame;
	int from, to;		/* lifelines; to -1: multicast or broadcast */
	char label[64];
	int fail;		/* index of the failed result naming it, -1 none */
	uint32_t count;		/* data rows: packets summarised */
	bool data;
};

struct ch {
	struct ck_run *run;
	char lines[CH_MAX_LINES][CK_NAME_MAX];
	int node_of_line[CH_MAX_LINES];
	int n_lines;
	struct { uint8_t mac[6]; int line; } learnt[64];	/* MACs of unmapped nodes */
	int n_learnt;
	struct ch_msg *m; int n, cap;
	bool truncated;
	double from, to;
};

static int ch_line(struct ch *c, int node, const char *fallback)
{
	const char *name = node >= 0 ? c->run->map.nodes[node].name : fallback;

	for (int i = 0; i < c->n_lines; i++)
		if (!strcmp(c->lines[i], name))
			return i;
	if (c->n_lines == CH_MAX_LINES)
		return CH_MAX_LINES - 1;	/* the last lifeline collects the rest */
	snprintf(c->lines[c->n_lines], CK_NAME_MAX, "%s", c->n_lines == CH_MAX_LINES - 1 ? "others" : name);
	c->node_of_line[c->n_lines] = node;
	return c->n_lines++;
}

static uint64_t ch_u(const struct dec_record *r, unsigned id, uint64_t dflt)
{
	const struct dec_field *f = dec_get(r, id, 0);
	return f ? f->v.u : dflt;
}

static const char *const ch_icmp6[256] = {
	[1] = "Dest Unreachable", [2] = "Packet Too Big", [3] = "Time Exceeded",
	[4] = "Param Problem", [128] = "Echo Request", [129] = "Echo Reply",
	[130] = "MLD Query", [131] = "MLD Report", [133] = "RS", [134] = "RA",
	[135] = "NS", [136] = "NA", [137] = "Redirect", [143] = "MLDv2 Report",
	[144] = "DHAAD Request", [145] = "DHAAD Reply", [146] = "MPS", [147] = "MPA",
};
static const char *const ch_icmp4[256] = {
	[0] = "Echo Reply", [3] = "Unreachable", [8] = "Echo Request", [11] = "Time Exceeded",
	[9] = "Agent Adv", [10] = "Agent Sol",
};
static const char *const ch_mh[16] = {
	"BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE",
};

/* A short label for a signalling record; false for roam traffic. */
static bool ch_label(const struct dec_record *r, char *buf, size_t n)
{
	const struct dec_field *f;
	char a[64];

	if (dec_get(r, DEC_F_TRAFFIC_FLOW, 0) || dec_get(r, DEC_F_TRAFFIC_FLOW, 1) ||
	    dec_get(r, DEC_F_TRAFFIC_FLOW, 2))
		return false;
	if ((f = dec_get(r, DEC_F_MH_TYPE, 0)) || (f = dec_get(r, DEC_F_MH_TYPE, 1))) {
		unsigned t = (unsigned)f->v.u;
		uint64_t seq = ch_u(r, t == 5 ? DEC_F_MH_BU_SEQ : DEC_F_MH_BA_SEQ, 0);
		if (t == 5 || t == 6)
			snprintf(buf, n, "%s seq=%llu", ch_mh[t], (unsigned long long)seq);
		else
			snprintf(buf, n, "MH %s", t < 16 && ch_mh[t] ? ch_mh[t] : "type?");
	} else if ((f = dec_get(r, DEC_F_MIP4_TYPE, 0))) {
		snprintf(buf, n, "%s", f->v.u == 1 ? "Registration Request" : f->v.u == 3 ? "Registration Reply" : "MIPv4");
	} else if ((f = dec_get(r, DEC_F_ICMP6_TYPE, 0))) {
		const char *s = f->v.u < 256 ? ch_icmp6[f->v.u] : NULL;
		const struct dec_field *tg = dec_get(r, DEC_F_ND_NS_TARGET, 0);
		if (tg && f->v.u == 135)
			snprintf(buf, n, "NS %s", dec_value_text(tg, a, sizeof a));
		else if (s)
			snprintf(buf, n, "%s", s);
		else
			snprintf(buf, n, "ICMPv6 %llu", (unsigned long long)f->v.u);
	} else if ((f = dec_get(r, DEC_F_ICMP_TYPE, 0))) {
		const char *s = f->v.u < 256 ? ch_icmp4[f->v.u] : NULL;
		snprintf(buf, n, "%s", s ? s : "ICMP");
	} else if ((f = dec_get(r, DEC_F_ARP_OP, 0))) {
		const struct dec_field *tpa = dec_get(r, DEC_F_ARP_TPA, 0), *spa = dec_get(r, DEC_F_ARP_SPA, 0);
		if (f->v.u == 1 && tpa)
			snprintf(buf, n, "ARP who-has %s", dec_value_text(tpa, a, sizeof a));
		else if (spa)
			snprintf(buf, n, "ARP %s is-at", dec_value_text(spa, a, sizeof a));
		else
			snprintf(buf, n, "ARP");
	} else if ((f = dec_get(r, DEC_F_UDP_DPORT, 0))) {
		snprintf(buf, n, "UDP %llu", (unsigned long long)f->v.u);
	} else if ((f = dec_get(r, DEC_F_TCP_DPORT, 0))) {
		snprintf(buf, n, "TCP %llu", (unsigned long long)f->v.u);
	} else if ((f = dec_get(r, DEC_F_IP6_UPPER, 0)) || (f = dec_get(r, DEC_F_IP_PROTO, 0))) {
		snprintf(buf, n, "IP proto %llu", (unsigned long long)f->v.u);
	} else {
		snprintf(buf, n, "frame (%s)", dec_verdict_name(r->verdict));
	}
	if (r->verdict == DEC_MALFORMED || r->verdict == DEC_TRUNCATED) {
		size_t l = strlen(buf);
		snprintf(buf + l, n - l, " [%s]", dec_verdict_name(r->verdict));
	}
	return true;
}

static bool ch_is_group(const struct dec_record *r)
{
	const struct dec_field *f = dec_get(r, DEC_F_ETH_DST, 0);
	return f && f->len == 6 && (f->v.p[0] & 1);
}

/* The lifeline of a record's source or destination: the node the topology
 * (or --role) names; else the MAC seen before; else a new lifeline named by
 * the IP address (not the unspecified one) or the MAC. */
static int ch_end(struct ch *c, const struct dec_record *r, bool dst)
{
	int node = ck_rec_node(&c->run->map, r, dst);
	const struct dec_field *mac = dec_get(r, dst ? DEC_F_ETH_DST : DEC_F_ETH_SRC, 0), *f;
	char txt[64] = "?";

	if (node >= 0)
		return ch_line(c, node, NULL);
	if (mac && mac->len != 6)
		mac = NULL;
	for (int i = 0; mac && i < c->n_learnt; i++)
		if (!memcmp(c->learnt[i].mac, mac->v.p, 6))
			return c->learnt[i].line;
	if (((f = dec_get(r, dst ? DEC_F_IP6_DST : DEC_F_IP6_SRC, 0)) ||
	     (f = dec_get(r, dst ? DEC_F_IP_DST : DEC_F_IP_SRC, 0)) ||
	     (f = dec_get(r, dst ? DEC_F_ARP_TPA : DEC_F_ARP_SPA, 0))) &&
	    strcmp(dec_value_text(f, txt, sizeof txt), "::") && strcmp(txt, "0.0.0.0"))
		;
	else if (mac)
		dec_value_text(mac, txt, sizeof txt);
	int line = ch_line(c, -1, txt);
	if (mac && c->n_learnt < 64) {
		memcpy(c->learnt[c->n_learnt].mac, mac->v.p, 6);
		c->learnt[c->n_learnt++].line = line;
	}
	return line;
}

static struct ch_msg *ch_add(struct ch *c)
{
	if (c->n == CH_MAX_MSGS) {
		c->truncated = true;
		return NULL;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->m = realloc(c->m, (size_t)c->cap * sizeof *c->m);
	}
	struct ch_msg *m = &c->m[c->n++];
	memset(m, 0, sizeof *m);
	m->fail = -1;
	return m;
}

static int ch_failed(const struct ck_run *run, int link, uint64_t frame)
{
	for (int i = 0; i < run->n_res; i++) {
		if (run->res[i].verdict != CK_FAIL)
			continue;
		for (int k = 0; k < run->res[i].n_refs; k++)
			if (run->res[i].refs[k].link == link && run->res[i].refs[k].frame == frame)
				return i;
	}
	return -1;
}

/* Data rows: one per (flow, second, from, to), merged while streaming. */
static void ch_data(struct ch *c, double t, int from, int to, uint32_t flow, int link, uint64_t frame)
{
	long sec = (long)floor(t);
	for (int i = c->n - 1; i >= 0 && i >= c->n - 64; i--) {
		struct ch_msg *m = &c->m[i];
		if (m->data && (long)floor(m->t) == sec && m->from == from && m->to == to &&
		    strtoul(m->label + 5, NULL, 10) == flow) {
			m->count++;
			snprintf(m->label, sizeof m->label, "flow %u: %u packets", flow, m->count);
			return;
		}
	}
	struct ch_msg *m = ch_add(c);
	if (!m)
		return;
	m->t = t;
	m->data = true;
	m->from = from;
	m->to = to;
	m->link = link;
	m->frame = frame;
	m->count = 1;
	snprintf(m->label, sizeof m->label, "flow %u: 1 packets", flow);
}

static int ch_collect(struct ch *c, char *err, size_t errlen)
{
	struct ck_merge *mg = ck_merge_open(c->run->map.paths, c->run->map.n_links, err, errlen);
	struct dec_record *r = malloc(sizeof *r);
	struct ck_frame f;
	int rc;

	if (!mg) {
		free(r);
		return 2;
	}
	for (int i = 0; i < c->run->map.n_nodes; i++)
		ch_line(c, i, NULL);
	while ((rc = ck_merge_next(mg, &f, err, errlen)) == 1) {
		double t = ck_rel(c->run, f.ts_ns / 1e9);
		if (t < c->from || t > c->to)
			continue;
		dec_frame(f.data, f.caplen, f.wirelen, f.linktype, r);
		char label[64];
		int from = ch_end(c, r, false);
		int to = ch_is_group(r) ? -1 : ch_end(c, r, true);
		if (!ch_label(r, label, sizeof label)) {
			const struct dec_field *fl = dec_get(r, DEC_F_TRAFFIC_FLOW, 0);
			for (unsigned d = 1; !fl && d < DEC_MAX_DEPTH; d++)
				fl = dec_get(r, DEC_F_TRAFFIC_FLOW, d);
			ch_data(c, t, from, to, fl ? (uint32_t)fl->v.u : 0, f.link, f.frame);
			continue;
		}
		struct ch_msg *m = ch_add(c);
		if (!m)
			continue;
		m->t = t;
		m->link = f.link;
		m->frame = f.frame;
		m->from = from;
		m->to = to;
		m->fail = ch_failed(c->run, f.link, f.frame);
		snprintf(m->label, sizeof m->label, "%s", label);
	}
	ck_merge_close(mg);
	free(r);
	return rc < 0 ? 2 : 0;
}

static void ch_text(FILE *o, double x, double y, const char *anchor, const char *cls, const char *s)
{
	fprintf(o, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
	ck_xml_str(o, s);
	fputs("</text>\n", o);
}

static double ch_x(int line)
{
	return CH_LEFT + CH_COL / 2.0 + line * CH_COL;
}

/* The row whose time is the first at or after t (rows are in time order). */
static int ch_row_at(const struct ch *c, double t)
{
	int lo = 0, hi = c->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (c->m[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void ch_svg(const struct ch *c, FILE *o)
{
	int w = CH_LEFT + c->n_lines * CH_COL + 120;
	int h = CH_TOP + (c->n + 1) * CH_ROW + 30;
	const struct ck_meas *me = &c->run->meas;
	char buf[256];

	fprintf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		w, h, w, h);
	fputs("<style>text{font-family:sans-serif;font-size:11px}.node{font-weight:bold;font-size:12px}"
	      ".t{fill:#555}.fail{fill:#c00;font-weight:bold}.data{fill:#268}.ho{fill:#fa3;fill-opacity:0.18}"
	      ".hol{fill:#a60}</style>\n", o);
	fputs("<defs><marker id=\"a\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
	      "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#222\"/></marker>"
	      "<marker id=\"af\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">"
	      "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#c00\"/></marker>"
	      "<marker id=\"ad\" markerWidth=\"6\" markerHeight=\"6\" refX=\"6\" refY=\"3\" orient=\"auto\" "
	      "markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L6,3 L0,6 z\" fill=\"#268\"/></marker></defs>\n", o);
	fprintf(o, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w, h);
	snprintf(buf, sizeof buf, "roam chart %s: %d messages%s", c->run->dir, c->n,
		 c->truncated ? " (truncated: narrow --from/--to)" : "");
	ch_text(o, 10, 18, "start", "node", buf);
	/* handoffs: shaded from l2_down to restoration (the last flow's first
	 * packet delivered on the new path) */
	for (int i = 0; i < me->n_ho; i++) {
		const struct ck_handoff *ho = &me->ho[i];
		double t0 = ck_rel(c->run, ho->t_down), t1 = ck_rel(c->run, ho->t_end >= 0 ? ho->t_end : ho->t_down);
		if (t1 < c->from || t0 > c->to)
			continue;
		int r0 = ch_row_at(c, t0), r1 = ch_row_at(c, t1 + 1e-9) - 1;
		if (r1 < r0)
			r1 = r0;
		double y0 = CH_TOP + (r0 + 0.5) * CH_ROW - 2, y1 = CH_TOP + (r1 + 1.5) * CH_ROW - 6;
		fprintf(o, "<rect class=\"ho\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\"/>\n",
			CH_LEFT - 100, y0, w - CH_LEFT + 100, y1 - y0);
		snprintf(buf, sizeof buf, "handoff %s %s\xe2\x86\x92%s, restoration %.1f ms", ho->station,
			 ho->from, ho->to, ho->t_restored >= 0 ? (ho->t_restored - ho->t_down) * 1e3 : NAN);
		ch_text(o, w - 6, y1 - 4, "end", "hol", buf);
	}
	for (int i = 0; i < c->n_lines; i++) {
		double x = ch_x(i);
		ch_text(o, x, CH_TOP - 24, "middle", "node", c->lines[i]);
		const char *role = c->node_of_line[i] >= 0 ? c->run->map.nodes[c->node_of_line[i]].role : "";
		if (*role && strcmp(role, c->lines[i]))
			ch_text(o, x, CH_TOP - 10, "middle", "t", role);
		fprintf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" stroke-dasharray=\"4,3\"/>\n",
			x, CH_TOP, x, h - 20);
	}
	for (int i = 0; i < c->n; i++) {
		const struct ch_msg *m = &c->m[i];
		double y = CH_TOP + (i + 1) * CH_ROW;
		double x0 = ch_x(m->from), x1 = m->to >= 0 ? ch_x(m->to) : -1;
		snprintf(buf, sizeof buf, "%.6f", m->t);
		ch_text(o, 8, y, "start", "t", buf);
		if (m->data) {
			double a = x1 >= 0 ? x1 : x0 + CH_COL / 2.0;
			fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#268\" stroke-width=\"%.1f\" "
				"stroke-opacity=\"0.5\" marker-end=\"url(#ad)\"/>\n", x0, y, a, y, 1.0 + fmin(6.0, log10(1.0 + m->count) * 2));
			ch_text(o, (x0 + a) / 2, y - 4, "middle", "data", m->label);
			continue;
		}
		const char *color = m->fail >= 0 ? "#c00" : "#222";
		snprintf(buf, sizeof buf, "%s #%llu", ck_link_name(c->run, m->link), (unsigned long long)m->frame);
		fputs("<g><title>", o);
		ck_xml_str(o, buf);
		fputs("</title>\n", o);
		if (x1 < 0) {	/* multicast: a dot and a dashed line over every lifeline */
			fprintf(o, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x0, y, color);
			fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6,3\"/>\n",
				ch_x(0), y, ch_x(c->n_lines - 1), y, color);
			ch_text(o, (ch_x(0) + ch_x(c->n_lines - 1)) / 2, y - 4, "middle",
				m->fail >= 0 ? "fail" : "msg", m->label);
		} else if (x0 == x1) {
			fprintf(o, "<path d=\"M%.1f,%.1f h20 v8 h-20\" fill=\"none\" stroke=\"%s\" marker-end=\"url(#%s)\"/>\n",
				x0, y - 6, color, m->fail >= 0 ? "af" : "a");
			ch_text(o, x0 + 24, y - 2, "start", m->fail >= 0 ? "fail" : "msg", m->label);
		} else {
			fprintf(o, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" marker-end=\"url(#%s)\"/>\n",
				x0, y, x1 + (x1 > x0 ? -2 : 2), y, color, m->fail >= 0 ? "af" : "a");
			ch_text(o, (x0 + x1) / 2, y - 4, "middle", m->fail >= 0 ? "fail" : "msg", m->label);
		}
		if (m->fail >= 0) {
			snprintf(buf, sizeof buf, "\xe2\x9c\x97 %s", c->run->res[m->fail].id);
			ch_text(o, w - 6, y - 4, "end", "fail", buf);
		}
		fputs("</g>\n", o);
	}
	fputs("</svg>\n", o);
}

static void ch_html(const struct ch *c, FILE *o)
{
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>roam chart ", o);
	ck_xml_str(o, c->run->dir);
	fputs("</title><style>body{font-family:sans-serif}pre{background:#f4f4f4;padding:8px}</style></head>\n<body>\n<h1>", o);
	ck_xml_str(o, c->run->dir);
	fputs("</h1>\n", o);
	ch_svg(c, o);
	fputs("<h2>Report</h2>\n<pre>", o);
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	ck_report_text(c->run, m);
	fclose(m);
	ck_xml_str(o, text);
	free(text);
	fputs("</pre>\n</body></html>\n", o);
}

static const char ch_usage[] =
	"usage: roam chart DIR|FILE.pcap [--from T] [--to T] [--out FILE] [--format svg|html]\n"
	"                  [--rules FILE.lua]... [--role ROLE=ADDR]...\n";

int chart_cli(int argc, char **argv)
{
	struct ch c = { .from = -INFINITY, .to = INFINITY };
	char **rules = calloc((size_t)argc + 1, sizeof *rules), **roles = calloc((size_t)argc + 1, sizeof *roles);
	const char *dir = NULL, *out = NULL, *format = "svg";
	int nr = 0, nl = 0, rc = 2;
	char err[2048];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(ch_usage, stdout);
			rc = 0;
			goto out;
		} else if (a[0] == '-' && a[1] && !v) {
			fprintf(stderr, "roam chart: %s needs a value\n%s", a, ch_usage);
			goto out;
		} else if (!strcmp(a, "--from") || !strcmp(a, "--to")) {
			double t = strtod(v, &end);
			if (end == v || *end) {
				fprintf(stderr, "roam chart: %s: expected seconds vs seen \"%s\"\n", a, v);
				goto out;
			}
			*(a[2] == 'f' ? &c.from : &c.to) = t;
			i++;
		} else if (!strcmp(a, "--out")) {
			out = argv[++i];
		} else if (!strcmp(a, "--format")) {
			format = argv[++i];
			if (strcmp(format, "svg") && strcmp(format, "html")) {
				fprintf(stderr, "roam chart: --format: expected svg or html vs seen \"%s\"\n", format);
				goto out;
			}
		} else if (!strcmp(a, "--rules")) {
			rules[nr++] = argv[++i];
		} else if (!strcmp(a, "--role")) {
			roles[nl++] = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "roam chart: unknown option %s\n%s", a, ch_usage);
			goto out;
		} else if (!dir) {
			dir = a;
		} else {
			fprintf(stderr, "roam chart: one folder expected vs seen also \"%s\"\n", a);
			goto out;
		}
	}
	if (!dir) {
		fputs(ch_usage, stderr);
		goto out;
	}
	c.run = calloc(1, sizeof *c.run);
	if ((rc = ck_run_all(c.run, dir, rules, nr, roles, nl, err, sizeof err)) ||
	    (rc = ch_collect(&c, err, sizeof err))) {
		fprintf(stderr, "roam chart: %s\n", err);
		goto out;
	}
	FILE *o = out && strcmp(out, "-") ? fopen(out, "w") : stdout;
	if (!o) {
		fprintf(stderr, "roam chart: fopen %s: %s\n", out, strerror(errno));
		rc = 3;
		goto out;
	}
	if (!strcmp(format, "html"))
		ch_html(&c, o);
	else
		ch_svg(&c, o);
	if (o != stdout && fclose(o) != 0) {
		fprintf(stderr, "roam chart: fclose %s: %s\n", out, strerror(errno));
		rc = 3;
	}
out:
	if (c.run) {
		ck_run_free(c.run);
		free(c.run);
	}
	free(c.m);
	free(rules);
	free(roles);
	return rc;
}
