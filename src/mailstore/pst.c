/* pst.c - PST/OST folders and messages through libpff ([MS-PST]; the
 * properties are those of [MS-OXCMSG]). */
#include "mailstore/pst.h"
#include "mailstore/mapi.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/xalloc.h"

/* Debian's libpff-dev declares the libbfio handle functions, whose header
 * (libbfio-dev) it does not bring; mailcase opens files by name only. */
#include <libpff/features.h>
#undef LIBPFF_HAVE_BFIO
#include <libpff.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

/* Folders deeper than this are not walked (a loop in a damaged file). */
#define PST_FOLDER_DEPTH 64

struct pst {
	libpff_file_t *file;
	const struct limits *lim;
	struct plog *log;
	const char *path;
	pst_item_fn fn;
	pst_folder_fn folder_fn;
	void *arg;
	struct pst_stats *st;
};

/* The text of a libpff error, freed; "unknown error" without one. */
static void
pst_err_text(libpff_error_t **err, char *buf, size_t n)
{
	snprintf(buf, n, "unknown error");
	if (err && *err) {
		if (libpff_error_sprint(*err, buf, n) < 0)
			snprintf(buf, n, "unknown error");
		libpff_error_free(err);
	}
	/* libpff ends its messages with a newline; one line is enough */
	buf[strcspn(buf, "\n")] = 0;
}

static void __attribute__((format(printf, 3, 4)))
pst_log(struct pst *p, const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plog_addv(p->log, PLOG_WARN, "pst.unreadable", p->path, where, NULL, fmt, ap);
	va_end(ap);
}

/* fmt says what could not be read and ends in "%s", where libpff's own
 * words go; a format of its own per caller, for the report's translation. */
static void __attribute__((format(printf, 4, 0)))
pst_warn(struct pst *p, const char *where, libpff_error_t **err, const char *fmt)
{
	char e[512];

	pst_err_text(err, e, sizeof(e));
	pst_log(p, where, fmt, e);
	p->st->unreadable++;
}

/* ---- one object's properties (struct mapi_props) ----------------------- */

struct pst_obj {
	libpff_item_t *item;
	int set;
	size_t max;               /* the largest value read */
};

static libpff_record_entry_t *
pst_entry(struct pst_obj *o, uint32_t id)
{
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *e = NULL;
	libpff_error_t *err = NULL;
	int rc;

	if (libpff_item_get_record_set_by_index(o->item, o->set, &rs, &err) != 1) {
		libpff_error_free(&err);
		return NULL;
	}
	rc = libpff_record_set_get_entry_by_type(rs, id, 0, &e,
	    LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, &err);
	libpff_error_free(&err);
	libpff_record_set_free(&rs, NULL);
	return rc == 1 ? e : NULL;
}

static bool
pst_prop_str(void *arg, uint32_t id, char **out)
{
	struct pst_obj *o = arg;
	libpff_record_entry_t *e = pst_entry(o, id);
	libpff_error_t *err = NULL;
	size_t n = 0;
	bool ok = false;

	if (e == NULL)
		return false;
	if (libpff_record_entry_get_data_as_utf8_string_size(e, &n, &err) == 1 && n > 0 &&
	    n <= o->max) {
		*out = xmalloc(n + 1);
		ok = libpff_record_entry_get_data_as_utf8_string(e, (uint8_t *)*out, n, &err) == 1;
		if (ok)
			(*out)[n] = 0;
		else {
			free(*out);
			*out = NULL;
		}
	}
	libpff_error_free(&err);
	libpff_record_entry_free(&e, NULL);
	return ok;
}

static bool
pst_prop_bin(void *arg, uint32_t id, void **out, size_t *len)
{
	struct pst_obj *o = arg;
	libpff_record_entry_t *e = pst_entry(o, id);
	libpff_error_t *err = NULL;
	size_t n = 0;
	bool ok = false;

	if (e == NULL)
		return false;
	if (libpff_record_entry_get_data_size(e, &n, &err) == 1 && n > 0 && n <= o->max) {
		*out = xmalloc(n);
		ok = libpff_record_entry_get_data(e, *out, n, &err) == 1;
		if (ok)
			*len = n;
		else {
			free(*out);
			*out = NULL;
		}
	}
	libpff_error_free(&err);
	libpff_record_entry_free(&e, NULL);
	return ok;
}

