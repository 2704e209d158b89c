/* ev.h — one epoll event loop per process: fd callbacks, timers on
 * CLOCK_MONOTONIC (one timerfd each, owned by the object it serves) and
 * signals through a signalfd. */
#ifndef ROAM_EV_H
#define ROAM_EV_H
#include <stdbool.h>
#include <stdint.h>

typedef void (*ev_fd_cb)(int fd, void *arg);

struct ev_timer;
typedef void (*ev_timer_cb)(struct ev_timer *t, void *arg);

/* An event source registered with epoll (internal, embedded in timers). */
struct ev_src {
	int fd;
	ev_fd_cb cb;
	void *arg;
};

struct ev_timer {
	struct ev_src src;	/* the timerfd, -1 before ev_timer_init */
	ev_timer_cb cb;
	void *arg;
	bool armed;
	uint64_t deadline_ms;	/* ev_now_ms() when it fires, if armed */
};

int ev_init(void);			/* 0, or -1 with errno */
void ev_done(void);
int ev_fd_add(int fd, ev_fd_cb cb, void *arg);
void ev_fd_del(int fd);
/* Calls cb when signal sig arrives (blocks sig for normal delivery). */
int ev_signal(int sig, void (*cb)(int sig, void *arg), void *arg);

int ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
void ev_timer_arm_ms(struct ev_timer *t, uint64_t ms);	/* one-shot; re-arms */
void ev_timer_arm(struct ev_timer *t, double seconds);
void ev_timer_disarm(struct ev_timer *t);
void ev_timer_free(struct ev_timer *t);		/* disarms, closes the fd */
bool ev_timer_armed(const struct ev_timer *t);
uint64_t ev_timer_left_ms(const struct ev_timer *t);	/* 0 if not armed */

uint64_t ev_now_ms(void);		/* CLOCK_MONOTONIC milliseconds */
/* Runs one round: waits up to timeout_ms (-1 forever), dispatches. Returns
 * the number of events dispatched, or -1 on error. */
int ev_run_once(int timeout_ms);
int ev_run(void);			/* until ev_stop(); 0 or -1 */
void ev_stop(void);
#endif
