/* q_report.h - the queries the report model reads (report/model*.c): one
 * function per query, returning a cursor (store/rows.h) whose columns are
 * listed, in order, above it. The SQL lives in q_report.c; the report sees
 * only rows. Every table of the report comes from a query with an ORDER BY,
 * so it can be read page by page (rows_page) and counted (rows_count)
 * without loading it; only the glossary's look-ups (sets, not tables) have
 * no order.
 *
 * Texts are as stored: bytes from evidence, possibly not UTF-8 (the model
 * shows those as \xNN, model_row_str). NULL columns are row_null(). */
#ifndef MC_Q_REPORT_H
#define MC_Q_REPORT_H

#include <stdint.h>

#include "store/rows.h"

struct casedb;

/* The counts of the summary. */
enum q_count {
	Q_COUNT_EVIDENCE,       /* evidence files */
	Q_COUNT_FLOWS,          /* TCP flows */
	Q_COUNT_SESSIONS,       /* mail sessions */
	Q_COUNT_CREDENTIALS,
	Q_COUNT_MESSAGES,       /* top-level messages (not nested ones) */
	Q_COUNT_ATTACHMENTS,    /* references with the role "attachment" */
	Q_COUNT_FILES,          /* distinct stored files */
	Q_COUNT_DOCUMENTS,
	Q_COUNT_FORGED_ROUTES,  /* routes with at least one forged hop */
	Q_COUNT_LOG,            /* processing-log entries */
	Q_COUNT_FILES_UNIQUE,   /* distinct files among the extracted ones (no raw messages, bodies) */
	Q_COUNT_FLOWS_MAIL,     /* flows of a recognised mail protocol */
	Q_COUNT_LOG_WARNINGS,   /* log entries of level warn or warning */
	Q_COUNT_LOG_ERRORS,     /* log entries of level error */
	Q_COUNT_FILES_LISTED,   /* rows of the files table: references that are not raw
	                         * messages or bodies */
	Q_COUNT_MESSAGES_ALL,   /* every message, nested ones too: the messages table */
};
int64_t q_report_count(struct casedb *db, enum q_count what);

/* The evidence files, by id. Columns: 0 id, 1 path, 2 abs_path, 3 size, 4
 * type, 5 detail, 6 md5, 7 sha1, 8 sha256, 9 first_us, 10 last_us, 11
 * packets, 12 link_types, 13 status, 14 after_sha256, 15 after_match, 16
 * reason, 17 parent_id (NULL unless an entry of a folder, which follows
 * its folder). */
struct rows *q_report_evidence(struct casedb *db);

/* The processing log, errors first, then warnings, then the rest, each in
 * the order written (so a main report that shows only the first rows of a
 * long log shows its errors). Columns: 0 level, 1 code, 2 source, 3
 * position, 4 message, 5 format, 6 args (a JSON array of strings; 5 and 6
 * NULL for entries written before schema 12). */
struct rows *q_report_log(struct casedb *db);

/* For the glossary: each distinct protocol (lowercase) and capability list
 * of the sessions. Columns: 0 lower(protocol), 1 capabilities. */
struct rows *q_report_session_caps(struct casedb *db);

/* For the glossary: the server ports of mail sessions and of flows with a
 * recognised protocol. Columns: 0 srv_port. */
struct rows *q_report_ports(struct casedb *db);

/* For the glossary: every transcript line with its session's protocol
 * (lowercase), in order. Columns: 0 lower(protocol), 1 dir, 2 line. */
struct rows *q_report_transcript_lines(struct casedb *db);

/* The runs of mailcase on the case, in order. Columns: 0 command_line, 1
 * tool_version, 2 started, 3 finished, 4 status. */
struct rows *q_report_runs(struct casedb *db);

/* For the summary: the credentials grouped by protocol, mechanism, user,
 * verdict and evidence file, by the time of each group's first. Columns: 0
 * c.protocol, 1 c.mechanism, 2 c.username, 3 c.verdict, 4 c.frames (of the
 * first), 5 e.path, 6 how many, 7 the first's ts_us. */
struct rows *q_report_sum_credentials(struct casedb *db);

/* For the summary: every top-level message, by id. Columns: 0 m.subject, 1
 * m.from_addr, 2 m.env_rcpt, 3 m.date_raw, 4 m.frames, 5 m.file_offset, 6
 * e.path, 7 m.message_id, 8 the To addresses joined by ", ". */
struct rows *q_report_sum_messages(struct casedb *db);

/* For the summary: every attachment with its carrying message's frames and
 * offset, by reference id. Columns: 0 r.declared_name, 1 a.size, 2 a.sha256,
 * 3 a.detected_type, 4 e.path, 5 m.frames, 6 m.file_offset. */
struct rows *q_report_sum_attachments(struct casedb *db);

/* For the summary: every document, by id. Columns: 0 declared_name, 1 kind, 2
 * sha256. */
struct rows *q_report_sum_documents(struct casedb *db);

/* For the summary: every route with forged hops, by message id. Columns: 0
 * m.subject, 1 r.origin_host, 2 r.origin_ip, 3 r.forged_hops, 4 r.message_id, 5
 * e.path, 6 m.file_offset. */
