/* mustache.c - the Mustache renderer (see mustache.h).
 *
 * A template is parsed into a tree (text, variables, sections, partials)
 * and the tree is rendered against a stack of jansson values. Section and
 * close tags, comments, partials and delimiter changes that stand alone on
 * their line take the line with them (spec "Standalone" cases). */
#include "report/mustache.h"
#include "report/mdescape.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ceilings: a template file, the rendered text, nesting of sections and
 * partials together, and the length of a delimiter. */
#define MUSTACHE_TPL_MAX   (4u << 20)
#define MUSTACHE_OUT_MAX   ((size_t)512 << 20)
#define MUSTACHE_DEPTH_MAX 64
#define MUSTACHE_DELIM_MAX 16

enum mnode_kind { MN_TEXT, MN_VAR, MN_RAW, MN_SECTION, MN_INVERTED, MN_PARTIAL };

struct mnode {
	enum mnode_kind kind;
	char *s;                 /* text, or the tag's name */
	size_t len;              /* of text */
	char *indent;            /* partial: whitespace before a standalone tag */
	int line;
	struct mnode *child;     /* sections */
	struct mnode *next;
};

struct mparser {
	const char *name;        /* file name for errors */
	const char *src;
	size_t len, pos;
	char otag[MUSTACHE_DELIM_MAX + 1], ctag[MUSTACHE_DELIM_MAX + 1];
	char *err;
};

struct mtpl {
	char *key;               /* partial name + indentation */
	char *path;
	struct mnode *root;
	struct mtpl *next;
};

struct mrender {
	const char *dir;
	const char *suffix;      /* ".md.mustache" */
	mustache_escape_fn esc;
	struct buf out;
	const json_t *stack[MUSTACHE_DEPTH_MAX * 2 + 2];
	int nstack;
	int depth;
	bool skip_tick;          /* a code span consumed the template's closing '`' */
	struct mtpl *partials;
	const char *cur;         /* file of the template being rendered */
	char *err;
};

/* ---- escaping ---- */

_Bool
mustache_escape_markdown(struct buf *out, const char *s, size_t len)
{
	return md_escape_inline(out, s, len);
}

_Bool
mustache_escape_html(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		bool ok;

		switch (s[i]) {
		case '&': ok = buf_adds(out, "&amp;"); break;
		case '<': ok = buf_adds(out, "&lt;"); break;
		case '>': ok = buf_adds(out, "&gt;"); break;
		case '"': ok = buf_adds(out, "&quot;"); break;
		case '\'': ok = buf_adds(out, "&#39;"); break;
		default: ok = buf_addc(out, s[i]); break;
		}
		if (!ok)
			return false;
	}
	return true;
}

/* ---- parsing ---- */

static void
mnode_free(struct mnode *n)
{
	while (n != NULL) {
		struct mnode *next = n->next;

		mnode_free(n->child);
		free(n->s);
		free(n->indent);
		free(n);
		n = next;
	}
}

static int
mparser_line(const struct mparser *p, size_t off)
{
	int line = 1;
	size_t i;

	for (i = 0; i < off && i < p->len; i++)
		if (p->src[i] == '\n')
			line++;
	return line;
}

static void
mparser_fail(struct mparser *p, size_t off, const char *what, const char *name)
{
	if (p->err != NULL)
		return;
	p->err = name ? xasprintf("%s:%d: %s '%s'", p->name, mparser_line(p, off), what, name)
	    : xasprintf("%s:%d: %s", p->name, mparser_line(p, off), what);
}

