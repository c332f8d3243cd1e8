/* hwpx.c - HWPX documents (OWPML, KS X 6101): a zip of XML parts, read with
 * the same capped zip reader and safe XML parser as docx.
 *   mimetype                 "application/hwp+zip" (stored first)
 *   META-INF/container.xml   where the package file is (OCF rootfile)
 *   Contents/content.hpf     OPF package: metadata (title, creator,
 *                            lastsaveby, CreatedDate, ModifiedDate ...),
 *                            manifest (id -> part) and spine (reading order)
 *   Contents/header.xml      among the reference lists, the tracked changes
 *                            (hh:trackChange: type, date, authorID) and their
 *                            authors (hh:trackChangeAuthor)
 *   Contents/sectionN.xml    the body: hp:p paragraphs of hp:run with hp:t
 *   BinData/                 embedded pictures and OLE objects
 *
 * In a section, tracked changes are empty marks inside hp:t: the text
 * between hp:insertBegin and hp:insertEnd (or hp:deleteBegin/hp:deleteEnd)
 * with the same TcId was inserted (deleted); TcId names the hh:trackChange.
 * As for docx, the body keeps inserted text and leaves deleted text out; both
 * are recorded as items with their author and date. */
#include "office/office_int.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HWPX_PART_TEXT_MAX (16u << 20)
#define HWPX_MIMETYPE "application/hwp+zip"
#define HWPX_HPF_DEFAULT "Contents/content.hpf"

/* An id -> value table (manifest items, track changes, their authors). */
struct hx_ent {
	char *id, *a, *b, *c;
};

struct hx_map {
	struct hx_ent *v;
	size_t n;
};

static void
hx_map_add(struct hx_map *m, const char *id, const char *a, const char *b, const char *c)
{
	if (id == NULL || m->n >= 65536)
		return;
	m->v = xreallocarray(m->v, m->n + 1, sizeof(*m->v));
	m->v[m->n].id = xstrdup(id);
	m->v[m->n].a = a ? xstrdup(a) : NULL;
	m->v[m->n].b = b ? xstrdup(b) : NULL;
	m->v[m->n].c = c ? xstrdup(c) : NULL;
	m->n++;
}

static const struct hx_ent *
hx_map_get(const struct hx_map *m, const char *id)
{
	for (size_t i = 0; id != NULL && i < m->n; i++)
		if (strcmp(m->v[i].id, id) == 0)
			return &m->v[i];
	return NULL;
}

static void
hx_map_free(struct hx_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].id);
		free(m->v[i].a);
		free(m->v[i].b);
		free(m->v[i].c);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

struct hwalk {
	struct odoc *d;
	const char *part;
	const struct hx_map *manifest;   /* id -> href */
	const struct hx_map *changes;    /* id -> type, date, authorID */
	const struct hx_map *authors;    /* id -> name */
	struct buf out;                  /* text of the section */
	struct buf del;                  /* deleted text */
	char *ins_id, *del_id;           /* open changes (TcId) */
	size_t ins_start, del_start;
	unsigned in_t, in_cell;
	struct buf *later;               /* header and footer text, after the body */
};

/* --- the package file (OPF metadata) -------------------------------------- */

static void
hx_prop(char **slot, const xmlNode *n)
{
	struct buf b;

	if (*slot != NULL)
		return;
	buf_init(&b, 65536);
	oxml_text_deep(&b, n);
	*slot = buf_take(&b);
}

