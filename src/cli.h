/* cli.h - the command line: parses `mailcase COMMAND [options]` and runs
 * the command. Returns the process exit status (exitcodes.h). */
#ifndef MC_CLI_H
#define MC_CLI_H

#include <stdint.h>

int cli_main(int argc, char **argv);

/* The template set to render with: override (a folder holding
 * report.md.mustache) when given; else lang's set under $MAILCASE_TEMPLATES,
 * next to the executable (a build tree), or in the installed data folder.
 * Returns a static buffer. */
const char *cli_templates_dir(const char *lang, const char *override);

/* "Now" for the report: SOURCE_DATE_EPOCH when set, so that two runs give
 * byte-identical reports; else the clock. Microseconds since the epoch. */
int64_t cli_now_us(void);

#endif
