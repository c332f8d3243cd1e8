/* report/diff.c on cases the whole pipeline made (ingest_run, as `mailcase
 * report` does): a mailbox against the same mailbox with a message removed,
 * and the shared corpus's evidence02.pcap against itself and against itself
 * plus spam-2007.eml. Kept apart from test_diff.c so that a stage still in
 * the making cannot hide the comparison's own results. */
#include "check.h"
#include "ingest.h"
#include "report/diff.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

static json_t *
diff_fixture_model(const char *a, const char *b, const char *lang)
{
	char *err = NULL;
	struct casedb *da = casedb_open(a, false, &err), *db = casedb_open(b, false, &err);
	struct diff_opts o = { lang, "A", "B", 1700000000000000 };
	json_t *m;

	if (da == NULL || db == NULL) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	m = diff_cases(da, db, &o);
	casedb_close(da);
	casedb_close(db);
	return m;
}

static json_t *
diff_cat(json_t *m, const char *key)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(m, "categories"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "key")), key) == 0)
			return c;
	}
	return NULL;
}

/* The ids of one list of one category, joined by "|" (static buffer). */
static const char *
diff_ids(json_t *m, const char *cat, const char *list)
{
	static char out[4096];
	size_t i;
	json_t *it;

	out[0] = '\0';
	json_array_foreach(json_object_get(diff_cat(m, cat), list), i, it) {
		if (i > 0)
			strncat(out, "|", sizeof(out) - strlen(out) - 1);
		strncat(out, json_string_value(json_object_get(it, "id")), sizeof(out) - strlen(out) - 1);
	}
	return out;
}

/* Builds a case from evidence files through the whole pipeline
 * (ingest_run), as `mailcase report` does before rendering. */
static char *
diff_ingested(const char *name, char **paths, size_t n)
{
	char *dir = xasprintf("%s/case", check_tmpdir(name)), *err = NULL;
	struct casedb *db = casedb_open(dir, true, &err);
	struct ingest_opts io = { false };
	struct ingest_ctx ctx;
	struct limits lim;

	if (db == NULL) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	limits_default(&lim);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.art = artstore_open(db);
	ctx.log = plog_new();
	ctx.lim = &lim;
	ctx.now_us = 1700000000000000LL;
	casedb_begin(db);
	ctx.run_id = casedb_run_begin(db, &(struct casedb_run){ .command = "report", .command_line = "test", .db_before_state = "new", .started = ctx.now_us });
	casedb_commit(db);
	(void)ingest_run(&ctx, paths, n, &io);
	plog_free(ctx.log);
	artstore_free(ctx.art);
	casedb_close(db);
	return dir;
}

/* Lists that are not empty in some category, as "key:list " words. */
static const char *
diff_nonempty(json_t *m, const char *list)
{
	static char out[1024];
	size_t i;
	json_t *c;

	out[0] = '\0';
	json_array_foreach(json_object_get(m, "categories"), i, c) {
		if (json_array_size(json_object_get(c, list)) > 0) {
			strncat(out, json_string_value(json_object_get(c, "key")), sizeof(out) - strlen(out) - 1);
			strncat(out, " ", sizeof(out) - strlen(out) - 1);
		}
	}
	return out;
}

