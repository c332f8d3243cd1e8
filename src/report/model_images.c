/* model_images.c - the report model's image metadata: camera, times and GPS
 * position of every extracted image that carries EXIF (table image_meta),
 * the images with a GPS position listed together, and the time each picture
 * was taken on the timeline.
 *
 * Keys: images_meta_any, images_meta[] = {no, name, sha256, md5, make,
 * model, camera, taken, datetime_original, datetime, gps, lat, lon, alt},
 * images_gps_any, images_gps[] (the same objects with gps true). lat and lon
 * are decimal degrees with six decimals (about 0.1 m), alt metres with one.
 * A time without a recorded offset is the camera's clock: it goes to the
 * timeline as written, and its text says the zone is unknown. */
#include "report/model.h"
#include "store/q_report.h"
#include "util/xalloc.h"

#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "2024-03-01T09:00:00" with an optional "+09:00": microseconds UTC (a time
 * without an offset read as UTC); *zoned says whether it had one. */
static bool
img_taken_us(const char *s, int64_t *us, bool *zoned)
{
	return timefmt_iso8601_us(s, us, zoned);
}

static json_t *
img_fixed(const struct row *r, int col, const char *fmt)
{
	char s[64];

	if (row_null(r, col))
		return json_null();
	snprintf(s, sizeof(s), fmt, row_real(r, col));
	return json_string(s);
}

static void
img_timeline(json_t *root, const json_t *o, bool ko)
{
	const char *taken = json_string_value(json_object_get(o, "taken"));
	const char *name = json_string_value(json_object_get(o, "name"));
	const char *camera = json_string_value(json_object_get(o, "camera"));
	int64_t us;
	bool zoned;
	char *text;

	if (!img_taken_us(taken, &us, &zoned))
		return;
	name = name ? name : "";
	if (ko)
		text = xasprintf("%s 촬영%s%s (EXIF: %s%s)", name, camera ? ", 카메라 " : "",
		    camera ? camera : "", taken, zoned ? "" : ", 시간대 기록 없음: 카메라 시계");
	else
		text = xasprintf("%s taken%s%s (EXIF: %s%s)", name, camera ? " with " : "",
		    camera ? camera : "", taken, zoned ? "" : ", no time zone recorded: the camera's clock");
	model_timeline_add(root, us, "image-taken", text, name);
	free(text);
}

void
model_images(struct casedb *db, json_t *root, const struct model_opts *opts)
{
	struct rows *st = q_report_images(db);
	bool ko = opts && opts->lang && strcmp(opts->lang, "ko") == 0;
	const struct row *r;
	json_t *all = json_array(), *gps = json_array();
	int n = 0;

	while (rows_next(st, &r)) {
		json_t *o = json_object();
		const char *make = row_text(r, 3), *model = row_text(r, 4);
		bool has_gps = !row_null(r, 8) && !row_null(r, 9);
		/* "Canon" and "Canon EOS R5": the model often names the make */
		char *camera = make && model && strncmp(model, make, strlen(make)) != 0 ?
		    xasprintf("%s %s", make, model) : xstrdup(model ? model : make ? make : "");

		json_object_set_new(o, "no", json_integer(++n));
		json_object_set_new(o, "sha256", model_string(row_text(r, 0)));
		json_object_set_new(o, "name", model_string(row_text(r, 1) ? row_text(r, 1) :
		    row_text(r, 0)));
		json_object_set_new(o, "md5", model_string(row_text(r, 2)));
		json_object_set_new(o, "make", model_string(make));
		json_object_set_new(o, "model", model_string(model));
		json_object_set_new(o, "camera", camera[0] ? model_string(camera) : json_null());
		json_object_set_new(o, "datetime_original", model_string(row_text(r, 5)));
		json_object_set_new(o, "datetime", model_string(row_text(r, 6)));
		json_object_set_new(o, "taken", model_string(row_text(r, 7)));
		json_object_set_new(o, "gps", json_boolean(has_gps));
		json_object_set_new(o, "lat", img_fixed(r, 8, "%.6f"));
		json_object_set_new(o, "lon", img_fixed(r, 9, "%.6f"));
		json_object_set_new(o, "alt", img_fixed(r, 10, "%.1f"));
		free(camera);
		img_timeline(root, o, ko);
		if (has_gps)
			json_array_append(gps, o);
		json_array_append_new(all, o);
	}
	rows_close(st);
	json_object_set_new(root, "images_meta_any", json_boolean(json_array_size(all) > 0));
	json_object_set_new(root, "images_meta", all);
	json_object_set_new(root, "images_gps_any", json_boolean(json_array_size(gps) > 0));
	json_object_set_new(root, "images_gps", gps);
}
