/* log.c — timestamped log lines on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "log.h"

static char log_name[64] = "roam";
static int log_verb;

void log_init(const char *name, int verbose)
{
	log_setname(name);
	log_verb = verbose;
	setvbuf(stderr, NULL, _IOLBF, 0);
}

void log_setname(const char *name)
{
	snprintf(log_name, sizeof(log_name), "%s", name ? name : "roam");
}

int log_verbose(void) { return log_verb; }

static void log_vline(const char *level, const char *fmt, va_list ap, int errnum)
{
	struct timespec ts;
	struct tm tm;
	char when[32], msg[1024];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum)
		fprintf(stderr, "%s.%06ld %s %s%s: %s\n", when, ts.tv_nsec / 1000,
			log_name, level, msg, strerror(errnum));
	else
		fprintf(stderr, "%s.%06ld %s %s%s\n", when, ts.tv_nsec / 1000,
			log_name, level, msg);
}

void log_warn(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt); log_vline("", fmt, ap, e); va_end(ap);
	errno = e;
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt); log_vline("", fmt, ap, 0); va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt); log_vline("", fmt, ap, 0); va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;
	if (!log_verb)
		return;
	va_start(ap, fmt); log_vline("debug: ", fmt, ap, 0); va_end(ap);
}

void fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt); log_vline("fatal: ", fmt, ap, e); va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt); log_vline("fatal: ", fmt, ap, 0); va_end(ap);
	exit(1);
}
