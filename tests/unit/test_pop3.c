/* Tests of the POP3 session parser (src/mail/pop3.c) on written captures. */
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
	mfix_pcap(p, "10.1.1.2", 50000, "10.1.1.1", 110, st, n, NULL);
	mfix_run(m, p);
	return true;
}

TEST(user_pass_retr_top)
{
	static const struct mstep st[] = {
		{ S, "+OK mail.example.net POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n", 0 },
		{ C, "CAPA\r\n", 0 },
		{ S, "+OK\r\nUSER\r\nTOP\r\nSTLS\r\n.\r\n", 0 },
		{ C, "USER alice\r\n", 0 },
		{ S, "+OK\r\n", 0 },
		{ C, "PASS wrong\r\n", 0 },
		{ S, "-ERR [AUTH] invalid\r\n", 0 },
		{ C, "USER alice\r\n", 0 },
		{ S, "+OK\r\n", 0 },
		{ C, "PASS s3cret\r\n", 0 },
		{ S, "+OK logged in\r\n", 0 },
		{ C, "RETR 1\r\n", 0 },
		{ S, "+OK 40 octets\r\nSubject: hi\r\n\r\n..stuffed\r\nend\r\n.\r\n", 0 },
		{ C, "TOP 1 0\r\n", 0 },
		{ S, "+OK\r\nSubject: hi\r\n\r\n.\r\n", 0 },
		{ C, "RETR 9\r\n", 0 },
		{ S, "-ERR no such message\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "+OK bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "user_pass", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT protocol, server_name, server_software, capabilities, messages FROM sessions");
	CHECK_STR(q, "pop3|mail.example.net|POP3 server ready <1896.697170952@dbc.mtview.ca.us>|"
	    "USER\nTOP\nSTLS|2\n");
	Q("SELECT mechanism, username, secret, secret_kind, verdict, reply, frames FROM credentials ORDER BY id");
	CHECK_STR(q, "USER/PASS|alice|wrong|password|rejected|-ERR [AUTH] invalid|7,9\n"
	    "USER/PASS|alice|s3cret|password|accepted|+OK logged in|11,13\n");
	Q("SELECT dir, frames, line FROM transcript WHERE line LIKE '[message%' ORDER BY seq");
	CHECK_STR(q, "S|16|[message 1: 30 bytes, frames 16]\n"
	    "S|18|[message 2: 15 bytes, frames 18; TOP: headers and the first lines only]\n");
	/* RETR gives the whole message (dot-unstuffed), TOP a partial one. */
	Q("SELECT source, partial, subject, replace(body_text, char(13), '') FROM messages ORDER BY id");
	CHECK_STR(q, "pop3|0|hi|.stuffed\nend\n\npop3|1|hi|\n");
	free(q);
	mfix_close(&m);
}

TEST(apop_auth_stls)
{
	static const struct mstep st[] = {
		{ S, "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n", 0 },
		{ C, "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n", 0 },
		{ S, "+OK maildrop has 1 message (369 octets)\r\n", 0 },
		{ C, "AUTH PLAIN\r\n", 0 },
		{ S, "+ \r\n", 0 },
		{ C, "AGJvYgBwdw==\r\n", 0 },            /* \0bob\0pw */
		{ S, "+OK\r\n", 0 },
		{ C, "STLS\r\n", 0 },
		{ S, "+OK Begin TLS\r\n", 0 },
		{ C, "\x16\x03\x01", 3 },
	};
	struct mfix m;
	char *q = NULL;

	CHECK(run(&m, "apop", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT mechanism, username, secret, secret_kind, crack_line, verdict, frames FROM credentials ORDER BY id");
	CHECK_STR(q, "APOP|mrose|c4c9334bac560ecc979e58001b3e22fb|apop digest|"
	    "c4c9334bac560ecc979e58001b3e22fb:<1896.697170952@dbc.mtview.ca.us>|accepted|5\n"
	    "PLAIN|bob|pw|password||accepted|9\n");
	Q("SELECT tls, tls_frame, server_name FROM sessions");
	CHECK_STR(q, "starttls|12|\n");
	free(q);
	mfix_close(&m);
}

/* LIST and UIDL listings are not capabilities; a listing the server never
 * ends with "." (Zeek's bad-list-retr-crafted.pcap does this) ends at the
 * next status line, which answers the next command. */
TEST(listing_without_dot)
{
	static const struct mstep st[] = {
		{ S, "+OK ready\r\n", 0 },
		{ C, "CAPA\r\n", 0 },
		{ S, "+OK\r\nUSER\r\nUIDL\r\n.\r\n", 0 },
		{ C, "UIDL\r\n", 0 },
		{ S, "+OK\r\n1 abc\r\n.\r\n", 0 },
		{ C, "LIST\r\n", 0 },
		{ S, "+OK 1 messages\r\n1 120\r\n", 0 },
		{ C, "RETR 1\r\n", 0 },
		{ S, "+OK message follows\r\nSubject: kept\r\n\r\nbody\r\n.\r\n", 0 },
		{ C, "QUIT\r\n", 0 },
		{ S, "+OK bye\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;
	size_t i, n = 0;

	CHECK(run(&m, "listing", st, sizeof(st) / sizeof(st[0])));
	Q("SELECT capabilities, messages FROM sessions");
	CHECK_STR(q, "USER\nUIDL|1\n");
	Q("SELECT subject, incomplete FROM messages");
	CHECK_STR(q, "kept|0\n");
	Q("SELECT dir, line FROM transcript ORDER BY seq");
	CHECK_STR(q, "S|+OK ready\nC|CAPA\nS|+OK\nS|USER\nS|UIDL\nS|.\nC|UIDL\nS|+OK\nS|1 abc\nS|.\n"
	    "C|LIST\nS|+OK 1 messages\nS|1 120\nC|RETR 1\nS|+OK message follows\n"
	    "S|[message 1: 23 bytes, frames 12]\nC|QUIT\nS|+OK bye\n");
	free(q);
	for (i = 0; i < plog_count(m.log); i++)
		n += strcmp(plog_get(m.log, i)->code, "pop3.unterminated") == 0;
	mfix_close(&m);
	CHECK_INT(n, 1);
}

/* A "+OK" that answers the client is no POP3 greeting (the server greets
 * first, RFC 1939 section 4): a Redis-like exchange on a port that is not a
 * mail port is not taken for mail. */
TEST(client_first_is_not_pop3)
{
	static const struct mstep st[] = {
		{ C, "AUTH secret\r\n", 0 },
		{ S, "+OK\r\n", 0 },
		{ C, "PING\r\n", 0 },
		{ S, "+PONG\r\n", 0 },
	};
	struct mfix m;
	char *q = NULL;

	char path[600];

	/* Not a mail port: only the content can say what this is. */
	CHECK(mfix_open(&m, "client_first"));
	snprintf(path, sizeof(path), "%s/in.pcap", m.base);
	mfix_pcap(path, "10.1.1.2", 50000, "10.1.1.1", 7110, st, sizeof(st) / sizeof(st[0]), NULL);
	mfix_run(&m, path);
	Q("SELECT count(*) FROM sessions");
	CHECK_STR(q, "0\n");
	Q("SELECT app FROM flows");
	CHECK_STR(q, "\n");
	free(q);
	mfix_close(&m);
}

int
main(void)
{
	RUN(user_pass_retr_top);
	RUN(apop_auth_stls);
	RUN(listing_without_dot);
	RUN(client_first_is_not_pop3);
	return check_done();
}
