/* q_diff.h - the queries `mailcase diff` compares two cases by (report/
 * diff.c), one per category of findings, as cursors (store/rows.h) whose
 * columns are listed, in order, above each function. The SQL lives in
 * q_diff.c; both cases are only read. */
#ifndef MC_Q_DIFF_H
#define MC_Q_DIFF_H

#include "store/rows.h"

struct casedb;

/* Evidence: every file, by id. Columns: 0 sha256, 1 path, 2 type, 3 size. */
struct rows *q_diff_evidence(struct casedb *db);

/* Credentials, by id; column 7 is always NULL (no byte offset for a
 * credential). Columns: 0 c.protocol, 1 c.username, 2 c.secret, 3
 * c.mechanism, 4 c.verdict, 5 c.frames, 6 e.path, 7 NULL. */
struct rows *q_diff_credentials(struct casedb *db);

/* Messages (nested ones too), by id. Columns: 0 m.id, 1 m.message_id, 2
 * m.raw_sha256, 3 m.subject, 4 m.from_addr, 5 m.date_raw, 6 m.body_text, 7
 * m.body_html_text, 8 e.path, 9 m.frames, 10 m.file_offset. */
struct rows *q_diff_messages(struct casedb *db);

/* The distinct SHA-256 of one message's (parameter 1: messages.id) stored
 * parts other than the raw message and its bodies, sorted. Columns: 0 sha256. */
struct rows *q_diff_msg_attachments(struct casedb *db);

/* Extracted files (no raw messages, bodies or evidence), by SHA-256 and
 * reference id. Columns: 0 a.sha256, 1 a.size, 2 a.detected_type, 3
 * r.declared_name. */
struct rows *q_diff_files(struct casedb *db);

/* Each distinct (address lowercased and trimmed, role, name) of the addresses
 * table. Columns: 0 lower(trim(addr)), 1 role, 2 name. */
struct rows *q_diff_addresses(struct casedb *db);

/* For each address (lowercased and trimmed): the number of messages that hold
 * it. Columns: 0 lower(trim(addr)), 1 count(DISTINCT message_id). */
struct rows *q_diff_address_messages(struct casedb *db);

/* Hosts and IP addresses: flow endpoints and the names and addresses of
 * Received hops, each with its role (0 flow client, 1 flow server, 2 HELO
 * name, 3 reverse DNS, 4 sender IP, 5 receiving host). Columns: 0 cli_ip, 1
 * 0. */
struct rows *q_diff_hosts(struct casedb *db);

/* Likely message origins: every route with its message's identity, by message
 * id. Columns: 0 r.origin_host, 1 r.origin_ip, 2 m.message_id, 3
 * m.raw_sha256. */
struct rows *q_diff_origins(struct casedb *db);

/* The distinct versions of mailcase that ran on the case, sorted. Columns: 0
 * tool_version. */
struct rows *q_diff_tool_versions(struct casedb *db);

/* When the case last changed: the latest end (or start) of a run, NULL for
 * none. Columns: 0 max(coalesce(finished, started)). */
struct rows *q_diff_updated(struct casedb *db);

#endif
