/* mapi.h - one item of an Outlook store (PST/OST item, .msg file, TNEF
 * stream) as a record of MAPI properties, and the RFC 5322 message mailcase
 * reconstructs from it so that the message pipeline (mail/message.c, hops,
 * authenticity) reads it like any other message.
 *
 * The readers (pst.c, msg.c, tnef.c) are pure: they fill a struct mapi_item
 * through a property accessor (struct mapi_props) and hand it to their
 * caller; they never store anything. Property tags are those of
 * [MS-OXPROPS]; where they sit in a message, [MS-OXCMSG] and [MS-OXOMSG].
 *
 * Ownership: a mapi_item owns every string, byte range, recipient,
 * attachment and embedded item in it; mapi_item_free() releases them all. */
#ifndef MC_MAPI_H
#define MC_MAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct plog;

/* [MS-OXPROPS] property identifiers (the upper 16 bits of a tag). */
enum {
	MAPI_MESSAGE_CLASS = 0x001A, MAPI_SUBJECT = 0x0037, MAPI_CLIENT_SUBMIT_TIME = 0x0039,
	MAPI_RECEIVED_BY_NAME = 0x0040, MAPI_RECEIVED_BY_ADDRTYPE = 0x0075,
	MAPI_RECEIVED_BY_EMAIL = 0x0076, MAPI_SENT_REPR_NAME = 0x0042, MAPI_SENT_REPR_ADDRTYPE = 0x0064,
	MAPI_SENT_REPR_EMAIL = 0x0065, MAPI_TRANSPORT_HEADERS = 0x007D,
	MAPI_RECIPIENT_TYPE = 0x0C15, MAPI_SENDER_NAME = 0x0C1A, MAPI_SENDER_ADDRTYPE = 0x0C1E,
	MAPI_SENDER_EMAIL = 0x0C1F, MAPI_DISPLAY_TO = 0x0E04, MAPI_DELIVERY_TIME = 0x0E06,
	MAPI_BODY = 0x1000, MAPI_RTF_COMPRESSED = 0x1009, MAPI_HTML = 0x1013,
	MAPI_INTERNET_MESSAGE_ID = 0x1035, MAPI_IN_REPLY_TO = 0x1042,
	MAPI_DISPLAY_NAME = 0x3001, MAPI_ADDRTYPE = 0x3002, MAPI_EMAIL_ADDRESS = 0x3003,
	MAPI_CREATION_TIME = 0x3007, MAPI_LAST_MODIFICATION_TIME = 0x3008,
	MAPI_ATTACH_DATA = 0x3701, MAPI_ATTACH_FILENAME = 0x3704, MAPI_ATTACH_METHOD = 0x3705,
	MAPI_ATTACH_LONG_FILENAME = 0x3707, MAPI_ATTACH_MIME_TAG = 0x370E,
	MAPI_ATTACH_CONTENT_ID = 0x3712, MAPI_SMTP_ADDRESS = 0x39FE,
	MAPI_SENDER_SMTP = 0x5D01, MAPI_SENT_REPR_SMTP = 0x5D02,
};

/* [MS-OXCMSG] 2.2.2.9 PidTagAttachMethod: an embedded message. */
#define MAPI_ATTACH_EMBEDDED_MSG 5

/* The four MAPI times of an item, in this order in mapi_item.times. */
enum mapi_time { MAPI_T_SUBMIT, MAPI_T_DELIVERY, MAPI_T_CREATED, MAPI_T_MODIFIED, MAPI_T_COUNT };

/* How a reader hands out the properties of one object (a message, one
 * recipient, one attachment). Each returns false when the property is
 * absent or unreadable. Strings come back as new UTF-8 (free them); bytes as
 * a new buffer of *len bytes (free it). */
struct mapi_props {
	void *arg;
	bool (*str)(void *arg, uint32_t id, char **out);
	bool (*bin)(void *arg, uint32_t id, void **out, size_t *len);
	bool (*u32)(void *arg, uint32_t id, uint32_t *out);
	bool (*time)(void *arg, uint32_t id, int64_t *us);   /* FILETIME as Unix microseconds */
};

