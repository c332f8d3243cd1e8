/* model.h - the report model: one JSON document (jansson) built from the
 * case database alone. It is written as report/report.json and is the only
 * input of the templates, so Markdown, HTML, JSON and CSV always agree.
 * docs/report-json.md documents every key.
 *
 * model_build() calls one builder per section; each stage owns the builder
 * of its own tables (report/model_<stage>.c). A builder adds its keys to
 * root and may read root (e.g. the timeline reads what others added). */
#ifndef MC_MODEL_H
#define MC_MODEL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct casedb;
struct row;
struct rows;

struct model_opts {
	const char *lang;            /* "en", "ko" */
	const char *command_line;    /* of this run, for the cover */
	int64_t generated_us;        /* generated-at; SOURCE_DATE_EPOCH aware */
	bool redact_secrets;         /* credential secrets -> marker, length, keyed HMAC */
	const char *redact_key;      /* the case's HMAC key (hex), kept in the case
	                              * database and never in the report */
	const char *timezone;        /* every time also in this zone (model_localize), or NULL */
	/* Paging (render.c's appendices): the paged builders (model_table)
	 * model only rows offset .. offset + limit - 1 of their table and
	 * number them from offset + 1. limit 0: the whole table. */
	int64_t offset, limit;
};

/* Returns a new reference; json_decref() it. */
json_t *model_build(struct casedb *db, const struct model_opts *o);

/* The tables that can be modelled a page at a time, in the order
 * model_build runs their builders (so their timeline events come in the
 * same order): "evidence" (with the capture timeline; never cut), "flows",
 * "credentials", "sessions", "messages", "files", "documents" (never cut)
 * and "log". model_table adds the table's list (rows o->offset.., at most
 * o->limit) and its _any/_count keys to root, and its events to
 * root["timeline"] (unsorted); model_table_count says how many rows the
 * whole table has. */
extern const char *const model_tables[];
void model_table(struct casedb *db, json_t *root, const char *table, const struct model_opts *o);
int64_t model_table_count(struct casedb *db, const char *table);
/* Replaces root["timeline"] by rows offset.. (at most limit, 0: all) of the
 * events stored with q_report_timeline_add, numbered and labelled as
 * model_summary does, with local times for o->timezone. */
void model_timeline_page(struct casedb *db, json_t *root, int64_t offset, int64_t limit,
    const struct model_opts *o);

/* Section builders (report/model_*.c). */
void model_case(struct casedb *db, json_t *root, const struct model_opts *o);      /* case, tool, evidence, log, integrity */
void model_flows(struct casedb *db, json_t *root, const struct model_opts *o);     /* flows */
void model_sessions(struct casedb *db, json_t *root, const struct model_opts *o);  /* sessions, credentials */
void model_credential_list(struct casedb *db, json_t *root, const struct model_opts *o);
void model_session_list(struct casedb *db, json_t *root, const struct model_opts *o);
/* Restricts st to the page o asks for (see model_opts); returns the number
 * of rows before it (the first row's "no" is that plus 1). */
int64_t model_page(struct rows *st, const struct model_opts *o);
void model_messages(struct casedb *db, json_t *root, const struct model_opts *o);  /* messages, routes */
void model_artifacts(struct casedb *db, json_t *root, const struct model_opts *o); /* extracted files */
void model_documents(struct casedb *db, json_t *root, const struct model_opts *o); /* documents */
void model_images(struct casedb *db, json_t *root, const struct model_opts *o); /* EXIF of images */
void model_summary(struct casedb *db, json_t *root, const struct model_opts *o);   /* summary, timeline, glossary: last */
/* One message's route (report/model_route.c), called by model_messages for
 * each message and put under the message's "route" key: hop table, verdict
 * line and flags in o->lang, and the structured fields (origin_host,
 * origin_ip, forged_hops...). Adds each dated hop to the timeline. Returns a
 * new reference, or NULL when the message has no routes row. */
json_t *model_route(struct casedb *db, json_t *root, int64_t message_id, const struct model_opts *o);
/* One message's authenticity (report/model_auth.c): {any, dkim_any, dkim,
 * hidden_any, hidden}; st is q_auth_msg_dkim(), hid q_auth_msg_hidden().
 * The case's tally into root.authenticity. */
struct rows;
json_t *model_auth_message(struct rows *st, struct rows *hid, int64_t message_id,
    const char *lang);
void model_auth_case(struct casedb *db, json_t *root, const char *lang);
/* msg.authenticity.results (and results_any): each method result the
 * receiving servers wrote (q_auth_msg_results()), judged against msg.route's
 * trust boundary and set beside mailcase's own DKIM result; msg's route and
 * authenticity keys must be set. */