static bool
pst_prop_u32(void *arg, uint32_t id, uint32_t *v)
{
	libpff_record_entry_t *e = pst_entry(arg, id);
	libpff_error_t *err = NULL;
	bool ok;

	if (e == NULL)
		return false;
	ok = libpff_record_entry_get_data_as_32bit_integer(e, v, &err) == 1;
	libpff_error_free(&err);
	libpff_record_entry_free(&e, NULL);
	return ok;
}

static bool
pst_prop_time(void *arg, uint32_t id, int64_t *us)
{
	libpff_record_entry_t *e = pst_entry(arg, id);
	libpff_error_t *err = NULL;
	uint64_t ft = 0;
	bool ok;

	if (e == NULL)
		return false;
	ok = libpff_record_entry_get_data_as_filetime(e, &ft, &err) == 1 && mapi_filetime_us(ft, us);
	libpff_error_free(&err);
	libpff_record_entry_free(&e, NULL);
	return ok;
}

static struct mapi_props
pst_props(struct pst_obj *o)
{
	struct mapi_props p = { .arg = o, .str = pst_prop_str, .bin = pst_prop_bin,
	    .u32 = pst_prop_u32, .time = pst_prop_time };
	return p;
}

/* ---- messages ------------------------------------------------------------ */

static struct mapi_item *pst_message(struct pst *p, libpff_item_t *msg, const char *where,
    unsigned depth);

static void
pst_recipients(struct pst *p, libpff_item_t *msg, struct mapi_item *it, const char *where)
{
	libpff_item_t *rc = NULL;
	libpff_error_t *err = NULL;
	int n = 0, i;

	if (libpff_message_get_recipients(msg, &rc, &err) != 1) {
		libpff_error_free(&err);
		return;
	}
	if (libpff_item_get_number_of_record_sets(rc, &n, &err) != 1)
		pst_warn(p, where, &err, "its recipients cannot be read: %s");
	for (i = 0; i < n; i++) {
		struct pst_obj o = { .item = rc, .set = i, .max = p->lim->message_bytes };
		struct mapi_props pp = pst_props(&o);

		mapi_item_add_recipient(it, &pp);
	}
	libpff_item_free(&rc, NULL);
}

/* The file data of a data attachment, up to the message ceiling. */
static bool
pst_attach_data(struct pst *p, libpff_item_t *att, const char *where, void **data, size_t *len)
{
	libpff_error_t *err = NULL;
	size64_t size = 0;
	ssize_t got;

	*data = NULL;
	*len = 0;
	if (libpff_attachment_get_data_size(att, &size, &err) != 1) {
		libpff_error_free(&err);
		return true;     /* no data: an empty file */
	}
	if (size > p->lim->message_bytes) {
		plog_add(p->log, PLOG_WARN, "cap.message_bytes", p->path, where,
		    "an attachment of %llu bytes is larger than the message ceiling (%zu); its name is"
		    " kept, not its data", (unsigned long long)size, p->lim->message_bytes);
		return false;
	}
	*data = xmalloc(size ? (size_t)size : 1);
	if (size > 0 && (libpff_attachment_data_seek_offset(att, 0, SEEK_SET, &err) < 0 ||
	    (got = libpff_attachment_data_read_buffer(att, *data, (size_t)size, &err)) < 0)) {
		pst_warn(p, where, &err, "an attachment's data cannot be read: %s");
		free(*data);
		*data = NULL;
		return false;
	}
	*len = (size_t)size;
	if (size > 0 && (size_t)got < (size_t)size) {
		plog_add(p->log, PLOG_WARN, "pst.unreadable", p->path, where,
		    "an attachment declares %llu bytes; %zd could be read, and are kept",
		    (unsigned long long)size, got);
		*len = (size_t)got;
	}
	return true;
}

