/* Tests of the IMAP session parser (src/mail/imap.c) on written captures. */
#include "check.h"
#include "mail_fixture.h"

#define C 0
#define S 1

#define Q(sql) (free(q), q = mfix_q(&m, sql))

static bool
run(struct mfix *m, const char *name, const struct mstep *st, size_t n)
{
	char p[600];

	if (!mfix_open(m, name))
		return false;
	snprintf(p, sizeof(p), "%s/in.pcap", m->base);
	mfix_pcap(p, "10.1.1.2", 50001, "10.1.1.1", 143, st, n, NULL);
	mfix_run(m, p);
	return true;
}

TEST(login_forms_and_fetch)
{
	static const struct mstep st[] = {
		{ S, "* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN] imap.example.com Dovecot ready.\r\n", 0 },
		{ C, "a1 LOGIN alice \"p\\\"w\\\\d\"\r\n", 0 },
		{ S, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n", 0 },
		{ C, "a2 LOGIN {5}\r\n", 0 },
		{ S, "+ OK\r\n", 0 },
		{ C, "alice {6+}\r\nsecret\r\n", 0 },
		{ S, "a2 OK [CAPABILITY IMAP4rev1 MOVE] Logged in\r\n", 0 },
		{ C, "a3 FETCH 1 (BODY.PEEK[])\r\n", 0 },
		{ S, "* 1 FETCH (BODY[] {18}\r\nSubject: x\r\n\r\nhi\r\n)\r\na3 OK Fetch completed.\r\n", 0 },
		{ C, "a4 FETCH 1 BODY[]<0.5>\r\n", 0 },
		{ S, "* 1 FETCH (BODY[]<0> {5}\r\nSubje)\r\na4 OK done\r\n", 0 },
		{ C, "a5 APPEND INBOX (\\Seen) {12+}\r\nSubject: y\r\n\r\n", 0 },
		{ S, "a5 OK appended\r\n", 0 },
		{ C, "a6 LOGOUT\r\n", 0 },
		{ S, "* BYE\r\na6 OK\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "login", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT mechanism, username, secret, verdict, reply, frames FROM credentials ORDER BY id");
	CHECK_STR(q, "LOGIN command|alice|p\"w\\d|rejected|NO [AUTHENTICATIONFAILED] Authentication failed.|5\n"
	    "LOGIN command|alice|secret|accepted|OK [CAPABILITY IMAP4rev1 MOVE] Logged in|7, 9\n");
	Q("SELECT server_name, capabilities, messages FROM sessions");
	CHECK_STR(q, "imap.example.com|IMAP4rev1\nMOVE|3\n");
	Q("SELECT dir, line FROM transcript WHERE line LIKE '[message%' ORDER BY seq");
	CHECK_STR(q, "S|[message 1: 18 bytes, frames 12; FETCH BODY[]]\n"
	    "S|[message 2: 5 bytes, frames 14; FETCH BODY[]<0>]\n"
	    "C|[message 3: 12 bytes, frames 15; APPEND]\n");
	Q("SELECT source, partial FROM messages ORDER BY id");
	CHECK_STR(q, "imap|0\nimap|1\nimap|0\n");
	free(q);
	mfix_close(&m);
}

TEST(authenticate_and_starttls)
{
	static const struct mstep st[] = {
		{ S, "* OK IMAP ready\r\n", 0 },
		{ C, "b1 AUTHENTICATE PLAIN\r\n", 0 },
		{ S, "+ \r\n", 0 },
		{ C, "AGJvYgBwdw==\r\n", 0 },
		{ S, "b1 OK done\r\n", 0 },
		{ C, "b2 AUTHENTICATE PLAIN AGNhcm9sAHB3Mg==\r\n", 0 },   /* SASL-IR: \0carol\0pw2 */
		{ S, "b2 NO bad\r\n", 0 },
		{ C, "b3 STARTTLS\r\n", 0 },
		{ S, "b3 OK Begin TLS negotiation now\r\n", 0 },
		{ C, "\x16\x03\x01", 3 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "authenticate", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT mechanism, username, secret, verdict, frames FROM credentials ORDER BY id");
	CHECK_STR(q, "PLAIN|bob|pw|accepted|7\nPLAIN|carol|pw2|rejected|9\n");
	Q("SELECT tls, tls_frame FROM sessions");
	CHECK_STR(q, "starttls|12\n");
	free(q);
	mfix_close(&m);
}

/* AUTHENTICATE LOGIN (two challenges), CRAM-MD5 (the RFC 2195 example,
 * with its crack line) rejected by NO, and XOAUTH2 with an initial
 * response (RFC 4959). The verdict is the tagged reply, kept without its tag. */
TEST(authenticate_login_cram_xoauth2)
{
	static const struct mstep st[] = {
		{ S, "* OK [CAPABILITY IMAP4rev1 AUTH=LOGIN AUTH=CRAM-MD5 AUTH=XOAUTH2 SASL-IR] ready\r\n", 0 },
		{ C, "c1 AUTHENTICATE LOGIN\r\n", 0 },
		{ S, "+ VXNlcm5hbWU6\r\n", 0 },
		{ C, "ZGF2ZQ==\r\n", 0 },                                   /* dave */
		{ S, "+ UGFzc3dvcmQ6\r\n", 0 },
		{ C, "aHVudGVyMg==\r\n", 0 },                               /* hunter2 */
		{ S, "c1 OK [CAPABILITY IMAP4rev1] logged in\r\n", 0 },
		{ C, "c2 AUTHENTICATE CRAM-MD5\r\n", 0 },
		{ S, "+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n", 0 },
		{ C, "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw\r\n", 0 },
		{ S, "c2 NO [AUTHENTICATIONFAILED] nope\r\n", 0 },
		{ C, "c3 AUTHENTICATE XOAUTH2 dXNlcj1lcmluQGV4YW1wbGUuY29tAWF1dGg9QmVhcmVyIHRvazEyMwEB\r\n", 0 },
		{ S, "c3 OK Success\r\n", 0 },
		{ C, "c4 LOGOUT\r\n", 0 },
		{ S, "* BYE\r\nc4 OK bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "authenticate_more", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT mechanism, username, secret, secret_kind, crack_line, verdict, reply, frames"
	  " FROM credentials ORDER BY id");
	CHECK_STR(q,
	    "LOGIN|dave|hunter2|password||accepted|OK [CAPABILITY IMAP4rev1] logged in|7, 9\n"
	    "CRAM-MD5|tim|b913a602c7eda7a495b4e6e7334d3890|cram-md5 digest|"
	    "$cram_md5$PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+$"
	    "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw|rejected|NO [AUTHENTICATIONFAILED] nope|13\n"
	    "XOAUTH2|erin@example.com|tok123|oauth token||accepted|OK Success|15\n");
	free(q);
	mfix_close(&m);
}

/* A literal past its ceiling is cut with a processing-log entry, never in
 * silence: a FETCH body over a 16-byte message ceiling keeps its first
 * bytes, is marked incomplete and is logged (mail.literal_capped). */
TEST(literal_over_ceiling_logged)
{
	static const struct mstep st[] = {
		{ S, "* OK IMAP4rev1 ready\r\n", 0 },
		{ C, "a1 FETCH 1 (BODY[])\r\n", 0 },
		{ S, "* 1 FETCH (BODY[] {40}\r\nSubject: a long one\r\n\r\nbody text..\r\n)\r\na1 OK done\r\n", 0 },
		{ C, "a2 LOGOUT\r\n", 0 },
		{ S, "* BYE\r\na2 OK\r\n", 0 },
	};
	struct mfix m;
	char p[600], *q = NULL;
	bool logged = false;

	CHECK(mfix_open(&m, "capped"));
	m.lim.message_bytes = 16;
	snprintf(p, sizeof(p), "%s/in.pcap", m.base);
	mfix_pcap(p, "10.1.1.2", 50001, "10.1.1.1", 143, st, sizeof(st) / sizeof(st[0]), NULL);
	mfix_run(&m, p);
	for (size_t i = 0; i < plog_count(m.log); i++)
		if (strcmp(plog_get(m.log, i)->code, "mail.literal_capped") == 0 &&
		    strstr(plog_get(m.log, i)->message, "counted data of 40 bytes") != NULL)
			logged = true;
	Q("SELECT code FROM log WHERE code = 'mail.literal_capped'");
	CHECK(logged || (q != NULL && strstr(q, "mail.literal_capped") != NULL));
	Q("SELECT incomplete, size FROM messages");
	CHECK_STR(q, "1|16\n");
	free(q);
	mfix_close(&m);
}

int
main(void)
{
	RUN(login_forms_and_fetch);
	RUN(literal_over_ceiling_logged);
	RUN(authenticate_and_starttls);
	RUN(authenticate_login_cram_xoauth2);
	return check_done();
}
