/* office.h - office documents (docx, xlsx, pptx, odt, hwpx, hwp) unpacked safely with
 * libzip and libxml2 into a record: kind, metadata, text, flags, comments,
 * tracked changes, hyperlinks, and the embedded files (images, embedded
 * objects, VBA projects).
 *
 * Pure: office_unpack() takes bytes and returns a record; it opens no
 * database and no artifact store. Malformed or hostile input ends in a
 * processing-log warning, never a crash. The driver (ingest.c,
 * ingest_office()) stores the record, then walks the embedded files with
 * office_next_embedded() one at a time (so only one is in memory), storing
 * each and handing embedded documents back to office_unpack() one level
 * deeper.
 *
 * Ownership: the input bytes are borrowed and must outlive the record;
 * everything in the record belongs to it and is freed by office_doc_free().
 * An embedded file's bytes are borrowed from the record until the next
 * office_next_embedded() call. */
#ifndef MC_OFFICE_H
#define MC_OFFICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct limits;
struct plog;

/* docProps/core.xml, docProps/app.xml, or ODF meta.xml; NULL when absent. */
struct office_props {
	char *title, *subject, *creator, *keywords, *description, *last_modified_by;
	char *revision, *created, *modified, *last_printed;
	char *application, *app_version, *company, *template_, *total_time, *pages, *words;
};

/* A comment, insertion, deletion, hyperlink, header, footer, footnote,
 * endnote, sheet, slide or note, in document order. Any field but kind may
 * be NULL. */
struct office_item {
	char *kind, *author, *date, *text, *target, *part;
};

struct office_doc {
	const char *kind;            /* docx xlsx pptx odt ods odp hwpx hwp */
	struct office_props props;
	const char *text;            /* the document's text (capped, logged) */
	struct office_item *items;
	size_t nitems;
	/* Final once office_next_embedded() has returned false: */
	const char *flags;           /* "macros,dtd,..." or NULL */
	bool has_macros;
	bool encrypted;              /* some entry is encrypted */
};

/* An embedded file of the package. role is "image", "embedding" or "macro"
 * (a VBA project). */
struct office_embedded {
	size_t entry;                /* zip entry index */
	const char *name;            /* entry name (text from evidence; never a path) */
	const char *role;
	const void *p;               /* inflated bytes, borrowed */
	size_t len;
	bool document;               /* an office document of its own */
};

/* True when the bytes look like an office document this module reads
 * (a zip with word/, xl/, ppt/, an OpenDocument mimetype or an HWPX package,
 * or an OLE compound file with the HWP 5 FileHeader). */
bool office_is_document(const void *p, size_t len);
/* The kind office_unpack() would read the bytes as ("docx", "odt" for any
 * OpenDocument, "hwpx", "hwp" ...; static), or NULL. */
const char *office_document_kind(const void *p, size_t len);

/* Unpacks p[0..len). source names the document in the log (its declared
 * name, or its SHA-256); depth counts documents inside documents (0 for an
 * attachment) against lim->doc_depth. NULL (logged) when nothing could be
 * read. */
struct office_doc *office_unpack(const void *p, size_t len, const struct limits *lim,
    struct plog *log, const char *source, unsigned depth);
/* An embedded document of parent (office_embedded.document), unpacked one
 * level deeper: it shares parent's budget of inflated bytes and count of
 * documents (lim->zip_inflated, lim->doc_count) with every document of the
 * nest. parent must outlive the record. */
struct office_doc *office_unpack_inside(struct office_doc *parent, const void *p, size_t len,
    const char *source);
/* The next embedded file into *e; false after the last (the flags are then
 * final). */
bool office_next_embedded(struct office_doc *d, struct office_embedded *e);
void office_doc_free(struct office_doc *d);

#endif
