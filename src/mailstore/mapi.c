/* mapi.c - MAPI properties of a store item into a record, and the record
 * into the RFC 5322 message the pipeline reads (built with GMime). */
#include "mailstore/mapi.h"
#include "util/buf.h"
#include "util/rd.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <gmime/gmime.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct mapi_item *
mapi_item_new(void)
{
	return xcalloc(1, sizeof(struct mapi_item));
}

void
mapi_item_free(struct mapi_item *it)
{
	size_t i;

	if (it == NULL)
		return;
	for (i = 0; i < it->naddrs; i++) {
		free(it->addrs[i].name);
		free(it->addrs[i].addr);
		free(it->addrs[i].addrtype);
		free(it->addrs[i].smtp);
	}
	for (i = 0; i < it->natts; i++) {
		free(it->atts[i].name);
		free(it->atts[i].mime);
		free(it->atts[i].content_id);
		free(it->atts[i].data);
		mapi_item_free(it->atts[i].embedded);
	}
	free(it->addrs);
	free(it->atts);
	free(it->folder);
	free(it->msg_class);
	free(it->subject);
	free(it->message_id);
	free(it->in_reply_to);
	free(it->headers);
	free(it->body);
	free(it->html);
	free(it->rtf);
	free(it->notes);
	free(it);
}

void
mapi_item_note(struct mapi_item *it, const char *fmt, ...)
{
	va_list ap;
	char *s, *n;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	n = it->notes ? xasprintf("%s; %s", it->notes, s) : xstrdup(s);
	free(it->notes);
	free(s);
	it->notes = n;
}

bool
mapi_filetime_us(uint64_t ft, int64_t *us)
{
	/* 100 ns intervals from 1601-01-01 to 1970-01-01 */
	const uint64_t epoch = 116444736000000000ULL;

	if (ft == 0 || ft < epoch / 2 || ft > 2650467743990000000ULL)  /* ~ 1800 .. 9999 */
		return false;
	*us = (int64_t)(ft / 10) - (int64_t)(epoch / 10);
	return true;
}

