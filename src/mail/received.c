/* received.c - a Received header field into its parts.
 *
 * RFC 5321 section 4.4 gives the trace grammar ("from" domain TCP-info,
 * "by", "via", "with", "id", "for", then ";" date-time); RFC 5322 section
 * 3.6.7 keeps it loose and real MTAs use that room. The field is cut into
 * tokens (words, nested comments, [address literals], <angle addresses>,
 * ";"), the clauses are read from the words, and each MTA's habit of putting
 * the sender's names and address inside comments is read from the comments.
 * All reads are bounded by the token offsets; nothing runs past len. */
#include "mail/received.h"
#include "mail/maildate.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RECEIVED_TOKENS 160
#define RECEIVED_DEPTH 32

enum rtok_kind { RT_WORD, RT_COMMENT, RT_LITERAL, RT_ANGLE, RT_SEMI };

struct rtok {
	enum rtok_kind k;
	size_t off;     /* content, without the delimiters */
	size_t n;
	size_t end;     /* offset just past the token */
};

struct rtoks {
	const char *s;
	struct rtok t[RECEIVED_TOKENS];
	size_t n;
};

static bool
rcv_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Tokens of s[off..len). A comment runs to its matching ")" (RFC 5322
 * section 3.2.2: comments nest, "\" quotes the next character); an unclosed
 * one runs to the end. */
static void
rcv_tokenize(const char *s, size_t off, size_t len, struct rtoks *out)
{
	size_t i = off;

	out->s = s;
	out->n = 0;
	while (i < len && out->n < RECEIVED_TOKENS) {
		struct rtok *t = &out->t[out->n];
		char c = s[i];

		if (rcv_space(c)) {
			i++;
			continue;
		}
		if (c == '(') {
			size_t depth = 1, j = i + 1;

			while (j < len) {
				if (s[j] == '\\' && j + 1 < len) {
					j += 2;
					continue;
				}
				if (s[j] == '(' && depth < RECEIVED_DEPTH)
					depth++;
				else if (s[j] == ')' && --depth == 0)
					break;
				j++;
			}
			t->k = RT_COMMENT;
			t->off = i + 1;
			t->n = j - (i + 1);
			t->end = j < len ? j + 1 : len;
		} else if (c == '[' || c == '<') {
			char close = c == '[' ? ']' : '>';
			size_t j = i + 1;

			while (j < len && s[j] != close)
				j++;
			t->k = c == '[' ? RT_LITERAL : RT_ANGLE;
			t->off = i + 1;
			t->n = j - (i + 1);
			t->end = j < len ? j + 1 : len;
		} else if (c == ';') {
			t->k = RT_SEMI;
			t->off = i;
			t->n = 1;
			t->end = i + 1;
		} else {
			size_t j = i;

			while (j < len && !rcv_space(s[j]) && s[j] != '(' && s[j] != '[' &&
			    s[j] != ';' && s[j] != '<')
				j++;
			t->k = RT_WORD;
			t->off = i;
			t->n = j - i;
			t->end = j;
		}
		i = t->end;
		out->n++;
	}
}

static bool
rcv_is(const struct rtoks *ts, size_t i, const char *word)
{
	const struct rtok *t = &ts->t[i];

	return t->k == RT_WORD && t->n == strlen(word) &&
	    strncasecmp(ts->s + t->off, word, t->n) == 0;
}

static bool
rcv_prefix(const char *p, size_t n, const char *pre)
{
	size_t m = strlen(pre);

	return n >= m && strncasecmp(p, pre, m) == 0;
}

static char *
rcv_dup(const char *p, size_t n)
{
	while (n > 0 && rcv_space(p[n - 1]))
		n--;
	while (n > 0 && rcv_space(*p)) {
		p++;
		n--;
	}
	return xstrndup(p, n);
}

/* Sets *dst to a copy unless it is already set. */
static void
rcv_set(char **dst, const char *p, size_t n)
{
	if (*dst == NULL && n > 0)
		*dst = rcv_dup(p, n);
}

static void
rcv_set_host(char **dst, const char *p, size_t n)
{
	while (n > 1 && p[n - 1] == '.')   /* the root label: "mx.google.com." */
		n--;
	rcv_set(dst, p, n);
}

bool
received_ip_norm(const char *s, size_t n, char out[64])
{
	char b[64];
	unsigned char a[16];
	size_t colons = 0;

	if (n >= 5 && strncasecmp(s, "IPv6:", 5) == 0) {
		s += 5;
		n -= 5;
	}
	if (n == 0 || n >= sizeof(b) || memchr(s, '\0', n) != NULL)
		return false;
	memcpy(b, s, n);
	b[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (b[i] == '%') {           /* zone index, RFC 4007 section 11 */
			b[i] = '\0';
			break;
		}
		colons += b[i] == ':';
	}
	char *colon = strchr(b, ':');
	if (colons == 1 && colon != NULL && strchr(b, '.') != NULL)
		*colon = '\0';              /* "1.2.3.4:25" */
	if (inet_pton(AF_INET, b, a) == 1)
		return inet_ntop(AF_INET, a, out, 64) != NULL;
	if (inet_pton(AF_INET6, b, a) != 1)
		return false;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(a, mapped, 12) == 0)
		return inet_ntop(AF_INET, a + 12, out, 64) != NULL;
	return inet_ntop(AF_INET6, a, out, 64) != NULL;
}

