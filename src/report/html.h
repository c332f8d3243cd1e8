/* html.h - Markdown to one self-contained HTML page.
 *
 * The Markdown (rendered from the templates, values already escaped) goes
 * through cmark-gfm with the table extension in its default safe mode: raw
 * HTML and javascript:/vbscript:/file:/data: (except images) links are
 * suppressed. Headings h2/h3 get ids, and a table of contents is built from
 * them. The body is then placed into the page template (page.html.mustache
 * in templates_dir) with keys: title, lang, toc[] = {id, text, level, sub},
 * cover (unescaped HTML before the first h2: title and case details) and
 * body (unescaped HTML from the first h2 on). Table cells get <wbr> break
 * points in long runs (hashes, paths) so that tables fit the page. The
 * page template carries the inline CSS and the Content-Security-Policy; it
 * loads nothing and runs nothing.
 *
 * Ownership: inputs are borrowed; the returned strings are the caller's
 * (free()); *err is set only on failure and is the caller's to free. */
#ifndef MC_HTML_H
#define MC_HTML_H

#include <stddef.h>

/* Registers cmark-gfm's extensions (process-wide, not thread-safe): call
 * once before rendering on several threads. Rendering calls it too. */
void html_prepare(void);

/* The HTML fragment of md (safe mode, tables, heading ids); never NULL. */
char *html_from_markdown(const char *md, size_t len);

/* The whole page: the fragment of md inside templates_dir/page.html.mustache.
 * title is plain text (escaped by the page template); lang an HTML language
 * tag ("en", "ko"); case_number (or NULL) goes to the foot of every printed
 * page, as case_number_css (a CSS string's text). NULL with *err ("FILE:LINE: reason") on a template error. */
char *html_page_from_markdown(const char *md, size_t len, const char *templates_dir,
    const char *title, const char *lang, const char *case_number, char **err);

#endif
