/* Unit tests of report/diff.c: fixture cases built here with SQL, compared
 * by identity, with exact item lists per category and diff(1) exit codes. */
#include "check.h"
#include "cli.h"
#include "report/diff.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* One case as the pipeline would leave it: a capture with one SMTP flow, a
 * login, a message with an attachment, a message without Message-ID. */
static const char diff_base_sql[] =
"INSERT INTO meta (key, value) VALUES ('case_title', 'Seizure one');"
"INSERT INTO runs (id, command_line, tool_version, started, finished, status, command, db_before_state) VALUES (1, 'mailcase report -o a ev.pcap', '0.1', 1000000, 2000000, 0, 'report', 'new');"
"INSERT INTO evidence (id, run_id, path, abs_path, type, size, md5, sha1, sha256, status)"
" VALUES (1, 1, 'ev.pcap', '/x/ev.pcap', 'pcap', 100, 'm', 's',"
" 'aaaa000000000000000000000000000000000000000000000000000000000000', 'ok');"
"INSERT INTO flows (id, evidence_id, flow_no, cli_ip, cli_port, srv_ip, srv_port, syn_seen)"
" VALUES (1, 1, 1, '10.0.0.1', 1025, '10.0.0.2', 25, 1);"
"INSERT INTO sessions (id, flow_id, evidence_id, protocol) VALUES (1, 1, 1, 'smtp');"
"INSERT INTO credentials (id, session_id, protocol, mechanism, username, secret, verdict, frames)"
" VALUES (1, 1, 'smtp', 'LOGIN', 'alice', 'secret1', 'accepted', '10, 12');"
"INSERT INTO messages (id, evidence_id, session_id, source, frames, raw_sha256, message_id,"
" subject, from_addr, date_raw, body_text) VALUES (1, 1, 1, 'smtp', '20-30', 'r1',"
" '<m1@x>', 'Hi', 'alice@x.org', 'Mon, 1 Jan 2024 00:00:00 +0000', 'hello');"
"INSERT INTO messages (id, evidence_id, session_id, source, frames, raw_sha256, subject, body_text)"
" VALUES (2, 1, 1, 'smtp', '40-41', 'r2', 'No id', 'x');"
"INSERT INTO addresses (id, message_id, role, name, addr) VALUES (1, 1, 'from', 'Alice', 'Alice@X.org');"
"INSERT INTO addresses (id, message_id, role, name, addr) VALUES (2, 1, 'to', NULL, 'bob@y.org');"
"INSERT INTO addresses (id, message_id, role, name, addr) VALUES (3, 2, 'from', NULL, 'carol@z.org');"
"INSERT INTO hops (id, message_id, idx, observed, parsed, raw, from_helo, from_ip, by_host)"
" VALUES (1, 1, 1, 1, 1, 'from client.x.org', 'client.x.org', '10.0.0.1', 'mx.y.org');"
"INSERT INTO routes (message_id, origin_host, origin_ip, forged_hops, verdict, flags) VALUES (1, 'client.x.org', '10.0.0.1', 0, 'chain-holds', NULL);"
"INSERT INTO artifacts (sha256, md5, sha1, size, path, detected_type, detected_desc) VALUES ('f1', 'm', 's', 5, 'artifacts/f1/f1', 'application/pdf', 'PDF');"
"INSERT INTO artifacts (sha256, md5, sha1, size, path, detected_type, detected_desc) VALUES ('r1', 'm', 's', 50, 'artifacts/r1/r1', 'message/rfc822', 'mail');"
"INSERT INTO artifact_refs (id, sha256, evidence_id, parent_kind, parent_id, role, declared_name)"
" VALUES (1, 'f1', 1, 'message', 1, 'attachment', 'a.pdf');"
"INSERT INTO artifact_refs (id, sha256, evidence_id, parent_kind, parent_id, role)"
" VALUES (2, 'r1', 1, 'message', 1, 'raw-message');"
/* the text body, stored as a file too: compared as the message's body */
"INSERT INTO artifacts (sha256, md5, sha1, size, path, detected_type, detected_desc)"
" VALUES ('b1', 'm', 's', 5, 'artifacts/b1/b1', 'text/plain', 'text');"
"INSERT INTO artifact_refs (id, sha256, evidence_id, parent_kind, parent_id, role)"
" VALUES (3, 'b1', 1, 'message', 1, 'body');";

