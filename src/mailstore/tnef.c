/* tnef.c - [MS-OXTNEF] streams through libytnef. See tnef.h.
 *
 * 2.1.3.1 the stream: TNEFSignature (0x223E9F78, little-endian), a 2-byte
 * LegacyKey, then attributes, each AttributeLevel (1 byte), AttributeID (4:
 * the type in the high word), AttributeLength (4), the data and a checksum
 * (2: the sum of the data bytes, modulo 65536). 2.1.3.4 the property lists
 * of attMsgProps and attAttachment. */
#include "mailstore/tnef.h"
#include "mailstore/mapi.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <glib.h>
#include <ytnef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TNEF_SIGNATURE 0x223E9F78u

/* What libytnef's TNEFFillMapi() accepts (ytnef.c), so that nothing it
 * refuses (and prints about) reaches it: at most 1000 properties and 1000
 * values of one, property names of at most 100 bytes, UTF-16 strings of at
 * most 100000 bytes. */
#define TNEF_MAX_PROPS 1000
#define TNEF_MAX_VALUES 1000
#define TNEF_MAX_NAME 100
#define TNEF_MAX_UNICODE 100000

struct tnef_run {
	const struct limits *lim;
	struct plog *log;
	const char *source;
	bool damaged;
};

bool
tnef_is_stream(const void *p, size_t len)
{
	struct rd r;

	rd_init(&r, p, len);
	return rd_le32(&r) == TNEF_SIGNATURE && rd_ok(&r);
}

/* ---- the framing walk ------------------------------------------------------ */

static bool
tnef_pad4(struct rd *r, uint32_t n)
{
	rd_skip(r, n);
	if (n % 4)
		rd_skip(r, 4 - n % 4);
	return rd_ok(r);
}

/* One property value of type t ([MS-OXTNEF] 2.1.3.4.1), as libytnef reads
 * it. first: the first value of a single-valued property, which carries a
 * value count before its size. */
static bool
tnef_value_ok(struct rd *r, uint32_t t, bool first)
{
	uint32_t n;

	switch (t) {
	case PT_BINARY: case PT_OBJECT: case PT_STRING8: case PT_UNICODE:
		if (first)
			(void)rd_le32(r);
		n = rd_le32(r);
		if (!rd_ok(r) || (t == PT_UNICODE && n > TNEF_MAX_UNICODE))
			return false;
		return tnef_pad4(r, n);
	case PT_I2:
		rd_skip(r, 4);      /* 2 bytes, padded to 4 */
		return rd_ok(r);
	case PT_BOOLEAN: case PT_LONG: case PT_R4: case PT_CURRENCY: case PT_APPTIME: case PT_ERROR:
		rd_skip(r, 4);
		return rd_ok(r);
	case PT_DOUBLE: case PT_I8: case PT_SYSTIME:
		rd_skip(r, 8);
		return rd_ok(r);
	case PT_CLSID:
		rd_skip(r, 16);
		return rd_ok(r);
	}
	return false;
}

/* Whether a property list p[0..n) is whole and well formed; *at is the
 * offset in it where it is not. */
static bool
tnef_props_ok(const uint8_t *p, size_t n, size_t *at)
{
	struct rd r;
	uint32_t count, i;

	rd_init(&r, p, n);
	count = rd_le32(&r);
	*at = 0;
	if (!rd_ok(&r) || count > TNEF_MAX_PROPS)
		return false;
	for (i = 0; i < count; i++) {
		uint32_t tag, t, values = 1, v;

		*at = r.off;
		tag = rd_le32(&r);
		if (!rd_ok(&r))
			return false;
		if ((tag >> 16) >= 0x8000) {
			/* a named property: its GUID, then an ID or its names */
			uint32_t kind;

			rd_skip(&r, 16);
			kind = rd_le32(&r);
			if (!rd_ok(&r) || kind > rd_left(&r) / 4)
				return false;
			if (kind == 0)
				(void)rd_le32(&r);
			for (v = 0; v < kind; v++) {
				uint32_t nl = rd_le32(&r);
				if (!rd_ok(&r) || nl > TNEF_MAX_NAME || !tnef_pad4(&r, nl))
					return false;
			}
		}
		t = tag & 0xffff;
		if (t & MV_FLAG) {
			t -= MV_FLAG;
			values = rd_le32(&r);
			if (!rd_ok(&r) || values == 0 || values > TNEF_MAX_VALUES)
				return false;
			for (v = 0; v < values; v++)
				if (!tnef_value_ok(&r, t, false))
					return false;
		} else if (!tnef_value_ok(&r, t, true)) {
			return false;
		}
	}
	*at = r.off;
	return rd_ok(&r) && rd_left(&r) == 0;
}

