/* Unit tests of media/exif.c and its way into the case: a JPEG whose EXIF
 * (camera, original time with its offset, GPS position and altitude) is
 * built here with libexif and wrapped in an APP1 segment, the same EXIF as
 * a bare TIFF, images without EXIF or cut short; then the JPEG attached to
 * a message and inside an HWPX document, ingested: the image_meta row, the
 * report model's "images with GPS position" list and the timeline event. */
#include "check.h"
#include "docxgen.h"
#include "ingest.h"
#include "media/exif.h"
#include "report/model.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/plog.h"

#include <glib.h>
#include <libexif/exif-data.h>
#include <stdio.h>
#include <stdlib.h>

static ExifEntry *
ex_add(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifFormat fmt, unsigned long n)
{
	ExifMem *mem = exif_mem_new_default();
	ExifEntry *e = exif_entry_new_mem(mem);

	e->size = exif_format_get_size(fmt) * n;
	e->data = exif_mem_alloc(mem, e->size);
	e->tag = tag;
	e->format = fmt;
	e->components = n;
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_mem_unref(mem);
	exif_entry_unref(e);
	return e;
}

static void
ex_ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	ExifEntry *e = ex_add(ed, ifd, tag, EXIF_FORMAT_ASCII, strlen(s) + 1);

	memcpy(e->data, s, strlen(s) + 1);
}

static void
ex_rationals(ExifData *ed, ExifTag tag, const ExifRational *v, unsigned n)
{
	ExifEntry *e = ex_add(ed, EXIF_IFD_GPS, tag, EXIF_FORMAT_RATIONAL, n);

	for (unsigned i = 0; i < n; i++)
		exif_set_rational(e->data + 8 * i, exif_data_get_byte_order(ed), v[i]);
}

/* The EXIF block ("Exif\0\0" + TIFF) of a Canon EOS R5 picture taken
 * 2024-03-01 09:15:30 +09:00 at 37 33' 59.4" N, 126 58' 40.8" E, 38.5 m. */
static unsigned char *
ex_block(unsigned *len)
{
	static const ExifRational lat[] = { { 37, 1 }, { 33, 1 }, { 594, 10 } };
	static const ExifRational lon[] = { { 126, 1 }, { 58, 1 }, { 408, 10 } };
	static const ExifRational alt[] = { { 385, 10 } };
	ExifData *ed = exif_data_new();
	unsigned char *out = NULL;

	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	ex_ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, "Canon");
	ex_ascii(ed, EXIF_IFD_0, EXIF_TAG_MODEL, "Canon EOS R5");
	ex_ascii(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, "2024:03:02 18:00:00");
	ex_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, "2024:03:01 09:15:30");
	ex_ascii(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL, "+09:00");
	ex_ascii(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_LATITUDE_REF, "N");
	ex_rationals(ed, EXIF_TAG_GPS_LATITUDE, lat, 3);
	ex_ascii(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_LONGITUDE_REF, "E");
	ex_rationals(ed, EXIF_TAG_GPS_LONGITUDE, lon, 3);
	ex_add(ed, EXIF_IFD_GPS, EXIF_TAG_GPS_ALTITUDE_REF, EXIF_FORMAT_BYTE, 1)->data[0] = 0;
	ex_rationals(ed, EXIF_TAG_GPS_ALTITUDE, alt, 1);
	exif_data_save_data(ed, &out, len);
	exif_data_unref(ed);
	return out;
}

/* SOI, APP1 with the block, a comment, EOI: the smallest JPEG libexif reads. */
static unsigned char *
ex_jpeg(size_t *len)
{
	unsigned n;
	unsigned char *b = ex_block(&n), *j = malloc(n + 16);

	memcpy(j, "\xff\xd8\xff\xe1", 4);
	j[4] = (unsigned char)((n + 2) >> 8);
	j[5] = (unsigned char)((n + 2) & 0xff);
	memcpy(j + 6, b, n);
	memcpy(j + 6 + n, "\xff\xfe\x00\x04hi\xff\xd9", 8);
	*len = n + 14;
	free(b);
	return j;
}

TEST(jpeg_camera_time_gps)
{
	size_t len;
	unsigned char *j = ex_jpeg(&len);
	struct exif_record r;

	CHECK(exif_is_image(j, len));
	CHECK(exif_read(j, len, &r));
	CHECK_STR(r.make, "Canon");
	CHECK_STR(r.model, "Canon EOS R5");
	CHECK_STR(r.datetime_original, "2024:03:01 09:15:30");
	CHECK_STR(r.offset_original, "+09:00");
	CHECK_STR(r.datetime, "2024:03:02 18:00:00");
	CHECK(r.offset == NULL);
	CHECK_STR(r.taken, "2024-03-01T09:15:30+09:00");
	CHECK(r.has_gps && r.has_alt);
	CHECK(r.lat > 37.566499 && r.lat < 37.566501);     /* 37 + 33/60 + 59.4/3600 */
	CHECK(r.lon > 126.977999 && r.lon < 126.978001);   /* 126 + 58/60 + 40.8/3600 */
	CHECK(r.alt > 38.49 && r.alt < 38.51);
	exif_record_free(&r);
	free(j);
}

TEST(tiff_and_references)
{
	unsigned n;
	unsigned char *b = ex_block(&n);
	struct exif_record r;

	/* the TIFF structure on its own is a TIFF file */
	CHECK(memcmp(b + 6, "II*\0", 4) == 0);
	CHECK(exif_read(b + 6, n - 6, &r));
	CHECK_STR(r.model, "Canon EOS R5");
	CHECK(r.has_gps);
	exif_record_free(&r);
	free(b);
}

