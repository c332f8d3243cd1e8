/* mailbox.c - mbox, .eml, Maildir and .eml folders (see mailbox.h).
 *
 * mbox (RFC 4155 and the mboxo/mboxrd/mboxcl variants): a message begins
 * after a "From " line at the start of the file or after an empty line. In
 * the body, lines quoted as ">From " (mboxrd: any number of ">") lose one
 * ">". When the header has a Content-Length whose end lands exactly on the
 * next "From " line or the end of the file (mboxcl), that length decides
 * where the message ends and the body is taken as written. The file is read
 * line by line through stdio; a message's bytes are kept up to
 * lim->message_bytes and the rest is counted and logged.
 *
 * Maildir: the files the caller lists (evidence_walk.h finds them: cur/,
 * new/ and tmp/ of the root and of its Maildir++ folders) are one message
 * each. */
#include "mail/mailbox.h"
#include "mail/message.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/buf.h"
#include "util/plog.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Lines are read in pieces of at most this many bytes; a longer line is
 * several pieces and only the first is looked at as a separator. */
#define PIECE_MAX 8192
/* The "From " separator kept for the timeline (RFC 4155: "From sender
 * date"); a longer one is kept cut, its date then usually lost. */
#define MBOX_FROM_LINE_MAX 256

struct lines {
	FILE *f;
	uint64_t off;          /* file offset of the next piece */
	char p[PIECE_MAX];
	size_t len;
	bool eol;              /* the piece ends its line */
	bool bol;              /* the piece begins a line */
};

/* The next piece of a line; false at the end of the file. */
static bool
lines_next(struct lines *l)
{
	int c;

	l->bol = l->len == 0 || l->eol;
	l->off += l->len;
	l->len = 0;
	l->eol = false;
	while (l->len < sizeof(l->p) && (c = getc_unlocked(l->f)) != EOF) {
		l->p[l->len++] = (char)c;
		if (c == '\n') {
			l->eol = true;
			break;
		}
	}
	return l->len > 0;
}

