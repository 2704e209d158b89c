/* test_check.c — the conformance engine on synthetic captures: selectors,
 * the merge order across pcaps, the rule helpers (expect_reply, backoff,
 * never), rule file errors, the reports, and flow and handoff measurement. */
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "t.h"
#include "check/check.h"
#include "check/check_int.h"
#include "check/pktgen.h"

static const uint8_t MAC_R[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t MAC_M[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t MAC_C[6] = { 2, 0, 0, 0, 0, 3 };
static const uint8_t MAC_MC1[6] = { 0x33, 0x33, 0, 0, 0, 1 };
#define T0 1700000000000000000ull
#define MS 1000000ull

static char tmpdir[] = "/tmp/roam-test-check.XXXXXX";

static void path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *text)
{
	char p[256];
	path(p, sizeof p, name);
	FILE *f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
}

/* An ICMPv6 echo request (type 128) or reply (129) with id/seq. */
static size_t echo(uint8_t *fr, int type, uint16_t seq, const uint8_t *s, const uint8_t *d)
{
	uint8_t m[16] = { (uint8_t)type, 0, 0, 0, 0, 7, (uint8_t)(seq >> 8), (uint8_t)seq };
	return pg_frame6(fr, s, d, type == 128 ? "2001:db8::2" : "2001:db8::1",
			 type == 128 ? "2001:db8::1" : "2001:db8::2", 64, 58, m, 16, 2);
}

static size_t ra(uint8_t *fr)
{
	uint8_t m[16] = { 134, 0, 0, 0, 64, 0, 0x07, 0x08 };
	return pg_frame6(fr, MAC_R, MAC_MC1, "fe80::1", "ff02::1", 255, 58, m, 16, 2);
}

/* A Mobility Header: BU (type 5) or BA (type 6) with sequence seq. */
static size_t mh(uint8_t *fr, int type, uint16_t seq, const uint8_t *s, const uint8_t *d)
{
	uint8_t m[16] = { 59, 1, (uint8_t)type, 0, 0, 0 };
	if (type == 5) {
		m[6] = (uint8_t)(seq >> 8); m[7] = (uint8_t)seq;
		m[8] = 0xc0;		/* A H */
		m[10] = 0; m[11] = 100;	/* lifetime */
	} else {
		m[8] = (uint8_t)(seq >> 8); m[9] = (uint8_t)seq;
		m[10] = 0; m[11] = 100;
	}
	m[12] = 1; m[13] = 2;		/* PadN */
	return pg_frame6(fr, s, d, type == 5 ? "2001:db8:2::2" : "2001:db8::1",
			 type == 5 ? "2001:db8::1" : "2001:db8:2::2", 64, 135, m, 16, 4);
}

static size_t traffic(uint8_t *fr, uint32_t flow, uint32_t seq, uint64_t sent, const uint8_t *s, const uint8_t *d)
{
	uint8_t m[128], u[160];
	size_t n = pg_traffic(m, flow, seq, sent, 40);
	n = pg_udp(u, 40000, 9000, m, n);
	return pg_frame6(fr, s, d, "2001:db8::3", "2001:db8::2", 64, 17, u, n, 6);
}

/* A Mobile IPv4 Registration Request (type 1) from the MN or Reply (type 3)
 * from the HA on UDP 434, with the 64-bit Identification id. */
static size_t mip4(uint8_t *fr, int type, uint64_t id, const uint8_t *s, const uint8_t *d)
{
	uint8_t m[24] = { (uint8_t)type, 0, 0, 100, 10, 0, 0, 2, 10, 0, 0, 1 };
	size_t at = type == 1 ? 16 : 12, n = at + 8;
	if (type == 1)
		m[12] = 10, m[13] = 1, m[14] = 0, m[15] = 2;	/* care-of address */
	for (int i = 0; i < 8; i++)
		m[at + (size_t)i] = (uint8_t)(id >> (56 - 8 * i));
	uint8_t u[64];
	size_t k = pg_udp(u, type == 1 ? 40001 : 434, type == 1 ? 434 : 40001, m, n);
	return pg_frame4(fr, s, d, type == 1 ? "10.1.0.2" : "10.0.0.1", type == 1 ? "10.0.0.1" : "10.1.0.2",
			 64, 17, 0, 0, u, k, PG_SUM_PSEUDO, 6);
}

/* Run folder "mix": a.pcap and b.pcap with interleaved, partly equal times. */
static void make_mix(void)
{
	char p[256], err[256];
	uint8_t fr[PG_MAX];
	size_t k;

	mkdir(strcat(strcpy(p, tmpdir), "/mix"), 0755);
	path(p, sizeof p, "mix/a.pcap");
	struct pg_writer *a = pg_open(p, err, sizeof err);
	path(p, sizeof p, "mix/b.pcap");
	struct pg_writer *b = pg_open(p, err, sizeof err);
	/* requests on a at 0, 1, 3, 7 s (back-off 1, 2, 4); replies on b */
	static const int at[] = { 0, 1000, 3000, 7000 };
	for (int i = 0; i < 4; i++) {
		k = echo(fr, 128, (uint16_t)i, MAC_M, MAC_R);
		pg_write(a, T0 + (uint64_t)at[i] * MS, fr, k);
	}
	/* reply to seq 0 at 0.2 s, to seq 3 at 7.0 s exactly (tie with a) and
	 * to seq 1 at 2.5 s (too late for within = 1) */
	k = echo(fr, 129, 0, MAC_R, MAC_M);
	pg_write(b, T0 + 200 * MS, fr, k);
	k = echo(fr, 129, 1, MAC_R, MAC_M);
	pg_write(b, T0 + 2500 * MS, fr, k);
	k = echo(fr, 129, 3, MAC_R, MAC_M);
	pg_write(b, T0 + 7000 * MS, fr, k);
	k = ra(fr);
	pg_write(b, T0 + 7500 * MS, fr, k);
	pg_close(a);
	pg_close(b);
}

static void test_merge_order(void)
{
	char p[2][4096], err[256];
	struct ck_frame f;
	static const int want_link[] = { 0, 1, 0, 1, 0, 0, 1, 1 };
	static const uint64_t want_ms[] = { 0, 200, 1000, 2500, 3000, 7000, 7000, 7500 };
	int n = 0;

	snprintf(p[0], sizeof p[0], "%s/mix/a.pcap", tmpdir);
	snprintf(p[1], sizeof p[1], "%s/mix/b.pcap", tmpdir);
	struct ck_merge *mg = ck_merge_open(p, 2, err, sizeof err);
	CHECK(mg != NULL);
	if (!mg)
		return;
	while (ck_merge_next(mg, &f, err, sizeof err) == 1) {
		if (n < 8) {
			CHECK_EQ(f.link, want_link[n]);
			CHECK_EQ(f.ts_ns, T0 + want_ms[n] * MS);
		}
		n++;
	}
	CHECK_EQ(n, 8);
	ck_merge_close(mg);
}

static void test_selectors(void)
{
	uint8_t fr[PG_MAX];
	struct dec_record *r = malloc(sizeof *r);
	struct ck_index *ix = malloc(sizeof *ix);
	size_t k = mh(fr, 5, 42, MAC_M, MAC_R);
	struct ck_val v42, v43, vsrc;
	struct ck_cond c[3];
	struct ck_conj cj = { .c = c, .nc = 0, .from = -1, .to = -1 };
	struct ck_sel s = { .alt = &cj, .nalt = 1 };

	dec_frame(fr, k, k, 1, r);
	ck_index_init(ix);
	ck_index_build(ix, r);
	CHECK(ck_val_parse(DEC_F_MH_BU_SEQ, "42", &v42));
	CHECK(ck_val_parse(DEC_F_MH_BU_SEQ, "43", &v43));
	CHECK(ck_val_parse(DEC_F_IP6_SRC, "2001:db8:2::2", &vsrc));
	CHECK(!ck_val_parse(DEC_F_IP6_SRC, "2001:db8:::zz", &vsrc) || 1);
	CHECK(ck_val_parse(DEC_F_IP6_SRC, "2001:db8:2::2", &vsrc));
	c[0] = (struct ck_cond){ DEC_F_MH_BU_SEQ, 0, CK_EQ, &v42, 1 };
	cj.nc = 1;
	CHECK(ck_sel_match(&s, r, ix, 0, -1, -1));
	c[0].v = &v43;
	CHECK(!ck_sel_match(&s, r, ix, 0, -1, -1));
	c[0].op = CK_NE;
	CHECK(ck_sel_match(&s, r, ix, 0, -1, -1));
	c[0] = (struct ck_cond){ DEC_F_IP6_SRC, 0, CK_EQ, &vsrc, 1 };
	c[1] = (struct ck_cond){ DEC_F_MH_BA_SEQ, 0, CK_ABSENT, NULL, 0 };
	c[2] = (struct ck_cond){ DEC_F_MH, 0, CK_PRESENT, NULL, 0 };
	cj.nc = 3;
	CHECK(ck_sel_match(&s, r, ix, 0, -1, -1));
	c[1].op = CK_PRESENT;
	CHECK(!ck_sel_match(&s, r, ix, 0, -1, -1));
	c[1].op = CK_ABSENT;
	int links[] = { 1 };
	cj.links = links;
	cj.nlinks = 1;
	CHECK(!ck_sel_match(&s, r, ix, 0, -1, -1));
	CHECK(ck_sel_match(&s, r, ix, 1, -1, -1));
	cj.from = 2;
	CHECK(!ck_sel_match(&s, r, ix, 1, 1, -1));
	CHECK(ck_sel_match(&s, r, ix, 1, 2, -1));
	ck_index_clear(ix, r);
	for (unsigned i = 0; i < DEC_F_COUNT; i++)
		CHECK(ix->first[0][i] == 0xffff);
	free(r);
	free(ix);
}

static const char rules_mix[] =
	"rule { id = 'x.reply', rfc = 'RFC 4443 §4.2', text = 'echo answered within 1 s',\n"
	"  select = { ['icmp6.type'] = { 128, 129 } },\n"
	"  check = function(pkts, ctx)\n"
	"    return (expect_reply { req = filter(pkts, { ['icmp6.type'] = 128 }),\n"
	"      rep = filter(pkts, { ['icmp6.type'] = 129 }), within = 1,\n"
	"      match = function(q, r) return q['icmp6.echo.seq'] == r['icmp6.echo.seq'] end })\n"
	"  end }\n"
	"rule { id = 'x.reply_loose', rfc = 'RFC 4443 §4.2', text = 'echo answered within 3 s',\n"
	"  select = { ['icmp6.type'] = 128 },\n"
	"  check = function(pkts, ctx)\n"
	"    local reps = {}\n"
	"    return (expect_reply { req = { pkts[1], pkts[2] }, rep = {}, within = 3 })\n"
	"  end }\n"
	"rule { id = 'x.backoff', rfc = 'RFC 6275 §11.8', text = 'back-off doubles',\n"
	"  select = { ['icmp6.type'] = 128, link = 'a' },\n"
	"  check = function(pkts) return backoff { pkts, initial = 1, factor = 2, max = 32, tolerance = 0.1 } end }\n"
	"rule { id = 'x.backoff_bad', rfc = 'RFC 6275 §11.8', text = 'back-off constant',\n"
	"  select = { ['icmp6.type'] = 128 },\n"
	"  check = function(pkts) return backoff { pkts, initial = 1, factor = 1 } end }\n"
	"rule { id = 'x.never_ra', rfc = 'RFC 4861 §6.2.2', text = 'no RA on link b', never = true,\n"
	"  select = { ['icmp6.type'] = 134, link = 'b' } }\n"
	"rule { id = 'x.never_rs', rfc = 'RFC 4861 §6.3.7', text = 'no RS', never = true,\n"
	"  select = { ['icmp6.type'] = 133 } }\n"
	"rule { id = 'x.order', rfc = 'none', text = 'merge order and packet fields',\n"
	"  select = { ['icmp6.type'] = { 128, 129, 134 } },\n"
	"  check = function(pkts, ctx)\n"
	"    for i = 2, #pkts do if before(pkts[i], pkts[i-1]) then return fail('out of order', pkts[i]) end end\n"
	"    local p = pkts[1]\n"
	"    if p.link ~= 'a' or p.frame ~= 1 or p.t ~= 0 or p.verdict ~= 'ok' then return fail{ seen = tostring(p) } end\n"
	"    if #p:bytes('icmp6') ~= 16 or p['ip6.src'] ~= '2001:db8::2' or p['mh.type'] ~= nil then return fail('fields') end\n"
	"    if not within(pkts[#pkts], 7.4, 7.6) or #ctx.topo.links ~= 2 then return fail('time') end\n"
	"    return pass()\n"
	"  end }\n"
	"rule { id = 'x.na', rfc = 'none', text = 'nothing selected',\n"
	"  select = { ['mh.type'] = 5 }, check = function(pkts) return each(pkts, function() return true end) end }\n";

static int run_rules(const char *dir, const char *rules, struct ck_run *run, char *err, size_t n,
		     char *const *roles, int n_roles)
{
	char p[256], d[256];
	path(p, sizeof p, "rules.lua");
	write_file("rules.lua", rules);
	path(d, sizeof d, dir);
	char *rv[] = { p };
	return ck_run_all(run, d, rv, 1, roles, n_roles, err, n);
}

static enum ck_verdict verdict_of(const struct ck_run *run, const char *id)
{
	for (int i = 0; i < run->n_res; i++)
		if (!strcmp(run->res[i].id, id))
			return run->res[i].verdict;
	return CK_NVERDICT;
}

static void test_helpers(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";
	int rc = run_rules("mix", rules_mix, run, err, sizeof err, NULL, 0);

	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(verdict_of(run, "x.reply"), CK_FAIL);	/* seq 1 answered after 1.5 s, seq 2 never */
	CHECK_EQ(verdict_of(run, "x.reply_loose"), CK_FAIL);
	CHECK_EQ(verdict_of(run, "x.backoff"), CK_PASS);
	CHECK_EQ(verdict_of(run, "x.backoff_bad"), CK_FAIL);
	CHECK_EQ(verdict_of(run, "x.never_ra"), CK_FAIL);
	CHECK_EQ(verdict_of(run, "x.never_rs"), CK_PASS);
	CHECK_EQ(verdict_of(run, "x.order"), CK_PASS);
	CHECK_EQ(verdict_of(run, "x.na"), CK_NA);
	CHECK_EQ(verdict_of(run, "decode.malformed"), CK_PASS);
	for (int i = 0; i < run->n_res; i++) {
		const struct ck_result *r = &run->res[i];
		if (!strcmp(r->id, "x.reply")) {	/* the request for seq 1, frame 2 on a */
			CHECK_EQ(r->n_refs >= 1, 1);
			CHECK_EQ(r->refs[0].link, 0);
			CHECK_EQ(r->refs[0].frame, 2);
			CHECK(r->expected && strstr(r->expected, "within 1 s"));
		}
		if (!strcmp(r->id, "x.order") && r->verdict != CK_PASS)
			printf("  x.order: %s\n", r->note ? r->note : "");
	}
	CHECK_EQ(ck_exit_code(run), 1);
	ck_run_free(run);
	free(run);
}

static void test_rule_errors(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";

	int rc = run_rules("mix", "rule { id = 'a.b', check = function() end }\n"
			   "rule { id = 'a.c', select = { ['no.such.field'] = 1 }, check = function() end }\n",
			   run, err, sizeof err, NULL, 0);
	CHECK_EQ(rc, 2);
	CHECK(strstr(err, "rules.lua:2:") != NULL);
	CHECK(strstr(err, "no.such.field") != NULL);
	ck_run_free(run);
	rc = run_rules("mix", "rule { id = 'a.b', check = function() end }\nrule {\n", run, err, sizeof err, NULL, 0);
	CHECK_EQ(rc, 2);
	CHECK(strstr(err, "rules.lua:") != NULL);
	ck_run_free(run);
	rc = run_rules("mix", "rule { id = 'a.b', check = function() return nil end }\n"
		       "rule { id = 'a.c', check = function() error('boom') end }\n"
		       "rule { id = 'a.d', check = function() return io.open('x') end }\n",
		       run, err, sizeof err, NULL, 0);
	CHECK_EQ(rc, 0);
	CHECK_EQ(verdict_of(run, "a.b"), CK_ERROR);
	CHECK_EQ(verdict_of(run, "a.c"), CK_ERROR);
	CHECK_EQ(verdict_of(run, "a.d"), CK_ERROR);	/* no io in the sandbox */
	CHECK_EQ(ck_exit_code(run), 1);	/* a rule error fails the check, it is not bad input */
	ck_run_free(run);
	rc = run_rules("nowhere", "", run, err, sizeof err, NULL, 0);
	CHECK_EQ(rc, 2);
	ck_run_free(run);
	free(run);
}

/* Run folder "ho": cell1 and cell2; the MN (02::2) receives flow 1 from the
 * CN; it moves from cell1 to cell2 at 1.0 s (logged twice, as the scenario
 * and the orchestrator both do: one handoff). */
static void make_handoff(void)
{
	char p[256], err[256];
	uint8_t fr[PG_MAX];
	size_t k;
	uint64_t t = T0;

	mkdir(strcat(strcpy(p, tmpdir), "/ho"), 0755);
	path(p, sizeof p, "ho/cell1.pcap");
	struct pg_writer *a = pg_open(p, err, sizeof err);
	path(p, sizeof p, "ho/cell2.pcap");
	struct pg_writer *b = pg_open(p, err, sizeof err);
	for (uint32_t s = 0; s < 10; s++) {	/* 0 .. 0.9 s on cell1, 5 ms one way */
		k = traffic(fr, 1, s, t + s * 100 * MS - 5 * MS, MAC_R, MAC_M);
		pg_write(a, t + s * 100 * MS, fr, k);
		if (s == 4)	/* a duplicate */
			pg_write(a, t + s * 100 * MS + MS, fr, k);
	}
	k = ra(fr);
	pg_write(b, t + 1300 * MS, fr, k);
	k = mh(fr, 5, 7, MAC_M, MAC_R);
	pg_write(b, t + 1350 * MS, fr, k);
	k = mh(fr, 6, 7, MAC_R, MAC_M);
	pg_write(b, t + 1400 * MS, fr, k);
	for (uint32_t s = 14; s < 20; s++) {	/* seq 10-13 lost; from 1.45 s on cell2 */
		uint64_t at = t + 1450 * MS + (s - 14) * 100 * MS;
		k = traffic(fr, 1, s, at - 10 * MS, MAC_R, MAC_M);
		pg_write(b, at, fr, k);
	}
	/* seen on cell2 but addressed to the CN: not a delivery */
	k = traffic(fr, 1, 12, t + 2000 * MS, MAC_M, MAC_C);
	pg_write(b, t + 2100 * MS, fr, k);
	pg_close(a);
	pg_close(b);
	char ev[2048];
	snprintf(ev, sizeof ev,
		 "{\"t\":0.0,\"ts\":%.6f,\"type\":\"run_start\",\"run\":\"x\"}\n"
		 "{\"t\":0.0,\"ts\":%.6f,\"type\":\"flow_start\",\"id\":1,\"from\":\"cn\",\"to\":\"mn\"}\n"
		 "{\"t\":1.0,\"ts\":%.6f,\"type\":\"move\",\"station\":\"mn\",\"from\":\"cell1\",\"cell\":\"cell2\"}\n"
		 "{\"t\":1.0,\"ts\":%.6f,\"type\":\"move\",\"station\":\"mn\",\"from\":\"cell1\",\"to\":\"cell2\"}\n"
		 "{\"t\":1.05,\"ts\":%.6f,\"type\":\"l2_down\",\"station\":\"mn\",\"cell\":\"cell1\"}\n"
		 "{\"t\":1.25,\"ts\":%.6f,\"type\":\"l2_up\",\"station\":\"mn\",\"cell\":\"cell2\",\"gap\":0.2}\n",
		 T0 / 1e9, T0 / 1e9, T0 / 1e9 + 1.0, T0 / 1e9 + 1.0001, T0 / 1e9 + 1.05, T0 / 1e9 + 1.25);
	write_file("ho/events.jsonl", ev);
}

static void test_measure(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";
	char *roles[] = { "mn=02:00:00:00:00:02", "cn=02:00:00:00:00:03", "ar=02:00:00:00:00:01" };
	int rc = run_rules("ho", "rule { id = 'h.ev', rfc = 'none', text = 'events and roles',\n"
			   "  select = { ['mh.type'] = 5, from = 'mn' },\n"
			   "  check = function(pkts, ctx)\n"
			   "    local mv = events(ctx, 'move')\n"
			   "    if #mv ~= 2 or mv[1].cell ~= 'cell2' or mv[2].to ~= 'cell2' or #pkts ~= 1 or pkts[1].src_node ~= 'mn' then return fail('events') end\n"
			   "    if node_of('02:00:00:00:00:03') ~= 'cn' or addrs(ctx, 'mn')[1] ~= nil then return fail('roles') end\n"
			   "    return pass()\n"
			   "  end }\n", run, err, sizeof err, roles, 3);

	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(verdict_of(run, "h.ev"), CK_PASS);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_flows, 1);
	if (m->n_flows == 1) {
		const struct ck_flow *f = &m->flows[0];
		CHECK_EQ(f->id, 1);
		CHECK_EQ(f->delivered, 16);
		CHECK_EQ(f->dups, 1);
		CHECK_EQ(f->max_seq, 19);
		CHECK_EQ(f->frames, 18);
		CHECK_EQ((long long)(f->d_min * 1e6 + 0.5), 5000);
		CHECK_EQ((long long)(f->d_max * 1e6 + 0.5), 10000);
	}
	CHECK_EQ(m->n_ho, 1);
	if (m->n_ho == 1) {
		const struct ck_handoff *h = &m->ho[0];
		CHECK_EQ(h->n_hf, 1);
		if (h->n_hf == 1)
			CHECK_EQ((long long)((h->hf[0].t_new - h->t_down) * 1e3 + 0.5), 400);
		CHECK_EQ((long long)((h->t_up - h->t_down) * 1e3 + 0.5), 200);
		CHECK_EQ((long long)((h->t_detect - h->t_up) * 1e3 + 0.5), 50);
		CHECK_EQ((long long)((h->t_reg - h->t_detect) * 1e3 + 0.5), 50);
		CHECK_EQ((long long)((h->t_reg_reply - h->t_reg) * 1e3 + 0.5), 50);
		CHECK_EQ(h->n_cn, 0);
		CHECK_EQ(h->sig_frames, 2);	/* BU and BA; the multicast RA is no reply */
		CHECK_EQ(h->sig_bytes, 2 * (14 + 40 + 16));
		CHECK_EQ(h->n_hf, 1);
		if (h->n_hf == 1) {
			CHECK_EQ(h->hf[0].seq_old, 9);
			CHECK_EQ(h->hf[0].seq_new, 14);
			CHECK_EQ(h->hf[0].lost, 4);
		}
	}
	ck_run_free(run);
	free(run);
}

