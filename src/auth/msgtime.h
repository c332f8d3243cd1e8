/* msgtime.h - one message's clocks judged against each other: the times
 * hidden in its Message-ID and boundaries and its Date field (written when
 * it was composed), each Received hop origin first, where it was stored
 * (IMAP INTERNALDATE, the mbox "From " line) and when a capture saw it.
 * Each must come after those before it in that order; a value earlier than
 * one it must follow, or far after the one before it, is a finding with the
 * difference in seconds.
 *
 * msgtime_judge() is pure: events in, their judgement written into them;
 * the report words it. The thresholds are the route's (mail/route.h).
 *
 * Ownership: the caller's array; nothing is allocated. */
#ifndef MC_AUTH_MSGTIME_H
#define MC_AUTH_MSGTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In the order the events must have happened. */
enum msgtime_kind {
	MSGTIME_HIDDEN,          /* a time hidden in the Message-ID or a boundary (auth/hidden.h) */
	MSGTIME_DATE,            /* the Date field (RFC 5322 section 3.6.1: when it was composed) */
	MSGTIME_HOP,             /* a Received field, origin first */
	MSGTIME_INTERNALDATE,    /* IMAP INTERNALDATE (RFC 3501 section 2.3.3: when it was stored) */
	MSGTIME_FROM_LINE,       /* the mbox "From " line (RFC 4155: when it was delivered) */
	MSGTIME_CAPTURE_SENT,    /* the capture saw it being sent (SMTP) */
	MSGTIME_CAPTURE_FETCHED, /* the capture saw it being fetched (POP3, IMAP): any time later */
};

enum msgtime_finding {
	MSGTIME_OK,
	MSGTIME_OUT_OF_ORDER,    /* earlier than an event it must follow, by over MSGTIME_SKEW_S */
	MSGTIME_FAR,             /* later than the event before it by more than that step allows */
};

/* Clocks of different machines are allowed this much disagreement
 * (HOPS_SKEW_S). */
#define MSGTIME_SKEW_S 300

struct msgtime_event {
	enum msgtime_kind kind;
	int64_t us;              /* UTC */
	bool judged;             /* false: listed, not judged (a local time in no known zone) */
	/* written by msgtime_judge() */
	bool has_step;
	int64_t step_us;         /* this minus the judged event before it */
	enum msgtime_finding finding;
	int64_t finding_s;       /* the difference the finding is about, signed (this minus other) */
	size_t against;          /* index of the other event */
};

/* Judges ev[0..n), which the caller gives in the order of enum
 * msgtime_kind (hops origin first). */
void msgtime_judge(struct msgtime_event *ev, size_t n);

const char *msgtime_kind_name(enum msgtime_kind k);      /* "hidden", "date", "hop", ... */
const char *msgtime_finding_name(enum msgtime_finding f); /* "ok", "out-of-order", "far" */

#endif
