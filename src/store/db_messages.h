/* db_messages.h - the messages and addresses tables (schema in
 * store/schema.c). Written by the driver (ingest.c) from the records of
 * mail/message.c, read by report/model_messages.c.
 *
 * The statements are prepared once, by db_messages_new(), and reused for
 * every message of the run (issue 13: no per-message set-up). Write failures
 * are fatal (casedb.h). Strings are borrowed; NULL is stored as NULL, and so
 * is an id or count of 0. */
#ifndef MC_DB_MESSAGES_H
#define MC_DB_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

struct casedb;
struct db_messages;

struct db_message {
	int64_t evidence_id, session_id, parent_id;
	const char *source;            /* "smtp" ... "mbox", "rfc822" for a nested message */
	int64_t mbox_index;
	bool has_file_offset;
	uint64_t file_offset;
	const char *file_path;
	int64_t flow_id;
	const char *frames;
	bool has_stream_off;
	uint64_t stream_off;
	int64_t ts_us;
	const char *env_from, *env_rcpt;   /* env_rcpt: JSON array */
	bool incomplete;
	const char *incomplete_why;
	bool partial;
	int64_t size;
	const char *message_id, *subject, *from_addr, *from_name, *date_raw;
	bool has_date;
	int64_t date_us;
	const char *in_reply_to, *refs, *x_mailer, *x_originating_ip, *auth_results;
	bool has_dkim;
	const char *headers;           /* JSON */
	const char *obs_helo, *obs_client_ip, *obs_server, *obs_server_ip;
	const char *body_text, *body_html_text, *flags;
	const char *from_line;         /* mbox: the "From " separator line */
	bool has_from_line_us;
	int64_t from_line_us;          /* its date (mail/maildate.h), read as UTC */
};

struct db_messages *db_messages_new(struct casedb *db);
void db_messages_free(struct db_messages *s);
/* Inserts a messages row and returns its id. */
int64_t db_message_add(struct db_messages *s, const struct db_message *m);
/* The SHA-256 of the raw message as stored in the artifact store. */
void db_message_set_raw(struct db_messages *s, int64_t id, const char *sha256);
/* role: "from", "to" ... "env-rcpt" (message.h); name may be NULL. */
void db_address_add(struct db_messages *s, int64_t message_id, const char *role,
    const char *name, const char *addr);

#endif
