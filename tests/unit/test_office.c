/* Unit tests of src/office: documents built with tests/lib/docxgen (each
 * feature of docx, xlsx, pptx and odt) and hostile packages (zip bomb,
 * billion laughs, external entity, zip slip, encryption, too many entries,
 * nesting), each ending in a processing-log warning and nothing else. */
#include "check.h"
#include "docxgen.h"
#include "ingest.h"
#include "office/office.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/hash.h"
#include "util/plog.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

struct fx {
	struct casedb *db;
	struct artstore *art;
	struct plog *log;
	struct limits lim;
	struct ingest_ctx ctx;
	char sha[65];
};

static bool
fx_open(struct fx *f, const char *name)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	f->db = casedb_open(check_tmpdir(name), true, &err);
	if (f->db == NULL) {
		fprintf(stderr, "casedb_open: %s\n", err ? err : "?");
		free(err);
		return false;
	}
	f->art = artstore_open(f->db);
	f->log = plog_new();
	limits_default(&f->lim);
	f->ctx.db = f->db;
	f->ctx.art = f->art;
	f->ctx.log = f->log;
	f->ctx.lim = &f->lim;
	f->ctx.evidence_id = 0;
	f->ctx.evidence_path = "test";
	return true;
}

static void
fx_close(struct fx *f)
{
	if (getenv("MC_TEST_VERBOSE") != NULL)
		for (size_t i = 0; i < plog_count(f->log); i++)
			fprintf(stderr, "  log: %s %s [%s] %s\n", plog_get(f->log, i)->code,
			    plog_get(f->log, i)->source, plog_get(f->log, i)->where,
			    plog_get(f->log, i)->message);
	artstore_free(f->art);
	plog_free(f->log);
	casedb_close(f->db);
}

static int64_t
fx_unpack(struct fx *f, const void *p, size_t len, const char *name)
{
	hash_sha256_hex(p, len, f->sha);
	return ingest_office(&f->ctx, p, len, f->sha, name, 0);
}

/* A text column of the documents row id; static copy. */
static const char *
doc_col(struct fx *f, int64_t id, const char *col)
{
	static char out[65536];
	char sql[256];
	sqlite3_stmt *st;
	const unsigned char *v;

	snprintf(sql, sizeof(sql), "SELECT %s FROM documents WHERE id = %lld", col, (long long)id);
	st = casedb_prepare(f->db, sql);
	if (sqlite3_step(st) != SQLITE_ROW || (v = sqlite3_column_text(st, 0)) == NULL) {
		sqlite3_finalize(st);
		return NULL;
	}
	snprintf(out, sizeof(out), "%s", (const char *)v);
	sqlite3_finalize(st);
	return out;
}

/* "author|date|text|target|sha256" of the nth item of this kind; static. */
static const char *
item(struct fx *f, int64_t doc, const char *kind, int nth)
{
	static char out[8192];
	sqlite3_stmt *st = casedb_prepare(f->db,
	    "SELECT coalesce(author, ''), coalesce(date, ''), coalesce(text, ''),"
	    " coalesce(target, ''), coalesce(sha256, '') FROM doc_items"
	    " WHERE document_id = ? AND kind = ? ORDER BY id LIMIT 1 OFFSET ?");
	const char *r = NULL;

	sqlite3_bind_int64(st, 1, doc);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, nth);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, sizeof(out), "%s|%s|%s|%s|%s", sqlite3_column_text(st, 0),
		    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		    sqlite3_column_text(st, 3), sqlite3_column_text(st, 4));
		r = out;
	}
	sqlite3_finalize(st);
	return r;
}

static int
count(struct fx *f, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(f->db, sql);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;

	sqlite3_finalize(st);
	return n;
}

/* The first log entry with this code, or NULL. */
static const struct plog_entry *
logged(struct fx *f, const char *code)
{
	for (size_t i = 0; i < plog_count(f->log); i++)
		if (strcmp(plog_get(f->log, i)->code, code) == 0)
			return plog_get(f->log, i);
	return NULL;
}

