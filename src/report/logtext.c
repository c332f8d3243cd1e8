#include "report/logtext.h"
#include "report/logtext_int.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The catalogue sorted by English format, for bsearch: a log holds up to
 * PLOG_MAX entries per evidence file. */
static const struct logtext_msg **logtext_sorted;
static pthread_once_t logtext_once = PTHREAD_ONCE_INIT;

static int
logtext_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct logtext_msg *const *)a)->en,
	    (*(const struct logtext_msg *const *)b)->en);
}

static void
logtext_sort(void)
{
	size_t i;

	logtext_sorted = xreallocarray(NULL, logtext_ko_nmsgs ? logtext_ko_nmsgs : 1,
	    sizeof(*logtext_sorted));
	for (i = 0; i < logtext_ko_nmsgs; i++)
		logtext_sorted[i] = &logtext_ko_msgs[i];
	qsort(logtext_sorted, logtext_ko_nmsgs, sizeof(*logtext_sorted), logtext_cmp);
}

static const struct logtext_msg *
logtext_find(const char *fmt)
{
	struct logtext_msg key = { fmt, NULL, NULL };
	const struct logtext_msg *k = &key, **hit;

	if (fmt == NULL)
		return NULL;
	(void)pthread_once(&logtext_once, logtext_sort);
	hit = bsearch(&k, logtext_sorted, logtext_ko_nmsgs, sizeof(*logtext_sorted), logtext_cmp);
	return hit ? *hit : NULL;
}

size_t
logtext_nargs(const char *fmt)
{
	const char *p = fmt;
	size_t n = 0;

	while ((p = strchr(p, '%')) != NULL) {
		p++;
		if (*p == '%') {
			p++;
			continue;
		}
		n++;
		p += strspn(p, "-+ #0'*.0123456789hljztL");
		if (*p != '\0')
			p++;
	}
	return n;
}

/* One directive of a wording at p ('%' at p[0]): its argument number (from
 * 1; 0 for "%%") and conversion; the length, or 0 when it is none of
 * logtext.h's. */
static size_t
logtext_directive(const char *p, size_t *arg, char *conv)
{
	size_t i = 1, a = 0;

	if (p[1] == '%') {
		*arg = 0;
		*conv = '%';
		return 2;
	}
	while (p[i] >= '0' && p[i] <= '9' && a < 1000)
		a = a * 10 + (size_t)(p[i++] - '0');
	if (i == 1 || a == 0 || p[i] != '$' || p[i + 1] == '\0' || strchr("sdpq", p[i + 1]) == NULL)
		return 0;
	*arg = a;
	*conv = p[i + 1];
	return i + 2;
}

static const char *
logtext_phrase(const char *const *phrases, const char *s)
{
	size_t i;

	for (i = 0; phrases != NULL && phrases[i] != NULL && phrases[i + 1] != NULL; i += 2)
		if (strcmp(phrases[i], s) == 0)
			return phrases[i + 1];
	return s;
}

/* s with its digits grouped by thousands when it is a whole number of more
 * than four digits (Korean reports write 207,438바이트). */
static bool
logtext_add_number(struct buf *b, const char *s)
{
	size_t n = strlen(s), i, lead = s[0] == '-' ? 1 : 0;
	bool ok = true;

	if (n - lead < 5 || strspn(s + lead, "0123456789") != n - lead)
		return buf_adds(b, s);
	for (i = 0; i < n; i++) {
		if (i > lead && (n - i) % 3 == 0)
			ok &= buf_addc(b, ',');
		ok &= buf_addc(b, s[i]);
	}
	return ok;
}

static char *logtext_pattern_word(const struct logtext_pos *tab, size_t ntab, const char *s,
    int depth);

static char *
logtext_expand(const char *ko, const char *const *args, size_t n, const char *const *phrases,
    int depth)
{
	struct buf b;
	const char *p;

	buf_init(&b, 1 << 20);
	for (p = ko; *p != '\0'; ) {
		size_t arg, len;
		char conv;
		bool ok = true;

		if (*p != '%') {
			len = strcspn(p, "%");
			ok = buf_add(&b, p, len);
			p += len;
		} else if ((len = logtext_directive(p, &arg, &conv)) == 0 || arg > n) {
			buf_free(&b);
			return NULL;
		} else {
			if (arg == 0)
				ok = buf_addc(&b, '%');
			else if (conv == 'd')
				ok = logtext_add_number(&b, logtext_phrase(phrases, args[arg - 1]));
			else if (conv == 'p' || conv == 'q') {
				char *w = conv == 'p' ?
				    logtext_pattern_word(logtext_ko_pos, logtext_ko_npos, args[arg - 1],
				    depth + 1) :
				    logtext_pattern_word(logtext_ko_quoted, logtext_ko_nquoted, args[arg - 1],
				    depth + 1);

				ok = buf_adds(&b, w ? w : args[arg - 1]);
				free(w);
			}
			else
				ok = buf_adds(&b, logtext_phrase(phrases, args[arg - 1]));
			p += len;
		}
		if (!ok) {              /* a sentence of a megabyte: not a wording */
			buf_free(&b);
			return NULL;
		}
	}
	return buf_take(&b);
}

