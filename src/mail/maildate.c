/* maildate.c - RFC 5322 section 3.3 date-time, with the obsolete syntax of
 * section 4.3, IMAP INTERNALDATE and asctime(), into microseconds since the
 * epoch, UTC. The one date parser of the program (Date, Received, IMAP,
 * mbox From_ lines). */
#include "mail/maildate.h"

#include <string.h>
#include <strings.h>

/* A date never needs more: the parse looks at the first 160 bytes and 12
 * words, and text after the zone is ignored by definition. */
#define MAILDATE_MAX 160
#define MAILDATE_TOKENS 12

struct tok {
	const char *p;
	size_t n;
};

static const char *const maildate_months[12] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
};
static const char *const maildate_wdays[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* Zone names: RFC 5322 section 4.3 lists UT, GMT and the North American
 * zones; the others are the ones real headers carry (offsets in minutes).
 * Ambiguous abbreviations take the reading mail shows most: IST is India
 * (+0530), BST British Summer Time, CST North American Central (obs-zone). */
static const struct { const char *name; int min; } maildate_zones[] = {
	{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 }, { "WET", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "AST", -240 }, { "ADT", -180 }, { "HST", -600 }, { "AKST", -540 }, { "AKDT", -480 },
	{ "BST", 60 }, { "WEST", 60 }, { "CET", 60 }, { "MET", 60 }, { "CEST", 120 },
	{ "MEST", 120 }, { "EET", 120 }, { "EEST", 180 }, { "MSK", 180 }, { "IST", 330 },
	{ "SGT", 480 }, { "HKT", 480 }, { "JST", 540 }, { "KST", 540 },
	{ "AEST", 600 }, { "AEDT", 660 }, { "NZST", 720 }, { "NZDT", 780 },
};

int64_t
maildate_days(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
maildate_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Unsigned decimal of 1..maxd digits filling the whole token. */
static bool
maildate_num(const struct tok *t, size_t maxd, long *out)
{
	long v = 0;

	if (t->n == 0 || t->n > maxd)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		if (t->p[i] < '0' || t->p[i] > '9')
			return false;
		v = v * 10 + (t->p[i] - '0');
	}
	*out = v;
	return true;
}

static int
maildate_month(const struct tok *t)
{
	if (t->n < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(t->p, maildate_months[i], 3) == 0)
			return i + 1;
	return 0;
}

static bool
maildate_wday(const struct tok *t)
{
	if (t->n < 3)
		return false;
	for (int i = 0; i < 7; i++)
		if (strncasecmp(t->p, maildate_wdays[i], 3) == 0)
			return true;
	return false;
}

/* "hh:mm", "hh:mm:ss" or "hh:mm:ss.frac": RFC 5322 section 3.3 makes the
 * seconds optional; the fraction is not in the RFC, but Exchange and some
 * webmail write it. The fraction is kept to the microsecond. */
static bool
maildate_time(const struct tok *t, long *h, long *mi, long *s, long *frac_us)
{
	struct tok part[3];
	size_t np = 0, start = 0, end = t->n;

	*frac_us = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->p[i] == '.') {
			end = i;
			break;
		}
	if (end < t->n) {
		long scale = 100000;

		if (end + 1 == t->n)
			return false;
		for (size_t i = end + 1; i < t->n; i++, scale /= 10) {
			if (t->p[i] < '0' || t->p[i] > '9')
				return false;
			*frac_us += (t->p[i] - '0') * scale;   /* digits past the sixth add 0 */
		}
	}
	for (size_t i = 0; i <= end; i++) {
		if (i == end || t->p[i] == ':') {
			if (np == 3)
				return false;   /* a fourth field */
			part[np].p = t->p + start;
			part[np].n = i - start;
			np++;
			start = i + 1;
		}
	}
	if (np < 2 || (np == 2 && end < t->n))
		return false;   /* a fraction needs seconds */
	*s = 0;
	if (!maildate_num(&part[0], 2, h) || !maildate_num(&part[1], 2, mi))
		return false;
	if (np == 3 && !maildate_num(&part[2], 2, s))
		return false;
	return *h <= 23 && *mi <= 59 && *s <= 60;
}

