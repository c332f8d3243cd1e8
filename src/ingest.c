/* ingest.c - the driver: evidence in, one transaction per evidence file
 * (one per capture), every stage called in pipeline order. */
#include "ingest.h"
#include "evidence.h"
#include "exitcodes.h"
#include "capture/capture.h"
#include "mail/mailbox.h"
#include "mail/message.h"
#include "mail/session.h"
#include "office/office.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "store/db_flows.h"
#include "store/db_mail.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct ingest_item {
	const char *path;
	struct evidence_info info;
	int64_t id;
};

static void
ingest_progress(const struct ingest_opts *o, size_t i, size_t n, const char *path, const char *what)
{
	if (o->progress)
		fprintf(stderr, "[%zu/%zu] %s: %s\n", i + 1, n, path, what);
}

static int64_t
ingest_add_row(struct ingest_ctx *ctx, struct ingest_item *it)
{
	struct evidence_row row;
	char *abs = realpath(it->path, NULL);

	memset(&row, 0, sizeof(row));
	row.path = it->path;
	row.abs_path = abs ? abs : it->path;
	row.type = evidence_kind_name(it->info.kind);
	row.detail = it->info.detail;
	row.h = it->info.h;
	it->id = casedb_evidence_add(ctx->db, &row, ctx->run_id);
	free(abs);
	return it->id;
}

/* ---- mail sessions: the driver's struct mail_sink (mail/sink.h) ------- */

/* One session being stored: its row is written when the session starts, so
 * transcript lines and credentials can point at it, and completed at its
 * end. dbm is made at the start (most flows are no mail session). */
struct ingest_sess {
	struct ingest_ctx *ctx;
	struct db_mail *dbm;
	int64_t flow_id, session_id;
};

static void
ingest_sess_start(void *arg, const struct mail_session_facts *s)
{
	struct ingest_sess *is = arg;
	struct db_session row = {
		.flow_id = is->flow_id, .evidence_id = is->ctx->evidence_id,
		.protocol = s->protocol, .first_us = s->first_us,
	};

	is->dbm = db_mail_new(is->ctx->db);
	is->session_id = db_mail_session_add(is->dbm, &row);
}

static void
ingest_sess_transcript(void *arg, const struct mail_transcript_line *l)
{
	struct ingest_sess *is = arg;

	db_mail_transcript_add(is->dbm, is->session_id, l->seq, l->dir, l->ts_us, l->frames,
	    (int64_t)l->stream_off, l->text);
}

static void
ingest_sess_credential(void *arg, const struct mail_credential *c)
{
	struct ingest_sess *is = arg;
	struct db_credential row = {
		.session_id = is->session_id, .protocol = c->protocol, .mechanism = c->mechanism,
		.authzid = c->authzid, .username = c->username, .secret = c->secret,
		.secret_kind = c->secret_kind, .crack_line = c->crack_line, .verdict = c->verdict,
		.reply = c->reply, .frames = c->frames, .ts_us = c->ts_us, .client = c->client,
		.server = c->server,
	};

	(void)db_mail_credential_add(is->dbm, &row);
}

static int64_t
ingest_sess_message(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct ingest_sess *is = arg;
	struct msg_origin mine = *o;

	mine.session_id = is->session_id;
	mine.flow_id = is->flow_id;
	return message_analyze(is->ctx, raw, len, &mine);
}

static void
ingest_sess_end(void *arg, const struct mail_session_facts *s)
{
	struct ingest_sess *is = arg;
	struct db_session row = {
		.flow_id = is->flow_id, .evidence_id = is->ctx->evidence_id,
		.protocol = s->protocol, .greeting = s->greeting, .server_name = s->server_name,
		.server_software = s->server_software, .client_name = s->client_name,
		.capabilities = s->capabilities, .tls = s->tls, .tls_frame = s->tls_frame,
		.first_us = s->first_us, .last_us = s->last_us, .messages = s->messages,
		.notes = s->notes,
	};

	db_mail_session_update(is->dbm, is->session_id, &row);
}

