/* db_auth.h - the authenticity tables: dkim_keys, dkim_signatures and
 * hidden_times (schema in store/schema.c, columns in docs/case-database.md). Written
 * by the driver from the records of auth/dkim.c; the keys come from the
 * examiner's key files and are read back for every run, so keys given once
 * serve every later `add`.
 *
 * Write failures are fatal (casedb.h). Strings are borrowed. */
#ifndef MC_DB_AUTH_H
#define MC_DB_AUTH_H

#include <stddef.h>
#include <stdint.h>

struct casedb;
struct dkimkey;
struct dkimkeys;
struct dkimsig;
struct hidden_stamp;
struct authres;

/* Stores a key (once per name and SHA-256) and returns its row id. source
 * is the key file as given, line its line. */
int64_t db_auth_key_add(struct casedb *db, const struct dkimkey *k, const char *source,
    int64_t run_id);
/* Every stored key into ks, oldest first, with its row id set. */
void db_auth_keys_load(struct casedb *db, struct dkimkeys *ks);
/* One dkim_signatures row. eval_basis: "capture", "received", "date" or "none". */
void db_auth_sig_add(struct casedb *db, int64_t message_id, const struct dkimsig *s,
    int64_t eval_us, const char *eval_basis);
/* The auth_results rows of one field (auth/authres.h): one per method
 * result, or one with no method when it names none or none could be read.
 * field_no: its place among the message's fields of that name, 1 = top. */
void db_auth_results_add(struct casedb *db, int64_t message_id, size_t field_no,
    const struct authres *a);
/* One hidden_times row: a value auth/hidden.c decoded from field ("message-id"
 * or "boundary") written as value. */
void db_auth_hidden_add(struct casedb *db, int64_t message_id, const char *field,
    const char *value, const struct hidden_stamp *h);

#endif
