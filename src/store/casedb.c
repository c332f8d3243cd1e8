#include "store/casedb.h"
#include "store/schema.h"
#include "util/outdir.h"
#include "util/xalloc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct casedb_cached {
	char *sql;
	sqlite3_stmt *st;
};

struct casedb {
	sqlite3 *db;
	char *dir;
	char *path;                     /* dir/case.db, for messages */
	struct casedb_cached *stmts;   /* casedb_stmt(), in first-use order */
	size_t nstmts;
	sqlite3_stmt *idle[CASEDB_IDLE_MAX]; /* casedb_stmt_give(), most recent last */
	size_t nidle;
	void (*before_commit)(void *);  /* casedb_before_commit() */
	void *before_commit_arg;
	int version;                    /* PRAGMA user_version when opened */
};

/* The migration from each older version to the next; the rows that exist
 * keep what they hold (docs/case-database.md, "Older cases"). */
static const struct { int from; const char *sql; } casedb_migrations[] = {
	/* 12: the processing log keeps each entry's format and arguments,
	 * so the report can word it in its language; older entries have NULL
	 * there and are shown with their English sentence. */
	{ 11, "ALTER TABLE log ADD COLUMN format TEXT; ALTER TABLE log ADD COLUMN args TEXT;" },
};

static bool
casedb_mkdir(const char *path, char **err)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create directory: %s", path, strerror(errno));
		return false;
	}
	return true;
}

/* Removes what casedb_open() made of a new case when its database could
 * not be created (a full disk): a case.db without its schema is no case,
 * and no later run could use it. */
static void
casedb_unmake(const char *dir)
{
	static const char *const files[] = { "case.db", "case.db-wal", "case.db-shm" };
	static const char *const dirs[] = { "artifacts", "report" };
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *p = xasprintf("%s/%s", dir, files[i]);

		(void)unlink(p);
		free(p);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *p = xasprintf("%s/%s", dir, dirs[i]);

		(void)rmdir(p);
		free(p);
	}
}

struct casedb *
casedb_open(const char *dir, bool create, char **err)
{
	struct casedb *db;
	char *path, *sub;
	int flags = SQLITE_OPEN_READWRITE;
	struct stat st;
	int version = -1;
	sqlite3_stmt *st_v;

	*err = NULL;
	path = xasprintf("%s/case.db", dir);
	if (create) {
		if (!outdir_usable(dir)) {
			*err = xasprintf("%s: exists and is not empty; a case directory is never "
			    "overwritten (use 'mailcase add' to add evidence to a case)", dir);
			free(path);
			return NULL;
		}
		if (!casedb_mkdir(dir, err)) {
			free(path);
			return NULL;
		}
		sub = xasprintf("%s/artifacts", dir);
		if (!casedb_mkdir(sub, err)) {
			free(sub);
			free(path);
			return NULL;
		}
		free(sub);
		sub = xasprintf("%s/report", dir);
		if (!casedb_mkdir(sub, err)) {
			free(sub);
			free(path);
			return NULL;
		}
		free(sub);
		flags |= SQLITE_OPEN_CREATE;
	} else if (stat(path, &st) != 0) {
		*err = xasprintf("%s: not a mailcase case directory (no case.db)", dir);
		free(path);
		return NULL;
	}
	db = xcalloc(1, sizeof(*db));
	db->dir = xstrdup(dir);
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK) {
		*err = xasprintf("%s: cannot open: %s", path, sqlite3_errmsg(db->db));
		free(path);
		casedb_close(db);
		return NULL;
	}
	free(path);
	sqlite3_busy_timeout(db->db, 5000);
	/* A case is written in a few large transactions, one per evidence file
	 * (https://sqlite.org/wal.html, https://sqlite.org/pragma.html):
	 * - WAL: a crash or power loss leaves the last committed state; readers
	 *   (verify, render) never block the writer.
	 * - synchronous FULL: each COMMIT is on disk when it returns, so an
	 *   evidence file marked ingested stays ingested after a power loss.
	 *   NORMAL would only save one fsync per commit, and a run commits a
	 *   handful of times.
	 * - cache_size stays SQLite's 2 MiB: 32 MiB was measured on 20,000
	 *   messages (docs/performance.md) and saved nothing, since pages
	 *   spilled from a large transaction go to the WAL and are read back
	 *   from the OS page cache; a small cache keeps memory flat.
	 * - temp_store stays on disk: sorts of a large case must not grow
	 *   memory. */
	if (create) {
		char *sql = xasprintf("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
		    "PRAGMA synchronous = FULL; BEGIN; %s PRAGMA user_version = %d; "
		    "INSERT INTO meta(key, value) VALUES ('schema_version', '%d'); COMMIT;",
		    casedb_schema_sql, CASEDB_SCHEMA_VERSION, CASEDB_SCHEMA_VERSION);
		char *msg = NULL;
		int rc = sqlite3_exec(db->db, sql, NULL, NULL, &msg);

		free(sql);
		db->version = CASEDB_SCHEMA_VERSION;
		if (rc == SQLITE_OK)
			return db;
		*err = xasprintf("%s: cannot create the case database: %s; nothing of the case "
		    "was kept", db->path, msg ? msg : sqlite3_errmsg(db->db));
		sqlite3_free(msg);
		(void)sqlite3_close(db->db);
		db->db = NULL;
		casedb_close(db);
		casedb_unmake(dir);
		return NULL;
	}
	casedb_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
	    "PRAGMA synchronous = FULL;");
	st_v = casedb_prepare(db, "PRAGMA user_version");
	if (sqlite3_step(st_v) == SQLITE_ROW)
		version = sqlite3_column_int(st_v, 0);
	sqlite3_finalize(st_v);
	if (version < CASEDB_SCHEMA_MIGRATES_FROM || version > CASEDB_SCHEMA_VERSION) {
		*err = xasprintf("%s: case database schema version %d, this mailcase reads "
		    "versions %d to %d", dir, version, CASEDB_SCHEMA_MIGRATES_FROM,
		    CASEDB_SCHEMA_VERSION);
		casedb_close(db);
		return NULL;
	}
	db->version = version;
	return db;
}

