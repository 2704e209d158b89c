/* traffic.h — roam-traffic's subcommands and what they share. */
#ifndef ROAM_TRAFFIC_H
#define ROAM_TRAFFIC_H
#include <signal.h>
#include <stdint.h>

int traffic_send(int argc, char **argv);
int traffic_recv(int argc, char **argv);

/* Set by SIGTERM/SIGINT. */
extern volatile sig_atomic_t traffic_stop;
/* Installs the SIGTERM/SIGINT handler (no SA_RESTART). */
void traffic_signals(void);
int64_t traffic_now_ns(int clk);
/* Parses a non-negative number; exits with status 2 and a message if bad. */
double traffic_num(const char *opt, const char *s, double max);
#endif
