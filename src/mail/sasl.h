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
 *   OAUTHBEARER  user (gs2 "a=") and bearer token (RFC 7628 3.1)
 *   NTLM      user, domain and workstation from the Type 3 message, the
 *             server challenge from Type 2 (MS-NLMP 2.2.1; sasl_ntlm.c)
 *   DIGEST-MD5  username, realm, nonce, cnonce, nc, qop, digest-uri and
 *             response (RFC 2831 2.1.2)
 *   SCRAM-*   username and authzid from client-first, salt, iterations,
 *             nonce and proof (RFC 5802 5.1, 7)
 *   GSSAPI    the Kerberos service principal and realm of the AP-REQ ticket
 *             (RFC 4752, RFC 4120 5.3, 5.5.1; sasl_gssapi.c): the client's
 *             own principal is inside the encrypted authenticator and is
 *             never visible on the wire
 * Any other mechanism is recorded by name with its exchange (details).
 *
 * crack_line, when set, is written for hashcat:
 *   CRAM-MD5: mode 16400, "$cram_md5$<base64 challenge>$<base64 response>"
 *             (the response is base64 of "user hexdigest", as sent)
 *   APOP:     mode 20 (md5($salt.$pass)), "<hexdigest>:<timestamp>" (pop3.c)
 *   NTLM:     NetNTLMv1 (24-byte NT response), mode 5500,
 *             "user::domain:<lm 48 hex>:<nt 48 hex>:<server challenge 16 hex>";
 *             NetNTLMv2, mode 5600,
 *             "user::domain:<challenge 16 hex>:<NTProofStr 32 hex>:<blob hex>"
 *             (only when the Type 2 challenge was seen)
 *   DIGEST-MD5: hashcat has no mode for it (11400 is SIP's HTTP digest,
 *             whose A1 differs); John the Ripper's dmd5 format,
 *             "$DIGEST-MD5$user$realm$nonce$digest-uri$cnonce$nc$qop$response[$authzid]"
 *   SCRAM:    none: hashcat's SCRAM modes (24100/24200 MongoDB, 28600
 *             PostgreSQL) take stored keys, not a wire exchange; details
 *             keep salt, iterations, nonce, AuthMessage and proof, which is
 *             what a check of a candidate password needs (RFC 5802 3)
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

#include <stdint.h>

enum sasl_mech {
	SASL_OTHER, SASL_LOGIN, SASL_PLAIN, SASL_CRAM_MD5, SASL_XOAUTH2,
	SASL_OAUTHBEARER, SASL_NTLM, SASL_DIGEST_MD5, SASL_SCRAM, SASL_GSSAPI,
};

/* Client responses and server challenges kept in the details of a
 * mechanism this module does not decode; later steps are counted. */
#define SASL_EXCHANGE_STEPS 16

struct sasl_auth {
	char *mech_name;           /* as the client wrote it, upper-cased (text_clean) */
	enum sasl_mech mech;
	char *authzid, *user, *secret;
	char *domain;              /* NTLM domain, DIGEST-MD5 realm, Kerberos realm */
	char *workstation;         /* NTLM workstation */
	char *details;             /* "; "-separated key=value facts of the exchange, or NULL */
	const char *secret_kind;   /* "password", "cram-md5 digest", "oauth token",
	                            * "netntlmv1 response", "netntlmv2 response",
	                            * "digest-md5 response", "scram proof", or NULL */
	char *crack_line;
	char *challenge_b64;       /* the last non-empty server challenge, as sent */
	unsigned nresp;            /* client responses seen (initial response included) */
	unsigned nchal;
	unsigned nchal_late;        /* challenges after the first response */
	bool cancelled;            /* the client sent "*" (RFC 4954 4) */
	bool bad_base64;           /* a challenge or response did not decode */
	/* private to sasl*.c */
	uint8_t ntlm_chal[8];
	bool ntlm_have_chal, ntlm_done;
	bool final_seen;           /* SCRAM "v=", DIGEST-MD5 "rspauth=": one empty response follows */
	unsigned steps;            /* exchange steps kept in details (other mechanisms) */
	char *scram_first;         /* client-first-message-bare, server-first (RFC 5802 3) */
	char *scram_server;
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
