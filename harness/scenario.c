/* scenario.c — the scenario clock: loads a scenario file into its own _ENV
 * (base, string, table, math), keeps a min-heap of (time, coroutine) and
 * drives it in real time through struct scn_ops, with an instruction-count
 * watchdog and a memory limit. The API itself is in scenario_api.c and
 * scenario_node.c. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lauxlib.h>
#include <lualib.h>
#include "evlog.h"
#include "check/check_int.h"
#include "lsafe.h"
#include "scenario_int.h"

#define SCN_MEM_MAX ((size_t)256 << 20)

static void *scn_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct scn *s = ud;
	return lsafe_alloc(&s->mem, ptr, osize, nsize);
}

struct scn *scn_self(lua_State *L)
{
	void *ud;
	lua_getallocf(L, &ud);
	return ud;
}

/* ---- the event heap, ordered by (t, seq) ---- */

static bool scn_ev_before(const struct scn_ev *a, const struct scn_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void scn_ev_swap(struct scn_ev *a, struct scn_ev *b)
{
	struct scn_ev x = *a;
	*a = *b;
	*b = x;
}

void scn_schedule(struct scn *s, double t, enum scn_ev_kind kind, int ref,
		  double dt, long left)
{
	struct scn_ev *h;
	int i;

	if (s->n_ev == s->cap_ev) {
		int cap = s->cap_ev ? 2 * s->cap_ev : 16;
		h = realloc(s->heap, (size_t)cap * sizeof(*h));
		if (!h)
			luaL_error(s->L, "scenario: out of memory for %d events", cap);
		s->heap = h;
		s->cap_ev = cap;
	}
	h = s->heap;
	if (t < s->now)
		t = s->now;
	i = s->n_ev++;
	h[i] = (struct scn_ev){ .t = t, .seq = s->next_seq++, .kind = kind,
				.ref = ref, .dt = dt, .left = left };
	while (i > 0 && scn_ev_before(&h[i], &h[(i - 1) / 2])) {
		scn_ev_swap(&h[i], &h[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

static struct scn_ev scn_pop(struct scn *s)
{
	struct scn_ev *h = s->heap, top = h[0];
	int i = 0, n = --s->n_ev;

	h[0] = h[n];
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && scn_ev_before(&h[l], &h[m]))
			m = l;
		if (r < n && scn_ev_before(&h[r], &h[m]))
			m = r;
		if (m == i)
			break;
		scn_ev_swap(&h[i], &h[m]);
		i = m;
	}
	return top;
}

static void scn_drop_all(struct scn *s)
{
	while (s->n_ev > 0) {
		struct scn_ev ev = scn_pop(s);
		luaL_unref(s->L, LUA_REGISTRYINDEX, ev.ref);
	}
}

/* ---- helpers for the API ---- */

void scn_need_run(lua_State *L, const char *what)
{
	struct scn *s = scn_self(L);
	if (!s->running)
		luaL_error(L, "%s: expected to be called inside an at/every function "
			   "(the run's network does not exist while the scenario loads)", what);
}

double scn_check_time(lua_State *L, int idx, const char *what)
{
	double v;
	char err[160];

	if (lua_type(L, idx) == LUA_TNUMBER) {
		v = lua_tonumber(L, idx);
	} else if (lua_type(L, idx) == LUA_TSTRING) {
		if (!topo_parse_time(lua_tostring(L, idx), &v, err, sizeof(err)))
			return luaL_error(L, "%s: %s", what, err);
	} else {
		return luaL_error(L, "%s: expected a time (seconds or \"50ms\") vs %s",
				  what, luaL_typename(L, idx));
	}
	if (!(v >= 0))
		return luaL_error(L, "%s: expected a time >= 0 vs %f", what, v);
	if (v > SCN_TIME_MAX)
		return luaL_error(L, "%s: expected a time of at most %f s (about 11 days) vs %f s",
				  what, (lua_Number)SCN_TIME_MAX, v);
	return v;
}

/* The watchdog: one call every SCN_HOOK_EVERY instructions. */
static void scn_hook(lua_State *L, lua_Debug *ar)
{
	struct scn *s = scn_self(L);

	int sig = lsafe_signal();

	(void)ar;
	if (sig) {
		s->signal = sig;
		luaL_where(L, 0);
		lua_pushfstring(L, "scenario stopped by %s", strsignal(sig));
		lua_concat(L, 2);
		lsafe_doom(L, lua_tostring(L, -1));
	}
	if (++s->hook_ticks <= SCN_HOOK_LIMIT)
		return;
	s->hook_ticks = 0;
	luaL_where(L, 0);
	lua_pushfstring(L, "scenario watchdog: the function ran too long without "
			"waiting (more than %d million instructions; use wait() or at())",
			SCN_HOOK_LIMIT * SCN_HOOK_EVERY / 1000000);
	lua_concat(L, 2);
	lsafe_doom(L, lua_tostring(L, -1));
}

static int scn_msghandler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		msg = lsafe_describe(L, 1);
	}
	luaL_traceback(L, L, msg, 1);
	return 1;
}

/* ---- the sandbox ---- */

static int scn_collectgarbage(lua_State *L)
{
	static const char *const opts[] = { "count", "collect", "step", NULL };
	int o = luaL_checkoption(L, 1, "collect", opts);
	if (o == 0) {
		lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT) +
			       (lua_Number)lua_gc(L, LUA_GCCOUNTB) / 1024);
		return 1;
	}
	lua_gc(L, o == 1 ? LUA_GCCOLLECT : LUA_GCSTEP, 0);
	lua_pushinteger(L, 0);
	return 1;
}

