/* timefmt.h - the clock of a run and times written as text, shared by the
 * commands (cli.c, cli_diff.c) and what they produce. */
#ifndef MC_TIMEFMT_H
#define MC_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Now", microseconds since the epoch: SOURCE_DATE_EPOCH (seconds) when it
 * is set and valid, so that two runs give byte-identical output
 * (reproducible-builds.org/specs/source-date-epoch); else the clock. */
int64_t timefmt_now_us(void);

/* Room for timefmt_utc_sec()'s text with its NUL. */
#define TIMEFMT_UTC_MAX 32

/* us as ISO 8601 in UTC to the second, "2009-10-10T13:35:31Z" (RFC 3339
 * section 5.6), into out (n >= TIMEFMT_UTC_MAX). false, with out empty,
 * when the time cannot be shown (out of gmtime's range, or n too small). */
bool timefmt_utc_sec(int64_t us, char *out, size_t n) __attribute__((warn_unused_result));

/* An ISO 8601 / W3CDTF date-time ("2009-10-10T17:58:00Z", optional
 * fraction, "Z" or "+09:00" offset) in microseconds UTC. A time without an
 * offset is read as UTC; *zoned (may be NULL) says whether an offset (or
 * Z) was written. False when s is not such a date-time. */
bool timefmt_iso8601_us(const char *s, int64_t *us, bool *zoned);

/* The folder of the tz database (IANA time zones) that --timezone names
 * are looked up in. */
#define TIMEFMT_ZONEINFO "/usr/share/zoneinfo"

/* True when zone names a time zone of the tz database: a relative name
 * without ".." whose file under TIMEFMT_ZONEINFO is a TZif file (RFC 8536
 * section 3.1: the magic "TZif"). Asked before a run writes anything, and by
 * the report model before it converts a time. */
bool timefmt_zone_known(const char *zone);

/* Local times in a zone of the tz database. The C library converts in the
 * zone TZ names, so a run that shows local times sets TZ for the
 * conversions and gives it back at once (UTC stays the reference for
 * everything else):
 *
 *	char *saved = timefmt_zone_enter("Asia/Seoul");
 *	ok = timefmt_local_sec(us, out, sizeof(out));   // any number of times
 *	timefmt_zone_leave(saved);                       // frees saved
 *
 * Not thread-safe (TZ is process-wide); the report model converts on one
 * thread. The zone must be known (timefmt_zone_known). */
char *timefmt_zone_enter(const char *zone) __attribute__((warn_unused_result));
void timefmt_zone_leave(char *saved);

/* us in the zone entered as ISO 8601 to the second with its offset,
 * "2009-10-10T22:35:31+09:00" (RFC 3339 section 5.6; a fraction is cut),
 * into out (n >= TIMEFMT_LOCAL_MAX). False, with out empty, when the time
 * cannot be shown. */
#define TIMEFMT_LOCAL_MAX 40
bool timefmt_local_sec(int64_t us, char *out, size_t n) __attribute__((warn_unused_result));

#endif
