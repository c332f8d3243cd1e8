/* Unit tests of mail/hops.c: the route record (mail/route.h) of the
 * corpus messages (spam-2007.eml, forged-hops.eml), of the hop a capture
 * saw (evidence02's first message, as a synthetic hops_input), and of each
 * flag on synthetic header sets; one route stored by store/db_routes.c and
 * read back, and worded by report/model_route.c in English and Korean. */
#include "check.h"
#include "mail/hops.h"
#include "report/model.h"
#include "store/casedb.h"
#include "store/db_routes.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <time.h>

#define NOW_US (INT64_C(1700000000) * 1000000)   /* 2023-11-14, the case's "now" */

/* The dumps grow without a ceiling (BUF_UNLIMITED): an append cannot fail. */
static void
put(struct buf *b, const char *s)
{
	if (!buf_adds(b, s))
		abort();
}

static void
dump_date(struct buf *b, bool has, int64_t us)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	char s[32] = "";

	if (has && gmtime_r(&t, &tm) != NULL)
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm);
	put(b, s);
}

static void
dump_opt(struct buf *b, bool has, int64_t v)
{
	char s[32] = "";

	if (has)
		snprintf(s, sizeof(s), "%" PRId64, v);
	put(b, s);
}

static void
dump_str(struct buf *b, const char *s, bool bar)
{
	put(b, s != NULL ? s : "");
	if (bar)
		put(b, "|");
}

/* The hops as "idx|observed|parsed|helo|rdns|ip|by|software|protocol|id|
 * for|date|delay|flags|trust" lines (the columns the hops table had when
 * these facts were first written down). free() the result. */
static char *
hops_dump(const struct route *rt)
{
	struct buf b;

	buf_init(&b, BUF_UNLIMITED);
	for (size_t k = 0; k < rt->nhops; k++) {
		const struct route_hop *h = &rt->hops[k];
		const struct received *r = &h->r;
		char head[64], *flags = route_hop_flags_list(h->flags);

		snprintf(head, sizeof(head), "%zu|%d|%d|", k + 1, h->observed, r->parsed);
		dump_str(&b, head, false);
		dump_str(&b, r->from_helo, true);
		dump_str(&b, r->from_rdns, true);
		dump_str(&b, r->from_ip, true);
		dump_str(&b, r->by_host, true);
		dump_str(&b, r->software, true);
		dump_str(&b, r->protocol, true);
		dump_str(&b, r->id, true);
		dump_str(&b, r->for_addr, true);
		dump_date(&b, r->has_date, r->date_us);
		put(&b, "|");
		dump_opt(&b, h->has_delay, h->delay_s);
		put(&b, "|");
		dump_str(&b, flags, true);
		dump_str(&b, route_trust_name(h->trust), false);
		put(&b, "\n");
		free(flags);
	}
	return buf_take(&b);
}

/* "verdict|origin_host|origin_ip|forged|origin_no|flags|date_delta|
 * obs_delta|mid|from|rp|xoip|auth". free() the result. */
static char *
route_dump(const struct route *rt)
{
	struct buf b;
	char *flags = route_flags_list(rt->flags), n[64];

	buf_init(&b, BUF_UNLIMITED);
	dump_str(&b, route_verdict_name(rt->verdict), true);
	dump_str(&b, rt->origin_host, true);
	dump_str(&b, rt->origin_ip, true);
	snprintf(n, sizeof(n), "%zu|", rt->forged);
	dump_str(&b, n, false);
	dump_opt(&b, rt->nhops > 0, (int64_t)rt->origin + 1);
	put(&b, "|");
	dump_str(&b, flags, true);
	dump_opt(&b, rt->has_date_delta, rt->date_delta_s);
	put(&b, "|");
	dump_opt(&b, rt->has_obs_delta, rt->obs_delta_s);
	put(&b, "|");
	dump_str(&b, rt->mid_domain, true);
	dump_str(&b, rt->from_domain, true);
	dump_str(&b, rt->rp_domain, true);
	dump_str(&b, rt->x_originating_ip, true);
	dump_str(&b, rt->auth, false);
	free(flags);
	return buf_take(&b);
}

