/* fields.c — reading a layer's Lua table into its bytes: values, symbols,
 * flags, addresses, hex; the key check with the list of known keys; the
 * buffer and the checksum helpers shared by the layer builders. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include "cksum.h"
#include "cr_int.h"

int cr_err(struct cr *c, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (!*c->where && !key)
		return luaL_error(c->L, "%s: %s", c->env->what, msg);
	return luaL_error(c->L, "%s: %s%s%s: %s", c->env->what, c->where,
			  key && *c->where ? "." : "", key ? key : "", msg);
}

size_t cr_grow(struct cr *c, size_t n)
{
	size_t off = c->len;

	if (n > c->cap - c->len)
		cr_err(c, NULL, "the frame would exceed %zu bytes", c->cap);
	memset(c->buf + off, 0, n);
	c->len += n;
	return off;
}

void cr_append(struct cr *c, const void *p, size_t n)
{
	size_t off = cr_grow(c, n);
	if (n)
		memcpy(c->buf + off, p, n);
}

void cr_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void cr_put32(uint8_t *p, uint32_t v)
{
	cr_put16(p, v >> 16);
	cr_put16(p + 2, v & 0xffff);
}

uint32_t cr_get16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

size_t cr_enter(struct cr *c, const char *fmt, ...)
{
	size_t mark = strlen(c->where);
	va_list ap;

	if (mark && mark + 1 < sizeof c->where)
		c->where[mark] = '.';
	va_start(ap, fmt);
	vsnprintf(c->where + mark + !!mark, sizeof c->where - mark - !!mark, fmt, ap);
	va_end(ap);
	return mark;
}

void cr_leave(struct cr *c, size_t mark)
{
	c->where[mark] = '\0';
}

static const char *cr_show(lua_State *L, int idx)
{
	if (lua_type(L, idx) == LUA_TSTRING)
		return lua_pushfstring(L, "\"%s\"", lua_tostring(L, idx));
	if (lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TBOOLEAN)
		return luaL_tolstring(L, idx, NULL);
	return luaL_typename(L, idx);
}

uint64_t cr_value(struct cr *c, int idx, const char *key, uint64_t max,
		  const struct cr_sym *syms)
{
	lua_State *L = c->L;
	int isint;

	idx = lua_absindex(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING && syms) {
		const char *s = lua_tostring(L, idx);
		char known[256] = "";
		for (const struct cr_sym *y = syms; y->name; y++) {
			if (!strcmp(y->name, s))
				return y->v;
			snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
				 *known ? ", " : "", y->name);
		}
		cr_err(c, key, "expected a number or one of %s vs \"%s\"", known, s);
	}
	if (lua_type(L, idx) == LUA_TBOOLEAN)
		return lua_toboolean(L, idx) && max >= 1;
	lua_Integer v = lua_tointegerx(L, idx, &isint);
	if (lua_type(L, idx) != LUA_TNUMBER || !isint || v < 0 || (uint64_t)v > max) {
		if (max == UINT64_MAX && lua_type(L, idx) == LUA_TNUMBER && isint)
			return (uint64_t)v;	/* 64-bit values: any integer */
		cr_err(c, key, "expected an integer 0..%llu vs %s", (unsigned long long)max,
		       cr_show(L, idx));
	}
	return (uint64_t)v;
}

uint64_t cr_uint(struct cr *c, int t, const char *key, uint64_t max)
{
	uint64_t v;

	lua_getfield(c->L, t, key);
	v = cr_value(c, -1, key, max, NULL);
	lua_pop(c->L, 1);
	return v;
}

static int cr_xdigit(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

size_t cr_hex(struct cr *c, int idx, const char *key, uint8_t *out, size_t max)
{
	size_t n = 0, len;
	const char *s;
	int hi = -1;

	if (lua_type(c->L, idx) != LUA_TSTRING)
		cr_err(c, key, "expected a hex string vs %s", cr_show(c->L, idx));
	s = lua_tolstring(c->L, idx, &len);
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++) {
		int d = cr_xdigit((unsigned char)s[i]);
		if (d < 0 && (s[i] == ':' || s[i] == ' ' || s[i] == '-') && hi < 0)
			continue;
		if (d < 0)
			cr_err(c, key, "expected hex digits vs '%c' in \"%s\"", s[i], s);
		if (hi < 0) {
			hi = d;
			continue;
		}
		if (n == max)
			cr_err(c, key, "expected at most %zu bytes of hex vs more", max);
		out[n++] = (uint8_t)(hi << 4 | d);
		hi = -1;
	}
	if (hi >= 0)
		cr_err(c, key, "expected an even number of hex digits vs \"%s\"", s);
	return n;
}

