/* db_tls.c - rows of the tls and tls_certs tables. */
#include "store/db_tls.h"

#include "store/casedb.h"

static void
bind_opt(sqlite3_stmt *st, int i, int64_t v, bool set)
{
	if (set)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int64_t
db_tls_add(struct casedb *db, const struct db_tls *t)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO tls (session_id, record_version, client_version, server_version, version,"
	    " offered_versions, sni, alpn_offered, alpn, ciphers, cipher, ja3, ja3_md5, ja3s,"
	    " ja3s_md5, ja4, certs_hidden, certs, hrr, hrr_group, ja4_retry)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
	    " ?19, ?20, ?21)");

	sqlite3_bind_int64(st, 1, t->session_id);
	bind_opt(st, 2, t->record_version, t->record_version != 0);
	bind_opt(st, 3, t->client_version, t->client_version != 0);
	bind_opt(st, 4, t->server_version, t->server_version != 0);
	bind_opt(st, 5, t->version, t->version != 0);
	casedb_bind_text(st, 6, t->offered_versions);
	casedb_bind_text(st, 7, t->sni);
	casedb_bind_text(st, 8, t->alpn_offered);
	casedb_bind_text(st, 9, t->alpn);
	casedb_bind_text(st, 10, t->ciphers);
	bind_opt(st, 11, t->cipher, t->cipher >= 0);
	casedb_bind_text(st, 12, t->ja3);
	casedb_bind_text(st, 13, t->ja3_md5);
	casedb_bind_text(st, 14, t->ja3s);
	casedb_bind_text(st, 15, t->ja3s_md5);
	casedb_bind_text(st, 16, t->ja4);
	sqlite3_bind_int(st, 17, t->certs_hidden);
	sqlite3_bind_int64(st, 18, t->certs);
	sqlite3_bind_int(st, 19, t->hrr);
	bind_opt(st, 20, t->hrr_group, t->hrr_group != 0);
	casedb_bind_text(st, 21, t->ja4_retry);
	casedb_step_done(db, st);
	return casedb_last_id(db);
}

int64_t
db_tls_cert_add(struct casedb *db, const struct db_tls_cert *c)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO tls_certs (tls_id, idx, sha256, size, parsed, subject, issuer, not_before,"
	    " not_after, serial, san) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");

	sqlite3_bind_int64(st, 1, c->tls_id);
	sqlite3_bind_int64(st, 2, c->idx);
	casedb_bind_text(st, 3, c->sha256);
	sqlite3_bind_int64(st, 4, c->size);
	sqlite3_bind_int(st, 5, c->parsed);
	casedb_bind_text(st, 6, c->subject);
	casedb_bind_text(st, 7, c->issuer);
	casedb_bind_text(st, 8, c->not_before);
	casedb_bind_text(st, 9, c->not_after);
	casedb_bind_text(st, 10, c->serial);
	casedb_bind_text(st, 11, c->san);
	casedb_step_done(db, st);
	return casedb_last_id(db);
}
