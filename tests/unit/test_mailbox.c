/* Unit tests of mail/mailbox.c: mbox files written by the tests (mboxo and
 * mboxrd quoting, Content-Length, CRLF, no separator), a generated mbox of
 * 10,000 messages read in bounded memory with every offset checked against
 * the file, Maildir and .eml folders, and evidence that cannot be read. */
#include "check.h"
#include "evidence_walk.h"
#include "ingest.h"
#include "mail/mailbox.h"
#include "mail/message.h"
#include "util/limits.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
	struct casedb *db;
	struct artstore *art;
	struct plog *log;
	struct limits lim;
	struct ingest_ctx ctx;
	char dir[600], root[512];
};

static bool
fx_open(struct fx *f, const char *name, bool store)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "%s", check_tmpdir(name));
	snprintf(f->dir, sizeof(f->dir), "%s/case", f->root);
	f->db = casedb_open(f->dir, true, &err);
	if (f->db == NULL) {
		free(err);
		return false;
	}
	f->art = store ? artstore_open(f->db) : NULL;
	f->log = plog_new();
	limits_default(&f->lim);
	f->ctx.db = f->db;
	f->ctx.art = f->art;
	f->ctx.log = f->log;
	f->ctx.lim = &f->lim;
	f->ctx.evidence_id = 1;
	casedb_begin(f->db);
	return true;
}

static void
fx_close(struct fx *f)
{
	casedb_commit(f->db);
	artstore_free(f->art);
	casedb_close(f->db);
	plog_free(f->log);
}

/* Every row of sql as "col|col|..." lines ("" for NULL); free() it. */
static char *
fx_q(struct fx *f, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(f->db, sql);
	struct buf b;
	int i, n;
	bool ok = true;

	buf_init(&b, 16 << 20);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_count(st);
		for (i = 0; i < n; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			ok &= buf_adds(&b, i ? "|" : "");
			ok &= buf_adds(&b, t ? t : "");
		}
		ok &= buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	(void)ok;
	return buf_take(&b);
}

static bool
write_file(const char *path, const char *text, size_t n)
{
	FILE *o = fopen(path, "wb");
	bool ok;

	if (o == NULL)
		return false;
	ok = fwrite(text, 1, n, o) == n;
	return fclose(o) == 0 && ok;
}

static bool
fx_ingest(struct fx *f, const char *file, const char *text, const char *kind)
{
	char path[700];

	snprintf(path, sizeof(path), "%s/%s", f->root, file);
	if (text && !write_file(path, text, strlen(text)))
		return false;
	if (kind == NULL)
		return true;
	f->ctx.evidence_path = path;
	return ingest_mailbox(&f->ctx, path, kind, NULL);
}

TEST(mbox_quoting_and_offsets)
{
	struct fx f;
	const char *mbox =
	    "From alice@example.org Mon Jan  1 00:00:00 2001\n"          /* 0 */
	    "From: alice@example.org\nSubject: one\n\n"                    /* 48 */
	    "first line\n>From the start\n>>From twice quoted\nFrom inside, not after a blank line\n"
	    "\n"
	    "From bob@example.org Mon Jan  1 00:00:01 2001\n"
	    "From: bob@example.org\nSubject: two\n\n"
	    "body two\n"
	    "\n"
	    "From carol@example.org Mon Jan  1 00:00:02 2001\n"
	    "From: carol@example.org\nSubject: three\n\nno final blank line\n";
	const char *two, *three;
	char *s, *want;

	CHECK(fx_open(&f, "quoting", true));
	CHECK(fx_ingest(&f, "a.mbox", mbox, "mbox"));
	two = strstr(mbox, "From: bob");
	three = strstr(mbox, "From: carol");
	want = xasprintf("1|mbox|48|one|first line\nFrom the start\n>From twice quoted\n"
	    "From inside, not after a blank line\n\n"
	    "2|mbox|%zu|two|body two\n\n"
	    "3|mbox|%zu|three|no final blank line\n\n", (size_t)(two - mbox), (size_t)(three - mbox));
	s = fx_q(&f, "SELECT mbox_index, source, file_offset, subject, body_text FROM messages ORDER BY id");
	CHECK_STR(s, want);
	free(s);
	free(want);
	/* the stored message is the message without its separator and quoting */
	s = fx_q(&f, "SELECT m.size, a.size FROM messages m JOIN artifacts a ON a.sha256 = m.raw_sha256"
	    " ORDER BY m.id");
	CHECK_STR(s, "119|119\n45|45\n60|60\n");
	free(s);
	CHECK_INT(plog_count(f.log), 0);
	fx_close(&f);
}

