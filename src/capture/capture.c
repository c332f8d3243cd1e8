/* capture.c - reading capture files with libpcap and feeding the flow table.
 *
 * Files are opened read-only through stdio with a large buffer and handed
 * to libpcap (pcap_fopen_offline_with_tstamp_precision, nanosecond
 * precision, so microsecond and nanosecond files keep their full
 * resolution). Frames are numbered from 1 per file, as Wireshark does.
 *
 * What libpcap cannot do, and how it shows: a pcapng file whose interfaces
 * have different link types stops with libpcap's error at the Interface
 * Description Block of the first interface whose type differs; the packets
 * before it are kept, the stop is an error in the processing log naming the
 * frame, and the file is reported as truncated (capture_linktype_stop). */
#include "capture/capture.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/flows.h"
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
 * the type of the first interface". The frames before it were read; those
 * after it are not. This is recorded as an error naming the frame, and the
 * file counts as not read to its end (truncated), so its evidence shows as
 * partial. Returns false when msg is some other error. */
static bool
capture_linktype_stop(struct capture *c, struct capfile *f, pcap_t *p, FILE *fp, uint32_t frame,
    uint64_t off)
{
	const char *msg = pcap_geterr(p);
	const char *key = "an interface has a type ";
	unsigned long other;
	char *end, w[96], name[32];
	long after = ftell(fp);
	size_t n;

	if (strncmp(msg, key, strlen(key)) != 0)
		return false;
	other = strtoul(msg + strlen(key), &end, 10);
	if (end == msg + strlen(key) || strstr(end, "different from the type") == NULL)
		return false;
	/* The number is the file's LINKTYPE_ value, which is the DLT_ value for
	 * all but a few types; the name is given when libpcap knows it. */
	if (other <= 0xffff && pcap_datalink_val_to_name((int)other) != NULL)
		snprintf(name, sizeof(name), "%s", pcap_datalink_val_to_name((int)other));
	else
		snprintf(name, sizeof(name), "LINKTYPE %lu", other);
	n = strlen(f->info.link_types);
	if (n + 2 + strlen(name) + 11 < sizeof(f->info.link_types))
		snprintf(f->info.link_types + n, sizeof(f->info.link_types) - n, ", %s (not read)", name);
	f->info.truncated = true;
	free(f->error);
	f->error = xasprintf("libpcap cannot read interfaces of different link types in one pcapng"
	    " file: an interface of link type %s (the first is %s) is described in the blocks from"
	    " byte %" PRIu64 " to byte %ld; frames after %" PRIu32 " were not read", name,
	    decode_linktype_name(pcap_datalink(p)), off, after, frame);
	f->info.error = f->error;
	snprintf(w, sizeof(w), "after frame %" PRIu32 ", offset %" PRIu64, frame, off);
	plog_add(c->log, PLOG_ERROR, "capture.pcapng_linktypes", f->path, w,
	    "libpcap cannot read interfaces of different link types in one pcapng file; frames"
	    " after %" PRIu32 " were not read (an interface of link type %s follows the first"
	    " interface's %s, in the blocks from byte %" PRIu64 " to byte %ld)", frame, name,
	    decode_linktype_name(pcap_datalink(p)), off, after);
	return true;
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
		struct tcp_seg seg;
		enum decode_result dr;
		const char *why;
		size_t where;
		int64_t ts;

		if (f->pcapng)
			off = (uint64_t)ftell(fp);   /* the next block starts here */
		rc = pcap_next_ex(p, &h, &data);
		if (rc != 1)
			break;
		frame++;
		ts = capture_ts_us(h);
		if (ts < f->info.first_us)
			f->info.first_us = ts;
		if (ts > f->info.last_us)
			f->info.last_us = ts;
		off += 16 + h->caplen;
		dr = decode_frame(dec, pcap_datalink(p), data, h->caplen, ts, &seg, &why, &where);
		capture_note_counts(c, f, dec, frame);
		if (dr == DECODE_TCP) {
			struct frame_ref at = { f->info.evidence_id, index, frame, ts };

			flows_segment(ft, &seg, &at, h->len);
		} else if (dr == DECODE_BAD) {
			char w[64];

			snprintf(w, sizeof(w), "frame %" PRIu32 ", byte %zu", frame, where);
			plog_add(c->log, PLOG_WARN, "capture.decode", f->path, w,
			    "malformed packet: %s; the frame is skipped", why);
		}
	}
	f->info.packets = frame;
	if (frame == 0)
		f->info.first_us = f->info.last_us = 0;
	if (rc == PCAP_ERROR && f->pcapng && capture_linktype_stop(c, f, p, fp, frame, off))
		rc = PCAP_ERROR_BREAK;
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
