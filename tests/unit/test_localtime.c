/* test_localtime.c - times in the examiner's zone: timefmt_local_sec()
 * inside timefmt_zone_enter/leave, and model_localize() adding KEY_local
 * beside the model's UTC times at any depth (a session's certificate
 * validity, a DKIM signature's t= and x=), null for a time without a zone,
 * and nothing at all without --timezone. */
#include "check.h"
#include "report/model.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

TEST(local_sec_in_zone)
{
	char out[TIMEFMT_LOCAL_MAX], *saved;

	setenv("TZ", "UTC", 1);
	saved = timefmt_zone_enter("Asia/Seoul");
	/* 2009-10-10T13:35:31.444690Z */
	CHECK(timefmt_local_sec(1255181731444690LL, out, sizeof(out)));
	CHECK_STR(out, "2009-10-10T22:35:31+09:00");
	CHECK(!timefmt_local_sec(0, out, 8));
	CHECK_STR(out, "");
	timefmt_zone_leave(saved);
	CHECK_STR(getenv("TZ"), "UTC");
	saved = timefmt_zone_enter("America/New_York");
	CHECK(timefmt_local_sec(1255181731000000LL, out, sizeof(out)));
	CHECK_STR(out, "2009-10-10T09:35:31-04:00");
	timefmt_zone_leave(saved);
}

static json_t *
sample(void)
{
	return json_pack("{s:[{s:s, s:{s:[{s:s, s:s}]}}], s:[{s:{s:[{s:s, s:s, s:n}]}}], s:{s:i, s:i}, "
	    "s:[{s:s}]}",
	    "sessions", "first", "2009-10-10T13:35:31.101734Z", "tls", "certs",
	    "not_before", "2026-01-01T00:00:00Z", "not_after", "2027-01-01T00:00:00Z",
	    "messages", "authenticity", "dkim", "signed_at", "2020-09-13T12:26:40Z",
	    "expires", "2020-09-14T12:26:40Z", "evaluated_at",
	    "page", "first", 1, "last", 50,
	    "images", "date", "2009:10:10 17:58:00");
}

TEST(localize_nested)
{
	struct model_opts o = { .lang = "en", .timezone = "Asia/Seoul" };
	json_t *m = sample(), *cert, *sig;

	model_localize(m, &o);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(m, "sessions"), 0),
	    "first_local")), "2009-10-10T22:35:31+09:00");
	cert = json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(m, "sessions"), 0),
	    "tls"), "certs"), 0);
	CHECK_STR(json_string_value(json_object_get(cert, "not_before_local")), "2026-01-01T09:00:00+09:00");
	CHECK_STR(json_string_value(json_object_get(cert, "not_after_local")), "2027-01-01T09:00:00+09:00");
	sig = json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(m, "messages"), 0),
	    "authenticity"), "dkim"), 0);
	CHECK_STR(json_string_value(json_object_get(sig, "signed_at_local")), "2020-09-13T21:26:40+09:00");
	CHECK_STR(json_string_value(json_object_get(sig, "expires_local")), "2020-09-14T21:26:40+09:00");
	/* no time: null, so a template's lookup stops here */
	CHECK(json_is_null(json_object_get(sig, "evaluated_at_local")));
	/* a page's row numbers are not times */
	CHECK(json_object_get(json_object_get(m, "page"), "first_local") == NULL);
	/* a text that is not a zoned ISO 8601 time */
	CHECK(json_is_null(json_object_get(json_array_get(json_object_get(m, "images"), 0), "date_local")));
	CHECK(json_is_true(json_object_get(m, "timezone_any")));
	CHECK_STR(json_string_value(json_object_get(json_object_get(m, "timezone"), "name")), "Asia/Seoul");
	json_decref(m);
}

TEST(localize_without_zone_changes_nothing)
{
	struct model_opts o = { .lang = "en" };
	json_t *m = sample(), *before = json_deep_copy(m);

	model_localize(m, &o);
	CHECK(json_equal(m, before));
	model_localize(m, NULL);
	CHECK(json_equal(m, before));
	json_decref(m);
	json_decref(before);
}

int
main(void)
{
	RUN(local_sec_in_zone);
	RUN(localize_nested);
	RUN(localize_without_zone_changes_nothing);
	return check_done();
}