static const char *
mparser_find(const struct mparser *p, size_t from, const char *needle)
{
	size_t n = strlen(needle);

	if (from > p->len)
		return NULL;
	return memmem(p->src + from, p->len - from, needle, n);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *
trim_dup(const char *s, size_t len)
{
	while (len > 0 && (is_blank(*s) || *s == '\n' || *s == '\r')) {
		s++;
		len--;
	}
	while (len > 0 && (is_blank(s[len - 1]) || s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return xstrndup(s, len);
}

static struct mnode *
mnode_new(enum mnode_kind kind, int line)
{
	struct mnode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = line;
	return n;
}

/* "{{=<% %>=}}": two delimiters without '=' or whitespace inside. */
static bool
mparser_set_delims(struct mparser *p, const char *s)
{
	char a[MUSTACHE_DELIM_MAX + 1], b[MUSTACHE_DELIM_MAX + 1];
	char fmt[32];

	snprintf(fmt, sizeof(fmt), "%%%ds %%%ds", MUSTACHE_DELIM_MAX, MUSTACHE_DELIM_MAX);
	if (sscanf(s, fmt, a, b) != 2 || strchr(a, '=') || strchr(b, '='))
		return false;
	memcpy(p->otag, a, sizeof(a));
	memcpy(p->ctag, b, sizeof(b));
	return true;
}

/* Parses nodes up to the close tag of section `open` (NULL at top level). */
static struct mnode *
mparser_parse(struct mparser *p, const char *open, size_t open_off, int depth)
{
	struct mnode *head = NULL, **tail = &head;

	if (depth > MUSTACHE_DEPTH_MAX) {
		mparser_fail(p, open_off, "sections nested too deeply at", open);
		return head;
	}
	while (p->err == NULL) {
		const char *t = mparser_find(p, p->pos, p->otag);
		size_t tstart, cstart, tend, text_end, after;
		const char *c;
		char sigil, *content, *name;
		bool standalone = false, triple;
		struct mnode *n;

		if (t == NULL) {
			if (p->pos < p->len) {
				n = mnode_new(MN_TEXT, mparser_line(p, p->pos));
				n->s = xstrndup(p->src + p->pos, p->len - p->pos);
				n->len = p->len - p->pos;
				*tail = n;
			}
			p->pos = p->len;
			if (open != NULL)
				mparser_fail(p, open_off, "section not closed:", open);
			return head;
		}
		tstart = (size_t)(t - p->src);
		cstart = tstart + strlen(p->otag);
		sigil = cstart < p->len ? p->src[cstart] : '\0';
		triple = sigil == '{';
		if (strchr("#^/!>&={", sigil) != NULL && sigil != '\0')
			cstart++;
		if (triple) {
			char close[MUSTACHE_DELIM_MAX + 2];

			snprintf(close, sizeof(close), "}%s", p->ctag);
			c = mparser_find(p, cstart, close);
			tend = c ? (size_t)(c - p->src) + strlen(close) : 0;
		} else if (sigil == '=') {
			char close[MUSTACHE_DELIM_MAX + 2];

			snprintf(close, sizeof(close), "=%s", p->ctag);
			c = mparser_find(p, cstart, close);
			tend = c ? (size_t)(c - p->src) + strlen(close) : 0;
		} else {
			c = mparser_find(p, cstart, p->ctag);
			tend = c ? (size_t)(c - p->src) + strlen(p->ctag) : 0;
		}
		if (c == NULL) {
			mparser_fail(p, tstart, "tag not closed", NULL);
			return head;
		}
		content = xstrndup(p->src + cstart, (size_t)(c - p->src) - cstart);

		/* Standalone: only blanks before the tag on its line and only
		 * blanks then a line end (or the end) after it. */
		text_end = tstart;
		after = tend;
		if (strchr("#^/!>=", sigil) != NULL && sigil != '\0') {
			size_t b = tstart, a = tend;

			while (b > p->pos && is_blank(p->src[b - 1]))
				b--;
			while (a < p->len && is_blank(p->src[a]))
				a++;
			if (b == 0 || p->src[b - 1] == '\n') {
				if (a == p->len) {
					standalone = true;
				} else if (p->src[a] == '\n') {
					standalone = true;
					a++;
				} else if (p->src[a] == '\r' && a + 1 < p->len && p->src[a + 1] == '\n') {
					standalone = true;
					a += 2;
				}
			}
			if (standalone) {
				text_end = b;
				after = a;
			}
		}
		if (text_end > p->pos) {
			n = mnode_new(MN_TEXT, mparser_line(p, p->pos));
			n->s = xstrndup(p->src + p->pos, text_end - p->pos);
			n->len = text_end - p->pos;
			*tail = n;
			tail = &n->next;
		}
		p->pos = after;

		if (sigil == '!') {
			free(content);
			continue;
		}
		if (sigil == '=') {
			if (!mparser_set_delims(p, content))
				mparser_fail(p, tstart, "bad delimiter change", NULL);
			free(content);
			continue;
		}
		name = trim_dup(content, strlen(content));
		free(content);
		if (*name == '\0') {
			free(name);
			mparser_fail(p, tstart, "empty tag", NULL);
			return head;
		}
		switch (sigil) {
		case '/':
			if (open == NULL || strcmp(open, name) != 0) {
				mparser_fail(p, tstart, open ? "close tag does not match the open section" :
				    "close tag without an open section:", open ? open : name);
				free(name);
				return head;
			}
			free(name);
			return head;
		case '#':
		case '^':
			n = mnode_new(sigil == '#' ? MN_SECTION : MN_INVERTED, mparser_line(p, tstart));
			n->s = name;
			*tail = n;
			tail = &n->next;
			n->child = mparser_parse(p, name, tstart, depth + 1);
			break;
		case '>':
			n = mnode_new(MN_PARTIAL, mparser_line(p, tstart));
			n->s = name;
			n->indent = standalone ? xstrndup(p->src + text_end, tstart - text_end) : xstrdup("");
			*tail = n;
			tail = &n->next;
			break;
		default:
			n = mnode_new(sigil == '&' || triple ? MN_RAW : MN_VAR, mparser_line(p, tstart));
			n->s = name;
			*tail = n;
			tail = &n->next;
			break;
		}
	}
	return head;
}

static struct mnode *
mustache_parse(const char *src, size_t len, const char *name, char **err)
{
	struct mparser p = { .name = name, .src = src, .len = len };
	struct mnode *root;

	strcpy(p.otag, "{{");
	strcpy(p.ctag, "}}");
	root = mparser_parse(&p, NULL, 0, 0);
	if (p.err != NULL) {
		mnode_free(root);
		*err = p.err;
		return NULL;
	}
	return root;
}

/* ---- rendering ---- */

static void
mrender_fail(struct mrender *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
mrender_fail(struct mrender *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err != NULL)
		return;
	va_start(ap, fmt);
	r->err = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Name lookup (spec "Interpolation"): "." is the top of the stack; the
 * first part of a dotted name is looked up from the top of the stack down,
 * the rest only inside what it found. */
static const json_t *
mrender_lookup(const struct mrender *r, const char *name)
{
	const json_t *v = NULL;
	const char *dot;
	char part[256];
	int i;

	if (strcmp(name, ".") == 0)
		return r->nstack > 0 ? r->stack[r->nstack - 1] : NULL;
	dot = strchr(name, '.');
	snprintf(part, sizeof(part), "%.*s", (int)(dot ? (size_t)(dot - name) : strlen(name)), name);
	for (i = r->nstack - 1; i >= 0 && v == NULL; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], part);
	while (v != NULL && dot != NULL) {
		const char *s = dot + 1;

		dot = strchr(s, '.');
		snprintf(part, sizeof(part), "%.*s", (int)(dot ? (size_t)(dot - s) : strlen(s)), s);
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	}
	return v;
}

static bool
mrender_falsey(const json_t *v)
{
	return v == NULL || json_is_null(v) || json_is_false(v) ||
	    (json_is_array(v) && json_array_size(v) == 0) ||
	    (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_integer(v) && json_integer_value(v) == 0);
}

/* The text of a scalar; objects and arrays have none. */
static char *
mrender_text(const json_t *v, size_t *len)
{
	char *s;

	if (json_is_string(v)) {
		*len = json_string_length(v);
		return xstrndup(json_string_value(v), *len);
	}
	if (json_is_integer(v))
		s = xasprintf("%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		s = xasprintf("%.15g", json_real_value(v));
	else if (json_is_true(v))
		s = xstrdup("true");
	else if (json_is_false(v))
		s = xstrdup("false");
	else
		s = xstrdup("");
	*len = strlen(s);
	return s;
}

static void mrender_nodes(struct mrender *r, const struct mnode *n);

static void
mrender_add(struct mrender *r, const char *s, size_t len)
{
	if (!buf_add(&r->out, s, len))
		mrender_fail(r, "%s: the rendered text passed %zu bytes", r->cur, (size_t)MUSTACHE_OUT_MAX);
}

/* A value between single backticks in a Markdown template (`{{x}}`) is
 * written as a code span with a fence that fits it (mdescape.h): inside a
 * code span backslash escapes would show. */
static bool
mrender_code_span(struct mrender *r, const struct mnode *n, const char *s, size_t len)
{
	const struct mnode *next = n->next;
	size_t ol = r->out.len;

	if (r->esc != mustache_escape_markdown || ol == 0 || r->out.p[ol - 1] != '`' ||
	    (ol >= 2 && r->out.p[ol - 2] == '`') || next == NULL || next->kind != MN_TEXT ||
	    next->len == 0 || next->s[0] != '`' || (next->len > 1 && next->s[1] == '`'))
		return false;
	r->out.len--;
	r->out.p[r->out.len] = '\0';
	r->skip_tick = true;
	if (!md_escape_code(&r->out, s, len) && !md_escape_inline(&r->out, s, len))
		mrender_fail(r, "%s: the rendered text passed %zu bytes", r->cur, (size_t)MUSTACHE_OUT_MAX);
	return true;
}

static void mrender_partial(struct mrender *r, const struct mnode *n);

static void
mrender_nodes(struct mrender *r, const struct mnode *n)
{
	for (; n != NULL && r->err == NULL; n = n->next) {
		const json_t *v;

		switch (n->kind) {
		case MN_TEXT:
			if (r->skip_tick && n->len > 0 && n->s[0] == '`')
				mrender_add(r, n->s + 1, n->len - 1);
			else
				mrender_add(r, n->s, n->len);
			r->skip_tick = false;
			break;
		case MN_VAR:
		case MN_RAW: {
			size_t len;
			char *s;

			r->skip_tick = false;
			v = mrender_lookup(r, n->s);
			if (v == NULL)
				break;
			s = mrender_text(v, &len);
			if (n->kind == MN_RAW || r->esc == NULL)
				mrender_add(r, s, len);
			else if (!mrender_code_span(r, n, s, len) && !r->esc(&r->out, s, len))
				mrender_fail(r, "%s: the rendered text passed %zu bytes", r->cur, (size_t)MUSTACHE_OUT_MAX);
			free(s);
			break;
		}
		case MN_SECTION:
		case MN_INVERTED:
			r->skip_tick = false;
			v = mrender_lookup(r, n->s);
			if (n->kind == MN_INVERTED) {
				if (mrender_falsey(v))
					mrender_nodes(r, n->child);
				break;
			}
			if (mrender_falsey(v))
				break;
			if (r->depth >= MUSTACHE_DEPTH_MAX) {
				mrender_fail(r, "%s:%d: sections nested deeper than %d at '%s'",
				    r->cur, n->line, MUSTACHE_DEPTH_MAX, n->s);
				break;
			}
			r->depth++;
			if (json_is_array(v)) {
				size_t i;

				for (i = 0; i < json_array_size(v) && r->err == NULL; i++) {
					r->stack[r->nstack++] = json_array_get(v, i);
					mrender_nodes(r, n->child);
					r->nstack--;
				}
			} else {
				r->stack[r->nstack++] = v;
				mrender_nodes(r, n->child);
				r->nstack--;
			}
			r->depth--;
			break;
		case MN_PARTIAL:
			r->skip_tick = false;
			mrender_partial(r, n);
			break;
		}
	}
}

/* Partial names are template file names, never paths. */
static bool
mustache_name_ok(const char *s)
{
	if (*s == '\0' || *s == '.')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static char *
mustache_slurp(const char *path, size_t *len, char **err)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (fp == NULL) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, MUSTACHE_TPL_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (!buf_add(&b, chunk, n)) {
			*err = xasprintf("%s: template larger than %u bytes", path, MUSTACHE_TPL_MAX);
			buf_free(&b);
			fclose(fp);
			return NULL;
		}
	}
	if (ferror(fp)) {
		*err = xasprintf("%s: cannot read: %s", path, strerror(errno));
		buf_free(&b);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	*len = b.len;
	return buf_take(&b);
}

/* Spec "Partials - Standalone Indentation": the indentation of a standalone
 * partial tag is put before every line of the partial's template. */
static char *
mustache_indent(const char *src, size_t len, const char *indent, size_t *outlen)
{
	struct buf b;
	size_t i;
	bool bol = true;

	buf_init(&b, BUF_UNLIMITED);
	for (i = 0; i < len; i++) {
		if (bol && !buf_adds(&b, indent))
			fatal("buffer");
		bol = src[i] == '\n';
		if (!buf_addc(&b, src[i]))
			fatal("buffer");
	}
	*outlen = b.len;
	return buf_take(&b);
}

static void
mrender_partial(struct mrender *r, const struct mnode *n)
{
	struct mtpl *t;
	char *key = xasprintf("%s\n%s", n->s, n->indent);

	for (t = r->partials; t != NULL; t = t->next)
		if (strcmp(t->key, key) == 0)
			break;
	if (t == NULL) {
		char *path, *src, *err = NULL, *ind;
		size_t len, ilen;
		struct mnode *root;

		if (r->dir == NULL || !mustache_name_ok(n->s)) {
			mrender_fail(r, "%s:%d: partial '%s' cannot be loaded", r->cur, n->line, n->s);
			free(key);
			return;
		}
		path = xasprintf("%s/%s%s", r->dir, n->s, r->suffix);
		src = mustache_slurp(path, &len, &err);
		if (src == NULL) {
			mrender_fail(r, "%s:%d: partial '%s': %s", r->cur, n->line, n->s, err);
			free(err);
			free(path);
			free(key);
			return;
		}
		ind = mustache_indent(src, len, n->indent, &ilen);
		free(src);
		root = mustache_parse(ind, ilen, path, &err);
		free(ind);
		if (err != NULL) {
			r->err = err;
			free(path);
			free(key);
			return;
		}
		t = xcalloc(1, sizeof(*t));
		t->key = key;
		t->path = path;
		t->root = root;
		t->next = r->partials;
		r->partials = t;
		key = NULL;
	}
	free(key);
	if (r->depth >= MUSTACHE_DEPTH_MAX) {
		mrender_fail(r, "%s:%d: partials nested deeper than %d at '%s'", r->cur, n->line,
		    MUSTACHE_DEPTH_MAX, n->s);
		return;
	}
	{
		const char *cur = r->cur;

		r->depth++;
		r->cur = t->path;
		mrender_nodes(r, t->root);
		r->cur = cur;
		r->depth--;
	}
}

char *
mustache_render(const char *tpl, size_t len, const char *name, const char *dir,
    const json_t *ctx, mustache_escape_fn esc, char **err)
{
	struct mrender r = { .dir = dir, .esc = esc, .cur = name };
	const char *base = strrchr(name, '/');
	struct mnode *root;
	char *out = NULL;

	*err = NULL;
	base = base ? base + 1 : name;
	r.suffix = strchr(base, '.') ? strchr(base, '.') : "";
	root = mustache_parse(tpl, len, name, err);
	if (root == NULL && *err != NULL)
		return NULL;
	buf_init(&r.out, MUSTACHE_OUT_MAX);
	r.stack[r.nstack++] = ctx;
	mrender_nodes(&r, root);
	mnode_free(root);
	while (r.partials != NULL) {
		struct mtpl *next = r.partials->next;

		mnode_free(r.partials->root);
		free(r.partials->key);
		free(r.partials->path);
		free(r.partials);
		r.partials = next;
	}
	if (r.err != NULL) {
		*err = r.err;
		buf_free(&r.out);
		return NULL;
	}
	out = buf_take(&r.out);
	return out;
}

char *
mustache_render_file(const char *dir, const char *name, const json_t *ctx,
    mustache_escape_fn esc, char **err)
{
	char *path = xasprintf("%s/%s", dir, name), *src, *out;
	size_t len;

	*err = NULL;
	src = mustache_slurp(path, &len, err);
	if (src == NULL) {
		free(path);
		return NULL;
	}
	out = mustache_render(src, len, path, dir, ctx, esc, err);
	free(src);
	free(path);
	return out;
}
