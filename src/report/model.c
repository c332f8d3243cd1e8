/* model.c - the core of the report model (see model.h, docs/report-json.md):
 * the builder order, the case/tool/evidence/log/integrity keys, the summary
 * of findings, the merged timeline and the glossary. Everything is read from
 * the case database; values stay plain text (the templates escape them). */
#include "capture/stream.h"
#include "report/logtext.h"
#include "report/model.h"
#include "store/casedb.h"
#include "store/q_report.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

/* Text from the database as a JSON string. jansson takes only UTF-8 without
 * NUL; anything else from evidence is shown as "\xNN" rather than lost. */
static json_t *
model_str(const char *s, size_t n)
{
	char *c;
	json_t *j;

	/* What the stages stored is already clean (util/text.h); anything else
	 * (an older case, a column written raw) gets the same one shape. */
	if (text_is_clean(s, n, TEXT_LINES))
		return json_stringn(s, n);
	c = text_clean(s, n, TEXT_LINES);
	j = json_string(c);
	free(c);
	return j;
}

void
model_upper(char *out, size_t n, const char *in)
{
	size_t i;

	for (i = 0; in != NULL && in[i] != '\0' && i + 1 < n; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	out[i] = '\0';
}

json_t *
model_string(const char *s)
{
	return s ? model_str(s, strlen(s)) : json_null();
}

json_t *
model_stringn(const char *p, size_t len)
{
	return p ? model_str(p, len) : json_null();
}

json_t *
model_row_str(const struct row *r, int col)
{
	const char *s = row_text(r, col);

	return model_stringn(s, row_bytes(r, col));
}

json_t *
model_row_int(const struct row *r, int col)
{
	if (row_null(r, col))
		return json_null();
	return json_integer((json_int_t)row_int(r, col));
}

/* ISO 8601 in UTC; fractional seconds only when there are any. 0 is how
 * the database's NULL times arrive (row_int) and means
 * "unknown": null. */
static bool
model_time_fmt(int64_t us, char *out, size_t n)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	time_t t;
	struct tm tm;
	char base[40];

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return false;
	if (frac != 0)
		snprintf(out, n, "%s.%06lldZ", base, (long long)frac);
	else
		snprintf(out, n, "%sZ", base);
	return true;
}

json_t *
model_time(int64_t us)
{
	char s[64];

	if (us == 0 || !model_time_fmt(us, s, sizeof(s)))
		return json_null();
	return json_string(s);
}

const char *
model_base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;

	return s ? s + 1 : p ? p : "";
}

static const char *
model_text(const struct row *r, int col)
{
	const char *s = row_text(r, col);

	return s ? s : "";
}

static void
model_set_list(json_t *root, const char *key, json_t *arr)
{
	char *k;

	k = xasprintf("%s_any", key);
	json_object_set_new(root, k, json_boolean(json_array_size(arr) > 0));
	free(k);
	k = xasprintf("%s_count", key);
	json_object_set_new(root, k, json_integer((json_int_t)json_array_size(arr)));
	free(k);
	json_object_set_new(root, key, arr);
}

static const struct { const char *word, *en, *ko; } model_words[] = {
	{ "accepted", "accepted", "수락" },
	{ "rejected", "rejected", "거부" },
	{ "unknown", "unknown", "알 수 없음" },
	{ "no reply", "no reply", "응답 없음" },
	{ "password", "password", "비밀번호" },
	{ "oauth token", "OAuth token", "OAuth 토큰" },
	{ "cram-md5 digest", "CRAM-MD5 digest", "CRAM-MD5 다이제스트" },
	{ "apop digest", "APOP digest", "APOP 다이제스트" },
	{ "netntlmv1 response", "NetNTLMv1 response", "NetNTLMv1 응답" },
	{ "netntlmv2 response", "NetNTLMv2 response", "NetNTLMv2 응답" },
	{ "ntlm response", "NTLM response", "NTLM 응답" },
	{ "digest-md5 response", "DIGEST-MD5 response", "DIGEST-MD5 응답" },
	{ "scram proof", "SCRAM client proof", "SCRAM 클라이언트 증명" },
	{ "none", "none", "없음" },
	{ "starttls", "STARTTLS", "STARTTLS" },
	{ "starttls-clear", "STARTTLS, then in clear", "STARTTLS 후 평문" },
	{ "implicit", "TLS from the start", "처음부터 TLS" },
	{ "ok", "ok", "정상" },
	{ "partial", "partial", "일부만 읽음" },
	{ "unreadable", "unreadable", "읽을 수 없음" },
	{ "unsupported", "unsupported", "지원하지 않는 형식" },
	{ "not-evidence", "not evidence", "증거 아님" },
	{ "not-followed", "link not followed", "링크 따라가지 않음" },
	{ "not-read", "stored, not read", "보관만 하고 읽지 않음" },
	{ "info", "info", "정보" },
	{ "warning", "warning", "경고" },
	{ "warn", "warning", "경고" },
	{ "error", "error", "오류" },
	{ "frames", "frames", "프레임" },
	{ "frame", "frame", "프레임" },
	{ "offset", "offset", "오프셋" },
	{ "flow", "flow", "흐름" },
	{ "stream offset", "stream offset", "스트림 오프셋" },
	{ "message", "message", "메시지" },
	{ "mailbox message", "mailbox message", "메일함의 메시지" },
	{ "raw-message", "raw message", "원본 메시지" },
	{ "body", "text body", "본문" },
	{ "attachment", "attachment", "첨부 파일" },
	{ "inline", "inline part", "인라인 부분" },
	{ "headers-only", "headers only (a partial message)", "헤더만 (부분 메시지)" },
	{ "assembled", "put together with the other items of the message", "같은 메시지의 다른 항목과 합쳐 재구성" },
	{ "piece", "a piece, kept as bytes", "조각 (바이트로 보관)" },
	{ "listed", "a listing (ENVELOPE)", "목록 정보 (ENVELOPE)" },
	{ "PST folder", "PST folder", "PST 폴더" },
	{ "OST folder", "OST folder", "OST 폴더" },
	{ "item", "item", "항목" },
	{ "recovered", "recovered from deleted or orphaned space", "삭제되거나 고아가 된 공간에서 복구됨" },
	{ "msg file", "Outlook message file", "Outlook 메시지 파일" },
	{ "tnef file", "TNEF file", "TNEF 파일" },
	{ "attached as part", "attached as part", "첨부된 부분" },
	{ "emlx file", "Apple Mail message file", "Apple Mail 메시지 파일" },
};

const char *
model_word(const char *lang, const char *en)
{
	size_t i;

	if (lang == NULL || strcmp(lang, "ko") != 0)
		return en;
	for (i = 0; i < sizeof(model_words) / sizeof(model_words[0]); i++)
		if (strcmp(model_words[i].word, en) == 0)
			return model_words[i].ko;
	return en;
}

