/* diff.c - `mailcase diff`: compares two cases by the identity of their
 * findings, from the case databases alone.
 *
 * Each category is collected from one case into a map, identity key ->
 * {id, detail, content}: detail (where it was found, names, counts) is shown
 * but never compared, because it holds paths, row numbers and times that
 * differ between two runs over the same evidence; content is what must be
 * equal for the item to count as the same finding. Values of detail and
 * content are sorted sets of strings, so that a finding seen twice in one
 * case (the same message captured over SMTP and fetched over POP3) and once
 * in the other is still "in both". */
#include "report/diff.h"
#include "report/html.h"
#include "report/mustache.h"
#include "store/casedb.h"
#include "store/q_diff.h"
#include "store/q_report.h"
#include "util/hash.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* How much of a body is quoted beside its SHA-256 when bodies differ. */
#define DIFF_EXCERPT_MAX 80

struct diff_field {
	const char *key;
	const char *en;
	const char *ko;
};

struct diff_cat {
	const char *key;
	const char *en;
	const char *ko;
	void (*collect)(struct casedb *db, json_t *map, const char *lang);
	const struct diff_field *detail;    /* shown, in this order */
	const struct diff_field *content;   /* compared */
};

static const char *
diff_label(const struct diff_field *f, const char *lang)
{
	return strcmp(lang, "ko") == 0 ? f->ko : f->en;
}

/* The length of the UTF-8 sequence at p (RFC 3629 section 4: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one. */
static size_t
diff_utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80 ||
		    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/* A copy of s that is valid UTF-8, as jansson requires of every string and
 * key: a byte that starts no valid sequence is written "\xNN", so distinct
 * values stay distinct and the examiner sees what was there. */
static char *
diff_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(4 * n + 1);

	while (*p != '\0') {
		size_t l = diff_utf8_len(p);

		if (l == 0) {
			o += (size_t)snprintf(out + o, 5, "\\x%02x", *p);
			p++;
			continue;
		}
		memcpy(out + o, p, l);
		o += l;
		p += l;
	}
	out[o] = '\0';
	return out;
}

/* json_string() of any bytes (see diff_utf8). */
static json_t *
diff_jstr(const char *s)
{
	char *u = diff_utf8(s);
	json_t *j = json_string(u);

	free(u);
	if (j == NULL)
		fatal("diff: a string jansson refused");
	return j;
}

/* Adds v to the sorted set of strings obj[k]. */
static void
diff_set_add(json_t *obj, const char *k, const char *v)
{
	json_t *arr = json_object_get(obj, k);
	size_t i, n;
	char *u;

	if (v == NULL)
		return;
	if (arr == NULL) {
		arr = json_array();
		json_object_set_new(obj, k, arr);
	}
	u = diff_utf8(v);
	n = json_array_size(arr);
	for (i = 0; i < n; i++) {
		int c = strcmp(json_string_value(json_array_get(arr, i)), u);

		if (c == 0) {
			free(u);
			return;
		}
		if (c > 0)
			break;
	}
	json_array_insert_new(arr, i, diff_jstr(u));
	free(u);
}

/* The entry for key in map, made with display id when new. */
static json_t *
diff_entry(json_t *map, const char *key, const char *id)
{
	char *k = diff_utf8(key);
	json_t *e = json_object_get(map, k);

	if (e == NULL) {
		e = json_object();
		json_object_set_new(e, "id", diff_jstr(id));
		json_object_set_new(e, "detail", json_object());
		json_object_set_new(e, "content", json_object());
		if (json_object_set_new(map, k, e) != 0)
			fatal("diff: cannot add an item");
	}
	free(k);
	return e;
}

static void
diff_detail_add(json_t *e, const char *k, const char *v)
{
	diff_set_add(json_object_get(e, "detail"), k, v);
}

static void
diff_content_add(json_t *e, const char *k, const char *v)
{
	diff_set_add(json_object_get(e, "content"), k, v);
}

static const char *
diff_col(const struct row *r, int i)
{
	return row_text(r, i);
}

static bool
diff_empty(const char *s)
{
	return s == NULL || *s == '\0';
}

