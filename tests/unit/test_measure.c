/* test_measure.c — the handoff and flow figures of the checker
 * (harness/check/measure*.c, docs/checks.md) on synthetic run folders: a
 * topology (wan 10 ms cn–ha, cells home/cell1/cell2 with prefixes
 * 2001:db8:1/2/3::/64), events and pcaps written frame by frame.
 *  - stale: a frame on a link the station has left, a frame to a stale
 *    care-of address on the new link, loss split across two handoffs;
 *  - ro: return routability starting before the home BA, a tunnelled
 *    HoTI and HoT, the correspondent BU/BA;
 *  - home: deregistration at home with a correspondent and without;
 *  - close: an uplink flow across two handoffs 200 ms apart: frames to
 *    the old router's MAC, loss attribution, delay at delivery;
 *  - every case: per-handoff losses add up to the flow's. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "topo.h"
#include "check/check.h"
#include "check/check_int.h"
#include "check/pktgen.h"

#define T0 1700000000000000000ull
#define MS 1000000ull
#define HOA "2001:db8:1::100"
#define COA1 "2001:db8:2::100"
#define COA2 "2001:db8:3::100"
#define HA "2001:db8:1::1"
#define CN "2001:db8:9::1"

static char tmpdir[] = "/tmp/roam-test-measure.XXXXXX";
static struct topo *topo;

static const char topology[] =
	"return topology { name = 'tm', ipv6 = true, nodes = {\n"
	"  node { 'cn', role = 'host' }, node { 'ha', role = 'mip6.ha' },\n"
	"  node { 'ar1', role = 'router' }, node { 'ar2', role = 'router' },\n"
	"  node { 'mn', role = 'mip6.mn', pos = { 0, 0 } } },\n"
	" links = {\n"
	"  link { 'cn', 'ha', name = 'wan', subnet6 = '2001:db8:9::/64', delay = '10ms' },\n"
	"  link { 'ha', 'ar1', name = 'l1', subnet6 = '2001:db8:11::/64' },\n"
	"  link { 'ha', 'ar2', name = 'l2', subnet6 = '2001:db8:12::/64' },\n"
	"  cell { 'home', ap = 'ha', stations = { 'mn' }, subnet6 = '2001:db8:1::/64' },\n"
	"  cell { 'cell1', ap = 'ar1', stations = {}, subnet6 = '2001:db8:2::/64' },\n"
	"  cell { 'cell2', ap = 'ar2', stations = {}, subnet6 = '2001:db8:3::/64' } } }\n";

static const char *const links[] = { "wan", "home", "cell1", "cell2" };
enum { WAN, HOME, CELL1, CELL2, NLINKS };

struct run_dir {
	char dir[256];
	struct pg_writer *w[NLINKS];
	FILE *ev;
};

/* The MAC of node's interface on link. */
static const uint8_t *mac(const char *node, const char *link)
{
	int n = topo_node_find(topo, node), l = topo_link_find(topo, link);
	for (int i = 0; i < topo->n_ifaces; i++)
		if (topo->ifaces[i].node == n && (topo->ifaces[i].link == l || topo->ifaces[i].radio))
			return topo->ifaces[i].mac;
	fprintf(stderr, "test_measure: no interface of %s on %s\n", node, link);
	abort();
}

static void rd_open(struct run_dir *r, const char *name)
{
	char p[512], err[256];
	snprintf(r->dir, sizeof r->dir, "%s/%s", tmpdir, name);
	mkdir(r->dir, 0755);
	snprintf(p, sizeof p, "%s/topology.lua", r->dir);
	FILE *f = fopen(p, "w");
	fputs(topology, f);
	fclose(f);
	for (int i = 0; i < NLINKS; i++) {
		snprintf(p, sizeof p, "%s/%s.pcap", r->dir, links[i]);
		r->w[i] = pg_open(p, err, sizeof err);
	}
	snprintf(p, sizeof p, "%s/events.jsonl", r->dir);
	r->ev = fopen(p, "w");
	fprintf(r->ev, "{\"t\":0,\"ts\":%.6f,\"type\":\"run_start\",\"run\":\"x\"}\n", T0 / 1e9);
}

