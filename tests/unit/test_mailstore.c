/* Unit tests of the mail store helpers that take hostile bytes before a
 * library does: mapi_rtf_inflate() (mailstore/mapi.c) on [MS-OXRTFCP]'s
 * own example, its dictionary's CR LF, streams whose header lies and cut
 * ones; tnef_read() (mailstore/tnef.c) on streams too short to hold an
 * attribute; and .msg files read whole (the compound files
 * tests/fuzz/mkseeds.py writes, kept as fuzz seeds in tests/fuzz/corpus/msg/). */
#include "check.h"
#include "mailstore/mapi.h"
#include "mailstore/msg.h"
#include "mailstore/tnef.h"
#include "util/limits.h"
#include "util/plog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [MS-OXRTFCP] 3.1.1 (compressing "{\rtf1\ansi\ansicpg1252\pard hello
 * world}" CRLF): the compressed bytes the specification gives. */
static const unsigned char spec_lzfu[] = {
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
	0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
	0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f,
	0xa0,
};

TEST(rtf_spec_example)
{
	size_t n = 0;
	const char *why = "unset";
	char *r = mapi_rtf_inflate(spec_lzfu, sizeof(spec_lzfu), 1u << 20, &n, &why);

	CHECK(r != NULL);
	CHECK(why == NULL);
	CHECK_INT(n, 43);
	if (r != NULL && n == 43)
		CHECK(memcmp(r, "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n", 43) == 0);
	free(r);
}

TEST(rtf_header_lies)
{
	unsigned char b[sizeof(spec_lzfu)];
	size_t n = 0;
	const char *why;
	char *r;

	/* a compressed size the value does not have */
	memcpy(b, spec_lzfu, sizeof(b));
	b[0] = 0x2e;
	r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);
	CHECK(r == NULL);
	CHECK_STR(why, "its header gives a compressed size the property does not have");
	/* a raw size past the ceiling (2 GB for 43 bytes): inflated only up
	 * to the ceiling, nothing allocated for the size it claims; what the
	 * stream holds is kept */
	memcpy(b, spec_lzfu, sizeof(b));
	b[7] = 0x7f;
	r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 43);
	CHECK_STR(why, "the compressed RTF ends before the size its header gives; what it holds is kept");
	free(r);
	/* a body longer than the ceiling: cut at it */
	r = mapi_rtf_inflate(spec_lzfu, sizeof(spec_lzfu), 16, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 16);
	CHECK(r != NULL && memcmp(r, "{\\rtf1\\ansi\\ansi", 16) == 0);
	CHECK_STR(why, "its header gives an inflated size over the message ceiling; cut there");
	free(r);
	/* a raw size larger than the stream holds: what it holds, cut there */
	memcpy(b, spec_lzfu, sizeof(b));
	b[4] = 0x60;
	r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_STR(why, "the compressed RTF ends before the size its header gives; what it holds is kept");
	CHECK_INT(n, 43);
	free(r);
	/* an unknown compression */
	memcpy(b, spec_lzfu, sizeof(b));
	b[8] = 'X';
	r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);
	CHECK(r == NULL);
	CHECK_STR(why, "its header names no known compression (neither LZFu nor MELA)");
	/* shorter than its header */
	r = mapi_rtf_inflate(spec_lzfu, 15, 1u << 20, &n, &why);
	CHECK(r == NULL);
	CHECK_STR(why, "shorter than its 16-byte header");
}

