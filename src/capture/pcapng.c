/* pcapng.c - the pcapng blocks libpcap 1.10 will not read (pcapng.h).
 *
 * Block layouts from draft-ietf-opsawg-pcapng: every block is type (4),
 * total length (4), body, total length again (4); numbers are in the byte
 * order of the section, which the Section Header Block's byte-order magic
 * gives. Interface Description Block: link type (2), reserved (2), snap
 * length (4), options, of which if_tsresol (9) and if_tsoffset (14) are
 * used. Enhanced Packet Block: interface (4), time high and low (4 + 4),
 * captured and original length (4 + 4), data padded to 4. Simple Packet
 * Block: original length (4), data (interface 0, no time). Packet Block
 * (obsolete): interface (2), drops (2), then as the Enhanced block. */
#include "capture/pcapng.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "util/rd.h"
#include "util/xalloc.h"

#define PN_SHB 0x0A0D0D0Au
#define PN_IDB 1u
#define PN_PB 2u
#define PN_SPB 3u
#define PN_EPB 6u
#define PN_LINKTYPE_RAW 101   /* LINKTYPE_RAW: the one LINKTYPE_ that is not its DLT_ here */

struct pn_if {
	int dlt;
	uint32_t snaplen;
	bool pow2;                /* if_tsresol: 2^-res seconds, else 10^-res */
	uint8_t res;
	int64_t offset_s;         /* if_tsoffset */
};

struct pcapng {
	FILE *fp;
	uint64_t pos;             /* bytes read so far: the next block's offset */
	bool be, in_section;
	struct pn_if *ifs;
	size_t nif, capif;
	int *dlts;
	size_t ndlt;
	uint8_t *buf;
	size_t cap;
	const char *err;
	uint64_t err_off;
};

static uint16_t
pn_16(const struct pcapng *r, struct rd *d)
{
	return r->be ? rd_be16(d) : rd_le16(d);
}

static uint32_t
pn_32(const struct pcapng *r, struct rd *d)
{
	return r->be ? rd_be32(d) : rd_le32(d);
}

