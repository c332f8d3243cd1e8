/* fuzz_docx - libFuzzer target for the office unpacker (src/office/).
 *
 * The first byte chooses the mode. Even: the rest is the package itself
 * (libzip's reading and the ceilings). Odd: the rest is a list of parts,
 * each a name-table index byte, a 2-byte big-endian length and the bytes;
 * they are zipped (stored) with libzip and unpacked, so the XML readers of
 * docx, xlsx, pptx, odt and hwpx see arbitrary XML. A raw input may also be
 * an HWP 5 compound file (office/hwp.c); tests/fuzz/mkseeds.py writes seeds
 * of every kind. Dictionary: fuzz_docx.dict.
 * office_unpack() is pure, so no case database is needed: the record is
 * built, every embedded file is read (its bytes touched, so a bad range shows
 * under ASan) and embedded documents are unpacked in turn, as the driver
 * does. Ceilings are small so the cap paths are reached; inputs capped at
 * 256 KB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "office/office.h"
#include "util/limits.h"
#include "util/plog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_names[] = {
	"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
	"docProps/core.xml", "docProps/app.xml", "word/comments.xml", "word/header1.xml",
	"word/footnotes.xml", "word/media/image1.png", "word/embeddings/x.docx",
	"word/vbaProject.bin", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
	"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml", "ppt/presentation.xml",
	"ppt/_rels/presentation.xml.rels", "ppt/slides/slide1.xml",
	"ppt/slides/_rels/slide1.xml.rels", "ppt/notesSlides/notesSlide1.xml", "mimetype",
	"content.xml", "meta.xml", "styles.xml", "Pictures/a.png", "../../evil", "word/endnotes.xml",
	"META-INF/container.xml", "Contents/content.hpf", "Contents/header.xml",
	"Contents/section0.xml", "Contents/section1.xml", "BinData/image1.png", "version.xml",
	"META-INF/manifest.xml", "Preview/PrvText.txt", "BinData/ole1.ole",
};

static struct plog *fz_log;
static struct limits fz_lim;

static void
fz_init(void)
{
	fz_log = plog_new();
	limits_default(&fz_lim);
	fz_lim.zip_entries = 64;
	fz_lim.zip_inflated = 4u << 20;
	fz_lim.xml_bytes = 1u << 20;
	fz_lim.doc_depth = 2;
}

/* Zips the records; returns malloc'd bytes or NULL. */
static void *
fz_zip(const uint8_t *p, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	zip_stat_t st;
	void *out = NULL;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (src == NULL)
		return NULL;
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (z == NULL) {
		zip_source_free(src);
		return NULL;
	}
	while (n >= 3) {
		const char *name = fz_names[p[0] % (sizeof(fz_names) / sizeof(fz_names[0]))];
		size_t l = (size_t)p[1] << 8 | p[2];
		zip_source_t *s;
		zip_int64_t i;

		p += 3, n -= 3;
		if (l > n)
			l = n;
		s = zip_source_buffer(z, p, l, 0);
		i = s ? zip_file_add(z, name, s, ZIP_FL_OVERWRITE) : -1;
		if (i < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
		p += l, n -= l;
	}
	if (zip_close(z) != 0) {
		zip_discard(z);
		zip_source_free(src);
		return NULL;
	}
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
		out = malloc(st.size ? st.size : 1);
		*len = (size_t)zip_source_read(src, out, st.size);
		zip_source_close(src);
	}
	zip_source_free(src);
	return out;
}

static volatile unsigned fz_sink;

/* What the driver does with a record, without storing it. */
static void
fz_unpack(const void *p, size_t len, const char *name, unsigned depth)
{
	struct office_doc *d = office_unpack(p, len, &fz_lim, fz_log, name, depth);
	struct office_embedded e;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nitems; i++)
		fz_sink += (unsigned)strlen(d->items[i].kind) + (d->items[i].text ? 1u : 0u);
	fz_sink += (unsigned)strlen(d->text);
	while (office_next_embedded(d, &e)) {
		const unsigned char *b = e.p;
		for (i = 0; i < e.len; i++)
			fz_sink += b[i];
		if (e.document)
			fz_unpack(e.p, e.len, e.name, depth + 1);
	}
	fz_sink += d->flags ? (unsigned)strlen(d->flags) : 0u;
	office_doc_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *pkg;
	size_t len = 0;

	if (size < 1 || size > 256 * 1024)
		return 0;
	if (fz_log == NULL)
		fz_init();
	if (data[0] & 1) {
		pkg = fz_zip(data + 1, size - 1, &len);
		if (pkg == NULL)
			return 0;
	} else {
		pkg = malloc(size - 1 ? size - 1 : 1);
		memcpy(pkg, data + 1, size - 1);
		len = size - 1;
	}
	(void)office_is_document(pkg, len);
	fz_unpack(pkg, len, "fuzz.docx", 0);
	plog_clear(fz_log);
	free(pkg);
	return 0;
}