#define CHECK_DUMP(fn, rt, want) do { \
	char *got_ = fn(rt); \
	bool ok_ = strcmp(got_, want) == 0; \
	if (!ok_) \
		check_fail(__FILE__, __LINE__, #fn ":\n%s\nexpected:\n%s", got_, want); \
	free(got_); \
	if (!ok_) { hops_route_free(rt); plog_free(log); return; } \
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
	struct plog *log = plog_new();
	struct hdrs h;
	struct hops_input in;
	struct route *rt;
	char *text = corpus_file("spam-2007.eml");

	CHECK(text != NULL);
	hdrs_read(&h, text);
	free(text);
	CHECK_INT(h.nreceived, 2);
	hdrs_input(&h, &in);
	rt = hops_route(&in, log, "spam-2007.eml", "message 1");
	hdrs_free(&h);
	CHECK_DUMP(hops_dump, rt,
	    "1|0|1|test.com||200.59.38.130|medsvr01.medentech.com|Microsoft SMTPSVC 5.0.2195.5329|SMTP|h093ANn04454|"
	    "mkeh@avnetcom.co.kr|2007-03-05 23:10:53|||origin\n"
	    "2|0|1|medentech.isdn.esat.net|medsvr01.medentech.com|193.120.114.219|relay03.avnetcom.co.kr|sendmail 8.11.6|"
	    "ESMTP|18qi5I-0002Is-00|mkeh@avnetcom.co.kr|2007-03-05 23:14:01|188|helo-mismatch|trusted\n");
	CHECK_DUMP(route_dump, rt,
	    "chain-holds|test.com|200.59.38.130|0|1|domains-differ|2||medsvr01.medentech.com|tt.co.kr|tt.co.kr||");
	CHECK_INT(rt->nreceived, 2);
	CHECK_INT(rt->hops[0].header_no, 2);
	CHECK_INT(rt->hops[1].header_no, 1);
	CHECK_INT(plog_count(log), 0);
	hops_route_free(rt);
	plog_free(log);
}

TEST(corpus_forged_hops)
{
	struct plog *log = plog_new();
	struct hdrs h;
	struct hops_input in;
	struct route *rt;
	char *text = corpus_file("forged-hops.eml");

	CHECK(text != NULL);
	hdrs_read(&h, text);
	free(text);
	CHECK_INT(h.nreceived, 4);
	hdrs_input(&h, &in);
	rt = hops_route(&in, log, "forged-hops.eml", "message 1");
	hdrs_free(&h);
	CHECK_DUMP(hops_dump, rt,
	    "1|0|0|||||||||||unparseable|unverifiable\n"
	    "2|0|1|nowhere|||fictitious-site|sendmail 8.8.3|SMTP|AAA00001||2003-01-13 14:00:00||"
	    "implausible-delay,broken-chain|unverifiable\n"
	    "3|0|1|galangal.org||104.128.23.115|mail.bieberdorf.edu|sendmail 8.8.5|SMTP|KAA01234||"
	    "2003-01-14 15:20:55|91255||origin\n"
	    "4|0|1|mail.bieberdorf.edu|mail.bieberdorf.edu|198.51.100.7|mx.example.org|Postfix|ESMTP|4F2A31C0042|"
	    "victim@example.org|2003-01-14 15:21:07|12||trusted\n");
	CHECK_DUMP(route_dump, rt,
	    "forged|galangal.org|104.128.23.115|2|3|domains-differ|-5||galangal.org|bank.example|||");
	CHECK_STR(rt->hops[0].raw, "No Information Here, Go Away!");
	CHECK_INT(plog_count(log), 1);
	CHECK_STR(plog_get(log, 0)->code, "hops.unparseable");
	CHECK_STR(plog_get(log, 0)->source, "forged-hops.eml");
	CHECK_STR(plog_get(log, 0)->where, "message 1, Received header 4");
	hops_route_free(rt);
	plog_free(log);
}

/* evidence02 message 1: Outlook Express wrote no Received header; the
 * capture saw EHLO annlaptop from 192.168.1.159 to cia-mc06.mx.aol.com,
 * the transfer ending 2009-10-10 13:35:31 UTC. */
