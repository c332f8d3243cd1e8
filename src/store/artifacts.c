/* artifacts.c - the artifact store (see artifacts.h).
 *
 * A stored file is CASE/artifacts/<sha256[0:2]>/<sha256>, written to a
 * temporary name in the same folder and renamed into place, so a file under
 * its final name is always complete. Names from evidence never reach a path:
 * the declared name is stored as text only, with control characters made
 * visible ("\x01") and invalid UTF-8 replaced, so it is inert wherever it is
 * shown. A failed write to the case is fatal (STYLE.md principle 8). */
#include "store/artifacts.h"
#include "store/casedb.h"
#include "util/buf.h"
#include "util/fault.h"
#include "util/outdir.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files are written on a second thread (the kernel's share of storing tens
 * of thousands of files is a third of a mailbox's time), from a queue of
 * copies bounded in bytes; artstore_flush() waits until every queued file
 * is in place, and runs before each commit of the case database, so no
 * committed row names a file that is not written. A file too large for the
 * queue is written at once. */
#define ARTQ_BYTES (32u << 20)

struct artq_job {
	struct artq_job *next;
	char sha256[65];
	size_t len;
	char data[];
};

struct artstore {
	struct casedb *db;
	magic_t mime;            /* MAGIC_MIME_TYPE */
	magic_t desc;            /* MAGIC_NONE: the human description */
	bool magic_loaded;
	sqlite3_stmt *find, *add, *ref;
	char *mime_s, *desc_s;   /* the last type and description handed out */
	/* the writer thread and its queue, under mu */
	pthread_t writer;
	bool writer_on, stop, busy;
	pthread_mutex_t mu;
	pthread_cond_t wake, done;
	struct artq_job *head, *tail;
	size_t queued;           /* bytes waiting */
	atomic_bool unsynced;    /* files written since the last sync */
};

static void store_write(struct artstore *a, const void *p, size_t len, const char *sha256);

static void *
artq_main(void *arg)
{
	struct artstore *a = arg;
	struct artq_job *j;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		while (a->head == NULL && !a->stop)
			pthread_cond_wait(&a->wake, &a->mu);
		if (a->head == NULL)
			break;
		j = a->head;
		a->head = j->next;
		if (a->head == NULL)
			a->tail = NULL;
		a->busy = true;
		pthread_mutex_unlock(&a->mu);
		store_write(a, j->data, j->len, j->sha256);
		pthread_mutex_lock(&a->mu);
		a->queued -= j->len;
		a->busy = false;
		free(j);
		pthread_cond_broadcast(&a->done);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* Before a commit names them, the files written are on disk (one
 * syncfs(2) per commit rather than an fsync per file: a commit follows
 * each evidence file, which may store tens of thousands), so that a power
 * cut after the commit cannot leave a row naming a file that is not
 * there. */
static void
artq_flush_hook(void *arg)
{
	struct artstore *a = arg;

	artstore_flush(a);
	if (atomic_exchange(&a->unsynced, false) && !outdir_sync_all(casedb_dir(a->db)))
		fatal("%s: cannot sync the stored files to disk: %s", casedb_dir(a->db),
		    strerror(errno));
}

struct artstore *
artstore_open(struct casedb *db)
{
	struct artstore *a = xcalloc(1, sizeof(*a));

	a->db = db;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->wake, NULL);
	pthread_cond_init(&a->done, NULL);
	a->writer_on = pthread_create(&a->writer, NULL, artq_main, a) == 0;
	casedb_before_commit(db, artq_flush_hook, a);
	return a;
}

void
artstore_flush(struct artstore *a)
{
	pthread_mutex_lock(&a->mu);
	while (a->head != NULL || a->busy)
		pthread_cond_wait(&a->done, &a->mu);
	pthread_mutex_unlock(&a->mu);
}

/* Queues a copy of the bytes for the writer (waiting while the queue is
 * full), or writes them now. */
static void
artq_put(struct artstore *a, const void *p, size_t len, const char *sha256)
{
	struct artq_job *j;

	if (!a->writer_on || len > ARTQ_BYTES / 4) {
		store_write(a, p, len, sha256);
		return;
	}
	j = xmalloc(sizeof(*j) + len);
	j->next = NULL;
	j->len = len;
	memcpy(j->sha256, sha256, sizeof(j->sha256));
	memcpy(j->data, p, len);
	pthread_mutex_lock(&a->mu);
	while (a->queued + len > ARTQ_BYTES && (a->head != NULL || a->busy))
		pthread_cond_wait(&a->done, &a->mu);
	if (a->tail)
		a->tail->next = j;
	else
		a->head = j;
	a->tail = j;
	a->queued += len;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->mu);
}