enum received_ip_class
received_ip_classify(const char *ip)
{
	unsigned char a[16];

	if (ip == NULL)
		return RECEIVED_IP_RESERVED;
	if (inet_pton(AF_INET, ip, a) == 1) {
		/* RFC 6890 special-purpose registry. */
		if (a[0] == 127)
			return RECEIVED_IP_LOOPBACK;
		if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 100 && (a[1] & 0xc0) == 64))
			return RECEIVED_IP_PRIVATE;
		if (a[0] == 0 || (a[0] == 169 && a[1] == 254) || (a[0] == 192 && a[1] == 0 && a[2] <= 2) ||
		    (a[0] == 198 && (a[1] & 0xfe) == 18) || (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
		    (a[0] == 203 && a[1] == 0 && a[2] == 113) || a[0] >= 224)
			return RECEIVED_IP_RESERVED;
		return RECEIVED_IP_PUBLIC;
	}
	if (inet_pton(AF_INET6, ip, a) != 1)
		return RECEIVED_IP_RESERVED;
	static const unsigned char zero[15] = { 0 };
	if (memcmp(a, zero, 15) == 0)
		return a[15] == 1 ? RECEIVED_IP_LOOPBACK : RECEIVED_IP_RESERVED;
	if ((a[0] & 0xfe) == 0xfc)
		return RECEIVED_IP_PRIVATE;
	if ((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff ||
	    (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8))
		return RECEIVED_IP_RESERVED;
	return RECEIVED_IP_PUBLIC;
}

static bool
rcv_ip_tok(const struct rtoks *ts, const struct rtok *t, char out[64])
{
	if (t->k != RT_WORD && t->k != RT_LITERAL)
		return false;
	return received_ip_norm(ts->s + t->off, t->n, out);
}

/* A host name as MTAs write it: letters, digits, "-", "_", "." with at
 * least one dot (or "localhost"), and not an address. */
static bool
rcv_hostlike(const char *p, size_t n)
{
	bool dot = false, alpha = false;
	char ip[64];

	if (n == 0 || n > 255)
		return false;
	if (n == 9 && strncasecmp(p, "localhost", 9) == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '.')
			dot = true;
		else if (isalpha(c))
			alpha = true;
		else if (!isdigit(c) && c != '-' && c != '_')
			return false;
	}
	return dot && alpha && !received_ip_norm(p, n, ip);
}

/* "8.11.6/8.11.6", "8.8.5", "8.14.4/8.14.4/Submit": sendmail's version
 * comment (the binary's version, then the configuration's). */
static bool
rcv_sendmail_version(const char *p, size_t n, size_t *vlen)
{
	size_t i = 0, dots = 0;

	while (i < n && p[i] != '/') {
		if (p[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)p[i]))
			return false;
		i++;
	}
	if (dots != 2 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[i - 1]))
		return false;
	*vlen = i;
	return true;
}

