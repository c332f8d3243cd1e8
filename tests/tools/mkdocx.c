/* mkdocx - writes a minimal docx whose one paragraph is TEXT, built by
 * tests/lib/docxgen, for command-line tests that need a document file:
 * `mkdocx OUT.docx TEXT`. The same bytes on every run. */
#include "docxgen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
	struct docxgen *g;
	char *body;
	void *p;
	size_t len, n;
	FILE *f;

	if (argc != 3 || strpbrk(argv[2], "<>&") != NULL) {
		fprintf(stderr, "usage: mkdocx OUT.docx TEXT (no <, > or &)\n");
		return 2;
	}
	n = strlen(argv[2]) + 64;
	body = malloc(n);
	if (body == NULL)
		return 1;
	snprintf(body, n, "<w:p><w:r><w:t>%s</w:t></w:r></w:p>", argv[2]);
	g = docxgen_new();
	docxgen_docx(g, body, NULL);
	p = docxgen_finish(g, &len);
	free(body);
	f = fopen(argv[1], "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[1]);
		free(p);
		return 1;
	}
	free(p);
	return 0;
}
