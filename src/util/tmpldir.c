/* tmpldir.c - see tmpldir.h. */
#include "util/tmpldir.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool
tmpldir_has(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool yes = stat(p, &st) == 0;

	free(p);
	return yes;
}

/* The folder of the running executable (a new string), or NULL. The link
 * is read into a buffer that grows until the whole target fits. */
static char *
tmpldir_exe_dir(void)
{
	size_t cap = 256;
	char *exe = NULL, *slash;
	ssize_t n;

	for (;;) {
		exe = xrealloc(exe, cap);
		n = readlink("/proc/self/exe", exe, cap);
		if (n <= 0) {
			free(exe);
			return NULL;
		}
		if ((size_t)n < cap)
			break;
		if (cap > 1 << 20) {     /* no real path is this long */
			free(exe);
			return NULL;
		}
		cap *= 2;
	}
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash == NULL) {
		free(exe);
		return NULL;
	}
	*slash = '\0';
	return exe;
}

char *
tmpldir_find(const char *lang, const char *override)
{
	const char *env = getenv("MAILCASE_TEMPLATES");
	char *exe, *path;

	if (override != NULL)
		return xstrdup(override);
	if (env != NULL && *env != '\0')
		return xasprintf("%s/%s", env, lang);
	exe = tmpldir_exe_dir();
	if (exe != NULL) {
		path = xasprintf("%s/templates/%s", exe, lang);
		if (tmpldir_has(path, "report.md.mustache")) {
			free(exe);
			return path;
		}
		free(path);
		path = xasprintf("%s/../share/mailcase/templates/%s", exe, lang);
		free(exe);
		if (tmpldir_has(path, "report.md.mustache"))
			return path;
		free(path);
	}
	return xasprintf("%s/templates/%s", MC_DATADIR, lang);
}

char *
tmpldir_langs(void)
{
	char *en = tmpldir_find("en", NULL), *slash = strrchr(en, '/');
	struct buf b;
	DIR *d;
	struct dirent *de;
	bool ok = true;

	buf_init(&b, 4096);
	if (slash != NULL)
		*slash = '\0';
	d = opendir(slash != NULL ? en : ".");
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		sub = xasprintf("%s/%s", slash != NULL ? en : ".", de->d_name);
		if (tmpldir_has(sub, "report.md.mustache"))
			ok &= (b.len > 0 ? buf_adds(&b, ", ") : true) && buf_adds(&b, de->d_name);
		free(sub);
	}
	if (d != NULL)
		closedir(d);
	free(en);
	if (!ok || b.len == 0) {
		buf_free(&b);
		return xstrdup("none found");
	}
	return buf_take(&b);
}
