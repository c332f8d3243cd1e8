/* model_sessions.c - the report model's mail sessions and credentials, built
 * from the tables mail/ writes (sessions, transcript, credentials), with a
 * timeline event for each session's start and end, each login, MAIL FROM,
 * RCPT TO and end of message data.
 *
 * Keys: credentials[] = {no, protocol, mechanism, authzid, user, secret,
 * secret_kind, verdict, reply, frames, time, client, server, evidence,
 * crack_line}; credentials_any, credentials_count.
 * sessions[] = {no, protocol, client, server, evidence, flow, greeting,
 * server_name, server_software, helo, capabilities[] {name}, capabilities_any,
 * tls, tls_frame, encrypted, tls_starttls, tls_clear, tls_implicit, tls_info
 * (null or {version, record_version, client_version, server_version,
 * offered_versions, sni, alpn_offered, alpn, cipher, cipher_name (IANA, from
 * libssl; null when it has none), ciphers, ciphers_named, ja3, ja3_md5, ja3s,
 * ja3s_md5, ja4, hrr, hrr_group ("0x0017"), hrr_group_name, ja4_retry,
 * certs_hidden, certs[] {no, subject, issuer, not_before,
 * not_after, serial, sha256, size, san, parsed}, certs_any}), first, last,
 * frames, messages, notes,
 * transcript[] {seq, dir ("C"/"S"), from ("client"/"server"), time, frames,
 * line}}; sessions_any, sessions_count. Values are plain text from evidence;
 * the templates escape them. With redact_secrets a secret and the client
 * lines that carried it are replaced by a marker in the report's language
 * with the secret's length in characters and the start of its HMAC-SHA-256
 * under the case's own key (model_opts.redact_key): two redacted secrets
 * can still be compared, while a reader of the report alone cannot test
 * guesses against it, as an unkeyed hash of a short password would allow. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/stream.h"
#include "mail/tls.h"
#include "report/model.h"
#include "store/q_report.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/xalloc.h"

/* "[redacted: 8 characters; HMAC-SHA-256 1a2b3c4d5e6f7a8b]" (or in
 * Korean): the length in UTF-8 characters and the first 64 bits of the
 * keyed HMAC. Without a key only the length. A new string. */
