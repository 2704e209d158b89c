/* netif.c — interfaces, addresses, routes, TUN, link monitor. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include "log.h"
#include "netif.h"

int netif_index(const char *name) { return (int)if_nametoindex(name); }

static int netif_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int fd, rc;
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", name);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = ioctl(fd, req, ifr);
	close(fd);
	return rc;
}

int netif_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	if (netif_ioctl(name, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

bool netif_carrier(const char *name)
{
	struct ifreq ifr;
	if (netif_ioctl(name, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

int netif_set_up(const char *name)
{
	struct ifreq ifr;
	int fd, rc;
	if (netif_ioctl(name, SIOCGIFFLAGS, &ifr) < 0) {
		log_warn("ioctl SIOCGIFFLAGS %s", name);
		return -1;
	}
	ifr.ifr_flags |= IFF_UP;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (rc < 0)
		log_warn("ioctl SIOCSIFFLAGS %s", name);
	close(fd);
	return rc;
}

static struct nl_sock *netif_sock(void)
{
	static struct nl_sock *sk;
	int err;
	if (sk)
		return sk;
	if (!(sk = nl_socket_alloc()))
		return NULL;
	if ((err = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		log_warnx("nl_connect: %s", nl_geterror(err));
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

static struct nl_addr *netif_nladdr4(struct in_addr a, int plen)
{
	struct nl_addr *n = nl_addr_build(AF_INET, &a, 4);
	if (n)
		nl_addr_set_prefixlen(n, plen);
	return n;
}

static int netif_addr4(int ifindex, struct in_addr a, int plen, bool add)
{
	struct nl_sock *sk = netif_sock();
	struct rtnl_addr *ra;
	struct nl_addr *la;
	char s[INET_ADDRSTRLEN];
	int err;

	if (!sk || !(ra = rtnl_addr_alloc()))
		return -1;
	if (!(la = netif_nladdr4(a, plen))) {
		rtnl_addr_put(ra);
		return -1;
	}
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET);
	rtnl_addr_set_local(ra, la);
	rtnl_addr_set_prefixlen(ra, plen);
	err = add ? rtnl_addr_add(sk, ra, 0) : rtnl_addr_delete(sk, ra, 0);
	nl_addr_put(la);
	rtnl_addr_put(ra);
	if (err == -NLE_EXIST || (!add && err == -NLE_NOADDR) ||
	    (!add && err == -NLE_OBJ_NOTFOUND))
		err = 0;
	if (err < 0)
		log_warnx("%s address %s/%d on ifindex %d: %s", add ? "add" : "delete",
			  inet_ntop(AF_INET, &a, s, sizeof(s)), plen, ifindex,
			  nl_geterror(err));
	return err < 0 ? -1 : 0;
}

int netif_addr4_add(int ifindex, struct in_addr a, int plen)
{
	return netif_addr4(ifindex, a, plen, true);
}

int netif_addr4_del(int ifindex, struct in_addr a, int plen)
{
	return netif_addr4(ifindex, a, plen, false);
}

static int netif_route4(struct in_addr dst, int plen, int ifindex,
			struct in_addr gw, bool onlink, bool add)
{
	struct nl_sock *sk = netif_sock();
	struct rtnl_route *r;
	struct rtnl_nexthop *nh;
	struct nl_addr *d, *g = NULL;
	char s[INET_ADDRSTRLEN];
	int err;

	if (!sk || !(r = rtnl_route_alloc()))
		return -1;
	dst.s_addr &= plen ? htonl(~0u << (32 - plen)) : 0;
	if (!(d = netif_nladdr4(dst, plen)) || !(nh = rtnl_route_nh_alloc())) {
		if (d)
			nl_addr_put(d);
		rtnl_route_put(r);
		return -1;
	}
	rtnl_route_set_family(r, AF_INET);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_dst(r, d);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw.s_addr) {
		g = nl_addr_build(AF_INET, &gw, 4);
		rtnl_route_nh_set_gateway(nh, g);
	}
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	rtnl_route_add_nexthop(r, nh);
	if (add) {
		err = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE);
	} else {
		rtnl_route_set_scope(r, RT_SCOPE_NOWHERE);
		err = rtnl_route_delete(sk, r, 0);
	}
	if (g)
		nl_addr_put(g);
	nl_addr_put(d);
	rtnl_route_put(r);
	if (!add && (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR))
		err = 0;
	if (err < 0)
		log_warnx("%s route %s/%d dev %d: %s", add ? "add" : "delete",
			  inet_ntop(AF_INET, &dst, s, sizeof(s)), plen, ifindex,
			  nl_geterror(err));
	return err < 0 ? -1 : 0;
}

int netif_route4_add(struct in_addr dst, int plen, int ifindex,
		     struct in_addr gw, bool onlink)
{
	return netif_route4(dst, plen, ifindex, gw, onlink, true);
}

int netif_route4_del(struct in_addr dst, int plen, int ifindex)
{
	struct in_addr none = { 0 };
	return netif_route4(dst, plen, ifindex, none, false, false);
}

static int netif_addr6(int ifindex, const struct in6_addr *a, int plen, unsigned flags,
		       bool add)
{
	struct nl_sock *sk = netif_sock();
	struct rtnl_addr *ra;
	struct nl_addr *la;
	char s[INET6_ADDRSTRLEN];
	int err;

	if (!sk || !(ra = rtnl_addr_alloc()))
		return -1;
	if (!(la = nl_addr_build(AF_INET6, a, 16))) {
		rtnl_addr_put(ra);
		return -1;
	}
	nl_addr_set_prefixlen(la, plen);
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rtnl_addr_set_local(ra, la);
	rtnl_addr_set_prefixlen(ra, plen);
	if (flags)
		rtnl_addr_set_flags(ra, flags);
	err = add ? rtnl_addr_add(sk, ra, 0) : rtnl_addr_delete(sk, ra, 0);
	nl_addr_put(la);
	rtnl_addr_put(ra);
	if (err == -NLE_EXIST || (!add && (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND)))
		err = 0;
	if (err < 0)
		log_warnx("%s address %s/%d on ifindex %d: %s", add ? "add" : "delete",
			  inet_ntop(AF_INET6, a, s, sizeof(s)), plen, ifindex, nl_geterror(err));
	return err < 0 ? -1 : 0;
}

int netif_addr6_add(int ifindex, const struct in6_addr *a, int plen, unsigned flags)
{
	return netif_addr6(ifindex, a, plen, flags, true);
}

int netif_addr6_del(int ifindex, const struct in6_addr *a, int plen)
{
	return netif_addr6(ifindex, a, plen, 0, false);
}

static int netif_route6(const struct in6_addr *dst, int plen, int ifindex,
			const struct in6_addr *gw, bool add)
{
	struct nl_sock *sk = netif_sock();
	struct rtnl_route *r;
	struct rtnl_nexthop *nh;
	struct nl_addr *d, *g = NULL;
	char s[INET6_ADDRSTRLEN];
	int err;

	if (!sk || !(r = rtnl_route_alloc()))
		return -1;
	if (!(d = nl_addr_build(AF_INET6, dst, 16)) || !(nh = rtnl_route_nh_alloc())) {
		if (d)
			nl_addr_put(d);
		rtnl_route_put(r);
		return -1;
	}
	nl_addr_set_prefixlen(d, plen);
	rtnl_route_set_family(r, AF_INET6);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_dst(r, d);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw) {
		g = nl_addr_build(AF_INET6, gw, 16);
		rtnl_route_nh_set_gateway(nh, g);
	}
	rtnl_route_add_nexthop(r, nh);
	if (add)
		err = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE);
	else {
		rtnl_route_set_scope(r, RT_SCOPE_NOWHERE);
		err = rtnl_route_delete(sk, r, 0);
	}
	if (g)
		nl_addr_put(g);
	nl_addr_put(d);
	rtnl_route_put(r);
	if (!add && (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR))
		err = 0;
	if (err < 0)
		log_warnx("%s route %s/%d dev %d: %s", add ? "add" : "delete",
			  inet_ntop(AF_INET6, dst, s, sizeof(s)), plen, ifindex, nl_geterror(err));
	return err < 0 ? -1 : 0;
}

int netif_route6_add(const struct in6_addr *dst, int plen, int ifindex,
		     const struct in6_addr *gw)
{
	return netif_route6(dst, plen, ifindex, gw, true);
}

int netif_route6_del(const struct in6_addr *dst, int plen, int ifindex)
{
	return netif_route6(dst, plen, ifindex, NULL, false);
}

/* What the kernel learnt from router advertisements on ifindex before
 * its owner set accept_ra=0: autoconfigured (non-permanent) global
 * addresses and routes with protocol "ra" (prefix and default routes). */
