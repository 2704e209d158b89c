/* measure_int.h — shared between measure.c (flows, lookups) and
 * measure_ho.c (handoff phases, the per-handoff split). */
#ifndef ROAM_MEASURE_INT_H
#define ROAM_MEASURE_INT_H
#include "check_int.h"

void ck_room(void *pp, int n, size_t elem);	/* room for element n, or exit 3 */
int ck_flow_find(struct ck_meas *m, uint32_t id, bool add);
int ck_meas_mac(const struct ck_meas *m, const uint8_t *mac);	/* node, -1 */
int ck_meas_station(const struct ck_meas *m, int node);	/* -1 */
int ck_meas_attached(const struct ck_meas *m, int st, double t);	/* link, -1 none, -2 no timeline */
double ck_meas_delay(const struct ck_meas *m, int link, int node, double t);	/* towards node */
const struct dec_field *ck_ix(const struct dec_record *r, const struct ck_index *ix,
			      unsigned id, unsigned depth);

void ck_ho_init(struct ck_meas *m, const struct ck_map *map, const struct ck_events *e);
/* A first delivery of flow k: seq delivered at t, sent at sent. */
void ck_ho_delivery(struct ck_meas *m, int k, uint32_t seq, double t, double sent);
void ck_ho_frame(struct ck_meas *m, const struct ck_frame *f, const struct dec_record *r,
		 const struct ck_index *ix, int src, int dst, bool mcast);
#endif
