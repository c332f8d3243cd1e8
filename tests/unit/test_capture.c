/* Unit tests of src/capture: fixtures written with pcapgen (libpcap's dump
 * API, and a small pcapng writer), each with its exact expected bytes,
 * frames, gaps and conflicts; and evidence02.pcap from the corpus. */
#include "check.h"
#include "pcapgen.h"

#include "capture/capture.h"
#include "capture/flows.h"
#include "ingest.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/plog.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What the sink saw: copies, since flows are freed after the call. */
struct gflow {
	uint64_t id;
	char app[8], cli[64], srv[64], end[16];
	bool buffered, syn;
	char *data[2];
	size_t len[2];
	char frames[2][128];
	size_t ngaps[2], nconf[2];
	struct stream_gap gap[2];
	struct stream_conflict conf[2];
	uint64_t pkts[2], retrans;
	uint32_t first_frame;
	int64_t first_us, last_us;
};

struct got {
	size_t n;
	struct gflow f[8];
	struct plog *log;
	struct capture *cap;
	char located[64];           /* stream_locate/stream_frames probes of flow 1 */
};

static void
got_flow(void *arg, struct flow *f)
{
	struct got *g = arg;
	struct gflow *o;

	if (g->n == 8)
		return;
	o = &g->f[g->n++];
	memset(o, 0, sizeof(*o));
	o->id = f->id;
	snprintf(o->app, sizeof(o->app), "%s", f->app);
	snprintf(o->cli, sizeof(o->cli), "%s:%u", f->cli_ip, f->cli_port);
	snprintf(o->srv, sizeof(o->srv), "%s:%u", f->srv_ip, f->srv_port);
	snprintf(o->end, sizeof(o->end), "%s", f->end ? f->end : "");
	o->buffered = f->buffered;
	o->syn = f->syn_seen;
	o->retrans = f->retransmissions;
	o->first_frame = f->first_frame.frame;
	o->first_us = f->first_us;
	o->last_us = f->last_us;
	for (int d = 0; d < 2; d++) {
		struct buf b;

		o->pkts[d] = f->pkts[d];
		o->len[d] = f->dir[d].data.len;
		o->data[d] = malloc(o->len[d] + 1);
		memcpy(o->data[d], f->dir[d].data.p ? f->dir[d].data.p : "", o->len[d]);
		o->data[d][o->len[d]] = '\0';
		buf_init(&b, 127);
		stream_frames(&f->dir[d], 0, f->dir[d].data.len, &b);
		snprintf(o->frames[d], sizeof(o->frames[d]), "%s", buf_str(&b));
		buf_free(&b);
		o->ngaps[d] = f->dir[d].ngaps;
		if (f->dir[d].ngaps)
			o->gap[d] = f->dir[d].gaps[0];
		o->nconf[d] = f->dir[d].nconflicts;
		if (f->dir[d].nconflicts)
			o->conf[d] = f->dir[d].conflicts[0];
	}
}

static void
got_run_lim(struct got *g, bool keep_all, const char *a, const char *b, const struct limits *lim)
{
	struct capture_opts o = { .keep_all = keep_all };
	struct flow_sink sink = { g, got_flow };

	memset(g, 0, sizeof(*g));
	g->log = plog_new();
	g->cap = capture_new(g->log, lim, &o);
	capture_add_file(g->cap, a, 11);
	if (b)
		capture_add_file(g->cap, b, 12);
	capture_run(g->cap, &sink);
}

static void
got_run(struct got *g, bool keep_all, const char *a, const char *b)
{
	static struct limits lim;
	struct capture_opts o = { .keep_all = keep_all };
	struct flow_sink sink = { g, got_flow };

	memset(g, 0, sizeof(*g));
	limits_default(&lim);
	g->log = plog_new();
	g->cap = capture_new(g->log, &lim, &o);
	capture_add_file(g->cap, a, 11);
	if (b)
		capture_add_file(g->cap, b, 12);
	capture_run(g->cap, &sink);
}

static void
got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		for (int d = 0; d < 2; d++)
			free(g->f[i].data[d]);
	capture_free(g->cap);
	plog_free(g->log);
}

static const struct plog_entry *
got_log(const struct got *g, const char *code)
{
	for (size_t i = 0; i < plog_count(g->log); i++)
		if (strcmp(plog_get(g->log, i)->code, code) == 0)
			return plog_get(g->log, i);
	return NULL;
}

static char *
fixture(const char *test, const char *name)
{
	static char path[2][512];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof(path[k]), "%s/%s", check_tmpdir(test), name);
	return path[k];
}

TEST(in_order_with_provenance)
{
	char *p = fixture("in_order", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);                            /* 1-3 */
	tcpconv_sends(g, &c, 1, "220 mx ESMTP\r\n");         /* 4 */
	tcpconv_sends(g, &c, 0, "EHLO a\r\n");               /* 5 */
	tcpconv_sends(g, &c, 1, "250 ok\r\n");               /* 6 */
	tcpconv_close(g, &c);                                /* 7-9 */
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].app, "smtp");
	CHECK_STR(r.f[0].cli, "10.0.0.1:40000");
	CHECK_STR(r.f[0].srv, "10.0.0.2:25");
	CHECK_STR(r.f[0].data[0], "EHLO a\r\n");
	CHECK_STR(r.f[0].data[1], "220 mx ESMTP\r\n250 ok\r\n");
	CHECK_STR(r.f[0].frames[0], "5");
	CHECK_STR(r.f[0].frames[1], "4,6");
	CHECK_INT(r.f[0].pkts[0], 5);
	CHECK_INT(r.f[0].pkts[1], 4);
	CHECK_INT(r.f[0].first_frame, 1);
	CHECK(r.f[0].syn);
	CHECK_STR(r.f[0].end, "fin");
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 9);
	CHECK_STR(capture_file_get(r.cap, 0)->format, "pcap (microsecond, little-endian)");
	CHECK_STR(capture_file_get(r.cap, 0)->link_types, "EN10MB");
	CHECK_INT(plog_count(r.log), 0);
	got_free(&r);
}

TEST(stream_frames_ranges)
{
	struct stream_seg segs[] = {
		{ 0, 10, { 1, 0, 78, 0 } }, { 10, 10, { 1, 0, 79, 0 } }, { 20, 5, { 1, 0, 80, 0 } },
		{ 25, 5, { 1, 0, 83, 0 } },
	};
	struct stream_dir d;
	struct buf b;

	memset(&d, 0, sizeof(d));
	d.segs = segs;
	d.nsegs = 4;
	buf_init(&b, 100);
	stream_frames(&d, 0, 30, &b);
	CHECK_STR(buf_str(&b), "78-80,83");
	buf_reset(&b);
	stream_frames(&d, 12, 1, &b);
	CHECK_STR(buf_str(&b), "79");
	buf_reset(&b);
	stream_frames(&d, 19, 7, &b);
	CHECK_STR(buf_str(&b), "79-80,83");
	buf_free(&b);
	CHECK_INT(stream_locate(&d, 24)->at.frame, 80);
	CHECK(stream_locate(&d, 30) == NULL);
}

TEST(out_of_order)
{
	char *p = fixture("ooo", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, true);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 110);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 4, "BBBB", 4);   /* 4 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "AAAA", 4);       /* 5 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 8, "CC", 2);     /* 6 */
	c.seq[0] += 10;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].app, "pop3");
	CHECK_STR(r.f[0].data[0], "AAAABBBBCC");
	CHECK_STR(r.f[0].frames[0], "4-6");
	CHECK_INT(r.f[0].ngaps[0], 0);
	CHECK_INT(r.f[0].nconf[0], 0);
	CHECK_INT(r.f[0].retrans, 0);
	CHECK_STR(capture_file_get(r.cap, 0)->format, "pcap (nanosecond, little-endian)");
	got_free(&r);
}

