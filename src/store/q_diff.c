/* q_diff.c - the SQL of `mailcase diff` (q_diff.h). */
#include "store/q_diff.h"
#include "store/rows_sql.h"

struct rows *
q_diff_evidence(struct casedb *db)
{
	return rows_open(db,
	    "SELECT sha256, path, type, size FROM evidence ORDER BY id");
}

struct rows *
q_diff_credentials(struct casedb *db)
{
	return rows_open(db,
	    "SELECT c.protocol, c.username, c.secret, c.mechanism, c.verdict, c.frames,"
	    " e.path, NULL FROM credentials c LEFT JOIN sessions s ON s.id = c.session_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id ORDER BY c.id");
}

struct rows *
q_diff_messages(struct casedb *db)
{
	return rows_open(db,
	    "SELECT m.id, m.message_id, m.raw_sha256, m.subject, m.from_addr, m.date_raw,"
	    " m.body_text, m.body_html_text, e.path, m.frames, m.file_offset"
	    " FROM messages m LEFT JOIN evidence e ON e.id = m.evidence_id ORDER BY m.id");
}

struct rows *
q_diff_msg_attachments(struct casedb *db)
{
	return rows_open(db,
	    "SELECT DISTINCT sha256 FROM artifact_refs WHERE parent_kind = 'message'"
	    " AND parent_id = ? AND role NOT IN ('raw-message', 'body') ORDER BY sha256");
}

struct rows *
q_diff_files(struct casedb *db)
{
	return rows_open(db,
	    "SELECT a.sha256, a.size, a.detected_type, r.declared_name FROM artifacts a"
	    " JOIN artifact_refs r ON r.sha256 = a.sha256"
	    " WHERE r.role NOT IN ('raw-message', 'body', 'evidence') ORDER BY a.sha256, r.id");
}

struct rows *
q_diff_addresses(struct casedb *db)
{
	return rows_open(db,
	    "SELECT DISTINCT lower(trim(addr)), role, name FROM addresses"
	    " WHERE addr IS NOT NULL AND trim(addr) <> ''");
}

struct rows *
q_diff_address_messages(struct casedb *db)
{
	return rows_open(db,
	    "SELECT lower(trim(addr)), count(DISTINCT message_id) FROM addresses"
	    " WHERE addr IS NOT NULL AND trim(addr) <> '' GROUP BY 1");
}

struct rows *
q_diff_hosts(struct casedb *db)
{
	return rows_open(db,
	    "SELECT cli_ip, 0 FROM flows UNION ALL SELECT srv_ip, 1 FROM flows"
	    " UNION ALL SELECT from_helo, 2 FROM hops UNION ALL SELECT from_rdns, 3 FROM hops"
	    " UNION ALL SELECT from_ip, 4 FROM hops UNION ALL SELECT by_host, 5 FROM hops");
}

struct rows *
q_diff_origins(struct casedb *db)
{
	return rows_open(db,
	    "SELECT r.origin_host, r.origin_ip, m.message_id, m.raw_sha256 FROM routes r"
	    " LEFT JOIN messages m ON m.id = r.message_id ORDER BY r.message_id");
}

struct rows *
q_diff_tool_versions(struct casedb *db)
{
	return rows_open(db,
	    "SELECT DISTINCT tool_version FROM runs ORDER BY tool_version");
}

struct rows *
q_diff_updated(struct casedb *db)
{
	return rows_open(db,
	    "SELECT max(coalesce(finished, started)) FROM runs");
}
