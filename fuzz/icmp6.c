/* icmp6.c — fuzz target: ICMPv6 and neighbour discovery alone. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_message(DEC_P_ICMP6, data, size);
}
