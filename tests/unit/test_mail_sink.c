/* Tests of the session stage on its own (src/mail/session.h, sink.h): a
 * small SMTP capture written with pcapgen goes through the capture stage and
 * mail_flow_analyze() with a sink that only records what it is handed. No
 * case database is opened: the stage works without one. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "mail/message.h"
#include "mail/session.h"
#include "pcapgen.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/xalloc.h"

#define C 0
#define S 1

/* Every record as one line of text, in the order the sink saw them, and the
 * last message's bytes and origin. */
struct rec {
	struct buf log;
	struct mail_env env;
	int flows, sessions;
	char *msg;
	size_t msg_len;
	struct msg_origin o;       /* strings copied below */
	char *o_frames, *o_from, *o_rcpt, *o_helo, *o_server, *o_why;
};

static const char *
nz(const char *s)
{
	return s ? s : "-";
}

static void
rec_facts(struct rec *r, const char *tag, const struct mail_session_facts *s)
{
	bool ok = buf_printf(&r->log, "%s|%s|%s|%s|%s|%s|%s|%s|%u|%lld|%lld|%lld|%s\n", tag,
	    nz(s->protocol), nz(s->greeting), nz(s->server_name), nz(s->server_software),
	    nz(s->client_name), nz(s->capabilities), nz(s->tls), (unsigned)s->tls_frame,
	    (long long)s->first_us, (long long)s->last_us, (long long)s->messages, nz(s->notes));

	(void)ok;
}

static void
rec_start(void *arg, const struct mail_session_facts *s)
{
	struct rec *r = arg;

	r->sessions++;
	rec_facts(r, "start", s);
}

static void
rec_end(void *arg, const struct mail_session_facts *s)
{
	rec_facts(arg, "end", s);
}

static void
rec_line(void *arg, const struct mail_transcript_line *l)
{
	struct rec *r = arg;
	bool ok = buf_printf(&r->log, "%lld|%c|%lld|%s|%llu|%s\n", (long long)l->seq, l->dir,
	    (long long)l->ts_us, nz(l->frames), (unsigned long long)l->stream_off, nz(l->text));

	(void)ok;
}

static void
rec_cred(void *arg, const struct mail_credential *c)
{
	struct rec *r = arg;
	bool ok = buf_printf(&r->log, "cred|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%lld|%s|%s\n",
	    nz(c->protocol), nz(c->mechanism), nz(c->authzid), nz(c->username), nz(c->secret),
	    nz(c->secret_kind), nz(c->crack_line), nz(c->verdict), nz(c->reply), nz(c->frames),
	    (long long)c->ts_us, nz(c->client), nz(c->server));

	(void)ok;
}

static int64_t
rec_msg(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct rec *r = arg;
	bool ok = buf_printf(&r->log, "message|%zu\n", len);

	(void)ok;
	free(r->msg);
	r->msg = xmalloc(len + 1);
	memcpy(r->msg, raw, len);
	r->msg[len] = 0;
	r->msg_len = len;
	r->o = *o;
	r->o_frames = o->frames ? xstrdup(o->frames) : NULL;
	r->o_from = o->env_from ? xstrdup(o->env_from) : NULL;
	r->o_rcpt = o->nrcpt > 0 ? xstrdup(o->env_rcpt[0]) : NULL;
	r->o_helo = o->obs_helo ? xstrdup(o->obs_helo) : NULL;
	r->o_server = o->obs_server ? xstrdup(o->obs_server) : NULL;
	r->o_why = o->incomplete_why ? xstrdup(o->incomplete_why) : NULL;
	return 7;
}

static void
rec_flow(void *arg, struct flow *f)
{
	struct rec *r = arg;
	struct mail_sink sink = {
		.arg = r, .session_start = rec_start, .transcript = rec_line,
		.credential = rec_cred, .message = rec_msg, .session_end = rec_end,
	};

	r->flows++;
	(void)mail_flow_analyze(f, &r->env, &sink);
}

static void
rec_free(struct rec *r)
{
	buf_free(&r->log);
	free(r->msg);
	free(r->o_frames);
	free(r->o_from);
	free(r->o_rcpt);
	free(r->o_helo);
	free(r->o_server);
	free(r->o_why);
}

static void
write_pcap_port(const char *path, unsigned port, const char *const *steps, size_t n)
{
	struct pcapgen *g = pcapgen_open(path, 1, false);
	struct tcpconv c;
	size_t i;

	tcpconv_init(&c, "192.168.1.159", 1036, "64.12.102.142", (uint16_t)port);
	c.ts_us = 1255181716000000ULL;
	c.step_us = 1000;
	tcpconv_handshake(g, &c);
	for (i = 0; i < n; i++)
		tcpconv_sends(g, &c, i % 2 == 0 ? S : C, steps[i]);
	tcpconv_close(g, &c);
	pcapgen_close(g);
}

static void
write_pcap(const char *path, const char *const *steps, size_t n)
{
	write_pcap_port(path, 587, steps, n);
}

