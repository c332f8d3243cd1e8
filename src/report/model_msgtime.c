/* model_msgtime.c - one message's own timeline for the report: every time
 * the message carries or was seen at, in the order it must have happened
 * (auth/msgtime.h), each in UTC, as it was written (in its own zone), and
 * with --timezone in that zone; the step from the event before it and the
 * findings of msgtime_judge(), worded in the report's language. It reads
 * what the message's model already holds (authenticity.hidden, route.hops,
 * imap) and the few columns of its row given in. */
#include "auth/msgtime.h"
#include "mail/maildate.h"
#include "report/model.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Events per message: at most MSGTIME_HIDDEN_MAX hidden times (the rest
 * are counted and said), the Date, the route's hops (HOPS_MAX and the
 * observed one), INTERNALDATE, From_ line, capture: all fit. */
#define MSGTIME_HIDDEN_MAX 16
#define MSGTIME_EVENTS_MAX 128

struct mt_event {
	struct msgtime_event e;
	size_t seq;              /* order added: ties keep it */
	char label[96];
	char written[160];
};

/* "2009-10-10 07:35:30" (and ".338" when ms) of microseconds counted as UTC. */
static void
mt_clock(int64_t us, bool ms, char *out, size_t n)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	time_t t;
	struct tm tm;
	char base[32];

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		snprintf(out, n, "?");
		return;
	}
	if (ms)
		snprintf(out, n, "%s.%03d", base, (int)(frac / 1000));
	else
		snprintf(out, n, "%s", base);
}

static void
mt_offset(int min, char *out, size_t n)
{
	int a = min < 0 ? -min : min;

	snprintf(out, n, "UTC%c%02d:%02d", min < 0 ? '-' : '+', a / 60, a % 60);
}

/* A date as its writer wrote it: in its own zone when the zone is known,
 * else as written with the reason it was read as UTC. *off_min gets the
 * zone's offset; false when it is not known. */
static bool
mt_written(const char *raw, int64_t us, bool ko, char *out, size_t n, int *off_min)
{
	struct maildate md;
	char c[48], z[16];

	if (raw != NULL && maildate_read(raw, strlen(raw), &md) && md.zone == MAILDATE_ZONE_KNOWN) {
		mt_clock(us + (int64_t)md.offset_min * 60000000, false, c, sizeof(c));
		mt_offset(md.offset_min, z, sizeof(z));
		snprintf(out, n, "%s %s", c, z);
		*off_min = md.offset_min;
		return true;
	}
	snprintf(out, n, ko ? "%s (시간대 불명: UTC로 읽음)" : "%s (zone not known: read as UTC)",
	    raw != NULL ? raw : "");
	return false;
}

/* A signed difference in seconds, with the milliseconds when it has them
 * and hours and minutes when it is a minute or more: "+3 s",
 * "-10800 s (3 h 0 min)", "+1.916 s". */
static void
mt_diff(int64_t us, bool ko, char *out, size_t n)
{
	int64_t a = us < 0 ? -us : us, s = a / 1000000, ms = a % 1000000 / 1000;
	const char *sign = us < 0 ? "-" : us > 0 ? "+" : "";
	size_t k;

	if (ms != 0)
		k = (size_t)snprintf(out, n, "%s%" PRId64 ".%03" PRId64 "%s", sign, s, ms, ko ? "초" : " s");
	else
		k = (size_t)snprintf(out, n, "%s%" PRId64 "%s", sign, s, ko ? "초" : " s");
	if (s >= 60 && k < n) {
		if (s >= 3600)
			snprintf(out + k, n - k, ko ? " (%" PRId64 "시간 %" PRId64 "분)" : " (%" PRId64 " h %" PRId64 " min)",
			    s / 3600, s / 60 % 60);
		else
			snprintf(out + k, n - k, ko ? " (%" PRId64 "분 %" PRId64 "초)" : " (%" PRId64 " min %" PRId64 " s)",
			    s / 60, s % 60);
	}
}