static bool
blank_line(const char *p, size_t n)
{
	return (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* Is the mboxcl Content-Length right? The byte after it must be the end of
 * the file or a "From " line, or an empty line and then one. */
static bool
clen_fits(FILE *f, uint64_t end)
{
	off_t back = ftello(f);
	char b[8];
	size_t n;
	bool fit = false;

	if (back < 0 || fseeko(f, (off_t)end, SEEK_SET) != 0)
		return false;
	n = fread(b, 1, sizeof(b), f);
	if (n == 0)
		fit = true;
	else if (n >= 5 && memcmp(b, "From ", 5) == 0)
		fit = true;
	else if (n >= 6 && memcmp(b, "\nFrom ", 6) == 0)
		fit = true;
	else if (n >= 7 && memcmp(b, "\r\nFrom ", 7) == 0)
		fit = true;
	else if (blank_line(b, n))
		fit = true;
	if (fseeko(f, back, SEEK_SET) != 0)
		return false;
	return fit;
}

/* Appends what fits under the buffer's ceiling; past it, sets capped. */
static void
buf_add_upto(struct buf *b, const void *p, size_t n)
{
	size_t room = b->max - b->len;

	if (b->capped)
		return;
	if (n > room) {
		bool fitted = buf_add(b, p, room);
		(void)fitted;    /* exactly the room left: always fits */
		b->capped = true;
		return;
	}
	if (!buf_add(b, p, n))
		b->capped = true;
}

/* What every reader is handed: ceilings, the log, and where messages go. */
struct mbox_out {
	const struct limits *lim;
	struct plog *log;
	mailbox_message_fn fn;
	void *arg;
};

struct mbox {
	const struct mbox_out *out;
	const char *path;
	const char *source;      /* "mbox" */
	struct buf msg;
	uint64_t start;          /* offset of the message's first byte */
	uint64_t bytes;          /* bytes the message has in the file */
	int64_t index;
	bool open;
	bool in_header;
	bool clen_known;
	uint64_t clen_left;      /* body bytes Content-Length still covers */
	int64_t clen;            /* -1: none */
	struct buf hdr;          /* the current header line, for Content-Length */
	bool prev_blank;         /* the last line was empty (a "From " may follow) */
	char from_line[MBOX_FROM_LINE_MAX + 1];  /* the current message's separator, cut there */
	bool in_clen;            /* inside a body Content-Length counts */
	FILE *f;
};

static void
mbox_flush(struct mbox *b)
{
	struct msg_origin o = { .source = b->source, .mbox_index = b->index, .file_offset = b->start,
	    .from_line = b->from_line[0] ? b->from_line : NULL };
	size_t n = b->msg.len;

	if (!b->open)
		return;
	b->open = false;
	/* The empty line before the next "From " belongs to the separator. */
	if (n >= 2 && b->msg.p[n - 1] == '\n' && b->msg.p[n - 2] == '\n')
		n--;
	else if (n >= 4 && memcmp(b->msg.p + n - 4, "\r\n\r\n", 4) == 0)
		n -= 2;
	if (b->msg.capped) {
		char *where = xasprintf("message %" PRId64 " (offset %" PRIu64 ")", b->index, b->start);

		o.incomplete = true;
		o.incomplete_why = "larger than the message size limit";
		plog_add(b->out->log, PLOG_WARN, "cap.message_bytes", b->path, where,
		    "message %" PRId64 " at offset %" PRIu64 " has %" PRIu64 " bytes, more than the"
		    " limit of %zu; the first %zu are analysed", b->index, b->start, b->bytes,
		    b->msg.max, b->msg.len);
		free(where);
	}
	b->out->fn(b->out->arg, b->msg.p ? b->msg.p : "", n, &o);
	buf_reset(&b->msg);
	b->msg.capped = false;
}

static void
mbox_begin(struct mbox *b, uint64_t start)
{
	mbox_flush(b);
	b->from_line[0] = '\0';
	b->open = true;
	b->index++;
	b->start = start;
	b->bytes = 0;
	b->in_header = true;
	b->clen = -1;
	b->clen_known = false;
	buf_reset(&b->hdr);
	b->hdr.capped = false;
}

static void
mbox_add(struct mbox *b, const char *p, size_t n)
{
	b->bytes += n;
	buf_add_upto(&b->msg, p, n);
}

/* RFC 2045-style Content-Length header of the mbox message (mboxcl). */
static void
mbox_header_line(struct mbox *b)
{
	const char *s = buf_str(&b->hdr);
	char *end;
	unsigned long long v;

	if (strncasecmp(s, "Content-Length:", 15) != 0)
		return;
	s += 15;
	while (*s == ' ' || *s == '\t')
		s++;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (end != s && errno == 0 && (*end == '\r' || *end == '\n' || *end == 0 || *end == ' '))
		b->clen = (int64_t)v;
}

/* A header line (or a piece of one) of the current message. */
static void
mbox_header_piece(struct mbox *b, const struct lines *l, const char *p, size_t n)
{
	if (l->bol && blank_line(p, n)) {
		mbox_header_line(b);
		b->in_header = false;
		mbox_add(b, p, n);
		if (b->clen >= 0 && clen_fits(b->f, l->off + l->len + (uint64_t)b->clen)) {
			b->clen_known = true;
			b->clen_left = (uint64_t)b->clen;
			b->in_clen = b->clen_left > 0;
		}
		b->prev_blank = true;
		return;
	}
	if (l->bol && p[0] != ' ' && p[0] != '\t') {
		mbox_header_line(b);
		buf_reset(&b->hdr);
		b->hdr.capped = false;
	}
	if (!b->hdr.capped && !buf_add(&b->hdr, p, n))
		b->hdr.capped = true;
	mbox_add(b, p, n);
	b->prev_blank = false;
}

/* A body line (or a piece of one) outside a counted Content-Length. */
static void
mbox_body_piece(struct mbox *b, const struct lines *l, const char *p, size_t n)
{
	/* mboxrd: ">From ", ">>From "... lose one ">" (mboxo quoting is
	 * the one-">" case of the same rule). */
	if (l->bol && !b->clen_known && n > 5 && p[0] == '>') {
		size_t k = 0;
		while (k < n && p[k] == '>')
			k++;
		if (n - k >= 5 && memcmp(p + k, "From ", 5) == 0) {
			b->bytes++;
			p++;
			n--;
		}
	}
	b->prev_blank = l->bol && blank_line(p, n);
	mbox_add(b, p, n);
}

/* Bytes a Content-Length still counts: taken as written. Returns how many
 * of the piece's n bytes it took. */
static size_t
mbox_clen_piece(struct mbox *b, const char *p, size_t n)
{
	size_t take = n < b->clen_left ? n : (size_t)b->clen_left;

	/* The piece may straddle the end of the counted body; the stream is
	 * line-oriented, so the end falls on a line end (clen_fits checked it). */
	mbox_add(b, p, take);
	b->clen_left -= take;
	if (b->clen_left == 0)
		b->in_clen = false;
	b->prev_blank = false;
	return take;
}

static bool
mbox_read(const struct mbox_out *out, const char *path, FILE *f)
{
	struct mbox b;
	struct lines l;

	memset(&b, 0, sizeof(b));
	memset(&l, 0, sizeof(l));
	b.out = out;
	b.path = path;
	b.source = "mbox";
	b.f = f;
	b.prev_blank = true;
	buf_init(&b.msg, out->lim->message_bytes ? out->lim->message_bytes : BUF_UNLIMITED);
	buf_init(&b.hdr, 1024);
	l.f = f;
	l.eol = true;

	while (lines_next(&l)) {
		const char *p = l.p;
		size_t n = l.len;

		if (b.in_clen) {
			size_t take = mbox_clen_piece(&b, p, n);
			if (take == n)
				continue;
			p += take;
			n -= take;
			l.bol = true;
		}
		if (l.bol && n >= 5 && memcmp(p, "From ", 5) == 0 && (b.prev_blank || !b.open ||
		    b.clen_known)) {
			char sep[MBOX_FROM_LINE_MAX + 1];
			size_t k = n < MBOX_FROM_LINE_MAX ? n : MBOX_FROM_LINE_MAX;

			while (k > 0 && (p[k - 1] == '\n' || p[k - 1] == '\r'))
				k--;
			memcpy(sep, p, k);
			sep[k] = '\0';
			while (!l.eol && lines_next(&l))
				;
			mbox_begin(&b, l.off + l.len);
			memcpy(b.from_line, sep, k + 1);
			b.prev_blank = false;
			continue;
		}
		if (!b.open) {
			/* Bytes before the first "From " line: a mailbox without
			 * separators is read as one message starting at 0. */
			plog_add(out->log, PLOG_WARN, "mbox.no_separator", path, "offset 0",
			    "the file does not begin with a \"From \" line; its start is read as a message");
			mbox_begin(&b, l.off);
		}
		if (b.in_header)
			mbox_header_piece(&b, &l, p, n);
		else
			mbox_body_piece(&b, &l, p, n);
	}
	if (ferror(f)) {
		plog_add(out->log, PLOG_ERROR, "mbox.read", path, "",
		    "read error after %" PRIu64 " bytes: %s", l.off, strerror(errno));
	}
	mbox_flush(&b);
	buf_free(&b.msg);
	buf_free(&b.hdr);
	return true;
}

/* One file, one message: read up to lim->message_bytes. */
static bool
file_message(const struct mbox_out *out, FILE *f, const char *full, const char *rel,
    const char *source, int64_t index)
{
	struct msg_origin o = { .source = source, .mbox_index = index, .file_path = rel };
	struct buf b;
	char chunk[65536];
	size_t r;
	uint64_t total = 0;

	buf_init(&b, out->lim->message_bytes ? out->lim->message_bytes : BUF_UNLIMITED);
	while ((r = fread(chunk, 1, sizeof(chunk), f)) != 0) {
		total += (uint64_t)r;
		buf_add_upto(&b, chunk, r);
	}
	if (ferror(f)) {
		plog_add(out->log, PLOG_ERROR, "mailbox.read", full, "",
		    "read error after %" PRIu64 " bytes: %s", total, strerror(errno));
		o.incomplete = true;
		o.incomplete_why = "read error";
	}
	if (b.capped) {
		o.incomplete = true;
		o.incomplete_why = "larger than the message size limit";
		plog_add(out->log, PLOG_WARN, "cap.message_bytes", full, "offset 0",
		    "message of %" PRIu64 " bytes is larger than the limit of %zu; the first %zu are analysed",
		    total, b.max, b.len);
	}
	out->fn(out->arg, b.p ? b.p : "", b.len, &o);
	buf_free(&b);
	return true;
}

bool
mailbox_read_maildir(const char *root, const char *const *rels, size_t n,
    const struct limits *lim, struct plog *log, mailbox_message_fn fn, void *arg)
{
	const struct mbox_out out = { .lim = lim, .log = log, .fn = fn, .arg = arg };
	size_t i, opened = 0;

	for (i = 0; i < n; i++) {
		char *full = xasprintf("%s/%s", root, rels[i]);
		FILE *f = fileio_fopen_ro(full);

		if (f == NULL)
			plog_add(log, PLOG_ERROR, "mailbox.open", full, "", "cannot open: %s",
			    strerror(errno));
		else {
			opened++;
			(void)file_message(&out, f, full, rels[i], "maildir", (int64_t)i + 1);
			fclose(f);
		}
		free(full);
	}
	return n == 0 || opened > 0;
}

bool
mailbox_read_mem(const void *p, size_t len, const char *name, const char *kind,
    const struct limits *lim, struct plog *log, mailbox_message_fn fn, void *arg)
{
	const struct mbox_out out = { .lim = lim, .log = log, .fn = fn, .arg = arg };
	FILE *f;
	bool ok;

	/* glibc's fmemopen() refuses an empty buffer: an empty mailbox is one
	 * byte of nothing read as zero bytes */
	f = fmemopen(len ? (void *)p : (void *)"", len ? len : 1, "r");
	if (f == NULL) {
		plog_add(log, PLOG_ERROR, "mailbox.open", name, "", "cannot open: %s", strerror(errno));
		return false;
	}
	if (len == 0)
		(void)fgetc(f);
	if (strcmp(kind, "eml") == 0)
		ok = file_message(&out, f, name, NULL, "eml", 1);
	else
		ok = mbox_read(&out, name, f);
	fclose(f);
	return ok;
}

bool
mailbox_read(const char *path, const char *kind, const struct limits *lim, struct plog *log,
    mailbox_message_fn fn, void *arg, char *read_sha256)
{
	const struct mbox_out out = { .lim = lim, .log = log, .fn = fn, .arg = arg };
	struct fileio_tap *tap;
	FILE *f;
	bool ok;
	char sha[65];

	if (read_sha256)
		read_sha256[0] = 0;
	f = fileio_fopen_tapped(path, &tap);
	if (f == NULL) {
		plog_add(log, PLOG_ERROR, "mailbox.open", path, "", "cannot open: %s", strerror(errno));
		return false;
	}
	if (strcmp(kind, "eml") == 0)
		ok = file_message(&out, f, path, NULL, "eml", 1);
	else
		ok = mbox_read(&out, path, f);
	fclose(f);
	if (fileio_tap_end(tap, sha) && ok && read_sha256)
		memcpy(read_sha256, sha, 65);
	return ok;
}
