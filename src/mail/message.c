/* message.c - one RFC 5322 message analysed with GMime 3 (see message.h).
 *
 * The message is parsed once by GMime; mailcase reads the tree GMime built:
 * header fields (RFC 5322 section 3.6, RFC 2047 encoded words in any charset
 * GMime's iconv knows), the MIME structure (RFC 2045/2046) walked with IMAP
 * part numbers (RFC 3501 section 6.4.5: "1", "1.2"), text bodies converted
 * to UTF-8, every other leaf part stored in the artifact store, and nested
 * message/rfc822 parts analysed as messages of their own (parent_id).
 *
 * Damage never stops the analysis: GMime's parser warnings, a missing
 * boundary, broken base64, unknown or lying charsets and hit ceilings
 * (ctx->lim: message_bytes, mime_parts, mime_depth) become flags on the
 * messages row and entries in the processing log with the evidence file and
 * the position ("message 3, part 1.2"). All GMime objects of one message are
 * released before message_analyze() returns. */
#include "mail/message.h"
#include "capture/stream.h"
#include "ingest.h"
#include "mail/hops.h"
#include "office/office.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "store/db_routes.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <gmime/gmime.h>
#include <jansson.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* GMime's parser warning codes are small numbers (gmime-parser-options.h,
 * 1 to 17 in GMime 3.2); a message logs the first MSG_PARSER_WARN_MAX of
 * each kind. */
#define MSG_PARSER_CODES 32
#define MSG_PARSER_WARN_MAX 3

/* Per-message state; everything here is freed by msg_done(). */
struct msg {
	struct ingest_ctx *ctx;
	const struct msg_origin *o;
	GMimeParserOptions *po;
	int64_t id;
	int64_t parent_id;
	unsigned depth;            /* message/rfc822 nesting above this message */
	const char *prefix;        /* part path of this message in its parent, "" at top */
	char where[160];           /* "message 3" / "frames 78-80" */
	char *source;              /* evidence path (with the file inside a folder) */
	unsigned nparts;
	bool parts_capped, depth_capped;
	struct buf flags;          /* "a,b,c" */
	struct buf body, html;     /* UTF-8 text */
	/* GMime warnings of one kind logged for this message, by warning code:
	 * past MSG_PARSER_WARN_MAX only counted (a message repeating a header
	 * a thousand times gets a few lines and a count, not a thousand). */
	unsigned parser_warned[MSG_PARSER_CODES];
};

static bool gmime_ready;

static void
msg_flag(struct msg *m, const char *flag)
{
	const char *s = buf_str(&m->flags);
	size_t n = strlen(flag);
	const char *p;
	bool ok = true;

	for (p = s; (p = strstr(p, flag)) != NULL; p += n)
		if ((p == s || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
			return;
	if (m->flags.len)
		ok &= buf_addc(&m->flags, ',');
	ok &= buf_adds(&m->flags, flag);
	(void)ok;     /* flags are few and short: the ceiling is not reachable */
}

static void __attribute__((format(printf, 4, 5)))
msg_warn(struct msg *m, const char *code, const char *part, const char *fmt, ...)
{
	char where[256], *text;
	va_list ap;

	if (part && *part)
		snprintf(where, sizeof(where), "%s, part %s", m->where, part);
	else
		snprintf(where, sizeof(where), "%s", m->where);
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	plog_add(m->ctx->log, PLOG_WARN, code, m->source, where, "%s", text);
	free(text);
}

/* Text from evidence made valid UTF-8 (invalid bytes become U+FFFD) and
 * free of NUL, so SQLite, jansson and the report can carry it. malloc'd. */
static char *
utf8_clean(const char *s, ssize_t n)
{
	char *v, *r;
	size_t i, len;

	if (s == NULL)
		return NULL;
	if (n < 0)
		n = (ssize_t)strlen(s);
	v = g_utf8_make_valid(s, n);
	len = strlen(v);
	r = xstrndup(v, len);
	g_free(v);
	for (i = 0; i < len; i++)
		if (r[i] == '\r' && r[i + 1] != '\n')
			r[i] = ' ';
	return r;
}

static char *
trim_dup(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return utf8_clean(s, (ssize_t)n);
}

/* RFC 5322 section 2.2.3: unfolding removes the CRLF before WSP. */
static char *
unfold(const char *raw)
{
	char *u, *r;

	if (raw == NULL)
		return NULL;
	u = g_mime_utils_header_unfold(raw);
	r = trim_dup(u);
	g_free(u);
	return r;
}

/* The first header with this name, unfolded; NULL when absent. */
static char *
header_first(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, name) : NULL;

	return h ? unfold(g_mime_header_get_raw_value(h)) : NULL;
}

/* What a GMime parser warning means: the flag it sets on the message and,
 * for those worth a log line, a sentence. */
static const char *
parser_kind(GMimeParserWarning code, const char **flagp)
{
	const char *flag = NULL, *what = NULL;

	switch (code) {
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		flag = "missing-boundary"; what = "a multipart has no boundary parameter"; break;
	case GMIME_WARN_MALFORMED_MULTIPART:
		flag = "malformed-multipart"; what = "a multipart has no child parts"; break;
	case GMIME_WARN_TRUNCATED_MESSAGE:
		flag = "truncated"; what = "the message is truncated"; break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		flag = "malformed"; what = "the message is malformed"; break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		flag = "cap-hit:depth"; what = "GMime's MIME nesting limit was reached"; break;
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		flag = "rfc2047-invalid"; break;
	case GMIME_WARN_UNENCODED_8BIT_HEADER:
		flag = "8bit-header"; break;
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		flag = "content-type-invalid"; what = "an invalid Content-Type was read as application/octet-stream"; break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		flag = "header-invalid"; what = "an invalid header name"; break;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
	case GMIME_WARN_PART_WITHOUT_CONTENT:
		flag = "part-empty"; break;
	case GMIME_CRIT_CONFLICTING_HEADER:
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		flag = "header-conflict"; what = "conflicting header fields or parameters"; break;
	default:
		break;
	}
	*flagp = flag;
	return what;
}

static void
parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer arg)
{
	struct msg *m = arg;
	const char *flag, *what = parser_kind(code, &flag);

	if (flag)
		msg_flag(m, flag);
	if (what && (unsigned)code < MSG_PARSER_CODES && ++m->parser_warned[code] > MSG_PARSER_WARN_MAX)
		what = NULL;   /* counted; msg_parser_warned() logs how many more */
	if (what) {
		char *it = utf8_clean(item, -1);
		if (offset >= 0)
			msg_warn(m, "mime.parse", NULL, "%s (GMime, byte %" PRId64 " of the message)%s%s",
			    what, (int64_t)offset, it && *it ? ": " : "", it ? it : "");
		else
			msg_warn(m, "mime.parse", NULL, "%s (GMime gave no position)%s%s",
			    what, it && *it ? ": " : "", it ? it : "");
		free(it);
	}
}

