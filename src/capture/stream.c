/* stream.c - from stream offsets back to frames. */
#include "capture/stream.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

const struct stream_seg *
stream_locate(const struct stream_dir *d, uint64_t off)
{
	size_t lo = 0, hi = d->nsegs;

	/* Segments are sorted by off and do not overlap: binary search. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct stream_seg *s = &d->segs[mid];

		if (off < s->off)
			hi = mid;
		else if (off >= s->off + s->len)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

static int
stream_ref_cmp(const void *a, const void *b)
{
	const struct frame_ref *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return 0;
}

/* Frames of another file than the first one are written "file:frame" with
 * the 1-based index of the file in the capture. */
static bool
stream_frame_put(struct buf *out, const struct frame_ref *r, uint32_t first_file)
{
	if (r->file != first_file)
		return buf_printf(out, "%" PRIu32 ":%" PRIu32, r->file + 1, r->frame);
	return buf_printf(out, "%" PRIu32, r->frame);
}

void
stream_frames(const struct stream_dir *d, uint64_t off, uint64_t len, struct buf *out)
{
	size_t lo = 0, hi = d->nsegs, n = 0, i;
	struct frame_ref *refs;
	uint64_t end = off + len;
	bool ok = true;

	if (len == 0 || d->nsegs == 0)
		return;
	while (lo < hi) {   /* first segment ending after off */
		size_t mid = lo + (hi - lo) / 2;

		if (d->segs[mid].off + d->segs[mid].len <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < d->nsegs && d->segs[i].off < end; i++)
		n++;
	if (n == 0)
		return;
	refs = xreallocarray(NULL, n, sizeof(*refs));
	for (i = 0; i < n; i++)
		refs[i] = d->segs[lo + i].at;
	qsort(refs, n, sizeof(*refs), stream_ref_cmp);
	for (i = 0; i < n && ok; ) {
		size_t j = i;

		/* A run of consecutive frames of one file becomes "a-b". */
		while (j + 1 < n && refs[j + 1].file == refs[i].file &&
		    (refs[j + 1].frame == refs[j].frame || refs[j + 1].frame == refs[j].frame + 1))
			j++;
		if (i > 0)
			ok = buf_addc(out, ',');
		ok = ok && stream_frame_put(out, &refs[i], refs[0].file);
		if (refs[j].frame != refs[i].frame) {
			ok = ok && buf_addc(out, '-');
			ok = ok && stream_frame_put(out, &refs[j], refs[0].file);
		}
		i = j + 1;
	}
	free(refs);
}

bool
stream_client_spoke_first(const struct flow *f)
{
	const struct stream_dir *c = &f->dir[DIR_C2S], *s = &f->dir[DIR_S2C];

	if (c->nsegs == 0)
		return false;
	if (s->nsegs == 0)
		return true;
	if (c->segs[0].at.file != s->segs[0].at.file)
		return c->segs[0].at.file < s->segs[0].at.file;
	return c->segs[0].at.frame < s->segs[0].at.frame;
}

/* One list item's frame: "123" or "2:123" (file 2). */
static bool
stream_brief_frame(const char **p, unsigned long *file, unsigned long *frame)
{
	char *end;
	unsigned long v;

	if (**p < '0' || **p > '9')
		return false;
	v = strtoul(*p, &end, 10);
	*file = 1;
	if (*end == ':') {
		*file = v;
		*p = end + 1;
		if (**p < '0' || **p > '9')
			return false;
		v = strtoul(*p, &end, 10);
	}
	*frame = v;
	*p = end;
	return true;
}

bool
stream_frames_span(const char *list, const char **first, size_t *first_len,
    const char **last, size_t *last_len, unsigned long long *count)
{
	const char *p = list, *item = list;

	*count = 0;
	while (*p != '\0') {
		unsigned long f1, n1, f2, n2;

		item = p;
		if (!stream_brief_frame(&p, &f1, &n1))
			return false;
		f2 = f1;
		n2 = n1;
		if (*p == '-') {
			item = ++p;
			if (!stream_brief_frame(&p, &f2, &n2))
				return false;
		}
		/* stream_frames() writes a range within one file only. */
		if (f1 != f2 || n2 < n1)
			return false;
		*count += n2 - n1 + 1;
		if (*p == ',')
			p++;
		else if (*p != '\0')
			return false;
	}
	*first = list;
	*first_len = strcspn(list, ",-");
	*last = item;
	*last_len = (size_t)(p - item) - (p > item && p[-1] == ',');
	return *count > 0;
}

char *
stream_frames_brief(const char *list)
{
	enum { BRIEF_MAX = 40 };
	const char *first, *last;
	size_t fl, ll;
	unsigned long long count;

	if (strlen(list) <= BRIEF_MAX || !stream_frames_span(list, &first, &fl, &last, &ll, &count))
		return xstrdup(list);
	return xasprintf("%.*s to %.*s, %llu frames", (int)fl, first, (int)ll, last, count);
}
