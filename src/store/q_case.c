/* q_case.c - the SQL of the commands' case-level queries (q_case.h). */
#include "store/q_case.h"
#include "store/rows_sql.h"

struct rows *
q_case_evidence_hashes(struct casedb *db)
{
	return rows_open(db,
	    "SELECT abs_path, md5, sha1, sha256 FROM evidence WHERE status <> 'unreadable'"
	    " AND position IS NULL ORDER BY id");
}

struct rows *
q_case_artifact_hashes(struct casedb *db)
{
	return rows_open(db,
	    "SELECT path, sha256, md5 FROM artifacts ORDER BY path");
}

struct rows *
q_case_log_tally(struct casedb *db)
{
	return rows_open(db,
	    "SELECT sum(level = 'warning'), sum(level = 'error') FROM log WHERE run_id = ?1");
}

struct rows *
q_case_runs(struct casedb *db)
{
	return rows_open(db, "SELECT id, command, status FROM runs ORDER BY id");
}