/* Where a finding came from: "evidence02.pcap frames 63-80" or
 * "inbox.mbox offset 1234". */
static char *
diff_where(const char *path, const char *frames, const struct row *r, int off_col,
    const char *lang)
{
	bool ko = strcmp(lang, "ko") == 0;

	path = path ? path : "?";
	if (!diff_empty(frames))
		return xasprintf(ko ? "%s 프레임 %s" : "%s frames %s", path, frames);
	if (!row_null(r, off_col))
		return xasprintf(ko ? "%s 오프셋 %" PRId64 : "%s offset %" PRId64, path,
		    row_int(r, off_col));
	return xstrdup(path);
}

/* ---- evidence: by SHA-256 ---- */

static void
diff_collect_evidence(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_evidence(db);
	const struct row *r;

	(void)lang;
	while (rows_next(st, &r)) {
		const char *sha = diff_col(r, 0);
		char size[32];
		json_t *e;

		if (diff_empty(sha))
			continue;
		e = diff_entry(map, sha, sha);
		snprintf(size, sizeof(size), "%" PRId64, row_int(r, 3));
		diff_detail_add(e, "path", diff_col(r, 1));
		diff_detail_add(e, "type", diff_col(r, 2));
		diff_detail_add(e, "size", size);
	}
	rows_close(st);
}

/* ---- credentials: by (protocol, user, secret) ---- */

static void
diff_collect_credentials(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_credentials(db);
	const struct row *r;

	while (rows_next(st, &r)) {
		char proto[16] = "";
		const char *p = diff_col(r, 0), *u = diff_col(r, 1), *s = diff_col(r, 2);
		char *key, *id, *where;
		json_t *e;

		for (size_t i = 0; p != NULL && p[i] != '\0' && i + 1 < sizeof(proto); i++)
			proto[i] = (char)tolower((unsigned char)p[i]);
		u = u ? u : "";
		s = s ? s : "";
		/* The unit separator cannot occur in a protocol name; it keeps
		 * ("a", "b:c") and ("a:b", "c") apart. */
		key = xasprintf("%s\x1f%s\x1f%s", proto, u, s);
		id = xasprintf("%s %s / %s", proto, u, s);
		e = diff_entry(map, key, id);
		json_object_set_new(e, "protocol", diff_jstr(proto));
		json_object_set_new(e, "username", diff_jstr(u));
		json_object_set_new(e, "secret", diff_jstr(s));
		where = diff_where(diff_col(r, 6), diff_col(r, 5), r, 7, lang);
		diff_detail_add(e, "mechanism", diff_col(r, 3));
		diff_detail_add(e, "where", where);
		diff_content_add(e, "verdict", diff_col(r, 4) ? diff_col(r, 4) : "");
		free(where);
		free(id);
		free(key);
	}
	rows_close(st);
}

/* ---- messages: by Message-ID, else the raw message's SHA-256 ---- */

/* The Message-ID without the angle brackets and space of RFC 5322
 * section 3.6.4 (msg-id = [CFWS] "<" id-left "@" id-right ">" [CFWS]), so
 * that a header written with and without them is one identity. NULL when
 * there is none. */
static char *
diff_msgid_norm(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '<')
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n > 0 && s[n - 1] == '>')
		n--;
	return n == 0 ? NULL : xstrndup(s, n);
}

/* "SHA-256 of the text: its first words", whitespace folded; the excerpt is
 * cut on a character boundary (diff_utf8 makes the rest valid). "" for no
 * text. */
