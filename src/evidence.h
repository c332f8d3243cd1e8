/* evidence.h - evidence intake: what a file is (from its content, never its
 * name) and its MD5, SHA-1 and SHA-256, taken in one read-only pass.
 *
 * A folder is walked once (evidence_walk.h): the same list of its entries
 * gives its hash (the sorted "sha256  relative/path" lines of its files and
 * symbolic links, so its hashes change when any of them changes) and the
 * files the driver then reads, each by its own content. */
#ifndef MC_EVIDENCE_H
#define MC_EVIDENCE_H

#include <stdbool.h>

#include "util/hash.h"

struct evidence_walk;

enum evidence_kind {
	EV_UNKNOWN,
	EV_PCAP,
	EV_PCAPNG,
	EV_MBOX,
	EV_EML,
	EV_MAILDIR,     /* a folder that is a Maildir root */
	EV_FOLDER,      /* any other folder: its files are evidence each */
	EV_ZIP,
	EV_GZIP,
	EV_PST,
	EV_OST,
	EV_MSG,
	EV_TNEF,
	EV_EMLX,
	EV_OLE          /* OLE compound file (MS-CFB): HWP 5, and others */
};

struct evidence_info {
	enum evidence_kind kind;
	char detail[96];     /* e.g. "pcap, microsecond, little-endian" */
	struct hashes h;
	/* A folder: its entries, from which h was made; owned, freed by
	 * evidence_info_clear(). NULL for a file. */
	struct evidence_walk *walk;
};

/* Finds the kind and hashes of path (a symbolic link given here is
 * followed: it was named). false with *err (free it) when it cannot be
 * read; the message names the path. A folder some of whose entries cannot
 * be read is identified: those entries are in out->walk. */
bool evidence_identify(const char *path, struct evidence_info *out, char **err)
	__attribute__((warn_unused_result));
/* The kind of the file path from its first bytes, without hashing it
 * (out->h is left zero). false with *err (free it) when it cannot be read. */
bool evidence_type_file(const char *path, struct evidence_info *out, char **err)
	__attribute__((warn_unused_result));
void evidence_info_clear(struct evidence_info *info);
/* Re-hashes path the same way (files or folders), following path itself
 * when it is a symbolic link. */
bool evidence_hash(const char *path, struct hashes *out);
/* The same, except that a symbolic link path is hashed as a folder entry
 * is (its target text) and a special file as nothing: for rows of entries
 * of a folder, whose resolved path ends in the entry itself. */
bool evidence_hash_nofollow(const char *path, struct hashes *out);
const char *evidence_kind_name(enum evidence_kind kind);
bool evidence_kind_is_capture(enum evidence_kind kind);
/* mbox, single message: read by ingest_mailbox(). */
bool evidence_kind_is_mailbox(enum evidence_kind kind);
/* Maildir or other folder: walked (evidence_walk.h). */
bool evidence_kind_is_folder(enum evidence_kind kind);
/* PST, OST, MSG, TNEF, EMLX: read by ingest_store(). */
bool evidence_kind_is_store(enum evidence_kind kind);
/* The kind of a file's bytes p[0..n) (its first 512 bytes or more), as
 * evidence_identify() finds it. detail gets a short description. */
enum evidence_kind evidence_sniff_kind(const void *p, size_t n, char *detail, size_t size);

#endif