static char *
mapi_str(const struct mapi_props *p, uint32_t id)
{
	char *s = NULL;

	if (p->str == NULL || !p->str(p->arg, id, &s))
		return NULL;
	if (s != NULL && s[0] == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

static void
mapi_addr_add(struct mapi_item *it, const char *role, char *name, char *addr, char *type,
    char *smtp)
{
	struct mapi_addr *a;

	if (name == NULL && addr == NULL && smtp == NULL) {
		free(type);
		return;
	}
	it->addrs = xreallocarray(it->addrs, it->naddrs + 1, sizeof(*it->addrs));
	a = &it->addrs[it->naddrs++];
	a->role = role;
	a->name = name;
	a->addr = addr;
	a->addrtype = type;
	a->smtp = smtp;
}

void
mapi_item_read(struct mapi_item *it, const struct mapi_props *p)
{
	static const uint32_t tid[MAPI_T_COUNT] = { MAPI_CLIENT_SUBMIT_TIME, MAPI_DELIVERY_TIME,
	    MAPI_CREATION_TIME, MAPI_LAST_MODIFICATION_TIME };
	size_t i;

	it->msg_class = mapi_str(p, MAPI_MESSAGE_CLASS);
	it->subject = mapi_str(p, MAPI_SUBJECT);
	/* [MS-OXCMSG] 2.2.1.46: a subject may begin with 0x01 and the length
	 * of its prefix ("FW: "), which is no part of the text. */
	if (it->subject && (unsigned char)it->subject[0] == 0x01 && it->subject[1] != 0)
		memmove(it->subject, it->subject + 2, strlen(it->subject + 2) + 1);
	it->message_id = mapi_str(p, MAPI_INTERNET_MESSAGE_ID);
	it->in_reply_to = mapi_str(p, MAPI_IN_REPLY_TO);
	it->headers = mapi_str(p, MAPI_TRANSPORT_HEADERS);
	it->body = mapi_str(p, MAPI_BODY);
	if (p->bin && !p->bin(p->arg, MAPI_HTML, &it->html, &it->html_len)) {
		it->html = NULL;
		it->html_len = 0;
	}
	for (i = 0; i < MAPI_T_COUNT; i++)
		it->has_time[i] = p->time && p->time(p->arg, tid[i], &it->times[i]);
	/* [MS-OXOMSG] 2.2.1.48-52 the sender, 2.2.1.53-57 the one it was sent
	 * for; both are kept (they differ when someone sends on behalf). */
	mapi_addr_add(it, "from", mapi_str(p, MAPI_SENT_REPR_NAME), mapi_str(p, MAPI_SENT_REPR_EMAIL),
	    mapi_str(p, MAPI_SENT_REPR_ADDRTYPE), mapi_str(p, MAPI_SENT_REPR_SMTP));
	mapi_addr_add(it, "sender", mapi_str(p, MAPI_SENDER_NAME), mapi_str(p, MAPI_SENDER_EMAIL),
	    mapi_str(p, MAPI_SENDER_ADDRTYPE), mapi_str(p, MAPI_SENDER_SMTP));
	/* [MS-OXOMSG] 2.2.1.37-39: the mailbox that received the message */
	mapi_addr_add(it, "received-by", mapi_str(p, MAPI_RECEIVED_BY_NAME),
	    mapi_str(p, MAPI_RECEIVED_BY_EMAIL), mapi_str(p, MAPI_RECEIVED_BY_ADDRTYPE), NULL);
}

void
mapi_item_add_recipient(struct mapi_item *it, const struct mapi_props *p)
{
	uint32_t type = 1;
	const char *role;

	/* [MS-OXOMSG] 2.2.3.1 PidTagRecipientType: 1 To, 2 Cc, 3 Bcc; the
	 * high bits are flags. */
	if (p->u32)
		(void)p->u32(p->arg, MAPI_RECIPIENT_TYPE, &type);
	switch (type & 0x0f) {
	case 2: role = "cc"; break;
	case 3: role = "bcc"; break;
	default: role = "to"; break;
	}
	mapi_addr_add(it, role, mapi_str(p, MAPI_DISPLAY_NAME), mapi_str(p, MAPI_EMAIL_ADDRESS),
	    mapi_str(p, MAPI_ADDRTYPE), mapi_str(p, MAPI_SMTP_ADDRESS));
}

struct mapi_attach *
mapi_item_add_attach(struct mapi_item *it, const struct mapi_props *p, void *data, size_t len,
    struct mapi_item *embedded)
{
	struct mapi_attach *a;

	it->atts = xreallocarray(it->atts, it->natts + 1, sizeof(*it->atts));
	a = &it->atts[it->natts++];
	memset(a, 0, sizeof(*a));
	a->name = mapi_str(p, MAPI_ATTACH_LONG_FILENAME);
	if (a->name == NULL)
		a->name = mapi_str(p, MAPI_ATTACH_FILENAME);
	if (a->name == NULL)
		a->name = mapi_str(p, MAPI_DISPLAY_NAME);
	a->mime = mapi_str(p, MAPI_ATTACH_MIME_TAG);
	a->content_id = mapi_str(p, MAPI_ATTACH_CONTENT_ID);
	a->data = data;
	a->len = len;
	a->embedded = embedded;
	return a;
}

/* ---- the reconstructed message ------------------------------------------ */

/* The address to write for a: the SMTP form, else the stored one when it
 * is an Internet address. NULL for an Exchange DN without an SMTP form. */
static const char *
mapi_addr_inet(const struct mapi_addr *a)
{
	if (a->smtp)
		return a->smtp;
	if (a->addr && strchr(a->addr, '@') && a->addr[0] != '/')
		return a->addr;
	return NULL;
}

static GMimeObject *
mapi_text_part(const char *subtype, const void *p, size_t len, const char *charset)
{
	GMimePart *part = g_mime_part_new_with_type("text", subtype);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(p, len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);

	if (charset)
		g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", charset);
	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_object_unref(w);
	g_object_unref(s);
	return GMIME_OBJECT(part);
}

static GMimeObject *
mapi_file_part(const char *type, const char *name, const void *p, size_t len, bool inline_)
{
	GMimeContentType *ct = g_mime_content_type_parse(NULL, type ? type : "application/octet-stream");
	GMimePart *part;
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(p ? p : "", len);
	GMimeDataWrapper *w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);

	if (ct == NULL || g_mime_content_type_get_media_type(ct) == NULL ||
	    strcasecmp(g_mime_content_type_get_media_type(ct), "multipart") == 0 ||
	    strcasecmp(g_mime_content_type_get_media_type(ct), "message") == 0) {
		if (ct)
			g_object_unref(ct);
		ct = g_mime_content_type_parse(NULL, "application/octet-stream");
	}
	part = g_mime_part_new_with_type(g_mime_content_type_get_media_type(ct),
	    g_mime_content_type_get_media_subtype(ct));
	g_object_unref(ct);
	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(part), inline_ ? "inline" : "attachment");
	if (name)
		g_mime_part_set_filename(part, name);
	g_object_unref(w);
	g_object_unref(s);
	return GMIME_OBJECT(part);
}

