/* Unit tests of store/artifacts.c: layout by content hash, one artifacts row
 * per content and one reference per place, libmagic detection (once per
 * content, on the leading bytes, skipped for a type the caller knows), the
 * extension check, inert declared names, and a rewritten partial file. */
#include "check.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static struct casedb *
case_new(const char *name, char *dir, size_t n)
{
	char *err = NULL;
	struct casedb *db;

	snprintf(dir, n, "%s/case", check_tmpdir(name));
	db = casedb_open(dir, true, &err);
	free(err);
	return db;
}

static char *
q(struct casedb *db, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(db, sql);
	struct buf b;
	int i;
	bool ok = true;

	buf_init(&b, 1 << 20);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			ok &= buf_adds(&b, i ? "|" : "");
			ok &= buf_adds(&b, t ? t : "");
		}
		ok &= buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	(void)ok;
	return buf_take(&b);
}

TEST(put_once_two_refs)
{
	char dir[600], path[800], *s, *bytes;
	struct casedb *db = case_new("once", dir, sizeof(dir));
	struct artstore *a;
	struct hashes h, h2;
	struct artifact_ref r1 = { .evidence_id = 1, .parent_kind = "message", .parent_id = 4,
		.role = "attachment", .declared_name = "hello.txt", .declared_type = "text/plain",
		.part_path = "2", .provenance = "frames 78-80" };
	struct artifact_ref r2 = { .evidence_id = 1, .parent_kind = "document", .parent_id = 9,
		.parent_sha256 = "ab", .role = "embedding", .declared_name = "copy.txt" };
	size_t n;

	CHECK(db != NULL);
	a = artstore_open(db);
	casedb_begin(db);
	CHECK_INT(artstore_put(a, "hello, world\n", 13, &r1, &h), 1);
	CHECK_INT(artstore_put(a, "hello, world\n", 13, &r2, &h2), 2);
	CHECK_STR(h.md5, "22c3683b094136c3398391ae71b20f04");
	CHECK_STR(h.sha1, "cd50d19784897085a8d0e3e413f8612b097c03f1");
	CHECK_STR(h.sha256, "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020");
	CHECK_STR(h2.sha256, h.sha256);
	casedb_commit(db);
	s = q(db, "SELECT sha256, md5, sha1, size, path, detected_type, detected_desc FROM artifacts");
	CHECK_STR(s, "853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020|"
	    "22c3683b094136c3398391ae71b20f04|cd50d19784897085a8d0e3e413f8612b097c03f1|13|"
	    "artifacts/85/853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020|"
	    "text/plain|ASCII text\n");
	free(s);
	s = q(db, "SELECT id, evidence_id, parent_kind, parent_id, parent_sha256, role, declared_name,"
	    " declared_type, ext_mismatch, part_path, provenance FROM artifact_refs ORDER BY id");
	CHECK_STR(s, "1|1|message|4||attachment|hello.txt|text/plain|0|2|frames 78-80\n"
	    "2|1|document|9|ab|embedding|copy.txt||0||\n");
	free(s);
	snprintf(path, sizeof(path), "%s/%s", dir, artstore_relpath(h.sha256));
	bytes = check_slurp(path, &n);
	CHECK(bytes != NULL && n == 13 && memcmp(bytes, "hello, world\n", 13) == 0);
	free(bytes);
	artstore_free(a);
	casedb_close(db);
}

TEST(partial_file_rewritten)
{
	char dir[600], path[800], *bytes;
	struct casedb *db = case_new("partial", dir, sizeof(dir));
	struct artstore *a;
	struct hashes h;
	struct artifact_ref r = { .role = "attachment" };
	FILE *f;
	size_t n;

	CHECK(db != NULL);
	/* a file left half-written by an interrupted run, with no row */
	snprintf(path, sizeof(path), "%s/artifacts/85", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/%s", dir,
	    artstore_relpath("853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020"));
	f = fopen(path, "wb");
	CHECK(f != NULL);
	fputs("hel", f);
	fclose(f);
	a = artstore_open(db);
	casedb_begin(db);
	artstore_put(a, "hello, world\n", 13, &r, &h);
	casedb_commit(db);
	bytes = check_slurp(path, &n);
	CHECK(bytes != NULL && n == 13);
	free(bytes);
	artstore_free(a);
	casedb_close(db);
}