/* Makes a case in tests/tmp/test_diff/name from the SQL; returns its path
 * (free it). */
static char *
diff_fixture(const char *name, const char *sql1, const char *sql2)
{
	char *dir = xstrdup(check_tmpdir(name)), *err = NULL;
	struct casedb *db = casedb_open(dir, true, &err);

	if (db == NULL) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	casedb_exec(db, sql1);
	if (sql2 != NULL)
		casedb_exec(db, sql2);
	casedb_close(db);
	return dir;
}

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

/* "only_a/only_b/both/altered" counts of every category, in order. */
static const char *
diff_counts(json_t *m)
{
	static char out[1024];
	size_t i, n = 0;
	json_t *c;

	out[0] = '\0';
	json_array_foreach(json_object_get(m, "categories"), i, c) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s %lld/%lld/%lld/%lld",
		    i ? "; " : "", json_string_value(json_object_get(c, "key")),
		    (long long)json_integer_value(json_object_get(c, "n_only_a")),
		    (long long)json_integer_value(json_object_get(c, "n_only_b")),
		    (long long)json_integer_value(json_object_get(c, "n_both")),
		    (long long)json_integer_value(json_object_get(c, "n_altered")));
	}
	return out;
}

TEST(same_evidence_same_findings)
{
	char *a = diff_fixture("same_a", diff_base_sql, NULL);
	/* Another run over the same evidence: other row numbers, paths, times
	 * and case details, the message seen twice (SMTP and a POP3 fetch),
	 * Message-ID written without brackets, addresses and hosts in other
	 * case: nothing of that is a difference. */
	char *b = diff_fixture("same_b", diff_base_sql,
	    "UPDATE meta SET value = 'Seizure two' WHERE key = 'case_title';"
	    "UPDATE runs SET started = 5000000, finished = 6000000, command_line = 'other';"
	    "UPDATE evidence SET path = 'copy/ev.pcap', abs_path = '/y/copy/ev.pcap';"
	    "UPDATE messages SET message_id = ' m1@x ' WHERE id = 1;"
	    "UPDATE addresses SET addr = 'BOB@Y.ORG' WHERE id = 2;"
	    "UPDATE hops SET from_helo = 'Client.X.Org.', by_host = 'MX.Y.ORG';"
	    "INSERT INTO messages (id, evidence_id, source, frames, raw_sha256, message_id, subject,"
	    " from_addr, date_raw, body_text) VALUES (7, 1, 'pop3', '90-99', 'r1b', '<m1@x>', 'Hi',"
	    " 'alice@x.org', 'Mon, 1 Jan 2024 00:00:00 +0000', 'hello');"
	    "INSERT INTO artifact_refs (id, sha256, evidence_id, parent_kind, parent_id, role,"
	    " declared_name) VALUES (9, 'f1', 1, 'message', 7, 'attachment', 'renamed.pdf');");
	json_t *m = diff_fixture_model(a, b, "en");

	CHECK(!diff_differs(m));
	CHECK(json_is_false(json_object_get(m, "differs")));
	CHECK_STR(diff_counts(m), "evidence 0/0/1/0; credentials 0/0/1/0; messages 0/0/2/0; "
	    "files 0/0/1/0; addresses 0/0/3/0; hosts 0/0/4/0; origins 0/0/1/0");
	CHECK_STR(diff_ids(m, "messages", "both"), "<m1@x>|SHA-256 r2");
	CHECK_STR(diff_ids(m, "addresses", "both"), "alice@x.org|bob@y.org|carol@z.org");
	CHECK_STR(diff_ids(m, "hosts", "both"), "10.0.0.1|10.0.0.2|client.x.org|mx.y.org");
	CHECK_STR(diff_ids(m, "origins", "both"), "client.x.org [10.0.0.1]");
	CHECK_STR(diff_ids(m, "files", "both"), "f1");          /* the raw message r1 is not a file */
	CHECK_STR(diff_ids(m, "credentials", "both"), "smtp alice / secret1");
	/* Case details are shown, side by side. */
	CHECK_STR(json_string_value(json_object_get(json_object_get(m, "a"), "case_title")),
	    "Seizure one");
	CHECK_STR(json_string_value(json_object_get(json_object_get(m, "b"), "case_title")),
	    "Seizure two");
	CHECK_STR(json_string_value(json_object_get(m, "generated")), "2023-11-14T22:13:20Z");
	/* Where each side found it. */
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "messages"), "both"), 0), "b_text")),
	    "found in: copy/ev.pcap frames 20-30, copy/ev.pcap frames 90-99; raw SHA-256: r1, r1b");
	json_decref(m);
	free(a);
	free(b);
}

