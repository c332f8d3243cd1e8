/* capture.c - reading capture files with libpcap and feeding the flow table.
 *
 * Files are opened read-only through stdio with a large buffer and handed
 * to libpcap (pcap_fopen_offline_with_tstamp_precision, nanosecond
 * precision, so microsecond and nanosecond files keep their full
 * resolution). Frames are numbered from 1 per file, as Wireshark does.
 *
 * What libpcap cannot do: a pcapng file whose interfaces have different
 * link types stops libpcap at the Interface Description Block of the first
 * interface whose type differs. The file is then read again from its start
 * by pcapng.c, which gives each packet its interface's link type; the
 * packets libpcap gave are skipped, the rest decoded, and the switch is in
 * the processing log naming the frame (capture_read_rest). */
#include "capture/capture.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/flows.h"
#include "capture/pcapng.h"
#include "util/fileio.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/rd.h"
#include "util/xalloc.h"

#define READ_BUFFER (1u << 20)

struct capfile {
	struct capture_file_info info;
	char *path;
	char *error;
	char format[64];
	bool pcapng;
	int64_t order_us;            /* first packet time, for the reading order */
	size_t added;                /* position in the order of capture_add_file */
};

struct capture {
	struct plog *log;
	const struct limits *lim;
	struct capture_opts o;
	struct capfile **files;
	size_t nfiles;
	/* the first frame of each kind counted by the decoder, for the log */
	const char *encap_path, *tso_path;
	uint32_t encap_frame, tso_frame;
};

struct capture *
capture_new(struct plog *log, const struct limits *lim, const struct capture_opts *o)
{
	struct capture *c = xcalloc(1, sizeof(*c));

	c->log = log;
	c->lim = lim;
	if (o)
		c->o = *o;
	return c;
}

/* The file header names the format: pcap (tcpdump.org "pcap savefile
 * format": magic 0xa1b2c3d4 microsecond or 0xa1b23c4d nanosecond, in the
 * writer's byte order) or pcapng (draft-ietf-opsawg-pcapng section 4.1:
 * Section Header Block type 0x0a0d0d0a, byte-order magic 0x1a2b3c4d). */
static void
capture_format(struct capfile *f, const uint8_t *hdr, size_t n)
{
	struct rd r;
	uint32_t magic;

	rd_init(&r, hdr, n);
	magic = rd_le32(&r);
	if (!rd_ok(&r)) {
		snprintf(f->format, sizeof(f->format), "unknown");
		return;
	}
	switch (magic) {
	case 0xa1b2c3d4:
		snprintf(f->format, sizeof(f->format), "pcap (microsecond, little-endian)");
		break;
	case 0xd4c3b2a1:
		snprintf(f->format, sizeof(f->format), "pcap (microsecond, big-endian)");
		break;
	case 0xa1b23c4d:
		snprintf(f->format, sizeof(f->format), "pcap (nanosecond, little-endian)");
		break;
	case 0x4d3cb2a1:
		snprintf(f->format, sizeof(f->format), "pcap (nanosecond, big-endian)");
		break;
	case 0x0a0d0d0a:
		f->pcapng = true;
		snprintf(f->format, sizeof(f->format), "pcapng");
		break;
	default:
		snprintf(f->format, sizeof(f->format), "unknown");
	}
}

/* The bytes libpcap reads are hashed (SHA-256) on their way through a
 * tapped stream (util/fileio.h): when the file is read to its end, the
 * driver can tell whether what was read is what was identified. */

static pcap_t *
capture_open(struct capfile *f, FILE **fpp, struct fileio_tap **tap)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp = tap ? fileio_fopen_tapped(f->path, tap) : fileio_fopen_ro(f->path);
	pcap_t *p;

	*fpp = NULL;
	if (fp == NULL) {
		free(f->error);
		f->error = xasprintf("cannot open: %s", strerror(errno));
		return NULL;
	}
	if (setvbuf(fp, NULL, _IOFBF, READ_BUFFER) != 0) {
		/* Reading still works with stdio's default buffer. */
	}
	errbuf[0] = '\0';
	p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(fp);
		free(f->error);
		f->error = xasprintf("not a capture libpcap can read: %s", errbuf);
		return NULL;
	}
	*fpp = fp;
	return p;
}

static int64_t
capture_ts_us(const struct pcap_pkthdr *h)
{
	/* Nanosecond precision was asked for: tv_usec holds nanoseconds. */
	return (int64_t)h->ts.tv_sec * 1000000 + (int64_t)h->ts.tv_usec / 1000;
}

