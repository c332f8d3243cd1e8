#include "pcapgen.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pcapgen {
	pcap_t *p;
	pcap_dumper_t *d;
	bool nsec;
	unsigned frames;
	int linktype;
	bool null_be;
	int encap;
};

struct pcapgen *
pcapgen_open(const char *path, int linktype, bool nsec)
{
	struct pcapgen *g = calloc(1, sizeof(*g));

	g->nsec = nsec;
	g->linktype = linktype;
	g->p = pcap_open_dead_with_tstamp_precision(linktype, 262144,
	    nsec ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	g->d = pcap_dump_open(g->p, path);
	if (g->d == NULL) {
		fprintf(stderr, "pcapgen: %s: %s\n", path, pcap_geterr(g->p));
		abort();
	}
	return g;
}

void
pcapgen_close(struct pcapgen *g)
{
	pcap_dump_close(g->d);
	pcap_close(g->p);
	free(g);
}

void
pcapgen_frame(struct pcapgen *g, uint64_t ts_us, const void *frame, size_t len)
{
	struct pcap_pkthdr h;

	h.ts.tv_sec = (time_t)(ts_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_us % 1000000) * (g->nsec ? 1000 : 1);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)g->d, &h, frame);
	g->frames++;
}

unsigned
pcapgen_frames(const struct pcapgen *g)
{
	return g->frames;
}