int
casedb_version(const struct casedb *db)
{
	return db->version;
}

int
casedb_migrate(struct casedb *db)
{
	int had = db->version;
	size_t i;

	for (i = 0; i < sizeof(casedb_migrations) / sizeof(casedb_migrations[0]); i++)
		if (casedb_migrations[i].from == db->version) {
			casedb_exec(db, casedb_migrations[i].sql);
			db->version++;
		}
	if (db->version != had) {
		char *sql = xasprintf("PRAGMA user_version = %d; UPDATE meta SET value = '%d' "
		    "WHERE key = 'schema_version';", db->version, db->version);

		casedb_exec(db, sql);
		free(sql);
	}
	if (db->version != CASEDB_SCHEMA_VERSION)
		fatal("%s: no migration from schema version %d to %d", db->path, db->version,
		    CASEDB_SCHEMA_VERSION);
	return had;
}

void
casedb_close(struct casedb *db)
{
	size_t i;

	if (db == NULL)
		return;
	for (i = 0; i < db->nstmts; i++) {
		sqlite3_finalize(db->stmts[i].st);
		free(db->stmts[i].sql);
	}
	free(db->stmts);
	for (i = 0; i < db->nidle; i++)
		sqlite3_finalize(db->idle[i]);
	if (db->db != NULL && sqlite3_close(db->db) != SQLITE_OK)
		fatal("%s: cannot close the case database: %s", db->path, sqlite3_errmsg(db->db));
	free(db->dir);
	free(db->path);
	free(db);
}

sqlite3 *
casedb_sqlite(struct casedb *db)
{
	return db->db;
}

const char *
casedb_dir(const struct casedb *db)
{
	return db->dir;
}

void
casedb_exec(struct casedb *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fatal("%s: %s", db->path, msg ? msg : sqlite3_errmsg(db->db));
}

void
casedb_begin(struct casedb *db)
{
	casedb_exec(db, "BEGIN IMMEDIATE");
}

void
casedb_cache_for_reading(struct casedb *db)
{
	casedb_exec(db, "PRAGMA cache_size = -65536");
}

void
casedb_before_commit(struct casedb *db, void (*fn)(void *), void *arg)
{
	db->before_commit = fn;
	db->before_commit_arg = arg;
}

