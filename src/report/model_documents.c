/* model_documents.c - the report model's "documents" section, built from the
 * tables that office/ writes (documents, doc_items) and the artifact store.
 *
 * Per document: identity and hashes, a metadata table (one row per property
 * present, with an is_<key> flag so templates can label rows in their own
 * language), the text as an excerpt and as lines for the appendix, the items
 * (comments, tracked changes, hyperlinks, notes, sheets, slides) and the
 * embedded images with the path of the extracted file relative to report/.
 * Creation and modification times go to the timeline. Values are evidence
 * text: the templates escape them. */
#include "report/model.h"
#include "store/artifacts.h"
#include "store/q_report.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Characters of text shown in the body; the appendix has all of it. */
#define DOC_EXCERPT_CHARS 500

/* W3CDTF (ISO 8601 profile used by OPC core properties and ODF meta):
 * "2009-10-10T17:58:00Z", optional fraction and offset; no offset is read as
 * UTC (ODF writes local time without one: the report says "as written").
 * Returns false when the value is not a date-time. */
static bool
w3cdtf_us(const char *s, int64_t *us)
{
	return timefmt_iso8601_us(s, us, NULL);
}

/* The first max characters (UTF-8 sequences, not bytes). */
static char *
excerpt(const char *s, size_t max, bool *cut)
{
	size_t i = 0, chars = 0;

	while (s[i] != '\0' && chars < max) {
		i++;
		while (((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	*cut = s[i] != '\0';
	return xstrndup(s, i);
}

static json_t *
lines(const char *s)
{
	json_t *arr = json_array();

	while (s != NULL && *s != '\0') {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *l = xstrndup(s, n);
		json_t *o;

		/* blank lines separate nothing in a list of lines */
		if (strspn(l, " \t") != n) {
			o = json_object();
			json_object_set_new(o, "line", model_string(l));
			json_array_append_new(arr, o);
		}
		free(l);
		s = e ? e + 1 : s + n;
	}
	return arr;
}

/* The text on one line, for a table cell: newlines and tabs become spaces. */
static json_t *
flat(const char *s)
{
	char *c;
	json_t *j;

	if (s == NULL)
		return json_null();
	c = xstrdup(s);
	for (char *p = c; *p != '\0'; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	j = model_string(c);
	free(c);
	return j;
}

/* Where a kind of document keeps the properties the timeline cites. */
static const char *
doc_props_part(const char *kind)
{
	if (kind == NULL)
		return "docProps/core.xml";
	if (strcmp(kind, "hwpx") == 0)
		return "Contents/content.hpf";
	if (strcmp(kind, "hwp") == 0)
		return "HwpSummaryInformation";
	return kind[0] == 'o' ? "meta.xml" : "docProps/core.xml";
}

static json_t *
flag_row(const char *key, const char *value)
{
	json_t *o = json_object();
	char is[64];

	snprintf(is, sizeof(is), "is_%s", key);
	json_object_set_new(o, "key", model_string(key));
	json_object_set_new(o, is, json_true());
	json_object_set_new(o, "value", model_string(value));
	json_object_set_new(o, "empty", json_boolean(value[0] == '\0'));
	return o;
}

static void
doc_items(struct rows *st, int64_t id, json_t *doc)
{
	const struct row *r;
	json_t *items = json_array(), *images = json_array(), *files = json_array();

	rows_bind_int(st, 1, id);
	while (rows_next(st, &r)) {
		const char *kind = row_text(r, 0);
		json_t *o = json_object();
		char is[64];

		snprintf(is, sizeof(is), "is_%s", kind);
		json_object_set_new(o, "kind", model_string(kind));
		json_object_set_new(o, is, json_true());
		json_object_set_new(o, "author", model_string(row_text(r, 1)));
		json_object_set_new(o, "date", model_string(row_text(r, 2)));
		json_object_set_new(o, "text", model_string(row_text(r, 3)));
		json_object_set_new(o, "text_flat", flat(row_text(r, 3)));
		json_object_set_new(o, "target", model_string(row_text(r, 4)));
		json_object_set_new(o, "sha256", model_string(row_text(r, 5)));
		json_object_set_new(o, "md5", model_string(row_text(r, 6)));
		json_object_set_new(o, "part", model_string(row_text(r, 7)));
		json_object_set_new(o, "size", model_row_int(r, 8));
		json_object_set_new(o, "detected_type", model_string(row_text(r, 9)));
		if (row_text(r, 5) != NULL) {
			/* artstore_relpath() is built from the hex digest only */
			char *href = xasprintf("../%s", artstore_relpath(row_text(r, 5)));
			const char *name = row_text(r, 7) ? strrchr(row_text(r, 7), '/') : NULL;

			json_object_set_new(o, "href", model_string(href));
			json_object_set_new(o, "name", model_string(name ? name + 1 :
			    row_text(r, 7) ? row_text(r, 7) : row_text(r, 5)));
			free(href);
			json_array_append(files, o);
			if (strcmp(kind, "image") == 0)
				json_array_append(images, o);
		} else {
			json_array_append(items, o);
		}
		json_decref(o);
	}
	json_object_set_new(doc, "items_any", json_boolean(json_array_size(items) > 0));
	json_object_set_new(doc, "items", items);
	json_object_set_new(doc, "images_any", json_boolean(json_array_size(images) > 0));
	json_object_set_new(doc, "images", images);
	json_object_set_new(doc, "files_any", json_boolean(json_array_size(files) > 0));
	json_object_set_new(doc, "files", files);
}

void
model_documents(struct casedb *db, json_t *root, const struct model_opts *o)
{
	static const char *const props[] = { "title", "subject", "creator", "keywords",
	    "description", "last_modified_by", "revision", "created", "modified", "last_printed",
	    "application", "app_version", "company", "template", "total_time", "pages", "words" };
	struct rows *st = q_report_documents(db);
	struct rows *items = q_report_doc_items(db);     /* bound to each document */
	const struct row *r;
	json_t *arr = json_array();
	int n = 0;

	(void)o;
	while (rows_next(st, &r)) {
		json_t *doc = json_object(), *meta = json_array();
		const char *name = row_text(r, 3) ? row_text(r, 3) : row_text(r, 1);
		const char *text = row_text(r, 11) ? row_text(r, 11) : "";
		const char *ev = row_text(r, 12);
		const char *evb = ev && strrchr(ev, '/') ? strrchr(ev, '/') + 1 : ev;
		bool cut;
		char *ex = excerpt(text, DOC_EXCERPT_CHARS, &cut);

		json_object_set_new(doc, "no", json_integer(++n));
		json_object_set_new(doc, "id", json_integer(row_int(r, 0)));
		json_object_set_new(doc, "sha256", model_string(row_text(r, 1)));
		json_object_set_new(doc, "kind", model_string(row_text(r, 2)));
		if (row_text(r, 2) != NULL && strlen(row_text(r, 2)) < 32) {
			/* kind_hwp, kind_hwpx ...: templates name the kind in their language */
			char is[48];

			snprintf(is, sizeof(is), "kind_%s", row_text(r, 2));
			json_object_set_new(doc, is, json_true());
		}
		json_object_set_new(doc, "name", model_string(name ? name : ""));
		json_object_set_new(doc, "md5", model_string(row_text(r, 4)));
		json_object_set_new(doc, "size", model_row_int(r, 5));
		json_object_set_new(doc, "size_text", model_grouped(row_int(r, 5)));
		json_object_set_new(doc, "depth", json_integer(row_int(r, 6)));
		json_object_set_new(doc, "parent_sha256", model_string(row_text(r, 7)));
		json_object_set_new(doc, "has_macros", json_boolean((int)row_int(r, 8)));
		json_object_set_new(doc, "encrypted", json_boolean((int)row_int(r, 9)));
		json_object_set_new(doc, "flags", model_string(row_text(r, 10)));
		json_object_set_new(doc, "evidence", model_string(evb));
		json_object_set_new(doc, "text", model_string(text));
		json_object_set_new(doc, "text_any", json_boolean(text[0] != '\0'));
		json_object_set_new(doc, "text_lines", lines(text));
		json_object_set_new(doc, "excerpt", model_string(ex));
		json_object_set_new(doc, "excerpt_lines", lines(ex));
		json_object_set_new(doc, "excerpt_cut", json_boolean(cut));
		free(ex);
		for (int i = 0; i < (int)(sizeof(props) / sizeof(props[0])); i++) {
			const char *v = row_text(r, 13 + i);

			json_object_set_new(doc, props[i], model_string(v));
			if (v != NULL)
				json_array_append_new(meta, flag_row(props[i], v));
		}
		json_object_set_new(doc, "metadata_any", json_boolean(json_array_size(meta) > 0));
		json_object_set_new(doc, "metadata", meta);
		doc_items(items, row_int(r, 0), doc);

		for (int k = 0; k < 2; k++) {
			const char *v = row_text(r, k == 0 ? 20 : 21);
			int64_t us;
			bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
			char *text_, *src;

			if (!w3cdtf_us(v, &us))
				continue;
			text_ = ko ? xasprintf("%s %s (문서 속성: %s)", name ? name : "",
			    k == 0 ? "작성" : "마지막 수정", v) :
			    xasprintf("%s %s (document properties: %s)", name ? name : "",
			    k == 0 ? "created" : "last modified", v);
			src = xasprintf("%s%s%s %s", evb ? evb : "", evb ? ": " : "",
			    name ? name : "", doc_props_part(row_text(r, 2)));
			model_timeline_add(root, us, k == 0 ? "doc-created" : "doc-modified", text_, src);
			free(text_);
			free(src);
		}
		json_array_append_new(arr, doc);
	}
	rows_close(st);
	rows_close(items);
	json_object_set_new(root, "documents_any", json_boolean(n > 0));
	json_object_set_new(root, "documents_count", json_integer(n));
	json_object_set_new(root, "documents", arr);
}
