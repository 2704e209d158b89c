/* build.c — namespaces, veth pairs, addresses and routes of a run, built
 * through netlink with libnl-route-3 (DESIGN.md "Lifecycle"). Nothing is
 * created in the host's root namespace: the caller already sits in the
 * run's private fabric namespace, and every node namespace is held by a
 * descriptor of the orchestrator, so it goes when the orchestrator goes. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

#include "build.h"
#include "util.h"



static int sysctl_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static struct nl_sock *route_socket(char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	int r;
	if (!sk) {
		ERR("nl_socket_alloc: out of memory");
		return NULL;
	}
	if ((r = nl_connect(sk, NETLINK_ROUTE)) < 0) {
		ERR("nl_connect(NETLINK_ROUTE): %s", nl_geterror(r));
		nl_socket_free(sk);
		return NULL;
	}
	return sk;
}

int build_fabric(struct build *b, struct topo *t, char *err, size_t errlen)
{
	memset(b, 0, sizeof(*b));
	b->t = t;
	b->fabric_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (b->fabric_fd < 0)
		return ERR("open(/proc/self/ns/net): %s", strerror(errno));
	/* The fabric carries frames, it speaks no IP: no link-local addresses,
	 * no DAD, no MLD on its ports. */
	sysctl_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	sysctl_write("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	b->nodes = calloc((size_t)t->n_nodes + 1, sizeof(*b->nodes));
	b->fabric_ifindex = calloc((size_t)t->n_ifaces + 1, sizeof(int));
	b->node_ifindex = calloc((size_t)t->n_ifaces + 1, sizeof(int));
	if (!b->nodes || !b->fabric_ifindex || !b->node_ifindex)
		return ERR("out of memory");
	for (int i = 0; i < t->n_nodes; i++)
		b->nodes[i].nsfd = -1;
	if (!(b->fabric_sk = route_socket(err, errlen)))
		return -1;
	return 0;
}

static const char *node_conf(const struct topo_node *n, const char *key)
{
	for (int i = 0; i < n->n_conf; i++)
		if (!strcmp(n->conf[i].key, key))
			return n->conf[i].val;
	return NULL;
}

/* Sets an interface of the calling thread's namespace up. */
static int if_up(const char *name)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = -1;
	if (s < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return r;
}

/* Frames leave a node as they would leave a real NIC: checksummed, no
 * larger than the MTU (no TSO super-frames), so that impairments and
 * captures see each packet as sent on the wire. */
static void if_no_offloads(const char *name)
{
	static const uint32_t cmds[] = { ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_STXCSUM };
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct ethtool_value ev = { cmds[i], 0 };
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		ifr.ifr_data = (void *)&ev;
		ioctl(s, SIOCETHTOOL, &ifr);	/* best effort: a missing offload is fine */
	}
	close(s);
}

/* Inside a node's new namespace: the per-namespace settings that
 * must precede the interfaces, and lo up. */
