/* sec.h — Mobile IPv6 security computations: the sequence number window
 * (RFC 6275 §9.5.1), the RFC 4285 MN-HA authenticator (§5.1), and return
 * routability (RFC 6275 §5.2.5): keygen tokens, Kbm and the Binding
 * Authorization Data authenticator. */
#ifndef ROAM_MIP6_SEC_H
#define ROAM_MIP6_SEC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define SEC_KCN_LEN	20	/* §5.2.3: Kcn, 20 octets */
#define SEC_KBM_LEN	20	/* SHA-1 output */
#define SEC_AUTH_LEN	12	/* First(96, ...) */

/* §9.5.1: seq is newer than last modulo 2^16: less than half the space
 * ahead. With last 15, 16-32782 are newer; 0-15 and 32783-65535 are "less
 * than or equal" (RFC 6275's own example). */
bool sec_seq_newer(uint16_t seq, uint16_t last);

/* RFC 4285 §5.1: First(96, HMAC_SHA1(key, Mobility Data)), Mobility Data =
 * care-of address | home address | MH data, MH data being the message up
 * to and including the SPI field (auth_off octets), its checksum taken as
 * zero. At home (deregistration) the care-of address is the home address. */
int sec_mnha_auth(const uint8_t *key, size_t klen, const struct in6_addr *coa,
		  const struct in6_addr *hoa, const uint8_t *mh, size_t auth_off,
		  uint8_t out[SEC_AUTH_LEN]);
struct ip6;
/* The two addresses of the Mobility Data of a BU as received: the care-of
 * address is the IPv6 source, the home address the Home Address option's
 * (the source itself when the mobile node is at home). */
void sec_mnha_bu_addrs(const struct ip6 *p, struct in6_addr *coa, struct in6_addr *hoa);

/* §5.2.5: First(64, HMAC_SHA1(Kcn, addr | nonce | 0 or 1)). */
uint64_t sec_keygen(const uint8_t kcn[SEC_KCN_LEN], const struct in6_addr *addr,
		    uint64_t nonce, bool care_of);
/* Kbm = SHA1(home token | care-of token), or SHA1(home token) when
 * deregistering (care_of_token NULL). */
void sec_kbm(uint64_t home_token, const uint64_t *care_of_token,
	     uint8_t kbm[SEC_KBM_LEN]);
/* First(96, HMAC_SHA1(Kbm, coa | cn | MH data)), MH data the whole message
 * (len octets) without the authenticator at bad_off, checksum as zero. */
int sec_bad_auth(const uint8_t kbm[SEC_KBM_LEN], const struct in6_addr *coa,
		 const struct in6_addr *cn, const uint8_t *mh, size_t len,
		 size_t bad_off, uint8_t out[SEC_AUTH_LEN]);
#endif
