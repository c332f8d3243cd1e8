/* hwp.c - Hangul word processor HWP 5 documents: an OLE compound file
 * (read with libolecf) whose streams are laid out by the HWP 5.0 file
 * format revision 1.3 (Hancom, 2018), section 3.2:
 *   FileHeader               signature, version, properties (3.2.1)
 *   \005HwpSummaryInformation an OLE property set (3.2.4, MS-OLEPS)
 *   BodyText/SectionN        the text as records (hwprec.c), raw deflate
 *                            when the document is compressed
 *   ViewText/SectionN        a distribution document's text, encrypted
 *   BinData/BINnnnn.ext      embedded images and OLE objects
 * The record layer is hwprec.c; this file is OLE glue only.
 *
 * libolecf opens files by name only (this build has no libbfio), so the
 * bytes are handed to it through an anonymous memory file (memfd): nothing
 * is written to disk and the evidence is never reopened. */
#include "office/hwprec.h"
#include "office/office_int.h"
#include "util/cfb.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <libolecf/features.h>
#undef LIBOLECF_HAVE_BFIO      /* the headers of libbfio are not installed */
#include <libolecf.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* 3.2.1: the first 32 bytes of FileHeader. */
#define HWP_SIGNATURE "HWP Document File"
/* 3.2.1 table 3: the properties bits. */
#define HWP_F_COMPRESSED   (1u << 0)
#define HWP_F_PASSWORD     (1u << 1)
#define HWP_F_DISTRIBUTION (1u << 2)
#define HWP_F_DRM          (1u << 4)
/* OLE compound file signature (MS-CFB 2.2). */
static const unsigned char ole_magic[8] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };

struct hwpole {
	int fd;
	libolecf_file_t *file;
	libolecf_item_t *root;
	libolecf_item_t *bindata;      /* the BinData storage, or NULL */
	int nbin, next_bin;
	uint32_t flags;
	uint64_t inflated;             /* bytes inflated so far, all streams */
	bool budget_logged;
	char *name;                    /* the name office_next_embedded() handed out last */
};

static void
hwp_olecf_err(struct odoc *d, const char *where, const char *what, libolecf_error_t **e)
{
	char msg[512] = "";

	if (e != NULL && *e != NULL) {
		libolecf_error_sprint(*e, msg, sizeof(msg));
		libolecf_error_free(e);
	}
	msg[strcspn(msg, "\n")] = '\0';
	odoc_warn(d, "office.hwp.ole", where, "%s%s%s", what, msg[0] ? ": " : "", msg);
}

/* The file opened by libolecf from a memfd holding p[0..len); NULL when it
 * is no OLE file (logged when d is not NULL). */
static struct hwpole *
hwpole_open(const void *p, size_t len, struct odoc *d)
{
	struct hwpole *o;
	libolecf_error_t *e = NULL;
	const char *why;
	char path[64];
	int fd;

	if (len < sizeof(ole_magic) || memcmp(p, ole_magic, sizeof(ole_magic)) != 0)
		return NULL;
	if (!cfb_header_check(p, len, len, &why)) {
		if (d != NULL)
			odoc_warn(d, "office.hwp.ole", "", "not a readable OLE compound file: %s", why);
		return NULL;
	}
	fd = memfd_create("mailcase-hwp", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, (const char *)p + off, len - off);

		if (w <= 0) {
			close(fd);
			return NULL;
		}
		off += (size_t)w;
	}
	o = xcalloc(1, sizeof(*o));
	o->fd = fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (libolecf_file_initialize(&o->file, &e) != 1 ||
	    libolecf_file_open(o->file, path, LIBOLECF_OPEN_READ, &e) != 1 ||
	    libolecf_file_get_root_item(o->file, &o->root, &e) != 1) {
		if (d != NULL)
			hwp_olecf_err(d, "", "not a readable OLE compound file", &e);
		else
			libolecf_error_free(&e);
		if (o->file != NULL)
			libolecf_file_free(&o->file, NULL);
		close(fd);
		free(o);
		return NULL;
	}
	/* libolecf may open a damaged file and still leave an error set */
	libolecf_error_free(&e);
	return o;
}

static void
hwpole_close(struct hwpole *o)
{
	if (o == NULL)
		return;
	if (o->bindata != NULL)
		libolecf_item_free(&o->bindata, NULL);
	libolecf_item_free(&o->root, NULL);
	free(o->name);
	libolecf_file_close(o->file, NULL);
	libolecf_file_free(&o->file, NULL);
	close(o->fd);
	free(o);
}