/* Whether libytnef can take attribute id with data d[0..n); why when not. */
static bool
tnef_attr_ok(uint32_t id, const uint8_t *d, size_t n, const char **why, size_t *at)
{
	*at = 0;
	switch (id) {
	case attMAPIProps: case attAttachment:
		if (!tnef_props_ok(d, n, at)) {
			*why = "its property list is malformed or its lengths lie";
			return false;
		}
		return true;
	case attDateSent: case attDateRecd: case attDateModified: case attDateStart:
	case attDateEnd: case attAttachCreateDate: case attAttachModifyDate:
		if (n < sizeof(dtr)) {
			*why = "a date shorter than 14 bytes";
			return false;
		}
		return true;
	case attRecipTable: case attSentFor:
		/* not read by libytnef beyond a count (attRecipTable) or only
		 * printed (attSentFor); left out so their lengths cannot stop it */
		*why = NULL;
		return false;
	}
	return true;
}

#define TNEF_SEEN 64

/* Whether libytnef gives attribute id to the last attachment ([MS-OXTNEF]
 * 2.1.3.3: the attachment attributes) rather than to the message. */
static bool
tnef_attr_of_attachment(uint32_t id)
{
	switch (id) {
	case attAttachData: case attAttachTitle: case attAttachMetaFile: case attAttachCreateDate:
	case attAttachModifyDate: case attAttachTransportFilename: case attAttachRenddata:
	case attAttachment:
		return true;
	}
	return false;
}

/* True the first time id is met for its object (the message, or the
 * attachment since the last attAttachRenddata), which it then records. At
 * most TNEF_SEEN distinct attributes per object are told apart; past that,
 * any attribute is refused. */
static bool
tnef_attr_once(uint32_t id, uint32_t *msg, size_t *nmsg, uint32_t *att, size_t *natt)
{
	uint32_t *v = tnef_attr_of_attachment(id) ? att : msg;
	size_t *n = tnef_attr_of_attachment(id) ? natt : nmsg, i;

	for (i = 0; i < *n; i++)
		if (v[i] == id)
			return false;
	if (*n >= TNEF_SEEN)
		return false;
	v[(*n)++] = id;
	return true;
}

/* The attributes of p[0..len) that libytnef can take, after the signature
 * and key, in a new buffer of *out_len bytes. */
static uint8_t *
tnef_clean(struct tnef_run *t, const uint8_t *p, size_t len, const char *where, size_t *out_len)
{
	struct rd r;
	uint8_t *out = xmalloc(len);
	size_t n = 6, nattr = 0;
	/* libytnef stores a repeated attribute anew and loses (leaks) what it
	 * held: each attribute reaches it once per object, the message or the
	 * attachment begun by the last attAttachRenddata */
	uint32_t seen_msg[TNEF_SEEN], seen_att[TNEF_SEEN];
	size_t nmsg = 0, natt = 0;

	memcpy(out, p, 6);
	rd_init(&r, p, len);
	rd_skip(&r, 6);
	while (rd_left(&r) > 0) {
		size_t off = r.off, at;
		uint8_t level = rd_u8(&r);
		uint32_t id = rd_le32(&r), alen = rd_le32(&r);
		struct slice d;
		uint16_t sum = 0, ck;
		const char *why = NULL;
		size_t i;

		if (!rd_ok(&r)) {
			plog_add(t->log, PLOG_WARN, "tnef.truncated", t->source, where,
			    "the stream ends inside the header of attribute %zu at offset %zu", nattr + 1,
			    off);
			t->damaged = true;
			break;
		}
		if ((uint64_t)alen + 2 > rd_left(&r)) {
			plog_add(t->log, PLOG_WARN, "tnef.truncated", t->source, where,
			    "attribute %zu (0x%08X) at offset %zu declares %u bytes; only %zu follow: the"
			    " rest of the stream is not read", nattr + 1, id, off, alen, rd_left(&r));
			t->damaged = true;
			break;
		}
		nattr++;
		d = rd_bytes(&r, alen);
		ck = rd_le16(&r);
		if (alen > t->lim->message_bytes) {
			plog_add(t->log, PLOG_WARN, "cap.message_bytes", t->source, where,
			    "attribute %zu (0x%08X) at offset %zu holds %u bytes, more than the message"
			    " ceiling (%zu); not read", nattr, id, off, alen, t->lim->message_bytes);
			t->damaged = true;
			continue;
		}
		for (i = 0; i < d.len; i++)
			sum = (uint16_t)(sum + d.p[i]);
		if (sum != ck) {
			plog_add(t->log, PLOG_WARN, "tnef.checksum", t->source, where,
			    "attribute %zu (0x%08X) at offset %zu: its checksum is 0x%04X, its bytes sum to"
			    " 0x%04X; not read", nattr, id, off, ck, sum);
			t->damaged = true;
			continue;
		}
		if (alen == 0 || (level != LVL_MESSAGE && level != LVL_ATTACHMENT))
			continue;
		if (id == attAttachRenddata)
			natt = 0;
		if (!tnef_attr_once(id, seen_msg, &nmsg, seen_att, &natt)) {
			plog_add(t->log, PLOG_WARN, "tnef.attribute", t->source, where,
			    "attribute %zu (0x%08X) at offset %zu: the same attribute again for the same %s;"
			    " not read", nattr, id, off, tnef_attr_of_attachment(id) ? "attachment" :
			    "message");
			t->damaged = true;
			continue;
		}
		if (!tnef_attr_ok(id, d.p, d.len, &why, &at)) {
			if (why != NULL) {
				plog_add(t->log, PLOG_WARN, "tnef.attribute", t->source, where,
				    "attribute %zu (0x%08X) at offset %zu: %s (at byte %zu of it); not read",
				    nattr, id, off, why, at);
				t->damaged = true;
			}
			continue;
		}
		memcpy(out + n, p + off, 11 + (size_t)alen);
		n += 11 + (size_t)alen;
	}
	*out_len = n;
	return out;
}

