/* t.h — the unit test harness: one line per test, PASS, FAIL or SKIP,
 * read and counted by tests/run.sh. */
#ifndef ROAM_T_H
#define ROAM_T_H
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int t_failed_checks;
static const char *t_skip_reason;
static const char *t_prog = "unit";

#define CHECK(c) do { if (!(c)) { t_failed_checks++; \
	printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_EQ(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) { t_failed_checks++; printf("  %s:%d: %s: expected %lld vs actual %lld\n", \
	__FILE__, __LINE__, #a, _b, _a); } } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b)) { t_failed_checks++; \
	printf("  %s:%d: %s: expected \"%s\" vs actual \"%s\"\n", __FILE__, __LINE__, \
	#a, _b ? _b : "(null)", _a ? _a : "(null)"); } } while (0)
#define SKIP(why) do { t_skip_reason = (why); return; } while (0)

static int t_npass, t_nfail, t_nskip;
static inline void t_run(const char *name, void (*fn)(void))
{
	t_failed_checks = 0; t_skip_reason = NULL;
	fflush(stdout);
	fn();
	if (t_skip_reason) { printf("SKIP %s.%s: %s\n", t_prog, name, t_skip_reason); t_nskip++; }
	else if (t_failed_checks) { printf("FAIL %s.%s\n", t_prog, name); t_nfail++; }
	else { printf("PASS %s.%s\n", t_prog, name); t_npass++; }
	fflush(stdout);
}
#define RUN(fn) t_run(#fn, fn)
#define T_MAIN_BEGIN(prog) int main(void) { t_prog = (prog);
#define T_MAIN_END return t_nfail ? 1 : 0; }
#endif
