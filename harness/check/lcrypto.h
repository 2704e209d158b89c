/* lcrypto.h — digests for rule files (docs/rules.md): sha1(data) and
 * hmac_sha1(key, data), binary strings in and out, so that a rule can
 * recompute an RFC 4285 or RFC 6275 §5.2.5 authenticator over p:bytes(). */
#ifndef ROAM_CHECK_LCRYPTO_H
#define ROAM_CHECK_LCRYPTO_H
#include <lua.h>

/* Sets sha1 and hmac_sha1 in the table at the top of the stack. */
void ck_lua_crypto(lua_State *L);
#endif
