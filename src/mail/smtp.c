/* smtp.c - SMTP sessions (RFC 5321) with the extensions a capture shows:
 * EHLO capabilities, AUTH (RFC 4954, via sasl.c), PIPELINING (RFC 2920),
 * CHUNKING/BDAT (RFC 3030) and STARTTLS (RFC 3207).
 *
 * Replies are paired with commands in order (RFC 2920 3.1: the server
 * answers pipelined commands in the order they were sent), so the parser
 * keeps a queue of commands awaiting replies. Messages are handed to
 * message analysis when the session ends, once every RCPT TO has its reply
 * and the envelope says which recipients were accepted. */
#include "mail/session.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/sasl.h"
#include "util/text.h"
#include "util/xalloc.h"

enum pend_kind {
	P_GREETING, P_HELO, P_AUTH, P_MAIL, P_RCPT, P_DATA, P_DATA_END, P_BDAT,
	P_STARTTLS, P_OTHER,
};

struct pend {
	enum pend_kind kind;
	int txn, idx;               /* transaction, and recipient or message index */
};

struct rcpt {
	char *addr;
	int code;                   /* reply code, 0 when no reply was seen */
};

struct txn {
	char *from;
	int from_code;
	struct rcpt *r;
	size_t nr, rcap;
};

struct smsg {
	int n;                      /* "message N" */
	int txn;
	struct buf raw;
	uint64_t off, end;          /* stream range carrying the data */
	int64_t ts_us;              /* when the transfer completed */
	struct mail_damage dmg;
	bool open;                  /* BDAT chunks still to come */
	int chunks;
	int code;                   /* reply to the final "." or BDAT LAST */
};

struct smtp {
	struct pend *q;
	size_t nq, head, qcap;
	struct txn *tx;
	size_t ntx, txcap;
	int cur;                    /* current transaction, -1 when none */
	struct smsg *m;
	size_t nm, mcap;
	/* The ceilings (util/limits.h): what passes them is counted, not kept. */
	uint64_t nrcpt;             /* RCPT TO seen in the session */
	uint64_t over_rcpt, over_txn, over_pending;
	int bdat;                   /* message receiving BDAT chunks, -1 when none */
	bool data_mode;             /* DATA sent; its data follows unless refused */
	bool auth_active;
	struct sasl_auth auth;
	struct buf auth_frames;
	int64_t auth_ts;
	bool stored_auth;
};

/* Queues a command awaiting its reply. Past lim->smtp_pending commands
 * waiting (a client that pipelines without end, or a server whose replies
 * the capture lost), the command is not queued: its reply, if one comes,
 * is then read as answering a later command, and the log says from where. */
static void
push(struct mail_sess *s, struct smtp *st, enum pend_kind k, int txn, int idx)
{
	unsigned max = mail_limits(s)->smtp_pending;

	if (max && st->nq - st->head >= max) {
		if (st->over_pending++ == 0)
			mail_log(s, DIR_C2S, mail_off(s, DIR_C2S), "smtp.pending_ceiling",
			    "more than %u commands wait for their replies (smtp-pending); later ones"
			    " are not paired with replies", max);
		return;
	}
	if (st->head > 0 && st->head == st->nq)
		st->head = st->nq = 0;       /* all answered: the queue starts again */
	if (st->nq == st->qcap && st->head > st->qcap / 2) {
		/* move the waiting commands down rather than grow */
		memmove(st->q, st->q + st->head, (st->nq - st->head) * sizeof(*st->q));
		st->nq -= st->head;
		st->head = 0;
	}
	if (st->nq == st->qcap) {
		st->qcap = st->qcap ? st->qcap * 2 : 16;
		st->q = xreallocarray(st->q, st->qcap, sizeof(*st->q));
	}
	st->q[st->nq++] = (struct pend){ k, txn, idx };
}

static bool
pop(struct smtp *st, struct pend *p)
{
	if (st->head >= st->nq)
		return false;
	*p = st->q[st->head++];
	return true;
}

static bool
prefix(struct slice l, const char *p)
{
	size_t n = strlen(p);

	return l.len >= n && strncasecmp((const char *)l.p, p, n) == 0;
}

