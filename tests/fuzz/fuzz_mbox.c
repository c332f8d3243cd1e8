/* fuzz_mbox - libFuzzer target for the mbox reader alone (mail/mailbox.c):
 * "From " separators, >From quoting, Content-Length, CR LF and bare LF,
 * a last message without its line end, the message ceiling. The input is
 * the whole mbox file, in a memfd read by its /proc path like evidence.
 * Each message handed out must lie within the file: its offset before the
 * end, its length no more than the ceiling. Inputs are capped at 256 KB. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "file_fuzz.h"

#include "mail/mailbox.h"
#include "mail/message.h"
#include "util/limits.h"
#include "util/plog.h"

struct fuzz_box {
	size_t size, max;
	int64_t last_index;
	unsigned char last_byte;
};

static void
fuzz_message(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct fuzz_box *b = arg;

	if (o->file_offset > b->size || len > b->max || o->mbox_index != b->last_index + 1)
		abort();
	if (len > 0)
		b->last_byte = ((const volatile unsigned char *)raw)[len - 1];   /* ASan checks it */
	b->last_index = o->mbox_index;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct limits lim;
	struct plog *log;
	struct fuzz_box box = { .size = size };
	char path[64];
	int fd;

	if (size > 262144)
		return 0;
	if ((fd = fuzz_file(data, size, path)) < 0)
		return 0;
	limits_default(&lim);
	lim.message_bytes = 4096;
	box.max = lim.message_bytes;
	log = plog_new();
	(void)mailbox_read(path, "mbox", &lim, log, fuzz_message, &box, NULL);
	plog_free(log);
	close(fd);
	return 0;
}
