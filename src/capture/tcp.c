/* tcp.c - reassembly of one TCP direction.
 *
 * RFC 9293 section 3.4: a segment's sequence number names its first byte;
 * the stream offset of a byte is its sequence number minus the initial
 * sequence number plus one (the SYN takes one number). Distances are taken
 * modulo 2^32 relative to the next expected byte, so sequence numbers that
 * wrap around need nothing special. A capture that starts mid-stream uses
 * the first sequence number seen as offset 0 (moved back while nothing has
 * been delivered, if an earlier segment turns up late). */
#include "capture/tcp.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/plog.h"
#include "util/xalloc.h"

/* Out-of-order segments wait in a skip list ordered by sequence offset
 * (Pugh, "Skip Lists", CACM 33(6), 1990), so placing one costs O(log n)
 * however shuffled the flow is: a list walk made a flow of 100,000 reordered
 * segments quadratic, and a small count ceiling threw captured bytes away.
 * Waiting segments never overlap; each holds its bytes after its links. */
#define TCP_SKIP_LEVELS 16

struct tcp_pending {
	uint64_t off;               /* sequence-space offset */
	uint32_t len;
	uint8_t level;              /* links in next[] */
	size_t cost;                /* bytes it takes, counted against the ceilings */
	struct frame_ref at;
	uint8_t *data;
	struct tcp_pending *next[];
};

/* A hole given up as a gap because the waiting bytes reached a ceiling. */
struct tcp_given_up {
	uint64_t lo, hi;            /* sequence offsets [lo, hi) */
};

#define TCP_GIVEN_UP_MAX 4096

/* Holes of one direction listed one by one in the processing log; the rest
 * are counted in one entry at the end of the flow (a lossy capture would
 * otherwise give a warning per lost segment). */
#define TCP_GAP_LISTED 3

static struct tcp_pending *
tcp_first(const struct tcp_dir *t)
{
	return t->pending ? t->pending->next[0] : NULL;
}

static const char *
tcp_path(const struct tcp_ctx *ctx, const struct frame_ref *at)
{
	return ctx->paths ? ctx->paths[at->file] : "capture";
}

static void
tcp_where(char *w, size_t n, const struct frame_ref *at)
{
	snprintf(w, n, "frame %" PRIu32, at->frame);
}

static void
tcp_label(char *s, size_t n, const struct flow *f, int dir)
{
	if (dir == DIR_C2S)
		snprintf(s, n, "flow %" PRIu64 " %s:%u -> %s:%u", f->id, f->cli_ip, f->cli_port,
		    f->srv_ip, f->srv_port);
	else
		snprintf(s, n, "flow %" PRIu64 " %s:%u -> %s:%u", f->id, f->srv_ip, f->srv_port,
		    f->cli_ip, f->cli_port);
}

void
tcp_dir_init(struct tcp_dir *t, struct stream_dir *out, size_t flow_max)
{
	memset(t, 0, sizeof(*t));
	memset(out, 0, sizeof(*out));
	buf_init(&out->data, flow_max);
}

void
tcp_dir_syn(struct tcp_dir *t, uint32_t seq)
{
	if (t->next > 0 || tcp_first(t) != NULL)
		return;         /* data already placed: keep its numbering */
	t->base = seq + 1;
	t->base_known = true;
	t->syn = true;
}

static void
tcp_seg_add(struct stream_dir *out, uint64_t doff, uint32_t len, const struct frame_ref *at)
{
	struct stream_seg *last = out->nsegs ? &out->segs[out->nsegs - 1] : NULL;

	if (last && last->at.frame == at->frame && last->at.file == at->file &&
	    last->off + last->len == doff && (uint64_t)last->len + len <= UINT32_MAX) {
		last->len += len;
		return;
	}
	if (out->nsegs == out->segs_cap) {
		out->segs_cap = out->segs_cap ? out->segs_cap * 2 : 16;
		out->segs = xreallocarray(out->segs, out->segs_cap, sizeof(*out->segs));
	}
	out->segs[out->nsegs].off = doff;
	out->segs[out->nsegs].len = len;
	out->segs[out->nsegs].at = *at;
	out->nsegs++;
}

