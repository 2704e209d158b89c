/* test_impair.c — the medium's model without sockets: loss, bursts,
 * duplication, reordering, delay and jitter, rate, profiles, radio, heap. */
#include <math.h>
#include "t.h"
#include "medium_heap.h"
#include "medium_impair.h"
#include "medium_ring.h"
#include <pthread.h>

#define MS 1000000LL

static struct imp_dir mkdir_(const struct topo_impair *imp, const char *name)
{
	struct imp_dir d;
	if (!imp_dir_init(&d, imp, NULL, 0, 1234, name, 0))
		abort();
	return d;
}

/* Loss pattern statistics over n frames: losses and bursts. */
static void loss_stats(struct imp_dir *d, int n, int *lost, int *bursts)
{
	bool prev = false;
	*lost = *bursts = 0;
	for (int i = 0; i < n; i++) {
		bool l = imp_lost(d);
		*lost += l;
		*bursts += l && !prev;
		prev = l;
	}
}

static void loss_bernoulli(void)
{
	struct topo_impair imp = { .loss = 0.01 };
	struct imp_dir d = mkdir_(&imp, "a");
	int n = 100000, lost, bursts;
	loss_stats(&d, n, &lost, &bursts);
	CHECK(fabs(lost - n * 0.01) < 4 * sqrt(n * 0.01 * 0.99));
	imp_dir_free(&d);
	struct topo_impair none = { 0 };
	d = mkdir_(&none, "a");
	loss_stats(&d, 10000, &lost, &bursts);
	CHECK_EQ(lost, 0);
	imp_dir_free(&d);
}

static void loss_correlation_bursts(void)
{
	int n = 400000, l0, b0, l1, b1;
	struct topo_impair a = { .loss = 0.1 }, b = { .loss = 0.1, .loss_corr = 0.8 };
	struct imp_dir d0 = mkdir_(&a, "x"), d1 = mkdir_(&b, "x");
	loss_stats(&d0, n, &l0, &b0);
	loss_stats(&d1, n, &l1, &b1);
	double m0 = (double)l0 / b0, m1 = (double)l1 / b1;
	/* Same long-run rate; mean burst 1/(1-p) = 1.11 vs 1/((1-c)(1-p)) = 5.6. */
	CHECK(fabs((double)l1 / n - 0.1) < 0.01);
	CHECK(fabs(m0 - 1 / 0.9) < 0.05);
	CHECK(fabs(m1 - 1 / (0.2 * 0.9)) < 0.5);
	CHECK(m1 > 3 * m0);
	imp_dir_free(&d0);
	imp_dir_free(&d1);
}

static void loss_gilbert_elliott(void)
{
	struct topo_impair imp = { .ge = true, .ge_p = 0.01, .ge_r = 0.25, .ge_loss_bad = 1 };
	struct imp_dir d = mkdir_(&imp, "ge");
	int n = 1000000, lost, bursts;
	loss_stats(&d, n, &lost, &bursts);
	double mean_burst = (double)lost / bursts;
	CHECK(fabs(mean_burst - 1 / 0.25) < 0.4);
	/* Stationary share of the bad state: p / (p + r). */
	CHECK(fabs((double)lost / n - 0.01 / 0.26) < 0.004);
	imp_dir_free(&d);
}

static void dup_and_reorder(void)
{
	struct topo_impair imp = { .dup = 0.05, .reorder = 0.1, .delay = 0.010 };
	struct imp_dir d = mkdir_(&imp, "dr");
	int n = 100000, dups = 0, reo = 0, early = 0;
	for (int i = 0; i < n; i++) {
		struct imp_out o;
		imp_decide(&d, 1000 * MS, 100, &o);
		CHECK(o.verdict == IMP_PASS);
		dups += o.copies == 2;
		reo += o.reordered;
		early += o.depart == 1000 * MS;
		if (!o.reordered && o.depart != 1010 * MS)
			CHECK(o.depart == 1010 * MS);
	}
	CHECK(fabs(dups - n * 0.05) < 4 * sqrt(n * 0.05 * 0.95));
	CHECK(fabs(reo - n * 0.1) < 4 * sqrt(n * 0.1 * 0.9));
	CHECK_EQ(early, reo);
	imp_dir_free(&d);
}

static void delay_jitter(void)
{
	struct topo_impair imp = { .delay = 0.020, .jitter = 0.005 };
	struct imp_dir d = mkdir_(&imp, "j");
	double sum = 0;
	int n = 50000;
	int64_t lo = INT64_MAX, hi = 0;
	for (int i = 0; i < n; i++) {
		struct imp_out o;
		imp_decide(&d, 0, 100, &o);
		sum += (double)o.depart;
		lo = o.depart < lo ? o.depart : lo;
		hi = o.depart > hi ? o.depart : hi;
	}
	CHECK(lo >= 15 * MS && hi <= 25 * MS);
	CHECK(lo < 15 * MS + MS / 10 && hi > 25 * MS - MS / 10);
	CHECK(fabs(sum / n - 20 * MS) < 0.05 * MS);
	imp_dir_free(&d);
}

