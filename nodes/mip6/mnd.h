/* mnd.h — the mobile node's parts shared by mnd.c (movement, home
 * registration, data path) and mnd_rr.c (return routability and route
 * optimisation with correspondents). */
#ifndef ROAM_MIP6_MND_H
#define ROAM_MIP6_MND_H
#include "daemon.h"

void mn_register(bool dereg);
void mn_bu_send(struct bul *b);
void mn_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m, bool tunnelled);

void mn_rr_start(const struct in6_addr *cn);
void mn_rr_timer(struct bul *b);
void mn_rr_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m, bool tunnelled);
bool mn_rr_bound(const struct in6_addr *cn);
void mn_rr_moved(void);
void mn_rr_home(void);	/* deregister with the correspondents */
void mn_rr_icmp(const uint8_t *icmp, size_t len);	/* a Parameter Problem */
#endif
