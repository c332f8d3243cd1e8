#include "verify.h"
#include "report/render.h"
#include "evidence.h"
#include "exitcodes.h"
#include "store/casedb.h"
#include "store/q_case.h"
#include "store/runlog.h"
#include "util/hash.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	else if (strcmp(state, "NOTE") != 0)
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

/* SUB/SHA256SUMS (SUB a report folder: report, report-ko...) in
 * sha256sum(1) format: "<64 hex>  <path>" per line, paths relative to SUB. */
static void
verify_manifest(const char *dir, const char *sub, struct verify_tally *t)
{
	char *mpath = xasprintf("%s/%s/SHA256SUMS", dir, sub);
	char *mshown = xasprintf("%s/SHA256SUMS", sub);
	FILE *f = fopen(mpath, "rb");
	char *data = NULL;
	size_t cap = 0, len = 0, n;
	struct rd r;
	struct slice line;
	unsigned lineno = 0;

	if (f == NULL) {
		verify_line(t, "manifest", mshown, "MISSING", NULL);
		free(mpath);
		free(mshown);
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
			verify_line(t, "manifest", mshown, "CHANGED", where);
			continue;
		}
		rel = xstrndup((const char *)line.p + 66, line.len - 66);
		path = xasprintf("%s/%s/%s", dir, sub, rel);
		shown = xasprintf("%s/%s", sub, rel);
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
		verify_line(t, "manifest", mshown, "CHANGED", "a line is too long");
	free(data);
	free(mpath);
	free(mshown);
}

/* A report folder in another language without a manifest: its rendering
 * did not finish (killed, a full disk), so it claims nothing; said, since
 * it is not verified. */
static void
verify_unclaimed(const char *dir, struct verify_tally *t)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char *sub, *sums;
		struct stat st;

		if (strncmp(de->d_name, "report-", 7) != 0)
			continue;
		sub = xasprintf("%s/%s", dir, de->d_name);
		sums = xasprintf("%s/SHA256SUMS", sub);
		if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && lstat(sums, &st) != 0) {
			char *shown = xasprintf("%s/SHA256SUMS", de->d_name);

			verify_line(t, "manifest", shown, "NOTE", "none: this report's rendering did "
			    "not finish and it is not verified; render it again");
			free(shown);
		}
		free(sub);
		free(sums);
	}
	if (d != NULL)
		closedir(d);
}

/* What the run log says of one entry's run: a database changed before it
 * outside any recorded run is a finding for good (the run recorded it; it
 * did not bless it). */
static void
verify_log_entry(struct verify_tally *t, const json_t *e)
{
	const char *state = runlog_str(e, "db_before_state");
	const char *cmd = runlog_str(e, "command"), *started = runlog_str(e, "started");
	long long run = (long long)json_integer_value(json_object_get(e, "run"));
	char *d;

	if (state != NULL && strcmp(state, "unrecorded") == 0) {
		d = xasprintf("changed outside a recorded run before run %lld (%s, %s): SHA-256 %s "
		    "when that run began", run, cmd ? cmd : "?", started ? started : "?",
		    runlog_str(e, "db_before") ? runlog_str(e, "db_before") : "?");
		verify_line(t, "case-db", "case.db", "CHANGED", d);
		free(d);
	} else if (state != NULL && strcmp(state, "interrupted") == 0) {
		d = xasprintf("changed by a run that did not finish, before run %lld (%s, %s), which "
		    "recorded it", run, cmd ? cmd : "?", started ? started : "?");
		verify_line(t, "case-db", "case.db", "NOTE", d);
		free(d);
	}
	if (runlog_str(e, "log_problem") != NULL) {
		d = xasprintf("run %lld found it broken: %s", run, runlog_str(e, "log_problem"));
		verify_line(t, "run-log", RUNLOG_NAME, "CHANGED", d);
		free(d);
	}
}

/* Every run in the database has its entry in the log and every entry its
 * run, except runs that never finished (killed: they could not write
 * their entry). */
