/* dkimkeys.c - TXT records of DKIM keys from dig output or zone-file lines
 * (RFC 1035 section 5.1 master files; RFC 6376 section 3.6.2.2 joining). */
#include "auth/dkimkeys.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct dkimkeys {
	struct dkimkey *v;
	size_t n, cap;
};

/* Tokens of one logical record (a line, or lines joined by parentheses). */
#define KEYS_TOKENS_MAX 4096

struct keys_tok {
	char *s;
	bool quoted;
};

struct keys_lex {
	struct rd r;
	size_t line;            /* current line, 1-based */
	void (*problem)(void *, const struct dkimkeys_problem *);
	void *arg;
};

struct dkimkeys *
dkimkeys_new(void)
{
	return xcalloc(1, sizeof(struct dkimkeys));
}

void
dkimkeys_free(struct dkimkeys *ks)
{
	size_t i;

	if (ks == NULL)
		return;
	for (i = 0; i < ks->n; i++) {
		free(ks->v[i].name);
		free(ks->v[i].record);
	}
	free(ks->v);
	free(ks);
}

static char *
keys_name_norm(const char *name)
{
	char *s = xstrdup(name);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	for (size_t i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

struct dkimkey *
dkimkeys_add(struct dkimkeys *ks, const char *name, const char *record, size_t line)
{
	struct dkimkey *k;

	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 8;
		ks->v = xreallocarray(ks->v, ks->cap, sizeof(*ks->v));
	}
	k = &ks->v[ks->n++];
	memset(k, 0, sizeof(*k));
	k->name = keys_name_norm(name);
	k->record = xstrdup(record);
	k->line = line;
	hash_sha256_hex(record, strlen(record), k->sha256);
	return k;
}

size_t
dkimkeys_count(const struct dkimkeys *ks)
{
	return ks ? ks->n : 0;
}

struct dkimkey *
dkimkeys_get(const struct dkimkeys *ks, size_t i)
{
	return i < ks->n ? &ks->v[i] : NULL;
}

const struct dkimkey *
dkimkeys_find(const struct dkimkeys *ks, const char *name)
{
	size_t i;

	for (i = 0; ks != NULL && i < ks->n; i++)
		if (strcasecmp(ks->v[i].name, name) == 0)
			return &ks->v[i];
	return NULL;
}

static void
keys_problem(struct keys_lex *lx, size_t line, const char *reason)
{
	struct dkimkeys_problem p = { .line = line, .reason = reason };

	if (lx->problem != NULL)
		lx->problem(lx->arg, &p);
}

static int
keys_peek(const struct keys_lex *lx)
{
	struct slice s;

	return rd_peek(&lx->r, 1, &s) ? s.p[0] : -1;
}

/* A quoted character-string (the opening quote read): \X is X, \DDD the
 * byte DDD (RFC 1035 section 5.1). False when the line or data ends first
 * or the string passes the ceiling. */
static bool
keys_quoted(struct keys_lex *lx, struct buf *b)
{
	int c;

	while ((c = keys_peek(lx)) >= 0 && c != '\n') {
		rd_skip(&lx->r, 1);
		if (c == '"')
			return true;
		if (c == '\\') {
			struct slice d;

			if (rd_peek(&lx->r, 3, &d) && isdigit(d.p[0]) && isdigit(d.p[1]) &&
			    isdigit(d.p[2])) {
				int v = (d.p[0] - '0') * 100 + (d.p[1] - '0') * 10 + (d.p[2] - '0');

				rd_skip(&lx->r, 3);
				c = v > 255 ? '?' : v;
			} else if ((c = keys_peek(lx)) < 0 || c == '\n') {
				return false;
			} else {
				rd_skip(&lx->r, 1);
			}
		}
		if (!buf_addc(b, (char)c))
			return false;
	}
	return false;
}

static void
keys_toks_free(struct keys_tok *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].s);
}

/* The tokens of the next logical record into t[]; *blank_owner when its
 * first line starts with white space. False at the end of the text. A
 * malformed record is reported and comes back with no tokens. */
