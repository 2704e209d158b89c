/* runio.c — reading a run folder: the pcaps (one per link), topology.lua
 * (node names, roles, MAC and IP addresses) and events.jsonl. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check_int.h"
#include "topo.h"

static int ck_node_add(struct ck_map *m, const char *name, const char *role)
{
	int i = ck_map_node_find(m, name);

	if (i >= 0)
		return i;
	m->nodes = realloc(m->nodes, (size_t)(m->n_nodes + 1) * sizeof *m->nodes);
	struct ck_node *n = &m->nodes[m->n_nodes];
	snprintf(n->name, sizeof n->name, "%s", name);
	snprintf(n->role, sizeof n->role, "%s", role);
	n->conf = NULL;
	n->n_conf = 0;
	return m->n_nodes++;
}

static void ck_addr_add(struct ck_map *m, uint8_t fam, const uint8_t *a, int node)
{
	size_t len = fam == 4 ? 4 : fam == 6 ? 16 : 6;

	if (ck_map_node(m, fam, a) >= 0)
		return;
	m->addrs = realloc(m->addrs, (size_t)(m->n_addrs + 1) * sizeof *m->addrs);
	struct ck_addr *x = &m->addrs[m->n_addrs++];
	memset(x, 0, sizeof *x);
	x->fam = fam;
	memcpy(x->a, a, len);
	x->node = node;
}

int ck_map_node(const struct ck_map *m, uint8_t fam, const uint8_t *a)
{
	size_t len = fam == 4 ? 4 : fam == 6 ? 16 : 6;

	for (int i = 0; i < m->n_addrs; i++)
		if (m->addrs[i].fam == fam && memcmp(m->addrs[i].a, a, len) == 0)
			return m->addrs[i].node;
	return -1;
}

int ck_map_node_find(const struct ck_map *m, const char *s)
{
	for (int i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i].name, s) == 0)
			return i;
	for (int i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i].role, s) == 0)
			return i;
	return -1;
}

int ck_map_link_find(const struct ck_map *m, const char *name)
{
	for (int i = 0; i < m->n_links; i++)
		if (strcmp(m->links[i], name) == 0)
			return i;
	return -1;
}

int ck_rec_node(const struct ck_map *m, const struct dec_record *r, bool dst)
{
	const struct dec_field *f;
	int n = -1;

	if (m->n_addrs == 0)
		return -1;
	if ((f = dec_get(r, dst ? DEC_F_ETH_DST : DEC_F_ETH_SRC, 0)) && f->len == 6)
		n = ck_map_node(m, 'm', f->v.p);
	if (n < 0 && (f = dec_get(r, dst ? DEC_F_IP6_DST : DEC_F_IP6_SRC, 0)))
		n = ck_map_node(m, 6, f->v.p);
	if (n < 0 && (f = dec_get(r, dst ? DEC_F_IP_DST : DEC_F_IP_SRC, 0)))
		n = ck_map_node(m, 4, f->v.p);
	if (n < 0 && (f = dec_get(r, dst ? DEC_F_ARP_TPA : DEC_F_ARP_SPA, 0)))
		n = ck_map_node(m, 4, f->v.p);
	return n;
}

/* The EUI-64 link-local address the kernel gives an interface by default. */
static void ck_lladdr(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe; out[1] = 0x80;
	out[8] = mac[0] ^ 2; out[9] = mac[1]; out[10] = mac[2];
	out[11] = 0xff; out[12] = 0xfe;
	out[13] = mac[3]; out[14] = mac[4]; out[15] = mac[5];
}

/* Any configuration value that parses as an address belongs to its node
 * (home addresses, care-of addresses, ...), unless another node has it. */
static void ck_conf_addrs(struct ck_map *m, const char *val, int node)
{
	char buf[128];
	uint8_t a[16];
	const char *s = val;

	while (*s) {
		size_t n = strcspn(s, " ,;/");
		if (n && n < sizeof buf) {
			memcpy(buf, s, n);
			buf[n] = 0;
			if (inet_pton(AF_INET6, buf, a) == 1)
				ck_addr_add(m, 6, a, node);
			else if (inet_pton(AF_INET, buf, a) == 1)
				ck_addr_add(m, 4, a, node);
		}
		s += n;
		if (*s)
			s++;
	}
}

/* Sets key to val in the node's conf (replacing an earlier value). */
static void ck_conf_set(struct ck_node *n, const char *key, size_t klen, const char *val)
{
	int i = 0;

	while (i < n->n_conf && !(strlen(n->conf[i].key) == klen && !strncmp(n->conf[i].key, key, klen)))
		i++;
	if (i == n->n_conf) {
		n->conf = realloc(n->conf, (size_t)(n->n_conf + 1) * sizeof *n->conf);
		memset(&n->conf[i], 0, sizeof n->conf[i]);
		n->conf[i].key = strndup(key, klen);
		n->n_conf++;
	}
	free(n->conf[i].str);
	n->conf[i].str = strdup(val);
}

