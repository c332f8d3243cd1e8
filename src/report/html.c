/* html.c - Markdown to one self-contained HTML page (see html.h).
 *
 * cmark-gfm does the Markdown: the GFM table extension (GFM spec 4.10) and
 * the default safe mode, in which raw HTML becomes a comment and
 * javascript:, vbscript:, file: and non-image data: links are emptied
 * (cmark-gfm 0.29: CMARK_OPT_UNSAFE is never set here). cmark writes
 * headings as bare <h2>/<h3>; since every '<' of text is written as &lt;,
 * those tags can only be headings, in document order, and get their ids by
 * a pass over the output. */
#include "report/html.h"
#include "report/mustache.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Plain text of a heading: its text and code descendants. */
static void
html_heading_text(cmark_node *heading, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(heading);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
			const char *s = cmark_node_get_literal(n);

			if (s != NULL && !buf_adds(out, s))
				break;
		}
	}
	cmark_iter_free(it);
}

/* Whether url is a link between the report's own pages as the Markdown
 * writes it: "report.md", "../report.md", "page-0002.md" or
 * "messages/page-0002.md", with an optional "#fragment". Names of
 * extracted files ("extracted/0005-report.md") never match: they start
 * with their number. Returns the length up to ".md", or 0. */
static size_t
html_page_link_len(const char *url)
{
	const char *p = url, *name;
	size_t n;

	if (strncmp(p, "../", 3) == 0)
		p += 3;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
	if (n > 0 && p[n] == '/')
		p += n + 1;
	name = p;
	if (strncmp(p, "report", 6) == 0) {
		p += 6;
	} else if (strncmp(p, "page-", 5) == 0 && (n = strspn(p + 5, "0123456789")) > 0) {
		p += 5 + n;
	} else {
		return 0;
	}
	if (strncmp(p, ".md", 3) != 0 || (p[3] != '\0' && p[3] != '#') || name == p)
		return 0;
	return (size_t)(p - url);
}

/* Points a link between the report's pages at the HTML page: the Markdown
 * is rendered once, with .md links, for both files. */
static void
html_page_link(cmark_node *link)
{
	const char *url = cmark_node_get_url(link);
	size_t len = url != NULL ? html_page_link_len(url) : 0;
	char *to;

	if (len == 0)
		return;
	to = xasprintf("%.*s.html%s", (int)len, url, url + len + 3);
	if (!cmark_node_set_url(link, to))
		fatal("cmark cannot set a link");
	free(to);
}

/* The table of contents: h2 entries, each with its h3 entries as sub;
 * in the same walk, the links between pages (html_page_link). */
static json_t *
html_toc(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	json_t *toc = json_array(), *last = NULL, *e;
	size_t i;
	int no = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		struct buf text;
		int level;
		char id[32];

		if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_LINK)
			html_page_link(n);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		level = cmark_node_get_heading_level(n);
		if (level != 2 && level != 3)
			continue;
		snprintf(id, sizeof(id), "s%d", ++no);
		buf_init(&text, 4096);
		html_heading_text(n, &text);
		e = json_pack("{s:s, s:s, s:i}", "id", id, "text", buf_str(&text), "level", level);
		buf_free(&text);
		if (e == NULL)          /* not UTF-8: cannot happen with cmark's output */
			continue;
		if (level == 2 || last == NULL) {
			json_object_set_new(e, "sub", json_array());
			json_array_append_new(toc, e);
			last = e;
		} else {
			json_array_append_new(json_object_get(last, "sub"), e);
		}
	}
	cmark_iter_free(it);
	json_array_foreach(toc, i, e)
		json_object_set_new(e, "sub_any", json_boolean(json_array_size(json_object_get(e, "sub")) > 0));
	return toc;
}

/* Gives the n-th <h2>/<h3> of the output the id "sN". */
static char *
html_heading_ids(const char *html)
{
	struct buf b;
	const char *p = html;
	int no = 0;

	buf_init(&b, BUF_UNLIMITED);
	/* One pass: each "<h" is looked at once (finding "<h2>" and "<h3>"
	 * apart made a page of many headings of one kind quadratic). */
	for (;;) {
		const char *h = strstr(p, "<h");

		if (h == NULL)
			break;
		if ((h[2] != '2' && h[2] != '3') || h[3] != '>') {
			if (!buf_add(&b, p, (size_t)(h + 2 - p)))
				fatal("html buffer");
			p = h + 2;
			continue;
		}
		if (!buf_add(&b, p, (size_t)(h - p)) ||
		    !buf_printf(&b, "<h%c id=\"s%d\">", h[2], ++no))
			fatal("html buffer");
		p = h + 4;
	}
	if (!buf_adds(&b, p))
		fatal("html buffer");
	return buf_take(&b);
}

