/* topo_read_link.c — reads link{}, segment{} and cell{}: members, subnets,
 * addresses, impairments, profiles and radio parameters (see topo_read.c). */
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

static const char *const step_fields[] = { "t", "dir", NULL };
static const char *const cell_fields[] = {
	"ap", "stations", "x", "y", "tx_power", "ref_loss", "exponent", "noise",
	"snr_min", "snr_good", "rate", "handoff_gap", "down", "up", "subnet4",
	"subnet6", "addrs", "profile", NULL };
static const char *const segment_fields[] = {
	"nodes", "subnet4", "subnet6", "addrs", "profile", NULL };
static const char *const link_fields[] = {
	"name", "subnet4", "subnet6", "addrs", "forward", "back", "profile", NULL };
/* ---- links ---- */

static bool read_subnets(struct topo_rd *r, int a, int line, const char *ctx, int li)
{
	struct topo_link *l = &r->ld->t->links[li];
	struct topo_raw_link *rl = &r->ld->rl[li];
	static const struct { const char *key; int family; } sub[] = {
		{ "subnet4", AF_INET }, { "subnet6", AF_INET6 },
	};
	for (int i = 0; i < 2; i++) {
		char buf[64];
		bool given;
		if (!topo_rd_str(r, a, line, ctx, sub[i].key, buf, sizeof buf, &given))
			return false;
		if (!given)
			continue;
		struct topo_prefix *p = i ? &l->subnet6 : &l->subnet4;
		if (!topo_parse_prefix(buf, p) || p->family != sub[i].family || !strchr(buf, '/'))
			return topo_ld_err(r->ld, line, "%s: %s: expected an IPv%d prefix like "
					   "\"%s\", got \"%s\"", ctx, sub[i].key, i ? 6 : 4,
					   i ? "fd00:0:0:1::/64" : "10.0.0.0/24", buf);
		struct topo_prefix net = *p;
		int hb = topo_family_bits(p->family) - p->plen;
		topo_u128 v = topo_addr_u128(p);
		if (hb < 128)
			v &= ~(((topo_u128)1 << hb) - 1);
		else
			v = 0;
		topo_addr_set(&net, p->family, v, p->plen);
		if (memcmp(net.addr, p->addr, sizeof net.addr)) {
			char want_s[64];
			topo_prefix_str(&net, true, want_s, sizeof want_s);
			return topo_ld_err(r->ld, line, "%s: %s \"%s\" has host bits set "
					   "(expected \"%s\")", ctx, sub[i].key, buf, want_s);
		}
		if (i == 1 && !r->ld->ipv6)
			return topo_ld_err(r->ld, line, "%s: subnet6 given but the topology has "
					   "ipv6 = false", ctx);
		if (i)
			rl->sub6_given = true;
		else
			rl->sub4_given = true;
	}
	return true;
}

/* The node's position in link li's members (filled by members_distinct), -1. */
static int member_pos(const struct topo_ld *ld, int li, int node)
{
	return ld->stamp[node] == li + 1 ? ld->member_at[node] : -1;
}