static void rate_serialization(void)
{
	struct imp_ser s = { 0 };
	/* 1 Mbit/s, 125 bytes = 1000 bits = 1 ms on the wire. */
	CHECK_EQ(imp_ser_push(&s, 0, 125, 1e6), 1 * MS);
	CHECK_EQ(imp_ser_push(&s, 0, 125, 1e6), 2 * MS);
	CHECK_EQ(imp_ser_push(&s, MS / 2, 250, 1e6), 4 * MS);
	CHECK_EQ(imp_ser_push(&s, 10 * MS, 125, 1e6), 11 * MS);
	CHECK_EQ(imp_ser_push(&s, 10 * MS, 125, 0), 10 * MS);	/* unlimited */
	imp_ser_free(&s);
	/* Frame bound: 1000 queued, the next one is dropped. */
	for (int i = 0; i < IMP_QUEUE_FRAMES; i++)
		CHECK(imp_ser_push(&s, 0, 125, 1e9) > 0);
	CHECK_EQ(imp_ser_push(&s, 0, 125, 1e9), -1);
	CHECK(imp_ser_push(&s, 10 * MS, 125, 1e9) > 0);	/* drained by then */
	imp_ser_free(&s);
	/* Time bound: more than 1 s of backlog. 1500 B at 100 kbit/s = 120 ms. */
	int ok = 0;
	for (int i = 0; i < 20; i++)
		ok += imp_ser_push(&s, 0, 1500, 1e5) > 0;
	CHECK_EQ(ok, 9);	/* starts at 0, 120, .. 960 ms; the 10th would start at 1080 */
	imp_ser_free(&s);
	/* Through imp_decide: rate then delay. */
	struct topo_impair imp = { .rate = 8e6, .delay = 0.001 };	/* 1000 B = 1 ms */
	struct imp_dir d = mkdir_(&imp, "r");
	struct imp_out o;
	imp_decide(&d, 0, 1000, &o);
	CHECK_EQ(o.depart, 2 * MS);
	imp_decide(&d, 0, 1000, &o);
	CHECK_EQ(o.depart, 3 * MS);
	imp_dir_free(&d);
}

static void profile_switching(void)
{
	struct topo_impair base = { 0 };
	struct topo_step steps[2] = { { .t = 1.0, .imp = { .loss = 1 } }, { .t = 2.0, .imp = { .delay = 0.005 } } };
	struct imp_dir d;
	CHECK(imp_dir_init(&d, &base, steps, 2, 1, "prof", 1));
	steps[0].imp.loss = 0;	/* the medium keeps its own copy */
	struct imp_out o;
	imp_dir_tick(&d, 0.5);
	imp_decide(&d, 0, 100, &o);
	CHECK(o.verdict == IMP_PASS && o.depart == 0);
	imp_dir_tick(&d, 1.5);
	imp_decide(&d, 0, 100, &o);
	CHECK(o.verdict == IMP_LOSS);
	imp_dir_tick(&d, 2.0);
	imp_decide(&d, 0, 100, &o);
	CHECK(o.verdict == IMP_PASS && o.depart == 5 * MS);
	struct topo_impair set = { .delay = 0.001 };
	imp_dir_set(&d, &set);
	imp_decide(&d, 0, 100, &o);
	CHECK_EQ(o.depart, 1 * MS);
	imp_dir_free(&d);
}

static void same_seed_same_drops(void)
{
	struct topo_impair imp = { .loss = 0.3, .loss_corr = 0.3 };
	struct imp_dir a, b, c;
	imp_dir_init(&a, &imp, NULL, 0, 5, "wan", 0);
	imp_dir_init(&b, &imp, NULL, 0, 5, "wan", 0);
	imp_dir_init(&c, &imp, NULL, 0, 5, "wan", 1);
	int same = 0, diff = 0;
	for (int i = 0; i < 1000; i++) {
		struct imp_out oa, ob, oc;
		imp_decide(&a, i, 100, &oa);
		imp_decide(&b, i, 100, &ob);
		imp_decide(&c, i, 100, &oc);
		same += oa.verdict == ob.verdict;
		diff += oa.verdict != oc.verdict;
	}
	CHECK_EQ(same, 1000);
	CHECK(diff > 100);
	imp_dir_free(&a);
	imp_dir_free(&b);
	imp_dir_free(&c);
}

static const struct topo_radio radio = {
	.tx_power = 20, .ref_loss = 40, .exponent = 3, .noise = -90,
	.snr_min = 5, .snr_good = 25, .rate_max = 54e6,
};