static const char *const scn_base_keep[] = {
	"assert", "error", "getmetatable", "ipairs", "next", "pairs", "pcall",
	"print", "rawequal", "rawget", "rawlen", "rawset", "select",
	"setmetatable", "tonumber", "tostring", "type", "xpcall", "_VERSION",
};
static const char *const scn_libs[] = { "string", "table", "math" };

static void scn_env_new(lua_State *L);

/* require("models.handoff"): a module of roam's own Lua tree
 * (<lua>/models/handoff.lua, the folder of the rule library), run once in a
 * sandbox like the scenario's and its value kept for later calls. Names are
 * dot-separated [a-z0-9_] words: nothing outside that tree is reachable. */
static int scn_require(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	char path[4200];
	size_t n = strlen(name);
	bool ok = n > 0 && n < 128 && name[0] != '.' && name[n - 1] != '.' && !strstr(name, "..");

	for (size_t i = 0; ok && i < n; i++)
		ok = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		     name[i] == '_' || name[i] == '.';
	if (!ok)
		return luaL_error(L, "require: expected a module name of roam's lua tree like "
				  "\"models.handoff\" vs \"%s\"", name);
	lua_getfield(L, LUA_REGISTRYINDEX, "roam.modules");
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_setfield(L, LUA_REGISTRYINDEX, "roam.modules");
	}
	if (lua_getfield(L, -1, name) != LUA_TNIL)
		return 1;
	lua_pop(L, 1);
	int at = snprintf(path, sizeof path, "%s/", ck_lua_dir());
	for (size_t i = 0; i < n && at + 5 < (int)sizeof path; i++)
		path[at++] = name[i] == '.' ? '/' : name[i];
	snprintf(path + at, sizeof path - (size_t)at, ".lua");
	if (luaL_loadfilex(L, path, "t") != LUA_OK)
		return luaL_error(L, "require \"%s\": %s", name, lua_tostring(L, -1));
	scn_env_new(L);
	lua_setupvalue(L, -2, 1);	/* _ENV */
	lua_pushstring(L, name);
	lua_call(L, 1, 1);
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, -3, name);
	return 1;
}