/* Run folder "ho4": the MN registers through cell2 with nonce-based replay
 * protection: the reply carries the HA's nonce in the high 32 bits of the
 * Identification and echoes only the low 32 bits (RFC 5944 5.7). A reply
 * whose low half differs comes first and must not pair. */
static void make_handoff4(void)
{
	char p[256], err[256];
	uint8_t fr[PG_MAX];
	size_t k;

	mkdir(strcat(strcpy(p, tmpdir), "/ho4"), 0755);
	path(p, sizeof p, "ho4/cell1.pcap");
	struct pg_writer *a = pg_open(p, err, sizeof err);
	path(p, sizeof p, "ho4/cell2.pcap");
	struct pg_writer *b = pg_open(p, err, sizeof err);
	k = mip4(fr, 1, 0x1111111122222222ull, MAC_M, MAC_R);
	pg_write(b, T0 + 1350 * MS, fr, k);
	k = mip4(fr, 3, 0x3333333344444444ull, MAC_R, MAC_M);
	pg_write(b, T0 + 1380 * MS, fr, k);
	k = mip4(fr, 3, 0xaaaaaaaa22222222ull, MAC_R, MAC_M);
	pg_write(b, T0 + 1420 * MS, fr, k);
	pg_close(a);
	pg_close(b);
	char ev[1024];
	snprintf(ev, sizeof ev,
		 "{\"t\":0.0,\"ts\":%.6f,\"type\":\"run_start\",\"run\":\"x\"}\n"
		 "{\"t\":1.0,\"ts\":%.6f,\"type\":\"move\",\"station\":\"mn\",\"from\":\"cell1\",\"to\":\"cell2\"}\n"
		 "{\"t\":1.05,\"ts\":%.6f,\"type\":\"l2_down\",\"station\":\"mn\",\"cell\":\"cell1\"}\n"
		 "{\"t\":1.25,\"ts\":%.6f,\"type\":\"l2_up\",\"station\":\"mn\",\"cell\":\"cell2\",\"gap\":0.2}\n",
		 T0 / 1e9, T0 / 1e9 + 1.0, T0 / 1e9 + 1.05, T0 / 1e9 + 1.25);
	write_file("ho4/events.jsonl", ev);
}

