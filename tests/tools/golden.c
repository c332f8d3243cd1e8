/* golden - prints one stage's records for one input as JSON, for the golden
 * tests (tests/cli/golden.sh, tests/golden/TESTLIST). Each stage runs as the
 * pure producer it is, with no case database:
 *
 *   golden message FILE.eml   message_parse(): the record, nested messages
 *                             analysed in place as the driver would
 *   golden route FILE.eml     hops_route() on the message's Received fields
 *   golden capture FILE.conv  the capture stage and mail_flow_analyze() on a
 *                             capture built from a script (see conv_to_pcap)
 *   golden pcap FILE.conv OUT  only writes that capture to OUT (CLI tests)
 *
 * Every processing-log entry the stage wrote comes last, under "log". Bytes
 * are shown by length and SHA-256; text is shown whole. Output is
 * deterministic: keys in a fixed order, no times from the clock. */
#include <jansson.h>
#include <stdbool.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/capture.h"
#include "mail/hops.h"
#include "mail/message.h"
#include "mail/route.h"
#include "mail/session.h"
#include "mail/sink.h"
#include "pcapgen.h"
#include "util/hash.h"
#include "util/limits.h"
#include "util/plog.h"
#include "util/xalloc.h"

/* Every text a stage hands out has been through util/text.h, so it is valid
 * UTF-8 without NUL: jansson refusing one is a defect of the stage. */
static json_t *
jstr(const char *s)
{
	json_t *j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) == NULL) {
		fprintf(stderr, "golden: a stage handed out text that is not clean UTF-8: %s\n", s);
		exit(2);
	}
	return j;
}

static json_t *
jbytes(const void *p, size_t len)
{
	char hex[65];
	json_t *o = json_object();

	hash_sha256_hex(p, len, hex);
	json_object_set_new(o, "len", json_integer((json_int_t)len));
	json_object_set_new(o, "sha256", json_string(hex));
	return o;
}

static json_t *
jlog(const struct plog *log)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < plog_count(log); i++) {
		const struct plog_entry *e = plog_get(log, i);
		json_t *o = json_object();

		json_object_set_new(o, "level", json_string(plog_level_name(e->level)));
		json_object_set_new(o, "code", jstr(e->code));
		json_object_set_new(o, "where", jstr(e->where));
		json_object_set_new(o, "message", jstr(e->message));
		json_array_append_new(a, o);
	}
	return a;
}

static void
emit(json_t *root, struct plog *log)
{
	char *s;

	json_object_set_new(root, "log", jlog(log));
	s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (s == NULL) {
		fprintf(stderr, "golden: the records cannot be written as JSON\n");
		exit(2);
	}
	puts(s);
	free(s);
	json_decref(root);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, n = 0, k;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	do {
		if (n + 65536 > cap)
			p = xrealloc(p, cap = cap * 2 + 65536);
		k = fread(p + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	fclose(f);
	*len = n;
	return p;
}

/* ---- capture scripts: the .conv files of tests/golden/capture --------------
 *
 * A script is one TCP conversation, a line a step:
 *   encap NAME                     (before conv) every frame carried in that
 *                                  tunnel (pcapgen_encap_named: gre, vxlan, ...)
 *   conv CLI_IP:PORT SRV_IP:PORT   handshake (first line)
 *   C text / S text                client / server sends text + CR LF
 *   C- text / S- text              the same without CR LF
 *   gap C N / gap S N              N bytes of that direction never captured
 *   close                          FIN from both sides
 *   rst C / rst S                  that side resets
 * Text takes the escapes \r \n \t \\ and \xNN. Frames are 1 ms apart from
 * 2003-07-01T01:52:30Z. */

static size_t
conv_unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'r')
			out[n++] = '\r', s += 2;
		else if (s[0] == '\\' && s[1] == 'n')
			out[n++] = '\n', s += 2;
		else if (s[0] == '\\' && s[1] == 't')
			out[n++] = '\t', s += 2;
		else if (s[0] == '\\' && s[1] == '\\')
			out[n++] = '\\', s += 2;
		else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };
			out[n++] = (char)strtoul(hex, NULL, 16);
			s += 4;
		} else
			out[n++] = *s++;
	}
	return n;
}

static int
conv_dir(const char *s)
{
	return *s == 'S' ? 1 : 0;
}

