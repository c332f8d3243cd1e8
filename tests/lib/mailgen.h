/* mailgen.h - varied, deterministic RFC 5322 messages for the benchmark
 * generators (tests/tools/genmbox, gencap --mail).
 *
 * Message number i is always the same bytes: every choice comes from a
 * pseudo-random generator seeded with i, never from the clock. The mix
 * follows what a custodian's mailbox holds: plain text, HTML only,
 * multipart/alternative, one in five with attachments (docx and xlsx made
 * with libzip, a PDF-like binary, a PNG), a few forwarded messages
 * (message/rfc822), a few Korean messages in EUC-KR; subjects in ASCII and
 * in RFC 2047 encoded words (UTF-8 B and Q, EUC-KR B); two to five
 * Received fields per message. */
#ifndef MC_MAILGEN_H
#define MC_MAILGEN_H

#include <stdbool.h>
#include <stddef.h>

enum {
	MAILGEN_CRLF = 1,      /* CRLF line ends (wire form); LF otherwise (mbox) */
	MAILGEN_ATTACH = 2,    /* every message has an attachment, larger ones */
};

/* Message number i; returns malloc'd bytes (free()), length in *len. */
char *mailgen_message(unsigned long i, unsigned flags, size_t *len);
/* RFC 4648 section 4 base64 of n bytes, without line breaks; malloc'd. */
char *mailgen_base64(const void *p, size_t n);

#endif
