/* genhostile - writes evidence whose hostility is its size, for the
 * pathological benchmark (tests/bench/hostile.sh) and the ceiling tests:
 * `genhostile KIND OUT N [M]`. Every input is deterministic.
 *
 * Captures (one TCP flow unless said otherwise):
 *   rcpt       one SMTP transaction with N RCPT TO lines (pipelined)
 *   txn        one SMTP session with N transactions (MAIL, RCPT, DATA, message)
 *   pipeline   N SMTP commands pipelined, the server never answering
 *   replies    N SMTP replies the client never asked for
 *   retr       a POP3 RETR whose data never ends: N MB of lines, no "."
 *   poplist    a POP3 LIST answered with N lines
 *   imaplit    an IMAP FETCH answered with N literal items in one response
 *   imapfetch  an IMAP FETCH answered with N untagged FETCH responses
 *   gaps       an SMTP message of N short lines whose segments lose a byte
 *              every M lines (default 12), so N / M holes
 *   ooo        an SMTP message of N segments, each pair sent in reverse order
 *   tinyflows  N tiny closed flows (a request and its answer)
 *   synflood   N SYN segments from distinct ports, none answered
 * Messages (.eml):
 *   longhdr    one header line (Subject) of N MB
 *   received   N Received fields
 *   addrs      a To field of N addresses
 *   mimedeep   multiparts nested N deep
 *   zipnest    a docx attachment nesting documents 42.zip-style: N levels,
 *              M embedded documents per level (default 16), a 900 KB entry
 *              of zeros at the bottom of each branch */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "docxgen.h"
#include "mailgen.h"
#include "pcapgen.h"

static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "genhostile: %s\n", what);
	exit(2);
}

/* ---- a growing byte buffer for batches --------------------------------- */

struct gbuf {
	char *p;
	size_t len, cap;
};

static void
gb_add(struct gbuf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (b->p == NULL)
			die("out of memory");
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void __attribute__((format(printf, 2, 3)))
gb_addf(struct gbuf *b, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		die("line too long");
	gb_add(b, line, (size_t)n);
}

/* Sends the batch and empties it. */
static void
gb_send(struct pcapgen *g, struct tcpconv *c, int dir, struct gbuf *b)
{
	if (b->len > 0)
		tcpconv_send(g, c, dir, b->p, b->len);
	b->len = 0;
}

#define BATCH 4000

static struct pcapgen *
cap_open(const char *path, struct tcpconv *c, uint16_t port)
{
	struct pcapgen *g = pcapgen_open(path, DLT_EN10MB, false);

	if (g == NULL)
		die("cannot write the capture");
	tcpconv_init(c, "10.0.0.1", 40000, "192.0.2.25", port);
	c->step_us = 10;
	tcpconv_handshake(g, c);
	return g;
}

static const char small_msg[] =
    "From: a@example.net\r\nTo: b@example.org\r\nSubject: hostile\r\n"
    "Message-ID: <hostile@example.net>\r\n\r\nbody\r\n";

static void
smtp_open(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_sends(g, c, 1, "220 mx.example.org ESMTP\r\n");
	tcpconv_sends(g, c, 0, "EHLO ws.example.net\r\n");
	tcpconv_sends(g, c, 1, "250-mx.example.org\r\n250 PIPELINING\r\n");
}

static void
smtp_close(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_sends(g, c, 0, "QUIT\r\n");
	tcpconv_sends(g, c, 1, "221 bye\r\n");
	tcpconv_close(g, c);
}

static void
gen_rcpt(const char *out, unsigned long n)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 25);
	struct gbuf cb = { 0 }, sb = { 0 };

	smtp_open(g, &c);
	tcpconv_sends(g, &c, 0, "MAIL FROM:<a@example.net>\r\n");
	tcpconv_sends(g, &c, 1, "250 ok\r\n");
	for (unsigned long i = 0; i < n; i++) {
		gb_addf(&cb, "RCPT TO:<user%lu@example.org>\r\n", i);
		gb_addf(&sb, "250 2.1.5 ok\r\n");
		if ((i + 1) % BATCH == 0 || i + 1 == n) {
			gb_send(g, &c, 0, &cb);
			gb_send(g, &c, 1, &sb);
		}
	}
	tcpconv_sends(g, &c, 0, "DATA\r\n");
	tcpconv_sends(g, &c, 1, "354 go ahead\r\n");
	tcpconv_sends(g, &c, 0, small_msg);
	tcpconv_sends(g, &c, 0, ".\r\n");
	tcpconv_sends(g, &c, 1, "250 queued\r\n");
	smtp_close(g, &c);
	pcapgen_close(g);
	free(cb.p);
	free(sb.p);
}

