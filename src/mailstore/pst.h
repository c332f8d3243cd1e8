/* pst.h - Outlook PST and OST files ([MS-PST]) read with libpff, one item
 * at a time.
 *
 * pst_read() walks the folders from the root, depth first, and hands every
 * message (with its recipients, attachments and embedded messages) to the
 * callback as a struct mapi_item, then frees it before reading the next:
 * libpff reads the file on demand, so memory follows the largest item, not
 * the file. Then the items libpff recovers from deleted and orphaned space
 * follow, marked recovered. It stores nothing: the caller does.
 *
 * Ownership: the item passed to the callback is borrowed, valid only during
 * the call. Malformed parts are plog entries naming the file and the item;
 * what can be read is still handed out. */
#ifndef MC_PST_H
#define MC_PST_H

#include <stdbool.h>
#include <stdint.h>

struct limits;
struct plog;
struct mapi_item;

struct pst_stats {
	bool ost;                  /* the file says it is an OST */
	uint64_t folders, items, recovered;
	uint64_t unreadable;       /* folders and items libpff could not read */
};

typedef void (*pst_item_fn)(void *arg, const struct mapi_item *it);

/* One folder, handed out after its messages: its path ("/" for the root),
 * depth (0 for the root), the messages and sub-folders libpff lists in it,
 * how many of those messages could not be read, and what the folder's own
 * properties say ([MS-OXCFOLD] 2.2.2.2.1: PidTagContentCount,
 * PidTagContentUnreadCount), when it has them. Borrowed during the call. */
struct pst_folder_info {
	const char *path;
	unsigned depth;
	bool has_id;
	uint32_t id;
	int messages, sub_folders;
	int unreadable;
	bool has_content, has_unread;
	uint32_t content, unread;
};

typedef void (*pst_folder_fn)(void *arg, const struct pst_folder_info *f);

/* False (with a plog error) when path cannot be opened as a PST/OST at all;
 * true otherwise, st filled, even when parts of it could not be read. name
 * is what the log calls the file (NULL: path). folder_fn may be NULL. */
bool pst_read(const char *path, const char *name, const struct limits *lim, struct plog *log,
    pst_item_fn fn, pst_folder_fn folder_fn, void *arg, struct pst_stats *st);

#endif
