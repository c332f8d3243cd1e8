/* imap.c - IMAP sessions (RFC 9051, RFC 3501): LOGIN with atoms, quoted
 * strings and literals (4.3; LITERAL+ "{n+}" from RFC 7888), AUTHENTICATE
 * (6.2.2, via sasl.c), STARTTLS (6.2.1), APPEND (6.3.12) and FETCH
 * responses carrying messages (7.5.2: BODY[], BODY[]<origin>, RFC822).
 * Commands are paired with their tagged completions by tag. */
#include "mail/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/sasl.h"
#include "util/text.h"
#include "util/xalloc.h"

enum ik { I_LOGIN, I_AUTH, I_STARTTLS, I_OTHER };

struct icmd {
	char *tag;
	enum ik kind;
	char *user, *pass;
	char *frames;
	int64_t ts;
};

struct imap {
	struct icmd *c;
	size_t nc;
	bool greeted;
	int auth;                   /* index of the AUTHENTICATE in progress, -1 none */
	struct sasl_auth sa;
	struct buf auth_frames;
};

struct tok {
	char *p;                    /* the decoded bytes, NUL terminated */
	size_t len;
	bool literal;
	uint64_t off, slen;         /* literal: stream range */
	char *why;                  /* literal: what the capture lacks of it, or NULL */
};

/* "{123}" or "{123+}" at the end of a line (RFC 9051 4.3, RFC 7888). */
static bool
literal_at_end(struct slice l, uint64_t *n, size_t *start)
{
	size_t i;
	uint64_t v = 0, mul = 1;

	if (l.len < 3 || l.p[l.len - 1] != '}')
		return false;
	i = l.len - 1;
	if (i > 0 && l.p[i - 1] == '+')
		i--;
	if (i == 0 || !isdigit(l.p[i - 1]))
		return false;
	while (i > 0 && isdigit(l.p[i - 1])) {
		if (mul > 1000000000000ULL)
			return false;
		v += (uint64_t)(l.p[i - 1] - '0') * mul;
		mul *= 10;
		i--;
	}
	if (i == 0 || l.p[i - 1] != '{')
		return false;
	*n = v;
	*start = i - 1;
	return true;
}

static void
tok_add(struct tok **t, size_t *n, const void *p, size_t len, bool lit)
{
	*t = xreallocarray(*t, *n + 1, sizeof(**t));
	(*t)[*n].p = xmalloc(len + 1);
	memcpy((*t)[*n].p, p, len);
	(*t)[*n].p[len] = 0;
	(*t)[*n].len = len;
	(*t)[*n].literal = lit;
	(*t)[*n].off = (*t)[*n].slen = 0;
	(*t)[*n].why = NULL;
	(*n)++;
}

/* Splits [p, p+len) into atoms, quoted strings (with \" and \\ escapes,
 * 4.3) and parenthesised lists. */
static void
tokenize(struct slice l, struct tok **t, size_t *n)
{
	size_t i = 0, j, depth;

	while (i < l.len) {
		if (l.p[i] == ' ') {
			i++;
			continue;
		}
		if (l.p[i] == '"') {
			char *q = xmalloc(l.len);
			size_t k = 0;
			for (j = i + 1; j < l.len && l.p[j] != '"'; j++) {
				if (l.p[j] == '\\' && j + 1 < l.len)
					j++;
				q[k++] = (char)l.p[j];
			}
			tok_add(t, n, q, k, false);
			free(q);
			i = j + 1;
		} else if (l.p[i] == '(') {
			for (j = i, depth = 0; j < l.len; j++) {
				if (l.p[j] == '(')
					depth++;
				else if (l.p[j] == ')' && --depth == 0)
					break;
			}
			j = j < l.len ? j + 1 : j;
			tok_add(t, n, l.p + i, j - i, false);
			i = j;
		} else {
			for (j = i; j < l.len && l.p[j] != ' '; j++)
				;
			tok_add(t, n, l.p + i, j - i, false);
			i = j;
		}
	}
}