/* A flow of SHUF_SEGS 50-byte segments written in a shuffled order (a fixed
 * permutation) after the first; frames 4 .. SHUF_SEGS + 3. */
#define SHUF_SEGS 10000

static char *
shuffled_fixture(const char *test, char **want)
{
	char *p = fixture(test, "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	static unsigned order[SHUF_SEGS];
	uint32_t x = 12345, base;
	char seg[51];

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 1, "220 x ESMTP\r\n");
	base = c.seq[0];
	for (unsigned i = 0; i < SHUF_SEGS; i++)
		order[i] = i;
	for (unsigned i = SHUF_SEGS - 1; i > 1; i--) {   /* segment 0 stays first */
		unsigned j;

		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		j = 1 + x % i;
		unsigned t = order[i];
		order[i] = order[j], order[j] = t;
	}
	*want = malloc(SHUF_SEGS * 50 + 1);
	for (unsigned i = 0; i < SHUF_SEGS; i++) {
		snprintf(seg, sizeof(seg), "%048u\r\n", order[i]);
		tcpconv_segment(g, &c, 0, 0x18, base + order[i] * 50, seg, 50);
		memcpy(*want + order[i] * 50, seg, 50);
	}
	(*want)[SHUF_SEGS * 50] = '\0';
	c.seq[0] = base + SHUF_SEGS * 50;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	return p;
}

/* Captured bytes are never thrown away while memory allows: 10,000
 * segments out of order (more than the old count ceiling of 4,096) come
 * back whole, with no gap and no retransmission. */
TEST(reordered_flow_kept_whole)
{
	char *want, *p = shuffled_fixture("shuffled", &want);
	struct got r;

	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_INT(r.f[0].len[0], SHUF_SEGS * 50);
	CHECK(memcmp(r.f[0].data[0], want, SHUF_SEGS * 50) == 0);
	CHECK_INT(r.f[0].ngaps[0], 0);
	CHECK_INT(r.f[0].retrans, 0);
	CHECK(got_log(&r, "tcp.gap") == NULL);
	CHECK(got_log(&r, "tcp.reorder_ceiling") == NULL);
	got_free(&r);
	free(want);
}

/* When a ceiling does force a hole, the log says exactly that, and bytes
 * arriving for it later are counted as late, not as retransmissions. */
TEST(reorder_ceiling_said)
{
	char *want, *p = shuffled_fixture("shufcap", &want);
	struct limits lim;
	struct got r;
	const struct plog_entry *e;

	limits_default(&lim);
	lim.flow_bytes = 1 << 20;
	lim.capture_bytes = 64 << 10;     /* far less than the flow's 500,000 bytes */
	got_run_lim(&r, false, p, NULL, &lim);
	CHECK_INT(r.n, 1);
	CHECK(r.f[0].ngaps[0] > 0);
	CHECK_INT(r.f[0].retrans, 0);
	e = got_log(&r, "tcp.reorder_ceiling");
	CHECK(e != NULL);
	CHECK(strstr(e->message, "given up as a hole") != NULL);
	CHECK(got_log(&r, "tcp.gap") == NULL);      /* nothing is called "not captured" */
	e = got_log(&r, "tcp.late");
	CHECK(e != NULL);
	CHECK(strstr(e->message, "they were captured but are not in the stream") != NULL);
	got_free(&r);
	free(want);
}

TEST(retransmission_and_conflict)
{
	char *p = fixture("conflict", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const struct plog_entry *e;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 143);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "HELLO WORLD", 11);    /* 4 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "HELLO WORLD", 11);    /* 5: same bytes */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 6, "EARTH!", 6);      /* 6: overlaps, differs */
	c.seq[0] += 12;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "HELLO WORLD!");
	CHECK_STR(r.f[0].frames[0], "4,6");
	CHECK_INT(r.f[0].retrans, 2);
	CHECK_INT(r.f[0].nconf[0], 1);
	CHECK_INT(r.f[0].conf[0].off, 6);
	CHECK_INT(r.f[0].conf[0].len, 5);        /* "WORLD" against "EARTH" */
	CHECK_INT(r.f[0].conf[0].kept_frame, 4);
	CHECK_INT(r.f[0].conf[0].other_frame, 6);
	e = got_log(&r, "tcp.conflict");
	CHECK(e != NULL);
	CHECK_STR(e->where, "frame 6");
	got_free(&r);
}

TEST(gap)
{
	char *p = fixture("gap", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const struct plog_entry *e;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "AAAA", 4);        /* 4 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 8, "CCCC", 4);    /* 5: 4 bytes missing */
	c.seq[0] += 12;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "AAAACCCC");
	CHECK_INT(r.f[0].ngaps[0], 1);
	CHECK_INT(r.f[0].gap[0].off, 4);
	CHECK_INT(r.f[0].gap[0].len, 4);
	CHECK_INT(r.f[0].gap[0].after.frame, 5);
	e = got_log(&r, "tcp.gap");
	CHECK(e != NULL);
	CHECK_STR(e->where, "frame 5");
	CHECK(strstr(e->message, "4 bytes were not captured before stream offset 4") != NULL);
	got_free(&r);
}

TEST(mid_stream_start)
{
	char *p = fixture("mid", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 110);
	tcpconv_sends(g, &c, 1, "+OK ready\r\n");     /* 1: the server speaks first */
	tcpconv_sends(g, &c, 0, "USER a\r\n");        /* 2 */
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK(!r.f[0].syn);
	CHECK_STR(r.f[0].cli, "10.0.0.1:40000");
	CHECK_STR(r.f[0].app, "pop3");
	CHECK_STR(r.f[0].data[0], "USER a\r\n");
	CHECK_STR(r.f[0].data[1], "+OK ready\r\n");
	CHECK_STR(r.f[0].end, "end of capture");
	got_free(&r);
}

/* An earlier copy that arrived out of order wins over the in-order copy
 * that fills the hole (first arrival wins, as for delivered bytes); the
 * difference is a conflict. Wireshark keeps the in-order copy here, so
 * tests/cli/streams_vs_tshark.sh leaves this fixture out. Duplicates of
 * waiting bytes count as retransmissions. */
TEST(first_arrival_wins_over_in_order_copy)
{
	char *p = fixture("first_arrival", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 4, "BBBB", 4);   /* 4: waits */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 4, "BBBB", 4);   /* 5: the same again */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 2, "xxBB", 4);   /* 6: "xx" waits too */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "AAAA", 4);       /* 7: "AA" against "xx" */
	c.seq[0] += 8;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "AAxxBBBB");
	CHECK_STR(r.f[0].frames[0], "4,6-7");
	CHECK_INT(r.f[0].ngaps[0], 0);
	CHECK_INT(r.f[0].nconf[0], 1);
	CHECK_INT(r.f[0].conf[0].off, 2);
	CHECK_INT(r.f[0].conf[0].len, 2);
	CHECK_INT(r.f[0].conf[0].kept_frame, 6);
	CHECK_INT(r.f[0].conf[0].other_frame, 7);
	CHECK_INT(r.f[0].retrans, 3);            /* frames 5, 6 and 7 brought bytes again */
	got_free(&r);
}

/* Bytes after a hole that nothing ever fills, at the end of the capture: they
 * are kept after a gap. (tshark's follow drops bytes after a hole that the
 * other side never acknowledged; the comparison leaves this fixture out.) */
TEST(gap_never_filled)
{
	char *p = fixture("hole_at_end", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "one\r\n", 5);           /* 4 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 10, "three\r\n", 7);    /* 5 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 17, "four\r\n", 6);     /* 6 */
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].end, "end of capture");
	CHECK_STR(r.f[0].data[0], "one\r\nthree\r\nfour\r\n");
	CHECK_STR(r.f[0].frames[0], "4-6");
	CHECK_INT(r.f[0].ngaps[0], 1);
	CHECK_INT(r.f[0].gap[0].off, 5);
	CHECK_INT(r.f[0].gap[0].len, 5);
	CHECK_INT(r.f[0].gap[0].after.frame, 5);
	CHECK(got_log(&r, "tcp.gap") != NULL);
	got_free(&r);
}

