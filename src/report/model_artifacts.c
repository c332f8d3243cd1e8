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
#include "store/casedb.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

void
model_artifacts(struct casedb *db, json_t *root, const struct model_opts *o)
{
	/* Messages are numbered in the report by their order (model_messages). */
	sqlite3_stmt *st = casedb_prepare(db,
	    "WITH mno AS (SELECT id, row_number() OVER (ORDER BY id) AS no FROM messages)"
	    " SELECT r.declared_name, r.declared_type, a.detected_type, a.detected_desc,"
	    " r.ext_mismatch, a.size, a.md5, a.sha1, a.sha256, r.role, r.part_path, r.parent_kind,"
	    " mno.no, d.declared_name, r.parent_sha256, e.path, r.provenance"
	    " FROM artifact_refs r JOIN artifacts a ON a.sha256 = r.sha256"
	    " LEFT JOIN mno ON r.parent_kind = 'message' AND mno.id = r.parent_id"
	    " LEFT JOIN documents d ON r.parent_kind = 'document' AND d.id = r.parent_id"
	    " LEFT JOIN evidence e ON e.id = r.evidence_id"
	    " WHERE r.role NOT IN ('raw-message', 'body') ORDER BY r.id");
	sqlite3_stmt *uq = casedb_prepare(db,
	    "SELECT count(DISTINCT sha256) FROM artifact_refs WHERE role NOT IN ('raw-message', 'body')");
	bool ko = o && o->lang && strcmp(o->lang, "ko") == 0;
	json_t *arr = json_array();
	int n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_object();
		const char *sha = col(st, 8), *kind = col(st, 11), *part = col(st, 10);
		char *href = xasprintf("../%s", artstore_relpath(sha)), *src;

		if (kind && strcmp(kind, "message") == 0 && sqlite3_column_type(st, 12) != SQLITE_NULL)
			src = xasprintf(ko ? "메시지 %lld%s%s" : "message %lld%s%s",
			    (long long)sqlite3_column_int64(st, 12), part ? (ko ? ", 파트 " : ", part ") : "",
			    part ? part : "");
		else if (kind && strcmp(kind, "document") == 0)
			src = xasprintf(ko ? "문서 %s%s%s" : "document %s%s%s",
			    col(st, 13) ? col(st, 13) : col(st, 14) ? col(st, 14) : "",
			    part ? ", " : "", part ? part : "");
		else
			src = xasprintf(ko ? "파일 %s%s%s" : "file %s%s%s", col(st, 14) ? col(st, 14) : "",
			    part ? ", " : "", part ? part : "");
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "name", model_string(col(st, 0)));
		json_object_set_new(j, "type", model_string(col(st, 1)));
		json_object_set_new(j, "detected", model_string(col(st, 2)));
		json_object_set_new(j, "detected_desc", model_string(col(st, 3)));
		json_object_set_new(j, "mismatch", json_boolean(sqlite3_column_int(st, 4)));
		json_object_set_new(j, "size", json_integer(sqlite3_column_int64(st, 5)));
		json_object_set_new(j, "md5", model_string(col(st, 6)));
		json_object_set_new(j, "sha1", model_string(col(st, 7)));
		json_object_set_new(j, "sha256", model_string(sha));
		json_object_set_new(j, "path", model_string(artstore_relpath(sha)));
		json_object_set_new(j, "href", model_string(href));
		json_object_set_new(j, "role", model_string(col(st, 9)));
		json_object_set_new(j, "part", model_string(part));
		json_object_set_new(j, "source", model_string(src));
		json_object_set_new(j, "evidence", model_string(model_base(col(st, 15))));
		json_object_set_new(j, "provenance", model_string(col(st, 16)));
		json_array_append_new(arr, j);
		free(href);
		free(src);
	}
	sqlite3_finalize(st);
	json_object_set_new(root, "files", arr);
	json_object_set_new(root, "files_any", json_boolean(n > 0));
	json_object_set_new(root, "files_count", json_integer(n));
	json_object_set_new(root, "files_unique", json_integer(sqlite3_step(uq) == SQLITE_ROW ?
	    sqlite3_column_int64(uq, 0) : 0));
	sqlite3_finalize(uq);
}
