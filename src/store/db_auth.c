/* db_auth.c - rows of the dkim_keys, dkim_signatures and hidden_times tables. */
#include "store/db_auth.h"
#include "auth/dkim.h"
#include "auth/authres.h"
#include "auth/hidden.h"
#include "auth/dkimkeys.h"
#include "store/casedb.h"

#include <stdlib.h>

int64_t
db_auth_key_add(struct casedb *db, const struct dkimkey *k, const char *source, int64_t run_id)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT OR IGNORE INTO dkim_keys (name, record, sha256, source, line, run_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	int64_t id = 0;

	casedb_bind_text(st, 1, k->name);
	casedb_bind_text(st, 2, k->record);
	casedb_bind_text(st, 3, k->sha256);
	casedb_bind_text(st, 4, source);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)k->line);
	if (run_id)
		sqlite3_bind_int64(st, 6, run_id);
	casedb_step_done(db, st);
	st = casedb_stmt(db, "SELECT id FROM dkim_keys WHERE name = ?1 AND sha256 = ?2");
	casedb_bind_text(st, 1, k->name);
	casedb_bind_text(st, 2, k->sha256);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

void
db_auth_keys_load(struct casedb *db, struct dkimkeys *ks)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "SELECT id, name, record, line FROM dkim_keys ORDER BY id");

	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *rec = (const char *)sqlite3_column_text(st, 2);
		struct dkimkey *k = dkimkeys_add(ks, name ? name : "", rec ? rec : "",
		    (size_t)sqlite3_column_int64(st, 3));

		k->id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
}

void
db_auth_sig_add(struct casedb *db, int64_t message_id, const struct dkimsig *s,
    int64_t eval_us, const char *eval_basis)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO dkim_signatures (message_id, field_no, domain, selector, algorithm, canon,"
	    " signed_headers, identity, t, x, l, body_hash, bh_computed, result, lib_error, key_id,"
	    " unsigned_headers, eval_us, eval_basis) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)");

	sqlite3_bind_int64(st, 1, message_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)s->field_no);
	casedb_bind_text(st, 3, s->domain);
	casedb_bind_text(st, 4, s->selector);
	casedb_bind_text(st, 5, s->algorithm);
	casedb_bind_text(st, 6, s->canon);
	casedb_bind_text(st, 7, s->headers);
	casedb_bind_text(st, 8, s->identity);
	if (s->has_t)
		sqlite3_bind_int64(st, 9, s->t);
	if (s->has_x)
		sqlite3_bind_int64(st, 10, s->x);
	if (s->has_l)
		sqlite3_bind_int64(st, 11, s->l);
	casedb_bind_text(st, 12, dkimsig_bh_name(s->body));
	casedb_bind_text(st, 13, s->bh_computed);
	casedb_bind_text(st, 14, dkimsig_code_name(s->code));
	casedb_bind_text(st, 15, s->lib_error);
	if (s->key != NULL && s->key->id)
		sqlite3_bind_int64(st, 16, s->key->id);
	casedb_bind_text(st, 17, s->unsigned_headers);
	if (eval_us)
		sqlite3_bind_int64(st, 18, eval_us);
	casedb_bind_text(st, 19, eval_basis);
	casedb_step_done(db, st);
}

void
db_auth_hidden_add(struct casedb *db, int64_t message_id, const char *field, const char *value,
    const struct hidden_stamp *h)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO hidden_times (message_id, field, value, rule, clock, time_us, ipv4)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	sqlite3_bind_int64(st, 1, message_id);
	casedb_bind_text(st, 2, field);
	casedb_bind_text(st, 3, value);
	casedb_bind_text(st, 4, h->rule);
	casedb_bind_text(st, 5, hidden_clock_name(h->clock));
	sqlite3_bind_int64(st, 6, h->us);
	casedb_bind_text(st, 7, h->ipv4[0] ? h->ipv4 : NULL);
	casedb_step_done(db, st);
}

void
db_auth_results_add(struct casedb *db, int64_t message_id, size_t field_no, const struct authres *a)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO auth_results (message_id, field, field_no, instance, authserv_id, method,"
	    " result, reason, props, err) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
	size_t i = 0;

	do {
		const struct authres_method *m = i < a->n ? &a->m[i] : NULL;

		sqlite3_bind_int64(st, 1, message_id);
		casedb_bind_text(st, 2, authres_field_name(a->field));
		sqlite3_bind_int64(st, 3, (sqlite3_int64)field_no);
		if (a->field == AUTHRES_ARC_AR)
			sqlite3_bind_int64(st, 4, (sqlite3_int64)a->instance);
		else
			sqlite3_bind_null(st, 4);
		casedb_bind_text(st, 5, a->authserv_id);
		casedb_bind_text(st, 6, m ? m->method : NULL);
		casedb_bind_text(st, 7, m ? m->result : a->none ? "none" : NULL);
		casedb_bind_text(st, 8, m ? m->reason : NULL);
		casedb_bind_text(st, 9, m ? m->props : NULL);
		casedb_bind_text(st, 10, a->capped ? "more results than the ceiling; the rest unread" : a->err);
		casedb_step_done(db, st);
	} while (++i < a->n);
}
