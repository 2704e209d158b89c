/* topo_print.c — `roam -n`: the canonical, fully resolved topology as a Lua
 * file. Every subnet and address is written out, impairments in canonical
 * units, automatic routes marked auto = true (the loader recomputes them),
 * parameters as the param() calls they were resolved with. Loading what this
 * prints gives the same topology, which prints the same bytes. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

static const char *const lua_keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
	"goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then",
	"true", "until", "while", NULL,
};

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\%03u", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* A table key: bare when it is a Lua name, else ["..."]. */
static void put_key(FILE *f, const char *k)
{
	bool name = (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || *k == '_';
	for (const char *c = k; *c && name; c++)
		name = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_' ||
		       (*c >= '0' && *c <= '9');
	for (int i = 0; lua_keywords[i] && name; i++)
		name = strcmp(k, lua_keywords[i]) != 0;
	if (name) {
		fputs(k, f);
	} else {
		fputc('[', f);
		put_str(f, k);
		fputc(']', f);
	}
}

static void put_prefix(FILE *f, const struct topo_prefix *p, bool with_len)
{
	char buf[64];
	topo_prefix_str(p, with_len, buf, sizeof buf);
	put_str(f, buf);
}

/* A parameter value: bare when it reads back as the same number. */
static void put_param(FILE *f, const char *v)
{
	char *end;
	bool bare = false;
	if (*v && strspn(v, "-0123456789") == strlen(v) && strcmp(v, "-")) {
		bare = true;
	} else if (*v) {
		double d = strtod(v, &end);
		char buf[64];
		snprintf(buf, sizeof buf, "%.14g", d);
		if (!strpbrk(buf, ".eEn"))
			strcat(buf, ".0");
		bare = !*end && !strcmp(buf, v);
	}
	if (bare || !strcmp(v, "true") || !strcmp(v, "false"))
		fputs(v, f);
	else
		put_str(f, v);
}

/* ---- impairments ---- */

enum ikind { I_TIME, I_PROB, I_RATE };
static const struct {
	const char *name;
	enum ikind kind;
	size_t off;
} imp_fields[] = {
	{ "delay", I_TIME, offsetof(struct topo_impair, delay) },
	{ "jitter", I_TIME, offsetof(struct topo_impair, jitter) },
	{ "loss", I_PROB, offsetof(struct topo_impair, loss) },
	{ "loss_corr", I_PROB, offsetof(struct topo_impair, loss_corr) },
	{ "rate", I_RATE, offsetof(struct topo_impair, rate) },
	{ "dup", I_PROB, offsetof(struct topo_impair, dup) },
	{ "reorder", I_PROB, offsetof(struct topo_impair, reorder) },
};

static double fld(const struct topo_impair *i, size_t off)
{
	return *(const double *)((const char *)i + off);
}

static void put_val(FILE *f, enum ikind k, double v)
{
	char buf[64];
	if (k == I_TIME)
		topo_fmt_time(v, buf, sizeof buf);
	else if (k == I_PROB)
		topo_fmt_prob(v, buf, sizeof buf);
	else
		topo_fmt_rate(v, buf, sizeof buf);
	fputs(buf, f);
}

static bool ge_eq(const struct topo_impair *a, const struct topo_impair *b)
{
	return a->ge == b->ge && (!a->ge || (a->ge_p == b->ge_p && a->ge_r == b->ge_r &&
		a->ge_loss_good == b->ge_loss_good && a->ge_loss_bad == b->ge_loss_bad));
}

static bool impair_eq(const struct topo_impair *a, const struct topo_impair *b)
{
	for (size_t i = 0; i < sizeof imp_fields / sizeof imp_fields[0]; i++)
		if (fld(a, imp_fields[i].off) != fld(b, imp_fields[i].off))
			return false;
	return ge_eq(a, b);
}

/* Writes ", field = value" for every field of imp that differs from base;
 * returns how many. */
static int put_impair(FILE *f, const struct topo_impair *imp, const struct topo_impair *base,
		      bool lead)
{
	int n = 0;
	for (size_t i = 0; i < sizeof imp_fields / sizeof imp_fields[0]; i++) {
		double v = fld(imp, imp_fields[i].off);
		if (v == fld(base, imp_fields[i].off) || (imp_fields[i].kind == I_RATE && v == 0))
			continue;
		fprintf(f, "%s%s = ", lead || n++ ? ", " : "", imp_fields[i].name);
		put_val(f, imp_fields[i].kind, v);
	}
	if (!ge_eq(imp, base)) {
		fprintf(f, "%sge = ", lead || n++ ? ", " : "");
		if (!imp->ge) {
			fputs("false", f);
		} else {
			fputs("{ p = ", f);
			put_val(f, I_PROB, imp->ge_p);
			fputs(", r = ", f);
			put_val(f, I_PROB, imp->ge_r);
			fputs(", loss_good = ", f);
			put_val(f, I_PROB, imp->ge_loss_good);
			fputs(", loss_bad = ", f);
			put_val(f, I_PROB, imp->ge_loss_bad);
			fputs(" }", f);
		}
	}
	return n;
}

static void put_dir_impair(FILE *f, const char *key, const struct topo_impair *imp)
{
	static const struct topo_impair zero;
	if (impair_eq(imp, &zero))
		return;
	fprintf(f, "\n      %s = { ", key);
	put_impair(f, imp, &zero, false);
	fputs(" },", f);
}

static void put_profile(FILE *f, const struct topo_link *l)
{
	static const char *const dirs[][2] = {
		[TOPO_P2P] = { "forward", "back" }, [TOPO_SEGMENT] = { NULL, NULL },
		[TOPO_CELL] = { "down", "up" },
	};
	int nd = l->kind == TOPO_SEGMENT ? 1 : 2;
	if (!l->n_profile[0] && (nd == 1 || !l->n_profile[1]))
		return;
	fputs("\n      profile = {", f);
	for (int d = 0; d < nd; d++)
		for (int i = 0; i < l->n_profile[d]; i++) {
			const struct topo_step *s = &l->profile[d][i];
			fputs("\n        { t = ", f);
			put_val(f, I_TIME, s->t);
			if (dirs[l->kind][d])
				fprintf(f, ", dir = \"%s\"", dirs[l->kind][d]);
			put_impair(f, &s->imp, &l->imp[d], true);
			fputs(" },", f);
		}
	fputs("\n      },", f);
}

/* ---- nodes ---- */

static void put_route(FILE *f, const struct topo *t, const struct topo_route *r)
{
	fputs("\n        { to = ", f);
	if (r->dst.plen == 0)
		fputs("\"default\"", f);
	else
		put_prefix(f, &r->dst, true);
	if (r->via.family) {
		fputs(", via = ", f);
		put_prefix(f, &r->via, false);
	}
	if (r->iface >= 0) {
		fputs(", dev = ", f);
		put_str(f, t->ifaces[r->iface].name);
	}
	fputs(r->automatic ? ", auto = true },": " },", f);
}

static void put_node(FILE *f, const struct topo *t, const struct topo_node *n)
{
	char num[40];
	fputs("    node { ", f);
	put_str(f, n->name);
	fputs(", role = ", f);
	put_str(f, n->role);
	fprintf(f, ", forward = %s, addressing = %s", n->forward ? "true" : "false",
		n->addressing ? "true" : "false");
	if (n->has_pos) {
		topo_fmt_num(n->x, num, sizeof num);
		fprintf(f, ", pos = { %s, ", num);
		topo_fmt_num(n->y, num, sizeof num);
		fprintf(f, "%s }", num);
	}
	bool more = n->n_run || n->n_conf || n->n_routes;
	if (n->n_run) {
		fputs(",\n      run = {", f);
		for (int i = 0; i < n->n_run; i++) {
			fputs("\n        ", f);
			put_str(f, n->run[i]);
			fputc(',', f);
		}
		fputs("\n      }", f);
	}
	if (n->n_conf) {
		fputs(",\n      conf = {", f);
		for (int i = 0; i < n->n_conf; i++) {
			fputs(" ", f);
			put_key(f, n->conf[i].key);
			fputs(" = ", f);
			put_str(f, n->conf[i].val);
			fputc(',', f);
		}
		fputs(" }", f);
	}
	if (n->n_routes) {
		fputs(",\n      routes = {", f);
		for (int i = 0; i < n->n_routes; i++)
			put_route(f, t, &n->routes[i]);
		fputs("\n      }", f);
	}
	fputs(more ? ",\n    },\n" : " },\n", f);
}

/* ---- links ---- */

static void put_addrs(FILE *f, const struct topo *t, const struct topo_link *l)
{
	bool any = false;
	for (int m = 0; m < l->n_ifaces; m++) {
		const struct topo_iface *g = &t->ifaces[l->ifaces[m]];
		if (!g->v4.family && !g->v6.family)
			continue;
		fputs(any ? "\n        " : "\n      addrs = {\n        ", f);
		any = true;
		put_key(f, t->nodes[g->node].name);
		fputs(" = ", f);
		bool both = g->v4.family && g->v6.family;
		if (both)
			fputs("{ ", f);
		if (g->v4.family)
			put_prefix(f, &g->v4, false);
		if (both)
			fputs(", ", f);
		if (g->v6.family)
			put_prefix(f, &g->v6, false);
		fputs(both ? " }," : ",", f);
	}
	if (any)
		fputs("\n      },", f);
}

static void put_radio(FILE *f, const struct topo_radio *r)
{
	static const struct { const char *key; size_t off; } nums[] = {
		{ "x", offsetof(struct topo_radio, x) },
		{ "y", offsetof(struct topo_radio, y) },
		{ "tx_power", offsetof(struct topo_radio, tx_power) },
		{ "ref_loss", offsetof(struct topo_radio, ref_loss) },
		{ "exponent", offsetof(struct topo_radio, exponent) },
		{ "noise", offsetof(struct topo_radio, noise) },
		{ "snr_min", offsetof(struct topo_radio, snr_min) },
		{ "snr_good", offsetof(struct topo_radio, snr_good) },
	};
	char num[40];
	fputs("\n     ", f);
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		topo_fmt_num(*(const double *)((const char *)r + nums[i].off), num, sizeof num);
		fprintf(f, " %s = %s,", nums[i].key, num);
	}
	fputs("\n      rate = ", f);
	put_val(f, I_RATE, r->rate_max);
	fputs(", handoff_gap = ", f);
	put_val(f, I_TIME, r->handoff_gap);
	fputc(',', f);
}

