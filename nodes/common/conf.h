/* conf.h — the node configuration file the harness writes:
 *
 *	node ha
 *	role mip4.ha
 *	iface eth0 mac 02:aa:bb:cc:dd:01 addr4 10.0.1.1/24 addr6 fd00:1::1/64 link home kind segment
 *	<key> <value>		(role-specific, everything after the key is the value)
 *
 * '#' starts a comment line; blank lines are ignored. */
#ifndef ROAM_CONF_H
#define ROAM_CONF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define CONF_MAX_IFACES 16
#define CONF_MAX_KV 64
#define CONF_NAME 32

struct conf_iface {
	char name[CONF_NAME];
	uint8_t mac[6]; bool has_mac;
	struct in_addr addr4; int plen4; bool has_addr4;
	struct in6_addr addr6; int plen6; bool has_addr6;
	char link[CONF_NAME];	/* the link's name in the topology */
	char kind[CONF_NAME];	/* segment, p2p, cell */
};

struct conf {
	char node[CONF_NAME];
	char role[CONF_NAME];
	struct conf_iface ifaces[CONF_MAX_IFACES]; int n_ifaces;
	struct { char key[CONF_NAME]; char val[128]; } kv[CONF_MAX_KV]; int n_kv;
};

/* Reads path into c. On error returns -1 and writes "path:line: expected ..
 * vs seen .." into err. */
int conf_load(const char *path, struct conf *c, char *err, size_t errlen);
/* Parses text (the file's contents) the same way; name is used in errors. */
int conf_parse(const char *text, const char *name, struct conf *c,
	       char *err, size_t errlen);

const char *conf_get(const struct conf *c, const char *key);	/* NULL if unset */
const char *conf_str(const struct conf *c, const char *key, const char *def);
/* The typed getters return -1 and write err when the value does not parse,
 * 0 with *v = def when the key is unset, 0 with the value otherwise. */
int conf_int(const struct conf *c, const char *key, long def, long *v,
	     char *err, size_t errlen);
int conf_double(const struct conf *c, const char *key, double def, double *v,
		char *err, size_t errlen);
int conf_bool(const struct conf *c, const char *key, bool def, bool *v,
	      char *err, size_t errlen);
int conf_addr4(const struct conf *c, const char *key, struct in_addr *v,
	       bool *set, char *err, size_t errlen);
const struct conf_iface *conf_iface_find(const struct conf *c, const char *name);
/* "a.b.c.d/n" or "a.b.c.d" (plen = 32). 0 or -1. */
int conf_parse_prefix4(const char *s, struct in_addr *a, int *plen);
int conf_parse_mac(const char *s, uint8_t mac[6]);
#endif
