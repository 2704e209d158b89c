/* scenario.h — the scenario clock. A scenario is a Lua file run in its own
 * _ENV (base, string, table, math only) with an instruction-count watchdog.
 * Loading runs the file's top level, which declares the scenario and
 * schedules coroutines; scn_run() then drives them in real time against the
 * live run through struct scn_ops. */
#ifndef ROAM_SCENARIO_H
#define ROAM_SCENARIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "topo.h"

struct scn;

/* What the scenario declared with scenario{...} at its top level. */
struct scn_info {
	const char *topology;	/* path, resolved relative to the scenario's folder
				 * (then to the current directory) */
	char **sets; int n_sets;/* "key=value" from scenario{set={...}} then --set */
	double duration;	/* seconds; 0 = until the last coroutine ends or finish() */
	char **rules; int n_rules; /* rule files the run is checked against */
	const char *name;
};

/* The live run, as the scenario sees it. Each returns 0, or -1 with a
 * message in err; the clock turns that into a Lua error at the calling
 * line of the scenario. */
struct scn_ops {
	int (*move)(void *ctx, const char *station, const char *cell, double gap,
		    char *err, size_t errlen);
	int (*position)(void *ctx, const char *node, double x, double y,
			char *err, size_t errlen);
	int (*link_set)(void *ctx, const char *link, int dir,
			const struct topo_impair *imp, char *err, size_t errlen);
	/* Runs argv in the node and waits (at most timeout s); *status is the
	 * exit status (128+signal if killed), *out the output (malloc'd). */
	int (*exec)(void *ctx, const char *node, char *const argv[], double timeout,
		    int *status, char **out, char *err, size_t errlen);
	/* Starts argv in the node in the background; it is ended at teardown. */
	int (*spawn)(void *ctx, const char *node, char *const argv[], int *handle,
		     char *err, size_t errlen);
	/* Current impairment of a link direction (for link(name):get()). */
	int (*link_get)(void *ctx, const char *link, int dir, struct topo_impair *imp,
			char *err, size_t errlen);
	/* Waits until run time t (seconds since the run's start, see evlog.h)
	 * while the run keeps serving its signals and control socket. Returns 0
	 * when t is reached, -1 if the run must stop (signal, fatal error). */
	int (*wait_until)(void *ctx, double t);
	/* Active tests: sends one whole Ethernet frame out of a node's
	 * interface (ifname NULL: its first), as the node would send it. */
	int (*send_frame)(void *ctx, const char *node, const char *ifname,
			  const uint8_t *frame, size_t len, char *err, size_t errlen);
	/* A tap on a link: from now on, every frame a node sends onto it (as
	 * the capture sees it, before impairment). Returns a handle >= 0. */
	int (*tap_open)(void *ctx, const char *link, char *err, size_t errlen);
	/* The tap's next frame, waiting until run time `until` while the run
	 * goes on: its length (copied into buf, cut to cap), with its run time
	 * in *t and the sending node's index in *node (-1 if unknown); 0 when
	 * `until` passed with none; -1 if the run must stop. */
	int (*tap_next)(void *ctx, int tap, double until, uint8_t *buf, size_t cap,
			double *t, int *node);
	void (*tap_close)(void *ctx, int tap);
	/* The run's clock now (seconds since its start). The scenario's now()
	 * is the scheduled time of the current event, which lags behind while a
	 * coroutine runs commands; deadlines of expectations count from the
	 * later of the two. May be NULL (then the scheduled time is used). */
	double (*now)(void *ctx);
	const struct topo *topo;
	const char *outdir;	/* the run's output folder (captures, logs) */
	const char *bindir;	/* where roam's binaries are (roam-traffic ...) */
};

/* Loads a scenario; sets are --set strings (they override scenario{set=}).
 * NULL with "file:line: message" in err on error. */
struct scn *scn_load(const char *path, char *const *sets, int n_sets,
		     char *err, size_t errlen);
const struct scn_info *scn_info(const struct scn *s);
/* Runs the clock to the end. Returns 0 when the scenario ended normally,
 * 1 when it called fail() or a check it made failed, 2 on a scenario error
 * (message with file:line and a traceback in err), 4 when stopped by
 * wait_until returning -1. */
int scn_run(struct scn *s, const struct scn_ops *ops, void *ctx,
	    char *err, size_t errlen);
void scn_free(struct scn *s);
#endif
