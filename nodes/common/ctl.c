/* ctl.c — control socket server and client. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include "ctl.h"
#include "ev.h"
#include "log.h"

#define CTL_MAX_HANDLERS 32
#define CTL_REQ_MAX 512

static struct {
	char name[32];
	ctl_handler fn;
	void *arg;
} ctl_handlers[CTL_MAX_HANDLERS];
static int ctl_nhandlers;
static int ctl_fd = -1;
static char ctl_path[108];

static int ctl_help(FILE *out, const char *args, void *arg)
{
	for (int i = 0; i < ctl_nhandlers; i++)
		fprintf(out, "%s\n", ctl_handlers[i].name);
	return 0;
}

int ctl_register(const char *name, ctl_handler fn, void *arg)
{
	for (int i = 0; i < ctl_nhandlers; i++)
		if (!strcmp(ctl_handlers[i].name, name)) {
			ctl_handlers[i].fn = fn;
			ctl_handlers[i].arg = arg;
			return 0;
		}
	if (ctl_nhandlers == CTL_MAX_HANDLERS || strlen(name) >= 32)
		return -1;
	snprintf(ctl_handlers[ctl_nhandlers].name, 32, "%s", name);
	ctl_handlers[ctl_nhandlers].fn = fn;
	ctl_handlers[ctl_nhandlers].arg = arg;
	ctl_nhandlers++;
	return 0;
}

int ctl_dispatch(const char *req, FILE *out)
{
	char name[32];
	size_t n = strcspn(req, " \t\r\n");
	const char *args = req + n;

	while (*args == ' ' || *args == '\t')
		args++;
	if (n == 0 || n >= sizeof(name)) {
		fprintf(out, "error: expected a request name, saw \"%.40s\"\n", req);
		return -1;
	}
	memcpy(name, req, n);
	name[n] = 0;
	if (!strcmp(name, "help") && ctl_help(out, args, NULL) == 0) {
		fprintf(out, "ok\n");
		return 0;
	}
	for (int i = 0; i < ctl_nhandlers; i++) {
		if (strcmp(ctl_handlers[i].name, name))
			continue;
		if (ctl_handlers[i].fn(out, args, ctl_handlers[i].arg) == 0) {
			fprintf(out, "ok\n");
			return 0;
		}
		fprintf(out, "error: %s failed\n", name);
		return -1;
	}
	fprintf(out, "error: unknown request \"%s\" (try help)\n", name);
	return -1;
}

static void ctl_accept(int fd, void *arg)
{
	char req[CTL_REQ_MAX], *ans = NULL;
	size_t anslen = 0, got = 0;
	struct timeval tv = { 1, 0 };
	FILE *out;
	ssize_t n;
	int c;

	if ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
		log_warn("ctl: accept4");
		return;
	}
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (got < sizeof(req) - 1) {
		n = read(c, req + got, sizeof(req) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(req, '\n', got))
			break;
	}
	req[got] = 0;
	req[strcspn(req, "\r\n")] = 0;
	if ((out = open_memstream(&ans, &anslen))) {
		ctl_dispatch(req, out);
		fclose(out);
		for (size_t off = 0; off < anslen; off += (size_t)n)
			if ((n = write(c, ans + off, anslen - off)) <= 0)
				break;
		free(ans);
	}
	close(c);
}

int ctl_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	snprintf(ctl_path, sizeof(ctl_path), "%s", path);
	unlink(path);
	if ((ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (bind(ctl_fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(ctl_fd, 8) < 0 || ev_fd_add(ctl_fd, ctl_accept, NULL) < 0) {
		int e = errno;
		close(ctl_fd);
		ctl_fd = -1;
		errno = e;
		return -1;
	}
	return 0;
}

void ctl_close(void)
{
	if (ctl_fd < 0)
		return;
	ev_fd_del(ctl_fd);
	close(ctl_fd);
	unlink(ctl_path);
	ctl_fd = -1;
}

int ctl_query(const char *path, const char *req, char *buf, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t got = 0;
	ssize_t n;
	int fd;

	if (len == 0)
		return -1;
	buf[0] = 0;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    write(fd, req, strlen(req)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		return -1;
	}
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = 0;
	close(fd);
	return got >= 3 && !strcmp(buf + got - 3, "ok\n") ? 0 : -1;
}