#define R(x) "<w:r><w:t xml:space=\"preserve\">" x "</w:t></w:r>"
#define P(x) "<w:p>" x "</w:p>"
#define RELIMG "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/>"

TEST(docx_runs_tabs_tables_lists)
{
	struct fx f;
	struct docxgen *g;
	void *p;
	size_t len;
	int64_t id;

	CHECK(fx_open(&f, "runs"));
	g = docxgen_new();
	docxgen_docx(g,
	    P(R("Meet me at the ") "<w:proofErr w:type=\"gramStart\"/>" R("fountain.")
	      "<w:r><w:tab/><w:t>After tab</w:t><w:br/><w:t>next line</w:t></w:r>")
	    "<w:tbl><w:tblPr><w:tblW w:w=\"0\"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid>"
	    "<w:tr><w:tc>" P(R("a1")) "</w:tc><w:tc>" P(R("b1")) P(R("b1 more")) "</w:tc></w:tr>"
	    "<w:tr><w:tc>" P(R("a2")) "</w:tc><w:tc>" P(R("b2")) "</w:tc></w:tr></w:tbl>"
	    "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs>"
	    "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>" R("first") "</w:p>"
	    "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>" R("nested") "</w:p>"
	    "<mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\">"
	    "<mc:Choice Requires=\"wps\">" P(R("box")) "</mc:Choice><mc:Fallback>" P(R("box")) "</mc:Fallback>"
	    "</mc:AlternateContent>"
	    "<w:sectPr><w:pgSz w:w=\"12240\"/></w:sectPr>", NULL);
	p = docxgen_finish(g, &len);
	CHECK(office_is_document(p, len));
	id = fx_unpack(&f, p, len, "runs.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "kind"), "docx");
	CHECK_STR(doc_col(&f, id, "text"),
	    "Meet me at the fountain.\tAfter tab\nnext line\n"
	    "a1\tb1 b1 more\n"
	    "a2\tb2\n"
	    "- first\n"
	    "  - nested\n"
	    "box");
	CHECK_STR(doc_col(&f, id, "declared_name"), "runs.docx");
	CHECK_INT(plog_count(f.log), 0);
	free(p);
	fx_close(&f);
}

TEST(docx_image_marked_and_extracted)
{
	struct fx f;
	struct docxgen *g;
	struct hashes h;
	size_t len, pnglen;
	const unsigned char *png = docxgen_png(&pnglen);
	void *p;
	int64_t id;
	char want[300];

	CHECK(fx_open(&f, "image"));
	g = docxgen_new();
	docxgen_docx(g, P(R("Address below."))
	    P("<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
	      "<a:blip r:embed=\"rId5\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>"
	      "</wp:inline></w:drawing></w:r>"), RELIMG);
	docxgen_add(g, "word/media/image1.png", png, pnglen, true);
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "map.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "text"), "Address below.\n[image: word/media/image1.png]");
	hash_mem(png, pnglen, &h);
	snprintf(want, sizeof(want), "||word/media/image1.png||%s", h.sha256);
	CHECK_STR(item(&f, id, "image", 0), want);
	snprintf(want, sizeof(want), "SELECT count(*) FROM doc_items WHERE md5 = '%s'"
	    " AND part = 'word/media/image1.png'", h.md5);
	CHECK_INT(count(&f, want), 1);
	free(p);
	fx_close(&f);
}

TEST(docx_comments_changes_links)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;

	CHECK(fx_open(&f, "changes"));
	g = docxgen_new();
	docxgen_docx(g,
	    P(R("Bring the ")
	      "<w:del w:id=\"1\" w:author=\"Ann\" w:date=\"2009-10-10T18:00:00Z\">"
	      "<w:r><w:delText>old passport</w:delText></w:r></w:del>"
	      "<w:ins w:id=\"2\" w:author=\"Ann\" w:date=\"2009-10-10T18:01:00Z\">" R("fake passport") "</w:ins>"
	      "<w:commentRangeStart w:id=\"0\"/>" R(" and cash.")
	      "<w:r><w:commentReference w:id=\"0\"/></w:r>")
	    P(R("See ") "<w:hyperlink r:id=\"rId9\">" R("the map") "</w:hyperlink>"
	      " <w:hyperlink w:anchor=\"top\">" R("top") "</w:hyperlink>"),
	    "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\""
	    " Target=\"http://maps.example/playa?q=1&amp;z=2\" TargetMode=\"External\"/>"
	    "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"comments.xml\"/>");
	docxgen_wpart(g, "word/comments.xml", "w:comments",
	    "<w:comment w:id=\"0\" w:author=\"Mister X\" w:date=\"2009-10-11T09:00:00Z\" w:initials=\"X\">"
	    P(R("How much cash?")) "</w:comment>");
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "c.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "text"),
	    "Bring the fake passport and cash.[comment 0]\nSee the maptop\n\n"
	    "[comment 0] Mister X, 2009-10-11T09:00:00Z: How much cash?");
	CHECK_STR(item(&f, id, "deletion", 0), "Ann|2009-10-10T18:00:00Z|old passport||");
	CHECK_STR(item(&f, id, "insertion", 0), "Ann|2009-10-10T18:01:00Z|fake passport||");
	CHECK_STR(item(&f, id, "comment", 0), "Mister X|2009-10-11T09:00:00Z|How much cash?||");
	CHECK_STR(item(&f, id, "hyperlink", 0), "||the map|http://maps.example/playa?q=1&z=2|");
	CHECK_STR(item(&f, id, "hyperlink", 1), "||top|#top|");
	free(p);
	fx_close(&f);
}

