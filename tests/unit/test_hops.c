/* Unit tests of mail/hops.c: routes stored in a case database from the
 * corpus messages (spam-2007.eml, forged-hops.eml), the hop a capture saw
 * (evidence02's first message, as a synthetic hops_input), and each flag
 * on synthetic header sets. */
#include "check.h"
#include "ingest.h"
#include "mail/hops.h"
#include "report/model.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

struct hfix {
	struct casedb *db;
	struct plog *log;
	struct limits lim;
	struct ingest_ctx ctx;
	char dir[512];
};

static bool
hfix_open(struct hfix *f, const char *name)
{
	char *err = NULL;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/case", check_tmpdir(name));
	f->db = casedb_open(f->dir, true, &err);
	if (f->db == NULL) {
		fprintf(stderr, "casedb_open: %s\n", err ? err : "?");
		free(err);
		return false;
	}
	f->log = plog_new();
	limits_default(&f->lim);
	f->ctx.db = f->db;
	f->ctx.log = f->log;
	f->ctx.lim = &f->lim;
	f->ctx.evidence_id = 0;
	f->ctx.evidence_path = "fixture.eml";
	f->ctx.now_us = INT64_C(1700000000) * 1000000;   /* 2023-11-14 */
	casedb_exec(f->db, "INSERT INTO messages (id, evidence_id, source) VALUES (1, 0, 'eml')");
	return true;
}

static void
hfix_close(struct hfix *f)
{
	casedb_close(f->db);
	plog_free(f->log);
}

/* Rows of a query as "a|b|c" lines ("" for NULL). free() the result. */
static char *
rows(struct hfix *f, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(f->db, sql);
	struct buf b;

	buf_init(&b, BUF_UNLIMITED);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			if ((i > 0 && !buf_addc(&b, '|')) || !buf_adds(&b, t != NULL ? (const char *)t : ""))
				break;
		}
		if (!buf_addc(&b, '\n'))
			break;
	}
	sqlite3_finalize(st);
	return buf_take(&b);
}

#define HOPS_SQL \
	"SELECT idx, observed, parsed, from_helo, from_rdns, from_ip, by_host, software, protocol, smtp_id," \
	" for_addr, strftime('%Y-%m-%d %H:%M:%S', date_us / 1000000, 'unixepoch'), delay_s, flags, trust" \
	" FROM hops WHERE message_id = 1 ORDER BY idx"
#define ROUTE_SQL \
	"SELECT origin_host, origin_ip, forged_hops, origin_idx, summary, flags, date_delta_s, obs_delta_s," \
	" mid_domain, from_domain, rp_domain, x_originating_ip, auth FROM routes WHERE message_id = 1"

#define CHECK_ROWS(f, sql, want) do { \
	char *got_ = rows(f, sql); \
	bool ok_ = strcmp(got_, want) == 0; \
	if (!ok_) \
		check_fail(__FILE__, __LINE__, "rows:\n%s\nexpected:\n%s", got_, want); \
	free(got_); \
	if (!ok_) { hfix_close(f); return; } \
} while (0)

/* A header block as the message module hands it over: unfolded values
 * (RFC 5322 section 2.2.3: folding CRLF removed, white space kept). */
struct hdrs {
	char *received[16];
	size_t nreceived;
	char *date, *message_id, *return_path, *from;
};

static char *
addr_only(const char *v)
{
	const char *lt = strrchr(v, '<');

	if (lt != NULL)
		return xstrndup(lt + 1, strcspn(lt + 1, ">"));
	return xstrdup(v + strspn(v, " \t"));
}

