/* test_pcapng.c - the pcapng block reader (capture/pcapng.c) on files
 * written here byte by byte: a big-endian section, interfaces with
 * nanosecond, 2^-20 s and offset clocks, a Simple Packet Block, an obsolete
 * Packet Block, a block of an unknown type, a second section, and damage. */
#include "check.h"
#include "capture/pcapng.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct w {
	uint8_t b[2048];
	size_t n;
	bool be;
};

static void
put32(struct w *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		w->b[w->n++] = (uint8_t)(w->be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void
put16(struct w *w, uint16_t v)
{
	w->b[w->n++] = (uint8_t)(w->be ? v >> 8 : v);
	w->b[w->n++] = (uint8_t)(w->be ? v : v >> 8);
}

/* A block: type, length, body (padded to 4), length. */
static void
block(struct w *w, uint32_t type, const uint8_t *body, size_t len)
{
	size_t total = 12 + (len + 3) / 4 * 4;

	put32(w, type);
	put32(w, (uint32_t)total);
	memcpy(w->b + w->n, body, len);
	memset(w->b + w->n + len, 0, total - 12 - len);
	w->n += total - 12;
	put32(w, (uint32_t)total);
}

static void
shb(struct w *w, bool be)
{
	struct w body = { .be = be };

	w->be = be;
	put32(&body, 0x1A2B3C4D);
	put16(&body, 1);
	put16(&body, 0);
	put32(&body, 0xffffffff);
	put32(&body, 0xffffffff);
	block(w, 0x0A0D0D0A, body.b, body.n);
}

/* An interface; tsresol 0xff for none, offset 0 for none. */
static void
idb(struct w *w, uint16_t linktype, uint32_t snaplen, uint8_t tsresol, int64_t offset)
{
	struct w body = { .be = w->be };

	put16(&body, linktype);
	put16(&body, 0);
	put32(&body, snaplen);
	if (tsresol != 0xff) {
		put16(&body, 9);
		put16(&body, 1);
		body.b[body.n++] = tsresol;
		body.n += 3;
	}
	if (offset != 0) {
		put16(&body, 14);
		put16(&body, 8);
		put32(&body, w->be ? (uint32_t)((uint64_t)offset >> 32) : (uint32_t)offset);
		put32(&body, w->be ? (uint32_t)offset : (uint32_t)((uint64_t)offset >> 32));
	}
	put16(&body, 0);
	put16(&body, 0);
	block(w, 1, body.b, body.n);
}

static void
epb(struct w *w, uint32_t ifid, uint64_t ts, const char *data)
{
	struct w body = { .be = w->be };
	size_t len = strlen(data);

	put32(&body, ifid);
	put32(&body, (uint32_t)(ts >> 32));
	put32(&body, (uint32_t)ts);
	put32(&body, (uint32_t)len);
	put32(&body, (uint32_t)len + 10);
	memcpy(body.b + body.n, data, len);
	body.n += len;
	block(w, 6, body.b, body.n);
}

static int
read_all(const struct w *w, struct pcapng_pkt *pk, char got[][32], int max, struct pcapng **rp)
{
	FILE *fp = fmemopen((void *)w->b, w->n, "rb");
	struct pcapng *r = pcapng_open(fp);
	int n = 0, rc;

	while (n < max && (rc = pcapng_next(r, &pk[n])) == 1) {
		snprintf(got[n], 32, "%.*s", (int)pk[n].caplen, (const char *)pk[n].data);
		n++;
	}
	/* data is valid until the next call only: keep the text, not the pointer */
	*rp = r;
	fclose(fp);
	return n;
}

TEST(clocks_and_blocks)
{
	struct w w = { 0 };
	struct pcapng_pkt pk[8];
	char got[8][32];
	struct pcapng *r;
	size_t nd;
	const int *d;
	int n;

	shb(&w, true);
	idb(&w, 1, 0, 9, 0);                    /* EN10MB, nanoseconds */
	idb(&w, 101, 4, 0x80 | 20, 0);          /* LINKTYPE_RAW, 2^-20 s, snaplen 4 */
	idb(&w, 113, 0, 0xff, 1000);            /* LINUX_SLL, microseconds, +1000 s */
	epb(&w, 0, 1255181648123456789ULL, "ns");
	epb(&w, 1, (uint64_t)3 << 20 | (1 << 19), "pow2");
	epb(&w, 2, 5000000, "off");
	{
		struct w b = { .be = true };

		put32(&b, 10);
		memcpy(b.b + b.n, "simple-packet", 13);   /* cut at interface 0's snaplen: none */
		b.n += 10;
		block(&w, 3, b.b, b.n);
		b.n = 0;
		put32(&b, 7);
		block(&w, 0x0BAD, b.b, b.n);              /* unknown: skipped */
	}
	shb(&w, false);                               /* a new section forgets interfaces */
	idb(&w, 276, 0, 6, 0);
	{
		struct w b = { .be = false };

		put16(&b, 0);
		put16(&b, 0);
		put32(&b, 0);
		put32(&b, 2000000);
		put32(&b, 3);
		put32(&b, 3);
		memcpy(b.b + b.n, "old", 3);
		b.n += 3;
		block(&w, 2, b.b, b.n);
	}
	n = read_all(&w, pk, got, 8, &r);
	CHECK_INT(n, 5);
	CHECK(pcapng_error(r) == NULL);
	CHECK_INT(pk[0].dlt, DLT_EN10MB);
	CHECK_INT(pk[0].ts_us, 1255181648123456LL);
	CHECK_STR(got[0], "ns");
	CHECK_INT(pk[0].len, 12);
	CHECK_INT(pk[1].dlt, DLT_RAW);
	CHECK_INT(pk[1].ts_us, 3500000);
	CHECK_STR(got[1], "pow2");
	CHECK_INT(pk[2].dlt, DLT_LINUX_SLL);
	CHECK_INT(pk[2].ts_us, 1005000000LL);
	CHECK_STR(got[3], "simple-pac");
	CHECK_INT(pk[3].ts_us, 0);
	CHECK_INT(pk[3].dlt, DLT_EN10MB);
	CHECK_INT(pk[4].dlt, DLT_LINUX_SLL2);
	CHECK_INT(pk[4].ts_us, 2000000);
	CHECK_STR(got[4], "old");
	d = pcapng_dlts(r, &nd);
	CHECK_INT(nd, 4);
	CHECK_INT(d[1], DLT_RAW);
	CHECK_INT(d[3], DLT_LINUX_SLL2);
	pcapng_free(r);
}

TEST(damage_named_with_offset)
{
	struct w w = { 0 };
	struct pcapng_pkt pk[4];
	char got[4][32];
	struct pcapng *r;
	int n;

	/* A packet on an interface never described. */
	shb(&w, false);
	idb(&w, 1, 0, 0xff, 0);
	epb(&w, 0, 1, "a");
	epb(&w, 3, 2, "b");
	n = read_all(&w, pk, got, 4, &r);
	CHECK_INT(n, 1);
	CHECK_STR(pcapng_error(r), "a packet block names an interface that was not described");
	CHECK_INT(pcapng_error_off(r), 28 + 24 + 36);   /* SHB, IDB with its end of options, EPB */
	pcapng_free(r);
	/* Lengths that differ, and a block before any section. */
	w.n = 0;
	shb(&w, false);
	idb(&w, 1, 0, 0xff, 0);
	w.b[w.n - 4] ^= 4;
	n = read_all(&w, pk, got, 4, &r);
	CHECK_INT(n, 0);
	CHECK_STR(pcapng_error(r), "a block whose two lengths differ");
	CHECK_INT(pcapng_error_off(r), 28);
	pcapng_free(r);
	w.n = 0;
	w.be = false;
	idb(&w, 1, 0, 0xff, 0);
	n = read_all(&w, pk, got, 4, &r);
	CHECK_STR(pcapng_error(r), "a block before any Section Header Block");
	pcapng_free(r);
	/* A length past the ceiling, and a captured length past its block. */
	w.n = 0;
	shb(&w, false);
	put32(&w, 6);
	put32(&w, PCAPNG_BLOCK_MAX + 4);
	n = read_all(&w, pk, got, 4, &r);
	CHECK_STR(pcapng_error(r), "a block length that is not a block's");
	pcapng_free(r);
	w.n = 0;
	shb(&w, false);
	idb(&w, 1, 0, 0xff, 0);
	epb(&w, 0, 1, "abcd");
	w.b[28 + 24 + 8 + 12] = 200;   /* captured length 200 in a block of 4 */
	n = read_all(&w, pk, got, 4, &r);
	CHECK_INT(n, 0);
	CHECK_STR(pcapng_error(r), "a packet block's captured length is longer than the block");
	pcapng_free(r);
}

int
main(void)
{
	RUN(clocks_and_blocks);
	RUN(damage_named_with_offset);
	return check_done();
}
