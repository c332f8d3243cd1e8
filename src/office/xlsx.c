/* xlsx.c - SpreadsheetML text (ECMA-376 Part 1, section 18): sheet names
 * and cell values, strings resolved through the shared string table
 * (18.4). Each sheet is one doc_items row; the text lists the cells row by
 * row, tab-separated. Formulas are not evaluated: the cached value is what
 * the author saw. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XLSX_SHEET_TEXT_MAX (16u << 20)

struct sst {
	char **v;
	size_t n;
};

/* Text of a string item (18.4.8 si): t, and r/t of rich runs; rPh
 * (phonetic hints) is not part of the string. */
static void
si_text(struct buf *b, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (oxml_is(c, "t"))
			oxml_text_add(b, c);
		else if (oxml_is(c, "r"))
			si_text(b, c);
	}
}

static void
sst_load(struct odoc *d, const char *part, struct sst *s)
{
	xmlDocPtr doc = odoc_xml(d, part);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		struct buf b;

		if (!oxml_is(c, "si"))
			continue;
		buf_init(&b, XLSX_SHEET_TEXT_MAX);
		si_text(&b, c);
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n++] = buf_take(&b);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
}

static void
xlsx_sheet(struct odoc *d, const char *part, const char *name, const char *state,
    const struct sst *s)
{
	xmlDocPtr doc = odoc_xml(d, part);
	xmlNode *data = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "sheetData");
	struct buf b;
	char *head;
	bool hidden = state != NULL && strcmp(state, "visible") != 0;

	buf_init(&b, XLSX_SHEET_TEXT_MAX);
	for (xmlNode *row = data ? data->children : NULL; row != NULL; row = row->next) {
		size_t before = b.len;

		if (!oxml_is(row, "row"))
			continue;
		for (xmlNode *c = row->children; c != NULL; c = c->next) {
			const char *t;
			xmlNode *v;

			if (!oxml_is(c, "c"))
				continue;
			t = oxml_attr(c, "t", NULL);
			v = oxml_child(c, "v");
			if (b.len > before)
				ob_c(&b, '\t');
			if (t != NULL && strcmp(t, "s") == 0 && v != NULL) {
				struct buf idx;
				char *end;
				unsigned long i;

				buf_init(&idx, 32);
				oxml_text_add(&idx, v);
				i = strtoul(buf_str(&idx), &end, 10);
				if (*end == '\0' && idx.len > 0 && i < s->n)
					ob_s(&b, s->v[i]);
				else
					odoc_warn(d, "office.xlsx.sst", part,
					    "cell %.20s refers to shared string \"%.20s\", which does not exist",
					    oxml_attr(c, "r", NULL) ? oxml_attr(c, "r", NULL) : "?",
					    buf_str(&idx));
				buf_free(&idx);
			} else if (t != NULL && strcmp(t, "inlineStr") == 0) {
				si_text(&b, oxml_child(c, "is") ? oxml_child(c, "is") : c);
			} else if (v != NULL) {
				oxml_text_add(&b, v);
			}
		}
		while (b.len > before && b.p[b.len - 1] == '\t')
			b.p[--b.len] = '\0';
		if (b.len > before)
			ob_c(&b, '\n');
	}
	if (b.capped)
		odoc_warn(d, "office.text.size", part, "sheet text passed %u bytes: the rest is not kept",
		    XLSX_SHEET_TEXT_MAX);
	if (hidden)
		odoc_flag(d, "hidden-sheets");
	head = xasprintf("%s[sheet %s%s]\n", d->text.len ? "\n" : "", name, hidden ? ", hidden" : "");
	odoc_texts(d, head);
	odoc_texts(d, buf_str(&b));
	free(head);
	head = hidden ? xasprintf("%s (%s)", name, state) : xstrdup(name);
	odoc_item(d, "sheet", NULL, NULL, head, NULL, part);
	free(head);
	buf_free(&b);
	if (doc != NULL)
		xmlFreeDoc(doc);
}

void
xlsx_read(struct odoc *d)
{
	const char *wbpart = "xl/workbook.xml";
	xmlDocPtr doc = odoc_xml(d, wbpart);
	xmlNode *sheets = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "sheets");
	struct orels *rels = orels_load(d, wbpart);
	const char *sstpart = orels_by_type(rels, "/sharedStrings", 0);
	struct sst s = { NULL, 0 };

	sst_load(d, sstpart ? sstpart : "xl/sharedStrings.xml", &s);
	for (xmlNode *c = sheets ? sheets->children : NULL; c != NULL; c = c->next) {
		const char *name = oxml_attr(c, "name", NULL);
		const char *target = orels_target(rels, oxml_attr(c, "id", "relationships"), NULL);

		if (!oxml_is(c, "sheet"))
			continue;
		if (target == NULL) {
			odoc_warn(d, "office.xlsx.sheet", wbpart, "sheet \"%.100s\" has no part",
			    name ? name : "");
			continue;
		}
		xlsx_sheet(d, target, name ? name : "", oxml_attr(c, "state", NULL), &s);
	}
	for (size_t i = 0; i < s.n; i++)
		free(s.v[i]);
	free(s.v);
	orels_free(rels);
	if (doc != NULL)
		xmlFreeDoc(doc);
}
