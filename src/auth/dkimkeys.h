/* dkimkeys.h - DKIM public keys supplied by the examiner, read from DNS TXT
 * records written as `dig +noall +answer TXT` prints them
 *
 *     sel._domainkey.example.com. 300 IN TXT "v=DKIM1; k=rsa; " "p=MIIB..."
 *
 * or as zone-file lines (RFC 1035 section 5.1: parentheses continue a record
 * over lines, ";" starts a comment, $ORIGIN completes relative names, a line
 * starting with white space keeps the previous owner name).
 *
 * dkimkeys_parse() is pure: text in, entries appended to a set. The record
 * text of an entry is its character-strings joined without separators
 * (RFC 6376 section 3.6.2.2), which is what a verifier reads; its SHA-256
 * identifies the key in the case and the report.
 *
 * Ownership: a set owns its entries and their strings; dkimkeys_free()
 * releases them. dkimkeys_find() returns a borrowed entry. */
#ifndef MC_DKIMKEYS_H
#define MC_DKIMKEYS_H

#include <stddef.h>
#include <stdint.h>

/* Ceilings: a record longer than this is refused (DNS itself caps a TXT
 * answer near 64 KiB); an owner name longer than 255 is not a DNS name. */
#define DKIMKEYS_RECORD_MAX 65535
#define DKIMKEYS_NAME_MAX 255
#define DKIMKEYS_MAX 100000

struct dkimkey {
	char *name;          /* owner name, lower case, no final dot: "sel._domainkey.example.com" */
	char *record;        /* the TXT strings joined */
	char sha256[65];     /* of record */
	size_t line;         /* line of the key file where the record starts (1-based) */
	int64_t id;          /* the case's dkim_keys row, set by the driver; 0 until stored */
};

struct dkimkeys;

/* One problem met while reading a key file: a line that is no record, an
 * unterminated string, a ceiling. reason is a static string. */
struct dkimkeys_problem {
	size_t line;
	const char *reason;
};

struct dkimkeys *dkimkeys_new(void);
void dkimkeys_free(struct dkimkeys *ks);

/* Reads every TXT record of text[0..len) (no NUL needed) into ks; records
 * of other types are skipped. Problems are reported through problem (may be
 * NULL) with arg, and reading goes on with the next record. Returns the
 * number of TXT records added. */
size_t dkimkeys_parse(struct dkimkeys *ks, const void *text, size_t len,
    void (*problem)(void *arg, const struct dkimkeys_problem *p), void *arg);

/* Adds one record under name (copied; lower-cased, final dot dropped).
 * Returns the entry, borrowed. */
struct dkimkey *dkimkeys_add(struct dkimkeys *ks, const char *name, const char *record,
    size_t line);

size_t dkimkeys_count(const struct dkimkeys *ks);
struct dkimkey *dkimkeys_get(const struct dkimkeys *ks, size_t i);
/* The first record for the owner name (compared without case), or NULL. */
const struct dkimkey *dkimkeys_find(const struct dkimkeys *ks, const char *name);

#endif
