/* xalloc.h - allocation that cannot fail silently.
 *
 * Every allocation in mailcase goes through this family. On failure the run
 * ends with MC_EXIT_FATAL after a message on stderr (STYLE.md principle 8):
 * callers never check for NULL. Memory returned is owned by the caller and
 * released with free(). */
#ifndef MC_XALLOC_H
#define MC_XALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Ends the run: prints "mailcase: fatal: ..." and exits with MC_EXIT_FATAL. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
