/* cli_diff.c - the `mailcase diff` command: its options, the output folder,
 * and the summary it prints. The comparison itself and the files it writes
 * are report/diff.c's (diff_cases, diff_write). */
#include "cli.h"
#include "report/diff.h"
#include "store/casedb.h"
#include "util/outdir.h"
#include "util/timefmt.h"
#include "util/tmpldir.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit status, as diff(1). */
enum { DIFF_SAME = 0, DIFF_DIFFERENT = 1, DIFF_TROUBLE = 2 };

static void
diff_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: mailcase diff CASE_A CASE_B [-o DIR] [--lang en|ko] [--templates DIR]\n"
	    "Compares two cases by their findings and writes DIR/diff.md, diff.html and\n"
	    "diff.json (DIR defaults to diff-A-B in the current folder; it must not exist\n"
	    "or be empty).\n"
	    "  -o, --output DIR    where to write\n"
	    "  --lang en|ko        language of the output (default en)\n"
	    "  --templates DIR     a template folder holding diff.md.mustache\n"
	    "  -h, --help          this text\n"
	    "Exit status: 0 same findings, 1 different, 2 trouble.\n");
}

/* The last component of a case path, with anything but [A-Za-z0-9._-] as
 * '_', for the default output folder name. */
static char *
diff_base(const char *path)
{
	size_t n = strlen(path);
	const char *s;
	char *out;

	while (n > 1 && path[n - 1] == '/')
		n--;
	s = path + n;
	while (s > path && s[-1] != '/')
		s--;
	out = xstrndup(s, (size_t)(path + n - s));
	for (char *p = out; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			*p = '_';
	}
	if (*out == '\0' || strcmp(out, ".") == 0 || strcmp(out, "..") == 0) {
		free(out);
		out = xstrdup("case");
	}
	return out;
}

static void
diff_summary(const json_t *model, FILE *fp, const char *lang, const char *dir)
{
	bool ko = strcmp(lang, "ko") == 0;
	const json_t *c;
	size_t i;

	fprintf(fp, "A: %s\nB: %s\n", json_string_value(json_object_get(json_object_get(model, "a"), "dir")),
	    json_string_value(json_object_get(json_object_get(model, "b"), "dir")));
	fprintf(fp, "%-24s %9s %9s %9s %9s\n", ko ? "항목" : "category",
	    ko ? "A에만" : "only A", ko ? "B에만" : "only B", ko ? "양쪽" : "both",
	    ko ? "변경" : "altered");
	json_array_foreach(json_object_get(model, "categories"), i, c) {
		fprintf(fp, "%-24s %9" JSON_INTEGER_FORMAT " %9" JSON_INTEGER_FORMAT " %9"
		    JSON_INTEGER_FORMAT " %9" JSON_INTEGER_FORMAT "\n",
		    json_string_value(json_object_get(c, "title")),
		    json_integer_value(json_object_get(c, "n_only_a")),
		    json_integer_value(json_object_get(c, "n_only_b")),
		    json_integer_value(json_object_get(c, "n_both")),
		    json_integer_value(json_object_get(c, "n_altered")));
	}
	if (diff_differs(model))
		fprintf(fp, ko ? "두 사건의 발견 사항이 다릅니다. 자세한 내용: %s/diff.md\n"
		    : "The cases differ. Details: %s/diff.md\n", dir);
	else
		fprintf(fp, ko ? "두 사건의 발견 사항이 같습니다. 자세한 내용: %s/diff.md\n"
		    : "The cases hold the same findings. Details: %s/diff.md\n", dir);
}

/* The command line of `mailcase diff`. */
struct cli_diff_args {
	const char *pos[2];          /* the two cases */
	int npos;
	const char *out, *lang, *tmpl;
};

/* Reads argv into *a: -1 to go on, else the exit status (after --help or
 * a usage error, which is printed). */
