/* pop3.c - POP3 sessions (RFC 1939) with CAPA/STLS (RFC 2449, RFC 2595)
 * and AUTH (RFC 5034, via sasl.c). Replies come in command order, so a
 * queue pairs them; RETR and TOP replies carry dot-stuffed messages. */
#include "mail/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/sasl.h"
#include "util/text.h"
#include "util/xalloc.h"

enum pk { Q_GREETING, Q_USER, Q_PASS, Q_APOP, Q_AUTH, Q_STLS, Q_RETR, Q_TOP, Q_CAPA, Q_LIST, Q_OTHER };

/* The multi-line answer being read, if any. */
enum listing { L_NONE, L_CAPA, L_LIST };

struct pop3 {
	enum pk *q;
	size_t nq, head, qcap;
	uint64_t nlisting;          /* lines of the listing being read */
	char *user;                 /* from USER */
	struct buf frames;          /* of the credential lines */
	int64_t cred_ts;
	char *pass;
	char *apop_ts;              /* the greeting's <timestamp> (RFC 1939 7) */
	char *apop_user, *apop_digest;
	bool auth_active;
	struct sasl_auth auth;
	enum listing listing;
};

static bool
pfx(struct slice l, const char *p)
{
	size_t n = strlen(p);

	return l.len >= n && strncasecmp((const char *)l.p, p, n) == 0;
}

static bool
verb(struct slice l, const char *v)
{
	size_t n = strlen(v);

	return pfx(l, v) && (l.len == n || l.p[n] == ' ');
}

static void
push(struct pop3 *st, enum pk k)
{
	if (st->head > 0 && st->head == st->nq)
		st->head = st->nq = 0;       /* all answered: the queue starts again */
	if (st->nq == st->qcap) {
		st->qcap = st->qcap ? st->qcap * 2 : 8;
		st->q = xreallocarray(st->q, st->qcap, sizeof(*st->q));
	}
	st->q[st->nq++] = k;
}

static bool
pop3_looks_like_reply(struct slice l)
{
	return pfx(l, "+OK") || pfx(l, "-ERR");
}

static void
add_frame(struct mail_sess *s, struct pop3 *st, const struct mail_line *l)
{
	mail_frames_add(s, &st->frames, l->frame, l->off, "login lines");
	st->cred_ts = l->ts_us;
}

static void
cred(struct mail_sess *s, struct pop3 *st, const char *mech, const char *user, const char *secret,
    const char *kind, const char *crack, const char *verdict, const char *reply)
{
	struct mail_cred c = {
		.mechanism = mech, .user = user, .secret = secret, .secret_kind = kind,
		.crack_line = crack, .verdict = verdict, .reply = reply,
		.frames = st->frames.len ? buf_str(&st->frames) : NULL, .ts_us = st->cred_ts,
	};

	mail_cred_store(s, &c);
	buf_reset(&st->frames);
}

static void
arg_of(struct slice l, struct slice *a)
{
	size_t i;

	for (i = 0; i < l.len && l.p[i] != ' '; i++)
		;
	a->p = l.p + (i < l.len ? i + 1 : i);
	a->len = i < l.len ? l.len - i - 1 : 0;
}

static void
pop3_client(struct mail_sess *s)
{
	struct pop3 *st = mail_state(s);
	struct mail_line l;
	struct slice a;
	size_t i;

	if (!mail_line(s, DIR_C2S, &l, false))
		return;
	/* RFC 1939 4: the server greets before the client says anything. A
	 * client command before any server line means the capture began in
	 * the middle of the session: the next "+OK" answers this command
	 * (a "+OK 120 octets" with the message after it is a RETR answer),
	 * not a greeting. */
	if (st->head == 0 && st->nq == 1 && st->q[0] == Q_GREETING && mail_off(s, DIR_S2C) == 0 &&
	    !verb(l.raw, "USER") && !verb(l.raw, "APOP") && !verb(l.raw, "CAPA") &&
	    !verb(l.raw, "AUTH") && !verb(l.raw, "STLS")) {
		/* (a client that opens a session before the greeting, an "early
		 * talker", starts with one of those: its greeting is still due) */
		st->head = 1;
		mail_log(s, DIR_C2S, l.off, "mail.mid_session", "no server greeting before the"
		    " client's first command: the session is read from the middle");
	}
	if (st->auth_active && sasl_auth_wants_response(&st->auth) &&
	    memchr(l.raw.p, ' ', l.raw.len) == NULL && !verb(l.raw, "QUIT") && !verb(l.raw, "CAPA")) {
		sasl_auth_response(&st->auth, (const char *)l.raw.p, l.raw.len);
		add_frame(s, st, &l);
		return;
	}
	arg_of(l.raw, &a);
	if (verb(l.raw, "USER")) {
		free(st->user);
		st->user = text_clean(a.p, a.len, 0);
		buf_reset(&st->frames);
		add_frame(s, st, &l);
		push(st, Q_USER);
	} else if (verb(l.raw, "PASS")) {
		free(st->pass);
		st->pass = text_clean(a.p, a.len, 0);
		add_frame(s, st, &l);
		push(st, Q_PASS);
	} else if (verb(l.raw, "APOP")) {
		/* RFC 1939 7: APOP name digest */
		for (i = 0; i < a.len && a.p[i] != ' '; i++)
			;
		free(st->apop_user);
		free(st->apop_digest);
		st->apop_user = text_clean(a.p, i, 0);
		st->apop_digest = i < a.len ? text_clean(a.p + i + 1, a.len - i - 1, 0) : NULL;
		buf_reset(&st->frames);
		add_frame(s, st, &l);
		push(st, Q_APOP);
	} else if (verb(l.raw, "AUTH") && a.len > 0) {
		for (i = 0; i < a.len && a.p[i] != ' '; i++)
			;
		if (st->auth_active)
			sasl_auth_free(&st->auth);
		sasl_auth_init(&st->auth, (const char *)a.p, i);
		st->auth_active = true;
		buf_reset(&st->frames);
		st->cred_ts = l.ts_us;
		if (i < a.len) {
			sasl_auth_response(&st->auth, (const char *)a.p + i + 1, a.len - i - 1);
			add_frame(s, st, &l);
		}
		push(st, Q_AUTH);
	} else if (verb(l.raw, "STLS")) {
		push(st, Q_STLS);
	} else if (verb(l.raw, "RETR")) {
		push(st, Q_RETR);
	} else if (verb(l.raw, "TOP")) {
		push(st, Q_TOP);
	} else if (verb(l.raw, "CAPA")) {
		push(st, Q_CAPA);       /* RFC 2449 5 */
	} else if (verb(l.raw, "AUTH") ||
	    ((verb(l.raw, "LIST") || verb(l.raw, "UIDL")) && a.len == 0)) {
		push(st, Q_LIST);       /* RFC 1939 5: scan and unique-id listings */
	} else {
		push(st, Q_OTHER);
	}
}