TEST(observed_smtp_hop)
{
	struct plog *log = plog_new();
	struct hops_input in = {
		.date = "Sat, 10 Oct 2009 07:35:30 -0600",
		.message_id = "<000901ca49ae$89d698c0$9f01a8c0@annlaptop>",
		.from = "sneakyg33k@aol.com",
		.obs_kind = "smtp", .obs_helo = "annlaptop", .obs_client_ip = "192.168.1.159",
		.obs_server = "cia-mc06.mx.aol.com", .obs_server_ip = "64.12.102.142",
		.obs_us = INT64_C(1255181731) * 1000000, .now_us = NOW_US,
	};
	struct route *rt = hops_route(&in, log, "evidence02.pcap", "message 1");

	CHECK_DUMP(hops_dump, rt,
	    "1|1|1|annlaptop||192.168.1.159|cia-mc06.mx.aol.com||SMTP|||2009-10-10 13:35:31|||origin\n");
	CHECK_DUMP(route_dump, rt,
	    "observed|annlaptop|192.168.1.159|0|1|obs-date-consistent||1|annlaptop|aol.com|||");
	CHECK_INT(rt->obs, ROUTE_OBS_SMTP);
	CHECK(rt->hops[0].raw == NULL);   /* no header: the report words it */
	CHECK_STR(rt->hops[0].r.by_ip, "64.12.102.142");
	CHECK(rt->has_date && rt->date_zone == MAILDATE_ZONE_KNOWN);
	CHECK_INT(rt->date_us, INT64_C(1255181730) * 1000000);
	hops_route_free(rt);
	plog_free(log);
}

/* A relay whose newest Received header names another sender than the
 * client the capture saw, and a Date two hours off. */
TEST(observed_smtp_mismatch)
{
	struct plog *log = plog_new();
	const char *rcv[] = {
		"from pc.example.net (pc.example.net [198.51.100.30]) by relay.example.net (Postfix) with ESMTP id A1;"
		" Sat, 10 Oct 2009 13:35:00 +0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 1,
		.date = "Sat, 10 Oct 2009 11:35:00 +0000",
		.obs_kind = "smtp", .obs_helo = "other.example.org", .obs_client_ip = "192.0.2.99",
		.obs_server = "mx.example.com", .obs_server_ip = "203.0.113.1", .obs_protocol = "ESMTP",
		.obs_us = INT64_C(1255181731) * 1000000, .now_us = NOW_US,
	};
	struct route *rt = hops_route(&in, log, "x.pcap", "message 1");

	CHECK_DUMP(hops_dump, rt,
	    "1|0|1|pc.example.net|pc.example.net|198.51.100.30|relay.example.net|Postfix|ESMTP|A1||"
	    "2009-10-10 13:35:00||broken-chain|unverifiable\n"
	    "2|1|1|other.example.org||192.0.2.99|mx.example.com||ESMTP|||2009-10-10 13:35:31|31|date-far|origin\n");
	CHECK_DUMP(route_dump, rt,
	    "observed|other.example.org|192.0.2.99|1|2|obs-date-far,obs-sender-mismatch||7231|||||");
	hops_route_free(rt);
	plog_free(log);
}

TEST(fetched_hop)
{
	struct plog *log = plog_new();
	const char *rcv[] = {
		"from a.example.org (a.example.org [192.0.2.10]) by mx.example.com (Postfix) with ESMTP id B2;"
		" Mon, 1 Jun 2009 10:00:00 +0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 1, .date = "Mon, 1 Jun 2009 09:59:58 +0000",
		.obs_kind = "fetched", .obs_client_ip = "10.0.0.5", .obs_server = "pop.example.com",
		.obs_server_ip = "203.0.113.5", .obs_protocol = "POP3",
		.obs_us = INT64_C(1244000000) * 1000000, .now_us = NOW_US,
	};
	struct route *rt = hops_route(&in, log, "x.pcap", "message 1");

	CHECK_DUMP(hops_dump, rt,
	    "1|0|1|a.example.org|a.example.org|192.0.2.10|mx.example.com|Postfix|ESMTP|B2||2009-06-01 10:00:00|||origin\n"
	    "2|1|1|pop.example.com||203.0.113.5|||POP3|||2009-06-03 03:33:20|||trusted\n");
	CHECK_DUMP(route_dump, rt, "chain-holds|a.example.org|192.0.2.10|0|1||-2||||||");
	CHECK_INT(rt->obs, ROUTE_OBS_FETCHED);
	CHECK_STR(rt->hops[1].r.by_ip, "10.0.0.5");
	CHECK(rt->hops[1].r.by_host == NULL);
	CHECK_STR(rt->hops[0].raw, "from a.example.org (a.example.org [192.0.2.10]) by mx.example.com (Postfix)"
	    " with ESMTP id B2; Mon, 1 Jun 2009 10:00:00 +0000");
	hops_route_free(rt);
	plog_free(log);
}