static uint16_t
pcapgen_csum(uint32_t sum, const uint8_t *p, size_t n)
{
	while (n > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t
pcapgen_eth_ipv4_tcp(uint8_t *out, const uint8_t src[4], uint16_t sport,
    const uint8_t dst[4], uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    const void *data, size_t len)
{
	static const uint8_t mac_a[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t mac_b[6] = { 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa };
	uint8_t *ip = out + 14, *tcp = ip + 20;
	uint32_t sum = 0;
	size_t iplen = 20 + 20 + len;

	memcpy(out, mac_b, 6);
	memcpy(out + 6, mac_a, 6);
	put16(out + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)iplen);
	put16(ip + 4, (uint16_t)(seq & 0xffff));
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	put16(ip + 10, pcapgen_csum(0, ip, 20));
	memset(tcp, 0, 20);
	put16(tcp, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	if (len)
		memcpy(tcp + 20, data, len);
	/* RFC 793 section 3.1: the checksum covers a pseudo header. */
	sum += (uint32_t)(src[0] << 8 | src[1]) + (uint32_t)(src[2] << 8 | src[3]);
	sum += (uint32_t)(dst[0] << 8 | dst[1]) + (uint32_t)(dst[2] << 8 | dst[3]);
	sum += 6 + (uint32_t)(20 + len);
	put16(tcp + 16, pcapgen_csum(sum, tcp, 20 + len));
	return 14 + iplen;
}

void
tcpconv_init(struct tcpconv *c, const char *cli_ip, uint16_t cli_port,
    const char *srv_ip, uint16_t srv_port)
{
	memset(c, 0, sizeof(*c));
	if (inet_pton(AF_INET, cli_ip, c->cli_ip) != 1 || inet_pton(AF_INET, srv_ip, c->srv_ip) != 1)
		abort();
	c->cli_port = cli_port;
	c->srv_port = srv_port;
	c->seq[0] = 1000;
	c->seq[1] = 5000;
	c->ts_us = 1255181648000000ULL; /* 2009-10-10 13:34:08 UTC */
	c->step_us = 1000;
	c->mss = 1460;
}

void
tcpconv_segment(struct pcapgen *g, struct tcpconv *c, int dir, uint8_t flags,
    uint32_t seq, const void *data, size_t len)
{
	uint8_t *frame = malloc(64 + len);
	size_t n;

	if (dir == 0)
		n = pcapgen_eth_ipv4_tcp(frame, c->cli_ip, c->cli_port, c->srv_ip, c->srv_port,
		    seq, c->seq[1], flags, data, len);
	else
		n = pcapgen_eth_ipv4_tcp(frame, c->srv_ip, c->srv_port, c->cli_ip, c->cli_port,
		    seq, c->seq[0], flags, data, len);
	if (c->sub_ns && g->nsec) {
		uint8_t *out = malloc(n + 64);
		size_t m = pcapgen_link_from_eth(g->linktype, dir, g->null_be, frame, n, out);

		pcapgen_frame_ns(g, c->ts_us * 1000 + c->sub_ns, out, m);
		free(out);
	} else {
		pcapgen_frame_eth(g, c->ts_us, dir, frame, n);
	}
	c->ts_us += c->step_us;
	free(frame);
}

void
tcpconv_handshake(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_segment(g, c, 0, 0x02, c->seq[0], NULL, 0);
	c->seq[0]++;
	tcpconv_segment(g, c, 1, 0x12, c->seq[1], NULL, 0);
	c->seq[1]++;
	tcpconv_segment(g, c, 0, 0x10, c->seq[0], NULL, 0);
}

void
tcpconv_send(struct pcapgen *g, struct tcpconv *c, int dir, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t mss = c->mss ? c->mss : 1460;

	while (len > 0) {
		size_t n = len < mss ? len : mss;

		tcpconv_segment(g, c, dir, 0x18, c->seq[dir], p, n);
		c->seq[dir] += (uint32_t)n;
		p += n;
		len -= n;
	}
}

void
tcpconv_sends(struct pcapgen *g, struct tcpconv *c, int dir, const char *text)
{
	tcpconv_send(g, c, dir, text, strlen(text));
}

void
tcpconv_chunks(struct pcapgen *g, struct tcpconv *c, const struct pcapgen_chunk *ch, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tcpconv_send(g, c, ch[i].dir, ch[i].p, ch[i].len);
}

void
tcpconv_smtp_starttls(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_handshake(g, c);
	tcpconv_sends(g, c, 1, "220 mx.example.test ESMTP\r\n");
	tcpconv_sends(g, c, 0, "EHLO client.example.test\r\n");
	tcpconv_sends(g, c, 1, "250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
	tcpconv_sends(g, c, 0, "STARTTLS\r\n");
	tcpconv_sends(g, c, 1, "220 2.0.0 Ready to start TLS\r\n");
}

void
tcpconv_smtp_mail(struct pcapgen *g, struct tcpconv *c, const char *from, const char *rcpt,
    const char *message)
{
	char line[512];
	const char *p = message;

	tcpconv_sends(g, c, 0, "EHLO client.example.test\r\n");
	tcpconv_sends(g, c, 1, "250-mx.example.test\r\n250 PIPELINING\r\n");
	snprintf(line, sizeof(line), "MAIL FROM:<%s>\r\n", from);
	tcpconv_sends(g, c, 0, line);
	tcpconv_sends(g, c, 1, "250 2.1.0 Ok\r\n");
	snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", rcpt);
	tcpconv_sends(g, c, 0, line);
	tcpconv_sends(g, c, 1, "250 2.1.5 Ok\r\n");
	tcpconv_sends(g, c, 0, "DATA\r\n");
	tcpconv_sends(g, c, 1, "354 End data with <CR><LF>.<CR><LF>\r\n");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

		if (*p == '.')
			tcpconv_sends(g, c, 0, ".");     /* RFC 5321 4.5.2 */
		tcpconv_send(g, c, 0, p, n);
		p += n;
	}
	tcpconv_sends(g, c, 0, ".\r\n");
	tcpconv_sends(g, c, 1, "250 2.0.0 Ok: queued as 4F1A2B3C\r\n");
	tcpconv_sends(g, c, 0, "QUIT\r\n");
	tcpconv_sends(g, c, 1, "221 2.0.0 Bye\r\n");
}

void
tcpconv_close(struct pcapgen *g, struct tcpconv *c)
{
	tcpconv_segment(g, c, 0, 0x11, c->seq[0], NULL, 0);
	c->seq[0]++;
	tcpconv_segment(g, c, 1, 0x11, c->seq[1], NULL, 0);
	c->seq[1]++;
	tcpconv_segment(g, c, 0, 0x10, c->seq[0], NULL, 0);
}

size_t
pcapgen_eth_ipv6_tcp(uint8_t *out, const uint8_t src[16], uint16_t sport,
    const uint8_t dst[16], uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
    const void *data, size_t len)
{
	uint8_t *ip = out + 14, *tcp = ip + 40;
	uint32_t sum = 0;

	memset(out, 0x02, 12);
	put16(out + 12, 0x86dd);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)(20 + len));
	ip[6] = 6;
	ip[7] = 64;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memset(tcp, 0, 20);
	put16(tcp, sport);
	put16(tcp + 2, dport);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	if (len)
		memcpy(tcp + 20, data, len);
	/* RFC 8200 section 8.1: the upper-layer checksum pseudo header. */
	for (int i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += 6 + (uint32_t)(20 + len);
	put16(tcp + 16, pcapgen_csum(sum, tcp, 20 + len));
	return 14 + 40 + 20 + len;
}

struct pcapng_gen {
	FILE *fp;
	unsigned ifaces;
};

static void
pcapng_put32(FILE *fp, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	fwrite(b, 1, 4, fp);
}

static void
pcapng_put16(FILE *fp, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	fwrite(b, 1, 2, fp);
}

struct pcapng_gen *
pcapng_gen_open(const char *path)
{
	struct pcapng_gen *g = calloc(1, sizeof(*g));

	g->fp = fopen(path, "wb");
	if (g->fp == NULL)
		abort();
	/* Section Header Block: type, length 28, byte-order magic, version 1.0,
	 * section length unknown (-1), length again. */
	pcapng_put32(g->fp, 0x0a0d0d0a);
	pcapng_put32(g->fp, 28);
	pcapng_put32(g->fp, 0x1a2b3c4d);
	pcapng_put16(g->fp, 1);
	pcapng_put16(g->fp, 0);
	pcapng_put32(g->fp, 0xffffffff);
	pcapng_put32(g->fp, 0xffffffff);
	pcapng_put32(g->fp, 28);
	return g;
}

unsigned
pcapng_gen_iface(struct pcapng_gen *g, int linktype)
{
	/* Interface Description Block without options: default resolution is
	 * microseconds. */
	pcapng_put32(g->fp, 1);
	pcapng_put32(g->fp, 20);
	pcapng_put16(g->fp, (uint16_t)linktype);
	pcapng_put16(g->fp, 0);
	pcapng_put32(g->fp, 262144);
	pcapng_put32(g->fp, 20);
	return g->ifaces++;
}

void
pcapng_gen_packet(struct pcapng_gen *g, unsigned iface, uint64_t ts_us, const void *frame,
    size_t len)
{
	size_t pad = (4 - len % 4) % 4;
	uint32_t blen = (uint32_t)(32 + len + pad);
	static const uint8_t zero[4];

	pcapng_put32(g->fp, 6);
	pcapng_put32(g->fp, blen);
	pcapng_put32(g->fp, iface);
	pcapng_put32(g->fp, (uint32_t)(ts_us >> 32));
	pcapng_put32(g->fp, (uint32_t)ts_us);
	pcapng_put32(g->fp, (uint32_t)len);
	pcapng_put32(g->fp, (uint32_t)len);
	fwrite(frame, 1, len, g->fp);
	fwrite(zero, 1, pad, g->fp);
	pcapng_put32(g->fp, blen);
}

void
pcapng_gen_close(struct pcapng_gen *g)
{
	fclose(g->fp);
	free(g);
}

/* IEEE 802.3 clause 3.2.9: the FCS is the CRC-32 of the frame, sent least
 * significant byte first. */
static uint32_t
pcapgen_crc32(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return ~c;
}

size_t
pcapgen_link_from_eth(int linktype, int dir, bool null_big_endian, const uint8_t *eth,
    size_t len, uint8_t *out)
{
	const uint8_t *ip = eth + 14;
	size_t iplen = len - 14;
	uint16_t type = (uint16_t)(eth[12] << 8 | eth[13]);
	uint32_t fam = type == 0x86dd ? 30 : 2;
	size_t h = 0;

	switch (linktype) {
	case DLT_EN10MB:
		memcpy(out, eth, len);
		return len;
	case DLT_LINUX_SLL:
		/* Linux cooked capture v1: packet type, ARPHRD, address length,
		 * address (8 bytes), protocol. */
		memset(out, 0, 16);
		put16(out, dir == 0 ? 4 : 0);
		put16(out + 2, 1);
		put16(out + 4, 6);
		memcpy(out + 6, eth + 6, 6);
		put16(out + 14, type);
		h = 16;
		break;
	case DLT_LINUX_SLL2:
		/* v2: protocol, reserved, interface index, ARPHRD, packet type,
		 * address length, address (8 bytes). */
		memset(out, 0, 20);
		put16(out, type);
		put32(out + 4, 2);
		put16(out + 8, 1);
		out[10] = dir == 0 ? 4 : 0;
		out[11] = 6;
		memcpy(out + 12, eth + 6, 6);
		h = 20;
		break;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		break;
	case DLT_NULL:
		if (null_big_endian)
			put32(out, fam);
		else
			memcpy(out, &fam, 4);       /* the writer's host order */
		h = 4;
		break;
	case DLT_LOOP:
		put32(out, fam);
		h = 4;
		break;
	case DLT_IEEE802_11_RADIO: {
		uint8_t *w;
		size_t wlen;
		uint32_t fcs;

		/* radiotap.org: version 0, length 18, present TSFT|Flags|Rate;
		 * TSFT at offset 8 (8-aligned), Flags 0x10 = FCS at end, Rate
		 * 54 Mb/s. */
		memset(out, 0, 18);
		out[2] = 18;
		out[4] = 0x07;
		out[8] = 0x2a;
		out[16] = 0x10;
		out[17] = 0x6c;
		w = out + 18;
		/* IEEE 802.11-2020 section 9.3.2.1: frame control (little-endian)
		 * type 2 (data); to the AP a QoS data frame (subtype 8, To DS,
		 * addresses BSSID, SA, DA, and a QoS control field), from it a
		 * plain data frame (From DS, addresses DA, BSSID, SA). */
		if (dir == 0) {
			w[0] = 0x88;
			w[1] = 0x01;
		} else {
			w[0] = 0x08;
			w[1] = 0x02;
		}
		w[2] = 0x2c;
		w[3] = 0x00;
		if (dir == 0) {
			memcpy(w + 4, eth, 6);          /* BSSID: the AP is the next hop */
			memcpy(w + 10, eth + 6, 6);
			memcpy(w + 16, eth, 6);
		} else {
			memcpy(w + 4, eth, 6);
			memcpy(w + 10, eth + 6, 6);     /* BSSID */
			memcpy(w + 16, eth + 6, 6);
		}
		w[22] = 0x10;
		w[23] = 0x00;
		wlen = 24;
		if (dir == 0) {
			w[24] = 0x00;                   /* TID 0 */
			w[25] = 0x00;
			wlen = 26;
		}
		/* RFC 1042: LLC/SNAP with the EtherType. */
		memcpy(w + wlen, "\xaa\xaa\x03\x00\x00\x00", 6);
		put16(w + wlen + 6, type);
		wlen += 8;
		memcpy(w + wlen, ip, iplen);
		wlen += iplen;
		fcs = pcapgen_crc32(w, wlen);
		w[wlen] = (uint8_t)fcs;
		w[wlen + 1] = (uint8_t)(fcs >> 8);
		w[wlen + 2] = (uint8_t)(fcs >> 16);
		w[wlen + 3] = (uint8_t)(fcs >> 24);
		return 18 + wlen + 4;
	}
	default:
		fprintf(stderr, "pcapgen: link type %d not supported\n", linktype);
		abort();
	}
	memcpy(out + h, ip, iplen);
	return h + iplen;
}

void
pcapgen_frame_eth(struct pcapgen *g, uint64_t ts_us, int dir, const void *eth, size_t len)
{
	uint8_t *out;
	size_t n;

	if (g->encap > PCAPGEN_PLAIN) {
		uint8_t *w = malloc(len + PCAPGEN_ENCAP_ROOM);

		n = pcapgen_encap_frame(g->encap, dir, eth, len, w);
		g->encap = -g->encap - 1;       /* once: the wrapped frame is plain */
		pcapgen_frame_eth(g, ts_us, dir, w, n);
		g->encap = -g->encap - 1;
		free(w);
		return;
	}
	if (g->linktype == DLT_EN10MB) {
		pcapgen_frame(g, ts_us, eth, len);
		return;
	}
	out = malloc(len + 64);
	n = pcapgen_link_from_eth(g->linktype, dir, g->null_be, eth, len, out);
	pcapgen_frame(g, ts_us, out, n);
	free(out);
}

void
pcapgen_null_big_endian(struct pcapgen *g, bool on)
{
	g->null_be = on;
}

void
pcapgen_frame_ns(struct pcapgen *g, uint64_t ts_ns, const void *frame, size_t len)
{
	struct pcap_pkthdr h;

	if (!g->nsec)
		abort();
	h.ts.tv_sec = (time_t)(ts_ns / 1000000000);
	h.ts.tv_usec = (suseconds_t)(ts_ns % 1000000000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)g->d, &h, frame);
	g->frames++;
}

static void
pcapgen_swap(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

int
pcapgen_swap_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b;
	long size;
	size_t off, n;
	int rc = -1;

	if (fp == NULL)
		return -1;
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 24 || fseek(fp, 0, SEEK_SET) != 0) {
		fclose(fp);
		return -1;
	}
	b = malloc((size_t)size);
	n = fread(b, 1, (size_t)size, fp);
	fclose(fp);
	if (n != (size_t)size)
		goto out;
	{
		uint32_t magic;

		memcpy(&magic, b, 4);
		if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d)
			goto out;
	}
	/* tcpdump.org pcap savefile format: magic (4), major (2), minor (2),
	 * thiszone (4), sigfigs (4), snaplen (4), linktype (4); then per
	 * record ts_sec, ts_frac, caplen, len (4 each) and the data. */
	pcapgen_swap(b, 4);
	pcapgen_swap(b + 4, 2);
	pcapgen_swap(b + 6, 2);
	for (off = 8; off < 24; off += 4)
		pcapgen_swap(b + off, 4);
	off = 24;
	while (off + 16 <= n) {
		uint32_t caplen;

		memcpy(&caplen, b + off + 8, 4);
		for (int i = 0; i < 4; i++)
			pcapgen_swap(b + off + 4 * i, 4);
		off += 16 + (size_t)caplen;
	}
	fp = fopen(path, "wb");
	if (fp == NULL)
		goto out;
	if (fwrite(b, 1, n, fp) == n)
		rc = 0;
	if (fclose(fp) != 0)
		rc = -1;
