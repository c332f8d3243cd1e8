/* cli.h - the command line: parses `mailcase COMMAND [options]` and runs
 * the command. Returns the process exit status (exitcodes.h). */
#ifndef MC_CLI_H
#define MC_CLI_H

int cli_main(int argc, char **argv);

/* `mailcase diff CASE_A CASE_B [-o DIR] [--lang en|ko] [--templates DIR]
 * [--help]` (cli_diff.c): writes DIR/diff.md, diff.html and diff.json
 * (report/diff.h) and prints a summary. Returns 0 when the cases hold the
 * same findings, 1 when they differ, 2 on error (as diff(1)). argv[0] is
 * "diff". */
int cli_diff_main(int argc, char **argv);

#endif