/* The conf file the orchestrator wrote for a daemon: header lines (node,
 * role, run, out, iface ...) then "key value" lines with the placeholders
 * substituted; those override topology.lua's values. */
static void ck_conf_file(struct ck_node *n, const char *dir)
{
	static const char *const header[] = { "node", "role", "run", "out", "iface" };
	char path[4096], line[4096];
	bool body = false;

	snprintf(path, sizeof path, "%s/%s.conf", dir, n->name);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		size_t klen = strcspn(line, " \t");
		if (!klen || line[0] == '#')
			continue;
		const char *v = line + klen + strspn(line + klen, " \t");
		if (!body) {
			bool head = false;
			for (size_t h = 0; h < sizeof header / sizeof *header; h++)
				head |= strlen(header[h]) == klen && !strncmp(line, header[h], klen);
			if (head)
				continue;
			body = true;
		}
		ck_conf_set(n, line, klen, v);
	}
	fclose(f);
}

/* The links' ends, delays and subnets, which delivery times and the
 * care-of address check of the measurements need. */
static void ck_tlinks_load(struct ck_map *m, const struct topo *t)
{
	m->tlinks = calloc((size_t)t->n_links + 1, sizeof *m->tlinks);
	m->n_tlinks = t->n_links;
	for (int i = 0; i < t->n_links; i++) {
		const struct topo_link *l = &t->links[i];
		struct ck_tlink *x = &m->tlinks[i];
		snprintf(x->name, sizeof x->name, "%s", l->name);
		x->cell = l->kind == TOPO_CELL;
		for (int k = 0; k < 2; k++) {
			x->end[k] = k < l->n_ifaces ?
				ck_map_node_find(m, t->nodes[t->ifaces[l->ifaces[k]].node].name) : -1;
			/* a segment delays every port by imp[0] */
			x->delay[k] = l->imp[l->kind == TOPO_SEGMENT ? 0 : k].delay;
		}
		x->p4 = l->subnet4.family ? l->subnet4.plen : -1;
		x->p6 = l->subnet6.family ? l->subnet6.plen : -1;
		memcpy(x->s4, l->subnet4.addr, 4);
		memcpy(x->s6, l->subnet6.addr, 16);
	}
}

static int ck_topo_load(struct ck_map *m, const char *path, char *err, size_t errlen)
{
	char terr[CK_ERR_MAX];
	struct topo *t = topo_load(path, NULL, 0, terr, sizeof terr);

	if (!t) {
		snprintf(err, errlen, "%s", terr);
		return 2;
	}
	for (int i = 0; i < t->n_nodes; i++)
		ck_node_add(m, t->nodes[i].name, t->nodes[i].role);
	for (int i = 0; i < t->n_ifaces; i++) {
		const struct topo_iface *ifc = &t->ifaces[i];
		int node = ck_map_node_find(m, t->nodes[ifc->node].name);
		uint8_t ll[16];
		ck_addr_add(m, 'm', ifc->mac, node);
		ck_lladdr(ifc->mac, ll);
		ck_addr_add(m, 6, ll, node);
		if (ifc->v4.family == AF_INET)
			ck_addr_add(m, 4, ifc->v4.addr, node);
		if (ifc->v6.family == AF_INET6)
			ck_addr_add(m, 6, ifc->v6.addr, node);
	}
	ck_tlinks_load(m, t);
	for (int i = 0; i < t->n_nodes; i++)
		for (int k = 0; k < t->nodes[i].n_conf; k++)
			ck_conf_addrs(m, t->nodes[i].conf[k].val, ck_map_node_find(m, t->nodes[i].name));
	char dir[4096];
	snprintf(dir, sizeof dir, "%.*s", strrchr(path, '/') ? (int)(strrchr(path, '/') - path) : 1,
		 strrchr(path, '/') ? path : ".");
	for (int i = 0; i < t->n_nodes; i++) {
		struct ck_node *n = &m->nodes[ck_map_node_find(m, t->nodes[i].name)];
		for (int k = 0; k < t->nodes[i].n_conf; k++)
			ck_conf_set(n, t->nodes[i].conf[k].key, strlen(t->nodes[i].conf[k].key),
				    t->nodes[i].conf[k].val);
		ck_conf_file(n, dir);
	}
	m->have_topo = true;
	topo_free(t);
	return 0;
}

