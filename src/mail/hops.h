/* hops.h - the route a message took, read from its Received headers
 * (RFC 5321 section 4.4, RFC 5322 section 3.6.7) bottom-up (origin first)
 * and top-down (trusting the chain until its first break), plus the hop the
 * capture itself observed.
 *
 * hops_analyze() parses, analyses and stores the route of one message in the
 * hops and routes tables (one hops row per Received header, origin first,
 * plus the observed hop; one routes row). Unparseable headers and hit
 * ceilings go to ctx->log. All inputs are borrowed; NULL fields are absent.
 * The parsing itself is mail/received.h, dates mail/maildate.h. */
#ifndef MC_HOPS_H
#define MC_HOPS_H

#include <stddef.h>
#include <stdint.h>

struct ingest_ctx;

/* Ceilings and tolerances of the analysis. */
#define HOPS_MAX 100                 /* Received headers read per message (the newest) */
#define HOPS_SKEW_S 300              /* clock difference between servers tolerated */
#define HOPS_DELAY_MAX_S (12 * 3600) /* a longer hop-to-hop delay is implausible */
#define HOPS_DATE_FAR_S 3600         /* Date header this far from the origin hop is flagged */
#define HOPS_OBS_NEAR_S 300          /* Date within this of the capture time is consistent */

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
};

void hops_analyze(struct ingest_ctx *ctx, int64_t message_id, const struct hops_input *in);

#endif
