/* roam-traffic — paced UDP flows with sequence numbers and timestamps
 * (payload.h), and a receiver that measures loss, duplication, reordering,
 * one-way delay, jitter and the longest interruption.
 *	roam-traffic send --to ADDR [--port P] [--flow ID] [--rate PPS]
 *	                  [--size BYTES] [--duration S | --count N] [--wait S]
 *	roam-traffic recv [--port P] [--stats FILE] [--duration S] */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "traffic.h"

volatile sig_atomic_t traffic_stop;

static void traffic_on_signal(int sig)
{
	(void)sig;
	traffic_stop = 1;
}

void traffic_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = traffic_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

int64_t traffic_now_ns(int clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

double traffic_num(const char *opt, const char *s, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0) || v > max) {
		fprintf(stderr, "roam-traffic: %s: expected a number 0..%g vs \"%s\"\n",
			opt, max, s);
		exit(2);
	}
	return v;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} traffic_cmds[] = {
	{ "send", traffic_send },
	{ "recv", traffic_recv },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc > 1 && i < sizeof(traffic_cmds) / sizeof(traffic_cmds[0]); i++)
		if (!strcmp(argv[1], traffic_cmds[i].name))
			return traffic_cmds[i].run(argc - 1, argv + 1);
	fprintf(stderr, "usage: roam-traffic send --to ADDR [--port P] [--flow ID] "
		"[--rate PPS] [--size BYTES] [--duration S | --count N] [--wait S]\n"
		"       roam-traffic recv [--port P] [--stats FILE] [--duration S]\n"
		"expected a command send or recv vs %s\n", argc > 1 ? argv[1] : "none");
	return 2;
}