/* One address: role is "from", "sender", "to", "cc", "bcc" or
 * "received-by" (the mailbox that received it; static). addr
 * is the address as the store wrote it (an Exchange "/o=..." DN when addrtype
 * is "EX"); smtp is the SMTP form when the store also has it. */
struct mapi_addr {
	const char *role;
	char *name, *addr, *addrtype, *smtp;
};

struct mapi_item;

struct mapi_attach {
	char *name;                 /* long file name, else the 8.3 one; NULL when none */
	char *mime;                 /* declared MIME type, or NULL */
	char *content_id;
	void *data;                 /* file data, NULL for an embedded message */
	size_t len;
	struct mapi_item *embedded; /* an attached message, or NULL */
};

struct mapi_item {
	char *folder;               /* folder path in the store, "/Top/Inbox"; NULL outside a PST */
	uint64_t id;                /* the store's identifier for the item (0: none) */
	bool recovered;             /* read from deleted or orphaned space */
	char *msg_class, *subject, *message_id, *in_reply_to;
	char *headers;              /* PidTagTransportMessageHeaders, as stored */
	char *body;                 /* plain text body, UTF-8 */
	void *html;                 /* HTML body, bytes as stored */
	size_t html_len;
	void *rtf;                  /* RTF body, decompressed, when there was one */
	size_t rtf_len;
	bool rtf_html;              /* the RTF encapsulates HTML (\fromhtml1) */
	int64_t times[MAPI_T_COUNT];
	bool has_time[MAPI_T_COUNT];
	struct mapi_addr *addrs;
	size_t naddrs;
	struct mapi_attach *atts;
	size_t natts;
	char *notes;                /* "; "-separated remarks of the reader, or NULL */
};

struct mapi_item *mapi_item_new(void);
void mapi_item_free(struct mapi_item *it);

/* Reads the message-level properties of p into it (class, subject, ids,
 * transport headers, bodies, times, sender and representing sender). */
void mapi_item_read(struct mapi_item *it, const struct mapi_props *p);
/* Reads one recipient object (PidTagRecipientType picks the role). */
void mapi_item_add_recipient(struct mapi_item *it, const struct mapi_props *p);
/* Adds an attachment read from p: file data, or (when data is NULL and
 * embedded is given) the attached message, which it takes. Returns it. */
struct mapi_attach *mapi_item_add_attach(struct mapi_item *it, const struct mapi_props *p,
    void *data, size_t len, struct mapi_item *embedded);
/* Appends a remark to it->notes. */
void mapi_item_note(struct mapi_item *it, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The RFC 5322 message mailcase writes for it: the stored transport headers
 * when there are some (their own MIME fields dropped), else header fields
 * made from the MAPI properties; then a MIME body of the plain, HTML and RTF
 * bodies and the attachments, embedded messages as message/rfc822 parts
 * (recursively, up to depth levels). A new buffer of *len bytes. */
char *mapi_item_to_mime(const struct mapi_item *it, unsigned depth, size_t *len);

/* Whether an RTF body encapsulates HTML ([MS-OXRTFEX] 2.1.3.1: \fromhtml1
 * in the header), and the HTML it carries ([MS-OXRTFEX] 2.1.3.1.1: the
 * \*\htmltag destinations and the text outside \htmlrtf). NULL when it does
 * not or nothing could be read. */
char *mapi_rtf_html(const void *rtf, size_t len, size_t *out_len);

/* The RTF of a PidTagRtfCompressed value ([MS-OXRTFCP] 2.1.3): "LZFu"
 * compressed or "MELA" stored, at most max bytes. A new buffer of *out_len
 * bytes, or NULL (with *why) when the value is no compressed RTF at all;
 * *why is also set (and the bytes read so far returned) when the value is
 * cut short, larger than max, or its size fields disagree with it. why is
 * a static string. */
char *mapi_rtf_decompress(const void *p, size_t len, size_t max, size_t *out_len,
    const char **why);

/* Unix microseconds of a FILETIME (100 ns since 1601-01-01), false for 0 or
 * a value outside the years 1601-9999. */
bool mapi_filetime_us(uint64_t ft, int64_t *us);

#endif
