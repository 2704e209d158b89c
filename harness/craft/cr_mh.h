/* cr_mh.h — between mh.c (the header) and mh_opts.c (its options and
 * authenticators). Not public. */
#ifndef ROAM_CR_MH_H
#define ROAM_CR_MH_H
#include "cr_int.h"

#define CR_MH_AUTH_MAX 4

/* An authenticator to compute once the whole header is built. */
struct cr_mh_auth {
	bool bad;		/* binding authorization data (Kbm), else RFC 4285 */
	size_t at, alen;	/* the authenticator's offset in the frame, length */
	size_t cover;		/* RFC 4285: bytes covered from the header start */
	uint8_t key[64];
	size_t klen;
	uint8_t coa[16], peer[16];
};

/* Appends the options of mh.opts; returns the authenticators to fill. */
int cr_mh_opts(struct cr *c, int lt, size_t mh, bool align, uint8_t type,
	       const struct cr_ip *ip, struct cr_mh_auth *auth);
/* Computes them over the finished header (checksum taken as zero). */
void cr_mh_auth_fill(struct cr *c, size_t mh, const struct cr_mh_auth *auth, int n);
#endif
