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
	    "LOGIN command|alice|secret|accepted|OK [CAPABILITY IMAP4rev1 MOVE] Logged in|7,9\n");
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
	    "LOGIN|dave|hunter2|password||accepted|OK [CAPABILITY IMAP4rev1] logged in|7,9\n"
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

/* A capture that ends right after a FETCH literal, no line after it (found
 * by fuzz_imap: the literal was read, then neither parsed nor freed, so the
 * message was lost and its buffer leaked): the literal is the message. */
TEST(flow_ends_after_literal)
{
	static const struct mstep st[] = {
		{ S, "* OK IMAP4rev1 ready\r\n", 0 },
		{ C, "a1 UID FETCH 7 (UID BODY[])\r\n", 0 },
		{ S, "* 1 FETCH (UID 7 BODY[] {18}\r\nSubject: x\r\n\r\nhi\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "endlit", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT source, size, partial, incomplete, raw_sha256 FROM messages");
	CHECK_STR(q, "imap|18|0|0|"
	    "16d0aafc65f80ffca30071595ed78b10f6f18d7390599c35ec9ae3f00dd28122\n");
	Q("SELECT dir, line FROM transcript WHERE seq > 2 ORDER BY seq");
	CHECK_STR(q, "S|* 1 FETCH (UID 7 BODY[] {18}\nS|[message 1: 18 bytes, frames 6; FETCH BODY[]]\n");
	free(q);
	mfix_close(&m);
}

/* Every FETCH data item is recorded with its UID, sequence number,
 * mailbox (SELECT, modified UTF-7 decoded), FLAGS, INTERNALDATE and
 * RFC822.SIZE (RFC 9051 7.5.2). A header fetched alone is a partial
 * message and, when its text comes in a later response for the same UID,
 * the two are put together (Outlook and Apple Mail fetch them apart); a
 * header and text in one response are one message; a part fetched by
 * itself is a piece kept as bytes; ENVELOPE is listed; APPEND records its
 * mailbox, flags and date-time. */
TEST(fetch_items)
{
	static const struct mstep st[] = {
		{ S, "* OK IMAP4rev1 ready\r\n", 0 },
		{ C, "a1 SELECT \"&vPSwuA-\"\r\n", 0 },
		{ S, "* 3 EXISTS\r\na1 OK [READ-WRITE] done\r\n", 0 },
		{ C, "a2 UID FETCH 45 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER])\r\n", 0 },
		{ S, "* 1 FETCH (UID 45 FLAGS (\\Seen \\Answered) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\""
		     " RFC822.SIZE 41 BODY[HEADER] {34}\r\nSubject: hi\r\nFrom: a@b.example\r\n\r\n)\r\n"
		     "a2 OK done\r\n", 0 },
		{ C, "a3 UID FETCH 45 BODY.PEEK[TEXT]\r\n", 0 },
		{ S, "* 1 FETCH (UID 45 BODY[TEXT] {7}\r\nhello\r\n)\r\na3 OK done\r\n", 0 },
		{ C, "a4 FETCH 2 (BODY[HEADER] BODY[TEXT] UID)\r\n", 0 },
		{ S, "* 2 FETCH (BODY[HEADER] {16}\r\nSubject: two\r\n\r\n BODY[TEXT] {13}\r\nsecond body\r\n"
		     " UID 46)\r\na4 OK done\r\n", 0 },
		{ C, "a5 FETCH 3 (UID ENVELOPE BODY[1] BODY[HEADER.FIELDS (SUBJECT)] BINARY[2]<0>)\r\n", 0 },
		{ S, "* 3 FETCH (UID 47 ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" \"three\" NIL NIL NIL"
		     " NIL NIL NIL NIL \"<3@x>\") BODY[1] {5}\r\nabcde BODY[HEADER.FIELDS (SUBJECT)] {14}\r\n"
		     "Subject: x\r\n\r\n BINARY[2]<0> {3}\r\nxyz)\r\na5 OK done\r\n", 0 },
		{ C, "a6 APPEND Sent (\\Seen) \" 5-Jan-2024 10:00:00 +0900\" {23+}\r\n"
		     "Subject: sent\r\n\r\nmine\r\n\r\n", 0 },
		{ S, "a6 OK appended\r\n", 0 },
		{ C, "a7 LOGOUT\r\n", 0 },
		{ S, "* BYE\r\na7 OK\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "fetch_items", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT dir, mailbox, mailbox_utf8, seq, uid, item, section, origin, flags, internaldate,"
	  " internaldate_us, rfc822_size, size, use, message_id FROM imap_items ORDER BY id");
	CHECK_STR(q,
	    "S|&vPSwuA-|보낸|1|45|BODY[HEADER]|header||\\Seen \\Answered|17-Jul-1996 02:44:25 -0700|"
	    "837596665000000|41|34|headers-only|1\n"
	    "S|&vPSwuA-|보낸|1|45|BODY[TEXT]|text||||||7|assembled|2\n"
	    "S|&vPSwuA-|보낸|2|46|BODY[HEADER]|header||||||16|assembled|3\n"
	    "S|&vPSwuA-|보낸|2|46|BODY[TEXT]|text||||||13|assembled|3\n"
	    "S|&vPSwuA-|보낸|3|47|BODY[1]|part||||||5|piece|\n"
	    "S|&vPSwuA-|보낸|3|47|BODY[HEADER.FIELDS (SUBJECT)]|header-fields||||||14|headers-only|4\n"
	    "S|&vPSwuA-|보낸|3|47|BINARY[2]<0>|part|0|||||3|piece|\n"
	    "S|&vPSwuA-|보낸|3|47|ENVELOPE|envelope||||||78|listed|\n"
	    "C|Sent||||APPEND|message||\\Seen| 5-Jan-2024 10:00:00 +0900|1704416400000000||23|message|5\n");
	Q("SELECT id, partial, subject, size FROM messages ORDER BY id");
	CHECK_STR(q, "1|1|hi|34\n2|0|hi|41\n3|0|two|29\n4|1|x|14\n5|0|sent|23\n");
	Q("SELECT hex(body_text) FROM messages WHERE id = 2");
	CHECK_STR(q, "68656C6C6F0D0A\n");     /* "hello" CR LF: the text of UID 45 */
	/* pieces are extracted and hashed: BODY[1] is "abcde" */
	Q("SELECT r.role, r.declared_name, a.md5 FROM artifact_refs r JOIN artifacts a USING (sha256)"
	  " WHERE r.parent_kind = 'session' ORDER BY r.id");
	CHECK_STR(q, "imap-piece|BODY[1]|ab56b4d92b40713acc5af89985d4b786\n"
	    "imap-piece|BINARY[2]<0>|d16fb36f0911f878998c136191af705e\n"
	    "imap-envelope|ENVELOPE|7398d58b1c4fbf9fee2c702c4ae1e9cd\n");
	Q("SELECT line FROM transcript WHERE line LIKE '[%' ORDER BY seq");
	CHECK_STR(q, "[message 1: 34 bytes, frames 8; FETCH BODY[HEADER]; headers only]\n"
	    "[message 2: 41 bytes, frames 10; FETCH BODY[TEXT]; header and text put together]\n"
	    "[message 3: 29 bytes, frames 12; FETCH BODY[HEADER]; header and text put together]\n"
	    "[message 3: 29 bytes, frames 12; FETCH BODY[TEXT]; header and text put together]\n"
	    "[BODY[1] of UID 47: 5 bytes, frames 14]\n"
	    "[message 4: 14 bytes, frames 14; FETCH BODY[HEADER.FIELDS (SUBJECT)]; headers only]\n"
	    "[BINARY[2]<0> of UID 47: 3 bytes, frames 14]\n"
	    "[message 5: 23 bytes, frames 15; APPEND]\n");
	free(q);
	mfix_close(&m);
}

/* A synchronizing literal the server refuses (RFC 9051 7.5: the tagged NO
 * comes instead of "+") is never sent: the client's next bytes are its
 * next command, not 999,999 bytes of an APPEND that swallows the rest of
 * the session. */
TEST(refused_literal_not_swallowed)
{
	static const struct mstep st[] = {
		{ S, "* OK IMAP4rev1 ready\r\n", 0 },
		{ C, "a1 APPEND Sent {999999}\r\n", 0 },
		{ S, "* 3 EXISTS\r\na1 NO [TOOBIG] message too big\r\n", 0 },
		{ C, "a2 APPEND Sent {23+}\r\nSubject: sent\r\n\r\nmine\r\n\r\n", 0 },
		{ S, "a2 OK appended\r\n", 0 },
		{ C, "a3 LOGIN bob pw\r\n", 0 },
		{ S, "a3 OK done\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	int refused = 0;

	CHECK(run(&m, "refused_literal", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT subject, size, incomplete FROM messages");
	CHECK_STR(q, "sent|23|0\n");
	Q("SELECT username, verdict FROM credentials");
	CHECK_STR(q, "bob|accepted\n");
	for (size_t i = 0; i < plog_count(m.log); i++)
		if (strcmp(plog_get(m.log, i)->code, "mail.literal_refused") == 0)
			refused++;
	CHECK(refused == 1);
	free(q);
	mfix_close(&m);
}

int
main(void)
{
	RUN(refused_literal_not_swallowed);
	RUN(fetch_items);
	RUN(flow_ends_after_literal);
	RUN(login_forms_and_fetch);
	RUN(literal_over_ceiling_logged);
	RUN(authenticate_and_starttls);
	RUN(authenticate_login_cram_xoauth2);
	return check_done();
}
