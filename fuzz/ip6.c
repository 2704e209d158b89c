/* ip6.c — fuzz target: an IPv6 packet and its extension header chain. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_message(DEC_P_IP6, data, size);
}