static char *
diff_text_print(const char *text)
{
	char sha[65], ex[DIFF_EXCERPT_MAX + 1];
	const char *p = text;
	size_t n = 0, k;
	bool space = false;

	if (diff_empty(text))
		return xstrdup("");
	hash_sha256_hex(text, strlen(text), sha);
	for (; *p != '\0'; p++) {
		if (isspace((unsigned char)*p)) {
			space = n > 0;
			continue;
		}
		if (n + (space ? 1 : 0) >= DIFF_EXCERPT_MAX)
			break;
		if (space)
			ex[n++] = ' ';
		space = false;
		ex[n++] = *p;
	}
	/* A multi-byte character the cut split in two goes entirely. */
	k = n;
	while (k > 0 && ((unsigned char)ex[k - 1] & 0xc0) == 0x80)
		k--;
	if (*p != '\0' && k > 0 && (unsigned char)ex[k - 1] >= 0xc0) {
		unsigned char lead = (unsigned char)ex[k - 1];
		size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

		if (n - (k - 1) < need)
			n = k - 1;
	}
	ex[n] = '\0';
	return xasprintf("%s: %s%s", sha, ex, *p != '\0' ? "..." : "");
}

/* The sorted SHA-256 list of a message's attached and inline parts (the raw
 * message itself is the identity, and its bodies are compared as text). */
static char *
diff_msg_attachments(struct rows *q, int64_t msg)
{
	const struct row *rq;
	char *out = xstrdup("");

	rows_bind_int(q, 1, msg);
	while (rows_next(q, &rq)) {
		char *n = xasprintf("%s%s%s", out, *out ? ", " : "", diff_col(rq, 0));

		free(out);
		out = n;
	}
	return out;
}

static void
diff_collect_messages(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_messages(db);
	struct rows *att = q_diff_msg_attachments(db);
	const struct row *r;

	while (rows_next(st, &r)) {
		char *mid = diff_msgid_norm(diff_col(r, 1));
		const char *raw = diff_col(r, 2);
		char *key, *id, *where, *body, *html, *atts;
		json_t *e;

		if (mid != NULL) {
			key = xasprintf("message-id:%s", mid);
			id = xasprintf("<%s>", mid);
		} else if (!diff_empty(raw)) {
			key = xasprintf("sha256:%s", raw);
			id = xasprintf("SHA-256 %s", raw);
		} else {
			/* No Message-ID and no stored raw message (cut off on the
			 * wire): the visible content is all there is to go by. */
			char *c = xasprintf("%s\x1f%s\x1f%s\x1f%s",
			    diff_col(r, 3) ? diff_col(r, 3) : "", diff_col(r, 4) ? diff_col(r, 4) : "",
			    diff_col(r, 5) ? diff_col(r, 5) : "", diff_col(r, 6) ? diff_col(r, 6) : "");
			char sha[65];

			hash_sha256_hex(c, strlen(c), sha);
			free(c);
			key = xasprintf("content:%s", sha);
			id = xasprintf(strcmp(lang, "ko") == 0 ? "내용 SHA-256 %s" : "content SHA-256 %s", sha);
		}
		e = diff_entry(map, key, id);
		where = diff_where(diff_col(r, 8), diff_col(r, 9), r, 10, lang);
		diff_detail_add(e, "where", where);
		diff_detail_add(e, "raw_sha256", raw);
		body = diff_text_print(diff_col(r, 6));
		html = diff_text_print(diff_col(r, 7));
		atts = diff_msg_attachments(att, row_int(r, 0));
		diff_content_add(e, "subject", diff_col(r, 3) ? diff_col(r, 3) : "");
		diff_content_add(e, "from", diff_col(r, 4) ? diff_col(r, 4) : "");
		diff_content_add(e, "date", diff_col(r, 5) ? diff_col(r, 5) : "");
		diff_content_add(e, "body", body);
		diff_content_add(e, "html", html);
		diff_content_add(e, "attachments", atts);
		free(atts);
		free(html);
		free(body);
		free(where);
		free(id);
		free(key);
		free(mid);
	}
	rows_close(att);
	rows_close(st);
}

/* ---- extracted files: by SHA-256 ---- */

static void
diff_collect_files(struct casedb *db, json_t *map, const char *lang)
{
	/* Raw messages and their text and HTML bodies are compared as
	 * messages, evidence files as evidence; every other stored file was
	 * extracted. */
	struct rows *st = q_diff_files(db);
	const struct row *r;

	(void)lang;
	while (rows_next(st, &r)) {
		const char *sha = diff_col(r, 0);
		char size[32];
		json_t *e = diff_entry(map, sha, sha);

		snprintf(size, sizeof(size), "%" PRId64, row_int(r, 1));
		diff_detail_add(e, "size", size);
		diff_detail_add(e, "type", diff_col(r, 2));
		diff_detail_add(e, "name", diff_col(r, 3));
	}
	rows_close(st);
}

