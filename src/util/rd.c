#include "util/rd.h"

#include <string.h>

void
rd_init(struct rd *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = NULL;
	r->err_off = 0;
}

void
rd_fail(struct rd *r, const char *err)
{
	if (r->err == NULL) {
		r->err = err;
		r->err_off = r->off;
	}
}

static bool
rd_need(struct rd *r, size_t n)
{
	if (r->err != NULL)
		return false;
	if (r->len - r->off < n) {
		rd_fail(r, "truncated");
		return false;
	}
	return true;
}

uint8_t
rd_u8(struct rd *r)
{
	if (!rd_need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t
rd_be16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

uint32_t
rd_be32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	    (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

uint16_t
rd_le16(struct rd *r)
{
	uint16_t v;

	if (!rd_need(r, 2))
		return 0;
	v = (uint16_t)(r->p[r->off] | r->p[r->off + 1] << 8);
	r->off += 2;
	return v;
}

uint32_t
rd_le32(struct rd *r)
{
	uint32_t v;

	if (!rd_need(r, 4))
		return 0;
	v = (uint32_t)r->p[r->off] | (uint32_t)r->p[r->off + 1] << 8 |
	    (uint32_t)r->p[r->off + 2] << 16 | (uint32_t)r->p[r->off + 3] << 24;
	r->off += 4;
	return v;
}

uint64_t
rd_le64(struct rd *r)
{
	uint64_t lo = rd_le32(r);
	uint64_t hi = rd_le32(r);

	return hi << 32 | lo;
}

void
rd_skip(struct rd *r, size_t n)
{
	if (rd_need(r, n))
		r->off += n;
}

struct slice
rd_bytes(struct rd *r, size_t n)
{
	struct slice s = { (const uint8_t *)"", 0 };

	if (rd_need(r, n)) {
		s.p = r->p + r->off;
		s.len = n;
		r->off += n;
	}
	return s;
}

struct slice
rd_rest(struct rd *r)
{
	return rd_bytes(r, rd_left(r));
}

struct rd
rd_sub(struct rd *r, size_t n)
{
	struct rd sub;
	struct slice s = rd_bytes(r, n);

	rd_init(&sub, s.p, s.len);
	if (r->err != NULL)
		sub.err = r->err;
	return sub;
}

bool
rd_line(struct rd *r, size_t max, struct slice *line)
{
	const uint8_t *start, *nl;
	size_t avail, n;

	if (r->err != NULL || r->off >= r->len)
		return false;
	start = r->p + r->off;
	avail = r->len - r->off;
	nl = memchr(start, '\n', avail < max + 2 ? avail : max + 2);
	if (nl == NULL) {
		if (avail > max + 1)
			rd_fail(r, "line too long");
		return false;
	}
	n = (size_t)(nl - start);
	r->off += n + 1;
	if (n > 0 && start[n - 1] == '\r')
		n--;
	if (n > max) {
		rd_fail(r, "line too long");
		return false;
	}
	line->p = start;
	line->len = n;
	return true;
}

bool
rd_peek(const struct rd *r, size_t n, struct slice *out)
{
	if (r->err != NULL || r->len - r->off < n)
		return false;
	out->p = r->p + r->off;
	out->len = n;
	return true;
}
