/* tnef.h - a TNEF stream ([MS-OXTNEF]: winmail.dat, application/ms-tnef)
 * read with libytnef into a struct mapi_item (mailstore/mapi.h): the
 * message's MAPI properties (class, subject, sender, times, bodies, the
 * compressed RTF body inflated), its attachments with their data, attached
 * messages (themselves TNEF streams) recursively up to lim->mime_depth.
 *
 * libytnef trusts the lengths it reads and prints to stdout when they lie,
 * so the stream is first walked here through the bounded reader: only
 * attributes that are whole, whose checksum holds and whose property lists
 * are well formed reach the library; every other one is a plog entry with
 * its offset, and what remains is still read (a partial item).
 *
 * Pure: bytes in, a record out; nothing stored. Ownership: the item
 * returned is the caller's (mapi_item_free()); p is borrowed. */
#ifndef MC_TNEF_H
#define MC_TNEF_H

#include <stdbool.h>
#include <stddef.h>

struct limits;
struct plog;
struct mapi_item;

/* Whether p[0..len) begins with the TNEF signature ([MS-OXTNEF] 2.1.3.1). */
bool tnef_is_stream(const void *p, size_t len);

/* The message of the TNEF stream p[0..len), or NULL (with a plog error
 * naming source and where) when it is not one at all. *damaged is set when
 * parts of it could not be read. */
struct mapi_item *tnef_read(const void *p, size_t len, const struct limits *lim,
    struct plog *log, const char *source, const char *where, bool *damaged);

#endif
