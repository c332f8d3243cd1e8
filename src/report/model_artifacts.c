/* model_artifacts.c - the report model's "files" section: every extracted
 * file (attachments, inline parts, document parts and embedded files) with
 * one row per place it was found, built from the artifact store's tables
 * (artifacts, artifact_refs). Raw messages and text bodies are shown with
 * their messages, not here.
 *
 * Keys: files_any, files_count, files_unique, files[] = {no, name, type,
 * detected, detected_desc, mismatch, size, md5, sha1, sha256, path, href,
 * role, part, source, evidence, provenance}. name is the declared name as
 * inert text (artstore_name_inert made control bytes visible); the
 * templates escape it like any other evidence text. */
#include "report/model.h"
#include "store/artifacts.h"
#include "store/q_report.h"
#include "util/text.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
model_artifacts(struct casedb *db, json_t *root, const struct model_opts *o)
{
	/* Messages are numbered in the report by their order (model_messages). */
	struct rows *st = q_report_files(db);
	bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
	const struct row *r;
	json_t *arr = json_array();
	int64_t n = model_page(st, o);

	while (rows_next(st, &r)) {
		json_t *j = json_object();
		const char *sha = row_text(r, 8), *kind = row_text(r, 11), *part = row_text(r, 10);
		char *href = xasprintf("../%s", artstore_relpath(sha)), *src;

		if (kind && strcmp(kind, "message") == 0 && !row_null(r, 12))
			src = xasprintf(ko ? "메시지 %lld%s%s" : "message %lld%s%s",
			    (long long)row_int(r, 12), part ? (ko ? ", 파트 " : ", part ") : "",
			    part ? part : "");
		else if (kind && strcmp(kind, "tls") == 0)
			src = xstrdup(ko ? "TLS 서버 인증서" : "TLS server certificate");
		else if (kind && strcmp(kind, "document") == 0)
			src = xasprintf(ko ? "문서 %s%s%s" : "document %s%s%s",
			    row_text(r, 13) ? row_text(r, 13) : row_text(r, 14) ? row_text(r, 14) : "",
			    part ? ", " : "", part ? part : "");
		else
			src = xasprintf(ko ? "파일 %s%s%s" : "file %s%s%s", row_text(r, 14) ? row_text(r, 14) : "",
			    part ? ", " : "", part ? part : "");
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "name", model_string(row_text(r, 0)));
		{
			/* The file under its declared name, made safe and numbered
			 * (render.c links report/extracted/ to the store). */
			char *safe = text_file_name(row_text(r, 0), 120);
			char *named = xasprintf("extracted/%04lld-%s", (long long)n, safe);

			json_object_set_new(j, "named", model_string(named));
			free(named);
			free(safe);
		}
		json_object_set_new(j, "type", model_string(row_text(r, 1)));
		json_object_set_new(j, "detected", model_string(row_text(r, 2)));
		json_object_set_new(j, "detected_desc", model_string(row_text(r, 3)));
		json_object_set_new(j, "mismatch", json_boolean((int)row_int(r, 4)));
		json_object_set_new(j, "size", json_integer(row_int(r, 5)));
		json_object_set_new(j, "md5", model_string(row_text(r, 6)));
		json_object_set_new(j, "sha1", model_string(row_text(r, 7)));
		json_object_set_new(j, "sha256", model_string(sha));
		json_object_set_new(j, "path", model_string(artstore_relpath(sha)));
		json_object_set_new(j, "href", model_string(href));
		json_object_set_new(j, "role", model_string(row_text(r, 9)));
		json_object_set_new(j, "part", model_string(part));
		json_object_set_new(j, "source", model_string(src));
		json_object_set_new(j, "evidence", model_string(model_base(row_text(r, 15))));
		json_object_set_new(j, "provenance", model_string(row_text(r, 16)));
		json_array_append_new(arr, j);
		free(href);
		free(src);
	}
	rows_close(st);
	json_object_set_new(root, "files", arr);
	json_object_set_new(root, "files_any", json_boolean(json_array_size(arr) > 0));
	json_object_set_new(root, "files_count", json_integer((json_int_t)json_array_size(arr)));
	json_object_set_new(root, "files_unique", json_integer(q_report_count(db,
	    Q_COUNT_FILES_UNIQUE)));
}