/* Software and TLS details stated in a comment. */
static void
rcv_comment(struct received *r, const char *p, size_t n, bool in_by)
{
	struct rtoks sub;
	const char *w0 = NULL, *w1 = NULL;
	size_t n0 = 0, n1 = 0, vlen;

	rcv_tokenize(p, 0, n, &sub);
	if (sub.n > 0 && sub.t[0].k == RT_WORD) {
		w0 = p + sub.t[0].off;
		n0 = sub.t[0].n;
		if (sub.n > 1 && sub.t[1].k == RT_WORD) {
			w1 = p + sub.t[1].off;
			n1 = sub.t[1].n;
		}
	}
	if (w0 != NULL && r->software == NULL) {
		char *v = w1 != NULL && (isdigit((unsigned char)w1[0]) ||
		    (n1 > 1 && w1[0] == 'v' && isdigit((unsigned char)w1[1]))) ? xstrndup(w1, n1) : NULL;
		const char *name = NULL;

		if (rcv_prefix(w0, n0, "Postfix"))
			name = "Postfix";
		else if (n0 == 4 && strncasecmp(w0, "Exim", 4) == 0)
			name = "Exim";
		else if (n0 == 8 && strncasecmp(w0, "sendmail", 8) == 0)
			name = "sendmail";
		else if (rcv_prefix(w0, n0, "qmail"))
			name = "qmail";
		else if (rcv_prefix(w0, n0, "Dovecot"))
			name = "Dovecot";
		else if (rcv_prefix(w0, n0, "Cyrus"))
			name = "Cyrus";
		else if (rcv_prefix(w0, n0, "Courier"))
			name = "Courier";
		if (name != NULL && (strcmp(name, "Postfix") == 0 || strcmp(name, "qmail") == 0)) {
			free(v);
			v = NULL;
		}
		if (name != NULL)
			r->software = v != NULL ? xasprintf("%s %s", name, v) : xstrdup(name);
		else if (in_by && sub.n == 1 && rcv_sendmail_version(w0, n0, &vlen))
			r->software = xasprintf("sendmail %.*s", (int)vlen, w0);
		free(v);
	}
	/* TLS: Postfix "(using TLSv1.3 with cipher ...)", Gmail and Exchange
	 * "(version=TLS1_2 cipher=...)", Exim "(TLS1.2)", Exchange "(TLS)",
	 * Courier "(AUTH: ..., TLS: TLSv1/SSLv3,256bits,AES256-SHA)". */
	if (w0 != NULL && r->tls == NULL) {
		const char *c;

		if (rcv_prefix(w0, n0, "using") && w1 != NULL)
			r->tls = rcv_dup(w1, (size_t)(p + n - w1));
		else if (rcv_prefix(w0, n0, "version="))
			r->tls = rcv_dup(w0, (size_t)(p + n - w0));
		else if ((rcv_prefix(w0, n0, "TLS") || rcv_prefix(w0, n0, "SSL")) && sub.n <= 3)
			r->tls = rcv_dup(w0, (size_t)(p + n - w0));
		else if ((c = memmem(p, n, "TLS: ", 5)) != NULL)
			r->tls = rcv_dup(c + 5, (size_t)(p + n - (c + 5)));
	}
	/* Exim and Dovecot: "(envelope-from <a@b>)". */
	if (w0 != NULL && rcv_prefix(w0, n0, "envelope-from")) {
		for (size_t i = 1; i < sub.n; i++)
			if (sub.t[i].k == RT_ANGLE || sub.t[i].k == RT_WORD) {
				rcv_set(&r->envelope_from, p + sub.t[i].off, sub.t[i].n);
				break;
			}
	}
}

/* The from clause, tokens [a, b): the first word is the HELO name unless a
 * comment gives the HELO (qmail and Yahoo "(HELO x)", Exim "helo=x"), in
 * which case the first word is the reverse-DNS name. The address comes from
 * the comments and literals ("(rdns [ip])", "([ip])", "(ip)"). */
