/* ingest_store.c - the driver for mail stores (src/mailstore/): every item
 * a store reader hands out becomes a message through ingest_message(), and
 * what the store says of it beyond header fields a store_items row. */
#include "ingest.h"
#include "mail/message.h"
#include "mailstore/emlx.h"
#include "mailstore/mapi.h"
#include "mailstore/msg.h"
#include "mailstore/pst.h"
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
    const char *flags)
{
	struct db_store_item row = {
		.message_id = id, .evidence_id = ctx->evidence_id, .store = kind,
		.has_item_id = it->id != 0, .item_id = it->id, .recovered = it->recovered,
		.headers_from = it->headers ? "transport" : "properties", .flags = flags,
	};
	char *folder = text_clean_str(it->folder, 0);
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

/* One store item: the message written from it, through the pipeline. */
static int64_t
store_item_ingest(struct ingest_ctx *ctx, const char *kind, const struct mapi_item *it,
    const char *where)
{
	size_t len;
	char *raw = mapi_item_to_mime(it, ctx->lim->mime_depth, &len);
	struct msg_origin o = { .source = kind, .store_where = where, .reconstructed = true };
	int64_t id;

	id = ingest_message(ctx, raw, len, &o);
	free(raw);
	store_item_row(ctx, id, kind, it, NULL);
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

static int
store_pst(struct ingest_ctx *ctx, const char *path, const char *kind)
{
	struct store_run s = { .ctx = ctx, .kind = kind };
	struct pst_stats st;

	if (!pst_read(path, ctx->lim, ctx->log, store_pst_item, &s, &st))
		return INGEST_STORE_UNREADABLE;
	plog_add(ctx->log, PLOG_INFO, "pst.read", path, "",
	    "%" PRIu64 " folders, %" PRIu64 " items (%" PRIu64 " recovered from deleted or orphaned"
	    " space); %" PRIu64 " parts could not be read", st.folders, st.items, st.recovered,
	    st.unreadable);
	return st.unreadable ? INGEST_STORE_PARTIAL : INGEST_STORE_OK;
}

static int
store_msg(struct ingest_ctx *ctx, const char *path)
{
	bool damaged = false;
	struct mapi_item *it = msg_read(path, ctx->lim, ctx->log, &damaged);
	const char *base = strrchr(path, '/');

	if (it == NULL)
		return INGEST_STORE_UNREADABLE;
	(void)store_item_ingest(ctx, "msg", it, base ? base + 1 : path);
	mapi_item_free(it);
	return damaged ? INGEST_STORE_PARTIAL : INGEST_STORE_OK;
}

/* An .emlx: the message after the count line, read like an .eml. */
static int
store_emlx(struct ingest_ctx *ctx, const char *path)
{
	char *p, *err = NULL;
	size_t len, off, mlen, declared;
	bool lying;
	struct msg_origin o = { .source = "emlx", .mbox_index = 1 };
	struct db_store_item row = { .store = "emlx", .headers_from = "message" };
	char *plist;
	int rc = INGEST_STORE_OK;

	if (!fileio_read_all(path, ctx->lim->message_bytes ? ctx->lim->message_bytes * 2 : SIZE_MAX,
	    &p, &len, &err)) {
		plog_add(ctx->log, PLOG_ERROR, "evidence.read", path, "", "%s", err);
		free(err);
		return INGEST_STORE_UNREADABLE;
	}
	if (!emlx_split(p, len, &off, &mlen, &declared, &lying)) {
		plog_add(ctx->log, PLOG_ERROR, "emlx.count", path, "offset 0",
		    "the first line is not the message's byte count; not read");
		free(p);
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
	free(p);
	return rc;
}

int
ingest_store(struct ingest_ctx *ctx, const char *path, const char *kind)
{
	bool own = ctx->cache == NULL;
	int rc = INGEST_STORE_UNREADABLE;

	if (own)
		ingest_ctx_prepare(ctx);
	if (strcmp(kind, "pst") == 0 || strcmp(kind, "ost") == 0)
		rc = store_pst(ctx, path, kind);
	else if (strcmp(kind, "msg") == 0)
		rc = store_msg(ctx, path);
	else if (strcmp(kind, "emlx") == 0)
		rc = store_emlx(ctx, path);
	else
		plog_add(ctx->log, PLOG_WARN, "evidence.type", path, "", "%s: not read yet", kind);
	if (own)
		ingest_ctx_release(ctx);
	return rc;
}
