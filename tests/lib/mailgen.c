/* mailgen.c - benchmark messages (see mailgen.h). */
#include "mailgen.h"
#include "docxgen.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string; generation failures end the tool ---- */
struct out {
	char *p;
	size_t len, cap;
	const char *nl;        /* "\n" or "\r\n" */
};

static void
out_add(struct out *o, const void *p, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		if (o->p == NULL) {
			fprintf(stderr, "mailgen: out of memory\n");
			exit(2);
		}
	}
	memcpy(o->p + o->len, p, n);
	o->len += n;
	o->p[o->len] = 0;
}

/* One line: the text, then the line end of the message's form. */
static void __attribute__((format(printf, 2, 3)))
out_line(struct out *o, const char *fmt, ...)
{
	char tmp[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		fprintf(stderr, "mailgen: line over %zu bytes\n", sizeof(tmp));
		exit(2);
	}
	out_add(o, tmp, (size_t)n);
	out_add(o, o->nl, strlen(o->nl));
}

/* ---- splitmix64: one seed per message, so message i never changes ---- */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
pick(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd(s) % n);
}

char *
mailgen_base64(const void *p, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	char *o = malloc((n + 2) / 3 * 4 + 1), *q = o;
	size_t i;

	if (o == NULL)
		exit(2);
	for (i = 0; i + 2 < n; i += 3) {
		*q++ = al[s[i] >> 2];
		*q++ = al[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		*q++ = al[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		*q++ = al[s[i + 2] & 63];
	}
	if (i < n) {
		*q++ = al[s[i] >> 2];
		if (i + 1 < n) {
			*q++ = al[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			*q++ = al[(s[i + 1] & 15) << 2];
		} else {
			*q++ = al[(s[i] & 3) << 4];
			*q++ = '=';
		}
		*q++ = '=';
	}
	*q = 0;
	return o;
}

/* RFC 2045 section 6.8: base64 body lines of 76 letters. */
static void
out_base64(struct out *o, const void *p, size_t n)
{
	char *b = mailgen_base64(p, n);
	size_t len = strlen(b), i;

	for (i = 0; i < len; i += 76) {
		out_add(o, b + i, len - i < 76 ? len - i : 76);
		out_add(o, o->nl, strlen(o->nl));
	}
	free(b);
}

static const char *const words[] = {
	"the", "quarterly", "figures", "are", "attached", "please", "review", "before",
	"meeting", "on", "thursday", "contract", "draft", "invoice", "shipment", "delayed",
	"budget", "approved", "customs", "clearance", "warehouse", "supplier", "payment",
	"transfer", "account", "confidential", "schedule", "regards", "thanks", "update",
	"project", "milestone", "legal", "counsel", "signature", "board", "minutes", "and",
	"of", "to", "in", "for", "with", "we", "will", "call", "you", "tomorrow",
};

static const char *const names[] = {
	"Alice Kim", "Bob Lee", "Carol Park", "Dave Choi", "Eve Jung", "Frank Han",
	"Grace Yoon", "Heidi Kang", "Ivan Lim", "Judy Song",
};

/* Korean phrases, UTF-8 and EUC-KR (KS X 1001), the same text. */
static const char *const ko_utf8[] = {
	"\xed\x9a\x8c\xec\x9d\x98 \xec\x9e\x90\xeb\xa3\x8c",
	"\xea\xb3\x84\xec\x95\xbd\xec\x84\x9c \xea\xb2\x80\xed\x86\xa0 \xec\x9a\x94\xec\xb2\xad",
};
static const char *const ko_euckr[] = {
	"\xc8\xb8\xc0\xc7 \xc0\xda\xb7\xe1",
	"\xb0\xe8\xbe\xe0\xbc\xad \xb0\xcb\xc5\xe4 \xbf\xe4\xc3\xbb",
};
static const char ko_body_euckr[] =
	"\xbe\xc8\xb3\xe7\xc7\xcf\xbc\xbc\xbf\xe4, \xba\xd0\xb1\xe2 \xba\xb8\xb0\xed"
	"\xbc\xad\xb8\xa6 \xc3\xb7\xba\xce\xc7\xd5\xb4\xcf\xb4\xd9.";

/* Words to about n bytes, in lines of at most 72; never a line that starts
 * with "From " (no mbox escaping needed) or "." (no dot-stuffing). */
static void
out_text(struct out *o, uint64_t *s, size_t n, unsigned long i)
{
	char line[128];
	size_t total = 0, ll = 0;

	while (total < n) {
		const char *w = words[pick(s, sizeof(words) / sizeof(words[0]))];
		size_t wl = strlen(w);

		if (ll + wl + 1 > 72) {
			out_add(o, line, ll);
			out_add(o, o->nl, strlen(o->nl));
			total += ll + 1;
			ll = 0;
			if (pick(s, 6) == 0) {
				out_add(o, o->nl, strlen(o->nl));
				total++;
			}
		}
		if (ll)
			line[ll++] = ' ';
		memcpy(line + ll, w, wl);
		ll += wl;
	}
	ll += (size_t)snprintf(line + ll, sizeof(line) - ll, " (ref %lu)", i);
	out_add(o, line, ll);
	out_add(o, o->nl, strlen(o->nl));
}

static void
out_html(struct out *o, uint64_t *s, size_t n, unsigned long i)
{
	out_line(o, "<html><head><meta charset=\"utf-8\"></head><body>");
	out_line(o, "<p style=\"font-family:Arial\">Dear colleague,</p><p>");
	out_text(o, s, n, i);
	out_line(o, "</p><p><a href=\"https://intranet.example.org/doc/%lu\">document</a></p>", i);
	out_line(o, "</body></html>");
}

static void
out_subject(struct out *o, uint64_t *s, unsigned long i, bool korean)
{
	unsigned k = korean ? 3 : pick(s, 6);
	const char *ko = ko_utf8[i % 2];
	char tmp[128], *b;

	switch (k) {
	case 0:
	case 1:
		out_line(o, "Subject: %s %s %lu", k ? "Re: project" : "Quarterly report",
		    words[pick(s, 20)], i);
		return;
	case 2: /* RFC 2047 section 4.1: B encoding of UTF-8 */
		snprintf(tmp, sizeof(tmp), "%s %lu", ko, i);
		b = mailgen_base64(tmp, strlen(tmp));
		out_line(o, "Subject: =?UTF-8?B?%s?=", b);
		free(b);
		return;
	case 3: /* the same in EUC-KR, as Korean clients still send */
		snprintf(tmp, sizeof(tmp), "%s %lu", ko_euckr[i % 2], i);
		b = mailgen_base64(tmp, strlen(tmp));
		out_line(o, "Subject: =?EUC-KR?B?%s?=", b);
		free(b);
		return;
	case 4: /* section 4.2: Q encoding, folded over two lines */
		out_line(o, "Subject: =?utf-8?Q?R=C3=A9union_pr=C3=A9vue_?=");
		out_line(o, " =?utf-8?Q?le_jeudi_n=C2=B0%lu?=", i);
		return;
	default:
		out_line(o, "Subject: FW: invoice %lu", i);
	}
}

/* Received fields, newest first (RFC 5321 section 4.4), each hop a few
 * seconds after the one below it. */
static void
out_received(struct out *o, uint64_t *s, unsigned long i, unsigned day, unsigned sec)
{
	unsigned hops = 2 + pick(s, 4), h;

	for (h = 0; h < hops; h++) {
		unsigned t = sec + (hops - h) * 3;
		out_line(o, "Received: from mta%u.relay%u.example.net (mta%u.relay%u.example.net"
		    " [198.51.%u.%u])", h, (unsigned)(i % 50), h, (unsigned)(i % 50), h + 100,
		    (unsigned)(i % 250) + 1);
		out_line(o, "\tby %s with ESMTPS id %08lx%02u", h == 0 ? "mx.example.org" :
		    "relay.example.net", i, h);
		out_line(o, "\tfor <bob@example.org>; %02u Nov 2023 %02u:%02u:%02u +0000",
		    1 + day % 28, t / 3600 % 24, t / 60 % 60, t % 60);
	}
}

static void
out_headers(struct out *o, uint64_t *s, unsigned long i, bool korean)
{
	unsigned day = (unsigned)(i / 700), sec = (unsigned)(i * 123 % 86000);
	unsigned f = pick(s, 10), t = pick(s, 10);

	out_received(o, s, i, day, sec);
	out_line(o, "From: \"%s\" <%.5s%lu@example.net>", names[f], names[f], i % 97);
	out_line(o, "To: \"%s\" <bob@example.org>", names[t]);
	if (pick(s, 3) == 0)
		out_line(o, "Cc: carol@example.org, \"Legal\" <legal@example.org>");
	out_subject(o, s, i, korean);
	out_line(o, "Date: %s, %02u Nov 2023 %02u:%02u:%02u +0900",
	    (const char *[]){ "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" }[day % 7],
	    1 + day % 28, sec / 3600 % 24, sec / 60 % 60, sec % 60);
	out_line(o, "Message-ID: <%lu.%08x@mail.example.net>", i, (unsigned)(rnd(s) >> 32));
	out_line(o, "MIME-Version: 1.0");
}

/* An attachment part: kind 0 docx, 1 xlsx, 2 PDF-like binary, 3 PNG. */
static void
out_attachment(struct out *o, uint64_t *s, unsigned long i, unsigned kind, bool large)
{
	static const char *const type[] = {
		"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"application/pdf", "image/png",
	};
	static const char *const ext[] = { "docx", "xlsx", "pdf", "png" };
	char text[512], *blob = NULL;
	size_t len = 0;

	snprintf(text, sizeof(text), "Contract %lu for %s, amount %u", i,
	    names[pick(s, 10)], (unsigned)pick(s, 100000));
	if (kind == 0 || kind == 1) {
		struct docxgen *g = docxgen_new();
		char body[1024], core[256];
		snprintf(core, sizeof(core), "<dc:creator>%s</dc:creator><dc:title>%lu</dc:title>",
		    names[i % 10], i);
		if (kind == 0) {
			snprintf(body, sizeof(body), "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", text);
			docxgen_docx(g, body, NULL);
		} else {
			const char *sheet = "Sheet1";
			const char *cells = body;
			snprintf(body, sizeof(body), "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s"
			    "</t></is></c><c r=\"B1\"><v>%lu</v></c></row>", text, i);
			docxgen_xlsx(g, &sheet, &cells, 1, NULL);
		}
		docxgen_props(g, core, NULL);
		blob = docxgen_finish(g, &len);
	} else if (kind == 2) {
		size_t k;
		len = (large ? 20000 + pick(s, 80000) : 3000 + pick(s, 9000));
		blob = malloc(len);
		if (blob == NULL)
			exit(2);
		for (k = 0; k < len; k++)
			blob[k] = (char)(rnd(s) & 0xff);
		memcpy(blob, "%PDF-1.4\n", 9);
	} else {
		size_t pl;
		const unsigned char *png = docxgen_png(&pl);
		blob = malloc(pl);
		if (blob == NULL)
			exit(2);
		memcpy(blob, png, pl);
		len = pl;
	}
	out_line(o, "Content-Type: %s; name=\"doc%lu.%s\"", type[kind], i, ext[kind]);
	out_line(o, "Content-Transfer-Encoding: base64");
	out_line(o, "Content-Disposition: attachment; filename=\"doc%lu.%s\"", i, ext[kind]);
	out_line(o, "%s", "");
	out_base64(o, blob, len);
	free(blob);
}

static void
out_alternative(struct out *o, uint64_t *s, unsigned long i, size_t n)
{
	out_line(o, "Content-Type: multipart/alternative; boundary=\"alt-%lu\"", i);
	out_line(o, "%s", "");
	out_line(o, "--alt-%lu", i);
	out_line(o, "Content-Type: text/plain; charset=utf-8");
	out_line(o, "%s", "");
	out_text(o, s, n, i);
	out_line(o, "--alt-%lu", i);
	out_line(o, "Content-Type: text/html; charset=utf-8");
	out_line(o, "%s", "");
	out_html(o, s, n, i);
	out_line(o, "--alt-%lu--", i);
}

/* The shape of message i: 0 text, 1 HTML, 2 alternative, 3 attachments,
 * 4 forwarded message, 5 Korean (EUC-KR). */
static unsigned
mailgen_shape(uint64_t *s, unsigned flags)
{
	unsigned r = pick(s, 100);

	if (flags & MAILGEN_ATTACH)
		return r < 85 ? 3 : 4;
	return r < 35 ? 0 : r < 45 ? 1 : r < 65 ? 2 : r < 85 ? 3 : r < 90 ? 4 : 5;
}

static void
out_body(struct out *o, uint64_t *s, unsigned long i, unsigned shape, unsigned flags)
{
	size_t n = 400 + pick(s, 3500);
	unsigned a, na = 1 + (unsigned)(i % 2);

	switch (shape) {
	case 0:
		out_line(o, "Content-Type: text/plain; charset=utf-8");
		out_line(o, "%s", "");
		out_text(o, s, n, i);
		return;
	case 1:
		out_line(o, "Content-Type: text/html; charset=utf-8");
		out_line(o, "%s", "");
		out_html(o, s, n, i);
		return;
	case 2:
		out_alternative(o, s, i, n);
		return;
	case 5:
		out_line(o, "Content-Type: text/plain; charset=euc-kr");
		out_line(o, "Content-Transfer-Encoding: base64");
		out_line(o, "%s", "");
		out_base64(o, ko_body_euckr, sizeof(ko_body_euckr) - 1);
		return;
	}
	out_line(o, "Content-Type: multipart/mixed; boundary=\"mix-%lu\"", i);
	out_line(o, "%s", "");
	out_line(o, "--mix-%lu", i);
	if (shape == 3) {
		out_alternative(o, s, i, n);
		for (a = 0; a < na; a++) {
			out_line(o, "--mix-%lu", i);
			out_attachment(o, s, i, (unsigned)pick(s, 4), (flags & MAILGEN_ATTACH) != 0);
		}
	} else {
		uint64_t inner = rnd(s);
		out_line(o, "Content-Type: text/plain; charset=utf-8");
		out_line(o, "%s", "");
		out_line(o, "Forwarding the message below.");
		out_line(o, "--mix-%lu", i);
		out_line(o, "Content-Type: message/rfc822");
		out_line(o, "Content-Disposition: attachment; filename=\"forwarded%lu.eml\"", i);
		out_line(o, "%s", "");
		out_headers(o, &inner, i + 1000000, false);
		out_line(o, "Content-Type: multipart/mixed; boundary=\"fwd-%lu\"", i);
		out_line(o, "%s", "");
		out_line(o, "--fwd-%lu", i);
		out_line(o, "Content-Type: text/plain; charset=utf-8");
		out_line(o, "%s", "");
		out_text(o, &inner, n / 2, i);
		out_line(o, "--fwd-%lu", i);
		out_attachment(o, &inner, i, 0, false);
		out_line(o, "--fwd-%lu--", i);
	}
	out_line(o, "--mix-%lu--", i);
}

char *
mailgen_message(unsigned long i, unsigned flags, size_t *len)
{
	struct out o = { .nl = (flags & MAILGEN_CRLF) ? "\r\n" : "\n" };
	uint64_t s = 0x6d61696c67656eULL ^ i;
	unsigned shape = mailgen_shape(&s, flags);

	out_headers(&o, &s, i, shape == 5);
	out_body(&o, &s, i, shape, flags);
	*len = o.len;
	return o.p;
}
