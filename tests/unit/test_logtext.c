/* Unit tests of src/report/logtext.c: the processing log worded in Korean
 * from a format and its arguments, and positions worded by pattern. */
#include "check.h"
#include "report/logtext.h"

#include <inttypes.h>
#include <stdlib.h>

static char *
sentence(const char *fmt, const char *const *args, size_t n)
{
	return logtext_sentence_ko(fmt, args, n);
}

/* A TCP gap: arguments in Korean order, byte counts grouped, the flow label
 * worded as a position. */
TEST(sentence_reorders_and_groups)
{
	const char *a[] = { "flow 2 10.0.0.1:1025 -> 10.0.0.2:25", "207438", "8760", "1234567" };
	char *s = sentence("%s: %" PRIu64 " bytes were not captured before stream offset %" PRIu64
	    " (sequence offset %" PRIu64 "); the stream goes on after the hole", a, 4);

	CHECK_STR(s, "흐름 2 (10.0.0.1:1025 -> 10.0.0.2:25): 스트림 오프셋 8760(시퀀스 오프셋 1234567) 앞의"
	    " 207,438바이트가 캡처되지 않았습니다. 스트림은 누락 구간 뒤로 이어집니다.");
	free(s);
}

/* A code-chosen phrase is worded only in the entry that names it. */
TEST(sentence_phrases)
{
	const char *a[] = { "flow 1 a:1 -> b:2", "per-flow buffer", "99" };
	const char *b[] = { "client", "4096" };
	char *s = sentence("%s: the %s ceiling was reached at stream offset %" PRIu64
	    "; later bytes of this direction are counted but not kept", a, 3);

	CHECK_STR(s, "흐름 1 (a:1 -> b:2): 스트림 오프셋 99에서 흐름별 버퍼 한도에 이르렀습니다. 이 방향의 이후"
	    " 바이트는 개수만 세고 보존하지 않았습니다.");
	free(s);
	s = sentence("the %s direction passed the flow ceiling; the session after offset %zu was not"
	    " kept", b, 2);
	CHECK_STR(s, "클라이언트 방향이 흐름 한도를 넘었습니다. 오프셋 4096 뒤의 세션은 보존하지 않았습니다.");
	free(s);
}

/* No wording: NULL, so the report shows the English; nor when the
 * arguments do not fit the format. */
TEST(sentence_falls_back)
{
	const char *a[] = { "x" };

	CHECK(sentence("no such format %s", a, 1) == NULL);
	/* a phrase of another entry is not looked up */
	{
		const char *c[] = { "client" };
		char *s = sentence("cannot open: %s", c, 1);

		CHECK_STR(s, "열 수 없습니다: client");
		free(s);
	}
	CHECK(sentence("cannot open: %s", a, 0) == NULL);
	CHECK(sentence(NULL, a, 1) == NULL);
}

/* A sentence another module made, logged whole: worded by its pattern,
 * else quoted as it is. */
TEST(sentence_quoted)
{
	const char *a[] = { "the file shrank while it was read: 1048576 of its 2097152 bytes were there" };
	const char *b[] = { "an error no pattern knows" };
	char *s = sentence("%s", a, 1);

	CHECK_STR(s, "읽는 동안 파일이 줄었습니다. 2,097,152바이트 중 1,048,576바이트만 있었습니다");
	free(s);
	s = sentence("%s", b, 1);
	CHECK_STR(s, "an error no pattern knows");
	free(s);
}

/* The system's text at the end of a quoted sentence is worded too, with
 * its own words beside; one no entry knows stays as written. */
TEST(sentence_quoted_system_text)
{
	const char *a[] = { "cannot open: Permission denied" };
	const char *b[] = { "not a capture libpcap can read: truncated dump file; tried to read 24"
			    " file header bytes, only got 3" };
	const char *c[] = { "cannot open: Stale file handle" };
	char *s = sentence("%s", a, 1);

	CHECK_STR(s, "열 수 없습니다: 접근 권한이 없습니다(Permission denied)");
	free(s);
	s = sentence("%s", b, 1);
	CHECK_STR(s, "libpcap이 읽을 수 있는 캡처가 아닙니다: 잘린 덤프 파일입니다. 파일 헤더 24바이트를"
		     " 읽으려 했으나 3바이트만 있었습니다(truncated dump file)");
	free(s);
	s = sentence("%s", c, 1);
	CHECK_STR(s, "열 수 없습니다: Stale file handle");
	free(s);
}

TEST(positions)
{
	static const struct { const char *en, *ko; } v[] = {
		{ "frame 63", "프레임 63" },
		{ "offset 1234", "오프셋 1234" },
		{ "message 3 (offset 100), part 1.2", "메시지 3 (오프셋 100), 파트 1.2" },
		{ "frame 9, client stream offset 338 (flow 10.0.0.1:40000 -> 192.0.2.25:25)",
		  "프레임 9, 클라이언트 방향 스트림 오프셋 338 (흐름 10.0.0.1:40000 -> 192.0.2.25:25)" },
		{ "frames 12-15 (stream offset 40), part 2",
		  "프레임 12-15 (스트림 오프셋 40), 파트 2" },
		{ "message 1, Received header 4", "메시지 1, Received 헤더 4" },
		{ "folder /Inbox, sub-folder 2", "폴더 /Inbox, 하위 폴더 2" },
		{ "zip entry 3 \"word/document.xml\"", "zip 항목 3 \"word/document.xml\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *s = logtext_position_ko(v[i].en);

		CHECK_STR(s, v[i].ko);
		free(s);
	}
	/* a part name or a folder path is not a position: no wording */
	CHECK(logtext_position_ko("word/document.xml") == NULL);
	CHECK(logtext_position_ko("") == NULL);
	CHECK(logtext_position_ko("frame ") == NULL);
}

/* logtext_check finds a wording that drops an argument or has a stray %. */
TEST(catalogue_checked)
{
	const char *en, *ko;
	size_t i, n = 0;

	for (i = 0; logtext_entry(i, &en, &ko); i++) {
		const char *why = logtext_check(i);

		if (why != NULL)
			check_fail(__FILE__, __LINE__, "%s: %s", en, why);
		n++;
	}
	CHECK(n > 150);
	CHECK_INT(logtext_nargs("%s: %.*s %% %" PRIu64), 3);
}

int
main(void)
{
	RUN(sentence_reorders_and_groups);
	RUN(sentence_phrases);
	RUN(sentence_falls_back);
	RUN(sentence_quoted);
	RUN(sentence_quoted_system_text);
	RUN(positions);
	RUN(catalogue_checked);
	return check_done();
}