/* The text bodies: plain and HTML as multipart/alternative when both. The
 * HTML is the stored one, else the one an RTF body encapsulates. */
static GMimeObject *
mapi_texts(const struct mapi_item *it)
{
	GMimeObject *plain = NULL, *html = NULL;
	GMimeMultipart *alt;
	char *derived = NULL;
	size_t dlen = 0;

	if (it->body)
		plain = mapi_text_part("plain", it->body, strlen(it->body), "utf-8");
	if (it->html)
		html = mapi_text_part("html", it->html, it->html_len, NULL);
	else if (it->rtf && (derived = mapi_rtf_html(it->rtf, it->rtf_len, &dlen)) != NULL)
		html = mapi_text_part("html", derived, dlen, NULL);
	free(derived);
	if (plain == NULL || html == NULL)
		return plain ? plain : html;
	alt = g_mime_multipart_new_with_subtype("alternative");
	g_mime_multipart_add(alt, plain);
	g_mime_multipart_add(alt, html);
	g_object_unref(plain);
	g_object_unref(html);
	return GMIME_OBJECT(alt);
}

static GMimeMessage *mapi_message(const struct mapi_item *it, unsigned depth);

/* The MIME body: the texts, then the RTF body when it is not the source
 * of the HTML shown, then every attachment. */
static GMimeObject *
mapi_body(const struct mapi_item *it, unsigned depth)
{
	GMimeObject *texts = mapi_texts(it);
	GMimeMultipart *mixed;
	bool rtf = it->rtf != NULL && (!it->rtf_html || it->keep_rtf);
	size_t i;

	if (!rtf && it->natts == 0)
		return texts ? texts : mapi_text_part("plain", "", 0, "utf-8");
	mixed = g_mime_multipart_new_with_subtype("mixed");
	if (texts) {
		g_mime_multipart_add(mixed, texts);
		g_object_unref(texts);
	}
	if (rtf) {
		GMimeObject *r = mapi_file_part("application/rtf", "message.rtf", it->rtf, it->rtf_len, true);
		g_mime_multipart_add(mixed, r);
		g_object_unref(r);
	}
	for (i = 0; i < it->natts; i++) {
		const struct mapi_attach *a = &it->atts[i];
		GMimeObject *o;

		if (a->embedded && depth > 0) {
			GMimeMessage *m = mapi_message(a->embedded, depth - 1);
			GMimeMessagePart *mp = g_mime_message_part_new_with_message("rfc822", m);
			o = GMIME_OBJECT(mp);
			if (a->name)
				g_mime_object_set_content_disposition_parameter(o, "filename", a->name);
			g_object_unref(m);
		} else {
			o = mapi_file_part(a->mime, a->name, a->data, a->len, false);
		}
		if (a->content_id)
			g_mime_object_set_content_id(o, a->content_id);
		g_mime_multipart_add(mixed, o);
		g_object_unref(o);
	}
	return GMIME_OBJECT(mixed);
}

