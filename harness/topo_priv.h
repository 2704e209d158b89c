/* topo_priv.h — what the topology loader's files share among themselves
 * (topo_lua.c, topo_read.c, topo_addr.c, topo_route.c, topo_print.c).
 * Nothing outside harness/topo_*.c includes this. */
#ifndef ROAM_TOPO_PRIV_H
#define ROAM_TOPO_PRIV_H
#include <stdarg.h>
#include <sys/socket.h>
#include "topo.h"

typedef unsigned __int128 topo_u128;

/* Metatable of the values node{}, link{}, segment{}, cell{}, topology{} return. */
#define TOPO_CTOR_MT "roam.topo.ctor"
#define TOPO_RATE_MIN 1.0	/* bit/s: anything below is a unit mistake */
#define TOPO_RATE_MAX 1e12	/* bit/s (1000Gbit) */

/* A route as written in a node's routes = {...}, resolved after addressing. */
struct topo_raw_route {
	char *to, *via, *dev;
	int line;
};

/* An address given in a link's addrs = {...}. */
struct topo_raw_addr {
	int node;
	int member;			/* the node's position in the link's members */
	struct topo_prefix a4, a6;	/* family 0 if not given */
};

/* Per-link facts the loader needs before interfaces exist. */
struct topo_raw_link {
	int *members; int n_members;	/* node indexes; cell: [0] the AP, then stations */
	struct topo_raw_addr *addrs; int n_addrs;
	bool sub4_given, sub6_given;
};

/* Name → index map for node names (open addressing). */
struct topo_nmap { int *slot; size_t cap; const struct topo *t; };

/* The loader's working state between reading and resolving; everything in
 * it is freed by the loader, even when reading stops at a Lua error. */
struct topo_ld {
	struct topo *t;
	const char *file;
	char *err; size_t errlen;
	struct topo_raw_link *rl;		/* [t->n_links] */
	struct topo_raw_route **rr; int *n_rr;	/* [t->n_nodes] */
	struct topo_prefix pool4, pool6;
	bool ipv6;
	struct topo_nmap nodes;		/* node names while reading */
	int *stamp;			/* per node: last link index + 1 that listed it */
	int *member_at;			/* per node: its position in that link */
	int *station_of;		/* per node: the cell listing it as a station, -1 */
};

/* Formats "file:line: message" into ld->err; always returns false. */
bool topo_ld_err(struct topo_ld *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void topo_nmap_init(struct topo_nmap *m, const struct topo *t, int n);
int topo_nmap_get(const struct topo_nmap *m, const char *name);
void topo_nmap_put(struct topo_nmap *m, const char *name, int idx);
void topo_nmap_free(struct topo_nmap *m);

/* Reads the table returned by topology{...} (at the top of the stack) into
 * ld->t and the raw link/route data. */
struct lua_State;
bool topo_read(struct topo_ld *ld, struct lua_State *L, int idx);
/* Reading constructor tables (topo_read.c, topo_read_link.c). */
struct topo_rd {
	struct topo_ld *ld;
	struct lua_State *L;
};
/* Which impairment fields a table may also hold. */
enum topo_imp_ok { IMP_NONE, IMP_ALL, IMP_NO_RATE };
/* Every key of the table at idx is one of known, an impairment field (as
 * imp says) or a positional index 1..npos; else "unknown field" error. */
bool topo_rd_fields(struct topo_rd *r, int idx, const char *what, int line,
		    const char *const *known, enum topo_imp_ok imp, int npos);
bool topo_rd_name(struct topo_rd *r, int line, const char *what, const char *s);
bool topo_rd_field(struct topo_rd *r, int idx, const char *key);	/* pushes it */
bool topo_rd_want(struct topo_rd *r, int line, const char *ctx, const char *key, int ty);
bool topo_rd_str(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		 char *buf, size_t len, bool *given);
bool topo_rd_bool(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		  bool *out);
bool topo_rd_num(struct topo_rd *r, int idx, int line, const char *ctx, const char *key,
		 double *out);
bool topo_rd_ctor(struct topo_rd *r, int idx, const char *where, int pline,
		  const char **kind, int *line);
bool topo_rd_nodes(struct topo_rd *r, int line, const char *ctx, const char *key,
		   int **out, int *n, int *cap);
bool topo_ends_with(const char *s, const char *suf);
bool topo_read_links(struct topo_rd *r, int a, int line);


/* Interfaces, MACs, subnets and addresses; then explicit routes. */
bool topo_addr_build(struct topo_ld *ld);
bool topo_route_explicit(struct topo_ld *ld);
/* Automatic routes after node moved: its own, or everyone's if it forwards. */
void topo_route_after_move(struct topo *t, int node);

/* Address arithmetic. */
topo_u128 topo_addr_u128(const struct topo_prefix *p);
void topo_addr_set(struct topo_prefix *p, int family, topo_u128 v, int plen);
int topo_family_bits(int family);
bool topo_prefix_contains(const struct topo_prefix *net, const struct topo_prefix *a);
/* Number of addresses in a prefix, saturating at 2^127. */
topo_u128 topo_prefix_size(const struct topo_prefix *p);

/* Canonical number formatting: the shortest text that reads back exactly as
 * v * scale (scale 1 for plain numbers). */
void topo_fmt_num(double v, char *buf, size_t len);
void topo_fmt_time(double v, char *buf, size_t len);
void topo_fmt_rate(double v, char *buf, size_t len);
void topo_fmt_prob(double v, char *buf, size_t len);

/* Impairment fields, as read from a table; with_rate false leaves out
 * "rate" (a cell's rate is its radio's). */
extern const char *const topo_impair_fields[];
bool topo_impair_read(struct lua_State *L, int idx, struct topo_impair *imp,
		      bool with_rate, char *err, size_t errlen);
/* Whether a table key names an impairment field. */
bool topo_is_impair_field(const char *k, bool with_rate);

/* Growable arrays: makes room for one more element. */
void *topo_grow(void *arr, int n, int *cap, size_t elem);
char *topo_strdup(const char *s);
#endif