/* Time running backwards, a date in the future, a private address in the
 * middle of an internet route, X-Originating-IP and Authentication-Results. */
TEST(time_and_address_flags)
{
	struct plog *log = plog_new();
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
		.now_us = NOW_US,
	};
	struct route *rt = hops_route(&in, log, "x.eml", "message 1");

	CHECK_DUMP(hops_dump, rt,
	    "1|0|1|pc|pc.sender.example|81.2.69.142|out.sender.example|Postfix|ESMTPSA|A1||2029-06-02 09:59:59||"
	    "future,helo-mismatch,time-backwards|unverifiable\n"
	    "2|0|1|out.sender.example|out.sender.example|93.184.216.34|gw.example.com|Postfix|ESMTP|B2||"
	    "2009-06-02 11:00:00|-631148399|time-backwards|unverifiable\n"
	    "3|0|1|gw.example.com|gw.example.com|10.1.2.3|mx2.example.com|Postfix|ESMTP|C3||2009-06-02 10:00:03|-3597|"
	    "private-ip|origin\n"
	    "4|0|1|mx2.example.com|mx2.example.com|185.199.108.153|inbox.example.com|Postfix|ESMTP|D4||"
	    "2009-06-02 10:00:05|2||trusted\n");
	CHECK_DUMP(route_dump, rt,
	    "forged|gw.example.com|10.1.2.3|2|3|date-far|-3603||sender.example|mail.sender.example|sender.example|"
	    "81.2.69.142|spf=pass dkim=fail dmarc=none");
	hops_route_free(rt);
	/* Without the case's "now", nothing is in the future. */
	in.now_us = 0;
	rt = hops_route(&in, log, "x.eml", "message 1");
	CHECK_INT(rt->hops[0].flags, ROUTE_HOP_HELO_MISMATCH | ROUTE_HOP_TIME_BACKWARDS);
	hops_route_free(rt);
	plog_free(log);
}

/* Case setting: trust starts at the highest hop received by a trusted
 * domain; with none found the route says so. */
TEST(trusted_domains)
{
	struct plog *log = plog_new();
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
	struct route *rt = hops_route(&in, log, "x.eml", "message 1");

	CHECK_INT(rt->hops[0].trust, ROUTE_TRUST_ORIGIN);
	CHECK_INT(rt->hops[1].trust, ROUTE_TRUST_TRUSTED);
	CHECK_INT(rt->hops[2].trust, ROUTE_TRUST_TRUSTED);
	CHECK_DUMP(route_dump, rt, "chain-holds|fake.example||0|1||||||||");
	hops_route_free(rt);
	in.trusted_domains = other;
	rt = hops_route(&in, log, "x.eml", "message 1");
	CHECK_DUMP(route_dump, rt, "chain-holds|fake.example||0|1|no-trusted-hop|||||||");
	hops_route_free(rt);
	plog_free(log);
}

TEST(no_headers_and_ceiling)
{
	struct plog *log = plog_new();
	struct hops_input in = { 0 };
	const char **many = xcalloc(HOPS_MAX + 5, sizeof(*many));
	struct route *rt = hops_route(&in, log, "x.eml", "message 1");
	unsigned parsed = 0;

	CHECK_INT(rt->nhops, 0);
	CHECK_DUMP(route_dump, rt, "no-hops|||0|||||||||");
	hops_route_free(rt);
	for (size_t i = 0; i < HOPS_MAX + 5; i++)
		many[i] = i == 0 ? "from a.example by b.example; Thu, 4 Jun 2009 00:00:00 +0000" : "junk";
	in.received = many;
	in.nreceived = HOPS_MAX + 5;
	rt = hops_route(&in, log, "x.eml", "message 1");
	free(many);
	CHECK_INT(rt->nhops, HOPS_MAX);
	CHECK_INT(rt->skipped, 5);
	for (size_t k = 0; k < rt->nhops; k++)
		parsed += rt->hops[k].r.parsed;
	CHECK_INT(parsed, 1);
	CHECK_STR(plog_get(log, 0)->code, "hops.cap");
	CHECK_STR(plog_get(log, 0)->where, "message 1");
	CHECK_STR(rt->origin_host, "a.example");
	CHECK_INT(rt->forged, 99);
	hops_route_free(rt);
	plog_free(log);
}