static uint32_t
pn_32at(const struct pcapng *r, const uint8_t *p)
{
	return r->be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
	    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int
pn_fail(struct pcapng *r, uint64_t off, const char *why)
{
	if (r->err == NULL) {
		r->err = why;
		r->err_off = off;
	}
	return -1;
}

struct pcapng *
pcapng_open(FILE *fp)
{
	struct pcapng *r = xcalloc(1, sizeof(*r));

	r->fp = fp;
	return r;
}

void
pcapng_free(struct pcapng *r)
{
	if (r == NULL)
		return;
	free(r->ifs);
	free(r->dlts);
	free(r->buf);
	free(r);
}

const char *
pcapng_error(const struct pcapng *r)
{
	return r->err;
}

uint64_t
pcapng_error_off(const struct pcapng *r)
{
	return r->err_off;
}

const int *
pcapng_dlts(const struct pcapng *r, size_t *n)
{
	*n = r->ndlt;
	return r->dlts;
}

/* Reads n bytes into the block buffer at at; false at a short read. */
static bool
pn_read(struct pcapng *r, size_t at, size_t n)
{
	if (at + n > r->cap) {
		r->cap = at + n;
		r->buf = xrealloc(r->buf, r->cap);
	}
	if (fread(r->buf + at, 1, n, r->fp) != n)
		return false;
	r->pos += n;
	return true;
}

/* The options of an Interface Description Block: time resolution and
 * offset. A damaged option list leaves the defaults (microseconds, no
 * offset), as Wireshark does. */
static void
pn_if_options(const struct pcapng *r, struct rd *d, struct pn_if *f)
{
	while (rd_left(d) >= 4) {
		uint16_t code = pn_16(r, d), len = pn_16(r, d);
		struct rd v;

		if (code == 0 || len > rd_left(d))
			return;
		v = rd_sub(d, len);
		rd_skip(d, (4 - len % 4) % 4);
		if (code == 9 && len >= 1) {
			uint8_t t = rd_u8(&v);

			f->pow2 = (t & 0x80) != 0;
			f->res = t & 0x7f;
		} else if (code == 14 && len >= 8) {
			uint32_t a = pn_32(r, &v), b = pn_32(r, &v);
			uint64_t u = r->be ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;

			f->offset_s = (int64_t)u;
		}
	}
}

static int
pn_interface(struct pcapng *r, struct rd *d, uint64_t off)
{
	struct pn_if f = { .res = 6 };
	uint16_t lt = pn_16(r, d);
	size_t i;

	rd_skip(d, 2);
	f.snaplen = pn_32(r, d);
	if (!rd_ok(d))
		return pn_fail(r, off, "an Interface Description Block shorter than its fields");
	pn_if_options(r, d, &f);
	if ((!f.pow2 && f.res > 19) || (f.pow2 && f.res > 63))
		return pn_fail(r, off, "an interface time resolution no clock has");
	f.dlt = lt == PN_LINKTYPE_RAW ? DLT_RAW : lt;
	if (r->nif == PCAPNG_IFACES_MAX)
		return pn_fail(r, off, "more interfaces in one section than the ceiling");
	if (r->nif == r->capif) {
		r->capif = r->capif ? r->capif * 2 : 4;
		r->ifs = xreallocarray(r->ifs, r->capif, sizeof(*r->ifs));
	}
	r->ifs[r->nif++] = f;
	for (i = 0; i < r->ndlt && r->dlts[i] != f.dlt; i++)
		;
	if (i == r->ndlt) {
		r->dlts = xreallocarray(r->dlts, r->ndlt + 1, sizeof(*r->dlts));
		r->dlts[r->ndlt++] = f.dlt;
	}
	return 0;
}

/* A time in the interface's units as microseconds since 1970. */
static int64_t
pn_time_us(const struct pn_if *f, uint64_t t)
{
	int64_t us;

	if (f->pow2) {
		us = (int64_t)(((unsigned __int128)t * 1000000u) >> f->res);
	} else if (f->res >= 6) {
		uint64_t div = 1;

		for (unsigned i = 6; i < f->res; i++)
			div *= 10;
		us = (int64_t)(t / div);
	} else {
		uint64_t mul = 1;

		for (unsigned i = f->res; i < 6; i++)
			mul *= 10;
		us = (int64_t)(t * mul);
	}
	return us + f->offset_s * 1000000;
}

/* A packet block's fields after its interface number. */
static int
pn_packet(struct pcapng *r, struct rd *d, uint32_t ifid, bool timed, uint64_t off,
    struct pcapng_pkt *pkt)
{
	uint32_t hi = 0, lo = 0, caplen;

	if (timed) {
		hi = pn_32(r, d);
		lo = pn_32(r, d);
		caplen = pn_32(r, d);
		pkt->len = pn_32(r, d);
	} else {
		pkt->len = pn_32(r, d);
		caplen = pkt->len;
		if (caplen > rd_left(d))
			caplen = (uint32_t)rd_left(d);
		if (ifid < r->nif && r->ifs[ifid].snaplen > 0 && caplen > r->ifs[ifid].snaplen)
			caplen = r->ifs[ifid].snaplen;
	}
	if (!rd_ok(d))
		return pn_fail(r, off, "a packet block shorter than its fields");
	if (ifid >= r->nif)
		return pn_fail(r, off, "a packet block names an interface that was not described");
	if (caplen > rd_left(d))
		return pn_fail(r, off, "a packet block's captured length is longer than the block");
	pkt->caplen = caplen;
	pkt->data = rd_bytes(d, caplen).p;
	pkt->dlt = r->ifs[ifid].dlt;
	pkt->ts_us = timed ? pn_time_us(&r->ifs[ifid], (uint64_t)hi << 32 | lo) : 0;
	pkt->off = off;
	return 1;
}

int
pcapng_next(struct pcapng *r, struct pcapng_pkt *pkt)
{
	if (r->err != NULL)
		return -1;
	for (;;) {
		uint64_t off = r->pos;
		uint32_t type, total;
		size_t head = 8;
		struct rd d;
		size_t got;

		if (r->cap < 12) {
			r->cap = 4096;
			r->buf = xrealloc(r->buf, r->cap);
		}
		got = fread(r->buf, 1, 8, r->fp);
		r->pos += got;
		if (got == 0)
			return 0;
		if (got < 8)
			return pn_fail(r, off, "the file ends inside a block header");
		type = pn_32at(r, r->buf);
		if (type == PN_SHB) {
			if (!pn_read(r, 8, 4))
				return pn_fail(r, off, "the file ends inside a Section Header Block");
			if (memcmp(r->buf + 8, "\x1a\x2b\x3c\x4d", 4) == 0)
				r->be = true;
			else if (memcmp(r->buf + 8, "\x4d\x3c\x2b\x1a", 4) == 0)
				r->be = false;
			else
				return pn_fail(r, off, "a Section Header Block with no byte-order magic");
			head = 12;
		} else if (!r->in_section) {
			return pn_fail(r, off, "a block before any Section Header Block");
		}
		total = pn_32at(r, r->buf + 4);
		if (total < head + 4 || total % 4 != 0 || total > PCAPNG_BLOCK_MAX)
			return pn_fail(r, off, "a block length that is not a block's");
		if (!pn_read(r, head, total - head))
			return pn_fail(r, off, "the file ends inside a block");
		if (pn_32at(r, r->buf + total - 4) != total)
			return pn_fail(r, off, "a block whose two lengths differ");
		rd_init(&d, r->buf + 8, total - 12);
		switch (type) {
		case PN_SHB:
			r->in_section = true;
			r->nif = 0;
			break;
		case PN_IDB:
			if (pn_interface(r, &d, off) < 0)
				return -1;
			break;
		case PN_EPB: {
			uint32_t ifid = pn_32(r, &d);

			return pn_packet(r, &d, ifid, true, off, pkt);
		}
		case PN_PB: {
			uint32_t ifid = pn_16(r, &d);

			rd_skip(&d, 2);
			return pn_packet(r, &d, ifid, true, off, pkt);
		}
		case PN_SPB:
			return pn_packet(r, &d, 0, false, off, pkt);
		default:
			break;
		}
	}
}
