/* imap_fetch.c - the msg-att list of a FETCH response (RFC 9051 7.5.2 and
 * the formal syntax of section 9), INTERNALDATE and modified UTF-7 mailbox
 * names. See imap_fetch.h. */
#include "mail/imap_fetch.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Longest ENVELOPE kept as text; nesting of lists skipped. Both far above
 * what a server writes (an ENVELOPE is a few hundred bytes). */
#define ENVELOPE_MAX ((size_t)64 << 10)
#define LIST_DEPTH_MAX 64

/* The cursor walks the chunks; between chunk i and i+1 lies literal i. */
struct fcur {
	const struct slice *ch;
	size_t n, ci;
	struct rd r;
	int lit;        /* the literal cur_take() last stepped over */
	bool bad;
	bool cut;       /* a name or list was longer than its ceiling */
};

/* Notes an append that did not fit. */
static void
keep(struct fcur *c, bool ok)
{
	if (!ok)
		c->cut = true;
}

enum { C_END = -1, C_LIT = -2 };

static void
cur_init(struct fcur *c, const struct slice *ch, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->ch = ch;
	c->n = n;
	rd_init(&c->r, n ? ch[0].p : NULL, n ? ch[0].len : 0);
}

static int
cur_peek(const struct fcur *c)
{
	struct slice s;

	if (rd_peek(&c->r, 1, &s))
		return s.p[0];
	return c->ci + 1 < c->n ? C_LIT : C_END;
}

/* Consumes one byte, or the literal at the end of the chunk (C_LIT; its
 * index is then in c->lit). */
static int
cur_take(struct fcur *c)
{
	int ch = cur_peek(c);

	if (ch >= 0) {
		(void)rd_u8(&c->r);
	} else if (ch == C_LIT) {
		c->lit = (int)c->ci++;
		rd_init(&c->r, c->ch[c->ci].p, c->ch[c->ci].len);
	}
	return ch;
}

static void
cur_spaces(struct fcur *c)
{
	while (cur_peek(c) == ' ')
		(void)cur_take(c);
}

/* atom-char (RFC 9051 9): not a list, quote, literal or wildcard special;
 * '[' and ']' are handled by the caller for section names. */
static bool
atom_char(int ch)
{
	return ch > ' ' && ch < 0x7f && !strchr("(){\"[]", ch);
}

static char *
cur_atom(struct fcur *c)
{
	struct buf b;

	buf_init(&b, 1024);
	while (atom_char(cur_peek(c)))
		keep(c, buf_addc(&b, (char)cur_take(c)));
	return buf_take(&b);
}

/* A quoted string (RFC 9051 4.3: "\" escapes '"' and '\'), after the
 * opening quote; c->bad when it does not end. */
static char *
cur_quoted(struct fcur *c, size_t max)
{
	struct buf b;
	int ch;

	buf_init(&b, max);
	while ((ch = cur_take(c)) != '"') {
		if (ch < 0) {
			c->bad = true;
			break;
		}
		if (ch == '\\' && cur_peek(c) >= 0)
			ch = cur_take(c);
		keep(c, buf_addc(&b, (char)ch));
	}
	return buf_take(&b);
}

/* Skips one value (atom, quoted string, literal, or a list of them),
 * writing it as sent to repr when repr is not NULL (a literal as "{lit}"). */
static void
cur_skip_value(struct fcur *c, struct buf *repr, unsigned depth)
{
	int ch = cur_peek(c);

	if (ch == C_LIT) {
		(void)cur_take(c);
		if (repr)
			keep(c, buf_adds(repr, "{literal}"));
	} else if (ch == '"') {
		(void)cur_take(c);
		char *q = cur_quoted(c, ENVELOPE_MAX);
		if (repr)
			keep(c, buf_printf(repr, "\"%s\"", q));
		free(q);
	} else if (ch == '(') {
		(void)cur_take(c);
		if (repr)
			keep(c, buf_addc(repr, '('));
		if (depth >= LIST_DEPTH_MAX)
			c->bad = true;
		for (bool first = true; !c->bad; first = false) {
			cur_spaces(c);
			ch = cur_peek(c);
			if (ch == ')' || ch == C_END)
				break;
			if (repr && !first)
				keep(c, buf_addc(repr, ' '));
			cur_skip_value(c, repr, depth + 1);
		}
		if (cur_take(c) != ')')
			c->bad = true;
		if (repr)
			keep(c, buf_addc(repr, ')'));
	} else if (ch >= 0) {
		/* atoms, NIL, numbers; also flag names like \Seen */
		while ((ch = cur_peek(c)) >= 0 && ch != ' ' && ch != '(' && ch != ')') {
			(void)cur_take(c);
			if (repr)
				keep(c, buf_addc(repr, (char)ch));
		}
	} else {
		c->bad = true;
	}
}

