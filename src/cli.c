/* cli.c - commands and options only: each command parses its options and
 * calls the stages (ingest, render, verify, streams, diff). */
#include "cli.h"
#include "caserun.h"
#include "exitcodes.h"
#include "ingest.h"
#include "streams.h"
#include "verify.h"
#include "report/diff.h"
#include "report/model.h"
#include "report/render.h"
#include "auth/dkimkeys.h"
#include "store/artifacts.h"
#include "store/casedb.h"
#include "store/db_auth.h"
#include "store/q_case.h"
#include "util/buf.h"
#include "util/fileio.h"
#include "util/plog.h"
#include "util/timefmt.h"
#include "util/tmpldir.h"
#include "util/hash.h"
#include "util/workq.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- options shared by report, add and render ---- */

#define CLI_KEYS_FILES_MAX 64

struct cli_opts {
	const char *output;          /* report: the case to create */
	const char *lang;            /* NULL: the case's, else "en" */
	const char *templates;       /* an agency's template folder */
	const char *timezone;
	bool redact_secrets;
	bool no_render;
	/* case details; NULL: keep what the case holds */
	const char *title, *case_number, *examiner, *agency, *notes, *trusted_domains;
	const char *dkim_keys[CLI_KEYS_FILES_MAX];  /* --dkim-keys FILE, in the order given */
	size_t ndkim_keys;
	struct limits lim;
};

enum {
	OPT_TITLE = 256, OPT_CASE_NUMBER, OPT_EXAMINER, OPT_AGENCY, OPT_NOTES,
	OPT_TRUSTED, OPT_LANG, OPT_TEMPLATES, OPT_REDACT, OPT_TIMEZONE, OPT_NO_RENDER,
	OPT_MAX_FLOW, OPT_MAX_MESSAGE, OPT_MAX_PARTS, OPT_MAX_DEPTH, OPT_MAX_ZIP, OPT_DKIM_KEYS,
	OPT_LIMIT
};

static const struct option cli_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "case-number", required_argument, NULL, OPT_CASE_NUMBER },
	{ "examiner", required_argument, NULL, OPT_EXAMINER },
	{ "agency", required_argument, NULL, OPT_AGENCY },
	{ "notes", required_argument, NULL, OPT_NOTES },
	{ "trusted-domains", required_argument, NULL, OPT_TRUSTED },
	{ "lang", required_argument, NULL, OPT_LANG },
	{ "templates", required_argument, NULL, OPT_TEMPLATES },
	{ "redact-secrets", no_argument, NULL, OPT_REDACT },
	{ "timezone", required_argument, NULL, OPT_TIMEZONE },
	{ "no-render", no_argument, NULL, OPT_NO_RENDER },
	{ "max-flow-bytes", required_argument, NULL, OPT_MAX_FLOW },
	{ "max-message-bytes", required_argument, NULL, OPT_MAX_MESSAGE },
	{ "max-mime-parts", required_argument, NULL, OPT_MAX_PARTS },
	{ "max-mime-depth", required_argument, NULL, OPT_MAX_DEPTH },
	{ "max-zip-bytes", required_argument, NULL, OPT_MAX_ZIP },
	{ "dkim-keys", required_argument, NULL, OPT_DKIM_KEYS },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ NULL, 0, NULL, 0 }
};

static const char cli_usage_case_opts[] =
    "Case details (stored in the case, shown on the report's cover):\n"
    "  --title TEXT  --case-number TEXT  --examiner NAME  --agency NAME  --notes TEXT\n"
    "  --trusted-domains D1,D2   mail domains whose servers are trusted when the\n"
    "                            hop route is read top-down\n"
    "  --dkim-keys FILE          DKIM public keys as DNS TXT records (dig +noall\n"
    "                            +answer TXT output or zone-file lines); repeatable;\n"
    "                            kept in the case with their SHA-256, no DNS is asked\n";
static const char cli_usage_report_opts[] =
    "Report:\n"
    "  --lang en|ko        report language (default: the case's, else en); render in\n"
    "                      another language writes CASE/report-LANG/ beside report/\n"
    "  --templates DIR     use the template set in DIR (report.md.mustache...)\n"
    "  --redact-secrets    credential secrets shown as a marker, their length and a keyed HMAC\n"
    "  --timezone ZONE     every time also in ZONE (e.g. Asia/Seoul), after UTC\n";
