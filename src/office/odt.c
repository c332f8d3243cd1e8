/* odt.c - OpenDocument text (ISO/IEC 26300 / ODF 1.2 Part 1): the body of
 * content.xml in reading order (paragraphs and headings 5.1, lists 5.3,
 * tables 9.1, spaces and tabs 6.1), hyperlinks (6.1.8), notes (6.3),
 * annotations (14.1) and tracked changes (5.5), and where pictures
 * (draw:image) and embedded objects sit; headers and footers come from the
 * master pages of styles.xml (16.9). The same reader serves .ods and .odp:
 * their cells and frames hold text:p paragraphs too. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ODT_PART_TEXT_MAX (16u << 20)

struct owalk {
	struct odoc *d;
	const char *part;
	struct buf *out;
	unsigned in_p;
	unsigned in_cell;
};

static void owalk_children(struct owalk *w, const xmlNode *n);

static char *
trimmed(const struct buf *b, size_t start)
{
	const char *s = buf_str(b) + start;
	size_t n = b->len - start;

	while (n > 0 && strchr(" \n\t", *s) != NULL)
		s++, n--;
	while (n > 0 && strchr(" \n\t", s[n - 1]) != NULL)
		n--;
	return xstrndup(s, n);
}

/* Text of a nested structure (annotation, note body, deletion) on its own. */
static char *
owalk_sub(struct owalk *w, const xmlNode *n)
{
	struct buf b;
	struct owalk sub = { w->d, w->part, &b, 0, 0 };
	char *t;

	buf_init(&b, ODT_PART_TEXT_MAX);
	owalk_children(&sub, n);
	t = trimmed(&b, 0);
	buf_free(&b);
	return t;
}

static const char *
change_info(const xmlNode *n, const char *what, struct buf *tmp)
{
	xmlNode *ci = oxml_child(n, "change-info");
	xmlNode *e = oxml_child(ci, what);

	buf_reset(tmp);
	if (e == NULL)
		return NULL;
	oxml_text_add(tmp, e);
	return buf_str(tmp);
}

static void
odt_changes(struct owalk *w, const xmlNode *tc)
{
	struct buf who, when;

	buf_init(&who, 4096);
	buf_init(&when, 256);
	for (const xmlNode *r = tc->children; r != NULL; r = r->next) {
		if (!oxml_is(r, "changed-region"))
			continue;
		for (const xmlNode *c = r->children; c != NULL; c = c->next) {
			const char *kind = oxml_is(c, "insertion") ? "insertion" :
			    oxml_is(c, "deletion") ? "deletion" : NULL;
			char *t;

			if (kind == NULL)
				continue;
			/* Deleted text is kept inside the deletion element; inserted
			 * text is in the body between change marks. */
			t = owalk_sub(w, c);
			odoc_item(w->d, kind, change_info(c, "creator", &who),
			    change_info(c, "date", &when), t, NULL, w->part);
			free(t);
		}
	}
	buf_free(&who);
	buf_free(&when);
}

