/* log.h — daemon logging to stderr, OpenBSD style: a timestamp and the node
 * name on every line; the harness redirects stderr to the node's log file. */
#ifndef ROAM_LOG_H
#define ROAM_LOG_H
#include <stdarg.h>

/* name: shown on every line (the node name); verbose: print log_debug too. */
void log_init(const char *name, int verbose);
void log_setname(const char *name);
int log_verbose(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#endif
