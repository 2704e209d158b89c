/* topo.h — the resolved topology: what a topology file means once loaded,
 * validated, addressed and routed. The builder, the medium, the scenario
 * clock and `roam -n` all read this; only topo_lua.c writes it. */
#ifndef ROAM_TOPO_H
#define ROAM_TOPO_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define TOPO_NAME_MAX 32	/* node, link, cell and run names, with NUL */
#define TOPO_IFNAME_MAX 16	/* IFNAMSIZ */

struct topo_prefix {
	int family;		/* 0 (none), AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; v4 uses the first 4 */
	int plen;
};

/* Impairment of one direction of a link. All zero means a perfect wire. */
struct topo_impair {
	double delay;		/* seconds, one way */
	double jitter;		/* seconds, uniform +- around delay */
	double loss;		/* probability 0..1 of dropping a frame */
	double loss_corr;	/* 0..1: weight of the previous draw (netem-style) */
	bool ge;		/* Gilbert-Elliott bursts instead of loss/loss_corr */
	double ge_p;		/* P(good -> bad) per frame */
	double ge_r;		/* P(bad -> good) per frame */
	double ge_loss_good;	/* loss probability in the good state (1-k) */
	double ge_loss_bad;	/* loss probability in the bad state (1-h) */
	double rate;		/* bits per second, 0 = unlimited */
	double dup;		/* probability 0..1 of sending a frame twice */
	double reorder;		/* probability 0..1 that a frame skips the delay */
};

/* One step of a time-varying profile: from time t (seconds since the run's
 * start) the direction's impairment is imp. */
struct topo_step {
	double t;
	struct topo_impair imp;
};

enum topo_link_kind { TOPO_P2P, TOPO_SEGMENT, TOPO_CELL };
extern const char *const topo_link_kind_names[];

/* Radio cell parameters (log-distance path loss, in the manner of wmediumd). */
struct topo_radio {
	double x, y;		/* access point position, metres */
	double tx_power;	/* dBm */
	double ref_loss;	/* path loss at 1 m, dB */
	double exponent;	/* path loss exponent */
	double noise;		/* noise floor, dBm */
	double snr_min;		/* below this SNR the station is out of range: carrier down */
	double snr_good;	/* at or above this SNR no loss from the radio */
	double rate_max;	/* bit/s at snr_good and above */
	double handoff_gap;	/* seconds of carrier down when move() reattaches */
};

struct topo_iface {
	char name[TOPO_IFNAME_MAX];	/* name inside the node: eth0, wlan0 */
	int node;			/* index into topo.nodes */
	int link;			/* index into topo.links; for a station, its current cell (-1: none) */
	uint8_t mac[6];			/* deterministic: 02:<run-independent hash> */
	struct topo_prefix v4, v6;	/* assigned address and prefix length; family 0 if none */
	int host;			/* host number used for addressing in the link's subnets */
	bool radio;			/* a station's radio interface (moves between cells) */
};

struct topo_link {
	char name[TOPO_NAME_MAX];
	enum topo_link_kind kind;
	int *ifaces;			/* interfaces on the link; for a cell [0] is the AP's */
	int n_ifaces;
	struct topo_prefix subnet4, subnet6;	/* family 0 if none */
	struct topo_impair imp[2];	/* p2p: [0] ifaces[0]->ifaces[1], [1] back;
					 * segment, cell: [0] towards the stations or
					 * every port, [1] from the stations */
	struct topo_step *profile[2];	/* time-varying steps per direction, sorted by t */
	int n_profile[2];
	struct topo_radio radio;	/* TOPO_CELL only */
	int src_line;			/* line in the topology file */
};

struct topo_route {
	struct topo_prefix dst;		/* plen 0 = default */
	struct topo_prefix via;		/* gateway address */
	int iface;			/* output interface index into topo.ifaces */
	bool automatic;			/* computed by routing = "auto" */
};

struct topo_kv { char *key; char *val; };

struct topo_node {
	char name[TOPO_NAME_MAX];
	char role[TOPO_NAME_MAX];	/* router, host, ap, mip4.ha, ... */
	int *ifaces; int n_ifaces;	/* indexes into topo.ifaces */
	struct topo_route *routes; int n_routes;
	char **run; int n_run;		/* command lines, placeholders substituted at start */
	struct topo_kv *conf; int n_conf; /* daemon configuration, role specific */
	double x, y; bool has_pos;	/* station position, metres */
	bool forward;			/* IP forwarding on (routers) */
	bool addressing;		/* the harness addresses the radio interface on
					 * every cell it enters (false: a daemon does) */
	int src_line;
};

struct topo {
	char name[TOPO_NAME_MAX];
	char *file;			/* path it was loaded from */
	struct topo_node *nodes; int n_nodes;
	struct topo_link *links; int n_links;
	struct topo_iface *ifaces; int n_ifaces;
	struct topo_kv *params; int n_params;	/* every param() with its resolved value */
	bool auto_routing;
};

/* Loads, validates, addresses and routes a topology file. sets are
 * "key=value" strings from --set. On error returns NULL and writes a
 * message "file:line: what was expected vs what was seen" into err. */
struct topo *topo_load(const char *path, char *const *sets, int n_sets,
		       char *err, size_t errlen);
void topo_free(struct topo *t);
/* Prints the canonical topology as a Lua file that topo_load reads back
 * into an identical topology (and prints identically). */
void topo_print(const struct topo *t, FILE *f);

int topo_node_find(const struct topo *t, const char *name);	/* -1 if none */
int topo_link_find(const struct topo *t, const char *name);	/* -1 if none */
/* Recomputes automatic routes (after a station moved) for every node. */
void topo_route_auto(struct topo *t);
/* Moves a station's radio interface to another cell: updates both cells'
 * interface lists and, if the node's addressing is on, its addresses;
 * then recomputes automatic routes. Returns 0 or -1 with a message. */
int topo_station_move(struct topo *t, int iface, int new_link, char *err, size_t errlen);

/* Units: "10ms", "1.5s", "250us", plain number = seconds. Returns false with
 * a message on a bad unit. Likewise rates "10Mbit", "64kbit", "1Gbit",
 * "1000" (bit/s), and percentages "1%" or fractions 0.01. */
bool topo_parse_time(const char *s, double *out, char *err, size_t errlen);
bool topo_parse_rate(const char *s, double *out, char *err, size_t errlen);
bool topo_parse_prob(const char *s, double *out, char *err, size_t errlen);
bool topo_parse_prefix(const char *s, struct topo_prefix *out);
/* "10.0.0.1/24", "fd00::1/64" */
void topo_prefix_str(const struct topo_prefix *p, bool with_len, char *buf, size_t len);
/* Shared with the scenario clock: reads an impairment table at stack index
 * idx ({delay="10ms", jitter=..., loss="1%", loss_corr=..., ge={p=,r=,
 * loss_good=, loss_bad=}, rate="10Mbit", dup=..., reorder=...}) over *imp;
 * fields absent from the table keep their value. */
struct lua_State;
bool topo_impair_from_lua(struct lua_State *L, int idx, struct topo_impair *imp,
			  char *err, size_t errlen);
#endif
