#include "util/plog.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

struct plog {
	struct plog_entry *v;
	size_t n, cap, dropped;
};

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
	}
	l->n = 0;
	l->dropped = 0;
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
	struct plog_entry *e;
	va_list ap;

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
	va_start(ap, fmt);
	e->message = xvasprintf(fmt, ap);
	va_end(ap);
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