static void
verify_log_runs(struct casedb *db, const struct runlog *l, struct verify_tally *t)
{
	struct rows *st = q_case_runs(db);
	const struct row *r;
	size_t n = runlog_count(l), i = 0;
	char *d;

	while (rows_next(st, &r)) {
		int64_t id = row_int(r, 0);
		const json_t *e = NULL;

		for (i = 0; i < n; i++)
			if (json_integer_value(json_object_get(runlog_get(l, i), "run")) == id)
				e = runlog_get(l, i);
		if (e != NULL)
			continue;
		if (row_null(r, 2) || row_int(r, 2) == -1) {
			d = xasprintf("run %lld (%s) did not finish and has no entry", (long long)id,
			    row_text(r, 1) ? row_text(r, 1) : "?");
			verify_line(t, "run-log", RUNLOG_NAME, "NOTE", d);
		} else {
			d = xasprintf("run %lld (%s) is in the case database but not in the run log "
			    "(an entry removed)", (long long)id, row_text(r, 1) ? row_text(r, 1) : "?");
			verify_line(t, "run-log", RUNLOG_NAME, "CHANGED", d);
		}
		free(d);
	}
	rows_close(st);
	for (i = 0; i < n; i++) {
		json_int_t id = json_integer_value(json_object_get(runlog_get(l, i), "run"));
		struct rows *q = q_case_runs(db);
		bool found = false;

		while (!found && rows_next(q, &r))
			found = row_int(r, 0) == (int64_t)id;
		rows_close(q);
		if (!found) {
			d = xasprintf("its entry for run %lld has no run in the case database",
			    (long long)id);
			verify_line(t, "run-log", RUNLOG_NAME, "CHANGED", d);
			free(d);
		}
	}
}

/* case.db, report/SHA256SUMS and runs.log against the last entry of the
 * run log: a change made outside a recorded run is named here. Hashed
 * before the database is opened, so that nothing verify does is hashed. */
