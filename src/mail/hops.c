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
#include "mail/maildate.h"
#include "mail/received.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HOPS_XOIP_MAX 255   /* RFC 1035 section 2.3.4: the longest host name */

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
hops_has_sender(const struct route_hop *h)
{
	return h->r.from_helo != NULL || h->r.from_rdns != NULL || h->r.from_ip != NULL;
}

/* RFC 5321 section 4.4: the "by" of one hop is the host the next hop says
 * it came "from". 1 linked, 0 broken, -1 nothing to compare. */
static int
hops_link(const struct route_hop *lo, const struct route_hop *hi)
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

/* The observed hop: an SMTP session seen on the wire (client HELO and
 * address to the server that greeted it), or where a POP3/IMAP client
 * fetched the message from (the server is then the sender). */
static void
hops_observed(struct route_hop *h, const struct hops_input *in, bool fetched)
{
	struct received *r = &h->r;
	const char *from_host = fetched ? in->obs_server : in->obs_helo;
	const char *from_ip = fetched ? in->obs_server_ip : in->obs_client_ip;
	const char *by_host = fetched ? in->obs_helo : in->obs_server;
	const char *by_ip = fetched ? in->obs_client_ip : in->obs_server_ip;
	char ip[64];

	h->observed = true;
	r->parsed = true;
	r->from_helo = from_host != NULL ? xstrdup(from_host) : NULL;
	if (from_ip != NULL && received_ip_norm(from_ip, strlen(from_ip), ip))
		r->from_ip = xstrdup(ip);
	r->by_host = by_host != NULL ? xstrdup(by_host) : NULL;
	if (by_ip != NULL && received_ip_norm(by_ip, strlen(by_ip), ip))
		r->by_ip = xstrdup(ip);
	r->protocol = xstrdup(in->obs_protocol != NULL ? in->obs_protocol : fetched ? "POP3/IMAP" : "SMTP");
	r->has_date = in->obs_us != 0;
	r->date_us = in->obs_us;
	r->date_zone = r->has_date ? MAILDATE_ZONE_KNOWN : MAILDATE_ZONE_NONE;
	r->zone_known = r->has_date;
}

static bool
hops_time_break(const struct route_hop *lo, const struct route_hop *hi)
{
	if (!lo->r.has_date || !hi->r.has_date)
		return false;
	int64_t d = (hi->r.date_us - lo->r.date_us) / 1000000;
	return d < -HOPS_SKEW_S || d > HOPS_DELAY_MAX_S;
}

static bool
hops_public(const struct route_hop *h)
{
	return h->r.from_ip != NULL && received_ip_classify(h->r.from_ip) == RECEIVED_IP_PUBLIC;
}

/* Received fields into hops, origin first (the last field is the oldest
 * hop), keeping the newest HOPS_MAX. */
static void
hops_read(struct route *rt, const struct hops_input *in, struct plog *log, const char *src, const char *where)
{
	size_t nrec = in->nreceived;

	if (nrec > HOPS_MAX) {
		rt->skipped = nrec - HOPS_MAX;   /* keep the newest: they are the ones that can be believed */
		plog_add(log, PLOG_WARN, "hops.cap", src, where, "%s has %zu Received headers; the oldest %zu"
		    " were not analysed (ceiling %d)", where, nrec, rt->skipped, HOPS_MAX);
		nrec = HOPS_MAX;
	}
	rt->nreceived = nrec;
	rt->nhops = nrec + (rt->obs != ROUTE_OBS_NONE ? 1 : 0);
	rt->hops = xcalloc(rt->nhops > 0 ? rt->nhops : 1, sizeof(*rt->hops));
	for (size_t k = 0; k < nrec; k++) {
		size_t ri = nrec - 1 - k;   /* top-down index of this hop */
		const char *v = in->received[ri] != NULL ? in->received[ri] : "";
		size_t len = strlen(v);
		struct route_hop *h = &rt->hops[k];
		char *hw = xasprintf("%s, Received header %zu", where, ri + 1);

		h->header_no = ri + 1;
		h->raw = xstrndup(v, len > RECEIVED_MAX ? RECEIVED_MAX : len);
		if (len > RECEIVED_MAX)
			plog_add(log, PLOG_WARN, "hops.cap", src, hw, "Received header of %zu bytes is longer"
			    " than the %d parsed; kept unparsed", len, RECEIVED_MAX);
		received_parse(v, len, &h->r);
		if (!h->r.parsed) {
			h->flags |= ROUTE_HOP_UNPARSEABLE;
			plog_add(log, PLOG_INFO, "hops.unparseable", src, hw,
			    "Received header matches no known form; kept verbatim");
		}
		if (h->r.has_date && h->r.date_zone == MAILDATE_ZONE_UNKNOWN) {
			h->flags |= ROUTE_HOP_ZONE_UNKNOWN;
			plog_add(log, PLOG_WARN, "hops.zone", src, hw, "Received date names an unknown time"
			    " zone; its time is read as UTC");
		}
		free(hw);
	}
	if (rt->obs != ROUTE_OBS_NONE)
		hops_observed(&rt->hops[rt->nhops - 1], in, rt->obs == ROUTE_OBS_FETCHED);
}

