/* model_messages.c - the report model's "messages" section, built from the
 * tables mail/message.c writes (messages, addresses, artifact_refs), with a
 * timeline event for each message's Date.
 *
 * Keys: messages_any, messages_count, messages[] = {no, id, source,
 * evidence, provenance, parent_no, nested, subject, from, from_name,
 * from_addr, to, cc, bcc, reply_to, sender, return_path, env_from, env_rcpt,
 * envelope_any, date_raw, date, message_id, in_reply_to, references,
 * x_mailer, x_originating_ip, auth_results, has_dkim, flags, flags_any,
 * incomplete, incomplete_why, partial, size, raw_sha256, raw_path, raw_href,
 * headers[] {name, value, decoded}, headers_any, body_any, body_lines[]
 * {line}, html_any, html_lines[] {line}, attachments_any, attachments[]
 * {name, type, detected, size, md5, sha1, sha256, path, href, part, role,
 * mismatch}, route}. Values are evidence text; the templates escape them
 * (nothing is escaped here). */
#include "capture/stream.h"
#include "report/model.h"
#include "store/artifacts.h"
#include "store/q_auth.h"
#include "store/q_report.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* model_route() lives in report/model_route.c (the hops stage). */
#ifndef MC_MODEL_ROUTE
#define MC_MODEL_ROUTE 1
#endif

/* Lines of body text shown per message; the rest is counted. */
#define BODY_LINES_MAX 400

/* Folded header text on one line: CR, LF and tabs become single spaces. */
static char *
one_line(const char *s)
{
	char *r = xstrdup(s ? s : ""), *w = r;
	const char *p;
	bool sp = false;

	for (p = r; *p; p++) {
		if (*p == '\r' || *p == '\n' || *p == '\t') {
			sp = true;
			continue;
		}
		if (sp && w != r && w[-1] != ' ')
			*w++ = ' ';
		sp = false;
		*w++ = *p;
	}
	*w = 0;
	return r;
}

/* Text as [{line}], at most max lines; *cut set when some were left out. */
static json_t *
lines(const char *text, size_t max, bool *cut)
{
	json_t *arr = json_array();
	const char *p = text, *e;
	size_t n = 0;

	*cut = false;
	while (p && *p) {
		char *l;
		size_t len;
		e = strchr(p, '\n');
		len = e ? (size_t)(e - p) : strlen(p);
		if (n == max) {
			*cut = true;
			break;
		}
		if (len > 0 && p[len - 1] == '\r')
			len--;
		l = xstrndup(p, len);
		{
			json_t *o = json_object();
			json_object_set_new(o, "line", model_string(l));
			json_array_append_new(arr, o);
		}
		free(l);
		n++;
		p = e ? e + 1 : NULL;
	}
	return arr;
}

/* A display name as RFC 5322 3.4 writes it: a quoted-string (3.2.4) when it
 * holds a special other than "." (which obs-phrase allows), so that a name
 * with a comma does not read as two addresses and a name that is itself an
 * address ("boss@example.com" <other@example.net>) reads as a name. */
static bool
name_add(struct buf *b, const char *name)
{
	const char *p;
	bool ok = true;

	if (strpbrk(name, "()<>[]:;@\\,\"") == NULL)
		return buf_adds(b, name);
	ok &= buf_addc(b, '"');
	for (p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			ok &= buf_addc(b, '\\');
		ok &= buf_addc(b, *p);
	}
	ok &= buf_addc(b, '"');
	return ok;
}

/* Addresses of one role as "Name <addr>, addr" plain text. */
static json_t *
addr_list(struct rows *st, int64_t id, const char *role)
{
	struct buf b;
	bool ok = true;
	const struct row *ra;
	json_t *r;

	rows_bind_int(st, 1, id);
	rows_bind_text(st, 2, role);
	buf_init(&b, 1 << 20);
	while (rows_next(st, &ra)) {
		const char *name = row_text(ra, 0), *addr = row_text(ra, 1);
		if (b.len)
			ok &= buf_adds(&b, ", ");
		if (name && *name) {
			ok &= name_add(&b, name);
			ok &= buf_printf(&b, " <%s>", addr ? addr : "");
		} else
			ok &= buf_adds(&b, addr ? addr : "");
	}
	(void)ok;     /* a capped list is cut at 1 MiB, which no report row needs */
	r = b.len ? model_string(buf_str(&b)) : json_null();
	buf_free(&b);
	return r;
}

