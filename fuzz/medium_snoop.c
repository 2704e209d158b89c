/* medium_snoop.c — fuzz target: the medium's LAN snooping parser on a
 * whole Ethernet frame; what it learns goes through the ownership table.
 * fuzz-src: harness/medium_snoop.c */
#include <stddef.h>
#include <stdint.h>
#include "../harness/medium_snoop.h"

static void fuzz_owner(void *ctx, int port)
{
	if (port != 1 || ctx)
		__builtin_trap();	/* only what was claimed comes back */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snoop_info si;
	snoop_parse(data, size, &si);
	if ((unsigned)si.kind > SNOOP_ROUTERS || (si.kind != SNOOP_OWNERS && si.target.fam))
		__builtin_trap();
	struct msnoop *s = msnoop_new();
	if (!s)
		return 0;
	msnoop_claim(s, &si.claim, 1);
	msnoop_owners(s, &si.target, fuzz_owner, NULL);
	msnoop_owners(s, &si.claim, fuzz_owner, NULL);
	msnoop_free(s);
	return 0;
}