static void
gen_txn(const char *out, unsigned long n)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 25);
	struct gbuf cb = { 0 }, sb = { 0 };

	smtp_open(g, &c);
	for (unsigned long i = 0; i < n; i++) {
		gb_addf(&cb, "MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
		gb_addf(&cb, "From: a@example.net\r\nTo: b@example.org\r\nSubject: m%lu\r\n"
		    "Message-ID: <m%lu@example.net>\r\n\r\nbody %lu\r\n.\r\n", i, i, i);
		gb_addf(&sb, "250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n");
		if ((i + 1) % 500 == 0 || i + 1 == n) {
			gb_send(g, &c, 0, &cb);
			gb_send(g, &c, 1, &sb);
		}
	}
	smtp_close(g, &c);
	pcapgen_close(g);
	free(cb.p);
	free(sb.p);
}

static void
gen_pipeline(const char *out, unsigned long n, bool replies)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 25);
	struct gbuf b = { 0 };

	smtp_open(g, &c);
	for (unsigned long i = 0; i < n; i++) {
		if (replies)
			gb_addf(&b, "250 2.0.0 ok %lu\r\n", i);
		else
			gb_addf(&b, "NOOP %lu\r\n", i);
		if ((i + 1) % BATCH == 0 || i + 1 == n)
			gb_send(g, &c, replies ? 1 : 0, &b);
	}
	tcpconv_close(g, &c);
	pcapgen_close(g);
	free(b.p);
}

static void
pop_open(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_sends(g, c, 1, "+OK POP3 ready\r\n");
	tcpconv_sends(g, c, 0, "USER bob\r\n");
	tcpconv_sends(g, c, 1, "+OK\r\n");
	tcpconv_sends(g, c, 0, "PASS secret\r\n");
	tcpconv_sends(g, c, 1, "+OK\r\n");
}

static void
gen_retr(const char *out, unsigned long mb)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 110);
	struct gbuf b = { 0 };
	unsigned long long want = (unsigned long long)mb << 20, sent = 0;
	unsigned long i = 0;

	pop_open(g, &c);
	tcpconv_sends(g, &c, 0, "RETR 1\r\n");
	tcpconv_sends(g, &c, 1, "+OK message follows\r\n");
	gb_addf(&b, "%s", "From: a@example.net\r\nTo: b@example.org\r\nSubject: never ends\r\n"
	    "Message-ID: <endless@example.net>\r\n\r\n");
	while (sent < want) {
		gb_addf(&b, "line %09lu of a message that never ends, padded to seventy-odd bytes\r\n",
		    i++);
		if (b.len >= 64 * 1460) {
			sent += b.len;
			gb_send(g, &c, 1, &b);
		}
	}
	gb_send(g, &c, 1, &b);
	tcpconv_close(g, &c);
	pcapgen_close(g);
	free(b.p);
}

static void
gen_poplist(const char *out, unsigned long n)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 110);
	struct gbuf b = { 0 };

	pop_open(g, &c);
	tcpconv_sends(g, &c, 0, "LIST\r\n");
	gb_addf(&b, "+OK %lu messages\r\n", n);
	for (unsigned long i = 0; i < n; i++) {
		gb_addf(&b, "%lu %lu\r\n", i + 1, 1000 + i);
		if ((i + 1) % BATCH == 0)
			gb_send(g, &c, 1, &b);
	}
	gb_addf(&b, ".\r\n");
	gb_send(g, &c, 1, &b);
	tcpconv_sends(g, &c, 0, "QUIT\r\n");
	tcpconv_sends(g, &c, 1, "+OK bye\r\n");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	free(b.p);
}

static void
imap_open(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_sends(g, c, 1, "* OK IMAP4rev1 ready\r\n");
	tcpconv_sends(g, c, 0, "a1 LOGIN bob secret\r\n");
	tcpconv_sends(g, c, 1, "a1 OK done\r\n");
	tcpconv_sends(g, c, 0, "a2 SELECT INBOX\r\n");
	tcpconv_sends(g, c, 1, "* 1 EXISTS\r\na2 OK done\r\n");
}

