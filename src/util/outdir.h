/* outdir.h - the rule for every folder mailcase writes into (a case, a
 * diff, a streams export): it must not exist yet, or be empty, so that
 * nothing already there is ever overwritten. */
#ifndef MC_OUTDIR_H
#define MC_OUTDIR_H

#include <stdbool.h>

/* True when dir does not exist or is an empty folder. */
bool outdir_usable(const char *dir);

/* Makes the names in dir durable (fsync(2) of the folder): a file renamed
 * into place is only sure to be there after a power cut once its folder
 * is synced. False with errno set. */
bool outdir_sync(const char *dir) __attribute__((warn_unused_result));

/* Writes everything of the file system holding dir to disk (syncfs(2)):
 * once before a run says it is complete, rather than once per file. False
 * with errno set. */
bool outdir_sync_all(const char *dir) __attribute__((warn_unused_result));

#endif