static void
rcv_from(struct received *r, const struct rtoks *ts, size_t a, size_t b)
{
	const char *s = ts->s;
	char ip[64];
	char *helo = NULL, *rdns = NULL, *addr = NULL;
	bool first_comment = true;

	for (size_t i = a + 1; i < b; i++) {
		const struct rtok *t = &ts->t[i];

		if (i > a + 1 && t->k == RT_LITERAL && addr == NULL && rcv_ip_tok(ts, t, ip))
			addr = xstrdup(ip);
		if (t->k != RT_COMMENT)
			continue;
		struct rtoks sub;

		rcv_tokenize(s + t->off, 0, t->n, &sub);
		for (size_t j = 0; j < sub.n; j++) {
			const struct rtok *u = &sub.t[j];
			const char *p = sub.s + u->off;

			if (u->k == RT_WORD && (rcv_is(&sub, j, "HELO") || rcv_is(&sub, j, "EHLO")) &&
			    j + 1 < sub.n) {
				const struct rtok *h = &sub.t[j + 1];

				if (helo == NULL)
					helo = h->k == RT_LITERAL ? xasprintf("[%.*s]", (int)h->n, sub.s + h->off) :
					    rcv_dup(sub.s + h->off, h->n);
				j++;
			} else if (u->k == RT_WORD && rcv_prefix(p, u->n, "helo=")) {
				if (u->n > 5)
					rcv_set(&helo, p + 5, u->n - 5);
				else if (j + 1 < sub.n && sub.t[j + 1].k == RT_LITERAL) {
					if (helo == NULL)
						helo = xasprintf("[%.*s]", (int)sub.t[j + 1].n, sub.s + sub.t[j + 1].off);
					j++;
				}
			} else if (rcv_ip_tok(&sub, u, ip)) {
				if (addr == NULL)
					addr = xstrdup(ip);
			} else if (j == 0 && first_comment && u->k == RT_WORD) {
				const char *at = memchr(p, '@', u->n);   /* sendmail ident "user@host" */
				size_t n = u->n;

				if (at != NULL) {
					n -= (size_t)(at + 1 - p);
					p = at + 1;
				}
				while (n > 1 && p[n - 1] == '.')
					n--;
				if (rcv_hostlike(p, n))
					rcv_set(&rdns, p, n);
			}
		}
		rcv_comment(r, s + t->off, t->n, false);
		first_comment = false;
	}
	if (a + 1 < b) {
		const struct rtok *f = &ts->t[a + 1];
		bool isip = rcv_ip_tok(ts, f, ip);

		if (helo != NULL) {
			if (f->k == RT_WORD && !isip && !(f->n == 7 && strncasecmp(s + f->off, "unknown", 7) == 0))
				rcv_set_host(&rdns, s + f->off, f->n);
		} else if (f->k == RT_LITERAL) {
			helo = xasprintf("[%.*s]", (int)f->n, s + f->off);
		} else if (f->k == RT_WORD) {
			helo = rcv_dup(s + f->off, f->n);
		}
		if (addr == NULL && isip)
			addr = xstrdup(ip);
	}
	if (rdns != NULL && strcasecmp(rdns, "unknown") == 0) {
		free(rdns);
		rdns = NULL;
	}
	r->from_helo = helo;
	r->from_rdns = rdns;
	r->from_ip = addr;
}

static void
rcv_by(struct received *r, const struct rtoks *ts, size_t a, size_t b)
{
	char ip[64];

	for (size_t i = a + 1; i < b; i++) {
		const struct rtok *t = &ts->t[i];

		if (i == a + 1 && (t->k == RT_WORD || t->k == RT_LITERAL)) {
			if (t->k == RT_LITERAL)
				r->by_host = xasprintf("[%.*s]", (int)t->n, ts->s + t->off);
			else
				rcv_set_host(&r->by_host, ts->s + t->off, t->n);
			if (rcv_ip_tok(ts, t, ip))
				rcv_set(&r->by_ip, ip, strlen(ip));
			continue;
		}
		if (t->k == RT_LITERAL && rcv_ip_tok(ts, t, ip))
			rcv_set(&r->by_ip, ip, strlen(ip));
		if (t->k != RT_COMMENT)
			continue;
		struct rtoks sub;

		rcv_tokenize(ts->s + t->off, 0, t->n, &sub);
		for (size_t j = 0; j < sub.n; j++)
			if (rcv_ip_tok(&sub, &sub.t[j], ip))
				rcv_set(&r->by_ip, ip, strlen(ip));
		rcv_comment(r, ts->s + t->off, t->n, true);
	}
}

/* Protocol names registered for the "with" clause (RFC 3848, RFC 6531
 * and the IANA Mail Transmission Types registry) are written upper case. */
static const char *const rcv_protocols[] = {
	"SMTP", "ESMTP", "ESMTPA", "ESMTPS", "ESMTPSA", "LMTP", "LMTPA", "LMTPS", "LMTPSA",
	"UTF8SMTP", "UTF8SMTPA", "UTF8SMTPS", "UTF8SMTPSA", "UTF8LMTP", "UTF8LMTPA", "UTF8LMTPS",
	"UTF8LMTPSA", "HTTP", "HTTPS", "SMTPS", "IMAP", "POP3", "MAPI",
};

