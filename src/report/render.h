/* render.h - turns the report model into the files of CASE/report/:
 * report.md (Mustache templates), report.html (cmark-gfm, inside the page
 * template), report.json (the model), one CSV per table, and SHA256SUMS over
 * every report and artifact file. */
#ifndef MC_RENDER_H
#define MC_RENDER_H

#include <jansson.h>
#include <stdbool.h>

struct casedb;

struct render_opts {
	const char *templates_dir;   /* folder holding report.md.mustache, page.html.mustache... */
};

/* Renders everything; false with *err (free it) naming the template file and
 * line, or the file that could not be written. */
bool render_report(struct casedb *db, json_t *model, const struct render_opts *o, char **err)
	__attribute__((warn_unused_result));

#endif
