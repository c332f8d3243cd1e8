/* test_render.c - the report files of a tiny case database filled here
 * with a few rows, many of them hostile text "from evidence": golden
 * report.md and report.json (tests/golden/render/, byte-identical with the
 * generated-at time pinned), hostile strings inert in Markdown and HTML,
 * SHA256SUMS checked by sha256sum(1), CSV quoting, the Korean set, and a
 * template error naming file and line.
 *
 * After a deliberate change of the templates or the model, regenerate the
 * golden files with MC_GOLDEN_UPDATE=1 and review the diff. */
#include "check.h"
#include "report/html.h"
#include "report/model.h"
#include "report/render.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HOSTILE "x](javascript:alert(1)) <script>alert(2)</script> | ![i](http://evil.example/p.png)\n# h *b* `c` &amp; <img src=http://evil.example/q>"

/* 2009-10-10T13:40:00Z */
#define GENERATED_US INT64_C(1255182000000000)

static void
fill(struct casedb *db)
{
	sqlite3_stmt *st;
	char *dir;
	FILE *fp;

	casedb_meta_set(db, "case_title", "Case <b>|1|</b>");
	casedb_meta_set(db, "case_number", "2009-558");
	casedb_meta_set(db, "examiner", "J. Examiner");
	casedb_meta_set(db, "agency", "Agency [x](javascript:y)");
	casedb_exec(db, "INSERT INTO runs VALUES (1, 'mailcase report -o c e.pcap', '0.1', 1255182000000000,"
	    " 1255182001000000, 0, 'report', 'J. Examiner', NULL, NULL, 'new')");
	casedb_exec(db, "INSERT INTO evidence (id, run_id, path, abs_path, type, detail, size, md5, sha1,"
	    " sha256, first_us, last_us, packets, link_types, status, after_sha256, after_match) VALUES"
	    " (1, 1, 'cases/e|vil.pcap', '/x/cases/e|vil.pcap', 'pcap', 'pcap, microsecond', 335144,"
	    " 'cfac149a49175ac8e89d5b5b5d69bad3', 'cc649705cef9f42fd2ecd6f5b949d5b7c4901c3d',"
	    " '290f495df4d30038e0db638ac9a0ee24afd9c708acbf1bd86bec9f0c45fc061c', 1255181648112737,"
	    " 1255181902861997, 572, 'Ethernet', 'ok',"
	    " '290f495df4d30038e0db638ac9a0ee24afd9c708acbf1bd86bec9f0c45fc061c', 1)");
	st = casedb_prepare(db, "INSERT INTO log (run_id, evidence_id, level, code, source, position, message)"
	    " VALUES (1, 1, 'warn', 'tcp.gap', 'cases/e|vil.pcap', 'frame 9', ?)");
	casedb_bind_text(st, 1, HOSTILE);
	casedb_step_done(db, st);
	sqlite3_finalize(st);
	casedb_exec(db, "INSERT INTO flows (id, evidence_id, flow_no, cli_ip, cli_port, srv_ip, srv_port,"
	    " syn_seen, first_us, last_us, first_frame, last_frame, pkts_c2s, pkts_s2c, bytes_c2s, bytes_s2c,"
	    " payload_c2s, payload_s2c, retransmissions, gaps, gap_bytes, conflicts, app, end_reason) VALUES"
	    " (1, 1, 1, '192.168.1.159', 1036, '64.12.102.142', 587, 1, 1255181713000000, 1255181730000000,"
	    " 53, 88, 10, 10, 1000, 1000, 500, 500, 0, 0, 0, 0, 'smtp', 'fin')");
	casedb_exec(db, "INSERT INTO sessions (id, flow_id, evidence_id, protocol, greeting, server_name,"
	    " client_name, capabilities, first_us, last_us, messages) VALUES (1, 1, 1, 'smtp',"
	    " '220 mx ESMTP', 'mx', 'annlaptop', 'AUTH=LOGIN PLAIN, STARTTLS, CHUNKING', 1255181714000000,"
	    " 1255181730000000, 0)");
	casedb_exec(db, "INSERT INTO transcript (session_id, seq, dir, ts_us, frames, stream_off, line) VALUES"
	    " (1, 1, 'S', 1255181714000000, '56', 0, '220 mx ESMTP'),"
	    " (1, 2, 'C', 1255181715000000, '60', 0, 'AUTH LOGIN'),"
	    " (1, 3, 'S', 1255181716000000, '62', 14, '334 VXNlcm5hbWU6'),"
	    " (1, 4, 'S', 1255181717000000, '68', 34, '235 AUTHENTICATION SUCCESSFUL'),"
	    " (1, 5, 'C', 1255181718000000, '83', 30, 'QUIT'),"
	    /* Bytes that are not UTF-8 (a binary line): kept, shown as \xNN. */
	    " (1, 6, 'C', 1255181719000000, '84', 36, CAST(X'4e4f4f5020fffe41' AS TEXT))");
	st = casedb_prepare(db, "INSERT INTO credentials (session_id, protocol, mechanism, username, secret,"
	    " secret_kind, verdict, reply, frames, ts_us, client, server) VALUES (1, 'smtp', 'LOGIN', ?, ?,"
	    " 'password', 'accepted', '235', '63, 66', 1255181716500000, '192.168.1.159:1036', '64.12.102.142:587')");
	casedb_bind_text(st, 1, HOSTILE);
	casedb_bind_text(st, 2, "=cmd|' /C calc'!A0");
	casedb_step_done(db, st);
	sqlite3_finalize(st);
	/* One extracted file, as artstore writes it. */
	dir = xasprintf("%s/artifacts/ab", casedb_dir(db));
	mkdir(dir, 0755);
	free(dir);
	dir = xasprintf("%s/artifacts/ab/ab00", casedb_dir(db));
	fp = fopen(dir, "wb");
	if (fp != NULL) {
		fputs("extracted\n", fp);
		fclose(fp);
	}
	free(dir);
}

