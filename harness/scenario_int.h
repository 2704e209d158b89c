/* scenario_int.h — what scenario.c (the clock) shares with the files that
 * implement the scenario API (scenario_api.c, scenario_node.c). Not a
 * contract with the rest of roam: use scenario.h. */
#ifndef ROAM_SCENARIO_INT_H
#define ROAM_SCENARIO_INT_H
#include <stdint.h>
#include <lua.h>
#include "lsafe.h"
#include "scenario.h"

enum scn_ev_kind { SCN_EV_START, SCN_EV_EVERY, SCN_EV_RESUME };

/* One pending event of the clock. */
struct scn_ev {
	double t;		/* run time, seconds */
	uint64_t seq;		/* scheduling order: ties at the same t run in it */
	enum scn_ev_kind kind;
	int ref;		/* registry ref: the function (START, EVERY) or
				 * the suspended thread (RESUME) */
	double dt;		/* EVERY: period */
	long left;		/* EVERY: ticks left, -1 = forever */
};

/* Why a coroutine yielded. */
enum scn_yield { SCN_Y_NONE, SCN_Y_WAIT, SCN_Y_FINISH, SCN_Y_FAIL };

struct scn {
	lua_State *L;
	char *path;		/* as given to scn_load */
	char *dir;		/* its folder, for relative paths */
	int env_ref;		/* the scenario's _ENV */
	bool declared;		/* scenario{} was called */
	struct scn_info info;

	struct scn_ev *heap; int n_ev, cap_ev;
	uint64_t next_seq;
	double now;		/* the current event's time (logical run time) */

	/* While scn_run runs. */
	const struct scn_ops *ops;
	void *ctx;
	bool running;
	enum scn_yield yield;	/* set by wait/finish/fail before yielding */
	double wake;		/* SCN_Y_WAIT: when to resume */
	long hook_ticks;	/* watchdog: count-hook calls in this resume */
	int n_failed;		/* failed check() calls */
	bool failed;		/* fail() was called */
	char fail_msg[512];	/* "file:line: fail: msg" */
	int next_flow;		/* the next automatic flow id */
	struct lsafe_mem mem;	/* Lua heap in use and its limit */
	int signal;		/* SIGINT/SIGTERM that stopped the Lua code, 0 */
	char *const *cli_sets;	/* --set strings, while scn_load runs */
	int n_cli_sets;
	char **params; int n_params;	/* names the scenario's param() read:
					 * their --set is not the topology's */
};

#define SCN_TIME_MAX 1e6		/* seconds: the longest time a scenario names */
#define SCN_HOOK_EVERY 1000		/* instructions per count-hook call */
#define SCN_HOOK_LIMIT 50000		/* calls: 50 million instructions */

/* scenario.c */
struct scn *scn_self(lua_State *L);
void scn_schedule(struct scn *s, double t, enum scn_ev_kind kind, int ref,
		  double dt, long left);
/* Errors unless scn_run is driving the scenario (the network exists). */
void scn_need_run(lua_State *L, const char *what);
/* A time argument: a number of seconds or a string with a unit ("50ms"). */
double scn_check_time(lua_State *L, int idx, const char *what);

/* scenario_api.c: clock and control functions into the _ENV at top of stack */
void scn_api_open(lua_State *L);
/* scenario_node.c: node(), link(), move(), position(), flow() */
void scn_node_open(lua_State *L);
/* scenario_craft.c: send{}, craft{}, listen{}, expect{}, expect_none{};
 * scn_craft_end closes the taps when the run ends. */
void scn_craft_open(lua_State *L);
void scn_craft_end(struct scn *s);
#endif