static const char cli_usage_limit_opts[] =
    "Ceilings (a hit ceiling is recorded in the processing log; N takes k, M, G):\n"
    "  --max-flow-bytes N     reassembled bytes kept per flow direction (64M)\n"
    "  --max-message-bytes N  largest message analysed (64M)\n"
    "  --max-mime-parts N     MIME parts per message (1000)\n"
    "  --max-mime-depth N     nesting of multiparts and attached messages (16)\n"
    "  --max-zip-bytes N      inflated bytes of a document and all inside it (512M)\n"
    "  --limit NAME=N         any ceiling by name; repeatable ('mailcase limits')\n";

static void
cli_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: mailcase COMMAND [options]\n"
	    "\n"
	    "Commands:\n"
	    "  report -o CASE EVIDENCE...   a new case from evidence, with its report\n"
	    "  add CASE EVIDENCE...         more evidence into a case, report again\n"
	    "  render CASE                  the report again from the case database\n"
	    "  verify CASE                  re-hash evidence, artifacts and report files\n"
	    "  streams -o DIR CAPTURE...    every TCP flow's two directions as files\n"
	    "  diff CASE_A CASE_B [-o DIR]  what two cases share, what only one holds\n"
	    "  limits                       every ceiling's name, default and meaning\n"
	    "  version                      the version of mailcase\n"
	    "\n"
	    "Options and operands may come in any order; '--' ends the options.\n"
	    "'mailcase COMMAND --help' describes a command; 'man mailcase' all of them.\n");
}

static void
cli_command_usage(FILE *fp, const char *cmd)
{
	if (strcmp(cmd, "report") == 0) {
		fprintf(fp, "usage: mailcase report -o CASE [options] EVIDENCE...\n\n"
		    "Creates CASE (it must not exist or must be empty), ingests the evidence\n"
		    "(captures, mailboxes, .eml files, Maildir or .eml folders, office documents)\n"
		    "and writes CASE/report/. Capture files given together are one capture.\n\n"
		    "  -o, --output CASE   the case directory to create (required)\n"
		    "  --no-render         ingest only\n");
	} else if (strcmp(cmd, "add") == 0) {
		fprintf(fp, "usage: mailcase add [options] CASE EVIDENCE...\n\n"
		    "Ingests more evidence into CASE and renders the report again. Evidence whose\n"
		    "SHA-256 is already in the case is not ingested twice.\n\n"
		    "  --no-render         ingest only\n");
	} else {
		fprintf(fp, "usage: mailcase render [options] CASE\n\n"
		    "Renders CASE/report/ again from the case database alone; the run is\n"
		    "recorded in CASE/runs.log like every report and add.\n\n");
	}
	fputs(cli_usage_case_opts, fp);
	fputs(cli_usage_report_opts, fp);
	if (strcmp(cmd, "render") != 0)
		fputs(cli_usage_limit_opts, fp);
}

/* The name of the long option whose getopt value is val, for messages. */
static const char *
cli_opt_name(int val)
{
	for (size_t i = 0; cli_longopts[i].name != NULL; i++)
		if (cli_longopts[i].val == val)
			return cli_longopts[i].name;
	return "?";
}

/* Parses argv of report, add or render: options and operands in any order
 * (POSIX getopt with GNU permutation, made explicit by the leading '-' of
 * the option string so that POSIXLY_CORRECT does not change it); "--" ends
 * the options. The operands go to ops (room for argc), their number to
 * *nops. Returns 0, or -1 after printing why (or the help, with *help
 * set). */