/* ---- e-mail addresses: lowercased ---- */

static void
diff_collect_addresses(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_addresses(db);
	const struct row *r;

	(void)lang;
	while (rows_next(st, &r)) {
		const char *addr = diff_col(r, 0);
		json_t *e = diff_entry(map, addr, addr);

		diff_detail_add(e, "role", diff_col(r, 1));
		if (!diff_empty(diff_col(r, 2)))
			diff_detail_add(e, "name", diff_col(r, 2));
	}
	rows_close(st);
	st = q_diff_address_messages(db);
	while (rows_next(st, &r)) {
		json_t *e = json_object_get(map, diff_col(r, 0));

		if (e != NULL)
			diff_detail_add(e, "messages", diff_col(r, 1));
	}
	rows_close(st);
}

/* ---- hosts and IP addresses: flow endpoints and hop senders ---- */

struct diff_role {
	const char *key;
	const char *en;
	const char *ko;
};

static const struct diff_role diff_host_roles[] = {
	{ "flow-client", "TCP client", "TCP 클라이언트" },
	{ "flow-server", "TCP server", "TCP 서버" },
	{ "hop-helo", "Received: HELO name", "Received: HELO 이름" },
	{ "hop-rdns", "Received: reverse DNS", "Received: 역방향 DNS 이름" },
	{ "hop-ip", "Received: sender IP", "Received: 송신 IP" },
	{ "hop-by", "Received: receiving host", "Received: 수신 호스트" },
};

/* A host name or address as one identity: lowercased, without the
 * brackets and "IPv6:" tag of an address literal (RFC 5321 section 4.1.3)
 * and without a trailing root dot. NULL when nothing is left. */