static bool
verb_is(struct slice l, const char *v)
{
	size_t n = strlen(v);

	return prefix(l, v) && (l.len == n || l.p[n] == ' ');
}

/* RFC 5321 4.1.1: the commands a client could send after a hole. */
static bool
smtp_looks_like_command(struct slice l)
{
	return prefix(l, "MAIL FROM:") || prefix(l, "RCPT TO:") || verb_is(l, "RSET") ||
	    verb_is(l, "QUIT") || verb_is(l, "EHLO") || verb_is(l, "HELO") ||
	    verb_is(l, "DATA") || verb_is(l, "BDAT") || verb_is(l, "NOOP") ||
	    verb_is(l, "STARTTLS") || verb_is(l, "AUTH");
}

/* A new transaction, or -1 past lim->smtp_transactions (logged): its
 * envelope is then not kept. */
static int
new_txn(struct mail_sess *s, struct smtp *st)
{
	unsigned max = mail_limits(s)->smtp_transactions;

	if (max && st->ntx >= max) {
		if (st->over_txn++ == 0)
			mail_log(s, DIR_C2S, mail_off(s, DIR_C2S), "smtp.transactions_ceiling",
			    "the session passes the ceiling of %u transactions (smtp-transactions);"
			    " the envelopes of later ones are not kept", max);
		st->cur = -1;
		return -1;
	}
	if (st->ntx == st->txcap) {
		st->txcap = st->txcap ? st->txcap * 2 : 4;
		st->tx = xreallocarray(st->tx, st->txcap, sizeof(*st->tx));
	}
	memset(&st->tx[st->ntx], 0, sizeof(st->tx[0]));
	st->cur = (int)st->ntx++;
	return st->cur;
}

static int
new_msg(struct mail_sess *s, struct smtp *st, uint64_t off)
{
	struct smsg *m;

	if (st->cur < 0)
		(void)new_txn(s, st);
	if (st->nm == st->mcap) {
		st->mcap = st->mcap ? st->mcap * 2 : 4;
		st->m = xreallocarray(st->m, st->mcap, sizeof(*st->m));
	}
	m = &st->m[st->nm];
	memset(m, 0, sizeof(*m));
	m->n = mail_msg_next(s);
	m->txn = st->cur;
	m->off = m->end = off;
	buf_init(&m->raw, mail_msg_max(s));
	return (int)st->nm++;
}

/* The path of MAIL FROM:<path> params (RFC 5321 4.1.2), and the parameters. */
static char *
path_take(struct slice arg, char **params)
{
	size_t i = 0, a, b;

	while (i < arg.len && arg.p[i] == ' ')
		i++;
	if (i < arg.len && arg.p[i] == '<') {
		a = ++i;
		while (i < arg.len && arg.p[i] != '>')
			i++;
		b = i;
		if (i < arg.len)
			i++;
	} else {
		a = i;
		while (i < arg.len && arg.p[i] != ' ')
			i++;
		b = i;
	}
	while (i < arg.len && arg.p[i] == ' ')
		i++;
	if (params)
		*params = i < arg.len ? text_clean(arg.p + i, arg.len - i, 0) : NULL;
	return text_clean(arg.p + a, b - a, 0);
}

static bool
looks_base64(struct slice l)
{
	size_t i;

	for (i = 0; i < l.len; i++) {
		unsigned char c = l.p[i];
		if (!(isalnum(c) || c == '+' || c == '/' || c == '=' || c == '*'))
			return false;
	}
	return true;
}

static void
auth_store(struct mail_sess *s, struct smtp *st, const char *verdict, const char *reply)
{
	struct mail_cred c = {
		.mechanism = st->auth.mech_name, .authzid = st->auth.authzid,
		.user = st->auth.user, .secret = st->auth.secret,
		.secret_kind = st->auth.secret_kind, .crack_line = st->auth.crack_line,
		.verdict = verdict, .reply = reply,
		.frames = st->auth_frames.len ? buf_str(&st->auth_frames) : NULL,
		.ts_us = st->auth_ts, .domain = st->auth.domain,
		.workstation = st->auth.workstation, .details = st->auth.details,
	};

	mail_cred_store(s, &c);
	sasl_auth_free(&st->auth);
	buf_reset(&st->auth_frames);
	st->auth_active = false;
}

