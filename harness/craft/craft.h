/* craft.h — packets built from a Lua table in the decoders' vocabulary
 * (docs/crafting.md): one sub-table per layer, keyed like the dotted field
 * names of docs/decoders.md with the layer's prefix taken off. Lengths,
 * checksums, padding, next-header chaining and authenticators are computed
 * unless the table gives them, so malformed packets are made on purpose.
 *
 *	{ eth = { dst = "33:33:00:00:00:01" },
 *	  ip6 = { src = "2001:db8:1::100", dst = "2001:db8::1" },
 *	  mh = { type = "bu", seq = 14, flags = { A = 1, H = 1 }, lifetime = 100 } }
 *
 * Errors (an unknown field, a value of the wrong type or range) are Lua
 * errors naming the field and listing the known ones.
 */
#ifndef ROAM_CRAFT_H
#define ROAM_CRAFT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lua_State;

#define CRAFT_MAX 9216		/* largest frame built */

/* Defaults the caller knows (the sending interface, the `to` node). */
struct craft_env {
	const char *what;	/* prefix of error messages: "send", "craft" */
	bool has_smac, has_dmac, has_src4, has_src6, has_dst4, has_dst6;
	uint8_t smac[6];	/* eth.src, nd sll option, arp.sha */
	uint8_t dmac[6];	/* eth.dst for unicast destinations */
	uint8_t src4[4], src6[16];	/* ip.src, ip6.src */
	uint8_t dst4[4], dst6[16];	/* ip.dst, ip6.dst */
};

/* Builds the Ethernet frame described by the table at stack index idx into
 * out (cap bytes). Returns its length; raises a Lua error on a bad table.
 * The keys from, iface and to of send{} are ignored. */
size_t craft_frame(struct lua_State *L, int idx, const struct craft_env *env,
		   uint8_t *out, size_t cap);

/* The authenticators (RFC 4285 §5, RFC 6275 §5.2.6, RFC 5944 §3.5.1), also
 * used by tests. data is what the RFC says is covered. */
/* First(96, HMAC_SHA1(key, coa | peer | data)) into out[12]. */
int craft_auth_mh(const uint8_t *key, size_t klen, const uint8_t coa[16],
		  const uint8_t peer[16], const uint8_t *data, size_t dlen,
		  uint8_t out[12]);
/* Kbm = SHA1(home token | care-of token), or SHA1(home token) when
 * coa_token is NULL (deregistration). */
void craft_kbm(const uint8_t home_token[8], const uint8_t *coa_token, uint8_t kbm[20]);
/* HMAC_MD5(key, data) into out[16]. */
int craft_auth_mip4(const uint8_t *key, size_t klen, const uint8_t *data,
		    size_t dlen, uint8_t out[16]);
#endif
