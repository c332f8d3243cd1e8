/* Compares mailcase with Zeek on Zeek's own test captures (corpus zeek/,
 * see zeek/MAPPING.md). For every row of every expected smtp.log:
 *
 * - the session layer must have found the HELO, MAIL FROM and each RCPT TO;
 * - message analysis must have found each header value Zeek logs: from, to,
 *   cc, reply_to (addresses table, by role, address and display name),
 *   subject, msg_id, in_reply_to, date, user_agent, x_originating_ip
 *   (messages table), first_received and second_received (hops.raw) and
 *   every address of path (hop and observed IPs).
 *
 * Zeek's log is normalised before comparing: "-" (unset) and "(empty)" are
 * skipped, sets are split at ",", \xNN escapes are turned back into bytes,
 * an address "Name <a@b>" is split into a display name without its quotes
 * and an address compared without regard to case.
 *
 * Where the two disagree, mailcase is taken to be right, for these reasons:
 * - Zeek splits To and Cc at every comma, so a quoted display name holding
 *   a comma ("Doe, John" <j@x>) becomes two set members; the pieces of an
 *   unbalanced quote are joined again before comparing.
 * - Zeek logs header values as written; mailcase decodes RFC 2047 encoded
 *   words (RFC 2047 section 6: a reader is shown the decoded text). An
 *   encoded subject is compared with the raw header mailcase keeps, an
 *   encoded display name is not compared (the address still is).
 * - Zeek's to and cc are sets, logged in hash order; mailcase keeps the
 *   header's order (addresses.id), so values are compared as sets here.
 * - Zeek's path takes IPv4 addresses from Received headers only; mailcase
 *   also reads IPv6 ones ("[IPv6:2607:f8b0:4864:20::42f]" in
 *   smtp-bdat-pipeline-8bitmime.pcap), so it holds more than Zeek's path.
 * - Zeek logs a one-sided capture (smtp-one-side-only.pcap) with every
 *   RCPT TO; mailcase also keeps them all (no reply seen = not refused).
 * - connect-with-smtp.pcap: SMTP inside an HTTP CONNECT tunnel; session.c
 *   skips the proxy's request and "200" answer and reads the SMTP after it.
 * - mail-transactions-invalid: Zeek logs "-" for a missing MAIL FROM or
 *   RCPT TO; those are unset fields and not compared.
 * - smtp-many-addresses.pcap (no smtp.log; its test caps every set at 500
 *   and logs smtp_too_many_*_addresses weirds): Zeek keeps 500 of the 600
 *   RCPT TO, To and Cc addresses, mailcase keeps all 600 (zeek_address_limits).
 * These are counted as "explained" in the summary line of each trace. */
#include "check.h"
#include "mail_fixture.h"

#include <ctype.h>
#include <sqlite3.h>

struct zcase {
	char trace[512], log[512];
};

/* Pairs of (trace, smtp.log baseline) from MAPPING.md sections. */
static size_t
mapping(const char *corpus, struct zcase *out, size_t max)
{
	char path[600], *text, *p, *line, *save = NULL;
	char trace[512] = "";
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/zeek/MAPPING.md", corpus);
	text = check_slurp(path, NULL);
	if (text == NULL)
		return 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "## ", 3) == 0)
			trace[0] = 0;
		else if (strncmp(line, "- traces: `", 11) == 0) {
			char *e = strchr(line + 11, '`');
			if (e)
				snprintf(trace, sizeof(trace), "%.*s", (int)(e - line - 11), line + 11);
		} else if (strncmp(line, "- baselines: ", 13) == 0 && trace[0]) {
			for (p = line; (p = strstr(p, "`")) != NULL; ) {
				char *e = strchr(p + 1, '`');
				if (e == NULL)
					break;
				if (e - p > 9 && strncmp(e - 9, "/smtp.log", 9) == 0 && n < max) {
					snprintf(out[n].trace, sizeof(out[n].trace), "%s", trace);
					snprintf(out[n].log, sizeof(out[n].log), "%.*s", (int)(e - p - 1), p + 1);
					n++;
				}
				p = e + 1;
			}
		}
	}
	free(text);
	return n;
}

