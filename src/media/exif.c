/* exif.c - EXIF metadata of JPEG and TIFF images with libexif.
 *
 * A JPEG carries EXIF in an APP1 segment starting "Exif\0\0" (EXIF 2.32
 * section 4.5.4), which exif_data_new_from_data() finds among the markers;
 * a TIFF file is itself the EXIF structure (section 4.5.2), handed to
 * libexif behind the same six-byte header. Text values are libexif's
 * rendering, cleaned by util/text; rationals are read from the entry with
 * libexif's byte-order helpers after checking the entry's size. */
#include "media/exif.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <libexif/exif-data.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TIFF files past this size are not copied to be read (a JPEG is read in
 * place). */
#define EXIF_TIFF_MAX (64u << 20)

bool
exif_is_image(const void *p, size_t len)
{
	const unsigned char *b = p;

	if (len < 4)
		return false;
	return (b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) ||
	    memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0;
}

static char *
exif_str(ExifData *ed, ExifIfd ifd, ExifTag tag)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	char v[1024];

	if (e == NULL || exif_entry_get_value(e, v, sizeof(v)) == NULL)
		return NULL;
	/* ASCII values are NUL-padded and often blank-padded (Make) */
	for (size_t n = strlen(v); n > 0 && v[n - 1] == ' '; n--)
		v[n - 1] = '\0';
	return v[0] != '\0' ? text_clean_str(v, 0) : NULL;
}

/* The n-th RATIONAL of an entry; false when it has not that many. */
static bool
exif_rational(ExifData *ed, ExifEntry *e, unsigned n, double *out)
{
	ExifRational r;

	if (e == NULL || e->format != EXIF_FORMAT_RATIONAL || e->components <= n ||
	    e->size < 8u * (n + 1u))
		return false;
	r = exif_get_rational(e->data + 8u * n, exif_data_get_byte_order(ed));
	if (r.denominator == 0)
		return false;
	*out = (double)r.numerator / (double)r.denominator;
	return true;
}

/* GPSLatitude / GPSLongitude (EXIF 2.32 4.6.6): degrees, minutes, seconds
 * as three RATIONALs, with a reference letter N/S or E/W. */
static bool
exif_coord(ExifData *ed, ExifTag tag, ExifTag ref_tag, char neg, double *out)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
	ExifEntry *ref = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], ref_tag);
	double d, m, s;

	if (!exif_rational(ed, e, 0, &d) || !exif_rational(ed, e, 1, &m) ||
	    !exif_rational(ed, e, 2, &s) || m >= 60 || s >= 60)
		return false;
	*out = d + m / 60 + s / 3600;
	if (ref != NULL && ref->size >= 1 && ref->data != NULL && ref->data[0] == (unsigned char)neg)
		*out = -*out;
	return true;
}

static void
exif_gps(ExifData *ed, struct exif_record *r)
{
	ExifEntry *alt = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], EXIF_TAG_GPS_ALTITUDE);
	ExifEntry *aref = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], EXIF_TAG_GPS_ALTITUDE_REF);

	r->has_gps = exif_coord(ed, EXIF_TAG_GPS_LATITUDE, EXIF_TAG_GPS_LATITUDE_REF, 'S', &r->lat) &&
	    exif_coord(ed, EXIF_TAG_GPS_LONGITUDE, EXIF_TAG_GPS_LONGITUDE_REF, 'W', &r->lon) &&
	    r->lat >= -90 && r->lat <= 90 && r->lon >= -180 && r->lon <= 180;
	r->has_alt = exif_rational(ed, alt, 0, &r->alt);
	/* GPSAltitudeRef 1: below sea level */
	if (r->has_alt && aref != NULL && aref->size >= 1 && aref->data != NULL && aref->data[0] == 1)
		r->alt = -r->alt;
}

/* "YYYY:MM:DD HH:MM:SS" (EXIF 2.32 4.6.5, DateTime) and "+HH:MM" into
 * ISO 8601; NULL when the value is not such a time. */
static char *
exif_iso(const char *dt, const char *off)
{
	int y, mo, d, h, mi, s, n = 0;

	if (dt == NULL || sscanf(dt, "%4d:%2d:%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 ||
	    n != 19 || y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return NULL;
	if (off != NULL && strlen(off) == 6 && (off[0] == '+' || off[0] == '-') && off[3] == ':')
		return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, s, off);
	return xasprintf("%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
}

static ExifData *
exif_load(const void *p, size_t len)
{
	const unsigned char *b = p;
	unsigned char *copy;
	ExifData *ed;

	if (b[0] == 0xff)
		return exif_data_new_from_data(p, (unsigned int)(len > 0xffffffffu ? 0xffffffffu : len));
	if (len > EXIF_TIFF_MAX)
		return NULL;
	copy = xmalloc(len + 6);
	memcpy(copy, "Exif\0\0", 6);
	memcpy(copy + 6, p, len);
	ed = exif_data_new_from_data(copy, (unsigned int)(len + 6));
	free(copy);
	return ed;
}

bool
exif_read(const void *p, size_t len, struct exif_record *r)
{
	ExifData *ed;

	memset(r, 0, sizeof(*r));
	if (!exif_is_image(p, len) || (ed = exif_load(p, len)) == NULL)
		return false;
	r->make = exif_str(ed, EXIF_IFD_0, EXIF_TAG_MAKE);
	r->model = exif_str(ed, EXIF_IFD_0, EXIF_TAG_MODEL);
	r->datetime = exif_str(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME);
	r->offset = exif_str(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME);
	r->datetime_original = exif_str(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL);
	r->offset_original = exif_str(ed, EXIF_IFD_EXIF, EXIF_TAG_OFFSET_TIME_ORIGINAL);
	r->taken = r->datetime_original ? exif_iso(r->datetime_original, r->offset_original) :
	    exif_iso(r->datetime, r->offset);
	exif_gps(ed, r);
	exif_data_unref(ed);
	if (r->make || r->model || r->datetime || r->datetime_original || r->has_gps || r->has_alt)
		return true;
	exif_record_free(r);
	return false;
}

void
exif_record_free(struct exif_record *r)
{
	free(r->make);
	free(r->model);
	free(r->datetime_original);
	free(r->datetime);
	free(r->offset_original);
	free(r->offset);
	free(r->taken);
	memset(r, 0, sizeof(*r));
}
