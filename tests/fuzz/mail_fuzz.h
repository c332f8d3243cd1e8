/* mail_fuzz.h - shared by fuzz_smtp.c, fuzz_pop3.c, fuzz_imap.c: turns
 * arbitrary bytes into a two-direction flow and runs mail_flow_analyze().
 * Input: chunks separated by the two bytes 0xff 0xfe, alternating server
 * (first) and client; each chunk is one segment (one frame). Inputs over
 * 256 KiB are ignored (size cap). */
#ifndef MC_MAIL_FUZZ_H
#define MC_MAIL_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/stream.h"
#include "ingest.h"
#include "mail/session.h"
#include "store/casedb.h"
#include "util/plog.h"
#include "util/xalloc.h"

static struct casedb *fz_db;
static struct plog *fz_log;
static struct limits fz_lim;

static void
fz_seg(struct stream_dir *d, const uint8_t *p, size_t n, uint32_t frame)
{
	if (n == 0)
		return;
	if (d->nsegs == d->segs_cap) {
		d->segs_cap = d->segs_cap ? d->segs_cap * 2 : 16;
		d->segs = xreallocarray(d->segs, d->segs_cap, sizeof(*d->segs));
	}
	d->segs[d->nsegs].off = d->data.len;
	d->segs[d->nsegs].len = (uint32_t)n;
	d->segs[d->nsegs].at = (struct frame_ref){ 1, 0, frame, 1000000 + (int64_t)frame * 1000 };
	d->nsegs++;
	if (!buf_add(&d->data, p, n))
		d->capped = true;
	d->total += n;
}

static int
fz_run(const char *app, const uint8_t *data, size_t size)
{
	struct flow f;
	struct ingest_ctx ctx;
	size_t i = 0, start = 0;
	int dir = DIR_S2C, d;
	uint32_t frame = 4;

	if (size > (256u << 10))
		return 0;
	if (fz_db == NULL) {
		char tmpl[] = "/tmp/fuzz-mail-XXXXXX", path[64], *err = NULL;
		if (mkdtemp(tmpl) == NULL)
			abort();
		snprintf(path, sizeof(path), "%s/case", tmpl);
		fz_db = casedb_open(path, true, &err);
		if (fz_db == NULL)
			abort();
		fz_log = plog_new();
		limits_default(&fz_lim);
		fz_lim.line_bytes = 512;
		fz_lim.message_bytes = 64 << 10;
		casedb_exec(fz_db, "INSERT INTO flows (id, evidence_id, flow_no, cli_ip, cli_port, srv_ip,"
		    " srv_port, syn_seen) VALUES (1, 1, 1, '10.0.0.1', 1, '10.0.0.2', 25, 1)");
	}
	memset(&f, 0, sizeof(f));
	f.id = 1;
	f.evidence_id = 1;
	snprintf(f.cli_ip, sizeof(f.cli_ip), "10.0.0.1");
	snprintf(f.srv_ip, sizeof(f.srv_ip), "10.0.0.2");
	snprintf(f.app, sizeof(f.app), "%s", app);
	f.buffered = true;
	for (d = 0; d < 2; d++)
		buf_init(&f.dir[d].data, 1u << 20);
	for (i = 0; i + 1 < size; i++)
		if (data[i] == 0xff && data[i + 1] == 0xfe) {
			fz_seg(&f.dir[dir], data + start, i - start, frame++);
			dir = !dir;
			start = i + 2;
			i++;
		}
	if (start < size)
		fz_seg(&f.dir[dir], data + start, size - start, frame++);
	memset(&ctx, 0, sizeof(ctx));
	ctx.db = fz_db;
	ctx.log = fz_log;
	ctx.lim = &fz_lim;
	ctx.evidence_id = 1;
	ctx.evidence_path = "fuzz";
	casedb_begin(fz_db);
	mail_flow_analyze(&ctx, &f, 1);
	casedb_rollback(fz_db);
	plog_clear(fz_log);
	for (d = 0; d < 2; d++) {
		buf_free(&f.dir[d].data);
		free(f.dir[d].segs);
	}
	return 0;
}

#endif
