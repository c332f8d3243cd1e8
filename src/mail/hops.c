/* hops.c - the route of one message from its Received headers.
 *
 * Each MTA prepends a Received field (RFC 5321 section 4.4), so the fields
 * read top-down from the newest to the oldest hop and the route reads
 * bottom-up. Anyone can write any number of fake fields below the first
 * server they do not control, so trust starts at the top (the server that
 * delivered the evidence, or a trusted domain named by the case) and goes
 * down while each hop's receiver is the next hop's sender and the clocks
 * agree; where that stops, the hop's sender is the likely origin and
 * everything below it is unverifiable. */
#include "mail/hops.h"
#include "ingest.h"
#include "mail/maildate.h"
#include "mail/received.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct hop {
	struct received r;
	char *raw;
	bool observed;
	bool has_delay;
	int64_t delay_s;
	char flags[160];
	const char *trust;
};

static void
hop_flag(struct hop *h, const char *flag)
{
	size_t n = strlen(h->flags);

	if (strstr(h->flags, flag) != NULL)
		return;
	snprintf(h->flags + n, sizeof(h->flags) - n, "%s%s", n > 0 ? "," : "", flag);
}

static void
route_flag(struct buf *b, const char *flag)
{
	if ((b->len > 0 && !buf_addc(b, ',')) || !buf_adds(b, flag))
		return;   /* the flag list is far below its ceiling */
}

/* Host names compare without case, brackets or the root dot. */
static bool
hops_same(const char *a, const char *b)
{
	size_t na, nb;

	if (a == NULL || b == NULL)
		return false;
	if (*a == '[')
		a++;
	if (*b == '[')
		b++;
	na = strcspn(a, "]");
	nb = strcspn(b, "]");
	while (na > 0 && a[na - 1] == '.')
		na--;
	while (nb > 0 && b[nb - 1] == '.')
		nb--;
	return na > 0 && na == nb && strncasecmp(a, b, na) == 0;
}

/* The organisational part of a host name: the last two labels, or three
 * under a two-letter country code's second level ("tt.co.kr"). NULL for
 * single labels and addresses. Borrowed from h. */
static const char *
hops_orgdomain(const char *h)
{
	const char *dots[3] = { NULL, NULL, NULL };
	char ip[64];
	size_t n;

	if (h == NULL || received_ip_norm(h, strlen(h), ip) || *h == '[')
		return NULL;
	n = strlen(h);
	while (n > 0 && h[n - 1] == '.')
		n--;
	for (size_t i = n; i-- > 0;) {
		if (h[i] != '.')
			continue;
		dots[2] = dots[1];
		dots[1] = dots[0];
		dots[0] = h + i;
		if (dots[2] == NULL && dots[1] == NULL)
			continue;
		break;
	}
	/* dots[0] is the second-to-last dot once two are found. */
	if (dots[1] == NULL)
		return strchr(h, '.') != NULL ? h : NULL;
	const char *sld = dots[0] + 1, *tld = dots[1] + 1;
	size_t sldn = (size_t)(dots[1] - sld), tldn = (size_t)(h + n - tld);
	if (tldn == 2 && sldn <= 3) {
		for (const char *p = dots[0]; p-- > h;)
			if (*p == '.')
				return p + 1;
		return h;
	}
	return sld;
}

static bool
hops_same_org(const char *a, const char *b)
{
	const char *oa = hops_orgdomain(a), *ob = hops_orgdomain(b);

	return oa != NULL && ob != NULL && hops_same(oa, ob);
}

static bool
hops_has_sender(const struct hop *h)
{
	return h->r.from_helo != NULL || h->r.from_rdns != NULL || h->r.from_ip != NULL;
}

/* RFC 5321 section 4.4: the "by" of one hop is the host the next hop says
 * it came "from". 1 linked, 0 broken, -1 nothing to compare. */
static int
hops_link(const struct hop *lo, const struct hop *hi)
{
	const struct received *a = &lo->r, *b = &hi->r;

	if ((a->by_host == NULL && a->by_ip == NULL) || !hops_has_sender(hi))
		return -1;
	if (hops_same(a->by_host, b->from_helo) || hops_same(a->by_host, b->from_rdns) ||
	    hops_same(a->by_host, b->from_ip) || hops_same(a->by_ip, b->from_ip))
		return 1;
	if (hops_same_org(a->by_host, b->from_rdns) || hops_same_org(a->by_host, b->from_helo))
		return 1;
	return 0;
}

