/* hops.h - the route a message took, read from its Received headers
 * (RFC 5321 section 4.4, RFC 5322 section 3.6.7) bottom-up (origin first)
 * and top-down (trusting the chain until its first break), plus the hop the
 * capture itself observed.
 *
 * hops_route() parses and judges the route of one message and returns it
 * as a record (mail/route.h): one hop per Received header, origin first,
 * plus the observed hop. It stores nothing and writes no prose; the driver
 * stores the record (store/db_routes.h), the report words it. Unparseable
 * headers and hit ceilings go to the processing log. The parsing itself is
 * mail/received.h, dates mail/maildate.h. */
#ifndef MC_HOPS_H
#define MC_HOPS_H

#include <stddef.h>
#include <stdint.h>

#include "mail/route.h"

struct plog;

/* All strings are borrowed for the call; NULL fields are absent. */
struct hops_input {
	const char *const *received;  /* Received values, unfolded, as they appear top-down */
	size_t nreceived;
	const char *date;             /* Date header as written, or NULL */
	const char *message_id;
	const char *return_path;      /* address only */
	const char *from;             /* address only */
	const char *x_originating_ip;
	const char *auth_results;     /* Authentication-Results, raw */
	/* The hop the capture saw (SMTP), or where the message was fetched
	 * (POP3/IMAP, obs_kind "fetched"); obs_kind NULL when none. */
	const char *obs_kind;         /* "smtp" or "fetched" */
	const char *obs_helo;
	const char *obs_client_ip;
	const char *obs_server;
	const char *obs_server_ip;
	int64_t obs_us;
	const char *const *trusted_domains; /* case setting; may be NULL */
	size_t ntrusted;
	const char *obs_protocol;     /* "ESMTP", "POP3", "IMAP"...; NULL: "SMTP" or none */
	int64_t now_us;               /* the case's "now" (hops dated later are flagged); 0: no check */
};

/* The route of one message; never NULL. source is the evidence file and
 * where the message's position ("message 3"), for log entries. Free the
 * result with hops_route_free(). */
struct route *hops_route(const struct hops_input *in, struct plog *log, const char *source, const char *where);

#endif