/* ---- properties (struct mapi_props over libytnef's MAPIProps) ----------- */

struct tnef_obj {
	struct tnef_run *t;
	MAPIProps *mp;
	Attachment *att;           /* the attachment, for its down-level title */
};

static MAPIProperty *
tnef_prop(MAPIProps *mp, uint32_t id, uint32_t type)
{
	DWORD i;

	for (i = 0; mp && i < mp->count; i++) {
		MAPIProperty *p = &mp->properties[i];
		if (p->custom == 0 && PROP_ID(p->id) == id && PROP_TYPE(p->id) == type &&
		    p->count > 0 && p->data != NULL)
			return p;
	}
	return NULL;
}

/* PtypString8 bytes (the code page's; Windows-1252 is assumed, as for .msg
 * files) as new UTF-8. */
static char *
tnef_str8(const BYTE *p, size_t n)
{
	gchar *u;
	char *s;

	if (p == NULL)
		return NULL;
	n = strnlen((const char *)p, n);
	u = g_convert((const gchar *)p, (gssize)n, "UTF-8", "WINDOWS-1252", NULL, NULL, NULL);
	if (u == NULL)
		return NULL;
	s = xstrdup(u);
	g_free(u);
	return s;
}

static bool
tnef_prop_str(void *arg, uint32_t id, char **out)
{
	struct tnef_obj *o = arg;
	MAPIProperty *p = tnef_prop(o->mp, id, PT_UNICODE);

	*out = NULL;
	if (p && p->data[0].data) {
		/* libytnef wrote UTF-8 (NUL-ended) into a buffer of 3/2 the UTF-16 size */
		size_t cap = (size_t)p->data[0].size / 2 * 3 + 1;
		*out = xstrndup((const char *)p->data[0].data, strnlen((char *)p->data[0].data, cap));
	} else if ((p = tnef_prop(o->mp, id, PT_STRING8)) != NULL) {
		*out = tnef_str8(p->data[0].data, (size_t)p->data[0].size);
	} else if (id == MAPI_ATTACH_FILENAME && o->att && o->att->Title.size > 0) {
		*out = tnef_str8(o->att->Title.data, (size_t)o->att->Title.size);
	}
	return *out != NULL;
}

static bool
tnef_prop_bin(void *arg, uint32_t id, void **out, size_t *len)
{
	struct tnef_obj *o = arg;
	MAPIProperty *p = tnef_prop(o->mp, id, PT_BINARY);

	if (p == NULL)
		p = tnef_prop(o->mp, id, PT_OBJECT);
	if (p == NULL || p->data[0].size <= 0 || p->data[0].data == NULL)
		return false;
	*len = (size_t)p->data[0].size;
	*out = xmalloc(*len);
	memcpy(*out, p->data[0].data, *len);
	return true;
}