void
artstore_free(struct artstore *a)
{
	if (a == NULL)
		return;
	casedb_before_commit(a->db, NULL, NULL);
	if (a->writer_on) {
		pthread_mutex_lock(&a->mu);
		a->stop = true;
		pthread_cond_signal(&a->wake);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->writer, NULL);
	}
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->wake);
	pthread_cond_destroy(&a->done);
	if (a->mime)
		magic_close(a->mime);
	if (a->desc)
		magic_close(a->desc);
	sqlite3_finalize(a->find);
	sqlite3_finalize(a->add);
	sqlite3_finalize(a->ref);
	free(a->mime_s);
	free(a->desc_s);
	free(a);
}

/* One libmagic handle with its default database; NULL when it cannot be
 * loaded (every type is then application/octet-stream). Its tests read at
 * most ARTSTORE_MAGIC_BYTES, as artstore_detect passes no more. */
static magic_t
magic_handle(int flags)
{
	magic_t m = magic_open(flags | MAGIC_ERROR);
	size_t max = ARTSTORE_MAGIC_BYTES;

	if (m == NULL)
		return NULL;
	if (magic_load(m, NULL) != 0) {
		magic_close(m);
		return NULL;
	}
	/* A libmagic without the parameter still sees no more than the
	 * prefix artstore_detect passes: its failure changes nothing. */
	(void)magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &max);
	return m;
}

/* libmagic's database is loaded once per store (one store per run), on
 * first use: loading it costs more than examining a file. */
static void
magic_ready(struct artstore *a)
{
	if (a->magic_loaded)
		return;
	a->magic_loaded = true;
	a->mime = magic_handle(MAGIC_MIME_TYPE);
	a->desc = magic_handle(MAGIC_NONE);
}

/* Keeps a copy of s in *slot (libmagic's and SQLite's strings live only
 * until their next call). */