static char *
read_in(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name), *s = check_slurp(p, NULL);

	free(p);
	return s;
}

static bool
golden(const char *got, const char *name)
{
	char *path = xasprintf("tests/golden/render/%s", name), *want;
	bool same;

	if (getenv("MC_GOLDEN_UPDATE") != NULL) {
		FILE *fp;

		mkdir("tests/golden", 0755);
		mkdir("tests/golden/render", 0755);
		fp = fopen(path, "wb");
		if (fp != NULL) {
			fputs(got, fp);
			fclose(fp);
		}
	}
	want = check_slurp(path, NULL);
	same = want != NULL && strcmp(want, got) == 0;
	if (!same)
		fprintf(stderr, "%s differs: diff it with the test's output under tests/tmp\n", path);
	free(want);
	free(path);
	return same;
}

static bool
render_case(const char *dir, const char *lang, const char *tz, char **err)
{
	struct model_opts mo = { .lang = lang, .command_line = "mailcase report -o c 'e|vil.pcap'",
	    .generated_us = GENERATED_US, .timezone = tz };
	char *tdir = xasprintf("templates/%s", lang);
	struct render_opts ro = { .templates_dir = tdir };
	struct casedb *db = casedb_open(dir, false, err);
	json_t *model;
	bool ok;

	if (db == NULL)
		return false;
	model = model_build(db, &mo);
	ok = render_report(db, model, &ro, err);
	json_decref(model);
	casedb_close(db);
	free(tdir);
	return ok;
}

static const char *
make_case(const char *name)
{
	const char *dir = check_tmpdir(name);
	char *err = NULL;
	struct casedb *db = casedb_open(dir, true, &err);

	if (db == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return NULL;
	}
	fill(db);
	casedb_close(db);
	return dir;
}

