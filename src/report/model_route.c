/* model_route.c - one message's route for the report: the hop table, the
 * verdict line and the flags, worded in the report's language (o->lang:
 * "en", "ko") from the codes of the route record (mail/route.h) that
 * store/db_routes.c reads back. Every sentence a reader sees about a route
 * is made here; the structured fields stay beside it so templates can
 * phrase things their own way. */
#include "capture/stream.h"
#include "mail/route.h"
#include "report/model.h"
#include "store/db_routes.h"
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
	{ "zone-unknown", "unknown time zone name, time read as UTC", "알 수 없는 시간대 이름(UTC로 읽음)" },
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
	{ "date-zone-unknown", "The Date header names an unknown time zone; its time was read as UTC.",
	  "Date 헤더의 시간대 이름을 알 수 없어 UTC로 읽었습니다." },
};

static const struct route_text route_trust_texts[] = {
	{ "trusted", "trusted", "신뢰" },
	{ "origin", "origin", "발신지" },
	{ "unverifiable", "unverifiable", "검증 불가" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *
route_text(const struct route_text *t, size_t n, const char *key, bool ko)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return ko ? t[i].ko : t[i].en;
	return key;
}

static json_t *
route_str(const char *s)
{
	return s != NULL ? model_string(s) : json_null();
}

static const char *
route_q(const char *s)
{
	return s != NULL ? s : "?";
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

/* Flag bits into [{key, text}] in bit order, and the texts joined by "; ". */
static json_t *
route_flags(unsigned bits, const char *(*name)(unsigned), const struct route_text *t, size_t nt, bool ko,
    char **joined)
{
	json_t *arr = json_array();
	char *out = xstrdup("");

	for (unsigned i = 0; i < 32; i++) {
		const char *key = (bits & (1u << i)) != 0 ? name(1u << i) : NULL;

		if (key == NULL)
			continue;
		const char *text = route_text(t, nt, key, ko);
		json_t *o = json_object();
		char *next = xasprintf("%s%s%s", out, out[0] != '\0' ? "; " : "", text);

		json_object_set_new(o, "key", model_string(key));
		json_object_set_new(o, "text", model_string(text));
		json_array_append_new(arr, o);
		free(out);
		out = next;
	}
	if (joined != NULL)
		*joined = out;
	else
		free(out);
	return arr;
}

static char *
route_source(struct casedb *db, int64_t message_id, const char *lang)
{
	char *path, *frames, *s;

	if (!db_route_message_source(db, message_id, &path, &frames))
		return xasprintf("%s %" PRId64, model_word(lang, "message"), message_id);
	char *brief = frames != NULL ? model_frames(frames, lang) : NULL;
	s = brief != NULL ?
	    xasprintf("%s, %s %" PRId64 " (%s %s)", model_base(path), model_word(lang, "message"), message_id,
	    model_word(lang, "frames"), brief) :
	    xasprintf("%s, %s %" PRId64, model_base(path), model_word(lang, "message"), message_id);
	free(brief);
	free(path);
	free(frames);
	return s;
}

/* What the hop the capture saw was, in words: it has no header of its own. */
static char *
route_observed_text(const struct route_hop *h, enum route_obs obs, bool ko)
{
	const struct received *r = &h->r;

	if (obs == ROUTE_OBS_FETCHED)
		return ko ? xasprintf("%s 클라이언트가 %s [%s]에서 %s로 가져옴(캡처에서 관찰)", route_q(r->by_ip),
		    route_q(r->from_helo), route_q(r->from_ip), route_q(r->protocol)) :
		    xasprintf("fetched by %s from %s [%s] over %s (observed in the capture)", route_q(r->by_ip),
		    route_q(r->from_helo), route_q(r->from_ip), route_q(r->protocol));
	return ko ? xasprintf("캡처에서 관찰된 %s 세션: HELO %s, %s → %s [%s]", route_q(r->protocol),
	    route_q(r->from_helo), route_q(r->from_ip), route_q(r->by_host), route_q(r->by_ip)) :
	    xasprintf("%s session observed in the capture: HELO %s from %s to %s [%s]", route_q(r->protocol),
	    route_q(r->from_helo), route_q(r->from_ip), route_q(r->by_host), route_q(r->by_ip));
}

/* A dated hop: its time in the hop table, and an event in the timeline. */
static void
route_hop_time(json_t *h, json_t *root, const struct route_hop *hop, const char *from, const char *source, bool ko)
{
	const struct received *r = &hop->r;
	char when[32], iso[40], *text, *src;

	json_object_set_new(h, "date_raw", route_str(r->date_raw));
	if (!r->has_date) {
		json_object_set_new(h, "time", json_null());
		json_object_set_new(h, "time_utc", model_string(""));
		json_object_set_new(h, "time_us", json_null());
		return;
	}
	json_object_set_new(h, "time_us", json_integer((json_int_t)r->date_us));
	route_utc(r->date_us, when);
	snprintf(iso, sizeof(iso), "%.10sT%.8sZ", when, when + 11);
	json_object_set_new(h, "time", model_string(iso));
	json_object_set_new(h, "time_utc", model_string(when));
	if (hop->observed)
		text = xasprintf(ko ? "관찰된 홉: %s [%s] → %s" : "Observed hop: %s [%s] to %s", from,
		    route_q(r->from_ip), route_q(r->by_host));
	else
		text = xasprintf(ko ? "Received: %s [%s] → %s" : "Received by %3$s from %1$s [%2$s]", from,
		    route_q(r->from_ip), route_q(r->by_host));
	src = hop->observed ? xasprintf("%s, %s", source, ko ? "캡처된 세션" : "captured session") :
	    xasprintf(ko ? "%s, Received 헤더 %zu" : "%s, Received header %zu", source, hop->header_no);
	model_timeline_add(root, r->date_us, "hop", text, src);
	free(text);
	free(src);
}

static json_t *
route_hop(json_t *root, const struct route *rt, size_t k, bool ko, const char *source)
{
	const struct route_hop *hop = &rt->hops[k];
	const struct received *r = &hop->r;
	json_t *h = json_object();
	char *from, *flags_text = NULL, *raw;

	if (r->from_helo != NULL && r->from_rdns != NULL && strcmp(r->from_helo, r->from_rdns) != 0)
		from = xasprintf("%s (%s)", r->from_helo, r->from_rdns);
	else
		from = xstrdup(r->from_helo != NULL ? r->from_helo : r->from_rdns != NULL ? r->from_rdns : "");
	raw = hop->observed ? route_observed_text(hop, rt->obs, ko) : xstrdup(hop->raw != NULL ? hop->raw : "");
	json_object_set_new(h, "no", json_integer((json_int_t)k + 1));
	json_object_set_new(h, "observed", json_boolean(hop->observed));
	json_object_set_new(h, "parsed", json_boolean(r->parsed));
	json_object_set_new(h, "raw", model_string(raw));
	json_object_set_new(h, "from", model_string(from));
	json_object_set_new(h, "helo", route_str(r->from_helo));
	json_object_set_new(h, "rdns", route_str(r->from_rdns));
	json_object_set_new(h, "ip", route_str(r->from_ip));
	json_object_set_new(h, "by", route_str(r->by_host));
	json_object_set_new(h, "by_ip", route_str(r->by_ip));
	json_object_set_new(h, "software", route_str(r->software));
	json_object_set_new(h, "protocol", route_str(r->protocol));
	json_object_set_new(h, "tls", route_str(r->tls));
	json_object_set_new(h, "id", route_str(r->id));
	json_object_set_new(h, "for", route_str(r->for_addr));
	if (!hop->observed)
		json_object_set_new(h, "header_no", json_integer((json_int_t)hop->header_no));
	route_hop_time(h, root, hop, from, source, ko);
	if (hop->has_delay) {
		char d[64];

		route_duration(hop->delay_s, ko, d, sizeof(d));
		json_object_set_new(h, "delay", model_string(d));
		json_object_set_new(h, "delay_s", json_integer(hop->delay_s));
	} else {
		json_object_set_new(h, "delay", model_string(""));
		json_object_set_new(h, "delay_s", json_null());
	}
	json_object_set_new(h, "flag_list", route_flags(hop->flags, route_hop_flag_name, route_flag_texts,
	    NELEM(route_flag_texts), ko, &flags_text));
	json_object_set_new(h, "flags", model_string(flags_text));
	json_object_set_new(h, "trust", model_string(route_trust_name(hop->trust)));
	json_object_set_new(h, "trust_text", model_string(route_text(route_trust_texts, NELEM(route_trust_texts),
	    route_trust_name(hop->trust), ko)));
	free(from);
	free(flags_text);
	free(raw);
	return h;
}

/* The verdict from its code. As a sentence for the route section
 * ("...holds. Its Date header ... (consistent)."), or, with brief, as the
 * one clause of the key findings ("...holds; its Date header ...
 * (consistent)"), which Korean writes the same way. */
static char *
route_verdict_text(const struct route *rt, bool ko, bool brief)
{
	const char *ohost = rt->origin_host, *oip = rt->origin_ip;
	char *who = xasprintf("%s%s%s%s%s", ohost != NULL ? ohost : "", ohost != NULL && oip != NULL ? " " : "",
	    oip != NULL ? "[" : "", oip != NULL ? oip : "", oip != NULL ? "]" : "");
	char *tail = xstrdup(""), *v;
	const char *end = ko || !brief ? "." : "";
	/* the host the origin hop reached (a stored route is read, so bounds are checked) */
	const char *by = rt->origin < rt->nhops ? rt->hops[rt->origin].r.by_host : NULL;

	if (rt->has_obs_delta && rt->obs_delta_s >= -HOPS_OBS_NEAR_S && rt->obs_delta_s <= HOPS_OBS_NEAR_S) {
		int64_t d = rt->obs_delta_s;
		char ds[64];

		route_duration(d < 0 ? -d : d, ko, ds, sizeof(ds));
		free(tail);
		tail = ko ? xasprintf(" Date 헤더는 캡처 시각보다 %s %s, 일치합니다.", ds, d >= 0 ? "앞서며" : "늦으며") :
		    xasprintf(brief ? "; its Date header is %s %s the capture time (consistent)" :
		    " Its Date header is %s %s the capture time (consistent).", ds, d >= 0 ? "before" : "after");
	}
	switch (rt->verdict) {
	case ROUTE_VERDICT_NO_HOPS:
		v = xstrdup(ko ? "Received 헤더가 없어 경로를 재구성할 수 없습니다." :
		    brief ? "No Received headers: the route cannot be reconstructed" :
		    "No Received headers: the route cannot be reconstructed.");
		break;
	case ROUTE_VERDICT_UNREADABLE:
		v = xstrdup(ko ? "가장 최근 Received 헤더를 읽을 수 없어 경로를 검증할 수 없습니다." :
		    brief ? "The newest Received header cannot be read: the route cannot be verified" :
		    "The newest Received header cannot be read: the route cannot be verified.");
		break;
	case ROUTE_VERDICT_OBSERVED:
		v = ko ? xasprintf("캡처에서 확인된 전송: %s → %s.%s", who, route_q(by), tail) :
		    xasprintf("Sent from %s to %s, as seen in the capture%s%s", who, route_q(by), end, tail);
		break;
	case ROUTE_VERDICT_HOLDS:
		v = ko ? xasprintf("추정 발신지: %s. Received 헤더 체인이 끊김 없이 이어집니다.%s", who, tail) :
		    xasprintf("Likely origin %s; the chain of Received headers holds%s%s", who, end, tail);
		break;
	default:
		v = ko ? xasprintf("추정 발신지: %s. 그 아래 %zu개 홉은 위조된 것으로 보입니다.%s", who, rt->forged, tail) :
		    rt->forged == 1 ? xasprintf("Likely origin %s; the hop below it looks forged%s%s", who, end, tail) :
		    xasprintf("Likely origin %s; the %zu hops below it look forged%s%s", who, rt->forged, end, tail);
		break;
	}
	free(who);
	free(tail);
	return v;
}

/* The message-level fields beside the hop table. */
static void
route_fields(json_t *r, const struct route *rt, bool ko)
{
	char ds[64];
	json_t *flags = route_flags(rt->flags, route_flag_name, route_rflag_texts, NELEM(route_rflag_texts), ko, NULL);
	json_object_set_new(r, "flags_any", json_boolean(json_array_size(flags) > 0));
	json_object_set_new(r, "flags", flags);
	if (rt->has_date_delta) {
		route_duration(rt->date_delta_s, ko, ds, sizeof(ds));
		json_object_set_new(r, "date_delta", model_string(ds));
		json_object_set_new(r, "date_delta_s", json_integer(rt->date_delta_s));
	}
	json_object_set_new(r, "x_originating_ip", route_str(rt->x_originating_ip));
	json_object_set_new(r, "has_xoip", json_boolean(rt->x_originating_ip != NULL));
	json_object_set_new(r, "auth", route_str(rt->auth));
	json_object_set_new(r, "has_auth", json_boolean(rt->auth != NULL));
	json_object_set_new(r, "mid_domain", route_str(rt->mid_domain));
	json_object_set_new(r, "from_domain", route_str(rt->from_domain));
	json_object_set_new(r, "rp_domain", route_str(rt->rp_domain));
	json_object_set_new(r, "has_domains", json_boolean(rt->mid_domain != NULL || rt->from_domain != NULL ||
	    rt->rp_domain != NULL));
}

json_t *
model_route(struct casedb *db, json_t *root, int64_t message_id, const struct model_opts *o)
{
	bool ko = o != NULL && o->lang != NULL && strcmp(o->lang, "ko") == 0;
	struct route *rt = db_route_get(db, message_id);
	json_t *r, *hops;
	char *source, *text;
	bool unparsed = false, obs_origin;

	if (rt == NULL)
		return NULL;
	r = json_object();
	source = route_source(db, message_id, o ? o->lang : NULL);
	hops = json_array();
	for (size_t k = 0; k < rt->nhops; k++) {
		json_array_append_new(hops, route_hop(root, rt, k, ko, source));
		unparsed |= !rt->hops[k].r.parsed;
	}
	obs_origin = rt->nhops > 0 && rt->hops[rt->origin].observed;
	json_object_set_new(r, "hops", hops);
	json_object_set_new(r, "hops_any", json_boolean(rt->nhops > 0));
	json_object_set_new(r, "unparsed_any", json_boolean(unparsed));
	json_object_set_new(r, "origin_host", route_str(rt->origin_host));
	json_object_set_new(r, "origin_ip", route_str(rt->origin_ip));
	json_object_set_new(r, "origin_no", rt->nhops > 0 ? json_integer((json_int_t)rt->origin + 1) : json_null());
	json_object_set_new(r, "forged_hops", json_integer((json_int_t)rt->forged));
	json_object_set_new(r, "forged_any", json_boolean(rt->forged > 0));
	json_object_set_new(r, "observed_origin", json_boolean(obs_origin));
	text = route_verdict_text(rt, ko, true);
	json_object_set_new(r, "summary", model_string(text));
	free(text);
	if (rt->has_obs_delta) {
		int64_t d = rt->obs_delta_s;
		char ds[64];

		route_duration(d < 0 ? -d : d, ko, ds, sizeof(ds));
		json_object_set_new(r, "obs_delta", model_string(ds));
		json_object_set_new(r, "obs_delta_s", json_integer(d));
	}
	text = route_verdict_text(rt, ko, false);
	json_object_set_new(r, "verdict", model_string(text));
	json_object_set_new(r, "verdict_code", model_string(route_verdict_name(rt->verdict)));
	free(text);
	/* The Date the route was judged by: the same instant as the message's. */
	json_object_set_new(r, "date", rt->has_date ? model_time(rt->date_us) : json_null());
	json_object_set_new(r, "date_zone", rt->has_date ?
	    model_string(maildate_zone_name(rt->date_zone)) : json_null());
	route_fields(r, rt, ko);
	hops_route_free(rt);
	free(source);
	return r;
}

void
model_route_summaries(struct casedb *db, json_t *list, const char *lang)
{
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	size_t i;
	json_t *item;

	json_array_foreach(list, i, item) {
		json_t *id = json_object_get(item, "route_message_id");
		struct route *rt = json_is_integer(id) ? db_route_get(db, json_integer_value(id)) : NULL;
		char *text = rt != NULL ? route_verdict_text(rt, ko, true) : NULL;

		json_object_set_new(item, "summary", route_str(text));
		json_object_del(item, "route_message_id");
		free(text);
		hops_route_free(rt);
	}
}
