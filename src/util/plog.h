/* plog.h - the processing log: what could not be read, and why.
 *
 * Every stage records malformed input, gaps, conflicts and hit ceilings
 * here instead of printing them (STYLE.md principles 3 and 8). An entry names
 * the evidence file and a position in it ("frame 63", "offset 1234",
 * "message 3, part 2"). The driver writes the entries into the case database
 * with the evidence they belong to; the report lists them.
 *
 * Beside the formatted English sentence an entry keeps its format string and
 * each of its conversions formatted alone (args), so that the report can word
 * the sentence in another language, with the arguments in that language's
 * order (report/logtext.h). A format whose conversions cannot be split
 * (%n, or one plog does not know) keeps the sentence only (fmt NULL).
 *
 * At most PLOG_MAX entries are kept; past that only a count is kept, and the
 * report says how many were not listed. Strings are copied. */
#ifndef MC_PLOG_H
#define MC_PLOG_H

#include <stdarg.h>
#include <stddef.h>

enum plog_level { PLOG_INFO, PLOG_WARN, PLOG_ERROR };

struct plog_entry {
	enum plog_level level;
	char *code;     /* short stable key, e.g. "tcp.gap", "mime.base64" */
	char *source;   /* evidence file (or artifact) the entry is about */
	char *where;    /* position within it; "" when none */
	char *message;  /* one plain sentence */
	char *fmt;      /* the printf format it was made from, or NULL */
	char **args;    /* nargs strings: fmt's conversions, each formatted alone */
	size_t nargs;
};

#define PLOG_MAX 100000

struct plog;

struct plog *plog_new(void);
void plog_free(struct plog *l);
void plog_add(struct plog *l, enum plog_level level, const char *code,
    const char *source, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* plog_add for the stages' own logging helpers (a format and its va_list).
 * clean, when not NULL, is applied to the sentence and to each argument (a
 * new string from a borrowed one), e.g. to make excerpts of evidence text. */
void plog_addv(struct plog *l, enum plog_level level, const char *code,
    const char *source, const char *where, char *(*clean)(const char *),
    const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));
/* The conversions of fmt formatted alone, as plog_add stores them: a new
 * array of *n new strings (free each and the array), or NULL (and *n 0)
 * when fmt holds a conversion plog cannot split. */
char **plog_args_split(const char *fmt, size_t *n, va_list ap);
size_t plog_count(const struct plog *l);
/* Entries that were counted but not kept because PLOG_MAX was reached. */
size_t plog_dropped(const struct plog *l);
const struct plog_entry *plog_get(const struct plog *l, size_t i);
/* Forgets all entries (after the driver has stored them). */
void plog_clear(struct plog *l);
const char *plog_level_name(enum plog_level level);

#endif
