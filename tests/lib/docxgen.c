/* docxgen.c - office documents built with libzip for the tests. */
#include "docxgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct docxgen {
	zip_source_t *src;
	zip_t *z;
};

static void
gen_die(const char *what, const char *why)
{
	fprintf(stderr, "docxgen: %s: %s\n", what, why);
	exit(2);
}

struct docxgen *
docxgen_new(void)
{
	struct docxgen *g = calloc(1, sizeof(*g));
	zip_error_t ze;

	if (g == NULL)
		gen_die("new", "out of memory");
	zip_error_init(&ze);
	g->src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (g->src == NULL)
		gen_die("new", zip_error_strerror(&ze));
	zip_source_keep(g->src);
	g->z = zip_open_from_source(g->src, ZIP_TRUNCATE, &ze);
	if (g->z == NULL)
		gen_die("open", zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return g;
}

static zip_int64_t
gen_add(struct docxgen *g, const char *name, const void *p, size_t len)
{
	void *copy = malloc(len ? len : 1);
	zip_source_t *s;
	zip_int64_t i;

	if (copy == NULL)
		gen_die(name, "out of memory");
	memcpy(copy, p, len);
	s = zip_source_buffer(g->z, copy, len, 1);
	if (s == NULL)
		gen_die(name, zip_strerror(g->z));
	/* ZIP_FL_OVERWRITE lets a test replace a part of a base document. */
	i = zip_file_add(g->z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
	if (i < 0) {
		zip_source_free(s);
		gen_die(name, zip_strerror(g->z));
	}
	zip_file_set_mtime(g->z, (zip_uint64_t)i, 1255197480, 0);
	return i;
}

void
docxgen_add(struct docxgen *g, const char *name, const void *p, size_t len, bool store)
{
	zip_int64_t i = gen_add(g, name, p, len);

	if (store)
		zip_set_file_compression(g->z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

void
docxgen_add_text(struct docxgen *g, const char *name, const char *text)
{
	(void)gen_add(g, name, text, strlen(text));
}

bool
docxgen_add_encrypted(struct docxgen *g, const char *name, const char *text,
    const char *password)
{
	zip_uint16_t m = zip_encryption_method_supported(ZIP_EM_AES_256, 1) ? ZIP_EM_AES_256 :
	    zip_encryption_method_supported(ZIP_EM_TRAD_PKWARE, 1) ? ZIP_EM_TRAD_PKWARE : 0;
	zip_int64_t i;

	if (m == 0)
		return false;
	i = gen_add(g, name, text, strlen(text));
	return zip_file_set_encryption(g->z, (zip_uint64_t)i, m, password) == 0;
}

void *
docxgen_finish(struct docxgen *g, size_t *len)
{
	zip_stat_t st;
	void *out;
	zip_int64_t got;

	if (zip_close(g->z) != 0)
		gen_die("close", zip_strerror(g->z));
	zip_stat_init(&st);
	if (zip_source_stat(g->src, &st) != 0 || zip_source_open(g->src) != 0)
		gen_die("finish", "cannot read the archive back");
	out = malloc(st.size ? st.size : 1);
	if (out == NULL)
		gen_die("finish", "out of memory");
	got = zip_source_read(g->src, out, st.size);
	if (got < 0 || (zip_uint64_t)got != st.size)
		gen_die("finish", "short read");
	zip_source_close(g->src);
	zip_source_free(g->src);
	free(g);
	*len = (size_t)got;
	return out;
}

static void
gen_addf(struct docxgen *g, const char *name, const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);

	if (s == NULL)
		gen_die(name, "out of memory");
	snprintf(s, n, "%s%s%s", a, b, c);
	docxgen_add_text(g, name, s);
	free(s);
}

#define XMLDECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"" \
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"" \
	" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"" \
	" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"" \
	" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\""
#define RELS_OPEN XMLDECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define RT "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

void
docxgen_docx(struct docxgen *g, const char *body, const char *rels)
{
	docxgen_add_text(g, "[Content_Types].xml", XMLDECL
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	    "</Types>");
	docxgen_add_text(g, "_rels/.rels", RELS_OPEN
	    "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" Target=\"word/document.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"" RT "extended-properties\" Target=\"docProps/app.xml\"/>"
	    "</Relationships>");
	gen_addf(g, "word/document.xml", XMLDECL "<w:document" W_NS "><w:body>", body,
	    "</w:body></w:document>");
	gen_addf(g, "word/_rels/document.xml.rels", RELS_OPEN, rels ? rels : "", "</Relationships>");
}

void
docxgen_props(struct docxgen *g, const char *core, const char *app)
{
	if (core != NULL)
		gen_addf(g, "docProps/core.xml", XMLDECL "<cp:coreProperties"
		    " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
		    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
		    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">", core,
		    "</cp:coreProperties>");
	if (app != NULL)
		gen_addf(g, "docProps/app.xml", XMLDECL "<Properties"
		    " xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
		    app, "</Properties>");
}

void
docxgen_wpart(struct docxgen *g, const char *name, const char *root, const char *inner)
{
	size_t n = strlen(root) * 2 + strlen(inner) + sizeof(W_NS) + 64;
	char *s = malloc(n);

	if (s == NULL)
		gen_die(name, "out of memory");
	snprintf(s, n, "<%s" W_NS ">%s</%s>", root, inner, root);
	docxgen_add_text(g, name, s);
	free(s);
}

#define SML_NS " xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

void
docxgen_xlsx(struct docxgen *g, const char *const *names, const char *const *cells,
    size_t n, const char *sst)
{
	char wb[8192], rels[8192], part[64];
	size_t wl, rl;

	docxgen_add_text(g, "[Content_Types].xml", XMLDECL
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
	docxgen_add_text(g, "_rels/.rels", RELS_OPEN
	    "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" Target=\"xl/workbook.xml\"/>"
	    "</Relationships>");
	wl = (size_t)snprintf(wb, sizeof(wb), XMLDECL "<workbook" SML_NS "><sheets>");
	rl = (size_t)snprintf(rels, sizeof(rels), "%s", RELS_OPEN);
	for (size_t i = 0; i < n; i++) {
		wl += (size_t)snprintf(wb + wl, sizeof(wb) - wl,
		    "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[i], i + 1, i + 1);
		rl += (size_t)snprintf(rels + rl, sizeof(rels) - rl,
		    "<Relationship Id=\"rId%zu\" Type=\"" RT "worksheet\" Target=\"worksheets/sheet%zu.xml\"/>",
		    i + 1, i + 1);
		snprintf(part, sizeof(part), "xl/worksheets/sheet%zu.xml", i + 1);
		gen_addf(g, part, XMLDECL "<worksheet" SML_NS "><sheetData>", cells[i],
		    "</sheetData></worksheet>");
	}
	snprintf(wb + wl, sizeof(wb) - wl, "</sheets></workbook>");
	if (sst != NULL)
		snprintf(rels + rl, sizeof(rels) - rl,
		    "<Relationship Id=\"rIdS\" Type=\"" RT "sharedStrings\" Target=\"sharedStrings.xml\"/>"
		    "</Relationships>");
	else
		snprintf(rels + rl, sizeof(rels) - rl, "</Relationships>");
	docxgen_add_text(g, "xl/workbook.xml", wb);
	docxgen_add_text(g, "xl/_rels/workbook.xml.rels", rels);
	if (sst != NULL)
		gen_addf(g, "xl/sharedStrings.xml", XMLDECL "<sst" SML_NS ">", sst, "</sst>");
}

#define PML_NS " xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"" \
	" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"" \
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

void
docxgen_pptx(struct docxgen *g, const char *const *slides, const char *const *notes, size_t n)
{
	char pr[8192], rels[8192], part[64], srels[1024];
	size_t pl, rl;

	docxgen_add_text(g, "[Content_Types].xml", XMLDECL
	    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
	docxgen_add_text(g, "_rels/.rels", RELS_OPEN
	    "<Relationship Id=\"rId1\" Type=\"" RT "officeDocument\" Target=\"ppt/presentation.xml\"/>"
	    "</Relationships>");
	pl = (size_t)snprintf(pr, sizeof(pr), XMLDECL "<p:presentation" PML_NS "><p:sldIdLst>");
	rl = (size_t)snprintf(rels, sizeof(rels), "%s", RELS_OPEN);
	for (size_t i = 0; i < n; i++) {
		/* listed in reverse part order: presentation order must win */
		size_t k = n - i;

		pl += (size_t)snprintf(pr + pl, sizeof(pr) - pl,
		    "<p:sldId id=\"%zu\" r:id=\"rId%zu\"/>", 255 + i, 100 + i);
		rl += (size_t)snprintf(rels + rl, sizeof(rels) - rl,
		    "<Relationship Id=\"rId%zu\" Type=\"" RT "slide\" Target=\"slides/slide%zu.xml\"/>",
		    100 + i, k);
		snprintf(part, sizeof(part), "ppt/slides/slide%zu.xml", k);
		gen_addf(g, part, XMLDECL "<p:sld" PML_NS "><p:cSld><p:spTree>", slides[i],
		    "</p:spTree></p:cSld></p:sld>");
		snprintf(part, sizeof(part), "ppt/slides/_rels/slide%zu.xml.rels", k);
		if (notes[i] != NULL) {
			snprintf(srels, sizeof(srels), RELS_OPEN
			    "<Relationship Id=\"rId2\" Type=\"" RT "notesSlide\" Target=\"../notesSlides/notesSlide%zu.xml\"/>"
			    "</Relationships>", k);
			docxgen_add_text(g, part, srels);
			snprintf(part, sizeof(part), "ppt/notesSlides/notesSlide%zu.xml", k);
			gen_addf(g, part, XMLDECL "<p:notes" PML_NS "><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>",
			    notes[i], "</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>");
		}
	}
	snprintf(pr + pl, sizeof(pr) - pl, "</p:sldIdLst></p:presentation>");
	snprintf(rels + rl, sizeof(rels) - rl, "</Relationships>");
	docxgen_add_text(g, "ppt/presentation.xml", pr);
	docxgen_add_text(g, "ppt/_rels/presentation.xml.rels", rels);
}

#define ODF_NS " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"" \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"" \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"" \
	" xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\"" \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"" \
	" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" \
	" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" office:version=\"1.2\""

void
docxgen_odt(struct docxgen *g, const char *body, const char *meta, const char *master)
{
	static const char mt[] = "application/vnd.oasis.opendocument.text";

	docxgen_add(g, "mimetype", mt, sizeof(mt) - 1, true);
	gen_addf(g, "content.xml", XMLDECL "<office:document-content" ODF_NS
	    "><office:body><office:text>", body, "</office:text></office:body></office:document-content>");
	if (meta != NULL)
		gen_addf(g, "meta.xml", XMLDECL "<office:document-meta" ODF_NS "><office:meta>", meta,
		    "</office:meta></office:document-meta>");
	if (master != NULL)
		gen_addf(g, "styles.xml", XMLDECL "<office:document-styles" ODF_NS
		    "><office:master-styles><style:master-page style:name=\"Standard\">", master,
		    "</style:master-page></office:master-styles></office:document-styles>");
	docxgen_add_text(g, "META-INF/manifest.xml", XMLDECL
	    "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>");
}

#define HWPX_NS " xmlns:hp=\"http://www.hancom.co.kr/hwpml/2011/paragraph\"" \
	" xmlns:hs=\"http://www.hancom.co.kr/hwpml/2011/section\"" \
	" xmlns:hc=\"http://www.hancom.co.kr/hwpml/2011/core\"" \
	" xmlns:hh=\"http://www.hancom.co.kr/hwpml/2011/head\"" \
	" xmlns:opf=\"http://www.idpf.org/2007/opf/\""

void
docxgen_hwpx(struct docxgen *g, const char *meta, const char *items, const char *head,
    const char *const *bodies, size_t n)
{
	static const char mt[] = "application/hwp+zip";
	char man[8192] = "", spine[4096] = "", name[64];

	docxgen_add(g, "mimetype", mt, sizeof(mt) - 1, true);
	docxgen_add_text(g, "META-INF/container.xml", XMLDECL
	    "<ocf:container xmlns:ocf=\"urn:oasis:names:tc:opendocument:xmlns:container\"><ocf:rootfiles>"
	    "<ocf:rootfile full-path=\"Contents/content.hpf\" media-type=\"application/hwpml-package+xml\"/>"
	    "</ocf:rootfiles></ocf:container>");
	snprintf(man, sizeof(man), "<opf:item id=\"header\" href=\"Contents/header.xml\" "
	    "media-type=\"application/xml\"/>%s", items ? items : "");
	snprintf(spine, sizeof(spine), "<opf:itemref idref=\"header\"/>");
	for (size_t i = 0; i < n; i++) {
		size_t m = strlen(man), k = strlen(spine);

		snprintf(man + m, sizeof(man) - m, "<opf:item id=\"section%zu\" "
		    "href=\"Contents/section%zu.xml\" media-type=\"application/xml\"/>", i, i);
		snprintf(spine + k, sizeof(spine) - k, "<opf:itemref idref=\"section%zu\"/>", i);
		snprintf(name, sizeof(name), "Contents/section%zu.xml", i);
		gen_addf(g, name, XMLDECL "<hs:sec" HWPX_NS ">", bodies[i], "</hs:sec>");
	}
	{
		size_t len = strlen(meta) + strlen(man) + strlen(spine) + 512;
		char *hpf = malloc(len);

		if (hpf == NULL)
			gen_die("hwpx", "out of memory");
		snprintf(hpf, len, XMLDECL "<opf:package" HWPX_NS "><opf:metadata>%s</opf:metadata>"
		    "<opf:manifest>%s</opf:manifest><opf:spine>%s</opf:spine></opf:package>", meta, man,
		    spine);
		docxgen_add_text(g, "Contents/content.hpf", hpf);
		free(hpf);
	}
	gen_addf(g, "Contents/header.xml", XMLDECL "<hh:head" HWPX_NS ">", head ? head : "",
	    "</hh:head>");
}

const unsigned char *
docxgen_png(size_t *len)
{
	/* 1x1 transparent PNG */
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
		0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
		0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
		0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
		0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	};

	*len = sizeof(png);
	return png;
}