TEST(mbox_content_length)
{
	struct fx f;
	/* The first body holds an unquoted "From " line after a blank line;
	 * its Content-Length says where it really ends. A wrong Content-Length
	 * (third message) is not trusted. */
	const char *mbox =
	    "From a Mon Jan  1 00:00:00 2001\n"
	    "Subject: cl\nContent-Length: 27\n\n"
	    "x\n\nFrom here on it is body\n"
	    "\n"
	    "From b Mon Jan  1 00:00:01 2001\n"
	    "Subject: after\n\nok\n"
	    "\n"
	    "From c Mon Jan  1 00:00:02 2001\n"
	    "Subject: wrong\nContent-Length: 3\n\n>From quoted\nmore\n";
	char *s;

	CHECK(fx_open(&f, "clen", false));
	CHECK(fx_ingest(&f, "cl.mbox", mbox, "mbox"));
	s = fx_q(&f, "SELECT mbox_index, subject, body_text FROM messages ORDER BY id");
	CHECK_STR(s, "1|cl|x\n\nFrom here on it is body\n\n"
	    "2|after|ok\n\n"
	    "3|wrong|From quoted\nmore\n\n");
	free(s);
	fx_close(&f);
}

TEST(mbox_crlf_and_no_separator)
{
	struct fx f;
	const char *crlf =
	    "From a Mon Jan  1 00:00:00 2001\r\nSubject: c1\r\n\r\nbody\r\n\r\n"
	    "From b Mon Jan  1 00:00:00 2001\r\nSubject: c2\r\n\r\nbody2\r\n";
	const char *bare = "Subject: bare\n\nno postmark\n";
	char *s;

	CHECK(fx_open(&f, "crlf", false));
	CHECK(fx_ingest(&f, "crlf.mbox", crlf, "mbox"));
	s = fx_q(&f, "SELECT mbox_index, file_offset, size, subject FROM messages ORDER BY id");
	CHECK_STR(s, "1|33|21|c1\n2|89|22|c2\n");
	free(s);
	CHECK(fx_ingest(&f, "bare.mbox", bare, "mbox"));
	s = fx_q(&f, "SELECT mbox_index, file_offset, subject FROM messages WHERE subject = 'bare'");
	CHECK_STR(s, "1|0|bare\n");
	free(s);
	CHECK(strcmp(plog_get(f.log, 0)->code, "mbox.no_separator") == 0);
	fx_close(&f);
}

static long
max_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Ten thousand messages, 2 KiB each (about 21 MB): every offset points at
 * the message's first header in the file, and the peak memory grows by far
 * less than the mailbox (a reader keeping it all would grow by 21 MB). */
TEST(mbox_ten_thousand)
{
	struct fx f;
	char path[700], *s;
	FILE *o;
	int i, j;
	long before, after;
	sqlite3_stmt *st;
	FILE *in;
	int checked = 0;

	CHECK(fx_open(&f, "tenk", false));
	snprintf(path, sizeof(path), "%s/big.mbox", f.root);
	o = fopen(path, "wb");
	CHECK(o != NULL);
	for (i = 1; i <= 10000; i++) {
		fprintf(o, "From sender%d@example.org Mon Jan  1 00:00:00 2001\n", i);
		fprintf(o, "Message-ID: <m%d@example.org>\nFrom: s%d@example.org\nSubject: message %d\n\n",
		    i, i, i);
		for (j = 0; j < 24; j++)
			fprintf(o, "line %02d of message %06d, with some filler text to make it longer..\n", j, i);
		if (i % 7 == 0)
			fprintf(o, "\n>From a quoted line\n");
		fprintf(o, "\n");
	}
	CHECK(fclose(o) == 0);
	/* warm up the libraries and the database once */
	CHECK(fx_ingest(&f, "warm.mbox", "From x\nSubject: w\n\nwarm\n", "mbox"));
	before = max_rss_kb();
	f.ctx.evidence_path = path;
	CHECK(ingest_mailbox(&f.ctx, path, "mbox", NULL));
	after = max_rss_kb();
	s = fx_q(&f, "SELECT count(*), max(mbox_index) FROM messages WHERE subject LIKE 'message %'");
	CHECK_STR(s, "10000|10000\n");
	free(s);
#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer keeps freed memory in quarantine: not measured there.) */
	if (after - before > 12 * 1024) {
		check_fail(__FILE__, __LINE__, "peak memory grew by %ld KiB", after - before);
		fx_close(&f);
		return;
	}
#else
	(void)before;
	(void)after;
#endif
	in = fopen(path, "rb");
	CHECK(in != NULL);
	st = casedb_prepare(f.db, "SELECT mbox_index, file_offset, message_id FROM messages"
	    " WHERE subject LIKE 'message %' ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW) {
		char want[80], got[80], id[40];
		int64_t idx = sqlite3_column_int64(st, 0);
		const char *mid = (const char *)sqlite3_column_text(st, 2);
		snprintf(want, sizeof(want), "Message-ID: <m%" PRId64 "@example.org>\n", idx);
		snprintf(id, sizeof(id), "<m%" PRId64 "@example.org>", idx);
		memset(got, 0, sizeof(got));
		if (fseeko(in, (off_t)sqlite3_column_int64(st, 1), SEEK_SET) != 0 ||
		    fread(got, 1, strlen(want), in) != strlen(want) || strcmp(got, want) != 0 ||
		    mid == NULL || strcmp(mid, id) != 0) {
			check_fail(__FILE__, __LINE__, "message %" PRId64 ": offset %lld reads \"%s\"",
			    idx, (long long)sqlite3_column_int64(st, 1), got);
			break;
		}
		checked++;
	}
	sqlite3_finalize(st);
	fclose(in);
	CHECK_INT(checked, 10000);
	fx_close(&f);
}

