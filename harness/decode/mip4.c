/* mip4.c — Mobile IPv4 registration request (type 1) and reply (type 3) on
 * UDP 434 (RFC 5944 §3.3, §3.4) with their extensions (§3.5: MN-HA 32,
 * MN-FA 33, FA-HA 34 authentication; RFC 2794 MN-NAI 131; others generic). */
#include "dec_int.h"

enum { MIP4_RRQ = 1, MIP4_RRP = 3 };

static const struct { uint8_t bit; uint16_t id; } mip4_rrq_flags[] = {
	{ 0x80, DEC_F_MIP4_RRQ_FLAGS_S }, { 0x40, DEC_F_MIP4_RRQ_FLAGS_B },
	{ 0x20, DEC_F_MIP4_RRQ_FLAGS_D }, { 0x10, DEC_F_MIP4_RRQ_FLAGS_M },
	{ 0x08, DEC_F_MIP4_RRQ_FLAGS_G }, { 0x04, DEC_F_MIP4_RRQ_FLAGS_r },
	{ 0x02, DEC_F_MIP4_RRQ_FLAGS_T }, { 0x01, DEC_F_MIP4_RRQ_FLAGS_x },
};

static const struct mip4_auth_desc {
	uint8_t type;
	uint16_t spi, auth;
} mip4_auth[] = {
	{ 32, DEC_F_MIP4_EXT_MNHA_SPI, DEC_F_MIP4_EXT_MNHA_AUTH },
	{ 33, DEC_F_MIP4_EXT_MNFA_SPI, DEC_F_MIP4_EXT_MNFA_AUTH },
	{ 34, DEC_F_MIP4_EXT_FAHA_SPI, DEC_F_MIP4_EXT_FAHA_AUTH },
};

enum { MIP4_EXT_NAI = 131 };

static int dec_mip4_ext(struct dctx *c, struct rd *r)
{
	uint16_t n = 0;

	while (rd_ok(r) && rd_left(r) > 0) {
		const uint8_t *at = r->p;
		const struct mip4_auth_desc *a = NULL;
		uint8_t type, len;
		struct rd v;

		rd_u8(r, &type);
		c->grp = ++n;
		dec_put_u(c, DEC_F_MIP4_EXT_TYPE, type, at, 1);
		if (!rd_u8(r, &len))
			return dec_short(c, DEC_F_MIP4, "an extension length");
		dec_put_u(c, DEC_F_MIP4_EXT_LEN, len, at + 1, 1);
		if (len > rd_left(r)) {
			if (c->cut)
				return dec_trunc(c, DEC_F_MIP4);
			return dec_bad(c, DEC_F_MIP4_EXT_LEN,
				       "mip4.ext.len: extension %u length %u exceeds the %zu bytes left",
				       type, len, rd_left(r));
		}
		rd_sub(r, len, &v);
		for (size_t i = 0; i < sizeof mip4_auth / sizeof *mip4_auth; i++)
			if (mip4_auth[i].type == type)
				a = &mip4_auth[i];
		if (a) {
			uint32_t spi;
			if (len < 4)
				return dec_bad(c, DEC_F_MIP4_EXT_LEN,
					       "mip4.ext.len: authentication extension %u length %u is below the 4-byte SPI",
					       type, len);
			rd_be32(&v, &spi);
			dec_put_u(c, a->spi, spi, at + 2, 4);
			dec_put_p(c, a->auth, v.p, rd_left(&v));
		} else if (type == MIP4_EXT_NAI) {
			dec_put_p(c, DEC_F_MIP4_EXT_NAI, v.p, len);
		} else {
			dec_put_p(c, DEC_F_MIP4_EXT_DATA, v.p, len);
			dec_unknown(c, DEC_F_MIP4_EXT_TYPE, "mip4.ext.type %u not decoded", type);
		}
	}
	c->grp = 0;
	return 0;
}

int dec_mip4(struct dctx *c, struct rd *r)
{
	const uint8_t *start = r->p;
	uint8_t type, b1;
	size_t need;

	if (!rd_u8(r, &type))
		return dec_short(c, DEC_F_MIP4, "the registration message type");
	dec_put_p(c, DEC_F_MIP4, start, (size_t)(r->end - start));
	dec_put_u(c, DEC_F_MIP4_TYPE, type, start, 1);
	if (type != MIP4_RRQ && type != MIP4_RRP) {
		dec_unknown(c, DEC_F_MIP4_TYPE, "mip4.type %u not decoded", type);
		return 0;
	}
	need = type == MIP4_RRQ ? 24 : 20;
	bool part = rd_left(r) + 1 < need;	/* a message cut short */
	if (part && !c->cut)
		return dec_bad(c, DEC_F_MIP4_TYPE, "mip4.type: a registration %s needs %zu bytes, the message has %zu",
			       type == MIP4_RRQ ? "request" : "reply", need, rd_left(r) + 1);
	/* cut by the capture: every whole field is kept, then truncated */
	if (type == MIP4_RRQ && rd_u8(r, &b1)) {
		for (size_t i = 0; i < sizeof mip4_rrq_flags / sizeof *mip4_rrq_flags; i++)
			dec_put_u(c, mip4_rrq_flags[i].id, !!(b1 & mip4_rrq_flags[i].bit), start + 1, 1);
		dec_rd_u(c, r, DEC_F_MIP4_RRQ_LIFETIME, 2, NULL);
		dec_rd_p(c, r, DEC_F_MIP4_RRQ_HOME, 4);
		dec_rd_p(c, r, DEC_F_MIP4_RRQ_HA, 4);
		dec_rd_p(c, r, DEC_F_MIP4_RRQ_COA, 4);
		dec_rd_u(c, r, DEC_F_MIP4_RRQ_ID, 8, NULL);
	} else if (type == MIP4_RRP) {
		dec_rd_u(c, r, DEC_F_MIP4_RRP_CODE, 1, NULL);
		dec_rd_u(c, r, DEC_F_MIP4_RRP_LIFETIME, 2, NULL);
		dec_rd_p(c, r, DEC_F_MIP4_RRP_HOME, 4);
		dec_rd_p(c, r, DEC_F_MIP4_RRP_HA, 4);
		dec_rd_u(c, r, DEC_F_MIP4_RRP_ID, 8, NULL);
	}
	if (part)
		return dec_trunc(c, DEC_F_MIP4);
	return dec_mip4_ext(c, r);
}