void cr_addr(struct cr *c, int idx, const char *key, int family, uint8_t *out)
{
	const char *s = lua_tostring(c->L, idx);

	if (lua_type(c->L, idx) != LUA_TSTRING ||
	    inet_pton(family == 4 ? AF_INET : AF_INET6, s, out) != 1)
		cr_err(c, key, "expected an IPv%d address vs %s", family, cr_show(c->L, idx));
}

void cr_mac(struct cr *c, int idx, const char *key, uint8_t out[6])
{
	unsigned b[6];
	char extra;
	const char *s = lua_tostring(c->L, idx);

	if (lua_type(c->L, idx) != LUA_TSTRING ||
	    sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &extra) != 6)
		cr_err(c, key, "expected a MAC address aa:bb:cc:dd:ee:ff vs %s",
		       cr_show(c->L, idx));
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255)
			cr_err(c, key, "expected bytes 00..ff vs \"%s\"", s);
		out[i] = (uint8_t)b[i];
	}
}

const char *cr_str(struct cr *c, int t, const char *key, size_t *n)
{
	const char *s;

	if (lua_getfield(c->L, t, key) == LUA_TNIL) {
		lua_pop(c->L, 1);
		return NULL;
	}
	if (lua_type(c->L, -1) != LUA_TSTRING)
		cr_err(c, key, "expected a string of bytes vs %s", cr_show(c->L, -1));
	s = lua_tolstring(c->L, -1, n);
	lua_pop(c->L, 1);	/* the table still holds it */
	return s;
}

int cr_sub(struct cr *c, int t, const char *key)
{
	int ty = lua_getfield(c->L, t, key);

	if (ty == LUA_TTABLE)
		return lua_gettop(c->L);
	if (ty != LUA_TNIL)
		cr_err(c, key, "expected a table vs %s", cr_show(c->L, -1));
	lua_pop(c->L, 1);
	return 0;
}

bool cr_raw(struct cr *c, int t, const char *layer)
{
	int lt = cr_sub(c, t, layer);
	size_t n, m;
	const char *s;

	if (!lt)
		return false;
	m = cr_enter(c, "%s", layer);
	s = cr_str(c, lt, "raw", &n);
	if (s)
		cr_append(c, s, n);
	cr_leave(c, m);
	lua_pop(c->L, 1);
	return s != NULL;
}

bool cr_given(struct cr *c, int t, const char *key)
{
	bool g = lua_getfield(c->L, t, key) != LUA_TNIL;
	lua_pop(c->L, 1);
	return g;
}

void cr_keys(struct cr *c, int t, const struct cr_field *spec, size_t nspec,
	     const char *const *extra)
{
	lua_State *L = c->L;

	t = lua_absindex(L, t);
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		bool ok = false;
		lua_pop(L, 1);
		for (size_t i = 0; k && !ok && i < nspec; i++)
			ok = !strcmp(spec[i].name, k);
		for (size_t i = 0; k && !ok && extra && extra[i]; i++)
			ok = !strcmp(extra[i], k);
		if (ok)
			continue;
		char known[768] = "";
		size_t kl = 0;
		for (size_t i = 0; i < nspec && kl < sizeof known; i++)
			kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", kl ? ", " : "",
					       spec[i].name);
		for (size_t i = 0; extra && extra[i] && kl < sizeof known; i++)
			kl += (size_t)snprintf(known + kl, sizeof known - kl, "%s%s", kl ? ", " : "",
					       extra[i]);
		if (!k)
			cr_err(c, NULL, "expected named fields (%s) vs a %s key", known,
			       luaL_typename(L, -1));
		cr_err(c, k, "unknown field; expected one of %s", known);
	}
}

static void cr_word(uint8_t *p, unsigned w, uint32_t v, uint32_t mask)
{
	uint32_t old = 0;

	for (unsigned i = 0; i < w; i++)
		old = old << 8 | p[i];
	old = (old & ~mask) | (v & mask);
	for (unsigned i = 0; i < w; i++)
		p[i] = (uint8_t)(old >> (8 * (w - 1 - i)));
}

static uint32_t cr_wmax(unsigned w)
{
	return w >= 4 ? 0xffffffffu : (1u << (8 * w)) - 1;
}

