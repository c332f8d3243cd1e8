/* fuzz_hidden - libFuzzer target for the hidden-timestamp rules
 * (auth/hidden.c). The input is one Message-ID or boundary, read without a
 * NUL terminator so a read past len shows under ASan; inputs are capped
 * just above HIDDEN_INPUT_MAX so the ceiling path is reached too.
 * Dictionary: tests/fuzz/hidden.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/hidden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hidden_stamp h[HIDDEN_MAX];
	char *copy;
	size_t n;

	if (size > HIDDEN_INPUT_MAX + 16)
		return 0;
	copy = malloc(size > 0 ? size : 1);   /* exact size: no terminator to lean on */
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	n = hidden_decode(HIDDEN_MESSAGE_ID, copy, size, INT64_C(1767225600000000), h);
	n += hidden_decode(HIDDEN_BOUNDARY, copy, size, INT64_C(1767225600000000), h);
	if (n > 2 * HIDDEN_MAX)
		abort();
	free(copy);
	return 0;
}
