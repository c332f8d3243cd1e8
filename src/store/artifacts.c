/* artifacts.c - stub until the artifact store lands. */
#include "store/artifacts.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>

struct artstore {
	struct casedb *db;
};

struct artstore *
artstore_open(struct casedb *db)
{
	struct artstore *a = xcalloc(1, sizeof(*a));

	a->db = db;
	return a;
}

void
artstore_free(struct artstore *a)
{
	free(a);
}

int64_t
artstore_put(struct artstore *a, const void *p, size_t len,
    const struct artifact_ref *ref, struct hashes *h)
{
	(void)a; (void)ref;
	hash_mem(p, len, h);
	return 0;
}

const char *
artstore_relpath(const char *sha256)
{
	static char path[96];

	snprintf(path, sizeof(path), "artifacts/%.2s/%s", sha256, sha256);
	return path;
}

void
artstore_detect(struct artstore *a, const void *p, size_t len, const char **mime, const char **desc)
{
	(void)a; (void)p; (void)len;
	*mime = "application/octet-stream";
	*desc = "data";
}
