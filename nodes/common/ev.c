/* ev.c — epoll loop, timerfd timers, signalfd signals. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "ev.h"
#include "log.h"

#define EV_MAX_FDS	256

static int ev_epfd = -1;
static bool ev_stopping;
/* fd sources added with ev_fd_add, indexed by fd */
static struct ev_src *ev_fds[EV_MAX_FDS];

struct ev_sig {
	struct ev_src src;
	int sig;
	void (*cb)(int sig, void *arg);
	void *arg;
};
static struct ev_sig ev_sigs[8];
static int ev_nsigs;

int ev_init(void)
{
	if (ev_epfd >= 0)
		return 0;
	ev_epfd = epoll_create1(EPOLL_CLOEXEC);
	return ev_epfd < 0 ? -1 : 0;
}

void ev_done(void)
{
	for (int i = 0; i < EV_MAX_FDS; i++) {
		free(ev_fds[i]);
		ev_fds[i] = NULL;
	}
	for (int i = 0; i < ev_nsigs; i++)
		close(ev_sigs[i].src.fd);
	ev_nsigs = 0;
	if (ev_epfd >= 0)
		close(ev_epfd);
	ev_epfd = -1;
}

static int ev_src_add(struct ev_src *s)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = s };
	if (ev_init() < 0)
		return -1;
	return epoll_ctl(ev_epfd, EPOLL_CTL_ADD, s->fd, &e);
}

int ev_fd_add(int fd, ev_fd_cb cb, void *arg)
{
	struct ev_src *s;

	if (fd < 0 || fd >= EV_MAX_FDS || ev_fds[fd]) {
		errno = EINVAL;
		return -1;
	}
	if (!(s = calloc(1, sizeof(*s))))
		return -1;
	s->fd = fd; s->cb = cb; s->arg = arg;
	if (ev_src_add(s) < 0) {
		free(s);
		return -1;
	}
	ev_fds[fd] = s;
	return 0;
}

void ev_fd_del(int fd)
{
	if (fd < 0 || fd >= EV_MAX_FDS || !ev_fds[fd])
		return;
	epoll_ctl(ev_epfd, EPOLL_CTL_DEL, fd, NULL);
	free(ev_fds[fd]);
	ev_fds[fd] = NULL;
}

static void ev_sig_read(int fd, void *arg)
{
	struct ev_sig *s = arg;
	struct signalfd_siginfo si;
	if (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si) && s->cb)
		s->cb(s->sig, s->arg);
}

int ev_signal(int sig, void (*cb)(int sig, void *arg), void *arg)
{
	struct ev_sig *s;
	sigset_t set;

	if (ev_nsigs >= (int)(sizeof(ev_sigs) / sizeof(ev_sigs[0]))) {
		errno = ENOSPC;
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	s = &ev_sigs[ev_nsigs];
	if ((s->src.fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		return -1;
	s->src.cb = ev_sig_read; s->src.arg = s;
	s->sig = sig; s->cb = cb; s->arg = arg;
	if (ev_src_add(&s->src) < 0) {
		close(s->src.fd);
		return -1;
	}
	ev_nsigs++;
	return 0;
}

uint64_t ev_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void ev_timer_fire(int fd, void *arg)
{
	struct ev_timer *t = arg;
	uint64_t n;
	if (read(fd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return;		/* disarmed or re-armed since it expired */
	t->armed = false;
	if (t->cb)
		t->cb(t, t->arg);
}

int ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->cb = cb; t->arg = arg;
	t->src.fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (t->src.fd < 0)
		return -1;
	t->src.cb = ev_timer_fire; t->src.arg = t;
	if (ev_src_add(&t->src) < 0) {
		close(t->src.fd);
		t->src.fd = -1;
		return -1;
	}
	return 0;
}

void ev_timer_arm_ms(struct ev_timer *t, uint64_t ms)
{
	struct itimerspec its = { 0 };
	if (t->src.fd < 0)
		fatalx("ev_timer_arm: timer not initialised");
	if (ms == 0)
		ms = 1;		/* zero would disarm */
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (timerfd_settime(t->src.fd, 0, &its, NULL) < 0)
		fatal("timerfd_settime");
	t->armed = true;
	t->deadline_ms = ev_now_ms() + ms;
}

void ev_timer_arm(struct ev_timer *t, double seconds)
{
	ev_timer_arm_ms(t, seconds <= 0 ? 0 : (uint64_t)(seconds * 1000 + 0.5));
}

void ev_timer_disarm(struct ev_timer *t)
{
	struct itimerspec its = { 0 };
	if (t->src.fd >= 0)
		timerfd_settime(t->src.fd, 0, &its, NULL);
	t->armed = false;
}

void ev_timer_free(struct ev_timer *t)
{
	if (t->src.fd < 0)
		return;
	ev_timer_disarm(t);
	if (ev_epfd >= 0)
		epoll_ctl(ev_epfd, EPOLL_CTL_DEL, t->src.fd, NULL);
	close(t->src.fd);
	t->src.fd = -1;
}

bool ev_timer_armed(const struct ev_timer *t) { return t->armed; }

uint64_t ev_timer_left_ms(const struct ev_timer *t)
{
	uint64_t now = ev_now_ms();
	if (!t->armed || t->deadline_ms <= now)
		return 0;
	return t->deadline_ms - now;
}

int ev_run_once(int timeout_ms)
{
	struct epoll_event ev;
	struct ev_src *s;
	int n;

	/* One event per wait: a callback may free any other source (a binding
	 * and its timer), so no stale pointer is ever dispatched. */
	if (ev_init() < 0)
		return -1;
	n = epoll_wait(ev_epfd, &ev, 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (n == 1) {
		s = ev.data.ptr;
		s->cb(s->fd, s->arg);
	}
	return n;
}

int ev_run(void)
{
	ev_stopping = false;
	while (!ev_stopping)
		if (ev_run_once(-1) < 0)
			return -1;
	return 0;
}

void ev_stop(void) { ev_stopping = true; }