json_t *
model_grouped(int64_t v)
{
	char digits[32], out[48];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%lld", (long long)(v < 0 ? -v : v));
	n = strlen(digits);
	if (v < 0)
		out[o++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return json_string(out);
}

char *
model_frames(const char *list, const char *lang)
{
	enum { FRAMES_SHOWN_MAX = 40 };   /* characters, as stream_frames_brief */
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	const char *first, *last, *p;
	size_t fl, ll;
	unsigned long long count;
	struct buf b;

	if (strlen(list) > FRAMES_SHOWN_MAX &&
	    stream_frames_span(list, &first, &fl, &last, &ll, &count))
		return ko ? xasprintf("%.*s~%.*s 중 %llu개", (int)fl, first, (int)ll, last, count) :
		    xasprintf("%.*s to %.*s, %llu frames", (int)fl, first, (int)ll, last, count);
	buf_init(&b, BUF_UNLIMITED);
	for (p = list; *p != '\0'; p++) {
		bool ok = *p == ',' ? buf_adds(&b, ", ") : *p == ' ' ? true : buf_addc(&b, *p);

		if (!ok)
			fatal("frames buffer");
	}
	return buf_take(&b);
}

void
model_label(json_t *obj, const char *key, const char *lang)
{
	const char *v = json_string_value(json_object_get(obj, key));
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	char *k = xasprintf("%s_label", key);
	size_t i;

	for (i = 0; v != NULL && i < sizeof(model_words) / sizeof(model_words[0]); i++)
		if (strcasecmp(model_words[i].word, v) == 0) {
			v = ko ? model_words[i].ko : model_words[i].en;
			break;
		}
	json_object_set_new(obj, k, v ? json_string(v) : json_null());
	free(k);
}

void
model_list_more(json_t *arr)
{
	size_t i, n = json_array_size(arr);

	for (i = 0; i < n; i++)
		if (json_is_object(json_array_get(arr, i)))
			json_object_set_new(json_array_get(arr, i), "more", json_boolean(i + 1 < n));
}

/* ---- case, tool, evidence, log, integrity ---- */

/* Why an evidence file was not read (or not whole), in the report's
 * language: the fixed reasons of the intake in Korean; a reader's own
 * message (libpcap's, say) as it was given. */
static json_t *
model_evidence_reason(const char *reason, const char *lang)
{
	static const struct { const char *en, *ko; } reasons[] = {
		{ "no reader for this content; hashed and listed only",
		  "읽을 수 있는 형식이 아니므로 해시 값을 계산하고 목록에만 올림" },
		{ "symbolic links in evidence folders are not followed",
		  "증거 폴더 안의 심볼릭 링크는 따라가지 않음" },
	};
	size_t i;

	if (reason != NULL && lang != NULL && strcmp(lang, "ko") == 0)
		for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
			if (strcmp(reason, reasons[i].en) == 0)
				return json_string(reasons[i].ko);
	return reason != NULL ? model_string(reason) : json_null();
}

static json_t *
model_meta(struct casedb *db, const char *key)
{
	char *v = casedb_meta_get(db, key);
	json_t *j;

	if (v == NULL || *v == '\0') {
		free(v);
		return json_null();
	}
	j = model_str(v, strlen(v));
	free(v);
	return j;
}

/* The folders of the mail stores (store_folders): store_folders[] {evidence,
 * path, depth, item, messages, sub_folders, content_count, unread_count,
 * unreadable}. */
static void
model_store_folders(struct casedb *db, json_t *root)
{
	struct rows *st = q_report_store_folders(db);
	const struct row *r;
	json_t *arr = json_array();

	while (rows_next(st, &r)) {
		json_t *j = json_object();

		json_object_set_new(j, "evidence", model_string(model_base(row_text(r, 0))));
		json_object_set_new(j, "path", model_row_str(r, 1));
		json_object_set_new(j, "depth", model_row_int(r, 2));
		json_object_set_new(j, "item", model_row_int(r, 3));
		json_object_set_new(j, "messages", model_row_int(r, 4));
		json_object_set_new(j, "sub_folders", model_row_int(r, 5));
		json_object_set_new(j, "content_count", model_row_int(r, 6));
		json_object_set_new(j, "unread_count", model_row_int(r, 7));
		json_object_set_new(j, "unreadable", model_row_int(r, 8));
		json_object_set_new(j, "unreadable_any", json_boolean(row_int(r, 8) > 0));
		json_array_append_new(arr, j);
	}
	rows_close(st);
	model_set_list(root, "store_folders", arr);
}

static void
model_evidence(struct casedb *db, json_t *root)
{
	const struct row *r;
	struct rows *st = q_report_evidence(db);
	json_t *arr = json_array(), *integ = json_object(), *ilist = json_array();
	int n = 0, matched = 0, changed = 0, unchecked = 0;
	char *top = NULL;     /* the path of the last row that is no folder's entry */
	size_t top_base = 0;  /* where its last part begins */

	while (rows_next(st, &r)) {
		json_t *j = json_object(), *i;
		const char *verdict, *path = model_text(r, 1), *name = model_base(path);

		/* an entry of a folder is named by its path from the folder's name on */
		if (row_null(r, 17)) {
			free(top);
			top = xstrdup(path);
			top_base = (size_t)(name - path);
		} else if (top != NULL && strncmp(path, top, strlen(top)) == 0 &&
		    path[strlen(top)] == '/') {
			name = path + top_base;
		}
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "id", model_row_int(r, 0));
		json_object_set_new(j, "name", model_str(name, strlen(name)));
		json_object_set_new(j, "parent_id", model_row_int(r, 17));
		json_object_set_new(j, "entry", json_boolean(!row_null(r, 17)));
		json_object_set_new(j, "reason", model_evidence_reason(row_text(r, 16),
		    json_string_value(json_object_get(root, "lang"))));
		json_object_set_new(j, "path", model_row_str(r, 1));
		json_object_set_new(j, "abs_path", model_row_str(r, 2));
		json_object_set_new(j, "size", model_row_int(r, 3));
		json_object_set_new(j, "type", model_row_str(r, 4));
		json_object_set_new(j, "detail", model_row_str(r, 5));
		json_object_set_new(j, "md5", model_row_str(r, 6));
		json_object_set_new(j, "sha1", model_row_str(r, 7));
		json_object_set_new(j, "sha256", model_row_str(r, 8));
		json_object_set_new(j, "first", model_time(row_int(r, 9)));
		json_object_set_new(j, "last", model_time(row_int(r, 10)));
		json_object_set_new(j, "first_us", model_row_int(r, 9));
		json_object_set_new(j, "last_us", model_row_int(r, 10));
		json_object_set_new(j, "packets", model_row_int(r, 11));
		json_object_set_new(j, "link_types", model_row_str(r, 12));
		json_object_set_new(j, "status", model_row_str(r, 13));
		model_label(j, "status", json_string_value(json_object_get(root, "lang")));
		json_object_set_new(j, "after_sha256", model_row_str(r, 14));
		if (row_null(r, 15)) {
			verdict = "unchecked";
			unchecked++;
		} else if ((int)row_int(r, 15) != 0) {
			verdict = "matched";
			matched++;
		} else {
			verdict = "changed";
			changed++;
		}
		json_object_set_new(j, "after_match", row_null(r, 15) ?
		    json_null() : json_boolean((int)row_int(r, 15) != 0));
		json_object_set_new(j, "integrity", json_string(verdict));
		json_object_set_new(j, "matched", json_boolean(strcmp(verdict, "matched") == 0));
		json_object_set_new(j, "changed", json_boolean(strcmp(verdict, "changed") == 0));
		json_object_set_new(j, "unchecked", json_boolean(strcmp(verdict, "unchecked") == 0));
		json_object_set_new(j, "unreadable", json_boolean(strcmp(model_text(r, 13), "unreadable") == 0));
		json_object_set_new(j, "capture", json_boolean(!row_null(r, 11)));
		i = json_pack("{s:O, s:O, s:O, s:O, s:s}", "name", json_object_get(j, "name"),
		    "sha256", json_object_get(j, "sha256"), "after_sha256",
		    json_object_get(j, "after_sha256"), "after_match", json_object_get(j, "after_match"),
		    "integrity", verdict);
		json_array_append_new(ilist, i);
		json_array_append_new(arr, j);
	}
	rows_close(st);
	free(top);
	model_set_list(root, "evidence", arr);
	model_store_folders(db, root);
	json_object_set_new(integ, "evidence", ilist);
	json_object_set_new(integ, "matched", json_integer(matched));
	json_object_set_new(integ, "changed", json_integer(changed));
	json_object_set_new(integ, "unchecked", json_integer(unchecked));
	json_object_set_new(integ, "all_matched", json_boolean(n > 0 && matched == n));
	json_object_set_new(integ, "changed_any", json_boolean(changed > 0));
	json_object_set_new(integ, "changed_one", json_boolean(changed == 1));
	json_object_set_new(integ, "unchecked_any", json_boolean(unchecked > 0));
	json_object_set_new(integ, "manifest", json_string("SHA256SUMS"));
	json_object_set_new(root, "integrity", integ);
}

/* The first and last packet of each capture file, so that the timeline
 * shows the span the evidence covers. */
static void
model_evidence_timeline(json_t *root, const struct model_opts *o)
{
	bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(root, "evidence"), i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		char *text;

		if (!json_is_true(json_object_get(e, "capture")) ||
		    json_integer_value(json_object_get(e, "packets")) <= 0)
			continue;
		text = xasprintf(ko ? "캡처 파일 %s의 첫 패킷" : "First packet of capture file %s", name);
		model_timeline_add(root, json_integer_value(json_object_get(e, "first_us")), "capture",
		    text, name);
		free(text);
		text = xasprintf(ko ? "캡처 파일 %s의 마지막 패킷" : "Last packet of capture file %s", name);
		model_timeline_add(root, json_integer_value(json_object_get(e, "last_us")), "capture",
		    text, name);
		free(text);
	}
}

/* What each processing-log code means, in a few words (en, ko); the
 * entry's message says the rest, in English. */