static void
owalk_el(struct owalk *w, const xmlNode *c)
{
	const char *name = (const char *)c->name;
	size_t start;

	if (strcmp(name, "p") == 0 || strcmp(name, "h") == 0) {
		w->in_p++;
		owalk_children(w, c);
		w->in_p--;
		ob_c(w->out, w->in_cell ? ' ' : '\n');
	} else if (strcmp(name, "list-item") == 0) {
		ob_s(w->out, "- ");
		owalk_children(w, c);
	} else if (strcmp(name, "s") == 0) {
		const char *n = oxml_attr(c, "c", NULL);
		int k = n ? atoi(n) : 1;

		for (int i = 0; i < k && i < 100; i++)
			ob_c(w->out, ' ');
	} else if (strcmp(name, "tab") == 0) {
		ob_c(w->out, '\t');
	} else if (strcmp(name, "line-break") == 0) {
		ob_c(w->out, '\n');
	} else if (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0) {
		w->in_cell++;
		owalk_children(w, c);
		w->in_cell--;
		while (w->out->len > 0 && w->out->p[w->out->len - 1] == ' ')
			w->out->p[--w->out->len] = '\0';
		ob_c(w->out, '\t');
	} else if (strcmp(name, "table-row") == 0) {
		owalk_children(w, c);
		while (w->out->len > 0 && w->out->p[w->out->len - 1] == '\t')
			w->out->p[--w->out->len] = '\0';
		ob_c(w->out, w->in_cell ? ' ' : '\n');
	} else if (strcmp(name, "a") == 0) {
		char *t;

		start = w->out->len;
		owalk_children(w, c);
		t = trimmed(w->out, start);
		odoc_item(w->d, "hyperlink", NULL, NULL, t, oxml_attr(c, "href", NULL), w->part);
		free(t);
	} else if (strcmp(name, "image") == 0 || strcmp(name, "object") == 0 ||
	    strcmp(name, "object-ole") == 0) {
		const char *href = oxml_attr(c, "href", NULL);
		const char *what = name[0] == 'i' ? "image" : "embedding";

		if (href != NULL && href[0] != '\0') {
			char *r = odoc_resolve("", href);

			if (strstr(href, "://") != NULL) {
				ob_printf(w->out, "[linked %s: %s]", what, href);
				odoc_item(w->d, "hyperlink", NULL, NULL, what, href, w->part);
			} else {
				ob_printf(w->out, "[%s: %s]", what, r);
			}
			free(r);
		}
		owalk_children(w, c);
	} else if (strcmp(name, "annotation") == 0) {
		struct buf who, when;
		xmlNode *cr = oxml_child(c, "creator");
		xmlNode *dt = oxml_child(c, "date");
		char *t = owalk_sub(w, c);

		buf_init(&who, 4096);
		buf_init(&when, 256);
		if (cr != NULL)
			oxml_text_add(&who, cr);
		if (dt != NULL)
			oxml_text_add(&when, dt);
		odoc_item(w->d, "comment", cr ? buf_str(&who) : NULL, dt ? buf_str(&when) : NULL, t,
		    NULL, w->part);
		ob_printf(w->out, "[comment: %s]", t);
		free(t);
		buf_free(&who);
		buf_free(&when);
	} else if (strcmp(name, "note") == 0) {
		const char *cls = oxml_attr(c, "note-class", NULL);
		const char *kind = cls != NULL && strcmp(cls, "endnote") == 0 ? "endnote" : "footnote";
		xmlNode *cit = oxml_child(c, "note-citation");
		struct buf num;
		char *t = owalk_sub(w, oxml_child(c, "note-body") ? oxml_child(c, "note-body") : c);

		buf_init(&num, 64);
		if (cit != NULL)
			oxml_text_add(&num, cit);
		odoc_item(w->d, kind, NULL, NULL, t, NULL, w->part);
		ob_printf(w->out, "[%s %s: %s]", kind, buf_str(&num), t);
		buf_free(&num);
		free(t);
	} else if (strcmp(name, "tracked-changes") == 0) {
		odt_changes(w, c);
	} else if (strcmp(name, "change-info") == 0 || strcmp(name, "sequence-decls") == 0 ||
	    strcmp(name, "annotation-end") == 0) {
		/* metadata, not text */
	} else {
		owalk_children(w, c);
	}
}

static void
owalk_children(struct owalk *w, const xmlNode *n)
{
	/* Recursion is bounded by libxml2's nesting limit (256). Mixed content:
	 * text nodes count only inside paragraphs (elsewhere they are layout
	 * whitespace); entity references are never followed. */
	if (n == NULL)
		return;
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE && w->in_p > 0 && c->content != NULL)
			ob_s(w->out, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			owalk_el(w, c);
	}
}

static void
odt_master_pages(struct odoc *d)
{
	xmlDocPtr doc = odoc_xml(d, "styles.xml");
	xmlNode *ms = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "master-styles");

	for (xmlNode *mp = ms ? ms->children : NULL; mp != NULL; mp = mp->next) {
		if (!oxml_is(mp, "master-page"))
			continue;
		for (xmlNode *c = mp->children; c != NULL; c = c->next) {
			const char *kind = oxml_is(c, "header") ? "header" :
			    oxml_is(c, "footer") ? "footer" : NULL;
			struct owalk w = { d, "styles.xml", NULL, 0, 0 };
			char *t, *head;

			if (kind == NULL)
				continue;
			t = owalk_sub(&w, c);
			if (t[0] != '\0') {
				odoc_item(d, kind, NULL, NULL, t, NULL, "styles.xml");
				head = xasprintf("\n\n[%s]\n", kind);
				odoc_texts(d, head);
				odoc_texts(d, t);
				free(head);
			}
			free(t);
		}
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
}

void
odt_read(struct odoc *d)
{
	xmlDocPtr doc = odoc_xml(d, "content.xml");
	xmlNode *body = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "body");
	struct buf b;
	struct owalk w;
	char *t;

	if (doc == NULL)
		return;
	buf_init(&b, ODT_PART_TEXT_MAX);
	w = (struct owalk){ d, "content.xml", &b, 0, 0 };
	owalk_children(&w, body);
	if (b.capped)
		odoc_warn(d, "office.text.size", "content.xml",
		    "text passed %u bytes: the rest is not kept", ODT_PART_TEXT_MAX);
	t = trimmed(&b, 0);
	odoc_texts(d, t);
	free(t);
	buf_free(&b);
	xmlFreeDoc(doc);
	odt_master_pages(d);
}
