/* topo_read.c — turns the tables built by node{}, link{}, segment{}, cell{}
 * and topology{} into struct topo: every field checked (unknown ones are
 * typos), every name resolved, every error tagged with the constructor's
 * line. Links, segments and cells: topo_read_link.c. Addressing and routing
 * come after (topo_addr.c, topo_route.c). */
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "topo_priv.h"

static const char *const topology_fields[] = {
	"name", "routing", "pool4", "pool6", "ipv6", "nodes", "links", NULL };
static const char *const node_fields[] = {
	"role", "run", "conf", "pos", "forward", "addressing", "routes", NULL };
static const char *const route_fields[] = { "to", "via", "dev", "auto", NULL };

/* Roles that forward by default: exact names, then suffixes. */
static const char *const forward_roles[] = { "router", "ap", "cip.node", NULL };
static const char *const forward_suffixes[] = { ".ha", ".fa", ".map", ".gw", NULL };

bool topo_ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= TOPO_NAME_MAX)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.'))
			return false;
	return true;
}

bool topo_rd_name(struct topo_rd *r, int line, const char *what, const char *s)
{
	if (strlen(s) >= TOPO_NAME_MAX)
		return topo_ld_err(r->ld, line, "%s name \"%s\" is too long (%zu characters, "
				   "at most %d)", what, s, strlen(s), TOPO_NAME_MAX - 1);
	if (!valid_name(s))
		return topo_ld_err(r->ld, line, "%s name \"%s\": expected letters, digits, "
				   "'_', '-' or '.'", what, s);
	return true;
}

static size_t join(char *buf, size_t len, size_t at, const char *const *list)
{
	for (int i = 0; list[i] && at + 1 < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? ", " : "", list[i]);
	return at < len ? at : len - 1;
}

/* Every key of the table at idx must be one of known, an impairment field
 * (as imp says), or a positional index 1..npos. */
bool topo_rd_fields(struct topo_rd *r, int idx, const char *what, int line,
			 const char *const *known, enum topo_imp_ok imp, int npos)
{
	lua_State *L = r->L;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TNUMBER) {
			lua_Integer k = lua_tointeger(L, -1);
			if (lua_isinteger(L, -1) && k >= 1 && k <= npos)
				continue;
			lua_pop(L, 1);
			return topo_ld_err(r->ld, line, "unexpected positional value #%lld in %s "
					   "(it takes %d)", (long long)k, what, npos);
		}
		const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
		bool ok = false;
		for (int i = 0; k && known[i] && !ok; i++)
			ok = !strcmp(k, known[i]);
		if (k && !ok && imp != IMP_NONE)
			ok = topo_is_impair_field(k, imp == IMP_ALL);
		if (ok)
			continue;
		char list[600] = "";
		size_t at = join(list, sizeof list, 0, known);
		if (imp != IMP_NONE)
			for (int i = 0; topo_impair_fields[i]; i++)
				if (imp == IMP_ALL || strcmp(topo_impair_fields[i], "rate"))
					at += (size_t)snprintf(list + at, sizeof list - at, ", %s",
							       topo_impair_fields[i]);
		topo_ld_err(r->ld, line, "unknown field '%s' in %s (known: %s)",
			    k ? k : luaL_typename(L, -1), what, list);
		lua_pop(L, 1);
		return false;
	}
	return true;
}

/* Pushes field key of the table at idx; true if it is present. */
bool topo_rd_field(struct topo_rd *r, int idx, const char *key)
{
	return lua_getfield(r->L, idx, key) != LUA_TNIL;
}

bool topo_rd_want(struct topo_rd *r, int line, const char *ctx, const char *key, int ty)
{
	if (lua_type(r->L, -1) == ty)
		return true;
	topo_ld_err(r->ld, line, "%s: %s: expected a %s, got %s", ctx, key,
		    lua_typename(r->L, ty), luaL_typename(r->L, -1));
	lua_pop(r->L, 1);
	return false;
}

