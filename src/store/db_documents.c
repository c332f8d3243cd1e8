/* db_documents.c - rows of the documents and doc_items tables. */
#include "store/db_documents.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdlib.h>

struct db_documents {
	struct casedb *db;
	sqlite3_stmt *add, *finish, *item;
};

struct db_documents *
db_documents_new(struct casedb *db)
{
	struct db_documents *s = xcalloc(1, sizeof(*s));

	s->db = db;
	s->add = casedb_prepare(db,
	    "INSERT INTO documents (sha256, kind, declared_name, md5, parent_sha256,"
	    " evidence_id, size, depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	s->finish = casedb_prepare(db,
	    "UPDATE documents SET kind = ?, title = ?, subject = ?, creator = ?, keywords = ?,"
	    " description = ?, last_modified_by = ?, revision = ?, created = ?, modified = ?,"
	    " last_printed = ?, application = ?, app_version = ?, company = ?, template = ?,"
	    " total_time = ?, pages = ?, words = ?, has_macros = ?, encrypted = ?, text = ?,"
	    " flags = ? WHERE id = ?");
	s->item = casedb_prepare(db,
	    "INSERT INTO doc_items (document_id, kind, author, date, text, target, sha256, part, md5)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	return s;
}

void
db_documents_free(struct db_documents *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->finish);
	sqlite3_finalize(s->item);
	free(s);
}

int64_t
db_document_add(struct db_documents *s, const struct db_document *d)
{
	sqlite3_stmt *st = s->add;

	sqlite3_clear_bindings(st);
	casedb_bind_text(st, 1, d->sha256);
	casedb_bind_text(st, 2, d->kind);
	casedb_bind_text(st, 3, d->declared_name);
	casedb_bind_text(st, 4, d->md5);
	casedb_bind_text(st, 5, d->parent_sha256);
	if (d->evidence_id > 0)
		sqlite3_bind_int64(st, 6, d->evidence_id);
	sqlite3_bind_int64(st, 7, d->size);
	sqlite3_bind_int64(st, 8, d->depth);
	casedb_step_done(s->db, st);
	return casedb_last_id(s->db);
}

void
db_document_finish(struct db_documents *s, int64_t id, const struct db_document *d)
{
	sqlite3_stmt *st = s->finish;
	const char *v[] = { d->kind, d->title, d->subject, d->creator, d->keywords,
	    d->description, d->last_modified_by, d->revision, d->created, d->modified,
	    d->last_printed, d->application, d->app_version, d->company, d->template_,
	    d->total_time, d->pages, d->words };
	int i;

	for (i = 0; i < (int)(sizeof(v) / sizeof(v[0])); i++)
		casedb_bind_text(st, i + 1, v[i]);
	sqlite3_bind_int(st, ++i, d->has_macros);
	sqlite3_bind_int(st, ++i, d->encrypted);
	casedb_bind_text(st, ++i, d->text);
	casedb_bind_text(st, ++i, d->flags);
	sqlite3_bind_int64(st, ++i, id);
	casedb_step_done(s->db, st);
}

int64_t
db_doc_item_add(struct db_documents *s, int64_t document_id, const struct db_doc_item *it)
{
	sqlite3_stmt *st = s->item;

	sqlite3_clear_bindings(st);
	sqlite3_bind_int64(st, 1, document_id);
	casedb_bind_text(st, 2, it->kind);
	casedb_bind_text(st, 3, it->author);
	casedb_bind_text(st, 4, it->date);
	casedb_bind_text(st, 5, it->text);
	casedb_bind_text(st, 6, it->target);
	casedb_bind_text(st, 7, it->sha256);
	casedb_bind_text(st, 8, it->part);
	casedb_bind_text(st, 9, it->md5);
	casedb_step_done(s->db, st);
	return casedb_last_id(s->db);
}

int64_t
db_document_find(struct casedb *db, const char *sha256)
{
	sqlite3_stmt *st = casedb_prepare(db, "SELECT id FROM documents WHERE sha256 = ? ORDER BY id LIMIT 1");
	int64_t id = 0;

	casedb_bind_text(st, 1, sha256);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}