static const struct { const char *code, *en, *ko; } model_log_codes[] = {
	{ "evidence.unreadable", "evidence file could not be read", "증거 파일을 읽을 수 없음" },
	{ "evidence.type", "evidence of a type not examined", "검사하지 않는 형식의 증거" },
	{ "evidence.size", "evidence too large or empty", "증거가 비었거나 너무 큼" },
	{ "evidence.read", "evidence could not be read whole", "증거를 끝까지 읽지 못함" },
	{ "evidence.changed", "evidence changed while processed", "처리 중 증거가 바뀜" },
	{ "evidence.rehashed", "evidence hashed again after an interrupted run", "중단된 실행 뒤 증거를 다시 해시함" },
	{ "run.interrupted", "an earlier run did not finish", "이전 실행이 끝나지 않음" },
	{ "evidence.zip", "zip archive that is no office document", "오피스 문서가 아닌 zip 압축 파일" },
	{ "pst.open", "PST/OST file could not be opened", "PST/OST 파일을 열 수 없음" },
	{ "pst.unreadable", "part of a PST/OST file could not be read", "PST/OST 파일의 일부를 읽을 수 없음" },
	{ "pst.read", "PST/OST file read", "PST/OST 파일을 읽음" },
	{ "pst.folder", "PST/OST folder", "PST/OST 폴더" },
	{ "pst.depth", "PST/OST folders nested too deep", "PST/OST 폴더가 너무 깊게 중첩됨" },
	{ "pst.recovered_other", "recovered PST/OST items that are no messages", "메시지가 아닌 복구된 PST/OST 항목" },
	{ "msg.unreadable", "Outlook message file could not be read", "Outlook 메시지 파일을 읽을 수 없음" },
	{ "msg.malformed", "malformed Outlook message file", "형식이 잘못된 Outlook 메시지 파일" },
	{ "tnef.unreadable", "TNEF data could not be read", "TNEF 데이터를 읽을 수 없음" },
	{ "tnef.read", "TNEF data unpacked", "TNEF 데이터를 풀었음" },
	{ "tnef.truncated", "TNEF data cut short or a length that lies", "TNEF 데이터가 잘렸거나 길이가 맞지 않음" },
	{ "tnef.checksum", "TNEF attribute with a wrong checksum", "체크섬이 틀린 TNEF 속성" },
	{ "tnef.attribute", "malformed TNEF attribute left out", "형식이 잘못되어 제외한 TNEF 속성" },
	{ "tnef.rtf", "compressed RTF body damaged", "손상된 압축 RTF 본문" },
	{ "archive.read", "zip archive of evidence read", "증거 zip 압축 파일을 읽음" },
	{ "archive.depth", "zip archives nested too deep", "zip 압축 파일이 너무 깊게 중첩됨" },
	{ "archive.capture", "capture inside an archive not read", "압축 파일 안의 캡처는 읽지 않음" },
	{ "emlx.count", "Apple Mail byte count missing or wrong", "Apple Mail 바이트 수가 없거나 틀림" },
	{ "emlx.plist", "Apple Mail property list unreadable", "읽을 수 없는 Apple Mail 속성 목록" },
	{ "emlx.malformed", "malformed Apple Mail message file", "형식이 잘못된 Apple Mail 메시지 파일" },
	{ "store.depth", "attached messages nested too deep", "첨부된 메시지가 너무 깊게 중첩됨" },
	{ "zip.member", "zip member read as mail", "메일로 읽은 zip 항목" },
	{ "capture.open", "capture could not be opened", "캡처를 열 수 없음" },
	{ "capture.read", "capture could not be read to its end", "캡처를 끝까지 읽지 못함" },
	{ "capture.truncated", "capture cut off mid-record", "캡처가 레코드 중간에서 잘림" },
	{ "capture.decode", "frame that could not be decoded", "해석할 수 없는 프레임" },
	{ "capture.pcapng_linktypes", "pcapng interface of another link type", "다른 링크 형식의 pcapng 인터페이스" },
	{ "ip.fragments", "IP fragments not reassembled", "재조립하지 못한 IP 조각" },
	{ "tcp.gap", "bytes missing from the capture", "캡처에서 빠진 바이트" },
	{ "tcp.reorder_ceiling", "out-of-order bytes past their ceiling", "순서가 어긋난 바이트의 한도 초과" },
	{ "tcp.late", "bytes arriving for a hole given up", "포기한 구멍에 늦게 도착한 바이트" },
	{ "tcp.gaps_counted", "holes of one direction, counted", "한 방향의 누락 구간 (개수만 셈)" },
	{ "tcp.gaps_ceiling", "holes per direction past their ceiling", "방향별 누락 구간 한도 초과" },
	{ "tcp.conflict", "retransmission with other bytes", "내용이 다른 재전송" },
	{ "tcp.ceiling", "flow buffer ceiling reached", "흐름 버퍼 한도 도달" },
	{ "tcp.timeout", "flow ended by idle timeout", "유휴 시간 초과로 흐름 종료" },
	{ "tcp.flow_table_full", "flows ended early: flow table full", "흐름 표가 가득 차 일찍 닫은 흐름" },
	{ "mail.gap_in_line", "gap inside a protocol line", "프로토콜 줄 안의 누락 구간" },
	{ "mail.gap_in_message", "gap inside message data", "메시지 데이터 안의 누락 구간" },
	{ "mail.literal_capped", "counted data past its ceiling", "한도를 넘은 길이 지정 데이터" },
	{ "mail.literal_refused", "literal refused by the server, not sent", "서버가 거부해 보내지 않은 리터럴" },
	{ "mail.mid_session", "session read from its middle (no greeting)", "중간부터 읽은 세션 (인사말 없음)" },
	{ "mail.imap_items", "FETCH response with more items than the ceiling", "한도보다 항목이 많은 FETCH 응답" },
	{ "mail.imap_items_ceiling", "FETCH data items per session past their ceiling", "세션당 FETCH 데이터 항목 한도 초과" },
	{ "pop3.listing_lines", "POP3 listing past its line ceiling", "줄 한도를 넘는 POP3 목록" },
	{ "mail.imap_fetch_syntax", "FETCH response not read to its end", "끝까지 읽지 못한 FETCH 응답" },
	{ "mail.imap_headers_kept", "header fetches no longer joined with their text", "본문과 더 이상 합치지 못한 헤더 가져오기" },
	{ "mail.line_too_long", "protocol line over the ceiling", "한도를 넘는 프로토콜 줄" },
	{ "mail.message_too_large", "message over the size ceiling", "크기 한도를 넘는 메시지" },
	{ "mail.auth_frames", "login spread over unexpected frames", "예상과 다른 프레임에 걸친 로그인" },
	{ "mail.notes", "note on the mail session", "메일 세션 관련 메모" },
	{ "mail.capabilities", "capability list", "기능 목록" },
	{ "mail.flow_capped", "mail flow over its buffer ceiling", "버퍼 한도를 넘은 메일 흐름" },
	{ "tls.malformed", "malformed TLS record", "형식이 잘못된 TLS 레코드" },
	{ "tls.handshake_too_large", "TLS handshake over its ceiling", "한도를 넘는 TLS 핸드셰이크" },
	{ "tls.certs_too_many", "certificate chain over its ceiling", "한도를 넘는 인증서 체인" },
	{ "mail.frames_too_long", "frame list over its ceiling", "한도를 넘는 프레임 목록" },
	{ "smtp.bad_reply", "server line that is no SMTP reply", "SMTP 응답이 아닌 서버 줄" },
	{ "smtp.bdat_invalid", "invalid BDAT command", "잘못된 BDAT 명령" },
	{ "smtp.recipients_ceiling", "recipients per session past their ceiling", "세션당 수신자 한도 초과" },
	{ "smtp.transactions_ceiling", "transactions per session past their ceiling", "세션당 트랜잭션 한도 초과" },
	{ "smtp.pending_ceiling", "commands awaiting replies past their ceiling", "응답을 기다리는 명령 한도 초과" },
	{ "smtp.reply_lines", "multi-line reply past its ceiling", "한도를 넘는 여러 줄 응답" },
	{ "mail.session_messages", "messages per session past their ceiling", "세션당 메시지 한도 초과" },
	{ "mail.transcript_ceiling", "transcript lines past their ceiling", "대화 기록 줄 한도 초과" },
	{ "pop3.bad_reply", "server line that is no POP3 reply", "POP3 응답이 아닌 서버 줄" },
	{ "pop3.unterminated", "POP3 listing without its end line", "끝 줄이 없는 POP3 목록" },
	{ "mailbox.open", "mailbox could not be opened", "메일함을 열 수 없음" },
	{ "mailbox.read", "mailbox could not be read", "메일함을 읽을 수 없음" },
	{ "mbox.read", "mbox could not be read", "mbox를 읽을 수 없음" },
	{ "mbox.no_separator", "mbox without a From separator", "From 구분 줄이 없는 mbox" },
	{ "mime.parse", "MIME structure damaged", "손상된 MIME 구조" },
	{ "cap.header_bytes", "header field longer than its ceiling", "한도보다 긴 헤더 필드" },
	{ "cap.received", "Received fields past their ceiling", "Received 필드 한도 초과" },
	{ "cap.header_addresses", "addresses in one field past their ceiling", "한 필드의 주소 개수 한도 초과" },
	{ "mime.base64", "broken base64", "손상된 base64" },
	{ "mime.boundary", "multipart boundary missing", "multipart 경계 없음" },
	{ "mime.charset", "unknown or lying charset", "알 수 없거나 틀린 문자 집합" },
	{ "mime.header_8bit", "undeclared 8-bit header decoded by a guessed charset", "선언 없는 8비트 헤더를 추정한 문자 집합으로 해독" },
	{ "mime.leading_blank", "blank lines before the header", "헤더 앞의 빈 줄" },
	{ "mime.nul", "NUL bytes in a text or header", "텍스트나 헤더 안의 NUL 바이트" },
	{ "mime.date", "unreadable Date header", "읽을 수 없는 Date 헤더" },
	{ "cap.message_bytes", "message size ceiling reached", "메시지 크기 한도 도달" },
	{ "cap.auth_fields", "header field ceiling reached while reading the authentication fields",
	  "인증 필드(DKIM, 인증 결과)를 읽는 중 헤더 필드 한도 도달" },
	{ "cap.authres_methods", "ceiling of results in one Authentication-Results field reached",
	  "Authentication-Results 필드 하나의 결과 수 한도 도달" },
	{ "auth.dkim_init", "DKIM library could not be started", "DKIM 라이브러리를 시작할 수 없음" },
	{ "cap.mime_parts", "MIME part ceiling reached", "MIME 파트 수 한도 도달" },
	{ "cap.mime_depth", "MIME nesting ceiling reached", "MIME 중첩 한도 도달" },
	{ "hops.cap", "Received header ceiling reached", "Received 헤더 수 한도 도달" },
	{ "hops.unparseable", "Received header that could not be read", "읽을 수 없는 Received 헤더" },
	{ "hops.zone", "date with an unknown time zone name (read as UTC)", "알 수 없는 시간대 이름의 날짜(UTC로 읽음)" },
	{ "office.zip", "office package damaged or over a ceiling", "손상되었거나 한도를 넘은 오피스 패키지" },
	{ "office.xml", "office XML part damaged or over a ceiling", "손상되었거나 한도를 넘은 오피스 XML" },
	{ "office.kind", "office document of an unknown kind", "종류를 알 수 없는 오피스 문서" },
	{ "office.depth", "documents nested too deep", "너무 깊이 중첩된 문서" },
	{ "office.doc_count", "documents inside a document past their ceiling", "문서 안 문서 개수 한도 초과" },
	{ "office.macros", "document with macros", "매크로가 있는 문서" },
	{ "office.hwp.ole", "HWP compound file damaged", "손상된 HWP 복합 파일" },
	{ "office.hwp.header", "OLE file without the HWP signature", "HWP 서명이 없는 OLE 파일" },
	{ "office.hwp.size", "HWP stream over its ceiling", "한도를 넘는 HWP 스트림" },
	{ "office.hwp.inflated", "HWP inflated bytes past the ceiling (bomb?)", "압축 해제 한도를 넘은 HWP(압축 폭탄?)" },
	{ "office.hwp.deflate", "HWP compressed stream damaged", "손상된 HWP 압축 스트림" },
	{ "office.hwp.record", "HWP record damaged or cut short", "손상되었거나 잘린 HWP 레코드" },
	{ "office.hwp.encrypted", "HWP document protected by a password", "암호로 보호된 HWP 문서" },
	{ "office.hwp.distribution", "HWP distribution document (text encrypted)", "HWP 배포용 문서(본문 암호화)" },
	{ "office.hwpx.mimetype", "HWPX with an unexpected mimetype", "예상과 다른 mimetype의 HWPX" },
	{ "evidence.ole", "OLE file that is no HWP document", "HWP 문서가 아닌 OLE 파일" },
	{ "log.cap", "log entries not kept", "보관하지 않은 처리 로그 항목" },
	{ "capture.encap_depth", "frames nested in too many tunnels", "너무 많은 터널로 감싼 프레임" },
	{ "capture.tso", "packets with IP total length 0 (segmentation offload)", "IP 전체 길이가 0인 패킷(세그먼트 오프로드)" },
};