static void
gen_imap(const char *out, unsigned long n, bool literals)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 143);
	struct gbuf b = { 0 };

	imap_open(g, &c);
	tcpconv_sends(g, &c, 0, "a3 FETCH 1:* (FLAGS BODY[HEADER.FIELDS (X)])\r\n");
	if (literals)
		gb_addf(&b, "* 1 FETCH (FLAGS (\\Seen)");
	for (unsigned long i = 0; i < n; i++) {
		if (literals)
			gb_addf(&b, " BODY[HEADER.FIELDS (X%lu)] {10}\r\nX: %05lu\r\n", i, i % 100000);
		else
			gb_addf(&b, "* %lu FETCH (FLAGS (\\Seen) UID %lu)\r\n", i + 1, i + 1);
		if ((i + 1) % BATCH == 0)
			gb_send(g, &c, 1, &b);
	}
	if (literals)
		gb_addf(&b, ")\r\n");
	gb_addf(&b, "a3 OK done\r\n");
	gb_send(g, &c, 1, &b);
	tcpconv_sends(g, &c, 0, "a4 LOGOUT\r\n");
	tcpconv_sends(g, &c, 1, "* BYE\r\na4 OK\r\n");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	free(b.p);
}

/* Each line its own segment; every m-th segment is sent one byte short of
 * its end, the byte never seen, so the stream has a hole there. */
static void
gen_gaps(const char *out, unsigned long n, unsigned long m)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 25);
	char line[64];

	smtp_open(g, &c);
	tcpconv_sends(g, &c, 0, "MAIL FROM:<a@example.net>\r\n");
	tcpconv_sends(g, &c, 1, "250 ok\r\n");
	tcpconv_sends(g, &c, 0, "RCPT TO:<b@example.org>\r\n");
	tcpconv_sends(g, &c, 1, "250 ok\r\n");
	tcpconv_sends(g, &c, 0, "DATA\r\n");
	tcpconv_sends(g, &c, 1, "354 go ahead\r\n");
	tcpconv_sends(g, &c, 0, "From: a@example.net\r\nSubject: holes\r\n\r\n");
	for (unsigned long i = 0; i < n; i++) {
		/* several lines per segment keep the capture small */
		int k = snprintf(line, sizeof(line), "l%07lu\r\n", i);

		if (m > 0 && i % m == m - 1) {
			/* the segment starts one byte late: the first byte is lost */
			tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 1, line + 1, (size_t)k - 1);
		} else {
			tcpconv_segment(g, &c, 0, 0x18, c.seq[0], line, (size_t)k);
		}
		c.seq[0] += (uint32_t)k;
	}
	tcpconv_sends(g, &c, 0, ".\r\n");
	tcpconv_sends(g, &c, 1, "250 queued\r\n");
	smtp_close(g, &c);
	pcapgen_close(g);
}

static void
gen_ooo(const char *out, unsigned long n)
{
	struct tcpconv c;
	struct pcapgen *g = cap_open(out, &c, 25);
	char a[64], b2[64];

	smtp_open(g, &c);
	tcpconv_sends(g, &c, 0, "MAIL FROM:<a@example.net>\r\n");
	tcpconv_sends(g, &c, 1, "250 ok\r\n");
	tcpconv_sends(g, &c, 0, "RCPT TO:<b@example.org>\r\n");
	tcpconv_sends(g, &c, 1, "250 ok\r\n");
	tcpconv_sends(g, &c, 0, "DATA\r\n");
	tcpconv_sends(g, &c, 1, "354 go ahead\r\n");
	tcpconv_sends(g, &c, 0, "From: a@example.net\r\nSubject: reordered\r\n\r\n");
	for (unsigned long i = 0; i + 1 < n; i += 2) {
		int ka = snprintf(a, sizeof(a), "segment %08lu\r\n", i);
		int kb = snprintf(b2, sizeof(b2), "segment %08lu\r\n", i + 1);

		tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + (uint32_t)ka, b2, (size_t)kb);
		tcpconv_segment(g, &c, 0, 0x18, c.seq[0], a, (size_t)ka);
		c.seq[0] += (uint32_t)(ka + kb);
	}
	tcpconv_sends(g, &c, 0, ".\r\n");
	tcpconv_sends(g, &c, 1, "250 queued\r\n");
	smtp_close(g, &c);
	pcapgen_close(g);
}

