/* session.c - the common part of the mail parsers: which protocol a flow
 * speaks, reading its two directions in capture order, and handing the
 * session, its transcript, credentials and messages to the sink. See
 * session.h and sink.h. */
#include "mail/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/message.h"
#include "mail/tls.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

struct mail_dir {
	const struct stream_dir *sd;
	struct rd r;
	char *text;                 /* the last line handed out, printable */
};

/* Entries of one code listed per session; codes counted apart (the rest
 * of the codes are listed in full). */
#define MAIL_LOG_REPEAT 3
#define MAIL_LOG_CODES 32

struct mail_sess {
	const struct mail_env *env;
	const struct mail_sink *sink;
	const struct flow *f;
	const struct mail_proto *p;
	struct mail_dir dir[2];
	int64_t seq;
	char *greeting, *server_name, *server_software, *client_name;
	struct buf caps, notes;
	bool tls;
	uint32_t tls_frame;
	const char *tls_state;      /* sink.h's tls values; NULL: "none" */
	int64_t first_us, last_us;
	int nmsg;                   /* message numbers handed out */
	struct { const char *code; uint64_t n; } logc[MAIL_LOG_CODES];   /* mail_log() per code */
	size_t nlogc;
	int first_dir;              /* who wrote the transcript's first line, and where */
	uint32_t first_frame;
	int64_t stored;             /* messages handed to the sink */
	uint64_t tr_over, tr_over_bytes;  /* transcript lines past lim->transcript_lines */
	uint64_t nitems;            /* IMAP data items seen (lim->imap_items) */
	int tr_over_dir;
	uint64_t tr_over_off;
	char *cli, *srv;            /* "ip:port" */
	void *state;
};

/* ---- protocol detection ------------------------------------------------ */

static bool
starts(struct slice l, const char *p)
{
	size_t n = strlen(p);

	return l.len >= n && strncasecmp((const char *)l.p, p, n) == 0;
}

static bool
first_line(const struct stream_dir *d, uint64_t off, struct slice *l)
{
	struct rd r;

	if (off >= d->data.len)
		return false;       /* nothing there (an empty direction has no data pointer) */
	rd_init(&r, d->data.p, d->data.len);
	rd_skip(&r, (size_t)off);
	if (!rd_line(&r, 4096, l)) {
		/* a first line with no end yet still names its protocol */
		rd_init(&r, d->data.p, d->data.len);
		rd_skip(&r, (size_t)off);
		*l = rd_rest(&r);
		if (l->len > 4096)
			l->len = 4096;
	}
	return l->len > 0;
}

/* The offset just past the blank line ending an HTTP head, or 0. */
static uint64_t
http_head_end(const struct stream_dir *d)
{
	struct rd r;
	struct slice l;

	rd_init(&r, d->data.p, d->data.len);
	while (rd_line(&r, 8192, &l))
		if (l.len == 0)
			return r.off;
	return 0;
}

/* A mail session inside an HTTP CONNECT tunnel (RFC 9110 9.3.6): the
 * client's CONNECT and the proxy's 2xx answer come first, then the tunnel
 * carries the mail protocol. Sets the offsets where the tunnel begins. */
static bool
connect_tunnel(const struct flow *f, uint64_t *off_c, uint64_t *off_s)
{
	struct slice c, s;

	if (!f->buffered || !first_line(&f->dir[DIR_C2S], 0, &c) ||
	    !first_line(&f->dir[DIR_S2C], 0, &s))
		return false;
	if (!starts(c, "CONNECT ") || !starts(s, "HTTP/1.") || s.len < 12 || s.p[9] != '2')
		return false;
	*off_c = http_head_end(&f->dir[DIR_C2S]);
	*off_s = http_head_end(&f->dir[DIR_S2C]);
	return *off_c > 0 && *off_s > 0;
}

static const char *
detect(const struct flow *f, uint64_t off_c, uint64_t off_s)
{
	struct slice l;
	size_t i;

	if (first_line(&f->dir[DIR_S2C], off_s, &l)) {
		/* RFC 5321 4.2, RFC 1939 4, RFC 9051 7.1 */
		if (starts(l, "220 ") || starts(l, "220-"))
			return "smtp";
		if (starts(l, "+OK") && (off_s > 0 || !stream_client_spoke_first(f)))
			return "pop3";
		if (starts(l, "* OK") || starts(l, "* PREAUTH") || starts(l, "* BYE"))
			return "imap";
	}
	if (first_line(&f->dir[DIR_C2S], off_c, &l)) {
		if (starts(l, "EHLO ") || starts(l, "HELO ") || starts(l, "LHLO "))
			return "smtp";
		if (starts(l, "USER ") || starts(l, "APOP ") || starts(l, "CAPA") || starts(l, "STLS"))
			return "pop3";
		for (i = 0; i < l.len && l.p[i] != ' '; i++)
			;
		if (i > 0 && i < l.len) {
			struct slice rest = { l.p + i + 1, l.len - i - 1 };
			if (starts(rest, "LOGIN ") || starts(rest, "CAPABILITY") ||
			    starts(rest, "AUTHENTICATE ") || starts(rest, "STARTTLS"))
				return "imap";
		}
	}
	return NULL;
}

/* RFC 8314 3.3 (465 submissions), 7 (993 imaps, 995 pop3s): ports where
 * TLS starts with the connection. Anywhere else a flow that starts with a
 * TLS record is "tls". */
static const char *
tls_proto_name(const struct flow *f)
{
	switch (f->srv_port) {
	case 465: return "smtps";
	case 993: return "imaps";
	case 995: return "pop3s";
	default: return "tls";
	}
}