static json_t *
model_log_code_label(const char *code, bool ko)
{
	size_t i;

	for (i = 0; code != NULL && i < sizeof(model_log_codes) / sizeof(model_log_codes[0]); i++)
		if (strcmp(model_log_codes[i].code, code) == 0)
			return json_string(ko ? model_log_codes[i].ko : model_log_codes[i].en);
	return model_string(code);
}

/* A log entry's position and sentence in Korean (report/logtext.h), with
 * the English as recorded beside them (position_en, message_en) when they
 * were worded; an entry of a case older than schema 12 (no format), or
 * whose format the catalogue lacks, keeps its English. */
static void
model_log_ko(json_t *j, const struct row *r)
{
	json_t *args = row_null(r, 6) ? NULL : json_loads(model_text(r, 6), 0, NULL);
	size_t i, n = json_is_array(args) ? json_array_size(args) : 0;
	const char **v = xreallocarray(NULL, n ? n : 1, sizeof(*v));
	char *pos = logtext_position_ko(model_text(r, 3)), *msg = NULL;

	for (i = 0; i < n; i++)
		if ((v[i] = json_string_value(json_array_get(args, i))) == NULL)
			break;
	if (json_is_array(args) && i == n && !row_null(r, 5))
		msg = logtext_sentence_ko(model_text(r, 5), v, n);
	if (pos != NULL) {
		json_object_set_new(j, "position", model_str(pos, strlen(pos)));
		json_object_set_new(j, "position_en", model_row_str(r, 3));
	} else
		json_object_set_new(j, "position", model_row_str(r, 3));
	if (msg != NULL) {
		json_object_set_new(j, "message", model_str(msg, strlen(msg)));
		json_object_set_new(j, "message_en", model_row_str(r, 4));
	} else
		json_object_set_new(j, "message", model_row_str(r, 4));
	free(pos);
	free(msg);
	free(v);
	json_decref(args);
}

static void
model_log(struct casedb *db, json_t *root, const struct model_opts *o)
{
	const struct row *r;
	struct rows *st = q_report_log(db);
	json_t *arr = json_array();
	int64_t n = model_page(st, o);
	int warn = 0, err = 0;
	bool ko = strcmp(json_string_value(json_object_get(root, "lang")), "ko") == 0;

	while (rows_next(st, &r)) {
		json_t *j = json_object();
		const char *level = model_text(r, 0);

		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "level", model_row_str(r, 0));
		model_label(j, "level", json_string_value(json_object_get(root, "lang")));
		json_object_set_new(j, "code_label", model_log_code_label(model_text(r, 1), ko));
		json_object_set_new(j, "code", model_row_str(r, 1));
		json_object_set_new(j, "source", model_str(model_base(model_text(r, 2)),
		    strlen(model_base(model_text(r, 2)))));
		if (ko)
			model_log_ko(j, r);
		else {
			json_object_set_new(j, "position", model_row_str(r, 3));
			json_object_set_new(j, "message", model_row_str(r, 4));
		}
		json_array_append_new(arr, j);
		if (strcasecmp(level, "warn") == 0 || strcasecmp(level, "warning") == 0)
			warn++;
		else if (strcasecmp(level, "error") == 0)
			err++;
	}
	rows_close(st);
	json_object_set_new(root, "log_warnings", json_integer(warn));
	json_object_set_new(root, "log_errors", json_integer(err));
	json_object_set_new(root, "log_warnings_one", json_boolean(warn == 1));
	json_object_set_new(root, "log_errors_one", json_boolean(err == 1));
	model_set_list(root, "log", arr);
}

/* What case.db was when a run began (runs.db_before_state, caserun.h). */
static const struct { const char *code, *en, *ko; } model_run_states[] = {
	{ "new", "new case", "새 사건" },
	{ "recorded", "as the previous run left it", "이전 실행이 남긴 그대로" },
	{ "unrecorded", "CHANGED outside a recorded run", "기록된 실행 밖에서 변경됨" },
	{ "interrupted", "changed by a run that did not finish", "끝나지 않은 실행이 변경함" },
};

static void
model_runs(struct casedb *db, json_t *root)
{
	const struct row *r;
	struct rows *st = q_report_runs(db);
	json_t *arr = json_array();
	bool ko = strcmp(json_string_value(json_object_get(root, "lang")), "ko") == 0;
	int n = 0;

	while (rows_next(st, &r)) {
		json_t *j = json_object();
		const char *state = model_text(r, 8), *label = state;

		for (size_t i = 0; i < sizeof(model_run_states) / sizeof(model_run_states[0]); i++)
			if (strcmp(model_run_states[i].code, state) == 0)
				label = ko ? model_run_states[i].ko : model_run_states[i].en;
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "id", json_integer(row_int(r, 5)));
		json_object_set_new(j, "command_line", model_row_str(r, 0));
		json_object_set_new(j, "tool_version", model_row_str(r, 1));
		json_object_set_new(j, "started", model_time(row_int(r, 2)));
		json_object_set_new(j, "finished", model_time(row_int(r, 3)));
		json_object_set_new(j, "status", model_row_int(r, 4));
		json_object_set_new(j, "command", model_row_str(r, 6));
		json_object_set_new(j, "examiner", model_row_str(r, 7));
		json_object_set_new(j, "db_before_state", model_row_str(r, 8));
		json_object_set_new(j, "db_before_label", model_str(label, strlen(label)));
		json_object_set_new(j, "db_before_changed", json_boolean(strcmp(state, "unrecorded") == 0));
		json_object_set_new(j, "tool_sha256", model_row_str(r, 9));
		json_array_append_new(arr, j);
	}
	rows_close(st);
	model_set_list(root, "runs", arr);
}

void
model_case(struct casedb *db, json_t *root, const struct model_opts *o)
{
	json_t *c = json_object(), *tool = json_object();
	const char *cl = o && o->command_line ? o->command_line : "";

	json_object_set_new(root, "lang", json_string(o && o->lang ? o->lang : "en"));
	json_object_set_new(c, "title", model_meta(db, "case_title"));
	json_object_set_new(c, "number", model_meta(db, "case_number"));
	json_object_set_new(c, "examiner", model_meta(db, "examiner"));
	json_object_set_new(c, "agency", model_meta(db, "agency"));
	json_object_set_new(c, "notes", model_meta(db, "notes"));
	json_object_set_new(root, "case", c);
	json_object_set_new(tool, "name", json_string("mailcase"));
	json_object_set_new(tool, "version", json_string(MC_VERSION));
	json_object_set_new(tool, "command_line", model_str(cl, strlen(cl)));
	json_object_set_new(tool, "generated_at", model_time(o ? o->generated_us : 0));
	json_object_set_new(root, "tool", tool);
	json_object_set_new(root, "redacted", json_boolean(o && o->redact_secrets));
	model_runs(db, root);
	model_evidence(db, root);
	model_evidence_timeline(root, o);
	model_log(db, root, o);
}

/* ---- timeline ---- */

void
model_timeline_add(json_t *root, int64_t us, const char *kind, const char *text,
    const char *source)
{
	json_t *tl = json_object_get(root, "timeline"), *e;

	if (us == 0)                 /* no time: nothing to place */
		return;
	if (!json_is_array(tl)) {
		tl = json_array();
		json_object_set_new(root, "timeline", tl);
	}
	e = json_object();
	json_object_set_new(e, "time", model_time(us));
	json_object_set_new(e, "time_us", json_integer((json_int_t)us));
	json_object_set_new(e, "kind", json_string(kind ? kind : ""));
	json_object_set_new(e, "text", text ? model_str(text, strlen(text)) : json_string(""));
	json_object_set_new(e, "source", source ? model_str(source, strlen(source)) : json_string(""));
	json_array_append_new(tl, e);
}

struct model_event {
	int64_t us;
	size_t idx;
	json_t *e;
};

