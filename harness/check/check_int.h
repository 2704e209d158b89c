/* check_int.h — shared inside harness/check (not public). */
#ifndef ROAM_CHECK_INT_H
#define ROAM_CHECK_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "decode/decode.h"

#define CK_NAME_MAX 64
#define CK_ERR_MAX 512

/* ---- run folder: captures, topology, events (runio.c) ---- */
struct ck_kv;
struct ck_node {
	char name[CK_NAME_MAX];
	char role[CK_NAME_MAX];
	struct ck_kv *conf; int n_conf;	/* the daemon conf (str values): <node>.conf
					 * of the run folder, else topology.lua's */
};
struct ck_addr {		/* an address (4, 6 or MAC 6 bytes) owned by a node */
	uint8_t fam;		/* 4, 6 or 'm' */
	uint8_t a[16];
	int node;
};
struct ck_tlink {		/* a topology link, for delivery times and subnets */
	char name[CK_NAME_MAX];
	bool cell;
	int end[2];		/* node of ifaces[0] (a cell's AP) and ifaces[1], -1 */
	double delay[2];	/* the topology's imp[0], imp[1] delays, seconds */
	uint8_t s4[4], s6[16]; int p4, p6;	/* subnets, -1 none */
};
struct ck_map {
	struct ck_node *nodes; int n_nodes;
	struct ck_addr *addrs; int n_addrs;
	char (*links)[CK_NAME_MAX]; int n_links;	/* one per pcap, index = link id */
	char (*paths)[4096];				/* the pcap of each link */
	struct ck_tlink *tlinks; int n_tlinks;		/* the topology's links */
	bool have_topo;
};
/* A value of an event: number or string (nested JSON kept as text). */
struct ck_kv { char *key; char *str; double num; bool is_num; };
struct ck_event { double t, ts; char *type; struct ck_kv *kv; int n_kv; };
struct ck_events { struct ck_event *ev; int n; };

/* Opens the folder (or one pcap file): lists pcaps, loads topology.lua and
 * events.jsonl when present. roles are "ROLE=ADDR". 0, or 2 with err. */
int ck_map_load(struct ck_map *m, struct ck_events *e, const char *dir,
		char *const *roles, int n_roles, char *err, size_t errlen);
void ck_map_free(struct ck_map *m, struct ck_events *e);
int ck_map_node(const struct ck_map *m, uint8_t fam, const uint8_t *a);	/* -1 */
int ck_map_node_find(const struct ck_map *m, const char *name_or_role);
int ck_map_link_find(const struct ck_map *m, const char *name);
/* Node owning the source / destination of a record (MAC first, then the
 * outermost IP address); -1 when unknown. */
int ck_rec_node(const struct ck_map *m, const struct dec_record *r, bool dst);
const char *ck_ev_str(const struct ck_event *e, const char *key);
double ck_ev_num(const struct ck_event *e, const char *key, double dflt);
/* Parses one flat JSON object line into e (exposed for tests). */
bool ck_event_parse(const char *line, struct ck_event *e);
void ck_event_free(struct ck_event *e);

/* ---- k-way merge of the pcaps by timestamp (merge.c) ---- */
struct ck_frame {
	int link;
	uint64_t frame;		/* 1-based, per pcap */
	uint64_t ts_ns;
	int linktype;
	const uint8_t *data;	/* valid until the next ck_merge_next */
	uint32_t caplen, wirelen;
};
struct ck_merge;
struct ck_merge *ck_merge_open(char (*paths)[4096], int n, char *err, size_t errlen);
/* 1 next frame in *f, 0 end, -1 read error (err). */
int ck_merge_next(struct ck_merge *mg, struct ck_frame *f, char *err, size_t errlen);
void ck_merge_close(struct ck_merge *mg);