TEST(differences_by_category)
{
	char *a = diff_fixture("diff_a", diff_base_sql, NULL);
	char *b = diff_fixture("diff_b", diff_base_sql,
	    /* the same Message-ID, another body and no attachment */
	    "UPDATE messages SET body_text = 'hello changed' WHERE id = 1;"
	    "DELETE FROM artifact_refs WHERE sha256 = 'f1';"
	    "DELETE FROM artifacts WHERE sha256 = 'f1';"
	    /* the same user, another password */
	    "UPDATE credentials SET secret = 'secret2';"
	    /* a second evidence file with one more message */
	    "INSERT INTO evidence (id, run_id, path, abs_path, type, size, md5, sha1, sha256, status)"
	    " VALUES (2, 1, 'spam.eml', '/x/spam.eml', 'eml', 10, 'm', 's',"
	    " 'bbbb000000000000000000000000000000000000000000000000000000000000', 'ok');"
	    "INSERT INTO messages (id, evidence_id, source, file_offset, raw_sha256, message_id,"
	    " subject, from_addr, body_text) VALUES (3, 2, 'eml', 0, 'r3', '<spam@evil>', 'Win',"
	    " 'Spammer@Evil.example', 'buy');"
	    "INSERT INTO addresses (id, message_id, role, name, addr) VALUES (4, 3, 'from', 'Spammer', 'Spammer@Evil.example');"
	    "INSERT INTO addresses (id, message_id, role, name, addr) VALUES (5, 3, 'to', NULL, 'bob@y.org');"
	    "INSERT INTO hops (id, message_id, idx, parsed, raw, from_helo, from_ip, by_host)"
	    " VALUES (2, 3, 1, 1, 'from [192.0.2.9]', '[192.0.2.9]', '192.0.2.9', 'MX.Y.ORG.');"
	    "INSERT INTO routes (message_id, origin_host, origin_ip, forged_hops, verdict, flags) VALUES (3, NULL, '192.0.2.9', 0, 'chain-holds', NULL);");
	json_t *m = diff_fixture_model(a, b, "en"), *alt, *ch;

	CHECK(diff_differs(m));
	CHECK(json_is_true(json_object_get(m, "differs")));
	CHECK_STR(diff_counts(m), "evidence 0/1/1/0; credentials 1/1/0/0; messages 0/1/1/1; "
	    "files 1/0/0/0; addresses 0/1/3/0; hosts 0/1/4/0; origins 0/1/1/0");
	CHECK_STR(diff_ids(m, "evidence", "only_b"),
	    "bbbb000000000000000000000000000000000000000000000000000000000000");
	CHECK_STR(diff_ids(m, "credentials", "only_a"), "smtp alice / secret1");
	CHECK_STR(diff_ids(m, "credentials", "only_b"), "smtp alice / secret2");
	CHECK_STR(diff_ids(m, "messages", "only_b"), "<spam@evil>");
	CHECK_STR(diff_ids(m, "messages", "altered"), "<m1@x>");
	CHECK_STR(diff_ids(m, "messages", "both"), "SHA-256 r2");
	CHECK_STR(diff_ids(m, "files", "only_a"), "f1");
	CHECK_STR(diff_ids(m, "addresses", "only_b"), "spammer@evil.example");
	CHECK_STR(diff_ids(m, "hosts", "only_b"), "192.0.2.9");
	CHECK_STR(diff_ids(m, "origins", "only_b"), "[192.0.2.9]");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "hosts"), "only_b"), 0), "kind")), "ip");
	/* The altered message, side by side: body and attachments changed. */
	alt = json_array_get(json_object_get(diff_cat(m, "messages"), "altered"), 0);
	ch = json_object_get(alt, "changes");
	CHECK_INT(json_array_size(ch), 2);
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 0), "field")), "body");
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 0), "a")),
	    "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824: hello");
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 1), "field")), "attachments");
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 1), "a")), "f1");
	CHECK_STR(json_string_value(json_object_get(json_array_get(ch, 1), "b")), "");
	CHECK_STR(json_string_value(json_object_get(alt, "a_text")),
	    "found in: ev.pcap frames 20-30; raw SHA-256: r1");
	/* Provenance of what only B holds. */
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "messages"), "only_b"), 0), "b_text")),
	    "found in: spam.eml offset 0; raw SHA-256: r3");
	CHECK(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "messages"), "only_b"), 0), "a") == NULL);
	json_decref(m);

	/* Swapped, the same items are only in A. */
	m = diff_fixture_model(b, a, "ko");
	CHECK_STR(diff_counts(m), "evidence 1/0/1/0; credentials 1/1/0/0; messages 1/0/1/1; "
	    "files 0/1/0/0; addresses 1/0/3/0; hosts 1/0/4/0; origins 1/0/1/0");
	CHECK_STR(json_string_value(json_object_get(diff_cat(m, "messages"), "title")), "메시지");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "messages"), "only_a"), 0), "a_text")),
	    "발견 위치: spam.eml 오프셋 0; 원본 SHA-256: r3");
	json_decref(m);
	free(a);
	free(b);
}

