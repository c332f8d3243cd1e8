/* render.c - the files of CASE/report/ from the model (see render.h):
 * report.md (Mustache, Markdown escaping), report.html (html.h, inside
 * page.html.mustache), report.json (the model), one CSV per table and
 * SHA256SUMS over every report and artifact file. Every file is written to a
 * temporary name and renamed, so a failed render never leaves a half file
 * in place of a good one. */
#include "report/render.h"
#include "report/html.h"
#include "report/mustache.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes dir/name through dir/.name.tmp and rename(2). */
static bool
render_write(const char *dir, const char *name, const char *text, size_t len, char **err)
{
	char *tmp = xasprintf("%s/.%s.tmp", dir, name), *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(tmp, "wb");
	bool ok = fp != NULL;

	if (ok) {
		ok = fwrite(text, 1, len, fp) == len;
		ok = fflush(fp) == 0 && ok;
		ok = fsync(fileno(fp)) == 0 && ok;
		ok = fclose(fp) == 0 && ok;
	}
	if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok) {
		*err = xasprintf("%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return ok;
}

/* ---- CSV (RFC 4180) ---- */

/* A cell: quoted when it holds a comma, quote or line break; text that a
 * spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading
 * apostrophe (OWASP "CSV injection"). Numbers are written as they are. */
static bool
render_csv_cell(struct buf *b, const json_t *v)
{
	const char *s;
	char num[32];
	bool quote, ok = true;

	if (json_is_string(v)) {
		s = json_string_value(v);
	} else if (json_is_integer(v)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		return buf_adds(b, num);
	} else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		return buf_adds(b, num);
	} else if (json_is_boolean(v)) {
		return buf_adds(b, json_is_true(v) ? "true" : "false");
	} else {
		return true;
	}
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		ok = buf_addc(b, '"');
	if (ok && *s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		ok = buf_addc(b, '\'');
	for (; ok && *s; s++)
		ok = *s == '"' ? buf_adds(b, "\"\"") : buf_addc(b, *s);
	if (ok && quote)
		ok = buf_addc(b, '"');
	return ok;
}

/* A list of scalars joined by "; " as one cell value (a new reference), or
 * NULL when v is not a scalar or such a list. */
static json_t *
render_csv_value(const json_t *v)
{
	struct buf b;
	json_t *e, *r;
	size_t i;

	if (!json_is_array(v) && !json_is_object(v))
		return json_incref((json_t *)v);
	if (!json_is_array(v))
		return NULL;
	buf_init(&b, BUF_UNLIMITED);
	json_array_foreach(v, i, e) {
		const char *s;
		char num[32];

		if (json_is_string(e)) {
			s = json_string_value(e);
		} else if (json_is_integer(e)) {
			snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(e));
			s = num;
		} else if (json_is_object(e) && json_object_size(e) == 1 &&
		    json_is_string(json_object_iter_value(json_object_iter(e)))) {
			s = json_string_value(json_object_iter_value(json_object_iter(e)));
		} else {
			buf_free(&b);
			return NULL;
		}
		if (!buf_adds(&b, i ? "; " : "") || !buf_adds(&b, s))
			fatal("csv buffer");
	}
	r = json_string(buf_str(&b));
	buf_free(&b);
	return r;
}

/* One row per element of arr; the columns are the keys holding scalars (or
 * lists of them), in the order they first appear. NULL when arr is not a
 * list. */
static char *
render_csv(const json_t *arr, size_t *len)
{
	json_t *cols = json_array(), *row, *c;
	struct buf b;
	size_t i, k;

	if (!json_is_array(arr)) {
		json_decref(cols);
		return NULL;
	}
	json_array_foreach(arr, i, row) {
		const char *key;
		json_t *v;

		json_object_foreach((json_t *)row, key, v) {
			json_t *cv = render_csv_value(v);
			bool seen = false;

			if (cv == NULL)
				continue;
			json_decref(cv);
			json_array_foreach(cols, k, c)
				seen = seen || strcmp(json_string_value(c), key) == 0;
			if (!seen)
				json_array_append_new(cols, json_string(key));
		}
	}
	buf_init(&b, BUF_UNLIMITED);
	json_array_foreach(cols, k, c) {
		if ((k && !buf_addc(&b, ',')) || !render_csv_cell(&b, c))
			fatal("csv buffer");
	}
	if (!buf_adds(&b, "\r\n"))
		fatal("csv buffer");
	json_array_foreach(arr, i, row) {
		json_array_foreach(cols, k, c) {
			json_t *cv = render_csv_value(json_object_get(row, json_string_value(c)));

			if ((k && !buf_addc(&b, ',')) || (cv && !render_csv_cell(&b, cv)))
				fatal("csv buffer");
			json_decref(cv);
		}
		if (!buf_adds(&b, "\r\n"))
			fatal("csv buffer");
	}
	json_decref(cols);
	*len = b.len;
	return buf_take(&b);
}