static bool
hops_in_domain(const char *host, const char *domain)
{
	size_t hn, dn;

	if (host == NULL || domain == NULL || *domain == '\0')
		return false;
	hn = strlen(host);
	dn = strlen(domain);
	return hn >= dn && strcasecmp(host + hn - dn, domain) == 0 &&
	    (hn == dn || host[hn - dn - 1] == '.');
}

/* The domain of an address or Message-ID ("<x@host>"), lowercased; NULL
 * when there is none. */
static char *
hops_addr_domain(const char *s)
{
	const char *at;
	size_t n;
	char *d;

	if (s == NULL || (at = strrchr(s, '@')) == NULL)
		return NULL;
	at++;
	n = strcspn(at, "> \t\r\n");
	if (n == 0 || n > 255)
		return NULL;
	d = xstrndup(at, n);
	for (char *p = d; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return d;
}

/* RFC 8601 section 2.2: "authserv-id; method=result ...". Keeps the
 * method=result pairs outside comments, space separated. */
static char *
hops_auth_verdicts(const char *ar)
{
	struct buf b;
	size_t depth = 0, i = 0, n;

	if (ar == NULL)
		return NULL;
	n = strnlen(ar, 4096);
	buf_init(&b, 1024);
	while (i < n) {
		if (ar[i] == '(') {
			depth++;
			i++;
			continue;
		}
		if (ar[i] == ')') {
			depth -= depth > 0;
			i++;
			continue;
		}
		if (depth > 0 || !isalpha((unsigned char)ar[i]) ||
		    (i > 0 && !strchr(" \t\r\n;", ar[i - 1]))) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && (isalnum((unsigned char)ar[j]) || ar[j] == '-'))
			j++;
		if (j < n && ar[j] == '=' && j + 1 < n && isalpha((unsigned char)ar[j + 1])) {
			size_t k = j + 1;
			static const char *const methods[] = { "spf", "dkim", "dmarc", "arc", "iprev", "auth",
				"sender-id", "domainkeys", "dkim-adsp", "bimi", "smime", "dkim-atps" };
			bool known = false;

			while (k < n && isalpha((unsigned char)ar[k]))
				k++;
			for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
				known |= strlen(methods[m]) == j - i && strncasecmp(ar + i, methods[m], j - i) == 0;
			if (known && ((b.len > 0 && !buf_addc(&b, ' ')) || !buf_add(&b, ar + i, k - i)))
				break;   /* past 1024 bytes of verdicts: the rest is in the raw header */
			i = k;
			continue;
		}
		i = j;
	}
	return b.len > 0 ? buf_take(&b) : (buf_free(&b), NULL);
}

/* "3 min 8 s", "1 d 1 h 20 min 55 s", "-12 s". */
static void
hops_duration(int64_t s, char *out, size_t n)
{
	int64_t a = s < 0 ? -s : s;
	size_t k = 0;

	out[0] = '\0';
	if (s < 0)
		k += (size_t)snprintf(out + k, n - k, "-");
	if (a >= 86400)
		k += (size_t)snprintf(out + k, n - k, "%" PRId64 " d ", a / 86400);
	if (a >= 3600)
		k += (size_t)snprintf(out + k, n - k, "%" PRId64 " h ", a / 3600 % 24);
	if (a >= 60 && k < n)
		k += (size_t)snprintf(out + k, n - k, "%" PRId64 " min ", a / 60 % 60);
	if (k < n)
		snprintf(out + k, n - k, "%" PRId64 " s", a % 60);
}