static void
mapi_add_addrs(GMimeMessage *m, const struct mapi_item *it, const char *role, GMimeAddressType t)
{
	size_t i;

	for (i = 0; i < it->naddrs; i++) {
		const struct mapi_addr *a = &it->addrs[i];
		const char *addr = mapi_addr_inet(a);

		if (strcmp(a->role, role) != 0)
			continue;
		if (addr == NULL && a->name == NULL)
			continue;
		/* An Exchange recipient without an SMTP form is written by
		 * name only (an empty address); its DN is a fact of the store
		 * item, kept beside the message. */
		g_mime_message_add_mailbox(m, t, a->name ? a->name : "", addr ? addr : "");
	}
}

/* A message/rfc822 part's message: the item's text written and read back,
 * so stored transport headers stay as written. */
static GMimeMessage *
mapi_message(const struct mapi_item *it, unsigned depth)
{
	size_t len;
	char *raw = mapi_item_to_mime(it, depth, &len);
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *ps = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(ps, NULL);

	g_object_unref(ps);
	g_object_unref(s);
	free(raw);
	if (m == NULL)
		m = g_mime_message_new(FALSE);
	return m;
}

/* Header fields from the MAPI properties ([MS-OXCMAIL] 2.2.3, mapping of
 * properties to RFC 5322 fields), for an item without transport headers. */
static void
mapi_synth_headers(GMimeMessage *m, const struct mapi_item *it)
{
	const struct mapi_addr *from = NULL;
	size_t i;
	int64_t t = 0;
	bool has_t = false;

	/* the one it was sent for, unless only the sender has an address */
	for (i = 0; i < it->naddrs; i++)
		if (strcmp(it->addrs[i].role, "from") == 0 || strcmp(it->addrs[i].role, "sender") == 0)
			if (from == NULL || (mapi_addr_inet(from) == NULL && mapi_addr_inet(&it->addrs[i])))
				from = &it->addrs[i];
	if (from)
		mapi_add_addrs(m, it, from->role, GMIME_ADDRESS_TYPE_FROM);
	mapi_add_addrs(m, it, "to", GMIME_ADDRESS_TYPE_TO);
	mapi_add_addrs(m, it, "cc", GMIME_ADDRESS_TYPE_CC);
	mapi_add_addrs(m, it, "bcc", GMIME_ADDRESS_TYPE_BCC);
	if (it->subject)
		g_mime_message_set_subject(m, it->subject, "utf-8");
	for (i = 0; i < MAPI_T_COUNT && !has_t; i++)
		if (it->has_time[i]) {
			t = it->times[i];
			has_t = true;
		}
	if (has_t) {
		GDateTime *dt = g_date_time_new_from_unix_utc(t / 1000000);
		if (dt) {
			g_mime_message_set_date(m, dt);
			g_date_time_unref(dt);
		}
	}
	if (it->message_id) {
		char *id = xstrdup(it->message_id[0] == '<' ? it->message_id + 1 : it->message_id);
		size_t n = strlen(id);
		if (n && id[n - 1] == '>')
			id[n - 1] = 0;
		g_mime_message_set_message_id(m, id);
		free(id);
	}
	if (it->in_reply_to)
		g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To", it->in_reply_to, NULL);
}

/* The stored transport headers without their MIME fields (RFC 2045 section
 * 3: MIME-Version and Content-*), which describe a body that is not the one
 * reconstructed; folded lines go with their field. */
static void
mapi_copy_headers(GByteArray *out, const char *h)
{
	struct rd r;
	struct slice l;
	bool skip = false, first = true;

	rd_init(&r, h, strlen(h));
	while (rd_left(&r) > 0) {
		if (!rd_line(&r, rd_left(&r) + 1, &l))
			l = rd_rest(&r);
		if (l.len == 0)
			break;   /* the end of the header block */
		/* Exchange begins the block with a banner line ("Microsoft Mail
		 * Internet Headers Version 2.0") that is no field. */
		if (first && memchr(l.p, ':', l.len) == NULL) {
			first = false;
			continue;
		}
		first = false;
		if (l.p[0] != ' ' && l.p[0] != '\t')
			skip = (l.len >= 8 && strncasecmp((const char *)l.p, "Content-", 8) == 0) ||
			    (l.len >= 13 && strncasecmp((const char *)l.p, "MIME-Version:", 13) == 0);
		if (skip)
			continue;
		g_byte_array_append(out, l.p, (guint)l.len);
		g_byte_array_append(out, (const guint8 *)"\n", 1);
	}
}

