/* sec.c — sequence window, RFC 4285 MN-HA authenticator, return
 * routability keys (RFC 6275 §5.2.5). */
#include <string.h>
#include <openssl/sha.h>
#include "hmac.h"
#include "pkt6.h"
#include "sec.h"

bool sec_seq_newer(uint16_t seq, uint16_t last)
{
	uint16_t d = (uint16_t)(seq - last);
	return d != 0 && d < 32768;
}

int sec_mnha_auth(const uint8_t *key, size_t klen, const struct in6_addr *coa,
		  const struct in6_addr *hoa, const uint8_t *mh, size_t auth_off,
		  uint8_t out[SEC_AUTH_LEN])
{
	uint8_t data[32 + 2048], h[HMAC_SHA1_LEN];

	if (auth_off < 6 || auth_off > 2048)
		return -1;
	memcpy(data, coa, 16);
	memcpy(data + 16, hoa, 16);
	memcpy(data + 32, mh, auth_off);
	data[32 + 4] = data[32 + 5] = 0;	/* checksum as zero */
	if (hmac_sha1(key, klen, data, 32 + auth_off, h) < 0)
		return -1;
	memcpy(out, h, SEC_AUTH_LEN);
	return 0;
}

void sec_mnha_bu_addrs(const struct ip6 *p, struct in6_addr *coa, struct in6_addr *hoa)
{
	*coa = p->src;
	*hoa = p->has_hao ? p->hao : p->src;
}

uint64_t sec_keygen(const uint8_t kcn[SEC_KCN_LEN], const struct in6_addr *addr,
		    uint64_t nonce, bool care_of)
{
	uint8_t data[25], h[HMAC_SHA1_LEN];
	uint64_t t = 0;

	memcpy(data, addr, 16);
	for (int i = 0; i < 8; i++)
		data[16 + i] = (uint8_t)(nonce >> (56 - 8 * i));
	data[24] = care_of ? 1 : 0;
	if (hmac_sha1(kcn, SEC_KCN_LEN, data, sizeof(data), h) < 0)
		return 0;
	for (int i = 0; i < 8; i++)
		t = t << 8 | h[i];
	return t;
}

static void sec_be64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

void sec_kbm(uint64_t home_token, const uint64_t *care_of_token,
	     uint8_t kbm[SEC_KBM_LEN])
{
	uint8_t data[16];
	sec_be64(data, home_token);
	if (care_of_token)
		sec_be64(data + 8, *care_of_token);
	SHA1(data, care_of_token ? 16 : 8, kbm);
}

int sec_bad_auth(const uint8_t kbm[SEC_KBM_LEN], const struct in6_addr *coa,
		 const struct in6_addr *cn, const uint8_t *mh, size_t len,
		 size_t bad_off, uint8_t out[SEC_AUTH_LEN])
{
	uint8_t data[32 + 2048], h[HMAC_SHA1_LEN];
	size_t n;

	if (len < 6 || len > 2048 || bad_off + SEC_AUTH_LEN > len)
		return -1;
	memcpy(data, coa, 16);
	memcpy(data + 16, cn, 16);
	memcpy(data + 32, mh, bad_off);
	memcpy(data + 32 + bad_off, mh + bad_off + SEC_AUTH_LEN, len - bad_off - SEC_AUTH_LEN);
	n = 32 + len - SEC_AUTH_LEN;
	data[32 + 4] = data[32 + 5] = 0;
	if (hmac_sha1(kbm, SEC_KBM_LEN, data, n, h) < 0)
		return -1;
	memcpy(out, h, SEC_AUTH_LEN);
	return 0;
}
