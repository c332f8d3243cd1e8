/* caserun.c - see caserun.h. */
#include "caserun.h"
#include "report/render.h"
#include "exitcodes.h"
#include "store/db_recover.h"
#include "store/runlog.h"
#include "util/fault.h"
#include "util/hash.h"
#include "util/outdir.h"
#include "util/timefmt.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct caserun {
	struct casedb *db;
	char *dir, *dbpath;
	struct runlog *log;
	json_t *entry;              /* the run log entry, filled as the run goes */
	int64_t id;
	const char *command;
};

/* The SHA-256 of the running executable, hex; "" when it cannot be read
 * (a system without /proc). */
static void
caserun_tool_sha256(char out[65])
{
	struct hashes h;

	out[0] = '\0';
	if (hash_file("/proc/self/exe", &h))
		memcpy(out, h.sha256, 65);
}

static json_t *
caserun_time(int64_t us)
{
	char s[TIMEFMT_UTC_MAX];

	return timefmt_utc_sec(us, s, sizeof(s)) ? json_string(s) : json_null();
}

static json_t *
caserun_str(const char *s)
{
	return s != NULL && *s != '\0' ? json_string(s) : json_null();
}

/* What case.db was when this run began, against what the log says the
 * last recorded run left: "recorded", "interrupted" (runs in the database
 * after the last one the log holds changed it: each writes its entry as
 * its very last step, so a run without one was killed or stopped before
 * it said it was complete), or "unrecorded". Said on stderr unless
 * "recorded". Runs that got an end but no entry are marked interrupted
 * (db_recover.h). */
static const char *
caserun_before_state(struct caserun *r, const char *before)
{
	const json_t *last = runlog_last(r->log);
	const char *after = last ? runlog_str(last, "db_after") : NULL;
	int64_t last_run = last ? (int64_t)json_integer_value(json_object_get(last, "run")) : 0;
	int64_t unfinished, finished;

	if (after != NULL && strcmp(after, before) == 0)
		return "recorded";
	casedb_runs_after(r->db, last_run, &unfinished, &finished);
	if (last == NULL && !runlog_exists(r->log) && unfinished + finished == 0) {
		/* The report that created the case stopped (a full disk) before
		 * its run was recorded: the schema is all there is. */
		fprintf(stderr, "mailcase %s: note: %s holds no run: the run that created it did not "
		    "finish; this run records it\n", r->command, r->dbpath);
		return "interrupted";
	}
	if (unfinished + finished > 0) {
		fprintf(stderr, "mailcase %s: note: %s was changed by %lld run%s that did not finish "
		    "(killed or failed%s); this run records it\n", r->command, r->dbpath,
		    (long long)(unfinished + finished), unfinished + finished == 1 ? "" : "s",
		    finished > 0 ? ", or stopped before its run log entry was written" : "");
		casedb_begin(r->db);
		(void)db_recover_unlogged(r->db, last_run);
		casedb_commit(r->db);
		return "interrupted";
	}
	fprintf(stderr, "mailcase %s: WARNING: %s was changed outside a recorded mailcase run\n"
	    "mailcase %s: WARNING:   its SHA-256 now:       %s\n", r->command, r->dbpath,
	    r->command, before);
	if (after != NULL)
		fprintf(stderr, "mailcase %s: WARNING:   the last recorded run (%lld, %s) left: %s\n",
		    r->command, (long long)last_run, runlog_str(last, "command") ?
		    runlog_str(last, "command") : "?", after);
	else
		fprintf(stderr, "mailcase %s: WARNING:   %s/%s has no entry that left it so\n",
		    r->command, r->dir, RUNLOG_NAME);
	fprintf(stderr, "mailcase %s: WARNING: this run records the change in %s/%s; 'mailcase "
	    "verify' will keep reporting it\n", r->command, r->dir, RUNLOG_NAME);
	return "unrecorded";
}

