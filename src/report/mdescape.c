/* mdescape.c - Markdown escaping of values from evidence (see mdescape.h). */
#include "report/mdescape.h"
#include "util/buf.h"

#include <string.h>

/* Escaped wherever they appear: each can open inline structure (CommonMark
 * 6: code spans, emphasis, links, raw HTML, entities, autolinks; GFM 4.10
 * table cells; '#' also closes an ATX heading when it ends one). */
static const char md_always[] = "\\`*_[]<&|~#";
/* Escaped only as the value's first character, and for - + = only when a
 * space, tab, the end or the same character follows: only then do they open
 * a block (CommonMark 4.1 thematic break, 4.3 setext underline, 5.1 block
 * quote, 5.2 list item) when a template puts the value at a line start. */
static bool
md_leading(const char *s, size_t len)
{
	char c = s[0], d = len > 1 ? s[1] : ' ';

	if (c == '>')
		return true;
	return (c == '-' || c == '+' || c == '=') && (d == ' ' || d == '\t' || d == c);
}

bool
md_escape_inline(struct buf *out, const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (len > 0 && (s[0] == ' ' || s[0] == '\t')) {
		if (!buf_adds(out, s[0] == ' ' ? "&#32;" : "&#9;"))
			return false;
		i = 1;
	}
	/* An ordered list marker is 1-9 digits then '.' or ')' (CommonMark 5.2). */
	while (digits < len && digits < 10 && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok;

		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			ok = buf_adds(out, "\xe2\x8f\x8e");         /* U+23CE */
		} else if (c < 0x20 && c != '\t') {
			char pic[3] = { (char)0xe2, (char)0x90, (char)(0x80 + c) };  /* U+2400 + c */
			ok = buf_add(out, pic, 3);
		} else if (c == 0x7f) {
			ok = buf_adds(out, "\xe2\x90\xa1");         /* U+2421 */
		} else if (c != 0 && (strchr(md_always, c) != NULL ||
		    (i == 0 && md_leading(s, len)) ||
		    (i == digits && digits > 0 && digits < 10 && (c == '.' || c == ')') &&
		    (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t')))) {
			ok = buf_addc(out, '\\') && buf_addc(out, (char)c);
		} else {
			ok = buf_addc(out, (char)c);
		}
		if (!ok)
			return false;
	}
	return true;
}

/* cmark-gfm 0.29 inlines.c MAXBACKTICKS. */
#define MD_CODE_FENCE_MAX 80

bool
md_escape_code(struct buf *out, const char *s, size_t len)
{
	size_t i, run = 0, longest = 0, n;
	bool pad;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || c == '|')
			return false;
		run = c == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	/* cmark opens no code span with a fence longer than MD_CODE_FENCE_MAX
	 * backticks (its guard against quadratic scans), so such a value is
	 * escaped inline instead. */
	if (longest + 1 > MD_CODE_FENCE_MAX)
		return false;
	/* CommonMark 6.1: one space is stripped from both ends when both are
	 * spaces, so a value starting or ending with a backtick or a space gets
	 * one space of padding on each side. */
	pad = s[0] == '`' || s[len - 1] == '`' || s[0] == ' ' || s[len - 1] == ' ';
	for (n = 0; n <= longest; n++)
		if (!buf_addc(out, '`'))
			return false;
	if ((pad && !buf_addc(out, ' ')) || !buf_add(out, s, len) || (pad && !buf_addc(out, ' ')))
		return false;
	for (n = 0; n <= longest; n++)
		if (!buf_addc(out, '`'))
			return false;
	return true;
}
