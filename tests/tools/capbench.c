/* capbench - runs the capture stage with a sink that only counts, for the
 * benchmark: `capbench CAPTURE...` prints packets, flows, MB/s and peak RSS.
 * `capbench --hash FILE` times evidence hashing alone.
 * `capbench streams ...` runs the streams command (for tests, until the
 * command line dispatches it). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "capture/capture.h"
#include "ingest.h"
#include "streams.h"
#include "util/hash.h"
#include "util/plog.h"

struct counts {
	uint64_t flows, mail, kept;
};

static void
count_flow(void *arg, struct flow *f)
{
	struct counts *c = arg;

	c->flows++;
	if (f->app[0]) {
		c->mail++;
		c->kept += f->dir[0].data.len + f->dir[1].data.len;
	}
}

int
main(int argc, char **argv)
{
	struct limits lim;
	struct plog *log;
	struct capture *c;
	struct counts n = { 0, 0, 0 };
	struct flow_sink sink = { &n, count_flow };
	struct timespec t0, t1;
	struct rusage ru;
	uint64_t bytes = 0, packets = 0;
	double s;

	if (argc > 1 && strcmp(argv[1], "streams") == 0)
		return streams_main(argc - 1, argv + 1);
	if (argc > 2 && strcmp(argv[1], "--hash") == 0) {
		struct hashes h;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (!hash_file(argv[2], &h)) {
			perror(argv[2]);
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("hashing: %" PRIu64 " bytes, %.2f s, %.0f MB/s, sha256 %s\n", h.size, s,
		    (double)h.size / 1e6 / s, h.sha256);
		return 0;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: capbench CAPTURE...\n");
		return 2;
	}
	limits_default(&lim);
	log = plog_new();
	c = capture_new(log, &lim, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0)
			bytes += (uint64_t)st.st_size;
		capture_add_file(c, argv[i], i);
	}
	capture_run(c, &sink);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (size_t i = 0; i < capture_file_count(c); i++)
		packets += capture_file_get(c, i)->packets;
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	getrusage(RUSAGE_SELF, &ru);
	printf("capture: %" PRIu64 " bytes, %" PRIu64 " packets, %" PRIu64 " flows (%" PRIu64
	    " mail, %" PRIu64 " mail bytes kept), %zu log entries\n",
	    bytes, packets, n.flows, n.mail, n.kept, plog_count(log));
	printf("decode+reassembly: %.2f s, %.0f MB/s, peak RSS %ld MB\n", s,
	    (double)bytes / 1e6 / s, ru.ru_maxrss / 1024);
	capture_free(c);
	plog_free(log);
	return 0;
}