static struct runlog *
verify_runs(const char *dir, struct verify_tally *t)
{
	char *dbpath = xasprintf("%s/case.db", dir), *wal = xasprintf("%s/case.db-wal", dir);
	char *sums = xasprintf("%s/report/SHA256SUMS", dir), *err = NULL, *d;
	struct runlog *l = runlog_read(dir, &err);
	const json_t *last;
	const char *after, *msums;
	struct hashes h;
	struct stat st;

	if (l == NULL) {
		verify_line(t, "run-log", RUNLOG_NAME, "MISSING", err);
		free(err);
		l = runlog_read("/nonexistent-case-folder", &err);   /* an empty log */
	} else if (!runlog_exists(l)) {
		verify_line(t, "run-log", RUNLOG_NAME, "MISSING", "the case has no run log");
	} else if (runlog_problem(l) != NULL) {
		verify_line(t, "run-log", RUNLOG_NAME, "CHANGED", runlog_problem(l));
	} else {
		d = xasprintf("%zu run%s, each entry chained to the one before", runlog_count(l),
		    runlog_count(l) == 1 ? "" : "s");
		verify_line(t, "run-log", RUNLOG_NAME, "OK", d);
		free(d);
	}
	for (size_t i = 0; i < runlog_count(l); i++)
		verify_log_entry(t, runlog_get(l, i));
	last = runlog_last(l);
	after = last ? runlog_str(last, "db_after") : NULL;
	if (!hash_file(dbpath, &h)) {
		verify_line(t, "case-db", "case.db", "MISSING", NULL);
	} else if (after == NULL || strcmp(after, h.sha256) != 0) {
		d = after ? xasprintf("SHA-256 %s; the last recorded run (%lld, %s) left %s: changed "
		    "outside a recorded run", h.sha256,
		    (long long)json_integer_value(json_object_get(last, "run")),
		    runlog_str(last, "command") ? runlog_str(last, "command") : "?", after)
		    : xasprintf("SHA-256 %s; no recorded run left it so", h.sha256);
		verify_line(t, "case-db", "case.db", "CHANGED", d);
		free(d);
	} else {
		verify_line(t, "case-db", "case.db", "OK", NULL);
	}
	if (stat(wal, &st) == 0 && st.st_size > 0)
		verify_line(t, "case-db", "case.db-wal", "CHANGED", "changes not yet written into "
		    "case.db (a program has the case open, or was stopped)");
	msums = last ? runlog_str(last, "report_manifest_sha256") : NULL;
	if (hash_file(sums, &h) && last != NULL && (msums == NULL || strcmp(msums, h.sha256) != 0)) {
		d = msums ? xasprintf("SHA-256 %s; the last recorded run left %s: changed outside a "
		    "recorded run", h.sha256, msums)
		    : xasprintf("SHA-256 %s; the last recorded run left no manifest", h.sha256);
		verify_line(t, "manifest", "report/SHA256SUMS", "CHANGED", d);
		free(d);
	}
	{
		/* Reports in other languages, against what the last run left. */
		size_t n, i;
		char **dirs = render_dirs(dir, &n);
		const json_t *other = last ? json_object_get(last, "report_manifests") : NULL;
		const char *key;
		const json_t *v;

		/* a manifest the last run left that is gone */
		json_object_foreach((json_t *)other, key, v) {
			char *m = xasprintf("%s/%s/SHA256SUMS", dir, key);

			if (!hash_file(m, &h)) {
				char *shown = xasprintf("%s/SHA256SUMS", key);

				verify_line(t, "manifest", shown, "MISSING", "the last recorded run left one");
				free(shown);
			}
			free(m);
		}
		for (i = 0; i < n; i++) {
			char *m = xasprintf("%s/%s/SHA256SUMS", dir, dirs[i]);
			const char *want = json_string_value(json_object_get(other, dirs[i]));

			if (strcmp(dirs[i], "report") != 0 && last != NULL && hash_file(m, &h) &&
			    (want == NULL || strcmp(want, h.sha256) != 0)) {
				char *shown = xasprintf("%s/SHA256SUMS", dirs[i]);

				d = want ? xasprintf("SHA-256 %s; the last recorded run left %s: changed "
				    "outside a recorded run", h.sha256, want)
				    : xasprintf("SHA-256 %s; the last recorded run left no manifest", h.sha256);
				verify_line(t, "manifest", shown, "CHANGED", d);
				free(d);
				free(shown);
			}
			free(m);
			free(dirs[i]);
		}
		free(dirs);
	}
	free(dbpath);
	free(wal);
	free(sums);
	return l;
}

int
verify_case(const char *dir, FILE *out)
{
	struct verify_tally t = { 0, 0, out };
	char *err = NULL, *dbpath = xasprintf("%s/case.db", dir);
	struct casedb *db;
	struct runlog *l;
	struct stat st;

	if (stat(dbpath, &st) != 0) {
		fprintf(stderr, "mailcase verify: %s: not a mailcase case directory (no case.db)\n", dir);
		free(dbpath);
		return MC_EXIT_CASE;
	}
	free(dbpath);
	l = verify_runs(dir, &t);
	db = casedb_open(dir, false, &err);
	if (db == NULL) {
		fprintf(stderr, "mailcase verify: %s\n", err);
		free(err);
		runlog_free(l);
		return MC_EXIT_CASE;
	}
	verify_log_runs(db, l, &t);
	runlog_free(l);
	verify_evidence(db, &t);
	verify_artifacts(db, &t);
	casedb_close(db);
	{
		/* report/ always (MISSING when its rendering never finished,
		 * even beside a report in another language), then the others */
		size_t n, i;
		char **dirs = render_dirs(dir, &n);

		verify_manifest(dir, "report", &t);
		for (i = 0; i < n; i++) {
			if (strcmp(dirs[i], "report") != 0)
				verify_manifest(dir, dirs[i], &t);
			free(dirs[i]);
		}
		free(dirs);
		verify_unclaimed(dir, &t);
	}
	fprintf(out, "%u file%s verified, %u changed or missing\n", t.ok + t.bad,
	    t.ok + t.bad == 1 ? "" : "s", t.bad);
	return t.bad ? MC_EXIT_MISMATCH : MC_EXIT_OK;
}
