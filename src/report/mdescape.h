/* mdescape.h - text from evidence made inert for Markdown (CommonMark 0.29
 * with the GFM table extension).
 *
 * One rule for every inline place (paragraphs, list items, headings, table
 * cells, link text), so a template author need not know where a value lands:
 *  - the characters that open inline structure are backslash-escaped
 *    (CommonMark 2.4: any ASCII punctuation may be): \ ` * _ [ ] < & | ~ #
 *    and, at the start of the value, '>' and a list marker, break or
 *    underline (- + = before a blank or themselves; a number then . or )
 *    then a blank), which would start a quote, list, heading or break;
 *  - a leading space or tab becomes a character reference, so it can never
 *    indent a code block;
 *  - line breaks (CR LF, LF, CR) become "⏎" (U+23CE): a value stays on one
 *    line and cannot end a table row; other control characters become their
 *    Unicode control pictures (U+2400 + c; DEL U+2421).
 * With `<` and `&` escaped no HTML, entity or autolink can start, and with
 * `[` escaped no link or image; so cmark renders the value as text.
 *
 * Code spans: md_escape_code() writes a whole code span (its own fence of
 * backticks, longer than any run in the value, CommonMark 6.1); inside one,
 * backslashes are literal, so the value is shown exactly. It refuses
 * (returns false, writes nothing) values holding control characters or '|'
 * (a table cell would split) or a run of 80 or more backticks (cmark opens
 * no code span with a longer fence), and the caller falls back to
 * md_escape_inline. */
#ifndef MC_MDESCAPE_H
#define MC_MDESCAPE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Appends s[0..len) escaped; false when out's ceiling was hit. */
bool md_escape_inline(struct buf *out, const char *s, size_t len)
	__attribute__((warn_unused_result));
/* Appends `s` as a code span with a fitting fence; false (nothing written)
 * when s cannot be shown as one. */
bool md_escape_code(struct buf *out, const char *s, size_t len)
	__attribute__((warn_unused_result));

#endif