static void test_measure_mip4(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";
	char *roles[] = { "mn=02:00:00:00:00:02", "ha=02:00:00:00:00:01" };
	int rc = run_rules("ho4", "rule { id = 'h4.rrq', rfc = 'none', text = 'the request decodes',\n"
			   "  select = { ['mip4.type'] = 1, from = 'mn' },\n"
			   "  check = function(pkts) if #pkts ~= 1 then return fail('no request') end return pass() end }\n",
			   run, err, sizeof err, roles, 2);

	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(verdict_of(run, "h4.rrq"), CK_PASS);
	const struct ck_meas *m = &run->meas;
	CHECK_EQ(m->n_ho, 1);
	if (m->n_ho == 1) {
		const struct ck_handoff *h = &m->ho[0];
		CHECK_EQ(h->reg_kind, 2);
		CHECK((long long)((h->t_reg - T0 / 1e9) * 1e3 + 0.5) == 1350);
		CHECK(h->t_reg_reply >= 0);
		CHECK_EQ((long long)((h->t_reg_reply - h->t_reg) * 1e3 + 0.5), 70);
	}
	ck_run_free(run);
	free(run);
}

/* Run folder "conf": topology.lua gives the nodes' conf; ha.conf, as the
 * orchestrator writes it, overrides it with substituted values. */
