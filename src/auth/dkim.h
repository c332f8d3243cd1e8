/* dkim.h - DKIM signatures (RFC 6376, RFC 8463 for ed25519-sha256)
 * verified offline with libopendkim, keys supplied by the examiner.
 *
 * dkimsig_verify() is pure: a message's raw bytes, the keys (auth/dkimkeys.h)
 * and the time of evaluation in, one record per DKIM-Signature out. No DNS
 * is queried: libopendkim's key lookup is replaced (dkim_set_key_lookup) by
 * a look-up in the key set. The body hash is recomputed by libopendkim
 * whether or not a key is there (dkim_sig_gethashes), so a changed body is
 * seen without a key.
 *
 * The time of evaluation is the message's own delivery or capture time,
 * never the clock of the examiner's machine: x= is judged against it here
 * (RFC 6376 section 3.5), and libopendkim's own clock check is moved out of
 * the way (its DKIM_OPTS_CLOCKDRIFT), because libopendkim 2.11 judges x= by
 * time() even when DKIM_OPTS_FIXEDTIME is set (that option is for signing).
 *
 * One verifier holds one libopendkim instance (dkim_init once per run, not
 * per message). It is not thread-safe: one message at a time.
 *
 * Ownership: the verifier borrows the key set for its life; a result owns
 * its strings and is freed with dkimsig_result_free(); its key pointers are
 * borrowed from the key set. */
#ifndef MC_AUTH_DKIM_H
#define MC_AUTH_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dkimkeys;
struct dkimkey;

/* Result codes, as stored ("pass", "body-altered", ...). */
enum dkimsig_code {
	DKIMSIG_PASS,             /* header signature verified with the key, body hash matches */
	DKIMSIG_BODY_ALTERED,     /* the body hash does not match bh= */
	DKIMSIG_HEADERS_ALTERED,  /* the signature over the signed header fields does not verify */
	DKIMSIG_NO_KEY,           /* no key for s=._domainkey.d= was supplied */
	DKIMSIG_KEY_REVOKED,      /* the key record's p= is empty (RFC 6376 section 3.6.1) */
	DKIMSIG_KEY_INVALID,      /* the key record cannot be used (not base64, wrong type, too small) */
	DKIMSIG_EXPIRED,          /* x= is before the time of evaluation */
	DKIMSIG_UNSUPPORTED_ALG,  /* a= or the key's k= names an algorithm not implemented */
	DKIMSIG_MALFORMED,        /* the signature field cannot be read as a signature */
};

enum dkimsig_bh { DKIMSIG_BH_UNTESTED, DKIMSIG_BH_MATCH, DKIMSIG_BH_MISMATCH };

struct dkimsig {
	size_t field_no;       /* position among the message's DKIM-Signature fields, 1 = top */
	char *domain, *selector, *algorithm, *canon, *headers, *identity;
	bool has_t, has_x, has_l;
	int64_t t, x, l;       /* seconds since the epoch; l: body bytes signed */
	enum dkimsig_bh body;     /* body hash recomputed against bh= */
	char *bh_computed;     /* base64 of the recomputed body hash, NULL when untested */
	enum dkimsig_code code;
	const char *lib_error; /* libopendkim's sentence for its error (static), or NULL */
	const struct dkimkey *key;  /* the key used, NULL when none */
	char *unsigned_headers; /* "subject,from+1": present but unsigned, or more than signed */
};

struct dkimsig_result {
	struct dkimsig *sigs;
	size_t n;
	bool fields_capped;    /* the header was read in part (auth/fields.h ceilings) */
};

struct dkimsig_verifier;

/* keys may be NULL (every signature is then no-key). NULL when libopendkim
 * cannot be initialised. */
struct dkimsig_verifier *dkimsig_verifier_new(const struct dkimkeys *keys);
void dkimsig_verifier_free(struct dkimsig_verifier *v);

/* Every DKIM-Signature of raw[0..len), evaluated at eval_s (seconds since
 * the epoch; 0 when the message carries no time: x= is then not judged).
 * Never NULL; n is 0 when the message has no signature. */
struct dkimsig_result *dkimsig_verify(struct dkimsig_verifier *v, const void *raw, size_t len,
    int64_t eval_s);
void dkimsig_result_free(struct dkimsig_result *r);

const char *dkimsig_code_name(enum dkimsig_code c);
const char *dkimsig_bh_name(enum dkimsig_bh b);   /* "untested", "match", "mismatch" */

#endif
