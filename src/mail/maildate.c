/* maildate.c - RFC 5322 section 3.3 date-time, with the obsolete syntax of
 * section 4.3, into microseconds since the epoch, UTC. */
#include "mail/maildate.h"

#include <string.h>
#include <strings.h>

/* A date never needs more; longer input is cut (the tail is ignored anyway). */
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
 * zones; the others are common in real headers (offsets in minutes). */
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

/* "hh:mm" or "hh:mm:ss", optionally with a fraction the RFC does not
 * allow but some MTAs write. */
static bool
maildate_time(const struct tok *t, long *h, long *mi, long *s)
{
	struct tok part[3];
	size_t np = 0, start = 0, end = t->n;

	for (size_t i = 0; i < t->n; i++)
		if (t->p[i] == '.') {
			end = i;
			break;
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
	if (np < 2)
		return false;
	*s = 0;
	if (!maildate_num(&part[0], 2, h) || !maildate_num(&part[1], 2, mi))
		return false;
	if (np == 3 && !maildate_num(&part[2], 2, s))
		return false;
	return *h <= 23 && *mi <= 59 && *s <= 60;
}

/* "+hhmm", "-hhmm" (also "+hh:mm"), or a zone name. */
static bool
maildate_zone(const struct tok *t, int *min, bool *known)
{
	if (t->n >= 5 && (t->p[0] == '+' || t->p[0] == '-')) {
		char d[4];
		size_t nd = 0;

		for (size_t i = 1; i < t->n && nd < 4; i++) {
			if (t->p[i] == ':' && i == 3)
				continue;
			if (t->p[i] < '0' || t->p[i] > '9')
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
		*known = !(t->p[0] == '-' && hh == 0 && mm == 0);
		return true;
	}
	for (size_t i = 0; i < sizeof(maildate_zones) / sizeof(maildate_zones[0]); i++) {
		if (strlen(maildate_zones[i].name) == t->n &&
		    strncasecmp(t->p, maildate_zones[i].name, t->n) == 0) {
			*min = maildate_zones[i].min;
			*known = true;
			return true;
		}
	}
	/* Military zones (RFC 5322 section 4.3): their signs were defined
	 * backwards in RFC 822, so they are read as -0000. */
	if (t->n == 1 && ((t->p[0] >= 'A' && t->p[0] <= 'I') || (t->p[0] >= 'K' && t->p[0] <= 'Y') ||
	    (t->p[0] >= 'a' && t->p[0] <= 'i') || (t->p[0] >= 'k' && t->p[0] <= 'y'))) {
		*min = 0;
		*known = false;
		return true;
	}
	return false;
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

bool
maildate_parse(const char *s, size_t len, int64_t *us, bool *zone_known)
{
	char b[MAILDATE_MAX];
	size_t n = 0, depth = 0;
	struct tok t[MAILDATE_TOKENS];
	size_t nt = 0, i = 0;
	long day, year, h, mi, sec;
	int mon, zmin = 0;
	bool known = false;

	/* Comments (CFWS) become spaces; commas separate like spaces. */
	for (size_t k = 0; k < len && n < sizeof(b); k++) {
		char c = s[k];

		if (c == '(') {
			depth++;
			c = ' ';
		} else if (c == ')' && depth > 0) {
			depth--;
			c = ' ';
		} else if (depth > 0 || c == ',' || c == '\t' || c == '\r' || c == '\n') {
			c = ' ';
		}
		b[n++] = c;
	}
	for (size_t k = 0; k < n && nt < MAILDATE_TOKENS;) {
		while (k < n && b[k] == ' ')
			k++;
		if (k == n)
			break;
		t[nt].p = b + k;
		while (k < n && b[k] != ' ')
			k++;
		t[nt].n = (size_t)(b + k - t[nt].p);
		nt++;
	}
	if (nt > 0 && maildate_month(&t[0]) == 0 && maildate_wday(&t[0]))
		i = 1;
	if (nt < i + 4)
		return false;
	if (maildate_num(&t[i], 2, &day)) {
		/* day month year time [zone] */
		mon = maildate_month(&t[i + 1]);
		if (mon == 0 || !maildate_year(&t[i + 2], &year) ||
		    !maildate_time(&t[i + 3], &h, &mi, &sec))
			return false;
		i += 4;
		if (i < nt && !maildate_zone(&t[i], &zmin, &known))
			zmin = 0;
	} else {
		/* asctime: month day time [zone] year */
		mon = maildate_month(&t[i]);
		if (mon == 0 || !maildate_num(&t[i + 1], 2, &day) ||
		    !maildate_time(&t[i + 2], &h, &mi, &sec))
			return false;
		i += 3;
		if (i < nt && !maildate_year(&t[i], &year)) {
			if (!maildate_zone(&t[i], &zmin, &known))
				return false;
			i++;
			if (i >= nt || !maildate_year(&t[i], &year))
				return false;
		}
		if (i >= nt)
			return false;
	}
	static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned dim = mdays[mon - 1] + (mon == 2 && maildate_is_leap(year));
	if (day < 1 || (unsigned long)day > dim || year < 1900)
		return false;
	int64_t secs = maildate_days(year, (unsigned)mon, (unsigned)day) * 86400 +
	    h * 3600 + mi * 60 + (sec > 59 ? 59 : sec) - (int64_t)zmin * 60;
	*us = secs * 1000000;
	if (zone_known != NULL)
		*zone_known = known;
	return true;
}