static struct mt_event *
mt_add(struct mt_event *v, size_t *n, enum msgtime_kind k, int64_t us, bool judged)
{
	struct mt_event *e;

	if (*n >= MSGTIME_EVENTS_MAX)
		return NULL;
	e = &v[(*n)++];
	memset(e, 0, sizeof(*e));
	e->e.kind = k;
	e->e.us = us;
	e->e.judged = judged;
	e->seq = *n;
	return e;
}

/* The hidden times: a utc value as it is; a local one placed in the Date
 * field's zone, else in the zone its Message-ID implies, else listed only.
 * Returns how many were left out past MSGTIME_HIDDEN_MAX. */
static size_t
mt_hidden(struct mt_event *v, size_t *n, json_t *msg, bool ko, bool date_zoned, int date_off)
{
	json_t *arr = json_object_get(json_object_get(msg, "authenticity"), "hidden"), *h;
	size_t i;

	json_array_foreach(arr, i, h) {
		if (i >= MSGTIME_HIDDEN_MAX)
			return json_array_size(arr) - MSGTIME_HIDDEN_MAX;
		bool local = json_is_true(json_object_get(h, "local"));
		bool boundary = strcmp(json_string_value(json_object_get(h, "field")), "boundary") == 0;
		int64_t us = json_integer_value(json_object_get(h, "time_us"));
		const char *sz = json_string_value(json_object_get(h, "sender_zone"));
		struct mt_event *e;
		char c[48];
		int off = 0;
		bool placed = !local;

		if (local && date_zoned) {
			off = date_off;
			placed = true;
		} else if (local && sz != NULL) {
			int hh = 0, mm = 0;

			if (sscanf(sz + 1, "%d:%d", &hh, &mm) == 2) {
				off = (sz[0] == '-' ? -1 : 1) * (hh * 60 + mm);
				placed = true;
			}
		}
		e = mt_add(v, n, MSGTIME_HIDDEN, us - (int64_t)off * 60000000, placed);
		if (e == NULL)
			return json_array_size(arr) - i;
		snprintf(e->label, sizeof(e->label), "%s (%s)", boundary ?
		    (ko ? "MIME 경계 문자열에 숨은 시각" : "hidden in a MIME boundary") :
		    (ko ? "Message-ID에 숨은 시각" : "hidden in the Message-ID"),
		    json_string_value(json_object_get(h, "rule")));
		mt_clock(us, true, c, sizeof(c));
		if (!local)
			snprintf(e->written, sizeof(e->written), "%s UTC", c);
		else if (placed) {
			char z[16];

			mt_offset(off, z, sizeof(z));
			if (ko)
				snprintf(e->written, sizeof(e->written), "%s, 시간대 미기재 (%s의 시간대 %s로 환산)", c,
				    date_zoned ? "Date 필드" : "Message-ID", z);
			else
				snprintf(e->written, sizeof(e->written), "%s, zone not written (placed in %s, %s)", c, z,
				    date_zoned ? "the Date field's zone" : "the zone the Message-ID implies");
		} else
			snprintf(e->written, sizeof(e->written), ko ? "%s, 시간대 미기재 (판단에서 제외)" :
			    "%s, zone not written (not judged: no zone to place it in)", c);
	}
	return 0;
}

