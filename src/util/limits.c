/* limits.c - default ceilings, and setting them by name (see limits.h and
 * mailcase(1), which says why each default is what it is). */
#include "util/limits.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void
limits_default(struct limits *lim)
{
	lim->flow_bytes = 64u << 20;
	lim->capture_bytes = 192u << 20;
	lim->line_bytes = 64u << 10;
	lim->message_bytes = 64u << 20;
	lim->text_bytes = 8u << 20;
	lim->mime_parts = 1000;
	lim->mime_depth = 16;
	lim->zip_entries = 10000;
	lim->zip_inflated = 512ull << 20;
	lim->zip_ratio = 200;
	lim->xml_bytes = 64u << 20;
	lim->doc_depth = 4;
	lim->doc_count = 1000;
	lim->encap_depth = 8;      /* capture/decode.h DECODE_ENCAP_DEFAULT */
	lim->stream_gaps = 100000;
	lim->session_messages = 100000;
	lim->transcript_lines = 20000;
	lim->smtp_recipients = 10000;
	lim->smtp_transactions = 10000;
	lim->smtp_pending = 20000;
	lim->pop3_lines = 1000000;
	lim->imap_items = 1000000;
	lim->received = 1000;
	lim->header_bytes = 1u << 20;
	lim->header_addresses = 10000;
}

enum lim_type { LIM_SIZE, LIM_U64, LIM_UINT };

static const struct lim_name {
	const char *name;
	enum lim_type type;
	size_t off;
	const char *meaning;
} lim_names[] = {
	{ "flow-bytes", LIM_SIZE, offsetof(struct limits, flow_bytes),
	  "reassembled bytes kept per flow direction" },
	{ "capture-bytes", LIM_SIZE, offsetof(struct limits, capture_bytes),
	  "reassembled bytes kept across all open flows" },
	{ "stream-gaps", LIM_UINT, offsetof(struct limits, stream_gaps),
	  "holes recorded per flow direction (later ones are counted)" },
	{ "encap-depth", LIM_UINT, offsetof(struct limits, encap_depth),
	  "tunnel layers followed in one frame" },
	{ "line-bytes", LIM_SIZE, offsetof(struct limits, line_bytes),
	  "longest SMTP, POP3 or IMAP line read whole" },
	{ "message-bytes", LIM_SIZE, offsetof(struct limits, message_bytes),
	  "largest message kept; a longer one is cut and kept as a partial" },
	{ "text-bytes", LIM_SIZE, offsetof(struct limits, text_bytes),
	  "decoded text of a message kept for the report and search" },
	{ "session-messages", LIM_UINT, offsetof(struct limits, session_messages),
	  "messages kept per mail session" },
	{ "transcript-lines", LIM_UINT, offsetof(struct limits, transcript_lines),
	  "transcript lines kept per mail session (the rest counted)" },
	{ "smtp-recipients", LIM_UINT, offsetof(struct limits, smtp_recipients),
	  "RCPT TO recipients kept per SMTP session" },
	{ "smtp-transactions", LIM_UINT, offsetof(struct limits, smtp_transactions),
	  "MAIL FROM transactions kept per SMTP session" },
	{ "smtp-pending", LIM_UINT, offsetof(struct limits, smtp_pending),
	  "pipelined SMTP commands waiting for their replies" },
	{ "pop3-lines", LIM_UINT, offsetof(struct limits, pop3_lines),
	  "lines of one POP3 listing (LIST, UIDL, CAPA) read" },
	{ "imap-items", LIM_UINT, offsetof(struct limits, imap_items),
	  "FETCH data items kept per IMAP session" },
	{ "mime-parts", LIM_UINT, offsetof(struct limits, mime_parts),
	  "MIME parts per message" },
	{ "mime-depth", LIM_UINT, offsetof(struct limits, mime_depth),
	  "nesting of multiparts and attached messages" },
	{ "received", LIM_UINT, offsetof(struct limits, received),
	  "Received fields read per message" },
	{ "header-bytes", LIM_SIZE, offsetof(struct limits, header_bytes),
	  "longest header field analysed (a longer one is cut)" },
	{ "header-addresses", LIM_UINT, offsetof(struct limits, header_addresses),
	  "addresses read per address field (From, To, Cc, ...)" },
	{ "zip-entries", LIM_UINT, offsetof(struct limits, zip_entries),
	  "entries per office document" },
	{ "zip-bytes", LIM_U64, offsetof(struct limits, zip_inflated),
	  "inflated bytes of a document and every document inside it" },
	{ "zip-ratio", LIM_UINT, offsetof(struct limits, zip_ratio),
	  "largest compression ratio of an entry" },
	{ "xml-bytes", LIM_SIZE, offsetof(struct limits, xml_bytes),
	  "largest XML part of a document parsed" },
	{ "doc-depth", LIM_UINT, offsetof(struct limits, doc_depth),
	  "documents inside documents, levels" },
	{ "doc-count", LIM_UINT, offsetof(struct limits, doc_count),
	  "documents inside one document, at every level together" },
};

