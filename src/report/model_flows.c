/* model_flows.c - the report model's "flows" section, built from the tables
 * that capture/ writes: one object per TCP flow, and timeline events for
 * the start and end of flows.
 *
 * Keys: flows[] = {no, evidence, client, server, cli_ip, cli_port, srv_ip,
 * srv_port, protocol ("SMTP", "POP3", "IMAP" or ""), mail, first, last
 * (model_time), first_frame, last_frame, frames ("53-88"), pkts_c2s,
 * pkts_s2c, bytes_c2s, bytes_s2c, payload_c2s, payload_s2c,
 * retransmissions, gaps, gap_bytes, conflicts, syn_seen, end (the code:
 * "fin", "rst", "timeout", "end of capture", "port reuse"), and one flag per
 * code for the templates to name it in their language: end_fin, end_rst,
 * end_timeout, end_capture, end_reuse, end_full, end_other (any other code, shown
 * as is)}; flows_count, flows_mail, flows_any, flows_idle_timeout_min,
 * flows_open_max;
 * flows_timeline_other_max (FLOWS_TIMELINE_OTHER), flows_timeline_omitted
 * and flows_timeline_omitted_any (other flows left out of the timeline).
 * Values are plain text; the templates escape them.
 *
 * Timeline: a "tcp" event at the first and at the last packet of every mail
 * flow and of the first FLOWS_TIMELINE_OTHER other flows (in evidence and
 * flow order): every flow of a large capture would drown the events that
 * matter. Their source is the evidence file and frame number. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture/capture.h"
#include "report/model.h"
#include "store/q_report.h"
#include "util/xalloc.h"

#define FLOWS_TIMELINE_OTHER 200

static void
model_flow_endpoint_str(const char *ip, int port, char *s, size_t n)
{
	if (strchr(ip, ':'))
		snprintf(s, n, "[%s]:%d", ip, port);
	else
		snprintf(s, n, "%s:%d", ip, port);
}

static void
model_flow_end_flags(json_t *j, const char *end)
{
	static const struct { const char *code, *key; } ends[] = {
		{ "fin", "end_fin" }, { "rst", "end_rst" }, { "timeout", "end_timeout" },
		{ "end of capture", "end_capture" }, { "port reuse", "end_reuse" },
		{ "flow table full", "end_full" },
	};
	bool known = false;

	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		bool on = strcmp(end, ends[i].code) == 0;

		json_object_set_new(j, ends[i].key, json_boolean(on));
		known = known || on;
	}
	json_object_set_new(j, "end_other", json_boolean(!known));
}

/* The start and end events of one flow. */
static void
model_flow_events(json_t *root, const struct row *r, const char *proto, const char *cli,
    const char *srv, const char *ev, const char *end, const char *lang)
{
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	int64_t no = row_int(r, 0);
	const char *sp = proto[0] ? " " : "";
	char *text, *src;

	text = ko ? xasprintf("%s%sTCP 흐름 %" PRId64 " %s -> %s 시작%s", proto, sp, no, cli, srv,
	    (int)row_int(r, 21) ? " (SYN)" : " (캡처 시작 때 이미 열려 있음)") :
	    xasprintf("%s%sTCP flow %" PRId64 " %s -> %s begins%s", proto, sp, no, cli, srv,
	    (int)row_int(r, 21) ? " (SYN)" : " (already open when the capture began)");
	src = xasprintf("%s %s %" PRId64, ev, model_word(lang, "frame"),
	    row_int(r, 9));
	model_timeline_add(root, row_int(r, 7), "tcp", text, src);
	free(text);
	free(src);
	if (strcmp(end, "end of capture") == 0)
		text = ko ? xasprintf("%s%sTCP 흐름 %" PRId64 " %s -> %s: 마지막 패킷 (캡처가 끝날 때까지"
		    " 열려 있음)", proto, sp, no, cli, srv) :
		    xasprintf("%s%sTCP flow %" PRId64 " %s -> %s: last packet (still open at the end of"
		    " the capture)", proto, sp, no, cli, srv);
	else
		text = ko ? xasprintf("%s%sTCP 흐름 %" PRId64 " %s -> %s 종료 (%s)", proto, sp, no, cli,
		    srv, end[0] ? end : "알 수 없음") :
		    xasprintf("%s%sTCP flow %" PRId64 " %s -> %s ends (%s)", proto, sp, no, cli, srv,
		    end[0] ? end : "unknown");
	src = xasprintf("%s %s %" PRId64, ev, model_word(lang, "frame"),
	    row_int(r, 10));
	model_timeline_add(root, row_int(r, 8), "tcp", text, src);
	free(text);
	free(src);
}

/* How much of the timeline's quota of other (not mail) flows the first
 * offset flows use up, so that a page puts the same flows on the timeline
 * as one full read does. Reads at most until the quota is full. */