TEST(verdict_change_is_altered)
{
	char *a = diff_fixture("verdict_a", diff_base_sql, NULL);
	char *b = diff_fixture("verdict_b", diff_base_sql,
	    "UPDATE credentials SET verdict = 'rejected', protocol = 'SMTP';");
	json_t *m = diff_fixture_model(a, b, "en"), *ch;

	CHECK_STR(diff_ids(m, "credentials", "altered"), "smtp alice / secret1");
	ch = json_array_get(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "credentials"), "altered"), 0), "changes"), 0);
	CHECK_STR(json_string_value(json_object_get(ch, "a")), "accepted");
	CHECK_STR(json_string_value(json_object_get(ch, "b")), "rejected");
	CHECK_STR(json_string_value(json_object_get(ch, "title")), "server's verdict");
	json_decref(m);
	free(a);
	free(b);
}

TEST(hostile_bytes_and_long_bodies)
{
	char *a = diff_fixture("hostile_a", diff_base_sql, NULL);
	/* Bytes that are not UTF-8 in a Message-ID, a subject and a file
	 * name; a long Korean body that the excerpt must cut between
	 * characters. */
	char *b = diff_fixture("hostile_b", diff_base_sql,
	    "INSERT INTO messages (id, evidence_id, source, raw_sha256, message_id, subject)"
	    " VALUES (5, 1, 'smtp', 'r5', CAST(X'3C61FF40783E' AS TEXT), CAST(X'C0AF' AS TEXT));"
	    "UPDATE artifact_refs SET declared_name = CAST(X'612EFE' AS TEXT) WHERE id = 1;"
	    "UPDATE messages SET body_text = '가나가나가나가나가나가나가나가나가나가나"
	    "가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나가나' WHERE id = 1;");
	json_t *m = diff_fixture_model(a, b, "en"), *ch;
	char *s;

	CHECK(m != NULL);
	CHECK_STR(diff_ids(m, "messages", "only_b"), "<a\\xff@x>");
	CHECK_STR(json_string_value(json_array_get(json_object_get(json_object_get(json_array_get(
	    json_object_get(diff_cat(m, "messages"), "only_b"), 0), "b"), "subject"), 0)), "\\xc0\\xaf");
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "files"), "both"), 0), "b_text")),
	    "declared name: a.\\xfe; detected type: application/pdf; bytes: 5");
	ch = json_array_get(json_object_get(json_array_get(json_object_get(
	    diff_cat(m, "messages"), "altered"), 0), "changes"), 0);
	CHECK_STR(json_string_value(json_object_get(ch, "field")), "body");
	CHECK_STR(json_string_value(json_object_get(ch, "b")),
	    "bcd94f7cc8bebe3f0f510fbe77accc492dc6973b6b47171719ede7116872a4c4: 가나가나가나가나가나가나가나가나가나가나가나가나가나...");
	/* The whole model serialises: every string is valid UTF-8. */
	s = json_dumps(m, 0);
	CHECK(s != NULL);
	free(s);
	json_decref(m);
	free(a);
	free(b);
}

