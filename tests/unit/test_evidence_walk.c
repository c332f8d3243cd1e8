/* Unit tests of src/evidence_walk.c: the one list of a folder's entries
 * that its hash and its ingest are made from. Links are entries hashed as
 * their target text, never followed; special files are listed, never
 * opened; a folder too deep is an unreadable entry; the folder hash is the
 * documented list of lines, for the folder and for a subfolder alike. */
#include "check.h"
#include "evidence.h"
#include "evidence_walk.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
put(const char *dir, const char *rel, const char *text)
{
	char p[1024];
	FILE *f;
	bool ok;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	if ((f = fopen(p, "wb")) == NULL)
		return false;
	ok = fwrite(text, 1, strlen(text), f) == strlen(text);
	return fclose(f) == 0 && ok;
}

static void
sha(const char *text, char out[65])
{
	hash_sha256_hex(text, strlen(text), out);
}

TEST(links_specials_and_the_hash)
{
	const char *dir = check_tmpdir("walk_links");
	char p[1024], a[65], l[65], s[65], lines[512], want[65], kinds[256] = "";
	struct evidence_walk *w;
	struct hashes h;
	size_t i;

	snprintf(p, sizeof(p), "%s/sub", dir);
	CHECK(mkdir(p, 0755) == 0);
	CHECK(put(dir, "a", "A\n"));
	CHECK(put(dir, "sub/s", "S\n"));
	snprintf(p, sizeof(p), "%s/b", dir);
	CHECK(symlink("a", p) == 0);              /* inside the folder: still not followed */
	snprintf(p, sizeof(p), "%s/sub/out", dir);
	CHECK(symlink("/etc/passwd", p) == 0);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	CHECK(mkfifo(p, 0644) == 0);
	alarm(30);                                /* a FIFO opened would block for good */
	w = evidence_walk_new(dir);
	alarm(0);
	for (i = 0; i < evidence_walk_count(w); i++) {
		const struct evidence_entry *e = evidence_walk_get(w, i);
		size_t k = strlen(kinds);

		snprintf(kinds + k, sizeof(kinds) - k, "%s=%c%s%s\n", e->rel, "fdlou"[e->type],
		    e->target ? ">" : "", e->target ? e->target : "");
	}
	CHECK_STR(kinds, "a=f\nb=l>a\nfifo=o\nsub=d\nsub/out=l>/etc/passwd\nsub/s=f\n");
	CHECK(strstr(evidence_walk_get(w, 2)->why, "FIFO") != NULL);
	CHECK_INT(evidence_walk_unreadable(w), 0);
	CHECK_INT(evidence_walk_maildir_count(w), 0);
	sha("A\n", a);
	sha("a", l);
	sha("S\n", s);
	snprintf(lines, sizeof(lines), "%s  a\n%s  b\n%s  sub/out\n%s  sub/s\n", a, l,
	    evidence_walk_get(w, 4)->h.sha256, s);
	sha(lines, want);
	evidence_walk_digest(w, "", &h);
	CHECK_STR(h.sha256, want);
	CHECK_INT(h.size, 2 + 1 + strlen("/etc/passwd") + 2);
	/* a subfolder's digest is the walk of that subfolder */
	snprintf(lines, sizeof(lines), "%s  out\n%s  s\n", evidence_walk_get(w, 4)->h.sha256, s);
	sha(lines, want);
	evidence_walk_digest(w, "sub", &h);
	CHECK_STR(h.sha256, want);
	evidence_walk_free(w);
	snprintf(p, sizeof(p), "%s/sub", dir);
	CHECK(evidence_hash(p, &h));
	CHECK_STR(h.sha256, want);
	/* a row's path: a link is hashed as a link, a named link is followed */
	snprintf(p, sizeof(p), "%s/b", dir);
	CHECK(evidence_hash_nofollow(p, &h));
	CHECK_STR(h.sha256, l);
	CHECK(evidence_hash(p, &h));
	CHECK_STR(h.sha256, a);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	alarm(30);
	CHECK(evidence_hash_nofollow(p, &h));
	alarm(0);
	CHECK_INT(h.size, 0);
}

TEST(depth_ceiling)
{
	const char *dir = check_tmpdir("walk_depth");
	char p[2048];
	size_t n = strlen(dir), i;
	struct evidence_walk *w;
	const struct evidence_entry *e;

	memcpy(p, dir, n + 1);
	for (i = 0; i < EVIDENCE_WALK_DEPTH + 1; i++) {
		memcpy(p + n, "/d", 3);
		n += 2;
		CHECK(mkdir(p, 0755) == 0);
	}
	w = evidence_walk_new(dir);
	CHECK_INT(evidence_walk_unreadable(w), 1);
	e = evidence_walk_get(w, evidence_walk_count(w) - 1);
	CHECK_INT(e->type, EVW_UNREADABLE);
	CHECK_INT(strlen(e->rel), 2 * (EVIDENCE_WALK_DEPTH + 1) - 1);
	CHECK(strstr(e->why, "deeper than 32 folders") != NULL);
	evidence_walk_free(w);
}

TEST(unreadable_root)
{
	struct evidence_walk *w = evidence_walk_new("/nonexistent/folder");
	struct hashes h;

	CHECK_INT(evidence_walk_count(w), 1);
	CHECK_STR(evidence_walk_get(w, 0)->rel, "");
	CHECK_INT(evidence_walk_get(w, 0)->type, EVW_UNREADABLE);
	evidence_walk_free(w);
	CHECK(!evidence_hash("/nonexistent/folder", &h));
}

int
main(void)
{
	RUN(links_specials_and_the_hash);
	RUN(depth_ceiling);
	RUN(unreadable_root);
	return check_done();
}