TEST(docx_headers_footers_notes)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;

	CHECK(fx_open(&f, "headers"));
	g = docxgen_new();
	docxgen_docx(g, P(R("Body") "<w:r><w:footnoteReference w:id=\"1\"/></w:r>"),
	    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
	    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>"
	    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/>"
	    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes\" Target=\"endnotes.xml\"/>");
	docxgen_wpart(g, "word/header1.xml", "w:hdr", P(R("CONFIDENTIAL")));
	docxgen_wpart(g, "word/footer1.xml", "w:ftr", P(R("Page") "<w:r><w:tab/></w:r>" R("1")));
	docxgen_wpart(g, "word/footnotes.xml", "w:footnotes",
	    "<w:footnote w:type=\"separator\" w:id=\"-1\">" P("<w:r><w:separator/></w:r>") "</w:footnote>"
	    "<w:footnote w:id=\"1\">" P(R("A note.")) "</w:footnote>");
	docxgen_wpart(g, "word/endnotes.xml", "w:endnotes",
	    "<w:endnote w:id=\"1\">" P(R("The end.")) "</w:endnote>");
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "h.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "text"),
	    "Body[footnote 1]\n\n[header word/header1.xml]\nCONFIDENTIAL"
	    "\n\n[footer word/footer1.xml]\nPage\t1"
	    "\n\n[footnote 1] A note."
	    "\n\n[endnote 1] The end.");
	CHECK_STR(item(&f, id, "header", 0), "||CONFIDENTIAL||");
	CHECK_STR(item(&f, id, "footer", 0), "||Page\t1||");
	CHECK_STR(item(&f, id, "footnote", 0), "||A note.||");
	CHECK(item(&f, id, "footnote", 1) == NULL);
	CHECK_STR(item(&f, id, "endnote", 0), "||The end.||");
	free(p);
	fx_close(&f);
}