static libolecf_item_t *
hwp_child(libolecf_item_t *parent, const char *name)
{
	libolecf_item_t *it = NULL;

	if (parent == NULL || libolecf_item_get_sub_item_by_utf8_name(parent, (const uint8_t *)name,
	    strlen(name), &it, NULL) != 1)
		return NULL;
	return it;
}

/* A whole stream in memory owned by the caller, at most max bytes (a larger
 * one is logged and not read). */
static uint8_t *
hwp_stream(struct odoc *d, libolecf_item_t *it, const char *where, size_t max, size_t *len)
{
	libolecf_error_t *e = NULL;
	uint32_t size = 0;
	uint8_t *p;
	ssize_t got;

	*len = 0;
	if (libolecf_item_get_size(it, &size, &e) != 1) {
		hwp_olecf_err(d, where, "stream size unreadable", &e);
		return NULL;
	}
	if (size > max) {
		odoc_warn(d, "office.hwp.size", where,
		    "stream of %u bytes, larger than the ceiling of %zu: not read", size, max);
		odoc_flag(d, "capped");
		return NULL;
	}
	p = xmalloc((size_t)size + 1);
	got = size ? libolecf_stream_read_buffer(it, p, size, &e) : 0;
	if (got != (ssize_t)size) {
		hwp_olecf_err(d, where, "stream unreadable", &e);
		odoc_flag(d, "unreadable-parts");
		free(p);
		return NULL;
	}
	p[size] = 0;
	*len = size;
	return p;
}

/* The stream's bytes as the document stores them: inflated when the
 * document is compressed, within the document's inflated budget. */
static uint8_t *
hwp_stream_data(struct odoc *d, libolecf_item_t *it, const char *where, size_t *len)
{
	struct hwpole *o = d->ole;
	uint64_t budget = o->inflated >= d->lim->zip_inflated ? 0 : d->lim->zip_inflated - o->inflated;
	uint8_t *raw = hwp_stream(d, it, where, (size_t)d->lim->zip_inflated, len);
	const char *err = NULL;
	bool capped = false;
	uint64_t got = 0;
	char *out;

	if (raw == NULL || !(o->flags & HWP_F_COMPRESSED))
		return raw;
	out = hwprec_inflate(raw, *len, (size_t)budget, len, &capped, &err, &got);
	o->inflated += got;
	free(raw);
	if (capped) {
		if (!o->budget_logged)
			odoc_warn(d, "office.hwp.inflated", where,
			    "inflating passed the document's ceiling of %llu bytes (bomb?): this stream"
			    " and any later one are not read", (unsigned long long)d->lim->zip_inflated);
		o->budget_logged = true;
		odoc_flag(d, "capped");
	} else if (out == NULL) {
		odoc_warn(d, "office.hwp.deflate", where, "compressed stream unreadable: %s", err);
		odoc_flag(d, "unreadable-parts");
	}
	return (uint8_t *)out;
}

/* 3.2.1: signature, version (MM.nn.PP.rr, most significant byte first) and
 * the properties, in the first 40 of FileHeader's 256 bytes. False when this
 * is no HWP 5 document. */
static bool
hwp_header(struct hwpole *o, uint32_t *ver)
{
	libolecf_item_t *it = hwp_child(o->root, "FileHeader");
	uint8_t head[40];
	ssize_t got;
	struct rd r;
	struct slice sig;

	if (it == NULL)
		return false;
	got = libolecf_stream_read_buffer(it, head, sizeof(head), NULL);
	libolecf_item_free(&it, NULL);
	if (got < 0)
		return false;
	rd_init(&r, head, (size_t)got);
	sig = rd_bytes(&r, 32);
	*ver = rd_le32(&r);
	o->flags = rd_le32(&r);
	return rd_ok(&r) && memcmp(sig.p, HWP_SIGNATURE, strlen(HWP_SIGNATURE)) == 0;
}

bool
hwp_is_document(const void *p, size_t len)
{
	struct hwpole *o = hwpole_open(p, len, NULL);
	uint32_t ver;
	bool yes;

	if (o == NULL)
		return false;
	yes = hwp_header(o, &ver);
	hwpole_close(o);
	return yes;
}

/* --- summary information (MS-OLEPS 2.20 and the PIDSI values of the
 * SummaryInformation set, which HWP uses under its own name) ---------------- */

