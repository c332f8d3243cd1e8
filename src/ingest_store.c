/* ingest_store.c - the driver for mail stores (src/mailstore/): every item
 * a store reader hands out becomes a message through ingest_message(), and
 * what the store says of it beyond header fields a store_items row. */
#include "ingest.h"
#include "mail/message.h"
#include "mailstore/emlx.h"
#include "mailstore/mapi.h"
#include "mailstore/msg.h"
#include "mailstore/pst.h"
#include "mailstore/tnef.h"
#include "store/db_store.h"
#include "util/fileio.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <unistd.h>

struct store_run {
	struct ingest_ctx *ctx;
	const char *kind;         /* "pst", "ost", ... */
	uint64_t n;
};

static json_t *
store_jstr(const char *s)
{
	char *c;
	json_t *v;

	if (s == NULL)
		return json_null();
	c = text_clean_str(s, 0);
	v = json_string(c);
	free(c);
	return v ? v : json_null();
}

/* [[role, name, address, type, smtp], ...] as JSON text, or NULL. */
static char *
store_addresses(const struct mapi_item *it)
{
	json_t *arr = json_array();
	size_t i;
	char *s;

	for (i = 0; i < it->naddrs; i++) {
		const struct mapi_addr *a = &it->addrs[i];
		json_t *row = json_array();

		json_array_append_new(row, json_string(a->role));
		json_array_append_new(row, store_jstr(a->name));
		json_array_append_new(row, store_jstr(a->addr));
		json_array_append_new(row, store_jstr(a->addrtype));
		json_array_append_new(row, store_jstr(a->smtp));
		json_array_append_new(arr, row);
	}
	s = json_array_size(arr) ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	return s;
}

/* The store_items row of a message read from a store item. */
static void
store_item_row(struct ingest_ctx *ctx, int64_t id, const char *kind, const struct mapi_item *it,
    const char *folder_of, const char *part)
{
	struct db_store_item row = {
		.message_id = id, .evidence_id = ctx->evidence_id, .store = kind,
		.has_item_id = it->id != 0, .item_id = it->id, .recovered = it->recovered,
		.headers_from = it->headers ? "transport" : "properties", .part = part,
	};
	char *folder = text_clean_str(it->folder ? it->folder : folder_of, 0);
	char *cls = text_clean_str(it->msg_class, 0);
	char *notes = text_clean_str(it->notes, 0);
	char *addrs = store_addresses(it);
	int i;

	row.folder = folder;
	row.message_class = cls;
	row.notes = notes;
	row.addresses = addrs;
	for (i = 0; i < MAPI_T_COUNT; i++) {
		row.times[i] = it->times[i];
		row.has_time[i] = it->has_time[i];
	}
	db_store_item_add(ctx->db, &row);
	free(folder);
	free(cls);
	free(notes);
	free(addrs);
}

/* The attached messages of an item, depth first in attachment order: the
 * order in which the message pipeline meets them as message/rfc822 parts
 * of the message mapi_item_to_mime() writes (down to depth levels). */
struct store_nest {
	struct ingest_ctx *ctx;
	const char *kind;
	const struct mapi_item *top;
	const struct mapi_item **v;
	size_t n, next;
};

static void
store_nest_list(struct store_nest *s, const struct mapi_item *it, unsigned depth)
{
	size_t i;

	for (i = 0; i < it->natts && depth > 0; i++) {
		const struct mapi_item *e = it->atts[i].embedded;

		if (e == NULL)
			continue;
		s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
		s->v[s->n++] = e;
		store_nest_list(s, e, depth - 1);
	}
}

static bool
store_same_subject(const char *a, const char *b)
{
	char *x = text_clean_str(a ? a : "", 0), *y = text_clean_str(b ? b : "", 0);
	bool same = strcmp(x, y) == 0;

	free(x);
	free(y);
	return same;
}

/* ctx->nested_fn while an item is ingested: an attached message gets its
 * store_items row (its own item identifier, class, times, addresses). A
 * nested message whose subject is not the next attached message's is some
 * other message/rfc822 part, and is left alone. */
static void
store_nested(void *arg, int64_t parent_id, int64_t id, const char *part, const char *subject)
{
	struct store_nest *s = arg;
	size_t k;

	(void)parent_id;
	for (k = s->next; k < s->n; k++)
		if (store_same_subject(s->v[k]->subject, subject))
			break;
	if (k == s->n)
		return;
	s->next = k + 1;
	store_item_row(s->ctx, id, s->kind, s->v[k], s->top->folder, part);
}

