/* db_store.h - the store_items table: what a mail store (PST/OST, MSG,
 * TNEF, EMLX; src/mailstore/) says about a message that has no RFC 5322
 * place (folder, item identifier, message class, MAPI times, recovery,
 * Exchange addresses, flags). One row per top-level messages row read from
 * a store; schema in store/schema.c, columns in docs/case-database.md.
 * Written by the driver (ingest_store.c), read by report/model_messages.c.
 *
 * Strings are borrowed; NULL is stored as NULL. Write failures are fatal
 * (casedb.h). */
#ifndef MC_DB_STORE_H
#define MC_DB_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct casedb;

struct db_store_item {
	int64_t message_id, evidence_id;
	const char *store;          /* "pst", "ost", "msg", "tnef", "emlx" */
	const char *folder;         /* folder path in the store, or NULL */
	bool has_item_id;
	uint64_t item_id;
	const char *message_class;
	int64_t times[4];           /* client submit, delivery, creation, last modification (us) */
	bool has_time[4];
	bool recovered;             /* read from deleted or orphaned space */
	const char *headers_from;   /* "transport": stored transport headers; "properties":
	                             * written from the MAPI properties; "message": the
	                             * stored message bytes themselves (EMLX) */
	const char *addresses;      /* JSON [[role, name, address, type, smtp], ...] */
	const char *flags;          /* JSON object of store flags (EMLX property list), or NULL */
	const char *notes;
	const char *part;           /* a nested item (attached message, TNEF attachment): its
	                             * part path in the parent message; NULL at top level */
};

void db_store_item_add(struct casedb *db, const struct db_store_item *it);

/* One folder of a PST/OST (store_folders). */
struct db_store_folder {
	int64_t evidence_id;
	const char *path;
	unsigned depth;
	bool has_item_id;
	uint64_t item_id;
	int64_t messages, sub_folders;
	bool has_content, has_unread;
	int64_t content_count, unread_count;
	int64_t unreadable;
};

void db_store_folder_add(struct casedb *db, const struct db_store_folder *f);

#endif
