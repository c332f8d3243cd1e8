#include "verify.h"
#include "evidence.h"
#include "exitcodes.h"
#include "store/casedb.h"
#include "store/q_case.h"
#include "util/hash.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct verify_tally {
	unsigned ok, bad;
	FILE *out;
};

static void
verify_line(struct verify_tally *t, const char *what, const char *path, const char *state,
    const char *detail)
{
	if (strcmp(state, "OK") == 0)
		t->ok++;
	else
		t->bad++;
	fprintf(t->out, "%-8s %-9s %s%s%s\n", state, what, path, detail ? "  " : "", detail ? detail : "");
}

static void
verify_evidence(struct casedb *db, struct verify_tally *t)
{
	struct rows *st = q_case_evidence_hashes(db);

	const struct row *r;

	while (rows_next(st, &r)) {
		const char *path = row_text(r, 0);
		struct hashes h;

		/* the resolved path: an entry of a folder that is a symbolic
		 * link is hashed as the link, as when it was listed */
		if (!evidence_hash_nofollow(path, &h))
			verify_line(t, "evidence", path, "MISSING", "cannot be read");
		else if (strcmp(h.md5, row_text(r, 1)) != 0 ||
		    strcmp(h.sha1, row_text(r, 2)) != 0 ||
		    strcmp(h.sha256, row_text(r, 3)) != 0)
			verify_line(t, "evidence", path, "CHANGED", h.sha256);
		else
			verify_line(t, "evidence", path, "OK", NULL);
	}
	rows_close(st);
}

static void
verify_artifacts(struct casedb *db, struct verify_tally *t)
{
	struct rows *st = q_case_artifact_hashes(db);

	const struct row *r;

	while (rows_next(st, &r)) {
		const char *rel = row_text(r, 0);
		char *path = xasprintf("%s/%s", casedb_dir(db), rel);
		struct hashes h;

		if (!hash_file(path, &h))
			verify_line(t, "artifact", rel, "MISSING", NULL);
		else if (strcmp(h.sha256, row_text(r, 1)) != 0 ||
		    strcmp(h.md5, row_text(r, 2)) != 0)
			verify_line(t, "artifact", rel, "CHANGED", h.sha256);
		else
			verify_line(t, "artifact", rel, "OK", NULL);
		free(path);
	}
	rows_close(st);
}

/* report/SHA256SUMS in sha256sum(1) format: "<64 hex>  <path>" per line,
 * paths relative to report/. */
static void
verify_manifest(const char *dir, struct verify_tally *t)
{
	char *mpath = xasprintf("%s/report/SHA256SUMS", dir);
	FILE *f = fopen(mpath, "rb");
	char *data = NULL;
	size_t cap = 0, len = 0, n;
	struct rd r;
	struct slice line;
	unsigned lineno = 0;

	if (f == NULL) {
		verify_line(t, "manifest", "report/SHA256SUMS", "MISSING", NULL);
		free(mpath);
		return;
	}
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			data = xrealloc(data, cap);
		}
		n = fread(data + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	rd_init(&r, data, len);
	while (rd_line(&r, 4096, &line)) {
		char *rel, *path, *shown;
		struct hashes h;

		lineno++;
		if (line.len < 67 || line.p[64] != ' ' || line.p[65] != ' ') {
			char where[64];

			snprintf(where, sizeof(where), "line %u is malformed", lineno);
			verify_line(t, "manifest", "report/SHA256SUMS", "CHANGED", where);
			continue;
		}
		rel = xstrndup((const char *)line.p + 66, line.len - 66);
		path = xasprintf("%s/report/%s", dir, rel);
		shown = xasprintf("report/%s", rel);
		if (!hash_file(path, &h))
			verify_line(t, "report", shown, "MISSING", NULL);
		else if (memcmp(h.sha256, line.p, 64) != 0)
			verify_line(t, "report", shown, "CHANGED", h.sha256);
		else
			verify_line(t, "report", shown, "OK", NULL);
		free(rel);
		free(path);
		free(shown);
	}
	if (!rd_ok(&r))
		verify_line(t, "manifest", "report/SHA256SUMS", "CHANGED", "a line is too long");
	free(data);
	free(mpath);
}

int
verify_case(const char *dir, FILE *out)
{
	struct verify_tally t = { 0, 0, out };
	char *err = NULL;
	struct casedb *db = casedb_open(dir, false, &err);

	if (db == NULL) {
		fprintf(stderr, "mailcase: %s\n", err);
		free(err);
		return MC_EXIT_CASE;
	}
	verify_evidence(db, &t);
	verify_artifacts(db, &t);
	casedb_close(db);
	verify_manifest(dir, &t);
	fprintf(out, "%u file%s verified, %u changed or missing\n", t.ok + t.bad,
	    t.ok + t.bad == 1 ? "" : "s", t.bad);
	return t.bad ? MC_EXIT_MISMATCH : MC_EXIT_OK;
}
