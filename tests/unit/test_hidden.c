/* Unit tests of auth/hidden.c: the times and addresses hidden in
 * Message-IDs and MIME boundaries, each rule with the exact instant it
 * gives (checked against FILETIME and epoch arithmetic done separately),
 * the plausibility bounds, and strings that only look like a rule. The
 * Outlook Express values are those of the two messages of the corpus's
 * evidence02.pcap. */
#include "check.h"
#include "auth/hidden.h"

#include <stdlib.h>
#include <string.h>

/* 2026-01-01T00:00:00Z: "now" for the upper bound. */
#define NOW INT64_C(1767225600000000)

static size_t
dec(enum hidden_field f, const char *s, struct hidden_stamp out[HIDDEN_MAX])
{
	/* an exact-size copy: a rule that reads past the end shows under ASan */
	size_t len = strlen(s), n;
	char *copy = malloc(len ? len : 1);

	memcpy(copy, s, len);
	n = hidden_decode(f, copy, len, NOW, out);
	free(copy);
	return n;
}

TEST(outlook_express_msgid)
{
	struct hidden_stamp h[HIDDEN_MAX];

	/* evidence02 message 1: FILETIME 0x01ca49ae89d698c0 = 2009-10-10T13:35:31.916Z,
	 * c0a8019f = 192.168.1.159, the client address of the SMTP session */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<000901ca49ae$89d698c0$9f01a8c0@annlaptop>", h), 1);
	CHECK_STR(h[0].rule, "outlook-msgid");
	CHECK_INT(h[0].clock, HIDDEN_UTC);
	CHECK_INT(h[0].us, INT64_C(1255181731916000));
	CHECK_STR(h[0].ipv4, "192.168.1.159");
	/* message 2, without the angle brackets */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "001101ca49ae$e93e45b0$9f01a8c0@annlaptop", h), 1);
	CHECK_INT(h[0].us, INT64_C(1255181891979000));
	CHECK_STR(h[0].ipv4, "192.168.1.159");
	CHECK_STR(hidden_field_name(HIDDEN_MESSAGE_ID), "message-id");
	CHECK_STR(hidden_clock_name(h[0].clock), "utc");
}

TEST(outlook_boundary_local)
{
	struct hidden_stamp h[HIDDEN_MAX];

	/* evidence02 message 1: 0x01CA497C3E4B6020 = 07:35:30.338 wall clock,
	 * the Date field's 07:35:30 -0600 */
	CHECK_INT(dec(HIDDEN_BOUNDARY, "----=_NextPart_000_0006_01CA497C.3E4B6020", h), 1);
	CHECK_STR(h[0].rule, "outlook-boundary");
	CHECK_INT(h[0].clock, HIDDEN_LOCAL);
	CHECK_INT(h[0].us, INT64_C(1255160130338000));
	CHECK_STR(h[0].ipv4, "");
	CHECK_STR(hidden_clock_name(h[0].clock), "local");
	/* message 2, the inner multipart (level 001) */
	CHECK_INT(dec(HIDDEN_BOUNDARY, "----=_NextPart_001_000E_01CA497C.9DEC1E70", h), 1);
	CHECK_INT(h[0].us, INT64_C(1255160290775000));
	/* a boundary with more after the layout is not this rule's */
	CHECK_INT(dec(HIDDEN_BOUNDARY, "----=_NextPart_000_0006_01CA497C.3E4B6020x", h), 0);
	CHECK_INT(dec(HIDDEN_BOUNDARY, "----=_NextPart_000_0006_01CA497C", h), 0);
}

TEST(javamail)
{
	struct hidden_stamp h[HIDDEN_MAX];

	/* 1255181730338 ms = 2009-10-10T13:35:30.338Z */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<1603543.1.1255181730338.JavaMail.ann@annlaptop>", h), 1);
	CHECK_STR(h[0].rule, "javamail-msgid");
	CHECK_INT(h[0].us, INT64_C(1255181730338000));
	CHECK_INT(dec(HIDDEN_BOUNDARY, "----=_Part_0_1603543.1255181730338", h), 1);
	CHECK_STR(h[0].rule, "javamail-boundary");
	CHECK_INT(h[0].clock, HIDDEN_UTC);
	CHECK_INT(h[0].us, INT64_C(1255181730338000));
	/* without the JavaMail marker three numbers are not JavaMail's */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<1603543.1.1255181730338.ann@annlaptop>", h), 0);
}

