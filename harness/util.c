/* util.c — small helpers shared by the orchestrator's files. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "util.h"

int errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

char *util_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!f)
		return NULL;
	for (;;) {
		size_t got;
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

int util_mkdirs(const char *path, unsigned mode)
{
	char tmp[4096];
	size_t n = strlen(path);
	if (n >= sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, mode) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

unsigned long long util_proc_start(int pid)
{
	char path[64], *buf, *p;
	unsigned long long start = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(buf = util_read_file(path, NULL)))
		return 0;
	/* the command name may hold spaces and parentheses: fields follow the last ')' */
	p = strrchr(buf, ')');
	if (p) {
		int field = 2;
		for (p++; *p && field < 22; p++)
			if (*p == ' ')
				field++;
		start = strtoull(p, NULL, 10);
	}
	free(buf);
	return start;
}

int util_node_mounts(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return -1;
	/* changes here must not reach the host's mounts */
	if (mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return -1;
	if (umount2("/sys", MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -1;
	return mount("sysfs", "/sys", "sysfs", 0, NULL);
}

int util_proc_running(int pid)
{
	char path[64], *buf, *p;
	int running = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(buf = util_read_file(path, NULL)))
		return 0;
	p = strrchr(buf, ')');
	if (p && p[1] == ' ' && p[2] && p[2] != 'Z' && p[2] != 'X')
		running = 1;
	free(buf);
	return running;
}
