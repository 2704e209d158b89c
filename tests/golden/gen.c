/* gen.c — the golden captures of the conformance engine, built frame by
 * frame with correct checksums (harness/check/pktgen.h), each with one fault
 * or none; and two helpers for the golden scripts:
 *   gen golden DIR             write every captures/golden pcap into DIR
 *   gen check ARGS...          the engine's `roam check` (until bin/roam has it)
 *   gen fields FILE a,b,c      one line per frame: the decoded values, tab-separated */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/check.h"
#include "check/pktgen.h"
#include "decode/decode.h"

static const uint8_t MAC_R[6] = { 2, 0, 0, 0, 0, 1 };	/* router */
static const uint8_t MAC_H[6] = { 2, 0, 0, 0, 0, 2 };	/* host */
static const uint8_t MAC_MC1[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const uint8_t MAC_ZERO[6] = { 0 };
#define T0 1700000000000000000ull
#define MS 1000000ull

struct nd_faults {
	int ra_hlim, ns_code, dad_sll, na_s_mcast, optlen0;
	const char *ra_src, *dad_dst, *ns_target, *redir_src;
	double ra_gap;			/* seconds between the two unsolicited RAs */
};

static const struct nd_faults nd_good = {
	.ra_hlim = 255, .ra_src = "fe80::1", .dad_dst = "ff02::1:ff00:2",
	.ns_target = "fe80::1", .redir_src = "fe80::1", .ra_gap = 0.5,
};

static size_t opt_lla(uint8_t *o, uint8_t type, const uint8_t mac[6])
{
	o[0] = type;
	o[1] = 1;
	memcpy(o + 2, mac, 6);
	return 8;
}

static size_t msg_ra(uint8_t *m, const struct nd_faults *f)
{
	memset(m, 0, 16);
	m[0] = 134;
	m[4] = 64;			/* cur hop limit */
	m[6] = 0x07; m[7] = 0x08;	/* router lifetime 1800 s */
	size_t n = 16 + opt_lla(m + 16, 1, MAC_R);
	uint8_t *a = m + n;		/* advertisement interval 1000 ms */
	memset(a, 0, 8);
	a[0] = 7;
	a[1] = f->optlen0 ? 0 : 1;
	a[6] = 0x03; a[7] = 0xe8;
	n += 8;
	uint8_t *p = m + n;		/* prefix 2001:db8::/64, L A */
	memset(p, 0, 32);
	p[0] = 3; p[1] = 4; p[2] = 64; p[3] = 0xc0;
	memset(p + 4, 0xff, 8);
	pg_addr6("2001:db8::", p + 16);
	return n + 32;
}

static size_t msg_ns(uint8_t *m, uint8_t code, const char *target, bool sll)
{
	memset(m, 0, 24);
	m[0] = 135;
	m[1] = code;
	pg_addr6(target, m + 8);
	return 24 + (sll ? opt_lla(m + 24, 1, MAC_H) : 0);
}

static size_t msg_na(uint8_t *m, uint8_t flags, const char *target)
{
	memset(m, 0, 24);
	m[0] = 136;
	m[4] = flags;
	pg_addr6(target, m + 8);
	return 24 + opt_lla(m + 24, 2, MAC_R);
}

static void nd_capture(const char *path, const struct nd_faults *f)
{
	char err[256];
	struct pg_writer *w = pg_open(path, err, sizeof err);
	uint8_t m[256], fr[PG_MAX];
	size_t n, k;
	uint64_t t = T0;

	if (!w) {
		fprintf(stderr, "gen: %s\n", err);
		exit(3);
	}
	/* RS from the host */
	memset(m, 0, 8);
	m[0] = 133;
	n = 8 + opt_lla(m + 8, 1, MAC_H);
	k = pg_frame6(fr, MAC_H, (const uint8_t[]){ 0x33, 0x33, 0, 0, 0, 2 }, "fe80::2", "ff02::2", 255, 58, m, n, 2);
	pg_write(w, t, fr, k);
	/* two unsolicited RAs */
	for (int i = 0; i < 2; i++) {
		n = msg_ra(m, f);
		k = pg_frame6(fr, MAC_R, MAC_MC1, f->ra_src, "ff02::1", (uint8_t)f->ra_hlim, 58, m, n, 2);
		pg_write(w, t + 10 * MS + (uint64_t)(i * f->ra_gap * 1e9), fr, k);
	}
	t += (uint64_t)(f->ra_gap * 1e9) + 100 * MS;
	/* DAD of 2001:db8::2 */
	n = msg_ns(m, 0, "2001:db8::2", f->dad_sll);
	k = pg_frame6(fr, MAC_H, (const uint8_t[]){ 0x33, 0x33, 0xff, 0, 0, 2 }, "::", f->dad_dst, 255, 58, m, n, 2);
	pg_write(w, t, fr, k);
	/* address resolution of the router, and its solicited answer */
	n = msg_ns(m, (uint8_t)f->ns_code, f->ns_target, true);
	k = pg_frame6(fr, MAC_H, MAC_R, "fe80::2", "fe80::1", 255, 58, m, n, 2);
	pg_write(w, t + 20 * MS, fr, k);
	n = msg_na(m, 0xc0 | 0x20, "fe80::1");	/* R S O */
	k = pg_frame6(fr, MAC_R, MAC_H, "fe80::1", f->na_s_mcast ? "ff02::1" : "fe80::2", 255, 58, m, n, 2);
	pg_write(w, t + 21 * MS, fr, k);
	/* an unsolicited NA to all nodes (S clear) */
	n = msg_na(m, 0x20, "fe80::1");
	k = pg_frame6(fr, MAC_R, MAC_MC1, "fe80::1", "ff02::1", 255, 58, m, n, 2);
	pg_write(w, t + 30 * MS, fr, k);
	/* a redirect */
	memset(m, 0, 40);
	m[0] = 137;
	pg_addr6("fe80::3", m + 8);
	pg_addr6("2001:db8:5::1", m + 24);
	k = pg_frame6(fr, MAC_R, MAC_H, f->redir_src, "fe80::2", 255, 58, m, 40, 2);
	pg_write(w, t + 40 * MS, fr, k);
	pg_close(w);
}

struct ip_faults { int ipsum, ttl0, hlim0, udpsum, icmp6sum, frag, arp_late, trunc, odd; };

static void ip_capture(const char *path, const struct ip_faults *f)
{
	char err[256];
	struct pg_writer *w = pg_open(path, err, sizeof err);
	uint8_t m[256], u[256], fr[PG_MAX];
	size_t n, k;
	uint64_t t = T0;

	if (!w) {
		fprintf(stderr, "gen: %s\n", err);
		exit(3);
	}
	k = pg_arp(fr, 1, MAC_H, "10.0.0.2", MAC_ZERO, "10.0.0.1");
	pg_write(w, t, fr, k);
	k = pg_arp(fr, 2, MAC_R, "10.0.0.1", MAC_H, "10.0.0.2");
	pg_write(w, t + (f->arp_late ? 2000 : 5) * MS, fr, k);
	t += 2100 * MS;
	for (uint32_t s = 0; s < 5; s++) {	/* flow 1 over IPv4 */
		n = pg_traffic(m, 1, s, t + s * 10 * MS - MS, 64);
		n = pg_udp(u, 40000, 9000, m, n);
		k = pg_frame4(fr, MAC_H, MAC_R, "10.0.0.2", "10.0.0.1",
			      (uint8_t)(f->ttl0 && s == 2 ? 0 : 64), 17, 0, f->ipsum && s == 3,
			      u, n, PG_SUM_PSEUDO, 6);
		if (f->udpsum && s == 1)
			fr[14 + 20 + 7] ^= 0x55;
		pg_write(w, t + s * 10 * MS, fr, k);
	}
	for (uint32_t s = 0; s < 3; s++) {	/* flow 2 over IPv6 */
		n = pg_traffic(m, 2, s, t + s * 10 * MS, 100);
		n = pg_udp(u, 40001, 9000, m, n);
		k = pg_frame6(fr, MAC_H, MAC_R, "2001:db8::2", "2001:db8::1",
			      (uint8_t)(f->hlim0 && s == 1 ? 0 : 64), 17, u, n, 6);
		pg_write(w, t + 5 * MS + s * 10 * MS, fr, k);
	}
	/* ICMPv6 echo request */
	memset(m, 0, 16);
	m[0] = 128;
	m[5] = 7;
	m[7] = 1;
	k = pg_frame6(fr, MAC_H, MAC_R, "2001:db8::2", "2001:db8::1", 64, 58, m, 16, 2);
	if (f->icmp6sum)
		fr[14 + 40 + 3] ^= 0x0f;
	pg_write(w, t + 60 * MS, fr, k);
	if (f->frag) {	/* the first fragment of a flow 1 datagram */
		n = pg_traffic(m, 1, 9, t, 64);
		n = pg_udp(u, 40000, 9000, m, n);
		u[4] = 0x05; u[5] = 0xdc;	/* the whole datagram: 1500 bytes */
		k = pg_frame4(fr, MAC_H, MAC_R, "10.0.0.2", "10.0.0.1", 64, 17, 0x2000, 0, u, n, PG_SUM_NONE, -1);
		pg_write(w, t + 70 * MS, fr, k);
	}
	if (f->trunc) {	/* a frame cut by the capture */
		n = pg_traffic(m, 1, 10, t, 64);
		n = pg_udp(u, 40000, 9000, m, n);
		k = pg_frame4(fr, MAC_H, MAC_R, "10.0.0.2", "10.0.0.1", 64, 17, 0, 0, u, n, PG_SUM_PSEUDO, 6);
		pg_write_cut(w, t + 80 * MS, fr, k, 14 + 10);
	}
	if (f->odd) {	/* ARP cut by the capture or not for IPv4, fragments cut short */
		k = pg_arp(fr, 1, MAC_H, "10.0.0.2", MAC_ZERO, "10.0.0.1");
		pg_write_cut(w, t + 90 * MS, fr, k, 14 + 12);
		k = pg_arp(fr, 2, MAC_R, "10.0.0.1", MAC_H, "10.0.0.2");
		pg_write_cut(w, t + 91 * MS, fr, k, 14 + 20);
		k = pg_arp(fr, 2, MAC_R, "10.0.0.1", MAC_H, "10.0.0.2");
		fr[14 + 2] = 0x86;	/* protocol type IPv6 (not IPv4) */
		fr[14 + 3] = 0xdd;
		pg_write(w, t + 92 * MS, fr, k);
		n = pg_traffic(m, 1, 11, t, 64);
		n = pg_udp(u, 40000, 9000, m, n);
		k = pg_frame4(fr, MAC_H, MAC_R, "10.0.0.2", "10.0.0.1", 64, 17, 0x2000, 0, u, n, PG_SUM_NONE, -1);
		pg_write_cut(w, t + 93 * MS, fr, k, 14 + 22);	/* first fragment, UDP header cut */
		pg_write_cut(w, t + 94 * MS, fr, k, 14 + 8);	/* the same, IPv4 header cut */
		memset(m, 0, 8);
		m[0] = 17;		/* fragment header: next header UDP, offset 0, M set */
		m[3] = 1;
		m[7] = 9;
		memcpy(m + 8, u, n);
		k = pg_frame6(fr, MAC_H, MAC_R, "2001:db8::2", "2001:db8::1", 64, 44, m, 8 + n, -1);
		pg_write_cut(w, t + 95 * MS, fr, k, 14 + 40 + 4);	/* IPv6 fragment header cut */
	}
	pg_close(w);
}

#include "gen_mip4.c"	/* the Mobile IPv4 captures: m4_golden() */
#include "gen_mip6.c"	/* the Mobile IPv6 captures: m6_golden() */

static void golden(const char *dir)
{
	static const struct { const char *name; int kind; struct nd_faults nd; struct ip_faults ip; } cases[] = {
		{ "nd-good", 0, { 0 }, { 0 } },
		{ "nd-hlim-bad", 1, { .ra_hlim = 64 }, { 0 } },
		{ "nd-code-bad", 2, { .ns_code = 1 }, { 0 } },
		{ "nd-ra-src-bad", 3, { .ra_src = "2001:db8::1" }, { 0 } },
		{ "nd-dad-sll-bad", 4, { .dad_sll = 1 }, { 0 } },
		{ "nd-dad-dst-bad", 5, { .dad_dst = "ff02::1" }, { 0 } },
		{ "nd-target-mcast", 6, { .ns_target = "ff02::1" }, { 0 } },
		{ "nd-na-s-mcast", 7, { .na_s_mcast = 1 }, { 0 } },
		{ "nd-advint-bad", 8, { .ra_gap = 3.0 }, { 0 } },
		{ "nd-optlen-zero", 9, { .optlen0 = 1 }, { 0 } },
		{ "nd-redirect-src-bad", 10, { .redir_src = "2001:db8::1" }, { 0 } },
		{ "ip-good", 100, { 0 }, { 0 } },
		{ "ip-cksum-bad", 100, { 0 }, { .ipsum = 1 } },
		{ "ip-ttl0", 100, { 0 }, { .ttl0 = 1 } },
		{ "ip6-hlim0", 100, { 0 }, { .hlim0 = 1 } },
		{ "ip-udp-cksum-bad", 100, { 0 }, { .udpsum = 1 } },
		{ "ip-icmp6-cksum-bad", 100, { 0 }, { .icmp6sum = 1 } },
		{ "ip-frag-traffic", 100, { 0 }, { .frag = 1 } },
		{ "ip-arp-late", 100, { 0 }, { .arp_late = 1 } },
		{ "ip-truncated", 100, { 0 }, { .trunc = 1 } },
		{ "ip-odd", 100, { 0 }, { .odd = 1 } },
	};
	char path[4096];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(path, sizeof path, "%s/%s.pcap", dir, cases[i].name);
		if (cases[i].kind >= 100) {
			ip_capture(path, &cases[i].ip);
			continue;
		}
		struct nd_faults f = nd_good;	/* the good sequence with one fault */
		const struct nd_faults *c = &cases[i].nd;
		if (c->ra_hlim) f.ra_hlim = c->ra_hlim;
		if (c->ns_code) f.ns_code = c->ns_code;
		if (c->ra_src) f.ra_src = c->ra_src;
		if (c->dad_sll) f.dad_sll = 1;
		if (c->dad_dst) f.dad_dst = c->dad_dst;
		if (c->ns_target) f.ns_target = c->ns_target;
		if (c->na_s_mcast) f.na_s_mcast = 1;
		if (c->ra_gap > 0) f.ra_gap = c->ra_gap;
		if (c->optlen0) f.optlen0 = 1;
		if (c->redir_src) f.redir_src = c->redir_src;
		nd_capture(path, &f);
	}
	m4_golden(dir);
	m6_golden(dir);
}