/* Pushes a fresh _ENV with the allowed parts of the standard library. */
static void scn_env_new(lua_State *L)
{
	size_t i;

	luaL_requiref(L, "_G", luaopen_base, 1);
	lua_pop(L, 1);
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");	/* no bytecode */
	lua_pop(L, 1);
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
	lua_pop(L, 1);
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
	lua_getfield(L, -1, "randomseed");	/* a run replays exactly */
	lua_pushinteger(L, 0);
	lua_call(L, 1, 0);
	lua_pop(L, 1);

	lua_newtable(L);
	lua_pushglobaltable(L);
	for (i = 0; i < sizeof(scn_base_keep) / sizeof(scn_base_keep[0]); i++) {
		lua_getfield(L, -1, scn_base_keep[i]);
		lua_setfield(L, -3, scn_base_keep[i]);
	}
	for (i = 0; i < sizeof(scn_libs) / sizeof(scn_libs[0]); i++) {
		lua_getfield(L, -1, scn_libs[i]);
		lua_setfield(L, -3, scn_libs[i]);
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, scn_collectgarbage);
	lua_setfield(L, -2, "collectgarbage");
	lua_pushcfunction(L, scn_require);
	lua_setfield(L, -2, "require");
	lsafe_guard_env(L, -1);
	lua_pushvalue(L, -1);
	lua_setfield(L, -2, "_G");
	scn_api_open(L);
	scn_node_open(L);
}

/* ---- load ---- */

static int scn_set_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds --set strings over scenario{set=}: a key given again replaces. */
static bool scn_apply_sets(struct scn *s, char *const *sets, int n_sets,
			   char *err, size_t errlen)
{
	struct scn_info *in = &s->info;
	int i, j;

	if (in->n_sets > 1)
		qsort(in->sets, (size_t)in->n_sets, sizeof(char *), scn_set_cmp);
	for (i = 0; i < n_sets; i++) {
		const char *eq = strchr(sets[i], '=');
		size_t klen;
		char *dup, **v;

		if (!eq || eq == sets[i]) {
			snprintf(err, errlen, "--set: expected key=value vs \"%s\"", sets[i]);
			return false;
		}
		klen = (size_t)(eq - sets[i]) + 1;
		if (!(dup = strdup(sets[i]))) {
			snprintf(err, errlen, "strdup: %s", strerror(errno));
			return false;
		}
		for (j = 0; j < in->n_sets; j++)
			if (!strncmp(in->sets[j], sets[i], klen))
				break;
		if (j < in->n_sets) {
			free(in->sets[j]);
			in->sets[j] = dup;
			continue;
		}
		v = realloc(in->sets, (size_t)(in->n_sets + 1) * sizeof(*v));
		if (!v) {
			free(dup);
			snprintf(err, errlen, "realloc: %s", strerror(errno));
			return false;
		}
		in->sets = v;
		in->sets[in->n_sets++] = dup;
	}
	return true;
}

struct scn *scn_load(const char *path, char *const *sets, int n_sets,
		     char *err, size_t errlen)
{
	struct scn *s = calloc(1, sizeof(*s));
	char *tmp;
	lua_State *L;

	if (!s) {
		snprintf(err, errlen, "calloc: %s", strerror(errno));
		return NULL;
	}
	s->mem.max = SCN_MEM_MAX;
	s->next_flow = 1;
	s->path = strdup(path);
	tmp = strdup(path);
	if (!s->path || !tmp || !(s->dir = strdup(dirname(tmp)))) {
		free(tmp);
		snprintf(err, errlen, "strdup: %s", strerror(errno));
		scn_free(s);
		return NULL;
	}
	free(tmp);
	if (!(s->L = L = lua_newstate(scn_alloc, s))) {
		snprintf(err, errlen, "%s: cannot create a Lua state", path);
		scn_free(s);
		return NULL;
	}
	lua_sethook(L, scn_hook, LUA_MASKCOUNT, SCN_HOOK_EVERY);
	lua_pushcfunction(L, scn_msghandler);
	scn_env_new(L);
	lua_pushvalue(L, -1);
	s->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	if (luaL_loadfilex(L, path, "t") != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		scn_free(s);
		return NULL;
	}
	lua_insert(L, -2);
	lua_setupvalue(L, -2, 1);	/* _ENV */
	s->hook_ticks = 0;
	s->cli_sets = sets;
	s->n_cli_sets = n_sets;
	if (lua_pcall(L, 0, 0, 1) != LUA_OK) {
		snprintf(err, errlen, "%s", lua_tostring(L, -1));
		scn_free(s);
		return NULL;
	}
	lua_settop(L, 0);
	if (!s->declared) {
		snprintf(err, errlen, "%s:1: expected a scenario{...} declaration at "
			 "the top level vs none", path);
		scn_free(s);
		return NULL;
	}
	s->cli_sets = NULL;
	{
		/* the --set values the scenario's own param() read stay its own */
		char **keep = calloc((size_t)n_sets + 1, sizeof(char *));
		int n_keep = 0;
		if (!keep) {
			snprintf(err, errlen, "calloc: %s", strerror(errno));
			scn_free(s);
			return NULL;
		}
		for (int i = 0; i < n_sets; i++) {
			size_t kl = strcspn(sets[i], "=");
			bool own = false;
			for (int k = 0; k < s->n_params; k++)
				own |= strlen(s->params[k]) == kl && !strncmp(s->params[k], sets[i], kl);
			if (!own)
				keep[n_keep++] = sets[i];
		}
		if (!scn_apply_sets(s, keep, n_keep, err, errlen)) {
			free(keep);
			scn_free(s);
			return NULL;
		}
		free(keep);
	}
	return s;
}