bool
limits_parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || v == 0)
		return false;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'm' || *end == 'M')
		shift = 20;
	else if (*end == 'g' || *end == 'G')
		shift = 30;
	if (shift != 0)
		end++;
	if (*end != '\0' || v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

bool
limits_set(struct limits *lim, const char *name_value, char *err, size_t errlen)
{
	const char *eq = strchr(name_value, '=');
	size_t n = eq ? (size_t)(eq - name_value) : strlen(name_value), i;
	uint64_t v;
	char *p;

	for (i = 0; i < sizeof(lim_names) / sizeof(lim_names[0]); i++)
		if (strlen(lim_names[i].name) == n && strncmp(lim_names[i].name, name_value, n) == 0)
			break;
	if (i == sizeof(lim_names) / sizeof(lim_names[0])) {
		snprintf(err, errlen, "unknown ceiling '%.*s' ('mailcase limits' lists them)",
		    (int)(n > 64 ? 64 : n), name_value);
		return false;
	}
	if (eq == NULL || !limits_parse_size(eq + 1, &v)) {
		snprintf(err, errlen, "%s takes a positive number (k, M, G allowed), not '%.64s'",
		    lim_names[i].name, eq ? eq + 1 : "");
		return false;
	}
	p = (char *)lim + lim_names[i].off;
	switch (lim_names[i].type) {
	case LIM_SIZE: {
		size_t s = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
		memcpy(p, &s, sizeof(s));
		break;
	}
	case LIM_U64:
		memcpy(p, &v, sizeof(v));
		break;
	case LIM_UINT: {
		unsigned u = v > UINT_MAX ? UINT_MAX : (unsigned)v;
		memcpy(p, &u, sizeof(u));
		break;
	}
	}
	/* one flow's bytes always fit in the capture's */
	if (lim->capture_bytes < lim->flow_bytes)
		lim->capture_bytes = lim->flow_bytes;
	return true;
}

void
limits_print(FILE *fp)
{
	struct limits d;
	size_t i;

	limits_default(&d);
	fprintf(fp, "Ceilings, set with --limit NAME=VALUE (k, M, G: powers of 1024).\n"
	    "A hit ceiling is a processing-log finding; see mailcase(1) for why each\n"
	    "default is what it is.\n\n");
	for (i = 0; i < sizeof(lim_names) / sizeof(lim_names[0]); i++) {
		const char *p = (const char *)&d + lim_names[i].off;
		unsigned long long v;

		switch (lim_names[i].type) {
		case LIM_SIZE: { size_t s; memcpy(&s, p, sizeof(s)); v = s; break; }
		case LIM_U64: { uint64_t u; memcpy(&u, p, sizeof(u)); v = u; break; }
		default: { unsigned u; memcpy(&u, p, sizeof(u)); v = u; break; }
		}
		fprintf(fp, "  %-18s %12llu  %s\n", lim_names[i].name, v, lim_names[i].meaning);
	}
}