void
ingest_flow_mail(struct ingest_ctx *ctx, const struct flow *f, int64_t flow_row_id)
{
	struct ingest_sess is = { .ctx = ctx, .flow_id = flow_row_id };
	struct mail_env env = { .lim = ctx->lim, .log = ctx->log, .source = ctx->evidence_path };
	struct mail_sink sink = {
		.arg = &is, .session_start = ingest_sess_start, .transcript = ingest_sess_transcript,
		.credential = ingest_sess_credential, .message = ingest_sess_message,
		.session_end = ingest_sess_end,
	};
	int64_t saved = ctx->evidence_id;

	/* a flow's rows belong to the capture file it started in */
	ctx->evidence_id = f->evidence_id;
	(void)mail_flow_analyze(f, &env, &sink);
	db_mail_free(is.dbm);
	ctx->evidence_id = saved;
}

static void
ingest_flow_end(void *arg, struct flow *f)
{
	struct ingest_ctx *ctx = arg;
	int64_t flow_id = db_flow_add(ctx->db, f);

	if (f->app[0] != '\0' && f->buffered)
		ingest_flow_mail(ctx, f, flow_id);
}

/* All capture files of the run are one capture (rotated files continue each
 * other), so they share one transaction. */
static int
ingest_captures(struct ingest_ctx *ctx, struct ingest_item *items, size_t n,
    const struct ingest_opts *o)
{
	struct capture_opts copts = { .keep_all = false };
	struct flow_sink sink = { .arg = ctx, .flow_end = ingest_flow_end };
	struct capture *cap;
	size_t i, nfiles;
	int rc = MC_EXIT_OK;

	if (n == 0)
		return MC_EXIT_OK;
	casedb_begin(ctx->db);
	cap = capture_new(ctx->log, ctx->lim, &copts);
	for (i = 0; i < n; i++) {
		ingest_add_row(ctx, &items[i]);
		capture_add_file(cap, items[i].path, items[i].id);
	}
	if (o->progress)
		fprintf(stderr, "reading %zu capture file%s\n", n, n == 1 ? "" : "s");
	ctx->evidence_id = items[0].id;
	ctx->evidence_path = items[0].path;
	capture_run(cap, &sink);
	nfiles = capture_file_count(cap);
	for (i = 0; i < nfiles; i++) {
		const struct capture_file_info *fi = capture_file_get(cap, i);
		const char *status = "ok";

		casedb_evidence_capture_stats(ctx->db, fi->evidence_id, fi->first_us, fi->last_us,
		    fi->packets, fi->link_types);
		if (!fi->readable) {
			status = "unreadable";
			fprintf(stderr, "mailcase: %s: %s\n", fi->path, fi->error ? fi->error : "cannot be read");
			rc = MC_EXIT_PARTIAL;
		} else if (fi->truncated) {
			/* Read in part: what was read is in the case, and the
			 * exit status says that not all of it could be. */
			status = "partial";
			fprintf(stderr, "mailcase: %s: %s\n", fi->path,
			    fi->error ? fi->error : "not read to its end; the frames before are kept");
			rc = MC_EXIT_PARTIAL;
		}
		casedb_evidence_done(ctx->db, fi->evidence_id, status);
	}
	capture_free(cap);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, items[0].id);
	casedb_commit(ctx->db);
	return rc;
}

/* An office document given directly as evidence: stored as an artifact of
 * the evidence and unpacked. */
