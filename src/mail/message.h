/* message.h - one RFC 5322 message read with GMime into a record, for
 * messages off the wire and out of mailboxes alike.
 *
 * message_parse() is pure: bytes in, a struct msg_record out. It opens no
 * database and no artifact store and reads no case settings; malformed input
 * becomes flags on the record and entries in env->log. The driver
 * (ingest.c, ingest_message()) stores the record, its parts as artifacts,
 * hands office documents to office/ and nested messages (parts with
 * `nested` set) back to message_parse() one level deeper.
 *
 * Ownership: the record and every string and byte range in it belong to the
 * record; message_record_free() releases them all. A part's bytes are
 * borrowed from the record. raw, the origin and the env are borrowed and
 * only read during the call. */
#ifndef MC_MESSAGE_H
#define MC_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mail/maildate.h"

struct limits;
struct plog;

/* Where a message came from and what the wire said about it. Unused fields
 * are 0 / NULL. */
struct msg_origin {
	const char *source;        /* "smtp", "pop3", "imap", "mbox", "eml", "maildir", "pst", "ost", "msg", "tnef", "emlx" */
	int64_t session_id;
	/* capture provenance */
	int64_t flow_id;
	const char *frames;        /* frames carrying the message, "78-80" */
	uint64_t stream_off;       /* offset of the first byte in its direction */
	int64_t ts_us;             /* capture time the transfer completed */
	/* mailbox provenance */
	int64_t mbox_index;        /* 1-based position in the mailbox */
	const char *from_line;     /* mbox: its "From " separator, without the line end */
	uint64_t file_offset;      /* offset of the message in the file */
	const char *file_path;     /* the file within a Maildir or folder */
	/* SMTP envelope */
	const char *env_from;
	const char *const *env_rcpt;
	size_t nrcpt;
	/* damage */
	bool incomplete;
	const char *incomplete_why;
	bool partial;              /* an IMAP partial fetch */
	/* the hop the capture saw (SMTP) or where it was fetched (POP3/IMAP) */
	const char *obs_helo;
	const char *obs_client_ip;
	const char *obs_server;    /* the server's greeting name */
	const char *obs_server_ip;
	/* a mail store item (mailstore/): where it is in the store ("PST
	 * folder /Inbox, item 2097220"), and whether the message bytes were
	 * written by mailcase from the item's properties rather than read */
	const char *store_where;
	bool reconstructed;
};

/* What message_parse() works within and where its log entries point. */
struct msg_env {
	const struct limits *lim;  /* message_bytes, mime_parts, mime_depth */
	struct plog *log;
	const char *source;        /* the evidence file (with the file in a folder) */
	const char *where;         /* position in it: "message 3 (offset 120)" */
	unsigned depth;            /* message/rfc822 nesting above this message */
	const char *prefix;        /* part path of this message in its parent; "" at top */
};

/* One address of the message (RFC 5322 sections 3.6.2, 3.6.3; RFC 5321
 * section 4.4 for the envelope). role is a static string: "from", "sender",
 * "reply-to", "to", "cc", "bcc", "return-path", "env-from", "env-rcpt". */
struct msg_addr {
	const char *role;
	char *name;                /* display name, NULL when none */
	char *addr;
};

/* One MIME part (or uuencoded block) worth storing, in the order the
 * message holds them. role is "body", "attachment" or "inline". */
struct msg_part {
	char *path;                /* IMAP part number with the prefix, "1.2"; "1.uu1" */
	char *name;                /* declared file name as decoded (hostile: text only), or NULL */
	char *type;                /* declared type, lower case, "application/pdf" */
	const char *role;
	const void *p;             /* decoded bytes, borrowed from the record */
	size_t len;
	bool file;                 /* a file part (not a body, not uuencoded): may be a document */
	bool nested;               /* message/rfc822 within the depth ceiling: analyse it */
};

struct msg_record_mem;

struct msg_record {
	bool parsed;               /* false when GMime could not read a message */
	char *headers;             /* JSON [[name, raw, decoded], ...] in written order */
	struct msg_addr *addrs;
	size_t naddrs;
	char *message_id, *subject, *from_addr, *from_name;
	char *date_raw;            /* Date as written, unfolded */
	int64_t date_us;           /* its UTC instant (maildate_read); valid when date_ok */
	bool date_ok;
	enum maildate_zone date_zone; /* how far its zone can be trusted */
	char *in_reply_to, *references, *x_mailer, *x_originating_ip;
	char *auth_results;        /* every Authentication-Results, one a line */
	bool has_dkim;
	char *return_path;         /* the Return-Path header as written */
	char *return_path_addr;    /* its address only, for the route */
	char **received;           /* Received values, unfolded, top-down */
	size_t nreceived;
	char **boundaries;         /* every multipart's boundary parameter, in part order */
	size_t nboundaries;        /* (at most lim->mime_parts: one per part walked) */
	char *env_from;            /* the origin's envelope, cleaned (top level only) */
	char *env_rcpt;            /* JSON array of the envelope recipients, or NULL */
	char *body_text;           /* text/plain bodies, UTF-8, NULL when none */
	char *html_text;           /* text/html bodies as plain text, NULL when none */
	char *flags;               /* "a,b,c" or NULL */
	struct msg_part *parts;
	size_t nparts;
	struct msg_record_mem *mem;   /* private: the bytes the parts borrow */
};

/* Parses raw[0..len) (at most env->lim->message_bytes of it) into a record.
 * o may be NULL (an .eml without provenance); the envelope addresses of o
 * are part of the record only at depth 0. Never NULL. */
struct msg_record *message_parse(const void *raw, size_t len, const struct msg_origin *o,
    const struct msg_env *env);
void message_record_free(struct msg_record *r);

#endif
