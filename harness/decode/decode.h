/* decode.h — packet decoders of the conformance engine: frames in, flat
 * typed records out.
 *
 * A record is rebuilt per frame without allocation: a flat array of
 * (field id, encapsulation depth, typed value, offset and length in the frame).
 * Values that are bytes point INTO the frame buffer, so a record is valid only
 * as long as the buffer it was decoded from (with dec_pcap_next: until the
 * next call). Field names and types come from one table, fields.h; the dotted
 * names are listed in docs/decoders.md.
 *
 *	struct dec_record *rec = malloc(sizeof *rec);   (about 12 KB)
 *	struct dec_pcap *pc = dec_pcap_open("x.pcap", err, sizeof err);
 *	while (dec_pcap_next(pc, rec) > 0) {
 *		const struct dec_field *f = dec_get(rec, DEC_F_MH_BU_SEQ, 0);
 *		if (f) printf("%llu\n", (unsigned long long)f->v.u);
 *	}
 *
 * Encapsulation: fields of a packet inside IP-in-IP / IPv6-in-IPv6 carry
 * depth 1 (named "inner.ip6.src"), depth 2 for double encapsulation, and so on.
 * Repeated fields (several options of one kind): one entry per occurrence, in
 * wire order; iterate with dec_next(). Fields of one option share f->grp.
 */
#ifndef ROAM_DECODE_H
#define ROAM_DECODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fields.h"

enum dec_field_id {
#define DEC_X_ENUM(id, name, type) DEC_F_##id,
	DEC_FIELDS(DEC_X_ENUM)
#undef DEC_X_ENUM
	DEC_F_COUNT
};

enum dec_type {
	DEC_T_U,	/* unsigned integer: v.u */
	DEC_T_B,	/* bytes: v.p, len (shown as hex) */
	DEC_T_A4,	/* IPv4 address: v.p, len 4 */
	DEC_T_A6,	/* IPv6 address: v.p, len 16 */
	DEC_T_MAC,	/* link-layer address: v.p, len (6 on Ethernet) */
	DEC_T_T,	/* text bytes: v.p, len (not NUL-terminated) */
	DEC_T_S,	/* static NUL-terminated string: v.s */
	DEC_T_L,	/* layer: a whole header or message, v.p, len */
};

enum dec_verdict {
	DEC_OK,		/* everything decoded */
	DEC_TRUNCATED,	/* the capture ran out of bytes; vfield names the layer */
	DEC_MALFORMED,	/* a field contradicts the format; vfield names it */
	DEC_UNKNOWN,	/* well-formed, but a type was not decoded further */
};

enum dec_proto {	/* where dec_message starts */
	DEC_P_ETH, DEC_P_IP4, DEC_P_IP6, DEC_P_ICMP, DEC_P_ICMP6,
	DEC_P_UDP, DEC_P_MIP4, DEC_P_MH,
};

#define DEC_MAX_FIELDS 512
#define DEC_MAX_DEPTH 4		/* encapsulation levels decoded */

struct dec_field {
	uint16_t id;		/* enum dec_field_id */
	uint8_t depth;		/* 0 outer packet, 1 "inner.", ... */
	uint8_t pad_;
	uint16_t grp;		/* option ordinal in its message (1-based), 0 if not in an option */
	uint16_t len;		/* bytes of the value in the frame (0 for computed values) */
	uint32_t off;		/* offset of the value's bytes in the frame */
	union {
		uint64_t u;
		const uint8_t *p;
		const char *s;
	} v;
};

struct dec_record {
	const char *file;	/* capture file (NULL when decoding a buffer) */
	uint64_t frame;		/* frame number, 1-based */
	uint64_t ts_ns;		/* capture timestamp, ns since the epoch */
	bool ts_nano;		/* the file had ns resolution (else µs) */
	int linktype;		/* DLT_* of the frame */
	const uint8_t *data;	/* the frame */
	uint32_t caplen, wirelen;
	enum dec_verdict verdict;
	uint16_t vfield;	/* field or layer the verdict is about */
	uint8_t vdepth;		/* its depth */
	char reason[160];	/* why, for malformed and unknown ("" when ok) */
	uint16_t n;		/* fields used */
	uint16_t dropped;	/* fields that did not fit in f[] */
	struct dec_field f[DEC_MAX_FIELDS];
};

