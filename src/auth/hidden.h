/* hidden.h - times and addresses that mail software writes, without saying
 * so, into the Message-IDs (RFC 5322 section 3.6.4) and MIME boundaries
 * (RFC 2046 section 5.1.1) it makes. Each rule is one program's documented
 * or observed layout; docs/hidden-timestamps.md lists every rule with its
 * source and an example.
 *
 * hidden_decode() is pure: a string in, records out; it stores nothing and
 * formats no prose. A value is a decode only when it falls inside the
 * plausibility bounds (HIDDEN_MIN_US .. now + HIDDEN_AHEAD_US): a string
 * that merely has the right shape but an impossible time gives nothing.
 *
 * Ownership: the records are the caller's array; rule names are static
 * strings; the input is borrowed and need not end with a NUL. */
#ifndef MC_AUTH_HIDDEN_H
#define MC_AUTH_HIDDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 5322 section 2.1.1: a line is at most 998 characters; a longer
 * Message-ID or boundary is not one of these programs' and is not read. */
#define HIDDEN_INPUT_MAX 998
/* Records one string can give (a rule gives one). */
#define HIDDEN_MAX 2
/* 1995-01-01T00:00:00Z: none of these programs wrote mail before. */
#define HIDDEN_MIN_US INT64_C(788918400000000)
/* A year past the run's "now". */
#define HIDDEN_AHEAD_US (INT64_C(366) * 86400 * 1000000)

enum hidden_field { HIDDEN_MESSAGE_ID, HIDDEN_BOUNDARY };

/* How the time was written: an instant in UTC, or the writer's wall clock
 * in a zone the string does not name. */
enum hidden_clock { HIDDEN_UTC, HIDDEN_LOCAL };

struct hidden_stamp {
	const char *rule;          /* "outlook-msgid", ... (docs/hidden-timestamps.md) */
	enum hidden_clock clock;
	/* HIDDEN_UTC: microseconds since the epoch. HIDDEN_LOCAL: the wall
	 * clock as written, counted as if it were UTC (so that subtracting a
	 * UTC instant gives the writer's offset from UTC). */
	int64_t us;
	char ipv4[16];             /* the address written with the time, "192.168.1.159"; "" when none */
};

/* The records of s[0..len) read as a field's value (a Message-ID with or
 * without its angle brackets, or a boundary parameter without quotes),
 * judged against now_us. Returns how many were written to out (at most
 * HIDDEN_MAX). */
size_t hidden_decode(enum hidden_field f, const char *s, size_t len, int64_t now_us,
    struct hidden_stamp out[HIDDEN_MAX]);

/* "message-id", "boundary"; "utc", "local". */
const char *hidden_field_name(enum hidden_field f);
const char *hidden_clock_name(enum hidden_clock c);

#endif