static int
model_event_cmp(const void *a, const void *b)
{
	const struct model_event *x = a, *y = b;

	if (x->us != y->us)
		return x->us < y->us ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Local times of us[0..n) in zone (an IANA name known to the tz database)
 * as "2009-10-10T09:35:30-04:00" into out[i] (TIMEFMT_UTC_MAX * 2 bytes
 * each, "" when one cannot be shown), with TZ set to the zone only for the
 * conversion, as model_timeline_local() does. */
void
model_local_times(const char *zone, const int64_t *us, size_t n, char (*out)[64])
{
	char *saved;
	size_t i;

	for (i = 0; i < n; i++)
		out[i][0] = '\0';
	if (zone == NULL || !timefmt_zone_known(zone))
		return;
	saved = timefmt_zone_enter(zone);
	for (i = 0; i < n; i++)
		if (!timefmt_local_sec(us[i], out[i], sizeof(out[i])))
			out[i][0] = '\0';
	timefmt_zone_leave(saved);
}

/* Adds time_local to each timeline event, in zone. */
static void
model_timeline_local(json_t *root, const char *zone)
{
	json_t *tl = json_object_get(root, "timeline"), *e, *tz = json_object();
	bool known = timefmt_zone_known(zone);
	char *saved;
	size_t i;

	json_object_set_new(tz, "name", model_str(zone, strlen(zone)));
	json_object_set_new(tz, "known", json_boolean(known));
	json_object_set_new(root, "timezone", tz);
	if (!known)
		return;
	saved = timefmt_zone_enter(zone);
	json_array_foreach(tl, i, e) {
		char s[TIMEFMT_LOCAL_MAX];

		if (timefmt_local_sec(json_integer_value(json_object_get(e, "time_us")), s, sizeof(s)))
			json_object_set_new(e, "time_local", json_string(s));
	}
	timefmt_zone_leave(saved);
}

/* The keys that hold a time in UTC (model_time(), or a stored ISO 8601
 * text such as a certificate's validity): with --timezone each gains a
 * sibling KEY_local, the same instant in the examiner's zone
 * ("2009-10-10T22:35:31+09:00"), or null when there is no time or it
 * carries no zone (a camera's clock). UTC stays the reference and the
 * templates show it first. */
static const char *const model_time_keys[] = {
	"time", "first", "last", "started", "finished", "generated_at", "date", "signed_at",
	"expires", "evaluated_at", "not_before", "not_after", "internaldate_utc", "submit",
	"delivery", "created", "modified",
};

static void
model_localize_walk(json_t *v, unsigned depth)
{
	const char *key;
	json_t *x, *add;
	size_t i;

	if (depth > 64)              /* the model is ours and shallow; a guard all the same */
		return;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			model_localize_walk(x, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	add = json_object();         /* v is not changed while it is walked */
	json_object_foreach(v, key, x) {
		if (json_is_object(x) || json_is_array(x)) {
			model_localize_walk(x, depth + 1);
			continue;
		}
		if (!json_is_string(x) && !json_is_null(x))
			continue;
		for (i = 0; i < sizeof(model_time_keys) / sizeof(model_time_keys[0]); i++)
			if (strcmp(key, model_time_keys[i]) == 0)
				break;
		if (i == sizeof(model_time_keys) / sizeof(model_time_keys[0]))
			continue;
		{
			char *k = xasprintf("%s_local", key), s[TIMEFMT_LOCAL_MAX];
			int64_t us;
			bool zoned = false;

			if (json_object_get(v, k) == NULL) {
				if (json_is_string(x) && timefmt_iso8601_us(json_string_value(x), &us, &zoned) &&
				    zoned && timefmt_local_sec(us, s, sizeof(s)))
					json_object_set_new(add, k, json_string(s));
				else
					json_object_set_new(add, k, json_null());
			}
			free(k);
		}
	}
	json_object_update(v, add);
	json_decref(add);
}

void
model_localize(json_t *root, const struct model_opts *o)
{
	const char *zone = o != NULL && o->timezone != NULL && *o->timezone ? o->timezone : NULL;
	json_t *tz;
	char *saved;

	if (zone == NULL)
		return;
	tz = json_object();
	json_object_set_new(tz, "name", model_str(zone, strlen(zone)));
	json_object_set_new(tz, "known", json_boolean(timefmt_zone_known(zone)));
	json_object_set_new(root, "timezone", tz);
	json_object_set_new(root, "timezone_any", json_true());
	if (!timefmt_zone_known(zone))
		return;
	saved = timefmt_zone_enter(zone);
	model_localize_walk(root, 0);
	timefmt_zone_leave(saved);
}

/* What each timeline kind is called in the report's language. */
static const struct { const char *kind, *en, *ko; } model_kinds[] = {
	{ "capture", "capture", "캡처" },
	{ "tcp", "TCP connection", "TCP 연결" },
	{ "session-start", "session start", "세션 시작" },
	{ "session-end", "session end", "세션 종료" },
	{ "login", "login", "로그인" },
	{ "mail-from", "envelope sender", "봉투 발신자" },
	{ "rcpt", "envelope recipient", "봉투 수신자" },
	{ "data-end", "message sent", "메시지 전송" },
	{ "quit", "client ends session", "클라이언트 세션 종료" },
	{ "date", "message Date header", "메시지 Date 헤더" },
	{ "hop", "Received hop", "전달 경로(hop)" },
	{ "internaldate", "IMAP INTERNALDATE (when the server stored it)", "IMAP INTERNALDATE (서버 저장 시각)" },
	{ "doc-created", "document created", "문서 작성" },
	{ "doc-modified", "document modified", "문서 수정" },
	{ "image-taken", "picture taken (EXIF)", "사진 촬영(EXIF)" },
};

static const char *
model_kind_label(const char *kind, bool ko)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(model_kinds) / sizeof(model_kinds[0]); i++)
		if (strcmp(model_kinds[i].kind, kind) == 0)
			return ko ? model_kinds[i].ko : model_kinds[i].en;
	return kind ? kind : "";
}

static void
model_timeline_sort(json_t *root, bool ko)
{
	json_t *tl = json_object_get(root, "timeline"), *sorted = json_array(), *e;
	struct model_event *ev;
	size_t i, n = json_array_size(tl);

	ev = xreallocarray(NULL, n ? n : 1, sizeof(*ev));
	json_array_foreach(tl, i, e) {
		ev[i].us = json_integer_value(json_object_get(e, "time_us"));
		ev[i].idx = i;
		ev[i].e = e;
	}
	qsort(ev, n, sizeof(*ev), model_event_cmp);
	for (i = 0; i < n; i++) {
		json_object_set_new(ev[i].e, "no", json_integer((json_int_t)i + 1));
		json_object_set_new(ev[i].e, "kind_label", json_string(model_kind_label(
		    json_string_value(json_object_get(ev[i].e, "kind")), ko)));
		json_array_append(sorted, ev[i].e);
	}
	free(ev);
	model_set_list(root, "timeline", sorted);
}

/* ---- glossary ---- */

enum gl_match {
	GL_REPLY,      /* a server line starting with the code (RFC 5321 4.2: "235 ", "250-") */
	GL_COMMAND,    /* a client line starting with the command, any case */
	GL_CAPA,       /* a capability the server announced */
	GL_PORT,       /* a TCP server port of a flow */
	GL_PROTO,      /* a session of this protocol */
	GL_IMAP,       /* an IMAP tagged status (RFC 9051 7.1) */
};

struct gl_term {
	enum gl_match match;
	const char *key;        /* what is matched */
	const char *term;       /* as shown */
	const char *en, *ko;
};

/* Plain words, for readers who are not mail engineers. Sources: RFC 5321
 * (SMTP replies and commands), RFC 4954 (AUTH), RFC 3207 (STARTTLS), RFC 3030
 * (CHUNKING, BINARYMIME), RFC 2920 (PIPELINING), RFC 6152 (8BITMIME), RFC
 * 6409 (submission, port 587), RFC 8314 (implicit TLS, 465/993/995), RFC
 * 1939 (POP3), RFC 9051 (IMAP). */
