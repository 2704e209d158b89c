/* mn_link.h — the mobile node's link state: carrier loss and router
 * solicitation limits (RFC 6275 §11.5.1, RFC 4861 §6.3.7, §10). */
#ifndef ROAM_MIP6_MN_LINK_H
#define ROAM_MIP6_MN_LINK_H
#include <stdbool.h>
#include <stdint.h>

#define MN_MAX_RTR_SOLICITATIONS		3	/* RFC 4861 §10 */
#define MN_RTR_SOLICITATION_INTERVAL_MS	4000	/* RFC 4861 §10 */

struct mn;
/* Carrier lost: no router, no usable care-of address. */
void mn_link_down(struct mn *mn, uint64_t now_ms);
/* Carrier back (maybe on another link): the next RA decides where. */
void mn_link_up(struct mn *mn, uint64_t now_ms);
/* A frame may go out: carrier up and a router learnt on this attachment. */
bool mn_link_usable(const struct mn *mn);
/* A Router Solicitation may go now (counts it when true). */
bool mn_rs_due(struct mn *mn, uint64_t now_ms);
#endif