/* Appends in-order bytes at t->next. */
static void
tcp_deliver(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, const uint8_t *p, size_t len, const struct frame_ref *at)
{
	if (len == 0)
		return;
	out->total += len;
	if (!out->capped) {
		bool ok = ctx->global_used + len <= ctx->global_max && buf_add(&out->data, p, len);

		if (ok) {
			ctx->global_used += len;
			t->kept += len;
			tcp_seg_add(out, t->doff, (uint32_t)len, at);
		} else {
			char w[32], l[160];

			out->capped = true;
			tcp_where(w, sizeof(w), at);
			tcp_label(l, sizeof(l), f, dir);
			plog_add(ctx->log, PLOG_WARN, "tcp.ceiling", tcp_path(ctx, at), w,
			    "%s: the %s ceiling was reached at stream offset %" PRIu64
			    "; later bytes of this direction are counted but not kept",
			    l, out->data.capped ? "per-flow buffer" : "capture-wide buffer", t->doff);
		}
	}
	t->next += len;
	t->doff += len;
}

static void
tcp_conflict(struct tcp_ctx *ctx, const struct flow *f, int dir, struct stream_dir *out,
    uint64_t doff, uint32_t len, uint32_t kept, const struct frame_ref *at)
{
	char w[32], l[160];

	if (out->nconflicts == out->conflicts_cap) {
		out->conflicts_cap = out->conflicts_cap ? out->conflicts_cap * 2 : 4;
		out->conflicts = xreallocarray(out->conflicts, out->conflicts_cap, sizeof(*out->conflicts));
	}
	out->conflicts[out->nconflicts++] = (struct stream_conflict){ doff, len, kept, at->frame };
	tcp_where(w, sizeof(w), at);
	tcp_label(l, sizeof(l), f, dir);
	plog_add(ctx->log, PLOG_WARN, "tcp.conflict", tcp_path(ctx, at), w,
	    "%s: %" PRIu32 " bytes at stream offset %" PRIu64 " arrived again with different contents;"
	    " the first copy (frame %" PRIu32 ") is kept", l, len, doff, kept);
}

/* Compares bytes [off, off+len) (sequence space, already delivered) with p. */
static void
tcp_compare_delivered(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint64_t off, const uint8_t *p, size_t len, const struct frame_ref *at)
{
	uint64_t doff;

	if (off < t->gap_end)
		return;         /* the bytes before a gap map to other data offsets: not compared */
	doff = t->gap_end_doff + (off - t->gap_end);
	if (doff + len > out->data.len)
		return;         /* not kept (ceiling) */
	for (size_t i = 0; i < len; i++) {
		if ((uint8_t)out->data.p[doff + i] != p[i]) {
			size_t j = len;
			const struct stream_seg *s = stream_locate(out, doff + i);

			while (j > i && (uint8_t)out->data.p[doff + j - 1] == p[j - 1])
				j--;
			tcp_conflict(ctx, f, dir, out, doff + i, (uint32_t)(j - i), s ? s->at.frame : 0, at);
			return;
		}
	}
}

/* Levels with probability 1/4 each (Pugh's p); a per-direction xorshift32
 * keeps runs repeatable. */
static unsigned
tcp_skip_level(struct tcp_dir *t)
{
	unsigned level = 1;

	if (t->rng == 0)
		t->rng = 0x9e3779b9u;
	for (;;) {
		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 17;
		t->rng ^= t->rng << 5;
		if ((t->rng & 3) != 0 || level == TCP_SKIP_LEVELS)
			return level;
		level++;
	}
}

/* update[l] becomes the last node at level l that ends at or before off. */
static void
tcp_skip_find(struct tcp_dir *t, uint64_t off, struct tcp_pending **update)
{
	struct tcp_pending *x = t->pending;

	for (int l = TCP_SKIP_LEVELS - 1; l >= 0; l--) {
		while (x->next[l] && x->next[l]->off + x->next[l]->len <= off)
			x = x->next[l];
		update[l] = x;
	}
}

static void
tcp_skip_link(struct tcp_pending *nw, struct tcp_pending **update)
{
	for (unsigned l = 0; l < nw->level; l++) {
		nw->next[l] = update[l]->next[l];
		update[l]->next[l] = nw;
		update[l] = nw;
	}
}

