/* Unit tests of the Hangul readers: the HWP 5 record layer (office/hwprec.c)
 * on hand-built record streams, plain and raw-deflated, whole, cut short and
 * oversized; HWPX packages built with tests/lib/docxgen (text, metadata,
 * tracked changes, memos, headers, images) and hostile ones (truncated zip,
 * nesting past libxml2's limit, an entry past the part ceiling, a section
 * that inflates past the document's budget); and the corpus HWP 5 file
 * through office_unpack() when ../shared is there. */
#include "check.h"
#include "docxgen.h"
#include "office/hwprec.h"
#include "office/office.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/plog.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <zlib.h>

/* --- record streams ------------------------------------------------------- */

struct rec {
	unsigned char b[65536];
	size_t n;
};

static void
rec_u16(struct rec *r, unsigned v)
{
	r->b[r->n++] = (unsigned char)(v & 0xff);
	r->b[r->n++] = (unsigned char)(v >> 8);
}

static void
rec_u32(struct rec *r, uint32_t v)
{
	rec_u16(r, v & 0xffff);
	rec_u16(r, v >> 16);
}

/* A record header (tag, level, size), long form when size >= 0xfff. */
static void
rec_head(struct rec *r, unsigned tag, unsigned level, uint32_t size)
{
	if (size >= 0xfff) {
		rec_u32(r, tag | level << 10 | 0xfffu << 20);
		rec_u32(r, size);
	} else {
		rec_u32(r, tag | level << 10 | size << 20);
	}
}

/* A PARA_TEXT record of UTF-16 code units (after a PARA_HEADER). */
static void
rec_para(struct rec *r, const uint16_t *u, size_t n)
{
	rec_head(r, HWPTAG_PARA_HEADER, 0, 4);
	rec_u32(r, (uint32_t)n);
	rec_head(r, HWPTAG_PARA_TEXT, 1, (uint32_t)(2 * n));
	for (size_t i = 0; i < n; i++)
		rec_u16(r, u[i]);
}

/* "테스트" tab "test" [an extended control, 8 units] "x" line-break "y" para-end */
static const uint16_t para1[] = {
	0xd14c, 0xc2a4, 0xd2b8, 9, 1, 2, 3, 4, 5, 6, 9, 't', 'e', 's', 't',
	11, 0x6f73, 0x6274, 0, 0, 0, 0, 11, 'x', 10, 'y', 13,
};
/* an emoji as a surrogate pair, an unpaired high surrogate, bound space */
static const uint16_t para2[] = { 0xd83d, 0xde00, 0xd800, 'a', 30, 'b', 13 };

static void
rec_sample(struct rec *r)
{
	memset(r, 0, sizeof(*r));
	rec_head(r, 0x10, 0, 3);             /* a DocInfo-like record, skipped */
	r->b[r->n++] = 1, r->b[r->n++] = 2, r->b[r->n++] = 3;
	rec_para(r, para1, sizeof(para1) / 2);
	rec_para(r, para2, sizeof(para2) / 2);
}

#define SAMPLE_TEXT "테스트\ttestx\ny\n\xf0\x9f\x98\x80\xef\xbf\xbd" "a b\n"

TEST(records_text_and_controls)
{
	struct rec r;
	struct buf b;
	struct hwprec_stats st;

	rec_sample(&r);
	buf_init(&b, 1u << 20);
	hwprec_text(r.b, r.n, &b, &st);
	CHECK(st.err == NULL);
	CHECK_INT(st.records, 5);
	CHECK_INT(st.paragraphs, 2);
	CHECK_INT(st.controls, 2);
	CHECK_STR(buf_str(&b), SAMPLE_TEXT);
	buf_free(&b);
}

TEST(records_long_size_form)
{
	struct rec r;
	struct buf b;
	struct hwprec_stats st;
	uint16_t u[3000];

	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < 3000; i++)
		u[i] = 'a' + (uint16_t)(i % 26);
	rec_para(&r, u, 3000);               /* 6000 bytes: the 0xFFF escape */
	CHECK(r.b[r.n - 6000 - 8 + 3] == 0xff);
	buf_init(&b, 1u << 20);
	hwprec_text(r.b, r.n, &b, &st);
	CHECK(st.err == NULL);
	CHECK_INT(b.len, 3001);
	CHECK(strncmp(buf_str(&b), "abcdefghijklmnopqrstuvwxyzabc", 29) == 0);
	buf_free(&b);
}

