/* cr_int.h — shared by the packet builders in harness/craft (not public).
 *
 * A layer is described by a table of fields (struct cr_field): where each
 * value goes in the layer's bytes and how it is read from Lua. cr_fields()
 * writes the values a Lua table gives and rejects keys it does not know,
 * listing the known ones. Computed values (lengths, checksums) are filled
 * by the layer's builder afterwards, unless cr_given() says the table set
 * them. */
#ifndef ROAM_CR_INT_H
#define ROAM_CR_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include "craft.h"

enum cr_kind {
	CR_U8, CR_U16, CR_U32, CR_U64,
	CR_BITS,	/* a bit field of a w-byte word: (v / div) << shift, under mask */
	CR_FLAGS,	/* a w-byte word of named bits: { A = 1, H = true } or the word */
	CR_A4, CR_A6, CR_MAC,
	CR_HEX,		/* w bytes given in hex */
	CR_SKIP,	/* a key the layer reads itself (opts, payload, ...) */
};

struct cr_flag { const char *name; uint32_t bit; };
struct cr_sym { const char *name; uint32_t v; };

struct cr_field {
	const char *name;
	uint8_t kind;
	uint16_t off;		/* byte offset inside the layer */
	uint8_t w;		/* word width (BITS, FLAGS) or byte count (HEX) */
	uint32_t mask;		/* BITS: the field's bits inside the word */
	uint8_t div;		/* BITS: the table's unit per wire unit (0 = 1) */
	const struct cr_flag *flags;	/* FLAGS, NULL-name terminated */
	const struct cr_sym *syms;	/* symbolic values, NULL-name terminated */
};

/* The pseudo-header and addresses of the IP packet being built. */
struct cr_ip {
	int family;		/* 4 or 6 */
	uint8_t src[16], dst[16];	/* as in the IP header */
	uint8_t psrc[16], pdst[16];	/* for upper-layer checksums (HAO, RH2) */
};

struct cr {
	lua_State *L;
	const struct craft_env *env;
	uint8_t *buf;
	size_t len, cap;
	int depth;		/* encapsulation level (inner = 1) */
	char where[64];		/* the layer being built: "mh.opts[2]" */
};

/* Errors: "send: <where>.<key>: message" (never return). */
int cr_err(struct cr *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends n zero bytes; returns their offset. */
size_t cr_grow(struct cr *c, size_t n);
void cr_append(struct cr *c, const void *p, size_t n);
void cr_put16(uint8_t *p, uint32_t v);
void cr_put32(uint8_t *p, uint32_t v);
uint32_t cr_get16(const uint8_t *p);

/* Writes the fields of spec that the table at t gives into buf + off,
 * after checking every key of t is in spec (or in extra, NULL-terminated). */
void cr_fields(struct cr *c, int t, const struct cr_field *spec, size_t nspec,
	       size_t off, const char *const *extra);
/* Only the key check. */
void cr_keys(struct cr *c, int t, const struct cr_field *spec, size_t nspec,
	     const char *const *extra);
bool cr_given(struct cr *c, int t, const char *key);
/* t[layer].raw: appends those bytes verbatim and returns true. */
bool cr_raw(struct cr *c, int t, const char *layer);
/* Value readers for the key of the table at t (error if wrong). */
uint64_t cr_uint(struct cr *c, int t, const char *key, uint64_t max);
/* Reads a table value as unsigned, a symbol of syms, or fails. */
uint64_t cr_value(struct cr *c, int idx, const char *key, uint64_t max,
		  const struct cr_sym *syms);
/* A hex string into out (at most max bytes); returns the count. */
size_t cr_hex(struct cr *c, int idx, const char *key, uint8_t *out, size_t max);
void cr_addr(struct cr *c, int idx, const char *key, int family, uint8_t *out);
void cr_mac(struct cr *c, int idx, const char *key, uint8_t out[6]);
/* A Lua string's bytes (raw, payload, text); NULL if the key is absent. */
const char *cr_str(struct cr *c, int t, const char *key, size_t *n);
/* Pushes t[key] if it is a table (returns its index) or 0 (nothing pushed). */
int cr_sub(struct cr *c, int t, const char *key);
/* Sets c->where for a nested layer; returns the previous length to restore. */
size_t cr_enter(struct cr *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cr_leave(struct cr *c, size_t mark);

/* Checksums (RFC 1071) with the pseudo-header of ip. */
uint16_t cr_cksum(const uint8_t *p, size_t n, uint32_t init);
uint32_t cr_pseudo(const struct cr_ip *ip, uint8_t proto, uint32_t len);
/* Pads with Pad1/PadN (IPv6 options, mobility options: same encoding)
 * until (len - base) % 8 == want; from is offset-origin of alignment. */
void cr_pad_tlv(struct cr *c, size_t base, unsigned mod, unsigned want);

/* The layers. Each appends its bytes to c and returns the protocol number
 * the enclosing header announces. t is the packet table (the layer's own
 * table is t[name]). */
int cr_l3(struct cr *c, int t);			/* ip or ip6 (+ upper) */
int cr_upper(struct cr *c, int t, struct cr_ip *ip);
void cr_udp(struct cr *c, int t, struct cr_ip *ip);
void cr_tcp(struct cr *c, int t, struct cr_ip *ip);
void cr_traffic(struct cr *c, int t);
void cr_icmp(struct cr *c, int t);
void cr_icmp6(struct cr *c, int t, struct cr_ip *ip);
void cr_nd_opts(struct cr *c, int lt);
void cr_mh(struct cr *c, int t, struct cr_ip *ip);
void cr_mip4(struct cr *c, int t);
void cr_arp(struct cr *c, int t);
/* IPv6 extension headers between the fixed header and the upper layer;
 * *nxt_at is the offset of the Next Header byte to chain. */
void cr_ip6_ext(struct cr *c, int t, struct cr_ip *ip, size_t *nxt_at, bool *given);
/* ESP (RFC 4303): SPI, sequence number, then opaque bytes; returns 50. */
int cr_esp(struct cr *c, int t);
#endif