static bool
tnef_prop_u32(void *arg, uint32_t id, uint32_t *v)
{
	struct tnef_obj *o = arg;
	MAPIProperty *p = tnef_prop(o->mp, id, PT_LONG);

	if (p == NULL || p->data[0].size != 4)
		return false;
	memcpy(v, p->data[0].data, 4);     /* libytnef stored it in host order */
	return true;
}

static bool
tnef_prop_time(void *arg, uint32_t id, int64_t *us)
{
	struct tnef_obj *o = arg;
	MAPIProperty *p = tnef_prop(o->mp, id, PT_SYSTIME);
	uint64_t ft;

	if (p == NULL || p->data[0].size != 8)
		return false;
	memcpy(&ft, p->data[0].data, 8);
	return mapi_filetime_us(ft, us);
}

static struct mapi_props
tnef_props(struct tnef_obj *o)
{
	struct mapi_props p = { .arg = o, .str = tnef_prop_str, .bin = tnef_prop_bin,
	    .u32 = tnef_prop_u32, .time = tnef_prop_time };
	return p;
}

/* ---- the message ------------------------------------------------------------- */

/* A down-level date ([MS-OXTNEF] 2.1.3.3.3: year, month, day, hour,
 * minute, second, day of week), read as UTC: the attribute gives no zone. */
static bool
tnef_dtr_us(const dtr *d, int64_t *us)
{
	GDateTime *t;

	if (d->wYear < 1601 || d->wMonth < 1 || d->wMonth > 12 || d->wDay < 1 || d->wDay > 31 ||
	    d->wHour > 23 || d->wMinute > 59 || d->wSecond > 59)
		return false;
	t = g_date_time_new_utc(d->wYear, d->wMonth, d->wDay, d->wHour, d->wMinute, d->wSecond);
	if (t == NULL)
		return false;
	*us = g_date_time_to_unix(t) * 1000000;
	g_date_time_unref(t);
	return true;
}

/* attFrom ([MS-OXTNEF] 2.1.3.3.1, a TRP): trpid, cbgrtrp, cch, cbRgb, the
 * display name (cch bytes), then "TYPE:address" up to cbgrtrp. */
static void
tnef_from(struct mapi_item *it, const variableLength *v)
{
	struct rd r;
	uint16_t total, cch;
	struct slice name, rest;
	char *n, *a, *colon, *type = NULL;
	size_t i;

	for (i = 0; i < it->naddrs; i++)
		if (strcmp(it->addrs[i].role, "from") == 0 || strcmp(it->addrs[i].role, "sender") == 0)
			return;      /* the MAPI properties said it */
	if (v->data == NULL || v->size <= 0)
		return;
	rd_init(&r, v->data, (size_t)v->size);
	(void)rd_le16(&r);
	total = rd_le16(&r);
	cch = rd_le16(&r);
	(void)rd_le16(&r);
	name = rd_bytes(&r, cch);
	if (!rd_ok(&r))
		return;
	rest = rd_rest(&r);
	if (total > cch && (size_t)(total - cch) < rest.len)
		rest.len = (size_t)(total - cch);
	n = tnef_str8(name.p, name.len);
	a = tnef_str8(rest.p, rest.len);
	if (a && (colon = strchr(a, ':')) != NULL) {
		type = xstrndup(a, (size_t)(colon - a));
		memmove(a, colon + 1, strlen(colon + 1) + 1);
	}
	if (n && !n[0]) {
		free(n);
		n = NULL;
	}
	if (a && !a[0]) {
		free(a);
		a = NULL;
	}
	if (n == NULL && a == NULL) {
		free(type);
		return;
	}
	it->addrs = xreallocarray(it->addrs, it->naddrs + 1, sizeof(*it->addrs));
	it->addrs[it->naddrs].role = "from";
	it->addrs[it->naddrs].name = n;
	it->addrs[it->naddrs].addr = a;
	it->addrs[it->naddrs].addrtype = type;
	it->addrs[it->naddrs].smtp = NULL;
	it->naddrs++;
}

/* Without PidTagSubject, the subject without its prefix
 * (PidTagNormalizedSubject, [MS-OXCMSG] 2.2.1.10) or the conversation
 * topic ([MS-OXPROPS] 2.651), which Outlook also writes; noted. */
