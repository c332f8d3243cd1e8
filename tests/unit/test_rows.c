/* Unit tests of the case database's read cursor (store/rows.h) through the
 * report's queries (store/q_report.h): a table read page by page gives the
 * rows of one full read, in order; counts need no reading and honour bound
 * parameters; text that is not UTF-8 reaches the model as \xNN. */
#include "check.h"
#include "report/model.h"
#include "store/casedb.h"
#include "store/q_report.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

static const char rows_sql[] =
"INSERT INTO runs (id, command_line, tool_version, started, finished, status, command, db_before_state)"
" VALUES (1, 'mailcase report', '0.1', 1, 2, 0, 'report', 'new');"
"INSERT INTO evidence (id, run_id, path, abs_path, type, size, md5, sha1, sha256, status)"
" VALUES (1, 1, 'in/mail.mbox', '/x/in/mail.mbox', 'mbox', 100, 'm', 's', 'aa', 'ok');"
"INSERT INTO messages (id, evidence_id, source, mbox_index, file_offset, subject)"
" VALUES (1, 1, 'mbox', 0, 0, 'one'), (2, 1, 'mbox', 1, 100, 'two'),"
" (3, 1, 'mbox', 2, 200, NULL), (4, 1, 'mbox', 3, 300, CAST(X'6361FF66C3' AS TEXT)),"
" (5, 1, 'mbox', 4, 400, 'five');"
"INSERT INTO addresses (id, message_id, role, name, addr) VALUES"
" (1, 2, 'to', NULL, 'a@x.org'), (2, 2, 'from', 'Bee', 'b@x.org'),"
" (3, 2, 'to', NULL, 'c@x.org'), (4, 2, 'to', 'Dee', 'd@x.org'), (5, 4, 'to', NULL, 'e@x.org');";

static struct casedb *
rows_case(const char *name)
{
	char *err = NULL;
	struct casedb *db = casedb_open(check_tmpdir(name), true, &err);

	if (db == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return NULL;
	}
	casedb_exec(db, rows_sql);
	return db;
}

/* "id:subject;" for each row read from c (subject "-" for NULL). */
static size_t
rows_dump(struct rows *c, struct buf *b)
{
	const struct row *r;
	size_t n = 0;

	while (rows_next(c, &r)) {
		if (!buf_printf(b, "%lld:%s;", (long long)row_int(r, 0),
		    row_null(r, 8) ? "-" : row_text(r, 8)))
			fatal("test buffer");
		n++;
	}
	return n;
}

TEST(messages_two_at_a_time)
{
	struct casedb *db = rows_case("paged");
	struct rows *c;
	struct buf all, paged;
	size_t n, pages = 0;
	int64_t off = 0;

	CHECK(db != NULL);
	buf_init(&all, 1 << 16);
	buf_init(&paged, 1 << 16);
	c = q_report_messages(db);
	CHECK_INT(rows_count(c), 5);
	CHECK_INT(rows_dump(c, &all), 5);
	CHECK_STR(buf_str(&all), "1:one;2:two;3:-;4:ca\xff" "f\xc3;5:five;");
	/* A finished cursor stays finished until it is restarted. */
	CHECK_INT(rows_dump(c, &all), 0);
	for (;;) {
		rows_page(c, off, 2);
		n = rows_dump(c, &paged);
		if (n == 0)
			break;
		CHECK(n <= 2);
		pages++;
		off += (int64_t)n;
	}
	CHECK_INT(pages, 3);
	CHECK_STR(buf_str(&paged), buf_str(&all));
	/* The count ignores the page. */
	rows_page(c, 4, 2);
	CHECK_INT(rows_count(c), 5);
	buf_reset(&paged);
	CHECK_INT(rows_dump(c, &paged), 1);
	CHECK_STR(buf_str(&paged), "5:five;");
	rows_close(c);
	buf_free(&all);
	buf_free(&paged);
	casedb_close(db);
}

TEST(bound_parameters_count_and_page)
{
	struct casedb *db = rows_case("bound");
	struct rows *c;
	const struct row *r;

	CHECK(db != NULL);
	c = q_report_msg_addresses(db);
	rows_bind_int(c, 1, 2);
	rows_bind_text(c, 2, "to");
	CHECK_INT(rows_count(c), 3);
	CHECK(rows_next(c, &r));
	CHECK_STR(row_text(r, 1), "a@x.org");
	CHECK(row_null(r, 0));
	CHECK(row_text(r, 0) == NULL);
	rows_page(c, 1, 1);
	CHECK(rows_next(c, &r));
	CHECK_STR(row_text(r, 1), "c@x.org");
	CHECK(!rows_next(c, &r));
	rows_page(c, 0, -1);
	rows_bind_text(c, 2, "from");
	CHECK_INT(rows_count(c), 1);
	CHECK(rows_next(c, &r));
	CHECK_STR(row_text(r, 0), "Bee");
	CHECK_INT(row_bytes(r, 0), 3);
	CHECK(!rows_next(c, &r));
	rows_bind_int(c, 1, 4);
	rows_bind_text(c, 2, "to");
	CHECK_INT(rows_count(c), 1);
	rows_bind_int(c, 1, 99);
	CHECK_INT(rows_count(c), 0);
	CHECK(!rows_next(c, &r));
	rows_close(c);
	CHECK_INT(q_report_count(db, Q_COUNT_MESSAGES), 5);
	CHECK_INT(q_report_count(db, Q_COUNT_EVIDENCE), 1);
	CHECK_INT(q_report_count(db, Q_COUNT_FLOWS), 0);
	casedb_close(db);
}

TEST(text_that_is_not_utf8)
{
	struct casedb *db = rows_case("text");
	struct rows *c;
	const struct row *r;
	json_t *j;

	CHECK(db != NULL);
	c = q_report_messages(db);
	rows_page(c, 3, 1);
	CHECK(rows_next(c, &r));
	CHECK_INT(row_bytes(r, 8), 5);
	j = model_row_str(r, 8);
	CHECK_STR(json_string_value(j), "ca\\xFFf\\xC3");
	json_decref(j);
	j = model_row_int(r, 7);            /* parent_id: NULL */
	CHECK(json_is_null(j));
	json_decref(j);
	j = model_row_int(r, 5);            /* file_offset */
	CHECK_INT(json_integer_value(j), 300);
	json_decref(j);
	rows_close(c);
	j = model_stringn("a\0b\xe2\x82\xac", 6);
	CHECK_STR(json_string_value(j), "a\\x00b\xe2\x82\xac");
	json_decref(j);
	j = model_stringn(NULL, 0);
	CHECK(json_is_null(j));
	json_decref(j);
	casedb_close(db);
}

int
main(void)
{
	RUN(messages_two_at_a_time);
	RUN(bound_parameters_count_and_page);
	RUN(text_that_is_not_utf8);
	return check_done();
}
