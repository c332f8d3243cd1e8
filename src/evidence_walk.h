/* evidence_walk.h - every entry of an evidence folder, as one list that both
 * the folder's hash and its ingest are made from, so that nothing is read
 * that is not hashed and nothing hashed goes unlisted.
 *
 * The walk goes down the folder recursively and sorts the entries by their
 * relative path as bytes (strcmp). A symbolic link is never followed: it is
 * an entry of its own, hashed as the text of its target (what readlink(2)
 * gives), so a link out of the folder is listed, not read. A folder that
 * cannot be opened, or lies deeper than EVIDENCE_WALK_DEPTH below the
 * evidence, is an unreadable entry with the reason.
 *
 * The folder hash is the MD5, SHA-1 and SHA-256 of one line per regular
 * file and symbolic link, "<sha256>  <relative path>\n" in that order; its
 * size is the sum of their sizes. Special files (FIFOs, sockets, devices)
 * are listed, never opened, and not in the hash.
 *
 * Maildir (and Maildir++): a folder holding cur/ or new/ is a Maildir root.
 * Each regular file directly in its cur/, new/ or tmp/, or in those of a
 * Maildir++ folder (a subfolder of the root whose name begins with '.'), is
 * a message of that Maildir; every other file is an entry of its own. */
#ifndef MC_EVIDENCE_WALK_H
#define MC_EVIDENCE_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include "util/hash.h"

/* Folders below the evidence folder that are read; a deeper one is an
 * unreadable entry. */
#define EVIDENCE_WALK_DEPTH 32

enum evidence_entry_type {
	EVW_FILE,
	EVW_DIR,
	EVW_SYMLINK,
	EVW_OTHER,       /* FIFO, socket, device: listed, not opened */
	EVW_UNREADABLE   /* a file or folder that could not be read: why */
};

struct evidence_entry {
	const char *rel;          /* path below the folder, '/'-separated */
	enum evidence_entry_type type;
	struct hashes h;          /* FILE: its bytes; SYMLINK: its target text */
	const char *target;       /* SYMLINK: the target as stored in the link */
	const char *why;          /* OTHER, UNREADABLE: what it is, or why it was not read */
	int maildir;              /* index of the Maildir this file is a message of, or -1 */
	const char *in_maildir;   /* a message: its path below that Maildir's root */
};

struct evidence_walk;

/* Walks and hashes root (a folder; borrowed). Never NULL: a root that cannot
 * be opened is a walk whose one entry ("") is unreadable. Free it with
 * evidence_walk_free(). */
struct evidence_walk *evidence_walk_new(const char *root);
void evidence_walk_free(struct evidence_walk *w);

/* The entries in order; each valid until evidence_walk_free(). */
size_t evidence_walk_count(const struct evidence_walk *w);
const struct evidence_entry *evidence_walk_get(const struct evidence_walk *w, size_t i);

/* Is the folder rel ("" the walked folder itself) a Maildir root? */
bool evidence_walk_is_maildir(const struct evidence_walk *w, const char *rel);
/* The Maildir roots that hold messages, by the index in
 * evidence_entry.maildir: their relative path ("" is the folder itself). */
size_t evidence_walk_maildir_count(const struct evidence_walk *w);
const char *evidence_walk_maildir(const struct evidence_walk *w, size_t k);

/* The folder hash of the entries below prefix ("" for all, else a folder's
 * relative path): the hash evidence_walk_new() of that folder would give. */
void evidence_walk_digest(const struct evidence_walk *w, const char *prefix, struct hashes *out);
/* The number of entries that could not be read (EVW_UNREADABLE). */
size_t evidence_walk_unreadable(const struct evidence_walk *w);

/* A symbolic link hashed as an entry is: its target text. false with
 * errno when it is no link or cannot be read. */
bool evidence_walk_hash_link(const char *path, struct hashes *out)
	__attribute__((warn_unused_result));

#endif
