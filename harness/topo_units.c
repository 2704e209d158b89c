/* topo_units.c — the units a topology speaks: times, rates, probabilities,
 * prefixes; and their canonical printed form (exact on reading back). */
#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "topo_priv.h"

struct unit { const char *name; double scale; };

static const struct unit time_units[] = {
	{ "s", 1 }, { "ms", 1e-3 }, { "us", 1e-6 }, { NULL, 0 },
};
static const struct unit rate_units[] = {	/* matched without case */
	{ "bit", 1 }, { "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 }, { NULL, 0 },
};
static const struct unit prob_units[] = {
	{ "%", 1e-2 }, { NULL, 0 },
};

/* "<number>[ ]<unit>" with the unit from tab (or none: scale 1). */
static bool parse_unit(const char *s, const struct unit *tab, double *out)
{
	if (!s || !(isdigit((unsigned char)*s) || *s == '.' || *s == '-' || *s == '+'))
		return false;
	if (strncasecmp(s, "0x", 2) == 0 || strncasecmp(s + 1, "0x", 2) == 0)
		return false;
	char *end;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return false;
	while (*end == ' ')
		end++;
	if (!*end) {
		*out = v;
		return true;
	}
	for (const struct unit *u = tab; u->name; u++)
		if (!strcasecmp(end, u->name)) {
			*out = v * u->scale;
			return true;
		}
	return false;
}

bool topo_parse_time(const char *s, double *out, char *err, size_t errlen)
{
	if (parse_unit(s, time_units, out))
		return true;
	snprintf(err, errlen, "expected a time like \"10ms\", \"250us\", \"1.5s\" "
		 "or a number of seconds, got \"%s\"", s ? s : "(null)");
	return false;
}

bool topo_parse_rate(const char *s, double *out, char *err, size_t errlen)
{
	double v;
	if (!parse_unit(s, rate_units, &v)) {
		snprintf(err, errlen, "expected a rate like \"10Mbit\", \"64kbit\", \"1Gbit\" "
			 "or a number of bit/s, got \"%s\"", s ? s : "(null)");
		return false;
	}
	if (!(v >= TOPO_RATE_MIN && v <= TOPO_RATE_MAX)) {
		snprintf(err, errlen, "expected a rate between 1bit and 1000Gbit, got \"%s\"", s);
		return false;
	}
	*out = v;
	return true;
}

bool topo_parse_prob(const char *s, double *out, char *err, size_t errlen)
{
	double v;
	if (!parse_unit(s, prob_units, &v)) {
		snprintf(err, errlen, "expected a probability like \"1%%\" or 0.01, got \"%s\"",
			 s ? s : "(null)");
		return false;
	}
	if (!(v >= 0 && v <= 1)) {
		snprintf(err, errlen, "expected a probability between 0 and 1 (0%%..100%%), "
			 "got \"%s\"", s);
		return false;
	}
	*out = v;
	return true;
}

bool topo_parse_prefix(const char *s, struct topo_prefix *out)
{
	char buf[INET6_ADDRSTRLEN + 8];
	if (!s || strlen(s) >= sizeof buf)
		return false;
	strcpy(buf, s);
	char *slash = strchr(buf, '/');
	long plen = -1;
	if (slash) {
		*slash = 0;
		const char *q = slash + 1;
		if (!*q || strlen(q) > 3)
			return false;
		for (const char *c = q; *c; c++)
			if (!isdigit((unsigned char)*c))
				return false;
		plen = atol(q);
	}
	struct topo_prefix p = { 0 };
	if (inet_pton(AF_INET, buf, p.addr) == 1)
		p.family = AF_INET;
	else if (inet_pton(AF_INET6, buf, p.addr) == 1)
		p.family = AF_INET6;
	else
		return false;
	int bits = topo_family_bits(p.family);
	if (plen < 0)
		plen = bits;
	if (plen > bits)
		return false;
	p.plen = (int)plen;
	*out = p;
	return true;
}

void topo_prefix_str(const struct topo_prefix *p, bool with_len, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	if (!p->family || !inet_ntop(p->family, p->addr, a, sizeof a)) {
		snprintf(buf, len, "none");
		return;
	}
	if (with_len)
		snprintf(buf, len, "%s/%d", a, p->plen);
	else
		snprintf(buf, len, "%s", a);
}

/* ---- canonical printing ---- */

/* Shortest "%g" text of v that reads back as v * scale == want; digits
 * before the point are kept (250, not 2.5e+02). */
static void shortest(double v, double scale, double want, char *buf, size_t len)
{
	int whole = fabs(v) >= 1 && fabs(v) < 1e15 ? (int)floor(log10(fabs(v))) + 1 : 1;
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec < whole ? whole : prec, v);
		if (strtod(buf, NULL) * scale == want)
			return;
	}
	buf[0] = 0;
}

void topo_fmt_num(double v, char *buf, size_t len)
{
	shortest(v, 1, v, buf, len);
}

/* "\"<x><unit>\"" where strtod(x) * scale == v exactly, else a plain number. */
static void fmt_scaled(double v, double scale, const char *unit, char *buf, size_t len)
{
	char num[40];
	shortest(v / scale, scale, v, num, sizeof num);
	if (num[0])
		snprintf(buf, len, "\"%s%s\"", num, unit);
	else
		topo_fmt_num(v, buf, len);
}

void topo_fmt_time(double v, char *buf, size_t len)
{
	if (v == 0)
		snprintf(buf, len, "0");
	else if (fabs(v) >= 1)
		fmt_scaled(v, 1, "s", buf, len);
	else if (fabs(v) >= 1e-3)
		fmt_scaled(v, 1e-3, "ms", buf, len);
	else
		fmt_scaled(v, 1e-6, "us", buf, len);
}

void topo_fmt_rate(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		fmt_scaled(v, 1e9, "Gbit", buf, len);
	else if (v >= 1e6)
		fmt_scaled(v, 1e6, "Mbit", buf, len);
	else if (v >= 1e3)
		fmt_scaled(v, 1e3, "kbit", buf, len);
	else
		topo_fmt_num(v, buf, len);
}

void topo_fmt_prob(double v, char *buf, size_t len)
{
	if (v == 0)
		snprintf(buf, len, "0");
	else
		fmt_scaled(v, 1e-2, "%", buf, len);
}