/* A client SYN with a new initial sequence number is a new connection, even
 * before any data (RFC 9293 section 3.4.1); a SYN sent again with the same
 * number is not. */
TEST(syn_with_new_isn)
{
	char *p = fixture("syn_new_isn", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_segment(g, &c, 0, 0x02, c.seq[0], NULL, 0);     /* 1 */
	tcpconv_segment(g, &c, 0, 0x02, c.seq[0], NULL, 0);     /* 2: sent again */
	c.seq[0] += 1000;
	tcpconv_handshake(g, &c);                               /* 3-5 */
	tcpconv_sends(g, &c, 1, "220 x ESMTP\r\n");             /* 6 */
	tcpconv_close(g, &c);                                   /* 7-9 */
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 2);
	CHECK_INT(r.f[0].id, 1);
	CHECK_STR(r.f[0].end, "port reuse");
	CHECK_INT(r.f[0].pkts[0], 2);
	CHECK_INT(r.f[0].pkts[1], 0);
	CHECK_INT(r.f[1].id, 2);
	CHECK_INT(r.f[1].first_frame, 3);
	CHECK_STR(r.f[1].data[1], "220 x ESMTP\r\n");
	CHECK_STR(r.f[1].frames[1], "6");
	CHECK_STR(r.f[1].end, "fin");
	got_free(&r);
}

/* Data on the SYN and on the SYN-ACK (TCP Fast Open, RFC 7413) is the first
 * data of each direction; keep-alive probes (the last byte again, here once
 * the same and once a garbage octet) are neither retransmissions nor
 * conflicts. */
TEST(syn_data_and_keepalive)
{
	char *p = fixture("syn_data", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_segment(g, &c, 0, 0x02, c.seq[0], "EHLO tfo\r\n", 10);       /* 1 */
	c.seq[0] += 11;
	tcpconv_segment(g, &c, 1, 0x12, c.seq[1], "220 x ESMTP\r\n", 13);    /* 2 */
	c.seq[1] += 14;
	tcpconv_segment(g, &c, 0, 0x10, c.seq[0], NULL, 0);                  /* 3 */
	tcpconv_segment(g, &c, 0, 0x10, c.seq[0] - 1, "\n", 1);              /* 4 */
	tcpconv_segment(g, &c, 0, 0x10, c.seq[0] - 1, "", 1);                /* 5: a NUL */
	tcpconv_sends(g, &c, 0, "QUIT\r\n");                                 /* 6 */
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "EHLO tfo\r\nQUIT\r\n");
	CHECK_STR(r.f[0].data[1], "220 x ESMTP\r\n");
	CHECK_STR(r.f[0].frames[0], "1,6");
	CHECK_STR(r.f[0].frames[1], "2");
	CHECK_INT(r.f[0].retrans, 0);
	CHECK_INT(r.f[0].nconf[0], 0);
	CHECK_INT(plog_count(r.log), 0);
	got_free(&r);
}

/* Writes one segment of c, passed through edit (VLAN tags, fragments). */
static void
put_seg(struct pcapgen *g, struct tcpconv *c, int dir, uint8_t flags, const char *data,
    int vlan)
{
	uint8_t f[2048], t[2048];
	size_t n, len = data ? strlen(data) : 0;

	if (dir == 0)
		n = pcapgen_eth_ipv4_tcp(f, c->cli_ip, c->cli_port, c->srv_ip, c->srv_port,
		    c->seq[0], c->seq[1], flags, data, len);
	else
		n = pcapgen_eth_ipv4_tcp(f, c->srv_ip, c->srv_port, c->cli_ip, c->cli_port,
		    c->seq[1], c->seq[0], flags, data, len);
	c->seq[dir] += (uint32_t)len + ((flags & 0x03) ? 1 : 0);
	if (vlan) {
		static const uint8_t tags[8] = { 0x88, 0xa8, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x14 };

		memcpy(t, f, 12);
		memcpy(t + 12, tags, 8);
		memcpy(t + 20, f + 12, n - 12);
		pcapgen_frame(g, c->ts_us, t, n + 8);
	} else {
		pcapgen_frame(g, c->ts_us, f, n);
	}
	c->ts_us += c->step_us;
}

TEST(qinq_vlan_and_content_detection)
{
	char *p = fixture("vlan", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 2600);      /* not a mail port */
	put_seg(g, &c, 0, 0x02, NULL, 1);
	put_seg(g, &c, 1, 0x12, NULL, 1);
	put_seg(g, &c, 0, 0x10, NULL, 1);
	put_seg(g, &c, 1, 0x18, "220 relay ESMTP ready\r\n", 1);
	put_seg(g, &c, 0, 0x18, "QUIT\r\n", 1);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].app, "smtp");
	CHECK(r.f[0].buffered);
	CHECK_STR(r.f[0].data[0], "QUIT\r\n");
	CHECK_STR(r.f[0].frames[1], "4");
	got_free(&r);
}

TEST(non_mail_not_kept)
{
	char *p = fixture("http", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 8080);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 0, "GET / HTTP/1.0\r\n\r\n");
	tcpconv_sends(g, &c, 1, "HTTP/1.0 200 OK\r\n\r\nhi");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].app, "");
	CHECK(!r.f[0].buffered);
	CHECK_INT(r.f[0].len[0], 0);
	CHECK_INT(r.f[0].pkts[0], 5);
	got_free(&r);
	got_run(&r, true, p, NULL);              /* keep_all: the streams command */
	CHECK_INT(r.n, 1);
	CHECK(r.f[0].buffered);
	CHECK_STR(r.f[0].data[1], "HTTP/1.0 200 OK\r\n\r\nhi");
	got_free(&r);
}

TEST(ipv6)
{
	char *p = fixture("ipv6", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	uint8_t a[16], b[16], f[256];
	struct got r;
	size_t n;

	CHECK(inet_pton(AF_INET6, "2001:db8::1", a) == 1);
	CHECK(inet_pton(AF_INET6, "2001:db8::2", b) == 1);
	n = pcapgen_eth_ipv6_tcp(f, a, 50000, b, 143, 100, 0, 0x02, NULL, 0);
	pcapgen_frame(g, 1000000, f, n);
	n = pcapgen_eth_ipv6_tcp(f, b, 143, a, 50000, 900, 101, 0x12, NULL, 0);
	pcapgen_frame(g, 1001000, f, n);
	n = pcapgen_eth_ipv6_tcp(f, b, 143, a, 50000, 901, 101, 0x18, "* OK IMAP4rev1\r\n", 16);
	pcapgen_frame(g, 1002000, f, n);
	n = pcapgen_eth_ipv6_tcp(f, a, 50000, b, 143, 101, 917, 0x18, "a1 LOGOUT\r\n", 11);
	pcapgen_frame(g, 1003000, f, n);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].cli, "2001:db8::1:50000");
	CHECK_STR(r.f[0].app, "imap");
	CHECK_STR(r.f[0].data[0], "a1 LOGOUT\r\n");
	CHECK_STR(r.f[0].data[1], "* OK IMAP4rev1\r\n");
	CHECK_STR(r.f[0].frames[1], "3");
	got_free(&r);
}