char *
logtext_sentence_ko(const char *fmt, const char *const *args, size_t n)
{
	const struct logtext_msg *m = logtext_find(fmt);

	if (m == NULL || n != logtext_nargs(fmt))
		return NULL;
	return logtext_expand(m->ko, args, n, m->phrases, 0);
}

/* ---- positions --------------------------------------------------------- */

#define LOGTEXT_POS_ARGS 4

/* Matches pattern pat against all of s; %s takes the shortest non-empty
 * text that lets the rest match. */
static bool
logtext_match(const char *pat, const char *s, const char **cap, size_t *caplen, size_t k)
{
	size_t len, max;

	while (*pat != '\0' && !(pat[0] == '%' && pat[1] == 's')) {
		if (*pat != *s)
			return false;
		pat++;
		s++;
	}
	if (*pat == '\0')
		return *s == '\0';
	if (k == LOGTEXT_POS_ARGS)
		return false;
	max = strlen(s);
	for (len = 1; len <= max; len++) {
		cap[k] = s;
		caplen[k] = len;
		if (logtext_match(pat + 2, s + len, cap, caplen, k + 1))
			return true;
	}
	return false;
}

/* s worded by the first pattern of tab that matches all of it; what each
 * %s took is worded again by tab, else kept as written. */
static char *
logtext_pattern_word(const struct logtext_pos *tab, size_t ntab, const char *where, int depth)
{
	size_t i, k;

	if (where == NULL || *where == '\0' || depth > 4)
		return NULL;
	for (i = 0; i < ntab; i++) {
		const char *cap[LOGTEXT_POS_ARGS];
		size_t caplen[LOGTEXT_POS_ARGS], n = 0;
		char *args[LOGTEXT_POS_ARGS] = { NULL };
		char *out;

		if (!logtext_match(tab[i].en, where, cap, caplen, 0))
			continue;
		n = logtext_nargs(tab[i].en);
		for (k = 0; k < n; k++) {
			char *piece = xstrndup(cap[k], caplen[k]);

			args[k] = logtext_pattern_word(tab, ntab, piece, depth + 1);
			if (args[k] == NULL)
				args[k] = piece;
			else
				free(piece);
		}
		out = logtext_expand(tab[i].ko, (const char *const *)args, n, NULL, depth);
		for (k = 0; k < n; k++)
			free(args[k]);
		return out;
	}
	return NULL;
}

char *
logtext_position_ko(const char *where)
{
	return logtext_pattern_word(logtext_ko_pos, logtext_ko_npos, where, 0);
}

/* ---- for tests --------------------------------------------------------- */

bool
logtext_entry(size_t i, const char **en, const char **ko)
{
	if (i >= logtext_ko_nmsgs)
		return false;
	*en = logtext_ko_msgs[i].en;
	*ko = logtext_ko_msgs[i].ko;
	return true;
}

bool
logtext_has(const char *fmt)
{
	return logtext_find(fmt) != NULL;
}

const char *
logtext_check(size_t i)
{
	const struct logtext_msg *m = &logtext_ko_msgs[i];
	size_t n = logtext_nargs(m->en), arg, len, k;
	unsigned char used[64] = { 0 };
	const char *p;
	char conv;

	if (n >= sizeof(used))
		return "more arguments than a wording can have";
	for (p = m->ko; (p = strchr(p, '%')) != NULL; p += len) {
		if ((len = logtext_directive(p, &arg, &conv)) == 0)
			return "a % that is none of %N$s, %N$d, %N$p, %N$q and %%";
		if (arg > n)
			return "an argument number past the format's arguments";
		used[arg] = 1;
	}
	for (k = 1; k <= n; k++)
		if (!used[k])
			return "an argument of the format is not used";
	for (k = 0; m->phrases != NULL && m->phrases[k] != NULL; k += 2)
		if (m->phrases[k + 1] == NULL)
			return "a phrase without its Korean words";
	return NULL;
}
