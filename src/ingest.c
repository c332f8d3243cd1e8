/* ingest.c - the driver: evidence in, one transaction per evidence file
 * (one per capture), every stage called in pipeline order. */
#include "ingest.h"
#include "evidence.h"
#include "evidence_walk.h"
#include "exitcodes.h"
#include "capture/capture.h"
#include "capture/stream.h"
#include "auth/authres.h"
#include "auth/dkim.h"
#include "auth/hidden.h"
#include "auth/dkimkeys.h"
#include "auth/fields.h"
#include "mail/hops.h"
#include "mail/mailbox.h"
#include "mail/received.h"
#include "mail/maildate.h"
#include "mail/message.h"
#include "mail/session.h"
#include "mail/tls.h"
#include "media/exif.h"
#include "office/office.h"
#include "office/zipsafe.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "store/db_auth.h"
#include "store/db_documents.h"
#include "store/db_flows.h"
#include "store/db_images.h"
#include "store/db_mail.h"
#include "store/db_messages.h"
#include "store/db_recover.h"
#include "store/db_routes.h"
#include "store/db_tls.h"
#include "util/fault.h"
#include "util/fileio.h"
#include "util/hash.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An entry of a folder with a row of its own, kept for hashing it again at
 * the end of the run. */
struct ingest_kid {
	int64_t id;
	char *rel;
	bool maildir;               /* a Maildir in the folder: hashed as a folder */
	bool hashed;                /* it had hashes when it was listed */
	char sha256[65];
};

struct ingest_item {
	const char *path;
	struct evidence_info info;
	int64_t id;
	/* an entry of a folder: its folder's row, its own type when not a
	 * file's kind ("symlink", "other"), and its resolved path (not
	 * resolving the entry itself: a link stays the link) */
	int64_t parent_id;
	const char *type;
	const char *abs_path;
	const struct evidence_entry *entry;
	const char *position;       /* an entry of an archive: its name in it */
	char *detail;               /* owned; when set, the row's detail (a link's whole target) */
	char *why;                  /* owned; why an entry could not be read */
	/* a folder: its entries with rows */
	struct ingest_kid *kids;
	size_t nkids;
};

/* What a run tells on stderr at its end. */
struct ingest_tally {
	size_t listed;              /* entries listed, not read: not evidence, links */
};

static void
ingest_progress(const struct ingest_opts *o, size_t i, size_t n, const char *path, const char *what)
{
	if (o->progress)
		fprintf(stderr, "[%zu/%zu] %s: %s\n", i + 1, n, path, what);
}

static int64_t
ingest_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Starts counting for one evidence file of size bytes. */
static void
ingest_progress_start(struct ingest_ctx *ctx, uint64_t size)
{
	ctx->prog_size = size;
	ctx->prog_count = 0;
	ctx->prog_start_ns = ctx->prog_last_ns = ingest_clock_ns();
}

/* One more message or flow (what), off bytes into the file (0: unknown):
 * a line at most once a second, with the time left estimated from the
 * share of the file read so far. */
static void
ingest_progress_step(struct ingest_ctx *ctx, const char *what, uint64_t off)
{
	int64_t now;
	double done, left;

	ctx->prog_count++;
	if (!ctx->progress || (now = ingest_clock_ns()) - ctx->prog_last_ns < 1000000000)
		return;
	ctx->prog_last_ns = now;
	done = ctx->prog_size && off ? (double)off / (double)ctx->prog_size : 0;
	if (done > 0.01 && done < 1) {
		left = (double)(now - ctx->prog_start_ns) / 1e9 * (1 - done) / done;
		fprintf(stderr, "  %s: %" PRIu64 " %s, %.0f%% of the file, about %.0f s left\n",
		    ctx->evidence_path, ctx->prog_count, what, done * 100, left);
	} else {
		fprintf(stderr, "  %s: %" PRIu64 " %s\n", ctx->evidence_path, ctx->prog_count, what);
	}
}

static int64_t
ingest_add_row(struct ingest_ctx *ctx, struct ingest_item *it)
{
	struct evidence_row row;
	char *abs = it->abs_path ? NULL : realpath(it->path, NULL);

	memset(&row, 0, sizeof(row));
	row.parent_id = it->parent_id;
	row.path = it->path;
	row.abs_path = it->abs_path ? it->abs_path : abs ? abs : it->path;
	row.type = it->type ? it->type : evidence_kind_name(it->info.kind);
	row.detail = it->detail ? it->detail : it->info.detail;
	row.position = it->position;
	row.h = it->info.h;
	it->id = casedb_evidence_add(ctx->db, &row, ctx->run_id);
	free(abs);
	return it->id;
}

static int64_t art_put(struct ingest_ctx *ctx, const void *p, size_t len,
    const struct artifact_ref *ref, struct hashes *h);
static void ingest_mailbox_message(void *arg, const void *raw, size_t len,
    const struct msg_origin *o);

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
		.server = c->server, .domain = c->domain, .workstation = c->workstation,
		.details = c->details,
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
	return ingest_message(is->ctx, raw, len, &mine);
}

/* An IMAP data item: its row, and its bytes as an artifact of the session
 * unless they are (part of) a message stored as such. */