static int64_t
model_flows_other_before(struct casedb *db, int64_t offset)
{
	struct rows *before = q_report_flows(db);
	const struct row *r;
	int64_t n = 0;

	rows_page(before, 0, offset);
	while (n < FLOWS_TIMELINE_OTHER && rows_next(before, &r))
		if (row_text(r, 6) == NULL || row_text(r, 6)[0] == '\0')
			n++;
	rows_close(before);
	return n;
}

void
model_flows(struct casedb *db, json_t *root, const struct model_opts *o)
{
	struct rows *st = q_report_flows(db);
	const struct row *r;
	json_t *flows = json_array();
	int64_t nmail = 0, nother = 0, omitted = 0;

	if (model_page(st, o) > 0)
		nother = model_flows_other_before(db, o->offset);
	while (rows_next(st, &r)) {
		json_t *j = json_object();
		const char *cli = row_text(r, 2);
		const char *srv = row_text(r, 4);
		const char *app = row_text(r, 6);
		const char *ev = row_text(r, 1);
		const char *end = row_text(r, 22);
		int64_t ff = row_int(r, 9), lf = row_int(r, 10);
		char proto[8] = "", frames[48], client[80], server[80];

		cli = cli ? cli : "";
		srv = srv ? srv : "";
		ev = model_base(ev);   /* the evidence table has the path */
		end = end ? end : "";
		model_upper(proto, sizeof(proto), app);
		if (ff == lf)
			snprintf(frames, sizeof(frames), "%" PRId64, ff);
		else
			snprintf(frames, sizeof(frames), "%" PRId64 "-%" PRId64, ff, lf);
		model_flow_endpoint_str(cli, (int)row_int(r, 3), client, sizeof(client));
		model_flow_endpoint_str(srv, (int)row_int(r, 5), server, sizeof(server));
		json_object_set_new(j, "no", model_row_int(r, 0));
		json_object_set_new(j, "evidence", model_string(ev));
		json_object_set_new(j, "client", model_string(client));
		json_object_set_new(j, "server", model_string(server));
		json_object_set_new(j, "cli_ip", model_string(cli));
		json_object_set_new(j, "cli_port", model_row_int(r, 3));
		json_object_set_new(j, "srv_ip", model_string(srv));
		json_object_set_new(j, "srv_port", model_row_int(r, 5));
		json_object_set_new(j, "protocol", model_string(proto));
		json_object_set_new(j, "mail", json_boolean(proto[0] != '\0'));
		json_object_set_new(j, "first", model_time(row_int(r, 7)));
		json_object_set_new(j, "last", model_time(row_int(r, 8)));
		json_object_set_new(j, "first_frame", model_row_int(r, 9));
		json_object_set_new(j, "last_frame", model_row_int(r, 10));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "pkts_c2s", model_row_int(r, 11));
		json_object_set_new(j, "pkts_s2c", model_row_int(r, 12));
		json_object_set_new(j, "bytes_c2s", model_row_int(r, 13));
		json_object_set_new(j, "bytes_s2c", model_row_int(r, 14));
		json_object_set_new(j, "payload_c2s", model_row_int(r, 15));
		json_object_set_new(j, "payload_s2c", model_row_int(r, 16));
		json_object_set_new(j, "retransmissions", model_row_int(r, 17));
		json_object_set_new(j, "gaps", model_row_int(r, 18));
		json_object_set_new(j, "gap_bytes", model_row_int(r, 19));
		json_object_set_new(j, "conflicts", model_row_int(r, 20));
		json_object_set_new(j, "syn_seen", json_boolean((int)row_int(r, 21) != 0));
		json_object_set_new(j, "end", model_string(end));
		model_flow_end_flags(j, end);
		if (proto[0]) {
			nmail++;
			model_flow_events(root, r, proto, client, server, ev, end, o ? o->lang : NULL);
		} else if (nother < FLOWS_TIMELINE_OTHER) {
			nother++;
			model_flow_events(root, r, proto, client, server, ev, end, o ? o->lang : NULL);
		} else {
			omitted++;
		}
		json_array_append_new(flows, j);
	}
	rows_close(st);
	json_object_set_new(root, "flows_count", json_integer((json_int_t)json_array_size(flows)));
	json_object_set_new(root, "flows_mail", json_integer(nmail));
	json_object_set_new(root, "flows_any", json_boolean(json_array_size(flows) > 0));
	json_object_set_new(root, "flows_open_max", json_integer(CAPTURE_OPEN_FLOWS_MAX));
	json_object_set_new(root, "flows_idle_timeout_min",
	    json_integer(CAPTURE_IDLE_TIMEOUT_US / 60000000));
	json_object_set_new(root, "flows_timeline_other_max", json_integer(FLOWS_TIMELINE_OTHER));
	json_object_set_new(root, "flows_timeline_omitted", json_integer(omitted));
	json_object_set_new(root, "flows_timeline_omitted_any", json_boolean(omitted > 0));
	json_object_set_new(root, "flows", flows);
}
