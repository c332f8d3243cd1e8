/* fuzz_dkim - libFuzzer target for the DKIM verifier (auth/dkim.c on
 * libopendkim) with the keys it is given (auth/dkimkeys.c).
 *
 * Input: a key file (dig output or zone lines), a NUL byte, then one
 * message (CRLF or LF lines). The key file is read into a key set, the
 * message is verified against it at a fixed time of evaluation, and every
 * result is checked: a code and body-hash state it can name, a key that is
 * one of the set's. Without a NUL the whole input is the message and no key
 * is given. The seeds (tests/fuzz/mkseeds.py) are messages signed by
 * tests/tools/dkimsign with the keys in front of them, so a mutation
 * reaches the key, header and body checks. Inputs are capped at 64 KB. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/dkim.h"
#include "auth/dkimkeys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_EVAL_TIME 1600003600     /* an hour after the seeds were signed */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul;
	struct dkimkeys *ks;
	struct dkimsig_verifier *v;
	struct dkimsig_result *r;
	size_t klen = 0, i, k;
	uint8_t *msg;
	bool found;

	if (size > 65536)
		return 0;
	ks = dkimkeys_new();
	nul = memchr(data, 0, size);
	if (nul != NULL) {
		klen = (size_t)(nul - data);
		(void)dkimkeys_parse(ks, data, klen, NULL, NULL);
		klen++;
	}
	v = dkimsig_verifier_new(ks);
	if (v == NULL)
		abort();
	msg = malloc(size - klen ? size - klen : 1);   /* exact size: no NUL to lean on */
	memcpy(msg, data + klen, size - klen);
	r = dkimsig_verify(v, msg, size - klen, FZ_EVAL_TIME);
	for (i = 0; i < r->n; i++) {
		const struct dkimsig *s = &r->sigs[i];

		if ((unsigned)s->code > DKIMSIG_MALFORMED || s->field_no != i + 1 ||
		    (s->body == DKIMSIG_BH_UNTESTED) != (s->bh_computed == NULL))
			abort();
		if (s->key != NULL) {
			found = false;
			for (k = 0; k < dkimkeys_count(ks); k++)
				found |= dkimkeys_get(ks, k) == s->key;
			if (!found)
				abort();   /* the key used is one of those given */
		}
	}
	dkimsig_result_free(r);
	dkimsig_verifier_free(v);
	free(msg);
	dkimkeys_free(ks);
	return 0;
}
