/* db_routes.c - the hops and routes rows of a route record. */
#include "store/db_routes.h"
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void
db_bind_opt(sqlite3_stmt *st, int i, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void
db_hops_add(struct casedb *db, int64_t message_id, const struct route *rt)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT INTO hops (message_id, idx, observed, parsed, raw, from_helo, from_rdns, from_ip,"
	    " by_host, by_ip, software, protocol, tls, smtp_id, for_addr, date_raw, date_us, date_zone,"
	    " delay_s, flags, trust) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");

	for (size_t k = 0; k < rt->nhops; k++) {
		const struct route_hop *h = &rt->hops[k];
		const struct received *r = &h->r;
		char *flags = route_hop_flags_list(h->flags);

		sqlite3_bind_int64(st, 1, message_id);
		sqlite3_bind_int64(st, 2, (int64_t)k + 1);
		sqlite3_bind_int(st, 3, h->observed);
		sqlite3_bind_int(st, 4, r->parsed);
		casedb_bind_text(st, 5, h->raw);
		casedb_bind_text(st, 6, r->from_helo);
		casedb_bind_text(st, 7, r->from_rdns);
		casedb_bind_text(st, 8, r->from_ip);
		casedb_bind_text(st, 9, r->by_host);
		casedb_bind_text(st, 10, r->by_ip);
		casedb_bind_text(st, 11, r->software);
		casedb_bind_text(st, 12, r->protocol);
		casedb_bind_text(st, 13, r->tls);
		casedb_bind_text(st, 14, r->id);
		casedb_bind_text(st, 15, r->for_addr);
		casedb_bind_text(st, 16, r->date_raw);
		db_bind_opt(st, 17, r->has_date, r->date_us);
		casedb_bind_text(st, 18, r->has_date ? maildate_zone_name(r->date_zone) : NULL);
		db_bind_opt(st, 19, h->has_delay, h->delay_s);
		casedb_bind_text(st, 20, flags);
		casedb_bind_text(st, 21, route_trust_name(h->trust));
		casedb_step_done(db, st);
		free(flags);
	}
}

void
db_route_add(struct casedb *db, int64_t message_id, const struct route *rt)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT OR REPLACE INTO routes (message_id, verdict, origin_host, origin_ip, forged_hops, flags,"
	    " origin_idx, date_us, date_zone, date_delta_s, obs_delta_s, obs_kind, x_originating_ip, auth,"
	    " mid_domain, from_domain, rp_domain) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	char *flags = route_flags_list(rt->flags);

	db_hops_add(db, message_id, rt);
	sqlite3_bind_int64(st, 1, message_id);
	casedb_bind_text(st, 2, route_verdict_name(rt->verdict));
	casedb_bind_text(st, 3, rt->origin_host);
	casedb_bind_text(st, 4, rt->origin_ip);
	sqlite3_bind_int64(st, 5, (int64_t)rt->forged);
	casedb_bind_text(st, 6, flags);
	db_bind_opt(st, 7, rt->nhops > 0, (int64_t)rt->origin + 1);
	db_bind_opt(st, 8, rt->has_date, rt->date_us);
	casedb_bind_text(st, 9, rt->has_date ? maildate_zone_name(rt->date_zone) : NULL);
	db_bind_opt(st, 10, rt->has_date_delta, rt->date_delta_s);
	db_bind_opt(st, 11, rt->has_obs_delta, rt->obs_delta_s);
	casedb_bind_text(st, 12, route_obs_name(rt->obs));
	casedb_bind_text(st, 13, rt->x_originating_ip);
	casedb_bind_text(st, 14, rt->auth);
	casedb_bind_text(st, 15, rt->mid_domain);
	casedb_bind_text(st, 16, rt->from_domain);
	casedb_bind_text(st, 17, rt->rp_domain);
	casedb_step_done(db, st);
	free(flags);
}

static char *
db_col_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s != NULL ? xstrdup(s) : NULL;
}

static bool
db_col_opt(sqlite3_stmt *st, int i, int64_t *v)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return false;
	*v = sqlite3_column_int64(st, i);
	return true;
}

static enum maildate_zone
db_zone_parse(const char *s)
{
	static const enum maildate_zone zones[] = {
		MAILDATE_ZONE_KNOWN, MAILDATE_ZONE_UNKNOWN, MAILDATE_ZONE_UNTRUSTED, MAILDATE_ZONE_NONE,
	};

	for (size_t i = 0; s != NULL && i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcmp(maildate_zone_name(zones[i]), s) == 0)
			return zones[i];
	return MAILDATE_ZONE_NONE;
}