static char *
redact_marker(const char *secret, const struct model_opts *o, bool ko)
{
	size_t chars = 0;
	const char *p;
	char h[65];

	for (p = secret; *p != '\0'; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	if (o->redact_key == NULL || *o->redact_key == '\0')
		return ko ? xasprintf("[가림: %zu자]", chars) :
		    xasprintf("[redacted: %zu character%s]", chars, chars == 1 ? "" : "s");
	hash_hmac_sha256_hex(o->redact_key, strlen(o->redact_key), secret, strlen(secret), h);
	return ko ? xasprintf("[가림: %zu자; HMAC-SHA-256 %.16s]", chars, h) :
	    xasprintf("[redacted: %zu character%s; HMAC-SHA-256 %.16s]", chars, chars == 1 ? "" : "s", h);
}

static const char *
col(const struct row *r, int i)
{
	const char *s = row_text(r, i);

	return s ? s : "";
}

static json_t *
endpoint(const char *ip, int port)
{
	char s[80];

	snprintf(s, sizeof(s), strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
	return model_string(s);
}

/* Is frame f one of the frames in a "63, 66" or "78-80" list? */
static bool
frame_listed(const char *list, const char *frames)
{
	char *a = xstrdup(list), *p, *save = NULL;
	bool hit = false;

	for (p = strtok_r(a, ", ", &save); p && !hit; p = strtok_r(NULL, ", ", &save))
		hit = strcmp(p, frames) == 0;
	free(a);
	return hit;
}

static void
credentials(struct casedb *db, json_t *root, const struct model_opts *o)
{
	struct rows *st = q_report_credentials(db);
	const char *lang = o ? o->lang : NULL;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	const struct row *r;
	json_t *arr = json_array();
	int64_t n = model_page(st, o);

	while (rows_next(st, &r)) {
		json_t *j = json_object();
		char proto[16], *text, *src;
		const char *secret = row_text(r, 4);
		const char *ev = model_base(col(r, 13));

		model_upper(proto, sizeof(proto), col(r, 0));
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "protocol", model_string(proto));
		json_object_set_new(j, "mechanism", model_row_str(r, 1));
		json_object_set_new(j, "authzid", model_row_str(r, 2));
		json_object_set_new(j, "user", model_row_str(r, 3));
		if (secret && o && o->redact_secrets) {
			char *red = redact_marker(secret, o, ko);

			json_object_set_new(j, "secret", model_string(red));
			json_object_set_new(j, "crack_line", secret && row_text(r, 6) ?
			    model_string(ko ? "[가림]" : "[redacted]") : json_null());
			free(red);
		} else {
			json_object_set_new(j, "secret", model_row_str(r, 4));
			json_object_set_new(j, "crack_line", model_row_str(r, 6));
		}
		json_object_set_new(j, "secret_kind", model_row_str(r, 5));
		json_object_set_new(j, "verdict", model_row_str(r, 7));
		model_label(j, "secret_kind", o ? o->lang : NULL);
		model_label(j, "verdict", o ? o->lang : NULL);
		json_object_set_new(j, "reply", model_row_str(r, 8));
		json_object_set_new(j, "frames", model_row_str(r, 9));
		if (row_text(r, 9)) {
			char *ft = model_frames(row_text(r, 9), lang);

			json_object_set_new(j, "frames_text", model_string(ft));
			free(ft);
		}
		json_object_set_new(j, "time", model_time(row_int(r, 10)));
		json_object_set_new(j, "client", model_row_str(r, 11));
		json_object_set_new(j, "server", model_row_str(r, 12));
		json_object_set_new(j, "evidence", model_string(ev));
		/* set only when the mechanism carries them (NTLM, DIGEST-MD5, SCRAM, GSSAPI) */
		if (row_text(r, 14))
			json_object_set_new(j, "domain", model_row_str(r, 14));
		if (row_text(r, 15))
			json_object_set_new(j, "workstation", model_row_str(r, 15));
		if (row_text(r, 16))
			json_object_set_new(j, "details", secret && o && o->redact_secrets ?
			    model_string(ko ? "[가림]" : "[redacted]") : model_row_str(r, 16));
		json_array_append_new(arr, j);

		text = ko ? xasprintf("%s %s 로그인, 사용자 %s, %s -> %s: %s", proto, col(r, 1),
		    row_text(r, 3) ? col(r, 3) : "(사용자 이름 없음)", col(r, 11),
		    col(r, 12), json_string_value(json_object_get(j, "verdict_label"))) :
		    xasprintf("%s %s login as %s from %s to %s: %s", proto, col(r, 1),
		    row_text(r, 3) ? col(r, 3) : "(no user name)", col(r, 11),
		    col(r, 12), col(r, 7));
		src = xasprintf("%s %s %s", ev, model_word(lang, "frames"),
		    json_string_value(json_object_get(j, "frames_text")) ?
		    json_string_value(json_object_get(j, "frames_text")) : "");
		model_timeline_add(root, row_int(r, 10), "login", text, src);
		free(text);
		free(src);
	}
	rows_close(st);
	json_object_set_new(root, "credentials", arr);
	json_object_set_new(root, "credentials_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(root, "credentials_count", json_integer((json_int_t)json_array_size(arr)));
}

/* QUIT (SMTP, POP3; RFC 5321 section 4.1.1.10, RFC 1939 section 6) or
 * "tag LOGOUT" (IMAP; RFC 9051 section 6.1.3): the client ends the session. */
static bool
transcript_is_goodbye(const char *line)
{
	const char *sp = strchr(line, ' ');

	if (strcasecmp(line, "QUIT") == 0)
		return true;
	return sp != NULL && sp != line && strcasecmp(sp + 1, "LOGOUT") == 0;
}

/* The queries of every session's transcript, prepared once for all
 * sessions and bound to each in turn. */
struct transcript_rows {
	struct rows *cred_frames;   /* the frames of the session's credentials */
	struct rows *lines;         /* its transcript */
	/* A line standing for message data: the message it carried, by its
	 * number in the report (messages are numbered in id order). */
	struct rows *message_no;
};

static json_t *
transcript(struct transcript_rows *tr, json_t *root, int64_t sid, const char *proto,
    const char *ev, const struct model_opts *o)
{
	struct rows *cr = tr->cred_frames, *st = tr->lines, *mq = tr->message_no;
	const struct row *r, *rc, *rm;
	json_t *arr = json_array();
	char **credf = NULL;
	size_t ncred = 0, i;
	bool smtp = strcmp(proto, "SMTP") == 0;

	rows_bind_int(cr, 1, sid);
	while (rows_next(cr, &rc)) {
		credf = xreallocarray(credf, ncred + 1, sizeof(*credf));
		credf[ncred++] = xstrdup(col(rc, 0));
	}
	rows_bind_int(st, 1, sid);
	while (rows_next(st, &r)) {
		json_t *j = json_object();
		const char *dir = col(r, 1), *line = col(r, 4), *frames = col(r, 3);
		int64_t ts = row_int(r, 2);
		bool client = strcmp(dir, "C") == 0, hide = false;
		char *brief = model_frames(frames, o ? o->lang : NULL), *src;

		if (o && o->redact_secrets && client)
			for (i = 0; i < ncred && !hide; i++)
				hide = frame_listed(credf[i], frames);
		json_object_set_new(j, "seq", model_row_int(r, 0));
		json_object_set_new(j, "dir", model_string(dir));
		json_object_set_new(j, "from", model_string(client ? "client" : "server"));
		json_object_set_new(j, "time", model_time(ts));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "frames_brief", model_string(brief));
		json_object_set_new(j, "line", model_string(!hide ? line : o->lang != NULL &&
		    strcmp(o->lang, "ko") == 0 ? "[인증 정보가 담긴 줄 가림]" : "[credential line redacted]"));
		json_object_set_new(j, "message_no", json_null());
		if (strncmp(line, "[message ", 9) == 0) {
			rows_bind_int(mq, 1, sid);
			rows_bind_int(mq, 2, row_int(r, 5));
			if (rows_next(mq, &rm) && row_int(rm, 0) > 0)
				json_object_set_new(j, "message_no", model_row_int(rm, 0));
		}
		json_array_append_new(arr, j);

		src = xasprintf("%s %s %s", ev, model_word(o ? o->lang : NULL,
		    strpbrk(frames, ",-") ? "frames" : "frame"), brief);
		if (smtp && client && strncasecmp(line, "MAIL FROM:", 10) == 0)
			model_timeline_add(root, ts, "mail-from", line, src);
		else if (smtp && client && strncasecmp(line, "RCPT TO:", 8) == 0)
			model_timeline_add(root, ts, "rcpt", line, src);
		else if (smtp && client && strncmp(line, "[message ", 9) == 0)
			model_timeline_add(root, ts, "data-end", line, src);
		else if (client && transcript_is_goodbye(line))
			model_timeline_add(root, ts, "quit", line, src);
		free(src);
		free(brief);
	}
	for (i = 0; i < ncred; i++)
		free(credf[i]);
	free(credf);
	return arr;
}

/* The capability list (one per line, as the server sent it) as
 * [{name, more}], trailing blanks cut; bytes that are not UTF-8 as \xNN. */
static json_t *
session_caps(const char *capstr)
{
	json_t *caps = json_array();
	char *c, *p, *save = NULL;

	if (capstr == NULL)
		return caps;
	c = xstrdup(capstr);
	for (p = strtok_r(c, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		json_t *x = json_object();
		size_t len = strlen(p);

		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
			len--;
		json_object_set_new(x, "name", model_stringn(p, len));
		json_array_append_new(caps, x);
	}
	free(c);
	model_list_more(caps);
	return caps;
}

/* IMAP items listed per session in the report; the rest are counted (all
 * are in case.db, table imap_items). A client's first sync of a large
 * mailbox fetches tens of thousands. */
#define IMAP_ITEMS_SHOWN 500

/* The IMAP data items of session sid (mail/imap.c): [{mailbox, uid, seq,
 * item, flags, internaldate, size, use, use_label, message_no, sha256,
 * frames, append}]. */
static json_t *
imap_items(struct rows *st, int64_t sid, const char *lang, int64_t *more)
{
	const struct row *r;
	json_t *arr = json_array();

	rows_bind_int(st, 1, sid);
	*more = 0;
	while (rows_next(st, &r)) {
		if (json_array_size(arr) == IMAP_ITEMS_SHOWN) {
			*more = rows_count(st) - IMAP_ITEMS_SHOWN;
			break;
		}
		json_t *j = json_object();
		const char *mb = row_text(r, 1) ? row_text(r, 1) : row_text(r, 0);
		char *brief = model_frames(col(r, 11), lang);

		json_object_set_new(j, "mailbox", model_string(mb));
		json_object_set_new(j, "mailbox_raw", model_row_str(r, 0));
		json_object_set_new(j, "seq", model_row_int(r, 2));
		json_object_set_new(j, "uid", model_row_int(r, 3));
		json_object_set_new(j, "item", model_row_str(r, 4));
		json_object_set_new(j, "flags", model_row_str(r, 5));
		json_object_set_new(j, "internaldate", model_row_str(r, 6));
		json_object_set_new(j, "size", model_row_int(r, 7));
		json_object_set_new(j, "use", model_row_str(r, 8));
		model_label(j, "use", lang);
		json_object_set_new(j, "message_no", row_int(r, 9) > 0 ? model_row_int(r, 9) : json_null());
		json_object_set_new(j, "sha256", model_row_str(r, 10));
		json_object_set_new(j, "frames", model_string(brief));
		json_object_set_new(j, "append", json_boolean(strcmp(col(r, 12), "C") == 0));
		json_array_append_new(arr, j);
		free(brief);
	}
	return arr;
}

/* A TLS version number as its name (RFC 8446 4.2.1, RFC 5246 A.1). */
static json_t *
tls_version(const struct row *r, int c)
{
	static const struct { int64_t v; const char *name; } names[] = {
		{ 0x0300, "SSL 3.0" }, { 0x0301, "TLS 1.0" }, { 0x0302, "TLS 1.1" },
		{ 0x0303, "TLS 1.2" }, { 0x0304, "TLS 1.3" },
	};
	char s[16];
	int64_t v = row_int(r, c);

	if (row_null(r, c))
		return json_null();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].v == v)
			return model_string(names[i].name);
	snprintf(s, sizeof(s), "0x%04" PRIx64, v);
	return model_string(s);
}