out:
	free(b);
	return rc;
}

/* ---- tunnels ------------------------------------------------------------ */

static const struct {
	const char *name;
	int kind;
} pcapgen_encaps[] = {
	{ "plain", PCAPGEN_PLAIN }, { "gre", PCAPGEN_GRE }, { "gre-options", PCAPGEN_GRE_OPTS },
	{ "gre-teb", PCAPGEN_GRE_TEB }, { "erspan1", PCAPGEN_ERSPAN1 },
	{ "erspan2", PCAPGEN_ERSPAN2 }, { "erspan3", PCAPGEN_ERSPAN3 },
	{ "vxlan", PCAPGEN_VXLAN }, { "geneve", PCAPGEN_GENEVE }, { "pppoe", PCAPGEN_PPPOE },
	{ "qinq-pppoe", PCAPGEN_QINQ_PPPOE }, { "mpls", PCAPGEN_MPLS },
	{ "mpls-pw", PCAPGEN_MPLS_PW }, { "ipip", PCAPGEN_IPIP }, { "6in4", PCAPGEN_6IN4 },
	{ "4in6", PCAPGEN_4IN6 }, { "tso", PCAPGEN_TSO },
};

int
pcapgen_encap_named(const char *name)
{
	for (size_t i = 0; i < sizeof(pcapgen_encaps) / sizeof(pcapgen_encaps[0]); i++)
		if (strcmp(pcapgen_encaps[i].name, name) == 0)
			return pcapgen_encaps[i].kind;
	return -1;
}

