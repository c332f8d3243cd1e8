#include "cli.h"
#include "exitcodes.h"

#include <stdio.h>
#include <string.h>

int
cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "version") == 0) {
		printf("mailcase %s\n", MC_VERSION);
		return MC_EXIT_OK;
	}
	fprintf(stderr, "usage: mailcase COMMAND [options]\n");
	return MC_EXIT_USAGE;
}
