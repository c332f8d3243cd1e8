/* Unit tests of report/model_documents.c: the documents section of the
 * report model, built from the rows office/ writes. */
#include "check.h"
#include "docxgen.h"
#include "ingest.h"
#include "office/office.h"
#include "report/model.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/hash.h"
#include "util/plog.h"

#include <stdio.h>
#include <stdlib.h>

/* Until report/model.c provides these, weak stand-ins keep this test
 * linkable; the real ones win once they exist. stub_events counts the
 * timeline events the stand-in saw. */
static int stub_events = -1;
static int64_t stub_us[8];
static char stub_kind[8][32];

__attribute__((weak)) void
model_timeline_add(json_t *root, int64_t us, const char *kind, const char *text,
    const char *source)
{
	(void)root; (void)text; (void)source;
	if (stub_events < 0)
		stub_events = 0;
	if (stub_events < 8) {
		stub_us[stub_events] = us;
		snprintf(stub_kind[stub_events], sizeof(stub_kind[0]), "%s", kind);
	}
	stub_events++;
}

__attribute__((weak)) json_t *
model_col_int(void *stmt, int col)
{
	sqlite3_stmt *st = stmt;

	return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() :
	    json_integer(sqlite3_column_int64(st, col));
}

#define R(x) "<w:r><w:t xml:space=\"preserve\">" x "</w:t></w:r>"
#define P(x) "<w:p>" x "</w:p>"

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

TEST(documents_model)
{
	struct casedb *db;
	struct ingest_ctx ctx;
	struct limits lim;
	struct docxgen *g;
	struct hashes ph;
	size_t len, pl;
	const unsigned char *png = docxgen_png(&pl);
	char *err = NULL, sha[65], href[128];
	void *p;
	json_t *root, *doc, *img, *meta, *items;
	struct model_opts o = { "en", "test", 0, false, NULL };
	bool creator_empty = false;

	db = casedb_open(check_tmpdir("model"), true, &err);
	CHECK(db != NULL);
	memset(&ctx, 0, sizeof(ctx));
	limits_default(&lim);
	ctx.db = db;
	ctx.art = artstore_open(db);
	ctx.log = plog_new();
	ctx.lim = &lim;
	g = docxgen_new();
	docxgen_docx(g, P(R("Meet me at the fountain.")) P("<w:r><w:drawing><a:blip r:embed=\"rId5\"/></w:drawing></w:r>")
	    P(R("Line two") "<w:r><w:commentReference w:id=\"0\"/></w:r>"),
	    "<Relationship Id=\"rId5\" Type=\"x/image\" Target=\"media/image1.png\"/>"
	    "<Relationship Id=\"rId6\" Type=\"x/comments\" Target=\"comments.xml\"/>");
	docxgen_wpart(g, "word/comments.xml", "w:comments",
	    "<w:comment w:id=\"0\" w:author=\"X\" w:date=\"2009-10-11T09:00:00Z\">"
	    P(R("multi")) P(R("line")) "</w:comment>");
	docxgen_add(g, "word/media/image1.png", png, pl, true);
	docxgen_props(g, "<dc:creator></dc:creator><cp:revision>1</cp:revision>"
	    "<dcterms:created>2009-10-10T17:58:00Z</dcterms:created>"
	    "<dcterms:modified>2009-10-10T18:29:00Z</dcterms:modified>", NULL);
	p = docxgen_finish(g, &len);
	hash_sha256_hex(p, len, sha);
	CHECK(ingest_office(&ctx, p, len, sha, "secret.docx", 0) > 0);

	root = json_object();
	model_documents(db, root, &o);
	CHECK(json_is_true(json_object_get(root, "documents_any")));
	CHECK_INT(json_integer_value(json_object_get(root, "documents_count")), 1);
	doc = json_array_get(json_object_get(root, "documents"), 0);
	CHECK_STR(jstr(doc, "name"), "secret.docx");
	CHECK_STR(jstr(doc, "kind"), "docx");
	CHECK_STR(jstr(doc, "sha256"), sha);
	CHECK_INT(json_integer_value(json_object_get(doc, "size")), len);
	CHECK_STR(jstr(doc, "revision"), "1");
	CHECK_STR(jstr(doc, "created"), "2009-10-10T17:58:00Z");
	CHECK(json_is_null(json_object_get(doc, "title")));
	CHECK_STR(jstr(doc, "excerpt"), "Meet me at the fountain.\n[image: word/media/image1.png]\n"
	    "Line two[comment 0]\n\n[comment 0] X, 2009-10-11T09:00:00Z: multi\nline");
	CHECK_INT(json_array_size(json_object_get(doc, "text_lines")), 5);
	CHECK_STR(jstr(json_array_get(json_object_get(doc, "text_lines"), 1), "line"),
	    "[image: word/media/image1.png]");
	meta = json_object_get(doc, "metadata");
	CHECK_INT(json_array_size(meta), 4);            /* creator, revision, created, modified */
	for (size_t i = 0; i < json_array_size(meta); i++)
		if (json_is_true(json_object_get(json_array_get(meta, i), "is_creator")))
			creator_empty = json_is_true(json_object_get(json_array_get(meta, i), "empty"));
	CHECK(creator_empty);
	img = json_array_get(json_object_get(doc, "images"), 0);
	CHECK(img != NULL);
	hash_mem(png, pl, &ph);
	snprintf(href, sizeof(href), "../artifacts/%.2s/%s", ph.sha256, ph.sha256);
	CHECK_STR(jstr(img, "href"), href);
	CHECK_STR(jstr(img, "name"), "image1.png");
	CHECK_STR(jstr(img, "md5"), ph.md5);
	items = json_object_get(doc, "items");
	CHECK_INT(json_array_size(items), 1);
	CHECK_STR(jstr(json_array_get(items, 0), "author"), "X");
	CHECK_STR(jstr(json_array_get(items, 0), "text_flat"), "multi line");
	CHECK(json_is_true(json_object_get(json_array_get(items, 0), "is_comment")));
	if (stub_events >= 0) {
		CHECK_INT(stub_events, 2);
		CHECK_INT(stub_us[0], 1255197480LL * 1000000);
		CHECK_STR(stub_kind[0], "doc-created");
		CHECK_INT(stub_us[1], 1255199340LL * 1000000);
		CHECK_STR(stub_kind[1], "doc-modified");
	}
	json_decref(root);
	free(p);
	artstore_free(ctx.art);
	plog_free(ctx.log);
	casedb_close(db);
}

TEST(no_documents)
{
	char *err = NULL;
	struct casedb *db = casedb_open(check_tmpdir("empty"), true, &err);
	json_t *root = json_object();
	struct model_opts o = { "ko", "test", 0, false, NULL };

	CHECK(db != NULL);
	model_documents(db, root, &o);
	CHECK(json_is_false(json_object_get(root, "documents_any")));
	CHECK_INT(json_array_size(json_object_get(root, "documents")), 0);
	json_decref(root);
	casedb_close(db);
}

int
main(void)
{
	RUN(documents_model);
	RUN(no_documents);
	return check_done();
}
