/* model_flows.c - the report model's "flows" section, built from the tables
 * that capture/ writes: one object per TCP flow, and a timeline event for
 * each mail connection.
 *
 * Keys: flows[] = {no, evidence, client, server, cli_ip, cli_port, srv_ip,
 * srv_port, protocol ("SMTP", "POP3", "IMAP" or ""), mail, first, last
 * (model_time), first_frame, last_frame, frames ("53-88"), pkts_c2s,
 * pkts_s2c, bytes_c2s, bytes_s2c, payload_c2s, payload_s2c,
 * retransmissions, gaps, gap_bytes, conflicts, syn_seen, end};
 * flows_count, flows_mail, flows_any. Values are plain text; the templates
 * escape them. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report/model.h"
#include "store/casedb.h"

static json_t *
model_flow_endpoint(const char *ip, int port)
{
	char s[80];

	if (strchr(ip, ':'))
		snprintf(s, sizeof(s), "[%s]:%d", ip, port);
	else
		snprintf(s, sizeof(s), "%s:%d", ip, port);
	return json_string(s);
}

void
model_flows(struct casedb *db, json_t *root, const struct model_opts *o)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT f.flow_no, e.path, f.cli_ip, f.cli_port, f.srv_ip, f.srv_port, f.app,"
	    " f.first_us, f.last_us, f.first_frame, f.last_frame, f.pkts_c2s, f.pkts_s2c,"
	    " f.bytes_c2s, f.bytes_s2c, f.payload_c2s, f.payload_s2c, f.retransmissions,"
	    " f.gaps, f.gap_bytes, f.conflicts, f.syn_seen, f.end_reason"
	    " FROM flows f LEFT JOIN evidence e ON e.id = f.evidence_id"
	    " ORDER BY f.evidence_id, f.flow_no");
	json_t *flows = json_array();
	int64_t nmail = 0;

	(void)o;
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_object();
		const char *cli = (const char *)sqlite3_column_text(st, 2);
		const char *srv = (const char *)sqlite3_column_text(st, 4);
		const char *app = (const char *)sqlite3_column_text(st, 6);
		const char *ev = (const char *)sqlite3_column_text(st, 1);
		int64_t ff = sqlite3_column_int64(st, 9), lf = sqlite3_column_int64(st, 10);
		char proto[8] = "", frames[48], text[256], src[512];

		cli = cli ? cli : "";
		srv = srv ? srv : "";
		ev = ev ? ev : "";
		for (size_t i = 0; app && app[i] && i + 1 < sizeof(proto); i++)
			proto[i] = (char)toupper((unsigned char)app[i]);
		if (ff == lf)
			snprintf(frames, sizeof(frames), "%" PRId64, ff);
		else
			snprintf(frames, sizeof(frames), "%" PRId64 "-%" PRId64, ff, lf);
		json_object_set_new(j, "no", model_col_int(st, 0));
		json_object_set_new(j, "evidence", json_string(ev));
		json_object_set_new(j, "client", model_flow_endpoint(cli, sqlite3_column_int(st, 3)));
		json_object_set_new(j, "server", model_flow_endpoint(srv, sqlite3_column_int(st, 5)));
		json_object_set_new(j, "cli_ip", json_string(cli));
		json_object_set_new(j, "cli_port", model_col_int(st, 3));
		json_object_set_new(j, "srv_ip", json_string(srv));
		json_object_set_new(j, "srv_port", model_col_int(st, 5));
		json_object_set_new(j, "protocol", json_string(proto));
		json_object_set_new(j, "mail", json_boolean(proto[0] != '\0'));
		json_object_set_new(j, "first", model_time(sqlite3_column_int64(st, 7)));
		json_object_set_new(j, "last", model_time(sqlite3_column_int64(st, 8)));
		json_object_set_new(j, "first_frame", model_col_int(st, 9));
		json_object_set_new(j, "last_frame", model_col_int(st, 10));
		json_object_set_new(j, "frames", json_string(frames));
		json_object_set_new(j, "pkts_c2s", model_col_int(st, 11));
		json_object_set_new(j, "pkts_s2c", model_col_int(st, 12));
		json_object_set_new(j, "bytes_c2s", model_col_int(st, 13));
		json_object_set_new(j, "bytes_s2c", model_col_int(st, 14));
		json_object_set_new(j, "payload_c2s", model_col_int(st, 15));
		json_object_set_new(j, "payload_s2c", model_col_int(st, 16));
		json_object_set_new(j, "retransmissions", model_col_int(st, 17));
		json_object_set_new(j, "gaps", model_col_int(st, 18));
		json_object_set_new(j, "gap_bytes", model_col_int(st, 19));
		json_object_set_new(j, "conflicts", model_col_int(st, 20));
		json_object_set_new(j, "syn_seen", json_boolean(sqlite3_column_int(st, 21) != 0));
		json_object_set_new(j, "end", model_col_str(st, 22));
		if (proto[0]) {
			nmail++;
			snprintf(text, sizeof(text), "%s connection %s:%d -> %s:%d", proto, cli,
			    sqlite3_column_int(st, 3), srv, sqlite3_column_int(st, 5));
			snprintf(src, sizeof(src), "%s frames %s", ev, frames);
			model_timeline_add(root, sqlite3_column_int64(st, 7), "tcp", text, src);
		}
		json_array_append_new(flows, j);
	}
	sqlite3_finalize(st);
	json_object_set_new(root, "flows_count", json_integer((json_int_t)json_array_size(flows)));
	json_object_set_new(root, "flows_mail", json_integer(nmail));
	json_object_set_new(root, "flows_any", json_boolean(json_array_size(flows) > 0));
	json_object_set_new(root, "flows", flows);
}