static bool read_addrs(struct topo_rd *r, int a, int line, const char *ctx, int li)
{
	lua_State *L = r->L;
	struct topo_raw_link *rl = &r->ld->rl[li];
	if (!topo_rd_field(r, a, "addrs")) {
		lua_pop(L, 1);
		return true;
	}
	if (!topo_rd_want(r, line, ctx, "addrs", LUA_TTABLE))
		return false;
	int t = lua_gettop(L), cap = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		int ni = k ? topo_nmap_get(&r->ld->nodes, k) : -1;
		if (ni < 0 || member_pos(r->ld, li, ni) < 0) {
			topo_ld_err(r->ld, line, "%s: addrs: '%s' is not a node on this link", ctx,
				    k ? k : luaL_typename(L, -2));
			lua_pop(L, 3);
			return false;
		}
		rl->addrs = topo_grow(rl->addrs, rl->n_addrs, &cap, sizeof *rl->addrs);
		struct topo_raw_addr *ra = &rl->addrs[rl->n_addrs++];
		memset(ra, 0, sizeof *ra);
		ra->node = ni;
		ra->member = member_pos(r->ld, li, ni);
		/* a string, or a list of strings (one per family) */
		int n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 1;
		for (int i = 1; i <= n; i++) {
			if (lua_istable(L, -1))
				lua_rawgeti(L, -1, i);
			else
				lua_pushvalue(L, -1);
			struct topo_prefix p;
			const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
			bool ok = s && !strchr(s, '/') && topo_parse_prefix(s, &p);
			struct topo_prefix *slot = ok && p.family == AF_INET ? &ra->a4 : &ra->a6;
			if (!ok || slot->family) {
				topo_ld_err(r->ld, line, "%s: addrs.%s: expected an address (or a list "
					    "of one IPv4 and one IPv6 address), got %s", ctx, k,
					    s ? s : luaL_typename(L, -1));
				lua_pop(L, 4);
				return false;
			}
			*slot = p;
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return true;
}

/* Profile step dir names per link kind: [0] direction 0, [1] direction 1. */
static const char *const dir_names[][2] = {
	[TOPO_P2P] = { "forward", "back" },
	[TOPO_SEGMENT] = { NULL, NULL },
	[TOPO_CELL] = { "down", "up" },
};

static bool add_step(struct topo_link *l, int d, double t, const struct topo_impair *imp)
{
	int n = l->n_profile[d];
	struct topo_step *p = realloc(l->profile[d], (size_t)(n + 1) * sizeof *p);
	if (!p)
		return false;
	int i = n;	/* insertion keeps equal times in declaration order */
	while (i > 0 && p[i - 1].t > t) {
		p[i] = p[i - 1];
		i--;
	}
	p[i].t = t;
	p[i].imp = *imp;
	l->profile[d] = p;
	l->n_profile[d] = n + 1;
	return true;
}

static bool read_profile(struct topo_rd *r, int a, int line, const char *ctx, int li)
{
	lua_State *L = r->L;
	struct topo_link *l = &r->ld->t->links[li];
	if (!topo_rd_field(r, a, "profile")) {
		lua_pop(L, 1);
		return true;
	}
	if (!topo_rd_want(r, line, ctx, "profile", LUA_TTABLE))
		return false;
	int t = lua_gettop(L);
	lua_Integer len = (lua_Integer)lua_rawlen(L, t);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, t, i);
		int s = lua_gettop(L);
		char what[48];
		snprintf(what, sizeof what, "profile step %lld", (long long)i);
		if (!lua_istable(L, s) || !topo_rd_fields(r, s, what, line, step_fields, IMP_ALL, 0)) {
			if (!lua_istable(L, s))
				topo_ld_err(r->ld, line, "%s: profile[%lld]: expected {t=, ...}, got %s",
					    ctx, (long long)i, luaL_typename(L, s));
			lua_pop(L, 2);
			return false;
		}
		char dir[16] = "both";
		lua_getfield(L, s, "t");
		double st = 0;
		char e[200];
		bool ok = false;
		if (lua_type(L, -1) == LUA_TNUMBER) {
			st = lua_tonumber(L, -1);
			ok = isfinite(st) && st >= 0;
		} else if (lua_type(L, -1) == LUA_TSTRING) {
			ok = topo_parse_time(lua_tostring(L, -1), &st, e, sizeof e) && st >= 0;
		}
		lua_pop(L, 1);
		if (!ok) {
			lua_pop(L, 2);
			return topo_ld_err(r->ld, line, "%s: profile[%lld]: t: expected a time >= 0 "
					   "(\"5s\" or 5)", ctx, (long long)i);
		}
		if (!topo_rd_str(r, s, line, ctx, "dir", dir, sizeof dir, NULL)) {
			lua_pop(L, 2);
			return false;
		}
		const char *const *dn = dir_names[l->kind];
		int d0 = 0, d1 = 1;
		if (dn[0] && !strcmp(dir, dn[0]))
			d1 = 0;
		else if (dn[0] && !strcmp(dir, dn[1]))
			d0 = 1;
		else if (strcmp(dir, "both")) {
			lua_pop(L, 2);
			if (!dn[0])
				return topo_ld_err(r->ld, line, "%s: profile[%lld]: dir: a segment has "
						   "one direction; expected \"both\", got \"%s\"",
						   ctx, (long long)i, dir);
			return topo_ld_err(r->ld, line, "%s: profile[%lld]: dir: expected \"%s\", "
					   "\"%s\" or \"both\", got \"%s\"", ctx, (long long)i,
					   dn[0], dn[1], dir);
		}
		for (int d = d0; d <= d1; d++) {
			struct topo_impair imp = l->imp[d];
			if (!topo_impair_read(L, s, &imp, true, e, sizeof e)) {
				lua_pop(L, 2);
				return topo_ld_err(r->ld, line, "%s: profile[%lld]: %s", ctx,
						   (long long)i, e);
			}
			if (!add_step(l, d, st, &imp)) {
				lua_pop(L, 2);
				return topo_ld_err(r->ld, line, "realloc: out of memory");
			}
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return true;
}

/* Reads an optional impairment sub-table (forward=, back=, down=, up=) over *imp. */
static bool read_dir_impair(struct topo_rd *r, int a, int line, const char *ctx, const char *key,
			    struct topo_impair *imp)
{
	if (!topo_rd_field(r, a, key)) {
		lua_pop(r->L, 1);
		return true;
	}
	char e[300];
	bool ok = topo_impair_from_lua(r->L, -1, imp, e, sizeof e);
	lua_pop(r->L, 1);
	if (!ok)
		return topo_ld_err(r->ld, line, "%s: %s: %s", ctx, key, e);
	return true;
}

static bool base_impair(struct topo_rd *r, int a, int line, const char *ctx, int li, bool with_rate)
{
	struct topo_link *l = &r->ld->t->links[li];
	char e[300];
	if (!topo_impair_read(r->L, a, &l->imp[0], with_rate, e, sizeof e))
		return topo_ld_err(r->ld, line, "%s: %s", ctx, e);
	l->imp[1] = l->imp[0];
	return true;
}

/* Members must be distinct within a link. */
static bool members_distinct(struct topo_rd *r, int line, const char *ctx, int li)
{
	struct topo_raw_link *rl = &r->ld->rl[li];
	for (int i = 0; i < rl->n_members; i++) {
		int ni = rl->members[i];
		if (r->ld->stamp[ni] == li + 1)
			return topo_ld_err(r->ld, line, "%s: node '%s' is on it twice", ctx,
					   r->ld->t->nodes[ni].name);
		r->ld->stamp[ni] = li + 1;
		r->ld->member_at[ni] = i;
	}
	return true;
}

static bool read_p2p(struct topo_rd *r, int a, int line, int li)
{
	lua_State *L = r->L;
	struct topo_link *l = &r->ld->t->links[li];
	struct topo_raw_link *rl = &r->ld->rl[li];
	int cap = 0;
	if (!topo_rd_fields(r, a, "link", line, link_fields, IMP_ALL, 2))
		return false;
	const char *ends[2];
	for (int i = 0; i < 2; i++) {
		lua_rawgeti(L, a, i + 1);
		ends[i] = lua_tostring(L, -1);	/* stays referenced by the args table */
		bool str = lua_type(L, -1) == LUA_TSTRING;
		lua_pop(L, 1);
		if (!str)
			return topo_ld_err(r->ld, line, "link: expected two node names first: "
					   "link { \"a\", \"b\", ... }");
	}
	for (int i = 0; i < 2; i++) {
		int ni = topo_nmap_get(&r->ld->nodes, ends[i]);
		if (ni < 0)
			return topo_ld_err(r->ld, line, "link '%s-%s': unknown node '%s'", ends[0],
					   ends[1], ends[i]);
		rl->members = topo_grow(rl->members, rl->n_members, &cap, sizeof *rl->members);
		rl->members[rl->n_members++] = ni;
	}
	char name[64];
	snprintf(name, sizeof name, "%s-%s", ends[0], ends[1]);
	if (!topo_rd_str(r, a, line, "link", "name", name, sizeof name, NULL) ||
	    !topo_rd_name(r, line, "link", name))
		return false;
	strcpy(l->name, name);
	char ctx[TOPO_NAME_MAX + 8];
	snprintf(ctx, sizeof ctx, "link '%s'", l->name);
	return members_distinct(r, line, ctx, li) &&
	       read_subnets(r, a, line, ctx, li) &&
	       read_addrs(r, a, line, ctx, li) &&
	       base_impair(r, a, line, ctx, li, true) &&
	       read_dir_impair(r, a, line, ctx, "forward", &l->imp[0]) &&
	       read_dir_impair(r, a, line, ctx, "back", &l->imp[1]) &&
	       read_profile(r, a, line, ctx, li);
}

static bool read_first_name(struct topo_rd *r, int a, int line, const char *kind, int li)
{
	lua_rawgeti(r->L, a, 1);
	const char *s = lua_tostring(r->L, -1);
	bool str = lua_type(r->L, -1) == LUA_TSTRING;
	lua_pop(r->L, 1);
	if (!str)
		return topo_ld_err(r->ld, line, "%s: expected its name first: %s { \"name\", ... }",
				   kind, kind);
	if (!topo_rd_name(r, line, kind, s))
		return false;
	strcpy(r->ld->t->links[li].name, s);
	return true;
}

static bool read_segment(struct topo_rd *r, int a, int line, int li)
{
	struct topo_raw_link *rl = &r->ld->rl[li];
	int cap = 0;
	if (!topo_rd_fields(r, a, "segment", line, segment_fields, IMP_ALL, 1) ||
	    !read_first_name(r, a, line, "segment", li))
		return false;
	char ctx[TOPO_NAME_MAX + 12];
	snprintf(ctx, sizeof ctx, "segment '%s'", r->ld->t->links[li].name);
	topo_rd_field(r, a, "nodes");
	bool ok = topo_rd_nodes(r, line, ctx, "nodes", &rl->members, &rl->n_members, &cap);
	lua_pop(r->L, 1);
	if (ok && rl->n_members == 0)
		return topo_ld_err(r->ld, line, "%s: expected at least one node in nodes", ctx);
	return ok && members_distinct(r, line, ctx, li) &&
	       read_subnets(r, a, line, ctx, li) &&
	       read_addrs(r, a, line, ctx, li) &&
	       base_impair(r, a, line, ctx, li, true) &&
	       read_profile(r, a, line, ctx, li);
}

static bool read_radio(struct topo_rd *r, int a, int line, const char *ctx, struct topo_radio *ra)
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
	*ra = (struct topo_radio){ .tx_power = 20, .ref_loss = 40, .exponent = 3,
		.noise = -90, .snr_min = 5, .snr_good = 25, .rate_max = 54e6,
		.handoff_gap = 0.05 };
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
		if (!topo_rd_num(r, a, line, ctx, nums[i].key, (double *)((char *)ra + nums[i].off)))
			return false;
	if (!(ra->exponent > 0))
		return topo_ld_err(r->ld, line, "%s: exponent: expected > 0, got %g", ctx,
				   ra->exponent);
	if (!(ra->snr_good > ra->snr_min))
		return topo_ld_err(r->ld, line, "%s: expected snr_good > snr_min, got %g <= %g",
				   ctx, ra->snr_good, ra->snr_min);
	/* rate and handoff_gap share the impairment readers' units and ranges */
	static const struct { const char *key; size_t off; bool rate; } units[] = {
		{ "rate", offsetof(struct topo_radio, rate_max), true },
		{ "handoff_gap", offsetof(struct topo_radio, handoff_gap), false },
	};
	for (size_t i = 0; i < 2; i++) {
		if (!topo_rd_field(r, a, units[i].key)) {
			lua_pop(r->L, 1);
			continue;
		}
		lua_newtable(r->L);
		lua_insert(r->L, -2);
		lua_setfield(r->L, -2, units[i].rate ? "rate" : "delay");
		struct topo_impair imp = { 0 };
		char e[300];
		bool ok = topo_impair_read(r->L, -1, &imp, true, e, sizeof e);
		lua_pop(r->L, 1);
		if (!ok) {
			char *colon = strchr(e, ':');
			return topo_ld_err(r->ld, line, "%s: %s%s", ctx, units[i].key,
					   colon ? colon : e);
		}
		*(double *)((char *)ra + units[i].off) = units[i].rate ? imp.rate : imp.delay;
	}
	return true;
}