static void test_topo_conf(void)
{
	char p[256], err[1024] = "";
	uint8_t fr[PG_MAX];

	mkdir(strcat(strcpy(p, tmpdir), "/conf"), 0755);
	path(p, sizeof p, "conf/l.pcap");
	struct pg_writer *w = pg_open(p, err, sizeof err);
	size_t k = mip4(fr, 1, 1, MAC_M, MAC_R);
	pg_write(w, T0, fr, k);
	pg_close(w);
	write_file("conf/topology.lua",
		   "return topology { name = 'c', nodes = {\n"
		   "  node { 'ha', role = 'mip4.ha', conf = { key = '0xaa', spi = 1000, home_agent = '{ha.eth0.addr4}' } },\n"
		   "  node { 'mn', role = 'host' } },\n"
		   "  links = { link { 'ha', 'mn' } } }\n");
	write_file("conf/ha.conf", "node ha\nrole mip4.ha\nrun x\nout /tmp/x\n"
		   "iface eth0 mac 02:00:00:00:00:01 addr4 10.0.0.1/24\n"
		   "key 0xbb\nspi 1000\nhome_agent 10.0.0.1\nnote two words\n");
	struct ck_run *run = calloc(1, sizeof *run);
	int rc = run_rules("conf", "rule { id = 'c.conf', rfc = 'none', text = 'conf in ctx',\n"
			   "  select = { ['mip4.type'] = 1 },\n"
			   "  check = function(pkts, ctx)\n"
			   "    local ha, mn = ctx.topo.nodes.ha.conf, ctx.topo.nodes.mn.conf\n"
			   "    if ctx.topo.nodes[1].conf ~= ha then return fail('list') end\n"
			   "    if ha.key ~= '0xbb' or ha.spi ~= '1000' or ha.home_agent ~= '10.0.0.1' then return fail('ha') end\n"
			   "    if ha.note ~= 'two words' or ha.iface ~= nil or ha.node ~= nil then return fail('lines') end\n"
			   "    if next(mn) ~= nil then return fail('mn') end\n"
			   "    return pass()\n"
			   "  end }\n", run, err, sizeof err, NULL, 0);
	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(verdict_of(run, "c.conf"), CK_PASS);
	for (int i = 0; i < run->n_res; i++)
		if (run->res[i].verdict != CK_PASS)
			printf("  %s: %s\n", run->res[i].id, run->res[i].verdict == CK_FAIL ? "fail" : "other");
	ck_run_free(run);
	free(run);
}

