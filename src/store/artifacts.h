/* artifacts.h - the artifact store: every file extracted from evidence
 * (messages, attachments, document parts) written once under
 * CASE/artifacts/ by its content hash, with a reference row per place it
 * was found.
 *
 * No name taken from evidence is ever used as a path: a stored file is
 * artifacts/<sha256[0:2]>/<sha256>, and the declared name is kept only as
 * text. The same content found twice is stored once with two references. */
#ifndef MC_ARTIFACTS_H
#define MC_ARTIFACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/hash.h"

struct casedb;
struct artstore;

struct artstore *artstore_open(struct casedb *db);
void artstore_free(struct artstore *a);

/* Where an artifact was found. parent_kind is "message", "artifact" or
 * "document"; role is "raw-message", "attachment", "inline", "body", "image",
 * "embedding" or "part". */
struct artifact_ref {
	int64_t evidence_id;
	const char *parent_kind;
	int64_t parent_id;
	const char *parent_sha256;
	const char *role;
	const char *declared_name;   /* as written in the evidence (may be hostile) */
	const char *declared_type;
	const char *part_path;       /* e.g. MIME part "1.2" or zip entry name */
	const char *provenance;      /* free text: "frames 78-80", "offset 1234" */
	/* The type when the caller already knows it from the structure it
	 * parsed: "message/rfc822" for a raw message, "text/plain" or
	 * "text/html" for a decoded text body. Set, it is stored as the
	 * detected type without asking libmagic (detected_desc is then NULL:
	 * not examined), unless the leading bytes contradict it (see
	 * artstore_put). NULL: libmagic decides. */
	const char *known_type;
};

/* Stores the bytes (if not stored yet) and a reference. Fills *h with the
 * hashes and returns the reference's row id. The detected type is found
 * once per content: bytes already stored keep the type found then; new
 * bytes take ref->known_type, or libmagic's type for their first
 * ARTSTORE_MAGIC_BYTES. An extension that does not fit it sets
 * ext_mismatch. */
int64_t artstore_put(struct artstore *a, const void *p, size_t len,
    const struct artifact_ref *ref, struct hashes *h);
/* Waits until every file artstore_put() queued is written under its final
 * name. It runs by itself before each commit of the case database and in
 * artstore_free(); call it before reading a stored file back. */
void artstore_flush(struct artstore *a);
/* The path of a stored artifact relative to the case directory; static buffer. */
const char *artstore_relpath(const char *sha256);

/* How many leading bytes libmagic examines: its tests look at the start of
 * a file (signatures, zip's first entries, text), and the whole buffer
 * made it the slowest stage (issue 13). */
#define ARTSTORE_MAGIC_BYTES (64 * 1024)

/* libmagic's MIME type and description for the first ARTSTORE_MAGIC_BYTES
 * of the bytes; strings owned by a, valid until the next call. */
void artstore_detect(struct artstore *a, const void *p, size_t len,
    const char **mime, const char **desc);

/* The declared name (or any text from evidence) made inert: text_clean_str()
 * of util/text.h, one line (controls and bytes that are not UTF-8 become the
 * text "\xNN"). Returns a new string (free it), or NULL for NULL. */
char *artstore_name_inert(const char *name);
/* True when the extension of declared_name does not fit the detected MIME
 * type (e.g. "photo.jpg" that is an executable); unknown extensions and
 * undetectable content are not judged. */
bool artstore_ext_mismatch(const char *declared_name, const char *detected);

#endif
