/* message.c - one RFC 5322 message read with GMime 3 into a record (see
 * message.h).
 *
 * The message is parsed once by GMime; mailcase reads the tree GMime built:
 * header fields (RFC 5322 section 3.6, RFC 2047 encoded words in any charset
 * GMime's iconv knows), the MIME structure (RFC 2045/2046) walked with IMAP
 * part numbers (RFC 3501 section 6.4.5: "1", "1.2"), text bodies converted
 * to UTF-8, every other leaf part listed with its decoded bytes, and nested
 * message/rfc822 parts listed for the driver to hand back here.
 *
 * Damage never stops the analysis: GMime's parser warnings, a missing
 * boundary, broken base64, unknown or lying charsets and hit ceilings
 * (env->lim: message_bytes, mime_parts, mime_depth) become flags on the
 * record and entries in the processing log with the evidence file and the
 * position ("message 3, part 1.2"). All GMime objects of one message are
 * released before message_parse() returns. */
#include "mail/message.h"
#include "mail/charset.h"
#include "mail/rfc2047.h"
#include "mail/htmltext.h"
#include "mail/maildate.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/text.h"
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
/* Authentication-Results fields kept per message. */
#define MSG_AUTH_MAX (1u << 20)
/* A uuencoded file's name ("begin 644 name") is read up to this length. */
#define MSG_UUNAME_MAX 4096

/* The bytes the parts of a record borrow: GLib-owned (GByteArray data) or
 * malloc'd (uudecoded). */
struct msg_record_mem {
	struct { void *p; bool glib; } *v;
	size_t n;
};

/* Per-message parse state; everything here but r is freed by msg_done(). */
struct msg {
	const struct msg_env *env;
	const struct limits *lim;
	const struct msg_origin *o;
	GMimeParserOptions *po;
	struct msg_record *r;
	const char *prefix;
	unsigned nparts;
	size_t addrs_cap;          /* room in r->addrs */
	GByteArray *lent;          /* the message's bytes lent to GMime (msg_construct) */
	bool parts_capped, depth_capped;
	struct buf flags;          /* "a,b,c" */
	struct buf body, html;     /* UTF-8 text */
	struct buf auth;
	GPtrArray *received;
	GPtrArray *boundaries;     /* of this message's multiparts, in walk order */
	/* GMime warnings of one kind logged for this message, by warning code:
	 * past MSG_PARSER_WARN_MAX only counted (a message repeating a header
	 * a thousand times gets a few lines and a count, not a thousand). */
	unsigned parser_warned[MSG_PARSER_CODES];
	/* libuchardet's guess over the whole header block when it holds 8-bit
	 * bytes that are not UTF-8 (one short field alone is too little to
	 * guess from); NULL when none is needed or found. */
	char *hguess;
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
	const char *at = m->env->where ? m->env->where : "";
	char *where;
	va_list ap;

	where = part && *part ? xasprintf("%s, part %s", at, part) : xstrdup(at);
	va_start(ap, fmt);
	plog_addv(m->env->log, PLOG_WARN, code, m->env->source ? m->env->source : "", where, NULL,
	    fmt, ap);
	va_end(ap);
	free(where);
}

/* Text from evidence as text_clean() makes it (one line, or with line
 * breaks); NULL for NULL. n < 0: NUL-terminated. */
static char *
clean(const char *s, ssize_t n, unsigned flags)
{
	if (s == NULL)
		return NULL;
	return text_clean(s, n < 0 ? strlen(s) : (size_t)n, flags);
}

static char *
trim_dup(const char *s, unsigned flags)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return clean(s, (ssize_t)n, flags);
}

/* RFC 5322 section 2.2.3: unfolding removes the CRLF before WSP. */
static char *
unfold(const char *raw)
{
	char *u, *r;

	if (raw == NULL)
		return NULL;
	u = g_mime_utils_header_unfold(raw);
	r = trim_dup(u, 0);
	g_free(u);
	return r;
}

