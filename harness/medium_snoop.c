/* medium_snoop.c — multicast and ARP snooping for the medium's LANs
 * (see medium_snoop.h). RFC 826, RFC 4861 §4.3–4.4 and §7.2, RFC 4862
 * §5.4, RFC 2710 §3, RFC 3810 §5, RFC 4541 §3. */
#include <stdlib.h>
#include <string.h>
#include "medium_snoop.h"
#include "rd.h"

#define ETH_ARP 0x0806
#define ETH_IPV6 0x86dd
#define IP6_HBH 0
#define IP6_ICMP 58
#define ARP_REQUEST 1

const char *const snoop_kind_names[] = {
	[SNOOP_FLOOD] = "flood", [SNOOP_OWNERS] = "owners", [SNOOP_ROUTERS] = "routers",
};

/* What each ICMPv6 message means for delivery. */
struct snoop_icmp6 {
	uint8_t type;
	enum snoop_kind kind;
	bool router;		/* only routers send it */
	bool target;		/* carries a target address (NS, NA) after 4 reserved bytes */
};
static const struct snoop_icmp6 snoop_icmp6_tab[] = {
	{ .type = 130, .kind = SNOOP_FLOOD, .router = true },		/* MLD query */
	{ .type = 131, .kind = SNOOP_ROUTERS },				/* MLDv1 report */
	{ .type = 132, .kind = SNOOP_ROUTERS },				/* MLDv1 done */
	{ .type = 143, .kind = SNOOP_ROUTERS },				/* MLDv2 report */
	{ .type = 133, .kind = SNOOP_ROUTERS },				/* Router Solicitation */
	{ .type = 134, .kind = SNOOP_FLOOD, .router = true },		/* Router Advertisement */
	{ .type = 135, .kind = SNOOP_OWNERS, .target = true },		/* Neighbour Solicitation */
	{ .type = 136, .kind = SNOOP_FLOOD, .target = true },		/* Neighbour Advertisement */
};

static bool snoop_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static void snoop_arp(struct rd *r, const uint8_t *dst, struct snoop_info *o)
{
	uint16_t htype, ptype, op;
	uint8_t hlen, plen, spa[4], tpa[4];
	if (!rd_be16(r, &htype) || !rd_be16(r, &ptype) || !rd_u8(r, &hlen) || !rd_u8(r, &plen) ||
	    !rd_be16(r, &op) || htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4 ||
	    !rd_skip(r, 6) || !rd_bytes(r, spa, 4) || !rd_skip(r, 6) || !rd_bytes(r, tpa, 4))
		return;
	if (!snoop_zero(spa, 4)) {
		o->claim.fam = 4;
		memcpy(o->claim.a, spa, 4);
	}
	/* a broadcast request for another address; gratuitous ARP is flooded */
	if (op == ARP_REQUEST && (dst[0] & 1) && memcmp(spa, tpa, 4)) {
		o->kind = SNOOP_OWNERS;
		o->target.fam = 4;
		memcpy(o->target.a, tpa, 4);
	}
}

static void snoop_icmp6(struct rd *r, const uint8_t *dst, const uint8_t src[16], struct snoop_info *o)
{
	uint8_t type, tgt[16];
	if (!rd_u8(r, &type) || !rd_skip(r, 3))
		return;
	const struct snoop_icmp6 *e = NULL;
	for (size_t i = 0; i < sizeof(snoop_icmp6_tab) / sizeof(snoop_icmp6_tab[0]); i++)
		if (snoop_icmp6_tab[i].type == type)
			e = &snoop_icmp6_tab[i];
	if (!e)
		return;
	o->router = e->router;
	if (!e->target) {
		o->kind = e->kind;
		return;
	}
	if (!rd_skip(r, 4) || !rd_bytes(r, tgt, 16))
		return;
	bool dad = snoop_zero(src, 16);
	o->claim.fam = 6;		/* NA: its target; NS: its source, or a DAD probe's target */
	memcpy(o->claim.a, e->kind == SNOOP_OWNERS && !dad ? src : tgt, 16);
	/* an NS to the solicited-node group 33:33:ff:xx:xx:xx */
	if (e->kind == SNOOP_OWNERS && dst[0] == 0x33 && dst[1] == 0x33 && dst[2] == 0xff) {
		o->kind = SNOOP_OWNERS;
		o->target.fam = 6;
		memcpy(o->target.a, tgt, 16);
	}
}

