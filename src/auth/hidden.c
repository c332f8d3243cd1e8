/* hidden.c - the rules of hidden.h, one function each, each reading the
 * string through its own bounded reader (util/rd.h) from the start. A rule
 * matches the whole layout or gives nothing. Sources and examples of every
 * rule: docs/hidden-timestamps.md. */
#include "auth/hidden.h"
#include "mail/maildate.h"
#include "util/rd.h"

#include <stdio.h>
#include <string.h>

/* Windows FILETIME: 100 ns intervals since 1601-01-01 UTC (Microsoft,
 * "FILETIME structure"); 11644473600 s lie between 1601 and 1970. */
#define FILETIME_EPOCH_US INT64_C(11644473600000000)

static int
hex_val(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly n hex digits (n <= 16). */
static uint64_t
take_hex(struct rd *r, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		int d = hex_val(rd_u8(r));

		if (d < 0) {
			rd_fail(r, "not a hex digit");
			return 0;
		}
		v = v << 4 | (uint64_t)d;
	}
	return v;
}

/* From min to max decimal digits (max <= 19), as many as are there. */
static uint64_t
take_dec(struct rd *r, size_t min, size_t max, size_t *ndigits)
{
	uint64_t v = 0;
	size_t n = 0;
	struct slice s;

	while (n < max && rd_peek(r, 1, &s) && s.p[0] >= '0' && s.p[0] <= '9') {
		v = v * 10 + (uint64_t)(rd_u8(r) - '0');
		n++;
	}
	if (n < min)
		rd_fail(r, "too few digits");
	if (ndigits != NULL)
		*ndigits = n;
	return v;
}

/* Consumes lit when the input continues with it; false otherwise. */
static bool
take_lit(struct rd *r, const char *lit)
{
	size_t n = strlen(lit);
	struct slice s;

	if (!rd_ok(r) || !rd_peek(r, n, &s) || memcmp(s.p, lit, n) != 0)
		return false;
	rd_skip(r, n);
	return true;
}

static void
need_lit(struct rd *r, const char *lit)
{
	if (!take_lit(r, lit))
		rd_fail(r, "layout differs");
}

static void
need_end(struct rd *r)
{
	if (rd_left(r) != 0)
		rd_fail(r, "text after the layout");
}

/* The next byte is c (not consumed). */
static bool
next_is(const struct rd *r, uint8_t c)
{
	struct slice s;

	return rd_ok(r) && rd_peek(r, 1, &s) && s.p[0] == c;
}

static void
skip_dashes(struct rd *r)
{
	while (next_is(r, '-'))
		rd_skip(r, 1);
}

/* YYYYMMDDhhmmss as microseconds, or -1 when it is not a date. */
static int64_t
ymdhms_us(uint64_t v)
{
	unsigned s = (unsigned)(v % 100), mi = (unsigned)(v / 100 % 100), h = (unsigned)(v / 10000 % 100);
	unsigned d = (unsigned)(v / 1000000 % 100), mo = (unsigned)(v / 100000000 % 100);
	int64_t y = (int64_t)(v / 10000000000u);

	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	return ((maildate_days(y, mo, d) * 24 + h) * 60 + mi) * INT64_C(60000000) +
	    (int64_t)s * 1000000;
}

static int64_t
filetime_us(uint64_t ft)
{
	return (int64_t)(ft / 10) - FILETIME_EPOCH_US;
}

static bool
emit(struct rd *r, int64_t us, int64_t now_us, const char *rule, enum hidden_clock clock,
    struct hidden_stamp *out)
{
	if (!rd_ok(r) || us < HIDDEN_MIN_US || us > now_us + HIDDEN_AHEAD_US)
		return false;
	memset(out, 0, sizeof(*out));
	out->rule = rule;
	out->clock = clock;
	out->us = us;
	return true;
}

/* Outlook Express and Outlook up to 2003 (MimeOLE):
 * <CCCCHHHHHHHH$LLLLLLLL$AAAAAAAA@host>: a counter, the FILETIME of the
 * moment in UTC as its high and low dwords, and the sender's IPv4 address
 * as a little-endian dword. */
static bool
rule_outlook_msgid(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t hi, lo, a;

	(void)take_lit(r, "<");
	(void)take_hex(r, 4);
	hi = take_hex(r, 8);
	need_lit(r, "$");
	lo = take_hex(r, 8);
	need_lit(r, "$");
	a = take_hex(r, 8);
	need_lit(r, "@");
	if (!emit(r, filetime_us(hi << 32 | lo), now_us, "outlook-msgid", HIDDEN_UTC, out))
		return false;
	snprintf(out->ipv4, sizeof(out->ipv4), "%u.%u.%u.%u", (unsigned)(a & 0xff),
	    (unsigned)(a >> 8 & 0xff), (unsigned)(a >> 16 & 0xff), (unsigned)(a >> 24 & 0xff));
	return true;
}

/* Outlook and Outlook Express (MimeOLE):
 * ----=_NextPart_LLL_CCCC_HHHHHHHH.LLLLLLLL: nesting level, counter, and
 * the FILETIME of the sender's local wall clock. */
