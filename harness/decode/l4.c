/* l4.c — UDP (RFC 768) and TCP (RFC 9293) headers, with the dispatch of UDP
 * payloads: Mobile IPv4 registration on port 434, roam's traffic payload
 * (nodes/traffic/payload.h) on ports 9000-9999. */
#include "dec_int.h"
#include "../../nodes/traffic/payload.h"

enum { PORT_MIP4 = 434, PORT_TRAFFIC_LAST = ROAM_TRAFFIC_PORT + 999 };

static bool dec_is_traffic_port(uint16_t p)
{
	return p >= ROAM_TRAFFIC_PORT && p <= PORT_TRAFFIC_LAST;
}

int dec_udp(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	uint16_t sport, dport, len, sum;
	size_t have = rd_left(r);
	struct rd pl;

	rd_be16(r, &sport);
	rd_be16(r, &dport);
	rd_be16(r, &len);
	rd_be16(r, &sum);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_UDP, "the 8-byte UDP header");
	dec_put_p(c, DEC_F_UDP, start, have);
	dec_put_u(c, DEC_F_UDP_SPORT, sport, start, 2);
	dec_put_u(c, DEC_F_UDP_DPORT, dport, start + 2, 2);
	dec_put_u(c, DEC_F_UDP_LEN, len, start + 4, 2);
	dec_put_u(c, DEC_F_UDP_CKSUM, sum, start + 6, 2);
	if (len < 8)
		return dec_bad(c, DEC_F_UDP_LEN, "udp.len: length %u is below the 8-byte header", len);
	if (len != have && !(len > have && c->cut))
		return dec_bad(c, DEC_F_UDP_LEN, "udp.len: length %u does not match the %zu bytes the IP payload holds",
			       len, have);
	if (c->alen && !c->cut && !(c->alen == 4 && sum == 0)) {
		uint32_t s = dec_pseudo_sum(c, 17, len);
		s = dec_sum(rd_init(start, len), s);
		dec_put_u(c, DEC_F_UDP_CKSUM_OK, dec_sum_fold(s) == 0xffff && sum != 0, NULL, 0);
	}
	if (!dec_region(c, r, (size_t)len - 8, DEC_F_UDP_LEN, &pl))
		return -1;
	if (sport == PORT_MIP4 || dport == PORT_MIP4)
		return dec_mip4(c, &pl);
	if (dec_is_traffic_port(dport) || dec_is_traffic_port(sport))
		return dec_traffic(c, &pl);
	return 0;
}

int dec_traffic(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	uint32_t magic, flow, seq;
	uint64_t sent;

	if (!rd_be32(r, &magic))
		return c->cut ? dec_trunc(c, DEC_F_UDP) : 0;
	if (magic != ROAM_PAYLOAD_MAGIC)
		return 0;	/* someone else's datagram: plain UDP */
	rd_be32(r, &flow);
	rd_be32(r, &seq);
	rd_be64(r, &sent);
	if (!rd_ok(r))
		return c->cut ? dec_trunc(c, DEC_F_TRAFFIC) : 0;
	dec_put_p(c, DEC_F_TRAFFIC, start, (size_t)(r->end - start));
	dec_put_u(c, DEC_F_TRAFFIC_FLOW, flow, start + 4, 4);
	dec_put_u(c, DEC_F_TRAFFIC_SEQ, seq, start + 8, 4);
	dec_put_u(c, DEC_F_TRAFFIC_SENT, sent, start + 12, 8);
	return 0;
}

int dec_tcp(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	uint16_t sport, dport, offfl, win, sum, urp;
	uint32_t seq, ack;
	size_t have = rd_left(r), off;

	rd_be16(r, &sport);
	rd_be16(r, &dport);
	rd_be32(r, &seq);
	rd_be32(r, &ack);
	rd_be16(r, &offfl);
	rd_be16(r, &win);
	rd_be16(r, &sum);
	rd_be16(r, &urp);
	if (!rd_ok(r))
		return dec_short(c, DEC_F_TCP, "the 20-byte TCP header");
	off = (size_t)(offfl >> 12) * 4;
	dec_put_p(c, DEC_F_TCP, start, have);
	dec_put_u(c, DEC_F_TCP_SPORT, sport, start, 2);
	dec_put_u(c, DEC_F_TCP_DPORT, dport, start + 2, 2);
	dec_put_u(c, DEC_F_TCP_SEQ, seq, start + 4, 4);
	dec_put_u(c, DEC_F_TCP_ACK, ack, start + 8, 4);
	dec_put_u(c, DEC_F_TCP_OFF, off, start + 12, 1);
	dec_put_u(c, DEC_F_TCP_FLAGS, offfl & 0x1ff, start + 12, 2);
	dec_put_u(c, DEC_F_TCP_WIN, win, start + 14, 2);
	dec_put_u(c, DEC_F_TCP_CKSUM, sum, start + 16, 2);
	dec_put_u(c, DEC_F_TCP_URP, urp, start + 18, 2);
	if (off < 20)
		return dec_bad(c, DEC_F_TCP_OFF, "tcp.off: data offset %zu is below 20", off);
	if (!rd_skip(r, off - 20))
		return dec_short(c, DEC_F_TCP, "the TCP options");
	return 0;
}
