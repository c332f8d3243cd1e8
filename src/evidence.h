/* evidence.h - evidence intake: what a file is (from its content, never its
 * name) and its MD5, SHA-1 and SHA-256, taken in one read-only pass.
 *
 * A folder (Maildir, or a folder of .eml files) is hashed as the sorted list
 * of "sha256  relative/path" lines of its files, so its hashes change when
 * any file in it changes. */
#ifndef MC_EVIDENCE_H
#define MC_EVIDENCE_H

#include <stdbool.h>

#include "util/hash.h"

enum evidence_kind {
	EV_UNKNOWN,
	EV_PCAP,
	EV_PCAPNG,
	EV_MBOX,
	EV_EML,
	EV_MAILDIR,
	EV_EMLDIR,
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
};

/* Finds the kind and hashes of path. false with *err (free it) when it
 * cannot be read; the message names the path. */
bool evidence_identify(const char *path, struct evidence_info *out, char **err)
	__attribute__((warn_unused_result));
/* Re-hashes path the same way (files or folders). */
bool evidence_hash(const char *path, struct hashes *out);
const char *evidence_kind_name(enum evidence_kind kind);
bool evidence_kind_is_capture(enum evidence_kind kind);
bool evidence_kind_is_mailbox(enum evidence_kind kind);
/* PST, OST, MSG, TNEF, EMLX: read by ingest_store(). */
bool evidence_kind_is_store(enum evidence_kind kind);
/* The kind of a file's bytes p[0..n) (its first 512 bytes or more), as
 * evidence_identify() finds it. detail gets a short description. */
enum evidence_kind evidence_sniff_kind(const void *p, size_t n, char *detail, size_t size);

#endif
