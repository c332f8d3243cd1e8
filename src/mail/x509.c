/* x509.c - certificate facts through libcrypto (RFC 5280 4.1). See x509.h. */
#include "mail/x509.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/hash.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Bytes from a memory BIO as cleaned text. */
static char *
bio_text(BIO *b)
{
	char *p = NULL;
	long n = BIO_get_mem_data(b, &p);

	return text_clean(p, n > 0 ? (size_t)n : 0, 0);
}

/* RFC 2253 form (RFC 5280 4.1.2.4 names), UTF-8 kept. */
static char *
name_text(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *t;

	if (b == NULL)
		fatal("out of memory");
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
		BIO_free(b);
		return NULL;
	}
	t = bio_text(b);
	BIO_free(b);
	return t;
}

/* RFC 5280 4.1.2.5: UTCTime or GeneralizedTime, as ISO 8601 UTC. */
static char *
time_text(const ASN1_TIME *at)
{
	struct tm tm;
	char s[32];

	if (at == NULL || ASN1_TIME_to_tm(at, &tm) != 1)
		return NULL;
	if (strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return NULL;
	return xstrdup(s);
}

/* RFC 5280 4.1.2.2: a positive integer of up to 20 octets; shown as the
 * lowercase hex of its value, as openssl x509 -serial shows it. */
static char *
serial_text(const ASN1_INTEGER *ai)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(ai, NULL);
	char *h, *t;

	if (bn == NULL)
		return NULL;
	h = BN_bn2hex(bn);
	BN_free(bn);
	if (h == NULL)
		return NULL;
	for (t = h; *t; t++)
		if (*t >= 'A' && *t <= 'F')
			*t = (char)(*t - 'A' + 'a');
	t = xstrdup(h);
	OPENSSL_free(h);
	return t;
}

/* RFC 5280 4.2.1.6: the DNS names, IP addresses and e-mail addresses of
 * subjectAltName, "DNS:a, IP:b", as libcrypto prints them. */
static char *
san_text(X509 *c)
{
	GENERAL_NAMES *gn = X509_get_ext_d2i(c, NID_subject_alt_name, NULL, NULL);
	BIO *b;
	char *t = NULL;

	if (gn == NULL)
		return NULL;
	b = BIO_new(BIO_s_mem());
	if (b == NULL)
		fatal("out of memory");
	for (int i = 0; i < sk_GENERAL_NAME_num(gn); i++) {
		if (i > 0)
			(void)BIO_puts(b, ", ");
		(void)GENERAL_NAME_print(b, sk_GENERAL_NAME_value(gn, i));
	}
	t = bio_text(b);
	BIO_free(b);
	GENERAL_NAMES_free(gn);
	return t;
}

bool
x509_facts_read(struct slice der, struct x509_facts *out)
{
	const unsigned char *p = der.p;
	X509 *c;

	memset(out, 0, sizeof(*out));
	out->der = xmalloc(der.len ? der.len : 1);
	if (der.len)
		memcpy(out->der, der.p, der.len);
	out->len = der.len;
	hash_sha256_hex(der.p, der.len, out->sha256);
	/* d2i_X509 reads at most len bytes: it is the bounded reader here */
	c = d2i_X509(NULL, &p, (long)der.len);
	if (c == NULL) {
		ERR_clear_error();
		return false;
	}
	out->parsed = true;
	out->subject = name_text(X509_get_subject_name(c));
	out->issuer = name_text(X509_get_issuer_name(c));
	out->not_before = time_text(X509_get0_notBefore(c));
	out->not_after = time_text(X509_get0_notAfter(c));
	out->serial = serial_text(X509_get0_serialNumber(c));
	out->san = san_text(c);
	X509_free(c);
	return true;
}

void
x509_facts_free(struct x509_facts *x)
{
	free(x->der);
	free(x->subject);
	free(x->issuer);
	free(x->not_before);
	free(x->not_after);
	free(x->serial);
	free(x->san);
	memset(x, 0, sizeof(*x));
}
