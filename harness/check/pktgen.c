/* pktgen.c — frames with correct checksums, and a pcap writer (libpcap). */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include "../../nodes/traffic/payload.h"
#include "pktgen.h"

struct pg_writer { pcap_t *p; pcap_dumper_t *d; };

struct pg_writer *pg_open(const char *path, char *err, size_t errlen)
{
	struct pg_writer *w = calloc(1, sizeof *w);

	w->p = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (!w->p || !(w->d = pcap_dump_open(w->p, path))) {
		snprintf(err, errlen, "pcap_dump_open %s: %s", path, w->p ? pcap_geterr(w->p) : "no handle");
		if (w->p)
			pcap_close(w->p);
		free(w);
		return NULL;
	}
	return w;
}

void pg_write_cut(struct pg_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len, size_t caplen)
{
	struct pcap_pkthdr h;

	h.ts.tv_sec = (time_t)(ts_ns / 1000000000ull);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000ull);	/* ns with NANO precision */
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->d, &h, frame);
}

void pg_write(struct pg_writer *w, uint64_t ts_ns, const uint8_t *frame, size_t len)
{
	pg_write_cut(w, ts_ns, frame, len, len);
}

void pg_close(struct pg_writer *w)
{
	if (!w)
		return;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
}

void pg_addr6(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		abort();
}

static void pg_addr4(const char *s, uint8_t out[4])
{
	if (inet_pton(AF_INET, s, out) != 1)
		abort();
}

static uint32_t pg_sum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t pg_fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void pg_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static size_t pg_eth(uint8_t *out, const uint8_t smac[6], const uint8_t dmac[6], uint16_t type)
{
	memcpy(out, dmac, 6);
	memcpy(out + 6, smac, 6);
	pg_put16(out + 12, type);
	return 14;
}

size_t pg_frame6(uint8_t *out, const uint8_t smac[6], const uint8_t dmac[6],
		 const char *src, const char *dst, uint8_t hlim, uint8_t nxt,
		 const uint8_t *payload, size_t plen, int sum_off)
{
	size_t o = pg_eth(out, smac, dmac, 0x86dd);
	uint8_t *ip = out + o;

	memset(ip, 0, 40);
	ip[0] = 0x60;
	pg_put16(ip + 4, (uint16_t)plen);
	ip[6] = nxt;
	ip[7] = hlim;
	pg_addr6(src, ip + 8);
	pg_addr6(dst, ip + 24);
	memcpy(ip + 40, payload, plen);
	if (sum_off >= 0) {
		uint8_t *pl = ip + 40;
		pg_put16(pl + sum_off, 0);
		uint32_t s = pg_sum(ip + 8, 32, 0);
		s += (uint32_t)(plen >> 16) + (uint32_t)(plen & 0xffff) + nxt;
		uint16_t c = pg_fold(pg_sum(pl, plen, s));
		pg_put16(pl + sum_off, nxt == 17 && c == 0 ? 0xffff : c);
	}
	return o + 40 + plen;
}

size_t pg_frame4(uint8_t *out, const uint8_t smac[6], const uint8_t dmac[6],
		 const char *src, const char *dst, uint8_t ttl, uint8_t proto,
		 uint16_t frag, int bad_sum, const uint8_t *payload, size_t plen,
		 enum pg_sum sum, int sum_off)
{
	size_t o = pg_eth(out, smac, dmac, 0x0800);
	uint8_t *ip = out + o;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	pg_put16(ip + 2, (uint16_t)(20 + plen));
	pg_put16(ip + 4, 0x1234);
	pg_put16(ip + 6, frag);
	ip[8] = ttl;
	ip[9] = proto;
	pg_addr4(src, ip + 12);
	pg_addr4(dst, ip + 16);
	pg_put16(ip + 10, (uint16_t)(pg_fold(pg_sum(ip, 20, 0)) ^ (bad_sum ? 0x5a5a : 0)));
	memcpy(ip + 20, payload, plen);
	uint8_t *pl = ip + 20;
	if (sum != PG_SUM_NONE && sum_off >= 0) {
		pg_put16(pl + sum_off, 0);
		uint32_t s = 0;
		if (sum == PG_SUM_PSEUDO)
			s = pg_sum(ip + 12, 8, 0) + proto + (uint32_t)plen;
		uint16_t c = pg_fold(pg_sum(pl, plen, s));
		pg_put16(pl + sum_off, proto == 17 && c == 0 ? 0xffff : c);
	}
	return o + 20 + plen;
}

size_t pg_arp(uint8_t *out, uint16_t op, const uint8_t sha[6], const char *spa,
	      const uint8_t tha[6], const char *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	size_t o = pg_eth(out, sha, op == 1 ? bcast : tha, 0x0806);
	uint8_t *a = out + o;

	pg_put16(a, 1);
	pg_put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	pg_put16(a + 6, op);
	memcpy(a + 8, sha, 6);
	pg_addr4(spa, a + 14);
	memcpy(a + 18, tha, 6);
	pg_addr4(tpa, a + 24);
	return o + 28;
}

size_t pg_udp(uint8_t *out, uint16_t sport, uint16_t dport, const uint8_t *data, size_t len)
{
	pg_put16(out, sport);
	pg_put16(out + 2, dport);
	pg_put16(out + 4, (uint16_t)(8 + len));
	pg_put16(out + 6, 0);
	memcpy(out + 8, data, len);
	return 8 + len;
}

size_t pg_traffic(uint8_t *out, uint32_t flow, uint32_t seq, uint64_t sent_ns, size_t len)
{
	if (len < ROAM_PAYLOAD_LEN)
		len = ROAM_PAYLOAD_LEN;
	memset(out, 0, len);
	uint32_t v[3] = { htonl(ROAM_PAYLOAD_MAGIC), htonl(flow), htonl(seq) };
	memcpy(out, v, 12);
	for (int i = 0; i < 8; i++)
		out[12 + i] = (uint8_t)(sent_ns >> (56 - 8 * i));
	return len;
}
