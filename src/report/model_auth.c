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
