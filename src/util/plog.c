#include "util/plog.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct plog {
	struct plog_entry *v;
	size_t n, cap, dropped;
};

static void plog_args_free(char **v, size_t n);

struct plog *
plog_new(void)
{
	return xcalloc(1, sizeof(struct plog));
}

void
plog_clear(struct plog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].source);
		free(l->v[i].where);
		free(l->v[i].message);
		free(l->v[i].fmt);
		plog_args_free(l->v[i].args, l->v[i].nargs);
	}
	l->n = 0;
	l->dropped = 0;
}

static void
plog_args_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* One conversion spec (from '%' to its conversion letter, at most 31 bytes)
 * formatted with its argument of type T, after the int arguments its '*'
 * width and precision take (C11 7.21.6.1p5). */
#define PLOG_ONE(T) do {						\
	T v_ = va_arg(ap, T);						\
	s = nstar == 0 ? xasprintf(spec, v_) :				\
	    nstar == 1 ? xasprintf(spec, star[0], v_) :			\
	    xasprintf(spec, star[0], star[1], v_);			\
} while (0)

char **
plog_args_split(const char *fmt, size_t *n, va_list ap)
{
	char **v = NULL, spec[32];
	const char *p = fmt, *start;
	size_t k = 0;

	*n = 0;
	while ((p = strchr(p, '%')) != NULL) {
		int nstar = 0, star[2] = { 0, 0 };
		char len[3] = "", conv, *s = NULL;
		size_t sl;

		start = p++;
		if (*p == '%') {
			p++;
			continue;
		}
		p += strspn(p, "-+ #0'");
		if (*p == '*') {
			star[nstar++] = va_arg(ap, int);
			p++;
		} else
			p += strspn(p, "0123456789");
		if (*p == '.') {
			p++;
			if (*p == '*') {
				star[nstar++] = va_arg(ap, int);
				p++;
			} else
				p += strspn(p, "0123456789");
		}
		if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
			memcpy(len, p, 2);
			p += 2;
		} else if (*p != '\0' && strchr("hljztL", *p) != NULL)
			len[0] = *p++;
		conv = *p++;
		sl = (size_t)(p - start);
		if (conv == '\0' || sl >= sizeof(spec))
			goto unknown;
		memcpy(spec, start, sl);
		spec[sl] = '\0';
		switch (conv) {
		case 'd': case 'i':
			if (strcmp(len, "l") == 0) PLOG_ONE(long);
			else if (strcmp(len, "ll") == 0) PLOG_ONE(long long);
			else if (strcmp(len, "j") == 0) PLOG_ONE(intmax_t);
			else if (strcmp(len, "z") == 0) PLOG_ONE(ssize_t);
			else if (strcmp(len, "t") == 0) PLOG_ONE(ptrdiff_t);
			else if (len[0] == '\0' || len[0] == 'h') PLOG_ONE(int);
			else goto unknown;
			break;
		case 'o': case 'u': case 'x': case 'X':
			if (strcmp(len, "l") == 0) PLOG_ONE(unsigned long);
			else if (strcmp(len, "ll") == 0) PLOG_ONE(unsigned long long);
			else if (strcmp(len, "j") == 0) PLOG_ONE(uintmax_t);
			else if (strcmp(len, "z") == 0) PLOG_ONE(size_t);
			else if (strcmp(len, "t") == 0) PLOG_ONE(ptrdiff_t);
			else if (len[0] == '\0' || len[0] == 'h') PLOG_ONE(unsigned);
			else goto unknown;
			break;
		case 'c':
			if (len[0] != '\0')
				goto unknown;
			PLOG_ONE(int);
			break;
		case 's':
			if (len[0] != '\0')
				goto unknown;
			PLOG_ONE(const char *);
			break;
		case 'p':
			PLOG_ONE(void *);
			break;
		case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A':
			if (strcmp(len, "L") == 0) PLOG_ONE(long double);
			else if (len[0] == '\0' || strcmp(len, "l") == 0) PLOG_ONE(double);
			else goto unknown;
			break;
		default:        /* %n, %ls, %lc and the like: not split */
			goto unknown;
		}
		v = xreallocarray(v, k + 1, sizeof(*v));
		v[k++] = s;
	}
	*n = k;
	return v != NULL ? v : xcalloc(1, sizeof(*v));
unknown:
	plog_args_free(v, k);
	return NULL;
}

void
plog_free(struct plog *l)
{
	if (l == NULL)
		return;
	plog_clear(l);
	free(l->v);
	free(l);
}

void
plog_add(struct plog *l, enum plog_level level, const char *code,
    const char *source, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plog_addv(l, level, code, source, where, NULL, fmt, ap);
	va_end(ap);
}

void
plog_addv(struct plog *l, enum plog_level level, const char *code,
    const char *source, const char *where, char *(*clean)(const char *),
    const char *fmt, va_list ap)
{
	struct plog_entry *e;
	va_list aq;
	size_t i;

	if (l == NULL)
		return;
	if (l->n >= PLOG_MAX) {
		l->dropped++;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	e = &l->v[l->n++];
	e->level = level;
	e->code = xstrdup(code ? code : "");
	e->source = xstrdup(source ? source : "");
	e->where = xstrdup(where ? where : "");
	va_copy(aq, ap);
	e->message = xvasprintf(fmt, ap);
	e->args = plog_args_split(fmt, &e->nargs, aq);
	va_end(aq);
	e->fmt = e->args != NULL ? xstrdup(fmt) : NULL;
	if (clean != NULL) {
		char *t = clean(e->message);

		free(e->message);
		e->message = t;
		for (i = 0; i < e->nargs; i++) {
			t = clean(e->args[i]);
			free(e->args[i]);
			e->args[i] = t;
		}
	}
}

size_t
plog_count(const struct plog *l)
{
	return l->n;
}

size_t
plog_dropped(const struct plog *l)
{
	return l->dropped;
}

const struct plog_entry *
plog_get(const struct plog *l, size_t i)
{
	return i < l->n ? &l->v[i] : NULL;
}

const char *
plog_level_name(enum plog_level level)
{
	switch (level) {
	case PLOG_INFO:
		return "info";
	case PLOG_WARN:
		return "warning";
	case PLOG_ERROR:
		return "error";
	}
	return "?";
}
