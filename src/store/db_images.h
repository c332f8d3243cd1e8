/* db_images.h - the image_meta table (schema in store/schema.c): EXIF
 * metadata of extracted images, written by the driver (ingest.c) from the
 * records of media/exif.c, read by report/model_images.c.
 *
 * Write failures are fatal (casedb.h). Strings are borrowed; NULL is
 * stored as NULL. */
#ifndef MC_DB_IMAGES_H
#define MC_DB_IMAGES_H

#include <stdbool.h>

struct casedb;
struct exif_record;

/* One row for the artifact sha256; a second call for the same content
 * changes nothing (the same image found twice). */
void db_image_meta_add(struct casedb *db, const char *sha256, const struct exif_record *r);

#endif
