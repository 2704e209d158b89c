/* roam.c — the command line: up, down, ls, exec, shell, run, move, link,
 * position, status, and -n (print the resolved topology).
 * Exit codes (every command, enum roam_exit): 0 all checks pass, 1 a check
 * failed or a node's program ended, 2 bad input, 3 the environment cannot
 * run it, 4 roam run interrupted (SIGINT, SIGTERM, roam down). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "decode/decode.h"
#include "evlog.h"
#include "orch.h"
#include "run.h"
#include "scenario.h"
#include "topo.h"
#include "util.h"

static const char usage[] =
"usage: roam up TOPOLOGY [--name NAME] [--set KEY=VALUE]... [--seed N]\n"
"               [--links medium|netem] [--out DIR] [-d]\n"
"       roam run SCENARIO [--set KEY=VALUE]... [--seed N] [--out DIR] [--name NAME]\n"
"                [--report text|junit|tap|json:FILE]...\n"
"       roam check DIR RULES... [--report FORMAT:FILE]... [--role ROLE=ADDR]...\n"
"       roam chart DIR [--from T --to T] [--out FILE.svg] [--format svg|html]\n"
"       roam down NAME\n"
"       roam ls\n"
"       roam exec NAME NODE -- CMD [ARG]...\n"
"       roam shell NAME NODE\n"
"       roam move NAME STATION CELL [GAP]\n"
"       roam position NAME NODE X Y\n"
"       roam link NAME LINK [forward|back|down|up|both] [KEY=VALUE]...\n"
"       roam status NAME\n"
"       roam ctl NAME NODE REQUEST...   (a node daemon's control socket: status, bindings, counters ...)\n"
"       roam -n TOPOLOGY [--set KEY=VALUE]...\n"
"       roam decode FILE.pcap [--fields NAME,...]\n"
"exit status: 0 pass, 1 a check failed or a node's program ended, 2 bad input,\n"
"             3 environment lacks what it needs, 4 roam run interrupted\n";

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "roam: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage);
	return 2;
}

/* Network namespaces need CAP_SYS_ADMIN, links and addresses CAP_NET_ADMIN. */
static int need_privileges(const char *cmd)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	unsigned want = 1u << CAP_NET_ADMIN | 1u << CAP_SYS_ADMIN;
	if (syscall(SYS_capget, &h, d) == 0 && (d[0].effective & want) == want)
		return 0;
	fprintf(stderr, "roam %s: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (network namespaces): "
		"run it as root, or through sudo\n", cmd);
	return 3;
}

struct common_opts {
	struct orch_opts o;
	char **sets; int n_sets;
	char **reports; int n_reports;	/* roam run --report FORMAT:FILE */
};