/* Optional string field into buf (keeps buf if absent). */
bool topo_rd_str(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		    char *buf, size_t len, bool *given)
{
	if (given)
		*given = false;
	if (!topo_rd_field(r, idx, key)) {
		lua_pop(r->L, 1);
		return true;
	}
	if (!topo_rd_want(r, line, ctx, key, LUA_TSTRING))
		return false;
	const char *s = lua_tostring(r->L, -1);
	if (strlen(s) >= len) {
		lua_pop(r->L, 1);
		return topo_ld_err(r->ld, line, "%s: %s \"%s\" is too long (at most %zu characters)",
				   ctx, key, s, len - 1);
	}
	strcpy(buf, s);
	lua_pop(r->L, 1);
	if (given)
		*given = true;
	return true;
}

bool topo_rd_bool(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		     bool *out)
{
	if (!topo_rd_field(r, idx, key)) {
		lua_pop(r->L, 1);
		return true;
	}
	if (!topo_rd_want(r, line, ctx, key, LUA_TBOOLEAN))
		return false;
	*out = lua_toboolean(r->L, -1);
	lua_pop(r->L, 1);
	return true;
}

bool topo_rd_num(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		    double *out)
{
	if (!topo_rd_field(r, idx, key)) {
		lua_pop(r->L, 1);
		return true;
	}
	if (!topo_rd_want(r, line, ctx, key, LUA_TNUMBER))
		return false;
	*out = lua_tonumber(r->L, -1);
	lua_pop(r->L, 1);
	if (!isfinite(*out))
		return topo_ld_err(r->ld, line, "%s: %s: expected a finite number", ctx, key);
	return true;
}

/* Resolves the constructor value at idx: checks it came from one of the
 * constructors, pushes its args table, returns its kind and line. */
bool topo_rd_ctor(struct topo_rd *r, int idx, const char *where, int pline,
		      const char **kind, int *line)
{
	lua_State *L = r->L;
	bool ok = false;
	if (lua_getmetatable(L, idx)) {
		luaL_getmetatable(L, TOPO_CTOR_MT);
		ok = lua_rawequal(L, -1, -2);
		lua_pop(L, 2);
	}
	if (!ok)
		return topo_ld_err(r->ld, pline, "%s: expected a constructor value like "
				   "node { ... }, got %s", where, luaL_typename(L, idx));
	lua_getfield(L, idx, "kind");
	*kind = lua_tostring(L, -1);	/* a constant upvalue string: stays alive */
	lua_pop(L, 1);
	lua_getfield(L, idx, "line");
	*line = (int)lua_tointeger(L, -1);
	lua_pop(L, 1);
	lua_getfield(L, idx, "args");
	return true;
}

/* Node names of a list (a sequence of strings) at the top of the stack,
 * resolved and appended to *out. */
bool topo_rd_nodes(struct topo_rd *r, int line, const char *ctx, const char *key,
		      int **out, int *n, int *cap)
{
	lua_State *L = r->L;
	int t = lua_gettop(L);
	if (!lua_istable(L, t))
		return topo_ld_err(r->ld, line, "%s: %s: expected a list of node names, got %s",
				   ctx, key, luaL_typename(L, t));
	lua_Integer len = (lua_Integer)lua_rawlen(L, t);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, t, i);
		if (lua_type(L, -1) != LUA_TSTRING) {
			topo_ld_err(r->ld, line, "%s: %s[%lld]: expected a node name, got %s", ctx,
				    key, (long long)i, luaL_typename(L, -1));
			lua_pop(L, 1);
			return false;
		}
		const char *s = lua_tostring(L, -1);
		int ni = topo_nmap_get(&r->ld->nodes, s);
		if (ni < 0) {
			topo_ld_err(r->ld, line, "%s: unknown node '%s' in %s", ctx, s, key);
			lua_pop(L, 1);
			return false;
		}
		lua_pop(L, 1);
		*out = topo_grow(*out, *n, cap, sizeof **out);
		(*out)[(*n)++] = ni;
	}
	return true;
}

/* ---- nodes ---- */

static bool read_strings(struct topo_rd *r, int line, const char *ctx, const char *key,
			 char ***out, int *n)
{
	lua_State *L = r->L;
	if (!topo_rd_want(r, line, ctx, key, LUA_TTABLE))
		return false;
	lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
	*out = calloc((size_t)len + 1, sizeof **out);
	if (!*out) {
		lua_pop(L, 1);
		return topo_ld_err(r->ld, line, "%s: %s: calloc: out of memory", ctx, key);
	}
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, -1, i);
		if (lua_type(L, -1) != LUA_TSTRING) {
			topo_ld_err(r->ld, line, "%s: %s[%lld]: expected a string, got %s", ctx, key,
				    (long long)i, luaL_typename(L, -1));
			lua_pop(L, 2);
			return false;
		}
		(*out)[(*n)++] = topo_strdup(lua_tostring(L, -1));
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return true;
}

