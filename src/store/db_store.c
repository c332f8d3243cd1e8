/* db_store.c - rows of the store_items table. */
#include "store/db_store.h"
#include "store/casedb.h"

void
db_store_item_add(struct casedb *db, const struct db_store_item *it)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO store_items (message_id, evidence_id, store, folder, item_id, message_class,"
	    " submit_us, delivery_us, created_us, modified_us, recovered, headers_from, addresses,"
	    " flags, notes, part) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int i;

	sqlite3_bind_int64(st, 1, it->message_id);
	sqlite3_bind_int64(st, 2, it->evidence_id);
	casedb_bind_text(st, 3, it->store);
	casedb_bind_text(st, 4, it->folder);
	if (it->has_item_id)
		sqlite3_bind_int64(st, 5, (sqlite3_int64)it->item_id);
	casedb_bind_text(st, 6, it->message_class);
	for (i = 0; i < 4; i++)
		if (it->has_time[i])
			sqlite3_bind_int64(st, 7 + i, it->times[i]);
	sqlite3_bind_int(st, 11, it->recovered);
	casedb_bind_text(st, 12, it->headers_from);
	casedb_bind_text(st, 13, it->addresses);
	casedb_bind_text(st, 14, it->flags);
	casedb_bind_text(st, 15, it->notes);
	casedb_bind_text(st, 16, it->part);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

void
db_store_folder_add(struct casedb *db, const struct db_store_folder *f)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO store_folders (evidence_id, path, depth, item_id, messages, sub_folders,"
	    " content_count, unread_count, unreadable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

	sqlite3_bind_int64(st, 1, f->evidence_id);
	casedb_bind_text(st, 2, f->path);
	sqlite3_bind_int(st, 3, (int)f->depth);
	if (f->has_item_id)
		sqlite3_bind_int64(st, 4, (sqlite3_int64)f->item_id);
	sqlite3_bind_int64(st, 5, f->messages);
	sqlite3_bind_int64(st, 6, f->sub_folders);
	if (f->has_content)
		sqlite3_bind_int64(st, 7, f->content_count);
	if (f->has_unread)
		sqlite3_bind_int64(st, 8, f->unread_count);
	sqlite3_bind_int64(st, 9, f->unreadable);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}