static char *
hwp_filetime(uint64_t ft)
{
	/* 100 ns ticks since 1601-01-01 (MS-DTYP 2.3.3) */
	int64_t secs = (int64_t)(ft / 10000000u) - INT64_C(11644473600);
	time_t t = (time_t)secs;
	struct tm tm;
	char s[32];

	if (ft == 0 || gmtime_r(&t, &tm) == NULL)
		return NULL;
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(s);
}

static char **
hwp_prop_slot(struct office_props *p, uint32_t id)
{
	switch (id) {
	case 2: return &p->title;
	case 3: return &p->subject;
	case 4: return &p->creator;
	case 5: return &p->keywords;
	case 6: return &p->description;
	case 7: return &p->template_;
	case 8: return &p->last_modified_by;
	case 9: return &p->revision;
	case 11: return &p->last_printed;
	case 12: return &p->created;
	case 13: return &p->modified;
	case 14: return &p->pages;
	case 15: return &p->words;
	case 18: return &p->application;
	}
	return NULL;
}

static void
hwp_prop(struct odoc *d, libolecf_property_value_t *v)
{
	uint32_t id = 0, type = 0, n32 = 0;
	uint64_t ft = 0;
	size_t n = 0;
	char **slot, *s = NULL;

	if (libolecf_property_value_get_identifier(v, &id, NULL) != 1 ||
	    libolecf_property_value_get_value_type(v, &type, NULL) != 1 ||
	    (slot = hwp_prop_slot(&d->pub.props, id)) == NULL || *slot != NULL)
		return;
	if (type == LIBOLECF_VALUE_TYPE_FILETIME) {
		if (libolecf_property_value_get_data_as_filetime(v, &ft, NULL) == 1)
			s = hwp_filetime(ft);
	} else if (type == LIBOLECF_VALUE_TYPE_INTEGER_32BIT_SIGNED) {
		if (libolecf_property_value_get_data_as_32bit_integer(v, &n32, NULL) == 1)
			s = xasprintf("%d", (int32_t)n32);
	} else if ((type == LIBOLECF_VALUE_TYPE_STRING_ASCII ||
	    type == LIBOLECF_VALUE_TYPE_STRING_UNICODE) &&
	    libolecf_property_value_get_data_as_utf8_string_size(v, &n, NULL) == 1 && n > 0 && n <= 65536) {
		s = xmalloc(n);
		if (libolecf_property_value_get_data_as_utf8_string(v, (uint8_t *)s, n, NULL) != 1) {
			free(s);
			s = NULL;
		}
	}
	if (s != NULL) {
		*slot = text_clean_str(s, 0);
		free(s);
	}
}

static void
hwp_summary(struct odoc *d)
{
	libolecf_item_t *it = hwp_child(d->ole->root, "\005HwpSummaryInformation");
	libolecf_property_set_t *set = NULL;
	libolecf_error_t *e = NULL;
	int nsec = 0;

	if (it == NULL)
		return;
	if (libolecf_property_set_stream_get_set(it, &set, &e) != 1) {
		hwp_olecf_err(d, "HwpSummaryInformation", "property set unreadable", &e);
		libolecf_item_free(&it, NULL);
		return;
	}
	(void)libolecf_property_set_get_number_of_sections(set, &nsec, NULL);
	for (int i = 0; i < nsec; i++) {
		libolecf_property_section_t *sec = NULL;
		int nprop = 0;

		if (libolecf_property_set_get_section_by_index(set, i, &sec, NULL) != 1)
			continue;
		(void)libolecf_property_section_get_number_of_properties(sec, &nprop, NULL);
		for (int k = 0; k < nprop && k < 4096; k++) {
			libolecf_property_value_t *v = NULL;

			if (libolecf_property_section_get_property_by_index(sec, k, &v, NULL) != 1)
				continue;
			hwp_prop(d, v);
			libolecf_property_value_free(&v, NULL);
		}
		libolecf_property_section_free(&sec, NULL);
	}
	libolecf_property_set_free(&set, NULL);
	libolecf_item_free(&it, NULL);
}

/* --- the body: BodyText/Section0, Section1, ... (3.2.9) -------------------- */