static int ck_role_add(struct ck_map *m, const char *spec, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char role[CK_NAME_MAX];
	uint8_t a[16];

	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof role) {
		snprintf(err, errlen, "--role: expected ROLE=ADDR vs seen \"%s\"", spec);
		return 2;
	}
	memcpy(role, spec, (size_t)(eq - spec));
	role[eq - spec] = 0;
	int node = ck_node_add(m, role, role);
	if (inet_pton(AF_INET6, eq + 1, a) == 1)
		ck_addr_add(m, 6, a, node);
	else if (inet_pton(AF_INET, eq + 1, a) == 1)
		ck_addr_add(m, 4, a, node);
	else if (ck_val_parse(DEC_F_ETH_SRC, eq + 1, &(struct ck_val){0})) {
		struct ck_val v;
		ck_val_parse(DEC_F_ETH_SRC, eq + 1, &v);
		ck_addr_add(m, 'm', v.b, node);
	} else {
		snprintf(err, errlen, "--role %s: expected an IPv4, IPv6 or MAC address vs seen \"%s\"",
			 role, eq + 1);
		return 2;
	}
	return 0;
}

static int ck_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void ck_link_add(struct ck_map *m, const char *name, const char *path)
{
	m->links = realloc(m->links, (size_t)(m->n_links + 1) * sizeof *m->links);
	m->paths = realloc(m->paths, (size_t)(m->n_links + 1) * sizeof *m->paths);
	snprintf(m->links[m->n_links], CK_NAME_MAX, "%s", name);
	snprintf(m->paths[m->n_links], 4096, "%s", path);
	m->n_links++;
}