static void
conv_step(struct pcapgen *g, struct tcpconv *c, char *line)
{
	size_t n = strlen(line);
	char *data = xmalloc(n + 3);

	if (strncmp(line, "gap ", 4) == 0) {
		c->seq[conv_dir(line + 4)] += (uint32_t)strtoul(line + 6, NULL, 10);
	} else if (strcmp(line, "close") == 0) {
		tcpconv_close(g, c);
	} else if (strncmp(line, "rst ", 4) == 0) {
		int d = conv_dir(line + 4);
		tcpconv_segment(g, c, d, 0x04, c->seq[d], NULL, 0);
	} else if ((line[0] == 'C' || line[0] == 'S') && (line[1] == ' ' || line[1] == '\0' ||
	    (line[1] == '-' && line[2] == ' '))) {
		bool raw = line[1] == '-';
		const char *text = line[1] == '\0' ? "" : line + (raw ? 3 : 2);
		size_t len = conv_unescape(text, data);

		if (!raw) {
			data[len++] = '\r';
			data[len++] = '\n';
		}
		tcpconv_send(g, c, conv_dir(line), data, len);
	} else {
		fprintf(stderr, "golden: capture script: cannot read \"%s\"\n", line);
		exit(2);
	}
	free(data);
}

static bool
conv_endpoint(const char *s, char *ip, size_t n, uint16_t *port)
{
	const char *colon = strrchr(s, ':');

	if (colon == NULL || (size_t)(colon - s) >= n)
		return false;
	memcpy(ip, s, (size_t)(colon - s));
	ip[colon - s] = '\0';
	*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	return true;
}

/* Writes the pcap of script path to out. */
static void
conv_to_pcap(const char *path, const char *out)
{
	FILE *f = fopen(path, "r");
	struct pcapgen *g;
	struct tcpconv c;
	char *line = NULL;
	size_t cap = 0;
	bool started = false;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	g = pcapgen_open(out, DLT_EN10MB, false);
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (!started && strncmp(line, "encap ", 6) == 0) {
			int k = pcapgen_encap_named(line + 6);

			if (k < 0) {
				fprintf(stderr, "golden: %s: no tunnel named %s\n", path, line + 6);
				exit(2);
			}
			pcapgen_encap(g, k);
			continue;
		}
		if (!started) {
			char a[64], b[64], cli[64], srv[64];
			uint16_t cp, sp;

			if (sscanf(line, "conv %63s %63s", a, b) != 2 || !conv_endpoint(a, cli, sizeof(cli), &cp) ||
			    !conv_endpoint(b, srv, sizeof(srv), &sp)) {
				fprintf(stderr, "golden: %s: the first line must be conv CLI:PORT SRV:PORT\n", path);
				exit(2);
			}
			tcpconv_init(&c, cli, cp, srv, sp);
			c.ts_us = 1057024350000000ull;
			c.step_us = 1000;
			tcpconv_handshake(g, &c);
			started = true;
			continue;
		}
		conv_step(g, &c, line);
	}
	free(line);
	fclose(f);
	pcapgen_close(g);
}

/* "2003-07-01T01:52:37.25Z": the same form as the report's. */
static json_t *
jtime(int64_t us)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	char base[40], out[64];
	struct tm tm;
	time_t t;

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL || strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return json_null();
	if (frac)
		snprintf(out, sizeof(out), "%s.%06lldZ", base, (long long)frac);
	else
		snprintf(out, sizeof(out), "%sZ", base);
	return json_string(out);
}

/* ---- message ------------------------------------------------------------ */

static json_t *golden_message_record(const void *raw, size_t len, const struct msg_env *env);

static json_t *
golden_parts(const struct msg_record *r, const struct msg_env *env)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->nparts; i++) {
		const struct msg_part *p = &r->parts[i];
		json_t *o = json_object();

		json_object_set_new(o, "path", jstr(p->path));
		json_object_set_new(o, "name", jstr(p->name));
		json_object_set_new(o, "type", jstr(p->type));
		json_object_set_new(o, "role", jstr(p->role));
		json_object_set_new(o, "bytes", jbytes(p->p, p->len));
		json_object_set_new(o, "file", json_boolean(p->file));
		if (p->nested) {
			struct msg_env sub = *env;

			sub.depth = env->depth + 1;
			sub.prefix = p->path;
			json_object_set_new(o, "message", golden_message_record(p->p, p->len, &sub));
		}
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
golden_addrs(const struct msg_record *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < r->naddrs; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "role", jstr(r->addrs[i].role));
		json_object_set_new(o, "name", jstr(r->addrs[i].name));
		json_object_set_new(o, "addr", jstr(r->addrs[i].addr));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
jstrings(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i]));
	return a;
}