static bool
rule_outlook_boundary(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t hi, lo;

	skip_dashes(r);
	need_lit(r, "=_NextPart_");
	(void)take_hex(r, 3);
	need_lit(r, "_");
	(void)take_hex(r, 4);
	need_lit(r, "_");
	hi = take_hex(r, 8);
	need_lit(r, ".");
	lo = take_hex(r, 8);
	need_end(r);
	return emit(r, filetime_us(hi << 32 | lo), now_us, "outlook-boundary", HIDDEN_LOCAL, out);
}

/* JavaMail (javax.mail.internet.UniqueValue.getUniqueMessageIDValue):
 * <hashCode.counter.currentTimeMillis.JavaMail.user@host>. */
static bool
rule_javamail_msgid(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t ms;

	(void)take_lit(r, "<");
	(void)take_lit(r, "-");
	(void)take_dec(r, 1, 10, NULL);
	need_lit(r, ".");
	(void)take_dec(r, 1, 10, NULL);
	need_lit(r, ".");
	ms = take_dec(r, 12, 13, NULL);
	need_lit(r, ".JavaMail.");
	return emit(r, (int64_t)ms * 1000, now_us, "javamail-msgid", HIDDEN_UTC, out);
}

/* JavaMail (UniqueValue.getUniqueBoundaryValue):
 * ----=_Part_counter_hashCode.currentTimeMillis. */
static bool
rule_javamail_boundary(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t ms;

	skip_dashes(r);
	need_lit(r, "=_Part_");
	(void)take_dec(r, 1, 10, NULL);
	need_lit(r, "_");
	(void)take_lit(r, "-");
	(void)take_dec(r, 1, 10, NULL);
	need_lit(r, ".");
	ms = take_dec(r, 12, 13, NULL);
	need_end(r);
	return emit(r, (int64_t)ms * 1000, now_us, "javamail-boundary", HIDDEN_UTC, out);
}

/* Python 3 email.utils.make_msgid: <int(time.time()*100).pid.random[.idstring]@domain>. */
static bool
rule_python_msgid(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t cs;

	(void)take_lit(r, "<");
	cs = take_dec(r, 11, 12, NULL);
	need_lit(r, ".");
	(void)take_dec(r, 1, 10, NULL);
	need_lit(r, ".");
	(void)take_dec(r, 1, 20, NULL);
	if (!next_is(r, '.') && !next_is(r, '@'))
		rd_fail(r, "layout differs");
	return emit(r, (int64_t)cs * 10000, now_us, "python-msgid", HIDDEN_UTC, out);
}

/* Python 2 email.utils.make_msgid: <YYYYMMDDhhmmss(UTC).pid.random[.idstring]@host>;
 * mutt's mutt_gen_msgid: <YYYYMMDDhhmmss(UTC).GLpid@fqdn>. */
static bool
rule_ymdhms_msgid(struct rd *r, int64_t now_us, struct hidden_stamp *out)
{
	uint64_t v;
	int64_t us;
	const char *rule = "python2-msgid";
	struct slice s;

	(void)take_lit(r, "<");
	v = take_dec(r, 14, 14, NULL);
	need_lit(r, ".");
	if (take_lit(r, "G")) {
		rule = "mutt-msgid";
		if (!rd_peek(r, 1, &s) || s.p[0] < 'A' || s.p[0] > 'Z')
			rd_fail(r, "layout differs");
		rd_skip(r, 1);
		(void)take_dec(r, 1, 10, NULL);
		need_lit(r, "@");
	} else {
		(void)take_dec(r, 1, 10, NULL);
		need_lit(r, ".");
		(void)take_dec(r, 1, 20, NULL);
		if (!next_is(r, '.') && !next_is(r, '@'))
			rd_fail(r, "layout differs");
	}
	us = rd_ok(r) ? ymdhms_us(v) : -1;
	return us >= 0 && emit(r, us, now_us, rule, HIDDEN_UTC, out);
}

typedef bool (*hidden_rule)(struct rd *, int64_t, struct hidden_stamp *);

static const hidden_rule msgid_rules[] = {
	rule_outlook_msgid, rule_javamail_msgid, rule_python_msgid, rule_ymdhms_msgid,
};
static const hidden_rule boundary_rules[] = {
	rule_outlook_boundary, rule_javamail_boundary,
};

size_t
hidden_decode(enum hidden_field f, const char *s, size_t len, int64_t now_us,
    struct hidden_stamp out[HIDDEN_MAX])
{
	const hidden_rule *rules = f == HIDDEN_BOUNDARY ? boundary_rules : msgid_rules;
	size_t nrules = f == HIDDEN_BOUNDARY ? sizeof(boundary_rules) / sizeof(boundary_rules[0]) :
	    sizeof(msgid_rules) / sizeof(msgid_rules[0]);
	size_t n = 0;

	if (s == NULL || len == 0 || len > HIDDEN_INPUT_MAX)
		return 0;
	/* a Message-ID as GMime gives it may have white space around it */
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	for (size_t i = 0; i < nrules && n < HIDDEN_MAX; i++) {
		struct rd r;

		rd_init(&r, s, len);
		if (rules[i](&r, now_us, &out[n]))
			n++;
	}
	return n;
}

const char *
hidden_field_name(enum hidden_field f)
{
	return f == HIDDEN_BOUNDARY ? "boundary" : "message-id";
}

const char *
hidden_clock_name(enum hidden_clock c)
{
	return c == HIDDEN_LOCAL ? "local" : "utc";
}