/* Table cells hold hashes, artifact paths and MIME types: runs of up to 76
 * characters with no place to break. A browser sizes a table column by its
 * longest such run, so one SHA-256 column pushes the table past the window
 * and, printed, past the A4 page edge (CSS overflow-wrap: break-word does
 * not change that width; 'anywhere' would, but would split every word).
 * So in a cell a <wbr> goes after every HTML_CELL_RUN letters and digits
 * in a row, and after a '/' or a '.' before a letter in a word longer than
 * HTML_CELL_WORD: a hash wraps in groups of 16 and copies whole, a path or
 * MIME type at its parts, while words, addresses, IP addresses and
 * timestamps are never split. Tags and entities are copied as they are; the safe-mode output
 * has no '<' or '>' of text outside tags, so '<' always starts a tag. */
#define HTML_CELL_RUN 16
#define HTML_CELL_WORD 24

static bool
html_tag_is(const char *p, const char *name)
{
	size_t n = strlen(name);

	return strncmp(p, name, n) == 0 && (p[n] == '>' || p[n] == ' ');
}

/* The length of the lowercase hex digest at p (MD5, SHA-1, SHA-256,
 * SHA-512: 32, 40, 64 or 128 digits, not followed by a letter or digit),
 * or 0. */
static size_t
html_digest_len(const char *p)
{
	size_t n = strspn(p, "0123456789abcdef");

	if (isalnum((unsigned char)p[n]))
		return 0;
	return n == 32 || n == 40 || n == 64 || n == 128 ? n : 0;
}