static struct tcp_pending *
tcp_pending_new(struct tcp_dir *t, uint64_t off, const uint8_t *p, size_t n,
    const struct frame_ref *at)
{
	unsigned level = tcp_skip_level(t);
	size_t links = level * sizeof(struct tcp_pending *);
	struct tcp_pending *nw = xmalloc(sizeof(*nw) + links + n);

	nw->off = off;
	nw->len = (uint32_t)n;
	nw->level = (uint8_t)level;
	nw->cost = sizeof(*nw) + links + n;
	nw->at = *at;
	nw->data = (uint8_t *)nw + sizeof(*nw) + links;
	memcpy(nw->data, p, n);
	return nw;
}

/* Unlinks the first waiting segment (the caller frees it). */
static struct tcp_pending *
tcp_pending_pop(struct tcp_ctx *ctx, struct tcp_dir *t)
{
	struct tcp_pending *q = tcp_first(t);

	for (unsigned l = 0; l < q->level; l++)
		t->pending->next[l] = q->next[l];
	t->npending--;
	t->pending_bytes -= q->cost;
	ctx->global_used -= q->cost;
	return q;
}

/* Inserts [off, off+len) into the pending list; parts already pending are
 * compared instead (first copy wins). */
static void
tcp_pending_insert(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint64_t off, const uint8_t *p, size_t len, const struct frame_ref *at)
{
	struct tcp_pending *update[TCP_SKIP_LEVELS], *q;
	uint64_t end = off + len;
	bool again = false;

	if (t->pending == NULL)
		t->pending = xcalloc(1, sizeof(*t->pending) + TCP_SKIP_LEVELS * sizeof(q));
	tcp_skip_find(t, off, update);
	while (off < end) {
		while ((q = update[0]->next[0]) != NULL && q->off + q->len <= off)
			for (unsigned l = 0; l < q->level; l++)
				update[l] = q;
		if (q == NULL || q->off > off) {
			uint64_t stop = q && q->off < end ? q->off : end;
			struct tcp_pending *nw = tcp_pending_new(t, off, p, (size_t)(stop - off), at);

			tcp_skip_link(nw, update);
			t->npending++;
			t->pending_bytes += nw->cost;
			ctx->global_used += nw->cost;
			p += nw->len;
			off = stop;
			continue;
		}
		{
			uint64_t stop = q->off + q->len < end ? q->off + q->len : end;
			size_t n = (size_t)(stop - off);

			if (memcmp(q->data + (off - q->off), p, n) != 0) {
				/* Reported at the data offset the bytes will get if no gap comes first. */
				tcp_conflict(ctx, f, dir, out, t->doff + (off - t->next), (uint32_t)n,
				    q->at.frame, at);
			}
			p += n;
			off = stop;
			again = true;
		}
	}
	if (again)
		t->retrans++;   /* bytes already waiting came again */
}

/* Records a hole given up to the reordering ceiling [t->next, +len), so that
 * bytes for it arriving later are told apart from retransmissions. The
 * first is a warning that says so; later ones are counted and summed up at
 * the end of the flow (tcp_dir_flush). */
static void
tcp_given_up(struct tcp_ctx *ctx, struct tcp_dir *t, const char *w, const char *l,
    const struct frame_ref *after, uint64_t len)
{
	if (t->ngiven == 0 && t->given_total == 0)
		plog_add(ctx->log, PLOG_WARN, "tcp.reorder_ceiling", tcp_path(ctx, after), w,
		    "%s: %zu bytes waited out of order, past the ceiling of %zu bytes for this"
		    " direction (or the capture's %zu); the %" PRIu64 " bytes still missing before"
		    " stream offset %" PRIu64 " are given up as a hole, and any of them arriving later"
		    " is counted as late, not used", l, t->pending_bytes, ctx->pending_max,
		    ctx->global_max, len, t->doff);
	t->given_total++;
	t->given_bytes += len;
	if (t->ngiven == TCP_GIVEN_UP_MAX)
		return;     /* later holes: late bytes for them count as retransmissions */
	if (t->ngiven == t->given_cap) {
		t->given_cap = t->given_cap ? t->given_cap * 2 : 4;
		t->given = xreallocarray(t->given, t->given_cap, sizeof(*t->given));
	}
	t->given[t->ngiven++] = (struct tcp_given_up){ t->next, t->next + len };
}

/* Bytes of [off, end) that fall in a hole given up (holes are in order). */
static uint64_t
tcp_late_bytes(const struct tcp_dir *t, uint64_t off, uint64_t end)
{
	size_t lo = 0, hi = t->ngiven;
	uint64_t n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->given[mid].hi <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->ngiven && t->given[lo].lo < end; lo++) {
		uint64_t a = off > t->given[lo].lo ? off : t->given[lo].lo;
		uint64_t b = end < t->given[lo].hi ? end : t->given[lo].hi;

		n += b - a;
	}
	return n;
}