static void
tnef_subject(struct mapi_item *it, struct tnef_obj *o)
{
	static const struct { uint32_t id; const char *name; } alt[] = {
		{ 0x0E1D, "PidTagNormalizedSubject" }, { 0x0070, "PidTagConversationTopic" },
	};
	size_t i;

	for (i = 0; i < sizeof(alt) / sizeof(alt[0]) && it->subject == NULL; i++)
		if (tnef_prop_str(o, alt[i].id, &it->subject)) {
			if (it->subject[0] == 0) {
				free(it->subject);
				it->subject = NULL;
			} else
				mapi_item_note(it, "no PidTagSubject: the subject is %s", alt[i].name);
		}
}

/* What the down-level attributes say that the properties did not. */
static void
tnef_downlevel(struct mapi_item *it, TNEFStruct *tn)
{
	static const enum mapi_time slot[] = { MAPI_T_SUBMIT, MAPI_T_DELIVERY, MAPI_T_MODIFIED };
	const dtr *d[] = { &tn->dateSent, &tn->dateReceived, &tn->dateModified };
	size_t i;

	/* libytnef's own subject may be a property it rewrote ('/' to '_'):
	 * the properties are read first, in tnef_subject() */
	if (it->subject == NULL && tn->subject.size > 0)
		it->subject = tnef_str8(tn->subject.data, (size_t)tn->subject.size);
	if (it->msg_class == NULL && tn->messageClass[0])
		it->msg_class = tnef_str8((const BYTE *)tn->messageClass, sizeof(tn->messageClass));
	if (it->body == NULL && tn->body.size > 0)
		it->body = tnef_str8(tn->body.data, (size_t)tn->body.size);
	for (i = 0; i < 3; i++)
		if (!it->has_time[slot[i]] && tnef_dtr_us(d[i], &it->times[slot[i]]))
			it->has_time[slot[i]] = true;
	tnef_from(it, &tn->from);
}

/* PidTagDisplayTo ([MS-OXPROPS] 2.680): the recipients' names, ";"
 * separated; the recipient table itself is not read. */
static void
tnef_display_to(struct mapi_item *it, struct tnef_obj *o)
{
	char *s = NULL, *save = NULL, *tok;
	size_t i;

	for (i = 0; i < it->naddrs; i++)
		if (strcmp(it->addrs[i].role, "to") == 0)
			return;
	if (!tnef_prop_str(o, MAPI_DISPLAY_TO, &s))
		return;
	for (tok = strtok_r(s, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok == 0)
			continue;
		it->addrs = xreallocarray(it->addrs, it->naddrs + 1, sizeof(*it->addrs));
		memset(&it->addrs[it->naddrs], 0, sizeof(it->addrs[0]));
		it->addrs[it->naddrs].role = "to";
		it->addrs[it->naddrs].name = xstrdup(tok);
		it->naddrs++;
	}
	free(s);
	mapi_item_note(it, "the recipients are the names of PidTagDisplayTo; the TNEF recipient"
	    " table is not read");
}

static void
tnef_rtf(struct tnef_run *t, struct mapi_item *it, struct tnef_obj *o, const char *where)
{
	void *z;
	size_t zn;
	const char *why;

	if (!tnef_prop_bin(o, MAPI_RTF_COMPRESSED, &z, &zn))
		return;
	it->rtf = mapi_rtf_inflate(z, zn, t->lim->message_bytes, &it->rtf_len, &why);
	free(z);
	if (why != NULL) {
		plog_add(t->log, PLOG_WARN, "tnef.rtf", t->source, where,
		    "the compressed RTF body (%zu bytes): %s", zn, why);
		t->damaged = true;
	}
	if (it->rtf) {
		size_t hl;
		char *h = mapi_rtf_html(it->rtf, it->rtf_len, &hl);
		it->rtf_html = h != NULL;
		free(h);
	}
	it->keep_rtf = true;
}

static struct mapi_item *tnef_message(struct tnef_run *t, const uint8_t *p, size_t len,
    const char *where, unsigned depth);