/* The headers are stored as JSON text; shown as the value it is. */
static json_t *
jjson(const char *text)
{
	json_error_t err;
	json_t *j;

	if (text == NULL)
		return json_null();
	if ((j = json_loads(text, JSON_DECODE_ANY, &err)) == NULL) {
		fprintf(stderr, "golden: the record's JSON text does not parse: %s\n", err.text);
		exit(2);
	}
	return j;
}

static json_t *
golden_message_record(const void *raw, size_t len, const struct msg_env *env)
{
	struct msg_record *r = message_parse(raw, len, NULL, env);
	json_t *o = json_object();

	json_object_set_new(o, "parsed", json_boolean(r->parsed));
	json_object_set_new(o, "message_id", jstr(r->message_id));
	json_object_set_new(o, "subject", jstr(r->subject));
	json_object_set_new(o, "from_addr", jstr(r->from_addr));
	json_object_set_new(o, "from_name", jstr(r->from_name));
	json_object_set_new(o, "date_raw", jstr(r->date_raw));
	json_object_set_new(o, "date", r->date_ok ? jtime(r->date_us) : json_null());
	json_object_set_new(o, "in_reply_to", jstr(r->in_reply_to));
	json_object_set_new(o, "references", jstr(r->references));
	json_object_set_new(o, "x_mailer", jstr(r->x_mailer));
	json_object_set_new(o, "x_originating_ip", jstr(r->x_originating_ip));
	json_object_set_new(o, "auth_results", jstr(r->auth_results));
	json_object_set_new(o, "has_dkim", json_boolean(r->has_dkim));
	json_object_set_new(o, "return_path", jstr(r->return_path));
	json_object_set_new(o, "return_path_addr", jstr(r->return_path_addr));
	json_object_set_new(o, "flags", jstr(r->flags));
	json_object_set_new(o, "addresses", golden_addrs(r));
	json_object_set_new(o, "received", jstrings(r->received, r->nreceived));
	json_object_set_new(o, "body_text", jstr(r->body_text));
	json_object_set_new(o, "html_text", jstr(r->html_text));
	json_object_set_new(o, "parts", golden_parts(r, env));
	json_object_set_new(o, "headers", jjson(r->headers));
	message_record_free(r);
	return o;
}

static void
golden_message(const char *path, const struct limits *lim)
{
	struct plog *log = plog_new();
	struct msg_env env = { .lim = lim, .log = log, .source = path, .where = "offset 0",
		.depth = 0, .prefix = "" };
	size_t len;
	char *raw = slurp(path, &len);

	emit(golden_message_record(raw, len, &env), log);
	free(raw);
	plog_free(log);
}

/* ---- route -------------------------------------------------------------- */

static json_t *
golden_hop(const struct route_hop *h)
{
	json_t *o = json_object();
	char *flags = route_hop_flags_list(h->flags);

	json_object_set_new(o, "header_no", json_integer((json_int_t)h->header_no));
	json_object_set_new(o, "observed", json_boolean(h->observed));
	json_object_set_new(o, "parsed", json_boolean(h->r.parsed));
	json_object_set_new(o, "from_helo", jstr(h->r.from_helo));
	json_object_set_new(o, "from_rdns", jstr(h->r.from_rdns));
	json_object_set_new(o, "from_ip", jstr(h->r.from_ip));
	json_object_set_new(o, "by_host", jstr(h->r.by_host));
	json_object_set_new(o, "by_ip", jstr(h->r.by_ip));
	json_object_set_new(o, "software", jstr(h->r.software));
	json_object_set_new(o, "protocol", jstr(h->r.protocol));
	json_object_set_new(o, "tls", jstr(h->r.tls));
	json_object_set_new(o, "id", jstr(h->r.id));
	json_object_set_new(o, "for", jstr(h->r.for_addr));
	json_object_set_new(o, "envelope_from", jstr(h->r.envelope_from));
	json_object_set_new(o, "date_raw", jstr(h->r.date_raw));
	json_object_set_new(o, "date", h->r.has_date ? jtime(h->r.date_us) : json_null());
	json_object_set_new(o, "zone", jstr(maildate_zone_name(h->r.date_zone)));
	json_object_set_new(o, "delay_s", h->has_delay ? json_integer(h->delay_s) : json_null());
	json_object_set_new(o, "trust", jstr(route_trust_name(h->trust)));
	json_object_set_new(o, "flags", jstr(flags));
	free(flags);
	return o;
}

