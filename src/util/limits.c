/* limits.c - default ceilings (see limits.h and mailcase(1)). */
#include "util/limits.h"

void
limits_default(struct limits *lim)
{
	lim->flow_bytes = 64u << 20;
	lim->capture_bytes = 192u << 20;
	lim->line_bytes = 64u << 10;
	lim->message_bytes = 64u << 20;
	lim->mime_parts = 1000;
	lim->mime_depth = 16;
	lim->zip_entries = 10000;
	lim->zip_inflated = 512ull << 20;
	lim->zip_ratio = 200;
	lim->xml_bytes = 64u << 20;
	lim->doc_depth = 4;
	lim->encap_depth = 8;      /* capture/decode.h DECODE_ENCAP_DEFAULT */
}
