/* node_mip6.c — fuzz target: the parsers roam-mip6 runs on received bytes
 * (an IPv6 header chain with its HAO and type 2 routing header, the
 * Mobility Header, a router advertisement, an ICMPv6 Parameter Problem).
 * The first byte picks.
 * fuzz-src: nodes/mip6/mh.c nodes/mip6/pkt6.c */
#include <stddef.h>
#include <stdint.h>
#include "../nodes/mip6/mh.h"
#include "../nodes/mip6/pkt6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mh_msg mh;
	struct ip6 ip;
	struct ip6_ra ra;
	struct ip6_pp pp;

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0: mh_parse(data + 1, size - 1, &mh); break;
	case 1: ip6_ra_parse(data + 1, size - 1, &ra); break;
	case 3: ip6_pp_parse(data + 1, size - 1, &pp); break;
	default: ip6_parse(data + 1, size - 1, &ip);
	}
	return 0;
}
