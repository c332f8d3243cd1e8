/* evidence_walk.c - the entries of an evidence folder (see evidence_walk.h). */
#include "evidence_walk.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk_item {
	struct evidence_entry e;
	char *rel, *target, *why;
};

struct evidence_walk {
	char *root;
	struct walk_item *v;
	size_t n, cap;
	char **maildirs;
	size_t nmaildirs;
};

static struct walk_item *
walk_add(struct evidence_walk *w, char *rel, enum evidence_entry_type type)
{
	struct walk_item *it;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	it = &w->v[w->n++];
	memset(it, 0, sizeof(*it));
	it->rel = rel;
	it->e.type = type;
	it->e.maildir = -1;
	return it;
}

static const char *
walk_special_name(mode_t m)
{
	if (S_ISFIFO(m))
		return "a named pipe (FIFO), not a regular file; not opened";
	if (S_ISSOCK(m))
		return "a socket, not a regular file; not opened";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device, not a regular file; not opened";
	return "not a regular file; not opened";
}

/* The link's target as stored, or NULL with errno. */
static char *
walk_readlink(const char *path, size_t size_hint)
{
	size_t cap = size_hint + 1 > 256 ? size_hint + 1 : 256;

	for (;;) {
		char *p = xmalloc(cap);
		ssize_t n = readlink(path, p, cap);

		if (n < 0) {
			int e = errno;

			free(p);
			errno = e;
			return NULL;
		}
		if ((size_t)n < cap) {
			p[n] = '\0';
			return p;
		}
		free(p);
		if (cap > 65536) {
			errno = ENAMETOOLONG;
			return NULL;
		}
		cap *= 2;
	}
}

/* Lists dir (relative path rel, "" for the root) into w, depth folders
 * below the root. */
static void
walk_dir(struct evidence_walk *w, const char *rel, unsigned depth)
{
	char *path = rel[0] ? xasprintf("%s/%s", w->root, rel) : xstrdup(w->root);
	DIR *d = opendir(path);
	struct dirent *e;

	if (d == NULL) {
		struct walk_item *it = walk_add(w, xstrdup(rel), EVW_UNREADABLE);

		it->why = xasprintf("folder cannot be read: %s", strerror(errno));
		free(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		char *sub, *full;
		struct stat st;
		struct walk_item *it;

		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' ||
		    (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		full = xasprintf("%s/%s", w->root, sub);
		if (lstat(full, &st) != 0) {
			it = walk_add(w, sub, EVW_UNREADABLE);
			it->why = xasprintf("cannot be read: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			if (depth + 1 > EVIDENCE_WALK_DEPTH) {
				it = walk_add(w, sub, EVW_UNREADABLE);
				it->why = xasprintf("a folder nested deeper than %u folders in the evidence;"
				    " not read", EVIDENCE_WALK_DEPTH);
			} else {
				walk_add(w, xstrdup(sub), EVW_DIR);
				walk_dir(w, sub, depth + 1);
				free(sub);
			}
		} else if (S_ISREG(st.st_mode)) {
			it = walk_add(w, sub, EVW_FILE);
			it->e.h.size = (uint64_t)st.st_size;
		} else if (S_ISLNK(st.st_mode)) {
			char *t = walk_readlink(full, (size_t)st.st_size);

			if (t == NULL) {
				it = walk_add(w, sub, EVW_UNREADABLE);
				it->why = xasprintf("symbolic link cannot be read: %s", strerror(errno));
			} else {
				it = walk_add(w, sub, EVW_SYMLINK);
				it->target = t;
				hash_mem(t, strlen(t), &it->e.h);
			}
		} else {
			it = walk_add(w, sub, EVW_OTHER);
			it->why = xstrdup(walk_special_name(st.st_mode));
		}
		free(full);
	}
	closedir(d);
	free(path);
}

static int
walk_cmp(const void *a, const void *b)
{
	return strcmp(((const struct walk_item *)a)->rel, ((const struct walk_item *)b)->rel);
}

/* The index of the entry rel (a folder), or -1; v is sorted. */
static long
walk_find(const struct evidence_walk *w, const char *rel)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(w->v[mid].rel, rel);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool
walk_is_dir(const struct evidence_walk *w, const char *parent, const char *name)
{
	char *rel = parent[0] ? xasprintf("%s/%s", parent, name) : xstrdup(name);
	long i = walk_find(w, rel);

	free(rel);
	return i >= 0 && w->v[i].e.type == EVW_DIR;
}

static bool
walk_is_maildir_root(const struct evidence_walk *w, const char *rel)
{
	return walk_is_dir(w, rel, "cur") || walk_is_dir(w, rel, "new");
}

/* The parent of rel ("" at the top) as a new string; *base its last part. */
static char *
walk_parent(const char *rel, const char **base)
{
	const char *s = strrchr(rel, '/');

	*base = s ? s + 1 : rel;
	return s ? xstrndup(rel, (size_t)(s - rel)) : xstrdup("");
}

static size_t
walk_maildir_index(struct evidence_walk *w, const char *root)
{
	size_t k;

	for (k = 0; k < w->nmaildirs; k++)
		if (strcmp(w->maildirs[k], root) == 0)
			return k;
	w->maildirs = xreallocarray(w->maildirs, w->nmaildirs + 1, sizeof(*w->maildirs));
	w->maildirs[w->nmaildirs] = xstrdup(root);
	return w->nmaildirs++;
}

/* Is the file rel a Maildir message? Its folder is cur, new or tmp of a
 * Maildir root, or of a Maildir++ folder (".Name") directly in a root. */
static void
walk_mark_message(struct evidence_walk *w, struct walk_item *it)
{
	const char *leaf, *box_base;
	char *dir = walk_parent(it->rel, &leaf);
	char *box, *root = NULL;

	(void)leaf;
	if (dir[0] == '\0') {
		free(dir);
		return;
	}
	box = walk_parent(dir, &box_base);
	if (strcmp(box_base, "cur") == 0 || strcmp(box_base, "new") == 0 ||
	    strcmp(box_base, "tmp") == 0) {
		const char *name;
		char *up;

		if (walk_is_maildir_root(w, box)) {
			/* a Maildir++ folder is part of the root it is in */
			up = walk_parent(box, &name);
			if (name[0] == '.' && box[0] != '\0' && walk_is_maildir_root(w, up))
				root = up;
			else {
				free(up);
				root = xstrdup(box);
			}
		}
	}
	if (root != NULL) {
		size_t skip = root[0] ? strlen(root) + 1 : 0;

		it->e.maildir = (int)walk_maildir_index(w, root);
		it->e.in_maildir = it->rel + skip;
		free(root);
	}
	free(box);
	free(dir);
}

struct evidence_walk *
evidence_walk_new(const char *root)
{
	struct evidence_walk *w = xcalloc(1, sizeof(*w));
	size_t i;

	w->root = xstrdup(root);
	walk_dir(w, "", 0);
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), walk_cmp);
	for (i = 0; i < w->n; i++) {
		struct walk_item *it = &w->v[i];

		if (it->e.type == EVW_FILE) {
			char *full = xasprintf("%s/%s", w->root, it->rel);
			uint64_t size = it->e.h.size;

			if (!hash_file(full, &it->e.h)) {
				it->e.type = EVW_UNREADABLE;
				it->why = xasprintf("cannot be read: %s", strerror(errno));
				memset(&it->e.h, 0, sizeof(it->e.h));
				it->e.h.size = size;
			} else {
				walk_mark_message(w, it);
			}
			free(full);
		}
	}
	/* pointers into v are taken once it no longer moves */
	for (i = 0; i < w->n; i++) {
		w->v[i].e.rel = w->v[i].rel;
		w->v[i].e.target = w->v[i].target;
		w->v[i].e.why = w->v[i].why;
	}
	return w;
}

