/* authres.h - what receiving servers wrote about a message's
 * authentication: Authentication-Results (RFC 8601),
 * ARC-Authentication-Results (RFC 8617 section 4.1.1: an instance tag
 * i= before the same payload) and Received-SPF (RFC 7208 section 9.1).
 *
 * authres_parse() is pure: one field value in, one record out, one entry
 * per method result (spf, dkim, dmarc, arc, ...). It trusts nothing: who
 * wrote the field (authserv-id) is for the caller to judge against the
 * route (RFC 8601 section 5: only a field written inside the trust boundary
 * means anything).
 *
 * Ownership: a record owns its strings; authres_clear() frees them. The
 * value is borrowed and need not end with a NUL. */
#ifndef MC_AUTH_AUTHRES_H
#define MC_AUTH_AUTHRES_H

#include <stdbool.h>
#include <stddef.h>

/* Ceilings: method results read per field, bytes of a field read. */
#define AUTHRES_METHODS_MAX 32
#define AUTHRES_FIELD_MAX 16384

enum authres_field { AUTHRES_AR, AUTHRES_ARC_AR, AUTHRES_SPF };

struct authres_method {
	char *method;      /* lower case: "spf", "dkim", "dmarc", "arc", "auth", "iprev"... */
	char *result;      /* lower case: "pass", "fail", "none", "softfail", "neutral", ... */
	char *reason;      /* reason= (RFC 8601 section 2.2), or the Received-SPF comment; NULL */
	char *props;       /* "header.d=example.com smtp.mailfrom=a@example.com"; NULL when none */
};

struct authres {
	enum authres_field field;
	unsigned instance;         /* ARC i=; 0 for the others */
	char *authserv_id;         /* lower case; for Received-SPF its receiver= or the host its
	                            * comment names; NULL when none is written */
	struct authres_method m[AUTHRES_METHODS_MAX];
	size_t n;
	bool none;                 /* "authserv-id; none": no method was applied */
	bool capped;               /* more than AUTHRES_METHODS_MAX results: the rest unread */
	const char *err;           /* static: why the field is malformed; NULL when well formed */
};

/* Parses value[0..len) of a field of kind f into out (always
 * initialised; free with authres_clear). False when nothing could be read
 * (out->err says why); a field read in part keeps what was read and sets
 * err. */
bool authres_parse(enum authres_field f, const char *value, size_t len, struct authres *out);
void authres_clear(struct authres *a);

/* "authentication-results", "arc-authentication-results", "received-spf". */
const char *authres_field_name(enum authres_field f);

#endif
