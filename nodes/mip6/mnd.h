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

/* mnd_cn.c: answering as a correspondent (ro on) */
int mn_cn_start(void);
/* HoTI, CoTI, BU to the home address: answered (true), else not ours. */
bool mn_cn_mh(const uint8_t *pkt, const struct ip6 *p, const struct mh_msg *m);
/* Data with a Home Address option: true with the packet without it in out
 * when a binding matches; else a Binding Error and false. */
bool mn_cn_hao_in(const uint8_t *pkt, const struct ip6 *p, uint8_t *out, size_t cap,
		  size_t *n);
/* The kernel's packet to a home address bound here: sent with RH2 (and the
 * HAO when own_binding: this node is bound at the peer); false when none. */
bool mn_cn_route(const uint8_t *in, const struct ip6 *p, bool own_binding);
#endif
