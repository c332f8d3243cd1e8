/* enospc.c - a full disk without a file system to fill: preloaded
 * (LD_PRELOAD=tests/tools/enospc.so), it makes writes to files whose path
 * starts with ENOSPC_PREFIX (absolute) fail with ENOSPC once ENOSPC_AFTER
 * bytes have been written to such files, counted across threads. It wraps
 * write(2), pwrite(2), pwrite64, writev(2) (the case database, the stored
 * files, the run log) and fwrite, fputs, fputc (the report's files: glibc's
 * stdio writes its buffers with internal calls a preload cannot see, so
 * the bytes are counted, and refused, as they are handed to stdio).
 * tests/cli/diskfull.sh uses it where no tmpfs can be mounted. Built by
 * make check as a shared object, without the sanitizers. */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static atomic_ullong written;

/* True when fd is a file under the prefix and n more bytes would pass
 * the budget: the write is refused. Counts the bytes otherwise. */
static bool
enospc_refuse(int fd, size_t n)
{
	const char *prefix = getenv("ENOSPC_PREFIX"), *after = getenv("ENOSPC_AFTER");
	char link[64], path[4096];
	ssize_t len;
	unsigned long long budget;

	if (prefix == NULL || after == NULL || fd < 0)
		return false;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (len < 0)
		return false;
	path[len] = '\0';
	if (strncmp(path, prefix, strlen(prefix)) != 0)
		return false;
	budget = strtoull(after, NULL, 10);
	if (atomic_fetch_add(&written, n) + n > budget) {
		atomic_fetch_sub(&written, n);
		errno = ENOSPC;
		return true;
	}
	return false;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t
write(int fd, const void *p, size_t n)
{
	if (enospc_refuse(fd, n))
		return -1;
	return NEXT(write)(fd, p, n);
}

ssize_t
pwrite(int fd, const void *p, size_t n, off_t off)
{
	if (enospc_refuse(fd, n))
		return -1;
	return NEXT(pwrite)(fd, p, n, off);
}

ssize_t
pwrite64(int fd, const void *p, size_t n, off64_t off)
{
	if (enospc_refuse(fd, n))
		return -1;
	return NEXT(pwrite64)(fd, p, n, off);
}

ssize_t
writev(int fd, const struct iovec *iov, int cnt)
{
	size_t n = 0;

	for (int i = 0; i < cnt; i++)
		n += iov[i].iov_len;
	if (enospc_refuse(fd, n))
		return -1;
	return NEXT(writev)(fd, iov, cnt);
}

size_t
fwrite(const void *p, size_t size, size_t nmemb, FILE *fp)
{
	if (size != 0 && enospc_refuse(fileno(fp), size * nmemb))
		return 0;
	return NEXT(fwrite)(p, size, nmemb, fp);
}

int
fputs(const char *s, FILE *fp)
{
	if (enospc_refuse(fileno(fp), strlen(s)))
		return EOF;
	return NEXT(fputs)(s, fp);
}

int
fputc(int c, FILE *fp)
{
	if (enospc_refuse(fileno(fp), 1))
		return EOF;
	return NEXT(fputc)(c, fp);
}
