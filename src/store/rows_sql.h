/* rows_sql.h - private to src/store: opens a struct rows (rows.h) over one
 * SQL statement. Only the store's query modules (q_*.c) call it, so that
 * the SQL text stays in src/store. */
#ifndef MC_ROWS_SQL_H
#define MC_ROWS_SQL_H

#include "store/rows.h"

/* sql is one SELECT with '?' parameters, ending without LIMIT (rows_page
 * adds it); it is copied. Fatal when it does not prepare. */
struct rows *rows_open(struct casedb *db, const char *sql);

#endif
