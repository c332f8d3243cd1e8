/* fuzz_emlx - libFuzzer target for Apple Mail's .emlx reader
 * (mailstore/emlx.c): the byte-count line and the XML property list after
 * the message (libxml2, no network, no entities).
 *
 * The input is the whole .emlx file, in a buffer of its exact size (no
 * trailing NUL), so a read past the end shows under ASan. The message the
 * split hands out must lie within the file, and the property list after it
 * must come back as a JSON object or NULL. Inputs are capped at 64 KB. */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mailstore/emlx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off, mlen, declared;
	bool lying;
	uint8_t *copy;
	char *plist;
	json_t *j;

	if (size > 65536)
		return 0;
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	if (emlx_split(copy, size, &off, &mlen, &declared, &lying)) {
		if (off > size || mlen > size - off || (!lying && mlen != declared))
			abort();
		plist = emlx_plist(copy + off + mlen, size - off - mlen);
		if (plist != NULL) {
			j = json_loads(plist, 0, NULL);
			if (!json_is_object(j))
				abort();   /* the JSON the reader makes must be an object */
			json_decref(j);
		}
		free(plist);
	}
	/* the property list reader on the whole file too (any bytes) */
	free(emlx_plist(copy, size));
	free(copy);
	return 0;
}
