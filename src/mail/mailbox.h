/* mailbox.h - mailbox evidence: an mbox file, a single .eml, or the message
 * files of a Maildir, read into messages that are
 * handed, one at a time, to a callback with their provenance (file, byte
 * offset, 1-based index).
 *
 * A producer only: the reader parses no message and stores nothing; the
 * driver's callback (ingest.c, ingest_mailbox()) does. An mbox is read as a
 * stream with one message's bytes in memory at a time (at most
 * lim->message_bytes), so memory does not grow with the mailbox. The
 * provenance offset of an mbox message is the byte offset of its first
 * header line, just after its "From " separator line. */
#ifndef MC_MAILBOX_H
#define MC_MAILBOX_H

#include <stdbool.h>
#include <stddef.h>

struct limits;
struct plog;
struct msg_origin;

/* One message: raw and o are borrowed, valid only during the call. */
typedef void (*mailbox_message_fn)(void *arg, const void *raw, size_t len,
    const struct msg_origin *o);

/* kind is "mbox" or "eml"; path, lim and log are
 * borrowed. Returns false when the evidence cannot be read at all (the
 * reason is in log); damaged messages are logged and handed on. For an
 * mbox or .eml read from start to end, read_sha256 (65 bytes, may be
 * NULL) gets the SHA-256 of the bytes as they were read (util/fileio.h
 * tapped stream), else "". */
bool mailbox_read(const char *path, const char *kind, const struct limits *lim,
    struct plog *log, mailbox_message_fn fn, void *arg, char *read_sha256);

/* The same over bytes in memory, p[0..len) (an entry of an archive), name
 * naming it in the log. All borrowed. */
bool mailbox_read_mem(const void *p, size_t len, const char *name, const char *kind,
    const struct limits *lim, struct plog *log, mailbox_message_fn fn, void *arg);

/* The message files of a Maildir: rels[0..n) (paths below root, as
 * evidence_walk.h lists them) read in that order, one message each, with
 * source "maildir", its rel path and 1-based index as provenance. All
 * borrowed. A file that cannot be opened is logged; false when none of n > 0
 * could be. */
bool mailbox_read_maildir(const char *root, const char *const *rels, size_t n,
    const struct limits *lim, struct plog *log, mailbox_message_fn fn, void *arg);

#endif