/* One line of a multi-line answer (RFC 1939 3), read one line at a time so
 * that the client's commands stay in order with it. true when the line was
 * part of the answer. A status line cannot be one (capability names, scan
 * and unique-id listings never start with "+OK" or "-ERR"): the server left
 * out the "." line, and the status line is the next reply. */
static bool
listing_line(struct mail_sess *s, struct pop3 *st, const struct mail_line *l)
{
	if (l->raw.len == 1 && l->raw.p[0] == '.') {
		st->listing = L_NONE;
		return true;
	}
	if (pop3_looks_like_reply(l->raw)) {
		mail_log(s, DIR_S2C, l->off, "pop3.unterminated",
		    "a multi-line answer ended without its \".\" line; this line is taken as the next reply");
		st->listing = L_NONE;
		return false;
	}
	if (++st->nlisting > mail_limits(s)->pop3_lines && mail_limits(s)->pop3_lines) {
		/* the lines are consumed up to the "." line, not read */
		if (st->nlisting == (uint64_t)mail_limits(s)->pop3_lines + 1)
			mail_log(s, DIR_S2C, l->off, "pop3.listing_lines", "a multi-line answer passes"
			    " the ceiling of %u lines (pop3-lines); the rest are not read",
			    mail_limits(s)->pop3_lines);
		return true;
	}
	if (st->listing == L_CAPA)
		mail_add_capability(s, l->text);
	return true;
}

static void
retr(struct mail_sess *s, bool top)
{
	struct buf raw;
	struct mail_damage dmg;
	uint64_t start = mail_off(s, DIR_S2C), term, end;
	struct msg_origin o;
	char *frames, *ref;
	int n = mail_msg_next(s);

	memset(&dmg, 0, sizeof(dmg));
	buf_init(&raw, mail_msg_max(s));
	(void)mail_read_dotted(s, DIR_S2C, &raw, &term, &end, &dmg, pop3_looks_like_reply);
	frames = mail_frames(s, DIR_S2C, start, end - start);
	ref = mail_msg_ref(n, raw.len, frames, dmg.incomplete ? dmg.why :
	    top ? "TOP: headers and the first lines only" : NULL);
	mail_transcript(s, DIR_S2C, start, end - start, ref);
	memset(&o, 0, sizeof(o));
	o.frames = frames;
	o.stream_off = start;
	o.ts_us = mail_ts(s, DIR_S2C, term < end ? term : (end > start ? end - 1 : start));
	o.incomplete = dmg.incomplete;
	o.incomplete_why = dmg.incomplete ? dmg.why : NULL;
	o.partial = top;
	(void)mail_msg_submit(s, raw.p ? raw.p : "", raw.len, &o);
	free(ref);
	free(frames);
	buf_free(&raw);
	mail_damage_free(&dmg);
}