static void
toks_free(struct tok *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].p);
		free(t[i].why);
	}
	free(t);
}

/* Appends a frame number to a "63, 66" list unless it is already last. */
static void
frames_add(struct mail_sess *s, struct buf *b, uint32_t f)
{
	const char *t = buf_str(b), *last = strrchr(t, ' ');
	bool was;

	if (b->len > 0 && strtoul(last ? last + 1 : t, NULL, 10) == f)
		return;
	was = b->capped;
	if (!buf_printf(b, "%s%u", b->len ? ", " : "", (unsigned)f) && !was)
		mail_log(s, DIR_C2S, mail_off(s, DIR_C2S), "mail.auth_frames",
		    "too many lines in one command; frame %u and later are not listed", (unsigned)f);
}

/* A client literal (RFC 9051 4.3) of n bytes: a token, in the transcript
 * unless it is an APPEND message (that gets its own entry). */
static void
client_literal(struct mail_sess *s, struct tok **t, size_t *nt, struct buf *fr, int64_t *ts,
    uint64_t n, bool append)
{
	struct buf b;
	struct mail_damage dmg;
	uint64_t off = mail_off(s, DIR_C2S), got;

	memset(&dmg, 0, sizeof(dmg));
	buf_init(&b, append ? mail_msg_max(s) : mail_line_max(s));
	got = mail_read_counted(s, DIR_C2S, n, &b, &dmg);
	tok_add(t, nt, b.p ? b.p : "", b.len, true);
	(*t)[*nt - 1].off = off;
	(*t)[*nt - 1].slen = got;
	if (dmg.incomplete)
		(*t)[*nt - 1].why = xstrdup(dmg.why);
	if (got > 0) {
		frames_add(s, fr, mail_frame(s, DIR_C2S, off));
		*ts = mail_ts(s, DIR_C2S, off + got - 1);
		if (!append) {
			char *txt = text_clean(b.p, b.len, 0);
			mail_transcript(s, DIR_C2S, off, got, txt);
			free(txt);
		}
	}
	buf_free(&b);
	mail_damage_free(&dmg);
}

/* The message of APPEND (RFC 9051 6.3.12): its last literal. */
static void
append_message(struct mail_sess *s, const struct tok *m)
{
	struct msg_origin o;
	/* a literal cut by holes in the capture says so, like a FETCH body */
	bool holed = m->slen > 0 && m->why != NULL;
	char *frames = mail_frames(s, DIR_C2S, m->off, m->slen);
	char *extra = holed ? xasprintf("APPEND; %s", m->why) : xstrdup("APPEND");
	char *ref = mail_msg_ref(mail_msg_next(s), m->len, frames, extra);

	mail_transcript(s, DIR_C2S, m->off, m->slen, ref);
	memset(&o, 0, sizeof(o));
	o.frames = frames;
	o.stream_off = m->off;
	o.ts_us = mail_ts(s, DIR_C2S, m->slen ? m->off + m->slen - 1 : m->off);
	o.incomplete = m->slen == 0 || holed;
	o.incomplete_why = m->slen == 0 ? "the capture ended before the message" :
	    holed ? m->why : NULL;
	(void)mail_msg_submit(s, m->p, m->len, &o);
	free(ref);
	free(extra);
	free(frames);
}

/* Remembers a tagged command until its completion; LOGIN keeps its user
 * and password, AUTHENTICATE starts a SASL exchange. */
