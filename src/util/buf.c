#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->capped = false;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	buf_init(b, b->max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->capped = false;
	if (b->p != NULL)
		b->p[0] = '\0';
}

static bool
buf_grow(struct buf *b, size_t n)
{
	size_t want;

	if (n > b->max || b->len > b->max - n) {
		b->capped = true;
		return false;
	}
	want = b->len + n + 1;
	if (want > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;

		while (ncap < want)
			ncap = ncap > (size_t)-1 / 4 ? want : ncap * 2;
		b->p = xrealloc(b->p, ncap);
		b->cap = ncap;
	}
	return true;
}

bool
buf_add(struct buf *b, const void *p, size_t n)
{
	if (!buf_grow(b, n))
		return false;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

bool
buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

bool
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

bool
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;
	bool ok;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	ok = buf_adds(b, s);
	free(s);
	return ok;
}

char *
buf_take(struct buf *b)
{
	char *p = b->p ? b->p : xstrdup("");

	buf_init(b, b->max);
	return p;
}

const char *
buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}
