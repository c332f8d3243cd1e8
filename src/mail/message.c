/* message.c - stub until message analysis lands. */
#include "mail/message.h"
#include "ingest.h"

int64_t
message_analyze(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *origin)
{
	(void)ctx; (void)raw; (void)len; (void)origin;
	return 0;
}
