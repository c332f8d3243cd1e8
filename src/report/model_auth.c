/* model_auth.c - the authenticity part of the report model: each
 * message's DKIM signatures (auth/dkim.c, stored by store/db_auth.c) and
 * the case's tally. The database holds codes; the words for them, in the
 * report's language, are the table below. */
#include "report/model.h"
#include "mail/maildate.h"
#include "store/q_auth.h"
#include "store/rows.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct {
	const char *code, *en, *ko;
} auth_results[] = {
	{ "pass", "verified: signed header fields and body unchanged",
	  "검증됨: 서명된 헤더와 본문이 변경되지 않음" },
	{ "body-altered", "body altered after signing (body hash differs)",
	  "서명 후 본문 변경됨 (본문 해시 불일치)" },
	{ "headers-altered", "signed header fields altered after signing",
	  "서명 후 서명된 헤더 변경됨" },
	{ "no-key", "not verifiable: no key supplied for this selector",
	  "검증 불가: 이 셀렉터의 공개키가 제공되지 않음" },
	{ "key-revoked", "not verifiable: the key record is revoked (empty p=)",
	  "검증 불가: 공개키 레코드가 폐기됨 (빈 p=)" },
	{ "key-invalid", "not verifiable: the key record cannot be used",
	  "검증 불가: 공개키 레코드를 사용할 수 없음" },
	{ "expired", "expired before the message's own delivery time (x=)",
	  "메시지 자체의 전달 시각 이전에 만료됨 (x=)" },
	{ "unsupported-algorithm", "not verifiable: unsupported algorithm",
	  "검증 불가: 지원되지 않는 알고리즘" },
	{ "malformed", "malformed signature field", "형식이 잘못된 서명 필드" },
};

static const char *
auth_result_text(const char *code, const char *lang)
{
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;

	for (size_t i = 0; code != NULL && i < sizeof(auth_results) / sizeof(auth_results[0]); i++)
		if (strcmp(auth_results[i].code, code) == 0)
			return ko ? auth_results[i].ko : auth_results[i].en;
	return code;
}

/* Why a field could not be read in full: auth/fields.c, auth/authres.c,
 * auth/dkim.c and store/db_auth.c write these reasons in English (they are
 * what the case database holds); the report shows them in its language.
 * A reason not in the table (libopendkim's own words) is shown as it is. */
static const struct {
	const char *en, *ko;
} auth_reasons[] = {
	{ "a tag without '='", "'='이 없는 태그" },
	{ "a tag given twice", "두 번 나온 태그" },
	{ "a malformed tag name", "형식이 잘못된 태그 이름" },
	{ "a result without method=result", "method=result 형식이 아닌 결과" },
	{ "a method without a result", "결과가 없는 방식(method)" },
	{ "a property without =", "'='이 없는 속성" },
	{ "no instance tag i=", "인스턴스 태그 i= 없음" },
	{ "no \";\" after i=", "i= 뒤에 \";\" 없음" },
	{ "no authserv-id", "authserv-id 없음" },
	{ "text where \";\" was expected", "\";\"가 와야 할 자리에 다른 글자" },
	{ "cut short or malformed", "잘렸거나 형식이 잘못됨" },
	{ "no result", "결과 없음" },
	{ "a key without =", "'='이 없는 키" },
	{ "no value", "값 없음" },
	{ "longer than the ceiling", "상한보다 김" },
	{ "more results than the ceiling; the rest unread", "결과가 상한보다 많음: 나머지는 읽지 않음" },
	{ "libopendkim did not accept the signature field", "libopendkim이 서명 필드를 받아들이지 않음" },
};

/* The reason (English, as stored) in the report's language, as a JSON
 * string; null when there is none. */
static json_t *
auth_reason_text(const char *en, const char *lang)
{
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;

	if (en == NULL)
		return json_null();
	for (size_t i = 0; ko && i < sizeof(auth_reasons) / sizeof(auth_reasons[0]); i++)
		if (strcmp(auth_reasons[i].en, en) == 0)
			return json_string(auth_reasons[i].ko);
	return model_string(en);
}

static json_t *
auth_time(const struct row *r, int col, int64_t scale)
{
	return row_null(r, col) ? json_null() : model_time(row_int(r, col) * scale);
}