static void ev_flow(struct run_dir *r, int id, const char *from, const char *to)
{
	fprintf(r->ev, "{\"t\":0,\"ts\":%.6f,\"type\":\"flow_start\",\"id\":%d,\"from\":\"%s\",\"to\":\"%s\"}\n",
		T0 / 1e9, id, from, to);
}

/* A move at ms: l2_down then, l2_up 50 ms later. */
static void ev_move(struct run_dir *r, int ms, const char *from, const char *to)
{
	double t = T0 / 1e9 + ms / 1e3;
	fprintf(r->ev, "{\"t\":0,\"ts\":%.6f,\"type\":\"move\",\"station\":\"mn\",\"from\":\"%s\",\"to\":\"%s\"}\n"
		"{\"t\":0,\"ts\":%.6f,\"type\":\"l2_down\",\"station\":\"mn\",\"cell\":\"%s\"}\n"
		"{\"t\":0,\"ts\":%.6f,\"type\":\"l2_up\",\"station\":\"mn\",\"cell\":\"%s\"}\n",
		t, from, to, t, from, t + 0.05, to);
}

static void rd_close(struct run_dir *r)
{
	for (int i = 0; i < NLINKS; i++)
		pg_close(r->w[i]);
	fclose(r->ev);
}

static uint16_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* An inner IPv6 packet src -> dst carrying payload (next header nxt), its
 * checksum at sum_off (>= 0) computed over the pseudo-header. */
static size_t inner6(uint8_t *out, const char *src, const char *dst, uint8_t nxt,
		     const uint8_t *pl, size_t n, int sum_off)
{
	uint8_t ph[40] = { 0 };
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (uint8_t)(n >> 8), out[5] = (uint8_t)n;
	out[6] = nxt, out[7] = 64;
	pg_addr6(src, out + 8);
	pg_addr6(dst, out + 24);
	memcpy(out + 40, pl, n);
	if (sum_off >= 0) {
		memcpy(ph, out + 8, 32);
		uint32_t s = sum16(ph, 32, 0) + (uint32_t)n + nxt;
		out[40 + sum_off] = out[41 + sum_off] = 0;
		uint16_t c = (uint16_t)~sum16(out + 40, n, s);
		out[40 + sum_off] = (uint8_t)(c >> 8), out[41 + sum_off] = (uint8_t)c;
	}
	return 40 + n;
}

/* A Mobility Header of type with seq (BU 5, BA 6) or none (HoTI 1, CoTI 2,
 * HoT 3, CoT 4); a BU with ni carries Nonce Indices (to a correspondent). */
static size_t mhdr(uint8_t *m, int type, uint16_t seq, uint16_t lifetime, bool ni)
{
	size_t n = type == 5 ? (ni ? 24 : 16) : type == 6 ? 16 : type <= 2 ? 16 : 24;
	memset(m, 0, n);
	m[0] = 59, m[1] = (uint8_t)(n / 8 - 1), m[2] = (uint8_t)type;
	if (type == 5) {
		m[6] = (uint8_t)(seq >> 8), m[7] = (uint8_t)seq;
		m[8] = ni ? 0x80 : 0xc0;
		m[10] = (uint8_t)(lifetime >> 8), m[11] = (uint8_t)lifetime;
		if (ni) {
			m[12] = 4, m[13] = 4;		/* Nonce Indices */
			m[18] = 1, m[19] = 2;		/* PadN */
		} else {
			m[12] = 1, m[13] = 2;
		}
	} else if (type == 6) {
		m[8] = (uint8_t)(seq >> 8), m[9] = (uint8_t)seq;
		m[10] = (uint8_t)(lifetime >> 8), m[11] = (uint8_t)lifetime;
		m[12] = 1, m[13] = 2;
	}
	return n;
}

/* A Mobility Header src -> dst on link at ms, from smac to dmac; tunnelled
 * (outer osrc -> odst) when osrc is given. */