TEST(rtf_cut_short)
{
	/* a control byte of literals, then one literal and the end: what it
	 * holds, said to be cut (libytnef would print "Corrupted stream") */
	unsigned char b[] = { 0x0e, 0, 0, 0, 0x20, 0, 0, 0, 0x4c, 0x5a, 0x46, 0x75, 0, 0, 0, 0,
	    0x00, 'a' };
	/* a reference cut after its first byte: nothing */
	unsigned char c[] = { 0x0e, 0, 0, 0, 0x20, 0, 0, 0, 0x4c, 0x5a, 0x46, 0x75, 0, 0, 0, 0,
	    0x01, 0x00 };
	/* a reference into the dictionary's zeros past its 207 bytes */
	unsigned char d[] = { 0x0f, 0, 0, 0, 0x03, 0, 0, 0, 0x4c, 0x5a, 0x46, 0x75, 0, 0, 0, 0,
	    0x01, 0xff, 0x01 };
	size_t n = 0;
	const char *why;
	char *r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);

	CHECK(r != NULL);
	CHECK_INT(n, 1);
	CHECK_STR(why, "the compressed RTF ends before the size its header gives; what it holds is kept");
	free(r);
	r = mapi_rtf_inflate(c, sizeof(c), 1u << 20, &n, &why);
	CHECK(r == NULL);
	CHECK_STR(why, "the compressed RTF ends before any byte of it");
	r = mapi_rtf_inflate(d, sizeof(d), 1u << 20, &n, &why);
	CHECK(r != NULL && why == NULL);
	CHECK_INT(n, 3);
	if (r)
		CHECK(r[0] == 0 && r[1] == 0 && r[2] == 0);
	free(r);
}

TEST(rtf_uncompressed)
{
	/* [MS-OXRTFCP] 2.2.1.1: COMPTYPE MELA, the raw bytes follow */
	unsigned char b[16 + 5] = { 0x11, 0, 0, 0, 5, 0, 0, 0, 0x4d, 0x45, 0x4c, 0x41, 0, 0, 0, 0,
	    '{', '\\', 'r', 't', '}' };
	size_t n = 0;
	const char *why;
	char *r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);

	CHECK(r != NULL && why == NULL);
	CHECK_INT(n, 5);
	if (r)
		CHECK(memcmp(r, "{\\rt}", 5) == 0);
	free(r);
	b[4] = 9;    /* says 9, holds 5 */
	r = mapi_rtf_inflate(b, sizeof(b), 1u << 20, &n, &why);
	CHECK(r != NULL);
	CHECK_INT(n, 5);
	CHECK_STR(why, "the uncompressed RTF is shorter than its header says; what is there is kept");
	free(r);
}

TEST(tnef_too_short)
{
	struct limits lim;
	struct plog *log = plog_new();
	bool damaged = false;
	const unsigned char sig[] = { 0x78, 0x9f, 0x3e, 0x22, 0x00, 0x00, 0x01, 0x06 };

	limits_default(&lim);
	CHECK(tnef_is_stream(sig, 4));
	CHECK(!tnef_is_stream(sig, 3));
	CHECK(tnef_read(sig, 3, &lim, log, "x.dat", "", &damaged) == NULL);
	CHECK_STR(plog_get(log, 0)->code, "tnef.unreadable");
	CHECK(tnef_read(sig, 6, &lim, log, "x.dat", "", &damaged) == NULL);
	CHECK(damaged);
	/* a header cut after its level byte */
	CHECK(tnef_read(sig, 8, &lim, log, "x.dat", "", &damaged) == NULL);
	CHECK_STR(plog_get(log, 2)->code, "tnef.truncated");
	CHECK_STR(plog_get(log, 2)->message, "the stream ends inside the header of attribute 1 at offset 6");
	plog_free(log);
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
	char *r = mapi_rtf_inflate(v, sizeof(v), 1 << 20, &n, &why);

	CHECK(r != NULL && why == NULL);
	CHECK_INT(n, 2);
	CHECK(memcmp(r, "\r\n", 2) == 0);
	free(r);
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
	CHECK_STR(it->notes, "the compressed RTF body: the compressed RTF ends before the size its"
	    " header gives; what it holds is kept");
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
	RUN(rtf_header_lies);
	RUN(rtf_cut_short);
	RUN(rtf_uncompressed);
	RUN(tnef_too_short);
	RUN(msg_generated);
	RUN(msg_rtf_cut);
	RUN(msg_open_leaves_error);
	return check_failed_now() ? 1 : 0;
}