static void
ingest_sess_imap_item(void *arg, const struct mail_imap_item *it)
{
	struct ingest_sess *is = arg;
	struct ingest_ctx *ctx = is->ctx;
	bool own = strcmp(it->use, "piece") == 0 || strcmp(it->use, "listed") == 0;
	char *prov = xasprintf("frames %s", it->frames ? it->frames : "");
	struct artifact_ref ref = {
		.evidence_id = ctx->evidence_id, .parent_kind = "session", .parent_id = is->session_id,
		.role = strcmp(it->use, "listed") == 0 ? "imap-envelope" : "imap-piece",
		.declared_name = it->item, .part_path = it->item, .provenance = prov,
		.known_type = strcmp(it->use, "listed") == 0 ? "text/plain" : NULL,
	};
	struct hashes h;
	struct db_imap_item row = {
		.session_id = is->session_id, .dir = it->dir, .mailbox = it->mailbox,
		.mailbox_utf8 = it->mailbox_utf8, .seq = it->seq, .uid = it->uid, .item = it->item,
		.section = it->section, .origin = it->origin, .flags = it->flags,
		.internaldate = it->internaldate, .internaldate_us = it->internaldate_us,
		.rfc822_size = it->rfc822_size, .size = (int64_t)it->len, .frames = it->frames,
		.stream_off = (int64_t)it->stream_off, .ts_us = it->ts_us, .use = it->use,
		.message_id = it->message_id, .incomplete_why = it->incomplete_why,
	};

	if (it->data != NULL) {
		if (own)
			(void)art_put(ctx, it->data, it->len, &ref, &h);
		else
			hash_mem(it->data, it->len, &h);
		row.sha256 = h.sha256;
	}
	(void)db_mail_imap_item_add(is->dbm, &row);
	free(prov);
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

/* The server's certificates: each DER an artifact (role "certificate",
 * parent the tls row), its facts a tls_certs row. */
static void
ingest_sess_certs(struct ingest_sess *is, int64_t tls_id, const struct tls_info *t)
{
	for (size_t i = 0; i < t->ncerts; i++) {
		const struct x509_facts *x = &t->certs[i];
		char *prov = xasprintf("certificate %zu of the TLS server's chain, session %" PRId64,
		    i, is->session_id);
		struct artifact_ref ref = {
			.evidence_id = is->ctx->evidence_id, .parent_kind = "tls", .parent_id = tls_id,
			.role = "certificate", .provenance = prov,
		};
		struct db_tls_cert row = {
			.tls_id = tls_id, .idx = (int64_t)i, .sha256 = x->sha256,
			.size = (int64_t)x->len, .parsed = x->parsed, .subject = x->subject,
			.issuer = x->issuer, .not_before = x->not_before, .not_after = x->not_after,
			.serial = x->serial, .san = x->san,
		};
		struct hashes h;

		artstore_put(is->ctx->art, x->der, x->len, &ref, &h);
		(void)db_tls_cert_add(is->ctx->db, &row);
		free(prov);
	}
}

static void
ingest_sess_tls(void *arg, const struct tls_info *t)
{
	struct ingest_sess *is = arg;
	struct db_tls row = {
		.session_id = is->session_id, .record_version = t->record_version,
		.client_version = t->client_version, .server_version = t->server_version,
		.version = t->version, .offered_versions = t->offered_versions, .sni = t->sni,
		.alpn_offered = t->alpn_offered, .alpn = t->alpn, .ciphers = t->ciphers,
		.cipher = t->server_hello ? t->cipher : -1, .ja3 = t->ja3,
		.ja3_md5 = t->ja3 ? t->ja3_md5 : NULL, .ja3s = t->ja3s,
		.ja3s_md5 = t->ja3s ? t->ja3s_md5 : NULL, .ja4 = t->ja4[0] ? t->ja4 : NULL,
		.certs_hidden = t->certs_hidden, .certs = (int64_t)t->ncerts,
		.hrr = t->hrr, .hrr_group = t->hrr_group,
		.ja4_retry = t->ja4_retry[0] ? t->ja4_retry : NULL,
	};

	ingest_sess_certs(is, db_tls_add(is->ctx->db, &row), t);
}

void
ingest_flow_mail(struct ingest_ctx *ctx, const struct flow *f, int64_t flow_row_id)
{
	struct ingest_sess is = { .ctx = ctx, .flow_id = flow_row_id };
	struct mail_env env = { .lim = ctx->lim, .log = ctx->log, .source = ctx->evidence_path };
	struct mail_sink sink = {
		.arg = &is, .session_start = ingest_sess_start, .transcript = ingest_sess_transcript,
		.credential = ingest_sess_credential, .message = ingest_sess_message,
		.imap_item = ingest_sess_imap_item, .session_end = ingest_sess_end,
		.tls = ingest_sess_tls,
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

	ingest_progress_step(ctx, "flows", 0);
	if (f->app[0] != '\0' && f->buffered)
		ingest_flow_mail(ctx, f, flow_id);
}

/* A file read whole whose bytes do not hash as when it was identified
 * changed while it was read (and may read the same again afterwards). */
static bool
ingest_read_changed(struct ingest_ctx *ctx, const struct ingest_item *it, const char *read_sha256)
{
	if (read_sha256[0] == 0 || strcmp(read_sha256, it->info.h.sha256) == 0)
		return false;
	fprintf(stderr, "mailcase: %s: evidence changed while it was read\n", it->path);
	plog_add(ctx->log, PLOG_ERROR, "evidence.changed", it->path, "",
	    "the bytes read while processing hash %s (SHA-256), not %s as identified: the"
	    " file changed while it was read, even if it reads the same again later",
	    read_sha256, it->info.h.sha256);
	return true;
}

/* All capture files of the run are one capture (rotated files continue each
 * other), so they share one transaction; so do those of one folder, in the
 * folder's transaction. Items without a row get one. A file read whole
 * whose bytes do not hash as when it was identified counts in *changed. */
static int
ingest_captures_in(struct ingest_ctx *ctx, struct ingest_item *items, size_t n,
    const struct ingest_opts *o, size_t *changed)
{
	struct capture_opts copts = { .keep_all = false };
	struct flow_sink sink = { .arg = ctx, .flow_end = ingest_flow_end };
	struct capture *cap;
	size_t i, nfiles;
	int rc = MC_EXIT_OK;

	cap = capture_new(ctx->log, ctx->lim, &copts);
	for (i = 0; i < n; i++) {
		if (items[i].id == 0)
			ingest_add_row(ctx, &items[i]);
		capture_add_file(cap, items[i].path, items[i].id);
	}
	if (o->progress)
		fprintf(stderr, "reading %zu capture file%s\n", n, n == 1 ? "" : "s");
	ctx->evidence_id = items[0].id;
	ctx->evidence_path = items[0].path;
	ingest_progress_start(ctx, 0);
	capture_run(cap, &sink);
	nfiles = capture_file_count(cap);
	for (i = 0; i < nfiles; i++) {
		const struct capture_file_info *fi = capture_file_get(cap, i);
		const char *status = "ok", *why = NULL;

		casedb_evidence_capture_stats(ctx->db, fi->evidence_id, fi->first_us, fi->last_us,
		    fi->packets, fi->link_types);
		if (!fi->readable) {
			status = "unreadable";
			why = fi->error ? fi->error : "cannot be read";
			fprintf(stderr, "mailcase: %s: %s\n", fi->path, why);
			rc = MC_EXIT_PARTIAL;
		} else if (fi->truncated) {
			/* Read in part: what was read is in the case, and the
			 * exit status says that not all of it could be. */
			status = "partial";
			why = fi->error ? fi->error : "not read to its end; the frames before are kept";
			fprintf(stderr, "mailcase: %s: %s\n", fi->path, why);
			rc = MC_EXIT_PARTIAL;
		}
		if (fi->read_whole && ingest_read_changed(ctx, &items[i], fi->read_sha256))
			(*changed)++;
		casedb_evidence_done_why(ctx->db, fi->evidence_id, status, why);
	}
	capture_free(cap);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, items[0].id);
	return rc;
}

static int
ingest_captures(struct ingest_ctx *ctx, struct ingest_item *items, size_t n,
    const struct ingest_opts *o, size_t *changed)
{
	int rc;

	if (n == 0)
		return MC_EXIT_OK;
	casedb_begin(ctx->db);
	rc = ingest_captures_in(ctx, items, n, o, changed);
	casedb_commit(ctx->db);
	fault_point("ingest.commit");
	return rc;
}

static bool ingest_status_bad(const char *status);
static bool ingest_archive(struct ingest_ctx *ctx, int64_t id, const char *path,
    const char *abs_path, const void *p, size_t len, unsigned depth, uint64_t *inflated,
    bool *logged);

/* An office document given directly as evidence: stored as an artifact of
 * the evidence and unpacked. It is read into memory, never mapped, so a file
 * that shrinks meanwhile is an error of that evidence, not a SIGBUS. */
static bool
ingest_document(struct ingest_ctx *ctx, struct ingest_item *it, char *read_sha256, bool *partial)
{
	struct artifact_ref ref = { 0 };
	struct hashes h;
	const char *base = strrchr(it->path, '/');
	const char *kind;
	char *p, *err = NULL;
	size_t len;

	if ((uint64_t)it->info.h.size > ctx->lim->zip_inflated) {
		plog_add(ctx->log, PLOG_WARN, "evidence.size", it->path, "",
		    "%llu bytes: larger than the document ceiling (%llu bytes); hashed, not unpacked",
		    (unsigned long long)it->info.h.size, (unsigned long long)ctx->lim->zip_inflated);
		return true;
	}
	if (!fileio_read_all(it->path, ctx->lim->zip_inflated, &p, &len, &err)) {
		plog_add(ctx->log, PLOG_ERROR, "evidence.read", it->path, "", "%s; not unpacked", err);
		free(err);
		return false;
	}
	if (len == 0) {
		plog_add(ctx->log, PLOG_WARN, "evidence.size", it->path, "", "an empty file; not unpacked");
		free(p);
		return true;
	}
	ref.evidence_id = it->id;
	ref.parent_kind = "evidence";
	ref.parent_id = it->id;
	ref.role = "evidence";
	ref.declared_name = base ? base + 1 : it->path;
	ref.provenance = "the whole evidence file";
	artstore_put(ctx->art, p, len, &ref, &h);
	/* the bytes read whole are the bytes analysed: their hash is the read hash */
	memcpy(read_sha256, h.sha256, sizeof(h.sha256));
	kind = office_document_kind(p, len);
	if (kind != NULL) {
		/* what the first bytes could not say: the OLE file or zip is a
		 * document (a Hangul one, or docx...) */
		char *detail = strcmp(kind, "hwp") == 0 || strcmp(kind, "hwpx") == 0 ?
		    xasprintf("%s, %s", it->info.detail, kind[3] == 'x' ? "HWPX document" :
		    "HWP 5 document") : xasprintf("%s, %s document", it->info.detail, kind);

		casedb_evidence_detail(ctx->db, it->id, detail);
		free(detail);
	}
	if (kind != NULL)
		ingest_office(ctx, p, len, h.sha256, ref.declared_name, 0);
	else if (it->info.kind == EV_OLE)
		plog_add(ctx->log, PLOG_INFO, "evidence.ole", it->path, "",
		    "an OLE compound file that is not an HWP document: stored and hashed only");
	else {
		/* an export.zip of mailboxes and stores: every entry read */
		char *abs = it->abs_path ? NULL : realpath(it->path, NULL);
		uint64_t inflated = 0;
		bool logged = false;

		*partial = !ingest_archive(ctx, it->id, it->path,
		    it->abs_path ? it->abs_path : abs ? abs : it->path, p, len, 0, &inflated, &logged);
		free(abs);
		ctx->evidence_id = it->id;
		ctx->evidence_path = it->path;
	}
	free(p);
	return true;
}

/* ---- zip archives given as evidence ---------------------------------------- */

/* The entry's own reading, by its content: a mailbox, a mail store, an
 * office document, a zip inside (up to lim->doc_depth levels, within the
 * same inflated budget). Returns its status; *why (free it) says why it was
 * not read, or not whole. */
static const char *
ingest_entry_read(struct ingest_ctx *ctx, struct ingest_item *kid, const void *p, size_t len,
    unsigned depth, uint64_t *inflated, bool *logged, char **why)
{
	enum evidence_kind k = kid->info.kind;
	const char *kind = k == EV_ZIP || k == EV_OLE ? office_document_kind(p, len) : NULL;
	int r;

	*why = NULL;
	if (evidence_kind_is_mailbox(k)) {
		if (!mailbox_read_mem(p, len, kid->path, evidence_kind_name(k), ctx->lim, ctx->log,
		    ingest_mailbox_message, ctx)) {
			*why = xstrdup("could not be read (see the processing log)");
			return "unreadable";
		}
		return "ok";
	}
	if (kind != NULL) {
		struct hashes h;

		hash_mem(p, len, &h);
		ingest_office(ctx, p, len, h.sha256, kid->position, 0);
		return "ok";
	}
	if (evidence_kind_is_store(k) || k == EV_OLE) {
		r = ingest_store_mem(ctx, p, len, kid->path, k == EV_OLE ? "ole" :
		    evidence_kind_name(k));
		if (r == INGEST_STORE_OK)
			return "ok";
		if (r == INGEST_STORE_PARTIAL) {
			*why = xstrdup("some items could not be read (see the processing log)");
			return "partial";
		}
		if (r == INGEST_STORE_UNREADABLE) {
			*why = xstrdup("could not be read (see the processing log)");
			return "unreadable";
		}
		/* an OLE file that is no .msg and no HWP document */
	}
	if (k == EV_ZIP) {
		if (depth + 1 > ctx->lim->doc_depth) {
			plog_add(ctx->log, PLOG_WARN, "archive.depth", kid->path, "",
			    "a zip archive nested %u deep, past the ceiling of %u (doc-depth): stored and"
			    " hashed, not opened", depth + 1, ctx->lim->doc_depth);
			*why = xstrdup("a zip nested past the ceiling; stored and hashed, not opened");
			return "partial";
		}
		if (!ingest_archive(ctx, kid->id, kid->path, kid->abs_path, p, len, depth + 1,
		    inflated, logged)) {
			*why = xstrdup("some of its entries could not be read, or not whole");
			return "partial";
		}
		return "ok";
	}
	if (evidence_kind_is_capture(k)) {
		plog_add(ctx->log, PLOG_INFO, "archive.capture", kid->path, "",
		    "a capture inside an archive is stored and hashed, not read: give it as evidence of"
		    " its own to read it");
		*why = xstrdup("a capture inside an archive; stored and hashed, not read");
		return "not-read";
	}
	*why = xstrdup("no reader for this content; hashed and listed only");
	return "not-evidence";
}

/* The zip archive p[0..len) of evidence row id (path as given, abs_path
 * resolved): every entry that is a file becomes an evidence row of its own
 * (parent_id id, position its name in the archive, hashed, stored as an
 * artifact) and is read by its own content. Entries are read through
 * office/zipsafe.h, within lim->zip_entries and the inflated budget
 * *inflated shared by the whole nest (lim->zip_inflated); what a ceiling
 * stops is logged. False when the archive cannot be opened or some entry
 * could not be read whole. */
static bool
ingest_archive(struct ingest_ctx *ctx, int64_t id, const char *path, const char *abs_path,
    const void *p, size_t len, unsigned depth, uint64_t *inflated, bool *logged)
{
	struct ozip *z = ozip_open(p, len, ctx->lim, ctx->log, path);
	size_t i, n, bad = 0, read = 0, dirs = 0;

	if (z == NULL) {
		casedb_log_flush(ctx->db, ctx->log, ctx->run_id, id);
		return false;
	}
	ozip_share_budget(z, inflated, logged);
	n = ozip_count(z);
	bad += ozip_capped(z) ? 1 : 0;
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, id);
	for (i = 0; i < n; i++) {
		const char *raw = ozip_name(z, i);
		size_t rl = strlen(raw), elen = 0;
		struct ingest_item kid;
		struct artifact_ref ref = { 0 };
		struct hashes h;
		char *data, *name, *why = NULL, *prov;
		const char *status;

		if (rl > 0 && raw[rl - 1] == '/') {
			dirs++;
			continue;        /* a folder of the archive: its files have rows */
		}
		memset(&kid, 0, sizeof(kid));
		name = text_clean_str(raw, 0);
		kid.path = xasprintf("%s/%s", path, name);
		kid.abs_path = xasprintf("%s/%s", abs_path, name);
		kid.parent_id = id;
		kid.position = name;
		data = ozip_read(z, i, ctx->lim->zip_inflated, &elen);
		if (data == NULL) {
			kid.type = "unknown";
			snprintf(kid.info.detail, sizeof(kid.info.detail), "entry of a zip archive");
			ingest_add_row(ctx, &kid);
			status = "unreadable";
			why = xstrdup("could not be read from the archive (see the processing log)");
			fprintf(stderr, "mailcase: %s: %s\n", kid.path, why);
		} else {
			kid.info.kind = evidence_sniff_kind(data, elen, kid.info.detail,
			    sizeof(kid.info.detail));
			hash_mem(data, elen, &kid.info.h);
			ingest_add_row(ctx, &kid);
			ref.evidence_id = kid.id;
			ref.parent_kind = "evidence";
			ref.parent_id = kid.id;
			ref.role = "evidence";
			ref.declared_name = strrchr(raw, '/') ? strrchr(raw, '/') + 1 : raw;
			ref.part_path = name;
			prov = xasprintf("zip entry %zu \"%s\" of %s", i, name, path);
			ref.provenance = prov;
			art_put(ctx, data, elen, &ref, &h);
			free(prov);
			ctx->evidence_id = kid.id;
			ctx->evidence_path = kid.path;
			status = ingest_entry_read(ctx, &kid, data, elen, depth, inflated, logged, &why);
			read++;
		}
		if (ingest_status_bad(status))
			bad++;
		casedb_evidence_done_why(ctx->db, kid.id, status, why);
		casedb_log_flush(ctx->db, ctx->log, ctx->run_id, kid.id);
		ctx->evidence_id = id;
		ctx->evidence_path = path;
		free(why);
		free(data);
		free((char *)kid.path);
		free((char *)kid.abs_path);
		free(name);
	}
	plog_add(ctx->log, PLOG_INFO, "archive.read", path, "",
	    "a zip archive of %zu entries (%zu of them folders): %zu files read as evidence of their"
	    " own, %zu not whole", n, dirs, read, bad);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, id);
	ozip_free(z);
	return bad == 0;
}

