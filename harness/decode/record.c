/* record.c — building a record: fields, verdicts, regions, checksums, and the
 * two entry points dec_frame and dec_message. */
#include <stdarg.h>
#include <stdio.h>
#include "dec_int.h"

static struct dec_field *dec_slot(struct dctx *c, unsigned id)
{
	struct dec_record *r = c->r;
	struct dec_field *f;

	if (r->n >= DEC_MAX_FIELDS) {
		r->dropped++;
		return NULL;
	}
	f = &r->f[r->n++];
	f->id = (uint16_t)id;
	f->depth = c->depth;
	f->pad_ = 0;
	f->grp = c->grp;
	return f;
}

void dec_put_u(struct dctx *c, unsigned id, uint64_t v, const uint8_t *at, size_t n)
{
	struct dec_field *f = dec_slot(c, id);

	if (!f)
		return;
	f->v.u = v;
	f->off = at ? dec_off(c, at) : 0;
	f->len = at ? (uint16_t)n : 0;
}

void dec_put_p(struct dctx *c, unsigned id, const uint8_t *p, size_t n)
{
	struct dec_field *f;

	if (!p)			/* a failed read: the verdict says why */
		return;
	f = dec_slot(c, id);
	if (!f)
		return;
	f->v.p = p;
	f->off = dec_off(c, p);
	f->len = (uint16_t)(n > 0xffff ? 0xffff : n);
}

void dec_put_s(struct dctx *c, unsigned id, const char *s)
{
	struct dec_field *f = dec_slot(c, id);

	if (!f)
		return;
	f->v.s = s;
	f->off = 0;
	f->len = 0;
}