static int
diff_run(int n, const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = { (char *)"diff", (char *)a0, (char *)a1, (char *)a2, (char *)a3,
	    (char *)a4, NULL };
	int rc, out, err, null = open("/dev/null", O_WRONLY);

	/* The summary and the complaints go to stdout and stderr; keep the
	 * test's output to its PASS/FAIL lines. */
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	err = dup(2);
	dup2(null, 1);
	dup2(null, 2);
	rc = cli_diff_main(n, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	return rc;
}

TEST(exit_status_and_files)
{
	char *a = diff_fixture("cli_a", diff_base_sql, NULL);
	char *b = diff_fixture("cli_b", diff_base_sql, "UPDATE messages SET subject = 'Hey' WHERE id = 2;");
	char *out = xstrdup(check_tmpdir("cli_out")), *o1, *o2, *o3, *json, *md;
	json_t *j;
	struct stat st;

	o1 = xasprintf("%s/same", out);
	o2 = xasprintf("%s/differ", out);
	o3 = xasprintf("%s/bad", out);
	CHECK_INT(diff_run(5, a, a, "-o", o1, NULL), 0);
	CHECK_INT(diff_run(5, a, b, "-o", o2, NULL), 1);
	json = xasprintf("%s/diff.json", o2);
	j = json_load_file(json, 0, NULL);
	CHECK(j != NULL);
	CHECK(json_is_true(json_object_get(j, "differs")));
	CHECK_STR(diff_ids(j, "messages", "altered"), "SHA-256 r2");
	json_decref(j);
	/* The same model through the templates: Markdown and the HTML page. */
	free(json);
	json = xasprintf("%s/diff.md", o2);
	md = check_slurp(json, NULL);
	CHECK(md != NULL);
	CHECK(strstr(md, "**Result: the cases differ.**") != NULL);
	CHECK(strstr(md, "| Messages | 0 | 0 | 1 | 1 |") != NULL);
	CHECK(strstr(md, "| SHA-256 r2 | subject | No id | Hey |") != NULL);
	free(md);
	free(json);
	json = xasprintf("%s/diff.html", o2);
	md = check_slurp(json, NULL);
	CHECK(md != NULL);
	CHECK(strstr(md, "<td>No id</td>") != NULL);
	free(md);
	/* Nothing is overwritten. */
	CHECK_INT(diff_run(5, a, b, "-o", o2, NULL), 2);
	/* Trouble: a folder that is no case, one case, an unknown option. */
	CHECK_INT(diff_run(5, a, out, "-o", o3, NULL), 2);
	CHECK_INT(diff_run(2, a, NULL, NULL, NULL, NULL), 2);
	CHECK_INT(diff_run(6, a, b, "--frobnicate", "-o", o3), 2);
	CHECK_INT(diff_run(6, a, b, "--lang=fr", "-o", o3), 2);
	CHECK_INT(diff_run(2, "--help", NULL, NULL, NULL, NULL), 0);
	CHECK(stat(o3, &st) != 0);          /* nothing written on trouble */
	free(o3);
	free(json);
	free(o2);
	free(o1);
	free(out);
	free(a);
	free(b);
}

int
main(void)
{
	/* The templates of the source tree (tests run from its top). */
	setenv("MAILCASE_TEMPLATES", "templates", 1);
	RUN(same_evidence_same_findings);
	RUN(differences_by_category);
	RUN(verdict_change_is_altered);
	RUN(hostile_bytes_and_long_bodies);
	RUN(exit_status_and_files);

	return check_done();
}