static bool
html_digits(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* The length of the ISO 8601 date or date-time at p (2009-10-10,
 * 2009-10-10T13:35:31.444690Z, ...+09:00), or 0. */
static size_t
html_timestamp_len(const char *p)
{
	size_t n;

	if (!html_digits(p, 4) || p[4] != '-' || !html_digits(p + 5, 2) || p[7] != '-' ||
	    !html_digits(p + 8, 2))
		return 0;
	n = 10;
	if (p[n] == 'T' && html_digits(p + n + 1, 2) && p[n + 3] == ':' && html_digits(p + n + 4, 2)) {
		n += 6;
		if (p[n] == ':' && html_digits(p + n + 1, 2))
			n += 3;
		if (p[n] == '.' && isdigit((unsigned char)p[n + 1]))
			for (n++; isdigit((unsigned char)p[n]); n++)
				;
		if (p[n] == 'Z')
			n++;
		else if ((p[n] == '+' || p[n] == '-') && html_digits(p + n + 1, 2) && p[n + 3] == ':' &&
		    html_digits(p + n + 4, 2))
			n += 6;
	}
	return isalnum((unsigned char)p[n]) ? 0 : n;
}

/* A digest in a monospace span, in groups of 32 digits with a break
 * opportunity between them (a SHA-256 is on one line or two, never cut
 * elsewhere); a timestamp in a span that never breaks. */
static void
html_mark_token(struct buf *b, const char *p, size_t n, bool digest)
{
	size_t i;
	bool ok = buf_adds(b, digest ? "<span class=\"hex\">" : "<span class=\"ts\">");

	for (i = 0; ok && i < n; i += 32) {
		size_t k = n - i < 32 || !digest ? n - i : 32;

		ok = (i == 0 || buf_adds(b, "<wbr>")) && buf_add(b, p + i, k);
		if (!digest)
			break;
	}
	if (!ok || !buf_adds(b, "</span>"))
		fatal("html buffer");
}

/* A table of this many columns or more does not fit the width of an A4
 * page upright (a table of hashes, addresses and times): it gets
 * class="wide", which the page template prints on a landscape page. */
#define HTML_WIDE_COLUMNS 8

/* Does the table whose content starts at p have HTML_WIDE_COLUMNS
 * columns or more (the cells of its first row)? */
static bool
html_table_wide(const char *p)
{
	const char *end = strstr(p, "</tr>");
	int cols = 0;

	if (end == NULL)
		return false;
	for (; (p = strstr(p, "<t")) != NULL && p < end; p += 2)
		if (html_tag_is(p, "<th") || html_tag_is(p, "<td"))
			cols++;
	return cols >= HTML_WIDE_COLUMNS;
}

static char *
html_cell_breaks(const char *html)
{
	struct buf b;
	const char *p = html, *e, *semi;
	bool in_cell = false, in_code = false, after_alnum = false;
	int run = 0;
	size_t word = 0;

	buf_init(&b, BUF_UNLIMITED);
	for (; *p != '\0'; p = e) {
		bool on = in_cell && !in_code, alnum = isalnum((unsigned char)*p), part;
		size_t tok;

		e = p + 1;
		if (*p != '<' && !in_code && !after_alnum && isalnum((unsigned char)*p)) {
			bool digest = (tok = html_digest_len(p)) > 0;

			if (!digest)
				tok = html_timestamp_len(p);
			if (tok > 0) {
				html_mark_token(&b, p, tok, digest);
				e = p + tok;
				run = 0;
				word = 0;
				after_alnum = true;
				continue;
			}
		}
		after_alnum = *p != '<' && alnum;
		if (*p == '<') {
			e = strchr(p, '>');
			e = e == NULL ? p + strlen(p) : e + 1;
			if (strncmp(p, "<table>", 7) == 0 && html_table_wide(e)) {
				/* printed on a landscape page (page.html.mustache) */
				if (!buf_adds(&b, "<table class=\"wide\">"))
					fatal("html buffer");
				continue;
			}
			if (html_tag_is(p, "<td") || html_tag_is(p, "<th"))
				in_cell = true;
			else if (strncmp(p, "</td>", 5) == 0 || strncmp(p, "</th>", 5) == 0)
				in_cell = false;
			else if (html_tag_is(p, "<code"))     /* breaks anywhere already */
				in_code = true;
			else if (strncmp(p, "</code>", 7) == 0)
				in_code = false;
			if (!in_cell || in_code) {
				run = 0;
				word = 0;
			}
			if (!buf_add(&b, p, (size_t)(e - p)))
				fatal("html buffer");
			continue;
		}
		semi = *p == '&' ? strchr(p, ';') : NULL;
		if (semi != NULL && semi - p <= 10)
			e = semi + 1;
		while (((unsigned char)*e & 0xc0) == 0x80)
			e++;
		if (on && alnum && run == HTML_CELL_RUN) {
			if (!buf_adds(&b, "<wbr>"))
				fatal("html buffer");
			run = 0;
		}
		run = on && alnum ? run + 1 : 0;
		word = on && *p != ' ' && *p != '\n' ? word + 1 : 0;
		if (!buf_add(&b, p, (size_t)(e - p)))
			fatal("html buffer");
		part = (*p == '/' && isalnum((unsigned char)*e)) || (*p == '.' && isalpha((unsigned char)*e));
		if (on && part && word + strcspn(e, " \n<") > HTML_CELL_WORD) {
			if (!buf_adds(&b, "<wbr>"))
				fatal("html buffer");
			run = 0;
		}
	}
	return buf_take(&b);
}

/* Parses md and returns the fragment with heading ids; *toc when asked. */
void
html_prepare(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

static char *
html_render(const char *md, size_t len, json_t **toc)
{
	cmark_parser *parser;
	cmark_syntax_extension *table;
	cmark_node *doc;
	json_t *toc_doc;
	char *raw, *html;
	/* Safe is cmark-gfm 0.29's default; CMARK_OPT_SAFE is kept for older
	 * releases, where it had to be asked for. */
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8;

	html_prepare();
	parser = cmark_parser_new(opts);
	table = cmark_find_syntax_extension("table");
	if (table == NULL || !cmark_parser_attach_syntax_extension(parser, table))
		fatal("cmark-gfm has no table extension");
	cmark_parser_feed(parser, md, len);
	doc = cmark_parser_finish(parser);
	toc_doc = html_toc(doc);
	raw = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(parser));
	if (toc != NULL)
		*toc = toc_doc;
	else
		json_decref(toc_doc);
	html = html_heading_ids(raw);
	free(raw);
	raw = html;
	html = html_cell_breaks(raw);
	free(raw);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	return html;
}

char *
html_from_markdown(const char *md, size_t len)
{
	return html_render(md, len, NULL);
}

/* s as the text of a CSS string: ASCII other than letters, digits, space
 * and ".:/_-" as a hex escape, so that nothing ends the string or the
 * style element; other UTF-8 as it is. A new JSON string. */
static json_t *
html_css_string(const char *s)
{
	struct buf b;
	json_t *r;

	buf_init(&b, BUF_UNLIMITED);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		bool ok = c >= 0x80 || isalnum(c) || strchr(" .:/_-", c) != NULL ?
		    buf_addc(&b, (char)c) : buf_printf(&b, "\\%x ", c);

		if (!ok)
			fatal("css buffer");
	}
	r = json_string(buf_str(&b));
	buf_free(&b);
	return r != NULL ? r : json_string("");
}

char *
html_page_from_markdown(const char *md, size_t len, const char *templates_dir,
    const char *title, const char *lang, const char *case_number, char **err)
{
	json_t *toc = NULL, *ctx;
	char *body, *page;
	const char *h2;

	*err = NULL;
	body = html_render(md, len, &toc);
	/* The cover (title and case details, before the first section) comes
	 * before the table of contents; the sections after it. */
	h2 = strstr(body, "<h2 id=");
	if (h2 == NULL)
		h2 = body + strlen(body);
	ctx = json_object();
	json_object_set_new(ctx, "title", json_string(title ? title : ""));
	json_object_set_new(ctx, "lang", json_string(lang ? lang : "en"));
	if (case_number != NULL && *case_number != '\0')
		json_object_set_new(ctx, "case_number_css", html_css_string(case_number));
	json_object_set_new(ctx, "toc", toc);
	json_object_set_new(ctx, "cover", json_stringn(body, (size_t)(h2 - body)));
	json_object_set_new(ctx, "body", json_string(h2));
	free(body);
	page = mustache_render_file(templates_dir, "page.html.mustache", ctx, mustache_escape_html, err);
	json_decref(ctx);
	return page;
}
