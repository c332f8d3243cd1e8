/* docxgen.h - office documents built in memory with libzip, for tests.
 *
 * A docxgen collects entries and writes a zip; helpers add the parts a
 * minimal docx, xlsx, pptx or odt needs. Entry contents are copied. The
 * finished bytes belong to the caller (free()). Generation failures end
 * the test binary (they are bugs in the test, not findings). */
#ifndef MC_DOCXGEN_H
#define MC_DOCXGEN_H

#include <stdbool.h>
#include <stddef.h>

struct docxgen;

struct docxgen *docxgen_new(void);
/* Adds an entry; stored uncompressed when store is true. */
void docxgen_add(struct docxgen *g, const char *name, const void *p, size_t len, bool store);
void docxgen_add_text(struct docxgen *g, const char *name, const char *text);
/* Adds an entry encrypted with password (AES-256, or PKWARE when libzip
 * lacks AES). False when libzip can encrypt with neither. */
bool docxgen_add_encrypted(struct docxgen *g, const char *name, const char *text,
    const char *password);
/* Writes the zip, frees g, returns the bytes. */
void *docxgen_finish(struct docxgen *g, size_t *len);

/* A docx: [Content_Types].xml, _rels/.rels, word/document.xml whose w:body
 * holds body (WordprocessingML, w: r: a: wp: pic: v: o: prefixes declared),
 * word/_rels/document.xml.rels holding rels (<Relationship .../> elements;
 * may be NULL). */
void docxgen_docx(struct docxgen *g, const char *body, const char *rels);
/* docProps/core.xml with these elements inside cp:coreProperties (dc:, cp:,
 * dcterms:, xsi: declared) and docProps/app.xml with app elements (may be NULL). */
void docxgen_props(struct docxgen *g, const char *core, const char *app);
/* A w: document-part body wrapper, e.g. for word/header1.xml: root element
 * name ("w:hdr", "w:ftr", "w:footnotes", "w:comments") around inner. */
void docxgen_wpart(struct docxgen *g, const char *name, const char *root, const char *inner);
/* An xlsx with one sheet per name; cells[i] is the sheetData inner XML of
 * sheet i; sst the inner XML of the shared string table (NULL: none). */
void docxgen_xlsx(struct docxgen *g, const char *const *names, const char *const *cells,
    size_t n, const char *sst);
/* A pptx with n slides; slides[i] is the spTree inner XML; notes[i] the
 * notes text (NULL: no notes page). */
void docxgen_pptx(struct docxgen *g, const char *const *slides, const char *const *notes,
    size_t n);
/* An odt: mimetype (stored, first), content.xml whose office:text holds body,
 * meta.xml whose office:meta holds meta (may be NULL), styles.xml master
 * page inner XML (may be NULL). */
void docxgen_odt(struct docxgen *g, const char *body, const char *meta, const char *master);

/* An HWPX (OWPML): mimetype (stored, first), META-INF/container.xml,
 * Contents/content.hpf whose opf:metadata holds meta and whose manifest and
 * spine list header.xml and one section per body (items adds more manifest
 * <opf:item .../> elements; may be NULL), Contents/header.xml whose hh:head
 * holds head (may be NULL), and Contents/sectionN.xml whose hs:sec holds
 * bodies[N] (hp: hc: hs: hh: opf: prefixes declared). */
void docxgen_hwpx(struct docxgen *g, const char *meta, const char *items, const char *head,
    const char *const *bodies, size_t n);

/* A tiny valid PNG (1x1); static bytes. */
const unsigned char *docxgen_png(size_t *len);

#endif
