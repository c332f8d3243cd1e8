/* gencap - writes a large synthetic capture for the benchmark:
 * `gencap OUT.pcap [MEGABYTES]` (default 1100). Sixteen TCP connections run
 * at a time, their segments interleaved; most are bulk non-mail transfers
 * (ports 80 and 443, 100-300 KB each), and one session in ten, about one
 * byte in ten, is an SMTP, POP3 or IMAP session with real greetings, commands and a message body.
 *
 * `gencap --flows OUT.pcap [MEGABYTES]` (default 300) writes many small
 * flows instead: short HTTP exchanges, each closed, and between them a SYN
 * scan whose flows never close, so that the flow table fills up: memory
 * must not grow with the number of flows.
 *
 * `gencap --mail OUT.pcap [MEGABYTES]` (default 200) writes a mail-dense
 * capture: about 30% of the payload bytes are mail sessions (SMTP with AUTH
 * PLAIN or LOGIN and attachments, office documents among them; POP3 USER and
 * PASS; IMAP LOGIN and FETCH literals), one to three messages each, from
 * tests/lib/mailgen; the rest bulk transfers as above. The last line printed
 * gives the number of messages. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "mailgen.h"
#include "pcapgen.h"

#define SLOTS 16

struct slot {
	struct tcpconv c;
	int kind;                   /* 0 bulk, 1 smtp, 2 pop3, 3 imap */
	int step;
	size_t left;                /* bulk bytes still to send */
	bool live;
	int nmsg;                   /* --mail: messages in this session */
	unsigned user;              /* --mail: the account's number */
};

static uint64_t clock_us = 1700000000000000ULL;
static unsigned next_port = 1024;
static unsigned next_host = 1;
static char body[200000];

static void
slot_start(struct pcapgen *g, struct slot *s, int kind)
{
	static const uint16_t ports[] = { 80, 25, 110, 143 };
	char cli[32], srv[32];
	uint16_t sport = kind == 0 ? ((next_host & 1) ? 443 : 80) : ports[kind];

	snprintf(cli, sizeof(cli), "10.%u.%u.%u", (next_host >> 16) & 255, (next_host >> 8) & 255,
	    next_host & 255);
	snprintf(srv, sizeof(srv), "192.0.2.%u", 1 + next_host % 200);
	next_host++;
	if (++next_port > 65000)
		next_port = 1024;
	tcpconv_init(&s->c, cli, (uint16_t)next_port, srv, sport);
	s->c.ts_us = clock_us;
	s->c.step_us = 10;
	s->kind = kind;
	s->step = 0;
	s->left = kind == 0 ? (size_t)(100000 + (rand() % 200000)) : 0;
	s->live = true;
	tcpconv_handshake(g, &s->c);
}

/* Sends the next piece of the session; false when it has ended. */
static bool
slot_step(struct pcapgen *g, struct slot *s)
{
	static const char *smtp[][2] = {
		{ NULL, "220 mx.example.org ESMTP ready\r\n" },
		{ "EHLO client.example.net\r\n", "250-mx.example.org\r\n250 AUTH LOGIN PLAIN\r\n" },
		{ "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n", "235 2.7.0 accepted\r\n" },
		{ "MAIL FROM:<alice@example.net>\r\n", "250 ok\r\n" },
		{ "RCPT TO:<bob@example.org>\r\n", "250 ok\r\n" },
		{ "DATA\r\n", "354 go ahead\r\n" },
	};
	static const char *pop[][2] = {
		{ NULL, "+OK POP3 ready\r\n" }, { "USER bob\r\n", "+OK\r\n" }, { "PASS secret\r\n", "+OK\r\n" },
		{ "RETR 1\r\n", "+OK message follows\r\n" },
	};
	static const char *imap[][2] = {
		{ NULL, "* OK IMAP4rev1 ready\r\n" }, { "a1 LOGIN bob secret\r\n", "a1 OK done\r\n" },
		{ "a2 SELECT INBOX\r\n", "* 1 EXISTS\r\na2 OK done\r\n" },
		{ "a3 FETCH 1 BODY[]\r\n", "* 1 FETCH (BODY[] {200000}\r\n" },
	};
	const char *(*script)[2] = s->kind == 1 ? smtp : s->kind == 2 ? pop : imap;
	int nscript = s->kind == 1 ? 6 : 4;

	s->c.ts_us = clock_us;
	if (s->kind == 0) {
		size_t n = s->left < 64 * 1460 ? s->left : 64 * 1460;

		tcpconv_send(g, &s->c, 1, body, n);
		tcpconv_segment(g, &s->c, 0, 0x10, s->c.seq[0], NULL, 0);
		s->left -= n;
		if (s->left == 0) {
			tcpconv_close(g, &s->c);
			return false;
		}
		return true;
	}
	if (s->step < nscript) {
		if (script[s->step][0])
			tcpconv_sends(g, &s->c, 0, script[s->step][0]);
		tcpconv_sends(g, &s->c, 1, script[s->step][1]);
	} else if (s->step == nscript) {
		/* The message: client to server for SMTP, server to client otherwise. */
		tcpconv_send(g, &s->c, s->kind == 1 ? 0 : 1, body, sizeof(body));
		tcpconv_sends(g, &s->c, s->kind == 1 ? 0 : 1, "\r\n.\r\n");
	} else {
		tcpconv_sends(g, &s->c, 0, s->kind == 3 ? "a4 LOGOUT\r\n" : "QUIT\r\n");
		tcpconv_sends(g, &s->c, 1, s->kind == 3 ? "* BYE\r\na4 OK\r\n" : "221 bye\r\n");
		tcpconv_close(g, &s->c);
		return false;
	}
	s->step++;
	return true;
}

