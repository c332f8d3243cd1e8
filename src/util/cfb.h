/* cfb.h - the header of an OLE compound file ([MS-CFB] 2.2) checked against
 * the size of the file, before libolecf is given the file.
 *
 * libolecf (Debian's 20181231) sizes its tables by the header's counts and
 * follows them as far as they say: a 1,347-byte file declaring some 33
 * million FAT sectors had it allocate 4 GB, a 2,890-byte one with a mini FAT
 * count of billions kept it reading for minutes. A header whose counts cannot
 * fit in the file is refused here, so what libolecf allocates and reads
 * follows the file's size.
 *
 * Pure: bytes in, a verdict and a static reason out. */
#ifndef MC_CFB_H
#define MC_CFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The compound file signature (2.2: Header Signature). */
#define CFB_MAGIC "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#define CFB_HEADER 512

/* True when head[0..len) (the first CFB_HEADER bytes of the file, or all of
 * it when shorter) is a compound file header whose counts fit a file of
 * file_size bytes; false with *why (static) otherwise. */
bool cfb_header_check(const void *head, size_t len, uint64_t file_size, const char **why);

#endif
