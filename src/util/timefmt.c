/* timefmt.c - see timefmt.h. */
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <sys/time.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t
timefmt_now_us(void)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	struct timeval tv;

	if (sde != NULL && *sde != '\0') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno == 0 && *end == '\0' && v >= 0)
			return (int64_t)v * 1000000;
	}
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

bool
timefmt_utc_sec(int64_t us, char *out, size_t n)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (n == 0)
		return false;
	out[0] = '\0';
	if (n < TIMEFMT_UTC_MAX || gmtime_r(&t, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		out[0] = '\0';
		return false;
	}
	return true;
}

bool
timefmt_iso8601_us(const char *s, int64_t *us, bool *zoned)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0, oh, om;
	const char *p;
	int64_t t;
	bool z = false;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n == 0)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1601)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = (int64_t)timegm(&tm);
	p = s + n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
		t -= (*p == '+' ? 1 : -1) * (int64_t)(oh * 3600 + om * 60);
		z = true;
	} else if (*p == 'Z') {
		z = true;
	}
	if (zoned)
		*zoned = z;
	*us = t * 1000000;
	return true;
}

bool
timefmt_zone_known(const char *zone)
{
	char path[4096], magic[4];
	int fd, n;
	ssize_t got;

	if (zone == NULL || zone[0] == '\0' || zone[0] == '/' || strstr(zone, "..") != NULL)
		return false;
	n = snprintf(path, sizeof(path), "%s/%s", TIMEFMT_ZONEINFO, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	got = read(fd, magic, sizeof(magic));
	close(fd);
	return got == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
}

char *
timefmt_zone_enter(const char *zone)
{
	const char *cur = getenv("TZ");
	char *saved = cur != NULL ? xstrdup(cur) : NULL;

	setenv("TZ", zone, 1);
	tzset();
	return saved;
}

void
timefmt_zone_leave(char *saved)
{
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

bool
timefmt_local_sec(int64_t us, char *out, size_t n)
{
	time_t t = (time_t)(us / 1000000 - (us % 1000000 < 0));
	struct tm tm;
	char base[TIMEFMT_LOCAL_MAX], off[8];
	int k;

	if (n == 0)
		return false;
	out[0] = '\0';
	if (n < TIMEFMT_LOCAL_MAX || localtime_r(&t, &tm) == NULL ||
	    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0 ||
	    strftime(off, sizeof(off), "%z", &tm) != 5)
		return false;
	k = snprintf(out, n, "%s%.3s:%s", base, off, off + 3);
	if (k < 0 || (size_t)k >= n) {
		out[0] = '\0';
		return false;
	}
	return true;
}