static const struct gl_term gl_terms[] = {
	{ GL_PROTO, "smtp", "SMTP",
	  "Simple Mail Transfer Protocol: how mail is handed from a mail program to a server and from server to server.",
	  "단순 메일 전송 프로토콜(SMTP): 메일 프로그램이 서버에, 또는 서버가 다른 서버에 메일을 넘기는 방식입니다." },
	{ GL_PROTO, "pop3", "POP3",
	  "Post Office Protocol 3: how a mail program downloads messages from a mailbox on a server.",
	  "POP3: 메일 프로그램이 서버의 메일함에서 메시지를 내려받는 방식입니다." },
	{ GL_PROTO, "imap", "IMAP",
	  "Internet Message Access Protocol: how a mail program reads and manages a mailbox that stays on the server.",
	  "IMAP: 메일 프로그램이 서버에 남아 있는 메일함을 읽고 관리하는 방식입니다." },
	{ GL_PORT, "25", "port 25",
	  "The standard port on which mail servers accept mail from other servers (SMTP relay).",
	  "메일 서버가 다른 서버로부터 메일을 받는 표준 포트입니다(SMTP 중계)." },
	{ GL_PORT, "587", "port 587",
	  "The mail submission port: a user's mail program sends outgoing mail to its provider here, normally after logging in.",
	  "메일 제출 포트: 사용자의 메일 프로그램이 보통 로그인한 뒤 이 포트로 발신 메일을 자기 메일 서비스에 보냅니다." },
	{ GL_PORT, "465", "port 465",
	  "Mail submission over a connection that is encrypted from the start (implicit TLS).",
	  "처음부터 암호화된 연결(암묵적 TLS)로 메일을 제출하는 포트입니다." },
	{ GL_PORT, "110", "port 110",
	  "The standard POP3 port (not encrypted unless STARTTLS/STLS is used).",
	  "POP3 표준 포트입니다(STLS를 쓰지 않으면 암호화되지 않습니다)." },
	{ GL_PORT, "995", "port 995",
	  "POP3 over a connection encrypted from the start; its content cannot be read from a capture.",
	  "처음부터 암호화된 POP3 포트로, 캡처에서 내용을 읽을 수 없습니다." },
	{ GL_PORT, "143", "port 143",
	  "The standard IMAP port (not encrypted unless STARTTLS is used).",
	  "IMAP 표준 포트입니다(STARTTLS를 쓰지 않으면 암호화되지 않습니다)." },
	{ GL_PORT, "993", "port 993",
	  "IMAP over a connection encrypted from the start; its content cannot be read from a capture.",
	  "처음부터 암호화된 IMAP 포트로, 캡처에서 내용을 읽을 수 없습니다." },
	{ GL_REPLY, "220", "220",
	  "Server greeting: the server is ready (often with its name and software).",
	  "서버 인사말: 서버가 준비되었다는 뜻이며, 흔히 서버 이름과 소프트웨어가 함께 나옵니다." },
	{ GL_REPLY, "221", "221",
	  "The server is closing the connection, as asked by QUIT.",
	  "QUIT 요청에 따라 서버가 연결을 닫는다는 뜻입니다." },
	{ GL_REPLY, "235", "235",
	  "Login accepted: the user name and password were correct.",
	  "로그인 성공: 사용자 이름과 비밀번호가 맞았다는 뜻입니다." },
	{ GL_REPLY, "250", "250",
	  "The request was done (for example the sender, a recipient or the whole message was accepted).",
	  "요청이 처리되었다는 뜻입니다(예: 발신자, 수신자 또는 메시지 전체가 접수됨)." },
	{ GL_REPLY, "334", "334",
	  "The server asks for the next piece of the login; with AUTH LOGIN the question itself is Base64 text such as \"Username:\" or \"Password:\".",
	  "서버가 로그인의 다음 정보를 요구한다는 뜻입니다. AUTH LOGIN에서는 질문 자체가 \"Username:\", \"Password:\" 같은 Base64 문자열입니다." },
	{ GL_REPLY, "354", "354",
	  "The server is ready for the message itself; the client sends it and ends it with a line holding only a dot.",
	  "서버가 메시지 본문을 받을 준비가 되었다는 뜻입니다. 클라이언트는 메시지를 보낸 뒤 점 하나만 있는 줄로 끝냅니다." },
	{ GL_REPLY, "421", "421",
	  "The server is not available and is closing the connection.",
	  "서버를 사용할 수 없어 연결을 닫는다는 뜻입니다." },
	{ GL_REPLY, "450", "450",
	  "Temporary refusal: the mailbox is not available now; the sender may retry.",
	  "일시적 거절: 지금은 메일함을 쓸 수 없으며 나중에 다시 시도할 수 있습니다." },
	{ GL_REPLY, "451", "451",
	  "Temporary error on the server; the request may be retried.",
	  "서버의 일시적 오류로, 다시 시도할 수 있습니다." },
	{ GL_REPLY, "452", "452",
	  "Temporary refusal: not enough storage or too many recipients.",
	  "일시적 거절: 저장 공간이 부족하거나 수신자가 너무 많습니다." },
	{ GL_REPLY, "500", "500",
	  "The server did not understand the command.",
	  "서버가 명령을 이해하지 못했다는 뜻입니다." },
	{ GL_REPLY, "501", "501",
	  "The command's arguments were wrong.",
	  "명령의 인자가 잘못되었다는 뜻입니다." },
	{ GL_REPLY, "502", "502",
	  "The command is not implemented by this server.",
	  "이 서버가 지원하지 않는 명령입니다." },
	{ GL_REPLY, "503", "503",
	  "Commands were sent in the wrong order.",
	  "명령의 순서가 잘못되었다는 뜻입니다." },
	{ GL_REPLY, "530", "530",
	  "The server requires a login (or encryption) first.",
	  "먼저 로그인(또는 암호화)이 필요하다는 뜻입니다." },
	{ GL_REPLY, "535", "535",
	  "Login refused: the user name or password was wrong.",
	  "로그인 실패: 사용자 이름이나 비밀번호가 틀렸다는 뜻입니다." },
	{ GL_REPLY, "550", "550",
	  "Permanent refusal: for example the mailbox does not exist or the message was rejected.",
	  "영구 거절: 예를 들어 메일함이 없거나 메시지가 거부되었다는 뜻입니다." },
	{ GL_REPLY, "552", "552",
	  "Permanent refusal: the message is too large or storage is exceeded.",
	  "영구 거절: 메시지가 너무 크거나 저장 한도를 넘었다는 뜻입니다." },
	{ GL_REPLY, "554", "554",
	  "The transaction failed (often: rejected as spam or by policy).",
	  "처리 실패(흔히 스팸이나 정책에 따라 거부됨)." },
	{ GL_REPLY, "+OK", "+OK",
	  "POP3: the command succeeded.",
	  "POP3: 명령이 성공했다는 뜻입니다." },
	{ GL_REPLY, "-ERR", "-ERR",
	  "POP3: the command failed (for example a wrong password).",
	  "POP3: 명령이 실패했다는 뜻입니다(예: 틀린 비밀번호)." },
	{ GL_IMAP, "OK", "IMAP OK",
	  "IMAP: the tagged command succeeded.",
	  "IMAP: 태그가 붙은 명령이 성공했다는 뜻입니다." },
	{ GL_IMAP, "NO", "IMAP NO",
	  "IMAP: the command failed (for example a refused login).",
	  "IMAP: 명령이 실패했다는 뜻입니다(예: 거부된 로그인)." },
	{ GL_IMAP, "BAD", "IMAP BAD",
	  "IMAP: the command was not understood or not allowed at that point.",
	  "IMAP: 명령을 이해하지 못했거나 그 시점에 허용되지 않는다는 뜻입니다." },
	{ GL_COMMAND, "EHLO", "EHLO / HELO",
	  "The client introduces itself by a name it chooses (not verified); EHLO also asks for the server's extensions.",
	  "클라이언트가 스스로 정한 이름(검증되지 않음)으로 자신을 소개합니다. EHLO는 서버의 확장 기능 목록도 요청합니다." },
	{ GL_COMMAND, "AUTH LOGIN", "AUTH LOGIN",
	  "A login in which user name and password are each sent Base64-encoded; Base64 is an encoding, not encryption, so both can be read from the capture.",
	  "사용자 이름과 비밀번호를 각각 Base64로 인코딩해 보내는 로그인입니다. Base64는 암호화가 아니라 인코딩이므로 캡처에서 둘 다 읽을 수 있습니다." },
	{ GL_COMMAND, "AUTH PLAIN", "AUTH PLAIN",
	  "A login in which user name and password are sent together in one Base64 string; readable from the capture.",
	  "사용자 이름과 비밀번호를 하나의 Base64 문자열로 함께 보내는 로그인으로, 캡처에서 읽을 수 있습니다." },
	{ GL_COMMAND, "AUTH CRAM-MD5", "AUTH CRAM-MD5",
	  "A challenge-response login: the password itself is not sent, only a keyed hash of the server's challenge.",
	  "도전-응답 방식 로그인: 비밀번호 자체는 보내지 않고 서버가 낸 문제에 대한 해시 값만 보냅니다." },
	{ GL_COMMAND, "MAIL FROM", "MAIL FROM",
	  "The envelope sender: where the server should report delivery problems. It can differ from the From header.",
	  "봉투 발신자: 배달 문제를 알려야 할 주소입니다. 본문의 From 헤더와 다를 수 있습니다." },
	{ GL_COMMAND, "RCPT TO", "RCPT TO",
	  "An envelope recipient: a mailbox the message is really delivered to (Bcc recipients appear only here).",
	  "봉투 수신자: 메시지가 실제로 배달되는 메일함입니다(숨은 참조 수신자는 여기에만 나타납니다)." },
	{ GL_COMMAND, "DATA", "DATA",
	  "The client asks to send the message itself (headers and body).",
	  "클라이언트가 메시지 자체(헤더와 본문)를 보내겠다고 요청합니다." },
	{ GL_COMMAND, "BDAT", "BDAT",
	  "The message is sent in chunks of a stated size instead of with DATA (CHUNKING).",
	  "DATA 대신 크기를 밝힌 조각으로 메시지를 보냅니다(CHUNKING)." },
	{ GL_COMMAND, "QUIT", "QUIT",
	  "The client ends the session.",
	  "클라이언트가 세션을 끝냅니다." },
	{ GL_COMMAND, "USER", "USER / PASS",
	  "POP3 login with user name and password sent as plain text.",
	  "사용자 이름과 비밀번호를 평문으로 보내는 POP3 로그인입니다." },
	{ GL_COMMAND, "APOP", "APOP",
	  "POP3 login that sends an MD5 digest of the server's greeting and the password instead of the password.",
	  "비밀번호 대신 서버 인사말과 비밀번호의 MD5 요약값을 보내는 POP3 로그인입니다." },
	{ GL_COMMAND, "RETR", "RETR",
	  "POP3: the client downloads one message.",
	  "POP3: 클라이언트가 메시지 하나를 내려받습니다." },
	{ GL_CAPA, "STARTTLS", "STARTTLS",
	  "The server offers to switch the connection to encryption; after the switch the capture no longer shows the content.",
	  "서버가 연결을 암호화로 바꿀 수 있다고 알립니다. 전환한 뒤에는 캡처에서 내용을 볼 수 없습니다." },
	{ GL_CAPA, "AUTH", "AUTH",
	  "The server accepts logins, with the methods listed after the word (LOGIN, PLAIN, ...).",
	  "서버가 로그인을 받으며, 뒤에 나열된 방식(LOGIN, PLAIN 등)을 쓸 수 있다는 뜻입니다." },
	{ GL_CAPA, "CHUNKING", "CHUNKING",
	  "The server accepts messages in chunks (BDAT) instead of one DATA stream.",
	  "서버가 하나의 DATA 흐름 대신 조각(BDAT)으로 메시지를 받을 수 있다는 뜻입니다." },
	{ GL_CAPA, "BINARYMIME", "BINARYMIME",
	  "The server accepts message parts in raw binary form (sent with BDAT).",
	  "서버가 메시지 부분을 이진 형태 그대로(BDAT로) 받을 수 있다는 뜻입니다." },
	{ GL_CAPA, "PIPELINING", "PIPELINING",
	  "The client may send several commands without waiting for each reply.",
	  "클라이언트가 응답을 기다리지 않고 여러 명령을 연달아 보낼 수 있다는 뜻입니다." },
	{ GL_CAPA, "8BITMIME", "8BITMIME",
	  "The server accepts message text with 8-bit characters.",
	  "서버가 8비트 문자가 들어 있는 메시지를 받을 수 있다는 뜻입니다." },
	{ GL_CAPA, "SIZE", "SIZE",
	  "The server states the largest message it accepts.",
	  "서버가 받을 수 있는 가장 큰 메시지 크기를 알립니다." },
	{ GL_CAPA, "DSN", "DSN",
	  "The server can send delivery status notifications on request.",
	  "요청하면 서버가 배달 상태 알림을 보낼 수 있다는 뜻입니다." },
	{ GL_CAPA, "ENHANCEDSTATUSCODES", "ENHANCEDSTATUSCODES",
	  "Replies carry an extra detailed code such as 2.1.0.",
	  "응답에 2.1.0 같은 자세한 상태 코드가 함께 붙습니다." },
	{ GL_CAPA, "HELP", "HELP",
	  "The server answers the HELP command.",
	  "서버가 HELP 명령에 답한다는 뜻입니다." },
};