/* One line per kind of GMime warning that was logged only in part. */
static void
msg_parser_warned(struct msg *m)
{
	unsigned code;

	for (code = 0; code < MSG_PARSER_CODES; code++)
		if (m->parser_warned[code] > MSG_PARSER_WARN_MAX)
		{
			const char *flag, *what = parser_kind((GMimeParserWarning)code, &flag);

			msg_warn(m, "mime.parse", NULL, "%s: %u more times in this message (the first %d"
			    " are listed)", what ? what : "GMime warning",
			    m->parser_warned[code] - MSG_PARSER_WARN_MAX, MSG_PARSER_WARN_MAX);
		}
}

/* ---- text ---------------------------------------------------------------- */

static bool
charset_is(const char *cs, const char *name)
{
	return cs && strcasecmp(cs, name) == 0;
}

/* Body bytes to UTF-8 (RFC 2046 section 4.1.2: the charset parameter).
 * A charset iconv does not know is "charset-unknown"; bytes that are not
 * valid in the declared charset are "charset-lying". Either way GMime's
 * best-guess decoding over the fallback charsets is used. */
static char *
text_utf8(struct msg *m, const char *charset, const char *p, size_t n, const char *path)
{
	GError *err = NULL;
	gsize rd = 0, wr = 0;
	gchar *conv;
	char *r, *guess;

	if (charset == NULL || charset_is(charset, "us-ascii") || charset_is(charset, "ascii")) {
		if (g_utf8_validate(p, (gssize)n, NULL)) {
			size_t i;
			for (i = 0; charset && i < n; i++)
				if ((unsigned char)p[i] >= 0x80)
					break;
			if (charset && i < n) {
				msg_flag(m, "charset-lying");
				msg_warn(m, "mime.charset", path, "text declared %s holds 8-bit bytes", charset);
			}
			return utf8_clean(p, (ssize_t)n);
		}
		msg_flag(m, charset ? "charset-lying" : "charset-unknown");
		msg_warn(m, "mime.charset", path, "8-bit text %s; decoded by best guess",
		    charset ? "declared us-ascii" : "without a charset");
	} else {
		const char *ic = g_mime_charset_iconv_name(charset);
		GIConv cd = g_iconv_open("UTF-8", ic);
		if (cd == (GIConv)-1) {
			char *cs = utf8_clean(charset, -1);
			msg_flag(m, "charset-unknown");
			msg_warn(m, "mime.charset", path, "unknown charset \"%s\"; decoded by best guess", cs);
			free(cs);
			goto guess;
		}
		g_iconv_close(cd);
		conv = g_convert(p, (gssize)n, "UTF-8", ic, &rd, &wr, &err);
		if (conv && err == NULL) {
			r = utf8_clean(conv, (ssize_t)wr);
			g_free(conv);
			return r;
		}
		g_free(conv);
		if (err && err->code == G_CONVERT_ERROR_NO_CONVERSION) {
			char *cs = utf8_clean(charset, -1);
			msg_flag(m, "charset-unknown");
			msg_warn(m, "mime.charset", path, "unknown charset \"%s\"; decoded by best guess", cs);
			free(cs);
		} else {
			char *cs = utf8_clean(charset, -1);
			msg_flag(m, "charset-lying");
			msg_warn(m, "mime.charset", path,
			    "text is not valid %s (byte %zu); decoded by best guess", cs, (size_t)rd);
			free(cs);
		}
		if (err)
			g_error_free(err);
	}
guess:
	guess = g_mime_utils_decode_8bit(m->po, p, n);
	r = utf8_clean(guess, -1);
	g_free(guess);
	return r;
}

static bool
tag_is(const char *tag, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(tag, name, n) == 0;
}

/* HTML to plain text for previews: tags dropped, script and style content
 * dropped, block elements as line breaks, the common entities decoded
 * (HTML 5 section 13.1.4 character references). Not a renderer. */
