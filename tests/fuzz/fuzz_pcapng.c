/* fuzz_pcapng - libFuzzer target for the capture stage's file path: the
 * input is a whole capture file (pcapng or pcap, as libpcap decides) read
 * through capture_new/capture_add_file/capture_run, so block parsing,
 * interface and link-type handling, timestamps and the file-level errors
 * (truncated, unreadable) are reached as they are for evidence. The bytes
 * live in a memfd, opened by its /proc path like any evidence file. Inputs
 * are capped at 64 KB; ceilings are small so caps are reached. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "file_fuzz.h"

#include "capture/capture.h"
#include "util/limits.h"
#include "util/plog.h"

static void
fuzz_flow_end(void *arg, struct flow *f)
{
	size_t *n = arg;

	(*n)++;
	(void)f;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct limits lim;
	struct plog *log;
	struct capture *cap;
	size_t nflows = 0, i;
	struct flow_sink sink = { .arg = &nflows, .flow_end = fuzz_flow_end };
	char path[64];
	int fd;

	if (size > 65536)
		return 0;
	if ((fd = fuzz_file(data, size, path)) < 0)
		return 0;
	limits_default(&lim);
	lim.flow_bytes = 4096;
	lim.capture_bytes = 16384;
	log = plog_new();
	cap = capture_new(log, &lim, NULL);
	capture_add_file(cap, path, 1);
	capture_run(cap, &sink);
	for (i = 0; i < capture_file_count(cap); i++)
		(void)capture_file_get(cap, i)->packets;
	capture_free(cap);
	plog_free(log);
	close(fd);
	return 0;
}