static void put_link(FILE *f, const struct topo *t, const struct topo_link *l)
{
	static const struct topo_impair zero;
	fprintf(f, "    %s { ", topo_link_kind_names[l->kind]);
	if (l->kind == TOPO_P2P) {
		put_str(f, t->nodes[t->ifaces[l->ifaces[0]].node].name);
		fputs(", ", f);
		put_str(f, t->nodes[t->ifaces[l->ifaces[1]].node].name);
		fputs(", name = ", f);
	}
	put_str(f, l->name);
	if (l->kind == TOPO_CELL) {
		fputs(", ap = ", f);
		put_str(f, t->nodes[t->ifaces[l->ifaces[0]].node].name);
	}
	if (l->kind != TOPO_P2P) {
		int first = l->kind == TOPO_CELL ? 1 : 0;
		fprintf(f, ",\n      %s = {", l->kind == TOPO_CELL ? "stations" : "nodes");
		for (int m = first; m < l->n_ifaces; m++) {
			fputs(m > first ? ", " : " ", f);
			put_str(f, t->nodes[t->ifaces[l->ifaces[m]].node].name);
		}
		fputs(l->n_ifaces > first ? " }" : "}", f);
	}
	fputs(",\n      subnet4 = ", f);
	put_prefix(f, &l->subnet4, true);
	if (l->subnet6.family) {
		fputs(", subnet6 = ", f);
		put_prefix(f, &l->subnet6, true);
	}
	fputc(',', f);
	put_addrs(f, t, l);
	if (l->kind == TOPO_CELL) {
		put_radio(f, &l->radio);
		put_dir_impair(f, "down", &l->imp[0]);
		put_dir_impair(f, "up", &l->imp[1]);
	} else if (l->kind == TOPO_SEGMENT || impair_eq(&l->imp[0], &l->imp[1])) {
		if (!impair_eq(&l->imp[0], &zero)) {
			fputs("\n      ", f);
			put_impair(f, &l->imp[0], &zero, false);
			fputc(',', f);
		}
	} else {
		put_dir_impair(f, "forward", &l->imp[0]);
		put_dir_impair(f, "back", &l->imp[1]);
	}
	put_profile(f, l);
	fputs("\n    },\n", f);
}