void
pcapgen_encap(struct pcapgen *g, int kind)
{
	g->encap = kind;
}

/* Outer Ethernet header; returns 14. */
static size_t
enc_eth(uint8_t *o, int dir, uint16_t type)
{
	static const uint8_t a[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	static const uint8_t b[6] = { 0x00, 0x00, 0x5e, 0x00, 0x53, 0x02 };

	memcpy(o, dir ? b : a, 6);
	memcpy(o + 6, dir ? a : b, 6);
	put16(o + 12, type);
	return 14;
}

/* Outer IPv4 header (the tunnel endpoints 203.0.113.1 and .2); returns 20. */
static size_t
enc_ipv4(uint8_t *o, int dir, uint8_t proto, size_t payload)
{
	static const uint8_t e1[4] = { 203, 0, 113, 1 }, e2[4] = { 203, 0, 113, 2 };

	memset(o, 0, 20);
	o[0] = 0x45;
	put16(o + 2, (uint16_t)(20 + payload));
	o[6] = 0x40;
	o[8] = 64;
	o[9] = proto;
	memcpy(o + 12, dir ? e2 : e1, 4);
	memcpy(o + 16, dir ? e1 : e2, 4);
	put16(o + 10, pcapgen_csum(0, o, 20));
	return 20;
}

/* Outer IPv6 header (2001:db8:ffff::1 and ::2); returns 40. */
static size_t
enc_ipv6(uint8_t *o, int dir, uint8_t nh, size_t payload)
{
	memset(o, 0, 40);
	o[0] = 0x60;
	put16(o + 4, (uint16_t)payload);
	o[6] = nh;
	o[7] = 64;
	put16(o + 8, 0x2001), put16(o + 10, 0x0db8), put16(o + 12, 0xffff);
	memcpy(o + 24, o + 8, 16);
	o[23] = dir ? 2 : 1;
	o[39] = dir ? 1 : 2;
	return 40;
}

/* UDP header (RFC 768), checksum 0 (allowed over IPv4, RFC 7348 5); returns 8. */
static size_t
enc_udp(uint8_t *o, int dir, uint16_t dport, size_t payload)
{
	put16(o, (uint16_t)(49152 + dir));
	put16(o + 2, dport);
	put16(o + 4, (uint16_t)(8 + payload));
	put16(o + 6, 0);
	return 8;
}

/* The IPv4/TCP packet of eth rebuilt as IPv6/TCP, addresses 2001:db8::a.b.c.d. */
static size_t
enc_to_ipv6(const uint8_t *eth, size_t len, uint8_t *out)
{
	const uint8_t *ip = eth + 14, *tcp = ip + 20;
	uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8 }, d6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	uint8_t *tmp = malloc(len + 64);
	size_t n;

	memcpy(s6 + 12, ip + 12, 4);
	memcpy(d6 + 12, ip + 16, 4);
	n = pcapgen_eth_ipv6_tcp(tmp, s6, (uint16_t)(tcp[0] << 8 | tcp[1]), d6,
	    (uint16_t)(tcp[2] << 8 | tcp[3]),
	    (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7],
	    (uint32_t)tcp[8] << 24 | (uint32_t)tcp[9] << 16 | (uint32_t)tcp[10] << 8 | tcp[11],
	    tcp[13], tcp + 20, len - 14 - 40);
	memcpy(out, tmp + 14, n - 14);
	free(tmp);
	return n - 14;
}