/* ---- the --mail capture ---- */
static unsigned long long mail_bytes, all_bytes;
static unsigned long next_msg;

static void
mail_send(struct pcapgen *g, struct slot *s, int dir, const void *p, size_t n)
{
	tcpconv_send(g, &s->c, dir, p, n);
	mail_bytes += n;
	all_bytes += n;
}

static void __attribute__((format(printf, 4, 5)))
mail_sendf(struct pcapgen *g, struct slot *s, int dir, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		mail_send(g, s, dir, line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

/* The next message of the capture. mailgen never starts a line with ".",
 * so SMTP and POP3 need no dot-stuffing (RFC 5321 section 4.5.2). */
static char *
mail_next(int kind, size_t *len)
{
	unsigned flags = MAILGEN_CRLF | (kind == 1 && next_msg % 2 == 0 ? MAILGEN_ATTACH : 0);

	return mailgen_message(next_msg++, flags, len);
}

static void
mail_smtp(struct pcapgen *g, struct slot *s, int m)
{
	size_t len;
	char *msg;

	if (m < 0) {
		mail_sendf(g, s, 1, "220 mx%u.example.org ESMTP ready\r\n", s->user % 7);
		mail_sendf(g, s, 0, "EHLO ws%u.example.net\r\n", s->user);
		mail_sendf(g, s, 1, "250-mx.example.org\r\n250-AUTH LOGIN PLAIN\r\n250 8BITMIME\r\n");
		if (s->user % 2) {
			char cred[64], *b;
			int n = snprintf(cred, sizeof(cred), "%cuser%u%cpass%u", 0, s->user, 0, s->user);
			b = mailgen_base64(cred, (size_t)n);
			mail_sendf(g, s, 0, "AUTH PLAIN %s\r\n", b);
			free(b);
		} else {
			char u[32], p[32], *bu, *bp;
			snprintf(u, sizeof(u), "user%u", s->user);
			snprintf(p, sizeof(p), "pass%u", s->user);
			bu = mailgen_base64(u, strlen(u));
			bp = mailgen_base64(p, strlen(p));
			mail_sendf(g, s, 0, "AUTH LOGIN\r\n");
			mail_sendf(g, s, 1, "334 VXNlcm5hbWU6\r\n");
			mail_sendf(g, s, 0, "%s\r\n", bu);
			mail_sendf(g, s, 1, "334 UGFzc3dvcmQ6\r\n");
			mail_sendf(g, s, 0, "%s\r\n", bp);
			free(bu);
			free(bp);
		}
		mail_sendf(g, s, 1, "235 2.7.0 accepted\r\n");
		return;
	}
	msg = mail_next(1, &len);
	mail_sendf(g, s, 0, "MAIL FROM:<user%u@example.net>\r\n", s->user);
	mail_sendf(g, s, 1, "250 2.1.0 ok\r\n");
	mail_sendf(g, s, 0, "RCPT TO:<bob@example.org>\r\n");
	mail_sendf(g, s, 1, "250 2.1.5 ok\r\n");
	mail_sendf(g, s, 0, "DATA\r\n");
	mail_sendf(g, s, 1, "354 go ahead\r\n");
	mail_send(g, s, 0, msg, len);
	mail_sendf(g, s, 0, ".\r\n");
	mail_sendf(g, s, 1, "250 2.0.0 queued as %lu\r\n", next_msg);
	free(msg);
}

static void
mail_pop3(struct pcapgen *g, struct slot *s, int m)
{
	size_t len;
	char *msg;

	if (m < 0) {
		mail_sendf(g, s, 1, "+OK POP3 server ready\r\n");
		mail_sendf(g, s, 0, "USER user%u\r\n", s->user);
		mail_sendf(g, s, 1, "+OK\r\n");
		mail_sendf(g, s, 0, "PASS pass%u\r\n", s->user);
		mail_sendf(g, s, 1, "+OK %d messages\r\n", s->nmsg);
		return;
	}
	msg = mail_next(2, &len);
	mail_sendf(g, s, 0, "RETR %d\r\n", m + 1);
	mail_sendf(g, s, 1, "+OK %zu octets\r\n", len);
	mail_send(g, s, 1, msg, len);
	mail_sendf(g, s, 1, ".\r\n");
	free(msg);
}

static void
mail_imap(struct pcapgen *g, struct slot *s, int m)
{
	size_t len;
	char *msg;

	if (m < 0) {
		mail_sendf(g, s, 1, "* OK IMAP4rev1 ready\r\n");
		mail_sendf(g, s, 0, "a1 LOGIN user%u pass%u\r\n", s->user, s->user);
		mail_sendf(g, s, 1, "a1 OK LOGIN completed\r\n");
		mail_sendf(g, s, 0, "a2 SELECT INBOX\r\n");
		mail_sendf(g, s, 1, "* %d EXISTS\r\na2 OK [READ-WRITE] SELECT completed\r\n", s->nmsg);
		return;
	}
	/* RFC 3501 section 4.3: the literal's octet count, then exactly that many */
	msg = mail_next(3, &len);
	mail_sendf(g, s, 0, "a%d FETCH %d BODY[]\r\n", m + 3, m + 1);
	mail_sendf(g, s, 1, "* %d FETCH (BODY[] {%zu}\r\n", m + 1, len);
	mail_send(g, s, 1, msg, len);
	mail_sendf(g, s, 1, ")\r\na%d OK FETCH completed\r\n", m + 3);
	free(msg);
}

/* One step of a --mail session: the opening, one message per step, then
 * the end; false when it has ended. */
static bool
mail_step(struct pcapgen *g, struct slot *s)
{
	void (*run)(struct pcapgen *, struct slot *, int) =
	    s->kind == 1 ? mail_smtp : s->kind == 2 ? mail_pop3 : mail_imap;

	s->c.ts_us = clock_us;
	if (s->kind == 0) {
		size_t n = s->left < 64 * 1460 ? s->left : 64 * 1460;
		tcpconv_send(g, &s->c, 1, body, n);
		tcpconv_segment(g, &s->c, 0, 0x10, s->c.seq[0], NULL, 0);
		all_bytes += n;
		s->left -= n;
		if (s->left > 0)
			return true;
		tcpconv_close(g, &s->c);
		return false;
	}
	if (s->step <= s->nmsg) {
		run(g, s, s->step - 1);
		s->step++;
		return true;
	}
	mail_sendf(g, s, 0, s->kind == 3 ? "a9 LOGOUT\r\n" : "QUIT\r\n");
	mail_sendf(g, s, 1, s->kind == 3 ? "* BYE\r\na9 OK LOGOUT completed\r\n" :
	    s->kind == 2 ? "+OK bye\r\n" : "221 2.0.0 bye\r\n");
	tcpconv_close(g, &s->c);
	return false;
}

static int
gencap_mail(const char *path, unsigned long long want)
{
	struct pcapgen *g = pcapgen_open(path, DLT_EN10MB, false);
	struct slot slots[SLOTS];
	unsigned sessions = 0, mail = 0, rounds = 0;

	srand(1);
	memset(slots, 0, sizeof(slots));
	for (;;) {
		for (int i = 0; i < SLOTS; i++) {
			if (!slots[i].live) {
				/* mail until it is 30% of the bytes so far */
				int kind = mail_bytes * 10 < all_bytes * 3 ? 1 + (int)(mail % 3) : 0;
				slot_start(g, &slots[i], kind);
				slots[i].nmsg = 1 + (int)(sessions % 3);
				slots[i].user = sessions % 500;
				sessions++;
				mail += kind != 0;
			}
			slots[i].live = mail_step(g, &slots[i]);
			clock_us += 50;
		}
		if (++rounds % 16 == 0) {
			FILE *fp = fopen(path, "rb");
			long size;
			if (fp == NULL)
				return 1;
			fseek(fp, 0, SEEK_END);
			size = ftell(fp);
			fclose(fp);
			if ((unsigned long long)size >= want)
				break;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].live)
			tcpconv_close(g, &slots[i].c);
	pcapgen_close(g);
	printf("gencap: %s: %u sessions, %u with mail, %.0f%% mail bytes, %lu messages\n", path,
	    sessions, mail, all_bytes ? 100.0 * (double)mail_bytes / (double)all_bytes : 0.0, next_msg);
	return 0;
}

/* The --flows capture. */
static int
gencap_flows(const char *path, unsigned long long want)
{
	static const char req[] = "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\n\r\n";
	struct pcapgen *g = pcapgen_open(path, DLT_EN10MB, false);
	char resp[600];
	unsigned long long n = 0, scans = 0;

	memset(resp, 'x', sizeof(resp));
	memcpy(resp, "HTTP/1.1 200 OK\r\n\r\n", 19);
	for (;;) {
		struct tcpconv c, scan;
		char cli[32], dst[32];
		unsigned h = (unsigned)n;

		snprintf(cli, sizeof(cli), "10.%u.%u.%u", (h >> 16) & 255, (h >> 8) & 255, h & 255);
		tcpconv_init(&c, cli, (uint16_t)(1024 + n % 60000), "192.0.2.80", 80);
		c.ts_us = clock_us;
		c.step_us = 10;
		tcpconv_handshake(g, &c);
		tcpconv_sends(g, &c, 0, req);
		tcpconv_send(g, &c, 1, resp, sizeof(resp));
		tcpconv_close(g, &c);
		/* One scan SYN to a new address per exchange: a flow that stays open. */
		snprintf(dst, sizeof(dst), "172.%u.%u.%u", 16 + ((h >> 16) & 15), (h >> 8) & 255, h & 255);
		tcpconv_init(&scan, "198.51.100.7", 40000, dst, 445);
		scan.ts_us = c.ts_us;
		tcpconv_segment(g, &scan, 0, 0x02, scan.seq[0], NULL, 0);
		scans++;
		clock_us = c.ts_us + 100;
		if (++n % 4096 == 0) {
			FILE *fp = fopen(path, "rb");
			long size;

			if (fp == NULL)
				return 1;
			fseek(fp, 0, SEEK_END);
			size = ftell(fp);
			fclose(fp);
			if ((unsigned long long)size >= want)
				break;
		}
	}
	pcapgen_close(g);
	printf("gencap: %s: %llu closed flows, %llu scan flows left open\n", path, n, scans);
	return 0;
}

int
main(int argc, char **argv)
{
	struct pcapgen *g;
	struct slot slots[SLOTS];
	unsigned long long want, mail = 0;
	unsigned sessions = 0, rounds = 0, frames;
	FILE *fp;

	if (argc > 2 && strcmp(argv[1], "--mail") == 0) {
		for (size_t i = 0; i < sizeof(body); i++)
			body[i] = (char)('a' + i % 26);
		return gencap_mail(argv[2], (argc > 3 ? strtoull(argv[3], NULL, 10) : 200) * 1000000ULL);
	}
	if (argc > 2 && strcmp(argv[1], "--flows") == 0)
		return gencap_flows(argv[2], (argc > 3 ? strtoull(argv[3], NULL, 10) : 300) * 1000000ULL);
	if (argc < 2) {
		fprintf(stderr, "usage: gencap [--flows|--mail] OUT.pcap [MEGABYTES]\n");
		return 2;
	}
	want = (argc > 2 ? strtoull(argv[2], NULL, 10) : 1100) * 1000000ULL;
	srand(1);
	for (size_t i = 0; i < sizeof(body); i++)
		body[i] = (i % 78 == 76) ? '\r' : (i % 78 == 77) ? '\n' : (char)('A' + i % 26);
	g = pcapgen_open(argv[1], DLT_EN10MB, false);
	memset(slots, 0, sizeof(slots));
	for (;;) {
		long size;

		for (int i = 0; i < SLOTS; i++) {
			if (!slots[i].live) {
				/* One session in ten carries mail: about 10% of bytes. */
				int kind = (sessions % 10 == 9) ? 1 + (int)(sessions / 10) % 3 : 0;

				slot_start(g, &slots[i], kind);
				sessions++;
				if (kind)
					mail++;
			}
			slots[i].live = slot_step(g, &slots[i]);
			clock_us += 50;
		}
		if (++rounds % 16 == 0) {
			/* pcapgen has no size query: look at the file. */
			fp = fopen(argv[1], "rb");
			if (fp == NULL)
				return 1;
			fseek(fp, 0, SEEK_END);
			size = ftell(fp);
			fclose(fp);
			if ((unsigned long long)size >= want)
				break;
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].live)
			tcpconv_close(g, &slots[i].c);
	frames = pcapgen_frames(g);
	pcapgen_close(g);
	printf("gencap: %s: %u sessions, %llu with mail, %u frames\n", argv[1], sessions, mail,
	    frames);
	return 0;
}