static int64_t
cur_number(struct fcur *c)
{
	char *a = cur_atom(c), *e;
	long long v;

	errno = 0;
	v = strtoll(a, &e, 10);
	if (*a == 0 || *e != 0 || errno != 0 || v < 0) {
		c->bad = true;
		v = -1;
	}
	free(a);
	return v;
}

/* The section-spec of a name: "[...]" with any lists inside, then an
 * optional "<origin>" (RFC 9051 9, section and msg-att-static). */
static void
cur_section(struct fcur *c, struct buf *name, struct buf *sect, int64_t *origin)
{
	int ch, depth = 0;

	keep(c, buf_addc(name, (char)cur_take(c)));    /* '[' */
	while ((ch = cur_peek(c)) >= 0 && (ch != ']' || depth > 0)) {
		(void)cur_take(c);
		depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
		keep(c, buf_addc(name, (char)ch));
		keep(c, buf_addc(sect, (char)ch));
	}
	if (cur_take(c) != ']') {
		c->bad = true;
		return;
	}
	keep(c, buf_addc(name, ']'));
	if (cur_peek(c) == '<') {
		char *o;
		keep(c, buf_addc(name, (char)cur_take(c)));
		o = cur_atom(c);     /* digits; '>' is an atom char too */
		keep(c, buf_adds(name, o));
		*origin = strtoll(o, NULL, 10);
		free(o);
	}
}

/* What section text ("", "HEADER", "1.2.MIME", ...) names (RFC 9051
 * 6.4.5 section-spec). */
static enum imap_sect
sect_kind(const char *s, bool *nested)
{
	size_t n = strspn(s, "0123456789.");

	*nested = n > 0;
	if (n > 0 && s[n] == 0)
		return IMAP_SECT_PART;
	if (n > 0 && s[n - 1] != '.')
		return IMAP_SECT_OTHER;
	s += n;
	if (*s == 0)
		return IMAP_SECT_WHOLE;
	if (strcasecmp(s, "HEADER") == 0)
		return IMAP_SECT_HEADER;
	if (strncasecmp(s, "HEADER.FIELDS", 13) == 0)
		return IMAP_SECT_FIELDS;
	if (strcasecmp(s, "TEXT") == 0)
		return IMAP_SECT_TEXT;
	if (strcasecmp(s, "MIME") == 0)
		return IMAP_SECT_MIME;
	return IMAP_SECT_OTHER;
}

/* The value of a data item: nstring (RFC 9051 9): literal, quoted or NIL. */
static void
item_value(struct fcur *c, struct imap_fetch_item *it)
{
	int ch = cur_peek(c);

	if (ch == C_LIT) {
		(void)cur_take(c);
		it->lit = c->lit;
	} else if (ch == '"') {
		(void)cur_take(c);
		it->quoted = cur_quoted(c, SIZE_MAX / 2);
	} else {
		char *a = cur_atom(c);
		it->nil = strcasecmp(a, "NIL") == 0;
		c->bad = c->bad || !it->nil;
		free(a);
	}
}

/* A BODY[...], BINARY[...] or RFC822[.HEADER|.TEXT] attribute, its name
 * already read into base. */
static void
data_item(struct fcur *c, struct imap_fetch *f, const char *base, size_t max_items)
{
	struct imap_fetch_item it = { .origin = -1, .lit = -1 };
	struct buf name, sect;

	buf_init(&name, 4096);
	buf_init(&sect, 4096);
	keep(c, buf_adds(&name, base));
	if (cur_peek(c) == '[')
		cur_section(c, &name, &sect, &it.origin);
	else if (strcasecmp(base, "RFC822.HEADER") == 0)
		keep(c, buf_adds(&sect, "HEADER"));
	else if (strcasecmp(base, "RFC822.TEXT") == 0)
		keep(c, buf_adds(&sect, "TEXT"));
	it.binary = strcasecmp(base, "BINARY") == 0;
	it.sect = sect_kind(buf_str(&sect), &it.nested);
	cur_spaces(c);
	item_value(c, &it);
	it.name = text_clean(name.p ? name.p : "", name.len, 0);
	buf_free(&name);
	buf_free(&sect);
	if (f->nitems >= max_items) {
		f->dropped++;
		free(it.name);
		free(it.quoted);
		return;
	}
	f->items = xreallocarray(f->items, f->nitems + 1, sizeof(*f->items));
	f->items[f->nitems++] = it;
}