/* Reads a file that is no capture and no folder into row it->id. Returns
 * its status; *why (free it) says why it was not read, or not whole. */
static const char *
ingest_file(struct ingest_ctx *ctx, struct ingest_item *it, size_t *changed,
    struct ingest_tally *t, char **why)
{
	bool ok = true;
	const char *status = "ok";
	char read_sha256[65] = "";

	*why = NULL;
	ctx->evidence_id = it->id;
	ctx->evidence_path = it->path;
	if (evidence_kind_is_mailbox(it->info.kind)) {
		ok = ingest_mailbox(ctx, it->path, evidence_kind_name(it->info.kind), read_sha256);
		if (ingest_read_changed(ctx, it, read_sha256))
			(*changed)++;
	} else if (evidence_kind_is_store(it->info.kind)) {
		int r = ingest_store(ctx, it->path, evidence_kind_name(it->info.kind));

		ok = r != INGEST_STORE_UNREADABLE;
		if (r == INGEST_STORE_PARTIAL) {
			status = "partial";
			*why = xstrdup("some items could not be read (see the processing log)");
		}
	} else if (it->info.kind == EV_ZIP || it->info.kind == EV_OLE) {
		bool partial = false;

		ok = ingest_document(ctx, it, read_sha256, &partial);
		if (ingest_read_changed(ctx, it, read_sha256))
			(*changed)++;
		if (partial) {
			status = "partial";
			*why = xstrdup("some of its entries could not be read, or not whole (see the"
			    " processing log)");
		}
	} else {
		/* Not an error: the file is listed with its hashes, and the
		 * run's last line counts it. */
		plog_add(ctx->log, PLOG_INFO, "evidence.type", it->path, "",
		    "%s: not a capture, mailbox, mail store or office document; hashed and listed only",
		    it->info.detail);
		status = "not-evidence";
		*why = xstrdup("no reader for this content; hashed and listed only");
		if (it->parent_id == 0)
			fprintf(stderr, "mailcase: %s: not evidence (%s); hashed and listed only\n",
			    it->path, it->info.detail);
		t->listed++;
	}
	if (!ok) {
		status = "unreadable";
		free(*why);
		*why = xstrdup("could not be read (see the processing log)");
		fprintf(stderr, "mailcase: %s: could not be read (see the processing log)\n", it->path);
	}
	return status;
}

static bool
ingest_status_bad(const char *status)
{
	return strcmp(status, "unreadable") == 0 || strcmp(status, "partial") == 0;
}

