/* db_flows.c - writes capture flows into the case database. */
#include "store/db_flows.h"

#include "store/casedb.h"

int64_t
db_flow_add(struct casedb *db, const struct flow *f)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO flows (evidence_id, flow_no, cli_ip, cli_port, srv_ip, srv_port, syn_seen,"
	    " first_us, last_us, first_frame, last_frame, pkts_c2s, pkts_s2c, bytes_c2s, bytes_s2c,"
	    " payload_c2s, payload_s2c, retransmissions, gaps, gap_bytes, conflicts, app, end_reason)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	uint64_t gaps = 0, gap_bytes = 0, conflicts = 0;
	int64_t id;

	for (int d = 0; d < 2; d++) {
		gaps += f->dir[d].ngaps;
		conflicts += f->dir[d].nconflicts;
		for (size_t i = 0; i < f->dir[d].ngaps; i++)
			gap_bytes += f->dir[d].gaps[i].len;
	}
	sqlite3_bind_int64(st, 1, f->evidence_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)f->id);
	casedb_bind_text(st, 3, f->cli_ip);
	sqlite3_bind_int(st, 4, f->cli_port);
	casedb_bind_text(st, 5, f->srv_ip);
	sqlite3_bind_int(st, 6, f->srv_port);
	sqlite3_bind_int(st, 7, f->syn_seen);
	sqlite3_bind_int64(st, 8, f->first_us);
	sqlite3_bind_int64(st, 9, f->last_us);
	sqlite3_bind_int64(st, 10, f->first_frame.frame);
	sqlite3_bind_int64(st, 11, f->last_frame.frame);
	sqlite3_bind_int64(st, 12, (sqlite3_int64)f->pkts[DIR_C2S]);
	sqlite3_bind_int64(st, 13, (sqlite3_int64)f->pkts[DIR_S2C]);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)f->frame_bytes[DIR_C2S]);
	sqlite3_bind_int64(st, 15, (sqlite3_int64)f->frame_bytes[DIR_S2C]);
	sqlite3_bind_int64(st, 16, (sqlite3_int64)f->payload_bytes[DIR_C2S]);
	sqlite3_bind_int64(st, 17, (sqlite3_int64)f->payload_bytes[DIR_S2C]);
	sqlite3_bind_int64(st, 18, (sqlite3_int64)f->retransmissions);
	sqlite3_bind_int64(st, 19, (sqlite3_int64)gaps);
	sqlite3_bind_int64(st, 20, (sqlite3_int64)gap_bytes);
	sqlite3_bind_int64(st, 21, (sqlite3_int64)conflicts);
	casedb_bind_text(st, 22, f->app);
	casedb_bind_text(st, 23, f->end ? f->end : "");
	casedb_step_done(db, st);
	id = casedb_last_id(db);
	return id;
}
