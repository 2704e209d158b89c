/* pktgen.h — building frames byte by byte with correct checksums and
 * writing them to a pcap (ns timestamps, Ethernet): the golden captures,
 * the unit tests and the benchmark of the conformance engine. */
#ifndef ROAM_PKTGEN_H
#define ROAM_PKTGEN_H
#include <stddef.h>
#include <stdint.h>

#define PG_MAX 2048

enum pg_sum { PG_SUM_NONE, PG_SUM_PSEUDO, PG_SUM_PLAIN };

struct pg_writer;
struct pg_writer *pg_open(const char *path, char *err, size_t errlen);
void pg_write(struct pg_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* Writes len bytes of which only caplen were captured. */
void pg_write_cut(struct pg_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len, size_t caplen);
void pg_close(struct pg_writer *w);

/* Ethernet + IPv6 + payload; if sum_off >= 0, the 16-bit checksum at
 * payload[sum_off] is computed (pseudo-header, next header nxt). Returns the
 * frame length. */
size_t pg_frame6(uint8_t *out, const uint8_t smac[6], const uint8_t dmac[6],
		 const char *src, const char *dst, uint8_t hlim, uint8_t nxt,
		 const uint8_t *payload, size_t plen, int sum_off);
/* Ethernet + IPv4 (header checksum computed unless bad_sum) + payload;
 * sum = PSEUDO (UDP, TCP) or PLAIN (ICMP) for the checksum at payload[sum_off].
 * frag: the 16-bit flags+offset word (0x2000 = MF). */
size_t pg_frame4(uint8_t *out, const uint8_t smac[6], const uint8_t dmac[6],
		 const char *src, const char *dst, uint8_t ttl, uint8_t proto,
		 uint16_t frag, int bad_sum, const uint8_t *payload, size_t plen,
		 enum pg_sum sum, int sum_off);
/* Ethernet + ARP (op 1 request, 2 reply). */
size_t pg_arp(uint8_t *out, uint16_t op, const uint8_t sha[6], const char *spa,
	      const uint8_t tha[6], const char *tpa);
/* UDP header + data into out (checksum 0, filled by pg_frame*). */
size_t pg_udp(uint8_t *out, uint16_t sport, uint16_t dport, const uint8_t *data, size_t len);
/* roam's traffic payload (payload.h), padded with zeros to len >= 20. */
size_t pg_traffic(uint8_t *out, uint32_t flow, uint32_t seq, uint64_t sent_ns, size_t len);
/* A capture of n frames that are all mobility signalling (pgmob.c): n_mn
 * Mobile IPv6 and n_mn Mobile IPv4 nodes registering from a new care-of
 * address each turn, with replies, tunnelled data, return routability and
 * route-optimised data. 0, or -1 with err. */
int pg_mobility(const char *path, uint64_t n, int n_mn, char *err, size_t errlen);
/* "fe80::1" -> 16 bytes (aborts on a bad literal: callers pass constants). */
void pg_addr6(const char *s, uint8_t out[16]);
#endif