/* A value longer than MODEL_DISPLAY_BYTES is shown cut (at a character
 * boundary), with its full length and SHA-256 under key_cut; the stored
 * raw message holds it whole. A header of a megabyte would otherwise be
 * a megabyte on every page that shows it. */
#define MODEL_DISPLAY_BYTES 8192

static void
display_set(json_t *o, const char *key, const char *v)
{
	size_t n = v ? strlen(v) : 0, k = MODEL_DISPLAY_BYTES;
	char sha[65], *cutkey;
	json_t *c;

	if (n <= MODEL_DISPLAY_BYTES) {
		json_object_set_new(o, key, model_string(v));
		return;
	}
	while (k > 0 && ((unsigned char)v[k] & 0xc0) == 0x80)
		k--;        /* never half a UTF-8 sequence (RFC 3629 3) */
	hash_sha256_hex(v, n, sha);
	c = json_object();
	json_object_set_new(c, "bytes", json_integer((json_int_t)n));
	json_object_set_new(c, "sha256", json_string(sha));
	cutkey = xasprintf("%s_cut", key);
	json_object_set_new(o, key, model_stringn(v, k));
	json_object_set_new(o, cutkey, c);
	free(cutkey);
}

static json_t *
headers(const char *js)
{
	json_error_t err;
	json_t *in = js ? json_loads(js, 0, &err) : NULL, *out = json_array(), *row;
	size_t i;

	if (!json_is_array(in)) {
		json_decref(in);
		return out;
	}
	json_array_foreach(in, i, row) {
		json_t *o = json_object();
		char *v = one_line(json_string_value(json_array_get(row, 1)));
		char *d = one_line(json_string_value(json_array_get(row, 2)));
		json_object_set_new(o, "name", model_string(json_string_value(json_array_get(row, 0)) ?
		    json_string_value(json_array_get(row, 0)) : ""));
		display_set(o, "value", v);
		if (strcmp(v, d) != 0)
			display_set(o, "decoded", d);
		else
			json_object_set_new(o, "decoded", json_null());
		json_array_append_new(out, o);
		free(v);
		free(d);
	}
	json_decref(in);
	return out;
}

static json_t *
attachments(struct rows *st, int64_t id)
{
	const struct row *rt;
	json_t *arr = json_array();

	rows_bind_int(st, 1, id);
	while (rows_next(st, &rt)) {
		json_t *o = json_object();
		const char *sha = row_text(rt, 4);
		char *href = xasprintf("../%s", artstore_relpath(sha));
		json_object_set_new(o, "name", model_string(row_text(rt, 0)));
		json_object_set_new(o, "type", model_string(row_text(rt, 1)));
		json_object_set_new(o, "detected", model_string(row_text(rt, 7)));
		json_object_set_new(o, "size", json_integer(row_int(rt, 8)));
		json_object_set_new(o, "md5", model_string(row_text(rt, 5)));
		json_object_set_new(o, "sha1", model_string(row_text(rt, 6)));
		json_object_set_new(o, "sha256", model_string(sha));
		json_object_set_new(o, "path", model_string(artstore_relpath(sha)));
		json_object_set_new(o, "href", model_string(href));
		json_object_set_new(o, "part", model_string(row_text(rt, 2)));
		json_object_set_new(o, "role", model_string(row_text(rt, 3)));
		json_object_set_new(o, "mismatch", json_boolean((int)row_int(rt, 9)));
		json_array_append_new(arr, o);
		free(href);
	}
	return arr;
}

/* Where the message is in the evidence: the flow, the offset in its
 * reassembled stream and the frames of a capture; the file of a folder; or
 * the byte offset and number of a mailbox message. A new string. */
static char *
message_provenance(const struct row *r, const char *ev, const char *lang)
{
	const char *frames = row_text(r, 3);
	char *prov;

	if (frames && !row_null(r, 31)) {
		char *brief = model_frames(frames, lang);

		/* The capture: flow, the byte offset in its reassembled
		 * stream where the message data begins, and the frames. */
		prov = xasprintf("%s%s%s %lld, %s %lld, %s %s", ev, *ev ? " " : "",
		    model_word(lang, "flow"), (long long)row_int(r, 31),
		    model_word(lang, "stream offset"), (long long)row_int(r, 32),
		    model_word(lang, "frames"), brief);
		free(brief);
	} else if (frames) {
		char *brief = model_frames(frames, lang);

		prov = xasprintf("%s%s%s %s", ev, *ev ? " " : "", model_word(lang, "frames"), brief);
		free(brief);
	} else if (row_text(r, 6)) {
		prov = xasprintf("%s%s%s", ev, *ev ? "/" : "", row_text(r, 6));
	} else {
		prov = xasprintf("%s%s%s %lld (%s %lld)", ev, *ev ? " " : "",
		    model_word(lang, "offset"), (long long)row_int(r, 5),
		    model_word(lang, "mailbox message"), (long long)row_int(r, 4));
	}
	return prov;
}