static void snoop_ipv6(struct rd *r, const uint8_t *dst, struct snoop_info *o)
{
	uint8_t vtc, nh, src[16];
	if (!rd_u8(r, &vtc) || vtc >> 4 != 6 || !rd_skip(r, 5) || !rd_u8(r, &nh) || !rd_skip(r, 1) ||
	    !rd_bytes(r, src, 16) || !rd_skip(r, 16))
		return;
	if (nh == IP6_HBH) {	/* MLD carries a Router Alert hop-by-hop option */
		uint8_t len;
		if (!rd_u8(r, &nh) || !rd_u8(r, &len) || !rd_skip(r, (size_t)len * 8 + 6))
			return;
	}
	if (nh == IP6_ICMP)
		snoop_icmp6(r, dst, src, o);
}

void snoop_parse(const uint8_t *frame, size_t len, struct snoop_info *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = SNOOP_FLOOD;
	struct rd r = rd_init(frame, len);
	const uint8_t *dst = rd_ptr(&r, 6);
	uint16_t type;
	if (!dst || !rd_skip(&r, 6) || !rd_be16(&r, &type))
		return;
	struct snoop_info tmp = *o;
	if (type == ETH_ARP)
		snoop_arp(&r, dst, &tmp);
	else if (type == ETH_IPV6)
		snoop_ipv6(&r, dst, &tmp);
	if (rd_ok(&r))		/* a frame cut short teaches nothing */
		*o = tmp;
}

void snoop_link_local(const uint8_t mac[6], struct snoop_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->fam = 6;
	out->a[0] = 0xfe;
	out->a[1] = 0x80;
	out->a[8] = mac[0] ^ 0x02;
	out->a[9] = mac[1];
	out->a[10] = mac[2];
	out->a[11] = 0xff;
	out->a[12] = 0xfe;
	out->a[13] = mac[3];
	out->a[14] = mac[4];
	out->a[15] = mac[5];
}

/* ---- the ownership table: open addressing over (address, port) ---- */
struct snoop_ent {
	struct snoop_addr a;
	int port;		/* -1: free */
};
struct msnoop {
	struct snoop_ent *v;
	size_t cap, n;
};

static uint64_t snoop_hash(const struct snoop_addr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ a->fam;
	for (int i = 0; i < 16; i++)
		h = (h ^ a->a[i]) * 0x100000001b3ULL;
	return h;
}

static bool snoop_same(const struct snoop_addr *x, const struct snoop_addr *y)
{
	return x->fam == y->fam && !memcmp(x->a, y->a, 16);
}

struct msnoop *msnoop_new(void)
{
	return calloc(1, sizeof(struct msnoop));
}

void msnoop_free(struct msnoop *s)
{
	if (s)
		free(s->v);
	free(s);
}

static bool snoop_grow(struct msnoop *s)
{
	size_t cap = s->cap ? s->cap * 2 : 256;
	struct snoop_ent *v = malloc(cap * sizeof(*v));
	if (!v)
		return false;
	for (size_t i = 0; i < cap; i++)
		v[i].port = -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (s->v[i].port < 0)
			continue;
		size_t j = snoop_hash(&s->v[i].a) & (cap - 1);
		while (v[j].port >= 0)
			j = (j + 1) & (cap - 1);
		v[j] = s->v[i];
	}
	free(s->v);
	s->v = v;
	s->cap = cap;
	return true;
}

bool msnoop_claim(struct msnoop *s, const struct snoop_addr *a, int port)
{
	if (!a->fam || port < 0)
		return true;
	if (2 * (s->n + 1) > s->cap && !snoop_grow(s))
		return false;
	size_t j = snoop_hash(a) & (s->cap - 1);
	for (; s->v[j].port >= 0; j = (j + 1) & (s->cap - 1))
		if (s->v[j].port == port && snoop_same(&s->v[j].a, a))
			return true;	/* known */
	s->v[j].a = *a;
	s->v[j].port = port;
	s->n++;
	return true;
}

int msnoop_owners(const struct msnoop *s, const struct snoop_addr *a,
		  void (*fn)(void *ctx, int port), void *ctx)
{
	if (!s->cap || !a->fam)
		return 0;
	int n = 0;
	for (size_t j = snoop_hash(a) & (s->cap - 1); s->v[j].port >= 0; j = (j + 1) & (s->cap - 1))
		if (snoop_same(&s->v[j].a, a)) {
			fn(ctx, s->v[j].port);
			n++;
		}
	return n;
}
