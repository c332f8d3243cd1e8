/* x509.h - the facts of one X.509 certificate (RFC 5280 4.1) as a TLS
 * server sent it, read with libcrypto's d2i_X509: subject, issuer,
 * validity, serial number, subjectAltNames and the SHA-256 of the DER.
 *
 * The struct owns a copy of the DER and every string; x509_facts_free()
 * releases them. Strings are cleaned text (util/text.h). */
#ifndef MC_X509_H
#define MC_X509_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rd.h"

struct x509_facts {
	uint8_t *der;
	size_t len;
	char sha256[65];          /* of the DER, always set */
	bool parsed;              /* libcrypto read it as a certificate */
	char *subject, *issuer;   /* RFC 2253 form, "CN=mail.example.test,O=..." */
	char *not_before, *not_after;   /* "2026-12-02T07:55:38Z" */
	char *serial;             /* hex, lowercase, as the integer ("0" padded to bytes) */
	char *san;                /* "DNS:a.example, IP:192.0.2.1", NULL: none */
};

/* Copies der and reads it; false (parsed false, the DER and hash still
 * kept) when it is not a certificate libcrypto can read. */
bool x509_facts_read(struct slice der, struct x509_facts *out);
void x509_facts_free(struct x509_facts *x);

#endif