/* One store item: the message written from it, through the pipeline, and
 * a store_items row for it and for each attached message in it. */
static int64_t
store_item_ingest(struct ingest_ctx *ctx, const char *kind, const struct mapi_item *it,
    const char *where)
{
	size_t len;
	char *raw = mapi_item_to_mime(it, ctx->lim->mime_depth, &len);
	struct msg_origin o = { .source = kind, .store_where = where, .reconstructed = true };
	struct store_nest nest = { .ctx = ctx, .kind = kind, .top = it };
	int64_t id;

	store_nest_list(&nest, it, ctx->lim->mime_depth);
	ctx->nested_fn = nest.n ? store_nested : NULL;
	ctx->nested_arg = &nest;
	id = ingest_message(ctx, raw, len, &o);
	ctx->nested_fn = NULL;
	ctx->nested_arg = NULL;
	free(nest.v);
	free(raw);
	store_item_row(ctx, id, kind, it, NULL, NULL);
	return id;
}

static void
store_pst_item(void *arg, const struct mapi_item *it)
{
	struct store_run *s = arg;
	char *folder = text_clean_str(it->folder ? it->folder : "", 0);
	char *where = xasprintf("%s folder %s, item %" PRIu64 "%s", s->kind[0] == 'o' ? "OST" : "PST",
	    folder, it->id, it->recovered ? " (recovered)" : "");

	(void)store_item_ingest(s->ctx, s->kind, it, where);
	free(where);
	free(folder);
	s->n++;
}

/* A folder of the store: its store_folders row. */
static void
store_pst_folder(void *arg, const struct pst_folder_info *f)
{
	struct store_run *s = arg;
	char *path = text_clean_str(f->path, 0);
	struct db_store_folder row = {
		.evidence_id = s->ctx->evidence_id, .path = path, .depth = f->depth,
		.has_item_id = f->has_id, .item_id = f->id, .messages = f->messages,
		.sub_folders = f->sub_folders, .has_content = f->has_content,
		.content_count = f->content, .has_unread = f->has_unread, .unread_count = f->unread,
		.unreadable = f->unreadable,
	};

	db_store_folder_add(s->ctx->db, &row);
	free(path);
}

/* name: what the log calls the file (a PST read from a temporary copy of
 * an archive's entry), NULL for path itself. */
static int
store_pst(struct ingest_ctx *ctx, const char *path, const char *name, const char *kind)
{
	struct store_run s = { .ctx = ctx, .kind = kind };
	struct pst_stats st;

	if (name == NULL)
		name = path;
	if (!pst_read(path, name, ctx->lim, ctx->log, store_pst_item, store_pst_folder, &s, &st))
		return INGEST_STORE_UNREADABLE;
	plog_add(ctx->log, PLOG_INFO, "pst.read", name, "",
	    "%" PRIu64 " folders, %" PRIu64 " items (%" PRIu64 " recovered from deleted or orphaned"
	    " space); %" PRIu64 " parts could not be read", st.folders, st.items, st.recovered,
	    st.unreadable);
	return st.unreadable ? INGEST_STORE_PARTIAL : INGEST_STORE_OK;
}

static int
store_msg(struct ingest_ctx *ctx, const char *path, const char *name)
{
	bool damaged = false;
	struct mapi_item *it;
	const char *base;

	if (name == NULL)
		name = path;
	it = msg_read_named(path, name, ctx->lim, ctx->log, &damaged);
	base = strrchr(name, '/');

	if (it == NULL)
		return INGEST_STORE_UNREADABLE;
	(void)store_item_ingest(ctx, "msg", it, base ? base + 1 : name);
	mapi_item_free(it);
	return damaged ? INGEST_STORE_PARTIAL : INGEST_STORE_OK;
}

/* An .emlx p[0..len) (path names it in the log): the message after the
 * count line, read like an .eml. */