struct caserun *
caserun_begin(const char *dir, const struct caserun_info *info, char **err)
{
	struct caserun *r = xcalloc(1, sizeof(*r));
	struct casedb_run row = { 0 };
	char tool[65], *examiner = NULL;
	struct hashes before;
	const char *state = "new";
	int schema_from;

	*err = NULL;
	r->dir = xstrdup(dir);
	r->dbpath = xasprintf("%s/case.db", dir);
	r->command = info->command;
	if (!info->create && !casedb_writable(dir, err))
		goto fail;
	{
		char *lp = xasprintf("%s/%s", dir, RUNLOG_NAME);

		if (!info->create && access(lp, F_OK) == 0 && access(lp, W_OK) != 0)
			*err = xasprintf("%s: cannot be written (%s); the case is left as it is", lp,
			    strerror(errno));
		free(lp);
		if (*err != NULL)
			goto fail;
	}
	r->log = runlog_read(dir, err);
	if (r->log == NULL)
		goto fail;
	r->db = casedb_open(dir, info->create, err);
	if (r->db == NULL)
		goto fail;
	if (!info->create) {
		if (!casedb_checkpoint(r->db, err))
			goto fail;
		if (!hash_file(r->dbpath, &before)) {
			*err = xasprintf("%s: cannot be read: %s", r->dbpath, strerror(errno));
			goto fail;
		}
		if (runlog_problem(r->log) != NULL)
			fprintf(stderr, "mailcase %s: WARNING: %s/%s: %s; this run records that, and "
			    "'mailcase verify' will keep reporting it\n", info->command, dir, RUNLOG_NAME,
			    runlog_problem(r->log));
		state = caserun_before_state(r, before.sha256);
		row.db_before = before.sha256;
	}
	caserun_tool_sha256(tool);
	examiner = info->examiner ? xstrdup(info->examiner) : casedb_meta_get(r->db, "examiner");
	row.command = info->command;
	row.command_line = info->command_line;
	row.examiner = examiner;
	row.tool_sha256 = tool[0] ? tool : NULL;
	row.db_before_state = state;
	row.started = timefmt_now_us();
	casedb_begin(r->db);
	r->id = casedb_run_begin(r->db, &row);
	/* An older case is brought to this schema by the run that first
	 * writes it, so its db_after accounts for the change. */
	schema_from = casedb_migrate(r->db);
	casedb_commit(r->db);

	r->entry = json_object();
	json_object_set_new(r->entry, "run", json_integer((json_int_t)r->id));
	json_object_set_new(r->entry, "command", json_string(info->command));
	json_object_set_new(r->entry, "command_line", json_string(info->command_line));
	json_object_set_new(r->entry, "tool_version", json_string(MC_VERSION));
	json_object_set_new(r->entry, "tool_sha256", caserun_str(tool));
	json_object_set_new(r->entry, "examiner", caserun_str(examiner));
	json_object_set_new(r->entry, "details", info->details ? json_deep_copy(info->details)
	    : json_object());
	json_object_set_new(r->entry, "started", caserun_time(row.started));
	json_object_set_new(r->entry, "db_before", caserun_str(row.db_before));
	json_object_set_new(r->entry, "db_before_state", json_string(state));
	json_object_set_new(r->entry, "log_problem", caserun_str(runlog_problem(r->log)));
	if (schema_from != CASEDB_SCHEMA_VERSION)
		json_object_set_new(r->entry, "schema_migrated_from", json_integer(schema_from));
	free(examiner);
	return r;
fail:
	casedb_close(r->db);
	runlog_free(r->log);
	free(r->dir);
	free(r->dbpath);
	free(r);
	return NULL;
}

struct casedb *
caserun_db(struct caserun *r)
{
	return r->db;
}

int64_t
caserun_id(const struct caserun *r)
{
	return r->id;
}

int
caserun_end(struct caserun *r, int status, bool *logged)
{
	int64_t finished = timefmt_now_us();
	char *err = NULL, *manifest = xasprintf("%s/report/SHA256SUMS", r->dir);
	struct hashes after, sums;
	int rc = status;

	*logged = false;
	casedb_begin(r->db);
	casedb_run_end(r->db, r->id, finished, status);
	casedb_commit(r->db);
	/* The last connection's close writes the write-ahead log into case.db
	 * and removes it (sqlite.org/wal.html); the checkpoint first makes a
	 * failure to do so an error here rather than a hash of a stale file. */
	if (!casedb_checkpoint(r->db, &err))
		fatal("%s", err);
	casedb_close(r->db);
	r->db = NULL;
	if (!hash_file(r->dbpath, &after))
		fatal("%s: cannot be read after the run: %s", r->dbpath, strerror(errno));
	fault_point("run.end");
	json_object_set_new(r->entry, "finished", caserun_time(finished));
	json_object_set_new(r->entry, "status", json_integer(status));
	json_object_set_new(r->entry, "db_after", json_string(after.sha256));
	json_object_set_new(r->entry, "report_manifest_sha256",
	    hash_file(manifest, &sums) ? json_string(sums.sha256) : json_null());
	{
		/* The reports in other languages beside report/ (render.h). */
		size_t n, i;
		char **dirs = render_dirs(r->dir, &n);
		json_t *other = json_object();

		for (i = 0; i < n; i++) {
			char *m = xasprintf("%s/%s/SHA256SUMS", r->dir, dirs[i]);

			if (strcmp(dirs[i], "report") != 0 && hash_file(m, &sums))
				json_object_set_new(other, dirs[i], json_string(sums.sha256));
			free(m);
			free(dirs[i]);
		}
		free(dirs);
		if (json_object_size(other) > 0)
			json_object_set_new(r->entry, "report_manifests", other);
		else
			json_decref(other);
	}
	/* The entry says the run is complete: what it names (the database,
	 * the artifacts, every report file) is on disk before it is. */
	if (!outdir_sync_all(r->dir)) {
		fprintf(stderr, "mailcase %s: %s: cannot sync to disk: %s; the run is not recorded in "
		    "its run log\n", r->command, r->dir, strerror(errno));
		rc = MC_EXIT_FATAL;
	} else if (!runlog_append(r->dir, r->log, r->entry, &err)) {
		fprintf(stderr, "mailcase %s: %s; the run is in the case database but not in its run "
		    "log: the next run records it as interrupted\n", r->command, err);
		free(err);
		rc = MC_EXIT_FATAL;
	} else {
		*logged = true;
	}
	free(manifest);
	json_decref(r->entry);
	runlog_free(r->log);
	free(r->dir);
	free(r->dbpath);
	free(r);
	return rc;
}
