/* Compares mailcase with Zeek on Zeek's POP3 and IMAP test captures (corpus
 * zeek/, see zeek/MAPPING.md). Zeek has no pop3.log or imap.log: its
 * baselines print the analyzer's events (pop3_request, pop3_reply) or the
 * IMAP capabilities. mailcase must find every command and reply Zeek
 * prints, in the same order, and says more: the credentials, whether the
 * server took them, and the messages retrieved. The exact values below were
 * read from the captures.
 *
 * Where the two disagree:
 * - pop3-unknown-commands.pcap: the answer to STAT is junk ended by bare CRs
 *   ("+\r\r..\r\r..x\r"). Zeek splits lines at CR as well and reports five
 *   unknown server commands; mailcase ends lines at LF only (RFC 1939 3:
 *   lines end with CRLF) and logs three lines that are no POP3 reply, the
 *   CRs kept in the transcript as \x0D. Both then pair "+OK 1 236" with STAT.
 * - bad-list-retr-crafted.pcap: the LIST listing never ends with ".". Zeek
 *   reports "GARBAGE" and gives up on the connection, so the message the
 *   server then sends for RETR 1 is lost; mailcase ends the listing at the
 *   next status line (logged as pop3.unterminated) and keeps the message.
 * - redis-50-pings.pcap is Redis, not POP3. Zeek's test forces its POP3
 *   analyzer onto it; mailcase does not take it for mail, since its client
 *   speaks first and a POP3 server greets before the client says anything
 *   (RFC 1939 section 4): the "+OK" is Redis answering AUTH. */
#include "check.h"
#include "mail_fixture.h"

#include <strings.h>

#define TR "zeek/testing/btest/Traces/"
#define BL "zeek/testing/btest/Baseline/"

static bool
run_trace(struct mfix *m, const char *trace, const char *name)
{
	char tp[700];

	snprintf(tp, sizeof(tp), "%s/%s", check_corpus(), trace);
	if (!mfix_open(m, name))
		return false;
	mfix_run(m, tp);
	return true;
}

static size_t
log_count(struct mfix *m, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < plog_count(m->log); i++)
		n += strcmp(plog_get(m->log, i)->code, code) == 0;
	return n;
}

/* One POP3 event Zeek printed: a request (command and argument) or a reply
 * (OK or ERR, and the text after it). */
struct zev {
	char uid[32];
	bool request;
	char cmd[64], arg[512];
};

static char *
trim_dup(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return xstrndup(p, n);
}

/* Splits a line at ", " into at most max fields, the last one keeping any
 * further ", " (a reply text may hold a comma). */
static size_t
fields(const char *line, char **out, size_t max)
{
	size_t n = 0;
	const char *p = line, *c;

	while (n + 1 < max && (c = strstr(p, ", ")) != NULL) {
		out[n++] = trim_dup(p, (size_t)(c - p));
		p = c + 2;
	}
	out[n++] = trim_dup(p, strlen(p));
	return n;
}

/* Reads the events of a baseline in either of the forms Zeek's tests print:
 * "uid, pop3_request, T, CMD, arg" (pop3/basic.zeek) or
 * "request, uid, CMD, arg" (core/max-analyzer-violations.zeek). */