static void
auth_frame(struct mail_sess *s, struct smtp *st, const struct mail_line *l)
{
	mail_frames_add(s, &st->auth_frames, l->frame, l->off, "AUTH responses");
	st->auth_ts = l->ts_us;
}

/* Message data after DATA's 354 (RFC 5321 4.1.1.4). */
static void
read_data(struct mail_sess *s, struct smtp *st)
{
	uint64_t start = mail_off(s, DIR_C2S), term, end;
	int i = new_msg(s, st, start);
	struct smsg *m = &st->m[i];
	char *frames, *ref;

	(void)mail_read_dotted(s, DIR_C2S, &m->raw, &term, &end, &m->dmg, smtp_looks_like_command);
	m->end = end;
	m->ts_us = mail_ts(s, DIR_C2S, term < end ? term : (end > start ? end - 1 : start));
	frames = mail_frames(s, DIR_C2S, start, end - start);
	ref = mail_msg_ref(m->n, m->raw.len, frames, m->dmg.incomplete ? m->dmg.why : NULL);
	mail_transcript(s, DIR_C2S, start, end - start, ref);
	free(ref);
	free(frames);
	push(s, st, P_DATA_END, m->txn, i);
	st->data_mode = false;
	st->cur = -1;               /* the next MAIL FROM starts a new transaction */
}

/* BDAT <size> [LAST] (RFC 3030 2): size octets follow the command at once. */
static void
bdat(struct mail_sess *s, struct smtp *st, const struct mail_line *l, struct slice arg)
{
	uint64_t size = 0, start, got;
	size_t i = 0, digits = 0;
	bool last = false, bad = false;
	struct smsg *m;
	char *frames, *ref, *extra;
	int mi;

	while (i < arg.len && isdigit(arg.p[i])) {
		if (size > (UINT64_MAX - 9) / 10)
			bad = true;
		size = size * 10 + (uint64_t)(arg.p[i] - '0');
		i++, digits++;
	}
	if (digits == 0 || bad || (i < arg.len && arg.p[i] != ' ')) {
		mail_log(s, DIR_C2S, l->off, "smtp.bdat_invalid",
		    "BDAT with an invalid chunk size: %s", l->text);
		push(s, st, P_OTHER, -1, -1);
		return;
	}
	while (i < arg.len && arg.p[i] == ' ')
		i++;
	if (arg.len - i >= 4 && strncasecmp((const char *)arg.p + i, "LAST", 4) == 0)
		last = true;
	if (st->bdat < 0)
		st->bdat = new_msg(s, st, mail_off(s, DIR_C2S));
	mi = st->bdat;
	m = &st->m[mi];
	start = mail_off(s, DIR_C2S);
	got = mail_read_counted(s, DIR_C2S, size, &m->raw, &m->dmg);
	m->chunks++;
	m->end = start + got;
	m->ts_us = mail_ts(s, DIR_C2S, got ? start + got - 1 : start);
	if (got > 0) {
		frames = mail_frames(s, DIR_C2S, start, got);
		extra = xasprintf("BDAT chunk %d%s", m->chunks, last ? ", LAST" : "");
		ref = mail_msg_ref(m->n, (size_t)got, frames, extra);
		free(extra);
		mail_transcript(s, DIR_C2S, start, got, ref);
		free(ref);
		free(frames);
	}
	push(s, st, P_BDAT, m->txn, mi);
	if (last) {
		st->bdat = -1;
		st->cur = -1;
	}
}

/* RFC 5321 3.1: the server greets before the client's first command. A
 * first client line other than EHLO/HELO/LHLO (which an early talker sends
 * before the greeting) before any server line means the capture began in
 * the middle of the session: no greeting is due, and the next reply
 * answers this command. */
static void
smtp_mid_session(struct mail_sess *s, struct smtp *st, const struct mail_line *l)
{
	if (st->head != 0 || st->nq != 1 || st->q[0].kind != P_GREETING || mail_off(s, DIR_S2C) != 0 ||
	    verb_is(l->raw, "EHLO") || verb_is(l->raw, "HELO") || verb_is(l->raw, "LHLO"))
		return;
	st->head = 1;
	mail_log(s, DIR_C2S, l->off, "mail.mid_session", "no server greeting before the"
	    " client's first command: the session is read from the middle");
}

