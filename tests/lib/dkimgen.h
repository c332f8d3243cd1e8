/* dkimgen.h - DKIM-signed test messages: keys generated on the fly with
 * libcrypto, signatures made by libopendkim's signing API (dkim_sign), so
 * the verifier is tested against the reference signer, not itself.
 *
 * Ownership: every returned string is malloc'd; free() it. */
#ifndef MC_DKIMGEN_H
#define MC_DKIMGEN_H

#include <stdint.h>

/* A new key: "rsa" (2048 bits) or "ed25519". Returns the private key as PEM
 * and sets *p_value to the key record's p= (base64 of the DER public key for
 * RSA, of the 32 raw bytes for ed25519, RFC 8463 section 4). */
char *dkimgen_key(const char *type, char **p_value);

/* msg (CRLF lines) signed by domain/selector with that key: relaxed/simple,
 * all of From, To, Subject, Date, Message-ID signed; t = sign_time, x = t +
 * ttl (no x= when ttl is 0). Returns the message with its DKIM-Signature
 * field on top, or NULL when libopendkim refused. */
char *dkimgen_sign(const char *msg, const char *pem, const char *type, const char *selector,
    const char *domain, uint64_t sign_time, uint64_t ttl);

#endif
