/* decode.c - from a captured frame to a TCP segment.
 *
 * Every header is read through the bounded reader (STYLE.md principle 1).
 * Fragments are reassembled in a small bounded table: at most FRAG_MAX
 * datagrams, each at most 65535 bytes, dropped after FRAG_TIMEOUT_US.
 *
 * Tunnels are followed to the innermost TCP segment: GRE (RFC 2784, RFC
 * 2890) with IP, transparent Ethernet bridging and ERSPAN types I, II and
 * III inside; VXLAN (RFC 7348) and Geneve (RFC 8926) over UDP; PPPoE
 * sessions (RFC 2516); MPLS label stacks (RFC 3032) with IP or an Ethernet
 * pseudowire (RFC 4448) inside; IP in IP (RFC 2003, RFC 2473, RFC 4213).
 * Each tunnel layer counts against the decoder's encapsulation ceiling;
 * a frame nested deeper is counted and not decoded (decoder_encap_capped). */
#include "capture/decode.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/rd.h"
#include "util/xalloc.h"

#define FRAG_MAX 64
#define FRAG_TIMEOUT_US (60 * 1000000LL)
#define FRAG_DGRAM_MAX 65535
#define VLAN_MAX 8
/* A label stack deeper than this is not a stack a router builds. */
#define MPLS_LABELS_MAX 16

/* IANA ethertypes and IP protocol numbers used below. */
#define ET_IPV4 0x0800
#define ET_IPV6 0x86dd
#define ET_TEB 0x6558              /* transparent Ethernet bridging (RFC 1701) */
#define ET_ERSPAN2 0x88be          /* ERSPAN types I and II */
#define ET_ERSPAN3 0x22eb
#define ET_PPPOE 0x8864            /* PPPoE session stage (RFC 2516 4) */
#define ET_MPLS 0x8847
#define ET_MPLS_MC 0x8848
#define IPP_IPIP 4
#define IPP_TCP 6
#define IPP_UDP 17
#define IPP_IPV6 41
#define IPP_GRE 47
#define UDP_VXLAN 4789             /* RFC 7348 5 */
#define UDP_GENEVE 6081            /* RFC 8926 3.3 */

struct frag {
	bool used;
	int af;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint8_t proto;
	int64_t last_us;
	uint8_t data[FRAG_DGRAM_MAX];
	uint8_t have[FRAG_DGRAM_MAX / 8 + 1];   /* which 8-byte blocks arrived */
	size_t total;                            /* known once the last fragment came; 0 before */
};

struct decoder {
	struct frag *frags;                      /* FRAG_MAX, allocated on first fragment */
	uint8_t dgram[FRAG_DGRAM_MAX];           /* a completed datagram's payload */
	uint64_t dropped;
	unsigned encap_max;                      /* tunnel layers followed per frame */
	unsigned depth;                          /* tunnel layers of the current frame */
	uint64_t capped;                         /* frames nested deeper than encap_max */
	uint64_t tso;                            /* IPv4 packets with total length 0 */
};

struct decoder *
decoder_new(void)
{
	struct decoder *d = xcalloc(1, sizeof(struct decoder));

	d->encap_max = DECODE_ENCAP_DEFAULT;
	return d;
}

void
decoder_set_encap_max(struct decoder *d, unsigned n)
{
	d->encap_max = n;
}

uint64_t
decoder_encap_capped(const struct decoder *d)
{
	return d->capped;
}

uint64_t
decoder_tso_packets(const struct decoder *d)
{
	return d->tso;
}

void
decoder_free(struct decoder *d)
{
	if (d == NULL)
		return;
	free(d->frags);
	free(d);
}

uint64_t
decoder_frags_dropped(const struct decoder *d)
{
	return d->dropped;
}

const char *
decode_linktype_name(int linktype)
{
	const char *n = pcap_datalink_val_to_name(linktype);

	return n ? n : "unknown";
}