static int
cli_parse(int argc, char **argv, const char *cmd, struct cli_opts *o, bool *help,
    char **ops, int *nops)
{
	int ch, li;

	memset(o, 0, sizeof(*o));
	limits_default(&o->lim);
	*help = false;
	*nops = 0;
	optind = 0;                 /* 0: glibc starts over, also with another option string */
	opterr = 0;
	for (;;) {
		uint64_t v = 0;

		li = -1;
		ch = getopt_long(argc, argv, "-:o:h", cli_longopts, &li);
		if (ch == -1)
			break;
		if (ch >= OPT_MAX_FLOW && ch <= OPT_MAX_ZIP && !limits_parse_size(optarg, &v)) {
			fprintf(stderr, "mailcase %s: --%s %s: takes a positive number (k, M, G allowed)\n",
			    cmd, cli_opt_name(ch), optarg);
			return -1;
		}
		switch (ch) {
		case 1:
			ops[(*nops)++] = optarg;
			break;
		case 'o':
			if (strcmp(cmd, "report") != 0) {
				fprintf(stderr, "mailcase %s: --output belongs to 'mailcase report'; %s takes "
				    "the case folder as its first operand\n", cmd, cmd);
				return -1;
			}
			o->output = optarg;
			break;
		case 'h':
			cli_command_usage(stdout, cmd);
			*help = true;
			return -1;
		case OPT_TITLE: o->title = optarg; break;
		case OPT_CASE_NUMBER: o->case_number = optarg; break;
		case OPT_EXAMINER: o->examiner = optarg; break;
		case OPT_AGENCY: o->agency = optarg; break;
		case OPT_NOTES: o->notes = optarg; break;
		case OPT_TRUSTED: o->trusted_domains = optarg; break;
		case OPT_LANG: o->lang = optarg; break;
		case OPT_TEMPLATES: o->templates = optarg; break;
		case OPT_REDACT: o->redact_secrets = true; break;
		case OPT_TIMEZONE: o->timezone = optarg; break;
		case OPT_NO_RENDER: o->no_render = true; break;
		case OPT_DKIM_KEYS:
			if (o->ndkim_keys == CLI_KEYS_FILES_MAX) {
				fprintf(stderr, "mailcase %s: --dkim-keys: at most %d files\n", cmd,
				    CLI_KEYS_FILES_MAX);
				return -1;
			}
			o->dkim_keys[o->ndkim_keys++] = optarg;
			break;
		case OPT_MAX_FLOW:
			o->lim.flow_bytes = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
			if (o->lim.capture_bytes < o->lim.flow_bytes)
				o->lim.capture_bytes = o->lim.flow_bytes;
			break;
		case OPT_MAX_MESSAGE: o->lim.message_bytes = v > SIZE_MAX ? SIZE_MAX : (size_t)v; break;
		case OPT_MAX_PARTS: o->lim.mime_parts = v > UINT_MAX ? UINT_MAX : (unsigned)v; break;
		case OPT_MAX_DEPTH: o->lim.mime_depth = v > UINT_MAX ? UINT_MAX : (unsigned)v; break;
		case OPT_MAX_ZIP: o->lim.zip_inflated = v; break;
		case OPT_LIMIT: {
			char why[160];

			if (!limits_set(&o->lim, optarg, why, sizeof(why))) {
				fprintf(stderr, "mailcase %s: --limit: %s\n", cmd, why);
				return -1;
			}
			break;
		}
		case ':':
			if (optopt > 0 && optopt < 256)
				fprintf(stderr, "mailcase %s: -%c: needs a value\n", cmd, optopt);
			else
				fprintf(stderr, "mailcase %s: --%s: needs a value\n", cmd, cli_opt_name(optopt));
			fprintf(stderr, "'mailcase %s --help' lists the options.\n", cmd);
			return -1;
		default:
			if (optopt > 0 && optopt < 256)
				fprintf(stderr, "mailcase %s: -%c: unknown option\n", cmd, optopt);
			else if (optopt >= 256)
				fprintf(stderr, "mailcase %s: --%s: takes no value\n", cmd, cli_opt_name(optopt));
			else
				fprintf(stderr, "mailcase %s: %s: unknown option (or an abbreviation of more "
				    "than one)\n", cmd, argv[optind - 1]);
			fprintf(stderr, "'mailcase %s --help' lists the options.\n", cmd);
			return -1;
		}
	}
	while (optind < argc)
		ops[(*nops)++] = argv[optind++];
	return 0;
}

/* A file an option names must be a readable file: said, with the option and
 * the reason, when it is not. */
static bool
cli_file_readable(const char *cmd, const char *opt, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);

	if (fd < 0)
		fprintf(stderr, "mailcase %s: --%s %s: cannot be read: %s\n", cmd, opt, path,
		    strerror(errno));
	else if (!ok)
		fprintf(stderr, "mailcase %s: --%s %s: not a file\n", cmd, opt, path);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* The values of the options, checked before anything is written: each
 * refusal names the option, the value and why. */
static bool
cli_check(const char *cmd, const struct cli_opts *o)
{
	bool ok = true;

	if (o->lang != NULL) {
		char *dir = tmpldir_find(o->lang, NULL);

		if (o->lang[0] == '\0' || strchr(o->lang, '/') != NULL || o->lang[0] == '.' ||
		    !tmpldir_has(dir, "report.md.mustache")) {
			char *have = tmpldir_langs();

			fprintf(stderr, "mailcase %s: --lang %s: no report templates in that language "
			    "(this mailcase has: %s)\n", cmd, o->lang, have);
			free(have);
			ok = false;
		}
		free(dir);
	}
	if (o->templates != NULL && !tmpldir_has(o->templates, "report.md.mustache")) {
		fprintf(stderr, "mailcase %s: --templates %s: no report.md.mustache there\n", cmd,
		    o->templates);
		ok = false;
	}
	if (o->timezone != NULL && !timefmt_zone_known(o->timezone)) {
		fprintf(stderr, "mailcase %s: --timezone %s: not a time zone of the tz database "
		    "(%s); give a name such as Asia/Seoul, Europe/London or UTC\n", cmd, o->timezone,
		    TIMEFMT_ZONEINFO);
		ok = false;
	}
	for (size_t i = 0; i < o->ndkim_keys; i++)
		ok &= cli_file_readable(cmd, "dkim-keys", o->dkim_keys[i]);
	return ok;
}