/* A hole in the stream: bytes never captured, or (given_up) bytes that had
 * not come when what waited behind them reached a ceiling. */
static void
tcp_gap(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint64_t upto, const struct frame_ref *after, bool given_up)
{
	uint64_t len = upto - t->next;
	char w[32], l[160];

	tcp_where(w, sizeof(w), after);
	tcp_label(l, sizeof(l), f, dir);
	if (!out->capped && ctx->gaps_max > 0 && out->ngaps >= ctx->gaps_max) {
		/* A hole that is not recorded would join the bytes around it as
		 * if they were one run: the data stops here instead. */
		out->capped = true;
		plog_add(ctx->log, PLOG_WARN, "tcp.gaps_ceiling", tcp_path(ctx, after), w,
		    "%s: a hole before stream offset %" PRIu64 " passes the ceiling of %zu holes"
		    " per direction (stream-gaps); later bytes of this direction are counted but"
		    " not kept", l, t->doff, ctx->gaps_max);
	}
	if (!out->capped) {
		if (out->ngaps == out->gaps_cap) {
			out->gaps_cap = out->gaps_cap ? out->gaps_cap * 2 : 4;
			out->gaps = xreallocarray(out->gaps, out->gaps_cap, sizeof(*out->gaps));
		}
		out->gaps[out->ngaps++] = (struct stream_gap){ t->doff, len, *after };
	}
	if (!given_up) {
		if (++t->gaps_seen <= TCP_GAP_LISTED)
			plog_add(ctx->log, PLOG_WARN, "tcp.gap", tcp_path(ctx, after), w,
			    "%s: %" PRIu64 " bytes were not captured before stream offset %" PRIu64
			    " (sequence offset %" PRIu64 "); the stream goes on after the hole", l, len,
			    t->doff, t->next);
		t->gaps_bytes += len;
	} else {
		tcp_given_up(ctx, t, w, l, after, len);
	}
	t->next = upto;
	t->gap_end = upto;
	t->gap_end_doff = t->doff;
}

/* Delivers every pending segment that now continues the stream. */
static void
tcp_drain(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out)
{
	struct tcp_pending *q;

	while ((q = tcp_first(t)) != NULL && q->off <= t->next) {
		uint64_t end = q->off + q->len;

		tcp_pending_pop(ctx, t);
		if (end > t->next) {
			size_t skip = (size_t)(t->next - q->off);

			if (skip)
				tcp_compare_delivered(ctx, f, dir, t, out, q->off, q->data, skip, &q->at);
			tcp_deliver(ctx, f, dir, t, out, q->data + skip, q->len - skip, &q->at);
		} else {
			tcp_compare_delivered(ctx, f, dir, t, out, q->off, q->data, q->len, &q->at);
		}
		free(q);
	}
}

/* Bytes before t->next: a retransmission, or late bytes for a hole given
 * up to the reordering ceiling (logged once per direction). */
static void
tcp_old_bytes(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    uint64_t off, size_t len, const struct frame_ref *at)
{
	uint64_t late = t->ngiven ? tcp_late_bytes(t, off, off + len) : 0;
	char w[32], l[160];

	if (late == 0) {
		t->retrans++;
		return;
	}
	if (t->late_segs++ == 0) {
		tcp_where(w, sizeof(w), at);
		tcp_label(l, sizeof(l), f, dir);
		plog_add(ctx->log, PLOG_WARN, "tcp.late", tcp_path(ctx, at), w,
		    "%s: %" PRIu64 " bytes arrived for a hole already given up to the reordering"
		    " ceiling; they were captured but are not in the stream", l, late);
	}
	t->late_bytes += late;
}