/* RFC 9293 section 3.1: the TCP header. */
static enum decode_result
decode_tcp(struct rd *r, size_t wire_len, struct tcp_seg *seg, const char **why, size_t *where,
    size_t base)
{
	size_t hl, start = r->off;
	uint8_t off_byte;

	seg->sport = rd_be16(r);
	seg->dport = rd_be16(r);
	seg->seq = rd_be32(r);
	seg->ack = rd_be32(r);
	off_byte = rd_u8(r);
	seg->flags = rd_u8(r);
	rd_skip(r, 6);
	if (!rd_ok(r)) {
		*why = "TCP header cut off";
		*where = base + r->err_off;
		return DECODE_BAD;
	}
	hl = (size_t)(off_byte >> 4) * 4;
	if (hl < 20 || hl > wire_len) {
		*why = "TCP data offset out of range";
		*where = base + start + 12;
		return DECODE_BAD;
	}
	rd_skip(r, hl - 20);
	if (!rd_ok(r)) {
		*why = "TCP options cut off";
		*where = base + r->err_off;
		return DECODE_BAD;
	}
	seg->wire_len = wire_len - hl;
	{
		struct slice s = rd_rest(r);

		seg->payload = s.p;
		seg->len = s.len < seg->wire_len ? s.len : seg->wire_len;
	}
	return DECODE_TCP;
}

static struct frag *
frag_find(struct decoder *d, int af, const uint8_t *src, const uint8_t *dst, uint32_t id,
    uint8_t proto, int64_t ts_us)
{
	struct frag *free_slot = NULL, *oldest = NULL;
	size_t alen = af == AF_INET ? 4 : 16;

	if (d->frags == NULL)
		d->frags = xcalloc(FRAG_MAX, sizeof(struct frag));
	for (size_t i = 0; i < FRAG_MAX; i++) {
		struct frag *f = &d->frags[i];

		if (f->used && ts_us - f->last_us > FRAG_TIMEOUT_US) {
			f->used = false;
			d->dropped++;
		}
		if (!f->used) {
			if (free_slot == NULL)
				free_slot = f;
			continue;
		}
		if (f->af == af && f->id == id && f->proto == proto &&
		    memcmp(f->src, src, alen) == 0 && memcmp(f->dst, dst, alen) == 0)
			return f;
		if (oldest == NULL || f->last_us < oldest->last_us)
			oldest = f;
	}
	if (free_slot == NULL) {
		free_slot = oldest;
		d->dropped++;
	}
	memset(free_slot->have, 0, sizeof(free_slot->have));
	free_slot->used = true;
	free_slot->af = af;
	memset(free_slot->src, 0, 16);
	memset(free_slot->dst, 0, 16);
	memcpy(free_slot->src, src, alen);
	memcpy(free_slot->dst, dst, alen);
	free_slot->id = id;
	free_slot->proto = proto;
	free_slot->total = 0;
	return free_slot;
}

/* RFC 791 section 3.2 / RFC 8200 section 4.5: fragments are placed by their
 * offset in 8-byte units; the datagram is complete when every block up to
 * the last fragment's end has arrived. Overlapping fragments: first wins. */
