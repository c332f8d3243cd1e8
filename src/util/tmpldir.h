/* tmpldir.h - where the templates of a language are: the one rule that
 * report, add, render and diff share. */
#ifndef MC_TMPLDIR_H
#define MC_TMPLDIR_H

#include <stdbool.h>

/* The template folder to render with: override (a folder holding the
 * templates) when given; else lang's set under $MAILCASE_TEMPLATES, next to
 * the executable (a build tree: templates/LANG, or an install:
 * ../share/mailcase/templates/LANG), or in the installed data folder
 * (MC_DATADIR). A new string: free() it. */
char *tmpldir_find(const char *lang, const char *override);

/* The languages with a template set where tmpldir_find() looks for en's,
 * for messages: "en, ko", or "none found". A new string: free() it. */
char *tmpldir_langs(void);
/* True when dir/name exists. */
bool tmpldir_has(const char *dir, const char *name);

#endif