static int
mt_cmp(const void *a, const void *b)
{
	const struct mt_event *x = a, *y = b;

	if (x->e.judged != y->e.judged)
		return x->e.judged ? -1 : 1;
	if (x->e.us != y->e.us)
		return x->e.us < y->e.us ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
mt_hops(struct mt_event *v, size_t *n, json_t *msg, bool ko)
{
	json_t *arr = json_object_get(json_object_get(msg, "route"), "hops"), *h;
	size_t i;

	json_array_foreach(arr, i, h) {
		struct mt_event *e;
		int off;

		if (json_is_true(json_object_get(h, "observed")) || !json_is_integer(json_object_get(h, "time_us")))
			continue;
		e = mt_add(v, n, MSGTIME_HOP, json_integer_value(json_object_get(h, "time_us")), true);
		if (e == NULL)
			return;
		snprintf(e->label, sizeof(e->label), ko ? "Received 홉 %lld (헤더 %lld)" :
		    "Received hop %lld (header %lld)", (long long)json_integer_value(json_object_get(h, "no")),
		    (long long)json_integer_value(json_object_get(h, "header_no")));
		(void)mt_written(json_string_value(json_object_get(h, "date_raw")), e->e.us, ko, e->written,
		    sizeof(e->written), &off);
	}
}

static const char *
mt_finding_text(enum msgtime_finding f, enum msgtime_kind k, bool ko)
{
	if (f == MSGTIME_OUT_OF_ORDER)
		return ko ? "순서 어긋남: 앞서야 할 값보다 이름" : "out of order: earlier than a time it must follow";
	if (f == MSGTIME_FAR && k == MSGTIME_HIDDEN)
		return ko ? "Date 필드와 크게 다름" : "far from the Date field";
	if (f == MSGTIME_FAR)
		return ko ? "앞선 값과 간격이 비정상적으로 큼" : "far after the time before it";
	return "";
}

void
model_msgtime(json_t *msg, const struct model_msgtime_in *in, const struct model_opts *o)
{
	bool ko = o != NULL && o->lang != NULL && strcmp(o->lang, "ko") == 0;
	const char *zone = o != NULL && o->timezone != NULL && *o->timezone ? o->timezone : NULL;
	struct mt_event *v = xreallocarray(NULL, MSGTIME_EVENTS_MAX, sizeof(*v)), *e, *date = NULL;
	json_t *t = json_object(), *arr = json_array(), *fl = json_array();
	json_t *imap = json_object_get(msg, "imap");
	size_t n = 0, i, omitted = 0;
	int date_off = 0, hop_off = 0;
	bool date_zoned = false, hop_zoned = false;
	int64_t *us;
	char (*local)[64];
	char zd[16], zh[16];

	if (in->has_date) {
		char w[160];

		date_zoned = mt_written(in->date_raw, in->date_us, ko, w, sizeof(w), &date_off);
		omitted = mt_hidden(v, &n, msg, ko, date_zoned, date_off);
		date = mt_add(v, &n, MSGTIME_DATE, in->date_us, true);
		if (date != NULL) {
			snprintf(date->label, sizeof(date->label), ko ? "Date 필드" : "Date field");
			snprintf(date->written, sizeof(date->written), "%s", w);
		}
	} else
		omitted = mt_hidden(v, &n, msg, ko, false, 0);
	/* the composition times in the order of their clocks, ties in the
	 * order they were added (hidden times, then the Date) */
	if (n > 1)
		qsort(v, n, sizeof(*v), mt_cmp);
	for (i = 0, date = NULL; i < n; i++)
		if (v[i].e.kind == MSGTIME_DATE)
			date = &v[i];
	mt_hops(v, &n, msg, ko);
	if (json_is_object(imap) && json_is_integer(json_object_get(imap, "internaldate_us")) &&
	    (e = mt_add(v, &n, MSGTIME_INTERNALDATE, json_integer_value(json_object_get(imap,
	    "internaldate_us")), true)) != NULL) {
		int off;

		snprintf(e->label, sizeof(e->label), ko ? "IMAP INTERNALDATE (서버 저장)" :
		    "IMAP INTERNALDATE (stored)");
		(void)mt_written(json_string_value(json_object_get(imap, "internaldate")), e->e.us, ko,
		    e->written, sizeof(e->written), &off);
	}
	if (in->from_line != NULL && in->has_from_us &&
	    (e = mt_add(v, &n, MSGTIME_FROM_LINE, in->from_us, true)) != NULL) {
		snprintf(e->label, sizeof(e->label), ko ? "mbox From_ 줄 (배달)" : "mbox From_ line (delivered)");
		snprintf(e->written, sizeof(e->written), ko ? "%s (시간대 없음: UTC로 읽음)" :
		    "%s (no zone: read as UTC)", in->from_line);
	}
	if (in->ts_us != 0 && in->source != NULL && strcmp(in->source, "rfc822") != 0) {
		bool sent = strcmp(in->source, "smtp") == 0;

		e = mt_add(v, &n, sent ? MSGTIME_CAPTURE_SENT : MSGTIME_CAPTURE_FETCHED, in->ts_us, true);
		if (e != NULL) {
			char c[48];

			snprintf(e->label, sizeof(e->label), sent ? (ko ? "캡처: 메시지 전송" : "capture: message sent") :
			    (ko ? "캡처: 메시지 가져오기" : "capture: message fetched"));
			mt_clock(in->ts_us, true, c, sizeof(c));
			snprintf(e->written, sizeof(e->written), ko ? "%s UTC (캡처한 컴퓨터의 시계)" :
			    "%s UTC (the capturing machine's clock)", c);
		}
	}
	{
		struct msgtime_event *ev = xreallocarray(NULL, n ? n : 1, sizeof(*ev));

		for (i = 0; i < n; i++)
			ev[i] = v[i].e;
		msgtime_judge(ev, n);
		for (i = 0; i < n; i++)
			v[i].e = ev[i];
		free(ev);
	}
	us = xreallocarray(NULL, n ? n : 1, sizeof(*us));
	local = xreallocarray(NULL, n ? n : 1, sizeof(*local));
	for (i = 0; i < n; i++)
		us[i] = v[i].e.us;
	model_local_times(zone, us, n, local);
	for (i = 0; i < n; i++) {
		json_t *x = json_object();
		const struct msgtime_event *m = &v[i].e;
		char d[96];

		json_object_set_new(x, "no", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "kind", json_string(msgtime_kind_name(m->kind)));
		json_object_set_new(x, "label", model_string(v[i].label));
		json_object_set_new(x, "time_us", json_integer((json_int_t)m->us));
		json_object_set_new(x, "time", m->judged ? model_time(m->us) : json_null());
		json_object_set_new(x, "written", model_string(v[i].written));
		json_object_set_new(x, "judged", json_boolean(m->judged));
		json_object_set_new(x, "time_local", zone && local[i][0] && m->judged ?
		    json_string(local[i]) : json_null());
		if (m->has_step) {
			mt_diff(m->step_us, ko, d, sizeof(d));
			json_object_set_new(x, "step", json_string(d));
			json_object_set_new(x, "step_ms", json_integer((json_int_t)(m->step_us / 1000)));
		} else {
			json_object_set_new(x, "step", json_null());
			json_object_set_new(x, "step_ms", json_null());
		}
		json_object_set_new(x, "finding", json_string(msgtime_finding_name(m->finding)));
		json_object_set_new(x, "finding_s", m->finding != MSGTIME_OK ?
		    json_integer((json_int_t)m->finding_s) : json_null());
		if (m->finding != MSGTIME_OK) {
			char *text;

			mt_diff(m->finding_s * 1000000, ko, d, sizeof(d));
			if (ko)
				text = xasprintf("%s: %s (%s 대비 %s)", v[i].label,
				    mt_finding_text(m->finding, m->kind, ko), v[m->against].label, d);
			else
				text = xasprintf("%s: %s (%s against %s)", v[i].label,
				    mt_finding_text(m->finding, m->kind, ko), d, v[m->against].label);
			json_object_set_new(x, "finding_text", model_string(text));
			{
				json_t *f = json_object();

				json_object_set_new(f, "text", model_string(text));
				json_array_append_new(fl, f);
			}
			free(text);
		} else
			json_object_set_new(x, "finding_text", json_null());
		json_array_append_new(arr, x);
	}
	/* Where the sender's clock was: the Date field's zone against the
	 * origin hop's, when the two agree in time. */
	for (i = 0; i < n; i++)
		if (v[i].e.kind == MSGTIME_HOP)
			break;
	if (date_zoned && date != NULL && i < n && v[i].e.finding == MSGTIME_OK) {
		json_t *h0 = NULL, *hops = json_object_get(json_object_get(msg, "route"), "hops"), *h;
		size_t k;

		json_array_foreach(hops, k, h)
			if (h0 == NULL && !json_is_true(json_object_get(h, "observed")) &&
			    json_is_integer(json_object_get(h, "time_us")))
				h0 = h;
		if (h0 != NULL) {
			char w[160], dd[96];

			hop_zoned = mt_written(json_string_value(json_object_get(h0, "date_raw")), v[i].e.us, ko, w,
			    sizeof(w), &hop_off);
			if (hop_zoned) {
				char *text;

				mt_offset(date_off, zd, sizeof(zd));
				mt_offset(hop_off, zh, sizeof(zh));
				mt_diff(v[i].e.us - date->e.us, ko, dd, sizeof(dd));
				text = xasprintf(ko ? "Date 필드(%s로 기록)와 발신 홉(%s로 기록)의 시각이 일치합니다"
				    " (%s): 발신자의 시계는 %s였습니다." : "The Date field (written in %s) and the origin"
				    " hop (written in %s) agree (%s): the sender's clock was set to %s.", zd, zh, dd, zd);
				json_object_set_new(t, "zone_note", model_string(text));
				free(text);
			}
		}
	}
	if (json_object_get(t, "zone_note") == NULL) {
		json_t *hid = json_object_get(json_object_get(msg, "authenticity"), "hidden"), *h;
		const char *sz = NULL;

		json_array_foreach(hid, i, h)
			if (sz == NULL && json_is_string(json_object_get(h, "sender_zone")))
				sz = json_string_value(json_object_get(h, "sender_zone"));
		if (sz != NULL && date_zoned) {
			char *text;

			mt_offset(date_off, zd, sizeof(zd));
			text = xasprintf(ko ? "Date 필드의 시간대(%s)와 숨은 현지 시각과 Message-ID의 UTC 시각이"
			    " 보여 주는 시간대(UTC%s)가 %s: 발신자의 시계는 UTC%s였습니다." :
			    "The Date field's zone (%s) and the zone the hidden local time and the Message-ID's UTC"
			    " time imply (UTC%s) %s: the sender's clock was set to UTC%s.", zd, sz,
			    strcmp(zd + 3, sz) == 0 ? (ko ? "일치합니다" : "agree") : (ko ? "다릅니다" : "differ"), sz);
			json_object_set_new(t, "zone_note", model_string(text));
			free(text);
		}
	}
	if (json_object_get(t, "zone_note") == NULL)
		json_object_set_new(t, "zone_note", json_null());
	json_object_set_new(t, "any", json_boolean(n > 1));
	json_object_set_new(t, "events", arr);
	json_object_set_new(t, "findings_any", json_boolean(json_array_size(fl) > 0));
	json_object_set_new(t, "findings", fl);
	json_object_set_new(t, "hidden_omitted", json_integer((json_int_t)omitted));
	json_object_set_new(t, "hidden_omitted_any", json_boolean(omitted > 0));
	json_object_set_new(t, "hidden_max", json_integer(MSGTIME_HIDDEN_MAX));
	json_object_set_new(t, "local_any", json_boolean(zone != NULL));
	json_object_set_new(t, "zone", zone ? model_string(zone) : json_null());
	json_object_set_new(msg, "times", t);
	free(us);
	free(local);
	free(v);
}
