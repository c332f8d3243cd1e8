/* maildate.h - every date the program reads from mail, as UTC: RFC 5322
 * section 3.3 date-time, the obsolete forms of section 4.3 (two- and
 * three-digit years, named and military zones, comments and extra white
 * space), the zone names real headers carry (KST, JST, CET, CEST, BST, IST
 * as India, HKT, SGT...), fractional and missing seconds, IMAP INTERNALDATE
 * (RFC 3501 section 9, RFC 9051: "17-Jul-1996 02:44:25 -0700") and the
 * asctime() form of mbox From_ lines and some MTAs ("Tue Jul  1 10:52:37
 * 2003"). Pure: string in, numbers out; no I/O, no locale, no TZ. */
#ifndef MC_MAILDATE_H
#define MC_MAILDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the date said about its zone. Only MAILDATE_ZONE_KNOWN gives a
 * trustworthy instant; for the others the time is read as UTC and the
 * caller flags it. */
enum maildate_zone {
	MAILDATE_ZONE_KNOWN,       /* "+0900", "KST", "GMT", "Z"... */
	MAILDATE_ZONE_UNKNOWN,     /* a zone name this table does not know ("XYZ") */
	MAILDATE_ZONE_UNTRUSTED,   /* "-0000" or a military letter (RFC 5322 sections 3.3, 4.3) */
	MAILDATE_ZONE_NONE,        /* no zone written (asctime, some INTERNALDATEs) */
};

struct maildate {
	int64_t us;                /* microseconds since the epoch, UTC */
	enum maildate_zone zone;
	int offset_min;            /* the offset applied (0 unless zone is KNOWN) */
	size_t zone_off, zone_len; /* the zone as written, within the input; len 0 if none */
};

/* Parses the date in s[0..len) (borrowed, need not be NUL terminated).
 * Text after the zone is ignored. False when no complete, in-range date
 * is found (*out is then untouched). */
bool maildate_read(const char *s, size_t len, struct maildate *out);

/* An mbox "From " separator line (RFC 4155): "From sender date", with or
 * without the leading "From " and the line end. */
bool maildate_read_from_line(const char *s, size_t len, struct maildate *out);

/* The older interface, kept for callers: *zone_known (may be NULL) is true
 * only for MAILDATE_ZONE_KNOWN. */
bool maildate_parse(const char *s, size_t len, int64_t *us, bool *zone_known);

/* Days since 1970-01-01 for a proleptic Gregorian date (month 1-12). */
int64_t maildate_days(int64_t y, unsigned m, unsigned d);

/* Stable short code of a zone state: "known", "unknown", "untrusted",
 * "none". */
const char *maildate_zone_name(enum maildate_zone z);

#endif