TEST(golden_and_inert)
{
	const char *dir = make_case("en");
	char *err = NULL, *rdir, *md, *html, *json, *cmd;

	CHECK(dir != NULL);
	CHECK(render_case(dir, "en", NULL, &err));
	rdir = xasprintf("%s/report", dir);
	md = read_in(rdir, "report.md");
	html = read_in(rdir, "report.html");
	json = read_in(rdir, "report.json");
	CHECK(md != NULL && html != NULL && json != NULL);
	CHECK(golden(md, "report.md"));
	CHECK(golden(json, "report.json"));
	/* Hostile text is inert: no live markup, no link, no external image. */
	CHECK(strstr(html, "<script") == NULL);
	CHECK(strstr(html, "href=\"javascript:") == NULL);
	CHECK(strstr(html, "src=\"http") == NULL);
	CHECK(strstr(html, "<img src=http") == NULL);
	CHECK(strstr(html, "&lt;script&gt;alert(2)&lt;/script&gt;") != NULL);
	CHECK(strstr(html, "Content-Security-Policy") != NULL);
	/* The case number at the foot of every printed page. */
	CHECK(strstr(html, "@bottom-left { content: \"Case 2009-558\";") != NULL);
	/* A transcript line that is not UTF-8 is shown, not dropped. */
	CHECK(strstr(json, "\"line\": \"NOOP \\\\xFF\\\\xFEA\"") != NULL);
	/* The hostile user name stays in one table cell of its row. */
	CHECK(strstr(md, "x\\](javascript:alert(1)) \\<script>alert(2)\\</script> \\| !\\[i\\]"
	    "(http://evil.example/p.png)\xe2\x8f\x8e\\# h \\*b\\* \\`c\\` \\&amp; \\<img") != NULL);
	/* No mail messages in this case, but a session: the summary does not
	 * claim "no mail". */
	CHECK(strstr(md, "No SMTP, POP3 or IMAP traffic") == NULL);
	CHECK(strstr(md, "| 235 | Login accepted") != NULL);
	CHECK(strstr(md, "| port 587 |") != NULL);
	CHECK(strstr(md, "| CHUNKING |") != NULL);
	CHECK(strstr(md, "| PIPELINING |") == NULL);
	cmd = xasprintf("cd '%s' && sha256sum -c --quiet SHA256SUMS", rdir);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(md);
	md = read_in(rdir, "SHA256SUMS");
	CHECK(strstr(md, "  ../artifacts/ab/ab00\n") != NULL);
	CHECK(strstr(md, "  report.html\n") != NULL);
	CHECK(strstr(md, "  timeline.csv\n") != NULL);
	free(md);
	/* CSV: quoted cells, formula guard. */
	md = read_in(rdir, "credentials.csv");
	CHECK(md != NULL);
	CHECK(strstr(md, ",'=cmd|' /C calc'!A0,") != NULL);
	CHECK(strstr(md, "\"x](javascript:alert(1)) <script>alert(2)</script> | ![i](http://evil.example/p.png)\n# h") != NULL);
	/* A UTF-8 byte order mark, then headings a person reads, in a fixed
	 * order, with no template keys. */
	CHECK(strncmp(md, "\xEF\xBB\xBFNo.,Protocol,Mechanism,Authorization identity,User,Domain,"
	    "Workstation,Secret,Kind of secret,Cracking hash line (hashcat format),Details,"
	    "Server's verdict,Server reply,Frames,Time (UTC),Client,Server,Evidence file\r\n", 216) == 0);
	free(md);
	md = read_in(rdir, "log.csv");
	CHECK(md != NULL);
	CHECK(strncmp(md, "\xEF\xBB\xBFNo.,Level,Code,Finding,File,Position,Message\r\n1,warning,", 59) == 0);
	free(md);
	/* A second render is byte-identical. */
	CHECK(render_case(dir, "en", NULL, &err));
	md = read_in(rdir, "report.md");
	CHECK(golden(md, "report.md"));
	free(md);
	free(html);
	free(json);
	free(rdir);
}

TEST(korean_and_timezone)
{
	const char *dir = make_case("ko");
	char *err = NULL, *md, *p, *line;

	CHECK(dir != NULL);
	CHECK(render_case(dir, "ko", "Asia/Seoul", &err));
	p = xasprintf("%s/report/report.md", dir);
	md = check_slurp(p, NULL);
	free(p);
	CHECK(md != NULL);
	/* Every section title holds Korean (UTF-8 lead bytes EA..ED). */
	for (line = md; line != NULL; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, "## ", 3) == 0) {
			const char *e = strchr(line, '\n'), *q;
			bool hangul = false;

			for (q = line; q < e; q++)
				hangul = hangul || ((unsigned char)*q >= 0xea && (unsigned char)*q <= 0xed);
			if (!hangul)
				fprintf(stderr, "English title: %.*s\n", (int)(e - line), line);
			CHECK(hangul);
		}
	}
	/* 13:35:14Z is 22:35:14 in Seoul. */
	CHECK(strstr(md, "| 2009-10-10T13:35:14Z | 2009-10-10T22:35:14+09:00 |") != NULL);
	CHECK(strstr(md, "| 235 | 로그인 성공") != NULL);
	free(md);
	/* The CSV headings in Korean too, the values' labels as well. */
	p = xasprintf("%s/report/credentials.csv", dir);
	md = check_slurp(p, NULL);
	free(p);
	CHECK(md != NULL);
	CHECK(strncmp(md, "\xEF\xBB\xBF번호,프로토콜,인증 방식,", 3 + 34) == 0);
	CHECK(strstr(md, "크래킹용 해시 문자열(hashcat 형식)") != NULL);
	CHECK(strstr(md, ",비밀번호,") != NULL);
	free(md);
}

TEST(template_error_names_file_and_line)
{
	char *dir = xstrdup(make_case("err"));   /* check_tmpdir's buffer is reused */
	const char *tdir = check_tmpdir("err-templates");
	char *err = NULL, *p;
	struct casedb *db = casedb_open(dir, false, &err);

	free(dir);
	struct model_opts mo = { .lang = "en", .command_line = "x", .generated_us = GENERATED_US };
	struct render_opts ro = { .templates_dir = tdir };
	json_t *model;
	FILE *fp;

	CHECK(db != NULL);
	p = xasprintf("%s/report.md.mustache", tdir);
	fp = fopen(p, "wb");
	CHECK(fp != NULL);
	fputs("# R\n\n{{#evidence}}\n{{name}}\n", fp);
	fclose(fp);
	model = model_build(db, &mo);
	CHECK(!render_report(db, model, &ro, &err));
	json_decref(model);
	casedb_close(db);
	CHECK(err != NULL && strstr(err, "report.md.mustache:3: section not closed: 'evidence'") != NULL);
	free(err);
	free(p);
}