/* An X-Originating-IP that is no address is kept as text up to 255 bytes,
 * and the cut is logged. */
TEST(xoip_ceiling)
{
	struct plog *log = plog_new();
	char *long_xoip = xmalloc(301);
	struct hops_input in = { .x_originating_ip = long_xoip };
	struct route *rt;

	memset(long_xoip, 'a', 300);
	long_xoip[300] = '\0';
	rt = hops_route(&in, log, "x.eml", "message 7");
	CHECK_INT(strlen(rt->x_originating_ip), 255);
	CHECK_INT(plog_count(log), 1);
	CHECK_STR(plog_get(log, 0)->code, "hops.cap");
	CHECK_STR(plog_get(log, 0)->where, "message 7");
	CHECK_STR(plog_get(log, 0)->message, "X-Originating-IP of 300 bytes is kept to its first 255");
	hops_route_free(rt);
	free(long_xoip);
	plog_free(log);
}

/* A date whose zone no table knows is read as UTC and flagged, on the
 * Received field and on the Date header; KST is +0900. */
TEST(zone_flags)
{
	struct plog *log = plog_new();
	const char *rcv[] = {
		"from a.example (a.example [192.0.2.1]) by b.example with ESMTP id Q; Tue, 1 Jul 2003 10:52:40 XYZT",
	};
	struct hops_input in = { .received = rcv, .nreceived = 1, .date = "Tue, 1 Jul 2003 10:52:37 KST" };
	struct route *rt = hops_route(&in, log, "x.eml", "message 1");

	CHECK_INT(rt->hops[0].flags, ROUTE_HOP_ZONE_UNKNOWN);
	CHECK_INT(rt->hops[0].r.date_zone, MAILDATE_ZONE_UNKNOWN);
	CHECK_INT(rt->date_us, INT64_C(1057024357) * 1000000);   /* 2003-07-01T01:52:37Z */
	CHECK_INT(rt->date_zone, MAILDATE_ZONE_KNOWN);
	CHECK(rt->has_date_delta);
	CHECK_INT(rt->date_delta_s, -32403);
	CHECK_INT(rt->flags, ROUTE_DATE_FAR);
	CHECK_INT(plog_count(log), 1);
	CHECK_STR(plog_get(log, 0)->code, "hops.zone");
	CHECK_STR(plog_get(log, 0)->where, "message 1, Received header 1");
	hops_route_free(rt);
	in.date = "Tue, 1 Jul 2003 10:52:37 QQT";
	rt = hops_route(&in, log, "x.eml", "message 1");
	CHECK_INT(rt->flags & ROUTE_DATE_ZONE_UNKNOWN, ROUTE_DATE_ZONE_UNKNOWN);
	CHECK_INT(rt->date_zone, MAILDATE_ZONE_UNKNOWN);
	hops_route_free(rt);
	plog_free(log);
}

/* The case database fixture for the round trip and the report. */
struct hfix {
	struct casedb *db;
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
	casedb_exec(f->db, "INSERT INTO messages (id, evidence_id, source) VALUES (1, 0, 'eml')");
	return true;
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

#define CHECK_ROWS(f, sql, want) do { \
	char *got_ = rows(f, sql); \
	bool ok_ = strcmp(got_, want) == 0; \
	if (!ok_) \
		check_fail(__FILE__, __LINE__, "rows:\n%s\nexpected:\n%s", got_, want); \
	free(got_); \
	if (!ok_) { casedb_close((f)->db); return; } \
} while (0)

static bool
same_dump(char *(*fn)(const struct route *), const struct route *a, const struct route *b)
{
	char *x = fn(a), *y = fn(b);
	bool same = strcmp(x, y) == 0;

	if (!same)
		check_fail(__FILE__, __LINE__, "stored:\n%s\nread back:\n%s", x, y);
	free(x);
	free(y);
	return same;
}

