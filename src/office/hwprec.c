/* hwprec.c - HWP 5 record streams to text, and the raw deflate of a
 * compressed document's streams (see hwprec.h for the sections cited).
 *
 * Every byte of a record goes through the bounded reader (util/rd.h): a
 * header or body that runs past the stream stops the walk with the offset.
 * Inflating is zlib's; the ceiling is measured on the bytes zlib actually
 * produced, never on a declared size (as office/zipsafe.c does). */
#include "office/hwprec.h"
#include "office/office_int.h"
#include "util/buf.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <string.h>
#include <zlib.h>

/* Table 6 of the format: control characters below U+0020. "char" controls
 * take one code unit; "inline" (4-9, 19, 20) and "extended" (1-3, 11, 12,
 * 14-18, 21-23) take eight: the code, a 12-byte payload, the code again. */
static bool
hwp_ctrl_is_wide(uint16_t c)
{
	return (c >= 1 && c <= 9) || c == 11 || c == 12 || (c >= 14 && c <= 23);
}

static void
utf8_put(struct buf *out, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	ob_n(out, b, n);
}

size_t
hwprec_para_text(const uint8_t *p, size_t len, struct buf *out)
{
	struct rd r;
	size_t controls = 0;

	rd_init(&r, p, len);
	while (rd_left(&r) >= 2) {
		uint16_t c = rd_le16(&r);

		if (c < 32) {
			if (hwp_ctrl_is_wide(c)) {
				/* the rest of the 8 code units; a cut one ends the text */
				rd_skip(&r, 14);
				controls++;
				if (c == 9)
					ob_c(out, '\t');
			} else if (c == 10 || c == 13) {
				ob_c(out, '\n');
			} else if (c == 24) {
				ob_c(out, '-');
			} else if (c == 30 || c == 31) {
				ob_c(out, ' ');
			}
			continue;
		}
		if (c >= 0xd800 && c <= 0xdbff) {
			struct slice next;
			uint16_t lo;

			/* UTF-16 (RFC 2781 section 2.2): a high surrogate needs a low one */
			if (rd_peek(&r, 2, &next) && (lo = (uint16_t)(next.p[0] | next.p[1] << 8)) >= 0xdc00 &&
			    lo <= 0xdfff) {
				rd_skip(&r, 2);
				utf8_put(out, 0x10000 + (((uint32_t)c - 0xd800) << 10) + (lo - 0xdc00));
			} else {
				utf8_put(out, 0xfffd);
			}
			continue;
		}
		utf8_put(out, c >= 0xdc00 && c <= 0xdfff ? 0xfffd : c);
	}
	return controls;
}

void
hwprec_text(const void *p, size_t len, struct buf *out, struct hwprec_stats *st)
{
	struct rd r;

	memset(st, 0, sizeof(*st));
	rd_init(&r, p, len);
	while (rd_ok(&r) && rd_left(&r) > 0) {
		size_t at = r.off;
		uint32_t h = rd_le32(&r);
		uint32_t tag = h & 0x3ff;
		uint32_t size = h >> 20;
		struct slice body;

		if (size == 0xfff)
			size = rd_le32(&r);
		if (!rd_ok(&r)) {
			st->err = "record header cut short";
			st->err_off = at;
			return;
		}
		if (size > rd_left(&r)) {
			st->err = "record larger than what is left of the stream";
			st->err_off = at;
			return;
		}
		body = rd_bytes(&r, size);
		st->records++;
		if (tag != HWPTAG_PARA_TEXT)
			continue;
		st->paragraphs++;
		st->controls += hwprec_para_text(body.p, body.len, out);
		/* a paragraph's text ends in its own 13 (para end); keep one line each */
		if (out->len == 0 || out->p[out->len - 1] != '\n')
			ob_c(out, '\n');
	}
}

char *
hwprec_inflate(const void *p, size_t len, size_t max, size_t *out_len, bool *capped,
    const char **err, uint64_t *inflated)
{
	z_stream zs;
	struct buf b;
	unsigned char chunk[16384];
	int rc = Z_OK;

	*out_len = 0;
	*capped = false;
	*err = NULL;
	*inflated = 0;
	memset(&zs, 0, sizeof(zs));
	/* -15: a raw deflate stream with a 32 KB window (zlib.h, inflateInit2) */
	if (inflateInit2(&zs, -15) != Z_OK) {
		*err = "zlib could not be initialised";
		return NULL;
	}
	buf_init(&b, max);
	zs.next_in = (Bytef *)(uintptr_t)p;
	while (rc != Z_STREAM_END) {
		size_t feed = len > (1u << 30) ? (1u << 30) : len;

		if (zs.avail_in == 0 && feed > 0) {
			zs.avail_in = (uInt)feed;
			len -= feed;
		}
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		rc = inflate(&zs, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			*err = rc == Z_BUF_ERROR ? "deflate data ends early" : "not deflate data";
			break;
		}
		*inflated += sizeof(chunk) - zs.avail_out;
		if (!buf_add(&b, chunk, sizeof(chunk) - zs.avail_out)) {
			*capped = true;
			break;
		}
		if (rc == Z_OK && zs.avail_in == 0 && len == 0 && zs.avail_out != 0) {
			*err = "deflate data ends early";
			break;
		}
	}
	inflateEnd(&zs);
	if (*err != NULL || *capped) {
		buf_free(&b);
		return NULL;
	}
	*out_len = b.len;
	return b.p ? buf_take(&b) : xstrdup("");
}
