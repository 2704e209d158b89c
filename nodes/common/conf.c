/* conf.c — the node configuration file. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conf.h"

int conf_parse_prefix4(const char *s, struct in_addr *a, int *plen)
{
	char buf[32], *slash, *end;
	long n = 32;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/'))) {
		*slash++ = 0;
		errno = 0;
		n = strtol(slash, &end, 10);
		if (errno || *end || end == slash || n < 0 || n > 32)
			return -1;
	}
	if (inet_pton(AF_INET, buf, a) != 1)
		return -1;
	*plen = (int)n;
	return 0;
}

static int conf_parse_prefix6(const char *s, struct in6_addr *a, int *plen)
{
	char buf[64], *slash, *end;
	long n = 128;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/'))) {
		*slash++ = 0;
		errno = 0;
		n = strtol(slash, &end, 10);
		if (errno || *end || end == slash || n < 0 || n > 128)
			return -1;
	}
	if (inet_pton(AF_INET6, buf, a) != 1)
		return -1;
	*plen = (int)n;
	return 0;
}

int conf_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned m[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

/* "iface NAME (key value)*" */
static int conf_iface_line(char *rest, struct conf *c, const char *where,
			   char *err, size_t errlen)
{
	struct conf_iface *ifc;
	char *save = NULL, *name, *k, *v;

	if (c->n_ifaces == CONF_MAX_IFACES) {
		snprintf(err, errlen, "%s: expected at most %d interfaces", where,
			 CONF_MAX_IFACES);
		return -1;
	}
	ifc = &c->ifaces[c->n_ifaces];
	memset(ifc, 0, sizeof(*ifc));
	if (!(name = strtok_r(rest, " \t", &save)) || strlen(name) >= CONF_NAME) {
		snprintf(err, errlen, "%s: expected an interface name", where);
		return -1;
	}
	strcpy(ifc->name, name);
	while ((k = strtok_r(NULL, " \t", &save))) {
		int bad = 0;
		if (!(v = strtok_r(NULL, " \t", &save))) {
			snprintf(err, errlen, "%s: expected a value after \"%s\"", where, k);
			return -1;
		}
		if (!strcmp(k, "mac"))
			bad = conf_parse_mac(v, ifc->mac) < 0, ifc->has_mac = !bad;
		else if (!strcmp(k, "addr4"))
			bad = conf_parse_prefix4(v, &ifc->addr4, &ifc->plen4) < 0,
			ifc->has_addr4 = !bad;
		else if (!strcmp(k, "addr6"))
			bad = conf_parse_prefix6(v, &ifc->addr6, &ifc->plen6) < 0,
			ifc->has_addr6 = !bad;
		else if (!strcmp(k, "link"))
			snprintf(ifc->link, CONF_NAME, "%s", v);
		else if (!strcmp(k, "kind"))
			snprintf(ifc->kind, CONF_NAME, "%s", v);
		/* other interface attributes are ignored: newer harnesses may add some */
		if (bad) {
			snprintf(err, errlen, "%s: interface %s: expected a valid %s vs seen \"%s\"",
				 where, ifc->name, k, v);
			return -1;
		}
	}
	c->n_ifaces++;
	return 0;
}