char *
mapi_item_to_mime(const struct mapi_item *it, unsigned depth, size_t *len)
{
	GMimeMessage *m;
	GMimeObject *body;
	GMimeStream *s = g_mime_stream_mem_new();
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
	char *out;

	g_mime_init();
	body = mapi_body(it, depth);
	if (it->headers) {
		GByteArray *h = g_byte_array_new();

		mapi_copy_headers(h, it->headers);
		g_mime_stream_write(s, (const char *)h->data, h->len);
		g_byte_array_free(h, TRUE);
		g_mime_stream_write_string(s, "MIME-Version: 1.0\n");
		g_mime_object_write_to_stream(body, NULL, s);
	} else {
		m = g_mime_message_new(FALSE);
		mapi_synth_headers(m, it);
		g_mime_message_set_mime_part(m, body);
		g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, s);
		g_object_unref(m);
	}
	g_object_unref(body);
	*len = ba->len;
	out = xmalloc(ba->len + 1);
	memcpy(out, ba->data, ba->len);
	out[ba->len] = 0;
	g_object_unref(s);
	return out;
}

/* ---- RTF with encapsulated HTML ([MS-OXRTFEX]) --------------------------- */

struct rtf_walk {
	struct rd r;
	GByteArray *out;
	unsigned depth;
	unsigned skip_below;   /* a group being skipped: its depth, 0 when none */
	unsigned tag_depth;    /* inside \*\htmltag: the group's depth */
	bool htmlrtf;          /* between \htmlrtf and \htmlrtf0: RTF-only text */
	unsigned uc;           /* characters to skip after \uN (\ucN) */
};

static void
rtf_emit(struct rtf_walk *w, const void *p, size_t n)
{
	if (w->skip_below == 0 && (!w->htmlrtf || w->tag_depth))
		g_byte_array_append(w->out, p, (guint)n);
}

/* One control word after the backslash: name, optional signed number, one
 * delimiting space eaten (RTF 1.9.1, "Control Words"). */
static void
rtf_control(struct rtf_walk *w, bool starred)
{
	char name[32];
	size_t n = 0;
	long num = 0;
	bool has_num = false, neg = false;
	struct slice c;

	while (rd_peek(&w->r, 1, &c) && ((c.p[0] | 0x20) >= 'a' && (c.p[0] | 0x20) <= 'z')) {
		if (n + 1 < sizeof(name))
			name[n++] = (char)rd_u8(&w->r);
		else
			rd_u8(&w->r);
	}
	name[n] = 0;
	if (rd_peek(&w->r, 1, &c) && c.p[0] == '-') {
		neg = true;
		rd_u8(&w->r);
	}
	while (rd_peek(&w->r, 1, &c) && c.p[0] >= '0' && c.p[0] <= '9') {
		if (num < 100000000)
			num = num * 10 + (c.p[0] - '0');
		has_num = true;
		rd_u8(&w->r);
	}
	if (neg)
		num = -num;
	if (rd_peek(&w->r, 1, &c) && c.p[0] == ' ')
		rd_u8(&w->r);
	if (starred && w->skip_below == 0) {
		if (strcmp(name, "htmltag") == 0 || strcmp(name, "mhtmltag") == 0)
			w->tag_depth = w->depth;
		else
			w->skip_below = w->depth;    /* an unknown destination: ignored */
		return;
	}
	if (strcmp(name, "htmlrtf") == 0)
		w->htmlrtf = !(has_num && num == 0);
	else if (strcmp(name, "par") == 0 || strcmp(name, "line") == 0)
		rtf_emit(w, "\r\n", 2);
	else if (strcmp(name, "tab") == 0)
		rtf_emit(w, "\t", 1);
	else if (strcmp(name, "uc") == 0 && has_num && num >= 0 && num < 10)
		w->uc = (unsigned)num;
	else if (strcmp(name, "u") == 0 && has_num) {
		gchar u8[8];
		gint k = g_unichar_to_utf8((gunichar)(num < 0 ? num + 65536 : num), u8);
		unsigned i;
		rtf_emit(w, u8, (size_t)k);
		for (i = 0; i < w->uc && rd_peek(&w->r, 1, &c) && c.p[0] != '\\' && c.p[0] != '{' &&
		    c.p[0] != '}'; i++)
			rd_u8(&w->r);
	} else if ((strcmp(name, "fonttbl") == 0 || strcmp(name, "colortbl") == 0 ||
	    strcmp(name, "stylesheet") == 0 || strcmp(name, "pntext") == 0) && w->skip_below == 0)
		w->skip_below = w->depth;
}