static bool
tls_app(const char *app)
{
	return strcmp(app, "smtps") == 0 || strcmp(app, "imaps") == 0 ||
	    strcmp(app, "pop3s") == 0 || strcmp(app, "tls") == 0;
}

/* The bytes of d from off on; empty (never a NULL-based pointer sum) past
 * its end. */
static struct slice
stream_from(const struct stream_dir *d, uint64_t off)
{
	struct slice none = { (const uint8_t *)"", 0 };

	if (off >= d->data.len)
		return none;
	return (struct slice){ (const uint8_t *)d->data.p + off, d->data.len - (size_t)off };
}

/* The flow's first bytes (after a CONNECT tunnel) are a TLS record: in the
 * client direction, or in the server's when the client sent nothing. */
static bool
flow_starts_tls(const struct flow *f, uint64_t off_c, uint64_t off_s)
{
	const struct stream_dir *c = &f->dir[DIR_C2S], *v = &f->dir[DIR_S2C];

	if (!f->buffered)
		return false;
	if (off_c < c->data.len)
		return tls_record_looks(stream_from(c, off_c), false);
	return tls_record_looks(stream_from(v, off_s), false);
}

const char *
mail_flow_protocol(const struct flow *f)
{
	uint64_t oc, os;

	if (tls_app(f->app) || flow_starts_tls(f, 0, 0))
		return f->buffered ? tls_proto_name(f) : NULL;
	if (strcmp(f->app, "smtp") == 0 || strcmp(f->app, "pop3") == 0 ||
	    strcmp(f->app, "imap") == 0)
		return strcmp(f->app, "smtp") == 0 ? "smtp" :
		    strcmp(f->app, "pop3") == 0 ? "pop3" : "imap";
	if (!f->buffered)
		return NULL;
	if (connect_tunnel(f, &oc, &os))
		return flow_starts_tls(f, oc, os) ? tls_proto_name(f) : detect(f, oc, os);
	return detect(f, 0, 0);
}

/* ---- accessors --------------------------------------------------------- */

bool mail_more(const struct mail_sess *s, int dir) { return rd_left(&s->dir[dir].r) > 0; }
uint64_t mail_off(const struct mail_sess *s, int dir) { return s->dir[dir].r.off; }
void *mail_state(struct mail_sess *s) { return s->state; }
void mail_state_set(struct mail_sess *s, void *state) { s->state = state; }
const struct flow *mail_flow(const struct mail_sess *s) { return s->f; }
bool mail_tls(const struct mail_sess *s) { return s->tls; }

size_t
mail_line_max(const struct mail_sess *s)
{
	size_t m = s->env->lim ? s->env->lim->line_bytes : 0;

	return m ? m : 4096;
}

size_t
mail_msg_max(const struct mail_sess *s)
{
	size_t m = s->env->lim ? s->env->lim->message_bytes : 0;

	return m ? m : (size_t)64 << 20;
}

const struct limits *
mail_limits(const struct mail_sess *s)
{
	static struct limits defaults;
	static bool init;

	if (s->env->lim != NULL)
		return s->env->lim;
	if (!init) {
		limits_default(&defaults);
		init = true;
	}
	return &defaults;
}

int64_t
mail_ts(const struct mail_sess *s, int dir, uint64_t off)
{
	const struct stream_seg *g = stream_locate(s->dir[dir].sd, off);

	if (g == NULL && off > 0)
		g = stream_locate(s->dir[dir].sd, off - 1);
	return g ? g->at.ts_us : 0;
}

uint32_t
mail_frame(const struct mail_sess *s, int dir, uint64_t off)
{
	const struct stream_seg *g = stream_locate(s->dir[dir].sd, off);

	if (g == NULL && off > 0)
		g = stream_locate(s->dir[dir].sd, off - 1);
	return g ? g->at.frame : 0;
}

char *
mail_frames(struct mail_sess *s, int dir, uint64_t off, uint64_t len)
{
	struct buf b;

	buf_init(&b, MAIL_FRAMES_MAX);
	stream_frames(s->dir[dir].sd, off, len ? len : 1, &b);
	if (b.capped)
		mail_log(s, dir, off, "mail.frames_too_long",
		    "the list of frames carrying %llu stream bytes passes the ceiling of %zu bytes;"
		    " only its start is kept", (unsigned long long)(len ? len : 1), (size_t)MAIL_FRAMES_MAX);
	return buf_take(&b);
}

void
mail_frames_add(struct mail_sess *s, struct buf *list, uint32_t frame, uint64_t off,
    const char *what)
{
	const char *t = buf_str(list), *last = strrchr(t, ',');
	bool was = list->capped;

	if (list->len > 0 && strtoul(last ? last + 1 : t, NULL, 10) == frame)
		return;
	if (!buf_printf(list, "%s%u", list->len ? "," : "", (unsigned)frame) && !was)
		mail_log(s, DIR_C2S, off, "mail.auth_frames",
		    "too many %s in one login; frame %u and later are not listed", what,
		    (unsigned)frame);
}

