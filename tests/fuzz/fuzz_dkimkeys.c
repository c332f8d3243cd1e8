/* fuzz_dkimkeys - libFuzzer target for the DKIM key-file reader
 * (auth/dkimkeys.c: dig output and zone-file TXT records) and the tag-list
 * and header-field readers (auth/fields.c).
 *
 * The input is parsed from an exact-size copy, no NUL terminator, so a read
 * past len shows up under ASan. Inputs are capped at 256 KiB, above the
 * record ceiling (DKIMKEYS_RECORD_MAX), so that path is reached too.
 * Dictionary: tests/fuzz/dkimkeys.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/dkimkeys.h"
#include "auth/fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkimkeys *ks;
	struct auth_tags *t;
	struct auth_fields *f;
	char *copy;

	if (size > (256u << 10))
		return 0;
	copy = malloc(size > 0 ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	ks = dkimkeys_new();
	(void)dkimkeys_parse(ks, copy, size, NULL, NULL);
	for (size_t i = 0; i < dkimkeys_count(ks); i++)
		if (dkimkeys_find(ks, dkimkeys_get(ks, i)->name) == NULL)
			abort();    /* every record is found under its own name */
	dkimkeys_free(ks);
	t = auth_tags_parse(copy, size);
	auth_tags_free(t);
	f = auth_fields_read(copy, size);
	auth_fields_free(f);
	free(copy);
	return 0;
}