static bool ck_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static int ck_pcaps(struct ck_map *m, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int n = 0;

	if (!d) {
		snprintf(err, errlen, "opendir %s: %s", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(d))) {
		if (!ck_ends(de->d_name, ".pcap") && !ck_ends(de->d_name, ".pcapng"))
			continue;
		names = realloc(names, (size_t)(n + 1) * sizeof *names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (n > 1)	/* names is NULL when the folder holds none */
		qsort(names, (size_t)n, sizeof *names, ck_cmp_names);
	for (int i = 0; i < n; i++) {
		char path[4096], name[CK_NAME_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		snprintf(name, sizeof name, "%.*s", (int)(strrchr(names[i], '.') - names[i]), names[i]);
		ck_link_add(m, name, path);
		free(names[i]);
	}
	free(names);
	if (n == 0) {
		snprintf(err, errlen, "%s: expected one <link>.pcap or more vs seen none", dir);
		return 2;
	}
	return 0;
}

/* ---- events.jsonl: flat JSON objects ---- */
static const char *ck_ws(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return s;
}

/* A JSON string at s (after the quote); returns the end or NULL. */
static const char *ck_jstr(const char *s, char **out)
{
	size_t cap = strlen(s) + 1, n = 0;
	char *b = malloc(cap);

	while (*s && *s != '"') {
		char c = *s++;
		if (c == '\\') {
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned v = 0;
				for (int i = 0; i < 4 && isxdigit((unsigned char)*s); i++, s++)
					v = v * 16 + (unsigned)(isdigit((unsigned char)*s) ? *s - '0'
								: (tolower((unsigned char)*s) - 'a' + 10));
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			case 0: free(b); return NULL;
			default: break;	/* \" \\ \/ */
			}
		}
		b[n++] = c;
	}
	if (*s != '"') {
		free(b);
		return NULL;
	}
	b[n] = 0;
	*out = b;
	return s + 1;
}

/* Skips a nested value (object or array), returns its end. */
static const char *ck_jskip(const char *s)
{
	int depth = 0;
	bool str = false;

	for (; *s; s++) {
		if (str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				str = false;
		} else if (*s == '"') {
			str = true;
		} else if (*s == '{' || *s == '[') {
			depth++;
		} else if (*s == '}' || *s == ']') {
			if (--depth == 0)
				return s + 1;
		}
	}
	return NULL;
}

void ck_event_free(struct ck_event *e)
{
	for (int i = 0; i < e->n_kv; i++) {
		free(e->kv[i].key);
		free(e->kv[i].str);
	}
	free(e->kv);
	free(e->type);
	memset(e, 0, sizeof *e);
}

bool ck_event_parse(const char *s, struct ck_event *e)
{
	memset(e, 0, sizeof *e);
	s = ck_ws(s);
	if (*s++ != '{')
		return false;
	for (;;) {
		s = ck_ws(s);
		if (*s == '}')
			break;
		if (*s++ != '"')
			goto bad;
		struct ck_kv kv = { 0 };
		if (!(s = ck_jstr(s, &kv.key)))
			goto bad;
		s = ck_ws(s);
		if (*s++ != ':') {
			free(kv.key);
			goto bad;
		}
		s = ck_ws(s);
		const char *v0 = s;
		if (*s == '"') {
			s = ck_jstr(s + 1, &kv.str);
		} else if (*s == '{' || *s == '[') {
			s = ck_jskip(s);
			if (s)
				kv.str = strndup(v0, (size_t)(s - v0));
		} else {
			size_t n = strcspn(s, ",} \t\r\n");
			char tok[64];
			snprintf(tok, sizeof tok, "%.*s", (int)n, s);
			char *end;
			kv.num = strtod(tok, &end);
			if (*end == 0 && n) {
				kv.is_num = true;
			} else if (!strcmp(tok, "true") || !strcmp(tok, "false")) {
				kv.is_num = true;
				kv.num = tok[0] == 't';
			} else {
				kv.str = strdup(tok);
			}
			s += n;
		}
		if (!s) {
			free(kv.key);
			goto bad;
		}
		e->kv = realloc(e->kv, (size_t)(e->n_kv + 1) * sizeof *e->kv);
		e->kv[e->n_kv++] = kv;
		s = ck_ws(s);
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s != '}')
			goto bad;
		break;
	}
	e->t = ck_ev_num(e, "t", 0);
	e->ts = ck_ev_num(e, "ts", 0);
	e->type = strdup(ck_ev_str(e, "type") ? ck_ev_str(e, "type") : "");
	return true;
bad:
	ck_event_free(e);
	return false;
}

const char *ck_ev_str(const struct ck_event *e, const char *key)
{
	for (int i = 0; i < e->n_kv; i++)
		if (!strcmp(e->kv[i].key, key))
			return e->kv[i].str;
	return NULL;
}

double ck_ev_num(const struct ck_event *e, const char *key, double dflt)
{
	for (int i = 0; i < e->n_kv; i++)
		if (!strcmp(e->kv[i].key, key) && e->kv[i].is_num)
			return e->kv[i].num;
	return dflt;
}

static int ck_events_load(struct ck_events *ev, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0;

	if (!f)
		return 0;	/* no event log: measurements need none */
	while (getline(&line, &cap, f) > 0) {
		struct ck_event e;
		lineno++;
		if (*ck_ws(line) == 0)
			continue;
		if (!ck_event_parse(line, &e)) {
			snprintf(err, errlen, "%s:%d: expected one JSON object vs seen \"%.60s\"",
				 path, lineno, line);
			free(line);
			fclose(f);
			return 2;
		}
		ev->ev = realloc(ev->ev, (size_t)(ev->n + 1) * sizeof *ev->ev);
		ev->ev[ev->n++] = e;
	}
	free(line);
	fclose(f);
	return 0;
}

int ck_map_load(struct ck_map *m, struct ck_events *e, const char *dir,
		char *const *roles, int n_roles, char *err, size_t errlen)
{
	struct stat st;
	char path[4096];
	int rc;

	memset(m, 0, sizeof *m);
	memset(e, 0, sizeof *e);
	if (stat(dir, &st) < 0) {
		snprintf(err, errlen, "%s: expected a run folder or a pcap vs %s", dir, strerror(errno));
		return 2;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((rc = ck_pcaps(m, dir, err, errlen)))
			return rc;
		snprintf(path, sizeof path, "%s/topology.lua", dir);
		if (access(path, R_OK) == 0 && (rc = ck_topo_load(m, path, err, errlen)))
			return rc;
		snprintf(path, sizeof path, "%s/events.jsonl", dir);
		if ((rc = ck_events_load(e, path, err, errlen)))
			return rc;
	} else {
		const char *b = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
		char name[CK_NAME_MAX];
		snprintf(name, sizeof name, "%.*s", (int)strcspn(b, "."), b);
		ck_link_add(m, name, dir);
	}
	for (int i = 0; i < n_roles; i++)
		if ((rc = ck_role_add(m, roles[i], err, errlen)))
			return rc;
	return 0;
}

void ck_map_free(struct ck_map *m, struct ck_events *e)
{
	for (int i = 0; i < m->n_nodes; i++) {
		for (int k = 0; k < m->nodes[i].n_conf; k++) {
			free(m->nodes[i].conf[k].key);
			free(m->nodes[i].conf[k].str);
		}
		free(m->nodes[i].conf);
	}
	free(m->nodes);
	free(m->addrs);
	free(m->links);
	free(m->paths);
	free(m->tlinks);
	memset(m, 0, sizeof *m);
	for (int i = 0; i < e->n; i++)
		ck_event_free(&e->ev[i]);
	free(e->ev);
	memset(e, 0, sizeof *e);
}
