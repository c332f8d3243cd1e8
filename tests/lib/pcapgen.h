/* pcapgen.h - capture fixtures written through libpcap's dump API.
 *
 * Tests and the benchmark generator build their captures with this: a dump
 * file (pcap, micro- or nanosecond), raw frames, and TCP conversations over
 * Ethernet/IPv4 whose segments, handshakes and closes are written for you.
 * Timestamps are in microseconds since the epoch. Frame numbers start at 1 in
 * the order frames are written (pcapgen_frames() tells how many so far). */
#ifndef MC_PCAPGEN_H
#define MC_PCAPGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcapgen;

struct pcapgen *pcapgen_open(const char *path, int linktype, bool nsec);
void pcapgen_close(struct pcapgen *g);
void pcapgen_frame(struct pcapgen *g, uint64_t ts_us, const void *frame, size_t len);
unsigned pcapgen_frames(const struct pcapgen *g);

/* One TCP conversation over Ethernet + IPv4. dir 0 is client to server. */
struct tcpconv {
	uint8_t cli_ip[4], srv_ip[4];
	uint16_t cli_port, srv_port;
	uint32_t seq[2];       /* next sequence number per direction */
	uint64_t ts_us;        /* time of the next frame; each frame adds step_us */
	uint64_t step_us;
	size_t mss;            /* payload per segment; 0 means 1460 */
	uint32_t sub_ns;       /* nanoseconds added to each frame's time (nanosecond writers) */
};

void tcpconv_init(struct tcpconv *c, const char *cli_ip, uint16_t cli_port,
    const char *srv_ip, uint16_t srv_port);
void tcpconv_handshake(struct pcapgen *g, struct tcpconv *c);
/* Sends len bytes in one direction, split at mss, each segment ACKed. */
void tcpconv_send(struct pcapgen *g, struct tcpconv *c, int dir, const void *data, size_t len);
void tcpconv_sends(struct pcapgen *g, struct tcpconv *c, int dir, const char *text);
/* One raw segment: flags as in the TCP header (0x02 SYN, 0x10 ACK, 0x01 FIN,
 * 0x04 RST, 0x18 PSH|ACK); seq is absolute; does not move c->seq. */
void tcpconv_segment(struct pcapgen *g, struct tcpconv *c, int dir, uint8_t flags,
    uint32_t seq, const void *data, size_t len);
void tcpconv_close(struct pcapgen *g, struct tcpconv *c);

/* Bytes of one direction, as one flight (the TLS fixtures record their
 * handshakes so, in the order the two sides wrote them). */
struct pcapgen_chunk {
	int dir;
	const void *p;
	size_t len;
};
/* Sends the chunks in order (each split at mss). */
void tcpconv_chunks(struct pcapgen *g, struct tcpconv *c, const struct pcapgen_chunk *ch, size_t n);
/* An SMTP session up to an accepted STARTTLS (RFC 3207 4): the handshake,
 * "220 mx.example.test ESMTP", "EHLO client.example.test", a 250 reply
 * offering STARTTLS, "STARTTLS", "220 2.0.0 Ready to start TLS". What the
 * caller sends next is what followed it. */
void tcpconv_smtp_starttls(struct pcapgen *g, struct tcpconv *c);
/* One plain SMTP transaction (RFC 5321 3.3): EHLO, MAIL FROM, RCPT TO, DATA,
 * the message (CR LF lines, dot-stuffed here), ".", QUIT, each answered. */
void tcpconv_smtp_mail(struct pcapgen *g, struct tcpconv *c, const char *from, const char *rcpt,
    const char *message);
/* tcpconv_* write through pcapgen_frame_eth(): on a writer whose link type
 * is not Ethernet, each frame is re-framed for that link type. */

/* Builds Ethernet + IPv4 + TCP into out (at least 54 + len bytes); returns
 * the frame length. Checksums are computed. */
size_t pcapgen_eth_ipv4_tcp(uint8_t *out, const uint8_t src[4], uint16_t sport,
    const uint8_t dst[4], uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    const void *data, size_t len);

/* Ethernet + IPv6 + TCP, like pcapgen_eth_ipv4_tcp (at least 74 + len bytes). */
size_t pcapgen_eth_ipv6_tcp(uint8_t *out, const uint8_t src[16], uint16_t sport,
    const uint8_t dst[16], uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    const void *data, size_t len);

/* A pcapng writer (libpcap writes only pcap): a Section Header Block, one
 * Interface Description Block per pcapng_gen_iface() (microsecond
 * timestamps), and Enhanced Packet Blocks, little-endian. */
struct pcapng_gen;
struct pcapng_gen *pcapng_gen_open(const char *path);
/* Returns the interface id. */
unsigned pcapng_gen_iface(struct pcapng_gen *g, int linktype);
void pcapng_gen_packet(struct pcapng_gen *g, unsigned iface, uint64_t ts_us, const void *frame,
    size_t len);
void pcapng_gen_close(struct pcapng_gen *g);

