/* msg.h - Outlook .msg files ([MS-OXMSG]: an OLE compound file, [MS-CFB])
 * read with libolecf into a struct mapi_item (mailstore/mapi.h): the
 * message's property streams, its recipients and attachments, attached
 * .msg messages recursively (up to lim->mime_depth levels).
 *
 * Pure: nothing is stored; malformed parts are plog entries naming the file
 * and the storage. Ownership: the item returned is the caller's
 * (mapi_item_free()). */
#ifndef MC_MSG_H
#define MC_MSG_H

#include <stdbool.h>

struct limits;
struct plog;
struct mapi_item;

/* The message of the .msg file at path, or NULL (with a plog error) when
 * it cannot be opened. *damaged is set when parts could not be read. */
struct mapi_item *msg_read(const char *path, const struct limits *lim, struct plog *log,
    bool *damaged);
/* The same, name naming the file in the log (a temporary copy of an entry
 * of an archive). */
struct mapi_item *msg_read_named(const char *path, const char *name, const struct limits *lim,
    struct plog *log, bool *damaged);
/* Whether the OLE compound file at path is a .msg: its root storage holds
 * __properties_version1.0 ([MS-OXMSG] 2.4). */
bool msg_path_is_message(const char *path);

#endif