struct rows *q_report_sum_forged(struct casedb *db);

/* Every TCP flow with its evidence path, by evidence and flow number.
 * Columns: 0 f.flow_no, 1 e.path, 2 f.cli_ip, 3 f.cli_port, 4 f.srv_ip, 5
 * f.srv_port, 6 f.app, 7 f.first_us, 8 f.last_us, 9 f.first_frame, 10
 * f.last_frame, 11 f.pkts_c2s, 12 f.pkts_s2c, 13 f.bytes_c2s, 14 f.bytes_s2c,
 * 15 f.payload_c2s, 16 f.payload_s2c, 17 f.retransmissions, 18 f.gaps, 19
 * f.gap_bytes, 20 f.conflicts, 21 f.syn_seen, 22 f.end_reason. */
struct rows *q_report_flows(struct casedb *db);

/* Every extracted file, one row per place it was found (no raw messages or
 * text bodies), by reference id; mno.no is the carrying message's number in
 * the report. Columns: 0 r.declared_name, 1 r.declared_type, 2
 * a.detected_type, 3 a.detected_desc, 4 r.ext_mismatch, 5 a.size, 6 a.md5, 7
 * a.sha1, 8 a.sha256, 9 r.role, 10 r.part_path, 11 r.parent_kind, 12 mno.no,
 * 13 d.declared_name, 14 r.parent_sha256, 15 e.path, 16 r.provenance. */
struct rows *q_report_files(struct casedb *db);

/* The items of one document (parameter 1: documents.id), by id: comments,
 * changes, links, notes, sheets, slides and embedded files with their
 * artifact's size and type. Columns: 0 i.kind, 1 i.author, 2 i.date, 3
 * i.text, 4 i.target, 5 i.sha256, 6 i.md5, 7 i.part, 8 a.size, 9
 * a.detected_type. */
struct rows *q_report_doc_items(struct casedb *db);

/* Every document with its evidence path and properties, by id. Columns: 0
 * d.id, 1 d.sha256, 2 d.kind, 3 d.declared_name, 4 d.md5, 5 d.size, 6
 * d.depth, 7 d.parent_sha256, 8 d.has_macros, 9 d.encrypted, 10 d.flags, 11
 * d.text, 12 e.path, 13 d.title, 14 d.subject, 15 d.creator, 16 d.keywords,
 * 17 d.description, 18 d.last_modified_by, 19 d.revision, 20 d.created, 21
 * d.modified, 22 d.last_printed, 23 d.application, 24 d.app_version, 25
 * d.company, 26 d.template, 27 d.total_time, 28 d.pages, 29 d.words. */
struct rows *q_report_documents(struct casedb *db);

/* EXIF metadata of extracted images, in the order found. Columns: 0 sha256,
 * 1 the declared name (or part) where it was first found, 2 a.md5, 3 make,
 * 4 model, 5 datetime_original, 6 datetime, 7 taken, 8 gps_lat, 9 gps_lon,
 * 10 gps_alt (REAL or NULL). */
struct rows *q_report_images(struct casedb *db);

/* Every message (nested ones too) with its evidence path and flow number, by
 * id. Columns: 0 m.id, 1 m.source, 2 e.path, 3 m.frames, 4 m.mbox_index, 5
 * m.file_offset, 6 m.file_path, 7 m.parent_id, 8 m.subject, 9 m.from_addr, 10
 * m.from_name, 11 m.env_from, 12 m.env_rcpt, 13 m.date_raw, 14 m.date_us, 15
 * m.message_id, 16 m.in_reply_to, 17 m.refs, 18 m.x_mailer, 19
 * m.x_originating_ip, 20 m.auth_results, 21 m.has_dkim, 22 m.flags, 23
 * m.incomplete, 24 m.incomplete_why, 25 m.partial, 26 m.size, 27
 * m.raw_sha256, 28 m.headers, 29 m.body_text, 30 m.body_html_text, 31
 * f.flow_no, 32 m.stream_off, 33 m.ts_us, 34 m.from_line, 35 m.from_line_us. */
struct rows *q_report_messages(struct casedb *db);

/* The addresses of one message (parameter 1: messages.id) in one role
 * (parameter 2: 'from', 'to', 'env-rcpt'...), by id. Columns: 0 name, 1 addr. */
struct rows *q_report_msg_addresses(struct casedb *db);

/* The attachments and inline parts of one message (parameter 1: messages.id),
 * by reference id. Columns: 0 r.declared_name, 1 r.declared_type, 2
 * r.part_path, 3 r.role, 4 a.sha256, 5 a.md5, 6 a.sha1, 7 a.detected_type, 8
 * a.size, 9 r.ext_mismatch. */
struct rows *q_report_msg_attachments(struct casedb *db);

/* The store_items row of one message (parameter 1: messages.id). Columns:
 * 0 store, 1 folder, 2 item_id, 3 message_class, 4 submit_us, 5
 * delivery_us, 6 created_us, 7 modified_us, 8 recovered, 9 headers_from, 10
 * addresses, 11 flags, 12 notes, 13 part (a nested item's part path). */
