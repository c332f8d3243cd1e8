/* fuzz_authres - libFuzzer target for the Authentication-Results,
 * ARC-Authentication-Results and Received-SPF reader (auth/authres.c). The
 * input is one field value, read without a NUL terminator so a read past
 * len shows under ASan, as each of the three kinds; inputs are capped just
 * above AUTHRES_FIELD_MAX so the ceiling path is reached too. Dictionary:
 * tests/fuzz/authres.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/authres.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum authres_field kinds[] = { AUTHRES_AR, AUTHRES_ARC_AR, AUTHRES_SPF };
	struct authres a;
	char *copy;

	if (size > AUTHRES_FIELD_MAX + 64)
		return 0;
	copy = malloc(size > 0 ? size : 1);   /* exact size: no terminator to lean on */
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		(void)authres_parse(kinds[k], copy, size, &a);
		if (a.n > AUTHRES_METHODS_MAX)
			abort();
		authres_clear(&a);
	}
	free(copy);
	return 0;
}
