/* msg.c - [MS-OXMSG] storages through libolecf: 2.1 property streams
 * (__substg1.0_IIIITTTT for variable-length values, __properties_version1.0
 * for fixed-length ones), 2.2.1 recipient and 2.2.2 attachment storages,
 * 2.2.2.1 an embedded message in __substg1.0_3701000D. */
#include "mailstore/msg.h"
#include "mailstore/mapi.h"
#include "util/cfb.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/xalloc.h"

/* Debian's libolecf-dev declares the libbfio handle functions, whose header
 * it does not bring; mailcase opens files by name only. */
#include <libolecf/features.h>
#undef LIBOLECF_HAVE_BFIO
#include <libolecf.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct msgf {
	const struct limits *lim;
	struct plog *log;
	const char *path;
	bool damaged;
};

/* One storage (message, recipient or attachment) and its fixed-length
 * property stream. hdr: the header size before the 16-byte entries
 * ([MS-OXMSG] 2.4.1: 32 for the top message, 24 for an embedded one, 8 for
 * recipients and attachments). */
struct msg_obj {
	struct msgf *f;
	libolecf_item_t *st;
	uint8_t *props;
	size_t nprops, hdr;
};

static libolecf_item_t *
msg_sub(libolecf_item_t *st, const char *name)
{
	libolecf_item_t *sub = NULL;
	libolecf_error_t *err = NULL;

	if (libolecf_item_get_sub_item_by_utf8_name(st, (const uint8_t *)name, strlen(name), &sub,
	    &err) != 1) {
		libolecf_error_free(&err);
		return NULL;
	}
	return sub;
}

/* The bytes of stream name in st, at most lim->message_bytes. */
static bool
msg_stream(struct msgf *f, libolecf_item_t *st, const char *name, uint8_t **out, size_t *len)
{
	libolecf_item_t *s = msg_sub(st, name);
	libolecf_error_t *err = NULL;
	uint32_t size = 0;
	ssize_t got;

	*out = NULL;
	*len = 0;
	if (s == NULL)
		return false;
	if (libolecf_item_get_size(s, &size, &err) != 1 || size > f->lim->message_bytes) {
		libolecf_error_free(&err);
		if (size > f->lim->message_bytes)
			plog_add(f->log, PLOG_WARN, "cap.message_bytes", f->path, name,
			    "a stream of %u bytes is larger than the message ceiling; not read", size);
		libolecf_item_free(&s, NULL);
		return false;
	}
	*out = xmalloc(size ? size : 1);
	got = size ? libolecf_stream_read_buffer_at_offset(s, *out, size, 0, &err) : 0;
	libolecf_item_free(&s, NULL);
	if (got < 0 || (size_t)got != size) {
		libolecf_error_free(&err);
		plog_add(f->log, PLOG_WARN, "msg.unreadable", f->path, name,
		    "the stream declares %u bytes; it cannot be read whole", size);
		f->damaged = true;
		free(*out);
		*out = NULL;
		return false;
	}
	*len = size;
	return true;
}

static bool
msg_prop_bin(void *arg, uint32_t id, void **out, size_t *len)
{
	struct msg_obj *o = arg;
	char name[40];
	uint8_t *p;

	snprintf(name, sizeof(name), "__substg1.0_%04X0102", (unsigned)id);
	if (!msg_stream(o->f, o->st, name, &p, len))
		return false;
	*out = p;
	return true;
}

static bool
msg_prop_str(void *arg, uint32_t id, char **out)
{
	struct msg_obj *o = arg;
	char name[40];
	uint8_t *p;
	size_t n;

	/* PtypString (001F) is UTF-16LE; PtypString8 (001E) the code page's */
	snprintf(name, sizeof(name), "__substg1.0_%04X001F", (unsigned)id);
	if (msg_stream(o->f, o->st, name, &p, &n)) {
		*out = g_utf16_to_utf8((const gunichar2 *)(void *)p, (glong)(n / 2), NULL, NULL, NULL);
		free(p);
		if (*out) {
			char *c = xstrdup(*out);
			g_free(*out);
			*out = c;
			return true;
		}
		return false;
	}
	snprintf(name, sizeof(name), "__substg1.0_%04X001E", (unsigned)id);
	if (msg_stream(o->f, o->st, name, &p, &n)) {
		gchar *u = g_convert((const gchar *)p, (gssize)strnlen((char *)p, n), "UTF-8",
		    "WINDOWS-1252", NULL, NULL, NULL);
		free(p);
		if (u == NULL)
			return false;
		*out = xstrdup(u);
		g_free(u);
		return true;
	}
	return false;
}