TEST(docx_core_and_app_properties)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;

	CHECK(fx_open(&f, "props"));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	docxgen_props(g,
	    "<dc:title>Plan</dc:title><dc:subject>Trip</dc:subject><dc:creator></dc:creator>"
	    "<cp:keywords>beach; map</cp:keywords><dc:description>notes</dc:description>"
	    "<cp:lastModifiedBy>Ann</cp:lastModifiedBy><cp:revision>3</cp:revision>"
	    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2009-10-10T17:58:00Z</dcterms:created>"
	    "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2009-10-10T18:29:00Z</dcterms:modified>"
	    "<cp:lastPrinted>2009-10-09T08:00:00Z</cp:lastPrinted>",
	    "<Template>Normal.dotm</Template><TotalTime>31</TotalTime><Pages>1</Pages>"
	    "<Words>16</Words><Application>Microsoft Office Word</Application>"
	    "<Company>ACME</Company><AppVersion>12.0000</AppVersion>");
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "p.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "title"), "Plan");
	CHECK_STR(doc_col(&f, id, "subject"), "Trip");
	CHECK_STR(doc_col(&f, id, "creator"), "");     /* present and empty */
	CHECK_STR(doc_col(&f, id, "keywords"), "beach; map");
	CHECK_STR(doc_col(&f, id, "description"), "notes");
	CHECK_STR(doc_col(&f, id, "last_modified_by"), "Ann");
	CHECK_STR(doc_col(&f, id, "revision"), "3");
	CHECK_STR(doc_col(&f, id, "created"), "2009-10-10T17:58:00Z");
	CHECK_STR(doc_col(&f, id, "modified"), "2009-10-10T18:29:00Z");
	CHECK_STR(doc_col(&f, id, "last_printed"), "2009-10-09T08:00:00Z");
	CHECK_STR(doc_col(&f, id, "application"), "Microsoft Office Word");
	CHECK_STR(doc_col(&f, id, "app_version"), "12.0000");
	CHECK_STR(doc_col(&f, id, "company"), "ACME");
	CHECK_STR(doc_col(&f, id, "template"), "Normal.dotm");
	CHECK_STR(doc_col(&f, id, "total_time"), "31");
	CHECK_STR(doc_col(&f, id, "pages"), "1");
	CHECK_STR(doc_col(&f, id, "words"), "16");
	CHECK_STR(doc_col(&f, id, "has_macros"), "0");
	CHECK(doc_col(&f, id, "flags") == NULL);
	free(p);
	fx_close(&f);
}

TEST(docx_macros_flagged)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	static const char vba[] = "\xd0\xcf\x11\xe0 fake vba project";
	struct hashes h;
	char want[200];

	CHECK(fx_open(&f, "macros"));
	g = docxgen_new();
	docxgen_docx(g, P(R("Enable content")), NULL);
	docxgen_add(g, "word/vbaProject.bin", vba, sizeof(vba) - 1, false);
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "m.docm");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "has_macros"), "1");
	CHECK_STR(doc_col(&f, id, "flags"), "macros");
	hash_mem(vba, sizeof(vba) - 1, &h);
	snprintf(want, sizeof(want), "||word/vbaProject.bin||%s", h.sha256);
	CHECK_STR(item(&f, id, "macro", 0), want);
	CHECK(logged(&f, "office.macros") != NULL);
	CHECK_STR(logged(&f, "office.macros")->source, "m.docm");
	free(p);
	fx_close(&f);
}

TEST(docx_embedded_document_recurses)
{
	struct fx f;
	struct docxgen *g;
	size_t len, ilen;
	void *p, *inner;
	int64_t id;
	struct hashes h;
	char sql[300];

	CHECK(fx_open(&f, "nested"));
	g = docxgen_new();
	docxgen_docx(g, P(R("inner words")), NULL);
	inner = docxgen_finish(g, &ilen);
	g = docxgen_new();
	docxgen_docx(g, P(R("outer") "<w:r><w:object><o:OLEObject r:id=\"rId8\"/></w:object></w:r>"),
	    "<Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/package\" Target=\"embeddings/Doc1.docx\"/>");
	docxgen_add(g, "word/embeddings/Doc1.docx", inner, ilen, true);
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "outer.docx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "text"), "outer[embedding: word/embeddings/Doc1.docx]");
	hash_mem(inner, ilen, &h);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM documents WHERE sha256 = '%s' AND depth = 1"
	    " AND parent_sha256 = '%s' AND text = 'inner words'"
	    " AND declared_name = 'word/embeddings/Doc1.docx'", h.sha256, f.sha);
	CHECK_INT(count(&f, sql), 1);
	/* the same package one level too deep is refused */
	f.lim.doc_depth = 0;
	CHECK_INT(fx_unpack(&f, p, len, "outer.docx") > 0, 1);
	CHECK(logged(&f, "office.depth") != NULL);
	CHECK_INT(ingest_office(&f.ctx, p, len, f.sha, "x", 1), 0);
	free(inner);
	free(p);
	fx_close(&f);
}

