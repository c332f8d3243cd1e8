/* q_report.c - the SQL of the report model (q_report.h). */
#include "store/q_report.h"
#include "store/casedb.h"
#include "store/rows_sql.h"
#include "util/xalloc.h"

#include <stdlib.h>

static const char *const q_count_sql[] = {
	[Q_COUNT_EVIDENCE] = "SELECT 1 FROM evidence",
	[Q_COUNT_FLOWS] = "SELECT 1 FROM flows",
	[Q_COUNT_SESSIONS] = "SELECT 1 FROM sessions",
	[Q_COUNT_CREDENTIALS] = "SELECT 1 FROM credentials",
	[Q_COUNT_MESSAGES] = "SELECT 1 FROM messages WHERE parent_id IS NULL",
	[Q_COUNT_ATTACHMENTS] = "SELECT 1 FROM artifact_refs WHERE role = 'attachment'",
	[Q_COUNT_FILES] = "SELECT 1 FROM artifacts",
	[Q_COUNT_DOCUMENTS] = "SELECT 1 FROM documents",
	[Q_COUNT_FORGED_ROUTES] = "SELECT 1 FROM routes WHERE forged_hops > 0",
	[Q_COUNT_LOG] = "SELECT 1 FROM log",
	[Q_COUNT_FILES_LISTED] = "SELECT 1 FROM artifact_refs WHERE role NOT IN ('raw-message', 'body')",
	[Q_COUNT_MESSAGES_ALL] = "SELECT 1 FROM messages",
	[Q_COUNT_FILES_UNIQUE] = "SELECT DISTINCT sha256 FROM artifact_refs"
	    " WHERE role NOT IN ('raw-message', 'body') AND sha256 IS NOT NULL",
	[Q_COUNT_FLOWS_MAIL] = "SELECT 1 FROM flows WHERE app IS NOT NULL AND app <> ''",
	[Q_COUNT_LOG_WARNINGS] = "SELECT 1 FROM log WHERE lower(level) IN ('warn', 'warning')",
	[Q_COUNT_LOG_ERRORS] = "SELECT 1 FROM log WHERE lower(level) = 'error'",
};

int64_t
q_report_count(struct casedb *db, enum q_count what)
{
	struct rows *c = rows_open(db, q_count_sql[what]);
	int64_t n = rows_count(c);

	rows_close(c);
	return n;
}

struct rows *
q_report_evidence(struct casedb *db)
{
	return rows_open(db,
	    "SELECT id, path, abs_path, size, type, detail, md5, sha1, sha256, first_us, last_us,"
	    " packets, link_types, status, after_sha256, after_match, reason, parent_id"
	    " FROM evidence ORDER BY id");
}

struct rows *
q_report_log(struct casedb *db)
{
	return rows_open(db,
	    "SELECT level, code, source, position, message, format, args FROM log ORDER BY"
	    " CASE lower(level) WHEN 'error' THEN 0 WHEN 'warning' THEN 1 WHEN 'warn' THEN 1"
	    " ELSE 2 END, id");
}

struct rows *
q_report_session_caps(struct casedb *db)
{
	return rows_open(db,
	    "SELECT DISTINCT lower(protocol), capabilities FROM sessions");
}

struct rows *
q_report_ports(struct casedb *db)
{
	return rows_open(db,
	    "SELECT DISTINCT s.srv_port FROM flows s JOIN sessions x ON x.flow_id = s.id"
	    " UNION SELECT DISTINCT srv_port FROM flows WHERE app IS NOT NULL AND app <> ''");
}

struct rows *
q_report_transcript_lines(struct casedb *db)
{
	return rows_open(db,
	    "SELECT lower(s.protocol), t.dir, t.line FROM transcript t"
	    " JOIN sessions s ON s.id = t.session_id ORDER BY t.id");
}

struct rows *
q_report_runs(struct casedb *db)
{
	return rows_open(db,
	    "SELECT command_line, tool_version, started, finished, status, id, command, examiner,"
	    " db_before_state, tool_sha256 FROM runs ORDER BY id");
}

struct rows *
q_report_sum_credentials(struct casedb *db)
{
	return rows_open(db,
	    "SELECT c.protocol, c.mechanism, c.username, c.verdict, c.frames, e.path, count(*),"
	    " min(c.ts_us)"
	    " FROM credentials c JOIN sessions s ON s.id = c.session_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id"
	    " GROUP BY c.protocol, c.mechanism, c.username, c.verdict, e.path"
	    " ORDER BY min(c.ts_us), min(c.id)");
}