static void
rcv_with(struct received *r, const struct rtoks *ts, size_t a, size_t b, bool *ms_smtp)
{
	const char *s = ts->s;

	for (size_t i = a + 1; i < b; i++) {
		const struct rtok *t = &ts->t[i];

		if (t->k == RT_COMMENT) {
			rcv_comment(r, s + t->off, t->n, false);
			continue;
		}
		if (t->k != RT_WORD)
			continue;
		if (i == a + 1 && rcv_is(ts, i, "Microsoft")) {
			/* "with Microsoft SMTPSVC(5.0.2195.5329)" (IIS SMTP) and
			 * "with Microsoft SMTP Server (TLS) id 15.1.2.3" (Exchange). */
			*ms_smtp = true;
			if (i + 1 < b && rcv_is(ts, i + 1, "SMTPSVC")) {
				const struct rtok *v = i + 2 < b ? &ts->t[i + 2] : NULL;

				if (r->software == NULL)
					r->software = v != NULL && v->k == RT_COMMENT ?
					    xasprintf("Microsoft SMTPSVC %.*s", (int)v->n, s + v->off) :
					    xstrdup("Microsoft SMTPSVC");
				i += v != NULL && v->k == RT_COMMENT ? 2 : 1;
			} else if (i + 2 < b && rcv_is(ts, i + 1, "SMTP") && rcv_is(ts, i + 2, "Server")) {
				if (r->software == NULL)
					r->software = xstrdup("Microsoft SMTP Server");
				i += 2;
			}
			continue;
		}
		if (i == a + 1 && r->protocol == NULL) {
			for (size_t k = 0; k < sizeof(rcv_protocols) / sizeof(rcv_protocols[0]); k++)
				if (rcv_is(ts, i, rcv_protocols[k])) {
					r->protocol = xstrdup(rcv_protocols[k]);
					break;
				}
			rcv_set(&r->protocol, s + t->off, t->n);
			continue;
		}
		/* Exim: "with esmtps (TLS1.2) tls TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384". */
		if (rcv_is(ts, i, "tls") && i + 1 < b && ts->t[i + 1].k == RT_WORD) {
			const struct rtok *c = &ts->t[i + 1];
			char *old = r->tls;

			r->tls = old != NULL ? xasprintf("%s %.*s", old, (int)c->n, s + c->off) :
			    rcv_dup(s + c->off, c->n);
			free(old);
			i++;
		}
	}
}

static size_t
rcv_clause(const struct rtoks *ts, size_t i)
{
	static const char *const kw[] = { "from", "by", "via", "with", "id", "for" };

	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		if (rcv_is(ts, i, kw[k]))
			return k + 1;
	return 0;
}

static bool
rcv_dotted_version(const char *s)
{
	size_t dots = 0;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	return dots >= 2;
}

static bool
rcv_host_in(const char *host, const char *domain)
{
	size_t hn, dn = strlen(domain);

	if (host == NULL)
		return false;
	hn = strlen(host);
	return hn >= dn && strcasecmp(host + hn - dn, domain) == 0 &&
	    (hn == dn || host[hn - dn - 1] == '.');
}

/* Dovecot's LMTP ids are 22 characters of base64 (a GUID). */
static bool
rcv_dovecot_id(const char *id)
{
	size_t n = id != NULL ? strlen(id) : 0;

	if (n != 22)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '+' && id[i] != '/')
			return false;
	return true;
}

