/* db_recover.c - the unfinished work of killed runs (see db_recover.h). */
#include "store/db_recover.h"
#include "store/casedb.h"
#include "store/rows_sql.h"

struct rows *
db_recover_runs(struct casedb *db, int64_t current_run)
{
	struct rows *c = rows_open(db, "SELECT id, command_line, started FROM runs"
	    " WHERE finished IS NULL AND id <> ? ORDER BY id");

	rows_bind_int(c, 1, current_run);
	return c;
}

void
db_recover_run_end(struct casedb *db, int64_t id, int64_t now_us)
{
	sqlite3_stmt *st = casedb_prepare(db, "UPDATE runs SET finished = ?, status = ? WHERE id = ?");

	sqlite3_bind_int64(st, 1, now_us);
	sqlite3_bind_int(st, 2, DB_RUN_INTERRUPTED);
	sqlite3_bind_int64(st, 3, id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

int64_t
db_recover_unlogged(struct casedb *db, int64_t last_logged)
{
	sqlite3_stmt *st = casedb_prepare(db, "UPDATE runs SET status = ? WHERE id > ?"
	    " AND finished IS NOT NULL AND status IS NOT ?");
	int64_t n;

	sqlite3_bind_int(st, 1, DB_RUN_INTERRUPTED);
	sqlite3_bind_int64(st, 2, last_logged);
	sqlite3_bind_int(st, 3, DB_RUN_INTERRUPTED);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
	n = sqlite3_changes(casedb_sqlite(db));
	return n;
}

struct rows *
db_recover_unhashed(struct casedb *db)
{
	return rows_open(db, "SELECT id, path, abs_path, sha256, size FROM evidence"
	    " WHERE after_sha256 IS NULL AND after_match IS NULL"
	    " AND status <> 'ingesting' AND sha256 <> '' ORDER BY id");
}
