/* ops.c — what a live run can be asked to do, by its scenario or through
 * its control socket: move a station, place a node, change a link, run a
 * command in a node. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <lauxlib.h>
#include <lua.h>

#include "evlog.h"
#include "medium_impair.h"
#include "medium.h"
#include "orch.h"
#include "util.h"

static const char *const dir_names[] = { "forward", "back", "down", "up", "both" };
static const int dir_values[] = { 0, 1, 0, 1, -1 };

int orch_dir_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(dir_names) / sizeof(dir_names[0]); i++)
		if (!strcmp(s, dir_names[i]))
			return dir_values[i];
	return -2;
}

static int radio_iface(const struct topo *t, int node)
{
	for (int k = 0; k < t->nodes[node].n_ifaces; k++)
		if (t->ifaces[t->nodes[node].ifaces[k]].radio)
			return t->nodes[node].ifaces[k];
	return -1;
}

int orch_move(struct orch *o, const char *station, const char *cell, double gap,
	      char *err, size_t errlen)
{
	struct topo *t = o->t;
	int n = topo_node_find(t, station), l = topo_link_find(t, cell), i, r = 0;
	struct topo_iface old_if;
	struct topo_route *old_routes = NULL;
	int n_old;

	if (n < 0)
		return ERR("move: no node \"%s\" in topology %s", station, t->name);
	if (gap > ORCH_GAP_MAX)
		return ERR("move: gap: expected a time between 0 and %gs vs %gs", ORCH_GAP_MAX, gap);
	if (l < 0 || t->links[l].kind != TOPO_CELL)
		return ERR("move: no cell \"%s\" in topology %s", cell, t->name);
	if ((i = radio_iface(t, n)) < 0)
		return ERR("move: node %s is not a station (it has no radio interface)", station);
	if (t->ifaces[i].link == l)
		return ERR("move: station %s is already in cell %s", station, cell);
	old_if = t->ifaces[i];
	/* A station placed by the topology that would hear the new cell badly
	 * from where it stands walks over first: it keeps its offset from its
	 * access point. A scenario that placed it near the new cell keeps it. */
	if (t->nodes[n].has_pos && old_if.link >= 0) {
		const struct topo_radio *from = &t->links[old_if.link].radio, *to = &t->links[l].radio;
		struct radio_q q;
		double x = t->nodes[n].x, y = t->nodes[n].y;
		radio_eval(to, hypot(x - to->x, y - to->y), &q);
		if (q.snr < to->snr_good &&
		    orch_position(o, station, to->x + (x - from->x), to->y + (y - from->y), err, errlen) < 0)
			return -1;
	}
	n_old = t->nodes[n].n_routes;
	if (n_old) {
		old_routes = malloc((size_t)n_old * sizeof(*old_routes));
		if (!old_routes)
			return ERR("out of memory");
		memcpy(old_routes, t->nodes[n].routes, (size_t)n_old * sizeof(*old_routes));
	}
	if (topo_station_move(t, i, l, err, errlen) < 0) {
		free(old_routes);
		return -1;
	}
	if (medium_move(o->m, i, l, gap) < 0) {
		free(old_routes);
		return ERR("move: the medium refused to move %s to %s", station, cell);
	}
	evlog("move", "\"station\":\"%s\",\"from\":\"%s\",\"to\":\"%s\"", station,
	      old_if.link >= 0 ? t->links[old_if.link].name : "", cell);
	if (!t->nodes[n].addressing) {
		free(old_routes);
		return 0;
	}
	/* Like a DHCP client after association: the new cell's address once the
	 * station is up there (an ARP sent while carrier is down is lost, and
	 * the kernel would wait a second to try again). */
	{
		struct orch_readdress *np = realloc(o->pending, (size_t)(o->n_pending + 1) * sizeof(*np));
		double g = gap >= 0 ? gap : t->links[l].radio.handoff_gap;
		if (!np) {
			free(old_routes);
			return ERR("out of memory");
		}
		o->pending = np;
		np[o->n_pending++] = (struct orch_readdress){ run_now() + g + 0.002, n, old_if, old_routes, n_old };
	}
	(void)r;
	return 0;
}

void orch_readdress_due(struct orch *o, double now)
{
	for (int k = 0; k < o->n_pending;) {
		struct orch_readdress *p = &o->pending[k];
		char err[512];
		if (p->at > now) {
			k++;
			continue;
		}
		if (build_node_readdress(&o->b, p->node, &p->old_if, p->old_routes, p->n_old,
					 err, sizeof(err)) < 0)
			fprintf(stderr, "roam: readdressing %s after its move: %s\n",
				o->t->nodes[p->node].name, err);
		else
			evlog("readdress", "\"station\":\"%s\"", o->t->nodes[p->node].name);
		free(p->old_routes);
		o->pending[k] = o->pending[--o->n_pending];
	}
}