static void
ingest_kid_add(struct ingest_item *top, const struct ingest_item *kid, const char *rel,
    bool maildir)
{
	struct ingest_kid *k;

	top->kids = xreallocarray(top->kids, top->nkids + 1, sizeof(*top->kids));
	k = &top->kids[top->nkids++];
	memset(k, 0, sizeof(*k));
	k->id = kid->id;
	k->rel = xstrdup(rel);
	k->maildir = maildir;
	k->hashed = kid->info.h.sha256[0] != '\0';
	memcpy(k->sha256, kid->info.h.sha256, sizeof(k->sha256));
}

/* One entry of a folder as an item of its own, with its row. */
static void
ingest_entry_item(struct ingest_ctx *ctx, struct ingest_item *top, const char *absdir,
    const struct evidence_entry *e, struct ingest_item *it)
{
	char *err = NULL;

	memset(it, 0, sizeof(*it));
	it->path = xasprintf("%s/%s", top->path, e->rel);
	it->abs_path = xasprintf("%s/%s", absdir, e->rel);
	it->parent_id = top->id;
	it->entry = e;
	switch (e->type) {
	case EVW_FILE:
		if (!evidence_type_file(it->path, &it->info, &err)) {
			/* gone or changed since it was hashed: listed unreadable */
			it->type = "unknown";
			it->info.detail[0] = '\0';
			it->why = err;
		}
		it->info.h = e->h;
		break;
	case EVW_SYMLINK:
		it->type = "symlink";
		it->detail = xasprintf("symbolic link to %s", e->target);
		it->info.h = e->h;
		break;
	case EVW_OTHER:
		it->type = "other";
		snprintf(it->info.detail, sizeof(it->info.detail), "%s", e->why);
		hash_mem("", 0, &it->info.h);
		break;
	default:
		it->type = "unknown";
		it->info.h = e->h;
		break;
	}
	ingest_add_row(ctx, it);
	ingest_kid_add(top, it, e->rel, false);
}

/* The messages of Maildir k of the folder into row id. */
static bool
ingest_maildir(struct ingest_ctx *ctx, const struct ingest_item *top, size_t k, int64_t id,
    const char *path)
{
	const struct evidence_walk *w = top->info.walk;
	size_t i, n = 0;
	const char **rels = xcalloc(evidence_walk_count(w) + 1, sizeof(*rels));
	bool ok;

	for (i = 0; i < evidence_walk_count(w); i++) {
		const struct evidence_entry *e = evidence_walk_get(w, i);

		if (e->maildir == (int)k)
			rels[n++] = e->in_maildir;
	}
	ctx->evidence_id = id;
	ctx->evidence_path = path;
	ok = mailbox_read_maildir(path, rels, n, ctx->lim, ctx->log, ingest_mailbox_message, ctx);
	free(rels);
	return ok;
}

/* A folder (evidence_walk.h): every entry a row of its own (parent_id the
 * folder's), in path order, each file read by its own content; Maildirs
 * read as mailboxes, with the folder's row when it is one itself. All in
 * the folder's transaction. Returns the folder's status. */
static const char *
ingest_folder(struct ingest_ctx *ctx, struct ingest_item *top, const struct ingest_opts *o,
    size_t *changed, struct ingest_tally *t, char **why, int *rc)
{
	const struct evidence_walk *w = top->info.walk;
	size_t n = evidence_walk_count(w), nmd = evidence_walk_maildir_count(w);
	struct ingest_item *kids = xcalloc(n + 1, sizeof(*kids));
	struct ingest_item *caps = xcalloc(n + 1, sizeof(*caps));
	int64_t *md_id = xcalloc(nmd + 1, sizeof(*md_id));
	char **md_path = xcalloc(nmd + 1, sizeof(*md_path));
	char *absdir = realpath(top->path, NULL);
	size_t i, k, nk = 0, ncaps = 0, bad = 0;

	for (i = 0; i < n; i++) {
		const struct evidence_entry *e = evidence_walk_get(w, i);

		if (e->type == EVW_DIR) {
			for (k = 0; k < nmd; k++)
				if (strcmp(evidence_walk_maildir(w, k), e->rel) == 0)
					break;
			if (k == nmd)
				continue;
			/* a Maildir in the folder: a row of its own, hashed as a folder */
			memset(&kids[nk], 0, sizeof(kids[nk]));
			kids[nk].path = xasprintf("%s/%s", top->path, e->rel);
			kids[nk].abs_path = xasprintf("%s/%s", absdir ? absdir : top->path, e->rel);
			kids[nk].parent_id = top->id;
			kids[nk].info.kind = EV_MAILDIR;
			snprintf(kids[nk].info.detail, sizeof(kids[nk].info.detail), "Maildir folder");
			evidence_walk_digest(w, e->rel, &kids[nk].info.h);
			ingest_add_row(ctx, &kids[nk]);
			ingest_kid_add(top, &kids[nk], e->rel, true);
			md_id[k] = kids[nk].id;
			md_path[k] = xstrdup(kids[nk].path);
			nk++;
			continue;
		}
		if (e->maildir >= 0)
			continue;    /* a message of a Maildir */
		ingest_entry_item(ctx, top, absdir ? absdir : top->path, e, &kids[nk]);
		nk++;
	}
	for (k = 0; k < nmd; k++) {
		const char *root = evidence_walk_maildir(w, k);

		if (root[0] == '\0') {
			md_id[k] = top->id;
			md_path[k] = xstrdup(top->path);
		}
	}
	/* the Maildirs, the folder's own first (it sorts first) */
	for (k = 0; k < nmd; k++) {
		bool ok = ingest_maildir(ctx, top, k, md_id[k], md_path[k]);

		if (md_id[k] != top->id) {
			if (!ok) {
				bad++;
				fprintf(stderr, "mailcase: %s: could not be read (see the processing log)\n",
				    md_path[k]);
			}
			casedb_evidence_done_why(ctx->db, md_id[k], ok ? "ok" : "unreadable",
			    ok ? NULL : "could not be read (see the processing log)");
			casedb_log_flush(ctx->db, ctx->log, ctx->run_id, md_id[k]);
		} else if (!ok) {
			bad++;
		}
	}
	for (i = 0; i < nk; i++) {
		struct ingest_item *it = &kids[i];
		const char *status;
		char *kwhy = NULL;

		if (it->info.kind == EV_MAILDIR)
			continue;
		if (it->type == NULL && evidence_kind_is_capture(it->info.kind)) {
			caps[ncaps++] = *it;
			continue;
		}
		if (it->type != NULL && strcmp(it->type, "symlink") == 0) {
			status = "not-followed";
			kwhy = xstrdup("symbolic links in evidence folders are not followed");
			t->listed++;
		} else if (it->type != NULL && strcmp(it->type, "other") == 0) {
			status = "not-evidence";
			kwhy = xstrdup(it->info.detail);
			t->listed++;
		} else if (it->type != NULL) {
			status = "unreadable";
			kwhy = xstrdup(it->why ? it->why : it->entry->why ? it->entry->why :
			    "cannot be read");
			fprintf(stderr, "mailcase: %s: %s\n", it->path, kwhy);
			plog_add(ctx->log, PLOG_ERROR, "evidence.unreadable", it->path, "", "%s", kwhy);
		} else {
			ingest_progress_start(ctx, it->info.h.size);
			status = ingest_file(ctx, it, changed, t, &kwhy);
		}
		if (ingest_status_bad(status))
			bad++;
		casedb_evidence_done_why(ctx->db, it->id, status, kwhy);
		casedb_log_flush(ctx->db, ctx->log, ctx->run_id, it->id);
		free(kwhy);
	}
	if (ncaps > 0 && ingest_captures_in(ctx, caps, ncaps, o, changed) != MC_EXIT_OK)
		bad++;
	ctx->evidence_id = top->id;
	ctx->evidence_path = top->path;
	if (bad > 0) {
		*rc = MC_EXIT_PARTIAL;
		*why = xasprintf("%zu of its entries could not be read, or not whole", bad);
	}
	for (i = 0; i < nk; i++) {
		free((char *)kids[i].path);
		free((char *)kids[i].abs_path);
		free(kids[i].detail);
		free(kids[i].why);
	}
	for (k = 0; k < nmd; k++)
		free(md_path[k]);
	free(md_path);
	free(md_id);
	free(caps);
	free(kids);
	free(absdir);
	return bad > 0 ? "partial" : "ok";
}

