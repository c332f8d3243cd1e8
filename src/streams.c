/* streams.c - the streams command: TCP flows out as files.
 *
 * File names follow tcpflow: each address as four zero-padded decimal
 * octets (IPv6: eight 4-digit hex groups), each port as five digits,
 * "SRC.PORT-DST.PORT"; a repeated connection on the same endpoints gets
 * "c1", "c2"... appended, as tcpflow does. Names are built from numbers only,
 * never from evidence text. A direction without payload gets no file. */
#include "streams.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "exitcodes.h"
#include "util/limits.h"
#include "util/hash.h"
#include "util/plog.h"
#include "util/outdir.h"
#include "util/xalloc.h"

struct streams_out {
	const char *dir;
	json_t **flows;             /* by flow id - 1 */
	size_t nflows;
	char **names;               /* open-addressing set of base names used */
	unsigned *counts;
	size_t names_cap, names_n;
	bool failed;
};

static void
streams_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: mailcase streams -o DIR CAPTURE...\n"
	    "\n"
	    "Writes each TCP flow of the capture (several files are one capture, read in\n"
	    "order of their first packet) as two files in DIR, one per direction, named\n"
	    "as tcpflow names them (192.168.001.159.01036-064.012.102.142.00587), and\n"
	    "DIR/index.json: flow id, endpoints, first and last time, frames, byte counts,\n"
	    "gaps, conflicting retransmissions and the SHA-256 of each file.\n"
	    "DIR must not exist or be empty.\n"
	    "\n"
	    "  -o, --output DIR   where to write (required)\n"
	    "  -h, --help         this text\n");
}

static void
streams_endpoint(char *out, size_t n, int af, const char *ip, uint16_t port)
{
	uint8_t a[16];

	if (af == AF_INET && inet_pton(AF_INET, ip, a) == 1) {
		snprintf(out, n, "%03u.%03u.%03u.%03u.%05u", a[0], a[1], a[2], a[3], port);
	} else if (af == AF_INET6 && inet_pton(AF_INET6, ip, a) == 1) {
		snprintf(out, n, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x.%05u",
		    a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11],
		    a[12], a[13], a[14], a[15], port);
	} else {
		snprintf(out, n, "unknown.%05u", port);
	}
}

