/* Unit tests of store/runlog: entries appended and chained, and each kind
 * of break found with its line. */
#include "check.h"
#include "store/runlog.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR "tests/tmp/test_runlog"

static void
runlog_fresh(void)
{
	mkdir("tests/tmp", 0755);
	mkdir(DIR, 0755);
	unlink(DIR "/" RUNLOG_NAME);
}

static bool
runlog_add(const char *command)
{
	char *err = NULL;
	struct runlog *l = runlog_read(DIR, &err);
	json_t *e = json_pack("{s:s, s:s}", "command", command, "db_after", "ab");
	bool ok = l != NULL && runlog_append(DIR, l, e, &err);

	free(err);
	json_decref(e);
	runlog_free(l);
	return ok;
}

static void
runlog_write(const char *text)
{
	FILE *f = fopen(DIR "/" RUNLOG_NAME, "wb");

	fputs(text, f);
	fclose(f);
}

static char *
runlog_text(void)
{
	FILE *f = fopen(DIR "/" RUNLOG_NAME, "rb");
	char *s = calloc(1, 65536);

	if (f != NULL) {
		size_t n = fread(s, 1, 65535, f);

		s[n] = '\0';
		fclose(f);
	}
	return s;
}

TEST(absent_is_empty)
{
	char *err = NULL;
	struct runlog *l;

	runlog_fresh();
	l = runlog_read(DIR, &err);
	CHECK(l != NULL);
	CHECK(!runlog_exists(l));
	CHECK_INT(runlog_count(l), 0);
	CHECK(runlog_last(l) == NULL);
	CHECK(runlog_problem(l) == NULL);
	runlog_free(l);
}

TEST(append_chains)
{
	char *err = NULL, want[65], *text;
	const char *first = "{\"command\":\"report\",\"db_after\":\"ab\",\"prev\":null,\"seq\":1}";
	struct runlog *l;

	runlog_fresh();
	CHECK(runlog_add("report"));
	CHECK(runlog_add("render"));
	l = runlog_read(DIR, &err);
	CHECK(l != NULL);
	CHECK_INT(runlog_count(l), 2);
	CHECK(runlog_problem(l) == NULL);
	/* The hash is of the entry without it, compact, keys sorted. */
	hash_sha256_hex(first, strlen(first), want);
	CHECK_STR(runlog_str(runlog_get(l, 0), "hash"), want);
	CHECK_STR(runlog_str(runlog_get(l, 1), "prev"), want);
	CHECK_STR(runlog_str(runlog_last(l), "command"), "render");
	CHECK_INT(json_integer_value(json_object_get(runlog_last(l), "seq")), 2);
	runlog_free(l);
	text = runlog_text();
	{
		const char *head = "{\"command\":\"report\",\"db_after\":\"ab\",\"hash\":\"";

		CHECK(strncmp(text, head, strlen(head)) == 0);
		CHECK(strchr(text, '\n') != NULL && strchr(strchr(text, '\n') + 1, '\n') != NULL);
	}
	free(text);
}

static void
runlog_expect(const char *text, const char *problem)
{
	char *err = NULL;
	struct runlog *l;

	runlog_write(text);
	l = runlog_read(DIR, &err);
	CHECK(l != NULL);
	CHECK(runlog_problem(l) != NULL);
	CHECK_STR(runlog_problem(l), problem);
	runlog_free(l);
}

TEST(breaks_found)
{
	char *text, *second, *copy;

	runlog_fresh();
	CHECK(runlog_add("report"));
	CHECK(runlog_add("add"));
	CHECK(runlog_add("render"));
	text = runlog_text();
	second = strchr(text, '\n') + 1;

	/* An entry edited. */
	copy = strdup(text);
	memcpy(strstr(copy, "\"add\""), "\"ADD\"", 5);
	runlog_expect(copy, "line 2: its hash does not match its content (the entry was edited)");
	free(copy);
	/* An entry removed. */
	copy = strdup(text);
	memmove(second, strchr(second, '\n') + 1, strlen(strchr(second, '\n') + 1) + 1);
	runlog_expect(text, "line 2: its entry number is out of sequence (an entry removed, added or moved)");
	free(text);
	text = copy;
	/* A line that is no JSON, and a last line without its end. */
	runlog_expect("{\"seq\":\n", "line 1: not a JSON object");
	copy = strdup(text);
	copy[strlen(copy) - 1] = '\0';
	runlog_expect(copy, "line 3: cut off (no end of line)");
	free(copy);
	free(text);
}

int
main(void)
{
	RUN(absent_is_empty);
	RUN(append_chains);
	RUN(breaks_found);
	return check_done();
}