/* A route stored by db_route_add holds codes and numbers, and reads back
 * as the same record. */
TEST(store_round_trip)
{
	struct plog *log = plog_new();
	struct hfix f;
	const char *rcv[] = {
		"from pc.example.net (pc.example.net [198.51.100.30]) by relay.example.net (Postfix) with ESMTP id A1;"
		" Sat, 10 Oct 2009 13:35:00 -0000",
	};
	struct hops_input in = {
		.received = rcv, .nreceived = 1, .date = "Sat, 10 Oct 2009 11:35:00 +0000",
		.x_originating_ip = "192.0.2.7", .from = "a@example.org",
		.obs_kind = "smtp", .obs_helo = "other.example.org", .obs_client_ip = "192.0.2.99",
		.obs_server = "mx.example.com", .obs_server_ip = "203.0.113.1", .obs_protocol = "ESMTP",
		.obs_us = INT64_C(1255181731) * 1000000,
	};
	struct route *rt = hops_route(&in, log, "x.pcap", "message 1"), *back;

	CHECK(hfix_open(&f, "roundtrip"));
	db_route_add(f.db, 1, rt);
	CHECK_ROWS(&f, "SELECT verdict, origin_host, forged_hops, flags, origin_idx, date_us, date_zone, obs_delta_s,"
	    " obs_kind, x_originating_ip, from_domain FROM routes",
	    "observed|other.example.org|1|obs-date-far,obs-sender-mismatch|2|1255174500000000|known|7231|smtp|"
	    "192.0.2.7|example.org\n");
	CHECK_ROWS(&f, "SELECT idx, observed, raw IS NULL, date_zone, delay_s, flags, trust FROM hops ORDER BY idx",
	    "1|0|0|untrusted||broken-chain|unverifiable\n2|1|1|known|31|date-far|origin\n");
	back = db_route_get(f.db, 1);
	CHECK(back != NULL);
	CHECK(db_route_get(f.db, 2) == NULL);
	CHECK(same_dump(hops_dump, rt, back));
	CHECK(same_dump(route_dump, rt, back));
	CHECK_INT(back->obs, ROUTE_OBS_SMTP);
	CHECK_INT(back->hops[0].header_no, 1);
	CHECK_INT(back->hops[0].r.date_zone, MAILDATE_ZONE_UNTRUSTED);
	CHECK_STR(back->hops[0].raw, rcv[0]);
	CHECK_INT(back->date_us, rt->date_us);
	hops_route_free(back);
	hops_route_free(rt);
	plog_free(log);
	casedb_close(f.db);
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

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

TEST(model_route_forged)
{
	struct plog *log = plog_new();
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
	struct route *rt = hops_route(&in, log, "x.eml", "message 1");

	CHECK(hfix_open(&f, "model"));
	db_route_add(f.db, 1, rt);
	hops_route_free(rt);
	plog_free(log);
	CHECK(model_route(f.db, root, 2, &en) == NULL);
	timeline_events = 0;
	r = model_route(f.db, root, 1, &en);
	CHECK(r != NULL);
	CHECK_STR(jstr(r, "verdict"), "Likely origin galangal.org [104.128.23.115]; the 2 hops below it look forged.");
	CHECK_STR(jstr(r, "summary"), "Likely origin galangal.org [104.128.23.115]; the 2 hops below it look forged");
	CHECK_STR(jstr(r, "verdict_code"), "forged");
	CHECK_INT(json_integer_value(json_object_get(r, "forged_hops")), 2);
	CHECK_INT(json_array_size(json_object_get(r, "hops")), 4);
	h = json_array_get(json_object_get(r, "hops"), 1);
	CHECK_STR(jstr(h, "flags"), "implausibly long delay to the next hop; its receiver is not the next hop's sender");
	CHECK_STR(jstr(h, "trust_text"), "unverifiable");
	h = json_array_get(json_object_get(r, "hops"), 2);
	CHECK_STR(jstr(h, "delay"), "1 d 1 h 20 min 55 s");
	CHECK_STR(jstr(h, "time_utc"), "2003-01-14 15:20:55");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(json_object_get(r, "hops"), 0), "header_no")), 4);
	CHECK(json_is_true(json_object_get(r, "unparsed_any")));
	CHECK_STR(jstr(r, "x_originating_ip"), "104.128.23.115");
	json_decref(r);
	r = model_route(f.db, root, 1, &ko);
	CHECK_STR(jstr(r, "verdict"), "추정 발신지: galangal.org [104.128.23.115]. 그 아래 2개 홉은 위조된 것으로 보입니다.");
	CHECK_STR(jstr(r, "summary"), jstr(r, "verdict"));
	h = json_array_get(json_object_get(r, "hops"), 1);
	CHECK_STR(jstr(h, "flags"), "다음 홉까지의 지연이 비정상적으로 김; 수신 서버가 다음 홉의 송신자와 다름");
	h = json_array_get(json_object_get(r, "hops"), 2);
	CHECK_STR(jstr(h, "delay"), "1일 1시간 20분 55초");
	CHECK_STR(jstr(h, "trust_text"), "발신지");
	json_decref(r);
	/* three dated hops per call, in the timeline (the real one or the stand-in) */
	CHECK_INT(timeline_events + (int)json_array_size(json_object_get(root, "timeline")), 6);
	json_decref(root);
	casedb_close(f.db);
}

