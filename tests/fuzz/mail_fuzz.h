/* mail_fuzz.h - shared by fuzz_smtp.c, fuzz_pop3.c, fuzz_imap.c: turns
 * arbitrary bytes into a two-direction flow and runs mail_flow_analyze()
 * with a sink that stores nothing but checks every record it is handed (the
 * order of mail/sink.h, valid strings, ceilings kept) and aborts when one is
 * wrong. No case database is opened.
 * Input: chunks separated by the two bytes 0xff 0xfe, alternating server
 * (first) and client; each chunk is one segment (one frame). Inputs over
 * 256 KiB are ignored (size cap). */
#ifndef MC_MAIL_FUZZ_H
#define MC_MAIL_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/stream.h"
#include "mail/message.h"
#include "mail/session.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

static struct plog *fz_log;
static struct limits fz_lim;

/* What the checking sink has seen of one session. */
struct fz_seen {
	int started, ended;
	int64_t seq, messages;
};

/* A string of a record: NULL or clean text (src/util/text.h). */
static void
fz_text(const char *s)
{
	if (s != NULL && !text_is_clean(s, strlen(s), 0))
		abort();
}

static void
fz_open(struct fz_seen *z)
{
	if (z->started != 1 || z->ended != 0)
		abort();
}

static void
fz_start(void *arg, const struct mail_session_facts *s)
{
	struct fz_seen *z = arg;

	if (z->started++ != 0 || s->protocol == NULL)
		abort();
}

static void
fz_line(void *arg, const struct mail_transcript_line *l)
{
	struct fz_seen *z = arg;

	fz_open(z);
	if (l->seq != ++z->seq || (l->dir != 'C' && l->dir != 'S') || l->text == NULL)
		abort();
	fz_text(l->frames);
	fz_text(l->text);
}

static void
fz_cred(void *arg, const struct mail_credential *c)
{
	struct fz_seen *z = arg;

	fz_open(z);
	if (c->protocol == NULL || c->verdict == NULL || c->client == NULL || c->server == NULL)
		abort();
	if (strcmp(c->verdict, "accepted") && strcmp(c->verdict, "rejected") &&
	    strcmp(c->verdict, "unknown"))
		abort();
	fz_text(c->mechanism);
	fz_text(c->authzid);
	fz_text(c->username);
	fz_text(c->secret);
	fz_text(c->crack_line);
	fz_text(c->domain);
	fz_text(c->workstation);
	fz_text(c->details);
	fz_text(c->reply);
	fz_text(c->frames);
}

static int64_t
fz_msg(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct fz_seen *z = arg;
	volatile unsigned char sum = 0;
	size_t i;

	fz_open(z);
	if (len > fz_lim.message_bytes || (len > 0 && raw == NULL) || o->source == NULL ||
	    o->session_id != 0 || o->flow_id != 0 || (o->incomplete && o->incomplete_why == NULL))
		abort();
	for (i = 0; i < len; i++)     /* every byte readable (ASan) */
		sum ^= ((const unsigned char *)raw)[i];
	fz_text(o->frames);
	fz_text(o->env_from);
	for (i = 0; i < o->nrcpt; i++)
		fz_text(o->env_rcpt[i]);
	return ++z->messages;
}

static void
fz_end(void *arg, const struct mail_session_facts *s)
{
	struct fz_seen *z = arg;

	fz_open(z);
	z->ended++;
	if (s->messages != z->messages || s->tls == NULL)
		abort();
	fz_text(s->greeting);
	fz_text(s->server_name);
	fz_text(s->server_software);
	fz_text(s->client_name);
	fz_text(s->notes);
	if (s->capabilities != NULL && !text_is_clean(s->capabilities, strlen(s->capabilities), TEXT_LINES))
		abort();
}

static void
fz_seg(struct stream_dir *d, const uint8_t *p, size_t n, uint32_t frame)
{
	if (n == 0)
		return;
	if (d->nsegs == d->segs_cap) {
		d->segs_cap = d->segs_cap ? d->segs_cap * 2 : 16;
		d->segs = xreallocarray(d->segs, d->segs_cap, sizeof(*d->segs));
	}
	d->segs[d->nsegs].off = d->data.len;
	d->segs[d->nsegs].len = (uint32_t)n;
	d->segs[d->nsegs].at = (struct frame_ref){ 1, 0, frame, 1000000 + (int64_t)frame * 1000 };
	d->nsegs++;
	if (!buf_add(&d->data, p, n))
		d->capped = true;
	d->total += n;
}

static int
fz_run(const char *app, const uint8_t *data, size_t size)
{
	struct flow f;
	struct fz_seen z;
	struct mail_env env;
	struct mail_sink sink = {
		.arg = &z, .session_start = fz_start, .transcript = fz_line,
		.credential = fz_cred, .message = fz_msg, .session_end = fz_end,
	};
	size_t i = 0, start = 0;
	int dir = DIR_S2C, d;
	uint32_t frame = 4;

	if (size > (256u << 10))
		return 0;
	if (fz_log == NULL) {
		fz_log = plog_new();
		limits_default(&fz_lim);
		fz_lim.line_bytes = 512;
		fz_lim.message_bytes = 64 << 10;
	}
	memset(&f, 0, sizeof(f));
	f.id = 1;
	f.evidence_id = 1;
	snprintf(f.cli_ip, sizeof(f.cli_ip), "10.0.0.1");
	snprintf(f.srv_ip, sizeof(f.srv_ip), "10.0.0.2");
	snprintf(f.app, sizeof(f.app), "%s", app);
	f.buffered = true;
	for (d = 0; d < 2; d++)
		buf_init(&f.dir[d].data, 1u << 20);
	for (i = 0; i + 1 < size; i++)
		if (data[i] == 0xff && data[i + 1] == 0xfe) {
			fz_seg(&f.dir[dir], data + start, i - start, frame++);
			dir = !dir;
			start = i + 2;
			i++;
		}
	if (start < size)
		fz_seg(&f.dir[dir], data + start, size - start, frame++);
	memset(&z, 0, sizeof(z));
	env = (struct mail_env){ .lim = &fz_lim, .log = fz_log, .source = "fuzz" };
	if (mail_flow_analyze(&f, &env, &sink) != (z.started == 1) || z.ended != z.started)
		abort();
	plog_clear(fz_log);
	for (d = 0; d < 2; d++) {
		buf_free(&f.dir[d].data);
		free(f.dir[d].segs);
	}
	return 0;
}

#endif