TEST(no_exif_and_damaged)
{
	static const unsigned char bare[] = { 0xff, 0xd8, 0xff, 0xfe, 0, 4, 'h', 'i', 0xff, 0xd9 };
	size_t len;
	unsigned char *j = ex_jpeg(&len);
	struct exif_record r;

	CHECK(!exif_read(bare, sizeof(bare), &r));
	CHECK(r.make == NULL && !r.has_gps);
	CHECK(!exif_is_image("GIF89a", 6));
	CHECK(!exif_read("GIF89a", 6, &r));
	CHECK(!exif_read(j, 3, &r));
	/* cut inside the EXIF block: whatever libexif reads, nothing breaks */
	for (size_t cut = 4; cut < len; cut += 7) {
		if (exif_read(j, cut, &r))
			exif_record_free(&r);
	}
	free(j);
}

/* --- into the case ---------------------------------------------------------- */

static int
count(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);
	int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;

	sqlite3_finalize(st);
	return n;
}

TEST(attachment_and_document_image_in_report)
{
	struct ingest_ctx ctx;
	struct limits lim;
	struct casedb *db;
	struct model_opts o = { .lang = "en" };
	char *err = NULL, *b64, *eml, sha[65];
	size_t len, hlen;
	unsigned char *j = ex_jpeg(&len);
	const char *bodies[] = { "<hp:p><hp:run><hp:t>사진</hp:t></hp:run></hp:p>" };
	struct docxgen *g = docxgen_new();
	void *hwpx;
	json_t *root, *gps, *tl;
	bool timeline = false;

	db = casedb_open(check_tmpdir("case"), true, &err);
	CHECK(db != NULL);
	memset(&ctx, 0, sizeof(ctx));
	limits_default(&lim);
	ctx.db = db;
	ctx.art = artstore_open(db);
	ctx.log = plog_new();
	ctx.lim = &lim;
	ctx.evidence_path = "test";
	b64 = g_base64_encode(j, len);
	eml = g_strdup_printf("From: a@example.kr\r\nTo: b@example.kr\r\nSubject: photo\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nsee\r\n--b\r\nContent-Type: image/jpeg; name=\"seoul.jpg\"\r\n"
	    "Content-Disposition: attachment; filename=\"seoul.jpg\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n", b64);
	casedb_begin(db);
	{
		struct evidence_row ev = { .path = "photo.eml", .abs_path = "/photo.eml", .type = "eml",
		    .detail = "single RFC 5322 message" };

		hash_mem(eml, strlen(eml), &ev.h);
		ctx.run_id = casedb_run_begin(db, &(struct casedb_run){ .command = "report", .command_line = "test", .db_before_state = "new", .started = 0 });
		ctx.evidence_id = casedb_evidence_add(db, &ev, ctx.run_id);
	}
	CHECK(ingest_message(&ctx, eml, strlen(eml), NULL) > 0);
	/* the same picture inside a document: one row per content */
	docxgen_hwpx(g, "<opf:title>t</opf:title>", NULL, NULL, bodies, 1);
	docxgen_add(g, "BinData/image1.jpg", j, len, true);
	hwpx = docxgen_finish(g, &hlen);
	hash_sha256_hex(hwpx, hlen, sha);
	CHECK(ingest_office(&ctx, hwpx, hlen, sha, "photo.hwpx", 0) > 0);
	artstore_flush(ctx.art);
	casedb_commit(db);
	CHECK_INT(count(db, "SELECT count(*) FROM image_meta"), 1);
	CHECK_INT(count(db, "SELECT count(*) FROM image_meta WHERE make = 'Canon' AND"
	    " model = 'Canon EOS R5' AND taken = '2024-03-01T09:15:30+09:00' AND"
	    " abs(gps_lat - 37.5665) < 1e-6 AND abs(gps_lon - 126.978) < 1e-6 AND"
	    " abs(gps_alt - 38.5) < 1e-6"), 1);
	CHECK_INT(count(db, "SELECT count(*) FROM image_meta i JOIN doc_items d ON d.sha256 = i.sha256"
	    " WHERE d.part = 'BinData/image1.jpg'"), 1);
	root = model_build(db, &o);
	gps = json_object_get(root, "images_gps");
	CHECK_INT(json_array_size(gps), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(gps, 0), "name")), "seoul.jpg");
	CHECK_STR(json_string_value(json_object_get(json_array_get(gps, 0), "lat")), "37.566500");
	CHECK_STR(json_string_value(json_object_get(json_array_get(gps, 0), "lon")), "126.978000");
	CHECK_STR(json_string_value(json_object_get(json_array_get(gps, 0), "alt")), "38.5");
	CHECK_STR(json_string_value(json_object_get(json_array_get(gps, 0), "camera")),
	    "Canon EOS R5");
	tl = json_object_get(root, "timeline");
	for (size_t i = 0; i < json_array_size(tl); i++) {
		json_t *e = json_array_get(tl, i);

		if (strcmp(json_string_value(json_object_get(e, "kind")), "image-taken") == 0) {
			timeline = true;
			CHECK_STR(json_string_value(json_object_get(e, "time")), "2024-03-01T00:15:30Z");
		}
	}
	CHECK(timeline);
	json_decref(root);
	g_free(eml);
	g_free(b64);
	free(hwpx);
	free(j);
	artstore_free(ctx.art);
	plog_free(ctx.log);
	casedb_close(db);
}

int
main(void)
{
	RUN(jpeg_camera_time_gps);
	RUN(tiff_and_references);
	RUN(no_exif_and_damaged);
	RUN(attachment_and_document_image_in_report);
	return check_done();
}