/* A cipher suite "0xc02f" as "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
 * (0xc02f)", or as it is when libssl has no name for it. */
static void
tls_cipher_add(struct buf *b, const char *hex)
{
	char *end;
	unsigned long id = strtoul(hex, &end, 16);
	const char *name = end != hex && *end == '\0' && id <= 0xffff ?
	    tls_cipher_name((uint16_t)id) : NULL;
	bool ok = name != NULL ? buf_printf(b, "%s (%s)", name, hex) : buf_adds(b, hex);

	if (!ok)
		fatal("cipher buffer");
}

/* The offered suites "0xc030,0xc02c" with their names, ", " between. */
static json_t *
tls_ciphers_named(const char *list)
{
	char *a, *p, *save = NULL;
	struct buf b;
	json_t *out;

	if (list == NULL)
		return json_null();
	a = xstrdup(list);
	buf_init(&b, BUF_UNLIMITED);
	for (p = strtok_r(a, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (b.len > 0 && !buf_adds(&b, ", "))
			fatal("cipher buffer");
		tls_cipher_add(&b, p);
	}
	out = model_string(buf_str(&b));
	buf_free(&b);
	free(a);
	return out;
}

/* Offered versions "0x0304,0x0303" as "TLS 1.3, TLS 1.2". */
static json_t *
tls_versions(const char *list)
{
	char *a, *p, *save = NULL, s[16];
	json_t *out;
	struct { const char *hex, *name; } names[] = {
		{ "0x0300", "SSL 3.0" }, { "0x0301", "TLS 1.0" }, { "0x0302", "TLS 1.1" },
		{ "0x0303", "TLS 1.2" }, { "0x0304", "TLS 1.3" },
	};
	size_t i, n = 0;
	char *text;

	if (list == NULL)
		return json_null();
	a = xstrdup(list);
	text = xstrdup("");
	for (p = strtok_r(a, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		const char *name = p;
		char *t;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(p, names[i].hex) == 0)
				name = names[i].name;
		snprintf(s, sizeof(s), "%s", name);
		t = xasprintf("%s%s%s", text, n++ ? ", " : "", s);
		free(text);
		text = t;
	}
	out = model_string(text);
	free(text);
	free(a);
	return out;
}

static json_t *
tls_certs(struct rows *cq, int64_t tls_id)
{
	const struct row *r;
	json_t *arr = json_array();

	rows_bind_int(cq, 1, tls_id);
	while (rows_next(cq, &r)) {
		json_t *j = json_object();

		json_object_set_new(j, "no", json_integer(row_int(r, 0) + 1));
		json_object_set_new(j, "sha256", model_row_str(r, 1));
		json_object_set_new(j, "size", model_row_int(r, 2));
		json_object_set_new(j, "size_text", model_grouped(row_int(r, 2)));
		json_object_set_new(j, "parsed", json_boolean(row_int(r, 3) != 0));
		json_object_set_new(j, "subject", model_row_str(r, 4));
		json_object_set_new(j, "issuer", model_row_str(r, 5));
		json_object_set_new(j, "not_before", model_row_str(r, 6));
		json_object_set_new(j, "not_after", model_row_str(r, 7));
		json_object_set_new(j, "serial", model_row_str(r, 8));
		json_object_set_new(j, "san", model_row_str(r, 9));
		json_array_append_new(arr, j);
	}
	return arr;
}

/* What the session's TLS handshake showed, or null. */
static json_t *
session_tls(struct rows *tq, struct rows *cq, int64_t sid)
{
	const struct row *r;
	json_t *j, *certs;
	char c[16];

	rows_bind_int(tq, 1, sid);
	if (!rows_next(tq, &r))
		return json_null();
	j = json_object();
	json_object_set_new(j, "record_version", tls_version(r, 1));
	json_object_set_new(j, "client_version", tls_version(r, 2));
	json_object_set_new(j, "server_version", tls_version(r, 3));
	json_object_set_new(j, "version", tls_version(r, 4));
	json_object_set_new(j, "offered_versions", tls_versions(row_text(r, 5)));
	json_object_set_new(j, "sni", model_row_str(r, 6));
	json_object_set_new(j, "alpn_offered", model_row_str(r, 7));
	json_object_set_new(j, "alpn", model_row_str(r, 8));
	json_object_set_new(j, "ciphers", model_row_str(r, 9));
	json_object_set_new(j, "ciphers_named", tls_ciphers_named(row_text(r, 9)));
	snprintf(c, sizeof(c), "0x%04" PRIx64, row_int(r, 10));
	json_object_set_new(j, "cipher", row_null(r, 10) ? json_null() : model_string(c));
	json_object_set_new(j, "cipher_name", row_null(r, 10) || row_int(r, 10) > 0xffff ||
	    tls_cipher_name((uint16_t)row_int(r, 10)) == NULL ? json_null() :
	    model_string(tls_cipher_name((uint16_t)row_int(r, 10))));
	json_object_set_new(j, "ja3", model_row_str(r, 11));
	json_object_set_new(j, "ja3_md5", model_row_str(r, 12));
	json_object_set_new(j, "ja3s", model_row_str(r, 13));
	json_object_set_new(j, "ja3s_md5", model_row_str(r, 14));
	json_object_set_new(j, "ja4", model_row_str(r, 15));
	json_object_set_new(j, "certs_hidden", json_boolean(row_int(r, 16) != 0));
	json_object_set_new(j, "hrr", json_boolean(row_int(r, 18) != 0));
	snprintf(c, sizeof(c), "0x%04" PRIx64, row_int(r, 19));
	json_object_set_new(j, "hrr_group", row_null(r, 19) ? json_null() : model_string(c));
	json_object_set_new(j, "hrr_group_name", row_null(r, 19) || row_int(r, 19) > 0xffff ||
	    tls_group_name((uint16_t)row_int(r, 19)) == NULL ? json_null() :
	    model_string(tls_group_name((uint16_t)row_int(r, 19))));
	json_object_set_new(j, "ja4_retry", model_row_str(r, 20));
	certs = tls_certs(cq, row_int(r, 0));
	json_object_set_new(j, "certs_any", json_boolean(json_array_size(certs) > 0));
	json_object_set_new(j, "certs", certs);
	/* the cursor is bound again for the next session: read it to its end */
	while (rows_next(tq, &r))
		;
	return j;
}

static void
sessions(struct casedb *db, json_t *root, const struct model_opts *o)
{
	struct rows *tq = q_report_session_tls(db), *cq = q_report_tls_certs(db);
	struct rows *st = q_report_sessions(db);
	struct transcript_rows tr = { q_report_session_cred_frames(db), q_report_transcript(db),
	    q_report_transcript_message_no(db) };
	struct rows *iq = q_report_session_imap_items(db);
	const char *lang = o ? o->lang : NULL;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	const struct row *r;
	json_t *arr = json_array();
	int64_t n = model_page(st, o);

	while (rows_next(st, &r)) {
		json_t *j = json_object(), *caps, *cli, *srv;
		char proto[16], frames[48], *text, *src;
		const char *ev = model_base(col(r, 19));
		int64_t ff = row_int(r, 15), lf = row_int(r, 16), more;

		model_upper(proto, sizeof(proto), col(r, 1));
		cli = endpoint(col(r, 2), (int)row_int(r, 3));
		srv = endpoint(col(r, 4), (int)row_int(r, 5));
		if (ff == lf)
			snprintf(frames, sizeof(frames), "%" PRId64, ff);
		else
			snprintf(frames, sizeof(frames), "%" PRId64 "-%" PRId64, ff, lf);
		caps = session_caps(row_text(r, 10));
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "protocol", model_string(proto));
		json_object_set_new(j, "client", cli);
		json_object_set_new(j, "server", srv);
		json_object_set_new(j, "evidence", model_string(ev));
		json_object_set_new(j, "flow", model_row_int(r, 20));
		json_object_set_new(j, "greeting", model_row_str(r, 6));
		json_object_set_new(j, "server_name", model_row_str(r, 7));
		json_object_set_new(j, "server_software", model_row_str(r, 8));
		json_object_set_new(j, "helo", model_row_str(r, 9));
		json_object_set_new(j, "capabilities_any", json_boolean(json_array_size(caps) > 0));
		json_object_set_new(j, "capabilities", caps);
		json_object_set_new(j, "tls", model_row_str(r, 11));
		model_label(j, "tls", o ? o->lang : NULL);
		json_object_set_new(j, "encrypted", json_boolean(strcmp(col(r, 11), "starttls") == 0 ||
		    strcmp(col(r, 11), "implicit") == 0));
		json_object_set_new(j, "tls_starttls", json_boolean(strcmp(col(r, 11), "starttls") == 0));
		json_object_set_new(j, "tls_clear", json_boolean(strcmp(col(r, 11), "starttls-clear") == 0));
		json_object_set_new(j, "tls_implicit", json_boolean(strcmp(col(r, 11), "implicit") == 0));
		json_object_set_new(j, "tls_info", session_tls(tq, cq, row_int(r, 0)));
		json_object_set_new(j, "tls_frame", model_row_int(r, 12));
		json_object_set_new(j, "first", model_time(row_int(r, 13)));
		json_object_set_new(j, "last", model_time(row_int(r, 14)));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "messages", model_row_int(r, 17));
		json_object_set_new(j, "notes", model_row_str(r, 18));
		json_object_set_new(j, "transcript",
		    transcript(&tr, root, row_int(r, 0), proto, ev, o));
		caps = imap_items(iq, row_int(r, 0), lang, &more);
		json_object_set_new(j, "imap_items_any", json_boolean(json_array_size(caps) > 0));
		json_object_set_new(j, "imap_items_more", more ? json_integer(more) : json_null());
		json_object_set_new(j, "imap_items", caps);
		json_array_append_new(arr, j);

		src = xasprintf("%s %s %s", ev, model_word(lang, "frames"), frames);
		text = ko ? xasprintf("%s 세션 %s -> %s 시작%s%s", proto, json_string_value(cli),
		    json_string_value(srv), row_text(r, 7) ? ", 서버 " : "", col(r, 7)) :
		    xasprintf("%s session %s -> %s begins%s%s", proto, json_string_value(cli),
		    json_string_value(srv), row_text(r, 7) ? ", server " : "", col(r, 7));
		model_timeline_add(root, row_int(r, 13), "session-start", text, src);
		free(text);
		text = ko ? xasprintf("%s 세션 %s -> %s 종료 (메시지 %" PRId64 "건)", proto,
		    json_string_value(cli), json_string_value(srv), row_int(r, 17)) :
		    xasprintf("%s session %s -> %s ends (%" PRId64 " message%s)", proto,
		    json_string_value(cli), json_string_value(srv), row_int(r, 17),
		    row_int(r, 17) == 1 ? "" : "s");
		model_timeline_add(root, row_int(r, 14), "session-end", text, src);
		free(text);
		free(src);
	}
	rows_close(st);
	rows_close(tr.cred_frames);
	rows_close(tr.lines);
	rows_close(tr.message_no);
	rows_close(iq);
	rows_close(tq);
	rows_close(cq);
	json_object_set_new(root, "sessions", arr);
	json_object_set_new(root, "sessions_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(root, "sessions_count", json_integer((json_int_t)json_array_size(arr)));
}

void
model_credential_list(struct casedb *db, json_t *root, const struct model_opts *o)
{
	credentials(db, root, o);
}

void
model_session_list(struct casedb *db, json_t *root, const struct model_opts *o)
{
	sessions(db, root, o);
}

void
model_sessions(struct casedb *db, json_t *root, const struct model_opts *o)
{
	credentials(db, root, o);
	sessions(db, root, o);
}