/* Per-hop checks: dates, HELO names, the link to the next hop, and
 * private senders between public ones. */
static void
hops_check(struct route *rt, int64_t now_us)
{
	bool fetched = rt->obs == ROUTE_OBS_FETCHED;

	for (size_t k = 0; k < rt->nhops; k++) {
		struct route_hop *h = &rt->hops[k];
		const struct received *r = &h->r;

		if (r->has_date && now_us != 0 && r->date_us > now_us + (int64_t)HOPS_SKEW_S * 1000000)
			h->flags |= ROUTE_HOP_FUTURE;
		if (!h->observed && r->from_helo != NULL && r->from_rdns != NULL && r->from_helo[0] != '[' &&
		    !hops_same(r->from_helo, r->from_rdns))
			h->flags |= ROUTE_HOP_HELO_MISMATCH;
		if (k == 0)
			continue;
		struct route_hop *lo = &rt->hops[k - 1];
		/* A fetch happens any time after delivery, by another server. */
		bool fetch = fetched && h->observed;
		if (lo->r.has_date && r->has_date && !fetch) {
			h->has_delay = true;
			h->delay_s = (r->date_us - lo->r.date_us) / 1000000;
			/* The lower hop is the one in doubt: the upper was written later,
			 * by a server closer to the evidence. */
			if (h->delay_s < -HOPS_SKEW_S)
				lo->flags |= ROUTE_HOP_TIME_BACKWARDS;
			else if (h->delay_s > HOPS_DELAY_MAX_S)
				lo->flags |= ROUTE_HOP_IMPLAUSIBLE_DELAY;
		}
		if (lo->r.parsed && r->parsed && !fetch && hops_link(lo, h) == 0)
			lo->flags |= ROUTE_HOP_BROKEN_CHAIN;
	}
	/* A private, loopback or reserved sender between hops from public
	 * addresses: the message was already on the internet there. */
	for (size_t k = 0; k < rt->nreceived; k++) {
		bool below = false, above = false;

		if (rt->hops[k].r.from_ip == NULL || hops_public(&rt->hops[k]))
			continue;
		for (size_t j = 0; j < k; j++)
			below |= hops_public(&rt->hops[j]);
		for (size_t j = k + 1; j < rt->nreceived; j++)
			above |= hops_public(&rt->hops[j]);
		if (below && above)
			rt->hops[k].flags |= ROUTE_HOP_PRIVATE_IP;
	}
}

/* Trust, top-down from the newest hop (or the highest hop received by a
 * trusted domain of the case) while each hop links to the one below. */
static void
hops_trust(struct route *rt, const struct hops_input *in)
{
	size_t n = rt->nhops, start = n > 0 ? n - 1 : 0, origin;
	bool fetched = rt->obs == ROUTE_OBS_FETCHED;

	if (in->ntrusted > 0 && n > 0) {
		bool found = false;

		for (size_t k = n; k-- > 0 && !found;)
			for (size_t t = 0; t < in->ntrusted && !found; t++)
				if (hops_in_domain(rt->hops[k].r.by_host, in->trusted_domains[t])) {
					start = k;
					found = true;
				}
		if (!found)
			rt->flags |= ROUTE_NO_TRUSTED_HOP;
	}
	origin = start;
	while (n > 0 && origin > 0) {
		const struct route_hop *lo = &rt->hops[origin - 1], *hi = &rt->hops[origin];
		bool fetch = fetched && hi->observed;

		if (!lo->r.parsed || !hi->r.parsed || (!fetch && hops_time_break(lo, hi)) ||
		    (!fetch && hops_link(lo, hi) == 0))
			break;
		origin--;
	}
	for (size_t k = 0; k < n; k++)
		rt->hops[k].trust = k > origin ? ROUTE_TRUST_TRUSTED : k == origin ? ROUTE_TRUST_ORIGIN :
		    ROUTE_TRUST_UNVERIFIABLE;
	rt->origin = origin;
	rt->forged = n > 0 ? origin : 0;

	/* The likely origin: the origin hop's sender, or the host that wrote
	 * it when it names no sender (local submission). */
	if (n > 0 && rt->hops[origin].r.parsed) {
		const struct route_hop *o = &rt->hops[origin];
		const char *h, *ip;

		if (hops_has_sender(o)) {
			h = o->r.from_rdns != NULL ? o->r.from_rdns : o->r.from_helo;
			ip = o->r.from_ip;
		} else {
			h = o->r.by_host;
			ip = o->r.by_ip;
		}
		rt->origin_host = h != NULL ? xstrdup(h) : NULL;
		rt->origin_ip = ip != NULL ? xstrdup(ip) : NULL;
	}
}

/* The Date header against the origin hop (RFC 5322 section 3.6.1: the
 * time the author sent it) and against the capture. */
