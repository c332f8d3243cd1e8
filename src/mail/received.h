/* received.h - one Received header field (RFC 5321 section 4.4, RFC 5322
 * section 3.6.7) into its parts. Pure: string in, struct out; no I/O.
 *
 * The grammar is followed where MTAs follow it (from / by / via / with / id /
 * for clauses, then ";" and the date) and the dialects of real MTAs are read
 * where they do not: sendmail, Postfix, Exim, qmail, Microsoft SMTPSVC and
 * Exchange, Google, Yahoo, AOL, Outlook.com, Courier, Dovecot LMTP. */
#ifndef MC_RECEIVED_H
#define MC_RECEIVED_H

#include "mail/maildate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest value parsed; a longer one is left unparsed (the caller logs it). */
#define RECEIVED_MAX 8192

/* Every string is owned by the struct (NULL when absent); received_clear()
 * frees them. */
struct received {
	bool parsed;          /* a from or by clause, or a known MTA's own form */
	char *from_helo;      /* the name the sender gave in HELO/EHLO, as written */
	char *from_rdns;      /* the receiver's reverse-DNS name for the sender */
	char *from_ip;        /* the sender's address, normalised (inet_ntop) */
	char *by_host;
	char *by_ip;
	char *software;       /* "sendmail 8.11.6", "Postfix", "Exim 4.92"... */
	char *protocol;       /* "ESMTPS", "LMTP", "HTTP", "local"... */
	char *tls;            /* TLS details as stated */
	char *id;
	char *for_addr;
	char *envelope_from;
	char *date_raw;
	bool has_date;
	bool zone_known;      /* date_zone == MAILDATE_ZONE_KNOWN */
	enum maildate_zone date_zone;   /* MAILDATE_ZONE_NONE when undated */
	int64_t date_us;
};

/* Parses s[0..len) (borrowed; folding may remain, it is treated as white
 * space). Never fails: text that matches no form gives parsed = false. */
void received_parse(const char *s, size_t len, struct received *out);
void received_clear(struct received *r);

/* An address literal or bare address (IPv4, IPv6, "IPv6:..." tag, zone
 * "%eth0", IPv4-mapped IPv6 read as IPv4) normalised into out. */
bool received_ip_norm(const char *s, size_t n, char out[64]);

enum received_ip_class {
	RECEIVED_IP_PUBLIC,
	RECEIVED_IP_PRIVATE,    /* RFC 1918, RFC 6598, RFC 4193 */
	RECEIVED_IP_LOOPBACK,
	RECEIVED_IP_RESERVED,   /* link-local, documentation, benchmark, multicast, ... */
};
/* Class of a normalised address; RESERVED when it does not parse. */
enum received_ip_class received_ip_classify(const char *ip);

#endif
