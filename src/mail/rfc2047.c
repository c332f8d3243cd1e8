/* rfc2047.c - encoded-word labels mapped and split base64 words joined
 * before GMime decodes them. See rfc2047.h. */
#include "mail/rfc2047.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/charset.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* RFC 2047 section 2: encoded-word = "=?" charset "?" encoding "?"
 * encoded-text "?=", at most 75 characters; longer ones are common and
 * taken, up to this (a whole folded Subject in one word). */
#define WORD_MAX 4096

struct eword {
	const char *start, *end;     /* the whole word */
	char charset[64];            /* without an RFC 2231 "*language" */
	char enc;                    /* 'B' or 'Q' */
	const char *text;            /* encoded-text */
	size_t tlen;
};

/* The encoded-word at s, if one starts there. */
static bool
eword_at(const char *s, struct eword *w)
{
	const char *cs, *q1, *q2, *e;
	size_t n;

	if (s[0] != '=' || s[1] != '?')
		return false;
	cs = s + 2;
	q1 = strchr(cs, '?');
	if (q1 == NULL || q1 == cs || (size_t)(q1 - cs) >= sizeof(w->charset) || q1[1] == 0 ||
	    q1[2] != '?')
		return false;
	q2 = q1 + 2;
	e = strstr(q2 + 1, "?=");
	if (e == NULL || (size_t)(e - s) > WORD_MAX)
		return false;
	for (const char *p = q2 + 1; p < e; p++)
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			return false;
	n = (size_t)(q1 - cs);
	memcpy(w->charset, cs, n);
	w->charset[n] = 0;
	if (strchr(w->charset, '*'))
		*strchr(w->charset, '*') = 0;   /* RFC 2231 section 5 */
	w->enc = (char)g_ascii_toupper(q1[1]);
	if (w->enc != 'B' && w->enc != 'Q')
		return false;
	w->start = s;
	w->text = q2 + 1;
	w->tlen = (size_t)(e - w->text);
	w->end = e + 2;
	return true;
}

/* Only folding white space between two words (RFC 2047 section 6.2). */
static const char *
skip_fws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return p;
}

/* Decodes the base64 of one word, tolerating stray padding (GLib's
 * decoder stops a quantum at '=' and goes on). */
static void
b64_add(GByteArray *bytes, const struct eword *w)
{
	gint state = 0;
	guint save = 0;
	guchar *out = g_malloc(w->tlen + 3);
	gsize n;
	char *t = g_strndup(w->text, w->tlen);

	n = g_base64_decode_step(t, w->tlen, out, &state, &save);
	g_byte_array_append(bytes, out, (guint)n);
	g_free(out);
	g_free(t);
}

/* Writes a run of words from w on, of one charset and encoding B, as one
 * word; returns where the run ends. */
static const char *
join_run(struct buf *b, const struct eword *first, const char *dec, bool *ok, bool *changed)
{
	GByteArray *bytes = g_byte_array_new();
	struct eword w = *first, nx;
	const char *end = first->end;
	unsigned n = 0;
	gchar *enc;

	for (;;) {
		b64_add(bytes, &w);
		n++;
		end = w.end;
		if (!eword_at(skip_fws(w.end), &nx) || nx.enc != 'B' ||
		    strcasecmp(charset_decoder(nx.charset), dec) != 0)
			break;
		w = nx;
	}
	enc = g_base64_encode(bytes->data, bytes->len);
	*ok &= buf_printf(b, "=?%s?B?%s?=", dec, enc);
	*changed |= n > 1 || strcmp(dec, first->charset) != 0 ||
	    first->tlen % 4 != 0 || memchr(first->text, '=', first->tlen) != NULL;
	g_free(enc);
	g_byte_array_unref(bytes);
	return end;
}

char *
rfc2047_prepare(const char *value)
{
	struct buf b;
	struct eword w;
	const char *p = value;
	bool ok = true, changed = false;

	if (value == NULL || strstr(value, "=?") == NULL)
		return NULL;
	buf_init(&b, BUF_UNLIMITED);
	while (*p) {
		if (!eword_at(p, &w)) {
			ok &= buf_addc(&b, *p++);
			continue;
		}
		const char *dec = charset_decoder(w.charset);
		if (w.enc == 'B') {
			p = join_run(&b, &w, dec, &ok, &changed);
		} else {
			ok &= buf_printf(&b, "=?%s?Q?", dec) && buf_add(&b, w.text, w.tlen) &&
			    buf_adds(&b, "?=");
			changed |= strcmp(dec, w.charset) != 0;
			p = w.end;
		}
		/* the white space between two encoded-words is not text */
		if (eword_at(skip_fws(p), &w) && skip_fws(p) != p)
			p = skip_fws(p);
	}
	(void)ok;     /* an unlimited buffer refuses no append */
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}
