/* fields.c - header fields and tag=value lists for the authenticity stages. */
#include "auth/fields.h"
#include "util/buf.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void
fields_push(struct auth_fields *f, size_t *cap, struct slice line, struct buf *val)
{
	const uint8_t *colon = memchr(line.p, ':', line.len);

	if (colon == NULL)
		return;        /* not a field: GMime flags these, this stage only reads fields */
	if (f->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		f->v = xreallocarray(f->v, *cap, sizeof(*f->v));
	}
	f->v[f->n].name = xstrndup((const char *)line.p, (size_t)(colon - line.p));
	f->v[f->n].value = buf_take(val);
	f->n++;
}

/* RFC 5322 section 2.2.3: a line starting with WSP continues the field
 * above; unfolding removes the CRLF only. */
struct auth_fields *
auth_fields_read(const void *raw, size_t len)
{
	struct auth_fields *f = xcalloc(1, sizeof(*f));
	struct rd r;
	struct slice line, cur = { 0 };
	struct buf val;
	size_t cap = 0;
	bool have = false;

	rd_init(&r, raw, len);
	buf_init(&val, AUTH_FIELD_LINE_MAX);
	for (;;) {
		bool got = rd_line(&r, AUTH_FIELD_LINE_MAX, &line);

		if (!got && rd_ok(&r) && rd_left(&r) > 0)
			line = rd_rest(&r), got = true;    /* a last line without LF */
		if (!got || line.len == 0 || (line.p[0] != ' ' && line.p[0] != '\t')) {
			if (have)
				fields_push(f, &cap, cur, &val);
			have = false;
			buf_reset(&val);
			if (!got || line.len == 0 || f->n >= AUTH_FIELDS_MAX)
				break;
			cur = line;
			const uint8_t *colon = memchr(line.p, ':', line.len);
			if (colon != NULL && !buf_add(&val, colon + 1, line.len - (size_t)(colon + 1 - line.p)))
				f->capped = true;
			have = true;
			continue;
		}
		if (have && !buf_add(&val, line.p, line.len))
			f->capped = true;
	}
	if (!rd_ok(&r) || f->n >= AUTH_FIELDS_MAX)
		f->capped = true;
	buf_free(&val);
	return f;
}

void
auth_fields_free(struct auth_fields *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].name);
		free(f->v[i].value);
	}
	free(f->v);
	free(f);
}

size_t
auth_fields_count(const struct auth_fields *f, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		n += strcasecmp(f->v[i].name, name) == 0;
	return n;
}

static bool
tags_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *
tags_trim(const char *s, size_t len)
{
	while (len > 0 && tags_wsp(*s))
		s++, len--;
	while (len > 0 && tags_wsp(s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* RFC 6376 section 3.2: tag-name = ALPHA *ALNUMPUNC (ALNUMPUNC: ALPHA,
 * DIGIT, "_"). */
static bool
tags_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

struct auth_tags *
auth_tags_parse(const char *s, size_t len)
{
	struct auth_tags *t = xcalloc(1, sizeof(*t));
	size_t off = 0, cap = 0;

	while (off < len) {
		const char *spec = s + off, *semi = memchr(spec, ';', len - off);
		size_t slen = semi ? (size_t)(semi - spec) : len - off;
		const char *eq = memchr(spec, '=', slen);
		char *name;

		off += slen + (semi != NULL);
		if (eq == NULL) {
			char *rest = tags_trim(spec, slen);
			if (*rest != '\0' && t->err == NULL)
				t->err = "a tag without '='";
			free(rest);
			continue;
		}
		name = tags_trim(spec, (size_t)(eq - spec));
		if (!tags_name_ok(name) || auth_tags_get(t, name) != NULL) {
			if (t->err == NULL)
				t->err = tags_name_ok(name) ? "a tag given twice" : "a malformed tag name";
			free(name);
			continue;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 16;
			t->v = xreallocarray(t->v, cap, sizeof(*t->v));
		}
		t->v[t->n].name = name;
		t->v[t->n++].value = tags_trim(eq + 1, slen - (size_t)(eq + 1 - spec));
	}
	return t;
}

void
auth_tags_free(struct auth_tags *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].value);
	}
	free(t->v);
	free(t);
}

const char *
auth_tags_get(const struct auth_tags *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return t->v[i].value;
	return NULL;
}

char *
auth_tags_squeeze(const char *v)
{
	char *o = xmalloc(strlen(v) + 1), *p = o;

	for (; *v; v++)
		if (!tags_wsp(*v))
			*p++ = *v;
	*p = '\0';
	return o;
}
