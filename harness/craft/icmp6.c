/* icmp6.c — ICMPv6 messages (RFC 4443), MLD (RFC 2710, 3810), neighbour
 * discovery (RFC 4861 §4) with its options (§4.6; advertisement interval and
 * home agent information, RFC 6275 §7.3-7.4; MAP, RFC 5380 §4) and the
 * Mobile IPv6 ICMPv6 messages (RFC 6275 §6.5-6.8). The message's fields sit
 * in the icmp6 table itself: icmp6 = { type = "ra", lifetime = 1800, ... }
 * is decoded as nd.ra.lifetime. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"

#define CR_SPEC(a) a, sizeof a / sizeof *a

static const struct cr_sym cr_icmp6_types[] = {
	{ "unreach", 1 }, { "toobig", 2 }, { "timex", 3 }, { "paramprob", 4 },
	{ "echo", 128 }, { "echo_reply", 129 }, { "mld_query", 130 },
	{ "mld_report", 131 }, { "mld_done", 132 }, { "rs", 133 }, { "ra", 134 },
	{ "ns", 135 }, { "na", 136 }, { "redirect", 137 }, { "mld2_report", 143 },
	{ "dhaad_req", 144 }, { "dhaad_rep", 145 }, { "mps", 146 }, { "mpa", 147 },
	{ NULL, 0 }
};

#define CR_ICMP6_COMMON \
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_icmp6_types }, \
	{ "code", CR_U8, 1, 0, 0, 0, NULL, NULL }, \
	{ "cksum", CR_U16, 2, 0, 0, 0, NULL, NULL }, \
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL }
#define CR_OPTS { "opts", CR_SKIP, 0, 0, 0, 0, NULL, NULL }

static const struct cr_field cr6_plain[] = { CR_ICMP6_COMMON };
static const struct cr_field cr6_toobig[] = { CR_ICMP6_COMMON, { "mtu", CR_U32, 4, 0, 0, 0, NULL, NULL } };
static const struct cr_field cr6_pp[] = { CR_ICMP6_COMMON, { "pptr", CR_U32, 4, 0, 0, 0, NULL, NULL } };
static const struct cr_field cr6_echo[] = {
	CR_ICMP6_COMMON,
	{ "id", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U16, 6, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_mld[] = {
	CR_ICMP6_COMMON,
	{ "maxdelay", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "maddr", CR_A6, 8, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_mld2[] = {
	CR_ICMP6_COMMON,
	{ "nrec", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "recs", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_rs[] = { CR_ICMP6_COMMON, CR_OPTS };
static const struct cr_flag cr_ra_flags[] = { { "M", 0x80 }, { "O", 0x40 }, { "H", 0x20 }, { NULL, 0 } };
static const struct cr_field cr6_ra[] = {
	CR_ICMP6_COMMON, CR_OPTS,
	{ "hlim", CR_U8, 4, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 5, 1, 0, 0, cr_ra_flags, NULL },
	{ "prf", CR_BITS, 5, 1, 0x18, 0, NULL, NULL },
	{ "lifetime", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "reachable", CR_U32, 8, 0, 0, 0, NULL, NULL },
	{ "retrans", CR_U32, 12, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_ns[] = {
	CR_ICMP6_COMMON, CR_OPTS,
	{ "target", CR_A6, 8, 0, 0, 0, NULL, NULL },
};
static const struct cr_flag cr_na_flags[] = {
	{ "R", 0x80000000u }, { "S", 0x40000000u }, { "O", 0x20000000u }, { NULL, 0 }
};
static const struct cr_field cr6_na[] = {
	CR_ICMP6_COMMON, CR_OPTS,
	{ "flags", CR_FLAGS, 4, 4, 0, 0, cr_na_flags, NULL },
	{ "target", CR_A6, 8, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_redir[] = {
	CR_ICMP6_COMMON, CR_OPTS,
	{ "target", CR_A6, 8, 0, 0, 0, NULL, NULL },
	{ "dst", CR_A6, 24, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr6_id[] = { CR_ICMP6_COMMON, { "id", CR_U16, 4, 0, 0, 0, NULL, NULL } };
static const struct cr_field cr6_dhaad_rep[] = {
	CR_ICMP6_COMMON,
	{ "id", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "ha", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_flag cr_mpa_flags[] = { { "M", 0x8000 }, { "O", 0x4000 }, { NULL, 0 } };
static const struct cr_field cr6_mpa[] = {
	CR_ICMP6_COMMON, CR_OPTS,
	{ "id", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 6, 2, 0, 0, cr_mpa_flags, NULL },
};

static const struct cr_icmp6_msg {
	uint8_t type;
	uint8_t hlen;		/* fixed part, ICMPv6 header included */
	const struct cr_field *spec;
	size_t n;
	bool opts;		/* followed by ND options */
} cr_icmp6_msgs[] = {
	{ 1, 8, CR_SPEC(cr6_plain), false }, { 2, 8, CR_SPEC(cr6_toobig), false },
	{ 3, 8, CR_SPEC(cr6_plain), false }, { 4, 8, CR_SPEC(cr6_pp), false },
	{ 128, 8, CR_SPEC(cr6_echo), false }, { 129, 8, CR_SPEC(cr6_echo), false },
	{ 130, 24, CR_SPEC(cr6_mld), false }, { 131, 24, CR_SPEC(cr6_mld), false },
	{ 132, 24, CR_SPEC(cr6_mld), false }, { 143, 8, CR_SPEC(cr6_mld2), false },
	{ 133, 8, CR_SPEC(cr6_rs), true }, { 134, 16, CR_SPEC(cr6_ra), true },
	{ 135, 24, CR_SPEC(cr6_ns), true }, { 136, 24, CR_SPEC(cr6_na), true },
	{ 137, 40, CR_SPEC(cr6_redir), true }, { 144, 8, CR_SPEC(cr6_id), false },
	{ 145, 8, CR_SPEC(cr6_dhaad_rep), false }, { 146, 8, CR_SPEC(cr6_id), false },
	{ 147, 8, CR_SPEC(cr6_mpa), true },
};