#define GL_N (sizeof(gl_terms) / sizeof(gl_terms[0]))

static bool
gl_word_at(const char *line, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(line, word, n) == 0 &&
	    (line[n] == '\0' || line[n] == ' ' || line[n] == '-' || line[n] == '\r' || line[n] == ':');
}

/* Does a capability list (any separators) hold this token? */
static bool
gl_capa_has(const char *caps, const char *tok)
{
	size_t n = strlen(tok);
	const char *p;

	for (p = caps; (p = strcasestr(p, tok)) != NULL; p += n) {
		bool before = p == caps || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= 'a' && p[-1] <= 'z') ||
		    (p[-1] >= '0' && p[-1] <= '9') || p[-1] == '-' || p[-1] == '_');
		char a = p[n];
		bool after = !((a >= 'A' && a <= 'Z') || (a >= 'a' && a <= 'z') || (a >= '0' && a <= '9') ||
		    a == '-' || a == '_');

		if (before && after)
			return true;
	}
	return false;
}

static void
gl_scan_line(bool *hit, const char *proto, const char *dir, const char *line)
{
	size_t i;

	for (i = 0; i < GL_N; i++) {
		const struct gl_term *g = &gl_terms[i];

		if (hit[i])
			continue;
		if (g->match == GL_REPLY && dir[0] == 'S')
			hit[i] = gl_word_at(line, g->key);
		else if (g->match == GL_COMMAND && dir[0] == 'C')
			hit[i] = gl_word_at(line, g->key) || (strcmp(g->key, "EHLO") == 0 && gl_word_at(line, "HELO"));
		else if (g->match == GL_IMAP && dir[0] == 'S' && strcasecmp(proto, "imap") == 0) {
			const char *sp = strchr(line, ' ');

			hit[i] = line[0] != '*' && line[0] != '+' && sp != NULL && gl_word_at(sp + 1, g->key);
		}
	}
}

static void
model_glossary(struct casedb *db, json_t *root, const struct model_opts *o)
{
	bool hit[GL_N] = { false };
	bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
	const struct row *r;
	struct rows *st;
	json_t *arr = json_array();
	size_t i;

	st = q_report_session_caps(db);
	while (rows_next(st, &r)) {
		const char *proto = model_text(r, 0), *caps = model_text(r, 1);

		for (i = 0; i < GL_N; i++) {
			if (gl_terms[i].match == GL_PROTO && strcmp(proto, gl_terms[i].key) == 0)
				hit[i] = true;
			if (gl_terms[i].match == GL_CAPA && gl_capa_has(caps, gl_terms[i].key))
				hit[i] = true;
		}
	}
	rows_close(st);
	st = q_report_ports(db);
	while (rows_next(st, &r)) {
		char port[16];

		snprintf(port, sizeof(port), "%lld", (long long)row_int(r, 0));
		for (i = 0; i < GL_N; i++)
			if (gl_terms[i].match == GL_PORT && strcmp(port, gl_terms[i].key) == 0)
				hit[i] = true;
	}
	rows_close(st);
	st = q_report_transcript_lines(db);
	while (rows_next(st, &r))
		gl_scan_line(hit, model_text(r, 0), model_text(r, 1), model_text(r, 2));
	rows_close(st);
	for (i = 0; i < GL_N; i++)
		if (hit[i])
			json_array_append_new(arr, json_pack("{s:s, s:s}", "term", gl_terms[i].term,
			    "text", ko ? gl_terms[i].ko : gl_terms[i].en));
	model_set_list(root, "glossary", arr);
}

/* ---- summary ---- */

/* "evidence02.pcap frames 78-80" or "mail.mbox offset 1234". */
static json_t *
model_source(const char *evidence, const char *frames, const struct row *r, int off_col,
    const char *lang)
{
	char *s;
	json_t *j;

	if (frames != NULL && *frames != '\0') {
		char *brief = model_frames(frames, lang);

		s = xasprintf("%s %s %s", model_base(evidence), model_word(lang, "frames"), brief);
		free(brief);
	} else if (r != NULL && !row_null(r, off_col))
		s = xasprintf("%s %s %lld", model_base(evidence), model_word(lang, "offset"),
		    (long long)row_int(r, off_col));
	else
		s = xstrdup(model_base(evidence));
	j = model_str(s, strlen(s));
	free(s);
	return j;
}

/* The key findings list at most this many items of each kind, and say how
 * many more there are ("X_omitted"): the summary stays one screen whatever the
 * case size; the tables and their appendix pages hold every row. */
#define SUMMARY_MAX 50

/* One object per row of st (closed here), numbered from 1 in "no"; at most
 * SUMMARY_MAX, *more set to the rest. */
static json_t *
model_row_list(struct rows *st, json_t *(*fn)(const struct row *, const char *lang),
    const char *lang, int64_t *more)
{
	const struct row *r;
	json_t *arr = json_array();
	int64_t total = rows_count(st);

	*more = total > SUMMARY_MAX ? total - SUMMARY_MAX : 0;
	rows_page(st, 0, SUMMARY_MAX);
	while (rows_next(st, &r)) {
		json_t *j = fn(r, lang);

		json_object_set_new(j, "no", json_integer((json_int_t)json_array_size(arr) + 1));
		json_array_append_new(arr, j);
	}
	rows_close(st);
	return arr;
}

static json_t *
sum_credential(const struct row *r, const char *lang)
{
	json_t *j = json_object();

	char proto[16];

	model_upper(proto, sizeof(proto), model_text(r, 0));
	json_object_set_new(j, "protocol", model_string(proto));
	json_object_set_new(j, "mechanism", model_row_str(r, 1));
	json_object_set_new(j, "user", model_row_str(r, 2));
	json_object_set_new(j, "verdict", model_row_str(r, 3));
	model_label(j, "verdict", lang);
	json_object_set_new(j, "accepted", json_boolean(strcasecmp(model_text(r, 3), "accepted") == 0 ||
	    strcasecmp(model_text(r, 3), "success") == 0));
	json_object_set_new(j, "source", model_source(model_text(r, 5),
	    row_text(r, 4), NULL, 0, lang));
	/* Identical logins (protocol, mechanism, user, verdict, evidence file)
	 * are one finding with their number; source is the first one's. */
	json_object_set_new(j, "times", row_int(r, 6) > 1 ? model_row_int(r, 6) : json_null());
	return j;
}

/* Columns: subject, from_addr, env_rcpt, date_raw, frames, file_offset,
 * evidence path, message_id, the To header's addresses (the query in
 * model_summary). */
static json_t *
sum_message(const struct row *r, const char *lang)
{
	json_t *j = json_object(), *rc;
	const char *rcpt = row_text(r, 2);
	json_error_t e;

	json_object_set_new(j, "subject", model_row_str(r, 0));
	json_object_set_new(j, "from", model_row_str(r, 1));
	json_object_set_new(j, "message_id", model_row_str(r, 7));
	/* env_rcpt is a JSON array of accepted recipients (schema.c). */
	rc = rcpt ? json_loads(rcpt, 0, &e) : NULL;
	if (json_is_array(rc) && json_array_size(rc) > 0) {
		struct buf b;
		json_t *v;
		size_t i;

		buf_init(&b, 65536);
		json_array_foreach(rc, i, v)
			if (json_is_string(v) && (!buf_adds(&b, i ? ", " : "") || !buf_adds(&b, json_string_value(v))))
				break;
		json_object_set_new(j, "to", json_string(buf_str(&b)));
		buf_free(&b);
	} else {
		/* No envelope (a mailbox message): the To header's addresses. */
		json_object_set_new(j, "to", model_row_str(r, 8));
	}
	json_decref(rc);
	json_object_set_new(j, "date", model_row_str(r, 3));
	json_object_set_new(j, "source", model_source(model_text(r, 6),
	    row_text(r, 4), r, 5, lang));
	return j;
}

static json_t *
sum_attachment(const struct row *r, const char *lang)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", model_row_str(r, 0));
	json_object_set_new(j, "size", model_row_int(r, 1));
	json_object_set_new(j, "size_text", model_grouped(row_int(r, 1)));
	json_object_set_new(j, "sha256", model_row_str(r, 2));
	json_object_set_new(j, "type", model_row_str(r, 3));
	/* Where the carrying message sits: its frames, or its byte offset. */
	json_object_set_new(j, "source", model_source(model_text(r, 4),
	    row_text(r, 5), r, 6, lang));
	return j;
}

