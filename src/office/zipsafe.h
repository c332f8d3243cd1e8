/* zipsafe.h - a zip archive opened read-only from memory with libzip, with
 * ceilings (STYLE.md principle 3): at most lim->zip_entries entries, every
 * entry read with a bounded loop whose budget (lim->zip_inflated, shared by a
 * nest of archives) and ratio (lim->zip_ratio) are measured on the bytes
 * actually inflated, never on declared sizes. Used by office/ for documents
 * and by the driver for zip archives given as evidence. Entry names stay
 * text: never used as paths.
 *
 * Ownership: the bytes given to ozip_open() are borrowed and must outlive the
 * ozip; names are borrowed from it; entries read are the caller's (free()). */
#ifndef MC_ZIPSAFE_H
#define MC_ZIPSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct limits;
struct plog;

struct ozip;

/* Opens the bytes (borrowed; they must outlive the ozip). Entries past
 * lim->zip_entries are ignored with a warning. NULL (logged) when libzip
 * cannot read the archive. source/log name the document in the log. */
struct ozip *ozip_open(const void *p, size_t len, const struct limits *lim,
    struct plog *log, const char *source);
void ozip_free(struct ozip *z);
/* From now on the bytes z inflates count against *inflated (a nest of
 * documents inside documents shares one budget, lim->zip_inflated); what
 * it inflated so far is added to it, and *logged says whether the spent
 * budget was logged. Both must outlive z. */
void ozip_share_budget(struct ozip *z, uint64_t *inflated, bool *logged);
/* Entries considered (at most lim->zip_entries). */
size_t ozip_count(const struct ozip *z);
/* The entry's name as stored (UTF-8 or CP437 decoded by libzip); borrowed. */
const char *ozip_name(const struct ozip *z, size_t i);
/* Index of the entry with exactly this name, or -1. */
long ozip_find(const struct ozip *z, const char *name);
/* Reads an entry into memory owned by the caller (NUL-terminated, NUL not
 * counted). At most max bytes, within the archive's inflated budget and the
 * ratio ceiling measured on the bytes actually inflated; declared sizes are
 * not trusted. NULL (logged) when the entry is encrypted, damaged or over a
 * ceiling. */
char *ozip_read(struct ozip *z, size_t i, size_t max, size_t *len);
/* True when some entry was encrypted / some ceiling was hit. */
bool ozip_encrypted(const struct ozip *z);
bool ozip_capped(const struct ozip *z);
/* A cheap look at the central directory only (no logging). */
struct ozip *ozip_peek(const void *p, size_t len);

#endif