static bool
frag_add(struct decoder *d, struct frag *f, size_t off, bool more, struct slice data,
    int64_t ts_us, size_t *total)
{
	size_t end = off + data.len;

	f->last_us = ts_us;
	if (end > FRAG_DGRAM_MAX || (more && data.len % 8 != 0)) {
		f->used = false;
		d->dropped++;
		return false;
	}
	for (size_t b = off / 8; b * 8 < end; b++) {
		if (!(f->have[b / 8] & (1u << (b % 8)))) {
			size_t s = b * 8, e = s + 8 < end ? s + 8 : end;

			memcpy(f->data + s, data.p + (s - off), e - s);
			if (e - s == 8 || !more)
				f->have[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
	if (!more)
		f->total = end;
	if (f->total == 0)
		return false;
	for (size_t b = 0; b * 8 < f->total; b++)
		if (!(f->have[b / 8] & (1u << (b % 8))))
			return false;
	memcpy(d->dgram, f->data, f->total);
	*total = f->total;
	f->used = false;
	return true;
}

static enum decode_result decode_ip(struct decoder *d, struct rd *r, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where);
static enum decode_result decode_ipv4(struct decoder *d, struct rd *r, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where);
static enum decode_result decode_ipv6(struct decoder *d, struct rd *r, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where);
static enum decode_result decode_ether(struct decoder *d, struct rd *r, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where);
static enum decode_result decode_ethertype(struct decoder *d, struct rd *r, uint16_t type,
    int64_t ts_us, struct tcp_seg *seg, const char **why, size_t *where);

/* The next n bytes (fewer when fewer remain) as a reader over the same
 * buffer, so that offsets stay the frame's; r moves past them. */
static struct rd
rd_limit(struct rd *r, size_t n)
{
	struct rd in = *r;
	size_t left = rd_left(r);

	if (n > left)
		n = left;
	in.len = in.off + n;
	rd_skip(r, n);
	return in;
}

/* One more tunnel layer; past the ceiling the frame is counted, not decoded. */
static bool
encap_enter(struct decoder *d)
{
	if (d->depth++ < d->encap_max)
		return true;
	d->capped++;
	return false;
}

static enum decode_result
decode_cut(struct rd *r, const char *what, const char **why, size_t *where)
{
	*why = what;
	*where = r->err_off;
	return DECODE_BAD;
}

/* The IP protocols followed: TCP, and the tunnels that may carry it. */
static bool
ip_proto_followed(uint8_t proto)
{
	return proto == IPP_TCP || proto == IPP_IPIP || proto == IPP_IPV6 || proto == IPP_GRE ||
	    proto == IPP_UDP;
}

/* ERSPAN (draft-foschiano-erspan-03): type I has no header of its own (a
 * GRE header without sequence number); type II (4.1) has an 8-byte header of
 * version 1; type III (4.2) a 12-byte header of version 2 whose frame type
 * FT says Ethernet (0) or IP (2), and with O set an 8-byte platform-specific
 * subheader (4.3). The mirrored frame follows. */
static enum decode_result
decode_erspan(struct decoder *d, struct rd *r, unsigned type, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	struct slice v;
	uint8_t ft = 0, last;

	if (type >= 2) {
		if (!rd_peek(r, 1, &v))
			return decode_cut(r, "ERSPAN header cut off", why, where);
		if ((unsigned)(v.p[0] >> 4) != type - 1) {
			*why = "ERSPAN version does not match its GRE protocol type";
			*where = r->off;
			return DECODE_BAD;
		}
		rd_skip(r, 8);
		if (type == 3) {
			rd_skip(r, 2);                  /* SGT */
			ft = (uint8_t)((rd_u8(r) >> 2) & 0x1f);
			last = rd_u8(r);
			if (last & 1)
				rd_skip(r, 8);
		}
		if (!rd_ok(r))
			return decode_cut(r, "ERSPAN header cut off", why, where);
	}
	if (ft == 2)
		return decode_ip(d, r, ts_us, seg, why, where);
	if (ft != 0)
		return DECODE_OTHER;
	return decode_ether(d, r, ts_us, seg, why, where);
}

/* RFC 2784 2.1 and RFC 2890 2: flags C (checksum and reserved1 present), K
 * (key) and S (sequence number), version 0 (version 1 is PPTP's, RFC 2637
 * 4.1; a set routing bit is RFC 1701 source routing: neither is followed),
 * then the payload's ethertype. */
static enum decode_result
decode_gre(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	uint16_t fv, proto;

	if (!encap_enter(d))
		return DECODE_OTHER;
	fv = rd_be16(r);
	proto = rd_be16(r);
	if (!rd_ok(r))
		return decode_cut(r, "GRE header cut off", why, where);
	if ((fv & 0x7) != 0 || (fv & 0x4000))
		return DECODE_OTHER;
	if (fv & 0x8000)
		rd_skip(r, 4);
	if (fv & 0x2000)
		rd_skip(r, 4);
	if (fv & 0x1000)
		rd_skip(r, 4);
	if (!rd_ok(r))
		return decode_cut(r, "GRE options cut off", why, where);
	if (proto == ET_ERSPAN2)
		return decode_erspan(d, r, (fv & 0x1000) ? 2 : 1, ts_us, seg, why, where);
	if (proto == ET_ERSPAN3)
		return decode_erspan(d, r, 3, ts_us, seg, why, where);
	return decode_ethertype(d, r, proto, ts_us, seg, why, where);
}

/* RFC 7348 5: flags (I: the VNI is valid), reserved, the 24-bit VNI,
 * reserved; an Ethernet frame follows. */
static enum decode_result
decode_vxlan(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	rd_skip(r, 8);
	if (!rd_ok(r))
		return decode_cut(r, "VXLAN header cut off", why, where);
	return decode_ether(d, r, ts_us, seg, why, where);
}

/* RFC 8926 3.4: Ver (2 bits, 0) and Opt Len (6 bits, in 4-byte words), the
 * O and C flags, Protocol Type (an ethertype, 0x6558 for Ethernet), VNI,
 * reserved, then Opt Len * 4 bytes of options (3.5). */
static enum decode_result
decode_geneve(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	uint8_t b0 = rd_u8(r);
	uint16_t pt;

	rd_skip(r, 1);
	pt = rd_be16(r);
	rd_skip(r, 4);
	rd_skip(r, (size_t)(b0 & 0x3f) * 4);
	if (!rd_ok(r))
		return decode_cut(r, "Geneve header or options cut off", why, where);
	if (b0 >> 6 != 0)
		return DECODE_OTHER;
	return decode_ethertype(d, r, pt, ts_us, seg, why, where);
}

/* RFC 768: only the tunnels are followed, by their destination port. */
static enum decode_result
decode_udp(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off, len;
	uint16_t dport;
	struct rd in;

	rd_skip(r, 2);
	dport = rd_be16(r);
	len = rd_be16(r);
	rd_skip(r, 2);
	if (!rd_ok(r))
		return decode_cut(r, "UDP header cut off", why, where);
	if (dport != UDP_VXLAN && dport != UDP_GENEVE)
		return DECODE_OTHER;
	if (len < 8) {
		*why = "UDP length out of range";
		*where = start + 4;
		return DECODE_BAD;
	}
	in = rd_limit(r, len - 8);
	if (!encap_enter(d))
		return DECODE_OTHER;
	if (dport == UDP_VXLAN)
		return decode_vxlan(d, &in, ts_us, seg, why, where);
	return decode_geneve(d, &in, ts_us, seg, why, where);
}

/* The payload of an IP datagram (plen bytes announced) by its protocol. */
static enum decode_result
decode_ip_payload(struct decoder *d, uint8_t proto, struct rd *r, size_t plen, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where)
{
	switch (proto) {
	case IPP_TCP:
		return decode_tcp(r, plen, seg, why, where, 0);
	case IPP_IPIP:          /* RFC 2003 3, RFC 2473 (IPv4 in IPv6) */
		return encap_enter(d) ? decode_ipv4(d, r, ts_us, seg, why, where) : DECODE_OTHER;
	case IPP_IPV6:          /* RFC 4213 3.5 (6in4), RFC 2473 */
		return encap_enter(d) ? decode_ipv6(d, r, ts_us, seg, why, where) : DECODE_OTHER;
	case IPP_GRE:
		return decode_gre(d, r, ts_us, seg, why, where);
	case IPP_UDP:
		return decode_udp(d, r, ts_us, seg, why, where);
	}
	return DECODE_OTHER;
}

/* RFC 791 section 3.1. */
static enum decode_result
decode_ipv4(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off, hl, total, avail, plen;
	uint8_t vhl, proto;
	uint16_t id, fo;
	struct rd body;

	vhl = rd_u8(r);
	rd_skip(r, 1);
	total = rd_be16(r);
	id = rd_be16(r);
	fo = rd_be16(r);
	rd_skip(r, 1);
	proto = rd_u8(r);
	rd_skip(r, 2);
	{
		struct slice s = rd_bytes(r, 4), t = rd_bytes(r, 4);

		if (!rd_ok(r)) {
			*why = "IPv4 header cut off";
			*where = r->err_off;
			return DECODE_BAD;
		}
		memset(seg->src, 0, 16);
		memset(seg->dst, 0, 16);
		memcpy(seg->src, s.p, 4);
		memcpy(seg->dst, t.p, 4);
	}
	hl = (size_t)(vhl & 0x0f) * 4;
	if (vhl >> 4 != 4 || hl < 20 || (total < hl && total != 0)) {
		*why = "IPv4 header length or total length out of range";
		*where = start;
		return DECODE_BAD;
	}
	rd_skip(r, hl - 20);    /* options (section 3.1, "Options") carry nothing we need */
	if (!rd_ok(r)) {
		*why = "IPv4 options cut off";
		*where = r->err_off;
		return DECODE_BAD;
	}
	seg->af = AF_INET;
	if (!ip_proto_followed(proto))
		return DECODE_OTHER;
	avail = rd_left(r);
	if (total == 0) {
		/* A segment handed to the NIC for TCP segmentation offload and
		 * captured on the sending host before the NIC split it: its
		 * total length is 0. Like Wireshark ("Support packet-capture
		 * from IP TSO-enabled hardware") the captured bytes are taken. */
		d->tso++;
		total = hl + avail;
	}
	/* Ethernet pads short frames: the IP total length says where the
	 * datagram ends, not the captured length. */
	plen = total - hl;
	body = rd_limit(r, plen);
	if ((fo & 0x2000) || (fo & 0x1fff)) {
		struct frag *f;
		size_t dlen;

		if (avail < plen) {
			*why = "IPv4 fragment cut off by the snapshot length";
			*where = start;
			return DECODE_BAD;
		}
		f = frag_find(d, AF_INET, seg->src, seg->dst, id, proto, ts_us);
		if (!frag_add(d, f, (size_t)(fo & 0x1fff) * 8, (fo & 0x2000) != 0, rd_rest(&body),
		    ts_us, &dlen))
			return DECODE_HELD;
		rd_init(&body, d->dgram, dlen);
		return decode_ip_payload(d, proto, &body, dlen, ts_us, seg, why, where);
	}
	return decode_ip_payload(d, proto, &body, plen, ts_us, seg, why, where);
}

/* RFC 8200 sections 3 and 4: the fixed header, then extension headers. */
static enum decode_result
decode_ipv6(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off, plen, avail, base;
	uint8_t nh;
	struct rd body;
	int hops = 0;

	if (rd_u8(r) >> 4 != 6 && rd_ok(r)) {
		*why = "IPv6 version is not 6";
		*where = start;
		return DECODE_BAD;
	}
	rd_skip(r, 3);
	plen = rd_be16(r);
	nh = rd_u8(r);
	rd_skip(r, 1);
	{
		struct slice s = rd_bytes(r, 16), t = rd_bytes(r, 16);

		if (!rd_ok(r)) {
			*why = "IPv6 header cut off";
			*where = r->err_off;
			return DECODE_BAD;
		}
		memcpy(seg->src, s.p, 16);
		memcpy(seg->dst, t.p, 16);
	}
	seg->af = AF_INET6;
	avail = rd_left(r);
	body = rd_limit(r, plen);
	base = body.off;
	while (rd_ok(&body) && hops++ < 16) {
		size_t used = body.off - base;

		if (ip_proto_followed(nh))
			return decode_ip_payload(d, nh, &body, plen - used, ts_us, seg, why, where);
		switch (nh) {
		case 0:         /* hop-by-hop */
		case 43:        /* routing */
		case 60: {      /* destination options */
			uint8_t next = rd_u8(&body), len = rd_u8(&body);

			rd_skip(&body, (size_t)len * 8 + 6);
			nh = next;
			break;
		}
		case 51: {      /* AH, RFC 4302 section 2.2: length in 4-byte units minus 2 */
			uint8_t next = rd_u8(&body), len = rd_u8(&body);

			rd_skip(&body, (size_t)len * 4 + 6);
			nh = next;
			break;
		}
		case 44: {      /* fragment, RFC 8200 section 4.5 */
			uint8_t next = rd_u8(&body);
			uint16_t fo;
			uint32_t id;
			struct frag *f;
			size_t dlen;

			rd_skip(&body, 1);
			fo = rd_be16(&body);
			id = rd_be32(&body);
			if (!rd_ok(&body))
				break;
			if (avail < plen) {
				*why = "IPv6 fragment cut off by the snapshot length";
				*where = start;
				return DECODE_BAD;
			}
			if (!ip_proto_followed(next))
				return DECODE_OTHER;
			f = frag_find(d, AF_INET6, seg->src, seg->dst, id, next, ts_us);
			if (!frag_add(d, f, (size_t)(fo >> 3) * 8, (fo & 1) != 0, rd_rest(&body), ts_us, &dlen))
				return DECODE_HELD;
			rd_init(&body, d->dgram, dlen);
			return decode_ip_payload(d, next, &body, dlen, ts_us, seg, why, where);
		}
		default:
			return DECODE_OTHER;
		}
	}
	*why = "IPv6 extension headers cut off or too many";
	*where = rd_ok(&body) ? base : body.err_off;
	return DECODE_BAD;
}

static enum decode_result
decode_ip(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	struct slice v;

	if (!rd_peek(r, 1, &v))
		return DECODE_OTHER;
	if (v.p[0] >> 4 == 4)
		return decode_ipv4(d, r, ts_us, seg, why, where);
	if (v.p[0] >> 4 == 6)
		return decode_ipv6(d, r, ts_us, seg, why, where);
	return DECODE_OTHER;
}

/* RFC 2516 4 (session stage): VER and TYPE 1 in one byte, CODE 0,
 * SESSION_ID and LENGTH of the PPP frame that follows; PPP's Protocol field
 * (RFC 1661 2) is 0x0021 for IPv4 and 0x0057 for IPv6 (RFC 5072 3), one
 * byte long when compressed (RFC 1661 6.5: the first byte is odd). */
static enum decode_result
decode_pppoe(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	uint8_t vt, code;
	uint16_t proto;
	size_t len;
	struct rd in;

	if (!encap_enter(d))
		return DECODE_OTHER;
	vt = rd_u8(r);
	code = rd_u8(r);
	rd_skip(r, 2);
	len = rd_be16(r);
	if (!rd_ok(r))
		return decode_cut(r, "PPPoE header cut off", why, where);
	if (vt != 0x11 || code != 0)
		return DECODE_OTHER;
	in = rd_limit(r, len);
	proto = rd_u8(&in);
	if ((proto & 1) == 0)
		proto = (uint16_t)(proto << 8 | rd_u8(&in));
	if (!rd_ok(&in))
		return decode_cut(&in, "PPP header cut off", why, where);
	if (proto == 0x0021 || proto == 0x0057)
		return decode_ip(d, &in, ts_us, seg, why, where);
	return DECODE_OTHER;
}

/* RFC 3032 2.1: 4-byte label stack entries down to the one with the
 * bottom-of-stack bit. What follows names no type, so like Wireshark its
 * first nibble decides: 4 IPv4, 6 IPv6, 0 the pseudowire control word (RFC
 * 4385 3) before an Ethernet frame (RFC 4448 3). */
static enum decode_result
decode_mpls(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off;
	uint32_t e;
	unsigned n = 0;
	struct slice v;

	if (!encap_enter(d))
		return DECODE_OTHER;
	do
		e = rd_be32(r);
	while (rd_ok(r) && !(e & 0x100) && ++n < MPLS_LABELS_MAX);
	if (!rd_ok(r))
		return decode_cut(r, "MPLS label stack cut off", why, where);
	if (!(e & 0x100)) {
		*why = "MPLS label stack of more than 16 entries";
		*where = start;
		return DECODE_BAD;
	}
	if (!rd_peek(r, 1, &v))
		return DECODE_OTHER;
	switch (v.p[0] >> 4) {
	case 4:
	case 6:
		return decode_ip(d, r, ts_us, seg, why, where);
	case 0:
		rd_skip(r, 4);
		return decode_ether(d, r, ts_us, seg, why, where);
	}
	return DECODE_OTHER;
}

static enum decode_result
decode_ethertype(struct decoder *d, struct rd *r, uint16_t type, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where)
{
	switch (type) {
	case ET_IPV4:
	case ET_IPV6:
		return decode_ip(d, r, ts_us, seg, why, where);
	case ET_TEB:            /* inside GRE or Geneve: an Ethernet frame */
		return decode_ether(d, r, ts_us, seg, why, where);
	case ET_PPPOE:
		return decode_pppoe(d, r, ts_us, seg, why, where);
	case ET_MPLS:
	case ET_MPLS_MC:
		return decode_mpls(d, r, ts_us, seg, why, where);
	}
	return DECODE_OTHER;
}

/* IEEE 802.3 with IEEE 802.1Q tags (0x8100) and 802.1ad stacks (0x88a8,
 * and the older 0x9100). */
static enum decode_result
decode_ether(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	uint16_t type;
	int tags = 0;

	rd_skip(r, 12);
	type = rd_be16(r);
	while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags++ < VLAN_MAX) {
		rd_skip(r, 2);
		type = rd_be16(r);
	}
	if (!rd_ok(r)) {
		*why = "Ethernet header cut off";
		*where = r->err_off;
		return DECODE_BAD;
	}
	return decode_ethertype(d, r, type, ts_us, seg, why, where);
}

/* The radiotap header (radiotap.org), then an IEEE 802.11 data frame with an
 * LLC/SNAP header. Protected (encrypted) frames are not decoded. */
static enum decode_result
decode_80211(struct decoder *d, struct rd *r, bool radiotap, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	bool fcs = false;
	uint16_t fc;
	size_t hl = 24;
	struct slice snap;

	if (radiotap) {
		size_t start = r->off, rlen, off;
		uint32_t present;

		rd_skip(r, 2);
		rlen = rd_le16(r);
		present = rd_le32(r);
		off = 8;
		{
			uint32_t p = present;

			while ((p & 0x80000000u) && rd_ok(r)) {
				p = rd_le32(r);
				off += 4;
			}
		}
		if (present & 1)                       /* TSFT: 8 bytes, aligned to 8 */
			off = ((off + 7) & ~(size_t)7) + 8;
		if (present & 2) {                     /* Flags: 0x10 = frame ends with the FCS */
			struct rd t = *r;

			t.off = start;
			rd_skip(&t, off);
			fcs = (rd_u8(&t) & 0x10) != 0;
		}
		r->off = start;
		rd_skip(r, rlen);
		if (!rd_ok(r) || rlen < 8) {
			*why = "radiotap header cut off";
			*where = start;
			return DECODE_BAD;
		}
	}
	if (fcs && rd_left(r) >= 4)
		r->len -= 4;
	{
		size_t start = r->off;

		fc = rd_le16(r);
		if (!rd_ok(r))
			return DECODE_OTHER;
		if (((fc >> 2) & 3) != 2 || (fc & 0x4000) || ((fc >> 4) & 0x4))
			return DECODE_OTHER;           /* not data, protected, or null data */
		if ((fc & 0x0300) == 0x0300)
			hl += 6;                       /* four addresses (WDS) */
		if ((fc >> 4) & 0x8) {
			hl += 2;                       /* QoS control */
			if (fc & 0x8000)
				hl += 4;               /* HT control */
		}
		r->off = start;
		rd_skip(r, hl);
	}
	if (!rd_peek(r, 8, &snap) || snap.p[0] != 0xaa || snap.p[1] != 0xaa || snap.p[2] != 0x03)
		return DECODE_OTHER;
	rd_skip(r, 6);
	return decode_ethertype(d, r, rd_be16(r), ts_us, seg, why, where);
}

enum decode_result
decode_frame(struct decoder *d, int linktype, const uint8_t *p, size_t caplen, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where)
{
	struct rd r;

	rd_init(&r, p, caplen);
	*why = NULL;
	*where = 0;
	d->depth = 0;
	switch (linktype) {
	case DLT_EN10MB:
		return decode_ether(d, &r, ts_us, seg, why, where);
	case DLT_LINUX_SLL: {   /* 16-byte cooked header, protocol last */
		uint16_t type;

		rd_skip(&r, 14);
		type = rd_be16(&r);
		if (!rd_ok(&r))
			break;
		return decode_ethertype(d, &r, type, ts_us, seg, why, where);
	}
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2: {  /* 20-byte cooked header, protocol first */
		uint16_t type = rd_be16(&r);

		rd_skip(&r, 18);
		if (!rd_ok(&r))
			break;
		return decode_ethertype(d, &r, type, ts_us, seg, why, where);
	}
#endif
	case DLT_RAW:
	case 14:                /* DLT_RAW on OpenBSD */
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return decode_ip(d, &r, ts_us, seg, why, where);
	case DLT_NULL:
	case DLT_LOOP: {        /* 4-byte address family, host or network order */
		uint32_t fam = rd_le32(&r);

		if (!rd_ok(&r))
			break;
		if (fam > 0xffff)
			fam = (fam >> 24) | ((fam >> 8) & 0xff00);
		if (fam != 2 && fam != 24 && fam != 28 && fam != 30 && fam != 10)
			return DECODE_OTHER;
		return decode_ip(d, &r, ts_us, seg, why, where);
	}
	case DLT_IEEE802_11:
		return decode_80211(d, &r, false, ts_us, seg, why, where);
	case DLT_IEEE802_11_RADIO:
		return decode_80211(d, &r, true, ts_us, seg, why, where);
	default:
		return DECODE_OTHER;
	}
	*why = "link-layer header cut off";
	*where = r.err_off;
	return DECODE_BAD;
}