int netif_flush6_ra(int ifindex)
{
	struct nl_sock *sk = netif_sock();
	struct nl_cache *c = NULL;
	struct nl_object *o;
	int rc = 0;

	if (!sk)
		return -1;
	if (rtnl_addr_alloc_cache(sk, &c) < 0)
		return -1;
	for (o = nl_cache_get_first(c); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		if (rtnl_addr_get_family(a) != AF_INET6 || rtnl_addr_get_ifindex(a) != ifindex ||
		    rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE ||
		    (rtnl_addr_get_flags(a) & IFA_F_PERMANENT))
			continue;
		if (rtnl_addr_delete(sk, a, 0) < 0)
			rc = -1;
	}
	nl_cache_free(c);
	c = NULL;
	if (rtnl_route_alloc_cache(sk, AF_INET6, 0, &c) < 0)
		return -1;
	for (o = nl_cache_get_first(c); o; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct rtnl_nexthop *nh = rtnl_route_nexthop_n(r, 0);
		if (rtnl_route_get_protocol(r) != RTPROT_RA || !nh ||
		    rtnl_route_nh_get_ifindex(nh) != ifindex)
			continue;
		if (rtnl_route_delete(sk, r, 0) < 0)
			rc = -1;
	}
	nl_cache_free(c);
	if (rc < 0)
		log_warnx("ifindex %d: cannot remove what router advertisements configured", ifindex);
	return rc;
}