/* "+hhmm" or "-hhmm" (also "+hh:mm"). */
static bool
maildate_offset(const struct tok *t, int *min, enum maildate_zone *zone)
{
	char d[4];
	size_t nd = 0;

	if (t->n < 5 || (t->p[0] != '+' && t->p[0] != '-'))
		return false;
	for (size_t i = 1; i < t->n; i++) {
		if (t->p[i] == ':' && i == 3)
			continue;
		if (t->p[i] < '0' || t->p[i] > '9' || nd == 4)
			return false;
		d[nd++] = t->p[i];
	}
	if (nd != 4)
		return false;
	int hh = (d[0] - '0') * 10 + (d[1] - '0');
	int mm = (d[2] - '0') * 10 + (d[3] - '0');
	if (hh > 23 || mm > 59)
		return false;
	*min = (hh * 60 + mm) * (t->p[0] == '-' ? -1 : 1);
	/* RFC 5322 section 3.3: -0000 means the local offset is unknown. */
	*zone = t->p[0] == '-' && hh == 0 && mm == 0 ? MAILDATE_ZONE_UNTRUSTED : MAILDATE_ZONE_KNOWN;
	return true;
}

/* An offset or a zone name. Never fails: a word that is neither is an
 * unknown zone name, and the caller flags it. */
static void
maildate_zone_read(const struct tok *t, int *min, enum maildate_zone *zone)
{
	*min = 0;
	if (maildate_offset(t, min, zone))
		return;
	for (size_t i = 0; i < sizeof(maildate_zones) / sizeof(maildate_zones[0]); i++) {
		if (strlen(maildate_zones[i].name) == t->n &&
		    strncasecmp(t->p, maildate_zones[i].name, t->n) == 0) {
			*min = maildate_zones[i].min;
			*zone = MAILDATE_ZONE_KNOWN;
			return;
		}
	}
	/* Military zones (RFC 5322 section 4.3): their signs were defined
	 * backwards in RFC 822, so they are read as -0000. */
	if (t->n == 1 && ((t->p[0] >= 'A' && t->p[0] <= 'I') || (t->p[0] >= 'K' && t->p[0] <= 'Y') ||
	    (t->p[0] >= 'a' && t->p[0] <= 'i') || (t->p[0] >= 'k' && t->p[0] <= 'y'))) {
		*zone = MAILDATE_ZONE_UNTRUSTED;
		return;
	}
	*zone = MAILDATE_ZONE_UNKNOWN;
}

/* RFC 5322 section 4.3: two-digit years 00-49 are 2000-2049, 50-99 are
 * 1950-1999; three-digit years add 1900. */
static bool
maildate_year(const struct tok *t, long *y)
{
	if (!maildate_num(t, 4, y))
		return false;
	if (t->n == 2)
		*y += *y < 50 ? 2000 : 1900;
	else if (t->n == 3)
		*y += 1900;
	else if (t->n != 4)
		return false;
	return true;
}

static bool
maildate_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Words of b[0..n). A '-' between a letter and anything else also splits,
 * so INTERNALDATE's "17-Jul-1996" reads like "17 Jul 1996"; offsets
 * ("-0700") and times with an offset attached ("10:52:37-0700") stay
 * whole. */
static size_t
maildate_words(const char *b, size_t n, struct tok *t)
{
	size_t nt = 0;

	for (size_t k = 0; k < n && nt < MAILDATE_TOKENS;) {
		while (k < n && b[k] == ' ')
			k++;
		if (k == n)
			break;
		size_t start = k;

		t[nt].p = b + k;
		while (k < n && b[k] != ' ' && !(b[k] == '-' && k > start &&
		    (maildate_alpha(b[k - 1]) || (k + 1 < n && maildate_alpha(b[k + 1])))))
			k++;
		t[nt].n = (size_t)(b + k - t[nt].p);
		nt++;
		if (k < n && b[k] == '-')
			k++;
	}
	return nt;
}

struct maildate_fields {
	long day, year, h, mi, sec, frac_us;
	int mon, zmin;
	enum maildate_zone zone;
	const struct tok *ztok;
};

/* day month year time [zone] (RFC 5322 section 3.3, INTERNALDATE). */
static bool
maildate_dmy(const struct tok *t, size_t nt, size_t i, struct maildate_fields *f)
{
	if (nt < i + 4 || !maildate_num(&t[i], 2, &f->day))
		return false;
	f->mon = maildate_month(&t[i + 1]);
	if (f->mon == 0 || !maildate_year(&t[i + 2], &f->year) ||
	    !maildate_time(&t[i + 3], &f->h, &f->mi, &f->sec, &f->frac_us))
		return false;
	i += 4;
	if (i < nt) {
		f->ztok = &t[i];
		maildate_zone_read(&t[i], &f->zmin, &f->zone);
	}
	return true;
}

