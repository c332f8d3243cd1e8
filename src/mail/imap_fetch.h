/* imap_fetch.h - the attributes of one IMAP FETCH response (RFC 9051 7.5.2,
 * the msg-att grammar of 9), and mailbox names in modified UTF-7 (RFC 9051
 * 5.1.3, RFC 3501 5.1.3). INTERNALDATE is read by mail/maildate.h.
 *
 * Pure: imap_fetch_parse() takes the response as the server sent it, cut
 * where its literals are ("{n}" CRLF data), and returns a record; it reads
 * no stream and logs nothing. imap.c reads the lines and literals and
 * decides what becomes a message.
 *
 * Ownership: the chunks are borrowed; everything in the record belongs to
 * it and is freed by imap_fetch_free(). An item's value is a literal's
 * index (the caller holds the bytes) or a quoted string the record owns. */
#ifndef MC_IMAP_FETCH_H
#define MC_IMAP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/rd.h"

/* What part of the message a BODY[...], BINARY[...] or RFC822* item holds
 * (RFC 9051 6.4.5). */
enum imap_sect {
	IMAP_SECT_WHOLE,         /* BODY[], BINARY[], RFC822 */
	IMAP_SECT_HEADER,        /* BODY[HEADER], RFC822.HEADER, BODY[n.HEADER] */
	IMAP_SECT_FIELDS,        /* BODY[HEADER.FIELDS (...)], HEADER.FIELDS.NOT */
	IMAP_SECT_TEXT,          /* BODY[TEXT], RFC822.TEXT, BODY[n.TEXT] */
	IMAP_SECT_PART,          /* BODY[1.2], BINARY[1] */
	IMAP_SECT_MIME,          /* BODY[1.MIME]: a part's own header */
	IMAP_SECT_OTHER
};

/* One attribute with data: its name as sent ("BODY[HEADER]<0>"), what it
 * holds, and where its value is. */
struct imap_fetch_item {
	char *name;
	enum imap_sect sect;
	bool nested;             /* a section of a nested part ("1.2", "2.HEADER") */
	bool binary;             /* BINARY[...]: decoded by the server (RFC 3516) */
	int64_t origin;          /* <n> of a partial fetch; -1 when whole */
	int lit;                 /* the literal holding the value; -1 when not a literal */
	char *quoted;            /* a quoted value; NULL for a literal or NIL */
	bool nil;                /* NIL: the server has no such section */
};

struct imap_fetch {
	int64_t uid;             /* UID (RFC 9051 7.5.2); 0 when not in the response */
	int64_t rfc822_size;     /* -1 when absent */
	int64_t modseq;          /* MODSEQ (RFC 7162 3.1.4.1); -1 when absent */
	char *flags;             /* the FLAGS list without its parentheses; NULL when absent */
	char *internaldate;      /* as sent, without the quotes; NULL when absent */
	char *envelope;          /* the ENVELOPE list as sent (literals as "{n}"); NULL */
	struct imap_fetch_item *items;
	size_t nitems;
	size_t dropped;          /* data items past the ceiling, not listed */
	bool malformed;          /* the list did not parse to its end */
	bool cut;                /* a name or list was longer than its ceiling, and is cut */
};

/* Parses the attribute list of "* n FETCH (...)". chunks[0] is the line
 * from "(" on, each later chunk the line that continues after a literal,
 * each without its "{n}" and line end: literal i sits between chunks[i]
 * and chunks[i+1]. At most max_items data items are kept (the rest
 * counted in dropped). Never fails: what does not parse is marked. */
void imap_fetch_parse(const struct slice *chunks, size_t nchunks, size_t max_items,
    struct imap_fetch *out);
void imap_fetch_free(struct imap_fetch *f);

/* A mailbox name in modified UTF-7 (RFC 9051 5.1.3) as UTF-8: a new
 * string, or NULL when the name is not valid modified UTF-7 (the caller
 * keeps the name as sent). */
char *imap_mailbox_decode(const char *name);

#endif
