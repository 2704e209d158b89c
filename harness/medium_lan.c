/* medium_lan.c — the medium's LANs at scale: snooping (medium_snoop.h)
 * seeded from the topology and fed by what ports send, the ports a
 * broadcast or multicast frame goes to, and a warning with measured
 * figures when the medium cannot keep up with what it is asked to
 * deliver. Receive thread only. */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "evlog.h"
#include "medium_int.h"
#include "medium_snoop.h"

#define LOAD_WINDOW_NS 1000000000LL	/* figures over at least this long */
#define LOAD_WARN_EVERY_NS 10000000000LL
#define LOAD_BUSY 0.9			/* share of a core that counts as saturated */

static bool lan_is_router(const char *role)
{
	return strcmp(role, "host") != 0;	/* routers, agents, APs, and roles that may act as one */
}

bool medium_lan_seed(struct medium *m, const struct topo *t)
{
	m->snoop = msnoop_new();
	if (!m->snoop)
		return false;
	for (int i = 0; i < m->n_ports; i++) {
		struct mport *p = &m->ports[i];
		const struct topo_iface *ti = &t->ifaces[p->iface];
		p->mrouter = ti->node >= 0 && ti->node < t->n_nodes && lan_is_router(t->nodes[ti->node].role);
		struct snoop_addr a;
		snoop_link_local(ti->mac, &a);
		bool ok = msnoop_claim(m->snoop, &a, i);
		if (ti->v4.family) {
			a = (struct snoop_addr){ .fam = 4 };
			memcpy(a.a, ti->v4.addr, 4);
			ok = ok && msnoop_claim(m->snoop, &a, i);
		}
		if (ti->v6.family) {
			a = (struct snoop_addr){ .fam = 6 };
			memcpy(a.a, ti->v6.addr, 16);
			ok = ok && msnoop_claim(m->snoop, &a, i);
		}
		if (!ok)
			return false;
	}
	return true;
}

void medium_lan_learn(struct medium *m, int pi, const uint8_t *d, uint32_t len, struct snoop_info *si)
{
	snoop_parse(d, len, si);
	if (si->claim.fam)
		msnoop_claim(m->snoop, &si->claim, pi);
	if (si->router)
		m->ports[pi].mrouter = true;
}

struct lan_pick { struct medium *m; int li, pi, n, found; int *out; };

static void lan_owner(void *ctx, int q)
{
	struct lan_pick *k = ctx;
	const struct mport *p = &k->m->ports[q];
	if (p->link != k->li || !p->attached)
		return;
	k->found++;
	if (q != k->pi)
		k->out[k->n++] = q;
}

int medium_lan_ports(struct medium *m, int li, int pi, const struct snoop_info *si, int *out)
{
	const struct mlink *l = &m->links[li];
	if (si->kind == SNOOP_ROUTERS) {
		int n = 0;
		for (int k = 0; k < l->n_ports; k++)
			if (l->ports[k] != pi && m->ports[l->ports[k]].mrouter)
				out[n++] = l->ports[k];
		return n;
	}
	if (si->kind != SNOOP_OWNERS)
		return -1;
	struct lan_pick k = { .m = m, .li = li, .pi = pi, .out = out };
	msnoop_owners(m->snoop, &si->target, lan_owner, &k);
	return k.found ? k.n : -1;	/* no owner known on this link: flood */
}

/* Called after each receive round: over each window of at least a second
 * in which the receive thread was busy, compares its CPU time with the
 * wall time and asks the kernel how many frames it dropped for want of a
 * reader; when saturated, says so with the figures. */
void medium_load_tick(struct medium *m, int64_t now)
{
	if (!m->load_t0) {
		m->load_t0 = now;
		m->load_cpu0 = medium_thread_cpu_ns();
		m->load_rx = m->load_deliv = 0;
		return;
	}
	if (now - m->load_t0 < LOAD_WINDOW_NS)
		return;
	int64_t cpu = medium_thread_cpu_ns();
	double wall = (double)(now - m->load_t0) * 1e-9, busy = (double)(cpu - m->load_cpu0) * 1e-9 / wall;
	struct tpacket_stats st = { 0 };
	socklen_t sl = sizeof(st);
	if (getsockopt(m->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		st.tp_drops = 0;
	m->load_drops += st.tp_drops;
	if ((busy >= LOAD_BUSY || st.tp_drops) && now - m->load_warned >= LOAD_WARN_EVERY_NS) {
		m->load_warned = now;
		double rx = (double)m->load_rx / wall, dl = (double)m->load_deliv / wall;
		char why[160];
		if (busy >= LOAD_BUSY)
			snprintf(why, sizeof(why), "this machine carries about %.0f deliveries/s", dl / busy);
		else
			snprintf(why, sizeof(why), "the medium got only %.0f%% of a core: other work holds the CPUs",
				 busy * 100);
		fprintf(stderr, "roam: medium: overloaded: %.0f frames/s read and %.0f deliveries/s made, "
			"using %.0f%% of a core; the kernel dropped %u frames the medium could not read in time "
			"(%llu so far): %s. Expect losses and delays beyond the topology's.\n", rx, dl,
			busy * 100, st.tp_drops, (unsigned long long)m->load_drops, why);
		evlog("medium_overload", "\"rx_per_s\":%.0f,\"deliveries_per_s\":%.0f,\"cpu\":%.2f,\"drops\":%u",
		      rx, dl, busy, st.tp_drops);
	}
	m->load_t0 = 0;
}

int64_t medium_thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