static void
pop3_server(struct mail_sess *s)
{
	struct pop3 *st = mail_state(s);
	struct mail_line l;
	enum pk k;
	bool ok;
	char *reply;

	if (!mail_line(s, DIR_S2C, &l, false))
		return;
	if (st->listing != L_NONE && listing_line(s, st, &l))
		return;
	if (st->auth_active && l.raw.len >= 1 && l.raw.p[0] == '+' &&
	    (l.raw.len == 1 || l.raw.p[1] == ' ')) {
		/* RFC 5034 4: "+ " base64 challenge */
		sasl_auth_challenge(&st->auth, l.raw.len > 2 ? l.text + 2 : "",
		    l.raw.len > 2 ? strlen(l.text + 2) : 0);
		return;
	}
	if (!pfx(l.raw, "+OK") && !pfx(l.raw, "-ERR")) {
		mail_log(s, DIR_S2C, l.off, "pop3.bad_reply", "not a POP3 reply: %.*s",
		    (int)mail_text_prefix(l.text, 80), l.text);
		return;
	}
	ok = pfx(l.raw, "+OK");
	if (st->head >= st->nq) {
		mail_note(s, "reply with no command waiting for it (frame %u)", (unsigned)l.frame);
		return;
	}
	k = st->q[st->head++];
	reply = xstrdup(l.text);
	switch (k) {
	case Q_GREETING: {
		const char *t = mail_line_rest(&l, ok ? 3 : 4, " ");
		const char *lt = strchr(t, '<'), *gt = lt ? strchr(lt, '>') : NULL;
		char *name = NULL;
		size_t i;
		for (i = 0; t[i] && t[i] != ' '; i++)
			;
		if (memchr(t, '.', i) && t[0] != '<')
			name = xstrndup(t, i);
		mail_set_greeting(s, t, name, name ? (t[i] ? t + i + 1 : NULL) : (*t ? t : NULL));
		free(name);
		if (lt && gt) {
			free(st->apop_ts);
			st->apop_ts = xstrndup(lt, (size_t)(gt - lt + 1));
		}
		break;
	}
	case Q_USER:
		if (!ok) {
			cred(s, st, "USER/PASS", st->user, NULL, NULL, NULL, "rejected", reply);
			free(st->user);
			st->user = NULL;
		}
		break;
	case Q_PASS:
		cred(s, st, "USER/PASS", st->user, st->pass, "password", NULL,
		    ok ? "accepted" : "rejected", reply);
		free(st->pass);
		st->pass = NULL;
		break;
	case Q_APOP: {
		/* hashcat mode 20, md5($salt.$pass): "digest:timestamp" */
		char *crack = st->apop_digest && st->apop_ts ?
		    xasprintf("%s:%s", st->apop_digest, st->apop_ts) : NULL;
		cred(s, st, "APOP", st->apop_user, st->apop_digest, "apop digest", crack,
		    ok ? "accepted" : "rejected", reply);
		free(crack);
		break;
	}
	case Q_AUTH:
		if (st->auth_active) {
			struct mail_cred c = {
				.mechanism = st->auth.mech_name, .authzid = st->auth.authzid,
				.user = st->auth.user, .secret = st->auth.secret,
				.secret_kind = st->auth.secret_kind, .crack_line = st->auth.crack_line,
				.verdict = ok ? "accepted" : "rejected", .reply = reply,
				.frames = st->frames.len ? buf_str(&st->frames) : NULL,
				.ts_us = st->cred_ts, .domain = st->auth.domain,
				.workstation = st->auth.workstation, .details = st->auth.details,
			};
			mail_cred_store(s, &c);
			buf_reset(&st->frames);
			sasl_auth_free(&st->auth);
			st->auth_active = false;
		}
		break;
	case Q_STLS:
		if (ok)
			mail_start_tls(s, DIR_S2C, l.off);
		break;
	case Q_RETR:
	case Q_TOP:
		if (ok)
			retr(s, k == Q_TOP);
		break;
	case Q_CAPA:
	case Q_LIST:
		if (ok)
			st->listing = k == Q_CAPA ? L_CAPA : L_LIST;
		st->nlisting = 0;
		break;
	case Q_OTHER:
		break;
	}
	free(reply);
}

static void
pop3_begin(struct mail_sess *s)
{
	struct pop3 *st = xcalloc(1, sizeof(*st));

	buf_init(&st->frames, 4096);
	push(st, Q_GREETING);
	mail_state_set(s, st);
}

static void
pop3_end(struct mail_sess *s)
{
	struct pop3 *st = mail_state(s);

	if (st->auth_active) {
		struct mail_cred c = {
			.mechanism = st->auth.mech_name, .authzid = st->auth.authzid,
			.user = st->auth.user, .secret = st->auth.secret,
			.secret_kind = st->auth.secret_kind, .crack_line = st->auth.crack_line,
			.verdict = "unknown", .frames = st->frames.len ? buf_str(&st->frames) : NULL,
			.ts_us = st->cred_ts,
		};
		mail_cred_store(s, &c);
	} else if (st->pass) {
		cred(s, st, "USER/PASS", st->user, st->pass, "password", NULL, "unknown", NULL);
	}
	sasl_auth_free(&st->auth);
	buf_free(&st->frames);
	free(st->user);
	free(st->pass);
	free(st->apop_ts);
	free(st->apop_user);
	free(st->apop_digest);
	free(st->q);
	free(st);
	mail_state_set(s, NULL);
}

const struct mail_proto mail_pop3 = {
	.name = "pop3", .begin = pop3_begin, .client = pop3_client,
	.server = pop3_server, .end = pop3_end,
};
