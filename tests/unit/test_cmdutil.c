/* Unit tests of the helpers the commands share: util/timefmt.h (the run's
 * clock, SOURCE_DATE_EPOCH, UTC text) and util/tmpldir.h (which template
 * folder is used). */
#include "check.h"
#include "util/timefmt.h"
#include "util/tmpldir.h"

#include <stdio.h>
#include <stdlib.h>

TEST(clock_and_utc_text)
{
	char s[TIMEFMT_UTC_MAX], tiny[8];

	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	CHECK_INT(timefmt_now_us(), 1700000000000000LL);
	/* Not a number of seconds: the clock, which is later than 2020. */
	setenv("SOURCE_DATE_EPOCH", "17e8", 1);
	CHECK(timefmt_now_us() > 1577836800000000LL);
	setenv("SOURCE_DATE_EPOCH", "-5", 1);
	CHECK(timefmt_now_us() > 1577836800000000LL);
	unsetenv("SOURCE_DATE_EPOCH");
	CHECK(timefmt_utc_sec(1255181731123456LL, s, sizeof(s)));
	CHECK_STR(s, "2009-10-10T13:35:31Z");
	CHECK(timefmt_utc_sec(0, s, sizeof(s)));
	CHECK_STR(s, "1970-01-01T00:00:00Z");
	CHECK(!timefmt_utc_sec(1255181731000000LL, tiny, sizeof(tiny)));
	CHECK_STR(tiny, "");
}

TEST(template_folder)
{
	char *d;

	d = tmpldir_find("ko", "/agency/templates");
	CHECK_STR(d, "/agency/templates");
	free(d);
	setenv("MAILCASE_TEMPLATES", "/opt/t", 1);
	d = tmpldir_find("ko", NULL);
	CHECK_STR(d, "/opt/t/ko");
	free(d);
	/* Tests run from the top of the source tree: its own sets. */
	setenv("MAILCASE_TEMPLATES", "templates", 1);
	d = tmpldir_find("en", NULL);
	CHECK_STR(d, "templates/en");
	CHECK(tmpldir_has(d, "report.md.mustache"));
	CHECK(!tmpldir_has(d, "no-such.mustache"));
	free(d);
	/* Neither: beside the executable, else the installed data folder. */
	unsetenv("MAILCASE_TEMPLATES");
	d = tmpldir_find("en", NULL);
	CHECK(d != NULL && strstr(d, "templates/en") != NULL);
	free(d);
}

int
main(void)
{
	RUN(clock_and_utc_text);
	RUN(template_folder);
	return check_done();
}