static bool read_cell(struct topo_rd *r, int a, int line, int li)
{
	lua_State *L = r->L;
	struct topo_link *l = &r->ld->t->links[li];
	struct topo_raw_link *rl = &r->ld->rl[li];
	int cap = 0;
	if (!topo_rd_fields(r, a, "cell", line, cell_fields, IMP_NO_RATE, 1) ||
	    !read_first_name(r, a, line, "cell", li))
		return false;
	char ctx[TOPO_NAME_MAX + 12];
	snprintf(ctx, sizeof ctx, "cell '%s'", l->name);
	char ap[64];
	bool has_ap;
	if (!topo_rd_str(r, a, line, ctx, "ap", ap, sizeof ap, &has_ap))
		return false;
	if (!has_ap)
		return topo_ld_err(r->ld, line, "%s: missing ap = \"node\" (its access point)", ctx);
	int api = topo_nmap_get(&r->ld->nodes, ap);
	if (api < 0)
		return topo_ld_err(r->ld, line, "%s: unknown node '%s' in ap", ctx, ap);
	rl->members = topo_grow(rl->members, 0, &cap, sizeof *rl->members);
	rl->members[rl->n_members++] = api;
	if (topo_rd_field(r, a, "stations")) {
		bool ok = topo_rd_nodes(r, line, ctx, "stations", &rl->members, &rl->n_members, &cap);
		lua_pop(L, 1);
		if (!ok)
			return false;
	} else {
		lua_pop(L, 1);
	}
	if (!members_distinct(r, line, ctx, li))
		return false;
	struct topo *t = r->ld->t;
	for (int i = 1; i < rl->n_members; i++) {
		int ni = rl->members[i];
		const struct topo_node *n = &t->nodes[ni];
		if (r->ld->station_of[ni] >= 0)
			return topo_ld_err(r->ld, line, "%s: station '%s' is already in cell '%s' "
					   "(line %d); a station is in one cell", ctx, n->name,
					   t->links[r->ld->station_of[ni]].name,
					   t->links[r->ld->station_of[ni]].src_line);
		if (strcmp(n->role, "host") && !topo_ends_with(n->role, ".mn"))
			return topo_ld_err(r->ld, line, "%s: station '%s' has role '%s'; expected "
					   "a host or a mobile node (*.mn)", ctx, n->name, n->role);
		r->ld->station_of[ni] = li;
	}
	return read_subnets(r, a, line, ctx, li) &&
	       read_addrs(r, a, line, ctx, li) &&
	       read_radio(r, a, line, ctx, &l->radio) &&
	       base_impair(r, a, line, ctx, li, false) &&
	       read_dir_impair(r, a, line, ctx, "down", &l->imp[0]) &&
	       read_dir_impair(r, a, line, ctx, "up", &l->imp[1]) &&
	       read_profile(r, a, line, ctx, li);
}

