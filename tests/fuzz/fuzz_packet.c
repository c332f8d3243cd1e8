/* fuzz_packet - libFuzzer target for the packet decoder and TCP reassembly.
 *
 * Input: one byte choosing the link type and options, then frames, each
 * prefixed by a 2-byte big-endian length. Every frame goes through
 * decode_frame(); TCP segments go into a flow table with small ceilings so
 * the caps, gaps and conflicts paths are reached. Inputs are capped at 64 KB. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/decode.h"
#include "capture/flows.h"
#include "ingest.h"
#include "util/plog.h"

static void
fuzz_sink(void *arg, struct flow *f)
{
	struct buf b;
	size_t *n = arg;

	/* Exercise provenance on whatever was rebuilt. */
	buf_init(&b, 4096);
	for (int d = 0; d < 2; d++) {
		stream_frames(&f->dir[d], 0, f->dir[d].data.len, &b);
		if (f->dir[d].data.len)
			(void)stream_locate(&f->dir[d], f->dir[d].data.len - 1);
	}
	buf_free(&b);
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int links[] = {
		DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL,
		DLT_LOOP, DLT_IEEE802_11, DLT_IEEE802_11_RADIO, 14, 147,
	};
	static const char *paths[] = { "fuzz" };
	struct limits lim;
	struct plog *log;
	struct decoder *dec;
	struct flows *ft;
	struct flow_sink sink;
	size_t nflows = 0, off = 1;
	uint32_t frame = 0;
	int link;

	if (size < 1 || size > 65536)
		return 0;
	link = links[(data[0] & 0x7f) % (sizeof(links) / sizeof(links[0]))];
	memset(&lim, 0, sizeof(lim));
	lim.flow_bytes = 2048;
	lim.capture_bytes = 8192;
	log = plog_new();
	dec = decoder_new();
	sink.arg = &nflows;
	sink.flow_end = fuzz_sink;
	ft = flows_new(log, &lim, (data[0] & 0x80) != 0, &sink, paths);
	while (off + 2 <= size) {
		size_t n = (size_t)(data[off] << 8 | data[off + 1]);
		struct tcp_seg seg;
		const char *why;
		size_t where;

		off += 2;
		if (n > size - off)
			n = size - off;
		frame++;
		if (decode_frame(dec, link, data + off, n, (int64_t)frame * 1000000, &seg, &why,
		    &where) == DECODE_TCP) {
			struct frame_ref at = { 1, 0, frame, (int64_t)frame * 1000000 };

			flows_segment(ft, &seg, &at, (uint32_t)n);
		}
		off += n;
	}
	flows_free(ft);
	decoder_free(dec);
	plog_free(log);
	return 0;
}
