/* text.h - the one way bytes from evidence become text that SQLite, jansson,
 * the templates and a terminal can all carry.
 *
 * Valid UTF-8 (RFC 3629 section 3: shortest form, no surrogates, nothing
 * past U+10FFFF) is kept as it is. Every other byte, NUL, and the C0 and
 * DEL controls are written as the four characters "\xNN" (upper-case hex),
 * so one byte looks the same in a transcript, a file name and a body. The
 * bidirectional controls (U+200E, U+200F, U+202A to U+202E, U+2066 to
 * U+2069), which would make a line of the report read backwards, are written
 * as "\u202E". Nothing is dropped. Cleaning is idempotent (clean text comes
 * back unchanged), so every layer may clean again; the price is that a
 * literal "\x00" written in the evidence reads the same as an escaped NUL:
 * the stored artifact (byte for byte, hashed) and the flags the stages set
 * (e.g. nul-in-text) tell them apart.
 *
 * Results are malloc'd NUL-terminated strings owned by the caller. */
#ifndef MC_TEXT_H
#define MC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum {
	TEXT_LINES = 1 << 0,    /* keep TAB, LF and CR LF (bodies); a lone CR is escaped */
};

/* p[0..len) as text; p may be NULL when len is 0. flags: TEXT_LINES or 0
 * (one line: TAB is kept, every other control escaped). */
char *text_clean(const void *p, size_t len, unsigned flags);
/* text_clean of a NUL-terminated string; NULL for NULL. */
char *text_clean_str(const char *s, unsigned flags);
/* True when p[0..len) would come back from text_clean unchanged. */
bool text_is_clean(const void *p, size_t len, unsigned flags);
/* Length of the valid UTF-8 sequence at p (1 to 4), 0 when p[0] starts none
 * (an ASCII byte is a sequence of 1). */
size_t text_utf8_len(const unsigned char *p, size_t avail);

/* A name from evidence made safe as one file name in a folder of the case:
 * cleaned (text_clean), then every ASCII byte other than a letter, digit,
 * '.', '-' or '_' (path separators, spaces, quotes, controls) becomes '_',
 * a leading '.' too (no hidden files, no "." or ".."), cut to at most max
 * bytes at a character boundary keeping the last extension when it is
 * short; "file" when nothing is left. A new string. */
char *text_file_name(const char *name, size_t max);

#endif
