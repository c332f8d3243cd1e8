/* svg.h - the pictures of the HTML report, drawn as inline SVG from the
 * report model: a message's route (its hops from the Received fields,
 * model_route.c) and its own timeline (model_msgtime.c).
 *
 * Every string taken from the model (host names, addresses, labels: all of
 * them evidence) is written as SVG text with & < > " ' as character
 * references, control and bidirectional formatting characters (U+202A-E,
 * U+2066-9, U+200E/F, U+061C) shown as "[U+202E]", and cut to a fixed
 * number of characters; nothing from evidence reaches an attribute except
 * through the same escaping, and no element or attribute name comes from
 * evidence. The pictures use presentation attributes only (no style, no
 * script, no link, nothing loaded), which the page's Content-Security-Policy
 * allows. Coordinates are integers, so the same model gives the same bytes.
 * At most SVG_HOPS_MAX hops and SVG_POINTS_MAX timeline points are drawn;
 * a picture that leaves some out says so in its own text, and the table
 * beside it has them all.
 *
 * The Markdown report carries no picture: where one belongs the templates
 * write an image reference "![...](#mailcase-figure-KIND-N)" (KIND route
 * or times, N the message's number), which Markdown readers show as its
 * text; svg_inline() puts the picture in its place in the HTML. Evidence
 * cannot write such a reference: the Markdown escaping (mdescape.h) leaves
 * no "[" of evidence to open one.
 *
 * Ownership: inputs are borrowed; returned strings are the caller's
 * (free()). */
#ifndef MC_SVG_H
#define MC_SVG_H

#include <jansson.h>
#include <stdbool.h>

#define SVG_HOPS_MAX 16
#define SVG_POINTS_MAX 64

/* The route of one message (its model's "route" object) as an <svg>
 * element; NULL when the route has no hop. */
char *svg_route(const json_t *route, bool ko);
/* The message's timeline (its model's "times" object); NULL when it has
 * fewer than two placed events. */
char *svg_times(const json_t *times, bool ko);

/* html with each <img src="#mailcase-figure-KIND-N" ...> that cmark wrote
 * for a template's reference replaced by message N's picture (from
 * model's "messages" list), or by nothing when there is none. A new
 * string; NULL when html holds no such reference (use it as it is). */
char *svg_inline(const char *html, const json_t *model);

#endif