TEST(ipv4_fragments)
{
	char *p = fixture("frag", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	uint8_t f[256], f1[256], f2[256];
	const char *msg = "MAIL FROM:<a@example.org> SIZE=1234567\r\n";   /* 40 bytes */
	size_t n;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	n = pcapgen_eth_ipv4_tcp(f, c.cli_ip, c.cli_port, c.srv_ip, c.srv_port, c.seq[0], c.seq[1],
	    0x18, msg, strlen(msg));
	CHECK_INT(n, 14 + 20 + 20 + 40);
	/* RFC 791: fragment 1 carries IP payload bytes 0-31 (MF), fragment 2
	 * bytes 32-59 (offset 4 units). Written in reverse order. */
	memcpy(f1, f, 14 + 20 + 32);
	f1[14 + 2] = 0;
	f1[14 + 3] = 20 + 32;
	f1[14 + 6] = 0x20;
	f1[14 + 7] = 0;
	memcpy(f2, f, 14 + 20);
	memcpy(f2 + 34, f + 34 + 32, 28);
	f2[14 + 2] = 0;
	f2[14 + 3] = 20 + 28;
	f2[14 + 6] = 0;
	f2[14 + 7] = 4;
	pcapgen_frame(g, c.ts_us, f2, 34 + 28);       /* 4 */
	pcapgen_frame(g, c.ts_us + 1, f1, 34 + 32);   /* 5 */
	c.seq[0] += 40;
	c.ts_us += 2;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], msg);
	CHECK_STR(r.f[0].frames[0], "5");
	/* SYN, ACK, the datagram (counted once, at the frame that completed
	 * it, as Wireshark counts it), FIN, ACK. */
	CHECK_INT(r.f[0].pkts[0], 5);
	got_free(&r);
}

TEST(pcapng_two_interfaces)
{
	char *p = fixture("pcapng", "a.pcapng");
	struct pcapng_gen *g = pcapng_gen_open(p);
	struct tcpconv c;
	struct got r;
	uint8_t f[256];
	size_t n;
	unsigned i0 = pcapng_gen_iface(g, DLT_EN10MB), i1 = pcapng_gen_iface(g, DLT_EN10MB);

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 110);
	n = pcapgen_eth_ipv4_tcp(f, c.srv_ip, 110, c.cli_ip, 40000, 7, 0, 0x18, "+OK\r\n", 5);
	pcapng_gen_packet(g, i0, 1255181648000001ULL, f, n);
	n = pcapgen_eth_ipv4_tcp(f, c.cli_ip, 40000, c.srv_ip, 110, 3, 12, 0x18, "QUIT\r\n", 6);
	pcapng_gen_packet(g, i1, 1255181648000002ULL, f, n);
	pcapng_gen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_STR(capture_file_get(r.cap, 0)->format, "pcapng");
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 2);
	CHECK_INT(capture_file_get(r.cap, 0)->first_us, 1255181648000001LL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "QUIT\r\n");
	CHECK_STR(r.f[0].frames[0], "2");
	CHECK_STR(r.f[0].data[1], "+OK\r\n");
	got_free(&r);
}

/* libpcap stops at the second interface's link type: the frames before it
 * are kept, the stop is an error naming the frame, and the file counts as
 * truncated (so its evidence shows as partial). */
TEST(pcapng_mixed_link_types)
{
	char *p = fixture("pcapng_mixed", "a.pcapng");
	struct pcapng_gen *g = pcapng_gen_open(p);
	struct tcpconv c;
	struct got r;
	const struct capture_file_info *fi;
	const struct plog_entry *e;
	uint8_t f[256], s[320];
	size_t n, m;
	unsigned i0 = pcapng_gen_iface(g, DLT_EN10MB), i1;
	char w[64];
	long idb1;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 110);
	n = pcapgen_eth_ipv4_tcp(f, c.srv_ip, 110, c.cli_ip, 40000, 7, 3, 0x18, "+OK\r\n", 5);
	pcapng_gen_packet(g, i0, 1255181648000001ULL, f, n);
	n = pcapgen_eth_ipv4_tcp(f, c.cli_ip, 40000, c.srv_ip, 110, 3, 12, 0x18, "QUIT\r\n", 6);
	pcapng_gen_packet(g, i0, 1255181648000002ULL, f, n);
	/* SHB 28 + IDB 20 + EPBs 32 + 60 (pad 0) and 32 + 60 (pad 0) = 232 */
	idb1 = 28 + 20 + 92 + 92;
	i1 = pcapng_gen_iface(g, DLT_LINUX_SLL);
	n = pcapgen_eth_ipv4_tcp(f, c.srv_ip, 110, c.cli_ip, 40000, 12, 9, 0x18, "+OK bye\r\n", 9);
	m = pcapgen_link_from_eth(DLT_LINUX_SLL, 1, false, f, n, s);
	pcapng_gen_packet(g, i1, 1255181648000003ULL, s, m);
	pcapng_gen_close(g);
	got_run(&r, false, p, NULL);
	fi = capture_file_get(r.cap, 0);
	/* libpcap stops at the second interface; pcapng.c reads the file
	 * again and gives frame 3 with its own link type. */
	CHECK(fi->readable);
	CHECK(!fi->truncated);
	CHECK(fi->read_whole);
	CHECK_INT(fi->packets, 3);
	CHECK_STR(fi->link_types, "EN10MB, LINUX_SLL");
	CHECK(fi->error == NULL);
	CHECK_INT(fi->last_us, 1255181648000003LL);
	e = got_log(&r, "capture.pcapng_linktypes");
	CHECK(e != NULL);
	CHECK_INT(e->level, PLOG_INFO);
	CHECK_STR(e->source, p);
	snprintf(w, sizeof(w), "after frame 2, offset %ld", idb1);
	CHECK_STR(e->where, w);
	CHECK_STR(e->message, "libpcap cannot read interfaces of different link types in one"
	    " pcapng file (an interface of another link type is described in the blocks from byte"
	    " 232); the file was read again by mailcase's own pcapng reader, which gave frames 3 on");
	CHECK(got_log(&r, "capture.read") == NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "QUIT\r\n");
	CHECK_STR(r.f[0].data[1], "+OK\r\n+OK bye\r\n");
	got_free(&r);
}

/* The same file cut inside its last block: the frames before the cut are
 * kept, and the stop names its block's byte offset. */
TEST(pcapng_mixed_link_types_cut)
{
	char *p = fixture("pcapng_mixed_cut", "a.pcapng");
	struct pcapng_gen *g = pcapng_gen_open(p);
	struct tcpconv c;
	struct got r;
	const struct capture_file_info *fi;
	const struct plog_entry *e;
	uint8_t f[256], s[320];
	size_t n, m;
	unsigned i0 = pcapng_gen_iface(g, DLT_EN10MB), i1;
	FILE *fp;
	long size;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 110);
	n = pcapgen_eth_ipv4_tcp(f, c.srv_ip, 110, c.cli_ip, 40000, 7, 3, 0x18, "+OK\r\n", 5);
	pcapng_gen_packet(g, i0, 1255181648000001ULL, f, n);
	i1 = pcapng_gen_iface(g, DLT_LINUX_SLL);
	n = pcapgen_eth_ipv4_tcp(f, c.cli_ip, 40000, c.srv_ip, 110, 3, 12, 0x18, "QUIT\r\n", 6);
	m = pcapgen_link_from_eth(DLT_LINUX_SLL, 0, false, f, n, s);
	pcapng_gen_packet(g, i1, 1255181648000002ULL, s, m);
	n = pcapgen_eth_ipv4_tcp(f, c.srv_ip, 110, c.cli_ip, 40000, 12, 9, 0x18, "+OK bye\r\n", 9);
	m = pcapgen_link_from_eth(DLT_LINUX_SLL, 1, false, f, n, s);
	pcapng_gen_packet(g, i1, 1255181648000003ULL, s, m);
	pcapng_gen_close(g);
	fp = fopen(p, "rb");
	CHECK(fp != NULL && fseek(fp, 0, SEEK_END) == 0);
	size = ftell(fp);
	fclose(fp);
	CHECK_INT(truncate(p, size - 10), 0);
	got_run(&r, false, p, NULL);
	fi = capture_file_get(r.cap, 0);
	CHECK(fi->truncated);
	CHECK(!fi->read_whole);
	CHECK_INT(fi->packets, 2);
	CHECK_STR(fi->link_types, "EN10MB, LINUX_SLL");
	e = got_log(&r, "capture.read");
	CHECK(e != NULL);
	CHECK_INT(e->level, PLOG_ERROR);
	/* SHB 28, IDB 20, EPB 92, IDB 20, EPB 32 + 64 (16 + 46 padded): the
	 * cut block starts at 256. */
	CHECK_STR(e->where, "offset 256");
	CHECK(strstr(e->message, "reading stopped at byte 256, after frame 2: the file ends inside"
	    " a block;") != NULL);
	CHECK(got_log(&r, "capture.pcapng_linktypes") != NULL);
	got_free(&r);
}