static const struct {
	const char *kind;
	enum topo_link_kind lk;
	bool (*read)(struct topo_rd *r, int a, int line, int li);
} link_readers[] = {
	{ "link", TOPO_P2P, read_p2p },
	{ "segment", TOPO_SEGMENT, read_segment },
	{ "cell", TOPO_CELL, read_cell },
};

bool topo_read_links(struct topo_rd *r, int a, int line)
{
	lua_State *L = r->L;
	struct topo_ld *ld = r->ld;
	struct topo *t = ld->t;
	if (!topo_rd_field(r, a, "links")) {
		lua_pop(L, 1);
		lua_newtable(L);
	} else if (!topo_rd_want(r, line, "topology", "links", LUA_TTABLE)) {
		return false;
	}
	int list = lua_gettop(L);
	int n = (int)lua_rawlen(L, list);
	t->links = calloc((size_t)n + 1, sizeof *t->links);
	ld->rl = calloc((size_t)n + 1, sizeof *ld->rl);
	if (!t->links || !ld->rl)
		return topo_ld_err(ld, 0, "calloc: out of memory");
	for (int i = 0; i < n; i++) {
		lua_rawgeti(L, list, i + 1);
		const char *kind;
		int lline;
		char where[32];
		snprintf(where, sizeof where, "links[%d]", i + 1);
		if (!topo_rd_ctor(r, lua_gettop(L), where, line, &kind, &lline)) {
			lua_pop(L, 2);
			return false;
		}
		size_t k = 0;
		while (k < sizeof link_readers / sizeof link_readers[0] &&
		       strcmp(kind, link_readers[k].kind))
			k++;
		if (k == sizeof link_readers / sizeof link_readers[0]) {
			lua_pop(L, 3);
			return topo_ld_err(ld, lline, "%s: expected link, segment or cell { ... }, "
					   "got %s { ... }", where, kind);
		}
		t->n_links = i + 1;
		t->links[i].kind = link_readers[k].lk;
		t->links[i].src_line = lline;
		bool ok = link_readers[k].read(r, lua_gettop(L), lline, i);
		lua_pop(L, 2);
		if (!ok) {
			lua_pop(L, 1);
			return false;
		}
		for (int j = 0; j < i; j++) {	/* few links: a linear scan is fine */
			if (strcmp(t->links[j].name, t->links[i].name))
				continue;
			lua_pop(L, 1);
			return topo_ld_err(ld, lline, "duplicate link name '%s' (first at line %d)",
					   t->links[i].name, t->links[j].src_line);
		}
	}
	lua_pop(L, 1);
	return true;
}

