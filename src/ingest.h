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
struct msg_origin;
struct ingest_cache;

struct ingest_ctx {
	struct casedb *db;
	struct artstore *art;
	struct plog *log;
	const struct limits *lim;
	int64_t run_id;
	int64_t evidence_id;      /* the evidence file being ingested */
	const char *evidence_path;/* as given by the user; used in log entries */
	int64_t now_us;           /* the run's reference "now" (SOURCE_DATE_EPOCH aware) */
	/* The driver's own: statements prepared once and case settings read
	 * once per run (ingest_ctx_prepare); NULL until then. */
	struct ingest_cache *cache;
	/* Progress on stderr (ingest_opts.progress): messages and flows done
	 * in the evidence file being read, at most one line a second. */
	bool progress;
	uint64_t prog_size;       /* bytes of that file, for the estimate */
	uint64_t prog_count;
	int64_t prog_start_ns, prog_last_ns;
	/* Set by a store driver while one item is ingested: called for every
	 * message/rfc822 part made a nested message below it, in part order
	 * (depth first), with its row, its parent's row, its part path and its
	 * subject (all borrowed). NULL otherwise. */
	void (*nested_fn)(void *arg, int64_t parent_id, int64_t id, const char *part,
	    const char *subject);
	void *nested_arg;
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
 * transcript, credentials, and each message through ingest_message().
 * flow_row_id is the flow's row in the flows table. A flow that is not a
 * mail session is left alone. The flow is borrowed. */
void ingest_flow_mail(struct ingest_ctx *ctx, const struct flow *f, int64_t flow_row_id);

/* Prepares the statements and reads the case settings (trusted_domains) the
 * entry points below use, once; ingest_ctx_release() frees them (before
 * casedb_close), and waits until every artifact file written meanwhile is
 * on disk (they are written on a second thread; a commit waits too).
 * ingest_run() does both itself. The entry points also work without it,
 * preparing and releasing per call. */
void ingest_ctx_prepare(struct ingest_ctx *ctx);
void ingest_ctx_release(struct ingest_ctx *ctx);

/* One message (mail/message.h): parsed, stored with its addresses, raw
 * bytes and parts (artifacts), office documents unpacked, nested messages
 * analysed as messages of their own (parent_id), its route analysed.
 * Returns the messages row id. raw and o are borrowed; o may be NULL. */
int64_t ingest_message(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o);
/* Every message of a mailbox (mail/mailbox.h: kind "mbox", "eml",
 * "maildir", "emldir") through ingest_message(). False when the evidence
 * cannot be read at all. read_sha256 (65 bytes, may be NULL): see
 * mailbox_read(). */
bool ingest_mailbox(struct ingest_ctx *ctx, const char *path, const char *kind,
    char *read_sha256);
/* An office document (office/office.h) already stored as an artifact with
 * this SHA-256: the documents row, its items, and its embedded files as
 * artifacts (embedded documents unpacked in turn, up to lim->doc_depth).
 * depth is 0 for an attachment. Returns the documents row id, or 0 when
 * nothing could be read. */
int64_t ingest_office(struct ingest_ctx *ctx, const void *p, size_t len, const char *sha256,
    const char *name, unsigned depth);

/* A mail store (ingest_store.c; kind "pst", "ost", "msg", "tnef",
 * "emlx"): each item through ingest_message() as the message mailcase
 * writes from it (or, for EMLX, the message it holds), with its store facts
 * in store_items. Returns one of these. */
enum { INGEST_STORE_OK, INGEST_STORE_PARTIAL, INGEST_STORE_UNREADABLE, INGEST_STORE_NOT_STORE };
int ingest_store(struct ingest_ctx *ctx, const char *path, const char *kind);
/* The same for a store's bytes p[0..len) (an entry of an archive; name is
 * what the log calls it). PST, OST and .msg files are read from a temporary
 * copy, removed after. kind "ole": a .msg when it is one, else
 * INGEST_STORE_NOT_STORE. */
int ingest_store_mem(struct ingest_ctx *ctx, const void *p, size_t len, const char *name,
    const char *kind);

/* A message found inside message parent_id that is not a message/rfc822
 * part (a TNEF attachment written out as a message): stored as a nested
 * message of it, depth levels down, prefix its part path. Returns its id.
 * ctx->nested_fn is called for what is nested in it: the caller sets it. */
int64_t ingest_message_nested(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix);

/* Whether a part declared as type, named name, is meant as TNEF
 * (application/ms-tnef, or a winmail.dat). */
bool ingest_tnef_part_is(const char *type, const char *name);
/* A TNEF attachment p[0..len) of message parent_id (ingest_store.c): read
 * (mailstore/tnef.h) into the message it carries, stored as a nested
 * message with a store_items row; its files go through the pipeline like
 * any part. source and where name the parent for the log. */
void ingest_tnef_part(struct ingest_ctx *ctx, int64_t parent_id, const void *p, size_t len,
    const char *part_path, unsigned depth, const char *source, const char *where);

#endif