static void
client_command(struct mail_sess *s, struct imap *st, const struct tok *t, size_t nt,
    const struct buf *fr, const struct mail_line *l, int64_t ts, bool append)
{
	struct icmd c;

	memset(&c, 0, sizeof(c));
	c.tag = xstrdup(t[0].p);
	c.kind = I_OTHER;
	c.ts = ts;
	if (strcasecmp(t[1].p, "LOGIN") == 0 && nt >= 4) {
		c.kind = I_LOGIN;
		c.user = text_clean(t[2].p, t[2].len, 0);
		c.pass = text_clean(t[3].p, t[3].len, 0);
		c.frames = xstrdup(buf_str(fr));
	} else if (strcasecmp(t[1].p, "AUTHENTICATE") == 0 && nt >= 3) {
		c.kind = I_AUTH;
		if (st->auth >= 0)
			sasl_auth_free(&st->sa);
		sasl_auth_init(&st->sa, t[2].p, t[2].len);
		buf_reset(&st->auth_frames);
		if (nt >= 4) {    /* SASL-IR (RFC 4959) */
			sasl_auth_response(&st->sa, t[3].p, t[3].len);
			frames_add(s, &st->auth_frames, l->frame);
		}
		st->auth = (int)st->nc;
	} else if (strcasecmp(t[1].p, "STARTTLS") == 0) {
		c.kind = I_STARTTLS;
	} else if (append && t[nt - 1].literal) {
		append_message(s, &t[nt - 1]);
	}
	st->c = xreallocarray(st->c, st->nc + 1, sizeof(*st->c));
	st->c[st->nc++] = c;
}

/* A whole client command: the line, and each literal with the line that
 * continues after it. */
static void
imap_client(struct mail_sess *s)
{
	struct imap *st = mail_state(s);
	struct mail_line l;
	struct tok *t = NULL;
	size_t nt = 0, start;
	uint64_t litn;
	struct buf fr;
	bool append = false;
	int64_t ts;

	if (!mail_line(s, DIR_C2S, &l, false))
		return;
	if (st->auth >= 0 && sasl_auth_wants_response(&st->sa) &&
	    memchr(l.raw.p, ' ', l.raw.len) == NULL) {
		/* RFC 9051 6.2.2: a base64 response line */
		sasl_auth_response(&st->sa, (const char *)l.raw.p, l.raw.len);
		frames_add(s, &st->auth_frames, l.frame);
		st->c[st->auth].ts = l.ts_us;
		return;
	}
	buf_init(&fr, 4096);
	frames_add(s, &fr, l.frame);
	ts = l.ts_us;
	for (;;) {
		struct slice part = l.raw;
		bool lit = !l.toolong && literal_at_end(part, &litn, &start);
		if (lit)
			part.len = start;
		tokenize(part, &t, &nt);
		if (nt >= 2 && strcasecmp(t[1].p, "APPEND") == 0)
			append = true;
		if (!lit)
			break;
		client_literal(s, &t, &nt, &fr, &ts, litn, append);
		if (!mail_line(s, DIR_C2S, &l, false))
			break;
		frames_add(s, &fr, l.frame);
	}
	if (nt >= 2)
		client_command(s, st, t, nt, &fr, &l, ts, append);
	buf_free(&fr);
	toks_free(t, nt);
}

static void
store_cred(struct mail_sess *s, struct imap *st, struct icmd *c, const char *verdict,
    const char *reply)
{
	struct mail_cred m = { .verdict = verdict, .reply = reply, .ts_us = c->ts };

	if (c->kind == I_LOGIN) {
		m.mechanism = "LOGIN command";
		m.user = c->user;
		m.secret = c->pass;
		m.secret_kind = "password";
		m.frames = c->frames;
	} else {
		m.mechanism = st->sa.mech_name;
		m.authzid = st->sa.authzid;
		m.user = st->sa.user;
		m.secret = st->sa.secret;
		m.secret_kind = st->sa.secret_kind;
		m.crack_line = st->sa.crack_line;
		m.domain = st->sa.domain;
		m.workstation = st->sa.workstation;
		m.details = st->sa.details;
		m.frames = st->auth_frames.len ? buf_str(&st->auth_frames) : NULL;
	}
	mail_cred_store(s, &m);
	if (c->kind == I_AUTH) {
		sasl_auth_free(&st->sa);
		buf_reset(&st->auth_frames);
		st->auth = -1;
	}
	c->kind = I_OTHER;
}

