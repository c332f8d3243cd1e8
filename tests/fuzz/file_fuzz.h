/* file_fuzz.h - for targets whose parser reads a file by its path, as it
 * reads evidence: the input in a memfd, opened through /proc/self/fd. */
#ifndef MC_FILE_FUZZ_H
#define MC_FILE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* The descriptor (close it) with path set, or -1. */
static int
fuzz_file(const uint8_t *data, size_t size, char path[64])
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