static void radio_model(void)
{
	struct radio_q q;
	/* d = 10 m: rx = 20 - (40 + 30) = -50, snr 40: perfect. */
	radio_eval(&radio, 10, &q);
	CHECK(q.in_range && q.loss == 0 && q.rate == 54e6);
	CHECK(fabs(q.snr - 40) < 1e-9);
	radio_eval(&radio, 0.2, &q);	/* below 1 m counts as 1 m */
	CHECK(fabs(q.snr - 70) < 1e-9);
	/* snr = 70 - 30 log10(d): 25 at 31.6 m, 5 at 146.8 m. */
	radio_eval(&radio, 31, &q);
	CHECK(q.in_range && q.loss == 0);
	radio_eval(&radio, 146.5, &q);
	CHECK(q.in_range && q.loss > 0.99);
	radio_eval(&radio, 147.5, &q);
	CHECK(!q.in_range);
	double prev_loss = -1, prev_rate = 1e18;
	for (double d = 1; d < 146.5; d += 0.5) {
		radio_eval(&radio, d, &q);
		CHECK(q.in_range);
		CHECK(q.loss >= prev_loss && q.loss >= 0 && q.loss <= 1);
		CHECK(q.rate <= prev_rate && q.rate >= 0.1 * 54e6 - 1);
		prev_loss = q.loss;
		prev_rate = q.rate;
	}
	radio_eval(&radio, 100, &q);	/* snr = 10: u = 0.75, loss = 0.84375 */
	CHECK(fabs(q.loss - 0.84375) < 1e-9);
	CHECK(fabs(q.rate - 54e6 * (1 - 0.9 * 0.75)) < 1);
}

static void heap_order(void)
{
	struct mheap h = { 0 };
	uint64_t st = 1;
	for (int i = 0; i < 5000; i++) {
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		CHECK(mheap_push(&h, (int64_t)(st >> 40) % 1000, 0, i, NULL));
	}
	struct mheap_ev ev, prev = { .t = -1 };
	int n = 0;
	while (mheap_pop(&h, &ev)) {
		CHECK(ev.t > prev.t || (ev.t == prev.t && ev.seq > prev.seq));
		prev = ev;
		n++;
	}
	CHECK_EQ(n, 5000);
	CHECK(mheap_top(&h) == NULL);
	for (int i = 0; i < 10; i++)	/* ties keep insertion order */
		mheap_push(&h, 7, 0, i, NULL);
	for (int i = 0; i < 10; i++) {
		mheap_pop(&h, &ev);
		CHECK_EQ(ev.arg, i);
	}
	mheap_free(&h);
}

/* The receive -> sender/capture ring: records of every length come out
 * whole and in order across the wrap (padding), a full ring refuses
 * without change, and a producer and a consumer thread agree on 200,000
 * records. */
static void ring_one_thread(void)
{
	struct mring r;
	CHECK(mring_init(&r, 256));
	CHECK_EQ(r.cap, 256);
	size_t len;
	CHECK(mring_front(&r, &len) == NULL);
	unsigned seq = 0, got = 0;
	for (int round = 0; round < 100; round++) {
		size_t n = 1 + (size_t)(round * 7) % 60;	/* 1..60 bytes */
		uint8_t *p;
		while ((p = mring_reserve(&r, n))) {
			memset(p, (int)(seq & 0xff), n);
			mring_commit(&r);
			seq++;
		}
		CHECK(mring_reserve(&r, 300) == NULL);	/* larger than the ring */
		uint8_t *q;
		while ((q = mring_front(&r, &len))) {
			bool same = true;
			for (size_t i = 0; i < len; i++)
				same &= q[i] == (uint8_t)(got & 0xff);
			CHECK(same);
			mring_release(&r);
			got++;
		}
		CHECK_EQ(got, seq);
		CHECK(mring_empty(&r));
	}
	mring_free(&r);
}

#define RING_N 200000
static void *ring_producer(void *arg)
{
	struct mring *r = arg;
	for (uint32_t i = 0; i < RING_N; i++) {
		size_t n = 4 + i % 90;
		uint8_t *p;
		while (!(p = mring_reserve(r, n)))
			;
		memcpy(p, &i, 4);
		memset(p + 4, (int)(i & 0xff), n - 4);
		mring_commit(r);
	}
	return NULL;
}

static void ring_two_threads(void)
{
	struct mring r;
	CHECK(mring_init(&r, 4096));
	pthread_t th;
	pthread_create(&th, NULL, ring_producer, &r);
	uint32_t want = 0;
	int bad = 0;
	while (want < RING_N) {
		size_t len;
		uint8_t *p = mring_front(&r, &len);
		if (!p)
			continue;
		uint32_t v;
		memcpy(&v, p, 4);
		if (v != want || len != 4 + want % 90 || (len > 4 && p[len - 1] != (uint8_t)(want & 0xff)))
			bad++;
		mring_release(&r);
		want++;
	}
	pthread_join(th, NULL);
	if (bad)
		printf("  %d of %d records out of order or torn\n", bad, RING_N);
	CHECK_EQ(bad, 0);
	CHECK(mring_empty(&r));
	mring_free(&r);
}

T_MAIN_BEGIN("impair")
	RUN(loss_bernoulli);
	RUN(loss_correlation_bursts);
	RUN(loss_gilbert_elliott);
	RUN(dup_and_reorder);
	RUN(delay_jitter);
	RUN(rate_serialization);
	RUN(profile_switching);
	RUN(same_seed_same_drops);
	RUN(radio_model);
	RUN(heap_order);
	RUN(ring_one_thread);
	RUN(ring_two_threads);
T_MAIN_END