struct rows *
q_report_sum_messages(struct casedb *db)
{
	return rows_open(db,
	    "SELECT m.subject, m.from_addr, m.env_rcpt, m.date_raw, m.frames, m.file_offset, e.path,"
	    " m.message_id, (SELECT group_concat(addr, ', ') FROM addresses a"
	    " WHERE a.message_id = m.id AND a.role = 'to') FROM messages m"
	    " LEFT JOIN evidence e ON e.id = m.evidence_id"
	    " WHERE m.parent_id IS NULL ORDER BY m.id");
}

struct rows *
q_report_sum_attachments(struct casedb *db)
{
	return rows_open(db,
	    "SELECT r.declared_name, a.size, a.sha256, a.detected_type, e.path, m.frames,"
	    " m.file_offset FROM artifact_refs r JOIN artifacts a ON a.sha256 = r.sha256"
	    " LEFT JOIN messages m ON r.parent_kind = 'message' AND m.id = r.parent_id"
	    " LEFT JOIN evidence e ON e.id = r.evidence_id WHERE r.role = 'attachment' ORDER BY r.id");
}

struct rows *
q_report_sum_documents(struct casedb *db)
{
	return rows_open(db,
	    "SELECT declared_name, kind, sha256 FROM documents ORDER BY id");
}

struct rows *
q_report_sum_forged(struct casedb *db)
{
	return rows_open(db,
	    "SELECT m.subject, r.origin_host, r.origin_ip, r.forged_hops, r.message_id, e.path, m.file_offset"
	    " FROM routes r JOIN messages m ON m.id = r.message_id"
	    " LEFT JOIN evidence e ON e.id = m.evidence_id WHERE r.forged_hops > 0 ORDER BY m.id");
}

struct rows *
q_report_flows(struct casedb *db)
{
	return rows_open(db,
	    "SELECT f.flow_no, e.path, f.cli_ip, f.cli_port, f.srv_ip, f.srv_port, f.app,"
	    " f.first_us, f.last_us, f.first_frame, f.last_frame, f.pkts_c2s, f.pkts_s2c,"
	    " f.bytes_c2s, f.bytes_s2c, f.payload_c2s, f.payload_s2c, f.retransmissions,"
	    " f.gaps, f.gap_bytes, f.conflicts, f.syn_seen, f.end_reason"
	    " FROM flows f LEFT JOIN evidence e ON e.id = f.evidence_id"
	    " ORDER BY f.evidence_id, f.flow_no");
}

struct rows *
q_report_files(struct casedb *db)
{
	return rows_open(db,
	    "WITH mno AS (SELECT id, row_number() OVER (ORDER BY id) AS no FROM messages)"
	    " SELECT r.declared_name, r.declared_type, a.detected_type, a.detected_desc,"
	    " r.ext_mismatch, a.size, a.md5, a.sha1, a.sha256, r.role, r.part_path, r.parent_kind,"
	    " mno.no, d.declared_name, r.parent_sha256, e.path, r.provenance"
	    " FROM artifact_refs r JOIN artifacts a ON a.sha256 = r.sha256"
	    " LEFT JOIN mno ON r.parent_kind = 'message' AND mno.id = r.parent_id"
	    " LEFT JOIN documents d ON r.parent_kind = 'document' AND d.id = r.parent_id"
	    " LEFT JOIN evidence e ON e.id = r.evidence_id"
	    " WHERE r.role NOT IN ('raw-message', 'body') ORDER BY r.id");
}

struct rows *
q_report_doc_items(struct casedb *db)
{
	return rows_open(db,
	    "SELECT i.kind, i.author, i.date, i.text, i.target, i.sha256, i.md5, i.part, a.size,"
	    " a.detected_type FROM doc_items i LEFT JOIN artifacts a ON a.sha256 = i.sha256"
	    " WHERE i.document_id = ? ORDER BY i.id");
}

struct rows *
q_report_images(struct casedb *db)
{
	/* the name of the first place the image was found */
	return rows_open(db,
	    "SELECT i.sha256, (SELECT coalesce(r.declared_name, r.part_path) FROM artifact_refs r"
	    " WHERE r.sha256 = i.sha256 ORDER BY r.id LIMIT 1), a.md5, i.make, i.model,"
	    " i.datetime_original, i.datetime, i.taken, i.gps_lat, i.gps_lon, i.gps_alt"
	    " FROM image_meta i LEFT JOIN artifacts a ON a.sha256 = i.sha256 ORDER BY i.rowid");
}

struct rows *
q_report_documents(struct casedb *db)
{
	return rows_open(db,
	    "SELECT d.id, d.sha256, d.kind, d.declared_name, d.md5, d.size, d.depth, d.parent_sha256,"
	    " d.has_macros, d.encrypted, d.flags, d.text, e.path,"
	    " d.title, d.subject, d.creator, d.keywords, d.description, d.last_modified_by,"
	    " d.revision, d.created, d.modified, d.last_printed, d.application, d.app_version,"
	    " d.company, d.template, d.total_time, d.pages, d.words"
	    " FROM documents d LEFT JOIN evidence e ON e.id = d.evidence_id ORDER BY d.id");
}

