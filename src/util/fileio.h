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

/* Reads the whole of path (at most max bytes) into *p (free() it), its
 * length in *len. False with *err (free() it) when it cannot be opened, is
 * larger than max, or comes out shorter or longer than it was when opened
 * (it changed while it was read). */
bool fileio_read_all(const char *path, size_t max, char **p, size_t *len, char **err)
	__attribute__((warn_unused_result));

#endif