/* The 8-byte value of a fixed-length property of type t. */
static bool
msg_fixed(struct msg_obj *o, uint32_t id, uint16_t t, uint64_t *v)
{
	struct rd r;

	if (o->props == NULL || o->nprops < o->hdr)
		return false;
	rd_init(&r, o->props, o->nprops);
	rd_skip(&r, o->hdr);
	while (rd_left(&r) >= 16) {
		uint32_t tag = rd_le32(&r);
		(void)rd_le32(&r);           /* flags */
		uint64_t val = rd_le64(&r);
		if (tag == (id << 16 | t)) {
			*v = val;
			return rd_ok(&r);
		}
	}
	return false;
}

static bool
msg_prop_u32(void *arg, uint32_t id, uint32_t *out)
{
	uint64_t v;

	if (!msg_fixed(arg, id, 0x0003, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
msg_prop_time(void *arg, uint32_t id, int64_t *us)
{
	uint64_t v;

	return msg_fixed(arg, id, 0x0040, &v) && mapi_filetime_us(v, us);
}

static void
msg_obj_open(struct msg_obj *o, struct msgf *f, libolecf_item_t *st, size_t hdr)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->st = st;
	o->hdr = hdr;
	(void)msg_stream(f, st, "__properties_version1.0", &o->props, &o->nprops);
}

static struct mapi_props
msg_props(struct msg_obj *o)
{
	struct mapi_props p = { .arg = o, .str = msg_prop_str, .bin = msg_prop_bin,
	    .u32 = msg_prop_u32, .time = msg_prop_time };
	return p;
}

static int
msg_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the sub-storages of st that begin with prefix, sorted (their
 * number is their order, [MS-OXMSG] 2.2.1, 2.2.2). */
static char **
msg_list(libolecf_item_t *st, const char *prefix, size_t *n)
{
	libolecf_error_t *err = NULL;
	int cnt = 0, i;
	char **v = NULL;

	*n = 0;
	if (libolecf_item_get_number_of_sub_items(st, &cnt, &err) != 1) {
		libolecf_error_free(&err);
		return NULL;
	}
	for (i = 0; i < cnt && i < 100000; i++) {
		libolecf_item_t *sub = NULL;
		char name[80];

		if (libolecf_item_get_sub_item(st, i, &sub, &err) != 1) {
			libolecf_error_free(&err);
			continue;
		}
		if (libolecf_item_get_utf8_name(sub, (uint8_t *)name, sizeof(name), &err) == 1 &&
		    strncmp(name, prefix, strlen(prefix)) == 0) {
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = xstrdup(name);
		}
		libolecf_error_free(&err);
		libolecf_item_free(&sub, NULL);
	}
	if (*n > 1)
		qsort(v, *n, sizeof(*v), msg_cmp);
	return v;
}

static struct mapi_item *msg_message(struct msgf *f, libolecf_item_t *st, size_t hdr,
    unsigned depth);

static void
msg_attach(struct msgf *f, struct mapi_item *it, libolecf_item_t *ast, unsigned depth,
    const char *name)
{
	struct msg_obj o;
	struct mapi_props pp;
	uint32_t method = 0;
	struct mapi_item *emb = NULL;
	void *data = NULL;
	size_t len = 0;

	msg_obj_open(&o, f, ast, 8);
	pp = msg_props(&o);
	(void)msg_prop_u32(&o, MAPI_ATTACH_METHOD, &method);
	if (method == MAPI_ATTACH_EMBEDDED_MSG) {
		libolecf_item_t *sub = msg_sub(ast, "__substg1.0_3701000D");

		if (sub && depth < f->lim->mime_depth)
			emb = msg_message(f, sub, 24, depth + 1);
		else if (sub)
			plog_add(f->log, PLOG_WARN, "store.depth", f->path, name,
			    "an attached message deeper than %u levels is not read", f->lim->mime_depth);
		libolecf_item_free(&sub, NULL);
	} else if (!msg_prop_bin(&o, MAPI_ATTACH_DATA, &data, &len)) {
		data = NULL;
		len = 0;
	}
	mapi_item_add_attach(it, &pp, data, len, emb);
	free(o.props);
}

/* PidTagRtfCompressed inflated ([MS-OXRTFCP]; mapi_rtf_inflate()). */
static void
msg_rtf(struct mapi_item *it, struct msg_obj *o)
{
	void *z;
	size_t zn;
	const char *why;

	if (!msg_prop_bin(o, MAPI_RTF_COMPRESSED, &z, &zn))
		return;
	it->rtf = mapi_rtf_inflate(z, zn, o->f->lim->message_bytes, &it->rtf_len, &why);
	free(z);
	if (why != NULL)
		mapi_item_note(it, "the compressed RTF body: %s", why);
	if (it->rtf == NULL)
		return;
	{
		size_t hl;
		char *h = mapi_rtf_html(it->rtf, it->rtf_len, &hl);
		it->rtf_html = h != NULL;
		free(h);
	}
}

static struct mapi_item *
msg_message(struct msgf *f, libolecf_item_t *st, size_t hdr, unsigned depth)
{
	struct mapi_item *it = mapi_item_new();
	struct msg_obj o;
	struct mapi_props pp;
	char **names;
	size_t n, i;

	msg_obj_open(&o, f, st, hdr);
	if (o.props == NULL)
		mapi_item_note(it, "no __properties_version1.0 stream: fixed-length properties unknown");
	pp = msg_props(&o);
	mapi_item_read(it, &pp);
	msg_rtf(it, &o);
	names = msg_list(st, "__recip_version1.0_", &n);
	for (i = 0; i < n; i++) {
		libolecf_item_t *r = msg_sub(st, names[i]);
		if (r) {
			struct msg_obj ro;
			struct mapi_props rp;
			msg_obj_open(&ro, f, r, 8);
			rp = msg_props(&ro);
			mapi_item_add_recipient(it, &rp);
			free(ro.props);
			libolecf_item_free(&r, NULL);
		}
		free(names[i]);
	}
	free(names);
	names = msg_list(st, "__attach_version1.0_", &n);
	for (i = 0; i < n; i++) {
		libolecf_item_t *a = msg_sub(st, names[i]);
		if (a) {
			msg_attach(f, it, a, depth, names[i]);
			libolecf_item_free(&a, NULL);
		}
		free(names[i]);
	}
	free(names);
	free(o.props);
	return it;
}

/* The compound file header of the file at path checked against its size
 * (util/cfb.h) before libolecf reads it. */
static bool
msg_header_ok(const char *path, const char **why)
{
	unsigned char head[CFB_HEADER];
	struct stat st;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*why = "cannot be read";
	if (fd < 0)
		return false;
	if (fstat(fd, &st) != 0 || (got = read(fd, head, sizeof(head))) < 0) {
		close(fd);
		return false;
	}
	close(fd);
	return cfb_header_check(head, (size_t)got, (uint64_t)st.st_size, why);
}

struct mapi_item *
msg_read(const char *path, const struct limits *lim, struct plog *log, bool *damaged)
{
	return msg_read_named(path, path, lim, log, damaged);
}

struct mapi_item *
msg_read_named(const char *path, const char *name, const struct limits *lim, struct plog *log,
    bool *damaged)
{
	struct msgf f = { .lim = lim, .log = log, .path = name };
	libolecf_file_t *file = NULL;
	libolecf_item_t *root = NULL;
	libolecf_error_t *err = NULL;
	struct mapi_item *it = NULL;
	char e[512] = "unknown error";
	const char *why;

	*damaged = false;
	if (!msg_header_ok(path, &why)) {
		plog_add(log, PLOG_ERROR, "msg.unreadable", name, "", "cannot be opened as an OLE"
		    " compound file: %s", why);
		return NULL;
	}
	if (libolecf_file_initialize(&file, &err) != 1 ||
	    libolecf_file_open(file, path, LIBOLECF_OPEN_READ, &err) != 1 ||
	    libolecf_file_get_root_item(file, &root, &err) != 1) {
		if (err && libolecf_error_sprint(err, e, sizeof(e)) < 0)
			snprintf(e, sizeof(e), "unknown error");
		libolecf_error_free(&err);
		e[strcspn(e, "\n")] = 0;
		plog_add(log, PLOG_ERROR, "msg.unreadable", name, "", "cannot be opened as an OLE"
		    " compound file: %s", e);
		libolecf_file_free(&file, NULL);
		return NULL;
	}
	/* libolecf may open a damaged file and still leave an error set */
	libolecf_error_free(&err);
	it = msg_message(&f, root, 32, 0);
	libolecf_item_free(&root, NULL);
	libolecf_file_close(file, NULL);
	libolecf_file_free(&file, NULL);
	*damaged = f.damaged;
	return it;
}

bool
msg_path_is_message(const char *path)
{
	libolecf_file_t *file = NULL;
	libolecf_item_t *root = NULL, *p = NULL;
	libolecf_error_t *err = NULL;
	bool yes = false;
	const char *why;

	if (!msg_header_ok(path, &why))
		return false;
	if (libolecf_file_initialize(&file, &err) == 1 &&
	    libolecf_file_open(file, path, LIBOLECF_OPEN_READ, &err) == 1 &&
	    libolecf_file_get_root_item(file, &root, &err) == 1) {
		p = msg_sub(root, "__properties_version1.0");
		yes = p != NULL;
		libolecf_item_free(&p, NULL);
		libolecf_item_free(&root, NULL);
		libolecf_file_close(file, NULL);
	}
	libolecf_error_free(&err);
	libolecf_file_free(&file, NULL);
	return yes;
}