/* ---- selectors compiled to C predicates (sel.c) ---- */
enum ck_op { CK_EQ, CK_PRESENT, CK_ABSENT, CK_NE };
struct ck_val { uint64_t u; uint8_t b[16]; uint8_t blen; };
struct ck_cond {
	uint16_t id; uint8_t depth; uint8_t op;
	struct ck_val *v; int nv;	/* CK_EQ/NE: any of */
};
struct ck_conj {			/* one selector: every condition holds */
	struct ck_cond *c; int nc;
	int *links; int nlinks;		/* empty: every link */
	int from, to;			/* node index or -1 */
	int verdicts;			/* bit mask of enum dec_verdict, 0 any */
};
struct ck_sel { struct ck_conj *alt; int nalt; };	/* any selector */

/* Per-record index of the first occurrence of each field. */
struct ck_index { uint16_t first[DEC_MAX_DEPTH][DEC_F_COUNT]; };
void ck_index_build(struct ck_index *ix, const struct dec_record *r);
void ck_index_clear(struct ck_index *ix, const struct dec_record *r);
void ck_index_init(struct ck_index *ix);
bool ck_sel_match(const struct ck_sel *s, const struct dec_record *r,
		  const struct ck_index *ix, int link, int src_node, int dst_node);
bool ck_sel_needs_nodes(const struct ck_sel *s);
void ck_sel_free(struct ck_sel *s);
/* Parses a value text for field id into v ("2001:db8::1", "02:00:..", "42"). */
bool ck_val_parse(unsigned id, const char *text, struct ck_val *v);

/* ---- selected frames kept for the rules (store.c) ---- */
struct ck_pkt {
	const uint8_t *data;
	uint32_t caplen, wirelen;
	uint64_t frame, ts_ns;
	int16_t link; int16_t linktype;
	uint8_t verdict;
};
struct ck_store {
	struct ck_pkt *p; size_t n, cap;
	struct ck_chunk *chunks;
	size_t bytes;
};
uint32_t ck_store_add(struct ck_store *s, const struct ck_frame *f, enum dec_verdict v);
void ck_store_free(struct ck_store *s);

/* ---- results ---- */
enum ck_verdict { CK_PASS, CK_FAIL, CK_NA, CK_ERROR, CK_NVERDICT };
extern const char *const ck_verdict_names[CK_NVERDICT];
struct ck_ref { int link; uint64_t frame; double t; };	/* an offending packet */
#define CK_MAX_REFS 16
struct ck_result {
	char *id, *rfc, *text, *where;	/* where: rule file:line */
	enum ck_verdict verdict;
	char *note, *expected, *seen;
	struct ck_ref refs[CK_MAX_REFS]; int n_refs;
	uint64_t selected;
	double secs;			/* time spent in the check */
	uint64_t kinstr;		/* thousands of Lua instructions it ran */
};

struct ck_run;
/* ---- measurements (measure.c, measure_ho.c; definitions in docs/checks.md) ---- */
/* The figures' names, the same in the text report, JSON, JUnit properties,
 * the chart and docs/checks.md. A handoff phase runs from a to b (realtime
 * seconds, -1 absent); see ck_ho_phase(). */
enum ck_phase {
	CK_PH_L2_GAP,			/* l2_down -> l2_up */
	CK_PH_DETECTION,		/* l2_up -> the first RA / agent advertisement delivered */
	CK_PH_ADDRESS,			/* that advertisement -> the first registration sent */
	CK_PH_HOME_REG,			/* BU to the HA / RRQ -> the matching BA / RRP delivered */
	CK_PH_COUNT
};
extern const char *const ck_phase_names[CK_PH_COUNT];
#define CK_NAME_HOME_DEREG "home_deregistration"	/* CK_PH_HOME_REG with lifetime 0 */
#define CK_NAME_CN_REG "cn_registration"		/* first HoTI/CoTI -> the CN's BA */
#define CK_NAME_CN_DEREG "cn_deregistration"		/* the same with BU lifetime 0 */
#define CK_NAME_INTERRUPTION "interruption"	/* last delivered on the old path -> first on the new */
#define CK_NAME_RESTORATION "restoration"	/* l2_down -> first delivered on the new path */
#define CK_NAME_LOST "lost"			/* never delivered, sent in the handoff's window */
#define CK_NAME_SIG_BYTES "signalling_bytes"	/* station's mobility, ND, ARP + replies, to restoration */