TEST(detect_and_mismatch)
{
	char dir[600];
	struct casedb *db = case_new("detect", dir, sizeof(dir));
	struct artstore *a;
	const char *mime, *desc;
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
		'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0 };

	CHECK(db != NULL);
	a = artstore_open(db);
	artstore_detect(a, png, sizeof(png), &mime, &desc);
	CHECK_STR(mime, "image/png");
	CHECK(strncmp(desc, "PNG image data, 1 x 1", 21) == 0);
	artstore_detect(a, "%PDF-1.4\n", 9, &mime, &desc);
	CHECK_STR(mime, "application/pdf");
	CHECK(!artstore_ext_mismatch("map.png", "image/png"));
	CHECK(!artstore_ext_mismatch("MAP.PNG", "image/png"));
	CHECK(artstore_ext_mismatch("map.png", "image/jpeg"));
	CHECK(artstore_ext_mismatch("photo.jpg", "application/x-dosexec"));
	CHECK(artstore_ext_mismatch("invoice", "application/x-dosexec"));
	CHECK(!artstore_ext_mismatch("setup.exe", "application/x-dosexec"));
	CHECK(!artstore_ext_mismatch("a.docx", "application/zip"));
	CHECK(!artstore_ext_mismatch("a.docx",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
	CHECK(artstore_ext_mismatch("a.docx", "application/pdf"));
	CHECK(!artstore_ext_mismatch("a.docx", "application/octet-stream"));
	CHECK(!artstore_ext_mismatch("notes.txt", "text/x-c"));
	CHECK(!artstore_ext_mismatch("unknown.xyz", "image/png"));
	CHECK(!artstore_ext_mismatch(NULL, "image/png"));
	artstore_free(a);
	casedb_close(db);
}

/* A type the caller knows is stored without libmagic (no description);
 * bytes that contradict it (a NUL, an executable's signature) go to
 * libmagic as usual. */
TEST(known_type)
{
	char dir[600], *s;
	struct casedb *db = case_new("known", dir, sizeof(dir));
	struct artstore *a;
	struct hashes h;
	static const char raw[] = "Subject: hi\r\n\r\nhello\r\n";
	static const char exe[] = "MZ\x90\x00\x03\x00\x00\x00";
	static const char nul[] = "text\0with a NUL";
	struct artifact_ref rm = { .role = "raw-message", .known_type = "message/rfc822" };
	struct artifact_ref rb = { .role = "body", .known_type = "text/plain" };

	CHECK(db != NULL);
	a = artstore_open(db);
	casedb_begin(db);
	artstore_put(a, raw, sizeof(raw) - 1, &rm, &h);
	artstore_put(a, exe, sizeof(exe) - 1, &rb, &h);
	artstore_put(a, nul, sizeof(nul) - 1, &rb, &h);
	casedb_commit(db);
	s = q(db, "SELECT size, detected_type, detected_desc IS NULL FROM artifacts ORDER BY rowid");
	CHECK_STR(s, "22|message/rfc822|1\n8|application/octet-stream|0\n15|application/octet-stream|0\n");
	free(s);
	artstore_free(a);
	casedb_close(db);
}

/* Content already stored keeps the type found then: a second reference
 * neither asks libmagic again nor takes its own known type, and its
 * extension is judged against the stored type. */
TEST(stored_type_reused)
{
	char dir[600], *s;
	struct casedb *db = case_new("reused", dir, sizeof(dir));
	struct artstore *a;
	struct hashes h;
	struct artifact_ref r1 = { .role = "body", .known_type = "text/html" };
	struct artifact_ref r2 = { .role = "attachment", .declared_name = "photo.png",
		.known_type = "image/png" };

	CHECK(db != NULL);
	a = artstore_open(db);
	casedb_begin(db);
	artstore_put(a, "<p>hi</p>\n", 10, &r1, &h);
	artstore_put(a, "<p>hi</p>\n", 10, &r2, &h);
	casedb_commit(db);
	s = q(db, "SELECT detected_type FROM artifacts");
	CHECK_STR(s, "text/html\n");
	free(s);
	s = q(db, "SELECT role, ext_mismatch FROM artifact_refs ORDER BY id");
	CHECK_STR(s, "body|0\nattachment|1\n");
	free(s);
	artstore_free(a);
	casedb_close(db);
}

/* libmagic reads only the first ARTSTORE_MAGIC_BYTES: text followed, past
 * that point, by binary bytes is still text. */
TEST(detect_leading_bytes)
{
	char dir[600];
	struct casedb *db = case_new("leading", dir, sizeof(dir));
	struct artstore *a;
	const char *mime, *desc;
	size_t n = ARTSTORE_MAGIC_BYTES + 4096, i;
	char *p = xmalloc(n);

	CHECK(db != NULL);
	for (i = 0; i < ARTSTORE_MAGIC_BYTES; i++)
		p[i] = i % 64 == 63 ? '\n' : 'a' + (char)(i % 26);
	memset(p + ARTSTORE_MAGIC_BYTES, 0, n - ARTSTORE_MAGIC_BYTES);
	a = artstore_open(db);
	artstore_detect(a, p, n, &mime, &desc);
	CHECK_STR(mime, "text/plain");
	artstore_detect(a, p, ARTSTORE_MAGIC_BYTES + 1, &mime, &desc);
	CHECK_STR(mime, "text/plain");
	p[10] = 0;
	artstore_detect(a, p, n, &mime, &desc);
	CHECK_STR(mime, "application/octet-stream");
	free(p);
	artstore_free(a);
	casedb_close(db);
}

TEST(names_inert)
{
	char *s;

	s = artstore_name_inert("a\x01" "b\nc\x7f" "d");
	CHECK_STR(s, "a\\x01b\\x0Ac\\x7Fd");
	free(s);
	s = artstore_name_inert("caf\xe9 \xed\x95\x9c \xc0\xaf \xed\xa0\x80");  /* Latin-1, ok, overlong, surrogate */
	CHECK_STR(s, "caf\\xE9 \xed\x95\x9c \\xC0\\xAF \\xED\\xA0\\x80");
	free(s);
	s = artstore_name_inert("../../etc/passwd");
	CHECK_STR(s, "../../etc/passwd");
	free(s);
	CHECK(artstore_name_inert(NULL) == NULL);
}

int
main(void)
{
	RUN(put_once_two_refs);
	RUN(partial_file_rewritten);
	RUN(detect_and_mismatch);
	RUN(known_type);
	RUN(stored_type_reused);
	RUN(detect_leading_bytes);
	RUN(names_inert);
	return check_done();
}
