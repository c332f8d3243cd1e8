/* fileio.h - evidence opened the one way: read-only, close-on-exec, and
 * without touching its access time where the kernel allows (O_NOATIME is
 * refused with EPERM for files the user does not own: then opened without
 * it). Files are read, never mapped: a file that shrinks while it is read
 * is a short read and an error, not a SIGBUS. */
#ifndef MC_FILEIO_H
#define MC_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

/* A read-only descriptor for path, or -1 with errno set. */
int fileio_open_ro(const char *path);
/* The same as a stdio stream ("rb"), or NULL with errno set. */
void *fileio_fopen_ro(const char *path);

/* A read-only stream over path whose bytes are hashed (SHA-256) on their
 * way through a stdio cookie stream ("tapped"), so that a file changed
 * while it was read and restored afterwards does not pass unseen: the hash
 * of what was read can be compared with the hash taken when the file was
 * identified. Asking the position is allowed; any other seek voids the
 * hash. fclose() the stream, then fileio_tap_end(). NULL with errno set. */
struct fileio_tap;
void *fileio_fopen_tapped(const char *path, struct fileio_tap **tap);
/* Frees the tap. True, with the hex SHA-256 in out, when the stream was
 * read from its start to its end in one pass without an error. */
bool fileio_tap_end(struct fileio_tap *t, char out[65]);

/* Reads the whole of path (at most max bytes) into *p (free() it), its
 * length in *len. False with *err (free() it) when it cannot be opened, is
 * larger than max, or comes out shorter or longer than it was when opened
 * (it changed while it was read). */
bool fileio_read_all(const char *path, size_t max, char **p, size_t *len, char **err)
	__attribute__((warn_unused_result));

#endif