void model_auth_results(struct rows *st, json_t *msg, int64_t message_id, const char *lang);
/* Sets "summary" (the verdict as one clause, in lang) on each item of the
 * key findings' forged_routes list from its "route_message_id", which it
 * removes (report/model_route.c). */
void model_route_summaries(struct casedb *db, json_t *list, const char *lang);

/* Adds an event to root["timeline"] (sorted by model_summary): us is the
 * event time (UTC), kind a short key ("tcp", "login", "mail-from", "rcpt",
 * "date", "hop", "doc-created"...), text one line of plain text from evidence
 * (escaped later by the templates), source its provenance ("evidence02.pcap
 * frames 63, 66"). */
void model_timeline_add(json_t *root, int64_t us, const char *kind, const char *text,
    const char *source);

/* Sets obj[key + "_label"] to obj[key] in the report's language, for the
 * few fixed words the stages write (verdicts, kinds of secret, TLS state,
 * evidence status, log levels); other values are copied as they are. */
void model_label(json_t *obj, const char *key, const char *lang);

/* A word of provenance text ("frames", "frame", "offset", "flow", "stream
 * offset", "message", "mailbox message") in the report's language; other words as given. */
const char *model_word(const char *lang, const char *en);
/* A frame list (stream_frames' "78,80" or "138-140,557") as the report
 * shows it, the same way everywhere: items separated by ", "; a list
 * longer than a table cell as its first and last frame and count,
 * "138 to 557, 209 frames" or "138~557 중 209개". The full list is in the
 * JSON and CSV. A new string. */
char *model_frames(const char *list, const char *lang);
/* A count of bytes for prose, digits grouped by three ("207,438"), as a
 * new JSON string (the integer keys keep the plain number). */
json_t *model_grouped(int64_t v);

/* Sets "more" on every object of arr: true on all but the last, so a
 * template can write separators between items ({{^more}} ends the list). */
void model_list_more(json_t *arr);

/* Text for the model: null for NULL; bytes that are not UTF-8 (jansson
 * takes nothing else) shown as "\xNN" rather than dropped. Builders put
 * every text from the database through this, model_stringn() or
 * model_row_str(). */
json_t *model_string(const char *s);
/* The same for len bytes at p (which may hold NUL bytes, shown as \x00);
 * null when p is NULL. */
json_t *model_stringn(const char *p, size_t len);
/* in in capitals, cut to fit out (n bytes with its NUL): "smtp" -> "SMTP". */
void model_upper(char *out, size_t n, const char *in);
/* The file name of an evidence path (the evidence table has the path). */
const char *model_base(const char *path);

/* Helpers for builders: a column of a row read from the case database
 * (store/rows.h) as a JSON value, null for NULL; text as model_stringn(). */
json_t *model_row_str(const struct row *r, int col);
json_t *model_row_int(const struct row *r, int col);
/* "2009-10-10T13:35:31.123456Z" for microseconds since the epoch. */
json_t *model_time(int64_t us);
/* us[0..n) as local times of zone ("2009-10-10T09:35:30-04:00") into
 * out[0..n); every out[i] "" when the zone is not in the tz database. */
void model_local_times(const char *zone, const int64_t *us, size_t n, char (*out)[64]);

/* With o->timezone: every time of the model (the keys model.c lists:
 * time, first, last, date, signed_at, not_before...) gains KEY_local, the
 * same instant in that zone, and root gets timezone {name, known} and
 * timezone_any. Without it nothing changes. model_build and model_table
 * call it; keys that already have KEY_local are left as they are. */
void model_localize(json_t *root, const struct model_opts *o);

/* One message's own timeline (report/model_msgtime.c, auth/msgtime.c): its
 * Date, hidden times, Received hops, INTERNALDATE, mbox From_ line and
 * capture time side by side, in UTC and as each was written, with the
 * findings of msgtime_judge(). msg is the message's model with its
 * authenticity, route and imap keys already set; sets msg["times"]. */
struct model_msgtime_in {
	const char *source;          /* messages.source: "smtp", "pop3", "imap", "mbox", "rfc822"... */
	const char *date_raw;
	bool has_date;
	int64_t date_us;
	int64_t ts_us;               /* capture time; 0 when none */
	const char *from_line;
	bool has_from_us;
	int64_t from_us;
};
void model_msgtime(json_t *msg, const struct model_msgtime_in *in, const struct model_opts *o);

#endif