/* asctime: month day time [zone] year. */
static bool
maildate_asctime(const struct tok *t, size_t nt, size_t i, struct maildate_fields *f)
{
	if (nt < i + 4)
		return false;
	f->mon = maildate_month(&t[i]);
	if (f->mon == 0 || !maildate_num(&t[i + 1], 2, &f->day) ||
	    !maildate_time(&t[i + 2], &f->h, &f->mi, &f->sec, &f->frac_us))
		return false;
	i += 3;
	if (maildate_year(&t[i], &f->year))
		return true;
	f->ztok = &t[i];
	maildate_zone_read(&t[i], &f->zmin, &f->zone);
	return f->zone != MAILDATE_ZONE_UNKNOWN && i + 1 < nt && maildate_year(&t[i + 1], &f->year);
}

bool
maildate_read(const char *s, size_t len, struct maildate *out)
{
	char b[MAILDATE_MAX];
	size_t at[MAILDATE_MAX];   /* offset in s of each byte of b */
	size_t n = 0, depth = 0, nt, i = 0;
	struct tok t[MAILDATE_TOKENS];
	struct maildate_fields f = { .zone = MAILDATE_ZONE_NONE };

	/* Comments (CFWS) become white space, and so do commas and
	 * INTERNALDATE's quotes; a run of white space is kept as one space, so
	 * however long its comments, a date's words fit in b (text after the
	 * zone is ignored anyway). at[] keeps each byte's place in s. */
	for (size_t k = 0; k < len && n < sizeof(b); k++) {
		char c = s[k];

		if (c == '(') {
			depth++;
			c = ' ';
		} else if (c == ')' && depth > 0) {
			depth--;
			c = ' ';
		} else if (depth > 0 || c == ',' || c == '"' || c == '\t' || c == '\r' || c == '\n') {
			c = ' ';
		}
		if (c == ' ' && n > 0 && b[n - 1] == ' ')
			continue;
		at[n] = k;
		b[n++] = c;
	}
	nt = maildate_words(b, n, t);
	if (nt > 0 && maildate_month(&t[0]) == 0 && maildate_wday(&t[0]))
		i = 1;
	if (nt <= i)
		return false;
	if (!(t[i].p[0] >= '0' && t[i].p[0] <= '9' ? maildate_dmy(t, nt, i, &f) : maildate_asctime(t, nt, i, &f)))
		return false;
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned dim = mdays[f.mon - 1] + (f.mon == 2 && maildate_is_leap(f.year));
	if (f.day < 1 || (unsigned long)f.day > dim || f.year < 1900)
		return false;
	/* A leap second (":60") is read as :59, which keeps the order. */
	int64_t secs = maildate_days(f.year, (unsigned)f.mon, (unsigned)f.day) * 86400 +
	    f.h * 3600 + f.mi * 60 + (f.sec > 59 ? 59 : f.sec) - (int64_t)f.zmin * 60;
	out->us = secs * 1000000 + f.frac_us;
	out->zone = f.zone;
	out->offset_min = f.zone == MAILDATE_ZONE_KNOWN ? f.zmin : 0;
	out->zone_off = f.ztok != NULL ? at[f.ztok->p - b] : 0;
	out->zone_len = f.ztok != NULL ? f.ztok->n : 0;
	return true;
}

/* RFC 4155: "From " sender date. The sender is one word (a quoted local
 * part with spaces is rare enough to fall back to reading from the start). */
bool
maildate_read_from_line(const char *s, size_t len, struct maildate *out)
{
	size_t k = 0;

	if (len >= 5 && strncmp(s, "From ", 5) == 0)
		k = 5;
	while (k < len && s[k] == ' ')
		k++;
	size_t w = k;
	while (w < len && s[w] != ' ' && s[w] != '\t')
		w++;
	if (w < len && maildate_read(s + w, len - w, out)) {
		out->zone_off += w;
		return true;
	}
	if (!maildate_read(s + k, len - k, out))
		return false;
	out->zone_off += k;
	return true;
}

bool
maildate_parse(const char *s, size_t len, int64_t *us, bool *zone_known)
{
	struct maildate d;

	if (!maildate_read(s, len, &d))
		return false;
	*us = d.us;
	if (zone_known != NULL)
		*zone_known = d.zone == MAILDATE_ZONE_KNOWN;
	return true;
}

const char *
maildate_zone_name(enum maildate_zone z)
{
	switch (z) {
	case MAILDATE_ZONE_KNOWN:
		return "known";
	case MAILDATE_ZONE_UNKNOWN:
		return "unknown";
	case MAILDATE_ZONE_UNTRUSTED:
		return "untrusted";
	case MAILDATE_ZONE_NONE:
		break;
	}
	return "none";
}