void
casedb_commit(struct casedb *db)
{
	if (db->before_commit)
		db->before_commit(db->before_commit_arg);
	casedb_exec(db, "COMMIT");
}

void
casedb_rollback(struct casedb *db)
{
	casedb_exec(db, "ROLLBACK");
}

sqlite3_stmt *
casedb_stmt(struct casedb *db, const char *sql)
{
	size_t i;

	/* A handful of texts, most often the same literal: a linear search
	 * costs far less than one prepare. */
	for (i = 0; i < db->nstmts; i++) {
		if (strcmp(db->stmts[i].sql, sql) == 0) {
			sqlite3_reset(db->stmts[i].st);
			sqlite3_clear_bindings(db->stmts[i].st);
			return db->stmts[i].st;
		}
	}
	if (db->nstmts == CASEDB_STMT_MAX)
		fatal("case database: more than %d cached statements (a bug): %s",
		    CASEDB_STMT_MAX, sql);
	if (db->nstmts == 0)
		db->stmts = xcalloc(CASEDB_STMT_MAX, sizeof(*db->stmts));
	db->stmts[db->nstmts].st = casedb_prepare(db, sql);
	db->stmts[db->nstmts].sql = xstrdup(sql);
	return db->stmts[db->nstmts++].st;
}

sqlite3_stmt *
casedb_stmt_take(struct casedb *db, const char *sql)
{
	size_t i;

	for (i = db->nidle; i-- > 0;) {
		sqlite3_stmt *st = db->idle[i];

		if (strcmp(sqlite3_sql(st), sql) == 0) {
			memmove(&db->idle[i], &db->idle[i + 1], (db->nidle - i - 1) * sizeof(*db->idle));
			db->nidle--;
			return st;
		}
	}
	return casedb_prepare(db, sql);
}

void
casedb_stmt_give(struct casedb *db, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (db->nidle == CASEDB_IDLE_MAX) {
		sqlite3_finalize(db->idle[0]);
		memmove(&db->idle[0], &db->idle[1], (db->nidle - 1) * sizeof(*db->idle));
		db->nidle--;
	}
	db->idle[db->nidle++] = st;
}

sqlite3_stmt *
casedb_prepare(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		fatal("%s: %s in \"%s\"", db->path, sqlite3_errmsg(db->db), sql);
	return st;
}