void
capture_add_file(struct capture *c, const char *path, int64_t evidence_id)
{
	struct capfile *f = xcalloc(1, sizeof(*f));
	uint8_t hdr[24];
	size_t n = 0;
	FILE *fp;
	pcap_t *p;

	f->path = xstrdup(path);
	f->added = c->nfiles;
	f->info.path = f->path;
	f->info.evidence_id = evidence_id;
	f->order_us = INT64_MAX;
	fp = fileio_fopen_ro(path);
	if (fp != NULL) {
		n = fread(hdr, 1, sizeof(hdr), fp);
		fclose(fp);
	}
	capture_format(f, hdr, n);
	f->info.format = f->format;
	p = capture_open(f, &fp, NULL);
	if (p != NULL) {
		struct pcap_pkthdr *h;
		const u_char *data;

		f->info.readable = true;
		snprintf(f->info.link_types, sizeof(f->info.link_types), "%s",
		    decode_linktype_name(pcap_datalink(p)));
		if (pcap_next_ex(p, &h, &data) == 1)
			f->order_us = capture_ts_us(h);
		pcap_close(p);
	}
	f->info.error = f->error;
	c->files = xreallocarray(c->files, c->nfiles + 1, sizeof(*c->files));
	c->files[c->nfiles++] = f;
}

static int
capture_order_cmp(const void *a, const void *b)
{
	const struct capfile *x = *(const struct capfile *const *)a;
	const struct capfile *y = *(const struct capfile *const *)b;

	if (x->order_us != y->order_us)
		return x->order_us < y->order_us ? -1 : 1;
	return x->added < y->added ? -1 : x->added > y->added;
}

/* libpcap 1.10 (sf-pcapng.c) reads a pcapng file only while every
 * Interface Description Block has the link type of the first one; at the
 * first that differs it fails with "an interface has a type N different from
 * the type of the first interface". True when msg is that error. */
static bool
capture_is_linktype_stop(const char *msg)
{
	const char *key = "an interface has a type ";
	char *end;

	if (strncmp(msg, key, strlen(key)) != 0)
		return false;
	(void)strtoul(msg + strlen(key), &end, 10);
	return end != msg + strlen(key) && strstr(end, "different from the type") != NULL;
}

/* Remembers the first frame the encapsulation ceiling stopped and the first
 * TSO packet (IPv4 total length 0): each is one log entry for the whole
 * capture (capture_log_counts), not one per frame. */
static void
capture_note_counts(struct capture *c, struct capfile *f, const struct decoder *dec,
    uint32_t frame)
{
	if (c->encap_path == NULL && decoder_encap_capped(dec) > 0) {
		c->encap_path = f->path;
		c->encap_frame = frame;
	}
	if (c->tso_path == NULL && decoder_tso_packets(dec) > 0) {
		c->tso_path = f->path;
		c->tso_frame = frame;
	}
}

static void
capture_log_counts(struct capture *c, const struct decoder *dec)
{
	char w[64];

	if (c->encap_path != NULL) {
		snprintf(w, sizeof(w), "frame %" PRIu32, c->encap_frame);
		plog_add(c->log, PLOG_WARN, "capture.encap_depth", c->encap_path, w,
		    "%" PRIu64 " frames are nested in more than %u tunnel layers (GRE, VXLAN,"
		    " Geneve, PPPoE, MPLS, IP in IP) and were not decoded; the first is frame %"
		    PRIu32, decoder_encap_capped(dec), c->lim->encap_depth, c->encap_frame);
	}
	if (c->tso_path != NULL) {
		snprintf(w, sizeof(w), "frame %" PRIu32, c->tso_frame);
		plog_add(c->log, PLOG_INFO, "capture.tso", c->tso_path, w,
		    "%" PRIu64 " IPv4 packets have a total length of 0, as TCP segmentation offload"
		    " leaves them when captured on the sending host; their length is taken from"
		    " the captured bytes, as Wireshark does; the first is frame %" PRIu32,
		    decoder_tso_packets(dec), c->tso_frame);
	}
}

/* Reads one file into the flow table. */
/* The read hash is kept only for a file read whole, start to end, by one
 * pass (rc is libpcap's last answer: PCAP_ERROR_BREAK at the end). */
static void
capture_tap_done(struct capfile *f, struct fileio_tap *tap, int rc)
{
	char sha[65];

	if (!fileio_tap_end(tap, sha) || rc != PCAP_ERROR_BREAK || f->info.truncated)
		return;
	memcpy(f->info.read_sha256, sha, sizeof(f->info.read_sha256));
	f->info.read_whole = true;
}