static void
smtp_client(struct mail_sess *s)
{
	struct smtp *st = mail_state(s);
	struct mail_line l;
	struct slice arg;
	size_t i;

	if (st->data_mode) {
		read_data(s, st);
		return;
	}
	if (!mail_line(s, DIR_C2S, &l, false))
		return;
	smtp_mid_session(s, st, &l);
	if (st->auth_active && sasl_auth_wants_response(&st->auth) && looks_base64(l.raw)) {
		/* RFC 4954 4: a base64 response to a 334 challenge */
		sasl_auth_response(&st->auth, (const char *)l.raw.p, l.raw.len);
		auth_frame(s, st, &l);
		return;
	}
	for (i = 0; i < l.raw.len && l.raw.p[i] != ' '; i++)
		;
	arg.p = l.raw.p + (i < l.raw.len ? i + 1 : i);
	arg.len = i < l.raw.len ? l.raw.len - i - 1 : 0;

	if (verb_is(l.raw, "EHLO") || verb_is(l.raw, "HELO") || verb_is(l.raw, "LHLO")) {
		char *name = text_clean(arg.p, arg.len, 0);
		mail_set_client_name(s, name);
		free(name);
		push(s, st, P_HELO, -1, -1);
	} else if (verb_is(l.raw, "AUTH")) {
		size_t j;
		if (st->auth_active)
			auth_store(s, st, "unknown", NULL);
		for (j = 0; j < arg.len && arg.p[j] != ' '; j++)
			;
		sasl_auth_init(&st->auth, (const char *)arg.p, j);
		st->auth_active = true;
		st->auth_ts = l.ts_us;
		if (j < arg.len) {
			/* the initial response (RFC 4954 4) */
			sasl_auth_response(&st->auth, (const char *)arg.p + j + 1, arg.len - j - 1);
			auth_frame(s, st, &l);
		}
		push(s, st, P_AUTH, -1, -1);
	} else if (prefix(l.raw, "MAIL FROM:")) {
		struct slice a = { l.raw.p + 10, l.raw.len - 10 };
		int t = new_txn(s, st);
		if (t >= 0)
			st->tx[t].from = path_take(a, NULL);
		push(s, st, P_MAIL, t, -1);
	} else if (prefix(l.raw, "RCPT TO:")) {
		struct slice a = { l.raw.p + 8, l.raw.len - 8 };
		int t = st->cur >= 0 ? st->cur : st->over_txn ? -1 : new_txn(s, st);
		unsigned max = mail_limits(s)->smtp_recipients;
		struct txn *x = t >= 0 ? &st->tx[t] : NULL;

		if (x != NULL && max && ++st->nrcpt > max) {
			if (st->over_rcpt++ == 0)
				mail_log(s, DIR_C2S, l.off, "smtp.recipients_ceiling",
				    "the session passes the ceiling of %u recipients (smtp-recipients);"
				    " later RCPT TO addresses are counted, not kept", max);
			x = NULL;
		}
		if (x == NULL) {
			push(s, st, P_RCPT, -1, -1);
		} else {
			if (x->nr == x->rcap) {
				x->rcap = x->rcap ? x->rcap * 2 : 4;
				x->r = xreallocarray(x->r, x->rcap, sizeof(*x->r));
			}
			x->r[x->nr].addr = path_take(a, NULL);
			x->r[x->nr].code = 0;
			push(s, st, P_RCPT, t, (int)x->nr++);
		}
	} else if (verb_is(l.raw, "DATA")) {
		st->data_mode = true;
		push(s, st, P_DATA, st->cur, -1);
	} else if (verb_is(l.raw, "BDAT")) {
		bdat(s, st, &l, arg);
	} else if (verb_is(l.raw, "RSET")) {
		/* RFC 5321 4.1.1.5: the transaction, and any chunks sent, are gone */
		if (st->bdat >= 0) {
			struct smsg *m = &st->m[st->bdat];
			mail_damage_set(&m->dmg,
			    "the client reset the transaction (RSET) before BDAT LAST");
			st->bdat = -1;
		}
		st->cur = -1;
		push(s, st, P_OTHER, -1, -1);
	} else if (verb_is(l.raw, "STARTTLS")) {
		push(s, st, P_STARTTLS, -1, -1);
	} else {
		push(s, st, P_OTHER, -1, -1);
	}
}