static int kv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct topo_kv *)a)->key, ((const struct topo_kv *)b)->key);
}

static bool read_conf(struct topo_rd *r, int line, const char *ctx, struct topo_node *n)
{
	lua_State *L = r->L;
	if (!topo_rd_want(r, line, ctx, "conf", LUA_TTABLE))
		return false;
	int t = lua_gettop(L), cap = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		int vt = lua_type(L, -1);
		if (lua_type(L, -2) != LUA_TSTRING ||
		    (vt != LUA_TSTRING && vt != LUA_TNUMBER && vt != LUA_TBOOLEAN)) {
			topo_ld_err(r->ld, line, "%s: conf: expected key = string, number or "
				    "boolean, got %s = %s", ctx, luaL_typename(L, -2),
				    luaL_typename(L, -1));
			lua_pop(L, 3);
			return false;
		}
		const char *v = luaL_tolstring(L, -1, NULL);
		n->conf = topo_grow(n->conf, n->n_conf, &cap, sizeof *n->conf);
		n->conf[n->n_conf].key = topo_strdup(lua_tostring(L, -3));
		n->conf[n->n_conf].val = topo_strdup(v);
		n->n_conf++;
		lua_pop(L, 2);	/* the string and the value; the key stays for lua_next */
	}
	lua_pop(L, 1);
	if (n->n_conf)
		qsort(n->conf, (size_t)n->n_conf, sizeof *n->conf, kv_cmp);
	return true;
}

static bool read_routes(struct topo_rd *r, int line, const char *ctx, int ni)
{
	lua_State *L = r->L;
	struct topo_ld *ld = r->ld;
	if (!topo_rd_want(r, line, ctx, "routes", LUA_TTABLE))
		return false;
	int t = lua_gettop(L), cap = 0;
	lua_Integer len = (lua_Integer)lua_rawlen(L, t);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, t, i);
		int e = lua_gettop(L);
		char what[80];
		snprintf(what, sizeof what, "routes[%lld] of %s", (long long)i, ctx);
		if (!lua_istable(L, e)) {
			topo_ld_err(ld, line, "%s: routes[%lld]: expected {to=, via=, dev=}, got %s",
				    ctx, (long long)i, luaL_typename(L, e));
			lua_pop(L, 2);
			return false;
		}
		char to[64] = "", via[64] = "", dev[TOPO_IFNAME_MAX] = "";
		bool is_auto = false, has_to;
		if (!topo_rd_fields(r, e, what, line, route_fields, IMP_NONE, 0) ||
		    !topo_rd_str(r, e, line, ctx, "to", to, sizeof to, &has_to) ||
		    !topo_rd_str(r, e, line, ctx, "via", via, sizeof via, NULL) ||
		    !topo_rd_str(r, e, line, ctx, "dev", dev, sizeof dev, NULL) ||
		    !topo_rd_bool(r, e, line, ctx, "auto", &is_auto)) {
			lua_pop(L, 2);
			return false;
		}
		lua_pop(L, 1);
		if (!has_to) {
			lua_pop(L, 1);
			return topo_ld_err(ld, line, "%s: routes[%lld]: expected to = \"default\" or "
					   "a prefix", ctx, (long long)i);
		}
		if (!*via && !*dev) {
			lua_pop(L, 1);
			return topo_ld_err(ld, line, "%s: routes[%lld]: expected via = or dev =",
					   ctx, (long long)i);
		}
		if (is_auto)	/* printed by roam -n; recomputed, not read */
			continue;
		ld->rr[ni] = topo_grow(ld->rr[ni], ld->n_rr[ni], &cap, sizeof *ld->rr[ni]);
		struct topo_raw_route *rr = &ld->rr[ni][ld->n_rr[ni]++];
		rr->to = topo_strdup(to);
		rr->via = topo_strdup(via);
		rr->dev = topo_strdup(dev);
		rr->line = line;
	}
	lua_pop(L, 1);
	return true;
}