/* One attribute and its value. */
static void
fetch_att(struct fcur *c, struct imap_fetch *f, size_t max_items)
{
	char *name = cur_atom(c);
	struct buf b;

	cur_spaces(c);
	if (strcasecmp(name, "UID") == 0) {
		f->uid = cur_number(c);
	} else if (strcasecmp(name, "RFC822.SIZE") == 0) {
		f->rfc822_size = cur_number(c);
	} else if (strcasecmp(name, "MODSEQ") == 0 && cur_peek(c) == '(') {
		(void)cur_take(c);
		f->modseq = cur_number(c);
		c->bad = c->bad || cur_take(c) != ')';
	} else if (strcasecmp(name, "INTERNALDATE") == 0 && cur_peek(c) == '"') {
		(void)cur_take(c);
		free(f->internaldate);
		f->internaldate = cur_quoted(c, 256);
	} else if (strcasecmp(name, "FLAGS") == 0 || strcasecmp(name, "ENVELOPE") == 0) {
		bool env = name[0] == 'E' || name[0] == 'e';
		buf_init(&b, ENVELOPE_MAX);
		cur_skip_value(c, &b, 0);
		char **dst = env ? &f->envelope : &f->flags;
		free(*dst);
		*dst = buf_take(&b);
		if (!env && (*dst)[0] == '(') {     /* the list without its parentheses */
			size_t n = strlen(*dst);
			memmove(*dst, *dst + 1, n);
			if (n >= 2 && (*dst)[n - 2] == ')')
				(*dst)[n - 2] = 0;
		}
	} else if (strcasecmp(name, "BODY") == 0 && cur_peek(c) == '[') {
		data_item(c, f, "BODY", max_items);
	} else if (strcasecmp(name, "BINARY") == 0 || strncasecmp(name, "RFC822", 6) == 0) {
		data_item(c, f, name, max_items);
	} else {
		/* BODY, BODYSTRUCTURE, BINARY.SIZE[...], extensions: skipped */
		if (cur_peek(c) == '[') {
			struct buf n2, s2;
			int64_t o;
			buf_init(&n2, 4096);
			buf_init(&s2, 4096);
			cur_section(c, &n2, &s2, &o);
			buf_free(&n2);
			buf_free(&s2);
			cur_spaces(c);
		}
		cur_skip_value(c, NULL, 0);
	}
	free(name);
}

void
imap_fetch_parse(const struct slice *chunks, size_t nchunks, size_t max_items,
    struct imap_fetch *out)
{
	struct fcur c;

	memset(out, 0, sizeof(*out));
	out->rfc822_size = out->modseq = -1;
	cur_init(&c, chunks, nchunks);
	cur_spaces(&c);
	if (cur_take(&c) != '(') {
		out->malformed = true;
		return;
	}
	while (!c.bad) {
		cur_spaces(&c);
		int ch = cur_peek(&c);
		if (ch == ')' || ch == C_END)
			break;
		if (!atom_char(ch)) {
			c.bad = true;
			break;
		}
		fetch_att(&c, out, max_items);
	}
	if (!c.bad && cur_take(&c) != ')')
		c.bad = true;
	out->malformed = c.bad;
	out->cut = c.cut;
}

void
imap_fetch_free(struct imap_fetch *f)
{
	for (size_t i = 0; i < f->nitems; i++) {
		free(f->items[i].name);
		free(f->items[i].quoted);
	}
	free(f->items);
	free(f->flags);
	free(f->internaldate);
	free(f->envelope);
	memset(f, 0, sizeof(*f));
}

/* glibc's iconv knows modified UTF-7 as "UTF-7-IMAP" (since 2.36). */
char *
imap_mailbox_decode(const char *name)
{
	iconv_t cd;
	size_t inlen = strlen(name), outcap = inlen * 4 + 1, outlen = outcap - 1;
	char *in = (char *)name, *out, *o;

	if (strchr(name, '&') == NULL)
		return NULL;
	cd = iconv_open("UTF-8", "UTF-7-IMAP");
	if (cd == (iconv_t)-1)
		return NULL;
	out = o = xmalloc(outcap);
	if (iconv(cd, &in, &inlen, &o, &outlen) == (size_t)-1 || inlen != 0) {
		free(out);
		out = NULL;
	} else {
		*o = 0;
	}
	iconv_close(cd);
	return out;
}
