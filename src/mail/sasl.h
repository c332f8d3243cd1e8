/* sasl.h - decoding of SASL exchanges seen on the wire (RFC 4422), shared by
 * SMTP AUTH (RFC 4954), POP3 AUTH (RFC 5034) and IMAP AUTHENTICATE (RFC 9051
 * 6.2.2).
 *
 * The protocol parsers feed the base64 text of each server challenge and
 * client response; this module decodes the mechanisms whose secrets travel
 * in the clear or in a crackable form:
 *   LOGIN     user and password (draft-murchison-sasl-login)
 *   PLAIN     authorization id, user, password (RFC 4616)
 *   CRAM-MD5  user, challenge and HMAC-MD5 digest (RFC 2195)
 *   XOAUTH2   user and bearer token (Google/Microsoft XOAUTH2)
 * Other mechanisms are recorded by name with whatever user name they reveal
 * in the clear (SCRAM "n=", DIGEST-MD5 username=) and no secret.
 *
 * crack_line, when set, is written for hashcat:
 *   CRAM-MD5: mode 16400, "$cram_md5$<base64 challenge>$<base64 response>"
 *             (the response is base64 of "user hexdigest", as sent)
 *   APOP:     mode 20 (md5($salt.$pass)), "<hexdigest>:<timestamp>" (pop3.c)
 * John the Ripper has no CRAM-MD5 format of its own; its "hmac-md5" format
 * takes "<challenge>#<hexdigest>", which the report can derive from the same
 * fields.
 *
 * Every string in a struct sasl_auth is text (src/util/text.h).
 *
 * Ownership: a struct sasl_auth owns every string in it; sasl_auth_free()
 * releases them. Input slices are borrowed. */
#ifndef MC_SASL_H
#define MC_SASL_H

#include <stdbool.h>
#include <stddef.h>

enum sasl_mech {
	SASL_OTHER, SASL_LOGIN, SASL_PLAIN, SASL_CRAM_MD5, SASL_XOAUTH2,
};

struct sasl_auth {
	char *mech_name;           /* as the client wrote it, upper-cased (text_clean) */
	enum sasl_mech mech;
	char *authzid, *user, *secret;
	const char *secret_kind;   /* "password", "cram-md5 digest", "oauth token", or NULL */
	char *crack_line;
	char *challenge_b64;       /* the last non-empty server challenge, as sent */
	unsigned nresp;            /* client responses seen (initial response included) */
	unsigned nchal;
	unsigned nchal_late;        /* challenges after the first response */
	bool cancelled;            /* the client sent "*" (RFC 4954 4) */
	bool bad_base64;           /* a challenge or response did not decode */
};

void sasl_auth_init(struct sasl_auth *a, const char *mech, size_t mech_len);
/* A server challenge: the base64 text after "334 " or "+ ". */
void sasl_auth_challenge(struct sasl_auth *a, const char *b64, size_t len);
/* A client response line, or the initial response of the AUTH command
 * ("=" is an empty initial response, RFC 4954 4). */
void sasl_auth_response(struct sasl_auth *a, const char *b64, size_t len);
/* True while the mechanism still expects a client response. */
bool sasl_auth_wants_response(const struct sasl_auth *a);
void sasl_auth_free(struct sasl_auth *a);

/* Decodes base64 text (whitespace ignored) into a new NUL-terminated buffer
 * (*out, free it; *out_len without the NUL). false on malformed input. */
bool sasl_base64_decode(const char *b64, size_t len, char **out, size_t *out_len);

#endif