static bool
keys_record(struct keys_lex *lx, struct keys_tok *t, size_t *nt, bool *blank_owner,
    size_t *start_line)
{
	int paren = 0, c;
	bool bad = false;

	*nt = 0;
	if (keys_peek(lx) < 0)
		return false;
	*start_line = lx->line;
	c = keys_peek(lx);
	*blank_owner = c == ' ' || c == '\t';
	while ((c = keys_peek(lx)) >= 0) {
		struct buf b;
		bool quoted = false;

		if (c == '\n') {
			rd_skip(&lx->r, 1);
			lx->line++;
			if (paren == 0)
				break;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r') {
			rd_skip(&lx->r, 1);
			continue;
		}
		if (c == ';') {                  /* a comment, to the end of the line */
			while ((c = keys_peek(lx)) >= 0 && c != '\n')
				rd_skip(&lx->r, 1);
			continue;
		}
		if (c == '(' || c == ')') {
			rd_skip(&lx->r, 1);
			paren += c == '(' ? 1 : -1;
			if (paren < 0) {
				bad = true;
				paren = 0;
			}
			continue;
		}
		buf_init(&b, DKIMKEYS_RECORD_MAX);
		if (c == '"') {
			rd_skip(&lx->r, 1);
			quoted = true;
			if (!keys_quoted(lx, &b))
				bad = true;
		} else {
			/* A NUL is no separator (strchr finds the terminator,
			 * and the token would never end): it is read, and the
			 * record refused. */
			while ((c = keys_peek(lx)) >= 0 && (c == 0 || !strchr(" \t\r\n;()\"", c))) {
				rd_skip(&lx->r, 1);
				if (c == 0 || !buf_addc(&b, (char)c))
					bad = true;
			}
		}
		if (bad || *nt == KEYS_TOKENS_MAX) {
			buf_free(&b);
			bad = true;
			continue;
		}
		t[*nt].s = buf_take(&b);
		t[(*nt)++].quoted = quoted;
	}
	if (bad || paren != 0) {
		keys_problem(lx, *start_line, paren != 0 ? "unbalanced parentheses" :
		    "an unterminated or over-long string, or too many strings");
		keys_toks_free(t, *nt);
		*nt = 0;
	}
	return true;
}

static bool
keys_is_ttl(const char *s)
{
	if (!isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && !strchr("smhdwSMHDW", *s))
			return false;
	return true;
}

static bool
keys_is_class(const char *s)
{
	return strcasecmp(s, "IN") == 0 || strcasecmp(s, "CH") == 0 || strcasecmp(s, "HS") == 0 ||
	    strcasecmp(s, "CS") == 0;
}

/* owner, origin: the name a record belongs to (RFC 1035 section 5.1: "@" is
 * the origin, a name without a final dot is relative to it). */
static char *
keys_owner(const char *owner, const char *origin)
{
	size_t n = strlen(owner);

	if (strcmp(owner, "@") == 0)
		return xstrdup(origin ? origin : "");
	if ((n > 0 && owner[n - 1] == '.') || origin == NULL || *origin == '\0')
		return xstrdup(owner);
	return xasprintf("%s.%s", owner, origin);
}

/* One logical record: a directive, a TXT record (added), or another type
 * (skipped). owner and origin carry over between records. */
static size_t
keys_take(struct dkimkeys *ks, struct keys_lex *lx, struct keys_tok *t, size_t nt,
    bool blank, size_t line, char **owner, char **origin)
{
	size_t i = 0, n = 0;
	struct buf rec;
	char *name;

	if (nt == 0)
		return 0;
	if (!t[0].quoted && t[0].s[0] == '$') {
		if (strcasecmp(t[0].s, "$ORIGIN") == 0 && nt >= 2) {
			char *o = keys_owner(t[1].s, *origin);

			free(*origin);
			*origin = o;
		}
		return 0;
	}
	if (!blank) {
		free(*owner);
		*owner = keys_owner(t[i++].s, *origin);
	}
	for (n = 0; n < 2 && i < nt && !t[i].quoted &&
	    (keys_is_ttl(t[i].s) || keys_is_class(t[i].s)); n++)
		i++;
	if (i >= nt || *owner == NULL || t[i].quoted) {
		keys_problem(lx, line, "not a resource record (name, TTL, class, type, data)");
		return 0;
	}
	if (strcasecmp(t[i].s, "TXT") != 0)
		return 0;
	if (strlen(*owner) > DKIMKEYS_NAME_MAX) {
		keys_problem(lx, line, "owner name longer than 255 bytes");
		return 0;
	}
	buf_init(&rec, DKIMKEYS_RECORD_MAX);
	for (i++; i < nt; i++)
		if (!buf_adds(&rec, t[i].s)) {
			keys_problem(lx, line, "TXT record longer than 65535 bytes");
			buf_free(&rec);
			return 0;
		}
	if (ks->n >= DKIMKEYS_MAX) {
		keys_problem(lx, line, "more records than the key ceiling (100000)");
		buf_free(&rec);
		return 0;
	}
	name = buf_take(&rec);
	(void)dkimkeys_add(ks, *owner, name ? name : "", line);
	free(name);
	return 1;
}

size_t
dkimkeys_parse(struct dkimkeys *ks, const void *text, size_t len,
    void (*problem)(void *arg, const struct dkimkeys_problem *p), void *arg)
{
	struct keys_lex lx = { .line = 1, .problem = problem, .arg = arg };
	struct keys_tok *t = xcalloc(KEYS_TOKENS_MAX, sizeof(*t));
	char *owner = NULL, *origin = NULL;
	size_t nt, added = 0, line;
	bool blank;

	rd_init(&lx.r, text, len);
	while (keys_record(&lx, t, &nt, &blank, &line)) {
		added += keys_take(ks, &lx, t, nt, blank, line, &owner, &origin);
		keys_toks_free(t, nt);
	}
	free(t);
	free(owner);
	free(origin);
	return added;
}