/* What each rule of auth/hidden.c reads (docs/hidden-timestamps.md). */
static const struct {
	const char *rule, *en, *ko;
} hidden_rules[] = {
	{ "outlook-msgid", "Outlook Express / Outlook (MimeOLE) Message-ID: a FILETIME in UTC and the"
	  " sender's IPv4 address", "Outlook Express / Outlook(MimeOLE) Message-ID: UTC 기준 FILETIME과"
	  " 발신자 IPv4 주소" },
	{ "outlook-boundary", "Outlook Express / Outlook (MimeOLE) MIME boundary: a FILETIME of the"
	  " sender's local clock", "Outlook Express / Outlook(MimeOLE) MIME 경계 문자열: 발신자 현지"
	  " 시계의 FILETIME" },
	{ "javamail-msgid", "JavaMail Message-ID: milliseconds since 1970 (UTC)",
	  "JavaMail Message-ID: 1970년 이후 밀리초(UTC)" },
	{ "javamail-boundary", "JavaMail MIME boundary: milliseconds since 1970 (UTC)",
	  "JavaMail MIME 경계 문자열: 1970년 이후 밀리초(UTC)" },
	{ "python-msgid", "Python 3 email.utils.make_msgid: hundredths of a second since 1970 (UTC)",
	  "Python 3 email.utils.make_msgid: 1970년 이후 1/100초(UTC)" },
	{ "python2-msgid", "Python 2 email.utils.make_msgid: date and time in UTC",
	  "Python 2 email.utils.make_msgid: UTC 날짜와 시각" },
	{ "mutt-msgid", "mutt Message-ID: date and time in UTC", "mutt Message-ID: UTC 날짜와 시각" },
};

static const char *
hidden_rule_text(const char *rule, bool ko)
{
	for (size_t i = 0; rule != NULL && i < sizeof(hidden_rules) / sizeof(hidden_rules[0]); i++)
		if (strcmp(hidden_rules[i].rule, rule) == 0)
			return ko ? hidden_rules[i].ko : hidden_rules[i].en;
	return rule;
}

/* A wall clock (microseconds counted as UTC) as "2009-10-10 07:35:30.338",
 * to the millisecond the rules carry. */
static void
hidden_wall(int64_t us, char *out, size_t n)
{
	int64_t sec = us / 1000000, ms = us % 1000000 / 1000;
	time_t t;
	struct tm tm;
	char base[32];

	if (ms < 0) {
		ms += 1000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		snprintf(out, n, "?");
		return;
	}
	snprintf(out, n, "%s.%03d", base, (int)ms);
}

/* A difference in seconds to the millisecond, with its sign: "+1.916",
 * "-0.009", "0.000". */
static json_t *
hidden_secs(int64_t us)
{
	char s[48];
	int64_t ms = (us < 0 ? -us : us) / 1000;

	snprintf(s, sizeof(s), "%s%" PRId64 ".%03" PRId64, us < 0 ? "-" : ms ? "+" : "", ms / 1000,
	    ms % 1000);
	return json_string(s);
}

/* "-06:00" for an offset in minutes. */
static void
hidden_offset(int min, char *out, size_t n)
{
	int a = min < 0 ? -min : min;

	snprintf(out, n, "%c%02d:%02d", min < 0 ? '-' : '+', a / 60, a % 60);
}

/* The "hidden" list of one message: each value decoded from its
 * Message-ID or a boundary, set against the Date field and the capture
 * time. A utc value is compared as an instant. A local value (the sender's
 * wall clock) is compared with the Date field's own wall clock, and read in
 * the Date field's zone to compare with the capture time; when the message
 * also has a utc value, local minus utc is the offset the sender's clock
 * kept, to the nearest quarter hour. */
