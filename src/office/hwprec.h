/* hwprec.h - the record layer of HWP 5 streams (DocInfo, BodyText/SectionN),
 * as a pure function from bytes to text: no OLE, no log, no allocation the
 * caller does not own.
 *
 * HWP 5.0 file format revision 1.3 (Hancom, 2018), section 4.1 "data
 * records": every record starts with a 32-bit little-endian header, tag id
 * in bits 0-9, level in bits 10-19, size in bits 20-31; a size of 0xFFF
 * means the real size follows as a 32-bit value. Section 4.3.2: the
 * paragraph text record (HWPTAG_PARA_TEXT) holds UTF-16LE with control
 * characters (table 6). Section 3.2.1: streams of a compressed document are
 * raw deflate (RFC 1951, no zlib header).
 *
 * Ownership: input bytes are borrowed; text is appended to a buf the caller
 * owns (its ceiling is the caller's: a refused append sets b->capped). */
#ifndef MC_OFFICE_HWPREC_H
#define MC_OFFICE_HWPREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define HWPTAG_BEGIN 0x10
#define HWPTAG_PARA_HEADER (HWPTAG_BEGIN + 50)
#define HWPTAG_PARA_TEXT (HWPTAG_BEGIN + 51)

/* What a walk over a record stream found. err is a static string (NULL when
 * every record was whole); err_off the stream offset where it happened. */
struct hwprec_stats {
	size_t records;
	size_t paragraphs;       /* HWPTAG_PARA_TEXT records */
	size_t controls;         /* extended and inline controls skipped */
	const char *err;
	size_t err_off;
};

/* Appends the text of every HWPTAG_PARA_TEXT record of p[0..len) to out,
 * each paragraph ending in "\n"; a record that does not fit in the stream
 * stops the walk (recorded in st->err, the text before it is kept). */
void hwprec_text(const void *p, size_t len, struct buf *out, struct hwprec_stats *st);

/* Appends the text of one HWPTAG_PARA_TEXT record body (UTF-16LE with
 * controls) as UTF-8: paragraph and line breaks as "\n", tabs as "\t",
 * other controls left out, an unpaired surrogate as U+FFFD. Returns the
 * number of controls skipped. */
size_t hwprec_para_text(const uint8_t *p, size_t len, struct buf *out);

/* Raw deflate (RFC 1951) of p[0..len) into memory owned by the caller
 * (NUL-terminated, NUL not counted), stopping at max inflated bytes:
 * *capped is then true and NULL is returned. NULL with *err (static) when
 * the data is not deflate or ends early. *inflated counts the bytes
 * actually inflated, whatever the outcome. */
char *hwprec_inflate(const void *p, size_t len, size_t max, size_t *out_len, bool *capped,
    const char **err, uint64_t *inflated);

#endif
