/* fuzz_imap_fetch - libFuzzer target for the FETCH attribute parser
 * (mail/imap_fetch.c) and the modified UTF-7 mailbox decoder.
 *
 * The input is a response cut into chunks at each NUL byte (literal i lies
 * between chunk i and i+1, as imap.c hands them over); every chunk is
 * copied to a buffer of its exact size so a read past its end shows under
 * ASan. Dictionary: tests/fuzz/fuzz_imap.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/imap_fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHUNKS_MAX 65

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slice ch[CHUNKS_MAX];
	uint8_t *copy[CHUNKS_MAX];
	struct imap_fetch f;
	size_t n = 0, start = 0;
	char *name, *dec;

	if (size > 1 << 16)
		return 0;
	for (size_t i = 0; i <= size && n < CHUNKS_MAX; i++) {
		if (i < size && data[i] != 0)
			continue;
		copy[n] = malloc(i - start + 1);
		memcpy(copy[n], data + start, i - start);
		ch[n] = (struct slice){ copy[n], i - start };
		n++;
		start = i + 1;
	}
	imap_fetch_parse(ch, n, 8, &f);
	imap_fetch_free(&f);
	name = malloc(size + 1);
	memcpy(name, data, size);
	name[size] = 0;
	dec = imap_mailbox_decode(name);
	free(dec);
	free(name);
	for (size_t i = 0; i < n; i++)
		free(copy[i]);
	return 0;
}