void
received_parse(const char *s, size_t len, struct received *out)
{
	struct rtoks *ts;
	size_t last_semi = (size_t)-1, end;
	bool have_from = false, have_by = false, ms_smtp = false, courier_id = false;

	memset(out, 0, sizeof(*out));
	out->date_zone = MAILDATE_ZONE_NONE;
	if (len > RECEIVED_MAX)
		return;
	ts = xmalloc(sizeof(*ts));
	rcv_tokenize(s, 0, len, ts);
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].k == RT_SEMI)
			last_semi = i;
	end = ts->n;
	/* RFC 5321 section 4.4: the date-time follows the last ";". */
	if (last_semi != (size_t)-1) {
		size_t d0 = ts->t[last_semi].end, d1 = len;

		end = last_semi;
		/* Courier writes its queue id after the date: "; date\n id X". */
		for (size_t i = last_semi + 1; i + 1 < ts->n; i++)
			if (rcv_is(ts, i, "id") && ts->t[i + 1].k == RT_WORD) {
				d1 = ts->t[i].off;
				rcv_set(&out->id, s + ts->t[i + 1].off, ts->t[i + 1].n);
				courier_id = true;
				break;
			}
		struct maildate md;

		out->has_date = maildate_read(s + d0, d1 - d0, &md);
		if (out->has_date) {
			out->date_us = md.us;
			out->date_zone = md.zone;
			out->zone_known = md.zone == MAILDATE_ZONE_KNOWN;
		}
		if (d1 > d0)
			out->date_raw = rcv_dup(s + d0, d1 - d0);
		if (out->date_raw != NULL && out->date_raw[0] == '\0') {
			free(out->date_raw);
			out->date_raw = NULL;
		}
	}
	for (size_t i = 0; i < end;) {
		size_t kw = rcv_clause(ts, i), j = i + 1;

		if (kw == 0) {
			if (ts->t[i].k == RT_COMMENT)
				rcv_comment(out, s + ts->t[i].off, ts->t[i].n, false);
			i++;
			continue;
		}
		while (j < end && rcv_clause(ts, j) == 0 && ts->t[j].k != RT_SEMI)
			j++;
		switch (kw) {
		case 1:
			if (!have_from)
				rcv_from(out, ts, i, j);
			have_from = true;
			break;
		case 2:
			if (!have_by)
				rcv_by(out, ts, i, j);
			have_by = true;
			break;
		case 3: /* via: link type; Yahoo writes "via HTTP" */
			if (i + 1 < j && ts->t[i + 1].k == RT_WORD && out->protocol == NULL &&
			    !rcv_is(ts, i + 1, "TCP"))
				out->protocol = rcv_dup(s + ts->t[i + 1].off, ts->t[i + 1].n);
			for (size_t k = i + 1; k < j; k++)
				if (ts->t[k].k == RT_COMMENT)
					rcv_comment(out, s + ts->t[k].off, ts->t[k].n, false);
			break;
		case 4:
			rcv_with(out, ts, i, j, &ms_smtp);
			break;
		case 5:
		case 6:
			for (size_t k = i + 1; k < j; k++) {
				const struct rtok *t = &ts->t[k];

				if (t->k == RT_COMMENT) {
					rcv_comment(out, s + t->off, t->n, false);
				} else if (k == i + 1 && (t->k == RT_WORD || t->k == RT_ANGLE)) {
					if (kw == 5)
						rcv_set(&out->id, s + t->off, t->n);
					else
						rcv_set(&out->for_addr, s + t->off, t->n);
				}
			}
			break;
		}
		i = j;
	}
	if (out->protocol == NULL && ms_smtp)
		out->protocol = xstrdup("SMTP");
	/* Exchange states its build as the "id": "Microsoft SMTP Server id 14.3.123.3". */
	if (out->software != NULL && strcmp(out->software, "Microsoft SMTP Server") == 0 &&
	    out->id != NULL && rcv_dotted_version(out->id)) {
		char *v = xasprintf("Microsoft SMTP Server %s", out->id);

		free(out->software);
		out->software = v;
	}
	if (out->software == NULL) {
		const char *sw = NULL;

		if (courier_id)
			sw = "Courier";
		else if (out->protocol != NULL && strncasecmp(out->protocol, "LMTP", 4) == 0 &&
		    rcv_dovecot_id(out->id))
			sw = "Dovecot LMTP";
		else if (rcv_host_in(out->by_host, "google.com") || rcv_host_in(out->by_host, "gmail.com"))
			sw = "Google";
		else if (rcv_host_in(out->by_host, "yahoo.com") || rcv_host_in(out->by_host, "yahoodns.net"))
			sw = "Yahoo";
		else if (rcv_host_in(out->by_host, "aol.com"))
			sw = "AOL";
		else if (rcv_host_in(out->by_host, "outlook.com") || rcv_host_in(out->by_host, "hotmail.com"))
			sw = "Outlook.com";
		if (sw != NULL)
			out->software = xstrdup(sw);
	}
	out->parsed = have_from || have_by ||
	    (out->has_date && out->software != NULL && strcmp(out->software, "qmail") == 0);
	free(ts);
}

void
received_clear(struct received *r)
{
	free(r->from_helo);
	free(r->from_rdns);
	free(r->from_ip);
	free(r->by_host);
	free(r->by_ip);
	free(r->software);
	free(r->protocol);
	free(r->tls);
	free(r->id);
	free(r->for_addr);
	free(r->envelope_from);
	free(r->date_raw);
	memset(r, 0, sizeof(*r));
}