/* One hops row (columns as in db_hops_get's query) into h. */
static void
db_hop_read(sqlite3_stmt *st, struct route_hop *h)
{
	struct received *r = &h->r;

	h->observed = sqlite3_column_int(st, 0) != 0;
	r->parsed = sqlite3_column_int(st, 1) != 0;
	h->raw = db_col_dup(st, 2);
	r->from_helo = db_col_dup(st, 3);
	r->from_rdns = db_col_dup(st, 4);
	r->from_ip = db_col_dup(st, 5);
	r->by_host = db_col_dup(st, 6);
	r->by_ip = db_col_dup(st, 7);
	r->software = db_col_dup(st, 8);
	r->protocol = db_col_dup(st, 9);
	r->tls = db_col_dup(st, 10);
	r->id = db_col_dup(st, 11);
	r->for_addr = db_col_dup(st, 12);
	r->date_raw = db_col_dup(st, 13);
	r->has_date = db_col_opt(st, 14, &r->date_us);
	r->date_zone = db_zone_parse((const char *)sqlite3_column_text(st, 15));
	r->zone_known = r->date_zone == MAILDATE_ZONE_KNOWN;
	h->has_delay = db_col_opt(st, 16, &h->delay_s);
	h->flags = route_hop_flags_parse((const char *)sqlite3_column_text(st, 17));
	h->trust = route_trust_parse((const char *)sqlite3_column_text(st, 18));
}

static void
db_hops_get(struct casedb *db, int64_t message_id, struct route *rt)
{
	sqlite3_stmt *st = casedb_stmt_take(db,
	    "SELECT observed, parsed, raw, from_helo, from_rdns, from_ip, by_host, by_ip, software, protocol,"
	    " tls, smtp_id, for_addr, date_raw, date_us, date_zone, delay_s, flags, trust"
	    " FROM hops WHERE message_id = ? ORDER BY idx");
	size_t cap = 0;

	sqlite3_bind_int64(st, 1, message_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rt->nhops == cap) {
			cap = cap > 0 ? cap * 2 : 8;
			rt->hops = xreallocarray(rt->hops, cap, sizeof(*rt->hops));
		}
		struct route_hop *h = &rt->hops[rt->nhops++];

		memset(h, 0, sizeof(*h));
		db_hop_read(st, h);
		rt->nreceived += !h->observed;
	}
	casedb_stmt_give(db, st);
	/* Hops are stored origin first; the Received field on top is the last. */
	for (size_t k = 0, no = rt->nreceived; k < rt->nhops; k++)
		rt->hops[k].header_no = rt->hops[k].observed ? 0 : no--;
}

struct route *
db_route_get(struct casedb *db, int64_t message_id)
{
	sqlite3_stmt *st = casedb_stmt_take(db,
	    "SELECT verdict, origin_host, origin_ip, forged_hops, flags, origin_idx, date_us, date_zone,"
	    " date_delta_s, obs_delta_s, obs_kind, x_originating_ip, auth, mid_domain, from_domain, rp_domain"
	    " FROM routes WHERE message_id = ?");
	struct route *rt = NULL;
	int64_t v;

	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		rt = xcalloc(1, sizeof(*rt));
		rt->verdict = route_verdict_parse((const char *)sqlite3_column_text(st, 0));
		rt->origin_host = db_col_dup(st, 1);
		rt->origin_ip = db_col_dup(st, 2);
		rt->forged = (size_t)sqlite3_column_int64(st, 3);
		rt->flags = route_flags_parse((const char *)sqlite3_column_text(st, 4));
		rt->origin = db_col_opt(st, 5, &v) && v > 0 ? (size_t)v - 1 : 0;
		rt->has_date = db_col_opt(st, 6, &rt->date_us);
		rt->date_zone = db_zone_parse((const char *)sqlite3_column_text(st, 7));
		rt->has_date_delta = db_col_opt(st, 8, &rt->date_delta_s);
		rt->has_obs_delta = db_col_opt(st, 9, &rt->obs_delta_s);
		rt->obs = route_obs_parse((const char *)sqlite3_column_text(st, 10));
		rt->x_originating_ip = db_col_dup(st, 11);
		rt->auth = db_col_dup(st, 12);
		rt->mid_domain = db_col_dup(st, 13);
		rt->from_domain = db_col_dup(st, 14);
		rt->rp_domain = db_col_dup(st, 15);
	}
	casedb_stmt_give(db, st);
	if (rt != NULL)
		db_hops_get(db, message_id, rt);
	if (rt != NULL && rt->origin >= rt->nhops)
		rt->origin = 0;   /* a hand-edited case; the report stays in bounds */
	return rt;
}

bool
db_route_message_source(struct casedb *db, int64_t message_id, char **path, char **frames)
{
	sqlite3_stmt *st = casedb_stmt_take(db,
	    "SELECT e.path, m.frames FROM messages m LEFT JOIN evidence e ON e.id = m.evidence_id WHERE m.id = ?");
	bool found = false;

	*path = NULL;
	*frames = NULL;
	sqlite3_bind_int64(st, 1, message_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*path = db_col_dup(st, 0);
		*frames = db_col_dup(st, 1);
		found = true;
	}
	casedb_stmt_give(db, st);
	return found;
}