struct ck_bin { uint32_t n; double dsum; double jitter; };	/* one second */
struct ck_flow {
	uint32_t id;
	int recv_node, send_node;	/* -1 unknown */
	int first_link;			/* no receiver known: the first link it was seen on */
	int station;			/* ck_meas.st index of the moving end measured, -1 */
	bool down;			/* that station is the receiver (else the sender) */
	uint8_t home4[4]; bool have_home4;	/* the receiver's IPv4 home address (conf home_addr) */
	uint64_t frames;		/* every capture of the flow on any link */
	uint64_t delivered, dups, reordered;
	uint32_t max_seq; bool any;	/* highest delivered sequence number */
	uint32_t max_seen; bool seen;	/* highest captured on any link */
	uint8_t *cnt; size_t cnt_len;	/* deliveries per sequence number (saturating) */
	double *sent; size_t sent_len;	/* send time per sequence number (0 unknown) */
	double d_min, d_max, d_sum, jitter, last_delay;
	double t_first, t_last;		/* run seconds of the first and last delivery */
	struct ck_bin *bins; size_t n_bins;
};
struct ck_hflow {			/* one flow across one handoff */
	int flow;			/* index in ck_meas.flows */
	double t_old, s_old;		/* last delivered on the old path: delivery and send time, -1 */
	uint32_t seq_old;
	double t_new, s_new;		/* first delivered on the new path, -1 */
	uint32_t seq_new;
	uint64_t lost;
};
struct ck_cnreg {			/* correspondent registration of one handoff */
	uint8_t cn[16];			/* the correspondent's address */
	double t_start;			/* first HoTI or CoTI sent (inner headers included) */
	double t_hot, t_cot;		/* HoT / CoT delivered */
	double t_bu, t_ba;		/* BU sent, its BA delivered */
	uint16_t bu_seq[2];		/* first and latest BU sequence numbers */
	bool dereg;			/* BU lifetime 0 */
};
#define CK_CN_MAX 8
struct ck_sig { double t; uint32_t bytes; };
struct ck_handoff {
	char station[CK_NAME_MAX], from[CK_NAME_MAX], to[CK_NAME_MAX];
	int node, link, st;		/* station node, new link, ck_meas.st index */
	double t_move, t_down, t_up;	/* realtime seconds; t_up < 0 absent */
	bool have_down;
	double t_detect;		/* first RA / agent advertisement delivered after l2_up */
	double t_reg, t_reg_reply;	/* home (de)registration sent, its reply delivered */
	uint8_t ha[16];			/* where the home BU went (MIPv6) */
	uint32_t reg_seq[2];		/* first and latest BU seq / RRQ Identification (low 32) */
	int reg_kind;			/* 1 BU, 2 RRQ */
	bool dereg;			/* lifetime 0 */
	struct ck_cnreg cn[CK_CN_MAX]; int n_cn;
	double t_restored;		/* latest first-on-the-new-path over its flows, -1 */
	double t_end;			/* end of the measuring window (chart) */
	uint64_t sig_bytes, sig_frames;
	struct ck_sig *sig; int n_sig;	/* candidates, summed up to t_restored */
	struct ck_hflow *hf; int n_hf;
};
struct ck_att { double t; int link; };	/* from t on: attached to link (-1 none) */
struct ck_station {
	int node;
	struct ck_att *att; int n_att;	/* attachment timeline */
	int *ho; int n_ho;		/* its handoffs, in order */
	double t_move, t_down; bool moving;	/* init only: a move logged and its l2_down
						 * not yet; the last l2_down */
};
struct ck_linkq {			/* what delivery needs of each pcap's link */
	bool known, cell;
	int end[2];			/* p2p: the nodes of its two ends; cell: [0] the AP */
	double delay[2];		/* p2p: towards end[1], towards end[0]; cell/segment:
					 * towards the stations, towards the AP */
	uint8_t s4[4], s6[16]; int p4, p6;	/* subnets, prefix length -1 none */
	struct ck_dset { double t, delay; int dir; } *set; int n_set;	/* link_set events */
};
struct ck_macn { uint8_t mac[6]; int node; };
struct ck_meas {
	struct ck_flow *flows; int n_flows;
	int *fslot; size_t n_fslot;	/* flows by id (measure.c) */
	struct ck_handoff *ho; int n_ho;
	double t0;			/* realtime of run time 0 (first frame if no events) */
	uint64_t frames, bytes, by_verdict[4];
	double ts_first, ts_last;
	struct ck_station *st; int n_st;
	int *node_st; int n_nodes;	/* per node: station index, -1 */
	struct ck_linkq *lq; int n_lq;
	struct ck_macn *macs; int n_macs;	/* sorted by MAC */
};
void ck_meas_init(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e);
void ck_meas_frame(struct ck_meas *m, const struct ck_map *map, const struct ck_frame *f,
		   const struct dec_record *r, const struct ck_index *ix);
