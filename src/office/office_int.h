/* office_int.h - what the office/ files share: the capped zip reader, the
 * safe XML parser, and the document being unpacked (struct odoc).
 *
 * Private to src/office/. Nothing here uses an entry name as a path: names
 * are text that is matched, logged and stored. */
#ifndef MC_OFFICE_INT_H
#define MC_OFFICE_INT_H

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "office/office.h"
#include "util/buf.h"

struct limits;
struct plog;
struct hwpole;

/* Appending to a capped buffer: a refused append stays visible in b->capped,
 * which the owner of the buffer logs once (STYLE.md principle 3). */
static inline void ob_n(struct buf *b, const char *s, size_t n) { if (!buf_add(b, s, n)) b->capped = true; }
static inline void ob_s(struct buf *b, const char *s) { if (!buf_adds(b, s)) b->capped = true; }
static inline void ob_c(struct buf *b, char c) { if (!buf_addc(b, c)) b->capped = true; }
void ob_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include "office/zipsafe.h"

/* --- xmlsafe.c: libxml2 without network, DTD loading or entity expansion --- */

/* Parses an XML part. No entity is substituted and no DTD or external
 * resource is loaded; a document type declaration is logged. NULL (logged)
 * when the part is not well-formed. Free with xmlFreeDoc(). */
xmlDocPtr oxml_parse(const char *p, size_t len, struct plog *log, const char *source,
    const char *part, bool *saw_dtd);
/* The element's local name equals name. */
bool oxml_is(const xmlNode *n, const char *name);
/* The value of an attribute by local name (any namespace when nsfrag is NULL,
 * else a namespace URI containing nsfrag); only literal text, entity
 * references are never followed. Borrowed, or NULL. */
const char *oxml_attr(const xmlNode *n, const char *local, const char *nsfrag);
/* Appends the text children of n (not descendants; no entity references). */
void oxml_text_add(struct buf *b, const xmlNode *n);
/* First child element with this local name, or NULL. */
xmlNode *oxml_child(const xmlNode *n, const char *name);
/* All text below n, in document order (no entity references). */
void oxml_text_deep(struct buf *b, const xmlNode *n);

/* --- the document being unpacked (office.c) ------------------------------- */

/* A document and every document inside it, at every level: one budget of
 * inflated bytes and one count of documents (util/limits.h zip_inflated,
 * doc_count), so a 42.zip-style nest cannot multiply a per-document
 * ceiling by its fan-out. */
struct office_nest {
	uint64_t inflated;
	unsigned docs;
	bool count_logged, budget_logged;
};

struct odoc {
	struct office_doc pub;    /* the record handed out (first: office_doc_free casts back) */
	const struct limits *lim;
	struct plog *log;
	struct ozip *z;           /* NULL for an HWP 5 (OLE) document */
	struct hwpole *ole;       /* hwp.c's open OLE file, or NULL */
	const char *source;       /* declared name, or the SHA-256: used in the log */
	unsigned depth;
	struct office_nest *nest; /* shared with the documents inside it; owned by the outermost */
	bool own_nest;
	struct buf text;          /* the document's text, capped */
	struct buf flags;         /* comma-separated */
	size_t items_cap;
	size_t next_entry;        /* office_next_embedded()'s place in the zip */
	char *embedded;           /* the bytes it handed out last */
	bool saw_dtd;
	bool text_capped_logged;
	bool done;
};

/* Reads and parses one entry by name; NULL when absent (silently) or
 * unreadable (logged). */
xmlDocPtr odoc_xml(struct odoc *d, const char *name);
/* Appends to the document text; a hit ceiling is logged once. */
void odoc_text(struct odoc *d, const char *s, size_t n);
void odoc_texts(struct odoc *d, const char *s);
/* Adds an item to the record (copied). Any argument but kind may be NULL. */
void odoc_item(struct odoc *d, const char *kind, const char *author, const char *date,
    const char *text, const char *target, const char *part);
void odoc_flag(struct odoc *d, const char *flag);
void odoc_warn(struct odoc *d, const char *code, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Resolves a relationship target against the part's folder ("word/" +
 * "media/image1.png", "../media/x" ...); returns a new string. */
char *odoc_resolve(const char *base_part, const char *target);

/* Relationships of a part (OPC, ECMA-376 Part 2 section 9.3): id -> target. */
struct orels;
struct orels *orels_load(struct odoc *d, const char *part);
void orels_free(struct orels *r);
/* Target and whether TargetMode="External"; NULL when the id is unknown. */
const char *orels_target(const struct orels *r, const char *id, bool *external);
/* Target of the first relationship whose Type ends with type_suffix. */
const char *orels_by_type(const struct orels *r, const char *type_suffix, size_t nth);

/* props.c */
void props_read_core(struct odoc *d);   /* docProps/core.xml and app.xml */
void props_read_odf(struct odoc *d);    /* meta.xml */
void props_free(struct office_props *p);

/* The formats. Each appends text and items to d. */
void docx_read(struct odoc *d);
void xlsx_read(struct odoc *d);
void pptx_read(struct odoc *d);
void odt_read(struct odoc *d);
void hwpx_read(struct odoc *d);

/* hwp.c: HWP 5 (OLE compound file) documents. hwp_read() opens p[0..len)
 * (borrowed) into d->ole and fills the record; false (logged) when it is no
 * readable HWP 5 file. hwp_next_embedded() hands out the BinData streams one
 * at a time (bytes in d->embedded, the name until the next call); hwp_close()
 * releases d->ole. */
bool hwp_is_document(const void *p, size_t len);
bool hwp_read(struct odoc *d, const void *p, size_t len);
bool hwp_next_embedded(struct odoc *d, struct office_embedded *e);
void hwp_close(struct odoc *d);

#endif
