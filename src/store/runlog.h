/* runlog.h - the case's run log, CASE/runs.log: one JSON object per line
 * (JSON Lines), appended once at the end of every run that may write to the
 * case (report, add, render), after the case database is closed.
 *
 * The log sits beside case.db rather than in it so that an entry can hold
 * the SHA-256 of the database as the run left it: a row in the database
 * could not hold the hash of the file it is stored in. Each entry holds the
 * hash of the one before ("prev") and its own ("hash": SHA-256 of the entry
 * without "hash", as compact JSON with sorted keys), so an entry edited,
 * removed or reordered breaks the chain. Entry fields are listed in
 * docs/case-database.md. */
#ifndef MC_RUNLOG_H
#define MC_RUNLOG_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define RUNLOG_NAME "runs.log"
/* Ceilings of what is read: a run log grows by well under 4 KiB a run. */
#define RUNLOG_FILE_MAX (64u << 20)
#define RUNLOG_LINE_MAX (1u << 20)

struct runlog;

/* Reads dir/runs.log and checks its chain. An absent file is an empty log
 * (runlog_exists() false). NULL with *err (free it) only when the file
 * exists and cannot be read, or is over RUNLOG_FILE_MAX. */
struct runlog *runlog_read(const char *dir, char **err);
void runlog_free(struct runlog *l);

bool runlog_exists(const struct runlog *l);
/* Entries that parse as JSON objects, in file order. */
size_t runlog_count(const struct runlog *l);
/* Borrowed: valid until runlog_free(). */
const json_t *runlog_get(const struct runlog *l, size_t i);
/* The last entry, or NULL. Borrowed. */
const json_t *runlog_last(const struct runlog *l);
/* The first break of the chain ("entry 3: its hash does not match its
 * content"), or NULL when every entry is whole and follows the one before.
 * Borrowed. */
const char *runlog_problem(const struct runlog *l);

/* A string field of an entry, or NULL. */
const char *runlog_str(const json_t *entry, const char *key);

/* Appends entry (its "seq", "prev" and "hash" are set here, after the last
 * entry of l) to dir/runs.log: the log as read with the entry after it is
 * written to dir/.runs.log.tmp, synced and renamed into place, so runs.log
 * is always the old log or the new one, whole. entry is borrowed and
 * changed. False with *err (free it) when the file cannot be written. */
bool runlog_append(const char *dir, const struct runlog *l, json_t *entry, char **err)
	__attribute__((warn_unused_result));

#endif
