/* office.c - office documents: recognition, unpacking into a record, and
 * what the format readers share (relationships, parts, items, the text).
 *
 * A document is a zip of XML parts. office_unpack() opens it with the
 * ceilings of zipsafe.c, hands the package to the reader of its format and
 * returns the record; office_next_embedded() then reads the embedded files
 * (images, embedded objects, VBA projects) one at a time, last, so a bomb
 * among them cannot starve the text. */
#include "office/office.h"
#include "office/office_int.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Ceiling of a document's extracted text (documents.text). */
#define ODOC_TEXT_MAX (16u << 20)

/* ODF mimetype values (ISO/IEC 26300, 3.3 "MIME Media Type"). */
#define ODF_PREFIX "application/vnd.oasis.opendocument."

static const char *
office_kind(struct ozip *z)
{
	if (ozip_find(z, "word/document.xml") >= 0)
		return "docx";
	if (ozip_find(z, "xl/workbook.xml") >= 0)
		return "xlsx";
	if (ozip_find(z, "ppt/presentation.xml") >= 0)
		return "pptx";
	/* HWPX (KS X 6101): the OPF package file, or a mimetype and the first
	 * section; checked before ODF, whose mimetype entry it shares. */
	if (ozip_find(z, "Contents/content.hpf") >= 0 ||
	    (ozip_find(z, "mimetype") >= 0 && ozip_find(z, "Contents/section0.xml") >= 0))
		return "hwpx";
	/* ODF packages (ISO/IEC 26300, 17.4): a mimetype entry and content.xml;
	 * the subtype is read from mimetype later. */
	if (ozip_find(z, "mimetype") >= 0 && ozip_find(z, "content.xml") >= 0)
		return "odt";
	return NULL;
}

const char *
office_document_kind(const void *p, size_t len)
{
	struct ozip *z = ozip_peek(p, len);
	const char *kind;

	if (z == NULL)
		return hwp_is_document(p, len) ? "hwp" : NULL;
	kind = office_kind(z);
	ozip_free(z);
	return kind;
}

bool
office_is_document(const void *p, size_t len)
{
	return office_document_kind(p, len) != NULL;
}

/* --- helpers for the readers ---------------------------------------------- */

static char *
odoc_clean(const char *s)
{
	return text_clean_str(s, 0);
}

void
odoc_warn(struct odoc *d, const char *code, const char *where, const char *fmt, ...)
{
	va_list ap;

	/* Excerpts of the document in the sentence become text like any other. */
	va_start(ap, fmt);
	plog_addv(d->log, PLOG_WARN, code, d->source, where ? where : "", odoc_clean, fmt, ap);
	va_end(ap);
}

void
odoc_flag(struct odoc *d, const char *flag)
{
	const char *s = buf_str(&d->flags);
	size_t n = strlen(flag);

	for (const char *q = s; (q = strstr(q, flag)) != NULL; q += n)
		if ((q == s || q[-1] == ',') && (q[n] == ',' || q[n] == '\0'))
			return;
	if (d->flags.len > 0)
		ob_c(&d->flags, ',');
	ob_s(&d->flags, flag);
}

void
odoc_text(struct odoc *d, const char *s, size_t n)
{
	if (buf_add(&d->text, s, n) || d->text_capped_logged)
		return;
	d->text_capped_logged = true;
	odoc_flag(d, "text-truncated");
	odoc_warn(d, "office.text.size", "", "document text passed %u bytes: the rest is not kept",
	    ODOC_TEXT_MAX);
}

void
odoc_texts(struct odoc *d, const char *s)
{
	odoc_text(d, s, strlen(s));
}

void
odoc_item(struct odoc *d, const char *kind, const char *author, const char *date,
    const char *text, const char *target, const char *part)
{
	struct office_doc *r = &d->pub;
	struct office_item *it;

	if (r->nitems == d->items_cap) {
		d->items_cap = d->items_cap ? 2 * d->items_cap : 16;
		r->items = xreallocarray(r->items, d->items_cap, sizeof(*r->items));
	}
	it = &r->items[r->nitems++];
	it->kind = xstrdup(kind);
	it->author = author ? xstrdup(author) : NULL;
	it->date = date ? xstrdup(date) : NULL;
	it->text = text ? xstrdup(text) : NULL;
	it->target = target ? xstrdup(target) : NULL;
	it->part = part ? xstrdup(part) : NULL;
}