static void cr_flags(struct cr *c, const struct cr_field *f, uint8_t *p)
{
	lua_State *L = c->L;
	int t = lua_gettop(L);

	if (lua_type(L, t) == LUA_TNUMBER) {
		cr_word(p, f->w, (uint32_t)cr_value(c, t, f->name, cr_wmax(f->w), NULL),
			cr_wmax(f->w));
		return;
	}
	if (lua_type(L, t) != LUA_TTABLE)
		cr_err(c, f->name, "expected a table of flags or a number vs %s",
		       luaL_typename(L, t));
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
		const struct cr_flag *g = f->flags;
		while (g->name && strcmp(g->name, k))
			g++;
		if (!g->name) {
			char known[128] = "";
			for (g = f->flags; g->name; g++)
				snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
					 *known ? ", " : "", g->name);
			cr_err(c, f->name, "unknown flag \"%s\"; expected one of %s", k, known);
		}
		uint64_t on = cr_value(c, -1, f->name, 1, NULL);
		cr_word(p, f->w, on ? g->bit : 0, g->bit);
		lua_pop(L, 1);
	}
}

void cr_fields(struct cr *c, int t, const struct cr_field *spec, size_t nspec,
	       size_t off, const char *const *extra)
{
	lua_State *L = c->L;

	t = lua_absindex(L, t);
	cr_keys(c, t, spec, nspec, extra);
	for (size_t i = 0; i < nspec; i++) {
		const struct cr_field *f = &spec[i];
		uint8_t *p = c->buf + off + f->off;
		if (f->kind == CR_SKIP)
			continue;
		if (lua_getfield(L, t, f->name) == LUA_TNIL) {
			lua_pop(L, 1);
			continue;
		}
		switch (f->kind) {
		case CR_U8: p[0] = (uint8_t)cr_value(c, -1, f->name, 0xff, f->syms); break;
		case CR_U16: cr_put16(p, (uint32_t)cr_value(c, -1, f->name, 0xffff, f->syms)); break;
		case CR_U32: cr_put32(p, (uint32_t)cr_value(c, -1, f->name, 0xffffffffu, f->syms)); break;
		case CR_U64: {
			uint64_t v = cr_value(c, -1, f->name, UINT64_MAX, f->syms);
			cr_put32(p, (uint32_t)(v >> 32));
			cr_put32(p + 4, (uint32_t)v);
			break;
		}
		case CR_BITS: {
			unsigned shift = (unsigned)__builtin_ctz(f->mask);
			uint64_t max = ((uint64_t)(f->mask >> shift) + 1) * (f->div ? f->div : 1) - 1;
			uint64_t v = cr_value(c, -1, f->name, max, f->syms) / (f->div ? f->div : 1);
			cr_word(p, f->w, (uint32_t)(v << shift), f->mask);
			break;
		}
		case CR_FLAGS: cr_flags(c, f, p); break;
		case CR_A4: cr_addr(c, -1, f->name, 4, p); break;
		case CR_A6: cr_addr(c, -1, f->name, 6, p); break;
		case CR_MAC: cr_mac(c, -1, f->name, p); break;
		case CR_HEX: {
			uint8_t tmp[256];
			size_t n = cr_hex(c, -1, f->name, tmp, sizeof tmp);
			if (n != f->w)
				cr_err(c, f->name, "expected %u bytes of hex vs %zu", f->w, n);
			memcpy(p, tmp, n);
			break;
		}
		}
		lua_pop(L, 1);
	}
}

uint16_t cr_cksum(const uint8_t *p, size_t n, uint32_t init)
{
	return cksum_fold(cksum_add(init, p, n));
}

uint32_t cr_pseudo(const struct cr_ip *ip, uint8_t proto, uint32_t len)
{
	uint32_t s;

	if (ip->family == 4) {
		s = cksum_add(0, ip->psrc, 4);
		s = cksum_add(s, ip->pdst, 4);
		return s + proto + (len & 0xffff);
	}
	s = cksum_add(0, ip->psrc, 16);
	s = cksum_add(s, ip->pdst, 16);
	return s + (len >> 16) + (len & 0xffff) + proto;
}

void cr_pad_tlv(struct cr *c, size_t base, unsigned mod, unsigned want)
{
	size_t pos = (c->len - base) % mod, n = (want + mod - pos) % mod;

	if (n == 1) {
		cr_grow(c, 1);	/* Pad1 is a zero byte */
	} else if (n > 1) {
		size_t o = cr_grow(c, n);
		c->buf[o] = 1;	/* PadN */
		c->buf[o + 1] = (uint8_t)(n - 2);
	}
}
