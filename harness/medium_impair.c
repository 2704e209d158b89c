/* medium_impair.c — per-direction impairment and the serializer. */
#include <stdlib.h>
#include <string.h>
#include "medium_impair.h"

int64_t imp_ser_push(struct imp_ser *s, int64_t now, size_t len, double rate)
{
	if (rate <= 0)
		return now;
	if (!s->ring) {
		s->ring = calloc(IMP_QUEUE_FRAMES, sizeof(*s->ring));
		if (!s->ring)
			return -1;
	}
	while (s->n && s->ring[s->head] <= now) {	/* frames gone by now */
		s->head = (s->head + 1) % IMP_QUEUE_FRAMES;
		s->n--;
	}
	int64_t start = s->last > now ? s->last : now;
	if (s->n >= IMP_QUEUE_FRAMES || start - now > IMP_QUEUE_NS)
		return -1;
	int64_t dep = start + (int64_t)((double)len * 8.0 * 1e9 / rate + 0.5);
	s->ring[(s->head + s->n) % IMP_QUEUE_FRAMES] = dep;
	s->n++;
	s->last = dep;
	return dep;
}

void imp_ser_free(struct imp_ser *s)
{
	free(s->ring);
	memset(s, 0, sizeof(*s));
}

bool imp_dir_init(struct imp_dir *d, const struct topo_impair *imp,
		  const struct topo_step *steps, int n_steps,
		  uint64_t seed, const char *name, int dir)
{
	memset(d, 0, sizeof(*d));
	d->imp = *imp;
	if (n_steps > 0 && steps) {
		d->steps = malloc((size_t)n_steps * sizeof(*steps));
		if (!d->steps)
			return false;
		memcpy(d->steps, steps, (size_t)n_steps * sizeof(*steps));
		d->n_steps = n_steps;
	}
	rng_stream(&d->rng, seed, name, dir);
	return true;
}

void imp_dir_free(struct imp_dir *d)
{
	free(d->steps);
	imp_ser_free(&d->ser);
	memset(d, 0, sizeof(*d));
}

void imp_dir_tick(struct imp_dir *d, double run_t)
{
	while (d->next_step < d->n_steps && d->steps[d->next_step].t <= run_t)
		d->imp = d->steps[d->next_step++].imp;
}

void imp_dir_set(struct imp_dir *d, const struct topo_impair *imp)
{
	d->imp = *imp;
}

/* Gilbert-Elliott: the state moves first (p: good->bad, r: bad->good), then
 * the frame is lost with the state's loss probability. With both losses
 * zero the model is simple Gilbert: everything in the bad state is lost.
 * Correlated Bernoulli: with probability loss_corr the previous verdict is
 * repeated, otherwise a fresh draw with probability loss. The long-run loss
 * rate stays `loss`; bursts get longer as loss_corr rises. Three draws
 * per frame in both models. */
bool imp_lost(struct imp_dir *d)
{
	const struct topo_impair *im = &d->imp;
	double u1 = rng_unit(&d->rng), u2 = rng_unit(&d->rng), u3 = rng_unit(&d->rng);
	bool lost;
	if (im->ge) {
		if (d->ge_bad ? u1 < im->ge_r : u1 < im->ge_p)
			d->ge_bad = !d->ge_bad;
		double lg = im->ge_loss_good, lb = im->ge_loss_bad;
		if (lg <= 0 && lb <= 0)
			lb = 1;
		lost = u2 < (d->ge_bad ? lb : lg);
	} else {
		if (im->loss_corr > 0 && u1 < im->loss_corr)
			lost = d->last_lost;
		else
			lost = u3 < im->loss;
	}
	(void)u2;
	d->last_lost = lost;
	return lost;
}

void imp_decide(struct imp_dir *d, int64_t now, size_t len, struct imp_out *o)
{
	const struct topo_impair *im = &d->imp;
	bool lost = imp_lost(d);
	double u_dup = rng_unit(&d->rng);
	double u_reo = rng_unit(&d->rng);
	double u_jit = rng_unit(&d->rng);
	o->copies = 1;
	o->reordered = false;
	o->depart = now;
	if (lost) {
		o->verdict = IMP_LOSS;
		return;
	}
	int64_t dep = imp_ser_push(&d->ser, now, len, im->rate);
	if (dep < 0) {
		o->verdict = IMP_QUEUE;
		return;
	}
	o->verdict = IMP_PASS;
	if (u_dup < im->dup)
		o->copies = 2;
	double delay = im->delay;
	if (im->jitter > 0)
		delay += im->jitter * (2 * u_jit - 1);
	if (delay < 0)
		delay = 0;
	if (im->delay > 0 && u_reo < im->reorder) {
		delay = 0;
		o->reordered = true;
	}
	o->depart = dep + (int64_t)(delay * 1e9 + 0.5);
}