static void
rtf_escape(struct rtf_walk *w)
{
	struct slice c;
	static const char hex[] = "0123456789abcdef";

	if (!rd_peek(&w->r, 1, &c))
		return;
	if (c.p[0] == '\\' || c.p[0] == '{' || c.p[0] == '}') {
		rd_u8(&w->r);
		rtf_emit(w, c.p, 1);
	} else if (c.p[0] == '\'') {
		uint8_t b;
		const char *h1, *h2;
		rd_u8(&w->r);
		if (!rd_peek(&w->r, 2, &c))
			return;
		h1 = c.p[0] ? strchr(hex, c.p[0] | 0x20) : NULL;
		h2 = c.p[1] ? strchr(hex, c.p[1] | 0x20) : NULL;
		rd_skip(&w->r, 2);
		if (h1 && h2) {
			b = (uint8_t)((h1 - hex) << 4 | (h2 - hex));
			rtf_emit(w, &b, 1);
		}
	} else if (c.p[0] == '*') {
		rd_u8(&w->r);
		if (rd_peek(&w->r, 1, &c) && c.p[0] == '\\') {
			rd_u8(&w->r);
			rtf_control(w, true);
		}
	} else if (c.p[0] == '~') {
		rd_u8(&w->r);
		rtf_emit(w, " ", 1);
	} else if ((c.p[0] | 0x20) >= 'a' && (c.p[0] | 0x20) <= 'z') {
		rtf_control(w, false);
	} else {
		rd_u8(&w->r);    /* \- \_ \| and other symbols */
	}
}

char *
mapi_rtf_html(const void *rtf, size_t len, size_t *out_len)
{
	struct rtf_walk w = { .uc = 1 };
	struct slice head;
	char *res;

	rd_init(&w.r, rtf, len);
	if (!rd_peek(&w.r, len < 512 ? len : 512, &head) ||
	    g_strstr_len((const char *)head.p, (gssize)head.len, "\\fromhtml1") == NULL)
		return NULL;
	w.out = g_byte_array_new();
	while (rd_left(&w.r) > 0) {
		uint8_t b = rd_u8(&w.r);

		if (b == '{') {
			if (w.depth < 10000)
				w.depth++;
		} else if (b == '}') {
			if (w.skip_below == w.depth)
				w.skip_below = 0;
			if (w.tag_depth == w.depth)
				w.tag_depth = 0;
			if (w.depth > 0)
				w.depth--;
		} else if (b == '\\') {
			rtf_escape(&w);
		} else if (b != '\r' && b != '\n') {
			rtf_emit(&w, &b, 1);
		}
	}
	*out_len = w.out->len;
	if (w.out->len == 0) {
		g_byte_array_free(w.out, TRUE);
		return NULL;
	}
	res = xmalloc(w.out->len + 1);
	memcpy(res, w.out->data, w.out->len);
	res[w.out->len] = 0;
	g_byte_array_free(w.out, TRUE);
	return res;
}

/* ---- the compressed RTF body ---------------------------------------------- */

/* [MS-OXRTFCP] 2.1.2.1: the dictionary a compressed RTF starts from, 207
 * bytes, then zeros to 4096. libytnef's DecompressRTF() is not used: its
 * copy of these bytes has "\n\r" where the specification has "\r\n" (so
 * a reference to them writes the two bytes swapped), a reference before
 * the start copies nothing where the dictionary's zeros are, and it trusts
 * the header's sizes and prints to stdout when the data ends early. */