/* One frame: the file's time span, the decoder, the flow table. */
static void
capture_frame(struct capture *c, struct capfile *f, uint32_t index, struct decoder *dec,
    struct flows *ft, uint32_t frame, int dlt, const u_char *data, uint32_t caplen, uint32_t len,
    int64_t ts)
{
	struct tcp_seg seg;
	enum decode_result dr;
	const char *why;
	size_t where;

	if (ts < f->info.first_us)
		f->info.first_us = ts;
	if (ts > f->info.last_us)
		f->info.last_us = ts;
	dr = decode_frame(dec, dlt, data, caplen, ts, &seg, &why, &where);
	capture_note_counts(c, f, dec, frame);
	if (dr == DECODE_TCP) {
		struct frame_ref at = { f->info.evidence_id, index, frame, ts };

		flows_segment(ft, &seg, &at, len);
	} else if (dr == DECODE_BAD) {
		char w[64];

		snprintf(w, sizeof(w), "frame %" PRIu32 ", byte %zu", frame, where);
		plog_add(c->log, PLOG_WARN, "capture.decode", f->path, w,
		    "malformed packet: %s; the frame is skipped", why);
	}
}

/* The link types of the file as pcapng.c found them, for the evidence row. */
static void
capture_link_types(struct capfile *f, const struct pcapng *r)
{
	size_t n, i, at = 0;
	const int *dlt = pcapng_dlts(r, &n);

	f->info.link_types[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(f->info.link_types + at, sizeof(f->info.link_types) - at, "%s%s",
		    i ? ", " : "", decode_linktype_name(dlt[i]));

		if (w < 0 || (size_t)w >= sizeof(f->info.link_types) - at)
			break;
		at += (size_t)w;
	}
}

/* After libpcap stopped at an interface of another link type, after frame
 * done: reads the whole file again with pcapng.c (tapped, so a file read
 * to its end still has its read hash), skips the frames libpcap gave and
 * decodes the rest. Returns true when the file was read to its end. */
static bool
capture_read_rest(struct capture *c, struct capfile *f, uint32_t index, struct decoder *dec,
    struct flows *ft, uint32_t done, uint64_t stop_off)
{
	struct fileio_tap *tap = NULL;
	FILE *fp = fileio_fopen_tapped(f->path, &tap);
	struct pcapng *r;
	struct pcapng_pkt pkt;
	uint32_t frame = 0;
	char w[64], sha[65];
	int rc;

	snprintf(w, sizeof(w), "after frame %" PRIu32 ", offset %" PRIu64, done, stop_off);
	if (fp == NULL) {
		(void)fileio_tap_end(tap, sha);
		f->info.truncated = true;
		free(f->error);
		f->error = xasprintf("cannot open again to read the interfaces libpcap cannot: %s",
		    strerror(errno));
		f->info.error = f->error;
		plog_add(c->log, PLOG_ERROR, "capture.read", f->path, w, "%s; frames after %" PRIu32
		    " were not read", f->error, done);
		return false;
	}
	plog_add(c->log, PLOG_INFO, "capture.pcapng_linktypes", f->path, w,
	    "libpcap cannot read interfaces of different link types in one pcapng file (an"
	    " interface of another link type is described in the blocks from byte %" PRIu64 ");"
	    " the file was read again by mailcase's own pcapng reader, which gave frames %" PRIu32
	    " on", stop_off, done + 1);
	r = pcapng_open(fp);
	while ((rc = pcapng_next(r, &pkt)) == 1) {
		if (++frame <= done)
			continue;
		capture_frame(c, f, index, dec, ft, frame, pkt.dlt, pkt.data, pkt.caplen, pkt.len,
		    pkt.ts_us);
	}
	capture_link_types(f, r);
	if (frame > f->info.packets)
		f->info.packets = frame;
	if (rc < 0) {
		f->info.truncated = true;
		free(f->error);
		f->error = xasprintf("%s (block at byte %" PRIu64 ")", pcapng_error(r),
		    pcapng_error_off(r));
		f->info.error = f->error;
		snprintf(w, sizeof(w), "offset %" PRIu64, pcapng_error_off(r));
		plog_add(c->log, PLOG_ERROR, "capture.read", f->path, w, "reading stopped at byte %"
		    PRIu64 ", after frame %" PRIu32 ": %s; the %" PRIu32 " frames before are kept",
		    pcapng_error_off(r), frame, pcapng_error(r), frame);
	}
	pcapng_free(r);
	fclose(fp);
	if (fileio_tap_end(tap, sha) && rc == 0) {
		memcpy(f->info.read_sha256, sha, sizeof(f->info.read_sha256));
		f->info.read_whole = true;
	}
	return rc == 0;
}

