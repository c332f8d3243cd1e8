/* db_messages.c - rows of the messages and addresses tables. */
#include "store/db_messages.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdlib.h>

struct db_messages {
	struct casedb *db;
	sqlite3_stmt *add, *raw, *addr;
};

static const char add_sql[] =
    "INSERT INTO messages (evidence_id, session_id, parent_id, source, mbox_index, file_offset,"
    " file_path, flow_id, frames, stream_off, ts_us, env_from, env_rcpt, incomplete,"
    " incomplete_why, partial, size, message_id, subject, from_addr, from_name, date_raw,"
    " date_us, in_reply_to, refs, x_mailer, x_originating_ip, auth_results, has_dkim, headers,"
    " obs_helo, obs_client_ip, obs_server, obs_server_ip, body_text, body_html_text, flags,"
    " from_line, from_line_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36,"
    " ?37, ?38, ?39)";

struct db_messages *
db_messages_new(struct casedb *db)
{
	struct db_messages *s = xcalloc(1, sizeof(*s));

	s->db = db;
	s->add = casedb_prepare(db, add_sql);
	s->raw = casedb_prepare(db, "UPDATE messages SET raw_sha256 = ?1 WHERE id = ?2");
	s->addr = casedb_prepare(db,
	    "INSERT INTO addresses (message_id, role, name, addr) VALUES (?1, ?2, ?3, ?4)");
	return s;
}

void
db_messages_free(struct db_messages *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->add);
	sqlite3_finalize(s->raw);
	sqlite3_finalize(s->addr);
	free(s);
}

static void
bind_id(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
}

static void
bind_text_cols(sqlite3_stmt *st, const struct db_message *m)
{
	static const int cols[] = { 4, 7, 9, 12, 13, 15, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28,
	    30, 31, 32, 33, 34, 35, 36, 37, 38 };
	const char *v[] = { m->source, m->file_path, m->frames, m->env_from, m->env_rcpt,
	    m->incomplete_why, m->message_id, m->subject, m->from_addr, m->from_name,
	    m->date_raw, m->in_reply_to, m->refs, m->x_mailer, m->x_originating_ip,
	    m->auth_results, m->headers, m->obs_helo, m->obs_client_ip, m->obs_server,
	    m->obs_server_ip, m->body_text, m->body_html_text, m->flags, m->from_line };
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		casedb_bind_text(st, cols[i], v[i]);
}

int64_t
db_message_add(struct db_messages *s, const struct db_message *m)
{
	sqlite3_stmt *st = s->add;

	sqlite3_clear_bindings(st);
	bind_id(st, 1, m->evidence_id);
	bind_id(st, 2, m->session_id);
	bind_id(st, 3, m->parent_id);
	bind_id(st, 5, m->mbox_index);
	if (m->has_file_offset)
		sqlite3_bind_int64(st, 6, (sqlite3_int64)m->file_offset);
	bind_id(st, 8, m->flow_id);
	if (m->has_stream_off)
		sqlite3_bind_int64(st, 10, (sqlite3_int64)m->stream_off);
	bind_id(st, 11, m->ts_us);
	sqlite3_bind_int(st, 14, m->incomplete ? 1 : 0);
	sqlite3_bind_int(st, 16, m->partial ? 1 : 0);
	sqlite3_bind_int64(st, 17, m->size);
	if (m->has_date)
		sqlite3_bind_int64(st, 23, m->date_us);
	sqlite3_bind_int(st, 29, m->has_dkim ? 1 : 0);
	if (m->has_from_line_us)
		sqlite3_bind_int64(st, 39, m->from_line_us);
	bind_text_cols(st, m);
	casedb_step_done(s->db, st);
	return casedb_last_id(s->db);
}

void
db_message_set_raw(struct db_messages *s, int64_t id, const char *sha256)
{
	sqlite3_clear_bindings(s->raw);
	casedb_bind_text(s->raw, 1, sha256);
	sqlite3_bind_int64(s->raw, 2, id);
	casedb_step_done(s->db, s->raw);
}

void
db_address_add(struct db_messages *s, int64_t message_id, const char *role, const char *name,
    const char *addr)
{
	sqlite3_clear_bindings(s->addr);
	sqlite3_bind_int64(s->addr, 1, message_id);
	casedb_bind_text(s->addr, 2, role);
	casedb_bind_text(s->addr, 3, name);
	casedb_bind_text(s->addr, 4, addr);
	casedb_step_done(s->db, s->addr);
}
