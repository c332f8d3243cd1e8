/* fuzz_sasl - libFuzzer target for the SASL decoders (mail/sasl.c,
 * sasl_ntlm.c, sasl_gssapi.c).
 *
 * The first byte picks a mechanism; the rest is cut at each 0xff byte into
 * steps, alternating client response and server challenge. NTLM and GSSAPI
 * steps are also handed to their binary decoders directly, in buffers of
 * their exact size so a read past the end shows under ASan; every step goes
 * through base64 as it does on the wire. Every string that comes out must
 * be clean text. Dictionary: tests/fuzz/sasl.dict. */
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/sasl.h"
#include "mail/sasl_int.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const mechs[] = {
	"NTLM", "GSSAPI", "GSS-SPNEGO", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
	"OAUTHBEARER", "XOAUTH2", "PLAIN", "LOGIN", "CRAM-MD5", "X-OTHER",
};

static void
clean_or_die(const char *s)
{
	if (s != NULL && !text_is_clean(s, strlen(s), 0))
		abort();
}

static void
step(struct sasl_auth *a, const uint8_t *p, size_t n, int k)
{
	uint8_t *copy = malloc(n ? n : 1);
	char *b = malloc(4 * ((n + 2) / 3) + 1);

	if (copy == NULL || b == NULL)
		abort();
	memcpy(copy, p, n);
	if (a->mech == SASL_NTLM)
		sasl_ntlm_message(a, copy, n);
	else if (a->mech == SASL_GSSAPI)
		sasl_gssapi_token(a, copy, n);
	EVP_EncodeBlock((unsigned char *)b, copy, (int)n);
	if (k % 2 == 0)
		sasl_auth_response(a, b, strlen(b));
	else
		sasl_auth_challenge(a, b, strlen(b));
	(void)sasl_auth_wants_response(a);
	free(b);
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sasl_auth a;
	const char *m;
	size_t i, start = 1;
	int k = 0;

	if (size < 1 || size > 65536)
		return 0;
	m = mechs[data[0] % (sizeof(mechs) / sizeof(mechs[0]))];
	sasl_auth_init(&a, m, strlen(m));
	for (i = 1; i <= size; i++)
		if (i == size || data[i] == 0xff) {
			step(&a, data + start, i - start, k++);
			start = i + 1;
		}
	clean_or_die(a.user);
	clean_or_die(a.authzid);
	clean_or_die(a.secret);
	clean_or_die(a.domain);
	clean_or_die(a.workstation);
	clean_or_die(a.details);
	clean_or_die(a.crack_line);
	sasl_auth_free(&a);
	return 0;
}
