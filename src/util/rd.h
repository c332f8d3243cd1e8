/* rd.h - the bounded reader: the only way parsers touch hostile bytes.
 *
 * A reader is a cursor {p, len, off} over borrowed bytes. Every accessor
 * checks the remaining length; the first failure records a reason and the
 * offset where it happened, and from then on every read returns 0 / an empty
 * slice (errors are sticky, STYLE.md principles 1 and 2). Callers read a whole
 * structure and check rd_ok() once. The reader never owns its bytes. */
#ifndef MC_RD_H
#define MC_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rd {
	const uint8_t *p;
	size_t len;
	size_t off;
	const char *err;   /* static string; NULL while all reads succeeded */
	size_t err_off;    /* offset of the failed read */
};

/* A borrowed byte range; never freed. */
struct slice {
	const uint8_t *p;
	size_t len;
};

void rd_init(struct rd *r, const void *p, size_t len);
static inline bool rd_ok(const struct rd *r) { return r->err == NULL; }
static inline size_t rd_left(const struct rd *r) { return r->err ? 0 : r->len - r->off; }
/* Records err at the current offset unless an error is already recorded. */
void rd_fail(struct rd *r, const char *err);

uint8_t rd_u8(struct rd *r);
uint16_t rd_be16(struct rd *r);
uint32_t rd_be32(struct rd *r);
uint16_t rd_le16(struct rd *r);
uint32_t rd_le32(struct rd *r);
uint64_t rd_le64(struct rd *r);
void rd_skip(struct rd *r, size_t n);
/* n bytes as a slice into the reader's buffer. */
struct slice rd_bytes(struct rd *r, size_t n);
/* Everything left. */
struct slice rd_rest(struct rd *r);
/* A sub-reader over the next n bytes; the parent moves past them. */
struct rd rd_sub(struct rd *r, size_t n);
/* The next line, without its LF (and CR before it). A line longer than max
 * bytes fails with "line too long". Returns false at the end of the data or
 * when no LF is found (the partial line is then left unread). */
bool rd_line(struct rd *r, size_t max, struct slice *line);
/* Peek without moving; false when fewer than n bytes remain. */
bool rd_peek(const struct rd *r, size_t n, struct slice *out);

#endif
