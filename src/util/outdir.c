#include "util/outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool
outdir_usable(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (d == NULL)
		return errno == ENOENT;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

static bool
outdir_fsync(const char *dir, bool all)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc, e;

	if (fd < 0)
		return false;
	rc = all ? syncfs(fd) : fsync(fd);
	e = errno;
	close(fd);
	errno = e;
	return rc == 0;
}

bool
outdir_sync(const char *dir)
{
	return outdir_fsync(dir, false);
}

bool
outdir_sync_all(const char *dir)
{
	return outdir_fsync(dir, true);
}