static int holder_setup(const struct topo_node *n, bool ipv6)
{
	const char *dad = node_conf(n, "dad");
	bool dad_on = dad && (!strcmp(dad, "on") || !strcmp(dad, "optimistic"));
	if (!ipv6) {	/* an IPv4-only topology: no link-local chatter either */
		sysctl_write("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
		sysctl_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	}
	if (!dad_on) {
		sysctl_write("/proc/sys/net/ipv6/conf/all/accept_dad", "0");
		sysctl_write("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
	} else if (!strcmp(dad, "optimistic")) {
		sysctl_write("/proc/sys/net/ipv6/conf/all/optimistic_dad", "1");
		sysctl_write("/proc/sys/net/ipv6/conf/default/optimistic_dad", "1");
	}
	if (n->forward) {
		if (sysctl_write("/proc/sys/net/ipv4/ip_forward", "1") < 0)
			return -1;
		sysctl_write("/proc/sys/net/ipv6/conf/all/forwarding", "1");
		sysctl_write("/proc/sys/net/ipv6/conf/default/forwarding", "1");
	}
	return if_up("lo");
}

int build_namespaces(struct build *b, char *err, size_t errlen)
{
	struct topo *t = b->t;
	bool ipv6 = false;

	for (int i = 0; i < t->n_ifaces; i++)
		ipv6 |= t->ifaces[i].v6.family != 0;
	/* Each node's namespace is made by this thread and held by a descriptor
	 * of this process: no process per node, and when the orchestrator dies
	 * the kernel closes the descriptors and frees the namespaces. */
	for (int i = 0; i < t->n_nodes; i++) {
		if (unshare(CLONE_NEWNET) < 0)
			return ERR("unshare(CLONE_NEWNET) for node %s: %s", t->nodes[i].name, strerror(errno));
		b->nodes[i].nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if (b->nodes[i].nsfd < 0 || holder_setup(&t->nodes[i], ipv6) < 0) {
			int e = errno;
			if (setns(b->fabric_fd, CLONE_NEWNET) < 0)
				abort();
			return ERR("node %s: %s: %s", t->nodes[i].name, b->nodes[i].nsfd < 0 ?
				   "open(/proc/thread-self/ns/net)" : "sysctl or lo up", strerror(e));
		}
		if (setns(b->fabric_fd, CLONE_NEWNET) < 0)
			abort();	/* broken invariant: the orchestrator must stay in the fabric */
	}
	return 0;
}

int build_links(struct build *b, char *err, size_t errlen)
{
	struct topo *t = b->t;
	char name[IFNAMSIZ];

	for (int i = 0; i < t->n_ifaces; i++) {
		struct topo_iface *ifc = &t->ifaces[i];
		struct rtnl_link *l = rtnl_link_veth_alloc(), *peer;
		struct nl_addr *mac;
		int r;

		if (!l)
			return ERR("rtnl_link_veth_alloc: out of memory");
		snprintf(name, sizeof(name), "p%d", i);
		rtnl_link_set_name(l, name);
		rtnl_link_set_flags(l, IFF_UP);
		peer = rtnl_link_veth_get_peer(l);
		rtnl_link_set_name(peer, ifc->name);
		/* the node's end comes up inside its namespace (build_configure):
		 * the kernel refuses IFF_UP on a peer created in another namespace */
		rtnl_link_set_ns_fd(peer, b->nodes[ifc->node].nsfd);
		mac = nl_addr_build(AF_LLC, ifc->mac, 6);
		if (mac) {
			rtnl_link_set_addr(peer, mac);
			nl_addr_put(mac);
		}
		r = rtnl_link_add(b->fabric_sk, l, NLM_F_CREATE | NLM_F_EXCL);
		rtnl_link_put(peer);
		rtnl_link_put(l);
		if (r < 0)
			return ERR("netlink RTM_NEWLINK veth %s/%s:%s: %s", name,
				   t->nodes[ifc->node].name, ifc->name, nl_geterror(r));
		b->fabric_ifindex[i] = (int)if_nametoindex(name);
		if (!b->fabric_ifindex[i])
			return ERR("if_nametoindex(%s): %s", name, strerror(errno));
	}
	return 0;
}

int build_in_node(struct build *b, int node, int (*fn)(void *), void *arg)
{
	int r, e;
	if (setns(b->nodes[node].nsfd, CLONE_NEWNET) < 0)
		return -errno;
	r = fn(arg);
	e = errno;
	if (setns(b->fabric_fd, CLONE_NEWNET) < 0)
		abort();	/* broken invariant: the orchestrator must stay in the fabric */
	errno = e;
	return r;
}

static struct nl_addr *prefix_addr(const struct topo_prefix *p, bool whole_prefix)
{
	struct nl_addr *a = nl_addr_build(p->family, p->addr, p->family == AF_INET ? 4 : 16);
	if (a)
		nl_addr_set_prefixlen(a, p->plen);
	(void)whole_prefix;
	return a;
}

static int addr_op(struct nl_sock *sk, int ifindex, const struct topo_prefix *p, bool add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local = prefix_addr(p, false);
	int r;
	if (!a || !local) {
		rtnl_addr_put(a);
		nl_addr_put(local);
		return -NLE_NOMEM;
	}
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_local(a, local);
	if (p->family == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	r = add ? rtnl_addr_add(sk, a, NLM_F_CREATE | NLM_F_REPLACE) : rtnl_addr_delete(sk, a, 0);
	nl_addr_put(local);
	rtnl_addr_put(a);
	return r;
}

static int route_op(struct nl_sock *sk, int ifindex, const struct topo_route *rt, bool add)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = prefix_addr(&rt->dst, true), *gw = NULL;
	int e;
	if (!r || !nh || !dst) {
		e = -NLE_NOMEM;
		goto out;
	}
	rtnl_route_set_family(r, (uint8_t)rt->dst.family);
	rtnl_route_set_dst(r, dst);
	rtnl_route_set_protocol(r, RTPROT_STATIC);
	rtnl_route_set_table(r, RT_TABLE_MAIN);
	rtnl_route_set_scope(r, RT_SCOPE_UNIVERSE);
	if (ifindex > 0)
		rtnl_route_nh_set_ifindex(nh, ifindex);
	if (rt->via.family) {
		gw = nl_addr_build(rt->via.family, rt->via.addr, rt->via.family == AF_INET ? 4 : 16);
		rtnl_route_nh_set_gateway(nh, gw);
	}
	rtnl_route_add_nexthop(r, nh);
	nh = NULL;
	e = add ? rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE) : rtnl_route_delete(sk, r, 0);
out:
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(gw);
	nl_addr_put(dst);
	rtnl_route_put(r);
	return e;
}

struct cfg_ctx {
	struct build *b;
	int node;
	char *err;
	size_t errlen;
	const struct topo_iface *old_if;
	const struct topo_route *old_routes;
	int n_old;
};

static int cfg_routes(struct cfg_ctx *c, bool add, const struct topo_route *rts, int n)
{
	struct build *b = c->b;
	const struct topo_node *nd = &b->t->nodes[c->node];
	char *err = c->err;
	size_t errlen = c->errlen;
	char dbuf[64], vbuf[64];

	for (int k = 0; k < n; k++) {
		const struct topo_route *rt = &rts[k];
		int ifx = rt->iface >= 0 ? b->node_ifindex[rt->iface] : 0;
		int r = route_op(b->nodes[c->node].sk, ifx, rt, add);
		if (r < 0 && add) {
			topo_prefix_str(&rt->dst, true, dbuf, sizeof(dbuf));
			topo_prefix_str(&rt->via, false, vbuf, sizeof(vbuf));
			return ERR("node %s: netlink RTM_NEWROUTE %s via %s: %s", nd->name,
				   dbuf, rt->via.family ? vbuf : "-", nl_geterror(r));
		}
	}
	return 0;
}

static int cfg_addrs(struct cfg_ctx *c, const struct topo_iface *ifc, int ifindex, bool add)
{
	const struct topo_prefix *ps[2] = { &ifc->v4, &ifc->v6 };
	char *err = c->err;
	size_t errlen = c->errlen;
	char abuf[64];
	for (int k = 0; k < 2; k++) {
		int r;
		if (!ps[k]->family)
			continue;
		r = addr_op(c->b->nodes[c->node].sk, ifindex, ps[k], add);
		if (r < 0 && add) {
			topo_prefix_str(ps[k], true, abuf, sizeof(abuf));
			return ERR("node %s: netlink RTM_NEWADDR %s on %s: %s",
				   c->b->t->nodes[c->node].name, abuf, ifc->name, nl_geterror(r));
		}
	}
	return 0;
}

static int cfg_node(void *arg)
{
	struct cfg_ctx *c = arg;
	struct build *b = c->b;
	struct topo *t = b->t;
	struct topo_node *nd = &t->nodes[c->node];
	char *err = c->err;
	size_t errlen = c->errlen;

	if (!b->nodes[c->node].sk && !(b->nodes[c->node].sk = route_socket(err, errlen)))
		return -1;
	for (int k = 0; k < nd->n_ifaces; k++) {
		int i = nd->ifaces[k];
		b->node_ifindex[i] = (int)if_nametoindex(t->ifaces[i].name);
		if (!b->node_ifindex[i])
			return ERR("node %s: if_nametoindex(%s): %s", nd->name,
				   t->ifaces[i].name, strerror(errno));
		if_no_offloads(t->ifaces[i].name);
		if (if_up(t->ifaces[i].name) < 0)
			return ERR("node %s: ioctl(SIOCSIFFLAGS, %s up): %s", nd->name,
				   t->ifaces[i].name, strerror(errno));
		if (cfg_addrs(c, &t->ifaces[i], b->node_ifindex[i], true) < 0)
			return -1;
	}
	return cfg_routes(c, true, nd->routes, nd->n_routes);
}

int build_configure(struct build *b, char *err, size_t errlen)
{
	for (int n = 0; n < b->t->n_nodes; n++) {
		struct cfg_ctx c = { b, n, err, errlen, NULL, NULL, 0 };
		int r = build_in_node(b, n, cfg_node, &c);
		if (r < 0) {
			if (r != -1 && !err[0])
				ERR("setns into node %s: %s", b->t->nodes[n].name, strerror(-r));
			return -1;
		}
	}
	return 0;
}

static int cfg_readdress(void *arg)
{
	struct cfg_ctx *c = arg;
	struct build *b = c->b;
	const struct topo_node *nd = &b->t->nodes[c->node];
	int ifx = 0;

	for (int k = 0; k < nd->n_ifaces; k++)
		if (!strcmp(b->t->ifaces[nd->ifaces[k]].name, c->old_if->name))
			ifx = b->node_ifindex[nd->ifaces[k]];
	cfg_routes(c, false, c->old_routes, c->n_old);
	if (ifx)
		cfg_addrs(c, c->old_if, ifx, false);
	for (int k = 0; k < nd->n_ifaces; k++) {
		int i = nd->ifaces[k];
		if (strcmp(b->t->ifaces[i].name, c->old_if->name))
			continue;
		if (cfg_addrs(c, &b->t->ifaces[i], b->node_ifindex[i], true) < 0)
			return -1;
	}
	return cfg_routes(c, true, nd->routes, nd->n_routes);
}

int build_node_readdress(struct build *b, int node, const struct topo_iface *old_if,
			 const struct topo_route *old_routes, int n_old_routes,
			 char *err, size_t errlen)
{
	struct cfg_ctx c = { b, node, err, errlen, old_if, old_routes, n_old_routes };
	int r = build_in_node(b, node, cfg_readdress, &c);
	if (r < -1)
		return ERR("setns into node %s: %s", b->t->nodes[node].name, strerror(-r));
	return r;
}

void build_free(struct build *b)
{
	if (b->nodes)
		for (int i = 0; i < b->t->n_nodes; i++) {
			if (b->nodes[i].sk)
				nl_socket_free(b->nodes[i].sk);
			if (b->nodes[i].nsfd >= 0)
				close(b->nodes[i].nsfd);
		}
	if (b->fabric_sk)
		nl_socket_free(b->fabric_sk);
	if (b->fabric_fd >= 0)
		close(b->fabric_fd);
	free(b->nodes);
	free(b->fabric_ifindex);
	free(b->node_ifindex);
	memset(b, 0, sizeof(*b));
	b->fabric_fd = -1;
}