TEST(two_files_one_capture)
{
	char *a = fixture("two", "a.pcap"), *b = fixture("two", "b.pcap");
	struct pcapgen *ga = pcapgen_open(a, DLT_EN10MB, false);
	struct pcapgen *gb = pcapgen_open(b, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(ga, &c);
	tcpconv_sends(ga, &c, 1, "220 x ESMTP\r\n");   /* a: 4 */
	tcpconv_sends(ga, &c, 0, "EHLO ");             /* a: 5 */
	tcpconv_sends(gb, &c, 0, "there\r\n");         /* b: 1 */
	tcpconv_close(gb, &c);
	pcapgen_close(ga);
	pcapgen_close(gb);
	got_run(&r, false, b, a);                      /* given in the wrong order */
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "EHLO there\r\n");
	CHECK_STR(r.f[0].frames[0], "5,2:1");
	CHECK_STR(r.f[0].end, "fin");
	got_free(&r);
}

/* A record header that is corrupt (a capture length past the snapshot
 * length) stops libpcap with an error that does not say "truncated": the
 * file is still read in part, and says so. */
TEST(corrupt_record_header)
{
	char *p = fixture("corrupt", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const struct plog_entry *e;
	FILE *fp;
	long size;
	static const unsigned char bad[4] = { 0xff, 0xff, 0xff, 0x7f };

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 1, "220 x ESMTP\r\n");    /* 4 */
	tcpconv_sends(g, &c, 0, "EHLO a\r\n");         /* 5: its header is corrupted */
	pcapgen_close(g);
	fp = fopen(p, "r+b");
	CHECK(fp != NULL);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	/* Frame 5 is 16 + 62 bytes; its caplen is the header's third word. */
	fseek(fp, size - 78 + 8, SEEK_SET);
	CHECK(fwrite(bad, 1, 4, fp) == 4);
	fclose(fp);
	got_run(&r, false, p, NULL);
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 4);
	CHECK(capture_file_get(r.cap, 0)->truncated);
	e = got_log(&r, "capture.read");
	CHECK(e != NULL);
	CHECK_INT(e->level, PLOG_ERROR);
	{
		char w[32];

		snprintf(w, sizeof(w), "offset %ld", size - 78);
		CHECK_STR(e->where, w);
	}
	got_free(&r);
}

/* The bytes libpcap reads are hashed on their way through: a file read
 * whole has the SHA-256 of the file itself, for pcap and pcapng alike. */
TEST(read_hash_is_the_file)
{
	const char *files[] = { "tests/tmp/test_capture/pcapng/a.pcapng", NULL };
	char *p = fixture("readhash", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	struct hashes h;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 1, "220 x ESMTP\r\n");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	files[1] = p;
	for (int i = 0; i < 2; i++) {
		got_run(&r, false, files[i], NULL);
		CHECK(hash_file(files[i], &h));
		CHECK(capture_file_get(r.cap, 0)->read_whole);
		CHECK_STR(capture_file_get(r.cap, 0)->read_sha256, h.sha256);
		got_free(&r);
	}
}

TEST(truncated_file)
{
	char *p = fixture("trunc", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const struct plog_entry *e;
	FILE *fp;
	long size;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 1, "220 x ESMTP\r\n");    /* 4 */
	tcpconv_sends(g, &c, 0, "EHLO a\r\n");         /* 5: cut in the middle */
	pcapgen_close(g);
	fp = fopen(p, "rb");
	CHECK(fp != NULL);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fclose(fp);
	/* Frame 5 is 16 + 62 bytes: keep its header and 10 bytes of data. */
	CHECK(truncate(p, size - 52) == 0);
	got_run(&r, false, p, NULL);
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 4);
	CHECK(capture_file_get(r.cap, 0)->truncated);
	CHECK(!capture_file_get(r.cap, 0)->read_whole);    /* no read hash for a part */
	e = got_log(&r, "capture.truncated");
	CHECK(e != NULL);
	{
		char w[32];

		snprintf(w, sizeof(w), "offset %ld", size - 78);
		CHECK_STR(e->where, w);
	}
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[1], "220 x ESMTP\r\n");
	CHECK_STR(r.f[0].data[0], "");
	got_free(&r);
}

TEST(port_reuse)
{
	char *p = fixture("reuse", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 0, "one");
	tcpconv_close(g, &c);
	c.seq[0] = 777777;
	c.seq[1] = 888888;
	tcpconv_handshake(g, &c);                      /* 8-10 */
	tcpconv_sends(g, &c, 0, "two");
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 2);
	CHECK_INT(r.f[0].id, 1);
	CHECK_STR(r.f[0].data[0], "one");
	CHECK_INT(r.f[0].pkts[0], 5);
	CHECK_INT(r.f[1].id, 2);
	CHECK_STR(r.f[1].data[0], "two");
	CHECK_INT(r.f[1].first_frame, 8);
	got_free(&r);
}

/* A flow without packets for longer than CAPTURE_IDLE_TIMEOUT_US ends by
 * timeout when a later packet moves the capture clock, with a note; a late
 * packet on its endpoints starts a new flow. */
TEST(idle_timeout)
{
	char *p = fixture("idle", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv a, b;
	struct got r;
	const struct plog_entry *e;

	tcpconv_init(&a, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &a);                            /* 1-3 */
	tcpconv_sends(g, &a, 1, "220 mx ESMTP\r\n");         /* 4 */
	tcpconv_init(&b, "10.0.0.3", 40001, "10.0.0.2", 25);
	b.ts_us = a.ts_us - 1000 + CAPTURE_IDLE_TIMEOUT_US - 3000;
	tcpconv_handshake(g, &b);                            /* 5-7 */
	a.ts_us = b.ts_us;
	tcpconv_sends(g, &a, 0, "QUIT\r\n");                 /* 8: exactly 600 s after 4: open */
	b.ts_us = a.ts_us;
	tcpconv_sends(g, &b, 1, "220 mx ESMTP\r\n");         /* 9 */
	b.ts_us = a.ts_us - 1000 + CAPTURE_IDLE_TIMEOUT_US + 1;
	tcpconv_sends(g, &b, 0, "EHLO b\r\n");               /* 10: flow 1 ends by timeout */
	a.ts_us = b.ts_us;
	tcpconv_sends(g, &a, 1, "221 bye\r\n");              /* 11: a new flow */
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 3);
	CHECK_INT(r.f[0].id, 1);
	CHECK_STR(r.f[0].end, "timeout");
	CHECK_STR(r.f[0].data[0], "QUIT\r\n");
	CHECK_STR(r.f[0].frames[0], "8");
	CHECK_INT(r.f[1].id, 2);
	CHECK_STR(r.f[1].end, "end of capture");
	CHECK_STR(r.f[1].data[0], "EHLO b\r\n");
	CHECK_INT(r.f[2].id, 3);
	CHECK(!r.f[2].syn);
	CHECK_INT(r.f[2].first_frame, 11);
	CHECK_STR(r.f[2].cli, "10.0.0.1:40000");
	CHECK_STR(r.f[2].data[1], "221 bye\r\n");
	CHECK_STR(r.f[2].end, "end of capture");
	CHECK_INT(plog_count(r.log), 1);
	e = got_log(&r, "tcp.timeout");
	CHECK(e != NULL);
	CHECK_INT(e->level, PLOG_INFO);
	CHECK_STR(e->source, p);
	CHECK_STR(e->where, "frame 8");
	CHECK_STR(e->message, "flow 1 10.0.0.1:40000 -> 10.0.0.2:25 ended by idle timeout: no"
	    " packet for more than 600 seconds after its last frame; a later packet on the same"
	    " endpoints starts a new flow");
	got_free(&r);
}