xmlDocPtr
odoc_xml(struct odoc *d, const char *name)
{
	long i = ozip_find(d->z, name);
	size_t len;
	char *p;
	xmlDocPtr doc;

	if (i < 0)
		return NULL;
	p = ozip_read(d->z, (size_t)i, d->lim->xml_bytes, &len);
	if (p == NULL) {
		odoc_flag(d, "unreadable-parts");
		return NULL;
	}
	doc = oxml_parse(p, len, d->log, d->source, name, &d->saw_dtd);
	free(p);
	if (doc == NULL)
		odoc_flag(d, "unreadable-parts");
	return doc;
}

char *
odoc_resolve(const char *base_part, const char *target)
{
	/* OPC part names (ECMA-376 Part 2, 9.1.1): targets are relative to the
	 * source part's folder; "/" starts from the package root. Only string
	 * work: the result is matched against entry names, never opened. */
	struct buf b;
	const char *slash = strrchr(base_part, '/');
	const char *s;

	buf_init(&b, 4096);
	if (target[0] == '/')
		target++;
	else if (slash != NULL)
		ob_n(&b, base_part, (size_t)(slash - base_part + 1));
	s = target;
	while (*s != '\0') {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			/* drop the last folder of b */
			if (b.len > 0)
				b.len--;
			while (b.len > 0 && b.p[b.len - 1] != '/')
				b.len--;
			if (b.p != NULL)
				b.p[b.len] = '\0';
		} else if (!(n == 1 && s[0] == '.') && n > 0) {
			ob_n(&b, s, n);
			if (e != NULL)
				ob_c(&b, '/');
		}
		s = e ? e + 1 : s + n;
	}
	return buf_take(&b);
}

/* --- relationships (ECMA-376 Part 2, 9.3) ---------------------------------- */

struct orel {
	char *id, *target, *type;
	bool external;
};

struct orels {
	struct orel *v;
	size_t n;
};

struct orels *
orels_load(struct odoc *d, const char *part)
{
	struct orels *r = xcalloc(1, sizeof(*r));
	const char *slash = strrchr(part, '/');
	char *relname;
	xmlDocPtr doc;
	xmlNode *root;

	/* "word/document.xml" -> "word/_rels/document.xml.rels" */
	if (slash != NULL)
		relname = xasprintf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1);
	else
		relname = xasprintf("_rels/%s.rels", part);
	doc = odoc_xml(d, relname);
	free(relname);
	if (doc == NULL)
		return r;
	root = xmlDocGetRootElement(doc);
	for (xmlNode *c = root ? root->children : NULL; c != NULL; c = c->next) {
		const char *id, *target, *type, *mode;

		if (!oxml_is(c, "Relationship"))
			continue;
		id = oxml_attr(c, "Id", NULL);
		target = oxml_attr(c, "Target", NULL);
		type = oxml_attr(c, "Type", NULL);
		mode = oxml_attr(c, "TargetMode", NULL);
		if (id == NULL || target == NULL)
			continue;
		r->v = xreallocarray(r->v, r->n + 1, sizeof(*r->v));
		r->v[r->n].id = xstrdup(id);
		r->v[r->n].type = xstrdup(type ? type : "");
		r->v[r->n].external = mode != NULL && strcmp(mode, "External") == 0;
		r->v[r->n].target = r->v[r->n].external ? xstrdup(target) : odoc_resolve(part, target);
		r->n++;
	}
	xmlFreeDoc(doc);
	return r;
}

void
orels_free(struct orels *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].target);
		free(r->v[i].type);
	}
	free(r->v);
	free(r);
}

const char *
orels_target(const struct orels *r, const char *id, bool *external)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0) {
			if (external != NULL)
				*external = r->v[i].external;
			return r->v[i].target;
		}
	return NULL;
}

const char *
orels_by_type(const struct orels *r, const char *type_suffix, size_t nth)
{
	size_t n = strlen(type_suffix);

	for (size_t i = 0; i < r->n; i++) {
		size_t tl = strlen(r->v[i].type);

		if (tl >= n && strcmp(r->v[i].type + tl - n, type_suffix) == 0 && nth-- == 0)
			return r->v[i].target;
	}
	return NULL;
}

