/* fuzz_hwp - libFuzzer target for the HWP 5 record layer (office/hwprec.c).
 *
 * The first byte chooses the mode. Even: the rest is a BodyText record
 * stream (record headers, PARA_TEXT bodies with controls and surrogates).
 * Odd: the rest is raw deflate, inflated within a 1 MB budget as a
 * compressed document's streams are, and the result walked as records.
 * The bytes are copied to a buffer of their exact size (no trailing NUL),
 * so a read past the end shows under ASan. Text is capped at 256 KB so the
 * capped path is reached; inputs capped at 256 KB. Dictionary:
 * fuzz_hwp.dict. */
#include <stdlib.h>
#include <string.h>

#include "office/hwprec.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fz_sink;

static void
fz_walk(const void *p, size_t n)
{
	struct buf b;
	struct hwprec_stats st;

	buf_init(&b, 256u << 10);
	hwprec_text(p, n, &b, &st);
	fz_sink += b.len + st.records + st.paragraphs + st.controls + (st.err ? st.err_off : 0);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	char *plain;
	size_t n = 0;
	bool capped;
	const char *err;
	uint64_t inflated;

	if (size < 1 || size > 256 * 1024)
		return 0;
	copy = malloc(size - 1 ? size - 1 : 1);
	memcpy(copy, data + 1, size - 1);
	if (data[0] & 1) {
		plain = hwprec_inflate(copy, size - 1, 1u << 20, &n, &capped, &err, &inflated);
		if (plain != NULL)
			fz_walk(plain, n);
		fz_sink += (size_t)inflated;
		free(plain);
	} else {
		fz_walk(copy, size - 1);
	}
	free(copy);
	return 0;
}
