/* route.h - the record of one message's route, and the thresholds that
 * judge it. mail/hops.c fills it (hops_route), store/db_routes.c stores and
 * reads it back, report/model_route.c words it in the report's language.
 * Everything here is codes and numbers: no sentence is built before the
 * report.
 *
 * Ownership: a struct route and everything it points to belong to it;
 * hops_route_free() frees it all. */
#ifndef MC_ROUTE_H
#define MC_ROUTE_H

#include "mail/maildate.h"
#include "mail/received.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ceilings and tolerances of the analysis, also quoted by the report. */
#define HOPS_MAX 100                 /* Received headers read per message (the newest) */
#define HOPS_SKEW_S 300              /* clock difference between servers tolerated */
#define HOPS_DELAY_MAX_S (12 * 3600) /* a longer hop-to-hop delay is implausible */
#define HOPS_DATE_FAR_S 3600         /* Date header this far from the origin hop is flagged */
#define HOPS_OBS_NEAR_S 300          /* Date within this of the capture time is consistent */

/* Per-hop findings, one bit each; route_hop_flag_name() gives the stored
 * code. The bit order is the order codes are listed in. */
enum route_hop_flag {
	ROUTE_HOP_UNPARSEABLE = 1u << 0,       /* matches no known Received form */
	ROUTE_HOP_FUTURE = 1u << 1,            /* dated after the case's "now" plus HOPS_SKEW_S */
	ROUTE_HOP_HELO_MISMATCH = 1u << 2,     /* HELO name is not the reverse-DNS name */
	ROUTE_HOP_TIME_BACKWARDS = 1u << 3,    /* later than the hop above it by over HOPS_SKEW_S */
	ROUTE_HOP_IMPLAUSIBLE_DELAY = 1u << 4, /* over HOPS_DELAY_MAX_S before the hop above it */
	ROUTE_HOP_BROKEN_CHAIN = 1u << 5,      /* its receiver is not the next hop's sender */
	ROUTE_HOP_PRIVATE_IP = 1u << 6,        /* private sender between public hops */
	ROUTE_HOP_DATE_FAR = 1u << 7,          /* observed hop: Date over HOPS_OBS_NEAR_S away */
	ROUTE_HOP_ZONE_UNKNOWN = 1u << 8,      /* its date names a zone maildate does not know */
};
#define ROUTE_HOP_FLAGS 9

/* Message-level findings. */
enum route_flag {
	ROUTE_NO_TRUSTED_HOP = 1u << 0,        /* no hop received by a trusted domain of the case */
	ROUTE_DATE_FAR = 1u << 1,              /* Date over HOPS_DATE_FAR_S from the origin hop */
	ROUTE_OBS_DATE_CONSISTENT = 1u << 2,   /* Date within HOPS_OBS_NEAR_S of the capture */
	ROUTE_OBS_DATE_FAR = 1u << 3,
	ROUTE_OBS_SENDER_MISMATCH = 1u << 4,   /* newest Received names another client than seen */
	ROUTE_DOMAINS_DIFFER = 1u << 5,        /* Message-ID, From, Return-Path domains disagree */
	ROUTE_DATE_ZONE_UNKNOWN = 1u << 6,     /* the Date header names an unknown zone */
};
#define ROUTE_FLAGS 7

enum route_trust { ROUTE_TRUST_UNVERIFIABLE, ROUTE_TRUST_ORIGIN, ROUTE_TRUST_TRUSTED };

/* The one-line judgement, as a code ("no-hops", "unreadable", "observed",
 * "chain-holds", "forged"); the report words it. */
enum route_verdict {
	ROUTE_VERDICT_NO_HOPS,     /* no Received header and no observed hop */
	ROUTE_VERDICT_UNREADABLE,  /* the origin hop names no host or address */
	ROUTE_VERDICT_OBSERVED,    /* the origin is the hop the capture saw */
	ROUTE_VERDICT_HOLDS,       /* every hop links to the next */
	ROUTE_VERDICT_FORGED,      /* hops below the origin look forged */
};

enum route_obs { ROUTE_OBS_NONE, ROUTE_OBS_SMTP, ROUTE_OBS_FETCHED };

struct route_hop {
	struct received r;         /* parsed fields; for the observed hop, the session's */
	char *raw;                 /* the Received value as written; NULL for the observed hop */
	size_t header_no;          /* position of the Received field, 1 = top; 0 observed */
	bool observed;
	bool has_delay;
	int64_t delay_s;           /* this hop's time minus the previous (lower) hop's */
	unsigned flags;            /* enum route_hop_flag */
	enum route_trust trust;
};

struct route {
	struct route_hop *hops;    /* origin side first */
	size_t nhops;              /* Received hops plus the observed one */
	size_t nreceived;          /* Received fields analysed */
	size_t skipped;            /* older Received fields left out (HOPS_MAX) */
	enum route_obs obs;        /* what the observed hop (the last) is */
	enum route_verdict verdict;
	size_t origin;             /* index of the origin hop; valid when nhops > 0 */
	size_t forged;             /* hops below the origin */
	char *origin_host, *origin_ip;
	unsigned flags;            /* enum route_flag */
	bool has_date;             /* the Date header, parsed by maildate */
	int64_t date_us;
	enum maildate_zone date_zone;
	bool has_date_delta;
	int64_t date_delta_s;      /* Date minus the origin hop's time */
	bool has_obs_delta;
	int64_t obs_delta_s;       /* capture time minus Date */
	char *x_originating_ip, *auth, *mid_domain, *from_domain, *rp_domain;
};

void hops_route_free(struct route *r);

/* Stable codes, as stored in the case database. A name of a single bit
 * (route_hop_flag_name(ROUTE_HOP_FUTURE) is "future"); NULL for none. */
const char *route_hop_flag_name(unsigned bit);
const char *route_flag_name(unsigned bit);
const char *route_trust_name(enum route_trust t);
const char *route_verdict_name(enum route_verdict v);
const char *route_obs_name(enum route_obs o);   /* NULL for ROUTE_OBS_NONE */

/* Bits as a comma-separated list of codes ("broken-chain,private-ip"), in
 * bit order; NULL when no bit is set. free() the result. */
char *route_hop_flags_list(unsigned bits);
char *route_flags_list(unsigned bits);

/* Codes back to values, for reading a stored route; unknown codes are
 * left out of the bits, and the default (first) value is returned. */
unsigned route_hop_flags_parse(const char *list);   /* "a,b" */
unsigned route_flags_parse(const char *list);
enum route_trust route_trust_parse(const char *s);
enum route_verdict route_verdict_parse(const char *s);
enum route_obs route_obs_parse(const char *s);

#endif
