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

#endif