static void put_mh(struct run_dir *r, int link, uint64_t at_ms, const uint8_t *smac, const uint8_t *dmac,
		   const char *osrc, const char *odst, const char *src, const char *dst,
		   int type, uint16_t seq, uint16_t lifetime, bool ni)
{
	uint8_t m[64], in[128], fr[PG_MAX];
	size_t n = mhdr(m, type, seq, lifetime, ni), k;
	if (osrc) {
		n = inner6(in, src, dst, 135, m, n, 4);
		k = pg_frame6(fr, smac, dmac, osrc, odst, 64, 41, in, n, -1);
	} else {
		k = pg_frame6(fr, smac, dmac, src, dst, 64, 135, m, n, 4);
	}
	pg_write(r->w[link], T0 + at_ms * MS, fr, k);
}

/* A Router Advertisement from smac/src to all nodes on link at ms. */
static void put_ra(struct run_dir *r, int link, uint64_t at_ms, const uint8_t *smac, const char *src)
{
	static const uint8_t all[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t fr[PG_MAX], ra[16] = { 134, 0, 0, 0, 64, 0, 0x07, 0x08 };
	size_t k = pg_frame6(fr, smac, all, src, "ff02::1", 255, 58, ra, 16, 2);
	pg_write(r->w[link], T0 + at_ms * MS, fr, k);
}

/* Traffic of flow id, seq sent at sent_ms, captured on link at at_ms (us
 * resolution), src -> dst, tunnelled to odst when given. */
static void put_data(struct run_dir *r, int link, double at_ms, const uint8_t *smac, const uint8_t *dmac,
		     const char *src, const char *dst, const char *osrc, const char *odst,
		     uint32_t id, uint32_t seq, double sent_ms)
{
	uint8_t pl[64], u[96], in[160], fr[PG_MAX];
	uint64_t sent = T0 + (uint64_t)(sent_ms * 1e3) * 1000;
	size_t n = pg_udp(u, 40000, 9000, pl, pg_traffic(pl, id, seq, sent, 40)), k;
	if (odst) {
		n = inner6(in, src, dst, 17, u, n, 6);
		k = pg_frame6(fr, smac, dmac, osrc, odst, 64, 41, in, n, -1);
	} else {
		k = pg_frame6(fr, smac, dmac, src, dst, 64, 17, u, n, 6);
	}
	pg_write(r->w[link], T0 + (uint64_t)(at_ms * 1e3) * 1000, fr, k);
}

static struct ck_run *check(struct run_dir *r)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";
	int rc = ck_run_all(run, r->dir, NULL, 0, NULL, 0, err, sizeof err);
	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	return run;
}

static long long ms_of(double a, double b)
{
	return a < 0 || b < 0 ? -1 : (long long)((b - a) * 1e3 + (b > a ? 0.5 : -0.5));
}

/* Per-handoff losses of flow index k add up to its total. */
static uint64_t lost_sum(const struct ck_meas *m, int k)
{
	uint64_t s = 0;
	for (int i = 0; i < m->n_ho; i++)
		for (int j = 0; j < m->ho[i].n_hf; j++)
			if (m->ho[i].hf[j].flow == k)
				s += m->ho[i].hf[j].lost;
	return s;
}

static const struct ck_hflow *hflow(const struct ck_handoff *h, int k)
{
	for (int j = 0; j < h->n_hf; j++)
		if (h->hf[j].flow == k)
			return &h->hf[j];
	return NULL;
}

/* cn -> mn's home address, 100 ms apart; mn moves home -> cell1 at 1.0 s
 * and cell1 -> cell2 at 3.0 s. */