void
mail_log(struct mail_sess *s, int dir, uint64_t off, const char *code, const char *fmt, ...)
{
	va_list ap;
	char *where;
	size_t i;

	/* A warning repeated inside one session (a line of garbage per line of
	 * a long exchange) is listed MAIL_LOG_REPEAT times, then counted; the
	 * count is logged at the session's end (sess_log_counts). */
	for (i = 0; i < s->nlogc && strcmp(s->logc[i].code, code) != 0; i++)
		;
	if (i == s->nlogc && i < MAIL_LOG_CODES) {
		s->logc[i].code = code;
		s->logc[i].n = 0;
		s->nlogc++;
	}
	if (i < s->nlogc && ++s->logc[i].n > MAIL_LOG_REPEAT)
		return;
	where = xasprintf("frame %u, %s stream offset %llu (flow %s:%u -> %s:%u)",
	    (unsigned)mail_frame(s, dir, off), dir == DIR_C2S ? "client" : "server",
	    (unsigned long long)off, s->f->cli_ip, s->f->cli_port, s->f->srv_ip, s->f->srv_port);
	va_start(ap, fmt);
	plog_addv(s->env->log, PLOG_WARN, code, s->env->source ? s->env->source : "", where, NULL,
	    fmt, ap);
	va_end(ap);
	free(where);
}

/* ---- reading ----------------------------------------------------------- */

/* The index of the first hole at or after stream offset off (ngaps when
 * none): holes are recorded in stream order, so a binary search finds it,
 * and a line costs O(log holes) however lossy the capture was. */