/* One reply as read: its code, the text of its first line and of the
 * lines after it. */
struct reply {
	int code;                   /* -1 when no reply could be read */
	uint64_t off;               /* where its first line starts */
	char *first;
	char **more;
	size_t nmore;
	bool over;                  /* more lines than SMTP_REPLY_LINES */
};

/* Lines of one multi-line reply read (RFC 5321 4.2.1 sets no number; an
 * EHLO reply has a line per extension, a few dozen at most). */
#define SMTP_REPLY_LINES 1000

static void
reply_free(struct reply *r)
{
	size_t i;

	free(r->first);
	for (i = 0; i < r->nmore; i++)
		free(r->more[i]);
	free(r->more);
}

/* One reply, single or multi-line (RFC 5321 4.2.1: "250-" continues,
 * "250 " ends). A line that is no reply ends it. */
static void
reply_read(struct mail_sess *s, struct reply *r)
{
	struct mail_line l;

	memset(r, 0, sizeof(*r));
	r->code = -1;
	r->off = mail_off(s, DIR_S2C);
	while (mail_line(s, DIR_S2C, &l, false)) {
		if (l.raw.len < 3 || !isdigit(l.raw.p[0]) || !isdigit(l.raw.p[1]) ||
		    !isdigit(l.raw.p[2])) {
			mail_log(s, DIR_S2C, l.off, "smtp.bad_reply", "not an SMTP reply: %.*s",
			    (int)mail_text_prefix(l.text, 80), l.text);
			return;
		}
		if (r->code < 0) {
			r->code = (l.raw.p[0] - '0') * 100 + (l.raw.p[1] - '0') * 10 + (l.raw.p[2] - '0');
			r->first = xstrdup(mail_line_rest(&l, 3, " -"));
		} else if (r->nmore < SMTP_REPLY_LINES) {
			r->more = xreallocarray(r->more, r->nmore + 1, sizeof(*r->more));
			r->more[r->nmore++] = xstrdup(mail_line_rest(&l, 3, " -"));
		} else if (!r->over) {
			r->over = true;
			mail_log(s, DIR_S2C, l.off, "smtp.reply_lines", "a reply of more than %d lines;"
			    " the lines after them are in the transcript, not read", SMTP_REPLY_LINES);
		}
		if (!(l.raw.len > 3 && l.raw.p[3] == '-'))
			return;
	}
}

/* RFC 5321 4.2: "220 domain text"; the text usually names the software,
 * with a date after a semicolon. */
static void
greeting(struct mail_sess *s, const char *text)
{
	char *name = xstrdup(text), *sw, *sp, *semi;

	sp = strchr(name, ' ');
	sw = sp ? sp + 1 : NULL;
	if (sp)
		*sp = 0;
	if (sw && (strncasecmp(sw, "ESMTP ", 6) == 0 || strncasecmp(sw, "SMTP ", 5) == 0))
		sw = strchr(sw, ' ') + 1;
	if (sw && (semi = strchr(sw, ';')) != NULL)
		*semi = 0;
	while (sw && *sw == ' ')
		sw++;
	mail_set_greeting(s, text, *name ? name : NULL, sw && *sw ? sw : NULL);
	free(name);
}