/* What a mail store says of the message (store_items): the "store" object
 * {kind, folder, item, message_class, submit, delivery, created, modified,
 * recovered, reconstructed, headers_from, addresses[] {role, name, address,
 * type, smtp}, flags, notes}, or null. *prov is replaced by the store's own
 * provenance words ("testPST.pst PST folder /Inbox item 2097188"). */
static json_t *
message_store(struct rows *st, int64_t id, const char *ev, const char *lang, char **prov)
{
	static const char *tk[] = { "submit", "delivery", "created", "modified" };
	const struct row *r;
	json_t *j, *a, *in, *row;
	json_error_t err;
	const char *kind;
	size_t i;

	rows_bind_int(st, 1, id);
	if (!rows_next(st, &r))
		return json_null();
	j = json_object();
	kind = row_text(r, 0) ? row_text(r, 0) : "";
	json_object_set_new(j, "kind", model_string(kind));
	json_object_set_new(j, "folder", model_string(row_text(r, 1)));
	json_object_set_new(j, "item", model_row_int(r, 2));
	json_object_set_new(j, "message_class", model_string(row_text(r, 3)));
	for (i = 0; i < 4; i++)
		json_object_set_new(j, tk[i], row_null(r, 4 + (int)i) ? json_null() :
		    model_time(row_int(r, 4 + (int)i)));
	json_object_set_new(j, "recovered", json_boolean((int)row_int(r, 8)));
	json_object_set_new(j, "headers_from", model_string(row_text(r, 9)));
	json_object_set_new(j, "reconstructed", json_boolean(row_text(r, 9) &&
	    strcmp(row_text(r, 9), "message") != 0));
	json_object_set_new(j, "transport_headers", json_boolean(row_text(r, 9) &&
	    strcmp(row_text(r, 9), "transport") == 0));
	a = json_array();
	in = row_text(r, 10) ? json_loads(row_text(r, 10), 0, &err) : NULL;
	json_array_foreach(in, i, row) {
		json_t *o = json_object();
		json_object_set_new(o, "role", model_string(json_string_value(json_array_get(row, 0))));
		json_object_set_new(o, "name", model_string(json_string_value(json_array_get(row, 1))));
		json_object_set_new(o, "address", model_string(json_string_value(json_array_get(row, 2))));
		json_object_set_new(o, "type", model_string(json_string_value(json_array_get(row, 3))));
		json_object_set_new(o, "smtp", model_string(json_string_value(json_array_get(row, 4))));
		json_array_append_new(a, o);
	}
	json_decref(in);
	json_object_set_new(j, "addresses_any", json_boolean(json_array_size(a) > 0));
	json_object_set_new(j, "addresses", a);
	in = row_text(r, 11) ? json_loads(row_text(r, 11), 0, &err) : NULL;
	json_object_set_new(j, "flags", in ? in : json_null());
	json_object_set_new(j, "flags_text", model_string(row_text(r, 11)));
	json_object_set_new(j, "notes", model_string(row_text(r, 12)));
	json_object_set_new(j, "part", model_string(row_text(r, 13)));
	free(*prov);
	if (strcmp(kind, "pst") == 0 || strcmp(kind, "ost") == 0)
		*prov = xasprintf("%s%s%s %s %s %lld%s%s", ev, *ev ? " " : "",
		    model_word(lang, kind[0] == 'o' ? "OST folder" : "PST folder"),
		    row_text(r, 1) ? row_text(r, 1) : "/", model_word(lang, "item"),
		    (long long)row_int(r, 2), row_int(r, 8) ? ", " : "",
		    row_int(r, 8) ? model_word(lang, "recovered") : "");
	else
		*prov = xasprintf("%s%s%s", ev, *ev ? " " : "", model_word(lang,
		    strcmp(kind, "msg") == 0 ? "msg file" : strcmp(kind, "tnef") == 0 ? "tnef file" :
		    "emlx file"));
	if (row_text(r, 13)) {
		/* an attached message, or a TNEF attachment: where in its parent */
		char *p = xasprintf("%s, %s %s", *prov, model_word(lang, "attached as part"),
		    row_text(r, 13));
		free(*prov);
		*prov = p;
	}
	return j;
}