struct rows *
q_report_messages(struct casedb *db)
{
	return rows_open(db,
	    "SELECT m.id, m.source, e.path, m.frames, m.mbox_index, m.file_offset, m.file_path,"
	    " m.parent_id, m.subject, m.from_addr, m.from_name, m.env_from, m.env_rcpt, m.date_raw,"
	    " m.date_us, m.message_id, m.in_reply_to, m.refs, m.x_mailer, m.x_originating_ip,"
	    " m.auth_results, m.has_dkim, m.flags, m.incomplete, m.incomplete_why, m.partial, m.size,"
	    " m.raw_sha256, m.headers, m.body_text, m.body_html_text, f.flow_no, m.stream_off,"
	    " m.ts_us, m.from_line, m.from_line_us FROM messages m LEFT JOIN evidence e ON e.id = m.evidence_id"
	    " LEFT JOIN flows f ON f.id = m.flow_id ORDER BY m.id");
}

struct rows *
q_report_msg_addresses(struct casedb *db)
{
	return rows_open(db,
	    "SELECT name, addr FROM addresses WHERE message_id = ?1 AND role = ?2 ORDER BY id");
}

struct rows *
q_report_msg_attachments(struct casedb *db)
{
	return rows_open(db,
	    "SELECT r.declared_name, r.declared_type, r.part_path, r.role, a.sha256, a.md5, a.sha1,"
	    " a.detected_type, a.size, r.ext_mismatch FROM artifact_refs r"
	    " JOIN artifacts a ON a.sha256 = r.sha256 WHERE r.parent_kind = 'message'"
	    " AND r.parent_id = ?1 AND r.role IN ('attachment', 'inline') ORDER BY r.id");
}

struct rows *
q_report_msg_parts(struct casedb *db)
{
	return rows_open(db,
	    "SELECT r.part_path, r.role, r.declared_name, r.declared_type, a.size, a.md5, a.sha1,"
	    " a.sha256 FROM artifact_refs r JOIN artifacts a ON a.sha256 = r.sha256"
	    " WHERE r.parent_kind = 'message' AND r.parent_id = ?1 ORDER BY r.id");
}

struct rows *
q_report_msg_store(struct casedb *db)
{
	return rows_open(db,
	    "SELECT store, folder, item_id, message_class, submit_us, delivery_us, created_us,"
	    " modified_us, recovered, headers_from, addresses, flags, notes, part FROM store_items"
	    " WHERE message_id = ?1");
}

struct rows *
q_report_store_folders(struct casedb *db)
{
	return rows_open(db,
	    "SELECT e.path, f.path, f.depth, f.item_id, f.messages, f.sub_folders, f.content_count,"
	    " f.unread_count, f.unreadable FROM store_folders f JOIN evidence e ON e.id = f.evidence_id"
	    " ORDER BY f.id");
}

struct rows *
q_report_credentials(struct casedb *db)
{
	return rows_open(db,
	    "SELECT c.protocol, c.mechanism, c.authzid, c.username, c.secret, c.secret_kind,"
	    " c.crack_line, c.verdict, c.reply, c.frames, c.ts_us, c.client, c.server, e.path,"
	    " c.domain, c.workstation, c.details FROM credentials c JOIN sessions s ON s.id = c.session_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id ORDER BY c.ts_us, c.id");
}

struct rows *
q_report_session_cred_frames(struct casedb *db)
{
	return rows_open(db,
	    "SELECT frames FROM credentials WHERE session_id = ?1 AND frames IS NOT NULL");
}

struct rows *
q_report_transcript(struct casedb *db)
{
	return rows_open(db,
	    "SELECT seq, dir, ts_us, frames, line, stream_off FROM transcript WHERE session_id = ?1"
	    " ORDER BY seq");
}

/* TEMP: every message's number in the report (its place in id order), made
 * once per render (q_report_numbers_reset) in this connection's temporary
 * database, never in the case: a number is then one index lookup, where a
 * count of the messages before it made the report quadratic in the case. */
static void
q_numbers(struct casedb *db)
{
	casedb_exec(db, "CREATE TEMP TABLE IF NOT EXISTS message_no AS SELECT id, session_id,"
	    " stream_off, parent_id, row_number() OVER (ORDER BY id) AS no FROM messages;"
	    " CREATE UNIQUE INDEX IF NOT EXISTS temp.message_no_id ON message_no (id);"
	    " CREATE INDEX IF NOT EXISTS temp.message_no_stream ON message_no"
	    " (session_id, stream_off, id);");
}

void
q_report_numbers_reset(struct casedb *db)
{
	casedb_exec(db, "DROP TABLE IF EXISTS temp.message_no;");
}

