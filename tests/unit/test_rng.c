/* test_rng.c — seeded streams: determinism, independence, uniformity. */
#include <math.h>
#include "t.h"
#include "rng.h"

static void same_seed_same_stream(void)
{
	struct rng a, b;
	rng_stream(&a, 42, "lan0", 0);
	rng_stream(&b, 42, "lan0", 0);
	for (int i = 0; i < 1000; i++)
		CHECK(rng_next(&a) == rng_next(&b));
}

static void streams_differ(void)
{
	struct rng r[4];
	rng_stream(&r[0], 42, "lan0", 0);
	rng_stream(&r[1], 42, "lan0", 1);
	rng_stream(&r[2], 42, "lan1", 0);
	rng_stream(&r[3], 43, "lan0", 0);
	uint64_t first[4];
	for (int i = 0; i < 4; i++)
		first[i] = rng_next(&r[i]);
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			CHECK(first[i] != first[j]);
}

/* Draws on one stream do not move another: a stream is a value. */
static void streams_independent(void)
{
	struct rng a, b, a2;
	rng_stream(&a, 7, "p2p", 0);
	rng_stream(&a2, 7, "p2p", 0);
	rng_stream(&b, 7, "p2p", 1);
	uint64_t x[100], y[100];
	for (int i = 0; i < 100; i++)
		x[i] = rng_next(&a);
	for (int i = 0; i < 5000; i++)
		rng_next(&b);
	for (int i = 0; i < 100; i++)
		y[i] = rng_next(&a2);
	CHECK(!memcmp(x, y, sizeof(x)));
	/* Correlation between neighbouring streams is small. */
	struct rng c, d;
	rng_stream(&c, 1, "cell", 0);
	rng_stream(&d, 1, "cell", 1);
	double sxy = 0;
	int n = 100000;
	for (int i = 0; i < n; i++)
		sxy += (rng_unit(&c) - 0.5) * (rng_unit(&d) - 0.5);
	double corr = sxy / n / (1.0 / 12);
	CHECK(fabs(corr) < 4 / sqrt(n));
}

static void unit_interval(void)
{
	struct rng r;
	rng_seed(&r, 0);
	double sum = 0, lo = 1, hi = 0;
	int n = 200000, bins[10] = { 0 };
	for (int i = 0; i < n; i++) {
		double u = rng_unit(&r);
		CHECK(u >= 0 && u < 1);
		sum += u;
		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
		bins[(int)(u * 10)]++;
	}
	CHECK(fabs(sum / n - 0.5) < 4 * sqrt(1.0 / 12 / n));
	CHECK(lo < 0.001 && hi > 0.999);
	for (int i = 0; i < 10; i++)	/* each 10% +- 4 sigma */
		CHECK(fabs(bins[i] - n / 10.0) < 4 * sqrt(n * 0.1 * 0.9));
	double v = rng_uniform(&r, -3, -1);
	CHECK(v >= -3 && v < -1);
}

static void bernoulli_rate(void)
{
	struct rng r;
	rng_stream(&r, 99, "loss", 0);
	int n = 100000, hits = 0;
	for (int i = 0; i < n; i++)
		hits += rng_bernoulli(&r, 0.01);
	double sigma = sqrt(n * 0.01 * 0.99);
	CHECK(fabs(hits - n * 0.01) < 4 * sigma);
	int never = 0, always = 0;
	for (int i = 0; i < 1000; i++) {
		never += rng_bernoulli(&r, 0);
		always += rng_bernoulli(&r, 1);
	}
	CHECK_EQ(never, 0);
	CHECK_EQ(always, 1000);
}

T_MAIN_BEGIN("rng")
	RUN(same_seed_same_stream);
	RUN(streams_differ);
	RUN(streams_independent);
	RUN(unit_interval);
	RUN(bernoulli_rate);
T_MAIN_END
