/* db_images.c - rows of the image_meta table. */
#include "store/db_images.h"
#include "media/exif.h"
#include "store/casedb.h"

void
db_image_meta_add(struct casedb *db, const char *sha256, const struct exif_record *r)
{
	sqlite3_stmt *st = casedb_stmt(db,
	    "INSERT OR IGNORE INTO image_meta (sha256, make, model, datetime_original, datetime,"
	    " offset_original, offset_time, taken, gps_lat, gps_lon, gps_alt)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

	casedb_bind_text(st, 1, sha256);
	casedb_bind_text(st, 2, r->make);
	casedb_bind_text(st, 3, r->model);
	casedb_bind_text(st, 4, r->datetime_original);
	casedb_bind_text(st, 5, r->datetime);
	casedb_bind_text(st, 6, r->offset_original);
	casedb_bind_text(st, 7, r->offset);
	casedb_bind_text(st, 8, r->taken);
	if (r->has_gps) {
		sqlite3_bind_double(st, 9, r->lat);
		sqlite3_bind_double(st, 10, r->lon);
	}
	if (r->has_alt)
		sqlite3_bind_double(st, 11, r->alt);
	casedb_step_done(db, st);
}