static void
flow_addr(unsigned long i, char *cli, size_t n)
{
	snprintf(cli, n, "10.%lu.%lu.%lu", (i >> 16) & 255, (i >> 8) & 255, (i & 255) | 1);
}

static void
gen_tinyflows(const char *out, unsigned long n)
{
	struct pcapgen *g = pcapgen_open(out, DLT_EN10MB, false);
	uint64_t ts = 1700000000000000ULL;

	if (g == NULL)
		die("cannot write the capture");
	for (unsigned long i = 0; i < n; i++) {
		struct tcpconv c;
		char cli[32];

		flow_addr(i / 60000, cli, sizeof(cli));
		tcpconv_init(&c, cli, (uint16_t)(1024 + i % 60000), "192.0.2.80", 80);
		c.ts_us = ts;
		c.step_us = 1;
		tcpconv_handshake(g, &c);
		tcpconv_sends(g, &c, 0, "GET / HTTP/1.0\r\n\r\n");
		tcpconv_sends(g, &c, 1, "HTTP/1.0 204 No Content\r\n\r\n");
		tcpconv_close(g, &c);
		ts = c.ts_us;
	}
	pcapgen_close(g);
}

static void
gen_synflood(const char *out, unsigned long n)
{
	struct pcapgen *g = pcapgen_open(out, DLT_EN10MB, false);
	uint64_t ts = 1700000000000000ULL;

	if (g == NULL)
		die("cannot write the capture");
	for (unsigned long i = 0; i < n; i++) {
		struct tcpconv c;
		char cli[32];

		flow_addr(i / 60000 + 1000, cli, sizeof(cli));
		tcpconv_init(&c, cli, (uint16_t)(1024 + i % 60000), "192.0.2.25", 25);
		c.ts_us = ts;
		tcpconv_segment(g, &c, 0, 0x02, c.seq[0], NULL, 0);
		ts += 2;
	}
	pcapgen_close(g);
}

/* ---- messages ----------------------------------------------------------- */

static FILE *
eml_open(const char *path)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL)
		die("cannot write the message");
	return fp;
}

static void
eml_close(FILE *fp)
{
	if (ferror(fp) || fclose(fp) != 0)
		die("write failed");
}

static void
gen_longhdr(const char *out, unsigned long mb)
{
	FILE *fp = eml_open(out);
	unsigned long long n = (unsigned long long)mb << 20;
	static char chunk[65536];

	memset(chunk, 'x', sizeof(chunk));
	fputs("From: a@example.net\r\nTo: b@example.org\r\nMessage-ID: <long@example.net>\r\n"
	    "Subject: ", fp);
	while (n > 0) {
		size_t k = n < sizeof(chunk) ? (size_t)n : sizeof(chunk);
		fwrite(chunk, 1, k, fp);
		n -= k;
	}
	fputs("\r\n\r\nbody\r\n", fp);
	eml_close(fp);
}

static void
gen_received(const char *out, unsigned long n)
{
	FILE *fp = eml_open(out);

	for (unsigned long i = 0; i < n; i++)
		fprintf(fp, "Received: from relay%lu.example.net (relay%lu.example.net [198.51.100.%lu])\r\n"
		    "\tby relay%lu.example.net with ESMTP id r%lu; Tue, 1 Dec 2026 10:%02lu:%02lu +0000\r\n",
		    i + 1, i + 1, i % 250 + 1, i, i, (n - i) / 60 % 60, (n - i) % 60);
	fputs("From: a@example.net\r\nTo: b@example.org\r\nSubject: many hops\r\n"
	    "Message-ID: <hops@example.net>\r\nDate: Tue, 1 Dec 2026 11:00:00 +0000\r\n\r\nbody\r\n", fp);
	eml_close(fp);
}

static void
gen_addrs(const char *out, unsigned long n)
{
	FILE *fp = eml_open(out);

	fputs("From: a@example.net\r\nSubject: many addresses\r\nMessage-ID: <addrs@example.net>\r\nTo: ",
	    fp);
	for (unsigned long i = 0; i < n; i++)
		fprintf(fp, "%s<user%lu@example.org>", i ? ",\r\n " : "", i);
	fputs("\r\n\r\nbody\r\n", fp);
	eml_close(fp);
}