static int
cli_diff_args(int argc, char **argv, struct cli_diff_args *a)
{
	bool opts = true;

	a->npos = 0;
	a->out = a->tmpl = NULL;
	a->lang = "en";
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *val = NULL;

		if (opts && strcmp(s, "--") == 0) {
			opts = false;
			continue;
		}
		if (!opts || s[0] != '-' || s[1] == '\0') {
			if (a->npos == 2) {
				fprintf(stderr, "mailcase diff: give exactly two cases\n");
				diff_usage(stderr);
				return DIFF_TROUBLE;
			}
			a->pos[a->npos++] = s;
			continue;
		}
		if (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0) {
			diff_usage(stdout);
			return DIFF_SAME;
		}
		if (strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0 || strcmp(s, "--lang") == 0 ||
		    strcmp(s, "--templates") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "mailcase diff: %s needs a value\n", s);
				return DIFF_TROUBLE;
			}
			val = argv[++i];
		} else if (strncmp(s, "--output=", 9) == 0 || strncmp(s, "--lang=", 7) == 0 ||
		    strncmp(s, "--templates=", 12) == 0) {
			val = strchr(s, '=') + 1;
		} else {
			fprintf(stderr, "mailcase diff: unknown option %s\n", s);
			diff_usage(stderr);
			return DIFF_TROUBLE;
		}
		if (s[1] == 'o' || strncmp(s, "--output", 8) == 0)
			a->out = val;
		else if (strncmp(s, "--lang", 6) == 0)
			a->lang = val;
		else
			a->tmpl = val;
	}
	return -1;
}

int
cli_diff_main(int argc, char **argv)
{
	struct cli_diff_args args;
	const char *out, *lang;
	int rc;
	struct casedb *a = NULL, *b = NULL;
	char *err = NULL, *def = NULL, *tdir;
	json_t *model;
	struct diff_opts o;
	bool ok;

	rc = cli_diff_args(argc, argv, &args);
	if (rc >= 0)
		return rc;
	out = args.out;
	lang = args.lang;
	if (args.npos != 2) {
		fprintf(stderr, "mailcase diff: give exactly two cases\n");
		diff_usage(stderr);
		return DIFF_TROUBLE;
	}
	if (strcmp(lang, "en") != 0 && strcmp(lang, "ko") != 0) {
		fprintf(stderr, "mailcase diff: --lang takes en or ko, not %s\n", lang);
		return DIFF_TROUBLE;
	}
	if (out == NULL) {
		char *ba = diff_base(args.pos[0]), *bb = diff_base(args.pos[1]);

		def = xasprintf("diff-%s-%s", ba, bb);
		free(ba);
		free(bb);
		out = def;
	}
	if (!outdir_usable(out)) {
		fprintf(stderr, "mailcase diff: %s: exists and is not empty; nothing is overwritten\n",
		    out);
		free(def);
		return DIFF_TROUBLE;
	}
	a = casedb_open(args.pos[0], false, &err);
	if (a != NULL)
		b = casedb_open(args.pos[1], false, &err);
	if (a == NULL || b == NULL) {
		fprintf(stderr, "mailcase diff: %s\n", err);
		free(err);
		casedb_close(a);
		free(def);
		return DIFF_TROUBLE;
	}
	o.lang = lang;
	o.label_a = args.pos[0];
	o.label_b = args.pos[1];
	o.generated_us = timefmt_now_us();
	model = diff_cases(a, b, &o);
	casedb_close(a);
	casedb_close(b);
	tdir = tmpldir_find(lang, args.tmpl);
	ok = diff_write(model, out, tdir, &err);
	free(tdir);
	if (!ok) {
		fprintf(stderr, "mailcase diff: %s\n", err);
		free(err);
		json_decref(model);
		free(def);
		return DIFF_TROUBLE;
	}
	diff_summary(model, stdout, lang, out);
	rc = diff_differs(model) ? DIFF_DIFFERENT : DIFF_SAME;
	json_decref(model);
	free(def);
	return rc;
}
