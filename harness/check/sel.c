/* sel.c — rule selectors as C predicates: every condition is a field id, a
 * depth and an operator, evaluated against a per-record index of first
 * occurrences, so selecting costs no Lua call and no name lookup per frame. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "check_int.h"

#define CK_NONE 0xffff

void ck_index_init(struct ck_index *ix)
{
	memset(ix->first, 0xff, sizeof ix->first);
}

void ck_index_build(struct ck_index *ix, const struct dec_record *r)
{
	for (int i = (int)r->n - 1; i >= 0; i--) {
		const struct dec_field *f = &r->f[i];
		if (f->depth < DEC_MAX_DEPTH && f->id < DEC_F_COUNT)
			ix->first[f->depth][f->id] = (uint16_t)i;
	}
}

void ck_index_clear(struct ck_index *ix, const struct dec_record *r)
{
	for (unsigned i = 0; i < r->n; i++) {
		const struct dec_field *f = &r->f[i];
		if (f->depth < DEC_MAX_DEPTH && f->id < DEC_F_COUNT)
			ix->first[f->depth][f->id] = CK_NONE;
	}
}

static bool ck_val_eq(const struct dec_field *f, const struct ck_val *v)
{
	switch (dec_field_type(f->id)) {
	case DEC_T_U:
		return f->v.u == v->u;
	case DEC_T_S:
		return strlen(f->v.s) == v->blen && memcmp(f->v.s, v->b, v->blen) == 0;
	case DEC_T_L:
		return true;
	default:
		return f->len == v->blen && memcmp(f->v.p, v->b, v->blen) == 0;
	}
}

static bool ck_cond_eq(const struct ck_cond *c, const struct dec_record *r, const struct dec_field *f)
{
	for (; f; f = dec_next(r, f))
		for (int k = 0; k < c->nv; k++)
			if (ck_val_eq(f, &c->v[k]))
				return true;
	return false;
}

static bool ck_conj_match(const struct ck_conj *cj, const struct dec_record *r,
			  const struct ck_index *ix, int link, int src, int dst)
{
	if (cj->nlinks) {
		bool in = false;
		for (int i = 0; i < cj->nlinks && !in; i++)
			in = cj->links[i] == link;
		if (!in)
			return false;
	}
	if (cj->verdicts && !(cj->verdicts & (1 << r->verdict)))
		return false;
	if (cj->from >= 0 && src != cj->from)
		return false;
	if (cj->to >= 0 && dst != cj->to)
		return false;
	for (int i = 0; i < cj->nc; i++) {
		const struct ck_cond *c = &cj->c[i];
		uint16_t at = ix->first[c->depth][c->id];
		const struct dec_field *f = at == CK_NONE ? NULL : &r->f[at];
		switch (c->op) {
		case CK_PRESENT: if (!f) return false; break;
		case CK_ABSENT: if (f) return false; break;
		case CK_EQ: if (!f || !ck_cond_eq(c, r, f)) return false; break;
		case CK_NE: if (!f || ck_cond_eq(c, r, f)) return false; break;
		}
	}
	return true;
}

bool ck_sel_match(const struct ck_sel *s, const struct dec_record *r,
		  const struct ck_index *ix, int link, int src, int dst)
{
	for (int i = 0; i < s->nalt; i++)
		if (ck_conj_match(&s->alt[i], r, ix, link, src, dst))
			return true;
	return false;
}

bool ck_sel_needs_nodes(const struct ck_sel *s)
{
	for (int i = 0; i < s->nalt; i++)
		if (s->alt[i].from >= 0 || s->alt[i].to >= 0)
			return true;
	return false;
}

void ck_sel_free(struct ck_sel *s)
{
	for (int i = 0; i < s->nalt; i++) {
		for (int k = 0; k < s->alt[i].nc; k++)
			free(s->alt[i].c[k].v);
		free(s->alt[i].c);
		free(s->alt[i].links);
	}
	free(s->alt);
	memset(s, 0, sizeof *s);
}

static int ck_hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

bool ck_val_parse(unsigned id, const char *text, struct ck_val *v)
{
	memset(v, 0, sizeof *v);
	switch (dec_field_type(id)) {
	case DEC_T_U: {
		char *end;
		v->u = strtoull(text, &end, 0);
		return *text && *end == 0;
	}
	case DEC_T_A4:
		v->blen = 4;
		return inet_pton(AF_INET, text, v->b) == 1;
	case DEC_T_A6:
		v->blen = 16;
		return inet_pton(AF_INET6, text, v->b) == 1;
	case DEC_T_S:
	case DEC_T_T:
		if (strlen(text) > sizeof v->b)
			return false;
		v->blen = (uint8_t)strlen(text);
		memcpy(v->b, text, v->blen);
		return true;
	case DEC_T_L:
		return false;
	default:	/* MAC and bytes: hex, ':' optional */
		for (const char *s = text; *s;) {
			if (*s == ':') {
				s++;
				continue;
			}
			int h = ck_hexval(s[0]), l = s[1] ? ck_hexval(s[1]) : -1;
			if (h < 0 || l < 0 || v->blen >= sizeof v->b)
				return false;
			v->b[v->blen++] = (uint8_t)(h * 16 + l);
			s += 2;
		}
		return v->blen > 0;
	}
}
