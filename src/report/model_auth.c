/* model_auth.c - the authenticity part of the report model: each
 * message's DKIM signatures (auth/dkim.c, stored by store/db_auth.c) and
 * the case's tally. The database holds codes; the words for them, in the
 * report's language, are the table below. */
#include "report/model.h"
#include "store/q_auth.h"
#include "store/rows.h"

#include <string.h>

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

/* The "authenticity" object of one message: {dkim_any, dkim: [...]}. */
json_t *
model_auth_message(struct rows *st, int64_t message_id, const char *lang)
{
	json_t *o = json_object(), *arr = json_array();
	const struct row *r;

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
