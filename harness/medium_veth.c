/* medium_veth.c — veth pairs through libnl-route-3. */
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <stdio.h>
#include <unistd.h>
#include "medium_veth.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000	/* linux/if.h, which clashes with net/if.h */
#endif

static int medium_veth_up(struct nl_sock *nl, int ifindex)
{
	struct rtnl_link *orig = rtnl_link_alloc(), *chg = rtnl_link_alloc();
	int r = -1;
	if (orig && chg) {
		rtnl_link_set_ifindex(orig, ifindex);
		rtnl_link_set_flags(chg, IFF_UP);
		r = rtnl_link_change(nl, orig, chg, 0);
	}
	rtnl_link_put(orig);
	rtnl_link_put(chg);
	return r;
}

int medium_veth_make(struct nl_sock *nl, const char *a, const char *b,
		     int *ia, int *ib, char *err, size_t errlen)
{
	int r = rtnl_link_veth_add(nl, a, b, getpid());
	if (r < 0) {
		snprintf(err, errlen, "rtnl_link_veth_add(%s, %s): %s", a, b, nl_geterror(r));
		return -1;
	}
	*ia = (int)if_nametoindex(a);
	*ib = (int)if_nametoindex(b);
	if (*ia <= 0 || *ib <= 0) {
		snprintf(err, errlen, "if_nametoindex(%s/%s): expected an index, got none", a, b);
		return -1;
	}
	if ((r = medium_veth_up(nl, *ia)) < 0 || (r = medium_veth_up(nl, *ib)) < 0) {
		snprintf(err, errlen, "rtnl_link_change(%s/%s up): %s", a, b, nl_geterror(r));
		return -1;
	}
	return 0;
}

int medium_veth_carrier(struct nl_sock *nl, int ifindex)
{
	struct rtnl_link *l = NULL;
	if (rtnl_link_get_kernel(nl, ifindex, NULL, &l) < 0)
		return -1;
	int up = (rtnl_link_get_flags(l) & IFF_LOWER_UP) != 0;
	rtnl_link_put(l);
	return up;
}
