/* outdir.h - the rule for every folder mailcase writes into (a case, a
 * diff, a streams export): it must not exist yet, or be empty, so that
 * nothing already there is ever overwritten. */
#ifndef MC_OUTDIR_H
#define MC_OUTDIR_H

#include <stdbool.h>

/* True when dir does not exist or is an empty folder. */
bool outdir_usable(const char *dir);

#endif
