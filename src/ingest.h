/* ingest.h - what every stage needs while one evidence file is ingested.
 *
 * The driver (ingest.c) opens a transaction per evidence file, fills an
 * ingest_ctx and hands it down the pipeline: capture -> mail sessions ->
 * messages -> hops / attachments / documents. Stages write their findings
 * through the store/ functions and report malformed input to ctx->log.
 * Nothing here is owned by the stages. */
#ifndef MC_INGEST_H
#define MC_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/limits.h"

struct casedb;
struct artstore;
struct flow;
struct plog;

struct ingest_ctx {
	struct casedb *db;
	struct artstore *art;
	struct plog *log;
	const struct limits *lim;
	int64_t run_id;
	int64_t evidence_id;      /* the evidence file being ingested */
	const char *evidence_path;/* as given by the user; used in log entries */
	int64_t now_us;           /* the run's reference "now" (SOURCE_DATE_EPOCH aware) */
};

/* Progress lines on stderr; off unless stderr is a terminal. */
struct ingest_opts {
	bool progress;
};

/* Ingests evidence paths into the case: each file is identified and hashed,
 * skipped when its SHA-256 is already in the case, and ingested in one
 * transaction (all capture files given together form one capture and one
 * transaction). A path that cannot be read is reported on stderr and in the
 * log, and the rest is still processed. At the end every evidence file is
 * hashed again and the result recorded. Returns MC_EXIT_OK, or
 * MC_EXIT_PARTIAL when some evidence could not be read. */
int ingest_run(struct ingest_ctx *ctx, char *const *paths, size_t npaths,
    const struct ingest_opts *o);

/* Rebuilds the mail session a finished flow carries (mail/session.h) and
 * stores it: the sessions row (evidence: the flow's own capture file),
 * transcript, credentials, and each message through message_analyze().
 * flow_row_id is the flow's row in the flows table. A flow that is not a
 * mail session is left alone. The flow is borrowed. */
void ingest_flow_mail(struct ingest_ctx *ctx, const struct flow *f, int64_t flow_row_id);

#endif