static char *
html_text(const char *html, size_t n)
{
	struct rd r;
	struct buf b;
	bool ok = true, space = false, skip = false;
	int nl = 2;

	buf_init(&b, n + 16);
	rd_init(&r, html, n);
	while (rd_left(&r) > 0) {
		uint8_t c = rd_u8(&r);
		if (c == '<') {
			struct slice s;
			char tag[16];
			size_t i = 0, t = 0;
			bool close = false;
			if (rd_peek(&r, 3, &s) && memcmp(s.p, "!--", 3) == 0) {
				while (rd_left(&r) > 0 && !(rd_peek(&r, 3, &s) && memcmp(s.p, "-->", 3) == 0))
					rd_skip(&r, 1);
				rd_skip(&r, rd_left(&r) >= 3 ? 3 : rd_left(&r));
				continue;
			}
			while (rd_left(&r) > 0) {
				c = rd_u8(&r);
				if (c == '>')
					break;
				if (i == 0 && c == '/') {
					close = true;
					continue;
				}
				if (t == i && t < sizeof(tag) && (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
				    (c >= '0' && c <= '9')))
					tag[t++] = (char)c;
				i++;
			}
			if (tag_is(tag, t, "script") || tag_is(tag, t, "style") || tag_is(tag, t, "head")) {
				skip = !close;
				continue;
			}
			if (skip)
				continue;
			/* br breaks a line; p leaves an empty line; other blocks
			 * start on a line of their own. */
			{
				int want = tag_is(tag, t, "br") ? nl + 1 : tag_is(tag, t, "p") ? 2 :
				    (tag_is(tag, t, "div") || tag_is(tag, t, "tr") || tag_is(tag, t, "li") ||
				    tag_is(tag, t, "h1") || tag_is(tag, t, "h2") || tag_is(tag, t, "h3") ||
				    tag_is(tag, t, "table") || tag_is(tag, t, "blockquote")) ? 1 : 0;
				if (want > 2)
					want = 2;
				while (nl < want) {
					ok &= buf_addc(&b, '\n');
					nl++;
				}
				if (want)
					space = false;
			}
			continue;
		}
		if (skip)
			continue;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
			space = true;
			continue;
		}
		if (space && nl == 0)
			ok &= buf_addc(&b, ' ');
		space = false;
		nl = 0;
		if (c == '&') {
			struct slice s;
			size_t k;
			char ent[12];
			gunichar u = 0;
			if (!rd_peek(&r, rd_left(&r) < 10 ? rd_left(&r) : 10, &s)) {
				ok &= buf_addc(&b, '&');
				continue;
			}
			for (k = 0; k < s.len && s.p[k] != ';'; k++)
				;
			if (k == s.len || k == 0 || k >= sizeof(ent)) {
				ok &= buf_addc(&b, '&');
				continue;
			}
			memcpy(ent, s.p, k);
			ent[k] = 0;
			if (ent[0] == '#')
				u = (gunichar)strtoul(ent + 1 + (ent[1] == 'x' || ent[1] == 'X'), NULL,
				    ent[1] == 'x' || ent[1] == 'X' ? 16 : 10);
			else if (strcmp(ent, "amp") == 0) u = '&';
			else if (strcmp(ent, "lt") == 0) u = '<';
			else if (strcmp(ent, "gt") == 0) u = '>';
			else if (strcmp(ent, "quot") == 0) u = '"';
			else if (strcmp(ent, "apos") == 0) u = '\'';
			else if (strcmp(ent, "nbsp") == 0) u = ' ';
			if (u == 0 || !g_unichar_validate(u)) {
				ok &= buf_addc(&b, '&');
				continue;
			}
			{
				char o[8];
				int ol = g_unichar_to_utf8(u, o);
				ok &= buf_add(&b, o, (size_t)ol);
			}
			rd_skip(&r, k + 1);
			continue;
		}
		ok &= buf_addc(&b, (char)c);
	}
	(void)ok;   /* the output is never longer than the input: no ceiling hit */
	while (b.len > 0 && (b.p[b.len - 1] == '\n' || b.p[b.len - 1] == ' '))
		b.p[--b.len] = 0;
	{
		char *s = buf_take(&b), *v = utf8_clean(s, -1);
		free(s);
		return v;
	}
}

static void
text_append(struct buf *b, const char *s)
{
	bool ok = true;

	if (s == NULL || *s == 0)
		return;
	if (b->len)
		ok &= buf_adds(b, "\n\n");
	ok &= buf_adds(b, s);
	if (!ok)
		b->capped = true;
}

/* ---- parts --------------------------------------------------------------- */

static void msg_analyze_at(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix,
    int64_t *out_id);

static void
provenance(struct msg *m, char *out, size_t n)
{
	const struct msg_origin *o = m->o;

	if (o->frames && *o->frames)
		snprintf(out, n, "frames %s", o->frames);
	else if (o->file_path && *o->file_path)
		snprintf(out, n, "%s, offset %" PRIu64, o->file_path, o->file_offset);
	else if (o->mbox_index)
		snprintf(out, n, "message %" PRId64 ", offset %" PRIu64, o->mbox_index, o->file_offset);
	else
		snprintf(out, n, "offset %" PRIu64, o->file_offset);
}