static int
ingest_one(struct ingest_ctx *ctx, struct ingest_item *it, const struct ingest_opts *o,
    size_t *changed, struct ingest_tally *t)
{
	const char *status;
	char *why = NULL;
	int rc = MC_EXIT_OK;

	casedb_begin(ctx->db);
	ingest_add_row(ctx, it);
	ctx->evidence_id = it->id;
	ctx->evidence_path = it->path;
	if (it->info.walk != NULL)
		status = ingest_folder(ctx, it, o, changed, t, &why, &rc);
	else {
		status = ingest_file(ctx, it, changed, t, &why);
		if (ingest_status_bad(status))
			rc = MC_EXIT_PARTIAL;
	}
	casedb_evidence_done_why(ctx->db, it->id, status, why);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, it->id);
	casedb_commit(ctx->db);
	fault_point("ingest.commit");
	free(why);
	return rc;
}

/* Every evidence file is hashed again after processing: one that no longer
 * hashes as it did when it was identified changed while it was read, so
 * what the case holds may not be what the file now holds. That is an error
 * in the processing log with both digests and sizes, on stderr, and in the
 * exit status; the report then no longer says the evidence was unchanged.
 * Returns the number of such files. */
static bool
ingest_changed_say(struct ingest_ctx *ctx, int64_t id, const char *path, const char *before,
    uint64_t size_before, const struct hashes *after)
{
	fprintf(stderr, "mailcase: %s: evidence changed while it was processed\n", path);
	if (after != NULL)
		plog_add(ctx->log, PLOG_ERROR, "evidence.changed", path, "",
		    "the file changed while it was processed: SHA-256 %s (%llu bytes) when it was"
		    " identified, %s (%llu bytes) afterwards; what the case holds may not be what"
		    " the file holds now", before, (unsigned long long)size_before, after->sha256,
		    (unsigned long long)after->size);
	else
		plog_add(ctx->log, PLOG_ERROR, "evidence.changed", path, "",
		    "the file could not be read again after it was processed (SHA-256 %s when it"
		    " was identified): it may have been moved, removed or changed", before);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, id);
	return true;
}

/* The entries of a folder with rows, against a new walk of it. */
static size_t
ingest_rehash_kids(struct ingest_ctx *ctx, const struct ingest_item *top,
    const struct evidence_walk *w)
{
	size_t i, j = 0, n = w ? evidence_walk_count(w) : 0, changed = 0;

	for (i = 0; i < top->nkids; i++) {
		const struct ingest_kid *k = &top->kids[i];
		const struct evidence_entry *e = NULL;
		struct hashes after;
		bool ok = false, same;
		char *path;

		/* both lists are sorted by path */
		while (j < n && strcmp(evidence_walk_get(w, j)->rel, k->rel) < 0)
			j++;
		if (j < n && strcmp(evidence_walk_get(w, j)->rel, k->rel) == 0)
			e = evidence_walk_get(w, j);
		if (!k->hashed)
			continue;    /* unreadable when listed: nothing to compare */
		if (k->maildir && e != NULL && e->type == EVW_DIR) {
			evidence_walk_digest(w, k->rel, &after);
			ok = true;
		} else if (e != NULL && (e->type == EVW_FILE || e->type == EVW_SYMLINK)) {
			after = e->h;
			ok = true;
		} else if (e != NULL && e->type == EVW_OTHER) {
			hash_mem("", 0, &after);
			ok = true;
		}
		same = ok && strcmp(after.sha256, k->sha256) == 0;
		casedb_evidence_rehash(ctx->db, k->id, ok ? &after : NULL, same);
		if (same)
			continue;
		changed++;
		path = xasprintf("%s/%s", top->path, k->rel);
		ingest_changed_say(ctx, k->id, path, k->sha256, 0, ok ? &after : NULL);
		free(path);
	}
	return changed;
}

static size_t
ingest_rehash(struct ingest_ctx *ctx, struct ingest_item *items, size_t n)
{
	size_t i, changed = 0;

	casedb_begin(ctx->db);
	for (i = 0; i < n; i++) {
		struct hashes after;
		struct evidence_walk *w = NULL;
		bool ok, same;

		if (items[i].id <= 0)
			continue;
		if (items[i].info.walk != NULL) {
			/* one new walk hashes the folder and its entries */
			struct stat st;

			ok = stat(items[i].path, &st) == 0 && S_ISDIR(st.st_mode);
			if (ok) {
				const struct evidence_entry *e;

				w = evidence_walk_new(items[i].path);
				e = evidence_walk_get(w, 0);
				ok = !(e != NULL && e->rel[0] == '\0' && e->type == EVW_UNREADABLE);
				if (ok)
					evidence_walk_digest(w, "", &after);
			}
			changed += ingest_rehash_kids(ctx, &items[i], ok ? w : NULL);
			evidence_walk_free(w);
		} else {
			ok = evidence_hash(items[i].path, &after);
		}
		same = ok && strcmp(after.sha256, items[i].info.h.sha256) == 0;
		casedb_evidence_rehash(ctx->db, items[i].id, ok ? &after : NULL, same);
		if (items[i].info.kind == EV_ZIP)
			casedb_evidence_rehash_archive(ctx->db, items[i].id, same);
		if (same)
			continue;
		changed++;
		ingest_changed_say(ctx, items[i].id, items[i].path, items[i].info.h.sha256,
		    items[i].info.h.size, ok ? &after : NULL);
	}
	casedb_commit(ctx->db);
	return changed;
}

/* Evidence a killed run committed but never hashed again, read out before
 * any row is changed (a cursor is not kept open over the rows it updates). */
struct ingest_unhashed {
	int64_t id;
	char *path, *sha256;
};

static struct ingest_unhashed *
ingest_unhashed_list(struct ingest_ctx *ctx, size_t *n)
{
	struct ingest_unhashed *v = NULL;
	const struct row *r;
	struct rows *c = db_recover_unhashed(ctx->db);

	*n = 0;
	while (rows_next(c, &r)) {
		const char *path = row_text(r, 2) ? row_text(r, 2) : row_text(r, 1);

		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[*n].id = row_int(r, 0);
		v[*n].path = xstrdup(path ? path : "");
		v[*n].sha256 = xstrdup(row_text(r, 3) ? row_text(r, 3) : "");
		(*n)++;
	}
	rows_close(c);
	return v;
}

/* Marks runs a killed mailcase left without an end as interrupted. */
static void
ingest_recover_runs(struct ingest_ctx *ctx)
{
	const struct row *r;
	struct rows *c = db_recover_runs(ctx->db, ctx->run_id);
	int64_t *ids = NULL;
	size_t n = 0, i;

	while (rows_next(c, &r)) {
		plog_add(ctx->log, PLOG_WARN, "run.interrupted", "case", "",
		    "an earlier run (%s) ended without finishing; this run completes its work",
		    row_text(r, 1) ? row_text(r, 1) : "?");
		ids = xreallocarray(ids, n + 1, sizeof(*ids));
		ids[n++] = row_int(r, 0);
	}
	rows_close(c);
	for (i = 0; i < n; i++)
		db_recover_run_end(ctx->db, ids[i], ctx->now_us);
	free(ids);
}

/* Finishes what a killed run left (store/db_recover.h): its run gets an end
 * and the status "interrupted", and evidence it committed but never hashed
 * again is hashed now, so no file stays "not hashed again" for good. Said
 * in the processing log either way; a file that changed meanwhile is said
 * on stderr too. Returns the number of such files. */
static size_t
ingest_recover(struct ingest_ctx *ctx)
{
	struct ingest_unhashed *v;
	size_t n, i, changed = 0;

	casedb_begin(ctx->db);
	ingest_recover_runs(ctx);
	casedb_log_flush(ctx->db, ctx->log, ctx->run_id, 0);
	v = ingest_unhashed_list(ctx, &n);
	for (i = 0; i < n; i++) {
		struct hashes after;
		/* the resolved path: an entry of a folder that is a link stays one */
		bool ok = evidence_hash_nofollow(v[i].path, &after);
		bool same = ok && strcmp(after.sha256, v[i].sha256) == 0;

		casedb_evidence_rehash(ctx->db, v[i].id, ok ? &after : NULL, same);
		if (same)
			plog_add(ctx->log, PLOG_INFO, "evidence.rehashed", v[i].path, "",
			    "hashed again after an interrupted run: unchanged (SHA-256 %s)", v[i].sha256);
		else {
			changed++;
			fprintf(stderr, "mailcase: %s: evidence changed while it was processed\n", v[i].path);
			plog_add(ctx->log, PLOG_ERROR, "evidence.changed", v[i].path, "",
			    "hashed again after an interrupted run: SHA-256 %s when it was identified, %s"
			    " now; the file changed or cannot be read", v[i].sha256, ok ? after.sha256 : "none");
		}
		casedb_log_flush(ctx->db, ctx->log, ctx->run_id, v[i].id);
		free(v[i].path);
		free(v[i].sha256);
	}
	free(v);
	casedb_commit(ctx->db);
	return changed;
}