/* The fetch item just before a literal: "BODY[]", "BODY[]<0>", "RFC822"...
 * as text; free() it. */
static char *
fetch_item(struct slice part)
{
	size_t e = part.len, b;

	while (e > 0 && part.p[e - 1] == ' ')
		e--;
	for (b = e; b > 0 && part.p[b - 1] != ' ' && part.p[b - 1] != '('; b--)
		;
	return text_clean(part.p + b, e - b, 0);
}

static void
caps_from(struct mail_sess *s, const char *text)
{
	char *c = xstrdup(text), *p, *save = NULL;

	/* in a response code the list ends at "]" (RFC 9051 7.1) */
	if ((p = strchr(c, ']')) != NULL)
		*p = 0;
	mail_clear_capabilities(s);
	for (p = strtok_r(c, " ]", &save); p; p = strtok_r(NULL, " ]", &save))
		mail_add_capability(s, p);
	free(c);
}

/* RFC 9051 7.1: the greeting; its text usually names the server, after an
 * optional [response code]. t is the text after "* ". */
static void
server_greeting(struct mail_sess *s, const char *t)
{
	const char *x = strchr(t, ' ');
	char *name = NULL;
	size_t i;

	x = x ? x + 1 : "";
	if (*x == '[') {
		const char *e = strchr(x, ']');
		x = e ? e + 1 : x;
		while (*x == ' ')
			x++;
	}
	for (i = 0; x[i] && x[i] != ' '; i++)
		;
	if (memchr(x, '.', i))
		name = xstrndup(x, i);
	mail_set_greeting(s, t, name, *x ? x : NULL);
	free(name);
}

/* A literal of n bytes in untagged data whose line, before the "{n}",
 * is part: a message when the fetch item is a whole body (RFC 9051 7.5.2),
 * else a summary in the transcript. */
static void
server_literal(struct mail_sess *s, struct slice part, uint64_t n)
{
	char *item = fetch_item(part);
	bool partial = strncasecmp(item, "BODY[]<", 7) == 0 || strncasecmp(item, "BINARY[]<", 9) == 0;
	bool whole = partial || strcasecmp(item, "BODY[]") == 0 || strcasecmp(item, "RFC822") == 0 ||
	    strcasecmp(item, "BINARY[]") == 0;
	struct buf b;
	struct mail_damage dmg;
	uint64_t off = mail_off(s, DIR_S2C), got;
	char *frames, *ref;

	memset(&dmg, 0, sizeof(dmg));
	buf_init(&b, whole ? mail_msg_max(s) : mail_line_max(s));
	got = mail_read_counted(s, DIR_S2C, n, &b, &dmg);
	if (whole) {
		struct msg_origin o;
		char *extra = xasprintf("FETCH %s%s%s", item, dmg.incomplete ? "; " : "",
		    dmg.incomplete ? dmg.why : "");
		frames = mail_frames(s, DIR_S2C, off, got);
		ref = mail_msg_ref(mail_msg_next(s), b.len, frames, extra);
		mail_transcript(s, DIR_S2C, off, got ? got : 1, ref);
		memset(&o, 0, sizeof(o));
		o.frames = frames;
		o.stream_off = off;
		o.ts_us = mail_ts(s, DIR_S2C, got ? off + got - 1 : off);
		o.incomplete = dmg.incomplete;
		o.incomplete_why = dmg.incomplete ? dmg.why : NULL;
		o.partial = partial;
		(void)mail_msg_submit(s, b.p ? b.p : "", b.len, &o);
		free(ref);
		free(extra);
		free(frames);
	} else if (got > 0) {
		frames = mail_frames(s, DIR_S2C, off, got);
		ref = xasprintf("[%s: %llu bytes, frames %s]", item, (unsigned long long)got, frames);
		mail_transcript(s, DIR_S2C, off, got, ref);
		free(ref);
		free(frames);
	}
	buf_free(&b);
	mail_damage_free(&dmg);
	free(item);
}

