/* hmac.h — keyed digests through libcrypto. */
#ifndef ROAM_HMAC_H
#define ROAM_HMAC_H
#include <stddef.h>
#include <stdint.h>

#define HMAC_MD5_LEN 16
#define HMAC_SHA1_LEN 20

/* HMAC (RFC 2104) of data under key; out gets HMAC_MD5_LEN / HMAC_SHA1_LEN
 * bytes. Return 0, or -1 if libcrypto failed. */
int hmac_md5(const void *key, size_t klen, const void *data, size_t dlen,
	     uint8_t out[HMAC_MD5_LEN]);
int hmac_sha1(const void *key, size_t klen, const void *data, size_t dlen,
	      uint8_t out[HMAC_SHA1_LEN]);
/* Constant-time comparison: 1 if equal. */
int hmac_equal(const void *a, const void *b, size_t n);
/* Parses a key: "0x" followed by hex digits, or "hex:..." , otherwise the
 * text itself. Returns the key length, or -1 if it does not fit or the hex
 * is bad. */
int hmac_key_parse(const char *s, uint8_t *key, size_t max);
#endif