static bool read_node(struct topo_rd *r, int a, int line, int ni)
{
	lua_State *L = r->L;
	struct topo_node *n = &r->ld->t->nodes[ni];
	n->src_line = line;
	if (!topo_rd_fields(r, a, "node", line, node_fields, IMP_NONE, 1))
		return false;
	lua_rawgeti(L, a, 1);
	if (lua_type(L, -1) != LUA_TSTRING) {
		topo_ld_err(r->ld, line, "node: expected its name first: node { \"name\", ... }, "
			    "got %s", luaL_typename(L, -1));
		lua_pop(L, 1);
		return false;
	}
	const char *name = lua_tostring(L, -1);
	if (!topo_rd_name(r, line, "node", name)) {
		lua_pop(L, 1);
		return false;
	}
	strcpy(n->name, name);
	lua_pop(L, 1);
	int prev = topo_nmap_get(&r->ld->nodes, n->name);
	if (prev >= 0)
		return topo_ld_err(r->ld, line, "duplicate node name '%s' (first at line %d)",
				   n->name, r->ld->t->nodes[prev].src_line);
	topo_nmap_put(&r->ld->nodes, n->name, ni);

	char ctx[TOPO_NAME_MAX + 8];
	snprintf(ctx, sizeof ctx, "node '%s'", n->name);
	strcpy(n->role, "host");
	if (!topo_rd_str(r, a, line, ctx, "role", n->role, sizeof n->role, NULL))
		return false;
	n->forward = false;
	for (int i = 0; forward_roles[i]; i++)
		n->forward |= !strcmp(n->role, forward_roles[i]);
	for (int i = 0; forward_suffixes[i]; i++)
		n->forward |= topo_ends_with(n->role, forward_suffixes[i]);
	n->addressing = !topo_ends_with(n->role, ".mn");
	if (!topo_rd_bool(r, a, line, ctx, "forward", &n->forward) ||
	    !topo_rd_bool(r, a, line, ctx, "addressing", &n->addressing))
		return false;
	if (topo_rd_field(r, a, "run")) {
		if (!read_strings(r, line, ctx, "run", &n->run, &n->n_run))
			return false;
	} else {
		lua_pop(L, 1);
	}
	if (topo_rd_field(r, a, "conf")) {
		if (!read_conf(r, line, ctx, n))
			return false;
	} else {
		lua_pop(L, 1);
	}
	if (topo_rd_field(r, a, "pos")) {
		if (!topo_rd_want(r, line, ctx, "pos", LUA_TTABLE))
			return false;
		lua_rawgeti(L, -1, 1);
		lua_rawgeti(L, -2, 2);
		bool ok = lua_type(L, -2) == LUA_TNUMBER && lua_type(L, -1) == LUA_TNUMBER &&
			  (lua_Integer)lua_rawlen(L, -3) == 2;
		n->x = lua_tonumber(L, -2);
		n->y = lua_tonumber(L, -1);
		lua_pop(L, 3);
		if (!ok || !isfinite(n->x) || !isfinite(n->y))
			return topo_ld_err(r->ld, line, "%s: pos: expected {x, y} in metres", ctx);
		n->has_pos = true;
	} else {
		lua_pop(L, 1);
	}
	if (topo_rd_field(r, a, "routes"))
		return read_routes(r, line, ctx, ni);
	lua_pop(L, 1);
	return true;
}

/* ---- topology ---- */