/* ---- neighbour discovery options ---- */

static const struct cr_sym cr_nd_types[] = {
	{ "sll", 1 }, { "tll", 2 }, { "prefix", 3 }, { "redir", 4 }, { "mtu", 5 },
	{ "advint", 7 }, { "hainfo", 8 }, { "map", 23 }, { NULL, 0 }
};
#define CR_ND_COMMON \
	{ "type", CR_U8, 0, 0, 0, 0, NULL, cr_nd_types }, \
	{ "len", CR_U8, 1, 0, 0, 0, NULL, NULL }, \
	{ "data", CR_SKIP, 0, 0, 0, 0, NULL, NULL }
static const struct cr_field crnd_generic[] = { CR_ND_COMMON };
static const struct cr_field crnd_lla[] = { CR_ND_COMMON, { "addr", CR_MAC, 2, 0, 0, 0, NULL, NULL } };
static const struct cr_flag cr_prefix_flags[] = { { "L", 0x80 }, { "A", 0x40 }, { "R", 0x20 }, { NULL, 0 } };
static const struct cr_field crnd_prefix[] = {
	CR_ND_COMMON,
	{ "plen", CR_U8, 2, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 3, 1, 0, 0, cr_prefix_flags, NULL },
	{ "valid", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "preferred", CR_U32, 8, 0, 0, 0, NULL, NULL },
	{ "prefix", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field crnd_mtu[] = { CR_ND_COMMON, { "mtu", CR_U32, 4, 0, 0, 0, NULL, NULL } };
static const struct cr_field crnd_advint[] = { CR_ND_COMMON, { "advint", CR_U32, 4, 0, 0, 0, NULL, NULL } };
static const struct cr_field crnd_hainfo[] = {
	CR_ND_COMMON,
	{ "pref", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "lifetime", CR_U16, 6, 0, 0, 0, NULL, NULL },
};
static const struct cr_flag cr_map_flags[] = { { "R", 0x80 }, { NULL, 0 } };
static const struct cr_field crnd_map[] = {
	CR_ND_COMMON,
	{ "dist", CR_BITS, 2, 1, 0xf0, 0, NULL, NULL },
	{ "pref", CR_BITS, 2, 1, 0x0f, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 3, 1, 0, 0, cr_map_flags, NULL },
	{ "valid", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "addr", CR_A6, 8, 0, 0, 0, NULL, NULL },
};

static const struct cr_nd_opt {
	uint8_t type, units;	/* length in 8-byte units (0: from the data) */
	const struct cr_field *spec;
	size_t n;
} cr_nd_table[] = {
	{ 1, 1, CR_SPEC(crnd_lla) }, { 2, 1, CR_SPEC(crnd_lla) },
	{ 3, 4, CR_SPEC(crnd_prefix) }, { 5, 1, CR_SPEC(crnd_mtu) },
	{ 7, 1, CR_SPEC(crnd_advint) }, { 8, 1, CR_SPEC(crnd_hainfo) },
	{ 23, 3, CR_SPEC(crnd_map) },
};

static void cr_nd_defaults(struct cr *c, int x, uint8_t type, size_t o)
{
	uint8_t *p = c->buf + o;

	if (type == 1 && c->env->has_smac)
		memcpy(p + 2, c->env->smac, 6);
	if (type == 3) {
		p[2] = 64;
		p[3] = 0xc0;		/* L, A */
		cr_put32(p + 4, 86400);
		cr_put32(p + 8, 14400);
		if (lua_getfield(c->L, x, "prefix") != LUA_TNIL) {
			char a[64];
			const char *s = lua_tostring(c->L, -1), *slash;
			if (lua_type(c->L, -1) != LUA_TSTRING)
				cr_err(c, "prefix", "expected \"2001:db8::/64\" vs %s",
				       luaL_typename(c->L, -1));
			slash = strchr(s, '/');
			snprintf(a, sizeof a, "%.*s", slash ? (int)(slash - s) : (int)strlen(s), s);
			lua_pushstring(c->L, a);
			cr_addr(c, -1, "prefix", 6, p + 16);
			lua_pop(c->L, 1);
			if (slash) {
				char *end;
				long pl = strtol(slash + 1, &end, 10);
				if (*end || pl < 0 || pl > 128)
					cr_err(c, "prefix", "expected a prefix length 0..128 vs \"%s\"", s);
				p[2] = (uint8_t)pl;
			}
		}
		lua_pop(c->L, 1);
	}
	if (type == 23) {
		p[2] = 0x1f;		/* distance 1, preference 15 */
		cr_put32(p + 4, 3600);
	}
}

void cr_nd_opts(struct cr *c, int lt)
{
	int ot = cr_sub(c, lt, "opts");

	for (lua_Integer i = 1; ot && i <= (lua_Integer)luaL_len(c->L, ot); i++) {
		const struct cr_nd_opt *d = NULL;
		size_t m = cr_enter(c, "opts[%d]", (int)i), o;
		if (lua_geti(c->L, ot, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type = ... } vs %s", luaL_typename(c->L, -1));
		int x = lua_gettop(c->L);
		lua_getfield(c->L, x, "type");
		uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_nd_types);
		lua_pop(c->L, 1);
		for (size_t k = 0; k < sizeof cr_nd_table / sizeof *cr_nd_table; k++)
			if (cr_nd_table[k].type == type)
				d = &cr_nd_table[k];
		if (d && !cr_given(c, x, "data")) {
			o = cr_grow(c, d->units * 8u);
			c->buf[o + 1] = d->units;
			cr_nd_defaults(c, x, type, o);
		} else {
			uint8_t data[2048];
			size_t n = 0;
			o = cr_grow(c, 2);
			if (lua_getfield(c->L, x, "data") != LUA_TNIL)
				n = cr_hex(c, -1, "data", data, sizeof data);
			lua_pop(c->L, 1);
			cr_append(c, data, n);
			cr_grow(c, (8 - (c->len - o) % 8) % 8);
			c->buf[o + 1] = (uint8_t)((c->len - o) / 8);
		}
		c->buf[o] = type;
		if (d && !cr_given(c, x, "data"))
			cr_fields(c, x, d->spec, d->n, o, NULL);
		else
			cr_fields(c, x, CR_SPEC(crnd_generic), o, NULL);
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	if (ot)
		lua_pop(c->L, 1);
}

/* MLDv2 report records: recs = { { type = 4, maddr = "ff02::1:2" } } */
static size_t cr_mld2_recs(struct cr *c, int lt)
{
	int rt = cr_sub(c, lt, "recs");
	size_t n = 0;

	for (lua_Integer i = 1; rt && i <= (lua_Integer)luaL_len(c->L, rt); i++, n++) {
		static const struct cr_field spec[] = {
			{ "type", CR_U8, 0, 0, 0, 0, NULL, NULL },
			{ "maddr", CR_A6, 4, 0, 0, 0, NULL, NULL },
		};
		size_t m = cr_enter(c, "recs[%d]", (int)i), o = cr_grow(c, 20);
		if (lua_geti(c->L, rt, i) != LUA_TTABLE)
			cr_err(c, NULL, "expected a table { type =, maddr = } vs %s",
			       luaL_typename(c->L, -1));
		cr_fields(c, -1, CR_SPEC(spec), o, NULL);
		lua_pop(c->L, 1);
		cr_leave(c, m);
	}
	if (rt)
		lua_pop(c->L, 1);
	return n;
}

void cr_icmp6(struct cr *c, int t, struct cr_ip *ip)
{
	int lt = cr_sub(c, t, "icmp6");
	size_t m = cr_enter(c, "icmp6"), o, n;
	const struct cr_icmp6_msg *d = NULL;
	const char *pl;

	lua_getfield(c->L, lt, "type");
	if (lua_isnil(c->L, -1))
		cr_err(c, "type", "expected a type (a number or a name: echo, rs, ra, ns, "
		       "na, dhaad_req, ...) vs none");
	uint8_t type = (uint8_t)cr_value(c, -1, "type", 255, cr_icmp6_types);
	lua_pop(c->L, 1);
	for (size_t i = 0; i < sizeof cr_icmp6_msgs / sizeof *cr_icmp6_msgs; i++)
		if (cr_icmp6_msgs[i].type == type)
			d = &cr_icmp6_msgs[i];
	o = cr_grow(c, d ? d->hlen : 4);
	c->buf[o] = type;
	if (type == 134) {
		c->buf[o + 4] = 64;
		cr_put16(c->buf + o + 6, 1800);
	}
	if (type == 143)
		cr_put16(c->buf + o + 6, (uint32_t)cr_mld2_recs(c, lt));
	if (type == 145) {
		int l = cr_sub(c, lt, "ha");
		for (lua_Integer i = 1; l && i <= (lua_Integer)luaL_len(c->L, l); i++) {
			uint8_t a[16];
			lua_geti(c->L, l, i);
			cr_addr(c, -1, "ha", 6, a);
			cr_append(c, a, 16);
			lua_pop(c->L, 1);
		}
		if (l)
			lua_pop(c->L, 1);
	}
	if (d && d->opts)
		cr_nd_opts(c, lt);
	if ((pl = cr_str(c, lt, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	if (d)
		cr_fields(c, lt, d->spec, d->n, o, NULL);
	else
		cr_fields(c, lt, CR_SPEC(cr6_plain), o, NULL);
	if (!cr_given(c, lt, "cksum"))
		cr_put16(c->buf + o + 2, cr_cksum(c->buf + o, c->len - o,
						  cr_pseudo(ip, 58, (uint32_t)(c->len - o))));
	cr_leave(c, m);
	lua_pop(c->L, 1);
}