static void
artstore_keep(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

void
artstore_detect(struct artstore *a, const void *p, size_t len, const char **mime, const char **desc)
{
	const char *m = NULL, *d = NULL;

	if (len > ARTSTORE_MAGIC_BYTES)
		len = ARTSTORE_MAGIC_BYTES;
	magic_ready(a);
	if (a->mime)
		m = magic_buffer(a->mime, p, len);
	if (a->desc)
		d = magic_buffer(a->desc, p, len);
	artstore_keep(&a->mime_s, m ? m : "application/octet-stream");
	artstore_keep(&a->desc_s, d ? d : "data");
	*mime = a->mime_s;
	*desc = a->desc_s;
}

const char *
artstore_relpath(const char *sha256)
{
	static char path[96];

	snprintf(path, sizeof(path), "artifacts/%.2s/%s", sha256, sha256);
	return path;
}

char *
artstore_name_inert(const char *name)
{
	/* The project's one cleaner (util/text.h): one line, bytes that are
	 * not UTF-8 and controls as "\xNN". */
	return text_clean_str(name, 0);
}

/* Extensions and the detected types that fit them. A type not in a known
 * extension's list is a mismatch; an unknown extension, or content libmagic
 * cannot name (application/octet-stream), is not judged. */
static const struct ext_fit {
	const char *ext;
	const char *types;        /* ";"-separated; "text/" matches any text type */
} ext_fits[] = {
	{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document;application/zip;" },
	{ "docm", "application/vnd.ms-word.document.macroenabled.12;application/vnd.openxmlformats-officedocument.wordprocessingml.document;application/zip;" },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;application/zip;" },
	{ "xlsm", "application/vnd.ms-excel.sheet.macroenabled.12;application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;application/zip;" },
	{ "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation;application/zip;" },
	{ "odt", "application/vnd.oasis.opendocument.text;application/zip;" },
	{ "ods", "application/vnd.oasis.opendocument.spreadsheet;application/zip;" },
	{ "odp", "application/vnd.oasis.opendocument.presentation;application/zip;" },
	{ "zip", "application/zip;application/x-zip-compressed;" },
	{ "jar", "application/java-archive;application/zip;" },
	{ "doc", "application/msword;application/x-ole-storage;application/cdfv2;application/vnd.ms-office;" },
	{ "xls", "application/vnd.ms-excel;application/x-ole-storage;application/cdfv2;application/vnd.ms-office;" },
	{ "ppt", "application/vnd.ms-powerpoint;application/x-ole-storage;application/cdfv2;application/vnd.ms-office;" },
	{ "msg", "application/vnd.ms-outlook;application/x-ole-storage;application/cdfv2;application/vnd.ms-office;" },
	{ "pdf", "application/pdf;" },
	{ "rtf", "text/rtf;application/rtf;" },
	{ "jpg", "image/jpeg;" },
	{ "jpeg", "image/jpeg;" },
	{ "png", "image/png;" },
	{ "gif", "image/gif;" },
	{ "bmp", "image/bmp;image/x-ms-bmp;" },
	{ "tif", "image/tiff;" },
	{ "tiff", "image/tiff;" },
	{ "txt", "text/;" },
	{ "csv", "text/;application/csv;" },
	{ "log", "text/;" },
	{ "htm", "text/;" },
	{ "html", "text/;" },
	{ "xml", "text/;application/xml;" },
	{ "eml", "message/rfc822;text/;" },
	{ "exe", "application/x-dosexec;application/vnd.microsoft.portable-executable;application/x-msdownload;" },
	{ "dll", "application/x-dosexec;application/vnd.microsoft.portable-executable;application/x-msdownload;" },
	{ "scr", "application/x-dosexec;application/vnd.microsoft.portable-executable;" },
	{ "gz", "application/gzip;application/x-gzip;" },
	{ "tgz", "application/gzip;application/x-gzip;" },
	{ "rar", "application/x-rar;application/vnd.rar;application/x-rar-compressed;" },
	{ "7z", "application/x-7z-compressed;" },
	{ "mp3", "audio/mpeg;" },
	{ "wav", "audio/x-wav;audio/wav;" },
	{ "mp4", "video/mp4;" },
};

/* Content that runs: a mismatch under any extension not made for it. */
static bool
type_executable(const char *t)
{
	return strcmp(t, "application/x-dosexec") == 0 ||
	    strcmp(t, "application/vnd.microsoft.portable-executable") == 0 ||
	    strcmp(t, "application/x-executable") == 0 ||
	    strcmp(t, "application/x-pie-executable") == 0 ||
	    strcmp(t, "application/x-sharedlib") == 0 ||
	    strcmp(t, "application/x-mach-binary") == 0;
}

bool
artstore_ext_mismatch(const char *declared_name, const char *detected)
{
	const char *dot, *base;
	size_t i;

	if (declared_name == NULL || detected == NULL)
		return false;
	base = strrchr(declared_name, '/');
	base = base ? base + 1 : declared_name;
	dot = strrchr(base, '.');
	if (dot == NULL || dot[1] == 0)
		return type_executable(detected);
	for (i = 0; i < sizeof(ext_fits) / sizeof(ext_fits[0]); i++) {
		const char *t = ext_fits[i].types, *e;
		if (strcasecmp(dot + 1, ext_fits[i].ext) != 0)
			continue;
		if (strcmp(detected, "application/octet-stream") == 0)
			return false;
		for (; (e = strchr(t, ';')) != NULL; t = e + 1) {
			size_t n = (size_t)(e - t);
			if (n > 0 && t[n - 1] == '/' ? strncasecmp(detected, t, n) == 0 :
			    strlen(detected) == n && strncasecmp(detected, t, n) == 0)
				return false;
		}
		return true;
	}
	return type_executable(detected);
}

/* A known type is taken on the caller's word only while the leading bytes
 * do not contradict it: a body declared text that holds a NUL byte or
 * starts like an executable, archive or PDF is hostile or damaged, and
 * libmagic judges it like any other content. */
static bool
known_type_fits(const void *p, size_t len)
{
	static const char *const sigs[] = { "MZ", "\x7f" "ELF", "PK\x03\x04", "%PDF",
	    "\xd0\xcf\x11\xe0", "\x1f\x8b" };
	size_t i, n = len < 4096 ? len : 4096;

	if (memchr(p, 0, n) != NULL)
		return false;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (len >= strlen(sigs[i]) && memcmp(p, sigs[i], strlen(sigs[i])) == 0)
			return false;
	return true;
}

/* The type of content not stored yet: the caller's known type when the
 * bytes allow it (no description: libmagic did not examine them), else
 * libmagic's. *desc is NULL or a string owned by a. */
static void
artstore_type(struct artstore *a, const void *p, size_t len, const struct artifact_ref *ref,
    const char **mime, const char **desc)
{
	if (ref && ref->known_type && known_type_fits(p, len)) {
		artstore_keep(&a->mime_s, ref->known_type);
		*mime = a->mime_s;
		*desc = NULL;
		return;
	}
	artstore_detect(a, p, len, mime, desc);
}

/* Writes the bytes under their hash: temp file in the same folder, then
 * rename(2), which is atomic within one file system. */
static void
store_write(struct artstore *a, const void *p, size_t len, const char *sha256)
{
	const char *dir = casedb_dir(a->db);
	char *sub = xasprintf("%s/artifacts/%.2s", dir, sha256);
	char *final = xasprintf("%s/%s", sub, sha256);
	char *tmp = xasprintf("%s/.tmp-%s-%ld", sub, sha256, (long)getpid());
	const char *q = p;
	size_t left = len;
	int fd;

	if (mkdir(sub, 0755) != 0 && errno != EEXIST)
		fatal("cannot create %s: %s", sub, strerror(errno));
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		fatal("cannot create %s: %s", tmp, strerror(errno));
	while (left > 0) {
		ssize_t w = write(fd, q, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fatal("cannot write %s: %s", tmp, strerror(w == 0 ? ENOSPC : errno));
		q += w;
		left -= (size_t)w;
	}
	if (close(fd) != 0)
		fatal("cannot write %s: %s", tmp, strerror(errno));
	if (rename(tmp, final) != 0)
		fatal("cannot rename %s: %s", tmp, strerror(errno));
	atomic_store(&a->unsynced, true);
	fault_point("artifact.write");
	free(sub);
	free(final);
	free(tmp);
}

int64_t
artstore_put(struct artstore *a, const void *p, size_t len,
    const struct artifact_ref *ref, struct hashes *h)
{
	struct casedb *db = a->db;
	const char *mime, *desc;
	char *name;
	bool have;
	int64_t id;

	if (p == NULL)
		p = "";
	hash_mem(p, len, h);
	if (a->find == NULL) {
		a->find = casedb_prepare(db, "SELECT detected_type FROM artifacts WHERE sha256 = ?1");
		a->add = casedb_prepare(db, "INSERT INTO artifacts (sha256, md5, sha1, size, path,"
		    " detected_type, detected_desc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
		a->ref = casedb_prepare(db, "INSERT INTO artifact_refs (sha256, evidence_id,"
		    " parent_kind, parent_id, parent_sha256, role, declared_name, declared_type,"
		    " ext_mismatch, part_path, provenance)"
		    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	}
	sqlite3_bind_text(a->find, 1, h->sha256, -1, SQLITE_TRANSIENT);
	have = sqlite3_step(a->find) == SQLITE_ROW;
	if (have) {
		/* The same bytes were typed when first stored: not again. */
		const unsigned char *t = sqlite3_column_text(a->find, 0);
		artstore_keep(&a->mime_s, t ? (const char *)t : "application/octet-stream");
		mime = a->mime_s;
	}
	sqlite3_reset(a->find);

	if (!have) {
		artstore_type(a, p, len, ref, &mime, &desc);
		struct stat sb;
		char *final = xasprintf("%s/%s", casedb_dir(db), artstore_relpath(h->sha256));
		/* A file left by a rolled-back run is rewritten: it may be partial. */
		if (stat(final, &sb) != 0 || (uint64_t)sb.st_size != len)
			artq_put(a, p, len, h->sha256);
		free(final);
		sqlite3_bind_text(a->add, 1, h->sha256, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(a->add, 2, h->md5, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(a->add, 3, h->sha1, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(a->add, 4, (sqlite3_int64)len);
		casedb_bind_text(a->add, 5, artstore_relpath(h->sha256));
		casedb_bind_text(a->add, 6, mime);
		casedb_bind_text(a->add, 7, desc);
		casedb_step_done(db, a->add);
	}

	name = artstore_name_inert(ref ? ref->declared_name : NULL);
	sqlite3_bind_text(a->ref, 1, h->sha256, -1, SQLITE_TRANSIENT);
	if (ref && ref->evidence_id)
		sqlite3_bind_int64(a->ref, 2, ref->evidence_id);
	else
		sqlite3_bind_null(a->ref, 2);
	casedb_bind_text(a->ref, 3, ref && ref->parent_kind ? ref->parent_kind : "message");
	if (ref && ref->parent_id)
		sqlite3_bind_int64(a->ref, 4, ref->parent_id);
	else
		sqlite3_bind_null(a->ref, 4);
	casedb_bind_text(a->ref, 5, ref ? ref->parent_sha256 : NULL);
	casedb_bind_text(a->ref, 6, ref && ref->role ? ref->role : "part");
	casedb_bind_text(a->ref, 7, name);
	{
		char *t = artstore_name_inert(ref ? ref->declared_type : NULL);
		char *pp = artstore_name_inert(ref ? ref->part_path : NULL);
		casedb_bind_text(a->ref, 8, t);
		sqlite3_bind_int(a->ref, 9, artstore_ext_mismatch(name, mime) ? 1 : 0);
		casedb_bind_text(a->ref, 10, pp);
		casedb_bind_text(a->ref, 11, ref ? ref->provenance : NULL);
		casedb_step_done(db, a->ref);
		free(t);
		free(pp);
	}
	free(name);
	id = casedb_last_id(db);
	return id;
}
