/* Tests of the tunnel layers of src/capture/decode.c: every encapsulation
 * tests/lib/pcapgen.c builds, from the RFCs' header layouts, decodes to the
 * same inner TCP segment; the encapsulation ceiling stops and counts; broken
 * tunnel headers are malformed with their position; TSO's total length 0
 * takes the captured length. (The whole SMTP sessions inside each tunnel are
 * the golden capture cases 50-65.) */
#include "check.h"
#include "pcapgen.h"

#include "capture/capture.h"
#include "capture/decode.h"
#include "util/limits.h"
#include "util/plog.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const uint8_t cli[4] = { 192, 0, 2, 10 }, srv[4] = { 198, 51, 100, 25 };

/* An Ethernet/IPv4/TCP frame from the client: "EHLO x\r\n". */
static size_t
frame(uint8_t *out)
{
	return pcapgen_eth_ipv4_tcp(out, cli, 1050, srv, 25, 1000, 2000, 0x18, "EHLO x\r\n", 8);
}

static enum decode_result
decode(struct decoder *d, const uint8_t *p, size_t n, struct tcp_seg *seg, const char **why,
    size_t *where)
{
	return decode_frame(d, DLT_EN10MB, p, n, 0, seg, why, where);
}

TEST(every_tunnel_to_the_same_segment)
{
	static const int kinds[] = {
		PCAPGEN_GRE, PCAPGEN_GRE_OPTS, PCAPGEN_GRE_TEB, PCAPGEN_ERSPAN1, PCAPGEN_ERSPAN2,
		PCAPGEN_ERSPAN3, PCAPGEN_VXLAN, PCAPGEN_GENEVE, PCAPGEN_PPPOE, PCAPGEN_QINQ_PPPOE,
		PCAPGEN_MPLS, PCAPGEN_MPLS_PW, PCAPGEN_IPIP, PCAPGEN_6IN4, PCAPGEN_4IN6,
	};
	uint8_t f[128], w[128 + PCAPGEN_ENCAP_ROOM];
	size_t n = frame(f), m, where, i;
	struct decoder *d = decoder_new();
	struct tcp_seg seg;
	const char *why;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		m = pcapgen_encap_frame(kinds[i], 0, f, n, w);
		CHECK(m > n);
		memset(&seg, 0, sizeof(seg));
		if (decode(d, w, m, &seg, &why, &where) != DECODE_TCP) {
			check_fail(__FILE__, __LINE__, "tunnel %d: %s at %zu", kinds[i],
			    why ? why : "not TCP", where);
			decoder_free(d);
			return;
		}
		CHECK_INT(seg.af, kinds[i] == PCAPGEN_6IN4 ? AF_INET6 : AF_INET);
		CHECK(memcmp(seg.src + (kinds[i] == PCAPGEN_6IN4 ? 12 : 0), cli, 4) == 0);
		CHECK(memcmp(seg.dst + (kinds[i] == PCAPGEN_6IN4 ? 12 : 0), srv, 4) == 0);
		CHECK_INT(seg.sport, 1050);
		CHECK_INT(seg.dport, 25);
		CHECK_INT(seg.seq, 1000);
		CHECK_INT(seg.len, 8);
		CHECK(memcmp(seg.payload, "EHLO x\r\n", 8) == 0);
	}
	CHECK_INT(decoder_encap_capped(d), 0);
	decoder_free(d);
}

/* n GRE layers around the frame, each the previous frame in GRE/TEB. */
static size_t
nested(uint8_t *out, int layers)
{
	uint8_t a[2048], b[2048];
	size_t n = frame(a);

	for (int i = 0; i < layers; i++) {
		n = pcapgen_encap_frame(i % 2 ? PCAPGEN_GRE_TEB : PCAPGEN_VXLAN, 0, a, n, b);
		memcpy(a, b, n);
	}
	memcpy(out, a, n);
	return n;
}

TEST(encapsulation_ceiling)
{
	uint8_t f[2048];
	size_t n, where;
	struct decoder *d = decoder_new();
	struct tcp_seg seg;
	const char *why;

	/* VXLAN and GRE count one layer each, UDP not separately */
	n = nested(f, DECODE_ENCAP_DEFAULT);
	CHECK_INT(decode(d, f, n, &seg, &why, &where), DECODE_TCP);
	CHECK_INT(seg.len, 8);
	n = nested(f, DECODE_ENCAP_DEFAULT + 1);
	CHECK_INT(decode(d, f, n, &seg, &why, &where), DECODE_OTHER);
	CHECK_INT(decoder_encap_capped(d), 1);
	decoder_set_encap_max(d, 2);
	n = nested(f, 3);
	CHECK_INT(decode(d, f, n, &seg, &why, &where), DECODE_OTHER);
	n = nested(f, 2);
	CHECK_INT(decode(d, f, n, &seg, &why, &where), DECODE_TCP);
	CHECK_INT(decoder_encap_capped(d), 2);
	decoder_free(d);
}

/* Through the capture stage: one warning for the whole capture, naming the
 * first frame and the count, at the ceiling limits.h gives. */