/* --- embedded files --------------------------------------------------------- */

static const char *
entry_role(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || name[n - 1] == '/')
		return NULL;
	if (strstr(name, "/media/") != NULL || strncmp(name, "Pictures/", 9) == 0)
		return "image";
	if (strstr(name, "/embeddings/") != NULL)
		return "embedding";
	/* HWPX BinData: pictures, and OLE objects (".ole") */
	if (strncmp(name, "BinData/", 8) == 0)
		return n >= 4 && strcasecmp(name + n - 4, ".ole") == 0 ? "embedding" : "image";
	if (n >= 14 && strcmp(name + n - 14, "vbaProject.bin") == 0)
		return "macro";
	return NULL;
}

/* The flags only known once every entry was read. */
static void
odoc_finish(struct odoc *d)
{
	d->done = true;
	if (d->saw_dtd)
		odoc_flag(d, "dtd");
	if (d->z == NULL) {
		d->pub.flags = d->flags.len > 0 ? buf_str(&d->flags) : NULL;
		return;
	}
	if (ozip_encrypted(d->z))
		odoc_flag(d, "encrypted-entries");
	if (ozip_capped(d->z))
		odoc_flag(d, "capped");
	d->pub.encrypted = ozip_encrypted(d->z);
	d->pub.flags = d->flags.len > 0 ? buf_str(&d->flags) : NULL;
}

bool
office_next_embedded(struct office_doc *doc, struct office_embedded *e)
{
	struct odoc *d = (struct odoc *)doc;

	free(d->embedded);
	d->embedded = NULL;
	if (d->z == NULL) {
		if (!d->done && hwp_next_embedded(d, e))
			return true;
		if (!d->done)
			odoc_finish(d);
		return false;
	}
	while (!d->done && d->next_entry < ozip_count(d->z)) {
		size_t i = d->next_entry++;
		const char *name = ozip_name(d->z, i);
		const char *role = entry_role(name);
		size_t len;
		char *p;

		if (role == NULL)
			continue;
		p = ozip_read(d->z, i, (size_t)d->lim->zip_inflated, &len);
		if (p == NULL)
			continue;
		if (strcmp(role, "macro") == 0) {
			d->pub.has_macros = true;
			odoc_flag(d, "macros");
			odoc_warn(d, "office.macros", name,
			    "the document carries a VBA project (macros); extracted, not run");
		}
		d->embedded = p;
		memset(e, 0, sizeof(*e));
		e->entry = i;
		e->name = name;
		e->role = role;
		e->p = p;
		e->len = len;
		e->document = strcmp(role, "embedding") == 0 && office_is_document(p, len);
		return true;
	}
	if (!d->done)
		odoc_finish(d);
	return false;
}

/* --- the record ------------------------------------------------------------ */

static const char *
odf_kind(struct odoc *d)
{
	long i = ozip_find(d->z, "mimetype");
	const char *kind = "odt";
	size_t len;
	char *p;

	if (i < 0)
		return kind;
	p = ozip_read(d->z, (size_t)i, 256, &len);
	if (p == NULL)
		return kind;
	if (strncmp(p, ODF_PREFIX "spreadsheet", strlen(ODF_PREFIX "spreadsheet")) == 0)
		kind = "ods";
	else if (strncmp(p, ODF_PREFIX "presentation", strlen(ODF_PREFIX "presentation")) == 0)
		kind = "odp";
	else if (strncmp(p, ODF_PREFIX, strlen(ODF_PREFIX)) != 0)
		odoc_warn(d, "office.odf.mimetype", "mimetype", "unexpected ODF mimetype \"%.100s\"", p);
	free(p);
	return kind;
}

static void
odoc_read(struct odoc *d)
{
	const char *kind = d->pub.kind;

	if (strcmp(kind, "hwpx") == 0) {
		hwpx_read(d);
	} else if (kind[0] == 'o') {
		props_read_odf(d);
		odt_read(d);
	} else {
		props_read_core(d);
		if (strcmp(kind, "docx") == 0)
			docx_read(d);
		else if (strcmp(kind, "xlsx") == 0)
			xlsx_read(d);
		else
			pptx_read(d);
	}
	d->pub.text = buf_str(&d->text);
}