static const char *
hx_hpf_name(struct odoc *d)
{
	/* OCF container (the ODF/EPUB META-INF/container.xml): the rootfile
	 * whose media type is the HWPML package. */
	static char name[512];
	xmlDocPtr doc = odoc_xml(d, "META-INF/container.xml");
	xmlNode *rf = oxml_child(doc ? xmlDocGetRootElement(doc) : NULL, "rootfiles");
	const char *found = HWPX_HPF_DEFAULT;

	for (xmlNode *c = rf ? rf->children : NULL; c != NULL; c = c->next) {
		const char *type = oxml_attr(c, "media-type", NULL);
		const char *path = oxml_attr(c, "full-path", NULL);

		if (oxml_is(c, "rootfile") && type != NULL && path != NULL &&
		    strcmp(type, "application/hwpml-package+xml") == 0 && strlen(path) < sizeof(name)) {
			snprintf(name, sizeof(name), "%s", path);
			found = name;
			break;
		}
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
	return found;
}

static void
hx_metadata(struct odoc *d, const xmlNode *md)
{
	struct office_props *p = &d->pub.props;

	for (const xmlNode *c = md ? md->children : NULL; c != NULL; c = c->next) {
		const char *name = oxml_attr(c, "name", NULL);

		if (oxml_is(c, "title"))
			hx_prop(&p->title, c);
		if (!oxml_is(c, "meta") || name == NULL)
			continue;
		if (strcmp(name, "creator") == 0)
			hx_prop(&p->creator, c);
		else if (strcmp(name, "subject") == 0)
			hx_prop(&p->subject, c);
		else if (strcmp(name, "description") == 0)
			hx_prop(&p->description, c);
		else if (strcmp(name, "lastsaveby") == 0)
			hx_prop(&p->last_modified_by, c);
		else if (strcmp(name, "CreatedDate") == 0)
			hx_prop(&p->created, c);
		else if (strcmp(name, "ModifiedDate") == 0)
			hx_prop(&p->modified, c);
		else if (strcmp(name, "keyword") == 0)
			hx_prop(&p->keywords, c);
	}
}

/* Metadata into d's props, manifest items into man, the section parts in
 * spine order into secs. */
static void
hx_package(struct odoc *d, struct hx_map *man, struct hx_map *secs)
{
	xmlDocPtr doc = odoc_xml(d, hx_hpf_name(d));
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlNode *mf = oxml_child(root, "manifest");
	xmlNode *sp = oxml_child(root, "spine");

	hx_metadata(d, oxml_child(root, "metadata"));
	for (xmlNode *c = mf ? mf->children : NULL; c != NULL; c = c->next)
		if (oxml_is(c, "item"))
			hx_map_add(man, oxml_attr(c, "id", NULL), oxml_attr(c, "href", NULL),
			    oxml_attr(c, "media-type", NULL), NULL);
	for (xmlNode *c = sp ? sp->children : NULL; c != NULL; c = c->next) {
		const struct hx_ent *it = oxml_is(c, "itemref") ?
		    hx_map_get(man, oxml_attr(c, "idref", NULL)) : NULL;

		if (it != NULL && it->a != NULL && strncmp(it->a, "Contents/section", 16) == 0)
			hx_map_add(secs, it->a, NULL, NULL, NULL);
	}
	if (doc != NULL)
		xmlFreeDoc(doc);
}

/* Contents/header.xml: hh:trackChange (id, type, date, authorID) and
 * hh:trackChangeAuthor (id, name), wherever they sit in the head. */
static void
hx_header_walk(const xmlNode *n, struct hx_map *chg, struct hx_map *au)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (oxml_is(c, "trackChange"))
			hx_map_add(chg, oxml_attr(c, "id", NULL), oxml_attr(c, "type", NULL),
			    oxml_attr(c, "date", NULL), oxml_attr(c, "authorID", NULL));
		else if (oxml_is(c, "trackChangeAuthor"))
			hx_map_add(au, oxml_attr(c, "id", NULL), oxml_attr(c, "name", NULL), NULL, NULL);
		else
			hx_header_walk(c, chg, au);
	}
}

/* --- sections ------------------------------------------------------------- */

static char *
hx_span(const struct buf *b, size_t start)
{
	const char *s = buf_str(b) + (start < b->len ? start : b->len);
	size_t n = start < b->len ? b->len - start : 0;

	while (n > 0 && strchr(" \n\t", *s) != NULL)
		s++, n--;
	while (n > 0 && strchr(" \n\t", s[n - 1]) != NULL)
		n--;
	return xstrndup(s, n);
}

/* The author of a change. Hangul's own file (hwpxlib's ChangeTrack.hwpx)
 * has authorID="1" on its changes and a single hh:trackChangeAuthor with
 * id="0": authorID counts from 1 where author ids count from 0. So the
 * author with id authorID - 1 is taken, and failing that the one whose id
 * is authorID itself. */
static const char *
hx_author(const struct hwalk *w, const char *author_id)
{
	const struct hx_ent *a = NULL;
	char prev[24];
	long k = author_id ? strtol(author_id, NULL, 10) : 0;

	if (k >= 1) {
		snprintf(prev, sizeof(prev), "%ld", k - 1);
		a = hx_map_get(w->authors, prev);
	}
	if (a == NULL)
		a = hx_map_get(w->authors, author_id);
	return a != NULL ? a->a : NULL;
}