static int
store_emlx_mem(struct ingest_ctx *ctx, const char *p, size_t len, const char *path)
{
	size_t off, mlen, declared;
	bool lying;
	struct msg_origin o = { .source = "emlx", .mbox_index = 1 };
	struct db_store_item row = { .store = "emlx", .headers_from = "message" };
	char *plist;
	int rc = INGEST_STORE_OK;

	if (!emlx_split(p, len, &off, &mlen, &declared, &lying)) {
		plog_add(ctx->log, PLOG_ERROR, "emlx.count", path, "offset 0",
		    "the first line is not the message's byte count; not read");
		return INGEST_STORE_UNREADABLE;
	}
	if (lying) {
		plog_add(ctx->log, PLOG_WARN, "emlx.count", path, "offset 0", "the count line says %zu"
		    " bytes, but only %zu follow it; the message is read as far as the file goes",
		    declared, mlen);
		o.incomplete = true;
		o.incomplete_why = "the .emlx file ends before the length its count line gives";
		rc = INGEST_STORE_PARTIAL;
	}
	o.file_offset = off;
	row.message_id = ingest_message(ctx, p + off, mlen, &o);
	row.evidence_id = ctx->evidence_id;
	row.flags = plist = emlx_plist(p + off + mlen, len - off - mlen);
	if (plist == NULL && len - off - mlen > 0)
		plog_add(ctx->log, PLOG_WARN, "emlx.plist", path, "", "the %zu bytes after the message"
		    " are not a readable Apple property list; its flags are not read",
		    len - off - mlen);
	db_store_item_add(ctx->db, &row);
	free(plist);
	return rc;
}

/* The bytes of a store file given as evidence, up to twice the message
 * ceiling; NULL (logged) when they cannot be read. */
static char *
store_file_bytes(struct ingest_ctx *ctx, const char *path, size_t *len)
{
	char *p, *err = NULL;

	if (!fileio_read_all(path, ctx->lim->message_bytes ? ctx->lim->message_bytes * 2 : SIZE_MAX,
	    &p, len, &err)) {
		plog_add(ctx->log, PLOG_ERROR, "evidence.read", path, "", "%s", err);
		free(err);
		return NULL;
	}
	return p;
}

/* A store read from memory (emlx, TNEF) on the bytes of the file at path. */
static int
store_file_run(struct ingest_ctx *ctx, const char *path,
    int (*mem)(struct ingest_ctx *, const char *, size_t, const char *))
{
	size_t len;
	char *p = store_file_bytes(ctx, path, &len);
	int rc;

	if (p == NULL)
		return INGEST_STORE_UNREADABLE;
	rc = mem(ctx, p, len, path);
	free(p);
	return rc;
}

static int
store_emlx(struct ingest_ctx *ctx, const char *path)
{
	return store_file_run(ctx, path, store_emlx_mem);
}

/* What the log says of a TNEF stream read. */
static void
store_tnef_said(struct ingest_ctx *ctx, const char *source, const char *where,
    const struct mapi_item *it)
{
	size_t i, files = 0, msgs = 0;

	for (i = 0; i < it->natts; i++) {
		if (it->atts[i].embedded)
			msgs++;
		else
			files++;
	}
	plog_add(ctx->log, PLOG_INFO, "tnef.read", source, where,
	    "%zu attached files, %zu attached messages; RTF body %s; plain body %s", files, msgs,
	    it->rtf ? "inflated and kept" : "none", it->body ? "present" : "none");
}

/* A TNEF stream given as evidence (winmail.dat saved from a message), its
 * bytes p[0..len), path naming it. */
static int
store_tnef_mem(struct ingest_ctx *ctx, const char *p, size_t len, const char *path)
{
	bool damaged = false;
	struct mapi_item *it;
	const char *base = strrchr(path, '/');

	it = tnef_read(p, len, ctx->lim, ctx->log, path, "", &damaged);
	if (it == NULL)
		return INGEST_STORE_UNREADABLE;
	store_tnef_said(ctx, path, "", it);
	(void)store_item_ingest(ctx, "tnef", it, base ? base + 1 : path);
	mapi_item_free(it);
	return damaged ? INGEST_STORE_PARTIAL : INGEST_STORE_OK;
}

static int
store_tnef(struct ingest_ctx *ctx, const char *path)
{
	return store_file_run(ctx, path, store_tnef_mem);
}

bool
ingest_tnef_part_is(const char *type, const char *name)
{
	return (type && (strcmp(type, "application/ms-tnef") == 0 ||
	    strcmp(type, "application/vnd.ms-tnef") == 0)) ||
	    (name && strcasecmp(name, "winmail.dat") == 0);
}

