/* db_documents.h - the office document tables: documents and doc_items
 * (schema in store/schema.c). Written by the driver (ingest.c) from the
 * records of office/, read by report/model_documents.c.
 *
 * The writing statements are prepared once, by db_documents_new(), and
 * reused for every document of the run. Write failures are fatal
 * (casedb.h). Strings are borrowed; NULL is stored as NULL. */
#ifndef MC_DB_DOCUMENTS_H
#define MC_DB_DOCUMENTS_H

#include <stdbool.h>
#include <stdint.h>

struct casedb;
struct db_documents;

struct db_document {
	const char *sha256, *kind, *declared_name, *md5, *parent_sha256;
	int64_t evidence_id, size;
	unsigned depth;
	/* docProps/core.xml, docProps/app.xml, or ODF meta.xml */
	const char *title, *subject, *creator, *keywords, *description, *last_modified_by;
	const char *revision, *created, *modified, *last_printed;
	const char *application, *app_version, *company, *template_, *total_time, *pages, *words;
	bool has_macros, encrypted;
	const char *text, *flags;
};

struct db_doc_item {
	const char *kind;   /* comment insertion deletion hyperlink image embedding macro
	                     * header footer footnote endnote sheet slide note */
	const char *author, *date, *text, *target, *sha256, *part, *md5;
};

/* The documents row already made from content with this SHA-256, or 0:
 * the same document found twice is unpacked once. */
int64_t db_document_find(struct casedb *db, const char *sha256);
struct db_documents *db_documents_new(struct casedb *db);
void db_documents_free(struct db_documents *s);
/* Inserts the identity columns (sha256 ... depth) and returns the row id. */
int64_t db_document_add(struct db_documents *s, const struct db_document *d);
/* Rewrites the metadata, text and flags of row id from d. */
void db_document_finish(struct db_documents *s, int64_t id, const struct db_document *d);
int64_t db_doc_item_add(struct db_documents *s, int64_t document_id, const struct db_doc_item *it);

#endif
