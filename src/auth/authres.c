/* authres.c - Authentication-Results (RFC 8601 section 2.2),
 * ARC-Authentication-Results (RFC 8617 section 4.1.1) and Received-SPF
 * (RFC 7208 section 9.1) read through a bounded reader: a value is a token
 * or a quoted-string, CFWS (white space and nested comments, RFC 5322
 * section 3.2.2) may come between any two of them. */
#include "auth/authres.h"
#include "util/buf.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Comment nesting followed; deeper is malformed (RFC 5322 allows any, no
 * writer nests more than a level or two). */
#define AUTHRES_COMMENT_DEPTH 8

static bool
ar_peek(const struct rd *r, uint8_t *c)
{
	struct slice s;

	if (!rd_peek(r, 1, &s))
		return false;
	*c = s.p[0];
	return true;
}

/* Skips white space and comments; the first comment's text (without its
 * parentheses) goes to *comment when comment is not NULL and empty. */
static void
ar_cfws(struct rd *r, char **comment)
{
	uint8_t c;

	while (ar_peek(r, &c)) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			rd_skip(r, 1);
			continue;
		}
		if (c != '(')
			return;
		size_t start = r->off + 1, depth = 0;

		do {
			c = rd_u8(r);
			if (c == '\\')
				(void)rd_u8(r);
			else if (c == '(' && ++depth > AUTHRES_COMMENT_DEPTH)
				rd_fail(r, "comment nested too deep");
			else if (c == ')')
				depth--;
		} while (rd_ok(r) && depth > 0);
		if (!rd_ok(r))
			return;
		if (comment != NULL && *comment == NULL)
			*comment = xstrndup((const char *)r->p + start, r->off - 1 - start);
	}
}

static bool
ar_special(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '=' || c == '(' ||
	    c == ')' || c == '"';
}

/* A token (up to the next special), or a quoted-string without its
 * quotes; NULL when there is none. Lower-cased when lower. */