/* Unfolded and trimmed, the bytes kept as they are (not yet text). */
static char *
unfold_raw(const char *raw)
{
	char *u, *s, *r;
	size_t n;

	if (raw == NULL)
		return NULL;
	u = g_mime_utils_header_unfold(raw);
	for (s = u; *s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'; s++)
		;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	r = xstrndup(s, n);
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
	char *it;

	if (flag)
		msg_flag(m, flag);
	if (what && (unsigned)code < MSG_PARSER_CODES && ++m->parser_warned[code] > MSG_PARSER_WARN_MAX)
		what = NULL;   /* counted; msg_parser_warned() logs how many more */
	if (what == NULL)
		return;
	it = clean(item, -1, TEXT_LINES);
	if (offset >= 0)
		msg_warn(m, "mime.parse", NULL, "%s (GMime, byte %" PRId64 " of the message)%s%s",
		    what, (int64_t)offset, it && *it ? ": " : "", it ? it : "");
	else
		msg_warn(m, "mime.parse", NULL, "%s (GMime gave no position)%s%s",
		    what, it && *it ? ": " : "", it ? it : "");
	free(it);
}

/* One line per kind of GMime warning that was logged only in part. */
static void
msg_parser_warned(struct msg *m)
{
	unsigned code;

	for (code = 0; code < MSG_PARSER_CODES; code++) {
		const char *flag, *what;

		if (m->parser_warned[code] <= MSG_PARSER_WARN_MAX)
			continue;
		what = parser_kind((GMimeParserWarning)code, &flag);
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

/* at: the first byte that is not valid in cs, or SIZE_MAX when iconv does
 * not know cs at all. */
static void
charset_warn(struct msg *m, const char *path, const char *cs, size_t at)
{
	char *c = clean(cs, -1, 0);

	if (at == SIZE_MAX) {
		msg_flag(m, "charset-unknown");
		msg_warn(m, "mime.charset", path, "unknown charset \"%s\"; decoded by best guess", c);
	} else {
		msg_flag(m, "charset-lying");
		msg_warn(m, "mime.charset", path, "text is not valid %s (byte %zu); decoded by best guess",
		    c, at);
	}
	free(c);
}

/* Undeclared or us-ascii text: valid UTF-8 is taken as it is (8-bit bytes
 * in us-ascii text are "charset-lying"); NULL when the bytes are not
 * UTF-8 and must be guessed. */
static char *
text_ascii(struct msg *m, const char *charset, const char *p, size_t n, const char *path,
    size_t *outlen)
{
	size_t i, k;

	/* NUL is ASCII (g_utf8_validate refuses it): it is kept here and shown
	 * as "\x00" by the cleaner, never a place where the text ends. */
	for (i = 0; i < n; i += k)
		if ((k = text_utf8_len((const unsigned char *)p + i, n - i)) == 0)
			break;
	if (i < n) {
		msg_flag(m, charset ? "charset-lying" : "charset-unknown");
		msg_warn(m, "mime.charset", path, "8-bit text %s; decoded by best guess",
		    charset ? "declared us-ascii" : "without a charset");
		return NULL;
	}
	for (i = 0; charset && i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			break;
	if (charset && i < n) {
		msg_flag(m, "charset-lying");
		msg_warn(m, "mime.charset", path, "text declared %s holds 8-bit bytes", charset);
	}
	*outlen = n;
	return xstrndup(p, n);
}

/* GMime's best guess over the fallback charsets, run on each stretch
 * between NUL bytes (it stops at a NUL), the NULs kept between them. */
static char *
text_guess(struct msg *m, const char *p, size_t n, size_t *outlen)
{
	struct buf b;
	bool ok = true;
	size_t i = 0;

	buf_init(&b, BUF_UNLIMITED);
	while (i <= n) {
		const char *nul = memchr(p + i, '\0', n - i);
		size_t k = nul ? (size_t)(nul - (p + i)) : n - i;
		char *guess = g_mime_utils_decode_8bit(m->po, p + i, k);

		ok &= buf_adds(&b, guess);
		g_free(guess);
		if (nul == NULL)
			break;
		ok &= buf_addc(&b, '\0');
		i += k + 1;
	}
	(void)ok;    /* an unlimited buffer refuses no append */
	*outlen = b.len;
	return buf_take(&b);
}

/* Body bytes to UTF-8 (RFC 2046 section 4.1.2: the charset parameter),
 * not yet cleaned: *outlen bytes (NUL-terminated, may hold NUL), malloc'd.
 * A charset iconv does not know is "charset-unknown"; bytes that are not
 * valid in the declared charset are "charset-lying". Either way GMime's
 * best-guess decoding over the fallback charsets is used. */
static char *
text_utf8(struct msg *m, const char *charset, const char *p, size_t n, const char *path,
    size_t *outlen)
{
	GError *err = NULL;
	gsize rd = 0, wr = 0;
	gchar *conv;
	char *r;
	const char *ic;
	GIConv cd;

	if (charset == NULL || charset_is(charset, "us-ascii") || charset_is(charset, "ascii")) {
		r = text_ascii(m, charset, p, n, path, outlen);
		if (r)
			return r;
		goto guess;
	}
	/* the label's decoder as clients use it (charset.h), else GMime's
	 * name for it */
	ic = charset_decoder(charset);
	if (ic == charset)
		ic = g_mime_charset_iconv_name(charset);
	cd = g_iconv_open("UTF-8", ic);
	if (cd == (GIConv)-1) {
		charset_warn(m, path, charset, SIZE_MAX);
		goto guess;
	}
	g_iconv_close(cd);
	conv = g_convert(p, (gssize)n, "UTF-8", ic, &rd, &wr, &err);
	if (conv && err == NULL) {
		r = xmalloc(wr + 1);
		memcpy(r, conv, wr);
		r[wr] = 0;
		*outlen = wr;
		g_free(conv);
		return r;
	}
	g_free(conv);
	if (err && err->code == G_CONVERT_ERROR_NO_CONVERSION)
		charset_warn(m, path, charset, SIZE_MAX);
	else
		charset_warn(m, path, charset, (size_t)rd);
	if (err)
		g_error_free(err);
guess:
	return text_guess(m, p, n, outlen);
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

/* The part path with this message's prefix: "1.2" in a message nested in
 * part 3 is "3.1.2". Bounded by the MIME depth ceiling. */
static char *
part_full(const struct msg *m, const char *path)
{
	return xasprintf("%s%s%s", m->prefix, *m->prefix ? "." : "", path);
}

/* Lists a part; the record takes mem (the bytes at p), freed with g_free
 * when glib, else free. */
static struct msg_part *
part_add(struct msg *m, const char *role, const char *name, const char *type, const char *path,
    const void *p, size_t len, void *mem, bool glib)
{
	struct msg_record *r = m->r;
	struct msg_part *pt;

	r->parts = xreallocarray(r->parts, r->nparts + 1, sizeof(*r->parts));
	pt = &r->parts[r->nparts++];
	memset(pt, 0, sizeof(*pt));
	pt->path = part_full(m, path);
	pt->name = text_clean_str(name, 0);    /* a declared name is hostile text */
	pt->type = xstrdup(type);
	pt->role = role;
	pt->p = p ? p : "";
	pt->len = len;
	if (mem) {
		struct msg_record_mem *mm = r->mem;
		mm->v = xreallocarray(mm->v, mm->n + 1, sizeof(*mm->v));
		mm->v[mm->n].p = mem;
		mm->v[mm->n].glib = glib;
		mm->n++;
	}
	return pt;
}

/* Takes the bytes out of a GByteArray for the record. */
static struct msg_part *
part_add_ba(struct msg *m, const char *role, const char *name, const char *type,
    const char *path, GByteArray *ba)
{
	size_t len = ba->len;
	guint8 *p = g_byte_array_free(ba, FALSE);

	return part_add(m, role, name, type, path, p, len, p, true);
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

/* ba, given storage when it is empty (GLib leaves an empty array without
 * any, and the record's bytes are never NULL). */
static GByteArray *
ba_stored(GByteArray *ba)
{
	if (ba->data == NULL) {
		static const guint8 nothing[1];
		g_byte_array_append(ba, nothing, 1);
		g_byte_array_set_size(ba, 0);
	}
	return ba;
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
	return ba_stored(ba);
}

/* The uuencoded block that starts at r (after its "begin" line) up to its
 * "end" line, decoded; NULL when the block never ends. */
static unsigned char *
uu_block(struct rd *r, const unsigned char *p, size_t *outlen)
{
	struct slice line;
	size_t start = r->off, end = start;
	GMimeEncoding enc;
	unsigned char *out;

	while (rd_line(r, 1 << 16, &line)) {
		if (line.len >= 3 && memcmp(line.p, "end", 3) == 0 &&
		    (line.len == 3 || line.p[3] == '\r'))
			break;
		end = r->off;
	}
	if (!rd_ok(r))
		return NULL;
	out = xmalloc(end - start + 16);
	g_mime_encoding_init_decode(&enc, GMIME_CONTENT_ENCODING_UUENCODE);
	enc.state |= GMIME_UUDECODE_STATE_BEGIN;
	*outlen = g_mime_encoding_step(&enc, (const char *)p + start, end - start, (char *)out);
	return out;
}

/* Old mailers put files inside a text body as uuencoded blocks
 * ("begin 644 name" ... "end"); each one is listed like an attachment. */
static void
text_uuencoded(struct msg *m, const unsigned char *p, size_t n, const char *path)
{
	struct rd r;
	struct slice line;
	unsigned k = 0;

	rd_init(&r, p, n);
	while (rd_line(&r, 1 << 16, &line)) {
		unsigned mode;
		char *name, *sp, *sub;
		unsigned char *out;
		size_t outlen = 0;

		if (line.len < 10 || memcmp(line.p, "begin ", 6) != 0)
			continue;
		if (line.len - 6 > MSG_UUNAME_MAX)
			msg_warn(m, "mime.parse", path, "uuencoded file name of %zu bytes; the first %u"
			    " are kept", line.len - 6, MSG_UUNAME_MAX);
		name = xstrndup((const char *)line.p + 6, line.len - 6 < MSG_UUNAME_MAX ?
		    line.len - 6 : MSG_UUNAME_MAX);
		sp = strchr(name, ' ');
		if (sscanf(name, "%o ", &mode) != 1 || sp == NULL) {
			free(name);
			continue;
		}
		out = uu_block(&r, p, &outlen);
		if (out == NULL) {
			free(name);
			break;
		}
		sub = xasprintf("%s%suu%u", path, *path ? "." : "", ++k);
		part_add(m, "attachment", sp + 1, "application/octet-stream", sub, out, outlen, out, false);
		msg_flag(m, "uuencode");
		free(sub);
		free(name);
	}
}

/* Flags a leaf's type sets: TNEF, S/MIME and PGP signatures and encryption. */
static void
leaf_type_flags(struct msg *m, GMimeObject *obj, const char *type, const char *name)
{
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
}

static void
leaf_base64_check(struct msg *m, GMimeDataWrapper *w, const char *path)
{
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

/* A text/plain or text/html body: its text joins the record's, its bytes
 * are listed as a "body" part (after any uuencoded files it carries). */
static void
leaf_body(struct msg *m, GMimeObject *obj, const char *type, GByteArray *ba, const char *path)
{
	const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");
	struct buf *dst = strcmp(type, "text/plain") == 0 ? &m->body : &m->html;
	size_t n, in = ba->len;
	char *t;

	/* Only what the text ceiling keeps is converted (and copied twice on
	 * the way): a part that never ends costs its decoded bytes once, not
	 * three times. 64 bytes more than the room left is enough for any
	 * charset's longest sequence; the part's bytes stay whole. */
	if (dst->max - dst->len < in && in - (dst->max - dst->len) > 64) {
		in = dst->max - dst->len + 64;
		dst->capped = true;
	}
	t = text_utf8(m, cs, (const char *)ba->data, in, path, &n);

	if (memchr(t, '\0', n) != NULL) {
		msg_flag(m, "nul-in-text");
		msg_warn(m, "mime.nul", path, "the text holds NUL bytes; each is shown as \\x00, and"
		    " the text after it is kept");
	}
	if (strcmp(type, "text/plain") == 0) {
		char *c = clean(t, (ssize_t)n, TEXT_LINES);
		text_append(&m->body, c);
		free(c);
		text_uuencoded(m, ba->data, ba->len, path);
	} else {
		bool capped = false;
		char *pt = html_text(t, n, m->html.max, &capped);
		if (capped)
			m->html.capped = true;
		text_append(&m->html, pt);
		free(pt);
	}
	free(t);
	part_add_ba(m, "body", NULL, type, path, ba);
}

/* The name= parameter of a Content-Type GMime could not read ("BINARY;
 * name=\"rep.pdf\"": no subtype), read from the field's parameters as
 * written (RFC 2045 section 5.1, RFC 2231 through GMime's parameter
 * parser). A new string, or NULL. */
static char *
leaf_name_loose(struct msg *m, GMimeObject *obj)
{
	const char *raw = g_mime_object_get_header(obj, "Content-Type"), *semi;
	GMimeParamList *pl;
	GMimeParam *p;
	char *r = NULL;

	if (raw == NULL || (semi = strchr(raw, ';')) == NULL)
		return NULL;
	pl = g_mime_param_list_parse(m->po, semi + 1);
	if (pl == NULL)
		return NULL;
	p = g_mime_param_list_get_parameter(pl, "name");
	if (p && g_mime_param_get_value(p))
		r = xstrdup(g_mime_param_get_value(p));
	g_object_unref(pl);
	return r;
}

static void
leaf(struct msg *m, GMimePart *part, const char *path)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	GMimeContentDisposition *cd = g_mime_object_get_content_disposition(obj);
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	char *loose = NULL;
	const char *name = g_mime_part_get_filename(part);
	char *mt = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("text/plain");

	if (name == NULL)
		name = loose = leaf_name_loose(m, obj);
	char *type = g_ascii_strdown(mt, -1);
	bool attach = cd && g_mime_content_disposition_is_attachment(cd);
	GByteArray *ba;

	g_free(mt);
	leaf_type_flags(m, obj, type, name);
	if (w == NULL)          /* headers that run into the next boundary: an empty part */
		ba = ba_stored(g_byte_array_new());
	else {
		if (g_mime_part_get_content_encoding(part) == GMIME_CONTENT_ENCODING_BASE64)
			leaf_base64_check(m, w, path);
		ba = wrapper_bytes(w, true);
	}
	if (!attach && name == NULL && (strcmp(type, "text/plain") == 0 || strcmp(type, "text/html") == 0))
		leaf_body(m, obj, type, ba, path);
	else {
		struct msg_part *pt = part_add_ba(m, cd && !attach ? "inline" : "attachment", name, type,
		    path, ba);
		pt->file = true;
		if (g_mime_part_get_content_encoding(part) == GMIME_CONTENT_ENCODING_UUENCODE)
			msg_flag(m, "uuencode");
	}
	g_free(type);
	free(loose);
}

static void walk(struct msg *m, GMimeObject *obj, const char *path, unsigned depth);

/* No part was found: the boundary is missing or never used. GMime kept the
 * content as the prologue; it is the best reading of the body there is. */
static void
walk_no_parts(struct msg *m, GMimeMultipart *mp, const char *path)
{
	const char *pro = g_mime_multipart_get_prologue(mp);

	msg_flag(m, "missing-boundary");
	msg_warn(m, "mime.boundary", path, "multipart without %s; its content is read as"
	    " plain text", g_mime_multipart_get_boundary(mp) ? "any boundary line" :
	    "a boundary parameter");
	if (pro) {
		size_t n;
		char *t = text_utf8(m, NULL, pro, strlen(pro), path, &n);
		char *c = clean(t, (ssize_t)n, TEXT_LINES);
		text_append(&m->body, c);
		free(c);
		free(t);
	}
}

/* A message/rfc822 part (RFC 2046 section 5.2.1): listed with its bytes as
 * GMime wrote them back, for the driver to analyse one level deeper. */
static void
walk_message(struct msg *m, GMimeObject *obj, const char *path)
{
	GMimeMessage *child = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	GMimeStream *mem;
	GByteArray *ba;
	struct msg_part *pt;
	const char *p = *path ? path : "1";

	if (child == NULL)
		return;
	mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(child), NULL, mem);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_object_unref(mem);
	pt = part_add_ba(m, "attachment", g_mime_object_get_content_disposition_parameter(obj,
	    "filename"), "message/rfc822", p, ba);
	if (m->env->depth + 1 > m->lim->mime_depth) {
		msg_flag(m, "cap-hit:depth");
		msg_warn(m, "cap.mime_depth", p, "nested message deeper than %u; stored, not analysed",
		    m->lim->mime_depth);
	} else
		pt->nested = true;
}

/* False (logged once) when a ceiling stops the walk here. */
static bool
walk_within(struct msg *m, const char *path, unsigned depth)
{
	if (++m->nparts > m->lim->mime_parts) {
		if (!m->parts_capped) {
			m->parts_capped = true;
			msg_flag(m, "cap-hit:parts");
			msg_warn(m, "cap.mime_parts", path, "more than %u MIME parts; the rest are not"
			    " extracted", m->lim->mime_parts);
		}
		return false;
	}
	if (depth > m->lim->mime_depth) {
		if (!m->depth_capped) {
			m->depth_capped = true;
			msg_flag(m, "cap-hit:depth");
			msg_warn(m, "cap.mime_depth", path, "MIME nesting deeper than %u; deeper parts"
			    " are not extracted", m->lim->mime_depth);
		}
		return false;
	}
	return true;
}

static void
walk(struct msg *m, GMimeObject *obj, const char *path, unsigned depth)
{
	if (!walk_within(m, path, depth))
		return;
	if (GMIME_IS_MULTIPART_SIGNED(obj))
		msg_flag(m, "signed");
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj))
		msg_flag(m, "encrypted");
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		if (g_mime_multipart_get_boundary(mp) != NULL)
			g_ptr_array_add(m->boundaries, xstrdup(g_mime_multipart_get_boundary(mp)));
		if (n == 0)
			walk_no_parts(m, mp, path);
		for (i = 0; i < n; i++) {
			char *sub = xasprintf("%s%s%d", path, *path ? "." : "", i + 1);
			walk(m, g_mime_multipart_get_part(mp, i), sub, depth + 1);
			free(sub);
		}
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj))
		walk_message(m, obj, path);
	else if (GMIME_IS_PART(obj))
		leaf(m, GMIME_PART(obj), *path ? path : "1");
}

/* ---- headers and addresses ----------------------------------------------- */

static void
addr_add(struct msg *m, const char *role, const char *name, const char *addr)
{
	struct msg_record *r = m->r;
	struct msg_addr *a;

	if (r->naddrs == m->addrs_cap) {
		m->addrs_cap = m->addrs_cap ? m->addrs_cap * 2 : 8;
		r->addrs = xreallocarray(r->addrs, m->addrs_cap, sizeof(*r->addrs));
	}
	a = &r->addrs[r->naddrs++];
	a->role = role;
	a->name = name && *name ? clean(name, -1, 0) : NULL;
	a->addr = clean(addr, -1, 0);
}

/* The addresses of one field, groups opened (RFC 5322 3.4), at most
 * lim->header_addresses of them; *seen counts them all. */
static void
addr_list_in(struct msg *m, const char *role, InternetAddressList *l, size_t *seen)
{
	int i, n = l ? internet_address_list_length(l) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_GROUP(a))
			addr_list_in(m, role, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)),
			    seen);
		else if (++*seen <= m->lim->header_addresses || m->lim->header_addresses == 0)
			addr_add(m, role, internet_address_get_name(a),
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
	}
}

