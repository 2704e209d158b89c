/* hmac.c — HMAC-MD5 and HMAC-SHA1 via libcrypto's one-shot HMAC(). */
#include <ctype.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "hmac.h"

static int hmac_any(const EVP_MD *md, const void *key, size_t klen,
		    const void *data, size_t dlen, uint8_t *out, unsigned want)
{
	unsigned olen = 0;
	static const uint8_t nokey;

	if (!HMAC(md, klen ? key : &nokey, (int)klen, data, dlen, out, &olen))
		return -1;
	return olen == want ? 0 : -1;
}

int hmac_md5(const void *key, size_t klen, const void *data, size_t dlen,
	     uint8_t out[HMAC_MD5_LEN])
{
	return hmac_any(EVP_md5(), key, klen, data, dlen, out, HMAC_MD5_LEN);
}

int hmac_sha1(const void *key, size_t klen, const void *data, size_t dlen,
	      uint8_t out[HMAC_SHA1_LEN])
{
	return hmac_any(EVP_sha1(), key, klen, data, dlen, out, HMAC_SHA1_LEN);
}

int hmac_equal(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	uint8_t d = 0;
	for (size_t i = 0; i < n; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static int hmac_hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

int hmac_key_parse(const char *s, uint8_t *key, size_t max)
{
	const char *h = NULL;
	size_t n;

	if (!strncmp(s, "0x", 2))
		h = s + 2;
	else if (!strncmp(s, "hex:", 4))
		h = s + 4;
	if (!h) {
		n = strlen(s);
		if (n > max)
			return -1;
		memcpy(key, s, n);
		return (int)n;
	}
	n = strlen(h);
	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hmac_hexval((unsigned char)h[2 * i]);
		int lo = hmac_hexval((unsigned char)h[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}
