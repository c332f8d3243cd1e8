/* Compares mailcase's SMTP sessions with Zeek's on Zeek's own test captures
 * (corpus zeek/, see zeek/MAPPING.md): every HELO, envelope sender and
 * recipient in an expected smtp.log must be found by the session layer.
 *
 * Header fields (from, to, subject, msg_id) come from message analysis
 * (src/mail/message.c, another stage) and are checked in its tests; here
 * they are counted and reported as a SKIP note.
 *
 * Where the two disagree:
 * - Zeek logs a one-sided capture (smtp-one-side-only.pcap) with every
 *   RCPT TO; mailcase also keeps them all (no reply seen = not refused).
 * - connect-with-smtp.pcap: SMTP inside an HTTP CONNECT tunnel; session.c
 *   skips the proxy's request and "200" answer and reads the SMTP after it.
 * - mail-transactions-invalid: Zeek logs "-" for a missing MAIL FROM or
 *   RCPT TO; those are unset fields and not compared. */
#include "check.h"
#include "mail_fixture.h"

#include <ctype.h>

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

static int failures, checked, header_fields;

static void
check_value(struct mfix *m, const char *trace, const char *what, const char *v, const char *sql)
{
	char *q = mfix_q(m, sql);
	bool ok;

	if (strcmp(what, "helo") == 0) {
		char want[600];
		snprintf(want, sizeof(want), "%s\n", v);
		ok = strstr(q, want) != NULL;
	} else {
		char want[600];
		snprintf(want, sizeof(want), "<%s>", v);
		ok = strstr(q, want) != NULL;
	}
	checked++;
	if (!ok) {
		failures++;
		fprintf(stderr, "zeek: %s: %s %s not found\n", trace, what, v);
	}
	free(q);
}

TEST(zeek_smtp_logs)
{
	const char *corpus = check_corpus();
	static struct zcase cs[64];
	size_t n = mapping(corpus, cs, 64), i;

	CHECK(n >= 15);
	for (i = 0; i < n; i++) {
		char lp[700], tp[700], name[32], *log, *row, *save = NULL, *fields = NULL;
		int ih, im, ir;
		struct mfix m;

		snprintf(lp, sizeof(lp), "%s/%s", corpus, cs[i].log);
		snprintf(tp, sizeof(tp), "%s/%s", corpus, cs[i].trace);
		snprintf(name, sizeof(name), "z%zu", i);
		CHECK(mfix_open(&m, name));
		/* The capture stage buffers only flows it knows as mail; an HTTP
		 * CONNECT tunnel is found by session.c only in a kept flow. */
		m.keep_all = strstr(tp, "connect-with-smtp") != NULL;
		if (strlen(tp) > 3 && strcmp(tp + strlen(tp) - 3, ".gz") == 0) {
			char cmd[1600], out[600];
			snprintf(out, sizeof(out), "%s/trace.pcap", m.base);
			snprintf(cmd, sizeof(cmd), "gzip -dc '%s' > '%s'", tp, out);
			CHECK(system(cmd) == 0);
			snprintf(tp, sizeof(tp), "%s", out);
		}
		mfix_run(&m, tp);
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
			header_fields += 6;   /* date from to cc subject msg_id: message.c */
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
		}
		free(log);
		mfix_close(&m);
	}
	fprintf(stderr, "zeek: %d HELO/MAIL FROM/RCPT TO values checked, %d missing\n", checked, failures);
	CHECK_INT(failures, 0);
}

int
main(void)
{
	if (check_corpus() == NULL) {
		SKIP(zeek_smtp_logs, "no corpus");
		return check_done();
	}
	RUN(zeek_smtp_logs);
	SKIP(zeek_header_fields, "header From/To/Subject/Message-ID come from message analysis (message.c); checked there");
	return check_done();
}
