/* fuzz_docx - libFuzzer target for the office unpacker (src/office/).
 *
 * The first byte chooses the mode. Even: the rest is the package itself
 * (libzip's reading and the ceilings). Odd: the rest is a list of parts,
 * each a name-table index byte, a 2-byte big-endian length and the bytes;
 * they are zipped (stored) with libzip and unpacked, so the XML readers of
 * docx, xlsx, pptx and odt see arbitrary XML. Dictionary: fuzz_docx.dict.
 * Ceilings are small so the cap paths are reached; inputs capped at 256 KB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ingest.h"
#include "office/office.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/hash.h"
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
};

static struct casedb *fz_db;
static struct artstore *fz_art;
static struct plog *fz_log;
static struct limits fz_lim;

static void
fz_init(void)
{
	char tmpl[] = "/tmp/fuzz-docx-XXXXXX", path[64], *err = NULL;

	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/case", tmpl);
	fz_db = casedb_open(path, true, &err);
	if (fz_db == NULL)
		abort();
	fz_art = artstore_open(fz_db);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_ctx ctx;
	char sha[65];
	void *pkg;
	size_t len = 0;

	if (size < 1 || size > 256 * 1024)
		return 0;
	if (fz_db == NULL)
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
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = fz_db;
	ctx.art = fz_art;
	ctx.log = fz_log;
	ctx.lim = &fz_lim;
	hash_sha256_hex(pkg, len, sha);
	casedb_begin(fz_db);
	(void)office_is_document(pkg, len);
	(void)office_unpack(&ctx, pkg, len, sha, "fuzz.docx", 0);
	casedb_rollback(fz_db);
	plog_clear(fz_log);
	free(pkg);
	return 0;
}