static json_t *
golden_route_json(const struct route *rt)
{
	json_t *o = json_object(), *hops = json_array();
	char *flags = route_flags_list(rt->flags);
	size_t i;

	json_object_set_new(o, "verdict", jstr(route_verdict_name(rt->verdict)));
	json_object_set_new(o, "observed", jstr(route_obs_name(rt->obs)));
	json_object_set_new(o, "origin", rt->nhops ? json_integer((json_int_t)rt->origin) : json_null());
	json_object_set_new(o, "forged", json_integer((json_int_t)rt->forged));
	json_object_set_new(o, "origin_host", jstr(rt->origin_host));
	json_object_set_new(o, "origin_ip", jstr(rt->origin_ip));
	json_object_set_new(o, "flags", jstr(flags));
	json_object_set_new(o, "date", rt->has_date ? jtime(rt->date_us) : json_null());
	json_object_set_new(o, "date_zone", jstr(maildate_zone_name(rt->date_zone)));
	json_object_set_new(o, "date_delta_s", rt->has_date_delta ? json_integer(rt->date_delta_s) : json_null());
	json_object_set_new(o, "obs_delta_s", rt->has_obs_delta ? json_integer(rt->obs_delta_s) : json_null());
	json_object_set_new(o, "x_originating_ip", jstr(rt->x_originating_ip));
	json_object_set_new(o, "auth", jstr(rt->auth));
	json_object_set_new(o, "mid_domain", jstr(rt->mid_domain));
	json_object_set_new(o, "from_domain", jstr(rt->from_domain));
	json_object_set_new(o, "rp_domain", jstr(rt->rp_domain));
	json_object_set_new(o, "nreceived", json_integer((json_int_t)rt->nreceived));
	json_object_set_new(o, "skipped", json_integer((json_int_t)rt->skipped));
	for (i = 0; i < rt->nhops; i++)
		json_array_append_new(hops, golden_hop(&rt->hops[i]));
	json_object_set_new(o, "hops", hops);
	free(flags);
	return o;
}

/* The route input the driver gives hops_route() for a message read from a
 * file: its own fields, no observed hop, no trusted domains. */
static void
golden_route(const char *path, const struct limits *lim)
{
	struct plog *log = plog_new();
	struct msg_env env = { .lim = lim, .log = log, .source = path, .where = "offset 0",
		.depth = 0, .prefix = "" };
	size_t len;
	char *raw = slurp(path, &len);
	struct msg_record *r = message_parse(raw, len, NULL, &env);
	struct hops_input in = {
		.received = (const char *const *)r->received, .nreceived = r->nreceived,
		.date = r->date_raw, .message_id = r->message_id, .return_path = r->return_path_addr,
		.from = r->from_addr, .x_originating_ip = r->x_originating_ip,
		.auth_results = r->auth_results,
		.now_us = 1700000000LL * 1000000,     /* SOURCE_DATE_EPOCH of the tests */
	};
	struct route *rt = hops_route(&in, log, path, "offset 0");

	emit(golden_route_json(rt), log);
	hops_route_free(rt);
	message_record_free(r);
	free(raw);
	plog_free(log);
}

/* ---- capture ------------------------------------------------------------ */

struct golden_cap {
	json_t *flows;
	json_t *cur;        /* the flow being analysed */
	struct plog *log;
	const struct limits *lim;
	const char *source;
};

static json_t *
golden_facts(const struct mail_session_facts *s)
{
	json_t *o = json_object();

	json_object_set_new(o, "protocol", jstr(s->protocol));
	json_object_set_new(o, "greeting", jstr(s->greeting));
	json_object_set_new(o, "server_name", jstr(s->server_name));
	json_object_set_new(o, "server_software", jstr(s->server_software));
	json_object_set_new(o, "client_name", jstr(s->client_name));
	json_object_set_new(o, "capabilities", jstr(s->capabilities));
	json_object_set_new(o, "tls", jstr(s->tls));
	json_object_set_new(o, "tls_frame", json_integer(s->tls_frame));
	json_object_set_new(o, "first", jtime(s->first_us));
	json_object_set_new(o, "last", jtime(s->last_us));
	json_object_set_new(o, "messages", json_integer(s->messages));
	json_object_set_new(o, "notes", jstr(s->notes));
	return o;
}

