/* cli.c - commands and options only (interim: the full command set lands
 * when every stage it calls exists). */
#include "cli.h"
#include "exitcodes.h"
#include "util/xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

int64_t
cli_now_us(void)
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

static bool
cli_has_file(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool yes = stat(p, &st) == 0;

	free(p);
	return yes;
}

const char *
cli_templates_dir(const char *lang, const char *override)
{
	static char path[2 * PATH_MAX];
	char exe[PATH_MAX];
	const char *env = getenv("MAILCASE_TEMPLATES");
	ssize_t n;

	if (override != NULL) {
		snprintf(path, sizeof(path), "%s", override);
		return path;
	}
	if (env != NULL && *env != '\0') {
		snprintf(path, sizeof(path), "%s/%s", env, lang);
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/templates/%s", exe, lang);
			if (cli_has_file(path, "report.md.mustache"))
				return path;
			snprintf(path, sizeof(path), "%s/../share/mailcase/templates/%s", exe, lang);
			if (cli_has_file(path, "report.md.mustache"))
				return path;
		}
	}
	snprintf(path, sizeof(path), "%s/templates/%s", MC_DATADIR, lang);
	return path;
}

int
cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "version") == 0) {
		printf("mailcase %s\n", MC_VERSION);
		return MC_EXIT_OK;
	}
	fprintf(stderr, "usage: mailcase COMMAND [options]\n");
	return MC_EXIT_USAGE;
}