static int
field_index(const char *fields, const char *name)
{
	char *c = xstrdup(fields), *t, *save = NULL;
	int i = 0, hit = -1;

	for (t = strtok_r(c, "\t", &save); t; t = strtok_r(NULL, "\t", &save), i++)
		if (strcmp(t, name) == 0)
			hit = i - 1;    /* "#fields" is the first token */
	free(c);
	return hit;
}

static char *
field(const char *row, int idx)
{
	const char *p = row, *e;
	int i;

	for (i = 0; i < idx && p; i++) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (p == NULL)
		return xstrdup("-");
	e = strchr(p, '\t');
	return e ? xstrndup(p, (size_t)(e - p)) : xstrdup(p);
}


static int failures, checked;          /* HELO, MAIL FROM, RCPT TO */
static int h_failures, h_checked, h_explained;    /* header values */

static void
check_value(struct mfix *m, const char *trace, const char *what, const char *v, const char *sql)
{
	char *q = mfix_q(m, sql);
	char want[600];
	bool ok;

	if (strcmp(what, "helo") == 0)
		snprintf(want, sizeof(want), "%s\n", v);
	else
		snprintf(want, sizeof(want), "<%s>", v);
	ok = strstr(q, want) != NULL;
	checked++;
	if (!ok) {
		failures++;
		fprintf(stderr, "zeek: %s: %s %s not found\n", trace, what, v);
	}
	free(q);
}

/* Zeek's ASCII writer escapes bytes outside printable ASCII as \xNN. */
static char *
zeek_unescape(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
		    isxdigit((unsigned char)s[3])) {
			char hex[3] = { s[2], s[3], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = 0;
	return out;
}

/* Splits a Zeek set (or a header value holding several addresses) at ",",
 * joining again the pieces of a quoted display name Zeek cut at a comma.
 * Returns the count; parts[i] are xstrdup'ed. */
static size_t
zeek_split(const char *v, char **parts, size_t max)
{
	size_t n = 0, quotes = 0;
	struct buf b;
	const char *p;

	buf_init(&b, 1 << 20);
	for (p = v; ; p++) {
		if (*p == '"')
			quotes++;
		if (*p == 0 || (*p == ',' && quotes % 2 == 0)) {
			if (b.len && n < max)
				parts[n++] = xstrdup(buf_str(&b));
			buf_reset(&b);
			if (*p == 0)
				break;
			continue;
		}
		if (!buf_addc(&b, *p))
			break;      /* past 1 MiB: Zeek's own field ceiling is far lower */
	}
	buf_free(&b);
	return n;
}

static void
trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* "Name" <a@b>, Name <a@b>, <a@b> or a@b -> name (unquoted) and address. */
static void
split_address(const char *piece, char **name, char **addr)
{
	char *c = xstrdup(piece), *lt, *gt;

	trim(c);
	lt = strrchr(c, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt) {
		*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
		*lt = 0;
		trim(c);
		if (c[0] == '"' && strlen(c) >= 2 && c[strlen(c) - 1] == '"') {
			char *r = c, *w = c;
			for (r = c + 1; r < c + strlen(c) - 1; r++) {
				if (*r == '\\' && r[1] != 0)
					r++;
				*w++ = *r;
			}
			*w = 0;
		}
		*name = xstrdup(c);
	} else {
		*addr = xstrdup(c);
		*name = xstrdup("");
	}
	free(c);
}

static bool
sql_true(struct mfix *m, char *sql)
{
	char *q = mfix_q(m, sql);
	bool ok = strcmp(q, "0\n") != 0 && q[0] != 0;

	free(q);
	sqlite3_free(sql);
	return ok;
}

/* Is one Zeek value (one set member) held for message id? *explained is
 * set when it is compared in a weaker way for a reason the header comment
 * gives. */
static bool
header_found(struct mfix *m, long long id, const char *zfield, const char *v, bool *explained)
{
	static const struct { const char *zeek, *role; } roles[] = {
		{ "from", "from" }, { "to", "to" }, { "cc", "cc" }, { "reply_to", "reply-to" },
	};
	static const struct { const char *zeek, *col; } cols[] = {
		{ "subject", "subject" }, { "msg_id", "message_id" }, { "in_reply_to", "in_reply_to" },
		{ "date", "date_raw" }, { "user_agent", "x_mailer" },
	};
	size_t i;
	bool ok;

	*explained = false;
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char *name, *addr;
		if (strcmp(zfield, roles[i].zeek) != 0)
			continue;
		split_address(v, &name, &addr);
		if (strstr(name, "=?")) {
			*explained = true;      /* RFC 2047: mailcase holds it decoded */
			name[0] = 0;
		}
		ok = sql_true(m, sqlite3_mprintf("SELECT count(*) FROM addresses WHERE message_id = %lld"
		    " AND role = %Q AND lower(addr) = lower(%Q) AND (%Q = '' OR name = %Q)",
		    id, roles[i].role, addr, name, name));
		free(name);
		free(addr);
		return ok;
	}
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (strcmp(zfield, cols[i].zeek) != 0)
			continue;
		if (strcmp(zfield, "subject") == 0 && strstr(v, "=?")) {
			*explained = true;      /* RFC 2047: compare with the raw header */
			return sql_true(m, sqlite3_mprintf("SELECT count(*) FROM messages, json_each(headers) j"
			    " WHERE id = %lld AND lower(json_extract(j.value, '$[0]')) = 'subject'"
			    " AND json_extract(j.value, '$[1]') = %Q", id, v));
		}
		return sql_true(m, sqlite3_mprintf("SELECT count(*) FROM messages WHERE id = %lld AND %s = %Q",
		    id, cols[i].col, v));
	}
	if (strcmp(zfield, "x_originating_ip") == 0)
		return sql_true(m, sqlite3_mprintf("SELECT count(*) FROM messages WHERE id = %lld AND"
		    " trim(x_originating_ip, '[] ') = %Q", id, v));
	if (strcmp(zfield, "first_received") == 0 || strcmp(zfield, "second_received") == 0)
		return sql_true(m, sqlite3_mprintf("SELECT count(*) FROM hops WHERE message_id = %lld"
		    " AND raw = %Q", id, v));
	if (strcmp(zfield, "path") == 0)
		return sql_true(m, sqlite3_mprintf("SELECT count(*) FROM (SELECT from_ip ip FROM hops"
		    " WHERE message_id = %lld UNION SELECT by_ip FROM hops WHERE message_id = %lld"
		    " UNION SELECT obs_client_ip FROM messages WHERE id = %lld"
		    " UNION SELECT obs_server_ip FROM messages WHERE id = %lld) WHERE ip = %Q",
		    id, id, id, id, v));
	return false;
}

