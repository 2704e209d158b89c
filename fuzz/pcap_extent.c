/* pcap_extent.c — fuzz target: a capture file's bytes, scanned for its
 * last whole record (harness/decode/pcap_extent.c) at every length. */
#include "fuzz_common.h"

struct fz_mem { const uint8_t *p; size_t len; };

static int fz_read(void *ctx, uint64_t off, uint8_t *buf, size_t n)
{
	const struct fz_mem *m = ctx;
	if (off >= m->len)
		return 0;
	if (n > m->len - off)
		n = m->len - (size_t)off;
	memcpy(buf, m->p + off, n);
	return (int)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_mem m = { data, size };
	struct dec_pcap_extent x;
	char w[256];
	dec_pcap_scan(fz_read, &m, size, &x);
	if (x.records != UINT64_MAX && x.whole > size)
		__builtin_trap();	/* whole bytes past the end */
	dec_pcap_extent_warning("f.pcap", &x, w, sizeof w);
	return 0;
}