static json_t *
hidden_list(struct rows *st, int64_t message_id, bool ko)
{
	json_t *arr = json_array(), *v;
	const struct row *r;
	bool have_utc = false;
	int64_t utc_us = 0;
	size_t i;

	rows_bind_int(st, 1, message_id);
	while (rows_next(st, &r)) {
		json_t *h = json_object();
		const char *field = row_text(r, 0), *clock = row_text(r, 3), *date_raw = row_text(r, 7);
		bool local = clock != NULL && strcmp(clock, "local") == 0;
		int64_t us = row_int(r, 4), date_us = row_null(r, 6) ? 0 : row_int(r, 6);
		int64_t ts_us = row_null(r, 8) ? 0 : row_int(r, 8);
		struct maildate md;
		bool zoned = date_raw != NULL && maildate_read(date_raw, strlen(date_raw), &md) &&
		    md.zone == MAILDATE_ZONE_KNOWN;
		char w[48], off[16];

		json_object_set_new(h, "field", model_string(field));
		json_object_set_new(h, "field_label", json_string(field && strcmp(field, "boundary") == 0 ?
		    (ko ? "MIME 경계 문자열" : "MIME boundary") : "Message-ID"));
		json_object_set_new(h, "value", model_row_str(r, 1));
		json_object_set_new(h, "rule", model_row_str(r, 2));
		json_object_set_new(h, "rule_text", model_string(hidden_rule_text(row_text(r, 2), ko)));
		json_object_set_new(h, "clock", model_string(clock));
		json_object_set_new(h, "local", json_boolean(local));
		json_object_set_new(h, "time_us", json_integer((json_int_t)us));
		hidden_wall(us, w, sizeof(w));
		if (local) {
			json_object_set_new(h, "time", json_null());
			json_object_set_new(h, "wall_clock", json_string(w));
		} else {
			json_object_set_new(h, "time", model_time(us));
			json_object_set_new(h, "wall_clock", json_null());
			if (!have_utc) {
				have_utc = true;
				utc_us = us;
			}
		}
		json_object_set_new(h, "address", model_row_str(r, 5));
		json_object_set_new(h, "address_any", json_boolean(!row_null(r, 5)));
		/* against the Date field */
		if (date_us != 0 && (!local || zoned)) {
			int64_t d = local ? us - (date_us + (int64_t)md.offset_min * 60000000) : us - date_us;

			json_object_set_new(h, "date_diff_ms", json_integer((json_int_t)(d / 1000)));
			json_object_set_new(h, "date_diff", hidden_secs(d));
		} else {
			json_object_set_new(h, "date_diff_ms", json_null());
			json_object_set_new(h, "date_diff", json_null());
		}
		/* against the capture time; a local value in the Date field's zone */
		if (ts_us != 0 && (!local || zoned)) {
			int64_t d = local ? us - (int64_t)md.offset_min * 60000000 - ts_us : us - ts_us;

			json_object_set_new(h, "capture_diff_ms", json_integer((json_int_t)(d / 1000)));
			json_object_set_new(h, "capture_diff", hidden_secs(d));
		} else {
			json_object_set_new(h, "capture_diff_ms", json_null());
			json_object_set_new(h, "capture_diff", json_null());
		}
		if (local && zoned) {
			hidden_offset(md.offset_min, off, sizeof(off));
			json_object_set_new(h, "date_zone", json_string(off));
		} else
			json_object_set_new(h, "date_zone", json_null());
		json_object_set_new(h, "sender_zone", json_null());
		json_object_set_new(h, "utc_diff", json_null());
		json_array_append_new(arr, h);
	}
	/* local minus the message's first utc value: the sender's offset */
	json_array_foreach(arr, i, v) {
		if (have_utc && json_is_true(json_object_get(v, "local"))) {
			int64_t d = json_integer_value(json_object_get(v, "time_us")) - utc_us;
			int64_t q = (d >= 0 ? d + 450000000 : d - 450000000) / 900000000;   /* quarter hours */
			char off[16];

			hidden_offset((int)(q * 15), off, sizeof(off));
			json_object_set_new(v, "sender_zone", json_string(off));
			json_object_set_new(v, "utc_diff", hidden_secs(d));
		}
	}
	return arr;
}

/* The "authenticity" object of one message: {dkim_any, dkim: [...],
 * hidden_any, hidden: [...]}. */
