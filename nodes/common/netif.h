/* netif.h — interfaces, addresses and routes (libnl-route-3), TUN devices,
 * and a link monitor (RTMGRP_LINK) that reports carrier changes. */
#ifndef ROAM_NETIF_H
#define ROAM_NETIF_H
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

int netif_index(const char *name);		/* 0 if none */
int netif_mac(const char *name, uint8_t mac[6]);	/* 0 or -1 */
int netif_set_up(const char *name);
bool netif_carrier(const char *name);		/* IFF_RUNNING (lower up) */
/* Address and route changes; each returns 0 or -1 and logs why. An add of
 * something that exists, or a delete of something absent, is not an error. */
int netif_addr4_add(int ifindex, struct in_addr a, int plen);
int netif_addr4_del(int ifindex, struct in_addr a, int plen);
/* gw may be 0.0.0.0 (a direct route); onlink: the gateway is on the link
 * even if no address of the interface covers it. */
int netif_route4_add(struct in_addr dst, int plen, int ifindex,
		     struct in_addr gw, bool onlink);
int netif_route4_del(struct in_addr dst, int plen, int ifindex);
/* IPv6: flags are IFA_F_* (IFA_F_NODAD, IFA_F_OPTIMISTIC); gw NULL for a
 * direct route. netif_proxy6 adds or removes a proxy neighbour entry
 * (answered by the kernel's proxy_ndp). */
int netif_addr6_add(int ifindex, const struct in6_addr *a, int plen, unsigned flags);
int netif_addr6_del(int ifindex, const struct in6_addr *a, int plen);
int netif_route6_add(const struct in6_addr *dst, int plen, int ifindex,
		     const struct in6_addr *gw);
int netif_route6_del(const struct in6_addr *dst, int plen, int ifindex);
int netif_proxy6(int ifindex, const struct in6_addr *a, bool add);
/* Removes the autoconfigured addresses and "proto ra" routes the kernel
 * made from router advertisements on ifindex (before accept_ra=0). */
int netif_flush6_ra(int ifindex);
/* Writes value to /proc/sys/<path> (e.g. "net/ipv4/ip_forward"). */
int netif_sysctl(const char *path, const char *value);

/* Opens /dev/net/tun as a TUN device (IFF_NO_PI) named name (or the
 * kernel's choice when name is empty; the name is written back). */
int tun_open(char name[16]);

/* Link monitor: a netlink socket; call linkmon_read when it is readable. */
typedef void (*linkmon_cb)(int ifindex, const char *name, bool carrier, void *arg);
int linkmon_open(void);
void linkmon_read(int fd, linkmon_cb cb, void *arg);
#endif
