/* q_case.h - the case-level queries of the commands (verify, the run
 * summary of report/add), as cursors (store/rows.h) whose columns are
 * listed, in order, above each function. The SQL lives in q_case.c. */
#ifndef MC_Q_CASE_H
#define MC_Q_CASE_H

#include "store/rows.h"

struct casedb;

/* For verify: the evidence files that were read, with the digests recorded,
 * by id; not the entries of archives (their bytes are the archive's, and
 * artifacts). Columns: 0 abs_path, 1 md5, 2 sha1, 3 sha256. */
struct rows *q_case_evidence_hashes(struct casedb *db);

/* For verify: every stored artifact (path relative to the case) with its
 * digests, by path. Columns: 0 path, 1 sha256, 2 md5. */
struct rows *q_case_artifact_hashes(struct casedb *db);

/* For verify: every run the case database holds, by id. Columns: 0 id,
 * 1 command, 2 status (NULL: never finished; -1: marked interrupted by a
 * later run). */
struct rows *q_case_runs(struct casedb *db);

/* The number of warnings and errors in the processing log of one run
 * (parameter 1: runs.id). Columns: 0 sum(level = 'warning'), 1 sum(level =
 * 'error'). */
struct rows *q_case_log_tally(struct casedb *db);

#endif
