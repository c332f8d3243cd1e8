#include "check.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int check_passed, check_failed_total;
static bool check_cur_failed;

void
check_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (check_cur_failed)
		return;
	check_cur_failed = true;
	printf("  at %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static const char *
check_base(const char *file)
{
	const char *s = strrchr(file, '/');

	return s ? s + 1 : file;
}

void
check_run(const char *file, const char *name, void (*fn)(void))
{
	check_cur_failed = false;
	fflush(stdout);
	fn();
	if (check_cur_failed) {
		printf("FAIL: %s:%s\n", check_base(file), name);
		check_failed_total++;
	} else {
		printf("PASS: %s:%s\n", check_base(file), name);
		check_passed++;
	}
	fflush(stdout);
}

void
check_skip(const char *file, const char *name, const char *why)
{
	printf("SKIP: %s:%s: %s\n", check_base(file), name, why);
}

bool
check_failed_now(void)
{
	return check_cur_failed;
}

int
check_done(void)
{
	return check_failed_total ? 1 : 0;
}

static void
check_rmrf(const char *path)
{
	char *cmd;
	size_t n = strlen(path) + 32;

	cmd = malloc(n);
	snprintf(cmd, n, "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", path);
	free(cmd);
}

const char *
check_tmpdir(const char *name)
{
	static char path[4096];
	extern char *program_invocation_short_name;

	snprintf(path, sizeof(path), "tests/tmp/%s", program_invocation_short_name);
	mkdir("tests/tmp", 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "tests/tmp/%s/%s", program_invocation_short_name, name);
	check_rmrf(path);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		perror(path);
	return path;
}

const char *
check_corpus(void)
{
	const char *env = getenv("MC_CORPUS");
	static const char *dflt = "../shared/corpus";
	struct stat st;

	if (env != NULL && *env != '\0')
		return stat(env, &st) == 0 ? env : NULL;
	return stat(dflt, &st) == 0 && S_ISDIR(st.st_mode) ? dflt : NULL;
}

char *
check_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, n = 0, r;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(p, cap + 1);
		}
		r = fread(p + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}