TEST(records_truncated_and_oversized)
{
	struct rec r;
	struct buf b;
	struct hwprec_stats st;
	size_t first;

	rec_sample(&r);
	first = r.n - (8 + 4 + sizeof(para2));   /* where para2's PARA_HEADER starts */
	buf_init(&b, 1u << 20);
	/* cut inside para2's text record: the first paragraph is kept */
	hwprec_text(r.b, r.n - 3, &b, &st);
	CHECK_STR(st.err, "record larger than what is left of the stream");
	CHECK_INT(st.err_off, first + 8);
	CHECK_STR(buf_str(&b), "테스트\ttestx\ny\n");
	/* cut inside a header */
	buf_reset(&b);
	hwprec_text(r.b, first + 2, &b, &st);
	CHECK_STR(st.err, "record header cut short");
	CHECK_INT(st.err_off, first);
	/* a declared size of 4 GB in the long form */
	memset(&r, 0, sizeof(r));
	rec_head(&r, HWPTAG_PARA_TEXT, 0, 0xffffffffu);
	rec_u16(&r, 'z');
	buf_reset(&b);
	hwprec_text(r.b, r.n, &b, &st);
	CHECK_STR(st.err, "record larger than what is left of the stream");
	CHECK_INT(st.err_off, 0);
	CHECK_INT(b.len, 0);
	/* an extended control cut short ends the paragraph without reading past it */
	{
		static const uint16_t cut[] = { 'o', 'k', 11, 0x6f73 };
		buf_reset(&b);
		CHECK_INT(hwprec_para_text((const uint8_t *)cut, sizeof(cut), &b), 1);
		CHECK_STR(buf_str(&b), "ok");
		/* an odd byte count: the last byte is no code unit */
		buf_reset(&b);
		hwprec_para_text((const uint8_t *)cut, 3, &b);
		CHECK_STR(buf_str(&b), "o");
	}
	buf_free(&b);
}

