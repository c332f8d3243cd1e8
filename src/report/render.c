/* render.c - the files of CASE/report/ from the model (see render.h):
 * report.md (Mustache, Markdown escaping), report.html (html.h, inside
 * page.html.mustache), report.json (the model), one JSON Lines file per
 * table with the CSV read back from it, and SHA256SUMS over every report
 * and artifact file. A case with a table longer than MAIN_ROWS is rendered
 * as a main report plus appendix pages, each modelled from one page of the
 * database (model_table) and freed before the next, so memory stays flat
 * whatever the case size. Every file is written to a temporary name and
 * renamed, so a failed render never leaves a half file in place of a good
 * one. */
#include "report/render.h"
#include "report/csvcols.h"
#include "report/html.h"
#include "report/model.h"
#include "report/mustache.h"
#include "report/svg.h"
#include "store/casedb.h"
#include "store/q_report.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/hash.h"
#include "util/outdir.h"
#include "util/workq.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ok, or when it was already false, the errno of the first failure kept
 * in *e: the message names the cause, not what a later call left. */
static bool
render_ok(bool ok, bool was, int *e)
{
	if (!ok && was)
		*e = errno;
	return ok && was;
}

/* Writes dir/name through dir/.name.tmp and rename(2); the fault point,
 * when not NULL, is passed between the two (fault.h). */
static bool
render_write_at(const char *dir, const char *name, const char *text, size_t len,
    const char *point, char **err)
{
	char *tmp = xasprintf("%s/.%s.tmp", dir, name), *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(tmp, "wb");
	int e = errno;
	bool ok = fp != NULL;

	if (ok) {
		ok = render_ok(fwrite(text, 1, len, fp) == len, ok, &e);
		ok = render_ok(fflush(fp) == 0, ok, &e);
		ok = render_ok(fsync(fileno(fp)) == 0, ok, &e);
		ok = render_ok(fclose(fp) == 0, ok, &e);
	}
	if (ok && point != NULL)
		fault_point(point);
	if (ok)
		ok = render_ok(rename(tmp, path) == 0, ok, &e);
	if (!ok) {
		*err = xasprintf("%s: cannot write: %s", path, strerror(e));
		unlink(tmp);
	}
	free(tmp);
	free(path);
	return ok;
}