static void
hops_store(struct ingest_ctx *ctx, int64_t message_id, struct hop *hops, size_t n)
{
	sqlite3_stmt *st = casedb_prepare(ctx->db,
	    "INSERT INTO hops (message_id, idx, observed, parsed, raw, from_helo, from_rdns, from_ip,"
	    " by_host, by_ip, software, protocol, tls, smtp_id, for_addr, date_raw, date_us, delay_s,"
	    " flags, trust) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

	for (size_t k = 0; k < n; k++) {
		const struct hop *h = &hops[k];
		const struct received *r = &h->r;

		sqlite3_bind_int64(st, 1, message_id);
		sqlite3_bind_int64(st, 2, (int64_t)k + 1);
		sqlite3_bind_int(st, 3, h->observed);
		sqlite3_bind_int(st, 4, r->parsed);
		casedb_bind_text(st, 5, h->raw);
		casedb_bind_text(st, 6, r->from_helo);
		casedb_bind_text(st, 7, r->from_rdns);
		casedb_bind_text(st, 8, r->from_ip);
		casedb_bind_text(st, 9, r->by_host);
		casedb_bind_text(st, 10, r->by_ip);
		casedb_bind_text(st, 11, r->software);
		casedb_bind_text(st, 12, r->protocol);
		casedb_bind_text(st, 13, r->tls);
		casedb_bind_text(st, 14, r->id);
		casedb_bind_text(st, 15, r->for_addr);
		casedb_bind_text(st, 16, r->date_raw);
		if (r->has_date)
			sqlite3_bind_int64(st, 17, r->date_us);
		else
			sqlite3_bind_null(st, 17);
		if (h->has_delay)
			sqlite3_bind_int64(st, 18, h->delay_s);
		else
			sqlite3_bind_null(st, 18);
		casedb_bind_text(st, 19, h->flags[0] != '\0' ? h->flags : NULL);
		casedb_bind_text(st, 20, h->trust);
		casedb_step_done(ctx->db, st);
	}
	sqlite3_finalize(st);
}

/* The observed hop: an SMTP session seen on the wire (client HELO and
 * address to the server that greeted it), or where a POP3/IMAP client
 * fetched the message from. */
static void
hops_observed(struct hop *h, const struct hops_input *in)
{
	struct received *r = &h->r;
	bool fetched = strcmp(in->obs_kind, "fetched") == 0;
	char ip[64];

	h->observed = true;
	r->parsed = true;
	if (fetched) {
		r->from_helo = in->obs_server != NULL ? xstrdup(in->obs_server) : NULL;
		if (in->obs_server_ip != NULL && received_ip_norm(in->obs_server_ip, strlen(in->obs_server_ip), ip))
			r->from_ip = xstrdup(ip);
		r->by_host = in->obs_helo != NULL ? xstrdup(in->obs_helo) : NULL;
		if (in->obs_client_ip != NULL && received_ip_norm(in->obs_client_ip, strlen(in->obs_client_ip), ip))
			r->by_ip = xstrdup(ip);
	} else {
		r->from_helo = in->obs_helo != NULL ? xstrdup(in->obs_helo) : NULL;
		if (in->obs_client_ip != NULL && received_ip_norm(in->obs_client_ip, strlen(in->obs_client_ip), ip))
			r->from_ip = xstrdup(ip);
		r->by_host = in->obs_server != NULL ? xstrdup(in->obs_server) : NULL;
		if (in->obs_server_ip != NULL && received_ip_norm(in->obs_server_ip, strlen(in->obs_server_ip), ip))
			r->by_ip = xstrdup(ip);
	}
	r->protocol = xstrdup(in->obs_protocol != NULL ? in->obs_protocol : fetched ? "POP3/IMAP" : "SMTP");
	r->has_date = in->obs_us != 0;
	r->date_us = in->obs_us;
	r->zone_known = true;
	if (fetched)
		h->raw = xasprintf("fetched by %s from %s [%s] over %s (observed in the capture)",
		    in->obs_client_ip != NULL ? in->obs_client_ip : "?",
		    in->obs_server != NULL ? in->obs_server : "?",
		    in->obs_server_ip != NULL ? in->obs_server_ip : "?", r->protocol);
	else
		h->raw = xasprintf("%s session observed in the capture: HELO %s from %s to %s [%s]", r->protocol,
		    in->obs_helo != NULL ? in->obs_helo : "?", in->obs_client_ip != NULL ? in->obs_client_ip : "?",
		    in->obs_server != NULL ? in->obs_server : "?", in->obs_server_ip != NULL ? in->obs_server_ip : "?");
}

static bool
hops_time_break(const struct hop *lo, const struct hop *hi)
{
	if (!lo->r.has_date || !hi->r.has_date)
		return false;
	int64_t d = (hi->r.date_us - lo->r.date_us) / 1000000;
	return d < -HOPS_SKEW_S || d > HOPS_DELAY_MAX_S;
}

static bool
hops_public(const struct hop *h)
{
	return h->r.from_ip != NULL && received_ip_classify(h->r.from_ip) == RECEIVED_IP_PUBLIC;
}

void
hops_analyze(struct ingest_ctx *ctx, int64_t message_id, const struct hops_input *in)
{
	const char *src = ctx->evidence_path != NULL ? ctx->evidence_path : "";
	size_t nrec = in->nreceived, skip = 0, n, origin, start;
	struct hop *hops;
	struct buf rflags;
	char where[96];
	int64_t date_us = 0, date_delta = 0, obs_delta = 0;
	bool has_date = false, has_date_delta = false, has_obs_delta = false;

	if (nrec > HOPS_MAX) {
		skip = nrec - HOPS_MAX;   /* keep the newest: they are the ones that can be believed */
		snprintf(where, sizeof(where), "message %" PRId64, message_id);
		plog_add(ctx->log, PLOG_WARN, "hops.cap", src, where, "message %" PRId64 " has %zu"
		    " Received headers; the oldest %zu were not analysed (ceiling %d)", message_id, nrec,
		    skip, HOPS_MAX);
		nrec = HOPS_MAX;
	}
	n = nrec + (in->obs_kind != NULL ? 1 : 0);
	hops = xcalloc(n > 0 ? n : 1, sizeof(*hops));
	buf_init(&rflags, 4096);

	/* Origin first: the last Received field is the oldest hop. */
	for (size_t k = 0; k < nrec; k++) {
		size_t ri = nrec - 1 - k;   /* top-down index of this hop */
		const char *v = in->received[ri];
		size_t len = v != NULL ? strlen(v) : 0;
		struct hop *h = &hops[k];

		h->raw = xstrndup(v != NULL ? v : "", len > RECEIVED_MAX ? RECEIVED_MAX : len);
		snprintf(where, sizeof(where), "message %" PRId64 ", Received header %zu", message_id, ri + 1);
		if (len > RECEIVED_MAX)
			plog_add(ctx->log, PLOG_WARN, "hops.cap", src, where,
			    "Received header of %zu bytes is longer than the %d parsed; kept unparsed", len,
			    RECEIVED_MAX);
		received_parse(v != NULL ? v : "", len, &h->r);
		if (!h->r.parsed) {
			hop_flag(h, "unparseable");
			plog_add(ctx->log, PLOG_INFO, "hops.unparseable", src, where,
			    "Received header matches no known form; kept verbatim");
		}
	}
	if (in->obs_kind != NULL)
		hops_observed(&hops[n - 1], in);
	bool fetched = in->obs_kind != NULL && strcmp(in->obs_kind, "fetched") == 0;

	/* Per-hop checks. */
	for (size_t k = 0; k < n; k++) {
		struct hop *h = &hops[k];
		const struct received *r = &h->r;

		if (r->has_date && ctx->now_us != 0 && r->date_us > ctx->now_us + (int64_t)HOPS_SKEW_S * 1000000)
			hop_flag(h, "future");
		if (!h->observed && r->from_helo != NULL && r->from_rdns != NULL && r->from_helo[0] != '[' &&
		    !hops_same(r->from_helo, r->from_rdns))
			hop_flag(h, "helo-mismatch");
		if (k == 0)
			continue;
		struct hop *lo = &hops[k - 1];
		if (lo->r.has_date && r->has_date && !(fetched && h->observed)) {
			h->has_delay = true;
			h->delay_s = (r->date_us - lo->r.date_us) / 1000000;
			/* The lower hop is the one in doubt: the upper was written later,
			 * by a server closer to the evidence. */
			if (h->delay_s < -HOPS_SKEW_S)
				hop_flag(lo, "time-backwards");
			else if (h->delay_s > HOPS_DELAY_MAX_S)
				hop_flag(lo, "implausible-delay");
		}
		if (lo->r.parsed && r->parsed && !(fetched && h->observed) && hops_link(lo, h) == 0)
			hop_flag(lo, "broken-chain");
	}
	/* A private, loopback or reserved sender between hops from public
	 * addresses: the message was already on the internet there. */
	for (size_t k = 0; k < nrec; k++) {
		bool below = false, above = false;

		if (hops[k].r.from_ip == NULL || hops_public(&hops[k]))
			continue;
		for (size_t j = 0; j < k; j++)
			below |= hops_public(&hops[j]);
		for (size_t j = k + 1; j < nrec; j++)
			above |= hops_public(&hops[j]);
		if (below && above)
			hop_flag(&hops[k], "private-ip");
	}

	/* Trust, top-down. */
	start = n > 0 ? n - 1 : 0;
	if (in->ntrusted > 0 && n > 0) {
		bool found = false;

		for (size_t k = n; k-- > 0 && !found;)
			for (size_t t = 0; t < in->ntrusted; t++)
				if (hops_in_domain(hops[k].r.by_host, in->trusted_domains[t])) {
					start = k;
					found = true;
					break;
				}
		if (!found)
			route_flag(&rflags, "no-trusted-hop");
	}
	origin = start;
	while (n > 0 && origin > 0) {
		struct hop *lo = &hops[origin - 1], *hi = &hops[origin];

		/* A fetch happens any time after delivery, by another server. */
		bool fetch = fetched && hi->observed;

		if (!lo->r.parsed || !hi->r.parsed || (!fetch && hops_time_break(lo, hi)) ||
		    (!fetch && hops_link(lo, hi) == 0))
			break;
		origin--;
	}
	for (size_t k = 0; k < n; k++)
		hops[k].trust = k > origin ? "trusted" : k == origin ? "origin" : "unverifiable";

	/* The likely origin: the origin hop's sender, or the host that wrote
	 * it when it names no sender (local submission). */
	char *ohost = NULL, *oip = NULL;
	if (n > 0 && hops[origin].r.parsed) {
		const struct received *r = &hops[origin].r;

		if (hops_has_sender(&hops[origin])) {
			const char *h = r->from_rdns != NULL ? r->from_rdns : r->from_helo;
			ohost = h != NULL ? xstrdup(h) : NULL;
			oip = r->from_ip != NULL ? xstrdup(r->from_ip) : NULL;
		} else {
			ohost = r->by_host != NULL ? xstrdup(r->by_host) : NULL;
			oip = r->by_ip != NULL ? xstrdup(r->by_ip) : NULL;
		}
	}

	/* The Date header against the origin hop (RFC 5322 section 3.6.1: the
	 * time the author sent it) and against the capture. */
	if (in->date != NULL)
		has_date = maildate_parse(in->date, strnlen(in->date, 1024), &date_us, NULL);
	if (has_date && n > 0 && !hops[origin].observed && hops[origin].r.has_date) {
		date_delta = (date_us - hops[origin].r.date_us) / 1000000;
		has_date_delta = true;
		if (date_delta > HOPS_DATE_FAR_S || date_delta < -HOPS_DATE_FAR_S)
			route_flag(&rflags, "date-far");
	}
	if (in->obs_kind != NULL && !fetched) {
		struct hop *obs = &hops[n - 1];

		if (has_date && in->obs_us != 0) {
			obs_delta = (in->obs_us - date_us) / 1000000;
			has_obs_delta = true;
			route_flag(&rflags, obs_delta <= HOPS_OBS_NEAR_S && obs_delta >= -HOPS_OBS_NEAR_S ?
			    "obs-date-consistent" : "obs-date-far");
			if (obs_delta > HOPS_OBS_NEAR_S || obs_delta < -HOPS_OBS_NEAR_S)
				hop_flag(obs, "date-far");
		}
		if (nrec > 0 && hops_link(&hops[nrec - 1], obs) == 0)
			route_flag(&rflags, "obs-sender-mismatch");
	}

	/* Message-ID, Return-Path and From domains (RFC 5322 sections 3.6.2,
	 * 3.6.4, 3.6.7). A Message-ID right side without a dot names a machine,
	 * not a domain (Outlook Express writes "@annlaptop"), and is left out. */
	char *mid_d = hops_addr_domain(in->message_id);
	char *from_d = hops_addr_domain(in->from);
	char *rp_d = hops_addr_domain(in->return_path);
	{
		const char *ds[3] = { mid_d != NULL && strchr(mid_d, '.') ? mid_d : NULL, from_d, rp_d };
		bool differ = false;

		for (int a = 0; a < 3; a++)
			for (int b = a + 1; b < 3; b++)
				if (ds[a] != NULL && ds[b] != NULL && !hops_same(ds[a], ds[b]) &&
				    !hops_same_org(ds[a], ds[b]))
					differ = true;
		if (differ)
			route_flag(&rflags, "domains-differ");
	}
	char *xoip = NULL;
	if (in->x_originating_ip != NULL) {
		char ip[64];
		const char *p = in->x_originating_ip;
		size_t len;

		p += strspn(p, " \t[");
		len = strcspn(p, "] \t\r\n");
		xoip = received_ip_norm(p, len, ip) ? xstrdup(ip) : xstrndup(p, len > 255 ? 255 : len);
	}
	char *auth = hops_auth_verdicts(in->auth_results);

	/* One plain line (the report's Korean line is built from the fields). */
	char *sum, *tail = xstrdup("");
	size_t forged = n > 0 ? origin : 0;
	char ohost_ip[600];
	snprintf(ohost_ip, sizeof(ohost_ip), "%.255s%s%s%.63s%s", ohost != NULL ? ohost : "",
	    ohost != NULL && oip != NULL ? " " : "", oip != NULL ? "[" : "", oip != NULL ? oip : "",
	    oip != NULL ? "]" : "");
	if (has_obs_delta && obs_delta <= HOPS_OBS_NEAR_S && obs_delta >= -HOPS_OBS_NEAR_S) {
		char d[48];

		hops_duration(obs_delta < 0 ? -obs_delta : obs_delta, d, sizeof(d));
		free(tail);
		tail = xasprintf("; its Date header is %s %s the capture time (consistent)", d,
		    obs_delta >= 0 ? "before" : "after");
	}
	if (n == 0)
		sum = xstrdup("No Received headers: the route cannot be reconstructed");
	else if (ohost == NULL && oip == NULL)
		sum = xstrdup("The newest Received header cannot be read: the route cannot be verified");
	else if (hops[origin].observed)
		sum = xasprintf("Sent from %s to %s, as seen in the capture%s", ohost_ip,
		    hops[origin].r.by_host != NULL ? hops[origin].r.by_host : "?", tail);
	else if (forged == 0)
		sum = xasprintf("Likely origin %s; the chain of Received headers holds%s", ohost_ip, tail);
	else if (forged == 1)
		sum = xasprintf("Likely origin %s; the hop below it looks forged%s", ohost_ip, tail);
	else
		sum = xasprintf("Likely origin %s; the %zu hops below it look forged%s", ohost_ip, forged, tail);
	free(tail);

	hops_store(ctx, message_id, hops, n);
	{
		sqlite3_stmt *st = casedb_prepare(ctx->db,
		    "INSERT OR REPLACE INTO routes (message_id, origin_host, origin_ip, forged_hops, summary, flags,"
		    " origin_idx, date_delta_s, obs_delta_s, x_originating_ip, auth, mid_domain, from_domain,"
		    " rp_domain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

		sqlite3_bind_int64(st, 1, message_id);
		casedb_bind_text(st, 2, ohost);
		casedb_bind_text(st, 3, oip);
		sqlite3_bind_int64(st, 4, (int64_t)forged);
		casedb_bind_text(st, 5, sum);
		casedb_bind_text(st, 6, rflags.len > 0 ? buf_str(&rflags) : NULL);
		if (n > 0)
			sqlite3_bind_int64(st, 7, (int64_t)origin + 1);
		else
			sqlite3_bind_null(st, 7);
		if (has_date_delta)
			sqlite3_bind_int64(st, 8, date_delta);
		else
			sqlite3_bind_null(st, 8);
		if (has_obs_delta)
			sqlite3_bind_int64(st, 9, obs_delta);
		else
			sqlite3_bind_null(st, 9);
		casedb_bind_text(st, 10, xoip);
		casedb_bind_text(st, 11, auth);
		casedb_bind_text(st, 12, mid_d);
		casedb_bind_text(st, 13, from_d);
		casedb_bind_text(st, 14, rp_d);
		casedb_step_done(ctx->db, st);
		sqlite3_finalize(st);
	}

	free(sum);
	buf_free(&rflags);
	free(ohost);
	free(oip);
	free(mid_d);
	free(from_d);
	free(rp_d);
	free(xoip);
	free(auth);
	for (size_t k = 0; k < n; k++) {
		received_clear(&hops[k].r);
		free(hops[k].raw);
	}
	free(hops);
}