static void
hdrs_read(struct hdrs *h, const char *text)
{
	const char *p = text;
	struct buf cur;
	char name[64] = "";

	memset(h, 0, sizeof(*h));
	buf_init(&cur, BUF_UNLIMITED);
	for (;;) {
		size_t n = strcspn(p, "\n");
		bool cont = *p == ' ' || *p == '\t';

		if (!cont && name[0] != '\0') {
			const char *v = buf_str(&cur);

			v += strspn(v, " \t");
			if (strcasecmp(name, "Received") == 0 && h->nreceived < 16)
				h->received[h->nreceived++] = xstrdup(v);
			else if (strcasecmp(name, "Date") == 0)
				h->date = xstrdup(v);
			else if (strcasecmp(name, "Message-ID") == 0)
				h->message_id = xstrdup(v);
			else if (strcasecmp(name, "Return-Path") == 0)
				h->return_path = addr_only(v);
			else if (strcasecmp(name, "From") == 0)
				h->from = addr_only(v);
			name[0] = '\0';
			buf_reset(&cur);
		}
		if (n == 0 || *p == '\0')
			break;
		if (cont) {
			if (!buf_add(&cur, p, n))
				break;
		} else {
			const char *colon = memchr(p, ':', n);

			if (colon != NULL && (size_t)(colon - p) < sizeof(name)) {
				memcpy(name, p, (size_t)(colon - p));
				name[colon - p] = '\0';
				if (!buf_add(&cur, colon + 1, n - (size_t)(colon + 1 - p)))
					break;
			}
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	buf_free(&cur);
}

static void
hdrs_free(struct hdrs *h)
{
	for (size_t i = 0; i < h->nreceived; i++)
		free(h->received[i]);
	free(h->date);
	free(h->message_id);
	free(h->return_path);
	free(h->from);
}

static void
hdrs_input(const struct hdrs *h, struct hops_input *in)
{
	memset(in, 0, sizeof(*in));
	in->received = (const char *const *)h->received;
	in->nreceived = h->nreceived;
	in->date = h->date;
	in->message_id = h->message_id;
	in->return_path = h->return_path;
	in->from = h->from;
}

static char *
corpus_file(const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", check_corpus(), name);
	return check_slurp(path, NULL);
}

TEST(corpus_spam_2007)
{
	struct hfix f;
	struct hdrs h;
	struct hops_input in;
	char *text = corpus_file("spam-2007.eml");

	CHECK(text != NULL);
	CHECK(hfix_open(&f, "spam"));
	hdrs_read(&h, text);
	free(text);
	CHECK_INT(h.nreceived, 2);
	hdrs_input(&h, &in);
	hops_analyze(&f.ctx, 1, &in);
	hdrs_free(&h);
	CHECK_ROWS(&f, HOPS_SQL,
	    "1|0|1|test.com||200.59.38.130|medsvr01.medentech.com|Microsoft SMTPSVC 5.0.2195.5329|SMTP|h093ANn04454|"
	    "mkeh@avnetcom.co.kr|2007-03-05 23:10:53|||origin\n"
	    "2|0|1|medentech.isdn.esat.net|medsvr01.medentech.com|193.120.114.219|relay03.avnetcom.co.kr|sendmail 8.11.6|"
	    "ESMTP|18qi5I-0002Is-00|mkeh@avnetcom.co.kr|2007-03-05 23:14:01|188|helo-mismatch|trusted\n");
	CHECK_ROWS(&f, ROUTE_SQL,
	    "test.com|200.59.38.130|0|1|Likely origin test.com [200.59.38.130]; the chain of Received headers holds|"
	    "domains-differ|2||medsvr01.medentech.com|tt.co.kr|tt.co.kr||\n");
	CHECK_INT(plog_count(f.log), 0);
	hfix_close(&f);
}

TEST(corpus_forged_hops)
{
	struct hfix f;
	struct hdrs h;
	struct hops_input in;
	char *text = corpus_file("forged-hops.eml");

	CHECK(text != NULL);
	CHECK(hfix_open(&f, "forged"));
	hdrs_read(&h, text);
	free(text);
	CHECK_INT(h.nreceived, 4);
	hdrs_input(&h, &in);
	hops_analyze(&f.ctx, 1, &in);
	hdrs_free(&h);
	CHECK_ROWS(&f, HOPS_SQL,
	    "1|0|0|||||||||||unparseable|unverifiable\n"
	    "2|0|1|nowhere|||fictitious-site|sendmail 8.8.3|SMTP|AAA00001||2003-01-13 14:00:00||"
	    "implausible-delay,broken-chain|unverifiable\n"
	    "3|0|1|galangal.org||104.128.23.115|mail.bieberdorf.edu|sendmail 8.8.5|SMTP|KAA01234||"
	    "2003-01-14 15:20:55|91255||origin\n"
	    "4|0|1|mail.bieberdorf.edu|mail.bieberdorf.edu|198.51.100.7|mx.example.org|Postfix|ESMTP|4F2A31C0042|"
	    "victim@example.org|2003-01-14 15:21:07|12||trusted\n");
	CHECK_ROWS(&f, ROUTE_SQL,
	    "galangal.org|104.128.23.115|2|3|Likely origin galangal.org [104.128.23.115]; the 2 hops below it look forged|"
	    "domains-differ|-5||galangal.org|bank.example|||\n");
	CHECK_ROWS(&f, "SELECT raw FROM hops WHERE message_id = 1 AND idx = 1", "No Information Here, Go Away!\n");
	CHECK_INT(plog_count(f.log), 1);
	CHECK_STR(plog_get(f.log, 0)->code, "hops.unparseable");
	CHECK_STR(plog_get(f.log, 0)->where, "message 1, Received header 4");
	hfix_close(&f);
}

/* evidence02 message 1: Outlook Express wrote no Received header; the
 * capture saw EHLO annlaptop from 192.168.1.159 to cia-mc06.mx.aol.com,
 * the transfer ending 2009-10-10 13:35:31 UTC. */
TEST(observed_smtp_hop)
{
	struct hfix f;
	struct hops_input in = {
		.date = "Sat, 10 Oct 2009 07:35:30 -0600",
		.message_id = "<000901ca49ae$89d698c0$9f01a8c0@annlaptop>",
		.from = "sneakyg33k@aol.com",
		.obs_kind = "smtp", .obs_helo = "annlaptop", .obs_client_ip = "192.168.1.159",
		.obs_server = "cia-mc06.mx.aol.com", .obs_server_ip = "64.12.102.142",
		.obs_us = INT64_C(1255181731) * 1000000,
	};

	CHECK(hfix_open(&f, "observed"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, HOPS_SQL,
	    "1|1|1|annlaptop||192.168.1.159|cia-mc06.mx.aol.com||SMTP|||2009-10-10 13:35:31|||origin\n");
	CHECK_ROWS(&f, ROUTE_SQL,
	    "annlaptop|192.168.1.159|0|1|Sent from annlaptop [192.168.1.159] to cia-mc06.mx.aol.com, as seen in the"
	    " capture; its Date header is 1 s before the capture time (consistent)|obs-date-consistent||1|"
	    "annlaptop|aol.com|||\n");
	CHECK_ROWS(&f, "SELECT raw, by_ip FROM hops WHERE message_id = 1",
	    "SMTP session observed in the capture: HELO annlaptop from 192.168.1.159 to cia-mc06.mx.aol.com"
	    " [64.12.102.142]|64.12.102.142\n");
	hfix_close(&f);
}

/* A relay whose newest Received header names another sender than the
 * client the capture saw, and a Date two hours off. */
TEST(observed_smtp_mismatch)
{
	struct hfix f;
	const char *rcv[] = {
		"from pc.example.net (pc.example.net [198.51.100.30]) by relay.example.net (Postfix) with ESMTP id A1;"
		" Sat, 10 Oct 2009 13:35:00 +0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 1,
		.date = "Sat, 10 Oct 2009 11:35:00 +0000",
		.obs_kind = "smtp", .obs_helo = "other.example.org", .obs_client_ip = "192.0.2.99",
		.obs_server = "mx.example.com", .obs_server_ip = "203.0.113.1", .obs_protocol = "ESMTP",
		.obs_us = INT64_C(1255181731) * 1000000,
	};

	CHECK(hfix_open(&f, "mismatch"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, HOPS_SQL,
	    "1|0|1|pc.example.net|pc.example.net|198.51.100.30|relay.example.net|Postfix|ESMTP|A1||"
	    "2009-10-10 13:35:00||broken-chain|unverifiable\n"
	    "2|1|1|other.example.org||192.0.2.99|mx.example.com||ESMTP|||2009-10-10 13:35:31|31|date-far|origin\n");
	CHECK_ROWS(&f, "SELECT origin_host, forged_hops, flags, obs_delta_s, summary FROM routes",
	    "other.example.org|1|obs-date-far,obs-sender-mismatch|7231|Sent from other.example.org [192.0.2.99]"
	    " to mx.example.com, as seen in the capture\n");
	hfix_close(&f);
}

TEST(fetched_hop)
{
	struct hfix f;
	const char *rcv[] = {
		"from a.example.org (a.example.org [192.0.2.10]) by mx.example.com (Postfix) with ESMTP id B2;"
		" Mon, 1 Jun 2009 10:00:00 +0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 1, .date = "Mon, 1 Jun 2009 09:59:58 +0000",
		.obs_kind = "fetched", .obs_client_ip = "10.0.0.5", .obs_server = "pop.example.com",
		.obs_server_ip = "203.0.113.5", .obs_protocol = "POP3",
		.obs_us = INT64_C(1244000000) * 1000000,
	};

	CHECK(hfix_open(&f, "fetched"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, "SELECT idx, observed, from_helo, from_ip, by_host, by_ip, protocol, delay_s, flags, trust, raw"
	    " FROM hops ORDER BY idx",
	    "1|0|a.example.org|192.0.2.10|mx.example.com||ESMTP|||origin|from a.example.org (a.example.org"
	    " [192.0.2.10]) by mx.example.com (Postfix) with ESMTP id B2; Mon, 1 Jun 2009 10:00:00 +0000\n"
	    "2|1|pop.example.com|203.0.113.5||10.0.0.5|POP3|||trusted|fetched by 10.0.0.5 from pop.example.com"
	    " [203.0.113.5] over POP3 (observed in the capture)\n");
	CHECK_ROWS(&f, "SELECT origin_host, forged_hops, flags, date_delta_s, obs_delta_s FROM routes",
	    "a.example.org|0||-2|\n");
	hfix_close(&f);
}

/* Time running backwards, a date in the future, a private address in the
 * middle of an internet route, X-Originating-IP and Authentication-Results. */
TEST(time_and_address_flags)
{
	struct hfix f;
	const char *rcv[] = {
		"from mx2.example.com (mx2.example.com [185.199.108.153]) by inbox.example.com (Postfix) with ESMTP id D4;"
		" Tue, 2 Jun 2009 10:00:05 +0000",
		"from gw.example.com (gw.example.com [10.1.2.3]) by mx2.example.com (Postfix) with ESMTP id C3;"
		" Tue, 2 Jun 2009 10:00:03 +0000",
		"from out.sender.example (out.sender.example [93.184.216.34]) by gw.example.com (Postfix) with ESMTP id B2;"
		" Tue, 2 Jun 2009 11:00:00 +0000",
		"from pc (pc.sender.example [81.2.69.142]) by out.sender.example (Postfix) with ESMTPSA id A1;"
		" Tue, 2 Jun 2029 09:59:59 +0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 4, .date = "Tue, 2 Jun 2009 09:00:00 +0000",
		.message_id = "<1@sender.example>", .from = "a@mail.sender.example", .return_path = "b@sender.example",
		.x_originating_ip = "[81.2.69.142]",
		.auth_results = "inbox.example.com; spf=pass (sender IP is 185.199.108.153) smtp.mailfrom=sender.example;"
		    " dkim=fail (bad sig) header.d=sender.example; dmarc=none header.from=sender.example",
	};

	CHECK(hfix_open(&f, "flags"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, "SELECT idx, from_ip, delay_s, flags, trust FROM hops ORDER BY idx",
	    "1|81.2.69.142||future,helo-mismatch,time-backwards|unverifiable\n"
	    "2|93.184.216.34|-631148399|time-backwards|unverifiable\n"
	    "3|10.1.2.3|-3597|private-ip|origin\n"
	    "4|185.199.108.153|2||trusted\n");
	CHECK_ROWS(&f, "SELECT origin_host, origin_ip, forged_hops, flags, date_delta_s, x_originating_ip, auth FROM routes",
	    "gw.example.com|10.1.2.3|2|date-far|-3603|81.2.69.142|spf=pass dkim=fail dmarc=none\n");
	hfix_close(&f);
}

/* Case setting: trust starts at the highest hop received by a trusted
 * domain; with none found the route says so. */
TEST(trusted_domains)
{
	struct hfix f;
	const char *rcv[] = {
		"from internal.corp.example (internal.corp.example [10.0.0.2]) by store.corp.example with LMTP id X;"
		" Wed, 3 Jun 2009 10:00:02 +0000",
		"from evil.example (evil.example [192.0.2.66]) by internal.corp.example (Postfix) with ESMTP id Y;"
		" Wed, 3 Jun 2009 10:00:01 +0000",
		"from fake.example by evil.example with SMTP id Z; Wed, 3 Jun 2009 10:00:00 +0000",
	};
	const char *trusted[] = { "corp.example" };
	const char *other[] = { "nowhere.example" };
	struct hops_input in = { .received = rcv, .nreceived = 3, .trusted_domains = trusted, .ntrusted = 1 };

	CHECK(hfix_open(&f, "trusted"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, "SELECT idx, trust FROM hops ORDER BY idx", "1|origin\n2|trusted\n3|trusted\n");
	CHECK_ROWS(&f, "SELECT origin_host, forged_hops, flags FROM routes", "fake.example|0|\n");
	casedb_exec(f.db, "DELETE FROM hops; DELETE FROM routes");
	in.trusted_domains = other;
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, "SELECT origin_host, forged_hops, flags FROM routes", "fake.example|0|no-trusted-hop\n");
	hfix_close(&f);
}

TEST(no_headers_and_ceiling)
{
	struct hfix f;
	struct hops_input in = { 0 };
	const char **many = xcalloc(HOPS_MAX + 5, sizeof(*many));

	CHECK(hfix_open(&f, "ceiling"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK_ROWS(&f, "SELECT count(*) FROM hops", "0\n");
	CHECK_ROWS(&f, "SELECT forged_hops, summary FROM routes",
	    "0|No Received headers: the route cannot be reconstructed\n");
	for (size_t i = 0; i < HOPS_MAX + 5; i++)
		many[i] = i == 0 ? "from a.example by b.example; Thu, 4 Jun 2009 00:00:00 +0000" : "junk";
	in.received = many;
	in.nreceived = HOPS_MAX + 5;
	hops_analyze(&f.ctx, 1, &in);
	free(many);
	CHECK_ROWS(&f, "SELECT count(*), max(idx), sum(parsed) FROM hops", "100|100|1\n");
	CHECK_STR(plog_get(f.log, 0)->code, "hops.cap");
	CHECK_ROWS(&f, "SELECT origin_host, forged_hops FROM routes", "a.example|99\n");
	hfix_close(&f);
}

/* model_route reads only its own tables; the timeline helper belongs to
 * report/model.c, and this weak stand-in counts the events when that file
 * is not linked in. */
static int timeline_events;

__attribute__((weak)) void
model_timeline_add(json_t *root, int64_t us, const char *kind, const char *text, const char *source)
{
	(void)root; (void)us; (void)kind; (void)text; (void)source;
	timeline_events++;
}

TEST(model_route_forged)
{
	struct hfix f;
	const char *rcv[] = {
		"from mail.bieberdorf.edu (mail.bieberdorf.edu [198.51.100.7]) by mx.example.org (Postfix) with ESMTP"
		" id 4F2A31C0042; Tue, 14 Jan 2003 10:21:07 -0500 (EST)",
		"from galangal.org ([104.128.23.115]) by mail.bieberdorf.edu (8.8.5) with SMTP id KAA01234;"
		" Tue, 14 Jan 2003 10:20:55 -0500",
		"from nowhere by fictitious-site (8.8.3/8.7.2) with SMTP id AAA00001; Mon, 13 Jan 2003 09:00:00 -0500",
		"No Information Here, Go Away!",
	};
	struct hops_input in = { .received = rcv, .nreceived = 4, .x_originating_ip = "104.128.23.115" };
	struct model_opts en = { .lang = "en" }, ko = { .lang = "ko" };
	json_t *root = json_object(), *r, *h;

	CHECK(hfix_open(&f, "model"));
	hops_analyze(&f.ctx, 1, &in);
	CHECK(model_route(f.db, root, 2, &en) == NULL);
	timeline_events = 0;
	r = model_route(f.db, root, 1, &en);
	CHECK(r != NULL);
	CHECK_STR(json_string_value(json_object_get(r, "verdict")),
	    "Likely origin galangal.org [104.128.23.115]; the 2 hops below it look forged.");
	CHECK_INT(json_integer_value(json_object_get(r, "forged_hops")), 2);
	CHECK_INT(json_array_size(json_object_get(r, "hops")), 4);
	h = json_array_get(json_object_get(r, "hops"), 1);
	CHECK_STR(json_string_value(json_object_get(h, "flags")),
	    "implausibly long delay to the next hop; its receiver is not the next hop's sender");
	CHECK_STR(json_string_value(json_object_get(h, "trust_text")), "unverifiable");
	h = json_array_get(json_object_get(r, "hops"), 2);
	CHECK_STR(json_string_value(json_object_get(h, "delay")), "1 d 1 h 20 min 55 s");
	CHECK_STR(json_string_value(json_object_get(h, "time_utc")), "2003-01-14 15:20:55");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(json_object_get(r, "hops"), 0), "header_no")), 4);
	CHECK(json_is_true(json_object_get(r, "unparsed_any")));
	CHECK_STR(json_string_value(json_object_get(r, "x_originating_ip")), "104.128.23.115");
	json_decref(r);
	r = model_route(f.db, root, 1, &ko);
	CHECK_STR(json_string_value(json_object_get(r, "verdict")),
	    "추정 발신지: galangal.org [104.128.23.115]. 그 아래 2개 홉은 위조된 것으로 보입니다.");
	h = json_array_get(json_object_get(r, "hops"), 2);
	CHECK_STR(json_string_value(json_object_get(h, "delay")), "1일 1시간 20분 55초");
	CHECK_STR(json_string_value(json_object_get(h, "trust_text")), "발신지");
	json_decref(r);
	/* three dated hops per call, in the timeline (the real one or the stand-in) */
	CHECK_INT(timeline_events + (int)json_array_size(json_object_get(root, "timeline")), 6);
	json_decref(root);
	hfix_close(&f);
}

int
main(void)
{
	if (check_corpus() != NULL) {
		RUN(corpus_spam_2007);
		RUN(corpus_forged_hops);
	} else {
		SKIP(corpus_spam_2007, "no corpus");
		SKIP(corpus_forged_hops, "no corpus");
	}
	RUN(observed_smtp_hop);
	RUN(observed_smtp_mismatch);
	RUN(fetched_hop);
	RUN(time_and_address_flags);
	RUN(trusted_domains);
	RUN(no_headers_and_ceiling);
	RUN(model_route_forged);
	return check_done();
}