/* The observed hop and the capture-time clause, in both languages. */
TEST(model_route_observed)
{
	struct plog *log = plog_new();
	struct hfix f;
	struct hops_input in = {
		.date = "Sat, 10 Oct 2009 07:35:30 -0600", .from = "sneakyg33k@aol.com",
		.obs_kind = "smtp", .obs_helo = "annlaptop", .obs_client_ip = "192.168.1.159",
		.obs_server = "cia-mc06.mx.aol.com", .obs_server_ip = "64.12.102.142",
		.obs_us = INT64_C(1255181731) * 1000000,
	};
	struct model_opts en = { .lang = "en" }, ko = { .lang = "ko" };
	json_t *root = json_object(), *r, *h;
	struct route *rt = hops_route(&in, log, "evidence02.pcap", "message 1");

	CHECK(hfix_open(&f, "model-observed"));
	db_route_add(f.db, 1, rt);
	hops_route_free(rt);
	plog_free(log);
	r = model_route(f.db, root, 1, &en);
	CHECK_STR(jstr(r, "summary"), "Sent from annlaptop [192.168.1.159] to cia-mc06.mx.aol.com, as seen in the"
	    " capture; its Date header is 1 s before the capture time (consistent)");
	CHECK_STR(jstr(r, "verdict"), "Sent from annlaptop [192.168.1.159] to cia-mc06.mx.aol.com, as seen in the"
	    " capture. Its Date header is 1 s before the capture time (consistent).");
	h = json_array_get(json_object_get(r, "hops"), 0);
	CHECK_STR(jstr(h, "raw"), "SMTP session observed in the capture: HELO annlaptop from 192.168.1.159 to"
	    " cia-mc06.mx.aol.com [64.12.102.142]");
	CHECK_STR(jstr(json_array_get(json_object_get(r, "flags"), 0), "text"),
	    "The Date header is within a few minutes of the capture time (consistent).");
	json_decref(r);
	r = model_route(f.db, root, 1, &ko);
	CHECK_STR(jstr(r, "verdict"), "캡처에서 확인된 전송: annlaptop [192.168.1.159] → cia-mc06.mx.aol.com."
	    " Date 헤더는 캡처 시각보다 1초 앞서며, 일치합니다.");
	h = json_array_get(json_object_get(r, "hops"), 0);
	CHECK_STR(jstr(h, "raw"), "캡처에서 관찰된 SMTP 세션: HELO annlaptop, 192.168.1.159 → cia-mc06.mx.aol.com"
	    " [64.12.102.142]");
	CHECK_STR(jstr(json_array_get(json_object_get(r, "flags"), 0), "text"), "Date 헤더가 캡처 시각과 몇 분 이내로 일치합니다.");
	json_decref(r);
	json_decref(root);
	casedb_close(f.db);
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
	RUN(xoip_ceiling);
	RUN(zone_flags);
	RUN(store_round_trip);
	RUN(model_route_forged);
	RUN(model_route_observed);
	return check_done();
}
