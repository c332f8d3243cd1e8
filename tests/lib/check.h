/* check.h - the unit-test harness.
 *
 * A test file defines TEST(name) functions and a main() that RUNs them and
 * returns check_done(). Each test prints one line, "PASS: file:name" or
 * "FAIL: file:name: reason", which tests/run.sh counts. A failed CHECK ends
 * the test it is in. */
#ifndef MC_CHECK_H
#define MC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void check_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void check_run(const char *file, const char *name, void (*fn)(void));
void check_skip(const char *file, const char *name, const char *why);
int check_done(void);
bool check_failed_now(void);
/* A fresh empty directory for this test binary: tests/tmp/<prog>/<name>. */
const char *check_tmpdir(const char *name);
/* The shared corpus (../shared/corpus) or NULL when it is absent. */
const char *check_corpus(void);
/* Reads a whole file; NULL when it cannot. *len may be NULL. free() it. */
char *check_slurp(const char *path, size_t *len);

#define TEST(name) static void name(void)
#define RUN(name) check_run(__FILE__, #name, name)
#define SKIP(name, why) check_skip(__FILE__, #name, why)

#define CHECK(cond) do { \
	if (!(cond)) { check_fail(__FILE__, __LINE__, "%s", #cond); return; } \
} while (0)

#define CHECK_INT(a, b) do { \
	long long check_a_ = (long long)(a), check_b_ = (long long)(b); \
	if (check_a_ != check_b_) { \
		check_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, check_a_, check_b_); \
		return; } \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	if (check_a_ == NULL || check_b_ == NULL || strcmp(check_a_, check_b_) != 0) { \
		check_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a, \
		    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
		return; } \
} while (0)

#endif