/* Each role's addresses (addr_list) under its key. */
static void
message_addresses(json_t *j, struct rows *ad, int64_t id)
{
	static const struct { const char *key, *role; } roles[] = {
		{ "from", "from" }, { "sender", "sender" }, { "reply_to", "reply-to" },
		{ "to", "to" }, { "cc", "cc" }, { "bcc", "bcc" }, { "return_path", "return-path" },
		{ "env_from", "env-from" }, { "env_rcpt", "env-rcpt" },
	};

	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		json_object_set_new(j, roles[i].key, addr_list(ad, id, roles[i].role));
}

/* The header list, and the text and HTML bodies as lines (at most
 * BODY_LINES_MAX each, the rest counted as cut). */
static void
message_texts(json_t *j, const struct row *r)
{
	json_t *v;
	bool cut;

	v = headers(row_text(r, 28));
	json_object_set_new(j, "headers_any", json_boolean(json_array_size(v) > 0));
	json_object_set_new(j, "headers", v);
	v = lines(row_text(r, 29), BODY_LINES_MAX, &cut);
	json_object_set_new(j, "body_any", json_boolean(row_text(r, 29) != NULL));
	json_object_set_new(j, "body_lines", v);
	json_object_set_new(j, "body_cut", json_boolean(cut));
	v = lines(row_text(r, 30), BODY_LINES_MAX, &cut);
	json_object_set_new(j, "html_any", json_boolean(row_text(r, 30) != NULL));
	json_object_set_new(j, "html_lines", v);
	json_object_set_new(j, "html_cut", json_boolean(cut));
}

/* The header fields, flags and size of the message, and where its raw
 * bytes are stored (relative to report/). */
static void
message_fields(json_t *j, const struct row *r)
{
	const char *sha = row_text(r, 27);

	json_object_set_new(j, "date_raw", model_string(row_text(r, 13)));
	json_object_set_new(j, "date", row_null(r, 14) ? json_null() :
	    model_time(row_int(r, 14)));
	json_object_set_new(j, "message_id", model_string(row_text(r, 15)));
	json_object_set_new(j, "in_reply_to", model_string(row_text(r, 16)));
	json_object_set_new(j, "references", model_string(row_text(r, 17)));
	json_object_set_new(j, "x_mailer", model_string(row_text(r, 18)));
	json_object_set_new(j, "x_originating_ip", model_string(row_text(r, 19)));
	json_object_set_new(j, "auth_results", model_string(row_text(r, 20)));
	json_object_set_new(j, "has_dkim", json_boolean((int)row_int(r, 21)));
	json_object_set_new(j, "flags", model_string(row_text(r, 22)));
	json_object_set_new(j, "flags_any", json_boolean(row_text(r, 22) != NULL));
	json_object_set_new(j, "incomplete", json_boolean((int)row_int(r, 23)));
	json_object_set_new(j, "incomplete_why", model_string(row_text(r, 24)));
	json_object_set_new(j, "partial", json_boolean((int)row_int(r, 25)));
	json_object_set_new(j, "size", json_integer(row_int(r, 26)));
	json_object_set_new(j, "size_text", model_grouped(row_int(r, 26)));
	json_object_set_new(j, "raw_sha256", model_string(sha));
	if (sha) {
		char *href = xasprintf("../%s", artstore_relpath(sha));
		char *named = xasprintf("extracted/message-%04lld.eml",
		    (long long)json_integer_value(json_object_get(j, "no")));

		json_object_set_new(j, "raw_path", model_string(artstore_relpath(sha)));
		json_object_set_new(j, "raw_href", model_string(href));
		/* The same bytes under a name a mail program opens (render.c links
		 * report/extracted/ to the store). */
		json_object_set_new(j, "raw_named", model_string(named));
		free(href);
		free(named);
	}
}

/* Every stored part of the message with its three hashes, the raw message
 * (as carried: dot-unstuffed, BDAT chunks joined) and text bodies
 * included, so a hash from another tool's output can be looked up. Sets
 * raw_md5 and raw_sha1 on j from the raw message's row. */