static int64_t
store(struct msg *m, const void *p, size_t len, const char *role, const char *name,
    const char *type, const char *path, struct hashes *h)
{
	char prov[600], full[64];
	struct artifact_ref ref = {
		.evidence_id = m->ctx->evidence_id, .parent_kind = "message", .parent_id = m->id,
		.role = role, .declared_name = name, .declared_type = type,
		.provenance = prov,
	};

	if (path && *path) {
		snprintf(full, sizeof(full), "%s%s%s", m->prefix, *m->prefix ? "." : "", path);
		ref.part_path = full;
	}
	provenance(m, prov, sizeof(prov));
	if (m->ctx->art == NULL) {
		hash_mem(p ? p : "", len, h);
		return 0;
	}
	return artstore_put(m->ctx->art, p, len, &ref, h);
}

/* RFC 2045 section 6.8: base64 text is the 64-letter alphabet in groups of
 * four, "=" only as padding at the end; anything else besides line breaks
 * is damage GMime silently skips. Returns a reason or NULL. */
static const char *
base64_damage(const unsigned char *p, size_t n, size_t *at)
{
	size_t i, letters = 0, pad = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c == '\r' || c == '\n' || c == ' ' || c == '\t')
			continue;
		*at = i;
		if (c == '=') {
			pad++;
			if (pad > 2)
				return "too much padding";
			continue;
		}
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '/'))
			return "a byte outside the base64 alphabet";
		if (pad)
			return "data after the padding";
		letters++;
	}
	if ((letters + pad) % 4 != 0) {
		*at = n;
		return "the data ends inside a 4-letter group";
	}
	return NULL;
}

static GByteArray *
wrapper_bytes(GMimeDataWrapper *w, bool decoded)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *ba;

	if (decoded)
		g_mime_data_wrapper_write_to_stream(w, mem);
	else {
		GMimeStream *s = g_mime_data_wrapper_get_stream(w);
		g_mime_stream_reset(s);
		g_mime_stream_write_to_stream(s, mem);
		g_mime_stream_reset(s);
	}
	/* The array outlives the stream: g_byte_array_free() it. */
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_object_unref(mem);
	return ba;
}

/* Old mailers put files inside a text body as uuencoded blocks
 * ("begin 644 name" ... "end"); each one is extracted like an attachment. */
static void
text_uuencoded(struct msg *m, const unsigned char *p, size_t n, const char *path)
{
	struct rd r;
	struct slice line;
	unsigned k = 0;

	rd_init(&r, p, n);
	while (rd_line(&r, 1 << 16, &line)) {
		unsigned mode;
		char name[256];
		size_t start, end;
		GMimeEncoding enc;
		unsigned char *out;
		size_t outlen;
		struct hashes h;
		char sub[64];

		if (line.len < 10 || memcmp(line.p, "begin ", 6) != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(line.len - 6), (const char *)line.p + 6);
		if (sscanf(name, "%o ", &mode) != 1 || strchr(name, ' ') == NULL)
			continue;
		memmove(name, strchr(name, ' ') + 1, strlen(strchr(name, ' ') + 1) + 1);
		start = r.off;
		end = start;
		while (rd_line(&r, 1 << 16, &line)) {
			if (line.len >= 3 && memcmp(line.p, "end", 3) == 0 &&
			    (line.len == 3 || line.p[3] == '\r'))
				break;
			end = r.off;
		}
		if (!rd_ok(&r))
			break;
		out = xmalloc(end - start + 16);
		g_mime_encoding_init_decode(&enc, GMIME_CONTENT_ENCODING_UUENCODE);
		enc.state |= GMIME_UUDECODE_STATE_BEGIN;
		outlen = g_mime_encoding_step(&enc, (const char *)p + start, end - start, (char *)out);
		snprintf(sub, sizeof(sub), "%s%suu%u", path, *path ? "." : "", ++k);
		store(m, out, outlen, "attachment", name, "application/octet-stream", sub, &h);
		msg_flag(m, "uuencode");
		free(out);
	}
}

static void
leaf(struct msg *m, GMimePart *part, const char *path)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	const char *name = g_mime_part_get_filename(part);
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("text/plain");
	bool attach = cd && g_mime_content_disposition_is_attachment(cd);
	bool inl = cd && !attach;
	GMimeContentEncoding enc = g_mime_part_get_content_encoding(part);
	GByteArray *ba;
	struct hashes h;
	char *lt = g_ascii_strdown(type, -1);

	g_free(type);
	type = lt;
	if (strcmp(type, "application/ms-tnef") == 0 || strcmp(type, "application/vnd.ms-tnef") == 0 ||
	    (name && strcasecmp(name, "winmail.dat") == 0))
		msg_flag(m, "tnef");
	if (strcmp(type, "application/pkcs7-signature") == 0 ||
	    strcmp(type, "application/x-pkcs7-signature") == 0 ||
	    strcmp(type, "application/pgp-signature") == 0)
		msg_flag(m, "signed");
	if (strcmp(type, "application/pgp-encrypted") == 0)
		msg_flag(m, "encrypted");
	if (strcmp(type, "application/pkcs7-mime") == 0 || strcmp(type, "application/x-pkcs7-mime") == 0) {
		const char *st = g_mime_object_get_content_type_parameter(obj, "smime-type");
		msg_flag(m, st && strcasecmp(st, "signed-data") == 0 ? "signed" : "encrypted");
	}
	if (w == NULL) {
		g_free(type);
		return;
	}
	if (enc == GMIME_CONTENT_ENCODING_BASE64) {
		GByteArray *enc_ba = wrapper_bytes(w, false);
		size_t at = 0;
		const char *why = base64_damage(enc_ba->data, enc_ba->len, &at);
		if (why) {
			msg_flag(m, "base64-broken");
			msg_warn(m, "mime.base64", path, "broken base64 (%s, at byte %zu of the part's body);"
			    " decoded as far as possible", why, at);
		}
		g_byte_array_free(enc_ba, TRUE);
	}
	ba = wrapper_bytes(w, true);
	if (ba->data == NULL) {
		/* GLib leaves an empty array without storage */
		static const guint8 nothing[1];
		g_byte_array_append(ba, nothing, 1);
		g_byte_array_set_size(ba, 0);
	}

	if (!attach && name == NULL && (strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0)) {
		const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");
		char *t = text_utf8(m, cs, (const char *)ba->data, ba->len, path);
		if (strcmp(type, "text/plain") == 0) {
			text_append(&m->body, t);
			text_uuencoded(m, ba->data, ba->len, path);
		} else {
			char *pt = html_text(t, strlen(t));
			text_append(&m->html, pt);
			free(pt);
		}
		free(t);
		store(m, ba->data, ba->len, "body", NULL, type, path, &h);
	} else {
		int64_t ref = store(m, ba->data, ba->len, inl && !attach ? "inline" : "attachment",
		    name, type, path, &h);
		(void)ref;
		if (enc == GMIME_CONTENT_ENCODING_UUENCODE)
			msg_flag(m, "uuencode");
		if (office_is_document(ba->data, ba->len))
			office_unpack(m->ctx, ba->data, ba->len, h.sha256, name, 0);
	}
	g_byte_array_free(ba, TRUE);
	g_free(type);
}