TEST(seq_wraparound)
{
	char *p = fixture("wrap", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const char *text = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	c.seq[0] = 0xffffffe0u;
	c.mss = 16;
	tcpconv_handshake(g, &c);
	tcpconv_sends(g, &c, 0, text);                 /* 4-6, across 2^32 */
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], text);
	CHECK_STR(r.f[0].frames[0], "4-6");
	CHECK_INT(r.f[0].ngaps[0], 0);
	got_free(&r);
}

/* Out-of-order segments that overlap while both wait for a hole to fill:
 * the first copy wins in the pending list too, and the differing bytes are a
 * conflict at the data offset they end up at. */
TEST(conflicting_overlap_out_of_order)
{
	char *p = fixture("pending_conflict", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, false);
	struct tcpconv c;
	struct got r;
	const struct plog_entry *e;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	tcpconv_handshake(g, &c);
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0], "AAAA", 4);            /* 4 */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 8, "CCCCDDDD", 8);    /* 5: waits */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 12, "XXXXEEEE", 8);   /* 6: 12-15 differ */
	tcpconv_segment(g, &c, 0, 0x18, c.seq[0] + 4, "BBBB", 4);        /* 7: fills the hole */
	c.seq[0] += 20;
	tcpconv_close(g, &c);
	pcapgen_close(g);
	got_run(&r, false, p, NULL);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].data[0], "AAAABBBBCCCCDDDDEEEE");
	CHECK_STR(r.f[0].frames[0], "4-7");
	CHECK_INT(r.f[0].ngaps[0], 0);
	CHECK_INT(r.f[0].nconf[0], 1);
	CHECK_INT(r.f[0].conf[0].off, 12);
	CHECK_INT(r.f[0].conf[0].len, 4);        /* "DDDD" against "XXXX" */
	CHECK_INT(r.f[0].conf[0].kept_frame, 5);
	CHECK_INT(r.f[0].conf[0].other_frame, 6);
	CHECK_INT(plog_count(r.log), 1);
	e = got_log(&r, "tcp.conflict");
	CHECK(e != NULL);
	CHECK_STR(e->where, "frame 6");
	CHECK_STR(e->message, "flow 1 10.0.0.1:40000 -> 10.0.0.2:25: 4 bytes at stream offset 12"
	    " arrived again with different contents; the first copy (frame 5) is kept");
	got_free(&r);
}

static void
count_flow(void *arg, struct flow *f)
{
	(*(size_t *)arg)++;
}

/* Memory does not grow with finished flows: 20,000 connections, one after
 * the other, each closed by FIN both ways; the table holds only the open
 * one and at most LINGER_MAX (256) closed ones waiting for their last ACKs.
 * With keep_all too (the streams command), where every payload is kept. */
TEST(finished_flows_freed)
{
	for (int keep = 0; keep < 2; keep++) {
		static struct limits lim;
		struct plog *log = plog_new();
		size_t ended = 0, open_end = 0;
		struct flow_sink sink = { &ended, count_flow };
		struct flows *t;
		int64_t ts = 1700000000000000LL;
		uint32_t frame = 0;

		limits_default(&lim);
		t = flows_new(log, &lim, keep == 1, &sink, NULL);
		for (unsigned i = 0; i < 20000; i++) {
			static const struct { int dir; uint8_t flags; uint32_t len; } pk[] = {
				{ 0, TCPF_SYN, 0 }, { 1, TCPF_SYN | TCPF_ACK, 0 }, { 0, TCPF_ACK, 0 },
				{ 1, TCPF_PSH | TCPF_ACK, 14 }, { 0, TCPF_PSH | TCPF_ACK, 6 },
				{ 0, TCPF_FIN | TCPF_ACK, 0 }, { 1, TCPF_FIN | TCPF_ACK, 0 },
				{ 0, TCPF_ACK, 0 },
			};
			uint32_t seq[2] = { 1000, 5000 };
			uint8_t cli[4] = { 10, 1, (uint8_t)(i >> 8), (uint8_t)i }, srv[4] = { 10, 0, 0, 2 };

			for (size_t k = 0; k < sizeof(pk) / sizeof(pk[0]); k++) {
				struct tcp_seg s;
				struct frame_ref at = { 1, 0, ++frame, ts };
				const char *data = pk[k].dir ? "220 mx ESMTP\r\n" : "QUIT\r\n";

				memset(&s, 0, sizeof(s));
				s.af = AF_INET;
				memcpy(s.src, pk[k].dir ? srv : cli, 4);
				memcpy(s.dst, pk[k].dir ? cli : srv, 4);
				s.sport = pk[k].dir ? 25 : (uint16_t)(1024 + i % 60000);
				s.dport = pk[k].dir ? (uint16_t)(1024 + i % 60000) : 25;
				s.seq = seq[pk[k].dir];
				s.ack = seq[!pk[k].dir];
				s.flags = pk[k].flags;
				s.payload = (const uint8_t *)data;
				s.len = s.wire_len = pk[k].len;
				seq[pk[k].dir] += pk[k].len + ((pk[k].flags & (TCPF_SYN | TCPF_FIN)) ? 1 : 0);
				flows_segment(t, &s, &at, 54 + pk[k].len);
				ts += 100;
			}
		}
		open_end = flows_open(t);
		CHECK(flows_open_max(t) <= 257);
		CHECK(open_end <= 256);
		CHECK_INT(ended + open_end, 20000);
		flows_free(t);
		CHECK_INT(ended, 20000);
		CHECK_INT(plog_count(log), 0);
		plog_free(log);
	}
}

struct table_full {
	size_t ended, full;
	uint64_t first_full_id;
	char first_full_end[24];
};

static void
table_full_flow(void *arg, struct flow *f)
{
	struct table_full *g = arg;

	g->ended++;
	if (strcmp(f->end, "flow table full") == 0 && g->full++ == 0)
		g->first_full_id = f->id;
	if (f->id == 1)
		snprintf(g->first_full_end, sizeof(g->first_full_end), "%s", f->end);
}

static void
table_full_syn(struct flows *t, unsigned i, uint32_t frame, int64_t ts)
{
	struct tcp_seg s;
	struct frame_ref at = { 1, 0, frame, ts };

	memset(&s, 0, sizeof(s));
	s.af = AF_INET;
	s.src[0] = 10;
	s.src[1] = (uint8_t)(i >> 16);
	s.src[2] = (uint8_t)(i >> 8);
	s.src[3] = (uint8_t)i;
	s.dst[0] = 192;
	s.dst[1] = 0;
	s.dst[2] = 2;
	s.dst[3] = 1;
	s.sport = 40000;
	s.dport = 80;
	s.seq = i;
	s.flags = TCPF_SYN;
	flows_segment(t, &s, &at, 54);
}

/* A SYN scan: every SYN opens a flow that never closes. The table stops at
 * CAPTURE_OPEN_FLOWS_MAX; each new flow past it ends the least recently
 * active one ("flow table full"), with one warning at the first and a count
 * at the end; a later packet of an ended flow starts a new one. */