static const char mapi_rtf_dict[] =
	"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern "
	"\\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0"
	"\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

#define MAPI_RTF_DICT 4096

/* [MS-OXRTFCP] 2.2.1.2 / 2.2.3.1: the control bytes, literals and 12-bit
 * dictionary references of an LZFu body r, until the reference to the write
 * position (the end) or raw bytes are written; false when the data ends
 * first (*out then holds what was written). */
static bool
mapi_lzfu(struct rd *r, struct buf *out, uint32_t raw)
{
	uint8_t dict[MAPI_RTF_DICT];
	size_t w = sizeof(mapi_rtf_dict) - 1;

	memset(dict, 0, sizeof(dict));
	memcpy(dict, mapi_rtf_dict, w);
	while (rd_left(r) > 0) {
		uint8_t control = rd_u8(r);
		int bit;

		for (bit = 0; bit < 8; bit++) {
			if (out->len >= raw)
				return true;     /* all RawSize bytes: the end marker need not follow */
			if ((control >> bit & 1) == 0) {
				uint8_t c = rd_u8(r);

				if (!rd_ok(r))
					return false;
				if (!buf_add(out, &c, 1))
					return true;
				dict[w++ % MAPI_RTF_DICT] = c;
			} else {
				uint16_t ref = rd_be16(r);
				size_t off = ref >> 4, len = (ref & 0xF) + 2, i;

				if (!rd_ok(r))
					return false;
				if (off == w % MAPI_RTF_DICT)
					return true;     /* 2.2.3.1: the end of the stream */
				for (i = 0; i < len; i++) {
					uint8_t c = dict[(off + i) % MAPI_RTF_DICT];

					if (out->len >= raw || !buf_add(out, &c, 1))
						return true;
					dict[w++ % MAPI_RTF_DICT] = c;
				}
			}
		}
	}
	return out->len >= raw;
}

void *
mapi_rtf_inflate(const void *z, size_t zn, size_t max, size_t *out_len, const char **why)
{
	struct rd r;
	uint32_t csize, rsize, magic;
	struct buf out;
	bool whole, over;

	*out_len = 0;
	*why = NULL;
	/* [MS-OXRTFCP] 2.2.1.1: CompSize, RawSize, CompType, CRC */
	rd_init(&r, z, zn);
	csize = rd_le32(&r);
	rsize = rd_le32(&r);
	magic = rd_le32(&r);
	(void)rd_le32(&r);
	if (!rd_ok(&r)) {
		*why = "shorter than its 16-byte header";
		return NULL;
	}
	if (csize != zn - 4) {
		*why = "its header gives a compressed size the property does not have";
		return NULL;
	}
	/* A size over the ceiling (or one that lies, 2 GB for a few bytes) is
	 * inflated up to the ceiling and kept as far as it goes. */
	over = rsize > max;
	if (over)
		rsize = (uint32_t)max;
	if (magic == 0x414c454d) {
		/* "MELA": not compressed, the raw bytes follow the header */
		size_t have = zn - 16 < rsize ? zn - 16 : rsize;
		char *p = xmalloc(have + 1);
		memcpy(p, (const uint8_t *)z + 16, have);
		*out_len = have;
		if (over)
			*why = "its header gives an inflated size over the message ceiling; cut there";
		else if (have < rsize)
			*why = "the uncompressed RTF is shorter than its header says; what is there is kept";
		return p;
	}
	if (magic != 0x75465a4c) {
		*why = "its header names no known compression (neither LZFu nor MELA)";
		return NULL;
	}
	buf_init(&out, (size_t)rsize + 1);
	whole = mapi_lzfu(&r, &out, rsize);
	if (out.len < rsize || !whole)
		*why = out.len == 0 ? "the compressed RTF ends before any byte of it" :
		    "the compressed RTF ends before the size its header gives; what it holds is kept";
	else if (over)
		*why = "its header gives an inflated size over the message ceiling; cut there";
	if (out.len == 0) {
		buf_free(&out);
		return NULL;
	}
	*out_len = out.len;
	return buf_take(&out);
}