static char *
diff_host_norm(const char *s)
{
	size_t n;
	char *out;

	if (s == NULL)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '[')
		s++;
	if (strncasecmp(s, "IPv6:", 5) == 0)
		s += 5;
	n = strlen(s);
	while (n > 0 && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ']' || s[n - 1] == '.'))
		n--;
	if (n == 0)
		return NULL;
	out = xstrndup(s, n);
	for (char *p = out; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

static void
diff_collect_hosts(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_hosts(db);
	const struct row *r;
	bool ko = strcmp(lang, "ko") == 0;

	while (rows_next(st, &r)) {
		char *h = diff_host_norm(diff_col(r, 0));
		int role = (int)row_int(r, 1);
		unsigned char a[16];
		json_t *e;

		if (h == NULL)
			continue;
		e = diff_entry(map, h, h);
		json_object_set_new(e, "kind", json_string(inet_pton(AF_INET, h, a) == 1 ||
		    inet_pton(AF_INET6, h, a) == 1 ? "ip" : "name"));
		if (role >= 0 && role < (int)(sizeof(diff_host_roles) / sizeof(diff_host_roles[0])))
			diff_detail_add(e, "seen", ko ? diff_host_roles[role].ko : diff_host_roles[role].en);
		free(h);
	}
	rows_close(st);
}

/* ---- likely message origins ---- */

static void
diff_collect_origins(struct casedb *db, json_t *map, const char *lang)
{
	struct rows *st = q_diff_origins(db);
	const struct row *r;

	(void)lang;
	while (rows_next(st, &r)) {
		char *host = diff_host_norm(diff_col(r, 0));
		char *ip = diff_host_norm(diff_col(r, 1));
		char *mid = diff_msgid_norm(diff_col(r, 2));
		char *id, *m;
		json_t *e;

		if (host == NULL && ip == NULL) {
			free(mid);
			continue;
		}
		if (host != NULL && ip != NULL)
			id = xasprintf("%s [%s]", host, ip);
		else if (host != NULL)
			id = xstrdup(host);
		else
			id = xasprintf("[%s]", ip);
		e = diff_entry(map, id, id);
		if (mid != NULL)
			m = xasprintf("<%s>", mid);
		else
			m = xasprintf("SHA-256 %s", diff_col(r, 3) ? diff_col(r, 3) : "?");
		diff_detail_add(e, "message", m);
		free(m);
		free(id);
		free(mid);
		free(ip);
		free(host);
	}
	rows_close(st);
}

/* ---- the categories, in report order ---- */

static const struct diff_field diff_f_none[] = { { NULL, NULL, NULL } };
static const struct diff_field diff_f_evidence[] = {
	{ "path", "file", "파일" }, { "type", "type", "형식" }, { "size", "bytes", "바이트" },
	{ NULL, NULL, NULL } };
static const struct diff_field diff_f_cred_detail[] = {
	{ "mechanism", "mechanism", "방식" }, { "where", "found in", "발견 위치" },
	{ NULL, NULL, NULL } };
static const struct diff_field diff_f_cred_content[] = {
	{ "verdict", "server's verdict", "서버 판정" }, { NULL, NULL, NULL } };
static const struct diff_field diff_f_msg_detail[] = {
	{ "where", "found in", "발견 위치" }, { "raw_sha256", "raw SHA-256", "원본 SHA-256" },
	{ NULL, NULL, NULL } };
static const struct diff_field diff_f_msg_content[] = {
	{ "subject", "subject", "제목" }, { "from", "from", "보낸 사람" }, { "date", "date", "날짜" },
	{ "body", "text body", "텍스트 본문" }, { "html", "HTML body (as text)", "HTML 본문(텍스트)" },
	{ "attachments", "attached files (SHA-256)", "첨부 파일(SHA-256)" }, { NULL, NULL, NULL } };
static const struct diff_field diff_f_files[] = {
	{ "name", "declared name", "선언된 이름" }, { "type", "detected type", "판별 형식" },
	{ "size", "bytes", "바이트" }, { NULL, NULL, NULL } };
static const struct diff_field diff_f_addresses[] = {
	{ "role", "as", "역할" }, { "name", "display name", "표시 이름" },
	{ "messages", "messages", "메시지 수" }, { NULL, NULL, NULL } };
static const struct diff_field diff_f_hosts[] = {
	{ "seen", "seen as", "관찰 위치" }, { NULL, NULL, NULL } };
static const struct diff_field diff_f_origins[] = {
	{ "message", "messages", "메시지" }, { NULL, NULL, NULL } };

static const struct diff_cat diff_cats[] = {
	{ "evidence", "Evidence", "증거", diff_collect_evidence, diff_f_evidence, diff_f_none },
	{ "credentials", "Credentials", "인증 정보", diff_collect_credentials,
	  diff_f_cred_detail, diff_f_cred_content },
	{ "messages", "Messages", "메시지", diff_collect_messages, diff_f_msg_detail,
	  diff_f_msg_content },
	{ "files", "Extracted files", "추출 파일", diff_collect_files, diff_f_files, diff_f_none },
	{ "addresses", "E-mail addresses", "이메일 주소", diff_collect_addresses,
	  diff_f_addresses, diff_f_none },
	{ "hosts", "Hosts and IP addresses", "호스트와 IP 주소", diff_collect_hosts,
	  diff_f_hosts, diff_f_none },
	{ "origins", "Likely message origins", "추정 발신지", diff_collect_origins,
	  diff_f_origins, diff_f_none },
};

/* "a, b" for a set; "" for none. */
static char *
diff_join(const json_t *arr, const char *sep)
{
	char *out = xstrdup("");
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		char *n = xasprintf("%s%s%s", out, i > 0 ? sep : "", json_string_value(v));

		free(out);
		out = n;
	}
	return out;
}

/* json_string() that takes a malloc'd string. */
static json_t *
diff_str_take(char *s)
{
	json_t *j = json_string(s);

	free(s);
	return j;
}