TEST(xlsx_sheets_and_shared_strings)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	const char *names[] = { "Money", "Places" };
	const char *cells[] = {
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>5000</v></c></row>"
		"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>inline</t></is></c>"
		"<c r=\"B2\" t=\"b\"><v>1</v></c></row>",
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c><c r=\"B1\" t=\"s\"><v>7</v></c></row>",
	};

	CHECK(fx_open(&f, "xlsx"));
	g = docxgen_new();
	docxgen_xlsx(g, names, cells, 2,
	    "<si><t>cash</t></si><si><r><t>Playa </t></r><r><t>del Carmen</t></r>"
	    "<rPh><t>ignored</t></rPh></si>");
	p = docxgen_finish(g, &len);
	CHECK(office_is_document(p, len));
	id = fx_unpack(&f, p, len, "book.xlsx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "kind"), "xlsx");
	CHECK_STR(doc_col(&f, id, "text"),
	    "[sheet Money]\ncash\t5000\ninline\t1\n\n[sheet Places]\nPlaya del Carmen\n");
	CHECK_STR(item(&f, id, "sheet", 0), "||Money||");
	CHECK_STR(item(&f, id, "sheet", 1), "||Places||");
	CHECK(logged(&f, "office.xlsx.sst") != NULL);   /* string 7 does not exist */
	free(p);
	fx_close(&f);
}

TEST(pptx_slides_in_order_and_notes)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	const char *slides[] = {
		"<p:sp><p:txBody><a:p><a:r><a:t>Rendezvous</a:t></a:r></a:p>"
		"<a:p><a:r><a:t>Line </a:t></a:r><a:br/><a:r><a:t>two</a:t></a:r></a:p></p:txBody></p:sp>",
		"<p:sp><p:txBody><a:p><a:r><a:t>Second</a:t></a:r></a:p></p:txBody></p:sp>",
	};
	const char *notes[] = { "Say nothing", NULL };

	CHECK(fx_open(&f, "pptx"));
	g = docxgen_new();
	docxgen_pptx(g, slides, notes, 2);
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "deck.pptx");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "kind"), "pptx");
	CHECK_STR(doc_col(&f, id, "text"),
	    "[slide 1]\nRendezvous\nLine \ntwo\n\n[notes 1]\nSay nothing\n\n[slide 2]\nSecond");
	CHECK_STR(item(&f, id, "slide", 0), "||Rendezvous\nLine \ntwo||");
	CHECK_STR(item(&f, id, "note", 0), "||Say nothing||");
	CHECK_STR(item(&f, id, "slide", 1), "||Second||");
	free(p);
	fx_close(&f);
}