static void
addr_list(struct msg *m, const char *role, InternetAddressList *l)
{
	size_t seen = 0;

	addr_list_in(m, role, l, &seen);
	if (m->lim->header_addresses && seen > m->lim->header_addresses) {
		msg_flag(m, "cap-hit:addresses");
		msg_warn(m, "cap.header_addresses", NULL, "the %s field holds %zu addresses, past the"
		    " ceiling of %u (header-addresses); the first %u are kept", role, seen,
		    m->lim->header_addresses, m->lim->header_addresses);
	}
}

/* An address field as text (Return-Path, the envelope): parsed loosely,
 * kept as written when it does not parse. */
static void
addr_text(struct msg *m, const char *role, const char *text)
{
	InternetAddressList *l;

	if (text == NULL || *text == 0)
		return;
	l = internet_address_list_parse(m->po, text);
	if (l && internet_address_list_length(l) > 0)
		addr_list(m, role, l);
	else
		addr_add(m, role, NULL, text);
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

static int
header_offset_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(*(GMimeHeader *const *)a);
	gint64 y = g_mime_header_get_offset(*(GMimeHeader *const *)b);

	return x < y ? -1 : x > y;
}

/* Every header of the message's header block, in the order written. GMime
 * keeps the Content-* fields with the top-level part, so the two lists are
 * merged by their offsets in the message. Free with g_ptr_array_free(). */