static void test_stale(void)
{
	struct run_dir r;
	rd_open(&r, "stale");
	ev_flow(&r, 1, "cn", "mn");
	ev_move(&r, 1000, "home", "cell1");
	ev_move(&r, 3000, "cell1", "cell2");
	const uint8_t *mn = mac("mn", "home");
	for (uint32_t s = 0; s <= 35; s++)	/* every packet leaves cn on the wan */
		put_data(&r, WAN, s * 100 + 1, mac("cn", "wan"), mac("ha", "wan"), CN, HOA, NULL, NULL, 1, s, s * 100);
	for (uint32_t s = 0; s < 10; s++)	/* delivered at home */
		put_data(&r, HOME, s * 100 + 12, mac("ha", "home"), mn, CN, HOA, NULL, NULL, 1, s, s * 100);
	/* seq 10 reaches home 20 ms after the station left it */
	put_data(&r, HOME, 1020, mac("ha", "home"), mn, CN, HOA, NULL, NULL, 1, 10, 1000);
	/* seq 11 to the home address on cell1: not valid there */
	put_data(&r, CELL1, 1110, mac("ar1", "cell1"), mn, CN, HOA, NULL, NULL, 1, 11, 1100);
	for (uint32_t s = 12; s < 20; s++)	/* tunnelled to the care-of address */
		put_data(&r, CELL1, s * 100 + 12, mac("ar1", "cell1"), mn, CN, HOA, HA, COA1, 1, s, s * 100);
	/* 20..30 lost before cell1; 31 on cell2 to the stale care-of address */
	put_data(&r, CELL2, 3112, mac("ar2", "cell2"), mn, CN, HOA, HA, COA1, 1, 31, 3100);
	for (uint32_t s = 32; s <= 35; s++)
		put_data(&r, CELL2, s * 100 + 12, mac("ar2", "cell2"), mn, CN, HOA, HA, COA2, 1, s, s * 100);
	rd_close(&r);

	struct ck_run *run = check(&r);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_flows, 1);
	CHECK_EQ(m->n_ho, 2);
	if (m->n_flows == 1 && m->n_ho == 2) {
		const struct ck_flow *f = &m->flows[0];
		CHECK_EQ(f->delivered, 22);		/* 0-9, 12-19, 32-35 */
		CHECK_EQ(f->max_seq, 35);
		CHECK_EQ(ck_flow_lost(f), 14);
		CHECK_EQ(lost_sum(m, 0), 14);
		CHECK(f->down);
		const struct ck_hflow *a = hflow(&m->ho[0], 0), *b = hflow(&m->ho[1], 0);
		CHECK(a && b);
		if (a && b) {
			CHECK_EQ(a->lost, 2);		/* 10, 11 */
			CHECK_EQ(b->lost, 12);		/* 20-31 */
			CHECK_EQ(a->seq_old, 9);
			CHECK_EQ(a->seq_new, 12);
			CHECK_EQ(ms_of(m->ho[0].t_down, a->t_new), 212);	/* restoration */
			CHECK_EQ(ms_of(a->t_old, a->t_new), 300);		/* interruption */
			CHECK_EQ(b->seq_old, 19);
			CHECK_EQ(b->seq_new, 32);
		}
	}
	ck_run_free(run);
	free(run);
}

/* home -> cell1 at 1.0 s (l2_up 1.05): RA 1.06; home BU 1.07; tunnelled HoTI
 * 1.071 and CoTI 1.072 before the home BA (1.11); CoT 1.092, HoT 1.13
 * (tunnelled); BU to cn 1.131, its BA 1.151. */