void
casedb_step_done(struct casedb *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		fatal("%s: write failed: %s", db->path, sqlite3_errmsg(db->db));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

void
casedb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

int64_t
casedb_last_id(struct casedb *db)
{
	return sqlite3_last_insert_rowid(db->db);
}

void
casedb_meta_set(struct casedb *db, const char *key, const char *value)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO meta(key, value) VALUES (?, ?) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value");

	casedb_bind_text(st, 1, key);
	casedb_bind_text(st, 2, value);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

char *
casedb_meta_get(struct casedb *db, const char *key)
{
	sqlite3_stmt *st = casedb_prepare(db, "SELECT value FROM meta WHERE key = ?");
	char *v = NULL;

	casedb_bind_text(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return v;
}

int64_t
casedb_run_begin(struct casedb *db, const struct casedb_run *run)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO runs(command_line, tool_version, started, command, examiner, tool_sha256,"
	    " db_before, db_before_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

	casedb_bind_text(st, 1, run->command_line);
	casedb_bind_text(st, 2, MC_VERSION);
	sqlite3_bind_int64(st, 3, run->started);
	casedb_bind_text(st, 4, run->command);
	casedb_bind_text(st, 5, run->examiner);
	casedb_bind_text(st, 6, run->tool_sha256);
	casedb_bind_text(st, 7, run->db_before);
	casedb_bind_text(st, 8, run->db_before_state);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
	return casedb_last_id(db);
}

void
casedb_runs_after(struct casedb *db, int64_t after_id, int64_t *unfinished, int64_t *finished)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT count(*) FILTER (WHERE finished IS NULL),"
	    " count(*) FILTER (WHERE finished IS NOT NULL) FROM runs WHERE id > ?");

	*unfinished = *finished = 0;
	sqlite3_bind_int64(st, 1, after_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*unfinished = sqlite3_column_int64(st, 0);
		*finished = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
}

int64_t
casedb_run_last(struct casedb *db)
{
	sqlite3_stmt *st = casedb_prepare(db, "SELECT coalesce(max(id), 0) FROM runs");
	int64_t id = 0;

	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

bool
casedb_checkpoint(struct casedb *db, char **err)
{
	sqlite3_stmt *st = casedb_prepare(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	int rc = sqlite3_step(st), busy = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;

	sqlite3_finalize(st);
	*err = NULL;
	if (rc != SQLITE_ROW || busy != 0) {
		*err = xasprintf("%s: cannot write its write-ahead log into it%s: %s", db->path,
		    busy == 1 ? " (another program has it open)" : "", sqlite3_errmsg(db->db));
		return false;
	}
	return true;
}

bool
casedb_writable(const char *dir, char **err)
{
	char *path = xasprintf("%s/case.db", dir);
	const char *what = path;
	bool ok = true;

	*err = NULL;
	/* SQLite writes case.db and, in WAL mode, makes case.db-wal and
	 * case.db-shm beside it: both the file and its folder must be
	 * writable. A missing case.db is casedb_open()'s to report. */
	if (access(path, F_OK) == 0 && (access(path, W_OK) != 0 ||
	    (what = dir, access(dir, W_OK) != 0))) {
		*err = xasprintf("%s: cannot be written (%s); the case is left as it is",
		    what, strerror(errno));
		ok = false;
	}
	free(path);
	return ok;
}

const char *
casedb_path(const struct casedb *db)
{
	return db->path;
}

void
casedb_run_end(struct casedb *db, int64_t run_id, int64_t finished, int status)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "UPDATE runs SET finished = ?, status = ? WHERE id = ?");

	sqlite3_bind_int64(st, 1, finished);
	sqlite3_bind_int(st, 2, status);
	sqlite3_bind_int64(st, 3, run_id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

int64_t
casedb_evidence_find(struct casedb *db, const char *sha256)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT id FROM evidence WHERE sha256 = ? AND status <> 'ingesting' "
	    "AND status <> 'unreadable'");
	int64_t id = 0;

	casedb_bind_text(st, 1, sha256);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

void
casedb_evidence_purge_incomplete(struct casedb *db)
{
	/* Each evidence file is ingested in one transaction, so a killed run
	 * leaves no rows behind; this removes rows from older layouts of the
	 * same version that committed an 'ingesting' row by mistake. */
	casedb_exec(db, "DELETE FROM evidence WHERE parent_id IN"
	    " (SELECT id FROM evidence WHERE status = 'ingesting');"
	    " DELETE FROM evidence WHERE status = 'ingesting'");
}

int64_t
casedb_evidence_add(struct casedb *db, const struct evidence_row *e, int64_t run_id)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO evidence(run_id, path, abs_path, type, detail, size, md5, sha1, sha256,"
	    " parent_id, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	sqlite3_bind_int64(st, 1, run_id);
	casedb_bind_text(st, 2, e->path);
	casedb_bind_text(st, 3, e->abs_path);
	casedb_bind_text(st, 4, e->type);
	casedb_bind_text(st, 5, e->detail);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)e->h.size);
	casedb_bind_text(st, 7, e->h.md5);
	casedb_bind_text(st, 8, e->h.sha1);
	casedb_bind_text(st, 9, e->h.sha256);
	if (e->parent_id > 0)
		sqlite3_bind_int64(st, 10, e->parent_id);
	casedb_bind_text(st, 11, e->position);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
	return casedb_last_id(db);
}

