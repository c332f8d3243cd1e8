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

#include "mail/imap_fetch.h"
#include "mail/maildate.h"
#include "mail/sasl.h"
#include "util/text.h"
#include "util/xalloc.h"

enum ik { I_LOGIN, I_AUTH, I_STARTTLS, I_SELECT, I_OTHER };

struct icmd {
	char *tag;
	enum ik kind;
	char *user, *pass;          /* LOGIN; SELECT/EXAMINE: user is the mailbox */
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
	char *mailbox;              /* selected (RFC 9051 6.3.2, 6.3.3), as sent */
	char *mailbox_utf8;         /* decoded from modified UTF-7, when it differs */
	struct ihdr *hdr;           /* headers waiting for their text, oldest first */
	size_t nhdr;
	bool hdr_full;
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

static void
frames_add(struct mail_sess *s, struct buf *b, uint32_t f)
{
	mail_frames_add(s, b, f, mail_off(s, DIR_C2S), "lines");
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

/* The item record of an APPEND: its mailbox, flag list and date-time
 * (RFC 9051 6.3.12: APPEND mailbox [flag-list] [date-time] literal). */
static void
append_item(struct mail_sess *s, const struct tok *t, size_t nt, const char *frames,
    int64_t msg_id, const char *why)
{
	const struct tok *m = &t[nt - 1];
	char *mbox = text_clean(t[2].p, t[2].len, 0), *flags = NULL, *date = NULL;
	struct mail_imap_item it = {
		.dir = 'C', .item = "APPEND", .section = "message", .origin = -1, .rfc822_size = -1,
		.data = m->p, .len = m->len, .frames = frames, .stream_off = m->off,
		.ts_us = mail_ts(s, DIR_C2S, m->off), .use = "message", .message_id = msg_id,
		.incomplete_why = why,
	};

	for (size_t i = 3; i + 1 < nt; i++) {
		struct maildate md;
		if (t[i].p[0] == '(' && flags == NULL) {
			flags = text_clean(t[i].p + 1, t[i].len >= 2 ? t[i].len - 2 : 0, 0);
		} else if (date == NULL && maildate_read(t[i].p, t[i].len, &md)) {
			date = text_clean(t[i].p, t[i].len, 0);
			it.internaldate_us = md.us;
		}
	}
	it.mailbox = mbox;
	it.mailbox_utf8 = imap_mailbox_decode(mbox);
	it.flags = flags;
	it.internaldate = date;
	mail_imap_item_store(s, &it);
	free((char *)it.mailbox_utf8);
	free(mbox);
	free(flags);
	free(date);
}

/* The message of APPEND (RFC 9051 6.3.12): its last literal. */
static void
append_message(struct mail_sess *s, const struct tok *t, size_t nt)
{
	const struct tok *m = &t[nt - 1];
	struct msg_origin o;
	/* a literal cut by holes in the capture says so, like a FETCH body */
	bool holed = m->slen > 0 && m->why != NULL;
	char *frames = mail_frames(s, DIR_C2S, m->off, m->slen);
	char *extra = holed ? xasprintf("APPEND; %s", m->why) : xstrdup("APPEND");
	char *ref = mail_msg_ref(mail_msg_next(s), m->len, frames, extra);
	int64_t id;

	mail_transcript(s, DIR_C2S, m->off, m->slen, ref);
	memset(&o, 0, sizeof(o));
	o.frames = frames;
	o.stream_off = m->off;
	o.ts_us = mail_ts(s, DIR_C2S, m->slen ? m->off + m->slen - 1 : m->off);
	o.incomplete = m->slen == 0 || holed;
	o.incomplete_why = m->slen == 0 ? "the capture ended before the message" :
	    holed ? m->why : NULL;
	id = mail_msg_submit(s, m->p, m->len, &o);
	if (nt >= 4)
		append_item(s, t, nt, frames, id, o.incomplete_why);
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
	} else if ((strcasecmp(t[1].p, "SELECT") == 0 || strcasecmp(t[1].p, "EXAMINE") == 0) &&
	    nt >= 3) {
		c.kind = I_SELECT;
		c.user = text_clean(t[2].p, t[2].len, 0);
	} else if (append && t[nt - 1].literal) {
		append_message(s, t, nt);
	}
	st->c = xreallocarray(st->c, st->nc + 1, sizeof(*st->c));
	st->c[st->nc++] = c;
}

/* A synchronizing literal "{n}" is sent only after the server's "+"
 * (RFC 9051 4.3, 7.5); when the server answers the command's tag instead
 * (NO [TOOBIG], BAD), the client sends no literal, and what follows on its
 * side is the next command. Untagged lines may come first. */
static bool
literal_refused(struct mail_sess *s, const struct slice line, const char *tag)
{
	struct slice ln[16];
	size_t n = mail_peek_lines(s, DIR_S2C, ln, 16), tl = strlen(tag);

	if (line.len >= 2 && line.p[line.len - 2] == '+')
		return false;           /* LITERAL+ / LITERAL- (RFC 7888): no wait */
	for (size_t i = 0; i < n; i++) {
		if (ln[i].len >= 2 && ln[i].p[0] == '*' && ln[i].p[1] == ' ')
			continue;
		return ln[i].len > tl && memcmp(ln[i].p, tag, tl) == 0 && ln[i].p[tl] == ' ';
	}
	return false;
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
		if (nt >= 1 && literal_refused(s, l.raw, t[0].p)) {
			char *tag = text_clean(t[0].p, t[0].len, 0);
			mail_log(s, DIR_C2S, l.off, "mail.literal_refused", "the server answered command"
			    " %s instead of inviting its literal of %llu bytes; the client did not send it",
			    tag, (unsigned long long)litn);
			free(tag);
			break;
		}
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

/* ---- FETCH responses (RFC 9051 7.5.2) ---------------------------------- */

/* Data items kept per FETCH response; headers kept to be put together with
 * a text fetched later for the same UID. Clients fetch a handful of items
 * per response (Thunderbird, Outlook, Apple Mail: 1 to 6). */
#define FETCH_ITEMS_MAX 64
#define HEADERS_KEPT_MAX 64

/* One FETCH response as read: the lines (chunks, without their "{n}"), the
 * literal after each but the last, and what each literal became. */
struct fresp {
	int64_t seq;
	struct slice ch[FETCH_ITEMS_MAX + 1];
	struct mail_line_copy { uint64_t off, len; char *text; } ln[FETCH_ITEMS_MAX + 1];
	struct flit {
		struct buf b;
		uint64_t off, got;
		char *why;
		char *frames;
		const char *use;        /* see struct mail_imap_item */
		int msg_no;             /* the session's message number; 0 none */
		int64_t msg_id;
		size_t msg_len;         /* that message's size */
	} lit[FETCH_ITEMS_MAX];
	size_t nch;
	struct imap_fetch f;
	uint64_t off0;              /* the response's first line */
	char *frames0;
};

/* Reads the literals of the response and the lines after them (quietly:
 * the transcript gets them in order once it is known what each literal
 * is). part is the first line from "(" on. */
static void
fresp_read(struct mail_sess *s, struct fresp *r, struct slice part, struct mail_line *l)
{
	uint64_t litn;
	size_t start, budget = mail_msg_max(s);

	for (;;) {
		bool lit = !l->toolong && literal_at_end(part, &litn, &start);
		r->ch[r->nch++] = (struct slice){ part.p, lit ? start : part.len };
		if (!lit)
			break;
		if (r->nch > FETCH_ITEMS_MAX) {
			mail_log(s, DIR_S2C, l->off, "mail.imap_items", "a FETCH response has more than"
			    " %d literals; the rest of it is read as lines", FETCH_ITEMS_MAX);
			break;
		}
		struct flit *f = &r->lit[r->nch - 1];
		struct mail_damage dmg = { 0 };
		buf_init(&f->b, budget);
		f->off = mail_off(s, DIR_S2C);
		f->got = mail_read_counted(s, DIR_S2C, litn, &f->b, &dmg);
		f->why = dmg.incomplete ? xstrdup(dmg.why) : NULL;
		f->frames = mail_frames(s, DIR_S2C, f->off, f->got);
		budget -= f->b.len;
		mail_damage_free(&dmg);
		if (!mail_line(s, DIR_S2C, l, true)) {
			/* The flow ends with the literal: an empty last chunk, so
			 * that it lies between two chunks like every other (read
			 * by the FETCH parser, freed by fresp_free). */
			r->ch[r->nch++] = (struct slice){ (const uint8_t *)"", 0 };
			break;
		}
		r->ln[r->nch].off = l->off;
		r->ln[r->nch].len = l->len;
		r->ln[r->nch].text = xstrdup(l->text);
		part = l->raw;
	}
}

static void
fresp_free(struct fresp *r)
{
	for (size_t i = 0; i < r->nch; i++) {
		free(r->ln[i].text);
		if (i + 1 < r->nch) {
			buf_free(&r->lit[i].b);
			free(r->lit[i].why);
			free(r->lit[i].frames);
		}
	}
	imap_fetch_free(&r->f);
}

static const char *
sect_word(const struct imap_fetch_item *it)
{
	static const char *const w[] = {
		[IMAP_SECT_WHOLE] = "message", [IMAP_SECT_HEADER] = "header",
		[IMAP_SECT_FIELDS] = "header-fields", [IMAP_SECT_TEXT] = "text",
		[IMAP_SECT_PART] = "part", [IMAP_SECT_MIME] = "mime", [IMAP_SECT_OTHER] = "other",
	};
	return it->nested && it->sect != IMAP_SECT_PART && it->sect != IMAP_SECT_MIME ?
	    "part" : w[it->sect];
}

/* The literal of item it, or NULL (a quoted value, NIL, or past the
 * literals read). */
static struct flit *
item_lit(struct fresp *r, const struct imap_fetch_item *it)
{
	return it->lit >= 0 && (size_t)it->lit + 1 < r->nch ? &r->lit[it->lit] : NULL;
}

/* Hands bytes to the sink as a message of this response; returns its
 * session number. */
static int
fresp_submit(struct mail_sess *s, struct fresp *r, const void *p, size_t len,
    struct flit *first, struct flit *last, bool partial)
{
	struct msg_origin o;
	int n = mail_msg_next(s);
	uint64_t end = last->got ? last->off + last->got - 1 : last->off;

	memset(&o, 0, sizeof(o));
	o.frames = first->frames;
	o.stream_off = first->off;
	o.ts_us = mail_ts(s, DIR_S2C, end);
	o.incomplete = first->why != NULL || last->why != NULL;
	o.incomplete_why = first->why ? first->why : last->why;
	o.partial = partial;
	first->msg_id = mail_msg_submit(s, p, len, &o);
	last->msg_id = first->msg_id;
	first->msg_no = last->msg_no = n;
	first->msg_len = last->msg_len = len;
	return n;
}

/* A header kept to be joined with the text of the same message fetched in
 * a later response. */
struct ihdr {
	char *mailbox;
	int64_t uid;
	struct buf b;
	int msg_no;
};

static struct ihdr *
hdr_find(struct imap *st, int64_t uid)
{
	for (size_t i = 0; uid > 0 && i < st->nhdr; i++)
		if (st->hdr[i].uid == uid && strcmp(st->hdr[i].mailbox, st->mailbox ? st->mailbox : "") == 0)
			return &st->hdr[i];
	return NULL;
}

static void
hdr_keep(struct mail_sess *s, struct imap *st, int64_t uid, const struct buf *b, int msg_no)
{
	struct ihdr *h;

	if (uid <= 0)
		return;
	if (st->hdr == NULL)
		st->hdr = xcalloc(HEADERS_KEPT_MAX, sizeof(*st->hdr));
	if (st->nhdr == HEADERS_KEPT_MAX) {
		if (!st->hdr_full)
			mail_log(s, DIR_S2C, mail_off(s, DIR_S2C), "mail.imap_headers_kept",
			    "more than %d header fetches wait for their text; older ones are no longer"
			    " put together with a text fetched later", HEADERS_KEPT_MAX);
		st->hdr_full = true;
		buf_free(&st->hdr[0].b);
		free(st->hdr[0].mailbox);
		memmove(st->hdr, st->hdr + 1, (--st->nhdr) * sizeof(*st->hdr));
	}
	h = &st->hdr[st->nhdr++];
	h->mailbox = xstrdup(st->mailbox ? st->mailbox : "");
	h->uid = uid;
	h->msg_no = msg_no;
	buf_init(&h->b, b->len + 1);
	if (!buf_add(&h->b, b->p ? b->p : "", b->len))
		h->uid = 0;
}

/* Header and text of one message joined (RFC 9051 6.4.5: HEADER is the
 * header with its blank line, TEXT the body after it). */
static void
fresp_join(struct mail_sess *s, struct fresp *r, const void *h, size_t hlen, struct flit *t,
    struct flit *first)
{
	struct buf all;

	buf_init(&all, hlen + t->b.len + 1);
	if (buf_add(&all, h, hlen) && buf_add(&all, t->b.p ? t->b.p : "", t->b.len))
		(void)fresp_submit(s, r, all.p, all.len, first, t, false);
	buf_free(&all);
	first->use = t->use = "assembled";
}

/* Decides what each literal of the response is: a whole message, a
 * header (a partial message, kept to meet its text), a header and text put
 * together, or a piece kept as bytes only. */
static void
fresp_decide(struct mail_sess *s, struct imap *st, struct fresp *r)
{
	struct imap_fetch_item *hdr = NULL, *txt = NULL;
	struct flit *H, *T;

	for (size_t i = 0; i < r->f.nitems; i++) {
		struct imap_fetch_item *it = &r->f.items[i];
		struct flit *L = item_lit(r, it);
		if (L == NULL)
			continue;
		L->use = "piece";
		if (it->nested)
			continue;
		if (it->sect == IMAP_SECT_WHOLE) {
			L->use = "message";
			(void)fresp_submit(s, r, L->b.p ? L->b.p : "", L->b.len, L, L, it->origin >= 0);
		} else if ((it->sect == IMAP_SECT_HEADER || it->sect == IMAP_SECT_FIELDS) && !hdr &&
		    it->origin < 0) {
			hdr = it;
		} else if (it->sect == IMAP_SECT_TEXT && !txt && it->origin < 0) {
			txt = it;
		}
	}
	H = hdr ? item_lit(r, hdr) : NULL;
	T = txt ? item_lit(r, txt) : NULL;
	if (H && T && hdr->sect == IMAP_SECT_HEADER) {
		fresp_join(s, r, H->b.p ? H->b.p : "", H->b.len, T, H);
		return;
	}
	if (H) {
		H->use = "headers-only";
		(void)fresp_submit(s, r, H->b.p ? H->b.p : "", H->b.len, H, H, true);
		if (hdr->sect == IMAP_SECT_HEADER)
			hdr_keep(s, st, r->f.uid, &H->b, H->msg_no);
	}
	if (T) {
		struct ihdr *k = hdr_find(st, r->f.uid);
		if (k != NULL)
			fresp_join(s, r, k->b.p ? k->b.p : "", k->b.len, T, T);
	}
}

static const struct imap_fetch_item *
lit_item(const struct fresp *r, size_t lit)
{
	for (size_t i = 0; i < r->f.nitems; i++)
		if (r->f.items[i].lit == (int)lit)
			return &r->f.items[i];
	return NULL;
}

/* The transcript's summary of literal L. */
static char *
lit_text(const struct fresp *r, const struct flit *L, const struct imap_fetch_item *it)
{
	const char *name = it ? it->name : "literal";
	char *extra, *t;

	if (L->msg_no == 0) {
		if (r->f.uid > 0)
			return xasprintf("[%s of UID %lld: %llu bytes, frames %s]", name,
			    (long long)r->f.uid, (unsigned long long)L->got, L->frames);
		return xasprintf("[%s: %llu bytes, frames %s]", name, (unsigned long long)L->got,
		    L->frames);
	}
	extra = xasprintf("FETCH %s%s%s%s", name,
	    strcmp(L->use, "headers-only") == 0 ? "; headers only" :
	    strcmp(L->use, "assembled") == 0 ? "; header and text put together" : "",
	    L->why ? "; " : "", L->why ? L->why : "");
	t = mail_msg_ref(L->msg_no, L->msg_len, L->frames, extra);
	free(extra);
	return t;
}

/* The item's record for the sink. */
static void
fresp_item(struct mail_sess *s, struct imap *st, const struct fresp *r, const char *name,
    const char *section, int64_t origin, const void *p, size_t len, const struct flit *L)
{
	struct mail_imap_item it = {
		.dir = 'S', .mailbox = st->mailbox, .mailbox_utf8 = st->mailbox_utf8,
		.seq = r->seq, .uid = r->f.uid, .item = name, .section = section, .origin = origin,
		.flags = r->f.flags, .internaldate = r->f.internaldate,
		.rfc822_size = r->f.rfc822_size, .data = p, .len = len, .use = "piece",
	};

	struct maildate md;
	if (r->f.internaldate && maildate_read(r->f.internaldate, strlen(r->f.internaldate), &md))
		it.internaldate_us = md.us;
	if (L != NULL) {
		it.frames = L->frames;
		it.stream_off = L->off;
		it.ts_us = mail_ts(s, DIR_S2C, L->off);
		it.use = L->use ? L->use : "piece";
		it.message_id = L->msg_id;
		it.incomplete_why = L->why;
	} else {
		it.frames = r->frames0;
		it.stream_off = r->off0;
		it.ts_us = mail_ts(s, DIR_S2C, r->off0);
		it.use = "listed";
	}
	mail_imap_item_store(s, &it);
}

/* The transcript in stream order, then the items. */
static void
fresp_record(struct mail_sess *s, struct imap *st, struct fresp *r)
{
	for (size_t i = 0; i + 1 < r->nch; i++) {
		struct flit *L = &r->lit[i];
		char *t = lit_text(r, L, lit_item(r, i));
		mail_transcript(s, DIR_S2C, L->off, L->got ? L->got : 1, t);
		free(t);
		if (r->ln[i + 1].text)
			mail_transcript(s, DIR_S2C, r->ln[i + 1].off, r->ln[i + 1].len, r->ln[i + 1].text);
	}
	for (size_t i = 0; i < r->f.nitems; i++) {
		const struct imap_fetch_item *it = &r->f.items[i];
		struct flit *L = item_lit(r, it);
		const void *p = L ? (const void *)(L->b.p ? L->b.p : "") : it->quoted;
		size_t len = L ? L->b.len : it->quoted ? strlen(it->quoted) : 0;
		fresp_item(s, st, r, it->name, sect_word(it), it->origin, p, len, L);
	}
	if (r->f.envelope)
		fresp_item(s, st, r, "ENVELOPE", "envelope", -1, r->f.envelope,
		    strlen(r->f.envelope), NULL);
}

/* "* n FETCH (...)": t is the text after "* ". The line was read. */
static bool
fetch_response(struct mail_sess *s, struct imap *st, struct mail_line *l)
{
	struct fresp *r;
	const char *sp = memchr(l->raw.p + 2, ' ', l->raw.len - 2);
	size_t at;

	if (sp == NULL || (size_t)((const uint8_t *)sp - l->raw.p) + 7 > l->raw.len ||
	    strncasecmp(sp, " FETCH ", 7) != 0)
		return false;
	r = xcalloc(1, sizeof(*r));
	r->seq = strtoll((const char *)l->raw.p + 2, NULL, 10);
	at = (size_t)((const uint8_t *)sp - l->raw.p) + 7;
	r->off0 = l->off;
	r->frames0 = mail_frames(s, DIR_S2C, l->off, l->len);
	fresp_read(s, r, (struct slice){ l->raw.p + at, l->raw.len - at }, l);
	imap_fetch_parse(r->ch, r->nch, FETCH_ITEMS_MAX, &r->f);
	if (r->f.malformed)
		mail_log(s, DIR_S2C, r->off0, "mail.imap_fetch_syntax", "a FETCH response does not"
		    " follow RFC 9051 7.5.2 to its end; the items before the fault are read");
	if (r->f.dropped > 0)
		mail_log(s, DIR_S2C, r->off0, "mail.imap_items", "a FETCH response has %zu data items"
		    " more than the ceiling of %d; they are not listed", r->f.dropped, FETCH_ITEMS_MAX);
	fresp_decide(s, st, r);
	fresp_record(s, st, r);
	free(r->frames0);
	fresp_free(r);
	free(r);
	return true;
}

/* A literal in an untagged response other than FETCH (a LIST or STATUS
 * mailbox name, RFC 9051 4.3): a summary in the transcript. */
static void
untagged_literal(struct mail_sess *s, struct slice part, uint64_t n)
{
	char *item = fetch_item(part), *frames, *ref;
	struct buf b;
	struct mail_damage dmg = { 0 };
	uint64_t off = mail_off(s, DIR_S2C), got;

	buf_init(&b, mail_line_max(s));
	got = mail_read_counted(s, DIR_S2C, n, &b, &dmg);
	if (got > 0) {
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

/* "* ..." (RFC 9051 7): the greeting, capabilities, FETCH responses, and
 * literals with the lines that continue after them. */
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
	if (fetch_response(s, st, l))
		return;
	while (!l->toolong && literal_at_end(l->raw, &litn, &start)) {
		struct slice part = { l->raw.p, start };

		untagged_literal(s, part, litn);
		if (!mail_line(s, DIR_S2C, l, false))
			break;
	}
}

/* RFC 9051 6.3.2: a failed SELECT leaves no mailbox selected. */
static void
mailbox_select(struct imap *st, const char *name)
{
	free(st->mailbox);
	free(st->mailbox_utf8);
	st->mailbox = name ? xstrdup(name) : NULL;
	st->mailbox_utf8 = name ? imap_mailbox_decode(name) : NULL;
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
		else if (c->kind == I_SELECT)
			mailbox_select(st, ok ? c->user : NULL);
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
	for (i = 0; i < st->nhdr; i++) {
		buf_free(&st->hdr[i].b);
		free(st->hdr[i].mailbox);
	}
	free(st->hdr);
	free(st->mailbox);
	free(st->mailbox_utf8);
	free(st->c);
	free(st);
	mail_state_set(s, NULL);
}

const struct mail_proto mail_imap = {
	.name = "imap", .begin = imap_begin, .client = imap_client,
	.server = imap_server, .end = imap_end,
};
