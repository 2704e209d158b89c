/* evlog.c — the run's event log (JSON lines) and the run's clock. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "evlog.h"

static pthread_mutex_t evlog_mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *evlog_f;

static pthread_once_t run_once = PTHREAD_ONCE_INIT;
static struct timespec run_mono0, run_real0;

static void run_clock_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &run_mono0);
	clock_gettime(CLOCK_REALTIME, &run_real0);
}

/* The origin is set once; a clock read before run_clock_start() starts it. */
void run_clock_start(void)
{
	pthread_once(&run_once, run_clock_init);
}

double run_now(void)
{
	pthread_once(&run_once, run_clock_init);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - run_mono0.tv_sec) +
	       (double)(ts.tv_nsec - run_mono0.tv_nsec) * 1e-9;
}

struct timespec run_realtime(double t)
{
	pthread_once(&run_once, run_clock_init);
	long long ns = (long long)run_real0.tv_sec * 1000000000LL + run_real0.tv_nsec +
		       (long long)(t * 1e9 + (t >= 0 ? 0.5 : -0.5));
	struct timespec r = { .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };
	if (r.tv_nsec < 0) {
		r.tv_nsec += 1000000000L;
		r.tv_sec--;
	}
	return r;
}

bool evlog_open(const char *path)
{
	FILE *f = fopen(path, "a");
	if (!f)
		return false;
	pthread_mutex_lock(&evlog_mu);
	if (evlog_f)
		fclose(evlog_f);
	evlog_f = f;
	pthread_mutex_unlock(&evlog_mu);
	return true;
}

void evlog_close(void)
{
	pthread_mutex_lock(&evlog_mu);
	if (evlog_f)
		fclose(evlog_f);
	evlog_f = NULL;
	pthread_mutex_unlock(&evlog_mu);
}

void evlog(const char *type, const char *fields, ...)
{
	double t = run_now();
	struct timespec rt = run_realtime(t);
	char tb[128];
	pthread_mutex_lock(&evlog_mu);
	if (evlog_f) {
		fprintf(evlog_f, "{\"t\":%.9f,\"ts\":%lld.%09ld,\"type\":\"%s\"",
			t, (long long)rt.tv_sec, rt.tv_nsec, json_esc(type, tb, sizeof(tb)));
		if (fields && *fields) {
			va_list ap;
			va_start(ap, fields);
			fputc(',', evlog_f);
			vfprintf(evlog_f, fields, ap);
			va_end(ap);
		}
		fputs("}\n", evlog_f);
		fflush(evlog_f);
	}
	pthread_mutex_unlock(&evlog_mu);
}

const char *json_esc(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (!len)
		return buf;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[7];
		size_t n;
		if (c == '"' || c == '\\') {
			tmp[0] = '\\'; tmp[1] = (char)c; n = 2;
		} else if (c == '\n') {
			tmp[0] = '\\'; tmp[1] = 'n'; n = 2;
		} else if (c == '\t') {
			tmp[0] = '\\'; tmp[1] = 't'; n = 2;
		} else if (c < 0x20) {
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[c >> 4]; tmp[5] = hex[c & 15]; n = 6;
		} else {
			tmp[0] = (char)c; n = 1;
		}
		if (o + n >= len)
			break;
		memcpy(buf + o, tmp, n);
		o += n;
	}
	buf[o] = 0;
	return buf;
}