TEST(encapsulation_ceiling_logged_once)
{
	char *path = malloc(512);
	struct limits lim;
	struct plog *log = plog_new();
	struct capture *cap;
	struct flow_sink sink = { 0 };
	struct pcapgen *g;
	uint8_t f[2048];
	size_t n, i, hits = 0;
	const struct plog_entry *e = NULL;

	snprintf(path, 512, "%s/deep.pcap", check_tmpdir("encap_logged"));
	g = pcapgen_open(path, DLT_EN10MB, false);
	n = frame(f);
	pcapgen_frame(g, 1000000, f, n);
	for (i = 0; i < 3; i++) {
		n = nested(f, 3);
		pcapgen_frame(g, 2000000 + i, f, n);
	}
	pcapgen_close(g);
	limits_default(&lim);
	lim.encap_depth = 2;
	cap = capture_new(log, &lim, NULL);
	capture_add_file(cap, path, 1);
	capture_run(cap, &sink);
	for (i = 0; i < plog_count(log); i++)
		if (strcmp(plog_get(log, i)->code, "capture.encap_depth") == 0) {
			e = plog_get(log, i);
			hits++;
		}
	CHECK_INT(hits, 1);
	CHECK_INT(e->level, PLOG_WARN);
	CHECK_STR(e->where, "frame 2");
	CHECK_STR(e->message, "3 frames are nested in more than 2 tunnel layers (GRE, VXLAN,"
	    " Geneve, PPPoE, MPLS, IP in IP) and were not decoded; the first is frame 2");
	capture_free(cap);
	plog_free(log);
	free(path);
}

/* Headers that lie: malformed, with the offset of what was wrong. */
TEST(broken_tunnel_headers)
{
	uint8_t f[128], w[128 + PCAPGEN_ENCAP_ROOM];
	size_t n = frame(f), m, where, i;
	struct decoder *d = decoder_new();
	struct tcp_seg seg;
	const char *why;

	/* ERSPAN II whose header says version 2: at the ERSPAN header (14+20+8) */
	m = pcapgen_encap_frame(PCAPGEN_ERSPAN2, 0, f, n, w);
	w[42] = 0x20;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_BAD);
	CHECK_STR(why, "ERSPAN version does not match its GRE protocol type");
	CHECK_INT(where, 42);
	/* GRE cut off after its first two bytes */
	m = pcapgen_encap_frame(PCAPGEN_GRE, 0, f, n, w);
	CHECK_INT(decode(d, w, 36, &seg, &why, &where), DECODE_BAD);
	CHECK_STR(why, "GRE header cut off");
	CHECK_INT(where, 36);
	/* GRE version 1 (PPTP) and a routing bit (RFC 1701) are not followed */
	w[35] = 0x01;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_OTHER);
	w[35] = 0x00, w[34] = 0x40;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_OTHER);
	/* Geneve options longer than the frame: Opt Len 63 */
	m = pcapgen_encap_frame(PCAPGEN_GENEVE, 0, f, n, w);
	w[42] = 0x3f;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_BAD);
	CHECK_STR(why, "Geneve header or options cut off");
	/* VXLAN's header on another UDP port is not VXLAN */
	m = pcapgen_encap_frame(PCAPGEN_VXLAN, 0, f, n, w);
	w[36] = 0x00, w[37] = 53;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_OTHER);
	/* an MPLS stack without bottom of stack: 17 entries */
	memcpy(w, f, 12);
	w[12] = 0x88, w[13] = 0x47;
	for (i = 0; i < 17; i++)
		memset(w + 14 + 4 * i, 0, 4);
	memcpy(w + 14 + 68, f + 14, n - 14);
	CHECK_INT(decode(d, w, 14 + 68 + n - 14, &seg, &why, &where), DECODE_BAD);
	CHECK_STR(why, "MPLS label stack of more than 16 entries");
	CHECK_INT(where, 14);
	/* PPPoE carrying LCP (0xc021), and the discovery stage's ethertype */
	m = pcapgen_encap_frame(PCAPGEN_PPPOE, 0, f, n, w);
	w[20] = 0xc0, w[21] = 0x21;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_OTHER);
	w[20] = 0x00, w[21] = 0x21, w[13] = 0x63;
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_OTHER);
	/* a compressed (one-byte) PPP protocol field: RFC 1661 6.5 */
	m = pcapgen_encap_frame(PCAPGEN_PPPOE, 0, f, n, w);
	memmove(w + 20, w + 21, m - 21);
	w[18] = 0, w[19] = (uint8_t)(w[19] - 1);
	CHECK_INT(decode(d, w, m - 1, &seg, &why, &where), DECODE_TCP);
	decoder_free(d);
}

/* Wireshark's TSO rule: an IPv4 total length of 0 reads to the end of the
 * captured data; a real total length still cuts Ethernet padding. */
TEST(tso_total_length_zero)
{
	uint8_t f[128], w[128 + PCAPGEN_ENCAP_ROOM];
	size_t n = frame(f), m, where;
	struct decoder *d = decoder_new();
	struct tcp_seg seg;
	const char *why;

	m = pcapgen_encap_frame(PCAPGEN_TSO, 0, f, n, w);
	CHECK_INT(decode(d, w, m, &seg, &why, &where), DECODE_TCP);
	CHECK_INT(seg.len, 8);
	CHECK_INT(seg.wire_len, 8);
	CHECK_INT(decoder_tso_packets(d), 1);
	memset(f + n, 0, 16);             /* padding after a real total length */
	CHECK_INT(decode(d, f, n + 16, &seg, &why, &where), DECODE_TCP);
	CHECK_INT(seg.len, 8);
	CHECK_INT(decoder_tso_packets(d), 1);
	decoder_free(d);
}

int
main(void)
{
	RUN(every_tunnel_to_the_same_segment);
	RUN(encapsulation_ceiling);
	RUN(encapsulation_ceiling_logged_once);
	RUN(broken_tunnel_headers);
	RUN(tso_total_length_zero);
	return check_done();
}
