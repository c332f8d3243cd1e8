/* timefmt.c - see timefmt.h. */
#include "util/timefmt.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/time.h>
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