/* True when at least one evidence path can be opened. When none can, each
 * is named with the reason, so that a run with nothing to read stops
 * before it makes or changes a case (one that can be opened is read and
 * any other reported by the stages as usual). */
static bool
cli_evidence_openable(const char *cmd, char *const *paths, size_t n)
{
	int *why = xcalloc(n ? n : 1, sizeof(*why));
	bool any = false;

	for (size_t i = 0; i < n && !any; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

		why[i] = fd < 0 ? errno : 0;
		if (fd >= 0) {
			close(fd);
			any = true;
		}
	}
	for (size_t i = 0; i < n && !any; i++)
		fprintf(stderr, "mailcase %s: %s: cannot open: %s\n", cmd, paths[i], strerror(why[i]));
	free(why);
	return any;
}

/* The command line as one shell-quoted string (for the runs table and the
 * report's cover). */
static char *
cli_command_line(int argc, char **argv)
{
	struct buf b;
	int i;
	bool ok = true;

	buf_init(&b, BUF_UNLIMITED);
	ok &= buf_adds(&b, "mailcase");
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

		ok &= buf_addc(&b, ' ');
		if (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_./=:,+@%") == strlen(s)) {
			ok &= buf_adds(&b, s);
			continue;
		}
		ok &= buf_addc(&b, '\'');
		for (; *s; s++)
			ok &= *s == '\'' ? buf_adds(&b, "'\\''") : buf_addc(&b, *s);
		ok &= buf_addc(&b, '\'');
	}
	if (!ok)
		fatal("command line too long");
	return buf_take(&b);
}

static void
cli_store_details(struct casedb *db, const struct cli_opts *o)
{
	static const struct { const char *key; size_t off; } keys[] = {
		{ "case_title", offsetof(struct cli_opts, title) },
		{ "case_number", offsetof(struct cli_opts, case_number) },
		{ "examiner", offsetof(struct cli_opts, examiner) },
		{ "agency", offsetof(struct cli_opts, agency) },
		{ "notes", offsetof(struct cli_opts, notes) },
		{ "trusted_domains", offsetof(struct cli_opts, trusted_domains) },
		{ "timezone", offsetof(struct cli_opts, timezone) },
		{ "lang", offsetof(struct cli_opts, lang) },
	};
	size_t i;

	casedb_begin(db);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = *(const char *const *)((const char *)o + keys[i].off);

		if (v != NULL)
			casedb_meta_set(db, keys[i].key, v);
	}
	if (o->redact_secrets)
		casedb_meta_set(db, "redact_secrets", "1");
	casedb_commit(db);
}

/* Key files are small; a larger one is not a key file. */
#define CLI_KEYS_FILE_MAX (64u << 20)

static void
cli_keys_problem(void *arg, const struct dkimkeys_problem *p)
{
	fprintf(stderr, "mailcase: %s: line %zu: %s; skipped\n", (const char *)arg, p->line,
	    p->reason);
}

/* --dkim-keys: every TXT record of every file into the case's dkim_keys
 * (store/db_auth.h), where the stages read them. False, said on stderr,
 * when a file cannot be read. */
static bool
cli_store_keys(struct casedb *db, const struct cli_opts *o, int64_t run_id)
{
	bool ok = true;

	casedb_begin(db);
	for (size_t i = 0; i < o->ndkim_keys; i++) {
		struct dkimkeys *ks = dkimkeys_new();
		char *p, *err = NULL;
		size_t len, n;

		if (!fileio_read_all(o->dkim_keys[i], CLI_KEYS_FILE_MAX, &p, &len, &err)) {
			fprintf(stderr, "mailcase: --dkim-keys %s: %s\n", o->dkim_keys[i], err);
			free(err);
			dkimkeys_free(ks);
			ok = false;
			continue;
		}
		n = dkimkeys_parse(ks, p, len, cli_keys_problem, (void *)o->dkim_keys[i]);
		if (n == 0)
			fprintf(stderr, "mailcase: --dkim-keys %s: no TXT record in it\n", o->dkim_keys[i]);
		for (size_t j = 0; j < n; j++)
			(void)db_auth_key_add(db, dkimkeys_get(ks, j), o->dkim_keys[i], run_id);
		free(p);
		dkimkeys_free(ks);
	}
	casedb_commit(db);
	return ok;
}

/* The case's key for redaction markers (model_opts.redact_key), made on
 * first use and kept in the case database; free() it. */
