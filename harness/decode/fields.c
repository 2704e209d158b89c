/* fields.c — field names and types from fields.h, name lookup, value text. */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"

static const char *const dec_names[DEC_F_COUNT] = {
#define DEC_X_NAME(id, name, type) [DEC_F_##id] = name,
	DEC_FIELDS(DEC_X_NAME)
#undef DEC_X_NAME
};

static const uint8_t dec_types[DEC_F_COUNT] = {
#define DEC_X_TYPE(id, name, type) [DEC_F_##id] = DEC_T_##type,
	DEC_FIELDS(DEC_X_TYPE)
#undef DEC_X_TYPE
};

static const char *const dec_verdicts[] = {
	[DEC_OK] = "ok", [DEC_TRUNCATED] = "truncated",
	[DEC_MALFORMED] = "malformed", [DEC_UNKNOWN] = "unknown",
};

const char *dec_field_name(unsigned id)
{
	return id < DEC_F_COUNT ? dec_names[id] : NULL;
}

enum dec_type dec_field_type(unsigned id)
{
	return id < DEC_F_COUNT ? (enum dec_type)dec_types[id] : DEC_T_U;
}

const char *dec_verdict_name(enum dec_verdict v)
{
	return (unsigned)v < sizeof dec_verdicts / sizeof *dec_verdicts ? dec_verdicts[v] : "?";
}

/* Name -> id: ids sorted by name once, then binary search. */
static uint16_t dec_sorted[DEC_F_COUNT];
static pthread_once_t dec_sorted_once = PTHREAD_ONCE_INIT;

static int dec_cmp_ids(const void *a, const void *b)
{
	return strcmp(dec_names[*(const uint16_t *)a], dec_names[*(const uint16_t *)b]);
}

static void dec_sort_names(void)
{
	for (unsigned i = 0; i < DEC_F_COUNT; i++)
		dec_sorted[i] = (uint16_t)i;
	qsort(dec_sorted, DEC_F_COUNT, sizeof *dec_sorted, dec_cmp_ids);
}

int dec_field_lookup(const char *name, unsigned *depth)
{
	unsigned d = 0;
	size_t lo = 0, hi = DEC_F_COUNT;

	while (strncmp(name, "inner.", 6) == 0) {
		name += 6;
		d++;
	}
	if (depth)
		*depth = d;
	pthread_once(&dec_sorted_once, dec_sort_names);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, dec_names[dec_sorted[mid]]);
		if (c == 0)
			return dec_sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

const struct dec_field *dec_get(const struct dec_record *rec, unsigned id, unsigned depth)
{
	for (unsigned i = 0; i < rec->n; i++)
		if (rec->f[i].id == id && rec->f[i].depth == depth)
			return &rec->f[i];
	return NULL;
}

const struct dec_field *dec_next(const struct dec_record *rec, const struct dec_field *f)
{
	const struct dec_field *end = rec->f + rec->n;

	for (const struct dec_field *g = f + 1; g < end; g++)
		if (g->id == f->id && g->depth == f->depth)
			return g;
	return NULL;
}

unsigned dec_count(const struct dec_record *rec, unsigned id, unsigned depth)
{
	unsigned k = 0;

	for (unsigned i = 0; i < rec->n; i++)
		k += rec->f[i].id == id && rec->f[i].depth == depth;
	return k;
}

char *dec_full_name(const struct dec_field *f, char *buf, size_t n)
{
	size_t o = 0;

	if (n == 0)
		return buf;
	buf[0] = 0;
	for (unsigned d = 0; d < f->depth && o < n; d++)
		o += (size_t)snprintf(buf + o, n - o, "inner.");
	if (o < n)
		snprintf(buf + o, n - o, "%s", dec_field_name(f->id) ? dec_field_name(f->id) : "?");
	return buf;
}

static void dec_hex(const uint8_t *p, size_t len, char sep, char *buf, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len && o + 4 < n; i++) {
		if (sep && i)
			buf[o++] = sep;
		buf[o++] = hx[p[i] >> 4];
		buf[o++] = hx[p[i] & 15];
	}
	if (len && o + 4 >= n && o >= 2)	/* did not fit: mark the cut */
		buf[o - 1] = '~';
	buf[o] = 0;
}

char *dec_value_text(const struct dec_field *f, char *buf, size_t n)
{
	if (n == 0)
		return buf;
	switch (dec_field_type(f->id)) {
	case DEC_T_U:
		snprintf(buf, n, "%llu", (unsigned long long)f->v.u);
		break;
	case DEC_T_A4:
	case DEC_T_A6:
		if (!inet_ntop(dec_field_type(f->id) == DEC_T_A4 ? AF_INET : AF_INET6, f->v.p, buf, (socklen_t)n))
			snprintf(buf, n, "?");
		break;
	case DEC_T_MAC:
		dec_hex(f->v.p, f->len, ':', buf, n);
		break;
	case DEC_T_B:
		dec_hex(f->v.p, f->len, 0, buf, n);
		break;
	case DEC_T_T: {
		size_t o = 0;
		for (size_t i = 0; i < f->len && o + 5 < n; i++) {
			uint8_t ch = f->v.p[i];
			if (ch >= 0x20 && ch < 0x7f && ch != '\\')
				buf[o++] = (char)ch;
			else
				o += (size_t)snprintf(buf + o, n - o, "\\x%02x", ch);
		}
		buf[o < n ? o : n - 1] = 0;
		break;
	}
	case DEC_T_S:
		snprintf(buf, n, "%s", f->v.s);
		break;
	case DEC_T_L:
		snprintf(buf, n, "@%u+%u", f->off, f->len);
		break;
	}
	return buf;
}