/* What a reply tells about the command it answers. */
static void
reply_apply(struct mail_sess *s, struct smtp *st, const struct pend *p, const struct reply *r)
{
	size_t i;
	int code = r->code;

	switch (p->kind) {
	case P_GREETING:
		greeting(s, r->first);
		break;
	case P_HELO:
		if (code / 100 == 2) {
			mail_clear_capabilities(s);
			for (i = 0; i < r->nmore; i++)
				mail_add_capability(s, r->more[i]);
		}
		break;
	case P_AUTH:
		if (st->auth_active) {
			char *reply = xasprintf("%d %s", code, r->first);
			auth_store(s, st, code / 100 == 2 ? "accepted" : code / 100 == 5 ? "rejected" :
			    "unknown", reply);
			free(reply);
		}
		break;
	case P_MAIL:
		if (p->txn >= 0)
			st->tx[p->txn].from_code = code;
		break;
	case P_RCPT:
		if (p->txn >= 0 && p->idx >= 0 && (size_t)p->idx < st->tx[p->txn].nr)
			st->tx[p->txn].r[p->idx].code = code;
		break;
	case P_DATA:
		if (code != 354)
			st->data_mode = false;
		break;
	case P_DATA_END:
	case P_BDAT:
		if (p->idx >= 0)
			st->m[p->idx].code = code;
		break;
	case P_STARTTLS:
		if (code == 220)
			mail_start_tls(s, DIR_S2C, r->off);
		break;
	case P_OTHER:
		break;
	}
}

static void
smtp_server(struct mail_sess *s)
{
	struct smtp *st = mail_state(s);
	struct reply r;
	struct pend p;

	reply_read(s, &r);
	if (r.code < 0) {
		reply_free(&r);
		return;
	}
	if (!pop(st, &p)) {
		mail_note(s, "reply %d with no command waiting for it", r.code);
	} else if (p.kind == P_AUTH && r.code == 334) {
		/* AUTH stays waiting while the server sends 334 challenges. */
		st->head--;
		if (st->auth_active)
			sasl_auth_challenge(&st->auth, r.first, strlen(r.first));
	} else {
		reply_apply(s, st, &p, &r);
	}
	reply_free(&r);
}

static void
smtp_begin(struct mail_sess *s)
{
	struct smtp *st = xcalloc(1, sizeof(*st));

	st->cur = -1;
	st->bdat = -1;
	buf_init(&st->auth_frames, 4096);
	push(s, st, P_GREETING, -1, -1);
	mail_state_set(s, st);
}

static void
smtp_end(struct mail_sess *s)
{
	struct smtp *st = mail_state(s);
	size_t i, j;

	if (st->auth_active)
		auth_store(s, st, "unknown", NULL);
	for (i = 0; i < st->nm; i++) {
		struct smsg *m = &st->m[i];
		struct msg_origin o;
		const char **rc = NULL;
		size_t nrc = 0;
		char *frames = mail_frames(s, DIR_C2S, m->off, m->end - m->off);

		if ((int)i == st->bdat)
			mail_damage_set(&m->dmg, "the capture ended before BDAT LAST");
		memset(&o, 0, sizeof(o));
		if (m->txn >= 0) {
			struct txn *x = &st->tx[m->txn];
			o.env_from = x->from;
			/* Accepted recipients: a 2xx reply (RFC 5321 4.2.1), or no
			 * reply in the capture (one side only) rather than none. */
			rc = xcalloc(x->nr + 1, sizeof(*rc));
			for (j = 0; j < x->nr; j++)
				if (x->r[j].code == 0 || x->r[j].code / 100 == 2)
					rc[nrc++] = x->r[j].addr;
		}
		o.env_rcpt = rc;
		o.nrcpt = nrc;
		o.frames = frames;
		o.stream_off = m->off;
		o.ts_us = m->ts_us;
		o.incomplete = m->dmg.incomplete;
		o.incomplete_why = m->dmg.incomplete ? m->dmg.why : NULL;
		(void)mail_msg_submit(s, m->raw.p ? m->raw.p : "", m->raw.len, &o);
		free(rc);
		free(frames);
		buf_free(&m->raw);
		mail_damage_free(&m->dmg);
	}
	for (i = 0; i < st->ntx; i++) {
		free(st->tx[i].from);
		for (j = 0; j < st->tx[i].nr; j++)
			free(st->tx[i].r[j].addr);
		free(st->tx[i].r);
	}
	sasl_auth_free(&st->auth);
	buf_free(&st->auth_frames);
	free(st->tx);
	free(st->m);
	free(st->q);
	free(st);
	mail_state_set(s, NULL);
}

const struct mail_proto mail_smtp = {
	.name = "smtp", .begin = smtp_begin, .client = smtp_client,
	.server = smtp_server, .end = smtp_end,
};
