/* mh.c — fuzz target: the Mobility Header alone. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_message(DEC_P_MH, data, size);
}
