/* session.h - mail sessions (SMTP, POP3, IMAP) rebuilt from finished TCP
 * flows: the session's facts, its transcript, its credentials and the
 * messages it carried, handed out as records through a struct mail_sink
 * (mail/sink.h). Nothing here stores anything.
 *
 * The entry point is mail_flow_analyze(). The rest of this header is the
 * common machinery the three protocol parsers (smtp.c, pop3.c, imap.c)
 * share: reading lines and counted or dot-terminated data from either
 * direction with gap detection, the transcript, credentials and message
 * hand-over. It is not for use outside src/mail/. */
#ifndef MC_SESSION_H
#define MC_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/stream.h"
#include "mail/message.h"
#include "mail/sink.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/rd.h"

struct flow;
struct plog;

/* What a session reads besides its flow. Borrowed for the call. */
struct mail_env {
	const struct limits *lim;     /* line_bytes, message_bytes (0: built-in defaults) */
	struct plog *log;             /* malformed input, gaps, hit ceilings */
	const char *source;           /* the evidence file named in log entries */
};

/* Rebuilds the mail session carried by a finished flow (f->app says which
 * protocol; if empty, the first server or client line decides) and hands its
 * facts, transcript, credentials and messages to sink, in the order
 * described in mail/sink.h. Returns false, calling nothing, when the flow is
 * not a mail session. The flow, env and sink are borrowed. */
bool mail_flow_analyze(const struct flow *f, const struct mail_env *env,
    const struct mail_sink *sink);

/* Which mail protocol a flow carries: "smtp", "pop3", "imap", or NULL. Uses
 * f->app, then the first server line (RFC 5321 4.2 "220", RFC 1939 "+OK",
 * RFC 9051 7.1 "* OK"/"* PREAUTH"), then the first client line. */
const char *mail_flow_protocol(const struct flow *f);

/* ---- shared by smtp.c, pop3.c, imap.c ---------------------------------- */

struct mail_sess;

/* One line read from a direction. text is a text copy (text_clean, util/text.h)
 * owned by the session and valid until the next mail_line() on the same
 * direction; raw points into the stream (borrowed). */
struct mail_line {
	const char *text;
	struct slice raw;        /* without CR LF */
	uint64_t off;            /* stream offset of the first byte */
	uint64_t len;            /* bytes consumed, line end included */
	int64_t ts_us;
	uint32_t frame;
	bool toolong;            /* cut at lim->line_bytes (the rest was skipped) */
	bool unterminated;       /* the stream ended before LF */
	bool gap;                /* a hole in the capture lies inside the line */
};

/* What went wrong while reading message data: the first reason only.
 * why is owned by the struct; mail_damage_free() releases it. */