static GPtrArray *
headers_all(GMimeMessage *msg)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	GMimeHeaderList *pl = top ? g_mime_object_get_header_list(top) : NULL;
	GPtrArray *all = g_ptr_array_new();
	int i, n = hl ? g_mime_header_list_get_count(hl) : 0;

	for (i = 0; i < n; i++)
		g_ptr_array_add(all, g_mime_header_list_get_header_at(hl, i));
	n = pl ? g_mime_header_list_get_count(pl) : 0;
	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(pl, i);
		if (g_ascii_strncasecmp(g_mime_header_get_name(h), "Content-", 8) == 0)
			g_ptr_array_add(all, h);
	}
	g_ptr_array_sort(all, header_offset_cmp);
	return all;
}

/* The headers as JSON [name, raw, decoded], and the fields the route reads
 * (Received, Authentication-Results, DKIM-Signature). */
/* A header value as clients read it, ready for GMime: 8-bit bytes that are
 * not UTF-8 converted by libuchardet's guess (RFC 6532 allows only UTF-8;
 * older mailers wrote their local charset), then encoded-words prepared
 * (rfc2047.h). A new string, or NULL when GMime's own reading stands. */
static char *
header_prepare(struct msg *m, const char *name, const char *raw, bool quiet)
{
	size_t n = raw ? strlen(raw) : 0;
	char *conv = NULL, *prep, *guess;
	bool high = false;

	for (size_t i = 0; i < n && !high; i++)
		high = (unsigned char)raw[i] >= 0x80;
	if (high && !g_utf8_validate(raw, (gssize)n, NULL) &&
	    (guess = m->hguess ? xstrdup(m->hguess) : charset_guess(raw, n)) != NULL) {
		conv = g_convert(raw, (gssize)n, "UTF-8", guess, NULL, NULL, NULL);
		if (conv != NULL && !quiet) {
			char *nm = clean(name, -1, 0);
			msg_flag(m, "8bit-header-guessed");
			msg_warn(m, "mime.header_8bit", NULL, "header %s holds 8-bit bytes that are not"
			    " UTF-8; decoded as %s (libuchardet's guess); the raw bytes are kept", nm, guess);
			free(nm);
		}
		free(guess);
	}
	prep = rfc2047_prepare(conv ? conv : raw);
	if (prep == NULL && conv != NULL)
		prep = xstrdup(conv);
	g_free(conv);
	return prep;
}

