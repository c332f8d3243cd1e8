/* fuzz_tls - libFuzzer target for the TLS handshake parser (mail/tls.c:
 * records, hellos, fingerprints) and the certificate facts (mail/x509.c).
 *
 * The input is both directions of a connection: a first byte says where the
 * client's bytes end (as a share of the rest), the remainder is split there.
 * Each direction is copied to a buffer of its exact size, so a read past
 * its end shows up under ASan. Inputs are capped a little above two records'
 * worth so the fuzzer spends its time on structure. Dictionary:
 * tests/fuzz/tls.dict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tls_info t;
	size_t cut;
	uint8_t *c, *s;

	if (size < 1 || size > 3 * 18432)
		return 0;
	cut = (size - 1) * data[0] / 255;
	c = malloc(cut ? cut : 1);
	s = malloc(size - 1 - cut ? size - 1 - cut : 1);
	if (c == NULL || s == NULL) {
		free(c);
		free(s);
		return 0;
	}
	memcpy(c, data + 1, cut);
	memcpy(s, data + 1 + cut, size - 1 - cut);
	if (tls_parse((struct slice){ c, cut }, (struct slice){ s, size - 1 - cut }, &t)) {
		/* what the parser says it read lies within the input */
		if (t.clear_end[0] > cut || t.clear_end[1] > size - 1 - cut)
			abort();
		if (t.client_hello && (t.ja3 == NULL || strlen(t.ja4) < 10))
			abort();
		tls_info_free(&t);
	}
	free(c);
	free(s);
	return 0;
}
