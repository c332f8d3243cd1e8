/* db_mail.c - rows of the sessions, transcript and credentials tables. */
#include "store/db_mail.h"

#include <stdlib.h>

#include "store/casedb.h"
#include "util/xalloc.h"

struct db_mail {
	struct casedb *db;
	sqlite3_stmt *sess_add, *sess_upd, *line_add, *cred_add, *imap_add;
};

struct db_mail *
db_mail_new(struct casedb *db)
{
	struct db_mail *m = xcalloc(1, sizeof(*m));

	m->db = db;
	m->sess_add = casedb_prepare(db,
	    "INSERT INTO sessions (flow_id, evidence_id, protocol, first_us) VALUES (?1, ?2, ?3, ?4)");
	m->sess_upd = casedb_prepare(db,
	    "UPDATE sessions SET greeting = ?2, server_name = ?3, server_software = ?4,"
	    " client_name = ?5, capabilities = ?6, tls = ?7, tls_frame = ?8, first_us = ?9,"
	    " last_us = ?10, messages = ?11, notes = ?12 WHERE id = ?1");
	m->line_add = casedb_prepare(db,
	    "INSERT INTO transcript (session_id, seq, dir, ts_us, frames, stream_off, line)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	m->cred_add = casedb_prepare(db,
	    "INSERT INTO credentials (session_id, protocol, mechanism, authzid, username, secret,"
	    " secret_kind, crack_line, verdict, reply, frames, ts_us, client, server,"
	    " domain, workstation, details)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
	m->imap_add = casedb_prepare(db,
	    "INSERT INTO imap_items (session_id, dir, mailbox, mailbox_utf8, seq, uid, item, section,"
	    " origin, flags, internaldate, internaldate_us, rfc822_size, size, sha256, frames,"
	    " stream_off, ts_us, use, message_id, incomplete_why) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
	return m;
}

void
db_mail_free(struct db_mail *m)
{
	if (m == NULL)
		return;
	sqlite3_finalize(m->sess_add);
	sqlite3_finalize(m->sess_upd);
	sqlite3_finalize(m->line_add);
	sqlite3_finalize(m->cred_add);
	sqlite3_finalize(m->imap_add);
	free(m);
}

static void
bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int64_t
db_mail_session_add(struct db_mail *m, const struct db_session *s)
{
	sqlite3_bind_int64(m->sess_add, 1, s->flow_id);
	sqlite3_bind_int64(m->sess_add, 2, s->evidence_id);
	casedb_bind_text(m->sess_add, 3, s->protocol);
	bind_opt_int(m->sess_add, 4, s->first_us);
	casedb_step_done(m->db, m->sess_add);
	return casedb_last_id(m->db);
}

void
db_mail_session_update(struct db_mail *m, int64_t id, const struct db_session *s)
{
	sqlite3_stmt *st = m->sess_upd;

	sqlite3_bind_int64(st, 1, id);
	casedb_bind_text(st, 2, s->greeting);
	casedb_bind_text(st, 3, s->server_name);
	casedb_bind_text(st, 4, s->server_software);
	casedb_bind_text(st, 5, s->client_name);
	casedb_bind_text(st, 6, s->capabilities);
	casedb_bind_text(st, 7, s->tls ? s->tls : "none");
	bind_opt_int(st, 8, s->tls_frame);
	bind_opt_int(st, 9, s->first_us);
	bind_opt_int(st, 10, s->last_us);
	sqlite3_bind_int64(st, 11, s->messages);
	casedb_bind_text(st, 12, s->notes);
	casedb_step_done(m->db, st);
}

void
db_mail_transcript_add(struct db_mail *m, int64_t session_id, int64_t seq, char dir,
    int64_t ts_us, const char *frames, int64_t stream_off, const char *line)
{
	sqlite3_stmt *st = m->line_add;
	char d[2] = { dir, 0 };

	sqlite3_bind_int64(st, 1, session_id);
	sqlite3_bind_int64(st, 2, seq);
	casedb_bind_text(st, 3, d);
	bind_opt_int(st, 4, ts_us);
	casedb_bind_text(st, 5, frames);
	sqlite3_bind_int64(st, 6, stream_off);
	casedb_bind_text(st, 7, line);
	casedb_step_done(m->db, st);
}

int64_t
db_mail_credential_add(struct db_mail *m, const struct db_credential *c)
{
	sqlite3_stmt *st = m->cred_add;

	sqlite3_bind_int64(st, 1, c->session_id);
	casedb_bind_text(st, 2, c->protocol);
	casedb_bind_text(st, 3, c->mechanism);
	casedb_bind_text(st, 4, c->authzid);
	casedb_bind_text(st, 5, c->username);
	casedb_bind_text(st, 6, c->secret);
	casedb_bind_text(st, 7, c->secret_kind);
	casedb_bind_text(st, 8, c->crack_line);
	casedb_bind_text(st, 9, c->verdict);
	casedb_bind_text(st, 10, c->reply);
	casedb_bind_text(st, 11, c->frames);
	bind_opt_int(st, 12, c->ts_us);
	casedb_bind_text(st, 13, c->client);
	casedb_bind_text(st, 14, c->server);
	casedb_bind_text(st, 15, c->domain);
	casedb_bind_text(st, 16, c->workstation);
	casedb_bind_text(st, 17, c->details);
	casedb_step_done(m->db, st);
	return casedb_last_id(m->db);
}

int64_t
db_mail_imap_item_add(struct db_mail *m, const struct db_imap_item *it)
{
	sqlite3_stmt *st = m->imap_add;
	char d[2] = { it->dir, 0 };

	sqlite3_bind_int64(st, 1, it->session_id);
	casedb_bind_text(st, 2, d);
	casedb_bind_text(st, 3, it->mailbox);
	casedb_bind_text(st, 4, it->mailbox_utf8);
	bind_opt_int(st, 5, it->seq);
	bind_opt_int(st, 6, it->uid);
	casedb_bind_text(st, 7, it->item);
	casedb_bind_text(st, 8, it->section);
	if (it->origin >= 0)
		sqlite3_bind_int64(st, 9, it->origin);
	else
		sqlite3_bind_null(st, 9);
	casedb_bind_text(st, 10, it->flags);
	casedb_bind_text(st, 11, it->internaldate);
	bind_opt_int(st, 12, it->internaldate_us);
	if (it->rfc822_size >= 0)
		sqlite3_bind_int64(st, 13, it->rfc822_size);
	else
		sqlite3_bind_null(st, 13);
	sqlite3_bind_int64(st, 14, it->size);
	casedb_bind_text(st, 15, it->sha256);
	casedb_bind_text(st, 16, it->frames);
	sqlite3_bind_int64(st, 17, it->stream_off);
	bind_opt_int(st, 18, it->ts_us);
	casedb_bind_text(st, 19, it->use);
	bind_opt_int(st, 20, it->message_id);
	casedb_bind_text(st, 21, it->incomplete_why);
	casedb_step_done(m->db, st);
	return casedb_last_id(m->db);
}
