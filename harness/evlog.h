/* evlog.h — the run's event log: one JSON object a line in <out>/events.jsonl.
 * Every line has "t" (seconds since the run's start, CLOCK_MONOTONIC) and
 * "ts" (CLOCK_REALTIME seconds, the clock of the captures' timestamps), then
 * "type" and the fields given. Safe to call from any thread. */
#ifndef ROAM_EVLOG_H
#define ROAM_EVLOG_H
#include <stdbool.h>
#include <time.h>

bool evlog_open(const char *path);
void evlog_close(void);
/* fields: a JSON fragment of ,"key":value pairs without the leading comma,
 * printf-style, e.g. evlog("move", "\"station\":\"%s\",\"cell\":\"%s\"", s, c). */
void evlog(const char *type, const char *fields, ...)
	__attribute__((format(printf, 2, 3)));

/* The run's clock. run_clock_start() once at the run's start. */
void run_clock_start(void);
double run_now(void);			/* seconds since the start, monotonic */
struct timespec run_realtime(double t);	/* the realtime instant of run time t */
/* JSON-escapes s into buf (without quotes). */
const char *json_esc(const char *s, char *buf, size_t len);
#endif
