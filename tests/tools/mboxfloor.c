/* mboxfloor - the benchmark's floor for a mailbox: `mboxfloor FILE.mbox`.
 *
 * The least work any mail tool must do with an mbox: GMime parses every
 * message, decodes the Subject and address fields (RFC 2047), decodes every
 * leaf part (base64, quoted-printable), descending into multiparts and
 * forwarded messages (message/rfc822), and hashes every decoded part and
 * every raw message with SHA-256 (libcrypto). `make bench` divides
 * mailcase's time by this program's. Prints one line of counts. */
#include <fcntl.h>
#include <gmime/gmime.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct floor_count {
	unsigned long messages, parts;
	unsigned long long decoded;
	unsigned char last[EVP_MAX_MD_SIZE];   /* kept so the hashes are not optimised away */
};

static void
floor_hash(struct floor_count *c, const void *p, size_t n)
{
	unsigned int len = 0;

	if (EVP_Digest(p, n, c->last, &len, EVP_sha256(), NULL) != 1) {
		fprintf(stderr, "mboxfloor: SHA-256 failed\n");
		exit(1);
	}
}

static void floor_object(struct floor_count *c, GMimeObject *o, unsigned depth);

static void
floor_message(struct floor_count *c, GMimeMessage *m, unsigned depth)
{
	InternetAddressList *from = g_mime_message_get_from(m);
	char *s = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;
	const char *subject = g_mime_message_get_subject(m);

	g_free(s);
	(void)subject;
	if (g_mime_message_get_mime_part(m) != NULL)
		floor_object(c, g_mime_message_get_mime_part(m), depth + 1);
}

static void
floor_leaf(struct floor_count *c, GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;

	if (content == NULL)
		return;
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	floor_hash(c, bytes->data, bytes->len);
	c->parts++;
	c->decoded += bytes->len;
	g_object_unref(mem);
}

static void
floor_object(struct floor_count *c, GMimeObject *o, unsigned depth)
{
	if (depth > 20)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int i, n = g_mime_multipart_get_count(mp);
		for (i = 0; i < n; i++)
			floor_object(c, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (inner != NULL)
			floor_message(c, inner, depth + 1);
	} else if (GMIME_IS_PART(o)) {
		floor_leaf(c, GMIME_PART(o));
	}
}

int
main(int argc, char **argv)
{
	struct floor_count c = { 0 };
	GMimeStream *fs;
	GMimeParser *parser;
	GError *err = NULL;
	struct timespec t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: mboxfloor FILE.mbox\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	g_mime_init();
	fs = g_mime_stream_fs_open(argv[1], O_RDONLY, 0, &err);
	if (fs == NULL) {
		fprintf(stderr, "mboxfloor: %s: %s\n", argv[1], err ? err->message : "cannot open");
		return 1;
	}
	parser = g_mime_parser_new_with_stream(fs);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
	while (!g_mime_parser_eos(parser)) {
		GMimeMessage *m = g_mime_parser_construct_message(parser, NULL);
		gint64 start, end;
		GMimeStream *raw;
		GByteArray *bytes;

		if (m == NULL)
			break;
		start = g_mime_parser_get_headers_begin(parser);
		end = g_mime_parser_tell(parser);
		/* the raw message, as a tool stores it */
		raw = g_mime_stream_substream(fs, start, end);
		{
			GMimeStream *mem = g_mime_stream_mem_new();
			g_mime_stream_write_to_stream(raw, mem);
			bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
			floor_hash(&c, bytes->data, bytes->len);
			g_object_unref(mem);
		}
		g_object_unref(raw);
		floor_message(&c, m, 0);
		c.messages++;
		g_object_unref(m);
	}
	g_object_unref(parser);
	g_object_unref(fs);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("mboxfloor: %lu messages, %lu parts, %llu bytes decoded, %.2f s\n", c.messages,
	    c.parts, c.decoded, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
