/* mail_fixture.h - shared by the mail session tests (test_smtp.c,
 * test_pop3.c, test_imap.c, test_zeek_smtp.c): a case database, a capture
 * written with pcapgen, the capture stage feeding the driver's
 * ingest_flow_mail() (which stores what mail_flow_analyze() finds), and
 * queries that return rows as "a|b|c" lines for exact comparison. */
#ifndef MC_MAIL_FIXTURE_H
#define MC_MAIL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "ingest.h"
#include "mail/session.h"
#include "pcapgen.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "store/db_flows.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

struct mfix {
	struct casedb *db;
	struct plog *log;
	struct limits lim;
	struct ingest_ctx ctx;
	char base[512];     /* tests/tmp/<prog>/<name>: room for the test's own files */
	char dir[600];      /* base/case */
	bool keep_all;      /* keep every flow's payload (capture_opts) */
};

static void
mfix_sink(void *arg, struct flow *f)
{
	struct mfix *m = arg;
	int64_t id = db_flow_add(m->db, f);

	ingest_flow_mail(&m->ctx, f, id);
}

/* A fresh case in tests/tmp/<prog>/<name>/case. */
static bool
mfix_open(struct mfix *m, const char *name)
{
	char *err = NULL;

	memset(m, 0, sizeof(*m));
	snprintf(m->base, sizeof(m->base), "%s", check_tmpdir(name));
	snprintf(m->dir, sizeof(m->dir), "%s/case", m->base);
	m->db = casedb_open(m->dir, true, &err);
	if (m->db == NULL) {
		fprintf(stderr, "casedb_open: %s\n", err ? err : "?");
		free(err);
		return false;
	}
	m->log = plog_new();
	limits_default(&m->lim);
	m->ctx.db = m->db;
	m->ctx.art = artstore_open(m->db);
	m->ctx.log = m->log;
	m->ctx.lim = &m->lim;
	m->ctx.evidence_id = 1;
	m->ctx.evidence_path = "fixture.pcap";
	return true;
}

static void
mfix_run(struct mfix *m, const char *pcap)
{
	struct capture_opts co = { .keep_all = m->keep_all };
	struct capture *c = capture_new(m->log, &m->lim, &co);
	struct flow_sink sink = { m, mfix_sink };

	m->ctx.evidence_path = pcap;
	capture_add_file(c, pcap, m->ctx.evidence_id);
	casedb_begin(m->db);
	capture_run(c, &sink);
	casedb_commit(m->db);
	capture_free(c);
}

static void
mfix_close(struct mfix *m)
{
	artstore_free(m->ctx.art);
	casedb_close(m->db);
	plog_free(m->log);
}

/* Every row of sql as "col|col|..." lines ("" for NULL); free() it. */
static char *
mfix_q(struct mfix *m, const char *sql)
{
	sqlite3_stmt *st = casedb_prepare(m->db, sql);
	struct buf b;
	int i, n;
	bool ok = true;

	buf_init(&b, 16 << 20);
	while (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_count(st);
		for (i = 0; i < n; i++) {
			const char *t = (const char *)sqlite3_column_text(st, i);
			ok &= buf_adds(&b, i ? "|" : "");
			ok &= buf_adds(&b, t ? t : "");
		}
		ok &= buf_addc(&b, '\n');
	}
	sqlite3_finalize(st);
	(void)ok;
	return buf_take(&b);
}

/* Writes a conversation: steps alternate by dir, each one segment (or more
 * past mss). The frame of each step's first segment goes to frames[i]. */
struct mstep {
	int dir;
	const char *text;
	size_t len;      /* 0: strlen(text) */
};

static __attribute__((unused)) void
mfix_pcap(const char *path, const char *cli, unsigned cport, const char *srv, unsigned sport,
    const struct mstep *steps, size_t n, unsigned *frames)
{
	struct pcapgen *g = pcapgen_open(path, 1, false);
	struct tcpconv c;
	size_t i;

	tcpconv_init(&c, cli, (uint16_t)cport, srv, (uint16_t)sport);
	c.ts_us = 1255181716000000ULL;
	c.step_us = 1000;
	tcpconv_handshake(g, &c);
	for (i = 0; i < n; i++) {
		if (frames)
			frames[i] = pcapgen_frames(g) + 1;
		tcpconv_send(g, &c, steps[i].dir, steps[i].text,
		    steps[i].len ? steps[i].len : strlen(steps[i].text));
	}
	tcpconv_close(g, &c);
	pcapgen_close(g);
}

#endif
