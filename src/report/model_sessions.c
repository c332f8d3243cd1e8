/* model_sessions.c - the report model's mail sessions and credentials, built
 * from the tables mail/ writes (sessions, transcript, credentials), with a
 * timeline event for each session's start and end, each login, MAIL FROM,
 * RCPT TO and end of message data.
 *
 * Keys: credentials[] = {no, protocol, mechanism, authzid, user, secret,
 * secret_kind, verdict, reply, frames, time, client, server, evidence,
 * crack_line}; credentials_any, credentials_count.
 * sessions[] = {no, protocol, client, server, evidence, flow, greeting,
 * server_name, server_software, helo, capabilities[] {name}, capabilities_any,
 * tls, tls_frame, encrypted, first, last, frames, messages, notes,
 * transcript[] {seq, dir ("C"/"S"), from ("client"/"server"), time, frames,
 * line}}; sessions_any, sessions_count. Values are plain text from evidence;
 * the templates escape them. With redact_secrets a secret and the client
 * lines that carried it are replaced by a marker (with the secret's SHA-256
 * so two redacted secrets can still be compared). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/stream.h"
#include "report/model.h"
#include "store/casedb.h"
#include "util/hash.h"
#include "util/xalloc.h"

static const char *
col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static json_t *
endpoint(const char *ip, int port)
{
	char s[80];

	snprintf(s, sizeof(s), strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
	return model_string(s);
}

/* Is frame f one of the frames in a "63, 66" or "78-80" list? */
static bool
frame_listed(const char *list, const char *frames)
{
	char *a = xstrdup(list), *p, *save = NULL;
	bool hit = false;

	for (p = strtok_r(a, ", ", &save); p && !hit; p = strtok_r(NULL, ", ", &save))
		hit = strcmp(p, frames) == 0;
	free(a);
	return hit;
}

static void
credentials(struct casedb *db, json_t *root, const struct model_opts *o)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT c.protocol, c.mechanism, c.authzid, c.username, c.secret, c.secret_kind,"
	    " c.crack_line, c.verdict, c.reply, c.frames, c.ts_us, c.client, c.server, e.path"
	    " FROM credentials c JOIN sessions s ON s.id = c.session_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id ORDER BY c.ts_us, c.id");
	const char *lang = o ? o->lang : NULL;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	json_t *arr = json_array();
	int n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_object();
		char proto[16], *text, *src;
		const char *secret = (const char *)sqlite3_column_text(st, 4);
		const char *ev = model_base(col(st, 13));

		model_upper(proto, sizeof(proto), col(st, 0));
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "protocol", model_string(proto));
		json_object_set_new(j, "mechanism", model_col_str(st, 1));
		json_object_set_new(j, "authzid", model_col_str(st, 2));
		json_object_set_new(j, "user", model_col_str(st, 3));
		if (secret && o && o->redact_secrets) {
			char h[65], *r;
			hash_sha256_hex(secret, strlen(secret), h);
			r = xasprintf("[redacted; SHA-256 %s]", h);
			json_object_set_new(j, "secret", model_string(r));
			json_object_set_new(j, "crack_line", secret && sqlite3_column_text(st, 6) ?
			    model_string("[redacted]") : json_null());
			free(r);
		} else {
			json_object_set_new(j, "secret", model_col_str(st, 4));
			json_object_set_new(j, "crack_line", model_col_str(st, 6));
		}
		json_object_set_new(j, "secret_kind", model_col_str(st, 5));
		json_object_set_new(j, "verdict", model_col_str(st, 7));
		model_label(j, "secret_kind", o ? o->lang : NULL);
		model_label(j, "verdict", o ? o->lang : NULL);
		json_object_set_new(j, "reply", model_col_str(st, 8));
		json_object_set_new(j, "frames", model_col_str(st, 9));
		json_object_set_new(j, "time", model_time(sqlite3_column_int64(st, 10)));
		json_object_set_new(j, "client", model_col_str(st, 11));
		json_object_set_new(j, "server", model_col_str(st, 12));
		json_object_set_new(j, "evidence", model_string(ev));
		json_array_append_new(arr, j);

		text = ko ? xasprintf("%s %s 로그인, 사용자 %s, %s -> %s: %s", proto, col(st, 1),
		    sqlite3_column_text(st, 3) ? col(st, 3) : "(사용자 이름 없음)", col(st, 11),
		    col(st, 12), json_string_value(json_object_get(j, "verdict_label"))) :
		    xasprintf("%s %s login as %s from %s to %s: %s", proto, col(st, 1),
		    sqlite3_column_text(st, 3) ? col(st, 3) : "(no user name)", col(st, 11),
		    col(st, 12), col(st, 7));
		src = xasprintf("%s %s %s", ev, model_word(lang, "frames"), col(st, 9));
		model_timeline_add(root, sqlite3_column_int64(st, 10), "login", text, src);
		free(text);
		free(src);
	}
	sqlite3_finalize(st);
	json_object_set_new(root, "credentials", arr);
	json_object_set_new(root, "credentials_any", json_boolean(n > 0));
	json_object_set_new(root, "credentials_count", json_integer(n));
}

