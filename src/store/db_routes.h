/* db_routes.h - the route tables: hops and routes (schema in
 * store/schema.c, columns in docs/case-database.md). Written from the
 * record of mail/hops.c (mail/route.h), read back by report/model_route.c.
 * Codes and numbers only: the words are the report's.
 *
 * Write failures are fatal (casedb.h). */
#ifndef MC_DB_ROUTES_H
#define MC_DB_ROUTES_H

#include "mail/route.h"

#include <stdbool.h>
#include <stdint.h>

struct casedb;

/* One routes row and one hops row per hop (idx 1 = origin side) for the
 * message; r is borrowed. A second call for the same message replaces the
 * routes row and adds hops rows (the caller stores a route once). */
void db_route_add(struct casedb *db, int64_t message_id, const struct route *r);

/* The stored route of a message as a record (free it with
 * hops_route_free()), or NULL when the message has none. */
struct route *db_route_get(struct casedb *db, int64_t message_id);

/* Where the message came from, for the report's source text: the evidence
 * path and the frame list (each NULL when unknown; free() both). False when
 * the message has no evidence row. */
bool db_route_message_source(struct casedb *db, int64_t message_id, char **path, char **frames);

#endif
