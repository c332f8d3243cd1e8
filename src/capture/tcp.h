/* tcp.h - TCP reassembly of one direction of a flow (RFC 9293 section 3.4:
 * sequence numbers), into a struct stream_dir whose every byte range maps
 * back to its frames.
 *
 * Offsets in the stream_dir are data offsets: missing bytes (gaps) take no
 * room in data, they are recorded as stream_gap entries. Out-of-order
 * segments wait in a skip list bounded in bytes (pending_max, global_max);
 * on overlap the first copy wins
 * and a different second copy is recorded as a stream_conflict. The
 * tcp_dir owns its pending segments; tcp_dir_free() releases them and the
 * stream_dir's memory. */
#ifndef MC_TCP_H
#define MC_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/stream.h"

struct plog;

/* Shared by all flows of one capture. */
struct tcp_ctx {
	struct plog *log;
	const char *const *paths;   /* file index -> path, for log entries */
	size_t flow_max;            /* data kept per direction */
	size_t global_max;          /* data and pending bytes kept across open flows */
	size_t global_used;
	size_t pending_max;         /* out-of-order bytes waiting per direction */
	size_t gaps_max;            /* holes recorded per direction (0: no ceiling) */
};

struct tcp_pending;
struct tcp_given_up;

struct tcp_dir {
	bool base_known;
	bool syn;
	bool fin;
	bool ceiling_logged;
	uint32_t base;              /* sequence number of stream offset 0 */
	uint64_t next;              /* next expected offset in sequence space */
	uint64_t gap_end;           /* sequence offset where the last gap ended */
	uint64_t gap_end_doff;      /* and its data offset */
	uint64_t doff;              /* data offset of next */
	uint64_t retrans;
	struct tcp_pending *pending;  /* skip-list head, allocated with the first */
	size_t npending;
	size_t pending_bytes;       /* memory they take, links included */
	uint32_t rng;               /* skip-list levels */
	/* Holes given up because waiting bytes reached a ceiling. */
	struct tcp_given_up *given;
	size_t ngiven, given_cap;
	uint64_t given_total, given_bytes;
	uint64_t late_segs, late_bytes;  /* bytes that came for them afterwards */
	uint64_t gaps_seen, gaps_bytes;  /* holes never captured, listed or counted */
	size_t kept;                /* bytes counted in ctx->global_used */
};

void tcp_dir_init(struct tcp_dir *t, struct stream_dir *out, size_t flow_max);
/* A SYN with sequence number seq: offset 0 is seq + 1. */
void tcp_dir_syn(struct tcp_dir *t, uint32_t seq);
/* Payload of one segment, starting at sequence number seq. f is only read
 * for log entries; dir is DIR_C2S or DIR_S2C. */
void tcp_dir_data(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out, uint32_t seq, const uint8_t *data, size_t len,
    const struct frame_ref *at);
/* End of the flow: waiting segments are delivered, with gaps for what never came. */
void tcp_dir_flush(struct tcp_ctx *ctx, const struct flow *f, int dir, struct tcp_dir *t,
    struct stream_dir *out);
/* Releases pending segments and the stream_dir's buffers (returning their
 * bytes to ctx->global_used); the direction keeps counting only. */
void tcp_dir_free(struct tcp_ctx *ctx, struct tcp_dir *t, struct stream_dir *out);

#endif