static size_t
zeek_events(const char *path, struct zev *ev, size_t max)
{
	char *text = check_slurp(path, NULL), *line, *save = NULL;
	size_t n = 0, i, k;

	if (text == NULL)
		return 0;
	for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char *f[5] = { 0 };
		struct zev *e = &ev[n];
		if (line[0] == '#')
			continue;
		k = fields(line, f, 5);
		memset(e, 0, sizeof(*e));
		if (k == 5 && (strcmp(f[1], "pop3_request") == 0 || strcmp(f[1], "pop3_reply") == 0)) {
			snprintf(e->uid, sizeof(e->uid), "%s", f[0]);
			e->request = strcmp(f[1], "pop3_request") == 0;
			snprintf(e->cmd, sizeof(e->cmd), "%s", f[3]);
			snprintf(e->arg, sizeof(e->arg), "%s", f[4]);
			n++;
		} else if (k >= 3 && (strcmp(f[0], "request") == 0 || strcmp(f[0], "reply") == 0)) {
			snprintf(e->uid, sizeof(e->uid), "%s", f[1]);
			e->request = strcmp(f[0], "request") == 0;
			snprintf(e->cmd, sizeof(e->cmd), "%s", f[2]);
			snprintf(e->arg, sizeof(e->arg), "%s", k > 3 ? f[3] : "");
			n++;
		}
		for (i = 0; i < k; i++)
			free(f[i]);
	}
	free(text);
	return n;
}

/* Does the transcript line match Zeek's event? A request is "CMD arg"; a
 * reply is "+OK text" or "-ERR text" (an empty text matches any). */
static bool
event_matches(const struct zev *e, const char *dir, const char *line)
{
	char want[700];

	if (e->request) {
		if (strcmp(dir, "C") != 0)
			return false;
		snprintf(want, sizeof(want), "%s%s%s", e->cmd, e->arg[0] ? " " : "", e->arg);
		return strcasecmp(line, want) == 0;
	}
	if (strcmp(dir, "S") != 0)
		return false;
	snprintf(want, sizeof(want), "%s", strcmp(e->cmd, "OK") == 0 ? "+OK" : "-ERR");
	if (strncmp(line, want, strlen(want)) != 0)
		return false;
	if (e->arg[0] == 0)
		return true;
	snprintf(want + strlen(want), sizeof(want) - strlen(want), " %s", e->arg);
	return strcmp(line, want) == 0;
}

/* The next event from i on of connection uid that is a request (or reply). */
static size_t
next_event(const struct zev *ev, size_t nev, size_t i, const char *uid, bool request)
{
	while (i < nev && (strcmp(ev[i].uid, uid) != 0 || ev[i].request != request))
		i++;
	return i;
}

/* Zeek's events of each connection must be found in one of mailcase's
 * sessions, its requests in order among the client's lines and its replies
 * in order among the server's (Zeek prints a reply after its request;
 * mailcase's transcript is in capture order, where a pipelining client
 * sends QUIT before the answer to CAPA comes). Each session answers one
 * connection. Returns the number of events not found; *checked counts them. */
static int
events_in_sessions(struct mfix *m, const struct zev *ev, size_t nev, int *checked)
{
	char *ids = mfix_q(m, "SELECT id FROM sessions ORDER BY first_us, id"), *p, *save = NULL;
	long long sid[64];
	bool used[64] = { false };
	size_t ns = 0, i, j, s, jq, jr;
	int missing = 0;

	for (p = strtok_r(ids, "\n", &save); p && ns < 64; p = strtok_r(NULL, "\n", &save))
		sid[ns++] = atoll(p);
	free(ids);
	for (i = 0; i < nev; i++) {
		size_t first = i, cnt = 0, best_found = 0, best = ns;
		bool seen = false;
		for (j = 0; j < first; j++)
			seen |= strcmp(ev[j].uid, ev[i].uid) == 0;
		if (seen)
			continue;
		for (j = i; j < nev; j++)
			cnt += strcmp(ev[j].uid, ev[i].uid) == 0;
		for (s = 0; s < ns; s++) {
			char sql[200], *t, *line, *ls = NULL;
			size_t found = 0;
			if (used[s])
				continue;
			snprintf(sql, sizeof(sql), "SELECT dir, line FROM transcript WHERE session_id = %lld"
			    " ORDER BY seq", sid[s]);
			t = mfix_q(m, sql);
			jq = next_event(ev, nev, i, ev[i].uid, true);
			jr = next_event(ev, nev, i, ev[i].uid, false);
			for (line = strtok_r(t, "\n", &ls); line; line = strtok_r(NULL, "\n", &ls)) {
				char *bar = strchr(line, '|');
				if (bar == NULL)
					continue;
				*bar = 0;
				if (jq < nev && event_matches(&ev[jq], line, bar + 1)) {
					found++;
					jq = next_event(ev, nev, jq + 1, ev[i].uid, true);
				} else if (jr < nev && event_matches(&ev[jr], line, bar + 1)) {
					found++;
					jr = next_event(ev, nev, jr + 1, ev[i].uid, false);
				}
			}
			free(t);
			if (found > best_found || best == ns) {
				best_found = found;
				best = s;
			}
		}
		if (best < ns)
			used[best] = true;
		*checked += (int)cnt;
		missing += (int)(cnt - best_found);
		if (best_found < cnt)
			fprintf(stderr, "zeek: connection %s: %zu of %zu events found in order\n",
			    ev[i].uid, best_found, cnt);
	}
	return missing;
}