void ck_meas_finish(struct ck_meas *m);
void ck_meas_free(struct ck_meas *m);
/* Phase i of h: start and end (realtime, -1 absent); its name. */
const char *ck_ho_phase(const struct ck_handoff *h, int i, double *a, double *b);
/* Flow totals as the receiver counts them (roam-traffic flow-N.json):
 * lost = highest delivered + 1 - delivered. */
uint64_t ck_flow_lost(const struct ck_flow *fl);
/* Every figure as (scope, name, value): scope "flow.1", "handoff.2",
 * "handoff.2.flow.1", "handoff.2.cn.<addr>"; times in ms. For JUnit
 * properties and tests. */
typedef void (*ck_figure_fn)(void *ctx, const char *scope, const char *name, double v);
void ck_meas_figures(const struct ck_run *run, ck_figure_fn fn, void *ctx);

/* ---- the engine (engine.c, lrules.c) ---- */
struct ck_engine;
struct ck_run {
	struct ck_map map;
	struct ck_events ev;
	struct ck_meas meas;
	struct ck_result *res; int n_res;
	double secs;			/* wall time of the pass */
	char dir[4096];
};
/* The whole check: load, one pass, rules, measurements. 0 ok, 2 bad input
 * (err), 3 environment (err). The verdicts are in run->res. */
int ck_run_all(struct ck_run *run, const char *dir, char *const *rules, int n_rules,
	       char *const *roles, int n_roles, char *err, size_t errlen);
void ck_run_free(struct ck_run *run);
int ck_exit_code(const struct ck_run *run);

/* Lua side (lrules.c) */
struct ck_lua;
struct ck_lua *ck_lua_new(struct ck_run *run, struct ck_store *st, char *err, size_t errlen);
/* Loads one rule file; 0 or 2 with "file:line: message". */
int ck_lua_load(struct ck_lua *cl, const char *path, char *err, size_t errlen);
int ck_lua_n_rules(struct ck_lua *cl);
const struct ck_sel *ck_lua_sel(struct ck_lua *cl, int i);
void ck_lua_select(struct ck_lua *cl, int i, uint32_t pkt);
/* Runs every check; appends results to run->res. */
void ck_lua_check_all(struct ck_lua *cl);
void ck_lua_free(struct ck_lua *cl);
/* Where the helper library and rule sets live ("<top>/lua"). */
const char *ck_lua_dir(void);

/* ---- reports (report_*.c) ---- */
typedef void (*ck_report_fn)(const struct ck_run *run, FILE *f);
void ck_report_text(const struct ck_run *run, FILE *f);
void ck_report_json(const struct ck_run *run, FILE *f);
void ck_report_junit(const struct ck_run *run, FILE *f);
void ck_report_tap(const struct ck_run *run, FILE *f);
ck_report_fn ck_report_find(const char *format);
/* "FORMAT:FILE"; 0 or 2 with err. */
int ck_report_write(const struct ck_run *run, const char *spec, char *err, size_t errlen);

/* small helpers (util.c) */
void ck_json_str(FILE *f, const char *s);	/* with quotes */
void ck_xml_str(FILE *f, const char *s);	/* escaped, no quotes */
char *ck_strdup(const char *s);			/* NULL stays NULL */
double ck_rel(const struct ck_run *run, double ts);	/* realtime -> run seconds */
const char *ck_link_name(const struct ck_run *run, int link);
#endif
