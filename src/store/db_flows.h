/* db_flows.h - the flows table (store/schema.c): one row per TCP flow. */
#ifndef MC_DB_FLOWS_H
#define MC_DB_FLOWS_H

#include <stdint.h>

#include "capture/stream.h"

struct casedb;

/* Stores f (borrowed) as a row of flows; returns the row id. Write
 * failures are fatal (casedb.h). */
int64_t db_flow_add(struct casedb *db, const struct flow *f);

#endif