int orch_position(struct orch *o, const char *node, double x, double y,
		  char *err, size_t errlen)
{
	int n = topo_node_find(o->t, node);
	if (n < 0)
		return ERR("position: no node \"%s\" in topology %s", node, o->t->name);
	if (!isfinite(x) || !isfinite(y))
		return ERR("position %s: expected finite coordinates (metres) vs %g %g", node, x, y);
	o->t->nodes[n].x = x;
	o->t->nodes[n].y = y;
	o->t->nodes[n].has_pos = true;
	if (medium_position(o->m, n, x, y) < 0)
		return ERR("position: the medium refused the position of %s", node);
	evlog("position", "\"node\":\"%s\",\"x\":%g,\"y\":%g", node, x, y);
	return 0;
}

int orch_link_set(struct orch *o, const char *link, int dir,
		  const struct topo_impair *imp, char *err, size_t errlen)
{
	int l = topo_link_find(o->t, link);
	if (l < 0)
		return ERR("link: no link \"%s\" in topology %s", link, o->t->name);
	if (dir < -1 || dir > 1)
		return ERR("link %s: direction: expected forward, back, down, up or both", link);
	if (medium_link_set(o->m, l, dir, imp) < 0)
		return ERR("link %s: the medium refused the impairment", link);
	for (int d = 0; d < 2; d++)
		if (dir < 0 || dir == d)
			o->cur_imp[2 * l + d] = *imp;
	evlog("link_set", "\"link\":\"%s\",\"dir\":%d,\"delay\":%g,\"jitter\":%g,\"loss\":%g,\"rate\":%g,"
	      "\"dup\":%g,\"reorder\":%g", link, dir, imp->delay, imp->jitter, imp->loss, imp->rate,
	      imp->dup, imp->reorder);
	return 0;
}

int orch_link_get(struct orch *o, const char *link, int dir,
		  struct topo_impair *imp, char *err, size_t errlen)
{
	int l = topo_link_find(o->t, link);
	if (l < 0)
		return ERR("link: no link \"%s\" in topology %s", link, o->t->name);
	*imp = o->cur_imp[2 * l + (dir == 1)];
	return 0;
}

/* The child side of spawn and exec: into the node, then exec. */
static void child_enter(struct orch *o, int node, int in, int out, int errfd)
{
	sigset_t none;
	char path[2200];
	const char *oldpath = getenv("PATH");
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setns(o->b.nodes[node].nsfd, CLONE_NEWNET) < 0) {
		dprintf(errfd, "roam: setns into node %s: %s\n", o->t->nodes[node].name, strerror(errno));
		_exit(127);
	}
	if (util_node_mounts() < 0)
		dprintf(errfd, "roam: node %s: a private /sys: %s\n", o->t->nodes[node].name, strerror(errno));
	if (in != 0) { dup2(in, 0); }
	if (out != 1) { dup2(out, 1); }
	if (errfd != 2) { dup2(errfd, 2); }
	snprintf(path, sizeof(path), "%s:%s", o->bindir, oldpath ? oldpath : "/usr/sbin:/usr/bin:/sbin:/bin");
	setenv("PATH", path, 1);
	setenv("ROAM_RUN", o->name, 1);
	setenv("ROAM_NODE", o->t->nodes[node].name, 1);
	setenv("ROAM_OUT", o->out, 1);
}