const struct scn_info *scn_info(const struct scn *s)
{
	return &s->info;
}

/* ---- run ---- */

/* Resumes co (anchored by co_ref) with nargs on its stack. Returns 0 to go
 * on, 1 when the scenario ends (finish/fail), 2 on an error (in err). */
static int scn_resume(struct scn *s, lua_State *co, int co_ref, int nargs,
		      char *err, size_t errlen)
{
	int nres = 0, st;

	s->yield = SCN_Y_NONE;
	s->hook_ticks = 0;
	st = lua_resume(co, s->L, nargs, &nres);
	if (st == LUA_YIELD) {
		lua_pop(co, nres);
		switch (s->yield) {
		case SCN_Y_WAIT:
			scn_schedule(s, s->wake, SCN_EV_RESUME, co_ref, 0, 0);
			return 0;
		case SCN_Y_FINISH:
		case SCN_Y_FAIL:
			luaL_unref(s->L, LUA_REGISTRYINDEX, co_ref);
			return 1;
		case SCN_Y_NONE:
			break;
		}
		snprintf(err, errlen, "%s: a coroutine yielded outside wait()", s->path);
		luaL_unref(s->L, LUA_REGISTRYINDEX, co_ref);
		return 2;
	}
	if (st == LUA_OK) {
		lua_settop(co, 0);
		luaL_unref(s->L, LUA_REGISTRYINDEX, co_ref);
		return 0;
	}
	{
		const char *msg = lsafe_describe(co, -1);
		luaL_traceback(s->L, co, msg, 0);
		snprintf(err, errlen, "%s", lua_tostring(s->L, -1));
		lua_pop(s->L, 1);
	}
	luaL_unref(s->L, LUA_REGISTRYINDEX, co_ref);
	return 2;
}

/* Starts the function anchored by fn_ref in a new coroutine. */
static int scn_start(struct scn *s, int fn_ref, char *err, size_t errlen)
{
	lua_State *co = lua_newthread(s->L);
	int co_ref = luaL_ref(s->L, LUA_REGISTRYINDEX);

	lua_sethook(co, scn_hook, LUA_MASKCOUNT, SCN_HOOK_EVERY);
	lua_rawgeti(s->L, LUA_REGISTRYINDEX, fn_ref);
	lua_xmove(s->L, co, 1);
	return scn_resume(s, co, co_ref, 0, err, errlen);
}

static int scn_dispatch(struct scn *s, struct scn_ev *ev, char *err, size_t errlen)
{
	lua_State *co;
	int r;

	switch (ev->kind) {
	case SCN_EV_START:
		r = scn_start(s, ev->ref, err, errlen);
		luaL_unref(s->L, LUA_REGISTRYINDEX, ev->ref);
		return r;
	case SCN_EV_EVERY:
		if (ev->left < 0 || ev->left > 1)
			scn_schedule(s, ev->t + ev->dt, SCN_EV_EVERY, ev->ref, ev->dt,
				     ev->left < 0 ? -1 : ev->left - 1);
		r = scn_start(s, ev->ref, err, errlen);
		if (ev->left == 1)
			luaL_unref(s->L, LUA_REGISTRYINDEX, ev->ref);
		return r;
	case SCN_EV_RESUME:
		lua_rawgeti(s->L, LUA_REGISTRYINDEX, ev->ref);
		co = lua_tothread(s->L, -1);
		lua_pop(s->L, 1);
		return scn_resume(s, co, ev->ref, 0, err, errlen);
	}
	return 0;
}

