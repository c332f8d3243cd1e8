/* fuzz_mdescape - libFuzzer target for the Markdown escaper (report/mdescape.h).
 *
 * Beyond not crashing, it checks the escaper's promise: a value escaped with
 * md_escape_inline (or shown with md_escape_code) and rendered by cmark-gfm,
 * even with raw HTML allowed (CMARK_OPT_UNSAFE), is one paragraph of text:
 * no tag of cmark's other than <p> and <code>, so no evidence bytes can
 * become markup, a link or a block. Values reach the escaper from jansson
 * strings, which are valid UTF-8 (model_string turns other bytes into
 * "\xNN"), so only valid UTF-8 is checked: cmark's own UTF-8 repair would
 * swallow the byte after an invalid lead byte. Inputs are capped at 4 KB. */
#include <cmark-gfm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/mdescape.h"
#include "util/buf.h"
#include "util/text.h"

/* After "<p>", only text, entities and <code>...</code> until "</p>\n". */
static void
fuzz_expect_text(const char *md, const char *html)
{
	const char *p = html, *end;

	if (strncmp(p, "<p>", 3) != 0)
		goto bad;
	p += 3;
	end = strstr(p, "</p>\n");
	if (end == NULL || end[5] != '\0')
		goto bad;
	for (; p < end; p++) {
		if (*p != '<')
			continue;
		if (strncmp(p, "<code>", 6) == 0 || strncmp(p, "</code>", 7) == 0)
			continue;
		goto bad;
	}
	return;
bad:
	fprintf(stderr, "escaped value is not one paragraph of text:\nmarkdown: %s\nhtml: %s\n", md, html);
	abort();
}

static void
fuzz_render(const char *md)
{
	/* The value starts a line but not the document (cmark drops a BOM
	 * there, and no template puts a value first). */
	static const char lead[] = "x\n\n", lead_html[] = "<p>x</p>\n";
	struct buf doc;
	char *html;

	/* Only values with something visible make a paragraph. */
	if (strspn(md, " \t") == strlen(md))
		return;
	buf_init(&doc, BUF_UNLIMITED);
	if (!buf_adds(&doc, lead) || !buf_adds(&doc, md))
		abort();
	html = cmark_markdown_to_html(buf_str(&doc), doc.len, CMARK_OPT_UNSAFE | CMARK_OPT_VALIDATE_UTF8);
	if (strncmp(html, lead_html, sizeof(lead_html) - 1) != 0)
		fuzz_expect_text(md, html);
	fuzz_expect_text(md, html + sizeof(lead_html) - 1);
	free(html);
	buf_free(&doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;

	size_t i, n;

	if (size > 4096)
		return 0;
	for (i = 0; i < size; i += n)
		if ((n = text_utf8_len(data + i, size - i)) == 0 || data[i] == 0)
			return 0;
	buf_init(&b, 1 << 20);
	if (md_escape_inline(&b, (const char *)data, size))
		fuzz_render(buf_str(&b));
	buf_reset(&b);
	if (md_escape_code(&b, (const char *)data, size))
		fuzz_render(buf_str(&b));
	buf_free(&b);
	return 0;
}
