/* logtext.h - the processing log in the report's language.
 *
 * A log entry keeps the printf format a stage wrote it with and each of its
 * conversions formatted alone (util/plog.h, log.format and log.args in the
 * case database). The catalogue (report/logtext_ko.c) gives, for each
 * format of the stages, the Korean sentence with positional arguments:
 * %1$s is the first argument as written; %1$d the same argument with its
 * digits grouped by thousands (207,438) when it is a whole number; %1$p the
 * argument worded as a position (below) when it is one ("flow 2 a:1 -> b:2",
 * "message 3"), else as written; %1$q the argument worded as a sentence
 * another module made and the stage logs whole (a file reader's "the file
 * shrank while it was read: ..."), by patterns like the positions', else as
 * written; %% is a percent sign. An entry may also name a few fixed English phrases that the
 * code puts into an argument ("per-flow buffer") with their Korean words;
 * only that entry's arguments are looked up.
 *
 * Positions ("frame 63", "message 3, part 2") are plain strings the stages
 * build; they are worded by patterns in which %s stands for any non-empty
 * text, itself worded again when it is a position ("message 3" inside
 * "message 3, part 2"), else kept as written.
 *
 * Every function returns a new string (free() it), or NULL when the
 * catalogue has no wording, in which case the report shows the English. */
#ifndef MC_LOGTEXT_H
#define MC_LOGTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The Korean sentence for format fmt and its n arguments; NULL when fmt is
 * not in the catalogue or the arguments do not fit it. */
char *logtext_sentence_ko(const char *fmt, const char *const *args, size_t n);
/* The Korean position for where; NULL when no pattern words it. */
char *logtext_position_ko(const char *where);

/* The catalogue, for tests: entry i's English format and Korean wording
 * (false past the end). */
bool logtext_entry(size_t i, const char **en, const char **ko);
/* True when fmt has a catalogue entry. */
bool logtext_has(const char *fmt);
/* Checks entry i: its Korean uses each of the English format's arguments
 * and no other, and only the directives above. NULL when right, else a
 * static reason. */
const char *logtext_check(size_t i);
/* The number of arguments fmt's conversions make (as plog splits them). */
size_t logtext_nargs(const char *fmt);

#endif