static bool
render_write(const char *dir, const char *name, const char *text, size_t len, char **err)
{
	return render_write_at(dir, name, text, len, NULL, err);
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

/* ---- JSON Lines, and the CSVs written beside them ---- */

/* A file written through a temporary name (render_write's rule); a failed
 * write is remembered and reported when it is closed. */
struct outfile {
	FILE *fp;
	char *tmp, *path;
	bool ok;
	int err;                /* errno of the first failure */
};

static void
outfile_open(struct outfile *f, const char *dir, const char *name)
{
	f->tmp = xasprintf("%s/.%s.tmp", dir, name);
	f->path = xasprintf("%s/%s", dir, name);
	f->fp = fopen(f->tmp, "wb");
	f->err = errno;
	f->ok = f->fp != NULL;
}

static void
outfile_write(struct outfile *f, const char *p, size_t n)
{
	f->ok = render_ok(!f->ok || fwrite(p, 1, n, f->fp) == n, f->ok, &f->err);
}

static bool
outfile_close(struct outfile *f, char **err)
{
	bool ok = f->ok;

	if (f->fp != NULL) {
		ok = render_ok(fflush(f->fp) == 0, ok, &f->err);
		ok = render_ok(fsync(fileno(f->fp)) == 0, ok, &f->err);
		ok = render_ok(fclose(f->fp) == 0, ok, &f->err);
	}
	if (ok && f->path != NULL)
		ok = render_ok(rename(f->tmp, f->path) == 0, ok, &f->err);
	if (!ok && f->path != NULL) {
		if (*err == NULL)
			*err = xasprintf("%s: cannot write: %s", f->path, strerror(f->err));
		unlink(f->tmp);
	}
	free(f->tmp);
	free(f->path);
	memset(f, 0, sizeof(*f));
	return ok;
}

/* The cell value of column key in row (csvcols.h: "list.key" joins key
 * of each object of the list), a new reference, or NULL for none. */
static json_t *
csv_value_at(const json_t *row, const char *key)
{
	const char *dot = strchr(key, '.'), *sep;
	const json_t *list, *e;
	struct buf b;
	json_t *r;
	size_t i, n = 0;

	if (dot == NULL)
		return render_csv_value(json_object_get(row, key));
	list = json_object_getn(row, key, (size_t)(dot - key));
	if (!json_is_array(list))
		return NULL;
	sep = strcmp(dot + 1, "line") == 0 ? "\n" : "; ";
	buf_init(&b, BUF_UNLIMITED);
	json_array_foreach(list, i, e) {
		json_t *v = render_csv_value(json_object_get(e, dot + 1));

		if (v == NULL || json_is_null(v)) {
			json_decref(v);
			continue;
		}
		if (json_is_string(v)) {
			if (!buf_adds(&b, n++ ? sep : "") || !buf_adds(&b, json_string_value(v)))
				fatal("csv buffer");
		} else if (json_is_integer(v)) {
			if (!buf_printf(&b, "%s%lld", n++ ? sep : "", (long long)json_integer_value(v)))
				fatal("csv buffer");
		}
		json_decref(v);
	}
	r = json_string(buf_str(&b));
	buf_free(&b);
	return r;
}

/* A CSV row: the header (row NULL, in the language ko or English) or the
 * cells of row, in cols order, ended by CRLF (RFC 4180). */
static void
csv_row(struct outfile *f, const struct csv_col *cols, const json_t *row, bool ko)
{
	struct buf b;
	size_t k;

	buf_init(&b, BUF_UNLIMITED);
	for (k = 0; cols[k].key != NULL; k++) {
		json_t *cv = row != NULL ? csv_value_at(row, cols[k].key) :
		    json_string(ko ? cols[k].ko : cols[k].en);

		if ((k && !buf_addc(&b, ',')) || (cv && !render_csv_cell(&b, cv)))
			fatal("csv buffer");
		json_decref(cv);
	}
	if (!buf_adds(&b, "\r\n"))
		fatal("csv buffer");
	outfile_write(f, b.p, b.len);
	buf_free(&b);
}

/* A table's file of one JSON object per line, and (when the table has
 * one, csvcols.h) its CSV, written row by row as the rows go by. */
struct jsonl {
	struct outfile out, csv;
	const struct csv_col *cols;
	bool ko;
};

/* dir/name, and dir/TABLE.csv beside it when cols is not NULL; headings
 * in Korean when ko. The CSV starts with a UTF-8 byte order mark, which
 * spreadsheet programs need to read it as UTF-8, and always has its
 * header row. */
static void
jsonl_open(struct jsonl *w, const char *dir, const char *name, const struct csv_col *cols,
    bool ko)
{
	memset(w, 0, sizeof(*w));
	outfile_open(&w->out, dir, name);
	w->cols = cols;
	w->ko = ko;
	if (cols != NULL) {
		const char *dot = strrchr(name, '.');
		char *csv = xasprintf("%.*s.csv", (int)(dot ? dot - name : (ptrdiff_t)strlen(name)),
		    name);

		outfile_open(&w->csv, dir, csv);
		free(csv);
		outfile_write(&w->csv, "\xEF\xBB\xBF", 3);
		csv_row(&w->csv, cols, NULL, ko);
	}
}

static void
jsonl_add(struct jsonl *w, const json_t *v)
{
	if (w->cols != NULL)
		csv_row(&w->csv, w->cols, v, w->ko);
	w->out.ok = render_ok(!w->out.ok ||
	    json_dumpf(v, w->out.fp, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0, w->out.ok, &w->out.err);
	outfile_write(&w->out, "\n", 1);
}

/* Each object of arr as a line; for the sessions also each transcript
 * line, with its session's number, to tw (when not NULL). */
static void
jsonl_add_list(struct jsonl *w, struct jsonl *tw, const json_t *arr)
{
	const json_t *row, *line;
	size_t i, k;

	json_array_foreach(arr, i, row) {
		jsonl_add(w, row);
		if (tw == NULL)
			continue;
		json_array_foreach(json_object_get(row, "transcript"), k, line) {
			json_t *l = json_object();

			json_object_set(l, "session", json_object_get(row, "no"));
			json_object_update(l, (json_t *)line);
			jsonl_add(tw, l);
			json_decref(l);
		}
	}
}

static bool
jsonl_close(struct jsonl *w, char **err)
{
	bool ok = outfile_close(&w->out, err);

	if (w->cols != NULL)
		ok = outfile_close(&w->csv, err) && ok;
	memset(w, 0, sizeof(*w));
	return ok;
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

/* The SHA-256 an artifact's path names: the store writes each artifact as
 * artifacts/XX/<its SHA-256>. NULL for any other path. */
static const char *
render_artifact_sha(const char *rel)
{
	const char *name = strrchr(rel, '/');

	if (strncmp(rel, "../artifacts/", 13) != 0 || name == NULL)
		return NULL;
	name++;
	return strlen(name) == 64 && strspn(name, "0123456789abcdef") == 64 ? name : NULL;
}

/* A file by its inode, for the report files that are hard links to an
 * artifact (extracted/). */
struct sums_ino {
	dev_t dev;
	ino_t ino;
	const char *sha256;
};

static int
sums_ino_cmp(const void *a, const void *b)
{
	const struct sums_ino *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

/* sha256sum(1) lines for every report file and every artifact, with paths
 * as seen from report/, so `cd report && sha256sum -c SHA256SUMS` checks
 * them all. An artifact is listed with the SHA-256 its name says, which
 * the store computed when it wrote it, and so is a report file that is a
 * hard link to one: if either was changed since, sha256sum -c and verify
 * say so, where a hash read again now would hide it. The report's other
 * files are read and hashed. */
static bool
render_sums(const char *case_dir, const char *report_dir, char **err)
{
	char **list = NULL, *art = xasprintf("%s/artifacts", case_dir);
	size_t n = 0, cap = 0, i, nreport, nino = 0;
	struct sums_ino *ino;
	struct buf b;
	bool ok = true;

	render_list(report_dir, "", &list, &n, &cap);
	nreport = n;
	render_list(art, "../artifacts", &list, &n, &cap);
	free(art);
	qsort(list, nreport, sizeof(*list), render_cmp);
	qsort(list + nreport, n - nreport, sizeof(*list), render_cmp);
	ino = xcalloc(n - nreport + 1, sizeof(*ino));
	for (i = nreport; i < n; i++) {
		char *path = xasprintf("%s/%s", report_dir, list[i]);
		struct stat st;

		if (render_artifact_sha(list[i]) != NULL && stat(path, &st) == 0)
			ino[nino++] = (struct sums_ino){ st.st_dev, st.st_ino, render_artifact_sha(list[i]) };
		free(path);
	}
	qsort(ino, nino, sizeof(*ino), sums_ino_cmp);
	buf_init(&b, BUF_UNLIMITED);
	for (i = 0; i < n && ok; i++) {
		char *path = xasprintf("%s/%s", report_dir, list[i]);
		const char *sha = i >= nreport ? render_artifact_sha(list[i]) : NULL;
		struct hashes h;
		struct stat st;

		if (sha == NULL && stat(path, &st) == 0 && st.st_nlink > 1) {
			struct sums_ino key = { st.st_dev, st.st_ino, NULL };
			const struct sums_ino *f = bsearch(&key, ino, nino, sizeof(*ino), sums_ino_cmp);

			sha = f != NULL ? f->sha256 : NULL;
		}
		if (sha == NULL && hash_file(path, &h))
			sha = h.sha256;
		if (sha == NULL) {
			*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
			ok = false;
		} else if (!buf_printf(&b, "%s  %s\n", sha, list[i])) {
			fatal("manifest buffer");
		}
		free(path);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(ino);
	/* The manifest is what says the report is whole: written last, and
	 * synced with its folder before the run log records it. */
	if (ok)
		ok = render_write_at(report_dir, "SHA256SUMS", b.p ? b.p : "", b.len,
		    "render.manifest", err);
	if (ok && !outdir_sync(report_dir)) {
		*err = xasprintf("%s: cannot sync to disk: %s", report_dir, strerror(errno));
		ok = false;
	}
	buf_free(&b);
	return ok;
}

/* Begins writing a report folder: its manifest goes first, so that a
 * render that does not finish (killed, a full disk) leaves a folder that
 * no SHA256SUMS claims whole, rather than new pages under the manifest of
 * the old ones. The next render writes it again. */
static bool
render_unclaim(const char *dir, char **err)
{
	char *sums = xasprintf("%s/SHA256SUMS", dir);
	bool ok = unlink(sums) == 0 || errno == ENOENT;

	if (ok && !outdir_sync(dir))
		ok = false;
	if (!ok)
		*err = xasprintf("%s: cannot remove the manifest of the report being replaced: %s",
		    sums, strerror(errno));
	free(sums);
	return ok;
}

/* ---- the report ---- */

/* The tables written as JSON Lines and CSV: name.jsonl and name.csv from
 * the model's list key (or alt). */
static const struct {
	const char *name;
	const char *key;
	const char *alt;
} render_tables[] = {
	{ "evidence", "evidence", NULL },
	{ "flows", "flows", NULL },
	{ "credentials", "credentials", NULL },
	{ "sessions", "sessions", NULL },
	{ "messages", "messages", NULL },
	{ "files", "files", "artifacts" },
	{ "documents", "documents", NULL },
	{ "timeline", "timeline", NULL },
	{ "log", "log", NULL },
};

#define RENDER_NTABLES (sizeof(render_tables) / sizeof(render_tables[0]))

/* The main report shows at most MAIN_ROWS rows of a table; a table with
 * more is written in full to appendix pages of PAGE_ROWS rows each
 * (report/TABLE/page-NNNN.md and .html; their rows are in TABLE.jsonl). */
#define MAIN_ROWS 50
/* report/extracted/: the extracted files and raw messages under their
 * (made safe) names, hard links to the store. */
#define EXTRACTED_DIR "extracted"
#define PAGE_ROWS 1000
/* Messages and sessions are pages of fewer rows: a row holds a whole
 * message (headers, text, parts, route) or a session with its transcript,
 * and a page's model is in memory while it is rendered, once per thread. */
#define PAGE_ROWS_HEAVY 250

static int64_t
paged_rows(const char *table)
{
	return strcmp(table, "messages") == 0 || strcmp(table, "sessions") == 0 ?
	    PAGE_ROWS_HEAVY : PAGE_ROWS;
}

/* The tables that get appendix pages, in builder order, "timeline" last
 * (it is read back sorted once every builder has added its events). */
static const char *const render_paged[] = {
	"flows", "credentials", "sessions", "messages", "files", "log", "timeline",
};

#define RENDER_NPAGED (sizeof(render_paged) / sizeof(render_paged[0]))

static bool
render_is_paged(const char *table)
{
	size_t i;

	for (i = 0; i < RENDER_NPAGED; i++)
		if (strcmp(render_paged[i], table) == 0)
			return true;
	return false;
}

static size_t
render_table_index(const char *name)
{
	size_t i;

	for (i = 0; i < RENDER_NTABLES; i++)
		if (strcmp(render_tables[i].name, name) == 0)
			return i;
	fatal("render: no table %s", name);
}

/* The model's list of table i, or NULL. */
static const json_t *
render_list_of(const json_t *model, size_t i)
{
	const json_t *arr = json_object_get(model, render_tables[i].key);

	if (!json_is_array(arr) && render_tables[i].alt != NULL)
		arr = json_object_get(model, render_tables[i].alt);
	return json_is_array(arr) ? arr : NULL;
}

/* Deletes the appendix pages of an earlier render (the case may have been
 * smaller then, or rendered in another language). */
/* Removes the files of dir/sub whose names start with prefix (or ".prefix",
 * a write left half done), or every file when prefix is NULL, then sub if
 * it is empty. */
static void
render_dir_clear(const char *dir, const char *sub_name, const char *prefix)
{
	char *sub = xasprintf("%s/%s", dir, sub_name);
	DIR *d = opendir(sub);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		const char *n = de->d_name;

		if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
			continue;
		if (prefix == NULL || strncmp(n, prefix, strlen(prefix)) == 0 ||
		    (n[0] == '.' && strncmp(n + 1, prefix, strlen(prefix)) == 0)) {
			char *f = xasprintf("%s/%s", sub, n);

			unlink(f);
			free(f);
		}
	}
	if (d != NULL)
		closedir(d);
	rmdir(sub);
	free(sub);
}

static void
render_pages_clear(const char *dir)
{
	size_t i;

	for (i = 0; i < RENDER_NPAGED; i++)
		render_dir_clear(dir, render_paged[i], "page-");
	render_dir_clear(dir, EXTRACTED_DIR, NULL);
}

static bool
model_is_ko(const json_t *model)
{
	const char *lang = json_string_value(json_object_get(model, "lang"));

	return lang != NULL && strcmp(lang, "ko") == 0;
}

/* dir/name.json: the model without its "ext" key. */
static bool
render_model_json(const char *dir, const char *name, json_t *model, char **err)
{
	json_t *ext = json_incref(json_object_get(model, "ext"));
	char *json, *f;
	size_t n;
	bool ok;

	json_object_del(model, "ext");
	json = json_dumps(model, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (ext != NULL)
		json_object_set_new(model, "ext", ext);
	if (json == NULL)
		fatal("cannot serialise the report model");
	n = strlen(json);
	json = xrealloc(json, n + 2);
	json[n] = '\n';
	json[n + 1] = '\0';
	f = xasprintf("%s.json", name);
	ok = render_write(dir, f, json, n + 1, err);
	free(f);
	free(json);
	return ok;
}

/* md and the HTML page made from it, in which the links between pages
 * point at .html (html.c rewrites them: the Markdown is rendered once). */
static bool
render_md_html(const char *tdir, const char *tpl, json_t *model, char **md, char **html,
    char **err)
{
	const json_t *c = json_object_get(model, "case");
	const char *lang = json_string_value(json_object_get(model, "lang"));
	const char *title = json_string_value(json_object_get(c, "title"));
	const char *number = json_string_value(json_object_get(c, "number"));

	*html = NULL;
	*md = mustache_render_file(tdir, tpl, model, mustache_escape_markdown, err);
	if (*md == NULL)
		return false;
	*html = html_page_from_markdown(*md, strlen(*md), tdir, title ? title : "mailcase report",
	    lang ? lang : "en", number, err);
	if (*html != NULL) {
		char *pictures = svg_inline(*html, model);   /* svg.h: the route and timeline pictures */

		if (pictures != NULL) {
			free(*html);
			*html = pictures;
		}
	}
	return *html != NULL;
}

/* name.md and name.html in dir from model, and name.json when with_json
 * (the main report; an appendix page's rows are in the table's JSON Lines
 * file already). The model's "ext" key, when there, is not part of the
 * JSON. */
static bool
render_page_files(const char *dir, const char *name, const char *tdir, const char *tpl,
    json_t *model, bool with_json, char **err)
{
	char *md = NULL, *html = NULL, *f;
	bool ok = render_md_html(tdir, tpl, model, &md, &html, err);

	if (ok) {
		f = xasprintf("%s.md", name);
		ok = render_write(dir, f, md, strlen(md), err);
		free(f);
	}
	if (ok) {
		f = xasprintf("%s.html", name);
		ok = render_write(dir, f, html, strlen(html), err);
		free(f);
	}
	free(md);
	free(html);
	if (ok && with_json)
		ok = render_model_json(dir, name, model, err);
	if (ok)
		fault_point("render.page");
	return ok;
}

/* ---- jobs for the worker threads (workq.h) ---- */

/* One appendix page's files from its model, which the job owns. */
struct page_job {
	char *dir, *name;
	const char *tdir, *tpl;
	json_t *model;
};

static bool
page_job_run(void *arg, char **err)
{
	struct page_job *j = arg;
	bool ok = render_page_files(j->dir, j->name, j->tdir, j->tpl, j->model, false, err);

	json_decref(j->model);
	free(j->dir);
	free(j->name);
	free(j);
	/* A page's model and text are tens of MB, freed on another thread than
	 * the one that built them: give the pages back to the kernel, or the
	 * arenas of the threads keep growing with the number of pages. */
	malloc_trim(0);
	return ok;
}

/* Queues dir/name.{md,html}; the model is the job's from here on
 * (the caller keeps its reference only if it json_incref'd it). */
static void
page_job_add(struct workq *q, const char *dir, const char *name, const char *tdir,
    const char *tpl, json_t *model)
{
	struct page_job *j = xcalloc(1, sizeof(*j));

	j->dir = xstrdup(dir);
	j->name = xstrdup(name);
	j->tdir = tdir;
	j->tpl = tpl;
	j->model = model;
	workq_add(q, page_job_run, j);
}

/* ---- report/extracted/: the stored files under their names ---- */

/* dst as a copy of src (where the file system has no hard links). */
static bool
render_copy(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
	char b[65536];
	size_t n;
	bool ok = out != NULL;

	while (ok && (n = fread(b, 1, sizeof(b), in)) > 0)
		ok = fwrite(b, 1, n, out) == n;
	ok = ok && !ferror(in);
	if (out != NULL)
		ok = fclose(out) == 0 && ok;
	if (in != NULL)
		fclose(in);
	return ok;
}

/* report/NAMED (extracted/...) as a hard link to CASE/PATH (the store,
 * artifacts/xx/sha256), or a copy where links cannot be made: every
 * extracted file and raw message can be opened from the report under its
 * declared name. The names are the model's (text_file_name), one level
 * below report/. */
static bool
render_extract(const char *case_dir, const char *report_dir, const char *named,
    const char *path, char **err)
{
	char *src, *dst;
	bool ok;

	if (named == NULL || path == NULL)
		return true;
	if (strncmp(named, EXTRACTED_DIR "/", sizeof(EXTRACTED_DIR)) != 0 ||
	    strchr(named + sizeof(EXTRACTED_DIR), '/') != NULL)
		fatal("render: extracted name %s is not one name in " EXTRACTED_DIR "/", named);
	src = xasprintf("%s/%s", case_dir, path);
	dst = xasprintf("%s/%s", report_dir, named);
	(void)unlink(dst);
	ok = link(src, dst) == 0;
	if (!ok && (errno == EXDEV || errno == EPERM || errno == EMLINK || errno == ENOTSUP))
		ok = render_copy(src, dst);
	if (!ok && *err == NULL)
		*err = xasprintf("%s: cannot link or copy %s: %s", dst, src, strerror(errno));
	free(src);
	free(dst);
	return ok;
}

/* The extracted/ entries of a table's rows: the files' and the messages'
 * raw messages. */
static bool
render_extract_rows(const char *case_dir, const char *report_dir, const char *table,
    const json_t *arr, char **err)
{
	bool files = strcmp(table, "files") == 0, msgs = strcmp(table, "messages") == 0;
	const json_t *row;
	size_t i;
	bool ok = true;

	if ((!files && !msgs) || json_array_size(arr) == 0)
		return true;
	{
		char *d = xasprintf("%s/" EXTRACTED_DIR, report_dir);

		if (mkdir(d, 0755) != 0 && errno != EEXIST) {
			*err = xasprintf("%s: cannot create: %s", d, strerror(errno));
			free(d);
			return false;
		}
		free(d);
	}
	json_array_foreach(arr, i, row) {
		if (!ok)
			break;
		ok = render_extract(case_dir, report_dir,
		    json_string_value(json_object_get(row, files ? "named" : "raw_named")),
		    json_string_value(json_object_get(row, files ? "path" : "raw_path")), err);
	}
	return ok;
}

static bool
render_mkdir(const char *dir, char **err)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create: %s", dir, strerror(errno));
		return false;
	}
	return true;
}

bool
render_report(struct casedb *db, json_t *model, const struct render_opts *o, char **err)
{
	char *dir = xasprintf("%s/%s", casedb_dir(db), o->report_dir ? o->report_dir : "report");
	bool ko = model_is_ko(model);
	struct jsonl tw = { 0 };
	bool ok;
	size_t i;

	*err = NULL;
	ok = render_mkdir(dir, err) && render_unclaim(dir, err);
	if (ok) {
		render_pages_clear(dir);
		ok = render_page_files(dir, "report", o->templates_dir, "report.md.mustache", model, true,
		    err);
	}
	if (ok)
		jsonl_open(&tw, dir, "transcript.jsonl", NULL, ko);
	for (i = 0; ok && i < RENDER_NTABLES; i++) {
		struct jsonl w;
		char *name = xasprintf("%s.jsonl", render_tables[i].name);
		const json_t *arr = render_list_of(model, i);

		jsonl_open(&w, dir, name, csv_columns(render_tables[i].name), ko);
		free(name);
		if (arr != NULL)
			jsonl_add_list(&w, strcmp(render_tables[i].name, "sessions") == 0 ? &tw : NULL, arr);
		if (arr != NULL && ok)
			ok = render_extract_rows(casedb_dir(db), dir, render_tables[i].name, arr, err);
		ok = jsonl_close(&w, err) && ok;
	}
	if (tw.out.path != NULL)
		ok = jsonl_close(&tw, err) && ok;
	if (ok)
		ok = render_sums(casedb_dir(db), dir, err);
	free(dir);
	return ok;
}

/* ---- the paged report ---- */

struct paged {
	struct casedb *db;
	const struct model_opts *mo;
	const char *tdir, *dir;
	json_t *main_case;          /* the case details, for the page headings */
	struct q_timeline_add *tl;  /* while the builders run */
	struct jsonl w, tw;         /* the table's JSON Lines, the transcripts' */
	struct workq *q;            /* page and CSV jobs, on the other cores */
	bool progress;              /* stderr is a terminal */
	/* Whole-case figures that the flows and log builders count over the
	 * rows they see: a page and the main report state them for the case. */
	int64_t flows, flows_mail, log_warnings, log_errors;
};

static bool
paged_ko(const struct paged *p)
{
	return p->mo->lang != NULL && strcmp(p->mo->lang, "ko") == 0;
}

/* Sets the whole-case figures on a model that has the flows or log keys. */
static void
paged_totals(const struct paged *p, json_t *root)
{
	int64_t other = p->flows - p->flows_mail, quota;

	if (json_object_get(root, "flows_mail") != NULL) {
		quota = json_integer_value(json_object_get(root, "flows_timeline_other_max"));
		json_object_set_new(root, "flows_mail", json_integer((json_int_t)p->flows_mail));
		json_object_set_new(root, "flows_timeline_omitted", json_integer((json_int_t)
		    (other > quota ? other - quota : 0)));
		json_object_set_new(root, "flows_timeline_omitted_any", json_boolean(other > quota));
	}
	if (json_object_get(root, "log_warnings") != NULL) {
		json_object_set_new(root, "log_warnings", json_integer((json_int_t)p->log_warnings));
		json_object_set_new(root, "log_errors", json_integer((json_int_t)p->log_errors));
		json_object_set_new(root, "log_warnings_one", json_boolean(p->log_warnings == 1));
		json_object_set_new(root, "log_errors_one", json_boolean(p->log_errors == 1));
	}
}

/* Moves the events a builder added to root["timeline"] to the sorted
 * scratch table. */
static void
paged_drain(struct paged *p, json_t *root)
{
	const json_t *e;
	size_t i;

	json_array_foreach(json_object_get(root, "timeline"), i, e)
		q_report_timeline_add(p->tl, json_integer_value(json_object_get(e, "time_us")),
		    json_string_value(json_object_get(e, "kind")),
		    json_string_value(json_object_get(e, "text")),
		    json_string_value(json_object_get(e, "source")));
	json_object_del(root, "timeline");
}

/* "page-0003" as a new JSON string, or null outside 1..pages. */
static json_t *
paged_name(int64_t no, int64_t pages)
{
	char s[32];

	if (no < 1 || no > pages)
		return json_null();
	snprintf(s, sizeof(s), "page-%04lld", (long long)no);
	return json_string(s);
}

/* Totals a page shows in its section's introduction, and the page's
 * place: {no, pages, first, last, total, prev, next, is_TABLE}. */
static void
paged_keys(struct paged *p, json_t *root, const char *table, int64_t no, int64_t pages,
    int64_t total, size_t rows)
{
	json_t *pg = json_object();
	char *k;

	json_object_set(root, "case", p->main_case);
	json_object_set_new(root, "lang", json_string(p->mo->lang ? p->mo->lang : "en"));
	json_object_set_new(pg, "table", json_string(table));
	json_object_set_new(pg, "no", json_integer((json_int_t)no));
	json_object_set_new(pg, "pages", json_integer((json_int_t)pages));
	json_object_set_new(pg, "first", json_integer((json_int_t)((no - 1) * paged_rows(table) + 1)));
	json_object_set_new(pg, "last", json_integer((json_int_t)((no - 1) * paged_rows(table) +
	    (int64_t)rows)));
	json_object_set_new(pg, "total", json_integer((json_int_t)total));
	json_object_set_new(pg, "prev", paged_name(no - 1, pages));
	json_object_set_new(pg, "next", paged_name(no + 1, pages));
	k = xasprintf("is_%s", table);
	json_object_set_new(pg, k, json_true());
	free(k);
	json_object_set_new(root, "page", pg);
	k = xasprintf("%s_count", table);
	json_object_set_new(root, k, json_integer((json_int_t)total));
	free(k);
	k = xasprintf("%s_one", table);
	json_object_set_new(root, k, json_boolean(total == 1));
	free(k);
	json_object_set_new(root, "ext", json_string("md"));
	json_object_set_new(root, "up", json_string("../"));   /* a page is in report/TABLE/ */
	paged_totals(p, root);
}

static bool
paged_render_page(struct paged *p, json_t *root, const char *table, int64_t no, int64_t pages,
    int64_t total, char **err)
{
	const json_t *arr = render_list_of(root, render_table_index(table));
	char *sub = xasprintf("%s/%s", p->dir, table);
	json_t *n = paged_name(no, pages);
	char *name = xstrdup(json_string_value(n));
	bool ok = render_mkdir(sub, err);

	json_decref(n);
	paged_keys(p, root, table, no, pages, total, json_array_size(arr));
	if (ok)
		page_job_add(p->q, sub, name, p->tdir, "pages.md.mustache", json_incref(root));
	if (p->progress)
		fprintf(stderr, "\rrendering %s: page %lld of %lld", table, (long long)no,
		    (long long)pages);
	free(name);
	free(sub);
	return ok;
}

static int64_t
paged_pages(const char *table, int64_t total)
{
	int64_t rows = paged_rows(table);

	return total <= 0 ? 1 : (total + rows - 1) / rows;
}

/* Every row of one table, a page at a time: its events to the timeline,
 * its rows to its JSON Lines file, and, when it is longer than the main
 * report shows, its appendix pages. */
static bool
paged_table(struct paged *p, const char *table, char **err)
{
	bool paged = render_is_paged(table);
	int64_t total = model_table_count(p->db, table), pages = paged ? paged_pages(table, total) : 1;
	bool appendix = paged && total > MAIN_ROWS;
	size_t ti = render_table_index(table);
	char *name = xasprintf("%s.jsonl", table);
	bool ok = true;
	int64_t no;

	jsonl_open(&p->w, p->dir, name, csv_columns(table), paged_ko(p));
	free(name);
	for (no = 1; ok && no <= pages; no++) {
		struct model_opts o = *p->mo;
		json_t *root = json_object();
		const json_t *arr;

		o.offset = paged ? (no - 1) * paged_rows(table) : 0;
		o.limit = paged ? paged_rows(table) : 0;
		model_table(p->db, root, table, &o);
		paged_drain(p, root);
		arr = render_list_of(root, ti);
		if (arr != NULL)
			jsonl_add_list(&p->w, strcmp(table, "sessions") == 0 ? &p->tw : NULL, arr);
		if (arr != NULL && ok)
			ok = render_extract_rows(casedb_dir(p->db), p->dir, table, arr, err);
		if (appendix && ok)
			ok = paged_render_page(p, root, table, no, pages, total, err);
		json_decref(root);
	}
	if (appendix && p->progress)
		fputc('\n', stderr);
	return jsonl_close(&p->w, err) && ok;
}

/* The sorted timeline, a page at a time, as timeline.jsonl and (when long)
 * appendix pages. */
static bool
paged_timeline(struct paged *p, int64_t total, char **err)
{
	int64_t pages = paged_pages("timeline", total), no;
	bool ok = true;

	jsonl_open(&p->w, p->dir, "timeline.jsonl", csv_columns("timeline"), paged_ko(p));
	for (no = 1; ok && no <= pages; no++) {
		json_t *root = json_object();

		model_timeline_page(p->db, root, (no - 1) * PAGE_ROWS, PAGE_ROWS, p->mo);
		jsonl_add_list(&p->w, NULL, json_object_get(root, "timeline"));
		if (total > MAIN_ROWS)
			ok = paged_render_page(p, root, "timeline", no, pages, total, err);
		json_decref(root);
	}
	if (total > MAIN_ROWS && p->progress)
		fputc('\n', stderr);
	return jsonl_close(&p->w, err) && ok;
}

static void
paged_set_int(json_t *obj, const char *key, const char *suffix, int64_t v)
{
	char *k = xasprintf("%s%s", key, suffix);

	json_object_set_new(obj, k, json_integer((json_int_t)v));
	free(k);
}

static void
paged_set_bool(json_t *obj, const char *key, const char *suffix, bool v)
{
	char *k = xasprintf("%s%s", key, suffix);

	json_object_set_new(obj, k, json_boolean(v));
	free(k);
}

/* In the main model: a long table's true count, how many rows it does not
 * show (X_more), X_paged and X_pages[] {no, path, more}; and the entry in
 * appendix[] {table, rows, shown, jsonl, pages[] {no, md, html, first,
 * last}}: a page's rows are lines first..last of the JSON Lines file. */
static void
paged_main_table(json_t *model, json_t *appendix, const char *table, int64_t total)
{
	int64_t pages = paged_pages(table, total), no;
	json_t *list = json_array(), *files = json_array(), *a = json_object();

	paged_set_int(model, table, "_count", total);
	paged_set_bool(model, table, "_one", total == 1);
	if (total <= MAIN_ROWS) {
		json_decref(list);
		json_decref(files);
		json_decref(a);
		return;
	}
	for (no = 1; no <= pages; no++) {
		char *path = xasprintf("%s/page-%04lld", table, (long long)no);
		int64_t first = (no - 1) * paged_rows(table) + 1;
		int64_t last = no == pages ? total : first + paged_rows(table) - 1;

		json_array_append_new(list, json_pack("{s:I, s:s}", "no", (json_int_t)no, "path", path));
		json_array_append_new(files, json_pack("{s:I, s:s+, s:s+, s:I, s:I}", "no",
		    (json_int_t)no, "md", path, ".md", "html", path, ".html", "first",
		    (json_int_t)first, "last", (json_int_t)last));
		free(path);
	}
	model_list_more(list);
	paged_set_int(model, table, "_more", total - MAIN_ROWS);
	paged_set_bool(model, table, "_paged", true);
	{
		char *k = xasprintf("%s_pages", table);

		json_object_set_new(model, k, list);
		free(k);
	}
	json_object_set_new(a, "table", json_string(table));
	json_object_set_new(a, "rows", json_integer((json_int_t)total));
	json_object_set_new(a, "shown", json_integer(MAIN_ROWS));
	json_object_set_new(a, "jsonl", json_sprintf("%s.jsonl", table));
	json_object_set_new(a, "pages", files);
	json_array_append_new(appendix, a);
}

/* The main report's model: every section with at most MAIN_ROWS rows per
 * table, the true counts, and the links to the appendix pages. */
static json_t *
paged_main(struct paged *p, const int64_t *totals, int64_t tl_total)
{
	struct model_opts o = *p->mo;
	json_t *model, *appendix = json_array(), *jl = json_array();
	size_t i;

	o.offset = 0;
	o.limit = MAIN_ROWS;
	model = model_build(p->db, &o);
	model_timeline_page(p->db, model, 0, MAIN_ROWS, p->mo);
	for (i = 0; i < RENDER_NPAGED; i++)
		paged_main_table(model, appendix, render_paged[i],
		    strcmp(render_paged[i], "timeline") == 0 ? tl_total : totals[i]);
	paged_totals(p, model);
	for (i = 0; i < RENDER_NTABLES; i++)
		json_array_append_new(jl, json_sprintf("%s.jsonl", render_tables[i].name));
	json_array_append_new(jl, json_string("transcript.jsonl"));
	json_object_set_new(model, "appendix", appendix);
	json_object_set_new(model, "jsonl", jl);
	json_object_set_new(model, "ext", json_string("md"));
	return model;
}

/* Every table a page at a time (paged_table), in builder order so that
 * the timeline's ties keep their order; then the sorted timeline. totals[]
 * gets the row count of each render_paged[] table, *tl_total the
 * timeline's. */
static bool
paged_all(struct paged *p, int64_t *totals, int64_t *tl_total, char **err)
{
	size_t i, k = 0;
	bool ok = true;

	q_report_timeline_reset(p->db);
	p->tl = q_report_timeline_open(p->db);
	jsonl_open(&p->tw, p->dir, "transcript.jsonl", NULL, paged_ko(p));
	for (i = 0; ok && model_tables[i] != NULL; i++) {
		ok = paged_table(p, model_tables[i], err);
		if (render_is_paged(model_tables[i]))
			totals[k++] = model_table_count(p->db, model_tables[i]);
	}
	q_report_timeline_close(p->tl);
	p->tl = NULL;
	ok = jsonl_close(&p->tw, err) && ok;
	if (ok) {
		struct rows *st = q_report_timeline(p->db);

		*tl_total = rows_count(st);
		rows_close(st);
		ok = paged_timeline(p, *tl_total, err);
	}
	return ok;
}

/* Does any table have more rows than the main report shows? */
static bool
render_needs_pages(struct casedb *db)
{
	size_t i;

	for (i = 0; i + 1 < RENDER_NPAGED; i++)
		if (model_table_count(db, render_paged[i]) > MAIN_ROWS)
			return true;
	return false;
}

bool
render_case_report(struct casedb *db, const struct model_opts *mo, const struct render_opts *ro,
    char **err)
{
	struct paged p = { .db = db, .mo = mo, .tdir = ro->templates_dir, .progress = isatty(2) };
	int64_t totals[RENDER_NPAGED] = { 0 }, tl_total = 0;
	char *dir, *job_err = NULL;
	json_t *model;
	bool ok, jobs_ok;

	*err = NULL;
	casedb_cache_for_reading(db);
	q_report_numbers_reset(db);
	if (!render_needs_pages(db)) {
		model = model_build(db, mo);
		ok = render_report(db, model, ro, err);
		json_decref(model);
		return ok;
	}
	dir = xasprintf("%s/%s", casedb_dir(db), ro->report_dir ? ro->report_dir : "report");
	p.dir = dir;
	p.flows = model_table_count(db, "flows");
	p.flows_mail = q_report_count(db, Q_COUNT_FLOWS_MAIL);
	p.log_warnings = q_report_count(db, Q_COUNT_LOG_WARNINGS);
	p.log_errors = q_report_count(db, Q_COUNT_LOG_ERRORS);
	ok = render_mkdir(dir, err) && render_unclaim(dir, err);
	/* One page model per worker waits or renders at a time (and one on
	 * this thread): each holds up to PAGE_ROWS (PAGE_ROWS_HEAVY) rows. */
	html_prepare();
	p.q = workq_new(ro->workers, ro->workers > 0 ? ro->workers : 1);
	if (ok) {
		json_t *c = json_object();
		struct model_opts one = *mo;

		one.limit = 1;   /* only the case details are kept */
		render_pages_clear(dir);
		model_case(db, c, &one);
		p.main_case = json_incref(json_object_get(c, "case"));
		json_decref(c);
		ok = paged_all(&p, totals, &tl_total, err);
	}
	if (ok) {
		model = paged_main(&p, totals, tl_total);
		ok = render_page_files(dir, "report", p.tdir, "report.md.mustache", model, true, err);
		json_decref(model);
	}
	jobs_ok = workq_wait(p.q, &job_err);
	workq_free(p.q);
	if (!jobs_ok) {
		if (ok)
			*err = job_err;
		else
			free(job_err);
		ok = false;
	}
	if (ok)
		ok = render_sums(casedb_dir(db), dir, err);
	json_decref(p.main_case);
	free(dir);
	return ok;
}

char *
render_dir_name(const char *lang, const char *case_lang)
{
	const char *own = case_lang != NULL && *case_lang != '\0' ? case_lang : "en";

	if (lang == NULL || *lang == '\0' || strcmp(lang, own) == 0)
		return xstrdup("report");
	return xasprintf("report-%s", lang);
}

static int
render_name_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	if (strcmp(x, "report") == 0 || strcmp(y, "report") == 0)
		return strcmp(x, "report") == 0 ? (strcmp(y, "report") == 0 ? 0 : -1) : 1;
	return strcmp(x, y);
}

char **
render_dirs(const char *case_dir, size_t *n)
{
	DIR *d = opendir(case_dir);
	struct dirent *de;
	char **list = NULL;
	size_t cap = 0;

	*n = 0;
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *sums;
		struct stat st;

		if (strcmp(de->d_name, "report") != 0 && strncmp(de->d_name, "report-", 7) != 0)
			continue;
		sums = xasprintf("%s/%s/SHA256SUMS", case_dir, de->d_name);
		if (lstat(sums, &st) == 0 && S_ISREG(st.st_mode)) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 4;
				list = xreallocarray(list, cap, sizeof(*list));
			}
			list[(*n)++] = xstrdup(de->d_name);
		}
		free(sums);
	}
	if (d != NULL)
		closedir(d);
	if (*n > 1)
		qsort(list, *n, sizeof(*list), render_name_cmp);
	return list;
}
