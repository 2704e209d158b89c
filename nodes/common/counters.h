/* counters.h — named counters: an enum, a name array indexed by it, and an
 * array of values. Printed one "name value" line each on the control socket.
 *
 *	enum { C_RX, C_TX, C__N };
 *	static const char *const c_names[C__N] = { [C_RX] = "rx", [C_TX] = "tx" };
 *	uint64_t c[C__N];  c[C_RX]++;  counters_print(out, c_names, c, C__N);
 */
#ifndef ROAM_COUNTERS_H
#define ROAM_COUNTERS_H
#include <inttypes.h>
#include <stdio.h>

static inline void counters_print(FILE *out, const char *const *names,
				  const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++)
		if (names[i])
			fprintf(out, "%s %" PRIu64 "\n", names[i], v[i]);
}
#endif
