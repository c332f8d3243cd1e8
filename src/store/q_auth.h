/* q_auth.h - the report's queries on the authenticity tables
 * (store/db_auth.h). */
#ifndef MC_Q_AUTH_H
#define MC_Q_AUTH_H

struct casedb;
struct rows;

/* ?1 message id: field_no, domain, selector, algorithm, canon, signed_headers,
 * identity, t, x, l, body_hash, result, lib_error, key name, key sha256,
 * unsigned_headers, eval_us, eval_basis, bh_computed; in field order. */
struct rows *q_auth_msg_dkim(struct casedb *db);
/* One row: messages with a signature, and how many of those have a
 * signature that passed, one altered (body or headers), none verifiable. */
struct rows *q_auth_dkim_tally(struct casedb *db);
/* result, count: signatures per result code. */
struct rows *q_auth_dkim_results(struct casedb *db);
/* ?1 message id: field, field_no, instance, authserv_id, method, result,
 * reason, props, err; in the order the fields are written. */
struct rows *q_auth_msg_results(struct casedb *db);
/* ?1 message id: field, value, rule, clock, time_us, ipv4; the message's
 * date_us, date_raw and ts_us (capture time); Message-ID first, then the
 * boundaries in part order. */
struct rows *q_auth_msg_hidden(struct casedb *db);

#endif