static char *
ar_value(struct rd *r, bool lower)
{
	uint8_t c;
	size_t start = r->off;
	char *v;

	if (!ar_peek(r, &c))
		return NULL;
	if (c == '"') {
		struct buf b;
		bool ok = true;

		buf_init(&b, AUTHRES_FIELD_MAX);
		rd_skip(r, 1);
		for (;;) {
			c = rd_u8(r);
			if (!rd_ok(r) || c == '"')
				break;
			if (c == '\\')
				c = rd_u8(r);
			ok = ok && buf_addc(&b, (char)c);
		}
		if (!rd_ok(r) || !ok) {
			buf_free(&b);
			return NULL;
		}
		v = b.len ? buf_take(&b) : xstrdup("");
		buf_free(&b);
	} else {
		while (ar_peek(r, &c) && !ar_special(c))
			rd_skip(r, 1);
		if (r->off == start)
			return NULL;
		v = xstrndup((const char *)r->p + start, r->off - start);
	}
	for (char *p = v; lower && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return v;
}

static bool
ar_take(struct rd *r, uint8_t want)
{
	uint8_t c;

	if (!ar_peek(r, &c) || c != want)
		return false;
	rd_skip(r, 1);
	return true;
}

static void
ar_prop_add(char **props, const char *k, const char *v)
{
	char *n = *props ? xasprintf("%s %s=%s", *props, k, v) : xasprintf("%s=%s", k, v);

	free(*props);
	*props = n;
}

static void
ar_fail(struct authres *a, const char *why)
{
	if (a->err == NULL)
		a->err = why;
}

/* resinfo (RFC 8601 section 2.2): method=result, then reason= and
 * ptype.property=value pairs until the next ";". */
static void
ar_resinfo(struct rd *r, struct authres *a)
{
	struct authres_method m = { 0 };
	char *slash;

	m.method = ar_value(r, true);
	ar_cfws(r, NULL);
	if (m.method == NULL || !ar_take(r, '=')) {
		free(m.method);
		ar_fail(a, "a result without method=result");
		rd_fail(r, "no method=result");
		return;
	}
	if ((slash = strchr(m.method, '/')) != NULL)      /* method-version */
		*slash = '\0';
	ar_cfws(r, NULL);
	m.result = ar_value(r, true);
	if (m.result == NULL) {
		ar_fail(a, "a method without a result");
		m.result = xstrdup("");
	}
	for (;;) {
		char *k, *v;
		uint8_t c;

		ar_cfws(r, &m.reason);
		if (!rd_ok(r) || !ar_peek(r, &c) || c == ';')
			break;
		k = ar_value(r, true);
		ar_cfws(r, NULL);
		if (k == NULL || !ar_take(r, '=')) {
			free(k);
			ar_fail(a, "a property without =");
			rd_fail(r, "no property=value");
			break;
		}
		ar_cfws(r, NULL);
		v = ar_value(r, false);
		if (strcmp(k, "reason") == 0) {
			free(m.reason);
			m.reason = v != NULL ? v : xstrdup("");
		} else {
			ar_prop_add(&m.props, k, v != NULL ? v : "");
			free(v);
		}
		free(k);
	}
	if (a->n < AUTHRES_METHODS_MAX)
		a->m[a->n++] = m;
	else {
		a->capped = true;
		free(m.method); free(m.result); free(m.reason); free(m.props);
	}
}

/* "none" as a whole word: no-result (RFC 8601 section 2.2). */
static bool
ar_none(const struct rd *r)
{
	struct slice s;

	if (!rd_peek(r, 4, &s) || strncasecmp((const char *)s.p, "none", 4) != 0)
		return false;
	return !rd_peek(r, 5, &s) || ar_special(s.p[4]);
}

static bool
ar_payload(struct rd *r, struct authres *a)
{
	uint8_t c;

	ar_cfws(r, NULL);
	if (a->field == AUTHRES_ARC_AR) {
		char *i = ar_value(r, true);

		ar_cfws(r, NULL);
		if (i == NULL || strcmp(i, "i") != 0 || !ar_take(r, '=')) {
			free(i);
			a->err = "no instance tag i=";
			return false;
		}
		free(i);
		ar_cfws(r, NULL);
		i = ar_value(r, false);
		a->instance = i != NULL ? (unsigned)strtoul(i, NULL, 10) : 0;
		free(i);
		ar_cfws(r, NULL);
		if (!ar_take(r, ';')) {
			a->err = "no \";\" after i=";
			return false;
		}
		ar_cfws(r, NULL);
	}
	a->authserv_id = ar_value(r, true);
	if (a->authserv_id == NULL) {
		a->err = "no authserv-id";
		return false;
	}
	ar_cfws(r, NULL);
	if (ar_peek(r, &c) && isdigit(c)) {                /* authres-version */
		free(ar_value(r, false));
		ar_cfws(r, NULL);
	}
	while (rd_ok(r) && ar_peek(r, &c)) {
		if (!ar_take(r, ';')) {
			ar_fail(a, "text where \";\" was expected");
			break;
		}
		ar_cfws(r, NULL);
		if (!ar_peek(r, &c))
			break;
		if (ar_none(r)) {
			rd_skip(r, 4);
			a->none = true;
			ar_cfws(r, NULL);
			continue;
		}
		ar_resinfo(r, a);
	}
	if (!rd_ok(r))
		ar_fail(a, "cut short or malformed");
	return true;
}

/* RFC 7208 section 9.1: result [comment] key=value; ... The receiver is
 * receiver= or, as most servers write it, the host before ":" in the
 * comment ("(google.com: domain of ...)"). */
static bool
ar_spf(struct rd *r, struct authres *a)
{
	struct authres_method m = { 0 };
	uint8_t c;

	ar_cfws(r, NULL);
	m.method = xstrdup("spf");
	m.result = ar_value(r, true);
	if (m.result == NULL) {
		free(m.method);
		a->err = "no result";
		return false;
	}
	ar_cfws(r, &m.reason);
	while (rd_ok(r) && ar_peek(r, &c)) {
		char *k, *v;

		if (ar_take(r, ';')) {
			ar_cfws(r, NULL);
			continue;
		}
		k = ar_value(r, true);
		ar_cfws(r, NULL);
		if (k == NULL || !ar_take(r, '=')) {
			free(k);
			ar_fail(a, "a key without =");
			break;
		}
		ar_cfws(r, NULL);
		v = ar_value(r, false);
		if (strcmp(k, "receiver") == 0 && v != NULL && a->authserv_id == NULL) {
			a->authserv_id = v;
			for (char *p = v; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		} else {
			ar_prop_add(&m.props, k, v != NULL ? v : "");
			free(v);
		}
		free(k);
		ar_cfws(r, NULL);
	}
	if (a->authserv_id == NULL && m.reason != NULL) {
		const char *colon = strchr(m.reason, ':');
		size_t n = colon != NULL ? (size_t)(colon - m.reason) : 0;

		if (n > 0 && memchr(m.reason, ' ', n) == NULL) {
			a->authserv_id = xstrndup(m.reason, n);
			for (char *p = a->authserv_id; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		}
	}
	a->m[a->n++] = m;
	return true;
}

bool
authres_parse(enum authres_field f, const char *value, size_t len, struct authres *out)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	out->field = f;
	if (value == NULL || len > AUTHRES_FIELD_MAX) {
		out->err = value == NULL ? "no value" : "longer than the ceiling";
		return false;
	}
	rd_init(&r, value, len);
	return f == AUTHRES_SPF ? ar_spf(&r, out) : ar_payload(&r, out);
}

void
authres_clear(struct authres *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->m[i].method);
		free(a->m[i].result);
		free(a->m[i].reason);
		free(a->m[i].props);
	}
	free(a->authserv_id);
	memset(a, 0, sizeof(*a));
}

const char *
authres_field_name(enum authres_field f)
{
	switch (f) {
	case AUTHRES_AR: return "authentication-results";
	case AUTHRES_ARC_AR: return "arc-authentication-results";
	case AUTHRES_SPF: return "received-spf";
	}
	return "?";
}