/* One line of details for the templates: "label: v, v; label: v". */
static char *
diff_detail_text(const struct diff_cat *c, const json_t *detail, const char *lang)
{
	char *out = xstrdup("");

	for (const struct diff_field *f = c->detail; f->key != NULL; f++) {
		const json_t *arr = json_object_get(detail, f->key);
		char *v, *n;

		if (json_array_size(arr) == 0)
			continue;
		v = diff_join(arr, ", ");
		n = xasprintf("%s%s%s: %s", out, *out ? "; " : "", diff_label(f, lang), v);
		free(v);
		free(out);
		out = n;
	}
	return out;
}

static int
diff_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The item as shown: its id, the fields that identify it, and the details
 * of the side(s) holding it. */
static json_t *
diff_item(const struct diff_cat *c, json_t *ea, json_t *eb, const char *lang)
{
	json_t *src = ea ? ea : eb, *it = json_object(), *v;
	const char *k;

	json_object_foreach(src, k, v) {
		if (strcmp(k, "detail") != 0 && strcmp(k, "content") != 0)
			json_object_set(it, k, v);
	}
	if (ea != NULL) {
		json_t *d = json_deep_copy(json_object_get(ea, "detail"));

		json_object_update(d, json_object_get(ea, "content"));
		json_object_set_new(it, "a", d);
		json_object_set_new(it, "a_text",
		    diff_str_take(diff_detail_text(c, json_object_get(ea, "detail"), lang)));
	}
	if (eb != NULL) {
		json_t *d = json_deep_copy(json_object_get(eb, "detail"));

		json_object_update(d, json_object_get(eb, "content"));
		json_object_set_new(it, "b", d);
		json_object_set_new(it, "b_text",
		    diff_str_take(diff_detail_text(c, json_object_get(eb, "detail"), lang)));
	}
	return it;
}

static json_t *
diff_category(const struct diff_cat *c, json_t *ma, json_t *mb, const char *lang)
{
	json_t *cat = json_object();
	json_t *only_a = json_array(), *only_b = json_array(), *both = json_array(),
	    *altered = json_array();
	size_t n = 0, cap = json_object_size(ma) + json_object_size(mb);
	const char **keys = xcalloc(cap ? cap : 1, sizeof(*keys));
	const char *k;
	json_t *v;

	json_object_foreach(ma, k, v)
		keys[n++] = k;
	json_object_foreach(mb, k, v) {
		if (json_object_get(ma, k) == NULL)
			keys[n++] = k;
	}
	qsort(keys, n, sizeof(*keys), diff_strcmp);
	for (size_t i = 0; i < n; i++) {
		json_t *ea = json_object_get(ma, keys[i]), *eb = json_object_get(mb, keys[i]);
		json_t *ca, *cb, *changes;

		if (eb == NULL) {
			json_array_append_new(only_a, diff_item(c, ea, NULL, lang));
			continue;
		}
		if (ea == NULL) {
			json_array_append_new(only_b, diff_item(c, NULL, eb, lang));
			continue;
		}
		ca = json_object_get(ea, "content");
		cb = json_object_get(eb, "content");
		if (json_equal(ca, cb)) {
			json_array_append_new(both, diff_item(c, ea, eb, lang));
			continue;
		}
		changes = json_array();
		for (const struct diff_field *f = c->content; f->key != NULL; f++) {
			json_t *fa = json_object_get(ca, f->key), *fb = json_object_get(cb, f->key);
			json_t *ch;

			if (json_equal(fa, fb) || (fa == NULL && fb == NULL))
				continue;
			ch = json_object();
			json_object_set_new(ch, "field", json_string(f->key));
			json_object_set_new(ch, "title", json_string(diff_label(f, lang)));
			json_object_set_new(ch, "a", diff_str_take(diff_join(fa, " | ")));
			json_object_set_new(ch, "b", diff_str_take(diff_join(fb, " | ")));
			json_array_append_new(changes, ch);
		}
		v = diff_item(c, ea, eb, lang);
		json_object_set_new(v, "changes", changes);
		json_array_append_new(altered, v);
	}
	free(keys);
	json_object_set_new(cat, "key", json_string(c->key));
	json_object_set_new(cat, "title", json_string(strcmp(lang, "ko") == 0 ? c->ko : c->en));
	json_object_set_new(cat, "n_only_a", json_integer((json_int_t)json_array_size(only_a)));
	json_object_set_new(cat, "n_only_b", json_integer((json_int_t)json_array_size(only_b)));
	json_object_set_new(cat, "n_both", json_integer((json_int_t)json_array_size(both)));
	json_object_set_new(cat, "n_altered", json_integer((json_int_t)json_array_size(altered)));
	json_object_set_new(cat, "has_only_a", json_boolean(json_array_size(only_a) > 0));
	json_object_set_new(cat, "has_only_b", json_boolean(json_array_size(only_b) > 0));
	json_object_set_new(cat, "has_both", json_boolean(json_array_size(both) > 0));
	json_object_set_new(cat, "has_altered", json_boolean(json_array_size(altered) > 0));
	json_object_set_new(cat, "has_any", json_boolean(n > 0));
	json_object_set_new(cat, "only_a", only_a);
	json_object_set_new(cat, "only_b", only_b);
	json_object_set_new(cat, "both", both);
	json_object_set_new(cat, "altered", altered);
	return cat;
}

