/* mailbox.c - stub until mailbox ingest lands. */
#include "mail/mailbox.h"
#include "ingest.h"
#include "util/plog.h"

bool
mailbox_ingest(struct ingest_ctx *ctx, const char *path, const char *kind)
{
	plog_add(ctx->log, PLOG_WARN, "mailbox.todo", path, "", "%s ingest is not built yet", kind);
	return true;
}
