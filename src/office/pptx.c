/* pptx.c - PresentationML text (ECMA-376 Part 1, section 19): slides in
 * presentation order (p:sldIdLst), the DrawingML text of their shapes
 * (21.1.2: a:p paragraphs of a:r runs), and speaker notes. Each slide and
 * each notes page is one doc_items row. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PPTX_SLIDE_TEXT_MAX (4u << 20)

static void
dml_text(struct buf *b, const xmlNode *n, const struct orels *rels)
{
	/* Recursion is bounded by libxml2's nesting limit (256). */
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (oxml_is(c, "t")) {
			oxml_text_add(b, c);
		} else if (oxml_is(c, "br")) {
			ob_c(b, '\n');
		} else if (oxml_is(c, "p")) {
			size_t before = b->len;

			dml_text(b, c, rels);
			if (b->len > before)
				ob_c(b, '\n');
		} else if (oxml_is(c, "blip")) {
			bool ext = false;
			const char *emb = oxml_attr(c, "embed", "relationships");
			const char *t = orels_target(rels, emb, &ext);

			if (t != NULL)
				ob_printf(b, ext ? "[linked image: %s]\n" : "[image: %s]\n", t);
		} else if (!oxml_is(c, "rPr") && !oxml_is(c, "pPr") && !oxml_is(c, "spPr")) {
			dml_text(b, c, rels);
		}
	}
}

/* One slide or notes page; returns the part's relationships (free them). */
static struct orels *
pptx_page(struct odoc *d, const char *part, const char *kind, size_t no)
{
	xmlDocPtr doc = odoc_xml(d, part);
	struct orels *rels = orels_load(d, part);
	struct buf b;
	char *head;

	if (doc == NULL)
		return rels;
	buf_init(&b, PPTX_SLIDE_TEXT_MAX);
	dml_text(&b, (xmlNode *)doc, rels);
	while (b.len > 0 && b.p[b.len - 1] == '\n')
		b.p[--b.len] = '\0';
	if (b.capped)
		odoc_warn(d, "office.text.size", part, "text passed %u bytes: the rest is not kept",
		    PPTX_SLIDE_TEXT_MAX);
	head = xasprintf("%s[%s %zu]\n", d->text.len ? "\n\n" : "", kind, no);
	odoc_texts(d, head);
	odoc_texts(d, buf_str(&b));
	odoc_item(d, strcmp(kind, "slide") == 0 ? "slide" : "note", NULL, NULL, buf_str(&b),
	    NULL, part);
	free(head);
	buf_free(&b);
	xmlFreeDoc(doc);
	return rels;
}

void
pptx_read(struct odoc *d)
{
	const char *ppart = "ppt/presentation.xml";
	xmlDocPtr doc = odoc_xml(d, ppart);
	xmlNode *lst = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "sldIdLst");
	struct orels *rels = orels_load(d, ppart);
	size_t no = 0;

	for (xmlNode *c = lst ? lst->children : NULL; c != NULL; c = c->next) {
		const char *target;
		struct orels *srels;
		const char *notes;

		if (!oxml_is(c, "sldId"))
			continue;
		no++;
		target = orels_target(rels, oxml_attr(c, "id", "relationships"), NULL);
		if (target == NULL) {
			odoc_warn(d, "office.pptx.slide", ppart, "slide %zu has no part", no);
			continue;
		}
		srels = pptx_page(d, target, "slide", no);
		notes = orels_by_type(srels, "/notesSlide", 0);
		if (notes != NULL)
			orels_free(pptx_page(d, notes, "notes", no));
		orels_free(srels);
	}
	orels_free(rels);
	if (doc != NULL)
		xmlFreeDoc(doc);
}
