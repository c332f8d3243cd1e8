/* caserun.h - one recorded run on a case (report, add, render): the case
 * database opened, its SHA-256 taken before the run and after it, and the
 * run's entry appended to the chained run log (store/runlog.h).
 *
 * Before the run, case.db is hashed (after its write-ahead log is written
 * into it) and compared with the hash the last recorded run left. A
 * difference is said on stderr and kept in the run's row and entry
 * (db_before_state "unrecorded", or "interrupted" when runs the database
 * holds never finished), never passed over: the next run does not bless an
 * edit made outside mailcase. */
#ifndef MC_CASERUN_H
#define MC_CASERUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/casedb.h"

struct caserun_info {
	const char *command;        /* report, add, render */
	const char *command_line;
	const char *examiner;       /* this run's --examiner; NULL: the case's */
	const json_t *details;      /* case details this run sets, by key; borrowed, may be NULL */
	bool create;                /* report: a new case in dir */
};

struct caserun;

/* Opens the case in dir (the caller holds its lock, cli.c) and begins the
 * run. NULL with *err (free it) when the case cannot be used or written;
 * nothing is written then. */
struct caserun *caserun_begin(const char *dir, const struct caserun_info *info, char **err);
/* Borrowed; closed by caserun_end(). */
struct casedb *caserun_db(struct caserun *r);
int64_t caserun_id(const struct caserun *r);
/* Ends the run with its exit status: the row gets its end, the database is
 * closed and hashed, report/SHA256SUMS is hashed, the case's file system
 * is synced, and the entry is appended to runs.log (*logged true). Returns
 * status, or MC_EXIT_FATAL (said on stderr) when the entry cannot be
 * written. Frees r. */
int caserun_end(struct caserun *r, int status, bool *logged);

#endif
