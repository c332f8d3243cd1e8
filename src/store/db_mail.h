/* db_mail.h - the mail session tables: sessions, transcript, credentials,
 * imap_items
 * (schema in store/schema.c). Written by the driver (ingest.c) from the
 * records mail sessions hand to its sink (mail/sink.h), read by
 * report/model_sessions.c.
 *
 * A struct db_mail holds the prepared statements for one session's worth of
 * writes; write failures are fatal (casedb.h). Strings are borrowed. */
#ifndef MC_DB_MAIL_H
#define MC_DB_MAIL_H

#include <stdint.h>

struct casedb;
struct db_mail;

struct db_session {
	int64_t flow_id, evidence_id;
	const char *protocol;       /* "smtp", "pop3", "imap" */
	const char *greeting, *server_name, *server_software, *client_name;
	const char *capabilities;   /* one per line */
	const char *tls;            /* "none", "starttls" */
	int64_t tls_frame;          /* 0 when none */
	int64_t first_us, last_us;
	int64_t messages;
	const char *notes;
};

struct db_credential {
	int64_t session_id;
	const char *protocol, *mechanism, *authzid, *username, *secret, *secret_kind;
	const char *crack_line, *verdict, *reply, *frames;
	int64_t ts_us;
	const char *client, *server;   /* "ip:port" ("[ip]:port" for IPv6) */
	const char *domain, *workstation, *details;
};

/* A row of imap_items (mail/sink.h struct mail_imap_item); sha256 is the
 * item's data as stored (NULL for NIL), message_id 0 when none. */
struct db_imap_item {
	int64_t session_id;
	char dir;
	const char *mailbox, *mailbox_utf8;
	int64_t seq, uid;
	const char *item, *section;
	int64_t origin;                /* -1: whole */
	const char *flags, *internaldate;
	int64_t internaldate_us, rfc822_size;   /* 0 / -1: absent */
	int64_t size;
	const char *sha256, *frames;
	int64_t stream_off, ts_us;
	const char *use;
	int64_t message_id;
	const char *incomplete_why;
};

struct db_mail *db_mail_new(struct casedb *db);
void db_mail_free(struct db_mail *m);
/* Inserts a session row and returns its id. */
int64_t db_mail_session_add(struct db_mail *m, const struct db_session *s);
/* Rewrites every column of session id from s. */
void db_mail_session_update(struct db_mail *m, int64_t id, const struct db_session *s);
void db_mail_transcript_add(struct db_mail *m, int64_t session_id, int64_t seq, char dir,
    int64_t ts_us, const char *frames, int64_t stream_off, const char *line);
int64_t db_mail_credential_add(struct db_mail *m, const struct db_credential *c);
int64_t db_mail_imap_item_add(struct db_mail *m, const struct db_imap_item *it);

#endif