/* The decoded value of a prepared header (header_prepare), or NULL. */
static char *
header_decode(struct msg *m, const char *name, const char *raw, bool quiet)
{
	char *prep = header_prepare(m, name, raw, quiet), *u, *d, *r;

	if (prep == NULL)
		return NULL;
	u = g_mime_utils_header_unfold(prep);
	d = g_mime_utils_header_decode_text(m->po, u);
	r = xstrdup(d);
	g_free(d);
	g_free(u);
	free(prep);
	return r;
}

static char *
headers_json(struct msg *m, GMimeMessage *msg)
{
	GPtrArray *all = headers_all(msg);
	json_t *arr = json_array();
	bool ok = true;
	guint k;
	char *s;

	for (k = 0; k < all->len; k++) {
		GMimeHeader *h = all->pdata[k];
		const char *name = g_mime_header_get_name(h);
		char *nm = clean(name, -1, 0);
		char *raw = trim_dup(g_mime_header_get_raw_value(h), TEXT_LINES);
		char *mine = header_decode(m, name, g_mime_header_get_raw_value(h), false);
		char *dec = trim_dup(mine ? mine : g_mime_header_get_value(h), TEXT_LINES);
		json_t *row = json_array();

		json_array_append_new(row, json_string(nm));
		json_array_append_new(row, json_string(raw ? raw : ""));
		json_array_append_new(row, json_string(dec ? dec : ""));
		json_array_append_new(arr, row);
		if (strcasecmp(name, "Received") == 0)
			g_ptr_array_add(m->received, unfold(g_mime_header_get_raw_value(h)));
		else if (strcasecmp(name, "Authentication-Results") == 0) {
			char *u = unfold(g_mime_header_get_raw_value(h));
			if (m->auth.len)
				ok &= buf_addc(&m->auth, '\n');
			ok &= buf_adds(&m->auth, u);
			free(u);
		} else if (strcasecmp(name, "DKIM-Signature") == 0)
			m->r->has_dkim = true;
		free(nm);
		free(raw);
		free(mine);
		free(dec);
	}
	if (!ok)
		msg_warn(m, "cap.message_bytes", NULL, "Authentication-Results longer than %u bytes;"
		    " the rest is not kept", MSG_AUTH_MAX);
	g_ptr_array_free(all, TRUE);
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

/* ---- the record ---------------------------------------------------------- */

/* Date (RFC 5322 section 3.6.1) through the program's one date parser. A
 * zone name it does not know is never silently taken for UTC: the instant
 * is kept as if it were, flagged and logged, as is a Date with no zone at
 * all; "-0000" and the military
 * letters (RFC 5322 section 4.3) are flagged as an untrusted offset. */
static void
record_date(struct msg *m)
{
	struct msg_record *r = m->r;
	struct maildate md;

	if (r->date_raw == NULL)
		return;
	if (!maildate_read(r->date_raw, strlen(r->date_raw), &md)) {
		msg_flag(m, "date-unparseable");
		msg_warn(m, "mime.date", NULL, "Date header could not be read: %s", r->date_raw);
		return;
	}
	r->date_us = md.us;
	r->date_ok = true;
	r->date_zone = md.zone;
	if (md.zone == MAILDATE_ZONE_UNKNOWN) {
		msg_flag(m, "date-zone-unknown");
		msg_warn(m, "mime.date", NULL, "Date header names a time zone that is not known (%.*s);"
		    " its time is read as UTC, which may be wrong by up to 14 hours: %s",
		    (int)md.zone_len, r->date_raw + md.zone_off, r->date_raw);
	} else if (md.zone == MAILDATE_ZONE_UNTRUSTED) {
		msg_flag(m, "date-zone-untrusted");
	} else if (md.zone == MAILDATE_ZONE_NONE) {
		msg_flag(m, "date-zone-missing");
		msg_warn(m, "mime.date", NULL, "Date header gives no time zone; its time is read as"
		    " UTC, which may be wrong by up to 14 hours: %s", r->date_raw);
	}
}

static void
record_fields(struct msg *m, GMimeMessage *msg)
{
	struct msg_record *r = m->r;
	GMimeObject *mobj = GMIME_OBJECT(msg);
	const char *fn = NULL, *fa;

	r->headers = headers_json(m, msg);
	r->message_id = header_first(mobj, "Message-ID");
	r->date_raw = header_first(mobj, "Date");
	r->in_reply_to = header_first(mobj, "In-Reply-To");
	r->references = header_first(mobj, "References");
	r->x_mailer = header_first(mobj, "X-Mailer");
	if (r->x_mailer == NULL)
		r->x_mailer = header_first(mobj, "User-Agent");
	r->x_originating_ip = header_first(mobj, "X-Originating-IP");
	r->return_path = header_first(mobj, "Return-Path");
	{
		GMimeHeaderList *hl = g_mime_object_get_header_list(mobj);
		GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, "Subject") : NULL;
		char *mine = h ? header_decode(m, "Subject", g_mime_header_get_raw_value(h), true) : NULL;
		r->subject = clean(mine ? mine : g_mime_message_get_subject(msg), -1, 0);
		free(mine);
	}
	fa = first_addr(g_mime_message_get_from(msg), &fn);
	r->from_addr = clean(fa, -1, 0);
	r->from_name = fn && *fn ? clean(fn, -1, 0) : NULL;
	record_date(m);
	if (r->return_path) {
		InternetAddressList *l = internet_address_list_parse(m->po, r->return_path);
		const char *a = first_addr(l, NULL);
		r->return_path_addr = a ? clean(a, -1, 0) : NULL;
		if (l)
			g_object_unref(l);
	}
}