/* A GRE header (RFC 2784, RFC 2890) before payload[0..n) already at o + its
 * length: flags C|K|S with opts, S alone with seq; returns its length. */
static size_t
enc_gre(uint8_t *o, uint16_t proto, bool opts, bool seq)
{
	size_t h = 4;

	put16(o, (uint16_t)((opts ? 0xb000 : 0) | (seq ? 0x1000 : 0)));
	put16(o + 2, proto);
	if (opts) {
		put32(o + 4, 0);                 /* checksum, filled by the caller */
		put32(o + 8, 0x0000beef);        /* key */
		h = 12;
	}
	if (opts || seq) {
		put32(o + h, 7);                 /* sequence number */
		h += 4;
	}
	return h;
}

size_t
pcapgen_encap_frame(int kind, int dir, const uint8_t *eth, size_t len, uint8_t *out)
{
	const uint8_t *ip = eth + 14;
	size_t iplen = len - 14, h = 0, g, t;
	uint8_t *o = out;

	switch (kind) {
	case PCAPGEN_GRE:
	case PCAPGEN_GRE_OPTS:
		g = kind == PCAPGEN_GRE_OPTS ? 16 : 4;
		h = enc_eth(o, dir, 0x0800);
		h += enc_ipv4(o + h, dir, 47, g + iplen);
		(void)enc_gre(o + h, 0x0800, kind == PCAPGEN_GRE_OPTS, false);
		memcpy(o + h + g, ip, iplen);
		if (kind == PCAPGEN_GRE_OPTS)    /* RFC 2784 2.5: over header and payload */
			put16(o + h + 4, pcapgen_csum(0, o + h, g + iplen));
		return h + g + iplen;
	case PCAPGEN_GRE_TEB:
	case PCAPGEN_ERSPAN1:
	case PCAPGEN_ERSPAN2:
	case PCAPGEN_ERSPAN3: {
		/* ERSPAN (draft-foschiano-erspan-03 4.1, 4.2, 4.3) */
		size_t e = kind == PCAPGEN_ERSPAN2 ? 8 : kind == PCAPGEN_ERSPAN3 ? 20 : 0;
		uint16_t proto = kind == PCAPGEN_GRE_TEB ? 0x6558 : kind == PCAPGEN_ERSPAN3 ? 0x22eb : 0x88be;
		uint8_t gre[16];

		g = enc_gre(gre, proto, false, kind == PCAPGEN_ERSPAN2 || kind == PCAPGEN_ERSPAN3);
		h = enc_eth(o, dir, 0x0800);
		h += enc_ipv4(o + h, dir, 47, g + e + len);
		memcpy(o + h, gre, g);
		h += g;
		memset(o + h, 0, e);
		if (kind == PCAPGEN_ERSPAN2) {
			put16(o + h, 0x1000 | 10);           /* version 1, VLAN 10 */
			put16(o + h + 2, 0x0000 | 100);      /* session 100 */
		} else if (kind == PCAPGEN_ERSPAN3) {
			put16(o + h, 0x2000 | 10);           /* version 2, VLAN 10 */
			put16(o + h + 2, 100);
			put32(o + h + 4, 0x12345678);        /* timestamp */
			o[h + 11] = 0x01;                    /* O: platform subheader follows */
			put32(o + h + 12, 0x08000000);       /* platform id 1 (4.3.1) */
		}
		memcpy(o + h + e, eth, len);
		return h + e + len;
	}
	case PCAPGEN_VXLAN:
	case PCAPGEN_GENEVE:
		t = kind == PCAPGEN_VXLAN ? 8 : 16;
		h = enc_eth(o, dir, 0x0800);
		h += enc_ipv4(o + h, dir, 17, 8 + t + len);
		h += enc_udp(o + h, dir, kind == PCAPGEN_VXLAN ? 4789 : 6081, t + len);
		memset(o + h, 0, t);
		if (kind == PCAPGEN_VXLAN) {             /* RFC 7348 5: I flag, VNI 42 */
			o[h] = 0x08;
			o[h + 6] = 42;
		} else {                                 /* RFC 8926 3.4: one 8-byte option */
			o[h] = 2;
			put16(o + h + 2, 0x6558);
			o[h + 6] = 42;
			put16(o + h + 8, 0x0103);            /* option class */
			o[h + 10] = 0x80;                    /* type (critical) */
			o[h + 11] = 1;                       /* 1 word of data */
			put32(o + h + 12, 0xcafe0001);
		}
		memcpy(o + h + t, eth, len);
		return h + t + len;
	case PCAPGEN_PPPOE:
	case PCAPGEN_QINQ_PPPOE:
		if (kind == PCAPGEN_QINQ_PPPOE) {        /* 802.1ad S-tag 100, 802.1Q C-tag 200 */
			h = enc_eth(o, dir, 0x88a8);
			put16(o + h, 100);
			put16(o + h + 2, 0x8100);
			put16(o + h + 4, 200);
			put16(o + h + 6, 0x8864);
			h += 8;
		} else {
			h = enc_eth(o, dir, 0x8864);
		}
		o[h] = 0x11;                             /* RFC 2516 4 */
		o[h + 1] = 0;
		put16(o + h + 2, 0x1234);
		put16(o + h + 4, (uint16_t)(2 + iplen));
		put16(o + h + 6, 0x0021);                /* PPP: IPv4 */
		memcpy(o + h + 8, ip, iplen);
		return h + 8 + iplen;
	case PCAPGEN_MPLS:
		h = enc_eth(o, dir, 0x8847);             /* RFC 3032: labels 100, 200 (S) */
		put32(o + h, 100u << 12 | 64);
		put32(o + h + 4, 200u << 12 | 0x100 | 64);
		memcpy(o + h + 8, ip, iplen);
		return h + 8 + iplen;
	case PCAPGEN_MPLS_PW:
		h = enc_eth(o, dir, 0x8847);             /* label 300 (S), RFC 4385 control word */
		put32(o + h, 300u << 12 | 0x100 | 64);
		put32(o + h + 4, 0);
		memcpy(o + h + 8, eth, len);
		return h + 8 + len;
	case PCAPGEN_IPIP:
		h = enc_eth(o, dir, 0x0800);
		h += enc_ipv4(o + h, dir, 4, iplen);
		memcpy(o + h, ip, iplen);
		return h + iplen;
	case PCAPGEN_6IN4: {
		uint8_t *v6 = malloc(len + 64);
		size_t n6 = enc_to_ipv6(eth, len, v6);

		h = enc_eth(o, dir, 0x0800);
		h += enc_ipv4(o + h, dir, 41, n6);
		memcpy(o + h, v6, n6);
		free(v6);
		return h + n6;
	}
	case PCAPGEN_4IN6:
		h = enc_eth(o, dir, 0x86dd);
		h += enc_ipv6(o + h, dir, 4, iplen);
		memcpy(o + h, ip, iplen);
		return h + iplen;
	case PCAPGEN_TSO:
		/* the total length a TSO-enabled NIC driver leaves: 0 */
		memcpy(o, eth, len);
		put16(o + 16, 0);
		put16(o + 24, 0);
		put16(o + 24, pcapgen_csum(0, o + 14, 20));
		return len;
	}
	memcpy(o, eth, len);
	return len;
}
