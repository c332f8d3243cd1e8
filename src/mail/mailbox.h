/* mailbox.h - mailbox evidence: mbox (mboxo and mboxrd), a single message,
 * Maildir (cur/ and new/) and folders of message files, each message handed
 * to message_analyze() with its file, byte offset and index. */
#ifndef MC_MAILBOX_H
#define MC_MAILBOX_H

#include <stdbool.h>

struct ingest_ctx;

/* kind is "mbox", "eml", "maildir" or "emldir". Returns false when the
 * evidence cannot be read at all (the reason is in ctx->log); damaged
 * messages are logged and passed over. Memory does not grow with the size
 * of the mailbox. */
bool mailbox_ingest(struct ingest_ctx *ctx, const char *path, const char *kind);

#endif
