/* limits.h - the ceilings every stage works within (STYLE.md principle 3).
 *
 * One struct limits is filled by limits_default() and the command-line
 * options (cli.c) and handed, borrowed, to each stage that needs it. A stage
 * that hits one records a processing-log finding; nothing is cut silently. */
#ifndef MC_LIMITS_H
#define MC_LIMITS_H

#include <stddef.h>
#include <stdint.h>

struct limits {
	size_t flow_bytes;        /* reassembled bytes kept per flow direction */
	size_t capture_bytes;     /* reassembled bytes kept across all open flows */
	size_t line_bytes;        /* longest protocol line parsed */
	size_t message_bytes;     /* largest message analysed */
	unsigned mime_parts;      /* parts per message */
	unsigned mime_depth;      /* nesting of multipart and message/rfc822 */
	unsigned zip_entries;     /* entries per office document */
	uint64_t zip_inflated;    /* inflated bytes per office document */
	unsigned zip_ratio;       /* largest compression ratio accepted */
	size_t xml_bytes;         /* largest XML part parsed */
	unsigned doc_depth;       /* documents inside documents */
	unsigned encap_depth;     /* tunnel layers (GRE, VXLAN, MPLS, ...) followed in one frame */
};

/* The defaults documented in mailcase(1). */
void limits_default(struct limits *lim);

#endif