struct rows *q_report_msg_store(struct casedb *db);
/* Every folder of the PST/OST files (store_folders), in the order walked.
 * Columns: 0 the evidence path, 1 folder path, 2 depth, 3 item_id, 4
 * messages, 5 sub_folders, 6 content_count, 7 unread_count (NULL when the
 * folder does not say), 8 unreadable. */
struct rows *q_report_store_folders(struct casedb *db);

/* Every credential with the path of its session's evidence, by time and id.
 * Columns: 0 c.protocol, 1 c.mechanism, 2 c.authzid, 3 c.username, 4
 * c.secret, 5 c.secret_kind, 6 c.crack_line, 7 c.verdict, 8 c.reply, 9
 * c.frames, 10 c.ts_us, 11 c.client, 12 c.server, 13 e.path, 14 c.domain,
 * 15 c.workstation, 16 c.details. */
struct rows *q_report_credentials(struct casedb *db);

/* The frame lists of the credentials of one session (parameter 1:
 * sessions.id). Columns: 0 frames. */
struct rows *q_report_session_cred_frames(struct casedb *db);

/* The transcript of one session (parameter 1: sessions.id), by seq. Columns:
 * 0 seq, 1 dir, 2 ts_us, 3 frames, 4 line, 5 stream_off. */
struct rows *q_report_transcript(struct casedb *db);

/* The number in the report (messages in id order) of the first top-level
 * message of a session (parameter 1: sessions.id) at a stream offset
 * (parameter 2); 0 when there is none. Columns: 0 count(*). */
/* Forgets the message numbers of the last render (q_report.c makes them
 * again when first asked for): call at the start of every render. */
void q_report_numbers_reset(struct casedb *db);
struct rows *q_report_transcript_message_no(struct casedb *db);
/* The IMAP data items of session ?1 in order: mailbox, mailbox_utf8, seq,
 * uid, item, flags, internaldate, size, use, message number in the report
 * (0 for none), sha256, frames, dir. */
struct rows *q_report_session_imap_items(struct casedb *db);
/* The first IMAP item that is message ?1 (or part of it): mailbox,
 * mailbox_utf8, seq, uid, item, flags, internaldate, internaldate_us,
 * rfc822_size, use, dir. */
struct rows *q_report_msg_imap(struct casedb *db);
/* Every stored part of message ?1, the raw message first: part_path,
 * role, declared_name, declared_type, size, md5, sha1, sha256. */
struct rows *q_report_msg_parts(struct casedb *db);

/* Every mail session with its flow and evidence path, by evidence, time and
 * id. Columns: 0 s.id, 1 s.protocol, 2 f.cli_ip, 3 f.cli_port, 4 f.srv_ip, 5
 * f.srv_port, 6 s.greeting, 7 s.server_name, 8 s.server_software, 9
 * s.client_name, 10 s.capabilities, 11 s.tls, 12 s.tls_frame, 13 s.first_us,
 * 14 s.last_us, 15 f.first_frame, 16 f.last_frame, 17 s.messages, 18 s.notes,
 * 19 e.path, 20 f.flow_no. */
struct rows *q_report_sessions(struct casedb *db);

/* The TLS handshake facts of one session (parameter 1: sessions.id).
 * Columns: 0 id, 1 record_version, 2 client_version, 3 server_version, 4
 * version, 5 offered_versions, 6 sni, 7 alpn_offered, 8 alpn, 9 ciphers, 10
 * cipher, 11 ja3, 12 ja3_md5, 13 ja3s, 14 ja3s_md5, 15 ja4, 16 certs_hidden,
 * 17 certs, 18 hrr, 19 hrr_group, 20 ja4_retry. */
struct rows *q_report_session_tls(struct casedb *db);

/* The certificates of one tls row (parameter 1: tls.id), by idx. Columns: 0
 * idx, 1 sha256, 2 size, 3 parsed, 4 subject, 5 issuer, 6 not_before, 7
 * not_after, 8 serial, 9 san. */
struct rows *q_report_tls_certs(struct casedb *db);

/* The number in the report of one message (parameter 1: messages.id): its
 * place in id order, as q_report_messages numbers them. Columns: 0
 * count(*). */
struct rows *q_report_message_no(struct casedb *db);

/* The timeline of a paged report: a scratch table of events in this
 * connection's temporary database (never written to the case). _reset
 * creates or empties it; _open starts adding (one savepoint for all the
 * adds, ended by _close); q_report_timeline reads it back sorted by time,
 * ties in the order added. Texts are copied. Columns: 0 us, 1 kind, 2
 * text, 3 source. */
struct q_timeline_add;
void q_report_timeline_reset(struct casedb *db);
struct q_timeline_add *q_report_timeline_open(struct casedb *db);
void q_report_timeline_add(struct q_timeline_add *t, int64_t us, const char *kind,
    const char *text, const char *source);
void q_report_timeline_close(struct q_timeline_add *t);
struct rows *q_report_timeline(struct casedb *db);

#endif