/* Decode one frame of the given link type (DLT_EN10MB, DLT_RAW, LINKTYPE_IPV4
 * 228, LINKTYPE_IPV6 229, DLT_LINUX_SLL). wirelen is the original length
 * (> len when the capture cut the frame). Clears and fills rec (file, frame and
 * time are left for the caller). Returns rec->verdict. */
enum dec_verdict dec_frame(const uint8_t *buf, size_t len, size_t wirelen,
			   int linktype, struct dec_record *rec);
/* Decode one message alone, starting at the given protocol (for tests and
 * fuzzing). Checksums that need an IP pseudo-header are not verified. */
enum dec_verdict dec_message(enum dec_proto proto, const uint8_t *buf,
			     size_t len, struct dec_record *rec);

/* Reading a capture file. */
struct dec_pcap;
struct dec_pcap *dec_pcap_open(const char *path, char *err, size_t errlen);
/* 1: rec holds the next frame; 0: end of file; -1: read error (err set). */
int dec_pcap_next(struct dec_pcap *pc, struct dec_record *rec);
const char *dec_pcap_error(struct dec_pcap *pc);
/* After the last record: why the file was not read to its end (cut inside
 * a record, shorter than a header), or NULL. */
const char *dec_pcap_warning(struct dec_pcap *pc);

#define DEC_PCAP_HDR_LEN 24	/* a classic pcap file's header */

/* How much of a classic pcap file is whole. For pcapng (or anything not a
 * classic pcap) records is UINT64_MAX: libpcap reads it all. */
struct dec_pcap_extent {
	bool classic;		/* a classic pcap magic, or fewer than 4 bytes */
	uint64_t size;		/* bytes in the file */
	uint64_t whole;		/* bytes up to the end of the last whole record */
	uint64_t records;	/* whole records */
};
int dec_pcap_extent(const char *path, struct dec_pcap_extent *x, char *err, size_t errlen);
/* The same over any reader: rd copies up to n bytes at off into buf and
 * returns how many (fewer at the end, -1 on error); size is the file's. */
typedef int (*dec_pcap_read_fn)(void *ctx, uint64_t off, uint8_t *buf, size_t n);
void dec_pcap_scan(dec_pcap_read_fn rd, void *ctx, uint64_t size, struct dec_pcap_extent *x);
/* The warning for a file that is not whole (empty string if it is). */
void dec_pcap_extent_warning(const char *path, const struct dec_pcap_extent *x, char *buf, size_t len);
void dec_pcap_close(struct dec_pcap *pc);

/* Field lookup. */
const char *dec_field_name(unsigned id);		/* NULL if out of range */
enum dec_type dec_field_type(unsigned id);
/* "inner.inner.ip6.src" -> id of ip6.src, *depth 2; -1 if unknown. */
int dec_field_lookup(const char *name, unsigned *depth);
/* First field (id, depth) in rec, or NULL. */
const struct dec_field *dec_get(const struct dec_record *rec, unsigned id, unsigned depth);
/* The next field with the same id and depth after f, or NULL. */
const struct dec_field *dec_next(const struct dec_record *rec, const struct dec_field *f);
/* Number of occurrences of (id, depth). */
unsigned dec_count(const struct dec_record *rec, unsigned id, unsigned depth);

/* Text of a value ("2001:db8::1", "42", "0a0b0c", "@54+40" for layers);
 * of a full name with its "inner." prefixes; of verdicts. Return buf. */
char *dec_value_text(const struct dec_field *f, char *buf, size_t n);
char *dec_full_name(const struct dec_field *f, char *buf, size_t n);
const char *dec_verdict_name(enum dec_verdict v);

/* `roam decode FILE.pcap [--fields a,b,c]`: one line per frame (format in
 * docs/decoders.md). argv[0] is the command name and is ignored. Returns 0
 * when the file was read to its end, 2 on bad usage or an unreadable file. */
int decode_cli(int argc, char **argv);
#endif
