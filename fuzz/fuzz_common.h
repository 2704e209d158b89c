/* fuzz_common.h — shared by the decoder fuzz targets: decode, then touch
 * every field of the record the way a consumer would (lookup, text). */
#ifndef ROAM_FUZZ_COMMON_H
#define ROAM_FUZZ_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "decode/decode.h"

static struct dec_record fuzz_rec;

static void fuzz_walk(const struct dec_record *r)
{
	char name[128], val[1024];

	for (unsigned i = 0; i < r->n; i++) {
		const struct dec_field *f = &r->f[i];
		dec_full_name(f, name, sizeof name);
		dec_value_text(f, val, sizeof val);
		if (dec_get(r, f->id, f->depth) == NULL)
			__builtin_trap();	/* a field that cannot be found */
		/* byte values must lie inside the frame */
		if (dec_field_type(f->id) != DEC_T_U && dec_field_type(f->id) != DEC_T_S &&
		    (f->off + (size_t)f->len > r->caplen))
			__builtin_trap();
	}
	if (r->verdict != DEC_OK && dec_field_name(r->vfield) == NULL)
		__builtin_trap();
	if ((r->verdict == DEC_MALFORMED || r->verdict == DEC_UNKNOWN) && r->reason[0] == 0)
		__builtin_trap();
}

static int fuzz_message(enum dec_proto p, const uint8_t *data, size_t size)
{
	dec_message(p, data, size, &fuzz_rec);
	fuzz_walk(&fuzz_rec);
	return 0;
}
#endif