/* "2009-10-10T13:35:31Z" (ISO 8601, UTC). */
static json_t *
diff_time(int64_t us)
{
	char s[TIMEFMT_UTC_MAX];

	if (!timefmt_utc_sec(us, s, sizeof(s)))
		return json_null();
	return json_string(s);
}

/* The case details: shown, never compared. */
static json_t *
diff_case_info(struct casedb *db, const char *label)
{
	static const char *const keys[] = { "case_title", "case_number", "examiner", "agency" };
	json_t *j = json_object();
	const struct row *r;
	struct rows *st;
	char *versions = xstrdup("");

	json_object_set_new(j, "label", diff_jstr(label));
	json_object_set_new(j, "dir", diff_jstr(casedb_dir(db)));
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		char *v = casedb_meta_get(db, keys[i]);

		json_object_set_new(j, keys[i], v ? diff_jstr(v) : json_null());
		free(v);
	}
	st = q_diff_tool_versions(db);
	while (rows_next(st, &r)) {
		char *n = xasprintf("%s%s%s", versions, *versions ? ", " : "", diff_col(r, 0));

		free(versions);
		versions = n;
	}
	rows_close(st);
	json_object_set_new(j, "tool_versions", diff_jstr(versions));
	free(versions);
	json_object_set_new(j, "evidence_count", json_integer(q_report_count(db, Q_COUNT_EVIDENCE)));
	st = q_diff_updated(db);
	if (rows_next(st, &r) && !row_null(r, 0))
		json_object_set_new(j, "updated", diff_time(row_int(r, 0)));
	else
		json_object_set_new(j, "updated", json_null());
	rows_close(st);
	return j;
}

/* The case details side by side, as rows {title, a, b} for the templates. */
static json_t *
diff_case_rows(json_t *root, const char *lang)
{
	static const struct diff_field rows[] = {
		{ "dir", "Case folder", "사건 폴더" },
		{ "case_title", "Case title", "사건 제목" },
		{ "case_number", "Case number", "사건 번호" },
		{ "examiner", "Examiner", "분석관" },
		{ "agency", "Agency", "소속 기관" },
		{ "tool_versions", "mailcase version", "mailcase 버전" },
		{ "evidence_count", "Evidence files", "증거 파일 수" },
		{ "updated", "Last processed (UTC)", "마지막 처리 시각 (UTC)" },
	};
	json_t *out = json_array();
	json_t *a = json_object_get(root, "a"), *b = json_object_get(root, "b");

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *r = json_object();
		json_t *va = json_object_get(a, rows[i].key), *vb = json_object_get(b, rows[i].key);

		json_object_set_new(r, "title", json_string(diff_label(&rows[i], lang)));
		json_object_set(r, "a", va ? va : json_null());
		json_object_set(r, "b", vb ? vb : json_null());
		json_array_append_new(out, r);
	}
	return out;
}