static void
walk(struct msg *m, GMimeObject *obj, const char *path, unsigned depth)
{
	if (++m->nparts > m->ctx->lim->mime_parts) {
		if (!m->parts_capped) {
			m->parts_capped = true;
			msg_flag(m, "cap-hit:parts");
			msg_warn(m, "cap.mime_parts", path, "more than %u MIME parts; the rest are not"
			    " extracted", m->ctx->lim->mime_parts);
		}
		return;
	}
	if (depth > m->ctx->lim->mime_depth) {
		if (!m->depth_capped) {
			m->depth_capped = true;
			msg_flag(m, "cap-hit:depth");
			msg_warn(m, "cap.mime_depth", path, "MIME nesting deeper than %u; deeper parts"
			    " are not extracted", m->ctx->lim->mime_depth);
		}
		return;
	}
	if (GMIME_IS_MULTIPART_SIGNED(obj))
		msg_flag(m, "signed");
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
		msg_flag(m, "encrypted");
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);
		if (n == 0) {
			const char *pro = g_mime_multipart_get_prologue(mp);
			/* No part was found: the boundary is missing or never used.
			 * GMime kept the content as the prologue; it is the best
			 * reading of the body there is. */
			msg_flag(m, "missing-boundary");
			msg_warn(m, "mime.boundary", path, "multipart without %s; its content is read as"
			    " plain text", g_mime_multipart_get_boundary(mp) ? "any boundary line" :
			    "a boundary parameter");
			if (pro) {
				char *t = text_utf8(m, NULL, pro, strlen(pro), path);
				text_append(&m->body, t);
				free(t);
			}
		}
		for (i = 0; i < n; i++) {
			char sub[160];
			snprintf(sub, sizeof(sub), "%s%s%d", path, *path ? "." : "", i + 1);
			walk(m, g_mime_multipart_get_part(mp, i), sub, depth + 1);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *child = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		GMimeStream *mem;
		GByteArray *ba;
		struct hashes h;
		const char *p = *path ? path : "1";
		char full[192];

		if (child == NULL)
			return;
		mem = g_mime_stream_mem_new();
		g_mime_object_write_to_stream(GMIME_OBJECT(child), NULL, mem);
		ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		if (ba->data == NULL) {
			static const guint8 nothing[1];
			g_byte_array_append(ba, nothing, 1);
			g_byte_array_set_size(ba, 0);
		}
		store(m, ba->data, ba->len, "attachment", g_mime_object_get_content_disposition_parameter(obj,
		    "filename"), "message/rfc822", p, &h);
		if (m->depth + 1 > m->ctx->lim->mime_depth) {
			msg_flag(m, "cap-hit:depth");
			msg_warn(m, "cap.mime_depth", p, "nested message deeper than %u; stored, not analysed",
			    m->ctx->lim->mime_depth);
		} else {
			snprintf(full, sizeof(full), "%s%s%s", m->prefix, *m->prefix ? "." : "", p);
			msg_analyze_at(m->ctx, ba->data, ba->len, m->o, m->id, m->depth + 1, full, NULL);
		}
		g_object_unref(mem);
		return;
	}
	if (GMIME_IS_PART(obj))
		leaf(m, GMIME_PART(obj), *path ? path : "1");
}

/* ---- the row ------------------------------------------------------------- */

static void
addr_rows(struct msg *m, sqlite3_stmt *st, const char *role, InternetAddressList *l)
{
	int i, n = l ? internet_address_list_length(l) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			addr_rows(m, st, role, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)));
			continue;
		}
		{
			char *name = utf8_clean(internet_address_get_name(a), -1);
			char *addr = utf8_clean(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)), -1);
			sqlite3_bind_int64(st, 1, m->id);
			casedb_bind_text(st, 2, role);
			casedb_bind_text(st, 3, name && *name ? name : NULL);
			casedb_bind_text(st, 4, addr);
			casedb_step_done(m->ctx->db, st);
			free(name);
			free(addr);
		}
	}
}

