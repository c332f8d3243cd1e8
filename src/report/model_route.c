/* model_route.c - one message's route for the report: the hop table, the
 * verdict line and the flags, from the hops and routes tables that
 * mail/hops.c writes. Text is chosen by o->lang ("en", "ko"); the structured
 * fields stay beside it so templates can phrase things their own way. */
#include "capture/stream.h"
#include "report/model.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct route_text {
	const char *key;
	const char *en;
	const char *ko;
};

static const struct route_text route_flag_texts[] = {
	{ "unparseable", "unparseable", "해석 불가" },
	{ "broken-chain", "its receiver is not the next hop's sender", "수신 서버가 다음 홉의 송신자와 다름" },
	{ "time-backwards", "dated after the hop above it", "다음 홉보다 늦은 시각으로 기록됨" },
	{ "implausible-delay", "implausibly long delay to the next hop", "다음 홉까지의 지연이 비정상적으로 김" },
	{ "future", "date in the future", "미래 시각" },
	{ "private-ip", "private or reserved sender address on an internet hop", "인터넷 구간에 사설·예약 송신 IP" },
	{ "helo-mismatch", "HELO name differs from the reverse-DNS name", "HELO 이름과 역방향 DNS 이름이 다름" },
	{ "date-far", "Date header far from this time", "Date 헤더와 시각 차이가 큼" },
};

static const struct route_text route_rflag_texts[] = {
	{ "date-far", "The Date header is far from the origin hop's time.",
	  "Date 헤더가 발신 홉의 시각과 크게 다릅니다." },
	{ "domains-differ", "The Message-ID, Return-Path and From domains disagree.",
	  "Message-ID, Return-Path, From의 도메인이 서로 다릅니다." },
	{ "obs-date-consistent", "The Date header is within a few minutes of the capture time (consistent).",
	  "Date 헤더가 캡처 시각과 몇 분 이내로 일치합니다." },
	{ "obs-date-far", "The Date header is far from the capture time.",
	  "Date 헤더가 캡처 시각과 크게 다릅니다." },
	{ "obs-sender-mismatch", "The newest Received header names another host than the client seen in the capture.",
	  "가장 최근 Received 헤더의 수신 호스트가 캡처에서 본 클라이언트와 다릅니다." },
	{ "no-trusted-hop", "No hop was received by a trusted mail domain of the case.",
	  "사건에 지정된 신뢰 메일 도메인이 수신한 홉이 없습니다." },
};

static const char *
route_text(const struct route_text *t, size_t n, const char *key, bool ko)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return ko ? t[i].ko : t[i].en;
	return key;
}

static const char *
route_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static json_t *
route_str(sqlite3_stmt *st, int i)
{
	const char *s = route_col(st, i);

	return s != NULL ? model_string(s) : json_null();
}

static void
route_utc(int64_t us, char out[32])
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(out, 32, "?");
	else
		strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* "3 min 8 s" / "3분 8초". */
static void
route_duration(int64_t s, bool ko, char *out, size_t n)
{
	int64_t a = s < 0 ? -s : s;
	size_t k = 0;

	out[0] = '\0';
	if (s < 0)
		k += (size_t)snprintf(out + k, n - k, "-");
	if (a >= 86400 && k < n)
		k += (size_t)snprintf(out + k, n - k, ko ? "%" PRId64 "일 " : "%" PRId64 " d ", a / 86400);
	if (a >= 3600 && k < n)
		k += (size_t)snprintf(out + k, n - k, ko ? "%" PRId64 "시간 " : "%" PRId64 " h ", a / 3600 % 24);
	if (a >= 60 && k < n)
		k += (size_t)snprintf(out + k, n - k, ko ? "%" PRId64 "분 " : "%" PRId64 " min ", a / 60 % 60);
	if (k < n)
		snprintf(out + k, n - k, ko ? "%" PRId64 "초" : "%" PRId64 " s", a % 60);
}