static char *
cli_redact_key(struct casedb *db)
{
	char *k = casedb_meta_get(db, "redact_key");
	char hex[65];

	if (k != NULL && *k != '\0')
		return k;
	free(k);
	hash_random_key_hex(hex);
	casedb_begin(db);
	casedb_meta_set(db, "redact_key", hex);
	casedb_commit(db);
	return xstrdup(hex);
}

/* The folder the run's report went to (render_dir_name), for the last
 * line. */
static char cli_report_dir[64] = "report";

/* Renders CASE/report/ with the case's settings (language, time zone,
 * redaction), each overridden by the options of this run. */
static int
cli_render(struct casedb *db, const struct cli_opts *o, const char *command_line)
{
	char *case_lang = casedb_meta_get(db, "lang");
	char *lang = o->lang ? xstrdup(o->lang) : case_lang ? xstrdup(case_lang) : NULL;
	char *tz = o->timezone ? xstrdup(o->timezone) : casedb_meta_get(db, "timezone");
	char *rdir;
	char *redact = casedb_meta_get(db, "redact_secrets");
	struct model_opts mo = { 0 };
	struct render_opts ro = { 0 };
	char *tdir, *err = NULL;
	bool ok;

	if (lang == NULL || *lang == '\0') {
		free(lang);
		lang = xstrdup("en");
	}
	tdir = tmpldir_find(lang, o->templates);
	if (!tmpldir_has(tdir, "report.md.mustache")) {
		fprintf(stderr, "mailcase: %s: no report.md.mustache there (language '%s'); "
		    "the case is kept, render it again with 'mailcase render'\n", tdir, lang);
		free(tdir);
		free(lang);
		free(case_lang);
		free(tz);
		free(redact);
		return MC_EXIT_USAGE;
	}
	/* Another language than the case's goes beside its report. */
	rdir = render_dir_name(lang, case_lang);
	snprintf(cli_report_dir, sizeof(cli_report_dir), "%s", rdir);
	ro.report_dir = rdir;
	mo.lang = lang;
	mo.command_line = command_line;
	mo.generated_us = timefmt_now_us();
	mo.redact_secrets = o->redact_secrets || (redact != NULL && strcmp(redact, "1") == 0);
	if (mo.redact_secrets) {
		free(redact);
		redact = cli_redact_key(db);
		mo.redact_key = redact;
	}
	mo.timezone = tz != NULL && *tz != '\0' ? tz : NULL;
	ro.templates_dir = tdir;
	ro.workers = workq_default_workers();
	ok = render_case_report(db, &mo, &ro, &err);
	free(rdir);
	free(case_lang);
	free(tdir);
	free(lang);
	free(tz);
	free(redact);
	if (!ok) {
		fprintf(stderr, "mailcase: %s\n", err);
		free(err);
		return MC_EXIT_FATAL;
	}
	return MC_EXIT_OK;
}

/* One line on stderr with the warnings and errors the run recorded, so
 * that nobody misses what the report's processing log holds. */
static void
cli_log_summary(struct casedb *db, int64_t run_id)
{
	struct rows *st = q_case_log_tally(db);
	const struct row *r;
	long long warn = 0, err = 0;

	rows_bind_int(st, 1, run_id);
	if (rows_next(st, &r)) {
		warn = row_int(r, 0);
		err = row_int(r, 1);
	}
	rows_close(st);
	fprintf(stderr, "mailcase: %lld warning%s and %lld error%s in the processing log%s\n",
	    warn, warn == 1 ? "" : "s", err, err == 1 ? "" : "s",
	    warn + err > 0 ? " (report section \"Processing log\")" : "");
}

/* report and add: evidence into a case (created by report), then the
 * report. */
static int
cli_ingest(struct casedb *db, int64_t run_id, const struct cli_opts *o, char **paths,
    size_t npaths, const char *command_line, bool *rendered)
{
	struct ingest_ctx ctx = { 0 };
	struct ingest_opts io = { .progress = isatty(STDERR_FILENO) != 0 };
	int rc, rrc;

	casedb_begin(db);
	casedb_evidence_purge_incomplete(db);
	casedb_commit(db);
	ctx.run_id = run_id;
	cli_store_details(db, o);
	if (!cli_store_keys(db, o, ctx.run_id))
		return MC_EXIT_USAGE;
	ctx.db = db;
	ctx.art = artstore_open(db);
	ctx.log = plog_new();
	ctx.lim = &o->lim;
	ctx.now_us = timefmt_now_us();
	ctx.progress = io.progress;
	rc = ingest_run(&ctx, paths, npaths, &io);
	cli_log_summary(db, ctx.run_id);
	plog_free(ctx.log);
	artstore_free(ctx.art);
	if (o->no_render)
		return rc;
	if (io.progress)
		fprintf(stderr, "rendering the report\n");
	rrc = cli_render(db, o, command_line);
	*rendered = rrc == MC_EXIT_OK;
	return rrc != MC_EXIT_OK ? rrc : rc;
}

