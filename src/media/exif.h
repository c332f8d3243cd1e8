/* exif.h - camera, times and GPS position of a JPEG or TIFF image, read
 * with libexif (EXIF 2.32, CIPA DC-008-2019).
 *
 * Pure: image bytes in, a record out; no database, no log. An image
 * without EXIF, or whose EXIF libexif cannot read, gives false.
 *
 * Ownership: the input bytes are borrowed; the record's strings belong to
 * it and are freed by exif_record_free(). */
#ifndef MC_MEDIA_EXIF_H
#define MC_MEDIA_EXIF_H

#include <stdbool.h>
#include <stddef.h>

struct exif_record {
	char *make, *model;             /* IFD0 Make, Model; NULL when absent */
	char *datetime_original;        /* "2024:03:01 09:00:00" as written */
	char *datetime;                 /* IFD0 DateTime (last change) */
	char *offset_original;          /* OffsetTimeOriginal "+09:00" */
	char *offset;                   /* OffsetTime */
	char *taken;                    /* ISO 8601 of DateTimeOriginal (else
	                                 * DateTime), with its offset when one
	                                 * is recorded, else without */
	bool has_gps;                   /* latitude and longitude */
	double lat, lon;                /* degrees, south and west negative */
	bool has_alt;
	double alt;                     /* metres, below sea level negative */
};

/* True when the bytes start like a JPEG (SOI) or a TIFF (II*\0, MM\0*). */
bool exif_is_image(const void *p, size_t len);
/* Reads p[0..len) into *r (zeroed first). False when there is no EXIF. */
bool exif_read(const void *p, size_t len, struct exif_record *r);
void exif_record_free(struct exif_record *r);

#endif
