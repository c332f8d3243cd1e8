/* verify.h - `mailcase verify`: hashes every evidence file, every stored
 * artifact and every report file again and compares them with what the case
 * recorded (the evidence and artifacts tables, report/SHA256SUMS). */
#ifndef MC_VERIFY_H
#define MC_VERIFY_H

#include <stdio.h>

/* Prints one line per checked file to out ("OK", "CHANGED", "MISSING"),
 * then a summary. Returns MC_EXIT_OK, MC_EXIT_MISMATCH when anything
 * differs, or MC_EXIT_CASE when dir is not a case. */
int verify_case(const char *dir, FILE *out);

#endif