static void
seen_nothing(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	(void)arg, (void)raw, (void)len, (void)o;
}

TEST(unreadable_evidence)
{
	struct fx f;

	CHECK(fx_open(&f, "unreadable", false));
	CHECK(!fx_ingest(&f, "missing.mbox", NULL, "mbox"));
	CHECK(!fx_ingest(&f, "missing.eml", NULL, "eml"));
	CHECK(!mailbox_read_maildir(f.root, (const char *const[]){ "cur/gone" }, 1, &f.lim, f.log,
	    seen_nothing, NULL));
	CHECK_INT(plog_count(f.log), 3);
	CHECK_STR(plog_get(f.log, 0)->code, "mailbox.open");
	fx_close(&f);
}

TEST(message_size_cap)
{
	struct fx f;
	char *s;

	CHECK(fx_open(&f, "cap", false));
	f.lim.message_bytes = 40;
	CHECK(fx_ingest(&f, "cap.mbox", "From a\nSubject: big one\n\n0123456789012345678901234567890123456789\n\n"
	    "From b\nSubject: small\n\nx\n", "mbox"));
	s = fx_q(&f, "SELECT mbox_index, subject, size, incomplete, incomplete_why FROM messages ORDER BY id");
	CHECK_STR(s, "1|big one|40|1|larger than the message size limit\n2|small|18|0|\n");
	free(s);
	CHECK_STR(plog_get(f.log, 0)->code, "cap.message_bytes");
	CHECK_STR(plog_get(f.log, 0)->message, "message 1 at offset 7 has 60 bytes, more than the limit of 40;"
	    " the first 40 are analysed");
	fx_close(&f);
}

struct seen {
	char text[512];
};

static void
seen_message(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);

	snprintf(s->text + n, sizeof(s->text) - n, "%s|%" PRId64 "|%" PRIu64 "|%zu|%.*s\n",
	    o->source, o->mbox_index, o->file_offset, len, (int)(len < 12 ? len : 12),
	    (const char *)raw);
}

/* mailbox_read() alone, no case: each message's bytes and provenance handed
 * to the callback in file order. */
TEST(reader_without_a_case)
{
	static const char mbox[] = "From a@b Sat Jan  1 00:00:00 2000\n"
	    "Subject: one\n\nbody\n>From here\n\n"
	    "From c@d Sat Jan  1 00:00:01 2000\n"
	    "Subject: two\n\nx\n";
	struct limits lim;
	struct plog *log = plog_new();
	struct seen s = { "" };
	char path[600];

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/r.mbox", check_tmpdir("reader"));
	CHECK(write_file(path, mbox, strlen(mbox)));
	CHECK(mailbox_read(path, "mbox", &lim, log, seen_message, &s, NULL));
	/* 29 and 16 bytes: ">From" lost its ">", the empty line before a "From "
	 * line belongs to the separator */
	CHECK_STR(s.text, "mbox|1|34|29|Subject: one\nmbox|2|99|16|Subject: two\n");
	CHECK_INT(plog_count(log), 0);
	CHECK(!mailbox_read("/nonexistent/x.mbox", "mbox", &lim, log, seen_message, &s, NULL));
	CHECK_STR(plog_get(log, 0)->code, "mailbox.open");
	plog_free(log);
}

/* The bytes of an mbox or .eml are hashed as they are read (issue 19: a
 * file overwritten and restored while it was read must not pass as
 * unchanged): the read hash is the file's own SHA-256 for a file read
 * whole, and none for a folder, whose files are read one by one. */