static size_t
gap_index(const struct stream_dir *d, uint64_t off)
{
	size_t lo = 0, hi = d->ngaps;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (d->gaps[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first hole with lo < off <= hi (lo_incl: lo <= off), or NULL. */
static const struct stream_gap *
gap_in(const struct stream_dir *d, uint64_t lo, uint64_t hi, bool lo_incl)
{
	size_t i;

	if (!lo_incl && lo == UINT64_MAX)
		return NULL;
	i = gap_index(d, lo_incl ? lo : lo + 1);
	return i < d->ngaps && d->gaps[i].off <= hi ? &d->gaps[i] : NULL;
}

/* The next line of raw bytes (no ceiling): body without CR LF, and the
 * number of bytes it takes in the stream. */
static bool
dir_raw_line(struct mail_dir *d, struct slice *body, uint64_t *consumed, bool *has_lf)
{
	struct slice rest;
	const uint8_t *nl;
	size_t n, left = rd_left(&d->r);

	if (left == 0 || !rd_peek(&d->r, left, &rest))
		return false;
	nl = memchr(rest.p, '\n', rest.len);
	n = nl ? (size_t)(nl - rest.p) : rest.len;
	*has_lf = nl != NULL;
	*consumed = nl ? n + 1 : n;
	if (nl && n > 0 && rest.p[n - 1] == '\r')
		n--;
	body->p = rest.p;
	body->len = n;
	rd_skip(&d->r, *consumed);
	return true;
}

bool
mail_line(struct mail_sess *s, int dir, struct mail_line *l, bool quiet)
{
	struct mail_dir *d = &s->dir[dir];
	size_t max = mail_line_max(s);
	uint64_t off = d->r.off, consumed;
	bool lf;
	struct slice body;

	memset(l, 0, sizeof(*l));
	if (!dir_raw_line(d, &body, &consumed, &lf))
		return false;
	l->off = off;
	l->len = consumed;
	l->unterminated = !lf;
	if (body.len > max) {
		l->toolong = true;
		body.len = max;
		mail_log(s, dir, off, "mail.line_too_long",
		    "a %s line of %llu bytes is longer than the ceiling of %zu bytes; only its start is shown",
		    s->p->name, (unsigned long long)consumed, max);
	}
	l->raw = body;
	l->gap = gap_in(d->sd, off, off + consumed - 1, false) != NULL;
	if (l->gap)
		mail_log(s, dir, off, "mail.gap_in_line",
		    "bytes missing from the capture inside a %s line", s->p->name);
	l->ts_us = mail_ts(s, dir, off);
	l->frame = mail_frame(s, dir, off);
	free(d->text);
	d->text = text_clean(body.p, body.len, 0);
	if (l->toolong) {
		char *t = xasprintf("%s [... %llu bytes in all]", d->text, (unsigned long long)consumed);
		free(d->text);
		d->text = t;
	}
	l->text = d->text;
	if (!quiet)
		mail_transcript(s, dir, off, consumed, l->text);
	return true;
}

size_t
mail_peek_lines(const struct mail_sess *s, int dir, struct slice *lines, size_t max)
{
	struct mail_dir d = s->dir[dir];     /* a copy: the reader moves, the session's does not */
	uint64_t consumed;
	size_t n = 0;
	bool lf;

	while (n < max && dir_raw_line(&d, &lines[n], &consumed, &lf))
		n++;
	return n;
}

/* The reasons are this file's and the parsers' own sentences with numbers
 * in them, never evidence text, so their length is bounded by the formats. */
void
mail_damage_set(struct mail_damage *dmg, const char *fmt, ...)
{
	va_list ap;

	if (dmg->incomplete)
		return;
	dmg->incomplete = true;
	va_start(ap, fmt);
	dmg->why = xvasprintf(fmt, ap);
	va_end(ap);
}

void
mail_damage_free(struct mail_damage *dmg)
{
	free(dmg->why);
	dmg->why = NULL;
	dmg->incomplete = false;
}

const char *
mail_line_rest(const struct mail_line *l, size_t n, const char *seps)
{
	if (l->raw.len <= n)
		return "";
	if (memchr(seps, l->raw.p[n], strlen(seps)) != NULL)
		n++;
	return l->text + n;
}

size_t
mail_text_prefix(const char *t, size_t max)
{
	size_t n = strnlen(t, max);

	/* back off over continuation bytes (10xxxxxx) and the byte that leads them */
	if (n == max && ((unsigned char)t[n] & 0xc0) == 0x80) {
		while (n > 0 && ((unsigned char)t[n] & 0xc0) == 0x80)
			n--;
	}
	return n;
}

static void
gap_damage(struct mail_damage *dmg, const struct stream_gap *g)
{
	mail_damage_set(dmg, "%llu bytes missing from the capture at stream offset %llu (before frame %u)",
	    (unsigned long long)g->len, (unsigned long long)g->off, (unsigned)g->after.frame);
}

bool
mail_read_dotted(struct mail_sess *s, int dir, struct buf *out, uint64_t *term_off,
    uint64_t *end_off, struct mail_damage *dmg, bool (*looks_like_command)(struct slice))
{
	struct mail_dir *d = &s->dir[dir];
	uint64_t start = d->r.off, off, consumed;
	struct slice body, add;
	bool lf, after_gap = false, capped_logged = false;
	const struct stream_gap *g;

	for (;;) {
		off = d->r.off;
		if (!dir_raw_line(d, &body, &consumed, &lf)) {
			mail_damage_set(dmg, "the capture ended before the end of the data (no \".\" line)");
			*term_off = *end_off = d->r.off;
			return false;
		}
		/* a hole just before this line or inside it */
		g = gap_in(d->sd, off, off + consumed - 1, off > start);
		if (g == NULL && off == start)
			g = gap_in(d->sd, off, off, true);
		if (g != NULL) {
			gap_damage(dmg, g);
			mail_log(s, dir, g->off, "mail.gap_in_message",
			    "%llu bytes missing from the capture inside message data; the message is incomplete",
			    (unsigned long long)g->len);
		}
		if ((g != NULL && g->off == off) || after_gap) {
			if (looks_like_command && looks_like_command(body)) {
				/* The hole swallowed the end of the data: resume at this
				 * command (RFC 5321 4.1.1.4 ends data only at CRLF.CRLF,
				 * but the capture cannot show it). */
				d->r.off = off;
				mail_damage_set(dmg, "the end of the data was not captured");
				*term_off = *end_off = off;
				return true;
			}
		}
		after_gap = g != NULL && g->off > off;
		if (body.len == 1 && body.p[0] == '.') {
			*term_off = off;
			*end_off = off + consumed;
			if (!lf)
				mail_damage_set(dmg, "the capture ended inside the final \".\" line");
			return true;
		}
		/* RFC 5321 4.5.2: a leading dot was doubled by the sender. */
		add.p = body.p;
		add.len = consumed;
		if (body.len > 0 && body.p[0] == '.') {
			add.p++;
			add.len--;
		}
		if (!buf_add(out, add.p, add.len) && !capped_logged) {
			capped_logged = true;
			mail_damage_set(dmg, "the message is larger than the ceiling of %zu bytes; the rest was not kept",
			    out->max);
			mail_log(s, dir, off, "mail.message_too_large",
			    "message data passes the ceiling of %zu bytes; the rest was not kept", out->max);
		}
		if (!lf) {
			mail_damage_set(dmg, "the capture ended before the end of the data (no \".\" line)");
			*term_off = *end_off = d->r.off;
			return false;
		}
	}
}

/* Up to n bytes of d (fewer at its end). An empty direction has no data
 * pointer at all, so nothing is asked of the reader for 0 bytes. */
static struct slice
dir_take(struct mail_dir *d, uint64_t n)
{
	struct slice none = { (const uint8_t *)"", 0 };
	size_t k = n < rd_left(&d->r) ? (size_t)n : rd_left(&d->r);

	return k > 0 ? rd_bytes(&d->r, k) : none;
}

/* Appends counted bytes to out; at its ceiling the bytes that fit are kept
 * and the cut is a damage reason and a processing-log entry (a literal cut
 * at the line or message ceiling is never cut in silence). Later bytes of
 * the same data are skipped. */
static void
counted_add(struct mail_sess *s, int dir, uint64_t off, uint64_t n, struct buf *out,
    struct slice sl, struct mail_damage *dmg, bool *capped)
{
	size_t room;

	if (out == NULL || *capped || buf_add(out, sl.p, sl.len))
		return;
	/* What fits is kept: the first bytes up to the ceiling. */
	room = out->max > out->len ? out->max - out->len : 0;
	if (room > 0 && room < sl.len && !buf_add(out, sl.p, room))
		room = 0;    /* cannot happen: it fits */
	*capped = true;
	mail_damage_set(dmg, "the data is larger than the ceiling of %zu bytes", out->max);
	mail_log(s, dir, off, "mail.literal_capped", "counted data of %llu bytes is larger than the"
	    " ceiling of %zu bytes; its first %zu bytes are kept", (unsigned long long)n, out->max,
	    out->len);
}

uint64_t
mail_read_counted(struct mail_sess *s, int dir, uint64_t n, struct buf *out, struct mail_damage *dmg)
{
	struct mail_dir *d = &s->dir[dir];
	uint64_t start = d->r.off, cur = start, need = n, take;
	size_t i;
	struct slice sl;
	bool capped = false;

	/* Holes inside the counted bytes were never captured, so they are
	 * missing from the data too: count them against n. */
	for (i = gap_index(d->sd, cur); i < d->sd->ngaps && need > 0; i++) {
		const struct stream_gap *g = &d->sd->gaps[i];
		if (g->off < cur || g->off - cur >= need)
			continue;
		take = g->off - cur;
		sl = dir_take(d, take);
		counted_add(s, dir, start, n, out, sl, dmg, &capped);
		need -= take;
		cur = g->off;
		gap_damage(dmg, g);
		mail_log(s, dir, g->off, "mail.gap_in_message",
		    "%llu bytes missing from the capture inside counted data",
		    (unsigned long long)g->len);
		need -= g->len < need ? g->len : need;
	}
	if (need > 0) {
		take = need < rd_left(&d->r) ? need : rd_left(&d->r);
		sl = dir_take(d, take);
		counted_add(s, dir, start, n, out, sl, dmg, &capped);
		if (take < need)
			mail_damage_set(dmg, "the capture ended %llu bytes before the end of the data",
			    (unsigned long long)(need - take));
	}
	return d->r.off - start;
}

/* ---- recording --------------------------------------------------------- */

void
mail_transcript(struct mail_sess *s, int dir, uint64_t off, uint64_t len, const char *text)
{
	char *frames;
	int64_t ts = mail_ts(s, dir, off);

	if (mail_limits(s)->transcript_lines &&
	    s->seq >= (int64_t)mail_limits(s)->transcript_lines) {
		/* Counted, not kept: a session of a million commands would
		 * otherwise be a million rows and a report no one can read.
		 * The bytes stay in the capture (mailcase streams). */
		if (s->tr_over++ == 0) {
			s->tr_over_dir = dir;
			s->tr_over_off = off;
		}
		s->tr_over_bytes += len;
		if (ts && ts > s->last_us)
			s->last_us = ts;
		return;
	}
	frames = mail_frames(s, dir, off, len);

	struct mail_transcript_line r = {
		.seq = ++s->seq, .dir = dir == DIR_C2S ? 'C' : 'S', .ts_us = ts,
		.frames = frames, .stream_off = off, .text = text,
	};

	if (r.seq == 1) {
		s->first_dir = dir;
		s->first_frame = mail_frame(s, dir, off);
	}

	if (ts) {
		if (s->first_us == 0 || ts < s->first_us)
			s->first_us = ts;
		if (ts > s->last_us)
			s->last_us = ts;
	}
	if (s->sink->transcript)
		s->sink->transcript(s->sink->arg, &r);
	free(frames);
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
}

void
mail_set_greeting(struct mail_sess *s, const char *greeting, const char *name, const char *software)
{
	set_str(&s->greeting, greeting);
	set_str(&s->server_name, name);
	set_str(&s->server_software, software);
}

void mail_set_client_name(struct mail_sess *s, const char *name) { set_str(&s->client_name, name); }

void
mail_add_capability(struct mail_sess *s, const char *cap)
{
	if (s->caps.len > 0 && !buf_addc(&s->caps, '\n'))
		return;
	if (!buf_adds(&s->caps, cap))
		mail_log(s, DIR_S2C, mail_off(s, DIR_S2C), "mail.capabilities",
		    "too many capabilities; the rest were not kept");
}

void mail_clear_capabilities(struct mail_sess *s) { buf_reset(&s->caps); }

void
mail_note(struct mail_sess *s, const char *fmt, ...)
{
	va_list ap;
	char *t;

	va_start(ap, fmt);
	t = xvasprintf(fmt, ap);
	va_end(ap);
	if ((s->notes.len > 0 && !buf_adds(&s->notes, "; ")) || !buf_adds(&s->notes, t))
		mail_log(s, DIR_C2S, 0, "mail.notes", "too many notes for one session");
	free(t);
}

void
mail_start_tls(struct mail_sess *s, int dir, uint64_t off)
{
	s->tls = true;
	s->tls_frame = mail_frame(s, dir, off);
}

void
mail_cred_store(struct mail_sess *s, const struct mail_cred *c)
{
	struct mail_credential r = {
		.protocol = s->p->name, .mechanism = c->mechanism,
		.authzid = c->authzid, .username = c->user, .secret = c->secret,
		.secret_kind = c->secret ? c->secret_kind : NULL, .crack_line = c->crack_line,
		.verdict = c->verdict ? c->verdict : "unknown", .reply = c->reply,
		.frames = c->frames, .ts_us = c->ts_us, .client = s->cli, .server = s->srv,
		.domain = c->domain, .workstation = c->workstation, .details = c->details,
	};

	if (s->sink->credential)
		s->sink->credential(s->sink->arg, &r);
}

int mail_msg_next(struct mail_sess *s) { return ++s->nmsg; }

/* 2345 -> "2,345" */
static void
thousands(char *out, size_t n, size_t v)
{
	char t[32];
	size_t len, i, j = 0;

	len = (size_t)snprintf(t, sizeof(t), "%zu", v);
	for (i = 0; i < len && j + 2 < n; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = t[i];
	}
	out[j] = 0;
}

char *
mail_msg_ref(int n, size_t bytes, const char *frames, const char *extra)
{
	char num[40], *brief = stream_frames_brief(frames), *ref;

	thousands(num, sizeof(num), bytes);
	ref = xasprintf("[message %d: %s bytes, frames %s%s%s]", n, num, brief,
	    extra && *extra ? "; " : "", extra ? extra : "");
	free(brief);
	return ref;
}

int64_t
mail_msg_submit(struct mail_sess *s, const void *raw, size_t len, struct msg_origin *o)
{
	o->source = s->p->name;
	if (strcmp(s->p->name, "smtp") == 0)
		o->obs_helo = s->client_name;
	o->obs_client_ip = s->f->cli_ip;
	o->obs_server = s->server_name;
	o->obs_server_ip = s->f->srv_ip;
	if (mail_limits(s)->session_messages && s->stored >= mail_limits(s)->session_messages) {
		mail_log(s, strcmp(s->p->name, "smtp") == 0 ? DIR_C2S : DIR_S2C, o->stream_off,
		    "mail.session_messages",
		    "a message of %zu bytes passes the ceiling of %u messages per session"
		    " (session-messages); it is not analysed", len, mail_limits(s)->session_messages);
		return 0;
	}
	s->stored++;
	return s->sink->message ? s->sink->message(s->sink->arg, raw, len, o) : 0;
}

void
mail_imap_item_store(struct mail_sess *s, struct mail_imap_item *it)
{
	unsigned max = mail_limits(s)->imap_items;

	if (max && ++s->nitems > max) {
		if (s->nitems == (uint64_t)max + 1)
			mail_log(s, DIR_S2C, mail_off(s, DIR_S2C), "mail.imap_items_ceiling",
			    "the session passes the ceiling of %u FETCH data items (imap-items);"
			    " later ones are in the transcript, not kept", max);
		return;
	}
	if (s->sink->imap_item)
		s->sink->imap_item(s->sink->arg, it);
}

/* ---- the session ------------------------------------------------------- */

/* "ip:port", "[ip]:port" for IPv6 (RFC 3986 3.2.2); free() it. */
static char *
endpoint(const struct flow *f, bool cli)
{
	const char *ip = cli ? f->cli_ip : f->srv_ip;
	unsigned port = cli ? f->cli_port : f->srv_port;

	return strchr(ip, ':') ? xasprintf("[%s]:%u", ip, port) : xasprintf("%s:%u", ip, port);
}

/* Which direction has the earlier next byte: capture time, then file and
 * frame number (several commands in one segment keep their order because
 * each direction is read in order). */
static int
next_dir(const struct mail_sess *s)
{
	bool c = mail_more(s, DIR_C2S), v = mail_more(s, DIR_S2C);
	const struct stream_seg *a, *b;

	if (!c || !v)
		return c ? DIR_C2S : DIR_S2C;
	a = stream_locate(s->dir[DIR_C2S].sd, s->dir[DIR_C2S].r.off);
	b = stream_locate(s->dir[DIR_S2C].sd, s->dir[DIR_S2C].r.off);
	if (a == NULL || b == NULL)
		return a ? DIR_C2S : DIR_S2C;
	if (a->at.ts_us != b->at.ts_us)
		return a->at.ts_us < b->at.ts_us ? DIR_C2S : DIR_S2C;
	if (a->at.file != b->at.file)
		return a->at.file < b->at.file ? DIR_C2S : DIR_S2C;
	return a->at.frame <= b->at.frame ? DIR_C2S : DIR_S2C;
}

static void
record_encrypted(struct mail_sess *s, int dir)
{
	uint64_t off = s->dir[dir].r.off, left = rd_left(&s->dir[dir].r);
	char *frames, *t, num[40];

	if (left == 0)
		return;
	frames = mail_frames(s, dir, off, left);
	thousands(num, sizeof(num), (size_t)left);
	t = xasprintf(s->tls_state && strcmp(s->tls_state, "implicit") == 0 ?
	    "[encrypted (TLS from the first byte): %s bytes, frames %s]" :
	    "[encrypted after STARTTLS: %s bytes, frames %s]", num, frames);
	mail_transcript(s, dir, off, left, t);
	rd_skip(&s->dir[dir].r, (size_t)left);
	free(t);
	free(frames);
}

/* Sessions that are TLS from the first byte: no commands to parse. */
static const struct mail_proto mail_tls_only[] = {
	{ .name = "smtps" }, { .name = "imaps" }, { .name = "pop3s" }, { .name = "tls" },
};

static const struct mail_proto *
proto_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(mail_tls_only) / sizeof(mail_tls_only[0]); i++)
		if (strcmp(name, mail_tls_only[i].name) == 0)
			return &mail_tls_only[i];
	if (strcmp(name, "smtp") == 0)
		return &mail_smtp;
	if (strcmp(name, "pop3") == 0)
		return &mail_pop3;
	return &mail_imap;
}

static void
sess_open(struct mail_sess *s, const struct flow *f, const char *name,
    const struct mail_env *env, const struct mail_sink *sink)
{
	int d;

	memset(s, 0, sizeof(*s));
	s->env = env;
	s->sink = sink;
	s->f = f;
	s->p = proto_by_name(name);
	buf_init(&s->caps, 64 * 1024);
	buf_init(&s->notes, 64 * 1024);
	s->cli = endpoint(f, true);
	s->srv = endpoint(f, false);
	for (d = 0; d < 2; d++) {
		s->dir[d].sd = &f->dir[d];
		rd_init(&s->dir[d].r, f->dir[d].data.p, f->dir[d].data.len);
		if (f->dir[d].capped && strcmp(f->app, "tls") == 0)
			mail_note(s, "only the first %zu bytes of the %s direction were kept (TLS on a"
			    " port that is not a mail port: the handshake, not the encrypted data)",
			    f->dir[d].data.len, d == DIR_C2S ? "client" : "server");
		else if (f->dir[d].capped)
			mail_log(s, d, f->dir[d].data.len, "mail.flow_capped",
			    "the %s direction passed the flow ceiling; the session after offset %zu was not kept",
			    d == DIR_C2S ? "client" : "server", f->dir[d].data.len);
	}
}

static void
sess_close(struct mail_sess *s)
{
	int d;

	for (d = 0; d < 2; d++)
		free(s->dir[d].text);
	free(s->greeting);
	free(s->server_name);
	free(s->server_software);
	free(s->client_name);
	free(s->cli);
	free(s->srv);
	buf_free(&s->caps);
	buf_free(&s->notes);
}

/* The CONNECT request and the proxy's answer go to the transcript as they
 * are; the mail protocol starts after them. */
static void
sess_skip_tunnel(struct mail_sess *s)
{
	uint64_t oc, os;
	struct mail_line l;

	if (!connect_tunnel(s->f, &oc, &os))
		return;
	mail_note(s, "carried in an HTTP CONNECT tunnel");
	while (mail_off(s, DIR_C2S) < oc && mail_line(s, DIR_C2S, &l, false))
		;
	while (mail_off(s, DIR_S2C) < os && mail_line(s, DIR_S2C, &l, false))
		;
}

/* The rest of dir as a slice (empty at its end). */
static struct slice
sess_rest(const struct mail_sess *s, int dir)
{
	struct slice none = { (const uint8_t *)"", 0 }, r;

	return rd_peek(&s->dir[dir].r, rd_left(&s->dir[dir].r), &r) && r.len > 0 ? r : none;
}

/* What the handshake shows, to the sink; then the rest of both directions
 * as encrypted data. Problems of the handshake are logged where they are. */
static void
sess_tls(struct mail_sess *s)
{
	struct slice in[2] = { sess_rest(s, DIR_C2S), sess_rest(s, DIR_S2C) };
	struct tls_info ti;
	int d;

	if (tls_parse(in[0], in[1], &ti)) {
		for (d = 0; d < 2; d++) {
			uint64_t at = mail_off(s, d);
			if (ti.err[d])
				mail_log(s, d, at + ti.err_off[d], "tls.malformed",
				    "%s; the TLS handshake is read up to here", ti.err[d]);
			if (ti.capped[d])
				mail_log(s, d, at, "tls.handshake_too_large", "the TLS handshake passes"
				    " the ceiling of %zu bytes; what follows it was not read",
				    TLS_HANDSHAKE_MAX);
		}
		if (ti.certs_dropped)
			mail_log(s, DIR_S2C, mail_off(s, DIR_S2C), "tls.certs_too_many",
			    "the certificate chain has %zu certificates more than the %d kept",
			    ti.certs_dropped, TLS_CERTS_MAX);
		if (s->sink->tls)
			s->sink->tls(s->sink->arg, &ti);
		tls_info_free(&ti);
	}
	d = next_dir(s);
	record_encrypted(s, d);
	record_encrypted(s, !d);
}

/* Bytes that start like a protocol line: printable ASCII (RFC 5321 4.1.1,
 * RFC 1939 3, RFC 9051 2.2 commands are), where a TLS record starts with a
 * content type byte of 20 to 23. A capture cut inside the first record
 * header, or a record of another shape, is still not plain text. */
static bool
looks_plain(struct slice b)
{
	for (size_t i = 0; i < b.len && i < 4; i++)
		if ((b.p[i] < 0x20 || b.p[i] > 0x7e) && b.p[i] != '\r' && b.p[i] != '\n' &&
		    b.p[i] != '\t')
			return false;
	return true;
}

/* After an accepted STARTTLS/STLS (RFC 3207 4.2, RFC 2595 4, RFC 9051
 * 6.2.1) the next bytes say whether TLS really followed: a TLS record (or
 * bytes that cannot be text), or plain commands (a capture taken behind a
 * TLS-terminating proxy, or exported decrypted). Client bytes decide, the server's when the client
 * sent nothing more. Returns true when the session is encrypted from here. */
static bool
sess_after_starttls(struct mail_sess *s)
{
	struct slice c = sess_rest(s, DIR_C2S), v = sess_rest(s, DIR_S2C);

	if (c.len == 0 && v.len == 0) {
		s->tls_state = "starttls";
		return true;
	}
	if (tls_record_looks(c.len > 0 ? c : v, false) || !looks_plain(c.len > 0 ? c : v)) {
		s->tls_state = "starttls";
		sess_tls(s);
		return true;
	}
	s->tls = false;
	s->tls_state = "starttls-clear";
	mail_note(s, "continued in clear after STARTTLS (frame %u): no TLS record followed",
	    (unsigned)s->tls_frame);
	return false;
}

/* Both directions in capture order until their end or STARTTLS. */
static void
sess_read(struct mail_sess *s)
{
	int d;

again:
	while (!s->tls && (mail_more(s, DIR_C2S) || mail_more(s, DIR_S2C))) {
		uint64_t before;

		d = next_dir(s);
		before = s->dir[d].r.off;
		if (d == DIR_C2S)
			s->p->client(s);
		else
			s->p->server(s);
		if (s->dir[d].r.off == before) {
			/* a parser that cannot move on: show the line and go past it */
			struct mail_line l;
			(void)mail_line(s, d, &l, false);
		}
	}
	if (s->tls && !sess_after_starttls(s))
		goto again;
}

/* A session whose capture holds no greeting was read from its middle
 * (the capture started late, or the greeting was lost): the report says
 * where reading began. */
static void
sess_note_start(struct mail_sess *s)
{
	if (s->greeting != NULL || s->seq == 0 ||
	    (s->tls_state != NULL && strcmp(s->tls_state, "implicit") == 0))
		return;
	mail_note(s, "no server greeting in the capture: the session is read from its middle,"
	    " beginning with the %s's line in frame %u", s->first_dir == DIR_C2S ? "client" : "server",
	    (unsigned)s->first_frame);
}

/* How many entries of each repeated code were not listed. */
static void
sess_log_counts(struct mail_sess *s)
{
	for (size_t i = 0; i < s->nlogc; i++) {
		if (s->logc[i].n <= MAIL_LOG_REPEAT)
			continue;
		char *where = xasprintf("flow %s:%u -> %s:%u", s->f->cli_ip, s->f->cli_port,
		    s->f->srv_ip, s->f->srv_port);
		plog_add(s->env->log, PLOG_WARN, s->logc[i].code, s->env->source ? s->env->source : "",
		    where, "%llu more entries of this kind in this session are counted, not listed"
		    " (%llu in all)", (unsigned long long)(s->logc[i].n - MAIL_LOG_REPEAT),
		    (unsigned long long)s->logc[i].n);
		free(where);
	}
}

/* The transcript lines past the ceiling, as one last line and a finding. */
static void
sess_transcript_over(struct mail_sess *s)
{
	unsigned max = mail_limits(s)->transcript_lines;
	char *t;

	if (s->tr_over == 0)
		return;
	mail_log(s, s->tr_over_dir, s->tr_over_off, "mail.transcript_ceiling",
	    "the session passes the ceiling of %u transcript lines (transcript-lines): %llu later"
	    " lines (%llu bytes) are counted, not kept", max, (unsigned long long)s->tr_over,
	    (unsigned long long)s->tr_over_bytes);
	t = xasprintf("[%llu more lines, %llu bytes, not kept: past the ceiling of %u lines]",
	    (unsigned long long)s->tr_over, (unsigned long long)s->tr_over_bytes, max);
	{
		struct mail_transcript_line r = {
			.seq = ++s->seq, .dir = s->tr_over_dir == DIR_C2S ? 'C' : 'S',
			.ts_us = mail_ts(s, s->tr_over_dir, s->tr_over_off), .frames = "",
			.stream_off = s->tr_over_off, .text = t,
		};
		if (s->sink->transcript)
			s->sink->transcript(s->sink->arg, &r);
	}
	free(t);
}

static void
sess_end(struct mail_sess *s)
{
	sess_note_start(s);
	sess_transcript_over(s);
	sess_log_counts(s);
	struct mail_session_facts r = {
		.protocol = s->p->name, .greeting = s->greeting, .server_name = s->server_name,
		.server_software = s->server_software, .client_name = s->client_name,
		.capabilities = s->caps.len ? buf_str(&s->caps) : NULL,
		.tls = s->tls_state ? s->tls_state : "none", .tls_frame = s->tls_frame,
		.first_us = s->first_us ? s->first_us : s->f->first_us,
		.last_us = s->last_us > s->f->last_us ? s->last_us : s->f->last_us,
		.messages = s->stored, .notes = s->notes.len ? buf_str(&s->notes) : NULL,
	};

	if (s->sink->session_end)
		s->sink->session_end(s->sink->arg, &r);
}

/* A flow that is TLS from its first byte on a port that is not a mail
 * submission or access port is a mail session only when it says so: TLS
 * straight on another mail port (25, 587, 2525, 110, 143), or a ClientHello
 * offering a mail protocol by ALPN (IANA's TLS ALPN Protocol IDs "imap",
 * "pop3", "managesieve"). Other TLS (HTTPS and the like) is recognised as
 * TLS in flows.app, never parsed as commands, and not a mail session. */
static bool
tls_flow_is_mail(const struct flow *f)
{
	static const char *const alpn[] = { "imap", "pop3", "managesieve" };
	const struct stream_dir *c = &f->dir[DIR_C2S], *v = &f->dir[DIR_S2C];
	uint64_t oc = 0, os = 0;
	struct tls_info ti;
	bool mail = false;
	char *list, *p, *save = NULL;

	switch (f->srv_port) {
	case 25: case 587: case 2525: case 110: case 143:
		return true;
	default:
		break;
	}
	if (!connect_tunnel(f, &oc, &os))
		oc = os = 0;
	if (!tls_parse(stream_from(c, oc), stream_from(v, os), &ti))
		return false;
	list = ti.alpn_offered ? xstrdup(ti.alpn_offered) : NULL;
	for (p = list ? strtok_r(list, ",", &save) : NULL; p && !mail; p = strtok_r(NULL, ",", &save))
		for (size_t i = 0; i < sizeof(alpn) / sizeof(alpn[0]); i++)
			mail = mail || strcmp(p, alpn[i]) == 0;
	free(list);
	tls_info_free(&ti);
	return mail;
}

bool
mail_flow_analyze(const struct flow *f, const struct mail_env *env, const struct mail_sink *sink)
{
	const char *name = mail_flow_protocol(f);
	struct mail_sess s;
	struct mail_session_facts start;

	if (name == NULL || !f->buffered || f->dir[0].data.len + f->dir[1].data.len == 0)
		return false;
	if (strcmp(name, "tls") == 0 && !tls_flow_is_mail(f))
		return false;
	sess_open(&s, f, name, env, sink);
	memset(&start, 0, sizeof(start));
	start.protocol = name;
	start.first_us = f->first_us;
	if (sink->session_start)
		sink->session_start(sink->arg, &start);
	sess_skip_tunnel(&s);
	if (s.p->client == NULL) {
		/* RFC 8314 3: TLS from the first byte; nothing to parse as commands */
		s.tls = true;
		s.tls_state = "implicit";
		s.tls_frame = mail_frame(&s, mail_more(&s, DIR_C2S) ? DIR_C2S : DIR_S2C,
		    mail_off(&s, mail_more(&s, DIR_C2S) ? DIR_C2S : DIR_S2C));
		sess_tls(&s);
		sess_end(&s);
		sess_close(&s);
		return true;
	}
	if (s.p->begin)
		s.p->begin(&s);
	sess_read(&s);
	if (s.p->end)
		s.p->end(&s);
	sess_end(&s);
	sess_close(&s);
	return true;
}
