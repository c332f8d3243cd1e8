/* fileio.c - evidence read-only, never mapped (see fileio.h). */
#include "util/fileio.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
fileio_open_ro(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOATIME);

	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd;
}

void *
fileio_fopen_ro(const char *path)
{
	int fd = fileio_open_ro(path);
	FILE *f;

	if (fd < 0)
		return NULL;
	if ((f = fdopen(fd, "rb")) == NULL) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return f;
}

bool
fileio_read_all(const char *path, size_t max, char **p, size_t *len, char **err)
{
	int fd = fileio_open_ro(path);
	struct stat st;
	size_t want, got = 0;
	char *b, extra;
	ssize_t n;

	*p = NULL;
	*len = 0;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*err = xasprintf("cannot open: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if ((uint64_t)st.st_size > max) {
		*err = xasprintf("%lld bytes, more than the %zu read at most", (long long)st.st_size, max);
		close(fd);
		return false;
	}
	want = (size_t)st.st_size;
	b = xmalloc(want + 1);
	while (got < want) {
		n = read(fd, b + got, want - got);
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	/* One byte more than fstat said means it grew while it was read. */
	if (got == want && read(fd, &extra, 1) == 1)
		got = want + 1;
	close(fd);
	if (got != want) {
		*err = got < want ?
		    xasprintf("the file shrank while it was read: %zu of its %zu bytes were there", got, want) :
		    xasprintf("the file grew past its %zu bytes while it was read", want);
		free(b);
		return false;
	}
	b[want] = '\0';
	*p = b;
	*len = want;
	return true;
}
