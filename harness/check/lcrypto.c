/* lcrypto.c — digests for rule files, through libcrypto: sha1() and
 * hmac_sha1() (RFC 4285, RFC 6275 §5.2.5), md5() and hmac_md5() (the
 * RFC 5944 §3.5.1 MN-HA authenticator). One table row per digest. */
#include <lauxlib.h>
#include <limits.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "lcrypto.h"

struct ck_digest {
	const char *name, *hmac_name;
	const EVP_MD *(*md)(void);
};

static const struct ck_digest ck_digests[] = {
	{ "sha1", "hmac_sha1", EVP_sha1 },
	{ "md5", "hmac_md5", EVP_md5 },
};

static const struct ck_digest *ck_digest_of(lua_State *L)
{
	return &ck_digests[lua_tointeger(L, lua_upvalueindex(1))];
}

/* sha1(data), md5(data) -> the digest's bytes */
static int ck_l_digest(lua_State *L)
{
	const struct ck_digest *dg = ck_digest_of(L);
	size_t n;
	const char *d = luaL_checklstring(L, 1, &n);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(d, n, md, &len, dg->md(), NULL))
		return luaL_error(L, "%s: EVP_Digest failed", dg->name);
	lua_pushlstring(L, (const char *)md, len);
	return 1;
}

/* hmac_sha1(key, data), hmac_md5(key, data) -> the digest's bytes */
static int ck_l_hmac(lua_State *L)
{
	const struct ck_digest *dg = ck_digest_of(L);
	size_t kn, n;
	const char *k = luaL_checklstring(L, 1, &kn);
	const char *d = luaL_checklstring(L, 2, &n);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (kn > INT_MAX)
		return luaL_error(L, "%s: expected a key under 2^31 bytes vs seen %I bytes", dg->hmac_name,
				  (lua_Integer)kn);
	if (!HMAC(dg->md(), k, (int)kn, (const unsigned char *)d, n, md, &len))
		return luaL_error(L, "%s: HMAC failed", dg->hmac_name);
	lua_pushlstring(L, (const char *)md, len);
	return 1;
}

void ck_lua_crypto(lua_State *L)
{
	for (size_t i = 0; i < sizeof ck_digests / sizeof *ck_digests; i++) {
		lua_pushinteger(L, (lua_Integer)i);
		lua_pushcclosure(L, ck_l_digest, 1);
		lua_setfield(L, -2, ck_digests[i].name);
		lua_pushinteger(L, (lua_Integer)i);
		lua_pushcclosure(L, ck_l_hmac, 1);
		lua_setfield(L, -2, ck_digests[i].hmac_name);
	}
}