int
ingest_run(struct ingest_ctx *ctx, char *const *paths, size_t npaths, const struct ingest_opts *o)
{
	struct ingest_item *items = xcalloc(npaths ? npaths : 1, sizeof(*items));
	struct ingest_item *caps = xcalloc(npaths ? npaths : 1, sizeof(*caps));
	size_t i, j, ncaps = 0, nitems = 0;
	int rc = MC_EXIT_OK, r;
	size_t changed = ingest_recover(ctx);
	struct ingest_tally t = { 0 };

	ingest_ctx_prepare(ctx);
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
			evidence_info_clear(&it.info);
			continue;
		}
		if (evidence_kind_is_capture(it.info.kind))
			caps[ncaps++] = it;
		else
			items[nitems++] = it;
	}
	r = ingest_captures(ctx, caps, ncaps, o, &changed);
	if (r != MC_EXIT_OK)
		rc = r;
	for (i = 0; i < nitems; i++) {
		ingest_progress(o, i, nitems, items[i].path, "ingesting");
		ingest_progress_start(ctx, items[i].info.h.size);
		r = ingest_one(ctx, &items[i], o, &changed, &t);
		if (r != MC_EXIT_OK)
			rc = r;
	}
	changed += ingest_rehash(ctx, caps, ncaps) + ingest_rehash(ctx, items, nitems);
	if (changed > 0)
		rc = MC_EXIT_MISMATCH;
	if (t.listed > 0)
		fprintf(stderr, "mailcase: %zu file%s listed with %s hashes but not read: not evidence,"
		    " or a symbolic link (report section \"Evidence\")\n", t.listed,
		    t.listed == 1 ? "" : "s", t.listed == 1 ? "its" : "their");
	ingest_ctx_release(ctx);
	for (i = 0; i < nitems; i++) {
		for (j = 0; j < items[i].nkids; j++)
			free(items[i].kids[j].rel);
		free(items[i].kids);
		evidence_info_clear(&items[i].info);
	}
	free(items);
	free(caps);
	return rc;
}

/* ---- messages, mailboxes, documents -------------------------------------- */

/* Provenance text of an artifact ("frames 78-80", "message 3, offset 120")
 * is kept whole up to this size; past it the cut is logged. */
#define INGEST_PROV_MAX (1u << 20)

struct ingest_cache {
	struct db_messages *dbm;
	struct db_documents *dbd;
	char *trusted_text;        /* meta trusted_domains, cut into trusted[] */
	char **trusted;
	size_t ntrusted;
	struct dkimkeys *keys;            /* the case's dkim_keys, read once */
	struct dkimsig_verifier *dkim;    /* one libopendkim instance per run */
};

void
ingest_ctx_prepare(struct ingest_ctx *ctx)
{
	struct ingest_cache *c;
	char *save = NULL, *t;

	if (ctx->cache != NULL)
		return;
	c = xcalloc(1, sizeof(*c));
	c->dbm = db_messages_new(ctx->db);
	c->dbd = db_documents_new(ctx->db);
	c->trusted_text = casedb_meta_get(ctx->db, "trusted_domains");
	for (t = c->trusted_text ? strtok_r(c->trusted_text, ", ", &save) : NULL; t != NULL;
	    t = strtok_r(NULL, ", ", &save)) {
		c->trusted = xreallocarray(c->trusted, c->ntrusted + 1, sizeof(*c->trusted));
		c->trusted[c->ntrusted++] = t;
	}
	c->keys = dkimkeys_new();
	db_auth_keys_load(ctx->db, c->keys);
	ctx->cache = c;
}

void
ingest_ctx_release(struct ingest_ctx *ctx)
{
	struct ingest_cache *c = ctx->cache;

	if (c == NULL)
		return;
	if (ctx->art != NULL)
		artstore_flush(ctx->art);    /* every artifact file of the call is written */
	db_messages_free(c->dbm);
	db_documents_free(c->dbd);
	dkimsig_verifier_free(c->dkim);
	dkimkeys_free(c->keys);
	free(c->trusted);
	free(c->trusted_text);
	free(c);
	ctx->cache = NULL;
}

/* Where a message is, for the log: "frames 78-80 (stream offset 0)",
 * "message 3 (offset 120)", with the part of its parent when nested. */
static char *
msg_where(const struct msg_origin *o, const char *prefix)
{
	char *w, *n;

	if (o->frames && *o->frames) {
		char *brief = stream_frames_brief(o->frames);
		w = xasprintf("frames %s (stream offset %" PRIu64 ")", brief, o->stream_off);
		free(brief);
	} else if (o->store_where)
		w = xstrdup(o->store_where);
	else if (o->mbox_index)
		w = xasprintf("message %" PRId64 " (offset %" PRIu64 ")", o->mbox_index, o->file_offset);
	else
		w = xasprintf("offset %" PRIu64, o->file_offset);
	if (prefix == NULL || *prefix == 0)
		return w;
	n = xasprintf("%s, nested message in part %s", w, prefix);
	free(w);
	return n;
}

/* The provenance an artifact of this message carries, as text (a file name
 * in a folder may be any bytes). */
static char *
msg_provenance(struct ingest_ctx *ctx, const struct msg_origin *o, const char *source,
    const char *where)
{
	char *raw, *text;
	size_t n;

	if (o->frames && *o->frames)
		raw = xasprintf("frames %s", o->frames);
	else if (o->store_where && o->reconstructed)
		raw = xasprintf("%s (message written by mailcase from the item's properties, not bytes"
		    " of the evidence)", o->store_where);
	else if (o->store_where)
		raw = xstrdup(o->store_where);
	else if (o->file_path && *o->file_path)
		raw = xasprintf("%s, offset %" PRIu64, o->file_path, o->file_offset);
	else if (o->mbox_index)
		raw = xasprintf("message %" PRId64 ", offset %" PRIu64, o->mbox_index, o->file_offset);
	else
		raw = xasprintf("offset %" PRIu64, o->file_offset);
	text = text_clean_str(raw, 0);
	free(raw);
	n = strlen(text);
	if (n > INGEST_PROV_MAX) {
		plog_add(ctx->log, PLOG_WARN, "cap.message_bytes", source, where,
		    "provenance text of %zu bytes is longer than %u; artifacts carry its first %u",
		    n, INGEST_PROV_MAX, INGEST_PROV_MAX);
		n = INGEST_PROV_MAX;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;    /* not inside a UTF-8 sequence */
		text[n] = 0;
	}
	return text;
}

/* The messages row of a record. top: not a message/rfc822 part. */
static void
msg_row(struct db_message *row, const struct ingest_ctx *ctx, const struct msg_origin *o,
    const struct msg_record *r, size_t len, int64_t parent_id)
{
	bool top = parent_id == 0;

	memset(row, 0, sizeof(*row));
	row->evidence_id = ctx->evidence_id;
	row->session_id = o->session_id;
	row->parent_id = parent_id;
	row->source = top ? (o->source ? o->source : "eml") : "rfc822";
	row->mbox_index = o->mbox_index;
	row->has_file_offset = o->mbox_index || o->file_path || (!o->frames && !o->flow_id);
	row->file_offset = o->file_offset;
	row->file_path = o->file_path;
	row->flow_id = o->flow_id;
	row->frames = o->frames;
	row->has_stream_off = o->frames || o->flow_id;
	row->stream_off = o->stream_off;
	row->ts_us = o->ts_us;
	row->env_from = r->env_from;
	row->env_rcpt = r->env_rcpt;
	row->incomplete = top && o->incomplete;
	row->incomplete_why = top ? o->incomplete_why : NULL;
	row->partial = top && o->partial;
	row->size = (int64_t)len;
	row->message_id = r->message_id;
	row->subject = r->subject;
	row->from_addr = r->from_addr;
	row->from_name = r->from_name;
	row->date_raw = r->date_raw;
	row->has_date = r->date_ok;
	row->date_us = r->date_us;
	row->in_reply_to = r->in_reply_to;
	row->refs = r->references;
	row->x_mailer = r->x_mailer;
	row->x_originating_ip = r->x_originating_ip;
	row->auth_results = r->auth_results;
	row->has_dkim = r->has_dkim;
	row->headers = r->headers;
	if (top) {
		row->obs_helo = o->obs_helo;
		row->obs_client_ip = o->obs_client_ip;
		row->obs_server = o->obs_server;
		row->obs_server_ip = o->obs_server_ip;
	}
	row->body_text = r->body_text;
	row->body_html_text = r->html_text;
	row->flags = r->flags;
	if (top && o->from_line != NULL) {
		struct maildate md;

		row->from_line = o->from_line;
		row->has_from_line_us = maildate_read_from_line(o->from_line, strlen(o->from_line), &md);
		row->from_line_us = row->has_from_line_us ? md.us : 0;
	}
}