/* The absolute form of path, also for a path that does not exist yet (its
 * folder must): malloc'd, or NULL. */
static char *
cli_abs_path(const char *path)
{
	char *abs = realpath(path, NULL), *dir, *base, *r;
	const char *slash;

	if (abs != NULL)
		return abs;
	slash = strrchr(path, '/');
	dir = slash ? xstrndup(path, (size_t)(slash - path + (slash == path))) : xstrdup(".");
	base = slash ? xstrdup(slash + 1) : xstrdup(path);
	abs = realpath(dir, NULL);
	r = abs ? xasprintf("%s/%s", strcmp(abs, "/") == 0 ? "" : abs, base) : NULL;
	free(abs);
	free(dir);
	free(base);
	return r;
}

static bool
cli_path_within(const char *inner, const char *outer)
{
	size_t n = strlen(outer);

	return strcmp(inner, outer) == 0 || (strncmp(inner, outer, n) == 0 && inner[n] == '/');
}

/* A case must not lie inside an evidence folder (its own files would become
 * evidence, and the folder's hash would change under the examiner) and no
 * evidence may lie inside the case. */
static bool
cli_case_apart(const char *cmd, const char *dir, char *const *paths, size_t n)
{
	char *cabs = cli_abs_path(dir);
	bool ok = true;

	for (size_t i = 0; ok && cabs != NULL && i < n; i++) {
		char *eabs = realpath(paths[i], NULL);

		if (eabs != NULL && (cli_path_within(cabs, eabs) || cli_path_within(eabs, cabs))) {
			fprintf(stderr, "mailcase %s: the case %s and the evidence %s must not lie one"
			    " inside the other\n", cmd, dir, paths[i]);
			ok = false;
		}
		free(eabs);
	}
	free(cabs);
	return ok;
}

/* One writer at a time (flock(2) on the case folder, held for the whole
 * command, released by the kernel however the run ends): two runs adding
 * the same evidence at once would each find it absent and ingest it
 * twice. A second run is refused at once, saying so, rather than queued
 * behind a run that may take hours; verify only reads and shares the lock
 * with other verifies, and is refused while a run writes (it would hash
 * a case half written). Returns the descriptor to close; -1 when the
 * folder cannot be opened (casedb_open then reports why); -2, said on
 * stderr, when it cannot be locked. */
static int
cli_case_lock(const char *cmd, const char *dir, bool exclusive)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	do
		rc = flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
	while (rc != 0 && errno == EINTR);
	if (rc == 0)
		return fd;
	if (errno == EWOULDBLOCK && exclusive)
		fprintf(stderr, "mailcase %s: %s: another mailcase run is using this case (report, "
		    "add, render or verify); nothing was done: run this again when it has "
		    "finished\n", cmd, dir);
	else if (errno == EWOULDBLOCK)
		fprintf(stderr, "mailcase %s: %s: a mailcase run (report, add or render) is writing "
		    "to this case; nothing was verified: verify it when that run has finished\n",
		    cmd, dir);
	else
		fprintf(stderr, "mailcase %s: %s: cannot lock the case: %s\n", cmd, dir,
		    strerror(errno));
	close(fd);
	return -2;
}

/* The case details this run sets, by their meta key, for its run log
 * entry: a change of examiner is a new entry, never an overwrite. */
static json_t *
cli_details_json(const struct cli_opts *o)
{
	json_t *d = json_object();
	const struct { const char *key, *v; } kv[] = {
		{ "case_title", o->title }, { "case_number", o->case_number },
		{ "examiner", o->examiner }, { "agency", o->agency }, { "notes", o->notes },
		{ "trusted_domains", o->trusted_domains }, { "timezone", o->timezone },
		{ "lang", o->lang },
	};

	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++)
		if (kv[i].v != NULL)
			json_object_set_new(d, kv[i].key, json_string(kv[i].v));
	if (o->redact_secrets)
		json_object_set_new(d, "redact_secrets", json_string("1"));
	for (size_t i = 0; i < o->ndkim_keys; i++) {
		json_t *a = json_object_get(d, "dkim_keys");

		if (a == NULL) {
			a = json_array();
			json_object_set_new(d, "dkim_keys", a);
		}
		json_array_append_new(a, json_string(o->dkim_keys[i]));
	}
	return d;
}

