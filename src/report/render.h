/* render.h - turns the report model into the files of CASE/report/:
 * report.md (Mustache templates), report.html (cmark-gfm, inside the page
 * template), report.json (the model), one JSON Lines file and one CSV per
 * table, appendix pages for long tables (docs/report-json.md), and
 * SHA256SUMS over every report and artifact file. */
#ifndef MC_RENDER_H
#define MC_RENDER_H

#include <jansson.h>
#include <stdbool.h>

struct casedb;

struct render_opts {
	const char *templates_dir;   /* folder holding report.md.mustache, page.html.mustache... */
	const char *report_dir;      /* the folder under the case: render_dir_name();
	                              * NULL: "report" */
	unsigned workers;            /* threads for pages and CSVs besides the caller's
	                              * (workq_default_workers()); 0: all on the caller's */
};

/* Renders the whole model as one page (no appendix pages; those of an
 * earlier render are removed); false with *err (free it) naming the
 * template file and line, or the file that could not be written. The model
 * is borrowed. */
bool render_report(struct casedb *db, json_t *model, const struct render_opts *o, char **err)
	__attribute__((warn_unused_result));

struct model_opts;

/* The whole report of the case: when no table is longer than the main
 * report shows, model_build() and render_report() as one page; otherwise
 * the main report holds each table's first rows, and appendix pages
 * (report/TABLE/page-NNNN.md, .html, .json, at most 1,000 rows each, 250
 * for messages and sessions) and
 * one JSON Lines file per table hold every row, each modelled from a page
 * of the database and freed, so memory does not grow with the case.
 * Progress on stderr when it is a terminal. False with *err as above. */
bool render_case_report(struct casedb *db, const struct model_opts *mo,
    const struct render_opts *ro, char **err) __attribute__((warn_unused_result));

/* The report folder of a case for a language: "report" for the case's own
 * language (case_lang, NULL meaning English), "report-LANG" for another, so
 * that a report in a second language is written beside the case's report,
 * never over it, one level below the case like it (its links to
 * ../artifacts hold). A new string. */
char *render_dir_name(const char *lang, const char *case_lang);

/* The report folders of case_dir that hold a SHA256SUMS: "report" first,
 * then "report-*" sorted; *n of them. free() each and the array. */
char **render_dirs(const char *case_dir, size_t *n);

#endif