json_t *
model_auth_message(struct rows *st, struct rows *hid, int64_t message_id, const char *lang)
{
	json_t *o = json_object(), *arr = json_array();
	const struct row *r;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;

	rows_bind_int(st, 1, message_id);
	while (rows_next(st, &r)) {
		json_t *s = json_object();

		json_object_set_new(s, "field_no", model_row_int(r, 0));
		json_object_set_new(s, "domain", model_row_str(r, 1));
		json_object_set_new(s, "selector", model_row_str(r, 2));
		json_object_set_new(s, "algorithm", model_row_str(r, 3));
		json_object_set_new(s, "canonicalization", model_row_str(r, 4));
		json_object_set_new(s, "signed_headers", model_row_str(r, 5));
		json_object_set_new(s, "identity", model_row_str(r, 6));
		json_object_set_new(s, "signed_at", auth_time(r, 7, 1000000));
		json_object_set_new(s, "expires", auth_time(r, 8, 1000000));
		json_object_set_new(s, "body_length", model_row_int(r, 9));
		json_object_set_new(s, "body_hash", model_row_str(r, 10));
		json_object_set_new(s, "result", model_row_str(r, 11));
		json_object_set_new(s, "result_text", model_string(auth_result_text(row_text(r, 11), lang)));
		json_object_set_new(s, "library_says", model_row_str(r, 12));
		json_object_set_new(s, "library_says_text", auth_reason_text(row_text(r, 12), lang));
		json_object_set_new(s, "key_name", model_row_str(r, 13));
		json_object_set_new(s, "key_sha256", model_row_str(r, 14));
		json_object_set_new(s, "unsigned_headers", model_row_str(r, 15));
		json_object_set_new(s, "evaluated_at", auth_time(r, 16, 1));
		json_object_set_new(s, "evaluated_by", model_row_str(r, 17));
		json_object_set_new(s, "body_hash_computed", model_row_str(r, 18));
		json_array_append_new(arr, s);
	}
	json_object_set_new(o, "dkim_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(o, "dkim", arr);
	arr = hidden_list(hid, message_id, ko);
	json_object_set_new(o, "hidden_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(o, "hidden", arr);
	json_object_set_new(o, "any", json_boolean(json_array_size(arr) > 0 ||
	    json_is_true(json_object_get(o, "dkim_any"))));
	return o;
}

/* Does host (a Received "by") belong to the server id names: the same
 * name, or a name under it ("mx.google.com" for "google.com")? */
static bool
auth_host_is(const char *host, const char *id)
{
	size_t nh, ni;

	if (host == NULL || id == NULL || *id == '\0')
		return false;
	nh = strlen(host);
	ni = strlen(id);
	if (nh == ni)
		return strcasecmp(host, id) == 0;
	return nh > ni && host[nh - ni - 1] == '.' && strcasecmp(host + nh - ni, id) == 0;
}

/* The domain a dkim result is about: header.d=, else the domain of
 * header.i=; NULL when neither is written. A new string. */
static char *
auth_dkim_domain(const char *props)
{
	const char *p, *keys[] = { "header.d=", "header.i=" };

	for (size_t k = 0; props != NULL && k < 2; k++) {
		for (p = strstr(props, keys[k]); p != NULL; p = strstr(p + 1, keys[k]))
			if (p == props || p[-1] == ' ') {
				const char *v = p + strlen(keys[k]), *at;
				size_t n = strcspn(v, " ");

				at = memchr(v, '@', n);
				if (at != NULL) {
					n -= (size_t)(at + 1 - v);
					v = at + 1;
				}
				if (n > 0)
					return xstrndup(v, n);
			}
	}
	return NULL;
}

/* Where the field was written, against the route (RFC 8601 section 5:
 * only results written inside the trust boundary mean anything): the
 * newest hop whose receiver is the authserv-id's server decides. */
static void
auth_boundary(json_t *x, json_t *msg, const char *id, bool ko)
{
	json_t *hops = json_object_get(json_object_get(msg, "route"), "hops");
	const char *by = NULL, *trust = NULL;
	char *text;

	for (size_t k = json_array_size(hops); k > 0 && by == NULL; k--) {
		json_t *h = json_array_get(hops, k - 1);
		const char *b = json_string_value(json_object_get(h, "by"));

		if (auth_host_is(b, id)) {
			by = b;
			trust = json_string_value(json_object_get(h, "trust"));
		}
	}
	if (id == NULL) {
		json_object_set_new(x, "boundary", json_string("unknown"));
		text = xstrdup(ko ? "기록한 서버가 적혀 있지 않음" : "no server named");
	} else if (by == NULL) {
		json_object_set_new(x, "boundary", json_string("not-on-route"));
		text = xasprintf(ko ? "경로와 연결되지 않음: %s가 받은 Received 홉이 없어 신뢰할 수 없음" :
		    "not tied to the route: no Received hop was received by %s, so it cannot be relied on", id);
	} else if (trust != NULL && (strcmp(trust, "trusted") == 0 || strcmp(trust, "origin") == 0)) {
		json_object_set_new(x, "boundary", json_string("inside"));
		text = xasprintf(ko ? "신뢰 경계 안: 경로가 신뢰하는 수신 서버 %s가 기록" :
		    "inside the trust boundary: written by %s, a receiver the route trusts", by);
	} else {
		json_object_set_new(x, "boundary", json_string("outside"));
		text = xasprintf(ko ? "신뢰 경계 밖: %s는 경로의 발신지보다 아래에 있어 발신자가 썼을 수 있음" :
		    "outside the trust boundary: %s is below the route's origin, so the sender could have"
		    " written it", by);
	}
	json_object_set_new(x, "boundary_text", model_string(text));
	free(text);
}

/* mailcase's own DKIM result for the domain a dkim result names. */
static void
auth_own_dkim(json_t *x, json_t *msg, const char *method, const char *props, bool ko)
{
	json_t *sigs = json_object_get(json_object_get(msg, "authenticity"), "dkim"), *s;
	char *d = method != NULL && strcmp(method, "dkim") == 0 ? auth_dkim_domain(props) : NULL;
	size_t i;
	char *text;

	if (d == NULL) {
		json_object_set_new(x, "own_dkim", json_null());
		json_object_set_new(x, "own_dkim_text", json_null());
		return;
	}
	json_array_foreach(sigs, i, s) {
		const char *dom = json_string_value(json_object_get(s, "domain"));

		if (dom != NULL && strcasecmp(dom, d) == 0) {
			json_object_set(x, "own_dkim", json_object_get(s, "result"));
			text = xasprintf("%s (d=%s)", json_string_value(json_object_get(s, "result_text")), dom);
			json_object_set_new(x, "own_dkim_text", model_string(text));
			free(text);
			free(d);
			return;
		}
	}
	json_object_set_new(x, "own_dkim", json_string("no-signature"));
	text = xasprintf(ko ? "이 메시지에 d=%s의 DKIM-Signature가 없음" :
	    "the message has no DKIM-Signature of d=%s", d);
	json_object_set_new(x, "own_dkim_text", model_string(text));
	free(text);
	free(d);
}

void
model_auth_results(struct rows *st, json_t *msg, int64_t message_id, const char *lang)
{
	json_t *au = json_object_get(msg, "authenticity"), *arr = json_array();
	const struct row *r;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;

	rows_bind_int(st, 1, message_id);
	while (rows_next(st, &r)) {
		json_t *x = json_object();
		const char *field = row_text(r, 0);
		char *label;

		if (field != NULL && strcmp(field, "arc-authentication-results") == 0)
			label = xasprintf("ARC-Authentication-Results i=%lld", (long long)row_int(r, 2));
		else if (field != NULL && strcmp(field, "received-spf") == 0)
			label = xstrdup("Received-SPF");
		else
			label = xstrdup("Authentication-Results");
		json_object_set_new(x, "field", model_string(field));
		json_object_set_new(x, "field_label", model_string(label));
		json_object_set_new(x, "field_no", model_row_int(r, 1));
		json_object_set_new(x, "instance", model_row_int(r, 2));
		json_object_set_new(x, "authserv_id", model_row_str(r, 3));
		json_object_set_new(x, "method", model_row_str(r, 4));
		json_object_set_new(x, "result", model_row_str(r, 5));
		json_object_set_new(x, "reason", model_row_str(r, 6));
		json_object_set_new(x, "props", model_row_str(r, 7));
		json_object_set_new(x, "err", model_row_str(r, 8));
		json_object_set_new(x, "err_text", auth_reason_text(row_text(r, 8), lang));
		auth_boundary(x, msg, row_text(r, 3), ko);
		auth_own_dkim(x, msg, row_text(r, 4), row_text(r, 7), ko);
		json_array_append_new(arr, x);
		free(label);
	}
	if (!json_is_object(au))
		return;
	json_object_set_new(au, "results_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(au, "results", arr);
	if (json_array_size(json_object_get(au, "results")) > 0)
		json_object_set_new(au, "any", json_true());
}

/* root.authenticity: messages signed, verified, altered, unverifiable, and
 * signatures per result. */
void
model_auth_case(struct casedb *db, json_t *root, const char *lang)
{
	struct rows *st = q_auth_dkim_tally(db);
	json_t *o = json_object(), *arr = json_array();
	const struct row *r;

	if (rows_next(st, &r)) {
		json_object_set_new(o, "messages_signed", json_integer(row_int(r, 0)));
		json_object_set_new(o, "messages_verified", json_integer(row_int(r, 1)));
		json_object_set_new(o, "messages_altered", json_integer(row_int(r, 2)));
		json_object_set_new(o, "messages_unverifiable", json_integer(row_int(r, 3)));
		json_object_set_new(o, "any", json_boolean(row_int(r, 0) > 0));
	}
	rows_close(st);
	st = q_auth_dkim_results(db);
	while (rows_next(st, &r)) {
		json_t *x = json_object();

		json_object_set_new(x, "result", model_row_str(r, 0));
		json_object_set_new(x, "text", model_string(auth_result_text(row_text(r, 0), lang)));
		json_object_set_new(x, "signatures", json_integer(row_int(r, 1)));
		json_array_append_new(arr, x);
	}
	rows_close(st);
	json_object_set_new(o, "results", arr);
	json_object_set_new(root, "authenticity", o);
}