static int parse_common(int argc, char **argv, struct common_opts *c, bool allow_up)
{
	static const struct option lo[] = {
		{ "name", required_argument, NULL, 'N' }, { "set", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' }, { "links", required_argument, NULL, 'L' },
		{ "out", required_argument, NULL, 'o' }, { "detach", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' }, { "report", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":ds:N:o:h", lo, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 'N':
			if (!run_name_ok(optarg))
				return bad_usage("--name %s: expected 1-63 characters of [A-Za-z0-9._-], "
						 "not starting with '.' or '-'", optarg);
			c->o.name = optarg;
			break;
		case 's':
			if (!strchr(optarg, '='))
				return bad_usage("--set %s: expected KEY=VALUE", optarg);
			c->sets = realloc(c->sets, (size_t)(c->n_sets + 1) * sizeof(char *));
			c->sets[c->n_sets++] = optarg;
			break;
		case 'S':
			errno = 0;
			c->o.seed = strtoull(optarg, &end, 10);
			if (*end || !isdigit((unsigned char)*optarg) || errno == ERANGE)
				return bad_usage("--seed %s: expected a whole number from 0 to 18446744073709551615", optarg);
			c->o.seed_set = true;
			break;
		case 'L': c->o.links = optarg; break;
		case 'R': {
			char err[600];
			if (allow_up)
				return bad_usage("--report %s: only roam run reports", optarg);
			if (check_report_ok(optarg, err, sizeof(err)))
				return bad_usage("%s", err);
			c->reports = realloc(c->reports, (size_t)(c->n_reports + 1) * sizeof(char *));
			c->reports[c->n_reports++] = optarg;
			break;
		}
		case 'o': c->o.out = optarg; break;
		case 'd':
			if (!allow_up)
				return bad_usage("%s: only roam up detaches", "-d");
			c->o.detach = true;
			break;
		case 'h': fputs(usage, stdout); exit(0);
		case ':':
			return bad_usage("%s: missing value", argv[optind - 1]);
		default:
			return bad_usage("unknown option %s", argv[optind - 1]);
		}
	}
	c->o.sets = c->sets;
	c->o.n_sets = c->n_sets;
	return 0;
}

static int cmd_print(int argc, char **argv)
{
	struct common_opts c = { 0 };
	char err[1024];
	struct topo *t;
	int r = parse_common(argc, argv, &c, false);
	if (r)
		return r;
	if (optind != argc - 1)
		return bad_usage("-n: expected one topology file%s", "");
	t = topo_load(argv[optind], c.sets, c.n_sets, err, sizeof(err));
	free(c.sets);
	if (!t) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	topo_print(t, stdout);
	topo_free(t);
	return 0;
}

/* The last word on a run whose node programs ended while it went on. */
static void say_dead(const char *run, const char *dead)
{
	fprintf(stderr, "roam: run %s: node programs ended during the run: %s\n", run, dead);
}

static int cmd_up(int argc, char **argv)
{
	struct common_opts c = { 0 };
	struct orch o;
	int r = parse_common(argc, argv, &c, true);
	if (r)
		return r;
	if (optind != argc - 1)
		return bad_usage("up: expected one topology file%s", "");
	if ((r = need_privileges("up")))
		return r;
	c.o.topology = argv[optind];
	r = orch_up(&o, &c.o);
	free(c.sets);
	if (r)
		return r;
	if (!c.o.detach)
		printf("serving until Ctrl-C or `roam down %s`\n", o.name);
	fflush(stdout);
	orch_serve(&o, -1);
	if (!c.o.detach)
		printf("run %s: %s, tearing down\n", o.name, o.stop_why);
	orch_down(&o);
	if (o.crashed)
		say_dead(o.name, o.st.dead);
	return o.env_failed ? ROAM_EXIT_ENV : o.crashed ? ROAM_EXIT_FAILED : ROAM_EXIT_OK;
}

/* ---- talking to a live run ---- */

static int ctl_call(const char *name, const char *req, bool print)
{
	struct run_state st;
	struct sockaddr_un sa;
	char err[512], buf[4096];
	int fd, rc = 1;
	FILE *f;
	if (run_state_read(name, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	run_state_free(&st);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	run_path(name, "ctl", sa.sun_path, sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "roam: connect(%s): %s\n", sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 3;
	}
	dprintf(fd, "%s\n", req);
	shutdown(fd, SHUT_WR);
	f = fdopen(fd, "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		if (!strcmp(buf, "ok\n")) {
			rc = 0;
			continue;
		}
		if (!strncmp(buf, "error: ", 7)) {
			fprintf(stderr, "roam: %s", buf + 7);
			rc = 2;
			continue;
		}
		if (print)
			fputs(buf, stdout);
	}
	if (f)
		fclose(f);
	return rc;
}

static int cmd_ctl(int argc, char **argv, const char *verb, int min, int max)
{
	char req[4096];
	size_t len;
	if (argc - 1 < min || argc - 1 > max) {
		fprintf(stderr, "roam %s: wrong number of arguments\n%s", verb, usage);
		return 2;
	}
	snprintf(req, sizeof(req), "%s", verb);
	for (int i = 2; i < argc; i++) {
		len = strlen(req);
		snprintf(req + len, sizeof(req) - len, " %s", argv[i]);
	}
	return ctl_call(argv[1], req, true);
}

static int cmd_down(int argc, char **argv)
{
	struct run_state st;
	char err[512];
	int r;
	if (argc != 2)
		return bad_usage("down: expected a run name%s", "");
	if ((r = need_privileges("down")))
		return r;
	if (run_state_read(argv[1], &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	if (ctl_call(argv[1], "down", false) != 0)
		kill(st.pid, SIGTERM);
	for (int i = 0; i < 30000 && run_alive(&st); i++) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	if (run_alive(&st)) {
		fprintf(stderr, "roam: run %s (pid %d) did not end within 30 s; killing it\n", argv[1], (int)st.pid);
		kill(st.pid, SIGKILL);
	}
	printf("run %s down\n", argv[1]);
	if (st.dead[0]) {	/* the record the orchestrator rewrote when they ended */
		say_dead(argv[1], st.dead);
		run_state_free(&st);
		return ROAM_EXIT_FAILED;
	}
	run_state_free(&st);
	return 0;
}

static void ls_one(const struct run_state *st, void *arg)
{
	const char *topo = strrchr(st->topology, '/');
	long age = (long)(time(NULL) - (time_t)st->created);
	(void)arg;
	printf("%-24s %-20s %6d %5ld:%02ld  %s%s%s\n", st->name, topo ? topo + 1 : st->topology,
	       st->n_nodes, age / 60, age % 60, st->out, st->dead[0] ? "  DEAD " : "", st->dead);
}

static int cmd_ls(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return bad_usage("ls: takes no arguments%s", "");
	printf("%-24s %-20s %6s %8s  %s\n", "NAME", "TOPOLOGY", "NODES", "AGE", "OUT");
	run_each(ls_one, NULL);
	return 0;
}

/* A request to a node daemon's control socket <out>/<node>.ctl; prints the
 * answer. Exit 0 when it ends with "ok". */
static int cmd_node_ctl(int argc, char **argv)
{
	struct run_state st;
	struct sockaddr_un sa;
	char err[512], buf[4096], req[2048] = "";
	int fd, rc = 1;
	FILE *f;
	if (argc < 4)
		return bad_usage("ctl: expected NAME NODE REQUEST...%s", "");
	if (run_state_read(argv[1], &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s.ctl", st.out, argv[2]);
	run_state_free(&st);
	for (int i = 3; i < argc; i++) {
		size_t l = strlen(req);
		snprintf(req + l, sizeof(req) - l, "%s%s", i > 3 ? " " : "", argv[i]);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "roam: node %s has no daemon answering at %s: %s\n", argv[2], sa.sun_path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	dprintf(fd, "%s\n", req);
	shutdown(fd, SHUT_WR);
	f = fdopen(fd, "r");
	while (f && fgets(buf, sizeof(buf), f)) {
		if (!strcmp(buf, "ok\n"))
			rc = 0;
		else
			fputs(buf, stdout);
	}
	if (f)
		fclose(f);
	return rc;
}

/* Enters the run's pid namespace and a node's network namespace, then
 * runs argv there as our child and passes its exit status through. */
static int enter_and_run(const char *name, const char *node, char **argv)
{
	struct run_state st;
	char err[512], path[128];
	int nsfd = -1;
	pid_t pid, orch;
	int pidns, netns, status;
	if (run_state_read(name, &st, err, sizeof(err)) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	for (int i = 0; i < st.n_nodes; i++)
		if (!strcmp(st.nodes[i].name, node))
			nsfd = st.nodes[i].nsfd;
	if (nsfd < 0) {
		fprintf(stderr, "roam: run %s has no node \"%s\" (nodes:", name, node);
		for (int i = 0; i < st.n_nodes && i < 20; i++)
			fprintf(stderr, " %s", st.nodes[i].name);
		fprintf(stderr, "%s)\n", st.n_nodes > 20 ? " ..." : "");
		run_state_free(&st);
		return 2;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)st.init);
	pidns = open(path, O_RDONLY | O_CLOEXEC);
	orch = st.pid;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)orch, nsfd);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	run_state_free(&st);
	if (pidns < 0 || netns < 0) {
		fprintf(stderr, "roam: open(%s): %s\n", path, strerror(errno));
		return 3;
	}
	if (setns(pidns, CLONE_NEWPID) < 0 || setns(netns, CLONE_NEWNET) < 0) {
		fprintf(stderr, "roam: setns into node %s: %s\n", node, strerror(errno));
		return 3;
	}
	close(pidns);
	close(netns);
	if (util_node_mounts() < 0)
		fprintf(stderr, "roam: node %s: a private /sys: %s\n", node, strerror(errno));
	setenv("ROAM_RUN", name, 1);
	setenv("ROAM_NODE", node, 1);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "roam: fork: %s\n", strerror(errno));
		return 3;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "roam: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 3;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int cmd_exec(int argc, char **argv)
{
	int r, first = 3;
	if (argc < 4)
		return bad_usage("exec: expected NAME NODE -- CMD [ARG]...%s", "");
	if (!strcmp(argv[3], "--"))
		first = 4;
	if (first >= argc)
		return bad_usage("exec: expected a command after --%s", "");
	if ((r = need_privileges("exec")))
		return r;
	return enter_and_run(argv[1], argv[2], argv + first);
}

static int cmd_shell(int argc, char **argv)
{
	const char *sh = getenv("SHELL");
	char ps1[128];
	char *av[3];
	int r;
	if (argc != 3)
		return bad_usage("shell: expected NAME NODE%s", "");
	if ((r = need_privileges("shell")))
		return r;
	if (!sh || access(sh, X_OK) != 0)
		sh = access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
	snprintf(ps1, sizeof(ps1), "[%s:%s] \\w\\$ ", argv[1], argv[2]);
	setenv("PS1", ps1, 1);
	av[0] = (char *)sh;
	av[1] = strstr(sh, "bash") ? "--norc" : NULL;
	av[2] = NULL;
	return enter_and_run(argv[1], argv[2], av);
}

/* ---- roam run: a scenario against a run of its own ---- */

static void interrupted(int sig)
{
	static const char msg[] = "roam: interrupted\n";
	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0) { /* exiting anyway */ }
	_exit(ROAM_EXIT_INTERRUPTED);
}

/* Once the run is down (nothing left to tear down), SIGINT and SIGTERM end
 * the process at once with the interrupted code, whatever it is doing
 * (decoding captures, a rule's check()); they were blocked for the run. */
static int run_interruptible(void)
{
	struct sigaction sa;
	struct timespec now = { 0, 0 };
	sigset_t sigs;
	int sig = 0, s;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = interrupted;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	while ((s = sigtimedwait(&sigs, NULL, &now)) > 0)	/* arrived during teardown */
		sig = s;
	sigprocmask(SIG_UNBLOCK, &sigs, NULL);
	return sig;
}

static int op_move(void *ctx, const char *s, const char *c, double gap, char *err, size_t n)
{
	return orch_move(ctx, s, c, gap, err, n);
}
static int op_position(void *ctx, const char *node, double x, double y, char *err, size_t n)
{
	return orch_position(ctx, node, x, y, err, n);
}
static int op_link_set(void *ctx, const char *l, int dir, const struct topo_impair *imp, char *err, size_t n)
{
	return orch_link_set(ctx, l, dir, imp, err, n);
}
static int op_link_get(void *ctx, const char *l, int dir, struct topo_impair *imp, char *err, size_t n)
{
	return orch_link_get(ctx, l, dir, imp, err, n);
}
static int find_node(struct orch *o, const char *node, char *err, size_t errlen)
{
	int n = topo_node_find(o->t, node);
	if (n < 0)
		return ERR("no node \"%s\" in topology %s", node, o->t->name);
	return n;
}
static int op_exec(void *ctx, const char *node, char *const argv[], double timeout,
		   int *status, char **out, char *err, size_t errlen)
{
	int n = find_node(ctx, node, err, errlen);
	return n < 0 ? -1 : orch_exec(ctx, n, argv, timeout, status, out, err, errlen);
}
static int op_spawn(void *ctx, const char *node, char *const argv[], int *handle, char *err, size_t errlen)
{
	int n = find_node(ctx, node, err, errlen), pid;
	if (n < 0)
		return -1;
	pid = orch_spawn(ctx, n, argv, NULL, err, errlen);
	if (pid < 0)
		return -1;
	*handle = pid;
	return 0;
}
static int op_wait_until(void *ctx, double t)
{
	return orch_serve(ctx, t);
}
static int op_send_frame(void *ctx, const char *node, const char *ifname, const uint8_t *frame,
			 size_t len, char *err, size_t errlen)
{
	return orch_send_frame(ctx, node, ifname, frame, len, err, errlen);
}
static int op_tap_open(void *ctx, const char *link, char *err, size_t errlen)
{
	return orch_tap_open(ctx, link, err, errlen);
}
static int op_tap_next(void *ctx, int tap, double until, uint8_t *buf, size_t cap, double *t, int *node)
{
	return orch_tap_next(ctx, tap, until, buf, cap, t, node);
}
static void op_tap_close(void *ctx, int tap)
{
	orch_tap_close(ctx, tap);
}
static double op_now(void *ctx)
{
	(void)ctx;
	return run_now();
}

static int cmd_run(int argc, char **argv)
{
	struct common_opts c = { 0 };
	struct orch o;
	struct scn *s;
	const struct scn_info *info;
	struct scn_ops ops;
	char err[4096];
	int r = parse_common(argc, argv, &c, false);
	if (r)
		return r;
	if (optind != argc - 1)
		return bad_usage("run: expected one scenario file%s", "");
	s = scn_load(argv[optind], c.sets, c.n_sets, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "roam: %s\n", err);
		free(c.sets);
		return 2;
	}
	if ((r = need_privileges("run"))) {
		scn_free(s);
		free(c.sets);
		return r;
	}
	info = scn_info(s);
	c.o.topology = info->topology;
	c.o.sets = info->sets;
	c.o.n_sets = info->n_sets;
	r = orch_up(&o, &c.o);
	free(c.sets);
	if (r) {
		scn_free(s);
		free(c.reports);
		return r;
	}
	memset(&ops, 0, sizeof(ops));
	ops.move = op_move;
	ops.position = op_position;
	ops.link_set = op_link_set;
	ops.link_get = op_link_get;
	ops.exec = op_exec;
	ops.spawn = op_spawn;
	ops.wait_until = op_wait_until;
	ops.send_frame = op_send_frame;
	ops.tap_open = op_tap_open;
	ops.tap_next = op_tap_next;
	ops.tap_close = op_tap_close;
	ops.now = op_now;
	ops.topo = o.t;
	ops.outdir = o.out;
	ops.bindir = o.bindir;
	err[0] = 0;
	r = scn_run(s, &ops, &o, err, sizeof(err));
	if (err[0])
		fprintf(stderr, "roam: %s\n", err);
	if (r == 4) {
		/* stopped from outside (a signal, roam down): interrupted; by the
		 * run itself (its pid namespace's init died): failed */
		orch_signals(&o);	/* one the scenario's watchdog saw first */
		if (!o.signal && !o.down_asked)
			r = ROAM_EXIT_FAILED;
		fprintf(stderr, "roam: run %s stopped: %s\n", o.name,
			o.stop_why[0] ? o.stop_why : "interrupted");
	}
	{
		char out[1024], name[RUN_NAME_MAX];
		snprintf(out, sizeof(out), "%s", o.out);
		snprintf(name, sizeof(name), "%s", o.name);
		orch_down(&o);
		if (run_interruptible() && r == 0)
			r = ROAM_EXIT_INTERRUPTED;
		if (o.crashed) {
			say_dead(name, o.st.dead);
			if (r == 0)
				r = ROAM_EXIT_FAILED;
		}
		if (o.env_failed)
			r = ROAM_EXIT_ENV;	/* a capture could not be written */
		printf("run %s: %s; captures and logs in %s\n", name,
		       r == 0 ? "scenario passed" : r == 1 ? "scenario FAILED" :
		       r == 2 ? "scenario error" : r == 3 ? "the environment failed it" : "interrupted", out);
		/* the rules the scenario names judge what crossed the wire */
		if ((r == 0 || r == 1) && (info->n_rules > 0 || c.n_reports > 0)) {
			int cr = check_run_dir(out, info->rules, info->n_rules, c.reports, c.n_reports);
			if (cr > r)
				r = cr;
		}
	}
	scn_free(s);
	free(c.reports);
	return r;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage, cmd ? stdout : stderr);
		return cmd ? 0 : 2;
	}
	if (!strcmp(cmd, "-n")) return cmd_print(argc - 1, argv + 1);
	if (!strcmp(cmd, "up")) return cmd_up(argc - 1, argv + 1);
	if (!strcmp(cmd, "run")) return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "down")) return cmd_down(argc - 1, argv + 1);
	if (!strcmp(cmd, "ls")) return cmd_ls(argc - 1, argv + 1);
	if (!strcmp(cmd, "exec")) return cmd_exec(argc - 1, argv + 1);
	if (!strcmp(cmd, "shell")) return cmd_shell(argc - 1, argv + 1);
	if (!strcmp(cmd, "move")) return cmd_ctl(argc - 1, argv + 1, "move", 3, 4);
	if (!strcmp(cmd, "position")) return cmd_ctl(argc - 1, argv + 1, "position", 4, 4);
	if (!strcmp(cmd, "link")) return cmd_ctl(argc - 1, argv + 1, "link", 2, 40);
	if (!strcmp(cmd, "status")) return cmd_ctl(argc - 1, argv + 1, "status", 1, 1);
	if (!strcmp(cmd, "ctl")) return cmd_node_ctl(argc - 1, argv + 1);
	if (!strcmp(cmd, "decode")) return run_interruptible(), decode_cli(argc - 1, argv + 1);
	if (!strcmp(cmd, "check")) return run_interruptible(), check_cli(argc - 1, argv + 1);
	if (!strcmp(cmd, "chart")) return run_interruptible(), chart_cli(argc - 1, argv + 1);
	return bad_usage("unknown command \"%s\"", cmd);
}
