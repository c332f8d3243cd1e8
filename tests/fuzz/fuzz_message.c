/* fuzz_message - libFuzzer target for message analysis (mail/message.c on
 * GMime, mail/htmltext.c on libxml2) and the mbox reader's view of the same
 * bytes (mail/mailbox.c).
 *
 * The input is one message. message_parse() is pure, so no case database is
 * needed: the record is built, every part's bytes are read (so a bad range
 * shows under ASan), and the nested messages it lists are parsed in turn as
 * the driver would. The input is also written to a scratch file and read as
 * an mbox, whose messages are parsed the same way. Ceilings are small so the
 * cap paths are reached. Inputs are capped at 256 KB. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail/mailbox.h"
#include "mail/message.h"
#include "util/limits.h"
#include "util/plog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct plog *log_;
static struct limits lim;
static char mbox_path[64];

static void
fuzz_setup(void)
{
	char tmpl[] = "/tmp/fuzz_message.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(mbox_path, sizeof(mbox_path), "%s/in.mbox", tmpl);
	log_ = plog_new();
	limits_default(&lim);
	lim.mime_parts = 64;
	lim.mime_depth = 8;
	lim.message_bytes = 128 << 10;
}

static volatile unsigned sink_;

static void
parse(const void *raw, size_t len, const struct msg_origin *o, unsigned depth, const char *prefix)
{
	struct msg_env env = { .lim = &lim, .log = log_, .source = "fuzz.eml", .where = "offset 0",
	    .depth = depth, .prefix = prefix };
	struct msg_record *r = message_parse(raw, len, o, &env);
	size_t i, k;

	for (i = 0; i < r->nparts; i++) {
		const unsigned char *p = r->parts[i].p;
		for (k = 0; k < r->parts[i].len; k++)
			sink_ += p[k];
		if (r->parts[i].nested)
			parse(r->parts[i].p, r->parts[i].len, o, depth + 1, r->parts[i].path);
	}
	message_record_free(r);
}

static void
mbox_message(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	(void)arg;
	parse(raw, len, o, 0, "");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_origin o = { .source = "mbox", .mbox_index = 1 };
	FILE *f;

	if (size > (256u << 10))
		return 0;
	if (log_ == NULL)
		fuzz_setup();
	parse(data, size, &o, 0, "");
	f = fopen(mbox_path, "wb");
	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	(void)mailbox_read(mbox_path, "mbox", &lim, log_, mbox_message, NULL, NULL);
	plog_clear(log_);
	return 0;
}