/* QUIT (SMTP, POP3; RFC 5321 section 4.1.1.10, RFC 1939 section 6) or
 * "tag LOGOUT" (IMAP; RFC 9051 section 6.1.3): the client ends the session. */
static bool
transcript_is_goodbye(const char *line)
{
	const char *sp = strchr(line, ' ');

	if (strcasecmp(line, "QUIT") == 0)
		return true;
	return sp != NULL && sp != line && strcasecmp(sp + 1, "LOGOUT") == 0;
}

static json_t *
transcript(struct casedb *db, json_t *root, int64_t sid, const char *proto, const char *ev,
    const struct model_opts *o)
{
	sqlite3_stmt *cr = casedb_prepare(db,
	    "SELECT frames FROM credentials WHERE session_id = ?1 AND frames IS NOT NULL");
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT seq, dir, ts_us, frames, line, stream_off FROM transcript WHERE session_id = ?1"
	    " ORDER BY seq");
	/* A line standing for message data: the message it carried, by its
	 * number in the report (messages are numbered in id order). */
	sqlite3_stmt *mq = casedb_prepare(db,
	    "SELECT count(*) FROM messages WHERE id <= (SELECT id FROM messages WHERE"
	    " session_id = ?1 AND stream_off = ?2 AND parent_id IS NULL ORDER BY id LIMIT 1)");
	json_t *arr = json_array();
	char **credf = NULL;
	size_t ncred = 0, i;
	bool smtp = strcmp(proto, "SMTP") == 0;

	sqlite3_bind_int64(cr, 1, sid);
	while (sqlite3_step(cr) == SQLITE_ROW) {
		credf = xreallocarray(credf, ncred + 1, sizeof(*credf));
		credf[ncred++] = xstrdup(col(cr, 0));
	}
	sqlite3_finalize(cr);
	sqlite3_bind_int64(st, 1, sid);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_object();
		const char *dir = col(st, 1), *line = col(st, 4), *frames = col(st, 3);
		int64_t ts = sqlite3_column_int64(st, 2);
		bool client = strcmp(dir, "C") == 0, hide = false;
		char *brief = stream_frames_brief(frames), *src;

		if (o && o->redact_secrets && client)
			for (i = 0; i < ncred && !hide; i++)
				hide = frame_listed(credf[i], frames);
		json_object_set_new(j, "seq", model_col_int(st, 0));
		json_object_set_new(j, "dir", model_string(dir));
		json_object_set_new(j, "from", model_string(client ? "client" : "server"));
		json_object_set_new(j, "time", model_time(ts));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "frames_brief", model_string(brief));
		json_object_set_new(j, "line", model_string(hide ? "[credential line redacted]" : line));
		json_object_set_new(j, "message_no", json_null());
		if (strncmp(line, "[message ", 9) == 0) {
			sqlite3_bind_int64(mq, 1, sid);
			sqlite3_bind_int64(mq, 2, sqlite3_column_int64(st, 5));
			if (sqlite3_step(mq) == SQLITE_ROW && sqlite3_column_int64(mq, 0) > 0)
				json_object_set_new(j, "message_no", model_col_int(mq, 0));
			sqlite3_reset(mq);
		}
		json_array_append_new(arr, j);

		src = xasprintf("%s %s %s", ev, model_word(o ? o->lang : NULL,
		    strpbrk(frames, ",-") ? "frames" : "frame"), brief);
		if (smtp && client && strncasecmp(line, "MAIL FROM:", 10) == 0)
			model_timeline_add(root, ts, "mail-from", line, src);
		else if (smtp && client && strncasecmp(line, "RCPT TO:", 8) == 0)
			model_timeline_add(root, ts, "rcpt", line, src);
		else if (smtp && client && strncmp(line, "[message ", 9) == 0)
			model_timeline_add(root, ts, "data-end", line, src);
		else if (client && transcript_is_goodbye(line))
			model_timeline_add(root, ts, "quit", line, src);
		free(src);
		free(brief);
	}
	sqlite3_finalize(mq);
	sqlite3_finalize(st);
	for (i = 0; i < ncred; i++)
		free(credf[i]);
	free(credf);
	return arr;
}