static void
addr_raw(struct msg *m, sqlite3_stmt *st, const char *role, const char *text)
{
	InternetAddressList *l;

	if (text == NULL || *text == 0)
		return;
	l = internet_address_list_parse(m->po, text);
	if (l && internet_address_list_length(l) > 0)
		addr_rows(m, st, role, l);
	else {
		char *a = utf8_clean(text, -1);
		sqlite3_bind_int64(st, 1, m->id);
		casedb_bind_text(st, 2, role);
		sqlite3_bind_null(st, 3);
		casedb_bind_text(st, 4, a);
		casedb_step_done(m->ctx->db, st);
		free(a);
	}
	if (l)
		g_object_unref(l);
}

static const char *
first_addr(InternetAddressList *l, const char **name)
{
	int i, n = l ? internet_address_list_length(l) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
			if (name)
				*name = internet_address_get_name(a);
			return internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
		}
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			const char *r = first_addr(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(a)), name);
			if (r)
				return r;
		}
	}
	return NULL;
}

static void
bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int
header_offset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(*(GMimeHeader *const *)a);
	gint64 y = g_mime_header_get_offset(*(GMimeHeader *const *)b);

	return x < y ? -1 : x > y;
}

/* Collects every header of the message's header block as [name, raw,
 * decoded], in the order written, and the fields the row keeps. GMime
 * keeps the Content-* fields with the top-level part, so the two lists are
 * merged by their offsets in the message. */
static char *
headers_json(GMimeMessage *msg, GPtrArray *received, struct buf *auth, bool *dkim)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	GMimeHeaderList *pl = top ? g_mime_object_get_header_list(top) : NULL;
	GPtrArray *all = g_ptr_array_new();
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;
	guint k;
	json_t *arr = json_array();
	char *s;
	bool ok = true;

	for (i = 0; i < n; i++)
		g_ptr_array_add(all, g_mime_header_list_get_header_at(hl, i));
	n = pl ? g_mime_header_list_get_count(pl) : 0;
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(pl, i);
		if (g_ascii_strncasecmp(g_mime_header_get_name(h), "Content-", 8) == 0)
			g_ptr_array_add(all, h);
	}
	g_ptr_array_sort(all, header_offset_cmp);
	for (k = 0; k < all->len; k++) {
		GMimeHeader *h = all->pdata[k];
		const char *name = g_mime_header_get_name(h);
		char *nm = utf8_clean(name, -1);
		char *raw = trim_dup(g_mime_header_get_raw_value(h));
		char *dec = trim_dup(g_mime_header_get_value(h));
		json_t *row = json_array();

		json_array_append_new(row, json_string(nm));
		json_array_append_new(row, json_string(raw ? raw : ""));
		json_array_append_new(row, json_string(dec ? dec : ""));
		json_array_append_new(arr, row);
		if (strcasecmp(name, "Received") == 0)
			g_ptr_array_add(received, unfold(g_mime_header_get_raw_value(h)));
		else if (strcasecmp(name, "Authentication-Results") == 0) {
			char *u = unfold(g_mime_header_get_raw_value(h));
			if (auth->len)
				ok &= buf_addc(auth, '\n');
			ok &= buf_adds(auth, u);
			free(u);
		} else if (strcasecmp(name, "DKIM-Signature") == 0)
			*dkim = true;
		free(nm);
		free(raw);
		free(dec);
	}
	(void)ok;     /* a capped Authentication-Results list keeps its first 1 MiB */
	g_ptr_array_free(all, TRUE);
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

static const char insert_sql[] =
    "INSERT INTO messages (evidence_id, session_id, parent_id, source, mbox_index, file_offset,"
    " file_path, flow_id, frames, stream_off, ts_us, env_from, env_rcpt, incomplete,"
    " incomplete_why, partial, size, message_id, subject, from_addr, from_name, date_raw,"
    " date_us, in_reply_to, refs, x_mailer, x_originating_ip, auth_results, has_dkim, headers,"
    " obs_helo, obs_client_ip, obs_server, obs_server_ip)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)";

