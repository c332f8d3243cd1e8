/* Unit tests of src/util: bounded reader, buffers, hashes, processing log. */
#include "check.h"
#include "util/buf.h"
#include "util/cfb.h"
#include "util/hash.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/text.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

TEST(rd_reads_and_sticks)
{
	static const uint8_t b[] = { 0x12, 0x34, 0x56, 0x78, 0x9a };
	struct rd r;

	rd_init(&r, b, sizeof(b));
	CHECK_INT(rd_be16(&r), 0x1234);
	CHECK_INT(rd_le16(&r), 0x7856);
	CHECK(rd_ok(&r));
	CHECK_INT(rd_be32(&r), 0);          /* only one byte left */
	CHECK(!rd_ok(&r));
	CHECK_STR(r.err, "truncated");
	CHECK_INT(r.err_off, 4);
	CHECK_INT(rd_u8(&r), 0);            /* sticky: later reads are no-ops */
	CHECK_INT(r.err_off, 4);
}

TEST(rd_lines)
{
	const char *s = "EHLO a\r\nMAIL FROM:<x>\nrest";
	struct rd r;
	struct slice l;

	rd_init(&r, s, strlen(s));
	CHECK(rd_line(&r, 100, &l));
	CHECK_INT(l.len, 6);
	CHECK(memcmp(l.p, "EHLO a", 6) == 0);
	CHECK(rd_line(&r, 100, &l));
	CHECK_INT(l.len, 13);
	CHECK(!rd_line(&r, 100, &l));       /* "rest" has no LF yet */
	CHECK(rd_ok(&r));
	CHECK_INT(rd_left(&r), 4);
	rd_init(&r, s, strlen(s));
	CHECK(!rd_line(&r, 3, &l));
	CHECK_STR(r.err, "line too long");
}

TEST(buf_ceiling)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK(buf_adds(&b, "12345"));
	CHECK(!buf_adds(&b, "6789"));        /* would pass 8: nothing appended */
	CHECK(b.capped);
	CHECK_STR(buf_str(&b), "12345");
	CHECK(buf_adds(&b, "678"));
	CHECK_INT(b.len, 8);
	buf_free(&b);
}