TEST(flow_table_full)
{
	static struct limits lim;
	struct plog *log = plog_new();
	struct table_full g;
	struct flow_sink sink = { &g, table_full_flow };
	struct flows *t;
	const unsigned n = CAPTURE_OPEN_FLOWS_MAX + 10;
	const struct plog_entry *e;

	memset(&g, 0, sizeof(g));
	limits_default(&lim);
	t = flows_new(log, &lim, false, &sink, NULL);
	for (unsigned i = 0; i < n; i++)
		table_full_syn(t, i, i + 1, 1700000000000000LL + i);
	CHECK_INT(flows_open(t), CAPTURE_OPEN_FLOWS_MAX);
	CHECK_INT(flows_open_max(t), CAPTURE_OPEN_FLOWS_MAX);
	CHECK_INT(g.full, 10);
	CHECK_INT(g.first_full_id, 1);
	CHECK_STR(g.first_full_end, "flow table full");
	table_full_syn(t, 0, n + 1, 1700000000000000LL + n);    /* flow 1's endpoints again */
	CHECK_INT(g.full, 11);
	CHECK_INT(plog_count(log), 1);
	flows_free(t);
	CHECK_INT(g.ended, n + 1);
	CHECK_INT(g.full, 11);
	CHECK_INT(plog_count(log), 2);
	e = plog_get(log, 0);
	CHECK_STR(e->code, "tcp.flow_table_full");
	CHECK_INT(e->level, PLOG_WARN);
	CHECK_STR(e->where, "frame 1");
	CHECK_STR(e->message, "65536 TCP flows were open at once, the most kept: flow 1"
	    " 10.0.0.0:40000 -> 192.0.2.1:80, the least recently active, ended after its last frame"
	    " to make room; a later packet on its endpoints starts a new flow");
	e = plog_get(log, 1);
	CHECK_STR(e->code, "tcp.flow_table_full");
	CHECK_STR(e->where, "frame 1");
	CHECK_STR(e->message, "11 TCP flows in all were ended early, the first after this frame,"
	    " because 65536 flows were open at once (end reason \"flow table full\")");
	plog_free(log);
}

/* Other link layers: the same small SMTP conversation on each, its bytes and
 * frames checked exactly. Frames: 1-3 handshake, 4 greeting, 5 EHLO, 6, 7
 * MAIL FROM, 8, 9 QUIT, 10, 11-13 close. */
static const char smtp_c2s[] = "EHLO a\r\nMAIL FROM:<a@example.org>\r\nQUIT\r\n";
static const char smtp_s2c[] = "220 mx ESMTP\r\n250 mx\r\n250 ok\r\n221 bye\r\n";

static void
smtp_conv(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_handshake(g, c);
	tcpconv_sends(g, c, 1, "220 mx ESMTP\r\n");
	tcpconv_sends(g, c, 0, "EHLO a\r\n");
	tcpconv_sends(g, c, 1, "250 mx\r\n");
	tcpconv_sends(g, c, 0, "MAIL FROM:<a@example.org>\r\n");
	tcpconv_sends(g, c, 1, "250 ok\r\n");
	tcpconv_sends(g, c, 0, "QUIT\r\n");
	tcpconv_sends(g, c, 1, "221 bye\r\n");
	tcpconv_close(g, c);
}

/* The same conversation over IPv6 (tcpconv speaks IPv4 only). */
static void
smtp_conv6(struct pcapgen *g)
{
	static const char *const lines[][2] = {
		{ NULL, "220 mx ESMTP\r\n" }, { "EHLO a\r\n", "250 mx\r\n" },
		{ "MAIL FROM:<a@example.org>\r\n", "250 ok\r\n" }, { "QUIT\r\n", "221 bye\r\n" },
	};
	uint8_t a[16], b[16], f[256];
	uint32_t seq[2] = { 1000, 5000 };
	uint64_t ts = 1255181648000000ULL;
	size_t n;

	if (inet_pton(AF_INET6, "2001:db8::1", a) != 1 || inet_pton(AF_INET6, "2001:db8::2", b) != 1)
		abort();
#define SEG6(dir, flags, text, adv) do { \
	const char *t_ = (text); \
	size_t l_ = t_ ? strlen(t_) : 0; \
	n = (dir) == 0 ? pcapgen_eth_ipv6_tcp(f, a, 40000, b, 25, seq[0], seq[1], (flags), t_, l_) \
	    : pcapgen_eth_ipv6_tcp(f, b, 25, a, 40000, seq[1], seq[0], (flags), t_, l_); \
	pcapgen_frame_eth(g, ts, (dir), f, n); \
	ts += 1000; \
	seq[dir] += (uint32_t)l_ + (adv); \
} while (0)
	SEG6(0, 0x02, NULL, 1);
	SEG6(1, 0x12, NULL, 1);
	SEG6(0, 0x10, NULL, 0);
	for (size_t i = 0; i < 4; i++) {
		if (lines[i][0])
			SEG6(0, 0x18, lines[i][0], 0);
		SEG6(1, 0x18, lines[i][1], 0);
	}
	SEG6(0, 0x11, NULL, 1);
	SEG6(1, 0x11, NULL, 1);
	SEG6(0, 0x10, NULL, 0);
#undef SEG6
}

/* Runs the file and checks its one SMTP flow exactly. */
static void
check_smtp_file(const char *p, const char *link, const char *format, bool v6)
{
	struct got r;

	got_run(&r, false, p, NULL);
	if (r.n != 1 || plog_count(r.log) != 0) {
		for (size_t i = 0; i < plog_count(r.log); i++)
			fprintf(stderr, "  log: %s %s %s\n", plog_get(r.log, i)->code,
			    plog_get(r.log, i)->where, plog_get(r.log, i)->message);
	}
	CHECK_STR(capture_file_get(r.cap, 0)->link_types, link);
	CHECK_STR(capture_file_get(r.cap, 0)->format, format);
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 13);
	CHECK_INT(plog_count(r.log), 0);
	CHECK_INT(r.n, 1);
	CHECK_STR(r.f[0].cli, v6 ? "2001:db8::1:40000" : "10.0.0.1:40000");
	CHECK_STR(r.f[0].srv, v6 ? "2001:db8::2:25" : "10.0.0.2:25");
	CHECK_STR(r.f[0].app, "smtp");
	CHECK_STR(r.f[0].data[0], smtp_c2s);
	CHECK_STR(r.f[0].data[1], smtp_s2c);
	CHECK_STR(r.f[0].frames[0], "5,7,9");
	CHECK_STR(r.f[0].frames[1], "4,6,8,10");
	CHECK_INT(r.f[0].pkts[0], 7);
	CHECK_INT(r.f[0].pkts[1], 6);
	CHECK_INT(r.f[0].first_frame, 1);
	CHECK(r.f[0].syn);
	CHECK_STR(r.f[0].end, "fin");
	got_free(&r);
}

static void
link_fixture(const char *name, int linktype, bool v6, bool null_be, const char *link)
{
	char *p = fixture(name, "a.pcap");
	struct pcapgen *g = pcapgen_open(p, linktype, false);
	struct tcpconv c;

	pcapgen_null_big_endian(g, null_be);
	if (v6) {
		smtp_conv6(g);
	} else {
		tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
		smtp_conv(g, &c);
	}
	pcapgen_close(g);
	check_smtp_file(p, link, "pcap (microsecond, little-endian)", v6);
}

TEST(link_linux_sll)
{
	link_fixture("sll", DLT_LINUX_SLL, false, false, "LINUX_SLL");
}

TEST(link_linux_sll2_ipv6)
{
	link_fixture("sll2", DLT_LINUX_SLL2, true, false, "LINUX_SLL2");
}

TEST(link_raw)
{
	link_fixture("raw", DLT_RAW, false, false, "RAW");
}

TEST(link_ipv4)
{
	link_fixture("ipv4", DLT_IPV4, false, false, "IPV4");
}

TEST(link_ipv6)
{
	link_fixture("ipv6link", DLT_IPV6, true, false, "IPV6");
}

