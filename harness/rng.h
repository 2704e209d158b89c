/* rng.h — the run's randomness: one seed, independent streams.
 * Each (link, direction) and each station radio draws from its own stream
 * derived from (seed, name, n), so what happens on one link never shifts the
 * draws of another. xoshiro256** seeded through splitmix64. */
#ifndef ROAM_RNG_H
#define ROAM_RNG_H
#include <stdint.h>

struct rng { uint64_t s[4]; };

uint64_t rng_splitmix64(uint64_t *state);
/* Seeds r from a 64-bit value (never the all-zero state). */
void rng_seed(struct rng *r, uint64_t seed);
/* Seeds r from (seed, name, n): the stream of one link direction or radio. */
void rng_stream(struct rng *r, uint64_t seed, const char *name, int n);
uint64_t rng_next(struct rng *r);
/* Uniform double in [0, 1), 53 bits. */
double rng_unit(struct rng *r);
/* Uniform double in [lo, hi). */
double rng_uniform(struct rng *r, double lo, double hi);
/* true with probability p (p <= 0: never; p >= 1: always). Draws once
 * whatever p is, so a stream stays aligned when parameters change. */
int rng_bernoulli(struct rng *r, double p);
#endif
