/* mksample - writes the evidence of the bundled sample case (cases/sample/):
 *
 *   sample.pcap   two SMTP submissions on port 587, each with AUTH LOGIN;
 *                 the second carries meeting.docx, which embeds a PNG map
 *   sample.mbox   a mailbox with an ordinary message and a spam message
 *                 whose bottom Received hops are forged
 *
 * The shape follows the public "Ann's Rendezvous" exercise; every name,
 * address and secret here is made up (example.* domains, RFC 5737 addresses).
 * Output is deterministic: the same bytes on every run.
 *
 * usage: mksample DIR */
#include "pcapgen.h"

#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static uint32_t
crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static size_t
png_chunk(uint8_t *out, const char *type, const uint8_t *data, size_t n)
{
	put_be32(out, (uint32_t)n);
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, data, n);
	put_be32(out + 8 + n, crc32_update(0, out + 4, n + 4));
	return n + 12;
}

/* A 32x16 RGB PNG (a tiny "map": water, land and a red marker), its image
 * data deflated as stored blocks (RFC 1951 section 3.2.4) in a zlib wrapper
 * (RFC 1950), so no compressor is needed. Returns a malloc'd buffer. */
static uint8_t *
make_png(size_t *len)
{
	enum { W = 32, H = 16, ROW = 1 + W * 3 };
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t raw[ROW * H], ihdr[13], *z, *out;
	uint32_t a = 1, b = 0;
	size_t i, zn = 0, n = 0, left, off;
	int x, y;

	for (y = 0; y < H; y++) {
		raw[y * ROW] = 0;
		for (x = 0; x < W; x++) {
			uint8_t *px = &raw[y * ROW + 1 + x * 3];
			bool marker = (x - 20) * (x - 20) + (y - 7) * (y - 7) < 5;

			if (marker) {
				px[0] = 220; px[1] = 30; px[2] = 30;
			} else if (x + y / 2 < 12) {
				px[0] = 60; px[1] = 120; px[2] = 200;
			} else {
				px[0] = 235; px[1] = 225; px[2] = 190;
			}
		}
	}
	z = malloc(sizeof(raw) + 64);
	z[zn++] = 0x78;
	z[zn++] = 0x01;
	for (off = 0, left = sizeof(raw); left > 0;) {
		size_t blk = left > 65535 ? 65535 : left;

		z[zn++] = left == blk ? 1 : 0;
		z[zn++] = (uint8_t)blk;
		z[zn++] = (uint8_t)(blk >> 8);
		z[zn++] = (uint8_t)~blk;
		z[zn++] = (uint8_t)(~blk >> 8);
		memcpy(z + zn, raw + off, blk);
		zn += blk;
		off += blk;
		left -= blk;
	}
	for (i = 0; i < sizeof(raw); i++) {
		a = (a + raw[i]) % 65521;
		b = (b + a) % 65521;
	}
	put_be32(z + zn, b << 16 | a);
	zn += 4;
	put_be32(ihdr, W);
	put_be32(ihdr + 4, H);
	ihdr[8] = 8;   /* bit depth */
	ihdr[9] = 2;   /* truecolour */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	out = malloc(sizeof(sig) + 25 + zn + 12 + 12);
	memcpy(out, sig, sizeof(sig));
	n = sizeof(sig);
	n += png_chunk(out + n, "IHDR", ihdr, sizeof(ihdr));
	n += png_chunk(out + n, "IDAT", z, zn);
	n += png_chunk(out + n, "IEND", NULL, 0);
	free(z);
	*len = n;
	return out;
}

static void
zip_add_text(zip_t *z, const char *name, const char *text)
{
	zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
	zip_int64_t i = zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8);

	if (i < 0) {
		fprintf(stderr, "mksample: %s: %s\n", name, zip_strerror(z));
		exit(1);
	}
	/* Fixed times keep the output identical from run to run. */
	zip_file_set_mtime(z, (zip_uint64_t)i, 1255197480, 0);
}

