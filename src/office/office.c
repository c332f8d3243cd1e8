/* office.c - office documents: recognition, the unpacking driver, and what
 * the format readers share (relationships, parts, items, the text).
 *
 * A document is a zip of XML parts. The driver opens it with the ceilings of
 * zipsafe.c, writes a documents row, extracts every embedded file (images,
 * embedded objects, VBA projects) through the artifact store so the readers
 * can mark where each sits in the text, hands the package to the reader of
 * its format, and finally stores the metadata and text. */
#include "office/office.h"
#include "office/office_int.h"
#include "ingest.h"
#include "store/artifacts.h"
#include "store/db_documents.h"
#include "util/hash.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	/* ODF packages (ISO/IEC 26300, 17.4): a mimetype entry and content.xml;
	 * the subtype is read from mimetype later. */
	if (ozip_find(z, "mimetype") >= 0 && ozip_find(z, "content.xml") >= 0)
		return "odt";
	return NULL;
}

bool
office_is_document(const void *p, size_t len)
{
	struct ozip *z = ozip_peek(p, len);
	bool yes;

	if (z == NULL)
		return false;
	yes = office_kind(z) != NULL;
	ozip_free(z);
	return yes;
}

/* --- helpers for the readers ---------------------------------------------- */

void
odoc_warn(struct odoc *d, const char *code, const char *where, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	plog_add(d->ctx->log, PLOG_WARN, code, d->source, where ? where : "", "%s", msg);
	free(msg);
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
    const char *text, const char *target, const char *part, const char *sha256,
    const char *md5)
{
	struct db_doc_item it = { kind, author, date, text, target, sha256, part, md5 };

	(void)db_doc_item_add(d->ctx->db, d->doc_id, &it);
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
	p = ozip_read(d->z, (size_t)i, d->ctx->lim->xml_bytes, &len);
	if (p == NULL) {
		odoc_flag(d, "unreadable-parts");
		return NULL;
	}
	doc = oxml_parse(p, len, d->ctx->log, d->source, name, &d->saw_dtd);
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

static int64_t office_unpack_in(struct ingest_ctx *ctx, const void *p, size_t len,
    const char *sha256, const char *declared_name, unsigned depth, const char *parent_sha256);

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
	if (n >= 14 && strcmp(name + n - 14, "vbaProject.bin") == 0)
		return "macro";
	return NULL;
}

static void
odoc_extract(struct odoc *d)
{
	for (size_t i = 0; i < ozip_count(d->z); i++) {
		const char *name = ozip_name(d->z, i);
		const char *role = entry_role(name);
		struct artifact_ref ref;
		struct hashes h;
		char *prov;
		size_t len;
		char *p;

		if (role == NULL)
			continue;
		p = ozip_read(d->z, i, (size_t)d->ctx->lim->zip_inflated, &len);
		if (p == NULL)
			continue;
		prov = xasprintf("zip entry %zu of %s", i, d->source);
		memset(&ref, 0, sizeof(ref));
		ref.evidence_id = d->ctx->evidence_id;
		ref.parent_kind = "document";
		ref.parent_id = d->doc_id;
		ref.parent_sha256 = d->sha256;
		ref.role = strcmp(role, "macro") == 0 ? "part" : role;
		ref.declared_name = name;
		ref.part_path = name;
		ref.provenance = prov;
		(void)artstore_put(d->ctx->art, p, len, &ref, &h);
		if (strcmp(role, "macro") == 0) {
			d->has_macros = true;
			odoc_flag(d, "macros");
			odoc_warn(d, "office.macros", name,
			    "the document carries a VBA project (macros); extracted, not run");
		}
		odoc_item(d, role, NULL, NULL, name, NULL, name, h.sha256, h.md5);
		/* An embedded office document is a document of its own. */
		if (strcmp(role, "embedding") == 0 && office_is_document(p, len))
			(void)office_unpack_in(d->ctx, p, len, h.sha256, name, d->depth + 1, d->sha256);
		free(prov);
		free(p);
	}
}

/* --- the driver ----------------------------------------------------------- */

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

static int64_t
office_unpack_in(struct ingest_ctx *ctx, const void *p, size_t len, const char *sha256,
    const char *declared_name, unsigned depth, const char *parent_sha256)
{
	struct odoc doc;
	struct odoc *d = &doc;
	struct db_document row;
	struct hashes h;
	const char *kind;
	int64_t id;

	memset(&doc, 0, sizeof(doc));
	d->ctx = ctx;
	d->sha256 = sha256;
	d->source = declared_name != NULL && declared_name[0] != '\0' ? declared_name : sha256;
	d->depth = depth;
	if (depth > ctx->lim->doc_depth) {
		plog_add(ctx->log, PLOG_WARN, "office.depth", d->source, "",
		    "document nested %u deep, past the ceiling of %u: not unpacked", depth,
		    ctx->lim->doc_depth);
		return 0;
	}
	d->z = ozip_open(p, len, ctx->lim, ctx->log, d->source);
	if (d->z == NULL)
		return 0;
	kind = office_kind(d->z);
	if (kind == NULL) {
		plog_add(ctx->log, PLOG_WARN, "office.kind", d->source, "",
		    "zip archive is not a docx, xlsx, pptx or OpenDocument file");
		ozip_free(d->z);
		return 0;
	}
	if (strcmp(kind, "odt") == 0)
		kind = odf_kind(d);
	d->kind = kind;
	buf_init(&d->text, ODOC_TEXT_MAX);
	buf_init(&d->flags, 4096);

	hash_mem(p, len, &h);
	memset(&row, 0, sizeof(row));
	row.sha256 = sha256;
	row.kind = kind;
	row.declared_name = declared_name;
	row.md5 = h.md5;
	row.parent_sha256 = parent_sha256;
	row.evidence_id = ctx->evidence_id;
	row.size = (int64_t)len;
	row.depth = depth;
	id = db_document_add(ctx->db, &row);
	d->doc_id = id;

	if (kind[0] == 'o') {
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
	/* Embedded files last: a bomb among them cannot starve the text. */
	odoc_extract(d);
	if (d->saw_dtd)
		odoc_flag(d, "dtd");
	if (ozip_encrypted(d->z))
		odoc_flag(d, "encrypted-entries");
	if (ozip_capped(d->z))
		odoc_flag(d, "capped");

	row.title = d->props.title;
	row.subject = d->props.subject;
	row.creator = d->props.creator;
	row.keywords = d->props.keywords;
	row.description = d->props.description;
	row.last_modified_by = d->props.last_modified_by;
	row.revision = d->props.revision;
	row.created = d->props.created;
	row.modified = d->props.modified;
	row.last_printed = d->props.last_printed;
	row.application = d->props.application;
	row.app_version = d->props.app_version;
	row.company = d->props.company;
	row.template_ = d->props.template_;
	row.total_time = d->props.total_time;
	row.pages = d->props.pages;
	row.words = d->props.words;
	row.has_macros = d->has_macros;
	row.encrypted = ozip_encrypted(d->z);
	row.text = buf_str(&d->text);
	row.flags = d->flags.len > 0 ? buf_str(&d->flags) : NULL;
	db_document_finish(ctx->db, id, &row);

	props_free(&d->props);
	buf_free(&d->text);
	buf_free(&d->flags);
	ozip_free(d->z);
	return id;
}

int64_t
office_unpack(struct ingest_ctx *ctx, const void *p, size_t len,
    const char *sha256, const char *declared_name, unsigned depth)
{
	return office_unpack_in(ctx, p, len, sha256, declared_name, depth, NULL);
}
