/* docx.c - WordprocessingML text in reading order (ECMA-376 Part 1,
 * section 17): the body, headers and footers, footnotes and endnotes,
 * comments, tracked changes, hyperlinks, and where images and embedded
 * objects sit.
 *
 * Word splits a sentence into as many runs (w:r) as editing sessions and
 * spell checks touched it; the text of the runs is joined as written. The
 * body text keeps inserted text and leaves deleted text out (it is what the
 * reader of the document sees); deleted text is recorded with its author and
 * date as a doc_items row. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOCX_PART_TEXT_MAX (16u << 20)

struct dwalk {
	struct odoc *d;
	const char *part;
	struct orels *rels;
	struct buf out;    /* text of the part */
	struct buf del;    /* deleted text (w:delText) */
	unsigned in_del;
	unsigned in_cell;
};

static void dwalk_children(struct dwalk *w, const xmlNode *n);

static void
dwalk_init(struct dwalk *w, struct odoc *d, const char *part)
{
	memset(w, 0, sizeof(*w));
	w->d = d;
	w->part = part;
	w->rels = orels_load(d, part);
	buf_init(&w->out, DOCX_PART_TEXT_MAX);
	buf_init(&w->del, DOCX_PART_TEXT_MAX);
}

static void
dwalk_fini(struct dwalk *w)
{
	if (w->out.capped || w->del.capped)
		odoc_warn(w->d, "office.text.size", w->part,
		    "part text passed %u bytes: the rest is not kept", DOCX_PART_TEXT_MAX);
	orels_free(w->rels);
	buf_free(&w->out);
	buf_free(&w->del);
}

static void
trim_end(struct buf *b, const char *chars)
{
	while (b->len > 0 && strchr(chars, b->p[b->len - 1]) != NULL)
		b->p[--b->len] = '\0';
}

