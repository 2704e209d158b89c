/* build.h — turns a resolved topology into namespaces, veth pairs,
 * addresses and routes, through netlink (libnl-route-3). Runs in the
 * orchestrator, which sits in the fabric namespace. */
#ifndef ROAM_BUILD_H
#define ROAM_BUILD_H
#include <sys/types.h>
#include "topo.h"

struct nl_sock;

struct build_node {
	int nsfd;		/* holds the node's namespace (roam exec opens
				 * /proc/<orchestrator>/fd/<nsfd>) */
	struct nl_sock *sk;	/* route socket inside the node's namespace */
};

struct build {
	struct topo *t;
	int fabric_fd;		/* the fabric namespace (the orchestrator's own) */
	struct nl_sock *fabric_sk;
	struct build_node *nodes;	/* per topo node */
	int *fabric_ifindex;	/* per topo interface: the fabric side */
	int *node_ifindex;	/* per topo interface: inside its node */
};

/* Prepares the fabric namespace the caller is already in. */
int build_fabric(struct build *b, struct topo *t, char *err, size_t errlen);
/* Makes one network namespace per node, held by a descriptor. */
int build_namespaces(struct build *b, char *err, size_t errlen);
/* veth pairs: fabric end "p<N>" here, node end in the node's namespace. */
int build_links(struct build *b, char *err, size_t errlen);
/* lo, sysctls, addresses, routes in every node. */
int build_configure(struct build *b, char *err, size_t errlen);
/* Re-applies a node's addresses and routes after the topology changed (a
 * station moved): removes old_if's addresses and old_routes, then sets the
 * node's current ones from the topology. */
int build_node_readdress(struct build *b, int node, const struct topo_iface *old_if,
			 const struct topo_route *old_routes, int n_old_routes,
			 char *err, size_t errlen);
/* Runs fn(arg) with the calling thread inside the node's namespace. */
int build_in_node(struct build *b, int node, int (*fn)(void *), void *arg);
void build_free(struct build *b);	/* frees memory; the kernel frees the rest */
#endif