static void
msg_analyze_at(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix,
    int64_t *out_id)
{
	static const struct msg_origin none = { .source = "eml" };
	struct msg m;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	GMimeObject *mobj;
	GPtrArray *received = g_ptr_array_new_with_free_func(free);
	struct buf auth;
	bool dkim = false, top = parent_id == 0;
	size_t plen = len;
	char *hdrs = NULL, *msgid = NULL, *date_raw = NULL, *irt = NULL, *refs = NULL, *xm = NULL;
	char *xoip = NULL, *subject = NULL, *from_addr = NULL, *from_name = NULL, *rp = NULL;
	char *rcpt = NULL;
	int64_t date_us = 0;
	sqlite3_stmt *st;
	struct hashes h;
	char *tds;

	if (o == NULL)
		o = &none;
	if (!gmime_ready) {
		g_mime_init();
		gmime_ready = true;
	}
	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.o = o;
	m.parent_id = parent_id;
	m.depth = depth;
	m.prefix = prefix ? prefix : "";
	buf_init(&m.flags, 4096);
	buf_init(&m.body, ctx->lim->message_bytes ? ctx->lim->message_bytes : BUF_UNLIMITED);
	buf_init(&m.html, ctx->lim->message_bytes ? ctx->lim->message_bytes : BUF_UNLIMITED);
	buf_init(&auth, 1 << 20);
	m.source = o->file_path && *o->file_path ?
	    xasprintf("%s/%s", ctx->evidence_path ? ctx->evidence_path : "", o->file_path) :
	    xstrdup(ctx->evidence_path ? ctx->evidence_path : "");
	if (o->frames && *o->frames) {
		char *brief = stream_frames_brief(o->frames);

		snprintf(m.where, sizeof(m.where), "frames %s (stream offset %" PRIu64 ")", brief,
		    o->stream_off);
		free(brief);
	} else if (o->mbox_index)
		snprintf(m.where, sizeof(m.where), "message %" PRId64 " (offset %" PRIu64 ")",
		    o->mbox_index, o->file_offset);
	else
		snprintf(m.where, sizeof(m.where), "offset %" PRIu64, o->file_offset);
	if (*m.prefix) {
		size_t k = strlen(m.where);
		snprintf(m.where + k, sizeof(m.where) - k, ", nested message in part %s", m.prefix);
	}

	if (ctx->lim->message_bytes && len > ctx->lim->message_bytes) {
		plen = ctx->lim->message_bytes;
		msg_flag(&m, "cap-hit:size");
		msg_warn(&m, "cap.message_bytes", NULL, "message of %zu bytes is larger than %zu;"
		    " the first %zu bytes are analysed, all are stored", len, plen, plen);
	}
	m.po = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(m.po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(m.po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(m.po, GMIME_RFC_COMPLIANCE_LOOSE);
	{
		/* Undeclared 8-bit text: UTF-8 first, then Korean (the examiners'
		 * mail), then the Western default of old mailers. */
		static const char *fallback[] = { "utf-8", "cp949", "windows-1252", NULL };
		g_mime_parser_options_set_fallback_charsets(m.po, fallback);
	}
	g_mime_parser_options_set_warning_callback(m.po, parser_warning, &m);

	stream = g_mime_stream_mem_new_with_buffer(raw ? raw : "", plen);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, m.po);
	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL) {
		msg_flag(&m, "unparseable");
		msg_warn(&m, "mime.parse", NULL, "GMime could not read a message here");
	}
	mobj = msg ? GMIME_OBJECT(msg) : NULL;
	if (msg) {
		GDateTime *dt;
		const char *fn = NULL, *fa;
		hdrs = headers_json(msg, received, &auth, &dkim);
		msgid = header_first(mobj, "Message-ID");
		date_raw = header_first(mobj, "Date");
		irt = header_first(mobj, "In-Reply-To");
		refs = header_first(mobj, "References");
		xm = header_first(mobj, "X-Mailer");
		if (xm == NULL)
			xm = header_first(mobj, "User-Agent");
		xoip = header_first(mobj, "X-Originating-IP");
		rp = header_first(mobj, "Return-Path");
		subject = utf8_clean(g_mime_message_get_subject(msg), -1);
		fa = first_addr(g_mime_message_get_from(msg), &fn);
		from_addr = utf8_clean(fa, -1);
		from_name = fn && *fn ? utf8_clean(fn, -1) : NULL;
		dt = date_raw ? g_mime_message_get_date(msg) : NULL;
		if (dt)
			date_us = (int64_t)g_date_time_to_unix(dt) * 1000000 + g_date_time_get_microsecond(dt);
		else if (date_raw) {
			msg_flag(&m, "date-unparseable");
			msg_warn(&m, "mime.date", NULL, "Date header could not be read: %s", date_raw);
		}
	}
	if (o->nrcpt && top) {
		json_t *a = json_array();
		size_t i;
		for (i = 0; i < o->nrcpt; i++) {
			char *c = utf8_clean(o->env_rcpt[i], -1);
			json_array_append_new(a, json_string(c));
			free(c);
		}
		rcpt = json_dumps(a, JSON_COMPACT);
		json_decref(a);
	}

	st = casedb_prepare(ctx->db, insert_sql);
	bind_i64(st, 1, ctx->evidence_id);
	bind_i64(st, 2, o->session_id);
	bind_i64(st, 3, parent_id);
	casedb_bind_text(st, 4, top ? (o->source ? o->source : "eml") : "rfc822");
	bind_i64(st, 5, o->mbox_index);
	if (o->mbox_index || o->file_path || (!o->frames && !o->flow_id))
		sqlite3_bind_int64(st, 6, (sqlite3_int64)o->file_offset);
	casedb_bind_text(st, 7, o->file_path);
	bind_i64(st, 8, o->flow_id);
	casedb_bind_text(st, 9, o->frames);
	if (o->frames || o->flow_id)
		sqlite3_bind_int64(st, 10, (sqlite3_int64)o->stream_off);
	bind_i64(st, 11, o->ts_us);
	if (top) {
		char *ef = utf8_clean(o->env_from, -1);
		casedb_bind_text(st, 12, ef);
		free(ef);
	}
	casedb_bind_text(st, 13, rcpt);
	sqlite3_bind_int(st, 14, top && o->incomplete ? 1 : 0);
	casedb_bind_text(st, 15, top ? o->incomplete_why : NULL);
	sqlite3_bind_int(st, 16, top && o->partial ? 1 : 0);
	sqlite3_bind_int64(st, 17, (sqlite3_int64)len);
	casedb_bind_text(st, 18, msgid);
	casedb_bind_text(st, 19, subject);
	casedb_bind_text(st, 20, from_addr);
	casedb_bind_text(st, 21, from_name);
	casedb_bind_text(st, 22, date_raw);
	if (date_us)
		sqlite3_bind_int64(st, 23, date_us);
	casedb_bind_text(st, 24, irt);
	casedb_bind_text(st, 25, refs);
	casedb_bind_text(st, 26, xm);
	casedb_bind_text(st, 27, xoip);
	casedb_bind_text(st, 28, auth.len ? buf_str(&auth) : NULL);
	sqlite3_bind_int(st, 29, dkim ? 1 : 0);
	casedb_bind_text(st, 30, hdrs);
	if (top) {
		casedb_bind_text(st, 31, o->obs_helo);
		casedb_bind_text(st, 32, o->obs_client_ip);
		casedb_bind_text(st, 33, o->obs_server);
		casedb_bind_text(st, 34, o->obs_server_ip);
	}
	casedb_step_done(ctx->db, st);
	sqlite3_finalize(st);
	m.id = casedb_last_id(ctx->db);

	/* Addresses: RFC 5322 section 3.6.2 and 3.6.3, RFC 5321 section 4.4. */
	st = casedb_prepare(ctx->db, "INSERT INTO addresses (message_id, role, name, addr) VALUES (?1, ?2, ?3, ?4)");
	if (msg) {
		addr_rows(&m, st, "from", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_FROM));
		addr_rows(&m, st, "sender", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_SENDER));
		addr_rows(&m, st, "reply-to", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_REPLY_TO));
		addr_rows(&m, st, "to", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO));
		addr_rows(&m, st, "cc", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC));
		addr_rows(&m, st, "bcc", g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_BCC));
		addr_raw(&m, st, "return-path", rp);
	}
	if (top && o->env_from)
		addr_raw(&m, st, "env-from", o->env_from);
	if (top) {
		size_t i;
		for (i = 0; i < o->nrcpt; i++)
			addr_raw(&m, st, "env-rcpt", o->env_rcpt[i]);
	}
	sqlite3_finalize(st);

	store(&m, raw, len, "raw-message", NULL, "message/rfc822", NULL, &h);
	if (msg)
		walk(&m, g_mime_message_get_mime_part(msg), "", 0);
	if (m.body.capped || m.html.capped) {
		msg_flag(&m, "cap-hit:text");
		msg_warn(&m, "cap.message_bytes", NULL, "decoded text longer than %zu bytes is cut there",
		    ctx->lim->message_bytes);
	}

	st = casedb_prepare(ctx->db, "UPDATE messages SET raw_sha256 = ?1, body_text = ?2,"
	    " body_html_text = ?3, flags = ?4 WHERE id = ?5");
	casedb_bind_text(st, 1, h.sha256);
	casedb_bind_text(st, 2, m.body.len ? buf_str(&m.body) : NULL);
	casedb_bind_text(st, 3, m.html.len ? buf_str(&m.html) : NULL);
	casedb_bind_text(st, 4, m.flags.len ? buf_str(&m.flags) : NULL);
	sqlite3_bind_int64(st, 5, m.id);
	casedb_step_done(ctx->db, st);
	sqlite3_finalize(st);

	/* The route (mail/hops.c): Received fields top-down as written. */
	if (msg) {
		struct hops_input in = {
			.received = (const char *const *)received->pdata, .nreceived = received->len,
			.date = date_raw, .message_id = msgid, .from = from_addr,
			.x_originating_ip = xoip, .auth_results = auth.len ? buf_str(&auth) : NULL,
		};
		char *rpa = NULL, **td = NULL;
		size_t ntd = 0;
		if (rp) {
			InternetAddressList *l = internet_address_list_parse(m.po, rp);
			const char *a = first_addr(l, NULL);
			rpa = a ? utf8_clean(a, -1) : NULL;
			if (l)
				g_object_unref(l);
		}
		in.return_path = rpa;
		if (top && o->source && strcmp(o->source, "smtp") == 0)
			in.obs_kind = "smtp";
		else if (top && o->source && (strcmp(o->source, "pop3") == 0 || strcmp(o->source, "imap") == 0))
			in.obs_kind = "fetched";
		if (in.obs_kind) {
			in.obs_helo = o->obs_helo;
			in.obs_client_ip = o->obs_client_ip;
			in.obs_server = o->obs_server;
			in.obs_server_ip = o->obs_server_ip;
			in.obs_us = o->ts_us;
		}
		tds = casedb_meta_get(ctx->db, "trusted_domains");
		if (tds) {
			char *save = NULL, *t;
			for (t = strtok_r(tds, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
				td = xreallocarray(td, ntd + 1, sizeof(*td));
				td[ntd++] = t;
			}
			in.trusted_domains = (const char *const *)td;
			in.ntrusted = ntd;
		}
		in.now_us = ctx->now_us;
		char *where = xasprintf("message %" PRId64, m.id);
		struct route *route = hops_route(&in, ctx->log, ctx->evidence_path != NULL ? ctx->evidence_path : "",
		    where);
		db_route_add(ctx->db, m.id, route);
		hops_route_free(route);
		free(where);
		free(td);
		free(tds);
		free(rpa);
	}

	msg_parser_warned(&m);
	if (out_id)
		*out_id = m.id;
	if (msg)
		g_object_unref(msg);
	g_mime_parser_options_free(m.po);
	g_ptr_array_free(received, TRUE);
	buf_free(&auth);
	buf_free(&m.flags);
	buf_free(&m.body);
	buf_free(&m.html);
	free(m.source);
	free(hdrs); free(msgid); free(date_raw); free(irt); free(refs); free(xm); free(xoip);
	free(subject); free(from_addr); free(from_name); free(rp); free(rcpt);
}

int64_t
message_analyze(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *origin)
{
	int64_t id = 0;

	msg_analyze_at(ctx, raw, len, origin, 0, 0, "", &id);
	return id;
}