static int scn_run_loop(struct scn *s, char *err, size_t errlen, const char **why)
{
	double end = s->info.duration;
	int r;

	while (s->n_ev > 0) {
		struct scn_ev ev = scn_pop(s);

		if (end > 0 && ev.t > end) {
			luaL_unref(s->L, LUA_REGISTRYINDEX, ev.ref);
			break;
		}
		if (s->ops->wait_until(s->ctx, ev.t) < 0) {
			luaL_unref(s->L, LUA_REGISTRYINDEX, ev.ref);
			snprintf(err, errlen, "%s: the run was stopped at t=%.3f",
				 s->path, s->now);
			*why = "stopped";
			return 4;
		}
		s->now = ev.t;
		r = scn_dispatch(s, &ev, err, errlen);
		lua_settop(s->L, 0);
		if (r == 2 && s->signal) {
			snprintf(err, errlen, "%s: the run was stopped by %s at t=%.3f",
				 s->path, strsignal(s->signal), s->now);
			*why = "stopped";
			return 4;
		}
		if (r == 2) {
			*why = "error";
			return 2;
		}
		if (r == 1) {
			*why = s->failed ? "fail" : "finish";
			return 0;
		}
	}
	if (end > 0) {
		if (s->now < end && s->ops->wait_until(s->ctx, end) < 0) {
			snprintf(err, errlen, "%s: the run was stopped at t=%.3f",
				 s->path, s->now);
			*why = "stopped";
			return 4;
		}
		if (s->now < end)
			s->now = end;
		*why = "duration";
	} else {
		*why = "done";
	}
	return 0;
}

int scn_run(struct scn *s, const struct scn_ops *ops, void *ctx,
	    char *err, size_t errlen)
{
	const char *why = "done";
	char ebuf[1024];
	int rc;

	if (s->running) {
		snprintf(err, errlen, "%s: the scenario is already running", s->path);
		return 2;
	}
	if (!ops || !ops->wait_until) {
		snprintf(err, errlen, "%s: expected run operations with wait_until vs none",
			 s->path);
		return 2;
	}
	if (err && errlen)
		err[0] = '\0';
	s->ops = ops;
	s->ctx = ctx;
	s->running = true;
	rc = scn_run_loop(s, err, errlen, &why);
	scn_drop_all(s);
	scn_craft_end(s);
	s->running = false;
	if (rc == 0 && s->failed) {
		rc = 1;
		snprintf(err, errlen, "%s", s->fail_msg);
	} else if (rc == 0 && s->n_failed) {
		rc = 1;
		snprintf(err, errlen, "%s: %d check%s failed", s->path, s->n_failed,
			 s->n_failed == 1 ? "" : "s");
	}
	evlog("scenario_end", "\"status\":%d,\"reason\":\"%s\",\"failed_checks\":%d,"
	      "\"t_scenario\":%.6f,\"error\":\"%s\"", rc, why, s->n_failed, s->now,
	      json_esc(rc ? err : "", ebuf, sizeof(ebuf)));
	printf("[%8.3f] scenario %s ended (%s), %d failed check%s\n", s->now,
	       s->info.name ? s->info.name : s->path, why, s->n_failed,
	       s->n_failed == 1 ? "" : "s");
	fflush(stdout);
	return rc;
}

static void scn_strv_free(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void scn_free(struct scn *s)
{
	if (!s)
		return;
	if (s->L)
		lua_close(s->L);
	free(s->heap);
	scn_strv_free(s->info.sets, s->info.n_sets);
	scn_strv_free(s->params, s->n_params);
	scn_strv_free(s->info.rules, s->info.n_rules);
	free((char *)s->info.topology);
	free((char *)s->info.name);
	free(s->path);
	free(s->dir);
	free(s);
}
