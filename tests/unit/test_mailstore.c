/* Unit tests of the mail store readers (src/mailstore/): the compressed RTF
 * body of [MS-OXRTFCP], and a .msg file read whole (the compound files
 * tests/fuzz/mkseeds.py writes, kept as fuzz seeds in tests/fuzz/corpus/msg/). */
#include "check.h"

#include "mailstore/mapi.h"
#include "mailstore/msg.h"
#include "util/limits.h"
#include "util/plog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [MS-OXRTFCP] 3.1.1, "Simple Compressed RTF". */
static const uint8_t spec_lzfu[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
	0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
	0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
	0xa0,
};
#define SPEC_RTF "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"

TEST(rtf_spec_example)
{
	size_t n;
	const char *why;
	char *r = mapi_rtf_decompress(spec_lzfu, sizeof(spec_lzfu), 1 << 20, &n, &why);

	CHECK(r != NULL);
	CHECK(why == NULL);
	CHECK_INT(n, strlen(SPEC_RTF));
	CHECK(memcmp(r, SPEC_RTF, n) == 0);
	free(r);
}

/* The dictionary's line end is CR LF ([MS-OXRTFCP] 2.1.2.1); libytnef's has
 * LF CR, which turned every line end an Outlook body took from it around. */
TEST(rtf_dictionary_crlf)
{
	/* one reference: offset 168 (the CR LF), length 2 */
	static const uint8_t v[] = { 15, 0, 0, 0, 2, 0, 0, 0, 'L', 'Z', 'F', 'u', 0, 0, 0, 0,
		0x01, 0x0a, 0x80 };
	size_t n;
	const char *why;
	char *r = mapi_rtf_decompress(v, sizeof(v), 1 << 20, &n, &why);

	CHECK(r != NULL && why == NULL);
	CHECK_INT(n, 2);
	CHECK(memcmp(r, "\r\n", 2) == 0);
	free(r);
}

/* "MELA": the bytes after the header, as many as RAWSIZE says and the
 * value holds, never more. */
TEST(rtf_stored)
{
	uint8_t v[16 + 8] = { 20, 0, 0, 0, 8, 0, 0, 0, 'M', 'E', 'L', 'A', 0, 0, 0, 0,
		'{', '\\', 'r', 't', 'f', '1', ' ', '}' };
	size_t n;
	const char *why;
	char *r = mapi_rtf_decompress(v, sizeof(v), 1 << 20, &n, &why);

	CHECK(r != NULL && why == NULL);
	CHECK_INT(n, 8);
	CHECK(memcmp(r, "{\\rtf1 }", 8) == 0);
	free(r);
	/* RAWSIZE beyond the value (libytnef copied RAWSIZE bytes from it) */
	v[4] = 0xff, v[5] = 0xff;
	r = mapi_rtf_decompress(v, sizeof(v), 1 << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 8);
	CHECK_STR(why, "the compressed RTF ends before its declared size");
	free(r);
}

/* Shapes that ended the process or allocated what they declared with
 * libytnef's DecompressRTF: each is read within its bytes and the ceiling,
 * with the reason said. */
TEST(rtf_hostile)
{
	uint8_t v[64];
	size_t n;
	const char *why;
	char *r;

	/* cut after a control byte whose next bit is a literal */
	memcpy(v, spec_lzfu, 17);
	v[0] = 13;
	r = mapi_rtf_decompress(v, 17, 1 << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 0);
	CHECK_STR(why, "the compressed RTF ends before its declared size");
	free(r);
	/* cut in the middle of a reference */
	memcpy(v, spec_lzfu, sizeof(spec_lzfu));
	v[0] = 16;
	r = mapi_rtf_decompress(v, 20, 1 << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 12);                  /* the first reference, from the dictionary */
	CHECK(memcmp(r, "{\\rtf1\\ansi\\", 12) == 0);
	CHECK_STR(why, "the compressed RTF ends before its declared size");
	free(r);
	/* RAWSIZE of 2 GB in a 49-byte value: the ceiling holds */
	memcpy(v, spec_lzfu, sizeof(spec_lzfu));
	v[4] = 0xff, v[5] = 0xff, v[6] = 0xff, v[7] = 0x7f;
	r = mapi_rtf_decompress(v, sizeof(spec_lzfu), 16, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 16);
	CHECK(memcmp(r, SPEC_RTF, 16) == 0);
	CHECK_STR(why, "the RTF body is larger than the message ceiling; cut");
	free(r);
	/* COMPSIZE larger than the value, or smaller: only the value is read */
	memcpy(v, spec_lzfu, sizeof(spec_lzfu));
	v[0] = 0xff;
	r = mapi_rtf_decompress(v, sizeof(spec_lzfu), 1 << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, strlen(SPEC_RTF));
	CHECK_STR(why, "the declared compressed size is not the value's");
	free(r);
	/* not compressed RTF at all */
	memcpy(v, spec_lzfu, sizeof(spec_lzfu));
	v[8] = 'X';
	CHECK(mapi_rtf_decompress(v, sizeof(spec_lzfu), 1 << 20, &n, &why) == NULL);
	CHECK_STR(why, "no compressed RTF header");
	CHECK(mapi_rtf_decompress(v, 15, 1 << 20, &n, &why) == NULL);
	CHECK_STR(why, "no compressed RTF header");
}