static json_t *
sum_document(const struct row *r, const char *lang)
{
	json_t *j = json_object();

	json_object_set_new(j, "name", model_row_str(r, 0));
	json_object_set_new(j, "kind", model_row_str(r, 1));
	json_object_set_new(j, "sha256", model_row_str(r, 2));
	return j;
}

static json_t *
sum_route(const struct row *r, const char *lang)
{
	json_t *j = json_object();

	json_object_set_new(j, "subject", model_row_str(r, 0));
	json_object_set_new(j, "origin_host", model_row_str(r, 1));
	json_object_set_new(j, "origin_ip", model_row_str(r, 2));
	json_object_set_new(j, "forged_hops", model_row_int(r, 3));
	json_object_set_new(j, "summary", json_null());   /* worded by model_route_summaries */
	json_object_set_new(j, "source", model_source(model_text(r, 5), NULL, r, 6, lang));
	json_object_set_new(j, "route_message_id", model_row_int(r, 4));
	return j;
}

/* Sets the list, and "X_omitted" when some items were left out. */
static void
sum_list(json_t *sum, const char *key, struct rows *st,
    json_t *(*fn)(const struct row *, const char *lang), const char *lang)
{
	int64_t more;
	json_t *arr = model_row_list(st, fn, lang, &more);

	model_set_list(sum, key, arr);
	if (more > 0) {
		char *k = xasprintf("%s_omitted", key);

		json_object_set_new(sum, k, json_integer((json_int_t)more));
		free(k);
	}
}

void
model_summary(struct casedb *db, json_t *root, const struct model_opts *o)
{
	json_t *sum = json_object(), *counts = json_object();
	const char *lang = o ? o->lang : NULL;
	int64_t sessions, messages;

	json_object_set_new(counts, "evidence", json_integer(q_report_count(db, Q_COUNT_EVIDENCE)));
	json_object_set_new(counts, "flows", json_integer(q_report_count(db, Q_COUNT_FLOWS)));
	sessions = q_report_count(db, Q_COUNT_SESSIONS);
	json_object_set_new(counts, "sessions", json_integer(sessions));
	json_object_set_new(counts, "credentials", json_integer(q_report_count(db, Q_COUNT_CREDENTIALS)));
	/* Each count is the row count of its section's table, so that the
	 * summary and the sections say the same; what is counted besides is
	 * said beside it (nested messages, stored contents). */
	messages = q_report_count(db, Q_COUNT_MESSAGES_ALL);
	json_object_set_new(counts, "messages", json_integer(messages));
	json_object_set_new(counts, "messages_nested", json_integer(messages -
	    q_report_count(db, Q_COUNT_MESSAGES)));
	json_object_set_new(counts, "attachments", json_integer(q_report_count(db, Q_COUNT_ATTACHMENTS)));
	json_object_set_new(counts, "files", json_integer(q_report_count(db, Q_COUNT_FILES_LISTED)));
	json_object_set_new(counts, "stored", json_integer(q_report_count(db, Q_COUNT_FILES)));
	json_object_set_new(counts, "documents", json_integer(q_report_count(db, Q_COUNT_DOCUMENTS)));
	json_object_set_new(counts, "forged_routes", json_integer(q_report_count(db, Q_COUNT_FORGED_ROUTES)));
	json_object_set_new(counts, "log", json_integer(q_report_count(db, Q_COUNT_LOG)));
	json_object_set_new(sum, "counts", counts);
	json_object_set_new(sum, "mail_any", json_boolean(sessions > 0 || messages > 0));

	sum_list(sum, "credentials", q_report_sum_credentials(db), sum_credential, lang);
	sum_list(sum, "messages", q_report_sum_messages(db), sum_message, lang);
	sum_list(sum, "attachments", q_report_sum_attachments(db), sum_attachment, lang);
	sum_list(sum, "documents", q_report_sum_documents(db), sum_document, lang);
	sum_list(sum, "forged_routes", q_report_sum_forged(db), sum_route, lang);
	model_route_summaries(db, json_object_get(sum, "forged_routes"), lang);
	json_object_set_new(sum, "findings_any", json_boolean(
	    json_array_size(json_object_get(sum, "credentials")) + json_array_size(json_object_get(sum, "messages")) +
	    json_array_size(json_object_get(sum, "attachments")) + json_array_size(json_object_get(sum, "documents")) +
	    json_array_size(json_object_get(sum, "forged_routes")) > 0));
	json_object_set_new(root, "summary", sum);

	if (!json_is_array(json_object_get(root, "timeline")))
		json_object_set_new(root, "timeline", json_array());
	model_timeline_sort(root, o && o->lang && strcmp(o->lang, "ko") == 0);
	if (o && o->timezone && *o->timezone)
		model_timeline_local(root, o->timezone);
	json_object_set_new(root, "timezone_any", json_boolean(o && o->timezone && *o->timezone));
	model_glossary(db, root, o);
}

/* For each top-level "X_count", "X_one" says whether it is exactly 1, so an
 * English template can write "1 file was" and "2 files were". */
static void
model_counts_one(json_t *root)
{
	const char *key;
	json_t *v, *add = json_object();   /* root is not changed while it is walked */

	json_object_foreach(root, key, v) {
		size_t n = strlen(key);

		if (n > 6 && strcmp(key + n - 6, "_count") == 0 && json_is_integer(v)) {
			char *k = xasprintf("%.*s_one", (int)(n - 6), key);

			json_object_set_new(add, k, json_boolean(json_integer_value(v) == 1));
			free(k);
		}
	}
	json_object_update(root, add);
	json_decref(add);
}

json_t *
model_build(struct casedb *db, const struct model_opts *o)
{
	json_t *root = json_object();

	model_case(db, root, o);
	model_flows(db, root, o);
	model_sessions(db, root, o);
	model_messages(db, root, o);
	model_auth_case(db, root, o ? o->lang : NULL);
	model_artifacts(db, root, o);
	model_documents(db, root, o);
	model_images(db, root, o);
	model_summary(db, root, o);
	model_counts_one(root);
	model_localize(root, o);
	return root;
}

/* ---- paging (render.c's appendices) ---- */

int64_t
model_page(struct rows *st, const struct model_opts *o)
{
	if (o == NULL || o->limit <= 0)
		return 0;
	rows_page(st, o->offset, o->limit);
	return o->offset;
}

const char *const model_tables[] = {
	"evidence", "flows", "credentials", "sessions", "messages", "files", "documents", "log", NULL,
};

static void
model_table_evidence(struct casedb *db, json_t *root, const struct model_opts *o)
{
	json_object_set_new(root, "lang", json_string(o && o->lang ? o->lang : "en"));
	model_evidence(db, root);
	model_evidence_timeline(root, o);
}

static void
model_table_log(struct casedb *db, json_t *root, const struct model_opts *o)
{
	json_object_set_new(root, "lang", json_string(o && o->lang ? o->lang : "en"));
	model_log(db, root, o);
}

static const struct {
	const char *table;
	void (*build)(struct casedb *, json_t *, const struct model_opts *);
	struct rows *(*query)(struct casedb *);
} model_table_defs[] = {
	{ "evidence", model_table_evidence, q_report_evidence },
	{ "flows", model_flows, q_report_flows },
	{ "credentials", model_credential_list, q_report_credentials },
	{ "sessions", model_session_list, q_report_sessions },
	{ "messages", model_messages, q_report_messages },
	{ "files", model_artifacts, q_report_files },
	{ "documents", model_documents, q_report_documents },
	{ "log", model_table_log, q_report_log },
};

void
model_table(struct casedb *db, json_t *root, const char *table, const struct model_opts *o)
{
	size_t i;

	for (i = 0; i < sizeof(model_table_defs) / sizeof(model_table_defs[0]); i++)
		if (strcmp(model_table_defs[i].table, table) == 0) {
			model_table_defs[i].build(db, root, o);
			model_localize(root, o);
			return;
		}
	fatal("report model: no table %s", table);
}

int64_t
model_table_count(struct casedb *db, const char *table)
{
	size_t i;

	for (i = 0; i < sizeof(model_table_defs) / sizeof(model_table_defs[0]); i++)
		if (strcmp(model_table_defs[i].table, table) == 0) {
			struct rows *st = model_table_defs[i].query(db);
			int64_t n = rows_count(st);

			rows_close(st);
			return n;
		}
	fatal("report model: no table %s", table);
}

void
model_timeline_page(struct casedb *db, json_t *root, int64_t offset, int64_t limit,
    const struct model_opts *o)
{
	struct rows *st = q_report_timeline(db);
	bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
	const struct row *r;
	json_t *arr = json_array();
	int64_t n = offset;

	if (limit > 0)
		rows_page(st, offset, limit);
	else
		rows_page(st, offset, -1);
	while (rows_next(st, &r)) {
		json_t *e = json_object();

		json_object_set_new(e, "time", model_time(row_int(r, 0)));
		json_object_set_new(e, "time_us", model_row_int(r, 0));
		json_object_set_new(e, "kind", model_row_str(r, 1));
		json_object_set_new(e, "text", model_row_str(r, 2));
		json_object_set_new(e, "source", model_row_str(r, 3));
		json_object_set_new(e, "no", json_integer((json_int_t)++n));
		json_object_set_new(e, "kind_label", json_string(model_kind_label(model_text(r, 1), ko)));
		json_array_append_new(arr, e);
	}
	rows_close(st);
	model_set_list(root, "timeline", arr);
	if (o && o->timezone && *o->timezone)
		model_timeline_local(root, o->timezone);
	json_object_set_new(root, "timezone_any", json_boolean(o && o->timezone && *o->timezone));
}
