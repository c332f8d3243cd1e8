/* text.c - bytes from evidence as carriable text (see text.h). */
#include "util/text.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t
text_utf8_len(const unsigned char *p, size_t avail)
{
	uint32_t cp;
	size_t n, i;

	if (avail == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* RFC 3629 section 3: no overlong forms, no surrogates, no more than
	 * U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Unicode bidirectional formatting characters (UAX #9 section 2): LRM,
 * RLM, LRE..RLO, LRI..PDI. */
static uint32_t
text_bidi(const unsigned char *p, size_t n)
{
	uint32_t cp;

	if (n != 3 || p[0] != 0xe2)
		return 0;
	cp = ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
	if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return cp;
	return 0;
}

static bool
text_ctl_kept(const unsigned char *s, size_t i, size_t len, unsigned flags)
{
	if (s[i] == '\t')
		return true;
	if (!(flags & TEXT_LINES))
		return false;
	return s[i] == '\n' || (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n');
}

bool
text_is_clean(const void *p, size_t len, unsigned flags)
{
	const unsigned char *s = p;
	size_t i = 0, n;

	while (i < len) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			i++;
			continue;
		}
		if (s[i] < 0x80 && !text_ctl_kept(s, i, len, flags))
			return false;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = text_utf8_len(s + i, len - i);
		if (n == 0 || text_bidi(s + i, n))
			return false;
		i += n;
	}
	return true;
}

char *
text_clean(const void *p, size_t len, unsigned flags)
{
	const unsigned char *s = p;
	struct buf b;
	size_t i = 0, n;
	bool ok = true;
	uint32_t cp;

	if (text_is_clean(p, len, flags))
		return xstrndup(len ? p : "", len);
	buf_init(&b, BUF_UNLIMITED);
	while (i < len) {
		if ((s[i] >= 0x20 && s[i] < 0x7f) || (s[i] < 0x80 && text_ctl_kept(s, i, len, flags))) {
			ok &= buf_addc(&b, (char)s[i++]);
			continue;
		}
		n = s[i] < 0x80 ? 0 : text_utf8_len(s + i, len - i);
		if (n == 0) {
			ok &= buf_printf(&b, "\\x%02X", s[i++]);
			continue;
		}
		if ((cp = text_bidi(s + i, n)) != 0)
			ok &= buf_printf(&b, "\\u%04X", (unsigned)cp);
		else
			ok &= buf_add(&b, s + i, n);
		i += n;
	}
	(void)ok;    /* an unlimited buffer refuses no append */
	return buf_take(&b);
}

char *
text_clean_str(const char *s, unsigned flags)
{
	return s ? text_clean(s, strlen(s), flags) : NULL;
}

char *
text_file_name(const char *name, size_t max)
{
	char *c = text_clean_str(name != NULL ? name : "", 0), *p, *ext;
	size_t n, elen;

	for (p = c; *p != '\0'; p++) {
		unsigned char u = (unsigned char)*p;

		if (u < 0x80 && !isalnum(u) && u != '.' && u != '-' && u != '_')
			*p = '_';
	}
	if (c[0] == '.')
		c[0] = '_';
	n = strlen(c);
	if (n == 0) {
		free(c);
		return xstrdup("file");
	}
	if (n <= max || max < 16)
		return c;
	ext = strrchr(c, '.');
	elen = ext != NULL && strlen(ext) <= 10 ? strlen(ext) : 0;
	n = max - elen;
	while (n > 0 && ((unsigned char)c[n] & 0xc0) == 0x80)
		n--;                 /* not inside a UTF-8 character */
	memmove(c + n, c + strlen(c) - elen, elen + 1);
	return c;
}
