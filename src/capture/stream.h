/* stream.h - the data model shared by the capture stage and its consumers:
 * a TCP flow, and each of its two directions reassembled into bytes whose
 * every range maps back to the frames that carried it.
 *
 * Produced by capture/ (flows.c, tcp.c); read by mail/ and by the streams
 * command. A struct flow and everything in it is owned by the capture stage
 * and valid only during the flow_sink callback that hands it over. */
#ifndef MC_STREAM_H
#define MC_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum { DIR_C2S = 0, DIR_S2C = 1 };

/* Where a byte came from: evidence file (as the case's evidence id and the
 * index of the file in the capture) and its 1-based frame number in that
 * file, as Wireshark numbers it. */
struct frame_ref {
	int64_t evidence_id;
	uint32_t file;
	uint32_t frame;
	int64_t ts_us;          /* capture time, microseconds since the epoch, UTC */
};

/* Bytes [off, off + len) of a direction arrived in frame `at`. Segments are
 * ordered by off and do not overlap (overlaps are resolved first-wins). */
struct stream_seg {
	uint64_t off;
	uint32_t len;
	struct frame_ref at;
};

/* `len` bytes were never seen before stream offset `off`: the byte at `off`
 * in data is the first byte after the hole. */
struct stream_gap {
	uint64_t off;
	uint64_t len;
	struct frame_ref after;  /* the frame that resumed the stream */
};

/* Bytes that arrived twice with different contents; the first copy is kept. */
struct stream_conflict {
	uint64_t off;
	uint32_t len;
	uint32_t kept_frame, other_frame;
};

struct stream_dir {
	struct buf data;                /* reassembled payload, capped */
	struct stream_seg *segs;
	size_t nsegs, segs_cap;
	struct stream_gap *gaps;
	size_t ngaps, gaps_cap;
	struct stream_conflict *conflicts;
	size_t nconflicts, conflicts_cap;
	uint64_t total;                 /* payload bytes seen, capped or not */
	bool capped;                    /* data stopped at its ceiling */
};

struct flow {
	uint64_t id;                    /* 1-based, in order of first packet */
	int64_t evidence_id;            /* evidence file of the first packet */
	int af;                         /* AF_INET or AF_INET6 */
	char cli_ip[46], srv_ip[46];    /* textual addresses */
	uint16_t cli_port, srv_port;
	bool syn_seen;                  /* roles known from the handshake */
	int64_t first_us, last_us;
	struct frame_ref first_frame, last_frame;
	uint64_t pkts[2];               /* frames per direction */
	uint64_t frame_bytes[2];        /* captured frame lengths per direction */
	uint64_t payload_bytes[2];      /* TCP payload, retransmissions included */
	uint64_t retransmissions;
	char app[8];                    /* "smtp", "pop3", "imap", or "" */
	const char *end;                /* "fin", "rst", "timeout", "port reuse",
	                                 * "flow table full", "end of capture" */
	bool buffered;                  /* dir[] holds the payload */
	struct stream_dir dir[2];
};

/* True when the client sent data before the server did (by capture order
 * of the first payload of each direction). A mail server greets first
 * (RFC 5321 section 3.1, RFC 1939 section 4, RFC 9051 section 7.1), so a
 * "+OK" that answers the client is no POP3 greeting (Redis answers so). */
bool stream_client_spoke_first(const struct flow *f);

/* The frame and time of stream offset off, or NULL when off is past the end. */
const struct stream_seg *stream_locate(const struct stream_dir *d, uint64_t off);
/* Writes the frame numbers carrying [off, off+len) as "63" or "78-80" or
 * "78,81" into out. */
void stream_frames(const struct stream_dir *d, uint64_t off, uint64_t len, struct buf *out);
/* A frame list as stream_frames() writes it, made short enough for a line of
 * prose or a table cell: the list itself when it is short, else
 * "138 to 557, 212 frames". The full list is kept wherever this is shown
 * (the case database, report.json, the CSV files). Returns a new string. */
char *stream_frames_brief(const char *list);
/* The first and last items of a frame list and the number of frames it
 * names ("138-140,557": "138", "557", 4); false when list is not in
 * stream_frames()' format or spans files. *first and *last point into list,
 * *first_len and *last_len long. */
bool stream_frames_span(const char *list, const char **first, size_t *first_len,
    const char **last, size_t *last_len, unsigned long long *count);

#endif