static int fields(const char *file, char *list)
{
	char err[256], buf[256], *save = NULL;
	struct dec_pcap *pc = dec_pcap_open(file, err, sizeof err);
	struct dec_record *rec = malloc(sizeof *rec);
	int ids[256], depth[256], n = 0;

	if (!pc) {
		fprintf(stderr, "gen: %s\n", err);
		free(rec);
		return 2;
	}
	for (char *s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		unsigned d;
		if (n == 256) {
			fprintf(stderr, "gen: at most 256 fields, seen more\n");
			free(rec);
			dec_pcap_close(pc);
			return 2;
		}
		ids[n] = dec_field_lookup(s, &d);
		depth[n++] = (int)d;
		if (ids[n - 1] < 0) {
			fprintf(stderr, "gen: unknown field %s\n", s);
			return 2;
		}
	}
	while (dec_pcap_next(pc, rec) > 0) {
		for (int i = 0; i < n; i++) {
			const struct dec_field *f = dec_get(rec, (unsigned)ids[i], (unsigned)depth[i]);
			printf("%s%s", i ? "\t" : "", f ? dec_value_text(f, buf, sizeof buf) : "");
		}
		putchar('\n');
	}
	dec_pcap_close(pc);
	free(rec);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "golden")) {
		golden(argv[2]);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return check_cli(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "chart"))
		return chart_cli(argc - 1, argv + 1);
	if (argc >= 4 && !strcmp(argv[1], "fields"))
		return fields(argv[2], argv[3]);
	fprintf(stderr, "usage: gen golden DIR | gen check ARGS... | gen chart ARGS... | gen fields FILE a,b\n");
	return 2;
}
