/* mailbox.h - mailbox evidence: an mbox file, a single .eml, a Maildir
 * (cur/ and new/) or a folder of .eml files, each message handed to
 * message_analyze() with its provenance (file, byte offset, 1-based index).
 *
 * An mbox is read as a stream with one message's bytes in memory at a time
 * (at most lim->message_bytes), so memory does not grow with the mailbox.
 * The provenance offset of an mbox message is the byte offset of its first
 * header line, just after its "From " separator line. path and kind are
 * borrowed. */
#ifndef MC_MAILBOX_H
#define MC_MAILBOX_H

#include <stdbool.h>

struct ingest_ctx;

/* kind is "mbox", "eml", "maildir" or "emldir". Returns false when the
 * evidence cannot be read at all (the reason is in ctx->log); damaged
 * messages are logged and skipped over. */
bool mailbox_ingest(struct ingest_ctx *ctx, const char *path, const char *kind);

#endif