/* Runs the capture stage over path with the recording sink. */
static void
rec_run(struct rec *r, const char *path, struct plog *log, const struct limits *lim)
{
	struct capture_opts co = { .keep_all = false };
	struct capture *cap = capture_new(log, lim, &co);
	struct flow_sink fs = { r, rec_flow };

	memset(r, 0, sizeof(*r));
	buf_init(&r->log, 1 << 20);
	r->env = (struct mail_env){ .lim = lim, .log = log, .source = path };
	capture_add_file(cap, path, 1);
	capture_run(cap, &fs);
	capture_free(cap);
}

TEST(smtp_records)
{
	/* server and client take turns, server first: frame 4 is the greeting */
	static const char *const steps[] = {
		"220 mx.example.org ESMTP Postfix\r\n",
		"EHLO laptop\r\n",
		"250-mx.example.org\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n",
		"AUTH PLAIN AGFubgBzZWNyZXQ=\r\n",                  /* \0ann\0secret */
		"235 2.7.0 ok\r\n",
		"MAIL FROM:<ann@example.org>\r\n",
		"250 ok\r\n",
		"RCPT TO:<bob@example.net>\r\n",
		"250 ok\r\n",
		"DATA\r\n",
		"354 go\r\n",
		"Subject: hi\r\n\r\n..dot\r\nbye\r\n.\r\n",
		"250 queued\r\n",
		"QUIT\r\n",
		"221 bye\r\n",
	};
	char path[600];
	struct limits lim;
	struct plog *log = plog_new();
	struct rec r;

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/in.pcap", check_tmpdir("smtp_records"));
	write_pcap(path, steps, sizeof(steps) / sizeof(steps[0]));
	rec_run(&r, path, log, &lim);
	CHECK_INT(r.flows, 1);
	CHECK_INT(r.sessions, 1);
	CHECK_STR(buf_str(&r.log),
	    "start|smtp|-|-|-|-|-|-|0|1255181716000000|0|0|-\n"
	    "1|S|1255181716003000|4|0|220 mx.example.org ESMTP Postfix\n"
	    "2|C|1255181716004000|5|0|EHLO laptop\n"
	    "3|S|1255181716005000|6|34|250-mx.example.org\n"
	    "4|S|1255181716005000|6|54|250-AUTH PLAIN\n"
	    "5|S|1255181716005000|6|70|250 8BITMIME\n"
	    "6|C|1255181716006000|7|13|AUTH PLAIN AGFubgBzZWNyZXQ=\n"
	    "7|S|1255181716007000|8|84|235 2.7.0 ok\n"
	    "cred|smtp|PLAIN|-|ann|secret|password|-|accepted|235 2.7.0 ok|7|1255181716006000|"
	    "192.168.1.159:1036|64.12.102.142:587\n"
	    "8|C|1255181716008000|9|42|MAIL FROM:<ann@example.org>\n"
	    "9|S|1255181716009000|10|98|250 ok\n"
	    "10|C|1255181716010000|11|71|RCPT TO:<bob@example.net>\n"
	    "11|S|1255181716011000|12|106|250 ok\n"
	    "12|C|1255181716012000|13|98|DATA\n"
	    "13|S|1255181716013000|14|114|354 go\n"
	    "14|C|1255181716014000|15|104|[message 1: 26 bytes, frames 15]\n"
	    "15|S|1255181716015000|16|122|250 queued\n"
	    "16|C|1255181716016000|17|134|QUIT\n"
	    "17|S|1255181716017000|18|134|221 bye\n"
	    "message|26\n"
	    "end|smtp|mx.example.org ESMTP Postfix|mx.example.org|Postfix|laptop|AUTH PLAIN\n"
	    "8BITMIME|none|0|1255181716003000|1255181716020000|1|-\n");
	/* the message as the client sent it, the leading dot unstuffed (RFC 5321 4.5.2) */
	CHECK_INT(r.msg_len, 26);
	CHECK(memcmp(r.msg, "Subject: hi\r\n\r\n.dot\r\nbye\r\n", 26) == 0);
	CHECK_STR(r.o.source, "smtp");
	CHECK_INT(r.o.session_id, 0);     /* the sink's to assign */
	CHECK_INT(r.o.flow_id, 0);
	CHECK_STR(r.o_frames, "15");
	CHECK_INT(r.o.stream_off, 104);
	CHECK_INT(r.o.ts_us, 1255181716014000);
	CHECK_STR(r.o_from, "ann@example.org");
	CHECK_INT(r.o.nrcpt, 1);
	CHECK_STR(r.o_rcpt, "bob@example.net");
	CHECK_STR(r.o_helo, "laptop");
	CHECK_STR(r.o_server, "mx.example.org");
	CHECK(!r.o.incomplete && r.o_why == NULL && !r.o.partial);
	CHECK_INT(plog_count(log), 0);
	rec_free(&r);
	plog_free(log);
}

/* A capture that ends inside the message data: the damage reason reaches
 * the origin whole. */
