/* run.c — the record of live runs under /run/roam (see run.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "util.h"

const char *run_root(void)
{
	const char *r = getenv("ROAM_RUNDIR");
	return r && *r ? r : "/run/roam";
}

void run_path(const char *name, const char *file, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s%s%s", run_root(), name, file ? "/" : "", file ? file : "");
}

bool run_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= RUN_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", name[i]))
			return false;
	return true;
}

void run_remove(const char *name)
{
	char dir[512], path[1024];
	DIR *d;
	struct dirent *e;
	run_path(name, NULL, dir, sizeof(dir));
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
				unlink(path);
			}
		closedir(d);
	}
	rmdir(dir);
}

/* Records are pruned only from the pid namespace the orchestrators run
 * in: a process inside a run (roam exec, a node's program) sees /proc of
 * the host but judges liveness from elsewhere, and must never prune. */
static bool run_may_prune(void)
{
	char self[64] = "", init[64] = "";
	ssize_t a = readlink("/proc/self/ns/pid", self, sizeof(self) - 1);
	ssize_t b = readlink("/proc/1/ns/pid", init, sizeof(init) - 1);
	return a > 0 && b > 0 && a == b && !memcmp(self, init, (size_t)a);
}

int run_create(const char *name, char *err, size_t errlen)
{
	char dir[512];
	struct run_state st;
	if (!run_name_ok(name))
		return ERR("run name \"%s\": expected 1-63 characters of [A-Za-z0-9._-], not starting with '.' or '-'", name);
	if (util_mkdirs(run_root(), 0755) < 0)
		return ERR("mkdir(%s): %s", run_root(), strerror(errno));
	run_path(name, NULL, dir, sizeof(dir));
	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return ERR("mkdir(%s): %s", dir, strerror(errno));
	if (run_state_read(name, &st, NULL, 0) == 0) {
		run_state_free(&st);
		return ERR("a run named \"%s\" is live (roam down %s ends it)", name, name);
	}
	/* stale, or another orchestrator is just creating it: only a record
	 * with state (its owner gone) or older than a minute is taken over */
	{
		struct stat sb;
		char spath[1024];
		run_path(name, "state", spath, sizeof(spath));
		if (stat(spath, &sb) < 0 && stat(dir, &sb) == 0 && sb.st_mtime > time(NULL) - 60)
			return ERR("a run named \"%s\" is being created", name);
	}
	if (!run_may_prune())
		return ERR("a stale run record %s is in the way (remove it from the host)", dir);
	run_remove(name);
	if (mkdir(dir, 0755) < 0)
		return ERR("mkdir(%s): %s", dir, strerror(errno));
	return 0;
}

int run_state_write(const struct run_state *st, char *err, size_t errlen)
{
	char path[1024], tmp[1100];
	FILE *f;
	run_path(st->name, "state", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "w")))
		return ERR("fopen(%s): %s", tmp, strerror(errno));
	fprintf(f, "pid %d\nstart %llu\ninit %d\ncreated %.6f\ntopology %s\nout %s\n",
		(int)st->pid, st->start, (int)st->init, st->created, st->topology, st->out);
	for (int i = 0; i < st->n_nodes; i++)
		fprintf(f, "node %s %d\n", st->nodes[i].name, st->nodes[i].nsfd);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return ERR("writing %s: %s", path, strerror(errno));
	return 0;
}

bool run_alive(const struct run_state *st)
{
	return st->pid > 0 && util_proc_running(st->pid) && util_proc_start(st->pid) == st->start;
}

int run_state_read(const char *name, struct run_state *st, char *err, size_t errlen)
{
	char path[1024], *buf, *line, *save = NULL;
	memset(st, 0, sizeof(*st));
	if (!run_name_ok(name))
		return ERR("no run named \"%s\" (roam ls lists the live runs)", name);
	run_path(name, "state", path, sizeof(path));
	if (!(buf = util_read_file(path, NULL)))
		return ERR("no run named \"%s\" (roam ls lists the live runs)", name);
	snprintf(st->name, sizeof(st->name), "%s", name);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, ' ');
		if (!v)
			continue;
		*v++ = 0;
		if (!strcmp(line, "pid")) st->pid = atoi(v);
		else if (!strcmp(line, "start")) st->start = strtoull(v, NULL, 10);
		else if (!strcmp(line, "init")) st->init = atoi(v);
		else if (!strcmp(line, "created")) st->created = atof(v);
		else if (!strcmp(line, "topology")) snprintf(st->topology, sizeof(st->topology), "%s", v);
		else if (!strcmp(line, "out")) snprintf(st->out, sizeof(st->out), "%s", v);
		else if (!strcmp(line, "node")) {
			char *p = strchr(v, ' ');
			struct run_node *nn;
			if (!p)
				continue;
			*p++ = 0;
			nn = realloc(st->nodes, (size_t)(st->n_nodes + 1) * sizeof(*nn));
			if (!nn)
				break;
			st->nodes = nn;
			snprintf(nn[st->n_nodes].name, sizeof(nn->name), "%s", v);
			nn[st->n_nodes++].nsfd = atoi(p);
		}
	}
	free(buf);
	if (!run_alive(st)) {
		run_state_free(st);
		return ERR("no run named \"%s\": its orchestrator is gone (stale record pruned)", name);
	}
	return 0;
}

void run_state_free(struct run_state *st)
{
	free(st->nodes);
	st->nodes = NULL;
	st->n_nodes = 0;
}

int run_each(void (*fn)(const struct run_state *, void *), void *arg)
{
	DIR *d = opendir(run_root());
	struct dirent *e;
	int n = 0;
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		struct run_state st;
		char path[1024];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		if (run_state_read(e->d_name, &st, NULL, 0) == 0) {
			fn(&st, arg);
			run_state_free(&st);
			n++;
			continue;
		}
		/* no state yet: a run being built; prune only when old */
		if (!run_may_prune())
			continue;
		run_path(e->d_name, "state", path, sizeof(path));
		if (stat(path, &sb) == 0 || (run_path(e->d_name, NULL, path, sizeof(path)),
		    stat(path, &sb) == 0 && sb.st_mtime < time(NULL) - 60))
			run_remove(e->d_name);
	}
	closedir(d);
	return n;
}
