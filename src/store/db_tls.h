/* db_tls.h - the tls and tls_certs tables (schema in store/schema.c): what
 * the TLS handshake of a mail session showed (mail/tls.h) and the server's
 * certificates. Written by the driver (ingest.c) from the record the
 * session hands its sink, read by report/model_sessions.c.
 *
 * Write failures are fatal (casedb.h). Strings are borrowed; NULL is stored
 * as NULL, and so is a version or cipher of 0. */
#ifndef MC_DB_TLS_H
#define MC_DB_TLS_H

#include <stdbool.h>
#include <stdint.h>

struct casedb;

struct db_tls {
	int64_t session_id;
	int64_t record_version, client_version, server_version, version;   /* 0x0303 ... */
	const char *offered_versions;   /* "0x0304,0x0303" */
	const char *sni, *alpn_offered, *alpn;
	const char *ciphers;            /* offered, "0x1301,0xc02f" */
	int64_t cipher;                 /* chosen; -1 when no ServerHello was seen */
	const char *ja3, *ja3_md5, *ja3s, *ja3s_md5, *ja4;
	bool certs_hidden;              /* TLS 1.3: the chain is encrypted */
	bool hrr;                       /* a HelloRetryRequest was sent */
	int64_t hrr_group;              /* the group it asked for; 0: not said */
	const char *ja4_retry;          /* JA4 of the ClientHello after it */
	int64_t certs;                  /* certificates in tls_certs */
};

struct db_tls_cert {
	int64_t tls_id;
	int64_t idx;                    /* 0: the server's own, then its issuers as sent */
	const char *sha256;             /* of the DER (the artifact) */
	int64_t size;
	bool parsed;
	const char *subject, *issuer, *not_before, *not_after, *serial, *san;
};

/* Inserts a row and returns its id. */
int64_t db_tls_add(struct casedb *db, const struct db_tls *t);
int64_t db_tls_cert_add(struct casedb *db, const struct db_tls_cert *c);

#endif
