/* zipsafe.c - office packages opened read-only from memory with libzip.
 *
 * An office document is a zip (ECMA-376 Part 2, ISO/IEC 26300 section 17):
 * a hostile one can declare small sizes and inflate to gigabytes (a zip
 * bomb), hold a million entries, or be encrypted. Every entry is read with a
 * bounded zip_fread loop that stops at the ceiling, and the ratio is measured
 * on the bytes actually inflated. Entry names stay text. */
#include "office/zipsafe.h"
#include "util/buf.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* Below this many inflated bytes the ratio is not judged: small XML parts of
 * repeated markup legitimately compress more than any sane ceiling. */
#define OZIP_RATIO_FLOOR (1u << 20)

struct ozip {
	zip_t *za;
	size_t n;
	struct plog *log;
	const char *source;
	uint64_t own_inflated;
	uint64_t *inflated;       /* bytes inflated so far: this zip's, or its nest's */
	uint64_t max_inflated;
	unsigned ratio;
	bool encrypted;
	bool capped;
	bool own_logged;
	bool *budget_logged;      /* the spent budget said once: per zip, or per nest */
};

static zip_t *
ozip_za_open(const void *p, size_t len, int *zerr)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;

	zip_error_init(&ze);
	src = zip_source_buffer_create(p, len, 0, &ze);
	if (src == NULL) {
		*zerr = zip_error_code_zip(&ze);
		zip_error_fini(&ze);
		return NULL;
	}
	za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (za == NULL) {
		*zerr = zip_error_code_zip(&ze);
		zip_source_free(src);
	}
	zip_error_fini(&ze);
	return za;
}

struct ozip *
ozip_peek(const void *p, size_t len)
{
	struct ozip *z;
	zip_t *za;
	zip_int64_t n;
	int zerr = 0;

	if (len < 4 || memcmp(p, "PK\3\4", 4) != 0)
		return NULL;
	za = ozip_za_open(p, len, &zerr);
	if (za == NULL)
		return NULL;
	n = zip_get_num_entries(za, 0);
	z = xcalloc(1, sizeof(*z));
	z->za = za;
	z->n = n < 0 ? 0 : (size_t)n;
	return z;
}

