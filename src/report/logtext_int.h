/* logtext_int.h - the catalogue's layout, shared by report/logtext.c and
 * the catalogue itself (report/logtext_ko.c). */
#ifndef MC_LOGTEXT_INT_H
#define MC_LOGTEXT_INT_H

#include <stddef.h>

struct logtext_msg {
	const char *en;                 /* the format, exactly as the stage passes it */
	const char *ko;                 /* the Korean wording (logtext.h) */
	const char *const *phrases;     /* NULL, or English, Korean, ..., NULL */
};

struct logtext_pos {                    /* a position, or a quoted sentence */
	const char *en;                 /* "frame %s": %s is any non-empty text */
	const char *ko;                 /* "프레임 %1$s" */
};

extern const struct logtext_msg logtext_ko_msgs[];
extern const size_t logtext_ko_nmsgs;
extern const struct logtext_pos logtext_ko_pos[];
extern const size_t logtext_ko_npos;
/* Sentences other modules make and a stage logs whole ("%s"), by the same
 * kind of pattern (logtext.h, %N$q). */
extern const struct logtext_pos logtext_ko_quoted[];
extern const size_t logtext_ko_nquoted;

#endif
