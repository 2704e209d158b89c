/* lcrypto.c — sha1() and hmac_sha1() for rule files, through libcrypto. */
#include <lauxlib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "lcrypto.h"

/* sha1(data) -> 20 bytes */
static int ck_l_sha1(lua_State *L)
{
	size_t n;
	const char *d = luaL_checklstring(L, 1, &n);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(d, n, md, &len, EVP_sha1(), NULL))
		return luaL_error(L, "sha1: EVP_Digest failed");
	lua_pushlstring(L, (const char *)md, len);
	return 1;
}

/* hmac_sha1(key, data) -> 20 bytes */
static int ck_l_hmac_sha1(lua_State *L)
{
	size_t kn, n;
	const char *k = luaL_checklstring(L, 1, &kn);
	const char *d = luaL_checklstring(L, 2, &n);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!HMAC(EVP_sha1(), k, (int)kn, (const unsigned char *)d, n, md, &len))
		return luaL_error(L, "hmac_sha1: HMAC failed");
	lua_pushlstring(L, (const char *)md, len);
	return 1;
}

void ck_lua_crypto(lua_State *L)
{
	lua_pushcfunction(L, ck_l_sha1);
	lua_setfield(L, -2, "sha1");
	lua_pushcfunction(L, ck_l_hmac_sha1);
	lua_setfield(L, -2, "hmac_sha1");
}