/* How many times the base name was used before (0 the first time). */
static unsigned
streams_name_use(struct streams_out *o, const char *name)
{
	size_t i;
	uint32_t h = 2166136261u;

	if (o->names_n * 2 >= o->names_cap) {
		size_t ncap = o->names_cap ? o->names_cap * 2 : 256;
		char **nn = xcalloc(ncap, sizeof(*nn));
		unsigned *nc = xcalloc(ncap, sizeof(*nc));

		for (size_t j = 0; j < o->names_cap; j++) {
			uint32_t g = 2166136261u;

			if (o->names[j] == NULL)
				continue;
			for (const char *p = o->names[j]; *p; p++)
				g = (g ^ (uint8_t)*p) * 16777619u;
			for (i = g & (ncap - 1); nn[i]; i = (i + 1) & (ncap - 1))
				;
			nn[i] = o->names[j];
			nc[i] = o->counts[j];
		}
		free(o->names);
		free(o->counts);
		o->names = nn;
		o->counts = nc;
		o->names_cap = ncap;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (i = h & (o->names_cap - 1); o->names[i]; i = (i + 1) & (o->names_cap - 1))
		if (strcmp(o->names[i], name) == 0)
			return o->counts[i]++;
	o->names[i] = xstrdup(name);
	o->counts[i] = 1;
	o->names_n++;
	return 0;
}

static json_t *
streams_time(int64_t us)
{
	time_t s = (time_t)(us / 1000000);
	int64_t frac = us % 1000000;
	struct tm tm;
	char out[96];

	if (frac < 0) {
		frac += 1000000;
		s--;
	}
	if (gmtime_r(&s, &tm) == NULL)
		return json_null();
	snprintf(out, sizeof(out), "%04d-%02d-%02dT%02d:%02d:%02d.%06" PRId64 "Z", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	return json_string(out);
}

static json_t *
streams_dir(struct streams_out *o, const struct flow *f, int d, const char *name)
{
	const struct stream_dir *sd = &f->dir[d];
	json_t *j = json_object(), *gaps = json_array(), *conf = json_array();
	struct buf frames;

	buf_init(&frames, BUF_UNLIMITED);
	stream_frames(sd, 0, sd->data.len, &frames);
	json_object_set_new(j, "packets", json_integer((json_int_t)f->pkts[d]));
	json_object_set_new(j, "frame_bytes", json_integer((json_int_t)f->frame_bytes[d]));
	json_object_set_new(j, "payload_bytes", json_integer((json_int_t)f->payload_bytes[d]));
	json_object_set_new(j, "bytes", json_integer((json_int_t)sd->data.len));
	json_object_set_new(j, "complete", json_boolean(!sd->capped && sd->ngaps == 0));
	json_object_set_new(j, "frames", json_string(buf_str(&frames)));
	buf_free(&frames);
	if (sd->data.len > 0) {
		char path[4096], sha[65];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", o->dir, name);
		fp = fopen(path, "wbx");
		if (fp == NULL || fwrite(sd->data.p, 1, sd->data.len, fp) != sd->data.len) {
			fprintf(stderr, "mailcase streams: cannot write %s: %s\n", path, strerror(errno));
			o->failed = true;
		}
		if (fp != NULL && fclose(fp) != 0) {
			fprintf(stderr, "mailcase streams: cannot write %s: %s\n", path, strerror(errno));
			o->failed = true;
		}
		hash_sha256_hex(sd->data.p, sd->data.len, sha);
		json_object_set_new(j, "file", json_string(name));
		json_object_set_new(j, "sha256", json_string(sha));
	} else {
		json_object_set_new(j, "file", json_null());
		json_object_set_new(j, "sha256", json_null());
	}
	for (size_t i = 0; i < sd->ngaps; i++)
		json_array_append_new(gaps, json_pack("{s:I, s:I, s:I}",
		    "offset", (json_int_t)sd->gaps[i].off, "length", (json_int_t)sd->gaps[i].len,
		    "after_frame", (json_int_t)sd->gaps[i].after.frame));
	for (size_t i = 0; i < sd->nconflicts; i++)
		json_array_append_new(conf, json_pack("{s:I, s:I, s:I, s:I}",
		    "offset", (json_int_t)sd->conflicts[i].off, "length", (json_int_t)sd->conflicts[i].len,
		    "kept_frame", (json_int_t)sd->conflicts[i].kept_frame,
		    "other_frame", (json_int_t)sd->conflicts[i].other_frame));
	json_object_set_new(j, "gaps", gaps);
	json_object_set_new(j, "conflicts", conf);
	json_object_set_new(j, "capped", json_boolean(sd->capped));
	return j;
}

static void
streams_flow_end(void *arg, struct flow *f)
{
	struct streams_out *o = arg;
	char cli[64], srv[64], base[140], name[2][160];
	unsigned rep;
	json_t *j;

	streams_endpoint(cli, sizeof(cli), f->af, f->cli_ip, f->cli_port);
	streams_endpoint(srv, sizeof(srv), f->af, f->srv_ip, f->srv_port);
	snprintf(base, sizeof(base), "%s-%s", cli, srv);
	rep = streams_name_use(o, base);
	if (rep == 0) {
		snprintf(name[0], sizeof(name[0]), "%s-%s", cli, srv);
		snprintf(name[1], sizeof(name[1]), "%s-%s", srv, cli);
	} else {
		snprintf(name[0], sizeof(name[0]), "%s-%sc%u", cli, srv, rep);
		snprintf(name[1], sizeof(name[1]), "%s-%sc%u", srv, cli, rep);
	}
	j = json_object();
	json_object_set_new(j, "flow", json_integer((json_int_t)f->id));
	json_object_set_new(j, "client", json_pack("{s:s, s:i}", "ip", f->cli_ip, "port", f->cli_port));
	json_object_set_new(j, "server", json_pack("{s:s, s:i}", "ip", f->srv_ip, "port", f->srv_port));
	json_object_set_new(j, "syn_seen", json_boolean(f->syn_seen));
	json_object_set_new(j, "first", streams_time(f->first_us));
	json_object_set_new(j, "last", streams_time(f->last_us));
	json_object_set_new(j, "first_frame", json_integer(f->first_frame.frame));
	json_object_set_new(j, "last_frame", json_integer(f->last_frame.frame));
	json_object_set_new(j, "app", json_string(f->app));
	json_object_set_new(j, "end", json_string(f->end ? f->end : ""));
	json_object_set_new(j, "retransmissions", json_integer((json_int_t)f->retransmissions));
	json_object_set_new(j, "client_to_server", streams_dir(o, f, DIR_C2S, name[0]));
	json_object_set_new(j, "server_to_client", streams_dir(o, f, DIR_S2C, name[1]));
	if (f->id > o->nflows) {
		size_t n = o->nflows ? o->nflows : 64;

		while (n < f->id)
			n *= 2;
		o->flows = xreallocarray(o->flows, n, sizeof(*o->flows));
		memset(o->flows + o->nflows, 0, (n - o->nflows) * sizeof(*o->flows));
		o->nflows = n;
	}
	o->flows[f->id - 1] = j;
}

/* DIR must not exist (it is made) or be an empty directory. */
static bool
streams_outdir(const char *dir)
{
	if (!outdir_usable(dir)) {
		fprintf(stderr, "mailcase streams: %s is not empty (or cannot be read); nothing is "
		    "overwritten\n", dir);
		return false;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "mailcase streams: cannot make %s: %s\n", dir, strerror(errno));
		return false;
	}
	return true;
}

int
streams_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL;
	struct streams_out o;
	struct limits lim;
	struct capture_opts copts = { .keep_all = true };
	struct flow_sink sink;
	struct capture *c;
	struct plog *log;
	json_t *root, *flows, *files, *logj;
	char path[4096];
	char **ops = xcalloc((size_t)argc + 1, sizeof(*ops));
	int ch, status = MC_EXIT_OK, nops = 0, *why;
	size_t nflows = 0;
	bool any = false;

	/* Options and captures in any order, "--" ends the options (the
	 * leading '-' returns each operand in turn, also under
	 * POSIXLY_CORRECT). */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "-:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 1:
			ops[nops++] = optarg;
			break;
		case 'o':
			dir = optarg;
			break;
		case 'h':
			streams_usage(stdout);
			free(ops);
			return MC_EXIT_OK;
		case ':':
			fprintf(stderr, "mailcase streams: %s: needs a value\n", argv[optind - 1]);
			goto usage;
		default:
			if (optopt > 0 && optopt < 256)
				fprintf(stderr, "mailcase streams: -%c: unknown option\n", optopt);
			else
				fprintf(stderr, "mailcase streams: %s: unknown option\n", argv[optind - 1]);
			goto usage;
		}
	}
	while (optind < argc)
		ops[nops++] = argv[optind++];
	if (dir == NULL || nops == 0) {
		fprintf(stderr, "mailcase streams: %s\n", dir == NULL ? "-o DIR is required" :
		    "give at least one capture file");
		goto usage;
	}
	/* Nothing is made when no capture can be opened at all. */
	why = xcalloc((size_t)nops, sizeof(*why));
	for (int i = 0; i < nops && !any; i++) {
		int fd = open(ops[i], O_RDONLY | O_CLOEXEC);

		why[i] = fd < 0 ? errno : 0;
		if (fd >= 0) {
			close(fd);
			any = true;
		}
	}
	for (int i = 0; i < nops && !any; i++)
		fprintf(stderr, "mailcase streams: %s: cannot open: %s\n", ops[i], strerror(why[i]));
	free(why);
	if (!any) {
		fprintf(stderr, "mailcase streams: failed (exit %d); %s was not made\n", MC_EXIT_USAGE,
		    dir);
		free(ops);
		return MC_EXIT_USAGE;
	}
	if (!streams_outdir(dir)) {
		fprintf(stderr, "mailcase streams: failed (exit %d); nothing was written\n",
		    MC_EXIT_CASE);
		free(ops);
		return MC_EXIT_CASE;
	}
	memset(&o, 0, sizeof(o));
	o.dir = dir;
	limits_default(&lim);
	log = plog_new();
	c = capture_new(log, &lim, &copts);
	for (int i = 0; i < nops; i++)
		capture_add_file(c, ops[i], 0);
	sink.arg = &o;
	sink.flow_end = streams_flow_end;
	capture_run(c, &sink);

	root = json_object();
	files = json_array();
	for (size_t i = 0; i < capture_file_count(c); i++) {
		const struct capture_file_info *fi = capture_file_get(c, i);

		if (!fi->readable || fi->truncated)
			status = MC_EXIT_PARTIAL;
		json_array_append_new(files, json_pack("{s:s, s:b, s:s?, s:s, s:I, s:s, s:b}",
		    "path", fi->path, "readable", fi->readable, "error", fi->error,
		    "format", fi->format ? fi->format : "", "packets", (json_int_t)fi->packets,
		    "link_types", fi->link_types, "truncated", fi->truncated));
	}
	flows = json_array();
	for (size_t i = 0; i < o.nflows; i++)
		if (o.flows[i]) {
			json_array_append_new(flows, o.flows[i]);
			nflows++;
		}
	logj = json_array();
	for (size_t i = 0; i < plog_count(log); i++) {
		const struct plog_entry *e = plog_get(log, i);

		json_array_append_new(logj, json_pack("{s:s, s:s, s:s, s:s, s:s}", "level",
		    plog_level_name(e->level), "code", e->code, "source", e->source, "position",
		    e->where, "message", e->message));
		fprintf(stderr, "mailcase streams: %s%s%s: %s\n", e->source, e->where[0] ? ": " : "",
		    e->where, e->message);
	}
	json_object_set_new(root, "files", files);
	json_object_set_new(root, "flows", flows);
	json_object_set_new(root, "log", logj);
	snprintf(path, sizeof(path), "%s/index.json", dir);
	if (json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
		fprintf(stderr, "mailcase streams: cannot write %s\n", path);
		o.failed = true;
	}
	json_decref(root);
	for (size_t i = 0; i < o.names_cap; i++)
		free(o.names[i]);
	free(o.names);
	free(o.counts);
	free(o.flows);
	capture_free(c);
	plog_free(log);
	free(ops);
	if (o.failed) {
		fprintf(stderr, "mailcase streams: failed (exit %d): %s is incomplete\n", MC_EXIT_FATAL,
		    dir);
		return MC_EXIT_FATAL;
	}
	printf("streams%s: %s/index.json (%zu flow%s)\n", status == MC_EXIT_OK ? "" :
	    " (not every capture could be read in full; see the log in index.json)", dir, nflows,
	    nflows == 1 ? "" : "s");
	return status;
usage:
	fprintf(stderr, "'mailcase streams --help' lists the options.\n");
	free(ops);
	return MC_EXIT_USAGE;
}
