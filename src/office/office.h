/* office.h - office documents (docx, xlsx, pptx, odt) unpacked safely with
 * libzip and libxml2: text, metadata, comments, tracked changes, hyperlinks,
 * embedded images and objects, each extracted through the artifact store.
 *
 * office_unpack() is handed the bytes of an artifact already stored (sha256)
 * and writes the documents and doc_items rows; malformed or hostile input
 * ends in a processing-log warning, never a crash. Bytes are borrowed. */
#ifndef MC_OFFICE_H
#define MC_OFFICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ingest_ctx;

/* True when the bytes look like an office document this module reads
 * (a zip with word/, xl/, ppt/ or an OpenDocument mimetype). */
bool office_is_document(const void *p, size_t len);

/* depth counts documents inside documents (0 for an attachment). Returns
 * the documents row id, or 0 when nothing could be read. */
int64_t office_unpack(struct ingest_ctx *ctx, const void *p, size_t len,
    const char *sha256, const char *declared_name, unsigned depth);

#endif