TEST(corpus_capture_against_capture_and_spam)
{
	char pcap[512], eml[512];
	char *one[1] = { pcap }, *two[2] = { pcap, eml };
	char *c1, *c2, *c3;
	json_t *m;

	snprintf(pcap, sizeof(pcap), "%s/evidence02.pcap", check_corpus());
	snprintf(eml, sizeof(eml), "%s/spam-2007.eml", check_corpus());
	c1 = diff_ingested("corpus1", one, 1);
	c2 = diff_ingested("corpus2", one, 1);
	c3 = diff_ingested("corpus3", two, 2);

	/* Two runs over the same capture: the same findings. */
	m = diff_fixture_model(c1, c2, "en");
	CHECK_STR(diff_nonempty(m, "only_a"), "");
	CHECK_STR(diff_nonempty(m, "only_b"), "");
	CHECK_STR(diff_nonempty(m, "altered"), "");
	CHECK_STR(diff_ids(m, "messages", "both"),
	    "<000901ca49ae$89d698c0$9f01a8c0@annlaptop>|<001101ca49ae$e93e45b0$9f01a8c0@annlaptop>");
	CHECK_STR(diff_ids(m, "credentials", "both"), "smtp sneakyg33k@aol.com / 558r00lz");
	CHECK_STR(diff_ids(m, "evidence", "both"),
	    "290f495df4d30038e0db638ac9a0ee24afd9c708acbf1bd86bec9f0c45fc061c");
	json_decref(m);

	/* Plus the spam: exactly its message, addresses, hosts and origin
	 * (and the .eml itself) are only in B. */
	m = diff_fixture_model(c1, c3, "en");
	CHECK_STR(diff_nonempty(m, "only_a"), "");
	CHECK_STR(diff_nonempty(m, "altered"), "");
	CHECK_STR(diff_nonempty(m, "only_b"), "evidence messages addresses hosts origins ");
	CHECK_STR(diff_ids(m, "messages", "only_b"),
	    "<MEDSVR01kNsjUHQHh2w00000278@medsvr01.medentech.com>");
	CHECK_STR(diff_ids(m, "addresses", "only_b"), "hahaha@tt.co.kr|mkeh@avnetcom.co.kr");
	CHECK_STR(diff_ids(m, "hosts", "only_b"), "193.120.114.219|200.59.38.130|"
	    "medentech.isdn.esat.net|medsvr01.medentech.com|relay03.avnetcom.co.kr|test.com");
	CHECK(strstr(diff_ids(m, "origins", "only_b"), "200.59.38.130") != NULL);
	CHECK_INT(json_integer_value(json_object_get(diff_cat(m, "origins"), "n_only_b")), 1);
	CHECK_INT(json_integer_value(json_object_get(diff_cat(m, "messages"), "n_both")), 2);
	json_decref(m);
	free(c1);
	free(c2);
	free(c3);
}

TEST(mailbox_with_a_message_removed)
{
	static const char full[] =
	    "From alice@example.org Mon Jan  1 00:00:00 2024\n"
	    "From: alice@example.org\nTo: bob@example.org\nSubject: First\n"
	    "Date: Mon, 1 Jan 2024 01:00:00 +0000\nMessage-ID: <one@example.org>\n\n"
	    "The first message.\n\n"
	    "From mallory@evil.example Mon Jan  1 00:00:00 2024\n"
	    "From: mallory@evil.example\nTo: bob@example.org\nSubject: Second\n"
	    "Date: Mon, 1 Jan 2024 02:00:00 +0000\nMessage-ID: <two@example.org>\n\n"
	    "The message that goes away.\n\n";
	static const char last[] =
	    "From alice@example.org Mon Jan  1 00:00:00 2024\n"
	    "From: alice@example.org\nTo: carol@example.org\nSubject: Third\n"
	    "Date: Mon, 1 Jan 2024 03:00:00 +0000\nMessage-ID: <three@example.org>\n\n"
	    "The third message.\n\n";
	char *dir = xstrdup(check_tmpdir("mbox")), *pa, *pb, *ca, *cb;
	char *one[1], *other[1];
	FILE *fp;
	json_t *m;

	pa = xasprintf("%s/full.mbox", dir);
	pb = xasprintf("%s/less.mbox", dir);
	fp = fopen(pa, "w");
	CHECK(fp != NULL);
	fputs(full, fp);
	fputs(last, fp);
	fclose(fp);
	fp = fopen(pb, "w");
	CHECK(fp != NULL);
	fputs(full, fp);
	fclose(fp);
	/* less.mbox keeps the first two; drop the second instead: */
	fp = fopen(pb, "w");
	CHECK(fp != NULL);
	fwrite(full, 1, strstr(full, "From mallory") - full, fp);
	fputs(last, fp);
	fclose(fp);
	one[0] = pa;
	other[0] = pb;
	ca = diff_ingested("mbox_a", one, 1);
	cb = diff_ingested("mbox_b", other, 1);
	m = diff_fixture_model(ca, cb, "en");
	CHECK_STR(diff_ids(m, "messages", "only_a"), "<two@example.org>");
	CHECK_STR(diff_ids(m, "messages", "both"), "<one@example.org>|<three@example.org>");
	CHECK_STR(diff_ids(m, "addresses", "only_a"), "mallory@evil.example");
	CHECK_STR(diff_nonempty(m, "only_b"), "evidence ");
	CHECK_STR(diff_nonempty(m, "altered"), "");
	json_decref(m);
	free(ca);
	free(cb);
	free(pa);
	free(pb);
	free(dir);
}

int
main(void)
{
	RUN(mailbox_with_a_message_removed);
	if (check_corpus() != NULL)
		RUN(corpus_capture_against_capture_and_spam);
	else
		SKIP(corpus_capture_against_capture_and_spam, "the shared corpus is absent");
	return check_done();
}
