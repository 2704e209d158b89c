/* mh.h — the Mobility Header (RFC 6275 §6.1): every message type and
 * option (§6.2), plus the RFC 4285 Mobility Message Authentication (9) and
 * Replay Protection (10) options.
 *
 * mh_parse() takes untrusted bytes through rd.h and keeps the verdicts
 * apart: TRUNCATED (the header length runs past the bytes), MALFORMED (the
 * bytes are there but break a rule: header length too small for the type,
 * an option overrunning the header, a known option of the wrong length),
 * UNKNOWN (an MH type this node does not know: answered with Binding Error
 * status 2, §9.2). Unknown options are skipped (§6.2.1).
 * mh_build() writes a message with every option at its alignment (§6.2)
 * and the whole header padded to a multiple of 8 octets; the checksum is
 * left zero for mh_cksum_set() (after any authenticator is filled in). */
#ifndef ROAM_MIP6_MH_H
#define ROAM_MIP6_MH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define MH_PROTO	135	/* IPv6 next header value */
#define MH_HDR_MIN	6	/* payload proto .. checksum */

enum mh_type {
	MH_BRR = 0, MH_HOTI = 1, MH_COTI = 2, MH_HOT = 3, MH_COT = 4,
	MH_BU = 5, MH_BA = 6, MH_BE = 7, MH__N
};
extern const char *const mh_type_names[MH__N];

enum mh_opt_type {
	MHO_PAD1 = 0, MHO_PADN = 1, MHO_BRA = 2, MHO_ALTCOA = 3, MHO_NONCE = 4,
	MHO_BAD = 5, MHO_AUTH = 9, MHO_REPLAY = 10,
};

/* BU flags (§6.1.7), the high byte of the 16-bit flags field */
#define MH_BU_A	0x80	/* acknowledge */
#define MH_BU_H	0x40	/* home registration */
#define MH_BU_L	0x20	/* link-local address compatibility */
#define MH_BU_K	0x10	/* key management mobility capability */
#define MH_BA_K	0x80	/* BA: key management mobility capability */

/* BA status (§6.1.8; 144-146 RFC 4285) */
enum mh_ba_status {
	BA_ACCEPTED = 0, BA_PREFIX_DISCOVERY = 1,
	BA_UNSPECIFIED = 128, BA_PROHIBITED = 129, BA_NO_RESOURCES = 130,
	BA_NOT_SUPPORTED = 131, BA_NOT_HOME_SUBNET = 132, BA_NOT_HA_FOR_MN = 133,
	BA_DAD_FAILED = 134, BA_SEQ_OUT_OF_WINDOW = 135, BA_EXPIRED_HOME_NONCE = 136,
	BA_EXPIRED_COA_NONCE = 137, BA_EXPIRED_NONCES = 138, BA_REG_TYPE_CHANGE = 139,
	BA_ID_MISMATCH = 144, BA_MESG_ID_REQD = 145, BA_AUTH_FAIL = 146,
};
/* BE status (§6.1.9) */
enum mh_be_status { BE_NO_BINDING = 1, BE_UNKNOWN_TYPE = 2 };

#define MH_AUTH_MN_HA	1	/* RFC 4285 subtype */
#define MH_AUTH_MN_AAA	2
#define MH_BAD_LEN	12	/* §6.2.7: 96-bit authenticator */

enum mh_verdict { MH_OK, MH_TRUNCATED, MH_MALFORMED, MH_UNKNOWN };
extern const char *const mh_verdict_names[];

/* One message, fixed fields and options. Lifetimes are in the wire's
 * units of 4 seconds. */
struct mh_msg {
	uint8_t type;
	uint8_t proto;			/* payload proto: 59 (IPPROTO_NONE) */
	uint16_t cksum;			/* as received */
	uint16_t seq;			/* BU, BA */
	uint8_t flags;			/* BU: A H L K; BA: K */
	uint16_t lifetime;		/* BU, BA: units of 4 s */
	uint8_t status;			/* BA, BE */
	uint16_t nonce_index;		/* HoT, CoT */
	uint64_t cookie;		/* HoTI, CoTI, HoT, CoT */
	uint64_t token;			/* HoT, CoT: keygen token */
	struct in6_addr be_hoa;		/* BE: home address */
	/* options */
	bool has_bra; uint16_t bra;	/* refresh interval, units of 4 s */
	bool has_altcoa; struct in6_addr altcoa;
	bool has_nonce; uint16_t home_nonce, coa_nonce;
	bool has_bad; uint8_t bad[MH_BAD_LEN];
	bool has_replay; uint64_t replay;	/* NTP timestamp */
	bool has_auth; uint8_t auth_subtype; uint32_t spi;
	uint8_t auth[20]; uint8_t auth_len;	/* authentication data */
	int n_unknown_opts;		/* skipped */
	bool misaligned;		/* an option not at its §6.2 alignment */
	/* offsets in the message, filled by parse and build */
	size_t len;			/* whole MH, octets */
	size_t bad_off;			/* the BAD authenticator */
	size_t auth_off;		/* the RFC 4285 authentication data */
};

/* Minimum message length of each type (header and fixed fields). */
size_t mh_min_len(uint8_t type);
enum mh_verdict mh_parse(const uint8_t *buf, size_t len, struct mh_msg *m);
/* Builds m into buf (has_bad / has_auth reserve the authenticator with
 * zeros: the caller fills it at m->bad_off / m->auth_off). Returns the
 * length, 0 if it does not fit. */
size_t mh_build(uint8_t *buf, size_t cap, struct mh_msg *m);
/* The MH checksum over the IPv6 pseudo-header (§6.1.1). */
void mh_cksum_set(uint8_t *buf, size_t len, const struct in6_addr *src,
		  const struct in6_addr *dst);
bool mh_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		 const struct in6_addr *dst);
#endif