/* A copy of b's bytes from start, trimmed. */
static char *
span(const struct buf *b, size_t start)
{
	const char *s = buf_str(b) + start;
	size_t n = b->len - start;

	while (n > 0 && (*s == ' ' || *s == '\n'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	return xstrndup(s, n);
}

static void
mark(struct dwalk *w, const char *what, const char *id)
{
	bool ext = false;
	const char *target = orels_target(w->rels, id, &ext);

	if (target == NULL) {
		if (id != NULL)
			odoc_warn(w->d, "office.docx.rel", w->part,
			    "%s refers to relationship \"%.100s\", which is not defined", what, id);
		return;
	}
	if (ext) {
		/* A linked (not embedded) picture: fetched from outside when opened. */
		ob_printf(&w->out, "[linked %s: %s]", what, target);
		odoc_item(w->d, "hyperlink", NULL, NULL, what, target, w->part);
		return;
	}
	ob_printf(&w->out, "[%s: %s]", what, target);
}

static void
dwalk_para(struct dwalk *w, const xmlNode *p)
{
	xmlNode *ppr = oxml_child(p, "pPr");
	xmlNode *num = oxml_child(ppr, "numPr");

	/* A list item (17.9.3 numPr): indented by its level. */
	if (num != NULL) {
		const char *lvl = oxml_attr(oxml_child(num, "ilvl"), "val", NULL);
		int l = lvl ? atoi(lvl) : 0;

		for (int i = 0; i < l && i < 9; i++)
			ob_s(&w->out, "  ");
		ob_s(&w->out, "- ");
	}
	dwalk_children(w, p);
	ob_c(&w->out, w->in_cell ? ' ' : '\n');
}

static void
dwalk_el(struct dwalk *w, const xmlNode *c)
{
	const char *name = (const char *)c->name;
	size_t nl = strlen(name);
	size_t start;

	if (strcmp(name, "t") == 0) {
		oxml_text_add(w->in_del ? &w->del : &w->out, c);
	} else if (strcmp(name, "delText") == 0) {
		if (w->in_del)
			oxml_text_add(&w->del, c);
	} else if (strcmp(name, "tab") == 0 || strcmp(name, "ptab") == 0) {
		ob_c(&w->out, '\t');
	} else if (strcmp(name, "br") == 0 || strcmp(name, "cr") == 0) {
		ob_c(&w->out, '\n');
	} else if (strcmp(name, "noBreakHyphen") == 0) {
		ob_c(&w->out, '-');
	} else if (strcmp(name, "p") == 0) {
		dwalk_para(w, c);
	} else if (strcmp(name, "tc") == 0) {
		/* Tables row by row (17.4): cells separated by tabs. */
		w->in_cell++;
		dwalk_children(w, c);
		w->in_cell--;
		trim_end(&w->out, " ");
		ob_c(&w->out, '\t');
	} else if (strcmp(name, "tr") == 0) {
		dwalk_children(w, c);
		trim_end(&w->out, "\t");
		ob_c(&w->out, w->in_cell ? ' ' : '\n');
	} else if (strcmp(name, "ins") == 0 || strcmp(name, "moveTo") == 0) {
		/* Tracked insertion (17.13.5.18): kept in the text, recorded. */
		char *t;

		start = w->out.len;
		dwalk_children(w, c);
		t = span(&w->out, start);
		odoc_item(w->d, "insertion", oxml_attr(c, "author", NULL), oxml_attr(c, "date", NULL),
		    t, NULL, w->part);
		free(t);
	} else if (strcmp(name, "del") == 0 || strcmp(name, "moveFrom") == 0) {
		/* Tracked deletion (17.13.5.14): out of the text, recorded. Runs
		 * moved away (moveFrom) hold w:t, which in_del sends here too. */
		char *t;

		start = w->del.len;
		w->in_del++;
		dwalk_children(w, c);
		w->in_del--;
		t = span(&w->del, start);
		odoc_item(w->d, "deletion", oxml_attr(c, "author", NULL), oxml_attr(c, "date", NULL),
		    t, NULL, w->part);
		free(t);
	} else if (strcmp(name, "hyperlink") == 0) {
		/* 17.16.22: r:id names an external target; w:anchor a bookmark. */
		const char *id = oxml_attr(c, "id", "relationships");
		const char *anchor = oxml_attr(c, "anchor", NULL);
		const char *target = orels_target(w->rels, id, NULL);
		char *t, *a = NULL;

		start = w->out.len;
		dwalk_children(w, c);
		t = span(&w->out, start);
		if (target == NULL && anchor != NULL)
			target = a = xasprintf("#%s", anchor);
		odoc_item(w->d, "hyperlink", NULL, NULL, t, target, w->part);
		free(t);
		free(a);
	} else if (strcmp(name, "blip") == 0) {
		/* DrawingML picture (20.1.8.13): r:embed in the package, r:link outside. */
		const char *emb = oxml_attr(c, "embed", "relationships");
		const char *lnk = oxml_attr(c, "link", "relationships");

		mark(w, "image", emb != NULL && emb[0] != '\0' ? emb : lnk);
	} else if (strcmp(name, "imagedata") == 0) {
		/* VML picture (Part 4, 19.1.2.11) */
		mark(w, "image", oxml_attr(c, "id", "relationships"));
	} else if (strcmp(name, "OLEObject") == 0) {
		mark(w, "embedding", oxml_attr(c, "id", "relationships"));
	} else if (strcmp(name, "commentReference") == 0) {
		const char *id = oxml_attr(c, "id", NULL);

		ob_printf(&w->out, "[comment %s]", id ? id : "?");
	} else if (strcmp(name, "footnoteReference") == 0 || strcmp(name, "endnoteReference") == 0) {
		const char *id = oxml_attr(c, "id", NULL);

		ob_printf(&w->out, "[%s %s]", name[0] == 'f' ? "footnote" : "endnote",
		    id ? id : "?");
	} else if (strcmp(name, "AlternateContent") == 0) {
		/* Markup compatibility (Part 3, 10.2): Choice and Fallback carry the
		 * same content twice; read the first alternative only. */
		for (const xmlNode *a = c->children; a != NULL; a = a->next)
			if (a->type == XML_ELEMENT_NODE) {
				dwalk_children(w, a);
				break;
			}
	} else if ((nl >= 2 && strcmp(name + nl - 2, "Pr") == 0) ||
	    strstr(name, "PrChange") != NULL || strcmp(name, "instrText") == 0 ||
	    strcmp(name, "delInstrText") == 0 || strcmp(name, "tblGrid") == 0) {
		/* properties and field codes: not text */
	} else {
		dwalk_children(w, c);
	}
}

static void
dwalk_children(struct dwalk *w, const xmlNode *n)
{
	/* Recursion is bounded by libxml2's nesting limit (256). */
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			dwalk_el(w, c);
}

/* The body, or a header or footer: all of the part's root. */
static void
docx_part(struct odoc *d, const char *part, const char *kind)
{
	xmlDocPtr doc = odoc_xml(d, part);
	struct dwalk w;
	char *t;

	if (doc == NULL)
		return;
	dwalk_init(&w, d, part);
	dwalk_children(&w, (xmlNode *)doc);
	t = span(&w.out, 0);
	if (kind == NULL) {
		trim_end(&w.out, " \n\t");
		odoc_texts(d, t);
	} else if (t[0] != '\0') {
		char *head = xasprintf("\n\n[%s %s]\n", kind, part);

		odoc_item(d, kind, NULL, NULL, t, NULL, part);
		odoc_texts(d, head);
		odoc_texts(d, t);
		free(head);
	}
	free(t);
	dwalk_fini(&w);
	xmlFreeDoc(doc);
}

/* Footnotes, endnotes (17.11) and comments (17.13.4): one item each. */
static void
docx_notes(struct odoc *d, const char *part, const char *el, const char *kind)
{
	xmlDocPtr doc = odoc_xml(d, part);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	bool first = true;
	struct dwalk w;

	if (doc == NULL)
		return;
	dwalk_init(&w, d, part);
	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		const char *id = oxml_attr(c, "id", NULL);
		const char *type = oxml_attr(c, "type", NULL);
		const char *author = oxml_attr(c, "author", NULL);
		const char *date = oxml_attr(c, "date", NULL);
		char *t, *head;

		if (!oxml_is(c, el))
			continue;
		/* separators between notes and body are layout, not notes */
		if (type != NULL && strcmp(type, "normal") != 0)
			continue;
		buf_reset(&w.out);
		dwalk_children(&w, c);
		t = span(&w.out, 0);
		odoc_item(d, kind, author, date, t, NULL, part);
		if (first)
			odoc_texts(d, "\n");
		first = false;
		if (author != NULL)
			head = xasprintf("\n[%s %s] %s%s%s: ", kind, id ? id : "?", author,
			    date ? ", " : "", date ? date : "");
		else
			head = xasprintf("\n[%s %s] ", kind, id ? id : "?");
		odoc_texts(d, head);
		odoc_texts(d, t);
		free(head);
		free(t);
	}
	dwalk_fini(&w);
	xmlFreeDoc(doc);
}

void
docx_read(struct odoc *d)
{
	struct orels *root = orels_load(d, "");
	const char *main = orels_by_type(root, "/officeDocument", 0);
	struct orels *rels;
	const char *part;

	if (main == NULL || strcmp(main, "word/document.xml") != 0)
		main = "word/document.xml";
	docx_part(d, main, NULL);
	rels = orels_load(d, main);
	for (size_t i = 0; (part = orels_by_type(rels, "/header", i)) != NULL; i++)
		docx_part(d, part, "header");
	for (size_t i = 0; (part = orels_by_type(rels, "/footer", i)) != NULL; i++)
		docx_part(d, part, "footer");
	if ((part = orels_by_type(rels, "/footnotes", 0)) != NULL)
		docx_notes(d, part, "footnote", "footnote");
	if ((part = orels_by_type(rels, "/endnotes", 0)) != NULL)
		docx_notes(d, part, "endnote", "endnote");
	if ((part = orels_by_type(rels, "/comments", 0)) != NULL)
		docx_notes(d, part, "comment", "comment");
	orels_free(rels);
	orels_free(root);
}