/* "* ..." (RFC 9051 7): the greeting, capabilities, and literals with the
 * lines that continue after them. */
static void
server_untagged(struct mail_sess *s, struct imap *st, struct mail_line *l)
{
	const char *t = l->text + 2, *cap;
	uint64_t litn;
	size_t start;

	if (!st->greeted && (strncasecmp(t, "OK", 2) == 0 || strncasecmp(t, "PREAUTH", 7) == 0 ||
	    strncasecmp(t, "BYE", 3) == 0)) {
		server_greeting(s, t);
		st->greeted = true;
	}
	if ((cap = strcasestr(t, "CAPABILITY ")) != NULL)
		caps_from(s, cap + 11);
	while (!l->toolong && literal_at_end(l->raw, &litn, &start)) {
		struct slice part = { l->raw.p, start };

		server_literal(s, part, litn);
		if (!mail_line(s, DIR_S2C, l, false))
			break;
	}
}

/* tagged completion: tag SP (OK / NO / BAD) SP text (RFC 9051 7.1) */
static void
server_tagged(struct mail_sess *s, struct imap *st, const struct mail_line *l)
{
	const char *status, *cap;
	size_t i, k;
	bool ok, no;

	for (i = 0; i < l->raw.len && l->raw.p[i] != ' '; i++)
		;
	if (i >= l->raw.len)
		return;
	/* escapes never write a space: the text's first space is the raw one */
	status = strchr(l->text, ' ') + 1;
	ok = strncasecmp(status, "OK", 2) == 0;
	no = strncasecmp(status, "NO", 2) == 0 || strncasecmp(status, "BAD", 3) == 0;
	if ((cap = strcasestr(status, "[CAPABILITY ")) != NULL)
		caps_from(s, cap + 12);
	for (k = st->nc; k > 0; k--) {
		struct icmd *c = &st->c[k - 1];
		if (strlen(c->tag) != i || memcmp(c->tag, l->raw.p, i) != 0)
			continue;
		if (c->kind == I_LOGIN || (c->kind == I_AUTH && st->auth == (int)(k - 1)))
			store_cred(s, st, c, ok ? "accepted" : no ? "rejected" : "unknown", status);
		else if (c->kind == I_STARTTLS && ok)
			mail_start_tls(s, DIR_S2C, l->off);
		break;
	}
}

static void
imap_server(struct mail_sess *s)
{
	struct imap *st = mail_state(s);
	struct mail_line l;

	if (!mail_line(s, DIR_S2C, &l, false))
		return;
	if (l.raw.len >= 1 && l.raw.p[0] == '+') {
		if (st->auth >= 0)
			sasl_auth_challenge(&st->sa, mail_line_rest(&l, 1, " "),
			    strlen(mail_line_rest(&l, 1, " ")));
		return;
	}
	if (l.raw.len >= 2 && l.raw.p[0] == '*' && l.raw.p[1] == ' ')
		server_untagged(s, st, &l);
	else
		server_tagged(s, st, &l);
}

static void
imap_begin(struct mail_sess *s)
{
	struct imap *st = xcalloc(1, sizeof(*st));

	st->auth = -1;
	buf_init(&st->auth_frames, 4096);
	mail_state_set(s, st);
}

static void
imap_end(struct mail_sess *s)
{
	struct imap *st = mail_state(s);
	size_t i;

	for (i = 0; i < st->nc; i++) {
		struct icmd *c = &st->c[i];
		if (c->kind == I_LOGIN || (c->kind == I_AUTH && st->auth == (int)i))
			store_cred(s, st, c, "unknown", NULL);
		free(c->tag);
		free(c->user);
		free(c->pass);
		free(c->frames);
	}
	sasl_auth_free(&st->sa);
	buf_free(&st->auth_frames);
	free(st->c);
	free(st);
	mail_state_set(s, NULL);
}

const struct mail_proto mail_imap = {
	.name = "imap", .begin = imap_begin, .client = imap_client,
	.server = imap_server, .end = imap_end,
};