static void
hops_dates(struct route *rt, const struct hops_input *in, struct plog *log, const char *src, const char *where)
{
	struct maildate md;

	if (in->date != NULL && maildate_read(in->date, strnlen(in->date, 1024), &md)) {
		rt->has_date = true;
		rt->date_us = md.us;
		rt->date_zone = md.zone;
		if (md.zone == MAILDATE_ZONE_UNKNOWN) {
			rt->flags |= ROUTE_DATE_ZONE_UNKNOWN;
			plog_add(log, PLOG_WARN, "hops.zone", src, where, "Date header names an unknown time"
			    " zone; its time is read as UTC");
		}
	}
	if (rt->has_date && rt->nhops > 0 && !rt->hops[rt->origin].observed && rt->hops[rt->origin].r.has_date) {
		rt->date_delta_s = (rt->date_us - rt->hops[rt->origin].r.date_us) / 1000000;
		rt->has_date_delta = true;
		if (rt->date_delta_s > HOPS_DATE_FAR_S || rt->date_delta_s < -HOPS_DATE_FAR_S)
			rt->flags |= ROUTE_DATE_FAR;
	}
	if (rt->obs != ROUTE_OBS_SMTP)
		return;
	struct route_hop *obs = &rt->hops[rt->nhops - 1];
	if (rt->has_date && in->obs_us != 0) {
		bool near;

		rt->obs_delta_s = (in->obs_us - rt->date_us) / 1000000;
		rt->has_obs_delta = true;
		near = rt->obs_delta_s <= HOPS_OBS_NEAR_S && rt->obs_delta_s >= -HOPS_OBS_NEAR_S;
		rt->flags |= near ? ROUTE_OBS_DATE_CONSISTENT : ROUTE_OBS_DATE_FAR;
		if (!near)
			obs->flags |= ROUTE_HOP_DATE_FAR;
	}
	if (rt->nreceived > 0 && hops_link(&rt->hops[rt->nreceived - 1], obs) == 0)
		rt->flags |= ROUTE_OBS_SENDER_MISMATCH;
}

/* Message-ID, Return-Path and From domains (RFC 5322 sections 3.6.2,
 * 3.6.4, 3.6.7), X-Originating-IP and Authentication-Results. A
 * Message-ID right side without a dot names a machine, not a domain
 * (Outlook Express writes "@annlaptop"), and is left out of the check. */
static void
hops_headers(struct route *rt, const struct hops_input *in, struct plog *log, const char *src, const char *where)
{
	rt->mid_domain = hops_addr_domain(in->message_id);
	rt->from_domain = hops_addr_domain(in->from);
	rt->rp_domain = hops_addr_domain(in->return_path);
	const char *ds[3] = { rt->mid_domain != NULL && strchr(rt->mid_domain, '.') ? rt->mid_domain : NULL,
		rt->from_domain, rt->rp_domain };

	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (ds[a] != NULL && ds[b] != NULL && !hops_same(ds[a], ds[b]) && !hops_same_org(ds[a], ds[b]))
				rt->flags |= ROUTE_DOMAINS_DIFFER;
	if (in->x_originating_ip != NULL) {
		char ip[64];
		const char *p = in->x_originating_ip;
		size_t len;

		p += strspn(p, " \t[");
		len = strcspn(p, "] \t\r\n");
		if (received_ip_norm(p, len, ip))
			rt->x_originating_ip = xstrdup(ip);
		else {
			/* Not an address: kept as text, up to a host name's length. */
			rt->x_originating_ip = xstrndup(p, len > HOPS_XOIP_MAX ? HOPS_XOIP_MAX : len);
			if (len > HOPS_XOIP_MAX)
				plog_add(log, PLOG_WARN, "hops.cap", src, where, "X-Originating-IP of %zu bytes is"
				    " kept to its first %d", len, HOPS_XOIP_MAX);
		}
	}
	rt->auth = hops_auth_verdicts(in->auth_results);
}

struct route *
hops_route(const struct hops_input *in, struct plog *log, const char *source, const char *where)
{
	struct route *rt = xcalloc(1, sizeof(*rt));
	const char *src = source != NULL ? source : "", *w = where != NULL ? where : "";

	rt->date_zone = MAILDATE_ZONE_NONE;
	if (in->obs_kind != NULL)
		rt->obs = strcmp(in->obs_kind, "fetched") == 0 ? ROUTE_OBS_FETCHED : ROUTE_OBS_SMTP;
	hops_read(rt, in, log, src, w);
	hops_check(rt, in->now_us);
	hops_trust(rt, in);
	hops_dates(rt, in, log, src, w);
	hops_headers(rt, in, log, src, w);
	if (rt->nhops == 0)
		rt->verdict = ROUTE_VERDICT_NO_HOPS;
	else if (rt->origin_host == NULL && rt->origin_ip == NULL)
		rt->verdict = ROUTE_VERDICT_UNREADABLE;
	else if (rt->hops[rt->origin].observed)
		rt->verdict = ROUTE_VERDICT_OBSERVED;
	else
		rt->verdict = rt->forged == 0 ? ROUTE_VERDICT_HOLDS : ROUTE_VERDICT_FORGED;
	return rt;
}