static void
sessions(struct casedb *db, json_t *root, const struct model_opts *o)
{
	sqlite3_stmt *st = casedb_prepare(db,
	    "SELECT s.id, s.protocol, f.cli_ip, f.cli_port, f.srv_ip, f.srv_port, s.greeting,"
	    " s.server_name, s.server_software, s.client_name, s.capabilities, s.tls, s.tls_frame,"
	    " s.first_us, s.last_us, f.first_frame, f.last_frame, s.messages, s.notes, e.path,"
	    " f.flow_no FROM sessions s JOIN flows f ON f.id = s.flow_id"
	    " LEFT JOIN evidence e ON e.id = s.evidence_id"
	    " ORDER BY s.evidence_id, s.first_us, s.id");
	const char *lang = o ? o->lang : NULL;
	bool ko = lang != NULL && strcmp(lang, "ko") == 0;
	json_t *arr = json_array();
	int n = 0;

	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *j = json_object(), *caps = json_array(), *cli, *srv;
		char proto[16], frames[48], *text, *src;
		const char *capstr = (const char *)sqlite3_column_text(st, 10);
		const char *ev = model_base(col(st, 19));
		int64_t ff = sqlite3_column_int64(st, 15), lf = sqlite3_column_int64(st, 16);

		model_upper(proto, sizeof(proto), col(st, 1));
		cli = endpoint(col(st, 2), sqlite3_column_int(st, 3));
		srv = endpoint(col(st, 4), sqlite3_column_int(st, 5));
		if (ff == lf)
			snprintf(frames, sizeof(frames), "%" PRId64, ff);
		else
			snprintf(frames, sizeof(frames), "%" PRId64 "-%" PRId64, ff, lf);
		if (capstr) {
			char *c = xstrdup(capstr), *p, *save = NULL;
			for (p = strtok_r(c, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
				json_t *x = json_object();
				size_t len = strlen(p);

				while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
					len--;
				json_object_set_new(x, "name", json_stringn(p, len));
				json_array_append_new(caps, x);
			}
			free(c);
			model_list_more(caps);
		}
		json_object_set_new(j, "no", json_integer(++n));
		json_object_set_new(j, "protocol", model_string(proto));
		json_object_set_new(j, "client", cli);
		json_object_set_new(j, "server", srv);
		json_object_set_new(j, "evidence", model_string(ev));
		json_object_set_new(j, "flow", model_col_int(st, 20));
		json_object_set_new(j, "greeting", model_col_str(st, 6));
		json_object_set_new(j, "server_name", model_col_str(st, 7));
		json_object_set_new(j, "server_software", model_col_str(st, 8));
		json_object_set_new(j, "helo", model_col_str(st, 9));
		json_object_set_new(j, "capabilities_any", json_boolean(json_array_size(caps) > 0));
		json_object_set_new(j, "capabilities", caps);
		json_object_set_new(j, "tls", model_col_str(st, 11));
		model_label(j, "tls", o ? o->lang : NULL);
		json_object_set_new(j, "encrypted", json_boolean(strcmp(col(st, 11), "none") != 0));
		json_object_set_new(j, "tls_frame", model_col_int(st, 12));
		json_object_set_new(j, "first", model_time(sqlite3_column_int64(st, 13)));
		json_object_set_new(j, "last", model_time(sqlite3_column_int64(st, 14)));
		json_object_set_new(j, "frames", model_string(frames));
		json_object_set_new(j, "messages", model_col_int(st, 17));
		json_object_set_new(j, "notes", model_col_str(st, 18));
		json_object_set_new(j, "transcript",
		    transcript(db, root, sqlite3_column_int64(st, 0), proto, ev, o));
		json_array_append_new(arr, j);

		src = xasprintf("%s %s %s", ev, model_word(lang, "frames"), frames);
		text = ko ? xasprintf("%s 세션 %s -> %s 시작%s%s", proto, json_string_value(cli),
		    json_string_value(srv), sqlite3_column_text(st, 7) ? ", 서버 " : "", col(st, 7)) :
		    xasprintf("%s session %s -> %s begins%s%s", proto, json_string_value(cli),
		    json_string_value(srv), sqlite3_column_text(st, 7) ? ", server " : "", col(st, 7));
		model_timeline_add(root, sqlite3_column_int64(st, 13), "session-start", text, src);
		free(text);
		text = ko ? xasprintf("%s 세션 %s -> %s 종료 (메시지 %" PRId64 "건)", proto,
		    json_string_value(cli), json_string_value(srv), (int64_t)sqlite3_column_int64(st, 17)) :
		    xasprintf("%s session %s -> %s ends (%" PRId64 " message%s)", proto,
		    json_string_value(cli), json_string_value(srv), (int64_t)sqlite3_column_int64(st, 17),
		    sqlite3_column_int64(st, 17) == 1 ? "" : "s");
		model_timeline_add(root, sqlite3_column_int64(st, 14), "session-end", text, src);
		free(text);
		free(src);
	}
	sqlite3_finalize(st);
	json_object_set_new(root, "sessions", arr);
	json_object_set_new(root, "sessions_any", json_boolean(n > 0));
	json_object_set_new(root, "sessions_count", json_integer(n));
}

void
model_sessions(struct casedb *db, json_t *root, const struct model_opts *o)
{
	credentials(db, root, o);
	sessions(db, root, o);
}