static void
hx_change_end(struct hwalk *w, bool del)
{
	char **id = del ? &w->del_id : &w->ins_id;
	const struct hx_ent *tc = hx_map_get(w->changes, *id);
	char *t;

	if (*id == NULL)
		return;
	t = del ? hx_span(&w->del, w->del_start) : hx_span(&w->out, w->ins_start);
	odoc_item(w->d, del ? "deletion" : "insertion", tc ? hx_author(w, tc->c) : NULL,
	    tc ? tc->b : NULL, t, NULL, w->part);
	free(t);
	free(*id);
	*id = NULL;
}

static void
hx_change_begin(struct hwalk *w, const xmlNode *c, bool del)
{
	const char *id = oxml_attr(c, "TcId", NULL);

	hx_change_end(w, del);      /* a begin without its end closes the open one */
	if (del) {
		w->del_id = xstrdup(id ? id : "");
		w->del_start = w->del.len;
	} else {
		w->ins_id = xstrdup(id ? id : "");
		w->ins_start = w->out.len;
	}
}

static void hx_children(struct hwalk *w, const xmlNode *n);

static void
hx_trim_end(struct buf *b, const char *chars)
{
	while (b->len > 0 && strchr(chars, b->p[b->len - 1]) != NULL)
		b->p[--b->len] = '\0';
}

/* The text of a nested structure (memo, header, footer, note) on its own;
 * changes inside it are recorded as the body's are. */
static char *
hx_sub(struct hwalk *w, const xmlNode *c)
{
	struct hwalk sub = *w;
	char *t;

	buf_init(&sub.out, HWPX_PART_TEXT_MAX);
	buf_init(&sub.del, HWPX_PART_TEXT_MAX);
	sub.ins_id = sub.del_id = NULL;
	sub.in_t = sub.in_cell = 0;
	sub.later = NULL;
	hx_children(&sub, c);
	hx_change_end(&sub, false);
	hx_change_end(&sub, true);
	t = hx_span(&sub.out, 0);
	buf_free(&sub.out);
	buf_free(&sub.del);
	return t;
}

/* Headers and footers (hp:header, hp:footer in hp:ctrl) are items, and go
 * after the body's text as in docx; notes and memos stay where they are
 * marked, with their text. */
static void
hx_nested(struct hwalk *w, const xmlNode *c, const char *kind)
{
	char *t = hx_sub(w, c);

	if (t[0] != '\0' || strcmp(kind, "comment") == 0) {
		odoc_item(w->d, kind, NULL, NULL, t, NULL, w->part);
		if (strcmp(kind, "header") == 0 || strcmp(kind, "footer") == 0) {
			if (w->later != NULL)
				ob_printf(w->later, "\n\n[%s %s]\n%s", kind, w->part, t);
		} else {
			ob_printf(&w->out, "[%s: %s]", strcmp(kind, "comment") == 0 ? "memo" : kind, t);
		}
	}
	free(t);
}

static void
hx_el(struct hwalk *w, const xmlNode *c)
{
	const char *name = (const char *)c->name;

	if (strcmp(name, "t") == 0) {
		w->in_t++;
		hx_children(w, c);
		w->in_t--;
	} else if (strcmp(name, "p") == 0) {
		hx_children(w, c);
		ob_c(&w->out, w->in_cell ? ' ' : '\n');
	} else if (strcmp(name, "tab") == 0) {
		ob_c(&w->out, '\t');
	} else if (strcmp(name, "lineBreak") == 0) {
		ob_c(&w->out, '\n');
	} else if (strcmp(name, "insertBegin") == 0 || strcmp(name, "deleteBegin") == 0) {
		hx_change_begin(w, c, name[0] == 'd');
	} else if (strcmp(name, "insertEnd") == 0 || strcmp(name, "deleteEnd") == 0) {
		hx_change_end(w, name[0] == 'd');
	} else if (strcmp(name, "tc") == 0) {
		/* tables row by row, cells separated by tabs (as docx.c) */
		w->in_cell++;
		hx_children(w, c);
		w->in_cell--;
		hx_trim_end(&w->out, " ");
		ob_c(&w->out, '\t');
	} else if (strcmp(name, "tr") == 0) {
		hx_children(w, c);
		hx_trim_end(&w->out, "\t");
		ob_c(&w->out, w->in_cell ? ' ' : '\n');
	} else if (strcmp(name, "img") == 0) {
		/* hc:img binaryItemIDRef names a manifest item (BinData/...) */
		const struct hx_ent *it = hx_map_get(w->manifest, oxml_attr(c, "binaryItemIDRef", NULL));

		if (it != NULL && it->a != NULL)
			ob_printf(&w->out, "[image: %s]", it->a);
	} else if (strcmp(name, "memo") == 0) {
		hx_nested(w, c, "comment");
	} else if (strcmp(name, "header") == 0 || strcmp(name, "footer") == 0) {
		hx_nested(w, c, name);
	} else if (strcmp(name, "footNote") == 0 || strcmp(name, "endNote") == 0) {
		hx_nested(w, c, name[0] == 'f' ? "footnote" : "endnote");
	} else if (strcmp(name, "secPr") == 0 || strcmp(name, "linesegarray") == 0 ||
	    strcmp(name, "parameters") == 0) {
		/* layout and field parameters: not text */
	} else {
		hx_children(w, c);
	}
}