static struct mapi_item *
read_seed(const char *name, struct plog *log, bool *damaged)
{
	struct limits lim;
	char path[256];

	limits_default(&lim);
	snprintf(path, sizeof(path), "tests/fuzz/corpus/msg/%s", name);
	return msg_read(path, &lim, log, damaged);
}

/* The generated .msg: properties, recipient, attachments, the embedded
 * message, the LZFu RTF body and the HTML it encapsulates. */
TEST(msg_generated)
{
	struct plog *log = plog_new();
	bool damaged;
	struct mapi_item *it = read_seed("seed-message", log, &damaged);

	CHECK(it != NULL);
	CHECK(!damaged);
	CHECK_STR(it->msg_class, "IPM.Note");
	CHECK_STR(it->subject, "Subject with \xc3\xa9 and \xed\x95\x9c\xea\xb8\x80");
	CHECK_STR(it->message_id, "<3@example.com>");
	CHECK_STR(it->body, "plain body\r\nline two");
	CHECK(it->rtf != NULL);
	CHECK(it->rtf_html);
	CHECK(it->rtf_len > 20 && memcmp(it->rtf, "{\\rtf1\\ansi\\fbidis", 18) == 0);
	CHECK(it->has_time[MAPI_T_SUBMIT]);
	CHECK_INT(it->times[MAPI_T_SUBMIT], 1727742600LL * 1000000);
	CHECK_INT(it->natts, 2);
	CHECK_STR(it->atts[0].name, "notes.txt");
	CHECK_INT(it->atts[0].len, 10);
	CHECK(memcmp(it->atts[0].data, "attachment", 10) == 0);
	CHECK_STR(it->atts[1].name, "inner.msg");
	CHECK(it->atts[1].embedded != NULL);
	CHECK_STR(it->atts[1].embedded->subject, "inner message");
	CHECK(it->atts[1].embedded->rtf != NULL);     /* stored ("MELA") */
	CHECK(it->notes == NULL);
	mapi_item_free(it);
	plog_free(log);
}

/* A .msg whose compressed RTF stops after a control byte with RAWSIZE
 * 2 GB (libytnef's DecompressRTF ended the process on it, exit(-1)): the
 * item is read, its RTF body as far as it goes, and the note says why. */
TEST(msg_rtf_cut)
{
	struct plog *log = plog_new();
	bool damaged;
	struct mapi_item *it = read_seed("seed-rtf-cut", log, &damaged);

	CHECK(it != NULL);
	CHECK_STR(it->subject, "cut RTF");
	CHECK_INT(it->rtf_len, 2);
	CHECK(memcmp(it->rtf, "{\\", 2) == 0);
	CHECK_STR(it->notes, "compressed RTF body: the RTF body is larger than the message ceiling; cut");
	mapi_item_free(it);
	plog_free(log);
}

/* A damaged compound file that libolecf opens while leaving an error set
 * (found by fuzz_msg: 9 leaks of that error, which msg_read did not free when
 * the open succeeded; a sanitizer build of this test sees the leak). */
TEST(msg_open_leaves_error)
{
	struct plog *log = plog_new();
	struct limits lim;
	bool damaged;
	struct mapi_item *it;

	limits_default(&lim);
	CHECK(!msg_path_is_message("tests/fuzz/regress/msg-open-error-set.msg"));
	it = msg_read("tests/fuzz/regress/msg-open-error-set.msg", &lim, log, &damaged);
	CHECK(it != NULL);
	CHECK(it->subject == NULL);
	CHECK(!damaged);
	mapi_item_free(it);
	plog_free(log);
}

int
main(void)
{
	RUN(rtf_spec_example);
	RUN(rtf_dictionary_crlf);
	RUN(rtf_stored);
	RUN(rtf_hostile);
	RUN(msg_generated);
	RUN(msg_rtf_cut);
	RUN(msg_open_leaves_error);
	return check_done();
}
