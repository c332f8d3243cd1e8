/* gencap - writes a large synthetic capture for the benchmark:
 * `gencap OUT.pcap [MEGABYTES]` (default 1100). Sixteen TCP connections run
 * at a time, their segments interleaved; most are bulk non-mail transfers
 * (ports 80 and 443, 100-300 KB each), and one session in ten, about one
 * byte in ten, is an SMTP, POP3 or IMAP session with real greetings, commands and a message body.
 *
 * `gencap --flows OUT.pcap [MEGABYTES]` (default 300) writes many small
 * flows instead: short HTTP exchanges, each closed, and between them a SYN
 * scan whose flows never close, so that the flow table fills up: memory
 * must not grow with the number of flows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pcapgen.h"

#define SLOTS 16

struct slot {
	struct tcpconv c;
	int kind;                   /* 0 bulk, 1 smtp, 2 pop3, 3 imap */
	int step;
	size_t left;                /* bulk bytes still to send */
	bool live;
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

	if (argc > 2 && strcmp(argv[1], "--flows") == 0)
		return gencap_flows(argv[2], (argc > 3 ? strtoull(argv[3], NULL, 10) : 300) * 1000000ULL);
	if (argc < 2) {
		fprintf(stderr, "usage: gencap [--flows] OUT.pcap [MEGABYTES]\n");
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