static void
hx_children(struct hwalk *w, const xmlNode *n)
{
	/* Recursion is bounded by libxml2's nesting limit (256). Text counts
	 * only inside hp:t; entity references are never followed. */
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && w->in_t > 0 &&
		    c->content != NULL)
			ob_s(w->del_id != NULL ? &w->del : &w->out, (const char *)c->content);
		else if (c->type == XML_ELEMENT_NODE)
			hx_el(w, c);
	}
}

static void
hx_section(struct odoc *d, const char *part, const struct hx_map *man, const struct hx_map *chg,
    const struct hx_map *au)
{
	xmlDocPtr doc = odoc_xml(d, part);
	struct hwalk w = { .d = d, .part = part, .manifest = man, .changes = chg, .authors = au };
	struct buf later;
	char *t;

	if (doc == NULL)
		return;
	buf_init(&later, HWPX_PART_TEXT_MAX);
	w.later = &later;
	buf_init(&w.out, HWPX_PART_TEXT_MAX);
	buf_init(&w.del, HWPX_PART_TEXT_MAX);
	hx_children(&w, (xmlNode *)doc);
	hx_change_end(&w, false);   /* changes left open at the end of the section */
	hx_change_end(&w, true);
	if (w.out.capped || w.del.capped || later.capped)
		odoc_warn(d, "office.text.size", part, "section text passed %u bytes: the rest is not kept",
		    HWPX_PART_TEXT_MAX);
	t = hx_span(&w.out, 0);
	if (d->text.len > 0)
		odoc_texts(d, "\n");
	odoc_texts(d, t);
	odoc_text(d, buf_str(&later), later.len);
	free(t);
	buf_free(&later);
	buf_free(&w.out);
	buf_free(&w.del);
	xmlFreeDoc(doc);
}

static void
hx_mimetype(struct odoc *d)
{
	long i = ozip_find(d->z, "mimetype");
	size_t len;
	char *p;

	if (i < 0)
		return;
	p = ozip_read(d->z, (size_t)i, 256, &len);
	if (p != NULL && strncmp(p, HWPX_MIMETYPE, strlen(HWPX_MIMETYPE)) != 0)
		odoc_warn(d, "office.hwpx.mimetype", "mimetype", "unexpected HWPX mimetype \"%.100s\"", p);
	free(p);
}

void
hwpx_read(struct odoc *d)
{
	struct hx_map man = { 0 }, secs = { 0 }, chg = { 0 }, au = { 0 };
	xmlDocPtr head;

	hx_mimetype(d);
	hx_package(d, &man, &secs);
	head = odoc_xml(d, "Contents/header.xml");
	if (head != NULL) {
		hx_header_walk((xmlNode *)head, &chg, &au);
		xmlFreeDoc(head);
	}
	if (secs.n == 0) {
		/* no spine: the sections by number, as Hangul names them */
		for (size_t i = 0; i < ozip_count(d->z); i++) {
			char name[64];

			snprintf(name, sizeof(name), "Contents/section%zu.xml", i);
			if (ozip_find(d->z, name) < 0)
				break;
			hx_map_add(&secs, name, NULL, NULL, NULL);
		}
	}
	for (size_t i = 0; i < secs.n; i++)
		hx_section(d, secs.v[i].id, &man, &chg, &au);
	hx_map_free(&man);
	hx_map_free(&secs);
	hx_map_free(&chg);
	hx_map_free(&au);
}
