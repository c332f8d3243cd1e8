/* fuzz_pst - libFuzzer target for PST/OST files (mailstore/pst.c on
 * libpff): folders walked, every item turned into a MAPI item and its
 * reconstructed MIME message as the driver does, then the items recovered
 * from deleted space.
 *
 * The input is the whole file, in a memfd read by its /proc path as
 * evidence is (libpff reads a file by name). libpff is not instrumented, so
 * the fuzzer sees only the coverage of pst.c and mapi.c, which libpff
 * reaches only for a file it can open: the seeds written by
 * tests/fuzz/mkseeds.py are headers and small damaged files, enough for the
 * error paths; deeper runs need a real PST as a seed, kept out of the
 * source tree (FUZZ_EXTRA, docs/fuzzing.md). Inputs are capped at 1 MB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_fuzz.h"

#include "mailstore/mapi.h"
#include "mailstore/pst.h"
#include "util/limits.h"
#include "util/plog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fz_sink;

static void
fz_item(void *arg, const struct mapi_item *it)
{
	const struct limits *lim = arg;
	size_t len = 0;
	char *mime = mapi_item_to_mime(it, lim->mime_depth, &len);

	if (len > 0)
		fz_sink += (unsigned char)mime[len - 1];
	free(mime);
	if (it->folder != NULL)
		fz_sink += strlen(it->folder);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct limits lim;
	static struct plog *log;
	struct pst_stats st;
	char path[64];
	int fd;

	if (size > (1u << 20))
		return 0;
	if (log == NULL) {
		log = plog_new();
		limits_default(&lim);
		lim.message_bytes = 64u << 10;
		lim.mime_depth = 4;
	}
	if ((fd = fuzz_file(data, size, path)) < 0)
		return 0;
	memset(&st, 0, sizeof(st));
	(void)pst_read(path, path, &lim, log, fz_item, NULL, &lim, &st);
	plog_clear(log);
	close(fd);
	return 0;
}
