/* orch.h — the orchestrator: one live run, from topology to teardown.
 * It sits in the run's fabric namespace, is the parent of every process of
 * the run (in the run's own pid namespace), runs the medium's thread and
 * serves the control socket. Its death, however it happens, frees all. */
#ifndef ROAM_ORCH_H
#define ROAM_ORCH_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "build.h"
#include "run.h"
#include "topo.h"

struct medium;

/* Exit codes of every roam command (roam(1), roam-scenario(5)). */
enum roam_exit {
	ROAM_EXIT_OK = 0,		/* all checks pass */
	ROAM_EXIT_FAILED = 1,		/* a check failed, or a node's program ended */
	ROAM_EXIT_BADINPUT = 2,		/* topology, scenario, rule, usage */
	ROAM_EXIT_ENV = 3,		/* the environment cannot run it */
	ROAM_EXIT_INTERRUPTED = 4,	/* SIGINT, SIGTERM or roam down ended a roam run */
};

struct orch_opts {
	const char *topology;
	char **sets; int n_sets;
	uint64_t seed; bool seed_set;
	const char *name;	/* run name; default <topology>-<random> */
	const char *out;	/* output folder; default captures/<name> */
	const char *links;	/* "medium" (default) or "netem" */
	bool detach;
	bool quiet;
};

struct orch_proc {
	pid_t pid;
	int node;
	char *cmd;		/* for messages */
	bool exited;
	int status;		/* wait status */
	bool crashed;		/* ended while the run went on: signal, non-zero
				 * status, or any exit of a program that serves */
	char why[96];		/* crashed: how it ended, for messages */
	bool serve;		/* started with the run (role daemon, topology
				 * run command): expected to live as long */
};

/* A station's addresses to change once it is up in its new cell. */
struct orch_readdress {
	double at;			/* run time */
	int node;
	struct topo_iface old_if;	/* what to remove */
	struct topo_route *old_routes; int n_old;
};

struct orch {
	struct orch_opts opts;
	struct topo *t;
	struct build b;
	struct medium *m;
	char name[RUN_NAME_MAX];
	char out[1024];
	char bindir[1024];
	char topofile[1024];
	uint64_t seed;
	pid_t init;		/* pid 1 of the run's pid namespace */
	int sfd;		/* signalfd: INT TERM HUP CHLD */
	int ctl;		/* listening control socket */
	struct orch_proc *procs; int n_procs;
	struct orch_readdress *pending; int n_pending;	/* after moves */
	int *send_fd;		/* per node: AF_PACKET socket for crafted frames, -1 */
	struct orch_tap { int fd; int link; } *taps; int n_taps;	/* fd -1: closed */
	struct topo_impair *cur_imp;	/* per link, two directions: current impairment */
	bool stop;		/* teardown requested */
	char stop_why[256];
	bool crashed;		/* a node's program ended unexpectedly */
	bool env_failed;	/* the environment failed it (a capture write): exit 3 */
	int signal;		/* SIGINT/SIGTERM that stopped the run, 0 */
	bool down_asked;	/* roam down stopped the run */
	int lockfd;		/* holds the run's record live (run.h) */
	int outlockfd;		/* holds the output folder */
	int pidns_home;		/* the pid namespace roam started in: children
				 * go there again once the run's is gone */
	bool tearing_down;
	int detach_fd;		/* -d: tells the waiting parent the run is up */
	struct run_state st;
};

/* Builds the run: returns 0, or an exit code (2 bad input, 3 environment,
 * 1 other failure) with the message printed. */
int orch_up(struct orch *o, const struct orch_opts *opts);
/* Serves signals, child exits and the control socket until run time
 * `until` (seconds; <0 = until told to stop). 0 when reached, -1 when the
 * run must stop. */
int orch_serve(struct orch *o, double until);
/* The same, also returning 1 as soon as fd is readable. */
int orch_serve_fd(struct orch *o, double until, int fd);
/* Reads the signals that arrived: SIGINT, SIGTERM, SIGHUP stop the run;
 * SIGCHLD is left to the serve loop, which reaps. */
void orch_signals(struct orch *o);
/* Ends the run: stops processes, flushes captures, frees the namespaces. */
void orch_down(struct orch *o);

#define ORCH_GAP_MAX 60.0	/* seconds: the longest handoff gap, as in topologies */

/* Operations shared by the scenario clock and the control socket.
 * orch_move's gap < 0 means the cell's handoff_gap. */
int orch_move(struct orch *o, const char *station, const char *cell, double gap,
	      char *err, size_t errlen);
int orch_position(struct orch *o, const char *node, double x, double y,
		  char *err, size_t errlen);
int orch_link_set(struct orch *o, const char *link, int dir,
		  const struct topo_impair *imp, char *err, size_t errlen);
int orch_link_get(struct orch *o, const char *link, int dir,
		  struct topo_impair *imp, char *err, size_t errlen);
/* Starts argv (or, if shell is set, `sh -c shell`) in a node, output to
 * <out>/<node>.log; the run supervises it and ends it at teardown. */
int orch_spawn(struct orch *o, int node, char *const argv[], const char *shell,
	       char *err, size_t errlen);
int orch_exec(struct orch *o, int node, char *const argv[], double timeout,
	      int *status, char **out, char *err, size_t errlen);
/* Active tests: a crafted frame out of a node's interface; taps on links
 * (see scn_ops in scenario.h). */
int orch_send_frame(struct orch *o, const char *node, const char *ifname,
		    const uint8_t *frame, size_t len, char *err, size_t errlen);
int orch_tap_open(struct orch *o, const char *link, char *err, size_t errlen);
int orch_tap_next(struct orch *o, int tap, double until, uint8_t *buf, size_t cap,
		  double *t, int *node);
void orch_tap_close(struct orch *o, int tap);
/* Applies the readdressing that is due by run time now. */
void orch_readdress_due(struct orch *o, double now);
/* Handles one control request line; writes the answer to fd. */
void orch_ctl_request(struct orch *o, char *line, int fd);
/* Parses "dir" words of the CLI and scenarios: forward back down up both. */
int orch_dir_parse(const char *s);
#endif