void
ingest_tnef_part(struct ingest_ctx *ctx, int64_t parent_id, const void *p, size_t len,
    const char *part_path, unsigned depth, const char *source, const char *where)
{
	char *w = xasprintf("%s, part %s (TNEF)", where, part_path);
	bool damaged = false;
	struct mapi_item *it;
	struct msg_origin o = { .source = "tnef", .store_where = w, .reconstructed = true };
	char *raw;
	size_t rlen;
	int64_t id;

	if (!tnef_is_stream(p, len)) {
		plog_add(ctx->log, PLOG_WARN, "tnef.unreadable", source, w,
		    "a part typed or named as TNEF that does not begin with its signature; kept as a file");
		free(w);
		return;
	}
	if (depth + 1 >= ctx->lim->mime_depth) {
		plog_add(ctx->log, PLOG_WARN, "cap.mime_depth", source, w,
		    "a TNEF attachment deeper than %u levels is stored, not unpacked", ctx->lim->mime_depth);
		free(w);
		return;
	}
	it = tnef_read(p, len, ctx->lim, ctx->log, source, w, &damaged);
	if (it == NULL) {
		free(w);
		return;
	}
	store_tnef_said(ctx, source, w, it);
	raw = mapi_item_to_mime(it, ctx->lim->mime_depth - depth - 1, &rlen);
	{
		/* the messages attached in it are its own, not the caller's */
		void (*fn)(void *, int64_t, int64_t, const char *, const char *) = ctx->nested_fn;
		void *arg = ctx->nested_arg;
		struct store_nest nest = { .ctx = ctx, .kind = "tnef", .top = it };

		store_nest_list(&nest, it, ctx->lim->mime_depth - depth - 1);
		ctx->nested_fn = nest.n ? store_nested : NULL;
		ctx->nested_arg = &nest;
		id = ingest_message_nested(ctx, raw, rlen, &o, parent_id, depth + 1, part_path);
		ctx->nested_fn = fn;
		ctx->nested_arg = arg;
		free(nest.v);
	}
	free(raw);
	store_item_row(ctx, id, "tnef", it, NULL, part_path);
	mapi_item_free(it);
	free(w);
}

int
ingest_store(struct ingest_ctx *ctx, const char *path, const char *kind)
{
	bool own = ctx->cache == NULL;
	int rc = INGEST_STORE_UNREADABLE;

	if (own)
		ingest_ctx_prepare(ctx);
	if (strcmp(kind, "pst") == 0 || strcmp(kind, "ost") == 0)
		rc = store_pst(ctx, path, NULL, kind);
	else if (strcmp(kind, "msg") == 0)
		rc = store_msg(ctx, path, NULL);
	else if (strcmp(kind, "emlx") == 0)
		rc = store_emlx(ctx, path);
	else if (strcmp(kind, "tnef") == 0)
		rc = store_tnef(ctx, path);
	else
		plog_add(ctx->log, PLOG_WARN, "evidence.type", path, "", "%s: not read yet", kind);
	if (own)
		ingest_ctx_release(ctx);
	return rc;
}

/* libpff and libolecf read files by name: an entry of an archive is written
 * to a temporary file (mode 0600, removed at once after reading) and read
 * from there, the log naming it by name. NULL (logged) when it cannot be. */
static char *
store_tmp_write(struct ingest_ctx *ctx, const void *p, size_t len, const char *name)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/mailcase-entry-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	size_t off = 0;

	if (fd < 0) {
		plog_add(ctx->log, PLOG_ERROR, "evidence.read", name, "",
		    "a temporary copy to read it from cannot be made (%s): %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	while (off < len) {
		ssize_t w = write(fd, (const char *)p + off, len - off);
		if (w <= 0) {
			plog_add(ctx->log, PLOG_ERROR, "evidence.read", name, "",
			    "a temporary copy to read it from cannot be written: %s", strerror(errno));
			close(fd);
			unlink(path);
			free(path);
			return NULL;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0) {
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

int
ingest_store_mem(struct ingest_ctx *ctx, const void *p, size_t len, const char *name,
    const char *kind)
{
	bool own = ctx->cache == NULL;
	int rc = INGEST_STORE_UNREADABLE;
	char *tmp = NULL;

	if (own)
		ingest_ctx_prepare(ctx);
	if (strcmp(kind, "emlx") == 0) {
		rc = store_emlx_mem(ctx, p, len, name);
	} else if (strcmp(kind, "tnef") == 0) {
		rc = store_tnef_mem(ctx, p, len, name);
	} else if ((tmp = store_tmp_write(ctx, p, len, name)) != NULL) {
		if (strcmp(kind, "pst") == 0 || strcmp(kind, "ost") == 0)
			rc = store_pst(ctx, tmp, name, kind);
		else if (strcmp(kind, "msg") == 0)
			rc = store_msg(ctx, tmp, name);
		else if (strcmp(kind, "ole") == 0)
			rc = msg_path_is_message(tmp) ? store_msg(ctx, tmp, name) : INGEST_STORE_NOT_STORE;
		unlink(tmp);
		free(tmp);
	}
	if (own)
		ingest_ctx_release(ctx);
	return rc;
}
