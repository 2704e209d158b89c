/* orch.c — the orchestrator's lifecycle: build a run, serve it, end it.
 * See DESIGN.md "Lifecycle: nothing outlives the run". */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evlog.h"
#include "medium.h"
#include "orch.h"
#include "util.h"

static void say(struct orch *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct orch *o, const char *fmt, ...)
{
	va_list ap;
	if (o->opts.quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* pid 1 of the run's pid namespace: reaps orphans, dies with the
 * orchestrator, and its death takes every process of the run with it. */
static void init_sigchld(int sig) { (void)sig; }
static void init_main(int alive)
{
	sigset_t none;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = init_sigchld;
	sigaction(SIGCHLD, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "roam-init");
	{
		/* hold none of the caller's terminal or pipes */
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
	}
	{
		/* the orchestrator holds the pipe's other end until it dies: if it
		 * died before PR_SET_PDEATHSIG took hold, the pipe says so */
		struct pollfd pfd = { alive, POLLIN, 0 };
		if (poll(&pfd, 1, 0) != 0)
			_exit(1);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		pause();
	}
}

static void self_bindir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	if (n <= 0) {
		snprintf(buf, len, "bin");
		return;
	}
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (slash)
		*slash = 0;
	snprintf(buf, len, "%s", exe);
}

static uint64_t random_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec * 2654435761u ^ (uint64_t)getpid() << 16) % 1000000007u;
}