static void
capture_read(struct capture *c, struct capfile *f, uint32_t index, struct decoder *dec,
    struct flows *ft)
{
	FILE *fp;
	struct fileio_tap *tap = NULL;
	pcap_t *p = capture_open(f, &fp, &tap);
	uint64_t off = 24;           /* pcap: where the next record starts */
	uint32_t frame = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;

	if (p == NULL) {
		char none[65];

		(void)fileio_tap_end(tap, none);
		f->info.readable = false;
		f->info.error = f->error;
		plog_add(c->log, PLOG_ERROR, "capture.open", f->path, "", "%s", f->error);
		return;
	}
	f->info.first_us = INT64_MAX;
	f->info.last_us = INT64_MIN;
	for (;;) {
		if (f->pcapng)
			off = (uint64_t)ftell(fp);   /* the next block starts here */
		rc = pcap_next_ex(p, &h, &data);
		if (rc != 1)
			break;
		frame++;
		off += 16 + h->caplen;
		capture_frame(c, f, index, dec, ft, frame, pcap_datalink(p), data, h->caplen, h->len,
		    capture_ts_us(h));
	}
	f->info.packets = frame;
	if (rc == PCAP_ERROR && f->pcapng && capture_is_linktype_stop(pcap_geterr(p))) {
		char none[65];

		pcap_close(p);
		(void)fileio_tap_end(tap, none);
		(void)capture_read_rest(c, f, index, dec, ft, frame, off);
		if (f->info.packets == 0)
			f->info.first_us = f->info.last_us = 0;
		return;
	}
	if (frame == 0)
		f->info.first_us = f->info.last_us = 0;
	if (rc == PCAP_ERROR) {
		const char *msg = pcap_geterr(p);
		char w[64];

		/* Any stop before the end of the file leaves evidence unread,
		 * whether libpcap calls it truncated or the record header is
		 * corrupt (a capture length past the snapshot length): the
		 * file is read in part either way. */
		f->info.truncated = true;
		free(f->error);
		/* off is where the record (pcap) or block (pcapng) that failed starts. */
		f->error = xasprintf("%s (record at byte %" PRIu64 ")", msg, off);
		f->info.error = f->error;
		snprintf(w, sizeof(w), "offset %" PRIu64, off);
		plog_add(c->log, PLOG_ERROR,
		    strstr(msg, "truncated") != NULL ? "capture.truncated" : "capture.read", f->path, w, "reading stopped at byte %" PRIu64 ", after frame %" PRIu32 ": %s;"
		    " the %" PRIu32 " frames before are kept", off, frame, msg, frame);
	}
	pcap_close(p);
	capture_tap_done(f, tap, rc);
}

void
capture_run(struct capture *c, const struct flow_sink *sink)
{
	struct capfile **order = xreallocarray(NULL, c->nfiles ? c->nfiles : 1, sizeof(*order));
	const char **paths = xreallocarray(NULL, c->nfiles ? c->nfiles : 1, sizeof(*paths));
	struct decoder *dec = decoder_new();
	struct flows *ft;

	decoder_set_encap_max(dec, c->lim->encap_depth);
	memcpy(order, c->files, c->nfiles * sizeof(*order));
	qsort(order, c->nfiles, sizeof(*order), capture_order_cmp);
	for (size_t i = 0; i < c->nfiles; i++)
		paths[i] = order[i]->path;
	ft = flows_new(c->log, c->lim, c->o.keep_all, sink, paths);
	for (size_t i = 0; i < c->nfiles; i++) {
		if (order[i]->info.readable)
			capture_read(c, order[i], (uint32_t)i, dec, ft);
		else    /* the reason belongs in the case, not only on stderr */
			plog_add(c->log, PLOG_ERROR, "capture.open", order[i]->path, "", "%s",
			    order[i]->error ? order[i]->error : "cannot be read");
	}
	flows_free(ft);
	capture_log_counts(c, dec);
	if (decoder_frags_dropped(dec) > 0)
		plog_add(c->log, PLOG_WARN, "ip.fragments", c->nfiles ? order[0]->path : "", "",
		    "%" PRIu64 " IP fragments were dropped (incomplete, timed out, or the"
		    " reassembly table was full)", decoder_frags_dropped(dec));
	decoder_free(dec);
	free(paths);
	free(order);
}

size_t
capture_file_count(const struct capture *c)
{
	return c->nfiles;
}

const struct capture_file_info *
capture_file_get(const struct capture *c, size_t i)
{
	return i < c->nfiles ? &c->files[i]->info : NULL;
}

void
capture_free(struct capture *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i]->path);
		free(c->files[i]->error);
		free(c->files[i]);
	}
	free(c->files);
	free(c);
}