static json_t *
message_parts(struct rows *st, json_t *j, int64_t id, const char *lang)
{
	const struct row *r;
	json_t *arr = json_array();

	rows_bind_int(st, 1, id);
	while (rows_next(st, &r)) {
		json_t *o = json_object();
		if (strcmp(row_text(r, 1), "raw-message") == 0 && json_object_get(j, "raw_md5") == NULL) {
			json_object_set_new(j, "raw_md5", model_row_str(r, 5));
			json_object_set_new(j, "raw_sha1", model_row_str(r, 6));
		}
		json_object_set_new(o, "part", model_row_str(r, 0));
		json_object_set_new(o, "role", model_row_str(r, 1));
		model_label(o, "role", lang);
		json_object_set_new(o, "name", model_row_str(r, 2));
		json_object_set_new(o, "type", model_row_str(r, 3));
		json_object_set_new(o, "size", model_row_int(r, 4));
		json_object_set_new(o, "md5", model_row_str(r, 5));
		json_object_set_new(o, "sha1", model_row_str(r, 6));
		json_object_set_new(o, "sha256", model_row_str(r, 7));
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Where IMAP had the message: mailbox, UID, sequence number, FLAGS,
 * INTERNALDATE and RFC822.SIZE, and the item it came in; null for a
 * message that did not come over IMAP. Adds the INTERNALDATE to the
 * timeline. */
static json_t *
message_imap(struct rows *st, json_t *root, int64_t id, int64_t no, const char *prov,
    const char *lang)
{
	const struct row *r;
	json_t *j = json_null();
	bool ko = lang && strcmp(lang, "ko") == 0;

	rows_bind_int(st, 1, id);
	if (rows_next(st, &r)) {
		const char *mb = row_text(r, 1) ? row_text(r, 1) : row_text(r, 0);
		j = json_object();
		json_object_set_new(j, "mailbox", model_string(mb));
		json_object_set_new(j, "mailbox_raw", model_row_str(r, 0));
		json_object_set_new(j, "seq", model_row_int(r, 2));
		json_object_set_new(j, "uid", model_row_int(r, 3));
		json_object_set_new(j, "item", model_row_str(r, 4));
		json_object_set_new(j, "flags", model_row_str(r, 5));
		json_object_set_new(j, "internaldate", model_row_str(r, 6));
		json_object_set_new(j, "internaldate_utc", row_null(r, 7) ? json_null() :
		    model_time(row_int(r, 7)));
		json_object_set_new(j, "internaldate_us", model_row_int(r, 7));
		json_object_set_new(j, "rfc822_size", model_row_int(r, 8));
		if (!row_null(r, 8))
			json_object_set_new(j, "rfc822_size_text", model_grouped(row_int(r, 8)));
		json_object_set_new(j, "use", model_row_str(r, 9));
		model_label(j, "use", lang);
		json_object_set_new(j, "append", json_boolean(strcmp(row_text(r, 10), "C") == 0));
		if (!row_null(r, 7)) {
			char *text = xasprintf(ko ? "메시지 %lld의 IMAP INTERNALDATE (메일함 %s): %s" :
			    "IMAP INTERNALDATE of message %lld (mailbox %s): %s", (long long)no,
			    mb ? mb : "?", row_text(r, 6));
			model_timeline_add(root, row_int(r, 7), "internaldate", text, prov);
			free(text);
		}
	}
	return j;
}

/* The number in the report of message id (its place in id order), or
 * null. */
static json_t *
message_no(struct casedb *db, int64_t id)
{
	struct rows *st = q_report_message_no(db);
	const struct row *r;
	json_t *v = json_null();

	rows_bind_int(st, 1, id);
	if (rows_next(st, &r) && row_int(r, 0) > 0)
		v = json_integer((json_int_t)row_int(r, 0));
	rows_close(st);
	return v;
}

void
model_messages(struct casedb *db, json_t *root, const struct model_opts *o)
{
	struct rows *st = q_report_messages(db);
	struct rows *ad = q_report_msg_addresses(db);
	struct rows *at = q_report_msg_attachments(db);
	struct rows *im = q_report_msg_imap(db);
	struct rows *pq = q_report_msg_parts(db);
	struct rows *sto = q_report_msg_store(db);
	struct rows *au = q_auth_msg_dkim(db);
	struct rows *hid = q_auth_msg_hidden(db);
	struct rows *ares = q_auth_msg_results(db);
	const struct row *r;
	json_t *arr = json_array(), *nos = json_object();
	int64_t n = model_page(st, o);
	const char *lang = o ? o->lang : NULL;

	while (rows_next(st, &r)) {
		json_t *j = json_object(), *v;
		int64_t id = row_int(r, 0);
		const char *ev = model_base(row_text(r, 2)), *frames = row_text(r, 3);
		char key[32], *prov, *text;

		n++;
		snprintf(key, sizeof(key), "%" PRId64, id);
		json_object_set_new(nos, key, json_integer((json_int_t)n));
		prov = message_provenance(r, ev, lang);
		v = message_store(sto, id, ev, lang, &prov);
		json_object_set_new(j, "store", v);
		json_object_set_new(j, "no", json_integer((json_int_t)n));
		json_object_set_new(j, "id", json_integer(id));
		json_object_set_new(j, "source", model_string(row_text(r, 1)));
		json_object_set_new(j, "evidence", model_string(ev));
		json_object_set_new(j, "provenance", model_string(prov));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "flow", model_row_int(r, 31));
		json_object_set_new(j, "stream_offset", frames ? model_row_int(r, 32) : json_null());
		if (!row_null(r, 7)) {
			snprintf(key, sizeof(key), "%lld", (long long)row_int(r, 7));
			v = json_object_get(nos, key);
			if (v == NULL)     /* the parent is on an earlier page */
				json_object_set_new(j, "parent_no", message_no(db, row_int(r, 7)));
			else
				json_object_set(j, "parent_no", v);
			json_object_set_new(j, "nested", json_true());
		} else {
			json_object_set_new(j, "parent_no", json_null());
			json_object_set_new(j, "nested", json_false());
		}
		display_set(j, "subject", row_text(r, 8));
		json_object_set_new(j, "from_addr", model_string(row_text(r, 9)));
		json_object_set_new(j, "from_name", model_string(row_text(r, 10)));
		message_addresses(j, ad, id);
		json_object_set_new(j, "envelope_any", json_boolean(row_text(r, 11) || row_text(r, 12)));
		message_fields(j, r);
		message_texts(j, r);
		v = attachments(at, id);
		model_list_more(v);
		json_object_set_new(j, "attachments_any", json_boolean(json_array_size(v) > 0));
		json_object_set_new(j, "attachments", v);
		json_object_set_new(j, "imap", message_imap(im, root, id, n, prov, lang));
		v = message_parts(pq, j, id, lang);
		json_object_set_new(j, "parts_any", json_boolean(json_array_size(v) > 0));
		json_object_set_new(j, "parts", v);
#if MC_MODEL_ROUTE
		v = model_route(db, root, id, o);
		json_object_set_new(j, "route", v ? v : json_null());
#else
		json_object_set_new(j, "route", json_null());
#endif
		json_object_set_new(j, "authenticity", model_auth_message(au, hid, id, lang));
		model_auth_results(ares, j, id, lang);
		{
			struct model_msgtime_in mt = {
				.source = row_text(r, 1), .date_raw = row_text(r, 13),
				.has_date = !row_null(r, 14), .date_us = row_null(r, 14) ? 0 : row_int(r, 14),
				.ts_us = row_null(r, 33) ? 0 : row_int(r, 33), .from_line = row_text(r, 34),
				.has_from_us = !row_null(r, 35), .from_us = row_null(r, 35) ? 0 : row_int(r, 35),
			};

			model_msgtime(j, &mt, o);
		}
		json_array_append_new(arr, j);

		if (!row_null(r, 14)) {
			bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
			text = xasprintf(ko ? "메시지 %lld 작성 시각 (Date: %s): %s" :
			    "Message %lld dated (Date: %s): %s", (long long)n, row_text(r, 13) ? row_text(r, 13) : "",
			    row_text(r, 8) ? row_text(r, 8) : ko ? "(제목 없음)" : "(no subject)");
			model_timeline_add(root, row_int(r, 14), "date", text, prov);
			free(text);
		}
		free(prov);
	}
	rows_close(st);
	rows_close(ad);
	rows_close(at);
	rows_close(im);
	rows_close(pq);
	rows_close(sto);
	rows_close(au);
	rows_close(hid);
	rows_close(ares);
	json_decref(nos);
	json_object_set_new(root, "messages", arr);
	json_object_set_new(root, "messages_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(root, "messages_count", json_integer((json_int_t)json_array_size(arr)));
}
