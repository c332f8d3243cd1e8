/* emlx.c - the byte count line of an Apple Mail .emlx file. See emlx.h. */
#include "mailstore/emlx.h"

#include "util/rd.h"

/* The count line: decimal digits, optional blanks, LF (the files Apple
 * Mail writes). Twenty digits at the most. */
bool
emlx_split(const void *p, size_t len, size_t *off, size_t *mlen, size_t *declared, bool *lying)
{
	struct rd r;
	struct slice line;
	size_t v = 0, i, digits = 0;

	rd_init(&r, p, len);
	if (!rd_line(&r, 64, &line) || line.len == 0)
		return false;
	for (i = 0; i < line.len && line.p[i] >= '0' && line.p[i] <= '9'; i++) {
		if (++digits > 19)
			return false;
		v = v * 10 + (size_t)(line.p[i] - '0');
	}
	if (digits == 0)
		return false;
	for (; i < line.len; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t')
			return false;
	*off = r.off;
	*declared = v;
	*lying = v > len - r.off;
	*mlen = *lying ? len - r.off : v;
	return true;
}
