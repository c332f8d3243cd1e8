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

struct tcp_pending {
	struct tcp_pending *next;
	uint64_t off;               /* sequence-space offset */
	uint32_t len;
	struct frame_ref at;
	uint8_t data[];
};

#define PENDING_SEGS_MAX 4096

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
	if (t->next > 0 || t->pending != NULL)
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

static void
tcp_pending_free(struct tcp_ctx *ctx, struct tcp_dir *t, struct tcp_pending *p)
{
	/* ctx->global_used is lowered by the caller, before the bytes are delivered. */
	(void)ctx;
	t->npending--;
	t->pending_bytes -= p->len;
	free(p);
}

/* Inserts [off, off+len) into the pending list; parts already pending are
 * compared instead (first copy wins). */
static void
tcp_pending_insert(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint64_t off, const uint8_t *p, size_t len, const struct frame_ref *at)
{
	struct tcp_pending **link = &t->pending;
	uint64_t end = off + len;
	bool again = false;

	while (off < end) {
		struct tcp_pending *q;

		while (*link && (*link)->off + (*link)->len <= off)
			link = &(*link)->next;
		q = *link;
		if (q == NULL || q->off > off) {
			uint64_t stop = q && q->off < end ? q->off : end;
			size_t n = (size_t)(stop - off);
			struct tcp_pending *nw = xmalloc(sizeof(*nw) + n);

			nw->off = off;
			nw->len = (uint32_t)n;
			nw->at = *at;
			memcpy(nw->data, p, n);
			nw->next = q;
			*link = nw;
			link = &nw->next;
			t->npending++;
			t->pending_bytes += n;
			ctx->global_used += n;
			p += n;
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

static void
tcp_gap(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint64_t upto, const struct frame_ref *after)
{
	uint64_t len = upto - t->next;
	char w[32], l[160];

	if (out->ngaps == out->gaps_cap) {
		out->gaps_cap = out->gaps_cap ? out->gaps_cap * 2 : 4;
		out->gaps = xreallocarray(out->gaps, out->gaps_cap, sizeof(*out->gaps));
	}
	out->gaps[out->ngaps++] = (struct stream_gap){ t->doff, len, *after };
	tcp_where(w, sizeof(w), after);
	tcp_label(l, sizeof(l), f, dir);
	plog_add(ctx->log, PLOG_WARN, "tcp.gap", tcp_path(ctx, after), w,
	    "%s: %" PRIu64 " bytes were not captured before stream offset %" PRIu64
	    " (sequence offset %" PRIu64 "); the stream goes on after the hole", l, len, t->doff, t->next);
	t->next = upto;
	t->gap_end = upto;
	t->gap_end_doff = t->doff;
}

/* Delivers every pending segment that now continues the stream. */
static void
tcp_drain(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out)
{
	while (t->pending && t->pending->off <= t->next) {
		struct tcp_pending *q = t->pending;
		uint64_t end = q->off + q->len;

		t->pending = q->next;
		ctx->global_used -= q->len;
		if (end > t->next) {
			size_t skip = (size_t)(t->next - q->off);

			if (skip)
				tcp_compare_delivered(ctx, f, dir, t, out, q->off, q->data, skip, &q->at);
			tcp_deliver(ctx, f, dir, t, out, q->data + skip, q->len - skip, &q->at);
		} else {
			tcp_compare_delivered(ctx, f, dir, t, out, q->off, q->data, q->len, &q->at);
		}
		tcp_pending_free(ctx, t, q);
	}
}

void
tcp_dir_data(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint32_t seq, const uint8_t *data, size_t len,
    const struct frame_ref *at)
{
	int64_t dist;
	uint64_t off, end;

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
			for (struct tcp_pending *q = t->pending; q; q = q->next)
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
		t->retrans++;
		tcp_compare_delivered(ctx, f, dir, t, out, off, data, len, at);
		return;
	}
	if (off < t->next) {
		size_t skip = (size_t)(t->next - off);

		t->retrans++;
		tcp_compare_delivered(ctx, f, dir, t, out, off, data, skip, at);
		data += skip;
		len -= skip;
		off = t->next;
	}
	if (off == t->next && t->pending == NULL) {
		tcp_deliver(ctx, f, dir, t, out, data, len, at);
		return;
	}
	tcp_pending_insert(ctx, f, dir, t, out, off, data, len, at);
	tcp_drain(ctx, f, dir, t, out);
	/* Bounded waiting: past the ceiling the hole is declared a gap. */
	while (t->pending && (t->pending_bytes > ctx->pending_max || t->npending > PENDING_SEGS_MAX ||
	    ctx->global_used > ctx->global_max)) {
		tcp_gap(ctx, f, dir, t, out, t->pending->off, &t->pending->at);
		tcp_drain(ctx, f, dir, t, out);
	}
}

void
tcp_dir_flush(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out)
{
	while (t->pending) {
		if (t->pending->off > t->next)
			tcp_gap(ctx, f, dir, t, out, t->pending->off, &t->pending->at);
		tcp_drain(ctx, f, dir, t, out);
	}
}

void
tcp_dir_free(struct tcp_ctx *ctx, struct tcp_dir *t, struct stream_dir *out)
{
	while (t->pending) {
		struct tcp_pending *q = t->pending;

		t->pending = q->next;
		ctx->global_used -= q->len;
		tcp_pending_free(ctx, t, q);
	}
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