static void
golden_session_end(void *arg, const struct mail_session_facts *s)
{
	struct golden_cap *g = arg;

	json_object_set_new(g->cur, "session", golden_facts(s));
}

static void
golden_transcript(void *arg, const struct mail_transcript_line *l)
{
	struct golden_cap *g = arg;
	char dir[2] = { l->dir, 0 };
	json_t *o = json_object();

	json_object_set_new(o, "seq", json_integer(l->seq));
	json_object_set_new(o, "dir", json_string(dir));
	json_object_set_new(o, "frames", jstr(l->frames));
	json_object_set_new(o, "stream_off", json_integer((json_int_t)l->stream_off));
	json_object_set_new(o, "text", jstr(l->text));
	json_array_append_new(json_object_get(g->cur, "transcript"), o);
}

static void
golden_credential(void *arg, const struct mail_credential *c)
{
	struct golden_cap *g = arg;
	json_t *o = json_object();

	json_object_set_new(o, "protocol", jstr(c->protocol));
	json_object_set_new(o, "mechanism", jstr(c->mechanism));
	json_object_set_new(o, "authzid", jstr(c->authzid));
	json_object_set_new(o, "username", jstr(c->username));
	json_object_set_new(o, "secret", jstr(c->secret));
	json_object_set_new(o, "secret_kind", jstr(c->secret_kind));
	json_object_set_new(o, "crack_line", jstr(c->crack_line));
	json_object_set_new(o, "verdict", jstr(c->verdict));
	json_object_set_new(o, "reply", jstr(c->reply));
	json_object_set_new(o, "frames", jstr(c->frames));
	json_object_set_new(o, "time", jtime(c->ts_us));
	json_object_set_new(o, "client", jstr(c->client));
	json_object_set_new(o, "server", jstr(c->server));
	/* only when set, so the cases before these fields keep their form */
	if (c->domain)
		json_object_set_new(o, "domain", jstr(c->domain));
	if (c->workstation)
		json_object_set_new(o, "workstation", jstr(c->workstation));
	if (c->details)
		json_object_set_new(o, "details", jstr(c->details));
	json_array_append_new(json_object_get(g->cur, "credentials"), o);
}

static int64_t
golden_message_out(void *arg, const void *raw, size_t len, const struct msg_origin *m)
{
	struct golden_cap *g = arg;
	json_t *o = json_object(), *rcpt = json_array();
	json_t *list = json_object_get(g->cur, "messages");
	size_t i;

	json_object_set_new(o, "source", jstr(m->source));
	json_object_set_new(o, "bytes", jbytes(raw, len));
	json_object_set_new(o, "frames", jstr(m->frames));
	json_object_set_new(o, "stream_off", json_integer((json_int_t)m->stream_off));
	json_object_set_new(o, "time", jtime(m->ts_us));
	json_object_set_new(o, "env_from", jstr(m->env_from));
	for (i = 0; i < m->nrcpt; i++)
		json_array_append_new(rcpt, jstr(m->env_rcpt[i]));
	json_object_set_new(o, "env_rcpt", rcpt);
	json_object_set_new(o, "incomplete", json_boolean(m->incomplete));
	json_object_set_new(o, "incomplete_why", jstr(m->incomplete_why));
	json_object_set_new(o, "partial", json_boolean(m->partial));
	json_object_set_new(o, "obs_helo", jstr(m->obs_helo));
	json_object_set_new(o, "obs_client_ip", jstr(m->obs_client_ip));
	json_object_set_new(o, "obs_server", jstr(m->obs_server));
	json_object_set_new(o, "obs_server_ip", jstr(m->obs_server_ip));
	json_array_append_new(list, o);
	return (int64_t)json_array_size(list);
}

/* IMAP data items (mail/sink.h); the key appears only in flows that have
 * some. */
