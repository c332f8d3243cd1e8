/* buf.h - growable byte buffers with a ceiling.
 *
 * A buffer is created with its maximum size (STYLE.md principle 3). An append
 * that would pass the maximum appends nothing, sets `capped`, and returns
 * false: the caller records the cap as a finding. The bytes are always NUL
 * terminated for convenience (the NUL is not counted in len). The buffer owns
 * its memory: buf_free() releases it, buf_take() hands it to the caller. */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *p;
	size_t len;
	size_t cap;
	size_t max;
	bool capped;
};

#define BUF_UNLIMITED ((size_t)-1 / 2)

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
bool buf_add(struct buf *b, const void *p, size_t n) __attribute__((warn_unused_result));
bool buf_addc(struct buf *b, char c) __attribute__((warn_unused_result));
bool buf_adds(struct buf *b, const char *s) __attribute__((warn_unused_result));
bool buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), warn_unused_result));
/* Returns the NUL-terminated contents and leaves b empty; free() the result. */
char *buf_take(struct buf *b);
/* Returns the contents ("" when empty); borrowed, valid until the next call. */
const char *buf_str(const struct buf *b);

#endif