static void test_ro(void)
{
	struct run_dir r;
	rd_open(&r, "ro");
	ev_move(&r, 1000, "home", "cell1");
	const uint8_t *mn = mac("mn", "home"), *ar = mac("ar1", "cell1");
	put_ra(&r, CELL1, 1030, ar, "fe80::1");	/* before l2_up: not the one */
	put_ra(&r, CELL1, 1060, ar, "fe80::1");
	put_mh(&r, CELL1, 1070, mn, ar, NULL, NULL, COA1, HA, 5, 100, 60, false);
	put_mh(&r, CELL1, 1071, mn, ar, COA1, HA, HOA, CN, 1, 0, 0, false);
	put_mh(&r, CELL1, 1072, mn, ar, NULL, NULL, COA1, CN, 2, 0, 0, false);
	put_mh(&r, CELL1, 1092, ar, mn, NULL, NULL, CN, COA1, 4, 0, 0, false);
	put_mh(&r, CELL1, 1110, ar, mn, NULL, NULL, HA, COA1, 6, 99, 60, false);	/* another seq */
	put_mh(&r, CELL1, 1111, ar, mn, NULL, NULL, HA, COA1, 6, 100, 60, false);
	put_mh(&r, CELL1, 1130, ar, mn, HA, COA1, CN, HOA, 3, 0, 0, false);
	put_mh(&r, CELL1, 1131, mn, ar, NULL, NULL, COA1, CN, 5, 7, 60, true);
	put_mh(&r, CELL1, 1151, ar, mn, NULL, NULL, CN, COA1, 6, 7, 60, false);
	rd_close(&r);

	struct ck_run *run = check(&r);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_ho, 1);
	if (m->n_ho == 1) {
		const struct ck_handoff *h = &m->ho[0];
		double a, b;
		CHECK_EQ(ms_of(h->t_up, h->t_detect), 10);
		CHECK_EQ(ms_of(h->t_detect, h->t_reg), 10);
		CHECK_STR(ck_ho_phase(h, CK_PH_HOME_REG, &a, &b), "home_registration");
		CHECK_EQ(ms_of(a, b), 41);
		CHECK(!h->dereg);
		CHECK_EQ(h->n_cn, 1);
		if (h->n_cn == 1) {
			const struct ck_cnreg *c = &h->cn[0];
			CHECK_EQ(ms_of(h->t_up, c->t_start), 21);	/* the tunnelled HoTI */
			CHECK_EQ(ms_of(c->t_start, c->t_cot), 21);
			CHECK_EQ(ms_of(c->t_start, c->t_hot), 59);
			CHECK_EQ(ms_of(c->t_bu, c->t_ba), 20);
			CHECK_EQ(ms_of(c->t_start, c->t_ba), 80);
			CHECK(!c->dereg);
		}
		CHECK_EQ(h->sig_frames, 9);	/* no flow: up to the last reply (cn's BA); not the RAs */
	}
	ck_run_free(run);
	free(run);
}

/* cell1 -> home at 1.0 s: BU lifetime 0 to ha 1.07, BA 1.072; with cn: BU
 * lifetime 0 to cn 1.073 (a home token still valid: no HoTI), BA 1.133. */
static void home_case(const char *name, bool with_cn)
{
	struct run_dir r;
	rd_open(&r, name);
	ev_move(&r, 1000, "cell1", "home");
	const uint8_t *mn = mac("mn", "home"), *ha = mac("ha", "home");
	put_mh(&r, HOME, 1070, mn, ha, NULL, NULL, HOA, HA, 5, 300, 0, false);
	put_mh(&r, HOME, 1072, ha, mn, NULL, NULL, HA, HOA, 6, 300, 0, false);
	/* the home agent's RA comes after the station deregistered: the
	 * station did not wait for it, so it does not end detection */
	put_ra(&r, HOME, 1090, ha, "fe80::2");
	if (with_cn) {
		put_mh(&r, HOME, 1073, mn, ha, NULL, NULL, HOA, CN, 5, 9, 0, true);
		put_mh(&r, HOME, 1133, ha, mn, NULL, NULL, CN, HOA, 6, 9, 0, false);
	}
	rd_close(&r);

	struct ck_run *run = check(&r);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_ho, 1);
	if (m->n_ho == 1) {
		const struct ck_handoff *h = &m->ho[0];
		double a, b;
		CHECK(h->dereg);
		CHECK_STR(ck_ho_phase(h, CK_PH_HOME_REG, &a, &b), "home_deregistration");
		CHECK_EQ(ms_of(a, b), 2);
		ck_ho_phase(h, CK_PH_DETECTION, &a, &b);
		CHECK_EQ(ms_of(a, b), 20);	/* l2_up 1050 -> the BU at 1070 */
		ck_ho_phase(h, CK_PH_ADDRESS, &a, &b);
		CHECK_EQ(ms_of(a, b), 0);
		CHECK_EQ(h->n_cn, with_cn ? 1 : 0);
		if (h->n_cn == 1) {
			CHECK(h->cn[0].dereg);
			CHECK_EQ(ms_of(h->cn[0].t_start, h->cn[0].t_ba), 60);
			CHECK(h->cn[0].t_hot < 0);
		}
	}
	ck_run_free(run);
	free(run);
}

