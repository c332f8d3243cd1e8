/* test_svg.c - the HTML report's pictures (report/svg.c): a fixed 4-hop
 * route against tests/golden/svg/route-4hops.svg byte for byte (regenerate
 * with MC_GOLDEN_UPDATE=1 and review the diff), a message timeline, hostile
 * host names that stay text (no element, attribute or bidi override of
 * theirs reaches the page), the ceiling on hops drawn, and the placing of
 * the pictures into cmark's HTML. */
#include "check.h"
#include "report/svg.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static json_t *
hop(int no, const char *from, const char *ip, const char *by, const char *time, const char *delay,
    const char *trust, bool flagged)
{
	json_t *h = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[]}", "no", no, "from", from,
	    "ip", ip, "by", by, "by_ip", "", "time_utc", time, "delay", delay, "trust", trust, "flag_list");

	json_object_set_new(h, "trust_text", json_string(trust));
	json_object_set_new(h, "helo", json_string(from));
	if (flagged)
		json_array_append_new(json_object_get(h, "flag_list"), json_pack("{s:s}", "key", "forged"));
	return h;
}

static json_t *
route4(void)
{
	json_t *r = json_object(), *hops = json_array();

	json_array_append_new(hops, hop(1, "pc.example.com", "203.0.113.5", "fake.example.net",
	    "2003-06-30 01:00:00", "", "unverifiable", true));
	json_array_append_new(hops, hop(2, "fake.example.net", "198.51.100.7", "mail.example.com",
	    "2003-07-01 01:52:38", "1 d 0 h 52 min 38 s", "origin", false));
	json_array_append_new(hops, hop(3, "mail.example.com", "192.0.2.1", "mx.example.org",
	    "2003-07-01 01:52:40", "2 s", "trusted", false));
	json_array_append_new(hops, hop(4, "mx.example.org", "192.0.2.2", "store.example.org",
	    "2003-07-01 01:52:41", "1 s", "trusted", false));
	json_object_set_new(r, "hops", hops);
	return r;
}

static bool
golden(const char *got, const char *name)
{
	char *path = xasprintf("tests/golden/svg/%s", name), *want;
	bool same;

	if (getenv("MC_GOLDEN_UPDATE") != NULL) {
		FILE *fp;

		mkdir("tests/golden/svg", 0755);
		fp = fopen(path, "wb");
		if (fp != NULL) {
			fputs(got, fp);
			fclose(fp);
		}
	}
	want = check_slurp(path, NULL);
	same = want != NULL && strcmp(want, got) == 0;
	if (!same)
		fprintf(stderr, "%s differs; got:\n%s\n", path, got);
	free(want);
	free(path);
	return same;
}

