/* casedb.h - the case database (SQLite): opening, schema, transactions, and
 * the rows of the foundation (case details, runs, evidence, processing log).
 *
 * One case is one directory: case.db, artifacts/, report/. The schema is
 * versioned (PRAGMA user_version and meta.schema_version) and documented in
 * docs/case-database.md. Each stage writes its own tables through its own
 * store/db_*.c file, with the sqlite3 handle from casedb_sqlite().
 *
 * Write failures are fatal (STYLE.md principle 8): the functions here end the
 * run through fatal() rather than return an error, and because every evidence
 * file is ingested in one transaction the database stays consistent. */
#ifndef MC_CASEDB_H
#define MC_CASEDB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/hash.h"
#include "util/plog.h"

#define CASEDB_SCHEMA_VERSION 12
/* The oldest version casedb_open() opens: a case of a version from this one
 * up is read as it is and brought to CASEDB_SCHEMA_VERSION by
 * casedb_migrate() in the next run that writes it (the migrations are
 * documented in docs/case-database.md). */
#define CASEDB_SCHEMA_MIGRATES_FROM 11

struct casedb;

/* Opens dir/case.db; with create, makes the directory layout and schema
 * first (dir must not exist or be empty). NULL with *err (free it) when the
 * case cannot be used. */
struct casedb *casedb_open(const char *dir, bool create, char **err);
void casedb_close(struct casedb *db);
/* The schema version of the open case (CASEDB_SCHEMA_MIGRATES_FROM ..
 * CASEDB_SCHEMA_VERSION). */
int casedb_version(const struct casedb *db);
/* Brings an older case to CASEDB_SCHEMA_VERSION, one documented step per
 * version, inside the caller's transaction (caserun_begin: the change is
 * part of the run that makes it, so the run log's hashes account for it).
 * Returns the version the case had. */
int casedb_migrate(struct casedb *db);
sqlite3 *casedb_sqlite(struct casedb *db);
const char *casedb_dir(const struct casedb *db);

/* fn(arg) runs before each commit (the artifact store waits for its file
 * writer there); NULL fn removes it. One hook per database. */
void casedb_before_commit(struct casedb *db, void (*fn)(void *), void *arg);
/* For a reader that goes over the whole case (rendering): a page cache of
 * 64 MiB instead of SQLite's 2 MiB, so paged queries read a page of the
 * file once rather than again for every appendix page. */
void casedb_cache_for_reading(struct casedb *db);
void casedb_begin(struct casedb *db);
void casedb_commit(struct casedb *db);
void casedb_rollback(struct casedb *db);

/* Runs sql (no rows expected); fatal on error. */
void casedb_exec(struct casedb *db, const char *sql);
/* Prepares sql; fatal on error. Finalize with sqlite3_finalize(). */
sqlite3_stmt *casedb_prepare(struct casedb *db, const char *sql);
/* The statement for sql, prepared on first use and kept until
 * casedb_close(): for statements run once per message, row or hop, whose
 * preparing (SQL parsing) cost more than running them. Returned reset with
 * no bindings. Owned by db: never finalize it. At most CASEDB_STMT_MAX
 * distinct SQL texts per database (a program's fixed texts, never SQL
 * built from data); one more is a bug and fatal. */
#define CASEDB_STMT_MAX 128
sqlite3_stmt *casedb_stmt(struct casedb *db, const char *sql);
/* A statement for sql of its own, for the time between take and give:
 * unlike casedb_stmt(), two can be open on one text at once (nested
 * cursors). Given back, it is reset and kept for the next take of the same
 * text; the CASEDB_IDLE_MAX most recently given are kept, older ones
 * finalized. Prepared when none is idle. */
#define CASEDB_IDLE_MAX 32
sqlite3_stmt *casedb_stmt_take(struct casedb *db, const char *sql);
void casedb_stmt_give(struct casedb *db, sqlite3_stmt *st);
/* Steps a statement that returns no row, resets it; fatal on error. */
void casedb_step_done(struct casedb *db, sqlite3_stmt *st);
/* Binds text, or NULL when s is NULL. */
void casedb_bind_text(sqlite3_stmt *st, int i, const char *s);
int64_t casedb_last_id(struct casedb *db);