/* Raw deflate (no zlib header), as HWP stores compressed streams. */
static unsigned char *
deflate_raw(const void *p, size_t n, size_t *out)
{
	z_stream zs;
	size_t cap = compressBound((uLong)n) + 64;
	unsigned char *o = malloc(cap);

	memset(&zs, 0, sizeof(zs));
	if (o == NULL || deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = o;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*out = zs.total_out;
	deflateEnd(&zs);
	return o;
}

TEST(records_compressed_and_budget)
{
	struct rec r;
	struct buf b;
	struct hwprec_stats st;
	size_t zn, n;
	unsigned char *z;
	char *plain;
	bool capped;
	const char *err;
	uint64_t inflated;

	rec_sample(&r);
	z = deflate_raw(r.b, r.n, &zn);
	plain = hwprec_inflate(z, zn, 1u << 20, &n, &capped, &err, &inflated);
	CHECK(plain != NULL && !capped && err == NULL);
	CHECK_INT(n, r.n);
	CHECK_INT(inflated, r.n);
	CHECK(memcmp(plain, r.b, r.n) == 0);
	buf_init(&b, 1u << 20);
	hwprec_text(plain, n, &b, &st);
	CHECK_STR(buf_str(&b), SAMPLE_TEXT);
	free(plain);
	/* the budget is on bytes inflated: 10 bytes allowed */
	CHECK(hwprec_inflate(z, zn, 10, &n, &capped, &err, &inflated) == NULL);
	CHECK(capped && err == NULL);
	/* cut short, and not deflate at all */
	CHECK(hwprec_inflate(z, zn / 2, 1u << 20, &n, &capped, &err, &inflated) == NULL);
	CHECK_STR(err, "deflate data ends early");
	CHECK(hwprec_inflate("\xff\xff\xff\xff", 4, 1u << 20, &n, &capped, &err, &inflated) == NULL);
	CHECK_STR(err, "not deflate data");
	free(z);
	/* a bomb: 64 MB of zeros in about 64 KB stops at the ceiling, fast */
	{
		size_t big = 64u << 20;
		char *zeros = calloc(1, big);
		clock_t t0 = clock();

		z = deflate_raw(zeros, big, &zn);
		CHECK(zn < 100000);
		CHECK(hwprec_inflate(z, zn, 1u << 20, &n, &capped, &err, &inflated) == NULL);
		CHECK(capped);
		CHECK(inflated <= (1u << 20) + 16384);
		CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
		free(zeros);
		free(z);
	}
	buf_free(&b);
}

/* --- HWPX ----------------------------------------------------------------- */

#define META "<opf:title>보고서 초안</opf:title><opf:meta name=\"creator\" content=\"text\">김철수</opf:meta>" \
	"<opf:meta name=\"lastsaveby\" content=\"text\">이영희</opf:meta>" \
	"<opf:meta name=\"CreatedDate\" content=\"text\">2024-03-01T09:00:00Z</opf:meta>" \
	"<opf:meta name=\"ModifiedDate\" content=\"text\">2024-03-02T10:30:00Z</opf:meta>" \
	"<opf:meta name=\"keyword\" content=\"text\">감사</opf:meta>"
#define HEAD "<hh:refList><hh:trackChanges itemCnt=\"2\">" \
	"<hh:trackChange type=\"Insert\" date=\"2024-03-02T10:00:00Z\" authorID=\"1\" id=\"1\"/>" \
	"<hh:trackChange type=\"Delete\" date=\"2024-03-02T10:05:00Z\" authorID=\"2\" id=\"2\"/>" \
	"</hh:trackChanges><hh:trackChangeAuthors itemCnt=\"2\">" \
	"<hh:trackChangeAuthor name=\"이영희\" id=\"0\"/><hh:trackChangeAuthor name=\"박민수\" id=\"1\"/>" \
	"</hh:trackChangeAuthors></hh:refList>"
#define IMGITEM "<opf:item id=\"image1\" href=\"BinData/image1.png\" media-type=\"image/png\"/>"

static const char sec0[] =
    "<hp:p><hp:run><hp:secPr><hp:grid lineGrid=\"0\"/></hp:secPr>"
    "<hp:ctrl><hp:header id=\"1\"><hp:subList><hp:p><hp:run><hp:t>머리말</hp:t></hp:run></hp:p>"
    "</hp:subList></hp:header></hp:ctrl>"
    "<hp:t>계약 금액은<hp:deleteBegin Id=\"2\" TcId=\"2\"/> 오백만<hp:deleteEnd Id=\"2\" TcId=\"2\"/>"
    "<hp:insertBegin Id=\"1\" TcId=\"1\"/> 천만<hp:insertEnd Id=\"1\" TcId=\"1\"/> 원이다.</hp:t>"
    "</hp:run><hp:linesegarray><hp:lineseg textpos=\"0\"/></hp:linesegarray></hp:p>"
    "<hp:p><hp:run><hp:t>둘째<hp:tab width=\"1\"/>문단</hp:t>"
    "<hp:pic><hc:img binaryItemIDRef=\"image1\"/><hp:shapeComment>그림입니다.</hp:shapeComment></hp:pic>"
    "</hp:run></hp:p>"
    "<hp:p><hp:run><hp:tbl><hp:tr><hp:tc><hp:subList><hp:p><hp:run><hp:t>A1</hp:t></hp:run></hp:p>"
    "</hp:subList></hp:tc><hp:tc><hp:subList><hp:p><hp:run><hp:t>B1</hp:t></hp:run></hp:p></hp:subList>"
    "</hp:tc></hp:tr></hp:tbl></hp:run></hp:p>"
    "<hp:memogroup><hp:memo id=\"m1\"><hp:paraList><hp:p><hp:run><hp:t>확인 필요</hp:t></hp:run></hp:p>"
    "</hp:paraList></hp:memo></hp:memogroup>";
static const char sec1[] = "<hp:p><hp:run><hp:t>둘째 구역</hp:t></hp:run></hp:p>";

static void *
hwpx_sample(size_t *len)
{
	const char *bodies[] = { sec0, sec1 };
	struct docxgen *g = docxgen_new();
	size_t pnglen;
	const unsigned char *png = docxgen_png(&pnglen);

	docxgen_hwpx(g, META, IMGITEM, HEAD, bodies, 2);
	docxgen_add(g, "BinData/image1.png", png, pnglen, false);
	docxgen_add_text(g, "BinData/ole1.ole", "not really OLE");
	docxgen_add_text(g, "Preview/PrvText.txt", "preview");
	return docxgen_finish(g, len);
}

static const char *
item_str(const struct office_doc *d, size_t i)
{
	static char out[4096];
	const struct office_item *it = &d->items[i];

	snprintf(out, sizeof(out), "%s|%s|%s|%s|%s", it->kind, it->author ? it->author : "",
	    it->date ? it->date : "", it->text ? it->text : "", it->part ? it->part : "");
	return out;
}

TEST(hwpx_text_metadata_changes_memos)
{
	struct limits lim;
	struct plog *log = plog_new();
	struct office_doc *d;
	struct office_embedded e;
	size_t len, pnglen;
	const unsigned char *png = docxgen_png(&pnglen);
	void *p = hwpx_sample(&len);

	limits_default(&lim);
	CHECK(office_is_document(p, len));
	CHECK_STR(office_document_kind(p, len), "hwpx");
	d = office_unpack(p, len, &lim, log, "draft.hwpx", 0);
	CHECK(d != NULL);
	CHECK_STR(d->kind, "hwpx");
	CHECK_STR(d->props.title, "보고서 초안");
	CHECK_STR(d->props.creator, "김철수");
	CHECK_STR(d->props.last_modified_by, "이영희");
	CHECK_STR(d->props.created, "2024-03-01T09:00:00Z");
	CHECK_STR(d->props.modified, "2024-03-02T10:30:00Z");
	CHECK_STR(d->props.keywords, "감사");
	CHECK_STR(d->text, "계약 금액은 천만 원이다.\n둘째\t문단[image: BinData/image1.png]\n"
	    "A1\tB1\n\n[memo: 확인 필요]\n\n[header Contents/section0.xml]\n머리말\n둘째 구역");
	CHECK_INT(d->nitems, 4);
	CHECK_STR(item_str(d, 0), "header|||머리말|Contents/section0.xml");
	/* deletion by authorID 2 = the second author; insertion by 1 = the first */
	CHECK_STR(item_str(d, 1), "deletion|박민수|2024-03-02T10:05:00Z|오백만|Contents/section0.xml");
	CHECK_STR(item_str(d, 2), "insertion|이영희|2024-03-02T10:00:00Z|천만|Contents/section0.xml");
	CHECK_STR(item_str(d, 3), "comment|||확인 필요|Contents/section0.xml");
	CHECK(office_next_embedded(d, &e));
	CHECK_STR(e.name, "BinData/image1.png");
	CHECK_STR(e.role, "image");
	CHECK(e.len == pnglen && memcmp(e.p, png, pnglen) == 0);
	CHECK(office_next_embedded(d, &e));
	CHECK_STR(e.name, "BinData/ole1.ole");
	CHECK_STR(e.role, "embedding");
	CHECK(!e.document);
	CHECK(!office_next_embedded(d, &e));
	CHECK(d->flags == NULL && !d->encrypted);
	CHECK_INT(plog_count(log), 0);
	office_doc_free(d);
	free(p);
	plog_free(log);
}

static const struct plog_entry *
logged(struct plog *log, const char *code)
{
	for (size_t i = 0; i < plog_count(log); i++)
		if (strcmp(plog_get(log, i)->code, code) == 0)
			return plog_get(log, i);
	return NULL;
}

TEST(hwpx_truncated_zip)
{
	struct limits lim;
	struct plog *log = plog_new();
	size_t len;
	void *p = hwpx_sample(&len);

	limits_default(&lim);
	/* the central directory is gone: not a readable zip */
	CHECK(!office_is_document(p, len / 2));
	CHECK(office_unpack(p, len / 2, &lim, log, "cut.hwpx", 0) == NULL);
	CHECK(logged(log, "office.zip") != NULL);
	free(p);
	plog_free(log);
}

TEST(hwpx_deep_nesting_and_huge_entry)
{
	struct limits lim;
	struct plog *log = plog_new();
	struct docxgen *g = docxgen_new();
	struct office_doc *d;
	struct office_embedded e;
	size_t len, depth = 5000, big = 12u << 20;
	char *deep = malloc(depth * 26 + 64), *zeros = calloc(1, big), *q;
	const char *bodies[2];
	void *p;
	clock_t t0 = clock();

	/* section 0 nests 5000 hp:subList deep (past libxml2's 256) */
	q = deep;
	for (size_t i = 0; i < depth; i++)
		q += sprintf(q, "<hp:subList>");
	for (size_t i = 0; i < depth; i++)
		q += sprintf(q, "</hp:subList>");
	bodies[0] = "<hp:p><hp:run><hp:t>앞</hp:t></hp:run></hp:p>";
	bodies[1] = deep;
	limits_default(&lim);
	docxgen_hwpx(g, "<opf:title>bomb</opf:title>", NULL, NULL, bodies, 2);
	/* a 12 MB BinData entry of zeros: a ratio far past the ceiling */
	docxgen_add(g, "BinData/image2.bmp", zeros, big, false);
	p = docxgen_finish(g, &len);
	CHECK(len < 200000);
	d = office_unpack(p, len, &lim, log, "bomb.hwpx", 0);
	CHECK(d != NULL);
	CHECK_STR(d->props.title, "bomb");
	CHECK_STR(d->text, "앞");
	CHECK(logged(log, "office.xml") != NULL);
	CHECK(!office_next_embedded(d, &e));
	CHECK(logged(log, "office.zip.ratio") != NULL);
	CHECK_STR(d->flags, "unreadable-parts,capped");
	office_doc_free(d);
	/* a section larger than the XML part ceiling is not read */
	plog_clear(log);
	lim.xml_bytes = 4096;
	d = office_unpack(p, len, &lim, log, "bomb.hwpx", 0);
	CHECK(d != NULL);
	CHECK(logged(log, "office.zip.size") != NULL);
	office_doc_free(d);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(p);
	free(deep);
	free(zeros);
	plog_free(log);
}

/* --- the corpus HWP 5 file (the OLE side libolecf reads) ------------------- */

TEST(hwp5_corpus_file)
{
	const char *corpus = check_corpus();
	char path[4096];
	struct limits lim;
	struct plog *log;
	struct office_doc *d;
	struct office_embedded e;
	size_t len;
	char *p;

	if (corpus == NULL)
		return;
	snprintf(path, sizeof(path), "%s/formats/testHWP_5.0.hwp", corpus);
	if ((p = check_slurp(path, &len)) == NULL)
		return;
	log = plog_new();
	limits_default(&lim);
	CHECK_STR(office_document_kind(p, len), "hwp");
	d = office_unpack(p, len, &lim, log, "testHWP_5.0.hwp", 0);
	CHECK(d != NULL);
	CHECK_STR(d->kind, "hwp");
	CHECK_STR(d->props.title, "테스트");
	CHECK_STR(d->props.creator, "next1009");
	CHECK_STR(d->props.created, "2015-09-03T07:12:23Z");
	CHECK_STR(d->props.app_version, "5.0.3.0");
	CHECK_STR(d->text, "테스트\ntest\n");
	CHECK(!office_next_embedded(d, &e));
	CHECK_STR(d->flags, "compressed");
	CHECK_INT(plog_count(log), 0);
	office_doc_free(d);
	/* cut in half: the summary is still read, the body stream is not */
	d = office_unpack(p, len / 2, &lim, log, "cut.hwp", 0);
	CHECK(d != NULL);
	CHECK_STR(d->props.title, "테스트");
	CHECK_STR(d->text, "");
	CHECK(!office_next_embedded(d, &e));
	CHECK_STR(d->flags, "unreadable-parts,compressed");
	CHECK(logged(log, "office.hwp.ole") != NULL);
	office_doc_free(d);
	/* cut to 30%: libolecf cannot open it; logged, no record */
	plog_clear(log);
	CHECK(office_unpack(p, len * 3 / 10, &lim, log, "cut.hwp", 0) == NULL);
	CHECK(logged(log, "office.hwp.ole") != NULL);
	free(p);
	plog_free(log);
}

int
main(void)
{
	RUN(records_text_and_controls);
	RUN(records_long_size_form);
	RUN(records_truncated_and_oversized);
	RUN(records_compressed_and_budget);
	RUN(hwpx_text_metadata_changes_memos);
	RUN(hwpx_truncated_zip);
	RUN(hwpx_deep_nesting_and_huge_entry);
	if (check_corpus() != NULL)
		RUN(hwp5_corpus_file);
	else
		SKIP(hwp5_corpus_file, "the shared corpus is absent");
	return check_done();
}