void topo_print(const struct topo *t, FILE *f)
{
	bool ipv6 = t->n_links == 0;
	for (int i = 0; i < t->n_links; i++)
		ipv6 |= t->links[i].subnet6.family != 0;
	fprintf(f, "-- roam topology \"%s\", canonical form (roam -n): every subnet and\n"
		"-- address resolved; routes marked auto = true are recomputed on loading.\n",
		t->name);
	if (t->n_params) {
		fputs("-- parameters, with the values this topology was resolved with:\n", f);
		for (int i = 0; i < t->n_params; i++) {
			fputs("param(", f);
			put_str(f, t->params[i].key);
			fputs(", ", f);
			put_param(f, t->params[i].val);
			fputs(")\n", f);
		}
	}
	fputs("return topology {\n  name = ", f);
	put_str(f, t->name);
	fprintf(f, ",\n  routing = \"%s\",\n  ipv6 = %s,\n  nodes = {\n",
		t->auto_routing ? "auto" : "none", ipv6 ? "true" : "false");
	for (int i = 0; i < t->n_nodes; i++)
		put_node(f, t, &t->nodes[i]);
	fputs("  },\n  links = {\n", f);
	for (int i = 0; i < t->n_links; i++)
		put_link(f, t, &t->links[i]);
	fputs("  },\n}\n", f);
}
