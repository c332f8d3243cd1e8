/* sink.h - how a mail session (smtp.c, pop3.c, imap.c) hands out what it
 * found: the session's facts, each transcript line, each credential and each
 * message it carried. The session parsers are pure producers, like
 * src/capture/: they never store anything. Whoever runs them (the driver,
 * src/ingest.c, or a test or fuzz target) implements a struct mail_sink and
 * decides what to keep.
 *
 * Order: session_start once, first; then transcript, credential, message
 * and imap_item (after the message it became, if any) in the order the
 * session found them; session_end once, last. The sink owns
 * every identifier (session id, message id): the session never needs one, so
 * msg_origin's session_id and flow_id arrive as 0 and are the sink's to fill
 * in (a copy: the origin is const).
 *
 * Ownership: every record and every string in it is borrowed, valid only
 * during the callback; copy what must outlive it. Strings are text (cleaned
 * through src/util/text.h), NUL-terminated; NULL means "not seen". A NULL
 * callback discards its records. */
#ifndef MC_MAIL_SINK_H
#define MC_MAIL_SINK_H

#include <stddef.h>
#include <stdint.h>

struct msg_origin;
struct tls_info;

/* What the session showed about itself. At session_start only protocol and
 * first_us are set (the rest is not known yet); at session_end every field
 * is final. */
struct mail_session_facts {
	const char *protocol;         /* "smtp", "pop3", "imap" */
	const char *greeting;         /* the server greeting's text */
	const char *server_name, *server_software;
	const char *client_name;      /* EHLO/HELO/LHLO argument (SMTP) */
	const char *capabilities;     /* one per line */
	const char *tls;              /* "none"; "starttls" (TLS records follow it);
	                               * "starttls-clear" (plain commands follow it: a
	                               * capture behind a TLS-terminating proxy, or
	                               * exported decrypted); "implicit" (TLS from the
	                               * first byte) */
	uint32_t tls_frame;           /* frame of the accepted STARTTLS/STLS, or of the
	                               * first TLS record when implicit; 0 when none */
	int64_t first_us, last_us;    /* capture time of the first and last byte seen */
	int64_t messages;             /* messages handed to the message callback */
	const char *notes;            /* "; "-separated remarks on the session */
};

/* One line (or one summary of a data block) of the session, as it is shown
 * in the transcript. */
struct mail_transcript_line {
	int64_t seq;                  /* 1, 2, ... in session order */
	char dir;                     /* 'C' client to server, 'S' server to client */
	int64_t ts_us;                /* 0 when unknown */
	const char *frames;           /* frames carrying it, "78-80" */
	uint64_t stream_off;          /* offset of its first byte in its direction */
	const char *text;
};

/* One login attempt. */
struct mail_credential {
	const char *protocol;         /* "smtp", "pop3", "imap" */
	const char *mechanism;        /* "PLAIN", "USER/PASS", "LOGIN command", ... */
	const char *authzid, *username, *secret;
	const char *secret_kind;      /* "password", "cram-md5 digest", ...; NULL without a secret */
	const char *crack_line;       /* for hashcat, see sasl.h */
	const char *verdict;          /* "accepted", "rejected", "unknown" */
	const char *reply;            /* the server's answer to it */
	const char *frames;           /* "63, 66" */
	int64_t ts_us;
	const char *client, *server;  /* "ip:port" ("[ip]:port" for IPv6) */
	const char *domain;           /* NTLM domain, DIGEST-MD5 or Kerberos realm */
	const char *workstation;      /* NTLM workstation */
	const char *details;          /* facts of the exchange, see sasl.h */
};

/* One IMAP data item (RFC 9051 7.5.2: BODY[...], BINARY[...], RFC822*,
 * ENVELOPE) of a FETCH response, or the message of an APPEND (6.3.12):
 * which message of which mailbox, what of it, and what became of it. */
struct mail_imap_item {
	char dir;                     /* 'S' a FETCH response, 'C' an APPEND */
	const char *mailbox;          /* selected (or APPEND's) mailbox, as sent; NULL when unseen */
	const char *mailbox_utf8;     /* the same decoded from modified UTF-7; NULL when equal */
	int64_t seq;                  /* message sequence number; 0 for APPEND */
	int64_t uid;                  /* 0 when the response has no UID */
	const char *item;             /* "BODY[HEADER]", "RFC822", "ENVELOPE", "APPEND", ... */
	const char *section;          /* "message" "header" "header-fields" "text" "part" "mime" "envelope" "other" */
	int64_t origin;               /* <origin> of a partial fetch; -1 when whole */
	const char *flags;            /* FLAGS (or APPEND's flag list) without parentheses */
	const char *internaldate;     /* as sent; NULL when absent */
	int64_t internaldate_us;      /* 0 when absent or unreadable */
	int64_t rfc822_size;          /* -1 when absent */
	const void *data;             /* the value's bytes (borrowed); NULL for NIL */
	size_t len;
	const char *frames;
	uint64_t stream_off;
	int64_t ts_us;
	/* "message": became message message_id; "headers-only": a partial
	 * message of its headers; "assembled": put together with other items
	 * into message message_id; "piece": kept as bytes only (a part fetched
	 * by itself, a text without its header). */
	const char *use;
	int64_t message_id;           /* the sink's id (message callback); 0 for a piece */
	const char *incomplete_why;   /* what the capture lacks of it, or NULL */
};

struct mail_sink {
	void *arg;
	void (*session_start)(void *arg, const struct mail_session_facts *s);
	void (*transcript)(void *arg, const struct mail_transcript_line *l);
	void (*credential)(void *arg, const struct mail_credential *c);
	/* raw[0..len) is one message as transferred (dot-stuffing removed);
	 * o says where it came from (mail/message.h). Returns the sink's id for
	 * it, or 0; the session does not depend on the value. */
	int64_t (*message)(void *arg, const void *raw, size_t len, const struct msg_origin *o);
	void (*imap_item)(void *arg, const struct mail_imap_item *it);
	void (*session_end)(void *arg, const struct mail_session_facts *s);
	/* What the TLS handshake of the session showed (mail/tls.h), once,
	 * before session_end, for every session that went encrypted. */
	void (*tls)(void *arg, const struct tls_info *t);
};

#endif
