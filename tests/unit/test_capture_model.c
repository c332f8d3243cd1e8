/* Unit tests of the flows section of the report: store/db_flows.c rows,
 * report/model_flows.c (keys, end-reason flags, timeline events and their
 * limit) and the en/ko templates rendered from the model. */
#include "check.h"

#include "report/model.h"
#include "report/mustache.h"
#include "store/casedb.h"
#include "store/db_flows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Until report/model.c is in every tree, weak stand-ins with the same output
 * keep this test linkable; the real ones win when they exist. */
__attribute__((weak)) void
model_timeline_add(json_t *root, int64_t us, const char *kind, const char *text,
    const char *source)
{
	json_t *tl = json_object_get(root, "timeline"), *e;

	if (!json_is_array(tl)) {
		tl = json_array();
		json_object_set_new(root, "timeline", tl);
	}
	e = json_object();
	json_object_set_new(e, "time_us", json_integer((json_int_t)us));
	json_object_set_new(e, "kind", json_string(kind));
	json_object_set_new(e, "text", json_string(text));
	json_object_set_new(e, "source", json_string(source));
	json_array_append_new(tl, e);
}

__attribute__((weak)) json_t *
model_time(int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char s[40];

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(s);
}

static void
put_flow(struct casedb *db, uint64_t no, const char *cli, const char *srv, uint16_t sport,
    const char *app, const char *end, int64_t first_us, uint32_t ff, uint32_t lf)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	f.id = no;
	f.evidence_id = 1;
	snprintf(f.cli_ip, sizeof(f.cli_ip), "%s", cli);
	snprintf(f.srv_ip, sizeof(f.srv_ip), "%s", srv);
	f.cli_port = 40000;
	f.srv_port = sport;
	f.syn_seen = no != 2;
	f.first_us = first_us;
	f.last_us = first_us + 5000000;
	f.first_frame.frame = ff;
	f.last_frame.frame = lf;
	f.pkts[0] = 7;
	f.pkts[1] = 6;
	snprintf(f.app, sizeof(f.app), "%s", app);
	f.end = end;
	db_flow_add(db, &f);
}

static const char *
jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