static struct odoc *
odoc_new(const struct limits *lim, struct plog *log, const char *source, unsigned depth)
{
	struct odoc *d = xcalloc(1, sizeof(*d));

	d->lim = lim;
	d->log = log;
	d->source = source;
	d->depth = depth;
	buf_init(&d->text, ODOC_TEXT_MAX);
	buf_init(&d->flags, 4096);
	return d;
}

static struct office_doc *office_unpack_at(const void *p, size_t len, const struct limits *lim,
    struct plog *log, const char *source, unsigned depth, struct office_nest *nest);

/* An HWP 5 document: an OLE compound file, not a zip (hwp.c). */
static struct office_doc *
office_unpack_hwp(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source, unsigned depth)
{
	struct odoc *d = odoc_new(lim, log, source, depth);

	d->pub.kind = "hwp";
	if (!hwp_read(d, p, len)) {
		office_doc_free(&d->pub);
		return NULL;
	}
	d->pub.text = buf_str(&d->text);
	return &d->pub;
}

static struct office_doc *
office_unpack_nest(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source, unsigned depth, struct office_nest *nest)
{
	struct odoc *d;
	struct office_doc *r;
	bool own = nest == NULL;

	if (own)
		nest = xcalloc(1, sizeof(*nest));
	if (lim->doc_count && nest->docs >= lim->doc_count) {
		if (!nest->count_logged)
			plog_add(log, PLOG_WARN, "office.doc_count", source, "",
			    "more than %u documents inside one document (doc-count): this one and"
			    " any later one are stored, not unpacked", lim->doc_count);
		nest->count_logged = true;
		if (own)
			free(nest);
		return NULL;
	}
	nest->docs++;
	r = office_unpack_at(p, len, lim, log, source, depth, nest);
	if (r == NULL) {
		if (own)
			free(nest);
		return NULL;
	}
	d = (struct odoc *)r;
	d->nest = nest;
	d->own_nest = own;
	return r;
}

struct office_doc *
office_unpack(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source, unsigned depth)
{
	return office_unpack_nest(p, len, lim, log, source, depth, NULL);
}

struct office_doc *
office_unpack_inside(struct office_doc *parent, const void *p, size_t len, const char *source)
{
	struct odoc *pd = (struct odoc *)parent;

	return office_unpack_nest(p, len, pd->lim, pd->log, source, pd->depth + 1, pd->nest);
}

static struct office_doc *
office_unpack_at(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source, unsigned depth, struct office_nest *nest)
{
	struct odoc *d;
	struct ozip *z;
	const char *kind;

	if (depth > lim->doc_depth) {
		plog_add(log, PLOG_WARN, "office.depth", source, "",
		    "document nested %u deep, past the ceiling of %u: not unpacked", depth,
		    lim->doc_depth);
		return NULL;
	}
	/* MS-CFB 2.2: the compound file signature */
	if (len >= 8 && memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return office_unpack_hwp(p, len, lim, log, source, depth);
	z = ozip_open(p, len, lim, log, source);
	if (z == NULL)
		return NULL;
	ozip_share_budget(z, &nest->inflated, &nest->budget_logged);
	kind = office_kind(z);
	if (kind == NULL) {
		plog_add(log, PLOG_WARN, "office.kind", source, "",
		    "zip archive is not a docx, xlsx, pptx, OpenDocument or HWPX file");
		ozip_free(z);
		return NULL;
	}
	d = odoc_new(lim, log, source, depth);
	d->z = z;
	d->pub.kind = strcmp(kind, "odt") == 0 ? odf_kind(d) : kind;
	odoc_read(d);
	return &d->pub;
}

void
office_doc_free(struct office_doc *doc)
{
	struct odoc *d = (struct odoc *)doc;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < doc->nitems; i++) {
		struct office_item *it = &doc->items[i];
		free(it->kind); free(it->author); free(it->date); free(it->text); free(it->target);
		free(it->part);
	}
	free(doc->items);
	props_free(&doc->props);
	free(d->embedded);
	buf_free(&d->text);
	buf_free(&d->flags);
	ozip_free(d->z);
	hwp_close(d);
	if (d->own_nest)
		free(d->nest);
	free(d);
}