static void
hwp_sections(struct odoc *d, libolecf_item_t *body)
{
	struct buf t;

	buf_init(&t, 16u << 20);
	for (unsigned i = 0; i < d->lim->zip_entries; i++) {
		char name[32], where[64];
		libolecf_item_t *sec;
		struct hwprec_stats st;
		uint8_t *p;
		size_t len;

		snprintf(name, sizeof(name), "Section%u", i);
		snprintf(where, sizeof(where), "BodyText/%s", name);
		if ((sec = hwp_child(body, name)) == NULL)
			break;
		p = hwp_stream_data(d, sec, where, &len);
		libolecf_item_free(&sec, NULL);
		if (p == NULL)
			continue;
		buf_reset(&t);
		hwprec_text(p, len, &t, &st);
		if (st.err != NULL) {
			odoc_warn(d, "office.hwp.record", where, "%s at offset %zu; the text before it is kept",
			    st.err, st.err_off);
			odoc_flag(d, "unreadable-parts");
		}
		if (t.capped)
			odoc_warn(d, "office.text.size", where, "section text passed %u bytes: the rest is not kept",
			    16u << 20);
		odoc_text(d, t.p ? t.p : "", t.len);
		free(p);
	}
	buf_free(&t);
}

bool
hwp_read(struct odoc *d, const void *p, size_t len)
{
	libolecf_item_t *body;
	uint32_t ver = 0;

	d->ole = hwpole_open(p, len, d);
	if (d->ole == NULL)
		return false;
	if (!hwp_header(d->ole, &ver)) {
		odoc_warn(d, "office.hwp.header", "FileHeader",
		    "an OLE compound file without the HWP 5 signature: not read");
		return false;
	}
	/* The format version the file was written in (3.2.1). */
	d->pub.props.app_version = xasprintf("%u.%u.%u.%u", ver >> 24, (ver >> 16) & 0xff,
	    (ver >> 8) & 0xff, ver & 0xff);
	hwp_summary(d);
	if (d->ole->flags & HWP_F_PASSWORD) {
		d->pub.encrypted = true;
		odoc_flag(d, "password");
		odoc_warn(d, "office.hwp.encrypted", "FileHeader",
		    "the document is protected by a password: its streams are encrypted and its text"
		    " was not read; the summary information above is not encrypted");
	} else if ((body = hwp_child(d->ole->root, "BodyText")) != NULL) {
		hwp_sections(d, body);
		libolecf_item_free(&body, NULL);
	}
	if (d->ole->flags & (HWP_F_DISTRIBUTION | HWP_F_DRM)) {
		d->pub.encrypted = true;
		odoc_flag(d, "distribution");
		odoc_warn(d, "office.hwp.distribution", "FileHeader",
		    "a distribution (or DRM) document: its text is in ViewText, encrypted, and was not"
		    " read; the summary information is kept");
	}
	if (d->ole->flags & HWP_F_COMPRESSED)
		odoc_flag(d, "compressed");
	d->ole->bindata = hwp_child(d->ole->root, "BinData");
	if (d->ole->bindata != NULL)
		(void)libolecf_item_get_number_of_sub_items(d->ole->bindata, &d->ole->nbin, NULL);
	return true;
}

/* 3.2.7: BinData/BIN%04X.ext; "OLE" objects are embeddings, anything else a
 * picture. The name is text from the file. */
bool
hwp_next_embedded(struct odoc *d, struct office_embedded *e)
{
	struct hwpole *o = d->ole;

	free(o ? o->name : NULL);
	if (o != NULL)
		o->name = NULL;
	while (o != NULL && o->bindata != NULL && o->next_bin < o->nbin &&
	    (unsigned)o->next_bin < d->lim->zip_entries) {
		int i = o->next_bin++;
		libolecf_item_t *it = NULL;
		uint8_t raw[256] = "";
		char *name, *where;
		const char *dot;
		uint8_t *p;
		size_t len;

		if (libolecf_item_get_sub_item(o->bindata, i, &it, NULL) != 1)
			continue;
		(void)libolecf_item_get_utf8_name(it, raw, sizeof(raw), NULL);
		raw[sizeof(raw) - 1] = 0;
		name = xasprintf("BinData/%s", (const char *)raw);
		where = text_clean_str(name, 0);
		p = hwp_stream_data(d, it, where, &len);
		libolecf_item_free(&it, NULL);
		free(where);
		if (p == NULL) {
			free(name);
			continue;
		}
		dot = strrchr(name, '.');
		d->embedded = (char *)p;
		memset(e, 0, sizeof(*e));
		e->entry = (size_t)i;
		e->name = name;
		e->role = dot != NULL && strcasecmp(dot, ".ole") == 0 ? "embedding" : "image";
		e->p = p;
		e->len = len;
		e->document = strcmp(e->role, "embedding") == 0 && office_is_document(p, len);
		o->name = name;
		return true;
	}
	return false;
}

void
hwp_close(struct odoc *d)
{
	hwpole_close(d->ole);
	d->ole = NULL;
}