static int listen_ctl(struct orch *o, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	run_path(o->name, "ctl", sa.sun_path, sizeof(sa.sun_path));
	o->ctl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (o->ctl < 0)
		return ERR("socket(AF_UNIX): %s", strerror(errno));
	unlink(sa.sun_path);
	if (bind(o->ctl, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(o->ctl, 16) < 0)
		return ERR("bind/listen(%s): %s", sa.sun_path, strerror(errno));
	return 0;
}

static int iface_of(const struct topo *t, int node, const char *name, size_t len)
{
	const struct topo_node *n = &t->nodes[node];
	for (int k = 0; k < n->n_ifaces; k++)
		if (strlen(t->ifaces[n->ifaces[k]].name) == len &&
		    !strncmp(t->ifaces[n->ifaces[k]].name, name, len))
			return n->ifaces[k];
	return -1;
}

/* The value of one placeholder as seen from node: bin node run out, and
 * [NODE.][IFACE.](addr4|addr6|ifname|mac). False if it is not one. */
static bool subst_key(struct orch *o, int node, const char *key, char *val, size_t len)
{
	const struct topo *t = o->t;
	char part[3][64] = { "", "", "" };
	int np = 0, ifx;
	const char *p = key, *attr;

	if (!strcmp(key, "bin")) return snprintf(val, len, "%s", o->bindir), true;
	if (!strcmp(key, "node")) return snprintf(val, len, "%s", t->nodes[node].name), true;
	if (!strcmp(key, "run")) return snprintf(val, len, "%s", o->name), true;
	if (!strcmp(key, "out")) return snprintf(val, len, "%s", o->out), true;
	while (np < 3) {
		size_t l = strcspn(p, ".");
		if (l >= sizeof(part[0]))
			return false;
		memcpy(part[np], p, l);
		part[np++][l] = 0;
		if (!p[l])
			break;
		p += l + 1;
	}
	attr = part[np - 1];
	if (np == 3 || (np == 2 && iface_of(t, node, part[0], strlen(part[0])) < 0)) {
		node = topo_node_find(t, part[0]);
		if (node < 0)
			return false;
	}
	if (np == 1 || (np == 2 && topo_node_find(t, part[0]) == node && iface_of(t, node, part[0], strlen(part[0])) < 0))
		ifx = t->nodes[node].n_ifaces ? t->nodes[node].ifaces[0] : -1;
	else
		ifx = iface_of(t, node, part[np - 2], strlen(part[np - 2]));
	if (ifx < 0)
		return false;
	val[0] = 0;
	if (!strcmp(attr, "ifname"))
		snprintf(val, len, "%s", t->ifaces[ifx].name);
	else if (!strcmp(attr, "addr4") && t->ifaces[ifx].v4.family)
		topo_prefix_str(&t->ifaces[ifx].v4, false, val, len);
	else if (!strcmp(attr, "addr6") && t->ifaces[ifx].v6.family)
		topo_prefix_str(&t->ifaces[ifx].v6, false, val, len);
	else if (!strcmp(attr, "mac")) {
		const uint8_t *m = t->ifaces[ifx].mac;
		snprintf(val, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	} else
		return false;
	return true;
}

/* Substitutes the placeholders of a command line or configuration value of
 * the topology (see subst_key); braces that are not one stay as they are. */
static char *subst(struct orch *o, int node, const char *in)
{
	size_t cap = strlen(in) * 2 + 256, len = 0;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	for (const char *p = in; *p;) {
		char key[200], val[1100];
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		size_t klen = close ? (size_t)(close - p - 1) : 0, vl;
		if (close && klen < sizeof(key)) {
			memcpy(key, p + 1, klen);
			key[klen] = 0;
			if (!subst_key(o, node, key, val, sizeof(val)))
				close = NULL;
		} else
			close = NULL;
		vl = close ? strlen(val) : 1;
		if (len + vl + 1 >= cap) {
			char *nb = realloc(out, cap = (len + vl) * 2 + 64);
			if (!nb) {
				free(out);
				return NULL;
			}
			out = nb;
		}
		if (close) {
			memcpy(out + len, val, vl);
			len += vl;
			p = close + 1;
		} else
			out[len++] = *p++;
	}
	out[len] = 0;
	return out;
}

/* <out>/<node>.conf for a node run by one of roam's daemons: the node, its
 * interfaces and its conf table, placeholders substituted. */
static int write_node_conf(struct orch *o, int node, const char *path, char *err, size_t errlen)
{
	const struct topo *t = o->t;
	const struct topo_node *n = &t->nodes[node];
	FILE *f = fopen(path, "w");
	if (!f)
		return ERR("fopen(%s): %s", path, strerror(errno));
	fprintf(f, "node %s\nrole %s\nrun %s\nout %s\n", n->name, n->role, o->name, o->out);
	for (int k = 0; k < n->n_ifaces; k++) {
		const struct topo_iface *ifc = &t->ifaces[n->ifaces[k]];
		char a4[64] = "", a6[80] = "";
		const uint8_t *m = ifc->mac;
		if (ifc->v4.family) topo_prefix_str(&ifc->v4, true, a4, sizeof(a4));
		if (ifc->v6.family) topo_prefix_str(&ifc->v6, true, a6, sizeof(a6));
		fprintf(f, "iface %s mac %02x:%02x:%02x:%02x:%02x:%02x", ifc->name, m[0], m[1], m[2], m[3], m[4], m[5]);
		if (a4[0]) fprintf(f, " addr4 %s", a4);
		if (a6[0]) fprintf(f, " addr6 %s", a6);
		if (ifc->link >= 0)
			fprintf(f, " link %s kind %s", t->links[ifc->link].name,
				topo_link_kind_names[t->links[ifc->link].kind]);
		fputc('\n', f);
	}
	for (int k = 0; k < n->n_conf; k++) {
		char *v = subst(o, node, n->conf[k].val);
		fprintf(f, "%s %s\n", n->conf[k].key, v ? v : n->conf[k].val);
		free(v);
	}
	if (fclose(f) != 0)
		return ERR("writing %s: %s", path, strerror(errno));
	return 0;
}

/* A role "family.part" (mip4.ha, mip6.mn, ...) is served by roam's daemon
 * bin/roam-<family>, which reads the node's conf file. */
static int start_role_daemon(struct orch *o, int node, char *err, size_t errlen)
{
	const struct topo_node *n = &o->t->nodes[node];
	const char *dot = strchr(n->role, '.');
	char fam[TOPO_NAME_MAX], exe[1200], conf[1200], ctl[1200];
	char *argv[6];
	if (!dot || dot == n->role || !strcmp(n->role, "attacker"))
		return 0;
	snprintf(fam, sizeof(fam), "%.*s", (int)(dot - n->role), n->role);
	if (!strcmp(fam, "traffic"))	/* flows are started by scenarios */
		return 0;
	snprintf(exe, sizeof(exe), "%s/roam-%s", o->bindir, fam);
	if (access(exe, X_OK) != 0)
		return ERR("node %s has role %s, served by %s, which is not built (%s)", n->name,
			   n->role, exe, strerror(errno));
	snprintf(conf, sizeof(conf), "%s/%s.conf", o->out, n->name);
	snprintf(ctl, sizeof(ctl), "%s/%s.ctl", o->out, n->name);
	if (write_node_conf(o, node, conf, err, errlen) < 0)
		return -1;
	argv[0] = exe; argv[1] = "--conf"; argv[2] = conf; argv[3] = "--ctl"; argv[4] = ctl; argv[5] = NULL;
	if (orch_spawn(o, node, argv, NULL, err, errlen) < 0)
		return -1;
	o->procs[o->n_procs - 1].serve = true;
	return 0;
}

static int start_daemons(struct orch *o, char *err, size_t errlen)
{
	for (int i = 0; i < o->t->n_nodes; i++)
		if (start_role_daemon(o, i, err, errlen) < 0)
			return -1;
	for (int i = 0; i < o->t->n_nodes; i++)
		for (int k = 0; k < o->t->nodes[i].n_run; k++) {
			char *cmd = subst(o, i, o->t->nodes[i].run[k]);
			int r;
			if (!cmd)
				return ERR("out of memory");
			r = orch_spawn(o, i, NULL, cmd, err, errlen);
			free(cmd);
			if (r < 0)
				return -1;
			o->procs[o->n_procs - 1].serve = true;
		}
	return 0;
}

/* What the output folder's lock file says of its holder, for the message of
 * a run that finds the folder taken. */
static void orch_note_holder(struct orch *o)
{
	char holder[160];
	snprintf(holder, sizeof(holder), "run %s (pid %d)\n", o->name, (int)getpid());
	if (run_lock_note(o->outlockfd, holder) < 0)
		fprintf(stderr, "roam: writing %s/.roam.lock: %s\n", o->out, strerror(errno));
}

/* The output folder: created, then claimed for the run's life with a lock
 * file, so that two runs given one --out cannot both write there. */
static int orch_claim_out(struct orch *o, char *err, size_t errlen)
{
	char abs[PATH_MAX], path[PATH_MAX + 16], seen[160] = "";
	struct stat sb;
	if (stat(o->out, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return ERR("--out %s: expected a folder vs a file that is not one", o->out);
	if (util_mkdirs(o->out, 0755) < 0)
		return ERR("mkdir(%s): %s", o->out, strerror(errno));
	if (realpath(o->out, abs))
		snprintf(o->out, sizeof(o->out), "%s", abs);
	snprintf(path, sizeof(path), "%s/.roam.lock", o->out);
	o->outlockfd = run_lock_claim(path, NULL, seen, sizeof(seen));
	if (o->outlockfd < 0 && errno == EAGAIN)
		return ERR("output folder %s is in use by %s; give another --out",
			   o->out, seen[0] ? seen : "another run");
	if (o->outlockfd < 0)
		return ERR("lock %s: %s", path, strerror(errno));
	orch_note_holder(o);
	/* a run's output is never overwritten by another run */
	snprintf(path, sizeof(path), "%s/events.jsonl", o->out);
	if (stat(path, &sb) == 0)
		return ERR("%s holds the output of an earlier run; remove it or give another --out",
			   o->out);
	return 0;
}

/* Lets go of the run's record and output folder (both locks). */
static void orch_release(struct orch *o)
{
	if (o->outlockfd >= 0) {
		char path[PATH_MAX + 16];
		snprintf(path, sizeof(path), "%s/.roam.lock", o->out);
		unlink(path);
		close(o->outlockfd);
		o->outlockfd = -1;
	}
	if (o->lockfd >= 0) {
		run_remove(o->name);
		close(o->lockfd);
		o->lockfd = -1;
	}
}

static int netem_check(char *err, size_t errlen)
{
	/* A loaded or built-in sch_netem shows in /sys/module or /proc/net/psched
	 * gives no hint; try the module folder, then modprobe's view. */
	struct stat sb;
	if (stat("/sys/module/sch_netem", &sb) == 0)
		return 0;
	return ERR("the netem link backend needs the kernel's sch_netem qdisc, which this kernel lacks "
		   "(no /sys/module/sch_netem); use --links medium");
}

int orch_up(struct orch *o, const struct orch_opts *opts)
{
	char err[1024] = "";
	size_t errlen = sizeof(err);
	sigset_t sigs;
	struct rlimit rl;
	int code = 1;
	int detach_pipe[2] = { -1, -1 };

	memset(o, 0, sizeof(*o));
	o->opts = *opts;
	o->sfd = o->ctl = o->detach_fd = o->lockfd = o->outlockfd = o->pidns_home = -1;
	o->b.fabric_fd = -1;

	o->t = topo_load(opts->topology, opts->sets, opts->n_sets, err, errlen);
	if (!o->t) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	if (opts->links && strcmp(opts->links, "medium") && strcmp(opts->links, "netem")) {
		fprintf(stderr, "roam: --links %s: expected medium or netem\n", opts->links);
		return 2;
	}
	if (opts->links && !strcmp(opts->links, "netem") && netem_check(err, errlen) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 3;
	}
	if (opts->links && !strcmp(opts->links, "netem")) {
		fprintf(stderr, "roam: the netem backend is not built into this roam; use --links medium\n");
		return 3;
	}
	if (realpath(opts->topology, o->topofile) == NULL)
		snprintf(o->topofile, sizeof(o->topofile), "%s", opts->topology);
	if (opts->name)
		snprintf(o->name, sizeof(o->name), "%s", opts->name);
	else
		snprintf(o->name, sizeof(o->name), "%s-%04x", o->t->name,
			 (unsigned)(random_seed() & 0xffff));
	o->seed = opts->seed_set ? opts->seed : random_seed();
	self_bindir(o->bindir, sizeof(o->bindir));

	if ((o->lockfd = run_create(o->name, err, errlen)) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		return 2;
	}
	if (opts->out)
		snprintf(o->out, sizeof(o->out), "%s", opts->out);
	else
		snprintf(o->out, sizeof(o->out), "captures/%s", o->name);
	if (orch_claim_out(o, err, errlen) < 0) {
		fprintf(stderr, "roam: %s\n", err);
		orch_release(o);
		return 2;
	}

	if (opts->detach) {
		pid_t pid;
		if (pipe2(detach_pipe, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
			fprintf(stderr, "roam: fork: %s\n", strerror(errno));
			orch_release(o);
			return 1;
		}
		if (pid > 0) {
			/* the caller's side: wait for "up" or the exit code */
			char c = 1;
			close(detach_pipe[1]);
			if (read(detach_pipe[0], &c, 1) != 1)
				c = 1;
			exit((unsigned char)c);
		}
		close(detach_pipe[0]);
		o->detach_fd = detach_pipe[1];
		setsid();
		orch_note_holder(o);	/* the pid that holds the locks now */
	}

	/* every descriptor the run needs: 2 per node and 1 per interface, plus sockets */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	o->sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (o->sfd < 0) {
		snprintf(err, errlen, "signalfd: %s", strerror(errno));
		goto fail;
	}

	/* The fabric namespace is the orchestrator's own. */
	if (unshare(CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "unshare(CLONE_NEWNET): %s (roam needs CAP_SYS_ADMIN "
			 "and CAP_NET_ADMIN: run it as root, or through sudo)", strerror(errno));
		code = 3;
		goto fail;
	}
	run_clock_start();
	{
		char path[1100];
		FILE *f;
		snprintf(path, sizeof(path), "%s/events.jsonl", o->out);
		evlog_open(path);
		snprintf(path, sizeof(path), "%s/topology.lua", o->out);
		if ((f = fopen(path, "w"))) {
			topo_print(o->t, f);
			fclose(f);
		}
	}
	evlog("run_start", "\"run\":\"%s\",\"topology\":\"%s\",\"seed\":%llu,\"nodes\":%d,\"links\":%d",
	      o->name, o->t->name, (unsigned long long)o->seed, o->t->n_nodes, o->t->n_links);

	bool timing = getenv("ROAM_TIMING") != NULL;
	double t0 = run_now();
	{
#define STEP(call, what) do { \
		if ((call) < 0) \
			goto fail; \
		if (timing) \
			fprintf(stderr, "roam: %-10s %.3f s\n", what, run_now() - t0); \
		t0 = run_now(); \
	} while (0)
		STEP(build_fabric(&o->b, o->t, err, errlen), "fabric");
		STEP(build_namespaces(&o->b, err, errlen), "namespaces");
		STEP(build_links(&o->b, err, errlen), "links");
		STEP(build_configure(&o->b, err, errlen), "configure");
	}
	o->cur_imp = calloc((size_t)o->t->n_links * 2 + 1, sizeof(*o->cur_imp));
	if (!o->cur_imp) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (int l = 0; l < o->t->n_links; l++) {
		o->cur_imp[2 * l] = o->t->links[l].imp[0];
		o->cur_imp[2 * l + 1] = o->t->links[l].imp[1];
	}
	o->m = medium_new(o->t, o->b.fabric_ifindex, o->seed, o->out, err, errlen);
	if (!o->m) {
		code = 3;	/* sockets, netlink, capture files: the environment */
		goto fail;
	}
	{
		int r = medium_start(o->m);
		if (r < 0) {
			snprintf(err, errlen, "the medium's thread did not start: %s", strerror(-r));
			goto fail;
		}
	}
	STEP(0, "medium");
	/* The pid namespace holds every process the run starts from here on
	 * (and those `roam exec` starts): when its pid 1 dies with the
	 * orchestrator, the kernel ends them all; the node namespaces, held by
	 * descriptors, go when no process is left in them.
	 * before, die by PR_SET_PDEATHSIG. No thread can be created after
	 * this (the medium's already runs). */
	o->pidns_home = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (unshare(CLONE_NEWPID) < 0) {
		snprintf(err, errlen, "unshare(CLONE_NEWPID): %s", strerror(errno));
		code = 3;
		goto fail;
	}
	{
		int alive[2];
		pid_t pid;
		if (pipe2(alive, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
			snprintf(err, errlen, "pipe2/fork: %s", strerror(errno));
			goto fail;
		}
		if (pid == 0) {
			close(alive[1]);
			close(o->lockfd);	/* the run is live while the orchestrator is */
			close(o->outlockfd);
			init_main(alive[0]);
		}
		close(alive[0]);	/* alive[1] stays open for the orchestrator's life */
		o->init = pid;
	}
	if (listen_ctl(o, err, errlen) < 0 || start_daemons(o, err, errlen) < 0)
		goto fail;
	STEP(0, "daemons");
#undef STEP

	snprintf(o->st.name, sizeof(o->st.name), "%s", o->name);
	o->st.pid = getpid();
	o->st.start = util_proc_start(getpid());
	o->st.init = o->init;
	o->st.created = (double)time(NULL);
	snprintf(o->st.topology, sizeof(o->st.topology), "%s", o->topofile);
	snprintf(o->st.out, sizeof(o->st.out), "%s", o->out);
	o->st.nodes = calloc((size_t)o->t->n_nodes + 1, sizeof(*o->st.nodes));
	if (!o->st.nodes) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (int i = 0; i < o->t->n_nodes; i++) {
		snprintf(o->st.nodes[i].name, sizeof(o->st.nodes[i].name), "%s", o->t->nodes[i].name);
		o->st.nodes[i].nsfd = o->b.nodes[i].nsfd;
	}
	o->st.n_nodes = o->t->n_nodes;
	if (run_state_write(&o->st, err, errlen) < 0)
		goto fail;
	evlog("run_up", "\"t_up\":%.6f", run_now());
	say(o, "run %s up: %d nodes, %d links, seed %llu (%.3f s)\ncaptures and logs in %s\n",
	    o->name, o->t->n_nodes, o->t->n_links, (unsigned long long)o->seed, run_now(), o->out);
	if (o->detach_fd >= 0) {
		char c = 0;
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		char path[1100];
		int logfd;
		snprintf(path, sizeof(path), "%s/roam.log", o->out);
		logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		fflush(stdout);
		if (null >= 0) { dup2(null, 0); close(null); }
		if (logfd >= 0) { dup2(logfd, 1); dup2(logfd, 2); close(logfd); }
		o->opts.quiet = false;
		if (write(o->detach_fd, &c, 1) != 1) { /* the caller is gone: go on */ }
		close(o->detach_fd);
		o->detach_fd = -1;
	}
	return 0;
fail:
	fprintf(stderr, "roam: %s\n", err);
	orch_down(o);
	if (o->detach_fd >= 0) {
		char c = (char)code;
		if (write(o->detach_fd, &c, 1) != 1) { /* nothing more to tell */ }
	}
	return code;
}

static const char *proc_node_name(struct orch *o, int node)
{
	return node >= 0 && node < o->t->n_nodes ? o->t->nodes[node].name : "?";
}

/* Why a node's program ending now is a failure of the run, or NULL. */
static const char *proc_failure(const struct orch_proc *p, int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == 127)
		snprintf(buf, len, "exited with status 127 (command not found)");
	else if (WEXITSTATUS(status) != 0)
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (p->serve)
		snprintf(buf, len, "exited (status 0) while the run expects it to serve");
	else
		return NULL;
	return buf;
}

/* A node's program ended while the run goes on: said at once, recorded
 * for roam status, roam ls and roam down, and the run's exit will be 1. */
static void proc_failed(struct orch *o, struct orch_proc *p, const char *why)
{
	const char *node = proc_node_name(o, p->node);
	size_t l = strlen(o->st.dead);
	p->crashed = o->crashed = true;
	snprintf(p->why, sizeof(p->why), "%s", why);
	fprintf(stderr, "roam: node %s: `%s` %s; its log: %s/%s.log\n", node, p->cmd, why, o->out, node);
	fflush(stderr);
	snprintf(o->st.dead + l, sizeof(o->st.dead) - l, "%s%s: %s", l ? "; " : "", node, why);
	if (o->st.pid > 0) {
		char err[512];
		if (run_state_write(&o->st, err, sizeof(err)) < 0)
			fprintf(stderr, "roam: %s\n", err);
	}
}

static void reap(struct orch *o)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == o->init) {
			o->init = 0;
			if (!o->tearing_down) {
				o->stop = true;
				snprintf(o->stop_why, sizeof(o->stop_why), "the run's pid namespace init died");
			}
			continue;
		}
		for (int i = 0; i < o->n_procs; i++) {
			struct orch_proc *p = &o->procs[i];
			char esc[512], why[160];
			if (p->pid != pid || p->exited)
				continue;
			p->exited = true;
			p->status = status;
			if (!o->tearing_down && proc_failure(p, status, why, sizeof(why)))
				proc_failed(o, p, why);
			evlog("proc_exit", "\"node\":\"%s\",\"cmd\":\"%s\",\"status\":%d,\"signal\":%d",
			      proc_node_name(o, p->node), json_esc(p->cmd, esc, sizeof(esc)),
			      WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			      WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		}
	}
}

void orch_signals(struct orch *o)
{
	struct signalfd_siginfo si;
	while (read(o->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		o->stop = true;
		o->signal = (int)si.ssi_signo;
		snprintf(o->stop_why, sizeof(o->stop_why), "%s", strsignal((int)si.ssi_signo));
	}
}

static void serve_ctl(struct orch *o)
{
	for (;;) {
		char line[4096];
		size_t n = 0;
		int c = accept4(o->ctl, NULL, NULL, SOCK_CLOEXEC);
		struct timeval tv = { 2, 0 };
		if (c < 0)
			return;
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while (n < sizeof(line) - 1) {
			ssize_t r = read(c, line + n, sizeof(line) - 1 - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			if (memchr(line, '\n', n))
				break;
		}
		line[n] = 0;
		line[strcspn(line, "\n")] = 0;
		orch_ctl_request(o, line, c);
		close(c);
	}
}

/* A capture could not be written (disk full, I/O error): the run ends,
 * exit 3, naming the file and the error. */
static void orch_medium_failed(struct orch *o)
{
	char msg[sizeof(o->stop_why)];
	if (!o->m || o->env_failed || !medium_failed(o->m, msg, sizeof(msg)))
		return;
	o->env_failed = o->stop = true;
	snprintf(o->stop_why, sizeof(o->stop_why), "%s", msg);
	fprintf(stderr, "roam: %s; ending the run\n", msg);
}

int orch_serve(struct orch *o, double until)
{
	return orch_serve_fd(o, until, -1);
}

int orch_serve_fd(struct orch *o, double until, int fd)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	int ret = 0;

	if (ep < 0)
		return -1;
	ev.data.fd = o->sfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, o->sfd, &ev);
	if (o->ctl >= 0) {
		ev.data.fd = o->ctl;
		epoll_ctl(ep, EPOLL_CTL_ADD, o->ctl, &ev);
	}
	if (fd >= 0) {
		ev.data.fd = fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
	int mfd = o->m ? medium_fail_fd(o->m) : -1;
	if (mfd >= 0) {
		ev.data.fd = mfd;
		epoll_ctl(ep, EPOLL_CTL_ADD, mfd, &ev);
	}
	while (!o->stop && ret == 0) {
		struct epoll_event evs[4];
		int timeout = -1, n;
		double next = until;
		reap(o);	/* also what ended while orch_exec waited */
		orch_readdress_due(o, run_now());
		for (int k = 0; k < o->n_pending; k++)
			if (next < 0 || o->pending[k].at < next)
				next = o->pending[k].at;
		if (until >= 0 && run_now() >= until)
			break;
		if (next >= 0) {
			double left = next - run_now();
			timeout = left > 0 ? (int)(left * 1000.0 + 0.999) : 0;
		}
		n = epoll_wait(ep, evs, 4, timeout);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == o->sfd) {
				orch_signals(o);
				reap(o);
			} else if (evs[i].data.fd == o->ctl)
				serve_ctl(o);
			else if (evs[i].data.fd == fd)
				ret = 1;
			else if (evs[i].data.fd == mfd)
				orch_medium_failed(o);
		}
	}
	if (o->stop)
		ret = -1;
	close(ep);
	return ret;
}

static bool procs_running(struct orch *o)
{
	for (int i = 0; i < o->n_procs; i++)
		if (!o->procs[i].exited)
			return true;
	return false;
}

void orch_down(struct orch *o)
{
	o->tearing_down = true;
	/* daemons first, politely: receivers write their figures on SIGTERM */
	if (o->n_procs) {
		double deadline;
		for (int i = 0; i < o->n_procs; i++)
			if (!o->procs[i].exited)
				kill(o->procs[i].pid, SIGTERM);
		deadline = run_now() + 2.0;
		while (procs_running(o) && run_now() < deadline) {
			struct timespec ts = { 0, 2000000 };
			nanosleep(&ts, NULL);
			reap(o);
		}
	}
	if (o->m) {
		double t0 = run_now();
		medium_stop(o->m);
		orch_medium_failed(o);	/* the last flush, too */
		medium_free(o->m);
		o->m = NULL;
		if (getenv("ROAM_TIMING"))
			fprintf(stderr, "roam: medium stop %.3f s\n", run_now() - t0);
	}
	/* pid 1 of the run's pid namespace takes every other process with it */
	if (o->init > 0)
		kill(o->init, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	/* the run's pid namespace died with its init: a fork now (LeakSanitizer
	 * at exit, a helper) would fail with ENOMEM unless it goes home */
	if (o->pidns_home >= 0) {
		if (setns(o->pidns_home, CLONE_NEWPID) < 0)
			fprintf(stderr, "roam: setns(pid namespace): %s\n", strerror(errno));
		close(o->pidns_home);
		o->pidns_home = -1;
	}
	if (o->ctl >= 0) {
		close(o->ctl);
		o->ctl = -1;
	}
	if (o->t) {
		evlog("run_end", "\"why\":\"%s\"", o->stop_why[0] ? o->stop_why : "done");
		evlog_close();
	}
	if (o->b.fabric_fd >= 0 || o->b.nodes)
		build_free(&o->b);
	orch_release(o);
	for (int i = 0; i < o->n_procs; i++)
		free(o->procs[i].cmd);
	free(o->procs);
	o->procs = NULL;
	o->n_procs = 0;
	free(o->cur_imp);
	o->cur_imp = NULL;
	for (int k = 0; k < o->n_pending; k++)
		free(o->pending[k].old_routes);
	free(o->pending);
	o->pending = NULL;
	o->n_pending = 0;
	for (int k = 0; k < o->n_taps; k++)
		orch_tap_close(o, k);
	free(o->taps);
	o->taps = NULL;
	o->n_taps = 0;
	for (int k = 0; o->send_fd && k < o->t->n_nodes; k++)
		if (o->send_fd[k] >= 0)
			close(o->send_fd[k]);
	free(o->send_fd);
	o->send_fd = NULL;
	run_state_free(&o->st);
	if (o->sfd >= 0) {
		close(o->sfd);
		o->sfd = -1;
	}
	if (o->t) {
		topo_free(o->t);
		o->t = NULL;
	}
}
