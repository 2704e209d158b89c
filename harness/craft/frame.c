/* frame.c — the outer layers: Ethernet (destination MAC from `to` or from a
 * multicast / broadcast destination), ARP (RFC 826), IPv4 (RFC 791, router
 * alert RFC 2113) and IPv6 (RFC 8200), the choice of the upper layer and
 * IP-in-IP / IPv6-in-IPv6 encapsulation (`inner = { ... }`). */
#include <string.h>
#include <lauxlib.h>
#include "cr_int.h"

static const char *const cr_top_keys[] = {
	"eth", "vlan", "arp", "ip", "ip6", "hbh", "dopt", "dstopt", "rh", "frag", "ah", "esp", "icmp",
	"icmp6", "udp", "tcp", "mh", "mip4", "traffic", "inner", "payload",
	"from", "iface", "to", NULL
};
/* The keys of a packet inside a tunnel (no Ethernet, no send{} keys). */
static const char *const cr_inner_keys[] = {
	"ip", "ip6", "hbh", "dopt", "dstopt", "rh", "frag", "ah", "esp", "icmp", "icmp6", "udp",
	"tcp", "mh", "mip4", "traffic", "inner", "payload", NULL
};

static int cr_family(struct cr *c, int t);

/* ---- Ethernet, ARP ---- */