bool dec_rd_u(struct dctx *c, struct rd *r, unsigned id, size_t n, uint64_t *out)
{
	const uint8_t *at = rd_ptr(r, n);
	uint64_t v = 0;

	if (out)
		*out = 0;
	if (!at || n == 0 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | at[i];
	if (out)
		*out = v;
	dec_put_u(c, id, v, at, n);
	return true;
}

bool dec_rd_p(struct dctx *c, struct rd *r, unsigned id, size_t n)
{
	const uint8_t *at = rd_ptr(r, n);

	dec_put_p(c, id, at, n);
	return at != NULL;
}

static void dec_verdict_set(struct dctx *c, enum dec_verdict v, unsigned field,
			    const char *fmt, va_list ap)
{
	struct dec_record *r = c->r;

	r->verdict = v;
	r->vfield = (uint16_t)field;
	r->vdepth = c->depth;
	if (fmt)
		vsnprintf(r->reason, sizeof r->reason, fmt, ap);
	else
		r->reason[0] = 0;
}

int dec_trunc(struct dctx *c, unsigned layer)
{
	struct dec_record *r = c->r;

	if (c->stop)
		return -1;
	c->stop = true;
	r->verdict = DEC_TRUNCATED;
	r->vfield = (uint16_t)layer;
	r->vdepth = c->depth;
	snprintf(r->reason, sizeof r->reason, "%s: capture ended inside it",
		 dec_field_name(layer));
	return -1;
}

int dec_bad(struct dctx *c, unsigned field, const char *fmt, ...)
{
	va_list ap;

	if (c->stop)
		return -1;
	c->stop = true;
	va_start(ap, fmt);
	dec_verdict_set(c, DEC_MALFORMED, field, fmt, ap);
	va_end(ap);
	return -1;
}

void dec_unknown(struct dctx *c, unsigned field, const char *fmt, ...)
{
	va_list ap;

	if (c->stop || c->r->verdict != DEC_OK)
		return;
	va_start(ap, fmt);
	dec_verdict_set(c, DEC_UNKNOWN, field, fmt, ap);
	va_end(ap);
}

int dec_short(struct dctx *c, unsigned layer, const char *what)
{
	if (c->cut)
		return dec_trunc(c, layer);
	return dec_bad(c, c->bound, "%s: %s does not fit in the length it gives",
		       dec_field_name(c->bound), what);
}

bool dec_region(struct dctx *c, struct rd *r, size_t declared, unsigned bound, struct rd *out)
{
	size_t have = rd_left(r);

	if (declared > have && !c->cut) {
		*out = rd_init(r->p, 0);
		dec_bad(c, bound, "%s: length %zu exceeds the %zu bytes there are",
			dec_field_name(bound), declared, have);
		return false;
	}
	c->cut = declared > have;
	c->bound = (uint16_t)bound;
	rd_sub(r, declared < have ? declared : have, out);
	return true;
}

uint32_t dec_sum(struct rd r, uint32_t sum)
{
	uint16_t w;
	uint8_t b;

	while (rd_ok(&r) && rd_left(&r) >= 2) {
		rd_be16(&r, &w);
		sum += w;
	}
	if (rd_u8(&r, &b))
		sum += (uint32_t)b << 8;
	return sum;
}

uint16_t dec_sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t dec_pseudo_sum(const struct dctx *c, uint8_t proto, uint32_t len)
{
	uint32_t sum = 0;

	sum = dec_sum(rd_init(c->psrc, c->alen), sum);
	sum = dec_sum(rd_init(c->pdst, c->alen), sum);
	sum += (len >> 16) + (len & 0xffff);
	sum += proto;
	return sum;
}

static void dec_begin(struct dctx *c, struct dec_record *rec, const uint8_t *buf, size_t len)
{
	rec->data = buf;
	rec->caplen = (uint32_t)len;
	rec->verdict = DEC_OK;
	rec->vfield = 0;
	rec->vdepth = 0;
	rec->reason[0] = 0;
	rec->n = 0;
	rec->dropped = 0;
	*c = (struct dctx){ .r = rec, .base = buf, .bound = DEC_F_FRAME_LEN };
}

/* Decoding went through what was there, but the innermost region was cut
 * by the capture: the bytes its length field announced never came. */
static void dec_end(struct dctx *c)
{
	unsigned layer = DEC_F_FRAME_LEN;
	uint8_t depth = 0;

	if (c->stop || !c->cut)
		return;
	for (unsigned i = c->r->n; i-- > 0;)
		if (dec_field_type(c->r->f[i].id) == DEC_T_L) {
			layer = c->r->f[i].id;
			depth = c->r->f[i].depth;
			break;
		}
	c->depth = depth;
	dec_trunc(c, layer);
}

/* Link types (pcap's LINKTYPE_/DLT_ values as libpcap reports them). */
enum { LT_EN10MB = 1, LT_RAW = 12, LT_RAW_OBSD = 14, LT_RAW101 = 101,
       LT_SLL = 113, LT_IPV4 = 228, LT_IPV6 = 229 };

enum dec_verdict dec_frame(const uint8_t *buf, size_t len, size_t wirelen,
			   int linktype, struct dec_record *rec)
{
	struct dctx c;
	struct rd r = rd_init(buf, len);

	dec_begin(&c, rec, buf, len);
	rec->linktype = linktype;
	rec->wirelen = (uint32_t)wirelen;
	c.cut = wirelen > len;
	dec_put_u(&c, DEC_F_FRAME_LEN, wirelen, NULL, 0);
	dec_put_u(&c, DEC_F_FRAME_CAPLEN, len, NULL, 0);
	switch (linktype) {
	case LT_EN10MB:
		dec_eth(&c, &r);
		break;
	case LT_RAW: case LT_RAW_OBSD: case LT_RAW101:
		dec_ip_any(&c, &r);
		break;
	case LT_IPV4:
		dec_ip4(&c, &r);
		break;
	case LT_IPV6:
		dec_ip6(&c, &r);
		break;
	case LT_SLL:
		dec_sll(&c, &r);
		break;
	default:
		dec_unknown(&c, DEC_F_FRAME_LEN, "link type %d not decoded", linktype);
		break;
	}
	dec_end(&c);
	return rec->verdict;
}

typedef int (*dec_fn)(struct dctx *, struct rd *);
static const dec_fn dec_entry[] = {
	[DEC_P_ETH] = dec_eth, [DEC_P_IP4] = dec_ip4, [DEC_P_IP6] = dec_ip6,
	[DEC_P_ICMP] = dec_icmp, [DEC_P_ICMP6] = dec_icmp6, [DEC_P_UDP] = dec_udp,
	[DEC_P_MIP4] = dec_mip4, [DEC_P_MH] = dec_mh,
};

enum dec_verdict dec_message(enum dec_proto proto, const uint8_t *buf,
			     size_t len, struct dec_record *rec)
{
	struct dctx c;
	struct rd r = rd_init(buf, len);

	dec_begin(&c, rec, buf, len);
	rec->linktype = -1;
	rec->wirelen = (uint32_t)len;
	if ((unsigned)proto < sizeof dec_entry / sizeof *dec_entry && dec_entry[proto])
		dec_entry[proto](&c, &r);
	else
		dec_unknown(&c, DEC_F_FRAME_LEN, "no decoder %d", (int)proto);
	return rec->verdict;
}
