/* rows.c - the read cursor of the case database (rows.h): one prepared
 * statement, with LIMIT and OFFSET parameters for paging and a count(*)
 * statement over the same query, prepared when first asked for. */
#include "store/casedb.h"
#include "store/rows_sql.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct row {
	sqlite3_stmt *st;
};

/* A bound parameter, kept so that the count statement gets it too. */
struct rows_param {
	bool set, text;
	int64_t i;
	char *s;
};

struct rows {
	struct casedb *db;
	char *sql;                  /* the query as given, for rows_count */
	sqlite3_stmt *st;           /* sql LIMIT :rows_limit OFFSET :rows_offset */
	sqlite3_stmt *count;        /* SELECT count(*) FROM (sql), or NULL */
	struct row row;
	struct rows_param *param;   /* the query's own parameters, 1..nparam */
	int nparam;
	int64_t offset, limit;
	bool done;                  /* stepped past the last row: do not step again */
};

static void
rows_bind_page(struct rows *c)
{
	sqlite3_reset(c->st);
	if (sqlite3_bind_int64(c->st, sqlite3_bind_parameter_index(c->st, ":rows_limit"),
	    c->limit) != SQLITE_OK ||
	    sqlite3_bind_int64(c->st, sqlite3_bind_parameter_index(c->st, ":rows_offset"),
	    c->offset) != SQLITE_OK)
		fatal("case database: cannot bind a page: %s", sqlite3_errmsg(casedb_sqlite(c->db)));
	c->done = false;
}

struct rows *
rows_open(struct casedb *db, const char *sql)
{
	struct rows *c = xcalloc(1, sizeof(*c));
	char *paged = xasprintf("%s LIMIT :rows_limit OFFSET :rows_offset", sql);

	c->db = db;
	c->sql = xstrdup(sql);
	c->st = casedb_stmt_take(db, paged);
	free(paged);
	c->row.st = c->st;
	c->nparam = sqlite3_bind_parameter_count(c->st) - 2;
	c->param = xcalloc((size_t)c->nparam + 1, sizeof(*c->param));
	c->limit = -1;
	rows_bind_page(c);
	return c;
}

bool
rows_next(struct rows *c, const struct row **r)
{
	int rc;

	if (c->done)
		return false;
	rc = sqlite3_step(c->st);
	if (rc == SQLITE_ROW) {
		*r = &c->row;
		return true;
	}
	if (rc != SQLITE_DONE)
		fatal("case database: cannot read: %s", sqlite3_errmsg(casedb_sqlite(c->db)));
	c->done = true;
	return false;
}

void
rows_page(struct rows *c, int64_t offset, int64_t limit)
{
	c->offset = offset < 0 ? 0 : offset;
	c->limit = limit < 0 ? -1 : limit;
	rows_bind_page(c);
}

static void
rows_param_apply(struct rows *c, sqlite3_stmt *st, int i)
{
	const struct rows_param *p = &c->param[i];
	int rc;

	if (!p->set)
		return;
	if (!p->text)
		rc = sqlite3_bind_int64(st, i, p->i);
	else if (p->s == NULL)
		rc = sqlite3_bind_null(st, i);
	else     /* copied: the statement never points at memory that is freed on a rebind */
		rc = sqlite3_bind_text(st, i, p->s, -1, SQLITE_TRANSIENT);
	if (rc != SQLITE_OK)
		fatal("case database: cannot bind parameter %d: %s", i,
		    sqlite3_errmsg(casedb_sqlite(c->db)));
}

static void
rows_param_set(struct rows *c, int i, bool text, int64_t v, const char *s)
{
	struct rows_param *p;

	if (i < 1 || i > c->nparam)
		fatal("case database: parameter %d of a query with %d", i, c->nparam);
	p = &c->param[i];
	free(p->s);
	p->set = true;
	p->text = text;
	p->i = v;
	p->s = s ? xstrdup(s) : NULL;
	sqlite3_reset(c->st);
	rows_param_apply(c, c->st, i);
	c->done = false;
}

void
rows_bind_int(struct rows *c, int i, int64_t v)
{
	rows_param_set(c, i, false, v, NULL);
}

void
rows_bind_text(struct rows *c, int i, const char *text)
{
	rows_param_set(c, i, true, 0, text);
}

int64_t
rows_count(struct rows *c)
{
	int64_t n = 0;
	int rc, i;

	if (c->count == NULL) {
		char *sql = xasprintf("SELECT count(*) FROM (%s)", c->sql);

		c->count = casedb_stmt_take(c->db, sql);
		free(sql);
	}
	sqlite3_reset(c->count);
	for (i = 1; i <= c->nparam; i++)
		rows_param_apply(c, c->count, i);
	rc = sqlite3_step(c->count);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int64(c->count, 0);
	else if (rc != SQLITE_DONE)
		fatal("case database: cannot count: %s", sqlite3_errmsg(casedb_sqlite(c->db)));
	sqlite3_reset(c->count);
	return n;
}

void
rows_close(struct rows *c)
{
	int i;

	if (c == NULL)
		return;
	casedb_stmt_give(c->db, c->st);
	casedb_stmt_give(c->db, c->count);
	for (i = 0; i <= c->nparam; i++)
		free(c->param[i].s);
	free(c->param);
	free(c->sql);
	free(c);
}

bool
row_null(const struct row *r, int col)
{
	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

int64_t
row_int(const struct row *r, int col)
{
	return sqlite3_column_int64(r->st, col);
}

double
row_real(const struct row *r, int col)
{
	return sqlite3_column_double(r->st, col);
}

const char *
row_text(const struct row *r, int col)
{
	return (const char *)sqlite3_column_text(r->st, col);
}

size_t
row_bytes(const struct row *r, int col)
{
	return (size_t)sqlite3_column_bytes(r->st, col);
}
