/* Unit tests of store/casedb.c: the pragmas a case database is opened with
 * and the statement cache (casedb_stmt). */
#include "check.h"
#include "store/casedb.h"

#include <stdio.h>
#include <stdlib.h>

static struct casedb *
case_new(const char *name)
{
	char dir[600], *err = NULL;
	struct casedb *db;

	snprintf(dir, sizeof(dir), "%s/case", check_tmpdir(name));
	db = casedb_open(dir, true, &err);
	free(err);
	return db;
}

static long long
pragma(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);
	long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -999;

	sqlite3_finalize(st);
	return v;
}

TEST(pragmas)
{
	struct casedb *db = case_new("pragmas");
	sqlite3_stmt *st;

	CHECK(db != NULL);
	CHECK_INT(pragma(db, "PRAGMA synchronous"), 2);      /* FULL */
	CHECK_INT(pragma(db, "PRAGMA cache_size"), -2000);   /* SQLite's default, 2 MiB */
	CHECK_INT(pragma(db, "PRAGMA foreign_keys"), 1);
	st = casedb_prepare(db, "PRAGMA journal_mode");
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	casedb_close(db);
}

/* The same text gives the same statement, reset and unbound, across
 * transactions; another text another statement. */
TEST(stmt_cached)
{
	struct casedb *db = case_new("stmt");
	char sql[] = "INSERT INTO meta (key, value) VALUES (?1, ?2)";
	sqlite3_stmt *a, *b, *c;

	CHECK(db != NULL);
	casedb_begin(db);
	a = casedb_stmt(db, "INSERT INTO meta (key, value) VALUES (?1, ?2)");
	casedb_bind_text(a, 1, "k1");
	casedb_bind_text(a, 2, "v1");
	casedb_step_done(db, a);
	casedb_commit(db);
	casedb_begin(db);
	b = casedb_stmt(db, sql);   /* equal text, another pointer */
	CHECK(a == b);
	casedb_bind_text(b, 1, "k2");
	casedb_step_done(db, b);    /* ?2 was cleared: NULL */
	casedb_commit(db);
	c = casedb_stmt(db, "SELECT key || '=' || coalesce(value, 'NULL') FROM meta"
	    " WHERE key LIKE 'k%' ORDER BY key");
	CHECK(c != a);
	CHECK(sqlite3_step(c) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(c, 0), "k1=v1");
	/* left mid-way: the next use starts again from the first row */
	c = casedb_stmt(db, "SELECT key || '=' || coalesce(value, 'NULL') FROM meta"
	    " WHERE key LIKE 'k%' ORDER BY key");
	CHECK(sqlite3_step(c) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(c, 0), "k1=v1");
	CHECK(sqlite3_step(c) == SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(c, 0), "k2=NULL");
	CHECK(sqlite3_step(c) == SQLITE_DONE);
	casedb_close(db);
}

int
main(void)
{
	RUN(pragmas);
	RUN(stmt_cached);
	return check_done();
}