/* An address as mailers write it when they break RFC 5322 section 3.4:
 * without angle brackets after a name ("Big Bug bb@bug.com"), as a
 * "mailto:" URI (RFC 6068), or with an obsolete route ("@a,@b:u@x",
 * section 4.4). The word holding "@" is the address; the rest is the name. */
static bool
addr_loose(struct msg *m, const char *role, const char *piece)
{
	char *s = xstrdup(piece), *at, *b, *e, *start, *addr = NULL, *name;
	bool ok = false;

	if ((at = strrchr(s, '@')) == NULL)
		goto out;
	for (b = at; b > s && !strchr(" \t<\"(", b[-1]); b--)
		;
	for (e = at; *e && !strchr(" \t>\")", *e); e++)
		;
	*e = 0;
	start = b;
	if (strncasecmp(b, "mailto:", 7) == 0)
		b += 7;
	if (*b == '@' && strchr(b, ':'))
		b = strrchr(b, ':') + 1;
	if (strchr(b, '@') == NULL || *b == '@')
		goto out;
	addr = xstrdup(b);
	*start = 0;
	name = g_strstrip(s);
	while (*name == '"')
		name++;
	for (size_t n = strlen(name); n > 0 && (name[n - 1] == '"' || name[n - 1] == '<' ||
	    name[n - 1] == ' '); n--)
		name[n - 1] = 0;
	addr_add(m, role, g_strstrip(name), addr);
	ok = true;
out:
	free(addr);
	free(s);
	return ok;
}

/* Whether GMime found an address in l (a mailbox with an addr-spec); a
 * name alone ("Big Bug bb@bug.com" read as a display name) is none. */
static bool
list_has_addr(InternetAddressList *l)
{
	int n = l ? internet_address_list_length(l) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(l, i);
		const char *s;
		if (INTERNET_ADDRESS_IS_GROUP(a))
			return true;
		s = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
		if (s && strchr(s, '@'))
			return true;
	}
	return false;
}

/* One address field (every instance of it): GMime's reading, or, when the
 * field's value needed preparing (header_prepare) or GMime found no
 * address in a value that holds one, the prepared value parsed again and
 * then read loosely (addr_loose), flagged "address-loose". */
static void
addr_field(struct msg *m, GMimeMessage *msg, const char *role, const char *name,
    GMimeAddressType type)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	InternetAddressList *l = g_mime_message_get_addresses(msg, type);
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	bool gm = true;

	for (int i = 0; i < n && gm; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		char *prep;
		if (strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		prep = header_prepare(m, name, g_mime_header_get_raw_value(h), true);
		gm = prep == NULL;
		free(prep);
	}
	if (gm && list_has_addr(l)) {
		addr_list(m, role, l);
		return;
	}
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		char *raw = unfold_raw(g_mime_header_get_raw_value(h)), *prep, **pieces;
		InternetAddressList *one;
		if (strcasecmp(g_mime_header_get_name(h), name) != 0 || raw == NULL) {
			free(raw);
			continue;
		}
		prep = header_prepare(m, name, raw, true);
		one = internet_address_list_parse(m->po, prep ? prep : raw);
		if (list_has_addr(one))
			addr_list(m, role, one);
		else if (strchr(raw, '@')) {
			pieces = g_strsplit(prep ? prep : raw, ",", 0);
			for (char **p = pieces; *p; p++)
				if (addr_loose(m, role, *p))
					msg_flag(m, "address-loose");
			g_strfreev(pieces);
		}
		if (one)
			g_object_unref(one);
		free(prep);
		free(raw);
	}
}

/* Addresses: RFC 5322 sections 3.6.2 and 3.6.3, RFC 5321 section 4.4 for
 * the envelope of the top-level message. */
static void
record_addrs(struct msg *m, GMimeMessage *msg)
{
	const struct msg_origin *o = m->o;
	bool top = m->env->depth == 0;
	size_t i;

	if (msg) {
		addr_field(m, msg, "from", "From", GMIME_ADDRESS_TYPE_FROM);
		addr_field(m, msg, "sender", "Sender", GMIME_ADDRESS_TYPE_SENDER);
		addr_field(m, msg, "reply-to", "Reply-To", GMIME_ADDRESS_TYPE_REPLY_TO);
		addr_field(m, msg, "to", "To", GMIME_ADDRESS_TYPE_TO);
		addr_field(m, msg, "cc", "Cc", GMIME_ADDRESS_TYPE_CC);
		addr_field(m, msg, "bcc", "Bcc", GMIME_ADDRESS_TYPE_BCC);
		addr_text(m, "return-path", m->r->return_path);
	}
	if (!top)
		return;
	if (o->env_from)
		addr_text(m, "env-from", o->env_from);
	for (i = 0; i < o->nrcpt; i++)
		addr_text(m, "env-rcpt", o->env_rcpt[i]);
}

/* From read only loosely (addr_field) still names the sender. */
static void
record_from_loose(struct msg *m)
{
	struct msg_record *r = m->r;

	for (size_t i = 0; r->from_addr == NULL && i < r->naddrs; i++)
		if (strcmp(r->addrs[i].role, "from") == 0) {
			r->from_addr = r->addrs[i].addr ? xstrdup(r->addrs[i].addr) : NULL;
			r->from_name = r->addrs[i].name ? xstrdup(r->addrs[i].name) : NULL;
		}
}

static void
record_envelope(struct msg *m)
{
	const struct msg_origin *o = m->o;
	json_t *a;
	size_t i;

	if (m->env->depth != 0)
		return;
	m->r->env_from = clean(o->env_from, -1, 0);
	if (o->nrcpt == 0)
		return;
	a = json_array();
	for (i = 0; i < o->nrcpt; i++) {
		char *c = clean(o->env_rcpt[i], -1, 0);
		json_array_append_new(a, json_string(c ? c : ""));
		free(c);
	}
	m->r->env_rcpt = json_dumps(a, JSON_COMPACT);
	json_decref(a);
}

