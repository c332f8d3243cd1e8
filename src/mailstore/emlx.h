/* emlx.h - Apple Mail's .emlx file: a line holding the message's length in
 * bytes, the RFC 5322 message of that length, then an XML property list
 * (flags, dates). Pure: bytes in, positions out.
 *
 * emlx_plist() reads the property list after the message with libxml2
 * (no network, no entities, no DTD loading). */
#ifndef MC_EMLX_H
#define MC_EMLX_H

#include <stdbool.h>
#include <stddef.h>

/* Where the message lies in the file's bytes p[0..len): *off and *mlen.
 * *lying is set when the declared length does not fit the file (the
 * message is then what the file holds after the count line). False when
 * the first line is not a decimal count. */
bool emlx_split(const void *p, size_t len, size_t *off, size_t *mlen, size_t *declared,
    bool *lying);

/* The property list p[0..len) as a JSON object (a new string, free() it):
 * each key with its string, integer, real, date or boolean value, and for
 * "flags" the bits Apple Mail sets (emlx.c lists them). NULL when it is
 * not a readable property list. */
char *emlx_plist(const void *p, size_t len);

#endif
