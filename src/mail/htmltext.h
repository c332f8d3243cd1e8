/* htmltext.h - the plain text of an HTML body, for previews and search,
 * read with libxml2's HTML parser (every named entity of HTML 4, numeric
 * references, the parser's recovery from broken markup). Not a renderer.
 *
 * Pure: bytes in, a string out. The result is malloc'd, owned by the caller,
 * and already passed through text_clean() (TEXT_LINES). */
#ifndef MC_HTMLTEXT_H
#define MC_HTMLTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The text of html[0..len) (UTF-8). At most max bytes of text are kept;
 * *capped (may be NULL) says whether more were dropped, for the caller to log. */
char *html_text(const char *html, size_t len, size_t max, bool *capped);

#endif