static void
pst_attachments(struct pst *p, libpff_item_t *msg, struct mapi_item *it, const char *where,
    unsigned depth)
{
	libpff_error_t *err = NULL;
	int n = 0, i;

	if (libpff_message_get_number_of_attachments(msg, &n, &err) != 1) {
		libpff_error_free(&err);
		return;
	}
	for (i = 0; i < n; i++) {
		libpff_item_t *att = NULL, *sub = NULL;
		struct pst_obj o = { .set = 0, .max = p->lim->message_bytes };
		struct mapi_props pp;
		struct mapi_item *emb = NULL;
		void *data = NULL;
		size_t len = 0;
		int type = 0;
		char *w;

		if (libpff_message_get_attachment(msg, i, &att, &err) != 1) {
			pst_warn(p, where, &err, "an attachment cannot be read: %s");
			continue;
		}
		o.item = att;
		pp = pst_props(&o);
		w = xasprintf("%s, attachment %d", where, i + 1);
		if (libpff_attachment_get_type(att, &type, &err) != 1)
			libpff_error_free(&err);
		if (type == LIBPFF_ATTACHMENT_TYPE_ITEM && depth < p->lim->mime_depth &&
		    libpff_attachment_get_item(att, &sub, &err) == 1) {
			emb = pst_message(p, sub, w, depth + 1);
			libpff_item_free(&sub, NULL);
		} else if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
			libpff_error_free(&err);
			plog_add(p->log, PLOG_WARN, "cap.mime_depth", p->path, w,
			    "an attached message deeper than %u levels is not read", p->lim->mime_depth);
		} else if (type == LIBPFF_ATTACHMENT_TYPE_REFERENCE) {
			mapi_item_note(it, "attachment %d is a reference to a file outside the store", i + 1);
		} else {
			(void)pst_attach_data(p, att, w, &data, &len);
		}
		mapi_item_add_attach(it, &pp, data, len, emb);
		free(w);
		libpff_item_free(&att, NULL);
	}
}

static void
pst_rtf(struct pst *p, libpff_item_t *msg, struct mapi_item *it, const char *where)
{
	libpff_error_t *err = NULL;
	size_t n = 0;

	/* libpff inflates PidTagRtfCompressed ([MS-OXRTFCP]) itself. */
	if (libpff_message_get_rtf_body_size(msg, &n, &err) != 1 || n == 0) {
		libpff_error_free(&err);
		return;
	}
	if (n > p->lim->message_bytes) {
		plog_add(p->log, PLOG_WARN, "cap.message_bytes", p->path, where,
		    "an RTF body of %zu bytes is larger than the message ceiling; not kept", n);
		return;
	}
	it->rtf = xmalloc(n + 1);
	if (libpff_message_get_rtf_body(msg, it->rtf, n, &err) != 1) {
		pst_warn(p, where, &err, "its RTF body cannot be read: %s");
		free(it->rtf);
		it->rtf = NULL;
		return;
	}
	while (n > 0 && ((char *)it->rtf)[n - 1] == 0)
		n--;       /* the size counts the end of string */
	it->rtf_len = n;
	{
		size_t hl;
		char *h = mapi_rtf_html(it->rtf, n, &hl);
		it->rtf_html = h != NULL;
		free(h);
	}
}

static struct mapi_item *
pst_message(struct pst *p, libpff_item_t *msg, const char *where, unsigned depth)
{
	struct pst_obj o = { .item = msg, .set = 0, .max = p->lim->message_bytes };
	struct mapi_props pp = pst_props(&o);
	struct mapi_item *it = mapi_item_new();
	libpff_error_t *err = NULL;
	uint32_t id = 0;

	if (libpff_item_get_identifier(msg, &id, &err) == 1)
		it->id = id;
	libpff_error_free(&err);
	mapi_item_read(it, &pp);
	pst_rtf(p, msg, it, where);
	pst_recipients(p, msg, it, where);
	pst_attachments(p, msg, it, where, depth);
	return it;
}

static void
pst_emit(struct pst *p, libpff_item_t *msg, const char *folder, bool recovered, const char *where)
{
	struct mapi_item *it = pst_message(p, msg, where, 0);

	it->folder = xstrdup(folder);
	it->recovered = recovered;
	p->st->items++;
	if (recovered)
		p->st->recovered++;
	p->fn(p->arg, it);
	mapi_item_free(it);
}

/* ---- folders ----------------------------------------------------------- */