static bool
ingest_document(struct ingest_ctx *ctx, struct ingest_item *it)
{
	int fd = open(it->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;
	struct artifact_ref ref = { 0 };
	struct hashes h;
	const char *base = strrchr(it->path, '/');

	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (st.st_size == 0 || (uint64_t)st.st_size > ctx->lim->zip_inflated) {
		plog_add(ctx->log, PLOG_WARN, "evidence.size", it->path, "",
		    "%lld bytes: empty or larger than the document ceiling; not unpacked",
		    (long long)st.st_size);
		close(fd);
		return true;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return false;
	ref.evidence_id = it->id;
	ref.parent_kind = "evidence";
	ref.parent_id = it->id;
	ref.role = "evidence";
	ref.declared_name = base ? base + 1 : it->path;
	ref.provenance = "the whole evidence file";
	artstore_put(ctx->art, p, (size_t)st.st_size, &ref, &h);
	if (office_is_document(p, (size_t)st.st_size))
		office_unpack(ctx, p, (size_t)st.st_size, h.sha256, ref.declared_name, 0);
	else
		plog_add(ctx->log, PLOG_INFO, "evidence.zip", it->path, "",
		    "a zip archive that is not an office document: stored and hashed only");
	munmap(p, (size_t)st.st_size);
	return true;
}

static int
ingest_one(struct ingest_ctx *ctx, struct ingest_item *it)
{
	bool ok = true;
	const char *status = "ok";

	casedb_begin(ctx->db);
	ingest_add_row(ctx, it);
	ctx->evidence_id = it->id;
	ctx->evidence_path = it->path;
	if (evidence_kind_is_mailbox(it->info.kind)) {
		ok = mailbox_ingest(ctx, it->path, evidence_kind_name(it->info.kind));
	} else if (it->info.kind == EV_ZIP) {
		ok = ingest_document(ctx, it);
	} else {
		plog_add(ctx->log, PLOG_WARN, "evidence.type", it->path, "",
		    "%s: not a capture, mailbox or office document; hashed and listed only",
		    it->info.detail);
		status = "unsupported";
	}
	if (!ok) {
		status = "unreadable";
		fprintf(stderr, "mailcase: %s: could not be read (see the processing log)\n", it->path);
	}
	casedb_evidence_done(ctx->db, it->id, status);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, it->id);
	casedb_commit(ctx->db);
	return ok ? MC_EXIT_OK : MC_EXIT_PARTIAL;
}

static void
ingest_rehash(struct ingest_ctx *ctx, struct ingest_item *items, size_t n)
{
	size_t i;

	casedb_begin(ctx->db);
	for (i = 0; i < n; i++) {
		struct hashes after;
		bool ok;

		if (items[i].id <= 0)
			continue;
		ok = evidence_hash(items[i].path, &after);
		casedb_evidence_rehash(ctx->db, items[i].id, ok ? &after : NULL,
		    ok && strcmp(after.sha256, items[i].info.h.sha256) == 0);
		if (!ok || strcmp(after.sha256, items[i].info.h.sha256) != 0)
			fprintf(stderr, "mailcase: %s: evidence changed while it was processed\n",
			    items[i].path);
	}
	casedb_commit(ctx->db);
}

int
ingest_run(struct ingest_ctx *ctx, char *const *paths, size_t npaths, const struct ingest_opts *o)
{
	struct ingest_item *items = xcalloc(npaths ? npaths : 1, sizeof(*items));
	struct ingest_item *caps = xcalloc(npaths ? npaths : 1, sizeof(*caps));
	size_t i, j, ncaps = 0, nitems = 0;
	int rc = MC_EXIT_OK, r;

	for (i = 0; i < npaths; i++) {
		struct ingest_item it = { .path = paths[i] };
		char *err = NULL;
		int64_t dup;

		ingest_progress(o, i, npaths, paths[i], "hashing");
		if (!evidence_identify(paths[i], &it.info, &err)) {
			fprintf(stderr, "mailcase: %s\n", err);
			casedb_begin(ctx->db);
			plog_add(ctx->log, PLOG_ERROR, "evidence.unreadable", paths[i], "", "%s", err);
			casedb_log_flush(ctx->db, ctx->log, ctx->run_id, 0);
			casedb_commit(ctx->db);
			free(err);
			rc = MC_EXIT_PARTIAL;
			continue;
		}
		dup = casedb_evidence_find(ctx->db, it.info.h.sha256);
		for (j = 0; dup == 0 && j < nitems; j++)
			if (strcmp(items[j].info.h.sha256, it.info.h.sha256) == 0)
				dup = -1;
		for (j = 0; dup == 0 && j < ncaps; j++)
			if (strcmp(caps[j].info.h.sha256, it.info.h.sha256) == 0)
				dup = -1;
		if (dup != 0) {
			fprintf(stderr, "mailcase: %s: already in the case (SHA-256 %s); not ingested again\n",
			    paths[i], it.info.h.sha256);
			continue;
		}
		if (evidence_kind_is_capture(it.info.kind))
			caps[ncaps++] = it;
		else
			items[nitems++] = it;
	}
	r = ingest_captures(ctx, caps, ncaps, o);
	if (r != MC_EXIT_OK)
		rc = r;
	for (i = 0; i < nitems; i++) {
		ingest_progress(o, i, nitems, items[i].path, "ingesting");
		r = ingest_one(ctx, &items[i]);
		if (r != MC_EXIT_OK)
			rc = r;
	}
	ingest_rehash(ctx, caps, ncaps);
	ingest_rehash(ctx, items, nitems);
	free(items);
	free(caps);
	return rc;
}
