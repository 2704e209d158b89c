/* medium_radio.c — a station's link quality from its distance to the AP.
 *   rx  = tx_power - (ref_loss + 10 * exponent * log10(max(d, 1)))
 *   snr = rx - noise
 *   snr <  snr_min            out of range (carrier down)
 *   snr >= snr_good           no loss, rate_max
 *   in between, u = (snr_good - snr) / (snr_good - snr_min) in (0, 1]:
 *     loss = u^2 (3 - 2u)     (smoothstep: 0 at snr_good, 1 at snr_min)
 *     rate = rate_max * (1 - 0.9 u)   (down to a tenth at snr_min) */
#include <math.h>
#include "medium_impair.h"

void radio_eval(const struct topo_radio *r, double dist, struct radio_q *q)
{
	double d = dist > 1 ? dist : 1;
	double rx = r->tx_power - (r->ref_loss + 10 * r->exponent * log10(d));
	q->snr = rx - r->noise;
	q->in_range = q->snr >= r->snr_min;
	q->loss = 0;
	q->rate = r->rate_max;
	if (!q->in_range) {
		q->loss = 1;
		return;
	}
	if (q->snr >= r->snr_good || r->snr_good <= r->snr_min)
		return;
	double u = (r->snr_good - q->snr) / (r->snr_good - r->snr_min);
	q->loss = u * u * (3 - 2 * u);
	if (r->rate_max > 0)
		q->rate = r->rate_max * (1 - 0.9 * u);
}