/* Comma-separated keys into [{key, text}], and the texts joined. */
static json_t *
route_flags(const char *keys, const struct route_text *t, size_t nt, bool ko, char **joined)
{
	json_t *arr = json_array();
	char *dup = xstrdup(keys != NULL ? keys : ""), *save = NULL;
	size_t cap = 1, len = 0;
	char *out = xstrdup("");

	for (char *k = strtok_r(dup, ",", &save); k != NULL; k = strtok_r(NULL, ",", &save)) {
		const char *text = route_text(t, nt, k, ko);
		json_t *o = json_object();

		json_object_set_new(o, "key", model_string(k));
		json_object_set_new(o, "text", model_string(text));
		json_array_append_new(arr, o);
		cap = len + strlen(text) + 3;
		out = xrealloc(out, cap);
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len > 0 ? "; " : "", text);
	}
	free(dup);
	if (joined != NULL)
		*joined = out;
	else
		free(out);
	return arr;
}

static char *
route_source(struct casedb *db, int64_t message_id, const char *lang)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT e.path, m.frames FROM messages m LEFT JOIN evidence e ON e.id = m.evidence_id WHERE m.id = ?");
	char *s;

	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) == SQLITE_ROW && route_col(st, 0) != NULL) {
		const char *path = route_col(st, 0), *base = strrchr(path, '/');
		char *brief = route_col(st, 1) ? stream_frames_brief(route_col(st, 1)) : NULL;

		base = base ? base + 1 : path;
		s = brief != NULL ?
		    xasprintf("%s, %s %" PRId64 " (%s %s)", base, model_word(lang, "message"), message_id,
		    model_word(lang, "frames"), brief) :
		    xasprintf("%s, %s %" PRId64, base, model_word(lang, "message"), message_id);
		free(brief);
	} else
		s = xasprintf("%s %" PRId64, model_word(lang, "message"), message_id);
	sqlite3_finalize(st);
	return s;
}

static json_t *
route_hops(struct casedb *db, json_t *root, int64_t message_id, bool ko, const char *source, bool *unparsed)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT idx, observed, parsed, raw, from_helo, from_rdns, from_ip, by_host, by_ip, software, protocol,"
	    " tls, smtp_id, for_addr, date_us, delay_s, flags, trust,"
	    " (SELECT count(*) FROM hops h2 WHERE h2.message_id = hops.message_id AND h2.observed = 0)"
	    " FROM hops WHERE message_id = ? ORDER BY idx");
	json_t *arr = json_array();

	*unparsed = false;
	sqlite3_bind_int64(st, 1, message_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *h = json_object();
		int64_t idx = sqlite3_column_int64(st, 0), nrec = sqlite3_column_int64(st, 18);
		bool observed = sqlite3_column_int(st, 1) != 0, parsed = sqlite3_column_int(st, 2) != 0;
		const char *helo = route_col(st, 4), *rdns = route_col(st, 5), *trust = route_col(st, 17);
		char *from, *flags_text = NULL, when[32];

		if (helo != NULL && rdns != NULL && strcmp(helo, rdns) != 0)
			from = xasprintf("%s (%s)", helo, rdns);
		else
			from = xstrdup(helo != NULL ? helo : rdns != NULL ? rdns : "");
		json_object_set_new(h, "no", json_integer(idx));
		json_object_set_new(h, "observed", json_boolean(observed));
		json_object_set_new(h, "parsed", json_boolean(parsed));
		json_object_set_new(h, "raw", route_str(st, 3));
		json_object_set_new(h, "from", model_string(from));
		json_object_set_new(h, "helo", route_str(st, 4));
		json_object_set_new(h, "rdns", route_str(st, 5));
		json_object_set_new(h, "ip", route_str(st, 6));
		json_object_set_new(h, "by", route_str(st, 7));
		json_object_set_new(h, "by_ip", route_str(st, 8));
		json_object_set_new(h, "software", route_str(st, 9));
		json_object_set_new(h, "protocol", route_str(st, 10));
		json_object_set_new(h, "tls", route_str(st, 11));
		json_object_set_new(h, "id", route_str(st, 12));
		json_object_set_new(h, "for", route_str(st, 13));
		/* The Received header's position as written (1 = top). */
		if (!observed)
			json_object_set_new(h, "header_no", json_integer(nrec - idx + 1));
		if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
			int64_t us = sqlite3_column_int64(st, 14);
			char iso[40], *text, *src;

			route_utc(us, when);
			snprintf(iso, sizeof(iso), "%.10sT%.8sZ", when, when + 11);
			json_object_set_new(h, "time", model_string(iso));
			json_object_set_new(h, "time_utc", model_string(when));
			if (observed)
				text = xasprintf(ko ? "관찰된 홉: %s [%s] → %s" : "Observed hop: %s [%s] to %s", from,
				    route_col(st, 6) ? route_col(st, 6) : "?", route_col(st, 7) ? route_col(st, 7) : "?");
			else
				text = xasprintf(ko ? "Received: %s [%s] → %s" : "Received by %3$s from %1$s [%2$s]", from,
				    route_col(st, 6) ? route_col(st, 6) : "?", route_col(st, 7) ? route_col(st, 7) : "?");
			src = observed ? xasprintf("%s, %s", source, ko ? "캡처된 세션" : "captured session") :
			    xasprintf(ko ? "%s, Received 헤더 %" PRId64 : "%s, Received header %" PRId64, source,
			    nrec - idx + 1);
			model_timeline_add(root, us, "hop", text, src);
			free(text);
			free(src);
		} else {
			json_object_set_new(h, "time", json_null());
			json_object_set_new(h, "time_utc", model_string(""));
		}
		if (sqlite3_column_type(st, 15) != SQLITE_NULL) {
			char d[64];

			route_duration(sqlite3_column_int64(st, 15), ko, d, sizeof(d));
			json_object_set_new(h, "delay", model_string(d));
			json_object_set_new(h, "delay_s", json_integer(sqlite3_column_int64(st, 15)));
		} else {
			json_object_set_new(h, "delay", model_string(""));
			json_object_set_new(h, "delay_s", json_null());
		}
		json_object_set_new(h, "flag_list", route_flags(route_col(st, 16), route_flag_texts,
		    sizeof(route_flag_texts) / sizeof(route_flag_texts[0]), ko, &flags_text));
		json_object_set_new(h, "flags", model_string(flags_text));
		json_object_set_new(h, "trust", trust != NULL ? model_string(trust) : json_null());
		if (trust != NULL) {
			const char *tt = strcmp(trust, "trusted") == 0 ? (ko ? "신뢰" : "trusted") :
			    strcmp(trust, "origin") == 0 ? (ko ? "발신지" : "origin") : (ko ? "검증 불가" : "unverifiable");
			json_object_set_new(h, "trust_text", model_string(tt));
		}
		if (!parsed)
			*unparsed = true;
		json_array_append_new(arr, h);
		free(from);
		free(flags_text);
	}
	sqlite3_finalize(st);
	return arr;
}