TEST(hash_known_vectors)
{
	struct hashes h;

	hash_mem("abc", 3, &h);
	CHECK_STR(h.md5, "900150983cd24fb0d6963f7d28e17f72");
	CHECK_STR(h.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
	CHECK_STR(h.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(h.size, 3);
}

/* hash_file() reads in 1 MiB chunks and hashes MD5 on a second thread:
 * several chunks and a short last one give the digests of the bytes in
 * memory, and an empty file the digests of nothing. */
TEST(hash_file_matches_memory)
{
	enum { SIZE = (3 << 20) + 12345 };
	const char *dir = check_tmpdir("hash");
	char path[512];
	FILE *f;
	struct hashes a, b;
	char *big = malloc(SIZE);
	size_t i;

	CHECK(big != NULL);
	for (i = 0; i < SIZE; i++)
		big[i] = (char)(i * 7 + (i >> 13));
	snprintf(path, sizeof(path), "%s/f", dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(big, 1, SIZE, f) == SIZE);
	fclose(f);
	CHECK(hash_file(path, &a));
	hash_mem(big, SIZE, &b);
	free(big);
	CHECK_STR(a.md5, b.md5);
	CHECK_STR(a.sha1, b.sha1);
	CHECK_STR(a.sha256, b.sha256);
	CHECK_INT(a.size, SIZE);
	snprintf(path, sizeof(path), "%s/empty", dir);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	fclose(f);
	CHECK(hash_file(path, &a));
	CHECK_STR(a.md5, "d41d8cd98f00b204e9800998ecf8427e");
	CHECK_STR(a.sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	CHECK_STR(a.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	CHECK_INT(a.size, 0);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK(!hash_file(path, &a));
}

TEST(plog_keeps_entries)
{
	struct plog *l = plog_new();

	plog_add(l, PLOG_WARN, "tcp.gap", "x.pcap", "frame 7", "%d bytes missing", 12);
	CHECK_INT(plog_count(l), 1);
	CHECK_STR(plog_get(l, 0)->message, "12 bytes missing");
	CHECK_STR(plog_get(l, 0)->where, "frame 7");
	plog_clear(l);
	CHECK_INT(plog_count(l), 0);
	plog_free(l);
}

/* Beside the sentence, the format and each conversion formatted alone, as
 * the report's translation needs them: widths, precisions taken from the
 * arguments (%.*s), length modifiers and %% (no argument). */
TEST(plog_keeps_format_and_args)
{
	struct plog *l = plog_new();
	const struct plog_entry *e;
	uint64_t big = 18446744073709551615u;

	plog_add(l, PLOG_WARN, "x.y", "s", "", "%s: %" PRIu64 " bytes, %zu parts, %.*s|%5.1f%% %c"
	    " 0x%04X %lld", "flow 1", big, (size_t)3, 3, "abcdef", 2.25, 'z', 0xabu, -7LL);
	e = plog_get(l, 0);
	CHECK_STR(e->message, "flow 1: 18446744073709551615 bytes, 3 parts, abc|  2.2% z 0x00AB -7");
	CHECK_STR(e->fmt, "%s: %" PRIu64 " bytes, %zu parts, %.*s|%5.1f%% %c 0x%04X %lld");
	CHECK_INT(e->nargs, 8);
	CHECK_STR(e->args[0], "flow 1");
	CHECK_STR(e->args[1], "18446744073709551615");
	CHECK_STR(e->args[2], "3");
	CHECK_STR(e->args[3], "abc");
	CHECK_STR(e->args[4], "  2.2");
	CHECK_STR(e->args[5], "z");
	CHECK_STR(e->args[6], "00AB");
	CHECK_STR(e->args[7], "-7");
	plog_add(l, PLOG_INFO, "x.y", "s", "", "no conversion, 100%% sure");
	e = plog_get(l, 1);
	CHECK_STR(e->message, "no conversion, 100% sure");
	CHECK_STR(e->fmt, "no conversion, 100%% sure");
	CHECK_INT(e->nargs, 0);
	CHECK(e->args != NULL);
	plog_free(l);
}

/* One cleaner: valid UTF-8 kept, other bytes, NUL and controls as \xNN,
 * bidi controls as \uNNNN; TEXT_LINES keeps LF and CR LF only. */
TEST(text_clean_one_shape)
{
	static const char in[] = "a\xc3\xa9" "b\xc3(\x00\r\n\x1b\xe2\x80\xaez\xed\xa0\x80\xf4\x90\x80\x80";
	char *s;

	s = text_clean(in, sizeof(in) - 1, 0);
	CHECK_STR(s, "a\xc3\xa9" "b\\xC3(\\x00\\x0D\\x0A\\x1B\\u202Ez\\xED\\xA0\\x80\\xF4\\x90\\x80\\x80");
	free(s);
	s = text_clean(in, sizeof(in) - 1, TEXT_LINES);
	CHECK_STR(s, "a\xc3\xa9" "b\\xC3(\\x00\r\n\\x1B\\u202Ez\\xED\\xA0\\x80\\xF4\\x90\\x80\\x80");
	free(s);
	s = text_clean_str("lone\rcr\tTab", TEXT_LINES);
	CHECK_STR(s, "lone\\x0Dcr\tTab");
	free(s);
	CHECK(text_is_clean("\xea\xb0\x80 ok\t", 7, 0));
	CHECK(!text_is_clean("\xc0\x80", 2, 0));       /* overlong NUL */
	CHECK(text_clean_str(NULL, 0) == NULL);
	/* Idempotent: what it wrote comes back unchanged. */
	s = text_clean(in, sizeof(in) - 1, 0);
	CHECK(text_is_clean(s, strlen(s), 0));
	free(s);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	CHECK_INT(text_utf8_len((const unsigned char *)"\xf0\x9f\x98", 3), 0);
}

/* A declared name becomes one safe file name: no path, no hidden file, no
 * control or bidi character, Korean kept, long names cut with their
 * extension kept. */
TEST(text_file_name_safe)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "secretrendezvous.docx", "secretrendezvous.docx" },
		{ "../../etc/passwd", "_._.._etc_passwd" },
		{ "..", "_." },
		{ ".hidden", "_hidden" },
		{ "a b\tc\\d:e*f?\"g<h>|i", "a_b_c_d_e_f__g_h__i" },
		{ "회의 자료.hwp", "회의_자료.hwp" },
		{ "evil\xe2\x80\xaegpj.exe", "evil_u202Egpj.exe" },
		{ "nul\x01x", "nul_x01x" },
		{ "", "file" },
	};
	char long_name[300], *r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = text_file_name(cases[i].in, 120);
		CHECK_STR(r, cases[i].out);
		free(r);
	}
	r = text_file_name(NULL, 120);
	CHECK_STR(r, "file");
	free(r);
	memset(long_name, 'a', 200);
	strcpy(long_name + 200, ".docx");
	r = text_file_name(long_name, 120);
	CHECK_INT(strlen(r), 120);
	CHECK(strcmp(r + 115, ".docx") == 0);
	free(r);
	/* Cut at a character boundary: 40 three-byte characters, then ".txt". */
	long_name[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(long_name, "가");
	strcat(long_name, ".txt");
	r = text_file_name(long_name, 50);
	CHECK_INT(strlen(r), 49);            /* 15 characters (45 bytes) + ".txt" */
	CHECK(strcmp(r + 45, ".txt") == 0);
	free(r);
}

/* A version 3 compound file header with the given counts. */
static void
cfb_head(unsigned char h[512], uint32_t ndifat, uint32_t nfat, uint32_t nminifat)
{
	memset(h, 0, 512);
	memcpy(h, CFB_MAGIC, 8);
	h[24] = 0x3e, h[26] = 3, h[28] = 0xfe, h[29] = 0xff, h[30] = 9, h[32] = 6;
	h[44] = nfat & 0xff, h[45] = nfat >> 8 & 0xff, h[46] = nfat >> 16 & 0xff, h[47] = nfat >> 24;
	h[64] = nminifat & 0xff, h[65] = nminifat >> 8 & 0xff, h[66] = nminifat >> 16 & 0xff,
	h[67] = nminifat >> 24;
	h[72] = ndifat & 0xff, h[73] = ndifat >> 8 & 0xff, h[74] = ndifat >> 16 & 0xff, h[75] = ndifat >> 24;
}

/* The headers fuzz_docx found (libolecf allocated 4 GB for the first two and
 * read for minutes for the third) are refused; counts that fit pass. */
TEST(cfb_header_counts)
{
	unsigned char h[512];
	const char *why;

	cfb_head(h, 0, 1, 1);
	CHECK(cfb_header_check(h, sizeof(h), 4096, &why));
	CHECK(why == NULL);
	cfb_head(h, 1869571642u, 1, 1);                 /* 4,177 bytes, DIFAT count of 1.8 billion */
	CHECK(!cfb_header_check(h, sizeof(h), 4177, &why));
	CHECK_STR(why, "the header declares more FAT, mini FAT, DIFAT or directory sectors than the"
	    " file holds");
	cfb_head(h, 0, 0, 1918840692u);                 /* 1,346 bytes */
	CHECK(!cfb_header_check(h, sizeof(h), 1346, &why));
	cfb_head(h, 0, 0xffffffffu, 0);                 /* 2,889 bytes */
	CHECK(!cfb_header_check(h, sizeof(h), 2889, &why));
	cfb_head(h, 0, 8, 0);                           /* 8 FAT sectors in 8 sectors after the header */
	CHECK(cfb_header_check(h, sizeof(h), 9 * 512, &why));
	CHECK(!cfb_header_check(h, sizeof(h), 8 * 512 - 1, &why));
	cfb_head(h, 0, 1, 0);
	h[30] = 16;                                     /* 64 KB sectors: no [MS-CFB] version */
	CHECK(!cfb_header_check(h, sizeof(h), 1 << 20, &why));
	CHECK_STR(why, "the header's version and sector sizes are not those of [MS-CFB]");
	CHECK(!cfb_header_check(h, 100, 100, &why));
	CHECK_STR(why, "no compound file header");
}

int
main(void)
{
	RUN(rd_reads_and_sticks);
	RUN(rd_lines);
	RUN(buf_ceiling);
	RUN(hash_known_vectors);
	RUN(hash_file_matches_memory);
	RUN(plog_keeps_entries);
	RUN(plog_keeps_format_and_args);
	RUN(text_clean_one_shape);
	RUN(text_file_name_safe);
	RUN(cfb_header_counts);
	return check_done();
}