static int total_checked, total_missing;

static void
note_trace(const char *trace, int checked, int missing)
{
	fprintf(stderr, "zeek: %s: %d events checked, %d missing\n", trace, checked, missing);
	total_checked += checked;
	total_missing += missing;
}

/* pop3.pcap (pop3/basic.zeek): five sessions to one server; three PLAIN
 * logins, three messages retrieved in the last. */
TEST(zeek_pop3_basic)
{
	static struct zev ev[256];
	char p[700], *q = NULL;
	size_t n;
	int checked = 0, missing;
	struct mfix m;

	snprintf(p, sizeof(p), "%s/" BL "scripts.base.protocols.pop3.basic/out", check_corpus());
	n = zeek_events(p, ev, 256);
	CHECK_INT(n, 47);
	CHECK(run_trace(&m, TR "pop3/pop3.pcap", "pop3"));
	missing = events_in_sessions(&m, ev, n, &checked);
	note_trace("pop3/pop3.pcap", checked, missing);
	CHECK_INT(missing, 0);
	q = mfix_q(&m, "SELECT count(*), count(DISTINCT capabilities), min(capabilities), sum(messages)"
	    " FROM sessions WHERE protocol = 'pop3'");
	CHECK_STR(q, "5|1|TOP\nUSER\nUIDL\nSTLS\nSASL PLAIN\nIMPLEMENTATION trinity|3\n");
	free(q);
	q = mfix_q(&m, "SELECT mechanism, username, secret, verdict, reply, frames FROM credentials ORDER BY id");
	CHECK_STR(q,
	    "PLAIN|digitalinvestigator@networksims.com|napier|rejected|-ERR authentication failed|37\n"
	    "PLAIN|digitalinvestigator@networksims.com|napier123|accepted|+OK mailbox "
	    "\"digitalinvestigator@networksims.com\" has 3 messages (19191 octets) H mimap13|66\n"
	    "PLAIN|digitalinvestigator@networksims.com|napier123|accepted|+OK mailbox "
	    "\"digitalinvestigator@networksims.com\" has 3 messages (19191 octets) H mimap15|85\n");
	free(q);
	q = mfix_q(&m, "SELECT source, message_id, subject, from_addr, size, incomplete FROM messages ORDER BY id");
	CHECK_STR(q,
	    "pop3|<0M251y-1W5Nip0Pgx-00tHOr@mbulk.1and1.com>|A message from 1&1 Internet|support@1and1.co.uk|5565|0\n"
	    "pop3|<BF8FAC832FD171479CA19CA1FEA2254216D203E1@MER-EXCH1.napier.ac.uk>|Testing|B.Buchanan@napier.ac.uk|8412|0\n"
	    "pop3|<BF8FAC832FD171479CA19CA1FEA2254216D203F0@MER-EXCH1.napier.ac.uk>|RE: Testing|B.Buchanan@napier.ac.uk|5214|0\n");
	free(q);
	mfix_close(&m);
}

