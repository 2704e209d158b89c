/* lcrypto.h — digests for rule files (docs/rules.md): sha1(data),
 * hmac_sha1(key, data), md5(data) and hmac_md5(key, data), binary strings
 * in and out, so that a rule can recompute an RFC 4285, RFC 6275 §5.2.5 or
 * RFC 5944 §3.5.1 authenticator over p:bytes(). */
#ifndef ROAM_CHECK_LCRYPTO_H
#define ROAM_CHECK_LCRYPTO_H
#include <lua.h>

/* Sets sha1, hmac_sha1, md5 and hmac_md5 in the table at the top of the stack. */
void ck_lua_crypto(lua_State *L);
#endif
