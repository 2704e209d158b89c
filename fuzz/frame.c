/* frame.c — fuzz target: a whole Ethernet frame, captured whole and cut by
 * the capture (wire length one more than the bytes there). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dec_frame(data, size, size, 1, &fuzz_rec);
	fuzz_walk(&fuzz_rec);
	dec_frame(data, size, size + 1, 1, &fuzz_rec);
	fuzz_walk(&fuzz_rec);
	return 0;
}