void
evidence_walk_free(struct evidence_walk *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->v[i].rel);
		free(w->v[i].target);
		free(w->v[i].why);
	}
	for (i = 0; i < w->nmaildirs; i++)
		free(w->maildirs[i]);
	free(w->maildirs);
	free(w->v);
	free(w->root);
	free(w);
}

size_t
evidence_walk_count(const struct evidence_walk *w)
{
	return w->n;
}

const struct evidence_entry *
evidence_walk_get(const struct evidence_walk *w, size_t i)
{
	return i < w->n ? &w->v[i].e : NULL;
}

bool
evidence_walk_is_maildir(const struct evidence_walk *w, const char *rel)
{
	return walk_is_maildir_root(w, rel);
}

size_t
evidence_walk_maildir_count(const struct evidence_walk *w)
{
	return w->nmaildirs;
}

const char *
evidence_walk_maildir(const struct evidence_walk *w, size_t k)
{
	return k < w->nmaildirs ? w->maildirs[k] : NULL;
}

void
evidence_walk_digest(const struct evidence_walk *w, const char *prefix, struct hashes *out)
{
	struct hasher *h = hasher_new();
	size_t plen = strlen(prefix), i;
	uint64_t total = 0;

	for (i = 0; i < w->n; i++) {
		const struct walk_item *it = &w->v[i];
		const char *rel = it->rel;
		char *line;

		if (it->e.type != EVW_FILE && it->e.type != EVW_SYMLINK)
			continue;
		if (plen) {
			if (strncmp(rel, prefix, plen) != 0 || rel[plen] != '/')
				continue;
			rel += plen + 1;
		}
		line = xasprintf("%s  %s\n", it->e.h.sha256, rel);
		hasher_update(h, line, strlen(line));
		free(line);
		total += it->e.h.size;
	}
	hasher_final(h, out);
	out->size = total;
}

size_t
evidence_walk_unreadable(const struct evidence_walk *w)
{
	size_t i, n = 0;

	for (i = 0; i < w->n; i++)
		n += w->v[i].e.type == EVW_UNREADABLE;
	return n;
}

bool
evidence_walk_hash_link(const char *path, struct hashes *out)
{
	struct stat st;
	char *t;

	if (lstat(path, &st) != 0)
		return false;
	if (!S_ISLNK(st.st_mode)) {
		errno = EINVAL;
		return false;
	}
	if ((t = walk_readlink(path, (size_t)st.st_size)) == NULL)
		return false;
	hash_mem(t, strlen(t), out);
	free(t);
	return true;
}