TEST(link_null_host_order)
{
	link_fixture("null_le", DLT_NULL, false, false, "NULL");
}

TEST(link_null_big_endian_ipv6)
{
	link_fixture("null_be", DLT_NULL, true, true, "NULL");
}

TEST(link_loop)
{
	link_fixture("loop", DLT_LOOP, false, false, "LOOP");
}

TEST(link_80211_radiotap)
{
	link_fixture("radiotap", DLT_IEEE802_11_RADIO, false, false, "IEEE802_11_RADIO");
}

TEST(link_80211_radiotap_ipv6)
{
	link_fixture("radiotap6", DLT_IEEE802_11_RADIO, true, false, "IEEE802_11_RADIO");
}

/* Nanosecond timestamps keep their microseconds (truncated, not rounded);
 * the same file byte-swapped reads as a big-endian capture. */
TEST(nanosecond_and_big_endian)
{
	char *p = fixture("nsec", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_EN10MB, true);
	struct tcpconv c;
	struct got r;
	uint64_t t0;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	c.sub_ns = 999;
	t0 = c.ts_us;
	smtp_conv(g, &c);
	pcapgen_close(g);
	check_smtp_file(p, "EN10MB", "pcap (nanosecond, little-endian)", false);
	if (check_failed_now())
		return;
	got_run(&r, false, p, NULL);
	CHECK_INT(capture_file_get(r.cap, 0)->first_us, (int64_t)t0);
	CHECK_INT(capture_file_get(r.cap, 0)->last_us, (int64_t)t0 + 12000);
	CHECK_INT(r.f[0].first_us, (int64_t)t0);
	CHECK_INT(r.f[0].last_us, (int64_t)t0 + 12000);
	got_free(&r);
	CHECK_INT(pcapgen_swap_file(p), 0);
	check_smtp_file(p, "EN10MB", "pcap (nanosecond, big-endian)", false);
	if (check_failed_now())
		return;
	got_run(&r, false, p, NULL);
	CHECK_INT(r.f[0].first_us, (int64_t)t0);
	got_free(&r);
}

TEST(big_endian_microsecond)
{
	char *p = fixture("bigend", "a.pcap");
	struct pcapgen *g = pcapgen_open(p, DLT_LINUX_SLL, false);
	struct tcpconv c;

	tcpconv_init(&c, "10.0.0.1", 40000, "10.0.0.2", 25);
	smtp_conv(g, &c);
	pcapgen_close(g);
	CHECK_INT(pcapgen_swap_file(p), 0);
	check_smtp_file(p, "LINUX_SLL", "pcap (microsecond, big-endian)", false);
}

TEST(corpus_evidence02_smtp_frames)
{
	const char *corpus = check_corpus();
	char path[512];
	struct got r;
	const char *u, *pw;

	snprintf(path, sizeof(path), "%s/evidence02.pcap", corpus);
	got_run(&r, false, path, NULL);
	CHECK_INT(capture_file_get(r.cap, 0)->packets, 572);
	CHECK_INT(r.n, 2);
	CHECK_STR(r.f[0].cli, "192.168.1.159:1036");
	CHECK_STR(r.f[0].srv, "64.12.102.142:587");
	CHECK_STR(r.f[0].app, "smtp");
	CHECK_INT(r.f[0].first_frame, 53);
	CHECK_INT(r.f[0].pkts[0] + r.f[0].pkts[1], 36);
	CHECK(strncmp(r.f[0].data[1], "220 cia-mc06.mx.aol.com ESMTP", 29) == 0);
	u = strstr(r.f[0].data[0], "c25lYWt5ZzMza0Bhb2wuY29t");
	pw = strstr(r.f[0].data[0], "NTU4cjAwbHo=");
	CHECK(u != NULL && pw != NULL);
	CHECK_STR(r.f[0].frames[0], "57,60,63,66,69,72,75,78,80,83");
	CHECK_STR(r.f[1].cli, "192.168.1.159:1038");
	CHECK_INT(r.f[1].pkts[0] + r.f[1].pkts[1], 454);
	got_free(&r);
}

/* Frames of exact byte ranges of evidence02 session 1. */
struct probe { char user[32], pass[32], hs[8]; int n; };

static void
probe_flow(void *arg, struct flow *f)
{
	struct probe *p = arg;
	const char *d = f->dir[DIR_C2S].data.p;
	const char *u, *pw;
	struct buf b;

	if (f->id != 1 || d == NULL)
		return;
	p->n++;
	u = strstr(d, "c25lYWt5ZzMza0Bhb2wuY29t");
	pw = strstr(d, "NTU4cjAwbHo=");
	if (u == NULL || pw == NULL)
		return;
	buf_init(&b, 31);
	stream_frames(&f->dir[DIR_C2S], (uint64_t)(u - d), 24, &b);
	snprintf(p->user, sizeof(p->user), "%s", buf_str(&b));
	buf_reset(&b);
	stream_frames(&f->dir[DIR_C2S], (uint64_t)(pw - d), 12, &b);
	snprintf(p->pass, sizeof(p->pass), "%s", buf_str(&b));
	buf_free(&b);
	snprintf(p->hs, sizeof(p->hs), "%u", f->first_frame.frame);
}

TEST(corpus_evidence02_credential_frames)
{
	char path[512];
	struct limits lim;
	struct plog *log = plog_new();
	struct capture *c;
	struct probe p;
	struct flow_sink sink = { &p, probe_flow };

	memset(&p, 0, sizeof(p));
	snprintf(path, sizeof(path), "%s/evidence02.pcap", check_corpus());
	limits_default(&lim);
	c = capture_new(log, &lim, NULL);
	capture_add_file(c, path, 1);
	capture_run(c, &sink);
	capture_free(c);
	plog_free(log);
	CHECK_INT(p.n, 1);
	CHECK_STR(p.hs, "53");
	CHECK_STR(p.user, "63");
	CHECK_STR(p.pass, "66");
}

int
main(void)
{
	RUN(in_order_with_provenance);
	RUN(stream_frames_ranges);
	RUN(out_of_order);
	RUN(reordered_flow_kept_whole);
	RUN(reorder_ceiling_said);
	RUN(retransmission_and_conflict);
	RUN(conflicting_overlap_out_of_order);
	RUN(first_arrival_wins_over_in_order_copy);
	RUN(gap_never_filled);
	RUN(syn_with_new_isn);
	RUN(syn_data_and_keepalive);
	RUN(gap);
	RUN(mid_stream_start);
	RUN(qinq_vlan_and_content_detection);
	RUN(non_mail_not_kept);
	RUN(ipv6);
	RUN(ipv4_fragments);
	RUN(pcapng_two_interfaces);
	RUN(pcapng_mixed_link_types);
	RUN(pcapng_mixed_link_types_cut);
	RUN(two_files_one_capture);
	RUN(truncated_file);
	RUN(read_hash_is_the_file);
	RUN(corrupt_record_header);
	RUN(port_reuse);
	RUN(seq_wraparound);
	RUN(idle_timeout);
	RUN(finished_flows_freed);
	RUN(flow_table_full);
	RUN(link_linux_sll);
	RUN(link_linux_sll2_ipv6);
	RUN(link_raw);
	RUN(link_ipv4);
	RUN(link_ipv6);
	RUN(link_null_host_order);
	RUN(link_null_big_endian_ipv6);
	RUN(link_loop);
	RUN(link_80211_radiotap);
	RUN(link_80211_radiotap_ipv6);
	RUN(nanosecond_and_big_endian);
	RUN(big_endian_microsecond);
	if (check_corpus()) {
		RUN(corpus_evidence02_smtp_frames);
		RUN(corpus_evidence02_credential_frames);
	} else {
		SKIP(corpus_evidence02_smtp_frames, "corpus not found");
		SKIP(corpus_evidence02_credential_frames, "corpus not found");
	}
	return check_done();
}
