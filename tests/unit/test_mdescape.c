/* Unit tests of src/report/mdescape.c found by fuzz_mdescape: values that
 * cmark would not render as the text they are. */
#include "check.h"
#include "report/mdescape.h"
#include "util/buf.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

static char *
render(const char *md)
{
	return cmark_markdown_to_html(md, strlen(md), CMARK_OPT_UNSAFE);
}

/* cmark opens no code span with more than 80 backticks: a value with a run
 * of 80 is refused as a code span and escaped inline, where its "</p>"
 * stays text. */
TEST(code_span_fence_fits_cmark)
{
	char v[200], *html;
	struct buf b;

	memset(v, '`', 80);
	strcpy(v + 80, " </p>");
	buf_init(&b, 1 << 16);
	CHECK(!md_escape_code(&b, v, strlen(v)));
	CHECK_INT(b.len, 0);
	CHECK(md_escape_inline(&b, v, strlen(v)));
	html = render(buf_str(&b));
	CHECK(strstr(html, "</p>") == html + strlen(html) - 5);
	CHECK(strstr(html, "&lt;/p&gt;") != NULL);
	free(html);

	buf_reset(&b);
	v[79] = 'x';             /* a run of 79: an 80-backtick fence */
	CHECK(md_escape_code(&b, v, strlen(v)));
	html = render(buf_str(&b));
	CHECK(strncmp(html, "<p><code>", 9) == 0);
	free(html);
	buf_free(&b);
}

int
main(void)
{
	RUN(code_span_fence_fits_cmark);
	return check_done();
}
