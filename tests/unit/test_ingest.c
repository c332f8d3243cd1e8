/* The driver (src/ingest.c) over the sample case's evidence: one
 * transaction per evidence file, duplicates skipped, unreadable evidence
 * named, hashes taken before and after. */
#include "check.h"
#include "ingest.h"
#include "exitcodes.h"
#include "mail/message.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/plog.h"

#include <stdio.h>
#include <stdlib.h>

static int64_t
q_int(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);
	int64_t v = -1;

	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static char q_buf[4096];

static const char *
q_str(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);

	q_buf[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(q_buf, sizeof(q_buf), "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return q_buf;
}

struct run {
	struct casedb *db;
	struct ingest_ctx ctx;
	struct limits lim;
};

static int
run_ingest(struct run *r, const char *dir, bool create, char **paths, size_t n)
{
	char *err = NULL;
	struct ingest_opts o = { false };
	int rc;

	r->db = casedb_open(dir, create, &err);
	if (r->db == NULL) {
		printf("  %s\n", err);
		free(err);
		return -1;
	}
	limits_default(&r->lim);
	memset(&r->ctx, 0, sizeof(r->ctx));
	r->ctx.db = r->db;
	r->ctx.art = artstore_open(r->db);
	r->ctx.log = plog_new();
	r->ctx.lim = &r->lim;
	r->ctx.now_us = 1700000000000000LL;
	casedb_begin(r->db);
	r->ctx.run_id = casedb_run_begin(r->db, &(struct casedb_run){ .command = "report", .command_line = "test", .db_before_state = "new", .started = r->ctx.now_us });
	casedb_commit(r->db);
	rc = ingest_run(&r->ctx, paths, n, &o);
	plog_free(r->ctx.log);
	artstore_free(r->ctx.art);
	return rc;
}

TEST(sample_capture_and_mailbox)
{
	const char *dir = check_tmpdir("sample");
	char path[512];
	char *paths[] = { "cases/sample/sample.pcap", "cases/sample/sample.mbox" };
	struct run r;

	snprintf(path, sizeof(path), "%s/case", dir);
	CHECK_INT(run_ingest(&r, path, true, paths, 2), MC_EXIT_OK);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM evidence"), 2);
	CHECK_STR(q_str(r.db, "SELECT type FROM evidence WHERE path LIKE '%.pcap'"), "pcap");
	CHECK_STR(q_str(r.db, "SELECT detail FROM evidence WHERE path LIKE '%.pcap'"),
	    "pcap, microsecond, little-endian");
	CHECK_STR(q_str(r.db, "SELECT type FROM evidence WHERE path LIKE '%.mbox'"), "mbox");
	CHECK_STR(q_str(r.db, "SELECT sha256 FROM evidence WHERE path LIKE '%.pcap'"),
	    "1ec214fbd3e678980491f275150834d43bd3d3fb11b202cb1bc65a128ed1b217");
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM evidence WHERE after_match = 1 "
	    "AND after_sha256 = sha256"), 2);
	CHECK_INT(q_int(r.db, "SELECT packets FROM evidence WHERE type = 'pcap'"), 56);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM flows"), 2);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM sessions WHERE protocol = 'smtp'"), 2);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM credentials WHERE username = 'j.doe@example.net' "
	    "AND secret = 'Tr0ub4dor&3' AND verdict = 'accepted'"), 2);
	casedb_close(r.db);
}

TEST(duplicates_and_unreadable)
{
	const char *dir = check_tmpdir("dup");
	char path[512];
	char *first[] = { "cases/sample/sample.mbox" };
	char *again[] = { "cases/sample/sample.mbox", "tests/tmp/no-such-file.pcap",
	    "cases/sample/sample.pcap" };
	struct run r;

	snprintf(path, sizeof(path), "%s/case", dir);
	CHECK_INT(run_ingest(&r, path, true, first, 1), MC_EXIT_OK);
	casedb_close(r.db);
	CHECK_INT(run_ingest(&r, path, false, again, 3), MC_EXIT_PARTIAL);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM evidence"), 2);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM log WHERE code = 'evidence.unreadable' "
	    "AND source = 'tests/tmp/no-such-file.pcap'"), 1);
	CHECK_INT(q_int(r.db, "SELECT count(*) FROM sessions"), 2);
	casedb_close(r.db);
}