/* Case details and settings live in meta(key, value). */
void casedb_meta_set(struct casedb *db, const char *key, const char *value);
/* Returns a copy (free it) or NULL. */
char *casedb_meta_get(struct casedb *db, const char *key);

/* A run's row in runs (its entry in runs.log is written by caserun.c). */
struct casedb_run {
	const char *command;        /* report, add, render */
	const char *command_line;
	const char *examiner;       /* NULL: none known */
	const char *tool_sha256;    /* of the mailcase executable; NULL: unknown */
	const char *db_before;      /* SHA-256 of case.db when the run began; NULL: new case */
	const char *db_before_state;  /* new, recorded, unrecorded, interrupted */
	int64_t started;
};
int64_t casedb_run_begin(struct casedb *db, const struct casedb_run *run);
void casedb_run_end(struct casedb *db, int64_t run_id, int64_t finished, int status);
/* Runs with an id above after_id: how many never finished (*unfinished)
 * and how many did (*finished). */
void casedb_runs_after(struct casedb *db, int64_t after_id, int64_t *unfinished,
    int64_t *finished);
/* The id of the last run, 0 when none. */
int64_t casedb_run_last(struct casedb *db);

/* Writes what the write-ahead log holds into case.db and empties it
 * (PRAGMA wal_checkpoint(TRUNCATE)), so that case.db alone is the case and
 * can be hashed. False, with *err (free it), when it cannot be done. */
bool casedb_checkpoint(struct casedb *db, char **err) __attribute__((warn_unused_result));
/* True when the case in dir can be written (case.db and its folder); else
 * false with *err (free it) naming what cannot be written and why. Asked
 * before a run that writes, so that it stops before doing anything. */
bool casedb_writable(const char *dir, char **err) __attribute__((warn_unused_result));
/* The path of case.db. */
const char *casedb_path(const struct casedb *db);

/* Evidence rows. */
struct evidence_row {
	int64_t id;
	int64_t parent_id;      /* an entry of a folder: the folder's row; else 0 */
	const char *path;       /* as given on the command line (an entry: the folder's path, '/', its own) */
	const char *abs_path;
	const char *type;       /* "pcap", "pcapng", "mbox", "eml", "maildir", "folder", "zip", "symlink", "unknown"... */
	const char *detail;     /* e.g. "pcap, microsecond, little-endian" */
	const char *position;   /* an entry of an archive: its path in the archive; else NULL */
	struct hashes h;
};
/* The id of the evidence with this SHA-256 whose ingest completed, or 0. */
int64_t casedb_evidence_find(struct casedb *db, const char *sha256);
/* Removes an evidence row left half-done by an interrupted run (and all
 * rows that came from it). */
void casedb_evidence_purge_incomplete(struct casedb *db);
int64_t casedb_evidence_add(struct casedb *db, const struct evidence_row *e, int64_t run_id);
void casedb_evidence_capture_stats(struct casedb *db, int64_t id, int64_t first_us,
    int64_t last_us, uint64_t packets, const char *link_types);
void casedb_evidence_done(struct casedb *db, int64_t id, const char *status);
/* The same with the reason it was not read, or not read whole (may be NULL). */
void casedb_evidence_done_why(struct casedb *db, int64_t id, const char *status,
    const char *reason);
/* Replaces the type detail once the content says more than its first bytes
 * did (an OLE file that is an HWP document). */
void casedb_evidence_detail(struct casedb *db, int64_t id, const char *detail);
void casedb_evidence_rehash(struct casedb *db, int64_t id, const struct hashes *after, bool match);
/* The entries of archive id (rows with a position, at every depth) after
 * the archive itself was hashed again: their bytes are the archive's, so
 * they match when it does. */
void casedb_evidence_rehash_archive(struct casedb *db, int64_t id, bool match);

/* Writes and clears the log's entries, tied to the evidence (0 for none).
 * Entries past PLOG_MAX become one log.cap entry of this format (the
 * number not kept, PLOG_MAX). */
#define CASEDB_LOG_CAP_FORMAT \
	"%zu further entries were not kept (at most %d are kept per evidence file)"
void casedb_log_flush(struct casedb *db, struct plog *log, int64_t run_id, int64_t evidence_id);

#endif
