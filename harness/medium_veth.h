/* medium_veth.h — a veth pair in the current namespace, both ends up:
 * the medium's tests and benchmark build their links with it. */
#ifndef ROAM_MEDIUM_VETH_H
#define ROAM_MEDIUM_VETH_H
#include <stddef.h>

struct nl_sock;
/* Creates a <-> b, sets both up, returns 0 and their ifindexes, or -1 with
 * a message. */
int medium_veth_make(struct nl_sock *nl, const char *a, const char *b,
		     int *ia, int *ib, char *err, size_t errlen);
/* 1 if ifindex has carrier (IFF_LOWER_UP), 0 if not, -1 on error. */
int medium_veth_carrier(struct nl_sock *nl, int ifindex);
#endif
