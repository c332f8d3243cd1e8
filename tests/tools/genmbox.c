/* genmbox - writes a benchmark mbox: `genmbox OUT.mbox COUNT`.
 *
 * COUNT messages from mailgen (tests/lib/mailgen.h), deterministic: the
 * same COUNT always gives the same file. Each message is preceded by an
 * mboxrd "From " line (RFC 4155) and followed by an empty line; mailgen
 * never starts a body line with "From ", so no line needs quoting. */
#include <stdio.h>
#include <stdlib.h>

#include "mailgen.h"

int
main(int argc, char **argv)
{
	unsigned long n, i;
	unsigned long long bytes = 0;
	FILE *fp;

	if (argc != 3) {
		fprintf(stderr, "usage: genmbox OUT.mbox COUNT\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	fp = fopen(argv[1], "wb");
	if (fp == NULL) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		size_t len;
		char *m = mailgen_message(i, 0, &len);

		fprintf(fp, "From sender%lu@example.net Tue Nov 14 10:%02lu:%02lu 2023\n", i % 97,
		    i / 60 % 60, i % 60);
		fwrite(m, 1, len, fp);
		fputc('\n', fp);
		bytes += len;
		free(m);
	}
	if (fclose(fp) != 0) {
		perror(argv[1]);
		return 1;
	}
	printf("genmbox: %s: %lu messages, %llu bytes of messages\n", argv[1], n, bytes);
	return 0;
}
