/* fileio.c - evidence read-only, never mapped (see fileio.h). */
#include "util/fileio.h"
#include "util/hash.h"
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

struct fileio_tap {
	FILE *in;
	struct hasher *h;
	uint64_t pos;
	bool moved, eof, error;
};

static ssize_t
tap_read(void *arg, char *buf, size_t n)
{
	struct fileio_tap *t = arg;
	size_t got = fread(buf, 1, n, t->in);

	if (got == 0 && ferror(t->in)) {
		t->error = true;
		return -1;
	}
	if (got == 0 && n > 0)
		t->eof = true;
	hasher_update(t->h, buf, got);
	t->pos += got;
	return (ssize_t)got;
}

static int
tap_seek(void *arg, off64_t *off, int whence)
{
	struct fileio_tap *t = arg;

	if (whence == SEEK_CUR && *off == 0) {
		*off = (off64_t)t->pos;
		return 0;
	}
	t->moved = true;
	if (fseeko(t->in, (off_t)*off, whence) != 0)
		return -1;
	*off = (off64_t)ftello(t->in);
	t->pos = (uint64_t)*off;
	return 0;
}

static int
tap_close(void *arg)
{
	struct fileio_tap *t = arg;

	return fclose(t->in);
}

void *
fileio_fopen_tapped(const char *path, struct fileio_tap **tap)
{
	static const cookie_io_functions_t io = {
		.read = tap_read, .seek = tap_seek, .close = tap_close,
	};
	struct fileio_tap *t;
	FILE *in = fileio_fopen_ro(path), *f;

	*tap = NULL;
	if (in == NULL)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->in = in;
	t->h = hasher_new_sha256();
	if ((f = fopencookie(t, "rb", io)) == NULL) {
		/* read untapped: the hash stays void */
		t->moved = true;
		t->in = NULL;
		*tap = t;
		return in;
	}
	*tap = t;
	return f;
}

bool
fileio_tap_end(struct fileio_tap *t, char out[65])
{
	struct hashes h;
	bool whole;

	if (t == NULL)
		return false;
	hasher_final(t->h, &h);
	whole = !t->moved && t->eof && !t->error;
	if (whole)
		memcpy(out, h.sha256, 65);
	free(t);
	return whole;
}
