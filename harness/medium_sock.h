/* medium_sock.h — the medium's one AF_PACKET socket over every fabric port:
 * not bound to a device (it hears every interface of the fabric namespace),
 * a classic BPF filter that keeps only frames received on a port, and the
 * ifindex -> port table the thread looks each frame up in. */
#ifndef ROAM_MEDIUM_SOCK_H
#define ROAM_MEDIUM_SOCK_H
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#define MEDIUM_FILTER_MAX BPF_MAXINSNS	/* 4096: the kernel's limit */

struct medium;

/* Builds a socket filter that accepts a frame when it was not sent by this
 * host (pkttype != PACKET_OUTGOING) and its ifindex is one of ifx[0..n)
 * (sorted ascending, no duplicates): a binary search down to leaves of a
 * few compares. When the exact program would exceed max instructions, a
 * range check [ifx[0], ifx[n-1]] is built instead and *exact is false.
 * Returns the number of instructions, or -1 if even that does not fit. */
int medium_filter_build(const int *ifx, int n, struct sock_filter *out, int max, bool *exact);

/* Opens m->fd: SOCK_RAW, ETH_P_ALL, PACKET_VNET_HDR, PACKET_IGNORE_OUTGOING,
 * the filter above over every port, buffers sized for the port count; then
 * binds it to every interface (ifindex 0). 0, or -1 with a message. */
int medium_sock_open(struct medium *m, char *err, size_t errlen);
void medium_sock_close(struct medium *m);

/* Builds the ifindex -> port table from m->ports. false: out of memory. */
bool medium_ifx_map(struct medium *m);
/* The port whose fabric end has this ifindex, or -1. */
int medium_ifx_port(const struct medium *m, int ifindex);
#endif
