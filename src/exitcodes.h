/* exitcodes.h - the process exit statuses of mailcase, as documented in
 * docs/mailcase.1 (EXIT STATUS). diff follows diff(1) instead: 0 same,
 * 1 different, 2 trouble. */
#ifndef MC_EXITCODES_H
#define MC_EXITCODES_H

enum {
	MC_EXIT_OK = 0,       /* everything asked for was done */
	MC_EXIT_PARTIAL = 1,  /* done, but some evidence could not be read */
	MC_EXIT_USAGE = 2,    /* bad command line */
	MC_EXIT_MISMATCH = 3, /* verify found a changed or missing file */
	MC_EXIT_CASE = 4,     /* the case directory cannot be used as asked */
	MC_EXIT_FATAL = 70    /* out of memory, broken invariant, failed write */
};

#endif
