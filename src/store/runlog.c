/* runlog.c - see runlog.h. */
#include "store/runlog.h"
#include "util/fault.h"
#include "util/fileio.h"
#include "util/hash.h"
#include "util/outdir.h"
#include "util/rd.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct runlog {
	bool exists;
	json_t **entries;
	size_t n;
	char *problem;          /* the first break of the chain */
	char *data;             /* the file as read, written again by runlog_append */
	size_t len;
};

/* The SHA-256 an entry is chained by: of the entry without "hash", as
 * compact JSON with sorted keys (what runlog_append wrote). */
static bool
runlog_entry_hash(const json_t *entry, char out[65])
{
	json_t *c = json_deep_copy(entry);
	char *s;

	if (c == NULL)
		fatal("out of memory (run log entry)");
	(void)json_object_del(c, "hash");
	s = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(c);
	if (s == NULL)
		return false;
	hash_sha256_hex(s, strlen(s), out);
	free(s);
	return true;
}

static void
runlog_break(struct runlog *l, size_t line, const char *why)
{
	if (l->problem == NULL)
		l->problem = xasprintf("line %zu: %s", line, why);
}

struct runlog *
runlog_read(const char *dir, char **err)
{
	struct runlog *l = xcalloc(1, sizeof(*l));
	char *path = xasprintf("%s/%s", dir, RUNLOG_NAME), *data = NULL;
	size_t len = 0, lineno = 0;
	struct stat st;
	struct rd r;
	struct slice line;

	*err = NULL;
	if (stat(path, &st) != 0 && errno == ENOENT) {
		free(path);
		return l;
	}
	if (!fileio_read_all(path, RUNLOG_FILE_MAX, &data, &len, err)) {
		free(path);
		free(l);
		return NULL;
	}
	free(path);
	l->exists = true;
	rd_init(&r, data, len);
	while (rd_line(&r, RUNLOG_LINE_MAX, &line)) {
		json_error_t je;
		json_t *e;
		const char *prev, *hash;
		char want[65];

		lineno++;
		e = json_loadb((const char *)line.p, line.len, 0, &je);
		if (!json_is_object(e)) {
			runlog_break(l, lineno, "not a JSON object");
			json_decref(e);
			continue;
		}
		l->entries = xreallocarray(l->entries, l->n + 1, sizeof(*l->entries));
		l->entries[l->n++] = e;
		prev = runlog_str(e, "prev");
		hash = runlog_str(e, "hash");
		if (json_integer_value(json_object_get(e, "seq")) != (json_int_t)l->n)
			runlog_break(l, lineno, "its entry number is out of sequence "
			    "(an entry removed, added or moved)");
		if (hash == NULL || !runlog_entry_hash(e, want) || strcmp(want, hash) != 0)
			runlog_break(l, lineno, "its hash does not match its content "
			    "(the entry was edited)");
		if (l->n == 1 ? prev != NULL : (prev == NULL ||
		    runlog_str(l->entries[l->n - 2], "hash") == NULL ||
		    strcmp(prev, runlog_str(l->entries[l->n - 2], "hash")) != 0))
			runlog_break(l, lineno, "it does not follow the entry before "
			    "(an entry removed, added or moved)");
	}
	if (!rd_ok(&r))
		runlog_break(l, lineno + 1, "longer than a run log line can be");
	else if (rd_rest(&r).len > 0)
		runlog_break(l, lineno + 1, "cut off (no end of line)");
	l->data = data;
	l->len = len;
	return l;
}

void
runlog_free(struct runlog *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		json_decref(l->entries[i]);
	free(l->entries);
	free(l->problem);
	free(l->data);
	free(l);
}

bool
runlog_exists(const struct runlog *l)
{
	return l->exists;
}

size_t
runlog_count(const struct runlog *l)
{
	return l->n;
}

const json_t *
runlog_get(const struct runlog *l, size_t i)
{
	return i < l->n ? l->entries[i] : NULL;
}

const json_t *
runlog_last(const struct runlog *l)
{
	return l->n > 0 ? l->entries[l->n - 1] : NULL;
}

const char *
runlog_problem(const struct runlog *l)
{
	return l->problem;
}

const char *
runlog_str(const json_t *entry, const char *key)
{
	return json_string_value(json_object_get(entry, key));
}

/* Writes all len bytes of p to fd; false with errno set. */
static bool
runlog_write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return false;
		if (w == 0) {
			errno = ENOSPC;
			return false;
		}
		p += w;
		len -= (size_t)w;
	}
	return true;
}

/* The log is written whole to a temporary name, synced and renamed over
 * runs.log, then the folder is synced: a run killed or stopped by a full
 * disk while it writes leaves the log as it was, never an entry cut in
 * half (which would break the chain for good). */
bool
runlog_append(const char *dir, const struct runlog *l, json_t *entry, char **err)
{
	const json_t *last = runlog_last(l);
	const char *prev = last ? runlog_str(last, "hash") : NULL;
	char *path, *tmp, *line, hash[65];
	size_t len;
	int fd;

	*err = NULL;
	json_object_set_new(entry, "seq", json_integer((json_int_t)l->n + 1));
	json_object_set_new(entry, "prev", prev ? json_string(prev) : json_null());
	(void)json_object_del(entry, "hash");
	if (!runlog_entry_hash(entry, hash)) {
		*err = xstrdup("the run log entry cannot be written as JSON");
		return false;
	}
	json_object_set_new(entry, "hash", json_string(hash));
	line = json_dumps(entry, JSON_COMPACT | JSON_SORT_KEYS);
	if (line == NULL)
		fatal("out of memory (run log entry)");
	len = strlen(line);
	line = xrealloc(line, len + 2);
	line[len++] = '\n';
	path = xasprintf("%s/%s", dir, RUNLOG_NAME);
	tmp = xasprintf("%s/.%s.tmp", dir, RUNLOG_NAME);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		*err = xasprintf("%s: cannot create: %s", tmp, strerror(errno));
		goto out;
	}
	if (!runlog_write_all(fd, l->data != NULL ? l->data : "", l->len) ||
	    !runlog_write_all(fd, line, len))
		*err = xasprintf("%s: cannot write: %s", tmp, strerror(errno));
	else if (fsync(fd) != 0)
		*err = xasprintf("%s: cannot sync to disk: %s", tmp, strerror(errno));
	if (close(fd) != 0 && *err == NULL)
		*err = xasprintf("%s: cannot write: %s", tmp, strerror(errno));
	if (*err == NULL) {
		fault_point("runlog.write");
		if (rename(tmp, path) != 0)
			*err = xasprintf("%s: cannot replace %s: %s", tmp, path, strerror(errno));
		else if (!outdir_sync(dir))
			*err = xasprintf("%s: cannot sync to disk: %s", dir, strerror(errno));
	}
	if (*err != NULL)
		(void)unlink(tmp);
out:
	free(path);
	free(tmp);
	free(line);
	return *err == NULL;
}