int orch_spawn(struct orch *o, int node, char *const argv[], const char *shell,
	       char *err, size_t errlen)
{
	char path[1200];
	int logfd, null;
	pid_t pid;
	struct orch_proc *np;
	char cmd[512] = "";

	snprintf(path, sizeof(path), "%s/%s.log", o->out, o->t->nodes[node].name);
	logfd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (logfd < 0 || null < 0) {
		if (logfd >= 0) close(logfd);
		if (null >= 0) close(null);
		return ERR("open(%s): %s", path, strerror(errno));
	}
	if (shell)
		snprintf(cmd, sizeof(cmd), "%s", shell);
	else
		for (int k = 0; argv[k]; k++) {
			size_t l = strlen(cmd);
			snprintf(cmd + l, sizeof(cmd) - l, "%s%s", k ? " " : "", argv[k]);
		}
	np = realloc(o->procs, (size_t)(o->n_procs + 1) * sizeof(*np));
	if (!np) {
		close(logfd); close(null);
		return ERR("out of memory");
	}
	o->procs = np;
	pid = fork();
	if (pid < 0) {
		close(logfd); close(null);
		return ERR("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_enter(o, node, null, logfd, logfd);
		if (shell)
			execl("/bin/sh", "sh", "-c", shell, (char *)NULL);
		else
			execvp(argv[0], argv);
		dprintf(2, "roam: exec %s: %s\n", shell ? "/bin/sh" : argv[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	close(null);
	memset(&o->procs[o->n_procs], 0, sizeof(*np));
	o->procs[o->n_procs].pid = pid;
	o->procs[o->n_procs].node = node;
	o->procs[o->n_procs].cmd = strdup(cmd);
	o->n_procs++;
	{
		char esc[1100];
		evlog("spawn", "\"node\":\"%s\",\"pid\":%d,\"cmd\":\"%s\"", o->t->nodes[node].name, (int)pid,
		      json_esc(cmd, esc, sizeof(esc)));
	}
	return (int)pid;
}

int orch_exec(struct orch *o, int node, char *const argv[], double timeout,
	      int *status, char **outp, char *err, size_t errlen)
{
	int p[2], null, st = 0;
	pid_t pid;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	double deadline = run_now() + (timeout > 0 ? timeout : 3600);
	bool killed = false;

	if (pipe2(p, O_CLOEXEC) < 0)
		return ERR("pipe2: %s", strerror(errno));
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		close(p[0]); close(p[1]); close(null);
		return ERR("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		child_enter(o, node, null, p[1], p[1]);
		execvp(argv[0], argv);
		dprintf(2, "roam: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	close(null);
	for (;;) {
		struct pollfd pfd[2] = { { p[0], POLLIN, 0 }, { o->sfd, POLLIN, 0 } };
		double left = deadline - run_now();
		int r;
		if ((left <= 0 || o->stop) && !killed) {
			kill(pid, SIGKILL);
			killed = true;
		}
		r = poll(pfd, o->stop ? 1 : 2, left > 0 ? (int)(left * 1000) + 1 : 100);
		if (r > 0 && (pfd[1].revents & POLLIN)) {
			orch_signals(o);	/* SIGINT/SIGTERM: the command is killed */
			continue;
		}
		if (r > 0) {
			ssize_t n;
			if (cap - len < 4096) {
				char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
				if (!nb)
					break;
				buf = nb;
			}
			n = read(p[0], buf + len, cap - len - 1);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (buf)
		buf[len] = 0;
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (outp)
		*outp = buf ? buf : strdup("");
	else
		free(buf);
	{
		char esc[600], cmd[512] = "";
		for (int k = 0; argv[k]; k++) {
			size_t l = strlen(cmd);
			snprintf(cmd + l, sizeof(cmd) - l, "%s%s", k ? " " : "", argv[k]);
		}
		evlog("exec", "\"node\":\"%s\",\"cmd\":\"%s\",\"status\":%d%s", o->t->nodes[node].name,
		      json_esc(cmd, esc, sizeof(esc)), *status, killed ? ",\"timeout\":true" : "");
	}
	return 0;
}

/* ---- the control socket ---- */

static void reply(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reply(int fd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdprintf(fd, fmt, ap);
	va_end(ap);
}

/* key=value words into an impairment, through the topology's own parser. */
static int impair_from_words(char **w, int n, struct topo_impair *imp, char *err, size_t errlen)
{
	lua_State *L = luaL_newstate();
	int r;
	if (!L)
		return ERR("out of memory");
	lua_newtable(L);
	for (int i = 0; i < n; i++) {
		char *eq = strchr(w[i], '=');
		if (!eq) {
			lua_close(L);
			return ERR("\"%s\": expected key=value (delay=10ms loss=1%% rate=10Mbit ...)", w[i]);
		}
		lua_pushlstring(L, w[i], (size_t)(eq - w[i]));
		lua_pushstring(L, eq + 1);
		lua_settable(L, -3);
	}
	r = topo_impair_from_lua(L, -1, imp, err, errlen) ? 0 : -1;
	lua_close(L);
	return r;
}

/* "dead NODE: `CMD` WHY" for every node program that ended during the run. */
static void orch_ctl_dead(struct orch *o, int fd)
{
	for (int i = 0; i < o->n_procs; i++) {
		const struct orch_proc *p = &o->procs[i];
		if (p->crashed)
			reply(fd, "dead %s: `%s` %s\n", o->t->nodes[p->node].name, p->cmd, p->why);
	}
}

void orch_ctl_request(struct orch *o, char *line, int fd)
{
	char *w[64], *save = NULL, err[1024] = "";
	int n = 0;
	for (char *tok = strtok_r(line, " \t", &save); tok && n < 64; tok = strtok_r(NULL, " \t", &save))
		w[n++] = tok;
	if (n == 0) {
		reply(fd, "error: empty request\n");
		return;
	}
	if (!strcmp(w[0], "down")) {
		o->stop = true;
		o->down_asked = true;
		snprintf(o->stop_why, sizeof(o->stop_why), "roam down");
		orch_ctl_dead(o, fd);
		reply(fd, "ok\n");
	} else if (!strcmp(w[0], "status")) {
		reply(fd, "run %s\ntopology %s\nout %s\nseed %llu\nuptime %.3f\nnodes %d\nlinks %d\n",
		      o->name, o->t->name, o->out, (unsigned long long)o->seed, run_now(),
		      o->t->n_nodes, o->t->n_links);
		orch_ctl_dead(o, fd);
		for (int l = 0; l < o->t->n_links; l++) {
			struct medium_stats s;
			medium_link_stats(o->m, l, &s);
			reply(fd, "link %s rx %llu tx %llu lost %llu out_of_range %llu queue_drops %llu dup %llu reordered %llu\n",
			      o->t->links[l].name, (unsigned long long)s.rx, (unsigned long long)s.tx,
			      (unsigned long long)s.drop_loss, (unsigned long long)s.drop_range,
			      (unsigned long long)s.drop_queue, (unsigned long long)s.dup,
			      (unsigned long long)s.reordered);
		}
		reply(fd, "ok\n");
	} else if (!strcmp(w[0], "move") && (n == 3 || n == 4)) {
		double gap = -1;
		if (n == 4 && !topo_parse_time(w[3], &gap, err, sizeof(err)))
			reply(fd, "error: gap %s\n", err);
		else if (n == 4 && !(gap >= 0 && gap <= ORCH_GAP_MAX))
			reply(fd, "error: gap %s: expected a time between 0 and %gs\n", w[3], ORCH_GAP_MAX);
		else if (orch_move(o, w[1], w[2], gap, err, sizeof(err)) < 0)
			reply(fd, "error: %s\n", err);
		else
			reply(fd, "ok\n");
	} else if (!strcmp(w[0], "position") && n == 4) {
		char *e1, *e2;
		double x = strtod(w[2], &e1), y = strtod(w[3], &e2);
		if (*e1 || *e2)
			reply(fd, "error: position %s %s: expected two numbers (metres)\n", w[2], w[3]);
		else if (orch_position(o, w[1], x, y, err, sizeof(err)) < 0)
			reply(fd, "error: %s\n", err);
		else
			reply(fd, "ok\n");
	} else if (!strcmp(w[0], "link") && n >= 2) {
		int dir = -1, first = 2, l = topo_link_find(o->t, w[1]);
		struct topo_impair imp;
		if (n > 2 && !strchr(w[2], '=')) {
			dir = orch_dir_parse(w[2]);
			first = 3;
		}
		if (l < 0) {
			reply(fd, "error: no link \"%s\" in topology %s\n", w[1], o->t->name);
			return;
		}
		if (dir < -1) {
			reply(fd, "error: direction %s: expected forward, back, down, up or both\n", w[2]);
			return;
		}
		imp = o->cur_imp[2 * l + (dir == 1)];
		if (n == first) {
			reply(fd, "link %s delay %gs jitter %gs loss %g rate %gbit dup %g reorder %g\nok\n",
			      w[1], imp.delay, imp.jitter, imp.loss, imp.rate, imp.dup, imp.reorder);
			return;
		}
		if (impair_from_words(w + first, n - first, &imp, err, sizeof(err)) < 0 ||
		    orch_link_set(o, w[1], dir, &imp, err, sizeof(err)) < 0)
			reply(fd, "error: %s\n", err);
		else
			reply(fd, "ok\n");
	} else
		reply(fd, "error: unknown request \"%s\" (down, status, move STATION CELL [GAP], "
		      "position NODE X Y, link LINK [DIR] [key=value...])\n", w[0]);
}

/* ---- active tests: crafted frames and taps ---- */

struct sock_ctx { int fd; };
static int packet_socket_here(void *arg)
{
	struct sock_ctx *c = arg;
	c->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);	/* send only */
	return c->fd < 0 ? -1 : 0;
}

int orch_send_frame(struct orch *o, const char *node, const char *ifname,
		    const uint8_t *frame, size_t len, char *err, size_t errlen)
{
	int n = topo_node_find(o->t, node), ifx = -1;
	struct sockaddr_ll sll;
	if (n < 0)
		return ERR("send: no node \"%s\" in topology %s", node, o->t->name);
	for (int k = 0; k < o->t->nodes[n].n_ifaces; k++) {
		int i = o->t->nodes[n].ifaces[k];
		if (!ifname || !strcmp(o->t->ifaces[i].name, ifname)) {
			ifx = i;
			break;
		}
	}
	if (ifx < 0)
		return ERR("send: node %s has no interface %s", node, ifname ? ifname : "at all");
	if (len < 14)
		return ERR("send: a frame of %zu bytes is shorter than an Ethernet header", len);
	if (!o->send_fd) {
		o->send_fd = malloc((size_t)o->t->n_nodes * sizeof(int));
		if (!o->send_fd)
			return ERR("out of memory");
		for (int k = 0; k < o->t->n_nodes; k++)
			o->send_fd[k] = -1;
	}
	if (o->send_fd[n] < 0) {
		struct sock_ctx c = { -1 };
		if (build_in_node(&o->b, n, packet_socket_here, &c) < 0)
			return ERR("send: socket(AF_PACKET) in node %s: %s", node, strerror(errno));
		o->send_fd[n] = c.fd;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = o->b.node_ifindex[ifx];
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, frame, 6);
	if (sendto(o->send_fd[n], frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return ERR("send: sendto on %s:%s: %s", node, o->t->ifaces[ifx].name, strerror(errno));
	evlog("send", "\"node\":\"%s\",\"iface\":\"%s\",\"len\":%zu", node, o->t->ifaces[ifx].name, len);
	return 0;
}

int orch_tap_open(struct orch *o, const char *link, char *err, size_t errlen)
{
	int l = topo_link_find(o->t, link), fd, one = 1;
	struct orch_tap *nt;
	if (l < 0)
		return ERR("tap: no link \"%s\" in topology %s", link, o->t->name);
	/* in the fabric: every frame a node sends arrives on its port from the
	 * node's side; what the medium sends out is outgoing and ignored */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
	if (fd < 0)
		return ERR("tap: socket(AF_PACKET): %s", strerror(errno));
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	nt = realloc(o->taps, (size_t)(o->n_taps + 1) * sizeof(*nt));
	if (!nt) {
		close(fd);
		return ERR("out of memory");
	}
	o->taps = nt;
	o->taps[o->n_taps].fd = fd;
	o->taps[o->n_taps].link = l;
	return o->n_taps++;
}

/* The topology interface whose fabric end has this ifindex, -1 if none. */
static int iface_of_fabric(struct orch *o, int ifindex)
{
	for (int i = 0; i < o->t->n_ifaces; i++)
		if (o->b.fabric_ifindex[i] == ifindex)
			return i;
	return -1;
}

int orch_tap_next(struct orch *o, int tap, double until, uint8_t *buf, size_t cap,
		  double *t, int *node)
{
	if (tap < 0 || tap >= o->n_taps || o->taps[tap].fd < 0)
		return -1;
	for (;;) {
		struct sockaddr_ll sll;
		char cbuf[256];
		struct iovec iov = { buf, cap };
		struct msghdr mh = { &sll, sizeof(sll), &iov, 1, cbuf, sizeof(cbuf), 0 };
		ssize_t n = recvmsg(o->taps[tap].fd, &mh, MSG_TRUNC);
		if (n >= 0) {
			int i = iface_of_fabric(o, sll.sll_ifindex);
			if (sll.sll_pkttype == PACKET_OUTGOING || i < 0 || o->t->ifaces[i].link != o->taps[tap].link)
				continue;
			*t = run_now();
			for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
				if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
					struct timespec ts, r0 = run_realtime(0);
					memcpy(&ts, CMSG_DATA(c), sizeof(ts));
					*t = (double)(ts.tv_sec - r0.tv_sec) + (double)(ts.tv_nsec - r0.tv_nsec) / 1e9;
				}
			*node = o->t->ifaces[i].node;
			return (size_t)n > cap ? (int)cap : (int)n;
		}
		if (errno != EAGAIN && errno != EINTR)
			return -1;
		{
			int r = orch_serve_fd(o, until, o->taps[tap].fd);
			if (r <= 0)
				return r;	/* 0: until passed; -1: the run stops */
		}
	}
}

void orch_tap_close(struct orch *o, int tap)
{
	if (tap >= 0 && tap < o->n_taps && o->taps[tap].fd >= 0) {
		close(o->taps[tap].fd);
		o->taps[tap].fd = -1;
	}
}
