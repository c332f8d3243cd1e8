/* Unit tests of auth/msgtime.c: one message's clocks in causal order
 * (composition, hops origin first, storage, capture), each finding with its
 * difference in seconds and the event it is judged against. */
#include "check.h"
#include "auth/msgtime.h"

#define S INT64_C(1000000)
/* 2003-07-01T01:52:37Z: "Tue, 1 Jul 2003 10:52:37 +0900" */
#define T0 INT64_C(1057024357000000)

static struct msgtime_event
ev(enum msgtime_kind k, int64_t us)
{
	struct msgtime_event e = { .kind = k, .us = us, .judged = true };

	return e;
}

/* A Date in KST and an origin hop written in UTC three seconds later are
 * one clock: no finding, a step of +3 s. */
TEST(kst_date_utc_hop_agree)
{
	struct msgtime_event e[] = { ev(MSGTIME_DATE, T0), ev(MSGTIME_HOP, T0 + 3 * S),
	    ev(MSGTIME_HOP, T0 + 5 * S) };

	msgtime_judge(e, 3);
	CHECK(!e[0].has_step);
	CHECK_INT(e[0].finding, MSGTIME_OK);
	CHECK(e[1].has_step);
	CHECK_INT(e[1].step_us, 3 * S);
	CHECK_INT(e[1].finding, MSGTIME_OK);
	CHECK_INT(e[2].step_us, 2 * S);
	CHECK_INT(e[2].finding, MSGTIME_OK);
}

/* A Date hours off the Received chain: three hours before the origin hop
 * is far (+10800 s), three hours after it puts the hop out of order. */
TEST(date_hours_off_the_chain)
{
	struct msgtime_event e[] = { ev(MSGTIME_DATE, T0), ev(MSGTIME_HOP, T0 + 10800 * S),
	    ev(MSGTIME_HOP, T0 + 10802 * S) };
	struct msgtime_event f[] = { ev(MSGTIME_DATE, T0 + 10800 * S), ev(MSGTIME_HOP, T0),
	    ev(MSGTIME_HOP, T0 + 2 * S) };

	msgtime_judge(e, 3);
	CHECK_INT(e[1].finding, MSGTIME_FAR);
	CHECK_INT(e[1].finding_s, 10800);
	CHECK_INT(e[1].against, 0);
	CHECK_INT(e[2].finding, MSGTIME_OK);
	msgtime_judge(f, 3);
	CHECK_INT(f[1].finding, MSGTIME_OUT_OF_ORDER);
	CHECK_INT(f[1].finding_s, -10800);
	CHECK_INT(f[1].against, 0);
	/* the next hop is still before the Date: out of order too */
	CHECK_INT(f[2].finding, MSGTIME_OUT_OF_ORDER);
	CHECK_INT(f[2].finding_s, -10798);
	CHECK_STR(msgtime_finding_name(f[2].finding), "out-of-order");
	/* within the tolerated skew (300 s) nothing is said */
	f[0].us = T0 + 300 * S;
	msgtime_judge(f, 3);
	CHECK_INT(f[1].finding, MSGTIME_OK);
	f[0].us = T0 + 301 * S;
	msgtime_judge(f, 3);
	CHECK_INT(f[1].finding, MSGTIME_OUT_OF_ORDER);
	CHECK_INT(f[1].finding_s, -301);
}

/* Hidden times against the Date field, in either order in the array. */
TEST(hidden_against_date)
{
	/* evidence02 message 1: the Message-ID 1.916 s after the Date */
	struct msgtime_event e[] = { ev(MSGTIME_HIDDEN, T0 + 1916000), ev(MSGTIME_DATE, T0),
	    ev(MSGTIME_CAPTURE_SENT, T0 + 1924599) };
	struct msgtime_event f[] = { ev(MSGTIME_HIDDEN, T0 - 3600 * S), ev(MSGTIME_DATE, T0) };

	msgtime_judge(e, 3);
	CHECK_INT(e[0].finding, MSGTIME_OK);
	CHECK_INT(e[1].finding, MSGTIME_OK);
	CHECK_INT(e[1].step_us, -1916000);
	CHECK_INT(e[2].finding, MSGTIME_OK);
	CHECK_INT(e[2].step_us, 8599);             /* after the latest composition time */
	CHECK_INT(e[2].against, 2);
	msgtime_judge(f, 2);
	CHECK_INT(f[0].finding, MSGTIME_FAR);
	CHECK_INT(f[0].finding_s, -3600);
	CHECK_INT(f[0].against, 1);
	CHECK_INT(f[1].finding, MSGTIME_OK);
}

TEST(hops_storage_capture)
{
	struct msgtime_event e[] = { ev(MSGTIME_DATE, T0), ev(MSGTIME_HOP, T0 + 10 * S),
	    ev(MSGTIME_HOP, T0 - 590 * S), ev(MSGTIME_HOP, T0 + 20 * S + 13 * 3600 * S),
	    ev(MSGTIME_INTERNALDATE, T0 + 30 * S + 13 * 3600 * S),
	    ev(MSGTIME_CAPTURE_FETCHED, T0 + 30 * 86400 * S) };
	struct msgtime_event g[] = { ev(MSGTIME_DATE, T0), ev(MSGTIME_CAPTURE_SENT, T0 + 7200 * S) };

	msgtime_judge(e, 6);
	CHECK_INT(e[1].finding, MSGTIME_OK);
	CHECK_INT(e[2].finding, MSGTIME_OUT_OF_ORDER);   /* 600 s before the hop below it */
	CHECK_INT(e[2].finding_s, -600);
	CHECK_INT(e[2].against, 1);
	CHECK_INT(e[3].finding, MSGTIME_FAR);            /* 13 h after the latest hop before it */
	CHECK_INT(e[3].finding_s, 10 + 13 * 3600);
	CHECK_INT(e[3].against, 1);
	CHECK_INT(e[4].finding, MSGTIME_OK);
	CHECK_INT(e[5].finding, MSGTIME_OK);             /* fetched a month later: plausible */
	CHECK_INT(e[5].step_us, 30 * 86400 * S - 30 * S - 13 * 3600 * S);
	msgtime_judge(g, 2);
	CHECK_INT(g[1].finding, MSGTIME_FAR);            /* sent two hours after its Date */
	CHECK_INT(g[1].finding_s, 7200);
	CHECK_STR(msgtime_kind_name(g[1].kind), "capture-sent");
}

TEST(unjudged_left_out)
{
	struct msgtime_event e[] = { ev(MSGTIME_HIDDEN, T0 - 86400 * S), ev(MSGTIME_DATE, T0),
	    ev(MSGTIME_HOP, T0 + 5 * S) };

	e[0].judged = false;
	msgtime_judge(e, 3);
	CHECK_INT(e[0].finding, MSGTIME_OK);
	CHECK(!e[0].has_step);
	CHECK_INT(e[2].step_us, 5 * S);
	msgtime_judge(e, 0);
}

int
main(void)
{
	RUN(kst_date_utc_hop_agree);
	RUN(date_hours_off_the_chain);
	RUN(hidden_against_date);
	RUN(hops_storage_capture);
	RUN(unjudged_left_out);
	return check_done();
}