int conf_parse(const char *text, const char *name, struct conf *c,
	       char *err, size_t errlen)
{
	char line[512], where[300];
	const char *p = text;
	int lineno = 0;

	memset(c, 0, sizeof(*c));
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *s, *key, *val;

		lineno++;
		snprintf(where, sizeof(where), "%s:%d", name, lineno);
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "%s: line longer than %zu bytes", where,
				 sizeof(line) - 1);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (p[n] == '\n');
		s = line + strspn(line, " \t\r");
		s[strcspn(s, "\r")] = 0;
		if (!*s || *s == '#')
			continue;
		key = s;
		val = s + strcspn(s, " \t");
		if (*val)
			*val++ = 0;
		val += strspn(val, " \t");
		for (char *e = val + strlen(val); e > val && (e[-1] == ' ' || e[-1] == '\t');)
			*--e = 0;
		if (!strcmp(key, "iface")) {
			if (conf_iface_line(val, c, where, err, errlen) < 0)
				return -1;
		} else if (!strcmp(key, "node")) {
			snprintf(c->node, CONF_NAME, "%s", val);
		} else if (!strcmp(key, "role")) {
			snprintf(c->role, CONF_NAME, "%s", val);
		} else {
			int i;
			if (strlen(key) >= CONF_NAME || strlen(val) >= 128) {
				snprintf(err, errlen, "%s: key or value too long", where);
				return -1;
			}
			for (i = 0; i < c->n_kv; i++)	/* the last one wins */
				if (!strcmp(c->kv[i].key, key))
					break;
			if (i == CONF_MAX_KV) {
				snprintf(err, errlen, "%s: expected at most %d keys", where,
					 CONF_MAX_KV);
				return -1;
			}
			strcpy(c->kv[i].key, key);
			strcpy(c->kv[i].val, val);
			if (i == c->n_kv)
				c->n_kv++;
		}
	}
	return 0;
}

int conf_load(const char *path, struct conf *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long n;
	int rc;

	if (!f) {
		snprintf(err, errlen, "fopen %s: %s", path, strerror(errno));
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || n > 1 << 20 || !(text = malloc((size_t)n + 1))) {
		fclose(f);
		snprintf(err, errlen, "%s: expected a file under 1 MB", path);
		return -1;
	}
	text[fread(text, 1, (size_t)n, f)] = 0;
	fclose(f);
	rc = conf_parse(text, path, c, err, errlen);
	free(text);
	return rc;
}

const char *conf_get(const struct conf *c, const char *key)
{
	for (int i = 0; i < c->n_kv; i++)
		if (!strcmp(c->kv[i].key, key))
			return c->kv[i].val;
	return NULL;
}

const char *conf_str(const struct conf *c, const char *key, const char *def)
{
	const char *v = conf_get(c, key);
	return v ? v : def;
}

int conf_int(const struct conf *c, const char *key, long def, long *v,
	     char *err, size_t errlen)
{
	const char *s = conf_get(c, key);
	char *end;

	*v = def;
	if (!s)
		return 0;
	errno = 0;
	*v = strtol(s, &end, 0);
	if (errno || *end || end == s) {
		snprintf(err, errlen, "conf %s: expected an integer vs seen \"%s\"", key, s);
		return -1;
	}
	return 0;
}

int conf_double(const struct conf *c, const char *key, double def, double *v,
		char *err, size_t errlen)
{
	const char *s = conf_get(c, key);
	char *end;

	*v = def;
	if (!s)
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	if (errno || end == s || (*end && strcmp(end, "s"))) {
		snprintf(err, errlen, "conf %s: expected a number vs seen \"%s\"", key, s);
		return -1;
	}
	return 0;
}

int conf_bool(const struct conf *c, const char *key, bool def, bool *v,
	      char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "1", "on" };
	static const char *const no[] = { "no", "false", "0", "off" };
	const char *s = conf_get(c, key);

	*v = def;
	if (!s)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		if (!strcmp(s, yes[i])) { *v = true; return 0; }
		if (!strcmp(s, no[i])) { *v = false; return 0; }
	}
	snprintf(err, errlen, "conf %s: expected yes or no vs seen \"%s\"", key, s);
	return -1;
}

int conf_addr4(const struct conf *c, const char *key, struct in_addr *v,
	       bool *set, char *err, size_t errlen)
{
	const char *s = conf_get(c, key);
	int plen;

	*set = false;
	if (!s)
		return 0;
	if (conf_parse_prefix4(s, v, &plen) < 0) {
		snprintf(err, errlen, "conf %s: expected an IPv4 address vs seen \"%s\"",
			 key, s);
		return -1;
	}
	*set = true;
	return 0;
}

const struct conf_iface *conf_iface_find(const struct conf *c, const char *name)
{
	for (int i = 0; i < c->n_ifaces; i++)
		if (!strcmp(c->ifaces[i].name, name))
			return &c->ifaces[i];
	return NULL;
}