/* The last line of a case command, whatever its end: the report on
 * stdout when there is one, else on stderr what was left. A fatal error
 * (exit 70) ends the process elsewhere: its line comes from
 * cli_final_atexit(). */
static struct {
	const char *cmd, *dir;
	bool pending;
} cli_final;

static void
cli_final_atexit(void)
{
	if (cli_final.pending)
		fprintf(stderr, "mailcase %s: %s: stopped by the error above; the case database "
		    "keeps what was committed before it, and the next run records the stop\n",
		    cli_final.cmd, cli_final.dir);
}

static void
cli_final_line(const char *cmd, const char *dir, int rc, bool rendered, bool no_render,
    bool created, bool logged)
{
	cli_final.pending = false;
	if (rendered && rc == MC_EXIT_OK)
		printf("report: %s/%s/report.html\n", dir, cli_report_dir);
	else if (rendered && rc == MC_EXIT_PARTIAL)
		printf("report (not all evidence could be read in full; see the processing log): "
		    "%s/%s/report.html\n", dir, cli_report_dir);
	else if (rendered && rc == MC_EXIT_MISMATCH)
		printf("report (evidence changed while it was read; see the processing log): "
		    "%s/%s/report.html\n", dir, cli_report_dir);
	else if (no_render && (rc == MC_EXIT_OK || rc == MC_EXIT_PARTIAL || rc == MC_EXIT_MISMATCH))
		printf("case: %s (no report rendered: mailcase render %s)\n", dir, dir);
	else if (dir == NULL)
		fprintf(stderr, "mailcase %s: failed (exit %d); nothing was written\n", cmd, rc);
	else if (!created)
		fprintf(stderr, "mailcase %s: failed (exit %d); nothing was written (%s %s)\n", cmd, rc,
		    dir, strcmp(cmd, "report") == 0 && access(dir, F_OK) != 0 ? "was not made" :
		    "is unchanged");
	else if (logged)
		fprintf(stderr, "mailcase %s: failed (exit %d): %s; the run is recorded in %s/runs.log\n",
		    cmd, rc, dir, dir);
	else
		fprintf(stderr, "mailcase %s: failed (exit %d): %s; the run is not in %s/runs.log, and "
		    "the next run records it as interrupted\n", cmd, rc, dir, dir);
}

