/* rows.h - reading the case database: a cursor over the rows of one query.
 *
 * Every SELECT of the report, the diff, verify and the commands lives in
 * src/store/ (q_report.h, q_diff.h, q_verify.h); each named query returns a
 * struct rows, and its header lists the columns in order. The reader walks
 * the cursor and takes each column as text or integer; nothing outside
 * src/store sees SQLite.
 *
 *     struct rows *c = q_evidence(db);
 *     const struct row *r;
 *     while (rows_next(c, &r))
 *             use(row_int(r, 0), row_text(r, 1));
 *     rows_close(c);
 *
 * Ownership: the cursor belongs to the caller (rows_close). A row and every
 * string taken from it are borrowed: valid until the next rows_next,
 * rows_page, rows_bind_*, rows_count or rows_close on that cursor.
 *
 * Paging (for reports whose memory must not depend on the case size):
 * rows_page(c, offset, limit) restarts the query at row offset and stops
 * after limit rows; rows_count(c) counts the rows the whole query yields
 * (with the bound parameters, ignoring the page) without reading them.
 * Reading pages of n rows in turn gives exactly the rows of one full read,
 * in the same order, as long as the query has an ORDER BY (they all do).
 *
 * Read failures of the case database end the run (casedb.h, STYLE.md
 * principle 8). */
#ifndef MC_ROWS_H
#define MC_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct casedb;
struct rows;
struct row;

/* Steps to the next row: true with *r set, false at the end of the query
 * (or of the page). */
bool rows_next(struct rows *c, const struct row **r);
/* Restarts the query at row offset (0 for the first), yielding at most
 * limit rows (limit < 0: all the rest). */
void rows_page(struct rows *c, int64_t offset, int64_t limit);
/* Binds the query's parameter i (1 for the first '?') and restarts it from
 * its first row (the page is kept). text is copied; NULL binds NULL. */
void rows_bind_int(struct rows *c, int i, int64_t v);
void rows_bind_text(struct rows *c, int i, const char *text);
/* How many rows the whole query yields with the current parameters. */
int64_t rows_count(struct rows *c);
void rows_close(struct rows *c);

/* Column col (0 for the first) of a row. */
bool row_null(const struct row *r, int col);
/* The integer value; 0 for NULL (as SQLite converts). */
int64_t row_int(const struct row *r, int col);
/* The floating-point value; 0 for NULL. */
double row_real(const struct row *r, int col);
/* The value as NUL-terminated text (integers written out), or NULL for
 * NULL. The text may hold further NUL bytes: row_bytes() says how long it
 * is. Borrowed (see above). */
const char *row_text(const struct row *r, int col);
/* The length in bytes of row_text() (0 for NULL). Call it after
 * row_text(). */
size_t row_bytes(const struct row *r, int col);

#endif
