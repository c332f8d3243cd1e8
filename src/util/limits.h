/* limits.h - the ceilings every stage works within (STYLE.md principle 3).
 *
 * One struct limits is filled by limits_default() and the command line
 * (`--limit NAME=VALUE`, limits_set()) and handed, borrowed, to each stage
 * that needs it. A stage that hits one records a processing-log finding;
 * nothing is cut silently. `mailcase limits` prints every name with its
 * default and meaning (limits_print()); mailcase(1) says why each default
 * is what it is. */
#ifndef MC_LIMITS_H
#define MC_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct limits {
	size_t flow_bytes;        /* reassembled bytes kept per flow direction */
	size_t capture_bytes;     /* reassembled bytes kept across all open flows */
	size_t line_bytes;        /* longest protocol line parsed */
	size_t message_bytes;     /* largest message analysed */
	size_t text_bytes;        /* decoded text (plain and HTML) kept per message */
	unsigned mime_parts;      /* parts per message */
	unsigned mime_depth;      /* nesting of multipart and message/rfc822 */
	unsigned zip_entries;     /* entries per office document */
	uint64_t zip_inflated;    /* inflated bytes of a document and all documents inside it */
	unsigned zip_ratio;       /* largest compression ratio accepted */
	size_t xml_bytes;         /* largest XML part parsed */
	unsigned doc_depth;       /* documents inside documents */
	unsigned doc_count;       /* documents inside one document, at every depth */
	unsigned encap_depth;     /* tunnel layers (GRE, VXLAN, MPLS, ...) followed in one frame */
	unsigned stream_gaps;     /* holes recorded per flow direction */
	unsigned session_messages;  /* messages per mail session */
	unsigned transcript_lines;  /* transcript lines kept per mail session */
	unsigned smtp_recipients; /* RCPT TO kept per SMTP session */
	unsigned smtp_transactions; /* MAIL FROM transactions per SMTP session */
	unsigned smtp_pending;    /* pipelined commands waiting for their replies */
	unsigned pop3_lines;      /* lines of one POP3 multi-line listing (LIST, UIDL, CAPA) */
	unsigned imap_items;      /* FETCH data items kept per IMAP session */
	unsigned received;        /* Received fields read per message */
	size_t header_bytes;      /* longest header field value analysed */
	unsigned header_addresses;  /* addresses read per address header */
};

/* The defaults documented in mailcase(1). */
void limits_default(struct limits *lim);

/* Sets one ceiling from "NAME=VALUE" (VALUE a positive decimal number,
 * with k, M or G for powers of 1024). false, with a sentence in err, for
 * an unknown name or a bad value; lim is then unchanged. */
bool limits_set(struct limits *lim, const char *name_value, char *err, size_t errlen)
	__attribute__((warn_unused_result));

/* Every name, its default and its meaning, one per line. */
void limits_print(FILE *fp);

/* A positive decimal number with an optional k, M or G (powers of 1024),
 * as every size and count option takes it; false when s is not one or is
 * 0. */
bool limits_parse_size(const char *s, uint64_t *out) __attribute__((warn_unused_result));

#endif