static int
cli_case_command(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct cli_opts o;
	bool help, create = strcmp(cmd, "report") == 0, render = strcmp(cmd, "render") == 0;
	bool rendered = false, made_dir = false, logged = false;
	char **ops = xcalloc((size_t)argc + 1, sizeof(*ops));
	const char *dir = NULL;
	char *err = NULL, *cl;
	struct caserun_info ri = { 0 };
	struct caserun *run;
	struct casedb *db;
	json_t *details;
	int rc, nops, lock;

	if (cli_parse(argc, argv, cmd, &o, &help, ops, &nops) < 0) {
		free(ops);
		if (help)
			return MC_EXIT_OK;
		cli_final_line(cmd, NULL, MC_EXIT_USAGE, false, false, false, false);
		return MC_EXIT_USAGE;
	}
	if (create) {
		dir = o.output;
		if (dir == NULL || nops < 1) {
			fprintf(stderr, "mailcase report: %s\n", dir == NULL ?
			    "-o CASE is required" : "give at least one evidence file");
			fprintf(stderr, "usage: mailcase report -o CASE [options] EVIDENCE...\n");
			free(ops);
			cli_final_line(cmd, NULL, MC_EXIT_USAGE, false, false, false, false);
			return MC_EXIT_USAGE;
		}
	} else {
		if (render ? nops != 1 : nops < 2) {
			fprintf(stderr, "mailcase %s: %s\n", cmd, nops == 0 ? "give the case folder" :
			    render ? "give one case folder and nothing else" :
			    "give the case folder and at least one evidence file");
			fprintf(stderr, "usage: mailcase %s [options] CASE%s\n", cmd,
			    render ? "" : " EVIDENCE...");
			free(ops);
			cli_final_line(cmd, NULL, MC_EXIT_USAGE, false, false, false, false);
			return MC_EXIT_USAGE;
		}
		dir = ops[0];
	}
	{
		char **ev = create ? ops : ops + 1;
		size_t nev = (size_t)(create ? nops : nops - 1);

		if (!cli_check(cmd, &o) || !cli_case_apart(cmd, dir, ev, nev) ||
		    (!render && !cli_evidence_openable(cmd, ev, nev))) {
			free(ops);
			cli_final_line(cmd, dir, MC_EXIT_USAGE, false, false, false, false);
			return MC_EXIT_USAGE;
		}
	}
	/* A new case's folder is made and locked before the case is created
	 * in it, so no other run can see it half made. */
	if (create) {
		if (mkdir(dir, 0755) == 0)
			made_dir = true;
		else if (errno != EEXIST) {
			fprintf(stderr, "mailcase %s: %s: cannot create the case folder: %s\n", cmd, dir,
			    strerror(errno));
			free(ops);
			cli_final_line(cmd, dir, MC_EXIT_CASE, false, false, false, false);
			return MC_EXIT_CASE;
		}
	}
	lock = cli_case_lock(cmd, dir, true);
	if (lock == -2) {
		free(ops);
		cli_final_line(cmd, dir, MC_EXIT_CASE, false, false, false, false);
		return MC_EXIT_CASE;
	}
	cl = cli_command_line(argc, argv);
	details = cli_details_json(&o);
	ri.command = cmd;
	ri.command_line = cl;
	ri.examiner = o.examiner;
	ri.details = details;
	ri.create = create;
	run = caserun_begin(dir, &ri, &err);
	json_decref(details);
	if (run == NULL) {
		fprintf(stderr, "mailcase %s: %s\n", cmd, err);
		free(err);
		if (made_dir)
			(void)rmdir(dir);   /* only when empty: nothing of a case is left */
		if (lock >= 0)
			close(lock);
		free(cl);
		free(ops);
		cli_final_line(cmd, dir, MC_EXIT_CASE, false, false, false, false);
		return MC_EXIT_CASE;
	}
	cli_final.cmd = cmd;
	cli_final.dir = dir;
	cli_final.pending = true;
	db = caserun_db(run);
	if (render) {
		/* render --lang writes a report in that language beside the
		 * case's own; the case's language stays as it was. */
		struct cli_opts kept = o;

		kept.lang = NULL;
		cli_store_details(db, &kept);
		rc = cli_store_keys(db, &o, caserun_id(run)) ? cli_render(db, &o, cl) : MC_EXIT_USAGE;
		rendered = rc == MC_EXIT_OK;
	} else {
		rc = cli_ingest(db, caserun_id(run), &o, create ? ops : ops + 1,
		    (size_t)(create ? nops : nops - 1), cl, &rendered);
	}
	rc = caserun_end(run, rc, &logged);
	cli_final_line(cmd, dir, rc, rendered && rc != MC_EXIT_FATAL, o.no_render && !render, true,
	    logged);
	free(cl);
	free(ops);
	if (lock >= 0)
		close(lock);
	return rc;
}

static int
cli_verify(int argc, char **argv)
{
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: mailcase verify CASE\n\n"
		    "Hashes every evidence file, every extracted file and every file listed in\n"
		    "CASE/report/SHA256SUMS again and compares them with the case's records.\n"
		    "One line per file (OK, CHANGED, MISSING); exit 3 when anything differs.\n");
		return MC_EXIT_OK;
	}
	if (argc == 3 && strcmp(argv[1], "--") == 0) {
		argv++;
		argc--;
	} else if (argc == 2 && argv[1][0] == '-') {
		fprintf(stderr, "mailcase verify: %s: unknown option\n", argv[1]);
		fprintf(stderr, "usage: mailcase verify CASE\n");
		return MC_EXIT_USAGE;
	}
	if (argc != 2) {
		fprintf(stderr, "mailcase verify: give one case folder\n");
		fprintf(stderr, "usage: mailcase verify CASE\n");
		return MC_EXIT_USAGE;
	}
	{
		int lock = cli_case_lock("verify", argv[1], false);
		int rc = lock == -2 ? MC_EXIT_CASE : verify_case(argv[1], stdout);

		if (lock >= 0)
			close(lock);
		return rc;
	}
}

int
cli_main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (cmd == NULL) {
		cli_usage(stderr);
		return MC_EXIT_USAGE;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("mailcase %s\n", MC_VERSION);
		return MC_EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		cli_usage(stdout);
		return MC_EXIT_OK;
	}
	if (strcmp(cmd, "report") == 0 || strcmp(cmd, "add") == 0 || strcmp(cmd, "render") == 0) {
		atexit(cli_final_atexit);
		return cli_case_command(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "limits") == 0) {
		limits_print(stdout);
		return MC_EXIT_OK;
	}
	if (strcmp(cmd, "verify") == 0)
		return cli_verify(argc - 1, argv + 1);
	if (strcmp(cmd, "streams") == 0)
		return streams_main(argc - 1, argv + 1);
	if (strcmp(cmd, "diff") == 0)
		return cli_diff_main(argc - 1, argv + 1);
	fprintf(stderr, "mailcase: unknown command '%s'\n", cmd);
	cli_usage(stderr);
	return MC_EXIT_USAGE;
}