TEST(odt_text_meta_and_items)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;

	CHECK(fx_open(&f, "odt"));
	g = docxgen_new();
	docxgen_odt(g,
	    "<text:tracked-changes><text:changed-region text:id=\"c1\"><text:deletion>"
	    "<office:change-info><dc:creator>Ann</dc:creator><dc:date>2009-10-10T18:00:00</dc:date>"
	    "</office:change-info><text:p>gone</text:p></text:deletion></text:changed-region>"
	    "</text:tracked-changes>"
	    "<text:h text:outline-level=\"1\">Plan</text:h>"
	    "<text:p>Meet<text:s text:c=\"2\"/>at<text:tab/>the <text:span>fountain</text:span>."
	    "<office:annotation><dc:creator>X</dc:creator><dc:date>2009-10-11T00:00:00</dc:date>"
	    "<text:p>ok</text:p></office:annotation><text:line-break/>"
	    "<text:a xlink:href=\"http://example.org/map\">map</text:a></text:p>"
	    "<text:list><text:list-item><text:p>one</text:p></text:list-item></text:list>"
	    "<table:table><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>"
	    "<table:table-cell><text:p>b</text:p></table:table-cell></table:table-row></table:table>"
	    "<text:p><draw:frame><draw:image xlink:href=\"Pictures/map.png\"/></draw:frame>"
	    "<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
	    "<text:note-body><text:p>fn</text:p></text:note-body></text:note></text:p>",
	    "<meta:initial-creator>Ann D</meta:initial-creator><dc:creator>Ann</dc:creator>"
	    "<meta:creation-date>2009-10-10T17:58:00</meta:creation-date><dc:date>2009-10-10T18:29:00</dc:date>"
	    "<meta:editing-cycles>2</meta:editing-cycles><meta:generator>LibreOffice</meta:generator>"
	    "<dc:title>T</dc:title><meta:keyword>a</meta:keyword><meta:keyword>b</meta:keyword>"
	    "<meta:document-statistic meta:page-count=\"1\" meta:word-count=\"9\"/>",
	    "<style:header><text:p>HEAD</text:p></style:header>");
	{
		size_t pl;
		const unsigned char *png = docxgen_png(&pl);

		docxgen_add(g, "Pictures/map.png", png, pl, true);
	}
	p = docxgen_finish(g, &len);
	CHECK(office_is_document(p, len));
	id = fx_unpack(&f, p, len, "plan.odt");
	CHECK(id > 0);
	CHECK_STR(doc_col(&f, id, "kind"), "odt");
	CHECK_STR(doc_col(&f, id, "text"),
	    "Plan\nMeet  at\tthe fountain.[comment: ok]\nmap\n- one\na\tb\n"
	    "[image: Pictures/map.png][footnote 1: fn]\n\n[header]\nHEAD");
	CHECK_STR(doc_col(&f, id, "creator"), "Ann D");
	CHECK_STR(doc_col(&f, id, "last_modified_by"), "Ann");
	CHECK_STR(doc_col(&f, id, "created"), "2009-10-10T17:58:00");
	CHECK_STR(doc_col(&f, id, "modified"), "2009-10-10T18:29:00");
	CHECK_STR(doc_col(&f, id, "revision"), "2");
	CHECK_STR(doc_col(&f, id, "application"), "LibreOffice");
	CHECK_STR(doc_col(&f, id, "keywords"), "a; b");
	CHECK_STR(doc_col(&f, id, "pages"), "1");
	CHECK_STR(doc_col(&f, id, "words"), "9");
	CHECK_STR(item(&f, id, "deletion", 0), "Ann|2009-10-10T18:00:00|gone||");
	CHECK_STR(item(&f, id, "comment", 0), "X|2009-10-11T00:00:00|ok||");
	CHECK_STR(item(&f, id, "hyperlink", 0), "||map|http://example.org/map|");
	CHECK_STR(item(&f, id, "footnote", 0), "||fn||");
	CHECK_STR(item(&f, id, "header", 0), "||HEAD||");
	CHECK(item(&f, id, "image", 0) != NULL);
	free(p);
	fx_close(&f);
}

/* --- hostile packages ------------------------------------------------------ */

TEST(zip_bomb_ratio_and_inflated_ceiling)
{
	struct fx f;
	struct docxgen *g;
	size_t len, big = 8u << 20;
	char *zeros = calloc(1, big);
	void *p;
	int64_t id;
	clock_t t0 = clock();

	CHECK(fx_open(&f, "bomb"));
	g = docxgen_new();
	docxgen_docx(g, P(R("visible")), NULL);
	docxgen_add(g, "word/media/bomb.png", zeros, big, false);
	p = docxgen_finish(g, &len);
	CHECK(len < 100000);                         /* 8 MiB of zeros, deflated */
	id = fx_unpack(&f, p, len, "bomb.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.zip.ratio") != NULL);
	CHECK_STR(doc_col(&f, id, "flags"), "capped");
	CHECK_STR(doc_col(&f, id, "text"), "visible");
	CHECK_INT(count(&f, "SELECT count(*) FROM doc_items WHERE kind = 'image'"), 0);
	/* the total inflated ceiling, ratio aside */
	plog_clear(f.log);
	f.lim.zip_ratio = 100000;
	f.lim.zip_inflated = 1u << 20;
	id = fx_unpack(&f, p, len, "bomb.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.zip.inflated") != NULL);
	CHECK_STR(doc_col(&f, id, "text"), "visible");   /* text is read before media */
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(zeros);
	free(p);
	fx_close(&f);
}

