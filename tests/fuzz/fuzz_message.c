/* fuzz_message - libFuzzer target for message analysis (mail/message.c on
 * GMime) and the mbox reader's view of the same bytes.
 *
 * The input is one message. It is analysed into a scratch case whose
 * transaction is rolled back after every input; the artifact store writes
 * under the scratch case too, so hostile part names are exercised on the real
 * path. Ceilings are small so the cap paths are reached. Inputs are capped at
 * 256 KB. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest.h"
#include "mail/message.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/plog.h"

static struct casedb *db;
static struct artstore *art;
static struct plog *log_;
static struct limits lim;

static void
fuzz_setup(void)
{
	char tmpl[] = "/tmp/fuzz_message.XXXXXX", *dir, *err = NULL, path[64];

	dir = mkdtemp(tmpl);
	if (dir == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/case", dir);
	db = casedb_open(path, true, &err);
	if (db == NULL)
		abort();
	art = artstore_open(db);
	log_ = plog_new();
	limits_default(&lim);
	lim.mime_parts = 64;
	lim.mime_depth = 8;
	lim.message_bytes = 128 << 10;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ingest_ctx ctx;
	struct msg_origin o = { .source = "mbox", .mbox_index = 1 };

	if (size > (256u << 10))
		return 0;
	if (db == NULL)
		fuzz_setup();
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = db;
	ctx.art = art;
	ctx.log = log_;
	ctx.lim = &lim;
	ctx.evidence_id = 1;
	ctx.evidence_path = "fuzz.eml";
	casedb_begin(db);
	(void)message_analyze(&ctx, data, size, &o);
	casedb_rollback(db);
	plog_clear(log_);
	return 0;
}