static const struct cr_field cr_eth_spec[] = {
	{ "dst", CR_MAC, 0, 0, 0, 0, NULL, NULL },
	{ "src", CR_MAC, 6, 0, 0, 0, NULL, NULL },
	{ "type", CR_U16, 12, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

/* With an 802.1Q tag the type after the tag is eth.type, as decoded. */
static const struct cr_field cr_eth_vlan_spec[] = {
	{ "dst", CR_MAC, 0, 0, 0, 0, NULL, NULL },
	{ "src", CR_MAC, 6, 0, 0, 0, NULL, NULL },
	{ "type", CR_U16, 16, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};
static const struct cr_field cr_vlan_spec[] = {
	{ "pcp", CR_BITS, 14, 2, 0xe000, 0, NULL, NULL },
	{ "dei", CR_BITS, 14, 2, 0x1000, 0, NULL, NULL },
	{ "id", CR_BITS, 14, 2, 0x0fff, 0, NULL, NULL },
	{ "tpid", CR_U16, 12, 0, 0, 0, NULL, NULL },
};

static const struct cr_sym cr_arp_ops[] = { { "request", 1 }, { "reply", 2 }, { NULL, 0 } };
static const struct cr_field cr_arp_spec[] = {
	{ "htype", CR_U16, 0, 0, 0, 0, NULL, NULL },
	{ "ptype", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "hlen", CR_U8, 4, 0, 0, 0, NULL, NULL },
	{ "plen", CR_U8, 5, 0, 0, 0, NULL, NULL },
	{ "op", CR_U16, 6, 0, 0, 0, NULL, cr_arp_ops },
	{ "sha", CR_MAC, 8, 0, 0, 0, NULL, NULL },
	{ "spa", CR_A4, 14, 0, 0, 0, NULL, NULL },
	{ "tha", CR_MAC, 18, 0, 0, 0, NULL, NULL },
	{ "tpa", CR_A4, 24, 0, 0, 0, NULL, NULL },
};

void cr_arp(struct cr *c, int t)
{
	int a = cr_sub(c, t, "arp");
	size_t m = cr_enter(c, "arp"), o = cr_grow(c, 28);
	uint8_t *p = c->buf + o;

	cr_put16(p, 1);
	cr_put16(p + 2, 0x0800);
	p[4] = 6;
	p[5] = 4;
	cr_put16(p + 6, 1);
	if (c->env->has_smac)
		memcpy(p + 8, c->env->smac, 6);
	if (c->env->has_src4)
		memcpy(p + 14, c->env->src4, 4);
	if (c->env->has_dst4)
		memcpy(p + 24, c->env->dst4, 4);
	cr_fields(c, a, cr_arp_spec, sizeof cr_arp_spec / sizeof *cr_arp_spec, o, NULL);
	cr_leave(c, m);
	lua_pop(c->L, 1);
}

/* The destination MAC a destination address implies, if any. */
static bool cr_mcast_mac(const uint8_t *frame, size_t l3, uint16_t type, uint8_t mac[6])
{
	const uint8_t *ip = frame + l3;
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (type == 0x86dd && ip[24] == 0xff) {
		mac[0] = mac[1] = 0x33;
		memcpy(mac + 2, ip + 36, 4);
		return true;
	}
	if (type == 0x0800 && (ip[16] & 0xf0) == 0xe0) {
		mac[0] = 0x01, mac[1] = 0x00, mac[2] = 0x5e;
		mac[3] = ip[17] & 0x7f, mac[4] = ip[18], mac[5] = ip[19];
		return true;
	}
	if ((type == 0x0800 && !memcmp(ip + 16, bcast, 4)) ||
	    (type == 0x0806 && cr_get16(ip + 6) == 1)) {
		memcpy(mac, bcast, 6);
		return true;
	}
	return false;
}

size_t craft_frame(lua_State *L, int idx, const struct craft_env *env,
		   uint8_t *out, size_t cap)
{
	struct cr c = { .L = L, .env = env, .buf = out, .cap = cap };
	int t = lua_absindex(L, idx), top = lua_gettop(L), e;
	uint16_t type = 0;
	size_t l3, et = 12;
	int vt;

	luaL_checktype(L, t, LUA_TTABLE);
	cr_keys(&c, t, NULL, 0, cr_top_keys);
	e = cr_sub(&c, t, "eth");
	if (!e) {
		lua_newtable(L);
		e = lua_gettop(L);
	}
	cr_grow(&c, 14);
	if (env->has_smac)
		memcpy(out + 6, env->smac, 6);
	if ((vt = cr_sub(&c, t, "vlan")) != 0) {	/* 802.1Q tag */
		cr_grow(&c, 4);
		cr_put16(out + 12, 0x8100);
		et = 16;
		size_t m = cr_enter(&c, "vlan");
		cr_fields(&c, vt, cr_vlan_spec, sizeof cr_vlan_spec / sizeof *cr_vlan_spec, 0, NULL);
		cr_leave(&c, m);
	}
	l3 = c.len;
	if (cr_raw(&c, t, "eth")) {
		memmove(out, out + l3, c.len - l3);
		c.len -= l3;
		lua_settop(L, top);
		return c.len;
	}
	if (cr_given(&c, t, "arp")) {
		type = 0x0806;
		if (!cr_raw(&c, t, "arp"))
			cr_arp(&c, t);
	} else if (cr_family(&c, t)) {
		type = cr_l3(&c, t) == 41 ? 0x86dd : 0x0800;
	} else {
		size_t n;
		const char *pl = cr_str(&c, e, "payload", &n);
		if (!pl)
			pl = cr_str(&c, t, "payload", &n);
		if (!pl)
			cr_err(&c, NULL, "expected a layer (arp, ip, ip6) or a payload vs none");
		if (!cr_given(&c, e, "type"))
			cr_err(&c, "eth.type", "expected with a raw payload vs none");
		cr_append(&c, pl, n);
	}
	cr_put16(out + et, type);
	cr_enter(&c, "eth");
	if (!cr_given(&c, e, "dst")) {
		uint8_t mac[6];
		if (type && cr_mcast_mac(out, l3, type, mac))
			memcpy(out, mac, 6);
		else if (env->has_dmac)
			memcpy(out, env->dmac, 6);
		else
			cr_err(&c, "dst", "expected a MAC (or to = \"node\") for a unicast "
			       "destination vs none");
	}
	if (vt)
		cr_fields(&c, e, cr_eth_vlan_spec, sizeof cr_eth_vlan_spec / sizeof *cr_eth_vlan_spec, 0, NULL);
	else
		cr_fields(&c, e, cr_eth_spec, sizeof cr_eth_spec / sizeof *cr_eth_spec, 0, NULL);
	lua_settop(L, top);
	return c.len;
}

/* ---- IPv4 ---- */

static const struct cr_flag cr_ip_flags[] = { { "DF", 0x4000 }, { "MF", 0x2000 }, { NULL, 0 } };
static const struct cr_field cr_ip_spec[] = {
	{ "hl", CR_BITS, 0, 1, 0x0f, 4, NULL, NULL },
	{ "tos", CR_U8, 1, 0, 0, 0, NULL, NULL },
	{ "len", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "id", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "flags", CR_FLAGS, 6, 2, 0, 0, cr_ip_flags, NULL },
	{ "frag", CR_BITS, 6, 2, 0x1fff, 8, NULL, NULL },
	{ "ttl", CR_U8, 8, 0, 0, 0, NULL, NULL },
	{ "proto", CR_U8, 9, 0, 0, 0, NULL, NULL },
	{ "cksum", CR_U16, 10, 0, 0, 0, NULL, NULL },
	{ "src", CR_A4, 12, 0, 0, 0, NULL, NULL },
	{ "dst", CR_A4, 16, 0, 0, 0, NULL, NULL },
	{ "ra", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "version", CR_BITS, 0, 1, 0xf0, 0, NULL, NULL },
};

static void cr_ip4(struct cr *c, int t)
{
	int it = cr_sub(c, t, "ip");
	size_t m = cr_enter(c, "ip"), o = cr_grow(c, 20), hl = 20;

	if (!it) {		/* implied by the upper layer */
		lua_newtable(c->L);
		it = lua_gettop(c->L);
	}
	struct cr_ip ip = { .family = 4 };
	uint8_t *p;
	int proto;

	p = c->buf + o;
	p[0] = 0x45;
	p[8] = 64;
	if (c->env->has_src4)
		memcpy(p + 12, c->env->src4, 4);
	if (c->env->has_dst4 && c->depth == 0)
		memcpy(p + 16, c->env->dst4, 4);
	else if (!cr_given(c, it, "dst"))
		cr_err(c, "dst", "expected an IPv4 destination vs none");
	if (!c->env->has_src4 && !cr_given(c, it, "src"))
		cr_err(c, "src", "expected an IPv4 source (the node has none) vs none");
	if (cr_given(c, it, "ra")) {	/* router alert, RFC 2113 */
		uint8_t opt[4] = { 148, 4, 0, 0 };
		cr_put16(opt + 2, (uint32_t)cr_uint(c, it, "ra", 0xffff));
		cr_append(c, opt, 4);
		hl = 24;
	}
	p = c->buf + o;
	p[0] = (uint8_t)(0x40 | hl / 4);
	cr_fields(c, it, cr_ip_spec, sizeof cr_ip_spec / sizeof *cr_ip_spec, o, NULL);
	memcpy(ip.src, c->buf + o + 12, 4);
	memcpy(ip.dst, c->buf + o + 16, 4);
	memcpy(ip.psrc, ip.src, 4);
	memcpy(ip.pdst, ip.dst, 4);
	cr_leave(c, m);
	size_t pl_n;
	const char *pl = cr_str(c, it, "payload", &pl_n);
	if (pl) {
		cr_append(c, pl, pl_n);
		proto = 253;	/* experimentation, RFC 3692 */
	} else {
		proto = cr_upper(c, t, &ip);
	}
	p = c->buf + o;
	if (!cr_given(c, it, "proto"))
		p[9] = (uint8_t)proto;
	if (!cr_given(c, it, "len"))
		cr_put16(p + 2, (uint32_t)(c->len - o));
	if (!cr_given(c, it, "cksum")) {
		cr_put16(p + 10, 0);
		cr_put16(p + 10, cr_cksum(p, hl, 0));
	}
	lua_pop(c->L, 1);
}

/* ---- IPv6 ---- */

static const struct cr_field cr_ip6_spec[] = {
	{ "tc", CR_BITS, 0, 2, 0x0ff0, 0, NULL, NULL },
	{ "flow", CR_BITS, 0, 4, 0x000fffff, 0, NULL, NULL },
	{ "plen", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "nxt", CR_U8, 6, 0, 0, 0, NULL, NULL },
	{ "hlim", CR_U8, 7, 0, 0, 0, NULL, NULL },
	{ "src", CR_A6, 8, 0, 0, 0, NULL, NULL },
	{ "dst", CR_A6, 24, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
	{ "version", CR_BITS, 0, 1, 0xf0, 0, NULL, NULL },
};

/* Neighbour discovery wants hop limit 255 (RFC 4861 §6.1). */
static bool cr_is_nd(struct cr *c, int t)
{
	int i = cr_sub(c, t, "icmp6");
	bool nd = false;

	if (i) {
		lua_getfield(c->L, i, "type");
		if (lua_type(c->L, -1) == LUA_TSTRING) {
			const char *s = lua_tostring(c->L, -1);
			nd = !strcmp(s, "rs") || !strcmp(s, "ra") || !strcmp(s, "ns") ||
			     !strcmp(s, "na") || !strcmp(s, "redirect");
		} else {
			lua_Integer ty = lua_tointeger(c->L, -1);
			nd = ty >= 133 && ty <= 137;
		}
		lua_pop(c->L, 2);
	}
	return nd;
}

static void cr_ip6(struct cr *c, int t)
{
	int it = cr_sub(c, t, "ip6");
	size_t m = cr_enter(c, "ip6"), o = cr_grow(c, 40), nxt_at = o + 6;

	if (!it) {		/* implied by the upper layer */
		lua_newtable(c->L);
		it = lua_gettop(c->L);
	}
	struct cr_ip ip = { .family = 6 };
	bool nxt_given;
	uint8_t *p = c->buf + o;
	int proto;

	p[0] = 0x60;
	p[7] = cr_is_nd(c, t) ? 255 : 64;
	if (c->env->has_src6)
		memcpy(p + 8, c->env->src6, 16);
	else if (!cr_given(c, it, "src"))
		cr_err(c, "src", "expected an IPv6 source (the node has none) vs none");
	if (c->env->has_dst6 && c->depth == 0)
		memcpy(p + 24, c->env->dst6, 16);
	else if (!cr_given(c, it, "dst"))
		cr_err(c, "dst", "expected an IPv6 destination vs none");
	cr_fields(c, it, cr_ip6_spec, sizeof cr_ip6_spec / sizeof *cr_ip6_spec, o, NULL);
	cr_leave(c, m);
	p = c->buf + o;
	memcpy(ip.src, p + 8, 16);
	memcpy(ip.dst, p + 24, 16);
	memcpy(ip.psrc, ip.src, 16);
	memcpy(ip.pdst, ip.dst, 16);
	nxt_given = cr_given(c, it, "nxt");
	size_t pl_n;
	const char *pl = cr_str(c, it, "payload", &pl_n);
	if (pl) {
		cr_append(c, pl, pl_n);
		proto = 59;
	} else {
		cr_ip6_ext(c, t, &ip, &nxt_at, &nxt_given);
		proto = cr_given(c, t, "esp") ? cr_esp(c, t) : cr_upper(c, t, &ip);
	}
	p = c->buf + o;
	if (!nxt_given)
		c->buf[nxt_at] = (uint8_t)proto;
	if (!cr_given(c, it, "plen"))
		cr_put16(p + 4, (uint32_t)(c->len - o - 40));
	lua_pop(c->L, 1);
}

/* The IP version a packet table asks for: its ip or ip6 layer, or the one
 * its upper layer implies (mh, icmp6 and the IPv6 extension headers imply
 * ip6; icmp and mip4 imply ip); 0 if neither. */
static int cr_family(struct cr *c, int t)
{
	static const char *const v6[] = { "mh", "icmp6", "hbh", "dopt", "dstopt", "rh", "frag", "ah", "esp" };
	static const char *const v4[] = { "icmp", "mip4" };

	if (cr_given(c, t, "ip6"))
		return 6;
	if (cr_given(c, t, "ip"))
		return 4;
	for (size_t i = 0; i < sizeof v6 / sizeof *v6; i++)
		if (cr_given(c, t, v6[i]))
			return 6;
	for (size_t i = 0; i < sizeof v4 / sizeof *v4; i++)
		if (cr_given(c, t, v4[i]))
			return 4;
	return 0;
}

int cr_l3(struct cr *c, int t)
{
	int fam = cr_family(c, t);

	if (!fam)
		cr_err(c, NULL, "expected an ip or ip6 layer vs none");
	if (fam == 6) {
		if (cr_given(c, t, "ip"))
			cr_err(c, NULL, "expected one of ip and ip6 vs both");
		if (!cr_raw(c, t, "ip6"))
			cr_ip6(c, t);
		return 41;
	}
	if (!cr_raw(c, t, "ip"))
		cr_ip4(c, t);
	return 4;
}

/* ---- the upper layer ---- */

static const char *const cr_uppers[] = { "icmp", "icmp6", "udp", "tcp", "mh", "inner" };

int cr_upper(struct cr *c, int t, struct cr_ip *ip)
{
	const char *which = NULL;
	size_t n;

	for (size_t i = 0; i < sizeof cr_uppers / sizeof *cr_uppers; i++) {
		if (!cr_given(c, t, cr_uppers[i]))
			continue;
		if (which)
			cr_err(c, NULL, "expected one upper layer vs both %s and %s", which,
			       cr_uppers[i]);
		which = cr_uppers[i];
	}
	if ((cr_given(c, t, "mip4") || cr_given(c, t, "traffic")) &&
	    (!which || strcmp(which, "udp")))
		which = "udp";	/* udp = {} is implied */
	if (!which) {
		const char *pl = cr_str(c, t, "payload", &n);
		if (!pl)
			cr_err(c, NULL, "expected an upper layer (icmp, icmp6, udp, tcp, mh, "
			       "mip4, traffic, inner) or a payload vs none");
		cr_append(c, pl, n);
		return ip->family == 6 ? 59 : 253;
	}
	static const struct { const char *name; int proto; } raw_proto[] = {
		{ "icmp", 1 }, { "icmp6", 58 }, { "udp", 17 }, { "tcp", 6 }, { "mh", 135 },
	};
	for (size_t i = 0; i < sizeof raw_proto / sizeof *raw_proto; i++)
		if (!strcmp(which, raw_proto[i].name) && cr_raw(c, t, which))
			return raw_proto[i].proto;
	if (!strcmp(which, "icmp")) {
		cr_icmp(c, t);
		return 1;
	}
	if (!strcmp(which, "icmp6")) {
		cr_icmp6(c, t, ip);
		return 58;
	}
	if (!strcmp(which, "udp")) {
		cr_udp(c, t, ip);
		return 17;
	}
	if (!strcmp(which, "tcp")) {
		cr_tcp(c, t, ip);
		return 6;
	}
	if (!strcmp(which, "mh")) {
		cr_mh(c, t, ip);
		return 135;
	}
	int in = cr_sub(c, t, "inner");
	size_t m = cr_enter(c, "inner");
	int proto;
	cr_keys(c, in, NULL, 0, cr_inner_keys);
	c->depth++;
	proto = cr_l3(c, in);
	c->depth--;
	cr_leave(c, m);
	lua_pop(c->L, 1);
	return proto;
}