static GMimeParserOptions *
msg_parser_options(struct msg *m)
{
	/* Undeclared 8-bit text: UTF-8 first, then Korean (the examiners'
	 * mail), then the Western default of old mailers. */
	static const char *fallback[] = { "utf-8", "cp949", "windows-1252", NULL };
	GMimeParserOptions *po = g_mime_parser_options_new();

	g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_fallback_charsets(po, fallback);
	g_mime_parser_options_set_warning_callback(po, parser_warning, m);
	return po;
}

/* GMime reads the message from a memory stream over the caller's bytes,
 * not a copy of them (g_mime_stream_mem_new_with_buffer copies: a second
 * 64 MiB for a message at the ceiling). The GByteArray only lends the
 * bytes; the stream does not own it, nothing writes to it, and
 * msg_release() takes the bytes back after the last GMime object that
 * could read them is gone. */
static GMimeMessage *
msg_construct(struct msg *m, const void *raw, size_t len)
{
	GMimeStream *stream;
	GMimeParser *parser;

	m->lent = g_byte_array_new();
	m->lent->data = (guint8 *)(raw ? raw : "");
	m->lent->len = (guint)len;
	stream = g_mime_stream_mem_new_with_byte_array(m->lent);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, m->po);

	g_object_unref(parser);
	g_object_unref(stream);
	if (msg == NULL) {
		msg_flag(m, "unparseable");
		msg_warn(m, "mime.parse", NULL, "GMime could not read a message here");
	}
	return msg;
}

static void
msg_init(struct msg *m, struct msg_record *r, const struct msg_origin *o,
    const struct msg_env *env)
{
	size_t text_max = env->lim->text_bytes ? env->lim->text_bytes :
	    env->lim->message_bytes ? env->lim->message_bytes : BUF_UNLIMITED;

	if (!gmime_ready) {
		g_mime_init();
		gmime_ready = true;
	}
	memset(m, 0, sizeof(*m));
	m->env = env;
	m->lim = env->lim;
	m->o = o;
	m->r = r;
	m->prefix = env->prefix ? env->prefix : "";
	buf_init(&m->flags, 4096);
	buf_init(&m->body, text_max);
	buf_init(&m->html, text_max);
	buf_init(&m->auth, MSG_AUTH_MAX);
	m->received = g_ptr_array_new();
	m->boundaries = g_ptr_array_new();
	m->po = msg_parser_options(m);
}

/* Moves what the walk gathered into the record and frees the state. */
static void
msg_done(struct msg *m)
{
	struct msg_record *r = m->r;

	if (m->body.capped || m->html.capped) {
		msg_flag(m, "cap-hit:text");
		msg_warn(m, "cap.message_bytes", NULL, "decoded text longer than %zu bytes (text-bytes)"
		    " is cut there; the message and its parts are stored whole",
		    m->lim->text_bytes ? m->lim->text_bytes : m->lim->message_bytes);
	}
	msg_parser_warned(m);
	r->body_text = m->body.len ? buf_take(&m->body) : NULL;
	r->html_text = m->html.len ? buf_take(&m->html) : NULL;
	r->flags = m->flags.len ? buf_take(&m->flags) : NULL;
	r->auth_results = m->auth.len ? buf_take(&m->auth) : NULL;
	r->nreceived = m->received->len;
	r->received = (char **)g_ptr_array_free(m->received, FALSE);
	r->nboundaries = m->boundaries->len;
	r->boundaries = (char **)g_ptr_array_free(m->boundaries, FALSE);
	g_mime_parser_options_free(m->po);
	free(m->hguess);
	buf_free(&m->flags);
	buf_free(&m->body);
	buf_free(&m->html);
	buf_free(&m->auth);
}

/* The charset of the header block's 8-bit bytes (struct msg hguess). */
static char *
header_guess(const char *raw, size_t len)
{
	const char *end = NULL;
	size_t n, i;

	for (i = 0; i + 1 < len && end == NULL; i++)
		if (raw[i] == '\n' && (raw[i + 1] == '\n' || (raw[i + 1] == '\r' && i + 2 < len &&
		    raw[i + 2] == '\n')))
			end = raw + i;
	n = end ? (size_t)(end - raw) : len;
	for (i = 0; i < n && (unsigned char)raw[i] < 0x80; i++)
		;
	if (i == n || g_utf8_validate(raw, (gssize)n, NULL))
		return NULL;
	return charset_guess(raw, n);
}

/* Blank or white-space lines before the first header field (written by
 * some exporters and by SMTP clients that send an empty line after DATA):
 * read as they are, they would end an empty header. When a field follows
 * them (RFC 5322 section 2.2: ftext ":"), they are skipped, flagged and
 * logged; the raw message keeps them. Returns the bytes skipped. */
static size_t
leading_blank(struct msg *m, const void *raw, size_t len)
{
	struct rd r;
	struct slice line;
	size_t skip = 0, i;

	rd_init(&r, raw, len);
	while (rd_line(&r, len, &line)) {
		for (i = 0; i < line.len && (line.p[i] == ' ' || line.p[i] == '\t'); i++)
			;
		if (i < line.len)
			break;
		skip = r.off;
	}
	if (skip == 0 || !rd_ok(&r))
		return 0;
	for (i = 0; i < line.len && line.p[i] > ' ' && line.p[i] < 0x7f && line.p[i] != ':'; i++)
		;
	if (i == 0 || i >= line.len || line.p[i] != ':')
		return 0;
	msg_flag(m, "leading-blank-line");
	msg_warn(m, "mime.leading_blank", NULL, "%zu bytes of blank lines come before the first"
	    " header field; the header is read after them", skip);
	return skip;
}

/* RFC 5322 section 2.2: a header field holds no NUL. GMime reads a value
 * only up to one, so the rest of that field would be lost without a word:
 * the first NUL in the header block is flagged and logged with its offset
 * (the raw message, stored byte for byte, keeps everything). */
static void
record_header_nul(struct msg *m, const char *raw, size_t len)
{
	struct rd r;
	struct slice line;
	uint64_t off;

	rd_init(&r, raw, len);
	for (;;) {
		off = r.off;
		if (!rd_line(&r, len, &line) || line.len == 0)
			return;
		if (memchr(line.p, '\0', line.len) != NULL)
			break;
	}
	msg_flag(m, "nul-in-header");
	msg_warn(m, "mime.nul", NULL, "the header line at byte %" PRIu64 " of the message holds a"
	    " NUL byte; its value is read only up to it (the stored raw message holds it whole)",
	    off);
}

