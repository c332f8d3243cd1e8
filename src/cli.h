/* cli.h - the command line: parses `mailcase COMMAND [options]` and runs
 * the command. Returns the process exit status (exitcodes.h). */
#ifndef MC_CLI_H
#define MC_CLI_H

int cli_main(int argc, char **argv);

#endif