static void
gen_mimedeep(const char *out, unsigned long n)
{
	FILE *fp = eml_open(out);

	fputs("From: a@example.net\r\nTo: b@example.org\r\nSubject: deep\r\n"
	    "Message-ID: <deep@example.net>\r\nMIME-Version: 1.0\r\n", fp);
	for (unsigned long i = 0; i < n; i++)
		fprintf(fp, "Content-Type: multipart/mixed; boundary=\"b%lu\"\r\n\r\n--b%lu\r\n", i, i);
	fputs("Content-Type: text/plain\r\n\r\nthe bottom\r\n", fp);
	for (unsigned long i = n; i-- > 0;)
		fprintf(fp, "--b%lu--\r\n", i);
	eml_close(fp);
}

static void
gen_zipnest(const char *out, unsigned long levels, unsigned long fanout)
{
	static char zeros[900 * 1024];
	size_t len;
	struct docxgen *d = docxgen_new();
	char *doc, *b64;
	FILE *fp;

	docxgen_docx(d, "<w:p><w:r><w:t>bottom</w:t></w:r></w:p>", NULL);
	docxgen_add(d, "word/media/image1.png", zeros, sizeof(zeros), false);
	doc = docxgen_finish(d, &len);
	for (unsigned long l = 0; l < levels; l++) {
		char name[64];
		char *next;
		size_t nlen;

		d = docxgen_new();
		docxgen_docx(d, "<w:p><w:r><w:t>level</w:t></w:r></w:p>", NULL);
		for (unsigned long i = 0; i < fanout; i++) {
			snprintf(name, sizeof(name), "word/embeddings/doc%lu.docx", i);
			docxgen_add(d, name, doc, len, false);
		}
		next = docxgen_finish(d, &nlen);
		free(doc);
		doc = next;
		len = nlen;
	}
	b64 = mailgen_base64(doc, len);
	fp = eml_open(out);
	fputs("From: a@example.net\r\nTo: b@example.org\r\nSubject: nested documents\r\n"
	    "Message-ID: <nest@example.net>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"z\"\r\n\r\n--z\r\n"
	    "Content-Type: text/plain\r\n\r\nsee attached\r\n--z\r\n"
	    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;"
	    " name=\"nest.docx\"\r\nContent-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"nest.docx\"\r\n\r\n", fp);
	for (size_t i = 0, n = strlen(b64); i < n; i += 76) {
		fwrite(b64 + i, 1, n - i < 76 ? n - i : 76, fp);
		fputs("\r\n", fp);
	}
	fputs("--z--\r\n", fp);
	eml_close(fp);
	free(b64);
	free(doc);
}

int
main(int argc, char **argv)
{
	const char *kind, *out;
	unsigned long n, m = 0;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: genhostile KIND OUT N [M] (kinds in tests/tools/genhostile.c)\n");
		return 2;
	}
	kind = argv[1];
	out = argv[2];
	n = strtoul(argv[3], NULL, 10);
	if (argc == 5)
		m = strtoul(argv[4], NULL, 10);
	if (strcmp(kind, "rcpt") == 0) gen_rcpt(out, n);
	else if (strcmp(kind, "txn") == 0) gen_txn(out, n);
	else if (strcmp(kind, "pipeline") == 0) gen_pipeline(out, n, false);
	else if (strcmp(kind, "replies") == 0) gen_pipeline(out, n, true);
	else if (strcmp(kind, "retr") == 0) gen_retr(out, n);
	else if (strcmp(kind, "poplist") == 0) gen_poplist(out, n);
	else if (strcmp(kind, "imaplit") == 0) gen_imap(out, n, true);
	else if (strcmp(kind, "imapfetch") == 0) gen_imap(out, n, false);
	else if (strcmp(kind, "gaps") == 0) gen_gaps(out, n, m ? m : 12);
	else if (strcmp(kind, "ooo") == 0) gen_ooo(out, n);
	else if (strcmp(kind, "tinyflows") == 0) gen_tinyflows(out, n);
	else if (strcmp(kind, "synflood") == 0) gen_synflood(out, n);
	else if (strcmp(kind, "longhdr") == 0) gen_longhdr(out, n);
	else if (strcmp(kind, "received") == 0) gen_received(out, n);
	else if (strcmp(kind, "addrs") == 0) gen_addrs(out, n);
	else if (strcmp(kind, "mimedeep") == 0) gen_mimedeep(out, n);
	else if (strcmp(kind, "zipnest") == 0) gen_zipnest(out, n, m ? m : 16);
	else {
		fprintf(stderr, "genhostile: unknown kind %s\n", kind);
		return 2;
	}
	return 0;
}
