/* mip4.c — fuzz target: MIPv4 registration messages alone. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_message(DEC_P_MIP4, data, size);
}