/* Zeek's fields that hold header values, and whether they are sets (or
 * address lists) to split at ",". */
static const struct { const char *name; bool split; } hfields[] = {
	{ "from", true }, { "to", true }, { "cc", true }, { "reply_to", true },
	{ "subject", false }, { "msg_id", false }, { "in_reply_to", false }, { "date", false },
	{ "user_agent", false }, { "x_originating_ip", false },
	{ "first_received", false }, { "second_received", false }, { "path", true },
};
#define NHF (sizeof(hfields) / sizeof(hfields[0]))
#define MAXV 64

struct zvals {
	const char *field[NHF * MAXV];
	char *v[NHF * MAXV];
	size_t n;
};

static void
zvals_free(struct zvals *z)
{
	size_t i;

	for (i = 0; i < z->n; i++)
		free(z->v[i]);
	z->n = 0;
}

/* Checks one smtp.log row's header values against the message that holds
 * most of them (Zeek's rows and mailcase's messages are both per message,
 * but are not numbered alike). */
static void
check_headers(struct mfix *m, const char *trace, const char *fields, const char *row,
    int *t_checked, int *t_missing, int *t_explained)
{
	struct zvals z = { .n = 0 };
	char *ids, *p, *save = NULL;
	long long best = -1;
	int best_hits = -1;
	size_t i, j;

	for (i = 0; i < NHF; i++) {
		int idx = field_index(fields, hfields[i].name);
		char *raw, *v;
		if (idx < 0)
			continue;
		raw = field(row, idx);
		if (strcmp(raw, "-") == 0 || strcmp(raw, "(empty)") == 0) {
			free(raw);
			continue;
		}
		v = zeek_unescape(raw);
		free(raw);
		if (hfields[i].split) {
			char *parts[MAXV];
			size_t n = zeek_split(v, parts, MAXV);
			for (j = 0; j < n; j++) {
				z.field[z.n] = hfields[i].name;
				z.v[z.n++] = parts[j];
			}
			free(v);
		} else {
			z.field[z.n] = hfields[i].name;
			z.v[z.n++] = v;
		}
	}
	/* path alone (a row with no message headers) names no message */
	for (i = 0; i < z.n && strcmp(z.field[i], "path") == 0; i++)
		;
	if (i == z.n) {
		zvals_free(&z);
		return;
	}
	ids = mfix_q(m, "SELECT id FROM messages WHERE parent_id IS NULL ORDER BY id");
	for (p = strtok_r(ids, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		long long id = atoll(p);
		int hits = 0;
		bool ex;
		for (i = 0; i < z.n; i++)
			hits += header_found(m, id, z.field[i], z.v[i], &ex);
		if (hits > best_hits) {
			best_hits = hits;
			best = id;
		}
	}
	free(ids);
	for (i = 0; i < z.n; i++) {
		bool ex = false;
		bool ok = best >= 0 && header_found(m, best, z.field[i], z.v[i], &ex);
		(*t_checked)++;
		if (ex)
			(*t_explained)++;
		if (!ok) {
			(*t_missing)++;
			fprintf(stderr, "zeek: %s: %s \"%s\" not found (best message %lld)\n",
			    trace, z.field[i], z.v[i], best);
		}
	}
	zvals_free(&z);
}

static bool
run_trace(struct mfix *m, const char *corpus, const char *trace, const char *name)
{
	char tp[700];

	snprintf(tp, sizeof(tp), "%s/%s", corpus, trace);
	if (!mfix_open(m, name))
		return false;
	/* The capture stage buffers only flows it knows as mail; an HTTP
	 * CONNECT tunnel is found by session.c only in a kept flow. */
	m->keep_all = strstr(tp, "connect-with-smtp") != NULL;
	if (strlen(tp) > 3 && strcmp(tp + strlen(tp) - 3, ".gz") == 0) {
		char cmd[1600], out[600];
		snprintf(out, sizeof(out), "%s/trace.pcap", m->base);
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s' > '%s'", tp, out);
		if (system(cmd) != 0)
			return false;
		snprintf(tp, sizeof(tp), "%s", out);
	}
	mfix_run(m, tp);
	return true;
}

TEST(zeek_smtp_logs)
{
	const char *corpus = check_corpus();
	static struct zcase cs[64];
	size_t n = mapping(corpus, cs, 64), i;

	CHECK(n >= 15);
	for (i = 0; i < n; i++) {
		char lp[700], name[32], *log, *row, *save = NULL, *fields = NULL;
		int ih, im, ir, t_checked = 0, t_missing = 0, t_explained = 0;
		int e_checked = checked, e_failures = failures;
		struct mfix m;

		snprintf(lp, sizeof(lp), "%s/%s", corpus, cs[i].log);
		snprintf(name, sizeof(name), "z%zu", i);
		CHECK(run_trace(&m, corpus, cs[i].trace, name));
		log = check_slurp(lp, NULL);
		CHECK(log != NULL);
		for (row = strtok_r(log, "\n", &save); row; row = strtok_r(NULL, "\n", &save)) {
			char *h, *mf, *rc, *r, *rs = NULL;
			if (strncmp(row, "#fields", 7) == 0) {
				fields = row;
				continue;
			}
			if (row[0] == '#' || fields == NULL)
				continue;
			ih = field_index(fields, "helo");
			im = field_index(fields, "mailfrom");
			ir = field_index(fields, "rcptto");
			h = field(row, ih);
			mf = field(row, im);
			rc = field(row, ir);
			if (strcmp(h, "-") != 0)
				check_value(&m, cs[i].trace, "helo", h, "SELECT client_name FROM sessions");
			if (strcmp(mf, "-") != 0)
				check_value(&m, cs[i].trace, "mailfrom", mf,
				    "SELECT replace(replace(line, ': <', ':<'), ' ', '') FROM transcript"
				    " WHERE line LIKE 'MAIL FROM:%'");
			if (strcmp(rc, "-") != 0)
				for (r = strtok_r(rc, ",", &rs); r; r = strtok_r(NULL, ",", &rs))
					check_value(&m, cs[i].trace, "rcptto", r,
					    "SELECT replace(line, ': <', ':<') FROM transcript"
					    " WHERE line LIKE 'RCPT TO:%'");
			free(h);
			free(mf);
			free(rc);
			check_headers(&m, cs[i].trace, fields, row, &t_checked, &t_missing, &t_explained);
		}
		fprintf(stderr, "zeek: %s (%s): envelope %d checked, %d missing; headers %d checked,"
		    " %d missing, %d explained\n", cs[i].trace, strrchr(cs[i].log, '.') ?
		    cs[i].log + strlen("zeek/testing/btest/Baseline/") : cs[i].log,
		    checked - e_checked, failures - e_failures, t_checked, t_missing, t_explained);
		h_checked += t_checked;
		h_failures += t_missing;
		h_explained += t_explained;
		free(log);
		mfix_close(&m);
	}
	fprintf(stderr, "zeek: %d HELO/MAIL FROM/RCPT TO values checked, %d missing\n", checked, failures);
	fprintf(stderr, "zeek: %d header values checked, %d missing, %d explained\n",
	    h_checked, h_failures, h_explained);
	CHECK_INT(failures, 0);
	CHECK(h_checked >= 100);
	CHECK_INT(h_failures, 0);
}

/* smtp-many-addresses.pcap: the Zeek test raises every address ceiling to
 * 500 and logs smtp_too_many_{rcptto,to,cc}_addresses weirds (baseline
 * address-limits/weird.log): the message carries 600 of each. mailcase keeps
 * all of them; its own ceiling on Received headers (100 hops) is a recorded
 * finding (hops.cap), where Zeek's path stops at 500. */
TEST(zeek_address_limits)
{
	const char *corpus = check_corpus();
	struct mfix m;
	char *q = NULL;
	size_t i, caps = 0;

	CHECK(run_trace(&m, corpus, "zeek/testing/btest/Traces/smtp/smtp-many-addresses.pcap.gz",
	    "limits"));
	q = mfix_q(&m, "SELECT role, count(DISTINCT lower(addr)) FROM addresses"
	    " WHERE role IN ('env-rcpt', 'to', 'cc') GROUP BY role ORDER BY role");
	CHECK_STR(q, "cc|600\nenv-rcpt|600\nto|600\n");
	free(q);
	q = mfix_q(&m, "SELECT count(*) FROM transcript WHERE line LIKE 'RCPT TO:%'");
	CHECK_STR(q, "600\n");
	free(q);
	q = mfix_q(&m, "SELECT subject, message_id FROM messages");
	CHECK_STR(q, "Test message|<mcdwvcmqbchnpflp@vqpccynz.udj.com>\n");
	free(q);
	for (i = 0; i < plog_count(m.log); i++)
		caps += strcmp(plog_get(m.log, i)->code, "hops.cap") == 0;
	mfix_close(&m);
	CHECK_INT(caps, 1);
}

/* The normalisation above, on the forms Zeek writes. */
TEST(zeek_normalise)
{
	char *parts[8], *name, *addr, *u;
	size_t n, i;

	n = zeek_split("\"Doe, John\" <J@X.org>,b@y,<c@z>", parts, 8);
	CHECK_INT(n, 3);
	split_address(parts[0], &name, &addr);
	CHECK_STR(name, "Doe, John");
	CHECK_STR(addr, "J@X.org");
	free(name);
	free(addr);
	split_address(parts[1], &name, &addr);
	CHECK_STR(name, "");
	CHECK_STR(addr, "b@y");
	free(name);
	free(addr);
	split_address(" \"say \\\"hi\\\"\" <c@z> ", &name, &addr);
	CHECK_STR(name, "say \"hi\"");
	CHECK_STR(addr, "c@z");
	free(name);
	free(addr);
	for (i = 0; i < n; i++)
		free(parts[i]);
	u = zeek_unescape("Gr\\xc3\\xbc\\xc3\\x9fe \\x");
	CHECK_STR(u, "Gr\xc3\xbc\xc3\x9f" "e \\x");
	free(u);
}

int
main(void)
{
	if (check_corpus() == NULL) {
		RUN(zeek_normalise);
		SKIP(zeek_smtp_logs, "no corpus");
		SKIP(zeek_address_limits, "no corpus");
		return check_done();
	}
	RUN(zeek_normalise);
	RUN(zeek_smtp_logs);
	RUN(zeek_address_limits);
	return check_done();
}
