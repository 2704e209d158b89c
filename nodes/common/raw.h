/* raw.h — raw IPv4/IPv6 sockets and AF_PACKET helpers. */
#ifndef ROAM_RAW_H
#define ROAM_RAW_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* An IPv4 socket that sends whole datagrams (IPPROTO_RAW, IP_HDRINCL). */
int raw4_open_send(void);
/* Sends a whole IPv4 datagram to the destination in its header. */
ssize_t raw4_send(int fd, const void *pkt, size_t len);
/* An IPv4 socket receiving every datagram of protocol proto, header
 * included (e.g. IPPROTO_IPIP, IPPROTO_ICMP). */
int raw4_open_proto(int proto);
/* An IPv6 socket that sends whole header chains (IPPROTO_RAW). */
int raw6_open_send(void);

/* AF_PACKET socket bound to ifindex receiving ethertype (ETH_P_ALL for all);
 * dgram: SOCK_DGRAM (no link header) else SOCK_RAW. Non-blocking. */
int pkt_open(int ifindex, uint16_t ethertype, int dgram);
/* Sends a datagram (SOCK_DGRAM socket) to dst MAC with ethertype. */
ssize_t pkt_send(int fd, int ifindex, const uint8_t dst[6], uint16_t ethertype,
		 const void *buf, size_t len);
/* Receives one frame; src MAC and pkttype (PACKET_HOST, PACKET_OUTGOING...)
 * returned when the pointers are not NULL. */
ssize_t pkt_recv(int fd, void *buf, size_t len, uint8_t src[6], int *pkttype);
#endif