/* ---- SHA256SUMS ---- */

static int
render_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the regular files under dir (recursively) as prefix/relative. */
static void
render_list(const char *dir, const char *prefix, char ***list, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *path, *rel;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		rel = *prefix ? xasprintf("%s/%s", prefix, de->d_name) : xstrdup(de->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			render_list(path, rel, list, n, cap);
			free(rel);
		} else if (S_ISREG(st.st_mode) && strcmp(rel, "SHA256SUMS") != 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*list = xreallocarray(*list, *cap, sizeof(**list));
			}
			(*list)[(*n)++] = rel;
		} else {
			free(rel);
		}
		free(path);
	}
	closedir(d);
}

/* sha256sum(1) lines for every report file and every artifact, with paths
 * as seen from report/, so `cd report && sha256sum -c SHA256SUMS` checks
 * them all. */
static bool
render_sums(const char *case_dir, const char *report_dir, char **err)
{
	char **list = NULL, *art = xasprintf("%s/artifacts", case_dir);
	size_t n = 0, cap = 0, i, nreport;
	struct buf b;
	bool ok = true;

	render_list(report_dir, "", &list, &n, &cap);
	nreport = n;
	render_list(art, "../artifacts", &list, &n, &cap);
	free(art);
	qsort(list, nreport, sizeof(*list), render_cmp);
	qsort(list + nreport, n - nreport, sizeof(*list), render_cmp);
	buf_init(&b, BUF_UNLIMITED);
	for (i = 0; i < n && ok; i++) {
		char *path = xasprintf("%s/%s", report_dir, list[i]);
		struct hashes h;

		if (!hash_file(path, &h)) {
			*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
			ok = false;
		} else if (!buf_printf(&b, "%s  %s\n", h.sha256, list[i])) {
			fatal("manifest buffer");
		}
		free(path);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	if (ok)
		ok = render_write(report_dir, "SHA256SUMS", b.p ? b.p : "", b.len, err);
	buf_free(&b);
	return ok;
}

/* ---- the report ---- */

static const struct {
	const char *file;
	const char *key;
	const char *alt;
} render_tables[] = {
	{ "evidence.csv", "evidence", NULL },
	{ "flows.csv", "flows", NULL },
	{ "credentials.csv", "credentials", NULL },
	{ "sessions.csv", "sessions", NULL },
	{ "messages.csv", "messages", NULL },
	{ "files.csv", "files", "artifacts" },
	{ "documents.csv", "documents", NULL },
	{ "timeline.csv", "timeline", NULL },
	{ "log.csv", "log", NULL },
};

bool
render_report(struct casedb *db, json_t *model, const struct render_opts *o, char **err)
{
	const char *case_dir = casedb_dir(db);
	const char *tdir = o->templates_dir;
	const json_t *c = json_object_get(model, "case");
	const char *lang = json_string_value(json_object_get(model, "lang"));
	char *dir = xasprintf("%s/report", case_dir), *md = NULL, *html = NULL, *json = NULL, *title;
	bool ok = false;
	size_t i;

	*err = NULL;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create: %s", dir, strerror(errno));
		free(dir);
		return false;
	}
	md = mustache_render_file(tdir, "report.md.mustache", model, mustache_escape_markdown, err);
	if (md == NULL)
		goto out;
	if (json_is_string(json_object_get(c, "title")))
		title = xasprintf("%s", json_string_value(json_object_get(c, "title")));
	else
		title = xstrdup("mailcase report");
	html = html_page_from_markdown(md, strlen(md), tdir, title, lang ? lang : "en", err);
	free(title);
	if (html == NULL)
		goto out;
	json = json_dumps(model, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (json == NULL)
		fatal("cannot serialise the report model");
	{
		char *nl = xasprintf("%s\n", json);

		free(json);
		json = nl;
	}
	if (!render_write(dir, "report.md", md, strlen(md), err) ||
	    !render_write(dir, "report.html", html, strlen(html), err) ||
	    !render_write(dir, "report.json", json, strlen(json), err))
		goto out;
	for (i = 0; i < sizeof(render_tables) / sizeof(render_tables[0]); i++) {
		const json_t *arr = json_object_get(model, render_tables[i].key);
		size_t len = 0;
		char *csv;

		if (!json_is_array(arr) && render_tables[i].alt != NULL)
			arr = json_object_get(model, render_tables[i].alt);
		if (!json_is_array(arr))
			arr = json_array();
		else
			json_incref((json_t *)arr);
		csv = render_csv(arr, &len);
		json_decref((json_t *)arr);
		ok = render_write(dir, render_tables[i].file, csv, len, err);
		free(csv);
		if (!ok)
			goto out;
	}
	ok = render_sums(case_dir, dir, err);
out:
	free(md);
	free(html);
	free(json);
	free(dir);
	return ok;
}