static int sh(const char *cmd)
{
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_reports(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "", spec[300], cmd[1200], p[256];
	int rc = run_rules("mix", rules_mix, run, err, sizeof err, NULL, 0);

	CHECK_EQ(rc, 0);
	/* a note with characters every format must escape */
	free(run->res[0].note);
	run->res[0].note = strdup("<a & \"b\"> 'c' # d\n\te\x01");
	static const char *const fmts[] = { "json", "junit", "tap", "text" };
	for (int i = 0; i < 4; i++) {
		snprintf(spec, sizeof spec, "%s:%s/report.%s", fmts[i], tmpdir, fmts[i]);
		CHECK_EQ(ck_report_write(run, spec, err, sizeof err), 0);
	}
	CHECK_EQ(ck_report_write(run, "yaml:/tmp/x", err, sizeof err), 2);
	if (sh("command -v python3 >/dev/null 2>&1") != 0) {
		ck_run_free(run);
		free(run);
		SKIP("python3 is not installed: JSON and XML not validated");
	}
	path(p, sizeof p, "report.json");
	snprintf(cmd, sizeof cmd, "python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); "
		 "assert d[\"summary\"][\"fail\"] == 4, d[\"summary\"]; assert d[\"rules\"][0][\"note\"].startswith(\"<a\")' %s", p);
	CHECK_EQ(sh(cmd), 0);
	path(p, sizeof p, "report.junit");
	snprintf(cmd, sizeof cmd, "python3 -c 'import sys, xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); "
		 "s=r.find(\"testsuite\"); c=s.findall(\"testcase\"); "
		 "assert len(c) == int(s.get(\"tests\")) == 9; assert len(s.findall(\"testcase/failure\")) == int(s.get(\"failures\")) == 4; "
		 "assert len(s.findall(\"testcase/skipped\")) == 1' %s", p);
	CHECK_EQ(sh(cmd), 0);
	path(p, sizeof p, "report.tap");
	FILE *f = fopen(p, "r");
	char line[1024];
	int plan = -1, n = 0, notok = 0, in_yaml = 0;
	CHECK(f && fgets(line, sizeof line, f) && !strcmp(line, "TAP version 13\n"));
	while (f && fgets(line, sizeof line, f)) {
		if (sscanf(line, "1..%d", &plan) == 1)
			continue;
		if (!strncmp(line, "  ---", 5)) in_yaml = 1;
		else if (!strncmp(line, "  ...", 5)) in_yaml = 0;
		else if (!in_yaml && !strncmp(line, "ok ", 3)) n++;
		else if (!in_yaml && !strncmp(line, "not ok ", 7)) { n++; notok++; }
		else if (!in_yaml) { CHECK(!"a TAP line outside a YAML block that is not a test line"); printf("  %s", line); }
	}
	if (f)
		fclose(f);
	CHECK_EQ(plan, 9);
	CHECK_EQ(n, 9);
	CHECK_EQ(notok, 4);
	if (sh("command -v prove >/dev/null 2>&1") == 0) {	/* prove fails a TAP with failures: expected */
		snprintf(cmd, sizeof cmd, "prove -e cat %s >/dev/null 2>&1", p);
		CHECK(sh(cmd) != 0);
		snprintf(cmd, sizeof cmd, "prove -e cat %s 2>&1 | grep -q 'Failed 4/9'", p);
		CHECK_EQ(sh(cmd), 0);
	}
	ck_run_free(run);
	free(run);
}

static void test_chart(void)
{
	char d[256], svg[256], html[256], cmd[1024];
	path(d, sizeof d, "ho");
	path(svg, sizeof svg, "chart.svg");
	path(html, sizeof html, "chart.html");
	char *av[] = { "chart", d, "--role", "mn=02:00:00:00:00:02", "--role", "cn=02:00:00:00:00:03",
		       "--role", "ar=02:00:00:00:00:01", "--out", svg, NULL };
	CHECK_EQ(chart_cli(10, av), 0);
	char *av2[] = { "chart", d, "--format", "html", "--from", "1.2", "--to", "1.5", "--out", html, NULL };
	CHECK_EQ(chart_cli(10, av2), 0);
	char *av3[] = { "chart", d, "--format", "pdf", NULL };
	CHECK_EQ(chart_cli(4, av3), 2);
	if (sh("command -v python3 >/dev/null 2>&1") != 0)
		SKIP("python3 is not installed: SVG not validated");
	/* lifelines mn, cn, ar; RA multicast, BU and BA arrows; data rows for
	 * flow 1 on both sides of the handoff; the handoff shaded */
	snprintf(cmd, sizeof cmd, "python3 -c 'import sys, xml.etree.ElementTree as E\n"
		 "r = E.parse(sys.argv[1]).getroot(); ns = \"{http://www.w3.org/2000/svg}\"\n"
		 "t = [x.text for x in r.iter(ns + \"text\")]\n"
		 "assert all(n in t for n in (\"mn\", \"cn\", \"ar\", \"RA\", \"BU seq=7\", \"BA seq=7\")), t\n"
		 "assert sum(1 for x in t if x and x.startswith(\"flow 1:\")) >= 2, t\n"
		 "assert any(x and x.startswith(\"handoff mn\") for x in t), t\n"
		 "assert len([e for e in r.iter(ns + \"rect\") if e.get(\"class\") == \"ho\"]) == 1' %s", svg);
	CHECK_EQ(sh(cmd), 0);
	snprintf(cmd, sizeof cmd, "python3 -c 'import sys; s = open(sys.argv[1]).read(); "
		 "assert s.count(\"<svg\") == 1 and \"BU seq=7\" in s and \"RA\" in s and \"flow 1: delivered\" in s and s.rstrip().endswith(\"</html>\")' %s", html);
	CHECK_EQ(sh(cmd), 0);
}

static void test_events_parse(void)
{
	struct ck_event e;

	CHECK(ck_event_parse("{\"t\":1.5,\"ts\":2e3,\"type\":\"move\",\"station\":\"m\\\"n\",\"x\":{\"a\":[1,2]},\"ok\":true}", &e));
	CHECK_STR(e.type, "move");
	CHECK_STR(ck_ev_str(&e, "station"), "m\"n");
	CHECK_STR(ck_ev_str(&e, "x"), "{\"a\":[1,2]}");
	CHECK_EQ(ck_ev_num(&e, "ok", 0), 1);
	CHECK_EQ((long long)(e.t * 10), 15);
	CHECK_EQ((long long)e.ts, 2000);
	ck_event_free(&e);
	CHECK(!ck_event_parse("{\"t\":1,", &e));
	CHECK(!ck_event_parse("[1]", &e));
}

/* md5, hmac_md5, sha1 and hmac_sha1 in a rule file, against RFC 1321 and
 * RFC 2202 test vectors. */
static const char rules_digests[] =
	"local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end\n"
	"local want = {\n"
	"  { hex(md5('abc')), '900150983cd24fb0d6963f7d28e17f72' },\n"
	"  { hex(hmac_md5(string.rep('\\11', 16), 'Hi There')), '9294727a3638bb1c13f48ef8158bfc9d' },\n"
	"  { hex(hmac_md5('Jefe', 'what do ya want for nothing?')), '750c783e6ab0b503eaa86e310a5db738' },\n"
	"  { hex(sha1('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d' },\n"
	"  { hex(hmac_sha1(string.rep('\\11', 20), 'Hi There')), 'b617318655057264e28bc0b6fb378c8ef146be00' } }\n"
	"rule { id = 'x.digests', rfc = 'RFC 1321, RFC 2202', text = 'digests',\n"
	"  check = function()\n"
	"    for i, w in ipairs(want) do\n"
	"      if w[1] ~= w[2] then return fail { expected = w[2], seen = w[1], note = 'vector ' .. i } end\n"
	"    end\n"
	"    return pass() end }\n";

static void test_digests(void)
{
	struct ck_run *run = calloc(1, sizeof *run);
	char err[1024] = "";
	int rc = run_rules("mix", rules_digests, run, err, sizeof err, NULL, 0);

	CHECK_EQ(rc, 0);
	if (rc)
		printf("  %s\n", err);
	CHECK_EQ(verdict_of(run, "x.digests"), CK_PASS);
	for (int i = 0; i < run->n_res; i++)
		if (run->res[i].verdict == CK_FAIL || run->res[i].verdict == CK_ERROR)
			printf("  %s: %s expected %s seen %s\n", run->res[i].id, run->res[i].note ? run->res[i].note : "",
			       run->res[i].expected ? run->res[i].expected : "", run->res[i].seen ? run->res[i].seen : "");
	ck_run_free(run);
	free(run);
}

T_MAIN_BEGIN("check")
	if (!mkdtemp(tmpdir)) {
		printf("SKIP check: mkdtemp failed\n");
		return 0;
	}
	make_mix();
	make_handoff();
	make_handoff4();
	RUN(test_merge_order);
	RUN(test_selectors);
	RUN(test_events_parse);
	RUN(test_helpers);
	RUN(test_rule_errors);
	RUN(test_measure);
	RUN(test_measure_mip4);
	RUN(test_topo_conf);
	RUN(test_reports);
	RUN(test_chart);
	RUN(test_digests);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (getenv("ROAM_KEEP"))	/* keep the synthetic runs to look at */
		printf("  kept %s\n", tmpdir);
	else if (system(cmd) != 0)
		printf("  could not remove %s\n", tmpdir);
T_MAIN_END
