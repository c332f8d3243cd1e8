/* Unit tests of the benchmark's message generator (tests/lib/mailgen.c):
 * the same number gives the same bytes, line ends follow the form asked
 * for, no line needs mbox quoting or SMTP dot-stuffing, and GMime reads
 * the encoded words as the Korean text they carry. */
#include "check.h"
#include "mailgen.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

TEST(deterministic)
{
	size_t a, b;
	char *m1 = mailgen_message(42, 0, &a), *m2 = mailgen_message(42, 0, &b);
	char *m3 = mailgen_message(43, 0, &b);

	CHECK(a > 0 && memcmp(m1, m2, a) == 0);
	CHECK(strcmp(m1, m3) != 0);
	free(m1);
	free(m2);
	free(m3);
}

/* Every line ends as asked; no line starts with "From " (RFC 4155) or "."
 * (RFC 5321 section 4.5.2), so the generators write them unquoted. */
TEST(line_ends_and_quoting)
{
	unsigned long i;

	for (i = 0; i < 200; i++) {
		size_t len, k;
		char *lf = mailgen_message(i, 0, &len);
		char *crlf = mailgen_message(i, MAILGEN_CRLF | MAILGEN_ATTACH, &len);
		const char *p;

		CHECK(strchr(lf, '\r') == NULL);
		for (k = 0; k < len; k++)
			if (crlf[k] == '\n' && (k == 0 || crlf[k - 1] != '\r'))
				break;
		CHECK(k == len);
		p = lf;
		while (p != NULL) {
			CHECK(strncmp(p, "From ", 5) != 0);
			CHECK(*p != '.');
			p = strchr(p, '\n');
			if (p != NULL)
				p++;
		}
		free(lf);
		free(crlf);
		if (check_failed_now())
			return;
	}
}

/* Message 0's subject is EUC-KR in an RFC 2047 B word ("회의 자료 0"). */
TEST(korean_subject)
{
	size_t len;
	char *m = mailgen_message(0, 0, &len);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(m, len);
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);

	CHECK(msg != NULL);
	CHECK(strstr(m, "Subject: =?EUC-KR?B?") != NULL);
	CHECK_STR(g_mime_message_get_subject(msg),
	    "\xed\x9a\x8c\xec\x9d\x98 \xec\x9e\x90\xeb\xa3\x8c 0");
	g_object_unref(msg);
	g_object_unref(p);
	g_object_unref(s);
	free(m);
}

int
main(void)
{
	g_mime_init();
	RUN(deterministic);
	RUN(line_ends_and_quoting);
	RUN(korean_subject);
	return check_done();
}