/* The route (mail/hops.c): Received fields top-down as written, and the hop
 * the capture observed for a top-level message. */
static void
msg_route(struct ingest_ctx *ctx, int64_t id, const struct msg_origin *o,
    const struct msg_record *r, bool top)
{
	struct hops_input in = {
		.received = (const char *const *)r->received, .nreceived = r->nreceived,
		.date = r->date_raw, .message_id = r->message_id, .from = r->from_addr,
		.x_originating_ip = r->x_originating_ip, .auth_results = r->auth_results,
		.return_path = r->return_path_addr,
		.trusted_domains = (const char *const *)ctx->cache->trusted,
		.ntrusted = ctx->cache->ntrusted,
	};
	struct route *route;
	char *where;

	if (top && o->source && strcmp(o->source, "smtp") == 0)
		in.obs_kind = "smtp";
	else if (top && o->source && (strcmp(o->source, "pop3") == 0 || strcmp(o->source, "imap") == 0))
		in.obs_kind = "fetched";
	if (in.obs_kind) {
		in.obs_helo = o->obs_helo;
		in.obs_client_ip = o->obs_client_ip;
		in.obs_server = o->obs_server;
		in.obs_server_ip = o->obs_server_ip;
		in.obs_us = o->ts_us;
	}
	if (in.ntrusted == 0)
		in.trusted_domains = NULL;
	in.now_us = ctx->now_us;
	where = xasprintf("message %" PRId64, id);
	route = hops_route(&in, ctx->log, ctx->evidence_path ? ctx->evidence_path : "", where);
	db_route_add(ctx->db, id, route);
	hops_route_free(route);
	free(where);
}

/* The EXIF metadata of an extracted JPEG or TIFF image (media/exif.c). */
static void
art_image_meta(struct ingest_ctx *ctx, const void *p, size_t len, const char *sha256)
{
	struct exif_record r;

	if (p == NULL || !exif_is_image(p, len) || !exif_read(p, len, &r))
		return;
	db_image_meta_add(ctx->db, sha256, &r);
	exif_record_free(&r);
}

/* The time a message's DKIM signatures are judged at (RFC 6376 section
 * 3.5 x=): its own delivery time, never the examiner's clock. The capture
 * time of a message off the wire; else the newest dated Received field
 * (the last server that took it); else its Date. */
static int64_t
msg_eval_time(const struct msg_origin *o, const struct msg_record *r, bool top,
    const char **basis)
{
	size_t i;

	if (top && o->ts_us) {
		*basis = "capture";
		return o->ts_us;
	}
	for (i = 0; i < r->nreceived; i++) {
		struct received rc;
		int64_t us;

		received_parse(r->received[i], strlen(r->received[i]), &rc);
		us = rc.has_date ? rc.date_us : 0;
		received_clear(&rc);
		if (us) {
			*basis = "received";
			return us;
		}
	}
	if (r->date_ok) {
		*basis = "date";
		return r->date_us;
	}
	*basis = "none";
	return 0;
}

/* DKIM (auth/dkim.c): every DKIM-Signature verified with the case's keys,
 * one dkim_signatures row each. libopendkim is set up on the first signed
 * message of the run. */
static void
msg_dkim(struct ingest_ctx *ctx, int64_t id, const void *raw, size_t len,
    const struct msg_origin *o, const struct msg_record *r, bool top, const char *source,
    const char *where)
{
	struct ingest_cache *c = ctx->cache;
	struct dkimsig_result *res;
	const char *basis;
	int64_t eval_us = msg_eval_time(o, r, top, &basis);
	size_t i;

	if (c->dkim == NULL && (c->dkim = dkimsig_verifier_new(c->keys)) == NULL) {
		plog_add(ctx->log, PLOG_ERROR, "auth.dkim_init", source, where,
		    "libopendkim could not be initialised; DKIM signatures are not verified");
		return;
	}
	res = dkimsig_verify(c->dkim, raw, len, eval_us / 1000000);
	if (res->fields_capped)
		plog_add(ctx->log, PLOG_WARN, "cap.auth_fields", source, where,
		    "the header has more than %u fields or a line over %u bytes; DKIM read the fields"
		    " before it", AUTH_FIELDS_MAX, AUTH_FIELD_LINE_MAX);
	for (i = 0; i < res->n; i++)
		db_auth_sig_add(ctx->db, id, &res->sigs[i], eval_us, basis);
	dkimsig_result_free(res);
}

/* What the receiving servers wrote (auth/authres.c): every
 * Authentication-Results, ARC-Authentication-Results and Received-SPF
 * field, top first, as auth_results rows. Only messages whose header names
 * one of them are read again. */
static void
msg_authres(struct ingest_ctx *ctx, int64_t id, const void *raw, size_t len,
    const struct msg_record *r, const char *source, const char *where)
{
	static const struct { const char *name; enum authres_field f; } kinds[] = {
		{ "Authentication-Results", AUTHRES_AR },
		{ "ARC-Authentication-Results", AUTHRES_ARC_AR },
		{ "Received-SPF", AUTHRES_SPF },
	};
	struct auth_fields *f;
	size_t seen[3] = { 0, 0, 0 }, i, k;

	if (r->headers == NULL || (strcasestr(r->headers, "Authentication-Results\"") == NULL &&
	    strcasestr(r->headers, "\"Received-SPF\"") == NULL))
		return;
	f = auth_fields_read(raw, len);
	if (f->capped)
		plog_add(ctx->log, PLOG_WARN, "cap.auth_fields", source, where,
		    "the header has more than %u fields or a line over %u bytes; the authentication"
		    " results before it were read", AUTH_FIELDS_MAX, AUTH_FIELD_LINE_MAX);
	for (i = 0; i < f->n; i++)
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			struct authres a;

			if (strcasecmp(f->v[i].name, kinds[k].name) != 0)
				continue;
			seen[k]++;
			(void)authres_parse(kinds[k].f, f->v[i].value, strlen(f->v[i].value), &a);
			if (a.capped)
				plog_add(ctx->log, PLOG_WARN, "cap.authres_methods", source, where,
				    "%s field %zu has more than %u results; the first %u were read",
				    kinds[k].name, seen[k], AUTHRES_METHODS_MAX, AUTHRES_METHODS_MAX);
			db_auth_results_add(ctx->db, id, seen[k], &a);
			authres_clear(&a);
		}
	auth_fields_free(f);
}

/* The times and addresses hidden in the Message-ID and the boundaries
 * (auth/hidden.c), one hidden_times row each. */
static void
msg_hidden(struct ingest_ctx *ctx, int64_t id, const struct msg_record *r)
{
	struct hidden_stamp h[HIDDEN_MAX];
	size_t i, j, n;

	if (r->message_id != NULL) {
		n = hidden_decode(HIDDEN_MESSAGE_ID, r->message_id, strlen(r->message_id),
		    ctx->now_us, h);
		for (j = 0; j < n; j++)
			db_auth_hidden_add(ctx->db, id, "message-id", r->message_id, &h[j]);
	}
	for (i = 0; i < r->nboundaries; i++) {
		n = hidden_decode(HIDDEN_BOUNDARY, r->boundaries[i], strlen(r->boundaries[i]),
		    ctx->now_us, h);
		for (j = 0; j < n; j++)
			db_auth_hidden_add(ctx->db, id, "boundary", r->boundaries[i], &h[j]);
	}
}

static int64_t
art_put(struct ingest_ctx *ctx, const void *p, size_t len, const struct artifact_ref *ref,
    struct hashes *h)
{
	int64_t id;

	if (ctx->art == NULL) {
		hash_mem(p ? p : "", len, h);
		return 0;
	}
	id = artstore_put(ctx->art, p, len, ref, h);
	if (strcmp(ref->role, "raw-message") != 0 && strcmp(ref->role, "body") != 0)
		art_image_meta(ctx, p, len, h->sha256);
	return id;
}

static int64_t ingest_message_at(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix);

/* The raw message and every part as artifacts of message id; documents
 * to office/, nested messages back to ingest_message_at(). */
