/* decode.h - link, network and transport decoding of one captured frame,
 * down to a TCP segment, with IPv4/IPv6 fragment reassembly.
 *
 * The decoder owns its fragment table; the payload of a decoded segment is
 * borrowed from the frame or from the decoder and is valid until the next
 * decode_frame() call. */
#ifndef MC_DECODE_H
#define MC_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_PSH = 0x08, TCPF_ACK = 0x10 };

struct tcp_seg {
	int af;                         /* AF_INET or AF_INET6 */
	uint8_t src[16], dst[16];       /* IPv4 addresses in the first 4 bytes */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *payload;
	size_t len;                     /* captured payload bytes */
	size_t wire_len;                /* payload bytes the IP header announces */
};

enum decode_result {
	DECODE_TCP,                     /* *seg is filled */
	DECODE_OTHER,                   /* not TCP (or a link type not decoded): ignored */
	DECODE_HELD,                    /* a fragment kept until its datagram is complete */
	DECODE_BAD                      /* malformed: *why says what, *where the frame offset */
};

struct decoder;

struct decoder *decoder_new(void);
void decoder_free(struct decoder *d);
/* linktype is the DLT_ value of the frame's interface. */
enum decode_result decode_frame(struct decoder *d, int linktype, const uint8_t *p, size_t caplen,
    int64_t ts_us, struct tcp_seg *seg, const char **why, size_t *where);
/* Tunnel layers (GRE, ERSPAN, VXLAN, Geneve, PPPoE, MPLS, IP in IP) followed
 * in one frame; limits.h's encap_depth sets it (decoder_set_encap_max). */
#define DECODE_ENCAP_DEFAULT 8
void decoder_set_encap_max(struct decoder *d, unsigned n);
/* Frames not decoded because they were nested deeper than that. */
uint64_t decoder_encap_capped(const struct decoder *d);
/* IPv4 packets whose total length was 0 (TCP segmentation offload seen on
 * the sending host): their length was taken from the captured bytes, as
 * Wireshark does. */
uint64_t decoder_tso_packets(const struct decoder *d);
/* Fragments dropped because the table was full or they timed out. */
uint64_t decoder_frags_dropped(const struct decoder *d);
/* Short name of a link type ("EN10MB"), from libpcap. */
const char *decode_linktype_name(int linktype);

#endif
