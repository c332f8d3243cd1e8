/* q_auth.c - queries of the report on dkim_signatures and dkim_keys. */
#include "store/q_auth.h"
#include "store/rows_sql.h"

struct rows *
q_auth_msg_dkim(struct casedb *db)
{
	return rows_open(db,
	    "SELECT s.field_no, s.domain, s.selector, s.algorithm, s.canon, s.signed_headers,"
	    " s.identity, s.t, s.x, s.l, s.body_hash, s.result, s.lib_error, k.name, k.sha256,"
	    " s.unsigned_headers, s.eval_us, s.eval_basis, s.bh_computed"
	    " FROM dkim_signatures s LEFT JOIN dkim_keys k ON k.id = s.key_id"
	    " WHERE s.message_id = ?1 ORDER BY s.field_no");
}

struct rows *
q_auth_dkim_tally(struct casedb *db)
{
	return rows_open(db,
	    "SELECT count(*), coalesce(sum(pass), 0), coalesce(sum(altered), 0),"
	    " coalesce(sum(pass = 0 AND altered = 0), 0) FROM (SELECT message_id,"
	    " max(result = 'pass') AS pass,"
	    " max(result IN ('body-altered', 'headers-altered') OR body_hash = 'mismatch') AS altered"
	    " FROM dkim_signatures GROUP BY message_id)");
}

struct rows *
q_auth_dkim_results(struct casedb *db)
{
	return rows_open(db,
	    "SELECT result, count(*) FROM dkim_signatures GROUP BY result ORDER BY result");
}

struct rows *
q_auth_msg_hidden(struct casedb *db)
{
	return rows_open(db,
	    "SELECT h.field, h.value, h.rule, h.clock, h.time_us, h.ipv4, m.date_us, m.date_raw,"
	    " m.ts_us FROM hidden_times h JOIN messages m ON m.id = h.message_id"
	    " WHERE h.message_id = ?1 ORDER BY h.id");
}

struct rows *
q_auth_msg_results(struct casedb *db)
{
	return rows_open(db,
	    "SELECT field, field_no, instance, authserv_id, method, result, reason, props, err"
	    " FROM auth_results WHERE message_id = ?1 ORDER BY id");
}