static char *
pst_folder_name(libpff_item_t *f)
{
	libpff_error_t *err = NULL;
	size_t n = 0;
	char *s;

	if (libpff_folder_get_utf8_name_size(f, &n, &err) != 1 || n == 0 || n > 65536) {
		libpff_error_free(&err);
		return xstrdup("");
	}
	s = xcalloc(1, n + 1);
	if (libpff_folder_get_utf8_name(f, (uint8_t *)s, n, &err) != 1) {
		libpff_error_free(&err);
		s[0] = 0;
	}
	return s;
}

/* [MS-OXPROPS] PidTagContentCount, PidTagContentUnreadCount */
#define PST_CONTENT_COUNT 0x3602
#define PST_CONTENT_UNREAD 0x3603

static void
pst_folder(struct pst *p, libpff_item_t *f, const char *parent, unsigned depth)
{
	libpff_error_t *err = NULL;
	char *name = pst_folder_name(f), *path;
	int n = 0, i;
	struct pst_folder_info info = { .depth = depth };
	struct pst_obj fo = { .item = f, .set = 0, .max = 0 };

	path = depth == 0 && name[0] == 0 ? xstrdup("") : xasprintf("%s/%s", parent, name);
	free(name);
	p->st->folders++;
	if (libpff_folder_get_number_of_sub_messages(f, &n, &err) != 1) {
		char *w = xasprintf("folder %s", path[0] ? path : "/");
		pst_warn(p, w, &err, "its messages cannot be listed: %s");
		free(w);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		libpff_item_t *m = NULL;
		char *w = xasprintf("folder %s, message %d", path[0] ? path : "/", i + 1);

		if (libpff_folder_get_sub_message(f, i, &m, &err) != 1) {
			pst_warn(p, w, &err, "the message cannot be read: %s");
			info.unreadable++;
		} else {
			pst_emit(p, m, path[0] ? path : "/", false, w);
			libpff_item_free(&m, NULL);
		}
		free(w);
	}
	{
		int nsub = 0;
		if (libpff_folder_get_number_of_sub_folders(f, &nsub, &err) != 1)
			libpff_error_free(&err);
		plog_add(p->log, PLOG_INFO, "pst.folder", p->path, path[0] ? path : "/",
		    "folder %s: %d messages, %d sub-folders", path[0] ? path : "/", n, nsub);
		info.path = path[0] ? path : "/";
		info.messages = n;
		info.sub_folders = nsub;
		info.has_content = pst_prop_u32(&fo, PST_CONTENT_COUNT, &info.content);
		info.has_unread = pst_prop_u32(&fo, PST_CONTENT_UNREAD, &info.unread);
		if (libpff_item_get_identifier(f, &info.id, &err) == 1)
			info.has_id = true;
		libpff_error_free(&err);
		if (p->folder_fn)
			p->folder_fn(p->arg, &info);
	}
	if (libpff_folder_get_number_of_sub_folders(f, &n, &err) != 1) {
		char *w = xasprintf("folder %s", path[0] ? path : "/");
		pst_warn(p, w, &err, "its sub-folders cannot be listed: %s");
		free(w);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		libpff_item_t *sub = NULL;

		if (depth + 1 >= PST_FOLDER_DEPTH) {
			plog_add(p->log, PLOG_WARN, "pst.depth", p->path, path,
			    "folders deeper than %d levels are not walked", PST_FOLDER_DEPTH);
			break;
		}
		if (libpff_folder_get_sub_folder(f, i, &sub, &err) != 1) {
			char *w = xasprintf("folder %s, sub-folder %d", path[0] ? path : "/", i + 1);
			pst_warn(p, w, &err, "the folder cannot be read: %s");
			free(w);
			continue;
		}
		pst_folder(p, sub, path, depth + 1);
		libpff_item_free(&sub, NULL);
	}
	free(path);
}

/* Items libpff finds in deleted ([MS-PST] 2.6.1.2, unallocated) and
 * orphaned space: kept, and marked recovered. */