static bool read_top(struct topo_rd *r, int a, int line)
{
	struct topo_ld *ld = r->ld;
	struct topo *t = ld->t;
	if (!topo_rd_fields(r, a, "topology", line, topology_fields, IMP_NONE, 0))
		return false;
	/* default name: the file's name without folder and .lua */
	const char *base = strrchr(ld->file, '/');
	base = base ? base + 1 : ld->file;
	snprintf(t->name, sizeof t->name, "%.*s", (int)strcspn(base, "."), base);
	for (char *c = t->name; *c; c++)
		if (!valid_name((char[]){ *c, 0 }))
			*c = '_';
	if (!t->name[0])
		strcpy(t->name, "topology");
	char routing[16] = "auto", pool[2][64] = { "10.0.0.0/8", "fd00:0:0::/48" };
	bool given;
	ld->ipv6 = true;
	if (!topo_rd_str(r, a, line, "topology", "name", t->name, sizeof t->name, &given) ||
	    !topo_rd_name(r, line, "topology", t->name) ||
	    !topo_rd_str(r, a, line, "topology", "routing", routing, sizeof routing, NULL) ||
	    !topo_rd_str(r, a, line, "topology", "pool4", pool[0], sizeof pool[0], NULL) ||
	    !topo_rd_str(r, a, line, "topology", "pool6", pool[1], sizeof pool[1], NULL) ||
	    !topo_rd_bool(r, a, line, "topology", "ipv6", &ld->ipv6))
		return false;
	if (strcmp(routing, "auto") && strcmp(routing, "none"))
		return topo_ld_err(ld, line, "topology: routing: expected \"auto\" or \"none\", "
				   "got \"%s\"", routing);
	t->auto_routing = !strcmp(routing, "auto");
	struct topo_prefix *pp[2] = { &ld->pool4, &ld->pool6 };
	for (int i = 0; i < 2; i++)
		if (!topo_parse_prefix(pool[i], pp[i]) || !strchr(pool[i], '/') ||
		    pp[i]->family != (i ? AF_INET6 : AF_INET))
			return topo_ld_err(ld, line, "topology: pool%d: expected an IPv%d prefix, "
					   "got \"%s\"", i ? 6 : 4, i ? 6 : 4, pool[i]);
	return true;
}

static bool read_nodes(struct topo_rd *r, int a, int line)
{
	lua_State *L = r->L;
	struct topo_ld *ld = r->ld;
	struct topo *t = ld->t;
	if (!topo_rd_field(r, a, "nodes")) {
		lua_pop(L, 1);
		lua_newtable(L);
	} else if (!topo_rd_want(r, line, "topology", "nodes", LUA_TTABLE)) {
		return false;
	}
	int list = lua_gettop(L);
	int n = (int)lua_rawlen(L, list);
	t->nodes = calloc((size_t)n + 1, sizeof *t->nodes);
	ld->rr = calloc((size_t)n + 1, sizeof *ld->rr);
	ld->n_rr = calloc((size_t)n + 1, sizeof *ld->n_rr);
	r->ld->stamp = calloc((size_t)n + 1, sizeof *r->ld->stamp);
	r->ld->station_of = malloc(((size_t)n + 1) * sizeof *r->ld->station_of);
	r->ld->member_at = calloc((size_t)n + 1, sizeof *r->ld->member_at);
	if (!t->nodes || !ld->rr || !ld->n_rr || !r->ld->stamp || !r->ld->station_of ||
	    !r->ld->member_at)
		return topo_ld_err(ld, 0, "calloc: out of memory");
	topo_nmap_init(&r->ld->nodes, t, n);
	for (int i = 0; i < n; i++) {
		r->ld->station_of[i] = -1;
		lua_rawgeti(L, list, i + 1);
		const char *kind;
		int nline;
		char where[32];
		snprintf(where, sizeof where, "nodes[%d]", i + 1);
		if (!topo_rd_ctor(r, lua_gettop(L), where, line, &kind, &nline)) {
			lua_pop(L, 2);
			return false;
		}
		if (strcmp(kind, "node")) {
			lua_pop(L, 3);
			return topo_ld_err(ld, nline, "%s: expected node { ... }, got %s { ... }",
					   where, kind);
		}
		t->n_nodes = i + 1;
		bool ok = read_node(r, lua_gettop(L), nline, i);
		lua_pop(L, 2);
		if (!ok) {
			lua_pop(L, 1);
			return false;
		}
	}
	lua_pop(L, 1);
	return true;
}

bool topo_read(struct topo_ld *ld, lua_State *L, int idx)
{
	struct topo_rd r = { .ld = ld, .L = L };
	const char *kind;
	int line;
	bool ok = topo_rd_ctor(&r, idx, "topology", 0, &kind, &line);
	if (ok) {
		int a = lua_gettop(L);
		ok = read_top(&r, a, line) && read_nodes(&r, a, line) && topo_read_links(&r, a, line);
		lua_pop(L, 1);
	}
	return ok;
}