TEST(evidence02_worked_example)
{
	const char *corpus = check_corpus();
	const char *dir = check_tmpdir("ev2");
	char path[512], ev[512];
	char *paths[1] = { ev };
	struct run r;

	snprintf(ev, sizeof(ev), "%s/evidence02.pcap", corpus);
	snprintf(path, sizeof(path), "%s/case", dir);
	CHECK_INT(run_ingest(&r, path, true, paths, 1), MC_EXIT_OK);
	CHECK_STR(q_str(r.db, "SELECT md5 || ' ' || sha1 FROM evidence"),
	    "cfac149a49175ac8e89d5b5b5d69bad3 cc649705cef9f42fd2ecd6f5b949d5b7c4901c3d");
	CHECK_INT(q_int(r.db, "SELECT packets FROM evidence"), 572);
	CHECK_INT(q_int(r.db, "SELECT first_us FROM evidence"), 1255181648112737LL);
	CHECK_INT(q_int(r.db, "SELECT last_us FROM evidence"), 1255181902861997LL);
	CHECK_STR(q_str(r.db, "SELECT group_concat(frames, ' / ') FROM "
	    "(SELECT frames FROM credentials ORDER BY id)"), "63,66 / 123,126");
	casedb_close(r.db);
}

/* The case settings are read once per ingest context (ingest_ctx_prepare),
 * not once per message: a trusted_domains changed in the middle of a run
 * takes effect at the next run. */
TEST(settings_read_once_per_run)
{
	static const char msg[] =
	    "Received: from a.example.org by mx.example.net; Tue, 1 Jul 2003 10:52:40 +0900\r\n"
	    "From: a@example.org\r\nSubject: s\r\nDate: Tue, 1 Jul 2003 10:52:37 +0900\r\n\r\nx\r\n";
	const char *dir = check_tmpdir("once");
	char path[512], *err = NULL;
	struct ingest_ctx ctx;
	struct limits lim;
	struct msg_origin o = { .source = "eml" };

	snprintf(path, sizeof(path), "%s/case", dir);
	memset(&ctx, 0, sizeof(ctx));
	limits_default(&lim);
	ctx.db = casedb_open(path, true, &err);
	CHECK(ctx.db != NULL);
	ctx.art = artstore_open(ctx.db);
	ctx.log = plog_new();
	ctx.lim = &lim;
	ctx.evidence_id = 1;
	ctx.evidence_path = "x.eml";
	casedb_begin(ctx.db);
	casedb_meta_set(ctx.db, "trusted_domains", "example.com");
	ingest_ctx_prepare(&ctx);
	ingest_ctx_prepare(&ctx);      /* once is enough; again changes nothing */
	CHECK_INT(ingest_message(&ctx, msg, strlen(msg), &o), 1);
	casedb_meta_set(ctx.db, "trusted_domains", "example.net");
	CHECK_INT(ingest_message(&ctx, msg, strlen(msg), &o), 2);
	ingest_ctx_release(&ctx);
	CHECK(ctx.cache == NULL);
	CHECK_INT(ingest_message(&ctx, msg, strlen(msg), &o), 3);
	CHECK(ctx.cache == NULL);      /* prepared and released by the call itself */
	CHECK_STR(q_str(ctx.db, "SELECT group_concat(message_id || ':' ||"
	    " (instr(coalesce(flags, ''), 'no-trusted-hop') > 0), ' ') FROM routes"), "1:1 2:1 3:0");
	casedb_commit(ctx.db);
	artstore_free(ctx.art);
	plog_free(ctx.log);
	casedb_close(ctx.db);
}

int
main(void)
{
	RUN(settings_read_once_per_run);
	RUN(sample_capture_and_mailbox);
	RUN(duplicates_and_unreadable);
	if (check_corpus() != NULL)
		RUN(evidence02_worked_example);
	else
		SKIP(evidence02_worked_example, "../shared/corpus is absent");
	return check_done();
}