TEST(read_hash)
{
	static const char mbox[] = "From a@b Sat Jan  1 00:00:00 2000\nSubject: one\n\nbody\n";
	static const char eml[] = "Subject: e\r\n\r\nbody\r\n";
	struct limits lim;
	struct plog *log = plog_new();
	struct seen s = { "" };
	char path[600], sha[65], want[65];
	const char *dir = check_tmpdir("read_hash");

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/r.mbox", dir);
	CHECK(write_file(path, mbox, strlen(mbox)));
	CHECK(mailbox_read(path, "mbox", &lim, log, seen_message, &s, sha));
	hash_sha256_hex(mbox, strlen(mbox), want);
	CHECK_STR(sha, want);
	snprintf(path, sizeof(path), "%s/e.eml", dir);
	CHECK(write_file(path, eml, strlen(eml)));
	CHECK(mailbox_read(path, "eml", &lim, log, seen_message, &s, sha));
	hash_sha256_hex(eml, strlen(eml), want);
	CHECK_STR(sha, want);
	plog_free(log);
}

/* A Maildir as evidence_walk.h lists it: cur/, new/ and tmp/ of the root
 * and of a Maildir++ folder are messages, dot files in them too; a loose
 * file and a link are entries of their own, the link never followed. */
TEST(maildir_from_the_walk)
{
	static const char *const files[][2] = {
		{ "md/cur/2.host:2,S", "Subject: cur two\n\nb\n" },
		{ "md/cur/1.host:2,S", "Subject: cur one\n\nb\n" },
		{ "md/cur/.hidden", "Subject: hidden\n\nb\n" },
		{ "md/new/3.host", "Subject: new\n\nb\n" },
		{ "md/tmp/4.host", "Subject: tmp\n\nb\n" },
		{ "md/.Sent/cur/5.host:2,S", "Subject: sent\n\nb\n" },
		{ "md/dovecot-uidlist", "3 V1 N4\n" },
		{ "outside.eml", "Subject: outside\n\nb\n" },
	};
	static const char *const dirs[] = { "md", "md/cur", "md/new", "md/tmp", "md/.Sent",
	    "md/.Sent/cur" };
	struct limits lim;
	struct plog *log = plog_new();
	struct seen s = { "" };
	struct evidence_walk *w;
	const char *rels[16];
	char p[800], kinds[256] = "";
	const char *dir = check_tmpdir("maildir_walk");
	size_t i, n = 0;

	limits_default(&lim);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, dirs[i]);
		CHECK(mkdir(p, 0755) == 0);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i][0]);
		CHECK(write_file(p, files[i][1], strlen(files[i][1])));
	}
	snprintf(p, sizeof(p), "%s/md/cur/6.host:2,S", dir);
	CHECK(symlink("../../outside.eml", p) == 0);
	snprintf(p, sizeof(p), "%s/md", dir);
	w = evidence_walk_new(p);
	CHECK(evidence_walk_is_maildir(w, ""));
	CHECK_INT(evidence_walk_maildir_count(w), 1);
	CHECK_STR(evidence_walk_maildir(w, 0), "");
	for (i = 0; i < evidence_walk_count(w); i++) {
		const struct evidence_entry *e = evidence_walk_get(w, i);
		size_t k = strlen(kinds);

		snprintf(kinds + k, sizeof(kinds) - k, "%s=%c%s\n", e->rel,
		    "fdlou"[e->type], e->maildir == 0 ? "m" : "");
		if (e->maildir == 0 && n < 16)
			rels[n++] = e->in_maildir;
	}
	CHECK_STR(kinds, ".Sent=d\n.Sent/cur=d\n.Sent/cur/5.host:2,S=fm\ncur=d\ncur/.hidden=fm\n"
	    "cur/1.host:2,S=fm\ncur/2.host:2,S=fm\ncur/6.host:2,S=l\ndovecot-uidlist=f\nnew=d\n"
	    "new/3.host=fm\ntmp=d\ntmp/4.host=fm\n");
	CHECK(mailbox_read_maildir(p, rels, n, &lim, log, seen_message, &s));
	CHECK_STR(s.text, "maildir|1|0|17|Subject: sen\nmaildir|2|0|19|Subject: hid\n"
	    "maildir|3|0|20|Subject: cur\nmaildir|4|0|20|Subject: cur\nmaildir|5|0|16|Subject: new\n"
	    "maildir|6|0|16|Subject: tmp\n");
	CHECK_INT(plog_count(log), 0);
	evidence_walk_free(w);
	plog_free(log);
}

int
main(void)
{
	RUN(read_hash);
	RUN(reader_without_a_case);
	RUN(mbox_quoting_and_offsets);
	RUN(mbox_content_length);
	RUN(mbox_crlf_and_no_separator);
	RUN(mbox_ten_thousand);
	RUN(maildir_from_the_walk);
	RUN(unreadable_evidence);
	RUN(message_size_cap);
	return check_done();
}