TEST(flows_model_and_templates)
{
	char *err = NULL, *md;
	struct casedb *db = casedb_open(check_tmpdir("model"), true, &err);
	struct model_opts o = { "en", "test", 0, false, NULL };
	json_t *root = json_object(), *flows, *tl, *f, *e;
	const int64_t t0 = 1255181648000000LL;     /* 2009-10-10T13:34:08Z */
	static const char *const ends[] = { "rst", "timeout", "port reuse", "" };

	CHECK(db != NULL);
	casedb_exec(db, "INSERT INTO runs (id, command_line, tool_version, started, finished, status, command, db_before_state)"
	    " VALUES (1, 'mailcase report', '0.1', 1, 2, 0, 'report', 'new');"
	    "INSERT INTO evidence (id, run_id, path, abs_path, type, size, md5, sha1, sha256, status)"
	    " VALUES (1, 1, 'cases/x/evidence02.pcap', '/cases/x/evidence02.pcap', 'pcap', 1, 'm',"
	    " 's', 'aa', 'ok');");
	put_flow(db, 1, "2001:db8::1", "2001:db8::2", 587, "smtp", "fin", t0, 53, 88);
	put_flow(db, 2, "10.0.0.1", "10.0.0.2", 80, "", "end of capture", t0 + 1000000, 2, 500);
	for (uint64_t i = 3; i <= 203; i++)
		put_flow(db, i, "10.0.0.1", "10.0.0.3", 443, "", ends[i % 4], t0 + (int64_t)i * 1000000,
		    (uint32_t)i * 10, (uint32_t)i * 10 + 5);
	model_flows(db, root, &o);

	CHECK_INT(json_integer_value(json_object_get(root, "flows_count")), 203);
	CHECK_INT(json_integer_value(json_object_get(root, "flows_mail")), 1);
	CHECK_INT(json_integer_value(json_object_get(root, "flows_idle_timeout_min")), 10);
	CHECK_INT(json_integer_value(json_object_get(root, "flows_timeline_other_max")), 200);
	CHECK_INT(json_integer_value(json_object_get(root, "flows_timeline_omitted")), 2);
	CHECK(json_is_true(json_object_get(root, "flows_timeline_omitted_any")));
	flows = json_object_get(root, "flows");
	CHECK_INT(json_array_size(flows), 203);
	f = json_array_get(flows, 0);
	CHECK_STR(jstr(f, "client"), "[2001:db8::1]:40000");
	CHECK_STR(jstr(f, "server"), "[2001:db8::2]:587");
	CHECK_STR(jstr(f, "protocol"), "SMTP");
	CHECK_STR(jstr(f, "frames"), "53-88");
	CHECK_STR(jstr(f, "end"), "fin");
	CHECK(json_is_true(json_object_get(f, "end_fin")));
	CHECK(json_is_false(json_object_get(f, "end_rst")));
	CHECK(json_is_false(json_object_get(f, "end_other")));
	CHECK(json_is_true(json_object_get(json_array_get(flows, 1), "end_capture")));
	CHECK(json_is_true(json_object_get(json_array_get(flows, 2), "end_other")));     /* 3: "" */
	CHECK(json_is_true(json_object_get(json_array_get(flows, 3), "end_rst")));       /* 4 */
	CHECK(json_is_true(json_object_get(json_array_get(flows, 4), "end_timeout")));   /* 5 */
	CHECK(json_is_true(json_object_get(json_array_get(flows, 5), "end_reuse")));     /* 6 */

	/* Mail flow 1 and other flows 2-201: a start and an end each. */
	tl = json_object_get(root, "timeline");
	CHECK_INT(json_array_size(tl), 2 * 201);
	e = json_array_get(tl, 0);
	CHECK_STR(jstr(e, "kind"), "tcp");
	CHECK_INT(json_integer_value(json_object_get(e, "time_us")), t0);
	CHECK_STR(jstr(e, "text"), "SMTP TCP flow 1 [2001:db8::1]:40000 -> [2001:db8::2]:587 begins (SYN)");
	CHECK_STR(jstr(e, "source"), "evidence02.pcap frame 53");
	e = json_array_get(tl, 1);
	CHECK_INT(json_integer_value(json_object_get(e, "time_us")), t0 + 5000000);
	CHECK_STR(jstr(e, "text"), "SMTP TCP flow 1 [2001:db8::1]:40000 -> [2001:db8::2]:587 ends (fin)");
	CHECK_STR(jstr(e, "source"), "evidence02.pcap frame 88");
	e = json_array_get(tl, 2);
	CHECK_STR(jstr(e, "text"), "TCP flow 2 10.0.0.1:40000 -> 10.0.0.2:80 begins"
	    " (already open when the capture began)");
	e = json_array_get(tl, 3);
	CHECK_STR(jstr(e, "text"), "TCP flow 2 10.0.0.1:40000 -> 10.0.0.2:80: last packet"
	    " (still open at the end of the capture)");
	CHECK_STR(jstr(e, "source"), "evidence02.pcap frame 500");
	e = json_array_get(tl, 401);
	CHECK_STR(jstr(e, "text"), "TCP flow 201 10.0.0.1:40000 -> 10.0.0.3:443 ends (timeout)");

	md = mustache_render_file("templates/ko", "flows.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL);
	CHECK(strstr(md, "## 네트워크 흐름") != NULL);
	CHECK(strstr(md, "| 1 | evidence02.pcap | \\[2001:db8::1\\]:40000 |") != NULL ||
	    strstr(md, "| 1 | evidence02.pcap | [2001:db8::1]:40000 |") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | 정상 종료(FIN) |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | 캡처 종료 시 열림 |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | 강제 종료(RST) |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | 유휴 시간 초과 |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | 포트 재사용 |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 |  |\n") != NULL);                  /* no end recorded */
	CHECK(strstr(md, "10분 동안 패킷이 없어") != NULL);
	CHECK(strstr(md, "처음 200개의 시작과 종료") != NULL);
	CHECK(strstr(md, "나머지 흐름 2개는 아래 표에만 있고 타임라인에서는 제외했습니다.") != NULL);
	CHECK(strstr(md, "| fin |") == NULL && strstr(md, "timeout |") == NULL &&
	    strstr(md, "end of capture") == NULL && strstr(md, "other") == NULL);
	free(md);
	md = mustache_render_file("templates/en", "flows.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | FIN |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | open at end of capture |\n") != NULL);
	CHECK(strstr(md, "| 0 (0) | 0 | idle timeout |\n") != NULL);
	CHECK(strstr(md, "no packet for 10 minutes") != NULL);
	CHECK(strstr(md, "The other 2 flows are listed below but left out of the timeline.") != NULL);
	free(md);

	/* Under the limit, the sentence about left-out flows is absent. */
	json_decref(root);
	root = json_object();
	casedb_exec(db, "DELETE FROM flows WHERE flow_no > 100");
	model_flows(db, root, &o);
	CHECK_INT(json_array_size(json_object_get(root, "timeline")), 200);
	CHECK(json_is_false(json_object_get(root, "flows_timeline_omitted_any")));
	md = mustache_render_file("templates/ko", "flows.md.mustache", root, mustache_escape_markdown, &err);
	CHECK(md != NULL);
	CHECK(strstr(md, "나머지 흐름") == NULL);
	free(md);
	json_decref(root);
	casedb_close(db);
}

int
main(void)
{
	RUN(flows_model_and_templates);
	return check_done();
}