/* pop3-unknown-commands.pcap (core/max-analyzer-violations.zeek). */
TEST(zeek_pop3_unknown_commands)
{
	static struct zev ev[64];
	char p[700], *q = NULL;
	size_t n;
	int checked = 0, missing;
	struct mfix m;

	snprintf(p, sizeof(p), "%s/" BL "core.max-analyzer-violations/output", check_corpus());
	n = zeek_events(p, ev, 64);
	CHECK_INT(n, 9);
	CHECK(run_trace(&m, TR "pop3-unknown-commands.pcap", "unknown"));
	missing = events_in_sessions(&m, ev, n, &checked);
	note_trace("pop3-unknown-commands.pcap", checked, missing);
	CHECK_INT(missing, 0);
	q = mfix_q(&m, "SELECT mechanism, username, secret, verdict, reply, frames FROM credentials");
	CHECK_STR(q, "USER/PASS|zeek@zeek.org|zeek|accepted|+OK mailbox locked and ready|6,10\n");
	free(q);
	q = mfix_q(&m, "SELECT line FROM transcript WHERE seq BETWEEN 7 AND 10 ORDER BY seq");
	CHECK_STR(q, "+\\x0D\\x0D..\\x0D\\x0D..x\\x0D\n.\\x0D\\x0D\t\t'\nx\n+OK 1 236\n");
	free(q);
	CHECK_INT(log_count(&m, "pop3.bad_reply"), 3);
	mfix_close(&m);
}

/* bad-list-retr-crafted.pcap (pop3/bad-list-retr-crafted.zeek): Zeek's
 * weird.log names the GARBAGE line; mailcase also keeps the message. */
TEST(zeek_pop3_bad_list)
{
	char *q = NULL;
	struct mfix m;

	CHECK(run_trace(&m, TR "pop3/bad-list-retr-crafted.pcap", "badlist"));
	q = mfix_q(&m, "SELECT greeting, server_name, capabilities, messages FROM sessions");
	CHECK_STR(q, "example.com POP3-Server|example.com||1\n");
	free(q);
	q = mfix_q(&m, "SELECT dir, line FROM transcript WHERE seq BETWEEN 2 AND 9 ORDER BY seq");
	CHECK_STR(q, "C|LIST\nS|GARBAGE (and LIST response missing .)\nS|+OK 2 messages (320 octets)\n"
	    "S|1 120\nS|2 200\nC|RETR 1\nS|+OK message follows\n"
	    "S|[message 1: 109 bytes, frames 19,21,23,25,27,29,31]\n");
	free(q);
	q = mfix_q(&m, "SELECT m.subject, m.from_addr, a.addr, rtrim(m.body_text, char(13, 10)),"
	    " m.incomplete FROM messages m"
	    " JOIN addresses a ON a.message_id = m.id AND a.role = 'to'");
	CHECK_STR(q, "Crafted email|zeek@zeek.org|zeek@zeek.org|The body of the email.|0\n");
	free(q);
	CHECK_INT(log_count(&m, "pop3.bad_reply"), 1);
	CHECK_INT(log_count(&m, "pop3.unterminated"), 1);
	mfix_close(&m);
}

/* redis-50-pings.pcap (pop3/redis.zeek): Zeek, forced, prints three "+OK"
 * replies as POP3 before it gives up; mailcase lists the flow and finds no
 * mail session in it (see the top of this file). */
TEST(zeek_pop3_redis)
{
	static struct zev ev[16];
	char p[700], *q = NULL;
	struct mfix m;

	snprintf(p, sizeof(p), "%s/" BL "scripts.base.protocols.pop3.redis/out", check_corpus());
	CHECK_INT(zeek_events(p, ev, 16), 3);
	CHECK(run_trace(&m, TR "pop3/redis-50-pings.pcap", "redis"));
	q = mfix_q(&m, "SELECT count(*) FROM sessions");
	CHECK_STR(q, "0\n");
	free(q);
	q = mfix_q(&m, "SELECT cli_port, srv_port, app FROM flows");
	CHECK_STR(q, "59954|6379|\n");
	free(q);
	mfix_close(&m);
}

