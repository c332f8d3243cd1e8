/* capture.h - the capture stage: reads pcap/pcapng files with libpcap,
 * decodes link and IP layers, rebuilds TCP flows and hands each finished
 * flow to a sink.
 *
 * Ownership: the capture copies the paths given to it and owns every
 * struct flow it hands out; a flow is valid only during the flow_end call
 * and is freed when it returns. capture_file_get() returns a pointer into the
 * capture, valid until capture_free(). Log entries go to the caller's plog. */
#ifndef MC_CAPTURE_H
#define MC_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/stream.h"

struct plog;
struct limits;
struct capture;

/* A TCP flow with no packet for longer than this (capture time, measured
 * against the latest timestamp seen in the capture) ends with the reason
 * "timeout", and a processing-log note (INFO, "tcp.timeout") names its last
 * frame. A later packet on the same endpoints starts a new flow, captured
 * mid-way. Ten minutes: longer than SMTP's own server timeouts (RFC 5321
 * section 4.5.3.2.7, 5 minutes for a command) and than TCP keepalive probes
 * are commonly spaced on mail servers, so a live mail session is not split. */
#define CAPTURE_IDLE_TIMEOUT_US (600 * 1000000LL)

/* At most this many TCP flows are open at once (about 800 bytes each, so
 * some 50 MB): a scan or a flood of half-open connections would otherwise
 * fill memory within one idle timeout. When a new flow would pass it, the
 * least recently active open flow ends with the reason "flow table full"
 * (a lingering closed flow goes first, as "fin"); a later packet on its
 * endpoints starts a new flow, captured mid-way. The first such end is a
 * processing-log warning ("tcp.flow_table_full") naming the flow, and at the
 * end of the capture another gives how many flows ended so. */
#define CAPTURE_OPEN_FLOWS_MAX 65536

struct flow_sink {
	void *arg;
	/* Called once per TCP flow when it ends (FIN/RST, idle timeout, port
	 * reuse, flow table full, or end of capture). f->app is the detected protocol ("smtp",
	 * "pop3", "imap" or ""); f->buffered says whether f->dir[] holds the
	 * reassembled payload (always for mail flows; for all flows with
	 * keep_all). The flow is freed after the call returns. */
	void (*flow_end)(void *arg, struct flow *f);
};

struct capture_opts {
	bool keep_all;          /* keep the payload of every flow (streams command) */
};

/* lim and log are borrowed and must outlive the capture. o may be NULL. */
struct capture *capture_new(struct plog *log, const struct limits *lim, const struct capture_opts *o);
/* Several files form one capture (a rotated capture): they are read in order
 * of their first packet time and streams continue across files. The file is
 * opened here (read-only) to learn its format and first packet time. */
void capture_add_file(struct capture *c, const char *path, int64_t evidence_id);
/* Reads every file and calls sink->flow_end once per TCP flow. */
void capture_run(struct capture *c, const struct flow_sink *sink);

struct capture_file_info {
	const char *path;
	int64_t evidence_id;
	bool readable;
	const char *error;      /* why it could not be opened or read to its end, or NULL */
	const char *format;     /* e.g. "pcap (microsecond, little-endian)", "pcapng" */
	uint64_t packets;
	int64_t first_us, last_us;
	char link_types[64];    /* e.g. "EN10MB" or "EN10MB, LINUX_SLL" */
	/* SHA-256 of the bytes read, when the file was read whole in one pass
	 * (read_whole): the driver compares it with the identified hash. */
	bool read_whole;
	char read_sha256[65];
	bool truncated;         /* not read to its end: cut off in the middle of a
	                         * record, or a pcapng interface of a second link
	                         * type that libpcap cannot read (error says which) */
};

/* Files in the order they were added (not the reading order). */
size_t capture_file_count(const struct capture *c);
const struct capture_file_info *capture_file_get(const struct capture *c, size_t i);
void capture_free(struct capture *c);

#endif
