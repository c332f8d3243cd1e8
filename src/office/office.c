/* office.c - stub until the document unpacker lands. */
#include "office/office.h"
#include "ingest.h"

bool
office_is_document(const void *p, size_t len)
{
	(void)p; (void)len;
	return false;
}

int64_t
office_unpack(struct ingest_ctx *ctx, const void *p, size_t len,
    const char *sha256, const char *declared_name, unsigned depth)
{
	(void)ctx; (void)p; (void)len; (void)sha256; (void)declared_name; (void)depth;
	return 0;
}