void
tcp_dir_data(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint32_t seq, const uint8_t *data, size_t len,
    const struct frame_ref *at)
{
	int64_t dist;
	uint64_t off, end;
	struct tcp_pending *q;

	if (len == 0)
		return;
	if (!t->base_known) {
		t->base = seq;
		t->base_known = true;
	}
	dist = (int32_t)(seq - (t->base + (uint32_t)t->next));
	if (dist < 0 && (uint64_t)-dist > t->next) {
		/* Before offset 0: only possible without a SYN. Renumber while
		 * nothing has been delivered; otherwise it is an old segment. */
		uint64_t shift = (uint64_t)-dist - t->next;

		if (t->next == 0 && !t->syn && shift < (1u << 30)) {
			for (q = tcp_first(t); q; q = q->next[0])
				q->off += shift;
			t->base = seq;
			dist = 0;
		} else {
			t->retrans++;
			return;
		}
	}
	off = (uint64_t)((int64_t)t->next + dist);
	end = off + len;
	if (len == 1 && end == t->next) {
		/* A keep-alive probe (RFC 9293 section 3.8.4): the last byte sent
		 * again, which may be "one garbage octet"; neither a retransmission
		 * nor a conflict (Wireshark: "TCP Keep-Alive"). */
		return;
	}
	if (end <= t->next) {
		tcp_old_bytes(ctx, f, dir, t, off, len, at);
		tcp_compare_delivered(ctx, f, dir, t, out, off, data, len, at);
		return;
	}
	if (off < t->next) {
		size_t skip = (size_t)(t->next - off);

		tcp_old_bytes(ctx, f, dir, t, off, skip, at);
		tcp_compare_delivered(ctx, f, dir, t, out, off, data, skip, at);
		data += skip;
		len -= skip;
		off = t->next;
	}
	if (off == t->next && tcp_first(t) == NULL) {
		tcp_deliver(ctx, f, dir, t, out, data, len, at);
		return;
	}
	tcp_pending_insert(ctx, f, dir, t, out, off, data, len, at);
	tcp_drain(ctx, f, dir, t, out);
	/* Bounded waiting, in bytes of memory: past the ceiling the first hole
	 * is given up, and the log says so. */
	while ((q = tcp_first(t)) != NULL &&
	    (t->pending_bytes > ctx->pending_max || ctx->global_used > ctx->global_max)) {
		tcp_gap(ctx, f, dir, t, out, q->off, &q->at, true);
		tcp_drain(ctx, f, dir, t, out);
	}
}

void
tcp_dir_flush(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out)
{
	struct tcp_pending *q;
	char w[32], l[160];

	while ((q = tcp_first(t)) != NULL) {
		if (q->off > t->next)
			tcp_gap(ctx, f, dir, t, out, q->off, &q->at, false);
		tcp_drain(ctx, f, dir, t, out);
	}
	if (t->gaps_seen > TCP_GAP_LISTED) {
		snprintf(w, sizeof(w), "frame %" PRIu32, f->last_frame.frame);
		tcp_label(l, sizeof(l), f, dir);
		plog_add(ctx->log, PLOG_WARN, "tcp.gaps_counted", tcp_path(ctx, &f->last_frame), w,
		    "%s: in all %" PRIu64 " holes (%" PRIu64 " bytes) were not captured; the first %d"
		    " are listed", l, t->gaps_seen, t->gaps_bytes, TCP_GAP_LISTED);
	}
	if (t->given_total > 1 || t->late_segs > 1) {
		snprintf(w, sizeof(w), "frame %" PRIu32, f->last_frame.frame);
		tcp_label(l, sizeof(l), f, dir);
		plog_add(ctx->log, PLOG_WARN, "tcp.reorder_ceiling", tcp_path(ctx, &f->last_frame), w,
		    "%s: in all %" PRIu64 " holes (%" PRIu64 " bytes) were given up to the reordering"
		    " ceiling, and %" PRIu64 " late segments brought %" PRIu64 " of their bytes",
		    l, t->given_total, t->given_bytes, t->late_segs, t->late_bytes);
	}
}

void
tcp_dir_free(struct tcp_ctx *ctx, struct tcp_dir *t, struct stream_dir *out)
{
	while (tcp_first(t) != NULL)
		free(tcp_pending_pop(ctx, t));
	free(t->pending);
	t->pending = NULL;
	free(t->given);
	t->given = NULL;
	t->ngiven = t->given_cap = 0;
	ctx->global_used -= t->kept;
	t->kept = 0;
	buf_free(&out->data);
	buf_init(&out->data, 0);
	out->capped = true;
	free(out->segs);
	free(out->gaps);
	free(out->conflicts);
	out->segs = NULL;
	out->gaps = NULL;
	out->conflicts = NULL;
	out->nsegs = out->segs_cap = out->ngaps = out->gaps_cap = 0;
	out->nconflicts = out->conflicts_cap = 0;
}