struct rows *
q_report_transcript_message_no(struct casedb *db)
{
	q_numbers(db);
	return rows_open(db,
	    "SELECT min(no) FROM temp.message_no WHERE session_id = ?1 AND stream_off = ?2"
	    " AND parent_id IS NULL");
}

struct rows *
q_report_session_imap_items(struct casedb *db)
{
	q_numbers(db);
	return rows_open(db,
	    "SELECT i.mailbox, i.mailbox_utf8, i.seq, i.uid, i.item, i.flags, i.internaldate, i.size,"
	    " i.use, coalesce((SELECT n.no FROM temp.message_no n WHERE n.id = i.message_id), 0),"
	    " i.sha256, i.frames, i.dir"
	    " FROM imap_items i WHERE i.session_id = ?1 ORDER BY i.id");
}

struct rows *
q_report_msg_imap(struct casedb *db)
{
	return rows_open(db,
	    "SELECT mailbox, mailbox_utf8, seq, uid, item, flags, internaldate, internaldate_us,"
	    " rfc822_size, use, dir FROM imap_items WHERE message_id = ?1 ORDER BY id");
}

struct rows *
q_report_sessions(struct casedb *db)
{
	return rows_open(db,
	    "SELECT s.id, s.protocol, f.cli_ip, f.cli_port, f.srv_ip, f.srv_port, s.greeting,"
	    " s.server_name, s.server_software, s.client_name, s.capabilities, s.tls, s.tls_frame,"
	    " s.first_us, s.last_us, f.first_frame, f.last_frame, s.messages, s.notes, e.path,"
	    " f.flow_no FROM sessions s JOIN flows f ON f.id = s.flow_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id"
	    " ORDER BY s.evidence_id, s.first_us, s.id");
}

struct rows *
q_report_session_tls(struct casedb *db)
{
	return rows_open(db,
	    "SELECT id, record_version, client_version, server_version, version, offered_versions,"
	    " sni, alpn_offered, alpn, ciphers, cipher, ja3, ja3_md5, ja3s, ja3s_md5, ja4,"
	    " certs_hidden, certs, hrr, hrr_group, ja4_retry FROM tls WHERE session_id = ?1"
	    " ORDER BY id");
}

struct rows *
q_report_tls_certs(struct casedb *db)
{
	return rows_open(db,
	    "SELECT idx, sha256, size, parsed, subject, issuer, not_before, not_after, serial, san"
	    " FROM tls_certs WHERE tls_id = ?1 ORDER BY idx");
}

struct rows *
q_report_message_no(struct casedb *db)
{
	q_numbers(db);
	return rows_open(db, "SELECT no FROM temp.message_no WHERE id = ?");
}

/* TEMP: the table lives in SQLite's temporary database of this connection,
 * never in the case, and spills to a temporary file past the page cache,
 * so a timeline of any length is sorted without being held in memory. The
 * index serves the ORDER BY of every page. */
void
q_report_timeline_reset(struct casedb *db)
{
	casedb_exec(db, "CREATE TEMP TABLE IF NOT EXISTS report_timeline (seq INTEGER PRIMARY KEY,"
	    " us INTEGER NOT NULL, kind TEXT, text TEXT, source TEXT);"
	    " CREATE INDEX IF NOT EXISTS temp.report_timeline_us ON report_timeline (us, seq);"
	    " DELETE FROM temp.report_timeline;");
}

struct q_timeline_add {
	struct casedb *db;
	sqlite3_stmt *st;
};

struct q_timeline_add *
q_report_timeline_open(struct casedb *db)
{
	struct q_timeline_add *t = xcalloc(1, sizeof(*t));

	t->db = db;
	t->st = casedb_prepare(db, "INSERT INTO temp.report_timeline (us, kind, text, source)"
	    " VALUES (?, ?, ?, ?)");
	casedb_exec(db, "SAVEPOINT report_timeline");
	return t;
}

void
q_report_timeline_add(struct q_timeline_add *t, int64_t us, const char *kind, const char *text,
    const char *source)
{
	if (sqlite3_bind_int64(t->st, 1, us) != SQLITE_OK)
		fatal("case database: cannot bind: %s", sqlite3_errmsg(casedb_sqlite(t->db)));
	casedb_bind_text(t->st, 2, kind);
	casedb_bind_text(t->st, 3, text);
	casedb_bind_text(t->st, 4, source);
	casedb_step_done(t->db, t->st);
}

void
q_report_timeline_close(struct q_timeline_add *t)
{
	if (t == NULL)
		return;
	sqlite3_finalize(t->st);
	casedb_exec(t->db, "RELEASE report_timeline");
	free(t);
}

struct rows *
q_report_timeline(struct casedb *db)
{
	return rows_open(db, "SELECT us, kind, text, source FROM temp.report_timeline"
	    " ORDER BY us, seq");
}