/* pop3-starttls.pcap (pop3/starttls.zeek): Zeek's conn.log says
 * "pop3,ssl"; mailcase says where the encryption starts. */
TEST(zeek_pop3_starttls)
{
	char *q = NULL;
	struct mfix m;

	CHECK(run_trace(&m, TR "tls/pop3-starttls.pcap", "pop3tls"));
	q = mfix_q(&m, "SELECT protocol, server_name, tls, tls_frame FROM sessions");
	CHECK_STR(q, "pop3|ladymacbeth.local|starttls|9\n");
	free(q);
	q = mfix_q(&m, "SELECT dir, line FROM transcript WHERE seq <= 3 ORDER BY seq");
	CHECK_STR(q, "S|+OK ladymacbeth.local Cyrus POP3 v2.3.16 server ready "
	    "<15125655727712503824.1400173552@ladymacbeth.local>\nC|STLS\nS|+OK Begin TLS negotiation now\n");
	free(q);
	mfix_close(&m);
}

/* imap-starttls.pcap (imap/capabilities.test, imap/starttls.test): the
 * capabilities Zeek prints, and the STARTTLS it reports. */
TEST(zeek_imap_starttls)
{
	char p[700], *want, *b, *e, *q = NULL;
	struct buf w;
	struct mfix m;

	snprintf(p, sizeof(p), "%s/" BL "scripts.base.protocols.imap.capabilities/.stdout", check_corpus());
	want = check_slurp(p, NULL);
	CHECK(want != NULL);
	b = strchr(want, '[');
	e = b ? strchr(b, ']') : NULL;
	CHECK(b != NULL && e != NULL);
	*e = 0;
	buf_init(&w, 1 << 16);
	for (b = strtok(b + 1, ", "); b; b = strtok(NULL, ", "))
		CHECK(buf_adds(&w, w.len ? "\n" : "") && buf_adds(&w, b));
	free(want);
	CHECK(run_trace(&m, TR "tls/imap-starttls.pcap", "imap"));
	q = mfix_q(&m, "SELECT capabilities FROM sessions");
	CHECK(buf_addc(&w, '\n'));
	CHECK_STR(q, buf_str(&w));
	buf_free(&w);
	free(q);
	q = mfix_q(&m, "SELECT protocol, tls, tls_frame FROM sessions");
	CHECK_STR(q, "imap|starttls|11\n");
	free(q);
	q = mfix_q(&m, "SELECT dir, line FROM transcript WHERE seq IN (2, 4, 5, 6) ORDER BY seq");
	CHECK_STR(q, "C|. CAPABILITY\nS|. OK CAPABILITY completed\nC|. STARTTLS\nS|. OK Begin TLS negotiation now\n");
	free(q);
	mfix_close(&m);
}

int
main(void)
{
	if (check_corpus() == NULL) {
		SKIP(zeek_pop3_basic, "no corpus");
		SKIP(zeek_pop3_unknown_commands, "no corpus");
		SKIP(zeek_pop3_bad_list, "no corpus");
		SKIP(zeek_pop3_redis, "no corpus");
		SKIP(zeek_pop3_starttls, "no corpus");
		SKIP(zeek_imap_starttls, "no corpus");
		return check_done();
	}
	RUN(zeek_pop3_basic);
	RUN(zeek_pop3_unknown_commands);
	RUN(zeek_pop3_bad_list);
	RUN(zeek_pop3_redis);
	RUN(zeek_pop3_starttls);
	RUN(zeek_imap_starttls);
	fprintf(stderr, "zeek: POP3 %d events checked, %d missing\n", total_checked, total_missing);
	return check_done();
}
