/* msg.h — Mobile IPv4 wire formats (RFC 5944): registration request (§3.3)
 * and reply (§3.4) with their extensions (§3.5), agent advertisement and
 * solicitation (§2.1, §2.2, ICMP router discovery RFC 1256 with the
 * Mobility Agent Advertisement (16) and Prefix-Lengths (19) extensions).
 *
 * Parsers take untrusted bytes through rd.h and return a verdict: OK,
 * TRUNCATED (a field or extension runs past the end), MALFORMED (the bytes
 * are all there but break a rule), UNKNOWN (an extension 0..127 that a
 * receiver must understand and does not). Builders write into a caller
 * buffer and return the length, or 0 if it does not fit. */
#ifndef ROAM_MIP4_MSG_H
#define ROAM_MIP4_MSG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define MIP4_PORT		434
#define MIP4_TYPE_REQUEST	1
#define MIP4_TYPE_REPLY		3
#define MIP4_FIXED_REQ		24	/* type .. identification */
#define MIP4_FIXED_REP		20

/* Registration Request flags (§3.3) */
#define MIP4_F_S	0x80	/* simultaneous bindings */
#define MIP4_F_B	0x40	/* broadcast datagrams */
#define MIP4_F_D	0x20	/* decapsulation by the mobile node (co-located) */
#define MIP4_F_M	0x10	/* minimal encapsulation */
#define MIP4_F_G	0x08	/* GRE encapsulation */
#define MIP4_F_r	0x04	/* reserved, sent as zero */
#define MIP4_F_T	0x02	/* reverse tunnelling requested (RFC 3024) */
#define MIP4_F_x	0x01	/* reserved, sent as zero */

/* Mobility Agent Advertisement flags (§2.1.1): the first byte R B H F M G r T,
 * the second U X I then reserved; kept as one 16-bit value. */
#define MIP4_AF_R	0x8000	/* registration required */
#define MIP4_AF_B	0x4000	/* busy */
#define MIP4_AF_H	0x2000	/* home agent */
#define MIP4_AF_F	0x1000	/* foreign agent */
#define MIP4_AF_M	0x0800
#define MIP4_AF_G	0x0400
#define MIP4_AF_r	0x0200
#define MIP4_AF_T	0x0100	/* reverse tunnelling supported (RFC 3024) */

enum mip4_ext {
	MIP4_EXT_PAD = 0,		/* one byte, advertisements only */
	MIP4_EXT_AGENT_ADV = 16,
	MIP4_EXT_PREFIX_LEN = 19,
	MIP4_EXT_MN_HA = 32,
	MIP4_EXT_MN_FA = 33,
	MIP4_EXT_FA_HA = 34,
};

enum mip4_verdict { MIP4_OK, MIP4_TRUNCATED, MIP4_MALFORMED, MIP4_UNKNOWN };
extern const char *const mip4_verdict_names[];

#define MIP4_AUTH_MAX	32	/* longest authenticator we keep */
#define MIP4_AUTH_LEN	16	/* HMAC-MD5 */
#define MIP4_MAX_ADDRS	8

/* An authentication extension (§3.5.2-4) as found in a message. */
struct mip4_auth {
	bool present;
	uint32_t spi;
	uint8_t auth[MIP4_AUTH_MAX];
	uint8_t auth_len;
	size_t covered;		/* bytes from the message start through the SPI */
};

struct mip4_req {
	uint8_t flags;
	uint16_t lifetime;	/* seconds; 0 = deregistration */
	struct in_addr hoa, ha, coa;
	uint64_t id;		/* Identification (§5.7) */
	struct mip4_auth mn_ha, mn_fa, fa_ha;
	bool ext_after_mnha;	/* a non-authentication extension follows MN-HA */
	int skipped;		/* extensions 128..255 skipped */
};

struct mip4_rep {
	uint8_t code;
	uint16_t lifetime;
	struct in_addr hoa, ha;
	uint64_t id;
	struct mip4_auth mn_ha, mn_fa, fa_ha;
	int skipped;
};

/* ICMP router advertisement (type 9) with mobility extensions. */
struct mip4_adv {
	uint8_t code;			/* 0, or 16: does not route common traffic */
	uint16_t lifetime;		/* of the advertisement, seconds */
	int n_addrs;			/* router addresses (kept up to MIP4_MAX_ADDRS) */
	struct in_addr addrs[MIP4_MAX_ADDRS];
	int32_t prefs[MIP4_MAX_ADDRS];
	bool has_agent;			/* extension 16 present */
	uint16_t seq;
	uint16_t reg_lifetime;
	uint16_t flags;			/* MIP4_AF_* */
	int n_coas;
	struct in_addr coas[MIP4_MAX_ADDRS];
	bool has_plen;			/* extension 19 present */
	int n_plens;
	uint8_t plens[MIP4_MAX_ADDRS];
};

enum mip4_verdict mip4_req_parse(const uint8_t *buf, size_t len, struct mip4_req *r);
enum mip4_verdict mip4_rep_parse(const uint8_t *buf, size_t len, struct mip4_rep *r);
/* buf starts at the ICMP header; the checksum is verified. */
enum mip4_verdict mip4_adv_parse(const uint8_t *buf, size_t len, struct mip4_adv *a);
enum mip4_verdict mip4_sol_parse(const uint8_t *buf, size_t len);

/* Builders. The MN-HA extension is added when key is not NULL, computed over
 * what precedes it (mip4_auth_compute). */
size_t mip4_req_build(uint8_t *buf, size_t cap, const struct mip4_req *r,
		      uint32_t spi, const uint8_t *key, size_t klen);
size_t mip4_rep_build(uint8_t *buf, size_t cap, const struct mip4_rep *r,
		      uint32_t spi, const uint8_t *key, size_t klen);
size_t mip4_adv_build(uint8_t *buf, size_t cap, const struct mip4_adv *a);
size_t mip4_sol_build(uint8_t *buf, size_t cap);

/* RFC 5944 §3.5.1: HMAC-MD5 under key over the message bytes [0, covered):
 * the registration message, all earlier extensions, and the Type, Length and
 * SPI of the authentication extension. */
int mip4_auth_compute(const uint8_t *msg, size_t covered, const uint8_t *key,
		      size_t klen, uint8_t out[MIP4_AUTH_LEN]);
/* Checks an extension found by a parser against key: true if it matches. */
bool mip4_auth_check(const uint8_t *msg, const struct mip4_auth *a,
		     const uint8_t *key, size_t klen);

/* Reply codes (§3.4, RFC 3024 §5.1-5.2); NULL for an unknown code. */
const char *mip4_code_name(uint8_t code);
static inline bool mip4_code_accepted(uint8_t code) { return code <= 1; }
#endif
