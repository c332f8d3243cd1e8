/* db_recover.h - what a run that was killed left unfinished, so that the
 * next run on the case can finish it: runs without an end, and evidence
 * committed by such a run but never hashed again after processing (each
 * evidence file is committed in its own transaction, the after-hash in a
 * later one). Strings are borrowed, valid until the next call. */
#ifndef MC_DB_RECOVER_H
#define MC_DB_RECOVER_H

#include <stddef.h>
#include <stdint.h>

#include "store/rows.h"

struct casedb;

/* The status stored for a run that ended without finishing. */
#define DB_RUN_INTERRUPTED (-1)

/* Runs other than current_run with no finish time. Columns: 0 id, 1
 * command_line, 2 started. */
struct rows *db_recover_runs(struct casedb *db, int64_t current_run);
/* Marks run id as interrupted, found so at now_us. */
void db_recover_run_end(struct casedb *db, int64_t id, int64_t now_us);
/* Runs with an id above last_logged (the last run the run log holds)
 * that have an end but no entry: the run was killed or stopped (a full
 * disk) after its end was committed and before its entry was written, so
 * it never said it was complete. Marked DB_RUN_INTERRUPTED; returns how
 * many. */
int64_t db_recover_unlogged(struct casedb *db, int64_t last_logged);
/* Evidence read in full or in part but never hashed again (entries that
 * could not be hashed when listed have nothing to compare). Columns: 0 id,
 * 1 path, 2 abs_path, 3 sha256, 4 size. */
struct rows *db_recover_unhashed(struct casedb *db);

#endif