/* Other link layers. The builders above make Ethernet frames; this replaces
 * the Ethernet header by the header of linktype: DLT_EN10MB (unchanged),
 * DLT_LINUX_SLL, DLT_LINUX_SLL2 (packet type "outgoing" for dir 0, "to us"
 * for dir 1), DLT_RAW, DLT_IPV4, DLT_IPV6 (no header), DLT_NULL (address
 * family in little-endian order, or big-endian with null_big_endian),
 * DLT_LOOP (family in network order), DLT_IEEE802_11_RADIO (a radiotap
 * header with TSFT, Flags (FCS at end) and Rate; dir 0 a QoS data frame to
 * the AP, dir 1 a plain data frame from it; LLC/SNAP; a correct FCS).
 * Families: 2 for IPv4, 30 (BSD AF_INET6 as Darwin numbers it) for IPv6.
 * out must hold len + 64 bytes. Returns the new length; aborts on a link
 * type it does not know. */
size_t pcapgen_link_from_eth(int linktype, int dir, bool null_big_endian, const uint8_t *eth,
    size_t len, uint8_t *out);
/* Writes an Ethernet frame re-framed for the writer's link type. */
void pcapgen_frame_eth(struct pcapgen *g, uint64_t ts_us, int dir, const void *eth, size_t len);
/* Tunnels: with pcapgen_encap(g, kind), every frame written through
 * pcapgen_frame_eth() (so every tcpconv_* frame) is carried the way a
 * capture on the tunnel's underlay shows it, between the tunnel endpoints
 * 203.0.113.1 and 203.0.113.2 (2001:db8:ffff::1 and ::2):
 *   GRE          IPv4 in GRE (RFC 2784) in IPv4
 *   GRE_OPTS     the same with checksum, key and sequence number (RFC 2890)
 *   GRE_TEB      the whole Ethernet frame in GRE, protocol 0x6558
 *   ERSPAN1/2/3  the Ethernet frame mirrored by ERSPAN type I (GRE 0x88be,
 *                no header), II (0x88be, sequence, 8-byte header) or III
 *                (0x22eb, 12-byte header with a platform subheader)
 *   VXLAN        the Ethernet frame in VXLAN (RFC 7348, VNI 42) in UDP 4789
 *   GENEVE       the Ethernet frame in Geneve (RFC 8926) with one 8-byte
 *                option, UDP 6081
 *   PPPOE        the IP packet in a PPPoE session (RFC 2516), PPP 0x0021
 *   QINQ_PPPOE   the same behind an 802.1ad and an 802.1Q tag
 *   MPLS         the IP packet under two MPLS labels (RFC 3032)
 *   MPLS_PW      the Ethernet frame in an MPLS pseudowire with a control
 *                word (RFC 4448, RFC 4385)
 *   IPIP         IPv4 in IPv4 (protocol 4, RFC 2003)
 *   6IN4         the packet rebuilt as IPv6 (addresses 2001:db8::a.b.c.d)
 *                in IPv4 (protocol 41, RFC 4213)
 *   4IN6         IPv4 in IPv6 (next header 4, RFC 2473)
 *   TSO          not a tunnel: the IPv4 total length set to 0, as TCP
 *                segmentation offload leaves it on the sending host
 * The frames must be Ethernet + IPv4 + TCP as the builders above make them. */
enum {
	PCAPGEN_PLAIN, PCAPGEN_GRE, PCAPGEN_GRE_OPTS, PCAPGEN_GRE_TEB, PCAPGEN_ERSPAN1,
	PCAPGEN_ERSPAN2, PCAPGEN_ERSPAN3, PCAPGEN_VXLAN, PCAPGEN_GENEVE, PCAPGEN_PPPOE,
	PCAPGEN_QINQ_PPPOE, PCAPGEN_MPLS, PCAPGEN_MPLS_PW, PCAPGEN_IPIP, PCAPGEN_6IN4,
	PCAPGEN_4IN6, PCAPGEN_TSO,
};
/* Bytes a wrapped frame may add. */
#define PCAPGEN_ENCAP_ROOM 160
void pcapgen_encap(struct pcapgen *g, int kind);
/* The kind of a name ("gre", "gre-options", "gre-teb", "erspan1", "erspan2",
 * "erspan3", "vxlan", "geneve", "pppoe", "qinq-pppoe", "mpls", "mpls-pw",
 * "ipip", "6in4", "4in6", "tso", "plain"), or -1. */
int pcapgen_encap_named(const char *name);
/* Wraps one Ethernet frame; out must hold len + PCAPGEN_ENCAP_ROOM bytes. */
size_t pcapgen_encap_frame(int kind, int dir, const uint8_t *eth, size_t len, uint8_t *out);
/* DLT_NULL writers: the family in big-endian order (a big-endian host). */
void pcapgen_null_big_endian(struct pcapgen *g, bool on);
/* A frame with a nanosecond timestamp (writers opened with nsec). */
void pcapgen_frame_ns(struct pcapgen *g, uint64_t ts_ns, const void *frame, size_t len);
/* Byte-swaps every header of a closed pcap file in place (the file header
 * and each record header), so a file written in this host's order reads as
 * one written on a host of the other order. Returns 0, or -1 when the file
 * cannot be read or written or is not a pcap file. */
int pcapgen_swap_file(const char *path);

#endif