void
casedb_evidence_capture_stats(struct casedb *db, int64_t id, int64_t first_us,
    int64_t last_us, uint64_t packets, const char *link_types)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "UPDATE evidence SET first_us = ?, last_us = ?, packets = ?, link_types = ? WHERE id = ?");

	if (packets > 0) {
		sqlite3_bind_int64(st, 1, first_us);
		sqlite3_bind_int64(st, 2, last_us);
	}
	sqlite3_bind_int64(st, 3, (sqlite3_int64)packets);
	casedb_bind_text(st, 4, link_types);
	sqlite3_bind_int64(st, 5, id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

void
casedb_evidence_done(struct casedb *db, int64_t id, const char *status)
{
	casedb_evidence_done_why(db, id, status, NULL);
}

void
casedb_evidence_done_why(struct casedb *db, int64_t id, const char *status, const char *reason)
{
	sqlite3_stmt *st = casedb_prepare(db, "UPDATE evidence SET status = ?, reason = ? WHERE id = ?");

	casedb_bind_text(st, 1, status);
	casedb_bind_text(st, 2, reason);
	sqlite3_bind_int64(st, 3, id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

void
casedb_evidence_detail(struct casedb *db, int64_t id, const char *detail)
{
	sqlite3_stmt *st = casedb_prepare(db, "UPDATE evidence SET detail = ? WHERE id = ?");

	casedb_bind_text(st, 1, detail);
	sqlite3_bind_int64(st, 2, id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

void
casedb_evidence_rehash(struct casedb *db, int64_t id, const struct hashes *after, bool match)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "UPDATE evidence SET after_sha256 = ?, after_match = ? WHERE id = ?");

	casedb_bind_text(st, 1, after ? after->sha256 : NULL);
	sqlite3_bind_int(st, 2, match ? 1 : 0);
	sqlite3_bind_int64(st, 3, id);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

void
casedb_evidence_rehash_archive(struct casedb *db, int64_t id, bool match)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "WITH RECURSIVE d(id) AS (SELECT id FROM evidence WHERE parent_id = ?1 AND position IS NOT"
	    " NULL UNION SELECT e.id FROM evidence e JOIN d ON e.parent_id = d.id"
	    " WHERE e.position IS NOT NULL)"
	    " UPDATE evidence SET after_sha256 = CASE WHEN ?2 THEN sha256 END, after_match = ?2"
	    " WHERE id IN d AND sha256 <> ''");

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, match ? 1 : 0);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
}

/* log.args: a JSON array of the strings, or NULL when the entry has no
 * format (plog could not split it) or an argument is not UTF-8 text; such an
 * entry is shown with its sentence as written. */
static char *
casedb_log_args(char *const *args, size_t n)
{
	json_t *a;
	char *s = NULL;
	size_t i;

	if (args == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < n; i++) {
		json_t *v = json_string(args[i]);

		if (v == NULL) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, v);
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (s == NULL)
		fatal("out of memory");
	return s;
}

void
casedb_log_flush(struct casedb *db, struct plog *log, int64_t run_id, int64_t evidence_id)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "INSERT INTO log(run_id, evidence_id, level, code, source, position, message, format,"
	    " args) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	size_t i, n = plog_count(log);

	for (i = 0; i < n; i++) {
		const struct plog_entry *e = plog_get(log, i);
		char *args = casedb_log_args(e->args, e->nargs);

		sqlite3_bind_int64(st, 1, run_id);
		if (evidence_id > 0)
			sqlite3_bind_int64(st, 2, evidence_id);
		casedb_bind_text(st, 3, plog_level_name(e->level));
		casedb_bind_text(st, 4, e->code);
		casedb_bind_text(st, 5, e->source);
		casedb_bind_text(st, 6, e->where);
		casedb_bind_text(st, 7, e->message);
		if (args != NULL) {
			casedb_bind_text(st, 8, e->fmt);
			casedb_bind_text(st, 9, args);
		}
		casedb_step_done(db, st);
		free(args);
	}
	if (plog_dropped(log) > 0) {
		char *msg = xasprintf(CASEDB_LOG_CAP_FORMAT, plog_dropped(log), PLOG_MAX);
		char *args = xasprintf("[\"%zu\",\"%d\"]", plog_dropped(log), PLOG_MAX);

		sqlite3_bind_int64(st, 1, run_id);
		if (evidence_id > 0)
			sqlite3_bind_int64(st, 2, evidence_id);
		casedb_bind_text(st, 3, "warning");
		casedb_bind_text(st, 4, "log.cap");
		casedb_bind_text(st, 5, "");
		casedb_bind_text(st, 6, "");
		casedb_bind_text(st, 7, msg);
		casedb_bind_text(st, 8, CASEDB_LOG_CAP_FORMAT);
		casedb_bind_text(st, 9, args);
		casedb_step_done(db, st);
		free(msg);
		free(args);
	}
	sqlite3_finalize(st);
	plog_clear(log);
}