TEST(route_golden_4_hops)
{
	json_t *r = route4();
	char *a = svg_route(r, false), *b = svg_route(r, false), *ko = svg_route(r, true);

	CHECK(a != NULL && b != NULL && ko != NULL);
	CHECK_STR(a, b);                                    /* deterministic */
	CHECK(golden(a, "route-4hops.svg"));
	CHECK(strncmp(a, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	CHECK(strstr(a, ">fake.example.net<") != NULL);
	CHECK(strstr(a, "stroke=\"#c62828\"") != NULL);      /* the flagged hop in red */
	CHECK(strstr(a, ">1 d 0 h 52 min 38 s<") != NULL);
	CHECK(strstr(ko, "표시된 홉") != NULL);
	CHECK(strstr(a, "<script") == NULL && strstr(a, "href") == NULL && strstr(a, "style=") == NULL);
	free(a);
	free(b);
	free(ko);
	json_decref(r);
}

TEST(route_hostile_names_stay_text)
{
	json_t *r = json_object(), *hops = json_array();
	char *s;

	json_array_append_new(hops, hop(1, "<script>alert(1)</script>", "\"onload=\"alert(1)", "a\xe2\x80\xae" "gpj.exe",
	    "x' onmouseover='y", "&amp;", "origin", false));
	json_object_set_new(r, "hops", hops);
	s = svg_route(r, false);
	CHECK(s != NULL);
	CHECK(strstr(s, "<script") == NULL);
	CHECK(strstr(s, ">&lt;script&gt;alert(1)&lt;/script\xe2\x80\xa6<") != NULL);   /* cut at 24 */
	CHECK(strstr(s, "\"onload") == NULL);
	CHECK(strstr(s, "&quot;onload=&quot;alert(1)") != NULL);
	CHECK(strstr(s, "onmouseover='") == NULL);
	CHECK(strstr(s, "&#39; onmouseover=&#39;y") != NULL);
	CHECK(strstr(s, "\xe2\x80\xae") == NULL);           /* no live right-to-left override */
	CHECK(strstr(s, "a[U+202E]gpj.exe") != NULL);
	CHECK(strstr(s, ">&amp;amp;<") != NULL);
	free(s);
	json_decref(r);
}

TEST(route_broken_chain_drawn)
{
	json_t *r = json_object(), *hops = json_array();
	char *s;

	/* hop 2's sender is not hop 1's receiver: three boxes become four */
	json_array_append_new(hops, hop(1, "nowhere", "", "fictitious-site", "2003-01-13 14:00:00", "",
	    "unverifiable", false));
	json_array_append_new(hops, hop(2, "galangal.org", "104.128.23.115", "mail.bieberdorf.edu",
	    "2003-01-14 15:20:55", "1 d 1 h 20 min 55 s", "origin", false));
	json_object_set_new(r, "hops", hops);
	s = svg_route(r, false);
	CHECK(s != NULL);
	CHECK(strstr(s, ">chain broken<") != NULL);
	CHECK(strstr(s, "stroke-dasharray=\"2 4\"") != NULL);
	CHECK(strstr(s, "<rect x=\"920\" y=\"30\"") != NULL);   /* the fourth box */
	CHECK(strstr(s, ">galangal.org</text>") != NULL);
	CHECK(strstr(s, ">likely origin<") != NULL);
	CHECK(strstr(s, ">trust boundary<") != NULL);
	free(s);
	json_decref(r);
}

TEST(route_ceiling_noted)
{
	json_t *r = json_object(), *hops = json_array();
	char *s;
	int i;

	for (i = 1; i <= SVG_HOPS_MAX + 5; i++)
		json_array_append_new(hops, hop(i, "a.example", "192.0.2.1", "b.example", "2003-07-01 01:52:41",
		    "1 s", "trusted", false));
	json_object_set_new(r, "hops", hops);
	s = svg_route(r, false);
	CHECK(s != NULL);
	CHECK(strstr(s, "21 hops, the first 16 drawn (the table has them all)") != NULL);
	CHECK(strstr(s, ">hop 16<") != NULL);
	CHECK(strstr(s, ">hop 17<") == NULL);
	free(s);
	json_decref(r);
	r = json_pack("{s:[]}", "hops");
	CHECK(svg_route(r, false) == NULL);
	json_decref(r);
}

static json_t *
times3(void)
{
	return json_pack("{s:[{s:i, s:s, s:I, s:s, s:b, s:s}, {s:i, s:s, s:I, s:s, s:b, s:s},"
	    " {s:i, s:s, s:I, s:s, s:b, s:s}]}", "events",
	    "no", 1, "kind", "date", "time_us", (json_int_t)1057024357000000LL, "time", "2003-07-01T01:52:37Z",
	    "judged", 1, "finding", "ok",
	    "no", 2, "kind", "hop", "time_us", (json_int_t)1057024360000000LL, "time", "2003-07-01T01:52:40Z",
	    "judged", 1, "finding", "ok",
	    "no", 3, "kind", "hop", "time_us", (json_int_t)1057035160000000LL, "time", "2003-07-01T04:52:40Z",
	    "judged", 1, "finding", "far");
}

TEST(times_points)
{
	json_t *t = times3();
	char *s = svg_times(t, false);

	CHECK(s != NULL);
	/* 1 at the left end, 3 at the right, 2 three seconds in of 10803: x 40 too */
	CHECK(strstr(s, "<circle cx=\"40\" cy=\"70\" r=\"5\" fill=\"#1565c0\"/>") != NULL);
	CHECK(strstr(s, "<circle cx=\"40\" cy=\"70\" r=\"5\" fill=\"#2e7d32\"/>") != NULL);
	CHECK(strstr(s, "<circle cx=\"960\" cy=\"70\" r=\"9\" fill=\"none\" stroke=\"#c62828\"") != NULL);
	CHECK(strstr(s, ">2003-07-01T01:52:37Z<") != NULL);
	CHECK(strstr(s, ">2003-07-01T04:52:40Z<") != NULL);
	CHECK(strstr(s, ">span 10803.000 s (3 h 0 min)<") != NULL);
	/* 1 and 2 are 0 units apart: 2's number goes a line higher */
	CHECK(strstr(s, "<text x=\"40\" y=\"56\" text-anchor=\"middle\" font-size=\"11\">1</text>") != NULL);
	CHECK(strstr(s, "<text x=\"40\" y=\"43\" text-anchor=\"middle\" font-size=\"11\">2</text>") != NULL);
	free(s);
	json_decref(t);
}

TEST(inline_into_html)
{
	json_t *m = json_pack("{s:s, s:[{s:i, s:o, s:o}]}", "lang", "en", "messages", "no", 3, "route", route4(),
	    "times", times3());
	const char *html = "<p>a</p><p><img src=\"#mailcase-figure-route-3\" alt=\"Route of message 3\" /></p>"
	    "<p><img src=\"#mailcase-figure-times-3\" alt=\"t\" /></p><p><img src=\"#mailcase-figure-route-9\" alt=\"x\" /></p>"
	    "<p>z</p>";
	char *s = svg_inline(html, m);

	CHECK(s != NULL);
	CHECK(strncmp(s, "<p>a</p><p><svg xmlns=", 22) == 0);
	CHECK(strstr(s, "<img") == NULL);
	CHECK(strstr(s, "><p></p><p>z</p>") != NULL);         /* no message 9: nothing in its place */
	CHECK(strstr(s, "span 10803.000 s") != NULL);
	free(s);
	CHECK(svg_inline("<p>no pictures</p>", m) == NULL);
	json_decref(m);
}

int
main(void)
{
	RUN(route_golden_4_hops);
	RUN(route_hostile_names_stay_text);
	RUN(route_broken_chain_drawn);
	RUN(route_ceiling_noted);
	RUN(times_points);
	RUN(inline_into_html);
	return check_done();
}
