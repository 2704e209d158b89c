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

/* ---- locks the kernel drops when their holder dies ---- */

/* An open file description lock (F_OFD_SETLK) on the whole file: held by
 * whoever holds the description, in any pid namespace, and released by the
 * kernel when the last descriptor of it is closed, however that happens. */
static int run_ofd_lock(int fd, int cmd, short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET };
	return fcntl(fd, cmd, &fl) < 0 ? -1 : fl.l_type;
}

int run_lock_note(int fd, const char *holder)
{
	return ftruncate(fd, 0) < 0 || pwrite(fd, holder, strlen(holder), 0) < 0 ? -1 : 0;
}

int run_lock_claim(const char *path, const char *holder, char *seen, size_t seenlen)
{
	for (int tries = 0; tries < 50; tries++) {
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0)
			return -1;
		if (run_ofd_lock(fd, F_OFD_SETLK, F_WRLCK) < 0) {
			int e = errno;
			ssize_t n = 0;
			/* the holder notes itself just after it takes the lock:
			 * give it a moment (200 ms at most) before saying nothing */
			for (int w = 0; (e == EAGAIN || e == EACCES) && seen && seenlen && w < 40; w++) {
				if ((n = pread(fd, seen, seenlen - 1, 0)) < 0)
					n = 0;
				if (n > 0)
					break;
				nanosleep(&(struct timespec){ 0, 5000000 }, NULL);
			}
			if (seen && seenlen) {
				seen[n] = 0;
				seen[strcspn(seen, "\n")] = 0;
			}
			close(fd);
			errno = e == EACCES ? EAGAIN : e;
			return -1;
		}
		/* the file may have been unlinked by its last holder meanwhile */
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
			if (holder && run_lock_note(fd, holder) < 0) {
				int e = errno;
				close(fd);
				errno = e;
				return -1;
			}
			return fd;
		}
		close(fd);
	}
	errno = EAGAIN;
	return -1;
}

bool run_lock_held(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int type;
	if (fd < 0)
		return false;
	type = run_ofd_lock(fd, F_OFD_GETLK, F_WRLCK);
	close(fd);
	return type >= 0 && type != F_UNLCK;
}

/* Removes a run's record if no orchestrator holds it: true if it did. */
static bool run_prune(const char *name)
{
	char path[1024];
	int fd;
	run_path(name, "lock", path, sizeof(path));
	fd = run_lock_claim(path, NULL, NULL, 0);
	if (fd < 0)
		return false;
	run_remove(name);
	close(fd);
	return true;
}

int run_create(const char *name, char *err, size_t errlen)
{
	char dir[512], lock[1024], holder[128];
	int fd = -1;
	if (!run_name_ok(name))
		return ERR("run name \"%s\": expected 1-63 characters of [A-Za-z0-9._-], not starting with '.' or '-'", name);
	if (util_mkdirs(run_root(), 0755) < 0)
		return ERR("mkdir(%s): %s", run_root(), strerror(errno));
	run_path(name, NULL, dir, sizeof(dir));
	run_path(name, "lock", lock, sizeof(lock));
	snprintf(holder, sizeof(holder), "pid %d\n", (int)getpid());
	/* a pruner may remove the folder between our mkdir and open: again */
	for (int tries = 0; fd < 0 && tries < 20; tries++) {
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return ERR("mkdir(%s): %s", dir, strerror(errno));
		fd = run_lock_claim(lock, holder, NULL, 0);
		if (fd < 0 && errno == EAGAIN)
			return ERR("a run named \"%s\" is live (roam down %s ends it)", name, name);
		if (fd < 0 && errno != ENOENT)
			return ERR("lock %s: %s", lock, strerror(errno));
	}
	if (fd < 0)
		return ERR("lock %s: %s", lock, strerror(errno));
	/* what a dead orchestrator left: its state and socket */
	{
		static const char *const left[] = { "state", "state.tmp", "ctl" };
		for (size_t i = 0; i < sizeof(left) / sizeof(left[0]); i++) {
			char p[1024];
			run_path(name, left[i], p, sizeof(p));
			unlink(p);
		}
	}
	return fd;
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
	if (st->dead[0])
		fprintf(f, "dead %s\n", st->dead);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return ERR("writing %s: %s", path, strerror(errno));
	return 0;
}

bool run_alive(const struct run_state *st)
{
	char path[1024];
	run_path(st->name, "lock", path, sizeof(path));
	return run_lock_held(path);
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
		else if (!strcmp(line, "dead")) snprintf(st->dead, sizeof(st->dead), "%s", v);
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
		run_prune(name);
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
		if (e->d_name[0] == '.')
			continue;
		if (run_state_read(e->d_name, &st, NULL, 0) == 0) {
			fn(&st, arg);
			run_state_free(&st);
			n++;
			continue;
		}
		/* no state: a run being built holds its lock; else stale */
		run_prune(e->d_name);
	}
	closedir(d);
	return n;
}