json_t *
diff_cases(struct casedb *a, struct casedb *b, const struct diff_opts *o)
{
	const char *lang = o->lang && strcmp(o->lang, "ko") == 0 ? "ko" : "en";
	json_t *root = json_object(), *cats = json_array();

	json_object_set_new(root, "lang", json_string(lang));
	json_object_set_new(root, "generated", diff_time(o->generated_us));
	json_object_set_new(root, "a", diff_case_info(a, o->label_a ? o->label_a : "A"));
	json_object_set_new(root, "b", diff_case_info(b, o->label_b ? o->label_b : "B"));
	for (size_t i = 0; i < sizeof(diff_cats) / sizeof(diff_cats[0]); i++) {
		json_t *ma = json_object(), *mb = json_object();

		diff_cats[i].collect(a, ma, lang);
		diff_cats[i].collect(b, mb, lang);
		json_array_append_new(cats, diff_category(&diff_cats[i], ma, mb, lang));
		json_decref(ma);
		json_decref(mb);
	}
	json_object_set_new(root, "case_rows", diff_case_rows(root, lang));
	json_object_set_new(root, "categories", cats);
	json_object_set_new(root, "differs", json_boolean(diff_differs(root)));
	json_object_set_new(root, "same", json_boolean(!diff_differs(root)));
	return root;
}

bool
diff_differs(const json_t *model)
{
	const json_t *c;
	size_t i;

	json_array_foreach(json_object_get(model, "categories"), i, c) {
		if (json_array_size(json_object_get(c, "only_a")) > 0 ||
		    json_array_size(json_object_get(c, "only_b")) > 0 ||
		    json_array_size(json_object_get(c, "altered")) > 0)
			return true;
	}
	return false;
}

/* ---- output ---- */

/* Writes a new file (never replacing one). */
static bool
diff_file_write(const char *dir, const char *name, const char *text, char **err)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wx");
	size_t n = strlen(text);

	if (fp == NULL) {
		*err = xasprintf("%s: cannot create: %s", path, strerror(errno));
		free(path);
		return false;
	}
	{
		bool ok = fwrite(text, 1, n, fp) == n;
		int e = errno;

		/* closed whatever the write did; the first failure is said */
		if (fclose(fp) != 0 && ok) {
			ok = false;
			e = errno;
		}
		if (!ok)
			*err = xasprintf("%s: cannot write: %s", path, strerror(e));
		free(path);
		return ok;
	}
}

/* diff.md from templates_dir/diff.md.mustache (values escaped for
 * Markdown by the renderer), and diff.html: that Markdown inside the page
 * template, as the reports are made. Both are rendered before anything is
 * written, so a template error leaves no half-written diff. */
static bool
diff_render_text(const json_t *model, const char *templates_dir, char **md, char **html,
    char **err)
{
	const char *lang = json_string_value(json_object_get(model, "lang"));
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;

	*html = NULL;
	*md = mustache_render_file(templates_dir, "diff.md.mustache", model,
	    mustache_escape_markdown, err);
	if (*md == NULL)
		return false;
	*html = html_page_from_markdown(*md, strlen(*md), templates_dir,
	    ko ? "두 사건의 비교" : "Comparison of two cases", ko ? "ko" : "en", NULL, err);
	if (*html == NULL) {
		free(*md);
		*md = NULL;
		return false;
	}
	return true;
}

bool
diff_write(const json_t *model, const char *dir, const char *templates_dir, char **err)
{
	char *json, *nl, *md, *html;
	bool ok;

	*err = NULL;
	if (!diff_render_text(model, templates_dir, &md, &html, err))
		return false;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		*err = xasprintf("%s: cannot create directory: %s", dir, strerror(errno));
		free(md);
		free(html);
		return false;
	}
	json = json_dumps(model, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (json == NULL)
		fatal("cannot serialise the diff model");
	nl = xasprintf("%s\n", json);
	free(json);
	ok = diff_file_write(dir, "diff.json", nl, err) &&
	    diff_file_write(dir, "diff.md", md, err) &&
	    diff_file_write(dir, "diff.html", html, err);
	free(nl);
	free(html);
	free(md);
	return ok;
}
