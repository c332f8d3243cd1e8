/* cfb.c - compound file header checks ([MS-CFB] 2.2). See cfb.h. */
#include "util/cfb.h"
#include "util/rd.h"

#include <string.h>

bool
cfb_header_check(const void *head, size_t len, uint64_t file_size, const char **why)
{
	struct rd r;
	struct slice magic;
	uint16_t major, shift, mini_shift;
	uint32_t ndir, nfat, nminifat, ndifat;
	uint64_t sectors;

	rd_init(&r, head, len < CFB_HEADER ? len : CFB_HEADER);
	magic = rd_bytes(&r, 8);
	rd_skip(&r, 16 + 2);                 /* CLSID, minor version */
	major = rd_le16(&r);
	rd_skip(&r, 2);                      /* byte order */
	shift = rd_le16(&r);
	mini_shift = rd_le16(&r);
	rd_skip(&r, 6);
	ndir = rd_le32(&r);
	nfat = rd_le32(&r);
	rd_skip(&r, 4 + 4 + 4 + 4);          /* directory start, transaction, cutoff, mini FAT start */
	nminifat = rd_le32(&r);
	rd_skip(&r, 4);                      /* DIFAT start */
	ndifat = rd_le32(&r);
	if (!rd_ok(&r) || len < CFB_HEADER || memcmp(magic.p, CFB_MAGIC, 8) != 0) {
		*why = "no compound file header";
		return false;
	}
	/* 2.2: version 3 has 512-byte sectors, version 4 4096-byte ones; mini
	 * sectors are 64 bytes */
	if (!((major == 3 && shift == 9) || (major == 4 && shift == 12)) || mini_shift != 6) {
		*why = "the header's version and sector sizes are not those of [MS-CFB]";
		return false;
	}
	/* every sector but the header's, counted whole */
	sectors = file_size >> shift;
	if (nfat > sectors || ndir > sectors || nminifat > sectors || ndifat > sectors) {
		*why = "the header declares more FAT, mini FAT, DIFAT or directory sectors than the"
		    " file holds";
		return false;
	}
	*why = NULL;
	return true;
}
