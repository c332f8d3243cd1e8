/* Tests of the SMTP session parser (src/mail/smtp.c) on captures written
 * here, and on the shared corpus's evidence02.pcap when present. */
#include "check.h"
#include "mail_fixture.h"

#define C 0
#define S 1

static char pcap[600];

static bool
run_steps(struct mfix *m, const char *name, const struct mstep *st, size_t n, unsigned *fr)
{
	if (!mfix_open(m, name))
		return false;
	snprintf(pcap, sizeof(pcap), "%s/in.pcap", m->base);
	mfix_pcap(pcap, "192.168.1.159", 1036, "64.12.102.142", 587, st, n, fr);
	mfix_run(m, pcap);
	return true;
}

#define Q(sql) (free(q), q = mfix_q(&m, sql))

TEST(auth_login_and_message)
{
	static const struct mstep st[] = {
		{ S, "220 cia-mc06.mx.aol.com ESMTP mail_cia-mc06.1; Sat, 10 Oct 2009 15:35:16 -0400\r\n", 0 },
		{ C, "EHLO annlaptop\r\n", 0 },
		{ S, "250-cia-mc06.mx.aol.com host-69-140-19-190.static.comcast.net\r\n"
		     "250-AUTH=LOGIN PLAIN XAOL-UAS-MB\r\n250-AUTH LOGIN PLAIN XAOL-UAS-MB\r\n"
		     "250-STARTTLS\r\n250-CHUNKING\r\n250 HELP\r\n", 0 },
		{ C, "AUTH LOGIN\r\n", 0 },
		{ S, "334 VXNlcm5hbWU6\r\n", 0 },
		{ C, "c25lYWt5ZzMza0Bhb2wuY29t\r\n", 0 },
		{ S, "334 UGFzc3dvcmQ6\r\n", 0 },
		{ C, "NTU4cjAwbHo=\r\n", 0 },
		{ S, "235 AUTHENTICATION SUCCESSFUL\r\n", 0 },
		{ C, "MAIL FROM: <sneakyg33k@aol.com> SIZE=120\r\n", 0 },
		{ S, "250 OK\r\n", 0 },
		{ C, "RCPT TO: <sec558@gmail.com>\r\n", 0 },
		{ S, "250 OK\r\n", 0 },
		{ C, "DATA\r\n", 0 },
		{ S, "354 START MAIL INPUT, END WITH \"<CR><LF>.<CR><LF>\"\r\n", 0 },
		{ C, "Subject: lunch\r\n\r\n..dot line\r\nbye\r\n.\r\n", 0 },
		{ S, "250 OK\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "221 SERVICE CLOSING CHANNEL\r\n", 0 },
	};
	unsigned fr[sizeof(st) / sizeof(st[0])];
	struct mfix m;
	char *q = NULL;

	CHECK(run_steps(&m, "auth_login", st, sizeof(st) / sizeof(st[0]), fr));
	CHECK_INT(fr[5], 9);
	Q("SELECT protocol, server_name, server_software, client_name, tls, messages FROM sessions");
	CHECK_STR(q, "smtp|cia-mc06.mx.aol.com|mail_cia-mc06.1|annlaptop|none|1\n");
	Q("SELECT capabilities FROM sessions");
	CHECK_STR(q, "AUTH=LOGIN PLAIN XAOL-UAS-MB\nAUTH LOGIN PLAIN XAOL-UAS-MB\nSTARTTLS\nCHUNKING\nHELP\n");
	Q("SELECT protocol, mechanism, authzid, username, secret, secret_kind, crack_line, verdict,"
	  " reply, frames, client, server FROM credentials");
	CHECK_STR(q, "smtp|LOGIN||sneakyg33k@aol.com|558r00lz|password||accepted|"
	    "235 AUTHENTICATION SUCCESSFUL|9,11|192.168.1.159:1036|64.12.102.142:587\n");
	/* 16 + 2 + 11 ("..dot line" unstuffed) + 5 bytes */
	Q("SELECT dir, frames, line FROM transcript WHERE line LIKE '[message%' OR line LIKE 'MAIL%'"
	  " OR line LIKE 'RCPT%' OR line = '250 OK' ORDER BY seq");
	CHECK_STR(q, "C|13|MAIL FROM: <sneakyg33k@aol.com> SIZE=120\nS|14|250 OK\n"
	    "C|15|RCPT TO: <sec558@gmail.com>\nS|16|250 OK\n"
	    "C|19|[message 1: 34 bytes, frames 19]\nS|20|250 OK\n");
	Q("SELECT count(*), min(seq), max(seq) FROM transcript");
	CHECK_STR(q, "24|1|24\n");
	Q("SELECT source, frames, env_from, env_rcpt, size, incomplete FROM messages");
	CHECK_STR(q, "smtp|19|sneakyg33k@aol.com|[\"sec558@gmail.com\"]|34|0\n");
	free(q);
	mfix_close(&m);
}

TEST(auth_variants)
{
	/* LOGIN with initial response, PLAIN both forms (with an authzid),
	 * CRAM-MD5 (RFC 2195 example), XOAUTH2, and a rejected PLAIN. */
	static const struct mstep st[] = {
		{ S, "220 mx.example.org ESMTP Postfix (Debian)\r\n", 0 },
		{ C, "EHLO client.example\r\n", 0 },
		{ S, "250-mx.example.org\r\n250 AUTH LOGIN PLAIN CRAM-MD5 XOAUTH2\r\n", 0 },
		{ C, "AUTH LOGIN dXNlcjE=\r\n", 0 },                        /* user1 */
		{ S, "334 UGFzc3dvcmQ6\r\n", 0 },
		{ C, "cGFzczE=\r\n", 0 },                                    /* pass1 */
		{ S, "235 2.7.0 ok\r\n", 0 },
		{ C, "AUTH PLAIN YWRtaW4AdXNlcjIAcGFzczI=\r\n", 0 },       /* admin\0user2\0pass2 */
		{ S, "235 2.7.0 ok\r\n", 0 },
		{ C, "AUTH PLAIN\r\n", 0 },
		{ S, "334 \r\n", 0 },
		{ C, "AHVzZXIzAHBhc3Mz\r\n", 0 },                            /* \0user3\0pass3 */
		{ S, "535 5.7.8 Error: authentication failed\r\n", 0 },
		{ C, "AUTH CRAM-MD5\r\n", 0 },
		{ S, "334 PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n", 0 },
		{ C, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n", 0 },
		{ S, "235 ok\r\n", 0 },
		{ C, "AUTH XOAUTH2 dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVkbVZ1WkdGMGRXMDBOekl3TURNTUNBVEVFUXVYW1ZMNkdJUQEB\r\n", 0 },
		{ S, "235 2.7.0 Accepted\r\n", 0 },
		{ C, "AUTH NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=\r\n", 0 },
		{ S, "504 5.7.4 Unrecognized authentication type\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "221 bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run_steps(&m, "auth_variants", st, sizeof(st) / sizeof(st[0]), NULL));
	Q("SELECT mechanism, authzid, username, secret, secret_kind, crack_line, verdict, frames"
	  " FROM credentials ORDER BY id");
	CHECK_STR(q,
	    "LOGIN||user1|pass1|password||accepted|7,9\n"
	    "PLAIN|admin|user2|pass2|password||accepted|11\n"
	    "PLAIN||user3|pass3|password||rejected|15\n"
	    "CRAM-MD5||tim|b913a602c7eda7a495b4e6e7334d3890|cram-md5 digest|"
	    "$cram_md5$PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+$"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw|accepted|19\n"
	    "XOAUTH2||someuser@example.com|ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEudmVuZGF0dW00NzIwMDMMCATEEQuX[VL6GIQ"
	    "|oauth token||accepted|21\n"
	    "NTLM||||||rejected|23\n");
	Q("SELECT server_name, server_software FROM sessions");
	CHECK_STR(q, "mx.example.org|Postfix (Debian)\n");
	free(q);
	mfix_close(&m);
}

TEST(pipelining_rcpt_replies_and_two_messages)
{
	static const struct mstep st[] = {
		{ S, "220 mx ESMTP\r\n", 0 },
		{ C, "EHLO c\r\n", 0 },
		{ S, "250-mx\r\n250 PIPELINING\r\n", 0 },
		{ C, "MAIL FROM:<a@x.org> BODY=8BITMIME\r\nRCPT TO:<b@y.org>\r\nRCPT TO:<nobody@y.org>\r\n"
		     "RCPT TO:<c@y.org> NOTIFY=NEVER\r\nDATA\r\n", 0 },
		{ S, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 no such user\r\n250 2.1.5 Ok\r\n354 go\r\n", 0 },
		{ C, "Subject: one\r\n\r\nbody\r\n.\r\n", 0 },
		{ S, "250 queued\r\n", 0 },
		{ C, "MAIL FROM:<>\r\nRCPT TO:<d@z.org>\r\nRSET\r\n", 0 },
		{ S, "250 Ok\r\n250 Ok\r\n250 Ok\r\n", 0 },
		{ C, "MAIL FROM:<e@x.org>\r\nRCPT TO:<f@y.org>\r\nDATA\r\n", 0 },
		{ S, "250 Ok\r\n250 Ok\r\n354 go\r\n", 0 },
		{ C, "Subject: two\r\n\r\n.\r\n", 0 },
		{ S, "250 queued\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "221 bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run_steps(&m, "pipelining", st, sizeof(st) / sizeof(st[0]), NULL));
	Q("SELECT frames, line FROM transcript WHERE line LIKE '[message%' ORDER BY seq");
	CHECK_STR(q, "9|[message 1: 22 bytes, frames 9]\n15|[message 2: 16 bytes, frames 15]\n");
	Q("SELECT messages FROM sessions");
	CHECK_STR(q, "2\n");
	Q("SELECT env_from, env_rcpt FROM messages ORDER BY id");
	CHECK_STR(q, "a@x.org|[\"b@y.org\",\"c@y.org\"]\ne@x.org|[\"f@y.org\"]\n");
	free(q);
	mfix_close(&m);
}

TEST(bdat_chunks)
{
	/* RFC 3030 4.2-style: two chunks, the second LAST; then BDAT 0 LAST */
	static const struct mstep st[] = {
		{ S, "220 mx ESMTP\r\n", 0 },
		{ C, "EHLO c\r\n", 0 },
		{ S, "250-mx\r\n250 CHUNKING\r\n", 0 },
		{ C, "MAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\n", 0 },
		{ S, "250 Ok\r\n250 Ok\r\n", 0 },
		{ C, "BDAT 14\r\nSubject: x\r\n\r\nBDAT 7 LAST\r\n.hello\n", 0 },
		{ S, "250 14 octets\r\n250 Ok\r\n", 0 },
		{ C, "MAIL FROM:<a@x.org>\r\nRCPT TO:<b@y.org>\r\nBDAT 4\r\nab\r\nBDAT 0 LAST\r\n", 0 },
		{ S, "250 Ok\r\n250 Ok\r\n250 4 octets\r\n250 Ok\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "221 bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run_steps(&m, "bdat", st, sizeof(st) / sizeof(st[0]), NULL));
	Q("SELECT dir, line FROM transcript WHERE dir = 'C' ORDER BY seq");
	CHECK_STR(q, "C|EHLO c\nC|MAIL FROM:<a@x.org>\nC|RCPT TO:<b@y.org>\nC|BDAT 14\n"
	    "C|[message 1: 14 bytes, frames 9; BDAT chunk 1]\nC|BDAT 7 LAST\n"
	    "C|[message 1: 7 bytes, frames 9; BDAT chunk 2, LAST]\n"
	    "C|MAIL FROM:<a@x.org>\nC|RCPT TO:<b@y.org>\nC|BDAT 4\n"
	    "C|[message 2: 4 bytes, frames 11; BDAT chunk 1]\nC|BDAT 0 LAST\nC|QUIT\n");
	Q("SELECT messages FROM sessions");
	CHECK_STR(q, "2\n");
	/* BDAT data is not dot-stuffed (RFC 3030 2): ".hello" stays */
	Q("SELECT size, incomplete FROM messages ORDER BY id");
	CHECK_STR(q, "21|0\n4|0\n");
	free(q);
	mfix_close(&m);
}

TEST(starttls_rest_encrypted)
{
	static const struct mstep st[] = {
		{ S, "220 mx ESMTP\r\n", 0 },
		{ C, "EHLO c\r\n", 0 },
		{ S, "250-mx\r\n250 STARTTLS\r\n", 0 },
		{ C, "STARTTLS\r\n", 0 },
		{ S, "220 2.0.0 Ready to start TLS\r\n", 0 },
		{ C, "\x16\x03\x01\x00\x05hello", 10 },
		{ S, "\x16\x03\x03\x00\x02hi", 7 },
		{ C, "\x17\x03\x03\x00\x01x", 6 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run_steps(&m, "starttls", st, sizeof(st) / sizeof(st[0]), NULL));
	Q("SELECT tls, tls_frame FROM sessions");
	CHECK_STR(q, "starttls|8\n");
	Q("SELECT dir, frames, line FROM transcript WHERE line LIKE '[encrypted%' ORDER BY seq");
	CHECK_STR(q, "C|9,11|[encrypted after STARTTLS: 16 bytes, frames 9,11]\n"
	    "S|10|[encrypted after STARTTLS: 7 bytes, frames 10]\n");
	free(q);
	mfix_close(&m);
}

TEST(garbage_never_crashes)
{
	static char big[80000];
	static const struct mstep base[] = {
		{ S, "220 mx ESMTP\r\n", 0 },
		{ C, "\x00\x01\xff\xfe binary\r\n", 13 },
		{ S, "garbage reply\r\n", 0 },
		{ C, big, 0 },
		{ S, "500 what\r\n", 0 },
		{ C, "DATA\r\n", 0 },
		{ S, "354 go\r\n", 0 },
		{ C, "no end of data", 0 },
	};
	struct mfix m;
	char *q = NULL;

	memset(big, 'A', sizeof(big) - 3);
	big[sizeof(big) - 3] = '\r';
	big[sizeof(big) - 2] = '\n';
	CHECK(run_steps(&m, "garbage", base, sizeof(base) / sizeof(base[0]), NULL));
	Q("SELECT line FROM transcript WHERE seq = 2");
	CHECK_STR(q, "\\x00\\x01\\xFF\\xFE binary\n");
	Q("SELECT count(*) FROM transcript WHERE line LIKE 'AAAA%[... 79999 bytes in all]'");
	CHECK_STR(q, "1\n");
	Q("SELECT line FROM transcript ORDER BY seq DESC LIMIT 1");
	CHECK_STR(q, "[message 1: 14 bytes, frames 65; the capture ended before the end of the data (no \".\" line)]\n");
	CHECK(plog_count(m.log) >= 2);
	free(q);
	mfix_close(&m);
}

TEST(gap_inside_message)
{
	const char *path;
	struct pcapgen *g;
	struct tcpconv c;
	struct mfix m;
	char *q = NULL;
	static const char *part1 = "Subject: gap\r\n\r\nline one\r\n";
	static const char *part2 = "line three\r\n.\r\nQUIT\r\n";

	CHECK(mfix_open(&m, "gap"));
	path = "tests/tmp/test_smtp/gap/in.pcap";
	g = pcapgen_open(path, 1, false);
	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	c.ts_us = 1255181716000000ULL;
	c.step_us = 1000;
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 1, "220 mx ESMTP\r\n");
	tcpconv_sends(g, &c, 0, "HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
	tcpconv_sends(g, &c, 1, "250 hi\r\n250 ok\r\n250 ok\r\n354 go\r\n");
	tcpconv_sends(g, &c, 0, part1);
	c.seq[0] += 10;     /* "line two\r\n" never captured */
	tcpconv_sends(g, &c, 0, part2);
	tcpconv_sends(g, &c, 1, "250 ok\r\n221 bye\r\n");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	mfix_run(&m, path);
	Q("SELECT line FROM transcript WHERE line LIKE '[message%'");
	CHECK_STR(q, "[message 1: 38 bytes, frames 7-8; 10 bytes missing from the capture at stream offset 72 (before frame 8)]\n");
	Q("SELECT line FROM transcript ORDER BY seq DESC LIMIT 3");
	CHECK_STR(q, "221 bye\n250 ok\nQUIT\n");
	free(q);
	mfix_close(&m);
}

TEST(evidence02)
{
	const char *corpus = check_corpus();
	char path[600];
	struct mfix m;
	char *q = NULL;

	snprintf(path, sizeof(path), "%s/evidence02.pcap", corpus ? corpus : "");
	CHECK(mfix_open(&m, "evidence02"));
	mfix_run(&m, path);
	Q("SELECT protocol, server_name, client_name, tls, messages FROM sessions ORDER BY id");
	CHECK_STR(q, "smtp|cia-mc06.mx.aol.com|annlaptop|none|1\nsmtp|cia-mc07.mx.aol.com|annlaptop|none|1\n");
	Q("SELECT mechanism, username, secret, verdict, frames, client FROM credentials ORDER BY id");
	CHECK_STR(q, "LOGIN|sneakyg33k@aol.com|558r00lz|accepted|63,66|192.168.1.159:1036\n"
	    "LOGIN|sneakyg33k@aol.com|558r00lz|accepted|123,126|192.168.1.159:1038\n");
	Q("SELECT line FROM transcript WHERE line LIKE 'RCPT TO%' ORDER BY session_id");
	CHECK_STR(q, "RCPT TO: <sec558@gmail.com>\nRCPT TO: <mistersecretx@aol.com>\n");
	Q("SELECT frames FROM transcript WHERE line = 'EHLO annlaptop' ORDER BY session_id");
	CHECK_STR(q, "57\n117\n");
	free(q);
	mfix_close(&m);
}

int
main(void)
{
	RUN(auth_login_and_message);
	RUN(auth_variants);
	RUN(pipelining_rcpt_replies_and_two_messages);
	RUN(bdat_chunks);
	RUN(starttls_rest_encrypted);
	RUN(garbage_never_crashes);
	RUN(gap_inside_message);
	if (check_corpus())
		RUN(evidence02);
	else
		SKIP(evidence02, "no corpus");
	return check_done();
}