static void
msg_parts(struct ingest_ctx *ctx, int64_t id, const void *raw, size_t len,
    const struct msg_origin *o, const struct msg_record *r, unsigned depth, const char *prov,
    const char *source, const char *where)
{
	struct artifact_ref ref = {
		.evidence_id = ctx->evidence_id, .parent_kind = "message", .parent_id = id,
		.role = "raw-message", .declared_type = "message/rfc822", .provenance = prov,
		/* Bytes GMime read as a message are one; any others are typed
		 * by their content. */
		.known_type = r->parsed ? "message/rfc822" : NULL,
	};
	struct hashes h;
	size_t i;

	art_put(ctx, raw, len, &ref, &h);
	db_message_set_raw(ctx->cache->dbm, id, h.sha256);
	for (i = 0; i < r->nparts; i++) {
		const struct msg_part *pt = &r->parts[i];

		ref.role = pt->role;
		ref.declared_name = pt->name;
		ref.declared_type = pt->type;
		ref.part_path = pt->path;
		/* A text body's type is what its part says; only files are typed
		 * by their content (libmagic). */
		ref.known_type = strcmp(pt->role, "body") == 0 ? pt->type : NULL;
		art_put(ctx, pt->p, pt->len, &ref, &h);
		if (pt->file && office_is_document(pt->p, pt->len))
			ingest_office(ctx, pt->p, pt->len, h.sha256, pt->name, 0);
		if (pt->nested)
			ingest_message_at(ctx, pt->p, pt->len, o, id, depth + 1, pt->path);
		else if (pt->file && ingest_tnef_part_is(pt->type, pt->name))
			ingest_tnef_part(ctx, id, pt->p, pt->len, pt->path, depth, source, where);
	}
}

static int64_t
ingest_message_at(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix)
{
	char *source = o->file_path && *o->file_path ?
	    xasprintf("%s/%s", ctx->evidence_path ? ctx->evidence_path : "", o->file_path) :
	    xstrdup(ctx->evidence_path ? ctx->evidence_path : "");
	char *where = msg_where(o, prefix);
	char *prov = msg_provenance(ctx, o, source, where);
	struct msg_env env = { .lim = ctx->lim, .log = ctx->log, .source = source,
	    .where = where, .depth = depth, .prefix = prefix };
	struct msg_record *r = message_parse(raw, len, o, &env);
	struct db_message row;
	int64_t id;
	size_t i;

	msg_row(&row, ctx, o, r, len, parent_id);
	id = db_message_add(ctx->cache->dbm, &row);
	if (parent_id != 0 && ctx->nested_fn != NULL)
		ctx->nested_fn(ctx->nested_arg, parent_id, id, prefix, r->subject);
	for (i = 0; i < r->naddrs; i++)
		db_address_add(ctx->cache->dbm, id, r->addrs[i].role, r->addrs[i].name,
		    r->addrs[i].addr);
	msg_parts(ctx, id, raw, len, o, r, depth, prov, source, where);
	if (r->parsed)
		msg_route(ctx, id, o, r, parent_id == 0);
	if (r->parsed && r->has_dkim)
		msg_dkim(ctx, id, raw, len, o, r, parent_id == 0, source, where);
	if (r->parsed) {
		msg_hidden(ctx, id, r);
		msg_authres(ctx, id, raw, len, r, source, where);
	}
	message_record_free(r);
	free(prov);
	free(where);
	free(source);
	return id;
}

int64_t
ingest_message_nested(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *o, int64_t parent_id, unsigned depth, const char *prefix)
{
	return ingest_message_at(ctx, raw, len, o, parent_id, depth, prefix);
}

int64_t
ingest_message(struct ingest_ctx *ctx, const void *raw, size_t len, const struct msg_origin *o)
{
	static const struct msg_origin none = { .source = "eml" };
	bool own = ctx->cache == NULL;
	int64_t id;

	if (own)
		ingest_ctx_prepare(ctx);
	id = ingest_message_at(ctx, raw, len, o ? o : &none, 0, 0, "");
	if (own)
		ingest_ctx_release(ctx);
	return id;
}

static void
ingest_mailbox_message(void *arg, const void *raw, size_t len, const struct msg_origin *o)
{
	struct ingest_ctx *ctx = arg;

	(void)ingest_message(ctx, raw, len, o);
	ingest_progress_step(ctx, "messages", o->file_offset + len);
}

bool
ingest_mailbox(struct ingest_ctx *ctx, const char *path, const char *kind, char *read_sha256)
{
	bool own = ctx->cache == NULL, ok;

	if (own)
		ingest_ctx_prepare(ctx);
	ok = mailbox_read(path, kind, ctx->lim, ctx->log, ingest_mailbox_message, ctx, read_sha256);
	if (own)
		ingest_ctx_release(ctx);
	return ok;
}

/* The documents row of a record; the metadata columns are written by
 * doc_row_finish() once the embedded files are read. */
static int64_t
doc_row_add(struct ingest_ctx *ctx, const struct office_doc *d, const void *p, size_t len,
    const char *sha256, const char *name, unsigned depth, const char *parent_sha256)
{
	struct db_document row;
	struct hashes h;

	hash_mem(p, len, &h);
	memset(&row, 0, sizeof(row));
	row.sha256 = sha256;
	row.kind = d->kind;
	row.declared_name = name;
	row.md5 = h.md5;
	row.parent_sha256 = parent_sha256;
	row.evidence_id = ctx->evidence_id;
	row.size = (int64_t)len;
	row.depth = depth;
	return db_document_add(ctx->cache->dbd, &row);
}

static void
doc_row_finish(struct ingest_ctx *ctx, int64_t id, const struct office_doc *d)
{
	const struct office_props *pr = &d->props;
	struct db_document row = {
		.kind = d->kind, .title = pr->title, .subject = pr->subject, .creator = pr->creator,
		.keywords = pr->keywords, .description = pr->description,
		.last_modified_by = pr->last_modified_by, .revision = pr->revision,
		.created = pr->created, .modified = pr->modified, .last_printed = pr->last_printed,
		.application = pr->application, .app_version = pr->app_version,
		.company = pr->company, .template_ = pr->template_, .total_time = pr->total_time,
		.pages = pr->pages, .words = pr->words, .has_macros = d->has_macros,
		.encrypted = d->encrypted, .text = d->text, .flags = d->flags,
	};

	db_document_finish(ctx->cache->dbd, id, &row);
}

static int64_t ingest_office_in(struct ingest_ctx *ctx, const void *p, size_t len,
    const char *sha256, const char *name, unsigned depth, const char *parent_sha256,
    struct office_doc *parent);

/* Every embedded file as an artifact of document id and a doc_items row;
 * embedded documents unpacked in turn. */
static void
doc_embedded(struct ingest_ctx *ctx, struct office_doc *d, int64_t id, const char *sha256,
    const char *source, unsigned depth)
{
	struct office_embedded e;

	while (office_next_embedded(d, &e)) {
		/* A zip entry name is any bytes the document's author chose. */
		char *name = text_clean_str(e.name, 0);
		char *prov = xasprintf("zip entry %zu of %s", e.entry, source);
		struct artifact_ref ref = {
			.evidence_id = ctx->evidence_id, .parent_kind = "document", .parent_id = id,
			.parent_sha256 = sha256, .role = strcmp(e.role, "macro") == 0 ? "part" : e.role,
			.declared_name = name, .part_path = name, .provenance = prov,
		};
		struct db_doc_item it = { .kind = e.role, .text = name, .part = name };
		struct hashes h;

		art_put(ctx, e.p, e.len, &ref, &h);
		it.sha256 = h.sha256;
		it.md5 = h.md5;
		(void)db_doc_item_add(ctx->cache->dbd, id, &it);
		if (e.document)
			(void)ingest_office_in(ctx, e.p, e.len, h.sha256, name, depth + 1, sha256, d);
		free(prov);
		free(name);
	}
}

static int64_t
ingest_office_in(struct ingest_ctx *ctx, const void *p, size_t len, const char *sha256,
    const char *name, unsigned depth, const char *parent_sha256, struct office_doc *parent)
{
	char *clean = text_clean_str(name, 0);
	const char *source = clean != NULL && clean[0] != '\0' ? clean : sha256;
	/* inside a parent: one budget for the whole nest (office.h) */
	struct office_doc *d = parent ? office_unpack_inside(parent, p, len, source) :
	    office_unpack(p, len, ctx->lim, ctx->log, source, depth);
	int64_t id;
	size_t i;

	if (d == NULL) {
		free(clean);
		return 0;
	}
	id = doc_row_add(ctx, d, p, len, sha256, clean, depth, parent_sha256);
	for (i = 0; i < d->nitems; i++) {
		const struct office_item *x = &d->items[i];
		struct db_doc_item it = { .kind = x->kind, .author = x->author, .date = x->date,
		    .text = x->text, .target = x->target, .part = x->part };
		(void)db_doc_item_add(ctx->cache->dbd, id, &it);
	}
	doc_embedded(ctx, d, id, sha256, source, depth);
	doc_row_finish(ctx, id, d);
	office_doc_free(d);
	free(clean);
	return id;
}

int64_t
ingest_office(struct ingest_ctx *ctx, const void *p, size_t len, const char *sha256,
    const char *name, unsigned depth)
{
	bool own = ctx->cache == NULL;
	int64_t id;

	if (own)
		ingest_ctx_prepare(ctx);
	id = ingest_office_in(ctx, p, len, sha256, name, depth, NULL, NULL);
	if (own)
		ingest_ctx_release(ctx);
	return id;
}
