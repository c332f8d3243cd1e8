/* msgtime.c - see msgtime.h. The order is causal: a message is composed
 * (its hidden times and Date), then relayed (each Received field is added
 * by the server that took it, RFC 5321 section 4.4), then stored, then seen
 * by a capture; the times of one stage may come in any order among
 * themselves, since the Date and a Message-ID are written by the same
 * program moments apart. */
#include "auth/msgtime.h"
#include "mail/route.h"

static bool
msgtime_composed(enum msgtime_kind k)
{
	return k == MSGTIME_HIDDEN || k == MSGTIME_DATE;
}

/* Rank in the causal order: every composition time 0, then each later
 * event after the one before it. */
static size_t
msgtime_rank(const struct msgtime_event *ev, size_t i)
{
	return msgtime_composed(ev[i].kind) ? 0 : i + 1;
}

/* How long after the event before it this one may come, in seconds; -1
 * when any time later is plausible. */
static int64_t
msgtime_step_max(enum msgtime_kind before, enum msgtime_kind k)
{
	if (k == MSGTIME_CAPTURE_FETCHED)
		return -1;
	if (msgtime_composed(before))
		return HOPS_DATE_FAR_S;          /* the route's "Date far from the origin hop" */
	if (before == MSGTIME_HOP)
		return HOPS_DELAY_MAX_S;         /* the route's implausible delay */
	return -1;
}

static int64_t
msgtime_secs(int64_t us)
{
	return us / 1000000;
}

void
msgtime_judge(struct msgtime_event *ev, size_t n)
{
	size_t i, j, date = n;

	for (i = 0; i < n; i++) {
		ev[i].has_step = false;
		ev[i].step_us = 0;
		ev[i].finding = MSGTIME_OK;
		ev[i].finding_s = 0;
		ev[i].against = i;
		if (ev[i].judged && ev[i].kind == MSGTIME_DATE && date == n)
			date = i;
	}
	for (i = 0; i < n; i++) {
		size_t m = n;

		if (!ev[i].judged)
			continue;
		/* the latest event this one must follow; within the composition
		 * stage the one before it, for the step only */
		for (j = 0; j < i; j++) {
			if (!ev[j].judged)
				continue;
			if (msgtime_rank(ev, j) < msgtime_rank(ev, i) || msgtime_rank(ev, i) == 0) {
				if (m == n || ev[j].us > ev[m].us)
					m = j;
			}
		}
		if (msgtime_rank(ev, i) == 0) {
			/* a hidden time against the Date field, in either direction */
			int64_t diff = date < n ? ev[i].us - ev[date].us : 0;

			if (m < n) {
				ev[i].has_step = true;
				ev[i].step_us = ev[i].us - ev[m].us;
			}
			if (ev[i].kind == MSGTIME_HIDDEN && date < n &&
			    (diff > INT64_C(1000000) * MSGTIME_SKEW_S || diff < -INT64_C(1000000) * MSGTIME_SKEW_S)) {
				ev[i].finding = MSGTIME_FAR;
				ev[i].finding_s = msgtime_secs(diff);
				ev[i].against = date;
			}
			continue;
		}
		if (m == n)
			continue;
		ev[i].has_step = true;
		ev[i].step_us = ev[i].us - ev[m].us;
		if (ev[i].step_us < -INT64_C(1000000) * MSGTIME_SKEW_S) {
			ev[i].finding = MSGTIME_OUT_OF_ORDER;
			ev[i].finding_s = msgtime_secs(ev[i].step_us);
			ev[i].against = m;
		} else {
			int64_t max = msgtime_step_max(ev[m].kind, ev[i].kind);

			if (max >= 0 && ev[i].step_us > INT64_C(1000000) * max) {
				ev[i].finding = MSGTIME_FAR;
				ev[i].finding_s = msgtime_secs(ev[i].step_us);
				ev[i].against = m;
			}
		}
	}
}

const char *
msgtime_kind_name(enum msgtime_kind k)
{
	switch (k) {
	case MSGTIME_HIDDEN: return "hidden";
	case MSGTIME_DATE: return "date";
	case MSGTIME_HOP: return "hop";
	case MSGTIME_INTERNALDATE: return "internaldate";
	case MSGTIME_FROM_LINE: return "from-line";
	case MSGTIME_CAPTURE_SENT: return "capture-sent";
	case MSGTIME_CAPTURE_FETCHED: return "capture-fetched";
	}
	return "?";
}

const char *
msgtime_finding_name(enum msgtime_finding f)
{
	switch (f) {
	case MSGTIME_OK: return "ok";
	case MSGTIME_OUT_OF_ORDER: return "out-of-order";
	case MSGTIME_FAR: return "far";
	}
	return "?";
}