static void
tnef_attachments(struct tnef_run *t, struct mapi_item *it, TNEFStruct *tn, const char *where,
    unsigned depth)
{
	Attachment *a;
	unsigned k = 0;

	for (a = tn->starting_attach.next; a != NULL; a = a->next) {
		struct tnef_obj o = { .t = t, .mp = &a->MAPI, .att = a };
		struct mapi_props pp = tnef_props(&o);
		struct mapi_item *emb = NULL;
		uint32_t method = 0;
		void *data = NULL, *obj;
		size_t len = 0, olen;

		k++;
		(void)tnef_prop_u32(&o, MAPI_ATTACH_METHOD, &method);
		if (method == MAPI_ATTACH_EMBEDDED_MSG && tnef_prop_bin(&o, MAPI_ATTACH_DATA, &obj, &olen)) {
			/* [MS-OXTNEF] 2.1.3.4.3: PidTagAttachDataObject, the
			 * interface identifier (16 bytes), then the message as a
			 * TNEF stream of its own */
			char *w = xasprintf("%s, attachment %u", where, k);
			if (depth >= t->lim->mime_depth)
				plog_add(t->log, PLOG_WARN, "store.depth", t->source, w,
				    "an attached message deeper than %u levels is not read",
				    t->lim->mime_depth);
			else if (olen > 16 && tnef_is_stream((uint8_t *)obj + 16, olen - 16))
				emb = tnef_message(t, (uint8_t *)obj + 16, olen - 16, w, depth + 1);
			if (emb == NULL) {
				data = obj;       /* kept as the bytes it is */
				len = olen;
			} else {
				free(obj);
			}
			free(w);
		} else if (a->FileData.size > 0 && a->FileData.data) {
			len = (size_t)a->FileData.size;
			data = xmalloc(len);
			memcpy(data, a->FileData.data, len);
		} else if (!tnef_prop_bin(&o, MAPI_ATTACH_DATA, &data, &len)) {
			data = NULL;
			len = 0;
			mapi_item_note(it, "attachment %u has no data in the stream", k);
		}
		mapi_item_add_attach(it, &pp, data, len, emb);
	}
}

/* TNEFFree() and what it leaves: attachment attributes met before the first
 * attAttachRenddata go to starting_attach, which it does not free, and a
 * subject property of no bytes leaves its buffer with size 0, which
 * FREEVARLENGTH skips. Both freed here and their pointers cleared first, so
 * nothing is freed twice whatever TNEFFree() does. */
static void
tnef_free(TNEFStruct *tn)
{
	Attachment *a = &tn->starting_attach;

	if (tn->subject.size == 0 && tn->subject.data != NULL) {
		free(tn->subject.data);
		tn->subject.data = NULL;
	}
	if (a->MAPI.count > 0 || a->FileData.size > 0 || a->Title.size > 0 || a->IconData.size > 0 ||
	    a->MetaFile.size > 0 || a->TransportFilename.size > 0) {
		TNEFFreeAttachment(a);
		a->MAPI.properties = NULL;
		a->MAPI.count = 0;
	}
	TNEFFree(tn);
}

static struct mapi_item *
tnef_message(struct tnef_run *t, const uint8_t *p, size_t len, const char *where, unsigned depth)
{
	TNEFStruct tn;
	struct mapi_item *it;
	struct tnef_obj o = { .t = t };
	struct mapi_props pp;
	uint8_t *clean;
	size_t n;
	int rc;

	if (!tnef_is_stream(p, len) || len < 6) {
		plog_add(t->log, PLOG_ERROR, "tnef.unreadable", t->source, where,
		    "no TNEF signature (0x223E9F78) at its start; not read");
		return NULL;
	}
	clean = tnef_clean(t, p, len, where, &n);
	if (n <= 6) {
		plog_add(t->log, PLOG_WARN, "tnef.unreadable", t->source, where,
		    "no attribute could be read after the signature (%zu bytes); no message", len);
		free(clean);
		t->damaged = true;
		return NULL;
	}
	TNEFInitialize(&tn);
	tn.Debug = 0;
	rc = TNEFParseMemory(clean, (long)n, &tn);
	if (rc < 0) {
		plog_add(t->log, PLOG_WARN, "tnef.unreadable", t->source, where,
		    "libytnef stopped with error %d; what it read before is kept", rc);
		t->damaged = true;
	}
	it = mapi_item_new();
	o.mp = &tn.MapiProperties;
	pp = tnef_props(&o);
	mapi_item_read(it, &pp);
	tnef_subject(it, &o);
	tnef_downlevel(it, &tn);
	tnef_display_to(it, &o);
	tnef_rtf(t, it, &o, where);
	tnef_attachments(t, it, &tn, where, depth);
	tnef_free(&tn);
	free(clean);
	return it;
}

struct mapi_item *
tnef_read(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source, const char *where, bool *damaged)
{
	struct tnef_run t = { .lim = lim, .log = log, .source = source };
	struct mapi_item *it = tnef_message(&t, p, len, where, 0);

	*damaged = t.damaged;
	return it;
}
