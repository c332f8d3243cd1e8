/* maildate.h - RFC 5322 dates (section 3.3) as UTC, including the obsolete
 * forms of section 4.3 (two- and three-digit years, named and military
 * zones, comments and extra white space) and the asctime() form some MTAs
 * still write. Pure: string in, number out. */
#ifndef MC_MAILDATE_H
#define MC_MAILDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses the date in s[0..len) (borrowed, need not be NUL terminated) into
 * microseconds since the epoch, UTC. Text after the zone is ignored. False
 * when no complete, in-range date is found. *zone_known (may be NULL) is set
 * false for "-0000", a missing zone and the military letters, whose offset
 * RFC 5322 section 4.3 says cannot be trusted. */
bool maildate_parse(const char *s, size_t len, int64_t *us, bool *zone_known);

/* Days since 1970-01-01 for a proleptic Gregorian date (month 1-12). */
int64_t maildate_days(int64_t y, unsigned m, unsigned d);

#endif
