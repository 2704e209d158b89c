/* l4.c — UDP (RFC 768) carrying Mobile IPv4 registration (port 434), roam's
 * traffic payload (nodes/traffic/payload.h, ports 9000-9999) or raw bytes;
 * TCP headers (RFC 9293) for completeness. Checksums over the pseudo-header
 * of struct cr_ip. */
#include <string.h>
#include <lauxlib.h>
#include "check/pktgen.h"
#include "cr_int.h"
#include "../../nodes/traffic/payload.h"

static const struct cr_field cr_udp_spec[] = {
	{ "sport", CR_U16, 0, 0, 0, 0, NULL, NULL },
	{ "dport", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "len", CR_U16, 4, 0, 0, 0, NULL, NULL },
	{ "cksum", CR_U16, 6, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

void cr_udp(struct cr *c, int t, struct cr_ip *ip)
{
	int u = cr_sub(c, t, "udp");
	size_t m = cr_enter(c, "udp"), o = cr_grow(c, 8), n;
	uint16_t port = 0;
	const char *pl;

	if (!u) {
		lua_newtable(c->L);
		u = lua_gettop(c->L);
	}
	cr_keys(c, u, cr_udp_spec, sizeof cr_udp_spec / sizeof *cr_udp_spec, NULL);
	cr_leave(c, m);
	if (cr_given(c, t, "mip4")) {
		port = 434;
		if (!cr_raw(c, t, "mip4"))
			cr_mip4(c, t);
	} else if (cr_given(c, t, "traffic")) {
		port = ROAM_TRAFFIC_PORT;
		if (!cr_raw(c, t, "traffic"))
			cr_traffic(c, t);
	}
	m = cr_enter(c, "udp");
	if ((pl = cr_str(c, u, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	else if (!port && (pl = cr_str(c, t, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	uint8_t *p = c->buf + o;
	cr_put16(p, port);
	cr_put16(p + 2, port);
	cr_put16(p + 4, (uint32_t)(c->len - o));
	cr_fields(c, u, cr_udp_spec, sizeof cr_udp_spec / sizeof *cr_udp_spec, o, NULL);
	if (!cr_given(c, u, "cksum")) {
		uint16_t s = cr_cksum(p, c->len - o, cr_pseudo(ip, 17, (uint32_t)(c->len - o)));
		cr_put16(p + 6, s ? s : 0xffff);
	}
	cr_leave(c, m);
	lua_pop(c->L, 1);
}

static const struct cr_field cr_traffic_spec[] = {
	{ "magic", CR_U32, 0, 0, 0, 0, NULL, NULL },
	{ "flow", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U32, 8, 0, 0, 0, NULL, NULL },
	{ "sent", CR_U64, 12, 0, 0, 0, NULL, NULL },
	{ "size", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

void cr_traffic(struct cr *c, int t)
{
	int tt = cr_sub(c, t, "traffic");
	size_t m = cr_enter(c, "traffic"), size = ROAM_PAYLOAD_LEN;

	cr_keys(c, tt, cr_traffic_spec, sizeof cr_traffic_spec / sizeof *cr_traffic_spec, NULL);
	if (cr_given(c, tt, "size"))
		size = (size_t)cr_uint(c, tt, "size", CRAFT_MAX);
	if (size < ROAM_PAYLOAD_LEN)
		cr_err(c, "size", "expected at least %d bytes vs %zu", ROAM_PAYLOAD_LEN, size);
	size_t o = cr_grow(c, size);
	pg_traffic(c->buf + o, 0, 0, 0, size);
	cr_fields(c, tt, cr_traffic_spec, sizeof cr_traffic_spec / sizeof *cr_traffic_spec, o, NULL);
	cr_leave(c, m);
	lua_pop(c->L, 1);
}

static const struct cr_field cr_tcp_spec[] = {
	{ "sport", CR_U16, 0, 0, 0, 0, NULL, NULL },
	{ "dport", CR_U16, 2, 0, 0, 0, NULL, NULL },
	{ "seq", CR_U32, 4, 0, 0, 0, NULL, NULL },
	{ "ack", CR_U32, 8, 0, 0, 0, NULL, NULL },
	{ "off", CR_BITS, 12, 1, 0xf0, 4, NULL, NULL },
	{ "flags", CR_BITS, 12, 2, 0x01ff, 0, NULL, NULL },
	{ "win", CR_U16, 14, 0, 0, 0, NULL, NULL },
	{ "cksum", CR_U16, 16, 0, 0, 0, NULL, NULL },
	{ "urp", CR_U16, 18, 0, 0, 0, NULL, NULL },
	{ "payload", CR_SKIP, 0, 0, 0, 0, NULL, NULL },
};

void cr_tcp(struct cr *c, int t, struct cr_ip *ip)
{
	int h = cr_sub(c, t, "tcp");
	size_t m = cr_enter(c, "tcp"), o = cr_grow(c, 20), n;
	const char *pl;

	c->buf[o + 12] = 5 << 4;
	cr_put16(c->buf + o + 14, 65535);
	cr_fields(c, h, cr_tcp_spec, sizeof cr_tcp_spec / sizeof *cr_tcp_spec, o, NULL);
	if ((pl = cr_str(c, h, "payload", &n)) != NULL)
		cr_append(c, pl, n);
	if (!cr_given(c, h, "cksum"))
		cr_put16(c->buf + o + 16, cr_cksum(c->buf + o, c->len - o,
						   cr_pseudo(ip, 6, (uint32_t)(c->len - o))));
	cr_leave(c, m);
	lua_pop(c->L, 1);
}