int netif_proxy6(int ifindex, const struct in6_addr *a, bool add)
{
	struct nl_sock *sk = netif_sock();
	struct rtnl_neigh *n;
	struct nl_addr *na;
	char s[INET6_ADDRSTRLEN];
	int err;

	if (!sk || !(n = rtnl_neigh_alloc()))
		return -1;
	if (!(na = nl_addr_build(AF_INET6, a, 16))) {
		rtnl_neigh_put(n);
		return -1;
	}
	rtnl_neigh_set_ifindex(n, ifindex);
	rtnl_neigh_set_family(n, AF_INET6);
	rtnl_neigh_set_dst(n, na);
	rtnl_neigh_set_flags(n, NTF_PROXY);
	err = add ? rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE) :
		    rtnl_neigh_delete(sk, n, 0);
	nl_addr_put(na);
	rtnl_neigh_put(n);
	if (!add && (err == -NLE_OBJ_NOTFOUND || err == -NLE_NOADDR))
		err = 0;
	if (err < 0)
		log_warnx("%s proxy neighbour %s on ifindex %d: %s", add ? "add" : "delete",
			  inet_ntop(AF_INET6, a, s, sizeof(s)), ifindex, nl_geterror(err));
	return err < 0 ? -1 : 0;
}

int netif_sysctl(const char *path, const char *value)
{
	char p[256];
	int fd;
	ssize_t n;

	snprintf(p, sizeof(p), "/proc/sys/%s", path);
	if ((fd = open(p, O_WRONLY | O_CLOEXEC)) < 0) {
		log_warn("open %s", p);
		return -1;
	}
	n = write(fd, value, strlen(value));
	if (n < 0)
		log_warn("write %s", p);
	close(fd);
	return n < 0 ? -1 : 0;
}

int tun_open(char name[16])
{
	struct ifreq ifr = { 0 };
	int fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK)) < 0) {
		log_warn("open /dev/net/tun");
		return -1;
	}
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		log_warn("ioctl TUNSETIFF %s", name);
		close(fd);
		return -1;
	}
	snprintf(name, 16, "%s", ifr.ifr_name);
	return fd;
}

int linkmon_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_ROUTE);
	if (fd < 0) {
		log_warn("socket NETLINK_ROUTE");
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_warn("bind RTMGRP_LINK");
		close(fd);
		return -1;
	}
	return fd;
}

void linkmon_read(int fd, linkmon_cb cb, void *arg)
{
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *ifi;
			char name[IF_NAMESIZE] = "";
			if (h->nlmsg_type != RTM_NEWLINK ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			ifi = NLMSG_DATA(h);
			if_indextoname((unsigned)ifi->ifi_index, name);
			cb(ifi->ifi_index, name, (ifi->ifi_flags & IFF_UP) &&
			   (ifi->ifi_flags & IFF_RUNNING), arg);
		}
	}
}