static const char docx_types[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
"<Default Extension=\"png\" ContentType=\"image/png\"/>"
"<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
"<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
"</Types>";

static const char docx_rels[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
"</Relationships>";

static const char docx_doc_rels[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
"<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/>"
"</Relationships>";

/* The text is split across runs, as word processors do. */
static const char docx_document[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
"xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
"xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
"xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>"
"<w:p><w:r><w:t>Meet me at the </w:t></w:r><w:r><w:t>old lighthouse</w:t></w:r>"
"<w:r><w:t xml:space=\"preserve\"> on the pier. Map below. Bring the </w:t></w:r>"
"<w:r><w:t>blue folder.</w:t></w:r></w:p>"
"<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"Picture 1\"/><a:graphic>"
"<a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
"<pic:blipFill><a:blip r:embed=\"rId4\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>"
"</wp:inline></w:drawing></w:r></w:p>"
"</w:body></w:document>";

static const char docx_core[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
"xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
"<dc:title></dc:title><dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>"
"<cp:revision>1</cp:revision>"
"<dcterms:created xsi:type=\"dcterms:W3CDTF\">2009-10-10T17:58:00Z</dcterms:created>"
"<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2009-10-10T18:29:00Z</dcterms:modified>"
"</cp:coreProperties>";

static const char docx_app[] =
"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
"<Application>Microsoft Office Word</Application><AppVersion>12.0000</AppVersion>"
"<Pages>1</Pages><Words>16</Words><TotalTime>31</TotalTime></Properties>";

static void *
make_docx(size_t *len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	size_t pnglen;
	uint8_t *png = make_png(&pnglen);
	zip_stat_t st;
	void *out;
	zip_int64_t idx;

	zip_error_init(&ze);
	src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	zip_add_text(z, "[Content_Types].xml", docx_types);
	zip_add_text(z, "_rels/.rels", docx_rels);
	zip_add_text(z, "word/document.xml", docx_document);
	zip_add_text(z, "word/_rels/document.xml.rels", docx_doc_rels);
	zip_add_text(z, "docProps/core.xml", docx_core);
	zip_add_text(z, "docProps/app.xml", docx_app);
	idx = zip_file_add(z, "word/media/image1.png", zip_source_buffer(z, png, pnglen, 0), 0);
	zip_file_set_mtime(z, (zip_uint64_t)idx, 1255197480, 0);
	zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	if (zip_close(z) != 0) {
		fprintf(stderr, "mksample: docx: %s\n", zip_error_strerror(&ze));
		exit(1);
	}
	free(png);
	zip_source_stat(src, &st);
	out = malloc(st.size);
	zip_source_open(src);
	*len = (size_t)zip_source_read(src, out, st.size);
	zip_source_close(src);
	zip_source_free(src);
	return out;
}

/* Base64 in 76-character lines (RFC 2045 section 6.8). */
static char *
b64_lines(const void *p, size_t n)
{
	const uint8_t *in = p;
	size_t cap = (n + 2) / 3 * 4 + n / 57 * 2 + 8, off = 0;
	char *out = malloc(cap);

	while (n > 0) {
		size_t take = n > 57 ? 57 : n;

		off += (size_t)EVP_EncodeBlock((unsigned char *)out + off, in, (int)take);
		out[off++] = '\r';
		out[off++] = '\n';
		in += take;
		n -= take;
	}
	out[off] = '\0';
	return out;
}

static char *
b64(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc((n + 2) / 3 * 4 + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
	return out;
}

static void
smtp_session(struct pcapgen *g, uint16_t port, uint64_t t0, const char *server,
    const char *rcpt, const char *message)
{
	struct tcpconv c;
	char line[512];
	char *u = b64("j.doe@example.net"), *p = b64("Tr0ub4dor&3");

	tcpconv_init(&c, "192.0.2.23", port, "198.51.100.25", 587);
	c.ts_us = t0;
	c.step_us = 40000;
	c.seq[0] = 0x1a2b3c00u + port;
	c.seq[1] = 0x77665500u + port;
	tcpconv_handshake(g, &c);
	snprintf(line, sizeof(line), "220 %s ESMTP Postfix (Debian/GNU)\r\n", server);
	tcpconv_sends(g, &c, 1, line);
	tcpconv_sends(g, &c, 0, "EHLO examlaptop\r\n");
	snprintf(line, sizeof(line), "250-%s\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
	    "250-AUTH LOGIN PLAIN\r\n250-STARTTLS\r\n250-8BITMIME\r\n250 CHUNKING\r\n", server);
	tcpconv_sends(g, &c, 1, line);
	tcpconv_sends(g, &c, 0, "AUTH LOGIN\r\n");
	tcpconv_sends(g, &c, 1, "334 VXNlcm5hbWU6\r\n");
	snprintf(line, sizeof(line), "%s\r\n", u);
	tcpconv_sends(g, &c, 0, line);
	tcpconv_sends(g, &c, 1, "334 UGFzc3dvcmQ6\r\n");
	snprintf(line, sizeof(line), "%s\r\n", p);
	tcpconv_sends(g, &c, 0, line);
	tcpconv_sends(g, &c, 1, "235 2.7.0 Authentication successful\r\n");
	tcpconv_sends(g, &c, 0, "MAIL FROM:<j.doe@example.net>\r\n");
	tcpconv_sends(g, &c, 1, "250 2.1.0 Ok\r\n");
	snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", rcpt);
	tcpconv_sends(g, &c, 0, line);
	tcpconv_sends(g, &c, 1, "250 2.1.5 Ok\r\n");
	tcpconv_sends(g, &c, 0, "DATA\r\n");
	tcpconv_sends(g, &c, 1, "354 End data with <CR><LF>.<CR><LF>\r\n");
	tcpconv_sends(g, &c, 0, message);
	tcpconv_sends(g, &c, 0, "\r\n.\r\n");
	tcpconv_sends(g, &c, 1, "250 2.0.0 Ok: queued as 4F2A11C0B3\r\n");
	tcpconv_sends(g, &c, 0, "QUIT\r\n");
	tcpconv_sends(g, &c, 1, "221 2.0.0 Bye\r\n");
	tcpconv_close(g, &c);
	free(u);
	free(p);
}

static const char message1[] =
"Message-ID: <20091010133530.1001@examlaptop.example.net>\r\n"
"From: \"Jo Doe\" <j.doe@example.net>\r\n"
"To: <lunch.friend@example.com>\r\n"
"Subject: lunch next week\r\n"
"Date: Sat, 10 Oct 2009 07:35:30 -0600\r\n"
"MIME-Version: 1.0\r\n"
"Content-Type: text/plain; charset=\"iso-8859-1\"\r\n"
"Content-Transfer-Encoding: quoted-printable\r\n"
"X-Mailer: Sample Mailer 1.0\r\n"
"\r\n"
"Sorry-- I can't do lunch next week after all. Heading out of town. Another =\r\n"
"time! -Jo\r\n";

static char *
message2(void)
{
	size_t dlen;
	void *docx = make_docx(&dlen);
	char *att = b64_lines(docx, dlen);
	const char *head =
	    "Message-ID: <20091010133720.1002@examlaptop.example.net>\r\n"
	    "From: \"Jo Doe\" <j.doe@example.net>\r\n"
	    "To: <mr.x@example.org>\r\n"
	    "Subject: rendezvous\r\n"
	    "Date: Sat, 10 Oct 2009 07:37:20 -0600\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=\"=_sample_boundary_1\"\r\n"
	    "X-Mailer: Sample Mailer 1.0\r\n"
	    "\r\n"
	    "This is a multi-part message in MIME format.\r\n"
	    "\r\n"
	    "--=_sample_boundary_1\r\n"
	    "Content-Type: text/plain; charset=\"utf-8\"\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n"
	    "\r\n"
	    "Bring the blue folder and your good shoes. Place attached. -Jo\r\n"
	    "\r\n"
	    "--=_sample_boundary_1\r\n"
	    "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\r\n"
	    "\tname=\"meeting.docx\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n"
	    "Content-Disposition: attachment; filename=\"meeting.docx\"\r\n"
	    "\r\n";
	const char *tail = "\r\n--=_sample_boundary_1--\r\n";
	char *m = malloc(strlen(head) + strlen(att) + strlen(tail) + 1);

	strcpy(m, head);
	strcat(m, att);
	strcat(m, tail);
	free(att);
	free(docx);
	return m;
}

/* The spam message: the top two hops are the recipient's own servers; the
 * two below them were written by the sender (a hop that is not the next
 * hop's sender, a day earlier, and a line no server writes). */
static const char mbox[] =
"From j.doe@example.net Sat Oct 10 12:00:00 2009\n"
"Return-Path: <j.doe@example.net>\n"
"Received: from examlaptop.example.net (examlaptop.example.net [192.0.2.23])\n"
"\tby mx1.example.net (Postfix) with ESMTPSA id 11AA22BB33\n"
"\tfor <case.owner@example.net>; Sat, 10 Oct 2009 12:00:00 +0000 (UTC)\n"
"Message-ID: <20091010120000.0999@examlaptop.example.net>\n"
"From: \"Jo Doe\" <j.doe@example.net>\n"
"To: <case.owner@example.net>\n"
"Subject: travel plans\n"
"Date: Sat, 10 Oct 2009 05:59:58 -0600\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=utf-8\n"
"\n"
"Flights are booked. I will send the details later.\n"
">From the airport I take a taxi.\n"
"\n"
"From spammer@bulk.example.com Mon Jan 13 15:21:10 2003\n"
"Return-Path: <offers@bulk.example.com>\n"
"Received: from mail.relay.example.edu (mail.relay.example.edu [198.51.100.7])\n"
"\tby mx.example.org (Postfix) with ESMTP id 7C1D2E3F4\n"
"\tfor <case.owner@example.net>; Tue, 14 Jan 2003 15:21:07 +0000 (UTC)\n"
"Received: from sender.example.com (sender.example.com [203.0.113.115])\n"
"\tby mail.relay.example.edu (8.8.5/8.8.5) with SMTP id PAA01234;\n"
"\tTue, 14 Jan 2003 15:20:55 GMT\n"
"Received: from nowhere by fictitious-site (8.8.3/8.7.2)\n"
"\tid GAA00001; Mon, 13 Jan 2003 14:00:00 GMT\n"
"Received: No Information Here, Go Away!\n"
"Message-ID: <3E2427F3.000001@bulk.example.com>\n"
"From: =?UTF-8?B?7Yq567OEIO2VoOyduA==?= <offers@bulk.example.com>\n"
"To: <case.owner@example.net>\n"
"Subject: =?UTF-8?B?7KeA6riIIOuwlOuhnCDtmZXsnbjtlbQg67O07IS47JqULg==?=\n"
"Date: Tue, 14 Jan 2003 15:20:40 +0000\n"
"MIME-Version: 1.0\n"
"Content-Type: text/html; charset=utf-8\n"
"\n"
"<html><body><p>Click <a href=\"javascript:alert(1)\">here</a> | now!</p>"
"<script>alert('x')</script></body></html>\n";

int
main(int argc, char **argv)
{
	char path[4096];
	struct pcapgen *g;
	char *m2;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mksample DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/sample.pcap", argv[1]);
	g = pcapgen_open(path, DLT_EN10MB, false);
	smtp_session(g, 49201, 1255181730000000ULL, "mx1.example.net", "lunch.friend@example.com",
	    message1);
	m2 = message2();
	smtp_session(g, 49203, 1255181840000000ULL, "mx2.example.net", "mr.x@example.org", m2);
	free(m2);
	pcapgen_close(g);
	snprintf(path, sizeof(path), "%s/sample.mbox", argv[1]);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(mbox, 1, sizeof(mbox) - 1, f) != sizeof(mbox) - 1 || fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