TEST(smtp_cut_message)
{
	static const char *const steps[] = {
		"220 mx.example.org ESMTP\r\n", "HELO a\r\n", "250 ok\r\n",
		"MAIL FROM:<a@b>\r\n", "250 ok\r\n", "RCPT TO:<c@d>\r\n", "250 ok\r\n",
		"DATA\r\n", "354 go\r\n", "Subject: x\r\n\r\nno end\r\n",
	};
	char path[600];
	struct limits lim;
	struct plog *log = plog_new();
	struct rec r;

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/in.pcap", check_tmpdir("smtp_cut_message"));
	write_pcap(path, steps, sizeof(steps) / sizeof(steps[0]));
	rec_run(&r, path, log, &lim);
	CHECK_INT(r.sessions, 1);
	CHECK_INT(r.msg_len, 22);
	CHECK(r.o.incomplete);
	CHECK_STR(r.o_why, "the capture ended before the end of the data (no \".\" line)");
	rec_free(&r);
	plog_free(log);
}

/* Found by fuzz_smtp: a reply code followed by a multi-byte character. The
 * reply text starts after the three digits, on a character boundary, so the
 * greeting is whole UTF-8 and not the tail of a sequence. */
TEST(smtp_reply_code_then_utf8)
{
	static const char *const steps[] = { "220\xc3\xa9 relais\r\n", "QUIT\r\n", "221 bye\r\n" };
	char path[600];
	struct limits lim;
	struct plog *log = plog_new();
	struct rec r;

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/in.pcap", check_tmpdir("smtp_reply_code_then_utf8"));
	write_pcap(path, steps, sizeof(steps) / sizeof(steps[0]));
	rec_run(&r, path, log, &lim);
	CHECK(strstr(buf_str(&r.log), "\nend|smtp|\xc3\xa9 relais|\xc3\xa9|relais|-|-|none|") != NULL);
	rec_free(&r);
	plog_free(log);
}

/* A tag with a byte that is escaped in the text: the completion is still
 * paired with its LOGIN, and the reply is the status after the tag. */
TEST(imap_escaped_tag)
{
	static const char *const steps[] = {
		"* OK [CAPABILITY IMAP4rev1] imap.example.org ready\r\n",
		"a\x01 LOGIN ann secret\r\n",
		"a\x01 OK LOGIN done\r\n",
	};
	char path[600];
	struct limits lim;
	struct plog *log = plog_new();
	struct rec r;

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/in.pcap", check_tmpdir("imap_escaped_tag"));
	write_pcap_port(path, 143, steps, sizeof(steps) / sizeof(steps[0]));
	rec_run(&r, path, log, &lim);
	CHECK(strstr(buf_str(&r.log), "\ncred|imap|LOGIN command|-|ann|secret|password|-|accepted|"
	    "OK LOGIN done|5|") != NULL);
	CHECK(strstr(buf_str(&r.log), "|C|1255181716004000|5|0|a\\x01 LOGIN ann secret\n") != NULL);
	rec_free(&r);
	plog_free(log);
}

/* An APPEND literal with a hole in the capture: the message is marked
 * incomplete with where the bytes are missing. */
TEST(imap_append_with_gap)
{
	static const char lit1[] = "Subject: a\r\n", lit2[] = "\r\nbody\r\n";
	char path[600];
	struct limits lim;
	struct plog *log = plog_new();
	struct rec r;
	struct pcapgen *g;
	struct tcpconv c;

	limits_default(&lim);
	snprintf(path, sizeof(path), "%s/in.pcap", check_tmpdir("imap_append_with_gap"));
	g = pcapgen_open(path, 1, false);
	tcpconv_init(&c, "192.168.1.159", 1036, "64.12.102.142", 143);
	c.ts_us = 1255181716000000ULL;
	c.step_us = 1000;
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, S, "* OK imap.example.org ready\r\n");
	tcpconv_sends(g, &c, C, "a1 APPEND INBOX {28}\r\n");
	tcpconv_sends(g, &c, S, "+ go\r\n");
	tcpconv_sends(g, &c, C, lit1);                 /* 12 bytes */
	c.seq[C] += 8;                                 /* 8 bytes never captured */
	tcpconv_sends(g, &c, C, lit2);                 /* 8 bytes: 12 + 8 + 8 = 28 */
	tcpconv_sends(g, &c, C, "\r\n");
	tcpconv_sends(g, &c, S, "a1 OK APPEND done\r\n");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	rec_run(&r, path, log, &lim);
	CHECK_INT(r.sessions, 1);
	CHECK_INT(r.msg_len, 20);
	CHECK(r.o.incomplete);
	CHECK(r.o_why != NULL);
	CHECK_STR(r.o_why, "8 bytes missing from the capture at stream offset 34 (before frame 8)");
	CHECK_INT(r.o.ts_us, 1255181716007000);      /* its last byte, frame 8 */
	CHECK(strstr(buf_str(&r.log), "|C|1255181716006000|7-8|22|[message 1: 20 bytes, frames 7-8;"
	    " APPEND; 8 bytes missing from the capture at stream offset 34 (before frame 8)]\n") != NULL);
	rec_free(&r);
	plog_free(log);
}

int
main(void)
{
	RUN(smtp_records);
	RUN(smtp_cut_message);
	RUN(smtp_reply_code_then_utf8);
	RUN(imap_escaped_tag);
	RUN(imap_append_with_gap);
	return check_done();
}