struct mail_damage {
	bool incomplete;
	char *why;
};
/* Records the reason unless one is already recorded. */
void mail_damage_set(struct mail_damage *dmg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mail_damage_free(struct mail_damage *dmg);

struct mail_proto {
	const char *name;
	void (*begin)(struct mail_sess *s);
	/* Each consumes at least one byte of its direction. */
	void (*client)(struct mail_sess *s);
	void (*server)(struct mail_sess *s);
	void (*end)(struct mail_sess *s);
};

extern const struct mail_proto mail_smtp, mail_pop3, mail_imap;

/* Session accessors and facts. */
bool mail_more(const struct mail_sess *s, int dir);
uint64_t mail_off(const struct mail_sess *s, int dir);
void *mail_state(struct mail_sess *s);
void mail_state_set(struct mail_sess *s, void *state);
const struct flow *mail_flow(const struct mail_sess *s);
/* The ceilings: longest line kept, largest message kept. */
size_t mail_line_max(const struct mail_sess *s);
size_t mail_msg_max(const struct mail_sess *s);
/* Every ceiling (the session's, or the defaults when it was given none). */
const struct limits *mail_limits(const struct mail_sess *s);

/* Reads the next line of dir and records it in the transcript (unless
 * quiet). false at the end of the direction. */
bool mail_line(struct mail_sess *s, int dir, struct mail_line *l, bool quiet);
/* The text of l after its first n bytes and after one byte of seps that
 * follows them, "" when nothing follows. The caller has checked that the
 * first n bytes are printable ASCII, so they are the same n characters in
 * text (offsets in raw and in text differ once a byte is escaped). */
const char *mail_line_rest(const struct mail_line *l, size_t n, const char *seps);
/* How many bytes of text t to quote in a log message: at most max, and
 * never half a UTF-8 sequence (RFC 3629 3). */
size_t mail_text_prefix(const char *t, size_t max);
/* Up to max next lines of dir (without CR LF, borrowed from the stream)
 * into lines[], without reading them: what the other side answered before
 * this side goes on. Returns how many. */
size_t mail_peek_lines(const struct mail_sess *s, int dir, struct slice *lines, size_t max);
/* Records a transcript entry for stream bytes [off, off+len) of dir. */
void mail_transcript(struct mail_sess *s, int dir, uint64_t off, uint64_t len, const char *text);
/* Dot-terminated data (RFC 5321 4.5.2, RFC 1939 3): reads lines up to the
 * lone "." line, removing the leading dot of stuffed lines, into out (capped
 * at lim->message_bytes). *end_off is the stream offset just past the "."
 * line; *term_off is where the "." line starts. false when the stream ended
 * first. If a hole in the capture lies inside the data, damage says where;
 * when a line after a hole looks like a command of the protocol
 * (looks_like_command), the data is taken to have ended before it. */
bool mail_read_dotted(struct mail_sess *s, int dir, struct buf *out, uint64_t *term_off,
    uint64_t *end_off, struct mail_damage *dmg, bool (*looks_like_command)(struct slice));
/* n bytes of counted data (BDAT, IMAP literals), less any bytes the capture
 * never saw (holes are counted against n). Returns the stream bytes
 * consumed; damage says when holes or the end of the stream cut it short. */
uint64_t mail_read_counted(struct mail_sess *s, int dir, uint64_t n, struct buf *out,
    struct mail_damage *dmg);
/* Frame list ("78-80") of [off, off+len) in dir; free() it. A list that
 * would pass MAIL_FRAMES_MAX bytes stops there, and that is logged. */
#define MAIL_FRAMES_MAX ((size_t)1 << 20)
char *mail_frames(struct mail_sess *s, int dir, uint64_t off, uint64_t len);
/* Appends frame (when it is not the list's last already) to a frame list
 * "63,66" (stream_frames' format) of the client's lines of one login; a
 * full list is logged once as mail.auth_frames, with what (e.g. "AUTH
 * responses"). */
void mail_frames_add(struct mail_sess *s, struct buf *list, uint32_t frame, uint64_t off,
    const char *what);
/* Time and frame of stream offset off of dir (0 when unknown). */
int64_t mail_ts(const struct mail_sess *s, int dir, uint64_t off);
uint32_t mail_frame(const struct mail_sess *s, int dir, uint64_t off);
/* A processing-log entry about dir at off ("frame 63, stream offset 120"). */
void mail_log(struct mail_sess *s, int dir, uint64_t off, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Session facts; strings are copied. */
void mail_set_greeting(struct mail_sess *s, const char *greeting, const char *name,
    const char *software);
void mail_set_client_name(struct mail_sess *s, const char *name);
void mail_add_capability(struct mail_sess *s, const char *cap);
void mail_clear_capabilities(struct mail_sess *s);
/* The rest of both directions is encrypted from offset off of dir on. */
void mail_start_tls(struct mail_sess *s, int dir, uint64_t off);
bool mail_tls(const struct mail_sess *s);
void mail_note(struct mail_sess *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A login attempt. Strings are borrowed. */
struct mail_cred {
	const char *mechanism, *authzid, *user, *secret, *secret_kind, *crack_line;
	const char *verdict;     /* "accepted", "rejected", "unknown" */
	const char *reply;
	const char *frames;      /* "63, 66" */
	int64_t ts_us;
	const char *domain, *workstation, *details;   /* see sasl.h */
};
/* Hands the attempt to the sink's credential callback. */
void mail_cred_store(struct mail_sess *s, const struct mail_cred *c);

/* The number the next message will get ("[message N: ...]"), counting from 1. */
int mail_msg_next(struct mail_sess *s);
/* "[message 1: 2,345 bytes, frames 78-80]" for the transcript; free() it. */
char *mail_msg_ref(int n, size_t bytes, const char *frames, const char *extra);
/* Hands a message to the sink's message callback with the session's
 * observations filled in (source, obs_*). o is completed in place. Past
 * lim->session_messages a message is not handed over (logged,
 * mail.session_messages) and 0 is returned. */
int64_t mail_msg_submit(struct mail_sess *s, const void *raw, size_t len, struct msg_origin *o);

/* Hands an IMAP data item to the sink's imap_item callback (imap.c). */
void mail_imap_item_store(struct mail_sess *s, struct mail_imap_item *it);

#endif