static void test_home_cn(void)
{
	home_case("homecn", true);
}

static void test_home_alone(void)
{
	home_case("home0", false);
}

/* mn -> cn every 20 ms from 0.5 s (seq k sent at 500 + 20k ms), captured on
 * the wan 15 ms after sending, delivered 10 ms later (the wan's delay).
 * home -> cell1 at 1.0 s, cell1 -> cell2 at 1.2 s. Lost: 25-29 (the gap, then
 * registration), 34-38 (34, 35 in flight on cell1, 36 in the gap, 37, 38
 * sent on cell2 to ar1's MAC). */
static void test_close(void)
{
	struct run_dir r;
	rd_open(&r, "close");
	ev_flow(&r, 2, "mn", "cn");
	ev_move(&r, 1000, "home", "cell1");
	ev_move(&r, 1200, "cell1", "cell2");
	const uint8_t *mn = mac("mn", "home"), *cn = mac("cn", "wan"), *ha = mac("ha", "wan");
	for (uint32_t s = 0; s <= 45; s++) {
		double sent = 500 + 20.0 * s;
		bool lost = (s >= 25 && s <= 29) || (s >= 34 && s <= 38);
		if (!lost)
			put_data(&r, WAN, sent + 15, ha, cn, HOA, CN, NULL, NULL, 2, s, sent);
		if (s == 34 || s == 35)
			put_data(&r, CELL1, sent, mn, mac("ar1", "cell1"), COA1, HA, HOA, CN, 2, s, sent);
		if (s == 37 || s == 38)		/* still to the old router */
			put_data(&r, CELL2, sent, mn, mac("ar1", "cell1"), COA1, HA, HOA, CN, 2, s, sent);
	}
	rd_close(&r);

	struct ck_run *run = check(&r);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_flows, 1);
	CHECK_EQ(m->n_ho, 2);
	if (m->n_flows == 1 && m->n_ho == 2) {
		const struct ck_flow *f = &m->flows[0];
		CHECK(!f->down);
		CHECK_EQ(f->delivered, 36);
		CHECK_EQ(ck_flow_lost(f), 10);
		CHECK_EQ(lost_sum(m, 0), 10);
		CHECK_EQ((long long)(f->d_min * 1e6 + 0.5), 25000);	/* at delivery */
		const struct ck_hflow *a = hflow(&m->ho[0], 0), *b = hflow(&m->ho[1], 0);
		CHECK(a && b);
		if (a && b) {
			CHECK_EQ(a->lost, 5);
			CHECK_EQ(b->lost, 5);
			CHECK_EQ(a->seq_old, 24);
			CHECK_EQ(a->seq_new, 30);
			CHECK_EQ(ms_of(m->ho[0].t_down, a->t_new), 125);
			CHECK_EQ(ms_of(a->t_old, a->t_new), 120);
			CHECK_EQ(b->seq_old, 33);
			CHECK_EQ(b->seq_new, 39);
		}
	}
	ck_run_free(run);
	free(run);
}

T_MAIN_BEGIN("measure")
	char err[512];
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	char p[300];
	snprintf(p, sizeof p, "%s/topology.lua", tmpdir);
	FILE *f = fopen(p, "w");
	fputs(topology, f);
	fclose(f);
	if (!(topo = topo_load(p, NULL, 0, err, sizeof err))) {
		printf("FAIL measure.topology: %s\n", err);
		return 1;
	}
	RUN(test_stale);
	RUN(test_ro);
	RUN(test_home_cn);
	RUN(test_home_alone);
	RUN(test_close);
	topo_free(topo);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("  could not remove %s\n", tmpdir);
T_MAIN_END
