/* sasl_int.h - what sasl.c shares with its per-mechanism decoders
 * (sasl_ntlm.c, sasl_gssapi.c). Not for other modules: they use sasl.h. */
#ifndef MC_SASL_INT_H
#define MC_SASL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "mail/sasl.h"

/* Replaces *dst by the text of p[0..n) (src/util/text.h). */
void sasl_str_set(char **dst, const void *p, size_t n);
/* Appends "key=value" to a->details, "; "-separated; the value is cleaned. */
void sasl_detail_n(struct sasl_auth *a, const char *key, const void *v, size_t n);
void sasl_detail(struct sasl_auth *a, const char *key, const char *v);
/* p[0..n) as lower-case hex; free() it. */
char *sasl_hex(const uint8_t *p, size_t n);
/* One NTLM message (MS-NLMP 2.2.1), from either side: Type 1, 2 or 3. */
void sasl_ntlm_message(struct sasl_auth *a, const uint8_t *p, size_t n);
/* A GSSAPI or GSS-SPNEGO token from either side: the initial context token
 * (RFC 2743 3.1) is read for the Kerberos ticket, any token for NTLMSSP. */
void sasl_gssapi_token(struct sasl_auth *a, const uint8_t *p, size_t n);

#endif
