/* mustache.h - a small Mustache renderer over jansson values.
 *
 * Implements the Mustache specification's core modules
 * (https://github.com/mustache/spec, v1.3): interpolation {{x}} (passed
 * through an escape function), unescaped {{{x}}} and {{& x}}, dotted names,
 * the implicit iterator {{.}}, sections {{#x}}..{{/x}} over lists, objects
 * and truthy values, inverted sections {{^x}}, comments {{! }}, partials
 * {{> name}} with standalone indentation, and set delimiters {{=<% %>=}}.
 * Standalone tags (alone on their line) vanish with their line.
 *
 * Falsey values: missing, null, false, "", 0 and the empty list (an empty
 * string and 0 are falsey here so that templates can test optional fields).
 *
 * A template error (unclosed section or tag, mismatched close, missing
 * partial, nesting too deep) is reported as "FILE:LINE: reason" and nothing
 * is returned: a court report is never half-rendered.
 *
 * Ownership: the context is borrowed; returned strings are the caller's
 * (free()); *err is set only on failure and is the caller's to free. */
#ifndef MC_MUSTACHE_H
#define MC_MUSTACHE_H

#include <jansson.h>
#include <stddef.h>

struct buf;

/* Appends the escaped form of s[0..len) to out. false when out's ceiling was
 * hit (the render then fails). */
typedef _Bool (*mustache_escape_fn)(struct buf *out, const char *s, size_t len);

/* Escapers: Markdown (report/mdescape.h rules for inline text) and HTML
 * (&, <, >, ", '). NULL as escape function means no escaping. */
_Bool mustache_escape_markdown(struct buf *out, const char *s, size_t len);
_Bool mustache_escape_html(struct buf *out, const char *s, size_t len);

/* Renders the template text tpl (named name in error messages) with ctx.
 * Partials {{> p}} are read from dir/p + suffix, where suffix is what
 * follows the first '.' of name's last path component (name
 * "report.md.mustache" -> "p.md.mustache"); dir NULL forbids partials.
 * Returns the rendered text, or NULL with *err. */
char *mustache_render(const char *tpl, size_t len, const char *name, const char *dir,
    const json_t *ctx, mustache_escape_fn esc, char **err);

/* Reads dir/name and renders it as above. */
char *mustache_render_file(const char *dir, const char *name, const json_t *ctx,
    mustache_escape_fn esc, char **err);

#endif