/* The end of the header field starting at p[i] (RFC 5322 2.2.3: a line
 * that begins with SP or HT continues the field), past its last line end. */
static size_t
field_end(const char *p, size_t len, size_t i)
{
	for (;;) {
		const char *nl = memchr(p + i, '\n', len - i);

		if (nl == NULL)
			return len;
		i = (size_t)(nl - p) + 1;
		if (i >= len || (p[i] != ' ' && p[i] != '\t'))
			return i;
	}
}

/* The header section bounded before GMime reads it: a field longer than
 * lim->header_bytes is cut there (its line end kept), and Received fields
 * past lim->received are left out, each cut a flag and a finding. NULL when
 * nothing is cut (the message is read as it is); else a copy with the body
 * after it, *outlen long; free() it. The stored raw message, and its
 * hashes, stay the evidence's bytes. */
static char *
headers_bound(struct msg *m, const char *p, size_t len, size_t *outlen)
{
	size_t hmax = m->lim->header_bytes, i = 0, nrec = 0, cut = 0, dropped = 0, longest = 0;
	unsigned rmax = m->lim->received;
	struct buf b;
	bool copy = false;

	/* First pass: is anything over a ceiling? Most messages are not. */
	while (i < len && p[i] != '\r' && p[i] != '\n') {
		size_t e = field_end(p, len, i);

		if (hmax && e - i > hmax)
			copy = true;
		if (e - i >= 9 && strncasecmp(p + i, "Received:", 9) == 0 && rmax && ++nrec > rmax)
			copy = true;
		i = e;
	}
	if (!copy)
		return NULL;
	buf_init(&b, BUF_UNLIMITED);
	i = 0;
	nrec = 0;
	while (i < len && p[i] != '\r' && p[i] != '\n') {
		size_t e = field_end(p, len, i), n = e - i;
		bool ok = true;

		if (n >= 9 && strncasecmp(p + i, "Received:", 9) == 0 && rmax && ++nrec > rmax) {
			dropped++;
		} else if (hmax && n > hmax) {
			if (n > longest)
				longest = n;
			cut++;
			ok &= buf_add(&b, p + i, hmax);
			ok &= buf_adds(&b, "\r\n");
		} else {
			ok &= buf_add(&b, p + i, n);
		}
		if (!ok)
			fatal("out of memory bounding a header");
		i = e;
	}
	if (!buf_add(&b, p + i, len - i))
		fatal("out of memory bounding a header");
	if (cut) {
		msg_flag(m, "cap-hit:header");
		if (cut == 1)
			msg_warn(m, "cap.header_bytes", NULL, "%zu header field longer than the ceiling"
			    " of %zu bytes (header-bytes; the longest %zu bytes) is analysed up to it;"
			    " the stored message holds it whole", cut, hmax, longest);
		else
			msg_warn(m, "cap.header_bytes", NULL, "%zu header fields longer than the ceiling"
			    " of %zu bytes (header-bytes; the longest %zu bytes) are analysed up to it;"
			    " the stored message holds them whole", cut, hmax, longest);
	}
	if (dropped) {
		msg_flag(m, "cap-hit:received");
		msg_warn(m, "cap.received", NULL, "%zu Received fields pass the ceiling of %u"
		    " (received); the %zu after the first %u are not analysed, the stored message"
		    " holds them", nrec, rmax, dropped, rmax);
	}
	*outlen = b.len;
	return buf_take(&b);
}

struct msg_record *
message_parse(const void *raw, size_t len, const struct msg_origin *o, const struct msg_env *env)
{
	static const struct msg_origin none = { .source = "eml" };
	struct msg_record *r = xcalloc(1, sizeof(*r));
	struct msg m;
	GMimeMessage *msg;
	size_t plen = len, skip, blen = 0;
	char *bounded;
	const char *bounded_p;

	r->mem = xcalloc(1, sizeof(*r->mem));
	msg_init(&m, r, o ? o : &none, env);
	if (env->lim->message_bytes && len > env->lim->message_bytes) {
		plen = env->lim->message_bytes;
		msg_flag(&m, "cap-hit:size");
		msg_warn(&m, "cap.message_bytes", NULL, "message of %zu bytes is larger than %zu;"
		    " the first %zu bytes are analysed, all are stored", len, plen, plen);
	}
	record_header_nul(&m, raw, plen);
	skip = leading_blank(&m, raw, plen);
	bounded = headers_bound(&m, (const char *)raw + skip, plen - skip, &blen);
	if (bounded == NULL) {
		bounded_p = (const char *)raw + skip;
		blen = plen - skip;
	} else {
		bounded_p = bounded;
	}
	m.hguess = header_guess(bounded_p, blen);
	msg = msg_construct(&m, bounded_p, blen);
	r->parsed = msg != NULL;
	if (msg)
		record_fields(&m, msg);
	record_envelope(&m);
	record_addrs(&m, msg);
	record_from_loose(&m);
	if (msg)
		walk(&m, g_mime_message_get_mime_part(msg), "", 0);
	msg_done(&m);
	if (msg)
		g_object_unref(msg);
	if (m.lent != NULL) {
		m.lent->data = NULL;
		m.lent->len = 0;
		g_byte_array_free(m.lent, TRUE);
	}
	free(bounded);
	return r;
}

void
message_record_free(struct msg_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->naddrs; i++) {
		free(r->addrs[i].name);
		free(r->addrs[i].addr);
	}
	for (i = 0; i < r->nparts; i++) {
		free(r->parts[i].path);
		free(r->parts[i].name);
		free(r->parts[i].type);
	}
	for (i = 0; i < r->mem->n; i++)
		if (r->mem->v[i].glib)
			g_free(r->mem->v[i].p);
		else
			free(r->mem->v[i].p);
	for (i = 0; i < r->nreceived; i++)
		free(r->received[i]);
	g_free(r->received);
	for (i = 0; i < r->nboundaries; i++)
		free(r->boundaries[i]);
	g_free(r->boundaries);
	free(r->mem->v);
	free(r->mem);
	free(r->addrs);
	free(r->parts);
	free(r->headers); free(r->message_id); free(r->subject); free(r->from_addr);
	free(r->from_name); free(r->date_raw); free(r->in_reply_to); free(r->references);
	free(r->x_mailer); free(r->x_originating_ip); free(r->auth_results); free(r->return_path);
	free(r->return_path_addr); free(r->env_from); free(r->env_rcpt); free(r->body_text);
	free(r->html_text); free(r->flags);
	free(r);
}