TEST(html_fragment)
{
	const char *md = "# T\n\n## One\n\n### Sub `x`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
	    "<script>x</script>\n\n[l](javascript:alert(1)) ![i](data:text/html,x)\n";
	char *h = html_from_markdown(md, strlen(md));

	CHECK(strstr(h, "<h2 id=\"s1\">One</h2>") != NULL);
	CHECK(strstr(h, "<h3 id=\"s2\">Sub <code>x</code></h3>") != NULL);
	CHECK(strstr(h, "<table>") != NULL);
	CHECK(strstr(h, "<script") == NULL);
	CHECK(strstr(h, "javascript:") == NULL);
	CHECK(strstr(h, "data:text/html") == NULL);
	free(h);
	/* Long runs in table cells get break points: a hash in a monospace
	 * span, in two groups of 32 (in text too), a path at its folders; a
	 * timestamp in a span that never breaks; an address and code stay
	 * whole. */
	md = "| h | p | t | c |\n|---|---|---|---|\n"
	    "| 7467bb8bee5d7995352218a902fe86185f46b019940afa4b7e41f702d90a8c36 "
	    "| artifacts/74/7467bb8bee5d7995 | 2009-10-10T13:35:30.400000Z j.doe@example.net |"
	    " `aaaaaaaaaaaaaaaaaaaaaaaa/b` |\n\n"
	    "7467bb8bee5d7995352218a902fe86185f46b019940afa4b7e41f702d90a8c36\n";
	h = html_from_markdown(md, strlen(md));
	CHECK(strstr(h, "<td><span class=\"hex\">7467bb8bee5d7995352218a902fe8618<wbr>"
	    "5f46b019940afa4b7e41f702d90a8c36</span></td>") != NULL);
	CHECK(strstr(h, "<td>artifacts/<wbr>74/<wbr>7467bb8bee5d7995</td>") != NULL);
	CHECK(strstr(h, "<td><span class=\"ts\">2009-10-10T13:35:30.400000Z</span> j.doe@example.net</td>") != NULL);
	CHECK(strstr(h, "<code>aaaaaaaaaaaaaaaaaaaaaaaa/b</code>") != NULL);
	CHECK(strstr(h, "<p><span class=\"hex\">7467bb8bee5d7995352218a902fe8618<wbr>"
	    "5f46b019940afa4b7e41f702d90a8c36</span></p>") != NULL);
	free(h);
	/* Not a digest: 31 or 33 digits, or digits inside a word. */
	md = "x 7467bb8bee5d7995352218a902fe861 7467bb8bee5d7995352218a902fe86185 "
	    "g7467bb8bee5d7995352218a902fe8618 2009-10-10x\n";
	h = html_from_markdown(md, strlen(md));
	CHECK(strstr(h, "class=") == NULL);
	free(h);
	/* Links between the report's pages point at .html in the HTML; links
	 * to extracted files and to anything else are left as they are. */
	md = "[a](report.md) [b](../report.md#s3) [c](messages/page-0002.md) [d](page-0010.md)"
	    " [e](../extracted/0001-report.md) [f](../extracted/page-0001.md.txt)"
	    " [g](https://example.com/report.md) [h](page-.md) [i](report.mdx)\n";
	h = html_from_markdown(md, strlen(md));
	CHECK(strstr(h, "href=\"report.html\"") != NULL);
	CHECK(strstr(h, "href=\"../report.html#s3\"") != NULL);
	CHECK(strstr(h, "href=\"messages/page-0002.html\"") != NULL);
	CHECK(strstr(h, "href=\"page-0010.html\"") != NULL);
	CHECK(strstr(h, "href=\"../extracted/0001-report.md\"") != NULL);
	CHECK(strstr(h, "href=\"../extracted/page-0001.md.txt\"") != NULL);
	CHECK(strstr(h, "href=\"https://example.com/report.md\"") != NULL);
	CHECK(strstr(h, "href=\"page-.md\"") != NULL);
	CHECK(strstr(h, "href=\"report.mdx\"") != NULL);
	free(h);
}

int
main(void)
{
	RUN(golden_and_inert);
	RUN(korean_and_timezone);
	RUN(template_error_names_file_and_line);
	RUN(html_fragment);
	return check_done();
}
