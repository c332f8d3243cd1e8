/* fields.h - what the authenticity stages read of a message's header: its
 * fields in order (RFC 5322 section 2.2, unfolded per section 2.2.3), and
 * tag=value lists (RFC 6376 section 3.2) as DKIM-Signature, ARC-Seal,
 * ARC-Message-Signature and key records write them.
 *
 * Both are pure readers over borrowed bytes. Ownership: a field list or a
 * tag list owns its strings; free it with its _free function. */
#ifndef MC_AUTH_FIELDS_H
#define MC_AUTH_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

/* Ceilings: header lines and fields read per message. */
#define AUTH_FIELD_LINE_MAX (1u << 20)
#define AUTH_FIELDS_MAX 10000

struct auth_field {
	char *name;        /* as written */
	char *value;       /* after the colon, unfolded (CRLF before WSP removed), not trimmed */
};

struct auth_fields {
	struct auth_field *v;
	size_t n;
	bool capped;       /* AUTH_FIELDS_MAX or AUTH_FIELD_LINE_MAX was reached: later fields unread */
};

/* The fields of raw[0..len) up to the empty line that ends the header. */
struct auth_fields *auth_fields_read(const void *raw, size_t len);
void auth_fields_free(struct auth_fields *f);
/* How many fields are named name (without case). */
size_t auth_fields_count(const struct auth_fields *f, const char *name);

struct auth_tag {
	char *name;
	char *value;       /* FWS at either end removed, inner FWS kept */
};

struct auth_tags {
	struct auth_tag *v;
	size_t n;
	const char *err;   /* static: why the list is malformed; NULL when well formed */
};

/* Parses s[0..len) as a tag-list. A malformed list (a tag without "=", a bad
 * tag name, a tag given twice) keeps the tags read and sets err. */
struct auth_tags *auth_tags_parse(const char *s, size_t len);
void auth_tags_free(struct auth_tags *t);
/* The value of tag name (case-sensitive, as RFC 6376 section 3.2 says), or NULL. */
const char *auth_tags_get(const struct auth_tags *t, const char *name);
/* A copy of v with all white space removed (base64 values such as b= and bh=). */
char *auth_tags_squeeze(const char *v);

#endif
