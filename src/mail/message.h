/* message.h - analysis of one RFC 5322 message with GMime, for messages off
 * the wire and out of mailboxes alike.
 *
 * message_analyze() stores the raw message as an artifact, its headers,
 * addresses, decoded bodies and every attachment (handing office documents to
 * office/), its hop route (mail/hops.c), and returns the message row id. The
 * caller owns raw and origin. */
#ifndef MC_MESSAGE_H
#define MC_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ingest_ctx;

/* Where a message came from and what the wire said about it. Unused fields
 * are 0 / NULL. */
struct msg_origin {
	const char *source;        /* "smtp", "pop3", "imap", "mbox", "eml", "maildir" */
	int64_t session_id;
	/* capture provenance */
	int64_t flow_id;
	const char *frames;        /* frames carrying the message, "78-80" */
	uint64_t stream_off;       /* offset of the first byte in its direction */
	int64_t ts_us;             /* capture time the transfer completed */
	/* mailbox provenance */
	int64_t mbox_index;        /* 1-based position in the mailbox */
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
};

int64_t message_analyze(struct ingest_ctx *ctx, const void *raw, size_t len,
    const struct msg_origin *origin);

#endif
