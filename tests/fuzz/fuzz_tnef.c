/* fuzz_tnef - libFuzzer target for the TNEF reader (mailstore/tnef.c) and
 * the compressed RTF guard in front of libytnef (mapi_rtf_inflate()).
 *
 * The first byte chooses the mode. Even: the rest is a TNEF stream, read
 * into a mapi_item and written out as the message mailcase makes of it.
 * Odd: the rest is a PidTagRtfCompressed value. The bytes are copied to a
 * buffer of their exact size (no trailing NUL), so a read past the end
 * shows under ASan; libytnef's own printing to stdout would show as noise
 * the corpus runs catch. Inputs capped at 256 KB; ceilings small so they
 * are reached. Dictionary: fuzz_tnef.dict. */
#include <stdlib.h>
#include <string.h>

#include "mailstore/mapi.h"
#include "mailstore/tnef.h"
#include "util/limits.h"
#include "util/plog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fz_sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct limits lim;
	struct plog *log;
	uint8_t *copy;
	size_t n = size - 1, len = 0;

	if (size < 1 || size > 256 * 1024)
		return 0;
	limits_default(&lim);
	lim.message_bytes = 1u << 20;
	lim.mime_depth = 4;
	copy = malloc(n ? n : 1);
	memcpy(copy, data + 1, n);
	log = plog_new();
	if (data[0] & 1) {
		const char *why;
		void *rtf = mapi_rtf_inflate(copy, n, lim.message_bytes, &len, &why);
		fz_sink += len + (why != NULL);
		free(rtf);
	} else {
		bool damaged;
		struct mapi_item *it = tnef_read(copy, n, &lim, log, "fuzz", "", &damaged);
		if (it != NULL) {
			char *raw = mapi_item_to_mime(it, lim.mime_depth, &len);
			fz_sink += len + it->natts + it->naddrs;
			free(raw);
			mapi_item_free(it);
		}
	}
	fz_sink += plog_count(log);
	plog_free(log);
	free(copy);
	return 0;
}