struct ozip *
ozip_open(const void *p, size_t len, const struct limits *lim, struct plog *log,
    const char *source)
{
	struct ozip *z;
	zip_t *za;
	zip_int64_t n;
	int zerr = 0;
	zip_error_t ze;

	za = ozip_za_open(p, len, &zerr);
	if (za == NULL) {
		zip_error_init_with_code(&ze, zerr);
		plog_add(log, PLOG_WARN, "office.zip", source, "", "not a readable zip archive: %s",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	z = xcalloc(1, sizeof(*z));
	z->za = za;
	z->log = log;
	z->source = source;
	z->inflated = &z->own_inflated;
	z->budget_logged = &z->own_logged;
	z->max_inflated = lim->zip_inflated;
	z->ratio = lim->zip_ratio;
	n = zip_get_num_entries(za, 0);
	z->n = n < 0 ? 0 : (size_t)n;
	if (z->n > lim->zip_entries) {
		plog_add(log, PLOG_WARN, "office.zip.entries", source, "",
		    "%zu entries, more than the ceiling of %u: only the first %u are read",
		    z->n, lim->zip_entries, lim->zip_entries);
		z->n = lim->zip_entries;
		z->capped = true;
	}
	for (size_t i = 0; i < z->n; i++) {
		const char *name = zip_get_name(za, i, 0);

		if (name == NULL)
			continue;
		/* Never used as a path here, but a name that would climb out of a
		 * folder (zip slip) says someone crafted the archive. */
		if (name[0] == '/' || name[0] == '\\' || strstr(name, "..") != NULL ||
		    strchr(name, ':') != NULL) {
			char *where = xasprintf("zip entry %zu", i);
			char *text = text_clean_str(name, 0);
			plog_add(log, PLOG_WARN, "office.zip.name", source, where,
			    "suspicious entry name \"%s\" (absolute or climbing path); kept as text only",
			    text);
			free(text);
			free(where);
		}
	}
	return z;
}

void
ozip_free(struct ozip *z)
{
	if (z == NULL)
		return;
	zip_discard(z->za);
	free(z);
}

size_t
ozip_count(const struct ozip *z)
{
	return z->n;
}

const char *
ozip_name(const struct ozip *z, size_t i)
{
	const char *s = i < z->n ? zip_get_name(z->za, i, 0) : NULL;

	return s ? s : "";
}

long
ozip_find(const struct ozip *z, const char *name)
{
	zip_int64_t i = zip_name_locate(z->za, name, 0);

	return i < 0 || (size_t)i >= z->n ? -1 : (long)i;
}

bool
ozip_encrypted(const struct ozip *z)
{
	return z->encrypted;
}

bool
ozip_capped(const struct ozip *z)
{
	return z->capped;
}

/* ozip_read() with where, the entry's position for the log. */
static char *
ozip_read_at(struct ozip *z, size_t i, size_t max, size_t *len, const char *where)
{
	zip_stat_t st;
	zip_file_t *f;
	struct buf b;
	char chunk[16384];
	uint64_t budget;

	*len = 0;
	zip_stat_init(&st);
	if (zip_stat_index(z->za, i, 0, &st) != 0) {
		plog_add(z->log, PLOG_WARN, "office.zip.entry", z->source, where,
		    "entry cannot be read: %s", zip_strerror(z->za));
		return NULL;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		z->encrypted = true;
		plog_add(z->log, PLOG_WARN, "office.zip.encrypted", z->source, where,
		    "entry is encrypted (method %u) and was not read", st.encryption_method);
		return NULL;
	}
	budget = *z->inflated >= z->max_inflated ? 0 : z->max_inflated - *z->inflated;
	f = zip_fopen_index(z->za, i, 0);
	if (f == NULL) {
		plog_add(z->log, PLOG_WARN, "office.zip.entry", z->source, where,
		    "entry cannot be opened: %s", zip_strerror(z->za));
		return NULL;
	}
	buf_init(&b, max);
	for (;;) {
		zip_int64_t got = zip_fread(f, chunk, sizeof(chunk));

		if (got < 0) {
			plog_add(z->log, PLOG_WARN, "office.zip.entry", z->source, where,
			    "entry is damaged after %zu bytes: %s", b.len, zip_file_strerror(f));
			goto fail;
		}
		if (got == 0)
			break;
		*z->inflated += (uint64_t)got;
		if ((uint64_t)b.len + (uint64_t)got > budget) {
			/* Logged once: every later entry meets the same spent budget. */
			if (!*z->budget_logged)
				plog_add(z->log, PLOG_WARN, "office.zip.inflated", z->source, where,
				    "inflating passed the ceiling of %llu bytes for a document and the"
				    " documents inside it (zip-bytes; zip bomb?): this entry and any later"
				    " one are not read",
				    (unsigned long long)z->max_inflated);
			*z->budget_logged = true;
			goto capped;
		}
		if (!buf_add(&b, chunk, (size_t)got)) {
			plog_add(z->log, PLOG_WARN, "office.zip.size", z->source, where,
			    "entry larger than the ceiling of %zu bytes: not read", max);
			goto capped;
		}
		/* The ratio of what was inflated to what the entry holds compressed. */
		if (b.len > OZIP_RATIO_FLOOR && (st.valid & ZIP_STAT_COMP_SIZE) &&
		    (uint64_t)b.len / (st.comp_size ? st.comp_size : 1) > z->ratio) {
			plog_add(z->log, PLOG_WARN, "office.zip.ratio", z->source, where,
			    "compression ratio passed %u:1 (%zu bytes from %llu; zip bomb?): entry not read",
			    z->ratio, b.len, (unsigned long long)st.comp_size);
			goto capped;
		}
	}
	zip_fclose(f);
	*len = b.len;
	if (b.p == NULL)
		return xstrdup("");
	return buf_take(&b);
capped:
	z->capped = true;
fail:
	zip_fclose(f);
	buf_free(&b);
	return NULL;
}

void
ozip_share_budget(struct ozip *z, uint64_t *inflated, bool *logged)
{
	*inflated += z->own_inflated;
	z->inflated = inflated;
	*logged |= z->own_logged;
	z->budget_logged = logged;
}

char *
ozip_read(struct ozip *z, size_t i, size_t max, size_t *len)
{
	/* An entry name is at most 65535 bytes (APPNOTE 4.4.10): the position
	 * holds it whole, as text. */
	char *name = text_clean_str(ozip_name(z, i), 0);
	char *where = xasprintf("zip entry %zu \"%s\"", i, name ? name : "");
	char *r = ozip_read_at(z, i, max, len, where);

	free(where);
	free(name);
	return r;
}
