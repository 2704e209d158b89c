/* run.h — the record of a live run: /run/roam/<name>/ (ROAM_RUNDIR
 * overrides the folder), written by the orchestrator, read by roam ls,
 * down, exec, shell and the other CLI commands. It holds no kernel state.
 * The orchestrator holds a lock on <name>/lock for its whole life: a record
 * is live exactly while that lock is held (the kernel drops it when the
 * orchestrator dies, however, in any pid namespace); a stale record is
 * pruned by whoever finds it. */
#ifndef ROAM_RUN_H
#define ROAM_RUN_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define RUN_NAME_MAX 64

/* A node's namespace is held by the orchestrator's descriptor nsfd:
 * /proc/<pid>/fd/<nsfd> enters it. */
struct run_node { char name[32]; int nsfd; };

struct run_state {
	char name[RUN_NAME_MAX];
	pid_t pid;			/* the orchestrator */
	unsigned long long start;	/* its start time, tells it from a reused pid */
	pid_t init;			/* pid 1 of the run's pid namespace */
	char topology[512];
	char out[512];
	char dead[256];			/* node programs that ended: "a: exit 3; b: ..." */
	double created;			/* CLOCK_REALTIME seconds */
	struct run_node *nodes; int n_nodes;
};

const char *run_root(void);
/* The path of a file in a run's folder. */
void run_path(const char *name, const char *file, char *buf, size_t len);
/* Creates the run's folder and takes its lock: the descriptor, to hold
 * open (without passing it on) for the run's life; -1 if a live run has
 * that name. */
int run_create(const char *name, char *err, size_t errlen);
/* Takes the lock on path (created if missing) and writes holder into it:
 * the descriptor that holds it, or -1 with errno (EAGAIN: another process
 * holds it; then seen gets the first line it wrote). */
int run_lock_claim(const char *path, const char *holder, char *seen, size_t seenlen);
/* Rewrites what a held lock file says of its holder (after a fork). */
int run_lock_note(int fd, const char *holder);
/* True while some process holds the lock on path. */
bool run_lock_held(const char *path);
int run_state_write(const struct run_state *st, char *err, size_t errlen);
/* Reads a run's record; -1 with a message if there is none or it is stale. */
int run_state_read(const char *name, struct run_state *st, char *err, size_t errlen);
void run_state_free(struct run_state *st);
bool run_alive(const struct run_state *st);
void run_remove(const char *name);
/* Calls fn for every live run, pruning stale records. */
int run_each(void (*fn)(const struct run_state *, void *), void *arg);
bool run_name_ok(const char *name);
#endif