TEST(billion_laughs_not_expanded)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	clock_t t0 = clock();

	CHECK(fx_open(&f, "laughs"));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	docxgen_add_text(g, "word/document.xml",
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	    "<w:body><w:p><w:r><w:t>a&lol9;b</w:t></w:r></w:p></w:body></w:document>");
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "lol.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.xml") != NULL || logged(&f, "office.xml.dtd") != NULL);
	CHECK(strlen(doc_col(&f, id, "text")) < 10);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	free(p);
	fx_close(&f);
}

TEST(external_entity_not_loaded)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	const char *t;

	CHECK(fx_open(&f, "xxe"));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	docxgen_add_text(g, "word/document.xml",
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE w:document [\n"
	    " <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
	    " <!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">\n"
	    " <!ENTITY % dtd SYSTEM \"file:///etc/hostname\"> %dtd;\n"
	    "]>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	    "<w:body><w:p><w:r><w:t>[&xxe;][&net;]</w:t></w:r></w:p></w:body></w:document>");
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "xxe.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.xml.dtd") != NULL || logged(&f, "office.xml") != NULL);
	t = doc_col(&f, id, "text");
	CHECK(t != NULL);
	CHECK(strstr(t, "root:") == NULL);
	CHECK(strlen(t) < 16);
	free(p);
	fx_close(&f);
}

static bool
tree_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (d == NULL)
		return false;
	while (!found && (e = readdir(d)) != NULL) {
		char sub[4096];
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (strcmp(e->d_name, name) == 0)
			found = true;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (!found && lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			found = tree_has(sub, name);
	}
	closedir(d);
	return found;
}

TEST(zip_slip_names_stay_text)
{
	struct fx f;
	struct docxgen *g;
	size_t len, pl;
	const unsigned char *png = docxgen_png(&pl);
	void *p;
	int64_t id;
	char dir[4096];

	CHECK(fx_open(&f, "slip"));
	snprintf(dir, sizeof(dir), "%s", casedb_dir(f.db));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	docxgen_add(g, "word/media/../../../../slipped-mc-office.png", png, pl, true);
	docxgen_add(g, "/abs-mc-office.png", png, pl, true);
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "slip.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.zip.name") != NULL);
	CHECK_STR(item(&f, id, "image", 0) ? "found" : "none", "found");
	CHECK(!tree_has(dir, "slipped-mc-office.png"));
	CHECK(!tree_has("tests/tmp", "slipped-mc-office.png"));
	CHECK(access("/abs-mc-office.png", F_OK) != 0);
	free(p);
	fx_close(&f);
}

TEST(encrypted_entry_recorded)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;

	CHECK(fx_open(&f, "encrypted"));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	CHECK(docxgen_add_encrypted(g, "word/media/secret.png", "not really a png", "pw"));
	p = docxgen_finish(g, &len);
	id = fx_unpack(&f, p, len, "enc.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.zip.encrypted") != NULL);
	CHECK_STR(doc_col(&f, id, "encrypted"), "1");
	CHECK_STR(doc_col(&f, id, "flags"), "encrypted-entries");
	CHECK_STR(doc_col(&f, id, "text"), "x");
	free(p);
	fx_close(&f);
}

TEST(too_many_entries_and_garbage)
{
	struct fx f;
	struct docxgen *g;
	size_t len;
	void *p;
	int64_t id;
	char name[64];

	CHECK(fx_open(&f, "entries"));
	g = docxgen_new();
	docxgen_docx(g, P(R("x")), NULL);
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "junk/%02d.txt", i);
		docxgen_add_text(g, name, "junk");
	}
	p = docxgen_finish(g, &len);
	f.lim.zip_entries = 10;
	id = fx_unpack(&f, p, len, "many.docx");
	CHECK(id > 0);
	CHECK(logged(&f, "office.zip.entries") != NULL);
	CHECK_STR(doc_col(&f, id, "flags"), "capped");
	CHECK_STR(doc_col(&f, id, "text"), "x");
	/* truncated archive and plain garbage */
	plog_clear(f.log);
	CHECK_INT(fx_unpack(&f, p, len / 2, "half.docx"), 0);
	CHECK(logged(&f, "office.zip") != NULL);
	CHECK(!office_is_document("PK\3\4garbage", 11));
	CHECK(!office_is_document("", 0));
	CHECK_INT(fx_unpack(&f, "not a zip", 9, "junk.docx"), 0);
	free(p);
	fx_close(&f);
}

