/* auth.c — the authenticators a crafted packet can carry: the Mobile IPv6
 * MN-HA authentication option (RFC 4285 §5.1-5.2: peer = the home address)
 * and binding authorization data (RFC 6275 §5.2.5-5.2.6: peer = the
 * correspondent), both First(96, HMAC_SHA1(key, care-of address | peer |
 * data)), Kbm = SHA1(home token | care-of token); and the
 * Mobile IPv4 authentication extensions (RFC 5944 §3.5.1, HMAC-MD5). */
#include <string.h>
#include <openssl/sha.h>
#include "craft.h"
#include "hmac.h"

int craft_auth_mh(const uint8_t *key, size_t klen, const uint8_t coa[16],
		  const uint8_t peer[16], const uint8_t *data, size_t dlen,
		  uint8_t out[12])
{
	uint8_t buf[32 + CRAFT_MAX], mac[HMAC_SHA1_LEN];

	if (dlen > CRAFT_MAX)
		return -1;
	memcpy(buf, coa, 16);
	memcpy(buf + 16, peer, 16);
	memcpy(buf + 32, data, dlen);
	if (hmac_sha1(key, klen, buf, 32 + dlen, mac) < 0)
		return -1;
	memcpy(out, mac, 12);
	return 0;
}

void craft_kbm(const uint8_t home_token[8], const uint8_t *coa_token, uint8_t kbm[20])
{
	uint8_t in[16];

	memcpy(in, home_token, 8);
	if (coa_token)
		memcpy(in + 8, coa_token, 8);
	SHA1(in, coa_token ? 16 : 8, kbm);
}

int craft_auth_mip4(const uint8_t *key, size_t klen, const uint8_t *data,
		    size_t dlen, uint8_t out[16])
{
	return hmac_md5(key, klen, data, dlen, out);
}
