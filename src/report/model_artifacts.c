/* model_artifacts.c - the report model's "artifacts" section, built from the tables
 * that mail/message.c writes. */
#include "report/model.h"
#include "store/casedb.h"

void
model_artifacts(struct casedb *db, json_t *root, const struct model_opts *o)
{
	(void)db;
	(void)o;
	json_object_set_new(root, "artifacts", json_array());
}