/* office_unpack() alone, no case: the record's kind, text and items, then
 * the embedded files one at a time, with the flags final after the last. */
TEST(record_without_a_case)
{
	static const char vba[] = "VBA\x01project";
	struct limits lim;
	struct plog *log = plog_new();
	struct docxgen *g = docxgen_new();
	struct office_doc *d;
	struct office_embedded e;
	size_t len, pnglen;
	const unsigned char *png = docxgen_png(&pnglen);
	void *p;

	limits_default(&lim);
	docxgen_docx(g, P(R("Address below."))
	    P("<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><pic:pic><pic:blipFill>"
	      "<a:blip r:embed=\"rId5\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>"
	      "</wp:inline></w:drawing></w:r>"), RELIMG);
	docxgen_add(g, "word/media/image1.png", png, pnglen, true);
	docxgen_add(g, "word/vbaProject.bin", vba, sizeof(vba) - 1, false);
	p = docxgen_finish(g, &len);
	d = office_unpack(p, len, &lim, log, "map.docm", 0);
	CHECK(d != NULL);
	CHECK_STR(d->kind, "docx");
	CHECK_STR(d->text, "Address below.\n[image: word/media/image1.png]");
	CHECK_INT(d->nitems, 0);
	CHECK(office_next_embedded(d, &e));
	CHECK_STR(e.name, "word/media/image1.png");
	CHECK_STR(e.role, "image");
	CHECK_INT(e.len, pnglen);
	CHECK(memcmp(e.p, png, pnglen) == 0 && !e.document);
	CHECK(office_next_embedded(d, &e));
	CHECK_STR(e.name, "word/vbaProject.bin");
	CHECK_STR(e.role, "macro");
	CHECK_INT(e.len, sizeof(vba) - 1);
	CHECK(!office_next_embedded(d, &e));
	CHECK_STR(d->flags, "macros");
	CHECK(d->has_macros && !d->encrypted);
	CHECK_INT(plog_count(log), 1);
	CHECK_STR(plog_get(log, 0)->code, "office.macros");
	office_doc_free(d);
	/* past the depth ceiling nothing is read, and the log says why */
	CHECK(office_unpack(p, len, &lim, log, "deep.docx", lim.doc_depth + 1) == NULL);
	CHECK_STR(plog_get(log, 1)->code, "office.depth");
	free(p);
	plog_free(log);
}

int
main(void)
{
	RUN(record_without_a_case);
	RUN(docx_runs_tabs_tables_lists);
	RUN(docx_image_marked_and_extracted);
	RUN(docx_comments_changes_links);
	RUN(docx_headers_footers_notes);
	RUN(docx_core_and_app_properties);
	RUN(docx_macros_flagged);
	RUN(docx_embedded_document_recurses);
	RUN(xlsx_sheets_and_shared_strings);
	RUN(pptx_slides_in_order_and_notes);
	RUN(odt_text_meta_and_items);
	RUN(zip_bomb_ratio_and_inflated_ceiling);
	RUN(billion_laughs_not_expanded);
	RUN(external_entity_not_loaded);
	RUN(zip_slip_names_stay_text);
	if (zip_encryption_method_supported(ZIP_EM_AES_256, 1) ||
	    zip_encryption_method_supported(ZIP_EM_TRAD_PKWARE, 1))
		RUN(encrypted_entry_recorded);
	else
		SKIP(encrypted_entry_recorded, "libzip cannot encrypt");
	RUN(too_many_entries_and_garbage);
	return check_done();
}