static void
golden_imap_item(void *arg, const struct mail_imap_item *it)
{
	struct golden_cap *g = arg;
	json_t *o = json_object(), *list = json_object_get(g->cur, "imap_items");
	char dir[2] = { it->dir, 0 };

	if (list == NULL) {
		list = json_array();
		json_object_set_new(g->cur, "imap_items", list);
	}
	json_object_set_new(o, "dir", json_string(dir));
	json_object_set_new(o, "mailbox", jstr(it->mailbox));
	json_object_set_new(o, "mailbox_utf8", jstr(it->mailbox_utf8));
	json_object_set_new(o, "seq", json_integer(it->seq));
	json_object_set_new(o, "uid", json_integer(it->uid));
	json_object_set_new(o, "item", jstr(it->item));
	json_object_set_new(o, "section", jstr(it->section));
	json_object_set_new(o, "origin", json_integer(it->origin));
	json_object_set_new(o, "flags", jstr(it->flags));
	json_object_set_new(o, "internaldate", jstr(it->internaldate));
	json_object_set_new(o, "internaldate_utc", it->internaldate_us ? jtime(it->internaldate_us) : json_null());
	json_object_set_new(o, "rfc822_size", json_integer(it->rfc822_size));
	json_object_set_new(o, "bytes", it->data ? jbytes(it->data, it->len) : json_null());
	json_object_set_new(o, "frames", jstr(it->frames));
	json_object_set_new(o, "use", jstr(it->use));
	json_object_set_new(o, "message", json_integer(it->message_id));
	json_object_set_new(o, "incomplete_why", jstr(it->incomplete_why));
	json_array_append_new(list, o);
}

static void
golden_flow_end(void *arg, struct flow *f)
{
	struct golden_cap *g = arg;
	struct mail_env env = { .lim = g->lim, .log = g->log, .source = g->source };
	struct mail_sink sink = {
		.arg = g, .transcript = golden_transcript, .credential = golden_credential,
		.message = golden_message_out, .imap_item = golden_imap_item,
		.session_end = golden_session_end,
	};
	char ep[128];
	json_t *o = json_object();

	snprintf(ep, sizeof(ep), "%s:%u", f->cli_ip, f->cli_port);
	json_object_set_new(o, "client", json_string(ep));
	snprintf(ep, sizeof(ep), "%s:%u", f->srv_ip, f->srv_port);
	json_object_set_new(o, "server", json_string(ep));
	json_object_set_new(o, "app", json_string(f->app));
	json_object_set_new(o, "end", jstr(f->end));
	json_object_set_new(o, "packets", json_integer((json_int_t)(f->pkts[0] + f->pkts[1])));
	json_object_set_new(o, "transcript", json_array());
	json_object_set_new(o, "credentials", json_array());
	json_object_set_new(o, "messages", json_array());
	g->cur = o;
	if (!f->buffered || !mail_flow_analyze(f, &env, &sink))
		json_object_set_new(o, "session", json_null());
	json_array_append_new(g->flows, o);
}

static void
golden_capture(const char *path, const struct limits *lim)
{
	char pcap[] = "/tmp/mailcase-golden-XXXXXX";
	int fd = mkstemp(pcap);
	struct golden_cap g = { .flows = json_array(), .log = plog_new(), .lim = lim, .source = path };
	struct flow_sink sink = { .arg = &g, .flow_end = golden_flow_end };
	struct capture *cap;
	json_t *root = json_object();

	if (fd < 0) {
		perror("mkstemp");
		exit(2);
	}
	close(fd);
	conv_to_pcap(path, pcap);
	cap = capture_new(g.log, lim, NULL);
	capture_add_file(cap, pcap, 1);
	capture_run(cap, &sink);
	capture_free(cap);
	unlink(pcap);
	json_object_set_new(root, "flows", g.flows);
	emit(root, g.log);
	plog_free(g.log);
}

int
main(int argc, char **argv)
{
	struct limits lim;

	limits_default(&lim);
	if (argc == 4 && strcmp(argv[1], "pcap") == 0) {
		conv_to_pcap(argv[2], argv[3]);      /* a script's capture, for CLI tests */
		return 0;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: golden message|route|capture FILE | golden pcap FILE.conv OUT\n");
		return 2;
	}
	if (strcmp(argv[1], "message") == 0)
		golden_message(argv[2], &lim);
	else if (strcmp(argv[1], "route") == 0)
		golden_route(argv[2], &lim);
	else if (strcmp(argv[1], "capture") == 0)
		golden_capture(argv[2], &lim);
	else {
		fprintf(stderr, "golden: no stage %s\n", argv[1]);
		return 2;
	}
	return 0;
}
