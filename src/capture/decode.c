/* decode.c - from a captured frame to a TCP segment.
 *
 * Every header is read through the bounded reader (STYLE.md principle 1).
 * Fragments are reassembled in a small bounded table: at most FRAG_MAX
 * datagrams, each at most 65535 bytes, dropped after FRAG_TIMEOUT_US. */
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
};

struct decoder *
decoder_new(void)
{
	return xcalloc(1, sizeof(struct decoder));
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

/* RFC 791 section 3.1. */
static enum decode_result
decode_ipv4(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off, hl, total;
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
	if (vhl >> 4 != 4 || hl < 20 || total < hl) {
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
	if (proto != 6)
		return DECODE_OTHER;
	{
		/* Ethernet pads short frames: the IP total length says where the
		 * datagram ends, not the captured length. */
		size_t avail = rd_left(r), plen = total - hl;

		body = rd_sub(r, avail < plen ? avail : plen);
		if ((fo & 0x2000) || (fo & 0x1fff)) {
			struct frag *f;
			size_t dlen;
			struct slice s;

			if (avail < plen) {
				*why = "IPv4 fragment cut off by the snapshot length";
				*where = start;
				return DECODE_BAD;
			}
			s = rd_rest(&body);
			f = frag_find(d, AF_INET, seg->src, seg->dst, id, proto, ts_us);
			if (!frag_add(d, f, (size_t)(fo & 0x1fff) * 8, (fo & 0x2000) != 0, s, ts_us, &dlen))
				return DECODE_HELD;
			rd_init(&body, d->dgram, dlen);
			return decode_tcp(&body, dlen, seg, why, where, 0);
		}
		return decode_tcp(&body, plen, seg, why, where, start + hl);
	}
}

/* RFC 8200 sections 3 and 4: the fixed header, then extension headers. */
static enum decode_result
decode_ipv6(struct decoder *d, struct rd *r, int64_t ts_us, struct tcp_seg *seg,
    const char **why, size_t *where)
{
	size_t start = r->off, plen, avail;
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
	body = rd_sub(r, avail < plen ? avail : plen);
	while (rd_ok(&body) && hops++ < 16) {
		size_t hstart = body.off;

		switch (nh) {
		case 6:
			return decode_tcp(&body, plen - hstart, seg, why, where, start + 40);
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
			if (next != 6)
				return DECODE_OTHER;
			f = frag_find(d, AF_INET6, seg->src, seg->dst, id, next, ts_us);
			if (!frag_add(d, f, (size_t)(fo >> 3) * 8, (fo & 1) != 0, rd_rest(&body), ts_us, &dlen))
				return DECODE_HELD;
			rd_init(&body, d->dgram, dlen);
			return decode_tcp(&body, dlen, seg, why, where, 0);
		}
		default:
			return DECODE_OTHER;
		}
	}
	*why = "IPv6 extension headers cut off or too many";
	*where = start + 40 + body.err_off;
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

static enum decode_result
decode_ethertype(struct decoder *d, struct rd *r, uint16_t type, int64_t ts_us,
    struct tcp_seg *seg, const char **why, size_t *where)
{
	if (type == 0x0800 || type == 0x86dd)
		return decode_ip(d, r, ts_us, seg, why, where);
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