json_t *
model_route(struct casedb *db, json_t *root, int64_t message_id, const struct model_opts *o)
{
	bool ko = o != NULL && o->lang != NULL && strcmp(o->lang, "ko") == 0;
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT origin_host, origin_ip, forged_hops, summary, flags, origin_idx, date_delta_s, obs_delta_s,"
	    " x_originating_ip, auth, mid_domain, from_domain, rp_domain FROM routes WHERE message_id = ?");
	json_t *r;
	char *source, *verdict, *tail;
	bool unparsed = false;

	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return NULL;
	}
	r = json_object();
	source = route_source(db, message_id, o ? o->lang : NULL);
	json_t *hops = route_hops(db, root, message_id, ko, source, &unparsed);
	size_t nh = json_array_size(hops);
	const char *ohost = route_col(st, 0), *oip = route_col(st, 1);
	int64_t forged = sqlite3_column_int64(st, 2);
	int64_t oidx = sqlite3_column_int64(st, 5);
	json_t *oh = oidx >= 1 && (size_t)oidx <= nh ? json_array_get(hops, (size_t)oidx - 1) : NULL;
	bool obs_origin = oh != NULL && json_is_true(json_object_get(oh, "observed"));
	char who[600];

	snprintf(who, sizeof(who), "%.255s%s%s%.63s%s", ohost != NULL ? ohost : "",
	    ohost != NULL && oip != NULL ? " " : "", oip != NULL ? "[" : "", oip != NULL ? oip : "",
	    oip != NULL ? "]" : "");
	json_object_set_new(r, "hops", hops);
	json_object_set_new(r, "hops_any", json_boolean(nh > 0));
	json_object_set_new(r, "unparsed_any", json_boolean(unparsed));
	json_object_set_new(r, "origin_host", route_str(st, 0));
	json_object_set_new(r, "origin_ip", route_str(st, 1));
	json_object_set_new(r, "origin_no", oidx > 0 ? json_integer(oidx) : json_null());
	json_object_set_new(r, "forged_hops", json_integer(forged));
	json_object_set_new(r, "forged_any", json_boolean(forged > 0));
	json_object_set_new(r, "observed_origin", json_boolean(obs_origin));
	json_object_set_new(r, "summary", route_str(st, 3));

	/* Capture-time note. */
	tail = xstrdup("");
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		int64_t d = sqlite3_column_int64(st, 7);
		char ds[64];

		route_duration(d < 0 ? -d : d, ko, ds, sizeof(ds));
		json_object_set_new(r, "obs_delta", model_string(ds));
		json_object_set_new(r, "obs_delta_s", json_integer(d));
		if (d >= -300 && d <= 300) {
			free(tail);
			tail = ko ? xasprintf(" Date 헤더는 캡처 시각보다 %s %s, 일치합니다.", ds, d >= 0 ? "앞서며" : "늦으며") :
			    xasprintf(" Its Date header is %s %s the capture time (consistent).", ds,
			    d >= 0 ? "before" : "after");
		}
	}
	if (nh == 0)
		verdict = xstrdup(ko ? "Received 헤더가 없어 경로를 재구성할 수 없습니다." :
		    "No Received headers: the route cannot be reconstructed.");
	else if (ohost == NULL && oip == NULL)
		verdict = xstrdup(ko ? "가장 최근 Received 헤더를 읽을 수 없어 경로를 검증할 수 없습니다." :
		    "The newest Received header cannot be read: the route cannot be verified.");
	else if (obs_origin) {
		const char *by = json_string_value(json_object_get(oh, "by"));
		verdict = ko ? xasprintf("캡처에서 확인된 전송: %s → %s.%s", who, by ? by : "?", tail) :
		    xasprintf("Sent from %s to %s, as seen in the capture.%s", who, by ? by : "?", tail);
	} else if (forged == 0)
		verdict = ko ? xasprintf("추정 발신지: %s. Received 헤더 체인이 끊김 없이 이어집니다.%s", who, tail) :
		    xasprintf("Likely origin %s; the chain of Received headers holds.%s", who, tail);
	else
		verdict = ko ? xasprintf("추정 발신지: %s. 그 아래 %" PRId64 "개 홉은 위조된 것으로 보입니다.%s", who, forged, tail) :
		    forged == 1 ? xasprintf("Likely origin %s; the hop below it looks forged.%s", who, tail) :
		    xasprintf("Likely origin %s; the %" PRId64 " hops below it look forged.%s", who, forged, tail);
	json_object_set_new(r, "verdict", model_string(verdict));
	free(verdict);
	free(tail);

	json_t *flags = route_flags(route_col(st, 4), route_rflag_texts,
	    sizeof(route_rflag_texts) / sizeof(route_rflag_texts[0]), ko, NULL);
	json_object_set_new(r, "flags_any", json_boolean(json_array_size(flags) > 0));
	json_object_set_new(r, "flags", flags);
	if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
		char ds[64];

		route_duration(sqlite3_column_int64(st, 6), ko, ds, sizeof(ds));
		json_object_set_new(r, "date_delta", model_string(ds));
		json_object_set_new(r, "date_delta_s", json_integer(sqlite3_column_int64(st, 6)));
	}
	json_object_set_new(r, "x_originating_ip", route_str(st, 8));
	json_object_set_new(r, "has_xoip", json_boolean(route_col(st, 8) != NULL));
	json_object_set_new(r, "auth", route_str(st, 9));
	json_object_set_new(r, "has_auth", json_boolean(route_col(st, 9) != NULL));
	json_object_set_new(r, "mid_domain", route_str(st, 10));
	json_object_set_new(r, "from_domain", route_str(st, 11));
	json_object_set_new(r, "rp_domain", route_str(st, 12));
	json_object_set_new(r, "has_domains", json_boolean(route_col(st, 10) != NULL ||
	    route_col(st, 11) != NULL || route_col(st, 12) != NULL));
	sqlite3_finalize(st);
	free(source);
	return r;
}