TEST(python_and_mutt)
{
	struct hidden_stamp h[HIDDEN_MAX];

	/* the example of make_msgid's own docstring: 1424802164.86 s = 2015-02-24T18:22:44.86Z */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID,
	    "<142480216486.20800.16526388040877946887@nightshade.la.mastaler.com>", h), 1);
	CHECK_STR(h[0].rule, "python-msgid");
	CHECK_INT(h[0].us, INT64_C(1424802164860000));
	/* with an idstring */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<142480216486.20800.1652638.case7@x.example>", h), 1);
	CHECK_INT(h[0].us, INT64_C(1424802164860000));
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20091010133531.4242.12345@annlaptop>", h), 1);
	CHECK_STR(h[0].rule, "python2-msgid");
	CHECK_INT(h[0].us, INT64_C(1255181731000000));
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20091010133531.GA4242@annlaptop.example>", h), 1);
	CHECK_STR(h[0].rule, "mutt-msgid");
	CHECK_INT(h[0].us, INT64_C(1255181731000000));
	/* 29 February only in a leap year */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20240229000000.GA1@x>", h), 1);
	CHECK_INT(h[0].us, INT64_C(1709164800000000));
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20091310133531.GA4242@x>", h), 0);
}

TEST(plausibility_bounds)
{
	struct hidden_stamp h[HIDDEN_MAX];

	/* FILETIME 0x01000000... is 1654; 0x7fffffff... is 30828 */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<000901000000$00000000$9f01a8c0@x>", h), 0);
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<00097fffffff$ffffffff$9f01a8c0@x>", h), 0);
	/* 78800000000 cs is 1994-12-21: before 1995 */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<78800000000.1.1@x>", h), 0);
	/* 2028 is more than a year after NOW */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<183000000000.1.1@x>", h), 0);
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20280101000000.GA1@x>", h), 0);
	/* a year after NOW is still in */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<20261231000000.GA1@x>", h), 1);
}

TEST(not_a_rule)
{
	struct hidden_stamp h[HIDDEN_MAX];
	char *big;

	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<CAF=4abc+x@mail.gmail.com>", h), 0);
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<4AD08D12.5040703@example.com>", h), 0);
	/* Outlook 2007 and later end the third field with "$": not the
	 * address layout, so not read */
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "<000901ca49ae$89d698c0$9f01a8c0$@annlaptop>", h), 0);
	/* cut short: each prefix of a rule's string gives nothing */
	{
		static const char id[] = "<000901ca49ae$89d698c0$9f01a8c0@annlaptop>";
		for (size_t n = 0; n < 32; n++)
			CHECK_INT(hidden_decode(HIDDEN_MESSAGE_ID, id, n, NOW, h), 0);
		CHECK_INT(hidden_decode(HIDDEN_MESSAGE_ID, id, 32, NOW, h), 1);
	}
	CHECK_INT(dec(HIDDEN_MESSAGE_ID, "", h), 0);
	CHECK_INT(hidden_decode(HIDDEN_MESSAGE_ID, NULL, 0, NOW, h), 0);
	/* longer than a line may be: not read */
	big = malloc(HIDDEN_INPUT_MAX + 2);
	memcpy(big, "<000901ca49ae$89d698c0$9f01a8c0@", 32);
	memset(big + 32, 'a', HIDDEN_INPUT_MAX + 2 - 32);
	CHECK_INT(hidden_decode(HIDDEN_MESSAGE_ID, big, HIDDEN_INPUT_MAX, NOW, h), 1);
	CHECK_INT(hidden_decode(HIDDEN_MESSAGE_ID, big, HIDDEN_INPUT_MAX + 1, NOW, h), 0);
	free(big);
}

int
main(void)
{
	RUN(outlook_express_msgid);
	RUN(outlook_boundary_local);
	RUN(javamail);
	RUN(python_and_mutt);
	RUN(plausibility_bounds);
	RUN(not_a_rule);
	return check_done();
}