static bool
pst_is_message(uint8_t type)
{
	switch (type) {
	case LIBPFF_ITEM_TYPE_UNDEFINED: case LIBPFF_ITEM_TYPE_UNKNOWN:
	case LIBPFF_ITEM_TYPE_FOLDER: case LIBPFF_ITEM_TYPE_ATTACHMENT:
	case LIBPFF_ITEM_TYPE_ATTACHMENTS: case LIBPFF_ITEM_TYPE_RECIPIENTS:
	case LIBPFF_ITEM_TYPE_SUB_ASSOCIATED_CONTENTS: case LIBPFF_ITEM_TYPE_SUB_FOLDERS:
	case LIBPFF_ITEM_TYPE_SUB_MESSAGES:
		return false;
	}
	return true;
}

static void
pst_recovered(struct pst *p)
{
	libpff_error_t *err = NULL;
	int n = 0, i;
	unsigned long skipped = 0;

	if (libpff_file_recover_items(p->file, 0, &err) != 1) {
		pst_warn(p, "recovery", &err, "deleted items cannot be recovered: %s");
		return;
	}
	if (libpff_file_get_number_of_recovered_items(p->file, &n, &err) != 1) {
		libpff_error_free(&err);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		libpff_item_t *it = NULL;
		uint8_t type = 0;
		char *w = xasprintf("recovered item %d", i + 1);

		if (libpff_file_get_recovered_item_by_index(p->file, i, &it, &err) != 1)
			pst_warn(p, w, &err, "the recovered item cannot be read: %s");
		else {
			if (libpff_item_get_type(it, &type, &err) != 1)
				libpff_error_free(&err);
			if (pst_is_message(type))
				pst_emit(p, it, "(recovered)", true, w);
			else
				skipped++;
			libpff_item_free(&it, NULL);
		}
		free(w);
	}
	if (libpff_file_get_number_of_orphan_items(p->file, &n, &err) != 1) {
		libpff_error_free(&err);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		libpff_item_t *it = NULL;
		uint8_t type = 0;
		char *w = xasprintf("orphan item %d", i + 1);

		if (libpff_file_get_orphan_item_by_index(p->file, i, &it, &err) != 1)
			pst_warn(p, w, &err, "the orphan item cannot be read: %s");
		else {
			if (libpff_item_get_type(it, &type, &err) != 1)
				libpff_error_free(&err);
			if (pst_is_message(type))
				pst_emit(p, it, "(orphan)", true, w);
			else
				skipped++;
			libpff_item_free(&it, NULL);
		}
		free(w);
	}
	if (skipped)
		plog_add(p->log, PLOG_INFO, "pst.recovered_other", p->path, "recovery",
		    "%lu recovered or orphan items are no messages (folders, tables, unknown); not listed",
		    skipped);
}

bool
pst_read(const char *path, const char *name, const struct limits *lim, struct plog *log,
    pst_item_fn fn, pst_folder_fn folder_fn, void *arg, struct pst_stats *st)
{
	struct pst p = { .lim = lim, .log = log, .path = name ? name : path, .fn = fn,
	    .folder_fn = folder_fn, .arg = arg, .st = st };
	libpff_error_t *err = NULL;
	libpff_item_t *root = NULL;
	uint8_t ct = 0;
	char e[512];

	memset(st, 0, sizeof(*st));
	if (libpff_file_initialize(&p.file, &err) != 1 ||
	    libpff_file_open(p.file, path, LIBPFF_OPEN_READ, &err) != 1) {
		pst_err_text(&err, e, sizeof(e));
		plog_add(log, PLOG_ERROR, "pst.open", p.path, "", "cannot be opened as a PST/OST: %s", e);
		libpff_file_free(&p.file, NULL);
		return false;
	}
	if (libpff_file_get_content_type(p.file, &ct, &err) == 1)
		st->ost = ct == LIBPFF_FILE_CONTENT_TYPE_OST;
	libpff_error_free(&err);
	if (libpff_file_get_root_folder(p.file, &root, &err) != 1)
		pst_warn(&p, "root folder", &err, "the folder tree cannot be read: %s");
	else {
		pst_folder(&p, root, "", 0);
		libpff_item_free(&root, NULL);
	}
	pst_recovered(&p);
	libpff_file_close(p.file, NULL);
	libpff_file_free(&p.file, NULL);
	return true;
}
