/* hops.c - stub until hop analysis lands. */
#include "mail/hops.h"
#include "ingest.h"

void
hops_analyze(struct ingest_ctx *ctx, int64_t message_id, const struct hops_input *in)
{
	(void)ctx; (void)message_id; (void)in;
}
