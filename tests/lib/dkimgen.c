/* dkimgen.c - keys with libcrypto, signatures with libopendkim. */
#include "dkimgen.h"

#include <dkim.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <stdlib.h>
#include <string.h>

static char *
dkimgen_b64(const unsigned char *p, int n)
{
	char *o = malloc((size_t)(n / 3 + 2) * 4 + 1);

	EVP_EncodeBlock((unsigned char *)o, p, n);
	return o;
}

char *
dkimgen_key(const char *type, char **p_value)
{
	int ed = strcmp(type, "ed25519") == 0;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_id(ed ? EVP_PKEY_ED25519 : EVP_PKEY_RSA, NULL);
	EVP_PKEY *k = NULL;
	BIO *b;
	char *pem, *out;
	long n;

	if (c == NULL || EVP_PKEY_keygen_init(c) <= 0 ||
	    (!ed && EVP_PKEY_CTX_set_rsa_keygen_bits(c, 2048) <= 0) || EVP_PKEY_keygen(c, &k) <= 0)
		abort();
	EVP_PKEY_CTX_free(c);
	if (ed) {
		unsigned char raw[32];
		size_t rl = sizeof(raw);

		EVP_PKEY_get_raw_public_key(k, raw, &rl);
		*p_value = dkimgen_b64(raw, (int)rl);
	} else {
		unsigned char *der = NULL;
		int dl = i2d_PUBKEY(k, &der);

		*p_value = dkimgen_b64(der, dl);
		OPENSSL_free(der);
	}
	b = BIO_new(BIO_s_mem());
	PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
	n = BIO_get_mem_data(b, &pem);
	out = strndup(pem, (size_t)n);
	BIO_free(b);
	EVP_PKEY_free(k);
	return out;
}

/* The signature field as libopendkim folds it ("\n\t"), with CRLF line ends. */
static char *
dkimgen_field(const unsigned char *sig, size_t len)
{
	char *o = malloc(len * 2 + 32), *p = o;

	p += strlen(strcpy(p, DKIM_SIGNHEADER ": "));
	for (size_t i = 0; i < len; i++) {
		if (sig[i] == '\n')
			*p++ = '\r';
		*p++ = (char)sig[i];
	}
	strcpy(p, "\r\n");
	return o;
}

char *
dkimgen_sign(const char *msg, const char *pem, const char *type, const char *selector,
    const char *domain, uint64_t sign_time, uint64_t ttl)
{
	DKIM_LIB *lib = dkim_init(NULL, NULL);
	const char *hdrs[] = { "from", "to", "subject", "date", "message-id", NULL };
	DKIM_STAT st;
	DKIM *d;
	unsigned char *sig;
	size_t siglen;
	char *field, *out = NULL;

	(void)dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FIXEDTIME, &sign_time, sizeof(sign_time));
	(void)dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNATURETTL, &ttl, sizeof(ttl));
	(void)dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_SIGNHDRS, hdrs, sizeof(hdrs));
	d = dkim_sign(lib, (const unsigned char *)"test", NULL, (unsigned char *)pem,
	    (const unsigned char *)selector, (const unsigned char *)domain, DKIM_CANON_RELAXED,
	    DKIM_CANON_SIMPLE, strcmp(type, "ed25519") == 0 ? DKIM_SIGN_ED25519SHA256 :
	    DKIM_SIGN_RSASHA256, -1, &st);
	if (d != NULL && dkim_chunk(d, (unsigned char *)msg, strlen(msg)) == DKIM_STAT_OK &&
	    dkim_chunk(d, NULL, 0) == DKIM_STAT_OK && dkim_eom(d, NULL) == DKIM_STAT_OK &&
	    dkim_getsighdr_d(d, strlen(DKIM_SIGNHEADER) + 2, &sig, &siglen) == DKIM_STAT_OK) {
		field = dkimgen_field(sig, siglen);
		out = malloc(strlen(field) + strlen(msg) + 1);
		strcat(strcpy(out, field), msg);
		free(field);
	}
	if (d != NULL)
		dkim_free(d);
	dkim_close(lib);
	return out;
}

